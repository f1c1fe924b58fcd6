//! The event pass: pulldown-cmark's events in, rewritten events out, one event at a time.
//!
//! [`Renderer`] is an iterator over the parser's events, so the HTML writer consumes them as
//! they are made: a page's events are never all held (a 24 MB page produced 3.3 million, and
//! growing one buffer for them cost more than parsing). Only a heading's events wait, until
//! its id is known. Along the way it records what the rest of the build needs: headings,
//! anchors, internal links, plain text and diagnostics.

use std::collections::{HashMap, VecDeque};
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, OffsetIter, Tag, TagEnd};

use super::ids::Ids;
use super::{escape_attr, escape_text, Heading, MarkdownEnv, RenderedMarkdown};
use crate::content::model::{slugify, Page, PageId};
use crate::diag::{Diagnostic, FileId, Span};

struct HeadingState<'a> {
    level: HeadingLevel,
    line: u32,
    id: Option<String>,
    classes: Vec<CowStr<'a>>,
    events: Vec<Event<'a>>,
    text: String,
}

/// The pass over one page body.
pub struct Renderer<'e, 'a> {
    pub(super) env: &'e MarkdownEnv<'e>,
    pub(super) page: &'e Page,
    pub(super) page_id: PageId,
    pub(super) file: FileId,
    /// Offset of the body in the file (spans are file offsets).
    pub(super) base: usize,
    pub(super) body_text: &'a str,
    parser: OffsetIter<'a>,
    queue: VecDeque<Event<'a>>,
    done: bool,
    /// Text waiting for the next non-text event: runs are merged so a mark or term split by
    /// the parser (`[U]` is three text events) is still found. A single run stays borrowed.
    pending: Option<CowStr<'a>>,
    link_depth: usize,
    heading: Option<HeadingState<'a>>,
    code: Option<(String, String)>,
    ids: Ids,
    used_terms: Vec<bool>,
    /// Footnote label -> (number, definition id).
    footnotes: HashMap<String, (usize, String)>,
    last_was_html: bool,
    /// (byte in the body, its line): where the last heading's line was counted, so lines
    /// are counted once per page, not once per heading.
    line_at: (usize, u32),
    /// What the pass found.
    pub result: RenderedMarkdown,
}

impl<'a> Iterator for Renderer<'_, 'a> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(e) = self.queue.pop_front() {
                return Some(e);
            }
            match self.parser.next() {
                Some((event, range)) => self.event(event, range),
                None if self.done => return None,
                None => {
                    self.flush_text();
                    self.done = true;
                }
            }
        }
    }
}

impl<'e, 'a> Renderer<'e, 'a> {
    /// A pass over `body_text` (at byte `base` of the page's file).
    pub fn new(env: &'e MarkdownEnv<'e>, page_id: PageId, body_text: &'a str, base: usize) -> Self {
        let page = &env.pages[page_id.index()];
        let parser = pulldown_cmark::Parser::new_ext(
            body_text,
            super::parser_options(env.smart_punctuation),
        )
        .into_offset_iter();
        Renderer {
            env,
            page,
            page_id,
            file: page.file,
            base,
            body_text,
            parser,
            queue: VecDeque::new(),
            done: false,
            pending: None,
            link_depth: 0,
            heading: None,
            code: None,
            ids: Ids::with_reserved(env.reserved_ids),
            used_terms: Vec::new(),
            footnotes: HashMap::new(),
            last_was_html: false,
            line_at: (0, 1),
            result: RenderedMarkdown::default(),
        }
    }

    /// Counts the lines before the body (`before` is the file up to it: the front matter).
    pub fn set_first_line(&mut self, before: &str) {
        let lines = before.bytes().filter(|&b| b == b'\n').count();
        self.line_at = (0, 1 + u32::try_from(lines).unwrap_or(u32::MAX));
    }

    /// The line of byte `at` of the body (calls come in increasing order).
    fn line_of(&mut self, at: usize) -> u32 {
        let (from, line) = self.line_at;
        let skipped = self
            .body_text
            .get(from.min(at)..at)
            .unwrap_or_default()
            .bytes()
            .filter(|&b| b == b'\n')
            .count();
        let line = line.saturating_add(u32::try_from(skipped).unwrap_or(u32::MAX));
        self.line_at = (at.max(from), line);
        line
    }

