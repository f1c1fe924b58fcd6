//! The single pass that builds a [`YamlIndex`] from yaml-rust2's events.
//!
//! yaml-rust2 marks each event with a character index at its start only, so ranges are
//! completed from the text: a quoted scalar runs to its closing quote, a plain or block
//! scalar to the end of its first line, a flow collection to its closing bracket, and a block
//! collection is shown by its first line.

use std::collections::hash_map::Entry;
use std::ops::Range;

use rustc_hash::FxHashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::{DuplicateKey, Node, NodeStyle, PathSeg, YamlIndex};

/// Indexes `text` in one pass. A syntax error ends the pass; what came before it stays
/// indexed.
pub(super) fn build(text: &str) -> YamlIndex {
    let mut builder = Builder {
        text,
        cursor: CharCursor::new(text),
        index: YamlIndex::default(),
        stack: Vec::new(),
        anchor_costs: FxHashMap::default(),
        open_scalar: None,
    };
    let mut parser = Parser::new_from_str(text);
    // A syntax error was (or will be) reported from serde_norway, with its position.
    let _ = parser.load(&mut builder, false);
    builder.index
}

/// Converts yaml-rust2's character indices to byte offsets. Events arrive almost in text
/// order, so walking from the previous position is linear over a whole pass.
struct CharCursor<'t> {
    text: &'t str,
    ascii: bool,
    chars: usize,
    byte: usize,
}

impl<'t> CharCursor<'t> {
    fn new(text: &'t str) -> Self {
        CharCursor {
            text,
            ascii: text.is_ascii(),
            chars: 0,
            byte: 0,
        }
    }

    fn byte(&mut self, chars: usize) -> usize {
        if self.ascii {
            return chars.min(self.text.len());
        }
        while self.chars < chars {
            let Some(c) = self.text.get(self.byte..).and_then(|s| s.chars().next()) else {
                break;
            };
            self.byte += c.len_utf8();
            self.chars += 1;
        }
        while self.chars > chars {
            let Some(c) = self
                .text
                .get(..self.byte)
                .and_then(|s| s.chars().next_back())
            else {
                break;
            };
            self.byte -= c.len_utf8();
            self.chars -= 1;
        }
        self.byte
    }
}

struct PendingKey {
    /// `None` for a key that is not a scalar (it cannot be named in a path).
    name: Option<String>,
    range: Range<usize>,
}

struct Frame {
    node: u32,
    seq: bool,
    flow: bool,
    next_index: usize,
    pending_key: Option<PendingKey>,
    /// Where the first entry starts (a block collection's range starts there).
    first_at: Option<usize>,
    anchor: usize,
    /// Alias jumps needed to expand everything inside.
    cost: u64,
    /// The collection is itself a mapping key.
    as_key: bool,
}

struct Builder<'t> {
    text: &'t str,
    cursor: CharCursor<'t>,
    index: YamlIndex,
    stack: Vec<Frame>,
    /// Jumps to expand each anchor; `u64::MAX` while its node is still open (an alias
    /// inside its own anchor never ends).
    anchor_costs: FxHashMap<usize, u64>,
    open_scalar: Option<u32>,
}

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let at = self.cursor.byte(mark.index());
        if let Some(node) = self
            .open_scalar
            .take()
            .and_then(|id| self.index.nodes.get_mut(id as usize))
        {
            node.extent_end = at.max(node.value.end);
        }
        match ev {
            Event::Scalar(value, style, anchor, _) => self.scalar(value, style, anchor, at),
            Event::SequenceStart(anchor, _) => self.start(anchor, at, true),
            Event::MappingStart(anchor, _) => self.start(anchor, at, false),
            Event::SequenceEnd | Event::MappingEnd => self.end(at),
            Event::Alias(anchor) => self.alias(anchor, at),
            _ => return,
        }
        self.index.events += 1;
    }
}

