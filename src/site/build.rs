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

    /// Parses, resolves and renders. Returns (page count, pages rendered, files).
    fn render(
        &mut self,
        diags: &mut Vec<Diagnostic>,
        out_dir: &std::path::Path,
    ) -> Result<Rendered, OutputError> {
        let mut clock = Instant::now();
        let (config, theme, dates) = self.setup.as_ref().expect("invariant: setup loaded");
        diags.extend(self.walk_problems.iter().cloned());
        for id in self.content.values() {
            if let Some(d) = self.read_problems.get(id) {
                diags.extend(d.iter().cloned());
            }
        }
        let sources = &self.sources;
        // Parse front matter (in parallel), reusing pages whose file did not change.
        let generation = &self.generation;
        let mut cached = std::mem::take(&mut self.parsed);
        // The last build's pages, index and references: reused below when no front matter
        // changed. Taken now, so a rebuild that stops early leaves none to misuse.
        let last_site = self.last_site.take();
        let files: Vec<(&str, FileId, u64)> = self
            .content
            .iter()
            .map(|(r, id)| (r.as_str(), *id, generation.get(id).copied().unwrap_or(0)))
            .collect();
        let parsed: Vec<Option<(Page, Vec<Diagnostic>)>> = files
            .par_iter()
            .map(|&(rel, id, gen)| match cached.get(&id) {
                Some((g, _, _)) if *g == gen => None,
                _ => Some(parse_page(config, rel, id, sources)),
            })
            .collect();
        let mut same_structure = last_site.is_some();
        let mut body_ranges: HashMap<FileId, std::ops::Range<usize>> = HashMap::new();
        let mut entries = Vec::with_capacity(parsed.len());
        for (&(rel, id, gen), new) in files.iter().zip(parsed) {
            let old = cached.remove(&id);
            let (page, d) = match (new, old) {
                (Some((page, d)), old) => {
                    same_structure &= old.is_some_and(|(_, o, _)| same_front(&o, &page));
                    body_ranges.insert(id, page.body_range.clone());
                    (page, d)
                }
                (None, Some((_, page, d))) => (page, d),
                (None, None) => {
                    same_structure = false;
                    parse_page(config, rel, id, sources)
                }
            };
            diags.extend(d.iter().cloned());
            entries.push((id, gen, page, d));
        }
        // A file left in the cache was deleted.
        same_structure &= cached.is_empty();
        drop(cached);
        // A one-shot build has no next build to reuse the parse in.
        self.parsed = if self.one_shot {
            HashMap::new()
        } else {
            entries
                .iter()
                .map(|(id, gen, page, d)| (*id, (*gen, page.clone(), d.clone())))
                .collect()
        };
        let graph_start = diags.len();
        let fast_path = same_structure && last_site.is_some();
        let (pages, index, refs) = match last_site.filter(|_| same_structure) {
            // Only Markdown bodies changed: URLs, sections, ids and references are as before.
            Some(last) => {
                let mut pages = last.pages.clone();
                for p in pages.iter_mut().filter(|p| p.origin == Origin::File) {
                    if let Some(r) = body_ranges.get(&p.file) {
                        p.body_range = r.clone();
                    }
                }
                diags.extend(self.graph_diags.iter().cloned());
                (pages, Arc::clone(&last.index), Arc::clone(&last.refs))
            }
            None => {
                let fresh = entries.into_iter().map(|(_, _, page, _)| page).collect();
                let pages = finish_pages(
                    config,
                    fresh,
                    sources,
                    ContentOptions {
                        drafts: self.opts.drafts,
                    },
                    diags,
                );
                let index = PageIndex::build(&pages);
                let (refs, d) = resolve_refs(&pages, &index, sources);
                diags.extend(d);
                self.graph_diags = diags[graph_start..].to_vec();
                (pages, Arc::new(index), Arc::new(refs))
            }
        };
        let t = std::mem::replace(&mut clock, Instant::now());
        tracing::debug!(took = ?t.elapsed(), "front matter and graph");

        // Markdown: reuse metadata of unchanged files while the link context is the same.
        let mut known_files: HashSet<String> = self
            .assets
            .iter()
            .map(|a| format!("/{}", a.output))
            .collect();
        known_files.extend(theme.statics.iter().map(|f| format!("/{}", f.output)));
        known_files.extend(
            crate::site::pipeline::SPECIAL_FILES
                .iter()
                .map(|s| format!("/{s}")),
        );
        let assets_key = {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            for a in &self.assets {
                a.output.hash(&mut h);
            }
            h.finish()
        };
        let text_links = match self.text_links.take() {
            Some((key, d)) if fast_path && key == assets_key => d,
            _ => crate::check::text_links::check_text_links(
                config,
                &pages,
                &index,
                &known_files,
                sources,
            ),
        };
        diags.extend(text_links.iter().cloned());
        self.text_links = Some((assets_key, text_links));
        // Templates compile once per full rebuild; content edits reuse them. (Before the
        // Markdown: headings must not take the ids the templates write.)
        let (mut templates, template_diags) = match self.templates.take() {
            Some(t) => t,
            None => Templates::compile(sources, &theme.templates, self.opts.debug_templates),
        };
        let glossary = glossary_terms(config, &pages);
        let specials = Specials::new(&glossary);
        let ctx = context_hash(
            config,
            &pages,
            &glossary,
            &known_files,
            templates.literal_ids(),
        );
        // Kept across rebuilds: loading syntect's syntaxes costs ~20 ms.
        let highlighter = &*self.highlighter;
        let env = MarkdownEnv {
            pages: &pages,
            index: &index,
            highlighter,
            specials: &specials,
            reserved_ids: templates.literal_ids(),
            allow_raw_html: config.markdown.allow_raw_html,
            smart_punctuation: config.markdown.smart_punctuation,
            known_files: &known_files,
            // Each page's Markdown is parsed once: its HTML is kept for its template.
            html: true,
        };
        let gen_of = |p: &Page| self.generation.get(&p.file).copied().unwrap_or(0);
        let md_cache = &self.md;
        let passes = &self.markdown_passes;
        let pack_html = self.pack;
        let one_shot = self.one_shot;
        let t = std::mem::replace(&mut clock, Instant::now());
        tracing::debug!(took = ?t.elapsed(), "md: context");
        let md_results: Vec<(Arc<MdMeta>, Option<FileBytes>)> = (0..pages.len())
            .into_par_iter()
            .map(|i| {
                let p = &pages[i];
                if p.origin != Origin::File {
                    return (Arc::new(MdMeta::default()), None);
                }
                match md_cache.get(&p.file) {
                    Some((g, c, meta)) if *g == gen_of(p) && *c == ctx => (Arc::clone(meta), None),
                    _ => {
                        passes.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let r = render_markdown(
                            &env,
                            PageId(i as u32),
                            &sources.get(p.file).text,
                            p.body_range.clone(),
                        );
                        let (mut meta, html) = MdMeta::split(r);
                        if !one_shot {
                            // FxHash: several times SipHash's speed over a long page.
                            let mut h = rustc_hash::FxHasher::default();
                            html.hash(&mut h);
                            meta.html_hash = h.finish();
                        }
                        // Kept until the page's template runs. `serve` packs it (its peak is
                        // its first build); `build` does not: at 10,000 pages packing saved
                        // 40 MiB and cost 0.3 s of CPU.
                        (
                            Arc::new(meta),
                            Some(FileBytes::new(html.into_bytes(), pack_html)),
                        )
                    }
                }
            })
            .collect();
        let t = std::mem::replace(&mut clock, Instant::now());
        tracing::debug!(took = ?t.elapsed(), "md: render");
        let mut html_now: Vec<Option<FileBytes>> = vec![None; pages.len()];
        let mut metas = Vec::with_capacity(pages.len());
        let mut new_md = HashMap::new();
        for (i, (meta, html)) in md_results.into_iter().enumerate() {
            if let Some(h) = html {
                html_now[i] = Some(h);
            }
            if pages[i].origin == Origin::File && !self.one_shot {
                new_md.insert(pages[i].file, (gen_of(&pages[i]), ctx, Arc::clone(&meta)));
            }
            metas.push(meta);
        }
        self.md = new_md;

        let t = std::mem::replace(&mut clock, Instant::now());
        tracing::debug!(took = ?t.elapsed(), "md: collect");
        let anchors: Vec<&HashSet<String>> = metas.iter().map(|m| &m.anchors).collect();
        let mut prose = Vec::new();
        for (i, m) in metas.iter().enumerate() {
            diags.extend(m.diags.iter().cloned());
            prose.extend(m.links.iter().map(|l| ProseLink {
                from: PageId(i as u32),
                to: l.target,
                anchor: l.anchor.clone(),
            }));
        }
        let ref_anchors = refs.iter().flatten().filter_map(|r| {
            r.anchor
                .as_deref()
                .map(|a| (r.target, a, AnchorSite::Ref(r)))
        });
        let link_anchors = metas.iter().flat_map(|m| m.links.iter()).filter_map(|l| {
            l.anchor
                .as_deref()
                .map(|a| (l.target, a, AnchorSite::Span(&l.span)))
        });
        let t = std::mem::replace(&mut clock, Instant::now());
        tracing::debug!(took = ?t.elapsed(), "md: links");
        diags.extend(check_anchors(
            ref_anchors.chain(link_anchors),
            &anchors,
            &pages,
            sources,
        ));
        let t = std::mem::replace(&mut clock, Instant::now());
        tracing::debug!(took = ?t.elapsed(), "markdown");
        let backlinks = build_backlinks(config, &pages, &refs, &prose);
        diags.extend(check_orphans(&pages, &backlinks));
        diags.extend(check_home(&pages));

        let summaries: Vec<String> = pages
            .iter()
            .zip(&metas)
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
                let from_git = || match p.origin {
                    Origin::File => dates.get(&p.rel_path).cloned(),
                    Origin::Generated { .. } => None,
                };
                p.front
                    .updated
                    .clone()
                    .or_else(|| p.front.date.clone())
                    .or_else(from_git)
            })
            .collect();
        // A one-shot build has no next build to compare with.
        let t = std::mem::replace(&mut clock, Instant::now());
        tracing::debug!(took = ?t.elapsed(), "backlinks and summaries");
        let (fp_self, fp_view) = if self.one_shot {
            (Vec::new(), Vec::new())
        } else {
            Self::fingerprints(
                &self.generation,
                &mut self.view_hashes,
                &pages,
                &metas,
                &summaries,
                &backlinks,
                &refs,
                &updated,
            )
        };
        let texts: Vec<&str> = metas.iter().map(|m| m.text.as_str()).collect();

        let templates_ok = template_diags.is_empty();
        // Output paths change only with the pages' URLs (not on the fast path) or the assets.
        let collisions = match self.collisions.take() {
            Some((key, d)) if fast_path && key == assets_key => d,
            _ => output_collisions(config, &pages, theme, &self.assets, &templates),
        };
        diags.extend(collisions.iter().cloned());
        self.collisions = Some((assets_key, collisions));
        diags.extend(template_diags.iter().cloned());
        let search_texts = texts;
        let site = Arc::new(SiteData {
            config: config.clone(),
            pages,
            refs,
            backlinks,
            summaries,
            headings: metas.iter().map(|m| Arc::clone(&m.headings)).collect(),
            updated,
            index,
        });
        templates.install_site(&site);
        if !self.one_shot {
            self.last_site = Some(Arc::clone(&site));
        }
        let t = std::mem::replace(&mut clock, Instant::now());
        tracing::debug!(took = ?t.elapsed(), "site data");
        let failed = diags.iter().any(Diagnostic::is_error);
        let sink = if !self.one_shot {
            Sink::Memory
        } else if self.opts.write && !failed {
            Sink::Stage(Box::new(Staging::begin(out_dir)?))
        } else if self.opts.check_only || failed {
            Sink::Discard
        } else {
            Sink::Memory
        };
        let write_error: std::sync::Mutex<Option<OutputError>> = std::sync::Mutex::new(None);
        // A staged build writes each file as it is made and keeps no copy.
        let put = |stage: &Staging, path: &str, bytes: &[u8]| {
            if let Err(e) = stage.put(path, bytes) {
                if let Ok(mut slot) = write_error.lock() {
                    slot.get_or_insert(e);
                }
            }
        };

        // A staged build writes, one after the other so their memory does not add up, the
        // summary files (they need only the site data), the search index, then the pages.
        // `serve` computes the site-wide files later, on another thread; `check` and failed
        // builds need no index.
        let build_search = !self.defer_site_files && config.search.enabled;
        let search = match &sink {
            Sink::Stage(stage) => {
                for (path, bytes) in heavy_site_files(&site, BTreeMap::new(), false) {
                    put(stage, &path, &bytes.bytes());
                }
                if build_search {
                    crate::search::emit_search_index(&site, &search_texts, &|path, bytes| {
                        put(stage, &path, &bytes);
                    });
                }
                BTreeMap::new()
            }
            Sink::Memory if build_search => {
                crate::search::build_search_index(&site, &search_texts, self.pack)
            }
            Sink::Memory | Sink::Discard => BTreeMap::new(),
        };
        let t = std::mem::replace(&mut clock, Instant::now());
        tracing::debug!(took = ?t.elapsed(), "search index");
        // The index was the last user of the pages' plain text.
        drop(search_texts);
        drop(metas);

        let dirty = self.pages_to_render(&site, &fp_self, &fp_view);
        let env = MarkdownEnv {
            pages: &site.pages,
            index: &site.index,
            highlighter,
            specials: &specials,
            reserved_ids: templates.literal_ids(),
            allow_raw_html: config.markdown.allow_raw_html,
            smart_punctuation: config.markdown.smart_punctuation,
            known_files: &known_files,
            html: true,
        };
        // Each page's HTML is moved into its render and dropped after it, so a full build does
        // not hold every page's Markdown HTML and its final page at once.
        let pack = self.pack;
        let passes = &self.markdown_passes;
        let results: Vec<(usize, Option<PageRender>)> = html_now
            .into_par_iter()
            .enumerate()
            .map(|(i, html)| {
                if !templates_ok || !dirty[i] {
                    return (i, None);
                }
                let p = &site.pages[i];
                let content = match html {
                    Some(h) => {
                        String::from_utf8(h.into_vec()).expect("invariant: made from a String")
                    }
                    None if p.origin == Origin::File => {
                        passes.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        render_markdown(
                            &env,
                            PageId(i as u32),
                            &sources.get(p.file).text,
                            p.body_range.clone(),
                        )
                        .html
                    }
                    None => String::new(),
                };
                let (result, deps) = record_deps(|| {
                    templates.render_page(&site, PageId(i as u32), content, sources)
                });
                let path = p.url.output_file();
                let result = match (&sink, result) {
                    (Sink::Stage(stage), Ok(html)) => {
                        put(stage, &path, html.as_bytes());
                        Ok(FileBytes::plain(Vec::new()))
                    }
                    (Sink::Discard, Ok(_)) => Ok(FileBytes::plain(Vec::new())),
                    (Sink::Memory, Ok(html)) => Ok(FileBytes::new(html.into_bytes(), pack)),
                    (_, Err(d)) => Err(d),
                };
                (i, Some((path, result, deps)))
            })
            .collect();
        let t = std::mem::replace(&mut clock, Instant::now());
        tracing::debug!(took = ?t.elapsed(), "page templates");
        let rendered = results.iter().filter(|(_, r)| r.is_some()).count();
        let mut outputs: Vec<(String, FileBytes)> = Vec::with_capacity(site.pages.len());
        let mut deps_all = Vec::with_capacity(site.pages.len());
        let mut template_errors: BTreeMap<(String, String), (Diagnostic, usize)> = BTreeMap::new();
        for (i, r) in results {
            match r {
                Some((path, Ok(bytes), deps)) => {
                    outputs.push((path, bytes));
                    deps_all.push(deps);
                }
                Some((path, Err(d), deps)) => {
                    let key = (d.message.clone(), format!("{:?}", d.span));
                    template_errors.entry(key).or_insert((d, 0)).1 += 1;
                    outputs.push((path, FileBytes::plain(Vec::new())));
                    deps_all.push(deps);
                }
                // Not re-rendered: reuse the last good output (absent only when templates
                // failed to compile, and then this build fails anyway).
                None => {
                    if let Some(last) = &self.last {
                        outputs.push(last.outputs[i].clone());
                        deps_all.push(last.deps[i].clone());
                    }
                }
            }
        }
        for (_, (mut d, count)) in template_errors {
            if count > 1 {
                d.message = format!("{} (in {count} pages)", d.message);
            }
            diags.push(d);
        }
        if let Some(e) = write_error.into_inner().ok().flatten() {
            if let Sink::Stage(stage) = sink {
                stage.abort();
            }
            return Err(e);
        }
        let mut files: BTreeMap<String, FileBytes> = match sink {
            Sink::Memory => outputs.iter().cloned().collect(),
            Sink::Stage(_) | Sink::Discard => BTreeMap::new(),
        };
        if templates_ok && self.defer_site_files {
            self.pending_site = Some(Arc::clone(&site));
        } else if templates_ok {
            let t = std::mem::replace(&mut clock, Instant::now());
            tracing::debug!(took = ?t.elapsed(), "templates");
            light_site_files(
                &templates,
                sources,
                theme,
                &self.asset_bytes,
                &self.syntax_css,
                &mut files,
                diags,
            );
            if !matches!(sink, Sink::Stage(_)) {
                files.extend(heavy_site_files(&site, search, self.pack));
            }
        }
        let t = std::mem::replace(&mut clock, Instant::now());
        tracing::debug!(took = ?t.elapsed(), "site files");
        if !diags.iter().any(Diagnostic::is_error) {
            self.last = Some(LastGood {
                keys: site.pages.iter().map(|p| p.key.clone()).collect(),
                fp_self,
                fp_view,
                types: site.pages.iter().map(|p| p.type_name.clone()).collect(),
                deps: deps_all,
                outputs,
            });
        }
        let count = site.pages.len();
        self.templates = Some((templates, template_diags));
        let staging = match sink {
            Sink::Stage(stage) => Some(*stage),
            Sink::Memory | Sink::Discard => None,
        };
        Ok((count, rendered, files, staging))
    }

    /// Which pages' templates must run: all of them without a usable last build; otherwise
    /// pages whose fingerprint changed, and pages that read a changed page or list a type whose
    /// membership changed.
    fn pages_to_render(&self, site: &SiteData, fp_self: &[u64], fp_view: &[u64]) -> Vec<bool> {
        let n = site.pages.len();
        let Some(last) = &self.last else {
            return vec![true; n];
        };
        if last.keys.len() != n || site.pages.iter().zip(&last.keys).any(|(p, k)| p.key != *k) {
            return vec![true; n];
        }
        let seen_changed: Vec<bool> = (0..n).map(|i| fp_view[i] != last.fp_view[i]).collect();
        let mut changed_types: HashSet<&str> = HashSet::new();
        let was = site.pages.iter().zip(&last.types).zip(&seen_changed);
        for ((page, old_type), &seen) in was {
            // `pages_of_type` shows its pages in weight, date and title order: a change to
            // any of them may reorder the list (and which page is `first`).
            if seen || page.type_name != *old_type {
                changed_types.extend(page.type_name.as_deref());
                changed_types.extend(old_type.as_deref());
            }
        }
        (0..n)
            .map(|i| {
                fp_self[i] != last.fp_self[i]
                    || last.deps[i]
                        .pages
                        .iter()
                        .any(|d| seen_changed.get(d.index()).copied().unwrap_or(true))
                    || last.deps[i]
                        .types
                        .iter()
                        .any(|t| changed_types.contains(t.as_str()))
            })
            .collect()
    }

    /// Per page: (everything, what others can see). The own-data part is hashed once per file
    /// generation; the graph part (cheap integers) every time.
    #[allow(clippy::too_many_arguments)]
    fn fingerprints(
        generation: &HashMap<FileId, u64>,
        view_hashes: &mut HashMap<FileId, (u64, u64)>,
        pages: &[Page],
        metas: &[Arc<MdMeta>],
        summaries: &[String],
        backlinks: &crate::graph::backlinks::Backlinks,
        refs: &[Vec<crate::graph::ResolvedRef>],
        updated: &[Option<String>],
    ) -> (Vec<u64>, Vec<u64>) {
        let mut fp_self = Vec::with_capacity(pages.len());
        let mut fp_view = Vec::with_capacity(pages.len());
        for (i, p) in pages.iter().enumerate() {
            let gen = generation.get(&p.file).copied().unwrap_or(0);
            let own = match (&p.origin, view_hashes.get(&p.file)) {
                (Origin::File, Some((g, h))) if *g == gen => *h,
                _ => {
                    let mut h = std::collections::hash_map::DefaultHasher::new();
                    format!("{:?}", p.front).hash(&mut h);
                    summaries[i].hash(&mut h);
                    metas[i].headings.hash(&mut h);
                    let h = h.finish();
                    if p.origin == Origin::File {
                        view_hashes.insert(p.file, (gen, h));
                    }
                    h
                }
            };
            let mut h = std::collections::hash_map::DefaultHasher::new();
            own.hash(&mut h);
            (
                &p.key,
                &p.rel_path,
                &p.url.0,
                &p.type_name,
                p.is_section,
                &p.parent,
                &p.pages,
                &p.subsections,
            )
                .hash(&mut h);
            if let Origin::Generated { source, rule } = p.origin {
                (source, rule).hash(&mut h);
            }
            for g in &backlinks.groups[i] {
                (&g.source_type, &g.field, &g.pages).hash(&mut h);
            }
            backlinks.by_anchor[i].hash(&mut h);
            backlinks.incoming[i].hash(&mut h);
            for r in &refs[i] {
                (&r.field, r.target, &r.anchor).hash(&mut h);
            }
            updated[i].hash(&mut h);
            let view = h.finish();
            // The page's own HTML: what it shows of pages it names in its prose changes it
            // without a change to its file.
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (view, gen, metas[i].html_hash).hash(&mut h);
            fp_self.push(h.finish());
            fp_view.push(view);
        }
        (fp_self, fp_view)
    }
}

