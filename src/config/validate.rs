//! Validation of a parsed config beyond its shape: keys serde ignored (with suggestions),
//! references to undeclared types, reserved field names, incomplete field declarations.

use crate::diag::{did_you_mean, Diagnostic, FileId, Span};
use crate::yaml::{LazyIndex, Part, PathSeg};

use super::{Config, FieldDef, FieldKind, COMMON_FIELDS};

mod types;
use types::{validate_required_when, validate_tables, validate_unique};

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
    "tables",
];
const MARKDOWN_KEYS: &[&str] = &[
    "allow_raw_html",
    "smart_punctuation",
    "glossary_type",
    "glossary_field",
    "marks",
];
const MARK_KEYS: &[&str] = &["text", "value", "label", "title", "class"];
const FEED_KEYS: &[&str] = &["limit"];
const SEARCH_KEYS: &[&str] = &["enabled", "facets"];
const DEFAULT_KEYS: &[&str] = &["folder", "type"];
const TYPE_KEYS: &[&str] = &["label", "plural", "template", "fields", "unique"];
const FIELD_KEYS: &[&str] = &[
    "kind",
    "required",
    "label",
    "values",
    "labels",
    "of",
    "to",
    "certainty",
    "required_when",
];
const GENERATE_KEYS: &[&str] = &["type", "path", "template", "title"];
const TABLE_KEYS: &[&str] = &["cells", "rows", "columns", "title"];

/// Keys allowed at a config path (as serde_ignored reports it).
pub(super) fn known_keys(path: &[PathSeg]) -> &'static [&'static str] {
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
        [Some("markdown"), Some("marks"), None] => MARK_KEYS,
        [Some("feed")] => FEED_KEYS,
        [Some("search")] => SEARCH_KEYS,
        [Some("defaults"), None] => DEFAULT_KEYS,
        [Some("generate"), None] => GENERATE_KEYS,
        [Some("tables"), Some(_)] => TABLE_KEYS,
        [Some("types"), Some(_)] => TYPE_KEYS,
        [Some("types"), Some(_), Some("fields"), Some(_), Some("required_when"), ..] => &[],
        [Some("types"), Some(_), Some("fields"), Some(_), ..] => FIELD_KEYS,
        _ => &[],
    }
}

fn key(s: &str) -> PathSeg {
    PathSeg::Key(s.to_string())
}

/// Required keys, with the example a missing one's help line shows.
const REQUIRED_TOP: &[(&str, &str)] = &[
    ("title", "title: My knowledge base"),
    ("base_url", "base_url: https://example.org/"),
];
const REQUIRED_DEFAULT: &[(&str, &str)] = &[("folder", "folder: notes"), ("type", "type: note")];
const REQUIRED_GENERATE: &[(&str, &str)] = &[
    ("type", "type: note"),
    ("path", "path: print"),
    ("template", "template: print.html"),
    ("title", "title: \"{title}: printable\""),
];

/// Where a config path is written, for diagnostics: the file, its key positions, and the keys
/// an unknown key was taken for.
struct Locator<'a> {
    file: FileId,
    positions: &'a LazyIndex<'a>,
    suggested: &'a [Vec<PathSeg>],
}

impl Locator<'_> {
    /// The span of `path`; a key that is not written (the `kind` of `year: integer`) is shown
    /// at its parent's value.
    fn span_at(&self, path: &[PathSeg], part: Part) -> Span {
        let found = self.positions.locate(path, part).or_else(|| {
            let (_, parent) = path.split_last()?;
            self.positions.locate(parent, Part::Value)
        });
        Span::new(self.file, found.unwrap_or(0..1))
    }

    /// Reports each of `required` that is missing under `parent` (and was not misspelt).
    fn missing(
        &self,
        parent: &[PathSeg],
        required: &[(&str, &str)],
        what: &str,
        diags: &mut Vec<Diagnostic>,
    ) {
        for (name, example) in required {
            let mut path = parent.to_vec();
            path.push(key(name));
            if self.positions.locate(&path, Part::Key).is_some() || self.suggested.contains(&path) {
                continue;
            }
            let at = if parent.is_empty() {
                Span::new(self.file, 0..0)
            } else {
                self.span_at(parent, Part::Value)
            };
            diags.push(
                Diagnostic::error("missing-config-key", format!("{what} has no `{name}`"))
                    .at(at, format!("`{name}` is required"))
                    .help(format!("add `{example}`")),
            );
        }
    }

    /// Reports a reference to an undeclared type at `path`.
    fn check_type(
        &self,
        config: &Config,
        name: &str,
        path: &[PathSeg],
        diags: &mut Vec<Diagnostic>,
    ) {
        // An empty name is a missing key, reported on its own.
        if name.is_empty() || config.types.contains_key(name) {
            return;
        }
        let type_names: Vec<&str> = config.types.keys().map(String::as_str).collect();
        let help = match did_you_mean(name, type_names.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("declared types: {}", type_names.join(", ")),
        };
        diags.push(
            Diagnostic::error(
                "unknown-type",
                format!("type `{name}` is not declared under `types:`"),
            )
            .at(self.span_at(path, Part::Value), "unknown type")
            .help(help),
        );
    }
}

