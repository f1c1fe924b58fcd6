//! Property tests over random front matter, Markdown and `site.yaml`: no panic, every
//! diagnostic located inside its file, no unsafe URL or duplicate id in the HTML, and a build
//! of a random site that writes nothing outside its output folder. Inputs are drawn from
//! token vocabularies that reach the parsers' edge cases (unclosed brackets, tabs, control
//! characters, anchors and aliases, links of every kind). Bounded: a few hundred cases in all.

use std::collections::HashSet;
use std::path::PathBuf;

use majors::content::model::PageId;
use majors::diag::{Diagnostic, SourceMap};
use proptest::prelude::*;

use crate::support;

const YAML_TOKENS: &[&str] = &[
    "title: ",
    "code: ",
    "status: ",
    "open",
    "closed",
    "related: ",
    "count: ",
    "weight: ",
    "date: ",
    "2009-02-30",
    "2009-04-02",
    "type: ",
    "thing",
    "note",
    "slug: ",
    "id: ",
    "x",
    "\n",
    "\n  ",
    "  - ",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "'",
    ": ",
    ", ",
    "#",
    "&a ",
    "*a",
    "!!str ",
    "|",
    ">",
    "\t",
    "\u{0}",
    "é",
    "---",
    "~",
    "null",
    "true",
    "99999999999999999999",
    "things/alpha",
    "things/beta#part-one",
    "[things/beta]",
    "bogus: 1",
    "@",
    "%",
    "\\u0041",
    "<<: *a",
];

const MD_TOKENS: &[&str] = &[
    "# ",
    "## ",
    "### ",
    "[",
    "]",
    "(",
    ")",
    "![",
    "`",
    "```rust\n",
    "```\n",
    "*",
    "**",
    "_",
    "[^1]",
    "[^1]: ",
    "[^my note]",
    "<div>",
    "</div>",
    "<b>",
    "javascript:alert(1)",
    "@/things/alpha.md",
    "@/things/beta.md#part-two",
    "#details",
    "%20",
    "[U]",
    "[K]",
    "ABC",
    "\n",
    "\n\n",
    "> ",
    "- ",
    "1. ",
    "| a | b |\n|---|---|\n",
    "---",
    " {#id}",
    "é",
    "\u{1}",
    "Fn 1",
    "A 1",
    "A",
    "main",
    "word ",
    "/things/",
    "https://x.org",
    "<javascript:x>",
    "[r]: javascript:y\n",
    "[r]",
    "\\",
    "&amp;",
    "\t",
];

fn text_from(tokens: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(tokens), 0..max).prop_map(|t| t.concat())
}

/// Every span of every diagnostic lies inside its file and on character boundaries.
fn assert_located(diags: &[Diagnostic], sources: &SourceMap) {
    for d in diags {
        if let Some(span) = &d.span {
            let text = &sources.get(span.file).text;
            assert!(
                span.range.start <= span.range.end && span.range.end <= text.len(),
                "{d:?}"
            );
            assert!(
                text.is_char_boundary(span.range.start) && text.is_char_boundary(span.range.end),
                "{d:?}"
            );
        }
        assert!(!d.message.is_empty() && d.help.is_some(), "{d:?}");
    }
}

fn fixture_config(sources: &mut SourceMap) -> majors::Config {
    let path = support::repo_root().join("tests/fixtures/base/site.yaml");
    let text = std::fs::read_to_string(&path).expect("fixture config");
    let id = sources.add("site.yaml".into(), path, text);
    let (config, diags) = majors::config::parse_config(id, sources);
    assert!(diags.is_empty(), "{diags:?}");
    config.expect("fixture config parses")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn front_matter_never_panics_and_every_problem_is_located(yaml in text_from(YAML_TOKENS, 40), body in text_from(MD_TOKENS, 8)) {
        let mut sources = SourceMap::default();
        let config = fixture_config(&mut sources);
        let text = format!("---\n{yaml}\n---\n{body}");
        let file = sources.add("content/things/x.md".into(), PathBuf::from("x.md"), text);
        let (_, diags) = majors::content::parse_page(&config, "things/x.md", file, &sources);
        assert_located(&diags, &sources);
    }

    #[test]
    fn site_yaml_never_panics_and_every_problem_is_located(yaml in text_from(YAML_TOKENS, 60)) {
        let mut sources = SourceMap::default();
        let id = sources.add("site.yaml".into(), PathBuf::from("site.yaml"), format!("title: T\nbase_url: https://x.org/\n{yaml}"));
        let (_, diags) = majors::config::parse_config(id, &sources);
        assert_located(&diags, &sources);
    }

    #[test]
    fn markdown_never_panics_and_its_html_is_safe(body in text_from(MD_TOKENS, 60)) {
        let (html, diags, sources) = render(&body);
        assert_located(&diags, &sources);
        let lower = html.to_ascii_lowercase();
        prop_assert!(!lower.contains("href=\"javascript:") && !lower.contains("src=\"javascript:"), "{}", html);
        let ids: Vec<&str> = html.match_indices(" id=\"").map(|(i, m)| {
            let rest = &html[i + m.len()..];
            &rest[..rest.find('"').unwrap_or(0)]
        }).collect();
        let unique: HashSet<&str> = ids.iter().copied().collect();
        prop_assert_eq!(unique.len(), ids.len(), "duplicate ids in {}", html);
    }
}

