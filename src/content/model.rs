//! Plain data for pages: ids, slugs, front matter and field values. No I/O here.

use std::ops::Range;

use indexmap::IndexMap;

use crate::diag::FileId;
use crate::yaml::PathSeg;

/// Index of a page in `Site::pages`; assigned in sorted path order, so stable across builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageId(pub u32);

impl PageId {
    /// As a vector index.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A URL path such as `/countries/peru/` (always starts and ends with `/`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UrlPath(pub String);

impl UrlPath {
    /// This URL, followed by `#anchor` when there is one.
    pub fn with_anchor(&self, anchor: Option<&str>) -> String {
        match anchor {
            Some(a) => format!("{}#{a}", self.0),
            None => self.0.clone(),
        }
    }

    /// The output file for this URL, relative to the output dir (`countries/peru/index.html`).
    pub fn output_file(&self) -> String {
        format!("{}index.html", self.0.trim_start_matches('/'))
    }

    /// The path as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// Ascending `weight`, then title.
    #[default]
    Weight,
    /// Oldest `date` first (chronological), then title.
    Date,
    /// Title, case-insensitively.
    Title,
}

impl SortBy {
    /// The name `sort_by` takes in front matter.
    pub fn as_str(self) -> &'static str {
        match self {
            SortBy::Weight => "weight",
            SortBy::Date => "date",
            SortBy::Title => "title",
        }
    }
}

/// A value of a typed field, validated against its declaration.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    /// `string` or `text`.
    Str(String),
    /// `integer`.
    Int(i64),
    /// `number`.
    Num(f64),
    /// `bool`.
    Bool(bool),
    /// `date` (`YYYY-MM-DD`, kept as written).
    Date(String),
    /// `enum`.
    Enum(String),
    /// `reference` or `citation`.
    Ref(RefValue),
    /// `list`.
    List(Vec<FieldValue>),
}

/// A reference as written: `convention/article-3#3-1-a`.
#[derive(Debug, Clone, PartialEq)]
pub struct RefValue {
    /// Target id (path-derived or declared).
    pub id: String,
    /// Optional anchor.
    pub anchor: Option<String>,
    /// Where the value sits in the front matter (for diagnostics).
    pub path: Vec<PathSeg>,
    /// Required target type, if the field declares one.
    pub to: Option<String>,
    /// True for citations (an anchor is required).
    pub citation: bool,
}

/// An old URL of a page (`aliases:` in its front matter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// The URL path (normalized by `content::aliases::normalize`).
    pub url: String,
    /// Its place in the `aliases:` list as written (for diagnostics).
    pub index: usize,
}

/// Parsed front matter: the common keys plus the typed fields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    /// Title (required).
    pub title: String,
    /// A shorter title for navigation (the sidebar, previous/next); the title when absent.
    pub short_title: Option<String>,
    /// Short summary.
    pub description: Option<String>,
    /// Declared id.
    pub id: Option<String>,
    /// Slug override.
    pub slug: Option<String>,
    /// Declared type.
    pub type_name: Option<String>,
    /// Sort weight.
    pub weight: i64,
    /// Date (`YYYY-MM-DD`).
    pub date: Option<String>,
    /// Last update (`YYYY-MM-DD`).
    pub updated: Option<String>,
    /// Draft pages are skipped unless `--drafts`.
    pub draft: bool,
    /// Template override.
    pub template: Option<String>,
    /// Section ordering.
    pub sort_by: SortBy,
    /// Old URLs that redirect here.
    pub aliases: Vec<Alias>,
    /// Typed fields in the order of the type's declaration.
    pub fields: IndexMap<String, FieldValue>,
}

/// Where a page came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A Markdown file.
    File,
    /// Generated from another page by a `generate:` rule (index into `Config::generate`).
    Generated {
        /// The page it was generated from.
        source: PageId,
        /// The rule.
        rule: usize,
    },
}

/// One page of the site.
#[derive(Debug, Clone)]
pub struct Page {
    /// Its source file.
    pub file: FileId,
    /// Path under `content/`, `/`-separated (`countries/peru/_index.md`).
    pub rel_path: String,
    /// Path-derived id (`countries/peru`; the home page is `index`).
    pub key: String,
    /// True for `_index.md`.
    pub is_section: bool,
    /// Parsed front matter (shared: rebuilds reuse it without copying).
    pub front: std::sync::Arc<FrontMatter>,
    /// Byte range of the YAML inside the file.
    pub front_range: Range<usize>,
    /// Where the Markdown body starts in the file (it runs to the end of the text); `None`
    /// when the front matter could not be split off, and then no body is rendered. Not a
    /// range: an edit of the body alone leaves the page as it was.
    pub body_start: Option<usize>,
    /// Resolved type (declared or folder default).
    pub type_name: Option<String>,
    /// Its URL.
    pub url: UrlPath,
    /// Nearest enclosing section.
    pub parent: Option<PageId>,
    /// For sections: pages directly inside, sorted.
    pub pages: Vec<PageId>,
    /// For sections: subsections directly inside, sorted.
    pub subsections: Vec<PageId>,
    /// File or generated.
    pub origin: Origin,
}

impl Page {
    /// The id other pages use: the declared id, else the path-derived one.
    pub fn public_id(&self) -> &str {
        self.front.id.as_deref().unwrap_or(&self.key)
    }

    /// The byte range of the Markdown body in `text`, the page's file text.
    pub fn body_range(&self, text: &str) -> Range<usize> {
        match self.body_start {
            Some(start) => start.min(text.len())..text.len(),
            None => 0..0,
        }
    }
}

/// Turns text into a URL- and id-safe slug: ASCII-transliterated, lowercase, `-` between words.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut out = String::with_capacity(ascii.len());
    let mut dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else if c == '_' || c == '.' {
            // Keep `3.1` distinguishable from `31` and `snake_case` readable.
            if !out.is_empty() {
                dash = true;
            }
        } else {
            dash = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_and_dashed() {
        assert_eq!(slugify("Año nuevo"), "ano-nuevo");
        assert_eq!(slugify("  Money laundering!  "), "money-laundering");
        assert_eq!(slugify("Article 3.1(a)"), "article-3-1-a");
        assert_eq!(slugify("file with space"), "file-with-space");
        assert_eq!(slugify("¶9"), "p9");
        assert_eq!(slugify("---"), "");
    }

    #[test]
    fn output_file_of_url() {
        assert_eq!(UrlPath("/".into()).output_file(), "index.html");
        assert_eq!(UrlPath("/a/b/".into()).output_file(), "a/b/index.html");
    }
}
