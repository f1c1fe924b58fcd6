//! `majors serve`: build, serve the last good build over HTTP, watch, rebuild, reload.
//!
//! Glue between the pieces: the first build, the HTTP server (the routes in [`http`], the
//! connection loop with its timeouts in `conn`), and a watcher thread (`watcher`: a notify
//! watcher that batches events by quiet time and follows top-level folders as they come, go and are replaced) that
//! classifies each batch ([`watch`]), rebuilds through a [`Rebuilder`] that keeps the parsed
//! site in memory, swaps the served files on success and publishes a
//! [`reload::ReloadMessage`]. Content errors never stop the server.

mod conn;
pub mod http;
pub mod reload;
pub mod watch;
mod watcher;

use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use anyhow::Context;
use tokio::sync::broadcast;

use crate::diag::{count, render_diagnostics, OutputFormat};

use crate::site::build::{BuildOptions, Files, Mode, Rebuilder, SiteFilesJob};
use conn::Timeouts;
use http::{Served, ServerState};
use reload::ReloadMessage;
use watch::ChangeKind;
use watcher::Watcher;

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
    /// Quiet time after the last file event before rebuilding, in milliseconds.
    #[arg(long, default_value_t = 5)]
    pub debounce_ms: u64,
    /// Time a client has to send a request's headers (and, between requests, to start the
    /// next one), in milliseconds. Hidden: for tests and unusual setups.
    #[arg(long, hide = true, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout_ms: u64,
    /// Time a read or write on a connection may wait without progress, in milliseconds (the
    /// reload websocket is pinged more often). Hidden: for tests and unusual setups.
    #[arg(long, hide = true, default_value_t = 60_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout_ms: u64,
}

/// Runs the preview server until interrupted. Errors are environment errors (a busy port, a
/// watcher that cannot start); content errors are printed and shown in the browser instead.
pub fn serve(root: &Path, args: ServeArgs, color: bool) -> anyhow::Result<()> {
    let root = std::path::absolute(root)
        .with_context(|| format!("cannot resolve `{}`", root.display()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let (listener, url) = runtime.block_on(bind(&args))?;
    let timeouts = Timeouts {
        header: Duration::from_millis(args.header_timeout_ms),
        idle: Duration::from_millis(args.idle_timeout_ms),
    };
    let (rebuilder, state, output_dir, good) = first_build(&root, &args, &url, &timeouts, color)?;

    let watcher = Watcher::start(&root, &output_dir, args.debounce_ms)?;
    let watch_state = Arc::clone(&state);
    std::thread::Builder::new()
        .name("majors-watch".into())
        .spawn(move || watch_loop(watcher, rebuilder, &watch_state, good, color))
        .context("cannot start the watcher thread")?;

    let _ = writeln!(std::io::stderr(), "serving {url} (Ctrl+C to stop)");
    // The bare URL is for scripts that read stdout; a terminal has just seen it.
    if !std::io::stdout().is_terminal() {
        let _ = writeln!(std::io::stdout(), "{url}");
        let _ = std::io::stdout().flush();
    }
    if args.open {
        open_browser(&url);
    }
    let stopped = runtime.block_on(conn::serve_connections(
        listener,
        http::router(state),
        timeouts,
    ));
    // Requests in flight have been answered; nothing else is worth waiting for (the watcher
    // and the site-files threads hold no state that outlives the process).
    runtime.shutdown_timeout(Duration::from_millis(100));
    let _ = writeln!(std::io::stderr(), "{stopped}: stopped serving {url}");
    Ok(())
}

/// Binds the listening socket; returns it with the site's URL.
async fn bind(args: &ServeArgs) -> anyhow::Result<(tokio::net::TcpListener, String)> {
    let addr: SocketAddr = format!("{}:{}", args.bind, args.port)
        .parse()
        .with_context(|| format!("`{}` is not an IP address to bind", args.bind))?;
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            anyhow::anyhow!("port {} is already in use; pass `--port 0` to pick a free one, or another `--port`", args.port)
        } else {
            anyhow::Error::new(e).context(format!("cannot listen on {addr}"))
        }
    })?;
    let local = listener
        .local_addr()
        .context("cannot read the bound address")?;
    Ok((listener, format!("http://{local}/")))
}

