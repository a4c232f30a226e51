//! The parser's machinery: a cursor over the token slice with `at` / `eat` / `expect`,
//! rule frames that collect what was expected, backtracking points, the nesting limit,
//! and the one error a failed parse reports.
//!
//! How errors come out as Neo4j's. Neo4j's parser reports the first token it cannot
//! match, then lists every token (or rule name) that could have stood there, computed from
//! the rule it was in when it failed. This parser gets the same list in one pass: each
//! failed `at`/`eat` records its item at the furthest token reached, in the frame of the
//! rule doing the check; when a frame closes, its items pass to the enclosing frame — all
//! folded into one rule name if the closing rule is one Neo4j names (an expression, a
//! parameter, a graph pattern, ...). The frame whose mandatory token is missing gives the
//! message; where alternatives were tried and all failed at the same token, the frame that
//! chose between them does. Items are bits in a fixed set, so the success path pays a few
//! word operations per token for this.
//!
//! It must not know any statement: the grammar lives in the sibling modules.

use super::expected::{Item, ItemSet, Rule, invalid_input, sequence_words};
use crate::dialect::ast::Span;
use crate::dialect::lexer::unicode::Unescaped;
use crate::dialect::lexer::{Kw, Tok, Token, tokenize, tokenize_into};
use crate::dialect::stack;
use crate::error::{Neo4jError, Position};
use std::cell::Cell;

/// How deeply brackets, operators and subqueries may nest before the parser refuses the
/// statement instead of recursing further. Every walk over the tree (evaluation, semantic
/// checks, parameter collection) is bounded by this too.
pub const MAX_DEPTH: u32 = 500;

/// The failure marker: what went wrong is kept in the parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fail;

/// A parse step's result.
pub type PResult<T> = Result<T, Fail>;

/// What a frame is, for folding its items into a rule name and for naming label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame {
    /// An ordinary rule.
    Plain,
    /// A rule Neo4j names in messages instead of listing its tokens.
    Named(Rule),
    /// A label expression (`:A|B`, `IS A`).
    LabelExpr,
    /// A node pattern.
    Node,
    /// A relationship pattern.
    Rel,
}

struct FrameState {
    kind: Frame,
    /// The token position `set` refers to; `usize::MAX` when empty.
    at: usize,
    set: ItemSet,
}

/// How many rules a statement of `tokens` tokens may enter. Real statements stay far
/// below it (the most expensive of the conformance corpora needs a ten-thousandth of it;
/// a unit test keeps them under a tenth),
/// while a malformed nesting of ambiguous constructs, which backtracks exponentially, is
/// stopped after a few milliseconds.
fn budget(tokens: usize) -> u64 {
    1_000_000 + 1_000 * tokens as u64
}

/// The frame stack of a new parser: the statement's own frame, with room for the rules
/// a statement usually nests (growing it one frame at a time cost a reallocation per
/// level reached). `frames` is a spare stack to reuse (emptied first).
fn first_frames(mut frames: Vec<FrameState>) -> Vec<FrameState> {
    frames.clear();
    frames.reserve(32);
    frames.push(FrameState {
        kind: Frame::Plain,
        at: usize::MAX,
        set: ItemSet::EMPTY,
    });
    frames
}

/// A finished parser's token and frame buffers, kept per thread for the next parser:
/// allocating and freeing them (the frame stack is about 3.5 kB) for every statement was
/// ~5% of parsing a short command (BENCHMARKS.md, issue 16, session 9). A parser
/// created while another is alive on the thread finds none and allocates its own.
type Spare = (Vec<Token>, Vec<FrameState>);

thread_local! {
    static SPARE: Cell<Option<Spare>> = const { Cell::new(None) };
}

/// Buffers larger than these (a huge statement's) are freed rather than kept, so a
/// thread does not hold memory sized by the largest statement it ever parsed.
const SPARE_MAX_TOKENS: usize = 1 << 16;
const SPARE_MAX_FRAMES: usize = 1 << 10;

