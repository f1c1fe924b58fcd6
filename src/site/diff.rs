//! `majors diff OLD NEW`: which pages two builds added, removed, moved (the old URL is now an
//! alias) and changed, as text for a terminal or Markdown for a pull request comment.
//!
//! Pages are matched by URL from the two builds' manifests (`data/urls.json`). A page changed
//! when its file's bytes differ; that needs both output folders, so when one side is only a
//! manifest, changed pages are not reported (and the report says so).

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::site::urls::{Manifest, PublishedPage};

/// What changed between two builds.
#[derive(Debug, Default)]
pub struct Diff<'a> {
    /// Pages only the new build has.
    pub added: Vec<&'a PublishedPage>,
    /// Pages only the old build has, with no alias to follow.
    pub removed: Vec<&'a PublishedPage>,
    /// Old pages whose URL is now an alias of a new page: (old, new).
    pub moved: Vec<(&'a PublishedPage, &'a PublishedPage)>,
    /// Pages in both whose output differs; `None` when that cannot be told.
    pub changed: Option<Vec<&'a PublishedPage>>,
    /// The new build's page count.
    pub pages: usize,
}

/// Compares `old` with `new`; `same(url)` tells whether the page at `url` has the same bytes
/// in both builds (`None`: unknown).
pub fn diff<'a>(
    old: &'a Manifest,
    new: &'a Manifest,
    same: &dyn Fn(&str) -> Option<bool>,
) -> Diff<'a> {
    let new_by_url: HashMap<&str, &PublishedPage> =
        new.pages.iter().map(|p| (p.url.as_str(), p)).collect();
    let old_by_url: HashMap<&str, &PublishedPage> =
        old.pages.iter().map(|p| (p.url.as_str(), p)).collect();
    let by_alias: HashMap<&str, &PublishedPage> = new
        .pages
        .iter()
        .flat_map(|p| p.aliases.iter().map(move |a| (a.as_str(), p)))
        .collect();
    let mut d = Diff {
        pages: new.pages.len(),
        changed: Some(Vec::new()),
        ..Diff::default()
    };
    for p in &old.pages {
        if new_by_url.contains_key(p.url.as_str()) {
            match same(&p.url) {
                Some(true) => {}
                Some(false) => d.changed.iter_mut().for_each(|c| c.push(p)),
                None => d.changed = None,
            }
        } else if let Some(to) = by_alias.get(p.url.as_str()) {
            d.moved.push((p, to));
        } else {
            d.removed.push(p);
        }
    }
    let moved_to: std::collections::HashSet<&str> =
        d.moved.iter().map(|(_, to)| to.url.as_str()).collect();
    d.added = new
        .pages
        .iter()
        .filter(|p| !old_by_url.contains_key(p.url.as_str()) && !moved_to.contains(p.url.as_str()))
        .collect();
    d
}

