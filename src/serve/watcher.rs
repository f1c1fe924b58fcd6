//! The file watcher of `serve`: a notify watcher kept in step with the file system, and the
//! batching of its events.
//!
//! Events are batched by quiet time: a batch is handed over once no event has come for the
//! debounce time (or a second after its first event, so a stream of writes cannot hold the
//! rebuild off for ever). This waits exactly the quiet time after a save, with no timer
//! ticking while nothing happens (a ticking debouncer adds up to one tick to every save).
//!
//! The site root is watched on its own (not recursively), so that top-level folders coming
//! and going are seen, and each top-level input folder ([`WATCHED_FOLDERS`]) recursively. An
//! inotify watch belongs to a folder, not to its name: once `static/` is deleted, replaced by
//! a copy or moved away, the watch sees nothing that happens at `static/` any more. So each
//! watched folder is remembered by identity ([`FolderId`]) and, after every batch of events,
//! compared with what is at its path now ([`folder_action`]); a folder that went, came or was
//! replaced is unwatched or watched again and the whole site is rebuilt. The decisions are
//! pure functions in [`super::watch`]; this module does the file system calls.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::Context;
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

use super::watch::{
    classify_changes, folder_action, folder_named, relevant_path, ChangeKind, FolderAction,
    FolderId, WATCHED_FOLDERS,
};

/// The longest a batch waits for its events to stop.
const MAX_BATCH: Duration = Duration::from_secs(1);

/// The watcher, its events and the top-level folders it watches.
pub struct Watcher {
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    /// The quiet time that ends a batch.
    quiet: Duration,
    root: PathBuf,
    output_dir: PathBuf,
    /// Each watched top-level folder, as it was when its watch was set up.
    folders: BTreeMap<&'static str, FolderId>,
}

/// What one burst of events touched.
#[derive(Default)]
struct Batch {
    /// Relevant site-relative paths, sorted and deduplicated.
    paths: Vec<String>,
    /// Top-level folders that an event created, removed or renamed.
    named: BTreeSet<&'static str>,
    /// The backend dropped events (e.g. the inotify queue overflowed): trust nothing.
    rescan: bool,
}

impl Watcher {
    /// Starts watching `root` and its input folders; events under `output_dir` are ignored.
    /// `debounce_ms` is the quiet time after the last event before a batch is handed over.
    pub fn start(root: &Path, output_dir: &Path, debounce_ms: u64) -> anyhow::Result<Watcher> {
        let (tx, events) = channel::<notify::Result<notify::Event>>();
        let mut watcher =
            notify::recommended_watcher(tx).context("cannot start the file watcher")?;
        // The root itself (not recursively) so that a folder created, deleted or replaced
        // later, such as `static/`, is noticed.
        watcher
            .watch(root, RecursiveMode::NonRecursive)
            .with_context(|| format!("cannot watch `{}`", root.display()))?;
        let mut folders = BTreeMap::new();
        for name in WATCHED_FOLDERS {
            let path = root.join(name);
            if let Some(id) = folder_id(&path) {
                watcher
                    .watch(&path, RecursiveMode::Recursive)
                    .with_context(|| format!("cannot watch `{}`", path.display()))?;
                folders.insert(name, id);
            }
        }
        Ok(Watcher {
            watcher,
            events,
            quiet: Duration::from_millis(debounce_ms),
            root: root.to_path_buf(),
            output_dir: output_dir.to_path_buf(),
            folders,
        })
    }

    /// Blocks until a batch of events changes the site, and says how. `None` once the
    /// debouncer has stopped.
    pub fn next_change(&mut self) -> Option<ChangeKind> {
        loop {
            let batch = self.next_batch()?;
            // Folders first: a rebuild must not start before a re-created folder is watched,
            // or files written into it meanwhile would be missed.
            let refollowed = self.follow_folders(&batch);
            if refollowed || batch.rescan {
                return Some(ChangeKind::Full);
            }
            if let Some(kind) = classify_changes(&batch.paths) {
                return Some(kind);
            }
        }
    }

    /// Waits for an event, then takes every event until none has come for the quiet time,
    /// so one burst is one rebuild. `None` once the watcher has stopped.
    fn next_batch(&self) -> Option<Batch> {
        let first = self.events.recv().ok()?;
        let started = Instant::now();
        let mut batch = Batch::default();
        self.add(&mut batch, first);
        while started.elapsed() < MAX_BATCH {
            match self.events.recv_timeout(self.quiet) {
                Ok(result) => self.add(&mut batch, result),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
        batch.paths.sort();
        batch.paths.dedup();
        Some(batch)
    }

    /// Adds one event (or error) to `batch`.
    fn add(&self, batch: &mut Batch, result: notify::Result<notify::Event>) {
        let event = match result {
            Ok(event) => event,
            Err(e) => {
                let _ = writeln!(std::io::stderr(), "watch error: {e}");
                return;
            }
        };
        batch.rescan |= event.need_rescan();
        // Reads (ours included: a rebuild reads files) are not changes.
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        for path in &event.paths {
            batch
                .named
                .extend(folder_named(&self.root, &event.kind, path));
            batch
                .paths
                .extend(relevant_path(&self.root, &self.output_dir, path));
        }
    }

    /// Compares every top-level folder with the one watched at its path and (un)watches as
    /// needed. True if any came, went or was replaced.
    fn follow_folders(&mut self, batch: &Batch) -> bool {
        let mut changed = false;
        for name in WATCHED_FOLDERS {
            let now = folder_id(&self.root.join(name));
            let named = batch.rescan || batch.named.contains(name);
            if let Some(action) = folder_action(self.folders.get(name).copied(), now, named) {
                self.apply(name, action, now);
                changed = true;
            }
        }
        changed
    }

    fn apply(&mut self, name: &'static str, action: FolderAction, now: Option<FolderId>) {
        let path = self.root.join(name);
        if matches!(action, FolderAction::Unwatch | FolderAction::Rewatch) {
            // Often fails, harmlessly: notify drops the watch of a folder it saw deleted or
            // moved away, and a watch on a deleted folder is gone anyway.
            let _ = self.watcher.unwatch(&path);
            self.folders.remove(name);
        }
        if let (FolderAction::Watch | FolderAction::Rewatch, Some(id)) = (action, now) {
            if let Err(e) = self.watcher.watch(&path, RecursiveMode::Recursive) {
                let _ = writeln!(std::io::stderr(), "cannot watch `{}`: {e}", path.display());
            }
            // Remembered even if the watch failed: retrying on every batch would rebuild the
            // whole site on every save. The next time the folder is replaced it is retried.
            self.folders.insert(name, id);
        }
    }
}

/// The identity of the folder at `path`, or `None` if there is none (or it is a file).
fn folder_id(path: &Path) -> Option<FolderId> {
    std::fs::metadata(path).ok().as_ref().and_then(FolderId::of)
}
