//! Confidence marks, declared by the site (`markdown.marks` in `site.yaml`): a token written
//! right after the claim it qualifies (`[U]`), in a page body or inside a front matter value,
//! and the value of a `certainty` field it stands for.
//!
//! A mark must survive wherever its claim is shown, so this module is the one place that says
//! how: as the same badge in HTML (the body, descriptions in lists and ledes, table cells, search
//! results and link previews, which `site.js` builds from the marks the search index lists), and
//! as a word in plain text that cannot hold markup (`<meta name="description">`, the Atom feed).
//! A site that declares no marks has none: `[U]` is then just text.

use aho_corasick::{AhoCorasick, MatchKind};

use super::markdown::escape_attr;
use crate::config::MarkDef;

/// A site's marks, with one automaton over those written in text (built once per build, so a
/// value of many marks is scanned once: linear in its length).
#[derive(Debug, Default)]
pub struct Marks {
    /// Every declared mark, in declared order.
    all: Vec<MarkDef>,
    /// Indices into `all` of the marks written in text, in the automaton's pattern order.
    written: Vec<usize>,
    automaton: Option<AhoCorasick>,
}

impl Marks {
    /// The marks `defs` declares.
    pub fn new(defs: &[MarkDef]) -> Self {
        let written: Vec<usize> = (0..defs.len())
            .filter(|&i| defs[i].text.as_deref().is_some_and(|t| !t.is_empty()))
            .collect();
        let patterns: Vec<&str> = written
            .iter()
            .filter_map(|&i| defs[i].text.as_deref())
            .collect();
        let automaton = (!patterns.is_empty())
            .then(|| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(patterns)
                    .ok()
            })
            .flatten();
        Marks {
            all: defs.to_vec(),
            written,
            automaton,
        }
    }

    /// The marks written in text, in pattern order.
    pub fn written(&self) -> impl Iterator<Item = &MarkDef> {
        self.written.iter().map(|&i| &self.all[i])
    }

    /// The mark standing for a `certainty` field's value, if one is declared.
    pub fn for_value(&self, value: &str) -> Option<&MarkDef> {
        self.all.iter().find(|m| m.value.as_deref() == Some(value))
    }

    /// True when `s` holds a mark.
    pub fn any_in(&self, s: &str) -> bool {
        self.automaton.as_ref().is_some_and(|a| a.is_match(s))
    }

    /// Each mark in `s`: (start, end, mark), left to right, not overlapping.
    pub fn find_all<'a>(&'a self, s: &'a str) -> impl Iterator<Item = (usize, usize, &'a MarkDef)> {
        self.automaton.iter().flat_map(move |a| {
            a.find_iter(s).map(move |m| {
                let def = &self.all[self.written[m.pattern().as_usize()]];
                (m.start(), m.end(), def)
            })
        })
    }

    /// `s` as HTML text (escaped as the templates escape), with every mark as its badge.
    pub fn with_badges(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut at = 0;
        for (start, end, m) in self.find_all(s) {
            out.push_str(&escape_html(&s[at..start]));
            out.push_str(&badge(m));
            at = end;
        }
        out.push_str(&escape_html(&s[at..]));
        out
    }

    /// `s` as plain text, every mark written as a word in parentheses (`… transit (uncertain)`).
    pub fn in_words(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut at = 0;
        for (start, end, m) in self.find_all(s) {
            out.push_str(&s[at..start]);
            out.push('(');
            out.push_str(&m.label);
            out.push(')');
            at = end;
        }
        out.push_str(&s[at..]);
        out
    }
}

/// A mark's badge: `<span class="conf CLASS" title="TITLE">LABEL</span>`.
pub fn badge(m: &MarkDef) -> String {
    let class = match m.class.as_str() {
        "" => "conf".to_string(),
        c => format!("conf {}", escape_attr(c)),
    };
    let title = match m.title.as_str() {
        "" => String::new(),
        t => format!(" title=\"{}\"", escape_attr(t)),
    };
    format!(
        "<span class=\"{class}\"{title}>{}</span>",
        escape_html(&m.label)
    )
}

/// Escapes text as the templates do (`&`, `<`, `>`, `"` and `'`), so a value reads the same
/// with or without the `with_marks` filter.
pub fn escape_html(s: &str) -> String {
    escape_attr(s).replace('\'', "&#x27;")
}

/// Marks as the knowledge base declares them, for tests.
#[cfg(test)]
pub(crate) fn sample_marks() -> Vec<MarkDef> {
    let mark = |text: &str, value: &str, class: &str, label: &str, title: &str| MarkDef {
        text: Some(text.into()),
        value: Some(value.into()),
        class: class.into(),
        label: label.into(),
        title: title.into(),
    };
    vec![
        mark("[U]", "U", "conf-u", "uncertain", "Uncertain: an inference"),
        mark("[K]", "K", "conf-k", "unverified", "Background knowledge"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_become_badges_or_words() {
        let marks = Marks::new(&sample_marks());
        let s = "A transit country [U] & producer [K].";
        assert_eq!(
            marks.with_badges(s),
            "A transit country <span class=\"conf conf-u\" title=\"Uncertain: an inference\">uncertain</span> &amp; producer <span class=\"conf conf-k\" title=\"Background knowledge\">unverified</span>."
        );
        assert_eq!(
            marks.in_words(s),
            "A transit country (uncertain) & producer (unverified)."
        );
        assert_eq!(marks.in_words("none"), "none");
        assert_eq!(marks.with_badges("<b> 'q'"), "&lt;b&gt; &#x27;q&#x27;");
        assert_eq!(
            marks.for_value("K").map(|m| m.label.as_str()),
            Some("unverified")
        );
    }

    #[test]
    fn a_site_without_marks_keeps_the_text() {
        let none = Marks::new(&[]);
        assert_eq!(none.with_badges("claim [U]"), "claim [U]");
        assert!(!none.any_in("claim [U]"));
    }

    #[test]
    fn many_marks_are_found_in_one_pass() {
        let marks = Marks::new(&sample_marks());
        let s = "x [U]".repeat(40_000);
        assert_eq!(marks.find_all(&s).count(), 40_000);
        assert_eq!(marks.in_words(&s).matches("(uncertain)").count(), 40_000);
    }
}
