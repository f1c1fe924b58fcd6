//! Confidence marks: `[U]` (uncertain: an inference or a disputed point) and `[K]` (background
//! knowledge, not checked against the source text), written right after the claim they qualify,
//! in a page body or inside a front matter value.
//!
//! A mark must survive wherever its claim is shown, so this module is the one place that says
//! how: as the same badge in HTML (the body, descriptions in lists and ledes, table cells, search
//! results and link previews, which `site.js` builds from the same markup), and as a word in
//! plain text that cannot hold markup (`<meta name="description">`, the Atom feed).

use super::markdown::escape_attr;

/// One confidence mark and how it shows.
#[derive(Debug)]
pub struct Mark {
    /// As written: `[U]`.
    pub text: &'static str,
    /// CSS class of the badge.
    pub class: &'static str,
    /// The badge's text.
    pub label: &'static str,
    /// The badge's tooltip.
    pub title: &'static str,
}

/// The marks, in the order the Markdown pass matches them.
pub const MARKS: &[Mark] = &[
    Mark {
        text: "[U]",
        class: "conf-u",
        label: "uncertain",
        title: "Uncertain: an inference or a disputed point; see the sources",
    },
    Mark {
        text: "[K]",
        class: "conf-k",
        label: "unverified",
        title: "Background knowledge, not checked against the source text",
    },
];

impl Mark {
    /// The badge's HTML.
    pub fn badge(&self) -> String {
        format!(
            "<span class=\"conf {}\" title=\"{}\">{}</span>",
            self.class, self.title, self.label
        )
    }
}

/// The next mark in `s`: (byte offset, mark).
fn next_mark(s: &str) -> Option<(usize, &'static Mark)> {
    MARKS
        .iter()
        .filter_map(|m| s.find(m.text).map(|i| (i, m)))
        .min_by_key(|(i, _)| *i)
}

/// Escapes text as the templates do (`&`, `<`, `>`, `"` and `'`), so a value reads the same
/// with or without the `with_marks` filter.
pub fn escape_html(s: &str) -> String {
    escape_attr(s).replace('\'', "&#x27;")
}

/// `s` as HTML text (escaped as the templates escape), with every mark as its badge.
pub fn with_badges(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some((i, m)) = next_mark(rest) {
        out.push_str(&escape_html(&rest[..i]));
        out.push_str(&m.badge());
        rest = &rest[i + m.text.len()..];
    }
    out.push_str(&escape_html(rest));
    out
}

/// `s` as plain text, every mark written as a word in parentheses (`… transit (uncertain)`).
pub fn in_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some((i, m)) = next_mark(rest) {
        out.push_str(&rest[..i]);
        out.push('(');
        out.push_str(m.label);
        out.push(')');
        rest = &rest[i + m.text.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_become_badges_or_words() {
        let s = "A transit country [U] & producer [K].";
        assert_eq!(
            with_badges(s),
            "A transit country <span class=\"conf conf-u\" title=\"Uncertain: an inference or a disputed point; see the sources\">uncertain</span> &amp; producer <span class=\"conf conf-k\" title=\"Background knowledge, not checked against the source text\">unverified</span>."
        );
        assert_eq!(
            in_words(s),
            "A transit country (uncertain) & producer (unverified)."
        );
        assert_eq!(in_words("none"), "none");
        assert_eq!(with_badges("<b> 'q'"), "&lt;b&gt; &#x27;q&#x27;");
    }
}
