//! The spare folder beside the output (`.public.majors-previous`): the build before the
//! current one, kept so the next build can be written into it and swapped in whole.
//!
//! A build that changes anything writes its changed files into the spare (each through a
//! temporary file and a rename), hard-links its unchanged files there from the live output
//! (skipped when the two already share the inode), mirrors what majors did not write,
//! deletes what the new build does not have, writes the manifest, and then the spare and the
//! output swap places. The old output becomes the spare. Folders are reused rather than made
//! and deleted on every build, which on disks mounted with `discard` costs about a
//! millisecond each.
//!
//! Files are never modified in place, so a spare file and a live file that share an inode
//! never see each other's writes. Everything in the spare is majors' own; it holds the
//! [`STAGE_MARKER`] while it is being changed, and the manifest of the build it holds
//! otherwise, which is how a later build recognises it.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::manifest::MANIFEST;
use super::swap::STAGE_MARKER;
use super::tree::{rel_path, Foreign};
use super::OutputError;

fn write_err(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// Opens (or creates) the spare at `path` for changes: it must be majors' own; it is marked
/// as being changed until [`finish`].
pub fn open_spare(path: &Path) -> Result<(), OutputError> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir(path).map_err(write_err(path))?;
        }
        Err(e) => {
            return Err(OutputError::Read {
                path: path.to_path_buf(),
                source: e,
            })
        }
        Ok(m) => {
            let ours =
                m.is_dir() && (path.join(STAGE_MARKER).is_file() || path.join(MANIFEST).is_file());
            if !ours {
                return Err(OutputError::Foreign {
                    path: path.to_path_buf(),
                    reason: "majors keeps the previous build at this path, and what is there was not made by majors; move it away".into(),
                });
            }
        }
    }
    let marker = path.join(STAGE_MARKER);
    std::fs::write(&marker, b"").map_err(write_err(&marker))?;
    remove_symlinks(path)?;
    // The manifest no longer describes what the spare holds once it changes.
    let manifest = path.join(MANIFEST);
    match std::fs::remove_file(&manifest) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(write_err(&manifest)(e)),
        _ => Ok(()),
    }
}

/// Deletes every symlink in the spare (mirrors of the output's foreign links, which the commit
/// recreates): while files are written into it, nothing in it may lead elsewhere.
fn remove_symlinks(spare: &Path) -> Result<(), OutputError> {
    for entry in walkdir::WalkDir::new(spare)
        .min_depth(1)
        .follow_links(false)
    {
        let entry = entry.map_err(|e| OutputError::Read {
            path: spare.to_path_buf(),
            source: e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("walk failed")),
        })?;
        if entry.path_is_symlink() {
            std::fs::remove_file(entry.path()).map_err(write_err(entry.path()))?;
        }
    }
    Ok(())
}

/// Makes `root/rel` a real folder, replacing whatever file or symlink of majors' stands on
/// the way (inside the spare or a stage everything is majors' own; nothing is followed).
pub fn ensure_dir(root: &Path, rel: &str) -> Result<(), OutputError> {
    let mut path = root.to_path_buf();
    for seg in rel.split('/').filter(|s| !s.is_empty()) {
        path.push(seg);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_dir() => continue,
            Ok(_) => std::fs::remove_file(&path).map_err(write_err(&path))?,
            Err(_) => {}
        }
        if let Err(e) = std::fs::create_dir(&path) {
            // Another thread may have made it meanwhile.
            if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
                return Err(write_err(&path)(e));
            }
        }
    }
    Ok(())
}

/// The temporary name beside `path` (a dot file: no build output is ever named so).
fn temp_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.majors-tmp"))
}

/// Moves `tmp` to `path`, replacing a folder that stands there.
fn replace_with(tmp: &Path, path: &Path) -> Result<(), OutputError> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
        std::fs::remove_dir_all(path).map_err(write_err(path))?;
    }
    std::fs::rename(tmp, path).map_err(write_err(path))
}

/// Writes `bytes` to `root/rel` as a new file: created in place when nothing is there (the
/// common case), else through a temporary file and a rename, so an existing file, which may
/// share its inode with the live output, is replaced and never modified. `root` (a stage or
/// the spare) holds no symlinks, so creating folders cannot follow one.
pub fn write_new(root: &Path, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
    use std::io::Write;
    let path = root.join(rel);
    let create = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
    };
    let file = match create() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some((dir, _)) = rel.rsplit_once('/') {
                // A file of an older build where a folder is now needed: `ensure_dir` clears it.
                if std::fs::create_dir_all(root.join(dir)).is_err() {
                    ensure_dir(root, dir)?;
                }
            }
            create()
        }
        other => other,
    };
    match file {
        Ok(mut f) => f.write_all(bytes).map_err(write_err(&path)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let tmp = temp_beside(&path);
            std::fs::write(&tmp, bytes).map_err(write_err(&tmp))?;
            replace_with(&tmp, &path)
        }
        Err(e) => Err(write_err(&path)(e)),
    }
}

