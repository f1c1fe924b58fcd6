//! Templates: the minijinja environment, template lookup, and page rendering.
//!
//! The theme's `templates/` are loaded first and the site's `templates/` override them file by
//! file. Every template is compiled up front so a syntax error anywhere is reported at once.
//! Rendering uses semi-strict undefined handling: printing or iterating an undefined value is
//! an error reported against the template file and line (testing it in `{% if %}` is fine).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use minijinja::value::Value;
use minijinja::{Environment, ErrorKind, UndefinedBehavior};

use crate::content::model::{Origin, Page, PageId};
use crate::diag::{Diagnostic, FileId, SourceMap, Span};
use crate::render::views::markdown_filter;
use crate::site_data::SiteData;

/// A template file: its name (`page.html`) and where it came from.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// Name used in `{% extends %}` and template lookups.
    pub name: String,
    /// Its file in the source map.
    pub file: FileId,
}

/// The compiled templates.
pub struct Templates {
    env: Environment<'static>,
    files: HashMap<String, FileId>,
    /// Ids the templates write literally (`<main id="main">`), which a heading must not take.
    literal_ids: HashSet<String>,
}

/// The literal values of `id="…"` attributes in a template (ids built from expressions are
/// left out: they are not known before rendering).
fn literal_ids(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices("id=\"").filter_map(move |(i, m)| {
        let before = text[..i].chars().next_back();
        let rest = &text[i + m.len()..];
        let value = &rest[..rest.find('"')?];
        let plain = before.is_none_or(char::is_whitespace)
            && !value.is_empty()
            && !value.contains(['{', '\'', '<', ' ']);
        plain.then_some(value)
    })
}

impl Templates {
    /// Compiles every template; later entries override earlier ones with the same name.
    pub fn compile(
        sources: &SourceMap,
        templates: &[TemplateSource],
        debug: bool,
    ) -> (Self, Vec<Diagnostic>) {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
        env.set_debug(debug);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        // Python-style string and list methods (`s.startswith(…)`), as template authors expect.
        env.set_unknown_method_callback(minijinja_contrib::pycompat::unknown_method_callback);
        env.set_formatter(html_formatter);
        let mut files: BTreeMap<String, FileId> = BTreeMap::new();
        for t in templates {
            files.insert(t.name.clone(), t.file);
        }
        let mut diags = Vec::new();
        let mut ids = HashSet::new();
        for (name, file) in &files {
            let text = sources.get(*file).text.clone();
            ids.extend(literal_ids(&text).map(str::to_string));
            if let Err(e) = env.add_template_owned(name.clone(), text) {
                diags.push(template_diagnostic(&e, *file, sources, "template-syntax"));
            }
        }
        let files = files.into_iter().collect();
        let templates = Templates {
            env,
            files,
            literal_ids: ids,
        };
        (templates, diags)
    }

    /// Ids the templates write themselves.
    pub fn literal_ids(&self) -> &HashSet<String> {
        &self.literal_ids
    }

    /// True if a template with this name exists.
    pub fn has(&self, name: &str) -> bool {
        self.files.contains_key(name)
    }

    /// Installs the site-wide globals and functions.
    pub fn install_site(&mut self, site: &Arc<SiteData>) {
        self.env.add_global("site", site_value(site));
        // Confidence marks inside a value (a description, a string field): a badge in HTML, a
        // word where no markup can go (`<meta>` content, `title` attributes).
        let s = Arc::clone(site);
        self.env
            .add_filter("with_marks", move |v: Value| match v.as_str() {
                Some(text) => Value::from_safe_string(s.marks.with_badges(text)),
                None => v,
            });
        let s = Arc::clone(site);
        self.env
            .add_filter("marks_as_words", move |v: Value| match v.as_str() {
                Some(text) => Value::from(s.marks.in_words(text)),
                None => v,
            });
        let raw_html = site.config.markdown.allow_raw_html;
        let s = Arc::clone(site);
        self.env.add_filter("markdown", move |text: String| {
            markdown_filter(&s, &text, raw_html)
        });
        let s = Arc::clone(site);
        self.env.add_function(
            "get_page",
            move |id: String| -> Result<Value, minijinja::Error> {
                match s.index.by_id(&id) {
                    Some(pid) => Ok(s.page_value(pid)),
                    None => Err(minijinja::Error::new(
                        ErrorKind::InvalidOperation,
                        format!("get_page: no page with id `{id}`"),
                    )),
                }
            },
        );
        let s = Arc::clone(site);
        self.env
            .add_function("pages_of_type", move |t: String| s.pages_of_type(&t));
        let s = Arc::clone(site);
        self.env
            .add_function("recent_changes", move |days: Option<usize>| {
                s.recent_changes(days.unwrap_or(30))
            });
        let s = Arc::clone(site);
        self.env.add_function(
            "get_table",
            move |name: String| -> Result<Value, minijinja::Error> {
                s.table_value(&name).ok_or_else(|| {
                    minijinja::Error::new(
                        ErrorKind::InvalidOperation,
                        format!("get_table: no table `{name}` under `tables:` in site.yaml"),
                    )
                })
            },
        );
        let s = Arc::clone(site);
        self.env
            .add_function("changes", move |a: Value, b: Value, field: String| {
                s.changes(&a, &b, &field)
            });
        self.env
            .add_filter("long_date", |v: Value| match v.as_str() {
                Some(text) => Value::from(long_date(text)),
                None => v,
            });
        let s = Arc::clone(site);
        self.env
            .add_filter("group_by", move |pages: Vec<Value>, field: String| {
                s.group_by(&pages, &field)
            });
    }

