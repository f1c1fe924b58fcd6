//! A staged write: a build offers its files as it renders them, and [`Staging::commit`]
//! makes the output folder hold the new build in one step.
//!
//! - No previous build (the folder is missing or empty): files go into a fresh folder beside
//!   the output (`.public.majors-staging`), which is renamed into place.
//! - A previous build: files whose bytes are unchanged are left alone; changed ones go into
//!   the spare beside the output ([`super::spare`]), which is completed and then swapped
//!   with the output in one `renameat2(RENAME_EXCHANGE)`. When nothing changed, nothing is
//!   written at all.
//!
//! Either way a `kill -9` at any moment leaves the output folder holding the complete old
//! build or the complete new one, never a mix, and nothing of the stage inside it. Where no
//! folder can be made beside the output (its parent is read-only, or the output is a mount
//! point), files are staged inside it and moved one by one: the same result, but a crash
//! during the commit can leave a mix (see `ARCHITECTURE.md`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::manifest::{is_plain_relative, manifest_text, read_manifest, ManifestProblem, MANIFEST};
use super::spare::{open_spare, sync_spare, write_new, SpareTarget};
use super::swap::{exchange, remove_leftover, same_device, STAGE_MARKER};
use super::tree::{first_conflict, folders_of, read_old_tree, OldTree, INNER_STAGE};
use super::{OutputError, WriteStats};

/// How the stage becomes the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// No previous build (the folder is missing or empty): the stage is renamed into place.
    Fresh,
    /// A previous build: changed files go into the spare, which then swaps with the output.
    Swap,
    /// Staged inside the output folder and moved file by file (no folder possible beside it).
    InPlace,
}

/// A write in progress into one output folder.
pub struct Staging {
    dir: PathBuf,
    stage: PathBuf,
    mode: Mode,
    old: OldTree,
    old_manifest: BTreeSet<String>,
    staged: Mutex<Vec<String>>,
    kept: Mutex<Vec<String>>,
    /// The spare has been opened for changes (Swap mode; opened by the first changed file).
    spare_open: std::sync::OnceLock<Result<(), String>>,
}

