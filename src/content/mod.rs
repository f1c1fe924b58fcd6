//! Content: load the files, split and validate front matter, and assemble the page tree.
//!
//! Output of this stage is a `Vec<Page>` indexed by `PageId` (sorted by path, so ids are
//! stable), with URLs, types and section membership decided. Links and references are not
//! resolved here; that is `graph`'s job.

pub mod aliases;
pub mod dates;
pub mod field_kinds;
pub mod front_matter;
pub mod git;
pub mod load;
pub mod model;
pub mod text_field;
mod typed_fields;

pub use typed_fields::{scalar_text, PLACEHOLDER};

use std::collections::HashMap;

use crate::config::Config;
use crate::diag::{Diagnostic, SourceMap, Span};
use front_matter::{split_front_matter, FieldCheck};
use model::{FrontMatter, Origin, Page, PageId, SortBy, UrlPath};

/// Options that change which pages exist.
#[derive(Debug, Clone, Copy, Default)]
pub struct ContentOptions {
    /// Include `draft: true` pages.
    pub drafts: bool,
}

/// Links parsed pages (from [`parse_page`], in path order) into the site: drops drafts,
/// assigns URLs, adds generated pages, checks duplicates and fills sections.
pub fn finish_pages(
    config: &Config,
    parsed: Vec<Page>,
    sources: &SourceMap,
    opts: ContentOptions,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Page> {
    let mut pages: Vec<Page> = parsed
        .into_iter()
        .filter(|p| opts.drafts || !p.front.draft)
        .collect();
    assign_urls(&mut pages);
    generate_pages(config, &mut pages);
    check_duplicates(&pages, sources, diags);
    aliases::check_collisions(&pages, sources, diags);
    link_sections(&mut pages);
    pages
}

/// Splits and validates one Markdown file (`rel` is its path under `content/`).
pub fn parse_page(
    config: &Config,
    rel: &str,
    file: crate::diag::FileId,
    sources: &SourceMap,
) -> (Page, Vec<Diagnostic>) {
    let text = &sources.get(file).text;
    let is_section = rel == "_index.md" || rel.ends_with("/_index.md");
    let key = page_key(rel);
    let folder = folder_of(rel, is_section);
    let default_type = if is_section {
        None
    } else {
        config.default_type_for(&folder)
    };
    let mut diags = Vec::new();
    let (front, front_range, body_start) = match split_front_matter(text, file) {
        Ok(split) => {
            let check = FieldCheck {
                config,
                file,
                text,
                yaml: split.yaml.clone(),
                default_type,
            };
            let (fm, d) = check.parse();
            diags.extend(d);
            (fm.unwrap_or_default(), split.yaml, Some(split.body.start))
        }
        Err(d) => {
            diags.push(d);
            (FrontMatter::default(), 0..0, None)
        }
    };
    let mut front = front;
    if front.title.is_empty() {
        front.title = key.rsplit('/').next().unwrap_or(&key).to_string();
    }
    let type_name = front
        .type_name
        .clone()
        .or_else(|| default_type.map(str::to_string));
    let page = Page {
        file,
        rel_path: rel.to_string(),
        key,
        is_section,
        front: std::sync::Arc::new(front),
        front_range,
        body_start,
        type_name,
        url: UrlPath(String::new()),
        parent: None,
        pages: Vec::new(),
        subsections: Vec::new(),
        origin: Origin::File,
    };
    (page, diags)
}

/// `countries/peru/_index.md` -> `countries/peru`; `a/b.md` -> `a/b`; `_index.md` -> `index`.
pub fn page_key(rel: &str) -> String {
    let no_ext = rel.strip_suffix(".md").unwrap_or(rel);
    match no_ext.strip_suffix("_index") {
        Some("") => "index".to_string(),
        Some(dir) => dir.trim_end_matches('/').to_string(),
        None => no_ext.to_string(),
    }
}

/// The folder a page belongs to for type defaults: its own folder, or for a section the
/// folder that contains the section's folder.
fn folder_of(rel: &str, is_section: bool) -> String {
    let mut parts: Vec<&str> = rel.split('/').collect();
    parts.pop();
    if is_section {
        parts.pop();
    }
    parts.join("/")
}

/// URL segments come from folder and file names (slugified), or a section's/page's `slug:`.
fn assign_urls(pages: &mut [Page]) {
    let section_slugs: HashMap<String, String> = pages
        .iter()
        .filter(|p| p.is_section && p.key != "index")
        .map(|p| {
            let own = p.key.rsplit('/').next().unwrap_or(&p.key);
            (
                p.key.clone(),
                p.front
                    .slug
                    .as_deref()
                    .map_or_else(|| model::slugify(own), model::slugify),
            )
        })
        .collect();
    use rayon::prelude::*;
    pages.par_iter_mut().for_each(|page| {
        if page.key == "index" {
            page.url = UrlPath("/".into());
            return;
        }
        let parts: Vec<&str> = page.key.split('/').collect();
        let mut url = String::from("/");
        for i in 0..parts.len() {
            let prefix = parts[..=i].join("/");
            let is_last = i + 1 == parts.len();
            let seg = if is_last && !page.is_section {
                page.front
                    .slug
                    .as_deref()
                    .map_or_else(|| model::slugify(parts[i]), model::slugify)
            } else {
                section_slugs
                    .get(&prefix)
                    .cloned()
                    .unwrap_or_else(|| model::slugify(parts[i]))
            };
            if seg.is_empty() {
                continue;
            }
            url.push_str(&seg);
            url.push('/');
        }
        page.url = UrlPath(url);
    });
}

fn generate_pages(config: &Config, pages: &mut Vec<Page>) {
    let mut extra = Vec::new();
    for (rule_index, rule) in config.generate.iter().enumerate() {
        for (i, page) in pages.iter().enumerate() {
            if page.type_name.as_deref() != Some(rule.type_name.as_str())
                || page.origin != Origin::File
            {
                continue;
            }
            let seg = model::slugify(&rule.path);
            let front = FrontMatter {
                title: rule.title.replace("{title}", &page.front.title),
                description: page.front.description.clone(),
                template: Some(rule.template.clone()),
                sort_by: SortBy::Weight,
                ..FrontMatter::default()
            };
            extra.push(Page {
                file: page.file,
                rel_path: page.rel_path.clone(),
                key: format!("{}/{seg}", page.key),
                is_section: false,
                front: std::sync::Arc::new(front),
                front_range: 0..0,
                body_start: None,
                type_name: None,
                url: UrlPath(format!("{}{seg}/", page.url.0)),
                parent: None,
                pages: Vec::new(),
                subsections: Vec::new(),
                origin: Origin::Generated {
                    source: PageId(i as u32),
                    rule: rule_index,
                },
            });
        }
    }
    pages.extend(extra);
}

fn check_duplicates(pages: &[Page], sources: &SourceMap, diags: &mut Vec<Diagnostic>) {
    let mut by_url: HashMap<&str, &Page> = HashMap::new();
    let mut by_id: HashMap<&str, &Page> = HashMap::new();
    // Path-derived ids: a declared id may not take one of another page's.
    let by_key: HashMap<&str, &Page> = pages
        .iter()
        .filter(|p| p.origin == Origin::File)
        .map(|p| (p.key.as_str(), p))
        .collect();
    for page in pages {
        if let Some(first) = by_url.insert(page.url.as_str(), page) {
            diags.push(
                Diagnostic::error(
                    "duplicate-url",
                    format!("two pages have the URL `{}`", page.url.as_str()),
                )
                .at(
                    Span::new(page.file, 0..3),
                    format!("same URL as `content/{}`", first.rel_path),
                )
                .help("rename one of the files or give one a different `slug:`"),
            );
            by_url.insert(page.url.as_str(), first);
        }
        let Some(declared) = page.front.id.as_deref() else {
            continue;
        };
        if page.origin != Origin::File {
            continue;
        }
        if let Some(first) = by_id.insert(declared, page) {
            diags.push(
                Diagnostic::error(
                    "duplicate-id",
                    format!("two pages declare the id `{declared}`"),
                )
                .at(
                    front_span(page, sources, "id"),
                    format!("also declared in `content/{}`", first.rel_path),
                )
                .with_related(front_span(first, sources, "id"), "declared here first")
                .help("ids must be unique; change one `id:`"),
            );
        }
        if let Some(owner) = by_key.get(declared).filter(|o| o.rel_path != page.rel_path) {
            diags.push(path_id_taken(page, owner, declared, sources));
        }
    }
}

/// `page` declares the id `declared`, which is `owner`'s path-derived id.
fn path_id_taken(page: &Page, owner: &Page, declared: &str, sources: &SourceMap) -> Diagnostic {
    let owner_text = &sources.get(owner.file).text;
    let fence = Span::new(owner.file, 0..3.min(owner_text.len()));
    Diagnostic::error(
        "duplicate-id",
        format!(
            "`content/{}` declares the id `{declared}`, which is the id of `content/{}`",
            page.rel_path, owner.rel_path
        ),
    )
    .at(
        front_span(page, sources, "id"),
        format!("already the id of `content/{}`", owner.rel_path),
    )
    .with_related(fence, format!("this page's id is `{declared}` (from its path)"))
    .help("ids must be unique, and a page's path is its id; change the `id:` or rename the other file")
}

/// The span of a front matter key's value, or of the opening fence when the key is absent.
pub fn front_span(page: &Page, sources: &SourceMap, key: &str) -> Span {
    front_span_at(page, sources, &[crate::yaml::PathSeg::Key(key.to_string())])
}

/// The span of the value at `path` in a page's front matter, or of the opening fence when
/// there is none.
pub fn front_span_at(page: &Page, sources: &SourceMap, path: &[crate::yaml::PathSeg]) -> Span {
    let text = &sources.get(page.file).text;
    let yaml_text = text.get(page.front_range.clone()).unwrap_or_default();
    // One lookup per call: callers ask for at most a few values of a page.
    let index = crate::yaml::YamlIndex::build(yaml_text);
    match index.locate(path, crate::yaml::Part::Value) {
        Some(r) => Span::new(
            page.file,
            page.front_range.start + r.start..page.front_range.start + r.end,
        ),
        None => Span::new(page.file, 0..3.min(text.len().max(1))),
    }
}

/// Sets each page's parent section and fills sections' sorted page lists.
fn link_sections(pages: &mut [Page]) {
    let sections: HashMap<String, PageId> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_section)
        .map(|(i, p)| (p.key.clone(), PageId(i as u32)))
        .collect();
    for i in 0..pages.len() {
        let parent = match &pages[i].origin {
            Origin::Generated { source, .. } => Some(*source),
            Origin::File => {
                let mut key = pages[i].key.clone();
                loop {
                    if key == "index" {
                        break None;
                    }
                    key = match key.rfind('/') {
                        Some(j) => key[..j].to_string(),
                        None => "index".to_string(),
                    };
                    if let Some(&id) = sections.get(&key) {
                        break Some(id);
                    }
                }
            }
        };
        pages[i].parent = parent;
        if let (Some(p), Origin::File) = (parent, &pages[i].origin) {
            let child = PageId(i as u32);
            if pages[i].is_section {
                pages[p.index()].subsections.push(child);
            } else {
                pages[p.index()].pages.push(child);
            }
        }
    }
    for i in 0..pages.len() {
        if !pages[i].is_section {
            continue;
        }
        let sort_by = pages[i].front.sort_by;
        let mut kids = std::mem::take(&mut pages[i].pages);
        sort_pages(&mut kids, pages, sort_by);
        pages[i].pages = kids;
        let mut subs = std::mem::take(&mut pages[i].subsections);
        sort_pages(&mut subs, pages, SortBy::Weight);
        pages[i].subsections = subs;
    }
}

/// Sorts page ids in place by a section's ordering rule; ties break on title, then path.
pub fn sort_pages(ids: &mut [PageId], pages: &[Page], by: SortBy) {
    ids.sort_by(|a, b| {
        let (pa, pb) = (&pages[a.index()], &pages[b.index()]);
        let primary = match by {
            SortBy::Weight => pa.front.weight.cmp(&pb.front.weight),
            SortBy::Date => pa.front.date.cmp(&pb.front.date),
            SortBy::Title => pa
                .front
                .title
                .to_lowercase()
                .cmp(&pb.front.title.to_lowercase()),
        };
        primary
            .then_with(|| pa.front.title.cmp(&pb.front.title))
            .then_with(|| pa.key.cmp(&pb.key))
    });
}

#[cfg(test)]
mod tests;
