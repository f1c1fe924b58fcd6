//! `majors init` and `majors new`: the starter site builds clean on the default theme, and a
//! new page of every field kind has its required fields as placeholders that `check` reports.

use std::path::Path;

use crate::support::{Run, Site};

fn majors_in(dir: &Path, args: &[&str]) -> Run {
    std::process::Command::new(env!("CARGO_BIN_EXE_majors"))
        .current_dir(dir)
        .args(args)
        .env_remove("RUST_LOG")
        .output()
        .expect("run majors")
        .into()
}

fn started() -> Site {
    let site = Site {
        dir: tempfile::tempdir().expect("tempdir"),
    };
    let run = majors_in(site.path(), &["init", "kb", "--title", "Field notes: 2027"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site
}

#[test]
fn init_writes_a_site_that_checks_and_builds_with_no_warnings() {
    let site = started();
    let kb = site.path().join("kb");
    for file in [
        ".gitignore",
        "site.yaml",
        "content/_index.md",
        "content/notes/first-note.md",
    ] {
        assert!(kb.join(file).is_file(), "{file} missing");
    }
    let check = majors_in(&kb, &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stderr.contains("0 errors, 0 warnings"),
        "{}",
        check.stderr
    );
    let build = majors_in(&kb, &["build"]);
    assert!(
        build.stderr.contains("0 errors, 0 warnings"),
        "{}",
        build.stderr
    );
    let home = std::fs::read_to_string(kb.join("public/index.html")).expect("home page");
    assert!(home.contains("<title>Field notes: 2027</title>"), "{home}");
    // The reference between the two types, both ways.
    let note =
        std::fs::read_to_string(kb.join("public/notes/first-note/index.html")).expect("note");
    assert!(note.contains("href=\"/topics/getting-started/\""), "{note}");
    let topic = std::fs::read_to_string(kb.join("public/topics/getting-started/index.html"))
        .expect("topic");
    assert!(
        topic.contains("Referenced by") && topic.contains("A first note"),
        "{topic}"
    );
    // Nothing of the Majors List knowledge base is in its pages or stylesheets.
    for page in walkdir::WalkDir::new(kb.join("public")) {
        let page = page.expect("walk");
        if page
            .path()
            .extension()
            .is_some_and(|e| e == "html" || e == "css")
        {
            let text = std::fs::read_to_string(page.path()).expect("read");
            for leak in [
                "STATE 032018",
                "/matrix/",
                "/glossary/",
                "brand-mark",
                "Majors",
                "ountry",
                "enchmark",
                "dossier",
            ] {
                assert!(!text.contains(leak), "{leak} in {}", page.path().display());
            }
        }
    }
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_touches_nothing() {
    let site = Site {
        dir: tempfile::tempdir().expect("tempdir"),
    };
    site.write("mine/notes.txt", "keep me");
    let run = majors_in(site.path(), &["init", "mine"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("it is not empty"), "{}", run.stderr);
    assert_eq!(site.read("mine/notes.txt"), "keep me");
    assert_eq!(
        std::fs::read_dir(site.path().join("mine"))
            .expect("dir")
            .count(),
        1
    );
}

#[test]
fn an_empty_title_is_refused_by_init_and_by_check() {
    let site = Site {
        dir: tempfile::tempdir().expect("tempdir"),
    };
    let run = majors_in(site.path(), &["init", "kb", "--title", ""]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!site.path().join("kb").exists());
    site.write("site.yaml", "title: \"\"\nbase_url: https://x.org/\n");
    std::fs::create_dir(site.path().join("content")).expect("mkdir");
    let run = site.run(["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("`title` is empty"), "{}", run.stderr);
}

/// A type with a field of every kind, required and optional.
const EVERY_KIND: &str = r#"
  specimen:
    fields:
      name: { kind: string, required: true }
      notes: { kind: text, required: true }
      count: { kind: integer, required: true }
      mass: { kind: number, required: true }
      alive: { kind: bool, required: true }
      found: { kind: date, required: true }
      state: { kind: enum, values: [raw, done], required: true }
      tags: { kind: list, of: { kind: string }, required: true }
      about: { kind: reference, to: topic, required: true }
      source: { kind: citation, required: true }
      remark: { kind: string }
"#;

#[test]
fn new_writes_every_required_field_as_a_placeholder_that_check_reports() {
    let site = started();
    let kb = site.path().join("kb");
    let config = std::fs::read_to_string(kb.join("site.yaml")).expect("site.yaml");
    std::fs::write(kb.join("site.yaml"), format!("{config}{EVERY_KIND}")).expect("write");
    let run = majors_in(&kb, &["new", "specimen", "specimens/first"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("wrote content/specimens/first.md; 11 fields to fill in"),
        "{}",
        run.stderr
    );
    let page = std::fs::read_to_string(kb.join("content/specimens/first.md")).expect("page");
    // No folder default for specimens/: the type is written out.
    assert!(page.contains("\ntype: specimen\n"), "{page}");
    assert!(page.contains("\ntags: [TODO]"), "{page}");
    assert!(
        page.contains("\n# remark:"),
        "an optional field is a comment: {page}"
    );
    let check = majors_in(&kb, &["check", "--format", "json"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    let diags: Vec<serde_json::Value> = serde_json::from_str(&check.stdout).expect("json");
    let mut placeholders: Vec<(String, u64)> = diags
        .iter()
        .filter(|d| d["code"] == "placeholder")
        .map(|d| {
            (
                d["message"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    placeholders.sort_by_key(|(_, line)| *line);
    let fields: Vec<&str> = placeholders
        .iter()
        .map(|(m, _)| m.split('`').nth(1).unwrap_or(""))
        .collect();
    assert_eq!(
        fields,
        [
            "title", "name", "notes", "count", "mass", "alive", "found", "state", "tags", "about",
            "source"
        ]
    );
    // Placeholders only: no other complaint about the new page.
    assert_eq!(diags.len(), placeholders.len(), "{diags:#?}");
}

#[test]
fn new_follows_folder_defaults_and_writes_sections() {
    let site = started();
    let kb = site.path().join("kb");
    let run = majors_in(
        &kb,
        &[
            "new",
            "note",
            "content/notes/second.md",
            "--title",
            "Second",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = std::fs::read_to_string(kb.join("content/notes/second.md")).expect("page");
    assert!(page.starts_with("---\ntitle: Second\n"), "{page}");
    assert!(!page.contains("type:"), "notes/ defaults to note: {page}");
    let run = majors_in(&kb, &["new", "section", "guides", "--title", "Guides"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let section = std::fs::read_to_string(kb.join("content/guides/_index.md")).expect("section");
    assert!(section.starts_with("---\ntitle: Guides\n"), "{section}");
    // A typed `_index.md` names its type: folder defaults never apply to sections.
    let run = majors_in(
        &kb,
        &["new", "topic", "topics/big/_index.md", "--title", "Big"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let typed = std::fs::read_to_string(kb.join("content/topics/big/_index.md")).expect("typed");
    assert!(typed.contains("\ntype: topic\n"), "{typed}");
    let check = majors_in(&kb, &["check", "--format", "json"]);
    let diags: Vec<serde_json::Value> = serde_json::from_str(&check.stdout).expect("json");
    let codes: Vec<&str> = diags.iter().filter_map(|d| d["code"].as_str()).collect();
    assert_eq!(codes, ["placeholder", "placeholder"], "{diags:#?}");
}

#[test]
fn new_refuses_unknown_types_existing_pages_and_paths_outside_content() {
    let site = started();
    let kb = site.path().join("kb");
    let run = majors_in(&kb, &["new", "nte", "notes/x"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `note`?"),
        "{}",
        run.stderr
    );
    let before = std::fs::read_to_string(kb.join("content/notes/first-note.md")).expect("page");
    let run = majors_in(&kb, &["new", "note", "notes/first-note"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    let after = std::fs::read_to_string(kb.join("content/notes/first-note.md")).expect("page");
    assert_eq!(before, after);
    for bad in [
        "../outside.md",
        "/tmp/x.md",
        "notes/x.txt",
        "notes/",
        "notes/.hidden",
    ] {
        let run = majors_in(&kb, &["new", "note", bad]);
        assert_eq!(run.code, 2, "{bad}: {}", run.stderr);
        assert!(
            run.stderr.contains("cannot write a page at"),
            "{}",
            run.stderr
        );
    }
    assert!(!site.path().join("outside.md").exists());
}

#[test]
fn an_empty_config_in_an_empty_folder_reports_every_missing_piece_at_once() {
    let site = Site {
        dir: tempfile::tempdir().expect("tempdir"),
    };
    site.write("site.yaml", "");
    let run = site.run(["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for expected in [
        "error[missing-config-key]: site.yaml has no `title`",
        "error[missing-config-key]: site.yaml has no `base_url`",
        "error[no-content-folder]: the site has no `content/` folder",
        "3 errors",
    ] {
        assert!(run.stderr.contains(expected), "{expected}\n{}", run.stderr);
    }
}

#[test]
fn a_site_without_a_home_page_or_without_pages_warns() {
    let site = Site {
        dir: tempfile::tempdir().expect("tempdir"),
    };
    site.write("site.yaml", "title: T\nbase_url: https://x.org/\n");
    std::fs::create_dir(site.path().join("content")).expect("mkdir");
    let run = site.run(["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("warning[empty-site]"), "{}", run.stderr);
    site.write("content/a.md", "---\ntitle: A\n---\n");
    let run = site.run(["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("warning[no-home-page]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("create `content/_index.md`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_root_that_does_not_exist_is_named_as_missing() {
    let site = Site {
        dir: tempfile::tempdir().expect("tempdir"),
    };
    let run = majors_in(site.path(), &["--root", "nowhere", "check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("the site folder `nowhere` does not exist"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_base_url_with_a_path_warns_that_links_start_at_the_root() {
    let site = started();
    let kb = site.path().join("kb");
    let config = std::fs::read_to_string(kb.join("site.yaml")).expect("site.yaml");
    let moved = config.replace(
        "base_url: https://example.org/",
        "base_url: https://example.org/sub/",
    );
    std::fs::write(kb.join("site.yaml"), moved).expect("write");
    let run = majors_in(&kb, &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("warning[base-url-path]"),
        "{}",
        run.stderr
    );
}