/// The thread's spare buffers, or new empty ones.
fn take_spare() -> Spare {
    SPARE.with(Cell::take).unwrap_or_default()
}

impl Drop for Parser<'_> {
    fn drop(&mut self) {
        if self.toks.capacity() <= SPARE_MAX_TOKENS && self.frames.capacity() <= SPARE_MAX_FRAMES {
            let spare = (
                std::mem::take(&mut self.toks),
                std::mem::take(&mut self.frames),
            );
            // `try_with`: during the thread's own teardown the slot may be gone already.
            let _ = SPARE.try_with(|s| s.set(Some(spare)));
        }
    }
}

/// [`Position::of_byte`], read directly when the text before `byte` is ASCII (as it
/// nearly always is): the offset is then the byte offset and the column the bytes since
/// the last line break, with no UTF-16 counting. Any other text goes to `of_byte`.
fn position(text: &str, byte: usize) -> Position {
    let byte = byte.min(text.len());
    let before = &text.as_bytes()[..byte];
    if !before.is_ascii() {
        return Position::of_byte(text, byte);
    }
    // The last line break first: a one-line statement (the usual case) needs no count.
    let (line, line_start) = match memchr::memrchr(b'\n', before) {
        None => (1, 0),
        Some(last) => (1 + memchr::memchr_iter(b'\n', before).count(), last + 1),
    };
    Position {
        offset: byte,
        line,
        column: byte - line_start + 1,
    }
}

/// The error a failed parse reports.
#[derive(Clone, Copy)]
struct Snapshot {
    pos: usize,
    set: ItemSet,
}

/// A saved cursor, to go back to after a failed alternative.
#[derive(Debug, Clone, Copy)]
pub struct Mark {
    pos: usize,
    semantic: usize,
}

/// The parser over one statement.
pub struct Parser<'s> {
    /// The statement text.
    pub src: &'s str,
    toks: Vec<Token>,
    /// When the statement had unicode escapes: the replaced text the tokens were lexed
    /// from and each token's span in it (`toks` hold spans in `src`, as written).
    lexed: Option<(&'s str, Vec<(u32, u32)>)>,
    pos: usize,
    furthest: usize,
    /// The open rules' frames are `frames[..open]`; the slots past it are kept (their
    /// sets uninitialised in effect: a frame's set is read only once its `at` says it
    /// was filled), so entering a rule writes two words instead of a whole set.
    frames: Vec<FrameState>,
    open: usize,
    err: Option<Snapshot>,
    err_gen: u64,
    semantic: Vec<(usize, String)>,
    depth: u32,
    fatal: Option<(usize, String)>,
    /// Rules entered so far, and how many the statement may take: backtracking over
    /// nested ambiguous constructs (`[x IN [x IN [...` left unclosed) is exponential, so
    /// past the budget the parse stops and reports the furthest error found.
    steps: u64,
    budget: u64,
    /// True when parsing Cypher 25.
    pub cypher25: bool,
    stmt_start: usize,
    qualifier: Option<String>,
    /// The token after a literal that is also a name (`null`, `true`, ...), where a
    /// failure is reported as Neo4j does when two readings of one token both fail.
    ambiguous_end: usize,
    /// A token ANTLR reads as part of a decision begun at an earlier token (CREATE's
    /// command-or-clause choice): an unclosed comment there is named as the token `/`.
    decision_token: usize,
}

