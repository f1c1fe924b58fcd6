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
use crate::render::views::{record_deps, RenderDeps, SiteData};
use crate::site::output::{resolve_output_dir, write_output, OutputError, Staging, WriteStats};
use crate::site::pipeline::{
    glossary_terms, heavy_site_files, light_site_files, output_collisions, shallow_history_warning,
    summarize,
};
use crate::site::theme::{load_theme, ThemeFiles};

mod invalidate;
mod render;

/// Computes the site-wide files of a deferred rebuild (see [`Rebuilder::site_files`]).
pub type SiteFilesJob = Box<dyn FnOnce() -> BTreeMap<String, FileBytes> + Send>;

pub use crate::site::file_bytes::FileBytes;

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
    /// Write the output (false for `check` and `serve`).
    pub write: bool,
    /// Override the configured output folder.
    pub output_dir: Option<PathBuf>,
    /// Override the configured base URL (serve uses its own address).
    pub base_url: Option<String>,
    /// Template debug mode (better errors, slower).
    pub debug_templates: bool,
    /// Only validate (`majors check`): rendered pages are dropped, not kept in the report.
    pub check_only: bool,
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
            check_only: false,
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
    pub files: BTreeMap<String, FileBytes>,
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

/// Builds the site once: every stage, all diagnostics, and the write if there were no errors.
pub fn build_site(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    let mut once = Rebuilder::new(opts.clone());
    once.one_shot = true;
    once.rebuild(None)
}

/// Where rendered pages go.
enum Sink {
    /// Kept in memory (serve, and the report's `files`).
    Memory,
    /// Written to the output folder's staging area as rendered (`majors build`).
    Stage(Box<Staging>),
    /// Dropped (`majors check`, or a build that already failed).
    Discard,
}

/// What `render` produced: pages, pages rendered, in-memory files, and a staged write.
type Rendered = (usize, usize, BTreeMap<String, FileBytes>, Option<Staging>);

/// One page's template render: output path, HTML or the problem, and what it read.
type PageRender = (String, Result<FileBytes, Diagnostic>, RenderDeps);

/// The last successful render, reused by the next rebuild.
struct LastGood {
    /// Page keys in `PageId` order (a different list means every page re-renders).
    keys: Vec<String>,
    /// Everything about the page, its body included.
    fp_self: Vec<u64>,
    /// What other pages' templates can read of it.
    fp_view: Vec<u64>,
    types: Vec<Option<String>>,
    deps: Vec<RenderDeps>,
    outputs: Vec<(String, FileBytes)>,
}