/// Checks a config that serde accepted, and reads each field's `kind:`. `suggested` holds the
/// keys that an unknown key was taken for (`titel` -> `title`): those are not reported
/// missing a second time.
pub(super) fn validate_config(
    config: &mut Config,
    file: FileId,
    positions: &LazyIndex<'_>,
    suggested: &[Vec<PathSeg>],
    diags: &mut Vec<Diagnostic>,
) {
    let cx = Locator {
        file,
        positions,
        suggested,
    };
    cx.missing(&[], REQUIRED_TOP, "site.yaml", diags);
    for i in 0..config.defaults.len() {
        let parent = [key("defaults"), PathSeg::Index(i)];
        cx.missing(&parent, REQUIRED_DEFAULT, "this `defaults` entry", diags);
    }
    for i in 0..config.generate.len() {
        let parent = [key("generate"), PathSeg::Index(i)];
        cx.missing(&parent, REQUIRED_GENERATE, "this `generate` entry", diags);
    }
    for (tname, tdef) in &mut config.types {
        for (fname, fdef) in &mut tdef.fields {
            let path = vec![key("types"), key(tname), key("fields"), key(fname)];
            let what = format!("field `{fname}` of type `{tname}`");
            read_kind(fdef, path, &what, &cx, diags);
        }
    }
    let config = &*config;
    validate_site_keys(config, &cx, diags);
    validate_type_names(config, &cx, diags);
    for (tname, tdef) in &config.types {
        for (fname, fdef) in &tdef.fields {
            let path = vec![key("types"), key(tname), key("fields"), key(fname)];
            if COMMON_FIELDS.contains(&fname.as_str()) {
                diags.push(
                    Diagnostic::error("bad-config", format!("field `{fname}` of type `{tname}` clashes with a common front matter key"))
                        .at(cx.span_at(&path, Part::Key), "reserved name")
                        .help(format!("rename the field; reserved names: {}", COMMON_FIELDS.join(", "))),
                );
            }
            validate_certainty(config, tdef, fdef, &path, &cx, diags);
            validate_required_when(tdef, fdef, &path, &cx, diags);
            validate_field(config, fdef, path, &cx, diags);
        }
    }
    for (tname, tdef) in &config.types {
        validate_unique(tname, tdef, &cx, diags);
    }
    validate_tables(config, &cx, diags);
    validate_marks(config, &cx, diags);
}

/// `title` and `base_url`.
fn validate_site_keys(config: &Config, cx: &Locator<'_>, diags: &mut Vec<Diagnostic>) {
    let title_at = cx.positions.locate(&[key("title")], Part::Value);
    if let (Some(range), true) = (title_at, config.title.trim().is_empty()) {
        diags.push(
            Diagnostic::error("bad-config", "`title` is empty")
                .at(Span::new(cx.file, range), "no title")
                .help("write the site's name: it ends every page's `<title>` and heads the feed"),
        );
    }
    if cx.positions.locate(&[key("base_url")], Part::Key).is_none() {
        return;
    }
    let at = cx.span_at(&[key("base_url")], Part::Value);
    if !(config.base_url.starts_with("http://") || config.base_url.starts_with("https://")) {
        diags.push(
            Diagnostic::error(
                "bad-config",
                format!(
                    "`base_url` must be an absolute URL, not `{}`",
                    config.base_url
                ),
            )
            .at(at.clone(), "not an http(s) URL")
            .help("write it like `https://example.org/`"),
        );
    }
    let path = config
        .base_url
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('/'))
        .map_or("", |(_, p)| p.trim_end_matches('/'));
    if !path.is_empty() {
        diags.push(
            Diagnostic::warning(
                "base-url-path",
                format!("`base_url` has a path (`/{path}/`), but pages link from the root of the host (`/notes/`)"),
            )
            .at(at, "served below the root")
            .help("serve the site at the root of a host (a domain or subdomain of its own); the path is used only in the sitemap, the feed and canonical links"),
        );
    }
}

