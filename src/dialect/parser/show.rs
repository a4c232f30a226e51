//! SHOW commands and their YIELD / WHERE / ORDER BY / SKIP / LIMIT / RETURN tail, which
//! CALL shares.
//!
//! It owns what each SHOW lists and the projection grammar. It must not know the columns
//! each command has (the cluster does), so "Variable not defined" is not judged here.

use super::expr::expression;
use super::names::{name_list, name_or_param};
use super::token::{
    Class, PResult, fail, keyword, kw_either, name_part, opt_kw, opt_sym, peek_word, ws,
};
use crate::dialect::ast::{
    OrderSkipLimit, PrivilegeListScope, ProjectionItem, Return, Show, ShowKind, SortItem,
    Statement, Yield,
};

/// The words after SHOW that start an admin SHOW (others are general Cypher: INDEXES,
/// CONSTRAINTS, TRANSACTIONS, SETTINGS, ...).
pub fn is_admin_show(after_show: &str) -> bool {
    let mut w = peek_word(after_show);
    let mut rest = ws(after_show).get(w.len()..).unwrap_or("");
    if w.eq_ignore_ascii_case("ALL") || w.eq_ignore_ascii_case("POPULATED") {
        w = peek_word(rest);
        rest = ws(rest).get(w.len()..).unwrap_or("");
    }
    if (w.eq_ignore_ascii_case("USER") || w.eq_ignore_ascii_case("BUILT"))
        && is_cypher_show(after_show)
    {
        return false;
    }
    const WORDS: &[&str] = &[
        "DATABASE",
        "DATABASES",
        "SERVER",
        "SERVERS",
        "ALIAS",
        "ALIASES",
        "USER",
        "USERS",
        "ROLE",
        "ROLES",
        "PROCEDURE",
        "PROCEDURES",
        "FUNCTION",
        "FUNCTIONS",
        "PRIVILEGE",
        "PRIVILEGES",
    ];
    if WORDS.iter().any(|k| w.eq_ignore_ascii_case(k)) {
        return true;
    }
    // An unfinished last word (or none) that could still become an admin SHOW is parsed as
    // one: `SHOW SERV` is a syntax error in Neo4j too, and completion needs the expected
    // set after `SHOW `.
    let could_be_admin = |k: &&str| {
        k.len() >= w.len() && k.is_char_boundary(w.len()) && k[..w.len()].eq_ignore_ascii_case(w)
    };
    if ws(rest).is_empty()
        && WORDS
            .iter()
            .chain(&["DEFAULT", "HOME", "CURRENT", "ALL", "POPULATED"])
            .any(could_be_admin)
    {
        return true;
    }
    let next = peek_word(rest);
    (w.eq_ignore_ascii_case("DEFAULT") || w.eq_ignore_ascii_case("HOME"))
        && next.eq_ignore_ascii_case("DATABASE")
        || w.eq_ignore_ascii_case("CURRENT") && next.eq_ignore_ascii_case("USER")
}

/// True when SHOW is followed by one of general Cypher's SHOW commands (indexes,
/// constraints, transactions, settings, built-in or user-defined functions).
pub fn is_cypher_show(after_show: &str) -> bool {
    const WORDS: &[&str] = &[
        "INDEX",
        "INDEXES",
        "CONSTRAINT",
        "CONSTRAINTS",
        "TRANSACTION",
        "TRANSACTIONS",
        "SETTING",
        "SETTINGS",
        "BTREE",
        "RANGE",
        "TEXT",
        "POINT",
        "VECTOR",
        "LOOKUP",
        "FULLTEXT",
        "UNIQUE",
        "EXIST",
        "EXISTENCE",
        "NODE",
        "REL",
        "RELATIONSHIP",
        "KEY",
        "PROPERTY",
        "BUILT",
        "ALL",
    ];
    let w = peek_word(after_show);
    let rest = ws(after_show).get(w.len()..).unwrap_or("");
    WORDS.iter().any(|k| w.eq_ignore_ascii_case(k))
        || w.eq_ignore_ascii_case("USER") && peek_word(rest).eq_ignore_ascii_case("DEFINED")
}

