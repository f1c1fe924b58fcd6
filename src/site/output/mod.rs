//! The output folder: where it may be, what majors owns in it, and writing a build into it.
//!
//! This is the only module that writes to the output folder. The rules it keeps:
//! - majors deletes or replaces only files a previous build listed in its manifest
//!   ([`manifest`]); a non-empty folder without one is refused, and so is a build that would
//!   overwrite, or write through, an entry majors did not write;
//! - every check on the output path uses canonical paths, so a symlink cannot turn the output
//!   folder into the site, its sources or a parent of the site;
//! - no write follows a symlink: new files go into a stage majors created itself;
//! - a build replaces the old output in one step ([`stage`]), and writes nothing when nothing
//!   changed.

mod manifest;
pub mod previous;
mod spare;
mod stage;
mod swap;
mod tree;

use std::path::{Component, Path, PathBuf};

pub use manifest::MANIFEST;
pub use stage::Staging;

/// Environment failures around the output folder.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The configured folder would overwrite the site itself.
    #[error("refusing to use `{}` as the output folder: {reason}; {fix}", path.display())]
    Unsafe {
        /// The folder (canonical).
        path: PathBuf,
        /// Why it is refused.
        reason: String,
        /// What to do: where the folder was named decides ([`OutputError::named_by_flag`]).
        fix: &'static str,
    },
    /// A non-empty folder that no majors build wrote.
    #[error("refusing to write into `{}`: it is not empty and no majors build wrote it (it has no `{MANIFEST}`), and majors never deletes files it did not write; pass an empty or new folder to `--output-dir`, or delete this one if it holds nothing you need", path.display())]
    NotOurs {
        /// The folder.
        path: PathBuf,
    },
    /// An entry majors did not write is in the way.
    #[error("refusing to touch `{}`: {reason}", path.display())]
    Foreign {
        /// The entry.
        path: PathBuf,
        /// What is wrong and what to do.
        reason: String,
    },
    /// Reading the output folder failed.
    #[error("cannot read `{}`", path.display())]
    Read {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A write failed.
    #[error("cannot write `{}`", path.display())]
    Write {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// What a write did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    /// Files created or rewritten.
    pub written: usize,
    /// Files left alone because their bytes were identical.
    pub unchanged: usize,
    /// Files of the previous build deleted because this build no longer produces them.
    pub removed: usize,
}

/// Resolves `.` and `..` without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

impl OutputError {
    /// The same error for a folder given with `--output-dir` rather than in site.yaml.
    pub fn named_by_flag(self) -> Self {
        match self {
            OutputError::Unsafe { path, reason, .. } => OutputError::Unsafe {
                path,
                reason,
                fix: "pass `--output-dir` a folder outside the site's sources, such as `public`",
            },
            other => other,
        }
    }
}

/// The canonical form of a path that may not exist yet: its longest existing ancestor with
/// every symlink resolved, then the rest.
pub fn canonical_prefix(path: &Path) -> PathBuf {
    let path = normalize(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()));
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = std::fs::canonicalize(existing) {
            let mut out = c;
            out.extend(rest.iter().rev());
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return path,
        }
    }
}

/// Resolves the output folder (relative paths are relative to the site root) to a canonical
/// path, and refuses one that is, contains, or lies inside the site's sources, whichever
/// symlinks lead there.
pub fn resolve_output_dir(root: &Path, configured: &Path) -> Result<PathBuf, OutputError> {
    let root = canonical_prefix(root);
    let out = canonical_prefix(&root.join(configured));
    let refuse = |reason: &str| {
        Err(OutputError::Unsafe {
            path: out.clone(),
            reason: reason.to_string(),
            fix: "set `output_dir` in site.yaml to a folder such as `public`",
        })
    };
    if out.parent().is_none() {
        return refuse("it is the file system root");
    }
    // The folders majors keeps beside an output folder are its own, wholly: a build of
    // another output would clean one away.
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.ends_with(".majors-staging") || name.ends_with(".majors-previous") {
        return refuse("majors keeps its stages and previous builds under such names");
    }
    if out == root {
        return refuse("it is the site root");
    }
    if root.starts_with(&out) {
        return refuse("it contains the site");
    }
    for protected in [
        "content",
        "templates",
        "static",
        "themes",
        crate::config::CONFIG_FILE,
    ] {
        let p = canonical_prefix(&root.join(protected));
        if out.starts_with(&p) || p.starts_with(&out) {
            return refuse(&format!(
                "it is, contains or lies inside the site's `{protected}`"
            ));
        }
    }
    Ok(out)
}

/// Makes the output folder hold exactly `files` (plus what majors did not write there).
#[cfg(test)]
pub fn write_output(
    dir: &Path,
    files: &std::collections::BTreeMap<String, crate::file_bytes::FileBytes>,
) -> Result<WriteStats, OutputError> {
    let stage = Staging::begin(dir)?;
    for (rel, bytes) in files {
        if let Err(e) = stage.put(rel, &bytes.bytes()) {
            stage.abort();
            return Err(e);
        }
    }
    stage.commit()
}

#[cfg(test)]
mod tests;
