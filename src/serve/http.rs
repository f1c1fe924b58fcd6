//! HTTP: serve the last good build from memory, plus the live-reload endpoint.
//!
//! Requests are answered from the in-memory file map of the last successful build, never from
//! the file system, so no request path (`..`, `%2e%2e`, backslashes, absolute paths, symlinks)
//! can reach a file outside the built site. [`resolve_request_path`] is the one place that maps
//! a URL path to a key of that map, and a redirect's `Location` is built from that key
//! ([`slash_redirect`]), so it is always a path on this site. The live-reload websocket
//! accepts only pages of this server ([`same_origin`]).

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use axum::body::Body;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::uri::Authority;
use axum::http::{header, HeaderMap, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::sync::broadcast;

use crate::file_bytes::FileBytes;
use crate::site::build::Files;

use super::reload::{inject, ReloadMessage, CLIENT_JS, SCRIPT_PATH, WS_PATH};

/// The files the server answers with: those of the last good rebuild (pages, static files,
/// the 404 page) and the site-wide outputs (`site::outputs`) made for it or, until they come,
/// for the rebuild before. Each set is replaced as a whole, never merged, so a file no
/// rebuild makes any more is not served.
#[derive(Default)]
pub struct Served {
    /// Output path -> bytes, from the rebuild.
    pub pages: Arc<Files>,
    /// Output path -> bytes, from the site-wide outputs.
    pub site_wide: Arc<Files>,
}

impl Served {
    /// The file at output path `key`.
    pub fn get(&self, key: &str) -> Option<&FileBytes> {
        self.pages.get(key).or_else(|| self.site_wide.get(key))
    }

    fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// What is served after a good rebuild: its `files`, and the site-wide outputs made for
    /// it, or this set's when it made none (`None`: the site data is as it was).
    pub fn after(&self, files: Files, site_wide: Option<Files>) -> Served {
        Served {
            pages: Arc::new(files),
            site_wide: site_wide.map_or_else(|| Arc::clone(&self.site_wide), Arc::new),
        }
    }

    /// Every file served, by output path.
    pub fn all(&self) -> BTreeMap<&str, &FileBytes> {
        let site_wide = self.site_wide.iter();
        let all = site_wide.chain(self.pages.iter());
        all.map(|(k, v)| (k.as_str(), v)).collect()
    }
}

/// What the server shows: the last good build and, if the latest rebuild failed, its errors.
pub struct ServerState {
    /// What the last good build made.
    pub files: RwLock<Arc<Served>>,
    /// The latest failure, sent to browsers that connect while it lasts.
    pub errors: RwLock<Option<ReloadMessage>>,
    /// Reload messages for every open websocket.
    pub reload: broadcast::Sender<ReloadMessage>,
    /// Bumped on every publish; a late background job checks it before swapping files in.
    pub generation: std::sync::atomic::AtomicU64,
    /// True from start-up until the first site-wide files (sitemap, feed, `pages.json`,
    /// search index) are in: a request for a file not there yet waits for them meanwhile.
    pub starting: std::sync::atomic::AtomicBool,
    /// How often an open websocket is pinged: more often than the connection idle timeout,
    /// so that the browser's answers keep a quiet tab's socket open.
    pub ping_every: std::time::Duration,
}

/// The router: the reload endpoint and script, and every other path from the build.
pub fn router(state: Arc<ServerState>) -> Router {
    Router::new()
        .route(WS_PATH, get(websocket))
        .route(SCRIPT_PATH, get(client_script))
        .fallback(serve_file)
        .layer(axum::middleware::from_fn(only_direct_hosts))
        .with_state(state)
}

/// Refuses a request whose `Host` is a name other than `localhost` (421): a page of another
/// site whose name an attacker points at 127.0.0.1 (DNS rebinding) would otherwise pass the
/// websocket's origin check, since its `Origin` and `Host` agree. An IP address is what a
/// browser sends when the server is reached directly (also on another machine with `--bind`).
async fn only_direct_hosts(req: Request<Body>, next: axum::middleware::Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .map(|h| h.as_bytes().to_vec());
    match host.as_deref().map(host_and_port) {
        None => next.run(req).await,
        Some(Some((name, _))) if is_direct_host(&name) => next.run(req).await,
        Some(_) => (
            StatusCode::MISDIRECTED_REQUEST,
            "majors serve answers only for localhost or an IP address\n",
        )
            .into_response(),
    }
}

/// `localhost` or an IP address (`[::1]` with its brackets).
fn is_direct_host(name: &str) -> bool {
    name == "localhost"
        || name.parse::<std::net::Ipv4Addr>().is_ok()
        || name
            .strip_prefix('[')
            .and_then(|n| n.strip_suffix(']'))
            .is_some_and(|n| n.parse::<std::net::Ipv6Addr>().is_ok())
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
        let location = slash_redirect(&key, req.uri().query());
        if let Ok(location) = HeaderValue::from_str(&location) {
            let mut resp = Response::new(Body::empty());
            *resp.status_mut() = StatusCode::MOVED_PERMANENTLY;
            resp.headers_mut().insert(header::LOCATION, location);
            return resp;
        }
    }
    not_found(&files)
}

/// Characters percent-encoded in a redirect's path: those a path segment cannot hold as
/// they are (the key is decoded, so `%` itself is one of them).
const PATH_ESCAPES: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// The `Location` of the redirect from a folder's path without its slash to the folder, built
/// from the file map `key` (never from the raw request path, which for `//host/x` would make
/// a protocol-relative URL to another host), with the request's query kept.
pub fn slash_redirect(key: &str, query: Option<&str>) -> String {
    let mut location = format!(
        "/{}/",
        percent_encoding::utf8_percent_encode(key.trim_matches('/'), PATH_ESCAPES)
    );
    if let Some(query) = query {
        location.push('?');
        location.push_str(query);
    }
    location
}