impl<'s> Parser<'s> {
    /// A parser over `src`.
    pub fn new(src: &'s str, cypher25: bool) -> Parser<'s> {
        let (mut toks, frames) = take_spare();
        tokenize_into(src, &mut toks);
        Parser {
            src,
            budget: budget(toks.len()),
            toks,
            lexed: None,
            pos: 0,
            furthest: 0,
            frames: first_frames(frames),
            open: 1,
            err: None,
            err_gen: 0,
            semantic: Vec::new(),
            depth: 0,
            fatal: None,
            steps: 0,
            cypher25,
            stmt_start: 0,
            qualifier: None,
            ambiguous_end: usize::MAX,
            decision_token: usize::MAX,
        }
    }

    /// A parser over `src` whose unicode escapes the pre-pass replaced: tokens are lexed
    /// from the replaced text, their spans point into `src` as written.
    pub fn with_unescaped(src: &'s str, unescaped: &'s Unescaped, cypher25: bool) -> Parser<'s> {
        let lexed = tokenize(&unescaped.text);
        let mut p = Parser::new(src, cypher25);
        p.toks.clear();
        p.toks.extend(lexed.iter().map(|t| Token {
            kind: t.kind,
            start: unescaped.to_source(t.start as usize) as u32,
            end: unescaped.to_source(t.end as usize) as u32,
        }));
        p.lexed = Some((
            unescaped.text.as_str(),
            lexed.iter().map(|t| (t.start, t.end)).collect(),
        ));
        p.budget = budget(p.toks.len());
        p
    }

    // ---- the cursor -------------------------------------------------------------------

    /// The current token.
    #[inline]
    pub fn cur(&self) -> Token {
        self.toks[self.pos.min(self.toks.len() - 1)]
    }

    /// The kind of the current token.
    #[inline]
    pub fn peek(&self) -> Tok {
        self.cur().kind
    }

    /// The kind of the token `n` ahead (0 is the current one).
    #[inline]
    pub fn nth(&self, n: usize) -> Tok {
        self.toks[(self.pos + n).min(self.toks.len() - 1)].kind
    }

