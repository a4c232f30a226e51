//! The one lexer of Cypher: statement text to tokens with byte spans, following Neo4j's
//! Cypher 5 lexer (longest match, keywords case-insensitive, unknown characters as
//! one-character error tokens). The splitter, the parser, the highlighter and the completer
//! all read text through it, so they cannot disagree about where a string, a comment or
//! a quoted name ends.
//!
//! It owns what a token is. It must not know the grammar: keywords are only recognised
//! (see `keywords`), never judged, because nearly every keyword is also a valid name.

pub mod chars;
pub mod keywords;
pub mod unicode;

pub use keywords::Kw;

use chars::{
    is_arrow_left, is_arrow_line, is_arrow_right, is_ascii_part_letter, is_ascii_space, is_letter,
    is_part_letter, is_space,
};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tok {
    /// An unquoted name that is not a keyword.
    Ident,
    /// A keyword (which is also usable as a name almost everywhere).
    Kw(Kw),
    /// A backtick-quoted name.
    Escaped,
    /// A string literal in single or double quotes.
    Str,
    /// An unsigned decimal integer (`42`, `1_000`; also malformed ones such as `12ab`,
    /// which the parser rejects as Neo4j's AST builder does).
    Int,
    /// A hexadecimal integer (`0x1F`).
    Hex,
    /// An octal integer (`0o17`, and the legacy `017` Neo4j refuses).
    Octal,
    /// A decimal float (`1.5`, `.5`, `1e3`).
    Float,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `{`
    LCurly,
    /// `}`
    RCurly,
    /// `,`
    Comma,
    /// `.`
    Dot,
    /// `..`
    DotDot,
    /// `:`
    Colon,
    /// `::`
    ColonColon,
    /// `;`
    Semicolon,
    /// `$`
    Dollar,
    /// `=`
    Eq,
    /// `<>`
    Neq,
    /// `!=` (refused by the grammar with a hint to use `<>`)
    InvalidNeq,
    /// `<=`
    Le,
    /// `>=`
    Ge,
    /// `<`
    Lt,
    /// `>`
    Gt,
    /// `+`
    Plus,
    /// `+=`
    PlusEq,
    /// `-`
    Minus,
    /// `*`
    Times,
    /// `/`
    Divide,
    /// `%`
    Percent,
    /// `^`
    Pow,
    /// `=~`
    RegEq,
    /// `|`
    Bar,
    /// `||`
    DoubleBar,
    /// `&`
    Ampersand,
    /// `!`
    Bang,
    /// `?`
    Question,
    /// A dash other than `-` in a relationship arrow (`—`, `－`, ...).
    ArrowLine,
    /// An arrow head other than `<` (`⟨`, ...).
    ArrowLeft,
    /// An arrow head other than `>` (`⟩`, ...).
    ArrowRight,
    /// `******`: a password Neo4j has masked in a logged query.
    Obfuscation,
    /// A character no token starts with, or the opening quote, backtick or comment of one
    /// that is never closed (Neo4j's `ErrorChar`).
    Error,
    /// A `//` or `/* */` comment (only with [`Lexer::with_trivia`]).
    Comment,
    /// The end of the input.
    Eof,
}

/// One token: its kind and its byte span in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// What the token is.
    pub kind: Tok,
    /// Byte offset of its first character.
    pub start: u32,
    /// Byte offset just past its last character.
    pub end: u32,
}

impl Token {
    /// The token's text in `src`.
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        src.get(self.start as usize..self.end as usize)
            .unwrap_or("")
    }

    /// True for a token that may serve as an unquoted name: an identifier or any keyword.
    pub fn is_word(&self) -> bool {
        matches!(self.kind, Tok::Ident | Tok::Kw(_))
    }
}

/// Something the lexer could not close. The parser's lexer turns the opening character
/// into an [`Tok::Error`] token (as Neo4j's does); the splitter reads it as "the statement
/// goes on past the end of the input".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unclosed {
    /// A string literal.
    String,
    /// A backtick-quoted name.
    Name,
    /// A `/* ... */` comment.
    Comment,
}

/// The largest text the lexer accepts: token offsets are 32-bit.
pub const MAX_LEN: usize = u32::MAX as usize - 1;

