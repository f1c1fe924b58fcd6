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

/// True for names editors and OSes leave behind: swap, backup and lock files.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name.starts_with('#')
}

/// Lists files under `dir` (sorted, ignored names skipped) as (absolute, relative `/` path).
pub fn walk_files(dir: &Path) -> Result<Vec<(PathBuf, String)>, LoadError> {
    let mut files = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(true)
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
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .expect("invariant: walkdir yields paths under its root")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        files.push((entry.path().to_path_buf(), rel));
    }
    Ok(files)
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

/// Template files of a folder: (name relative to the folder, file id).
pub fn load_templates(
    dir: &Path,
    label: &str,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<(String, FileId)>, LoadError> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for (abs, rel) in walk_files(dir)? {
        let id = read_text(&abs, format!("{label}/{rel}"), sources, diags)?;
        out.push((rel, id));
    }
    Ok(out)
}

/// Last commit date (`YYYY-MM-DD`) of each file under `root/content`, keyed by the path under
/// `content/`, from `git log`. Empty when the site is not in a git work tree or git is missing.
pub fn git_dates(root: &Path) -> std::collections::HashMap<String, String> {
    let mut dates = std::collections::HashMap::new();
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "log",
            "--relative",
            "--name-only",
            "--format=%x00%cs",
            "--",
            "content",
        ])
        .stderr(std::process::Stdio::null())
        .output();
    let Ok(output) = output else { return dates };
    if !output.status.success() {
        return dates;
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut current = String::new();
    for line in text.lines() {
        if let Some(date) = line.strip_prefix('\0') {
            current = date.to_string();
        } else if let Some(rel) = line.strip_prefix("content/") {
            // Newest commits come first: keep the first date seen for each path.
            dates
                .entry(rel.to_string())
                .or_insert_with(|| current.clone());
        }
    }
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

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
        ] {
            assert!(is_ignored_name(name), "{name}");
        }
        for name in ["a.md", "peru.md", "_index.md", "logo.png"] {
            assert!(!is_ignored_name(name), "{name}");
        }
    }
}
