//! SHOW commands — databases, servers, aliases, users, roles, privileges, procedures,
//! functions, and the general-Cypher ones (indexes, constraints, transactions, settings)
//! — with their YIELD / WHERE / ORDER BY / SKIP / LIMIT / RETURN tail, and TERMINATE
//! TRANSACTIONS.
//!
//! It owns these commands' grammar. It must not know the columns each command yields
//! (the cluster does), so "Variable not defined" is not judged here.

use super::database::checked_name;
use super::expected::{self, Hint, Item};
use super::expr::expression;
use super::names::{at_name, command_names, string_literal, symbolic_name, variable};
use super::parser::{Frame, PResult, Parser};
use super::query::command_return_body;
use crate::dialect::ast::expr::{Expr, ExprKind};
use crate::dialect::ast::*;
use crate::dialect::lexer::{Kw, Tok};
use crate::value::Value;

/// Neo4j refuses subquery expressions in a SHOW command's WHERE, YIELD and RETURN.
fn check_no_subqueries(p: &mut Parser<'_>, tail: &Tail) {
    use crate::dialect::ast::visit::{Visitor, walk_expr};
    struct Finder(Option<(usize, &'static str)>);
    impl Visitor for Finder {
        fn visit_expr(&mut self, e: &Expr) {
            let what = match e.kind {
                ExprKind::Exists(_) => Some("EXISTS"),
                ExprKind::Count(_) => Some("COUNT"),
                ExprKind::Collect(_) => Some("COLLECT"),
                _ => None,
            };
            match what {
                Some(w) if self.0.is_none() => self.0 = Some((e.span.start as usize, w)),
                _ => walk_expr(self, e),
            }
        }
    }
    let mut f = Finder(None);
    if let Some(w) = &tail.where_ {
        f.visit_expr(w);
    }
    if let Some(y) = &tail.yield_ {
        y.tail.order_by.iter().for_each(|s| f.visit_expr(&s.expr));
        y.where_.iter().for_each(|e| f.visit_expr(e));
    }
    if let Some(r) = &tail.return_ {
        r.items.iter().flatten().for_each(|i| f.visit_expr(&i.expr));
        r.tail.order_by.iter().for_each(|s| f.visit_expr(&s.expr));
    }
    if let Some((at, what)) = f.0 {
        p.semantic_error(
            at,
            format!("The {what} expression is not valid on SHOW commands."),
        );
    }
}

fn show_statement(kind: ShowKind, tail: Tail) -> Statement {
    Statement::Show(Box::new(Show {
        kind,
        yield_: tail.yield_.map(|y| *y),
        where_: tail.where_,
        return_: tail.return_.map(|r| *r),
    }))
}

/// The YIELD / WHERE / RETURN of a SHOW command. YIELD and RETURN are boxed while the
/// tail is passed up through the rules (most commands have neither, and inline they made
/// every tail ~440 bytes to copy at each step); `show_statement` unboxes them.
#[derive(Default)]
struct Tail {
    yield_: Option<Box<Yield>>,
    where_: Option<Expr>,
    return_: Option<Box<Return>>,
}

/// `showCommandYield?`: `YIELD ... [RETURN ...]` or `WHERE pred`, or nothing.
fn tail(p: &mut Parser<'_>) -> PResult<Tail> {
    let t = tail_inner(p)?;
    check_no_subqueries(p, &t);
    Ok(t)
}

fn tail_inner(p: &mut Parser<'_>) -> PResult<Tail> {
    if p.peek() == Tok::Kw(Kw::Yield) {
        let y = Box::new(yield_clause(p)?);
        let r = if p.eat_kw(Kw::Return) {
            Some(Box::new(return_clause(p)?))
        } else {
            None
        };
        return Ok(Tail {
            yield_: Some(y),
            where_: None,
            return_: r,
        });
    }
    p.record(Item::kw(Kw::Yield));
    if p.eat_kw(Kw::Where) {
        let e = expression(p)?;
        return Ok(Tail {
            where_: Some(e),
            ..Tail::default()
        });
    }
    Ok(Tail::default())
}

/// `YIELD * | var [AS alias], ... [ORDER BY ...] [SKIP n] [LIMIT n] [WHERE pred]`.
fn yield_clause(p: &mut Parser<'_>) -> PResult<Yield> {
    p.rule(Frame::Plain, |p| {
        p.expect_kw(Kw::Yield)?;
        let items = if p.eat(Tok::Times) {
            None
        } else if !at_name(p) {
            // `*` or a column: reported as the choice ("a variable name or '*'").
            p.record(Item::hint(Hint::Column));
            p.record(Item::rule(expected::Rule::Variable));
            return p.fail();
        } else {
            let mut items = vec![yield_item(p)?];
            while p.eat(Tok::Comma) {
                items.push(yield_item(p)?);
            }
            Some(items)
        };
        let mut tail = OrderSkipLimit::default();
        if p.eat_seq(expected::ORDER_BY)? {
            tail.order_by = order_items(p)?;
        }
        if p.eat_kw(Kw::Skip) || p.eat_kw(Kw::Offset) {
            tail.skip = Some(signed_integer(p)?);
        }
        if p.eat_kw(Kw::Limit) {
            tail.limit = Some(signed_integer(p)?);
        }
        let where_ = if p.eat_kw(Kw::Where) {
            Some(expression(p)?)
        } else {
            None
        };
        Ok(Yield {
            items,
            tail,
            where_,
        })
    })
}

fn yield_item(p: &mut Parser<'_>) -> PResult<ProjectionItem> {
    let start = p.pos();
    p.record(Item::hint(Hint::Column));
    let v = variable(p)?;
    let expr = Expr::new(ExprKind::Variable(v.name.clone()), v.span);
    let alias = if p.eat_kw(Kw::As) {
        Some(variable(p)?.name)
    } else {
        None
    };
    Ok(ProjectionItem {
        expr,
        alias,
        text: p.tokens_text_between(start, start + 1),
    })
}

/// `-? integer` of a SHOW command's SKIP and LIMIT.
fn signed_integer(p: &mut Parser<'_>) -> PResult<Expr> {
    let start = p.pos();
    let negative = p.eat(Tok::Minus);
    let t = p.expect(Tok::Int)?;
    let value = match super::literals::integer(p.text(t), Tok::Int, negative) {
        Ok(n) if n < 0 => {
            let span = p.span_from(start);
            let shown: String = span.text(p.src).split_whitespace().collect();
            p.semantic_error(
                span.start as usize,
                format!(
                    "Invalid input. '{shown}' is not a valid value. Must be a non-negative \
                     integer."
                ),
            );
            Value::Int(n)
        }
        Ok(n) => Value::Int(n),
        Err(m) => {
            p.semantic_error(t.start as usize, m.to_string());
            Value::Null
        }
    };
    Ok(Expr::new(ExprKind::Literal(value), p.span_from(start)))
}

fn order_items(p: &mut Parser<'_>) -> PResult<Vec<SortItem>> {
    let mut out = Vec::new();
    loop {
        let expr = expression(p)?;
        let descending = if p.eat_kw(Kw::Desc) || p.eat_kw(Kw::Descending) {
            true
        } else {
            let _ = p.eat_kw(Kw::Asc) || p.eat_kw(Kw::Ascending);
            false
        };
        out.push(SortItem { expr, descending });
        if !p.eat(Tok::Comma) {
            return Ok(out);
        }
    }
}

/// `RETURN ...` after a SHOW's YIELD (the RETURN is taken).
fn return_clause(p: &mut Parser<'_>) -> PResult<Return> {
    let body = command_return_body(p)?;
    Ok(show_return(p.src, body))
}

/// A RETURN body in the shape the SHOW / CALL pipeline runs: items named by their text.
pub fn show_return(src: &str, body: crate::dialect::ast::query::Projection) -> Return {
    let items = if body.star && body.items.is_empty() {
        None
    } else {
        Some(
            body.items
                .into_iter()
                .map(|i| {
                    let text = i.expr.span.text(src).to_string();
                    ProjectionItem {
                        expr: i.expr,
                        alias: i.alias.map(|a| a.name),
                        text,
                    }
                })
                .collect(),
        )
    };
    Return {
        distinct: body.distinct,
        items,
        tail: OrderSkipLimit {
            order_by: body.paging.order_by,
            skip: body.paging.skip,
            limit: body.paging.limit,
        },
    }
}

fn privilege_token(p: &mut Parser<'_>) -> PResult<()> {
    // Its own rule in Neo4j's grammar: a missing one is reported alone.
    p.rule(Frame::Plain, |p| {
        if p.eat_kw(Kw::Privilege) || p.eat_kw(Kw::Privileges) {
            Ok(())
        } else {
            p.fail()
        }
    })
}

/// `[AS [REVOKE] COMMAND[S]]`.
fn as_commands(p: &mut Parser<'_>) -> PResult<Option<bool>> {
    if !p.eat_kw(Kw::As) {
        return Ok(None);
    }
    let revoke = p.eat_kw(Kw::Revoke);
    if !(p.eat_kw(Kw::Command) || p.eat_kw(Kw::Commands)) {
        return p.fail();
    }
    Ok(Some(revoke))
}

/// `f`, which must then have reached the end of the statement: one reading of a token
/// that is both a keyword and a name holds only if the rest of the statement parses.
fn to_end<T>(p: &mut Parser<'_>, f: impl FnOnce(&mut Parser<'_>) -> PResult<T>) -> PResult<T> {
    let v = f(p)?;
    if p.at(Tok::Eof) { Ok(v) } else { p.fail() }
}

/// After SHOW.
pub fn show(p: &mut Parser<'_>) -> PResult<Statement> {
    let Tok::Kw(k) = p.peek() else {
        record_show_start(p);
        return p.fail();
    };
    match k {
        Kw::Database | Kw::Databases => {
            p.bump();
            let named_tail = |p: &mut Parser<'_>| {
                let name = checked_name(p, 2)?;
                let t = tail(p)?;
                Ok((Some(name), t))
            };
            let (name, t) = if matches!(p.peek(), Tok::Kw(Kw::Yield | Kw::Where)) {
                // YIELD and WHERE are also names: Neo4j reads to the end to choose, and
                // prefers the name when both readings hold.
                p.either(
                    |p| to_end(p, named_tail),
                    |p| to_end(p, |p| Ok((None, tail(p)?))),
                )?
            } else if matches!(
                p.peek(),
                Tok::Ident | Tok::Escaped | Tok::Kw(_) | Tok::Dollar
            ) {
                named_tail(p)?
            } else {
                p.record(Item::rule(expected::Rule::DatabaseName));
                p.record(Item::rule(expected::Rule::Parameter));
                (None, tail(p)?)
            };
            Ok(show_statement(ShowKind::Databases(name), t))
        }
        Kw::Default | Kw::Home => {
            p.bump();
            p.expect_kw(Kw::Database)?;
            let t = tail(p)?;
            let kind = if k == Kw::Default {
                ShowKind::DefaultDatabase
            } else {
                ShowKind::HomeDatabase
            };
            Ok(show_statement(kind, t))
        }
        Kw::Server | Kw::Servers => {
            p.bump();
            let t = tail(p)?;
            Ok(show_statement(ShowKind::Servers, t))
        }
        Kw::Alias | Kw::Aliases => {
            p.bump();
            let for_databases = |p: &mut Parser<'_>| {
                p.expect_kw(Kw::For)?;
                if !(p.eat_kw(Kw::Database) || p.eat_kw(Kw::Databases)) {
                    return p.fail();
                }
                tail(p)
            };
            let named = |p: &mut Parser<'_>| {
                let name = checked_name(p, 2)?;
                Ok((Some(name), for_databases(p)?))
            };
            // FOR is also a name (`SHOW ALIASES FOR FOR DATABASES`): read on to choose.
            let (name, t) = if p.peek() == Tok::Kw(Kw::For) {
                p.either(
                    |p| to_end(p, named),
                    |p| to_end(p, |p| Ok((None, for_databases(p)?))),
                )?
            } else {
                p.record(Item::kw(Kw::For));
                named(p)?
            };
            Ok(show_statement(ShowKind::Aliases(name), t))
        }
        Kw::Current => {
            p.expect_seq(expected::CURRENT_USER)?;
            let t = tail(p)?;
            Ok(show_statement(ShowKind::CurrentUser, t))
        }
        Kw::User | Kw::Users => {
            // USER DEFINED FUNCTIONS, or the privileges of a user named DEFINED.
            if k == Kw::User && p.nth(1) == Tok::Kw(Kw::Defined) {
                return p.either(|p| to_end(p, functions), |p| to_end(p, user_privileges));
            }
            p.either(user_privileges, users)
        }
        Kw::Role | Kw::Roles => p.either(role_privileges, |p| roles(p, false)),
        Kw::Populated => roles(p, true),
        Kw::All => match p.nth(1) {
            Tok::Kw(Kw::Role | Kw::Roles) => roles(p, false),
            Tok::Kw(Kw::Function | Kw::Functions) => functions(p),
            Tok::Kw(Kw::Index | Kw::Indexes) => indexes(p),
            Tok::Kw(Kw::Constraint | Kw::Constraints) => constraints(p),
            Tok::Kw(Kw::Privilege | Kw::Privileges) => privileges(p),
            _ => {
                p.bump();
                for k in [
                    Kw::Constraint,
                    Kw::Constraints,
                    Kw::Function,
                    Kw::Functions,
                    Kw::Index,
                    Kw::Indexes,
                    Kw::Privilege,
                    Kw::Privileges,
                    Kw::Role,
                    Kw::Roles,
                ] {
                    p.record(Item::kw(k));
                }
                p.fail()
            }
        },
        Kw::Privilege | Kw::Privileges => privileges(p),
        Kw::Supported => {
            p.bump();
            if privilege_token(p).is_err() {
                return p.fail();
            }
            let t = tail(p)?;
            Ok(show_statement(ShowKind::SupportedPrivileges, t))
        }
        Kw::Procedure | Kw::Procedures => {
            p.bump();
            executable_by(p)?;
            let t = tail(p)?;
            Ok(show_statement(ShowKind::Procedures, t))
        }
        Kw::Function | Kw::Functions | Kw::Built => functions(p),
        Kw::Setting | Kw::Settings => {
            p.bump();
            let t = names_and_clauses(p)?;
            Ok(show_statement(ShowKind::Settings, t))
        }
        Kw::Transaction | Kw::Transactions => show_transactions(p),
        Kw::Index | Kw::Indexes => indexes(p),
        // Cypher 25 removed BTREE indexes.
        Kw::Btree if !p.cypher25 => indexes(p),
        Kw::Fulltext | Kw::Lookup | Kw::Point | Kw::Range | Kw::Text | Kw::Vector => indexes(p),
        Kw::Constraint
        | Kw::Constraints
        | Kw::Node
        | Kw::Relationship
        | Kw::Rel
        | Kw::Key
        | Kw::Unique
        | Kw::Uniqueness
        | Kw::Exist
        | Kw::Existence
        | Kw::Exists
        | Kw::Property => constraints(p),
        _ => {
            record_show_start(p);
            p.fail()
        }
    }
}

