//! The statement parser (nom over `&str`): statement text to `ast::Statement`, or a
//! syntax error in Neo4j's words.
//!
//! It owns the grammar. It must not check parameters or cluster state.

use super::ast::{Show, ShowKind, Statement};
use crate::error::{Neo4jError, Position};
use nom::IResult;
use nom::Parser;
use nom::branch::alt;
use nom::bytes::complete::tag_no_case;
use nom::character::complete::multispace1;
use nom::combinator::{all_consuming, opt};

/// Keywords that start an administration command. A statement that starts with one of
/// them must parse as one; anything else is general Cypher.
const ADMIN_STARTS: &[&str] = &[
    "SHOW",
    "CREATE",
    "ALTER",
    "DROP",
    "START",
    "STOP",
    "ENABLE",
    "RENAME",
    "DEALLOCATE",
    "REALLOCATE",
    "DRYRUN",
    "GRANT",
    "DENY",
    "REVOKE",
];

fn show_servers(input: &str) -> IResult<&str, Statement> {
    let (rest, _) = (
        tag_no_case("SHOW"),
        multispace1,
        tag_no_case("SERVER"),
        opt(tag_no_case("S")),
        nom::character::complete::multispace0,
    )
        .parse(input)?;
    let show = Show {
        kind: ShowKind::Servers,
        yield_: None,
        where_: None,
        return_: None,
    };
    Ok((rest, Statement::Show(show)))
}

/// Parses one statement.
pub fn parse_statement(text: &str) -> Result<Statement, Neo4jError> {
    let trimmed = text.trim_start();
    let lead = text.len() - trimmed.len();
    let first_word: String = trimmed
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    let upper = first_word.to_ascii_uppercase();
    if !ADMIN_STARTS.contains(&upper.as_str()) {
        return Ok(Statement::Cypher);
    }
    match all_consuming(alt((show_servers,))).parse(trimmed) {
        Ok((_, statement)) => Ok(statement),
        Err(_) => Err(Neo4jError::syntax(
            format!("Invalid input '{first_word}': this form of {upper} is not supported yet"),
            Position::of_byte(text, lead),
        )),
    }
}
