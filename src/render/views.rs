//! The template context: explicit view objects over the built site.
//!
//! Templates never see internal types. They get [`PageView`] (one page, with its fields,
//! resolved references and grouped backreferences), [`SiteView`] and plain values. Views are
//! lazy minijinja objects over one shared [`SiteData`], so a template can walk the graph
//! (`page.backrefs[0].pages[0].fields.country.title`) without serializing the whole site.

use std::cell::RefCell;
use std::sync::Arc;

use minijinja::value::{Enumerator, Object, ObjectRepr, Value};

use crate::config::FieldKind;
use crate::content::model::{FieldValue, Origin, PageId};
use crate::render::markdown::render_inline_with;
use crate::site_data::SiteData;

/// What one page's rendering read: the pages whose data it used, and the types it listed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RenderDeps {
    /// Pages whose attributes were read (sorted, unique).
    pub pages: Vec<PageId>,
    /// Types listed with `pages_of_type` (sorted, unique).
    pub types: Vec<String>,
}

thread_local! {
    /// The dependency log of the render running on this thread, if one is being recorded.
    static DEPS: RefCell<Option<RenderDeps>> = const { RefCell::new(None) };
}

/// Runs `f` (one template render on this thread) and returns what it read.
pub fn record_deps<T>(f: impl FnOnce() -> T) -> (T, RenderDeps) {
    DEPS.with(|d| *d.borrow_mut() = Some(RenderDeps::default()));
    let out = f();
    let mut deps = DEPS.with(|d| d.borrow_mut().take()).unwrap_or_default();
    deps.pages.sort_unstable();
    deps.pages.dedup();
    deps.types.sort_unstable();
    deps.types.dedup();
    (out, deps)
}

fn note_page(id: PageId) {
    DEPS.with(|d| {
        if let Some(deps) = d.borrow_mut().as_mut() {
            deps.pages.push(id);
        }
    });
}

fn note_type(t: &str) {
    DEPS.with(|d| {
        if let Some(deps) = d.borrow_mut().as_mut() {
            deps.types.push(t.to_string());
        }
    });
}

impl SiteData {
    /// A view of one page.
    pub fn page_value(self: &Arc<Self>, id: PageId) -> Value {
        Value::from_object(PageView {
            site: Arc::clone(self),
            id,
        })
    }

    fn page_list(self: &Arc<Self>, ids: &[PageId]) -> Value {
        Value::from(
            ids.iter()
                .map(|id| self.page_value(*id))
                .collect::<Vec<_>>(),
        )
    }

    /// Pages of a type in a stable order (weight, then title).
    pub fn pages_of_type(self: &Arc<Self>, type_name: &str) -> Value {
        note_type(type_name);
        self.page_list(&self.type_ids(type_name))
    }

    /// Groups `pages` by the first target of their reference field `field`: a list of
    /// `{key, pages}` maps, groups in the targets' order (weight, then title), pages in their
    /// given order within a group; pages without the field come last, under `key = none`.
    /// Values that are not pages are left out. The same result as selecting each target's
    /// pages with `selectattr("fields.<field>.url", …)`, in one pass.
    pub fn group_by(self: &Arc<Self>, pages: &[Value], field: &str) -> Value {
        let mut groups: Vec<(Option<PageId>, Vec<Value>)> = Vec::new();
        let mut slot: std::collections::HashMap<Option<PageId>, usize> = Default::default();
        for v in pages {
            let Some(view) = v.downcast_object_ref::<PageView>() else {
                continue;
            };
            note_page(view.id);
            let target = self.refs[view.id.index()]
                .iter()
                .find(|r| r.field == field)
                .map(|r| r.target);
            if let Some(t) = target {
                note_page(t);
            }
            let i = *slot.entry(target).or_insert_with(|| {
                groups.push((target, Vec::new()));
                groups.len() - 1
            });
            groups[i].1.push(v.clone());
        }
        let mut keyed: Vec<PageId> = groups.iter().filter_map(|(k, _)| *k).collect();
        crate::content::sort_pages(
            &mut keyed,
            &self.pages,
            crate::content::model::SortBy::Weight,
        );
        let rank: std::collections::HashMap<PageId, usize> =
            keyed.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        groups.sort_by_key(|(k, _)| k.map_or(usize::MAX, |id| rank[&id]));
        Value::from(
            groups
                .into_iter()
                .map(|(k, list)| {
                    Value::from_iter([
                        ("key", k.map_or(Value::from(()), |id| self.page_value(id))),
                        ("pages", Value::from(list)),
                    ])
                })
                .collect::<Vec<_>>(),
        )
    }

    fn type_label(&self, t: &str, plural: bool) -> String {
        let def = self.config.types.get(t);
        let label = if plural {
            def.and_then(|d| d.plural.clone())
        } else {
            def.and_then(|d| d.label.clone())
        };
        label.unwrap_or_else(|| t.to_string())
    }

    fn field_label(&self, t: &str, field: &str) -> String {
        self.config
            .types
            .get(t)
            .and_then(|d| d.fields.get(field))
            .and_then(|f| f.label.clone())
            .unwrap_or_else(|| field.replace('_', " "))
    }
}