    /// The current token position.
    #[inline]
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// The text of the current token.
    pub fn cur_text(&self) -> &'s str {
        self.text(self.cur())
    }

    /// The byte offset of the current token.
    pub fn offset(&self) -> usize {
        self.cur().start as usize
    }

    /// Moves past the current token (never past the end) and returns it.
    #[inline]
    pub fn bump(&mut self) -> Token {
        let t = self.cur();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }

    /// The span from the token at position `start` to the end of the last token taken.
    pub fn span_from(&self, start: usize) -> Span {
        let first = self.toks[start.min(self.toks.len() - 1)];
        let last = if self.pos > start {
            self.toks[self.pos - 1]
        } else {
            first
        };
        Span {
            start: first.start,
            end: last.end.max(first.start),
        }
    }

    /// The text of a token, as the lexer saw it (escapes replaced).
    pub fn text(&self, t: Token) -> &'s str {
        if let Some((text, spans)) = &self.lexed {
            let i = self.toks.partition_point(|x| x.start < t.start);
            // Tokens are in order and only the end-of-input token is empty, so the
            // first token starting at `t.start` is `t` unless `t` is that empty one.
            let i = (i..self.toks.len())
                .find(|&k| self.toks[k] == t)
                .unwrap_or(i.min(spans.len().saturating_sub(1)));
            return spans
                .get(i)
                .and_then(|&(a, b)| text.get(a as usize..b as usize))
                .unwrap_or("");
        }
        self.src.get(t.start as usize..t.end as usize).unwrap_or("")
    }

    /// The token at position `i`.
    pub fn token_at(&self, i: usize) -> Token {
        self.toks[i.min(self.toks.len() - 1)]
    }

    /// The byte offset just past the last token taken.
    pub fn prev_end(&self) -> u32 {
        if self.pos == 0 {
            0
        } else {
            self.toks[self.pos - 1].end
        }
    }

    /// The source text from token `start` up to (not including) token `end`, as written.
    pub fn tokens_text_between(&self, start: usize, end: usize) -> String {
        if end <= start {
            return String::new();
        }
        let a = self.token_at(start).start as usize;
        let b = self.token_at(end - 1).end as usize;
        self.src.get(a..b).unwrap_or("").to_string()
    }

    /// The text of tokens `start..=last` with no white space between them, as Neo4j's
    /// parse tree prints a name.
    pub fn tokens_text(&self, start: usize, last: usize) -> String {
        (start..=last)
            .map(|i| self.text(self.token_at(i)))
            .collect()
    }

    /// Marks where the statement proper begins (after CYPHER / EXPLAIN / PROFILE):
    /// command-level errors are reported there.
    pub fn set_statement_start(&mut self) {
        self.stmt_start = self.offset();
    }

    /// The byte offset of the statement proper.
    pub fn statement_start(&self) -> usize {
        self.stmt_start
    }

    /// Appends qualifier text (privilege qualifiers are kept as written).
    pub fn set_qualifier(&mut self, text: String) {
        match &mut self.qualifier {
            Some(q) => {
                q.push(' ');
                q.push_str(&text);
            }
            None => self.qualifier = Some(text),
        }
    }

    /// Takes the qualifier text collected so far.
    pub fn take_qualifier(&mut self) -> Option<String> {
        self.qualifier.take()
    }

    /// A cursor to come back to.
    pub fn mark(&self) -> Mark {
        Mark {
            pos: self.pos,
            semantic: self.semantic.len(),
        }
    }

    /// Goes back to `m`, forgetting parse-time errors found since.
    pub fn reset(&mut self, m: Mark) {
        self.pos = m.pos;
        self.semantic.truncate(m.semantic);
    }

    // ---- recording what was expected -----------------------------------------------

    /// Records that `item` would have been accepted at the current token.
    #[inline]
    pub fn record(&mut self, item: Item) {
        let pos = self.pos;
        if pos < self.furthest {
            return;
        }
        self.furthest = pos;
        if let Some(set) = self.top_at_furthest() {
            set.insert(item);
        }
    }

    /// The innermost frame's items, first emptied if they were collected at an earlier
    /// token than the furthest one. `None` only if the root frame were gone (it never is).
    fn top_at_furthest(&mut self) -> Option<&mut ItemSet> {
        let furthest = self.furthest;
        let top = self.frames[..self.open].last_mut()?;
        if top.at != furthest {
            top.at = furthest;
            top.set = ItemSet::EMPTY;
        }
        Some(&mut top.set)
    }

    /// Records every item of `set` at the current token.
    #[inline]
    pub fn record_all(&mut self, set: &ItemSet) {
        let pos = self.pos;
        if pos < self.furthest {
            return;
        }
        self.furthest = pos;
        // An empty set leaves the frame as it was: `pop_frame` relies on a frame whose
        // `at` is the furthest position holding at least one item.
        if set.is_empty() {
            return;
        }
        if let Some(top) = self.top_at_furthest() {
            top.union(set);
        }
    }

    /// True when the current token is `t`; records it otherwise.
    #[inline]
    pub fn at(&mut self, t: Tok) -> bool {
        if self.peek() == t {
            return true;
        }
        // Only a miss at the furthest position is recorded; finding the item costs a
        // table scan, so it is not done for the others.
        if self.pos >= self.furthest {
            self.record(Item::tok(t));
        }
        false
    }

    /// True when the current token is the keyword `k`; records it otherwise.
    #[inline]
    pub fn at_kw(&mut self, k: Kw) -> bool {
        if self.peek() == Tok::Kw(k) {
            return true;
        }
        self.record(Item::kw(k));
        false
    }

    /// Takes the token `t` if it is current.
    #[inline]
    pub fn eat(&mut self, t: Tok) -> bool {
        if self.at(t) {
            self.bump();
            true
        } else {
            false
        }
    }

    /// Takes the keyword `k` if it is current.
    #[inline]
    pub fn eat_kw(&mut self, k: Kw) -> bool {
        if self.at_kw(k) {
            self.bump();
            true
        } else {
            false
        }
    }

    /// True when the current token is the unreserved word `word` (any case): the
    /// pre-parser's EXPLAIN and PROFILE are not keywords of the grammar.
    pub fn at_word(&self, word: &str) -> bool {
        self.peek() == Tok::Ident && self.cur_text().eq_ignore_ascii_case(word)
    }

    /// Takes the unreserved word `word` if it is current.
    pub fn eat_word(&mut self, word: &str) -> bool {
        if self.at_word(word) {
            self.bump();
            true
        } else {
            false
        }
    }

    /// Takes one of two keywords (`PRIMARY`/`PRIMARIES`), recording both when neither.
    pub fn eat_either(&mut self, a: Kw, b: Kw) -> bool {
        self.eat_kw(a) || self.eat_kw(b)
    }

    /// Takes the token `t` or fails.
    pub fn expect(&mut self, t: Tok) -> PResult<Token> {
        if self.at(t) {
            Ok(self.bump())
        } else {
            self.fail()
        }
    }

    /// Takes the keyword `k` or fails.
    pub fn expect_kw(&mut self, k: Kw) -> PResult<Token> {
        if self.at_kw(k) {
            Ok(self.bump())
        } else {
            self.fail()
        }
    }

    /// Takes one of two keywords or fails.
    pub fn expect_either(&mut self, a: Kw, b: Kw) -> PResult<Token> {
        if self.at_kw(a) || self.at_kw(b) {
            Ok(self.bump())
        } else {
            self.fail()
        }
    }

    /// A run of keywords always written together (`ORDER BY`, `IF NOT EXISTS`): false
    /// (recording the run as one item) when its first word is absent; fails when it
    /// starts but does not finish.
    pub fn eat_seq(&mut self, seq: Item) -> PResult<bool> {
        let words = sequence_words(seq);
        if self.peek() != Tok::Kw(words[0]) {
            self.record(seq);
            return Ok(false);
        }
        self.bump();
        for (i, w) in words.iter().enumerate().skip(1) {
            if self.peek() != Tok::Kw(*w) {
                // Neo4j names the rest of the run as one item (`'NOT EXISTS'`).
                match super::expected::suffix(seq, i) {
                    Some(rest) => self.record(rest),
                    None => self.record(Item::kw(*w)),
                }
                return self.fail();
            }
            self.bump();
        }
        Ok(true)
    }

    /// The run `seq`, or fail.
    pub fn expect_seq(&mut self, seq: Item) -> PResult<()> {
        if self.eat_seq(seq)? {
            Ok(())
        } else {
            self.fail()
        }
    }

    // ---- frames and failure ------------------------------------------------------

    /// Runs `f` as a rule of kind `kind`: what it expects is collected in its own frame
    /// and passed on to the enclosing one when it ends.
    pub fn rule<T>(&mut self, kind: Frame, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        self.steps += 1;
        if self.steps > self.budget {
            return Err(Fail);
        }
        match self.frames.get_mut(self.open) {
            Some(slot) => {
                slot.kind = kind;
                slot.at = usize::MAX;
            }
            None => self.frames.push(FrameState {
                kind,
                at: usize::MAX,
                set: ItemSet::EMPTY,
            }),
        }
        self.open += 1;
        let out = f(self);
        self.pop_frame();
        out
    }

    fn pop_frame(&mut self) {
        if self.open <= 1 {
            return;
        }
        self.open -= 1;
        let Some(frame) = self.frames.get(self.open) else {
            return;
        };
        // A frame filled at the furthest position holds an item (`top_at_furthest` is
        // only ever followed by an insertion), so no scan of the set is needed here.
        if frame.at != self.furthest {
            return;
        }
        debug_assert!(!frame.set.is_empty());
        let folded = fold(frame.kind, frame.set);
        if let Some(parent) = self.top_at_furthest() {
            parent.union(&folded);
        }
    }

    /// Fails here: the current rule could not go on at the current token. Its frame's
    /// items become the error unless an error further on is already known.
    pub fn fail<T>(&mut self) -> PResult<T> {
        if self.pos >= self.furthest {
            self.furthest = self.pos;
            self.snapshot();
        }
        Err(Fail)
    }

    /// Notes that the token `n` ahead is read by a decision begun here (see
    /// `decision_token`).
    pub fn mark_decision_token(&mut self, n: usize) {
        self.decision_token = self.pos + n;
    }

    /// Forgets a noted ambiguous literal (an enclosing decision reports the error).
    pub fn clear_ambiguous(&mut self) {
        self.ambiguous_end = usize::MAX;
    }

    /// Notes that the token just taken is a literal that is also a valid name.
    pub fn mark_ambiguous_atom(&mut self) {
        self.ambiguous_end = self.pos;
    }

    fn snapshot(&mut self) {
        let mut set = match self.frames[..self.open].last() {
            Some(top) if top.at == self.furthest => fold(top.kind, top.set),
            _ => ItemSet::EMPTY,
        };
        // After a literal that is also a name, a token that may follow an expression
        // somewhere (but not here) defeats both readings at once: Neo4j then reports only
        // that an expression was expected.
        if self.ambiguous_end == self.furthest && follows_expression_somewhere(self.peek()) {
            set = ItemSet::EMPTY;
            set.insert(Item::rule(Rule::Expression));
        }
        self.err = Some(Snapshot {
            pos: self.furthest,
            set,
        });
        self.err_gen += 1;
    }

    /// Tries `a`, then `b` from the same token. When both fail at the same furthest
    /// token, the current rule reports the error with what both expected (Neo4j's "no
    /// viable alternative"); otherwise the alternative that got further does.
    pub fn either<T>(
        &mut self,
        a: impl FnOnce(&mut Self) -> PResult<T>,
        b: impl FnOnce(&mut Self) -> PResult<T>,
    ) -> PResult<T> {
        let m = self.mark();
        let g0 = self.err_gen;
        if let Ok(v) = a(self) {
            return Ok(v);
        }
        if self.stopped() {
            return Err(Fail);
        }
        let reached_a = (self.err_gen != g0).then(|| self.err.as_ref().map(|e| e.pos));
        self.reset(m);
        let g1 = self.err_gen;
        if let Ok(v) = b(self) {
            return Ok(v);
        }
        if self.stopped() {
            return Err(Fail);
        }
        let reached_b = (self.err_gen != g1).then(|| self.err.as_ref().map(|e| e.pos));
        if let (Some(pa), Some(pb)) = (reached_a, reached_b)
            && pa == pb
            && pa == Some(self.furthest)
        {
            self.snapshot();
        }
        Err(Fail)
    }

    /// Tries `f`; on failure goes back as if it had not been tried (its expectations
    /// stay recorded) and gives `None`.
    pub fn attempt<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<Option<T>> {
        let m = self.mark();
        match f(self) {
            Ok(v) => Ok(Some(v)),
            Err(_) if self.stopped() => Err(Fail),
            Err(_) => {
                self.reset(m);
                Ok(None)
            }
        }
    }

    /// Tries `f`; on failure forgets everything it saw, as if it had not been tried: the
    /// cursor, what was expected and the error go back to where they were. For ANTLR's
    /// decisions that look at the whole of an optional part before taking it: when that
    /// part is broken, Neo4j reports the error at its first token, with what could be
    /// there.
    pub fn speculate<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<Option<T>> {
        let m = self.mark();
        let (furthest, err, err_gen, ambiguous_end) =
            (self.furthest, self.err, self.err_gen, self.ambiguous_end);
        let top = self.frames[..self.open].last().map(|f| (f.at, f.set));
        match f(self) {
            Ok(v) => Ok(Some(v)),
            Err(_) if self.stopped() => Err(Fail),
            Err(_) => {
                self.reset(m);
                (self.furthest, self.err, self.err_gen, self.ambiguous_end) =
                    (furthest, err, err_gen, ambiguous_end);
                if let (Some((at, set)), Some(frame)) = (top, self.frames[..self.open].last_mut()) {
                    (frame.at, frame.set) = (at, set);
                }
                Ok(None)
            }
        }
    }

    /// Enters one more level of nesting; refuses the statement past [`MAX_DEPTH`].
    pub fn nest<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.depth >= MAX_DEPTH {
            if self.fatal.is_none() {
                self.fatal = Some((
                    self.offset(),
                    format!(
                        "The query is too deeply nested: more than {MAX_DEPTH} levels of \
                         brackets, operators or subqueries."
                    ),
                ));
            }
            return Err(Fail);
        }
        self.depth += 1;
        // Each level of nesting takes several frames of recursive descent; the stack
        // grows on the heap when it runs low (see `dialect::stack`), so the nesting
        // limit, not the thread's stack size, is what bounds the input.
        let out = stack::descend(|| f(self));
        self.depth -= 1;
        out
    }

    /// Records a parse-time semantic error (Neo4j's AST builder's checks, such as a
    /// duplicate clause); reported only if the statement parses.
    pub fn semantic_error(&mut self, byte_offset: usize, message: impl Into<String>) {
        self.semantic.push((byte_offset, message.into()));
    }

    /// True once the parser has hit a limit that ends the parse whatever comes next.
    pub fn is_fatal(&self) -> bool {
        self.stopped()
    }

    /// True once nothing more may be tried: a limit was hit or the budget is spent.
    fn stopped(&self) -> bool {
        self.fatal.is_some() || self.steps > self.budget
    }

    /// Rules entered so far (for the test that keeps real statements far from the budget).
    #[cfg(test)]
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// The outcome: `value` if the parse reached the end; otherwise Neo4j's error.
    // Inlined, with the error cases in `error_for`: as a call it took the value (a whole
    // statement) in and handed it back out, two copies of it per statement.
    #[inline]
    pub fn finish<T>(mut self, value: PResult<T>) -> Result<T, Neo4jError> {
        match self.error_for(value.is_ok()) {
            Some(e) => Err(e),
            None => value.map_err(|Fail| self.syntax_error()),
        }
    }

    /// The error a parse that ended with success `ok` reports, if any.
    fn error_for(&mut self, ok: bool) -> Option<Neo4jError> {
        if let Some((at, message)) = self.fatal.take() {
            return Some(Neo4jError::syntax(message, position(self.src, at)));
        }
        if self.steps > self.budget || !ok {
            return Some(self.syntax_error());
        }
        self.semantic
            .first()
            .map(|(at, message)| Neo4jError::syntax(message.clone(), position(self.src, *at)))
    }

    /// Requires the end of the input.
    pub fn expect_end(&mut self) -> PResult<()> {
        self.expect(Tok::Eof).map(|_| ())
    }

    fn syntax_error(&self) -> Neo4jError {
        let (pos, set) = match &self.err {
            Some(s) => (s.pos, s.set),
            None => (self.furthest, ItemSet::EMPTY),
        };
        let t = self.toks[pos.min(self.toks.len() - 1)];
        let text = self.text(t);
        // Neo4j reports the end of the input right after the last token, before any
        // trailing white space or comment.
        let at = if t.kind == Tok::Eof && pos > 0 {
            self.toks[pos - 1].end as usize
        } else {
            t.start as usize
        };
        let message = if t.kind == Tok::Error && (text == "'" || text == "\"") {
            "Failed to parse string literal. The query must contain an even number of \
             non-escaped quotes."
                .to_string()
        } else if self.is_unclosed_comment(pos) && pos != self.decision_token {
            "Failed to parse comment. A comment starting on `/*` must have a closing `*/`."
                .to_string()
        } else {
            invalid_input(if t.kind == Tok::Eof { "" } else { text }, &set)
        };
        Neo4jError::syntax(message, position(self.src, at))
    }

    fn is_unclosed_comment(&self, pos: usize) -> bool {
        let at = |i: usize| self.toks.get(i).map(|t| (t.kind, t.start, t.end));
        match (at(pos), pos.checked_sub(1).and_then(at), at(pos + 1)) {
            (Some((Tok::Divide, _, e)), _, Some((Tok::Times, s, _))) => e == s,
            (Some((Tok::Times, s, _)), Some((Tok::Divide, _, e)), _) => e == s,
            _ => false,
        }
    }

    /// What the parser would accept at the furthest token it reached, and that token's
    /// byte offset (for completion).
    pub fn expected(&self) -> (usize, ItemSet) {
        let pos = self.furthest.min(self.toks.len() - 1);
        let set = self
            .frames
            .first()
            .filter(|f| f.at == self.furthest)
            .map(|f| f.set)
            .unwrap_or_default();
        let mut all = set;
        if let Some(e) = &self.err
            && e.pos == self.furthest
        {
            all.union(&e.set);
        }
        (self.toks[pos].start as usize, all)
    }
}

