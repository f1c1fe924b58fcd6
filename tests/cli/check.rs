//! Diagnostics: one fixture per problem, each snapshotted; formats; exit codes.

use crate::support::{self, normalize};

/// Every case under tests/fixtures/errors: `check` exits 1 with located diagnostics, and
/// `build` writes nothing, leaving an existing output folder exactly as it was.
#[test]
fn every_error_fixture_is_reported_and_leaves_public_untouched() {
    insta::glob!("../fixtures/errors", "*/CASE.md", |path| {
        let case = path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .expect("case name");
        let site = support::site(&format!("errors/{case}"));
        let check = site.run(["check"]);
        assert_eq!(check.code, 1, "{case}: check should fail\n{}", check.stderr);
        assert!(!check.stderr.contains("panicked"), "{case} panicked");
        assert!(
            check.stderr.contains("-->") || check.stderr.contains("┌─"),
            "{case}: no location\n{}",
            check.stderr
        );
        assert!(
            check.stderr.contains("help:"),
            "{case}: no help line\n{}",
            check.stderr
        );
        insta::assert_snapshot!(check.normalized_stderr(&site));

        site.previous_build(&[("marker.txt", "previous build")]);
        let before = site.snapshot_dir("public");
        let build = site.run(["build"]);
        assert_eq!(build.code, 1, "{case}: build should fail");
        assert!(
            build.stderr.contains("nothing was written"),
            "{case}: {}",
            build.stderr
        );
        assert_eq!(
            site.snapshot_dir("public"),
            before,
            "{case}: public/ changed"
        );
    });
}

#[test]
fn json_format_lists_every_problem_with_location() {
    let site = support::site("errors/many_problems");
    let run = site.run(["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let items: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let items = items.as_array().expect("array");
    let summary: Vec<(String, String, u64, u64)> = items
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["file"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    insta::assert_debug_snapshot!(summary);
}

#[test]
fn github_format_prints_workflow_annotations() {
    let site = support::site("errors/unknown_reference");
    let run = site.run(["check", "--format", "github"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout.trim_end(),
        "::error file=content/notes/first.md,line=3,col=8,title=unknown-reference::[unknown-reference] `about` refers to `things/alpah`, which does not exist%0Ahelp: did you mean `things/alpha`?"
    );
}

#[test]
fn clean_site_checks_without_writing() {
    let site = support::site("");
    let run = site.run(["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        normalize(&run.stderr, &site),
        "checked 7 pages in [TIME], 0 errors, 0 warnings\n"
    );
    assert!(!site.path().join("public").exists(), "check wrote output");
}

#[test]
fn orphan_page_is_a_warning_not_an_error() {
    let site = support::site("");
    // Sections list their pages, so a page is an orphan only outside any section: remove the home.
    std::fs::remove_file(site.path().join("content/_index.md")).expect("rm");
    site.write(
        "content/stray.md",
        "---\ntitle: Stray\n---\nNobody links here.\n",
    );
    let run = site.run(["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning[orphan-page]: no page links to `stray`"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("`things/alpha`"),
        "a listed page is not an orphan: {}",
        run.stderr
    );
}

#[test]
fn missing_config_is_an_environment_error() {
    let site = support::site("");
    std::fs::remove_file(site.path().join("site.yaml")).expect("rm");
    let run = site.run(["check"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot read"), "{}", run.stderr);
}

/// Runs `check --format json` and returns (code, line, column) of every diagnostic.
fn json_locations(run: &support::Run) -> Vec<(String, u64, u64)> {
    let items: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    items
        .as_array()
        .expect("array")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// 8,000 unknown keys in one page: each is reported at its own line (this used to take two
/// minutes, re-parsing the YAML once per diagnostic).
#[test]
fn thousands_of_unknown_keys_are_each_located() {
    let site = support::site("");
    let keys: String = (0..8000).map(|i| format!("k{i}: v\n")).collect();
    site.write(
        "content/things/many.md",
        format!("---\ntitle: Many\ncode: M\nstatus: open\n{keys}---\nBody.\n"),
    );
    // D8: each diagnostic re-parsed the YAML (124 s); the guard makes that a failure.
    let run = site.run_within(&["check", "--format", "json"], support::HANG_GUARD);
    assert_eq!(run.code, 1);
    let expected: Vec<(String, u64, u64)> = (0..8000)
        .map(|i| ("unknown-field".to_string(), i + 5, 1))
        .collect();
    assert_eq!(json_locations(&run), expected);
    let human = site.run(["check"]);
    assert_eq!(human.stderr.matches("error[unknown-field]").count(), 8000);
}

/// `x: [[[…]]]` 100,000 deep is one error where the nesting limit is crossed (the parser
/// used to spend 94 s on it).
#[test]
fn deep_nesting_is_one_error_at_the_limit() {
    let site = support::site("");
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    site.write(
        "content/things/deep.md",
        format!("---\ntitle: Deep\ncode: D\nstatus: open\nx: {deep}\n---\nBody.\n"),
    );
    // D9: the libyaml scanner took 94 s on it before the pre-scan.
    let run = site.run_within(&["check", "--format", "json"], support::HANG_GUARD);
    assert_eq!(run.code, 1);
    // Line 5 `x: [[[…`: the mapping is level 1, so the 64th `[` (column 4 + 63) is level 65.
    assert_eq!(
        json_locations(&run),
        [("bad-front-matter".to_string(), 5, 67)]
    );
    assert!(run
        .stdout
        .contains("nests deeper than the limit of 64 levels"));
}

#[test]
fn json_format_lists_related_locations() {
    let site = support::site("errors/duplicate_key");
    let run = site.run(["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let items: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    insta::assert_json_snapshot!(items);
}

#[test]
fn github_annotation_stays_on_the_primary_location() {
    let site = support::site("errors/duplicate_key");
    let run = site.run(["check", "--format", "github"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout.trim_end(),
        "::error file=content/things/alpha.md,line=4,col=1,title=bad-front-matter::[bad-front-matter] `title` is set twice%0Ahelp: keep one of the two `title:` entries"
    );
}
