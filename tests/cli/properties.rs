//! Property test of the binary: a build of a random site writes nothing outside its output
//! folder, and exits 0 or 1 without a panic. The parsers' own property tests are the crate's
//! (`src/properties.rs`); both draw from `property_tokens.rs`.

use proptest::prelude::*;

use crate::property_tokens::{text_from, MD_TOKENS, YAML_TOKENS};
use crate::support;

/// Every entry under `dir` except the output folder and majors' spare beside it.
fn outside_output(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().contains("public"))
        .map(|e| {
            let e = e.expect("readable");
            let bytes = if e.file_type().is_file() {
                std::fs::read(e.path()).expect("read")
            } else {
                Vec::new()
            };
            (e.path().display().to_string(), bytes)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn a_random_site_builds_or_fails_cleanly_and_writes_only_its_output(
        pages in proptest::collection::vec((text_from(YAML_TOKENS, 16), text_from(MD_TOKENS, 24)), 1..4),
        slug in text_from(&["../", "..", "/", "x", "%2e", "etc", " "], 6),
    ) {
        let site = support::site("");
        for (i, (yaml, body)) in pages.iter().enumerate() {
            site.write(&format!("content/things/r{i}.md"), format!("---\ntitle: R{i}\ncode: C\nstatus: open\n{yaml}\n---\n{body}"));
        }
        site.write("content/things/s.md", format!("---\ntitle: S\ncode: C\nstatus: open\nslug: \"{slug}\"\n---\n"));
        let parent = site.path().parent().expect("temp parent").to_path_buf();
        let siblings = |p: &std::path::Path| -> Vec<String> {
            let mut v: Vec<String> = std::fs::read_dir(p).map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect()).unwrap_or_default();
            v.sort();
            v
        };
        let before = outside_output(site.path());
        let parent_before = siblings(&parent);
        for _ in 0..2 {
            let run = site.run(["build"]);
            prop_assert!(run.code == 0 || run.code == 1, "exit {}: {}", run.code, run.stderr);
            prop_assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        }
        prop_assert_eq!(outside_output(site.path()), before);
        let mut after = siblings(&parent);
        after.retain(|n| !n.ends_with(".majors-previous"));
        let mut expected = parent_before;
        expected.retain(|n| !n.ends_with(".majors-previous"));
        // Other tests make temp folders beside ours meanwhile: compare only majors' names.
        prop_assert!(after.iter().filter(|n| n.contains("majors")).count() == expected.iter().filter(|n| n.contains("majors")).count());
    }
}