fn write_err(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// The folder beside `dir` named `.<name>.<suffix>`.
fn sibling(dir: &Path, suffix: &str) -> Option<PathBuf> {
    let parent = dir.parent()?;
    let name = dir.file_name()?.to_string_lossy();
    Some(parent.join(format!(".{name}.{suffix}")))
}

/// The stage of a first build, beside the output.
const FRESH_STAGE: &str = "majors-staging";
/// The previous build, kept beside the output.
pub const SPARE: &str = "majors-previous";

impl Staging {
    /// Starts a write into `dir` (canonical, from [`super::resolve_output_dir`]). Refuses a
    /// folder majors does not own, before anything is touched.
    pub fn begin(dir: &Path) -> Result<Self, OutputError> {
        let (old_manifest, fresh) = ownership(dir)?;
        let old = if fresh {
            OldTree::default()
        } else {
            read_old_tree(dir, &old_manifest)?
        };
        let fresh_stage = sibling(dir, FRESH_STAGE);
        if let Some(s) = &fresh_stage {
            remove_leftover(s)?;
        }
        if dir.is_dir() {
            remove_leftover(&dir.join(INNER_STAGE))?;
        }
        let beside = fresh_stage
            .as_deref()
            .is_some_and(|s| can_stage_beside(dir, s));
        let (stage, mode) = match (beside, fresh) {
            (true, true) => (fresh_stage.expect("invariant: checked above"), Mode::Fresh),
            (true, false) => (
                sibling(dir, SPARE).expect("invariant: a sibling stage exists"),
                Mode::Swap,
            ),
            (false, _) => {
                std::fs::create_dir_all(dir).map_err(write_err(dir))?;
                (dir.join(INNER_STAGE), Mode::InPlace)
            }
        };
        if mode != Mode::Swap {
            std::fs::create_dir(&stage).map_err(write_err(&stage))?;
            std::fs::write(stage.join(STAGE_MARKER), b"").map_err(write_err(&stage))?;
        }
        Ok(Staging {
            dir: dir.to_path_buf(),
            stage,
            mode,
            old,
            old_manifest,
            staged: Mutex::default(),
            kept: Mutex::default(),
            spare_open: std::sync::OnceLock::new(),
        })
    }

    /// Opens the spare for changes, once.
    fn open(&self) -> Result<(), OutputError> {
        match self
            .spare_open
            .get_or_init(|| open_spare(&self.stage).map_err(|e| format!("{e:#}")))
        {
            Ok(()) => Ok(()),
            Err(why) => Err(OutputError::Write {
                path: self.stage.clone(),
                source: std::io::Error::other(why.clone()),
            }),
        }
    }

    /// Offers one output file: bytes equal to the previous build's file are kept, others are
    /// written into the stage.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        if !is_plain_relative(rel) || rel == MANIFEST || rel.starts_with(INNER_STAGE) {
            return Err(OutputError::Write {
                path: self.dir.join(rel),
                source: std::io::Error::other("not a plain path inside the output folder"),
            });
        }
        let old = self.dir.join(rel);
        let same = self.old.owned.get(rel) == Some(&(bytes.len() as u64))
            && std::fs::read(&old).is_ok_and(|b| b == bytes);
        if same {
            lock(&self.kept, &old)?.push(rel.to_string());
            return Ok(());
        }
        if self.mode == Mode::Swap {
            self.open()?;
        }
        write_new(&self.stage, rel, bytes)?;
        lock(&self.staged, &old)?.push(rel.to_string());
        Ok(())
    }

    /// Makes the output folder hold exactly the files put, plus the foreign entries it had.
    pub fn commit(self) -> Result<WriteStats, OutputError> {
        let staged = take(&self.staged, &self.stage)?;
        let kept = take(&self.kept, &self.stage)?;
        let produced: BTreeSet<&str> = staged.iter().chain(&kept).map(String::as_str).collect();
        if let Some((foreign, p)) = first_conflict(&self.old.foreign, &produced) {
            let err = OutputError::Foreign {
                path: self.dir.join(foreign),
                reason: format!("the build writes `{p}` there and majors did not write what is there now (it is not in `{MANIFEST}`); move it away, or into `static/` so the build owns it"),
            };
            self.abort();
            return Err(err);
        }
        let stale: Vec<&str> = self
            .old_manifest
            .iter()
            .map(String::as_str)
            .filter(|f| !produced.contains(f))
            .collect();
        let removed = stale
            .iter()
            .filter(|f| self.old.owned.contains_key(**f))
            .count();
        let stats = WriteStats {
            written: staged.len(),
            unchanged: kept.len(),
            removed,
        };
        let manifest = manifest_text(produced.iter().copied());
        match self.mode {
            Mode::Swap if staged.is_empty() && stale.is_empty() => {
                // Nothing changed: write nothing (not even the manifest when it is the same).
                let same =
                    std::fs::read_to_string(self.dir.join(MANIFEST)).is_ok_and(|m| m == manifest);
                if !same {
                    replace_file(&self.dir, MANIFEST, &manifest)?;
                }
            }
            Mode::Swap => {
                self.open()?;
                let target = SpareTarget {
                    produced: &produced,
                    kept: &kept,
                    foreign: &self.old.foreign,
                };
                sync_spare(&self.dir, &self.stage, &target, &manifest)?;
                exchange(&self.stage, &self.dir)?;
            }
            Mode::Fresh => {
                let path = self.stage.join(MANIFEST);
                std::fs::write(&path, &manifest).map_err(write_err(&path))?;
                let marker = self.stage.join(STAGE_MARKER);
                std::fs::remove_file(&marker).map_err(write_err(&marker))?;
                if let Some(old) = exchange(&self.stage, &self.dir)? {
                    // The empty folder that was there.
                    let _ = std::fs::remove_dir(old);
                }
            }
            Mode::InPlace => self.commit_in_place(&staged, &stale, &manifest)?,
        }
        Ok(stats)
    }

    /// Discards everything staged; the output folder is left as it was. (A spare opened for
    /// changes stays beside the output, marked, and the next build reuses it.)
    pub fn abort(self) {
        if self.mode != Mode::Swap {
            let _ = remove_leftover(&self.stage);
        }
    }

    fn commit_in_place(
        &self,
        staged: &[String],
        stale: &[&str],
        manifest: &str,
    ) -> Result<(), OutputError> {
        for rel in stale {
            if self.old.owned.contains_key(*rel) {
                let p = self.dir.join(rel);
                std::fs::remove_file(&p).map_err(write_err(&p))?;
            }
        }
        prune_empty_parents(&self.dir, stale);
        for rel in staged {
            let to = self.dir.join(rel);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(write_err(parent))?;
            }
            std::fs::rename(self.stage.join(rel), &to).map_err(write_err(&to))?;
        }
        replace_file(&self.dir, MANIFEST, manifest)?;
        remove_leftover(&self.stage)
    }
}

