//! A linear pre-scan of YAML text, run before serde_norway sees it.
//!
//! libyaml's scanner is quadratic on deeply nested flow collections (100,000 `[` took 94 s
//! before failing), so text larger than [`MAX_BYTES`], nested deeper than [`MAX_DEPTH`] or
//! holding a character YAML forbids is rejected here, in one pass, at the position where the
//! problem starts. The same scanner knows where quotes and flow collections open, which is how
//! a syntax error inside an unclosed `[`, `{` or quote is traced back to where it was opened
//! ([`opener_at`]): serde_norway keeps libyaml's context mark private.
//!
//! The scanner is a small approximation of YAML's lexical structure: quotes (with `\` and `''`
//! escapes), flow indicators, comments, anchors and tags, block scalars and block indentation
//! (`- ` entries and `key:` lines). It errs towards counting less: only the limits and
//! forbidden characters are errors, never a construct it does not understand.

/// The largest YAML text (front matter block or `site.yaml`) accepted, in bytes. Real front
/// matter is a few KiB; the limit only stops pathological files before the parser runs.
pub const MAX_BYTES: usize = 1 << 20;

/// The deepest nesting of collections accepted (flow `[`/`{` and block levels together).
/// Front matter needs about three (a list of mappings); serde_norway itself stops at 128.
pub const MAX_DEPTH: usize = 64;

/// Why a text was rejected before parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LimitKind {
    /// Larger than [`MAX_BYTES`].
    TooLarge,
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// A character YAML does not allow anywhere (C0/C1 controls, DEL, U+FFFE, U+FFFF).
    ControlChar(char),
}

/// A pre-scan rejection: where it happens (byte offset into the text) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitError {
    /// Byte offset of the first byte past the limit, the collection that nests too deep, or
    /// the forbidden character.
    pub offset: usize,
    /// What was exceeded.
    pub kind: LimitKind,
}

/// What an [`Opener`] opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenerKind {
    /// A flow sequence `[`.
    Sequence,
    /// A flow mapping `{`.
    Mapping,
    /// A double-quoted scalar.
    DoubleQuote,
    /// A single-quoted scalar.
    SingleQuote,
}

impl OpenerKind {
    /// The character that opened it.
    pub fn char(self) -> char {
        match self {
            OpenerKind::Sequence => '[',
            OpenerKind::Mapping => '{',
            OpenerKind::DoubleQuote => '"',
            OpenerKind::SingleQuote => '\'',
        }
    }

    /// The character that closes it.
    pub fn closer(self) -> char {
        match self {
            OpenerKind::Sequence => ']',
            OpenerKind::Mapping => '}',
            other => other.char(),
        }
    }
}

/// The innermost quote or flow collection open at some offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opener {
    /// Byte offset of the opening character.
    pub offset: usize,
    /// What it opened.
    pub kind: OpenerKind,
    /// Whether it is closed anywhere later in the text.
    pub closed: bool,
}

/// Rejects `text` if it is too large, nests too deep or holds a forbidden character.
pub fn check_limits(text: &str) -> Result<(), LimitError> {
    if text.len() > MAX_BYTES {
        let mut at = MAX_BYTES;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        return Err(LimitError {
            offset: at,
            kind: LimitKind::TooLarge,
        });
    }
    if let Some((offset, c)) = text.char_indices().find(|&(_, c)| !is_yaml_char(c)) {
        return Err(LimitError {
            offset,
            kind: LimitKind::ControlChar(c),
        });
    }
    let mut scanner = Scanner::new(text);
    while scanner.pos < text.len() {
        scanner.step()?;
    }
    Ok(())
}

/// The innermost quote or flow collection still open at byte `offset` (where a parser
/// reported an error), and whether it is closed later. `None` when nothing is open there.
pub fn opener_at(text: &str, offset: usize) -> Option<Opener> {
    let mut scanner = Scanner::new(text);
    let end = offset.min(text.len());
    while scanner.pos < end {
        scanner.step().ok()?;
    }
    let (kind, at, level) = match (scanner.quote, scanner.flow.last()) {
        (Some((kind, at)), _) => (kind, at, None),
        (None, Some(&(kind, at))) => (kind, at, Some(scanner.flow.len())),
        (None, None) => return None,
    };
    let is_open = |s: &Scanner<'_>| match level {
        None => s.quote.is_some(),
        Some(level) => s.flow.len() >= level,
    };
    while scanner.pos < text.len() && is_open(&scanner) {
        if scanner.step().is_err() {
            break;
        }
    }
    Some(Opener {
        offset: at,
        kind,
        closed: !is_open(&scanner),
    })
}

