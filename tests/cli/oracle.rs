//! The incremental oracle: after any sequence of edits of any kind, what `serve` holds (its
//! rebuild's files plus the site-wide outputs its background worker makes) equals, file for
//! file and byte for byte, what a fresh `majors build` writes to disk.
//!
//! The fixture (`tests/fixtures/oracle` over `base`) has templates that use every context
//! function (`pages_of_type`, `get_page`, `group_by`, `first`, `ancestors`, `toc`, backrefs,
//! `cited_by`, `changes`, `get_table`, a section's pages and subsections), static files, a
//! content asset, a glossary and a table whose rows are things and whose cells are notes.
//! Edits are drawn with a seeded generator from every kind an editor makes; each is
//! classified as `serve`'s watcher classifies it.

use std::collections::BTreeMap;

use majors::classify_changes;
use majors::Mode;
use majors::{BuildOptions, Rebuilder};

use crate::support::{self, Site};

/// splitmix64: small, seeded, deterministic.
pub struct Rng(pub u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// `serve`, as a library: a rebuild after each batch of changed paths, then the site-wide
/// outputs. What it returns is the set of files `serve` answers with once its background
/// worker is done.
pub struct Serve {
    rebuilder: Rebuilder,
    /// What is served now (the last good rebuild's).
    served: majors::Served,
}

/// One rebuild as `serve` sees it.
pub struct Served {
    pub errors: usize,
    /// The codes of the problems found.
    pub codes: Vec<&'static str>,
    pub rendered: usize,
    pub pages: usize,
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Serve {
    pub fn start(site: &Site) -> (Serve, Served) {
        let mut serve = Serve {
            rebuilder: Rebuilder::new(BuildOptions::new(site.path(), Mode::Serve)),
            served: Default::default(),
        };
        let first = serve.rebuild(None);
        (serve, first)
    }

    /// Rebuilds after `touched` (site-relative paths), classified as the watcher does.
    pub fn after(&mut self, touched: &[String]) -> Served {
        match classify_changes(touched) {
            Some(kind) => self.rebuild(kind.paths()),
            None => self.rebuild(Some(&[])),
        }
    }

    fn rebuild(&mut self, changed: Option<&[String]>) -> Served {
        let report = self.rebuilder.rebuild(changed).expect("rebuild");
        let (light, job) = self.rebuilder.site_files();
        let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        if report.error_count() == 0 {
            // As `serve` publishes: the rebuild's files, then its site-wide outputs once the
            // background job made them (or the previous ones, if it has none to make).
            let mut pages = report.files.clone();
            pages.extend(light);
            self.served = self.served.after(pages, job.map(|job| job()));
            for (path, bytes) in self.served.all() {
                files.insert(path.to_string(), bytes.bytes().to_vec());
            }
        }
        Served {
            errors: report.error_count(),
            codes: report
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| d.code)
                .collect(),
            rendered: report.rendered,
            pages: report.pages,
            files,
        }
    }
}

/// A fresh `majors build` of the site: its error count and the files it wrote (without the
/// manifest), or `None` for the files when it failed (and then wrote nothing).
pub fn full_build(site: &Site) -> (usize, Option<BTreeMap<String, Vec<u8>>>) {
    let report = majors::build_site(&BuildOptions::new(site.path(), Mode::Build)).expect("build");
    if report.error_count() > 0 {
        return (report.error_count(), None);
    }
    let mut files = site.snapshot_dir("public");
    files.remove(".majors-manifest");
    (0, Some(files))
}

/// Asserts that `served` equals a full build; returns whether the rebuild was partial.
pub fn assert_same_as_full(site: &Site, served: &Served, what: &str) -> bool {
    let (errors, full) = full_build(site);
    assert_eq!(served.errors, errors, "{what}: error counts differ");
    let Some(full) = full else {
        return false;
    };
    let served_paths: Vec<&String> = served.files.keys().collect();
    let full_paths: Vec<&String> = full.keys().collect();
    assert_eq!(served_paths, full_paths, "{what}: file sets differ");
    for (path, bytes) in &full {
        assert!(
            served.files[path] == *bytes,
            "{what}: {path} differs from a full build:\n--- serve\n{}\n--- build\n{}",
            String::from_utf8_lossy(&served.files[path]),
            String::from_utf8_lossy(bytes)
        );
    }
    served.rendered < served.pages
}

const THINGS: &[&str] = &["alpha", "beta", "gamma", "delta"];

fn thing(name: &str) -> String {
    format!("content/things/{name}.md")
}

/// Replaces the first line starting with `key:` in the front matter of `rel` (or adds it
/// after the title when `value` is given and there is none; removes it when `value` is None).
fn set_key(site: &Site, rel: &str, key: &str, value: Option<&str>) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(site.path().join(rel)) else {
        return Vec::new();
    };
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let prefix = format!("{key}: ");
    let at = lines.iter().position(|l| l.starts_with(&prefix));
    match (at, value) {
        (Some(i), Some(v)) => lines[i] = format!("{prefix}{v}"),
        (Some(i), None) => {
            lines.remove(i);
        }
        (None, Some(v)) => lines.insert(2, format!("{prefix}{v}")),
        (None, None) => return Vec::new(),
    }
    site.write(rel, lines.join("\n") + "\n");
    vec![rel.to_string()]
}

