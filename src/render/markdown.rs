//! Markdown to HTML: one pulldown-cmark pass per page that also collects what the graph needs.
//!
//! The pass rewrites internal links to URLs (recording each for the anchor check), gives every
//! heading a unique id, highlights code, renders confidence marks (`[U]`, `[K]`), links the
//! first mention of each glossary term, and gathers the table of contents and plain text.
//! It is a pure function of its inputs.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::content::model::{slugify, Page, PageId};
use crate::diag::{Diagnostic, FileId, Span};
use crate::graph::links::{classify_link, LinkTarget};
use crate::graph::PageIndex;
use crate::render::highlight::Highlighter;

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
    /// Glossary terms, longest first.
    pub glossary: &'a [GlossaryTerm],
    /// Let raw HTML through.
    pub allow_raw_html: bool,
    /// Curly quotes and dashes.
    pub smart_punctuation: bool,
    /// Root-relative paths of non-page files the site will have (`/style.css`).
    pub known_files: &'a HashSet<String>,
    /// Produce HTML (false: only the metadata, for a first pass whose HTML would be dropped).
    pub html: bool,
}

/// A heading of the page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Heading {
    /// 1–6.
    pub level: u8,
    /// Unique id on the page.
    pub id: String,
    /// Plain text.
    pub text: String,
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
}

