//! What `serve` refuses and bounds: websockets from other origins, redirects that would leave
//! the site (D19), and connections that are slow or idle (D20). Timeouts here only bound the
//! waits; no test asserts how fast anything is.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use tungstenite::client::IntoClientRequest;

use super::{connect_ws, get, start, start_with, wait_for, Socket};
use crate::support;

/// A short header timeout (the default is 10 s), so the tests need not wait long.
const SHORT_HEADERS: [&str; 2] = ["--header-timeout-ms", "1000"];
/// A short idle timeout (the default is 60 s).
const SHORT_IDLE: [&str; 2] = ["--idle-timeout-ms", "1000"];

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

/// Reads until the server closes the connection (15 s at most in all, however the server
/// trickles bytes): what it sent.
fn read_until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(!left.is_zero(), "the server kept the connection open");
        stream.set_read_timeout(Some(left)).expect("timeout");
        match stream.read(&mut buf) {
            Ok(0) => return got,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return got,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => panic!("reading: {e}"),
        }
    }
}

#[test]
fn a_client_that_stops_mid_request_is_disconnected() {
    let site = support::site("");
    let server = start_with(&site, &SHORT_HEADERS);
    let mut stream = TcpStream::connect(&server.addr).expect("connect");
    stream.write_all(b"GET /things/alpha/ HT").expect("send");
    read_until_closed(&mut stream);
    // Another client that never sends a byte.
    let mut silent = TcpStream::connect(&server.addr).expect("connect");
    read_until_closed(&mut silent);
    assert_eq!(get(&server.addr, "/things/alpha/").0, 200, "still serving");
}

#[test]
fn an_idle_keep_alive_connection_is_closed() {
    let site = support::site("");
    let server = start_with(&site, &SHORT_HEADERS);
    let mut stream = TcpStream::connect(&server.addr).expect("connect");
    write!(
        stream,
        "GET /__majors/livereload.js HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.addr
    )
    .expect("send");
    let got = read_until_closed(&mut stream);
    assert!(got.starts_with(b"HTTP/1.1 200"), "answered first");
}

/// Reads for `how_long` as a browser tab does (answering pings), failing if the socket closes.
fn stay_idle(socket: &mut Socket, how_long: Duration) {
    let until = Instant::now() + how_long;
    while Instant::now() < until {
        match socket.read() {
            Ok(tungstenite::Message::Close(_)) => panic!("the server closed the idle websocket"),
            Ok(_) => {}
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => panic!("the idle websocket failed: {e}"),
        }
    }
}

#[test]
fn an_idle_websocket_stays_open_and_gets_the_reload() {
    let site = support::site("");
    let server = start_with(&site, &SHORT_IDLE);
    let mut ws = connect_ws(&server.addr);
    stay_idle(&mut ws, Duration::from_secs(4));
    let text = site
        .read("content/things/alpha.md")
        .replace("Alpha is the first thing.", "Alpha after a quiet spell.");
    site.write("content/things/alpha.md", text);
    wait_for(&mut ws, "reload");
}

/// A client that completes the websocket handshake and then never answers (a closed laptop):
/// the server's pings go unanswered and the idle timeout closes the socket.
#[test]
fn a_websocket_that_stops_answering_is_closed() {
    let site = support::site("");
    let server = start_with(&site, &SHORT_IDLE);
    let mut stream = TcpStream::connect(&server.addr).expect("connect");
    write!(
        stream,
        "GET /__majors/livereload HTTP/1.1\r\nHost: {}\r\nUpgrade: websocket\r\n\
         Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
         Sec-WebSocket-Version: 13\r\n\r\n",
        server.addr
    )
    .expect("send");
    let got = read_until_closed(&mut stream);
    assert!(got.starts_with(b"HTTP/1.1 101"), "upgraded first");
}

#[test]
fn ctrl_c_stops_the_server_with_connections_open() {
    let site = support::site("");
    let mut server = start(&site);
    let _ws = connect_ws(&server.addr);
    let mut idle = TcpStream::connect(&server.addr).expect("connect");
    write!(
        idle,
        "GET /__majors/livereload.js HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.addr
    )
    .expect("send");
    let mut first = [0u8; 12];
    idle.read_exact(&mut first).expect("response");
    let status = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(exit) = server.child.try_wait().expect("wait") {
            assert!(exit.success(), "{exit}");
            break;
        }
        assert!(Instant::now() < deadline, "serve did not stop on Ctrl+C");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn another_host_name_is_refused_even_with_a_matching_origin() {
    // The review's N3: DNS rebinding. A page of `rebind.evil.example`, resolved to 127.0.0.1,
    // sends `Host` and `Origin` that agree, so the origin check alone let it in.
    let site = support::site("");
    let server = start(&site);
    let addr = server.addr.clone();
    let port = addr.rsplit(':').next().expect("port");
    let raw = |host: &str| {
        let mut stream = TcpStream::connect(&addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        write!(
            stream,
            "GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut out = String::new();
        let _ = stream.read_to_string(&mut out);
        out.split_whitespace().nth(1).unwrap_or("").to_string()
    };
    assert_eq!(raw(&format!("rebind.evil.example:{port}")), "421");
    assert_eq!(raw(&format!("localhost:{port}")), "200");
    assert_eq!(raw(&addr), "200");
    let mut request = format!("ws://{addr}/__majors/livereload")
        .into_client_request()
        .expect("request");
    let evil = format!("rebind.evil.example:{port}");
    request
        .headers_mut()
        .insert("host", evil.parse().expect("header"));
    request
        .headers_mut()
        .insert("origin", format!("http://{evil}").parse().expect("header"));
    match tungstenite::connect(request) {
        Err(tungstenite::Error::Http(response)) => assert_eq!(response.status().as_u16(), 421),
        other => panic!("the handshake should be refused: {:?}", other.map(|_| ())),
    }
}
