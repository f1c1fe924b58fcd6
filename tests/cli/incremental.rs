//! Incremental rebuilds (what `serve` does) must equal a fresh full build, byte for byte,
//! after any sequence of edits. Randomized over a fixture site with a seeded generator.

use majors::site::build::{BuildOptions, Rebuilder};

use crate::support;

/// splitmix64: small, seeded, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn opts(site: &support::Site) -> BuildOptions {
    let mut o = BuildOptions::new(site.path());
    o.write = false;
    o
}

/// One random edit; returns the site-relative paths it touched.
fn random_edit(site: &support::Site, rng: &mut Rng, step: usize) -> Vec<String> {
    let things = ["alpha", "beta", "gamma", "delta"];
    let name = things[rng.below(things.len())];
    let rel = format!("content/things/{name}.md");
    let exists = site.path().join(&rel).exists();
    let related = things[rng.below(things.len())];
    let body = format!("## Overview\n\nStep {step}. The ABC checks [beta](@/things/beta.md#part-one).\n\n## Part one\n\n## Part two\n");
    match rng.below(8) {
        // Rewrite a thing with new fields, a reference and a new body.
        0 | 1 => {
            let related_line = if site
                .path()
                .join(format!("content/things/{related}.md"))
                .exists()
            {
                format!("related: [things/{related}]\n")
            } else {
                String::new()
            };
            site.write(
                &rel,
                format!("---\ntitle: {name} v{step}\nweight: {}\ncode: C{step}\nstatus: open\n{related_line}---\n{body}", rng.below(5)),
            );
            vec![rel]
        }
        // Change only the title (shown on every page that refers to it).
        2 if exists => {
            let text = site.read(&rel);
            let new = text.replacen("title: ", &format!("title: T{step} "), 1);
            site.write(&rel, new);
            vec![rel]
        }
        // Delete a thing other pages may refer to (then the build fails until it comes back).
        3 if exists && name != "alpha" && name != "beta" => {
            std::fs::remove_file(site.path().join(&rel)).expect("rm");
            vec![rel]
        }
        // Break a page, then the next edit usually repairs it.
        4 => {
            site.write(
                &rel,
                format!("---\ntitle: broken\ncode: X\nstatus: nope\n---\n{body}"),
            );
            vec![rel]
        }
        // Edit the note that cites beta.
        5 => {
            let rel = "content/notes/first.md".to_string();
            site.write(&rel, format!("---\ntitle: First note {step}\nabout: things/alpha\ncites: [\"things/beta#part-one\"]\n---\nA note, step {step}, on [alpha](../things/alpha.md).\n"));
            vec![rel]
        }
        // Change only the body (headings, links, text), keeping the front matter byte for byte:
        // the rebuild reuses the page graph then. Headings other pages cite may go away.
        6 if exists => {
            // A page broken by edit 4 is repaired (its front matter changes then).
            let text = site.read(&rel).replace("status: nope", "status: closed");
            let Some(end) = text[3..].find("\n---\n").map(|i| i + 3 + 5) else {
                return Vec::new();
            };
            // Mostly valid (alpha and beta are never deleted; `#overview` is on every page);
            // now and then a link to an anchor that may not exist.
            let heading = ["Part two", "Part three", "Details"][rng.below(3)];
            let target = ["alpha", "beta"][rng.below(2)];
            let anchor = if rng.below(6) == 0 {
                "part-three"
            } else {
                "overview"
            };
            let new_body = format!(
                "## Overview\n\nBody edit {step}: see [{target}](@/things/{target}.md#{anchor}).\n\n## Part one\n\n## {heading}\n"
            );
            site.write(&rel, format!("{}{new_body}", &text[..end]));
            vec![rel]
        }
        // Add a new page in a new folder.
        _ => {
            let rel = format!("content/extra/page-{step}.md");
            site.write(
                &rel,
                format!("---\ntitle: Extra {step}\n---\nSee [alpha](@/things/alpha.md).\n"),
            );
            vec![rel]
        }
    }
}

