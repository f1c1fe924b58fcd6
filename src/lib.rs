//! majors: a static site generator for typed, cross-referenced knowledge bases.
//!
//! The pipeline is load -> parse -> resolve -> render -> write (see `ARCHITECTURE.md`).
//! The public surface is small and all of it is re-exported here (the modules are private):
//! build a site with [`build_site`] (or keep one in memory with a [`Rebuilder`]), render its
//! diagnostics with [`render_diagnostics`], serve it with [`serve()`], start one with [`init`]
//! and [`new_page`].
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// `Result<_, Diagnostic>` is the error path for one content problem; it is cold, and boxing
// every diagnostic would cost more than the large `Err` variant does.
#![allow(clippy::result_large_err)]

mod check;
mod config;
mod content;
mod diag;
mod file_bytes;
mod graph;
#[cfg(test)]
mod properties;
mod render;
mod scaffold;
mod search;
mod serve;
mod site;
mod site_data;
#[cfg(test)]
mod test_site;
mod yaml;

pub use config::Config;
pub use diag::count;
pub use diag::{render_diagnostics, Diagnostic, OutputFormat, Severity, SourceMap};
pub use file_bytes::FileBytes;
/// The pulldown-cmark options majors parses with (for comparisons with pulldown-cmark alone).
pub use render::markdown::parser_options;
pub use scaffold::init;
pub use scaffold::new::{new_page, NewOutcome};
pub use serve::http::Served;
pub use serve::watch::{classify_changes, ChangeKind};
pub use serve::{serve, ServeArgs};
pub use site::build::{build_site, BuildError, BuildOptions, BuildReport, Mode};
pub use site::build::{Files, Rebuilder, SiteFilesJob};

/// `majors diff OLD NEW`: the report (Markdown when `markdown`), or the problem reading a
/// side, with the sources it points into.
pub fn diff_builds(
    old: &str,
    new: &str,
    markdown: bool,
) -> Result<String, (SourceMap, Diagnostic)> {
    use site::output::previous::{load_side, same_page};
    let mut sources = SourceMap::default();
    let sides = load_side(old, &mut sources).and_then(|o| Ok((o, load_side(new, &mut sources)?)));
    let ((old_m, old_dir), (new_m, new_dir)) = sides.map_err(|d| (sources, d))?;
    let same = |url: &str| match (&old_dir, &new_dir) {
        (Some(a), Some(b)) => same_page(a, b, url),
        _ => None,
    };
    let d = site::diff::diff(&old_m, &new_m, &same);
    Ok(if markdown {
        d.markdown(&new_m.base_url)
    } else {
        d.text()
    })
}
