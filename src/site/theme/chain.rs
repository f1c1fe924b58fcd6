//! The theme chain. `theme:` in `site.yaml` names a folder under `themes/` (or the built-in
//! default), and that folder's `theme.yaml` may name the theme it extends:
//!
//! ```yaml
//! # themes/majors/theme.yaml
//! extends: default
//! description: The knowledge base's own pages (matrices, dossiers) over the default theme.
//! ```
//!
//! The chain is read from the site's theme down to a theme that extends nothing; files of a
//! theme override the same files of the theme it extends. A name that is not a plain folder
//! name, a theme that is not there, an unknown key and themes that extend each other are
//! errors at the line that names them.

use std::path::Path;

use crate::config::CONFIG_FILE;
use crate::diag::{did_you_mean, Diagnostic, FileId, SourceMap, Span};
use crate::yaml::{self, ErrorContext, LazyIndex, Part, PathSeg};

/// The file in a theme folder that describes the theme.
const MANIFEST: &str = "theme.yaml";
const MANIFEST_KEYS: &[&str] = &["extends", "description"];
const EMBEDDED: &str = "default";

/// One theme of the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layer {
    /// `themes/<name>/` in the site.
    Folder(String),
    /// The default theme built into the binary.
    Embedded,
}

/// Where a theme's name was written, for diagnostics.
struct NamedAt {
    span: Option<Span>,
    /// `site.yaml` or `themes/<child>/theme.yaml`.
    file: String,
}

/// The layers of the theme `theme`, the one extended by all others first. `None` when a
/// problem was reported into `diags`.
pub fn resolve_chain(
    root: &Path,
    theme: &str,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<Layer>> {
    let mut layers = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let mut name = theme.to_string();
    let mut at = NamedAt {
        span: config_theme_span(sources),
        file: CONFIG_FILE.to_string(),
    };
    loop {
        if let Some(why) = bad_name(&name) {
            diags.push(located(
                Diagnostic::error("bad-theme", format!("theme name `{name}` {why}"))
                    .help("name a folder directly under `themes/`, such as `theme: default`"),
                &at,
                "this theme name",
            ));
            return None;
        }
        if seen.contains(&name) {
            seen.push(name);
            diags.push(located(
                Diagnostic::error(
                    "bad-theme",
                    format!("themes extend each other: {}", seen.join(" → ")),
                )
                .help(
                    "remove `extends:` from one of them; the last theme of a chain extends nothing",
                ),
                &at,
                "extended again here",
            ));
            return None;
        }
        seen.push(name.clone());
        let dir = root.join("themes").join(&name);
        if dir.is_dir() {
            layers.push(Layer::Folder(name.clone()));
            match read_manifest(&dir, &name, sources, diags) {
                Manifest::Alone => break,
                Manifest::Bad => return None,
                Manifest::Extends { parent, span } => {
                    at = NamedAt {
                        span: Some(span),
                        file: format!("themes/{name}/{MANIFEST}"),
                    };
                    name = parent;
                }
            }
        } else if name == EMBEDDED {
            layers.push(Layer::Embedded);
            break;
        } else {
            diags.push(missing_theme(root, &name, &at));
            return None;
        }
    }
    layers.reverse();
    Some(layers)
}

/// Why `name` cannot name a folder under `themes/`, if it cannot.
fn bad_name(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("is empty")
    } else if name.starts_with('.') {
        Some("starts with a dot")
    } else if name.contains(['/', '\\']) {
        Some("is a path, not a folder name")
    } else if name.chars().any(char::is_control) {
        Some("holds a control character")
    } else {
        None
    }
}

fn located(d: Diagnostic, at: &NamedAt, label: &str) -> Diagnostic {
    match &at.span {
        Some(span) => d.at(span.clone(), label),
        None => d.in_path(at.file.clone()),
    }
}

