//! The first half of a rebuild, one stage per function: problems found reading, front matter,
//! the graph (URLs, sections, references), the link context, Markdown, links and anchors, and
//! the site data every template and output reads. `emit.rs` takes it from there.

use std::ops::Range;

use super::invalidate::{context_hash, same_front};
use super::*;
use crate::graph::ResolvedRef;

/// One content file parsed: (file, generation, page, its problems).
type Entry = (FileId, u64, Page, Vec<Diagnostic>);

/// The front matter of this rebuild.
pub(super) struct Parsed {
    entries: Vec<Entry>,
    /// Every file kept its front matter byte for byte, and none came or went.
    same_structure: bool,
    /// The body ranges of re-parsed files (their front matter may have grown or shrunk).
    body_ranges: HashMap<FileId, Range<usize>>,
}

/// Pages with their URLs, the lookups, and the resolved references.
pub(super) struct Graph {
    pub(super) pages: Vec<Page>,
    pub(super) index: Arc<PageIndex>,
    pub(super) refs: Arc<Vec<Vec<ResolvedRef>>>,
    /// Taken from the last build: only Markdown bodies changed.
    pub(super) reused: bool,
}

/// Files a link may point at besides pages, and a key of the assets they came from.
pub(super) struct LinkContext {
    pub(super) known_files: HashSet<String>,
    pub(super) assets_key: u64,
}

/// Everything the pages' templates and the site-wide outputs need, once resolved.
pub(super) struct Resolved {
    pub(super) site: Arc<SiteData>,
    /// The text of each page (for the search index).
    pub(super) metas: Vec<Arc<MdMeta>>,
    /// Markdown HTML of the pages rendered by this build, kept for their templates.
    pub(super) html: Vec<Option<FileBytes>>,
    pub(super) fingerprints: (Vec<u64>, Vec<u64>),
    pub(super) specials: Specials,
    pub(super) links: LinkContext,
    pub(super) templates: Templates,
    pub(super) template_diags: Vec<Diagnostic>,
}

impl Rebuilder {
    /// Parses, resolves and renders. Returns (page count, pages rendered, files, stage).
    pub(super) fn render(
        &mut self,
        diags: &mut Vec<Diagnostic>,
        out_dir: &std::path::Path,
    ) -> Result<Rendered, OutputError> {
        let setup = Arc::clone(self.setup.as_ref().expect("invariant: setup loaded"));
        let resolved = self.resolve(&setup, diags);
        self.emit(&setup, resolved, diags, out_dir)
    }

    /// Every stage up to the site data, with the problems each finds.
    fn resolve(&mut self, setup: &Setup, diags: &mut Vec<Diagnostic>) -> Resolved {
        let clock = Instant::now();
        self.input_problems(diags);
        let parsed = self.parse_front_matter(&setup.config, diags);
        let graph = self.graph(&setup.config, parsed, diags);
        tracing::debug!(took = ?clock.elapsed(), "front matter and graph");
        let links = self.link_context(setup);
        self.text_link_problems(&setup.config, &graph, &links, diags);
        // Templates compile once per full rebuild; content edits reuse them. (Before the
        // Markdown: headings must not take the ids the templates write.)
        let (templates, template_diags) = match self.templates.take() {
            Some(t) => t,
            None => Templates::compile(
                &self.sources,
                &setup.theme.templates,
                self.opts.debug_templates,
            ),
        };
        let glossary = glossary_terms(&setup.config, &graph.pages);
        let specials = Specials::new(&setup.config.markdown.marks, &glossary);
        let ctx = context_hash(
            &setup.config,
            &graph.pages,
            &glossary,
            &links.known_files,
            templates.literal_ids(),
        );
        let clock = Instant::now();
        let lookups = (&graph.pages[..], &*graph.index);
        let highlighter = Arc::clone(&self.highlighter);
        let env = markdown_env(setup, lookups, &highlighter, &specials, &templates, &links);
        let (metas, html) = self.markdown(&env, &graph.pages, ctx);
        let prose = link_problems(&metas, &graph, &self.sources, diags);
        tracing::debug!(took = ?clock.elapsed(), "markdown");
        let backlinks = build_backlinks(&setup.config, &graph.pages, &graph.refs, &prose);
        diags.extend(check_orphans(&graph.pages, &backlinks));
        diags.extend(check_home(&graph.pages));
        self.collision_problems(setup, &graph, &links, &templates, diags);
        diags.extend(template_diags.iter().cloned());
        let site = Arc::new(site_data(setup, graph, &metas, backlinks));
        let fingerprints = if self.opts.mode.incremental() {
            self.last_site = Some(Arc::clone(&site));
            let (summaries, updated) = (&site.summaries, &site.updated);
            let graph_of = (&site.pages[..], &site.backlinks, &site.refs[..]);
            Self::fingerprints(
                &self.generation,
                &mut self.view_hashes,
                graph_of,
                &metas,
                summaries,
                updated,
            )
        } else {
            (Vec::new(), Vec::new())
        };
        Resolved {
            site,
            metas,
            html,
            fingerprints,
            specials,
            links,
            templates,
            template_diags,
        }
    }

