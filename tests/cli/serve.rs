//! `majors serve`: a real server on a free port, real file edits, a real websocket client.
//!
//! This module holds the harness and the basic behaviour; `serve/follow.rs` tests that serve
//! follows folders that are deleted, re-created or replaced, and `serve/limits.rs` what it
//! refuses (cross-origin websockets, off-site redirects) and bounds (slow or idle
//! connections).

mod follow;
mod limits;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support;

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(site: &support::Site) -> Server {
    start_with(site, &[])
}

/// Starts `majors serve` on a free port with extra arguments (e.g. short timeouts).
fn start_with(site: &support::Site, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_majors"))
        .args(["serve", "--port", "0", "--color", "never"])
        .args(extra)
        .arg("--root")
        .arg(site.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read URL");
    let addr = line
        .trim()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    assert!(
        addr.starts_with("127.0.0.1:"),
        "unexpected first line {line:?}"
    );
    Server { child, addr }
}

/// One raw HTTP/1.1 GET (no client-side path normalization): (status, headers, body).
fn get(addr: &str, path: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_lowercase(), body.to_string())
}

type Socket = tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>;

fn connect_ws(addr: &str) -> Socket {
    let (socket, _) =
        tungstenite::connect(format!("ws://{addr}/__majors/livereload")).expect("websocket");
    if let tungstenite::stream::MaybeTlsStream::Plain(s) = socket.get_ref() {
        s.set_read_timeout(Some(Duration::from_millis(200)))
            .expect("timeout");
    }
    socket
}

/// Polls `check` (up to 15 s) until it holds; panics naming `what` otherwise.
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !check() {
        assert!(Instant::now() < deadline, "not within 15 s: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits (up to 15 s) for a message whose JSON `type` is `kind`; returns it.
fn wait_for(socket: &mut Socket, kind: &str) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        match socket.read() {
            Ok(tungstenite::Message::Text(t)) => {
                let v: serde_json::Value = serde_json::from_str(t.as_str()).expect("json message");
                if v["type"] == kind {
                    return v;
                }
            }
            Ok(_) => {}
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => panic!("websocket: {e}"),
        }
    }
    panic!("no `{kind}` message within 15 s");
}

/// The site-wide files of the first build are computed after the server starts; a request
/// for one right away waits for it instead of getting a 404.
#[test]
fn site_wide_files_are_there_from_the_first_request() {
    let site = support::site("");
    let server = start(&site);
    for path in [
        "/sitemap.xml",
        "/search/index.json",
        "/data/pages.json",
        "/atom.xml",
    ] {
        let (status, _, body) = get(&server.addr, path);
        assert_eq!(status, 200, "{path}");
        assert!(!body.is_empty(), "{path}");
    }
    assert_eq!(get(&server.addr, "/no/such/page/").0, 404);
}

