//! The views over an in-memory site: list order, grouping, and the read log.

use super::*;
use crate::test_site::{id, site};

const THINGS: &[(&str, &str)] = &[
    (
        "_index.md",
        "---\ntitle: Home\n---\n[t](@/things/_index.md) [n](@/notes/_index.md)\n",
    ),
    ("things/_index.md", "---\ntitle: Things\n---\n"),
    (
        "things/a.md",
        "---\ntitle: Alpha\nweight: 2\n---\n## One\n\n### Two\n",
    ),
    (
        "things/b.md",
        "---\ntitle: Beta\nweight: 1\nrelated: [things/a]\n---\n",
    ),
    ("things/c.md", "---\ntitle: Aardvark\nweight: 2\n---\n"),
    ("notes/_index.md", "---\ntitle: Notes\n---\n"),
    ("notes/x.md", "---\ntitle: X\nabout: things/a\n---\n"),
    ("notes/y.md", "---\ntitle: Y\nabout: things/b\n---\n"),
    ("notes/z.md", "---\ntitle: Z\nabout: things/a\n---\n"),
];

fn titles(v: &Value) -> Vec<String> {
    v.try_iter()
        .expect("a list")
        .map(|p| p.get_attr("title").expect("a title").to_string())
        .collect()
}

#[test]
fn pages_of_a_type_come_by_weight_then_title() {
    let (site, diags, _) = site(THINGS);
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    assert_eq!(
        titles(&site.pages_of_type("thing")),
        ["Beta", "Aardvark", "Alpha"]
    );
    assert!(titles(&site.pages_of_type("nothing")).is_empty());
}

#[test]
fn group_by_follows_the_targets_order() {
    let (site, _, _) = site(THINGS);
    let notes: Vec<Value> = site
        .pages_of_type("note")
        .try_iter()
        .expect("list")
        .collect();
    let groups = site.group_by(&notes, "about");
    let keys: Vec<String> = groups
        .try_iter()
        .expect("groups")
        .map(|g| {
            g.get_attr("key")
                .and_then(|k| k.get_attr("title"))
                .expect("key")
                .to_string()
        })
        .collect();
    // Beta (weight 1) before Alpha (weight 2); notes keep their order inside a group.
    assert_eq!(keys, ["Beta", "Alpha"]);
    let alpha = groups.get_item(&Value::from(1)).expect("alpha's group");
    assert_eq!(titles(&alpha.get_attr("pages").expect("pages")), ["X", "Z"]);
}

#[test]
fn the_read_log_holds_what_a_render_read_and_nothing_else() {
    let (site, _, _) = site(THINGS);
    let ((), deps) = record_deps(|| {
        let first = site
            .pages_of_type("thing")
            .get_item(&Value::from(0))
            .expect("first");
        let _ = first.get_attr("title");
    });
    assert_eq!(deps.types, ["thing"]);
    assert_eq!(
        deps.pages,
        [id(&site, "things/b")],
        "only the page whose title was read"
    );
    // Outside a recording nothing is logged, and the next recording starts empty.
    let _ = site.page_value(id(&site, "things/a")).get_attr("title");
    let ((), deps) = record_deps(|| ());
    assert_eq!(deps, RenderDeps::default());
}

#[test]
fn ancestors_and_toc_come_from_the_graph_and_the_headings() {
    let (site, _, _) = site(THINGS);
    let alpha = site.page_value(id(&site, "things/a"));
    assert_eq!(
        titles(&alpha.get_attr("ancestors").expect("ancestors")),
        ["Home", "Things"]
    );
    let toc = alpha.get_attr("toc").expect("toc");
    let levels: Vec<String> = toc
        .try_iter()
        .expect("list")
        .map(|h| {
            format!(
                "{}:{}",
                h.get_attr("level").expect("level"),
                h.get_attr("id").expect("id")
            )
        })
        .collect();
    assert_eq!(levels, ["2:one", "3:two"]);
}

#[test]
fn changes_compare_a_list_field_of_two_pages_by_what_the_items_name() {
    let (site, diags, _) = site(&[
        ("things/a.md", "---\ntitle: A\n---\n"),
        ("things/b.md", "---\ntitle: B\n---\n"),
        ("things/c.md", "---\ntitle: C\n---\n"),
        (
            "things/x.md",
            "---\ntitle: X\nrelated: [things/a, things/b]\n---\n",
        ),
        (
            "things/y.md",
            "---\ntitle: Y\nrelated: [things/c, things/b#part]\n---\n",
        ),
    ]);
    assert!(
        diags.iter().all(|d| d.code != "unknown-reference"),
        "{diags:?}"
    );
    let (x, y) = (
        site.page_value(id(&site, "things/x")),
        site.page_value(id(&site, "things/y")),
    );
    let c = site.changes(&x, &y, "related");
    let get = |k: &str| titles(&c.get_attr(k).expect(k));
    assert_eq!(get("added"), ["C"]);
    assert_eq!(get("removed"), ["A"]);
    // things/b#part names the page things/b names.
    assert_eq!(get("kept"), ["B"]);
    // From nothing, everything is added; to nothing, everything removed.
    let none = Value::from(());
    let c = site.changes(&none, &x, "related");
    assert_eq!(titles(&c.get_attr("added").expect("added")), ["A", "B"]);
    let c = site.changes(&x, &none, "related");
    assert_eq!(titles(&c.get_attr("removed").expect("removed")), ["A", "B"]);
}
