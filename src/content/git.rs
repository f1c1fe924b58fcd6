//! Last-changed dates of content files from the site's git history (one `git log` per build).
//!
//! In a shallow clone (`git clone --depth N`, the default of CI checkouts) the oldest commits
//! have no parents, so `git log` shows every file of their tree as added there: each page not
//! changed since would get that commit's date, which is wrong, and a shallow and a full clone
//! of one site would build different sites. Files whose newest commit is such a boundary commit
//! get no date: absent, never invented.

use std::collections::{HashMap, HashSet};
use std::path::Path;

/// What the history says about the content files.
#[derive(Debug, Default)]
pub struct GitDates {
    /// Path under `content/` -> date (`YYYY-MM-DD`) of the last commit that changed it.
    pub dates: HashMap<String, String>,
    /// Files with no date because they last changed at or before a shallow clone's oldest
    /// commit.
    pub unknown: usize,
}

/// Reads the dates for the site at `root`. Empty when the site is not in a git work tree or
/// git is missing.
pub fn git_dates(root: &Path) -> GitDates {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .stderr(std::process::Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    };
    let Some(log) = git(&[
        "log",
        "--relative",
        "--name-only",
        "--format=%x00%H %cs",
        "--",
        "content",
    ]) else {
        return GitDates::default();
    };
    let shallow: HashSet<String> = git(&["rev-parse", "--git-path", "shallow"])
        .and_then(|p| std::fs::read_to_string(root.join(p.trim())).ok())
        .map(|t| t.lines().map(str::to_string).collect())
        .unwrap_or_default();
    parse_log(&log, &shallow)
}

/// Parses `git log --name-only --format=%x00%H %cs` output (newest commit first).
fn parse_log(log: &str, shallow: &HashSet<String>) -> GitDates {
    let mut out = GitDates::default();
    let mut seen = HashSet::new();
    let (mut date, mut boundary) = (String::new(), false);
    for line in log.lines() {
        if let Some(head) = line.strip_prefix('\0') {
            let (hash, d) = head.split_once(' ').unwrap_or((head, ""));
            date = d.to_string();
            boundary = shallow.contains(hash);
        } else if let Some(rel) = line.strip_prefix("content/") {
            // The newest commit that names a file decides its date.
            if !seen.insert(rel.to_string()) {
                continue;
            }
            if boundary {
                out.unknown += 1;
            } else {
                out.dates.insert(rel.to_string(), date.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_last_seen_at_a_shallow_boundary_have_no_date() {
        let log = "\0c3 2026-11-03\n\ncontent/b.md\n\0c2 2026-11-02\n\ncontent/a.md\ncontent/b.md\ncontent/c.md\n";
        let full = parse_log(log, &HashSet::new());
        assert_eq!(
            full.dates.get("b.md").map(String::as_str),
            Some("2026-11-03")
        );
        assert_eq!(
            full.dates.get("a.md").map(String::as_str),
            Some("2026-11-02")
        );
        let shallow = parse_log(log, &HashSet::from(["c2".to_string()]));
        assert_eq!(shallow.dates.len(), 1);
        assert_eq!(
            shallow.dates.get("b.md").map(String::as_str),
            Some("2026-11-03")
        );
        assert_eq!(shallow.unknown, 2);
    }
}
