//! The admin dialect: text to statements. Splitting input into statements, parsing each
//! into a typed AST with Neo4j's syntax errors, and checking its parameters.
//!
//! It owns the grammar and everything that can be judged without a cluster. It must do
//! no I/O and know nothing of `cluster`, `client`, `server` or `shell`; it never panics on
//! any input.

pub mod ast;
mod parser;
pub mod split;

use crate::error::Neo4jError;
use crate::value::Value;
use std::collections::BTreeMap;

/// A session's parameters: name to value.
pub type Params = BTreeMap<String, Value>;

/// Parses one statement (without its terminating `;`).
pub fn parse(text: &str) -> Result<ast::Statement, Neo4jError> {
    parser::parse_statement(text)
}
