//! Markdown to HTML: one pulldown-cmark pass per page that also collects what the graph needs.
//!
//! The pass ([`renderer`]) rewrites internal links to URLs (recording each for the anchor
//! check, [`links`]), gives every heading and footnote a unique id ([`ids`]), highlights code,
//! renders confidence marks and links the first mention of each glossary term
//! ([`specials`]), and gathers the table of contents and plain text. Each page's Markdown is
//! parsed once per build, and its events stream into the HTML writer. It is a pure function
//! of its inputs.

mod ids;
mod links;
mod renderer;
mod specials;

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::content::model::{Page, PageId};
use crate::diag::{Diagnostic, Span};
use crate::graph::PageIndex;
use crate::render::highlight::Highlighter;
use crate::render::marks::Marks;
pub use specials::Specials;

/// A glossary term to link on first mention.
#[derive(Debug, Clone)]
pub struct GlossaryTerm {
    /// The text to match (whole words, case-sensitive).
    pub term: String,
    /// The term page's URL.
    pub url: String,
    /// Shown as the link title.
    pub expansion: String,
    /// The term's own page (not linked there).
    pub page: PageId,
}

/// Everything the Markdown pass needs from the rest of the build.
pub struct MarkdownEnv<'a> {
    /// All pages.
    pub pages: &'a [Page],
    /// Id, source and URL lookups.
    pub index: &'a PageIndex,
    /// Code highlighter.
    pub highlighter: &'a Highlighter,
    /// Confidence marks and glossary terms, matched in one pass.
    pub specials: &'a Specials,
    /// Ids the page's templates write themselves; headings and footnotes never take them.
    pub reserved_ids: &'a HashSet<String>,
    /// Let raw HTML through.
    pub allow_raw_html: bool,
    /// Curly quotes and dashes.
    pub smart_punctuation: bool,
    /// Root-relative paths of non-page files the site will have (`/style.css`).
    pub known_files: &'a HashSet<String>,
}

/// A heading of the page.
#[derive(Debug, Clone)]
pub struct Heading {
    /// 1–6.
    pub level: u8,
    /// Unique id on the page.
    pub id: String,
    /// Plain text.
    pub text: String,
    /// Its line in the source file (1-based), for the URL manifest. Not part of equality or
    /// the hash: pages that show another page's headings do not depend on where they sit.
    pub line: u32,
}

impl PartialEq for Heading {
    fn eq(&self, other: &Self) -> bool {
        (self.level, &self.id, &self.text) == (other.level, &other.id, &other.text)
    }
}

impl Eq for Heading {}

impl std::hash::Hash for Heading {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self.level, &self.id, &self.text).hash(state);
    }
}

/// An internal link found in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkOut {
    /// Target page.
    pub target: PageId,
    /// Anchor on it.
    pub anchor: Option<String>,
    /// Where the destination is written.
    pub span: Span,
}

/// The result of rendering one page body.
#[derive(Debug, Default)]
pub struct RenderedMarkdown {
    /// The HTML.
    pub html: String,
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// Every id an `#anchor` may name (headings, footnotes).
    pub anchors: HashSet<String>,
    /// Internal links.
    pub links: Vec<LinkOut>,
    /// Problems found.
    pub diags: Vec<Diagnostic>,
    /// Plain text of the body (for search).
    pub text: String,
}

/// What the rest of the build needs from a page's Markdown, without its HTML.
#[derive(Debug, Clone, Default)]
pub struct MdMeta {
    /// Headings in order.
    pub headings: std::sync::Arc<Vec<Heading>>,
    /// Ids an `#anchor` may name.
    pub anchors: HashSet<String>,
    /// Internal links.
    pub links: Vec<LinkOut>,
    /// Problems found.
    pub diags: Vec<Diagnostic>,
    /// Plain text.
    pub text: String,
    /// The page's summary: its description, else the first sentences of the text (set by
    /// the build; empty until then).
    pub summary: std::sync::Arc<str>,
    /// A hash of the page's HTML, for rebuilds that must tell whether it changed (links to
    /// pages whose URL or title changed, glossary terms); 0 when not computed.
    pub html_hash: u64,
}

