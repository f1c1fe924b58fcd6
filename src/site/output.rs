//! The output folder: where it may be, and writing only what changed.
//!
//! This is the only module that writes to the output folder. A build hands it the complete
//! set of files (path -> bytes) only after every check passed; it then rewrites the files
//! whose bytes differ, leaves identical ones alone (on disk, touching fewer files is what
//! makes a rebuild fast), and deletes files the build no longer produces.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

/// Environment failures around the output folder.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The configured folder would overwrite the site itself.
    #[error("refusing to use `{}` as the output folder: {reason}; set `output_dir` in site.yaml to a folder such as `public`", path.display())]
    Unsafe {
        /// The folder.
        path: PathBuf,
        /// Why it is refused.
        reason: &'static str,
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
    /// Stale files deleted.
    pub removed: usize,
}

/// Lexically normalizes a path (no file system access): resolves `.` and `..`.
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

/// Resolves the output folder and refuses ones that would destroy the site.
pub fn resolve_output_dir(root: &Path, configured: &Path) -> Result<PathBuf, OutputError> {
    let root = normalize(&std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf()));
    let out = normalize(&root.join(configured));
    let refuse = |reason| {
        Err(OutputError::Unsafe {
            path: out.clone(),
            reason,
        })
    };
    if out.parent().is_none() {
        return refuse("it is the file system root");
    }
    if out == root {
        return refuse("it is the site root");
    }
    if root.starts_with(&out) {
        return refuse("it contains the site");
    }
    for protected in ["content", "templates", "static", "themes"] {
        let p = root.join(protected);
        if out == p || out.starts_with(&p) {
            return refuse("it is inside a source folder of the site");
        }
    }
    Ok(out)
}

/// Makes the output folder hold exactly `files`, writing only what changed.
pub fn write_output(
    dir: &Path,
    files: &BTreeMap<String, crate::site::build::FileBytes>,
) -> Result<WriteStats, OutputError> {
    let err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| OutputError::Write { path, source }
    };
    std::fs::create_dir_all(dir).map_err(err(dir))?;
    let results: Vec<Result<bool, OutputError>> = files
        .par_iter()
        .map(|(rel, bytes)| {
            let path = dir.join(rel);
            if let Ok(meta) = std::fs::symlink_metadata(&path) {
                if meta.is_file()
                    && meta.len() == bytes.len() as u64
                    && std::fs::read(&path).is_ok_and(|old| old == *bytes.bytes())
                {
                    return Ok(false);
                }
                if meta.is_dir() {
                    std::fs::remove_dir_all(&path).map_err(err(&path))?;
                } else if meta.file_type().is_symlink() {
                    // Never write through a symlink: it could point outside the output folder.
                    std::fs::remove_file(&path).map_err(err(&path))?;
                }
            }
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(err(parent))?;
            }
            std::fs::write(&path, bytes.bytes()).map_err(err(&path))?;
            Ok(true)
        })
        .collect();
    let mut stats = WriteStats::default();
    for r in results {
        if r? {
            stats.written += 1;
        } else {
            stats.unchanged += 1;
        }
    }
    stats.removed = remove_stale(dir, files)?;
    Ok(stats)
}

/// A write in two phases for builds too large to hold in memory: pages are compared with the
/// output folder as they are rendered; changed ones go to a hidden staging folder inside it.
/// [`Staging::commit`] moves them into place and removes stale files; [`Staging::abort`]
/// deletes the staging folder, leaving the previous output exactly as it was.
pub struct Staging {
    dir: PathBuf,
    stage: PathBuf,
    /// The output folder did not exist or was empty: the stage is a sibling folder that
    /// [`Staging::commit`] renames into place in one step (there is nothing to compare with).
    fresh: bool,
    staged: std::sync::Mutex<Vec<String>>,
    kept: std::sync::Mutex<Vec<String>>,
}

/// Name of the staging folder inside the output folder.
const STAGING: &str = ".majors-staging";

/// The sibling staging folder for an output folder that does not exist yet, or exists, is
/// empty and is on the same file system as its parent (so a rename can replace it); `None`
/// otherwise (then pages are staged inside it and compared with what is there).
fn fresh_stage(dir: &Path) -> Option<PathBuf> {
    let parent = dir.parent()?;
    let name = dir.file_name()?.to_string_lossy();
    let sibling = parent.join(format!(".{name}{STAGING}"));
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(sibling),
        Ok(meta) if meta.is_dir() => {
            let empty = std::fs::read_dir(dir).ok()?.next().is_none();
            (empty && same_device(dir, parent)).then_some(sibling)
        }
        _ => None,
    }
}

