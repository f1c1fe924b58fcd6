//! Keys of a type (`unique:`) and fields required on a condition (`required_when:`), on the
//! base fixture with its site.yaml extended; the errors themselves are error fixtures
//! (`duplicate_type_key`, `required_when_missing`, `config_keys_and_conditions`).

use crate::support;

/// The base fixture with `extra` added to the `note` type's declaration.
fn site_with_note(extra: &str) -> support::Site {
    let site = support::site("");
    let config = site.read("site.yaml");
    let anchor = "      when: { kind: date }\n";
    assert!(
        config.contains(anchor),
        "the base fixture declares note.when"
    );
    site.write(
        "site.yaml",
        config.replacen(anchor, &format!("{anchor}{extra}"), 1),
    );
    site
}

fn second_note(about: &str) -> String {
    format!("---\ntitle: Second note\nabout: {about}\n---\nAnother note.\n")
}

#[test]
fn a_key_of_references_compares_the_pages_they_name() {
    let site = site_with_note("    unique: [about]\n");
    site.write("content/notes/second.md", second_note("things/beta"));
    let run = site.run(["check"]);
    assert_eq!(
        run.code, 0,
        "different pages, different keys: {}",
        run.stderr
    );

    site.write(
        "content/notes/second.md",
        second_note("things/alpha#overview"),
    );
    let run = site.run(["check"]);
    assert_eq!(run.code, 1, "the same page, with an anchor: {}", run.stderr);
    let err = run.normalized_stderr(&site);
    assert!(
        err.contains("error[duplicate-key]: two `note` pages have the same about `things/alpha`"),
        "{err}"
    );
    assert!(err.contains("content/notes/second.md:3:8"), "{err}");
    assert!(err.contains("content/notes/first.md:4:8"), "{err}");
}

#[test]
fn a_page_without_every_key_field_has_no_key() {
    let site = site_with_note("    unique: [about, when]\n");
    site.write("content/notes/second.md", second_note("things/alpha"));
    let run = site.run(["check"]);
    assert_eq!(run.code, 0, "neither note has `when`: {}", run.stderr);
}

#[test]
fn a_conditional_field_is_required_only_when_the_condition_holds() {
    let site = support::site("errors/required_when_missing");
    // beta is closed and has no reason: the fixture's error. With one, and on open things
    // (alpha), nothing is missing.
    let beta = site.read("content/things/beta.md");
    site.write(
        "content/things/beta.md",
        beta.replacen("status: closed\n", "status: closed\nreason: done\n", 1),
    );
    let run = site.run(["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // A list of values is any of them.
    let config = site.read("site.yaml");
    site.write(
        "site.yaml",
        config.replacen(
            "required_when: { status: closed }",
            "required_when: { status: [open, closed] }",
            1,
        ),
    );
    let run = site.run(["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let err = run.normalized_stderr(&site);
    assert!(
        err.contains("field `reason` is required when `status` is `open`")
            && err.contains("content/things/alpha.md:"),
        "{err}"
    );
}

/// A declared table: rows from the pages a reference field may name (every thing, in weight
/// order), columns from the values the cells hold (sorted), a cell per note; templates read it
/// with `get_table`, and it is written as CSV and JSON.
#[test]
fn a_table_places_each_page_at_its_row_and_column() {
    let site = support::site("errors/table_cell_taken");
    site.write(
        "content/notes/third.md",
        "---\ntitle: Third\nabout: things/beta\nwhen: 2019-05-01\n---\nThird.\n",
    );
    let home = site.read("content/_index.md");
    site.write(
        "content/_index.md",
        home.replacen("title: Home\n", "title: Home\ntemplate: table.html\n", 1),
    );
    site.write(
        "templates/table.html",
        "{% set t = get_table(\"notes_by_thing\") %}{{ t.title }}:{% for c in t.columns %} {{ c.label }}{% endfor %}\
         {% for r in t.rows %} / {{ r.label }}:{% for c in r.cells %} {{ c.title if c else \"-\" }}{% endfor %}{% endfor %}",
    );
    let run = site.run(["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Beta (weight 1) before Alpha (weight 2); first.md has no `when`: no cell.
    assert_eq!(
        site.read("public/index.html"),
        "notes_by_thing: 2019-05-01 2020-01-02 / Beta: Third - / Alpha: - Second"
    );
    assert_eq!(
        site.read("public/data/tables/notes-by-thing.csv"),
        ",2019-05-01,2020-01-02\r\nBeta,notes/third,\r\nAlpha,,notes/second\r\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&site.read("public/data/tables/notes-by-thing.json")).expect("json");
    assert_eq!(
        json["cells"],
        serde_json::json!([["notes/third", null], [null, "notes/second"]])
    );
    assert_eq!(json["rows"][0]["url"], "/things/beta/");
}
