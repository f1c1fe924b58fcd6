//! Confidence marks, declared in `site.yaml` (`markdown.marks`): inside front matter values
//! they show wherever the value does, as the body's badge in HTML, as a word in `<meta>` and
//! the Atom feed, and as written in the search data (whose manifest lists the marks, so the
//! theme's script makes the same badge); a `certainty` field shows as its mark beside what it
//! qualifies. A site that declares none has none.

use crate::support;

/// The knowledge base's two marks and a value-only level, in the base fixture's `site.yaml`.
const MARKS: &str = r#"markdown:
  marks:
    - { text: "[U]", value: U, class: conf-u, label: uncertain, title: "Uncertain: an inference" }
    - { text: "[K]", value: K, class: conf-k, label: unverified, title: "Background knowledge" }
    - { value: V, label: checked }
"#;

fn site_with_marks() -> support::Site {
    let site = support::site("");
    let config = site.read("site.yaml");
    assert!(config.contains("markdown:\n"));
    site.write("site.yaml", config.replacen("markdown:\n", MARKS, 1));
    site
}

#[test]
fn a_mark_in_a_description_survives_every_place_it_is_shown() {
    let site = site_with_marks();
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
    let manifest = site.read("public/search/index.json");
    assert!(
        manifest.contains(r#""marks":[{"class":"conf-u","label":"uncertain","text":"[U]","title":"Uncertain: an inference"},{"class":"conf-k""#),
        "{manifest}"
    );
}

#[test]
fn a_site_without_marks_shows_the_text_as_written() {
    let site = support::site("");
    std::fs::remove_dir_all(site.path().join("templates")).expect("rm templates");
    let alpha = site.read("content/things/alpha.md");
    site.write(
        "content/things/alpha.md",
        alpha.replace("Alpha is the first thing.", "Alpha is the first thing [U]."),
    );
    let run = site.run(["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.read("public/things/alpha/index.html");
    assert!(page.contains("Alpha is the first thing [U]."), "{page}");
    assert!(!page.contains("class=\"conf"), "{page}");
    assert!(site
        .read("public/search/index.json")
        .contains(r#""marks":[]"#));
}

#[test]
fn a_certainty_field_shows_as_its_mark_beside_what_it_qualifies() {
    let site = site_with_marks();
    std::fs::remove_dir_all(site.path().join("templates")).expect("rm templates");
    let config = site.read("site.yaml").replacen(
        "      count: { kind: integer, label: Count }\n",
        "      count: { kind: integer, label: Count }\n      count_certainty: { kind: enum, values: [V, U], certainty: count, label: Count confidence }\n      certainty: { kind: enum, values: [V, K], certainty: page, label: Confidence }\n",
        1,
    );
    site.write("site.yaml", config);
    let alpha = site.read("content/things/alpha.md");
    site.write(
        "content/things/alpha.md",
        alpha.replace("count: 3\n", "count: 3\ncount_certainty: U\ncertainty: K\n"),
    );
    let beta = site.read("content/things/beta.md");
    site.write(
        "content/things/beta.md",
        beta.replace("code: B\n", "code: B\ncertainty: V\n"),
    );
    let run = site.run(["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let alpha = site.read("public/things/alpha/index.html");
    let fields = alpha
        .split("<dl class=\"fields\">")
        .nth(1)
        .expect("a field table");
    assert!(
        fields.contains("<dd>3 <span class=\"conf conf-u\" title=\"Uncertain: an inference\">uncertain</span></dd>"),
        "the count carries its mark: {fields}"
    );
    assert!(
        !fields.contains("Count confidence"),
        "and the qualifier is no row of its own: {fields}"
    );
    assert!(
        fields.contains("<dt>Confidence</dt>\n  <dd><span class=\"conf conf-k\" title=\"Background knowledge\">unverified</span></dd>"),
        "{fields}"
    );
    let beta = site.read("public/things/beta/index.html");
    assert!(
        beta.contains("<dt>Confidence</dt>\n  <dd>checked</dd>"),
        "a level without a written mark shows its label: {beta}"
    );
}

#[test]
fn a_certainty_that_names_no_field_is_reported_with_a_suggestion() {
    let site = site_with_marks();
    let config = site.read("site.yaml").replacen(
        "      count: { kind: integer, label: Count }\n",
        "      count: { kind: integer, label: Count }\n      count_certainty: { kind: enum, values: [V, U], certainty: cuont }\n",
        1,
    );
    site.write("site.yaml", config);
    let run = site.run(["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`certainty: cuont` names no field of this type"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `count`?"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("site.yaml:"), "{}", run.stderr);
}

#[test]
fn every_mistake_in_the_marks_is_reported_once_and_at_once() {
    let site = site_with_marks();
    let config = site
        .read("site.yaml")
        .replacen(
            "    - { value: V, label: checked }\n",
            "    - { value: V, label: checked }\n    - { text: \"[~]\", lable: approx }\n    - { text: \"[U]\", label: again }\n",
            1,
        )
        .replacen(
            "      count: { kind: integer, label: Count }\n",
            "      count: { kind: integer, label: Count }\n      count_certainty: { kind: enum, values: [V, U], certainty: count_certainty }\n",
            1,
        );
    site.write("site.yaml", config);
    let run = site.run(["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error"))
        .collect();
    assert_eq!(
        errors,
        [
            "error[unknown-config-key]: unknown config key `lable`",
            "error[bad-config]: two marks have the text `[U]`",
            "error[bad-config]: `certainty: count_certainty` names the field itself",
        ],
        "{}",
        run.stderr
    );
}
