//! Site-wide outputs: files made from the whole resolved site once its pages are known.
//!
//! Each output (the sitemap, the Atom feed, `data/pages.json`, the search index) implements
//! [`Output`] and is listed once, in [`OUTPUTS`]. Everything that needs to know about them goes
//! through this list: `build` streams them to the output folder ([`emit_all`]), `serve`
//! computes them on its background worker after the pages ([`collect_all`]) and replaces the
//! previous set as a whole, `check` reserves their paths ([`generated_paths`], [`owner_of`]).
//! The outputs: the sitemap, the feed, `data/pages.json`, a CSV per type, the declared tables
//! and the search index; a later one is one more type and one more entry.

use crate::config::Config;
use crate::file_bytes::FileBytes;
use crate::site::extra;
use crate::site_data::SiteData;

/// One site-wide output.
pub trait Output: Sync {
    /// What it is, for messages ("the search index").
    fn name(&self) -> &'static str;
    /// Whether this site has it (the search index can be switched off in `site.yaml`).
    fn enabled(&self, _config: &Config) -> bool {
        true
    }
    /// The paths it writes whatever the content (a CSV file per declared type).
    fn paths(&self, config: &Config) -> Vec<String>;
    /// Whether it may write `path`: its paths, and names it makes up (index shards).
    fn owns(&self, config: &Config, path: &str) -> bool {
        self.paths(config).iter().any(|p| p == path)
    }
    /// Makes its files from the site (`texts[i]` is the plain text of page `i`), handing each
    /// to `emit` as soon as it is made, from any thread.
    fn emit(&self, site: &SiteData, texts: &[&str], emit: &(dyn Fn(String, Vec<u8>) + Sync));
}

/// Every site-wide output, in the order a build writes them: the small summaries first, then
/// the search index, one after the other so their transient memory does not add up.
pub static OUTPUTS: &[&dyn Output] = &[
    &Sitemap,
    &Feed,
    &ChangesFeed,
    &PagesJson,
    &UrlManifest,
    &Redirects,
    &TypeCsv,
    &Tables,
    &SearchIndex,
];

/// The outputs this site has.
pub fn enabled(config: &Config) -> impl Iterator<Item = &'static dyn Output> + '_ {
    OUTPUTS.iter().copied().filter(|o| o.enabled(config))
}

/// Writes every enabled output through `emit`.
pub fn emit_all(site: &SiteData, texts: &[&str], emit: &(dyn Fn(String, Vec<u8>) + Sync)) {
    for output in enabled(&site.config) {
        let clock = std::time::Instant::now();
        output.emit(site, texts, emit);
        tracing::debug!(took = ?clock.elapsed(), output = output.name(), "site-wide output");
    }
}

/// Every enabled output's files, compressed in memory when `pack` (each file as it is made,
/// so the plain search index is never all in memory).
pub fn collect_all(site: &SiteData, texts: &[&str], pack: bool) -> crate::site::build::Files {
    let files = std::sync::Mutex::new(crate::site::build::Files::new());
    emit_all(site, texts, &|path, bytes| {
        let bytes = FileBytes::new(bytes, pack);
        if let Ok(mut f) = files.lock() {
            f.insert(path, bytes);
        }
    });
    files.into_inner().unwrap_or_default()
}

/// The paths of the enabled outputs.
pub fn generated_paths(config: &Config) -> impl Iterator<Item = String> + '_ {
    enabled(config).flat_map(|o| o.paths(config))
}

/// The enabled output that may write `path` beyond its fixed paths, if any (a copied file
/// may not take such a name).
pub fn owner_of(config: &Config, path: &str) -> Option<&'static dyn Output> {
    enabled(config).find(|o| o.owns(config, path) && !o.paths(config).iter().any(|p| p == path))
}

/// `sitemap.xml`.
pub struct Sitemap;

impl Output for Sitemap {
    fn name(&self) -> &'static str {
        "the sitemap"
    }
    fn paths(&self, _: &Config) -> Vec<String> {
        vec!["sitemap.xml".into()]
    }
    fn emit(&self, site: &SiteData, _: &[&str], emit: &(dyn Fn(String, Vec<u8>) + Sync)) {
        emit("sitemap.xml".into(), extra::sitemap(site).into_bytes());
    }
}

/// The Atom feed, `atom.xml`.
pub struct Feed;

impl Output for Feed {
    fn name(&self) -> &'static str {
        "the Atom feed"
    }
    fn paths(&self, _: &Config) -> Vec<String> {
        vec!["atom.xml".into()]
    }
    fn emit(&self, site: &SiteData, _: &[&str], emit: &(dyn Fn(String, Vec<u8>) + Sync)) {
        emit("atom.xml".into(), extra::atom_feed(site).into_bytes());
    }
}

/// `changes.xml`: the recent changes from the git history (`site::changes`).
pub struct ChangesFeed;

impl Output for ChangesFeed {
    fn name(&self) -> &'static str {
        "the changes feed"
    }
    fn paths(&self, _: &Config) -> Vec<String> {
        vec![crate::site::changes::CHANGES_FEED.into()]
    }
    fn emit(&self, site: &SiteData, _: &[&str], emit: &(dyn Fn(String, Vec<u8>) + Sync)) {
        let feed = crate::site::changes::changes_feed(site);
        emit(crate::site::changes::CHANGES_FEED.into(), feed.into_bytes());
    }
}

