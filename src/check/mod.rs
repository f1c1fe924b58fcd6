//! Whole-site checks over the resolved graph that are not tied to one stage.
//!
//! Pure: takes the built pages and backlinks, returns diagnostics: orphan pages (a warning: a
//! page nothing links to can only be found by search) and output paths claimed twice
//! ([`outputs`]).

pub mod against;
pub mod outputs;
pub mod text_links;

use crate::content::model::{Origin, Page};
use crate::diag::{Diagnostic, Span};
use crate::graph::backlinks::Backlinks;

/// Warns when the site would have no home page (`/` a 404) or no pages at all.
pub fn check_home(pages: &[Page]) -> Option<Diagnostic> {
    let files = || pages.iter().filter(|p| p.origin == Origin::File);
    if files().next().is_none() {
        return Some(
            Diagnostic::warning("empty-site", "`content/` holds no pages: the site is empty")
                .in_path("content/")
                .help("add `content/_index.md` (the home page, with front matter `title: …`) and pages beside it; `majors init DIR` writes a small working site to start from"),
        );
    }
    if files().any(|p| p.key == "index") {
        return None;
    }
    Some(
        Diagnostic::warning("no-home-page", "the site has no home page: `/` will be a 404")
            .in_path("content/_index.md")
            .help("create `content/_index.md` with front matter `title: …`: it is the home page, and lists the site's sections"),
    )
}

/// Warns about pages no other page links to, refers to, or lists.
pub fn check_orphans(pages: &[Page], backlinks: &Backlinks) -> Vec<Diagnostic> {
    pages
        .iter()
        .enumerate()
        .filter(|(i, p)| {
            p.key != "index" && p.origin == Origin::File && backlinks.incoming[*i] == 0
        })
        .map(|(_, p)| {
            Diagnostic::warning("orphan-page", format!("no page links to `{}`", p.key))
                .at(
                    Span::new(p.file, p.front_range.clone()),
                    "nothing links here",
                )
                .help("link to it from a related page or its section, or add a reference to it")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::model::{FrontMatter, UrlPath};
    use crate::diag::FileId;

    fn page(key: &str) -> Page {
        Page {
            file: FileId(0),
            rel_path: format!("{key}.md"),
            key: key.into(),
            is_section: false,
            front: std::sync::Arc::new(FrontMatter::default()),
            front_range: 0..1,
            body_start: None,
            type_name: None,
            url: UrlPath(format!("/{key}/")),
            parent: None,
            pages: Vec::new(),
            subsections: Vec::new(),
            origin: Origin::File,
        }
    }

    #[test]
    fn an_empty_site_or_one_without_a_home_page_warns() {
        assert_eq!(check_home(&[]).map(|d| d.code), Some("empty-site"));
        let d = check_home(&[page("a")]).expect("no home page");
        assert_eq!((d.code, d.is_error()), ("no-home-page", false));
        assert!(check_home(&[page("index"), page("a")]).is_none());
        let mut generated = page("index");
        generated.origin = Origin::Generated {
            source: crate::content::model::PageId(0),
            rule: 0,
        };
        assert_eq!(check_home(&[generated]).map(|d| d.code), Some("empty-site"));
    }

    #[test]
    fn only_unlinked_pages_warn_and_never_the_home() {
        let pages = vec![page("index"), page("a"), page("b")];
        let backlinks = Backlinks {
            incoming: vec![0, 1, 0],
            ..Backlinks::default()
        };
        let d = check_orphans(&pages, &backlinks);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].message, "no page links to `b`");
        assert!(!d[0].is_error());
    }
}
