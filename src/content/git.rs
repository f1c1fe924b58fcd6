//! The site's git history, read once per build with libgit2 (the `git2` crate): for each
//! content file the date of the last commit that changed it, and the recent commits that
//! changed content (the changes feed).
//!
//! One walk from `HEAD`, newest commit first; for each commit only the `content/` subtree is
//! compared with its parent's (an unchanged subtree has the same id, and is skipped without
//! a diff). Merge commits are skipped, as `git log` does by default: their changes are dated
//! by the commits that made them.
//!
//! In a shallow clone (`git clone --depth N`, the default of CI checkouts) the oldest commits
//! have no parents, so every file of their tree looks added there: each page not changed
//! since would get that commit's date, which is wrong, and a shallow and a full clone of one
//! site would build different sites. Files whose newest commit is such a boundary commit get
//! no date: absent, never invented.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// How many commits the changes feed and page keep.
pub const RECENT: usize = 100;

/// How many commits each page's history keeps.
pub const PER_FILE: usize = 5;

/// A commit that changed content files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// Full hash.
    pub hash: String,
    /// Committer date in the committer's zone, RFC 3339 (`2026-12-03T14:05:00+01:00`).
    pub time: String,
    /// The same instant as seconds since the epoch (for ordering across zones).
    pub seconds: i64,
    /// The subject line of its message.
    pub subject: String,
    /// Paths under `content/` it changed (added, modified or deleted), sorted.
    pub files: Vec<String>,
}

/// What the history says about the content files.
#[derive(Debug, Default)]
pub struct GitDates {
    /// Path under `content/` -> date (`YYYY-MM-DD`) of the last commit that changed it.
    pub dates: HashMap<String, String>,
    /// Files with no date because they last changed at or before a shallow clone's oldest
    /// commit.
    pub unknown: usize,
    /// The history: the recent commits and each file's.
    pub history: History,
}

/// The commits templates and the changes feed show (boundary commits of a shallow clone
/// excluded: they did not make the changes they seem to).
#[derive(Debug, Default)]
pub struct History {
    /// The newest [`RECENT`] commits that changed content, newest first.
    pub recent: Vec<std::sync::Arc<Commit>>,
    /// Path under `content/` -> the newest [`PER_FILE`] commits that changed it.
    pub by_file: HashMap<String, Vec<std::sync::Arc<Commit>>>,
}

/// Reads the history of the site at `root`. Empty when the site is not in a git work tree
/// (or the repository cannot be read: the dates are then absent, never guessed).
pub fn git_dates(root: &Path) -> GitDates {
    match read(root) {
        Ok(Some(d)) => d,
        Ok(None) => GitDates::default(),
        Err(e) => {
            tracing::debug!(error = %e, "git history unreadable");
            GitDates::default()
        }
    }
}

fn read(root: &Path) -> Result<Option<GitDates>, git2::Error> {
    // The walk only reads. Like `git log`, it trusts the object store instead of hashing
    // every object it reads again (two thirds of the walk's time at 10,000 commits).
    git2::opts::strict_hash_verification(false);
    let Ok(repo) = git2::Repository::discover(root) else {
        return Ok(None);
    };
    let Some(content) = content_path(&repo, root) else {
        return Ok(None);
    };
    let Ok(head) = repo.head().and_then(|h| h.peel_to_commit()) else {
        return Ok(None); // no commit yet
    };
    let shallow = repo.is_shallow();
    let mut walk = repo.revwalk()?;
    walk.push(head.id())?;
    // Newest first, children before parents (commits made in one second keep their order).
    walk.set_sorting(git2::Sort::TIME | git2::Sort::TOPOLOGICAL)?;
    let mut out = GitDates::default();
    let mut seen: HashSet<String> = HashSet::new();
    // The parent's `content/` tree of the commit before: in a linear stretch of history it is
    // this commit's own, so each tree is read once.
    let mut carried: Option<(git2::Oid, Option<git2::Tree<'_>>)> = None;
    for id in walk {
        let id = id?;
        let commit = repo.find_commit(id)?;
        if commit.parent_count() > 1 {
            continue;
        }
        let boundary = shallow && commit.parent_count() == 0;
        let new = match carried.take() {
            Some((at, tree)) if at == id => tree,
            _ => subtree(&repo, &commit, &content)?,
        };
        let old = match commit.parents().next() {
            Some(p) => {
                let tree = subtree(&repo, &p, &content)?;
                carried = Some((p.id(), tree.clone()));
                tree
            }
            None => None,
        };
        if new.as_ref().map(git2::Tree::id) == old.as_ref().map(git2::Tree::id) {
            continue;
        }
        let mut files = Vec::new();
        changed_files(&repo, old.as_ref(), new.as_ref(), "", &mut files)?;
        files.sort();
        files.dedup();
        let when = commit.committer().when();
        let time = rfc3339(when.seconds(), when.offset_minutes());
        let entry = (!boundary).then(|| {
            std::sync::Arc::new(Commit {
                hash: commit.id().to_string(),
                time: time.clone(),
                seconds: when.seconds(),
                subject: commit.summary().unwrap_or_default().to_string(),
                files: files.clone(),
            })
        });
        for f in &files {
            if let Some(c) = &entry {
                let list = out.history.by_file.entry(f.clone()).or_default();
                if list.len() < PER_FILE {
                    list.push(std::sync::Arc::clone(c));
                }
            }
            // The newest commit that names a file decides its date.
            if !seen.insert(f.clone()) {
                continue;
            }
            if boundary {
                out.unknown += 1;
            } else {
                out.dates.insert(f.clone(), time[..10].to_string());
            }
        }
        if let Some(c) = entry.filter(|_| out.history.recent.len() < RECENT) {
            out.history.recent.push(c);
        }
    }
    Ok(Some(out))
}

/// Appends to `out` the paths (under `prefix`) of the files that differ between two trees:
/// entries are matched by name in both trees' order, and only subtrees whose ids differ are
/// read, so a commit costs the entries of the folders it changed.
fn changed_files(
    repo: &git2::Repository,
    old: Option<&git2::Tree<'_>>,
    new: Option<&git2::Tree<'_>>,
    prefix: &str,
    out: &mut Vec<String>,
) -> Result<(), git2::Error> {
    use std::cmp::Ordering;
    let len = |t: Option<&git2::Tree<'_>>| t.map_or(0, git2::Tree::len);
    let (na, nb) = (len(old), len(new));
    let (mut i, mut j) = (0, 0);
    while i < na || j < nb {
        let x = old.and_then(|t| t.get(i));
        let y = new.and_then(|t| t.get(j));
        let order = match (&x, &y) {
            (Some(x), Some(y)) => git_order(x, y),
            (Some(_), None) => Ordering::Less,
            _ => Ordering::Greater,
        };
        let (x, y) = match order {
            Ordering::Equal => (x, y),
            Ordering::Less => (x, None),
            Ordering::Greater => (None, y),
        };
        i += usize::from(x.is_some());
        j += usize::from(y.is_some());
        if let (Some(x), Some(y)) = (&x, &y) {
            if x.id() == y.id() && x.kind() == y.kind() {
                continue;
            }
        }
        let Some(either) = x.as_ref().or(y.as_ref()) else {
            break;
        };
        let path = format!("{prefix}{}", String::from_utf8_lossy(either.name_bytes()));
        let is_tree = |e: &git2::TreeEntry<'_>| e.kind() == Some(git2::ObjectType::Tree);
        let sub = |e: &Option<git2::TreeEntry<'_>>| match e {
            Some(e) if is_tree(e) => repo.find_tree(e.id()).map(Some),
            _ => Ok(None),
        };
        let (tx, ty) = (sub(&x)?, sub(&y)?);
        if x.as_ref().is_some_and(|e| !is_tree(e)) || y.as_ref().is_some_and(|e| !is_tree(e)) {
            out.push(path.clone());
        }
        if tx.is_some() || ty.is_some() {
            changed_files(repo, tx.as_ref(), ty.as_ref(), &format!("{path}/"), out)?;
        }
    }
    Ok(())
}

