//! The admin dialect: text to statements. Splitting input into statements, parsing each
//! into a typed AST with Neo4j's syntax errors, and checking its parameters.
//!
//! It owns the grammar and everything that can be judged without a cluster. It must do
//! no I/O and know nothing of `cluster`, `client`, `server` or `shell`; it never panics on
//! any input.

pub mod ast;
pub mod check;
#[cfg(test)]
mod conformance;
pub mod eval;
pub mod grammar;
pub mod lexer;
pub mod params;
pub mod privilege;
pub mod secrets;
pub mod split;
#[cfg(test)]
mod tests;

use crate::error::Neo4jError;
use crate::value::Value;
use std::collections::BTreeMap;

pub use eval::assign::{eval_assignment, parse_param_assignment};

/// A session's parameters: name to value.
pub type Params = BTreeMap<String, Value>;

/// Parses one statement (without its terminating `;`). Leading and trailing whitespace
/// and comments are allowed.
pub fn parse(text: &str) -> Result<ast::Statement, Neo4jError> {
    grammar::parse(text, false).map(|p| p.statement)
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
    use grammar::expected::{Hint, Rule, What};
    use lexer::Tok;
    let (at, set) = grammar::expected_at(input);
    let mut out: Vec<Expected> = Vec::new();
    for item in set.items() {
        let e = match item.what() {
            What::Keywords([k]) => Expected::Keyword(k.text()),
            What::Keywords(ks) => Expected::Keyword(sequence_text(ks)),
            What::Token(Tok::Eof) => Expected::Class(Class::End),
            What::Token(Tok::Int) => Expected::Class(Class::Integer),
            What::Token(Tok::Str) => Expected::Class(Class::String),
            What::Token(Tok::Ident | Tok::Escaped) => Expected::Class(Class::Identifier),
            What::Token(_) => match item.display() {
                Some(d) if d.starts_with('\'') => {
                    Expected::Symbol(Box::leak(d.trim_matches('\'').to_string().into_boxed_str()))
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

/// What tab completion may offer at the end of a partial statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// Byte offset where the word being completed starts (the end of input when the
    /// cursor follows whitespace). A completion replaces `input[start..]`.
    pub start: usize,
    /// The word being completed (`dbms.cluster.re`, `'serv`, `$na`, `TOPO`), possibly
    /// empty.
    pub fragment: String,
    /// What the grammar accepts at `start`: keywords, symbols and classes. A class says
    /// what the fragment is: [`Class::ProcedureName`], [`Class::DatabaseName`],
    /// [`Class::ServerName`] (a quoted string), [`Class::Parameter`], ... Empty when the
    /// input is already invalid before `start`.
    pub expected: Vec<Expected>,
}

/// The completion context at the end of `input`: the partial word under the cursor and
/// the parser's expected set just before it (see [`expected_at`]).
pub fn completion_context(input: &str) -> Completion {
    let start = fragment_start(input);
    let prefix = &input[..start];
    let (at, expected) = expected_at(prefix);
    let reached_end = at >= prefix.trim_end().len();
    Completion {
        start,
        fragment: input[start..].to_string(),
        expected: if reached_end { expected } else { Vec::new() },
    }
}

/// Start of the trailing partial word: an unterminated quote or backtick, or a run of
/// identifier characters, dots and `$`.
fn fragment_start(input: &str) -> usize {
    let mut open: Option<(char, usize)> = None;
    let mut chars = input.char_indices();
    while let Some((i, c)) = chars.next() {
        match open {
            Some((q, _)) if c == '\\' && q != '`' => {
                chars.next();
            }
            Some((q, _)) if c == q => open = None,
            Some(_) => {}
            None if matches!(c, '\'' | '"' | '`') => open = Some((c, i)),
            None => {}
        }
    }
    if let Some((_, i)) = open {
        return i;
    }
    input
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || matches!(c, '_' | '.' | '$'))
        .last()
        .map_or(input.len(), |(i, _)| i)
}

#[cfg(test)]
mod completion_tests {
    use super::*;

    fn keywords(e: &[Expected]) -> Vec<&'static str> {
        e.iter()
            .filter_map(|x| match x {
                Expected::Keyword(k) => Some(*k),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn after_a_database_name_the_clauses_are_offered() {
        let (at, e) = expected_at("CREATE DATABASE foo ");
        assert_eq!(at, 20);
        assert_eq!(
            keywords(&e),
            [
                "DEFAULT LANGUAGE CYPHER",
                "IF NOT EXISTS",
                "NOWAIT",
                "OPTIONS",
                "TOPOLOGY",
                "WAIT"
            ]
        );
    }

    #[test]
    fn a_procedure_name_is_recognised() {
        let c = completion_context("CALL dbms.cluster.re");
        assert_eq!(c.start, 5);
        assert_eq!(c.fragment, "dbms.cluster.re");
        assert!(c.expected.contains(&Expected::Class(Class::ProcedureName)));
    }

    #[test]
    fn server_strings_database_names_and_keywords() {
        let c = completion_context("ENABLE SERVER 'abc");
        assert_eq!(c.fragment, "'abc");
        assert!(c.expected.contains(&Expected::Class(Class::ServerName)));
        let c = completion_context("DROP DATABASE fo");
        assert!(c.expected.contains(&Expected::Class(Class::DatabaseName)));
        assert!(c.expected.contains(&Expected::Class(Class::Parameter)));
        let c = completion_context("CREATE DATABASE foo TOPOLOGY 3 PRIM");
        assert_eq!(
            keywords(&c.expected),
            ["PRIMARIES", "PRIMARY", "SECONDARIES", "SECONDARY"]
        );
        let c = completion_context("");
        assert!(keywords(&c.expected).contains(&"SHOW"));
    }

    #[test]
    fn an_invalid_prefix_offers_nothing() {
        assert!(
            completion_context("CREATE DATABASE foo-bar TOPO")
                .expected
                .is_empty()
        );
    }
}
