//! Incremental rebuilds (what `serve` does): each edit re-renders what it changed and no more,
//! and the edits `serve` once got wrong now match a full build (the randomized oracle over
//! every kind of edit is `oracle.rs`).

use majors::Mode;
use majors::{BuildOptions, Rebuilder};

use crate::oracle::{assert_same_as_full, Serve};
use crate::support;

fn opts(site: &support::Site) -> BuildOptions {
    BuildOptions::new(site.path(), Mode::Serve)
}

#[test]
fn an_edit_re_renders_the_page_and_its_dependents_only() {
    let site = support::site("");
    let mut rebuilder = Rebuilder::new(opts(&site));
    let first = rebuilder.rebuild(None).expect("first");
    assert_eq!(first.rendered, first.pages);
    // A body-only edit of beta: beta itself, plus alpha (its prose links to beta are unchanged,
    // but alpha's template reads beta through `related`) must not all re-render: only beta.
    let text = site
        .read("content/things/beta.md")
        .replace("Beta comes", "Beta now comes");
    site.write("content/things/beta.md", text);
    let second = rebuilder
        .rebuild(Some(&["content/things/beta.md".to_string()]))
        .expect("second");
    assert!(
        second.rendered >= 1 && second.rendered < first.pages,
        "rendered {} of {}",
        second.rendered,
        first.pages
    );
    assert!(
        String::from_utf8_lossy(&second.files["things/beta/index.html"].bytes())
            .contains("Beta now comes")
    );
    // A title change reaches the page that lists beta under `related`.
    let text = site
        .read("content/things/beta.md")
        .replace("title: Beta", "title: Beta Prime");
    site.write("content/things/beta.md", text);
    let third = rebuilder
        .rebuild(Some(&["content/things/beta.md".to_string()]))
        .expect("third");
    assert!(
        String::from_utf8_lossy(&third.files["things/alpha/index.html"].bytes())
            .contains("Beta Prime")
    );
}

#[test]
fn each_page_is_parsed_once_per_build() {
    // D25: every page's Markdown was parsed twice per build (metadata, then HTML).
    let site = support::site("");
    let files = walkdir::WalkDir::new(site.path().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count();
    let check = BuildOptions::new(site.path(), Mode::Check);
    let report = majors::build_site(&check).expect("build");
    assert_eq!(report.markdown_passes, files);
    let mut rebuilder = Rebuilder::new(opts(&site));
    let first = rebuilder.rebuild(None).expect("build");
    assert_eq!(first.markdown_passes, files);
    let rel = "content/things/beta.md";
    site.write(
        rel,
        site.read(rel).replace("Beta comes", "Beta still comes"),
    );
    let second = rebuilder
        .rebuild(Some(&[rel.to_string()]))
        .expect("rebuild");
    assert!(
        (1..files).contains(&second.markdown_passes),
        "a body edit parses the edited page (and pages whose HTML is needed again) once: {}",
        second.markdown_passes
    );
}

#[test]
fn an_asset_added_while_serving_is_checked_like_a_full_build() {
    // The output-collision check is reused between rebuilds while URLs and assets stay; an
    // asset that appears must still be caught (serve would otherwise serve it over the page).
    let site = support::site("");
    let mut rebuilder = Rebuilder::new(opts(&site));
    assert_eq!(rebuilder.rebuild(None).expect("build").error_count(), 0);
    let page = "content/things/beta.md";
    site.write(
        page,
        site.read(page).replace("Beta comes", "Beta still comes"),
    );
    assert_eq!(
        rebuilder
            .rebuild(Some(&[page.to_string()]))
            .expect("rebuild")
            .error_count(),
        0
    );
    let asset = "content/things/alpha/index.html";
    site.write(asset, "<h1>asset</h1>");
    let report = rebuilder
        .rebuild(Some(&[asset.to_string()]))
        .expect("rebuild");
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["output-collision"], "{:?}", report.diagnostics);
}

