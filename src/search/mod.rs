//! The static search index: works offline from plain files and loads only what a query needs.
//!
//! The builder is a pure function of the site data and the pages' plain text; it owns the file
//! format below and nothing else (no I/O: `site::output` writes the files it returns).
//!
//! Layout (JSON; deterministic: `BTreeMap`s, `PageId` order, no hash-map iteration):
//! ```text
//! search/index.json      manifest, loaded once by the search page:
//!                          { v: 3, n: <docs>, bundle: 8,
//!                            shards: [key, …],            // term-prefix key of terms-<i>.json
//!                            types: [label, …], t: [type index per doc],
//!                            facets: [{ name, label, values: [title, …],
//!                                       of: [value index per doc, -1 = none] }, …],
//!                            marks: [{ text, class, label, title }, …] }  // markdown.marks
//! search/terms-<i>.json  { term: [doc delta, weight, doc delta, weight, …], … }
//!                          every term in the shard starts with shards[i]
//! search/docs-<b>.json   [[url, title, summary, text], …] for docs b*8 .. b*8+7
//! ```
//! **Tokens** are lowercased runs of letters and digits, so `2291j-1` is `2291j` + `1` and
//! `Art. 12` is `art` + `12`. The client matches query tokens of three characters or more as
//! prefixes (`art` finds `article`) and shorter ones exactly; a document must match every token.
//!
//! **Shards** partition the terms by prefix: a group of terms sharing a prefix becomes one file
//! if it is under [`SHARD_BYTES`], else it splits by one more character (up to
//! [`MAX_KEY_CHARS`]). A query token loads the shards whose key is a prefix of the token or,
//! for prefix matching, starts with it; so a query loads a few small files whatever the size
//! of the site.
//!
//! **Weights** rank a document for a term: a title hit counts most, then headings, then the
//! summary and string fields, then each body occurrence (capped), so the page about a thing
//! ranks above the pages that mention it.
//!
//! **Docs bundles** hold what a result shows (title, URL, summary, the first
//! [`TEXT_LIMIT`] characters of text for the snippet) and are fetched only for the results on
//! screen.

use std::borrow::Cow;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_json::json;

use crate::content::model::{FieldValue, Origin};
use crate::site_data::SiteData;

#[cfg(test)]
mod tests;

/// Documents per docs bundle.
pub const BUNDLE: usize = 8;
/// Characters of plain text kept per document for snippets.
pub const TEXT_LIMIT: usize = 8_000;
/// A term shard is split by one more prefix character when its JSON would exceed this.
pub const SHARD_BYTES: usize = 48 * 1024;
/// Longest shard key; a bigger group at this depth stays one file (one very common term).
pub const MAX_KEY_CHARS: usize = 4;

const W_TITLE: u32 = 16;
const W_HEADING: u32 = 6;
const W_SUMMARY: u32 = 3;
const W_FIELD: u32 = 3;
const BODY_CAP: u32 = 10;

/// Splits text into lowercase alphanumeric tokens (the client's `tokenize` does the same:
/// runs of characters for which `char::is_alphanumeric` holds). A token that is already
/// lowercase ASCII is borrowed, not copied. ASCII is scanned byte by byte; only non-ASCII
/// characters are decoded.
pub fn tokenize(text: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    Tokens { text, pos: 0 }
}

struct Tokens<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Tokens<'a> {
    /// At `pos`: (is part of a token, byte length, is lowercase ASCII or a digit).
    fn class(&self, pos: usize) -> (bool, usize, bool) {
        let b = self.text.as_bytes()[pos];
        if b.is_ascii() {
            (
                b.is_ascii_alphanumeric(),
                1,
                b.is_ascii_lowercase() || b.is_ascii_digit(),
            )
        } else {
            let c = self.text[pos..].chars().next().unwrap_or(' ');
            (c.is_alphanumeric(), c.len_utf8(), false)
        }
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Cow<'a, str>;

    fn next(&mut self) -> Option<Cow<'a, str>> {
        let len = self.text.len();
        while self.pos < len {
            let (word, n, _) = self.class(self.pos);
            if word {
                break;
            }
            self.pos += n;
        }
        if self.pos >= len {
            return None;
        }
        let start = self.pos;
        let mut simple = true;
        while self.pos < len {
            let (word, n, plain) = self.class(self.pos);
            if !word {
                break;
            }
            simple &= plain;
            self.pos += n;
        }
        let token = &self.text[start..self.pos];
        Some(if simple {
            Cow::Borrowed(token)
        } else {
            Cow::Owned(token.to_lowercase())
        })
    }
}