/// Renders `body` as a page of a two-page site with a glossary term.
fn render(body: &str) -> (String, Vec<Diagnostic>, SourceMap) {
    use majors::content::model::{FrontMatter, Origin, Page, UrlPath};
    use majors::render::markdown::{render_markdown, GlossaryTerm, MarkdownEnv, Specials};
    let mut sources = SourceMap::default();
    let file = sources.add(
        "content/things/alpha.md".into(),
        PathBuf::from("a.md"),
        body.to_string(),
    );
    let page = |rel: &str, key: &str| Page {
        file,
        rel_path: rel.into(),
        key: key.into(),
        is_section: false,
        front: std::sync::Arc::new(FrontMatter {
            title: key.into(),
            ..FrontMatter::default()
        }),
        front_range: 0..0,
        body_start: Some(0),
        type_name: None,
        url: UrlPath(format!("/{key}/")),
        parent: None,
        pages: Vec::new(),
        subsections: Vec::new(),
        origin: Origin::File,
    };
    let pages = vec![
        page("things/alpha.md", "things/alpha"),
        page("things/beta.md", "things/beta"),
    ];
    let index = majors::graph::PageIndex::build(&pages);
    let highlighter = majors::render::highlight::Highlighter::new();
    let terms = [GlossaryTerm {
        term: "ABC".into(),
        url: "/things/beta/".into(),
        expansion: "A B C".into(),
        page: PageId(1),
    }];
    let specials = Specials::new(&[], &terms);
    let reserved = HashSet::from(["main".to_string()]);
    let known = HashSet::new();
    let env = MarkdownEnv {
        pages: &pages,
        index: &index,
        highlighter: &highlighter,
        specials: &specials,
        reserved_ids: &reserved,
        allow_raw_html: false,
        smart_punctuation: true,
        known_files: &known,
    };
    let r = render_markdown(&env, PageId(0), body, 0..body.len());
    (r.html, r.diags, sources)
}

/// Every entry under `dir` except the output folder and majors' spare beside it.
fn outside_output(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().contains("public"))
        .map(|e| {
            let e = e.expect("readable");
            let bytes = if e.file_type().is_file() {
                std::fs::read(e.path()).expect("read")
            } else {
                Vec::new()
            };
            (e.path().display().to_string(), bytes)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn a_random_site_builds_or_fails_cleanly_and_writes_only_its_output(
        pages in proptest::collection::vec((text_from(YAML_TOKENS, 16), text_from(MD_TOKENS, 24)), 1..4),
        slug in text_from(&["../", "..", "/", "x", "%2e", "etc", " "], 6),
    ) {
        let site = support::site("");
        for (i, (yaml, body)) in pages.iter().enumerate() {
            site.write(&format!("content/things/r{i}.md"), format!("---\ntitle: R{i}\ncode: C\nstatus: open\n{yaml}\n---\n{body}"));
        }
        site.write("content/things/s.md", format!("---\ntitle: S\ncode: C\nstatus: open\nslug: \"{slug}\"\n---\n"));
        let parent = site.path().parent().expect("temp parent").to_path_buf();
        let siblings = |p: &std::path::Path| -> Vec<String> {
            let mut v: Vec<String> = std::fs::read_dir(p).map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect()).unwrap_or_default();
            v.sort();
            v
        };
        let before = outside_output(site.path());
        let parent_before = siblings(&parent);
        for _ in 0..2 {
            let run = site.run(["build"]);
            prop_assert!(run.code == 0 || run.code == 1, "exit {}: {}", run.code, run.stderr);
            prop_assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        }
        prop_assert_eq!(outside_output(site.path()), before);
        let mut after = siblings(&parent);
        after.retain(|n| !n.ends_with(".majors-previous"));
        let mut expected = parent_before;
        expected.retain(|n| !n.ends_with(".majors-previous"));
        // Other tests make temp folders beside ours meanwhile: compare only majors' names.
        prop_assert!(after.iter().filter(|n| n.contains("majors")).count() == expected.iter().filter(|n| n.contains("majors")).count());
    }
}