/// Type names outside `types:` (defaults, generate rules, search facets, the glossary type).
fn validate_type_names(config: &Config, cx: &Locator<'_>, diags: &mut Vec<Diagnostic>) {
    for (i, d) in config.defaults.iter().enumerate() {
        let path = [key("defaults"), PathSeg::Index(i), key("type")];
        cx.check_type(config, &d.type_name, &path, diags);
    }
    for (i, g) in config.generate.iter().enumerate() {
        let path = [key("generate"), PathSeg::Index(i), key("type")];
        cx.check_type(config, &g.type_name, &path, diags);
    }
    for (i, facet) in config.search.facets.iter().enumerate() {
        let path = [key("search"), key("facets"), PathSeg::Index(i)];
        cx.check_type(config, facet, &path, diags);
    }
    if let Some(t) = &config.markdown.glossary_type {
        let path = [key("markdown"), key("glossary_type")];
        cx.check_type(config, t, &path, diags);
    }
}

/// `markdown.marks`: each has a label, a text or a value, and no two share either.
fn validate_marks(config: &Config, cx: &Locator<'_>, diags: &mut Vec<Diagnostic>) {
    let (mut texts, mut values) = (Vec::new(), Vec::new());
    for (i, m) in config.markdown.marks.iter().enumerate() {
        let path = vec![key("markdown"), key("marks"), PathSeg::Index(i)];
        let mut label_path = path.clone();
        label_path.push(key("label"));
        // A misspelt `label` is reported once, at the misspelling.
        if m.label.is_empty() && !cx.suggested.contains(&label_path) {
            diags.push(
                Diagnostic::error("missing-config-key", "a mark needs a `label`")
                    .at(cx.span_at(&path, Part::Value), "no `label`")
                    .help("add `label:` with the badge's text (also the word plain text shows)"),
            );
        }
        for (seen, what, v) in [
            (&mut texts, "text", &m.text),
            (&mut values, "value", &m.value),
        ] {
            let Some(v) = v else { continue };
            if seen.contains(v) {
                let mut at = path.clone();
                at.push(key(what));
                diags.push(
                    Diagnostic::error("bad-config", format!("two marks have the {what} `{v}`"))
                        .at(cx.span_at(&at, Part::Value), "declared before")
                        .help(format!(
                            "give each mark its own `{what}`, or remove this one"
                        )),
                );
            }
            seen.push(v.clone());
        }
        if m.text.is_none() && m.value.is_none() {
            diags.push(
                Diagnostic::error("missing-config-key", "a mark needs `text`, `value` or both")
                    .at(cx.span_at(&path, Part::Value), "neither `text` nor `value`")
                    .help("add `text: \"[U]\"` (as written after a claim) or `value: U` (a certainty field's value)"),
            );
        }
    }
}

/// A field's `certainty:`: the field is an enum, and what it qualifies is `page` or a field
/// of the same type.
fn validate_certainty(
    config: &Config,
    tdef: &crate::config::TypeDef,
    fdef: &FieldDef,
    path: &[PathSeg],
    cx: &Locator<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(target) = &fdef.certainty else {
        return;
    };
    let mut at = path.to_vec();
    at.push(key("certainty"));
    if fdef.kind != FieldKind::Enum {
        diags.push(
            Diagnostic::error("bad-config", "a `certainty` field must be an `enum`")
                .at(cx.span_at(&at, Part::Key), "on a field that is not an enum")
                .help("give it `kind: enum` and `values:` that are marks' `value`s"),
        );
    }
    if path.last() == Some(&key(target)) {
        diags.push(
            Diagnostic::error(
                "bad-config",
                format!("`certainty: {target}` names the field itself"),
            )
            .at(
                cx.span_at(&at, Part::Value),
                "a field cannot qualify itself",
            )
            .help("name the field it qualifies, or `page` for the page as a whole"),
        );
    } else if target != "page" && !tdef.fields.contains_key(target) {
        let names = tdef.fields.keys().map(String::as_str).chain(["page"]);
        let help = match did_you_mean(target, names) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "name a field of this type, or `page` for the page as a whole".to_string(),
        };
        diags.push(
            Diagnostic::error(
                "bad-config",
                format!("`certainty: {target}` names no field of this type"),
            )
            .at(cx.span_at(&at, Part::Value), "no such field")
            .help(help),
        );
    }
    for v in &fdef.values {
        if !config
            .markdown
            .marks
            .iter()
            .any(|m| m.value.as_deref() == Some(v))
        {
            diags.push(
                Diagnostic::warning("bad-config", format!("certainty value `{v}` has no mark"))
                    .at(
                        cx.span_at(&at, Part::Key),
                        "a value without a mark shows as it is",
                    )
                    .help(format!("add a mark with `value: {v}` to `markdown.marks`")),
            );
        }
    }
}