/// Everything Markdown rendering depends on besides the page's own text.
fn context_hash(
    config: &Config,
    pages: &[Page],
    glossary: &[crate::render::markdown::GlossaryTerm],
    known: &HashSet<String>,
    reserved_ids: &HashSet<String>,
) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for p in pages {
        (&p.rel_path, &p.url.0, &p.front.id).hash(&mut h);
    }
    for g in glossary {
        (&g.term, &g.url, &g.expansion).hash(&mut h);
    }
    let mut known: Vec<&String> = known.iter().collect();
    known.sort();
    known.hash(&mut h);
    let mut reserved: Vec<&String> = reserved_ids.iter().collect();
    reserved.sort();
    reserved.hash(&mut h);
    (
        config.markdown.allow_raw_html,
        config.markdown.smart_punctuation,
    )
        .hash(&mut h);
    h.finish()
}

/// True when a re-parsed page has the same front matter, at the same place, as before: then
/// its URL, section, id, type and references are unchanged (only its body may differ).
fn same_front(old: &Page, new: &Page) -> bool {
    old.front_range == new.front_range
        && old.key == new.key
        && old.is_section == new.is_section
        && old.type_name == new.type_name
        && old.front == new.front
        && old.front.fields.keys().eq(new.front.fields.keys())
}

/// The error for a site without a `content/` folder, if it has none.
fn no_content_folder(root: &Path) -> Option<Diagnostic> {
    (!root.join("content").is_dir()).then(|| {
        Diagnostic::error("no-content-folder", "the site has no `content/` folder")
            .in_path("content/")
            .help("create `content/` with an `_index.md` (the home page) beside site.yaml, or start from `majors init DIR`")
    })
}
