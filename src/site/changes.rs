//! `changes.xml`: an Atom feed of the site's recent changes from its git history, one entry
//! per day (in the committer's zone), each listing that day's commits (subject, and a link
//! to the commit when `repository` names a forge) and the pages they changed.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::content::git::Commit;
use crate::content::model::Origin;
use crate::render::markdown::{escape_attr, escape_text};
use crate::site_data::SiteData;

/// The feed's path in the output folder.
pub const CHANGES_FEED: &str = "changes.xml";

/// The web page of commit `hash`, from `repository` (`https://github.com/o/r/blob/main/`,
/// GitLab's `…/-/blob/main/`, or `…/tree/main/`): the part before `/blob/` or `/tree/`,
/// then `/commit/<hash>`. `None` when it names no such forge path.
pub fn commit_url(repository: Option<&str>, hash: &str) -> Option<String> {
    let repo = repository?;
    let cut = repo.find("/blob/").or_else(|| repo.find("/tree/"))?;
    Some(format!("{}/commit/{hash}", &repo[..cut]))
}

/// The feed: the newest `feed.limit` days with changes.
pub fn changes_feed(site: &SiteData) -> String {
    let base = site.config.base();
    let by_file: HashMap<&str, usize> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.origin == Origin::File)
        .map(|(i, p)| (p.rel_path.as_str(), i))
        .collect();
    let mut days: Vec<(&str, Vec<&Commit>)> = Vec::new();
    for c in site.history.recent.iter() {
        let day = c.time.get(..10).unwrap_or(&c.time);
        match days.last_mut() {
            Some((d, list)) if *d == day => list.push(c),
            _ => days.push((day, vec![c])),
        }
    }
    days.truncate(site.config.feed.limit);
    let title = format!("{}: recent changes", site.config.title);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"",
    );
    let _ = writeln!(out, " xml:lang=\"{}\">", escape_attr(&site.config.language));
    let _ = writeln!(out, "  <title>{}</title>", escape_text(&title));
    let _ = writeln!(out, "  <id>{base}/{CHANGES_FEED}</id>");
    let _ = writeln!(out, "  <link rel=\"self\" href=\"{base}/{CHANGES_FEED}\"/>");
    let _ = writeln!(out, "  <link rel=\"alternate\" href=\"{base}/\"/>");
    let newest = site
        .history
        .recent
        .iter()
        .max_by_key(|c| c.seconds)
        .map_or("1970-01-01T00:00:00Z", |c| c.time.as_str());
    let _ = writeln!(out, "  <updated>{newest}</updated>");
    let _ = writeln!(
        out,
        "  <author><name>{}</name></author>",
        escape_text(&site.config.title)
    );
    let _ = writeln!(out, "  <generator>majors</generator>");
    for (day, commits) in days {
        let mut html = String::from("<ul>");
        let mut first_page = None;
        for c in &commits {
            let subject = escape_text(&c.subject);
            let subject = match commit_url(site.config.repository.as_deref(), &c.hash) {
                Some(u) => format!("<a href=\"{}\">{subject}</a>", escape_attr(&u)),
                None => subject,
            };
            let pages: Vec<String> = c
                .files
                .iter()
                .filter_map(|f| by_file.get(f.as_str()))
                .map(|&i| {
                    let p = &site.pages[i];
                    first_page.get_or_insert(i);
                    format!(
                        "<a href=\"{}\">{}</a>",
                        escape_attr(&format!("{base}{}", p.url.as_str())),
                        escape_text(&p.front.title)
                    )
                })
                .collect();
            let gone = c.files.len() - pages.len();
            let mut line = format!("<li>{subject}: {}", pages.join(", "));
            if gone > 0 {
                let _ = write!(
                    line,
                    "{}{gone} file(s) no longer published",
                    if pages.is_empty() { "" } else { "; " }
                );
            }
            html.push_str(&line);
            html.push_str("</li>");
        }
        html.push_str("</ul>");
        let link = first_page.map_or_else(
            || format!("{base}/"),
            |i| format!("{base}{}", site.pages[i].url.as_str()),
        );
        // The day's latest instant (commits are in history order, not always in time order).
        let latest = commits
            .iter()
            .max_by_key(|c| c.seconds)
            .unwrap_or(&commits[0]);
        out.push_str("  <entry>\n");
        let _ = writeln!(
            out,
            "    <title>{}</title>",
            escape_text(&format!(
                "Changes of {}",
                crate::render::templates::long_date(day)
            ))
        );
        let _ = writeln!(out, "    <id>{base}/{CHANGES_FEED}#{day}</id>");
        let _ = writeln!(
            out,
            "    <link rel=\"alternate\" href=\"{}\"/>",
            escape_attr(&link)
        );
        let _ = writeln!(out, "    <updated>{}</updated>", latest.time);
        let _ = writeln!(
            out,
            "    <content type=\"html\">{}</content>",
            escape_text(&html)
        );
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_links_come_from_the_repository_url() {
        let h = "abc123";
        assert_eq!(
            commit_url(Some("https://github.com/o/r/blob/main/"), h).as_deref(),
            Some("https://github.com/o/r/commit/abc123")
        );
        assert_eq!(
            commit_url(Some("https://gitlab.com/o/r/-/blob/main/"), h).as_deref(),
            Some("https://gitlab.com/o/r/-/commit/abc123")
        );
        assert_eq!(commit_url(Some("https://example.org/src/"), h), None);
        assert_eq!(commit_url(None, h), None);
    }
}
