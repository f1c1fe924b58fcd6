//! Links inside `text` fields: checked as the body's are, once the pages are known.
//!
//! A `text` value is inline Markdown in front matter, and the `markdown` filter may render it
//! on any page (a benchmark's target on its country's page), so a link in it must not depend
//! on the page it is shown on: it names a page as `@/path.md` (rewritten to its URL by the
//! filter) or a root-relative `/path/`. A relative `.md` link is an error, as is a target that
//! does not exist. Unsafe schemes and raw HTML are reported earlier, with the front matter.

use std::collections::HashSet;

use pulldown_cmark::{Event, Parser, Tag};

use crate::config::{Config, FieldKind};
use crate::content::model::{FieldValue, Page};
use crate::diag::{Diagnostic, SourceMap, Span};
use crate::graph::links::{classify_link, LinkTarget};
use crate::graph::PageIndex;
use crate::render::markdown::parser_options;

/// Every broken or relative link in the pages' `text` fields. `known_files` are the URL
/// paths of files that are not pages (static files, assets, generated files).
pub fn check_text_links(
    config: &Config,
    pages: &[Page],
    index: &PageIndex,
    known_files: &HashSet<String>,
    sources: &SourceMap,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for page in pages {
        let Some(tdef) = page.type_name.as_deref().and_then(|t| config.types.get(t)) else {
            continue;
        };
        for (name, value) in &page.front.fields {
            let Some(def) = tdef.fields.get(name) else {
                continue;
            };
            let text_kind = |k: FieldKind| k == FieldKind::Text;
            let texts: Vec<&str> = match value {
                FieldValue::Str(s) if text_kind(def.kind) => vec![s.as_str()],
                FieldValue::List(items) if def.of.as_ref().is_some_and(|o| text_kind(o.kind)) => {
                    items
                        .iter()
                        .filter_map(|v| match v {
                            FieldValue::Str(s) => Some(s.as_str()),
                            _ => None,
                        })
                        .collect()
                }
                _ => continue,
            };
            for text in texts.into_iter().filter(|t| t.contains("](")) {
                for dest in destinations(text) {
                    if let Some(problem) = problem(&dest, index, known_files) {
                        diags.push(problem.into_diagnostic(page, name, &dest, sources));
                    }
                }
            }
        }
    }
    diags
}

/// Link and image destinations in inline Markdown.
fn destinations(text: &str) -> Vec<String> {
    Parser::new_ext(text, parser_options(true))
        .filter_map(|e| match e {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some(dest_url.into_string())
            }
            _ => None,
        })
        .collect()
}

/// What is wrong with one destination.
enum Problem {
    Relative,
    NoSource(Option<String>),
    NoUrl,
}

fn problem(dest: &str, index: &PageIndex, known_files: &HashSet<String>) -> Option<Problem> {
    match classify_link(dest, "") {
        LinkTarget::External | LinkTarget::Relative | LinkTarget::SamePage(_) => None,
        LinkTarget::Source { .. } if !dest.starts_with("@/") => Some(Problem::Relative),
        LinkTarget::Source { path, .. } => match index.by_source(&path) {
            Some(_) => None,
            None => Some(Problem::NoSource(
                index.suggest_source(&path).map(str::to_string),
            )),
        },
        LinkTarget::Root { path, .. } => {
            let found = index.by_link_path(&path).is_some() || known_files.contains(&path);
            (!found).then_some(Problem::NoUrl)
        }
    }
}

impl Problem {
    fn into_diagnostic(
        self,
        page: &Page,
        field: &str,
        dest: &str,
        sources: &SourceMap,
    ) -> Diagnostic {
        let span = dest_span(page, field, dest, sources);
        match self {
            Problem::Relative => Diagnostic::error(
                "relative-link-in-text",
                format!("`{field}` links to `{dest}` by a relative path"),
            )
            .at(span, "relative to which page?")
            .help("a `text` field can be shown on other pages: link with `@/` and the path under content/, e.g. `@/notes/first.md`"),
            Problem::NoSource(suggestion) => Diagnostic::error(
                "broken-link",
                format!("link target `{}` does not exist (in `{field}`)", dest.trim_start_matches("@/")),
            )
            .at(span, "no page at this path")
            .help(match suggestion {
                Some(s) => format!("did you mean `@/{s}`?"),
                None => "link to a file under content/, e.g. `@/notes/_index.md`".to_string(),
            }),
            Problem::NoUrl => Diagnostic::error(
                "broken-link",
                format!("no page or file at `{dest}` (in `{field}`)"),
            )
            .at(span, "nothing is built at this URL")
            .help("link to a page with `@/path/to/file.md`, or check the URL"),
        }
    }
}

/// The destination where it is written in the front matter: after the field's key (a text
/// value is written once, so its first occurrence there is it), else the field's value.
fn dest_span(page: &Page, field: &str, dest: &str, sources: &SourceMap) -> Span {
    let text = &sources.get(page.file).text;
    let front = text.get(page.front_range.clone()).unwrap_or_default();
    let key = format!("{field}:");
    let found = front.find(&key).and_then(|k| {
        let after = k + key.len();
        front.get(after..)?.find(dest).map(|i| after + i)
    });
    match found {
        Some(i) if !dest.is_empty() => {
            let start = page.front_range.start + i;
            Span::new(page.file, start..start + dest.len())
        }
        _ => crate::content::front_span(page, sources, field),
    }
}