#[cfg(unix)]
fn same_device(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_device(_: &Path, _: &Path) -> bool {
    false
}

impl Staging {
    /// Starts a staged write into `dir` (created if missing; an old staging folder is removed).
    pub fn begin(dir: &Path) -> Result<Self, OutputError> {
        let stage = dir.join(STAGING);
        let err = |path: &Path| {
            let path = path.to_path_buf();
            move |source| OutputError::Write { path, source }
        };
        if let Some(sibling) = fresh_stage(dir) {
            let _ = std::fs::remove_dir_all(&sibling);
            if std::fs::create_dir_all(&sibling).is_ok() {
                return Ok(Staging {
                    dir: dir.to_path_buf(),
                    stage: sibling,
                    fresh: true,
                    staged: Default::default(),
                    kept: Default::default(),
                });
            }
        }
        if stage.exists() {
            std::fs::remove_dir_all(&stage).map_err(err(&stage))?;
        }
        std::fs::create_dir_all(&stage).map_err(err(&stage))?;
        Ok(Staging {
            dir: dir.to_path_buf(),
            stage,
            fresh: false,
            staged: Default::default(),
            kept: Default::default(),
        })
    }

    /// Offers one output file: identical bytes are left alone, others are staged.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let target = self.dir.join(rel);
        let same = !self.fresh
            && std::fs::symlink_metadata(&target)
                .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
            && std::fs::read(&target).is_ok_and(|old| old == bytes);
        if same {
            self.kept
                .lock()
                .map_err(|_| poisoned(&target))?
                .push(rel.to_string());
            return Ok(());
        }
        let path = self.stage.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| OutputError::Write {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(&path, bytes).map_err(|source| OutputError::Write {
            path: path.clone(),
            source,
        })?;
        self.staged
            .lock()
            .map_err(|_| poisoned(&path))?
            .push(rel.to_string());
        Ok(())
    }

    /// Moves staged files into place and deletes files no longer produced.
    pub fn commit(self) -> Result<WriteStats, OutputError> {
        let staged = self
            .staged
            .into_inner()
            .map_err(|_| poisoned(&self.stage))?;
        let kept = self.kept.into_inner().map_err(|_| poisoned(&self.stage))?;
        // A fresh output folder is replaced by the stage in one rename (when it is still empty).
        if self.fresh
            && (!self.dir.exists() || std::fs::remove_dir(&self.dir).is_ok())
            && std::fs::rename(&self.stage, &self.dir).is_ok()
        {
            return Ok(WriteStats {
                written: staged.len(),
                unchanged: 0,
                removed: 0,
            });
        }
        for rel in &staged {
            let to = self.dir.join(rel);
            let err = |source| OutputError::Write {
                path: to.clone(),
                source,
            };
            if let Ok(meta) = std::fs::symlink_metadata(&to) {
                if meta.is_dir() {
                    std::fs::remove_dir_all(&to).map_err(err)?;
                } else if meta.file_type().is_symlink() {
                    std::fs::remove_file(&to).map_err(err)?;
                }
            }
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|source| OutputError::Write {
                    path: parent.to_path_buf(),
                    source,
                })?;
            }
            std::fs::rename(self.stage.join(rel), &to).map_err(err)?;
        }
        let _ = std::fs::remove_dir_all(&self.stage);
        let produced: std::collections::BTreeSet<&str> =
            staged.iter().chain(&kept).map(String::as_str).collect();
        let removed = remove_stale_except(&self.dir, |rel| produced.contains(rel))?;
        Ok(WriteStats {
            written: staged.len(),
            unchanged: kept.len(),
            removed,
        })
    }

    /// Discards everything staged.
    pub fn abort(self) {
        let _ = std::fs::remove_dir_all(&self.stage);
    }
}

fn poisoned(path: &Path) -> OutputError {
    OutputError::Write {
        path: path.to_path_buf(),
        source: std::io::Error::other("a writer thread panicked"),
    }
}

/// Deletes files (and then empty folders) that the build did not produce.
fn remove_stale(
    dir: &Path,
    files: &BTreeMap<String, crate::site::build::FileBytes>,
) -> Result<usize, OutputError> {
    remove_stale_except(dir, |rel| files.contains_key(rel))
}