/// True when the next word starts the SHOW tail rather than a name. A lone `yield` or
/// `where` at the end is a database name, as in Neo4j (`SHOW DATABASE yield`).
fn at_tail(input: &str) -> bool {
    let i = ws(input);
    let w = peek_word(i);
    let alone = ws(&i[w.len()..]).is_empty();
    i.is_empty()
        || w.eq_ignore_ascii_case("RETURN")
        || (w.eq_ignore_ascii_case("YIELD") || w.eq_ignore_ascii_case("WHERE")) && !alone
}

/// After `SHOW`.
pub fn show(input: &str) -> PResult<'_, Statement> {
    let (rest, kind) = show_kind(input)?;
    let (rest, show) = show_tail(rest, kind)?;
    Ok((rest, Statement::Show(show)))
}

fn show_kind(input: &str) -> PResult<'_, ShowKind> {
    let i = ws(input);
    if let (r, true) = opt_kw(i, "DEFAULT")? {
        let (r, _) = keyword(r, "DATABASE")?;
        return Ok((r, ShowKind::DefaultDatabase));
    }
    if let (r, true) = opt_kw(i, "HOME")? {
        let (r, _) = keyword(r, "DATABASE")?;
        return Ok((r, ShowKind::HomeDatabase));
    }
    if let (r, true) = opt_kw(i, "CURRENT")? {
        let (r, _) = keyword(r, "USER")?;
        return Ok((r, ShowKind::CurrentUser));
    }
    if let Ok((r, _)) = kw_either(i, "DATABASES", "DATABASE") {
        if at_tail(r) {
            return Ok((r, ShowKind::Databases(None)));
        }
        let (r, name) = name_or_param(r, Class::DatabaseName)?;
        return Ok((r, ShowKind::Databases(Some(name))));
    }
    if let Ok((r, _)) = kw_either(i, "SERVERS", "SERVER") {
        return Ok((r, ShowKind::Servers));
    }
    if let Ok((r, _)) = kw_either(i, "ALIASES", "ALIAS") {
        let (r, name) = if matches!(opt_kw(r, "FOR")?, (_, true)) {
            (r, None)
        } else {
            let (r, n) = name_or_param(r, Class::DatabaseName)?;
            (r, Some(n))
        };
        let (r, _) = keyword(r, "FOR")?;
        let (r, _) = kw_either(r, "DATABASES", "DATABASE")?;
        return Ok((r, ShowKind::Aliases(name)));
    }
    if let Ok((r, _)) = kw_either(i, "PROCEDURES", "PROCEDURE") {
        return Ok((executable(r)?.0, ShowKind::Procedures));
    }
    let (i, all) = opt_kw(i, "ALL")?;
    let (i, populated) = if all {
        (i, false)
    } else {
        opt_kw(i, "POPULATED")?
    };
    if let Ok((r, _)) = kw_either(i, "FUNCTIONS", "FUNCTION") {
        return Ok((executable(r)?.0, ShowKind::Functions));
    }
    if let Ok((r, _)) = kw_either(i, "PRIVILEGES", "PRIVILEGE") {
        let (r, as_commands) = as_commands(r)?;
        return Ok((
            r,
            ShowKind::Privileges {
                scope: PrivilegeListScope::All,
                as_commands,
            },
        ));
    }
    if let Ok((r, _)) = kw_either(i, "ROLES", "ROLE") {
        if let (r2, true) = opt_kw(r, "WITH")? {
            let (r2, _) = kw_either(r2, "USERS", "USER")?;
            return Ok((
                r2,
                ShowKind::Roles {
                    populated,
                    with_users: true,
                },
            ));
        }
        if at_tail(r) || all || populated {
            return Ok((
                r,
                ShowKind::Roles {
                    populated,
                    with_users: false,
                },
            ));
        }
        let (r, roles) = name_list(r, Class::RoleName)?;
        let (r, _) = kw_either(r, "PRIVILEGES", "PRIVILEGE")?;
        let (r, as_commands) = as_commands(r)?;
        return Ok((
            r,
            ShowKind::Privileges {
                scope: PrivilegeListScope::Roles(roles),
                as_commands,
            },
        ));
    }
    if !all
        && !populated
        && let Ok((r, _)) = kw_either(i, "USERS", "USER")
    {
        if let (r2, true) = opt_kw(r, "WITH")? {
            let (r2, _) = keyword(r2, "AUTH")?;
            return Ok((r2, ShowKind::Users));
        }
        let (r, users) = match kw_either(r, "PRIVILEGES", "PRIVILEGE") {
            Ok((r2, _)) => (r2, Some(Vec::new())),
            Err(_) if at_tail(r) => (r, None),
            Err(_) => {
                let (r2, users) = name_list(r, Class::UserName)?;
                let (r2, _) = kw_either(r2, "PRIVILEGES", "PRIVILEGE")?;
                (r2, Some(users))
            }
        };
        return match users {
            None => Ok((r, ShowKind::Users)),
            Some(users) => {
                let (r, as_commands) = as_commands(r)?;
                Ok((
                    r,
                    ShowKind::Privileges {
                        scope: PrivilegeListScope::Users(users),
                        as_commands,
                    },
                ))
            }
        };
    }
    fail(i)
}

