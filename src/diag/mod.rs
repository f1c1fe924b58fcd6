//! Diagnostics: the data model for content problems and the source map that locates them.
//!
//! This module owns `Diagnostic`, `Severity`, `FileId` and `SourceMap`. It keeps byte offsets
//! and turns them into `line:col` (1-based, columns counted in characters) only when a
//! diagnostic is reported. Formatting lives in [`render`]; nothing here prints.

mod render;

pub use render::{render_diagnostics, OutputFormat};

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

/// Index of a file in the [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// One file known to the build: its path relative to the site root (with `/`), and its text.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the site root, `/`-separated, used in every diagnostic.
    pub rel_path: String,
    /// Absolute path on disk.
    pub abs_path: PathBuf,
    /// The text (lossily decoded if the file was not valid UTF-8; an error was reported then).
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// A file with its line index.
    pub fn new(rel_path: String, abs_path: PathBuf, text: String) -> Self {
        let mut line_starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        line_starts.shrink_to_fit();
        SourceFile {
            rel_path,
            abs_path,
            text,
            line_starts,
        }
    }

    /// 1-based line and character column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// Byte offsets where each line starts.
    pub fn line_starts(&self) -> &[usize] {
        &self.line_starts
    }
}

/// Every file the build has read, addressed by [`FileId`]. Cloning is cheap (files are shared),
/// and ids stay stable when a file's text is replaced, so `serve` can keep one map for a session.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: Vec<Arc<SourceFile>>,
    /// Shared between clones (each build report holds one) until a file is added.
    by_path: Arc<std::collections::HashMap<String, FileId>>,
}

impl SourceMap {
    /// Adds a file and returns its id.
    pub fn add(&mut self, rel_path: String, abs_path: PathBuf, text: String) -> FileId {
        self.add_file(SourceFile::new(rel_path, abs_path, text))
    }

    /// Adds a file made with [`SourceFile::new`] (e.g. on another thread) and returns its id.
    /// A later file with the same path is found by [`SourceMap::find`] instead of the earlier.
    pub fn add_file(&mut self, file: SourceFile) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).expect("invariant: fewer than 2^32 files"));
        Arc::make_mut(&mut self.by_path).insert(file.rel_path.clone(), id);
        self.files.push(Arc::new(file));
        id
    }

    /// Replaces a file with one read again from the same path, keeping its id.
    pub fn replace_file(&mut self, id: FileId, file: SourceFile) {
        self.files[id.0 as usize] = Arc::new(file);
    }

    /// The file with this id.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// Finds a file by its site-relative path.
    pub fn find(&self, rel_path: &str) -> Option<FileId> {
        self.by_path.get(rel_path).copied()
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when no file was added.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// How serious a diagnostic is. Errors fail `build` and `check`; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails the build.
    Error,
    /// Reported, but the build succeeds.
    Warning,
}

/// A span inside a known file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The file.
    pub file: FileId,
    /// Byte range in the file's text.
    pub range: Range<usize>,
}

impl Span {
    /// A span over `range` in `file`.
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        Span { file, range }
    }
}

/// A content problem: a stable code, a message, where it is, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable kebab-case code, e.g. `broken-link`.
    pub code: &'static str,
    /// Short lowercase message; user values in backticks.
    pub message: String,
    /// The primary location, if the problem has one.
    pub span: Option<Span>,
    /// Label shown under the caret.
    pub label: String,
    /// What to do about it.
    pub help: Option<String>,
    /// A file the problem belongs to when there is no span (e.g. a file that could not be read).
    pub path: Option<String>,
    /// Secondary locations that explain the primary one (where a repeated key was first set,
    /// where an unclosed `[` was opened), each with its label.
    pub related: Vec<(Span, String)>,
}

impl Diagnostic {
    /// A new error with a code and message.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span: None,
            label: String::new(),
            help: None,
            path: None,
            related: Vec::new(),
        }
    }

    /// A new warning with a code and message.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Attaches the primary span and its label.
    pub fn at(mut self, span: Span, label: impl Into<String>) -> Self {
        self.span = Some(span);
        self.label = label.into();
        self
    }

    /// Adds a secondary location with its label.
    pub fn with_related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push((span, label.into()));
        self
    }

    /// Attaches a path when there is no span.
    pub fn in_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Attaches the `help:` line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// File path, line and column (1-based) of the primary location, if any.
    pub fn location(&self, sources: &SourceMap) -> Option<(String, usize, usize)> {
        match &self.span {
            Some(span) => {
                let file = sources.get(span.file);
                let (line, col) = file.line_col(span.range.start);
                Some((file.rel_path.clone(), line, col))
            }
            None => self.path.clone().map(|p| (p, 1, 1)),
        }
    }
}

/// Sorts diagnostics into a stable order: by file, then position, then code.
pub fn sort_diagnostics(diags: &mut [Diagnostic], sources: &SourceMap) {
    diags.sort_by_cached_key(|d| {
        let (path, start) = match &d.span {
            Some(s) => (sources.get(s.file).rel_path.clone(), s.range.start),
            None => (d.path.clone().unwrap_or_default(), 0),
        };
        (path, start, d.code, d.message.clone())
    });
}

/// A count and its noun: `1 error`, `2 errors` (nouns that take an `s`).
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `a` or `an` before a word as it is read aloud (`an author`, `a country`); by its first
/// letter, which is right for the type and field names majors prints.
pub fn article(word: &str) -> &'static str {
    match word.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

/// Suggests the candidate closest to `wanted`, if any is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for cand in candidates {
        let score = strsim::normalized_damerau_levenshtein(wanted, cand);
        // Equally close candidates are told apart by their text, so that the suggestion never
        // depends on the order the candidates come in (a hash map's, for some callers).
        let better = |(s, c): (f64, &str)| score > s || (score == s && cand < c);
        if score >= 0.7 && best.is_none_or(better) {
            best = Some((score, cand));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let mut map = SourceMap::default();
        let id = map.add("a.md".into(), PathBuf::from("a.md"), "ab\n¶é x\n".into());
        let file = map.get(id);
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(3), (2, 1));
        // `x` sits after two 2-byte characters and a space: byte 8, column 4.
        assert_eq!(file.line_col(8), (2, 4));
    }

    #[test]
    fn suggestion_needs_a_close_match() {
        assert_eq!(did_you_mean("titel", ["title", "weight"]), Some("title"));
        assert_eq!(did_you_mean("zzz", ["title", "weight"]), None);
        // A shared prefix alone is not a typo.
        assert_eq!(
            did_you_mean("things/gamma", ["things", "things/alpha"]),
            None
        );
        assert_eq!(
            did_you_mean("things/alpah", ["things", "things/alpha"]),
            Some("things/alpha")
        );
    }

    #[test]
    fn equally_close_suggestions_do_not_depend_on_order() {
        let a = did_you_mean("thinx", ["thing", "thin"]);
        let b = did_you_mean("thinx", ["thin", "thing"]);
        assert_eq!(a, b);
        let (x, y) = (
            did_you_mean("abcd", ["abce", "abcf"]),
            did_you_mean("abcd", ["abcf", "abce"]),
        );
        assert_eq!((x, y), (Some("abce"), Some("abce")));
    }

    #[test]
    fn counts_and_articles_read_as_english() {
        assert_eq!(count(1, "error"), "1 error");
        assert_eq!(count(0, "error"), "0 errors");
        assert_eq!(count(2, "page"), "2 pages");
        assert_eq!(
            format!("{} `author` page", article("author")),
            "an `author` page"
        );
        assert_eq!(
            format!("{} `country` page", article("country")),
            "a `country` page"
        );
    }
}