/// The characters libyaml's reader accepts (YAML 1.1 `c-printable`).
fn is_yaml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..='\u{10ffff}')
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Map,
    Seq,
}

/// Lexical state, advanced one byte (or one skipped run) per [`Scanner::step`]. Every
/// character that matters is ASCII, so the scanner works on bytes; offsets it reports are at
/// ASCII bytes and hence at character boundaries.
struct Scanner<'a> {
    b: &'a [u8],
    pos: usize,
    line_start: usize,
    /// True when `pos` is at the start of a line that has not been looked at yet.
    pending_line: bool,
    flow: Vec<(OpenerKind, usize)>,
    quote: Option<(OpenerKind, usize)>,
    /// Open block collections: the column they start at and their kind.
    block: Vec<(usize, BlockKind)>,
    /// Inside a block scalar: its lines are indented more than this column (-1: any).
    block_scalar: Option<isize>,
    /// The next character may start a node (a quote or a flow collection).
    node_start: bool,
    after_space: bool,
    /// Column of the key this line may hold, until its `:` is seen.
    key_col: Option<usize>,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Scanner {
            b: text.as_bytes(),
            pos: 0,
            line_start: 0,
            pending_line: true,
            flow: Vec::new(),
            quote: None,
            block: Vec::new(),
            block_scalar: None,
            node_start: true,
            after_space: true,
            key_col: None,
        }
    }

    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(b'\n')
    }

    fn slice(&self, from: usize, to: usize) -> &'a [u8] {
        self.b.get(from..to).unwrap_or_default()
    }

    fn line_end(&self, from: usize) -> usize {
        self.b
            .get(from..)
            .and_then(|rest| rest.iter().position(|&c| c == b'\n'))
            .map_or(self.b.len(), |i| from + i)
    }

    fn depth(&self) -> usize {
        self.block.len() + self.flow.len()
    }

    fn too_deep(&self, offset: usize) -> Result<(), LimitError> {
        if self.depth() > MAX_DEPTH {
            return Err(LimitError {
                offset,
                kind: LimitKind::TooDeep,
            });
        }
        Ok(())
    }

    /// Advances past one byte, or a run the scanner skips as a whole (indentation, a
    /// comment, a block scalar line).
    fn step(&mut self) -> Result<(), LimitError> {
        if self.pending_line {
            self.pending_line = false;
            if self.quote.is_none() && self.flow.is_empty() {
                return self.begin_line();
            }
        }
        let c = self.at(self.pos);
        if c == b'\n' {
            self.pos += 1;
            self.line_start = self.pos;
            self.pending_line = true;
            self.after_space = true;
            if self.flow.is_empty() && self.quote.is_none() {
                self.key_col = None;
            }
            return Ok(());
        }
        if let Some((kind, _)) = self.quote {
            self.quoted(kind, c);
            return Ok(());
        }
        self.plain_byte(c)
    }

    fn quoted(&mut self, kind: OpenerKind, c: u8) {
        match (kind, c) {
            // An escaped line break is handled as a line break by the next step.
            (OpenerKind::DoubleQuote, b'\\') if self.at(self.pos + 1) != b'\n' => self.pos += 2,
            (OpenerKind::DoubleQuote, b'"') => self.close_quote(),
            (OpenerKind::SingleQuote, b'\'') if self.at(self.pos + 1) == b'\'' => self.pos += 2,
            (OpenerKind::SingleQuote, b'\'') => self.close_quote(),
            _ => self.pos += 1,
        }
    }

    fn close_quote(&mut self) {
        self.quote = None;
        self.node_start = false;
        self.after_space = false;
        self.pos += 1;
    }

    fn plain_byte(&mut self, c: u8) -> Result<(), LimitError> {
        let in_flow = !self.flow.is_empty();
        let was_space = self.after_space;
        self.after_space = false;
        match c {
            b' ' | b'\t' | b'\r' => self.after_space = true,
            b'#' if was_space => {
                self.pos = self.line_end(self.pos);
                return Ok(());
            }
            b'"' | b'\'' if self.node_start => {
                let kind = if c == b'"' {
                    OpenerKind::DoubleQuote
                } else {
                    OpenerKind::SingleQuote
                };
                self.quote = Some((kind, self.pos));
            }
            b'[' | b'{' if self.node_start || in_flow => {
                let kind = if c == b'[' {
                    OpenerKind::Sequence
                } else {
                    OpenerKind::Mapping
                };
                self.flow.push((kind, self.pos));
                self.too_deep(self.pos)?;
                self.node_start = true;
            }
            b']' | b'}' if in_flow => {
                self.flow.pop();
                self.node_start = false;
            }
            b',' if in_flow => self.node_start = true,
            b':' if self.is_value_indicator(in_flow) => {
                if let (false, Some(col)) = (in_flow, self.key_col.take()) {
                    self.push_block(col, BlockKind::Map)?;
                }
                self.node_start = true;
            }
            b'|' | b'>' if self.node_start && !in_flow => {
                self.block_scalar = Some(self.block.last().map_or(-1, |&(col, _)| col as isize));
                self.pos = self.line_end(self.pos);
                return Ok(());
            }
            b'&' | b'!' if self.node_start => {
                // An anchor or tag comes before the node it names, which may still be a
                // quote or a flow collection.
                while !matches!(self.at(self.pos), b' ' | b'\t' | b'\n' | b'\r') {
                    self.pos += 1;
                }
                return Ok(());
            }
            b'-' | b'?' if self.node_start && self.is_space_or_end(self.pos + 1) => {}
            _ => self.node_start = false,
        }
        self.pos += 1;
        Ok(())
    }

    fn is_space_or_end(&self, i: usize) -> bool {
        matches!(self.at(i), b' ' | b'\t' | b'\n' | b'\r')
    }

    /// `:` followed by a space or line end (or, in flow context, by a flow indicator)
    /// separates a key from its value; otherwise it is text (`https://`, `12:30`).
    fn is_value_indicator(&self, in_flow: bool) -> bool {
        let next = self.at(self.pos + 1);
        self.is_space_or_end(self.pos + 1) || (in_flow && b",[]{}".contains(&next))
    }

    /// Looks at a new line in block context: skips block scalar content, blank and comment
    /// lines, closes block collections the indentation ends, and opens those its `- ` and
    /// `? ` entries start.
    fn begin_line(&mut self) -> Result<(), LimitError> {
        let end = self.line_end(self.pos);
        let indent = self
            .slice(self.pos, end)
            .iter()
            .take_while(|&&c| c == b' ')
            .count();
        let content = self.pos + indent;
        let blank = self
            .slice(content, end)
            .iter()
            .all(|c| matches!(c, b' ' | b'\t' | b'\r'));
        if let Some(owner) = self.block_scalar {
            if blank || indent as isize > owner {
                self.pos = end;
                return Ok(());
            }
            self.block_scalar = None;
        }
        if blank || self.at(content) == b'#' {
            self.pos = end;
            return Ok(());
        }
        let rest = self.slice(content, end);
        if indent == 0
            && (rest.starts_with(b"---") || rest.starts_with(b"..."))
            && self.is_space_or_end(content + 3)
        {
            // A document marker (possible in site.yaml) starts over.
            self.block.clear();
            self.pos = end;
            return Ok(());
        }
        while self.block.last().is_some_and(|&(col, _)| col > indent) {
            self.block.pop();
        }
        let mut p = content;
        while matches!(self.at(p), b'-' | b'?') && self.is_space_or_end(p + 1) {
            let kind = if self.at(p) == b'-' {
                BlockKind::Seq
            } else {
                BlockKind::Map
            };
            self.push_block(p - self.line_start, kind)?;
            p += 1;
            while matches!(self.at(p), b' ' | b'\t') {
                p += 1;
            }
        }
        self.key_col = Some(p - self.line_start);
        self.node_start = true;
        self.after_space = true;
        self.pos = p;
        Ok(())
    }

    /// Notes a block collection entry at `col`: a deeper column opens a collection; a `- `
    /// at a mapping's own column opens an indentless sequence, which a key at that column
    /// closes again.
    fn push_block(&mut self, col: usize, kind: BlockKind) -> Result<(), LimitError> {
        match self.block.last().copied() {
            Some((top, _)) if top > col => {}
            Some((top, BlockKind::Map)) if top == col && kind == BlockKind::Seq => {
                self.block.push((col, kind));
            }
            Some((top, BlockKind::Seq)) if top == col && kind == BlockKind::Map => {
                let parent_is_map = self.block.len() >= 2
                    && self.block.get(self.block.len() - 2) == Some(&(col, BlockKind::Map));
                if parent_is_map {
                    self.block.pop();
                }
            }
            Some((top, _)) if top == col => {}
            _ => self.block.push((col, kind)),
        }
        self.too_deep(self.line_start + col)
    }
}

#[cfg(test)]
mod tests;
