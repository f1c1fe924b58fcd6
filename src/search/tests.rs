use super::*;
use std::collections::BTreeMap;

/// Sorted terms into shards, each term's size given by `size`.
fn partition_terms<'a>(
    terms: &[&'a str],
    size: &dyn Fn(&str) -> usize,
    limit: usize,
) -> Vec<Shard<'a>> {
    let sized: Vec<(&'a str, usize)> = terms.iter().map(|t| (*t, size(t))).collect();
    partition_sized(&sized, limit)
}

fn tokens(text: &str) -> Vec<String> {
    tokenize(text).map(Cow::into_owned).collect()
}

/// The client's shard choice (site.js `shardsFor`): a short token only where it would be
/// stored, a long one also wherever longer terms starting with it are.
fn shards_for<'a>(shards: &'a [Shard<'a>], token: &str) -> Vec<&'a Shard<'a>> {
    shards
        .iter()
        .filter(|s| {
            token.starts_with(&s.key) || (token.chars().count() >= 3 && s.key.starts_with(token))
        })
        .collect()
}

#[test]
fn tokens_split_codes_and_abbreviations() {
    assert_eq!(
        tokens("22 U.S.C. 2291j-1; Art. 12, Callao’s port"),
        ["22", "u", "s", "c", "2291j", "1", "art", "12", "callao", "s", "port"]
    );
    assert_eq!(tokens("“Failed Demonstrably”"), ["failed", "demonstrably"]);
    assert_eq!(tokens("Perú — ¶9"), ["perú", "9"]);
}

#[test]
fn title_outweighs_body_and_body_is_capped() {
    let body = "callao port ".repeat(30);
    let w: BTreeMap<_, _> = weigh_terms(&DocText {
        title: "Port container inspection",
        headings: "Callao",
        summary: "",
        fields: "not-met",
        body: &body,
    })
    .into_iter()
    .collect();
    assert_eq!(w["port"], W_TITLE + BODY_CAP);
    assert_eq!(w["callao"], W_HEADING + BODY_CAP);
    assert_eq!(w["inspection"], W_TITLE);
    assert_eq!(w["met"], W_FIELD);
    assert!(!w.contains_key(""));
}

#[test]
fn postings_are_delta_encoded() {
    assert_eq!(
        encode_postings(&[(3, 16), (4, 1), (10, 2)]),
        [3, 16, 1, 1, 6, 2]
    );
    assert!(encode_postings(&[]).is_empty());
}

#[test]
fn small_index_shards_by_first_character() {
    let terms = ["12", "2291j", "art", "article", "callao", "é"];
    let shards = partition_terms(&terms, &|t| t.len(), 1000);
    let keys: Vec<&str> = shards.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(keys, ["1", "2", "a", "c", "é"]);
    assert_eq!(shards[2].terms, ["art", "article"]);
}

#[test]
fn big_groups_split_by_longer_prefixes() {
    let terms = ["c", "ca", "callao", "coca", "cocaine", "country", "d"];
    // Every term "weighs" 10 bytes: the "c" group (60) splits, "co" (30) does not.
    let shards = partition_terms(&terms, &|_| 10, 30);
    let keys: Vec<&str> = shards.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(keys, ["c", "ca", "co", "d"]);
    assert_eq!(shards[1].terms, ["ca", "callao"]);
}

#[test]
fn one_huge_term_stops_at_the_longest_key() {
    let terms = ["the", "their", "them"];
    let shards = partition_terms(&terms, &|t| if t == "the" { 1000 } else { 1 }, 10);
    let keys: Vec<&str> = shards.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(keys, ["the", "thei", "them"]);
}

#[test]
fn every_term_is_found_by_the_client_rule() {
    let terms: Vec<String> = (0..2000).map(|i| format!("t{}x{}", i % 37, i)).collect();
    let mut sorted: Vec<&str> = terms.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    let shards = partition_terms(&sorted, &|t| t.len() + 8, 2000);
    assert!(shards.len() > 10, "the test should split: {}", shards.len());
    for s in &shards {
        assert!(s.terms.iter().all(|t| t.starts_with(&s.key)), "{s:?}");
    }
    let total: usize = shards.iter().map(|s| s.terms.len()).sum();
    assert_eq!(total, sorted.len(), "each term in exactly one shard");
    for t in &sorted {
        // Exact lookup of the full term and prefix lookup of its first three characters.
        let found = shards_for(&shards, t);
        assert!(found.iter().any(|s| s.terms.contains(t)), "{t}");
        let p = prefix(t, 3);
        let found = shards_for(&shards, p);
        assert!(found.iter().any(|s| s.terms.contains(t)), "{p} -> {t}");
    }
}

#[test]
fn facet_values_keep_first_seen_order() {
    let mut list = Vec::new();
    assert_eq!(intern(&mut list, "Peru".into()), 0);
    assert_eq!(intern(&mut list, "Bolivia".into()), 1);
    assert_eq!(intern(&mut list, "Peru".into()), 0);
    assert_eq!(list, ["Peru", "Bolivia"]);
}

#[test]
fn the_byte_tokenizer_matches_the_char_definition() {
    // The client's rule, written the slow way: runs of alphanumeric chars, lowercased.
    let by_chars = |t: &str| -> Vec<String> {
        t.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    for text in [
        "Art. 12(3)(a) and 2291J-1: the GOP's INL/PC.",
        "Perú, São Paulo — Ελλάδα 東京 ½ ①②; İstanbul ǅ x\u{301}y",
        "",
        "...",
        "a",
        "ÉCOLE école 9É",
    ] {
        assert_eq!(tokens(text), by_chars(text), "{text}");
    }
}
