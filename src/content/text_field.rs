//! Checks of `text` fields: the inline Markdown editors write in front matter, which templates
//! render with the `markdown` filter.
//!
//! The body's Markdown is checked while it renders; a `text` value is checked here, while its
//! front matter is validated, so that a problem has a line and column. Two problems matter:
//! a link or image whose URL has a scheme other than http, https, mailto and tel (a
//! `javascript:` link runs script even with raw HTML off), and raw HTML when the site sets
//! `markdown.allow_raw_html: false` (the filter would drop it silently).

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::graph::links::disallowed_scheme;
use crate::render::markdown::parser_options;

/// What is wrong in a `text` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextProblemKind {
    /// A link or image URL with a scheme that is not allowed (lower-cased).
    UnsafeUrl {
        /// The scheme, e.g. `javascript`.
        scheme: String,
    },
    /// Inline or block HTML.
    RawHtml,
}

/// A problem and where it is in the (decoded) value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextProblem {
    /// What is wrong.
    pub kind: TextProblemKind,
    /// Byte range in the value: the URL, or the HTML.
    pub range: Range<usize>,
}

/// Every unsafe URL, and every run of raw HTML unless `allow_raw_html`, in `value`.
pub fn check_text(value: &str, allow_raw_html: bool) -> Vec<TextProblem> {
    let mut out: Vec<TextProblem> = Vec::new();
    let mut in_html_block = false;
    for (event, range) in Parser::new_ext(value, parser_options(true)).into_offset_iter() {
        let html = match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                if let Some(scheme) = disallowed_scheme(&dest_url) {
                    out.push(TextProblem {
                        kind: TextProblemKind::UnsafeUrl { scheme },
                        range: find_dest(value, &dest_url, range),
                    });
                }
                continue;
            }
            Event::Start(Tag::HtmlBlock) => {
                in_html_block = true;
                Some(range)
            }
            Event::End(TagEnd::HtmlBlock) => {
                in_html_block = false;
                None
            }
            Event::Html(_) | Event::InlineHtml(_) if !in_html_block => Some(range),
            _ => None,
        };
        let Some(range) = html.filter(|_| !allow_raw_html) else {
            continue;
        };
        let range = trimmed(value, range);
        // Adjacent tags (`<b><i>`) are one problem, as in the body.
        match out.last_mut() {
            Some(last)
                if last.kind == TextProblemKind::RawHtml && last.range.end >= range.start =>
            {
                last.range.end = last.range.end.max(range.end);
            }
            _ => out.push(TextProblem {
                kind: TextProblemKind::RawHtml,
                range,
            }),
        }
    }
    out
}

/// The destination inside the link's text (`[a](dest)`, `<dest>`), or in a reference
/// definition elsewhere in the value; else the whole link.
fn find_dest(value: &str, dest: &str, link: Range<usize>) -> Range<usize> {
    let inside = value
        .get(link.clone())
        .and_then(|s| s.find(dest))
        .map(|i| link.start + i);
    match inside.or_else(|| value.find(dest)) {
        Some(start) if !dest.is_empty() => start..start + dest.len(),
        _ => link,
    }
}

/// Without the trailing line break of a block.
fn trimmed(value: &str, range: Range<usize>) -> Range<usize> {
    let len = value.get(range.clone()).map_or(0, |s| s.trim_end().len());
    range.start..range.start + len.max(1).min(range.len())
}

/// Maps `at`, a range of the decoded `value`, to the same text in `raw` (the scalar as
/// written), if it is there: the n-th occurrence of that text in the value is taken to be the
/// n-th in the source. Escapes or line folding inside the text itself defeat this (`None`).
pub fn locate_in_scalar(raw: &str, value: &str, at: Range<usize>) -> Option<Range<usize>> {
    let needle = value.get(at.clone())?;
    if needle.is_empty() {
        return None;
    }
    let nth = value.get(..at.start)?.matches(needle).count();
    let (start, _) = raw.match_indices(needle).nth(nth)?;
    Some(start..start + needle.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (kind, text of the range) for each problem.
    fn check(value: &str, allow_raw_html: bool) -> Vec<(String, &str)> {
        check_text(value, allow_raw_html)
            .into_iter()
            .map(|p| {
                let kind = match p.kind {
                    TextProblemKind::UnsafeUrl { scheme } => format!("unsafe-url {scheme}"),
                    TextProblemKind::RawHtml => "raw-html".to_string(),
                };
                (kind, value.get(p.range).unwrap_or("?"))
            })
            .collect()
    }

    #[test]
    fn unsafe_links_and_images_are_found() {
        assert_eq!(
            check(
                "Keep [js](javascript:alert(9)) and ![i](data:x) [ok](https://x.org)",
                true
            ),
            vec![
                ("unsafe-url javascript".to_string(), "javascript:alert(9)"),
                ("unsafe-url data".to_string(), "data:x"),
            ]
        );
        assert_eq!(
            check("<JavaScript:x> and [r]\n\n[r]: vbscript:y", true),
            vec![
                ("unsafe-url javascript".to_string(), "JavaScript:x"),
                ("unsafe-url vbscript".to_string(), "vbscript:y"),
            ]
        );
        assert!(check("[a](@/x.md) [b](mailto:a@b) [c](/x/) [d](tel:1)", false).is_empty());
    }

    #[test]
    fn raw_html_is_found_unless_allowed() {
        let value = "Keep <b>bold</b> and <img src=x onerror=y> end";
        assert_eq!(
            check(value, false),
            vec![
                ("raw-html".to_string(), "<b>"),
                ("raw-html".to_string(), "</b>"),
                ("raw-html".to_string(), "<img src=x onerror=y>"),
            ]
        );
        assert!(check(value, true).is_empty());
        assert_eq!(
            check("<script>alert(8)</script> x", false),
            vec![("raw-html".to_string(), "<script>alert(8)</script> x")]
        );
        assert_eq!(
            check("a <b><i>c", false),
            vec![("raw-html".to_string(), "<b><i>")]
        );
    }

    #[test]
    fn positions_map_back_to_the_source() {
        let value = "a [x](javascript:1) b [y](javascript:1)";
        let raw = "\"a [x](javascript:1) b [y](javascript:1)\"";
        let second = value.rfind("javascript:1").unwrap();
        let found = locate_in_scalar(raw, value, second..second + 12).unwrap();
        let expected = raw.rfind("javascript:1").unwrap();
        assert_eq!(found, expected..expected + 12);
        assert_eq!(locate_in_scalar("'it''s'", "it's", 0..4), None);
    }
}
