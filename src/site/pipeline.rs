//! Pieces of the build shared by full and incremental runs: the glossary, summaries, the
//! site-wide files written beside the pages, and the whole-site checks the build runs on its
//! inputs (output paths claimed twice, dates a shallow history cannot give).

use std::collections::BTreeMap;

use crate::config::Config;
use crate::content::load::Asset;
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

/// Whether `path` is one of the files [`heavy_site_files`] makes (which `serve` computes after
/// the pages, keeping the previous build's until they arrive).
pub fn is_heavy_site_file(path: &str) -> bool {
    matches!(path, "sitemap.xml" | "atom.xml" | "data/pages.json") || path.starts_with("search/")
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

/// Pages left without a date by a shallow clone.
pub fn shallow_history_warning(files: usize) -> Diagnostic {
    Diagnostic::warning(
        "shallow-history",
        format!("{files} content files have no `updated` date: the git history is shallow, and they last changed at or before its oldest commit"),
    )
    .in_path("content")
    .help("fetch the whole history (`git fetch --unshallow`, or `fetch-depth: 0` with actions/checkout), or set `updated:` in their front matter")
}

/// Output paths claimed by two inputs (a static file or content asset over a page or a
/// generated file), found before anything is written.
pub fn output_collisions(
    config: &Config,
    pages: &[Page],
    theme: &ThemeFiles,
    assets: &[Asset],
    templates: &Templates,
) -> Vec<Diagnostic> {
    use crate::check::outputs::{check_output_paths, OutputSource};
    let asset_sources: Vec<String> = assets
        .iter()
        .map(|a| format!("content/{}", a.output))
        .collect();
    let mut outputs: Vec<(String, OutputSource<'_>)> = Vec::new();
    for name in crate::site::pipeline::SPECIAL_FILES {
        if *name != "404.html" || templates.has("404.html") {
            outputs.push((name.to_string(), OutputSource::Generated));
        }
    }
    if config.search.enabled {
        outputs.push(("search/index.json".into(), OutputSource::Generated));
    }
    outputs.extend(
        pages
            .iter()
            .map(|p| (p.url.output_file(), OutputSource::Page(p))),
    );
    outputs.extend(
        theme
            .statics
            .iter()
            .map(|f| (f.output.clone(), OutputSource::Copied(&f.source))),
    );
    outputs.extend(
        assets
            .iter()
            .zip(&asset_sources)
            .map(|(a, src)| (a.output.clone(), OutputSource::Copied(src))),
    );
    let mut diags = check_output_paths(&outputs);
    // The search index's shards are named by number; a copied file may not take such a name.
    if config.search.enabled {
        for (path, src) in &outputs {
            let shard = path.strip_prefix("search/").is_some_and(|n| {
                (n.starts_with("docs-") || n.starts_with("terms-")) && n.ends_with(".json")
            });
            if let (true, OutputSource::Copied(from)) = (shard, src) {
                diags.push(
                    Diagnostic::error("output-collision", format!("`{path}` is a name the search index uses, and `{from}` would be written there"))
                        .in_path(from.to_string())
                        .help("rename the file, or move it out of `search/`"),
                );
            }
        }
    }
    diags
}
