//! Confidence marks inside front matter values show wherever the value does: as the body's
//! badge in HTML, as a word in `<meta>` and the Atom feed, and as written in the search data
//! (which the theme's script turns into the same badge).

use crate::support;

#[test]
fn a_mark_in_a_description_survives_every_place_it_is_shown() {
    let site = support::site("");
    // The default theme: it is the one that shows descriptions in lists, ledes and `<meta>`.
    std::fs::remove_dir_all(site.path().join("templates")).expect("rm templates");
    let alpha = site.read("content/things/alpha.md");
    site.write(
        "content/things/alpha.md",
        alpha.replace(
            "title: Alpha\n",
            "title: Alpha\ndescription: \"Alpha is a transit thing [U], run by a producer [K].\"\ndate: 2009-04-02\n",
        ),
    );
    let run = site.run(["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let badge_u = "transit thing <span class=\"conf conf-u\" title=\"Uncertain";
    let badge_k = "producer <span class=\"conf conf-k\" title=\"Background";
    let page = site.read("public/things/alpha/index.html");
    let lede = page.split("<p class=\"lede\">").nth(1).expect("a lede");
    assert!(
        lede.starts_with("Alpha is a ") && lede.contains(badge_u) && lede.contains(badge_k),
        "{lede}"
    );
    assert!(
        page.contains("<meta name=\"description\" content=\"Alpha is a transit thing (uncertain), run by a producer (unverified).\">"),
        "{page}"
    );
    let section = site.read("public/things/index.html");
    assert!(
        section.contains(badge_u),
        "the section's list shows the badge: {section}"
    );
    let feed = site.read("public/atom.xml");
    assert!(feed.contains("<summary>Alpha is a transit thing (uncertain), run by a producer (unverified).</summary>"), "{feed}");
    for (name, text) in [("page", &page), ("section", &section), ("feed", &feed)] {
        assert!(
            !text.contains("[U]") && !text.contains("[K]"),
            "raw mark in the {name}"
        );
    }
    let docs: String = site
        .snapshot_dir("public/search")
        .into_iter()
        .filter(|(name, _)| name.starts_with("docs-"))
        .map(|(_, bytes)| String::from_utf8(bytes).expect("utf-8"))
        .collect();
    assert!(
        docs.contains("Alpha is a transit thing [U], run by a producer [K]."),
        "search data keeps the marks for the page script"
    );
}