    /// Which template renders a page: its front matter's `template:`, the home page's
    /// `index.html`, its type's `template:` in site.yaml, `<type>.html` if there is one, then
    /// `section.html` or `page.html`.
    pub fn template_for(&self, page: &Page, config: &crate::config::Config) -> String {
        if let Some(t) = &page.front.template {
            return t.clone();
        }
        if page.key == "index" && self.has("index.html") {
            return "index.html".into();
        }
        let declared = page
            .type_name
            .as_deref()
            .and_then(|t| config.types.get(t))
            .and_then(|d| d.template.clone());
        if let Some(t) = declared {
            return t;
        }
        if let Some(t) = page.type_name.as_deref() {
            let named = format!("{t}.html");
            if self.has(&named) {
                return named;
            }
        }
        if page.is_section {
            "section.html".into()
        } else {
            "page.html".into()
        }
    }

    /// Renders one page with its Markdown `content` and extra context.
    pub fn render_page(
        &self,
        site: &Arc<SiteData>,
        id: PageId,
        content: String,
        sources: &SourceMap,
    ) -> Result<String, Diagnostic> {
        let page = &site.pages[id.index()];
        let name = self.template_for(page, &site.config);
        let tmpl = self.env.get_template(&name).map_err(|e| {
            let span = crate::content::front_span(page, sources, "template");
            let help = match &page.front.template {
                Some(_) => "create the template in templates/ or fix `template:`".to_string(),
                None if declared_by_type(page, &site.config) => {
                    format!("create `templates/{name}`, or fix the type's `template:` in site.yaml")
                }
                None => format!("add `templates/{name}` to the site or theme"),
            };
            let label = if page.origin == Origin::File {
                "this page"
            } else {
                "generated from this page"
            };
            let _ = e;
            Diagnostic::error(
                "unknown-template",
                format!("template `{name}` does not exist"),
            )
            .at(span, label)
            .help(help)
        })?;
        let ctx = minijinja::context! {
            page => site.page_value(id),
            content => Value::from_safe_string(content),
        };
        tmpl.render(ctx).map_err(|e| self.error(&e, sources))
    }

    /// Renders a named template with a context (404, feeds).
    pub fn render_named(
        &self,
        name: &str,
        ctx: Value,
        sources: &SourceMap,
    ) -> Result<String, Diagnostic> {
        let tmpl = self
            .env
            .get_template(name)
            .map_err(|e| self.error(&e, sources))?;
        tmpl.render(ctx).map_err(|e| self.error(&e, sources))
    }

    fn error(&self, e: &minijinja::Error, sources: &SourceMap) -> Diagnostic {
        // The innermost error names the template and line where it happened.
        let mut inner: &minijinja::Error = e;
        while let Some(next) =
            std::error::Error::source(inner).and_then(|s| s.downcast_ref::<minijinja::Error>())
        {
            if next.name().is_none() {
                break;
            }
            inner = next;
        }
        match inner.name().and_then(|n| self.files.get(n)) {
            Some(file) => template_diagnostic(inner, *file, sources, "template-error"),
            None => Diagnostic::error(
                "template-error",
                format!("template error: {}", describe(inner)),
            )
            .help("fix the template named in the message"),
        }
    }
}