/// `[EXECUTABLE [BY CURRENT USER | BY name]]` after SHOW PROCEDURES / FUNCTIONS.
fn executable(input: &str) -> PResult<'_, ()> {
    let (r, present) = opt_kw(input, "EXECUTABLE")?;
    if !present {
        return Ok((input, ()));
    }
    let (r2, by) = opt_kw(r, "BY")?;
    if !by {
        return Ok((r, ()));
    }
    if let (r3, true) = opt_kw(r2, "CURRENT")? {
        return Ok((keyword(r3, "USER")?.0, ()));
    }
    let (r3, _) = name_or_param(r2, Class::UserName)?;
    Ok((r3, ()))
}

/// `[AS [REVOKE] COMMAND[S]]`.
fn as_commands(input: &str) -> PResult<'_, Option<bool>> {
    let (r, present) = opt_kw(input, "AS")?;
    if !present {
        return Ok((input, None));
    }
    let (r, revoke) = opt_kw(r, "REVOKE")?;
    let (r, _) = kw_either(r, "COMMANDS", "COMMAND")?;
    Ok((r, Some(revoke)))
}

/// `[WHERE expr | YIELD ... [RETURN ...]]` after what a SHOW lists.
fn show_tail(input: &str, kind: ShowKind) -> PResult<'_, Show> {
    let mut show = Show {
        kind,
        yield_: None,
        where_: None,
        return_: None,
    };
    if let (r, true) = opt_kw(input, "WHERE")? {
        let (r, e) = expression(r, 0)?;
        show.where_ = Some(e);
        return Ok((r, show));
    }
    let (rest, y) = opt_yield(input, true)?;
    let Some(y) = y else {
        return Ok((rest, show));
    };
    show.yield_ = Some(y);
    let (rest, ret) = opt_return(rest)?;
    show.return_ = ret;
    Ok((rest, show))
}

