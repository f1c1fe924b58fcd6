//! The file system steps that make a staged build the output: swapping two folders in one
//! step, and removing what majors left beside the output (only if it is recognisably its own).

use std::path::{Path, PathBuf};

use super::manifest::MANIFEST;
use super::OutputError;

/// A file in a stage that is still being written (removed just before the swap).
pub const STAGE_MARKER: &str = ".majors-stage";

/// Puts the finished `stage` in place of `dir`. Returns where the old folder now is, to be
/// deleted (`None` when there was none). On Linux the two swap in one `renameat2` call with
/// `RENAME_EXCHANGE`, so `dir` always holds a complete build; where the file system cannot
/// exchange, `dir` is first moved aside, so for a moment it is missing (never mixed).
pub fn exchange(stage: &Path, dir: &Path) -> Result<Option<PathBuf>, OutputError> {
    let write_err = |source| OutputError::Write {
        path: dir.to_path_buf(),
        source,
    };
    if std::fs::symlink_metadata(dir).is_err() {
        std::fs::rename(stage, dir).map_err(write_err)?;
        return Ok(None);
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        match renameat_with(CWD, stage, CWD, dir, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(Some(stage.to_path_buf())),
            Err(e)
                if e == rustix::io::Errno::INVAL
                    || e == rustix::io::Errno::NOSYS
                    || e == rustix::io::Errno::OPNOTSUPP => {}
            Err(e) => return Err(write_err(e.into())),
        }
    }
    let aside = beside(dir, "majors-old");
    remove_leftover(&aside)?;
    std::fs::rename(dir, &aside).map_err(write_err)?;
    std::fs::rename(stage, dir).map_err(write_err)?;
    Ok(Some(aside))
}

/// `.<name>.<suffix>` next to `dir`.
fn beside(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.with_file_name(format!(".{name}.{suffix}"))
}

/// Deletes a stage or an old build that majors left at `path` (after a crash, or the old
/// build after a swap). Only a folder that holds majors' stage marker or manifest, or nothing
/// at all, is deleted; anything else at that path is an error, and is left alone.
pub fn remove_leftover(path: &Path) -> Result<(), OutputError> {
    let meta = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(OutputError::Read {
                path: path.to_path_buf(),
                source: e,
            })
        }
        Ok(m) => m,
    };
    let ours = meta.is_dir()
        && (path.join(STAGE_MARKER).is_file()
            || path.join(MANIFEST).is_file()
            || std::fs::read_dir(path).is_ok_and(|mut d| d.next().is_none()));
    if !ours {
        return Err(OutputError::Foreign {
            path: path.to_path_buf(),
            reason: "majors stages its builds at this path, and what is there was not made by majors; move it away".into(),
        });
    }
    // Marked first and the marker removed last, so a removal cut short by a crash leaves a
    // folder the next build still recognises.
    let marker = path.join(STAGE_MARKER);
    let write_err = |p: &Path, source| OutputError::Write {
        path: p.to_path_buf(),
        source,
    };
    std::fs::write(&marker, b"").map_err(|e| write_err(&marker, e))?;
    let entries = std::fs::read_dir(path).map_err(|e| write_err(path, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| write_err(path, e))?;
        let p = entry.path();
        if entry.file_name() == STAGE_MARKER {
            continue;
        }
        // `file_type` does not follow symlinks, and `remove_dir_all` never follows them
        // inside the folder either.
        let result = match entry.file_type() {
            Ok(t) if t.is_dir() => std::fs::remove_dir_all(&p),
            _ => std::fs::remove_file(&p),
        };
        result.map_err(|e| write_err(&p, e))?;
    }
    std::fs::remove_file(&marker).map_err(|e| write_err(&marker, e))?;
    std::fs::remove_dir(path).map_err(|e| write_err(path, e))
}

/// True when `a` and `b` are on the same file system (a rename between them can work).
#[cfg(unix)]
pub fn same_device(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev(),
        _ => false,
    }
}

/// True when `a` and `b` are on the same file system (unknown here: assume not).
#[cfg(not(unix))]
pub fn same_device(_: &Path, _: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchange_swaps_two_folders() {
        let root = tempfile::tempdir().unwrap();
        let (a, b) = (root.path().join("a"), root.path().join("b"));
        std::fs::create_dir(&a).unwrap();
        std::fs::create_dir(&b).unwrap();
        std::fs::write(a.join("new"), "n").unwrap();
        std::fs::write(b.join("old"), "o").unwrap();
        let old = exchange(&a, &b).unwrap().unwrap();
        assert!(b.join("new").is_file() && old.join("old").is_file());
    }

    #[test]
    fn only_majors_leftovers_are_removed() {
        let root = tempfile::tempdir().unwrap();
        let p = root.path().join(".public.majors-staging");
        std::fs::create_dir(&p).unwrap();
        std::fs::write(p.join("user.txt"), "mine").unwrap();
        assert!(remove_leftover(&p).is_err());
        assert!(
            p.join("user.txt").is_file(),
            "a folder majors did not make is kept"
        );
        std::fs::write(p.join(STAGE_MARKER), "").unwrap();
        remove_leftover(&p).unwrap();
        assert!(!p.exists());
        remove_leftover(&p).unwrap();
    }
}