impl Builder<'_> {
    fn expects_key(&self) -> bool {
        self.stack
            .last()
            .is_some_and(|f| !f.seq && f.pending_key.is_none())
    }

    fn set_key(&mut self, name: Option<String>, range: Range<usize>) {
        if let Some(frame) = self.stack.last_mut() {
            frame.first_at.get_or_insert(range.start);
            frame.pending_key = Some(PendingKey { name, range });
        }
    }

    fn scalar(&mut self, value: String, style: TScalarStyle, anchor: usize, at: usize) {
        if anchor != 0 {
            self.anchor_costs.insert(anchor, 0);
        }
        let in_flow = self.stack.last().is_some_and(|f| f.flow);
        let range = widen(self.text, scalar_range(self.text, at, style, in_flow));
        if self.expects_key() {
            self.set_key(Some(value), range);
            return;
        }
        let style = match style {
            TScalarStyle::SingleQuoted => NodeStyle::SingleQuoted,
            TScalarStyle::DoubleQuoted => NodeStyle::DoubleQuoted,
            TScalarStyle::Literal | TScalarStyle::Folded => NodeStyle::Block,
            TScalarStyle::Plain => NodeStyle::Plain,
        };
        // An empty value is marked at the next token; the key's `:` is a better place.
        let range = if value.is_empty() && style == NodeStyle::Plain {
            self.empty_value_range().unwrap_or(range)
        } else {
            range
        };
        let id = self.add_node(range, style);
        self.open_scalar = Some(id);
    }

    fn empty_value_range(&self) -> Option<Range<usize>> {
        let key = self.stack.last()?.pending_key.as_ref()?.range.clone();
        let bytes = self.text.as_bytes();
        let mut i = key.end;
        while matches!(bytes.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        Some(if bytes.get(i) == Some(&b':') {
            i..i + 1
        } else {
            key
        })
    }

    fn start(&mut self, anchor: usize, at: usize, seq: bool) {
        if anchor != 0 {
            self.anchor_costs.insert(anchor, u64::MAX);
        }
        let flow = matches!(self.text.as_bytes().get(at), Some(b'[' | b'{'));
        let as_key = self.expects_key();
        let range = widen(self.text, at..at);
        let node = if as_key {
            self.push_node(range, NodeStyle::Collection)
        } else {
            self.add_node(range, NodeStyle::Collection)
        };
        self.stack.push(Frame {
            node,
            seq,
            flow,
            next_index: 0,
            pending_key: None,
            first_at: None,
            anchor,
            cost: 0,
            as_key,
        });
    }

    fn end(&mut self, at: usize) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        // A flow collection ends at its closing bracket; a block collection's end is marked
        // at the next token. (The start alone can mislead: an indentless block sequence is
        // marked at its first entry, which may be a `[`.)
        let closer = if frame.seq { b']' } else { b'}' };
        let closes = self.text.as_bytes().get(at) == Some(&closer);
        let range = match (
            frame.flow && closes,
            self.index.nodes.get(frame.node as usize),
        ) {
            (true, Some(node)) => node.value.start..(at + 1).min(self.text.len()),
            // A block collection is shown by its first line: the whole may be long.
            _ => {
                let start = frame.first_at.unwrap_or(at);
                start..line_end(self.text, start)
            }
        };
        let range = widen(self.text, range);
        if let Some(node) = self.index.nodes.get_mut(frame.node as usize) {
            node.value = range.clone();
            node.extent_end = range.end;
        }
        if frame.anchor != 0 {
            self.anchor_costs.insert(frame.anchor, frame.cost);
        }
        if let Some(parent) = self.stack.last_mut() {
            parent.cost = parent.cost.saturating_add(frame.cost);
        }
        if frame.as_key {
            self.set_key(None, range);
        }
    }

    fn alias(&mut self, anchor: usize, at: usize) {
        let target = self.anchor_costs.get(&anchor).copied().unwrap_or(0);
        let cost = target.saturating_add(1);
        if let Some(frame) = self.stack.last_mut() {
            frame.cost = frame.cost.saturating_add(cost);
        }
        let bytes = self.text.as_bytes();
        let mut end = at + 1;
        while bytes
            .get(end)
            .is_some_and(|c| !c.is_ascii_whitespace() && !b",[]{}".contains(c))
        {
            end += 1;
        }
        let range = widen(self.text, at..end.min(self.text.len()));
        self.index.aliases.push((range.clone(), cost));
        if self.expects_key() {
            self.set_key(None, range);
        } else {
            self.add_node(range, NodeStyle::Alias);
        }
    }

    fn push_node(&mut self, value: Range<usize>, style: NodeStyle) -> u32 {
        let id = u32::try_from(self.index.nodes.len()).unwrap_or(u32::MAX);
        self.index.nodes.push(Node {
            key: None,
            extent_end: value.end,
            value,
            style,
        });
        id
    }

    /// Adds a value node and files it under its parent's key or next index.
    fn add_node(&mut self, value: Range<usize>, style: NodeStyle) -> u32 {
        let start = value.start;
        let id = self.push_node(value, style);
        let Some(frame) = self.stack.last_mut() else {
            return id;
        };
        let first = if frame.seq && !frame.flow {
            dash_before(self.text, start)
        } else {
            start
        };
        frame.first_at.get_or_insert(first);
        let (seg, key) = if frame.seq {
            frame.next_index += 1;
            (Some(PathSeg::Index(frame.next_index - 1)), None)
        } else {
            match frame.pending_key.take() {
                Some(PendingKey {
                    name: Some(name),
                    range,
                }) => (Some(PathSeg::Key(name)), Some(range)),
                _ => (None, None),
            }
        };
        let parent = frame.node;
        if let Some(node) = self.index.nodes.get_mut(id as usize) {
            node.key = key.clone();
        }
        let Some(seg) = seg else {
            return id;
        };
        match self.index.children.entry((parent, seg)) {
            Entry::Vacant(slot) => {
                slot.insert(id);
            }
            Entry::Occupied(slot) => {
                let first = self.index.nodes.get(*slot.get() as usize);
                if let (Some(first), Some(second), PathSeg::Key(name)) =
                    (first.and_then(|n| n.key.clone()), key, &slot.key().1)
                {
                    self.index.duplicates.push(DuplicateKey {
                        name: name.clone(),
                        first,
                        second,
                    });
                }
            }
        }
        id
    }
}

