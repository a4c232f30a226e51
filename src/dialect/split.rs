//! The statement splitter shared by the REPL, `-f`, stdin, `:source` and `cysh check`.
//!
//! It owns cypher-shell's rules for where one statement ends (reference/cypher-shell.md
//! §3.2): `;` outside quotes, backticks and comments; backslash escapes; colon-commands
//! as their own statements (`:param {..}` spanning lines until its braces balance); and
//! the line and column of every statement in the input. It must not parse statements.

use super::lexer::{Lexer, Tok};
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
    let mut pieces = Vec::new();
    let mut at = Tracker::default();
    let bytes = input.as_bytes();
    let mut i = 0;
    loop {
        i = skip_blank(input, i);
        if i >= bytes.len() {
            break;
        }
        let start = i;
        if bytes[i] == b':' {
            let (end, complete, name, args) = scan_command(input, i);
            pieces.push(Piece {
                kind: PieceKind::Command { name, args },
                text: input[start..end].trim_end().to_string(),
                offset: start,
                position: at.advance(input, start),
                complete,
            });
            i = end;
        } else {
            let (end, terminated) = scan_cypher(input, i);
            let text = input[start..end].trim_end();
            if !is_blank(text) {
                pieces.push(Piece {
                    kind: PieceKind::Cypher,
                    text: text.to_string(),
                    offset: start,
                    position: at.advance(input, start),
                    complete: terminated,
                });
            }
            i = if terminated { end + 1 } else { end };
        }
    }
    pieces
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
        let span = input.get(self.byte..byte).unwrap_or("");
        for c in span.chars() {
            self.offset += c.len_utf16();
            if c == '\n' {
                self.line += 1;
                self.line_start_offset = self.offset;
            }
        }
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

/// The tokens of `input` from byte `from`, with absolute offsets and comments as
/// [`Tok::Comment`], read by the one lexer. A backslash outside a string escapes the
/// character after it, as in cypher-shell (`\;` does not end a statement): the lexer
/// restarts past that character.
struct Tokens<'a> {
    input: &'a str,
    base: usize,
    lexer: Lexer<'a>,
    /// The end of the last token read (absolute).
    end: usize,
}

impl<'a> Tokens<'a> {
    fn from(input: &'a str, from: usize) -> Tokens<'a> {
        Tokens {
            input,
            base: from,
            lexer: Lexer::with_trivia(input.get(from..).unwrap_or("")),
            end: from,
        }
    }
}

/// What the splitter needs to know of a token.
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

impl Iterator for Tokens<'_> {
    type Item = Mark;

    fn next(&mut self) -> Option<Mark> {
        let t = self.lexer.next_token();
        let start = self.base + t.start as usize;
        let end = self.base + t.end as usize;
        self.end = end;
        let text = &self.input[start..end];
        Some(match t.kind {
            Tok::Eof => return None,
            Tok::Comment => Mark::Comment,
            Tok::Semicolon => Mark::Semicolon(start),
            Tok::LCurly => Mark::Open,
            Tok::RCurly => Mark::Close,
            Tok::Error if matches!(text, "'" | "\"" | "`") => Mark::Unclosed(start),
            // The lexer reads an unclosed `/*` as `/` then `*`.
            Tok::Divide if self.input[end..].starts_with('*') => Mark::Unclosed(start),
            Tok::Error if text == "\\" => {
                let skip = self.input[end..].chars().next().map_or(0, char::len_utf8);
                self.base = end + skip;
                self.lexer = Lexer::with_trivia(&self.input[self.base..]);
                self.end = self.base;
                Mark::Other(start)
            }
            _ => Mark::Other(start),
        })
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
    for mark in Tokens::from(input, i) {
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
    let mut tokens = Tokens::from(input, i);
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
mod position_tests {
    use super::*;

    #[test]
    fn incremental_positions_match_a_full_count() {
        let input = "RETURN 1;\n  RETURN 'é';\n:param a => 1\n/* x */ RETURN\n2;RETURN 3";
        for piece in split(input) {
            assert_eq!(piece.position, Position::of_byte(input, piece.offset));
        }
    }
}