fn missing_theme(root: &Path, name: &str, at: &NamedAt) -> Diagnostic {
    let mut known: Vec<String> = std::fs::read_dir(root.join("themes"))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().is_dir())
                .filter_map(|e| e.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    known.push(EMBEDDED.to_string());
    known.sort();
    known.dedup();
    let refs: Vec<&str> = known.iter().map(String::as_str).collect();
    let help = match did_you_mean(name, refs.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!(
            "create `themes/{name}/templates/`, or use one of: {}",
            refs.join(", ")
        ),
    };
    located(
        Diagnostic::error(
            "bad-theme",
            format!("theme `{name}` not found: there is no folder `themes/{name}/`"),
        )
        .help(help),
        at,
        "this theme",
    )
}

/// The span of `theme:`'s value in `site.yaml`, if the config is in the source map.
fn config_theme_span(sources: &SourceMap) -> Option<Span> {
    let file = sources.find(CONFIG_FILE)?;
    let index = LazyIndex::new(&sources.get(file).text);
    let range = index.locate(&[PathSeg::Key("theme".into())], Part::Value)?;
    Some(Span::new(file, range))
}

enum Manifest {
    /// No `theme.yaml`, or one without `extends`.
    Alone,
    Extends {
        parent: String,
        span: Span,
    },
    /// A problem was reported.
    Bad,
}

fn read_manifest(
    dir: &Path,
    name: &str,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Manifest {
    let path = dir.join(MANIFEST);
    let Ok(bytes) = std::fs::read(&path) else {
        return Manifest::Alone;
    };
    let rel = format!("themes/{name}/{MANIFEST}");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let file = sources.add(rel, path, text);
    parse_manifest(file, sources, diags)
}

fn parse_manifest(file: FileId, sources: &SourceMap, diags: &mut Vec<Diagnostic>) -> Manifest {
    let text = &sources.get(file).text;
    let cx = ErrorContext {
        code: "bad-theme",
        what: MANIFEST,
        invalid: "theme.yaml is not valid YAML",
        syntax_label: "here",
        syntax_help: "theme.yaml is a YAML mapping, such as `extends: default`",
        file,
        base: 0,
    };
    let value = match yaml::parse_value(text) {
        Ok(v) => v,
        Err(errors) => {
            diags.extend(errors.iter().map(|e| e.to_diagnostic(&cx)));
            return Manifest::Bad;
        }
    };
    let index = LazyIndex::new(text);
    let span_of = |key: &str, part: Part| {
        let range = index.locate(&[PathSeg::Key(key.into())], part);
        Span::new(file, range.unwrap_or(0..1))
    };
    let map = match value {
        serde_norway::Value::Null => return Manifest::Alone,
        serde_norway::Value::Mapping(m) => m,
        _ => {
            diags.push(
                Diagnostic::error("bad-theme", "theme.yaml is not a mapping")
                    .at(Span::new(file, 0..text.len().min(1)), "here")
                    .help(cx.syntax_help),
            );
            return Manifest::Bad;
        }
    };
    let mut bad = false;
    let mut parent = None;
    for (k, v) in &map {
        let key = k.as_str().unwrap_or_default();
        match (key, v) {
            ("extends", serde_norway::Value::String(s)) => parent = Some(s.clone()),
            ("description", serde_norway::Value::String(_)) => {}
            ("extends" | "description", _) => {
                bad = true;
                diags.push(
                    Diagnostic::error("bad-theme", format!("`{key}` must be text"))
                        .at(span_of(key, Part::Value), "not text")
                        .help(if key == "extends" {
                            "name the theme this one extends, such as `extends: default`"
                        } else {
                            "describe the theme in a line of text"
                        }),
                );
            }
            _ => {
                bad = true;
                let help = match did_you_mean(key, MANIFEST_KEYS.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("theme.yaml knows: {}", MANIFEST_KEYS.join(", ")),
                };
                diags.push(
                    Diagnostic::error("bad-theme", format!("unknown key `{key}` in theme.yaml"))
                        .at(span_of(key, Part::Key), "unknown key")
                        .help(help),
                );
            }
        }
    }
    match (bad, parent) {
        (true, _) => Manifest::Bad,
        (false, None) => Manifest::Alone,
        (false, Some(parent)) => Manifest::Extends {
            parent,
            span: span_of("extends", Part::Value),
        },
    }
}
