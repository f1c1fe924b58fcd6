//! Links that never break: the URL manifest (`data/urls.json`), aliases and their redirect
//! pages, and `majors check --against` a previous build.

use std::io::{Read, Write};

use crate::support::{self, Site};

/// Moves `content/things/alpha.md` to `content/things/renamed.md`, updating the links to it.
fn rename_alpha(site: &Site) {
    let text = site.read("content/things/alpha.md");
    std::fs::remove_file(site.path().join("content/things/alpha.md")).expect("remove");
    site.write("content/things/renamed.md", text);
    let note = site
        .read("content/notes/first.md")
        .replace("things/alpha", "things/renamed");
    site.write("content/notes/first.md", note);
}

fn add_front_matter(site: &Site, rel: &str, line: &str) {
    let text = site.read(rel);
    let rest = text.strip_prefix("---\n").expect("front matter");
    site.write(rel, format!("---\n{line}\n{rest}"));
}

#[test]
fn the_manifest_lists_every_page_its_heading_anchors_with_lines_and_its_aliases() {
    let site = support::site("");
    add_front_matter(
        &site,
        "content/notes/first.md",
        "aliases: [old/first, /older/first.html]",
    );
    let out = site.build_into("out");
    let text = std::fs::read_to_string(out.join("data/urls.json")).expect("manifest");
    let m: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(m["version"], 1);
    let pages = m["pages"].as_array().expect("pages");
    let urls: Vec<&str> = pages.iter().filter_map(|p| p["url"].as_str()).collect();
    assert_eq!(
        urls,
        [
            "/",
            "/glossary/",
            "/notes/",
            "/notes/first/",
            "/things/",
            "/things/alpha/",
            "/things/beta/"
        ]
    );
    let alpha = &pages[5];
    assert_eq!(alpha["source"], "content/things/alpha.md");
    // `## Overview` is on line 9 of alpha.md, `## Details {#details}` on line 13.
    assert_eq!(
        alpha["anchors"],
        serde_json::json!({"overview": 9, "details": 13})
    );
    assert_eq!(
        pages[3]["aliases"],
        serde_json::json!(["/old/first/", "/older/first.html"])
    );
    // One page per line, so manifests diff line by line.
    assert_eq!(text.lines().count(), 2 + pages.len());

    // Each alias is a redirect page to the page, not in the sitemap.
    for file in ["old/first/index.html", "older/first.html"] {
        let html = std::fs::read_to_string(out.join(file)).expect("redirect page");
        assert!(
            html.contains("<meta http-equiv=\"refresh\" content=\"0; url=/notes/first/\">"),
            "{html}"
        );
        assert!(
            html.contains("<link rel=\"canonical\" href=\"https://fixture.example/notes/first/\">"),
            "{html}"
        );
    }
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).expect("sitemap");
    assert!(
        sitemap.contains("/notes/first/") && !sitemap.contains("old"),
        "{sitemap}"
    );

    // Deterministic: a second build writes the same manifest.
    let again = site.build_into("out2");
    assert_eq!(
        std::fs::read(again.join("data/urls.json")).expect("manifest"),
        text.as_bytes()
    );
}

