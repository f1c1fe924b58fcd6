//! `majors diff OLD NEW`: pages added, removed, moved and changed between two builds.

use crate::support::{self, Site};

fn build_into(site: &Site, dir: &str) -> String {
    site.build_into(dir)
        .to_str()
        .expect("utf-8 path")
        .to_string()
}

/// The base fixture built twice: in between, beta's text changes, alpha moves to
/// `things/renamed` with an alias, the glossary is deleted and a page is added.
fn two_builds() -> (Site, String, String) {
    let site = support::site("");
    let old = build_into(&site, "old");
    let beta = site
        .read("content/things/beta.md")
        .replace("Beta comes before alpha.", "Beta comes first.");
    site.write("content/things/beta.md", beta);
    let alpha =
        site.read("content/things/alpha.md")
            .replacen("---\n", "---\naliases: [things/alpha]\n", 1);
    std::fs::remove_file(site.path().join("content/things/alpha.md")).expect("remove");
    site.write("content/things/renamed.md", alpha);
    let note = site
        .read("content/notes/first.md")
        .replace("things/alpha", "things/renamed");
    site.write("content/notes/first.md", note);
    std::fs::remove_file(site.path().join("content/glossary.md")).expect("remove");
    let home = site.read("content/_index.md").replace(
        " and the [glossary](@/glossary.md)",
        " and [second](@/notes/second.md)",
    );
    site.write("content/_index.md", home);
    site.write(
        "content/notes/second.md",
        "---\ntitle: Second note\nabout: things/beta\n---\nA second note.\n",
    );
    let new = build_into(&site, "new");
    (site, old, new)
}

#[test]
fn diff_lists_added_removed_moved_and_changed_pages() {
    let (site, old, new) = two_builds();
    let run = site.run(["diff", &old, &new]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = run.stdout;
    assert!(text.starts_with("1 added, 1 removed, 1 moved, "), "{text}");
    assert!(
        text.contains("added:\n  /notes/second/  Second note\n"),
        "{text}"
    );
    assert!(
        text.contains("removed:\n  /glossary/  Alphabet Board Committee (content/glossary.md)\n"),
        "{text}"
    );
    assert!(
        text.contains("moved:\n  /things/alpha/ -> /things/renamed/  Alpha\n"),
        "{text}"
    );
    // Beta's text changed; the home page links to other pages now; the notes section lists
    // one more page.
    let changed: Vec<&str> = text
        .split("changed:\n")
        .nth(1)
        .expect("a changed group")
        .lines()
        .map(|l| l.split_whitespace().next().unwrap_or(""))
        .collect();
    assert!(
        changed.contains(&"/things/beta/") && changed.contains(&"/"),
        "{text}"
    );
    assert!(
        !changed.contains(&"/notes/second/"),
        "an added page is not also changed: {text}"
    );

    let md = site.run(["diff", &old, &new, "--format", "markdown"]);
    assert_eq!(md.code, 0, "{}", md.stderr);
    assert!(
        md.stdout.starts_with("### Pages this change affects\n"),
        "{}",
        md.stdout
    );
    assert!(
        md.stdout
            .contains("- [Second note](https://fixture.example/notes/second/) `/notes/second/`"),
        "{}",
        md.stdout
    );
    assert!(md.stdout.contains("- `/things/alpha/` → [Alpha](https://fixture.example/things/renamed/) `/things/renamed/`"), "{}", md.stdout);
}

#[test]
fn diff_against_a_manifest_lists_pages_and_says_changes_are_unknown() {
    let (site, old, new) = two_builds();
    let manifest = format!("{old}/data/urls.json");
    let run = site.run(["diff", &manifest, &new]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("1 added, 1 removed, 1 moved, ? (unknown) changed"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("changed pages: not known"),
        "{}",
        run.stdout
    );
    // Two builds of the same input: nothing changed.
    let again = build_into(&site, "again");
    let same = site.run(["diff", &new, &again]);
    assert!(
        same.stdout
            .starts_with("0 added, 0 removed, 0 moved, 0 changed, of 7 pages\n"),
        "{}",
        same.stdout
    );
    let missing = site.run(["diff", "/nonexistent", &new]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("error[previous-manifest]"),
        "{}",
        missing.stderr
    );
}
