//! `Neo4jError`: an error as Neo4j reports it — a status code, a message and, for syntax
//! errors, a position inside the statement — shared by every part so that the embedded
//! backend, `cysh serve` and the remote client print the same thing.
//!
//! It owns the status-code vocabulary and the caret rendering. It must not decide exit
//! codes or colours: the shell does that.

use std::borrow::Cow;
use std::fmt;

/// A position inside one statement, as Neo4j reports it: 0-based offset, 1-based line
/// and column, counted in UTF-16 code units as Java counts them (a character outside
/// the Basic Multilingual Plane, such as an emoji, counts twice).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// 0-based character offset from the start of the statement.
    pub offset: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl Position {
    /// The position of byte offset `byte` in `text`.
    pub fn of_byte(text: &str, byte: usize) -> Position {
        let mut byte = byte.min(text.len());
        while !text.is_char_boundary(byte) {
            byte -= 1;
        }
        let before = &text[..byte];
        let offset = before.encode_utf16().count();
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].encode_utf16().count() + 1;
        Position {
            offset,
            line,
            column,
        }
    }
}

/// Neo4j status codes used by cysh. Kept as constants so a typo is a compile error.
pub mod code {
    /// Unparsable statement and parse-time semantic errors.
    pub const SYNTAX_ERROR: &str = "Neo.ClientError.Statement.SyntaxError";
    /// A `$param` that was not supplied.
    pub const PARAMETER_MISSING: &str = "Neo.ClientError.Statement.ParameterMissing";
    /// An argument of the right type with a wrong value (names, ranges).
    pub const ARGUMENT_ERROR: &str = "Neo.ClientError.Statement.ArgumentError";
    /// A value of the wrong type.
    pub const TYPE_ERROR: &str = "Neo.ClientError.Statement.TypeError";
    /// Integer overflow, division by zero.
    pub const ARITHMETIC_ERROR: &str = "Neo.ClientError.Statement.ArithmeticError";
    /// Something the statement asks for is not supported here.
    pub const NOT_SUPPORTED: &str = "Neo.ClientError.Statement.UnsupportedAdministrationCommand";
    /// The database does not exist.
    pub const DATABASE_NOT_FOUND: &str = "Neo.ClientError.Database.DatabaseNotFound";
    /// A database with that name exists already.
    pub const EXISTING_DATABASE_FOUND: &str = "Neo.ClientError.Database.ExistingDatabaseFound";
    /// An alias with that name exists already.
    pub const EXISTING_ALIAS_FOUND: &str = "Neo.ClientError.Database.ExistingAliasFound";
    /// The procedure is unknown.
    pub const PROCEDURE_NOT_FOUND: &str = "Neo.ClientError.Procedure.ProcedureNotFound";
    /// A procedure failed.
    pub const PROCEDURE_CALL_FAILED: &str = "Neo.ClientError.Procedure.ProcedureCallFailed";
    /// A missing privilege.
    pub const FORBIDDEN: &str = "Neo.ClientError.Security.Forbidden";
    /// Bad or missing credentials.
    pub const UNAUTHORIZED: &str = "Neo.ClientError.Security.Unauthorized";
    /// The user must change their password first.
    pub const CREDENTIALS_EXPIRED: &str = "Neo.ClientError.Security.CredentialsExpired";
    /// Invalid arguments (Neo4j's `InvalidArgumentException`).
    pub const INVALID_ARGUMENTS: &str = "Neo.ClientError.General.InvalidArguments";
    /// An admin command failed with no more specific cause.
    pub const EXECUTION_FAILED: &str = "Neo.DatabaseError.Statement.ExecutionFailed";
    /// An invalid request.
    pub const REQUEST_INVALID: &str = "Neo.ClientError.Request.Invalid";
    /// Unexpected failure inside cysh.
    pub const UNKNOWN_ERROR: &str = "Neo.DatabaseError.General.UnknownError";
    /// A transaction-state problem.
    pub const INVALID_TX_STATE: &str = "Neo.ClientError.Transaction.InvalidBookmark";
}

/// An error in Neo4j's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neo4jError {
    /// The Neo4j status code, e.g. `Neo.ClientError.Statement.SyntaxError`.
    pub code: Cow<'static, str>,
    /// The message, without position or caret.
    pub message: String,
    /// Where in the statement the error is, when Neo4j reports a position.
    pub position: Option<Position>,
}

