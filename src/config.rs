//! The site configuration (`site.yaml`): typed, validated, with every problem located.
//!
//! This module reads the config file (the only file it touches) and returns a [`Config`] plus
//! diagnostics. Unknown keys are all reported at once (via `serde_ignored`) with a suggestion;
//! semantic problems (an enum without values, a reference to an undeclared type) too.
//!
//! Format (YAML):
//! ```yaml
//! title: My site              # required
//! base_url: https://x.org/    # required
//! language: en                # default `en`
//! theme: default              # folder under themes/, or the built-in default theme
//! repository: https://github.com/o/r/blob/main/   # for "edit this page" links
//! output_dir: public
//! markdown: { allow_raw_html: false, smart_punctuation: true, glossary_type: term, glossary_field: abbreviation }
//! feed: { limit: 20 }
//! defaults: [ { folder: countries, type: country } ]
//! types:
//!   country:
//!     label: Country
//!     fields:
//!       iso: { kind: string, required: true }
//! generate: [ { type: country, path: dossier, template: dossier.html, title: "{title}: dossier" } ]
//! search: { facets: [country] } # the search index (default on; `false` for none), its filters
//! ```

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Deserialize;

use crate::diag::{did_you_mean, Diagnostic, FileId, SourceMap, Span};
use crate::yaml::{self, ErrorContext, LazyIndex, Part, PathSeg, YamlError};

mod schema;
mod shorthand;
mod validate;

pub use schema::{FieldDef, FieldKind, FolderDefault, GeneratedPages, TableDef, TypeDef};

use validate::{known_keys, validate_config};

/// The file name of the site config at the site root.
pub const CONFIG_FILE: &str = "site.yaml";

/// Front matter keys every page may use; type fields may not reuse them.
pub const COMMON_FIELDS: &[&str] = &[
    "title",
    "short_title",
    "description",
    "id",
    "slug",
    "type",
    "weight",
    "date",
    "updated",
    "draft",
    "template",
    "sort_by",
    "aliases",
];

/// Environment failures while loading the config.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The `--root` folder does not exist.
    #[error("the site folder `{}` does not exist; pass `--root` a folder that holds site.yaml, or create one with `majors init {}`", .0.display(), .0.display())]
    NoRoot(PathBuf),
    /// The config file is missing or unreadable.
    #[error("cannot read `{}`; run majors in a site folder, pass `--root`, or start a site with `majors init DIR`", path.display())]
    Read {
        /// The path tried.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// The validated site config.
#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    /// Site title (required: a missing one is reported with every other problem).
    #[serde(default)]
    pub title: String,
    /// One-paragraph site description (feed subtitle, home meta description).
    #[serde(default)]
    pub description: String,
    /// Absolute base URL, ending in `/` (required).
    #[serde(default)]
    pub base_url: String,
    /// Language code for `<html lang>`.
    #[serde(default = "default_language")]
    pub language: String,
    /// Theme name.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Repository URL prefix for "edit this page" links.
    #[serde(default)]
    pub repository: Option<String>,
    /// Output folder, relative to the site root.
    #[serde(default = "default_output")]
    pub output_dir: String,
    /// Markdown options.
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// Atom feed options.
    #[serde(default)]
    pub feed: FeedConfig,
    /// Per-folder default types.
    #[serde(default)]
    pub defaults: Vec<FolderDefault>,
    /// Declared content types, in declaration order.
    #[serde(default)]
    pub types: IndexMap<String, TypeDef>,
    /// Extra pages generated for every page of a type (e.g. a printable dossier).
    #[serde(default)]
    pub generate: Vec<GeneratedPages>,
    /// Tables computed from the data once per build (`get_table(name)`, `data/tables/`).
    #[serde(default)]
    pub tables: IndexMap<String, TableDef>,
    /// The static search index (`search/`): `search: false` turns it off; `search: { facets:
    /// [country] }` adds a filter by the pages of a type.
    #[serde(default)]
    pub search: SearchConfig,
}

fn default_language() -> String {
    "en".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_output() -> String {
    "public".into()
}
fn default_true() -> bool {
    true
}
fn default_feed_limit() -> usize {
    20
}

/// `markdown:` options.
#[derive(Debug, Clone, Deserialize)]
pub struct MarkdownConfig {
    /// Let raw HTML through (default) or report it as an error.
    #[serde(default = "default_true")]
    pub allow_raw_html: bool,
    /// Curly quotes and dashes.
    #[serde(default = "default_true")]
    pub smart_punctuation: bool,
    /// Type whose pages form the glossary (first mention on a page links to the term).
    #[serde(default)]
    pub glossary_type: Option<String>,
    /// Field of the glossary type that holds the term to match.
    #[serde(default)]
    pub glossary_field: Option<String>,
    /// Confidence marks (`render::marks`); none unless declared.
    #[serde(default)]
    pub marks: Vec<MarkDef>,
}

/// One confidence mark (`markdown.marks`): written in text after the claim it qualifies, and
/// shown as a badge in HTML and as a word in plain text; `value` ties it to the value of a
/// `certainty` field.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Hash, Default)]
pub struct MarkDef {
    /// As written in text (`[U]`); absent for a level that is only a field's value.
    #[serde(default)]
    pub text: Option<String>,
    /// The value of a `certainty` field it stands for (`U`).
    #[serde(default)]
    pub value: Option<String>,
    /// The badge's text, and the word plain text shows (`uncertain`).
    #[serde(default)]
    pub label: String,
    /// The badge's tooltip.
    #[serde(default)]
    pub title: String,
    /// The badge's CSS class, beside `conf`.
    #[serde(default)]
    pub class: String,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            allow_raw_html: true,
            smart_punctuation: true,
            glossary_type: None,
            glossary_field: None,
            marks: Vec::new(),
        }
    }
}

