//! The first half of a rebuild, one stage per function: problems found reading, front matter,
//! the graph (URLs, sections, references), the link context, links and anchors, and
//! the site data every template and output reads (the Markdown stage is `markdown.rs`).
//! `emit.rs` takes it from there.

use super::invalidate::{context_hash, same_front};
use super::markdown::{markdown_env, LinksMoved};
use super::*;
use crate::graph::ResolvedRef;

/// One content file parsed: (generation, page, its problems), shared with the cache.
pub(super) type ParsedFile = (u64, Arc<Page>, Arc<Vec<Diagnostic>>);

/// The front matter of this rebuild.
pub(super) struct Parsed {
    entries: Vec<Arc<Page>>,
    /// Every file kept its front matter byte for byte, and none came or went.
    same_structure: bool,
}

/// Pages with their URLs, the lookups, and the resolved references.
pub(super) struct Graph {
    pub(super) pages: Arc<Vec<Page>>,
    pub(super) index: Arc<PageIndex>,
    pub(super) refs: Arc<Vec<Vec<ResolvedRef>>>,
    /// Last update per page (front matter `updated`, else `date`, else git).
    pub(super) updated: Arc<Vec<Option<String>>>,
    /// The declared tables.
    pub(super) tables: Arc<Vec<crate::graph::tables::Table>>,
    /// Taken from the last build: only Markdown bodies changed.
    pub(super) reused: bool,
}

/// Files a link may point at besides pages, and a key of the assets they came from.
pub(super) struct LinkContext {
    pub(super) known_files: HashSet<String>,
    pub(super) assets_key: u64,
}

/// What the links between pages decide: problems of anchors, backlinks, orphans.
pub(super) struct LinkGraph {
    anchor_diags: Vec<Diagnostic>,
    orphan_diags: Vec<Diagnostic>,
    backlinks: Arc<crate::graph::backlinks::Backlinks>,
}