fn not_found(files: &Served) -> Response {
    match files.get("404.html") {
        Some(bytes) => file_response("404.html", bytes, StatusCode::NOT_FOUND),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

fn file_response(key: &str, bytes: &FileBytes, status: StatusCode) -> Response {
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

async fn websocket(
    State(state): State<Arc<ServerState>>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    // Browsers let any page open a websocket to any host; the reload messages carry file
    // paths and diagnostics, so only pages of this server may listen.
    let origin = headers.get(header::ORIGIN).map(HeaderValue::as_bytes);
    let host = headers.get(header::HOST).map(HeaderValue::as_bytes);
    if !same_origin(origin, host) {
        return (StatusCode::FORBIDDEN, "cross-origin websocket refused").into_response();
    }
    ws.on_upgrade(move |socket| forward_reloads(socket, state))
}

/// True if a websocket request may connect: it has no `Origin` (not a browser), or its
/// `Origin` is `http://` and the same host and port as its `Host` header.
///
/// ```text
/// Origin: http://127.0.0.1:1111   Host: 127.0.0.1:1111   -> allowed
/// Origin: http://localhost        Host: localhost:80     -> allowed (80 is http's port)
/// Origin: http://evil.example     Host: 127.0.0.1:1111   -> refused
/// Origin: https://127.0.0.1:1111  Host: 127.0.0.1:1111   -> refused (not what we serve)
/// Origin: null                    (any)                  -> refused
/// ```
pub fn same_origin(origin: Option<&[u8]>, host: Option<&[u8]>) -> bool {
    let Some(origin) = origin else {
        return true;
    };
    let Some(origin) = origin.strip_prefix(b"http://").and_then(host_and_port) else {
        return false;
    };
    host.and_then(host_and_port) == Some(origin)
}

/// `host[:port]` as (lowercase host, port, 80 if none), or `None` if it is not a bare
/// authority (a user, path, query or fragment, or not UTF-8).
fn host_and_port(bytes: &[u8]) -> Option<(String, u16)> {
    let text = std::str::from_utf8(bytes).ok()?;
    if text.is_empty() || text.contains(['@', '/', '?', '#']) {
        return None;
    }
    let authority: Authority = text.parse().ok()?;
    let port = authority.port_u16().unwrap_or(80);
    Some((authority.host().to_ascii_lowercase(), port))
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
    let mut ping = tokio::time::interval(state.ping_every);
    ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
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
            _ = ping.tick() => {
                if socket.send(Message::Ping(Default::default())).await.is_err() {
                    return;
                }
            }
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
    fn only_localhost_and_ip_addresses_are_served() {
        for ok in ["localhost", "127.0.0.1", "192.168.1.20", "[::1]"] {
            assert!(is_direct_host(ok), "{ok}");
        }
        for bad in [
            "rebind.evil.example",
            "localhost.evil",
            "127.0.0.1.nip.io",
            "::1",
            "",
        ] {
            assert!(!is_direct_host(bad), "{bad}");
        }
    }

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

    #[test]
    fn websockets_connect_from_this_server_only() {
        let check = |origin: Option<&str>, host: Option<&str>| {
            same_origin(origin.map(str::as_bytes), host.map(str::as_bytes))
        };
        let host = Some("127.0.0.1:1111");
        assert!(check(None, host), "no Origin: not a browser");
        assert!(check(None, None));
        assert!(check(Some("http://127.0.0.1:1111"), host));
        assert!(check(Some("http://LocalHost"), Some("localhost:80")));
        assert!(check(Some("http://[::1]:1111"), Some("[::1]:1111")));
        for origin in [
            "http://evil.example",
            "http://evil.example:1111",
            "http://127.0.0.1:1112",
            "http://127.0.0.1",
            "https://127.0.0.1:1111",
            "ws://127.0.0.1:1111",
            "http://user@127.0.0.1:1111",
            "http://127.0.0.1:1111/",
            // Browsers serialize origins in lowercase; anything else is not one of ours.
            "HTTP://127.0.0.1:1111",
            "http://",
            "null",
            "",
        ] {
            assert!(!check(Some(origin), host), "{origin}");
        }
        assert!(!check(Some("http://127.0.0.1:1111"), None), "no Host");
        assert!(!check(Some("http://a"), Some("a/b")), "a Host with a path");
        assert!(
            !same_origin(Some(b"http://\xff"), Some(b"\xff")),
            "not UTF-8"
        );
    }

    #[test]
    fn slash_redirects_are_site_paths_with_the_query() {
        assert_eq!(slash_redirect("countries/peru", None), "/countries/peru/");
        assert_eq!(
            slash_redirect("countries/peru", Some("x=1&y=%2F")),
            "/countries/peru/?x=1&y=%2F"
        );
        assert_eq!(slash_redirect("a b/caf\u{e9}", None), "/a%20b/caf%C3%A9/");
        assert_eq!(slash_redirect("100%/x?y#z", None), "/100%25/x%3Fy%23z/");
        // `//countries/peru` resolves to the key `countries/peru`: one leading slash.
        let key = resolve_request_path("//countries/peru").expect("a site path");
        assert_eq!(slash_redirect(&key, None), "/countries/peru/");
    }
}
