//! YAML for config and front matter: parsing (serde_norway) and locating keys and values.
//!
//! `serde_norway` gives a position only for syntax errors. For validation errors found later
//! (a wrong kind, an unknown key) we re-read the YAML with yaml-rust2's event parser, which
//! carries a marker on every event, and find the node at a path. That second pass runs only
//! when a diagnostic needs a position, so valid content pays nothing for it.

use std::ops::Range;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSeg {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
}

/// Which part of a mapping entry to locate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The key itself.
    Key,
    /// The value under the key (or the sequence item).
    Value,
}

/// A YAML syntax error with its byte offset in the parsed text.
#[derive(Debug)]
pub struct SyntaxError {
    /// Byte offset into the YAML text.
    pub offset: usize,
    /// serde_norway's message, without its own location suffix.
    pub message: String,
}

/// Parses YAML text into a generic value; a syntax error keeps its byte offset.
pub fn parse_value(text: &str) -> Result<serde_norway::Value, SyntaxError> {
    serde_norway::from_str(text).map_err(|e| syntax_error(&e, text))
}

/// Converts a serde_norway error into a located [`SyntaxError`].
pub fn syntax_error(e: &serde_norway::Error, text: &str) -> SyntaxError {
    let offset = e.location().map_or(0, |l| l.index()).min(text.len());
    let message = e.to_string();
    // serde_norway appends " at line N column M"; the diagnostic shows the position itself.
    let message = match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    SyntaxError { offset, message }
}

/// Finds the byte range of the node at `path` (its key or its value) in `text`.
pub fn locate(text: &str, path: &[PathSeg], part: Part) -> Option<Range<usize>> {
    let mut finder = Finder {
        target: path,
        part,
        stack: Vec::new(),
        found: None,
        pending_root: true,
    };
    let mut parser = Parser::new_from_str(text);
    // A parse error here means the text was not valid YAML; serde_norway reported that already.
    let _ = parser.load(&mut finder, false);
    let (start_char, len_chars) = finder.found?;
    let start = char_to_byte(text, start_char);
    let end = char_to_byte(text, start_char + len_chars.max(1));
    Some(start..end.max(start + 1).min(text.len().max(start)))
}

fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| i)
}

enum Frame {
    Map {
        path: Vec<PathSeg>,
        key: Option<String>,
    },
    Seq {
        path: Vec<PathSeg>,
        index: usize,
    },
}

struct Finder<'p> {
    target: &'p [PathSeg],
    part: Part,
    stack: Vec<Frame>,
    /// (start in chars, length in chars)
    found: Option<(usize, usize)>,
    pending_root: bool,
}

impl Finder<'_> {
    /// Called for every node. Returns the path of the node if it is a value (not a key).
    fn visit_node(
        &mut self,
        mark: Marker,
        len: usize,
        scalar: Option<&str>,
    ) -> Option<Vec<PathSeg>> {
        if self.pending_root {
            self.pending_root = false;
            return Some(Vec::new());
        }
        match self.stack.last_mut()? {
            Frame::Map { path, key } => match key.take() {
                None => {
                    let name = scalar.unwrap_or_default().to_string();
                    let mut key_path = path.clone();
                    key_path.push(PathSeg::Key(name.clone()));
                    if self.found.is_none() && self.part == Part::Key && key_path == self.target {
                        self.found = Some((mark.index(), len));
                    }
                    *key = Some(name);
                    None
                }
                Some(name) => {
                    let mut p = path.clone();
                    p.push(PathSeg::Key(name));
                    Some(p)
                }
            },
            Frame::Seq { path, index } => {
                let mut p = path.clone();
                p.push(PathSeg::Index(*index));
                *index += 1;
                Some(p)
            }
        }
    }

    fn check_value(&mut self, path: &[PathSeg], mark: Marker, len: usize) {
        if self.found.is_none()
            && path == self.target
            && (self.part == Part::Value || path.is_empty())
        {
            self.found = Some((mark.index(), len));
        }
    }
}

impl MarkedEventReceiver for Finder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(value, style, ..) => {
                let quoted = matches!(
                    style,
                    TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted
                );
                let len = value.chars().count() + if quoted { 2 } else { 0 };
                if let Some(path) = self.visit_node(mark, len, Some(&value)) {
                    self.check_value(&path, mark, len);
                }
            }
            Event::MappingStart(..) => {
                let path = self.visit_node(mark, 1, None).unwrap_or_default();
                self.check_value(&path, mark, 1);
                self.stack.push(Frame::Map { path, key: None });
            }
            Event::SequenceStart(..) => {
                let path = self.visit_node(mark, 1, None).unwrap_or_default();
                self.check_value(&path, mark, 1);
                self.stack.push(Frame::Seq { path, index: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            Event::Alias(_) => {
                if let Some(path) = self.visit_node(mark, 1, None) {
                    self.check_value(&path, mark, 1);
                }
            }
            _ => {}
        }
    }
}

/// Parses a dotted path such as `types.benchmark.fields[2]` (as produced by serde_ignored).
pub fn key_path(keys: &[&str]) -> Vec<PathSeg> {
    keys.iter()
        .map(|k| PathSeg::Key((*k).to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str =
        "title: Hello\ntags: [a, \"b c\"]\nlist:\n  - one\n  - two\nnested:\n  inner: 5\n";

    fn at(path: &[PathSeg], part: Part) -> &'static str {
        let r = locate(DOC, path, part).expect("found");
        &DOC[r]
    }

    fn k(s: &str) -> PathSeg {
        PathSeg::Key(s.into())
    }

    #[test]
    fn finds_keys_and_values() {
        assert_eq!(at(&[k("title")], Part::Key), "title");
        assert_eq!(at(&[k("title")], Part::Value), "Hello");
        assert_eq!(at(&[k("tags"), PathSeg::Index(1)], Part::Value), "\"b c\"");
        assert_eq!(at(&[k("list"), PathSeg::Index(1)], Part::Value), "two");
        assert_eq!(at(&[k("nested"), k("inner")], Part::Value), "5");
        assert_eq!(at(&[k("nested"), k("inner")], Part::Key), "inner");
    }

    #[test]
    fn missing_path_is_none() {
        assert!(locate(DOC, &[k("absent")], Part::Key).is_none());
    }

    #[test]
    fn syntax_error_has_offset() {
        let text = "title: [unclosed\nother: 1\n";
        let err = parse_value(text).unwrap_err();
        assert!(err.offset > 0 && err.offset <= text.len());
        assert!(!err.message.contains(" at line "));
    }
}