/// Everything the pages' templates and the site-wide outputs need, once resolved.
pub(super) struct Resolved {
    pub(super) site: Arc<SiteData>,
    /// The text of each page (for the search index).
    pub(super) metas: Vec<Arc<MdMeta>>,
    /// Markdown HTML of the pages rendered by this build, kept for their templates.
    pub(super) html: Vec<Option<FileBytes>>,
    pub(super) fingerprints: super::invalidate::Fingerprints,
    /// Everything Markdown depends on besides the page's text (see [`context_hash`]).
    pub(super) ctx: u64,
    pub(super) specials: Arc<Specials>,
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
        let graph = self.graph(setup, parsed, diags);
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
        let (specials, ctx) = self.markdown_context(setup, &graph, &links, &templates);
        let clock = Instant::now();
        let lookups = (&graph.pages[..], &*graph.index);
        let highlighter = Arc::clone(&self.highlighter);
        let env = markdown_env(setup, lookups, &highlighter, &specials, &templates, &links);
        let (metas, html, moved) = self.markdown(&env, &graph.pages, ctx);
        tracing::debug!(took = ?clock.elapsed(), "markdown");
        let clock = Instant::now();
        let link_graph = self.links_of(setup, &metas, &graph, moved);
        diags.extend(metas.iter().flat_map(|m| m.diags.iter().cloned()));
        diags.extend(link_graph.anchor_diags.iter().cloned());
        diags.extend(link_graph.orphan_diags.iter().cloned());
        diags.extend(check_home(&graph.pages));
        self.collision_problems(setup, &graph, &links, &templates, diags);
        diags.extend(template_diags.iter().cloned());
        let backlinks = Arc::clone(&link_graph.backlinks);
        self.link_graph = Some(link_graph);
        let site = Arc::new(site_data(setup, graph, &metas, backlinks));
        let fingerprints = if self.opts.mode.incremental() {
            self.last_site = Some(Arc::clone(&site));
            self.fingerprints(&site, &metas, ctx)
        } else {
            Default::default()
        };
        tracing::debug!(took = ?clock.elapsed(), "links, backlinks, site data, fingerprints");
        Resolved {
            site,
            metas,
            html,
            fingerprints,
            ctx,
            specials,
            links,
            templates,
            template_diags,
        }
    }

    /// The glossary and marks automaton and the hash of everything Markdown reads besides a
    /// page's text: reused while the graph and the assets are the last build's.
    fn markdown_context(
        &mut self,
        setup: &Setup,
        graph: &Graph,
        links: &LinkContext,
        templates: &Templates,
    ) -> (Arc<Specials>, u64) {
        if let Some((key, specials, ctx)) = &self.md_context {
            if graph.reused && *key == links.assets_key {
                return (Arc::clone(specials), *ctx);
            }
        }
        let glossary = glossary_terms(&setup.config, &graph.pages);
        let specials = Arc::new(Specials::new(&setup.config.markdown.marks, &glossary));
        let ctx = context_hash(
            &setup.config,
            &graph.pages,
            &glossary,
            &links.known_files,
            templates.literal_ids(),
        );
        self.md_context = Some((links.assets_key, Arc::clone(&specials), ctx));
        (specials, ctx)
    }

    /// The problems of anchors that references and prose links name, the backlinks and the
    /// orphans: the last build's while the graph is and the Markdown passes of this one
    /// found the links (and anchors) they found before.
    fn links_of(
        &mut self,
        setup: &Setup,
        metas: &[Arc<MdMeta>],
        graph: &Graph,
        moved: LinksMoved,
    ) -> LinkGraph {
        let last = self.link_graph.take().filter(|_| graph.reused);
        let (anchor_diags, last) = match last {
            Some(l) if !moved.spans && !moved.anchors => (l.anchor_diags.clone(), Some(l)),
            last => (anchor_problems(metas, graph, &self.sources), last),
        };
        if let Some(l) = last.filter(|_| !moved.targets) {
            return LinkGraph { anchor_diags, ..l };
        }
        let prose = prose_links(metas);
        let backlinks = build_backlinks(&setup.config, &graph.pages, &graph.refs, &prose);
        LinkGraph {
            anchor_diags,
            orphan_diags: check_orphans(&graph.pages, &backlinks),
            backlinks: Arc::new(backlinks),
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

    /// Front matter of every content file, reusing the parse of files whose text did not
    /// change (the others are parsed in parallel).
    fn parse_front_matter(&mut self, config: &Config, diags: &mut Vec<Diagnostic>) -> Parsed {
        let (sources, generation) = (&self.sources, &self.generation);
        let gen_of = |id: &FileId| generation.get(id).copied().unwrap_or(0);
        let stale: Vec<(&str, FileId, u64)> = self
            .content
            .iter()
            .filter(|(_, id)| self.parsed.get(id).is_none_or(|(g, _, _)| *g != gen_of(id)))
            .map(|(r, id)| (r.as_str(), *id, gen_of(id)))
            .collect();
        let fresh: Vec<(Page, Vec<Diagnostic>)> = stale
            .par_iter()
            .map(|&(rel, id, _)| parse_page(config, rel, id, sources))
            .collect();
        let mut same_structure = self.last_site.is_some();
        for (&(_, id, gen), (page, d)) in stale.iter().zip(fresh) {
            let old = self.parsed.get(&id);
            same_structure &= old.is_some_and(|(_, o, _)| same_front(o, &page));
            self.parsed.insert(id, (gen, Arc::new(page), Arc::new(d)));
        }
        // Files that went (deleted, or renamed away).
        if self.parsed.len() > self.content.len() {
            let present: HashSet<FileId> = self.content.values().copied().collect();
            self.parsed.retain(|id, _| present.contains(id));
            same_structure = false;
        }
        let mut entries = Vec::new();
        for id in self.content.values() {
            let (_, page, d) = &self.parsed[id];
            diags.extend(d.iter().cloned());
            if !same_structure {
                entries.push(Arc::clone(page));
            }
        }
        if !self.opts.mode.incremental() {
            self.parsed.clear();
        }
        Parsed {
            entries,
            same_structure,
        }
    }

    /// Pages with URLs and sections, the index, and resolved references. When no front
    /// matter changed (a page is then the same value), the last build's are reused.
    fn graph(&mut self, setup: &Setup, parsed: Parsed, diags: &mut Vec<Diagnostic>) -> Graph {
        let config = &setup.config;
        // Taken now, so a rebuild that stops early leaves none to misuse.
        let last_site = self.last_site.take();
        if let Some(last) = last_site.filter(|_| parsed.same_structure) {
            diags.extend(self.graph_diags.iter().cloned());
            return Graph {
                pages: Arc::clone(&last.pages),
                index: Arc::clone(&last.index),
                refs: Arc::clone(&last.refs),
                updated: Arc::clone(&last.updated),
                tables: Arc::clone(&last.tables),
                reused: true,
            };
        }
        let graph_start = diags.len();
        let fresh = parsed.entries.into_iter().map(Arc::unwrap_or_clone);
        let options = ContentOptions {
            drafts: self.opts.drafts,
        };
        let pages = finish_pages(config, fresh.collect(), &self.sources, options, diags);
        let index = PageIndex::build(&pages);
        let (refs, d) = resolve_refs(&pages, &index, &self.sources);
        diags.extend(d);
        diags.extend(crate::graph::keys::check_unique_keys(
            config,
            &pages,
            &refs,
            &self.sources,
        ));
        let (tables, d) = crate::graph::tables::build_tables(config, &pages, &refs, &self.sources);
        diags.extend(d);
        self.graph_diags = diags[graph_start..].to_vec();
        Graph {
            updated: Arc::new(updated_dates(setup, &pages)),
            pages: Arc::new(pages),
            index: Arc::new(index),
            refs: Arc::new(refs),
            tables: Arc::new(tables),
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
}

/// Every prose link, for the backlinks.
fn prose_links(metas: &[Arc<MdMeta>]) -> Vec<ProseLink> {
    let mut prose = Vec::new();
    for (i, m) in metas.iter().enumerate() {
        prose.extend(m.links.iter().map(|l| ProseLink {
            from: PageId(i as u32),
            to: l.target,
            anchor: l.anchor.clone(),
        }));
    }
    prose
}

/// Problems of the anchors that references and prose links name.
fn anchor_problems(metas: &[Arc<MdMeta>], graph: &Graph, sources: &SourceMap) -> Vec<Diagnostic> {
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
    check_anchors(
        ref_anchors.chain(link_anchors),
        &anchors,
        &graph.pages,
        sources,
    )
}

/// The last-updated date of each page: front matter `updated`, else the git history of its
/// file, else none. Never `date`: that is what the page is about (an event's day, a
/// document's), not when its content last changed.
fn updated_dates(setup: &Setup, pages: &[Page]) -> Vec<Option<String>> {
    pages
        .iter()
        .map(|p| {
            let from_git = || match p.origin {
                Origin::File => setup.dates.get(&p.rel_path).cloned(),
                Origin::Generated { .. } => None,
            };
            p.front.updated.clone().or_else(from_git)
        })
        .collect()
}

/// The site data: the graph with backlinks, summaries, headings and last-updated dates.
fn site_data(
    setup: &Setup,
    graph: Graph,
    metas: &[Arc<MdMeta>],
    backlinks: Arc<crate::graph::backlinks::Backlinks>,
) -> SiteData {
    SiteData {
        config: Arc::clone(&setup.config),
        positions: crate::site_data::sibling_positions(&graph.pages),
        pages: graph.pages,
        refs: graph.refs,
        backlinks,
        summaries: metas.iter().map(|m| Arc::clone(&m.summary)).collect(),
        headings: metas.iter().map(|m| Arc::clone(&m.headings)).collect(),
        updated: graph.updated,
        index: graph.index,
        marks: Arc::clone(&setup.marks),
        tables: graph.tables,
        history: Arc::clone(&setup.history),
    }
}
