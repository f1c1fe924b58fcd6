//! Backlinks over an in-memory site.

use crate::test_site::{id, site};

#[test]
fn references_are_grouped_by_type_and_field_and_counted_once_per_page() {
    let (site, diags, _) = site(&[
        ("_index.md", "---\ntitle: Home\n---\n[a](@/things/a.md) [b](@/things/b.md) [n](@/notes/n.md)\n"),
        ("things/a.md", "---\ntitle: A\n---\n## Part\n"),
        ("things/b.md", "---\ntitle: B\nrelated: [things/a]\n---\nSee [a](@/things/a.md#part) twice: [a](@/things/a.md).\n"),
        ("notes/n.md", "---\ntitle: N\nabout: things/a\n---\n[a](@/things/a.md)\n"),
    ]);
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    let a = id(&site, "things/a").index();
    let groups: Vec<(String, String, usize)> = site.backlinks.groups[a]
        .iter()
        .map(|g| (g.source_type.clone(), g.field.clone(), g.pages.len()))
        .collect();
    // In the order the types and fields are declared in site.yaml.
    assert_eq!(
        groups,
        [
            ("thing".into(), "related".into(), 1),
            ("note".into(), "about".into(), 1)
        ]
    );
    // The home page, B and N link to A (B by reference and twice in prose): three pages.
    assert_eq!(site.backlinks.incoming[a], 3);
    let part: Vec<_> = site.backlinks.by_anchor[a]["part"].clone();
    assert_eq!(part, [id(&site, "things/b")]);
    // Nothing links to the home page but its own children? No: sections do not count.
    assert_eq!(site.backlinks.incoming[id(&site, "index").index()], 0);
}
