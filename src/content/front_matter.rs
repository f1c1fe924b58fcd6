//! Front matter: split the `---` block off a Markdown file and validate it against the types.
//!
//! Grammar (a UTF-8 BOM before the first fence is allowed):
//! ```text
//! file  := fence NEWLINE yaml NEWLINE fence (NEWLINE body)?
//! fence := "---" [ \t]*
//! ```
//! The YAML is a mapping. Common keys (`title`, `weight`, …) are read into [`FrontMatter`];
//! every other key must be a field of the page's type (see [`super::typed_fields`]). All
//! problems in one block are reported, each pointing at the key or value in the `.md` file
//! (the YAML's offset is added back). Positions come from one [`LazyIndex`] per block, built
//! only when the first problem needs one.

use std::ops::Range;

use serde_norway::Value;

use crate::config::{Config, COMMON_FIELDS};
use crate::content::dates::{check_date, DateProblem};
use crate::content::model::{FrontMatter, SortBy};
use crate::content::typed_fields::find_placeholder;
use crate::diag::{Diagnostic, FileId, Span};
use crate::yaml::{self, ErrorContext, LazyIndex, Part, PathSeg};

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
    /// Parses and validates the block. Returns the front matter (best effort) and problems.
    pub fn parse(&self) -> (Option<FrontMatter>, Vec<Diagnostic>) {
        let yaml_text = self.text.get(self.yaml.clone()).unwrap_or_default();
        let validator = Validator {
            check: self,
            yaml_text,
            index: LazyIndex::new(yaml_text),
        };
        let mut diags = Vec::new();
        let fm = validator.run(&mut diags);
        (fm, diags)
    }
}

/// One block being validated: the context plus the block's lazily built position index.
pub(crate) struct Validator<'a> {
    pub(crate) check: &'a FieldCheck<'a>,
    pub(crate) yaml_text: &'a str,
    pub(crate) index: LazyIndex<'a>,
}