#[test]
fn randomized_edit_sequences_match_a_full_build() {
    let mut incremental_renders = 0;
    for seed in 1_u64..=8 {
        let site = support::site("");
        let mut rng = Rng(seed);
        // Even seeds rebuild as `serve` does: pages kept compressed, site-wide files after.
        let deferred = seed % 2 == 0;
        let mut rebuilder = if deferred {
            Rebuilder::new_deferred(opts(&site))
        } else {
            Rebuilder::new(opts(&site))
        };
        let mut rebuild = |changed: Option<&[String]>| {
            let mut report = rebuilder.rebuild(changed).expect("rebuild");
            if deferred {
                let (light, job) = rebuilder.site_files();
                if report.error_count() == 0 {
                    report.files.extend(light);
                    report
                        .files
                        .extend(job.map(|job| job()).unwrap_or_default());
                }
            }
            report
        };
        let first = rebuild(None);
        assert_eq!(first.error_count(), 0);
        assert_eq!(
            first.files.values().any(|f| f.stored_len() < f.len()),
            deferred,
            "seed {seed}: pages are compressed in memory exactly when rebuilding for serve"
        );
        for step in 0..30 {
            let touched = random_edit(&site, &mut rng, step);
            let inc = rebuild(Some(&touched));
            let full = majors::build_site(&opts(&site)).expect("full");
            assert_eq!(
                inc.error_count(),
                full.error_count(),
                "seed {seed} step {step}: errors differ"
            );
            if full.error_count() == 0 {
                assert_eq!(
                    inc.files.keys().collect::<Vec<_>>(),
                    full.files.keys().collect::<Vec<_>>(),
                    "seed {seed} step {step}: file sets differ"
                );
                for (path, bytes) in &full.files {
                    assert!(
                        inc.files[path] == *bytes,
                        "seed {seed} step {step}: {path} differs from a full build"
                    );
                }
                if inc.rendered < full.rendered {
                    incremental_renders += 1;
                }
            }
        }
    }
    // The comparison above is only meaningful if some rebuilds really were partial.
    assert!(
        incremental_renders > 20,
        "only {incremental_renders} rebuilds were incremental"
    );
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
    let mut one_shot = opts(&site);
    one_shot.check_only = true;
    let report = majors::build_site(&one_shot).expect("build");
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

/// Rebuilds after `touched` and compares every file with a fresh full build.
fn assert_rebuild_matches_full(
    rebuilder: &mut Rebuilder,
    site: &support::Site,
    touched: &[&str],
    what: &str,
) {
    let touched: Vec<String> = touched.iter().map(|s| s.to_string()).collect();
    let inc = rebuilder.rebuild(Some(&touched)).expect("rebuild");
    let full = majors::build_site(&opts(site)).expect("full");
    assert_eq!((inc.error_count(), full.error_count()), (0, 0), "{what}");
    assert_eq!(
        inc.files.keys().collect::<Vec<_>>(),
        full.files.keys().collect::<Vec<_>>(),
        "{what}: file sets differ"
    );
    for (path, bytes) in &full.files {
        assert!(
            inc.files[path] == *bytes,
            "{what}: {path} differs from a full build"
        );
    }
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
    let mut rebuilder = Rebuilder::new(opts(&site));
    assert_eq!(rebuilder.rebuild(None).expect("first").error_count(), 0);

    let beta = site.read("content/things/beta.md");
    site.write(
        "content/things/beta.md",
        beta.replacen("title: Beta\n", "title: Beta\nslug: beta-renamed\n", 1),
    );
    assert_rebuild_matches_full(&mut rebuilder, &site, &["content/things/beta.md"], "a slug");

    let term = site.read("content/glossary.md");
    site.write(
        "content/glossary.md",
        term.replace("Alphabet Board Committee", "Alphabet Board Council"),
    );
    assert_rebuild_matches_full(
        &mut rebuilder,
        &site,
        &["content/glossary.md"],
        "a glossary title",
    );

    // Beta (weight 1) came first; now alpha does.
    let alpha = site.read("content/things/alpha.md");
    site.write(
        "content/things/alpha.md",
        alpha.replace("weight: 2", "weight: 0"),
    );
    assert_rebuild_matches_full(
        &mut rebuilder,
        &site,
        &["content/things/alpha.md"],
        "a weight",
    );
    assert!(site_page(&mut rebuilder, "extra/linker/index.html")
        .contains("<p class=\"first\">Alpha</p>"));
}

fn site_page(rebuilder: &mut Rebuilder, path: &str) -> String {
    let report = rebuilder.rebuild(Some(&[])).expect("rebuild");
    String::from_utf8(report.files[path].bytes().to_vec()).expect("utf-8")
}
