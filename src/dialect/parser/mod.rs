//! The statement parser (nom over `&str`): statement text to `ast::Statement`, or an error
//! in Neo4j's words (`Invalid input 'X': expected "A", "B" or an integer value`).
//!
//! It owns the grammar, split by family: `token` (lexemes, the error type, the expected
//! set), `names`, `expr`, `clauses`, `database`, `server`, `alias`, `security`, `show`,
//! `call`, and `cypher` (lexical checks for general Cypher). It must not check parameter
//! values or cluster state, and it never panics on any input.
//!
//! Error model: every token parser that fails records what it expected at the offset it
//! tried (after whitespace). Only the furthest offset's set is kept. The first parse runs
//! with recording off, so the success path pays nothing for it; a failed statement is
//! parsed again with recording on to build the message. The same set, taken at the end of
//! a partial input, is what tab completion offers ([`expected_at`]).

mod alias;
mod call;
mod clauses;
mod cypher;
mod database;
mod expr;
mod names;
mod security;
mod server;
mod show;
pub mod token;

use super::ast::{Expr, PrivilegeVerb, Statement};
use crate::error::{Neo4jError, Position};
use token::{
    COMMENT_MESSAGE, Expected, PResult, end, expect, fail, keyword, kw_either, opt_kw, peek_word,
    token_at, with_input, ws,
};

/// Words that can start an admin statement, offered at the start of input.
const STARTERS: &[&str] = &[
    "ALTER",
    "CALL",
    "CREATE",
    "DEALLOCATE",
    "DENY",
    "DROP",
    "DRYRUN",
    "ENABLE",
    "GRANT",
    "REALLOCATE",
    "RENAME",
    "REVOKE",
    "SHOW",
    "START",
    "STOP",
];

/// One statement, up to its end. General Cypher is consumed whole as `Statement::Cypher`.
fn statement(input: &str) -> PResult<'_, Statement> {
    let i = ws(input);
    let word = peek_word(i);
    for s in STARTERS {
        expect(i, Expected::Keyword(s));
    }
    let is = |w: &str| word.eq_ignore_ascii_case(w);
    let after = &i[word.len()..];
    let (rest, stmt) = if is("CREATE") {
        create(after)?
    } else if is("ALTER") {
        alter(after)?
    } else if is("DROP") {
        match drop(after)? {
            Some(ok) => ok,
            None => return Ok(("", Statement::Cypher)),
        }
    } else if is("START") || is("STOP") {
        let (r, _) = keyword(after, "DATABASE")?;
        database::start_stop(r, is("START"))?
    } else if is("SHOW") {
        if !show::is_admin_show(after) && show::is_cypher_show(after) {
            return Ok(("", Statement::Cypher));
        }
        show::show(after)?
    } else if is("ENABLE") {
        server::enable_server(keyword(after, "SERVER")?.0)?
    } else if is("RENAME") {
        rename(after)?
    } else if is("DRYRUN") {
        match opt_kw(after, "DEALLOCATE")? {
            (r, true) => server::deallocate(r, true)?,
            (_, false) => server::reallocate(keyword(after, "REALLOCATE")?.0, true)?,
        }
    } else if is("DEALLOCATE") {
        server::deallocate(after, false)?
    } else if is("REALLOCATE") {
        server::reallocate(after, false)?
    } else if is("GRANT") || is("DENY") || is("REVOKE") {
        access_control(word, after)?
    } else if is("USE") {
        return use_clause(after);
    } else if is("CALL") {
        let next = ws(after);
        if next.starts_with(['{', '(']) || word_is(next, "IN") {
            return Ok(("", Statement::Cypher));
        }
        let (r, call) = call::call(after)?;
        if ws(r).is_empty() {
            return Ok((r, call));
        }
        // `CALL proc() YIELD x MATCH ...`: a procedure call inside a general query.
        if CLAUSES.iter().any(|c| word_is(r, c)) {
            return Ok(("", Statement::Cypher));
        }
        (r, call)
    } else {
        return Ok(("", Statement::Cypher));
    };
    let (rest, ()) = end(rest)?;
    Ok((rest, stmt))
}

