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
//! search: true                # build the static search index (default)
//! ```

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Deserialize;

use crate::diag::{did_you_mean, Diagnostic, FileId, SourceMap, Span};
use crate::yaml::{self, Part, PathSeg};

/// The file name of the site config at the site root.
pub const CONFIG_FILE: &str = "site.yaml";

/// Front matter keys every page may use; type fields may not reuse them.
pub const COMMON_FIELDS: &[&str] = &[
    "title",
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
];

/// Environment failures while loading the config.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The config file is missing or unreadable.
    #[error("cannot read `{}`; run majors in a site folder or pass `--root`", path.display())]
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
    /// Site title.
    pub title: String,
    /// One-paragraph site description (feed subtitle, home meta description).
    #[serde(default)]
    pub description: String,
    /// Absolute base URL, ending in `/`.
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
    /// Build the static search index (`search/`); default true.
    #[serde(default = "default_true")]
    pub search: bool,
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
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            allow_raw_html: true,
            smart_punctuation: true,
            glossary_type: None,
            glossary_field: None,
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

/// A folder whose pages default to a type.
#[derive(Debug, Clone, Deserialize)]
pub struct FolderDefault {
    /// Folder under `content/`, `/`-separated.
    pub folder: String,
    /// Type name.
    #[serde(rename = "type")]
    pub type_name: String,
}

/// A declared content type.
#[derive(Debug, Clone, Deserialize)]
pub struct TypeDef {
    /// Singular label for display.
    #[serde(default)]
    pub label: Option<String>,
    /// Plural label for display.
    #[serde(default)]
    pub plural: Option<String>,
    /// Template for pages of this type (default `<type>.html` if the theme has it, else `page.html`).
    #[serde(default)]
    pub template: Option<String>,
    /// Fields in declaration order.
    #[serde(default)]
    pub fields: IndexMap<String, FieldDef>,
}

/// The kind of a field value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    /// One-line text.
    String,
    /// Longer text (Markdown inline allowed).
    Text,
    /// Whole number.
    Integer,
    /// Any number.
    Number,
    /// true / false.
    Bool,
    /// `YYYY-MM-DD`.
    Date,
    /// One of `values`.
    Enum,
    /// A list of `of`.
    List,
    /// The id of another page, optionally with `#anchor`.
    Reference,
    /// A reference that must name an anchor (a paragraph of a source).
    Citation,
}

/// A declared field.
#[derive(Debug, Clone, Deserialize)]
pub struct FieldDef {
    /// Its kind.
    pub kind: FieldKind,
    /// Must every page of the type set it?
    #[serde(default)]
    pub required: bool,
    /// Display label.
    #[serde(default)]
    pub label: Option<String>,
    /// Allowed values (enum).
    #[serde(default)]
    pub values: Vec<String>,
    /// Item definition (list).
    #[serde(default)]
    pub of: Option<Box<FieldDef>>,
    /// Target type (reference, citation); any page when absent.
    #[serde(default)]
    pub to: Option<String>,
}

/// Pages generated from every page of a type.
#[derive(Debug, Clone, Deserialize)]
pub struct GeneratedPages {
    /// The type whose pages get one generated page each.
    #[serde(rename = "type")]
    pub type_name: String,
    /// Appended to the source page's URL (`dossier` -> `/countries/peru/dossier/`).
    pub path: String,
    /// Template to render it with.
    pub template: String,
    /// Title pattern; `{title}` is the source page's title.
    pub title: String,
}

const TOP_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "repository",
    "output_dir",
    "markdown",
    "feed",
    "defaults",
    "types",
    "generate",
    "search",
];
const MARKDOWN_KEYS: &[&str] = &[
    "allow_raw_html",
    "smart_punctuation",
    "glossary_type",
    "glossary_field",
];
const FEED_KEYS: &[&str] = &["limit"];
const DEFAULT_KEYS: &[&str] = &["folder", "type"];
const TYPE_KEYS: &[&str] = &["label", "plural", "template", "fields"];
const FIELD_KEYS: &[&str] = &["kind", "required", "label", "values", "of", "to"];
const GENERATE_KEYS: &[&str] = &["type", "path", "template", "title"];

