//! Orchestration: load -> parse -> resolve -> render -> write, with caches for `serve`.
//!
//! [`Rebuilder`] keeps the site in memory between builds: source texts (with stable file ids),
//! parsed front matter, Markdown metadata, and each page's rendered output together with the
//! pages and types its template read. A rebuild re-parses only changed files and re-renders
//! only pages whose own data, or the data of a page they read, changed. `majors build` is the
//! same code with empty caches, so an incremental rebuild produces exactly what a full build
//! would. Nothing here writes unless asked, and never when any error was found.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::check::{check_home, check_orphans};
use crate::config::{load_config, Config, ConfigError};
use crate::content::load::{
    control_characters, invalid_utf8, is_ignored_name, read_source, walk_files, Asset, Boundary,
    LoadError,
};
use crate::content::model::{Origin, Page, PageId};
use crate::content::{finish_pages, parse_page, ContentOptions};
use crate::diag::{sort_diagnostics, Diagnostic, FileId, SourceFile, SourceMap};
use crate::graph::backlinks::{build_backlinks, ProseLink};
use crate::graph::{check_anchors, resolve_refs, AnchorSite, PageIndex};
use crate::render::highlight::{highlight_css, Highlighter};
use crate::render::markdown::MdMeta;
use crate::render::markdown::{render_markdown, MarkdownEnv, Specials};
use crate::render::templates::Templates;
use crate::render::views::{record_deps, RenderDeps};
use crate::site::output::{resolve_output_dir, OutputError, Staging, WriteStats};
use crate::site::pipeline::{
    glossary_terms, light_site_files, output_collisions, shallow_history_warning, summarize,
};
use crate::site::theme::{load_theme, ThemeFiles};
use crate::site_data::SiteData;

mod emit;
mod inputs;
mod invalidate;
mod markdown;
mod render;
mod sink;

/// Computes the site-wide files of a deferred rebuild (see [`Rebuilder::site_files`]).
pub type SiteFilesJob = Box<dyn FnOnce() -> Files + Send>;

pub use crate::file_bytes::FileBytes;

/// Output files by path: a persistent map, so a rebuild that changes one page makes its set
/// from the last one in a few steps rather than copying every entry, and `serve` holds the
/// sets of two builds for the price of one.
pub type Files = imbl::OrdMap<String, FileBytes>;

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

/// What a build is for: it decides what is kept between rebuilds and where files go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `majors build`: one build; files are written to the output folder as they are made,
    /// and nothing is written when any error was found.
    Build,
    /// `majors check`: one build; nothing is written or kept.
    Check,
    /// `majors serve`: rebuilt after every edit, redoing only what the edit changed; every file
    /// is kept in memory, compressed, and the site-wide outputs come after the pages
    /// ([`Rebuilder::site_files`]).
    Serve,
}

impl Mode {
    /// Whether caches are kept for a next rebuild.
    fn incremental(self) -> bool {
        self == Mode::Serve
    }

    /// Whether the site-wide outputs are left to [`Rebuilder::site_files`].
    fn defers_site_files(self) -> bool {
        self == Mode::Serve
    }

    /// Whether files kept in memory are compressed ([`FileBytes::packed`]).
    fn packs(self) -> bool {
        self == Mode::Serve
    }
}

/// How to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root (holds `site.yaml`).
    pub root: PathBuf,
    /// What the build is for.
    pub mode: Mode,
    /// Include drafts.
    pub drafts: bool,
    /// Override the configured output folder.
    pub output_dir: Option<PathBuf>,
    /// Override the configured base URL (serve uses its own address).
    pub base_url: Option<String>,
    /// Template debug mode (better errors, slower).
    pub debug_templates: bool,
    /// A previous build's manifest to check this one against (`check --against`).
    pub against: Option<String>,
}