/// The type label shown in results: the type's `label`, else its name, else "Page".
fn type_label(site: &SiteData, i: usize) -> String {
    match site.pages[i].type_name.as_deref() {
        Some(t) => site
            .config
            .types
            .get(t)
            .and_then(|d| d.label.clone())
            .unwrap_or_else(|| t.to_string()),
        None => "Page".to_string(),
    }
}

/// The page of type `facet` a page belongs to (its title): itself if it is one, else the
/// first page of that type its references name (`search.facets` in site.yaml).
fn facet_of(site: &SiteData, i: usize, facet: &str) -> Option<String> {
    let page = &site.pages[i];
    if page.type_name.as_deref() == Some(facet) {
        return Some(page.front.title.clone());
    }
    site.refs[i]
        .iter()
        .map(|r| &site.pages[r.target.index()])
        .find(|p| p.type_name.as_deref() == Some(facet))
        .map(|p| p.front.title.clone())
}

/// The manifest's `marks`: each confidence mark written in text, so that results show the
/// badges the pages show (`[{text, class, label, title}]`).
fn marks(site: &SiteData) -> Vec<serde_json::Value> {
    site.marks
        .written()
        .map(|m| json!({"text": m.text, "class": m.class, "label": m.label, "title": m.title}))
        .collect()
}

/// The manifest's `facets`: per declared facet, its values and each document's value.
fn facets(site: &SiteData) -> Vec<serde_json::Value> {
    let n = site.pages.len();
    site.config
        .search
        .facets
        .iter()
        .map(|facet| {
            // Values in order of first use; the map keeps a facet of many pages linear.
            let mut values: Vec<String> = Vec::new();
            let mut slot: std::collections::HashMap<String, usize> = Default::default();
            let of: Vec<i64> = (0..n)
                .map(|i| {
                    facet_of(site, i, facet).map_or(-1, |v| {
                        let next = values.len();
                        let k = *slot.entry(v.clone()).or_insert(next);
                        if k == next {
                            values.push(v);
                        }
                        k as i64
                    })
                })
                .collect();
            let label = site
                .config
                .types
                .get(facet)
                .and_then(|d| d.label.clone())
                .unwrap_or_else(|| facet.clone());
            json!({ "name": facet, "label": label, "values": values, "of": of })
        })
        .collect()
}

/// The text of a page's string and enum fields (codes, citations, targets, statuses).
fn field_text(fields: &indexmap::IndexMap<String, FieldValue>) -> String {
    fn walk(v: &FieldValue, out: &mut String) {
        match v {
            FieldValue::Str(s) | FieldValue::Enum(s) => {
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

/// What one document contributes to the index: its parts, each with its own weight.
pub struct DocText<'a> {
    /// Page title.
    pub title: &'a str,
    /// Heading texts, space-separated.
    pub headings: &'a str,
    /// One-line summary.
    pub summary: &'a str,
    /// String fields, space-separated.
    pub fields: &'a str,
    /// Plain text of the body.
    pub body: &'a str,
}

/// Term weights of one document, in no particular order.
pub fn weigh_terms<'a>(doc: &DocText<'a>) -> Vec<(Cow<'a, str>, u32)> {
    // The body has the most distinct terms: its counts are the map the rest is added to.
    let mut weights = count_tokens(doc.body);
    for n in weights.values_mut() {
        *n = (*n).min(BODY_CAP);
    }
    let mut seen: Vec<Cow<'a, str>> = Vec::new();
    for (text, w) in [
        (doc.title, W_TITLE),
        (doc.headings, W_HEADING),
        (doc.summary, W_SUMMARY),
        (doc.fields, W_FIELD),
    ] {
        seen.clear();
        seen.extend(tokenize(text));
        seen.sort_unstable();
        seen.dedup();
        for t in seen.drain(..) {
            *weights.entry(t).or_default() += w;
        }
    }
    weights.into_iter().collect()
}

/// How often each token occurs in `text`.
fn count_tokens(text: &str) -> FxHashMap<Cow<'_, str>, u32> {
    let mut counts: FxHashMap<Cow<'_, str>, u32> = FxHashMap::default();
    for t in tokenize(text) {
        *counts.entry(t).or_default() += 1;
    }
    counts
}

/// Encodes postings as `[doc delta, weight, …]`: deltas keep the numbers (and the JSON) short.
pub fn encode_postings(list: &[(u32, u32)]) -> Vec<u32> {
    let mut out = Vec::with_capacity(list.len() * 2);
    let mut prev = 0;
    for &(doc, w) in list {
        out.push(doc - prev);
        out.push(w);
        prev = doc;
    }
    out
}

/// A shard: its key (a prefix of every term in it) and its terms.
#[derive(Debug, PartialEq)]
pub struct Shard<'a> {
    /// Common prefix of the terms.
    pub key: String,
    /// Terms in sorted order.
    pub terms: Vec<&'a str>,
}

