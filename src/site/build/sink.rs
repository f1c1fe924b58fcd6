//! Where a build's files go: the output folder's stage as they are made (`majors build`),
//! memory (`majors serve`), or nowhere (`majors check`, and a build that already failed).

use std::sync::Mutex;

use crate::file_bytes::FileBytes;
use crate::site::output::{OutputError, Staging};

/// Where rendered files go.
pub(super) enum Sink {
    /// Kept in memory, compressed when `pack`.
    Memory {
        /// Compress each file ([`FileBytes::packed`]).
        pack: bool,
    },
    /// Written to the output folder's stage as made; the first write error is kept.
    Stage(Box<Staging>, Mutex<Option<OutputError>>),
    /// Dropped.
    Discard,
}

impl Sink {
    /// A sink writing into `stage`.
    pub(super) fn stage(stage: Staging) -> Sink {
        Sink::Stage(Box::new(stage), Mutex::new(None))
    }

    /// Takes one file: writes it to the stage, or returns the bytes to keep in memory (empty
    /// for a stage or a discard: nothing is kept).
    pub(super) fn take(&self, path: &str, bytes: Vec<u8>) -> FileBytes {
        match self {
            Sink::Memory { pack } => FileBytes::new(bytes, *pack),
            Sink::Stage(..) => {
                self.put(path, &bytes);
                FileBytes::plain(Vec::new())
            }
            Sink::Discard => FileBytes::plain(Vec::new()),
        }
    }

    /// Writes one file to the stage (nothing for the other sinks).
    pub(super) fn put(&self, path: &str, bytes: &[u8]) {
        if let Sink::Stage(stage, error) = self {
            if let Err(e) = stage.put(path, bytes) {
                if let Ok(mut slot) = error.lock() {
                    slot.get_or_insert(e);
                }
            }
        }
    }

    /// True when rendered files are kept in memory.
    pub(super) fn keeps(&self) -> bool {
        matches!(self, Sink::Memory { .. })
    }

    /// True when files go to the output folder.
    pub(super) fn writes(&self) -> bool {
        matches!(self, Sink::Stage(..))
    }

    /// The stage to commit, or the first write error (the stage is then abandoned).
    pub(super) fn finish(self) -> Result<Option<Staging>, OutputError> {
        match self {
            Sink::Stage(stage, error) => match error.into_inner().ok().flatten() {
                Some(e) => {
                    stage.abort();
                    Err(e)
                }
                None => Ok(Some(*stage)),
            },
            Sink::Memory { .. } | Sink::Discard => Ok(None),
        }
    }
}