/// git's order of a folder's entries: by name, a subfolder's name as if it ended in `/`; one
/// name is one entry (a file replaced by a folder of that name compares equal).
fn git_order(a: &git2::TreeEntry<'_>, b: &git2::TreeEntry<'_>) -> std::cmp::Ordering {
    let (x, y) = (a.name_bytes(), b.name_bytes());
    if x == y {
        return std::cmp::Ordering::Equal;
    }
    let n = x.len().min(y.len());
    match x[..n].cmp(&y[..n]) {
        std::cmp::Ordering::Equal => {
            let tail = |e: &git2::TreeEntry<'_>, name: &[u8]| {
                name.get(n)
                    .copied()
                    .unwrap_or(if e.kind() == Some(git2::ObjectType::Tree) {
                        b'/'
                    } else {
                        0
                    })
            };
            tail(a, x).cmp(&tail(b, y))
        }
        other => other,
    }
}

/// `content/` of the site, relative to the repository's work tree.
fn content_path(repo: &git2::Repository, root: &Path) -> Option<PathBuf> {
    let workdir = repo.workdir()?.canonicalize().ok()?;
    let root = root.canonicalize().ok()?;
    Some(root.strip_prefix(&workdir).ok()?.join("content"))
}

/// The tree at `path` in `commit`, if there is one.
fn subtree<'r>(
    repo: &'r git2::Repository,
    commit: &git2::Commit<'_>,
    path: &Path,
) -> Result<Option<git2::Tree<'r>>, git2::Error> {
    let tree = commit.tree()?;
    let Ok(entry) = tree.get_path(path) else {
        return Ok(None);
    };
    if entry.kind() != Some(git2::ObjectType::Tree) {
        return Ok(None);
    }
    Ok(Some(repo.find_tree(entry.id())?))
}

/// `seconds` since the epoch in a zone `offset` minutes east of UTC, as RFC 3339.
fn rfc3339(seconds: i64, offset: i32) -> String {
    let local = seconds + i64::from(offset) * 60;
    let (days, secs) = (local.div_euclid(86_400), local.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    let (h, min, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let zone = match offset {
        0 => "Z".to_string(),
        o => format!(
            "{}{:02}:{:02}",
            if o < 0 { '-' } else { '+' },
            o.abs() / 60,
            o.abs() % 60
        ),
    };
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}{zone}")
}

/// Days since 1970-01-01 -> (year, month, day), proleptic Gregorian (Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_times_are_written_in_the_committers_zone() {
        assert_eq!(rfc3339(0, 0), "1970-01-01T00:00:00Z");
        // 2026-12-03 23:30 UTC is already 4 December in Tokyo and still 3 December in Lima.
        let t = 1_796_340_600;
        assert_eq!(rfc3339(t, 0), "2026-12-03T23:30:00Z");
        assert_eq!(rfc3339(t, 9 * 60), "2026-12-04T08:30:00+09:00");
        assert_eq!(rfc3339(t, -5 * 60), "2026-12-03T18:30:00-05:00");
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }
}