/// Keys allowed at a config path (as serde_ignored reports it).
fn known_keys(path: &[PathSeg]) -> &'static [&'static str] {
    let keys: Vec<Option<&str>> = path
        .iter()
        .map(|p| match p {
            PathSeg::Key(k) => Some(k.as_str()),
            PathSeg::Index(_) => None,
        })
        .collect();
    match keys.as_slice() {
        [] => TOP_KEYS,
        [Some("markdown")] => MARKDOWN_KEYS,
        [Some("feed")] => FEED_KEYS,
        [Some("defaults"), None] => DEFAULT_KEYS,
        [Some("generate"), None] => GENERATE_KEYS,
        [Some("types"), Some(_)] => TYPE_KEYS,
        [Some("types"), Some(_), Some("fields"), Some(_), ..] => FIELD_KEYS,
        _ => &[],
    }
}

/// Reads and validates `site.yaml` at `root`. Returns `Ok((None, diags))` when the config has
/// errors that prevent using it.
pub fn load_config(
    root: &Path,
    sources: &mut SourceMap,
) -> Result<(Option<Config>, Vec<Diagnostic>), ConfigError> {
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
    let mut ignored: Vec<Vec<PathSeg>> = Vec::new();
    let de = serde_norway::Deserializer::from_str(text);
    let result: Result<Config, _> = serde_ignored::deserialize(de, |path| {
        ignored.push(ignored_path(&path));
    });
    let config = match result {
        Ok(c) => c,
        Err(e) => {
            let err = yaml::syntax_error(&e, text);
            let at = err.offset;
            diags.push(
                Diagnostic::error("bad-config", format!("invalid config: {}", err.message))
                    .at(Span::new(file, at..at + 1), "here")
                    .help("see the config reference at the top of README.md"),
            );
            return (None, diags);
        }
    };
    for path in ignored {
        let Some(PathSeg::Key(key)) = path.last() else {
            continue;
        };
        let parent = &path[..path.len() - 1];
        let candidates = known_keys(parent);
        let range = yaml::locate(text, &path, Part::Key).unwrap_or(0..1);
        let help = match did_you_mean(key, candidates.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("known keys here: {}", candidates.join(", ")),
        };
        diags.push(
            Diagnostic::error("unknown-config-key", format!("unknown config key `{key}`"))
                .at(Span::new(file, range), "not a config key")
                .help(help),
        );
    }
    validate_config(&config, file, text, &mut diags);
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

fn key(s: &str) -> PathSeg {
    PathSeg::Key(s.to_string())
}

fn validate_config(config: &Config, file: FileId, text: &str, diags: &mut Vec<Diagnostic>) {
    let span_at = |path: &[PathSeg], part: Part| {
        Span::new(file, yaml::locate(text, path, part).unwrap_or(0..1))
    };
    if !(config.base_url.starts_with("http://") || config.base_url.starts_with("https://")) {
        diags.push(
            Diagnostic::error(
                "bad-config",
                format!(
                    "`base_url` must be an absolute URL, not `{}`",
                    config.base_url
                ),
            )
            .at(
                span_at(&[key("base_url")], Part::Value),
                "not an http(s) URL",
            )
            .help("write it like `https://example.org/`"),
        );
    }
    let type_names: Vec<&str> = config.types.keys().map(String::as_str).collect();
    let check_type = |name: &str, path: Vec<PathSeg>, diags: &mut Vec<Diagnostic>| {
        if !config.types.contains_key(name) {
            let help = match did_you_mean(name, type_names.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("declared types: {}", type_names.join(", ")),
            };
            diags.push(
                Diagnostic::error(
                    "unknown-type",
                    format!("type `{name}` is not declared under `types:`"),
                )
                .at(span_at(&path, Part::Value), "unknown type")
                .help(help),
            );
        }
    };
    for (i, d) in config.defaults.iter().enumerate() {
        check_type(
            &d.type_name,
            vec![key("defaults"), PathSeg::Index(i), key("type")],
            diags,
        );
    }
    for (i, g) in config.generate.iter().enumerate() {
        check_type(
            &g.type_name,
            vec![key("generate"), PathSeg::Index(i), key("type")],
            diags,
        );
    }
    if let Some(t) = &config.markdown.glossary_type {
        check_type(t, vec![key("markdown"), key("glossary_type")], diags);
    }
    for (tname, tdef) in &config.types {
        for (fname, fdef) in &tdef.fields {
            let path = vec![key("types"), key(tname), key("fields"), key(fname)];
            if COMMON_FIELDS.contains(&fname.as_str()) {
                diags.push(
                    Diagnostic::error("bad-config", format!("field `{fname}` of type `{tname}` clashes with a common front matter key"))
                        .at(span_at(&path, Part::Key), "reserved name")
                        .help(format!("rename the field; reserved names: {}", COMMON_FIELDS.join(", "))),
                );
            }
            validate_field(fdef, path, &check_type, &span_at, diags);
        }
    }
}

/// Reports a reference to an undeclared type at a config path.
type TypeCheck<'a> = dyn Fn(&str, Vec<PathSeg>, &mut Vec<Diagnostic>) + 'a;

fn validate_field(
    def: &FieldDef,
    path: Vec<PathSeg>,
    check_type: &TypeCheck<'_>,
    span_at: &dyn Fn(&[PathSeg], Part) -> Span,
    diags: &mut Vec<Diagnostic>,
) {
    let sub = |k: &str| {
        let mut p = path.clone();
        p.push(key(k));
        p
    };
    match def.kind {
        FieldKind::Enum if def.values.is_empty() => diags.push(
            Diagnostic::error("bad-config", "an `enum` field needs `values`")
                .at(span_at(&sub("kind"), Part::Value), "no values declared")
                .help("add `values: [a, b, c]`"),
        ),
        FieldKind::List => match &def.of {
            None => diags.push(
                Diagnostic::error("bad-config", "a `list` field needs `of`")
                    .at(span_at(&sub("kind"), Part::Value), "item kind missing")
                    .help("add `of: { kind: string }`"),
            ),
            Some(of) if of.kind == FieldKind::List => diags.push(
                Diagnostic::error("bad-config", "lists of lists are not supported")
                    .at(span_at(&sub("of"), Part::Value), "nested list")
                    .help("use a list of references to pages that hold the inner lists"),
            ),
            Some(of) => validate_field(of, sub("of"), check_type, span_at, diags),
        },
        FieldKind::Reference | FieldKind::Citation => {
            if let Some(to) = &def.to {
                check_type(to, sub("to"), diags);
            }
        }
        _ => {}
    }
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
mod tests {
    use super::*;

    fn parse(text: &str) -> (Option<Config>, Vec<Diagnostic>, SourceMap) {
        let mut map = SourceMap::default();
        let id = map.add("site.yaml".into(), PathBuf::from("site.yaml"), text.into());
        let (c, d) = parse_config(id, &map);
        (c, d, map)
    }

    #[test]
    fn unknown_keys_are_all_reported_with_suggestions() {
        let (c, d, map) = parse(
            "title: T\nbase_url: https://x.org/\ntheem: x\nmarkdown:\n  smart_punctuaton: true\n",
        );
        assert!(c.is_none());
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].help.as_deref(), Some("did you mean `theme`?"));
        assert_eq!(d[0].location(&map), Some(("site.yaml".into(), 3, 1)));
        assert_eq!(
            d[1].help.as_deref(),
            Some("did you mean `smart_punctuation`?")
        );
        assert_eq!(d[1].location(&map), Some(("site.yaml".into(), 5, 3)));
    }

    #[test]
    fn undeclared_reference_type_is_an_error() {
        let (c, d, _) = parse(
            "title: T\nbase_url: https://x.org/\ntypes:\n  a:\n    fields:\n      r: { kind: reference, to: bb }\n",
        );
        assert!(c.is_none());
        assert_eq!(d[0].code, "unknown-type");
    }

    #[test]
    fn longest_folder_default_wins() {
        let (c, d, _) = parse(
            "title: T\nbase_url: https://x.org/\ndefaults:\n  - {folder: countries, type: a}\n  - {folder: countries/peru/fy, type: b}\ntypes:\n  a: {}\n  b: {}\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let c = c.unwrap();
        assert_eq!(c.default_type_for("countries"), Some("a"));
        assert_eq!(c.default_type_for("countries/peru/fy"), Some("b"));
        assert_eq!(c.default_type_for("countriesx"), None);
    }
}
