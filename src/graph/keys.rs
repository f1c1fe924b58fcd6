//! Keys of types (`unique: [country, fiscal_year]` in site.yaml): no two pages of a type may
//! have the same values in the key's fields. References compare by the page they resolve to,
//! so `peru` and `countries/peru` are one key.

use std::collections::HashMap;

use crate::config::Config;
use crate::content::front_span;
use crate::content::model::{Origin, Page};
use crate::content::scalar_text;
use crate::diag::{Diagnostic, SourceMap};
use crate::graph::ResolvedRef;

/// One error per page whose key another page of its type has already, at the page's first
/// key field, with the first page's as the related place.
pub fn check_unique_keys(
    config: &Config,
    pages: &[Page],
    refs: &[Vec<ResolvedRef>],
    sources: &SourceMap,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (tname, tdef) in &config.types {
        if tdef.unique.is_empty() {
            continue;
        }
        let mut seen: HashMap<Vec<String>, usize> = HashMap::new();
        for (i, page) in pages.iter().enumerate() {
            if page.origin != Origin::File || page.type_name.as_deref() != Some(tname) {
                continue;
            }
            let Some(key) = key_of(&tdef.unique, page, &refs[i], pages) else {
                continue;
            };
            let Some(&first) = seen.get(&key) else {
                seen.insert(key, i);
                continue;
            };
            let shown: Vec<String> = tdef
                .unique
                .iter()
                .zip(&key)
                .map(|(f, v)| format!("{f} `{v}`"))
                .collect();
            let field = &tdef.unique[0];
            let other = &pages[first];
            diags.push(
                Diagnostic::error(
                    "duplicate-key",
                    format!("two `{tname}` pages have the same {}", shown.join(" and ")),
                )
                .at(
                    front_span(page, sources, field),
                    format!("also the key of `content/{}`", other.rel_path),
                )
                .with_related(front_span(other, sources, field), "first here")
                .help(format!(
                    "each `{tname}` needs its own {}: change one of the two pages, or remove one",
                    tdef.unique.join(" + ")
                )),
            );
        }
    }
    diags
}

/// The page's values of the key's fields, or `None` when one is missing or is a list.
fn key_of(
    fields: &[String],
    page: &Page,
    refs: &[ResolvedRef],
    pages: &[Page],
) -> Option<Vec<String>> {
    fields
        .iter()
        .map(|f| {
            let value = page.front.fields.get(f)?;
            match refs.iter().find(|r| &r.field == f) {
                Some(r) => Some(pages[r.target.index()].public_id().to_string()),
                None => scalar_text(value),
            }
        })
        .collect()
}
