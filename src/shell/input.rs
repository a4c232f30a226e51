//! Script input as it arrives: bytes decoded as UTF-8 with every invalid byte marked, cut
//! into the statements and commands that are complete so far, with positions counted
//! from the start of the whole input.
//!
//! It owns the rule that a statement runs as soon as its `;` has arrived (a command as
//! soon as its line has), so `tail -f log | cysh` and a pipe typed into run each
//! statement at once, as cypher-shell does; and that an invalid byte spoils only the
//! statement it is in. It must not run anything: the shell runs what it hands out.

use crate::dialect::split::{Piece, split};
use crate::error::Position;

/// A statement or command ready to run.
pub struct Ready {
    /// The piece, its position counted from the start of the whole input.
    pub piece: Piece,
    /// Where its first invalid UTF-8 byte was, if it has one: it must not run.
    pub invalid: Option<Position>,
}

/// Input received so far and not yet handed out.
#[derive(Default)]
pub struct Chunker {
    /// Decoded text not yet handed out (each invalid byte is one U+FFFD).
    text: String,
    /// Byte offsets in `text` of the replaced invalid bytes.
    invalid: Vec<usize>,
    /// The position of `text`'s first character in the whole input.
    base: Option<Position>,
}

impl Chunker {
    /// Appends `bytes` (whole lines, or everything: a UTF-8 sequence never spans a
    /// newline, so decoding line by line loses nothing).
    pub fn push(&mut self, bytes: &[u8]) {
        for chunk in bytes.utf8_chunks() {
            self.text.push_str(chunk.valid());
            if !chunk.invalid().is_empty() {
                self.invalid.push(self.text.len());
                self.text.push(char::REPLACEMENT_CHARACTER);
            }
        }
    }

    /// True when the text received so far may hold something complete: a `;` ends a
    /// statement, a line ends a command. Splitting only then keeps a long statement that
    /// arrives line by line linear.
    pub fn may_be_ready(&self, last: &[u8]) -> bool {
        last.contains(&b';') || last.contains(&b'}') || self.text.trim_start().starts_with(':')
    }

    /// The pieces complete so far, in order; at `eof`, everything left (the last
    /// statement may lack its `;`).
    pub fn take_ready(&mut self, eof: bool) -> Vec<Ready> {
        let base = self.base.unwrap_or(Position {
            offset: 0,
            line: 1,
            column: 1,
        });
        let mut pieces = split(&self.text);
        let keep_from = match pieces.last() {
            Some(last) if !eof && !last.complete => {
                let offset = last.offset;
                pieces.pop();
                offset
            }
            _ => self.text.len(),
        };
        let ready = pieces
            .into_iter()
            .map(|mut piece| {
                let end = piece.offset + piece.text.len();
                let invalid = self
                    .invalid
                    .iter()
                    .find(|&&i| i >= piece.offset && i < end)
                    .map(|&i| after(base, Position::of_byte(&self.text, i)));
                piece.position = after(base, piece.position);
                Ready { piece, invalid }
            })
            .collect();
        if keep_from > 0 {
            self.base = Some(after(base, Position::of_byte(&self.text, keep_from)));
            self.text.drain(..keep_from);
            self.invalid.retain(|&i| i >= keep_from);
            for i in &mut self.invalid {
                *i -= keep_from;
            }
        }
        ready
    }
}

/// Position `p`, counted in a text that starts at `base` of the whole input.
fn after(base: Position, p: Position) -> Position {
    Position {
        offset: base.offset + p.offset,
        line: base.line + p.line - 1,
        column: if p.line == 1 {
            base.column + p.column - 1
        } else {
            p.column
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(ready: &[Ready]) -> Vec<String> {
        ready.iter().map(|r| r.piece.text.clone()).collect()
    }

    #[test]
    fn statements_come_out_as_their_semicolons_arrive() {
        let mut c = Chunker::default();
        c.push(b"SHOW\n");
        assert!(texts(&c.take_ready(false)).is_empty());
        c.push(b"SERVERS; SHOW\n");
        let ready = c.take_ready(false);
        assert_eq!(texts(&ready), ["SHOW\nSERVERS"]);
        assert_eq!(
            (ready[0].piece.position.line, ready[0].piece.position.column),
            (1, 1)
        );
        c.push(b"DATABASES;\n:param a => 1\n");
        let ready = c.take_ready(false);
        assert_eq!(texts(&ready), ["SHOW\nDATABASES", ":param a => 1"]);
        assert_eq!(
            (ready[0].piece.position.line, ready[0].piece.position.column),
            (2, 10)
        );
        assert_eq!(ready[1].piece.position.line, 4);
        c.push(b"RETURN 1");
        assert!(c.take_ready(false).is_empty());
        assert_eq!(texts(&c.take_ready(true)), ["RETURN 1"]);
    }

    #[test]
    fn an_invalid_byte_spoils_only_its_statement() {
        let mut c = Chunker::default();
        c.push(b"RETURN 1;\nRETURN '\xff\xfe' AS x;\nRETURN 3;\n");
        let ready = c.take_ready(true);
        assert_eq!(ready.len(), 3);
        assert!(ready[0].invalid.is_none());
        let at = ready[1].invalid.unwrap();
        assert_eq!((at.line, at.column), (2, 9));
        assert!(ready[2].invalid.is_none());
    }
}
