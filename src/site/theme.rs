//! Themes: the site's `themes/<name>/` folder, or the default theme built into the binary.
//!
//! A theme has `templates/` and `static/`. The site's own `templates/` and `static/` override
//! theme files of the same name. The default theme is embedded so that any site builds
//! without copying it; a `themes/default/` folder in the site takes precedence.

use std::path::Path;

use include_dir::{include_dir, Dir};

use crate::content::load::{load_templates, walk_files, Boundary, LoadError};
use crate::diag::{Diagnostic, SourceMap};
use crate::file_bytes::FileBytes;
use crate::render::templates::TemplateSource;

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

/// Loads the theme named `theme` and the site's overrides.
pub fn load_theme(
    root: &Path,
    bounds: &Boundary,
    theme: &str,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Result<ThemeFiles, LoadError> {
    let mut out = ThemeFiles::default();
    let theme_dir = root.join("themes").join(theme);
    if theme_dir.is_dir() {
        for (name, file) in load_templates(
            &theme_dir.join("templates"),
            &format!("themes/{theme}/templates"),
            bounds,
            sources,
            diags,
        )? {
            out.templates.push(TemplateSource { name, file });
        }
        let label = format!("themes/{theme}/static");
        read_statics(
            &theme_dir.join("static"),
            &label,
            bounds,
            &mut out.statics,
            diags,
        )?;
    } else if theme == "default" {
        embedded_theme(sources, &mut out);
    } else {
        return Err(LoadError::Read {
            path: theme_dir,
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "theme folder not found"),
        });
    }
    for (name, file) in
        load_templates(&root.join("templates"), "templates", bounds, sources, diags)?
    {
        out.templates.push(TemplateSource { name, file });
    }
    read_statics(
        &root.join("static"),
        "static",
        bounds,
        &mut out.statics,
        diags,
    )?;
    // Later entries (the site's) override earlier ones (the theme's).
    let mut seen = std::collections::HashSet::new();
    let mut statics: Vec<StaticFile> = out
        .statics
        .into_iter()
        .rev()
        .filter(|f| seen.insert(f.output.clone()))
        .collect();
    statics.sort_by(|a, b| a.output.cmp(&b.output));
    out.statics = statics;
    Ok(out)
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
