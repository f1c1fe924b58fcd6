//! Front matter: split the `---` block off a Markdown file and validate it against the types.
//!
//! Grammar (a UTF-8 BOM before the first fence is allowed):
//! ```text
//! file  := fence NEWLINE yaml NEWLINE fence (NEWLINE body)?
//! fence := "---" [ \t]*
//! ```
//! The YAML is a mapping. Common keys (`title`, `weight`, …) are read into [`FrontMatter`];
//! every other key must be a field of the page's type. All problems in one block are reported,
//! each pointing at the key or value in the `.md` file (the YAML's offset is added back).

use std::ops::Range;

use serde_norway::Value;

use crate::config::{Config, FieldDef, FieldKind, COMMON_FIELDS};
use crate::content::model::{FieldValue, FrontMatter, RefValue, SortBy};
use crate::diag::{did_you_mean, Diagnostic, FileId, Span};
use crate::yaml::{self, Part, PathSeg};

/// The byte ranges of a file's front matter and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The YAML between the fences.
    pub yaml: Range<usize>,
    /// Everything after the closing fence.
    pub body: Range<usize>,
}

/// Finds the front matter fences. Errors point at the opening fence or the file start.
pub fn split_front_matter(text: &str, file: FileId) -> Result<Split, Diagnostic> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let first_line_end = rest.find('\n').map_or(rest.len(), |i| i);
    if rest[..first_line_end].trim_end() != "---" {
        return Err(
            Diagnostic::error("missing-front-matter", "page has no front matter")
                .at(
                    Span::new(file, start..start + first_line_end.max(1)),
                    "expected `---` on the first line",
                )
                .help(
                    "start the file with a `---` line, then `title: …`, then a closing `---` line",
                ),
        );
    }
    let yaml_start = start + first_line_end + 1;
    let mut pos = yaml_start.min(text.len());
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..line_end].trim_end() == "---" {
            let body_start = (line_end + 1).min(text.len());
            return Ok(Split {
                yaml: yaml_start..pos,
                body: body_start..text.len(),
            });
        }
        pos = line_end + 1;
    }
    Err(
        Diagnostic::error("unclosed-front-matter", "front matter has no closing `---`")
            .at(
                Span::new(file, start..start + 3),
                "front matter starts here",
            )
            .help("add a line with `---` after the last front matter key"),
    )
}

/// Context for validating one front matter block.
pub struct FieldCheck<'a> {
    /// The site config (types).
    pub config: &'a Config,
    /// The file.
    pub file: FileId,
    /// The whole file text.
    pub text: &'a str,
    /// The YAML range in the file.
    pub yaml: Range<usize>,
    /// The folder default type, if any.
    pub default_type: Option<&'a str>,
}

