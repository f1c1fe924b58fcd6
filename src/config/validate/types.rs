//! Validation of what a type declares beyond its fields' kinds: keys (`unique:`), conditions
//! (`required_when:`), and the tables made of its pages (`tables:`).

use super::{key, Locator};
use crate::config::{Config, FieldDef, FieldKind, TypeDef};
use crate::diag::{did_you_mean, Diagnostic};
use crate::yaml::{Part, PathSeg};

/// A name that should be a field of `tdef`: the help line suggests one.
fn field_help(tdef: &TypeDef, name: &str) -> String {
    let names = tdef.fields.keys().map(String::as_str);
    match did_you_mean(name, names) {
        Some(s) => format!("did you mean `{s}`?"),
        None => {
            let all: Vec<&str> = tdef.fields.keys().map(String::as_str).collect();
            format!("the type's fields: {}", all.join(", "))
        }
    }
}

/// A table names a declared type and two of its fields that are not lists.
pub(super) fn validate_tables(config: &Config, cx: &Locator<'_>, diags: &mut Vec<Diagnostic>) {
    for (name, t) in &config.tables {
        let at = |k: &str| vec![key("tables"), key(name), key(k)];
        let what = format!("table `{name}`");
        cx.missing(
            &[key("tables"), key(name)],
            &[
                ("cells", "cells: designation"),
                ("rows", "rows: country"),
                ("columns", "columns: fiscal_year"),
            ],
            &what,
            diags,
        );
        cx.check_type(config, &t.cells, &at("cells"), diags);
        let Some(tdef) = config.types.get(&t.cells) else {
            continue;
        };
        for (axis, field) in [("rows", &t.rows), ("columns", &t.columns)] {
            if field.is_empty() {
                continue;
            }
            match tdef.fields.get(field) {
                None => diags.push(
                    Diagnostic::error(
                        "bad-config",
                        format!("`{axis}: {field}` is no field of type `{}`", t.cells),
                    )
                    .at(cx.span_at(&at(axis), Part::Value), "no such field")
                    .help(field_help(tdef, field)),
                ),
                Some(def) if def.kind == FieldKind::List => diags.push(
                    Diagnostic::error("bad-config", format!("`{axis}: {field}` is a list"))
                        .at(cx.span_at(&at(axis), Part::Value), "a cell has one row and one column")
                        .help("name a field with one value: a reference, an enum, a number, a date or a string"),
                ),
                Some(_) => {}
            }
        }
    }
}

/// A type's `unique:` names fields of the type, each once.
pub(super) fn validate_unique(
    tname: &str,
    tdef: &TypeDef,
    cx: &Locator<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    for (i, name) in tdef.unique.iter().enumerate() {
        let at = [key("types"), key(tname), key("unique"), PathSeg::Index(i)];
        if !tdef.fields.contains_key(name) {
            diags.push(
                Diagnostic::error(
                    "bad-config",
                    format!("`unique` names `{name}`, which is no field of type `{tname}`"),
                )
                .at(cx.span_at(&at, Part::Value), "no such field")
                .help(field_help(tdef, name)),
            );
        } else if tdef.unique[..i].contains(name) {
            diags.push(
                Diagnostic::error("bad-config", format!("`unique` names `{name}` twice"))
                    .at(cx.span_at(&at, Part::Value), "named before")
                    .help("name each field of the key once"),
            );
        }
    }
}

/// A field's `required_when:` names other fields of the type, with values they can have.
pub(super) fn validate_required_when(
    tdef: &TypeDef,
    fdef: &FieldDef,
    path: &[PathSeg],
    cx: &Locator<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    for (cond, values) in &fdef.required_when {
        let mut at = path.to_vec();
        at.extend([key("required_when"), key(cond)]);
        let Some(cdef) = tdef.fields.get(cond) else {
            diags.push(
                Diagnostic::error(
                    "bad-config",
                    format!("`required_when` names `{cond}`, which is no field of this type"),
                )
                .at(cx.span_at(&at, Part::Key), "no such field")
                .help(field_help(tdef, cond)),
            );
            continue;
        };
        if path.last() == Some(&key(cond)) {
            diags.push(
                Diagnostic::error(
                    "bad-config",
                    "a field cannot be required when it has a value",
                )
                .at(cx.span_at(&at, Part::Key), "the field itself")
                .help("name another field of the type"),
            );
        }
        if cdef.kind == FieldKind::Enum {
            for v in values.iter().filter(|v| !cdef.values.contains(v)) {
                diags.push(
                    Diagnostic::error(
                        "bad-config",
                        format!("`{v}` is not one of the values of `{cond}`"),
                    )
                    .at(cx.span_at(&at, Part::Value), "never matches")
                    .help(format!(
                        "the values of `{cond}`: {}",
                        cdef.values.join(", ")
                    )),
                );
            }
        }
    }
}
