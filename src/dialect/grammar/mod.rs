//! The statement parser: one recursive-descent parser over the lexer's tokens for the
//! whole of Cypher 5 as Neo4j accepts it — queries, schema commands, SHOW / TERMINATE
//! commands and every administration command — producing the typed AST, or Neo4j's
//! syntax error at Neo4j's position.
//!
//! It owns the grammar (split by family into the sibling modules: `expr`, `pattern`,
//! `query`, `schema`, `show`, `database`, `alias`, `server`, `security`, `privilege`) and
//! the statement-level choice between a query and a command. It must not check parameter
//! values or cluster state, and it never panics or overflows its stack on any input.

mod alias;
mod database;
pub mod expected;
mod expr;
mod literals;
mod names;
pub mod parser;
mod pattern;
mod privilege;
mod query;
mod schema;
mod security;
mod server;
mod show;

use crate::dialect::ast::query::{Clause, ClauseKind, Prefix, Query};
use crate::dialect::ast::{Expr, Statement};
use crate::dialect::lexer::unicode::Unescaped;
use crate::dialect::lexer::{Kw, Tok};
use crate::error::{Neo4jError, Position};
use expected::{Item, ItemSet};
use parser::{Frame, PResult, Parser};
use std::sync::LazyLock;

pub use parser::MAX_DEPTH;

// ---- the recursion hub ------------------------------------------------------------------
// Expressions hold patterns and subqueries, which hold expressions again. `pattern` and
// `query` call `expr` directly; the calls back up (and `names`' one call into `expr`) go
// through these entry points, so the recursion is tied here, in the module that declares
// all four files, and no two of them import each other (ARCHITECTURE.md, "Layers").

/// `labelExpression` after `IS` or `:` inside an expression (`n:A|B`).
fn label_expression_postfix(
    p: &mut Parser<'_>,
) -> PResult<crate::dialect::ast::pattern::LabelExpr> {
    pattern::label_expression_postfix(p)
}

/// A path pattern inside an expression (pattern expressions, comprehensions).
fn path_pattern_non_empty(
    p: &mut Parser<'_>,
) -> PResult<crate::dialect::ast::pattern::PathPattern> {
    pattern::path_pattern_non_empty(p)
}

/// `shortestPath(...)` / `allShortestPaths(...)` in an expression.
fn shortest_path(p: &mut Parser<'_>) -> PResult<crate::dialect::ast::pattern::Pattern> {
    pattern::shortest_path(p)
}

/// A match mode in `EXISTS { ... }` / `COUNT { ... }` short forms.
fn match_mode(p: &mut Parser<'_>) -> PResult<Option<crate::dialect::ast::query::MatchMode>> {
    query::match_mode(p)
}

/// The pattern list of a subquery expression's short form.
fn pattern_list(p: &mut Parser<'_>) -> PResult<Vec<crate::dialect::ast::pattern::Pattern>> {
    query::pattern_list(p)
}

/// The full query inside `EXISTS { ... }`, `COUNT { ... }` or `COLLECT { ... }`.
fn regular_query(p: &mut Parser<'_>) -> PResult<Query> {
    query::regular_query(p)
}

/// An optional `WHERE` inside a subquery expression or comprehension.
fn where_clause(p: &mut Parser<'_>) -> PResult<Option<Expr>> {
    query::where_clause(p)
}

/// A map literal where a name rule allows one (options maps).
fn map_literal(p: &mut Parser<'_>) -> PResult<Vec<(String, Expr)>> {
    expr::map_literal(p)
}

/// A parsed statement with what came before it (`CYPHER 25`, `EXPLAIN`, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The prefix.
    pub prefix: Prefix,
    /// The statement.
    pub statement: Statement,
}

/// Parses one statement (no trailing `;`) as Cypher 5, or as Cypher 25 when `cypher25`
/// is set or the statement starts with `CYPHER 25`.
pub fn parse(text: &str, cypher25: bool) -> Result<Parsed, Neo4jError> {
    if text.len() > crate::dialect::lexer::MAX_LEN {
        return Err(Neo4jError::syntax(
            "The statement is too long: more than 4 GB.",
            Position::of_byte(text, 0),
        ));
    }
    let unescaped = unescape(text)?;
    let mut p = parser(text, &unescaped, cypher25);
    let result = statement(&mut p);
    p.finish(result)
}

