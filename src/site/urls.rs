//! `data/urls.json`: the manifest of what a build published — every page's URL, the source
//! file that makes it, its title, the anchors of its headings (with their lines) and its
//! aliases — and the redirect pages of the aliases.
//!
//! The manifest is what `majors check --against` and `majors diff` compare with. Format
//! (version 1), one page per line so that two manifests diff line by line:
//!
//! ```json
//! {"version": 1, "base_url": "https://x.org", "pages": [
//! {"url": "/a/", "source": "content/a.md", "title": "A", "anchors": {"intro": 5}, "aliases": ["/old/"]}
//! ]}
//! ```
//!
//! Pages are in URL order and anchors in id order (`serde_json`'s map is sorted), so two builds
//! of one site write identical bytes. Anchors are the ids of the page's headings (written or
//! derived); footnote ids and ids a template writes are not part of the manifest.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::content::aliases;
use crate::site_data::SiteData;

/// The manifest's path in the output folder.
pub const MANIFEST: &str = "data/urls.json";

/// The format version this build writes and reads.
pub const VERSION: u32 = 1;

/// A manifest, as written and as read back.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// [`VERSION`].
    pub version: u32,
    /// The site's base URL, without the trailing `/`.
    #[serde(default)]
    pub base_url: String,
    /// Every page, by URL.
    pub pages: Vec<PublishedPage>,
}

/// One published page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PublishedPage {
    /// Its URL path (`/countries/peru/`).
    pub url: String,
    /// The file that makes it, from the site root (`content/countries/peru/_index.md`).
    pub source: String,
    /// Its title.
    #[serde(default)]
    pub title: String,
    /// Heading id -> the heading's line in `source`.
    #[serde(default)]
    pub anchors: BTreeMap<String, u32>,
    /// Old URLs that redirect to it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

/// The manifest of `site`.
pub fn manifest(site: &SiteData) -> Manifest {
    let mut pages: Vec<PublishedPage> = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let source = match p.origin {
                crate::content::model::Origin::File => &p.rel_path,
                crate::content::model::Origin::Generated { source, .. } => {
                    &site.pages[source.index()].rel_path
                }
            };
            PublishedPage {
                url: p.url.as_str().to_string(),
                source: format!("content/{source}"),
                title: p.front.title.clone(),
                anchors: match p.origin {
                    crate::content::model::Origin::File => site.headings[i]
                        .iter()
                        .map(|h| (h.id.clone(), h.line))
                        .collect(),
                    // A generated page's headings come from its template, not the source.
                    crate::content::model::Origin::Generated { .. } => BTreeMap::new(),
                },
                aliases: p.front.aliases.iter().map(|a| a.url.clone()).collect(),
            }
        })
        .collect();
    pages.sort_by(|a, b| a.url.cmp(&b.url));
    Manifest {
        version: VERSION,
        base_url: site.config.base().to_string(),
        pages,
    }
}

/// The manifest's bytes: one page per line.
pub fn manifest_json(m: &Manifest) -> String {
    let mut out = format!(
        "{{\"version\": {}, \"base_url\": {}, \"pages\": [\n",
        m.version,
        to_json(&m.base_url)
    );
    for (i, p) in m.pages.iter().enumerate() {
        out.push_str(&to_json(p));
        out.push_str(if i + 1 < m.pages.len() { ",\n" } else { "\n" });
    }
    out.push_str("]}\n");
    out
}

fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("invariant: strings and string-keyed maps serialize")
}

/// Every alias's redirect page: (output file, bytes).
pub fn redirects(site: &SiteData) -> Vec<(String, Vec<u8>)> {
    let lang = &site.config.language;
    let base = site.config.base();
    let mut out = Vec::new();
    for page in site.pages.iter() {
        let target = page.url.as_str();
        let canonical = format!("{base}{target}");
        for alias in &page.front.aliases {
            let html = aliases::redirect_page(lang, &page.front.title, target, &canonical);
            out.push((aliases::output_file(&alias.url), html.into_bytes()));
        }
    }
    out
}
