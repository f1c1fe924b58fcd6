//! The build as a whole: orchestration, theme files, site-wide outputs and the output folder.

pub mod build;
pub mod extra;
pub mod file_bytes;
pub mod output;
pub mod pipeline;
pub mod theme;