/// The rules a parse of `text` entered and its token count (for the budget test).
#[cfg(test)]
pub fn parse_cost(text: &str) -> (u64, usize) {
    let mut p = Parser::new(text, false);
    let _ = statement(&mut p);
    (p.steps(), crate::dialect::lexer::tokenize(text).len())
}

/// A parser over `text`, lexed after the unicode-escape pre-pass when it had escapes.
fn parser<'s>(text: &'s str, unescaped: &'s Option<Unescaped>, cypher25: bool) -> Parser<'s> {
    match unescaped {
        Some(u) => Parser::with_unescaped(text, u, cypher25),
        None => Parser::new(text, cypher25),
    }
}

/// Neo4j's unicode-escape pre-pass over `text` (see `lexer::unicode`).
fn unescape(text: &str) -> Result<Option<Unescaped>, Neo4jError> {
    crate::dialect::lexer::unicode::unescape(text)
        .map_err(|e| Neo4jError::syntax(e.message, e.position))
}

/// Parses one expression (a `:param` value, a `-P` map).
pub fn parse_expression(text: &str) -> Result<Expr, Neo4jError> {
    let unescaped = unescape(text)?;
    let mut p = parser(text, &unescaped, false);
    let result = expr::expression(&mut p).and_then(|e| {
        p.expect_end()?;
        Ok(e)
    });
    p.finish(result)
}

/// Parses a map literal `{k: v, ...}` as the whole input and returns its entries.
pub fn parse_map(text: &str) -> Result<Vec<(String, Expr)>, Neo4jError> {
    let unescaped = unescape(text)?;
    let mut p = parser(text, &unescaped, false);
    let result = expr::map_literal(&mut p).and_then(|m| {
        p.expect_end()?;
        Ok(m)
    });
    p.finish(result)
}

/// What the parser would accept where it stopped in `text` (a partial statement): the
/// byte offset of the token it stopped at and the expected items there. When the offset
/// is before the end of `text`, the text is already invalid at that offset.
pub fn expected_at(text: &str, cypher25: bool) -> (usize, ItemSet) {
    let mut p = Parser::new(text, cypher25);
    let _ = statement(&mut p);
    p.expected()
}

/// The words that may start an administration or schema command.
static COMMAND_START: LazyLock<ItemSet> = LazyLock::new(|| {
    let mut s = ItemSet::EMPTY;
    for k in [
        Kw::Alter,
        Kw::Create,
        Kw::Drop,
        Kw::Rename,
        Kw::Deny,
        Kw::Revoke,
        Kw::Grant,
        Kw::Dryrun,
        Kw::Deallocate,
        Kw::Reallocate,
        Kw::Show,
        Kw::Terminate,
    ] {
        s.insert(Item::kw(k));
    }
    s.insert(expected::START_DATABASE);
    s.insert(expected::STOP_DATABASE);
    s.insert(expected::ENABLE_SERVER);
    s
});

/// True when the current token starts a command (rather than a query clause). CREATE
/// starts both: a pattern (or a path variable) after it makes it a clause.
fn at_command(p: &Parser<'_>) -> bool {
    match p.peek() {
        Tok::Kw(
            Kw::Alter
            | Kw::Drop
            | Kw::Rename
            | Kw::Deny
            | Kw::Revoke
            | Kw::Grant
            | Kw::Start
            | Kw::Stop
            | Kw::Enable
            | Kw::Dryrun
            | Kw::Deallocate
            | Kw::Reallocate
            | Kw::Show
            | Kw::Terminate,
        ) => true,
        Tok::Kw(Kw::Create) => p.nth(1) != Tok::LParen,
        _ => false,
    }
}

