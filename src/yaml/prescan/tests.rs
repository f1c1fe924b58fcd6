use super::*;

fn limit(text: &str) -> Option<(usize, LimitKind)> {
    check_limits(text).err().map(|e| (e.offset, e.kind))
}

fn nested_flow(depth: usize) -> String {
    format!("x: {}{}\n", "[".repeat(depth), "]".repeat(depth))
}

fn nested_block(depth: usize) -> String {
    (0..depth)
        .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
        .collect()
}

#[test]
fn ordinary_front_matter_passes() {
    for text in [
        "title: A\ntags: [a, b]\nrefs:\n  - x\n  - y\n",
        "title: \"a [b\"\nnote: it's [fine\nurl: https://x.org/a:b\n",
        "text: |\n  [[[[ not flow\n  {{{{\nnext: 1\n",
        "a: # [ comment\n  - [1, {b: [2]}]\n",
        "list:\n- a: 1\n  b: [2]\n- c\nother: 3\n",
        "q: 'it''s [ok'\nd: \"say \\\" [x\"\n",
        "",
    ] {
        assert_eq!(limit(text), None, "{text}");
    }
    assert_eq!(limit(&nested_flow(MAX_DEPTH - 1)), None);
    assert_eq!(limit(&nested_block(MAX_DEPTH)), None);
}

#[test]
fn deep_flow_nesting_is_rejected_where_the_limit_is_crossed() {
    // `x: ` is a block mapping (one level), so the 64th `[` is level 65.
    let text = nested_flow(100_000);
    assert_eq!(limit(&text), Some((3 + MAX_DEPTH - 1, LimitKind::TooDeep)));
    let text = format!("a: {}", "{b: ".repeat(200));
    assert_eq!(limit(&text).map(|l| l.1), Some(LimitKind::TooDeep));
}

#[test]
fn deep_block_nesting_is_rejected_at_the_first_level_too_many() {
    let text = nested_block(MAX_DEPTH + 5);
    let line = MAX_DEPTH; // 0-based line of key `k64`, the 65th level
    let offset: usize = text.lines().take(line).map(|l| l.len() + 1).sum::<usize>() + 2 * line;
    assert_eq!(limit(&text), Some((offset, LimitKind::TooDeep)));
    let dashes = format!("x:\n{}a\n", "- ".repeat(200));
    assert_eq!(limit(&dashes).map(|l| l.1), Some(LimitKind::TooDeep));
}

#[test]
fn size_and_control_characters() {
    let big = format!("title: {}\n", "é".repeat(MAX_BYTES / 2));
    let (at, kind) = limit(&big).unwrap();
    assert_eq!(kind, LimitKind::TooLarge);
    assert!(big.is_char_boundary(at) && at <= MAX_BYTES && at > MAX_BYTES - 2);
    assert_eq!(
        limit("title: A\nx: a\u{0}b\n"),
        Some((13, LimitKind::ControlChar('\0')))
    );
    assert_eq!(
        limit("x: \u{7f}"),
        Some((3, LimitKind::ControlChar('\u{7f}')))
    );
    assert_eq!(limit("x: \u{85}\u{feff}\t"), None);
}

#[test]
fn openers_are_found_with_whether_they_close() {
    let at = |text: &str, offset: usize| {
        opener_at(text, offset).map(|o| (o.offset, o.kind.char(), o.closed))
    };
    let text = "title: [unclosed\nother: 1\n";
    assert_eq!(at(text, 22), Some((7, '[', false)));
    let text = "title: A\nx: {a: [1]\ny: 2\n";
    assert_eq!(at(text, 21), Some((12, '{', false)));
    let text = "title: \"unclosed\nother: 1\n";
    assert_eq!(at(text, text.len()), Some((7, '"', false)));
    let text = "x: [a, b: c: d]\n";
    assert_eq!(at(text, 11), Some((3, '[', true)));
    assert_eq!(at("title: a [b\n", 11), None);
    assert_eq!(at("title: don't\nx: [\n", 13), None);
}
