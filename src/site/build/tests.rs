//! Invalidation over in-memory sites: which templates run again after an edit.

use super::*;
use crate::test_site::{id, site};

const PAGES: &[(&str, &str)] = &[
    ("things/a.md", "---\ntitle: Alpha\nweight: 2\n---\n"),
    ("things/b.md", "---\ntitle: Beta\nweight: 1\n---\n"),
    ("things/c.md", "---\ntitle: Aardvark\nweight: 2\n---\n"),
    ("notes/lists.md", "---\ntitle: Lists\n---\n"),
    ("notes/reads.md", "---\ntitle: Reads\n---\n"),
];

fn fingerprints(site: &SiteData) -> invalidate::Fingerprints {
    let metas: Vec<Arc<MdMeta>> = site.pages.iter().map(|_| Arc::default()).collect();
    let mut r = Rebuilder::new(BuildOptions::new("/nonexistent", Mode::Serve));
    r.fingerprints(site, &metas, 0)
}

/// Which pages re-render in `after`, when in `before` "notes/lists" listed the things and
/// "notes/reads" read page C.
fn dirty(before: &[(&str, &str)], after: &[(&str, &str)]) -> Vec<String> {
    let (old, _, _) = site(before);
    let deps: Vec<Arc<RenderDeps>> = old
        .pages
        .iter()
        .map(|p| match p.key.as_str() {
            "notes/lists" => RenderDeps {
                pages: vec![],
                types: vec!["thing".into()],
            },
            "notes/reads" => RenderDeps {
                pages: vec![id(&old, "things/c")],
                types: vec![],
            },
            _ => RenderDeps::default(),
        })
        .map(Arc::new)
        .collect();
    let mut r = Rebuilder::new(BuildOptions::new("/nonexistent", Mode::Serve));
    r.last = Some(LastGood {
        pages: Arc::clone(&old.pages),
        backlinks: Arc::clone(&old.backlinks),
        updated: Arc::clone(&old.updated),
        ctx: 0,
        fp: fingerprints(&old),
        type_orders: emit::type_orders(&old, &deps, None),
        outputs: Files::new(),
        deps,
    });
    let (new, _, _) = site(after);
    let marked = r.pages_to_render(&new, &fingerprints(&new));
    new.pages
        .iter()
        .zip(marked)
        .filter(|(_, d)| *d)
        .map(|(p, _)| p.key.clone())
        .collect()
}

fn edited(key: &str, from: &str, to: &str) -> Vec<(&'static str, String)> {
    PAGES
        .iter()
        .map(|(p, t)| {
            let t = if p.starts_with(key) {
                t.replace(from, to)
            } else {
                t.to_string()
            };
            (*p, t)
        })
        .collect()
}

fn as_refs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(p, t)| (*p, t.as_str())).collect()
}

#[test]
fn nothing_changed_nothing_renders() {
    assert!(dirty(PAGES, PAGES).is_empty());
}

#[test]
fn a_weight_that_reorders_a_type_re_renders_the_page_that_listed_it() {
    let after = edited("things/b", "weight: 1", "weight: 3");
    assert_eq!(dirty(PAGES, &as_refs(&after)), ["notes/lists", "things/b"]);
}

#[test]
fn a_title_that_keeps_the_order_re_renders_only_its_readers() {
    let after = edited("things/c", "Aardvark", "Aardwolf");
    assert_eq!(dirty(PAGES, &as_refs(&after)), ["notes/reads", "things/c"]);
}

#[test]
fn a_title_that_reorders_re_renders_both() {
    let after = edited("things/c", "Aardvark", "Zebra");
    assert_eq!(
        dirty(PAGES, &as_refs(&after)),
        ["notes/lists", "notes/reads", "things/c"]
    );
}

#[test]
fn a_new_page_re_renders_everything() {
    let mut after: Vec<(&str, &str)> = PAGES.to_vec();
    after.push(("things/d.md", "---\ntitle: D\n---\n"));
    assert_eq!(dirty(PAGES, &after).len(), after.len());
}
