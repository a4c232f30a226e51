//! The statement splitter shared by the REPL, `-f`, stdin, `:source` and `cysh check`.
//!
//! It owns cypher-shell's rules for where one statement ends (reference/cypher-shell.md
//! §3.2): `;` outside quotes, backticks and comments; backslash escapes; colon-commands
//! as their own statements (`:param {..}` spanning lines until its braces balance); and
//! the line and column of every statement in the input. It must not parse statements.

use super::lexer::chars::is_space;
use super::lexer::{block_comment_end, line_comment_end, quoted_name_end, string_end};
use crate::error::Position;

/// What one piece of input is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PieceKind {
    /// A Cypher statement (text excludes the terminating `;`).
    Cypher,
    /// A colon-command such as `:param` or `:exit`.
    Command {
        /// Lower-cased name including the colon, e.g. `:param`.
        name: String,
        /// Everything after the name, trailing whitespace and `;` trimmed.
        args: String,
    },
}

/// One statement or command cut from the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// Cypher or command.
    pub kind: PieceKind,
    /// The statement text: for Cypher, from its first character up to (excluding) the
    /// `;`, comments inside kept; for a command, the whole command text.
    pub text: String,
    /// Byte offset of the first character in the input.
    pub offset: usize,
    /// Line and column of the first character in the input.
    pub position: Position,
    /// False when the input ended before the statement was terminated (no `;`, or a
    /// `:param {` whose braces never balanced).
    pub complete: bool,
}

/// Splits `input` into statements and commands, in order. Blank statements (only
/// whitespace and comments before a `;`) are dropped. The last piece may be incomplete.
pub fn split(input: &str) -> Vec<Piece> {
    pieces(input).collect()
}

/// [`split`] one piece at a time: a large script's pieces need not all be held at once.
pub fn pieces(input: &str) -> Pieces<'_> {
    Pieces {
        input,
        at: Tracker::default(),
        i: 0,
    }
}

/// The iterator of [`pieces`].
pub struct Pieces<'a> {
    input: &'a str,
    at: Tracker,
    /// Where the next piece is looked for.
    i: usize,
}

impl Iterator for Pieces<'_> {
    type Item = Piece;

    fn next(&mut self) -> Option<Piece> {
        let input = self.input;
        let bytes = input.as_bytes();
        loop {
            let i = skip_blank(input, self.i);
            if i >= bytes.len() {
                self.i = bytes.len();
                return None;
            }
            let start = i;
            if bytes[i] == b':' {
                let (end, complete, name, args) = scan_command(input, i);
                self.i = end;
                return Some(Piece {
                    kind: PieceKind::Command { name, args },
                    text: input[start..end].trim_end().to_string(),
                    offset: start,
                    position: self.at.advance(input, start),
                    complete,
                });
            }
            let (end, terminated) = scan_cypher(input, i);
            self.i = if terminated { end + 1 } else { end };
            let text = input[start..end].trim_end();
            if !is_blank(text) {
                return Some(Piece {
                    kind: PieceKind::Cypher,
                    text: text.to_string(),
                    offset: start,
                    position: self.at.advance(input, start),
                    complete: terminated,
                });
            }
        }
    }
}

/// Positions of increasing byte offsets, computed incrementally so that splitting a large
/// script stays linear (each piece's position counts only the text since the last one).
#[derive(Default)]
struct Tracker {
    byte: usize,
    offset: usize,
    line: usize,
    line_start_offset: usize,
}

impl Tracker {
    fn advance(&mut self, input: &str, byte: usize) -> Position {
        let span = input.get(self.byte..byte).unwrap_or("").as_bytes();
        // Counted by bytes without a branch per byte (a large script's every byte passes
        // here): each character's first byte counts one UTF-16 unit, a four-byte
        // character's two; lines are found with memchr.
        // ASCII text, by far the most common, is one unit per byte: checked a word at a
        // time, where the general count costs some twenty instructions per byte.
        let units = |bytes: &[u8]| -> usize {
            if bytes.is_ascii() {
                return bytes.len();
            }
            bytes
                .iter()
                .map(|&b| usize::from(b & 0xc0 != 0x80) + usize::from(b >= 0xf0))
                .sum()
        };
        if let Some(last) = memchr::memrchr(b'\n', span) {
            self.line += memchr::memchr_iter(b'\n', span).count();
            self.line_start_offset = self.offset + units(&span[..=last]);
        }
        self.offset += units(span);
        self.byte = self.byte.max(byte);
        Position {
            offset: self.offset,
            line: self.line + 1,
            column: self.offset - self.line_start_offset + 1,
        }
    }
}