impl MdMeta {
    /// Separates the metadata from the HTML.
    pub fn split(mut r: RenderedMarkdown) -> (MdMeta, String) {
        // Kept for the whole build: give back the slack of a string grown by pushes.
        r.text.shrink_to_fit();
        let meta = MdMeta {
            headings: std::sync::Arc::new(r.headings),
            anchors: r.anchors,
            links: r.links,
            diags: r.diags,
            text: r.text,
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
    let page = &env.pages[page_id.index()];
    let body_text = source.get(body.clone()).unwrap_or_default();
    let mut r = Renderer {
        env,
        page,
        page_id,
        file: page.file,
        base: body.start,
        body_text,
        out: Vec::new(),
        pending: String::new(),
        link_depth: 0,
        heading: None,
        code: None,
        ids: HashMap::new(),
        used_terms: HashSet::new(),
        footnotes: HashMap::new(),
        last_was_html: false,
        result: RenderedMarkdown::default(),
    };
    let parser =
        Parser::new_ext(body_text, parser_options(env.smart_punctuation)).into_offset_iter();
    for (event, range) in parser {
        r.event(event, range);
    }
    r.flush_text();
    if env.html {
        let mut html = String::with_capacity(body_text.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, r.out.into_iter());
        r.result.html = html;
    }
    r.result
}

struct HeadingState<'a> {
    level: HeadingLevel,
    id: Option<String>,
    classes: Vec<CowStr<'a>>,
    events: Vec<Event<'a>>,
    text: String,
}

struct Renderer<'e, 'a> {
    env: &'e MarkdownEnv<'e>,
    page: &'e Page,
    page_id: PageId,
    file: FileId,
    base: usize,
    body_text: &'a str,
    out: Vec<Event<'a>>,
    pending: String,
    link_depth: usize,
    heading: Option<HeadingState<'a>>,
    code: Option<(String, String)>,
    ids: HashMap<String, usize>,
    used_terms: HashSet<usize>,
    footnotes: HashMap<String, usize>,
    last_was_html: bool,
    result: RenderedMarkdown,
}

impl<'a> Renderer<'_, 'a> {
    fn emit(&mut self, e: Event<'a>) {
        match &mut self.heading {
            Some(h) => h.events.push(e),
            None => self.out.push(e),
        }
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        let is_html = matches!(event, Event::Html(_) | Event::InlineHtml(_));
        if !matches!(event, Event::Text(_)) {
            self.flush_text();
        }
        match event {
            Event::Text(t) => self.text(t),
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Event::End(TagEnd::CodeBlock) => self.end_code(),
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                self.heading = Some(HeadingState {
                    level,
                    id: id.map(|s| s.to_string()),
                    classes,
                    events: Vec::new(),
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.link_depth += 1;
                let dest = self.rewrite_link(&dest_url, range);
                self.emit(Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Link) => {
                self.link_depth = self.link_depth.saturating_sub(1);
                self.emit(Event::End(TagEnd::Link));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.link_depth += 1;
                let dest = self.rewrite_link(&dest_url, range);
                self.emit(Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Image) => {
                self.link_depth = self.link_depth.saturating_sub(1);
                self.emit(Event::End(TagEnd::Image));
            }
            Event::Html(h) | Event::InlineHtml(h) => self.raw_html(h, range),
            Event::FootnoteReference(label) => {
                let (n, slug) = self.footnote(&label);
                self.emit(Event::InlineHtml(
                    format!("<sup class=\"footnote-ref\"><a href=\"#fn-{slug}\" id=\"fnref-{slug}\">{n}</a></sup>").into(),
                ));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let (n, slug) = self.footnote(&label);
                self.result.anchors.insert(format!("fn-{slug}"));
                self.emit(Event::Html(
                    format!("<div class=\"footnote\" id=\"fn-{slug}\"><span class=\"footnote-label\">{n}</span>").into(),
                ));
            }
            Event::End(TagEnd::FootnoteDefinition) => self.emit(Event::Html("</div>\n".into())),
            Event::Code(c) => {
                self.result.text.push_str(&c);
                self.push_heading_text(&c);
                self.emit(Event::Code(c));
            }
            Event::SoftBreak | Event::HardBreak => {
                self.result.text.push(' ');
                self.push_heading_text(" ");
                self.emit(event);
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                self.result.text.push(' ');
                self.emit(event);
            }
            other => self.emit(other),
        }
        self.last_was_html = is_html;
    }

    fn push_heading_text(&mut self, s: &str) {
        if let Some(h) = &mut self.heading {
            h.text.push_str(s);
        }
    }

    fn text(&mut self, t: CowStr<'a>) {
        if let Some((_, code)) = &mut self.code {
            code.push_str(&t);
            return;
        }
        self.result.text.push_str(&t);
        if self.heading.is_some() {
            self.push_heading_text(&t);
            self.emit(Event::Text(t));
            return;
        }
        self.pending.push_str(&t);
    }

    /// Emits merged text, with confidence marks and glossary links outside links.
    fn flush_text(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.pending);
        if self.link_depth > 0 {
            self.emit(Event::Text(text.into()));
            return;
        }
        let mut rest = text.as_str();
        while !rest.is_empty() {
            match self.next_special(rest) {
                Some((start, len, html)) => {
                    if start > 0 {
                        self.emit(Event::Text(rest[..start].to_string().into()));
                    }
                    self.emit(Event::InlineHtml(html.into()));
                    rest = &rest[start + len..];
                }
                None => {
                    self.emit(Event::Text(rest.to_string().into()));
                    break;
                }
            }
        }
    }

    /// The earliest confidence mark or unused glossary term in `s`: (start, length, html).
    fn next_special(&mut self, s: &str) -> Option<(usize, usize, String)> {
        let mut best: Option<(usize, usize, String, Option<usize>)> = None;
        for (mark, class, label, title) in [
            (
                "[U]",
                "conf-u",
                "uncertain",
                "Uncertain: an inference or a disputed point; see the sources",
            ),
            (
                "[K]",
                "conf-k",
                "unverified",
                "Background knowledge, not checked against the source text",
            ),
        ] {
            if let Some(i) = s.find(mark) {
                if best.as_ref().is_none_or(|b| i < b.0) {
                    let html =
                        format!("<span class=\"conf {class}\" title=\"{title}\">{label}</span>");
                    best = Some((i, mark.len(), html, None));
                }
            }
        }
        for (ti, term) in self.env.glossary.iter().enumerate() {
            if term.page == self.page_id || self.used_terms.contains(&ti) {
                continue;
            }
            if let Some(i) = find_word(s, &term.term) {
                let better = match &best {
                    None => true,
                    Some(b) => i < b.0 || (i == b.0 && b.3.is_some() && term.term.len() > b.1),
                };
                if better {
                    let html = format!(
                        "<a class=\"term\" href=\"{}\" title=\"{}\">{}</a>",
                        escape_attr(&term.url),
                        escape_attr(&term.expansion),
                        escape_text(&term.term)
                    );
                    best = Some((i, term.term.len(), html, Some(ti)));
                }
            }
        }
        let (start, len, html, term) = best?;
        if let Some(ti) = term {
            self.used_terms.insert(ti);
        }
        Some((start, len, html))
    }

    fn end_code(&mut self) {
        let Some((lang, code)) = self.code.take() else {
            return;
        };
        self.result.text.push_str(&code);
        let lang_attr = if lang.is_empty() {
            String::new()
        } else {
            format!(" class=\"language-{}\"", escape_attr(&lang))
        };
        let inner = if lang.is_empty() || !self.env.html {
            None
        } else {
            self.env.highlighter.highlight(&code, &lang)
        };
        let inner = inner.unwrap_or_else(|| escape_text(&code));
        let html =
            format!("<pre class=\"code\" tabindex=\"0\"><code{lang_attr}>{inner}</code></pre>\n");
        self.emit(Event::Html(html.into()));
    }

    fn end_heading(&mut self) {
        let Some(h) = self.heading.take() else { return };
        let level = h.level as u8;
        let base = h.id.clone().unwrap_or_else(|| {
            let s = slugify(&h.text);
            if s.is_empty() {
                "section".to_string()
            } else {
                s
            }
        });
        let id = self.unique_id(base);
        self.result.anchors.insert(id.clone());
        self.result.headings.push(Heading {
            level,
            id: id.clone(),
            text: h.text.trim().to_string(),
        });
        let class = if h.classes.is_empty() {
            String::new()
        } else {
            let names: Vec<&str> = h.classes.iter().map(|c| c.as_ref()).collect();
            format!(" class=\"{}\"", escape_attr(&names.join(" ")))
        };
        self.out.push(Event::Html(
            format!("<h{level} id=\"{}\"{class}>", escape_attr(&id)).into(),
        ));
        self.out.extend(h.events);
        self.out.push(Event::Html(
            format!(
                "<a class=\"anchor\" href=\"#{}\" aria-label=\"Link to this section\">#</a></h{level}>\n",
                escape_attr(&id)
            )
            .into(),
        ));
        // In the plain text (search snippets, summaries) a heading ends like a sentence, so
        // it does not run into the paragraph after it.
        let kept = self.result.text.trim_end().len();
        self.result.text.truncate(kept);
        if self
            .result
            .text
            .ends_with(|c: char| c.is_alphanumeric() || c == ')')
        {
            self.result.text.push('.');
        }
        self.result.text.push(' ');
    }

    fn unique_id(&mut self, base: String) -> String {
        let n = self.ids.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n == 1 {
            base
        } else {
            let id = format!("{base}-{}", *n - 1);
            self.ids.insert(id.clone(), 1);
            id
        }
    }

    fn footnote(&mut self, label: &str) -> (usize, String) {
        let next = self.footnotes.len() + 1;
        let n = *self.footnotes.entry(label.to_string()).or_insert(next);
        let slug = slugify(label);
        (n, if slug.is_empty() { n.to_string() } else { slug })
    }

    fn raw_html(&mut self, h: CowStr<'a>, range: Range<usize>) {
        if self.env.allow_raw_html {
            self.emit(Event::Html(h));
            return;
        }
        if !self.last_was_html {
            let raw = self.body_text.get(range.clone()).unwrap_or_default();
            let end = range.start + raw.trim_end().len().max(1);
            let span = Span::new(self.file, self.base + range.start..self.base + end);
            self.result.diags.push(
                Diagnostic::error("raw-html", "raw HTML is not allowed in this site")
                    .at(span, "HTML here")
                    .help(
                        "write it in Markdown, or set `markdown.allow_raw_html: true` in site.yaml",
                    ),
            );
        }
        self.emit(Event::Text(h));
    }

    /// Rewrites an internal destination to its URL and records it; reports broken ones.
    fn rewrite_link(&mut self, dest: &str, range: Range<usize>) -> CowStr<'a> {
        let span = self.dest_span(dest, range);
        let target = classify_link(dest, &self.page.rel_path);
        match target {
            LinkTarget::External | LinkTarget::Relative => CowStr::from(dest.to_string()),
            LinkTarget::SamePage(anchor) => {
                self.record(self.page_id, Some(anchor), span);
                CowStr::from(dest.to_string())
            }
            LinkTarget::Source { path, anchor } => match self.env.index.by_source(&path) {
                Some(id) => {
                    self.record(id, anchor, span);
                    let mut url = self.env.pages[id.index()].url.0.clone();
                    if let Some(a) = anchor {
                        url.push('#');
                        url.push_str(a);
                    }
                    url.into()
                }
                None => {
                    let help = match self.env.index.suggest_source(&path) {
                        Some(s) => format!("did you mean `@/{s}`?"),
                        None => "link to a file under content/, e.g. `@/countries/peru/_index.md`"
                            .to_string(),
                    };
                    self.result.diags.push(
                        Diagnostic::error(
                            "broken-link",
                            format!("link target `{path}` does not exist"),
                        )
                        .at(span, "no page at this path")
                        .help(help),
                    );
                    CowStr::from(dest.to_string())
                }
            },
            LinkTarget::Root { path, anchor } => {
                let with_slash = if path.ends_with('/') || path.contains('.') {
                    path.to_string()
                } else {
                    format!("{path}/")
                };
                if let Some(id) = self.env.index.by_url(&with_slash) {
                    self.record(id, anchor, span);
                } else if !self.env.known_files.contains(path) {
                    self.result.diags.push(
                        Diagnostic::error("broken-link", format!("no page or file at `{path}`"))
                            .at(span, "nothing is built at this URL")
                            .help("link to a page with `@/path/to/file.md`, or check the URL"),
                    );
                }
                CowStr::from(dest.to_string())
            }
        }
    }

    fn record(&mut self, target: PageId, anchor: Option<&str>, span: Span) {
        self.result.links.push(LinkOut {
            target,
            anchor: anchor.filter(|a| !a.is_empty()).map(str::to_string),
            span,
        });
    }

    fn dest_span(&self, dest: &str, range: Range<usize>) -> Span {
        let slice = self.body_text.get(range.clone()).unwrap_or_default();
        let local = match slice.rfind(dest) {
            Some(i) if !dest.is_empty() => range.start + i..range.start + i + dest.len(),
            _ => range.clone(),
        };
        Span::new(self.file, self.base + local.start..self.base + local.end)
    }
}

/// Finds `word` in `s` at word boundaries.
fn find_word(s: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = s[from..].find(word) {
        let start = from + i;
        let end = start + word.len();
        let before = s[..start].chars().next_back();
        let after = s[end..].chars().next();
        let boundary =
            |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '/' && c != '-');
        if boundary(before) && boundary(after) {
            return Some(start);
        }
        from = end;
    }
    None
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

/// Renders a short inline Markdown string (a `text` field) to HTML, without a wrapping `<p>`.
pub fn render_inline(text: &str) -> String {
    let mut html = String::new();
    let events = Parser::new_ext(text, parser_options(true)).filter(|e| {
        !matches!(
            e,
            Event::Start(Tag::Paragraph)
                | Event::End(TagEnd::Paragraph)
                | Event::Html(_)
                | Event::InlineHtml(_)
        )
    });
    pulldown_cmark::html::push_html(&mut html, events);
    let mut out = String::new();
    let _ = write!(out, "{}", html.trim_end());
    out
}

#[cfg(test)]
mod tests;