/// A token stream over `src`.
pub struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    trivia: bool,
    done: bool,
}

impl<'a> Lexer<'a> {
    /// Tokens of `src`, skipping white space and comments. Texts longer than [`MAX_LEN`]
    /// are lexed up to that length (callers refuse them first).
    pub fn new(src: &'a str) -> Lexer<'a> {
        let src = if src.len() > MAX_LEN {
            let mut end = MAX_LEN;
            while !src.is_char_boundary(end) {
                end -= 1;
            }
            &src[..end]
        } else {
            src
        };
        Lexer {
            src,
            pos: 0,
            trivia: false,
            done: false,
        }
    }

    /// The same, but comments come out as [`Tok::Comment`] tokens (for highlighting).
    pub fn with_trivia(src: &'a str) -> Lexer<'a> {
        Lexer {
            trivia: true,
            ..Lexer::new(src)
        }
    }

    fn token(&self, kind: Tok, start: usize, end: usize) -> Token {
        Token {
            kind,
            start: start as u32,
            end: end as u32,
        }
    }

    /// The next token; [`Tok::Eof`] (at the end of the text) forever after the last one.
    pub fn next_token(&mut self) -> Token {
        let bytes = self.src.as_bytes();
        loop {
            let start = self.pos;
            let Some(&b) = bytes.get(start) else {
                self.done = true;
                return self.token(Tok::Eof, bytes.len(), bytes.len());
            };
            match b {
                _ if is_ascii_space(b) => {
                    self.pos += 1;
                    continue;
                }
                b'/' if bytes.get(start + 1) == Some(&b'/') => {
                    let end = line_comment_end(self.src, start);
                    self.pos = end;
                    if self.trivia {
                        return self.token(Tok::Comment, start, end);
                    }
                    continue;
                }
                b'/' if bytes.get(start + 1) == Some(&b'*') => {
                    if let Ok(end) = block_comment_end(self.src, start) {
                        self.pos = end;
                        if self.trivia {
                            return self.token(Tok::Comment, start, end);
                        }
                        continue;
                    }
                    // Unclosed: Neo4j's lexer falls back to `/` and `*` tokens, and the
                    // parser names the comment in its message.
                    self.pos += 1;
                    return self.token(Tok::Divide, start, start + 1);
                }
                _ if b >= 0x80 => {
                    let c = self.src[start..].chars().next().unwrap_or('\u{fffd}');
                    if is_space(c) {
                        self.pos += c.len_utf8();
                        continue;
                    }
                    let (kind, end) = scan_non_ascii(self.src, start, c);
                    self.pos = end;
                    return self.token(kind, start, end);
                }
                _ => {
                    let (kind, end) = scan_ascii(self.src, start, b);
                    self.pos = end;
                    return self.token(kind, start, end);
                }
            }
        }
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    /// Every token including the final [`Tok::Eof`], then `None`.
    fn next(&mut self) -> Option<Token> {
        if self.done {
            return None;
        }
        Some(self.next_token())
    }
}

/// All tokens of `src`, ending with [`Tok::Eof`].
pub fn tokenize(src: &str) -> Vec<Token> {
    let mut out = Vec::new();
    tokenize_into(src, &mut out);
    out
}

/// [`tokenize`] into `out` (emptied first), so a caller can lex statement after statement
/// into one buffer.
///
/// The tokens the parser meets most (ASCII white space, words, plain integers, strings,
/// `.`, one- and two-byte punctuation) are read in this loop directly (a [`START`] table
/// look-up per token); any other byte goes to [`Lexer::next_token`]. Going through the
/// lexer's iterator for every token cost about as much again as reading the token
/// (BENCHMARKS.md, issue 16, session 10); the result is the iterator's, token for token
/// (a unit test and a random test hold them equal).
pub fn tokenize_into(src: &str, out: &mut Vec<Token>) {
    out.clear();
    let mut lexer = Lexer::new(src);
    let src = lexer.src;
    let bytes = src.as_bytes();
    out.reserve(bytes.len() / 4 + 1);
    let mut pos = 0;
    while let Some(&b) = bytes.get(pos) {
        let (kind, end) = match START[usize::from(b)] {
            Start::Space => {
                pos += 1;
                continue;
            }
            Start::Word => word(src, pos),
            Start::One(kind) => (kind, pos + 1),
            Start::Pair(one, second, two) => match bytes.get(pos + 1) {
                Some(&b) if b == second => (two, pos + 2),
                _ => (one, pos + 1),
            },
            Start::Dot => match bytes.get(pos + 1) {
                Some(b'.') => (Tok::DotDot, pos + 2),
                Some(b) if b.is_ascii_digit() => number(src, pos),
                _ => (Tok::Dot, pos + 1),
            },
            Start::Quote => match string_end(src, pos) {
                Ok(end) => (Tok::Str, end),
                Err(_) => (Tok::Error, pos + 1),
            },
            Start::Digit => match plain_integer(bytes, pos) {
                Some(end) => (Tok::Int, end),
                None => number(src, pos),
            },
            Start::Other => {
                lexer.pos = pos;
                let t = lexer.next_token();
                if t.kind == Tok::Eof {
                    // Only comments were left.
                    break;
                }
                out.push(t);
                pos = lexer.pos;
                continue;
            }
        };
        out.push(Token {
            kind,
            start: pos as u32,
            end: end as u32,
        });
        pos = end;
    }
    let end = bytes.len() as u32;
    out.push(Token {
        kind: Tok::Eof,
        start: end,
        end,
    });
}

/// How [`tokenize_into`] reads a token by its first byte.
#[derive(Clone, Copy)]
enum Start {
    /// ASCII white space, skipped.
    Space,
    /// An ASCII letter or `_`: a word ([`word`]).
    Word,
    /// A token of this one byte, whatever follows it.
    One(Tok),
    /// A token of this byte, or of two when the next is the given one (`:` and `::`).
    Pair(Tok, u8, Tok),
    /// A quote: a string literal (or an error token when it is never closed).
    Quote,
    /// `.`: a property access, `..` or a float (`.5`).
    Dot,
    /// A digit: a number ([`plain_integer`], else [`number`]).
    Digit,
    /// Anything else: [`Lexer::next_token`] reads it.
    Other,
}

/// [`Start`] for every byte; agrees with `Lexer::next_token` and `scan_ascii`.
static START: [Start; 256] = {
    let mut table = [Start::Other; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            b if is_ascii_space(b) => Start::Space,
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => Start::Word,
            b'0'..=b'9' => Start::Digit,
            b'\'' | b'"' => Start::Quote,
            b'.' => Start::Dot,
            b':' => Start::Pair(Tok::Colon, b':', Tok::ColonColon),
            b'=' => Start::Pair(Tok::Eq, b'~', Tok::RegEq),
            b'>' => Start::Pair(Tok::Gt, b'=', Tok::Ge),
            b'!' => Start::Pair(Tok::Bang, b'=', Tok::InvalidNeq),
            b'+' => Start::Pair(Tok::Plus, b'=', Tok::PlusEq),
            b'|' => Start::Pair(Tok::Bar, b'|', Tok::DoubleBar),
            b'(' => Start::One(Tok::LParen),
            b')' => Start::One(Tok::RParen),
            b'[' => Start::One(Tok::LBracket),
            b']' => Start::One(Tok::RBracket),
            b'{' => Start::One(Tok::LCurly),
            b'}' => Start::One(Tok::RCurly),
            b',' => Start::One(Tok::Comma),
            b';' => Start::One(Tok::Semicolon),
            b'$' => Start::One(Tok::Dollar),
            b'-' => Start::One(Tok::Minus),
            b'%' => Start::One(Tok::Percent),
            b'^' => Start::One(Tok::Pow),
            b'&' => Start::One(Tok::Ampersand),
            b'?' => Start::One(Tok::Question),
            _ => Start::Other,
        };
        b += 1;
    }
    table
};

/// The end of the decimal integer at `start` when it is a plain one: digits (not a
/// leading `0` followed by more) and then a byte that cannot go on with a number (not a
/// name character, `.` or a non-ASCII one). `None` leaves the longest-match rules of
/// [`number`] to read it (floats, hex and octal, `1_000`, malformed `12ab`).
fn plain_integer(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while bytes.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let continues = bytes
        .get(i)
        .is_some_and(|&b| b == b'.' || b >= 0x80 || WORD_CLASS[usize::from(b)] & NAME_PART != 0);
    let octal = bytes.get(start) == Some(&b'0') && i > start + 1;
    (!continues && !octal).then_some(i)
}

/// A token starting with an ASCII byte at `start`.
fn scan_ascii(src: &str, start: usize, b: u8) -> (Tok, usize) {
    let bytes = src.as_bytes();
    let next = bytes.get(start + 1).copied();
    let one = |k| (k, start + 1);
    let two = |k| (k, start + 2);
    match b {
        b'a'..=b'z' | b'A'..=b'Z' | b'_' => word(src, start),
        b'0'..=b'9' => number(src, start),
        b'.' if next.is_some_and(|n| n.is_ascii_digit()) => number(src, start),
        b'\'' | b'"' => match string_end(src, start) {
            Ok(end) => (Tok::Str, end),
            Err(_) => one(Tok::Error),
        },
        b'`' => match quoted_name_end(src, start) {
            Ok(end) => (Tok::Escaped, end),
            Err(_) => one(Tok::Error),
        },
        b'(' => one(Tok::LParen),
        b')' => one(Tok::RParen),
        b'[' => one(Tok::LBracket),
        b']' => one(Tok::RBracket),
        b'{' => one(Tok::LCurly),
        b'}' => one(Tok::RCurly),
        b',' => one(Tok::Comma),
        b';' => one(Tok::Semicolon),
        b'$' => one(Tok::Dollar),
        b'.' if next == Some(b'.') => two(Tok::DotDot),
        b'.' => one(Tok::Dot),
        b':' if next == Some(b':') => two(Tok::ColonColon),
        b':' => one(Tok::Colon),
        b'=' if next == Some(b'~') => two(Tok::RegEq),
        b'=' => one(Tok::Eq),
        b'<' if next == Some(b'>') => two(Tok::Neq),
        b'<' if next == Some(b'=') => two(Tok::Le),
        b'<' => one(Tok::Lt),
        b'>' if next == Some(b'=') => two(Tok::Ge),
        b'>' => one(Tok::Gt),
        b'!' if next == Some(b'=') => two(Tok::InvalidNeq),
        b'!' => one(Tok::Bang),
        b'+' if next == Some(b'=') => two(Tok::PlusEq),
        b'+' => one(Tok::Plus),
        b'-' => one(Tok::Minus),
        b'*' if bytes.get(start..start + 6) == Some(b"******") => (Tok::Obfuscation, start + 6),
        b'*' => one(Tok::Times),
        b'/' => one(Tok::Divide),
        b'%' => one(Tok::Percent),
        b'^' => one(Tok::Pow),
        b'|' if next == Some(b'|') => two(Tok::DoubleBar),
        b'|' => one(Tok::Bar),
        b'&' => one(Tok::Ampersand),
        b'?' => one(Tok::Question),
        _ => one(Tok::Error),
    }
}

/// A token starting with the non-ASCII character `c` at `start`.
fn scan_non_ascii(src: &str, start: usize, c: char) -> (Tok, usize) {
    let after = start + c.len_utf8();
    if is_letter(c) {
        (Tok::Ident, word_end(src, after))
    } else if is_arrow_line(c) {
        (Tok::ArrowLine, after)
    } else if is_arrow_left(c) {
        (Tok::ArrowLeft, after)
    } else if is_arrow_right(c) {
        (Tok::ArrowRight, after)
    } else {
        (Tok::Error, after)
    }
}

/// [`WORD_CLASS`]: the byte is an ASCII name character (`is_part_letter`).
const NAME_PART: u8 = 1;

/// The class of every byte for the name reader: [`NAME_PART`], or 0 for any other byte,
/// a non-ASCII one included.
static WORD_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        if is_ascii_part_letter(b as u8) {
            table[b] = NAME_PART;
        }
        b += 1;
    }
    table
};