    /// Problems found reading the content: symlinks that leave the site, invalid UTF-8,
    /// control characters (reported on every build while they last).
    fn input_problems(&self, diags: &mut Vec<Diagnostic>) {
        diags.extend(self.walk_problems.iter().cloned());
        for id in self.content.values() {
            if let Some(d) = self.read_problems.get(id) {
                diags.extend(d.iter().cloned());
            }
        }
    }

    /// Front matter of every content file, in parallel, reusing the parse of files whose text
    /// did not change.
    fn parse_front_matter(&mut self, config: &Config, diags: &mut Vec<Diagnostic>) -> Parsed {
        let sources = &self.sources;
        let generation = &self.generation;
        let mut cached = std::mem::take(&mut self.parsed);
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
        let mut out = Parsed {
            entries: Vec::with_capacity(parsed.len()),
            same_structure: self.last_site.is_some(),
            body_ranges: HashMap::new(),
        };
        for (&(rel, id, gen), new) in files.iter().zip(parsed) {
            let (page, d) = match (new, cached.remove(&id)) {
                (Some((page, d)), old) => {
                    out.same_structure &= old.is_some_and(|(_, o, _)| same_front(&o, &page));
                    out.body_ranges.insert(id, page.body_range.clone());
                    (page, d)
                }
                (None, Some((_, page, d))) => (page, d),
                (None, None) => {
                    out.same_structure = false;
                    parse_page(config, rel, id, sources)
                }
            };
            diags.extend(d.iter().cloned());
            out.entries.push((id, gen, page, d));
        }
        // A file left in the cache was deleted.
        out.same_structure &= cached.is_empty();
        if self.opts.mode.incremental() {
            self.parsed = out
                .entries
                .iter()
                .map(|(id, gen, page, d)| (*id, (*gen, page.clone(), d.clone())))
                .collect();
        }
        out
    }

    /// Pages with URLs and sections, the index, and resolved references. When no front
    /// matter changed, the last build's are reused with the new body ranges.
    fn graph(&mut self, config: &Config, parsed: Parsed, diags: &mut Vec<Diagnostic>) -> Graph {
        // Taken now, so a rebuild that stops early leaves none to misuse.
        let last_site = self.last_site.take();
        if let Some(last) = last_site.filter(|_| parsed.same_structure) {
            let mut pages = last.pages.clone();
            for p in pages.iter_mut().filter(|p| p.origin == Origin::File) {
                if let Some(r) = parsed.body_ranges.get(&p.file) {
                    p.body_range = r.clone();
                }
            }
            diags.extend(self.graph_diags.iter().cloned());
            let (index, refs) = (Arc::clone(&last.index), Arc::clone(&last.refs));
            return Graph {
                pages,
                index,
                refs,
                reused: true,
            };
        }
        let graph_start = diags.len();
        let fresh = parsed.entries.into_iter().map(|(_, _, page, _)| page);
        let options = ContentOptions {
            drafts: self.opts.drafts,
        };
        let pages = finish_pages(config, fresh.collect(), &self.sources, options, diags);
        let index = PageIndex::build(&pages);
        let (refs, d) = resolve_refs(&pages, &index, &self.sources);
        diags.extend(d);
        self.graph_diags = diags[graph_start..].to_vec();
        Graph {
            pages,
            index: Arc::new(index),
            refs: Arc::new(refs),
            reused: false,
        }
    }

