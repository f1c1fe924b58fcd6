//! Words for field kinds in diagnostics: what a field expects, how to write it, and what was
//! found instead.

use serde_norway::Value;

use crate::config::{FieldDef, FieldKind};

/// What a field expects, e.g. "an integer" or "a list, each item a reference to a `thing` page".
pub fn describe(def: &FieldDef) -> String {
    match def.kind {
        FieldKind::String => "a string".into(),
        FieldKind::Text => "text".into(),
        FieldKind::Integer => "an integer".into(),
        FieldKind::Number => "a number".into(),
        FieldKind::Bool => "`true` or `false`".into(),
        FieldKind::Date => "a date (`YYYY-MM-DD`)".into(),
        FieldKind::Enum => format!("one of {}", def.values.join(", ")),
        FieldKind::List => match &def.of {
            Some(of) => format!("a list, each item {}", describe(of)),
            None => "a list".into(),
        },
        FieldKind::Reference => match &def.to {
            Some(t) => format!("a reference to {} `{t}` page", crate::diag::article(t)),
            None => "a reference to a page".into(),
        },
        FieldKind::Citation => "a citation (`id#anchor`)".into(),
    }
}

/// The `help:` line for a value of the wrong kind.
pub fn help_for(def: &FieldDef) -> String {
    match def.kind {
        FieldKind::List => format!(
            "write a list: `[a, b]`, or one `- item` per line ({})",
            describe(def)
        ),
        FieldKind::Reference => {
            "write the page's id (its path under content/ without `.md`), e.g. `notes/first-note`, optionally with `#anchor`"
                .into()
        }
        FieldKind::Citation => "write the page's id and an anchor on it, e.g. `sources/report#summary`".into(),
        FieldKind::Date => "write the date as `YYYY-MM-DD`, e.g. `2024-03-15`".into(),
        _ => format!("write {}", describe(def)),
    }
}

/// What kind of value was found, e.g. "a list".
pub fn value_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "an empty value",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}
