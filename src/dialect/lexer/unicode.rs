//! Neo4j's unicode-escape pre-pass: before Cypher is lexed, every `\uXXXX` in the whole
//! statement (in names, strings, comments, between tokens alike) is replaced by the UTF-16
//! unit it names, as Java source is. So `RETURN 1 \u002B 2` is `RETURN 1 + 2`, and an
//! invalid escape anywhere, even in a comment (`// C:\users`), is a syntax error.
//!
//! It owns the replacement and the map from offsets in the replaced text back to offsets
//! in the statement as written (errors and spans point at what the user typed). It must
//! not lex: the lexer runs over the replaced text afterwards.
//!
//! The rules, as Neo4j applies them: a backslash starts an escape when it is followed by
//! `u` and is not itself escaped by a backslash just before it (one that was not produced
//! by an escape); the escape is always six characters, whose last four are read as a
//! Java `Integer.parseInt(_, 16)` reads them (a leading `+` or `-` is allowed) and cut to
//! 16 bits. Two escapes that form a surrogate pair are one character; a lone surrogate,
//! which a Rust string cannot hold, becomes U+FFFD (a deliberate difference, see
//! ARCHITECTURE.md).

use crate::error::Position;

/// A statement after the pre-pass, when it had at least one escape.
#[derive(Debug, Clone, PartialEq)]
pub struct Unescaped {
    /// The text the lexer sees.
    pub text: String,
    /// Each replacement: its byte range in `text` and in the statement as written.
    replacements: Vec<Replacement>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Replacement {
    text_end: usize,
    source_start: usize,
    source_end: usize,
}

/// An escape whose four characters are not a hexadecimal number.
#[derive(Debug, Clone, PartialEq)]
pub struct InvalidEscape {
    /// Neo4j's message: `Invalid input 'XXXX': expected four hexadecimal digits ...`.
    pub message: String,
    /// Where Neo4j reports it: the offset of the backslash, with the line and column of
    /// the first character after `\u` (Neo4j's own mix, kept for fidelity).
    pub position: Position,
}

impl Unescaped {
    /// The byte offset in the statement as written of byte `at` of the replaced text. An
    /// offset at the end of a replaced character maps to the end of its escape.
    pub fn to_source(&self, at: usize) -> usize {
        let i = self.replacements.partition_point(|r| r.text_end <= at);
        match i.checked_sub(1).map(|i| self.replacements[i]) {
            Some(r) => r.source_end + (at - r.text_end),
            None => at,
        }
    }
}

/// True when `bytes` hold `\u` anywhere. Most statements have no backslash at all:
/// memchr's vectorised search for it costs a fraction of a byte-pair loop (or a
/// substring searcher's set-up), and the pre-pass runs over every statement.
fn has_escape(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'\\', bytes).any(|i| bytes.get(i + 1) == Some(&b'u'))
}

/// The statement with its escapes replaced, or `None` when it has none (the common case,
/// which costs one scan for `\u`).
pub fn unescape(src: &str) -> Result<Option<Unescaped>, InvalidEscape> {
    if !has_escape(src.as_bytes()) {
        return Ok(None);
    }
    let mut text = String::with_capacity(src.len());
    let mut replacements = Vec::new();
    let mut escaped = false;
    let mut i = 0;
    while let Some(c) = src[i..].chars().next() {
        if c == '\\' && !escaped && src.as_bytes().get(i + 1) == Some(&b'u') {
            let unit = escape_value(src, i)?;
            let mut end = six_chars_end(src, i);
            let ch = if (0xD800..0xDC00).contains(&unit) {
                // A high surrogate: one character with the low one that follows, if any.
                match src.get(end..end + 2) {
                    Some("\\u") => match escape_value(src, end) {
                        Ok(low) if (0xDC00..0xE000).contains(&low) => {
                            end = six_chars_end(src, end);
                            let cp = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                            char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER)
                        }
                        _ => char::REPLACEMENT_CHARACTER,
                    },
                    _ => char::REPLACEMENT_CHARACTER,
                }
            } else {
                char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER)
            };
            text.push(ch);
            replacements.push(Replacement {
                text_end: text.len(),
                source_start: i,
                source_end: end,
            });
            // A backslash made by an escape escapes nothing.
            escaped = false;
            i = end;
            continue;
        }
        escaped = !escaped && c == '\\';
        text.push(c);
        i += c.len_utf8();
    }
    Ok(Some(Unescaped { text, replacements }))
}