/// Clause keywords that, after a CALL's YIELD, make the statement a general query.
const CLAUSES: &[&str] = &[
    "CALL", "CREATE", "DELETE", "DETACH", "FINISH", "FOREACH", "LOAD", "MATCH", "MERGE",
    "OPTIONAL", "REMOVE", "SET", "UNION", "UNWIND", "WITH",
];

/// Words after CREATE / DROP that belong to general Cypher (schema commands). Anything
/// else that is not an admin form is reported against the admin grammar.
const SCHEMA_WORDS: &[&str] = &[
    "BTREE",
    "CONSTRAINT",
    "FULLTEXT",
    "INDEX",
    "LOOKUP",
    "POINT",
    "RANGE",
    "TEXT",
    "VECTOR",
];

/// True when CREATE/DROP is followed by general Cypher: a pattern, a path assignment
/// (`p = ...`) or a schema command.
fn is_cypher_after(after: &str) -> bool {
    let next = ws(after);
    let word = peek_word(next);
    word.is_empty() && !next.is_empty() && !next.starts_with('`')
        || SCHEMA_WORDS.iter().any(|w| word.eq_ignore_ascii_case(w))
        || ws(&next[word.len()..]).starts_with('=')
}

/// `USE db` before a statement: Neo4j's Cypher 5 parser accepts it before an
/// administration command and leaves it out of the command (the command is routed to
/// `system` anyway); before anything else the statement is general Cypher.
fn use_clause(after: &str) -> PResult<'_, Statement> {
    let (rest, _) = names::name_or_param(after, token::Class::DatabaseName)?;
    match statement(rest)? {
        (_, Statement::Cypher) => Ok(("", Statement::Cypher)),
        admin => Ok(admin),
    }
}

fn word_is(input: &str, w: &str) -> bool {
    peek_word(input).eq_ignore_ascii_case(w)
}

fn create(input: &str) -> PResult<'_, Statement> {
    let (r, or_replace) = clauses::or_replace(input)?;
    if let (r2, true) = opt_kw(r, "COMPOSITE")? {
        return database::create_composite(keyword(r2, "DATABASE")?.0, or_replace);
    }
    if let (r2, true) = opt_kw(r, "DATABASE")? {
        return database::create_database(r2, or_replace);
    }
    if let (r2, true) = opt_kw(r, "ALIAS")? {
        return alias::create_alias(r2, or_replace);
    }
    if let (r2, true) = opt_kw(r, "USER")? {
        return security::create_user(r2, or_replace);
    }
    if let (r2, true) = opt_kw(r, "ROLE")? {
        return security::create_role(r2, or_replace);
    }
    // CREATE (n), CREATE p = ..., CREATE INDEX ...: general Cypher.
    if !or_replace && is_cypher_after(input) {
        return Ok(("", Statement::Cypher));
    }
    fail(ws(r))
}

fn alter(input: &str) -> PResult<'_, Statement> {
    if let (r, true) = opt_kw(input, "DATABASE")? {
        return database::alter_database(r);
    }
    if let (r, true) = opt_kw(input, "SERVER")? {
        return server::alter_server(r);
    }
    if let (r, true) = opt_kw(input, "ALIAS")? {
        return alias::alter_alias(r);
    }
    if let (r, true) = opt_kw(input, "CURRENT")? {
        return security::alter_current_user(keyword(r, "USER")?.0);
    }
    let (r, _) = keyword(input, "USER")?;
    security::alter_user(r)
}

/// `None` for a DROP outside the admin dialect (DROP INDEX, DROP CONSTRAINT).
fn drop(input: &str) -> Result<Option<(&str, Statement)>, nom::Err<token::PErr>> {
    let parsed = if let (r, true) = opt_kw(input, "COMPOSITE")? {
        database::drop_database(keyword(r, "DATABASE")?.0, true)?
    } else if let (r, true) = opt_kw(input, "DATABASE")? {
        database::drop_database(r, false)?
    } else if let (r, true) = opt_kw(input, "SERVER")? {
        server::drop_server(r)?
    } else if let (r, true) = opt_kw(input, "ALIAS")? {
        alias::drop_alias(r)?
    } else if let (r, true) = opt_kw(input, "USER")? {
        security::drop_named(r, true)?
    } else if let (r, true) = opt_kw(input, "ROLE")? {
        security::drop_named(r, false)?
    } else if is_cypher_after(input) {
        return Ok(None);
    } else {
        return fail(ws(input)).map(|(r, s)| Some((r, s)));
    };
    Ok(Some(parsed))
}