/// One page, as templates see it.
#[derive(Debug)]
pub struct PageView {
    site: Arc<SiteData>,
    id: PageId,
}

impl std::fmt::Debug for SiteData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SiteData({} pages)", self.pages.len())
    }
}

const PAGE_KEYS: &[&str] = &[
    "id",
    "key",
    "title",
    "short_title",
    "description",
    "summary",
    "url",
    "permalink",
    "type",
    "type_label",
    "is_section",
    "weight",
    "date",
    "updated",
    "fields",
    "ranks",
    "labels",
    "field_list",
    "backrefs",
    "cited_by",
    "pages",
    "page_count",
    "sort_by",
    "subsections",
    "parent",
    "previous",
    "next",
    "ancestors",
    "toc",
    "source_path",
    "edit_url",
    "source",
    "incoming",
    "history",
];

impl Object for PageView {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(PAGE_KEYS)
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        note_page(self.id);
        let site = &self.site;
        let page = &site.pages[self.id.index()];
        let v = match key.as_str()? {
            "id" => Value::from(page.public_id()),
            "key" => Value::from(page.key.as_str()),
            "title" => Value::from(page.front.title.as_str()),
            "short_title" => Value::from(
                page.front
                    .short_title
                    .as_deref()
                    .unwrap_or(page.front.title.as_str()),
            ),
            "description" => Value::from(page.front.description.clone()),
            "summary" => Value::from(&*site.summaries[self.id.index()]),
            "url" => Value::from(page.url.as_str()),
            "permalink" => Value::from(format!("{}{}", site.config.base(), page.url.as_str())),
            "type" => Value::from(page.type_name.clone()),
            "type_label" => {
                Value::from(page.type_name.as_deref().map(|t| site.type_label(t, false)))
            }
            "is_section" => Value::from(page.is_section),
            "weight" => Value::from(page.front.weight),
            "date" => Value::from(page.front.date.clone()),
            "updated" => Value::from(site.updated[self.id.index()].clone()),
            "history" => site.page_history(self.id),
            "fields" => Value::from_object(FieldsView {
                site: Arc::clone(site),
                id: self.id,
            }),
            "ranks" => self.ranks(),
            "labels" => self.labels(),
            "field_list" => self.field_list(),
            "backrefs" => self.backrefs(),
            "cited_by" => {
                let map = &site.backlinks.by_anchor[self.id.index()];
                Value::from_iter(
                    map.iter()
                        .map(|(anchor, ids)| (anchor.clone(), site.page_list(ids))),
                )
            }
            "pages" => site.page_list(&page.pages),
            // How many: a sidebar can decide how much of a long list to show without
            // listing it (which would make every page of a section cost the section's size).
            "page_count" => Value::from(page.pages.len()),
            "sort_by" => Value::from(page.front.sort_by.as_str()),
            "subsections" => site.page_list(&page.subsections),
            "parent" => page.parent.map_or(Value::from(()), |p| site.page_value(p)),
            // The neighbours in the parent's list: the page depends on that list's order,
            // which is part of what the parent shows (its view fingerprint).
            "previous" | "next" => {
                let offset = if key.as_str() == Some("next") { 1 } else { -1 };
                if let Some(parent) = page.parent {
                    note_page(parent);
                }
                site.sibling(self.id, offset)
                    .map_or(Value::from(()), |p| site.page_value(p))
            }
            "ancestors" => {
                let mut chain = Vec::new();
                let mut cur = page.parent;
                while let Some(p) = cur {
                    chain.push(p);
                    cur = site.pages[p.index()].parent;
                }
                chain.reverse();
                site.page_list(&chain)
            }
            "toc" => Value::from(
                site.headings[self.id.index()]
                    .iter()
                    .filter(|h| (2..=3).contains(&h.level))
                    .map(|h| {
                        Value::from_iter([
                            ("level", Value::from(h.level)),
                            ("id", Value::from(h.id.as_str())),
                            ("title", Value::from(h.text.as_str())),
                        ])
                    })
                    .collect::<Vec<_>>(),
            ),
            "source_path" => Value::from(format!("content/{}", page.rel_path)),
            "edit_url" => match (&site.config.repository, &page.origin) {
                (Some(repo), Origin::File) => {
                    Value::from(format!("{}content/{}", ensure_slash(repo), page.rel_path))
                }
                _ => Value::from(()),
            },
            "source" => match page.origin {
                Origin::Generated { source, .. } => site.page_value(source),
                Origin::File => Value::from(()),
            },
            "incoming" => Value::from(site.backlinks.incoming[self.id.index()]),
            _ => return None,
        };
        Some(v)
    }
}

fn ensure_slash(s: &str) -> String {
    if s.ends_with('/') {
        s.to_string()
    } else {
        format!("{s}/")
    }
}

/// An enum value's position among the values its field declares.
fn enum_rank(def: &crate::config::FieldDef, value: &str) -> Option<usize> {
    def.values.iter().position(|x| x == value)
}

