//! What `serve` refuses: websockets from other origins and redirects that would leave the
//! site (D19).

use std::time::Duration;

use tungstenite::client::IntoClientRequest;

use super::{get, start, wait_for, Socket};
use crate::support;

/// The websocket handshake with an optional `Origin` header: the socket, or the HTTP status
/// of the refusal.
fn ws_with_origin(addr: &str, origin: Option<&str>) -> Result<Socket, u16> {
    let mut request = format!("ws://{addr}/__majors/livereload")
        .into_client_request()
        .expect("request");
    if let Some(origin) = origin {
        request
            .headers_mut()
            .insert("origin", origin.parse().expect("header value"));
    }
    match tungstenite::connect(request) {
        Ok((socket, _)) => Ok(socket),
        Err(tungstenite::Error::Http(response)) => Err(response.status().as_u16()),
        Err(e) => panic!("websocket handshake: {e}"),
    }
}

#[test]
fn websockets_from_other_origins_are_refused() {
    let site = support::site("");
    let server = start(&site);
    let addr = &server.addr;
    let port = addr.rsplit(':').next().expect("port");
    for origin in [
        "http://evil.example".to_string(),
        format!("http://evil.example:{port}"),
        "http://127.0.0.1:1".to_string(),
        format!("https://{addr}"),
        format!("http://user@{addr}"),
        "null".to_string(),
    ] {
        assert_eq!(
            ws_with_origin(addr, Some(&origin)).err(),
            Some(403),
            "{origin}"
        );
    }
    let mut same = ws_with_origin(addr, Some(&format!("http://{addr}"))).expect("same origin");
    let mut none = ws_with_origin(addr, None).expect("no Origin header");
    let text = site
        .read("content/things/alpha.md")
        .replace("Alpha is the first thing.", "Alpha, seen by both.");
    site.write("content/things/alpha.md", text);
    for socket in [&mut same, &mut none] {
        if let tungstenite::stream::MaybeTlsStream::Plain(s) = socket.get_ref() {
            s.set_read_timeout(Some(Duration::from_millis(200)))
                .expect("timeout");
        }
        wait_for(socket, "reload");
    }
}

/// The `Location` header of a response head (lowercased by `get`).
fn location(head: &str) -> Option<&str> {
    head.lines()
        .find_map(|l| l.strip_prefix("location: "))
        .map(str::trim)
}

#[test]
fn slash_redirects_stay_on_the_site_and_keep_the_query() {
    let site = support::site("");
    let server = start(&site);
    for (path, want) in [
        ("/things/alpha", "/things/alpha/"),
        ("//things/alpha", "/things/alpha/"),
        ("///things//alpha", "/things/alpha/"),
        ("/things/./alpha", "/things/alpha/"),
        ("/things/alpha?x=1", "/things/alpha/?x=1"),
        ("//things/alpha?x=1&y=%2f", "/things/alpha/?x=1&y=%2f"),
    ] {
        let (status, head, _) = get(&server.addr, path);
        assert_eq!(status, 301, "{path}");
        assert_eq!(location(&head), Some(want), "{path}: {head}");
    }
}