/// The byte offset six characters (UTF-16 units, as Neo4j counts) after `start`, or the
/// end of the text.
fn six_chars_end(src: &str, start: usize) -> usize {
    let mut units = 0;
    for (k, c) in src[start..].char_indices() {
        if units >= 6 {
            return start + k;
        }
        units += c.len_utf16();
    }
    src.len()
}

/// The 16-bit value of the escape whose backslash is at `start`.
fn escape_value(src: &str, start: usize) -> Result<u32, InvalidEscape> {
    let digits_start = start + 2;
    let digits_end = six_chars_end(src, start).max(digits_start);
    let digits = src.get(digits_start..digits_end).unwrap_or("");
    java_parse_hex(digits)
        .map(|v| (v as u32) & 0xFFFF)
        .ok_or_else(|| {
            let at = Position::of_byte(src, digits_start.min(src.len()));
            let backslash = Position::of_byte(src, start);
            InvalidEscape {
                message: format!(
                    "Invalid input '{digits}': expected four hexadecimal digits specifying a \
                     unicode character"
                ),
                position: Position {
                    offset: backslash.offset,
                    line: at.line,
                    column: at.column,
                },
            }
        })
}

/// `Integer.parseInt(s, 16)`: an optional sign, then at least one hexadecimal digit.
fn java_parse_hex(s: &str) -> Option<i64> {
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let v = i64::from_str_radix(digits, 16).ok()?;
    Some(if negative { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> String {
        match unescape(s) {
            Ok(Some(u)) => u.text,
            Ok(None) => s.to_string(),
            Err(e) => format!(
                "ERR {} @{}:{}:{}",
                e.message, e.position.offset, e.position.line, e.position.column
            ),
        }
    }

    #[test]
    fn escapes_are_replaced_everywhere() {
        assert_eq!(text(r"RETURN 1 \u002B 2"), "RETURN 1 + 2");
        assert_eq!(text(r"RETURN '\u0041'"), "RETURN 'A'");
        assert_eq!(text(r"RETURN \uD83D\uDE00"), "RETURN 😀");
        assert_eq!(text(r"RETURN \uD83D!"), "RETURN \u{FFFD}!");
        assert_eq!(text(r"RETURN 1 /* \u002a/ + 2"), "RETURN 1 /* */ + 2");
        assert_eq!(text(r"\u+041"), "A");
    }

    #[test]
    fn an_escaped_backslash_starts_no_escape() {
        assert_eq!(text(r"'\\u0041'"), r"'\\u0041'");
        assert_eq!(text(r"'\\\u0041'"), r"'\\A'");
        // A backslash made by an escape does not escape the next one.
        assert_eq!(text(r"\u005C\u0041"), r"\A");
    }

    #[test]
    fn invalid_escapes_are_neo4js_error() {
        assert_eq!(
            text(r"RETURN '\uH'"),
            "ERR Invalid input 'H'': expected four hexadecimal digits specifying a unicode \
             character @8:1:11"
        );
        assert_eq!(
            text("RETURN 1 // C:\\users\n"),
            "ERR Invalid input 'sers': expected four hexadecimal digits specifying a unicode \
             character @14:1:17"
        );
        assert!(text(r"RETURN \u").starts_with("ERR Invalid input '':"));
    }

    #[test]
    fn offsets_map_back_to_the_statement_as_written() {
        let src = r"RETURN \u0041 + x";
        let u = unescape(src)
            .ok()
            .flatten()
            .map(|u| (u.to_source(7), u.to_source(8), u.to_source(12)));
        // `A` at 7 was the escape at 7..13; `x` at 11 in the text is at 16 in the source.
        assert_eq!(u, Some((7, 13, 17)));
    }

    #[test]
    fn text_without_escapes_is_not_copied() {
        assert_eq!(unescape("RETURN '\\n'"), Ok(None));
    }
}