/// A word starting with an ASCII letter or `_` at `start`: an identifier or a keyword.
///
/// The text is read eight bytes at a time ([`letter_bytes`] marks the ASCII letters of
/// each eight), and each eight's letters, upper-cased by clearing bit 5 of every byte,
/// are the next word of the keyword key (`Kw::lookup_words`). A word that is letters only
/// and 2 to 24 of them long is looked up; at the first byte that is not a letter, a
/// byte ending the word (white space, punctuation, the end of the text) ends it, and
/// any other name character (a digit, `_`, `$`, a non-ASCII letter) makes it an
/// identifier read to its end by [`word_end`]. One pass, and no test per byte.
#[inline(always)]
fn word(src: &str, start: usize) -> (Tok, usize) {
    let bytes = src.as_bytes();
    let mut key = [0u64; 3];
    let mut i = start;
    let mut chunk = 0;
    loop {
        let w = match bytes.get(i..).and_then(|rest| rest.first_chunk::<8>()) {
            Some(eight) => u64::from_le_bytes(*eight),
            None => {
                // Fewer than eight bytes left: zero-padded (a zero byte ends a word).
                let mut eight = [0u8; 8];
                let rest = bytes.get(i..).unwrap_or_default();
                eight[..rest.len()].copy_from_slice(rest);
                u64::from_le_bytes(eight)
            }
        };
        let letters = letter_bytes(w);
        // The letters before the first byte that is not one.
        let n = ((letters ^ HIGH_BITS).trailing_zeros() / 8) as usize;
        if let Some(k) = key.get_mut(chunk) {
            let mask = if n == 8 {
                u64::MAX
            } else {
                (1u64 << (8 * n)) - 1
            };
            *k = w & mask & 0xdfdf_dfdf_dfdf_dfdf;
        }
        i += n;
        if n == 8 {
            chunk += 1;
            continue;
        }
        break;
    }
    match bytes.get(i) {
        Some(&b) if b >= 0x80 => {
            // A non-ASCII character: no keyword has one; if it is a name character the
            // rest is read as a name, otherwise the word ends before it.
            let end = word_end(src, i);
            if end > i {
                return (Tok::Ident, end);
            }
        }
        Some(&b) if WORD_CLASS[usize::from(b)] & NAME_PART != 0 => {
            return (Tok::Ident, word_end(src, i));
        }
        _ => {}
    }
    let len = i - start;
    let kind = if (2..=keywords::MAX_LEN).contains(&len) {
        Kw::lookup_words(&key).map_or(Tok::Ident, Tok::Kw)
    } else {
        Tok::Ident
    };
    (kind, i)
}

