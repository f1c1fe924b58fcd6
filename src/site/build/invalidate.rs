//! What a rebuild must redo: per-page fingerprints (everything about a page, and what other
//! pages can see of it), the pages whose templates must run again, and the context that
//! decides whether a page's Markdown can be reused.

use super::*;

impl Rebuilder {
    /// Which pages' templates must run: all of them without a usable last build; otherwise
    /// pages whose fingerprint changed, and pages that read a changed page or list a type whose
    /// membership changed.
    pub(super) fn pages_to_render(
        &self,
        site: &SiteData,
        fp_self: &[u64],
        fp_view: &[u64],
    ) -> Vec<bool> {
        let n = site.pages.len();
        let Some(last) = &self.last else {
            return vec![true; n];
        };
        if last.keys.len() != n || site.pages.iter().zip(&last.keys).any(|(p, k)| p.key != *k) {
            return vec![true; n];
        }
        let seen_changed: Vec<bool> = (0..n).map(|i| fp_view[i] != last.fp_view[i]).collect();
        // A list of a type changed when its pages or their order did (a weight, a date, a
        // title, a page that joined or left the type).
        let changed_types: HashSet<&str> = last
            .type_orders
            .iter()
            .filter(|(t, h)| super::emit::type_order(site, t) != **h)
            .map(|(t, _)| t.as_str())
            .collect();
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
    pub(super) fn fingerprints(
        generation: &HashMap<FileId, u64>,
        view_hashes: &mut HashMap<FileId, (u64, u64)>,
        (pages, backlinks, refs): (
            &[Page],
            &crate::graph::backlinks::Backlinks,
            &[Vec<crate::graph::ResolvedRef>],
        ),
        metas: &[Arc<MdMeta>],
        summaries: &[String],
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
        && old.key == new.key
        && old.is_section == new.is_section
        && old.type_name == new.type_name
        && old.front == new.front
        && old.front.fields.keys().eq(new.front.fields.keys())
}
