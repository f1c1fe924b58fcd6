//! The Markdown stage: each page's metadata and HTML, reused while the file and the link
//! context are unchanged, and what a re-parse changed of the page's links and anchors.

use super::render::LinkContext;
use super::*;

/// What the Markdown passes of a rebuild found different from the last parse of the same
/// pages: in the link targets (with their anchors), in the links' places, in the anchors.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct LinksMoved {
    pub(super) targets: bool,
    pub(super) spans: bool,
    pub(super) anchors: bool,
}

impl Rebuilder {
    /// Each page's Markdown metadata, and the HTML of the pages rendered now, with what
    /// their links and anchors did. Metadata is reused while the file and the link context
    /// `ctx` are unchanged.
    pub(super) fn markdown(
        &mut self,
        env: &MarkdownEnv<'_>,
        pages: &[Page],
        ctx: u64,
    ) -> (Vec<Arc<MdMeta>>, Vec<Option<FileBytes>>, LinksMoved) {
        let generation = &self.generation;
        let gen_of = |p: &Page| generation.get(&p.file).copied().unwrap_or(0);
        let (cache, passes, sources) = (&self.md, &self.markdown_passes, &self.sources);
        let mode = self.opts.mode;
        // What can be reused, found in one pass; only the rest is rendered (in parallel).
        let reused: Vec<Option<Arc<MdMeta>>> = pages
            .iter()
            .map(|p| match (&p.origin, cache.get(&p.file)) {
                (Origin::Generated { .. }, _) => Some(Arc::new(MdMeta {
                    summary: p.front.description.as_deref().unwrap_or_default().into(),
                    ..MdMeta::default()
                })),
                (Origin::File, Some((g, c, meta))) if *g == gen_of(p) && *c == ctx => {
                    Some(Arc::clone(meta))
                }
                (Origin::File, _) => None,
            })
            .collect();
        let stale: Vec<usize> = (0..pages.len()).filter(|i| reused[*i].is_none()).collect();
        let fresh: Vec<(Arc<MdMeta>, FileBytes)> = stale
            .par_iter()
            .map(|&i| {
                passes.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                render_page_markdown(env, pages, i, sources, mode)
            })
            .collect();
        // `stale` is in page order: the renders fill the gaps in that order.
        let mut fresh = fresh.into_iter();
        let results: Vec<(Arc<MdMeta>, Option<FileBytes>)> = reused
            .into_iter()
            .map(|meta| match meta {
                Some(meta) => (meta, None),
                None => {
                    let (meta, html) = fresh.next().expect("invariant: one render per gap");
                    (meta, Some(html))
                }
            })
            .collect();
        let mut moved = LinksMoved::default();
        let mut from_files = 0;
        let mut html = Vec::with_capacity(pages.len());
        let mut metas = Vec::with_capacity(pages.len());
        for (p, (meta, h)) in pages.iter().zip(results) {
            if p.origin == Origin::File {
                from_files += 1;
                // Parsed again: compare with the last parse, and keep this one.
                if h.is_some() {
                    moved.add(self.md.get(&p.file).map(|(_, _, m)| &**m), &meta);
                    if mode.incremental() {
                        self.md.insert(p.file, (gen_of(p), ctx, Arc::clone(&meta)));
                    }
                }
            }
            html.push(h);
            metas.push(meta);
        }
        // Files no page comes from any more (deleted, or a draft now).
        if self.md.len() > from_files {
            let files: HashSet<FileId> = pages.iter().map(|p| p.file).collect();
            self.md.retain(|f, _| files.contains(f));
        }
        (metas, html, moved)
    }
}

/// Renders page `i`'s Markdown: its metadata (with the summary and, for `serve`, the HTML's
/// hash) and its HTML.
fn render_page_markdown(
    env: &MarkdownEnv<'_>,
    pages: &[Page],
    i: usize,
    sources: &SourceMap,
    mode: Mode,
) -> (Arc<MdMeta>, FileBytes) {
    let p = &pages[i];
    let text = &sources.get(p.file).text;
    let r = render_markdown(env, PageId(i as u32), text, p.body_range(text));
    let (mut meta, html) = MdMeta::split(r);
    meta.summary = match &p.front.description {
        Some(d) => d.as_str().into(),
        None => summarize(&meta.text).into(),
    };
    if mode.incremental() {
        // FxHash: several times SipHash's speed over a long page.
        let mut h = rustc_hash::FxHasher::default();
        html.hash(&mut h);
        meta.html_hash = h.finish();
    }
    // Kept until the page's template runs. `serve` packs it (its peak is its first build);
    // `build` does not: at 10,000 pages packing saved 40 MiB and cost 0.3 s of CPU.
    (
        Arc::new(meta),
        FileBytes::new(html.into_bytes(), mode.packs()),
    )
}

impl LinksMoved {
    /// Notes how `new`, a page's Markdown metadata, differs from its last, `old`.
    fn add(&mut self, old: Option<&MdMeta>, new: &MdMeta) {
        let Some(old) = old else {
            *self = LinksMoved {
                targets: true,
                spans: true,
                anchors: true,
            };
            return;
        };
        let target = |l: &crate::render::markdown::LinkOut| (l.target, l.anchor.clone());
        self.targets |= !old
            .links
            .iter()
            .map(target)
            .eq(new.links.iter().map(target));
        self.spans |= old.links != new.links;
        self.anchors |= old.anchors != new.anchors;
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