/// A site kept in memory between builds.
pub struct Rebuilder {
    opts: BuildOptions,
    sources: SourceMap,
    /// Content files present now: path under `content/` -> file.
    content: BTreeMap<String, FileId>,
    /// Text version of each file (bumped when its text changes).
    generation: HashMap<FileId, u64>,
    next_generation: u64,
    assets: Vec<Asset>,
    asset_bytes: BTreeMap<String, FileBytes>,
    /// Config, theme and templates; reloaded on a full rebuild.
    setup: Option<(Config, ThemeFiles, HashMap<String, String>)>,
    parsed: HashMap<FileId, (u64, Page, Vec<Diagnostic>)>,
    md: HashMap<FileId, (u64, u64, Arc<MdMeta>)>,
    /// Hash of what other pages can see of a file's own data (front matter, summary,
    /// headings), by file and generation.
    view_hashes: HashMap<FileId, (u64, u64)>,
    /// Problems found when a file was read (invalid UTF-8, control characters), by file.
    read_problems: HashMap<FileId, Vec<Diagnostic>>,
    /// What the walks may reach (the site, not its output folder); set by a full rebuild.
    bounds: Boundary,
    /// Problems found walking `content/` (symlinks that leave the site).
    walk_problems: Vec<Diagnostic>,
    /// Problems found loading the config, theme, static files and history (full rebuilds).
    setup_diags: Vec<Diagnostic>,
    last: Option<LastGood>,
    templates: Option<(Templates, Vec<Diagnostic>)>,
    syntax_css: FileBytes,
    /// A single build (`majors build`/`check`): keep no caches for a next rebuild.
    one_shot: bool,
    highlighter: Arc<Highlighter>,
    /// Leave the site-wide files (search, feeds, `pages.json`) to [`Rebuilder::site_files`],
    /// so `serve` can show the edited page first.
    defer_site_files: bool,
    /// Keep rendered files compressed in memory ([`FileBytes::packed`]): `serve` holds the
    /// whole site.
    pack: bool,
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
            generation: HashMap::new(),
            next_generation: 1,
            assets: Vec::new(),
            asset_bytes: BTreeMap::new(),
            setup: None,
            parsed: HashMap::new(),
            md: HashMap::new(),
            view_hashes: HashMap::new(),
            read_problems: HashMap::new(),
            walk_problems: Vec::new(),
            bounds: Boundary::new(&root, None),
            setup_diags: Vec::new(),
            last: None,
            templates: None,
            one_shot: false,
            highlighter: Arc::new(Highlighter::new()),
            defer_site_files: false,
            pack: false,
            pending_site: None,
            last_site: None,
            graph_diags: Vec::new(),
            collisions: None,
            text_links: None,
            markdown_passes: Default::default(),
            syntax_css: FileBytes::plain(highlight_css().into_bytes()),
        }
    }

    /// A rebuilder for `serve`: [`Rebuilder::rebuild`] returns pages and static files only, and
    /// [`Rebuilder::site_files`] adds the site-wide files afterwards.
    pub fn new_deferred(opts: BuildOptions) -> Self {
        let mut r = Rebuilder::new(opts);
        r.defer_site_files = true;
        r.pack = true;
        r
    }

    /// The site-wide files of the last successful deferred rebuild: the cheap ones (404 page,
    /// static files) now, and a job that computes the rest (sitemap, feed, `pages.json`, search
    /// index) and can run on another thread. Empty and `None` if nothing is pending.
    pub fn site_files(&mut self) -> (BTreeMap<String, FileBytes>, Option<SiteFilesJob>) {
        let mut files = BTreeMap::new();
        let (Some(site), Some((templates, _)), Some((_, theme, _))) =
            (self.pending_site.take(), &self.templates, &self.setup)
        else {
            return (files, None);
        };
        let mut diags = Vec::new();
        light_site_files(
            templates,
            &self.sources,
            theme,
            &self.asset_bytes,
            &self.syntax_css,
            &mut files,
            &mut diags,
        );
        let metas: Vec<Option<Arc<MdMeta>>> = site
            .pages
            .iter()
            .map(|p| match (&p.origin, self.md.get(&p.file)) {
                (Origin::File, Some((_, _, meta))) => Some(Arc::clone(meta)),
                _ => None,
            })
            .collect();
        let pack = self.pack;
        let job = move || {
            let texts: Vec<&str> = metas
                .iter()
                .map(|m| m.as_ref().map_or("", |m| m.text.as_str()))
                .collect();
            let search = if site.config.search.enabled {
                crate::search::build_search_index(&site, &texts, pack)
            } else {
                BTreeMap::new()
            };
            heavy_site_files(&site, search, pack)
        };
        (files, Some(Box::new(job)))
    }

    /// Rebuilds after `changed` content paths (site-relative, `content/…`), or everything when
    /// `None` (the first build, or a template, theme, static or config change).
    pub fn rebuild(&mut self, changed: Option<&[String]>) -> Result<BuildReport, BuildError> {
        let start = Instant::now();
        let mut diags = Vec::new();
        let full = changed.is_none() || self.setup.is_none();
        if full {
            self.last = None;
            self.setup = None;
            self.templates = None;
            self.sources = SourceMap::default();
            self.content.clear();
            self.parsed.clear();
            self.last_site = None;
            self.collisions = None;
            self.text_links = None;
            self.md.clear();
            let (config, d) = load_config(&self.opts.root, &mut self.sources)?;
            diags.extend(d);
            // A missing `content/` is reported with the config's problems, not after them.
            let no_content = no_content_folder(&self.opts.root);
            let Some(mut config) = config else {
                diags.extend(no_content);
                return Ok(self.report(diags, 0, 0, BTreeMap::new(), None, start));
            };
            if let Some(d) = no_content {
                diags.push(d);
                return Ok(self.report(diags, 0, 0, BTreeMap::new(), None, start));
            }
            if let Some(base) = &self.opts.base_url {
                config.base_url.clone_from(base);
            }
            // Walks stay inside the site and out of the output folder.
            let out = self.resolve_output(&config)?;
            self.bounds = Boundary::new(&self.opts.root, Some(&out));
            let theme = load_theme(
                &self.opts.root,
                &self.bounds,
                &config.theme,
                &mut self.sources,
                &mut diags,
            )?;
            let clock = Instant::now();
            self.rescan_content()?;
            tracing::debug!(took = ?clock.elapsed(), "read content");
            let clock = Instant::now();
            let git = crate::content::git::git_dates(&self.opts.root);
            if git.unknown > 0 {
                diags.push(shallow_history_warning(git.unknown));
            }
            self.setup = Some((config, theme, git.dates));
            // Kept: an incremental rebuild reports what the full one found in the config,
            // the theme (an unsafe symlink in `static/`) and the history, as `build` would.
            self.setup_diags = std::mem::take(&mut diags);
            tracing::debug!(took = ?clock.elapsed(), "git dates");
        } else if let Some(paths) = changed {
            self.apply_changes(paths)?;
        }
        diags.extend(self.setup_diags.iter().cloned());
        let (config, _, _) = self.setup.as_ref().expect("invariant: setup loaded above");
        let out_dir = self.resolve_output(config)?;
        self.markdown_passes
            .store(0, std::sync::atomic::Ordering::Relaxed);
        let (pages, rendered, files, staging) = self.render(&mut diags, &out_dir)?;
        let mut report = self.report(diags, pages, rendered, files, Some(out_dir.clone()), start);
        report.markdown_passes = self
            .markdown_passes
            .load(std::sync::atomic::Ordering::Relaxed);
        if report.error_count() > 0 {
            report.files.clear();
            if let Some(stage) = staging {
                stage.abort();
            }
        } else if let Some(stage) = staging {
            let clock = Instant::now();
            std::mem::take(&mut report.files)
                .par_iter()
                .try_for_each(|(path, bytes)| stage.put(path, &bytes.bytes()))?;
            tracing::debug!(took = ?clock.elapsed(), "site files written");
            let clock = Instant::now();
            report.written = Some(stage.commit()?);
            tracing::debug!(took = ?clock.elapsed(), "commit");
        } else if self.opts.write {
            report.written = Some(write_output(&out_dir, &report.files)?);
        }
        report.elapsed = start.elapsed();
        Ok(report)
    }

    /// The output folder asked for: `--output-dir`, else the config's.
    /// The output folder, canonical and checked; a refusal says where to change it.
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
        files: BTreeMap<String, FileBytes>,
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

    fn bump(&mut self, file: FileId) {
        self.generation.insert(file, self.next_generation);
        self.next_generation += 1;
    }

    /// Reads one content file (new or changed) into the source map, remembering its UTF-8
    /// problems (reported on every build while they last).
    fn read_content(&mut self, rel: &str) -> Result<(), LoadError> {
        let abs = self.opts.root.join("content").join(rel);
        let read = read_source(&abs, format!("content/{rel}"))?;
        self.install_content(rel, read);
        Ok(())
    }

    /// Puts a file read by [`read_source`] into the source map: an unchanged text keeps its
    /// id and generation, a changed or new one gets a new generation.
    fn install_content(&mut self, rel: &str, (file, bad): (SourceFile, Option<usize>)) {
        let id = match self.content.get(rel) {
            Some(&id) if self.sources.get(id).text == file.text => id,
            Some(&id) => {
                self.sources.replace_file(id, file);
                self.bump(id);
                id
            }
            None => {
                let id = match self.sources.find(&file.rel_path) {
                    Some(id) => {
                        self.sources.replace_file(id, file);
                        id
                    }
                    None => self.sources.add_file(file),
                };
                self.bump(id);
                id
            }
        };
        self.content.insert(rel.to_string(), id);
        let text = &self.sources.get(id).text;
        let body =
            crate::content::front_matter::split_front_matter(text, id).map_or(0, |s| s.body.start);
        let mut problems = control_characters(id, text, body);
        problems.extend(bad.map(|bad| invalid_utf8(id, bad)));
        if problems.is_empty() {
            self.read_problems.remove(&id);
        } else {
            self.read_problems.insert(id, problems);
        }
    }

    /// Reads every content file again (in parallel; installed in path order) and lists the
    /// assets beside them.
    fn rescan_content(&mut self) -> Result<(), LoadError> {
        let dir = self.opts.root.join("content");
        if !dir.is_dir() {
            return Err(LoadError::NoContentDir(dir));
        }
        self.assets.clear();
        let mut pages = Vec::new();
        self.walk_problems.clear();
        for (abs, rel) in walk_files(&dir, "content", &self.bounds, &mut self.walk_problems)? {
            if rel.ends_with(".md") {
                pages.push((abs, rel));
            } else {
                self.assets.push(Asset {
                    source: abs,
                    output: rel,
                });
            }
        }
        let read: Vec<_> = pages
            .par_iter()
            .map(|(abs, rel)| read_source(abs, format!("content/{rel}")))
            .collect();
        let mut seen = BTreeMap::new();
        for ((_, rel), r) in pages.iter().zip(read) {
            self.install_content(rel, r?);
            seen.insert(rel.clone(), self.content[rel]);
        }
        self.content = seen;
        let assets: Vec<_> = self
            .assets
            .par_iter()
            .map(|a| {
                std::fs::read(&a.source)
                    .map(|bytes| (a.output.clone(), FileBytes::plain(bytes)))
                    .map_err(|source| LoadError::Read {
                        path: a.source.clone(),
                        source,
                    })
            })
            .collect();
        self.asset_bytes.clear();
        for a in assets {
            let (output, bytes) = a?;
            self.asset_bytes.insert(output, bytes);
        }
        Ok(())
    }

    /// Applies a batch of changed content paths; anything unusual falls back to a rescan.
    fn apply_changes(&mut self, paths: &[String]) -> Result<(), LoadError> {
        let mut rescan = false;
        for p in paths {
            let Some(rel) = p.strip_prefix("content/") else {
                continue;
            };
            let abs = self.opts.root.join(p);
            let name = rel.rsplit('/').next().unwrap_or(rel);
            if is_ignored_name(name) {
                continue;
            }
            // A symlink is re-walked, so it is checked as `build` checks it.
            let plain_file = std::fs::symlink_metadata(&abs).is_ok_and(|m| m.is_file());
            if plain_file && rel.ends_with(".md") {
                self.read_content(rel)?;
            } else if !abs.exists() && rel.ends_with(".md") && self.content.remove(rel).is_some() {
                // A deleted page.
            } else {
                // A folder, an asset, or something renamed: re-walk to be exact.
                rescan = true;
            }
        }
        if rescan {
            self.rescan_content()?;
        }
        Ok(())
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
