//! `data/<type>.csv`: one row per page of a type, one column per declared field (RFC 4180:
//! CRLF line ends, fields quoted when they hold a comma, a quote or a line break).
//!
//! Columns: `id`, `url`, `title`, then the type's fields in declaration order. A reference is
//! the id of the page it resolves to (with `#anchor` when it names one); a list's items are
//! joined with `; `; a field the page does not set is empty.

use crate::config::Config;
use crate::content::model::{FieldValue, Origin, Page, RefValue};
use crate::graph::ResolvedRef;
use crate::site_data::SiteData;

/// The path of a type's CSV file.
pub fn csv_path(type_name: &str) -> String {
    format!("data/{}.csv", crate::content::model::slugify(type_name))
}

/// Every declared type's CSV path, in declaration order.
pub fn csv_paths(config: &Config) -> Vec<String> {
    config.types.keys().map(|t| csv_path(t)).collect()
}

/// The CSV of the pages of `type_name`, in page order (by path).
pub fn type_csv(site: &SiteData, type_name: &str) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let fields: Vec<&str> = site
        .config
        .types
        .get(type_name)
        .map(|t| t.fields.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let header = ["id", "url", "title"]
        .into_iter()
        .chain(fields.iter().copied());
    // Writing to a Vec cannot fail; a failure would be a bug in the csv crate.
    w.write_record(header)
        .expect("invariant: CSV into memory does not fail");
    for (i, page) in site.pages.iter().enumerate() {
        if page.origin != Origin::File || page.type_name.as_deref() != Some(type_name) {
            continue;
        }
        let mut row = vec![
            page.public_id().to_string(),
            page.url.0.clone(),
            page.front.title.clone(),
        ];
        for f in &fields {
            let cell = page
                .front
                .fields
                .get(*f)
                .map_or_else(String::new, |v| cell_text(v, &site.refs[i], &site.pages));
            row.push(cell);
        }
        w.write_record(&row)
            .expect("invariant: CSV into memory does not fail");
    }
    w.into_inner()
        .expect("invariant: CSV into memory does not fail")
}

fn cell_text(v: &FieldValue, refs: &[ResolvedRef], pages: &[Page]) -> String {
    match v {
        FieldValue::List(items) => items
            .iter()
            .map(|item| cell_text(item, refs, pages))
            .collect::<Vec<_>>()
            .join("; "),
        FieldValue::Ref(r) => ref_text(r, refs, pages),
        other => crate::content::scalar_text(other).unwrap_or_default(),
    }
}

/// A reference as the id of the page it resolves to (as written when it does not resolve:
/// the build reports that).
fn ref_text(r: &RefValue, refs: &[ResolvedRef], pages: &[Page]) -> String {
    let id = match refs.iter().find(|x| x.path == r.path) {
        Some(resolved) => pages[resolved.target.index()].public_id(),
        None => r.id.as_str(),
    };
    match &r.anchor {
        Some(a) => format!("{id}#{a}"),
        None => id.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_type_csv_has_a_row_per_page_and_quotes_what_needs_it() {
        let (site, diags, _) = crate::test_site::site_with(
            "title: T\nbase_url: https://x.org/\ntypes:\n  thing:\n    fields:\n      code: string\n      tags: { kind: list, of: string }\n      other: { kind: reference, to: thing }\n",
            &[
                ("things/a.md", "---\ntitle: \"A, the first\"\ntype: thing\ncode: \"say \\\"hi\\\"\"\ntags: [x, y]\nother: things/b#part\n---\n## Part\n"),
                ("things/b.md", "---\ntitle: B\ntype: thing\n---\n## Part\n"),
            ],
        );
        assert!(diags.is_empty(), "{diags:?}");
        let csv = String::from_utf8(super::type_csv(&site, "thing")).expect("utf-8");
        assert_eq!(
            csv,
            "id,url,title,code,tags,other\r\n\
             things/a,/things/a/,\"A, the first\",\"say \"\"hi\"\"\",x; y,things/b#part\r\n\
             things/b,/things/b/,B,,,\r\n"
        );
    }
}
