//! What a rebuild must redo: per-page fingerprints (everything about a page, and what other
//! pages can see of it), the pages whose templates must run again, and the context that
//! decides whether a page's Markdown can be reused.

use super::*;

/// Per page of a build: its file's text generation, a hash of everything about it, and a
/// hash of what other pages' templates can see of it.
#[derive(Default)]
pub(super) struct Fingerprints {
    pub(super) gens: Vec<u64>,
    pub(super) own: Vec<u64>,
    pub(super) view: Vec<u64>,
}

impl Rebuilder {
    /// Which pages' templates must run: all of them without a usable last build; otherwise
    /// pages whose fingerprint changed, and pages that read a changed page or list a type whose
    /// membership changed.
    pub(super) fn pages_to_render(&self, site: &SiteData, fp: &Fingerprints) -> Vec<bool> {
        let (fp_self, fp_view) = (&fp.own, &fp.view);
        let n = site.pages.len();
        let Some(last) = &self.last else {
            return vec![true; n];
        };
        let same_pages = Arc::ptr_eq(&last.pages, &site.pages);
        let same_keys = || {
            last.pages.len() == n
                && site
                    .pages
                    .iter()
                    .zip(&*last.pages)
                    .all(|(p, l)| p.key == l.key)
        };
        if !same_pages && !same_keys() {
            return vec![true; n];
        }
        let seen_changed: Vec<bool> = (0..n).map(|i| fp_view[i] != last.fp.view[i]).collect();
        // A list of a type changed when its pages or their order did (a weight, a date, a
        // title, a page that joined or left the type); never while the pages are the same.
        let changed_types: HashSet<&str> = match same_pages {
            true => HashSet::new(),
            false => last
                .type_orders
                .iter()
                .filter(|(t, h)| super::emit::type_order(site, t) != **h)
                .map(|(t, _)| t.as_str())
                .collect(),
        };
        let any_seen_changed = seen_changed.iter().any(|c| *c);
        (0..n)
            .map(|i| {
                let deps = &last.deps[i];
                fp_self[i] != last.fp.own[i]
                    || (any_seen_changed
                        && deps
                            .pages
                            .iter()
                            .any(|d| seen_changed.get(d.index()).copied().unwrap_or(true)))
                    || (!changed_types.is_empty()
                        && deps
                            .types
                            .iter()
                            .any(|t| changed_types.contains(t.as_str())))
            })
            .collect()
    }

    /// Per page: (everything, what others can see). While the pages, backlinks, dates and
    /// Markdown context are the last good build's, only pages whose file changed are hashed;
    /// otherwise every page, its own data once per file generation.
    pub(super) fn fingerprints(
        &mut self,
        site: &SiteData,
        metas: &[Arc<MdMeta>],
        ctx: u64,
    ) -> Fingerprints {
        let gens: Vec<u64> = site
            .pages
            .iter()
            .map(|p| match p.origin {
                Origin::File => self.generation.get(&p.file).copied().unwrap_or(0),
                Origin::Generated { .. } => 0,
            })
            .collect();
        let last = self.last.as_ref().filter(|l| {
            Arc::ptr_eq(&l.pages, &site.pages)
                && Arc::ptr_eq(&l.backlinks, &site.backlinks)
                && Arc::ptr_eq(&l.updated, &site.updated)
                && l.ctx == ctx
        });
        // Shown on every page (`site.content_as_of`); it changes only with `updated`, which
        // the reuse of `last` above requires to be the same.
        let as_of = site.content_as_of();
        let mut fp_self = Vec::with_capacity(gens.len());
        let mut fp_view = Vec::with_capacity(gens.len());
        for (i, gen) in gens.iter().enumerate() {
            if let Some(l) = last.filter(|l| l.fp.gens[i] == *gen) {
                fp_self.push(l.fp.own[i]);
                fp_view.push(l.fp.view[i]);
                continue;
            }
            let own = own_hash(&mut self.view_hashes, site, metas, i, *gen);
            let view = view_hash(site, i, own);
            // The page's own HTML: what it shows of pages it names in its prose changes it
            // without a change to its file.
            let mut h = rustc_hash::FxHasher::default();
            (view, gen, metas[i].html_hash, as_of).hash(&mut h);
            fp_self.push(h.finish());
            fp_view.push(view);
        }
        Fingerprints {
            gens,
            own: fp_self,
            view: fp_view,
        }
    }
}

/// A hash of a page's own data (front matter, summary, headings), kept per file generation.
fn own_hash(
    view_hashes: &mut FxHashMap<FileId, (u64, u64)>,
    site: &SiteData,
    metas: &[Arc<MdMeta>],
    i: usize,
    gen: u64,
) -> u64 {
    let p = &site.pages[i];
    if let (Origin::File, Some((g, h))) = (&p.origin, view_hashes.get(&p.file)) {
        if *g == gen {
            return *h;
        }
    }
    let mut h = rustc_hash::FxHasher::default();
    format!("{:?}", p.front).hash(&mut h);
    site.summaries[i].hash(&mut h);
    metas[i].headings.hash(&mut h);
    let h = h.finish();
    if p.origin == Origin::File {
        view_hashes.insert(p.file, (gen, h));
    }
    h
}

/// A hash of what other pages' templates can see of page `i`: its own data and its place in
/// the graph.
fn view_hash(site: &SiteData, i: usize, own: u64) -> u64 {
    let p = &site.pages[i];
    let mut h = rustc_hash::FxHasher::default();
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
    let backlinks = &site.backlinks;
    for g in &backlinks.groups[i] {
        (&g.source_type, &g.field, &g.pages).hash(&mut h);
    }
    backlinks.by_anchor[i].hash(&mut h);
    backlinks.incoming[i].hash(&mut h);
    for r in &site.refs[i] {
        (&r.field, r.target, &r.anchor).hash(&mut h);
    }
    site.updated[i].hash(&mut h);
    h.finish()
}

/// Everything Markdown rendering depends on besides the page's own text.
pub(super) fn context_hash(
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
pub(super) fn same_front(old: &Page, new: &Page) -> bool {
    old.front_range == new.front_range
        && old.body_start == new.body_start
        && old.key == new.key
        && old.is_section == new.is_section
        && old.type_name == new.type_name
        && old.front == new.front
        && old.front.fields.keys().eq(new.front.fields.keys())
}
