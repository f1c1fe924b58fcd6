//! `majors serve`: build, serve the last good build over HTTP, watch, rebuild, reload.

use std::path::Path;

/// Arguments of `majors serve`.
#[derive(clap::Args, Debug, Clone)]
pub struct ServeArgs {
    /// Port to listen on (0 picks a free one).
    #[arg(long, short = 'p', default_value_t = 1111)]
    pub port: u16,
    /// Address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// Open the site in a browser.
    #[arg(long)]
    pub open: bool,
    /// Include drafts.
    #[arg(long)]
    pub drafts: bool,
}

/// Runs the preview server until interrupted.
pub fn serve(_root: &Path, _args: ServeArgs, _color: bool) -> anyhow::Result<()> {
    anyhow::bail!("`majors serve` is not available yet")
}
