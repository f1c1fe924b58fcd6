//! Formatting of diagnostics: rustc-style text (codespan-reporting), JSON, and GitHub annotations.
//!
//! This is the only place that turns a [`Diagnostic`] into text. It writes to a caller-supplied
//! writer and never decides where output goes.

use std::io::{self, Write};
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor};

use super::{Diagnostic, FileId, Severity, SourceMap, Span};

/// How `check`/`build` print diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// rustc-style text with source snippets.
    Human {
        /// Use ANSI colours.
        color: bool,
    },
    /// One JSON array of objects.
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…,col=…::…`).
    Github,
}

impl<'a> Files<'a> for SourceMap {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.get(id).rel_path)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.get(id).text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        let starts = self.get(id).line_starts();
        Ok(match starts.binary_search(&byte_index) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        })
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let file = self.get(id);
        let starts = file.line_starts();
        let start = *starts.get(line_index).ok_or(FilesError::LineTooLarge {
            given: line_index,
            max: starts.len().saturating_sub(1),
        })?;
        let end = starts
            .get(line_index + 1)
            .copied()
            .unwrap_or(file.text.len());
        Ok(start..end)
    }
}

/// Writes every diagnostic in `format` to `out`.
pub fn render_diagnostics(
    diags: &[Diagnostic],
    sources: &SourceMap,
    format: OutputFormat,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        OutputFormat::Human { color } => render_human(diags, sources, color, out),
        OutputFormat::Json => render_json(diags, sources, out),
        OutputFormat::Github => render_github(diags, sources, out),
    }
}

/// `s` with control characters shown as `\u{1b}`: a key or value quoted in a message must
/// not drive the terminal (an ESC sequence in a front matter key once coloured it).
fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| {
                if c.is_control() && c != '\n' && c != '\t' {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

fn render_human(
    diags: &[Diagnostic],
    sources: &SourceMap,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let config = term::Config::default();
    // codespan writes in many small pieces; stderr is unbuffered.
    let mut out = io::BufWriter::new(out);
    for diag in diags {
        let cs = to_codespan(diag, sources);
        let result = if color {
            let mut writer = termcolor::Ansi::new(&mut out);
            term::emit_to_write_style(&mut writer, &config, sources, &cs)
        } else {
            term::emit_to_io_write(&mut out, &config, sources, &cs)
        };
        result.map_err(|e| match e {
            FilesError::Io(e) => e,
            other => io::Error::other(other.to_string()),
        })?;
    }
    out.flush()
}

fn to_codespan(diag: &Diagnostic, sources: &SourceMap) -> CsDiagnostic<FileId> {
    let severity = match diag.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
    };
    let mut cs = CsDiagnostic::new(severity)
        .with_code(diag.code)
        .with_message(printable(&diag.message));
    let clamp = |span: &Span| {
        let len = sources.get(span.file).text.len();
        span.range.start.min(len)..span.range.end.min(len)
    };
    match &diag.span {
        Some(span) => {
            let primary =
                Label::primary(span.file, clamp(span)).with_message(printable(&diag.label));
            let secondary = diag.related.iter().map(|(s, label)| {
                Label::secondary(s.file, clamp(s)).with_message(printable(label))
            });
            cs = cs.with_labels(std::iter::once(primary).chain(secondary).collect());
        }
        None => {
            if let Some(path) = &diag.path {
                cs = cs.with_notes(vec![format!("in `{path}`")]);
            }
        }
    }
    if let Some(help) = &diag.help {
        cs = cs.with_notes(vec![format!("help: {}", printable(help))]);
    }
    cs
}

#[derive(serde::Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    code: &'a str,
    message: &'a str,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    label: &'a str,
    help: Option<&'a str>,
    related: Vec<JsonRelated<'a>>,
}

/// A secondary location of a JSON diagnostic.
#[derive(serde::Serialize)]
struct JsonRelated<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    label: &'a str,
}

fn json_related<'a>(d: &'a Diagnostic, sources: &'a SourceMap) -> Vec<JsonRelated<'a>> {
    d.related
        .iter()
        .map(|(span, label)| {
            let file = sources.get(span.file);
            let (line, column) = file.line_col(span.range.start);
            let (end_line, end_column) = file.line_col(span.range.end);
            JsonRelated {
                file: &file.rel_path,
                line,
                column,
                end_line,
                end_column,
                label,
            }
        })
        .collect()
}

fn render_json(diags: &[Diagnostic], sources: &SourceMap, out: &mut dyn Write) -> io::Result<()> {
    let items: Vec<JsonDiagnostic<'_>> = diags
        .iter()
        .map(|d| {
            let loc = d.location(sources);
            let end = d
                .span
                .as_ref()
                .map(|s| sources.get(s.file).line_col(s.range.end));
            JsonDiagnostic {
                related: json_related(d, sources),
                severity: d.severity,
                code: d.code,
                message: &d.message,
                file: loc.as_ref().map(|l| l.0.clone()),
                line: loc.as_ref().map(|l| l.1),
                column: loc.as_ref().map(|l| l.2),
                end_line: end.map(|e| e.0),
                end_column: end.map(|e| e.1),
                label: &d.label,
                help: d.help.as_deref(),
            }
        })
        .collect();
    let mut out = io::BufWriter::new(out);
    serde_json::to_writer_pretty(&mut out, &items)?;
    writeln!(out)?;
    out.flush()
}

fn render_github(diags: &[Diagnostic], sources: &SourceMap, out: &mut dyn Write) -> io::Result<()> {
    for d in diags {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = format!("[{}] {}", d.code, printable(&d.message));
        if let Some(help) = &d.help {
            message.push_str(&format!("\nhelp: {}", printable(help)));
        }
        match d.location(sources) {
            Some((file, line, col)) => writeln!(
                out,
                "::{level} file={},line={line},col={col},title={}::{}",
                escape_property(&file),
                escape_property(d.code),
                escape_data(&message)
            )?,
            None => writeln!(
                out,
                "::{level} title={}::{}",
                escape_property(d.code),
                escape_data(&message)
            )?,
        }
    }
    Ok(())
}

/// Escapes workflow-command data as the GitHub runner expects (`%`, CR, LF).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property (data escapes plus `:` and `,`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Span;
    use std::path::PathBuf;

    fn sample() -> (SourceMap, Vec<Diagnostic>) {
        let mut map = SourceMap::default();
        let id = map.add(
            "content/a.md".into(),
            PathBuf::from("/x/content/a.md"),
            "---\ntitle: A\n---\nSee [b](@/b.md).\n".into(),
        );
        let d = Diagnostic::error("broken-link", "link target `b.md` does not exist")
            .at(Span::new(id, 25..33), "no page at this path")
            .help("did you mean `c.md`?");
        (map, vec![d])
    }

    #[test]
    fn human_output_names_file_line_col_and_help() {
        let (map, diags) = sample();
        let mut out = Vec::new();
        render_diagnostics(&diags, &map, OutputFormat::Human { color: false }, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("error[broken-link]: link target `b.md` does not exist"),
            "{text}"
        );
        assert!(text.contains("content/a.md:4:9"), "{text}");
        assert!(text.contains("help: did you mean `c.md`?"), "{text}");
    }

    #[test]
    fn control_characters_in_messages_do_not_reach_the_terminal() {
        assert_eq!(
            printable("key `\u{1b}[31mRED\u{7}`"),
            "key `\\u{1b}[31mRED\\u{7}`"
        );
        assert_eq!(printable("plain\tline\n"), "plain\tline\n");
    }

    #[test]
    fn github_output_is_one_escaped_line() {
        let (map, diags) = sample();
        let mut out = Vec::new();
        render_diagnostics(&diags, &map, OutputFormat::Github, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "::error file=content/a.md,line=4,col=9,title=broken-link::[broken-link] link target `b.md` does not exist%0Ahelp: did you mean `c.md`?\n"
        );
    }

    #[test]
    fn related_labels_are_rendered_as_secondary_labels() {
        let (map, mut diags) = sample();
        diags[0] = diags[0]
            .clone()
            .with_related(Span::new(FileId(0), 4..9), "the key");
        let mut out = Vec::new();
        render_diagnostics(&diags, &map, OutputFormat::Human { color: false }, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("----- the key"), "{text}");
        assert!(text.contains("^^^^^^^^ no page at this path"), "{text}");

        let mut out = Vec::new();
        render_diagnostics(&diags, &map, OutputFormat::Json, &mut out).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            json[0]["related"],
            serde_json::json!([{
                "file": "content/a.md", "line": 2, "column": 1,
                "end_line": 2, "end_column": 6, "label": "the key"
            }])
        );

        let mut out = Vec::new();
        render_diagnostics(&diags, &map, OutputFormat::Github, &mut out).unwrap();
        assert!(String::from_utf8(out)
            .unwrap()
            .starts_with("::error file=content/a.md,line=4,col=9,"));
    }

    #[test]
    fn json_always_has_a_related_array() {
        let (map, diags) = sample();
        let mut out = Vec::new();
        render_diagnostics(&diags, &map, OutputFormat::Json, &mut out).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(json[0]["related"], serde_json::json!([]));
    }
}
