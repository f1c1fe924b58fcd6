//! What an existing output folder holds, read without following any symlink.
//!
//! Every entry is either *owned* (a regular file the previous build's manifest lists) or
//! *foreign* (anything else: a file the user put there, a symlink, an empty folder). Owned
//! files may be replaced or deleted; foreign ones are kept exactly as they are, and a build
//! that would write where a foreign entry stands (or through it, when it is a symlink to a
//! folder elsewhere) is refused.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::manifest::MANIFEST;
use super::OutputError;

/// Name of the staging folder used inside the output folder when none can be made beside it.
pub const INNER_STAGE: &str = ".majors-staging";

/// A foreign entry's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Foreign {
    /// A regular file (carried over as a hard link).
    File,
    /// A symlink (carried over as the same link, never followed).
    Symlink,
    /// A folder with nothing in it.
    EmptyDir,
}

/// The previous output, as found on disk.
#[derive(Debug, Default)]
pub struct OldTree {
    /// Owned regular files: relative path -> length.
    pub owned: HashMap<String, u64>,
    /// Foreign entries, in path order.
    pub foreign: Vec<(String, Foreign)>,
}

/// Relative `/` path of `path` under `root`.
pub fn rel_path(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .expect("invariant: walkdir yields paths under its root")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn read_error(path: &Path, source: std::io::Error) -> OutputError {
    OutputError::Read {
        path: path.to_path_buf(),
        source,
    }
}

/// Reads `dir` (which exists and has a manifest listing `manifest`). A FIFO, socket or device
/// file is refused: it cannot be carried into a new folder, and majors does not delete it.
pub fn read_old_tree(dir: &Path, manifest: &BTreeSet<String>) -> Result<OldTree, OutputError> {
    let mut tree = OldTree::default();
    let walker = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            !(e.depth() == 1 && matches!(e.file_name().to_str(), Some(MANIFEST | INNER_STAGE)))
        });
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e
                .path()
                .map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
            read_error(
                &path,
                e.into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("walk failed")),
            )
        })?;
        let rel = rel_path(dir, entry.path());
        let kind = entry.file_type();
        if kind.is_dir() {
            let empty = std::fs::read_dir(entry.path())
                .map_err(|e| read_error(entry.path(), e))?
                .next()
                .is_none();
            if empty {
                tree.foreign.push((rel, Foreign::EmptyDir));
            }
        } else if kind.is_symlink() {
            tree.foreign.push((rel, Foreign::Symlink));
        } else if kind.is_file() {
            if manifest.contains(&rel) {
                let len = entry
                    .metadata()
                    .map_err(|e| read_error(entry.path(), e.into()))?
                    .len();
                tree.owned.insert(rel, len);
            } else {
                tree.foreign.push((rel, Foreign::File));
            }
        } else {
            return Err(OutputError::Foreign {
                path: entry.path().to_path_buf(),
                reason: "it is a FIFO, socket or device file that majors did not write; move it out of the output folder".into(),
            });
        }
    }
    Ok(tree)
}

/// The first foreign entry that a build producing `produced` would overwrite or write
/// through: (foreign path, produced path).
pub fn first_conflict<'a>(
    foreign: &'a [(String, Foreign)],
    produced: &BTreeSet<&'a str>,
) -> Option<(&'a str, &'a str)> {
    // Every folder a produced file needs.
    let mut folders: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for p in produced {
        let mut rest: &str = p;
        while let Some((parent, _)) = rest.rsplit_once('/') {
            if !folders.insert(parent) {
                break;
            }
            rest = parent;
        }
    }
    for (path, kind) in foreign {
        if let Some(p) = produced.get(path.as_str()) {
            return Some((path, *p));
        }
        // A produced file under it: a file, or a symlink the write would follow, is in the
        // way (a real empty folder is not).
        if *kind != Foreign::EmptyDir && folders.contains(path.as_str()) {
            let below = format!("{path}/");
            let p = produced.iter().copied().find(|p| p.starts_with(&below))?;
            return Some((path, p));
        }
        // A produced file where one of its folders should be.
        let mut prefix = path.as_str();
        while let Some((parent, _)) = prefix.rsplit_once('/') {
            if let Some(p) = produced.get(parent) {
                return Some((path, *p));
            }
            prefix = parent;
        }
    }
    None
}

#[cfg(unix)]
pub(super) fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
pub(super) fn symlink(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other("symlinks are not supported here"))
}

/// Parent folders of `files` (relative), each once, parents before children.
pub fn folders_of<'a>(files: impl IntoIterator<Item = &'a str>) -> Vec<PathBuf> {
    let mut dirs = BTreeSet::new();
    for f in files {
        let mut p = f;
        while let Some((parent, _)) = p.rsplit_once('/') {
            if !dirs.insert(parent.to_string()) {
                break;
            }
            p = parent;
        }
    }
    dirs.into_iter().map(PathBuf::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set<'a>(v: &[&'a str]) -> BTreeSet<&'a str> {
        v.iter().copied().collect()
    }

    #[test]
    fn conflicts_cover_same_path_below_and_above() {
        let f = |p: &str, k| vec![(p.to_string(), k)];
        let produced = set(&["a/index.html", "b", "c/d/e.html"]);
        assert_eq!(
            first_conflict(&f("b", Foreign::File), &produced),
            Some(("b", "b"))
        );
        // A symlinked folder in the way of a produced file (writing would follow it).
        assert_eq!(
            first_conflict(&f("a", Foreign::Symlink), &produced),
            Some(("a", "a/index.html"))
        );
        // A foreign file inside a folder the build now writes as a file.
        assert_eq!(
            first_conflict(&f("b/x.txt", Foreign::File), &produced),
            Some(("b/x.txt", "b"))
        );
        // Foreign files beside produced ones are fine, and so is a real empty folder.
        assert_eq!(
            first_conflict(&f("a/CNAME", Foreign::File), &produced),
            None
        );
        assert_eq!(first_conflict(&f("c", Foreign::EmptyDir), &produced), None);
        assert_eq!(
            first_conflict(&f("c/d/e.html", Foreign::EmptyDir), &produced),
            Some(("c/d/e.html", "c/d/e.html"))
        );
    }

    #[test]
    fn folders_are_listed_parents_first() {
        let dirs = folders_of(["a/b/c.html", "a/d.html", "e.html"]);
        assert_eq!(dirs, vec![PathBuf::from("a"), PathBuf::from("a/b")]);
    }
}
