//! HTTP: serve the last good build from memory, plus the live-reload endpoint.
//!
//! Requests are answered from the in-memory file map of the last successful build, never from
//! the file system, so no request path (`..`, `%2e%2e`, backslashes, absolute paths, symlinks)
//! can reach a file outside the built site. [`resolve_request_path`] is the one place that maps
//! a URL path to a key of that map.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use axum::body::Body;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::sync::broadcast;

use super::reload::{inject, ReloadMessage, CLIENT_JS, SCRIPT_PATH, WS_PATH};

/// What the server shows: the last good build and, if the latest rebuild failed, its errors.
pub struct ServerState {
    /// Output path -> bytes of the last successful build.
    pub files: RwLock<Arc<BTreeMap<String, crate::site::build::FileBytes>>>,
    /// The latest failure, sent to browsers that connect while it lasts.
    pub errors: RwLock<Option<ReloadMessage>>,
    /// Reload messages for every open websocket.
    pub reload: broadcast::Sender<ReloadMessage>,
    /// Bumped on every publish; a late background job checks it before swapping files in.
    pub generation: std::sync::atomic::AtomicU64,
    /// True from start-up until the first site-wide files (sitemap, feed, `pages.json`,
    /// search index) are in: a request for a file not there yet waits for them meanwhile.
    pub starting: std::sync::atomic::AtomicBool,
}

/// The router: the reload endpoint and script, and every other path from the build.
pub fn router(state: Arc<ServerState>) -> Router {
    Router::new()
        .route(WS_PATH, get(websocket))
        .route(SCRIPT_PATH, get(client_script))
        .fallback(serve_file)
        .with_state(state)
}

/// Maps a request path to a key of the built file map, or `None` for anything that is not a
/// plain path inside the site. Folders map to their `index.html`.
pub fn resolve_request_path(raw_path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(raw_path)
        .decode_utf8()
        .ok()?;
    if decoded.contains('\\') || decoded.contains('\0') || !decoded.starts_with('/') {
        return None;
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s if s.contains(':') => return None,
            s => parts.push(s),
        }
    }
    let mut key = parts.join("/");
    if decoded.ends_with('/') || key.is_empty() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

/// How long a request waits at start-up for the site-wide files before it gets a 404.
const STARTING_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

async fn serve_file(State(state): State<Arc<ServerState>>, req: Request<Body>) -> Response {
    let current = || {
        state
            .files
            .read()
            .map(|f| Arc::clone(&f))
            .unwrap_or_default()
    };
    let mut files = current();
    let path = req.uri().path();
    let Some(key) = resolve_request_path(path) else {
        return not_found(&files);
    };
    let waited = std::time::Instant::now();
    while !files.contains_key(&key)
        && state.starting.load(std::sync::atomic::Ordering::SeqCst)
        && waited.elapsed() < STARTING_WAIT
    {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        files = current();
    }
    if let Some(bytes) = files.get(&key) {
        return file_response(&key, bytes, StatusCode::OK);
    }
    // `/countries/peru` -> `/countries/peru/` when that folder has a page.
    if !path.ends_with('/') && files.contains_key(&format!("{key}/index.html")) {
        return Response::builder()
            .status(StatusCode::MOVED_PERMANENTLY)
            .header(header::LOCATION, format!("{path}/"))
            .body(Body::empty())
            .unwrap_or_default();
    }
    not_found(&files)
}

fn not_found(files: &BTreeMap<String, crate::site::build::FileBytes>) -> Response {
    match files.get("404.html") {
        Some(bytes) => file_response("404.html", bytes, StatusCode::NOT_FOUND),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

fn file_response(key: &str, bytes: &crate::site::build::FileBytes, status: StatusCode) -> Response {
    let bytes = bytes.bytes();
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let body = if is_html {
        inject(&bytes)
    } else {
        bytes.into_owned()
    };
    let content_type = if mime.type_() == "text"
        || key.ends_with(".js")
        || key.ends_with(".json")
        || key.ends_with(".xml")
    {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = status;
    let headers = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    resp
}

async fn client_script() -> Response {
    let mut resp = Response::new(Body::from(CLIENT_JS));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    resp
}

async fn websocket(State(state): State<Arc<ServerState>>, ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(move |socket| forward_reloads(socket, state))
}

async fn forward_reloads(mut socket: WebSocket, state: Arc<ServerState>) {
    let mut rx = state.reload.subscribe();
    let pending = state.errors.read().ok().and_then(|e| e.clone());
    if let Some(msg) = pending {
        if socket
            .send(Message::Text(msg.to_json().into()))
            .await
            .is_err()
        {
            return;
        }
    }
    loop {
        tokio::select! {
            msg = rx.recv() => match msg {
                Ok(msg) => {
                    if socket.send(Message::Text(msg.to_json().into())).await.is_err() {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(_)) => continue,
                _ => return,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_map_inside_the_site_only() {
        assert_eq!(resolve_request_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            resolve_request_path("/countries/peru/").as_deref(),
            Some("countries/peru/index.html")
        );
        assert_eq!(
            resolve_request_path("/style.css").as_deref(),
            Some("style.css")
        );
        assert_eq!(
            resolve_request_path("/a%20b/").as_deref(),
            Some("a b/index.html")
        );
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/a/%2e%2e%2fsecret",
            "/..%5c..%5cwindows",
            "/a\\b",
            "/C:/x",
            "/%00",
        ] {
            assert_eq!(resolve_request_path(bad), None, "{bad}");
        }
    }
}