impl FieldCheck<'_> {
    fn yaml_text(&self) -> &str {
        &self.text[self.yaml.clone()]
    }

    fn span(&self, path: &[PathSeg], part: Part) -> Span {
        let r = yaml::locate(self.yaml_text(), path, part).unwrap_or(0..self.yaml.len().min(1));
        Span::new(
            self.file,
            self.yaml.start + r.start..self.yaml.start + r.end,
        )
    }

    /// A span on the opening fence, for problems of the block as a whole.
    fn block_span(&self) -> Span {
        let s = self.yaml.start.saturating_sub(4);
        Span::new(self.file, s..s + 3)
    }

    /// Parses and validates the block. Returns the front matter (best effort) and problems.
    pub fn parse(&self) -> (Option<FrontMatter>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let value = match yaml::parse_value(self.yaml_text()) {
            Ok(v) => v,
            Err(e) => {
                let at = self.yaml.start + e.offset;
                diags.push(
                    Diagnostic::error("bad-front-matter", format!("front matter is not valid YAML: {}", e.message))
                        .at(Span::new(self.file, at..at + 1), "YAML syntax error (the cause may be just before: an unclosed `[`, `{` or quote)")
                        .help("fix the YAML syntax; quote values that contain `: `, `#`, `[` or `{`"),
                );
                return (None, diags);
            }
        };
        let map = match value {
            Value::Mapping(m) => m,
            Value::Null => serde_norway::Mapping::new(),
            _ => {
                diags.push(
                    Diagnostic::error(
                        "bad-front-matter",
                        "front matter must be a mapping of `key: value` lines",
                    )
                    .at(self.block_span(), "not a mapping")
                    .help("write front matter as `key: value` lines, e.g. `title: My page`"),
                );
                return (None, diags);
            }
        };
        let mut fm = FrontMatter::default();
        let mut rest = Vec::new();
        let mut has_title = false;
        for (k, v) in map {
            let Some(name) = k.as_str().map(str::to_string) else {
                diags.push(
                    Diagnostic::error("bad-front-matter", "front matter keys must be strings")
                        .at(self.block_span(), "non-string key")
                        .help("write keys as plain words"),
                );
                continue;
            };
            if name == "title" {
                has_title = true;
            }
            if COMMON_FIELDS.contains(&name.as_str()) {
                self.common(&mut fm, &name, v, &mut diags);
            } else {
                rest.push((name, v));
            }
        }
        if !has_title {
            diags.push(
                Diagnostic::error("missing-field", "front matter has no `title`")
                    .at(self.block_span(), "front matter starts here")
                    .help("add `title: …` to the front matter"),
            );
        }
        let type_name = fm
            .type_name
            .clone()
            .or_else(|| self.default_type.map(str::to_string));
        self.typed_fields(&mut fm, type_name.as_deref(), rest, &mut diags);
        (Some(fm), diags)
    }

    fn common(&self, fm: &mut FrontMatter, name: &str, v: Value, diags: &mut Vec<Diagnostic>) {
        let path = [PathSeg::Key(name.to_string())];
        let wrong = |expected: &str| {
            Diagnostic::error("wrong-kind", format!("`{name}` must be {expected}"))
                .at(
                    self.span(&path, Part::Value),
                    format!("expected {expected}"),
                )
                .help(format!("write `{name}:` as {expected}"))
        };
        match name {
            "title" | "description" | "id" | "slug" | "type" | "template" => match v {
                Value::String(s) => {
                    let slot = match name {
                        "title" => {
                            fm.title = s;
                            return;
                        }
                        "description" => &mut fm.description,
                        "id" => &mut fm.id,
                        "slug" => &mut fm.slug,
                        "type" => &mut fm.type_name,
                        _ => &mut fm.template,
                    };
                    *slot = Some(s);
                }
                Value::Number(n) if name == "title" => fm.title = n.to_string(),
                _ => diags.push(wrong("a string")),
            },
            "weight" => match v.as_i64() {
                Some(n) => fm.weight = n,
                None => diags.push(wrong("an integer")),
            },
            "draft" => match v.as_bool() {
                Some(b) => fm.draft = b,
                None => diags.push(wrong("`true` or `false`")),
            },
            "date" | "updated" => match v.as_str().filter(|s| is_date(s)) {
                Some(s) => {
                    let slot = if name == "date" {
                        &mut fm.date
                    } else {
                        &mut fm.updated
                    };
                    *slot = Some(s.to_string());
                }
                None => diags.push(wrong("a date (`YYYY-MM-DD`)")),
            },
            _ => match v.as_str() {
                Some("weight") => fm.sort_by = SortBy::Weight,
                Some("date") => fm.sort_by = SortBy::Date,
                Some("title") => fm.sort_by = SortBy::Title,
                _ => diags.push(wrong("one of `weight`, `date`, `title`")),
            },
        }
    }

    fn typed_fields(
        &self,
        fm: &mut FrontMatter,
        type_name: Option<&str>,
        rest: Vec<(String, Value)>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let tdef = match type_name {
            None => None,
            Some(t) => match self.config.types.get(t) {
                Some(d) => Some(d),
                None => {
                    let help = match did_you_mean(t, self.config.types.keys().map(String::as_str)) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => "declare the type under `types:` in site.yaml".to_string(),
                    };
                    diags.push(
                        Diagnostic::error(
                            "unknown-type",
                            format!("type `{t}` is not declared in site.yaml"),
                        )
                        .at(
                            self.span(&[PathSeg::Key("type".into())], Part::Value),
                            "unknown type",
                        )
                        .help(help),
                    );
                    return;
                }
            },
        };
        let mut values: Vec<(String, FieldValue)> = Vec::new();
        // Present fields, valid or not: an invalid value is reported once, not also as missing.
        let present: Vec<String> = rest.iter().map(|(n, _)| n.clone()).collect();
        for (name, v) in rest {
            let path = vec![PathSeg::Key(name.clone())];
            let Some(def) = tdef.and_then(|d| d.fields.get(&name)) else {
                let candidates: Vec<&str> = tdef
                    .map(|d| d.fields.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                let help = match (
                    type_name,
                    did_you_mean(
                        &name,
                        candidates
                            .iter()
                            .copied()
                            .chain(COMMON_FIELDS.iter().copied()),
                    ),
                ) {
                    (_, Some(s)) => format!("did you mean `{s}`?"),
                    (None, None) => {
                        "this page has no type; set `type:` or remove the key".to_string()
                    }
                    (Some(t), None) => {
                        format!("type `{t}` has the fields: {}", candidates.join(", "))
                    }
                };
                diags.push(
                    Diagnostic::error("unknown-field", format!("unknown field `{name}`"))
                        .at(
                            self.span(&path, Part::Key),
                            "not a field of this page's type",
                        )
                        .help(help),
                );
                continue;
            };
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
            // Keep the declaration order so templates list fields as the type declares them.
            values.sort_by_key(|(n, _)| tdef.fields.get_index_of(n));
        }
        fm.fields = values.into_iter().collect();
    }

    fn field_value(
        &self,
        name: &str,
        def: &FieldDef,
        v: Value,
        path: Vec<PathSeg>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<FieldValue> {
        let wrong = |diags: &mut Vec<Diagnostic>, got: &Value| {
            diags.push(
                Diagnostic::error(
                    "wrong-kind",
                    format!(
                        "`{name}` must be {}, not {}",
                        describe(def),
                        value_kind(got)
                    ),
                )
                .at(
                    self.span(&path, Part::Value),
                    format!("expected {}", describe(def)),
                )
                .help(help_for(def)),
            );
        };
        let out = match (def.kind, &v) {
            (FieldKind::String | FieldKind::Text, Value::String(s)) => FieldValue::Str(s.clone()),
            (FieldKind::String | FieldKind::Text, Value::Number(n)) => {
                FieldValue::Str(n.to_string())
            }
            (FieldKind::Integer, Value::Number(n)) if n.is_i64() => FieldValue::Int(n.as_i64()?),
            (FieldKind::Number, Value::Number(n)) => FieldValue::Num(n.as_f64()?),
            (FieldKind::Bool, Value::Bool(b)) => FieldValue::Bool(*b),
            (FieldKind::Date, Value::String(s)) if is_date(s) => FieldValue::Date(s.clone()),
            (FieldKind::Enum, Value::String(s)) => {
                if def.values.iter().any(|x| x == s) {
                    FieldValue::Enum(s.clone())
                } else {
                    let help = match did_you_mean(s, def.values.iter().map(String::as_str)) {
                        Some(m) => {
                            format!("did you mean `{m}`? allowed: {}", def.values.join(", "))
                        }
                        None => format!("allowed values: {}", def.values.join(", ")),
                    };
                    diags.push(
                        Diagnostic::error(
                            "bad-enum-value",
                            format!("`{s}` is not an allowed value of `{name}`"),
                        )
                        .at(
                            self.span(&path, Part::Value),
                            "not one of the declared values",
                        )
                        .help(help),
                    );
                    return None;
                }
            }
            (FieldKind::Reference | FieldKind::Citation, Value::String(s)) => {
                let (id, anchor) = match s.split_once('#') {
                    Some((i, a)) => (i.to_string(), Some(a.to_string())),
                    None => (s.clone(), None),
                };
                FieldValue::Ref(RefValue {
                    id: id.trim_matches('/').to_string(),
                    anchor,
                    path,
                    to: def.to.clone(),
                    citation: def.kind == FieldKind::Citation,
                })
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
            _ => {
                wrong(diags, &v);
                return None;
            }
        };
        Some(out)
    }
}

/// `YYYY-MM-DD`, optionally followed by a time (`T…` or ` …`).
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && (b.len() == 10 || b[10] == b'T' || b[10] == b' ')
        && matches!(s[5..7].parse::<u8>(), Ok(1..=12))
        && matches!(s[8..10].parse::<u8>(), Ok(1..=31))
}