fn rename(input: &str) -> PResult<'_, Statement> {
    if let (r, true) = opt_kw(input, "SERVER")? {
        return server::rename_server(r);
    }
    if let (r, true) = opt_kw(input, "USER")? {
        return security::rename(r, true);
    }
    let (r, _) = keyword(input, "ROLE")?;
    security::rename(r, false)
}

fn access_control<'a>(word: &str, after: &'a str) -> PResult<'a, Statement> {
    let verb = if word.eq_ignore_ascii_case("GRANT") {
        PrivilegeVerb::Grant
    } else if word.eq_ignore_ascii_case("DENY") {
        PrivilegeVerb::Deny
    } else {
        PrivilegeVerb::Revoke
    };
    let (after, verb) = if verb == PrivilegeVerb::Revoke {
        match kw_either(after, "GRANT", "DENY") {
            Ok((r, w)) if w.eq_ignore_ascii_case("GRANT") => (r, PrivilegeVerb::RevokeGrant),
            Ok((r, _)) => (r, PrivilegeVerb::RevokeDeny),
            Err(_) => (after, verb),
        }
    } else {
        (after, verb)
    };
    if matches!(verb, PrivilegeVerb::Grant | PrivilegeVerb::Revoke)
        && security::is_role_membership(after)
    {
        return security::role_membership(after, verb == PrivilegeVerb::Grant);
    }
    security::privilege(after, verb)
}

/// The outcome of one parse pass.
type Outcome<T> = Result<T, Option<(String, usize)>>;

/// Runs `p` over `text` as a whole (trailing whitespace and comments allowed); on a
/// syntax failure runs it again recording expectations, and builds Neo4j's message.
fn run<T>(text: &str, p: impl Fn(&str) -> PResult<'_, T>) -> Result<T, Neo4jError> {
    let first: Outcome<T> = with_input(text, false, || attempt(text, &p)).0;
    let failure = match first {
        Ok(v) => return Ok(v),
        Err(f) => f,
    };
    let (message, at) = match failure {
        Some(semantic) => semantic,
        None => {
            let (_, furthest, expected) = with_input(text, true, || attempt(text, &p));
            syntax_message(text, furthest, &expected)
        }
    };
    Err(Neo4jError::syntax(message, Position::of_byte(text, at)))
}

fn attempt<T>(text: &str, p: &impl Fn(&str) -> PResult<'_, T>) -> Outcome<T> {
    match p(text) {
        Ok((rest, v)) if ws(rest).is_empty() => Ok(v),
        Ok((rest, _)) => {
            // The parser stopped early without failing: record that the end was expected.
            let _ = end(rest);
            Err(None)
        }
        Err(nom::Err::Failure(e)) | Err(nom::Err::Error(e)) => match e.semantic {
            Some(m) => Err(Some((*m, text.len().saturating_sub(e.rest)))),
            None => Err(None),
        },
        Err(nom::Err::Incomplete(_)) => Err(None),
    }
}

