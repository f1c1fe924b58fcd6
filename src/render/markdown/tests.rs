//! Tests for the Markdown pass, driven by a tiny in-memory site.

use super::*;
use crate::content::model::{FrontMatter, Origin, UrlPath};
use crate::diag::FileId;

/// A `text` field with no `@/` links to resolve.
fn render_inline(text: &str, allow_raw_html: bool, marks: &Marks) -> String {
    render_inline_with(text, allow_raw_html, marks, &|_| None)
}

fn page(rel: &str, key: &str, url: &str) -> Page {
    Page {
        file: FileId(0),
        rel_path: rel.into(),
        key: key.into(),
        is_section: false,
        front: std::sync::Arc::new(FrontMatter {
            title: key.into(),
            ..FrontMatter::default()
        }),
        front_range: 0..0,
        body_start: None,
        type_name: None,
        url: UrlPath(url.into()),
        parent: None,
        pages: Vec::new(),
        subsections: Vec::new(),
        origin: Origin::File,
    }
}

/// A two-page site with what the Markdown pass needs of it (also used by the property tests).
pub(crate) struct TestSite {
    pages: Vec<Page>,
    index: PageIndex,
    highlighter: Highlighter,
    specials: Specials,
    known: HashSet<String>,
    reserved: HashSet<String>,
}

impl TestSite {
    fn new(glossary: bool) -> Self {
        let term = GlossaryTerm {
            term: "GOP".into(),
            url: "/b/two/".into(),
            expansion: "Government of Peru".into(),
            page: PageId(1),
        };
        let terms = if glossary { vec![term] } else { Vec::new() };
        Self::with(["a/one", "b/two"], &terms)
    }

    /// Pages `keys` (from `<key>.md`, at `/<key>/`), with these glossary terms.
    pub(crate) fn with(keys: [&str; 2], terms: &[GlossaryTerm]) -> Self {
        let pages: Vec<Page> = keys
            .iter()
            .map(|k| page(&format!("{k}.md"), k, &format!("/{k}/")))
            .collect();
        TestSite {
            index: PageIndex::build(&pages),
            pages,
            highlighter: Highlighter::new(),
            specials: Specials::new(&crate::render::marks::sample_marks(), terms),
            known: HashSet::from(["/style.css".to_string()]),
            reserved: HashSet::from(["main".to_string()]),
        }
    }

    pub(crate) fn env(&self, raw_html: bool) -> MarkdownEnv<'_> {
        MarkdownEnv {
            pages: &self.pages,
            index: &self.index,
            highlighter: &self.highlighter,
            specials: &self.specials,
            reserved_ids: &self.reserved,
            allow_raw_html: raw_html,
            smart_punctuation: true,
            known_files: &self.known,
        }
    }
}

/// Renders `body` as page 0 of a two-page site and returns the result.
fn check(body: &str, glossary: bool, raw_html: bool) -> RenderedMarkdown {
    let site = TestSite::new(glossary);
    render_markdown(&site.env(raw_html), PageId(0), body, 0..body.len())
}

#[test]
fn source_links_are_rewritten_and_recorded() {
    let r = check(
        "See [two](@/b/two.md#x) and [rel](../b/two.md).\n",
        false,
        false,
    );
    assert!(r.html.contains("href=\"/b/two/#x\""), "{}", r.html);
    assert!(r.html.contains("href=\"/b/two/\""), "{}", r.html);
    assert_eq!(r.links.len(), 2);
    assert_eq!(r.links[0].target, PageId(1));
    assert_eq!(r.links[0].anchor.as_deref(), Some("x"));
    assert_eq!(r.links[0].span.range, 10..22);
    assert!(r.diags.is_empty());
}

#[test]
fn broken_links_are_reported_with_suggestion() {
    let r = check(
        "[x](@/b/tow.md) [y](/nowhere/) [z](/style.css)\n",
        false,
        false,
    );
    let codes: Vec<_> = r.diags.iter().map(|d| (d.code, d.help.clone())).collect();
    assert_eq!(codes.len(), 2, "{codes:?}");
    assert_eq!(codes[0].1.as_deref(), Some("did you mean `@/b/two.md`?"));
}