/// True when `text` holds only whitespace and comments.
pub fn is_blank(text: &str) -> bool {
    skip_blank(text, 0) >= text.len()
}

/// True when the input ends inside an unterminated statement: what the REPL uses to
/// decide whether to read a continuation line.
pub fn is_incomplete(input: &str) -> bool {
    split(input).last().is_some_and(|p| !p.complete)
}

/// The marks of `input` from byte `from`, with absolute offsets: what the splitter needs of
/// the lexer's tokens (`;`, braces, comments, strings and quoted names that never close),
/// found by a scan of the bytes that uses the lexer's own rules for where a comment, a
/// string and a quoted name end (`lexer::{string_end, quoted_name_end, ...}`). Every
/// other token of the lexer is made only of characters that mean nothing here (name and
/// number characters, operators other than `/`), so it need not be read as a token: a
/// statement's words are not looked up as keywords twice. A backslash outside a string
/// escapes the character after it, as in cypher-shell (`\;` does not end a statement).
struct Tokens<'a> {
    input: &'a str,
    /// Where the scan goes on.
    pos: usize,
    /// The end of the last token read (absolute).
    end: usize,
    /// Whether white space and tokens made of plain characters are passed over without
    /// a mark: for callers that look only for `;`, braces and unclosed tokens.
    marks_only: bool,
}

impl<'a> Tokens<'a> {
    fn from(input: &'a str, from: usize) -> Tokens<'a> {
        Tokens {
            input,
            pos: from,
            end: from,
            marks_only: false,
        }
    }

    /// [`Tokens::from`] that reports no [`Mark::Other`] for plain tokens.
    fn marks_from(input: &'a str, from: usize) -> Tokens<'a> {
        Tokens {
            marks_only: true,
            ..Tokens::from(input, from)
        }
    }
}

/// What the splitter needs to know of a token.
#[derive(Debug, PartialEq, Eq)]
enum Mark {
    /// A `;` at this byte.
    Semicolon(usize),
    /// `{`.
    Open,
    /// `}`.
    Close,
    /// An unclosed string, name or comment starting at this byte: it runs to the end.
    Unclosed(usize),
    /// Anything else significant, starting at this byte.
    Other(usize),
    /// A comment.
    Comment,
}

/// How the scan treats an ASCII byte.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// The lexer's ASCII white space.
    Space,
    /// A byte that starts a mark or needs a look (`;`, `{`, `}`, quotes, `/`, `\`).
    Special,
    /// Part of some other token.
    Plain,
}

/// Whether each byte is [`Class::Special`] (no byte of a non-ASCII character is).
static SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = matches!(CLASS[b], Class::Special);
        b += 1;
    }
    table
};

/// [`Class`] of each ASCII byte.
static CLASS: [Class; 128] = {
    let mut table = [Class::Plain; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = match b as u8 {
            b if crate::dialect::lexer::chars::is_ascii_space(b) => Class::Space,
            b';' | b'{' | b'}' | b'\'' | b'"' | b'`' | b'/' | b'\\' => Class::Special,
            _ => Class::Plain,
        };
        b += 1;
    }
    table
};