/// `statement`: a prefix, then a command or a query, then the end.
fn statement(p: &mut Parser<'_>) -> PResult<Parsed> {
    let prefix = prefix(p)?;
    p.set_statement_start();
    if (prefix.explain || prefix.profile || prefix.version.is_some()) && p.peek() == Tok::Eof {
        // Neo4j's front end accepts a prefix with nothing after it.
        return Ok(Parsed {
            prefix,
            statement: Statement::Cypher,
        });
    }
    if p.cypher25 {
        // Cypher 25 removed PERIODIC COMMIT altogether: USING is no statement start.
    } else if p.peek() == Tok::Kw(Kw::Using) && p.nth(1) == Tok::Kw(Kw::Periodic) {
        let at = p.offset();
        p.expect_seq(expected::USING_PERIODIC_COMMIT)?;
        if p.peek() == Tok::Int {
            p.bump();
        }
        p.semantic_error(
            at,
            "The PERIODIC COMMIT query hint is no longer supported. Please use CALL { ... } IN \
             TRANSACTIONS instead.",
        );
    } else {
        p.record(expected::USING_PERIODIC_COMMIT);
    }
    let statement = if p.peek() == Tok::Kw(Kw::Use) {
        let start = p.pos();
        let graph = p.rule(Frame::Plain, query::use_clause)?;
        let use_clause = Clause {
            written_as: None,
            kind: ClauseKind::Use(graph),
            span: p.span_from(start),
        };
        let at = p.statement_start();
        let use_error = |p: &mut Parser<'_>| {
            p.semantic_error(
                at,
                "The `USE` clause is not required for administration commands. Retry your \
                 query without the `USE` clause, and it will be routed automatically.",
            );
        };
        match p.peek() {
            Tok::Kw(Kw::Create) => p.either(
                |p| {
                    let c = command(p)?;
                    use_error(p);
                    Ok(c)
                },
                |p| query_after_use(p, use_clause.clone()),
            )?,
            _ if at_command(p) => {
                let c = command(p)?;
                use_error(p);
                c
            }
            _ => {
                p.record_all(&COMMAND_START);
                query_after_use(p, use_clause)?
            }
        }
    } else if p.peek() == Tok::Kw(Kw::Create) {
        if p.nth(1) == Tok::LParen {
            p.record_all(&COMMAND_START);
            Statement::Query(Box::new(query::regular_query(p)?))
        } else {
            p.either(command, |p| {
                query::regular_query(p).map(|q| Statement::Query(Box::new(q)))
            })?
        }
    } else if at_command(p) {
        command(p)?
    } else {
        p.record_all(&COMMAND_START);
        // Neither a command nor a clause: Neo4j reports both lists, at the statement.
        if !query::at_clause_start(p) {
            query::record_clause_start(p);
            if p.cypher25 {
                // Cypher 25's conditional queries and braced query blocks (not parsed
                // yet: listed so the message says what Neo4j's says).
                p.record(Item::kw(Kw::When));
                p.record(Item::tok(Tok::LCurly));
            }
            return p.fail();
        }
        Statement::Query(Box::new(query::regular_query(p)?))
    };
    if p.cypher25 && composable(&statement) {
        // Cypher 25 composes SHOW and TERMINATE commands with clauses: any clause, NEXT
        // or UNION may follow them (listed; the composition itself is not parsed yet).
        query::record_clause_start(p);
        p.record(Item::kw(Kw::Next));
        p.record(Item::kw(Kw::Union));
    }
    p.expect_end()?;
    let statement = match statement {
        Statement::Query(q) => standalone_call(p.src, *q),
        other => other,
    };
    Ok(Parsed { prefix, statement })
}

/// The commands Cypher 25 composes with clauses: SHOW of databases, indexes,
/// constraints, functions, procedures, settings and transactions, and TERMINATE.
fn composable(statement: &Statement) -> bool {
    use crate::dialect::ast::ShowKind as K;
    match statement {
        Statement::TerminateTransactions => true,
        Statement::Show(show) => matches!(
            show.kind,
            K::Databases(_)
                | K::DefaultDatabase
                | K::HomeDatabase
                | K::Procedures
                | K::Functions
                | K::Indexes
                | K::Constraints
                | K::Transactions
                | K::Settings
        ),
        _ => false,
    }
}

/// A query that is only a procedure call, with an optional RETURN after its YIELD, is a
/// procedure statement: the embedded cluster runs those (`CALL sim.addServer(...)`).
fn standalone_call(src: &str, q: Query) -> Statement {
    use crate::dialect::ast::{Call, ProjectionItem, Yield};
    let [call, rest @ ..] = q.first.clauses.as_slice() else {
        return Statement::Query(Box::new(q));
    };
    let ClauseKind::Call(c) = &call.kind else {
        return Statement::Query(Box::new(q));
    };
    let return_ = match rest {
        [] => None,
        [r] if c.yields.is_some() => match &r.kind {
            ClauseKind::Return(body) => Some(body.clone()),
            _ => return Statement::Query(Box::new(q)),
        },
        _ => return Statement::Query(Box::new(q)),
    };
    if !q.unions.is_empty() || c.optional {
        return Statement::Query(Box::new(q));
    }
    let yield_ = c.yields.as_ref().map(|y| Yield {
        items: y.as_ref().map(|items| {
            items
                .iter()
                .map(|i| ProjectionItem {
                    expr: Expr::new(
                        crate::dialect::ast::ExprKind::Variable(i.column.clone()),
                        i.span,
                    ),
                    alias: i.alias.as_ref().map(|a| a.name.clone()),
                    text: i.span.text(src).to_string(),
                })
                .collect()
        }),
        tail: Default::default(),
        where_: c.filter.clone(),
    });
    Statement::Call(Box::new(Call {
        procedure: c.name.clone(),
        offset: c.name_span.start as usize,
        args: c.args.clone(),
        yield_,
        return_: return_.map(|b| show::show_return(src, b)),
    }))
}

