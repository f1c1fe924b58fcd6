use super::*;

const DOC: &str =
    "title: Hello\ntags: [a, \"b c\"]\nlist:\n  - one\n  - two\nnested:\n  inner: 5\n";

fn at<'t>(text: &'t str, path: &[PathSeg], part: Part) -> &'t str {
    let r = YamlIndex::build(text).locate(path, part).expect("found");
    &text[r]
}

fn k(s: &str) -> PathSeg {
    PathSeg::Key(s.into())
}

#[test]
fn finds_keys_and_values() {
    assert_eq!(at(DOC, &[k("title")], Part::Key), "title");
    assert_eq!(at(DOC, &[k("title")], Part::Value), "Hello");
    assert_eq!(at(DOC, &[k("tags")], Part::Value), "[a, \"b c\"]");
    assert_eq!(
        at(DOC, &[k("tags"), PathSeg::Index(1)], Part::Value),
        "\"b c\""
    );
    assert_eq!(at(DOC, &[k("list"), PathSeg::Index(1)], Part::Value), "two");
    assert_eq!(at(DOC, &[k("list")], Part::Value), "- one");
    assert_eq!(at(DOC, &[k("nested"), k("inner")], Part::Value), "5");
    assert_eq!(at(DOC, &[k("nested"), k("inner")], Part::Key), "inner");
    assert_eq!(at(DOC, &[k("nested")], Part::Value), "inner: 5");
}

#[test]
fn missing_path_is_none() {
    let index = YamlIndex::build(DOC);
    assert!(index.locate(&[k("absent")], Part::Key).is_none());
    assert!(index.locate(&[k("title"), k("x")], Part::Value).is_none());
    assert!(YamlIndex::build("").locate(&[], Part::Value).is_none());
}

#[test]
fn scalar_ranges_follow_their_style() {
    let text =
        "a: 'it''s' # c\nb: \"x\\\"y\" \nc: plain words # note\nd: |\n  block\ne: {f: g, h: [i]}\n";
    assert_eq!(at(text, &[k("a")], Part::Value), "'it''s'");
    assert_eq!(at(text, &[k("b")], Part::Value), "\"x\\\"y\"");
    assert_eq!(at(text, &[k("c")], Part::Value), "plain words");
    assert_eq!(at(text, &[k("d")], Part::Value), "block");
    assert_eq!(at(text, &[k("e"), k("f")], Part::Value), "g");
    assert_eq!(
        at(text, &[k("e"), k("h"), PathSeg::Index(0)], Part::Value),
        "i"
    );
}

#[test]
fn empty_value_is_marked_at_its_colon() {
    let text = "count:\nstatus: open\n";
    assert_eq!(
        YamlIndex::build(text).locate(&[k("count")], Part::Value),
        Some(5..6)
    );
}

#[test]
fn character_indices_become_byte_offsets() {
    let text = "título: «Año»\nnext: café\n";
    assert_eq!(at(text, &[k("título")], Part::Key), "título");
    assert_eq!(at(text, &[k("título")], Part::Value), "«Año»");
    assert_eq!(at(text, &[k("next")], Part::Value), "café");
}

#[test]
fn repeated_keys_are_recorded_and_the_first_wins() {
    let text = "title: A\nx: 1\ntitle: B\n";
    let index = YamlIndex::build(text);
    assert_eq!(
        index.duplicates(),
        [DuplicateKey {
            name: "title".into(),
            first: 0..5,
            second: 14..19
        }]
    );
    assert_eq!(index.locate(&[k("title")], Part::Value), Some(7..8));
}

#[test]
fn scalar_sources_span_continuation_lines() {
    let text = "t: first line\n  second line\nu: \"q\"\n";
    let index = YamlIndex::build(text);
    let src = index.scalar_source(&[k("t")]).unwrap();
    assert_eq!(src.style, NodeStyle::Plain);
    assert!(text[src.range].starts_with("first line\n  second line"));
    let src = index.scalar_source(&[k("u")]).unwrap();
    assert_eq!(
        (&text[src.range], src.style),
        ("\"q\"", NodeStyle::DoubleQuoted)
    );
}

#[test]
fn alias_expansion_is_costed() {
    let text = "a: &a [1, 2]\nb: &b [*a, *a]\nc: [*b, *b, *b]\n";
    let index = YamlIndex::build(text);
    let costs: Vec<u64> = index.aliases.iter().map(|(_, c)| *c).collect();
    assert_eq!(costs, [1, 1, 3, 3, 3]);
    // Few events, no limit crossed: the most expensive alias is the suspect.
    assert_eq!(
        index.alias_past_limit(),
        Some(text.find("*b").unwrap()..text.find("*b").unwrap() + 2)
    );
}
