//! YAML for config and front matter: limits, parsing (serde_norway), located errors, and
//! locating keys and values by path.
//!
//! Every step is linear in the text:
//! 1. [`check_limits`] rejects a text that is too large, nests too deep or holds a character
//!    YAML forbids, before libyaml (quadratic on deep nesting) sees it;
//! 2. serde_norway parses, and its errors become [`YamlError`]s placed at their cause: a
//!    repeated key at the repetition (and the first occurrence), an alias bomb at the alias,
//!    an error inside an unclosed `[`, `{` or quote also at where it was opened;
//! 3. validation errors found later are located with a [`YamlIndex`], built once per file
//!    and only when the first diagnostic needs a position ([`LazyIndex`]).

mod index;
mod prescan;

pub use index::{DuplicateKey, LazyIndex, NodeStyle, YamlIndex};
pub use prescan::{
    check_limits, opener_at, LimitError, LimitKind, Opener, OpenerKind, MAX_BYTES, MAX_DEPTH,
};

use std::ops::Range;

use crate::diag::{Diagnostic, FileId, Span};

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathSeg {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
}

/// Which part of a mapping entry to locate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The key itself.
    Key,
    /// The value under the key (or the sequence item).
    Value,
}

/// A YAML text that could not be used, located in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// Byte range of the cause in the YAML text.
    pub range: Range<usize>,
    /// What went wrong.
    pub kind: YamlErrorKind,
}

/// The kinds of [`YamlError`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YamlErrorKind {
    /// Rejected before parsing (size, nesting, forbidden character).
    Limit(LimitKind),
    /// A key set twice in one mapping; `range` is the repetition.
    Duplicate {
        /// The key.
        name: String,
        /// Its first occurrence.
        first: Range<usize>,
    },
    /// Aliases expand past serde_norway's repetition limit; `range` is the alias.
    Aliases,
    /// Any other parser error.
    Syntax {
        /// The parser's message, without its position.
        problem: String,
        /// An unclosed quote or flow collection the error sits in.
        opener: Option<Opener>,
    },
}

impl From<LimitError> for YamlError {
    fn from(e: LimitError) -> Self {
        YamlError {
            range: e.offset..e.offset + 1,
            kind: YamlErrorKind::Limit(e.kind),
        }
    }
}

impl From<&DuplicateKey> for YamlError {
    fn from(d: &DuplicateKey) -> Self {
        YamlError {
            range: d.second.clone(),
            kind: YamlErrorKind::Duplicate {
                name: d.name.clone(),
                first: d.first.clone(),
            },
        }
    }
}

/// Checks the limits, then parses YAML text into a generic value. Every error is located.
pub fn parse_value(text: &str) -> Result<serde_norway::Value, Vec<YamlError>> {
    check_limits(text).map_err(|e| vec![YamlError::from(e)])?;
    serde_norway::from_str(text).map_err(|e| explain(&e, text))
}

/// Turns a serde_norway error on `text` into located errors (several when keys repeat).
///
/// serde_norway keeps its error kinds private, so the two whose position it does not give
/// usefully are told apart by their messages (pinned by the tests below).
pub fn explain(e: &serde_norway::Error, text: &str) -> Vec<YamlError> {
    let message = e.to_string();
    // `Value` mappings say "duplicate entry with key"; derived structs "duplicate field".
    if message.contains("duplicate entry with key") || message.contains("duplicate field") {
        let index = YamlIndex::build(text);
        let repeated: Vec<YamlError> = index.duplicates().iter().map(YamlError::from).collect();
        if !repeated.is_empty() {
            return repeated;
        }
    }
    if message.starts_with("repetition limit exceeded") {
        if let Some(range) = YamlIndex::build(text).alias_past_limit() {
            return vec![YamlError {
                range,
                kind: YamlErrorKind::Aliases,
            }];
        }
    }
    let offset = e.location().map_or(0, |l| l.index()).min(text.len());
    let end = text
        .get(offset..)
        .and_then(|s| s.chars().next())
        .map_or(offset, |c| offset + c.len_utf8());
    vec![YamlError {
        range: offset..end,
        kind: YamlErrorKind::Syntax {
            problem: strip_position(&message),
            opener: opener_at(text, offset).filter(|o| !o.closed),
        },
    }]
}

