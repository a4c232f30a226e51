//! Clauses shared by several statement families: `WAIT`/`NOWAIT`, `IF [NOT] EXISTS`,
//! `DEFAULT LANGUAGE CYPHER n`, and the `OR REPLACE` + `IF NOT EXISTS` check.
//!
//! It owns these clauses' grammar and Neo4j's messages about them. It must not know the
//! statements around them beyond the words they put in messages.

use super::token::{
    Expected, PResult, expect, fail, keyword, opt_kw, opt_kws, semantic_at_start, unsigned_integer,
    ws,
};
use crate::dialect::ast::{CypherVersion, DEFAULT_WAIT_SECONDS, NameOrParam, Wait};

/// `[WAIT [n [SEC|SECOND|SECONDS]] | NOWAIT]`; absent means `NOWAIT`.
pub fn wait_clause(input: &str) -> PResult<'_, Wait> {
    let (rest, nowait) = opt_kw(input, "NOWAIT")?;
    if nowait {
        return Ok((rest, Wait::NoWait));
    }
    let (rest, wait) = opt_kw(input, "WAIT")?;
    if !wait {
        return Ok((input, Wait::NoWait));
    }
    match unsigned_integer(rest) {
        Ok((r, n)) => {
            let (r, _) = unit(r)?;
            Ok((r, Wait::Wait(u64::try_from(n).unwrap_or(0))))
        }
        Err(nom::Err::Error(_)) => Ok((rest, Wait::Wait(DEFAULT_WAIT_SECONDS))),
        Err(e) => Err(e),
    }
}

fn unit(input: &str) -> PResult<'_, ()> {
    for w in ["SECONDS", "SECOND", "SEC"] {
        if let (r, true) = opt_kw(input, w)? {
            return Ok((r, ()));
        }
    }
    Ok((input, ()))
}

/// `[IF EXISTS]`.
pub fn if_exists(input: &str) -> PResult<'_, bool> {
    opt_kws(input, &["IF", "EXISTS"])
}

/// `[IF NOT EXISTS]`.
pub fn if_not_exists(input: &str) -> PResult<'_, bool> {
    opt_kws(input, &["IF", "NOT", "EXISTS"])
}

/// `[OR REPLACE]` right after CREATE.
pub fn or_replace(input: &str) -> PResult<'_, bool> {
    opt_kws(input, &["OR", "REPLACE"])
}

/// `[DEFAULT LANGUAGE CYPHER 5|25]` (the caller has consumed nothing).
pub fn opt_default_language(input: &str) -> PResult<'_, Option<CypherVersion>> {
    let (rest, present) = opt_kw(input, "DEFAULT")?;
    if !present {
        return Ok((input, None));
    }
    let (rest, v) = language_tail(rest)?;
    Ok((rest, Some(v)))
}

/// `LANGUAGE CYPHER 5|25` after `DEFAULT`.
pub fn language_tail(input: &str) -> PResult<'_, CypherVersion> {
    let (rest, _) = keyword(input, "LANGUAGE")?;
    let (rest, _) = keyword(rest, "CYPHER")?;
    let at = ws(rest);
    match unsigned_integer(at) {
        Ok((r, 5)) => Ok((r, CypherVersion::Cypher5)),
        Ok((r, 25)) => Ok((r, CypherVersion::Cypher25)),
        Ok(_) | Err(nom::Err::Error(_)) => {
            expect(at, Expected::Keyword("5"));
            expect(at, Expected::Keyword("25"));
            fail(at)
        }
        Err(e) => Err(e),
    }
}

/// A name as Neo4j quotes it in messages: the joined name, or `$param`.
pub fn display(name: &NameOrParam) -> String {
    match name {
        NameOrParam::Name(n) => n.joined(),
        NameOrParam::Param(p) => format!("${}", p.name),
    }
}

/// Neo4j refuses `OR REPLACE` together with `IF NOT EXISTS` at parse time.
/// `what` is e.g. `database`, `composite database`, `database alias`, `user`, `role`.
pub fn check_or_replace<'a>(
    at: &'a str,
    or_replace: bool,
    if_not_exists: bool,
    what: &str,
    name: &NameOrParam,
) -> PResult<'a, ()> {
    if or_replace && if_not_exists {
        return semantic_at_start(format!(
            "Failed to create the specified {what} '{}': cannot have both `OR REPLACE` and `IF NOT EXISTS`.",
            display(name)
        ));
    }
    Ok((at, ()))
}