fn record_show_start(p: &mut Parser<'_>) {
    if p.cypher25 {
        record_show_start_25(p);
        return;
    }
    for k in [
        Kw::Alias,
        Kw::Aliases,
        Kw::All,
        Kw::Btree,
        Kw::Constraint,
        Kw::Constraints,
        Kw::Database,
        Kw::Databases,
        Kw::Exist,
        Kw::Existence,
        Kw::Exists,
        Kw::Fulltext,
        Kw::Function,
        Kw::Functions,
        Kw::Index,
        Kw::Indexes,
        Kw::Key,
        Kw::Lookup,
        Kw::Node,
        Kw::Point,
        Kw::Populated,
        Kw::Privilege,
        Kw::Privileges,
        Kw::Procedure,
        Kw::Procedures,
        Kw::Property,
        Kw::Range,
        Kw::Rel,
        Kw::Relationship,
        Kw::Role,
        Kw::Roles,
        Kw::Server,
        Kw::Servers,
        Kw::Setting,
        Kw::Settings,
        Kw::Supported,
        Kw::Text,
        Kw::Transaction,
        Kw::Transactions,
        Kw::Unique,
        Kw::Uniqueness,
        Kw::User,
        Kw::Users,
        Kw::Vector,
    ] {
        p.record(Item::kw(k));
    }
    p.record(expected::BUILT_IN);
    p.record(expected::CURRENT_USER);
    p.record(expected::DEFAULT_DATABASE);
    p.record(expected::HOME_DATABASE);
}