/// serde_norway appends " at line N column M" (or " at position N") and libyaml's context
/// (", while parsing …"); the diagnostic shows positions itself.
fn strip_position(message: &str) -> String {
    let cut = [" at line ", " at position ", ", while "]
        .iter()
        .filter_map(|pat| message.find(pat))
        .min()
        .unwrap_or(message.len());
    message.get(..cut).unwrap_or(message).to_string()
}

/// How to word and place a [`YamlError`] as a diagnostic.
#[derive(Debug, Clone, Copy)]
pub struct ErrorContext<'a> {
    /// The diagnostic code (`bad-front-matter`, `bad-config`).
    pub code: &'static str,
    /// What the text is, for messages ("front matter", "site.yaml").
    pub what: &'a str,
    /// Message prefix of a parser error ("front matter is not valid YAML").
    pub invalid: &'a str,
    /// Label of a parser error's position when nothing more is known.
    pub syntax_label: &'a str,
    /// Help line of a parser error when nothing more is known.
    pub syntax_help: &'a str,
    /// The file the text is in.
    pub file: FileId,
    /// Byte offset of the YAML text in the file.
    pub base: usize,
}

impl YamlError {
    /// The diagnostic for this error.
    pub fn to_diagnostic(&self, cx: &ErrorContext<'_>) -> Diagnostic {
        let span = |r: &Range<usize>| Span::new(cx.file, cx.base + r.start..cx.base + r.end);
        let at = span(&self.range);
        match &self.kind {
            YamlErrorKind::Limit(kind) => limit_diagnostic(kind, at, cx),
            YamlErrorKind::Duplicate { name, first } => {
                Diagnostic::error(cx.code, format!("`{name}` is set twice"))
                    .at(at, "set again here")
                    .with_related(span(first), "first set here")
                    .help(format!("keep one of the two `{name}:` entries"))
            }
            YamlErrorKind::Aliases => Diagnostic::error(cx.code, "YAML aliases expand too far")
                .at(at, "expanding this alias repeats too much")
                .help("an alias (`*name`) repeats its anchor (`&name`), and aliases inside anchors multiply; write the values out"),
            YamlErrorKind::Syntax { problem, opener } => {
                let d = Diagnostic::error(cx.code, format!("{}: {problem}", cx.invalid));
                match opener {
                    None => d.at(at, cx.syntax_label).help(cx.syntax_help),
                    Some(o) => {
                        let (opened, help) = unclosed(o.kind);
                        d.at(at, "the YAML parser noticed it here")
                            .with_related(span(&(o.offset..o.offset + 1)), opened)
                            .help(help)
                    }
                }
            }
        }
    }
}

/// The label on an unclosed opener, and the help line.
fn unclosed(kind: OpenerKind) -> (String, String) {
    let (open, close) = (kind.char(), kind.closer());
    match kind {
        OpenerKind::Sequence | OpenerKind::Mapping => (
            format!("this `{open}` is never closed"),
            format!("close it with `{close}`, or quote the whole value if the `{open}` is text"),
        ),
        OpenerKind::DoubleQuote | OpenerKind::SingleQuote => (
            "this quote is never closed".to_string(),
            format!("end the quoted value with `{close}`"),
        ),
    }
}

fn limit_diagnostic(kind: &LimitKind, span: Span, cx: &ErrorContext<'_>) -> Diagnostic {
    let what = cx.what;
    match kind {
        LimitKind::TooLarge => Diagnostic::error(
            cx.code,
            format!("{what} is larger than the limit of {} MiB", MAX_BYTES >> 20),
        )
        .at(span, "the size limit is reached here")
        .help(format!(
            "{what} is meant for short values; long text belongs in a page body"
        )),
        LimitKind::TooDeep => Diagnostic::error(
            cx.code,
            format!("{what} nests deeper than the limit of {MAX_DEPTH} levels"),
        )
        .at(span, format!("level {} starts here", MAX_DEPTH + 1))
        .help("flatten the value (lists and mappings nest a few levels at most); a long run of `[` or `{` is usually a typo"),
        LimitKind::ControlChar(c) => Diagnostic::error(
            cx.code,
            format!("{what} contains the control character U+{:04X}", u32::from(*c)),
        )
        .at(span, "control character here")
        .help("remove it: a page may not contain control characters (tabs and line breaks are fine), written raw or as an escape"),
    }
}

#[cfg(test)]
mod tests;