#[test]
fn edit_reload_error_overlay_and_recovery() {
    let site = support::site("");
    let server = start(&site);
    let (status, head, body) = get(&server.addr, "/things/alpha/");
    assert_eq!(status, 200);
    assert!(
        head.contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(body.contains("<h1>Alpha</h1>"));
    assert!(
        body.contains("/__majors/livereload.js"),
        "reload script injected"
    );
    let mut ws = connect_ws(&server.addr);

    // A save re-renders the page and tells the browser to reload.
    let text = site
        .read("content/things/alpha.md")
        .replace("Alpha is the first thing.", "Alpha was edited.");
    site.write("content/things/alpha.md", &text);
    wait_for(&mut ws, "reload");
    assert!(get(&server.addr, "/things/alpha/")
        .2
        .contains("Alpha was edited."));

    // A broken save: the overlay data arrives and the last good page is still served.
    site.write(
        "content/things/alpha.md",
        text.replace("status: open", "status: opne"),
    );
    let msg = wait_for(&mut ws, "errors");
    let first = &msg["diagnostics"][0];
    assert_eq!(first["code"], "bad-enum-value");
    assert_eq!(first["file"], "content/things/alpha.md");
    assert!(first["help"].as_str().is_some_and(|h| h.contains("open")));
    assert_eq!(msg["served_good"], true, "an earlier build is being served");
    assert!(get(&server.addr, "/things/alpha/")
        .2
        .contains("Alpha was edited."));

    // A browser that connects now is told about the errors at once.
    let mut late = connect_ws(&server.addr);
    wait_for(&mut late, "errors");

    // The fix clears it: a reload follows.
    site.write(
        "content/things/alpha.md",
        text.replace("Alpha was edited.", "Alpha is fixed."),
    );
    wait_for(&mut ws, "reload");
    assert!(get(&server.addr, "/things/alpha/")
        .2
        .contains("Alpha is fixed."));

    // Write-to-temp-then-rename, as vim and VS Code save.
    let tmp = site.path().join("content/things/.alpha.md.swp");
    std::fs::write(&tmp, text.replace("Alpha was edited.", "Alpha via rename.")).expect("tmp");
    std::fs::rename(&tmp, site.path().join("content/things/alpha.md")).expect("rename");
    wait_for(&mut ws, "reload");
    assert!(get(&server.addr, "/things/alpha/")
        .2
        .contains("Alpha via rename."));

    // A new page, then a stylesheet change (swapped without a reload).
    site.write(
        "content/things/epsilon.md",
        "---\ntitle: Epsilon\ncode: E\nstatus: open\n---\nNew.\n",
    );
    wait_for(&mut ws, "reload");
    assert_eq!(get(&server.addr, "/things/epsilon/").0, 200);
    // Site-wide files follow the page right after the reload.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !get(&server.addr, "/data/pages.json").2.contains("Epsilon") {
        assert!(
            Instant::now() < deadline,
            "pages.json never listed the new page"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(get(&server.addr, "/sitemap.xml")
        .2
        .contains("/things/epsilon/"));
    // The first file in a new `static/` folder: a full rebuild; then a stylesheet edit is swapped
    // without a reload.
    site.write("static/style.css", "body { color: gray; }\n");
    wait_for(&mut ws, "reload");
    site.write("static/style.css", "body { color: black; }\n");
    let css = wait_for(&mut ws, "css");
    assert_eq!(css["paths"][0], "/style.css");
    assert_eq!(
        get(&server.addr, "/style.css").2,
        "body { color: black; }\n"
    );
}

#[test]
fn only_built_files_are_served() {
    let site = support::site("");
    site.write("secret.txt", "do not serve");
    let server = start(&site);
    // A symlink planted in the output folder points outside; the server never reads the disk.
    std::fs::create_dir_all(site.path().join("public")).expect("mkdir");
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/passwd", site.path().join("public/passwd")).expect("symlink");
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/things/%2e%2e/%2e%2e/secret.txt",
        "/..%5csecret.txt",
        "/things\\..\\..\\secret.txt",
        "//etc/passwd",
        "/C:/Windows/win.ini",
        "/passwd",
        "/site.yaml",
        "/content/things/alpha.md",
    ] {
        let (status, _, body) = get(&server.addr, path);
        assert!(status == 404 || status == 400, "{path}: status {status}");
        assert!(
            !body.contains("do not serve") && !body.contains("root:"),
            "{path} leaked"
        );
    }
    let (status, _, body) = get(&server.addr, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("Not found"), "the site's 404 page");
    let (status, head, _) = get(&server.addr, "/things/alpha");
    assert_eq!(status, 301);
    assert!(head.contains("location: /things/alpha/"), "{head}");
    let (_, head, _) = get(&server.addr, "/style.css");
    assert!(head.contains("content-type: text/css"), "{head}");
    let (status, _, _) = get(&server.addr, "/things/");
    assert_eq!(status, 200, "a folder serves its index, never a listing");
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let site = support::site("");
    let server = start(&site);
    let port = server.addr.rsplit(':').next().expect("port");
    let out = Command::new(env!("CARGO_BIN_EXE_majors"))
        .args(["serve", "--port", port, "--root"])
        .arg(site.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("already in use") && stderr.contains("--port 0"),
        "{stderr}"
    );
}

/// Starts `majors serve` with stderr captured in a file; returns the child, its address and
/// the file.
fn start_logged(site: &support::Site) -> (Child, String, std::path::PathBuf) {
    let log = site.path().join("serve.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_majors"))
        .args(["serve", "--port", "0", "--color", "never", "--root"])
        .arg(site.path())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).expect("log"))
        .spawn()
        .expect("start serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("read URL");
    let addr = line
        .trim()
        .trim_start_matches("http://")
        .trim_end_matches('/');
    (child, addr.to_string(), log)
}