fn describe(def: &FieldDef) -> String {
    match def.kind {
        FieldKind::String => "a string".into(),
        FieldKind::Text => "text".into(),
        FieldKind::Integer => "an integer".into(),
        FieldKind::Number => "a number".into(),
        FieldKind::Bool => "`true` or `false`".into(),
        FieldKind::Date => "a date (`YYYY-MM-DD`)".into(),
        FieldKind::Enum => format!("one of {}", def.values.join(", ")),
        FieldKind::List => match &def.of {
            Some(of) => format!("a list of {}", describe(of)),
            None => "a list".into(),
        },
        FieldKind::Reference => match &def.to {
            Some(t) => format!("a reference to a `{t}` page"),
            None => "a reference to a page".into(),
        },
        FieldKind::Citation => "a citation (`id#anchor`)".into(),
    }
}

fn help_for(def: &FieldDef) -> String {
    match def.kind {
        FieldKind::List => format!(
            "write a list: `[a, b]`, or one `- item` per line ({})",
            describe(def)
        ),
        FieldKind::Reference => {
            "write the page id, e.g. `countries/peru` or `convention/articles/article-3#3-1-a`"
                .into()
        }
        FieldKind::Citation => "write the source id and paragraph anchor, e.g. `cable#p9`".into(),
        FieldKind::Date => "write the date as `YYYY-MM-DD`, e.g. `2009-04-02`".into(),
        _ => format!("write {}", describe(def)),
    }
}