/// `Invalid input 'TOKEN': expected "A", "B" or C` for the furthest failure.
fn syntax_message(text: &str, at: usize, expected: &[Expected]) -> (String, usize) {
    let rest = text.get(at..).unwrap_or("");
    if rest.starts_with("/*") {
        return (COMMENT_MESSAGE.to_string(), at);
    }
    let token = token_at(rest);
    // Neo4j's (JavaCC) order: quoted tokens sorted by their text, then token classes,
    // then <EOF>: `expected ".", "FOR" or "IF"`, `expected "{" or a parameter`.
    let mut quoted: Vec<&str> = Vec::new();
    let mut classes: Vec<&str> = Vec::new();
    let mut eof = false;
    for e in expected {
        match e {
            Expected::Keyword(k) | Expected::Symbol(k) => quoted.push(k),
            Expected::Class(token::Class::End) => eof = true,
            Expected::Class(c) => classes.push(c.describe()),
        }
    }
    quoted.sort_unstable();
    quoted.dedup();
    classes.sort_unstable();
    classes.dedup();
    let mut items: Vec<String> = quoted.iter().map(|k| format!("\"{k}\"")).collect();
    items.extend(classes.iter().map(|c| c.to_string()));
    if eof {
        items.push("<EOF>".to_string());
    }
    let list = match items.split_last() {
        None => String::new(),
        Some((last, [])) => format!(": expected {last}"),
        Some((last, init)) => format!(": expected {} or {last}", init.join(", ")),
    };
    (format!("Invalid input '{token}'{list}"), at)
}

/// Parses one statement (no trailing `;`). General Cypher passes lexical checks and comes
/// back as `Statement::Cypher`.
pub fn parse_statement(text: &str) -> Result<Statement, Neo4jError> {
    let stmt = run(text, statement)?;
    if stmt == Statement::Cypher
        && let Err((message, at)) = cypher::lexical_check(text)
    {
        return Err(Neo4jError::syntax(message, Position::of_byte(text, at)));
    }
    Ok(stmt)
}

/// Parses one expression (a `:param` value, a `-P` map).
pub fn parse_expression(text: &str) -> Result<Expr, Neo4jError> {
    run(text, |i| expr::expression(i, 0))
}

/// Parses a map literal `{k: v, ...}` and returns its entries.
pub fn parse_map(text: &str) -> Result<Vec<(String, Expr)>, Neo4jError> {
    run(text, |i| expr::map_literal(i, 0))
}

/// The furthest byte offset the statement parser reaches in `input` and what it expected
/// there. When `input` is a valid prefix, the offset is the end of input (after
/// whitespace) and the set is what may come next.
pub fn expected_at(input: &str) -> (usize, Vec<Expected>) {
    let (_, furthest, expected) = with_input(input, true, || {
        let _ = attempt(input, &statement);
    });
    (furthest, expected)
}

#[cfg(test)]
mod tests {
    use super::parse_statement as parse;
    use crate::dialect::ast::*;
    use crate::value::Value;

    fn name(n: &NameOrParam) -> String {
        super::clauses::display(n)
    }

    #[test]
    fn create_database_fills_every_clause() {
        let Ok(Statement::CreateDatabase(c)) = parse(
            "create or replace database `foo-1` default language cypher 25 \
             topology 2 secondaries $p primaries options {existingData: 'use'} wait 7 sec",
        ) else {
            panic!("not a CREATE DATABASE");
        };
        assert_eq!(name(&c.name), "foo-1");
        assert!(c.or_replace && !c.if_not_exists);
        assert_eq!(c.default_language, Some(CypherVersion::Cypher25));
        let t = c.topology.unwrap();
        assert_eq!(t.secondaries, Some(IntOrParam::Literal(2)));
        assert!(
            matches!(t.primaries, Some(IntOrParam::Param(ref p)) if p.name == "p" && p.offset == 85)
        );
        assert_eq!(
            c.options,
            Some(MapOrParam::Literal(vec![(
                "existingData".into(),
                Expr::Literal(Value::str("use"))
            )]))
        );
        assert_eq!(c.wait, Wait::Wait(7));
    }

    #[test]
    fn wait_without_a_number_is_the_default_timeout() {
        let Ok(Statement::StopDatabase(s)) = parse("STOP DATABASE foo WAIT") else {
            panic!()
        };
        assert_eq!(s.wait, Wait::Wait(DEFAULT_WAIT_SECONDS));
    }