/// The high bit of every byte of a word.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The high bit set in every byte of `w` (eight bytes of text, little-endian) that is an
/// ASCII letter, all other bits clear. Each byte is taken to its low seven bits and made
/// lower case (bit 5 set): a letter is then `a`..=`z`, 0x61 to 0x7a, which adding 0x1f
/// carries into the high bit and adding 0x05 does not; no byte overflows into the next.
/// Bytes of 0x80 and above are not letters.
fn letter_bytes(w: u64) -> u64 {
    let lower = (w & !HIGH_BITS) | 0x2020_2020_2020_2020;
    let at_least_a = lower.wrapping_add(0x1f1f_1f1f_1f1f_1f1f);
    let past_z = lower.wrapping_add(0x0505_0505_0505_0505);
    at_least_a & !past_z & !w & HIGH_BITS
}

/// The end of a run of name characters starting at `from`.
fn word_end(src: &str, from: usize) -> usize {
    let bytes = src.as_bytes();
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        if b < 0x80 {
            if WORD_CLASS[usize::from(b)] & NAME_PART != 0 {
                i += 1;
            } else {
                break;
            }
        } else {
            match src[i..].chars().next() {
                Some(c) if is_part_letter(c) => i += c.len_utf8(),
                _ => break,
            }
        }
    }
    i
}