/// Tokens that can follow an expression in some part of the grammar.
fn follows_expression_somewhere(t: Tok) -> bool {
    match t {
        Tok::Comma
        | Tok::RParen
        | Tok::RBracket
        | Tok::RCurly
        | Tok::Bar
        | Tok::DotDot
        | Tok::Semicolon
        | Tok::Eof => true,
        Tok::Kw(k) => matches!(
            k,
            Kw::As
                | Kw::Where
                | Kw::Then
                | Kw::Else
                | Kw::End
                | Kw::When
                | Kw::Order
                | Kw::Skip
                | Kw::Offset
                | Kw::Limit
                | Kw::Asc
                | Kw::Ascending
                | Kw::Desc
                | Kw::Descending
                | Kw::Use
                | Kw::Finish
                | Kw::Return
                | Kw::Create
                | Kw::Insert
                | Kw::Delete
                | Kw::Detach
                | Kw::Nodetach
                | Kw::Set
                | Kw::Remove
                | Kw::Match
                | Kw::Optional
                | Kw::Merge
                | Kw::With
                | Kw::Unwind
                | Kw::Call
                | Kw::Load
                | Kw::Foreach
                | Kw::Union
                | Kw::Yield
                | Kw::Show
                | Kw::Terminate
                | Kw::Concurrent
                | Kw::Row
                | Kw::Rows
                | Kw::Sec
                | Kw::Second
                | Kw::Seconds
                | Kw::From
                | Kw::To
                | Kw::Wait
                | Kw::Nowait
        ),
        _ => false,
    }
}

