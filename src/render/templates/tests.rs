//! Which template renders a page.

use std::path::PathBuf;

use super::*;
use crate::test_site::{id, site};

fn templates(names: &[&str], sources: &mut SourceMap) -> Templates {
    let list: Vec<TemplateSource> = names
        .iter()
        .map(|n| TemplateSource {
            name: n.to_string(),
            file: sources.add(
                format!("templates/{n}"),
                PathBuf::from(n),
                "{{ page.title }}".into(),
            ),
        })
        .collect();
    let (t, diags) = Templates::compile(sources, &list, false);
    assert!(diags.is_empty(), "{diags:?}");
    t
}

#[test]
fn front_matter_then_home_then_type_then_section_or_page() {
    let (site, _, mut sources) = site(&[
        ("_index.md", "---\ntitle: Home\n---\n"),
        ("things/_index.md", "---\ntitle: Things\n---\n"),
        ("things/a.md", "---\ntitle: A\n---\n"),
        (
            "things/b.md",
            "---\ntitle: B\ntemplate: special.html\n---\n",
        ),
        ("notes/n.md", "---\ntitle: N\n---\n"),
    ]);
    let all = [
        "index.html",
        "thing.html",
        "section.html",
        "page.html",
        "special.html",
    ];
    let t = templates(&all, &mut sources);
    let of = |key: &str| t.template_for(&site.pages[id(&site, key).index()], &site.config);
    assert_eq!(of("index"), "index.html");
    assert_eq!(of("things/a"), "thing.html");
    assert_eq!(of("things/b"), "special.html");
    assert_eq!(of("things"), "section.html");
    assert_eq!(of("notes/n"), "page.html");
    // Without `index.html` and `thing.html`, the home page is a section and a thing a page.
    let t = templates(&["section.html", "page.html"], &mut sources);
    let of = |key: &str| t.template_for(&site.pages[id(&site, key).index()], &site.config);
    assert_eq!(of("index"), "section.html");
    assert_eq!(of("things/a"), "page.html");
}

#[test]
fn long_date_writes_dates_for_readers_and_leaves_other_text_alone() {
    use super::long_date;
    assert_eq!(long_date("2009-04-02"), "2 April 2009");
    assert_eq!(long_date("2025-12-31"), "31 December 2025");
    assert_eq!(long_date("2009-04-02T10:30:00Z"), "2 April 2009");
    for other in [
        "June 2009",
        "2009-13-01",
        "2009-04-32",
        "09-04-02",
        "2009-4-2",
        "",
        "a-b-c",
    ] {
        assert_eq!(long_date(other), other);
    }
}
