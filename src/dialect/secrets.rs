//! Password literals in statement text: where they are, the text with each one masked as
//! `'******'` (Neo4j's mask in its query log), an error re-pointed at the masked text,
//! and whether a statement or command must stay out of the history file.
//!
//! It owns the one rule for what counts as a secret: a string literal right after
//! `PASSWORD` (`SET PASSWORD 'x'`, `SET PLAINTEXT PASSWORD 'x'`, an alias's `PASSWORD 'x'`)
//! and the `FROM 'old' TO 'new'` literals of a statement that names `PASSWORD`. It is
//! lexical, so it works on text that does not parse. It must not do I/O or decide what
//! is printed: callers mask what they echo.

use crate::dialect::lexer::keywords::Kw;
use crate::dialect::lexer::{Tok, tokenize};
use crate::dialect::split::{PieceKind, split};
use crate::error::{Neo4jError, Position};
use std::ops::Range;

/// What a password literal is shown as.
pub const MASK: &str = "'******'";

/// Byte ranges of the password literals in `text` (quotes included), in order.
pub fn secret_spans(text: &str) -> Vec<Range<usize>> {
    let tokens = tokenize(text);
    let mut spans = Vec::new();
    let mut names_password = false;
    let mut previous: Option<Tok> = None;
    for t in &tokens {
        if t.kind == Tok::Str {
            let secret = match previous {
                Some(Tok::Kw(Kw::Password)) => true,
                Some(Tok::Kw(Kw::From) | Tok::Kw(Kw::To)) => names_password,
                _ => false,
            };
            if secret {
                spans.push(t.start as usize..t.end as usize);
            }
        }
        if matches!(t.kind, Tok::Kw(Kw::Password) | Tok::Kw(Kw::Passwords)) {
            names_password = true;
        }
        previous = Some(t.kind);
    }
    spans
}

/// True when `text` sets or names a password, so it must stay out of the history file
/// (cypher-shell keeps such statements out too). A statement with `PASSWORD` but its
/// value in a parameter is kept out as well: the rule stays simple to predict.
pub fn names_password(text: &str) -> bool {
    tokenize(text)
        .iter()
        .any(|t| matches!(t.kind, Tok::Kw(Kw::Password) | Tok::Kw(Kw::Passwords)))
}

/// Words that make a `:param` name look like a secret.
const SECRET_WORDS: [&str; 6] = ["pass", "pwd", "secret", "token", "credential", "key"];

/// True when a line typed at the prompt must stay out of the history file: a statement
/// that names a password, or a `:param` whose name looks like a secret (`:param
/// password => '…'`, `:param {apiToken: …}`). cysh cannot know what a parameter will be
/// used for, so it goes by the name.
pub fn keep_out_of_history(input: &str) -> bool {
    split(input).iter().any(|piece| match &piece.kind {
        PieceKind::Command { name, args } => {
            let lower = args.to_ascii_lowercase();
            match name.as_str() {
                ":param" | ":params" => SECRET_WORDS.iter().any(|w| lower.contains(w)),
                // `:connect -u u -p secret`: any password given on the line.
                ":connect" => lower
                    .split_whitespace()
                    .any(|w| w == "-p" || w.starts_with("--password")),
                _ => false,
            }
        }
        PieceKind::Cypher => names_password(&piece.text),
    })
}

/// `text` with every password literal replaced by [`MASK`].
pub fn mask(text: &str) -> String {
    mask_spans(text, &secret_spans(text))
}

fn mask_spans(text: &str, spans: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for s in spans {
        out.push_str(&text[at..s.start]);
        out.push_str(MASK);
        at = s.end;
    }
    out.push_str(&text[at..]);
    out
}

/// `error` about `text` made safe to print: the masked text, and the error with its
/// message masked and its position moved to the same place in the masked text.
pub fn mask_error(error: &Neo4jError, text: &str) -> (Neo4jError, String) {
    let spans = secret_spans(text);
    if spans.is_empty() {
        return (error.clone(), text.to_string());
    }
    let masked = mask_spans(text, &spans);
    let mut out = error.clone();
    for s in &spans {
        let literal = &text[s.clone()];
        out.message = out.message.replace(literal, MASK);
        // The message may quote the value without its quotes; short values are left
        // alone, since replacing one or two characters would garble the message.
        let inner = &literal[1..literal.len().saturating_sub(1).max(1)];
        if inner.chars().count() >= 3 {
            out.message = out.message.replace(inner, "******");
        }
    }
    if let Some(p) = error.position {
        let byte = byte_of(text, p);
        let moved = spans.iter().fold(byte as isize, |b, s| {
            if byte >= s.end {
                b + MASK.len() as isize - s.len() as isize
            } else if byte >= s.start {
                // Inside the literal: point at the mask's start, from where it began.
                b - (byte - s.start) as isize
            } else {
                b
            }
        });
        out.position = Some(Position::of_byte(&masked, moved.max(0) as usize));
    }
    (out, masked)
}

