//! The lexical layer of the parser: whitespace and comments, keywords, symbols, literals,
//! parameters and identifiers, each as a nom parser over `&str`, plus the error type and
//! the expected-set tracker every parser reports into.
//!
//! It owns what a token is and how a failed token is recorded. It must not know any
//! statement: grammar lives in the family modules.

use super::super::ast::Param;
use nom::IResult;
use nom::error::{ErrorKind, ParseError};
use std::cell::{Cell, RefCell};

/// One thing the parser would have accepted at a position: what a syntax error lists after
/// "expected", and what tab completion offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Expected {
    /// A keyword, upper case (`"TOPOLOGY"`).
    Keyword(&'static str),
    /// A punctuation symbol (`"("`, `","`).
    Symbol(&'static str),
    /// A class of tokens (an integer, a database name, ...).
    Class(Class),
}

/// The token classes the grammar asks for. The specific name classes let the completer
/// know what the cursor is on (a procedure name, a database name, a server string, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// A database or alias name (`foo`, `` `foo-1` ``, `garden.flowers`).
    DatabaseName,
    /// A server name or id: a string literal.
    ServerName,
    /// A user name.
    UserName,
    /// A role name.
    RoleName,
    /// A procedure name (dotted).
    ProcedureName,
    /// A `$parameter`.
    Parameter,
    /// An unsigned integer literal.
    Integer,
    /// A string literal.
    String,
    /// An identifier (option keys, YIELD columns, aliases).
    Identifier,
    /// An expression.
    Expression,
    /// The end of the statement.
    End,
}

impl Class {
    /// How the class reads in a syntax error message.
    pub fn describe(self) -> &'static str {
        match self {
            Class::DatabaseName => "a database name",
            Class::ServerName => "a string",
            Class::UserName => "a user name",
            Class::RoleName => "a role name",
            Class::ProcedureName => "a procedure name",
            Class::Parameter => "a parameter",
            Class::Integer => "an integer value",
            Class::String => "a string",
            Class::Identifier => "an identifier",
            Class::Expression => "an expression",
            Class::End => "<EOF>",
        }
    }
}

/// The parser's error: how much input was left where it failed (smaller is further), and
/// for a parse-time semantic error, Neo4j's message. Syntax failures carry no allocation:
/// the expected set is recorded on the side (see [`expect`]).
#[derive(Debug)]
pub struct PErr {
    /// Remaining input length at the failure.
    pub rest: usize,
    /// A semantic error (duplicate clause, `TOPOLOGY 0 PRIMARIES`, ...), raised as
    /// `nom::Err::Failure` so that no alternative is tried after it. Boxed so that the
    /// error stays two words wide on the hot path.
    #[allow(clippy::box_collection)]
    pub semantic: Option<Box<String>>,
}

impl<'a> ParseError<&'a str> for PErr {
    fn from_error_kind(input: &'a str, _: ErrorKind) -> Self {
        PErr {
            rest: input.len(),
            semantic: None,
        }
    }

    fn append(_: &'a str, _: ErrorKind, other: Self) -> Self {
        other
    }

    // Keep the branch that got further: that is the error Neo4j would report.
    fn or(self, other: Self) -> Self {
        if other.rest <= self.rest { other } else { self }
    }
}

/// The result type of every parser.
pub type PResult<'a, T> = IResult<&'a str, T, PErr>;

/// A recoverable failure at `input`.
pub fn fail<T>(input: &str) -> PResult<'_, T> {
    Err(nom::Err::Error(PErr {
        rest: input.len(),
        semantic: None,
    }))
}

/// A semantic (non-recoverable) failure at `input` with Neo4j's message.
pub fn semantic<T>(input: &str, message: impl Into<String>) -> PResult<'_, T> {
    Err(nom::Err::Failure(PErr {
        rest: input.len(),
        semantic: Some(Box::new(message.into())),
    }))
}

/// A semantic failure reported at the start of the statement, where Neo4j reports
/// command-level checks (`OR REPLACE` with `IF NOT EXISTS`, `TOPOLOGY 0 PRIMARIES`).
pub fn semantic_at_start<T>(message: impl Into<String>) -> PResult<'static, T> {
    Err(nom::Err::Failure(PErr {
        rest: BASE.with(|b| b.get()),
        semantic: Some(Box::new(message.into())),
    }))
}