#[test]
fn renaming_a_page_fails_the_check_against_the_previous_build_until_it_has_an_alias() {
    let site = support::site("");
    let previous = site.build_into("previous");
    rename_alpha(&site);

    // Against the output folder and against its manifest file: the same error, at the page
    // that replaced the old one, with the alias to add.
    let manifest = previous.join("data/urls.json");
    for against in [&previous, &manifest] {
        let run = site.run(["check", "--against", against.to_str().expect("utf-8")]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr
                .contains("error[url-gone]: `/things/alpha/` was published and is gone"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("content/things/renamed.md:1:1"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("add `aliases: [things/alpha]`"),
            "{}",
            run.stderr
        );
    }
    let github = site.run([
        "check",
        "--against",
        previous.to_str().expect("utf-8"),
        "--format",
        "github",
    ]);
    assert_eq!(github.code, 1);
    assert!(
        github.stdout.lines().any(|l| l
            .starts_with("::error file=content/things/renamed.md,line=1,col=1,title=url-gone::")),
        "{}",
        github.stdout
    );

    add_front_matter(
        &site,
        "content/things/renamed.md",
        "aliases: [things/alpha]",
    );
    let run = site.run(["check", "--against", previous.to_str().expect("utf-8")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("url-gone"), "{}", run.stderr);
}

#[test]
fn a_new_slug_is_reported_at_the_slug_and_a_deleted_page_at_its_old_path() {
    let site = support::site("");
    let previous = site.build_into("previous");
    add_front_matter(&site, "content/things/beta.md", "slug: second");
    std::fs::remove_file(site.path().join("content/glossary.md")).expect("remove");
    let home = site
        .read("content/_index.md")
        .replace(" and the [glossary](@/glossary.md)", "");
    site.write("content/_index.md", home);
    let run = site.run(["check", "--against", previous.to_str().expect("utf-8")]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // The file is still there: the error is at its `slug:`, line 2.
    assert!(
        run.stderr
            .contains("`/things/beta/` was published and is gone"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/things/beta.md:2:7"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("it is now `/things/second/`"),
        "{}",
        run.stderr
    );
    // The file is gone and nothing replaces it: the error names its old path.
    let json = site.run([
        "check",
        "--against",
        previous.to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    let items: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let gone: Vec<(&str, &str)> = items
        .as_array()
        .expect("array")
        .iter()
        .filter(|d| d["code"] == "url-gone")
        .map(|d| {
            (
                d["file"].as_str().unwrap_or(""),
                d["message"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(gone.len(), 2, "{gone:?}");
    assert!(
        gone.iter()
            .any(|(f, m)| *f == "content/glossary.md" && m.contains("`/glossary/`")),
        "{gone:?}"
    );
}

#[test]
fn removing_a_published_heading_is_a_warning_naming_its_old_line() {
    let site = support::site("");
    let previous = site.build_into("previous");
    let beta = site
        .read("content/things/beta.md")
        .replace("## Part two", "## Second part");
    site.write("content/things/beta.md", beta);
    let alpha = site
        .read("content/things/alpha.md")
        .replace("#part-two", "#second-part");
    site.write("content/things/alpha.md", alpha);
    let run = site.run(["check", "--against", previous.to_str().expect("utf-8")]);
    assert_eq!(run.code, 0, "a warning, not an error: {}", run.stderr);
    assert!(
        run.stderr.contains(
            "warning[anchor-gone]: `/things/beta/#part-two` was published and is gone: the heading at line 11 of `content/things/beta.md`"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("{#part-two}"), "{}", run.stderr);
}

/// Serves `body` at `/data/urls.json` for one request on a local port; returns the site URL.
fn serve_once(body: Vec<u8>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        if let Ok((mut conn, _)) = listener.accept() {
            let mut buf = [0u8; 4096];
            let n = conn.read(&mut buf).unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]);
            let found = request.starts_with("GET /data/urls.json ");
            let (status, body) = if found {
                ("200 OK", body)
            } else {
                ("404 Not Found", Vec::new())
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = conn.write_all(head.as_bytes());
            let _ = conn.write_all(&body);
        }
    });
    format!("http://{addr}/")
}

#[test]
fn the_previous_manifest_can_be_the_published_sites_url() {
    let site = support::site("");
    let previous = site.build_into("previous");
    rename_alpha(&site);
    let url = serve_once(std::fs::read(previous.join("data/urls.json")).expect("manifest"));
    let run = site.run(["check", "--against", &url]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`/things/alpha/` was published and is gone"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_previous_manifest_that_cannot_be_read_is_a_located_error() {
    let site = support::site("");
    site.write("old.json", "{\"version\": 1, \"pages\": [{\"url\": 3}]}\n");
    let run = site.run([
        "check",
        "--against",
        site.path().join("old.json").to_str().expect("utf-8"),
    ]);
    assert_eq!(
        run.code, 2,
        "exit 2: the previous build cannot be read (an environment error)\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("error[previous-manifest]"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("old.json:1:"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("help: pass a previous build's `data/urls.json`"),
        "{}",
        run.stderr
    );
    let missing = site.run(["check", "--against", "/nonexistent/urls.json"]);
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(
        missing.stderr.contains("cannot read the manifest"),
        "{}",
        missing.stderr
    );
}

#[test]
fn a_published_alias_must_stay_and_a_moved_page_keeps_its_anchors() {
    let site = support::site("");
    add_front_matter(&site, "content/things/beta.md", "aliases: [old/beta]");
    let previous = site.build_into("previous");
    // The alias is dropped: its redirect was published, so that is a broken link.
    let beta = site
        .read("content/things/beta.md")
        .replace("aliases: [old/beta]\n", "");
    site.write("content/things/beta.md", beta);
    let run = site.run(["check", "--against", previous.to_str().expect("utf-8")]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`/old/beta/` (a redirect to `/things/beta/`) was published and is gone"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("keep `old/beta` in this page's `aliases:`"),
        "{}",
        run.stderr
    );

    // Alpha moves behind an alias and loses a heading: the old URL's anchors are checked on
    // the page it now redirects to.
    add_front_matter(&site, "content/things/beta.md", "aliases: [old/beta]");
    rename_alpha(&site);
    add_front_matter(
        &site,
        "content/things/renamed.md",
        "aliases: [things/alpha]",
    );
    let renamed = site
        .read("content/things/renamed.md")
        .replace("## Details {#details}", "## More");
    site.write("content/things/renamed.md", renamed);
    let run = site.run(["check", "--against", previous.to_str().expect("utf-8")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("warning[anchor-gone]: `/things/alpha/#details` was published and is gone: the heading at line 13 of `content/things/alpha.md`"),
        "{}",
        run.stderr
    );
}
