//! `majors build`: output files, determinism, incremental writes, odd inputs.

use crate::support::{self, git};

#[test]
fn builds_pages_with_pretty_urls_and_site_files() {
    let site = support::site("");
    let run = site.run(["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for f in [
        "index.html",
        "things/index.html",
        "things/alpha/index.html",
        "notes/first/index.html",
        "glossary/index.html",
        "404.html",
        "sitemap.xml",
        "atom.xml",
        "data/pages.json",
        "syntax.css",
    ] {
        assert!(site.path().join("public").join(f).is_file(), "missing {f}");
    }
    insta::assert_snapshot!("alpha_page", site.read("public/things/alpha/index.html"));
    insta::assert_snapshot!("sitemap", site.read("public/sitemap.xml"));
    insta::assert_snapshot!("feed", site.read("public/atom.xml"));
    let json: serde_json::Value =
        serde_json::from_str(&site.read("public/data/pages.json")).expect("json");
    insta::assert_json_snapshot!("pages_json", json);
}

#[test]
fn backreferences_and_citations_reach_the_target_page() {
    let site = support::site("");
    assert_eq!(site.run(["build"]).code, 0);
    let alpha = site.read("public/things/alpha/index.html");
    assert!(
        alpha.contains("<h2>Notes via About</h2><a href=\"/notes/first/\">First note</a>"),
        "{alpha}"
    );
    let beta = site.read("public/things/beta/index.html");
    assert!(
        beta.contains("<h2>Things via Related things</h2><a href=\"/things/alpha/\">Alpha</a>"),
        "{beta}"
    );
    assert!(beta.contains("#part-one cited by First note"), "{beta}");
    assert!(
        beta.contains("#part-two cited by Alpha"),
        "prose links count as citations: {beta}"
    );
}

/// The default theme's citation names the cited page and the heading the anchor is on; a
/// site's `partials/cite.html` replaces how it reads.
#[test]
fn a_citation_reads_as_the_page_and_the_heading_it_points_at() {
    let site = support::site("");
    std::fs::remove_dir_all(site.path().join("templates")).expect("rm templates");
    let run = site.run(["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.read("public/notes/first/index.html");
    assert!(
        page.contains("<a href=\"/things/beta/#part-one\">Beta, Part one</a>"),
        "{page}"
    );
    site.write(
        "templates/partials/cite.html",
        "{% macro cite(v) %}[{{ v.id }} at {{ v.anchor }}]{% endmacro %}",
    );
    let run = site.run(["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.read("public/notes/first/index.html");
    assert!(page.contains("[things/beta at part-one]"), "{page}");
}

#[test]
fn two_builds_are_byte_identical() {
    let a = support::site("");
    let b = support::site("");
    assert_eq!(a.run(["build"]).code, 0);
    assert_eq!(b.run(["build"]).code, 0);
    let (fa, fb) = (a.snapshot_dir("public"), b.snapshot_dir("public"));
    assert!(fa.len() > 10);
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (k, v) in &fa {
        assert!(fb[k] == *v, "{k} differs between builds");
    }
}

#[test]
fn rebuild_writes_only_changed_files_and_removes_stale_ones() {
    let site = support::site("");
    assert_eq!(site.run(["build"]).code, 0);
    let again = site.run(["build"]);
    assert!(
        again.stderr.contains("(0 files written"),
        "{}",
        again.stderr
    );
    site.write(
        "content/things/beta.md",
        site.read("content/things/beta.md")
            .replace("Beta comes", "Beta still comes"),
    );
    std::fs::remove_file(site.path().join("content/glossary.md")).expect("rm");
    site.write(
        "content/_index.md",
        site.read("content/_index.md")
            .replace(" and the [glossary](@/glossary.md)", ""),
    );
    let third = site.run(["build"]);
    assert_eq!(third.code, 0, "{}", third.stderr);
    assert!(
        !site.path().join("public/glossary").exists(),
        "stale page left behind"
    );
    assert!(third.stderr.contains("removed)"), "{}", third.stderr);
    assert!(site
        .read("public/things/beta/index.html")
        .contains("Beta still comes"));
}

#[test]
fn failed_build_keeps_the_previous_output() {
    let site = support::site("");
    assert_eq!(site.run(["build"]).code, 0);
    let before = site.snapshot_dir("public");
    site.write(
        "content/things/alpha.md",
        "---\ntitle: Alpha\ncode: A\nstatus: bogus\n---\n",
    );
    let run = site.run(["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(site.snapshot_dir("public"), before);
}

#[test]
fn odd_file_names_get_sensible_slugs() {
    let site = support::site("");
    site.write(
        "content/things/Año nuevo.md",
        "---\ntitle: Año\ncode: N\nstatus: open\n---\nHi.\n",
    );
    site.write(
        "content/things/with space.md",
        "---\ntitle: Space\ncode: S\nstatus: open\n---\nHi.\n",
    );
    let run = site.run(["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site
        .path()
        .join("public/things/ano-nuevo/index.html")
        .is_file());
    assert!(site
        .path()
        .join("public/things/with-space/index.html")
        .is_file());
}

#[test]
fn huge_and_deeply_nested_files_build() {
    let site = support::site("");
    let paragraph = "Lorem ipsum dolor sit amet, **consectetur** adipiscing [elit](#overview). "
        .repeat(20)
        + "\n\n";
    let mut big = String::from("---\ntitle: Big\n---\n## Overview\n\n");
    while big.len() < 20 * 1024 * 1024 {
        big.push_str(&paragraph);
    }
    site.write("content/big.md", big);
    site.write(
        "content/deep.md",
        format!(
            "---\ntitle: Deep\n---\n{}deep\n\n{}x\n",
            "> ".repeat(5000),
            "- ".repeat(3000)
        ),
    );
    site.write("content/empty-body.md", "---\ntitle: Empty\n---\n");
    let run = site.run(["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.read("public/deep/index.html").contains("deep"));
    assert!(
        std::fs::metadata(site.path().join("public/big/index.html"))
            .expect("big page")
            .len()
            > 20 * 1024 * 1024
    );
}

#[test]
fn drafts_are_skipped_unless_asked() {
    let site = support::site("");
    site.write(
        "content/things/draft.md",
        "---\ntitle: Draft\ndraft: true\ncode: D\nstatus: open\n---\n",
    );
    assert_eq!(site.run(["build"]).code, 0);
    assert!(!site.path().join("public/things/draft").exists());
    assert_eq!(site.run(["build", "--drafts"]).code, 0);
    assert!(site.path().join("public/things/draft/index.html").is_file());
}

#[test]
fn unsafe_output_dirs_are_refused() {
    let site = support::site("");
    for dir in [".", "content", "/"] {
        let run = site.run(["build", "--output-dir", dir]);
        assert_eq!(run.code, 2, "{dir}: {}", run.stderr);
        assert!(run.stderr.contains("refusing to use"), "{}", run.stderr);
        // The folder came from the flag, so the advice is about the flag.
        assert!(
            run.stderr.contains("pass `--output-dir` a folder outside"),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("site.yaml"), "{}", run.stderr);
    }
    // Named in site.yaml, the advice is about site.yaml.
    let config = site.read("site.yaml");
    site.write("site.yaml", format!("{config}output_dir: content\n"));
    let run = site.run(["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("set `output_dir` in site.yaml"),
        "{}",
        run.stderr
    );
    assert!(site.path().join("content/things/alpha.md").is_file());
}

#[test]
fn site_templates_override_the_theme_and_theme_fills_the_rest() {
    let site = support::site("");
    assert_eq!(site.run(["build"]).code, 0);
    // page.html comes from the fixture; style.css from the built-in default theme.
    assert!(site
        .read("public/things/alpha/index.html")
        .starts_with("<!DOCTYPE html>\n<html lang=\"en\"><head>"));
    assert!(site.path().join("public/style.css").is_file());
}

#[test]
fn help_and_version() {
    let site = support::site("");
    let help = site.run(["--help"]);
    assert_eq!(help.code, 0);
    for cmd in ["build", "check", "serve"] {
        assert!(help.stdout.contains(cmd), "{}", help.stdout);
    }
    let version = site.run(["--version"]);
    assert_eq!(
        version.stdout.trim(),
        format!("majors {}", env!("CARGO_PKG_VERSION"))
    );
    let bad = site.run(["frobnicate"]);
    assert_eq!(bad.code, 2);
}

/// The default theme must not assume the knowledge base's fields: the synthetic benchmark
/// corpus (`examples/gen_corpus.rs`, built by `cargo test`) declares other types and fields.
#[test]
fn default_theme_builds_the_synthetic_corpus() {
    let exe = std::env::current_exe().expect("test binary path");
    let name = format!("gen_corpus{}", std::env::consts::EXE_SUFFIX);
    let generator = exe
        .ancestors()
        .map(|d| d.join("examples").join(&name))
        .find(|p| p.is_file())
        .expect("examples/gen_corpus is built by `cargo test` (not by `cargo test --test cli`)");
    let site = support::Site {
        dir: tempfile::tempdir().expect("tempdir"),
    };
    let gen = std::process::Command::new(generator)
        .args(["--pages", "300", "--out"])
        .arg(site.path())
        .output()
        .expect("run gen_corpus");
    assert!(
        gen.status.success(),
        "{}",
        String::from_utf8_lossy(&gen.stderr)
    );
    let run = site.run(["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("0 errors, 0 warnings"),
        "{}",
        run.stderr
    );
    let country = site.read("public/countries/c-01/index.html");
    assert!(
        country.contains("Referenced by") && country.contains("href=\"/benchmarks/b-"),
        "country page lists the benchmarks that refer to it: {country}"
    );
}

/// The search index is written with the pages: a manifest listing every page, term shards that
/// point at the right document, and docs bundles; `search: false` leaves it out and nothing else.
#[test]
fn search_index_is_written_and_can_be_turned_off() {
    let site = support::site("");
    let run = site.run(["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pages: serde_json::Value =
        serde_json::from_str(&site.read("public/data/pages.json")).expect("pages.json");
    let n = pages["pages"].as_array().expect("pages").len();
    let manifest: serde_json::Value =
        serde_json::from_str(&site.read("public/search/index.json")).expect("manifest");
    assert_eq!(manifest["n"].as_u64(), Some(n as u64));
    let shards = manifest["shards"].as_array().expect("shards");
    // "alpha" is in the shard whose key starts it; its postings name Alpha's document.
    let k = shards
        .iter()
        .position(|s| "alpha".starts_with(s.as_str().expect("key")))
        .expect("a shard for `alpha`");
    let shard: serde_json::Value =
        serde_json::from_str(&site.read(&format!("public/search/terms-{k}.json"))).expect("shard");
    let postings = shard["alpha"].as_array().expect("postings for `alpha`");
    let mut doc = 0;
    let mut urls = Vec::new();
    for pair in postings.chunks(2) {
        doc += pair[0].as_u64().expect("delta") as usize;
        let bundle: serde_json::Value =
            serde_json::from_str(&site.read(&format!("public/search/docs-{}.json", doc / 8)))
                .expect("bundle");
        urls.push(bundle[doc % 8][0].as_str().expect("url").to_string());
    }
    assert!(urls.contains(&"/things/alpha/".to_string()), "{urls:?}");

    let yaml = site.read("site.yaml");
    site.write("site.yaml", format!("search: false\n{yaml}"));
    let run = site.run(["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.path().join("public/search").exists());
    for f in [
        "sitemap.xml",
        "atom.xml",
        "data/pages.json",
        "things/alpha/index.html",
    ] {
        assert!(site.path().join("public").join(f).is_file(), "missing {f}");
    }
}

#[test]
fn symlinks_out_of_the_site_are_errors_and_nothing_is_published() {
    // D3: symlinks in static/ and content/ published their targets (/etc/passwd, whole
    // folders, /proc/self/environ with the build's environment).
    let site = support::site("");
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(outside.path().join("id_rsa"), "secret key").expect("write");
    std::fs::create_dir(outside.path().join("dir")).expect("mkdir");
    std::fs::write(outside.path().join("dir/inner.txt"), "inner").expect("write");
    std::fs::create_dir_all(site.path().join("static")).expect("mkdir");
    std::fs::create_dir_all(site.path().join(".git")).expect("mkdir");
    std::fs::write(site.path().join(".git/config"), "token").expect("write");
    let links: [(&str, std::path::PathBuf); 7] = [
        ("static/passwd.txt", "/etc/passwd".into()),
        ("static/env.txt", "/proc/self/environ".into()),
        ("static/ssh", outside.path().to_path_buf()),
        ("static/git-config", site.path().join(".git/config")),
        ("content/key.pem", outside.path().join("id_rsa")),
        ("content/linkeddir", outside.path().join("dir")),
        ("templates/extra", outside.path().join("dir")),
    ];
    for (link, target) in &links {
        std::os::unix::fs::symlink(target, site.path().join(link)).expect("symlink");
    }
    // A link that stays inside the site is followed.
    std::os::unix::fs::symlink(
        "../content/things/alpha.md",
        site.path().join("static/alpha.txt"),
    )
    .expect("symlink");
    let check = site.run(["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    for (link, _) in &links {
        assert!(
            check
                .stderr
                .contains(&format!("error[unsafe-symlink]: `{link}` is a symlink to")),
            "{link}: {}",
            check.stderr
        );
    }
    assert_eq!(
        check.stderr.matches("unsafe-symlink").count(),
        links.len(),
        "{}",
        check.stderr
    );
    let build = std::process::Command::new(env!("CARGO_BIN_EXE_majors"))
        .args(["build", "--root"])
        .arg(site.path())
        .env("FAKE_CI_TOKEN", "ghp_FAKE123")
        .output()
        .expect("run");
    assert_eq!(build.status.code(), Some(1));
    assert!(!site.path().join("public").exists(), "nothing is written");
    // Without the unsafe links the site builds, with the link that stays inside.
    for (link, _) in &links {
        std::fs::remove_file(site.path().join(link)).expect("rm");
    }
    assert_eq!(site.run(["build"]).code, 0);
    assert!(site.read("public/alpha.txt").contains("title: Alpha"));
}

#[test]
fn editor_backup_files_are_not_published() {
    // D21: `content/notes.bak` was published by `build` (and ignored by `serve`).
    let site = support::site("");
    for name in ["notes.bak", "x.md.swpx", "y.md.orig", "z.md~"] {
        site.write(&format!("content/{name}"), "secret draft");
    }
    assert_eq!(site.run(["build"]).code, 0);
    let out = site.snapshot_dir("public");
    for name in ["notes.bak", "x.md.swpx", "y.md.orig", "z.md~"] {
        assert!(!out.contains_key(name), "{name} published");
    }
}

#[test]
fn control_characters_in_a_body_are_located_errors() {
    // D15: a NUL in a body was written raw into the HTML and made atom.xml ill-formed.
    let site = support::site("");
    let alpha = site.read("content/things/alpha.md");
    site.write(
        "content/things/alpha.md",
        alpha.replace(
            "Alpha is the first thing.",
            "Alpha is\0 the first \u{1} thing.",
        ),
    );
    let check = site.run(["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert_eq!(
        check.stderr.matches("error[control-character]").count(),
        2,
        "{}",
        check.stderr
    );
    assert!(
        check.stderr.contains("content/things/alpha.md:11:9"),
        "{}",
        check.stderr
    );
    assert!(check.stderr.contains("U+0000") && check.stderr.contains("U+0001"));
}

#[test]
fn two_inputs_with_one_output_path_are_errors_in_check() {
    // D11: `static/sitemap.xml` or `content/p/index.html` beside `p.md` passed `check` and then
    // silently replaced the generated file, or broke the commit halfway.
    let site = support::site("");
    assert_eq!(site.run(["build"]).code, 0);
    let before = site.snapshot_dir("public");
    site.write("static/sitemap.xml", "<urlset/>");
    site.write("content/things/alpha/index.html", "<h1>asset</h1>");
    site.write("static/things/beta", "a file where a folder must be");
    site.write("static/search/terms-0.json", "{}");
    let check = site.run(["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert_eq!(
        check.stderr.matches("error[output-collision]").count(),
        4,
        "{}",
        check.stderr
    );
    for needle in [
        "`sitemap.xml` would be written twice: by `static/sitemap.xml` and by a file majors generates",
        "`things/alpha/index.html` would be written twice: by `content/things/alpha/index.html` and by the page `content/things/alpha.md`",
        "`things/beta` would be a file (`static/things/beta`)",
        "`search/terms-0.json` is a name the search index uses",
    ] {
        assert!(check.stderr.contains(needle), "{needle}\n{}", check.stderr);
    }
    assert_eq!(site.run(["build"]).code, 1);
    assert_eq!(site.snapshot_dir("public"), before);
}

#[test]
fn a_shallow_clone_never_invents_dates() {
    // D22: in a `--depth` clone every page got the date of the clone's oldest commit.
    let origin = support::site("");
    let p = origin.path();
    git(p, &["init", "-q", "-b", "main"], "2026-01-01T00:00:00Z");
    git(p, &["add", "-A"], "2026-01-01T00:00:00Z");
    git(p, &["commit", "-qm", "one"], "2026-01-01T00:00:00Z");
    for (file, date) in [
        ("alpha", "2026-02-02T00:00:00Z"),
        ("beta", "2026-03-03T00:00:00Z"),
    ] {
        let path = format!("content/things/{file}.md");
        origin.write(&path, origin.read(&path) + "\nMore.\n");
        git(p, &["commit", "-qam", file], date);
    }
    let clones = tempfile::tempdir().expect("tempdir");
    let url = format!("file://{}", p.display());
    let (full, shallow) = (clones.path().join("full"), clones.path().join("shallow"));
    git(
        clones.path(),
        &["clone", "-q", &url, "full"],
        "2026-04-04T00:00:00Z",
    );
    git(
        clones.path(),
        &["clone", "-q", "--depth", "2", &url, "shallow"],
        "2026-04-04T00:00:00Z",
    );
    let build = |dir: &std::path::Path| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_majors"))
            .args(["build", "--color", "never", "--root"])
            .arg(dir)
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(0));
        let sitemap = std::fs::read_to_string(dir.join("public/sitemap.xml")).expect("sitemap");
        (sitemap, String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (full_map, full_err) = build(&full);
    let (shallow_map, shallow_err) = build(&shallow);
    assert!(
        full_map.contains("2026-01-01") && full_map.contains("2026-02-02"),
        "{full_map}"
    );
    assert!(!full_err.contains("shallow-history"), "{full_err}");
    // Only beta's date is known in the shallow clone; nothing gets a date it does not have.
    assert!(
        shallow_map.contains(
            "<loc>https://fixture.example/things/beta/</loc><lastmod>2026-03-03</lastmod>"
        ),
        "{shallow_map}"
    );
    assert!(
        !shallow_map.contains("2026-01-01") && !shallow_map.contains("2026-02-02"),
        "{shallow_map}"
    );
    assert!(
        shallow_err.contains("warning[shallow-history]"),
        "{shallow_err}"
    );
}

#[test]
fn a_symlinked_source_folder_or_a_link_back_into_the_site_is_refused() {
    // The review's N1 and N4: `static -> /outside` published the outside folder, and
    // `static/root -> ..` republished the site (and its previous output) into itself.
    let site = support::site("");
    assert_eq!(site.run(["build"]).code, 0);
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(outside.path().join("secret.txt"), "TOPSECRET").expect("write");
    std::os::unix::fs::symlink(outside.path(), site.path().join("static")).expect("symlink");
    let run = site.run(["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("`static` is a symlink to"),
        "{}",
        run.stderr
    );
    std::fs::remove_file(site.path().join("static")).expect("rm");
    std::fs::create_dir(site.path().join("static")).expect("mkdir");
    std::os::unix::fs::symlink("..", site.path().join("static/root")).expect("symlink");
    std::os::unix::fs::symlink("../public", site.path().join("static/out")).expect("symlink");
    std::os::unix::fs::symlink("../content", site.path().join("static/mirror")).expect("symlink");
    let run = site.run(["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`static/root` is a symlink to `..`, a folder that holds the link itself"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("`static/out` is a symlink to `../public`, the output folder"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("static/mirror"),
        "a link to another folder of the site is fine: {}",
        run.stderr
    );
    let templates = site.path().join("templates");
    std::fs::rename(&templates, outside.path().join("templates")).expect("mv");
    std::os::unix::fs::symlink(outside.path().join("templates"), &templates).expect("symlink");
    assert!(site
        .run(["check"])
        .stderr
        .contains("`templates` is a symlink to"));
    assert!(!site.read("public/index.html").is_empty());
    assert!(!site.path().join("public/secret.txt").exists());
}

/// `template:` on a type in site.yaml chooses the template of its pages (it was ignored).
#[test]
fn a_types_template_renders_its_pages() {
    let site = support::site("");
    let config = site.read("site.yaml");
    site.write(
        "site.yaml",
        config.replace(
            "    label: Note\n",
            "    label: Note\n    template: note-card.html\n",
        ),
    );
    site.write(
        "templates/note-card.html",
        "<!DOCTYPE html><title>{{ page.title }}</title><p class=\"card\">{{ page.fields.about.title }}</p>",
    );
    let run = site.run(["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site
        .read("public/notes/first/index.html")
        .contains("<p class=\"card\">"));
    // A page of another type keeps page.html.
    assert!(!site
        .read("public/things/alpha/index.html")
        .contains("class=\"card\""));
    std::fs::remove_file(site.path().join("templates/note-card.html")).expect("rm");
    let run = site.run(["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("fix the type's `template:` in site.yaml"),
        "{}",
        run.stderr
    );
}

/// An `@/` link in a `text` field is rewritten to the page's URL wherever the field is shown
/// (it reached the output as `href="@/…"`).
#[test]
fn links_in_text_fields_become_urls() {
    let site = support::site("errors/raw_html_in_text");
    // That fixture's beta has raw HTML in its summary; the base fixture's has none.
    let beta = std::fs::read_to_string(
        support::repo_root().join("tests/fixtures/base/content/things/beta.md"),
    )
    .expect("beta");
    site.write("content/things/beta.md", beta);
    site.write(
        "content/things/alpha.md",
        "---\ntitle: Alpha\ncode: A\nstatus: open\nsummary: See [beta](@/things/beta.md#part-two).\n---\nAlpha.\n",
    );
    let page = site.read("templates/page.html");
    site.write(
        "templates/page.html",
        page.replace("{{ content }}", "{{ content }}{% if page.fields.summary %}<p class=\"summary\">{{ page.fields.summary | markdown }}</p>{% endif %}"),
    );
    let run = site.run(["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let alpha = site.read("public/things/alpha/index.html");
    assert!(
        alpha.contains("<a href=\"/things/beta/#part-two\">beta</a>"),
        "{alpha}"
    );
}

/// `search.facets` names the types the search page filters by; a page belongs to the page of
/// that type it is or refers to. Nothing about countries is built in any more.
#[test]
fn search_facets_are_declared_in_site_yaml() {
    let site = support::site("");
    let config = site.read("site.yaml");
    site.write(
        "site.yaml",
        format!("{config}search: {{ facets: [thing] }}\n"),
    );
    let run = site.run(["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let manifest: serde_json::Value =
        serde_json::from_str(&site.read("public/search/index.json")).expect("json");
    assert!(manifest.get("countries").is_none(), "{manifest}");
    let facet = &manifest["facets"][0];
    assert_eq!(
        (facet["name"].as_str(), facet["label"].as_str()),
        (Some("thing"), Some("Thing"))
    );
    let values: Vec<&str> = facet["values"]
        .as_array()
        .expect("values")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(
        values.contains(&"Alpha") && values.contains(&"Beta"),
        "{values:?}"
    );
    // The note is about alpha: its value is alpha's.
    let data: serde_json::Value =
        serde_json::from_str(&site.read("public/data/pages.json")).expect("pages.json");
    let pages = data
        .as_array()
        .or_else(|| data["pages"].as_array())
        .expect("pages");
    let note = pages
        .iter()
        .position(|p| p["id"] == "notes/first")
        .expect("the note");
    let of = facet["of"][note].as_i64().expect("index");
    assert_eq!(values[of as usize], "Alpha");

    site.write(
        "site.yaml",
        format!("{config}search: {{ facets: [thng] }}\n"),
    );
    let run = site.run(["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("did you mean `thing`?"),
        "{}",
        run.stderr
    );
}

/// `data/<type>.csv` for every declared type: a row per page, a column per declared field,
/// references as ids (with their anchor), RFC 4180 line ends; a page may link to it.
#[test]
fn every_type_has_a_csv_file_pages_may_link_to() {
    let site = support::site("");
    let home = site.read("content/_index.md");
    site.write(
        "content/_index.md",
        format!("{home}\nThe [things as CSV](/data/thing.csv).\n"),
    );
    let run = site.run(["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        site.read("public/data/thing.csv"),
        "id,url,title,code,count,status,related\r\n\
         things/alpha,/things/alpha/,Alpha,A,3,open,things/beta\r\n\
         things/beta,/things/beta/,Beta,B,,closed,\r\n"
    );
    assert_eq!(
        site.read("public/data/note.csv"),
        "id,url,title,about,cites,when\r\n\
         notes/first,/notes/first/,First note,things/alpha,things/beta#part-one,\r\n"
    );
    // A static file may not take a type's CSV path.
    site.write("static/data/note.csv", "mine\n");
    let run = site.run(["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("data/note.csv"), "{}", run.stderr);
}

/// Enum values keep their declared order: `ranks.<field>` is a value's position among the
/// declared values (the base fixture declares `status: [open, closed]`), for sorting, and
/// the field list gives each enum value its rank and the declared values.
#[test]
fn enum_values_sort_in_their_declared_order() {
    let site = support::site("");
    let home = site.read("content/_index.md");
    site.write(
        "content/_index.md",
        home.replacen("title: Home\n", "title: Home\ntemplate: ranks.html\n", 1),
    );
    site.write(
        "templates/ranks.html",
        "{% for p in pages_of_type(\"thing\") | sort(attribute=\"ranks.status\") %}{{ p.title }}:{{ p.ranks.status }} {% endfor %}\
         |{% for f in get_page(\"things/beta\").field_list %}{% if f.name == \"status\" %}{{ f.rank }} of {{ f.values | join(\"/\") }}{% endif %}{% endfor %}",
    );
    let run = site.run(["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // By weight Beta comes first, and alphabetically `closed` (Beta's) too: only the declared
    // order puts Alpha (open, 0) before Beta (closed, 1).
    assert_eq!(
        site.read("public/index.html"),
        "Alpha:0 Beta:1 |1 of open/closed"
    );
}