/// The end of a `//` comment starting at `start` (before its line break).
pub fn line_comment_end(src: &str, start: usize) -> usize {
    src[start..]
        .find(['\n', '\r'])
        .map_or(src.len(), |n| start + n)
}

/// The end of a `/* */` comment starting at `start`, or where the text ran out.
pub fn block_comment_end(src: &str, start: usize) -> Result<usize, usize> {
    match src.get(start + 2..).and_then(|rest| rest.find("*/")) {
        Some(n) => Ok(start + 2 + n + 2),
        None => Err(src.len()),
    }
}

/// The end of a string literal opened at `start` (any character may follow a backslash;
/// the parser interprets escapes), or where the text ran out.
pub fn string_end(src: &str, start: usize) -> Result<usize, usize> {
    let bytes = src.as_bytes();
    let quote = bytes[start];
    let mut i = start + 1;
    loop {
        let rest = &bytes[i.min(bytes.len())..];
        match rest.iter().position(|&b| b == quote || b == b'\\') {
            None => return Err(src.len()),
            Some(n) if rest[n] == quote => return Ok(i + n + 1),
            Some(n) => {
                // Skip the backslash and the (possibly multi-byte) character after it.
                let after = i + n + 1;
                match src.get(after..).and_then(|s| s.chars().next()) {
                    Some(c) => i = after + c.len_utf8(),
                    None => return Err(src.len()),
                }
            }
        }
    }
}

