//! The rustyline helper: completion, hints, highlighting and the multi-line validator,
//! wired to the pure functions in `complete` and `highlight`.
//!
//! It owns the glue to rustyline's traits. It must not run statements; the names it
//! completes are refreshed by the prompt loop through the backend.

use super::complete::{self, Names};
use super::highlight;
use crate::dialect::split::is_incomplete;
use crate::dialect::{CypherVersion, expected_at_as};
use colored::Colorize;
use rustyline::completion::{Completer, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::Hinter;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};
use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

/// The prompt's helper.
pub struct ShellHelper {
    /// Names to complete, shared with the prompt loop that refreshes them.
    pub names: Rc<RefCell<Names>>,
    /// Colour on (a terminal without `NO_COLOR`).
    pub colour: bool,
    /// `--idle-timeout`'s watch, told of every keystroke.
    pub idle: Option<super::idle::IdleWatch>,
}

impl Completer for ShellHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (start, candidates) = complete::complete(line, pos, &self.names.borrow());
        let pairs = candidates
            .into_iter()
            .map(|c| Pair {
                display: c.display,
                replacement: c.replacement,
            })
            .collect();
        Ok((start, pairs))
    }
}

impl Hinter for ShellHelper {
    type Hint = String;

    /// At the end of the line: a procedure's signature after its name, or a mark when the
    /// text before the word being typed is already invalid.
    fn hint(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> Option<String> {
        // Every keystroke asks for a hint: the user is there.
        if let Some(w) = &self.idle {
            w.touch();
        }
        if pos < line.len() || line.trim().is_empty() {
            return None;
        }
        if let Some(sig) = complete::signature_hint(line, pos, &self.names.borrow()) {
            return Some(sig.to_string());
        }
        invalid_hint(line, self.names.borrow().version)
    }
}

/// `  ✗ invalid input at column N` when the last statement is already invalid before the
/// word under the cursor.
fn invalid_hint(line: &str, version: CypherVersion) -> Option<String> {
    let (statement_start, reached) = invalid_at(line, version)?;
    let column = line[statement_start..reached].chars().count() + 1;
    Some(format!("  ✗ invalid input at column {column}"))
}

/// Where the statement under the cursor is already invalid, before the word being typed:
/// the statement's start and the offset the parser stopped at, both in `line`.
fn invalid_at(line: &str, version: CypherVersion) -> Option<(usize, usize)> {
    // The statement under the cursor, without its terminating `;` (a terminated one runs on
    // Enter and reports its own error).
    let last = crate::dialect::split::split(line).pop()?;
    if last.complete || last.text.starts_with(':') {
        return None;
    }
    let statement = last.text.as_str();
    let word_len = statement.len()
        - statement
            .trim_end_matches(|c: char| c.is_alphanumeric() || c == '_' || c == '.' || c == '$')
            .len();
    let before_word = statement.len() - word_len;
    let (reached, _) = expected_at_as(statement, version);
    if reached >= before_word || statement[reached..].trim().is_empty() {
        return None;
    }
    Some((last.offset, last.offset + reached))
}

impl Highlighter for ShellHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if self.colour {
            Cow::Owned(highlight::highlight(
                line,
                invalid_at(line, self.names.borrow().version).map(|(_, at)| at),
            ))
        } else {
            Cow::Borrowed(line)
        }
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if !self.colour {
            return Cow::Borrowed(hint);
        }
        if hint.contains('✗') {
            Cow::Owned(hint.red().to_string())
        } else {
            Cow::Owned(hint.bright_black().to_string())
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        self.colour
    }
}

impl Validator for ShellHelper {
    /// Keeps reading lines while the input is an unterminated statement.
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        Ok(if is_incomplete(ctx.input()) {
            ValidationResult::Incomplete
        } else {
            ValidationResult::Valid(None)
        })
    }
}

impl Helper for ShellHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_input_the_parser_already_rejects() {
        assert_eq!(
            invalid_hint("CREATE DATABASE foo-", CypherVersion::Cypher5),
            Some("  ✗ invalid input at column 20".into())
        );
        assert_eq!(
            invalid_hint("CREATE DATABASE foo TOP", CypherVersion::Cypher5),
            None,
            "a word being typed is not invalid yet"
        );
        assert_eq!(
            invalid_hint("SHOW SERVERS; CREATE DATABASE foo ", CypherVersion::Cypher5),
            None
        );
        assert_eq!(invalid_hint(":param {a: 1", CypherVersion::Cypher5), None);
        assert_eq!(
            invalid_hint("CREATE DATABASE foo;", CypherVersion::Cypher5),
            None,
            "a terminated statement"
        );
    }
}
