//! `majors check --against`: every URL the previous build published must still be published
//! (as a page or as an alias), and every heading anchor on a page that stays should stay.
//!
//! A URL that is gone is an error at the file that used to make it when that file is still
//! there (its URL changed: a new `slug:` or a moved folder), else at the page that probably
//! replaced it (a new URL with the old title or the old last segment), else at the old
//! file's path. An anchor that is gone is a warning naming the heading's old line.

use std::collections::{HashMap, HashSet};

use crate::content::model::{Origin, Page};
use crate::content::{front_span, front_span_at};
use crate::diag::{Diagnostic, SourceMap, Span};
use crate::site::urls::{Manifest, PublishedPage};
use crate::site_data::SiteData;

/// The problems of this build against the previous one's manifest (`name` names it).
pub fn compare(
    prev: &Manifest,
    site: &SiteData,
    sources: &SourceMap,
    name: &str,
) -> Vec<Diagnostic> {
    let pages = &site.pages[..];
    let by_url: HashMap<&str, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.url.as_str(), i))
        .collect();
    let aliased: HashMap<&str, usize> = pages
        .iter()
        .enumerate()
        .flat_map(|(i, p)| p.front.aliases.iter().map(move |a| (a.url.as_str(), i)))
        .collect();
    let by_source: HashMap<&str, &Page> = pages
        .iter()
        .filter(|p| p.origin == Origin::File)
        .map(|p| (p.rel_path.as_str(), p))
        .collect();
    let old_urls: HashSet<&str> = prev.pages.iter().map(|p| p.url.as_str()).collect();
    let new_pages: Vec<&Page> = pages
        .iter()
        .filter(|p| p.origin == Origin::File && !old_urls.contains(p.url.as_str()))
        .collect();
    let mut diags = Vec::new();
    for old in &prev.pages {
        // A page that stays, or moved behind an alias, keeps its published anchors.
        match by_url
            .get(old.url.as_str())
            .or_else(|| aliased.get(old.url.as_str()))
        {
            Some(&i) if pages[i].origin == Origin::File => {
                anchors_gone(old, i, site, name, &mut diags);
            }
            Some(_) => {}
            None => diags.push(url_gone(old, &by_source, &new_pages, sources, name)),
        }
        // Its redirects were published too.
        for alias in &old.aliases {
            let kept = by_url.contains_key(alias.as_str()) || aliased.contains_key(alias.as_str());
            if !kept {
                diags.push(alias_gone(old, alias, &by_source, sources, name));
            }
        }
    }
    diags
}

/// A published alias of `old` that no page has now.
fn alias_gone(
    old: &PublishedPage,
    alias: &str,
    by_source: &HashMap<&str, &Page>,
    sources: &SourceMap,
    name: &str,
) -> Diagnostic {
    let text = alias_text(alias);
    let d = Diagnostic::error(
        "url-gone",
        format!(
            "`{alias}` (a redirect to `{}`) was published and is gone (it is in `{name}`, not in this build)",
            old.url
        ),
    );
    let source = old.source.strip_prefix("content/").unwrap_or(&old.source);
    match by_source.get(source) {
        Some(page) => d
            .at(
                front_span(page, sources, "aliases"),
                "this page's aliases had it",
            )
            .help(format!(
                "keep `{text}` in this page's `aliases:`, so links to the old URL still arrive"
            )),
        None => d.in_path(old.source.clone()).help(format!(
            "add `aliases: [{text}]` to the page that replaces `{}`",
            old.source
        )),
    }
}

/// The alias that keeps `url` working, as an editor writes it.
fn alias_text(url: &str) -> String {
    url.trim_matches('/').to_string()
}

fn url_gone(
    old: &PublishedPage,
    by_source: &HashMap<&str, &Page>,
    new_pages: &[&Page],
    sources: &SourceMap,
    name: &str,
) -> Diagnostic {
    let url = &old.url;
    let alias = alias_text(url);
    let d = Diagnostic::error(
        "url-gone",
        format!("`{url}` was published and is gone (it is in `{name}`, not in this build)"),
    );
    let source = old.source.strip_prefix("content/").unwrap_or(&old.source);
    if let Some(page) = by_source.get(source) {
        // Generated pages name their source file: its URL moved with it.
        let at = match page.front.slug {
            Some(_) => front_span(page, sources, "slug"),
            None => fence(page),
        };
        return d
            .at(at, format!("this page made `{url}`; it is now `{}`", page.url.as_str()))
            .help(format!("add `aliases: [{alias}]` to this page's front matter, so the old URL redirects here"));
    }
    if let Some(page) = replacement(old, new_pages) {
        let at = match page.front.aliases.first() {
            Some(a) => front_span_at(page, sources, &crate::content::aliases::alias_path(a.index)),
            None => fence(page),
        };
        return d
            .at(at, format!("probably replaces `{url}` (`{}` is gone)", old.source))
            .help(format!("add `aliases: [{alias}]` to the page that replaces it (probably this one, `content/{}`)", page.rel_path));
    }
    d.in_path(old.source.clone()).help(format!(
        "add `aliases: [{alias}]` to the page that replaces `{}`, or restore it",
        old.source
    ))
}

/// A page new in this build with the old page's title, else with its URL's last segment.
fn replacement<'a>(old: &PublishedPage, new_pages: &[&'a Page]) -> Option<&'a Page> {
    let last = |u: &str| {
        u.trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_string()
    };
    let old_last = last(&old.url);
    new_pages
        .iter()
        .find(|p| !old.title.is_empty() && p.front.title == old.title)
        .or_else(|| {
            new_pages
                .iter()
                .find(|p| !old_last.is_empty() && last(p.url.as_str()) == old_last)
        })
        .copied()
}

fn anchors_gone(
    old: &PublishedPage,
    i: usize,
    site: &SiteData,
    name: &str,
    diags: &mut Vec<Diagnostic>,
) {
    if old.anchors.is_empty() {
        return;
    }
    let now: HashSet<&str> = site.headings[i].iter().map(|h| h.id.as_str()).collect();
    let page = &site.pages[i];
    for (id, line) in &old.anchors {
        if now.contains(id.as_str()) {
            continue;
        }
        diags.push(
            Diagnostic::warning(
                "anchor-gone",
                format!(
                    "`{}#{id}` was published and is gone: the heading at line {line} of `{}` in `{name}`",
                    old.url, old.source
                ),
            )
            .at(fence(page), format!("no heading of this page has the id `{id}` now"))
            .help(format!("if a heading replaces it, give it the old id: `## New title {{#{id}}}`; else links to `#{id}` land at the top of the page")),
        );
    }
}

/// The opening `---` of a page's front matter.
fn fence(page: &Page) -> Span {
    Span::new(page.file, 0..3)
}