/// The end of a backtick-quoted name opened at `start` (a doubled backtick stands for
/// one), or where the text ran out.
pub fn quoted_name_end(src: &str, start: usize) -> Result<usize, usize> {
    let bytes = src.as_bytes();
    let mut i = start + 1;
    loop {
        match bytes
            .get(i..)
            .and_then(|rest| rest.iter().position(|&b| b == b'`'))
        {
            None => return Err(src.len()),
            Some(n) => {
                let close = i + n;
                if bytes.get(close + 1) == Some(&b'`') {
                    i = close + 2;
                } else {
                    return Ok(close + 1);
                }
            }
        }
    }
}

/// A number literal at `start` by Neo4j's rules: the longest of a float, a decimal, a
/// hexadecimal and an octal integer, each swallowing trailing name characters (so
/// `12ab` is one malformed number, as in Neo4j), a float winning ties.
fn number(src: &str, start: usize) -> (Tok, usize) {
    let bytes = src.as_bytes();
    let float = float_end(src, start);
    let (int_kind, int_end) = match bytes[start] {
        b'.' => (Tok::Float, start),
        b'0' => match bytes.get(start + 1) {
            Some(b'x' | b'X') => (Tok::Hex, word_end(src, start + 2)),
            _ => {
                let end = word_end(src, start + 1);
                if end == start + 1 {
                    (Tok::Int, end)
                } else {
                    (Tok::Octal, end)
                }
            }
        },
        _ => (Tok::Int, word_end(src, start + 1)),
    };
    match float {
        Some(end) if end >= int_end => (Tok::Float, end),
        _ => (int_kind, int_end),
    }
}

/// `[0-9](_?[0-9])*` from `i`: the end, or `None` when no digit starts there.
fn digits(bytes: &[u8], i: usize) -> Option<usize> {
    if !bytes.get(i)?.is_ascii_digit() {
        return None;
    }
    let mut j = i + 1;
    loop {
        match (bytes.get(j), bytes.get(j + 1)) {
            (Some(d), _) if d.is_ascii_digit() => j += 1,
            (Some(b'_'), Some(d)) if d.is_ascii_digit() => j += 2,
            _ => return Some(j),
        }
    }
}

/// The end of the longest float literal at `start`, if one matches.
fn float_end(src: &str, start: usize) -> Option<usize> {
    let bytes = src.as_bytes();
    let (mantissa_end, has_point) = if bytes[start] == b'.' {
        (digits(bytes, start + 1)?, true)
    } else {
        let int_end = digits(bytes, start)?;
        match (bytes.get(int_end), digits(bytes, int_end + 1)) {
            (Some(b'.'), Some(frac_end)) => (frac_end, true),
            _ => (int_end, false),
        }
    };
    let mut end = mantissa_end;
    let exponent = exponent_end(src, mantissa_end);
    if let Some(e) = exponent {
        end = e;
    } else if !has_point {
        return None;
    }
    // A trailing name makes the literal malformed but still one token.
    if let Some(c) = src[end..].chars().next()
        && is_letter(c)
    {
        end = word_end(src, end + c.len_utf8());
    }
    Some(end)
}

