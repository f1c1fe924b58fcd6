//! The static search index: works offline from files, loads only what a query needs.
//!
//! Layout (all JSON, deterministic: `BTreeMap`s and `PageId` order):
//! ```text
//! search/docs.json          [{u: url, t: title, y: type label, c: country, s: summary}, …]
//! search/terms-<c>.json     {term: [doc, …]} for terms whose first character is <c>
//! search/text-<n>.json      [plain text, …] of docs n*64 .. n*64+63 (for snippets)
//! ```
//! Tokens are lowercased runs of letters and digits, so `2291j-1` is `2291j` + `1` and
//! `Art. 12` is `art` + `12`; the client matches every query token as a prefix and loads
//! only the term shards of the query's first characters and the text bundles of the top
//! results.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use crate::content::model::FieldValue;
use crate::render::views::SiteData;

/// Documents per snippet-text bundle.
pub const TEXT_BUNDLE: usize = 64;
/// Characters of text kept per document for snippets.
const TEXT_LIMIT: usize = 20_000;

/// Splits text into lowercase alphanumeric tokens.
pub fn tokenize(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
}

/// The shard a term belongs to: its first character if ASCII alphanumeric, else `_`.
pub fn shard_of(term: &str) -> char {
    match term.chars().next() {
        Some(c) if c.is_ascii_alphanumeric() => c,
        _ => '_',
    }
}

fn country_of(site: &SiteData, i: usize) -> String {
    let page = &site.pages[i];
    if page.type_name.as_deref() == Some("country") {
        return page.front.title.clone();
    }
    match page.front.fields.get("country") {
        Some(FieldValue::Ref(_)) => site.refs[i]
            .iter()
            .find(|r| r.field == "country")
            .map(|r| site.pages[r.target.index()].front.title.clone())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// The text of a page's string fields (codes, citations, targets), searchable like its body.
fn field_text(fields: &indexmap::IndexMap<String, FieldValue>) -> String {
    fn walk(v: &FieldValue, out: &mut String) {
        match v {
            FieldValue::Str(s) => {
                out.push_str(s);
                out.push(' ');
            }
            FieldValue::List(items) => items.iter().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    let mut out = String::new();
    for v in fields.values() {
        walk(v, &mut out);
    }
    out
}

/// Files of the search index: (output path, bytes). `texts[i]` is the plain text of page `i`.
pub fn build_search_index(site: &SiteData, texts: &[&str]) -> Vec<(String, Vec<u8>)> {
    let mut docs = Vec::with_capacity(site.pages.len());
    let mut terms: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    let mut bundles: Vec<Vec<String>> = Vec::new();
    for (i, page) in site.pages.iter().enumerate() {
        let label = page
            .type_name
            .as_deref()
            .map(|t| {
                site.config
                    .types
                    .get(t)
                    .and_then(|d| d.label.clone())
                    .unwrap_or_else(|| t.to_string())
            })
            .unwrap_or_else(|| "Page".to_string());
        docs.push(json!({
            "u": page.url.as_str(),
            "t": page.front.title,
            "y": label,
            "c": country_of(site, i),
            "s": site.summaries[i],
        }));
        let text = texts.get(i).copied().unwrap_or_default();
        let headings: Vec<&str> = site.headings[i].iter().map(|h| h.text.as_str()).collect();
        let id = i as u32;
        let fields = field_text(&page.front.fields);
        for source in [
            page.front.title.as_str(),
            site.summaries[i].as_str(),
            text,
            &headings.join(" "),
            &fields,
        ] {
            for t in tokenize(source) {
                terms.entry(t).or_default().insert(id);
            }
        }
        if i % TEXT_BUNDLE == 0 {
            bundles.push(Vec::new());
        }
        let clipped: String = text.chars().take(TEXT_LIMIT).collect();
        bundles
            .last_mut()
            .expect("invariant: a bundle was pushed above")
            .push(clipped);
    }
    let mut shards: BTreeMap<char, BTreeMap<&str, &BTreeSet<u32>>> = BTreeMap::new();
    for (term, ids) in &terms {
        shards.entry(shard_of(term)).or_default().insert(term, ids);
    }
    let mut files = Vec::new();
    let to_bytes =
        |v: &serde_json::Value| serde_json::to_vec(v).expect("invariant: JSON values serialize");
    let shard_names: Vec<String> = shards.keys().map(char::to_string).collect();
    files.push((
        "search/docs.json".to_string(),
        to_bytes(
            &json!({ "version": 1, "bundle": TEXT_BUNDLE, "shards": shard_names, "docs": docs }),
        ),
    ));
    for (c, map) in &shards {
        files.push((format!("search/terms-{c}.json"), to_bytes(&json!(map))));
    }
    for (n, bundle) in bundles.iter().enumerate() {
        files.push((format!("search/text-{n}.json"), to_bytes(&json!(bundle))));
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_split_codes_and_abbreviations() {
        let t: Vec<String> = tokenize("22 U.S.C. 2291j-1; Art. 12, Callao’s port").collect();
        assert_eq!(
            t,
            ["22", "u", "s", "c", "2291j", "1", "art", "12", "callao", "s", "port"]
        );
    }

    #[test]
    fn shards_by_first_character() {
        assert_eq!(shard_of("callao"), 'c');
        assert_eq!(shard_of("2291j"), '2');
        assert_eq!(shard_of("é"), '_');
    }
}
