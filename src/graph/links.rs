//! Classifying link destinations written in Markdown.
//!
//! Destinations editors write, and what they mean:
//! ```text
//! @/countries/peru/_index.md#x   a source file under content/ (checked, rewritten to its URL)
//! ../peru/_index.md              a relative .md link (checked, rewritten)
//! #anchor                        an anchor on the same page (checked)
//! /countries/peru/               a root-relative URL (checked against pages and files)
//! https://…, mailto:…, //host    external (left alone)
//! img/logo.png                   a relative file (left alone)
//! ```

/// What a link destination points at. Paths and anchors are percent-decoded (`with%20space.md`
/// names `with space.md`, `@/hash%23tag.md` names `hash#tag.md`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// Another site or scheme.
    External,
    /// A content source file (already made relative to `content/`).
    Source {
        /// Path under `content/`.
        path: String,
        /// Anchor, if any.
        anchor: Option<String>,
    },
    /// `#anchor` on the same page.
    SamePage(String),
    /// A root-relative URL path.
    Root {
        /// The path (without anchor).
        path: String,
        /// Anchor, if any.
        anchor: Option<String>,
    },
    /// A relative link to a non-Markdown file.
    Relative,
}

/// Percent-decodes `s`; text that does not decode to UTF-8 is kept as written.
fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map_or_else(|_| s.to_string(), |d| d.into_owned())
}

/// Classifies `dest` written in the page at `page_rel` (path under `content/`).
pub fn classify_link(dest: &str, page_rel: &str) -> LinkTarget {
    if dest.starts_with("//") || has_scheme(dest) {
        return LinkTarget::External;
    }
    if let Some(anchor) = dest.strip_prefix('#') {
        return LinkTarget::SamePage(decode(anchor));
    }
    // The first literal `#` starts the anchor; an encoded `%23` belongs to the path.
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (decode(p), Some(decode(a))),
        None => (decode(dest), None),
    };
    if let Some(src) = path.strip_prefix("@/") {
        return LinkTarget::Source {
            path: src.to_string(),
            anchor,
        };
    }
    if path.starts_with('/') {
        return LinkTarget::Root { path, anchor };
    }
    if path.ends_with(".md") {
        let base = page_rel.rsplit_once('/').map_or("", |(dir, _)| dir);
        return LinkTarget::Source {
            path: normalize(base, &path),
            anchor,
        };
    }
    LinkTarget::Relative
}

/// The URL schemes a link, an image or a `text` field may use. Anything else (`javascript:`,
/// `data:`, `vbscript:`, `file:`) is refused: a link is the one place where Markdown can run
/// script, even with raw HTML turned off.
pub const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// The scheme of `dest`, lowercased, when it has one that is not in [`ALLOWED_SCHEMES`].
/// Browsers ignore leading spaces and control characters and any tab or newline inside a URL
/// (`java\tscript:` runs), so those are dropped before the scheme is read.
pub fn disallowed_scheme(dest: &str) -> Option<String> {
    // The common case without building a copy: a scheme-less or plainly web destination.
    let head = dest.as_bytes().first().copied().unwrap_or(b'/');
    if matches!(head, b'/' | b'#' | b'@' | b'.' | b'?')
        || dest.starts_with("https://")
        || dest.starts_with("http://")
    {
        return None;
    }
    let cleaned: String = dest
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take_while(|c| *c != '/' && *c != '?' && *c != '#')
        .collect();
    if !has_scheme(&cleaned) {
        return None;
    }
    let scheme = cleaned.split(':').next()?.to_ascii_lowercase();
    (!ALLOWED_SCHEMES.contains(&scheme.as_str())).then_some(scheme)
}

fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Joins a relative path onto a folder, resolving `.` and `..` (never above the root).
fn normalize(base: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_each_kind() {
        let page = "countries/peru/fy2010/a.md";
        assert_eq!(classify_link("https://x.org", page), LinkTarget::External);
        assert_eq!(classify_link("mailto:a@b", page), LinkTarget::External);
        assert_eq!(classify_link("//cdn", page), LinkTarget::External);
        assert_eq!(
            classify_link("#p9", page),
            LinkTarget::SamePage("p9".into())
        );
        assert_eq!(
            classify_link("@/sources/state-032018.md#p9", page),
            LinkTarget::Source {
                path: "sources/state-032018.md".into(),
                anchor: Some("p9".into())
            }
        );
        assert_eq!(
            classify_link("../_index.md", page),
            LinkTarget::Source {
                path: "countries/peru/_index.md".into(),
                anchor: None
            }
        );
        assert_eq!(
            classify_link("./b.md#x", page),
            LinkTarget::Source {
                path: "countries/peru/fy2010/b.md".into(),
                anchor: Some("x".into())
            }
        );
        assert_eq!(
            classify_link("/countries/", page),
            LinkTarget::Root {
                path: "/countries/".into(),
                anchor: None
            }
        );
        assert_eq!(classify_link("logo.png", page), LinkTarget::Relative);
    }

    #[test]
    fn only_web_mail_and_phone_schemes_are_allowed() {
        for ok in [
            "https://x.org",
            "HTTP://x.org",
            "mailto:a@b",
            "tel:+1",
            "/a/",
            "a.md",
            "#x",
            "@/a.md",
            "a/b:c",
            "?q=a:b",
        ] {
            assert_eq!(disallowed_scheme(ok), None, "{ok}");
        }
        for (bad, scheme) in [
            ("javascript:alert(1)", "javascript"),
            ("JavaScript:alert(1)", "javascript"),
            (" \u{1}javascript:x", "javascript"),
            ("java\tscript:x", "javascript"),
            ("data:text/html,x", "data"),
            ("vbscript:x", "vbscript"),
            ("file:///etc/passwd", "file"),
        ] {
            assert_eq!(disallowed_scheme(bad).as_deref(), Some(scheme), "{bad}");
        }
    }

    #[test]
    fn destinations_are_percent_decoded() {
        // D23: `[a](with%20space.md)` was a broken link, and a file named `hash#tag.md`
        // could not be linked at all.
        let page = "a/b.md";
        assert_eq!(
            classify_link("with%20space.md", page),
            LinkTarget::Source {
                path: "a/with space.md".into(),
                anchor: None
            }
        );
        assert_eq!(
            classify_link("@/hash%23tag.md#x%20y", page),
            LinkTarget::Source {
                path: "hash#tag.md".into(),
                anchor: Some("x y".into())
            }
        );
        assert_eq!(
            classify_link("/files/a%20b.pdf", page),
            LinkTarget::Root {
                path: "/files/a b.pdf".into(),
                anchor: None
            }
        );
        assert_eq!(
            classify_link("@/bad%ff.md", page),
            LinkTarget::Source {
                path: "bad%ff.md".into(),
                anchor: None
            }
        );
    }

    #[test]
    fn parent_links_stop_at_the_root() {
        assert_eq!(normalize("a", "../../../b.md"), "b.md");
    }
}