/// Escapes like minijinja's HTML escaping but leaves `/` alone: URLs stay readable and pages
/// smaller (`/` needs no escaping in HTML text or quoted attributes).
fn html_formatter(
    out: &mut minijinja::Output,
    state: &minijinja::State,
    value: &Value,
) -> Result<(), minijinja::Error> {
    if state.auto_escape() != minijinja::AutoEscape::Html
        || value.is_safe()
        || value.is_undefined()
        || value.is_none()
    {
        return minijinja::escape_formatter(out, state, value);
    }
    let text = match value.as_str() {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => std::borrow::Cow::Owned(value.to_string()),
    };
    out.write_str(&crate::render::marks::escape_html(&text))
        .map_err(|e| {
            minijinja::Error::new(ErrorKind::WriteFailure, "cannot write template output")
                .with_source(e)
        })
}

fn describe(e: &minijinja::Error) -> String {
    match e.detail() {
        Some(d) => format!("{}: {d}", e.kind()),
        None => e.kind().to_string(),
    }
}

fn template_diagnostic(
    e: &minijinja::Error,
    file: FileId,
    sources: &SourceMap,
    code: &'static str,
) -> Diagnostic {
    let src = sources.get(file);
    let range = match (e.range(), e.line()) {
        (Some(r), _) => r,
        (None, Some(line)) => {
            let start = src
                .line_starts()
                .get(line.saturating_sub(1))
                .copied()
                .unwrap_or(0);
            let end = src.text[start..]
                .find('\n')
                .map_or(src.text.len(), |i| start + i);
            start..end.max(start + 1)
        }
        (None, None) => 0..1,
    };
    let help = match e.kind() {
        ErrorKind::UndefinedError => "the variable or attribute is not defined here; check its name, or guard it with `{% if x is defined %}`",
        ErrorKind::SyntaxError => "fix the template syntax (unclosed `{% … %}` or `{{ … }}`, or a missing `{% end… %}`)",
        ErrorKind::UnknownFilter | ErrorKind::UnknownFunction | ErrorKind::UnknownTest => "check the name; majors adds the filters `markdown`, `with_marks`, `marks_as_words`, `long_date` and `group_by`, and the functions `get_page`, `pages_of_type`, `get_table` and `changes`",
        ErrorKind::TemplateNotFound => "create the template or fix its name",
        _ => "fix the template at this line",
    };
    Diagnostic::error(code, format!("template error: {}", describe(e)))
        .at(Span::new(file, range), e.kind().to_string())
        .help(help)
}

fn site_value(site: &Arc<SiteData>) -> Value {
    let c = &site.config;
    let nav: Vec<Value> = site
        .index
        .by_id("index")
        .map(|home| {
            site.pages[home.index()]
                .subsections
                .iter()
                .map(|id| site.page_value(*id))
                .collect()
        })
        .unwrap_or_default();
    let types: Vec<Value> = c
        .types
        .iter()
        .map(|(name, t)| {
            Value::from_iter([
                ("name", Value::from(name.as_str())),
                (
                    "label",
                    Value::from(t.label.clone().unwrap_or_else(|| name.clone())),
                ),
                (
                    "plural",
                    Value::from(t.plural.clone().unwrap_or_else(|| name.clone())),
                ),
            ])
        })
        .collect();
    Value::from_iter([
        ("title", Value::from(c.title.as_str())),
        ("description", Value::from(c.description.as_str())),
        ("base_url", Value::from(c.base())),
        ("language", Value::from(c.language.as_str())),
        ("repository", Value::from(c.repository.clone())),
        ("nav", Value::from(nav)),
        ("types", Value::from(types)),
        // When the newest page last changed: what the whole site is current to.
        ("content_as_of", Value::from(site.content_as_of())),
        (
            "home",
            site.index
                .by_id("index")
                .map_or(Value::from(()), |h| site.page_value(h)),
        ),
    ])
}

/// Whether the page's type names a template in site.yaml.
fn declared_by_type(page: &Page, config: &crate::config::Config) -> bool {
    page.type_name
        .as_deref()
        .and_then(|t| config.types.get(t))
        .is_some_and(|d| d.template.is_some())
}

/// `2009-04-02` as `2 April 2009` (English month names; a date and time such as
/// `2009-04-02T10:00Z` shows its date); anything that is not such a date is returned as it is.
pub fn long_date(text: &str) -> String {
    let day_of_time = text
        .get(..10)
        .filter(|_| text.as_bytes().get(10) == Some(&b'T'));
    let text = day_of_time.unwrap_or(text);
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let mut parts = text.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return text.to_string();
    };
    let month = m
        .parse::<usize>()
        .ok()
        .and_then(|m| MONTHS.get(m.checked_sub(1)?));
    match (
        y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()),
        month,
        d.parse::<u8>(),
    ) {
        (true, Some(month), Ok(day)) if d.len() == 2 && (1..=31).contains(&day) => {
            format!("{day} {month} {y}")
        }
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests;
