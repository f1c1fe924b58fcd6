//! The data files: `data/<type>.csv`, one row per page of a type, one column per declared
//! field, and `data/tables/<name>.csv` and `.json` for each declared table (RFC 4180: CRLF
//! line ends, fields quoted when they hold a comma, a quote or a line break).
//!
//! Columns: `id`, `url`, `title`, then the type's fields in declaration order. A reference is
//! the id of the page it resolves to (with `#anchor` when it names one); a list's items are
//! joined with `; `; a field the page does not set is empty.

use crate::config::Config;
use crate::content::model::{FieldValue, Origin, Page, RefValue};
use crate::graph::tables::{AxisKey, Table};
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

/// The CSV and JSON paths of a declared table.
pub fn table_paths(name: &str) -> [String; 2] {
    let name = crate::content::model::slugify(name);
    [
        format!("data/tables/{name}.csv"),
        format!("data/tables/{name}.json"),
    ]
}

/// An RFC 4180 writer into memory.
fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

/// The CSV of the pages of `type_name`, in page order (by path).
pub fn type_csv(site: &SiteData, type_name: &str) -> Vec<u8> {
    let mut w = writer();
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

/// A table as CSV: the first column the rows' labels, a column per column's label, each cell
/// the id of the page there.
pub fn table_csv(site: &SiteData, table: &Table) -> Vec<u8> {
    let mut w = writer();
    let label = |k: &AxisKey| match k {
        AxisKey::Page(id) => site.pages[id.index()].front.title.clone(),
        AxisKey::Value(v) => v.clone(),
    };
    let mut header = vec![String::new()];
    header.extend(table.columns.iter().map(label));
    w.write_record(&header)
        .expect("invariant: CSV into memory does not fail");
    for (k, cells) in table.rows.iter().zip(&table.cells) {
        let mut row = vec![label(k)];
        row.extend(cells.iter().map(|c| {
            c.map_or_else(String::new, |id| {
                site.pages[id.index()].public_id().to_string()
            })
        }));
        w.write_record(&row)
            .expect("invariant: CSV into memory does not fail");
    }
    w.into_inner()
        .expect("invariant: CSV into memory does not fail")
}

/// A table as JSON: `{name, title, rows: [{key, label}], columns: [...], cells: [[id|null]]}`.
pub fn table_json(site: &SiteData, table: &Table) -> Vec<u8> {
    let axis = |keys: &[AxisKey]| -> Vec<serde_json::Value> {
        keys.iter()
            .map(|k| match k {
                AxisKey::Page(id) => {
                    let p = &site.pages[id.index()];
                    serde_json::json!({ "key": p.public_id(), "label": p.front.title, "url": p.url.as_str() })
                }
                AxisKey::Value(v) => serde_json::json!({ "key": v, "label": v }),
            })
            .collect()
    };
    let cells: Vec<Vec<Option<&str>>> = table
        .cells
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| c.map(|id| site.pages[id.index()].public_id()))
                .collect()
        })
        .collect();
    let doc = serde_json::json!({
        "name": table.name, "title": table.title,
        "rows": axis(&table.rows), "columns": axis(&table.columns), "cells": cells,
    });
    let mut out = serde_json::to_vec_pretty(&doc).expect("invariant: JSON values serialize");
    out.push(b'\n');
    out
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