impl Iterator for Tokens<'_> {
    type Item = Mark;

    fn next(&mut self) -> Option<Mark> {
        let input = self.input;
        let bytes = input.as_bytes();
        loop {
            if self.marks_only {
                // Straight to the next byte that may start a mark.
                let rest = bytes.get(self.pos..)?;
                self.pos += rest
                    .iter()
                    .position(|&b| SPECIAL[usize::from(b)])
                    .unwrap_or(rest.len());
            }
            let start = self.pos;
            let &b = bytes.get(start)?;
            if b >= 0x80 {
                let c = input[start..].chars().next().unwrap_or('\u{fffd}');
                self.pos = start + c.len_utf8();
                if is_space(c) {
                    continue;
                }
                self.end = self.pos;
                return Some(Mark::Other(start));
            }
            match CLASS[usize::from(b)] {
                Class::Space => {
                    self.pos = start + 1;
                    continue;
                }
                Class::Plain => {
                    self.pos = start + 1;
                    self.end = self.pos;
                    return Some(Mark::Other(start));
                }
                Class::Special => {}
            }
            let (mark, end) = match b {
                b';' => (Mark::Semicolon(start), start + 1),
                b'{' => (Mark::Open, start + 1),
                b'}' => (Mark::Close, start + 1),
                b'/' if bytes.get(start + 1) == Some(&b'/') => {
                    (Mark::Comment, line_comment_end(input, start))
                }
                // The lexer reads an unclosed `/*` as `/` then `*`.
                b'/' if bytes.get(start + 1) == Some(&b'*') => {
                    match block_comment_end(input, start) {
                        Ok(end) => (Mark::Comment, end),
                        Err(_) => (Mark::Unclosed(start), start + 1),
                    }
                }
                b'/' => (Mark::Other(start), start + 1),
                b'\'' | b'"' => match string_end(input, start) {
                    Ok(end) => (Mark::Other(start), end),
                    Err(_) => (Mark::Unclosed(start), start + 1),
                },
                b'`' => match quoted_name_end(input, start) {
                    Ok(end) => (Mark::Other(start), end),
                    Err(_) => (Mark::Unclosed(start), start + 1),
                },
                // `\`: the character after it is skipped.
                _ => {
                    let skip = input[start + 1..].chars().next().map_or(0, char::len_utf8);
                    (Mark::Other(start), start + 1 + skip)
                }
            };
            self.pos = end;
            self.end = end;
            return Some(mark);
        }
    }
}

/// Skips whitespace and whole comments from `i`; returns the next significant byte (an
/// unterminated block comment swallows the rest of the input).
fn skip_blank(input: &str, i: usize) -> usize {
    let mut tokens = Tokens::from(input, i);
    loop {
        let before = tokens.end;
        match tokens.next() {
            None => return input.len(),
            Some(Mark::Comment) => {}
            Some(Mark::Unclosed(at)) if input[at..].starts_with('/') => return input.len(),
            Some(Mark::Semicolon(at) | Mark::Unclosed(at) | Mark::Other(at)) => return at,
            // A brace (or an escaped character) starts after the blank run.
            Some(Mark::Open | Mark::Close) => {
                return input[before..]
                    .find(|c: char| !c.is_whitespace())
                    .map_or(input.len(), |n| before + n);
            }
        }
    }
}

/// Scans a Cypher statement from `i`. Returns the byte index of its terminating `;` (or
/// the end of input) and whether a `;` was found.
fn scan_cypher(input: &str, i: usize) -> (usize, bool) {
    for mark in Tokens::marks_from(input, i) {
        match mark {
            Mark::Semicolon(at) => return (at, true),
            Mark::Unclosed(_) => break,
            _ => {}
        }
    }
    (input.len(), false)
}

/// Scans a colon-command at `i`. Returns (end, complete, lower-cased name, args).
fn scan_command(input: &str, i: usize) -> (usize, bool, String, String) {
    let bytes = input.as_bytes();
    let mut j = i + 1;
    while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b';' {
        j += 1;
    }
    let name = input[i..j].to_lowercase();
    let mut k = j;
    while k < bytes.len() && (bytes[k] == b' ' || bytes[k] == b'\t') {
        k += 1;
    }
    let args_start = k;
    let mut complete = true;
    if (name == ":param" || name == ":params") && bytes.get(k) == Some(&b'{') {
        let (close, balanced) = balance_braces(input, k);
        complete = balanced;
        k = close;
    }
    // The rest of the current line belongs to the command.
    let end = input[k..].find('\n').map_or(bytes.len(), |n| k + n);
    let args = input[args_start..end]
        .trim_end()
        .trim_end_matches(';')
        .trim_end()
        .to_string();
    let next = if end < bytes.len() { end + 1 } else { end };
    (next, complete, name, args)
}