/// Three edits that `serve` once got wrong: what another page shows of a page it names only
/// in its prose (a slug, a glossary term's title), and which page comes first in a type.
#[test]
fn slugs_glossary_titles_and_order_within_a_type_reach_the_pages_that_show_them() {
    let site = support::site("");
    site.write(
        "content/extra/linker.md",
        "---\ntitle: Linker\n---\nSee [beta](@/things/beta.md), run by the ABC.\n",
    );
    let page = site.read("templates/page.html");
    site.write(
        "templates/page.html",
        page.replace(
            "<h1>{{ page.title }}</h1>",
            "<h1>{{ page.title }}</h1><p class=\"first\">{{ (pages_of_type(\"thing\") | first).title }}</p>",
        ),
    );
    let (mut serve, first) = Serve::start(&site);
    assert_eq!(first.errors, 0);

    let beta = site.read("content/things/beta.md");
    site.write(
        "content/things/beta.md",
        beta.replacen("title: Beta\n", "title: Beta\nslug: beta-renamed\n", 1),
    );
    let served = serve.after(&["content/things/beta.md".into()]);
    assert_same_as_full(&site, &served, "a slug");
    assert!(
        String::from_utf8_lossy(&served.files["extra/linker/index.html"])
            .contains("href=\"/things/beta-renamed/\"")
    );

    let term = site.read("content/glossary.md");
    site.write(
        "content/glossary.md",
        term.replace("Alphabet Board Committee", "Alphabet Board Council"),
    );
    let served = serve.after(&["content/glossary.md".into()]);
    assert_same_as_full(&site, &served, "a glossary title");
    assert!(
        String::from_utf8_lossy(&served.files["extra/linker/index.html"])
            .contains("Alphabet Board Council")
    );

    // Beta (weight 1) came first; now alpha does.
    let alpha = site.read("content/things/alpha.md");
    site.write(
        "content/things/alpha.md",
        alpha.replace("weight: 2", "weight: 0"),
    );
    let served = serve.after(&["content/things/alpha.md".into()]);
    assert_same_as_full(&site, &served, "a weight");
    assert!(
        String::from_utf8_lossy(&served.files["extra/linker/index.html"])
            .contains("<p class=\"first\">Alpha</p>")
    );
}

/// Deleting an asset and then saving a page: `serve` once kept serving the asset.
#[test]
fn a_deleted_asset_is_no_longer_served() {
    let site = support::site("");
    site.write("content/things/notes.txt", "an asset\n");
    let (mut serve, first) = Serve::start(&site);
    assert!(first.files.contains_key("things/notes.txt"));
    std::fs::remove_file(site.path().join("content/things/notes.txt")).expect("rm");
    let served = serve.after(&["content/things/notes.txt".into()]);
    assert!(!served.files.contains_key("things/notes.txt"));
    let page = "content/things/beta.md";
    site.write(
        page,
        site.read(page).replace("Beta comes", "Beta still comes"),
    );
    let served = serve.after(&[page.into()]);
    assert_same_as_full(&site, &served, "an asset deleted, then a page saved");
    assert!(!served.files.contains_key("things/notes.txt"));
}

/// A stylesheet edit changes the stylesheet and nothing else: no page's template runs, and the
/// site-wide outputs of the previous rebuild still hold.
#[test]
fn a_stylesheet_edit_renders_no_page() {
    let site = support::site("oracle");
    let (mut serve, first) = Serve::start(&site);
    assert_eq!(first.errors, 0);
    site.write("static/style.css", "body { color: navy; }\n");
    let served = serve.after(&["static/style.css".into()]);
    assert_eq!(served.rendered, 0, "no page reads a stylesheet's bytes");
    assert_eq!(served.files["style.css"], b"body { color: navy; }\n");
    assert_same_as_full(&site, &served, "a stylesheet edit");
    // A stylesheet that is new is a new file to link to: everything is checked again.
    site.write("static/print.css", "body { color: black; }\n");
    let served = serve.after(&["static/print.css".into()]);
    assert_eq!(served.rendered, served.pages);
    assert_same_as_full(&site, &served, "a new stylesheet");
}
