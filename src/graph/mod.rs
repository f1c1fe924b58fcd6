//! The reference graph: the id index, resolution of front matter references, and backlinks.
//!
//! Pure functions of the assembled pages. A reference resolves to a `PageId` (plus an
//! optional anchor) or becomes a diagnostic with a suggestion. Anchors are checked later,
//! once every page is rendered and its headings are known (see [`check_anchors`]).

pub mod backlinks;
pub mod keys;
pub mod links;
pub mod tables;

use std::collections::HashMap;

use crate::content::model::{FieldValue, Page, PageId, RefValue};
use crate::diag::{article, did_you_mean, Diagnostic, FileId, SourceMap, Span};
use crate::yaml::{LazyIndex, Part, YamlIndex};

/// Lookup tables from the strings editors write to pages.
#[derive(Debug, Default)]
pub struct PageIndex {
    by_id: HashMap<String, PageId>,
    by_source: HashMap<String, PageId>,
    by_url: HashMap<String, PageId>,
}

impl PageIndex {
    /// Builds the index. Declared ids and path-derived ids both resolve. A declared id equal
    /// to another page's path-derived id is a `duplicate-id` error (reported by `content`);
    /// the path-derived id keeps resolving to its own page, so references do not silently
    /// move to the declaring page.
    pub fn build(pages: &[Page]) -> Self {
        let mut index = PageIndex::default();
        for (i, page) in pages.iter().enumerate() {
            let id = PageId(i as u32);
            index.by_url.insert(page.url.0.clone(), id);
            if page.origin != crate::content::model::Origin::File {
                continue;
            }
            index.by_id.insert(page.key.clone(), id);
            index.by_source.insert(page.rel_path.clone(), id);
        }
        for (i, page) in pages.iter().enumerate() {
            if let Some(declared) = &page.front.id {
                let id = PageId(i as u32);
                let taken = index
                    .by_id
                    .get(declared)
                    .is_some_and(|&other| other != id && pages[other.index()].key == *declared);
                if !taken {
                    index.by_id.insert(declared.clone(), id);
                }
            }
        }
        index
    }

    /// A page by id (declared or path-derived).
    pub fn by_id(&self, id: &str) -> Option<PageId> {
        self.by_id.get(id).copied()
    }

    /// A page by source path under `content/` (`countries/peru/_index.md`).
    pub fn by_source(&self, path: &str) -> Option<PageId> {
        self.by_source.get(path).copied()
    }

    /// A page by URL path (`/countries/peru/`).
    pub fn by_url(&self, url: &str) -> Option<PageId> {
        self.by_url.get(url).copied()
    }

    /// The page a root-relative link names: `/things/alpha` finds `/things/alpha/`, a path
    /// with a dot (`/style.css`) is taken as written.
    pub fn by_link_path(&self, path: &str) -> Option<PageId> {
        if path.ends_with('/') || path.contains('.') {
            self.by_url(path)
        } else {
            self.by_url(&format!("{path}/"))
        }
    }

    /// The closest known id, for "did you mean".
    pub fn suggest_id(&self, wanted: &str) -> Option<&str> {
        did_you_mean(wanted, self.by_id.keys().map(String::as_str))
    }

    /// The closest known source path, for "did you mean".
    pub fn suggest_source(&self, wanted: &str) -> Option<&str> {
        did_you_mean(wanted, self.by_source.keys().map(String::as_str))
    }
}

/// A front matter reference after resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedRef {
    /// The referring field.
    pub field: String,
    /// The target page.
    pub target: PageId,
    /// The anchor, if one was named.
    pub anchor: Option<String>,
    /// The front matter block the reference is written in (see [`ResolvedRef::span_in`]).
    pub span: Span,
    /// Its path in the front matter (identifies the value among a field's list items).
    pub path: Vec<crate::yaml::PathSeg>,
}

/// Resolves every reference in every page's front matter.
pub fn resolve_refs(
    pages: &[Page],
    index: &PageIndex,
    sources: &SourceMap,
) -> (Vec<Vec<ResolvedRef>>, Vec<Diagnostic>) {
    use rayon::prelude::*;
    // Pages in parallel; results and diagnostics kept in page order.
    let per_page: Vec<(Vec<ResolvedRef>, Vec<Diagnostic>)> = pages
        .par_iter()
        .map(|page| {
            let (mut out, mut diags) = (Vec::new(), Vec::new());
            let yaml_text = sources
                .get(page.file)
                .text
                .get(page.front_range.clone())
                .unwrap_or_default();
            // Built at the page's first broken reference, then shared by the others.
            let positions = LazyIndex::new(yaml_text);
            let cx = RefContext {
                page,
                pages,
                index,
                positions: &positions,
            };
            for (field, value) in &page.front.fields {
                for r in refs_in(value) {
                    match resolve_one(&cx, field, r) {
                        Ok(resolved) => out.push(resolved),
                        Err(d) => diags.push(d),
                    }
                }
            }
            (out, diags)
        })
        .collect();
    let mut all = Vec::with_capacity(pages.len());
    let mut diags = Vec::new();
    for (out, d) in per_page {
        all.push(out);
        diags.extend(d);
    }
    (all, diags)
}

/// Every reference inside a value (lists flattened).
pub fn refs_in(value: &FieldValue) -> Vec<&RefValue> {
    match value {
        FieldValue::Ref(r) => vec![r],
        FieldValue::List(items) => items.iter().flat_map(refs_in).collect(),
        _ => Vec::new(),
    }
}

fn value_span(
    file: crate::diag::FileId,
    front: &std::ops::Range<usize>,
    path: &[crate::yaml::PathSeg],
    positions: &YamlIndex,
) -> Span {
    let range = positions.locate(path, Part::Value).unwrap_or(0..1);
    Span::new(file, front.start + range.start..front.start + range.end)
}