#[test]
fn headings_get_unique_ids_and_explicit_ones_win() {
    let r = check(
        "## Money laundering\n\n## Money laundering\n\n### Art. 3.1(a) {#3-1-a}\n",
        false,
        false,
    );
    let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["money-laundering", "money-laundering-1", "3-1-a"]);
    assert!(
        r.html.contains("<h3 id=\"3-1-a\">Art. 3.1(a)"),
        "{}",
        r.html
    );
    assert!(r.anchors.contains("money-laundering-1"));
}

#[test]
fn glossary_links_first_mention_only_and_not_in_links() {
    let r = check(
        "[GOP](https://x.org) then GOP and GOP again; GOPX is not it.\n",
        true,
        false,
    );
    assert_eq!(r.html.matches("class=\"term\"").count(), 1, "{}", r.html);
    assert!(
        r.html.contains(
            "then <a class=\"term\" href=\"/b/two/\" title=\"Government of Peru\">GOP</a> and GOP"
        ),
        "{}",
        r.html
    );
}

#[test]
fn confidence_marks_render_as_badges() {
    let r = check("Producer (coca) [U] and more [K].\n", false, false);
    assert!(r.html.contains("<span class=\"conf conf-u\""), "{}", r.html);
    assert!(r.html.contains("<span class=\"conf conf-k\""), "{}", r.html);
    assert!(!r.html.contains("[U]"));
}

#[test]
fn unknown_code_language_is_plain_and_escaped() {
    let r = check("```nosuchlang\na < b\n```\n", false, false);
    assert!(
        r.html
            .contains("<code class=\"language-nosuchlang\">a &lt; b\n</code>"),
        "{}",
        r.html
    );
    assert!(r.diags.is_empty());
}

#[test]
fn raw_html_is_reported_when_disallowed() {
    let r = check("<div>hi</div>\n\ntext <b>x</b>\n", false, false);
    // The block, and each inline tag.
    assert_eq!(r.diags.len(), 3);
    assert!(r.diags.iter().all(|d| d.code == "raw-html"));
    assert!(!r.html.contains("<div>"));
    let allowed = check("<div>hi</div>\n", false, true);
    assert!(allowed.diags.is_empty() && allowed.html.contains("<div>hi</div>"));
}

#[test]
fn footnotes_get_safe_ids() {
    let r = check("Text[^my note].\n\n[^my note]: The note.\n", false, false);
    assert!(r.html.contains("href=\"#fn-my-note\""), "{}", r.html);
    assert!(r.anchors.contains("fn-my-note"));
}

#[test]
fn deep_nesting_does_not_overflow() {
    let body = ">".repeat(5000) + " deep\n";
    let r = check(&body, false, false);
    assert!(r.html.contains("deep"));
}

#[test]
fn headings_end_like_sentences_in_the_plain_text() {
    let r = check(
        "## Overview\n\nThe list names countries.\n\n## Why?\n\nBecause.\n",
        false,
        false,
    );
    assert!(
        r.text.contains("Overview. The list names countries."),
        "{:?}",
        r.text
    );
    assert!(r.text.contains("Why? Because."), "{:?}", r.text);
}

