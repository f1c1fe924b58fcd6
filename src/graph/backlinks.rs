//! The reverse index: for each page, who refers to it, grouped by referring type and field.
//!
//! Built once after resolution from front matter references, plus prose links (which count
//! for "cited by" lists on anchors and for the orphan check, but are not grouped by field).

use std::collections::BTreeMap;

use crate::config::Config;
use crate::content::model::{Page, PageId};
use crate::graph::ResolvedRef;

/// One group of backreferences: pages of `source_type` whose `field` names this page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackrefGroup {
    /// Referring pages' type.
    pub source_type: String,
    /// Referring field.
    pub field: String,
    /// Referring pages, in section order (weight, then title).
    pub pages: Vec<PageId>,
}

/// Backlinks of every page.
#[derive(Debug, Default)]
pub struct Backlinks {
    /// Grouped front matter backreferences, per target page.
    pub groups: Vec<Vec<BackrefGroup>>,
    /// Pages that cite a given anchor of the target (front matter or prose), per target page.
    pub by_anchor: Vec<BTreeMap<String, Vec<PageId>>>,
    /// Number of distinct pages linking to each page (references, prose links, section lists).
    pub incoming: Vec<usize>,
}

/// A prose link from one page to another (after resolution).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProseLink {
    /// Linking page.
    pub from: PageId,
    /// Target page.
    pub to: PageId,
    /// Anchor, if any.
    pub anchor: Option<String>,
}

/// Keyed by (type position, field position, type, field): groups follow declaration order.
type GroupKey<'a> = (usize, usize, &'a str, &'a str);

/// The reverse index as it is collected, before its lists are ordered.
struct Collected<'a> {
    grouped: Vec<BTreeMap<GroupKey<'a>, Vec<PageId>>>,
    by_anchor: Vec<BTreeMap<String, Vec<PageId>>>,
    /// Every page linking to each page, with repeats.
    linkers: Vec<Vec<PageId>>,
}

/// Builds the reverse index.
pub fn build_backlinks(
    config: &Config,
    pages: &[Page],
    refs: &[Vec<ResolvedRef>],
    links: &[ProseLink],
) -> Backlinks {
    let mut c = collect_refs(config, pages, refs);
    for link in links {
        if link.from == link.to {
            continue;
        }
        if let Some(a) = &link.anchor {
            c.by_anchor[link.to.index()]
                .entry(a.clone())
                .or_default()
                .push(link.from);
        }
        c.linkers[link.to.index()].push(link.from);
    }
    for (i, page) in pages.iter().enumerate() {
        for child in page.pages.iter().chain(&page.subsections) {
            c.linkers[child.index()].push(PageId(i as u32));
        }
    }
    order(c, pages)
}

/// Front matter references, grouped by the referring type and field.
fn collect_refs<'a>(
    config: &Config,
    pages: &'a [Page],
    refs: &'a [Vec<ResolvedRef>],
) -> Collected<'a> {
    let n = pages.len();
    let mut c = Collected {
        grouped: vec![BTreeMap::new(); n],
        by_anchor: vec![BTreeMap::new(); n],
        linkers: vec![Vec::new(); n],
    };
    for (from, page_refs) in refs.iter().enumerate() {
        let from_id = PageId(from as u32);
        let from_type = pages[from].type_name.as_deref().unwrap_or_default();
        let type_pos = config.types.get_index_of(from_type).unwrap_or(usize::MAX);
        for r in page_refs {
            let field_pos = config
                .types
                .get(from_type)
                .and_then(|t| t.fields.get_index_of(&r.field))
                .unwrap_or(usize::MAX);
            let key = (type_pos, field_pos, from_type, r.field.as_str());
            let target = r.target.index();
            c.grouped[target].entry(key).or_default().push(from_id);
            if let Some(a) = &r.anchor {
                c.by_anchor[target]
                    .entry(a.clone())
                    .or_default()
                    .push(from_id);
            }
            c.linkers[target].push(from_id);
        }
    }
    c
}

/// Orders every list by weight, then date (so dated pages such as a timeline's events list
/// oldest first), then title, without repeats; and counts the distinct pages linking to each
/// page.
fn order(c: Collected<'_>, pages: &[Page]) -> Backlinks {
    use rayon::prelude::*;
    let order = |ids: &mut Vec<PageId>| {
        ids.sort_by(|a, b| {
            let (pa, pb) = (&pages[a.index()], &pages[b.index()]);
            let (fa, fb) = (&pa.front, &pb.front);
            (fa.weight, &fa.date, &fa.title, &pa.key)
                .cmp(&(fb.weight, &fb.date, &fb.title, &pb.key))
        });
        ids.dedup();
    };
    let groups = c
        .grouped
        .into_par_iter()
        .map(|m| {
            m.into_iter()
                .map(|((_, _, source_type, field), mut ids)| {
                    order(&mut ids);
                    BackrefGroup {
                        source_type: source_type.to_string(),
                        field: field.to_string(),
                        pages: ids,
                    }
                })
                .collect()
        })
        .collect();
    let mut by_anchor = c.by_anchor;
    by_anchor.par_iter_mut().for_each(|m| {
        for ids in m.values_mut() {
            order(ids);
        }
    });
    let incoming = c
        .linkers
        .into_iter()
        .map(|mut v| {
            v.sort_unstable();
            v.dedup();
            v.len()
        })
        .collect();
    Backlinks {
        groups,
        by_anchor,
        incoming,
    }
}

#[cfg(test)]
mod tests;