/// Per-parse state: the statement's length (to turn remaining input into offsets) and,
/// when recording, the furthest offset reached and what was expected there.
///
/// A thread-local keeps the parsers plain `fn(&str) -> PResult` (nom's shape) without
/// threading a context through every call. Recording is off on the first pass, so the
/// success path never touches the expected set; a failed statement is parsed a second
/// time with recording on to build the message.
struct Tracker {
    furthest: usize,
    expected: Vec<Expected>,
}

thread_local! {
    static BASE: Cell<usize> = const { Cell::new(0) };
    static RECORD: Cell<bool> = const { Cell::new(false) };
    static TRACKER: RefCell<Tracker> = const {
        RefCell::new(Tracker { furthest: 0, expected: Vec::new() })
    };
}

/// Runs `f` with offsets relative to `text`, recording expectations when `record` is set;
/// returns `f`'s result and, when recording, the furthest offset and its expected set.
pub fn with_input<T>(text: &str, record: bool, f: impl FnOnce() -> T) -> (T, usize, Vec<Expected>) {
    let old_base = BASE.with(|b| b.replace(text.len()));
    let old_record = RECORD.with(|r| r.replace(record));
    let saved = TRACKER.with(|t| {
        t.try_borrow_mut()
            .map(|mut t| {
                let furthest = std::mem::replace(&mut t.furthest, 0);
                (furthest, std::mem::take(&mut t.expected))
            })
            .unwrap_or_default()
    });
    let out = f();
    let (furthest, mut expected) = TRACKER.with(|t| {
        t.try_borrow_mut()
            .map(|mut t| {
                let furthest = std::mem::replace(&mut t.furthest, saved.0);
                (furthest, std::mem::replace(&mut t.expected, saved.1))
            })
            .unwrap_or_default()
    });
    BASE.with(|b| b.set(old_base));
    RECORD.with(|r| r.set(old_record));
    expected.sort_unstable();
    expected.dedup();
    (out, furthest, expected)
}

/// Byte offset of `rest` in the statement being parsed.
pub fn offset(rest: &str) -> usize {
    BASE.with(|b| b.get()).saturating_sub(rest.len())
}

/// Records that `what` was expected at `input` (only while recording, and only at the
/// furthest offset seen so far).
pub fn expect(input: &str, what: Expected) {
    if !RECORD.with(|r| r.get()) {
        return;
    }
    let at = offset(input);
    TRACKER.with(|t| {
        if let Ok(mut t) = t.try_borrow_mut() {
            if at > t.furthest {
                t.furthest = at;
                t.expected.clear();
            }
            if at == t.furthest && !t.expected.contains(&what) {
                t.expected.push(what);
            }
        }
    });
}

/// Skips whitespace and comments. An unterminated block comment is left in place for
/// [`unterminated_comment`] to report.
pub fn ws(input: &str) -> &str {
    // Fast path: most tokens start right away (ASCII, not a space, not a comment).
    match input.as_bytes().first() {
        None => return input,
        Some(b) if b.is_ascii() && !b.is_ascii_whitespace() && *b != b'/' => return input,
        _ => {}
    }
    let mut i = input;
    loop {
        let trimmed = i.trim_start();
        if let Some(after) = trimmed.strip_prefix("//") {
            i = after.find('\n').map_or("", |n| &after[n..]);
        } else if let Some(after) = trimmed.strip_prefix("/*") {
            match after.find("*/") {
                Some(n) => i = &after[n + 2..],
                None => return trimmed,
            }
        } else {
            return trimmed;
        }
    }
}

/// Neo4j's message for an unterminated block comment.
pub const COMMENT_MESSAGE: &str =
    "Failed to parse comment. A comment starting on `/*` must have a closing `*/`.";

/// Neo4j's message for an unterminated string literal.
pub const STRING_MESSAGE: &str =
    "Failed to parse string literal. The query must contain an even number of non-escaped quotes.";

/// True for a character that may continue an unquoted identifier.
pub fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

/// The unquoted word at the start of `input` (after whitespace), possibly empty.
pub fn peek_word(input: &str) -> &str {
    let i = ws(input);
    let end = i.find(|c: char| !is_ident_char(c)).unwrap_or(i.len());
    &i[..end]
}

/// Matches keyword `word` (upper case) case-insensitively, as a whole word.
pub fn keyword<'a>(input: &'a str, word: &'static str) -> PResult<'a, &'a str> {
    let i = ws(input);
    let n = word.len();
    if let (Some(head), Some(rest)) = (i.get(..n), i.get(n..))
        && head.eq_ignore_ascii_case(word)
        && !rest.starts_with(is_ident_char)
    {
        return Ok((rest, head));
    }
    expect(i, Expected::Keyword(word));
    fail(i)
}

