//! Aliases: old URLs of a page (`aliases: [old/path]` in its front matter), each published as
//! a redirect page to the page's URL so links into the site keep working after a rename.
//!
//! An alias is written like a URL path: `countries/peru/fy2010` or `/countries/peru/fy2010/`
//! (a folder, published as `countries/peru/fy2010/index.html`), or `old/page.html` (a file,
//! published under that name). Aliases are normalized to URL paths (`/countries/peru/fy2010/`,
//! `/old/page.html`) as they are read, so two spellings of one URL are one alias.

use std::collections::HashMap;

use crate::content::front_span_at;
use crate::content::model::Page;
use crate::diag::{Diagnostic, SourceMap};
use crate::yaml::PathSeg;

/// Why an alias is not a URL path majors can publish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadAlias {
    /// Empty, or `/` (the home page).
    Empty,
    /// `https://…`, `//host/…`, `mailto:…`.
    NotAPath,
    /// `?query` or `#anchor`.
    QueryOrAnchor,
    /// `.` or `..` segments, or `a//b`.
    BadSegment,
    /// A segment starting with `.` (hidden files, majors' own `.majors-manifest`).
    Hidden,
    /// A segment over 200 bytes or a path over 1,000 (file systems refuse such names).
    TooLong,
    /// A space, a backslash, a control character, `%` or a character that needs escaping.
    BadCharacter(char),
}

impl BadAlias {
    /// What is wrong, for the diagnostic's label.
    pub fn reason(self) -> String {
        match self {
            BadAlias::Empty => {
                "an alias names a page's old path; this names none (`/` is the home page)".into()
            }
            BadAlias::Hidden => "a segment starting with `.` is never published".into(),
            BadAlias::TooLong => "too long for a file name (at most 200 bytes a segment)".into(),
            BadAlias::NotAPath => "an alias is a path on this site, not a full URL".into(),
            BadAlias::QueryOrAnchor => "an alias is a path, without `?` or `#`".into(),
            BadAlias::BadSegment => "`.`, `..` and empty segments are not allowed".into(),
            BadAlias::BadCharacter(c) => format!("{c:?} is not allowed in an alias"),
        }
    }
}

/// The URL path of an alias as written (see the module documentation).
pub fn normalize(raw: &str) -> Result<String, BadAlias> {
    let raw = raw.trim();
    if raw.starts_with("//") || raw.contains(':') {
        return Err(BadAlias::NotAPath);
    }
    if raw.contains(['?', '#']) {
        return Err(BadAlias::QueryOrAnchor);
    }
    if let Some(c) = raw.chars().find(|&c| {
        c.is_whitespace() || c.is_control() || matches!(c, '\\' | '%' | '"' | '<' | '>' | '\'')
    }) {
        return Err(BadAlias::BadCharacter(c));
    }
    let path = raw.trim_matches('/');
    if path.is_empty() {
        return Err(BadAlias::Empty);
    }
    if path
        .split('/')
        .any(|s| s.is_empty() || s == "." || s == "..")
    {
        return Err(BadAlias::BadSegment);
    }
    // `.majors-manifest`, `.git`: majors' own files and hidden folders are not published.
    if path.split('/').any(|s| s.starts_with('.')) {
        return Err(BadAlias::Hidden);
    }
    if path.split('/').any(|s| s.len() > 200) || path.len() > 1000 {
        return Err(BadAlias::TooLong);
    }
    let file = path
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'));
    Ok(if file {
        format!("/{path}")
    } else {
        format!("/{path}/")
    })
}

/// The file an alias's redirect page is written to, relative to the output folder.
pub fn output_file(url: &str) -> String {
    let path = url.trim_start_matches('/');
    if url.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// The redirect page published at an alias: a meta refresh to `target` (root-relative, so it
/// works wherever the site is served) and `rel=canonical` to `canonical` (absolute).
pub fn redirect_page(lang: &str, title: &str, target: &str, canonical: &str) -> String {
    use crate::render::markdown::{escape_attr as attr, escape_text};
    let (title, target, canonical) = (escape_text(title), attr(target), attr(canonical));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Moved: {title}</title>\n<meta name=\"robots\" content=\"noindex\">\n\
         <link rel=\"canonical\" href=\"{canonical}\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n\
         <p>This page has moved to <a href=\"{target}\">{title}</a>.</p>\n</body>\n</html>\n",
        lang = attr(lang),
    )
}

