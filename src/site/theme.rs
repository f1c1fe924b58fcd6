//! Themes: the site's `themes/<name>/` folders, or the default theme built into the binary.
//!
//! A theme has `templates/` and `static/`, and may extend another theme (`extends:` in its
//! `theme.yaml`, see [`chain`]): its files override those of the theme it extends. The site's
//! own `templates/` and `static/` override every theme's. The default theme is embedded so that
//! any site builds without copying it; a `themes/default/` folder in the site takes precedence.

use std::path::Path;

use include_dir::{include_dir, Dir};

use crate::content::load::{load_templates, walk_files, Boundary, LoadError};
use crate::diag::{Diagnostic, SourceMap};
use crate::file_bytes::FileBytes;
use crate::render::templates::TemplateSource;

mod chain;
use chain::Layer;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Templates and static files of the theme plus the site's overrides.
#[derive(Debug, Default)]
pub struct ThemeFiles {
    /// Templates, theme first, then site overrides (later wins).
    pub templates: Vec<TemplateSource>,
    /// Static files, sorted by output path (site `static/` overrides theme `static/`).
    pub statics: Vec<StaticFile>,
}

/// A file copied to the output as it is.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Output path, `/`-separated.
    pub output: String,
    /// Where it comes from, for diagnostics (`static/logo.png`, `themes/x/static/site.css`).
    pub source: String,
    /// Its bytes.
    pub bytes: FileBytes,
}

/// Loads the theme named `theme`, the themes it extends, and the site's overrides. `None`
/// when the theme chain has a problem (reported into `diags`): nothing can be rendered then.
pub fn load_theme(
    root: &Path,
    bounds: &Boundary,
    theme: &str,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<ThemeFiles>, LoadError> {
    let Some(layers) = chain::resolve_chain(root, theme, sources, diags) else {
        return Ok(None);
    };
    let mut out = ThemeFiles::default();
    for layer in &layers {
        match layer {
            Layer::Embedded => embedded_theme(sources, &mut out),
            Layer::Folder(name) => {
                let dir = root.join("themes").join(name);
                let label = format!("themes/{name}");
                load_folder(&dir, &label, bounds, sources, diags, &mut out)?;
            }
        }
    }
    load_folder(root, "", bounds, sources, diags, &mut out)?;
    // Later entries (the site's, then each theme's over the one it extends) override
    // earlier ones.
    let mut seen = std::collections::HashSet::new();
    let mut statics: Vec<StaticFile> = out
        .statics
        .into_iter()
        .rev()
        .filter(|f| seen.insert(f.output.clone()))
        .collect();
    statics.sort_by(|a, b| a.output.cmp(&b.output));
    out.statics = statics;
    Ok(Some(out))
}

/// The `templates/` and `static/` of `dir`, shown in diagnostics under `label` (empty for
/// the site's own).
fn load_folder(
    dir: &Path,
    label: &str,
    bounds: &Boundary,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
    out: &mut ThemeFiles,
) -> Result<(), LoadError> {
    let shown = |sub: &str| {
        if label.is_empty() {
            sub.to_string()
        } else {
            format!("{label}/{sub}")
        }
    };
    let templates = load_templates(
        &dir.join("templates"),
        &shown("templates"),
        bounds,
        sources,
        diags,
    )?;
    out.templates.extend(
        templates
            .into_iter()
            .map(|(name, file)| TemplateSource { name, file }),
    );
    read_statics(
        &dir.join("static"),
        &shown("static"),
        bounds,
        &mut out.statics,
        diags,
    )
}

fn read_statics(
    dir: &Path,
    label: &str,
    bounds: &Boundary,
    out: &mut Vec<StaticFile>,
    diags: &mut Vec<Diagnostic>,
) -> Result<(), LoadError> {
    if !dir.is_dir() {
        return Ok(());
    }
    for (abs, rel) in walk_files(dir, label, bounds, diags)? {
        let bytes = std::fs::read(&abs).map_err(|source| LoadError::Read {
            path: abs.clone(),
            source,
        })?;
        out.push(StaticFile {
            source: format!("{label}/{rel}"),
            output: rel,
            bytes: FileBytes::plain(bytes),
        });
    }
    Ok(())
}

fn embedded_theme(sources: &mut SourceMap, out: &mut ThemeFiles) {
    fn walk(dir: &Dir<'static>, files: &mut Vec<(&'static Path, &'static [u8])>) {
        for f in dir.files() {
            files.push((f.path(), f.contents()));
        }
        for d in dir.dirs() {
            walk(d, files);
        }
    }
    let mut files = Vec::new();
    walk(&DEFAULT_THEME, &mut files);
    files.sort_by_key(|(p, _)| p.to_path_buf());
    for (path, bytes) in files {
        let rel = path.to_string_lossy().replace('\\', "/");
        if let Some(name) = rel.strip_prefix("templates/") {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let file = sources.add(format!("(built-in theme)/{rel}"), path.to_path_buf(), text);
            out.templates.push(TemplateSource {
                name: name.to_string(),
                file,
            });
        } else if let Some(name) = rel.strip_prefix("static/") {
            out.statics.push(StaticFile {
                output: name.to_string(),
                source: format!("(built-in theme)/{rel}"),
                bytes: FileBytes::plain(bytes.to_vec()),
            });
        }
    }
}