/// Cypher 25's list after SHOW: no BTREE or EXISTS (removed), `CURRENT` alone (it also
/// starts `CURRENT GRAPH TYPE`), and `AUTH` (of `AUTH RULES`, not parsed yet).
fn record_show_start_25(p: &mut Parser<'_>) {
    for k in [
        Kw::Alias,
        Kw::Aliases,
        Kw::All,
        Kw::Auth,
        Kw::Constraint,
        Kw::Constraints,
        Kw::Current,
        Kw::Database,
        Kw::Databases,
        Kw::Exist,
        Kw::Existence,
        Kw::Fulltext,
        Kw::Function,
        Kw::Functions,
        Kw::Index,
        Kw::Indexes,
        Kw::Key,
        Kw::Lookup,
        Kw::Node,
        Kw::Point,
        Kw::Populated,
        Kw::Privilege,
        Kw::Privileges,
        Kw::Procedure,
        Kw::Procedures,
        Kw::Property,
        Kw::Range,
        Kw::Rel,
        Kw::Relationship,
        Kw::Role,
        Kw::Roles,
        Kw::Server,
        Kw::Servers,
        Kw::Setting,
        Kw::Settings,
        Kw::Supported,
        Kw::Text,
        Kw::Transaction,
        Kw::Transactions,
        Kw::Unique,
        Kw::Uniqueness,
        Kw::User,
        Kw::Users,
        Kw::Vector,
    ] {
        p.record(Item::kw(k));
    }
    p.record(expected::BUILT_IN);
    p.record(expected::DEFAULT_DATABASE);
    p.record(expected::HOME_DATABASE);
}

