//! `changes(a, b, field)`: what changed in a list field from one page to another (the
//! countries listed in one fiscal year against the next), computed from the data so that
//! "added" and "removed" are never typed by hand.

use std::sync::Arc;

use minijinja::Value;

use super::{convert, note_page, PageView};
use crate::content::model::{FieldValue, PageId};
use crate::content::scalar_text;
use crate::graph::ResolvedRef;
use crate::site_data::SiteData;

/// What an item is compared by: the page a reference names, or a scalar's text.
#[derive(PartialEq, Eq)]
enum ItemKey {
    Page(PageId),
    Text(String),
}

impl SiteData {
    /// `{added, removed, kept}` between `field` of page `a` and of page `b`: the items of `b`
    /// that `a` lacks and those both have (in `b`'s order), the items of `a` that `b` lacks
    /// (in `a`'s order). A missing page (`none`) or field has no items. References compare
    /// by the page they name; items show as the field's values do.
    pub fn changes(self: &Arc<Self>, a: &Value, b: &Value, field: &str) -> Value {
        let (old, new) = (self.items(a, field), self.items(b, field));
        let has = |list: &[(ItemKey, Value)], k: &ItemKey| list.iter().any(|(x, _)| x == k);
        let pick = |from: &[(ItemKey, Value)], other: &[(ItemKey, Value)], present: bool| {
            from.iter()
                .filter(|(k, _)| has(other, k) == present)
                .map(|(_, v)| v.clone())
                .collect::<Vec<_>>()
        };
        Value::from_iter([
            ("added", Value::from(pick(&new, &old, false))),
            ("removed", Value::from(pick(&old, &new, false))),
            ("kept", Value::from(pick(&new, &old, true))),
        ])
    }

    /// The items of `field` on the page `v` (one item for a field that is not a list).
    fn items(self: &Arc<Self>, v: &Value, field: &str) -> Vec<(ItemKey, Value)> {
        let Some(view) = v.downcast_object_ref::<PageView>() else {
            return Vec::new();
        };
        note_page(view.id);
        let Some(value) = self.pages[view.id.index()].front.fields.get(field) else {
            return Vec::new();
        };
        let refs: Vec<&ResolvedRef> = self.refs[view.id.index()]
            .iter()
            .filter(|r| r.field == field)
            .collect();
        let items = match value {
            FieldValue::List(items) => items.iter().collect(),
            one => vec![one],
        };
        items
            .into_iter()
            .map(|item| {
                let key = match item {
                    FieldValue::Ref(r) => match refs.iter().find(|x| x.path == r.path) {
                        Some(resolved) => ItemKey::Page(resolved.target),
                        None => ItemKey::Text(r.id.clone()),
                    },
                    other => ItemKey::Text(scalar_text(other).unwrap_or_default()),
                };
                (key, convert(self, item, &refs))
            })
            .collect()
    }
}
