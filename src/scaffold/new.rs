//! `majors new TYPE PATH`: a page of a declared type, with every required field present as a
//! placeholder (`TODO`, which `check` reports until it is replaced) and the optional ones as
//! comments; `majors new section FOLDER` a section's `_index.md`.

use std::fmt::Write as _;
use std::path::Path;

use crate::config::{load_config, Config, FieldDef, FieldKind, TypeDef};
use crate::content::field_kinds::describe;
use crate::content::PLACEHOLDER;
use crate::diag::{did_you_mean, Diagnostic, SourceMap};

use super::{create_new, yaml_string, ScaffoldError};

/// The pseudo-type of a plain section (`_index.md` without a type).
pub const SECTION: &str = "section";

/// What `new` did, or the config problems that kept it from starting.
#[derive(Debug)]
pub enum NewOutcome {
    /// The page was written.
    Written {
        /// Its path, relative to the site root (`content/notes/x.md`).
        path: String,
        /// How many placeholders are left to fill in.
        placeholders: usize,
    },
    /// `site.yaml` has errors; nothing was written.
    BadConfig {
        /// Its problems.
        diagnostics: Vec<Diagnostic>,
        /// The files they point into.
        sources: SourceMap,
    },
}

/// Writes a new page of `type_name` at `path` (under `content/`; `.md` may be left off) in the
/// site at `root`.
pub fn new_page(
    root: &Path,
    type_name: &str,
    path: &str,
    title: Option<&str>,
) -> Result<NewOutcome, ScaffoldError> {
    let mut sources = SourceMap::default();
    let (config, diagnostics) = load_config(root, &mut sources)?;
    let Some(config) = config else {
        return Ok(NewOutcome::BadConfig {
            diagnostics,
            sources,
        });
    };
    let rel = page_path(path, type_name == SECTION)?;
    let tdef = match type_name {
        SECTION => None,
        name => Some(
            config
                .types
                .get(name)
                .ok_or_else(|| unknown_type(&config, name))?,
        ),
    };
    let (text, placeholders) = front_matter(&config, &rel, type_name, tdef, title);
    let target = root.join("content").join(&rel);
    if target.exists() || target.is_symlink() {
        return Err(ScaffoldError::Exists(Path::new("content").join(&rel)));
    }
    let parent = target.parent().unwrap_or(root);
    std::fs::create_dir_all(parent).map_err(|source| ScaffoldError::Io {
        path: parent.to_path_buf(),
        source,
    })?;
    // A symlinked folder on the way must not take the page out of the site.
    let content = std::fs::canonicalize(root.join("content")).ok();
    let real = std::fs::canonicalize(parent).ok();
    if !matches!((&content, &real), (Some(c), Some(r)) if r.starts_with(c)) {
        return Err(ScaffoldError::BadPath {
            path: path.to_string(),
            reason: "a folder on the way is a symbolic link out of `content/`".into(),
        });
    }
    create_new(&target, text.as_bytes())?;
    Ok(NewOutcome::Written {
        path: format!("content/{rel}"),
        placeholders,
    })
}

/// The page's path under `content/`, `/`-separated and ending in `.md`.
fn page_path(path: &str, section: bool) -> Result<String, ScaffoldError> {
    let bad = |reason: &str| ScaffoldError::BadPath {
        path: path.to_string(),
        reason: reason.to_string(),
    };
    let given = path.trim().replace('\\', "/");
    let rel = given.trim_start_matches("./");
    let rel = rel.strip_prefix("content/").unwrap_or(rel);
    if rel.ends_with('/') && !section {
        return Err(bad("give the page's file name after the folder, such as `notes/my-note.md`; `majors new section FOLDER` writes a folder's `_index.md`"));
    }
    let rel = rel.trim_end_matches('/');
    let odd = |seg: &str| seg.is_empty() || seg == "." || seg == "..";
    if rel.starts_with('/') || rel.split('/').any(odd) {
        return Err(bad(
            "give a path inside `content/`, such as `notes/my-note.md`",
        ));
    }
    // Names the build skips (hidden files, editor backups) would never be checked or built.
    if rel.split('/').any(crate::content::load::is_ignored_name) {
        return Err(bad("majors skips hidden files and editor backups (`.name`, `name~`, `*.bak`, …): choose another name"));
    }
    let mut rel = rel.to_string();
    if section && !rel.ends_with("_index.md") {
        if rel.ends_with(".md") {
            return Err(bad("a section is a folder's `_index.md`: give the folder, such as `guides` or `guides/_index.md`"));
        }
        rel.push_str("/_index.md");
    }
    match Path::new(&rel).extension().and_then(|e| e.to_str()) {
        Some("md") => {}
        None => rel.push_str(".md"),
        Some(_) => return Err(bad("a page is a Markdown file ending in `.md`")),
    }
    Ok(rel)
}