/// The kinds of edit [`edit`] makes.
const KINDS: usize = 19;

/// One edit of kind `kind` (of [`KINDS`]) on thing `name`, an editor's kind of edit; the
/// details are drawn from `rng`. Returns the paths it touched.
fn edit(site: &Site, rng: &mut Rng, step: usize, kind: usize, name: &str) -> Vec<String> {
    let rel = thing(name);
    let exists = site.path().join(&rel).exists();
    match kind {
        // A thing rewritten: fields, a reference added or dropped, a new body.
        0 => {
            let related = rng.pick(THINGS);
            let related = if site.path().join(thing(related)).exists() && rng.below(2) == 0 {
                format!("related: [things/{related}]\n")
            } else {
                String::new()
            };
            let weight = rng.below(5);
            site.write(&rel, format!("---\ntitle: {name} v{step}\nweight: {weight}\ncode: C{step}\nstatus: open\n{related}---\n## Overview\n\nStep {step}. The ABC checks [beta](@/things/beta.md#part-one).\n\n## Part one\n\n## Part two\n\n### Deeper {step}\n"));
            vec![rel]
        }
        // Its title, or its name in navigation (which its neighbours' pagers print).
        1 => match rng.below(3) {
            0 => set_key(site, &rel, "short_title", Some(&format!("{name} S{step}"))),
            1 => set_key(site, &rel, "short_title", None),
            _ => set_key(site, &rel, "title", Some(&format!("{name} T{step}"))),
        },
        2 => {
            let slugs = [
                None,
                Some(format!("{name}-moved")),
                Some(format!("{name}-{step}")),
            ];
            set_key(site, &rel, "slug", slugs[rng.below(3)].as_deref())
        }
        3 => {
            let ids = [None, Some(format!("{name}-x")), Some(format!("{name}-y"))];
            set_key(site, &rel, "id", ids[rng.below(3)].as_deref())
        }
        4 => set_key(site, &rel, "weight", Some(&rng.below(6).to_string())),
        // Delete a thing other pages may refer to (the build fails until it comes back).
        5 if exists && !matches!(name, "alpha" | "beta") => {
            std::fs::remove_file(site.path().join(&rel)).expect("rm");
            vec![rel]
        }
        // Break a page; a later edit usually repairs it.
        6 => set_key(
            site,
            &rel,
            "status",
            Some(rng.pick(&["nope", "closed", "open", "closed", "open"])),
        ),
        // A note: what it is about, what it cites, its date.
        7 => {
            let about = rng.pick(&["alpha", "beta"]);
            let cites = rng.pick(&[
                "",
                "cites: [\"things/beta#part-one\"]\n",
                "cites: [\"things/alpha#overview\"]\n",
            ]);
            let day = 1 + rng.below(9);
            // Mostly a stage the second note rarely has, so the table seldom has a cell claimed twice.
            let stage = rng.pick(&["", "stage: draft\n", "stage: draft\n", "stage: final\n"]);
            site.write("content/notes/first.md", format!("---\ntitle: First note {step}\ndate: 2020-01-0{day}\nabout: things/{about}\n{stage}{cites}---\nA note, step {step}, on [alpha](../things/alpha.md).\n"));
            vec!["content/notes/first.md".into()]
        }
        // Its date, or when it last changed (which every page shows as the site's date).
        8 => set_key(
            site,
            "content/notes/second.md",
            rng.pick(&["date", "updated"]),
            Some(&format!("2021-0{}-15", 1 + rng.below(9))),
        ),
        // The glossary: the term or its title (which prose shows wherever the term appears).
        9 => match rng.below(2) {
            0 => set_key(
                site,
                "content/glossary.md",
                "abbreviation",
                Some(rng.pick(&["ABC", "ABD", "Alpha"])),
            ),
            _ => set_key(
                site,
                "content/glossary.md",
                "title",
                Some(&format!("Alphabet Board {step}")),
            ),
        },
        // Only the body: headings (the toc), links, text; the front matter byte for byte.
        10 if exists => {
            let text = site.read(&rel);
            let Some(end) = text[3..].find("\n---\n").map(|i| i + 3 + 5) else {
                return Vec::new();
            };
            let heading = rng.pick(&["Part two", "Part three", "Details"]);
            let target = rng.pick(&["alpha", "beta"]);
            let anchor = if rng.below(10) == 0 {
                "part-three"
            } else {
                "overview"
            };
            let asset = if rng.below(3) == 0 {
                " and [data](/things/data.txt)"
            } else {
                ""
            };
            // The heading a citation points at, renamed in place (its id kept).
            let part_one = rng.pick(&["Part one", "Part one, renamed"]);
            // Half the time the text stays, so that a heading may be all that changed.
            let edit = if rng.below(2) == 0 { step } else { 0 };
            site.write(&rel, format!("{}## Overview\n\nBody edit {edit}: see [{target}](@/things/{target}.md#{anchor}){asset}.\n\n## {part_one} {{#part-one}}\n\n## Part two\n\n## {heading}\n", &text[..end]));
            vec![rel]
        }
        // Pages added, renamed and removed in a folder without an index.
        11 => {
            let rel = format!("content/extra/page-{}.md", rng.below(3));
            if site.path().join(&rel).exists() && rng.below(2) == 0 {
                let to = format!("content/extra/renamed-{step}.md");
                std::fs::rename(site.path().join(&rel), site.path().join(&to)).expect("mv");
                return vec![rel, to];
            }
            site.write(&rel, format!("---\ntitle: Extra {step}\n---\nSee [alpha](@/things/alpha.md).\n\n## Extra heading\n"));
            vec![rel]
        }
        12 => {
            let extra = site.path().join("content/extra");
            let Some(victim) = std::fs::read_dir(&extra)
                .ok()
                .and_then(|mut d| d.next())
                .and_then(Result::ok)
            else {
                return Vec::new();
            };
            let name = victim.file_name().to_string_lossy().into_owned();
            std::fs::remove_file(victim.path()).expect("rm");
            vec![format!("content/extra/{name}")]
        }
        // A section added (with a child) or removed as a whole folder.
        13 => {
            let dir = site.path().join("content/section");
            if dir.exists() {
                std::fs::remove_dir_all(&dir).expect("rm -r");
                return vec!["content/section".into()];
            }
            site.write(
                "content/section/_index.md",
                format!("---\ntitle: Section {step}\n---\nA section.\n"),
            );
            site.write(
                "content/section/child.md",
                format!(
                    "---\ntitle: Child {step}\n---\nUp to [the section](@/section/_index.md).\n"
                ),
            );
            vec![
                "content/section/_index.md".into(),
                "content/section/child.md".into(),
            ]
        }
        // An asset added, changed or removed (gamma links to it: removing it breaks gamma).
        14 => {
            let rel = rng.pick(&["content/things/data.txt", "content/things/more.txt"]);
            if site.path().join(rel).exists() && rng.below(2) == 0 {
                std::fs::remove_file(site.path().join(rel)).expect("rm");
            } else {
                site.write(rel, format!("data {step}\n"));
            }
            vec![rel.to_string()]
        }
        // A template, a stylesheet, another static file, the config.
        15 => {
            let page = site.read("templates/page.html");
            let start = page
                .find("<main")
                .expect("the fixture's page.html has <main>");
            let end = start + page[start..].find('>').expect("a whole tag");
            let edited = format!(
                "{}<main data-v=\"{step}\">{}",
                &page[..start],
                &page[end + 1..]
            );
            site.write("templates/page.html", edited);
            vec!["templates/page.html".into()]
        }
        16 => match rng.below(3) {
            0 => {
                site.write(
                    "static/style.css",
                    format!("body {{ color: #{:03}; }}\n", step % 1000),
                );
                vec!["static/style.css".into()]
            }
            1 => {
                let rel = "static/robots.txt";
                if site.path().join(rel).exists() {
                    std::fs::remove_file(site.path().join(rel)).expect("rm");
                } else {
                    site.write(rel, format!("User-agent: * # {step}\n"));
                }
                vec![rel.into()]
            }
            _ => {
                site.write("static/extra.css", format!("p {{ margin: {step}px; }}\n"));
                vec!["static/extra.css".into()]
            }
        },
        17 => {
            let config = site.read("site.yaml");
            let title = config
                .lines()
                .find(|line| line.starts_with("title:"))
                .expect("the fixture's site.yaml has a title")
                .to_string();
            site.write(
                "site.yaml",
                config.replacen(&title, &format!("title: Fixture {step}"), 1),
            );
            vec!["site.yaml".into()]
        }
        // The second note moves in the fixture's table (a row is the thing it is about, a
        // column its stage); on the first note's cell, the table has a cell claimed twice.
        18 => match rng.below(2) {
            0 => set_key(
                site,
                "content/notes/second.md",
                "about",
                Some(&format!("things/{}", rng.pick(&["alpha", "beta", "gamma"]))),
            ),
            _ => set_key(
                site,
                "content/notes/second.md",
                "stage",
                Some(rng.pick(&["final", "final", "draft"])),
            ),
        },
        _ => Vec::new(),
    }
}