/// The source range of a scalar that starts at `at`: quoted scalars to their closing quote,
/// plain and block scalars to the end of their first line.
fn scalar_range(text: &str, at: usize, style: TScalarStyle, in_flow: bool) -> Range<usize> {
    let bytes = text.as_bytes();
    let mut i = at + 1;
    let end = match style {
        TScalarStyle::SingleQuoted => loop {
            match bytes.get(i) {
                None => break text.len(),
                Some(b'\'') if bytes.get(i + 1) == Some(&b'\'') => i += 2,
                Some(b'\'') => break i + 1,
                Some(_) => i += 1,
            }
        },
        TScalarStyle::DoubleQuoted => loop {
            match bytes.get(i) {
                None => break text.len(),
                Some(b'\\') => i += 2,
                Some(b'"') => break i + 1,
                Some(_) => i += 1,
            }
        },
        TScalarStyle::Plain => plain_end(bytes, at, in_flow),
        TScalarStyle::Literal | TScalarStyle::Folded => line_end(text, at),
    };
    at..end.min(text.len()).max(at)
}

/// Where a plain scalar's first line ends: at a line break, a comment, a `: ` or (in flow
/// context) a flow indicator; trailing blanks are not part of it.
fn plain_end(bytes: &[u8], at: usize, in_flow: bool) -> usize {
    let blank_or_end = |i: usize| matches!(bytes.get(i), None | Some(b' ' | b'\t' | b'\n' | b'\r'));
    let mut i = at;
    while let Some(&c) = bytes.get(i) {
        let next = bytes.get(i + 1).copied();
        let stop = match c {
            b'\n' | b'\r' => true,
            b' ' | b'\t' => next == Some(b'#'),
            b':' => blank_or_end(i + 1) || (in_flow && next.is_some_and(|n| b",[]{}".contains(&n))),
            b',' | b'[' | b']' | b'{' | b'}' => in_flow,
            _ => false,
        };
        if stop {
            break;
        }
        i += 1;
    }
    while i > at && matches!(bytes.get(i - 1), Some(b' ' | b'\t')) {
        i -= 1;
    }
    i
}

/// The end of the line holding `at`, without trailing blanks.
fn line_end(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = bytes
        .get(at..)
        .and_then(|rest| rest.iter().position(|&c| c == b'\n'))
        .map_or(text.len(), |i| at + i);
    while end > at && matches!(bytes.get(end - 1), Some(b' ' | b'\t' | b'\r')) {
        end -= 1;
    }
    end
}

/// A block sequence entry is shown from its `-`.
fn dash_before(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = at;
    while i > 0 && matches!(bytes.get(i - 1), Some(b' ' | b'\t')) {
        i -= 1;
    }
    if i > 0 && bytes.get(i - 1) == Some(&b'-') {
        i - 1
    } else {
        at
    }
}

/// Makes an empty range cover the character at its start, so a label has something to mark.
fn widen(text: &str, range: Range<usize>) -> Range<usize> {
    let start = range.start.min(text.len());
    if range.end > start {
        return start..range.end.min(text.len());
    }
    let len = text
        .get(start..)
        .and_then(|s| s.chars().next())
        .map_or(0, char::len_utf8);
    start..start + len
}