/// `search:` options (or `search: true|false`, see [`shorthand`]).
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self")]
pub struct SearchConfig {
    /// Build the index (default true).
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// Types whose pages the search page filters by: a page belongs to a page of such a type
    /// if it is one, or if one of its references names one.
    #[serde(default)]
    pub facets: Vec<String>,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            enabled: true,
            facets: Vec::new(),
        }
    }
}

/// `feed:` options.
#[derive(Debug, Clone, Deserialize)]
pub struct FeedConfig {
    /// Number of entries.
    #[serde(default = "default_feed_limit")]
    pub limit: usize,
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig { limit: 20 }
    }
}

/// Reads and validates `site.yaml` at `root`. Returns `Ok((None, diags))` when the config has
/// errors that prevent using it.
pub fn load_config(
    root: &Path,
    sources: &mut SourceMap,
) -> Result<(Option<Config>, Vec<Diagnostic>), ConfigError> {
    if !root.is_dir() {
        return Err(ConfigError::NoRoot(root.to_path_buf()));
    }
    let path = root.join(CONFIG_FILE);
    let bytes = std::fs::read(&path).map_err(|source| ConfigError::Read {
        path: path.clone(),
        source,
    })?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let file = sources.add(CONFIG_FILE.to_string(), path, text);
    Ok(parse_config(file, sources))
}

/// Parses config text already in the source map.
pub fn parse_config(file: FileId, sources: &SourceMap) -> (Option<Config>, Vec<Diagnostic>) {
    let text = &sources.get(file).text;
    let mut diags = Vec::new();
    let cx = ErrorContext {
        code: "bad-config",
        what: "site.yaml",
        invalid: "invalid config",
        syntax_label: "here",
        syntax_help: "site.yaml is a YAML mapping of `key: value` lines; its keys are listed under \"Config\" in majors' README.md",
        file,
        base: 0,
    };
    if let Err(e) = yaml::check_limits(text) {
        diags.push(YamlError::from(e).to_diagnostic(&cx));
        return (None, diags);
    }
    let mut ignored: Vec<Vec<PathSeg>> = Vec::new();
    let de = serde_norway::Deserializer::from_str(text);
    let result: Result<Config, _> = serde_ignored::deserialize(de, |path| {
        ignored.push(ignored_path(&path));
    });
    let config = match result {
        Ok(c) => c,
        Err(e) => {
            diags.extend(yaml::explain(&e, text).iter().map(|e| e.to_diagnostic(&cx)));
            return (None, diags);
        }
    };
    // Positions for every diagnostic below come from one pass over the text. It is built
    // every time: a key repeated inside a map (`types:`) is not an error to serde, which
    // would keep the last one silently.
    let positions = LazyIndex::new(text);
    for d in positions.get().duplicates() {
        diags.push(YamlError::from(d).to_diagnostic(&cx));
    }
    // Keys a misspelt key suggests: a required key that is missing because it is misspelt is
    // reported once, at the misspelling.
    let mut suggested: Vec<Vec<PathSeg>> = Vec::new();
    for path in ignored {
        let Some((PathSeg::Key(key), parent)) = path.split_last() else {
            continue;
        };
        let candidates = known_keys(parent);
        let range = positions.locate(&path, Part::Key).unwrap_or(0..1);
        let help = match did_you_mean(key, candidates.iter().copied()) {
            Some(s) => {
                let mut target = parent.to_vec();
                target.push(PathSeg::Key(s.to_string()));
                suggested.push(target);
                format!("did you mean `{s}`?")
            }
            None => format!("known keys here: {}", candidates.join(", ")),
        };
        diags.push(
            Diagnostic::error("unknown-config-key", format!("unknown config key `{key}`"))
                .at(Span::new(file, range), "not a config key")
                .help(help),
        );
    }
    let mut config = config;
    validate_config(&mut config, file, &positions, &suggested, &mut diags);
    let ok = !diags.iter().any(Diagnostic::is_error);
    (ok.then_some(config), diags)
}

fn ignored_path(path: &serde_ignored::Path<'_>) -> Vec<PathSeg> {
    use serde_ignored::Path as P;
    let mut out = Vec::new();
    let mut cur = path;
    loop {
        match cur {
            P::Root => break,
            P::Seq { parent, index } => {
                out.push(PathSeg::Index(*index));
                cur = parent;
            }
            P::Map { parent, key } => {
                out.push(PathSeg::Key(key.clone()));
                cur = parent;
            }
            P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => {
                cur = parent
            }
        }
    }
    out.reverse();
    out
}

impl Config {
    /// The type of a page in `folder` (content-relative, `/`-separated) by the folder defaults.
    pub fn default_type_for(&self, folder: &str) -> Option<&str> {
        self.defaults
            .iter()
            .filter(|d| {
                let f = d.folder.trim_matches('/');
                folder == f || folder.starts_with(&format!("{f}/"))
            })
            .max_by_key(|d| d.folder.trim_matches('/').len())
            .map(|d| d.type_name.as_str())
    }

    /// The base URL without its trailing slash.
    pub fn base(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }
}

#[cfg(test)]
mod tests;
