//! Unit-test support: a site built in memory from `(path, text)` pairs by the pure stages
//! (front matter, graph, Markdown, backlinks, site data), with no file system, so `graph`,
//! the views, template lookup and invalidation are tested as the functions they are.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::{parse_config, Config};
use crate::content::model::PageId;
use crate::content::{finish_pages, parse_page, ContentOptions};
use crate::diag::{Diagnostic, SourceMap};
use crate::graph::backlinks::{build_backlinks, ProseLink};
use crate::graph::{resolve_refs, PageIndex};
use crate::render::highlight::Highlighter;
use crate::render::markdown::{render_markdown, MarkdownEnv, Specials};
use crate::site_data::SiteData;

/// A small typed site: things that relate to things, notes about things.
pub const CONFIG: &str = "title: T\nbase_url: https://x.org/\ndefaults:\n  - { folder: things, type: thing }\n  - { folder: notes, type: note }\ntypes:\n  thing:\n    fields:\n      related: { kind: list, of: { kind: reference, to: thing }, label: Related }\n  note:\n    fields:\n      about: { kind: reference, to: thing, label: About }\n";

/// The site of `files` (paths under `content/`), with every problem found.
pub fn site(files: &[(&str, &str)]) -> (Arc<SiteData>, Vec<Diagnostic>, SourceMap) {
    site_with(CONFIG, files)
}

/// The site of `files` with the config `site_yaml`.
pub fn site_with(
    site_yaml: &str,
    files: &[(&str, &str)],
) -> (Arc<SiteData>, Vec<Diagnostic>, SourceMap) {
    let mut sources = SourceMap::default();
    let cfg = sources.add(
        "site.yaml".into(),
        PathBuf::from("site.yaml"),
        site_yaml.into(),
    );
    let (config, mut diags) = parse_config(cfg, &sources);
    let config: Config = config.expect("the test config parses");
    let mut sorted: Vec<&(&str, &str)> = files.iter().collect();
    sorted.sort();
    let ids: Vec<_> = sorted
        .iter()
        .map(|(p, t)| {
            let rel = format!("content/{p}");
            (
                *p,
                sources.add(rel.clone(), PathBuf::from(rel), t.to_string()),
            )
        })
        .collect();
    let mut parsed = Vec::new();
    for (rel, id) in ids {
        let (page, d) = parse_page(&config, rel, id, &sources);
        diags.extend(d);
        parsed.push(page);
    }
    let options = ContentOptions { drafts: false };
    let pages = finish_pages(&config, parsed, &sources, options, &mut diags);
    let index = PageIndex::build(&pages);
    let (refs, d) = resolve_refs(&pages, &index, &sources);
    diags.extend(d);
    let highlighter = Highlighter::new();
    let specials = Specials::new(&[], &[]);
    let (reserved, known) = (HashSet::new(), HashSet::new());
    let env = MarkdownEnv {
        pages: &pages,
        index: &index,
        highlighter: &highlighter,
        specials: &specials,
        reserved_ids: &reserved,
        allow_raw_html: true,
        smart_punctuation: true,
        known_files: &known,
    };
    let mut prose = Vec::new();
    let mut headings = Vec::new();
    let mut summaries = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        let text = &sources.get(p.file).text;
        let md = render_markdown(&env, PageId(i as u32), text, p.body_range(text));
        let (meta, _) = crate::render::markdown::MdMeta::split(md);
        diags.extend(meta.diags.iter().cloned());
        prose.extend(meta.links.iter().map(|l| ProseLink {
            from: PageId(i as u32),
            to: l.target,
            anchor: l.anchor.clone(),
        }));
        headings.push(Arc::clone(&meta.headings));
        summaries.push(crate::site::pipeline::summarize(&meta.text).into());
    }
    let backlinks = build_backlinks(&config, &pages, &refs, &prose);
    let updated = Arc::new(pages.iter().map(|p| p.front.date.clone()).collect());
    let marks = crate::render::marks::Marks::new(&config.markdown.marks);
    let (tables, d) = crate::graph::tables::build_tables(&config, &pages, &refs, &sources);
    diags.extend(d);
    let site = SiteData {
        positions: crate::site_data::sibling_positions(&pages),
        config: Arc::new(config),
        pages: Arc::new(pages),
        refs: Arc::new(refs),
        backlinks: Arc::new(backlinks),
        summaries,
        headings,
        updated,
        index: Arc::new(index),
        marks: Arc::new(marks),
        tables: Arc::new(tables),
        history: Arc::default(),
    };
    (Arc::new(site), diags, sources)
}

/// The id of the page with key `key`.
pub fn id(site: &SiteData, key: &str) -> PageId {
    let i = site.pages.iter().position(|p| p.key == key);
    PageId(i.unwrap_or_else(|| panic!("no page {key}")) as u32)
}
