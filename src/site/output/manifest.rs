//! The output manifest: the list of files a majors build wrote into its output folder.
//!
//! It is how majors knows what it owns. A build deletes or replaces only files listed in the
//! previous build's manifest; anything else in the folder (a `CNAME`, a `.git` of a deploy
//! branch) is kept, and a non-empty folder without a manifest is refused. The manifest is a
//! hidden file in the output folder so that it moves with the folder when a build swaps the
//! new output in, and it is never listed in the sitemap, the feed or `pages.json`.
//!
//! Format (JSON, one path per line so diffs of two builds stay readable):
//! ```text
//! {"generator": "majors", "version": 1, "files": [
//! "404.html",
//! "countries/peru/index.html"
//! ]}
//! ```

use std::collections::BTreeSet;
use std::path::Path;

/// The manifest's file name in the output folder.
pub const MANIFEST: &str = ".majors-manifest";

const VERSION: u64 = 1;

/// Why a manifest could not be read.
#[derive(Debug)]
pub enum ManifestProblem {
    /// There is none.
    Missing,
    /// It exists but is not a manifest this version can read.
    Damaged(String),
    /// It could not be read.
    Io(std::io::Error),
}

/// Reads the manifest of `dir`: the set of files (`/`-separated, relative) majors wrote there.
pub fn read_manifest(dir: &Path) -> Result<BTreeSet<String>, ManifestProblem> {
    let path = dir.join(MANIFEST);
    let meta = match std::fs::symlink_metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(ManifestProblem::Missing),
        Err(e) => return Err(ManifestProblem::Io(e)),
    };
    if !meta.is_file() {
        return Err(ManifestProblem::Damaged("it is not a regular file".into()));
    }
    let text = std::fs::read_to_string(&path).map_err(ManifestProblem::Io)?;
    parse_manifest(&text).map_err(ManifestProblem::Damaged)
}

/// Parses a manifest's text.
pub fn parse_manifest(text: &str) -> Result<BTreeSet<String>, String> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Raw {
        generator: String,
        version: u64,
        files: Vec<String>,
    }
    let raw: Raw = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if raw.generator != "majors" || raw.version != VERSION {
        return Err(format!(
            "written by `{}` version {}, expected majors version {VERSION}",
            raw.generator, raw.version
        ));
    }
    for f in &raw.files {
        if !is_plain_relative(f) {
            return Err(format!(
                "it lists `{f}`, which is not a path inside the folder"
            ));
        }
    }
    Ok(raw.files.into_iter().collect())
}

/// The manifest text for `files` (sorted, so two builds of the same site write the same bytes).
pub fn manifest_text<'a>(files: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = format!("{{\"generator\": \"majors\", \"version\": {VERSION}, \"files\": [");
    for (i, f) in files.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('\n');
        out.push_str(&serde_json::Value::String(f.to_string()).to_string());
    }
    out.push_str("\n]}\n");
    out
}

/// True for `a/b.html`: no empty, `.` or `..` segment, not absolute, no backslash or NUL.
/// A damaged or hostile manifest must never make majors delete outside the folder.
pub fn is_plain_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && !path.contains('\0')
        && path
            .split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_is_sorted_and_stable() {
        let files = ["a/index.html", "404.html", "x \"q\".txt"];
        let mut sorted: Vec<&str> = files.to_vec();
        sorted.sort_unstable();
        let text = manifest_text(sorted.iter().copied());
        let back = parse_manifest(&text).unwrap();
        assert_eq!(back.iter().map(String::as_str).collect::<Vec<_>>(), sorted);
        assert_eq!(manifest_text(back.iter().map(String::as_str)), text);
    }

    #[test]
    fn hostile_entries_are_refused() {
        for bad in [
            "../x",
            "/etc/passwd",
            "a/../../b",
            "a//b",
            "",
            "a\\b",
            "./a",
        ] {
            let text = manifest_text([bad]);
            assert!(parse_manifest(&text).is_err(), "{bad}");
        }
        assert!(
            parse_manifest("{\"generator\": \"hugo\", \"version\": 1, \"files\": []}").is_err()
        );
        assert!(parse_manifest("not json").is_err());
    }
}