/// A query whose first clause, USE, is already parsed.
fn query_after_use(p: &mut Parser<'_>, use_clause: Clause) -> PResult<Statement> {
    let q = query::regular_query_from(p, Some(use_clause))?;
    Ok(Statement::Query(Box::new(q)))
}

/// The prefix of `text` (`EXPLAIN`, `PROFILE`, `CYPHER n`), read without parsing the
/// statement after it; a prefix that does not parse reads as none.
pub fn parse_prefix(text: &str) -> Prefix {
    let mut p = Parser::new(text, false);
    prefix(&mut p).unwrap_or_default()
}

/// `CYPHER [5|25] [key=value]...`, `EXPLAIN`, `PROFILE`, in any order and number.
fn prefix(p: &mut Parser<'_>) -> PResult<Prefix> {
    let mut prefix = Prefix::default();
    loop {
        if p.eat_word("EXPLAIN") {
            prefix.explain = true;
        } else if p.eat_word("PROFILE") {
            prefix.profile = true;
        } else if p.peek() == Tok::Kw(Kw::Cypher) {
            p.bump();
            if p.peek() == Tok::Int {
                let t = p.bump();
                let text = p.text(t);
                match text {
                    "5" => {
                        // The statement's own version wins over the session's.
                        prefix.version = Some(5);
                        p.cypher25 = false;
                    }
                    "25" => {
                        prefix.version = Some(25);
                        p.cypher25 = true;
                    }
                    _ => p.semantic_error(
                        t.start as usize,
                        format!(
                            "{text} is not a valid option for cypher version. Valid options \
                             are: 5, 25"
                        ),
                    ),
                }
            }
            // An option is `key = value`; a name not followed by `=` is the statement
            // (Neo4j reports a word that starts none at the word).
            while names::at_name(p) && p.nth(1) == Tok::Eq && !at_statement_word(p) {
                let (key, _) = names::symbolic_name(p)?;
                p.expect(Tok::Eq)?;
                let value = p.bump();
                prefix.options.push((key, p.text(value).to_string()));
            }
        } else {
            return Ok(prefix);
        }
    }
}

/// A word that starts a statement or a prefix, which ends a CYPHER option list.
fn at_statement_word(p: &Parser<'_>) -> bool {
    at_command(p)
        || query::at_clause_start(p)
        || matches!(p.peek(), Tok::Kw(Kw::Cypher | Kw::Using))
        || p.at_word("EXPLAIN")
        || p.at_word("PROFILE")
}

/// A command: administration, schema, SHOW or TERMINATE (the current token starts one).
fn command(p: &mut Parser<'_>) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        let Tok::Kw(k) = p.peek() else {
            return p.fail();
        };
        match k {
            Kw::Create => {
                p.bump();
                create(p)
            }
            Kw::Drop => {
                p.bump();
                drop(p)
            }
            Kw::Alter => {
                p.bump();
                alter(p)
            }
            Kw::Rename => {
                p.bump();
                rename(p)
            }
            Kw::Grant | Kw::Deny | Kw::Revoke => privilege::access_control(p),
            Kw::Start | Kw::Stop => database::start_stop(p),
            Kw::Enable => server::enable_server(p),
            Kw::Dryrun | Kw::Deallocate | Kw::Reallocate => server::allocation(p),
            Kw::Show => {
                p.bump();
                show::show(p)
            }
            Kw::Terminate => show::terminate(p),
            _ => p.fail(),
        }
    })
}

