//! Orchestration: load -> parse -> resolve -> render -> write. Returns a [`BuildReport`].
//!
//! Each stage returns its output plus diagnostics; nothing stops early on a content problem.
//! The whole site is rendered in memory first, and the output folder is touched only if no
//! error was found, so a failed build leaves the previous `public/` as it was.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::check::check_orphans;
use crate::config::{load_config, Config, ConfigError};
use crate::content::load::{git_dates, load_content, LoadError};
use crate::content::model::{Origin, PageId};
use crate::content::{assemble_pages, ContentOptions};
use crate::diag::{sort_diagnostics, Diagnostic, SourceMap};
use crate::graph::backlinks::{build_backlinks, ProseLink};
use crate::graph::{check_anchors, resolve_refs, PageIndex};
use crate::render::highlight::{highlight_css, Highlighter};
use crate::render::markdown::{render_markdown, GlossaryTerm, MarkdownEnv, RenderedMarkdown};
use crate::render::templates::Templates;
use crate::render::views::SiteData;
use crate::search::build_search_index;
use crate::site::extra;
use crate::site::output::{resolve_output_dir, write_output, OutputError, WriteStats};
use crate::site::theme::load_theme;

/// Environment failures that stop a build before or after the content pipeline.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The config could not be read.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// Content or templates could not be read.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The output folder is unsafe or could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// How to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root (holds `site.yaml`).
    pub root: PathBuf,
    /// Include drafts.
    pub drafts: bool,
    /// Write the output (false for `check`).
    pub write: bool,
    /// Override the configured output folder.
    pub output_dir: Option<PathBuf>,
    /// Override the configured base URL (serve uses its own address).
    pub base_url: Option<String>,
    /// Template debug mode (better errors, slower).
    pub debug_templates: bool,
}

impl BuildOptions {
    /// Options for building the site at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            drafts: false,
            write: true,
            output_dir: None,
            base_url: None,
            debug_templates: false,
        }
    }
}

/// What a build did and found.
#[derive(Debug)]
pub struct BuildReport {
    /// Every file read (for rendering diagnostics).
    pub sources: SourceMap,
    /// All problems, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Pages rendered.
    pub pages: usize,
    /// Output files produced (in memory).
    pub files: BTreeMap<String, Vec<u8>>,
    /// What the write did (`None` when nothing was written).
    pub written: Option<WriteStats>,
    /// The output folder.
    pub output_dir: Option<PathBuf>,
    /// Wall time.
    pub elapsed: Duration,
}

impl BuildReport {
    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }
}

/// Builds the site: every stage, all diagnostics, and the write if there were no errors.
pub fn build_site(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    let start = Instant::now();
    let mut sources = SourceMap::default();
    let (config, mut diags) = load_config(&opts.root, &mut sources)?;
    let Some(mut config) = config else {
        sort_diagnostics(&mut diags, &sources);
        return Ok(BuildReport {
            sources,
            diagnostics: diags,
            pages: 0,
            files: BTreeMap::new(),
            written: None,
            output_dir: None,
            elapsed: start.elapsed(),
        });
    };
    if let Some(base) = &opts.base_url {
        config.base_url = base.clone();
    }
    let out_dir = resolve_output_dir(
        &opts.root,
        opts.output_dir
            .as_deref()
            .unwrap_or(config.output_dir.as_ref()),
    )?;
    let content = load_content(&opts.root, &mut sources, &mut diags)?;
    let theme = load_theme(&opts.root, &config.theme, &mut sources, &mut diags)?;
    let dates = git_dates(&opts.root);
    let (rendered, pages_count, mut files) =
        render_site(config, &content, &theme, &dates, &sources, opts, &mut diags);
    let _ = rendered;
    sort_diagnostics(&mut diags, &sources);
    let has_errors = diags.iter().any(Diagnostic::is_error);
    let written = if opts.write && !has_errors {
        Some(write_output(&out_dir, &files)?)
    } else {
        None
    };
    if has_errors {
        files.clear();
    }
    Ok(BuildReport {
        sources,
        diagnostics: diags,
        pages: pages_count,
        files,
        written,
        output_dir: Some(out_dir),
        elapsed: start.elapsed(),
    })
}

type Rendered = (Arc<SiteData>, usize, BTreeMap<String, Vec<u8>>);