/// The byte offset in `text` of a position's line and column (UTF-16 units, 1-based).
fn byte_of(text: &str, p: Position) -> usize {
    let mut line_start = 0;
    for _ in 1..p.line {
        match text[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => break,
        }
    }
    let mut units = 1;
    for (i, c) in text[line_start..].char_indices() {
        if units >= p.column || c == '\n' {
            return line_start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_literals_are_found_and_masked() {
        for (text, want) in [
            (
                "CREATE USER bob SET PASSWORD 'hunter22' CHANGE NOT REQUIRED",
                "CREATE USER bob SET PASSWORD '******' CHANGE NOT REQUIRED",
            ),
            (
                "ALTER USER bob SET PLAINTEXT PASSWORD \"x y\"",
                "ALTER USER bob SET PLAINTEXT PASSWORD '******'",
            ),
            (
                "ALTER CURRENT USER SET PASSWORD FROM 'old1' TO 'new1'",
                "ALTER CURRENT USER SET PASSWORD FROM '******' TO '******'",
            ),
            (
                "CREATE ALIAS r FOR DATABASE d AT 'neo4j+s://h' USER u PASSWORD 'pw'",
                "CREATE ALIAS r FOR DATABASE d AT 'neo4j+s://h' USER u PASSWORD '******'",
            ),
            ("RETURN 'PASSWORD' AS x", "RETURN 'PASSWORD' AS x"),
            ("UNWIND ['a'] AS x RETURN x", "UNWIND ['a'] AS x RETURN x"),
        ] {
            assert_eq!(mask(text), want, "{text}");
        }
    }

    #[test]
    fn statements_naming_passwords_are_recognised() {
        assert!(names_password("CREATE USER a SET PASSWORD $p"));
        assert!(names_password("alter user a set password 'x'"));
        assert!(!names_password("RETURN 'password'"));
        assert!(!names_password("SHOW USERS"));
    }

    #[test]
    fn secrets_stay_out_of_history() {
        for line in [
            "CREATE USER a SET PASSWORD 'secret12';",
            "ALTER CURRENT USER SET PASSWORD FROM 'a' TO 'b';",
            "SHOW USERS; ALTER USER a SET PASSWORD 'x1234567';",
            ":param password => 'x'",
            ":param {dbPass: 'x'}",
            ":param apiToken => 'x'",
            ":connect -u alice -p secret",
            ":connect --password=secret --username alice",
        ] {
            assert!(keep_out_of_history(line), "{line}");
        }
        for line in [
            "SHOW USERS;",
            ":param limit => 3",
            "CREATE DATABASE foo;",
            ":connect -u alice",
        ] {
            assert!(!keep_out_of_history(line), "{line}");
        }
    }

    #[test]
    fn an_error_is_masked_and_its_caret_moves_with_the_text() {
        let text = "CREATE USER bob SET PASSWORD 'hunter2222' CHANGE NOT REQUIRE";
        let at = text.find("REQUIRE").unwrap();
        let e = Neo4jError::syntax(
            "Invalid input 'REQUIRE': expected 'REQUIRED'",
            Position::of_byte(text, at),
        );
        let (masked_error, masked) = mask_error(&e, text);
        let shown = masked_error.render(&masked);
        assert!(!shown.contains("hunter"), "{shown}");
        let caret_line = shown.lines().last().unwrap();
        let statement_line = shown.lines().nth(shown.lines().count() - 2).unwrap();
        let caret = caret_line.find('^').unwrap();
        assert_eq!(&statement_line[caret..caret + 7], "REQUIRE", "{shown}");

        // An error at the literal itself quotes it: masked too.
        let at = text.find('\'').unwrap();
        let e = Neo4jError::syntax("Invalid input ''hunter2222''", Position::of_byte(text, at));
        let (masked_error, masked) = mask_error(&e, text);
        let shown = masked_error.render(&masked);
        assert!(!shown.contains("hunter"), "{shown}");
    }
}