/// Makes `spare/rel` the same file as `live/rel` (a hard link, or a copy where the file
/// system has none), unless it already is.
fn link_from_live(live: &Path, spare: &Path, rel: &str) -> Result<(), OutputError> {
    let (src, dst) = (live.join(rel), spare.join(rel));
    if same_inode(&src, &dst) {
        return Ok(());
    }
    if let Some((dir, _)) = rel.rsplit_once('/') {
        ensure_dir(spare, dir)?;
    }
    let tmp = temp_beside(&dst);
    let _ = std::fs::remove_file(&tmp);
    if std::fs::hard_link(&src, &tmp).is_err() {
        std::fs::copy(&src, &tmp).map_err(write_err(&tmp))?;
    }
    replace_with(&tmp, &dst)
}

#[cfg(unix)]
fn same_inode(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::symlink_metadata(a), std::fs::symlink_metadata(b)) {
        (Ok(x), Ok(y)) => y.is_file() && x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_inode(_: &Path, _: &Path) -> bool {
    false
}

/// What the spare must hold besides the files written into it during the build.
pub struct SpareTarget<'a> {
    /// Every file of the new build.
    pub produced: &'a BTreeSet<&'a str>,
    /// Files whose bytes equal the live output's (to be linked from it).
    pub kept: &'a [String],
    /// Entries of the live output that majors did not write (mirrored as they are).
    pub foreign: &'a [(String, Foreign)],
}

/// Brings the spare to exactly the new build plus the foreign entries, and writes its
/// manifest. The files written during the build are already there.
pub fn sync_spare(
    live: &Path,
    spare: &Path,
    target: &SpareTarget<'_>,
    manifest: &str,
) -> Result<(), OutputError> {
    let foreign: HashSet<&str> = target.foreign.iter().map(|(p, _)| p.as_str()).collect();
    remove_unwanted(spare, &|rel| {
        target.produced.contains(rel) || foreign.contains(rel)
    })?;
    target
        .kept
        .par_iter()
        .try_for_each(|rel| link_from_live(live, spare, rel))?;
    for (rel, kind) in target.foreign {
        match kind {
            Foreign::File => link_from_live(live, spare, rel)?,
            Foreign::EmptyDir => ensure_dir(spare, rel)?,
            Foreign::Symlink => mirror_symlink(live, spare, rel)?,
        }
    }
    let path = spare.join(MANIFEST);
    std::fs::write(&path, manifest).map_err(write_err(&path))?;
    let marker = spare.join(STAGE_MARKER);
    std::fs::remove_file(&marker).map_err(write_err(&marker))
}

fn mirror_symlink(live: &Path, spare: &Path, rel: &str) -> Result<(), OutputError> {
    let src = live.join(rel);
    let target = std::fs::read_link(&src).map_err(|source| OutputError::Read {
        path: src.clone(),
        source,
    })?;
    let dst = spare.join(rel);
    if std::fs::read_link(&dst).is_ok_and(|t| t == target) {
        return Ok(());
    }
    if let Some((dir, _)) = rel.rsplit_once('/') {
        ensure_dir(spare, dir)?;
    }
    let tmp = temp_beside(&dst);
    let _ = std::fs::remove_file(&tmp);
    super::tree::symlink(&target, &tmp).map_err(write_err(&tmp))?;
    replace_with(&tmp, &dst)
}

/// Deletes every file and symlink of the spare that `wanted` does not name (the manifest and
/// marker aside), then the folders left empty.
fn remove_unwanted(
    spare: &Path,
    wanted: &(dyn Fn(&str) -> bool + Sync),
) -> Result<(), OutputError> {
    let mut dirs = Vec::new();
    let walker = walkdir::WalkDir::new(spare)
        .min_depth(1)
        .follow_links(false);
    for entry in walker {
        let entry = entry.map_err(|e| OutputError::Read {
            path: spare.to_path_buf(),
            source: e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("walk failed")),
        })?;
        let rel = rel_path(spare, entry.path());
        if entry.depth() == 1 && (rel == MANIFEST || rel == STAGE_MARKER) {
            continue;
        }
        if entry.file_type().is_dir() {
            dirs.push((rel, entry.path().to_path_buf()));
        } else if !wanted(&rel) {
            std::fs::remove_file(entry.path()).map_err(write_err(entry.path()))?;
        }
    }
    // Deepest first; a folder still holding something stays (`remove_dir` fails), and so does
    // a wanted empty folder.
    dirs.sort_by_key(|(_, p)| std::cmp::Reverse(p.components().count()));
    for (rel, path) in dirs {
        if !wanted(&rel) {
            let _ = std::fs::remove_dir(&path);
        }
    }
    Ok(())
}