/// Whether `dir` is majors' to write: its manifest (empty for a missing or empty folder), and
/// whether it is fresh (nothing there yet).
fn ownership(dir: &Path) -> Result<(BTreeSet<String>, bool), OutputError> {
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((BTreeSet::new(), true)),
        Err(e) => {
            return Err(OutputError::Read {
                path: dir.to_path_buf(),
                source: e,
            })
        }
        Ok(m) if !m.is_dir() => {
            return Err(OutputError::Foreign {
                path: dir.to_path_buf(),
                reason: "it is not a folder".into(),
            })
        }
        Ok(_) => {}
    }
    match read_manifest(dir) {
        Ok(files) => Ok((files, false)),
        Err(ManifestProblem::Missing) => {
            let empty = std::fs::read_dir(dir)
                .map_err(|e| OutputError::Read { path: dir.to_path_buf(), source: e })?
                .next()
                .is_none();
            if empty {
                Ok((BTreeSet::new(), true))
            } else {
                Err(OutputError::NotOurs { path: dir.to_path_buf() })
            }
        }
        Err(ManifestProblem::Damaged(why)) => Err(OutputError::Foreign {
            path: dir.join(MANIFEST),
            reason: format!("majors cannot read it ({why}), so it cannot tell which files it wrote; delete the folder if it holds nothing you need"),
        }),
        Err(ManifestProblem::Io(e)) => Err(OutputError::Read { path: dir.join(MANIFEST), source: e }),
    }
}

/// True when a stage beside `dir` can be made and swapped with it (same file system).
fn can_stage_beside(dir: &Path, stage: &Path) -> bool {
    let Some(parent) = stage.parent() else {
        return false;
    };
    if std::fs::create_dir_all(parent).is_err() {
        return false;
    }
    if dir.exists() && !same_device(dir, parent) {
        return false;
    }
    // Probe that the parent is writable, without leaving anything behind.
    match std::fs::create_dir(stage) {
        Ok(()) => std::fs::remove_dir(stage).is_ok(),
        Err(_) => false,
    }
}

/// Writes `dir/name` through a temporary file and a rename, so it is never half written.
fn replace_file(dir: &Path, name: &str, text: &str) -> Result<(), OutputError> {
    let tmp = dir.join(format!("{name}.tmp"));
    std::fs::write(&tmp, text).map_err(write_err(&tmp))?;
    let to = dir.join(name);
    std::fs::rename(&tmp, &to).map_err(write_err(&to))
}

/// Removes folders left empty by deleting `files` (deepest first); never the root.
fn prune_empty_parents(root: &Path, files: &[&str]) {
    let mut dirs = folders_of(files.iter().copied());
    dirs.reverse();
    for d in dirs {
        let _ = std::fs::remove_dir(root.join(d));
    }
}

fn lock<'a, T>(m: &'a Mutex<T>, path: &Path) -> Result<std::sync::MutexGuard<'a, T>, OutputError> {
    m.lock().map_err(|_| poisoned(path))
}

fn take(m: &Mutex<Vec<String>>, path: &Path) -> Result<Vec<String>, OutputError> {
    Ok(std::mem::take(&mut *lock(m, path)?))
}

fn poisoned(path: &Path) -> OutputError {
    OutputError::Write {
        path: path.to_path_buf(),
        source: std::io::Error::other("a writer thread panicked"),
    }
}
