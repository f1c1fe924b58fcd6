//! `get_table(name)`: a declared table as templates see it. Reading it records every page of
//! its cell type and the types of its axes, since which page sits in which cell depends on
//! all of them.

use std::sync::Arc;

use minijinja::Value;

use super::{note_page, note_type};
use crate::graph::tables::{AxisKey, Table};
use crate::site_data::SiteData;

impl SiteData {
    /// `{name, title, columns: [{key, label, page}], rows: [{key, label, page, cells}]}`, each
    /// row's `cells` aligned with `columns` (`none` where no page is); `none` when the site
    /// declares no such table.
    pub fn table_value(self: &Arc<Self>, name: &str) -> Option<Value> {
        let table = self.tables.iter().find(|t| t.name == name)?;
        note_type(&table.cells_type);
        for t in &table.axis_types {
            note_type(t);
        }
        for id in self.type_ids(&table.cells_type) {
            note_page(id);
        }
        let columns: Vec<Value> = table.columns.iter().map(|k| self.axis_value(k)).collect();
        let rows: Vec<Value> = table
            .rows
            .iter()
            .zip(&table.cells)
            .map(|(k, cells)| {
                let cells: Vec<Value> = cells
                    .iter()
                    .map(|c| c.map_or(Value::from(()), |id| self.page_value(id)))
                    .collect();
                let mut row: Vec<(&str, Value)> = self.axis_entries(k);
                row.push(("cells", Value::from(cells)));
                Value::from_iter(row)
            })
            .collect();
        Some(Value::from_iter([
            ("name", Value::from(table.name.as_str())),
            ("title", Value::from(table.title.as_str())),
            ("columns", Value::from(columns)),
            ("rows", Value::from(rows)),
        ]))
    }

    fn axis_value(self: &Arc<Self>, key: &AxisKey) -> Value {
        Value::from_iter(self.axis_entries(key))
    }

    fn axis_entries(self: &Arc<Self>, key: &AxisKey) -> Vec<(&'static str, Value)> {
        match key {
            AxisKey::Page(id) => vec![
                ("key", Value::from(self.pages[id.index()].public_id())),
                (
                    "label",
                    Value::from(self.pages[id.index()].front.title.as_str()),
                ),
                ("page", self.page_value(*id)),
            ],
            AxisKey::Value(v) => vec![
                ("key", Value::from(v.as_str())),
                ("label", Value::from(v.as_str())),
                ("page", Value::from(())),
            ],
        }
    }
}

/// A table as CSV: the first column the rows' labels, a column per column's label, each cell
/// the id of the page there.
pub fn table_csv(site: &SiteData, table: &Table) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
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