#[test]
fn no_two_elements_get_one_id() {
    // D14: `## A 1` then two `## A` gave `id="a-1"` twice; `## Fn 1` and `[^1]` gave
    // `id="fn-1"` twice; a heading `Main` took the template's `<main id="main">`.
    let r = check(
        "## A 1\n\n## A\n\n## A\n\n## Fn 1\n\n## Main\n\nnote[^1] again[^1]\n\n[^1]: the note\n",
        false,
        false,
    );
    let mut ids: Vec<&str> = r
        .html
        .match_indices(" id=\"")
        .map(|(i, m)| {
            let rest = &r.html[i + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate ids in {}", r.html);
    assert!(!ids.contains(&"main"), "{}", r.html);
    let headings: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(headings, ["a-1", "a", "a-2", "fn-1", "main-1"]);
    assert!(
        r.html.contains("href=\"#fn-1-1\""),
        "the footnote moves aside: {}",
        r.html
    );
}

#[test]
fn unsafe_schemes_in_links_and_images_are_errors() {
    // D12: `javascript:` URLs passed through even with raw HTML disallowed.
    let r = check(
        "[x](javascript:alert(6)) ![i](JavaScript:alert(7)) <vbscript:x> [ok](https://x.org) [m](mailto:a@b)\n",
        false,
        false,
    );
    let codes: Vec<&str> = r.diags.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        ["unsafe-url", "unsafe-url", "unsafe-url"],
        "{:?}",
        r.diags
    );
    assert_eq!(r.diags[0].span.as_ref().unwrap().range, 4..23);
    assert!(
        !r.html.to_lowercase().contains("=\"javascript:"),
        "{}",
        r.html
    );
    assert!(!r.html.contains("=\"vbscript:"), "{}", r.html);
    assert!(r.html.contains("href=\"https://x.org\"") && r.html.contains("mailto:a@b"));
}

#[test]
fn inline_fields_keep_html_only_when_allowed_and_never_unsafe_urls() {
    // D18: a `text` field's HTML was dropped silently, and a value starting with a block tag
    // rendered empty.
    assert_eq!(
        render_inline("Keep <b>bold</b> end", true, &marks()),
        "Keep <b>bold</b> end"
    );
    assert_eq!(
        render_inline("<b>x</b> [js](javascript:alert(9)) y", true, &marks()),
        "<b>x</b> <a href=\"#\">js</a> y"
    );
    assert_eq!(
        render_inline("Keep <b>bold</b> end", false, &marks()),
        "Keep bold end"
    );
}

#[test]
fn a_text_field_of_several_paragraphs_keeps_them() {
    // A two-paragraph value (a country's situation) ran together as one line.
    assert_eq!(
        render_inline("One *line*.", false, &marks()),
        "One <em>line</em>."
    );
    assert_eq!(
        render_inline("First.\n\nSecond.", false, &marks()),
        "<p>First.</p>\n<p>Second.</p>"
    );
}

#[test]
fn percent_encoded_destinations_resolve() {
    // D23.
    let r = check("[two](../b/two%2Emd) [t](@/b/two.md#x%2Dy)\n", false, false);
    assert!(r.diags.is_empty(), "{:?}", r.diags);
    assert_eq!(r.links.len(), 2);
    assert_eq!(r.links[1].anchor.as_deref(), Some("x-y"));
}

#[test]
fn a_long_page_streams_through_a_small_queue() {
    // D25: every event of a page was buffered before the HTML writer ran (3.3 million for a
    // 24 MB page). Now the writer takes events as the parser makes them.
    let site = TestSite::new(false);
    let env = site.env(false);
    let body =
        "Paragraph with **bold**, [U] and a [link](https://example.org/).\n\n".repeat(10_000);
    let mut r = renderer::Renderer::new(&env, PageId(0), &body, 0);
    let (mut events, mut most) = (0, 0);
    while r.next().is_some() {
        events += 1;
        most = most.max(r.queued());
    }
    assert!(events > 100_000, "{events}");
    assert!(most < 16, "at most {most} events waited");
}

#[test]
fn inline_fields_show_confidence_marks_as_badges() {
    let html = render_inline("Producer (coca) [U]; *also* transit [K]", false, &marks());
    assert!(
        html.contains("Producer (coca) <span class=\"conf conf-u\""),
        "{html}"
    );
    assert!(
        html.contains("<em>also</em> transit <span class=\"conf conf-k\""),
        "{html}"
    );
    assert!(!html.contains("[U]") && !html.contains("[K]"), "{html}");
}

fn marks() -> crate::render::marks::Marks {
    crate::render::marks::Marks::new(&crate::render::marks::sample_marks())
}
