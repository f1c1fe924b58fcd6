//! Output paths: two inputs that would write the same file (or a file where another output
//! needs a folder) are an error, found before anything is written.
//!
//! Without this check a `static/sitemap.xml` or a `content/p/index.html` beside `p.md` either
//! silently replaced the generated file or broke the write halfway (one build would win, and
//! which one depended on the order files were staged).

use std::collections::BTreeMap;

use crate::content::model::Page;
use crate::diag::{Diagnostic, Span};

/// What writes an output file.
#[derive(Debug, Clone, Copy)]
pub enum OutputSource<'a> {
    /// A page (from its Markdown file, or generated from one).
    Page(&'a Page),
    /// The redirect page of one of the page's aliases.
    Alias(&'a Page),
    /// A file majors generates (`sitemap.xml`, `search/index.json`, …).
    Generated,
    /// A file copied as it is, named by its source (`static/logo.png`, `content/p/a.pdf`).
    Copied(&'a str),
}

impl OutputSource<'_> {
    fn describe(&self) -> String {
        match self {
            OutputSource::Page(p) => format!("the page `content/{}`", p.rel_path),
            OutputSource::Alias(p) => format!("an alias of `content/{}`", p.rel_path),
            OutputSource::Generated => "a file majors generates".to_string(),
            OutputSource::Copied(src) => format!("`{src}`"),
        }
    }

    /// A copied file or a page is something the editor can rename; a generated one is not.
    fn blame_order<'b>(&'b self, other: &'b Self) -> (&'b Self, &'b Self) {
        match (self, other) {
            (OutputSource::Generated, _) => (other, self),
            (OutputSource::Page(_), OutputSource::Copied(_)) => (other, self),
            _ => (self, other),
        }
    }
}

/// Reports every output path claimed twice, and every output that is a file where another
/// output needs a folder. `outputs` lists (output path, source) in any order.
pub fn check_output_paths(outputs: &[(String, OutputSource<'_>)]) -> Vec<Diagnostic> {
    let mut by_path: BTreeMap<&str, &OutputSource<'_>> = BTreeMap::new();
    let mut diags = Vec::new();
    for (path, src) in outputs {
        match by_path.get(path.as_str()) {
            // Two pages with one URL are `duplicate-url`, reported where URLs are assigned.
            // An alias over a page or another alias is `alias-collision`, reported with them.
            Some(OutputSource::Page(_) | OutputSource::Alias(_))
                if matches!(src, OutputSource::Page(_) | OutputSource::Alias(_)) => {}
            Some(first) => diags.push(collision(path, first, src, None)),
            None => {
                by_path.insert(path, src);
            }
        }
    }
    // A file at `a` and an output under `a/`: in sorted order, `a/…` follows `a` closely,
    // so check each path's parent folders against the set.
    for (path, src) in &by_path {
        let mut rest = *path;
        while let Some((parent, _)) = rest.rsplit_once('/') {
            if let Some(file) = by_path.get(parent) {
                diags.push(collision(parent, file, src, Some(path)));
                break;
            }
            rest = parent;
        }
    }
    diags
}

fn collision(
    path: &str,
    a: &OutputSource<'_>,
    b: &OutputSource<'_>,
    below: Option<&str>,
) -> Diagnostic {
    let (blamed, other) = a.blame_order(b);
    let message = match below {
        None => format!(
            "`{path}` would be written twice: by {} and by {}",
            blamed.describe(),
            other.describe()
        ),
        Some(inner) => format!(
            "`{path}` would be a file ({}) and a folder holding `{inner}` ({})",
            a.describe(),
            b.describe()
        ),
    };
    let d = Diagnostic::error("output-collision", message).help(
        "rename or move one of them; majors writes `sitemap.xml`, `atom.xml`, `404.html`, `syntax.css`, `data/pages.json` and `search/` itself",
    );
    match blamed {
        OutputSource::Page(p) => d.at(Span::new(p.file, 0..3), "this page's output path"),
        OutputSource::Alias(p) => d.at(Span::new(p.file, 0..3), "this page's aliases"),
        OutputSource::Copied(src) => d.in_path(src.to_string()),
        OutputSource::Generated => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_path_and_file_over_folder_are_reported() {
        let outs = [
            ("sitemap.xml".to_string(), OutputSource::Generated),
            (
                "sitemap.xml".to_string(),
                OutputSource::Copied("static/sitemap.xml"),
            ),
            ("a".to_string(), OutputSource::Copied("static/a")),
            ("a/index.html".to_string(), OutputSource::Generated),
            ("b.css".to_string(), OutputSource::Copied("static/b.css")),
        ];
        let d = check_output_paths(&outs);
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d[0]
            .message
            .contains("`sitemap.xml` would be written twice: by `static/sitemap.xml`"));
        assert_eq!(d[0].path.as_deref(), Some("static/sitemap.xml"));
        assert!(
            d[1].message.contains("`a` would be a file"),
            "{}",
            d[1].message
        );
    }
}