/// `USER[S] [WITH AUTH] [tail]`.
fn users(p: &mut Parser<'_>) -> PResult<Statement> {
    p.bump();
    p.eat_seq(expected::WITH_AUTH)?;
    let t = tail(p)?;
    Ok(show_statement(ShowKind::Users, t))
}

/// `USER[S] [names] PRIVILEGE[S] [AS [REVOKE] COMMANDS] [tail]`.
fn user_privileges(p: &mut Parser<'_>) -> PResult<Statement> {
    if p.bump().kind == Tok::Kw(Kw::User) {
        p.record(Item::kw(Kw::Defined));
    }
    let rest = |p: &mut Parser<'_>, names| {
        privilege_token(p)?;
        let as_commands = as_commands(p)?;
        let t = tail(p)?;
        Ok(show_statement(
            ShowKind::Privileges {
                scope: PrivilegeListScope::Users(names),
                as_commands,
            },
            t,
        ))
    };
    let named = |p: &mut Parser<'_>| {
        let names = command_names(p, Hint::User)?;
        rest(p, names)
    };
    if matches!(p.peek(), Tok::Kw(Kw::Privilege | Kw::Privileges)) {
        // PRIVILEGES is also a user name: Neo4j reads to the end to choose.
        return p.either(|p| to_end(p, named), |p| to_end(p, |p| rest(p, Vec::new())));
    }
    p.record(Item::kw(Kw::Privilege));
    p.record(Item::kw(Kw::Privileges));
    named(p)
}