/// Matches the keywords of `words` in sequence (`IF NOT EXISTS`).
pub fn keywords<'a>(input: &'a str, words: &[&'static str]) -> PResult<'a, ()> {
    let mut i = input;
    for w in words {
        i = keyword(i, w)?.0;
    }
    Ok((i, ()))
}

/// Optional keyword: true when present.
pub fn opt_kw<'a>(input: &'a str, word: &'static str) -> PResult<'a, bool> {
    match keyword(input, word) {
        Ok((rest, _)) => Ok((rest, true)),
        Err(nom::Err::Error(_)) => Ok((input, false)),
        Err(e) => Err(e),
    }
}

/// Optional keyword sequence: true when all are present. A partial match fails.
pub fn opt_kws<'a>(input: &'a str, words: &[&'static str]) -> PResult<'a, bool> {
    let Some((first, more)) = words.split_first() else {
        return Ok((input, false));
    };
    match keyword(input, first) {
        Ok((rest, _)) => keywords(rest, more).map(|(r, ())| (r, true)),
        Err(nom::Err::Error(_)) => Ok((input, false)),
        Err(e) => Err(e),
    }
}

/// One of two keyword spellings (`PRIMARY`/`PRIMARIES`, `DATABASE`/`DATABASES`).
pub fn kw_either<'a>(input: &'a str, a: &'static str, b: &'static str) -> PResult<'a, &'a str> {
    match keyword(input, a) {
        Err(nom::Err::Error(e1)) => keyword(input, b).map_err(|e| e.map(|e2| e1.or(e2))),
        other => other,
    }
}

/// Matches the symbol `s`.
pub fn symbol<'a>(input: &'a str, s: &'static str) -> PResult<'a, &'a str> {
    let i = ws(input);
    match i.strip_prefix(s) {
        Some(rest) => Ok((rest, s)),
        None => {
            expect(i, Expected::Symbol(s));
            fail(i)
        }
    }
}

/// Optional symbol: true when present.
pub fn opt_sym<'a>(input: &'a str, s: &'static str) -> PResult<'a, bool> {
    let i = ws(input);
    match i.strip_prefix(s) {
        Some(rest) => Ok((rest, true)),
        None => {
            expect(i, Expected::Symbol(s));
            Ok((input, false))
        }
    }
}

/// The end of the statement (only whitespace and comments left).
pub fn end(input: &str) -> PResult<'_, ()> {
    let i = ws(input);
    if i.is_empty() {
        Ok((i, ()))
    } else {
        expect(i, Expected::Class(Class::End));
        fail(i)
    }
}

/// An unsigned decimal integer literal.
pub fn unsigned_integer(input: &str) -> PResult<'_, i64> {
    let i = ws(input);
    let end = i.find(|c: char| !c.is_ascii_digit()).unwrap_or(i.len());
    let decimal =
        i[end..].starts_with('.') && i[end + 1..].starts_with(|c: char| c.is_ascii_digit());
    if end == 0 || decimal || i[end..].starts_with(is_ident_char) {
        expect(i, Expected::Class(Class::Integer));
        return fail(i);
    }
    match i[..end].parse::<i64>() {
        Ok(n) => Ok((&i[end..], n)),
        Err(_) => semantic(i, "integer is too large"),
    }
}

/// A `$name` parameter (`$0` and `` $`quoted` `` too).
pub fn parameter(input: &str) -> PResult<'_, Param> {
    let i = ws(input);
    let Some(after) = i.strip_prefix('$') else {
        expect(i, Expected::Class(Class::Parameter));
        return fail(i);
    };
    let at = offset(i);
    let (rest, name) = if after.starts_with('`') {
        quoted_name(after)?
    } else {
        let end = after
            .find(|c: char| !is_ident_char(c))
            .unwrap_or(after.len());
        if end == 0 {
            expect(after, Expected::Class(Class::Identifier));
            return fail(after);
        }
        (&after[end..], after[..end].to_string())
    };
    Ok((rest, Param { name, offset: at }))
}

/// A backtick-quoted name; a doubled backtick stands for one.
pub fn quoted_name(input: &str) -> PResult<'_, String> {
    let i = ws(input);
    let Some(mut rest) = i.strip_prefix('`') else {
        expect(i, Expected::Class(Class::Identifier));
        return fail(i);
    };
    let mut name = String::new();
    loop {
        match rest.find('`') {
            None => {
                return semantic(
                    i,
                    "Failed to parse quoted name. The query must contain an even number of non-escaped backticks.",
                );
            }
            Some(n) => {
                name.push_str(&rest[..n]);
                rest = &rest[n + 1..];
                match rest.strip_prefix('`') {
                    Some(more) => {
                        name.push('`');
                        rest = more;
                    }
                    None => break,
                }
            }
        }
    }
    // An empty quoted name parses, as in Neo4j; name rules are checked where names are
    // used (the cluster reports "The provided database name is empty.").
    Ok((rest, name))
}