impl Neo4jError {
    /// An error with a code and a message.
    pub fn new(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Neo4jError {
        Neo4jError {
            code: code.into(),
            message: message.into(),
            position: None,
        }
    }

    /// The same error at a position.
    pub fn at(mut self, position: Position) -> Neo4jError {
        self.position = Some(position);
        self
    }

    /// `Neo.ClientError.Statement.SyntaxError` at a position.
    pub fn syntax(message: impl Into<String>, position: Position) -> Neo4jError {
        Neo4jError::new(code::SYNTAX_ERROR, message).at(position)
    }

    /// The message with Neo4j's ` (line L, column C (offset: O))` suffix when there is a
    /// position.
    pub fn full_message(&self) -> String {
        match self.position {
            Some(p) => format!(
                "{} (line {}, column {} (offset: {}))",
                self.message, p.line, p.column, p.offset
            ),
            None => self.message.clone(),
        }
    }

    /// The message followed, when there is a position, by the statement's offending line
    /// in double quotes and a caret under the position — Neo4j's legacy error layout.
    pub fn render(&self, statement: &str) -> String {
        let mut out = self.full_message();
        if let Some(p) = self.position {
            let line = statement.lines().nth(p.line - 1).unwrap_or("");
            out.push('\n');
            out.push('"');
            out.push_str(line);
            out.push('"');
            out.push('\n');
            // The column counts UTF-16 units; the caret goes under the character there.
            let mut units = 0;
            let chars = line
                .chars()
                .take_while(|c| {
                    units += c.len_utf16();
                    units < p.column
                })
                .count();
            out.push_str(&" ".repeat(chars + 1));
            out.push('^');
        }
        out
    }
}

impl Neo4jError {
    /// Like [`Neo4jError::render`], but the statement line is cut to at most `width`
    /// characters around the caret (`…` marks what was cut), for input that may be one
    /// very long line (a `-P` argument).
    pub fn render_excerpt(&self, statement: &str, width: usize) -> String {
        let Some(p) = self.position else {
            return self.full_message();
        };
        let line = statement
            .lines()
            .nth(p.line.saturating_sub(1))
            .unwrap_or("");
        let chars: Vec<char> = line.chars().collect();
        if chars.len() <= width {
            return self.render(statement);
        }
        let mut units = 0;
        let at = chars
            .iter()
            .take_while(|c| {
                units += c.len_utf16();
                units < p.column
            })
            .count();
        let start = at.saturating_sub(width / 2);
        let end = (start + width).min(chars.len());
        let mut shown = String::new();
        if start > 0 {
            shown.push('…');
        }
        shown.extend(&chars[start..end]);
        if end < chars.len() {
            shown.push('…');
        }
        let caret = at - start + usize::from(start > 0);
        format!(
            "{}\n\"{shown}\"\n{}^",
            self.full_message(),
            " ".repeat(caret + 1)
        )
    }
}

/// At most `width` characters of `text`, with `…` when cut.
pub fn excerpt(text: &str, width: usize) -> String {
    match text.char_indices().nth(width) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

impl fmt::Display for Neo4jError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.full_message())
    }
}

impl std::error::Error for Neo4jError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_points_at_the_position() {
        let stmt = "CREATE DATABASE foo TOPOLOGY PRIMARY";
        let err = Neo4jError::syntax("Invalid input 'PRIMARY'", Position::of_byte(stmt, 29));
        assert_eq!(
            err.render(stmt),
            "Invalid input 'PRIMARY' (line 1, column 30 (offset: 29))\n\
             \"CREATE DATABASE foo TOPOLOGY PRIMARY\"\n                              ^"
        );
    }

    #[test]
    fn positions_count_utf16_units_as_java_does() {
        let p = Position::of_byte("RETURN '🧐' x", 14);
        assert_eq!((p.offset, p.column), (12, 13));
        let err = Neo4jError::syntax("Invalid input 'x'", p);
        assert!(err.render("RETURN '🧐' x").ends_with("\n            ^"));
    }

    #[test]
    fn positions_count_characters_and_lines() {
        let p = Position::of_byte("ab\ncdé f", 9);
        assert_eq!(
            p,
            Position {
                offset: 8,
                line: 2,
                column: 6
            }
        );
    }
}
