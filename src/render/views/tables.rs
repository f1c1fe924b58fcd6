//! `get_table(name)`: a declared table as templates see it (its files are `site::csv`'s). Reading it records every page of
//! its cell type and the types of its axes, since which page sits in which cell depends on
//! all of them.

use std::sync::Arc;

use minijinja::Value;

use super::{note_page, note_type};
use crate::graph::tables::AxisKey;
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
