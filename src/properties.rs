//! Property tests of the parsers over random front matter, Markdown and `site.yaml`: no panic,
//! every diagnostic located inside its file, no unsafe URL or duplicate id in the HTML. Inputs
//! come from the token vocabularies of `tests/cli/property_tokens.rs`. Bounded: a few hundred
//! cases in all.

use std::collections::HashSet;
use std::path::PathBuf;

use proptest::prelude::*;

use crate::content::model::PageId;
use crate::diag::{Diagnostic, SourceMap};

include!("../tests/cli/property_tokens.rs");

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

fn fixture_config(sources: &mut SourceMap) -> crate::Config {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/base/site.yaml");
    let text = std::fs::read_to_string(&path).expect("fixture config");
    let id = sources.add("site.yaml".into(), path, text);
    let (config, diags) = crate::config::parse_config(id, sources);
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
        let (_, diags) = crate::content::parse_page(&config, "things/x.md", file, &sources);
        assert_located(&diags, &sources);
    }

    #[test]
    fn site_yaml_never_panics_and_every_problem_is_located(yaml in text_from(YAML_TOKENS, 60)) {
        let mut sources = SourceMap::default();
        let id = sources.add("site.yaml".into(), PathBuf::from("site.yaml"), format!("title: T\nbase_url: https://x.org/\n{yaml}"));
        let (_, diags) = crate::config::parse_config(id, &sources);
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
    use crate::render::markdown::tests::TestSite;
    use crate::render::markdown::{render_markdown, GlossaryTerm};
    let mut sources = SourceMap::default();
    sources.add(
        "content/things/alpha.md".into(),
        PathBuf::from("a.md"),
        body.to_string(),
    );
    let terms = [GlossaryTerm {
        term: "ABC".into(),
        url: "/things/beta/".into(),
        expansion: "A B C".into(),
        page: PageId(1),
    }];
    let site = TestSite::with(["things/alpha", "things/beta"], &terms);
    let r = render_markdown(&site.env(false), PageId(0), body, 0..body.len());
    (r.html, r.diags, sources)
}