fn unknown_type(config: &Config, name: &str) -> ScaffoldError {
    let names: Vec<&str> = config.types.keys().map(String::as_str).collect();
    let all = names.iter().copied().chain([SECTION]);
    let hint = match did_you_mean(name, all) {
        Some(s) => format!("did you mean `{s}`?"),
        None if names.is_empty() => format!(
            "site.yaml declares no types under `types:`; `{SECTION}` writes a section's `_index.md`"
        ),
        None => format!(
            "its types are {}, and `{SECTION}` writes a section's `_index.md`",
            names.join(", ")
        ),
    };
    ScaffoldError::UnknownType {
        name: name.to_string(),
        hint,
    }
}

/// The new page's text and the number of placeholders in it.
fn front_matter(
    config: &Config,
    rel: &str,
    type_name: &str,
    tdef: Option<&TypeDef>,
    title: Option<&str>,
) -> (String, usize) {
    let mut out = String::from("---\n");
    let mut placeholders = 0;
    match title {
        Some(t) => {
            let _ = writeln!(out, "title: {}", yaml_string(t));
        }
        None => {
            placeholders += 1;
            let _ = writeln!(out, "title: {PLACEHOLDER}");
        }
    }
    out.push_str("# description: one sentence, shown in lists, search results and link previews\n");
    let is_index = rel.ends_with("_index.md");
    if let Some(tdef) = tdef {
        // `_index.md` files never take a folder's default type.
        let folder = rel.rsplit_once('/').map_or("", |(f, _)| f);
        if is_index || config.default_type_for(folder) != Some(type_name) {
            let _ = writeln!(out, "type: {type_name}");
        }
        for (name, def) in &tdef.fields {
            placeholders += usize::from(def.required);
            field_line(&mut out, name, def);
        }
    }
    out.push_str("---\n\n");
    let what = match tdef {
        Some(t) => t.label.clone().unwrap_or_else(|| type_name.to_string()),
        None => "section".to_string(),
    };
    let _ = writeln!(out, "Write the {} here, in Markdown.", what.to_lowercase());
    (out, placeholders)
}

/// One field: `name: TODO` with what it takes when required, a comment when optional.
fn field_line(out: &mut String, name: &str, def: &FieldDef) {
    let label = def.label.as_deref().unwrap_or(name);
    let takes = describe(def);
    if def.required {
        let value = match def.kind {
            FieldKind::List => format!("[{PLACEHOLDER}]"),
            _ => PLACEHOLDER.to_string(),
        };
        let _ = writeln!(out, "{name}: {value}  # {label}: {takes} (required)");
    } else {
        let _ = writeln!(out, "# {name}:  # {label}: {takes} (optional)");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_pages_under_content() {
        assert_eq!(page_path("notes/a", false).unwrap(), "notes/a.md");
        assert_eq!(
            page_path("content/notes/a.md", false).unwrap(),
            "notes/a.md"
        );
        assert_eq!(page_path("./notes/a.md", false).unwrap(), "notes/a.md");
        assert_eq!(page_path("guides", true).unwrap(), "guides/_index.md");
        assert_eq!(
            page_path("guides/_index.md", true).unwrap(),
            "guides/_index.md"
        );
        for bad in [
            "",
            "/etc/x.md",
            "../x.md",
            "a//b.md",
            "notes/a.txt",
            "a/./b",
            "notes/",
            "notes/.hidden",
            "notes/a.md~",
        ] {
            assert!(page_path(bad, false).is_err(), "{bad}");
        }
        assert!(page_path("guides/intro.md", true).is_err());
    }
}