/// Applies `edits` (kind, thing) one after the other, comparing `serve` with a full build
/// after each; adds to `totals` (rebuilds compared, of which partial, problems by code).
fn run_edits(
    seed: u64,
    edits: impl Iterator<Item = (usize, &'static str)>,
    totals: &mut (usize, usize, BTreeMap<&'static str, usize>),
) {
    let site = support::site("oracle");
    let mut rng = Rng(seed);
    let (mut serve, first) = Serve::start(&site);
    assert_eq!(first.errors, 0, "seed {seed}: the fixture builds");
    assert_same_as_full(&site, &first, &format!("seed {seed}: first build"));
    for (step, (kind, name)) in edits.enumerate() {
        let touched = edit(&site, &mut rng, step, kind, name);
        let served = serve.after(&touched);
        let what = format!("seed {seed} step {step}, edit {kind} of {name} ({touched:?})");
        if assert_same_as_full(&site, &served, &what) {
            totals.1 += 1;
        }
        if served.errors == 0 {
            totals.0 += 1;
        }
        for c in served.codes {
            *totals.2.entry(c).or_insert(0) += 1;
        }
    }
}

#[test]
fn every_kind_of_edit_leaves_serve_holding_what_build_writes() {
    let mut totals = (0, 0, BTreeMap::new());
    // Each kind of edit on each of three things, in turn, from a good site...
    let each = (0..KINDS).flat_map(|kind| THINGS[..3].iter().map(move |name| (kind, *name)));
    run_edits(0, each, &mut totals);
    // ...then random sequences, which reach states no script thinks of.
    for seed in 1_u64..=8 {
        let mut rng = Rng(seed ^ 0x5EED);
        let edits: Vec<(usize, &str)> = (0..50)
            .map(|_| (rng.below(KINDS), rng.pick(THINGS)))
            .collect();
        run_edits(seed, edits.into_iter(), &mut totals);
    }
    let (compared, partial, codes) = totals;
    eprintln!("compared {compared}, partial {partial}, problems {codes:?}");
    // Only meaningful if many rebuilds were good and many of them partial.
    assert!(
        compared > 250,
        "only {compared} rebuilds without errors were compared"
    );
    assert!(partial > 120, "only {partial} rebuilds were partial");
}
