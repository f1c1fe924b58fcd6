//! The typed fields of a page as templates see them: `page.fields.<name>`, references
//! resolved to the page they name (and recorded as read), certainty values with their marks.

use std::sync::Arc;

use minijinja::value::{Enumerator, Object, ObjectRepr, Value};

use super::note_page;
use crate::config::FieldKind;
use crate::content::model::{FieldValue, PageId};
use crate::graph::ResolvedRef;
use crate::site_data::SiteData;

pub(super) fn kind_name(k: FieldKind) -> &'static str {
    match k {
        FieldKind::String => "string",
        FieldKind::Text => "text",
        FieldKind::Integer => "integer",
        FieldKind::Number => "number",
        FieldKind::Bool => "bool",
        FieldKind::Date => "date",
        FieldKind::Enum => "enum",
        FieldKind::List => "list",
        FieldKind::Reference => "reference",
        FieldKind::Citation => "citation",
    }
}

/// The typed fields of a page: `page.fields.country` etc.
#[derive(Debug)]
pub(super) struct FieldsView {
    pub(super) site: Arc<SiteData>,
    pub(super) id: PageId,
}

impl Object for FieldsView {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        note_page(self.id);
        let page = &self.site.pages[self.id.index()];
        Enumerator::Values(
            page.front
                .fields
                .keys()
                .map(|k| Value::from(k.as_str()))
                .collect(),
        )
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let name = key.as_str()?;
        note_page(self.id);
        let page = &self.site.pages[self.id.index()];
        let v = page.front.fields.get(name)?;
        Some(field_value(&self.site, self.id, name, v))
    }
}

/// A field value for templates. References become `{page, anchor, url, title}` maps.
pub(super) fn field_value(site: &Arc<SiteData>, id: PageId, field: &str, v: &FieldValue) -> Value {
    let refs: Vec<&ResolvedRef> = site.refs[id.index()]
        .iter()
        .filter(|r| r.field == field)
        .collect();
    convert(site, v, &refs)
}

pub(super) fn convert(site: &Arc<SiteData>, v: &FieldValue, refs: &[&ResolvedRef]) -> Value {
    match v {
        FieldValue::Str(s) | FieldValue::Date(s) | FieldValue::Enum(s) => Value::from(s.as_str()),
        FieldValue::Int(n) => Value::from(*n),
        FieldValue::Num(n) => Value::from(*n),
        FieldValue::Bool(b) => Value::from(*b),
        FieldValue::List(items) => Value::from(
            items
                .iter()
                .map(|i| convert(site, i, refs))
                .collect::<Vec<_>>(),
        ),
        FieldValue::Ref(r) => match refs.iter().find(|x| x.path == r.path) {
            Some(resolved) => {
                // The title and URL below are the target's data: record the read.
                note_page(resolved.target);
                let target = &site.pages[resolved.target.index()];
                let url = match &resolved.anchor {
                    Some(a) => format!("{}#{a}", target.url.as_str()),
                    None => target.url.0.clone(),
                };
                // The heading the anchor is on, if it is one (the target's headings are part
                // of what the read above records).
                let anchor_title = resolved.anchor.as_deref().and_then(|a| {
                    let headings = &site.headings[resolved.target.index()];
                    headings.iter().find(|h| h.id == a).map(|h| h.text.as_str())
                });
                Value::from_iter([
                    ("page", site.page_value(resolved.target)),
                    ("title", Value::from(target.front.title.as_str())),
                    ("anchor", Value::from(resolved.anchor.clone())),
                    ("anchor_title", Value::from(anchor_title)),
                    ("url", Value::from(url)),
                    ("id", Value::from(r.id.as_str())),
                ])
            }
            // Unresolved (the build reports it): keep the shape so templates do not fail too.
            None => Value::from_iter([
                ("page", Value::from(())),
                ("title", Value::from(r.id.as_str())),
                ("anchor", Value::from(r.anchor.clone())),
                ("anchor_title", Value::from(())),
                ("url", Value::from("#")),
                ("id", Value::from(r.id.as_str())),
            ]),
        },
    }
}

/// A certainty value as templates see it: the value, and the mark declared for it (`label`,
/// `title`, `class`, `badge` as HTML; `written` when the mark is one written in text).
pub(super) fn mark_value(site: &SiteData, value: &str) -> Value {
    let mark = site.marks.for_value(value);
    let label = mark.map_or(value, |m| m.label.as_str());
    Value::from_iter([
        ("value", Value::from(value)),
        ("label", Value::from(label)),
        ("title", Value::from(mark.map(|m| m.title.as_str()))),
        ("class", Value::from(mark.map(|m| m.class.as_str()))),
        (
            "written",
            Value::from(mark.is_some_and(|m| m.text.is_some())),
        ),
        (
            "badge",
            Value::from_safe_string(mark.map_or_else(
                || crate::render::marks::escape_html(value),
                crate::render::marks::badge,
            )),
        ),
    ])
}