/// `[ALL|POPULATED] ROLE[S] [WITH USER[S]] [tail]`.
fn roles(p: &mut Parser<'_>, populated_first: bool) -> PResult<Statement> {
    let populated = if populated_first {
        p.bump();
        true
    } else {
        p.eat_kw(Kw::All);
        false
    };
    if !(p.eat_kw(Kw::Role) || p.eat_kw(Kw::Roles)) {
        return p.fail();
    }
    let with_users = if p.eat_kw(Kw::With) {
        if !(p.eat_kw(Kw::User) || p.eat_kw(Kw::Users)) {
            return p.fail();
        }
        true
    } else {
        false
    };
    let t = tail(p)?;
    Ok(show_statement(
        ShowKind::Roles {
            populated,
            with_users,
        },
        t,
    ))
}

/// `ROLE[S] names PRIVILEGE[S] [AS [REVOKE] COMMANDS] [tail]`.
fn role_privileges(p: &mut Parser<'_>) -> PResult<Statement> {
    p.bump();
    let names = command_names(p, Hint::Role)?;
    privilege_token(p)?;
    let as_commands = as_commands(p)?;
    let t = tail(p)?;
    Ok(show_statement(
        ShowKind::Privileges {
            scope: PrivilegeListScope::Roles(names),
            as_commands,
        },
        t,
    ))
}