fn value_kind(v: &Value) -> &'static str {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceMap;
    use std::path::PathBuf;

    const CONFIG: &str = "title: T\nbase_url: https://x.org/\ntypes:\n  c:\n    fields:\n      iso: { kind: string, required: true }\n      n: { kind: integer }\n      s: { kind: enum, values: [met, not-met] }\n      refs: { kind: list, of: { kind: reference, to: c } }\n";

    fn check(text: &str) -> (Option<FrontMatter>, Vec<(String, usize, usize)>) {
        let mut map = SourceMap::default();
        let cfg_id = map.add("site.yaml".into(), PathBuf::new(), CONFIG.into());
        let (config, d) = crate::config::parse_config(cfg_id, &map);
        assert!(d.is_empty(), "{d:?}");
        let config = config.unwrap();
        let file = map.add("content/a.md".into(), PathBuf::new(), text.into());
        let split = split_front_matter(text, file).unwrap();
        let fc = FieldCheck {
            config: &config,
            file,
            text,
            yaml: split.yaml,
            default_type: Some("c"),
        };
        let (fm, diags) = fc.parse();
        let locs = diags
            .iter()
            .map(|d| {
                let (_, l, c) = d.location(&map).unwrap();
                (d.code.to_string(), l, c)
            })
            .collect();
        (fm, locs)
    }

    #[test]
    fn split_finds_fences_and_body() {
        let s = split_front_matter("---\ntitle: A\n---\nbody\n", FileId(0)).unwrap();
        assert_eq!(s.yaml, 4..13);
        assert_eq!(s.body, 17..22);
    }

    #[test]
    fn split_reports_missing_fences() {
        assert_eq!(
            split_front_matter("# no", FileId(0)).unwrap_err().code,
            "missing-front-matter"
        );
        assert_eq!(
            split_front_matter("", FileId(0)).unwrap_err().code,
            "missing-front-matter"
        );
        assert_eq!(
            split_front_matter("---\ntitle: A\n", FileId(0))
                .unwrap_err()
                .code,
            "unclosed-front-matter"
        );
    }

    #[test]
    fn every_problem_is_located_in_the_md_file() {
        let (_, locs) = check("---\ntitle: A\nn: five\ns: mett\nbogus: 1\nrefs: [x, 3]\n---\n");
        assert_eq!(
            locs,
            vec![
                ("wrong-kind".to_string(), 3, 4),
                ("bad-enum-value".to_string(), 4, 4),
                ("unknown-field".to_string(), 5, 1),
                ("wrong-kind".to_string(), 6, 11),
                ("missing-field".to_string(), 1, 1),
            ]
        );
    }

    #[test]
    fn valid_block_keeps_declaration_order() {
        let (fm, locs) = check("---\ntitle: A\nrefs: [x#y]\niso: PE\nweight: 3\n---\n");
        assert!(locs.is_empty(), "{locs:?}");
        let fm = fm.unwrap();
        assert_eq!(fm.weight, 3);
        let names: Vec<&str> = fm.fields.keys().map(String::as_str).collect();
        assert_eq!(names, ["iso", "refs"]);
    }

    #[test]
    fn dates_are_checked() {
        assert!(is_date("2009-04-02"));
        assert!(!is_date("2009-13-02"));
        assert!(!is_date("April 2009"));
    }
}