/// From the `{` at `i`, finds the index after the matching `}` honouring quotes, comments
/// and escapes. Returns (index, balanced).
fn balance_braces(input: &str, i: usize) -> (usize, bool) {
    let mut depth = 0usize;
    let mut tokens = Tokens::marks_from(input, i);
    while let Some(mark) = tokens.next() {
        match mark {
            Mark::Open => depth += 1,
            Mark::Close => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return (tokens.end, true);
                }
            }
            Mark::Unclosed(_) => break,
            _ => {}
        }
    }
    (input.len(), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(input: &str) -> Vec<(String, usize, usize, bool)> {
        split(input)
            .into_iter()
            .map(|p| (p.text, p.position.line, p.position.column, p.complete))
            .collect()
    }

    #[test]
    fn semicolons_inside_strings_comments_and_backticks_do_not_split() {
        let input = "SHOW DATABASES YIELD name WHERE name = 'a;b';\n\
                     CREATE DATABASE `x;y` // trailing; comment\n;\n\
                     /* block; */ SHOW SERVERS; RETURN \"q;\\\";\"";
        let got = texts(input);
        assert_eq!(got.len(), 4);
        assert_eq!(got[0].0, "SHOW DATABASES YIELD name WHERE name = 'a;b'");
        assert_eq!(got[1].0, "CREATE DATABASE `x;y` // trailing; comment");
        assert_eq!((got[1].1, got[1].2), (2, 1));
        assert_eq!(got[2].0, "SHOW SERVERS");
        assert_eq!((got[2].1, got[2].2), (4, 14));
        assert_eq!(got[3].0, "RETURN \"q;\\\";\"");
        assert!(!got[3].3, "the last statement has no ';'");
    }

    #[test]
    fn commands_are_their_own_statements() {
        let input = ":param {a: 1,\n b: '}'}\nSHOW SERVERS;\n:exit\n";
        let got = split(input);
        assert_eq!(got.len(), 3);
        assert_eq!(
            got[0].kind,
            PieceKind::Command {
                name: ":param".into(),
                args: "{a: 1,\n b: '}'}".into()
            }
        );
        assert!(got[0].complete);
        assert_eq!(got[1].position.line, 3);
        assert_eq!(
            got[2].kind,
            PieceKind::Command {
                name: ":exit".into(),
                args: String::new()
            }
        );
    }

    #[test]
    fn unbalanced_param_map_is_incomplete() {
        assert!(is_incomplete(":param {a: 1,"));
        assert!(!is_incomplete(":param a => 1"));
        assert!(is_incomplete("SHOW\nSERVERS"));
        assert!(!is_incomplete("SHOW SERVERS;"));
        assert!(!is_incomplete("SHOW SERVERS; // done"));
        assert!(is_incomplete("RETURN 'a;"));
        assert!(is_incomplete("RETURN 1 /* a;"));
        assert!(is_incomplete("RETURN `a;"));
        assert!(is_incomplete("RETURN 1 \\;"), "a backslash escapes the `;`");
        assert_eq!(split("\\; RETURN 1;")[0].text, "\\; RETURN 1");
    }

    #[test]
    fn blank_statements_are_dropped() {
        assert!(split("// x;\n;\n  ;").is_empty());
    }
}

#[cfg(test)]
#[path = "split_marks_tests.rs"]
mod marks_tests;

#[cfg(test)]
mod position_tests {
    use super::*;

    #[test]
    fn incremental_positions_match_a_full_count() {
        // ASCII spans and spans with two- and four-byte characters (a UTF-16 pair).
        let input = "RETURN 1;\n  RETURN 'é';\n:param a => 1\n/* x */ RETURN\n2;RETURN '😀x';\nRETURN 3;RETURN 4";
        for piece in split(input) {
            assert_eq!(piece.position, Position::of_byte(input, piece.offset));
        }
    }
}