    /// The files a link may point at besides pages: content assets, static files and the
    /// generated files.
    fn link_context(&self, setup: &Setup) -> LinkContext {
        let mut known_files: HashSet<String> = self
            .assets
            .iter()
            .map(|a| format!("/{}", a.output))
            .collect();
        known_files.extend(setup.theme.statics.iter().map(|f| format!("/{}", f.output)));
        known_files
            .extend(crate::site::pipeline::generated_files(&setup.config).map(|s| format!("/{s}")));
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for a in &self.assets {
            a.output.hash(&mut h);
        }
        LinkContext {
            known_files,
            assets_key: h.finish(),
        }
    }

    /// Links in `text` fields: reused while the graph and the assets are the last build's.
    fn text_link_problems(
        &mut self,
        config: &Config,
        graph: &Graph,
        links: &LinkContext,
        diags: &mut Vec<Diagnostic>,
    ) {
        let found = match self.text_links.take() {
            Some((key, d)) if graph.reused && key == links.assets_key => d,
            _ => crate::check::text_links::check_text_links(
                config,
                &graph.pages,
                &graph.index,
                &links.known_files,
                &self.sources,
            ),
        };
        diags.extend(found.iter().cloned());
        self.text_links = Some((links.assets_key, found));
    }

    /// Output paths claimed twice: they change only with the pages' URLs or the assets.
    fn collision_problems(
        &mut self,
        setup: &Setup,
        graph: &Graph,
        links: &LinkContext,
        templates: &Templates,
        diags: &mut Vec<Diagnostic>,
    ) {
        let found = match self.collisions.take() {
            Some((key, d)) if graph.reused && key == links.assets_key => d,
            _ => output_collisions(
                &setup.config,
                &graph.pages,
                &setup.theme,
                &self.assets,
                templates,
            ),
        };
        diags.extend(found.iter().cloned());
        self.collisions = Some((links.assets_key, found));
    }

    /// Each page's Markdown metadata, and the HTML of the pages rendered now. Metadata is
    /// reused while the file and the link context `ctx` are unchanged.
    fn markdown(
        &mut self,
        env: &MarkdownEnv<'_>,
        pages: &[Page],
        ctx: u64,
    ) -> (Vec<Arc<MdMeta>>, Vec<Option<FileBytes>>) {
        let generation = &self.generation;
        let gen_of = |p: &Page| generation.get(&p.file).copied().unwrap_or(0);
        let (cache, passes, sources) = (&self.md, &self.markdown_passes, &self.sources);
        let mode = self.opts.mode;
        let results: Vec<(Arc<MdMeta>, Option<FileBytes>)> = (0..pages.len())
            .into_par_iter()
            .map(|i| {
                let p = &pages[i];
                if p.origin != Origin::File {
                    return (Arc::new(MdMeta::default()), None);
                }
                match cache.get(&p.file) {
                    Some((g, c, meta)) if *g == gen_of(p) && *c == ctx => (Arc::clone(meta), None),
                    _ => {
                        passes.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let text = &sources.get(p.file).text;
                        let r = render_markdown(env, PageId(i as u32), text, p.body_range.clone());
                        let (mut meta, html) = MdMeta::split(r);
                        if mode.incremental() {
                            // FxHash: several times SipHash's speed over a long page.
                            let mut h = rustc_hash::FxHasher::default();
                            html.hash(&mut h);
                            meta.html_hash = h.finish();
                        }
                        // Kept until the page's template runs. `serve` packs it (its peak is
                        // its first build); `build` does not: at 10,000 pages packing saved
                        // 40 MiB and cost 0.3 s of CPU.
                        let html = FileBytes::new(html.into_bytes(), mode.packs());
                        (Arc::new(meta), Some(html))
                    }
                }
            })
            .collect();
        let mut html = Vec::with_capacity(pages.len());
        let mut metas = Vec::with_capacity(pages.len());
        let mut kept = HashMap::new();
        for (p, (meta, h)) in pages.iter().zip(results) {
            if p.origin == Origin::File && mode.incremental() {
                kept.insert(p.file, (gen_of(p), ctx, Arc::clone(&meta)));
            }
            html.push(h);
            metas.push(meta);
        }
        self.md = kept;
        (metas, html)
    }
}