/// `[YIELD * | item [AS alias], ... [ORDER BY ..] [SKIP n] [LIMIT n] [WHERE ..]]`.
/// CALL's YIELD has no ORDER BY / SKIP / LIMIT (`paging` false).
pub fn opt_yield(input: &str, paging: bool) -> PResult<'_, Option<Yield>> {
    let (rest, present) = opt_kw(input, "YIELD")?;
    if !present {
        return Ok((input, None));
    }
    let (rest, star) = opt_sym(rest, "*")?;
    let (rest, items) = if star {
        (rest, None)
    } else {
        let (r, items) = items(rest, false)?;
        (r, Some(items))
    };
    let (rest, tail) = if paging {
        order_skip_limit(rest)?
    } else {
        (rest, OrderSkipLimit::default())
    };
    let (rest, where_) = match opt_kw(rest, "WHERE")? {
        (r, true) => {
            let (r, e) = expression(r, 0)?;
            (r, Some(e))
        }
        (r, false) => (r, None),
    };
    Ok((
        rest,
        Some(Yield {
            items,
            tail,
            where_,
        }),
    ))
}

/// `[RETURN [DISTINCT] * | item, ... [ORDER BY ..] [SKIP n] [LIMIT n]]`.
pub fn opt_return(input: &str) -> PResult<'_, Option<Return>> {
    let (rest, present) = opt_kw(input, "RETURN")?;
    if !present {
        return Ok((input, None));
    }
    let (rest, distinct) = opt_kw(rest, "DISTINCT")?;
    let (rest, star) = opt_sym(rest, "*")?;
    let (rest, items) = if star {
        (rest, None)
    } else {
        let (r, items) = items(rest, true)?;
        (r, Some(items))
    };
    let (rest, tail) = order_skip_limit(rest)?;
    Ok((
        rest,
        Some(Return {
            distinct,
            items,
            tail,
        }),
    ))
}

/// Projection items; YIELD items are plain names, RETURN items are expressions.
fn items(input: &str, expressions: bool) -> PResult<'_, Vec<ProjectionItem>> {
    let mut out = Vec::new();
    let mut rest = input;
    loop {
        let start = ws(rest);
        let (r, expr) = if expressions {
            expression(start, 0)?
        } else {
            let (r, n) = name_part(start, Class::Identifier)?;
            (r, crate::dialect::ast::Expr::variable(n))
        };
        let text = start
            .get(..start.len() - r.len())
            .unwrap_or_default()
            .trim_end()
            .to_string();
        let (r, alias) = match opt_kw(r, "AS")? {
            (r2, true) => {
                let (r2, a) = name_part(r2, Class::Identifier)?;
                (r2, Some(a))
            }
            (r2, false) => (r2, None),
        };
        out.push(ProjectionItem { expr, alias, text });
        let (r, comma) = opt_sym(r, ",")?;
        rest = r;
        if !comma {
            return Ok((rest, out));
        }
    }
}

fn order_skip_limit(input: &str) -> PResult<'_, OrderSkipLimit> {
    let mut tail = OrderSkipLimit::default();
    let mut rest = input;
    if let (r, true) = opt_kw(rest, "ORDER")? {
        let (mut r, _) = keyword(r, "BY")?;
        loop {
            let (r2, expr) = expression(r, 0)?;
            let mut descending = false;
            let mut r2 = r2;
            for (w, d) in [
                ("ASCENDING", false),
                ("ASC", false),
                ("DESCENDING", true),
                ("DESC", true),
            ] {
                if let (r3, true) = opt_kw(r2, w)? {
                    descending = d;
                    r2 = r3;
                    break;
                }
            }
            tail.order_by.push(SortItem { expr, descending });
            let (r3, comma) = opt_sym(r2, ",")?;
            r = r3;
            if !comma {
                break;
            }
        }
        rest = r;
    }
    let (r, skip) = match opt_kw(rest, "SKIP")? {
        (r, true) => (r, true),
        (_, false) => opt_kw(rest, "OFFSET")?,
    };
    rest = r;
    if skip {
        let (r, e) = expression(rest, 0)?;
        tail.skip = Some(e);
        rest = r;
    }
    if let (r, true) = opt_kw(rest, "LIMIT")? {
        let (r, e) = expression(r, 0)?;
        tail.limit = Some(e);
        rest = r;
    }
    Ok((rest, tail))
}
