//! Reading the site's files: content (`content/`), templates and static assets.
//!
//! This is the only module that reads content and template files. It walks folders in
//! sorted order (so ids are stable), skips hidden and editor temp files, and records
//! invalid UTF-8 as a diagnostic at the first bad byte instead of failing.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::{Diagnostic, FileId, SourceFile, SourceMap, Span};

/// Environment failures while loading.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The content folder does not exist.
    #[error("content directory `{}` not found; create it or run majors in a site folder", .0.display())]
    NoContentDir(PathBuf),
    /// A file or folder could not be read.
    #[error("cannot read `{}`", path.display())]
    Read {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// A file copied to the output as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Absolute source path.
    pub source: PathBuf,
    /// Output path relative to the output dir, `/`-separated.
    pub output: String,
}

/// True for names editors and OSes leave behind: hidden, swap, backup and lock files. `build`
/// and `serve` both skip them (a `notes.bak` is never published).
pub fn is_ignored_name(name: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "~", ".swp", ".swo", ".swx", ".swpx", ".tmp", ".bak", ".orig", ".rej",
    ];
    name.starts_with('.')
        || name.starts_with('#')
        || name == "4913"
        || SUFFIXES.iter().any(|s| name.ends_with(s))
}

/// What a walk may reach: the site root, and the output folder it must stay out of (both
/// canonical).
#[derive(Debug, Clone)]
pub struct Boundary {
    root: PathBuf,
    output: Option<PathBuf>,
}

impl Boundary {
    /// The boundary of the site at `root` building into `output`.
    pub fn new(root: &Path, output: Option<&Path>) -> Self {
        let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        Boundary {
            root: canonical(root),
            output: output.map(crate::site::output::canonical_prefix),
        }
    }

    /// Why a canonical `target` reached from `from` (the canonical folder the link sits in)
    /// may not be read, if it may not.
    fn refusal(&self, target: &Path, from: Option<&Path>) -> Option<&'static str> {
        let Ok(inside) = target.strip_prefix(&self.root) else {
            return Some("outside the site");
        };
        if inside
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        {
            return Some("inside a hidden folder of the site");
        }
        if inside.as_os_str().is_empty() || from.is_some_and(|f| f.starts_with(target)) {
            return Some("a folder that holds the link itself (the site would copy itself)");
        }
        if let Some(out) = &self.output {
            if out.starts_with(target) || target.starts_with(out) {
                return Some("the output folder, or a folder that holds it");
            }
        }
        None
    }
}

/// Lists the files under `dir` (sorted, ignored names skipped) as (absolute path, relative
/// `/` path). `label` names the folder in diagnostics (`content`, `static`, …).
///
/// A symlink, and `dir` itself when it is one, is followed only when its target is inside the
/// site root, not inside a hidden folder (such as `.git`, whose config can hold a CI token),
/// not a folder that holds the link (a loop) and not the output folder: a pull request that
/// adds `static/env -> /proc/self/environ`, or turns `static/` into a link to `/etc`, must not
/// publish the build machine's files. Any other symlink is an `unsafe-symlink` error naming
/// the link and its target, and is skipped.
pub fn walk_files(
    dir: &Path,
    label: &str,
    bounds: &Boundary,
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<(PathBuf, String)>, LoadError> {
    let mut walk = Walk {
        bounds,
        label,
        files: Vec::new(),
        visited: std::collections::HashSet::new(),
        diags,
    };
    // The folder itself: `static -> /etc`, or `themes/x -> /etc`, is as unsafe as
    // `static/x -> /etc`.
    if let Ok(canonical) = std::fs::canonicalize(dir) {
        if let Some(why) = bounds.refusal(&canonical, None) {
            walk.diags.push(refuse_link(label, dir, why));
            return Ok(Vec::new());
        }
    }
    walk.folder(dir, "")?;
    Ok(walk.files)
}

fn refuse_link(shown: &str, link: &Path, why: &str) -> Diagnostic {
    let written = std::fs::read_link(link)
        .or_else(|_| std::fs::canonicalize(link))
        .map_or_else(|_| "?".into(), |t| t.display().to_string());
    Diagnostic::error("unsafe-symlink", format!("`{shown}` is a symlink to `{written}`, {why}"))
        .in_path(shown.to_string())
        .help("majors publishes only what the site holds: copy the files into the site, or remove the link")
}

struct Walk<'a> {
    bounds: &'a Boundary,
    label: &'a str,
    files: Vec<(PathBuf, String)>,
    /// Canonical folders walked so far (a symlink back to one is a loop, walked once).
    visited: std::collections::HashSet<PathBuf>,
    diags: &'a mut Vec<Diagnostic>,
}

impl Walk<'_> {
    fn folder(&mut self, dir: &Path, prefix: &str) -> Result<(), LoadError> {
        if let Ok(canonical) = std::fs::canonicalize(dir) {
            if !self.visited.insert(canonical) {
                return Ok(());
            }
        }
        let walker = WalkDir::new(dir)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
        for entry in walker {
            let entry = entry.map_err(|e| LoadError::Read {
                path: e
                    .path()
                    .map_or_else(|| dir.to_path_buf(), Path::to_path_buf),
                source: e
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("file system loop")),
            })?;
            if entry.depth() == 0 {
                continue;
            }
            let rel = format!("{prefix}{}", relative(dir, entry.path()));
            if entry.file_type().is_file() {
                self.files.push((entry.path().to_path_buf(), rel));
            } else if entry.file_type().is_symlink() {
                self.symlink(entry.path(), rel)?;
            }
        }
        Ok(())
    }

    fn symlink(&mut self, link: &Path, rel: String) -> Result<(), LoadError> {
        let shown = format!("{}/{rel}", self.label);
        let Ok(target) = std::fs::canonicalize(link) else {
            self.diags
                .push(refuse_link(&shown, link, "which does not exist"));
            return Ok(());
        };
        let from = link.parent().and_then(|p| std::fs::canonicalize(p).ok());
        if let Some(why) = self.bounds.refusal(&target, from.as_deref()) {
            self.diags.push(refuse_link(&shown, link, why));
            return Ok(());
        }
        if target.is_dir() {
            self.folder(&target, &format!("{rel}/"))
        } else {
            if target.is_file() {
                self.files.push((target, rel));
            }
            Ok(())
        }
    }
}

