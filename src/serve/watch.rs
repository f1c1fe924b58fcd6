//! Watching the site: which paths matter, what kind of change a batch of events is, and what
//! to do about a top-level folder that came, went or was replaced.
//!
//! Pure classification lives here ([`classify_changes`], [`is_temp_file`], [`folder_action`])
//! so it is unit-tested without a file system; `serve::watcher` owns the notify debouncer that
//! feeds it and applies what it decides.

use std::path::Path;

use notify::event::{EventKind, ModifyKind};

use crate::config::CONFIG_FILE;
use crate::content::load::is_ignored_name;

/// The top-level folders whose files are site input; each is watched recursively.
pub const WATCHED_FOLDERS: [&str; 4] = ["content", "templates", "static", "themes"];

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

impl ChangeKind {
    /// What the rebuild is told changed: the paths, or `None` for "everything".
    pub fn paths(&self) -> Option<&[String]> {
        match self {
            ChangeKind::Content(p) | ChangeKind::Css(p) => Some(p),
            ChangeKind::Full => None,
        }
    }
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
    // The bare folder counts too: deleting `static/` can be reported as one event for
    // `static` alone, and must still rebuild.
    let watched = parts
        .first()
        .is_some_and(|top| WATCHED_FOLDERS.contains(&top.as_str()));
    let rel = parts.join("/");
    (watched || rel == CONFIG_FILE).then_some(rel)
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

/// Which folder sits at a path: its device and inode. A folder deleted and re-created, or
/// replaced by a copy, under the same name is a different folder, and the watch on the old
/// one no longer sees anything that happens at that name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FolderId {
    dev: u64,
    ino: u64,
}

impl FolderId {
    /// The identity of the folder `meta` describes, or `None` if it is not a folder.
    pub fn of(meta: &std::fs::Metadata) -> Option<FolderId> {
        meta.is_dir().then(|| Self::from_metadata(meta))
    }

    #[cfg(unix)]
    fn from_metadata(meta: &std::fs::Metadata) -> FolderId {
        use std::os::unix::fs::MetadataExt;
        FolderId {
            dev: meta.dev(),
            ino: meta.ino(),
        }
    }

    // Stable Rust has no file index elsewhere: a replaced folder is then caught only by the
    // event that names it (see `folder_action`).
    #[cfg(not(unix))]
    fn from_metadata(_meta: &std::fs::Metadata) -> FolderId {
        FolderId { dev: 0, ino: 0 }
    }
}

/// What to do about one watched top-level folder after a batch of events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FolderAction {
    /// It is gone: drop its watch and rebuild without it.
    Unwatch,
    /// It appeared: watch it and rebuild, since files written into it before the watch began
    /// were not seen.
    Watch,
    /// Another folder is at its path now (or it went and came back within the batch): drop
    /// the old watch, watch it anew and rebuild.
    Rewatch,
}

/// Compares the folder watched at a path (`watched`) with the one there now (`now`).
/// `named` says whether the batch had an event that created, removed or renamed that path
/// itself: a folder deleted and re-created at once may get its old inode number back, and a
/// folder moved away and back keeps it, but either way notify has dropped its watch.
pub fn folder_action(
    watched: Option<FolderId>,
    now: Option<FolderId>,
    named: bool,
) -> Option<FolderAction> {
    match (watched, now) {
        (None, None) => None,
        (Some(_), None) => Some(FolderAction::Unwatch),
        (None, Some(_)) => Some(FolderAction::Watch),
        (Some(old), Some(new)) if old != new || named => Some(FolderAction::Rewatch),
        (Some(_), Some(_)) => None,
    }
}

/// The watched top-level folder that an event of `kind` on `path` creates, removes or
/// renames, if it is one (attribute changes and events inside the folder are not).
pub fn folder_named(root: &Path, kind: &EventKind, path: &Path) -> Option<&'static str> {
    let structural = matches!(
        kind,
        EventKind::Create(_) | EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
    );
    if !structural || path.parent() != Some(root) {
        return None;
    }
    let name = path.file_name()?;
    WATCHED_FOLDERS.into_iter().find(|f| name == *f)
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
        // A whole folder that came or went is never "only content".
        assert_eq!(classify_changes(&v(&["content"])), Some(ChangeKind::Full));
        assert_eq!(classify_changes(&v(&["static"])), Some(ChangeKind::Full));
        assert_eq!(
            classify_changes(&v(&["static/site.js"])),
            Some(ChangeKind::Full)
        );
    }

    #[test]
    fn bare_top_level_folders_are_relevant() {
        for folder in WATCHED_FOLDERS {
            assert_eq!(rel(&format!("/site/{folder}")).as_deref(), Some(folder));
        }
        for p in ["/site/contents", "/site/static2/a.txt", "/site/public"] {
            assert_eq!(rel(p), None, "{p}");
        }
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

    #[test]
    fn folders_that_came_went_or_were_replaced_are_rewatched() {
        let a = Some(FolderId { dev: 1, ino: 10 });
        let b = Some(FolderId { dev: 1, ino: 11 });
        let other_dev = Some(FolderId { dev: 2, ino: 10 });
        use FolderAction::*;
        for (watched, now, named, want) in [
            (None, None, false, None),
            (None, None, true, None),
            (a, a, false, None),
            (a, None, false, Some(Unwatch)),
            (a, None, true, Some(Unwatch)),
            (None, a, false, Some(Watch)),
            (None, a, true, Some(Watch)),
            (a, b, false, Some(Rewatch)),
            (a, other_dev, false, Some(Rewatch)),
            // Same inode, but the batch deleted/re-created or moved it away and back.
            (a, a, true, Some(Rewatch)),
        ] {
            assert_eq!(
                folder_action(watched, now, named),
                want,
                "{watched:?} -> {now:?}, named {named}"
            );
        }
    }

    #[test]
    fn only_structural_events_on_a_top_level_folder_name_it() {
        use notify::event::{CreateKind, MetadataKind, RemoveKind, RenameMode};
        let root = Path::new("/site");
        let named = |kind: EventKind, p: &str| folder_named(root, &kind, Path::new(p));
        let create = EventKind::Create(CreateKind::Folder);
        let remove = EventKind::Remove(RemoveKind::Folder);
        let moved = EventKind::Modify(ModifyKind::Name(RenameMode::From));
        let chmod = EventKind::Modify(ModifyKind::Metadata(MetadataKind::Permissions));
        assert_eq!(named(create, "/site/static"), Some("static"));
        assert_eq!(named(remove, "/site/templates"), Some("templates"));
        assert_eq!(named(moved, "/site/content"), Some("content"));
        assert_eq!(named(chmod, "/site/content"), None);
        assert_eq!(named(create, "/site/content/static"), None);
        assert_eq!(named(create, "/site/public"), None);
        assert_eq!(named(create, "/elsewhere/content"), None);
    }
}