fn remove_stale_except(dir: &Path, keep: impl Fn(&str) -> bool) -> Result<usize, OutputError> {
    let mut removed = 0;
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).follow_links(false) {
        let Ok(entry) = entry else { continue };
        let rel = entry
            .path()
            .strip_prefix(dir)
            .expect("invariant: walkdir yields paths under its root")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        if entry.file_type().is_dir() {
            dirs.push(entry.path().to_path_buf());
        } else if !keep(&rel) {
            std::fs::remove_file(entry.path()).map_err(|source| OutputError::Write {
                path: entry.path().to_path_buf(),
                source,
            })?;
            removed += 1;
        }
    }
    // Deepest first, so a folder emptied by its children's removal goes too.
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in dirs {
        let _ = std::fs::remove_dir(&d);
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::build::FileBytes;

    #[test]
    fn staged_writes_commit_or_leave_everything_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("keep.txt"), b"same").unwrap();
        std::fs::write(dir.path().join("old.txt"), b"stale").unwrap();
        let s = Staging::begin(dir.path()).unwrap();
        s.put("keep.txt", b"same").unwrap();
        s.put("a/new.txt", b"new").unwrap();
        s.abort();
        assert!(!dir.path().join("a").exists() && dir.path().join("old.txt").exists());
        assert!(!dir.path().join(STAGING).exists());
        let s = Staging::begin(dir.path()).unwrap();
        s.put("keep.txt", b"same").unwrap();
        s.put("a/new.txt", b"new").unwrap();
        let stats = s.commit().unwrap();
        assert_eq!((stats.written, stats.unchanged, stats.removed), (1, 1, 1));
        assert_eq!(std::fs::read(dir.path().join("a/new.txt")).unwrap(), b"new");
        assert!(!dir.path().join("old.txt").exists() && !dir.path().join(STAGING).exists());
    }

    #[test]
    fn a_missing_or_empty_output_folder_is_staged_beside_it_and_renamed() {
        let root = tempfile::tempdir().unwrap();
        for existing in [false, true] {
            let out = root.path().join("public");
            if existing {
                std::fs::create_dir(&out).unwrap();
            }
            let sibling = root.path().join(format!(".public{STAGING}"));
            let s = Staging::begin(&out).unwrap();
            s.put("a/b.txt", b"x").unwrap();
            assert!(
                sibling.join("a/b.txt").is_file(),
                "staged beside the output"
            );
            s.abort();
            assert!(!sibling.exists());
            assert_eq!(out.exists(), existing, "abort leaves the folder as it was");
            let s = Staging::begin(&out).unwrap();
            s.put("a/b.txt", b"x").unwrap();
            s.put("index.html", b"i").unwrap();
            let stats = s.commit().unwrap();
            assert_eq!((stats.written, stats.unchanged, stats.removed), (2, 0, 0));
            assert_eq!(std::fs::read(out.join("a/b.txt")).unwrap(), b"x");
            assert!(!sibling.exists() && !out.join(STAGING).exists());
            std::fs::remove_dir_all(&out).unwrap();
        }
    }

    #[test]
    fn dangerous_output_dirs_are_refused() {
        let root = Path::new("/srv/site");
        assert!(resolve_output_dir(root, Path::new(".")).is_err());
        assert!(resolve_output_dir(root, Path::new("content")).is_err());
        assert!(resolve_output_dir(root, Path::new("content/x")).is_err());
        assert!(resolve_output_dir(root, Path::new("/")).is_err());
        assert!(resolve_output_dir(root, Path::new("..")).is_err());
        assert!(resolve_output_dir(root, Path::new("../../..")).is_err());
        assert_eq!(
            resolve_output_dir(root, Path::new("public")).unwrap(),
            Path::new("/srv/site/public")
        );
        assert_eq!(
            resolve_output_dir(root, Path::new("/tmp/out")).unwrap(),
            Path::new("/tmp/out")
        );
    }

    #[test]
    fn writes_only_changes_and_removes_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let mut files = BTreeMap::new();
        files.insert(
            "a/index.html".to_string(),
            FileBytes::plain(b"one".to_vec()),
        );
        files.insert("b.txt".to_string(), FileBytes::packed(b"two".repeat(300)));
        let s = write_output(dir.path(), &files).unwrap();
        assert_eq!((s.written, s.unchanged, s.removed), (2, 0, 0));
        files.remove("a/index.html");
        files.insert("b.txt".to_string(), FileBytes::packed(b"two".repeat(300)));
        files.insert("c.txt".to_string(), FileBytes::plain(b"new".to_vec()));
        let s = write_output(dir.path(), &files).unwrap();
        assert_eq!((s.written, s.unchanged, s.removed), (1, 1, 1));
        assert!(!dir.path().join("a").exists(), "empty folder left behind");
        assert_eq!(std::fs::read(dir.path().join("c.txt")).unwrap(), b"new");
    }
}