/// `/`-separated path of `path` under `dir`.
fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .expect("invariant: walkdir yields paths under its root")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads a text file into the source map; invalid UTF-8 becomes an `invalid-utf8` error.
pub fn read_text(
    abs: &Path,
    rel: String,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Result<FileId, LoadError> {
    let (file, bad) = read_source(abs, rel)?;
    let id = sources.add_file(file);
    if let Some(bad) = bad {
        diags.push(invalid_utf8(id, bad));
    }
    Ok(id)
}

/// Reads one file (on any thread): the file, and the byte offset of its first invalid UTF-8
/// sequence if it has one (the text is then decoded lossily; see [`invalid_utf8`]).
pub fn read_source(abs: &Path, rel: String) -> Result<(SourceFile, Option<usize>), LoadError> {
    let bytes = std::fs::read(abs).map_err(|source| LoadError::Read {
        path: abs.to_path_buf(),
        source,
    })?;
    let (text, bad) = match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => {
            let bad = e.utf8_error().valid_up_to();
            (
                String::from_utf8_lossy(e.as_bytes()).into_owned(),
                Some(bad),
            )
        }
    };
    Ok((SourceFile::new(rel, abs.to_path_buf(), text), bad))
}

/// The error for a file that is not valid UTF-8, at the first invalid byte.
pub fn invalid_utf8(file: FileId, bad: usize) -> Diagnostic {
    Diagnostic::error("invalid-utf8", "file is not valid UTF-8")
        .at(Span::new(file, bad..bad + 1), "invalid byte here")
        .help("save the file as UTF-8 (most editors: \"Save with encoding\" / \"Reopen with encoding\")")
}

/// True for characters that XML (the Atom feed) forbids or that HTML reports as a parse
/// error: C0 controls other than tab, newline and carriage return, DEL, C1 controls, and the
/// noncharacters.
pub fn is_forbidden_char(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
        || matches!(c as u32, 0xfdd0..=0xfdef)
        || (c as u32 & 0xfffe) == 0xfffe
}

/// Control characters in a content file after `from` (its front matter, which the YAML
/// parser checks itself): one error per run of them. They are invisible in an editor, come
/// from copy and paste, and would make the Atom feed ill-formed.
pub fn control_characters(file: FileId, text: &str, from: usize) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut run: Option<(usize, usize, char)> = None;
    let body = text.get(from..).unwrap_or_default();
    for (i, c) in body.char_indices().map(|(i, c)| (i + from, c)) {
        match (&mut run, is_forbidden_char(c)) {
            (Some((_, end, _)), true) if *end == i => *end = i + c.len_utf8(),
            (_, true) => {
                out.extend(run.take().map(|r| control_diagnostic(file, r)));
                run = Some((i, i + c.len_utf8(), c));
            }
            (_, false) => {}
        }
    }
    out.extend(run.map(|r| control_diagnostic(file, r)));
    out
}

fn control_diagnostic(file: FileId, (start, end, first): (usize, usize, char)) -> Diagnostic {
    Diagnostic::error(
        "control-character",
        format!(
            "the text contains U+{:04X}, an invisible control character",
            first as u32
        ),
    )
    .at(Span::new(file, start..end), "here")
    .help("delete it (it often comes with copied text); tabs and line breaks are fine")
}

/// Template files of a folder: (name relative to the folder, file id).
pub fn load_templates(
    dir: &Path,
    label: &str,
    bounds: &Boundary,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<(String, FileId)>, LoadError> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for (abs, rel) in walk_files(dir, label, bounds, diags)? {
        let id = read_text(&abs, format!("{label}/{rel}"), sources, diags)?;
        out.push((rel, id));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_reported_once_per_run() {
        let text = "---\ntitle: \u{1}x\n---\nok\tfine\r\nbad\0\u{1}here \u{85} \u{ffff}\n";
        let d = control_characters(FileId(0), text, 16);
        let found: Vec<(std::ops::Range<usize>, &str)> = d
            .iter()
            .map(|d| (d.span.as_ref().unwrap().range.clone(), d.message.as_str()))
            .collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(&text[found[0].0.clone()], "\0\u{1}");
        assert!(found[0].1.contains("U+0000"));
        assert!(found[1].1.contains("U+0085") && found[2].1.contains("U+FFFF"));
    }

    #[test]
    fn editor_files_are_ignored() {
        for name in [
            ".a.md.swp",
            "a.md~",
            "4913",
            ".#a.md",
            "x.tmp",
            "#a.md#",
            ".DS_Store",
            "notes.bak",
            "a.md.swpx",
            "a.md.orig",
        ] {
            assert!(is_ignored_name(name), "{name}");
        }
        for name in ["a.md", "peru.md", "_index.md", "logo.png"] {
            assert!(!is_ignored_name(name), "{name}");
        }
    }
}