fn prefix(term: &str, chars: usize) -> &str {
    match term.char_indices().nth(chars) {
        Some((at, _)) => &term[..at],
        None => term,
    }
}

/// Partitions (term, estimated JSON bytes of its entry) pairs, sorted by term, into shards of
/// at most `limit` estimated bytes (see the module doc).
pub(super) fn partition_sized<'a>(sized: &[(&'a str, usize)], limit: usize) -> Vec<Shard<'a>> {
    let mut out = Vec::new();
    split_group(sized, 0, limit, &mut out);
    out
}

fn split_group<'a>(
    terms: &[(&'a str, usize)],
    depth: usize,
    limit: usize,
    out: &mut Vec<Shard<'a>>,
) {
    let Some((first, _)) = terms.first() else {
        return;
    };
    let total: usize = terms.iter().map(|(_, n)| n).sum();
    if depth > 0 && (total <= limit || depth >= MAX_KEY_CHARS) {
        out.push(Shard {
            key: prefix(first, depth).to_string(),
            terms: terms.iter().map(|(t, _)| *t).collect(),
        });
        return;
    }
    // Terms are sorted, so a group sharing one more character is a contiguous run.
    let mut start = 0;
    while start < terms.len() {
        let key = prefix(terms[start].0, depth + 1);
        let end = start
            + terms[start..]
                .iter()
                .take_while(|(t, _)| prefix(t, depth + 1) == key)
                .count();
        split_group(&terms[start..end], depth + 1, limit, out);
        start = end;
    }
}

/// Index of `value` in `list`, appending it when new (facet values in first-seen order).
fn intern(list: &mut Vec<String>, value: String) -> usize {
    match list.iter().position(|v| *v == value) {
        Some(i) => i,
        None => {
            list.push(value);
            list.len() - 1
        }
    }
}

/// One document's entry in a docs bundle: `[url, title, summary, text]`, borrowed.
type DocEntry<'a> = (&'a str, &'a str, &'a str, &'a str);

/// The first `limit` characters of `text`, without copying.
fn clip(text: &str, limit: usize) -> &str {
    match text.char_indices().nth(limit) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("invariant: search data serializes to JSON")
}

/// Pages weighed at once: bounds the memory the per-page term lists take.
const WEIGH_CHUNK: usize = 1024;

/// Builds the search index and hands each file to `emit` (path, bytes) as soon as it is made,
/// from any thread, so a big site never holds all of it at once.
///
/// Pages are weighed in parallel, a chunk at a time, and merged into the postings in page
/// order (so every list is ascending); shards and docs bundles are serialized in parallel.
pub fn emit_search_index(site: &SiteData, texts: &[&str], emit: &(dyn Fn(String, Vec<u8>) + Sync)) {
    // Docs bundles first: they need only the texts, and go out before the postings grow.
    emit_docs(site, texts, emit);
    // Headings and string fields of every page, joined once (small), so every term borrows
    // from text that lives as long as the postings and no term is copied to be a key.
    let parts: Vec<(String, String)> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| {
            let heads: Vec<&str> = site.headings[i].iter().map(|h| h.text.as_str()).collect();
            (heads.join(" "), field_text(&site.pages[i].front.fields))
        })
        .collect();
    let entries = postings(site, texts, &parts);
    emit_terms(site, &entries, emit);
}

