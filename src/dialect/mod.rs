//! The admin dialect: text to statements. Splitting input into statements, parsing each
//! into a typed AST with Neo4j's syntax errors, and checking its parameters.
//!
//! It owns the grammar and everything that can be judged without a cluster. It must do
//! no I/O and know nothing of `cluster`, `client`, `server` or `shell`; it never panics on
//! any input.

pub mod ast;
pub mod check;
mod eval;
pub mod params;
mod parser;
pub mod split;
#[cfg(test)]
mod tests;

use crate::error::Neo4jError;
use crate::value::Value;
use std::collections::BTreeMap;

pub use eval::{eval_assignment, eval_literal, parse_param_assignment};
pub use parser::token::{Class, Expected};

/// A session's parameters: name to value.
pub type Params = BTreeMap<String, Value>;

/// Parses one statement (without its terminating `;`). Leading and trailing whitespace
/// and comments are allowed.
pub fn parse(text: &str) -> Result<ast::Statement, Neo4jError> {
    parser::parse_statement(text)
}

/// Parses one expression.
pub fn parse_expression(text: &str) -> Result<ast::Expr, Neo4jError> {
    parser::parse_expression(text)
}

/// What the parser would accept at the end of `input` (a partial statement): the byte
/// offset it reached and the expected keywords, symbols and classes there. When the
/// offset is before the end of `input`, the input is already invalid at that offset.
pub fn expected_at(input: &str) -> (usize, Vec<Expected>) {
    parser::expected_at(input)
}
