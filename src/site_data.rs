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
    /// Each page's place among its siblings: in its parent's `pages` (a section: its parent's
    /// `subsections`), in their order; `u32::MAX` for a page without a parent.
    pub positions: Vec<u32>,
    /// The git history of the content (recent commits, each file's); empty without git.
    pub history: Arc<crate::content::git::History>,
}

/// [`SiteData::positions`] of `pages`: one pass over every section's lists.
pub fn sibling_positions(pages: &[Page]) -> Vec<u32> {
    let mut positions = vec![u32::MAX; pages.len()];
    for section in pages {
        for list in [&section.pages, &section.subsections] {
            for (at, id) in list.iter().enumerate() {
                positions[id.index()] = at as u32;
            }
        }
    }
    positions
}

impl SiteData {
    /// When the newest page last changed (`YYYY-MM-DD`): what the whole site is current to.
    /// Every page can show it, so it is part of every page's fingerprint.
    pub fn content_as_of(&self) -> Option<&str> {
        let newest = self.updated.iter().flatten().max()?;
        Some(newest.get(..10).unwrap_or(newest))
    }

    /// The page `offset` places from `id` among its siblings (-1: the one before), if any.
    pub fn sibling(
        &self,
        id: crate::content::model::PageId,
        offset: i64,
    ) -> Option<crate::content::model::PageId> {
        let page = &self.pages[id.index()];
        let parent = &self.pages[page.parent?.index()];
        let list = if page.is_section {
            &parent.subsections
        } else {
            &parent.pages
        };
        let at = i64::from(*self.positions.get(id.index())?) + offset;
        list.get(usize::try_from(at).ok()?).copied()
    }

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
