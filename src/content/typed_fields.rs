//! Validation of a page's typed fields (every front matter key that is not a common one)
//! against its type's declaration in `site.yaml`.
//!
//! Each value becomes a [`FieldValue`] or a diagnostic at its key or value: unknown fields
//! (with a suggestion), missing required fields, values of the wrong kind (labelled at the
//! value and at the key), enum values not declared, impossible dates, and `text` fields whose
//! inline Markdown holds an unsafe link or raw HTML.

use serde_norway::Value;

use crate::config::{FieldDef, FieldKind, TypeDef, COMMON_FIELDS};
use crate::content::dates::{check_date, DateProblem};
use crate::content::field_kinds::{describe, help_for, value_kind};
use crate::content::front_matter::Validator;
use crate::content::model::{FieldValue, FrontMatter, RefValue};
use crate::content::text_field::{check_text, locate_in_scalar, TextProblemKind};
use crate::diag::{did_you_mean, Diagnostic, Span};
use crate::yaml::{NodeStyle, Part, PathSeg};

/// The value `majors new` writes into a field still to fill; `check` reports it.
pub const PLACEHOLDER: &str = "TODO";

/// The path of the first placeholder in `v`: `v` itself, or an item of a list.
pub(crate) fn find_placeholder(v: &Value, path: &[PathSeg]) -> Option<Vec<PathSeg>> {
    match v {
        Value::String(s) if s == PLACEHOLDER => Some(path.to_vec()),
        Value::Sequence(items) => items.iter().enumerate().find_map(|(i, item)| {
            let mut p = path.to_vec();
            p.push(PathSeg::Index(i));
            find_placeholder(item, &p)
        }),
        _ => None,
    }
}

