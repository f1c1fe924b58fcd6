use super::*;

fn parse(text: &str) -> (Option<Config>, Vec<Diagnostic>, SourceMap) {
    let mut map = SourceMap::default();
    let id = map.add("site.yaml".into(), PathBuf::from("site.yaml"), text.into());
    let (c, d) = parse_config(id, &map);
    (c, d, map)
}

#[test]
fn unknown_keys_are_all_reported_with_suggestions() {
    let (c, d, map) = parse(
        "title: T\nbase_url: https://x.org/\ntheem: x\nmarkdown:\n  smart_punctuaton: true\n",
    );
    assert!(c.is_none());
    assert_eq!(d.len(), 2, "{d:?}");
    assert_eq!(d[0].help.as_deref(), Some("did you mean `theme`?"));
    assert_eq!(d[0].location(&map), Some(("site.yaml".into(), 3, 1)));
    assert_eq!(
        d[1].help.as_deref(),
        Some("did you mean `smart_punctuation`?")
    );
    assert_eq!(d[1].location(&map), Some(("site.yaml".into(), 5, 3)));
}

#[test]
fn undeclared_reference_type_is_an_error() {
    let (c, d, _) = parse(
        "title: T\nbase_url: https://x.org/\ntypes:\n  a:\n    fields:\n      r: { kind: reference, to: bb }\n",
    );
    assert!(c.is_none());
    assert_eq!(d[0].code, "unknown-type");
}

#[test]
fn repeated_keys_are_errors_at_the_repetition() {
    // A struct field twice: serde fails, and the index says where.
    let (c, d, map) = parse("title: T\nbase_url: https://x.org/\ntitle: U\n");
    assert!(c.is_none());
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].message, "`title` is set twice");
    assert_eq!(d[0].location(&map), Some(("site.yaml".into(), 3, 1)));
    // A type declared twice: serde keeps the last silently; it is an error.
    let (c, d, map) =
        parse("title: T\nbase_url: https://x.org/\ntypes:\n  a: {}\n  b: {}\n  a: { label: A }\n");
    assert!(c.is_none());
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].location(&map), Some(("site.yaml".into(), 6, 3)));
    assert_eq!(
        d[0].related[0].0.range.start,
        map.get(FileId(0)).text.find("a: {}").unwrap()
    );
}

#[test]
fn limits_apply_to_the_config() {
    let deep = format!(
        "title: T\nbase_url: https://x.org/\nx: {}\n",
        "{a: ".repeat(100_000)
    );
    let (c, d, map) = parse(&deep);
    assert!(c.is_none());
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        d[0].message,
        "site.yaml nests deeper than the limit of 64 levels"
    );
    assert_eq!(
        d[0].location(&map),
        Some(("site.yaml".into(), 3, 4 + 4 * 63))
    );
}

#[test]
fn longest_folder_default_wins() {
    let (c, d, _) = parse(
        "title: T\nbase_url: https://x.org/\ndefaults:\n  - {folder: countries, type: a}\n  - {folder: countries/peru/fy, type: b}\ntypes:\n  a: {}\n  b: {}\n",
    );
    assert!(d.is_empty(), "{d:?}");
    let c = c.unwrap();
    assert_eq!(c.default_type_for("countries"), Some("a"));
    assert_eq!(c.default_type_for("countries/peru/fy"), Some("b"));
    assert_eq!(c.default_type_for("countriesx"), None);
}

#[test]
fn a_kind_alone_declares_a_field_and_a_list_item() {
    let (c, d, _) = parse(
        "title: T\nbase_url: https://x.org/\ntypes:\n  a:\n    fields:\n      year: integer\n      tags: { kind: list, of: string }\n",
    );
    assert!(d.is_empty(), "{d:?}");
    let c = c.expect("config");
    let fields = &c.types["a"].fields;
    assert_eq!(fields["year"].kind, crate::config::FieldKind::Integer);
    let of = fields["tags"].of.as_deref().expect("of");
    assert_eq!(of.kind, crate::config::FieldKind::String);
}

#[test]
fn unknown_keys_inside_a_mapping_are_still_reported_and_kinds_are_checked() {
    let (c, d, map) = parse(
        "title: T\nbase_url: https://x.org/\ntypes:\n  a:\n    fields:\n      tags: { kind: list, of: { knd: string } }\n      year: integr\n",
    );
    assert!(c.is_none());
    let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
    assert!(
        messages.contains(&"unknown config key `knd`"),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"unknown field kind `integr`"),
        "{messages:?}"
    );
    let kind = d
        .iter()
        .find(|d| d.message.contains("integr"))
        .expect("kind");
    assert_eq!(kind.location(&map), Some(("site.yaml".into(), 7, 13)));
}

#[test]
fn an_enum_label_must_name_one_of_its_values() {
    let (c, d, map) = parse(
        "title: T\nbase_url: https://x.org/\ntypes:\n  a:\n    fields:\n      s:\n        kind: enum\n        values: [open, shut]\n        labels: { open: \"open to all\", closed: \"shut\" }\n",
    );
    assert!(c.is_none());
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].message.contains("`closed`"), "{}", d[0].message);
    assert_eq!(
        d[0].help.as_deref(),
        Some("label one of open, shut, or add `closed` to `values`")
    );
    assert_eq!(d[0].location(&map), Some(("site.yaml".into(), 9, 40)));
}

#[test]
fn labels_on_a_field_that_is_not_an_enum_are_an_error() {
    let (c, d, map) = parse(
        "title: T\nbase_url: https://x.org/\ntypes:\n  a:\n    fields:\n      s: { kind: string, labels: { a: b } }\n",
    );
    assert!(c.is_none());
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].message, "`labels` is for an `enum` field's values");
    assert_eq!(d[0].location(&map), Some(("site.yaml".into(), 6, 26)));
}

#[test]
fn an_enum_value_reads_as_its_label_else_as_written() {
    let (c, d, _) = parse(
        "title: T\nbase_url: https://x.org/\ntypes:\n  a:\n    fields:\n      s: { kind: enum, values: [not-met, met], labels: { met: \"fully met\" } }\n",
    );
    assert!(d.is_empty(), "{d:?}");
    let def = &c.expect("config").types["a"].fields["s"];
    assert_eq!(def.value_label("met"), "fully met");
    assert_eq!(def.value_label("not-met"), "not met");
}
