//! [`SiteData`]: the resolved site as one immutable value, shared by the page templates (through
//! `render::views`), the search index and the site-wide outputs.
//!
//! It is built once per rebuild, after the graph and the Markdown, and never changed: every
//! reader sees the same pages, references, backlinks, summaries, headings and dates.

use std::sync::Arc;

use crate::config::Config;
use crate::content::model::Page;
use crate::graph::backlinks::Backlinks;
use crate::graph::{PageIndex, ResolvedRef};
use crate::render::markdown::Heading;

/// Everything templates, outputs and the search index can see of the site.
pub struct SiteData {
    /// The config.
    pub config: Arc<Config>,
    /// All pages.
    pub pages: Arc<Vec<Page>>,
    /// Resolved references per page.
    pub refs: Arc<Vec<Vec<ResolvedRef>>>,
    /// Reverse index.
    pub backlinks: Arc<Backlinks>,
    /// One-line summaries per page (description or first paragraph).
    pub summaries: Vec<Arc<str>>,
    /// Headings per page.
    pub headings: Vec<Arc<Vec<Heading>>>,
    /// Last update per page (front matter `updated`, else `date`).
    pub updated: Arc<Vec<Option<String>>>,
    /// Lookups.
    pub index: Arc<PageIndex>,
    /// The site's confidence marks (from `markdown.marks`).
    pub marks: Arc<crate::render::marks::Marks>,
    /// The declared tables (`tables:` in site.yaml).
    pub tables: Arc<Vec<crate::graph::tables::Table>>,
}

impl SiteData {
    /// The pages of a type in the order templates list them (weight, then date and title).
    pub fn type_ids(&self, type_name: &str) -> Vec<crate::content::model::PageId> {
        use crate::content::model::PageId;
        let mut ids: Vec<PageId> = (0..self.pages.len() as u32)
            .map(PageId)
            .filter(|id| self.pages[id.index()].type_name.as_deref() == Some(type_name))
            .collect();
        crate::content::sort_pages(&mut ids, &self.pages, crate::content::model::SortBy::Weight);
        ids
    }
}