    /// Events made but not yet taken by the writer (tests check that a page is streamed).
    #[cfg(test)]
    pub(super) fn queued(&self) -> usize {
        self.queue.len()
    }

    pub(super) fn emit(&mut self, e: Event<'a>) {
        match &mut self.heading {
            Some(h) => h.events.push(e),
            None => self.queue.push_back(e),
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
                let line = self.line_of(range.start);
                self.heading = Some(HeadingState {
                    level,
                    line,
                    id: id.map(|s| s.to_string()),
                    classes,
                    events: Vec::new(),
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                self.link_depth += 1;
                let tag = super::with_dest(tag, |dest| self.rewrite_link(dest, range));
                self.emit(Event::Start(tag));
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
                self.link_depth = self.link_depth.saturating_sub(1);
                self.emit(Event::End(end));
            }
            Event::Html(h) | Event::InlineHtml(h) => self.raw_html(h, range),
            Event::FootnoteReference(label) => self.footnote_reference(&label),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let (n, mut id) = self.footnote(&label);
                // A label defined twice: the second definition is another element.
                if !self.result.anchors.insert(id.clone()) {
                    id = self.ids.claim(&id);
                }
                self.emit(Event::Html(
                    format!("<div class=\"footnote\" id=\"{id}\"><span class=\"footnote-label\">{n}</span>").into(),
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
        self.pending = Some(match self.pending.take() {
            None => t,
            Some(p) => {
                let mut merged = p.into_string();
                merged.push_str(&t);
                CowStr::from(merged)
            }
        });
    }

    /// Emits merged text, with confidence marks and glossary links outside links.
    fn flush_text(&mut self) {
        let Some(text) = self.pending.take() else {
            return;
        };
        if self.link_depth > 0 {
            self.emit(Event::Text(text));
            return;
        }
        let found = self
            .env
            .specials
            .find(&text, self.page_id, &mut self.used_terms);
        if found.is_empty() {
            self.emit(Event::Text(text));
            return;
        }
        // Pieces of a borrowed run are borrowed too.
        let piece = |text: &CowStr<'a>, r: std::ops::Range<usize>| -> CowStr<'a> {
            match text {
                CowStr::Borrowed(s) => CowStr::Borrowed(&s[r]),
                other => CowStr::from(other[r].to_string()),
            }
        };
        let mut pos = 0;
        for f in found {
            if f.start > pos {
                self.emit(Event::Text(piece(&text, pos..f.start)));
            }
            self.emit(Event::InlineHtml(f.html.into()));
            pos = f.end;
        }
        if pos < text.len() {
            self.emit(Event::Text(piece(&text, pos..text.len())));
        }
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
        let inner = if lang.is_empty() {
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
        let id = self.ids.claim(&base);
        self.result.anchors.insert(id.clone());
        self.result.headings.push(Heading {
            level,
            id: id.clone(),
            text: h.text.trim().to_string(),
            line: h.line,
        });
        let class = if h.classes.is_empty() {
            String::new()
        } else {
            let names: Vec<&str> = h.classes.iter().map(|c| c.as_ref()).collect();
            format!(" class=\"{}\"", escape_attr(&names.join(" ")))
        };
        let id = escape_attr(&id);
        self.queue
            .push_back(Event::Html(format!("<h{level} id=\"{id}\"{class}>").into()));
        self.queue.extend(h.events);
        self.queue.push_back(Event::Html(
            format!("<a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this section\">#</a></h{level}>\n").into(),
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

    /// A footnote's number and definition id, assigned at the label's first use.
    fn footnote(&mut self, label: &str) -> (usize, String) {
        if let Some(known) = self.footnotes.get(label) {
            return known.clone();
        }
        let n = self.footnotes.len() + 1;
        let slug = slugify(label);
        let slug = if slug.is_empty() { n.to_string() } else { slug };
        let id = self.ids.claim(&format!("fn-{slug}"));
        self.footnotes.insert(label.to_string(), (n, id.clone()));
        (n, id)
    }

    fn footnote_reference(&mut self, label: &str) {
        let (n, target) = self.footnote(label);
        // Each reference is its own element: a second `[^1]` gets its own id.
        let back = self.ids.claim(&target.replacen("fn-", "fnref-", 1));
        self.emit(Event::InlineHtml(
            format!(
                "<sup class=\"footnote-ref\"><a href=\"#{target}\" id=\"{back}\">{n}</a></sup>"
            )
            .into(),
        ));
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
}