impl ResolvedRef {
    /// The exact span of the reference's value, given the index of its front matter block
    /// (built only when a diagnostic needs it, once per block).
    pub fn span_in(&self, positions: &YamlIndex) -> Span {
        value_span(self.span.file, &self.span.range, &self.path, positions)
    }
}

/// Where an anchor is named: a known span, or a front matter reference (located on demand).
#[derive(Debug, Clone, Copy)]
pub enum AnchorSite<'a> {
    /// A prose link.
    Span(&'a Span),
    /// A front matter reference.
    Ref(&'a ResolvedRef),
}

/// What resolving one page's references needs.
struct RefContext<'a> {
    page: &'a Page,
    pages: &'a [Page],
    index: &'a PageIndex,
    /// Positions in the page's front matter, for diagnostics.
    positions: &'a LazyIndex<'a>,
}

fn resolve_one(cx: &RefContext<'_>, field: &str, r: &RefValue) -> Result<ResolvedRef, Diagnostic> {
    let RefContext {
        page, pages, index, ..
    } = *cx;
    let span = || value_span(page.file, &page.front_range, &r.path, cx.positions.get());
    let Some(target) = index.by_id(&r.id) else {
        let help = match index.suggest_id(&r.id) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "write the id of an existing page: its path under content/ without `.md`"
                .to_string(),
        };
        return Err(Diagnostic::error(
            "unknown-reference",
            format!("`{field}` refers to `{}`, which does not exist", r.id),
        )
        .at(span(), "no page has this id")
        .help(help));
    };
    let target_page = &pages[target.index()];
    if let Some(want) = &r.to {
        if target_page.type_name.as_deref() != Some(want.as_str()) {
            let actual = match target_page.type_name.as_deref() {
                Some(t) => format!("{} `{t}` page", article(t)),
                None => "an untyped page".to_string(),
            };
            return Err(Diagnostic::error(
                "wrong-reference-type",
                format!(
                    "`{field}` needs {} `{want}` page, but `{}` is {actual}",
                    article(want),
                    r.id
                ),
            )
            .at(span(), format!("expected {} `{want}`", article(want)))
            .help(format!("refer to a page of type `{want}`")));
        }
    }
    if r.citation && r.anchor.is_none() {
        return Err(Diagnostic::error(
            "missing-anchor",
            format!("citation `{}` names no anchor", r.id),
        )
        .at(span(), "add `#anchor`")
        .help(format!(
            "name a heading or anchor of that page, e.g. `{}#section-title`",
            r.id
        )));
    }
    Ok(ResolvedRef {
        field: field.to_string(),
        target,
        anchor: r.anchor.clone(),
        span: Span::new(page.file, page.front_range.clone()),
        path: r.path.clone(),
    })
}

/// Checks that every anchor named by a reference or link exists on its target page.
pub fn check_anchors<'a>(
    targets: impl Iterator<Item = (PageId, &'a str, AnchorSite<'a>)>,
    anchors: &[&std::collections::HashSet<String>],
    pages: &[Page],
    sources: &SourceMap,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    // One position index per front matter block with a broken anchor.
    let mut positions: HashMap<FileId, YamlIndex> = HashMap::new();
    for (target, anchor, span) in targets {
        let known = &anchors[target.index()];
        if known.contains(anchor) {
            continue;
        }
        let page = &pages[target.index()];
        let help = match did_you_mean(anchor, known.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `#{s}`?"),
            None if known.is_empty() => format!("`{}` has no headings to link to", page.key),
            None => {
                let mut list: Vec<&str> = known.iter().map(String::as_str).collect();
                list.sort_unstable();
                list.truncate(12);
                format!("anchors on `{}`: {}", page.key, list.join(", "))
            }
        };
        diags.push(
            Diagnostic::error(
                "broken-anchor",
                format!("anchor `#{anchor}` does not exist on `{}`", page.key),
            )
            .at(
                match span {
                    AnchorSite::Span(s) => s.clone(),
                    AnchorSite::Ref(r) => {
                        r.span_in(positions.entry(r.span.file).or_insert_with(|| {
                            let text = &sources.get(r.span.file).text;
                            YamlIndex::build(text.get(r.span.range.clone()).unwrap_or_default())
                        }))
                    }
                },
                "no heading or anchor with this id",
            )
            .help(help),
        );
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::model::{FrontMatter, Origin, UrlPath};
    use crate::diag::FileId;

    fn page(n: u32, key: &str, declared: Option<&str>) -> Page {
        Page {
            file: FileId(n),
            rel_path: format!("{key}.md"),
            key: key.into(),
            is_section: false,
            front: std::sync::Arc::new(FrontMatter {
                id: declared.map(str::to_string),
                ..FrontMatter::default()
            }),
            front_range: 0..0,
            body_start: None,
            type_name: None,
            url: UrlPath(format!("/{key}/")),
            parent: None,
            pages: Vec::new(),
            subsections: Vec::new(),
            origin: Origin::File,
        }
    }

    #[test]
    fn a_declared_id_does_not_take_another_pages_path_id() {
        let pages = [
            page(0, "convention", None),
            page(1, "glossary/cn", Some("convention")),
            page(2, "glossary/un", Some("un")),
        ];
        let index = PageIndex::build(&pages);
        assert_eq!(index.by_id("convention"), Some(PageId(0)));
        assert_eq!(index.by_id("glossary/cn"), Some(PageId(1)));
        assert_eq!(index.by_id("un"), Some(PageId(2)));
        assert_eq!(index.by_id("glossary/un"), Some(PageId(2)));
    }
}
