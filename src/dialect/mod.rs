//! The admin dialect: text to statements. Splitting input into statements, parsing each
//! into a typed AST with Neo4j's syntax errors, and checking its parameters.
//!
//! It owns the grammar and everything that can be judged without a cluster. It must do
//! no I/O and know nothing of `cluster`, `client`, `server` or `shell`; it never panics on
//! any input.

pub mod ast;
pub mod catalog;
pub mod check;
pub mod command;
pub mod complete;
#[cfg(test)]
mod conformance;
pub mod eval;
pub mod grammar;
pub mod lexer;
pub mod params;
pub mod privilege;
pub mod secrets;
pub mod semantic;
pub mod split;
pub mod stack;
#[cfg(test)]
mod tests;
pub mod version;
#[cfg(test)]
mod version_cases;

use crate::error::Neo4jError;
use crate::value::Value;
use std::collections::BTreeMap;

pub use command::Command;
pub use complete::{Completion, completion_context, completion_context_as};
pub use eval::assign::{eval_assignment, parse_param_assignment};
pub use version::CypherVersion;

/// A session's parameters: name to value.
pub type Params = BTreeMap<String, Value>;

/// Parses one statement (without its terminating `;`) as Cypher 5 and makes Neo4j's
/// compile-time semantic checks on it. Leading and trailing whitespace and comments are
/// allowed; a `CYPHER 25` prefix switches to Cypher 25.
pub fn parse(text: &str) -> Result<ast::Statement, Neo4jError> {
    parse_as(text, CypherVersion::Cypher5)
}

/// [`parse`] in the session's Cypher `version`; a `CYPHER 5` or `CYPHER 25` prefix in the
/// statement overrides it, as it does on a Neo4j server.
pub fn parse_as(text: &str, version: CypherVersion) -> Result<ast::Statement, Neo4jError> {
    let statement = grammar::parse(text, version.is_25())?.statement;
    semantic::check(&statement, text)?;
    Ok(statement)
}

/// What comes before a statement's text (`EXPLAIN`, `PROFILE`, `CYPHER 25`): how a
/// backend knows to plan or profile a statement that [`parse`] accepted.
pub fn prefix(text: &str) -> ast::query::Prefix {
    grammar::parse_prefix(text)
}

/// Parses one expression.
pub fn parse_expression(text: &str) -> Result<ast::Expr, Neo4jError> {
    grammar::parse_expression(text)
}

/// One thing the parser would accept at a position, as completion sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Expected {
    /// A keyword, or keywords always written together (`ORDER BY`), upper case.
    Keyword(&'static str),
    /// A punctuation symbol (`(`, `,`).
    Symbol(&'static str),
    /// A class of tokens.
    Class(Class),
}

/// The token classes completion distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// A database or alias name.
    DatabaseName,
    /// A server name or id (a string).
    ServerName,
    /// A user name.
    UserName,
    /// A role name.
    RoleName,
    /// A procedure name.
    ProcedureName,
    /// A function name.
    FunctionName,
    /// A `$parameter`.
    Parameter,
    /// An unsigned integer.
    Integer,
    /// A string literal.
    String,
    /// A name (option keys, aliases, labels).
    Identifier,
    /// A variable in scope.
    Variable,
    /// A property key.
    PropertyKey,
    /// A column a SHOW command yields.
    Column,
    /// An expression.
    Expression,
    /// The end of the statement.
    End,
}

/// What the parser would accept where it stopped in `input` (a partial statement): the
/// byte offset it reached and the expected keywords, symbols and classes there. When the
/// offset is before the end of `input`, the input is already invalid at that offset.
pub fn expected_at(input: &str) -> (usize, Vec<Expected>) {
    expected_at_as(input, CypherVersion::Cypher5)
}

/// [`expected_at`] in Cypher `version`.
pub fn expected_at_as(input: &str, version: CypherVersion) -> (usize, Vec<Expected>) {
    use grammar::expected::{Hint, Rule, What};
    use lexer::Tok;
    let (at, set) = grammar::expected_at(input, version.is_25());
    let mut out: Vec<Expected> = Vec::new();
    for item in set.items() {
        let e = match item.what() {
            What::Keywords([k]) => Expected::Keyword(k.text()),
            What::Keywords(ks) => Expected::Keyword(sequence_text(ks)),
            What::Token(Tok::Eof) => Expected::Class(Class::End),
            What::Token(Tok::Int) => Expected::Class(Class::Integer),
            What::Token(Tok::Str) => Expected::Class(Class::String),
            What::Token(Tok::Ident | Tok::Escaped) => Expected::Class(Class::Identifier),
            What::Token(_) => match item.token_display() {
                Some(d) if d.len() > 2 && d.starts_with('\'') => {
                    Expected::Symbol(&d[1..d.len() - 1])
                }
                _ => continue,
            },
            What::Rule(Rule::Expression) => Expected::Class(Class::Expression),
            What::Rule(Rule::String) => Expected::Class(Class::String),
            What::Rule(Rule::Parameter) => Expected::Class(Class::Parameter),
            What::Rule(Rule::DatabaseName) => Expected::Class(Class::DatabaseName),
            What::Rule(Rule::Variable) => Expected::Class(Class::Variable),
            What::Rule(_) => Expected::Class(Class::Identifier),
            What::Hint(h) => Expected::Class(match h {
                Hint::Procedure => Class::ProcedureName,
                Hint::Function => Class::FunctionName,
                Hint::Server => Class::ServerName,
                Hint::User => Class::UserName,
                Hint::Role => Class::RoleName,
                Hint::Database => Class::DatabaseName,
                Hint::PropertyKey => Class::PropertyKey,
                Hint::Column => Class::Column,
                Hint::Variable => Class::Variable,
                Hint::Parameter => Class::Parameter,
            }),
        };
        if !out.contains(&e) {
            out.push(e);
        }
    }
    out.sort();
    (at, out)
}

/// `ORDER BY` for the run `[ORDER, BY]`, built once per run.
fn sequence_text(ks: &'static [lexer::Kw]) -> &'static str {
    use std::collections::HashMap;
    use std::sync::{LazyLock, Mutex};
    static CACHE: LazyLock<Mutex<HashMap<usize, &'static str>>> =
        LazyLock::new(|| Mutex::new(HashMap::new()));
    let key = ks.as_ptr() as usize;
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    cache.entry(key).or_insert_with(|| {
        let text: Vec<&str> = ks.iter().map(|k| k.text()).collect();
        Box::leak(text.join(" ").into_boxed_str())
    })
}