impl Diff<'_> {
    /// One line: "2 added, 1 removed, 1 moved, 3 changed of 120 pages".
    pub fn summary(&self) -> String {
        let changed = match &self.changed {
            Some(c) => c.len().to_string(),
            None => "? (unknown)".to_string(),
        };
        format!(
            "{} added, {} removed, {} moved, {changed} changed, of {} pages",
            self.added.len(),
            self.removed.len(),
            self.moved.len(),
            self.pages
        )
    }

    /// For a terminal: the summary, then one line per page under each heading.
    pub fn text(&self) -> String {
        let mut out = format!("{}\n", self.summary());
        let mut group = |name: &str, lines: Vec<String>| {
            if !lines.is_empty() {
                let _ = writeln!(out, "\n{name}:");
                for l in lines {
                    let _ = writeln!(out, "  {l}");
                }
            }
        };
        group(
            "added",
            self.added
                .iter()
                .map(|p| format!("{}  {}", p.url, p.title))
                .collect(),
        );
        group(
            "removed",
            self.removed
                .iter()
                .map(|p| format!("{}  {} ({})", p.url, p.title, p.source))
                .collect(),
        );
        group(
            "moved",
            self.moved
                .iter()
                .map(|(a, b)| format!("{} -> {}  {}", a.url, b.url, b.title))
                .collect(),
        );
        match &self.changed {
            Some(c) => group(
                "changed",
                c.iter()
                    .map(|p| format!("{}  {}", p.url, p.title))
                    .collect(),
            ),
            None => out.push_str(UNKNOWN),
        }
        out
    }

    /// For a pull request comment: a heading, the summary, and a list per group linking to
    /// the new build's pages at `new_base`.
    pub fn markdown(&self, new_base: &str) -> String {
        let mut out = format!("### Pages this change affects\n\n{}\n", self.summary());
        let link =
            |base: &str, p: &PublishedPage| format!("[{}]({base}{})", md_text(&p.title), p.url);
        let mut group = |name: &str, lines: Vec<String>| {
            if !lines.is_empty() {
                let _ = writeln!(out, "\n**{name}**\n");
                for l in lines {
                    let _ = writeln!(out, "- {l}");
                }
            }
        };
        group(
            "Added",
            self.added
                .iter()
                .map(|p| format!("{} `{}`", link(new_base, p), p.url))
                .collect(),
        );
        group(
            "Removed",
            self.removed
                .iter()
                .map(|p| format!("{} `{}` (`{}`)", md_text(&p.title), p.url, p.source))
                .collect(),
        );
        group(
            "Moved",
            self.moved
                .iter()
                .map(|(a, b)| format!("`{}` → {} `{}`", a.url, link(new_base, b), b.url))
                .collect(),
        );
        match &self.changed {
            Some(c) => group(
                "Changed",
                c.iter()
                    .map(|p| format!("{} `{}`", link(new_base, p), p.url))
                    .collect(),
            ),
            None => out.push_str(UNKNOWN),
        }
        out
    }
}

const UNKNOWN: &str = "\nchanged pages: not known, as one side is only a manifest (pass both output folders to compare pages)\n";

/// A title as Markdown link text: the characters that would end or format it, escaped.
fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '[' | ']' | '*' | '_' | '`' | '\\' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(url: &str, title: &str, aliases: &[&str]) -> PublishedPage {
        PublishedPage {
            url: url.into(),
            source: format!("content{}.md", url.trim_end_matches('/')),
            title: title.into(),
            anchors: Default::default(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        }
    }

    fn manifest(pages: Vec<PublishedPage>) -> Manifest {
        Manifest {
            version: 1,
            base_url: "https://x.org".into(),
            pages,
        }
    }

    #[test]
    fn pages_are_added_removed_moved_and_changed() {
        let old = manifest(vec![
            page("/a/", "A", &[]),
            page("/b/", "B", &[]),
            page("/c/", "C", &[]),
            page("/d/", "D", &[]),
        ]);
        let new = manifest(vec![
            page("/a/", "A", &[]),
            page("/b2/", "B", &["/b/"]),
            page("/c/", "C", &[]),
            page("/e/", "E [new]", &[]),
        ]);
        let d = diff(&old, &new, &|url| Some(url != "/c/"));
        assert_eq!(
            d.summary(),
            "1 added, 1 removed, 1 moved, 1 changed, of 4 pages"
        );
        let text = d.text();
        assert!(text.contains("moved:\n  /b/ -> /b2/  B\n"), "{text}");
        assert!(
            text.contains("removed:\n  /d/  D (content/d.md)\n"),
            "{text}"
        );
        let md = d.markdown("https://x.org");
        assert!(
            md.contains("- [E \\[new\\]](https://x.org/e/) `/e/`"),
            "{md}"
        );
        assert!(md.contains("- [C](https://x.org/c/) `/c/`"), "{md}");
        let unknown = diff(&old, &new, &|_| None);
        assert!(unknown.changed.is_none() && unknown.text().contains("not known"));
    }
}
