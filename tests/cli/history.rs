//! When each page changed: `updated` from the git history (one walk with libgit2) or front
//! matter, and the changes feed (`changes.xml`), on a git repository made in the test.

use crate::support::{self, git, Site};

fn head(site: &Site) -> String {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(site.path())
        .args(["rev-parse", "HEAD"])
        .output()
        .expect("git");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The base fixture in a repository: everything committed on 1 January, then alpha changed
/// on 2 February 2026 at 23:30 in Lima (already 3 February in UTC).
fn repository() -> Site {
    let site = support::site("");
    let p = site.path();
    git(p, &["init", "-q", "-b", "main"], "2026-01-01T10:00:00Z");
    git(p, &["add", "-A"], "2026-01-01T10:00:00Z");
    git(
        p,
        &["commit", "-qm", "Start the site"],
        "2026-01-01T10:00:00Z",
    );
    let alpha = site.read("content/things/alpha.md") + "\nAlpha has a second paragraph.\n";
    site.write("content/things/alpha.md", alpha);
    git(
        p,
        &["commit", "-qam", "Alpha: a second paragraph"],
        "2026-02-02T23:30:00-05:00",
    );
    site
}

fn sitemap_lastmod(site: &Site, url: &str) -> Option<String> {
    let map = site.read("public/sitemap.xml");
    let loc = format!("<loc>https://fixture.example{url}</loc><lastmod>");
    let at = map.find(&loc)? + loc.len();
    Some(map[at..at + 10].to_string())
}

#[test]
fn updated_comes_from_the_last_commit_of_each_file_and_front_matter_wins() {
    let site = repository();
    // Front matter `updated:` wins over the history.
    let beta =
        site.read("content/things/beta.md")
            .replacen("---\n", "---\nupdated: 2025-05-05\n", 1);
    site.write("content/things/beta.md", beta);
    git(
        site.path(),
        &["commit", "-qam", "Beta: updated by hand"],
        "2026-03-03T12:00:00Z",
    );
    let run = site.run(["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The committer's own date: 2 February in Lima, not 3 February (UTC).
    assert_eq!(
        sitemap_lastmod(&site, "/things/alpha/").as_deref(),
        Some("2026-02-02")
    );
    assert_eq!(
        sitemap_lastmod(&site, "/notes/first/").as_deref(),
        Some("2026-01-01")
    );
    assert_eq!(
        sitemap_lastmod(&site, "/things/beta/").as_deref(),
        Some("2025-05-05")
    );

    // Without a repository the dates are absent, never invented.
    let plain = support::site("");
    assert_eq!(plain.run(["build"]).code, 0);
    assert_eq!(sitemap_lastmod(&plain, "/things/alpha/"), None);
}

#[test]
fn the_changes_feed_is_atom_and_lists_a_commit_made_in_the_test_by_day() {
    let site = repository();
    let alpha_commit = head(&site);
    site.write(
        "content/notes/first.md",
        site.read("content/notes/first.md") + "\nMore.\n",
    );
    git(
        site.path(),
        &["commit", "-qam", "First note: <more> & less"],
        "2026-02-02T08:00:00-05:00",
    );
    let run = site.run(["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let xml = site.read("public/changes.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("not XML: {e}\n{xml}"));
    let feed = doc.root_element();
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    assert_eq!(feed.tag_name().name(), "feed");
    let child = |n: roxmltree::Node<'_, '_>, name: &str| {
        n.children()
            .find(|c| c.tag_name().name() == name)
            .map(|c| c.text().unwrap_or("").to_string())
    };
    // RFC 4287: a feed and each entry have an id, a title and an updated date.
    for name in ["id", "title", "updated"] {
        assert!(
            child(feed, name).is_some_and(|t| !t.is_empty()),
            "feed lacks {name}\n{xml}"
        );
    }
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .collect();
    for e in &entries {
        for name in ["id", "title", "updated"] {
            assert!(
                child(*e, name).is_some_and(|t| !t.is_empty()),
                "entry lacks {name}\n{xml}"
            );
        }
    }
    // Two days: 2 February (both commits, in Lima's time) and 1 January.
    let titles: Vec<String> = entries.iter().filter_map(|e| child(*e, "title")).collect();
    assert_eq!(
        titles,
        ["Changes of 2 February 2026", "Changes of 1 January 2026"],
        "{xml}"
    );
    assert_eq!(
        child(entries[0], "updated").as_deref(),
        Some("2026-02-02T23:30:00-05:00")
    );
    let content = child(entries[0], "content").expect("content");
    assert!(
        content.contains(&format!("<a href=\"https://example.org/repo/commit/{alpha_commit}\">Alpha: a second paragraph</a>")),
        "{content}"
    );
    assert!(
        content.contains("<a href=\"https://fixture.example/things/alpha/\">Alpha</a>"),
        "{content}"
    );
    assert!(
        content.contains("First note: &lt;more&gt; &amp; less"),
        "{content}"
    );
    assert!(
        content.contains("<a href=\"https://fixture.example/notes/first/\">First note</a>"),
        "{content}"
    );
    // Without a history the feed is valid and empty.
    let plain = support::site("");
    assert_eq!(plain.run(["build"]).code, 0);
    let empty = plain.read("public/changes.xml");
    roxmltree::Document::parse(&empty).expect("XML");
    assert!(!empty.contains("<entry>"), "{empty}");
}

#[test]
fn each_page_shows_its_recent_commits_and_the_changes_page_lists_them_by_day() {
    let site = repository();
    let alpha_commit = head(&site);
    // The default theme's page template (the fixture has its own).
    std::fs::remove_file(site.path().join("templates/page.html")).expect("remove");
    site.write(
        "content/changes.md",
        "---\ntitle: Recent changes\ntemplate: changes.html\n---\nWhat changed.\n",
    );
    git(site.path(), &["add", "-A"], "2026-03-03T12:00:00Z");
    git(
        site.path(),
        &["commit", "-qm", "A changes page"],
        "2026-03-03T12:00:00Z",
    );
    let run = site.run(["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Alpha's own history: its two commits, newest first, linked to the repository.
    let alpha = site.read("public/things/alpha/index.html");
    let history = alpha
        .split("<details class=\"history\">")
        .nth(1)
        .expect("a history block");
    let second = history
        .find("Alpha: a second paragraph")
        .expect("the second commit");
    let first = history.find("Start the site").expect("the first commit");
    assert!(second < first, "{history}");
    assert!(
        history.contains(&format!(
            "<a href=\"https://example.org/repo/commit/{alpha_commit}\">"
        )),
        "{history}"
    );
    assert!(history.contains("2 February 2026"), "{history}");
    // The changes page: one section per day, newest first, each commit with its pages.
    let changes = site.read("public/changes/index.html");
    let days: Vec<usize> = ["3 March 2026", "2 February 2026", "1 January 2026"]
        .iter()
        .map(|d| {
            changes
                .find(d)
                .unwrap_or_else(|| panic!("{d} missing\n{changes}"))
        })
        .collect();
    assert!(days[0] < days[1] && days[1] < days[2], "{changes}");
    let feb = &changes[days[1]..days[2]];
    assert!(
        feb.contains("Alpha: a second paragraph")
            && feb.contains("<a href=\"/things/alpha/\">Alpha</a>"),
        "{feb}"
    );
    // Without a repository: no history block, and the changes page says why it is empty.
    let plain = support::site("");
    std::fs::remove_file(plain.path().join("templates/page.html")).expect("remove");
    plain.write(
        "content/changes.md",
        "---\ntitle: Recent changes\ntemplate: changes.html\n---\nWhat changed.\n",
    );
    assert_eq!(plain.run(["build"]).code, 0);
    assert!(!plain
        .read("public/things/alpha/index.html")
        .contains("class=\"history\""));
    assert!(plain
        .read("public/changes/index.html")
        .contains("No changes are recorded"));
}