/// An unquoted identifier or a backtick-quoted name; records `class` when absent.
/// Keywords are accepted as names, as Neo4j does where a name is expected.
pub fn name_part(input: &str, class: Class) -> PResult<'_, String> {
    let i = ws(input);
    if i.starts_with('`') {
        return quoted_name(i);
    }
    match i.chars().next() {
        Some(c) if is_ident_start(c) => {
            let end = i.find(|c: char| !is_ident_char(c)).unwrap_or(i.len());
            Ok((&i[end..], i[..end].to_string()))
        }
        _ => {
            expect(i, Expected::Class(class));
            fail(i)
        }
    }
}

/// A string literal in single or double quotes, with Cypher's escapes.
pub fn string_literal(input: &str) -> PResult<'_, String> {
    let i = ws(input);
    let quote = match i.chars().next() {
        Some(q @ ('\'' | '"')) => q,
        _ => {
            expect(i, Expected::Class(Class::String));
            return fail(i);
        }
    };
    let body = &i[1..];
    // Fast path: no escapes.
    if let Some(n) = body.find([quote, '\\'])
        && body[n..].starts_with(quote)
    {
        return Ok((&body[n + 1..], body[..n].to_string()));
    }
    let mut out = String::new();
    let mut chars = body.char_indices();
    while let Some((n, c)) = chars.next() {
        if c == quote {
            return Ok((&body[n + 1..], out));
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            None => break,
            Some((_, e)) => match e {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                'b' => out.push('\u{8}'),
                'f' => out.push('\u{c}'),
                '\\' | '\'' | '"' => out.push(e),
                'u' | 'U' => {
                    let len = if e == 'u' { 4 } else { 8 };
                    let start = n + 2;
                    let hex = body.get(start..start + len).unwrap_or("");
                    match u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                        Some(ch) if hex.len() == len => {
                            out.push(ch);
                            for _ in 0..len {
                                chars.next();
                            }
                        }
                        _ => {
                            return semantic(
                                &body[n..],
                                format!("Invalid input '\\{e}{hex}': invalid unicode escape"),
                            );
                        }
                    }
                }
                other => {
                    out.push('\\');
                    out.push(other);
                }
            },
        }
    }
    semantic(i, STRING_MESSAGE)
}

/// The token at the start of `text`, as Neo4j quotes it after "Invalid input": a word, a
/// number, a quoted string or name, or one character; empty at the end.
pub fn token_at(text: &str) -> &str {
    let Some(c) = text.chars().next() else {
        return "";
    };
    let end = if c.is_ascii_digit() {
        // A number, decimals included (`3.14`).
        text.find(|c: char| !(is_ident_char(c) || c == '.'))
            .unwrap_or(text.len())
    } else if is_ident_char(c) {
        text.find(|c: char| !is_ident_char(c)).unwrap_or(text.len())
    } else if matches!(c, '\'' | '"' | '`') {
        text[1..].find(c).map_or(text.len(), |n| n + 2)
    } else {
        c.len_utf8()
    };
    text.get(..end).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_case_insensitive_whole_words() {
        assert!(keyword("  create x", "CREATE").is_ok());
        assert!(keyword("creates", "CREATE").is_err());
        assert_eq!(keyword("Database", "DATABASE").unwrap().1, "Database");
    }

    #[test]
    fn comments_are_whitespace() {
        assert_eq!(ws("// a\n /* b */ x"), "x");
        assert_eq!(ws("/* open"), "/* open");
    }

    #[test]
    fn strings_unescape() {
        assert_eq!(string_literal(r#"'a\'b'"#).unwrap().1, "a'b");
        assert_eq!(string_literal(r#""x\u0041\n""#).unwrap().1, "xA\n");
        assert!(string_literal("'open").is_err());
    }

    #[test]
    fn tokens_for_messages() {
        assert_eq!(token_at("PRIMARY x"), "PRIMARY");
        assert_eq!(token_at("-restored"), "-");
        assert_eq!(token_at("'abc' x"), "'abc'");
        assert_eq!(token_at(""), "");
        assert_eq!(token_at("“s3"), "“");
    }
}
