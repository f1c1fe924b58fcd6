//! Links and images in a body: internal destinations are checked and rewritten to URLs,
//! unsafe schemes are refused, and every internal target is recorded for the anchor check.

use std::ops::Range;

use pulldown_cmark::CowStr;

use super::renderer::Renderer;
use super::LinkOut;
use crate::content::model::PageId;
use crate::diag::{Diagnostic, Span};
use crate::graph::links::{classify_link, disallowed_scheme, LinkTarget};

impl<'a> Renderer<'_, 'a> {
    /// Rewrites an internal destination to its URL and records it; reports broken ones.
    pub(super) fn rewrite_link(&mut self, dest_url: CowStr<'a>, range: Range<usize>) -> CowStr<'a> {
        let dest: &str = &dest_url;
        let span = self.dest_span(dest, range);
        if let Some(scheme) = disallowed_scheme(dest) {
            self.result.diags.push(
                Diagnostic::error("unsafe-url", format!("`{scheme}:` URLs are not allowed"))
                    .at(span, "this URL could run script or reach local files")
                    .help("link with http, https, mailto or tel, or to a page of the site"),
            );
            return CowStr::from("#");
        }
        match classify_link(dest, &self.page.rel_path) {
            LinkTarget::External | LinkTarget::Relative => dest_url,
            LinkTarget::SamePage(anchor) => {
                self.record(self.page_id, Some(&anchor), span);
                dest_url
            }
            LinkTarget::Source { path, anchor } => match self.env.index.by_source(&path) {
                Some(id) => {
                    self.record(id, anchor.as_deref(), span);
                    self.env.pages[id.index()]
                        .url
                        .with_anchor(anchor.as_deref())
                        .into()
                }
                None => {
                    let help = match self.env.index.suggest_source(&path) {
                        Some(s) => format!("did you mean `@/{s}`?"),
                        None => {
                            "link to a file under content/, e.g. `@/notes/_index.md`".to_string()
                        }
                    };
                    self.result.diags.push(
                        Diagnostic::error(
                            "broken-link",
                            format!("link target `{path}` does not exist"),
                        )
                        .at(span, "no page at this path")
                        .help(help),
                    );
                    CowStr::from(dest.to_string())
                }
            },
            LinkTarget::Root { path, anchor } => {
                if let Some(id) = self.env.index.by_link_path(&path) {
                    self.record(id, anchor.as_deref(), span);
                } else if !self.env.known_files.contains(&path) {
                    self.result.diags.push(
                        Diagnostic::error("broken-link", format!("no page or file at `{path}`"))
                            .at(span, "nothing is built at this URL")
                            .help("link to a page with `@/path/to/file.md`, or check the URL"),
                    );
                }
                dest_url
            }
        }
    }

    fn record(&mut self, target: PageId, anchor: Option<&str>, span: Span) {
        self.result.links.push(LinkOut {
            target,
            anchor: anchor.filter(|a| !a.is_empty()).map(str::to_string),
            span,
        });
    }

    fn dest_span(&self, dest: &str, range: Range<usize>) -> Span {
        let slice = self.body_text.get(range.clone()).unwrap_or_default();
        let local = match slice.rfind(dest) {
            Some(i) if !dest.is_empty() => range.start + i..range.start + i + dest.len(),
            _ => range.clone(),
        };
        Span::new(self.file, self.base + local.start..self.base + local.end)
    }
}