impl Validator<'_> {
    /// A placeholder left in a field: what to write instead is `expected`.
    pub(crate) fn placeholder(&self, name: &str, at: &[PathSeg], expected: &str) -> Diagnostic {
        Diagnostic::error("placeholder", format!("`{name}` is still to fill in"))
            .at(self.span(at, Part::Value), "placeholder")
            .help(format!("replace `{PLACEHOLDER}` with {expected}"))
    }

    /// Validates the non-common keys against the page's type and stores them in `fm`.
    pub(crate) fn typed_fields(
        &self,
        fm: &mut FrontMatter,
        type_name: Option<&str>,
        rest: Vec<(String, Value)>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let tdef = match type_name {
            None => None,
            Some(t) => match self.check.config.types.get(t) {
                Some(d) => Some(d),
                None => {
                    diags.push(self.unknown_type(t));
                    return;
                }
            },
        };
        let mut values: Vec<(String, FieldValue)> = Vec::new();
        // Present fields, valid or not: an invalid value is reported once, not also as missing.
        let present: std::collections::HashSet<String> =
            rest.iter().map(|(n, _)| n.clone()).collect();
        for (name, v) in rest {
            let path = vec![PathSeg::Key(name.clone())];
            let Some(def) = tdef.and_then(|d| d.fields.get(&name)) else {
                diags.push(self.unknown_field(&name, type_name, tdef, &path));
                continue;
            };
            if let Some(at) = find_placeholder(&v, &path) {
                diags.push(self.placeholder(&name, &at, &describe(def)));
                continue;
            }
            if let Some(fv) = self.field_value(&name, def, v, path, diags) {
                values.push((name, fv));
            }
        }
        if let (Some(tdef), Some(t)) = (tdef, type_name) {
            for (fname, def) in &tdef.fields {
                if def.required && !present.contains(fname) {
                    diags.push(
                        Diagnostic::error(
                            "missing-field",
                            format!("required field `{fname}` is missing"),
                        )
                        .at(self.block_span(), format!("type `{t}` requires `{fname}`"))
                        .help(format!(
                            "add `{fname}:` ({}) to the front matter",
                            describe(def)
                        )),
                    );
                }
            }
            self.required_when(tdef, &values, &present, diags);
            // Keep the declaration order so templates list fields as the type declares them.
            values.sort_by_key(|(n, _)| tdef.fields.get_index_of(n));
        }
        fm.fields = values.into_iter().collect();
    }

    /// Fields required because other fields have given values (`required_when:`), reported
    /// at the value that makes them required.
    fn required_when(
        &self,
        tdef: &crate::config::TypeDef,
        values: &[(String, FieldValue)],
        present: &std::collections::HashSet<String>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let value_of = |name: &str| values.iter().find(|(n, _)| n == name).map(|(_, v)| v);
        for (fname, def) in &tdef.fields {
            if def.required_when.is_empty() || def.required || present.contains(fname) {
                continue;
            }
            let holds = def.required_when.iter().all(|(cond, wanted)| {
                value_of(cond).is_some_and(|v| wanted.iter().any(|w| scalar_is(v, w)))
            });
            if !holds {
                continue;
            }
            let conds: Vec<String> = def
                .required_when
                .keys()
                .filter_map(|c| Some(format!("`{c}` is `{}`", scalar_text(value_of(c)?)?)))
                .collect();
            let (first, _) = def
                .required_when
                .first()
                .expect("invariant: checked non-empty above");
            let at = self.span(&[PathSeg::Key(first.clone())], Part::Value);
            diags.push(
                Diagnostic::error(
                    "missing-field",
                    format!("field `{fname}` is required when {}", conds.join(" and ")),
                )
                .at(at, format!("this makes `{fname}` required"))
                .help(format!(
                    "add `{fname}:` ({}) to the front matter, or change the value",
                    describe(def)
                )),
            );
        }
    }

    fn unknown_type(&self, t: &str) -> Diagnostic {
        let config = self.check.config;
        let help = match did_you_mean(t, config.types.keys().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "declare the type under `types:` in site.yaml".to_string(),
        };
        Diagnostic::error(
            "unknown-type",
            format!("type `{t}` is not declared in site.yaml"),
        )
        .at(
            self.span(&[PathSeg::Key("type".into())], Part::Value),
            "unknown type",
        )
        .help(help)
    }

    fn unknown_field(
        &self,
        name: &str,
        type_name: Option<&str>,
        tdef: Option<&TypeDef>,
        path: &[PathSeg],
    ) -> Diagnostic {
        let candidates: Vec<&str> = tdef
            .map(|d| d.fields.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let all = candidates
            .iter()
            .copied()
            .chain(COMMON_FIELDS.iter().copied());
        let help = match (type_name, did_you_mean(name, all)) {
            (_, Some(s)) => format!("did you mean `{s}`?"),
            (None, None) => "this page has no type; set `type:` or remove the key".to_string(),
            (Some(t), None) => format!("type `{t}` has the fields: {}", candidates.join(", ")),
        };
        Diagnostic::error("unknown-field", format!("unknown field `{name}`"))
            .at(
                self.span(path, Part::Key),
                "not a field of this page's type",
            )
            .help(help)
    }

    fn field_value(
        &self,
        name: &str,
        def: &FieldDef,
        v: Value,
        path: Vec<PathSeg>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<FieldValue> {
        let out = match (def.kind, &v) {
            (FieldKind::Text, Value::String(s)) => {
                self.check_text_field(name, &path, s, diags);
                FieldValue::Str(s.clone())
            }
            (FieldKind::String, Value::String(s)) => FieldValue::Str(s.clone()),
            (FieldKind::String | FieldKind::Text, Value::Number(n)) => {
                FieldValue::Str(n.to_string())
            }
            (FieldKind::Integer, Value::Number(n)) if n.is_i64() => FieldValue::Int(n.as_i64()?),
            (FieldKind::Number, Value::Number(n)) => FieldValue::Num(n.as_f64()?),
            (FieldKind::Bool, Value::Bool(b)) => FieldValue::Bool(*b),
            (FieldKind::Date, Value::String(s)) => match check_date(s) {
                Ok(()) => FieldValue::Date(s.clone()),
                Err(DateProblem::NotADate) => return self.wrong_field(name, def, &v, &path, diags),
                Err(p) => {
                    diags.push(self.bad_date(name, &path, s, p));
                    return None;
                }
            },
            (FieldKind::Enum, Value::String(s)) => {
                if !def.values.iter().any(|x| x == s) {
                    diags.push(self.bad_enum(name, def, s, &path));
                    return None;
                }
                FieldValue::Enum(s.clone())
            }
            (FieldKind::Reference | FieldKind::Citation, Value::String(s)) => {
                FieldValue::Ref(reference(def, s, path))
            }
            (FieldKind::List, Value::Sequence(items)) => {
                let item_def = def.of.as_deref()?;
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let mut p = path.clone();
                    p.push(PathSeg::Index(i));
                    if let Some(fv) = self.field_value(name, item_def, item.clone(), p, diags) {
                        out.push(fv);
                    }
                }
                FieldValue::List(out)
            }
            _ => return self.wrong_field(name, def, &v, &path, diags),
        };
        Some(out)
    }

    fn wrong_field(
        &self,
        name: &str,
        def: &FieldDef,
        got: &Value,
        path: &[PathSeg],
        diags: &mut Vec<Diagnostic>,
    ) -> Option<FieldValue> {
        let expected = describe(def);
        let key_label = if path.len() > 1 {
            format!("`{name}` is a list; each item must be {expected}")
        } else {
            format!("`{name}` is declared as {expected}")
        };
        let message = format!("`{name}` must be {expected}, not {}", value_kind(got));
        diags.push(
            self.wrong_kind(path, message, &expected, key_label)
                .help(help_for(def)),
        );
        None
    }

    fn bad_enum(&self, name: &str, def: &FieldDef, s: &str, path: &[PathSeg]) -> Diagnostic {
        let help = match did_you_mean(s, def.values.iter().map(String::as_str)) {
            Some(m) => format!("did you mean `{m}`? allowed: {}", def.values.join(", ")),
            None => format!("allowed values: {}", def.values.join(", ")),
        };
        Diagnostic::error(
            "bad-enum-value",
            format!("`{s}` is not an allowed value of `{name}`"),
        )
        .at(
            self.span(path, Part::Value),
            "not one of the declared values",
        )
        .help(help)
    }

    /// Reports unsafe links and (when the site forbids it) raw HTML in a `text` value, at the
    /// offending text inside the value where the scalar's source allows finding it.
    fn check_text_field(
        &self,
        name: &str,
        path: &[PathSeg],
        value: &str,
        diags: &mut Vec<Diagnostic>,
    ) {
        let allow_html = self.check.config.markdown.allow_raw_html;
        for problem in check_text(value, allow_html) {
            let span = self.span_in_value(path, value, problem.range.clone());
            diags.push(match problem.kind {
                TextProblemKind::UnsafeUrl { scheme } => {
                    // Worded as for links in the body (`render::markdown`).
                    Diagnostic::error(
                        "unsafe-url",
                        format!("`{scheme}:` URLs are not allowed (in `{name}`)"),
                    )
                    .at(span, "this URL could run script or reach local files")
                    .help("link with http, https, mailto or tel, or to a page of the site")
                }
                TextProblemKind::RawHtml => Diagnostic::error(
                    "raw-html",
                    "raw HTML is not allowed in this site",
                )
                .at(span, "HTML here")
                .help("write it in Markdown, or set `markdown.allow_raw_html: true` in site.yaml"),
            });
        }
    }

    /// The span of `at` (a range of the decoded value) in the file, when the value is a
    /// plain or quoted scalar whose source holds that text; else the whole value.
    fn span_in_value(&self, path: &[PathSeg], value: &str, at: std::ops::Range<usize>) -> Span {
        let found = self.index.get().scalar_source(path).and_then(|src| {
            let inline = matches!(
                src.style,
                NodeStyle::Plain | NodeStyle::SingleQuoted | NodeStyle::DoubleQuoted
            );
            let raw = self.yaml_text.get(src.range.clone()).filter(|_| inline)?;
            let r = locate_in_scalar(raw, value, at)?;
            Some(src.range.start + r.start..src.range.start + r.end)
        });
        match found {
            Some(r) => self.file_span(r),
            None => self.span(path, Part::Value),
        }
    }
}

/// A reference as written, `id` or `id#anchor`.
fn reference(def: &FieldDef, s: &str, path: Vec<PathSeg>) -> RefValue {
    let (id, anchor) = match s.split_once('#') {
        Some((i, a)) => (i, Some(a.to_string())),
        None => (s, None),
    };
    RefValue {
        id: id.trim_matches('/').to_string(),
        anchor,
        path,
        to: def.to.clone(),
        citation: def.kind == FieldKind::Citation,
    }
}

/// A scalar field value as `required_when:` and keys compare it.
pub fn scalar_text(v: &FieldValue) -> Option<String> {
    match v {
        FieldValue::Str(s) | FieldValue::Date(s) | FieldValue::Enum(s) => Some(s.clone()),
        FieldValue::Int(n) => Some(n.to_string()),
        FieldValue::Num(n) => Some(n.to_string()),
        FieldValue::Bool(b) => Some(b.to_string()),
        FieldValue::Ref(r) => Some(r.id.clone()),
        FieldValue::List(_) => None,
    }
}

fn scalar_is(v: &FieldValue, wanted: &str) -> bool {
    scalar_text(v).is_some_and(|s| s == wanted)
}