/// After CREATE: `[OR REPLACE]` then a database, alias, user, role, index or constraint.
fn create(p: &mut Parser<'_>) -> PResult<Statement> {
    // Neo4j chooses between the CREATE clause and the CREATE commands by reading on.
    p.mark_decision_token(usize::from(p.peek() == Tok::Kw(Kw::Or)));
    let or_replace = p.eat_seq(expected::OR_REPLACE)?;
    match p.peek() {
        Tok::Kw(Kw::Database) => database::create_database(p, or_replace),
        Tok::Kw(Kw::Composite) => database::create_composite(p, or_replace),
        Tok::Kw(Kw::Alias) => alias::create_alias(p, or_replace),
        Tok::Kw(Kw::User) => security::create_user(p, or_replace),
        Tok::Kw(Kw::Role | Kw::Immutable) => security::create_role(p, or_replace),
        Tok::Kw(Kw::Constraint) => schema::create_constraint(p, or_replace),
        Tok::Kw(
            Kw::Index
            | Kw::Btree
            | Kw::Range
            | Kw::Text
            | Kw::Point
            | Kw::Vector
            | Kw::Lookup
            | Kw::Fulltext,
        ) if !(p.cypher25 && p.peek() == Tok::Kw(Kw::Btree)) => {
            // Cypher 25 removed BTREE indexes from the grammar.
            schema::create_index(p, or_replace)
        }
        _ => {
            for k in [
                Kw::Alias,
                Kw::Constraint,
                Kw::Database,
                Kw::Index,
                Kw::Role,
                Kw::User,
                Kw::Immutable,
            ] {
                p.record(Item::kw(k));
            }
            p.record(expected::COMPOSITE_DATABASE);
            if p.cypher25 {
                // Listed as Neo4j's Cypher 25 lists them; not parsed yet.
                p.record(expected::REPLICA_DATABASE);
                p.record(expected::AUTH_RULE);
            } else {
                p.record(expected::BTREE_INDEX);
            }
            for seq in [
                expected::RANGE_INDEX,
                expected::TEXT_INDEX,
                expected::POINT_INDEX,
                expected::VECTOR_INDEX,
                expected::LOOKUP_INDEX,
                expected::FULLTEXT_INDEX,
            ] {
                p.record(seq);
            }
            p.fail()
        }
    }
}

fn drop(p: &mut Parser<'_>) -> PResult<Statement> {
    match p.peek() {
        Tok::Kw(Kw::Database | Kw::Composite) => database::drop_database(p),
        Tok::Kw(Kw::Alias) => alias::drop_alias(p),
        Tok::Kw(Kw::User) => security::drop_user(p),
        Tok::Kw(Kw::Role) => security::drop_role(p),
        Tok::Kw(Kw::Server) => server::drop_server(p),
        Tok::Kw(Kw::Constraint) => schema::drop_constraint(p),
        Tok::Kw(Kw::Index) => schema::drop_index(p),
        _ => {
            for k in [
                Kw::Alias,
                Kw::Composite,
                Kw::Constraint,
                Kw::Database,
                Kw::Index,
                Kw::Role,
                Kw::Server,
                Kw::User,
            ] {
                p.record(Item::kw(k));
            }
            if p.cypher25 {
                // Listed as Neo4j's Cypher 25 lists it; not parsed yet.
                p.record(expected::AUTH_RULE);
            }
            p.fail()
        }
    }
}

fn alter(p: &mut Parser<'_>) -> PResult<Statement> {
    match p.peek() {
        Tok::Kw(Kw::Database) => database::alter_database(p),
        Tok::Kw(Kw::Alias) => alias::alter_alias(p),
        Tok::Kw(Kw::Server) => server::alter_server(p),
        Tok::Kw(Kw::Current) => security::alter_current_user(p),
        Tok::Kw(Kw::User) => security::alter_user(p),
        _ => {
            for k in [Kw::Alias, Kw::Database, Kw::Server, Kw::User] {
                p.record(Item::kw(k));
            }
            if p.cypher25 {
                // Cypher 25's CURRENT also starts `CURRENT GRAPH TYPE`; AUTH RULE and
                // USERS are listed as Neo4j lists them, not parsed yet.
                p.record(Item::kw(Kw::Current));
                p.record(Item::kw(Kw::Users));
                p.record(expected::AUTH_RULE);
            } else {
                p.record(expected::CURRENT_USER_SET_PASSWORD_FROM);
            }
            p.fail()
        }
    }
}

fn rename(p: &mut Parser<'_>) -> PResult<Statement> {
    match p.peek() {
        Tok::Kw(Kw::Role) => security::rename(p, false),
        Tok::Kw(Kw::User) => security::rename(p, true),
        Tok::Kw(Kw::Server) => server::rename_server(p),
        _ => {
            for k in [Kw::Role, Kw::Server, Kw::User] {
                p.record(Item::kw(k));
            }
            if p.cypher25 {
                p.record(expected::AUTH_RULE);
            }
            p.fail()
        }
    }
}
