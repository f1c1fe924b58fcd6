//! Pieces of the build shared by full and incremental runs: cached Markdown metadata, the
//! glossary, summaries, and the site-wide files written beside the pages.

use std::collections::BTreeMap;

use crate::config::Config;
use crate::content::model::{FieldValue, Page, PageId};
use crate::diag::{Diagnostic, SourceMap};
use crate::render::markdown::GlossaryTerm;
use crate::render::templates::Templates;
use crate::render::views::SiteData;
use crate::site::build::FileBytes;
use crate::site::extra;
use crate::site::theme::ThemeFiles;

/// Files every build writes besides pages and static files.
pub const SPECIAL_FILES: &[&str] = &[
    "sitemap.xml",
    "atom.xml",
    "404.html",
    "syntax.css",
    "data/pages.json",
];

/// The glossary terms to link, longest first (so `INL/PC` wins over `INL` at one position).
pub fn glossary_terms(config: &Config, pages: &[Page]) -> Vec<GlossaryTerm> {
    let (Some(t), Some(field)) = (
        &config.markdown.glossary_type,
        &config.markdown.glossary_field,
    ) else {
        return Vec::new();
    };
    let mut terms: Vec<GlossaryTerm> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.type_name.as_deref() == Some(t.as_str()))
        .filter_map(|(i, p)| match p.front.fields.get(field) {
            Some(FieldValue::Str(term)) => Some(GlossaryTerm {
                term: term.clone(),
                url: p.url.0.clone(),
                expansion: p.front.title.clone(),
                page: PageId(i as u32),
            }),
            _ => None,
        })
        .collect();
    terms.sort_by(|a, b| b.term.len().cmp(&a.term.len()).then(a.term.cmp(&b.term)));
    terms
}

/// The first ~30 words of a page's text.
pub fn summarize(text: &str) -> String {
    let mut out = String::new();
    for (i, w) in text.split_whitespace().enumerate() {
        if i == 30 {
            out.push('…');
            break;
        }
        if i > 0 {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Adds the 404 page, static files, content assets and `syntax.css` to `files` (cheap).
#[allow(clippy::too_many_arguments)]
pub fn light_site_files(
    templates: &Templates,
    sources: &SourceMap,
    theme: &ThemeFiles,
    assets: &BTreeMap<String, FileBytes>,
    syntax_css: &FileBytes,
    files: &mut BTreeMap<String, FileBytes>,
    diags: &mut Vec<Diagnostic>,
) {
    if templates.has("404.html") {
        match templates.render_named("404.html", minijinja::context! {}, sources) {
            Ok(html) => {
                files.insert("404.html".into(), FileBytes::plain(html.into_bytes()));
            }
            Err(d) => diags.push(d),
        }
    }
    for f in &theme.statics {
        files.insert(f.output.clone(), f.bytes.clone());
    }
    for (path, bytes) in assets {
        files.insert(path.clone(), bytes.clone());
    }
    files.insert("syntax.css".into(), syntax_css.clone());
}

/// The files that summarize every page: the sitemap, the feed, `data/pages.json` and the
/// search index (`search` is its files, built by the caller); compressed in memory when `pack`.
pub fn heavy_site_files(
    site: &SiteData,
    search: BTreeMap<String, FileBytes>,
    pack: bool,
) -> BTreeMap<String, FileBytes> {
    let mut files = BTreeMap::new();
    let ((sitemap, feed), pages) = rayon::join(
        || rayon::join(|| extra::sitemap(site), || extra::atom_feed(site)),
        || extra::pages_json(site),
    );
    files.insert(
        "sitemap.xml".into(),
        FileBytes::new(sitemap.into_bytes(), pack),
    );
    files.insert("atom.xml".into(), FileBytes::new(feed.into_bytes(), pack));
    files.insert(
        "data/pages.json".into(),
        FileBytes::new(pages.into_bytes(), pack),
    );
    files.extend(search);
    files
}