impl PageView {
    /// Each enum field's value as its position among the declared values (`0` for the first),
    /// so that `sort(attribute="ranks.status")` sorts in the declared order.
    fn ranks(&self) -> Value {
        let site = &self.site;
        let page = &site.pages[self.id.index()];
        let t = page.type_name.as_deref().unwrap_or_default();
        let Some(defs) = site.config.types.get(t).map(|d| &d.fields) else {
            return Value::from_iter(std::iter::empty::<(String, Value)>());
        };
        Value::from_iter(page.front.fields.iter().filter_map(|(name, v)| {
            let (FieldValue::Enum(e), Some(def)) = (v, defs.get(name)) else {
                return None;
            };
            Some((name.clone(), Value::from(enum_rank(def, e)?)))
        }))
    }

    /// Each enum field's value as a reader sees it (its declared label): `page.labels.status`.
    fn labels(&self) -> Value {
        let site = &self.site;
        let page = &site.pages[self.id.index()];
        let defs = page
            .type_name
            .as_deref()
            .and_then(|t| site.config.types.get(t))
            .map(|d| &d.fields);
        Value::from_iter(page.front.fields.iter().filter_map(|(name, v)| {
            let (FieldValue::Enum(e), Some(def)) = (v, defs.and_then(|d| d.get(name))) else {
                return None;
            };
            Some((name.clone(), Value::from(def.value_label(e))))
        }))
    }

    fn field_list(&self) -> Value {
        let site = &self.site;
        let page = &site.pages[self.id.index()];
        let t = page.type_name.as_deref().unwrap_or_default();
        let defs = site.config.types.get(t).map(|d| &d.fields);
        // The field (declared `certainty: <field>`) that qualifies a field, or the page.
        let qualifier_of = |target: &str| {
            let mut all = defs.into_iter().flatten();
            let found = all.find(|(_, d)| d.certainty.as_deref() == Some(target));
            found.and_then(|(q, _)| match page.front.fields.get(q) {
                Some(FieldValue::Enum(v)) => Some(mark_value(site, v)),
                _ => None,
            })
        };
        let items: Vec<Value> = page
            .front
            .fields
            .iter()
            .map(|(name, v)| {
                let def = defs.and_then(|d| d.get(name));
                let kind = def
                    .map(|d| match d.kind {
                        FieldKind::List => d.of.as_ref().map_or("list", |o| kind_name(o.kind)),
                        k => kind_name(k),
                    })
                    .unwrap_or("string");
                let qualifies = def.and_then(|d| d.certainty.as_deref());
                let mark = match (qualifies, v) {
                    (Some(_), FieldValue::Enum(v)) => Some(mark_value(site, v)),
                    _ => None,
                };
                let (rank, values, value_label) = match (def, v) {
                    (Some(d), FieldValue::Enum(e)) if d.kind == FieldKind::Enum => (
                        enum_rank(d, e),
                        Some(d.values.clone()),
                        Some(d.value_label(e)),
                    ),
                    _ => (None, None, None),
                };
                Value::from_iter([
                    ("rank", Value::from(rank)),
                    ("values", Value::from(values)),
                    ("value_label", Value::from(value_label)),
                    ("certainty", Value::from(qualifier_of(name))),
                    ("qualifies", Value::from(qualifies)),
                    ("mark", Value::from(mark)),
                    ("name", Value::from(name.as_str())),
                    ("label", Value::from(site.field_label(t, name))),
                    ("kind", Value::from(kind)),
                    ("is_list", Value::from(matches!(v, FieldValue::List(_)))),
                    ("value", field_value(site, self.id, name, v)),
                ])
            })
            .collect();
        Value::from(items)
    }

    fn backrefs(&self) -> Value {
        let site = &self.site;
        let groups = &site.backlinks.groups[self.id.index()];
        Value::from(
            groups
                .iter()
                .map(|g| {
                    Value::from_iter([
                        ("type", Value::from(g.source_type.as_str())),
                        (
                            "type_label",
                            Value::from(site.type_label(&g.source_type, true)),
                        ),
                        ("field", Value::from(g.field.as_str())),
                        (
                            "field_label",
                            Value::from(site.field_label(&g.source_type, &g.field)),
                        ),
                        ("pages", site.page_list(&g.pages)),
                    ])
                })
                .collect::<Vec<_>>(),
        )
    }
}

/// Renders a `text` field's inline Markdown (used by the `markdown` filter).
pub fn markdown_filter(site: &SiteData, text: &str, allow_raw_html: bool) -> Value {
    let resolve = |dest: &str| match crate::graph::links::classify_link(dest, "") {
        crate::graph::links::LinkTarget::Source { path, anchor } => {
            let id = site.index.by_source(&path)?;
            // The page shows the target's URL: it depends on it.
            note_page(id);
            let anchor = anchor.filter(|a| !a.is_empty());
            Some(site.pages[id.index()].url.with_anchor(anchor.as_deref()))
        }
        _ => None,
    };
    Value::from_safe_string(render_inline_with(
        text,
        allow_raw_html,
        &site.marks,
        &resolve,
    ))
}

mod changes;
mod fields;
mod history;
mod tables;

use fields::{convert, field_value, kind_name, mark_value, FieldsView};

#[cfg(test)]
mod tests;