fn render_site(
    config: Config,
    content: &crate::content::load::ContentFiles,
    theme: &crate::site::theme::ThemeFiles,
    dates: &HashMap<String, String>,
    sources: &SourceMap,
    opts: &BuildOptions,
    diags: &mut Vec<Diagnostic>,
) -> Rendered {
    let pages = assemble_pages(
        &config,
        &content.pages,
        sources,
        ContentOptions {
            drafts: opts.drafts,
        },
        diags,
    );
    let index = PageIndex::build(&pages);
    let (refs, d) = resolve_refs(&pages, &index, sources);
    diags.extend(d);

    let mut known_files: HashSet<String> = content
        .assets
        .iter()
        .map(|a| format!("/{}", a.output))
        .collect();
    known_files.extend(theme.statics.iter().map(|(p, _)| format!("/{p}")));
    for special in SPECIAL_FILES {
        known_files.insert(format!("/{special}"));
    }
    let glossary = glossary_terms(&config, &pages);
    let highlighter = Highlighter::new();
    let env = MarkdownEnv {
        pages: &pages,
        index: &index,
        highlighter: &highlighter,
        glossary: &glossary,
        allow_raw_html: config.markdown.allow_raw_html,
        smart_punctuation: config.markdown.smart_punctuation,
        known_files: &known_files,
    };
    let mut md: Vec<RenderedMarkdown> = (0..pages.len())
        .into_par_iter()
        .map(|i| {
            let p = &pages[i];
            if p.origin != Origin::File {
                return RenderedMarkdown::default();
            }
            render_markdown(
                &env,
                PageId(i as u32),
                &sources.get(p.file).text,
                p.body_range.clone(),
            )
        })
        .collect();

    // Anchors: every reference and every prose link must name an existing anchor.
    let anchors: Vec<HashSet<String>> = md
        .iter_mut()
        .map(|m| std::mem::take(&mut m.anchors))
        .collect();
    let mut prose = Vec::new();
    for (i, m) in md.iter_mut().enumerate() {
        diags.append(&mut m.diags);
        for l in &m.links {
            prose.push(ProseLink {
                from: PageId(i as u32),
                to: l.target,
                anchor: l.anchor.clone(),
            });
        }
    }
    let ref_anchors = refs
        .iter()
        .flatten()
        .filter_map(|r| r.anchor.as_deref().map(|a| (r.target, a, &r.span)));
    let link_anchors = md
        .iter()
        .flat_map(|m| m.links.iter())
        .filter_map(|l| l.anchor.as_deref().map(|a| (l.target, a, &l.span)));
    diags.extend(check_anchors(
        ref_anchors.chain(link_anchors),
        &anchors,
        &pages,
    ));

    let backlinks = build_backlinks(&config, &pages, &refs, &prose);
    diags.extend(check_orphans(&pages, &backlinks));
    let summaries: Vec<String> = pages
        .iter()
        .zip(&md)
        .map(|(p, m)| {
            p.front
                .description
                .clone()
                .unwrap_or_else(|| summarize(&m.text))
        })
        .collect();
    let updated: Vec<Option<String>> = pages
        .iter()
        .map(|p| {
            p.front
                .updated
                .clone()
                .or_else(|| p.front.date.clone())
                .or_else(|| match p.origin {
                    Origin::File => dates.get(&p.rel_path).cloned(),
                    Origin::Generated { .. } => None,
                })
        })
        .collect();
    let headings = md
        .iter_mut()
        .map(|m| std::mem::take(&mut m.headings))
        .collect();
    let texts: Vec<String> = md.iter_mut().map(|m| std::mem::take(&mut m.text)).collect();
    let contents: Vec<String> = md.into_iter().map(|m| m.html).collect();

    let (mut templates, d) = Templates::compile(sources, &theme.templates, opts.debug_templates);
    // A template that does not compile would fail every page that uses it; report it alone.
    let templates_ok = d.is_empty();
    diags.extend(d);
    let site = Arc::new(SiteData {
        config,
        pages,
        refs,
        backlinks,
        summaries,
        headings,
        updated,
        index,
    });
    templates.install_site(&site);

    let contents = if templates_ok { contents } else { Vec::new() };
    let page_results: Vec<(String, Result<String, Diagnostic>)> = contents
        .into_par_iter()
        .enumerate()
        .map(|(i, content)| {
            let page = &site.pages[i];
            (
                page.url.output_file(),
                templates.render_page(&site, PageId(i as u32), &content, sources),
            )
        })
        .collect();
    let mut files = BTreeMap::new();
    let mut template_errors: BTreeMap<(String, String), (Diagnostic, usize)> = BTreeMap::new();
    for (path, result) in page_results {
        match result {
            Ok(html) => {
                files.insert(path, html.into_bytes());
            }
            Err(d) => {
                // One template bug fails every page that uses it; report it once with a count.
                let key = (d.message.clone(), format!("{:?}", d.span));
                template_errors.entry(key).or_insert((d, 0)).1 += 1;
            }
        }
    }
    for (_, (mut d, count)) in template_errors {
        if count > 1 {
            d.message = format!("{} (in {count} pages)", d.message);
        }
        diags.push(d);
    }
    let not_found = minijinja::context! {};
    if templates_ok && templates.has("404.html") {
        match templates.render_named("404.html", not_found, sources) {
            Ok(html) => {
                files.insert("404.html".into(), html.into_bytes());
            }
            Err(d) => diags.push(d),
        }
    }
    for (path, bytes) in &theme.statics {
        files.insert(path.clone(), bytes.clone());
    }
    for asset in &content.assets {
        if let Ok(bytes) = std::fs::read(&asset.source) {
            files.insert(asset.output.clone(), bytes);
        }
    }
    files.insert("syntax.css".into(), highlight_css().into_bytes());
    files.insert("sitemap.xml".into(), extra::sitemap(&site).into_bytes());
    files.insert("atom.xml".into(), extra::atom_feed(&site).into_bytes());
    files.insert(
        "data/pages.json".into(),
        extra::pages_json(&site).into_bytes(),
    );
    for (path, bytes) in build_search_index(&site, &texts) {
        files.insert(path, bytes);
    }
    let count = site.pages.len();
    (site, count, files)
}

/// Files every build writes besides pages and static files.
const SPECIAL_FILES: &[&str] = &[
    "sitemap.xml",
    "atom.xml",
    "404.html",
    "syntax.css",
    "data/pages.json",
    "search/index.json",
];

fn glossary_terms(config: &Config, pages: &[crate::content::model::Page]) -> Vec<GlossaryTerm> {
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
        .filter_map(|(i, p)| {
            let term = match p.front.fields.get(field) {
                Some(crate::content::model::FieldValue::Str(s)) => s.clone(),
                _ => return None,
            };
            Some(GlossaryTerm {
                term,
                url: p.url.0.clone(),
                expansion: p.front.title.clone(),
                page: PageId(i as u32),
            })
        })
        .collect();
    // Longest first, so `INL/PC` wins over `INL` at the same position.
    terms.sort_by(|a, b| b.term.len().cmp(&a.term.len()).then(a.term.cmp(&b.term)));
    terms
}

/// The first ~30 words of a page's text.
fn summarize(text: &str) -> String {
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