/// `data/pages.json`: every page with its fields and references.
pub struct PagesJson;

impl Output for PagesJson {
    fn name(&self) -> &'static str {
        "the page list"
    }
    fn paths(&self, _: &Config) -> Vec<String> {
        vec!["data/pages.json".into()]
    }
    fn emit(&self, site: &SiteData, _: &[&str], emit: &(dyn Fn(String, Vec<u8>) + Sync)) {
        emit(
            "data/pages.json".into(),
            extra::pages_json(site).into_bytes(),
        );
    }
}

/// `data/urls.json`: what this build published (`site::urls`).
pub struct UrlManifest;

impl Output for UrlManifest {
    fn name(&self) -> &'static str {
        "the URL manifest"
    }
    fn paths(&self, _: &Config) -> Vec<String> {
        vec![crate::site::urls::MANIFEST.into()]
    }
    fn emit(&self, site: &SiteData, _: &[&str], emit: &(dyn Fn(String, Vec<u8>) + Sync)) {
        let m = crate::site::urls::manifest(site);
        emit(
            crate::site::urls::MANIFEST.into(),
            crate::site::urls::manifest_json(&m).into_bytes(),
        );
    }
}

/// The redirect page of every alias (their paths come from the content: the output
/// collision check sees them through [`crate::site::pipeline::output_collisions`]).
pub struct Redirects;

impl Output for Redirects {
    fn name(&self) -> &'static str {
        "the alias redirects"
    }
    fn paths(&self, _: &Config) -> Vec<String> {
        Vec::new()
    }
    fn emit(&self, site: &SiteData, _: &[&str], emit: &(dyn Fn(String, Vec<u8>) + Sync)) {
        for (path, bytes) in crate::site::urls::redirects(site) {
            emit(path, bytes);
        }
    }
}

/// `data/<type>.csv` for every declared type (`site::csv`).
pub struct TypeCsv;

impl Output for TypeCsv {
    fn name(&self) -> &'static str {
        "the type CSV files"
    }
    fn paths(&self, config: &Config) -> Vec<String> {
        crate::site::csv::csv_paths(config)
    }
    fn emit(&self, site: &SiteData, _: &[&str], emit: &(dyn Fn(String, Vec<u8>) + Sync)) {
        for t in site.config.types.keys() {
            emit(
                crate::site::csv::csv_path(t),
                crate::site::csv::type_csv(site, t),
            );
        }
    }
}

/// `data/tables/<name>.csv` and `.json` for every declared table.
pub struct Tables;

impl Output for Tables {
    fn name(&self) -> &'static str {
        "the tables"
    }
    fn paths(&self, config: &Config) -> Vec<String> {
        config
            .tables
            .keys()
            .flat_map(|t| {
                let t = crate::content::model::slugify(t);
                [
                    format!("data/tables/{t}.csv"),
                    format!("data/tables/{t}.json"),
                ]
            })
            .collect()
    }
    fn emit(&self, site: &SiteData, _: &[&str], emit: &(dyn Fn(String, Vec<u8>) + Sync)) {
        use crate::site::csv::{table_csv, table_json, table_paths};
        for t in site.tables.iter() {
            let [csv, json] = table_paths(&t.name);
            emit(csv, table_csv(site, t));
            emit(json, table_json(site, t));
        }
    }
}

/// The static search index under `search/`.
pub struct SearchIndex;

impl Output for SearchIndex {
    fn name(&self) -> &'static str {
        "the search index"
    }
    fn enabled(&self, config: &Config) -> bool {
        config.search.enabled
    }
    fn paths(&self, _: &Config) -> Vec<String> {
        vec!["search/index.json".into()]
    }
    fn owns(&self, _: &Config, path: &str) -> bool {
        path.strip_prefix("search/").is_some_and(|n| {
            n == "index.json"
                || ((n.starts_with("docs-") || n.starts_with("terms-")) && n.ends_with(".json"))
        })
    }
    fn emit(&self, site: &SiteData, texts: &[&str], emit: &(dyn Fn(String, Vec<u8>) + Sync)) {
        crate::search::emit_search_index(site, texts, emit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test_config() -> Config {
        let (site, _, _) = crate::test_site::site(&[]);
        (*site.config).clone()
    }

    #[test]
    fn each_output_owns_its_paths_and_only_the_index_makes_names_up() {
        let config = test_config();
        for o in OUTPUTS {
            for p in o.paths(&config) {
                assert!(o.owns(&config, &p), "{} owns {p}", o.name());
            }
        }
        assert!(SearchIndex.owns(&config, "search/terms-3.json"));
        assert!(SearchIndex.owns(&config, "search/docs-0.json"));
        assert!(!SearchIndex.owns(&config, "search/notes.json"));
        assert!(!Sitemap.owns(&config, "sitemap2.xml"));
        assert_eq!(TypeCsv.paths(&config), ["data/thing.csv", "data/note.csv"]);
        assert!(!TypeCsv.owns(&config, "data/other.csv"));
    }

    #[test]
    fn outputs_write_distinct_paths() {
        let config = test_config();
        let mut all: Vec<String> = OUTPUTS.iter().flat_map(|o| o.paths(&config)).collect();
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n);
    }
}