impl Validator<'_> {
    /// A span of YAML-relative bytes, in the file.
    pub(crate) fn file_span(&self, r: Range<usize>) -> Span {
        let base = self.check.yaml.start;
        Span::new(self.check.file, base + r.start..base + r.end)
    }

    /// The key or value at `path`; the block start when it cannot be found.
    pub(crate) fn span(&self, path: &[PathSeg], part: Part) -> Span {
        let r = self
            .index
            .locate(path, part)
            .unwrap_or(0..self.yaml_text.len().min(1));
        self.file_span(r)
    }

    /// The key of the field a path is inside (a list item's field, for instance).
    pub(crate) fn key_span(&self, path: &[PathSeg]) -> Span {
        self.span(path.get(..1).unwrap_or_default(), Part::Key)
    }

    /// Reports a key or string value under `path` that holds a control character.
    fn control_characters(
        &self,
        path: &[PathSeg],
        key: &Value,
        value: &Value,
        diags: &mut Vec<Diagnostic>,
    ) {
        let Some(name) = key.as_str() else { return };
        let mut here = path.to_vec();
        here.push(PathSeg::Key(name.to_string()));
        let report = |diags: &mut Vec<Diagnostic>, c: char, span: Span| {
            diags.push(
                Diagnostic::error("control-character", format!("the value holds U+{:04X}, an invisible control character", c as u32))
                    .at(span, "written as an escape here")
                    .help("remove the escape; a page's text may not contain control characters (tabs and line breaks are fine)"),
            );
        };
        if let Some(c) = name
            .chars()
            .find(|c| crate::content::load::is_forbidden_char(*c))
        {
            report(diags, c, self.span(&here, Part::Key));
        }
        self.control_in_value(&here, value, &report, diags);
    }

    fn control_in_value(
        &self,
        path: &[PathSeg],
        value: &Value,
        report: &dyn Fn(&mut Vec<Diagnostic>, char, Span),
        diags: &mut Vec<Diagnostic>,
    ) {
        match value {
            Value::String(s) => {
                if let Some(c) = s
                    .chars()
                    .find(|c| crate::content::load::is_forbidden_char(*c))
                {
                    report(diags, c, self.span(path, Part::Value));
                }
            }
            Value::Sequence(items) => {
                for (i, item) in items.iter().enumerate() {
                    let mut p = path.to_vec();
                    p.push(PathSeg::Index(i));
                    self.control_in_value(&p, item, report, diags);
                }
            }
            Value::Mapping(m) => {
                for (k, v) in m {
                    self.control_characters(path, k, v, diags);
                }
            }
            _ => {}
        }
    }

    /// A span on the opening fence, for problems of the block as a whole.
    pub(crate) fn block_span(&self) -> Span {
        let s = self.check.yaml.start.saturating_sub(4);
        Span::new(self.check.file, s..s + 3)
    }

    /// How YAML errors in this block are worded and placed.
    fn error_context(&self) -> ErrorContext<'static> {
        ErrorContext {
            code: "bad-front-matter",
            what: "front matter",
            invalid: "front matter is not valid YAML",
            syntax_label: "YAML syntax error",
            syntax_help: "fix the YAML syntax; quote values that contain `: `, `#`, `[` or `{`",
            file: self.check.file,
            base: self.check.yaml.start,
        }
    }

    fn run(&self, diags: &mut Vec<Diagnostic>) -> Option<FrontMatter> {
        let map = match yaml::parse_value(self.yaml_text) {
            Ok(Value::Mapping(m)) => m,
            Ok(Value::Null) => serde_norway::Mapping::new(),
            Ok(_) => {
                diags.push(
                    Diagnostic::error(
                        "bad-front-matter",
                        "front matter must be a mapping of `key: value` lines",
                    )
                    .at(self.block_span(), "not a mapping")
                    .help("write front matter as `key: value` lines, e.g. `title: My page`"),
                );
                return None;
            }
            Err(errors) => {
                diags.extend(
                    errors
                        .iter()
                        .map(|e| e.to_diagnostic(&self.error_context())),
                );
                return None;
            }
        };
        // Escapes (`"\0"`, `"\e"`) put into a value the characters the pre-scan refuses raw.
        for (k, v) in &map {
            self.control_characters(&[], k, v, diags);
        }
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
            has_title |= name == "title";
            let path = [PathSeg::Key(name.clone())];
            if let Some(at) = find_placeholder(&v, &path).filter(|_| name == "title") {
                diags.push(self.placeholder(&name, &at, "the page's title"));
                continue;
            }
            if COMMON_FIELDS.contains(&name.as_str()) {
                self.common(&mut fm, &name, v, diags);
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
            .or_else(|| self.check.default_type.map(str::to_string));
        self.typed_fields(&mut fm, type_name.as_deref(), rest, diags);
        Some(fm)
    }

    /// A value of the wrong kind: labelled at the value, with the key as context.
    pub(crate) fn wrong_kind(
        &self,
        path: &[PathSeg],
        message: String,
        expected: &str,
        key_label: String,
    ) -> Diagnostic {
        Diagnostic::error("wrong-kind", message)
            .at(self.span(path, Part::Value), format!("expected {expected}"))
            .with_related(self.key_span(path), key_label)
    }

    /// A date-shaped value that is not a real date (or has a broken time after it).
    pub(crate) fn bad_date(
        &self,
        name: &str,
        path: &[PathSeg],
        value: &str,
        p: DateProblem,
    ) -> Diagnostic {
        Diagnostic::error(
            "bad-date",
            format!("`{name}` is not a valid date: `{value}` {}", p.reason()),
        )
        .at(self.span(path, Part::Value), p.label())
        .help("write a real date as `YYYY-MM-DD`, optionally followed by a time such as `T14:30:00Z` or `T14:30+02:00`")
    }

    fn common(&self, fm: &mut FrontMatter, name: &str, v: Value, diags: &mut Vec<Diagnostic>) {
        let path = [PathSeg::Key(name.to_string())];
        let wrong = |expected: &str| {
            self.wrong_kind(
                &path,
                format!("`{name}` must be {expected}"),
                expected,
                format!("`{name}` takes {expected}"),
            )
            .help(format!("write `{name}:` as {expected}"))
        };
        match name {
            "title" | "short_title" | "description" | "id" | "slug" | "type" | "template" => {
                match v {
                    Value::String(s) => {
                        let slot = match name {
                            "title" => {
                                fm.title = s;
                                return;
                            }
                            "short_title" => &mut fm.short_title,
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
                }
            }
            "weight" => match v.as_i64() {
                Some(n) => fm.weight = n,
                None => diags.push(wrong("an integer")),
            },
            "draft" => match v.as_bool() {
                Some(b) => fm.draft = b,
                None => diags.push(wrong("`true` or `false`")),
            },
            "date" | "updated" => match v.as_str().map(|s| (s, check_date(s))) {
                Some((s, Ok(()))) => {
                    let slot = if name == "date" {
                        &mut fm.date
                    } else {
                        &mut fm.updated
                    };
                    *slot = Some(s.to_string());
                }
                Some((s, Err(p))) if p != DateProblem::NotADate => {
                    diags.push(self.bad_date(name, &path, s, p));
                }
                _ => diags.push(wrong("a date (`YYYY-MM-DD`)")),
            },
            "aliases" => self.aliases(fm, v, diags),
            _ => match v.as_str() {
                Some("weight") => fm.sort_by = SortBy::Weight,
                Some("date") => fm.sort_by = SortBy::Date,
                Some("title") => fm.sort_by = SortBy::Title,
                _ => diags.push(wrong("one of `weight`, `date`, `title`")),
            },
        }
    }
}

impl Validator<'_> {
    /// `aliases:`: a list of old URL paths, each normalized; every bad one is reported.
    fn aliases(&self, fm: &mut FrontMatter, v: Value, diags: &mut Vec<Diagnostic>) {
        use crate::content::aliases::{alias_path, normalize};
        let help = "write `aliases: [old/path]`: each old URL of this page as a path on this site";
        let Value::Sequence(items) = v else {
            let path = [PathSeg::Key("aliases".into())];
            diags.push(
                self.wrong_kind(
                    &path,
                    "`aliases` must be a list of paths".into(),
                    "a list",
                    "`aliases` takes a list".into(),
                )
                .help(help),
            );
            return;
        };
        for (i, item) in items.iter().enumerate() {
            let path = alias_path(i);
            let result = item
                .as_str()
                .ok_or(None)
                .and_then(|s| normalize(s).map_err(Some));
            match result {
                Ok(url) => fm
                    .aliases
                    .push(crate::content::model::Alias { url, index: i }),
                Err(why) => {
                    let label = why.map_or_else(|| "not a string".to_string(), |w| w.reason());
                    diags.push(
                        Diagnostic::error(
                            "bad-alias",
                            format!("alias {} of this page is not a path on this site", i + 1),
                        )
                        .at(self.span(&path, Part::Value), label)
                        .help(help),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