/// The first build and the server state holding it; returns them with the output folder
/// (which the watcher ignores).
fn first_build(
    root: &Path,
    args: &ServeArgs,
    url: &str,
    timeouts: &Timeouts,
    color: bool,
) -> anyhow::Result<(Rebuilder, Arc<ServerState>, PathBuf, bool)> {
    let mut opts = BuildOptions::new(root, Mode::Serve);
    opts.drafts = args.drafts;
    opts.base_url = Some(url.to_string());
    let mut rebuilder = Rebuilder::new(opts);
    let started = Instant::now();
    let report = rebuilder.rebuild(None).context("the first build failed")?;
    let good = report.error_count() == 0;
    print_report(&report, color, "built", started.elapsed(), good);
    let output_dir = report
        .output_dir
        .clone()
        .unwrap_or_else(|| root.join("public"));
    let (tx, _) = broadcast::channel(64);
    // Pages are served at once; the site-wide files of the first build follow from another
    // thread (requests for them wait meanwhile: see `ServerState::starting`).
    let (light, first_job) = rebuilder.site_files();
    let state = Arc::new(ServerState {
        files: RwLock::new(Arc::new(Served {
            pages: Arc::new(with_site_files(&report.files, light)),
            site_wide: Arc::default(),
        })),
        generation: std::sync::atomic::AtomicU64::new(0),
        starting: std::sync::atomic::AtomicBool::new(first_job.is_some()),
        errors: RwLock::new(errors_message(&report, good)),
        reload: tx,
        ping_every: timeouts.websocket_ping(),
    });
    drop(report);
    if let Some(job) = first_job {
        let state = Arc::clone(&state);
        let _ = std::thread::Builder::new()
            .name("majors-first-site-files".into())
            .spawn(move || {
                let summary = job();
                publish_site_files(&state, 0, summary);
            });
    }
    Ok((rebuilder, state, output_dir, good))
}

/// Rebuilds after every change the watcher reports, and publishes each good build.
fn watch_loop(
    mut watcher: Watcher,
    mut rebuilder: Rebuilder,
    state: &Arc<ServerState>,
    mut served_good: bool,
    color: bool,
) {
    let site_files = SiteFilesWorker::start(Arc::clone(state));
    while let Some(kind) = watcher.next_change() {
        let started = Instant::now();
        let report = match rebuilder.rebuild(kind.paths()) {
            Ok(r) => r,
            Err(e) => {
                let _ = writeln!(std::io::stderr(), "rebuild failed: {e:#}");
                continue;
            }
        };
        print_report(&report, color, "rebuilt", started.elapsed(), served_good);
        if report.error_count() > 0 {
            let msg = errors_message(&report, served_good);
            if let Ok(mut e) = state.errors.write() {
                e.clone_from(&msg);
            }
            if let Some(msg) = msg {
                let _ = state.reload.send(msg);
            }
            continue;
        }
        publish(state, &site_files, &mut rebuilder, &report, kind);
        served_good = true;
    }
}

/// Swaps in a good rebuild and tells browsers.
///
/// Pages first (with the previous summary files: sitemap, feed, search index), so the reload
/// is not held up by them; those are computed on another thread and swapped in unless a newer
/// rebuild has been published meanwhile (an edit of static files alone leaves them as they
/// were). A template or config change publishes everything before telling browsers.
fn publish(
    state: &ServerState,
    site_files: &SiteFilesWorker,
    rebuilder: &mut Rebuilder,
    report: &crate::site::build::BuildReport,
    kind: ChangeKind,
) {
    let previous = state
        .files
        .read()
        .map(|f| Arc::clone(&f))
        .unwrap_or_default();
    let content_only = matches!(kind, ChangeKind::Content(_) | ChangeKind::Css(_));
    let (light, job) = rebuilder.site_files();
    let pages = with_site_files(&report.files, light);
    let (now, job) = match job {
        // The previous site-wide outputs stay until this rebuild's are made.
        Some(job) if content_only => (previous.after(pages, None), Some(job)),
        Some(job) => (previous.after(pages, Some(job())), None),
        // The site data is as it was (static files alone changed): so are its outputs.
        None => (previous.after(pages, None), None),
    };
    let generation = state
        .generation
        .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        + 1;
    if let Ok(mut files) = state.files.write() {
        *files = Arc::new(now);
    }
    if let Ok(mut e) = state.errors.write() {
        *e = None;
    }
    let _ = state.reload.send(reload_message(kind));
    if let Some(job) = job {
        site_files.submit(generation, job);
    }
}

/// What browsers are told after a good rebuild of this kind.
fn reload_message(kind: ChangeKind) -> ReloadMessage {
    match kind {
        ChangeKind::Css(paths) => ReloadMessage::Css {
            paths: paths
                .iter()
                .map(|p| format!("/{}", p.rsplit("static/").next().unwrap_or(p)))
                .collect(),
        },
        ChangeKind::Content(_) | ChangeKind::Full => ReloadMessage::Reload,
    }
}

/// How long the site-wide files wait for the saves to stop before they are computed.
const SITE_FILES_QUIET: Duration = Duration::from_millis(300);

/// Computes the deferred site-wide files (sitemap, feed, `pages.json`, search index) of the
/// latest rebuild on one background thread with a one-thread pool, so the work never takes
/// both cores from the next rebuild and request handling; it starts once saves pause. A job
/// that a newer rebuild supersedes before it starts is dropped; one superseded while it runs
/// is not published.
struct SiteFilesWorker {
    slot: std::sync::Mutex<Option<(u64, SiteFilesJob)>>,
    ready: std::sync::Condvar,
}