/// `[ALL] PRIVILEGE[S] [AS [REVOKE] COMMANDS] [tail]`.
fn privileges(p: &mut Parser<'_>) -> PResult<Statement> {
    p.eat_kw(Kw::All);
    privilege_token(p)?;
    let as_commands = as_commands(p)?;
    let t = tail(p)?;
    Ok(show_statement(
        ShowKind::Privileges {
            scope: PrivilegeListScope::All,
            as_commands,
        },
        t,
    ))
}

/// `[EXECUTABLE [BY CURRENT USER | BY name]]`.
fn executable_by(p: &mut Parser<'_>) -> PResult<()> {
    // CURRENT is also a user name: CURRENT USER only when USER follows.
    let current_user = |p: &mut Parser<'_>| {
        p.nth(1) == Tok::Kw(Kw::User) && p.eat_seq(expected::CURRENT_USER).is_ok_and(|b| b)
    };
    if p.eat_kw(Kw::Executable) && p.eat_kw(Kw::By) && !current_user(p) {
        p.record(expected::CURRENT_USER);
        if !super::names::at_name(p) {
            p.record(Item::rule(expected::Rule::Identifier));
            return p.fail();
        }
        symbolic_name(p)?;
    }
    Ok(())
}

/// `[ALL | BUILT IN | USER DEFINED] FUNCTION[S] [EXECUTABLE ...] [tail]`.
fn functions(p: &mut Parser<'_>) -> PResult<Statement> {
    if !p.eat_kw(Kw::All) && !p.eat_seq(expected::BUILT_IN)? {
        p.eat_seq(expected::USER_DEFINED)?;
    }
    if !(p.eat_kw(Kw::Function) || p.eat_kw(Kw::Functions)) {
        return p.fail();
    }
    executable_by(p)?;
    let t = tail(p)?;
    Ok(show_statement(ShowKind::Functions, t))
}

/// `[kind] INDEX[ES] [BRIEF|VERBOSE [OUTPUT]] [tail]`.
fn indexes(p: &mut Parser<'_>) -> PResult<Statement> {
    let brief_allowed = !matches!(
        p.peek(),
        Tok::Kw(Kw::Fulltext | Kw::Lookup | Kw::Point | Kw::Range | Kw::Text | Kw::Vector)
    );
    if !matches!(p.peek(), Tok::Kw(Kw::Index | Kw::Indexes)) {
        if p.peek() == Tok::Kw(Kw::Btree) {
            // Cypher 5 still parses the filter, then refuses it.
            p.semantic_error(
                p.offset(),
                "Invalid index type b-tree, please omit the `BTREE` filter.",
            );
        }
        p.bump();
    }
    if !(p.eat_kw(Kw::Index) || p.eat_kw(Kw::Indexes)) {
        return p.fail();
    }
    if brief_allowed {
        brief_or_verbose(p, "SHOW INDEXES")?;
    }
    let t = tail(p)?;
    Ok(show_statement(ShowKind::Indexes, t))
}

/// `BRIEF`/`VERBOSE [OUTPUT]`: parsed, then refused as Neo4j 5 does.
fn brief_or_verbose(p: &mut Parser<'_>, command: &str) -> PResult<()> {
    // `at_kw` records both words when neither is there: Neo4j lists them as expected.
    if p.at_kw(Kw::Brief) || p.at_kw(Kw::Verbose) {
        let at = p.offset();
        p.bump();
        p.eat_kw(Kw::Output);
        p.semantic_error(
            at,
            format!(
                "`{command}` no longer allows the `BRIEF` and `VERBOSE` keywords,\nplease omit \
                 `BRIEF` and use `YIELD *` instead of `VERBOSE`."
            ),
        );
    }
    Ok(())
}

