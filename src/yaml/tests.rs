use super::*;

fn errors(text: &str) -> Vec<(Range<usize>, YamlErrorKind)> {
    parse_value(text)
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|e| (e.range, e.kind))
        .collect()
}

#[test]
fn parses_valid_yaml() {
    assert!(parse_value("title: A\ntags: [a, b]\n").is_ok());
}

#[test]
fn syntax_error_has_offset_and_no_position_text() {
    let text = "title: [unclosed\nother: 1\n";
    let errs = errors(text);
    let [(range, YamlErrorKind::Syntax { problem, opener })] = errs.as_slice() else {
        panic!("{errs:?}");
    };
    assert_eq!(range.start, text.find(": 1").unwrap());
    assert_eq!(problem, "did not find expected ',' or ']'");
    let opener = opener.expect("the `[` is found");
    assert_eq!((opener.offset, opener.kind), (7, OpenerKind::Sequence));
}

/// serde_norway's error kinds are private; these pin the messages `explain` relies on.
#[test]
fn serde_norway_messages_are_as_expected() {
    let dup = serde_norway::from_str::<serde_norway::Value>("a: 1\na: 2\n").unwrap_err();
    assert!(
        dup.to_string().contains("duplicate entry with key"),
        "{dup}"
    );
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct S {
        a: u8,
    }
    let dup = serde_norway::from_str::<S>("a: 1\na: 2\n").unwrap_err();
    assert!(dup.to_string().contains("duplicate field"), "{dup}");
    let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x]\n");
    for (p, n) in "abcdefgh".chars().zip("bcdefghi".chars()) {
        bomb.push_str(&format!(
            "{n}: &{n} [{}]\n",
            vec![format!("*{p}"); 9].join(",")
        ));
    }
    let rep = serde_norway::from_str::<serde_norway::Value>(&bomb).unwrap_err();
    assert!(
        rep.to_string().starts_with("repetition limit exceeded"),
        "{rep}"
    );
    assert!(matches!(
        errors(&bomb).as_slice(),
        [(_, YamlErrorKind::Aliases)]
    ));
}

#[test]
fn position_suffixes_are_stripped() {
    assert_eq!(
        strip_position("did not find expected ',' or ']' at line 2 column 6, while parsing a flow sequence at line 1 column 8"),
        "did not find expected ',' or ']'"
    );
    assert_eq!(
        strip_position("control characters are not allowed at position 12"),
        "control characters are not allowed"
    );
    assert_eq!(
        strip_position("did not find expected key, while parsing a block mapping"),
        "did not find expected key"
    );
    assert_eq!(
        strip_position("recursion limit exceeded"),
        "recursion limit exceeded"
    );
}

#[test]
fn duplicates_point_at_the_repetition() {
    let text = "a: 1\nb:\n  c: 1\n  c: 2\na: 3\n";
    let errs = errors(text);
    assert_eq!(
        errs,
        [
            (
                17..18,
                YamlErrorKind::Duplicate {
                    name: "c".into(),
                    first: 10..11
                }
            ),
            (
                22..23,
                YamlErrorKind::Duplicate {
                    name: "a".into(),
                    first: 0..1
                }
            ),
        ]
    );
}

#[test]
fn limits_come_before_parsing() {
    let deep = format!("x: {}", "[".repeat(100_000));
    assert_eq!(
        errors(&deep),
        [(66..67, YamlErrorKind::Limit(LimitKind::TooDeep))]
    );
    assert_eq!(
        errors("a: \u{0}"),
        [(3..4, YamlErrorKind::Limit(LimitKind::ControlChar('\0')))]
    );
}

#[test]
fn diagnostics_carry_related_labels() {
    let cx = ErrorContext {
        code: "bad-front-matter",
        what: "front matter",
        invalid: "front matter is not valid YAML",
        syntax_label: "YAML syntax error",
        syntax_help: "fix it",
        file: FileId(0),
        base: 4,
    };
    let text = "title: A\ntitle: B\n";
    let d = parse_value(text).unwrap_err()[0].to_diagnostic(&cx);
    assert_eq!(d.message, "`title` is set twice");
    assert_eq!(d.span.map(|s| s.range), Some(13..18));
    assert_eq!(d.label, "set again here");
    assert_eq!(
        d.related,
        [(Span::new(FileId(0), 4..9), "first set here".into())]
    );
    let text = "a: {b: 1\n";
    let d = parse_value(text).unwrap_err()[0].to_diagnostic(&cx);
    assert_eq!(d.related[0].0.range, 7..8);
    assert_eq!(d.related[0].1, "this `{` is never closed");
    let d = parse_value("a: b: c\n").unwrap_err()[0].to_diagnostic(&cx);
    assert!(d.related.is_empty());
    assert_eq!(
        (d.label.as_str(), d.help.as_deref()),
        ("YAML syntax error", Some("fix it"))
    );
}