impl SiteFilesWorker {
    fn start(state: Arc<ServerState>) -> Arc<Self> {
        let worker = Arc::new(SiteFilesWorker {
            slot: std::sync::Mutex::new(None),
            ready: std::sync::Condvar::new(),
        });
        let w = Arc::clone(&worker);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .thread_name(|_| "majors-site-files-pool".into())
            .build()
            .ok();
        let _ = std::thread::Builder::new()
            .name("majors-site-files".into())
            .spawn(move || loop {
                let Some((generation, job)) = w.next() else {
                    return;
                };
                let current = || state.generation.load(std::sync::atomic::Ordering::SeqCst);
                if current() != generation {
                    continue;
                }
                let summary = match &pool {
                    Some(pool) => pool.install(job),
                    None => job(),
                };
                publish_site_files(&state, generation, summary);
            });
        worker
    }

    /// Replaces any job not yet started with this one.
    fn submit(&self, generation: u64, job: SiteFilesJob) {
        if let Ok(mut slot) = self.slot.lock() {
            *slot = Some((generation, job));
            self.ready.notify_one();
        }
    }

    /// The next job to run: the latest one submitted, once no newer one has come for
    /// [`SITE_FILES_QUIET`] (a burst of saves costs one index build, not one per save).
    fn next(&self) -> Option<(u64, SiteFilesJob)> {
        let mut slot = self.slot.lock().ok()?;
        let mut job = loop {
            if let Some(job) = slot.take() {
                break job;
            }
            slot = self.ready.wait(slot).ok()?;
        };
        loop {
            let (guard, timeout) = self.ready.wait_timeout(slot, SITE_FILES_QUIET).ok()?;
            slot = guard;
            match slot.take() {
                Some(newer) => job = newer,
                None if timeout.timed_out() => return Some(job),
                None => {}
            }
        }
    }
}

/// Adds the site-wide files computed for rebuild `generation`, unless a newer rebuild has
/// been published meanwhile (it brings its own).
fn publish_site_files(state: &ServerState, generation: u64, summary: Files) {
    if let Ok(mut files) = state.files.write() {
        if state.generation.load(std::sync::atomic::Ordering::SeqCst) != generation {
            return;
        }
        *files = Arc::new(Served {
            pages: Arc::clone(&files.pages),
            site_wide: Arc::new(summary),
        });
        state
            .starting
            .store(false, std::sync::atomic::Ordering::SeqCst);
    }
}

/// The page files of a rebuild plus its site-wide files.
fn with_site_files(pages: &Files, site: Files) -> Files {
    let mut all = pages.clone();
    all.extend(site);
    all
}

fn errors_message(
    report: &crate::site::build::BuildReport,
    served_good: bool,
) -> Option<ReloadMessage> {
    if report.error_count() == 0 {
        return None;
    }
    let mut json = Vec::new();
    render_diagnostics(
        &report.diagnostics,
        &report.sources,
        OutputFormat::Json,
        &mut json,
    )
    .ok()?;
    let diagnostics = serde_json::from_slice(&json).ok()?;
    Some(ReloadMessage::Errors {
        diagnostics,
        served_good,
    })
}

/// Prints a build's problems and its summary line; `served_good` tells whether an earlier
/// build without errors is being served.
fn print_report(
    report: &crate::site::build::BuildReport,
    color: bool,
    verb: &str,
    took: Duration,
    served_good: bool,
) {
    let mut err = std::io::stderr().lock();
    let _ = render_diagnostics(
        &report.diagnostics,
        &report.sources,
        OutputFormat::Human { color },
        &mut err,
    );
    let status = match (report.error_count() > 0, served_good) {
        (false, _) => "",
        (true, true) => "; serving the last good build",
        (true, false) => "; nothing to serve until they are fixed (the browser shows them)",
    };
    let _ = writeln!(
        err,
        "{verb} {} in {} ms, {}, {}{status}",
        count(report.pages, "page"),
        took.as_millis(),
        count(report.error_count(), "error"),
        count(report.warning_count(), "warning")
    );
}

/// Opens `url` with the desktop's opener, quietly: what the opener prints on a machine
/// without a browser is replaced by one line.
fn open_browser(url: &str) {
    let url = url.to_string();
    let _ = std::thread::Builder::new()
        .name("majors-open".into())
        .spawn(move || {
            for cmd in ["xdg-open", "open"] {
                let status = std::process::Command::new(cmd)
                    .arg(&url)
                    .stdin(std::process::Stdio::null())
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .status();
                match status {
                    Ok(s) if s.success() => return,
                    Ok(_) => break,
                    Err(_) => continue,
                }
            }
            let _ = writeln!(
                std::io::stderr(),
                "--open: no browser could be started here; open {url} yourself"
            );
        });
}
