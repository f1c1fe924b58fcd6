//! The build as a whole: orchestration, theme files, site-wide outputs and the output folder.

pub mod build;
pub mod changes;
pub mod csv;
pub mod diff;
pub mod extra;
pub mod output;
pub mod outputs;
pub mod pipeline;
pub mod theme;
pub mod urls;
