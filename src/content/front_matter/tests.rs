use super::*;
use crate::content::model::FieldValue;
use crate::diag::SourceMap;
use std::path::PathBuf;

const CONFIG: &str = "title: T\nbase_url: https://x.org/\nmarkdown: { allow_raw_html: false }\ntypes:\n  c:\n    fields:\n      iso: { kind: string, required: true }\n      n: { kind: integer }\n      s: { kind: enum, values: [met, not-met] }\n      refs: { kind: list, of: { kind: reference, to: c } }\n      d: { kind: date }\n      t: { kind: text }\n      ts: { kind: list, of: { kind: text } }\n";

/// Validates `text` (a whole `.md` file) as a page of type `c`. Each problem is summarized
/// as `code line:col`, followed by ` (line:col)` for each secondary location.
fn check(text: &str) -> (Option<FrontMatter>, Vec<String>, Vec<Diagnostic>) {
    let mut map = SourceMap::default();
    let cfg_id = map.add("site.yaml".into(), PathBuf::new(), CONFIG.into());
    let (config, d) = crate::config::parse_config(cfg_id, &map);
    assert!(d.is_empty(), "{d:?}");
    let config = config.unwrap();
    let file = map.add("content/a.md".into(), PathBuf::new(), text.into());
    let split = split_front_matter(text, file).unwrap();
    let fc = FieldCheck {
        config: &config,
        file,
        text,
        yaml: split.yaml,
        default_type: Some("c"),
    };
    let (fm, diags) = fc.parse();
    let summary = diags
        .iter()
        .map(|d| {
            let (_, l, c) = d.location(&map).unwrap();
            let mut s = format!("{} {l}:{c}", d.code);
            for (span, _) in &d.related {
                let (l, c) = map.get(span.file).line_col(span.range.start);
                s.push_str(&format!(" ({l}:{c})"));
            }
            s
        })
        .collect();
    (fm, summary, diags)
}

fn fm(yaml: &str) -> String {
    format!("---\n{yaml}---\nbody\n")
}

#[test]
fn split_finds_fences_and_body() {
    let s = split_front_matter("---\ntitle: A\n---\nbody\n", FileId(0)).unwrap();
    assert_eq!(s.yaml, 4..13);
    assert_eq!(s.body, 17..22);
}

#[test]
fn split_reports_missing_fences() {
    assert_eq!(
        split_front_matter("# no", FileId(0)).unwrap_err().code,
        "missing-front-matter"
    );
    assert_eq!(
        split_front_matter("", FileId(0)).unwrap_err().code,
        "missing-front-matter"
    );
    assert_eq!(
        split_front_matter("---\ntitle: A\n", FileId(0))
            .unwrap_err()
            .code,
        "unclosed-front-matter"
    );
}

#[test]
fn every_problem_is_located_in_the_md_file() {
    let (_, locs, _) = check(&fm(
        "title: A\nn: five\ns: mett\nbogus: 1\nrefs: [x, 3]\nweight: heavy\n",
    ));
    assert_eq!(
        locs,
        [
            // Common keys are checked as they come, typed fields after (the build sorts).
            "wrong-kind 7:9 (7:1)",
            "wrong-kind 3:4 (3:1)",
            "bad-enum-value 4:4",
            "unknown-field 5:1",
            "wrong-kind 6:11 (6:1)",
            "missing-field 1:1",
        ]
    );
}

#[test]
fn wrong_kind_labels_value_and_key() {
    let (_, _, diags) = check(&fm("title: A\niso: X\nn: five\n"));
    let d = &diags[0];
    assert_eq!(d.label, "expected an integer");
    assert_eq!(d.related[0].1, "`n` is declared as an integer");
    let (_, _, diags) = check(&fm("title: A\niso: X\nrefs:\n  - x\n  - [y]\n"));
    assert_eq!(
        diags[0].related[0].1,
        "`refs` is a list; each item must be a reference to a `c` page"
    );
}

#[test]
fn valid_block_keeps_declaration_order() {
    let (fm, locs, _) = check(&fm("title: A\nrefs: [x#y]\niso: PE\nweight: 3\n"));
    assert!(locs.is_empty(), "{locs:?}");
    let fm = fm.unwrap();
    assert_eq!(fm.weight, 3);
    let names: Vec<&str> = fm.fields.keys().map(String::as_str).collect();
    assert_eq!(names, ["iso", "refs"]);
}

#[test]
fn thousands_of_unknown_keys_are_each_located() {
    let keys: String = (0..8000).map(|i| format!("k{i}: v\n")).collect();
    let (_, locs, _) = check(&fm(&format!("title: Many\niso: X\n{keys}")));
    assert_eq!(locs.len(), 8000);
    for (i, loc) in locs.iter().enumerate() {
        assert_eq!(*loc, format!("unknown-field {}:1", i + 4));
    }
}

