//! Watching the site: which paths matter, and what kind of change a batch of events is.
//!
//! Pure classification lives here ([`classify_changes`], [`is_temp_file`]) so it is unit-tested
//! without a file system; `serve` owns the notify debouncer that feeds it.

use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::content::load::is_ignored_name;

/// What a batch of file events means for the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// Only Markdown (or other content) files changed: these paths, relative to the root.
    Content(Vec<String>),
    /// Only stylesheets changed (browsers can swap them without reloading).
    Css(Vec<String>),
    /// Templates, other static files, the theme or the config: rebuild everything.
    Full,
}

/// True for editor swap, backup and temp files (`*.swp`, `*~`, `4913`, `.#*`, `*.tmp`, …):
/// exactly the names `content::load` skips, so `serve` and `build` ignore the same files.
pub fn is_temp_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| is_ignored_name(&n.to_string_lossy()))
}

/// The site-relative path (`/`-separated) of a watched file, if it is one the site uses.
pub fn relevant_path(root: &Path, output_dir: &Path, path: &Path) -> Option<String> {
    if is_temp_file(path) || path.starts_with(output_dir) {
        return None;
    }
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    // Any hidden or temp component (e.g. `.git/`, a `.#lock` folder) means it is not site input.
    if parts.iter().any(|p| is_ignored_name(p)) {
        return None;
    }
    let rel = parts.join("/");
    let watched = rel == CONFIG_FILE
        || ["content/", "templates/", "static/", "themes/"]
            .iter()
            .any(|d| rel.starts_with(d));
    watched.then_some(rel)
}

/// Classifies the relevant paths of one debounced batch.
pub fn classify_changes(paths: &[String]) -> Option<ChangeKind> {
    if paths.is_empty() {
        return None;
    }
    if paths.iter().all(|p| p.starts_with("content/")) {
        return Some(ChangeKind::Content(paths.to_vec()));
    }
    let is_css = |p: &String| {
        p.ends_with(".css")
            && (p.starts_with("static/") || (p.starts_with("themes/") && p.contains("/static/")))
    };
    if paths.iter().all(is_css) {
        return Some(ChangeKind::Css(paths.to_vec()));
    }
    Some(ChangeKind::Full)
}

/// The folders and files to watch under `root`.
pub fn watch_targets(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = ["content", "templates", "static", "themes"]
        .iter()
        .map(|d| root.join(d))
        .filter(|p| p.is_dir())
        .collect();
    out.push(root.join(CONFIG_FILE));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(p: &str) -> Option<String> {
        relevant_path(Path::new("/site"), Path::new("/site/public"), Path::new(p))
    }

    #[test]
    fn temp_and_output_files_are_ignored() {
        for p in [
            "/site/content/.a.md.swp",
            "/site/content/a.md~",
            "/site/content/4913",
            "/site/content/.#a.md",
            "/site/content/x.tmp",
            "/site/public/index.html",
            "/site/.git/index",
            "/site/README.md",
        ] {
            assert_eq!(rel(p), None, "{p}");
        }
        assert_eq!(rel("/site/content/a.md").as_deref(), Some("content/a.md"));
        assert_eq!(rel("/site/site.yaml").as_deref(), Some("site.yaml"));
        assert_eq!(
            rel("/site/themes/default/static/style.css").as_deref(),
            Some("themes/default/static/style.css")
        );
    }

    #[test]
    fn batches_are_classified() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(classify_changes(&[]), None);
        assert_eq!(
            classify_changes(&v(&["content/a.md", "content/b/c.md"])),
            Some(ChangeKind::Content(v(&["content/a.md", "content/b/c.md"])))
        );
        assert_eq!(
            classify_changes(&v(&["static/style.css"])),
            Some(ChangeKind::Css(v(&["static/style.css"])))
        );
        assert_eq!(
            classify_changes(&v(&["themes/default/static/style.css"])),
            Some(ChangeKind::Css(v(&["themes/default/static/style.css"])))
        );
        assert_eq!(
            classify_changes(&v(&["content/a.md", "templates/page.html"])),
            Some(ChangeKind::Full)
        );
        assert_eq!(classify_changes(&v(&["site.yaml"])), Some(ChangeKind::Full));
        assert_eq!(
            classify_changes(&v(&["static/site.js"])),
            Some(ChangeKind::Full)
        );
    }

    /// D21: `serve` ignores exactly what `build` skips, whatever `is_ignored_name` lists.
    #[test]
    fn temp_files_are_the_names_content_load_ignores() {
        for name in [
            "notes.bak",
            "x.swpx",
            "a.swp",
            "a.swx",
            "a~",
            "4913",
            ".#a.md",
            "#a#",
            "a.tmp",
            ".hidden",
            "a.md",
            "style.css",
            "bak",
            "swpx",
        ] {
            let path = Path::new("/site/content").join(name);
            assert_eq!(is_temp_file(&path), is_ignored_name(name), "{name}");
        }
    }
}
