//! The git history as templates see it: `page.history` (the page's recent commits) and
//! `recent_changes(days)` (the site's, by day, with the pages each commit changed).
//!
//! The history is read once per full reload (`content::git`), so between two reloads it is a
//! constant of the build; the pages a day's list names are page views, whose reads are
//! recorded like any other (a renamed page re-renders the changes page).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use minijinja::Value;

use crate::content::git::Commit;
use crate::content::model::{Origin, PageId};
use crate::site::changes::commit_url;
use crate::site_data::SiteData;

impl SiteData {
    /// One commit: `{hash, short, date, time, subject, url}` (`url` none without a forge).
    fn commit_map(&self, c: &Commit) -> BTreeMap<&'static str, Value> {
        let mut m = BTreeMap::new();
        m.insert("hash", Value::from(c.hash.as_str()));
        m.insert("short", Value::from(c.hash.get(..7).unwrap_or(&c.hash)));
        m.insert("date", Value::from(c.time.get(..10).unwrap_or(&c.time)));
        m.insert("time", Value::from(c.time.as_str()));
        m.insert("subject", Value::from(c.subject.as_str()));
        m.insert(
            "url",
            Value::from(commit_url(self.config.repository.as_deref(), &c.hash)),
        );
        m
    }

    /// `page.history`: the newest commits that changed the page's file (none for a generated
    /// page, or without a repository).
    pub fn page_history(&self, id: PageId) -> Value {
        let page = &self.pages[id.index()];
        if page.origin != Origin::File {
            return Value::from(Vec::<Value>::new());
        }
        let list = self.history.by_file.get(&page.rel_path);
        Value::from(
            list.into_iter()
                .flatten()
                .map(|c| Value::from(self.commit_map(c)))
                .collect::<Vec<_>>(),
        )
    }

    /// `recent_changes(days)`: the newest `days` days with commits, newest first, as
    /// `{date, commits: [{…commit, pages, others}]}`: `pages` the published pages it changed,
    /// `others` how many of its files are not published pages (deleted, drafts).
    pub fn recent_changes(self: &Arc<Self>, days: usize) -> Value {
        let by_file: HashMap<&str, PageId> = self
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.origin == Origin::File)
            .map(|(i, p)| (p.rel_path.as_str(), PageId(i as u32)))
            .collect();
        let mut out: Vec<(String, Vec<Value>)> = Vec::new();
        for c in self.history.recent.iter() {
            let day = c.time.get(..10).unwrap_or(&c.time);
            if out.last().is_none_or(|(d, _)| d != day) {
                if out.len() == days {
                    break;
                }
                out.push((day.to_string(), Vec::new()));
            }
            let pages: Vec<Value> = c
                .files
                .iter()
                .filter_map(|f| by_file.get(f.as_str()))
                .map(|&id| self.page_value(id))
                .collect();
            let mut m = self.commit_map(c);
            m.insert("others", Value::from(c.files.len() - pages.len()));
            m.insert("pages", Value::from(pages));
            if let Some((_, list)) = out.last_mut() {
                list.push(Value::from(m));
            }
        }
        Value::from(
            out.into_iter()
                .map(|(date, commits)| {
                    let mut m = BTreeMap::new();
                    m.insert("date", Value::from(date));
                    m.insert("commits", Value::from(commits));
                    Value::from(m)
                })
                .collect::<Vec<_>>(),
        )
    }
}
