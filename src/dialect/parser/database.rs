//! Database lifecycle statements: CREATE [OR REPLACE] [COMPOSITE] DATABASE, ALTER
//! DATABASE, DROP [COMPOSITE] DATABASE, START / STOP DATABASE, with TOPOLOGY, OPTIONS and
//! WAIT, and Neo4j's parse-time checks on them.
//!
//! It owns these statements' grammar. It must not judge names or counts beyond what Neo4j
//! rejects at parse time (name rules and topology limits belong to the cluster).

use super::clauses::{
    check_or_replace, if_exists, if_not_exists, language_tail, opt_default_language, wait_clause,
};
use super::expr::expression;
use super::names::{int_or_param, map_or_param, name_or_param};
use super::token::{
    Class, PResult, keyword, kw_either, name_part, opt_kw, semantic, semantic_at_start, ws,
};
use crate::dialect::ast::{
    Access, AlterDatabase, CreateCompositeDatabase, CreateDatabase, DatabaseAlteration, DropData,
    DropDatabase, IntOrParam, MapOrParam, NameOrParam, StartStopDatabase, Statement, Topology,
};

/// `[OPTIONS map|$param]`.
pub fn opt_options(input: &str) -> PResult<'_, Option<MapOrParam>> {
    let (rest, present) = opt_kw(input, "OPTIONS")?;
    if !present {
        return Ok((input, None));
    }
    let (rest, m) = map_or_param(rest)?;
    Ok((rest, Some(m)))
}

/// The clauses after `TOPOLOGY`: `n PRIMAR{Y|IES}` and `m SECONDAR{Y|IES}`, at least one,
/// in either order, each at most once. `command` names the statement in messages.
pub fn topology<'a>(input: &'a str, command: &str) -> PResult<'a, Topology> {
    let mut topo = Topology::default();
    let mut rest = input;
    loop {
        let at = ws(rest);
        let (r, count) = match int_or_param(at) {
            Ok(ok) => ok,
            Err(nom::Err::Error(e)) if topo.primaries.is_some() || topo.secondaries.is_some() => {
                let _ = e;
                break;
            }
            Err(e) => return Err(e),
        };
        let kw_at = ws(r);
        match kw_either(kw_at, "PRIMARY", "PRIMARIES") {
            Ok((r2, _)) => {
                if topo.primaries.is_some() {
                    return semantic(kw_at, "Duplicate PRIMARY clause");
                }
                if count == IntOrParam::Literal(0) {
                    return semantic_at_start(format!(
                        "Failed to {command} with `TOPOLOGY 0 PRIMARIES`, PRIMARY must be greater than 0."
                    ));
                }
                topo.primaries = Some(count);
                rest = r2;
            }
            Err(nom::Err::Error(e1)) => match kw_either(kw_at, "SECONDARY", "SECONDARIES") {
                Ok((r2, _)) => {
                    if topo.secondaries.is_some() {
                        return semantic(kw_at, "Duplicate SECONDARY clause");
                    }
                    topo.secondaries = Some(count);
                    rest = r2;
                }
                Err(e2) => return Err(e2.map(|e2| nom::error::ParseError::or(e1, e2))),
            },
            Err(e) => return Err(e),
        }
    }
    Ok((rest, topo))
}

/// After `CREATE [OR REPLACE] DATABASE`.
pub fn create_database(input: &str, or_replace: bool) -> PResult<'_, Statement> {
    let (rest, name) = name_or_param(input, Class::DatabaseName)?;
    let (rest, if_not) = if_not_exists(rest)?;
    check_or_replace(rest, or_replace, if_not, "database", &name)?;
    let (rest, default_language) = opt_default_language(rest)?;
    let command = if or_replace {
        "CREATE OR REPLACE DATABASE"
    } else {
        "CREATE DATABASE"
    };
    let (rest, topology) = match opt_kw(rest, "TOPOLOGY")? {
        (r, true) => {
            let (r, t) = topology(r, command)?;
            (r, Some(t))
        }
        (r, false) => (r, None),
    };
    let (rest, options) = opt_options(rest)?;
    let (rest, wait) = wait_clause(rest)?;
    Ok((
        rest,
        Statement::CreateDatabase(CreateDatabase {
            name,
            or_replace,
            if_not_exists: if_not,
            default_language,
            topology,
            options,
            wait,
        }),
    ))
}

/// After `CREATE [OR REPLACE] COMPOSITE DATABASE`.
pub fn create_composite(input: &str, or_replace: bool) -> PResult<'_, Statement> {
    let at = ws(input);
    let (rest, name) = name_or_param(at, Class::DatabaseName)?;
    if let NameOrParam::Name(n) = &name
        && n.parts.len() > 1
    {
        return semantic(
            at,
            format!(
                "Failed to create the specified composite database '{}': COMPOSITE DATABASE names cannot contain \".\". COMPOSITE DATABASE names using '.' must be quoted with backticks e.g. `composite.database`.",
                n.joined()
            ),
        );
    }
    let (rest, if_not) = if_not_exists(rest)?;
    check_or_replace(rest, or_replace, if_not, "composite database", &name)?;
    let (rest, default_language) = opt_default_language(rest)?;
    let (rest, options) = opt_options(rest)?;
    let (rest, wait) = wait_clause(rest)?;
    Ok((
        rest,
        Statement::CreateCompositeDatabase(CreateCompositeDatabase {
            name,
            or_replace,
            if_not_exists: if_not,
            default_language,
            options,
            wait,
        }),
    ))
}

