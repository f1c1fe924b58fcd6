//! Pieces of the build shared by full and incremental runs: the glossary, summaries, the
//! site-wide files written beside the pages, and the whole-site checks the build runs on its
//! inputs (output paths claimed twice, dates a shallow history cannot give).

use std::collections::BTreeMap;

use crate::config::Config;
use crate::content::load::Asset;
use crate::content::model::{FieldValue, Page, PageId};
use crate::diag::{Diagnostic, SourceMap};
use crate::file_bytes::FileBytes;
use crate::render::markdown::GlossaryTerm;
use crate::render::templates::Templates;
use crate::site::theme::ThemeFiles;

/// Files every build writes besides pages, static files and the site-wide outputs
/// (`site::outputs`).
pub const PAGE_LIKE_FILES: &[&str] = &["404.html", "syntax.css"];

/// Every path a build generates besides pages and copied files (for link checks and the
/// output-collision check).
pub fn generated_files(config: &Config) -> impl Iterator<Item = String> + '_ {
    PAGE_LIKE_FILES
        .iter()
        .map(|p| p.to_string())
        .chain(crate::site::outputs::generated_paths(config))
}

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
    files: &mut crate::site::build::Files,
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
    for name in generated_files(config) {
        if name != "404.html" || templates.has("404.html") {
            outputs.push((name.to_string(), OutputSource::Generated));
        }
    }
    outputs.extend(
        pages
            .iter()
            .map(|p| (p.url.output_file(), OutputSource::Page(p))),
    );
    outputs.extend(pages.iter().flat_map(|p| {
        p.front.aliases.iter().map(move |a| {
            (
                crate::content::aliases::output_file(&a.url),
                OutputSource::Alias(p),
            )
        })
    }));
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
    // Outputs that name their own files (the search index's shards): a copied file may not
    // take such a name.
    for (path, src) in &outputs {
        let (OutputSource::Copied(from), Some(output)) =
            (src, crate::site::outputs::owner_of(config, path))
        else {
            continue;
        };
        diags.push(
            Diagnostic::error(
                "output-collision",
                format!(
                    "`{path}` is a name {} uses, and `{from}` would be written there",
                    output.name()
                ),
            )
            .in_path(from.to_string())
            .help(match path.rsplit_once('/') {
                Some((folder, _)) => format!("rename the file, or move it out of `{folder}/`"),
                None => "rename the file".to_string(),
            }),
        );
    }
    diags
}
