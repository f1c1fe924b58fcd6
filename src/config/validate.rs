//! Validation of a parsed config beyond its shape: keys serde ignored (with suggestions),
//! references to undeclared types, reserved field names, incomplete field declarations.

use crate::diag::{did_you_mean, Diagnostic, FileId, Span};
use crate::yaml::{LazyIndex, Part, PathSeg};

use super::{Config, FieldDef, FieldKind, COMMON_FIELDS};

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
        [Some("feed")] => FEED_KEYS,
        [Some("defaults"), None] => DEFAULT_KEYS,
        [Some("generate"), None] => GENERATE_KEYS,
        [Some("types"), Some(_)] => TYPE_KEYS,
        [Some("types"), Some(_), Some("fields"), Some(_), ..] => FIELD_KEYS,
        _ => &[],
    }
}

fn key(s: &str) -> PathSeg {
    PathSeg::Key(s.to_string())
}

pub(super) fn validate_config(
    config: &Config,
    file: FileId,
    positions: &LazyIndex<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let span_at = |path: &[PathSeg], part: Part| {
        Span::new(file, positions.locate(path, part).unwrap_or(0..1))
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
