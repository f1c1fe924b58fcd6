//! The special spans of prose text: confidence marks (`[U]`, `[K]`) and the first mention of
//! each glossary term, found in one pass with an Aho-Corasick automaton built once per build.
//!
//! Searching each term separately after every match made a paragraph of many marks quadratic
//! (40,000 marks took minutes); one automaton scan per text run is linear in its length.

use aho_corasick::AhoCorasick;

use super::{escape_attr, escape_text, GlossaryTerm};
use crate::config::MarkDef;
use crate::content::model::PageId;
use crate::render::marks::badge;

/// The automaton over every mark and glossary term of a site.
pub struct Specials {
    automaton: Option<AhoCorasick>,
    /// The badge of each mark written in text, in pattern order (the first patterns).
    badges: Vec<String>,
    terms: Vec<GlossaryTerm>,
}

/// A special span found in a text run: its byte range and its HTML.
#[derive(Debug, PartialEq, Eq)]
pub struct Found {
    /// Start in the run.
    pub start: usize,
    /// End in the run.
    pub end: usize,
    /// What replaces it.
    pub html: String,
}

impl Specials {
    /// Builds the automaton for the site's confidence marks and `terms` (any order).
    pub fn new(marks: &[MarkDef], terms: &[GlossaryTerm]) -> Self {
        let written: Vec<&MarkDef> = marks
            .iter()
            .filter(|m| m.text.as_deref().is_some_and(|t| !t.is_empty()))
            .collect();
        let patterns = written.iter().filter_map(|m| m.text.as_deref()).chain(
            terms
                .iter()
                .map(|t| t.term.as_str())
                .filter(|p| !p.is_empty()),
        );
        Specials {
            automaton: AhoCorasick::new(patterns.collect::<Vec<_>>()).ok(),
            badges: written.iter().map(|m| badge(m)).collect(),
            terms: terms
                .iter()
                .filter(|t| !t.term.is_empty())
                .cloned()
                .collect(),
        }
    }

    /// The special spans of `text`, left to right and not overlapping: every mark, and each
    /// glossary term at its first whole-word mention on the page (`used` holds the terms
    /// already linked; a term is never linked on its own page). At one position a mark wins,
    /// then the longest term (`INL/PC` over `INL`).
    pub fn find(&self, text: &str, page: PageId, used: &mut Vec<bool>) -> Vec<Found> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        used.resize(self.terms.len(), false);
        let mut candidates: Vec<(usize, usize, usize)> = automaton
            .find_overlapping_iter(text)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        let marks = self.badges.len();
        candidates.sort_by_key(|&(s, e, p)| (s, p >= marks, std::cmp::Reverse(e - s), p));
        let mut out = Vec::new();
        let mut pos = 0;
        for (start, end, pattern) in candidates {
            if start < pos {
                continue;
            }
            let html = match pattern.checked_sub(marks) {
                None => self.badges[pattern].clone(),
                Some(ti) => {
                    let term = &self.terms[ti];
                    if term.page == page || used[ti] || !at_word_boundary(text, start, end) {
                        continue;
                    }
                    used[ti] = true;
                    format!(
                        "<a class=\"term\" href=\"{}\" title=\"{}\">{}</a>",
                        escape_attr(&term.url),
                        escape_attr(&term.expansion),
                        escape_text(&term.term)
                    )
                }
            };
            out.push(Found { start, end, html });
            pos = end;
        }
        out
    }
}

/// True when `text[start..end]` is a whole word: not part of a longer word, path or
/// hyphenated name.
fn at_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '/' && c != '-');
    boundary(text[..start].chars().next_back()) && boundary(text[end..].chars().next())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(t: &str, page: u32) -> GlossaryTerm {
        GlossaryTerm {
            term: t.into(),
            url: format!("/g/{}/", t.to_lowercase()),
            expansion: format!("{t} in full"),
            page: PageId(page),
        }
    }

    fn spans(s: &Specials, text: &str, page: u32) -> Vec<String> {
        let mut used = Vec::new();
        let found = s.find(text, PageId(page), &mut used);
        found
            .iter()
            .map(|f| text[f.start..f.end].to_string())
            .collect()
    }

    #[test]
    fn marks_and_first_whole_word_mentions() {
        let s = Specials::new(
            &crate::render::marks::sample_marks(),
            &[term("INL", 9), term("INL/PC", 9), term("GOP", 9)],
        );
        assert_eq!(
            spans(&s, "INL/PC and INL [U] then GOP, GOP [K]", 0),
            ["INL/PC", "INL", "[U]", "GOP", "[K]"]
        );
        // Not inside a word or a path, and never on the term's own page.
        assert!(spans(&s, "GOPX a/GOP GOP-x", 0).is_empty());
        assert_eq!(spans(&s, "GOP [U]", 9), ["[U]"]);
    }

    #[test]
    fn many_marks_are_linear() {
        let s = Specials::new(&crate::render::marks::sample_marks(), &[term("GOP", 9)]);
        let text = "claim [U] ".repeat(40_000);
        let mut used = Vec::new();
        assert_eq!(s.find(&text, PageId(0), &mut used).len(), 40_000);
    }
}