/// Reports every alias that is a page's URL or another alias (of the same page or another),
/// naming both files. URLs are compared by the file they are published as (`/a/index.html`
/// is `/a/`), so `check::outputs` leaves aliases and pages to this check.
pub fn check_collisions(pages: &[Page], sources: &SourceMap, diags: &mut Vec<Diagnostic>) {
    let by_url: HashMap<String, &Page> = pages.iter().map(|p| (p.url.output_file(), p)).collect();
    let mut by_alias: HashMap<String, (&Page, usize)> = HashMap::new();
    for page in pages.iter().filter(|p| !p.front.aliases.is_empty()) {
        for a in &page.front.aliases {
            let (alias, i) = (&a.url, a.index);
            let at = front_span_at(page, sources, &alias_path(i));
            let file = output_file(alias);
            if let Some(owner) = by_url.get(&file) {
                let whose = if owner.rel_path == page.rel_path {
                    "this page's own URL".to_string()
                } else {
                    format!("the URL of `content/{}`", owner.rel_path)
                };
                diags.push(
                    Diagnostic::error(
                        "alias-collision",
                        format!(
                            "the alias `{alias}` of `content/{}` is {whose}",
                            page.rel_path
                        ),
                    )
                    .at(at, format!("`{alias}` is {whose}"))
                    .help("remove the alias: a page's URL cannot also redirect"),
                );
            } else if let Some((first, j)) = by_alias.get(&file) {
                let related = front_span_at(first, sources, &alias_path(*j));
                let (message, help) = if first.rel_path == page.rel_path {
                    (
                        format!("`content/{}` has the alias `{alias}` twice", page.rel_path),
                        "remove one of the two",
                    )
                } else {
                    (
                        format!(
                            "`content/{}` and `content/{}` both have the alias `{alias}`",
                            first.rel_path, page.rel_path
                        ),
                        "an old URL can redirect to one page only; keep the alias on the page that replaces it",
                    )
                };
                diags.push(
                    Diagnostic::error("alias-collision", message)
                        .at(at, "an alias of this page")
                        .with_related(related, "the same alias here")
                        .help(help),
                );
            } else {
                by_alias.insert(file, (page, i));
            }
        }
    }
}

/// The front matter path of a page's `i`th alias.
pub fn alias_path(i: usize) -> [PathSeg; 2] {
    [PathSeg::Key("aliases".into()), PathSeg::Index(i)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_normalized_to_url_paths() {
        assert_eq!(
            normalize("countries/peru/fy2010").as_deref(),
            Ok("/countries/peru/fy2010/")
        );
        assert_eq!(normalize("/a/b/").as_deref(), Ok("/a/b/"));
        assert_eq!(normalize("old/page.html").as_deref(), Ok("/old/page.html"));
        assert_eq!(output_file("/a/b/"), "a/b/index.html");
        assert_eq!(output_file("/old/page.html"), "old/page.html");
    }

    #[test]
    fn aliases_outside_the_site_or_with_odd_segments_are_refused() {
        assert_eq!(normalize("https://x.org/a"), Err(BadAlias::NotAPath));
        assert_eq!(normalize("//x.org/a"), Err(BadAlias::NotAPath));
        assert_eq!(normalize("/"), Err(BadAlias::Empty));
        assert_eq!(normalize("a/../b"), Err(BadAlias::BadSegment));
        assert_eq!(normalize("a//b"), Err(BadAlias::BadSegment));
        assert_eq!(normalize("a/b?x=1"), Err(BadAlias::QueryOrAnchor));
        assert_eq!(normalize("a b"), Err(BadAlias::BadCharacter(' ')));
        assert_eq!(normalize("a\\b"), Err(BadAlias::BadCharacter('\\')));
        assert_eq!(normalize(".majors-manifest"), Err(BadAlias::Hidden));
        assert_eq!(normalize("x/.git"), Err(BadAlias::Hidden));
        assert_eq!(normalize(&"a".repeat(300)), Err(BadAlias::TooLong));
    }

    #[test]
    fn the_redirect_page_escapes_what_it_shows() {
        let html = redirect_page("en", "A & <B>", "/a/", "https://x.org/a/");
        assert!(html.contains("<title>Moved: A &amp; &lt;B&gt;</title>"));
        assert!(html.contains("<link rel=\"canonical\" href=\"https://x.org/a/\">"));
        assert!(html.contains("content=\"0; url=/a/\""));
    }
}
