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