impl BuildOptions {
    /// Options for building the site at `root` in `mode`.
    pub fn new(root: impl Into<PathBuf>, mode: Mode) -> Self {
        BuildOptions {
            root: root.into(),
            mode,
            drafts: false,
            output_dir: None,
            base_url: None,
            // `check` and `serve` show template errors with their context.
            debug_templates: mode != Mode::Build,
            against: None,
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
    /// Pages in the site.
    pub pages: usize,
    /// Pages whose template was rendered by this build.
    pub rendered: usize,
    /// Markdown passes this build ran (each page's Markdown is parsed at most once per build).
    pub markdown_passes: usize,
    /// Output files (empty when there were errors).
    pub files: Files,
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

/// Builds the site once: every stage, all diagnostics, and (in [`Mode::Build`]) the write if
/// there were no errors.
pub fn build_site(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    Rebuilder::new(opts.clone()).rebuild(None)
}

/// What `render` produced: pages, pages rendered, in-memory files, and a staged write.
type Rendered = (usize, usize, Files, Option<Staging>);

/// What a full rebuild loads besides content: the config, the theme, and the last-changed
/// dates from git.
struct Setup {
    config: Arc<Config>,
    /// The config's confidence marks (`markdown.marks`), made once.
    marks: Arc<crate::render::marks::Marks>,
    theme: ThemeFiles,
    dates: HashMap<String, String>,
    /// The content's git history.
    history: Arc<crate::content::git::History>,
    /// The previous build's manifest (`check --against`), with how messages name it.
    previous: Option<(Arc<crate::site::urls::Manifest>, String)>,
}

/// The last successful render, reused by the next rebuild.
struct LastGood {
    /// The pages, in `PageId` order (other keys mean every page re-renders); with the
    /// backlinks and dates, compared by identity: the next rebuild reuses them when only
    /// bodies changed, and then only the pages of changed files have new fingerprints.
    pages: Arc<Vec<Page>>,
    backlinks: Arc<crate::graph::backlinks::Backlinks>,
    updated: Arc<Vec<Option<String>>>,
    /// The Markdown context hash (see `invalidate::context_hash`).
    ctx: u64,
    fp: invalidate::Fingerprints,
    /// Per type listed by some template: its pages in order (see `emit::type_orders`).
    type_orders: HashMap<String, u64>,
    /// What each page's template read.
    deps: Vec<Arc<RenderDeps>>,
    /// Every page's file, by output path.
    outputs: Files,
}

/// A site kept in memory between builds.
pub struct Rebuilder {
    opts: BuildOptions,
    sources: SourceMap,
    /// Content files present now: path under `content/` -> file.
    content: BTreeMap<String, FileId>,
    /// Text version of each file (bumped when its text changes).
    generation: FxHashMap<FileId, u64>,
    next_generation: u64,
    assets: Vec<Asset>,
    asset_bytes: BTreeMap<String, FileBytes>,
    /// Config, theme and dates; reloaded on a full rebuild.
    setup: Option<Arc<Setup>>,
    parsed: FxHashMap<FileId, render::ParsedFile>,
    md: FxHashMap<FileId, (u64, u64, Arc<MdMeta>)>,
    /// Hash of what other pages can see of a file's own data (front matter, summary,
    /// headings), by file and generation.
    view_hashes: FxHashMap<FileId, (u64, u64)>,
    /// Problems found when a file was read (invalid UTF-8, control characters), by file.
    read_problems: FxHashMap<FileId, Vec<Diagnostic>>,
    /// What the walks may reach (the site, not its output folder); set by a full rebuild.
    bounds: Boundary,
    /// Problems found walking `content/` (symlinks that leave the site).
    walk_problems: Vec<Diagnostic>,
    /// Problems found loading the config, theme, static files and history (full rebuilds).
    setup_diags: Vec<Diagnostic>,
    last: Option<LastGood>,
    templates: Option<(Templates, Vec<Diagnostic>)>,
    syntax_css: FileBytes,
    highlighter: Arc<Highlighter>,
    /// Whether the last rebuild could change the site data (false after an edit of static
    /// files alone): [`Rebuilder::site_files`] then has no outputs to make again.
    site_data_changed: bool,
    /// The site data whose site-wide outputs [`Rebuilder::site_files`] is to make (`serve`).
    pending_site: Option<Arc<SiteData>>,
    /// The site data of the last build that got as far as its graph (not kept by one-shot
    /// builds): its pages, index and references are reused when no front matter changed.
    last_site: Option<Arc<SiteData>>,
    /// The diagnostics of the last graph (duplicate URLs and ids, unresolved references).
    graph_diags: Vec<Diagnostic>,
    /// The output-path collisions of the last build and a hash of the assets they were found
    /// with (reused while URLs and assets are unchanged; cleared by a full rebuild).
    collisions: Option<(u64, Vec<Diagnostic>)>,
    /// The `text`-field link problems of the last build, with the same key as `collisions`:
    /// on the fast path (no front matter changed) only the files beside the pages can change
    /// what they find.
    text_links: Option<(u64, Vec<Diagnostic>)>,
    /// The glossary and marks automaton and the Markdown context hash of the last build, with
    /// the assets key they were made with (reused while the graph is).
    md_context: Option<(u64, Arc<Specials>, u64)>,
    /// The anchors' problems, backlinks and orphans of the last build (reused while the graph
    /// and the links are).
    link_graph: Option<render::LinkGraph>,
    /// Markdown passes of the current build (see [`BuildReport::markdown_passes`]).
    markdown_passes: std::sync::atomic::AtomicUsize,
}

impl Rebuilder {
    /// A rebuilder with empty caches.
    pub fn new(opts: BuildOptions) -> Self {
        let root = opts.root.clone();
        Rebuilder {
            opts,
            sources: SourceMap::default(),
            content: BTreeMap::new(),
            generation: FxHashMap::default(),
            next_generation: 1,
            assets: Vec::new(),
            asset_bytes: BTreeMap::new(),
            setup: None,
            parsed: FxHashMap::default(),
            md: FxHashMap::default(),
            view_hashes: FxHashMap::default(),
            read_problems: FxHashMap::default(),
            walk_problems: Vec::new(),
            bounds: Boundary::new(&root, None),
            setup_diags: Vec::new(),
            last: None,
            templates: None,
            highlighter: Arc::new(Highlighter::new()),
            site_data_changed: true,
            pending_site: None,
            last_site: None,
            graph_diags: Vec::new(),
            collisions: None,
            text_links: None,
            md_context: None,
            link_graph: None,
            markdown_passes: Default::default(),
            syntax_css: FileBytes::plain(highlight_css().into_bytes()),
        }
    }

    /// The site-wide files of the last successful deferred rebuild: the cheap ones (404 page,
    /// static files) now, and a job that computes the rest (sitemap, feed, `pages.json`, search
    /// index) and can run on another thread. Empty and `None` if nothing is pending; no job
    /// when the rebuild left the site data as it was (static files alone changed), so the
    /// previous outputs still hold.
    pub fn site_files(&mut self) -> (Files, Option<SiteFilesJob>) {
        let mut files = Files::new();
        let (Some(site), Some((templates, _)), Some(setup)) =
            (self.pending_site.take(), &self.templates, &self.setup)
        else {
            return (files, None);
        };
        let mut diags = Vec::new();
        light_site_files(
            templates,
            &self.sources,
            &setup.theme,
            &self.asset_bytes,
            &self.syntax_css,
            &mut files,
            &mut diags,
        );
        if !self.site_data_changed {
            return (files, None);
        }
        let metas: Vec<Option<Arc<MdMeta>>> = site
            .pages
            .iter()
            .map(|p| match (&p.origin, self.md.get(&p.file)) {
                (Origin::File, Some((_, _, meta))) => Some(Arc::clone(meta)),
                _ => None,
            })
            .collect();
        let pack = self.opts.mode.packs();
        let job = move || {
            let texts: Vec<&str> = metas
                .iter()
                .map(|m| m.as_ref().map_or("", |m| m.text.as_str()))
                .collect();
            crate::site::outputs::collect_all(&site, &texts, pack)
        };
        (files, Some(Box::new(job)))
    }

    /// Rebuilds after `changed` paths (site-relative: `content/…`, `static/…`), or everything
    /// when `None`. Content files and static files the site already copies are taken in
    /// place; any other path (a template, the theme, the config, a static file added or
    /// removed) rebuilds everything.
    pub fn rebuild(&mut self, changed: Option<&[String]>) -> Result<BuildReport, BuildError> {
        let start = Instant::now();
        let mut diags = Vec::new();
        let statics_only =
            changed.is_some_and(|c| !c.is_empty() && c.iter().all(|p| !p.starts_with("content/")));
        let full = match changed {
            Some(paths) if self.setup.is_some() => !self.apply_static_changes(paths)?,
            _ => true,
        };
        // The site-wide outputs read the site data only: a change to static files alone
        // leaves them as they were.
        self.site_data_changed = full || !statics_only;
        if full {
            if let Some(stopped) = self.load_setup(&mut diags)? {
                diags.extend(stopped);
                return Ok(self.report(diags, 0, 0, Files::new(), None, start));
            }
        } else if let Some(paths) = changed {
            self.apply_changes(paths)?;
        }
        diags.extend(self.setup_diags.iter().cloned());
        let setup = Arc::clone(self.setup.as_ref().expect("invariant: setup loaded above"));
        let out_dir = self.resolve_output(&setup.config)?;
        self.markdown_passes
            .store(0, std::sync::atomic::Ordering::Relaxed);
        let (pages, rendered, files, staging) = self.render(&mut diags, &out_dir)?;
        let mut report = self.report(diags, pages, rendered, files, Some(out_dir.clone()), start);
        report.markdown_passes = self
            .markdown_passes
            .load(std::sync::atomic::Ordering::Relaxed);
        if report.error_count() > 0 {
            report.files = Files::new();
            if let Some(stage) = staging {
                stage.abort();
            }
        } else if let Some(stage) = staging {
            let clock = Instant::now();
            let files: Vec<(String, FileBytes)> =
                std::mem::take(&mut report.files).into_iter().collect();
            files
                .par_iter()
                .try_for_each(|(path, bytes)| stage.put(path, &bytes.bytes()))?;
            tracing::debug!(took = ?clock.elapsed(), "site files written");
            let clock = Instant::now();
            report.written = Some(stage.commit()?);
            tracing::debug!(took = ?clock.elapsed(), "commit");
        }
        report.elapsed = start.elapsed();
        Ok(report)
    }

    /// A full reload: every cache dropped, then the config, the theme, the content and the
    /// git dates read again. Returns the problems to stop at when there is no site to build
    /// (no valid config, no `content/`, or no theme); its other problems go into `diags`.
    fn load_setup(
        &mut self,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<Option<Vec<Diagnostic>>, BuildError> {
        self.last = None;
        self.setup = None;
        self.templates = None;
        self.sources = SourceMap::default();
        self.content.clear();
        self.parsed.clear();
        self.last_site = None;
        self.collisions = None;
        self.text_links = None;
        self.md_context = None;
        self.link_graph = None;
        self.md.clear();
        let (config, d) = load_config(&self.opts.root, &mut self.sources)?;
        diags.extend(d);
        // A missing `content/` is reported with the config's problems, not after them.
        let no_content = no_content_folder(&self.opts.root);
        let Some(mut config) = config else {
            return Ok(Some(no_content.into_iter().collect()));
        };
        if let Some(d) = no_content {
            return Ok(Some(vec![d]));
        }
        if let Some(base) = &self.opts.base_url {
            config.base_url.clone_from(base);
        }
        // Walks stay inside the site and out of the output folder.
        let out = self.resolve_output(&config)?;
        self.bounds = Boundary::new(&self.opts.root, Some(&out));
        let Some(theme) = load_theme(
            &self.opts.root,
            &self.bounds,
            &config.theme,
            &mut self.sources,
            diags,
        )?
        else {
            return Ok(Some(Vec::new()));
        };
        let clock = Instant::now();
        self.rescan_content()?;
        tracing::debug!(took = ?clock.elapsed(), "read content");
        let clock = Instant::now();
        let git = crate::content::git::git_dates(&self.opts.root);
        if git.unknown > 0 {
            diags.push(shallow_history_warning(git.unknown));
        }
        let previous =
            self.opts.against.as_deref().and_then(
                |spec| match crate::site::output::previous::load(spec, &mut self.sources) {
                    Ok(m) => Some((Arc::new(m), spec.to_string())),
                    Err(d) => {
                        diags.push(d);
                        None
                    }
                },
            );
        self.setup = Some(Arc::new(Setup {
            marks: Arc::new(crate::render::marks::Marks::new(&config.markdown.marks)),
            config: Arc::new(config),
            theme,
            dates: git.dates,
            history: Arc::new(git.history),
            previous,
        }));
        // Kept: an incremental rebuild reports what the full one found in the config,
        // the theme (an unsafe symlink in `static/`) and the history, as `build` would.
        self.setup_diags = std::mem::take(diags);
        tracing::debug!(took = ?clock.elapsed(), "git dates");
        Ok(None)
    }

    /// The output folder asked for (`--output-dir`, else the config's), canonical and
    /// checked; a refusal says where to change it.
    fn resolve_output(&self, config: &Config) -> Result<PathBuf, OutputError> {
        let resolved = resolve_output_dir(&self.opts.root, &self.output_dir_of(config));
        match self.opts.output_dir {
            Some(_) => resolved.map_err(OutputError::named_by_flag),
            None => resolved,
        }
    }

    fn output_dir_of(&self, config: &Config) -> PathBuf {
        self.opts
            .output_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from(&config.output_dir))
    }

    fn report(
        &self,
        mut diags: Vec<Diagnostic>,
        pages: usize,
        rendered: usize,
        files: Files,
        output_dir: Option<PathBuf>,
        start: Instant,
    ) -> BuildReport {
        sort_diagnostics(&mut diags, &self.sources);
        BuildReport {
            sources: self.sources.clone(),
            diagnostics: diags,
            pages,
            rendered,
            markdown_passes: 0,
            files,
            written: None,
            output_dir,
            elapsed: start.elapsed(),
        }
    }
}

/// The error for a site without a `content/` folder, if it has none.
fn no_content_folder(root: &Path) -> Option<Diagnostic> {
    (!root.join("content").is_dir()).then(|| {
        Diagnostic::error("no-content-folder", "the site has no `content/` folder")
            .in_path("content/")
            .help("create `content/` with an `_index.md` (the home page) beside site.yaml, or start from `majors init DIR`")
    })
}

#[cfg(test)]
mod tests;