/// After `ALTER DATABASE`: either SET clauses (each kind once, any order) or REMOVE
/// OPTION clauses, then WAIT.
pub fn alter_database(input: &str) -> PResult<'_, Statement> {
    let (rest, name) = name_or_param(input, Class::DatabaseName)?;
    let (mut rest, if_exists) = if_exists(rest)?;
    let mut alterations: Vec<DatabaseAlteration> = Vec::new();
    let removing = matches!(opt_kw(rest, "REMOVE")?, (_, true));
    loop {
        let at = ws(rest);
        if removing {
            let (r, present) = opt_kw(at, "REMOVE")?;
            if !present && !alterations.is_empty() {
                break;
            }
            let (r, _) = keyword(r, "OPTION")?;
            let (r, key) = name_part(r, Class::Identifier)?;
            if alterations
                .iter()
                .any(|a| matches!(a, DatabaseAlteration::RemoveOption(k) if *k == key))
            {
                return semantic(at, format!("Duplicate 'REMOVE OPTION {key}' clause"));
            }
            alterations.push(DatabaseAlteration::RemoveOption(key));
            rest = r;
            continue;
        }
        let (r, present) = opt_kw(at, "SET")?;
        if !present {
            if alterations.is_empty() {
                // Report both ways in, as Neo4j's grammar allows either.
                let _ = opt_kw(at, "REMOVE");
                let _ = keyword(at, "SET")?;
            }
            break;
        }
        let (r, alteration) = set_clause(r)?;
        let duplicate = alterations.iter().find(|a| same_kind(a, &alteration));
        if let Some(d) = duplicate {
            let message = match d {
                DatabaseAlteration::Access(_) => "Duplicate SET ACCESS clause".to_string(),
                DatabaseAlteration::Topology(_) => "Duplicate SET TOPOLOGY clause".to_string(),
                DatabaseAlteration::SetOption(k, _) => format!("Duplicate 'SET OPTION {k}' clause"),
                DatabaseAlteration::DefaultLanguage(_) => {
                    "Duplicate SET DEFAULT LANGUAGE clause".to_string()
                }
                DatabaseAlteration::RemoveOption(k) => {
                    format!("Duplicate 'REMOVE OPTION {k}' clause")
                }
            };
            return semantic(at, message);
        }
        alterations.push(alteration);
        rest = r;
    }
    let (rest, wait) = wait_clause(rest)?;
    Ok((
        rest,
        Statement::AlterDatabase(AlterDatabase {
            name,
            if_exists,
            alterations,
            wait,
        }),
    ))
}

fn same_kind(a: &DatabaseAlteration, b: &DatabaseAlteration) -> bool {
    use DatabaseAlteration as A;
    match (a, b) {
        (A::SetOption(x, _), A::SetOption(y, _)) => x.eq_ignore_ascii_case(y),
        (A::RemoveOption(x), A::RemoveOption(y)) => x.eq_ignore_ascii_case(y),
        _ => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}

/// One `SET ...` alteration, after `SET`.
fn set_clause(input: &str) -> PResult<'_, DatabaseAlteration> {
    let i = ws(input);
    if let (r, true) = opt_kw(i, "ACCESS")? {
        let (r, _) = keyword(r, "READ")?;
        let (r, word) = kw_either(r, "ONLY", "WRITE")?;
        let access = if word.eq_ignore_ascii_case("ONLY") {
            Access::ReadOnly
        } else {
            Access::ReadWrite
        };
        return Ok((r, DatabaseAlteration::Access(access)));
    }
    if let (r, true) = opt_kw(i, "TOPOLOGY")? {
        let (r, t) = topology(r, "ALTER DATABASE")?;
        return Ok((r, DatabaseAlteration::Topology(t)));
    }
    if let (r, true) = opt_kw(i, "OPTION")? {
        let (r, key) = name_part(r, Class::Identifier)?;
        let (r, value) = expression(r, 0)?;
        return Ok((r, DatabaseAlteration::SetOption(key, value)));
    }
    let (r, _) = keyword(i, "DEFAULT")?;
    let (r, v) = language_tail(r)?;
    Ok((r, DatabaseAlteration::DefaultLanguage(v)))
}

/// After `DROP [COMPOSITE] DATABASE`.
pub fn drop_database(input: &str, composite: bool) -> PResult<'_, Statement> {
    let (rest, name) = name_or_param(input, Class::DatabaseName)?;
    let (rest, if_exists) = if_exists(rest)?;
    let (rest, cascade_aliases) = match opt_kw(rest, "CASCADE")? {
        (r, true) => {
            let (r, _) = kw_either(r, "ALIASES", "ALIAS")?;
            (r, true)
        }
        (r, false) => {
            let (r, _) = opt_kw(r, "RESTRICT")?;
            (r, false)
        }
    };
    let (rest, data) = match opt_kw(rest, "DUMP")? {
        (r, true) => (keyword(r, "DATA")?.0, DropData::Dump),
        (r, false) => match opt_kw(r, "DESTROY")? {
            (r, true) => (keyword(r, "DATA")?.0, DropData::Destroy),
            (r, false) => (r, DropData::Destroy),
        },
    };
    let (rest, wait) = wait_clause(rest)?;
    Ok((
        rest,
        Statement::DropDatabase(DropDatabase {
            name,
            composite,
            if_exists,
            cascade_aliases,
            data,
            wait,
        }),
    ))
}

/// After `START DATABASE` / `STOP DATABASE`.
pub fn start_stop(input: &str, start: bool) -> PResult<'_, Statement> {
    let (rest, name) = name_or_param(input, Class::DatabaseName)?;
    let (rest, wait) = wait_clause(rest)?;
    let s = StartStopDatabase { name, wait };
    Ok((
        rest,
        if start {
            Statement::StartDatabase(s)
        } else {
            Statement::StopDatabase(s)
        },
    ))
}
