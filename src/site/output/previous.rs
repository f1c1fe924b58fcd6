//! Reading what an earlier build published (`majors check --against`, `majors diff`): a
//! `urls.json`, an output folder holding `data/urls.json`, or the manifest of a published
//! site by URL (`https://x.org/` means `https://x.org/data/urls.json`).

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, SourceMap, Span};
use crate::site::urls::{Manifest, MANIFEST, VERSION};

/// Where a previous build's manifest is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Previous {
    /// A manifest on the web.
    Url(String),
    /// A manifest file on disk.
    File(PathBuf),
}

impl Previous {
    /// What `spec` names: a URL, a manifest file, or a folder (an output folder: its
    /// `data/urls.json`).
    pub fn parse(spec: &str) -> Previous {
        if spec.starts_with("http://") || spec.starts_with("https://") {
            let url = if spec.ends_with(".json") {
                spec.to_string()
            } else {
                format!("{}/{MANIFEST}", spec.trim_end_matches('/'))
            };
            return Previous::Url(url);
        }
        let path = Path::new(spec);
        if path.is_dir() {
            Previous::File(path.join(MANIFEST))
        } else {
            Previous::File(path.to_path_buf())
        }
    }

    /// How messages name it.
    pub fn name(&self) -> String {
        match self {
            Previous::Url(u) => u.clone(),
            Previous::File(p) => p.display().to_string(),
        }
    }
}

/// One side of `majors diff`: the manifest, and the output folder when `spec` is one.
pub fn load_side(
    spec: &str,
    sources: &mut SourceMap,
) -> Result<(Manifest, Option<PathBuf>), Diagnostic> {
    let folder = Some(PathBuf::from(spec)).filter(|p| !spec.contains("://") && p.is_dir());
    Ok((load(spec, sources)?, folder))
}

/// Whether the page at `url` has the same bytes in two output folders (`None`: unreadable).
pub fn same_page(old: &Path, new: &Path, url: &str) -> Option<bool> {
    let file = crate::content::model::UrlPath(url.to_string()).output_file();
    let (a, b) = (
        std::fs::read(old.join(&file)).ok()?,
        std::fs::read(new.join(&file)).ok()?,
    );
    Some(a == b)
}

/// Reads and parses the manifest at `spec`; its text joins `sources` (so a parse error is
/// located in it). A problem is one diagnostic that says what to pass instead.
pub fn load(spec: &str, sources: &mut SourceMap) -> Result<Manifest, Diagnostic> {
    let at = Previous::parse(spec);
    let name = at.name();
    let help = "pass a previous build's `data/urls.json`, its output folder, or the URL of the published site";
    let text = match &at {
        Previous::File(path) => std::fs::read_to_string(path).map_err(|e| {
            Diagnostic::error(
                "previous-manifest",
                format!("cannot read the manifest `{name}`: {e}"),
            )
            .help(help)
        })?,
        Previous::Url(url) => fetch(url).map_err(|e| {
            Diagnostic::error(
                "previous-manifest",
                format!("cannot fetch the manifest `{url}`: {e}"),
            )
            .help(help)
        })?,
    };
    let abs = match &at {
        Previous::File(p) => p.clone(),
        Previous::Url(u) => PathBuf::from(u),
    };
    let file = sources.add(name.clone(), abs, text);
    let text = &sources.get(file).text;
    let manifest: Manifest = serde_json::from_str(text).map_err(|e| {
        let offset = offset_of(sources, file, e.line(), e.column());
        Diagnostic::error(
            "previous-manifest",
            format!("`{name}` is not a majors URL manifest"),
        )
        .at(Span::new(file, offset..offset), e.to_string())
        .help(help)
    })?;
    if manifest.version != VERSION {
        return Err(Diagnostic::error(
            "previous-manifest",
            format!(
                "`{name}` is a version {} manifest; this majors reads version {VERSION}",
                manifest.version
            ),
        )
        .in_path(name)
        .help("compare with a manifest written by this version of majors"));
    }
    Ok(manifest)
}

/// The byte offset of a 1-based line and column (serde_json's), clamped to the file.
fn offset_of(sources: &SourceMap, file: crate::diag::FileId, line: usize, col: usize) -> usize {
    let f = sources.get(file);
    let start = f
        .line_starts()
        .get(line.saturating_sub(1))
        .copied()
        .unwrap_or(f.text.len());
    (start + col.saturating_sub(1)).min(f.text.len())
}

/// GETs `url` (at most 64 MiB, 30 s).
fn fetch(url: &str) -> Result<String, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(30)))
        .build()
        .into();
    let mut response = agent.get(url).call().map_err(|e| e.to_string())?;
    response
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_string()
        .map_err(|e| e.to_string())
}
