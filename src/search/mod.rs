//! The static search index, built from rendered pages (title, type, summary, headings, text).
//!
//! Pure and deterministic: documents are in `PageId` order and serialized without maps whose
//! iteration order could vary.

use serde_json::json;

use crate::render::views::SiteData;

/// Files of the search index: (output path, bytes).
pub fn build_search_index(site: &SiteData, texts: &[&str]) -> Vec<(String, Vec<u8>)> {
    let docs: Vec<serde_json::Value> = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let headings: Vec<&str> = site.headings[i].iter().map(|h| h.text.as_str()).collect();
            json!({
                "url": p.url.as_str(),
                "title": p.front.title,
                "type": p.type_name,
                "summary": site.summaries[i],
                "headings": headings,
                "words": texts.get(i).map_or(0, |t| t.split_whitespace().count()),
            })
        })
        .collect();
    let body = serde_json::to_vec(&json!({ "version": 1, "docs": docs }))
        .expect("invariant: JSON values serialize");
    vec![("search/index.json".to_string(), body)]
}
