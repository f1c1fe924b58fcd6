//! The connection loop of `serve`: accepts TCP connections and serves each with hyper's
//! HTTP/1 (with upgrades, for the reload websocket), bounding how long a client may take.
//!
//! `axum::serve` sets no timeouts, so a client that sends its headers slowly, or never, or
//! keeps a connection open and quiet, held a task and a file descriptor for as long as it
//! liked. Here:
//!
//! - **headers:** hyper's header-read timeout closes a connection whose request head is not
//!   complete within [`Timeouts::header`]. hyper counts it from when the connection is ready
//!   for a request (on accept, and after each response), so an idle keep-alive connection is
//!   closed after that long too.
//! - **idle:** every socket is wrapped in a [`TimeoutStream`] whose reads and writes fail after
//!   [`Timeouts::idle`] without progress: a request body that stalls, a client that stops
//!   reading a response, a websocket whose browser has gone. The reload websocket is pinged
//!   more often than that ([`Timeouts::websocket_ping`]; browsers answer pings by
//!   themselves), so a quiet tab keeps its socket.
//! - **Ctrl+C:** the listener closes, every connection finishes its current response and
//!   closes, and the server waits for them at most [`SHUTDOWN_GRACE`].

use std::io::Write;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio_io_timeout::TimeoutStream;

/// How long a connection may take, per [the module doc](self).
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// Time allowed for a request's head (request line and headers).
    pub header: Duration,
    /// Time a read or write may wait without progress.
    pub idle: Duration,
}

impl Timeouts {
    /// How often the reload websocket is pinged: well within the idle timeout, so that the
    /// browser's answers keep it from ever counting as idle.
    pub fn websocket_ping(&self) -> Duration {
        (self.idle / 3).max(Duration::from_millis(1))
    }
}

/// How long Ctrl+C waits for open connections to finish.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// Serves `app` on `listener` until Ctrl+C or SIGTERM, then shuts down gracefully; returns
/// which of the two it was.
pub async fn serve_connections(
    listener: TcpListener,
    app: Router,
    timeouts: Timeouts,
) -> &'static str {
    // Each connection holds a receiver: a send asks them to finish, and `closed` resolves
    // once every one has ended.
    let (stop_tx, stop_rx) = watch::channel(());
    let mut interrupted = std::pin::pin!(stop_signal());
    let signal = loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let task = serve_connection(stream, app.clone(), timeouts, stop_rx.clone());
                    tokio::spawn(task);
                }
                Err(e) => accept_failed(e).await,
            },
            signal = &mut interrupted => break signal,
        }
    };
    drop(listener);
    drop(stop_rx);
    let _ = stop_tx.send(());
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, stop_tx.closed()).await;
    signal
}

/// Resolves on Ctrl+C (SIGINT) or SIGTERM, with the signal's name. A handler that cannot be
/// installed never resolves: the server then runs until killed, rather than stopping at once.
async fn stop_signal() -> &'static str {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => "interrupted",
        () = terminate => "terminated",
    }
}

/// Serves one connection until it ends, times out or is asked to stop.
async fn serve_connection(
    stream: TcpStream,
    app: Router,
    timeouts: Timeouts,
    mut stop: watch::Receiver<()>,
) {
    let mut stream = TimeoutStream::new(stream);
    stream.set_read_timeout(Some(timeouts.idle));
    stream.set_write_timeout(Some(timeouts.idle));
    let io = TokioIo::new(Box::pin(stream));
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(timeouts.header)
        .serve_connection(io, TowerToHyperService::new(app))
        .with_upgrades();
    let mut conn = std::pin::pin!(conn);
    let ended = tokio::select! {
        ended = conn.as_mut() => ended,
        _ = stop.changed() => {
            conn.as_mut().graceful_shutdown();
            conn.await
        }
    };
    // A timeout, a reset or a malformed request ends that connection only.
    if let Err(e) = ended {
        tracing::debug!(error = %e, "connection ended");
    }
}

/// After a failed accept. Errors about one connection (reset before it was accepted) concern
/// that client only; others, such as running out of file descriptors, would fail again at
/// once, so the loop pauses instead of spinning.
async fn accept_failed(e: std::io::Error) {
    use std::io::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    ) {
        return;
    }
    let _ = writeln!(std::io::stderr(), "cannot accept a connection: {e}");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