/// The SHOW CONSTRAINTS forms: `[ALL|UNIQUE|EXIST|NODE KEY|...] CONSTRAINT[S] [tail]`.
fn constraints(p: &mut Parser<'_>) -> PResult<Statement> {
    let mut old_exists = None;
    let mut brief_allowed = true;
    loop {
        match p.peek() {
            Tok::Kw(Kw::Constraint | Kw::Constraints) => break,
            Tok::Kw(Kw::Exists) => {
                old_exists = Some(p.offset());
                p.bump();
            }
            Tok::Kw(
                Kw::All
                | Kw::Node
                | Kw::Relationship
                | Kw::Rel
                | Kw::Key
                | Kw::Unique
                | Kw::Uniqueness
                | Kw::Exist
                | Kw::Existence
                | Kw::Property
                | Kw::Type,
            ) => {
                if matches!(
                    p.peek(),
                    Tok::Kw(Kw::Uniqueness | Kw::Existence | Kw::Property | Kw::Rel | Kw::Key)
                ) {
                    brief_allowed = false;
                }
                p.bump();
            }
            _ => {
                p.record(Item::kw(Kw::Constraint));
                p.record(Item::kw(Kw::Constraints));
                return p.fail();
            }
        }
    }
    p.bump();
    if let Some(at) = old_exists {
        p.semantic_error(
            at,
            "`SHOW CONSTRAINTS` no longer allows the `EXISTS` keyword, please use `EXIST` or \
             `PROPERTY EXISTENCE` instead.",
        );
    }
    if brief_allowed {
        brief_or_verbose(p, "SHOW CONSTRAINTS")?;
    }
    let t = tail(p)?;
    Ok(show_statement(ShowKind::Constraints, t))
}

/// `[ids | expression] [tail]` of SHOW TRANSACTIONS / SHOW SETTINGS.
fn names_and_clauses(p: &mut Parser<'_>) -> PResult<Tail> {
    if matches!(p.peek(), Tok::Kw(Kw::Yield | Kw::Where)) {
        // A lone `yield`/`where` may also be an expression (a variable name).
        return p.either(tail, |p| {
            strings_or_expression(p)?;
            tail(p)
        });
    }
    if p.peek() == Tok::Eof || p.peek() == Tok::Kw(Kw::Show) || p.peek() == Tok::Kw(Kw::Terminate) {
        p.record(Item::kw(Kw::Yield));
        p.record(Item::kw(Kw::Where));
        p.record(Item::rule(expected::Rule::Expression));
        return Ok(Tail::default());
    }
    strings_or_expression(p)?;
    tail(p)
}

/// `'a', 'b'` (two or more strings) or an expression.
fn strings_or_expression(p: &mut Parser<'_>) -> PResult<()> {
    if p.peek() == Tok::Str && p.nth(1) == Tok::Comma {
        string_literal(p)?;
        while p.eat(Tok::Comma) {
            string_literal(p)?;
        }
        return Ok(());
    }
    expression(p).map(|_| ())
}

fn composable(p: &mut Parser<'_>) -> PResult<()> {
    if p.at_kw(Kw::Terminate) {
        terminate(p)?;
    } else if p.at_kw(Kw::Show) {
        p.bump();
        if !matches!(p.peek(), Tok::Kw(Kw::Transaction | Kw::Transactions)) {
            p.record(Item::kw(Kw::Transaction));
            p.record(Item::kw(Kw::Transactions));
            return p.fail();
        }
        show_transactions(p)?;
    }
    Ok(())
}

/// `TRANSACTION[S] [ids] [tail] [SHOW ... | TERMINATE ...]`.
fn show_transactions(p: &mut Parser<'_>) -> PResult<Statement> {
    p.bump();
    let t = names_and_clauses(p)?;
    composable(p)?;
    Ok(show_statement(ShowKind::Transactions, t))
}

/// `TERMINATE TRANSACTION[S] ids [tail] [SHOW ... | TERMINATE ...]`.
pub fn terminate(p: &mut Parser<'_>) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        p.expect_kw(Kw::Terminate)?;
        if !(p.eat_kw(Kw::Transaction) || p.eat_kw(Kw::Transactions)) {
            return p.fail();
        }
        strings_or_expression(p)?;
        tail(p)?;
        composable(p)?;
        Ok(Statement::TerminateTransactions)
    })
}