/// `[eE][+-]?(_?[0-9])+` followed by name characters, at `i`.
fn exponent_end(src: &str, i: usize) -> Option<usize> {
    let bytes = src.as_bytes();
    if !matches!(bytes.get(i), Some(b'e' | b'E')) {
        return None;
    }
    let mut j = i + 1;
    if matches!(bytes.get(j), Some(b'+' | b'-')) {
        j += 1;
    }
    let k = if bytes.get(j) == Some(&b'_') {
        j + 1
    } else {
        j
    };
    let end = digits(bytes, k)?;
    Some(word_end(src, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(Tok, &str)> {
        tokenize(src)
            .into_iter()
            .map(|t| (t.kind, t.text(src)))
            .collect()
    }

    #[test]
    fn words_keywords_and_names() {
        assert_eq!(
            kinds("MATCH (n:Person) RETURN n"),
            [
                (Tok::Kw(Kw::Match), "MATCH"),
                (Tok::LParen, "("),
                (Tok::Ident, "n"),
                (Tok::Colon, ":"),
                (Tok::Ident, "Person"),
                (Tok::RParen, ")"),
                (Tok::Kw(Kw::Return), "RETURN"),
                (Tok::Ident, "n"),
                (Tok::Eof, ""),
            ]
        );
        assert_eq!(kinds("a$b")[0], (Tok::Ident, "a$b"));
        assert_eq!(kinds("`a``b` c")[0], (Tok::Escaped, "`a``b`"));
        assert_eq!(kinds("名前")[0], (Tok::Ident, "名前"));
    }

    #[test]
    fn numbers_follow_neo4js_longest_match() {
        fn one(s: &str) -> (Tok, &str) {
            kinds(s)[0]
        }
        assert_eq!(one("42"), (Tok::Int, "42"));
        assert_eq!(one("1_000"), (Tok::Int, "1_000"));
        assert_eq!(one("0"), (Tok::Int, "0"));
        assert_eq!(one("012"), (Tok::Octal, "012"));
        assert_eq!(one("0o17"), (Tok::Octal, "0o17"));
        assert_eq!(one("0x1F"), (Tok::Hex, "0x1F"));
        assert_eq!(one("0x"), (Tok::Hex, "0x"));
        assert_eq!(one("1.5"), (Tok::Float, "1.5"));
        assert_eq!(one(".5e3"), (Tok::Float, ".5e3"));
        assert_eq!(one("1e5"), (Tok::Float, "1e5"));
        assert_eq!(one("1E-5"), (Tok::Float, "1E-5"));
        assert_eq!(one("12ab"), (Tok::Int, "12ab"));
        assert_eq!(one("1.5x"), (Tok::Float, "1.5x"));
        assert_eq!(
            kinds("1..3"),
            [
                (Tok::Int, "1"),
                (Tok::DotDot, ".."),
                (Tok::Int, "3"),
                (Tok::Eof, "")
            ]
        );
        assert_eq!(kinds("n.x")[1], (Tok::Dot, "."));
    }

    #[test]
    fn strings_and_unclosed_things() {
        assert_eq!(kinds(r"'a\'b' x")[0], (Tok::Str, r"'a\'b'"));
        assert_eq!(kinds(r#""a\qb""#)[0], (Tok::Str, r#""a\qb""#));
        assert_eq!(kinds("'open")[0], (Tok::Error, "'"));
        assert_eq!(kinds("`open")[0], (Tok::Error, "`"));
        assert_eq!(
            kinds("1 /* x"),
            [
                (Tok::Int, "1"),
                (Tok::Divide, "/"),
                (Tok::Times, "*"),
                (Tok::Ident, "x"),
                (Tok::Eof, "")
            ]
        );
        assert_eq!(kinds("a // b\nc").len(), 3);
        assert_eq!(
            Lexer::with_trivia("a /* b */ c")
                .map(|t| t.kind)
                .collect::<Vec<_>>(),
            [Tok::Ident, Tok::Comment, Tok::Ident, Tok::Eof]
        );
    }

    #[test]
    fn operators_take_the_longest_match() {
        let ops: Vec<Tok> = kinds("<> <= >= =~ != += :: .. || ****** <-- —")
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(
            ops,
            [
                Tok::Neq,
                Tok::Le,
                Tok::Ge,
                Tok::RegEq,
                Tok::InvalidNeq,
                Tok::PlusEq,
                Tok::ColonColon,
                Tok::DotDot,
                Tok::DoubleBar,
                Tok::Obfuscation,
                Tok::Lt,
                Tok::Minus,
                Tok::Minus,
                Tok::ArrowLine,
                Tok::Eof
            ]
        );
    }

    #[test]
    fn odd_characters_are_error_tokens() {
        assert_eq!(kinds("#")[0], (Tok::Error, "#"));
        assert_eq!(kinds("\u{3000}x")[0], (Tok::Ident, "x"));
        assert_eq!(kinds("“s”")[0], (Tok::Error, "“"));
    }

    /// The one-pass word reader against the two passes it replaced (`word_end`, then
    /// `Kw::lookup` of the word).
    fn word_agrees(src: &str) {
        let two_pass = |start: usize| {
            let end = word_end(src, start + 1);
            let kind = Kw::lookup(&src[start..end]).map_or(Tok::Ident, Tok::Kw);
            (kind, end)
        };
        for (i, b) in src.bytes().enumerate() {
            if b.is_ascii_alphabetic() || b == b'_' {
                assert_eq!(word(src, i), two_pass(i), "{src:?} at {i}");
            }
        }
    }

    #[test]
    fn one_pass_words_are_read_as_before() {
        for k in keywords::ALL {
            word_agrees(k.text());
            word_agrees(&k.text().to_lowercase());
            word_agrees(&format!("{}x é", k.text()));
            word_agrees(&format!("{}é", k.text()));
            word_agrees(&format!("{}_1$", k.text()));
        }
        for src in [
            "a",
            "ab",
            "a_b",
            "_match",
            "MATCH\u{7f}",
            "M@TCH",
            "matchmatchmatchmatchmatchm",
            "allShortestPathsX",
            "x\u{1}y",
            "abcdefghijklmnopqrstuvwx",
            "abcdefghijklmnopqrstuvwxy",
        ] {
            word_agrees(src);
        }
    }

    /// `tokenize_into`'s own loop against the lexer's iterator, token for token.
    fn fast_loop_agrees(src: &str) {
        let mut fast = Vec::new();
        tokenize_into(src, &mut fast);
        let slow: Vec<Token> = Lexer::new(src).collect();
        assert_eq!(fast, slow, "{src:?}");
    }

    #[test]
    fn the_token_loop_reads_as_the_lexer() {
        for src in [
            "",
            " ",
            "MATCH (n:Person)-[r:KNOWS*1..2]->(m) WHERE n.x <> $p RETURN n, m;",
            "a//c\n",
            "a /* c */",
            "a /* unclosed",
            "x // only a comment",
            "'s' \"t\" `q` 1.5e3 0x1F 017 .5 a$b",
            "$a-b%c^d&e?f+=g||h::i..j=~k!=l<>m<=n>=o******",
            "名前 \u{3000}x “s” —",
            "\u{1c}\u{1d}\u{1e}\u{1f}\u{b}\u{c}a",
            "0 1 12 017 00 0x1F 0o17 1.5 1e3 1E3 1_000 12ab 3é 1..2 10) 7$ 08 9",
        ] {
            fast_loop_agrees(src);
        }
        for k in keywords::ALL {
            fast_loop_agrees(&format!("{}({}) ", k.text(), k.text().to_lowercase()));
        }
    }

    proptest::proptest! {
        #[test]
        fn the_token_loop_agrees_on_random_text(src in "[a-zA-Z_0-9$ \t\n()\\[\\]{},;%^&?+*/.:=<>!|'\"`\\\\\u{1}\u{7f}éⅰ·@—\u{3000}-]{0,40}") {
            fast_loop_agrees(&src);
        }

        #[test]
        fn one_pass_words_agree_on_random_words(src in "[a-zA-Z_0-9$\u{1}\u{7f}éⅰ·@ ]{0,30}") {
            word_agrees(&src);
        }
    }
}