/// A frame's items as its parent sees them: one rule name for a named rule, label names
/// renamed by the label expression or pattern they passed through.
fn fold(kind: Frame, mut set: ItemSet) -> ItemSet {
    match kind {
        Frame::Named(rule) => {
            // Completion hints survive folding: they say what kind of name it is.
            let mut one = set.hints();
            one.insert(Item::rule(rule));
            one
        }
        Frame::LabelExpr => {
            set.relabel(Rule::LabelName, Rule::LabelNameInExpr);
            set
        }
        Frame::Node => {
            set.relabel(Rule::LabelNameInExpr, Rule::LabelNameInNode);
            set
        }
        Frame::Rel => {
            set.relabel(Rule::LabelNameInExpr, Rule::LabelNameInRel);
            set
        }
        Frame::Plain => set,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ascii_shortcut_places_errors_as_of_byte_does() {
        for text in [
            "",
            "MATCH (n)\nRETURN n",
            "CREATE DATABASE foo-restored\r\n  TOPOLOGY 3 PRIMARIES",
            "\n\n\tx",
            "RETURN 'é' + x\n + y",
            "RETURN '😀'\nFOO",
        ] {
            for byte in 0..text.len() + 3 {
                assert_eq!(
                    position(text, byte),
                    Position::of_byte(text, byte),
                    "{text:?} at {byte}"
                );
            }
        }
    }
}