/// Sets `def.kind` from its `kind:` (and so for the items of a list), or reports it missing
/// or unknown.
fn read_kind(
    def: &mut FieldDef,
    path: Vec<PathSeg>,
    what: &str,
    cx: &Locator<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut kind_path = path.clone();
    kind_path.push(key("kind"));
    let names: Vec<&str> = FieldKind::ALL.iter().map(|(n, _)| *n).collect();
    match def.kind_name.as_deref() {
        Some(name) => match FieldKind::from_name(name) {
            Some(kind) => def.kind = kind,
            None => {
                let help = match did_you_mean(name, names.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the kinds are: {}", names.join(", ")),
                };
                diags.push(
                    Diagnostic::error("bad-config", format!("unknown field kind `{name}`"))
                        .at(cx.span_at(&kind_path, Part::Value), "not a field kind")
                        .help(help),
                );
            }
        },
        None if cx.suggested.contains(&kind_path) => {}
        None => diags.push(
            Diagnostic::error("missing-config-key", format!("{what} has no `kind`"))
                .at(cx.span_at(&path, Part::Key), "`kind` is required")
                .help(format!("add `kind:` with one of: {}", names.join(", "))),
        ),
    }
    if let Some(of) = def.of.as_deref_mut() {
        let mut of_path = path;
        of_path.push(key("of"));
        read_kind(of, of_path, &format!("the items of {what}"), cx, diags);
    }
}

/// A field declaration's `values`, `of` and `to`.
fn validate_field(
    config: &Config,
    def: &FieldDef,
    path: Vec<PathSeg>,
    cx: &Locator<'_>,
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
                .at(cx.span_at(&sub("kind"), Part::Value), "no values declared")
                .help("add `values: [a, b, c]`"),
        ),
        FieldKind::Enum => {
            for name in def.labels.keys().filter(|k| !def.values.contains(k)) {
                let mut at = sub("labels");
                at.push(key(name));
                diags.push(
                    Diagnostic::error(
                        "bad-config",
                        format!("a label for `{name}`, which is not one of the field's `values`"),
                    )
                    .at(cx.span_at(&at, Part::Key), "not a value of this field")
                    .help(format!(
                        "label one of {}, or add `{name}` to `values`",
                        def.values.join(", ")
                    )),
                );
            }
        }
        FieldKind::List => match &def.of {
            None => diags.push(
                Diagnostic::error("bad-config", "a `list` field needs `of`")
                    .at(cx.span_at(&sub("kind"), Part::Value), "item kind missing")
                    .help("add `of: { kind: string }`"),
            ),
            Some(of) if of.kind == FieldKind::List => diags.push(
                Diagnostic::error("bad-config", "lists of lists are not supported")
                    .at(cx.span_at(&sub("of"), Part::Value), "nested list")
                    .help("use a list of references to pages that hold the inner lists"),
            ),
            Some(of) => validate_field(config, of, sub("of"), cx, diags),
        },
        _ if !def.labels.is_empty() => diags.push(
            Diagnostic::error("bad-config", "`labels` is for an `enum` field's values")
                .at(
                    cx.span_at(&sub("labels"), Part::Key),
                    "on a field that is not an enum",
                )
                .help("remove `labels`, or give the field `kind: enum` and `values:`"),
        ),
        _ => {}
    }
    // Checked whatever the kind, so that a misspelt kind does not hide a misspelt type.
    if let Some(to) = &def.to {
        cx.check_type(config, to, &sub("to"), diags);
    }
}
