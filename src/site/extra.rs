//! Site-wide outputs beside the pages: `sitemap.xml`, the Atom feed and `/data/pages.json`.
//!
//! Pure functions from the built site to bytes; all orders are by `PageId` or explicit sorts,
//! so two builds produce identical files.

use std::fmt::Write as _;

use serde_json::{json, Map, Value as Json};

use crate::content::model::{FieldValue, PageId};
use crate::render::markdown::{escape_attr, escape_text};
use crate::site_data::SiteData;

/// `sitemap.xml` (sitemaps.org 0.9).
pub fn sitemap(site: &SiteData) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let mut urls: Vec<(String, Option<&String>)> = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                format!("{}{}", site.config.base(), p.url.as_str()),
                site.updated[i].as_ref(),
            )
        })
        .collect();
    urls.sort();
    for (loc, lastmod) in urls {
        let _ = write!(out, "  <url><loc>{}</loc>", escape_attr(&loc));
        if let Some(d) = lastmod {
            let _ = write!(out, "<lastmod>{}</lastmod>", &d[..10.min(d.len())]);
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

fn rfc3339(date: &str) -> String {
    let day = date.get(..10).unwrap_or(date);
    // Front matter dates are `YYYY-MM-DD`, or that with `THH:MM[:SS[.fff]]` and a zone
    // (`content::dates` accepts nothing else); RFC 3339 wants the seconds.
    let Some(time) = date
        .get(11..)
        .filter(|_| date.as_bytes().get(10) == Some(&b'T'))
    else {
        return format!("{day}T00:00:00Z");
    };
    let zone_at = time.find(['Z', '+', '-']).unwrap_or(time.len());
    let (clock, zone) = time.split_at(zone_at);
    let clock = if clock.len() == 5 {
        format!("{clock}:00")
    } else {
        clock.to_string()
    };
    format!("{day}T{clock}{zone}")
}

/// The Atom feed of the most recently updated pages.
pub fn atom_feed(site: &SiteData) -> String {
    let base = site.config.base();
    // A page's entry is dated when it last changed, else by its own `date`.
    let mut dated: Vec<(&String, PageId)> = site
        .updated
        .iter()
        .zip(site.pages.iter())
        .enumerate()
        .filter_map(|(i, (u, p))| {
            u.as_ref()
                .or(p.front.date.as_ref())
                .map(|d| (d, PageId(i as u32)))
        })
        .collect();
    dated.sort_by(|a, b| b.0.cmp(a.0).then(a.1.cmp(&b.1)));
    dated.truncate(site.config.feed.limit);
    let updated = dated
        .first()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |(d, _)| rfc3339(d));
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"",
    );
    let _ = writeln!(out, " xml:lang=\"{}\">", escape_attr(&site.config.language));
    let _ = writeln!(out, "  <title>{}</title>", escape_text(&site.config.title));
    if !site.config.description.is_empty() {
        let _ = writeln!(
            out,
            "  <subtitle>{}</subtitle>",
            escape_text(&site.config.description)
        );
    }
    let _ = writeln!(out, "  <id>{base}/</id>");
    let _ = writeln!(out, "  <link rel=\"self\" href=\"{base}/atom.xml\"/>");
    let _ = writeln!(out, "  <link rel=\"alternate\" href=\"{base}/\"/>");
    let _ = writeln!(out, "  <updated>{updated}</updated>");
    let _ = writeln!(
        out,
        "  <author><name>{}</name></author>",
        escape_text(&site.config.title)
    );
    let _ = writeln!(out, "  <generator>majors</generator>");
    for (date, id) in dated {
        let page = &site.pages[id.index()];
        let url = format!("{base}{}", page.url.as_str());
        out.push_str("  <entry>\n");
        let _ = writeln!(out, "    <title>{}</title>", escape_text(&page.front.title));
        let _ = writeln!(out, "    <id>{}</id>", escape_text(&url));
        let _ = writeln!(
            out,
            "    <link rel=\"alternate\" href=\"{}\"/>",
            escape_attr(&url)
        );
        let _ = writeln!(out, "    <updated>{}</updated>", rfc3339(date));
        let summary = &site.summaries[id.index()];
        if !summary.is_empty() {
            let summary = site.marks.in_words(summary);
            let _ = writeln!(out, "    <summary>{}</summary>", escape_text(&summary));
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// `/data/pages.json`: every page with its type, fields and resolved references.
pub fn pages_json(site: &SiteData) -> String {
    use rayon::prelude::*;
    // Each page is serialized on its own (in parallel) and indented to its place in the
    // document: the same bytes as pretty-printing the whole document, without building it.
    let pages: Vec<String> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| {
            let p = &site.pages[i];
            let mut fields = Map::new();
            for (name, v) in &p.front.fields {
                fields.insert(name.clone(), field_json(v));
            }
            let refs: Vec<Json> = site.refs[i]
                .iter()
                .map(|r| {
                    let t = &site.pages[r.target.index()];
                    let mut url = t.url.0.clone();
                    if let Some(a) = &r.anchor {
                        url = format!("{url}#{a}");
                    }
                    json!({ "field": r.field, "id": t.public_id(), "anchor": r.anchor, "url": url })
                })
                .collect();
            let page = json!({
                "id": p.public_id(),
                "path": format!("content/{}", p.rel_path),
                "type": p.type_name,
                "url": p.url.as_str(),
                "title": p.front.title,
                "description": p.front.description,
                "updated": site.updated[i],
                "fields": Json::Object(fields),
                "references": refs,
            });
            let text =
                serde_json::to_string_pretty(&page).expect("invariant: JSON values serialize");
            // JSON strings escape newlines, so every raw newline is between tokens.
            format!("    {}", text.replace('\n', "\n    "))
        })
        .collect();
    let head = json!({ "site": site.config.title, "base_url": site.config.base() });
    let mut s = String::with_capacity(pages.iter().map(|p| p.len() + 2).sum::<usize>() + 256);
    s.push_str("{\n");
    s.push_str(&format!(
        "  \"base_url\": {},\n",
        serde_json::to_string(&head["base_url"]).expect("invariant: JSON values serialize")
    ));
    if pages.is_empty() {
        s.push_str("  \"pages\": [],\n");
    } else {
        s.push_str("  \"pages\": [\n");
        s.push_str(&pages.join(",\n"));
        s.push_str("\n  ],\n");
    }
    s.push_str(&format!(
        "  \"site\": {}\n}}\n",
        serde_json::to_string(&head["site"]).expect("invariant: JSON values serialize")
    ));
    s
}

fn field_json(v: &FieldValue) -> Json {
    match v {
        FieldValue::Str(s) | FieldValue::Date(s) | FieldValue::Enum(s) => Json::from(s.as_str()),
        FieldValue::Int(n) => Json::from(*n),
        FieldValue::Num(n) => Json::from(*n),
        FieldValue::Bool(b) => Json::from(*b),
        FieldValue::Ref(r) => match &r.anchor {
            Some(a) => Json::from(format!("{}#{a}", r.id)),
            None => Json::from(r.id.as_str()),
        },
        FieldValue::List(items) => Json::Array(items.iter().map(field_json).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::rfc3339;

    #[test]
    fn feed_dates_keep_their_time_and_zone() {
        assert_eq!(rfc3339("2009-04-02"), "2009-04-02T00:00:00Z");
        assert_eq!(
            rfc3339("2009-04-02T01:00+05:00"),
            "2009-04-02T01:00:00+05:00"
        );
        assert_eq!(rfc3339("2009-04-02T01:00:30.5Z"), "2009-04-02T01:00:30.5Z");
        assert_eq!(
            rfc3339("2009-04-02T23:59-03:30"),
            "2009-04-02T23:59:00-03:30"
        );
    }
}