/// The Markdown environment over `graph`'s pages.
pub(super) fn markdown_env<'a>(
    setup: &'a Setup,
    graph: (&'a [Page], &'a PageIndex),
    highlighter: &'a Highlighter,
    specials: &'a Specials,
    templates: &'a Templates,
    links: &'a LinkContext,
) -> MarkdownEnv<'a> {
    MarkdownEnv {
        pages: graph.0,
        index: graph.1,
        highlighter,
        specials,
        reserved_ids: templates.literal_ids(),
        allow_raw_html: setup.config.markdown.allow_raw_html,
        smart_punctuation: setup.config.markdown.smart_punctuation,
        known_files: &links.known_files,
    }
}

/// Problems of the prose links and of the anchors references and links name; returns the
/// prose links for the backlinks.
fn link_problems(
    metas: &[Arc<MdMeta>],
    graph: &Graph,
    sources: &SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Vec<ProseLink> {
    let mut prose = Vec::new();
    for (i, m) in metas.iter().enumerate() {
        diags.extend(m.diags.iter().cloned());
        prose.extend(m.links.iter().map(|l| ProseLink {
            from: PageId(i as u32),
            to: l.target,
            anchor: l.anchor.clone(),
        }));
    }
    let anchors: Vec<&HashSet<String>> = metas.iter().map(|m| &m.anchors).collect();
    let ref_anchors = graph.refs.iter().flatten().filter_map(|r| {
        r.anchor
            .as_deref()
            .map(|a| (r.target, a, AnchorSite::Ref(r)))
    });
    let link_anchors = metas.iter().flat_map(|m| m.links.iter()).filter_map(|l| {
        l.anchor
            .as_deref()
            .map(|a| (l.target, a, AnchorSite::Span(&l.span)))
    });
    let all = ref_anchors.chain(link_anchors);
    diags.extend(check_anchors(all, &anchors, &graph.pages, sources));
    prose
}

/// The site data: the graph with backlinks, summaries, headings and last-updated dates.
fn site_data(
    setup: &Setup,
    graph: Graph,
    metas: &[Arc<MdMeta>],
    backlinks: crate::graph::backlinks::Backlinks,
) -> SiteData {
    let summaries = graph
        .pages
        .iter()
        .zip(metas)
        .map(|(p, m)| {
            let description = p.front.description.clone();
            description.unwrap_or_else(|| summarize(&m.text))
        })
        .collect();
    let updated = graph
        .pages
        .iter()
        .map(|p| {
            let from_git = || match p.origin {
                Origin::File => setup.dates.get(&p.rel_path).cloned(),
                Origin::Generated { .. } => None,
            };
            let front = p.front.updated.clone().or_else(|| p.front.date.clone());
            front.or_else(from_git)
        })
        .collect();
    SiteData {
        config: setup.config.clone(),
        pages: graph.pages,
        refs: graph.refs,
        backlinks,
        summaries,
        headings: metas.iter().map(|m| Arc::clone(&m.headings)).collect(),
        updated,
        index: graph.index,
        marks: crate::render::marks::Marks::new(&setup.config.markdown.marks),
    }
}