    #[test]
    fn dotted_and_quoted_names_keep_their_parts() {
        let Ok(Statement::DropDatabase(d)) =
            parse("DROP DATABASE garden.flowers CASCADE ALIASES DUMP DATA")
        else {
            panic!()
        };
        let NameOrParam::Name(n) = &d.name else {
            panic!()
        };
        assert_eq!(n.parts, ["garden", "flowers"]);
        assert!(d.cascade_aliases && d.data == DropData::Dump);
        let Ok(Statement::StartDatabase(s)) = parse("START DATABASE `garden.flowers`") else {
            panic!()
        };
        let NameOrParam::Name(n) = &s.name else {
            panic!()
        };
        assert_eq!(n.parts, ["garden.flowers"]);
    }

    #[test]
    fn alter_database_keeps_alterations_in_order() {
        let Ok(Statement::AlterDatabase(a)) = parse(
            "ALTER DATABASE foo IF EXISTS SET OPTION txLogEnrichment 'FULL' SET ACCESS READ ONLY NOWAIT",
        ) else {
            panic!()
        };
        assert!(a.if_exists);
        assert_eq!(
            a.alterations,
            [
                DatabaseAlteration::SetOption(
                    "txLogEnrichment".into(),
                    Expr::Literal(Value::str("FULL"))
                ),
                DatabaseAlteration::Access(Access::ReadOnly),
            ]
        );
    }

    #[test]
    fn servers_and_deallocation() {
        let Ok(Statement::DeallocateDatabases(d)) =
            parse("DRYRUN DEALLOCATE DATABASES FROM SERVERS 'a', $b")
        else {
            panic!()
        };
        assert!(d.dry_run);
        assert_eq!(d.servers.len(), 2);
        assert_eq!(d.servers[0], StringOrParam::Literal("a".into()));
        let Ok(Statement::RenameServer(r)) = parse("RENAME SERVER \"x\" TO 'y'") else {
            panic!()
        };
        assert_eq!(r.new_name, StringOrParam::Literal("y".into()));
    }

    #[test]
    fn remote_alias_and_privileges() {
        let Ok(Statement::CreateAlias(c)) = parse(
            "CREATE ALIAS remote FOR DATABASE foo AT 'neo4j+s://h' USER bob PASSWORD 'pw' DRIVER {ssl_enforced: true}",
        ) else {
            panic!()
        };
        let r = c.remote.unwrap();
        assert_eq!(r.url, StringOrParam::Literal("neo4j+s://h".into()));
        assert!(r.driver.is_some());
        let Ok(Statement::Privilege(p)) =
            parse("REVOKE DENY IMMUTABLE START ON DATABASES a, b FROM ops")
        else {
            panic!()
        };
        assert_eq!(p.verb, PrivilegeVerb::RevokeDeny);
        assert!(p.immutable);
        assert_eq!(p.action.name(), "START");
        assert!(matches!(p.scope, PrivilegeScope::Databases(ref v) if v.len() == 2));
    }

    #[test]
    fn show_with_yield_where_and_return() {
        let Ok(Statement::Show(s)) = parse(
            "SHOW DATABASES YIELD name AS n, role ORDER BY n DESC SKIP 1 LIMIT 2 WHERE role = 'primary' \
             RETURN n, count(*) AS c",
        ) else {
            panic!()
        };
        let y = s.yield_.unwrap();
        let items = y.items.unwrap();
        assert_eq!(items[0].alias.as_deref(), Some("n"));
        assert_eq!(y.tail.order_by.len(), 1);
        assert!(y.tail.order_by[0].descending);
        assert!(y.where_.is_some());
        let r = s.return_.unwrap();
        let items = r.items.unwrap();
        assert_eq!(items[1].expr, Expr::CountStar);
        assert_eq!(items[1].text, "count(*)");
    }

    #[test]
    fn call_arguments_and_implicit_arguments() {
        let Ok(Statement::Call(c)) = parse("CALL dbms.showTopologyGraphConfig") else {
            panic!()
        };
        assert_eq!(c.procedure, "dbms.showTopologyGraphConfig");
        assert_eq!(c.args, None);
        let Ok(Statement::Call(c)) = parse("CALL sim.addServer({tags: ['eu'], serverId: $id})")
        else {
            panic!()
        };
        assert_eq!(c.args.map(|a| a.len()), Some(1));
    }
}
