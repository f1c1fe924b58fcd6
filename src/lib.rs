//! majors: a static site generator for typed, cross-referenced knowledge bases.
//!
//! The pipeline is load -> parse -> resolve -> render -> write (see `ARCHITECTURE.md`).
//! The public surface is small: build a site with [`build_site`], render its diagnostics with
//! [`render_diagnostics`].
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// `Result<_, Diagnostic>` is the error path for one content problem; it is cold, and boxing
// every diagnostic would cost more than the large `Err` variant does.
#![allow(clippy::result_large_err)]

pub mod check;
pub mod config;
pub mod content;
pub mod diag;
pub mod file_bytes;
pub mod graph;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod site_data;
#[cfg(test)]
mod test_site;
pub mod yaml;

pub use config::Config;
pub use diag::{render_diagnostics, Diagnostic, OutputFormat, Severity, SourceMap};
pub use site::build::{build_site, BuildError, BuildOptions, BuildReport, Mode};