#[test]
fn deep_nesting_is_rejected_where_the_limit_is_crossed() {
    let deep = format!(
        "title: D\nx: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let (fm, locs, diags) = check(&fm(&deep));
    assert!(fm.is_none());
    // Line 3 `x: [[[…`: the mapping is level 1, so the 64th `[` (column 4 + 63) is level 65.
    assert_eq!(locs, ["bad-front-matter 3:67"]);
    assert_eq!(
        diags[0].message,
        "front matter nests deeper than the limit of 64 levels"
    );
}

#[test]
fn oversized_front_matter_is_rejected_at_the_limit() {
    let big = format!("title: {}\n", "x".repeat(crate::yaml::MAX_BYTES));
    let (_, locs, diags) = check(&fm(&big));
    assert_eq!(
        locs,
        [format!("bad-front-matter 2:{}", crate::yaml::MAX_BYTES + 1)]
    );
    assert!(diags[0].message.contains("1 MiB"), "{}", diags[0].message);
}

#[test]
fn yaml_errors_point_at_their_cause() {
    let cases = [
        // A repeated key: at the repetition, with the first occurrence.
        (
            "title: A\ntitle: B\n",
            "bad-front-matter 3:1 (2:1)",
            "`title` is set twice",
        ),
        // Inside an unclosed `[`: where it was noticed, and where it was opened.
        (
            "title: A\ncode: [A\nstatus: open\n",
            "bad-front-matter 4:7 (3:7)",
            "front matter is not valid YAML: did not find expected ',' or ']'",
        ),
        (
            "title: \"A\niso: X\n",
            "bad-front-matter 4:1 (2:8)",
            "front matter is not valid YAML: found unexpected end of stream",
        ),
        // A control character: at the character.
        (
            "title: A\niso: a\u{1}b\n",
            "bad-front-matter 3:7",
            "front matter contains the control character U+0001",
        ),
        // An error that is not inside anything open gets no second label.
        (
            "title: A\nb: c: d\n",
            "bad-front-matter 3:5",
            "front matter is not valid YAML: mapping values are not allowed in this context",
        ),
    ];
    for (yaml, loc, message) in cases {
        let (_, locs, diags) = check(&fm(yaml));
        assert_eq!(locs, [loc], "{yaml}");
        assert_eq!(diags[0].message, message, "{yaml}");
        assert!(!diags[0].label.contains("may be just before"), "{yaml}");
    }
}

#[test]
fn every_repeated_key_is_reported() {
    let (_, locs, _) = check(&fm("title: A\niso: X\ntitle: B\nn: 1\niso: Y\n"));
    assert_eq!(
        locs,
        ["bad-front-matter 4:1 (2:1)", "bad-front-matter 6:1 (3:1)"]
    );
}

#[test]
fn alias_bomb_points_at_the_alias() {
    let mut yaml = String::from("title: A\na: &a [x,x,x,x,x,x,x,x,x]\n");
    for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
        let items = vec![format!("*{prev}"); 9].join(",");
        yaml.push_str(&format!("{name}: &{name} [{items}]\n"));
    }
    let (_, locs, diags) = check(&fm(&yaml));
    assert_eq!(diags[0].message, "YAML aliases expand too far");
    // serde_norway gives up while expanding the first alias of `f` (line 8).
    assert_eq!(locs, ["bad-front-matter 8:8"]);
}

#[test]
fn dates_must_exist() {
    let (_, locs, diags) = check(&fm(
        "title: A\niso: X\ndate: 2009-02-30\nupdated: 2009-04-02Tgarbage\nd: 2009-02-29\n",
    ));
    assert_eq!(locs, ["bad-date 4:7", "bad-date 5:10", "bad-date 6:4"]);
    assert_eq!(
        diags[0].message,
        "`date` is not a valid date: `2009-02-30` names a day that does not exist: February 2009 has 28 days"
    );
    let (fm_ok, locs, _) = check(&fm(
        "title: A\niso: X\ndate: 2008-02-29\nupdated: 2009-04-02T10:30:00+02:00\nd: \"2000-02-29\"\n",
    ));
    assert!(locs.is_empty(), "{locs:?}");
    assert_eq!(
        fm_ok.unwrap().fields["d"],
        FieldValue::Date("2000-02-29".into())
    );
    let (_, locs, _) = check(&fm("title: A\niso: X\ndate: April 2009\nd: 3\n"));
    assert_eq!(locs, ["wrong-kind 4:7 (4:1)", "wrong-kind 5:4 (5:1)"]);
}

#[test]
fn text_fields_refuse_unsafe_links_at_the_url() {
    let (_, locs, diags) = check(&fm(concat!(
        "title: A\niso: X\n",
        "t: Keep [js](javascript:alert(9)) and ![i](data:x)\n",
        "ts:\n  - \"ok [a](https://x.org) [b](vbscript:y)\"\n  - 'it''s [c](JavaScript:z)'\n",
        "\n",
    )));
    assert_eq!(
        locs,
        [
            "unsafe-url 4:14",
            "unsafe-url 4:44",
            "unsafe-url 6:32",
            "unsafe-url 7:16"
        ]
    );
    assert_eq!(
        diags[0].message,
        "`javascript:` URLs are not allowed (in `t`)"
    );
    let start = diags[0].span.as_ref().unwrap().range.clone();
    assert_eq!(start.len(), "javascript:alert(9)".len());
}

#[test]
fn text_fields_report_raw_html_when_the_site_forbids_it() {
    let (_, locs, _) = check(&fm(concat!(
        "title: A\niso: X\n",
        "t: \"Keep <b>bold</b> and <img src=x onerror=y> end\"\n",
        "ts:\n  - <script>alert(8)</script> x\n  - |\n    block <i>x</i>\n",
    )));
    assert_eq!(
        locs,
        [
            "raw-html 4:10",
            "raw-html 4:17",
            "raw-html 4:26",
            "raw-html 6:5",
            // A block scalar's text cannot be mapped back reliably: the whole value.
            "raw-html 8:5",
            "raw-html 8:5",
        ]
    );
}

#[test]
fn control_characters_written_as_escapes_are_errors() {
    // The review's N2: `"\0"` and `"\e"` got past the raw-byte check and broke the feed.
    let (_, locs, _) =
        check("---\ntitle: \"P \\0 nul\"\ndescription: \"D \\x01\"\niso: \"\\e[31m\"\n---\n");
    assert_eq!(
        locs,
        [
            "control-character 2:8",
            "control-character 3:14",
            "control-character 4:6"
        ],
        "{locs:?}"
    );
}