/// Waits for the child to exit (a guard of 10 s against a hang, not a timing assertion).
fn exit_code(child: &mut Child) -> Option<i32> {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().expect("wait") {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = child.kill();
    panic!("serve did not stop");
}

#[test]
fn ctrl_c_and_sigterm_stop_the_server_with_a_goodbye_and_exit_zero() {
    for (signal, said) in [("-INT", "interrupted"), ("-TERM", "terminated")] {
        let site = support::site("");
        let (mut child, addr, log) = start_logged(&site);
        let (status, _, _) = get(&addr, "/");
        assert_eq!(status, 200);
        let killed = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .expect("kill");
        assert!(killed.success());
        assert_eq!(exit_code(&mut child), Some(0), "{signal}");
        let stderr = std::fs::read_to_string(&log).expect("log");
        let goodbye = format!("{said}: stopped serving http://{addr}/");
        assert!(stderr.contains(&goodbye), "{signal}: {stderr}");
    }
}

#[test]
fn a_first_build_with_errors_does_not_claim_a_last_good_build() {
    let site = support::site("errors/unknown_reference");
    let (mut child, addr, log) = start_logged(&site);
    let (status, _, _) = get(&addr, "/");
    assert_eq!(status, 404, "nothing has been built");
    let _ = child.kill();
    let _ = child.wait();
    let stderr = std::fs::read_to_string(&log).expect("log");
    assert!(
        stderr.contains("1 error, 0 warnings; nothing to serve until they are fixed"),
        "{stderr}"
    );
    assert!(!stderr.contains("last good build"), "{stderr}");
}

#[test]
fn the_overlay_of_a_first_build_with_errors_says_nothing_has_built() {
    let site = support::site("errors/unknown_reference");
    let server = start(&site);
    let mut ws = connect_ws(&server.addr);
    let msg = wait_for(&mut ws, "errors");
    assert_eq!(msg["served_good"], false, "{msg}");
}

/// A content asset deleted while serving is gone from the served site after the next save,
/// as it is from a full build (it was carried over as a "site-wide" file).
#[test]
fn a_deleted_asset_is_no_longer_served() {
    let site = support::site("");
    site.write("content/things/plan.txt", "the plan");
    let server = start(&site);
    let (status, _, body) = get(&server.addr, "/things/plan.txt");
    assert_eq!((status, body.as_str()), (200, "the plan"));
    std::fs::remove_file(site.path().join("content/things/plan.txt")).expect("rm");
    let page = site.read("content/things/alpha.md");
    site.write(
        "content/things/alpha.md",
        format!("{page}\nOne more line.\n"),
    );
    eventually("the edit is served", || {
        get(&server.addr, "/things/alpha/")
            .2
            .contains("One more line.")
    });
    eventually("the asset is gone", || {
        get(&server.addr, "/things/plan.txt").0 == 404
    });
    // The site-wide files the pages' rebuild defers are still there.
    assert_eq!(get(&server.addr, "/sitemap.xml").0, 200);
}

/// Editing a theme's `theme.yaml` while serving reloads the chain: the page is drawn with the
/// new chain, as `build` draws it.
#[test]
fn serve_follows_a_change_of_the_theme_chain() {
    let site = crate::themes::layered_site();
    let server = start(&site);
    let (status, _, before) = get(&server.addr, "/things/alpha/");
    assert_eq!(status, 200);
    assert!(
        before.contains("inner brand") && before.contains("outer footer"),
        "{before}"
    );
    // inner now extends default directly: outer's footer is gone, inner's brand stays.
    site.write("themes/inner/theme.yaml", "extends: default\n");
    eventually("the page drawn without the outer theme", || {
        let (_, _, body) = get(&server.addr, "/things/alpha/");
        !body.contains("outer footer") && body.contains("inner brand")
    });
}
