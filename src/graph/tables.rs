//! Tables declared in site.yaml (`tables:`), computed once per build from the front matter
//! and the resolved references: one cell per page of the `cells` type, at the row and column
//! its two fields name. Two pages that claim one cell are an error naming both.

use std::collections::HashMap;

use crate::config::{Config, FieldKind, TableDef};
use crate::content::front_span;
use crate::content::model::{FieldValue, Origin, Page, PageId, SortBy};
use crate::content::scalar_text;
use crate::diag::{Diagnostic, SourceMap};
use crate::graph::ResolvedRef;

/// A row or column: a page (the target of a reference field) or a value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AxisKey {
    /// A page of the type the field refers to.
    Page(PageId),
    /// An enum value, or a value the pages hold.
    Value(String),
}

/// One computed table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Its name in site.yaml.
    pub name: String,
    /// Its title (the name unless `title:` says otherwise).
    pub title: String,
    /// The type of its cells.
    pub cells_type: String,
    /// The types whose pages are rows or columns (for the read log).
    pub axis_types: Vec<String>,
    /// Rows, in order.
    pub rows: Vec<AxisKey>,
    /// Columns, in order.
    pub columns: Vec<AxisKey>,
    /// `cells[row][column]`: the page there, if any.
    pub cells: Vec<Vec<Option<PageId>>>,
}

/// Every declared table, and the problems: cells claimed twice.
pub fn build_tables(
    config: &Config,
    pages: &[Page],
    refs: &[Vec<ResolvedRef>],
    sources: &SourceMap,
) -> (Vec<Table>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let tables = config
        .tables
        .iter()
        .filter(|(_, def)| config.types.contains_key(&def.cells))
        .map(|(name, def)| build_table(config, name, def, pages, refs, sources, &mut diags))
        .collect();
    (tables, diags)
}

fn build_table(
    config: &Config,
    name: &str,
    def: &TableDef,
    pages: &[Page],
    refs: &[Vec<ResolvedRef>],
    sources: &SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Table {
    let members: Vec<usize> = (0..pages.len())
        .filter(|&i| {
            pages[i].origin == Origin::File && pages[i].type_name.as_deref() == Some(&def.cells)
        })
        .collect();
    let key_of = |i: usize, field: &str| cell_key(&pages[i], &refs[i], field);
    let mut axis_types = Vec::new();
    let mut axis = |field: &str| {
        let (keys, to) = axis_keys(config, def, field, pages, &members, &key_of);
        axis_types.extend(to);
        keys
    };
    let rows = axis(&def.rows);
    let columns = axis(&def.columns);
    let row_at: HashMap<&AxisKey, usize> = rows.iter().enumerate().map(|(i, k)| (k, i)).collect();
    let col_at: HashMap<&AxisKey, usize> =
        columns.iter().enumerate().map(|(i, k)| (k, i)).collect();
    let mut cells = vec![vec![None; columns.len()]; rows.len()];
    for &m in &members {
        let (Some(r), Some(c)) = (key_of(m, &def.rows), key_of(m, &def.columns)) else {
            continue;
        };
        let (Some(&r), Some(&c)) = (row_at.get(&r), col_at.get(&c)) else {
            continue;
        };
        match cells[r][c] {
            None => cells[r][c] = Some(PageId(m as u32)),
            Some(first) => diags.push(claimed_twice(
                name,
                def,
                &pages[m],
                &pages[first.index()],
                sources,
            )),
        }
    }
    Table {
        name: name.to_string(),
        title: def.title.clone().unwrap_or_else(|| name.to_string()),
        cells_type: def.cells.clone(),
        axis_types,
        rows,
        columns,
        cells,
    }
}

/// Where a cell page's `field` puts it on an axis: the page a reference names, or a value.
fn cell_key(page: &Page, refs: &[ResolvedRef], field: &str) -> Option<AxisKey> {
    let value = page.front.fields.get(field)?;
    match (value, refs.iter().find(|r| r.field == field)) {
        (FieldValue::Ref(_), Some(r)) => Some(AxisKey::Page(r.target)),
        (FieldValue::Ref(_), None) | (FieldValue::List(_), _) => None,
        (v, _) => scalar_text(v).map(AxisKey::Value),
    }
}

/// The rows (or columns) that `field` of the cell type gives, and the type they are pages of.
fn axis_keys(
    config: &Config,
    def: &TableDef,
    field: &str,
    pages: &[Page],
    members: &[usize],
    key_of: &dyn Fn(usize, &str) -> Option<AxisKey>,
) -> (Vec<AxisKey>, Option<String>) {
    let fdef = config
        .types
        .get(&def.cells)
        .and_then(|t| t.fields.get(field));
    match fdef {
        Some(f) if matches!(f.kind, FieldKind::Reference | FieldKind::Citation) => {
            // Every page of the type referred to; with no `to`, the pages the cells name.
            let named: std::collections::HashSet<AxisKey> =
                members.iter().filter_map(|&m| key_of(m, field)).collect();
            let mut ids: Vec<PageId> = (0..pages.len())
                .map(|i| PageId(i as u32))
                .filter(|id| {
                    let p = &pages[id.index()];
                    p.origin == Origin::File
                        && match &f.to {
                            Some(t) => p.type_name.as_ref() == Some(t),
                            None => named.contains(&AxisKey::Page(*id)),
                        }
                })
                .collect();
            crate::content::sort_pages(&mut ids, pages, SortBy::Weight);
            (ids.into_iter().map(AxisKey::Page).collect(), f.to.clone())
        }
        Some(f) if f.kind == FieldKind::Enum => {
            (f.values.iter().cloned().map(AxisKey::Value).collect(), None)
        }
        _ => {
            let mut values: Vec<String> = members
                .iter()
                .filter_map(|&m| match key_of(m, field) {
                    Some(AxisKey::Value(v)) => Some(v),
                    _ => None,
                })
                .collect();
            // Numbers in numeric order, anything else as text.
            values.sort_by(|a, b| match (a.parse::<f64>(), b.parse::<f64>()) {
                (Ok(x), Ok(y)) => x.total_cmp(&y),
                _ => a.cmp(b),
            });
            values.dedup();
            (values.into_iter().map(AxisKey::Value).collect(), None)
        }
    }
}

fn claimed_twice(
    name: &str,
    def: &TableDef,
    page: &Page,
    first: &Page,
    sources: &SourceMap,
) -> Diagnostic {
    Diagnostic::error(
        "table-cell-taken",
        format!(
            "two pages claim one cell of table `{name}` (the same {} and {})",
            def.rows, def.columns
        ),
    )
    .at(
        front_span(page, sources, &def.rows),
        format!("the cell of `content/{}`", first.rel_path),
    )
    .with_related(front_span(first, sources, &def.rows), "claimed first here")
    .help(format!(
        "give one of the two pages another `{}` or `{}`, or remove one (a `unique: [{}, {}]` on type `{}` reports this for every such pair)",
        def.rows, def.columns, def.rows, def.columns, def.cells
    ))
}