impl MdMeta {
    /// Separates the metadata from the HTML.
    pub fn split(mut r: RenderedMarkdown) -> (MdMeta, String) {
        // Both are kept until the page's template runs (the HTML) or the search index is
        // built (the text): give back the slack of strings grown by pushes.
        r.text.shrink_to_fit();
        r.html.shrink_to_fit();
        let meta = MdMeta {
            headings: std::sync::Arc::new(r.headings),
            anchors: r.anchors,
            links: r.links,
            diags: r.diags,
            text: r.text,
            summary: "".into(),
            html_hash: 0,
        };
        (meta, r.html)
    }
}

/// The options used for every page.
pub fn parser_options(smart_punctuation: bool) -> Options {
    let mut o = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if smart_punctuation {
        o |= Options::ENABLE_SMART_PUNCTUATION;
    }
    o
}

/// Renders the body of `page` (the byte range `body` of `source`).
pub fn render_markdown(
    env: &MarkdownEnv<'_>,
    page_id: PageId,
    source: &str,
    body: Range<usize>,
) -> RenderedMarkdown {
    let body_text = source.get(body.clone()).unwrap_or_default();
    let mut r = renderer::Renderer::new(env, page_id, body_text, body.start);
    r.set_first_line(source.get(..body.start).unwrap_or_default());
    let mut html = String::with_capacity(body_text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, r.by_ref());
    r.result.html = html;
    r.result
}

/// Escapes text for HTML element content.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for a double-quoted attribute.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// A link or image tag with its destination replaced by `f(destination)`; other tags as they are.
fn with_dest<'a>(
    tag: Tag<'a>,
    f: impl FnOnce(pulldown_cmark::CowStr<'a>) -> pulldown_cmark::CowStr<'a>,
) -> Tag<'a> {
    match tag {
        Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Link {
            link_type,
            dest_url: f(dest_url),
            title,
            id,
        },
        Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Image {
            link_type,
            dest_url: f(dest_url),
            title,
            id,
        },
        other => other,
    }
}

/// Renders a short inline Markdown string (a `text` field) to HTML, without a wrapping `<p>`
/// when it is one paragraph (a value of several keeps its paragraphs). Raw HTML is kept only when the site allows it (front matter validation reports it
/// otherwise), and a link with an unsafe scheme never reaches the output. `@/path.md#anchor`
/// destinations are rewritten by `resolve` (to the
/// page's URL; `None` keeps the destination as written, which `check` has reported).
pub fn render_inline_with(
    text: &str,
    allow_raw_html: bool,
    marks: &Marks,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> String {
    let parsed: Vec<Event<'_>> = Parser::new_ext(text, parser_options(true)).collect();
    let one_paragraph = parsed
        .iter()
        .filter(|e| matches!(e, Event::Start(Tag::Paragraph)))
        .count()
        <= 1;
    let mut events: Vec<Event<'_>> = Vec::new();
    for e in parsed {
        match e {
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) if one_paragraph => {}
            Event::Html(_) | Event::InlineHtml(_) if !allow_raw_html => {}
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                events.push(Event::Start(with_dest(tag, |d| {
                    if crate::graph::links::disallowed_scheme(&d).is_some() {
                        "#".into()
                    } else if d.starts_with("@/") {
                        resolve(&d).map_or(d, Into::into)
                    } else {
                        d
                    }
                })));
            }
            // Runs are merged: the parser splits `[U]` into several text events.
            Event::Text(t) => match events.last_mut() {
                Some(Event::Text(prev)) => {
                    let mut merged = std::mem::replace(prev, "".into()).into_string();
                    merged.push_str(&t);
                    *prev = merged.into();
                }
                _ => events.push(Event::Text(t)),
            },
            other => events.push(other),
        }
    }
    // A value may carry confidence marks, shown as the body shows them.
    let events = events.into_iter().map(|e| match e {
        Event::Text(t) if marks.any_in(&t) => Event::InlineHtml(marks.with_badges(&t).into()),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html.truncate(html.trim_end().len());
    html
}

#[cfg(test)]
pub(crate) mod tests;