/// The searchable body of page `i`: a file's text; generated pages have none.
fn body_of<'a>(site: &SiteData, texts: &[&'a str], i: usize) -> &'a str {
    match site.pages[i].origin {
        Origin::File => texts.get(i).copied().unwrap_or_default(),
        Origin::Generated { .. } => "",
    }
}

/// The docs bundles: `[url, title, summary, text]` of `BUNDLE` pages each.
fn emit_docs(site: &SiteData, texts: &[&str], emit: &(dyn Fn(String, Vec<u8>) + Sync)) {
    let docs: Vec<usize> = (0..site.pages.len()).collect();
    docs.par_chunks(BUNDLE).enumerate().for_each(|(b, chunk)| {
        let entries: Vec<DocEntry<'_>> = chunk
            .iter()
            .map(|&i| {
                let page = &site.pages[i];
                (
                    page.url.as_str(),
                    page.front.title.as_str(),
                    &*site.summaries[i],
                    clip(body_of(site, texts, i), TEXT_LIMIT),
                )
            })
            .collect();
        emit(format!("search/docs-{b}.json"), to_json(&entries));
    });
}

/// Every term's postings, sorted by term. `parts` holds each page's joined headings and
/// string fields.
fn postings<'a>(
    site: &'a SiteData,
    texts: &[&'a str],
    parts: &'a [(String, String)],
) -> Vec<Entry<'a>> {
    let n = site.pages.len();
    let mut postings: FxHashMap<Cow<'_, str>, Vec<(u32, u32)>> = FxHashMap::default();
    for start in (0..n).step_by(WEIGH_CHUNK) {
        let end = (start + WEIGH_CHUNK).min(n);
        let weighed: Vec<Vec<(Cow<'_, str>, u32)>> = (start..end)
            .into_par_iter()
            .zip(&parts[start..end])
            .map(|(i, (headings, fields))| {
                weigh_terms(&DocText {
                    title: &site.pages[i].front.title,
                    headings,
                    summary: &site.summaries[i],
                    fields,
                    body: body_of(site, texts, i),
                })
            })
            .collect();
        for (k, terms) in weighed.into_iter().enumerate() {
            let id = u32::try_from(start + k).expect("invariant: fewer than 2^32 pages");
            for (term, w) in terms {
                postings.entry(term).or_default().push((id, w));
            }
        }
    }
    // Sorted once; shards are runs of this list, so no term is looked up again.
    let mut entries: Vec<Entry<'_>> = postings.into_iter().collect();
    entries.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    entries
}

/// The manifest (`search/index.json`) and the term shards.
fn emit_terms(site: &SiteData, entries: &[Entry<'_>], emit: &(dyn Fn(String, Vec<u8>) + Sync)) {
    let sized: Vec<(&str, usize)> = entries
        .iter()
        // "term":[…], with about four bytes per number.
        .map(|(t, list)| (t.as_ref(), t.len() + 4 + list.len() * 8))
        .collect();
    let shards = partition_sized(&sized, SHARD_BYTES);
    let mut starts = Vec::with_capacity(shards.len());
    let mut at = 0;
    for shard in &shards {
        starts.push(at);
        at += shard.terms.len();
    }
    let n = site.pages.len();
    let mut types = Vec::new();
    let t_of: Vec<i64> = (0..n)
        .map(|i| intern(&mut types, type_label(site, i)) as i64)
        .collect();
    let keys: Vec<&str> = shards.iter().map(|s| s.key.as_str()).collect();
    let manifest = json!({
        "v": 3, "n": n, "bundle": BUNDLE, "shards": keys,
        "types": types, "t": t_of, "facets": facets(site), "marks": marks(site),
    });
    emit("search/index.json".to_string(), to_json(&manifest));
    shards.par_iter().enumerate().for_each(|(k, shard)| {
        let run = &entries[starts[k]..starts[k] + shard.terms.len()];
        let map = SortedMap(run);
        emit(format!("search/terms-{k}.json"), to_json(&map));
    });
}

/// A run of sorted (term, postings) entries, serialized as the JSON object a `BTreeMap` of
/// them would be (same bytes), without building one.
struct SortedMap<'a, 'b>(&'a [Entry<'b>]);

/// A term and its postings (document, weight).
type Entry<'a> = (Cow<'a, str>, Vec<(u32, u32)>);

impl serde::Serialize for SortedMap<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(t, list)| (t, encode_postings(list))))
    }
}
