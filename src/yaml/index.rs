//! A one-pass index of a YAML text: every node's path -> the byte range of its key and value.
//!
//! serde_norway gives positions only for syntax errors, so validation errors (a wrong kind,
//! an unknown key, a broken reference) are located by reading the text once more with
//! yaml-rust2's event parser, which marks every event. That pass is linear and happens at
//! most once per file, when the first diagnostic needs a position ([`LazyIndex`]); looking a
//! path up afterwards costs a few hash lookups. Before, every diagnostic re-parsed the text,
//! so a page with 8,000 unknown keys took two minutes.
//!
//! The same pass records what serde_norway reports without a useful position: keys set twice
//! in one mapping, and which alias makes the aliases expand past serde_norway's repetition
//! limit.

mod builder;

use std::cell::OnceCell;
use std::ops::Range;

use rustc_hash::FxHashMap;

use super::{Part, PathSeg};

/// How a node is written, as far as locating text inside it is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeStyle {
    /// A plain (unquoted) scalar.
    Plain,
    /// A `'single-quoted'` scalar.
    SingleQuoted,
    /// A `"double-quoted"` scalar.
    DoubleQuoted,
    /// A `|` or `>` block scalar.
    Block,
    /// A sequence or mapping.
    Collection,
    /// An alias (`*name`).
    Alias,
}

/// A key that appears twice in one mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The key.
    pub name: String,
    /// Its first occurrence.
    pub first: Range<usize>,
    /// The repeated occurrence.
    pub second: Range<usize>,
}

/// Where a scalar's source text lies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScalarSource {
    /// From the scalar's first character up to where the next node starts (for plain and
    /// block scalars, which may continue over lines), or the quoted scalar with its quotes.
    pub range: Range<usize>,
    /// How it is written.
    pub style: NodeStyle,
}

#[derive(Debug, Clone)]
struct Node {
    key: Option<Range<usize>>,
    value: Range<usize>,
    /// For scalars: where the next event starts; the scalar's source ends before it.
    extent_end: usize,
    style: NodeStyle,
}

/// Every node of one YAML text, addressable by path.
#[derive(Debug, Default)]
pub struct YamlIndex {
    nodes: Vec<Node>,
    children: FxHashMap<(u32, PathSeg), u32>,
    duplicates: Vec<DuplicateKey>,
    /// Every alias in source order, with how many alias jumps expanding it costs.
    aliases: Vec<(Range<usize>, u64)>,
    /// Node events (scalars, aliases, collection starts and ends), as serde_norway counts them.
    events: u64,
}

impl YamlIndex {
    /// Indexes `text` in one pass. A syntax error ends the pass; what came before it stays
    /// indexed.
    pub fn build(text: &str) -> Self {
        builder::build(text)
    }

    fn node_at(&self, path: &[PathSeg]) -> Option<&Node> {
        let mut id = 0u32;
        self.nodes.first()?;
        for seg in path {
            id = *self.children.get(&(id, seg.clone()))?;
        }
        self.nodes.get(id as usize)
    }

    /// The byte range of the key or the value at `path` (never empty unless the text is).
    /// The root has no key; asking for it gives the root value.
    pub fn locate(&self, path: &[PathSeg], part: Part) -> Option<Range<usize>> {
        let node = self.node_at(path)?;
        match part {
            Part::Key if !path.is_empty() => node.key.clone(),
            _ => Some(node.value.clone()),
        }
    }

    /// The source of the scalar at `path`.
    pub fn scalar_source(&self, path: &[PathSeg]) -> Option<ScalarSource> {
        let node = self.node_at(path)?;
        let range = match node.style {
            NodeStyle::Plain | NodeStyle::Block => node.value.start..node.extent_end,
            NodeStyle::SingleQuoted | NodeStyle::DoubleQuoted => node.value.clone(),
            NodeStyle::Collection | NodeStyle::Alias => return None,
        };
        Some(ScalarSource {
            range,
            style: node.style,
        })
    }

    /// Keys set twice in one mapping, in source order of the repetition.
    pub fn duplicates(&self) -> &[DuplicateKey] {
        &self.duplicates
    }

    /// The alias during whose expansion serde_norway's repetition limit (100 alias jumps per
    /// event) is crossed; failing that, the alias that expands furthest.
    pub fn alias_past_limit(&self) -> Option<Range<usize>> {
        let limit = self.events.saturating_mul(100);
        let mut total = 0u64;
        for (range, cost) in &self.aliases {
            total = total.saturating_add(*cost);
            if total > limit {
                return Some(range.clone());
            }
        }
        // `max_by_key` keeps the last of equals; reversed, that is the first.
        self.aliases
            .iter()
            .rev()
            .max_by_key(|(_, cost)| *cost)
            .map(|(range, _)| range.clone())
    }
}

/// A [`YamlIndex`] built the first time a position is needed, then reused.
#[derive(Debug)]
pub struct LazyIndex<'t> {
    text: &'t str,
    cell: OnceCell<YamlIndex>,
}

impl<'t> LazyIndex<'t> {
    /// An index of `text`, not built yet.
    pub fn new(text: &'t str) -> Self {
        LazyIndex {
            text,
            cell: OnceCell::new(),
        }
    }

    /// The index, built on first use.
    pub fn get(&self) -> &YamlIndex {
        self.cell.get_or_init(|| YamlIndex::build(self.text))
    }

    /// Shorthand for `get().locate(…)`.
    pub fn locate(&self, path: &[PathSeg], part: Part) -> Option<Range<usize>> {
        self.get().locate(path, part)
    }
}

#[cfg(test)]
mod tests;
