//! Starting points: `majors init DIR` writes a small working site, `majors new TYPE PATH` a
//! page of a declared type with its required fields left to fill in ([`new`]).
//!
//! Both only ever create files: a file is opened with `create_new`, so nothing that exists is
//! overwritten, and `init` refuses a folder that holds anything at all.

pub mod new;

use std::io::Write;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::config::ConfigError;

/// The site `majors init` writes: the repository's `starter/` folder, checked by the tests
/// to build with no warnings on the default theme.
static STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/starter");

/// The starter's title, replaced by `--title`.
const STARTER_TITLE: &str = "title: My knowledge base";

/// Why a starting point could not be written. Each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// `init` into a folder that holds something.
    #[error("refusing to start a site in `{}`: it is not empty, and `majors init` writes only into an empty or new folder; pass a new folder name", .0.display())]
    NotEmpty(PathBuf),
    /// `init` onto a file.
    #[error("refusing to start a site in `{}`: it is a file, not a folder", .0.display())]
    NotAFolder(PathBuf),
    /// Reading or writing failed.
    #[error("cannot write `{}`", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// `new` outside a site.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// `new` with a type the site does not declare.
    #[error("the site has no type `{name}`; {hint}")]
    UnknownType {
        /// The type asked for.
        name: String,
        /// A suggestion, or the declared types.
        hint: String,
    },
    /// `new` with a path that is not a page under `content/`.
    #[error("cannot write a page at `{path}`: {reason}")]
    BadPath {
        /// The path as given.
        path: String,
        /// What is wrong and what to write instead.
        reason: String,
    },
    /// `new` onto an existing file.
    #[error("`{}` already exists; `majors new` never overwrites a page: choose another path, or edit that one", .0.display())]
    Exists(PathBuf),
}

/// Writes the starter site into `dir` (created if missing, refused if not empty); `title`
/// replaces the starter's. Returns the files written, relative to `dir`, in order.
pub fn init(dir: &Path, title: Option<&str>) -> Result<Vec<String>, ScaffoldError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ScaffoldError::Io { path, source }
    };
    if dir.exists() || dir.is_symlink() {
        if !dir.is_dir() {
            return Err(ScaffoldError::NotAFolder(dir.to_path_buf()));
        }
        if std::fs::read_dir(dir).map_err(io(dir))?.next().is_some() {
            return Err(ScaffoldError::NotEmpty(dir.to_path_buf()));
        }
    }
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut files = Vec::new();
    collect(&STARTER, &mut files);
    files.sort_by_key(|(rel, _)| rel.clone());
    let title_line = title.map(|t| format!("title: {}", yaml_string(t)));
    let mut written = Vec::new();
    for (rel, bytes) in files {
        let target = dir.join(&rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        let text;
        let bytes = match (&title_line, rel.as_str()) {
            (Some(line), "site.yaml" | "content/_index.md") => {
                text = String::from_utf8_lossy(bytes).replacen(STARTER_TITLE, line, 1);
                text.as_bytes()
            }
            _ => bytes,
        };
        create_new(&target, bytes)?;
        written.push(rel);
    }
    Ok(written)
}

fn collect(dir: &'static Dir<'static>, out: &mut Vec<(String, &'static [u8])>) {
    for f in dir.files() {
        out.push((f.path().to_string_lossy().replace('\\', "/"), f.contents()));
    }
    for d in dir.dirs() {
        collect(d, out);
    }
}

/// Writes a file that must not exist yet.
pub(crate) fn create_new(path: &Path, bytes: &[u8]) -> Result<(), ScaffoldError> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::AlreadyExists => ScaffoldError::Exists(path.to_path_buf()),
            _ => ScaffoldError::Io {
                path: path.to_path_buf(),
                source,
            },
        })?;
    file.write_all(bytes).map_err(|source| ScaffoldError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// A YAML scalar for any text: plain when that reads back as the same string, otherwise
/// double-quoted (a JSON string is a valid YAML double-quoted scalar).
pub(crate) fn yaml_string(s: &str) -> String {
    let plain = !s.is_empty()
        && s.trim() == s
        && s.chars()
            .all(|c| c.is_alphanumeric() || " -_.,()'".contains(c))
        && !s.starts_with(['-', '\'', '.'])
        && matches!(serde_norway::from_str::<serde_norway::Value>(s), Ok(serde_norway::Value::String(v)) if v == s);
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_written_as_yaml_that_reads_back_the_same() {
        for t in [
            "Acme notes",
            "true",
            "12",
            "a: b",
            "#x",
            "Say \"hi\"",
            "null",
            "- x",
            "日本語",
        ] {
            let line = format!("title: {}", yaml_string(t));
            let v: serde_norway::Value = serde_norway::from_str(&line).unwrap();
            assert_eq!(v["title"].as_str(), Some(t), "{line}");
        }
        assert_eq!(yaml_string("Acme notes"), "Acme notes");
    }
}
