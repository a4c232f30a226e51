//! Alias statements: CREATE [OR REPLACE] ALIAS (local and remote), ALTER ALIAS, DROP
//! ALIAS.
//!
//! It owns these statements' grammar. It must not judge targets or URLs (the cluster
//! does).

use super::clauses::{
    check_or_replace, if_exists, if_not_exists, language_tail, opt_default_language,
};
use super::names::{map_or_param, name_or_param, string_or_param};
use super::token::{Class, PResult, keyword, opt_kw, semantic, ws};
use crate::dialect::ast::{
    AlterAlias, CreateAlias, DropAlias, MapOrParam, RemoteAliasTarget, Statement,
};

fn opt_map_clause<'a>(input: &'a str, word: &'static str) -> PResult<'a, Option<MapOrParam>> {
    let (rest, present) = opt_kw(input, word)?;
    if !present {
        return Ok((input, None));
    }
    let (rest, m) = map_or_param(rest)?;
    Ok((rest, Some(m)))
}

/// After `CREATE [OR REPLACE] ALIAS`.
pub fn create_alias(input: &str, or_replace: bool) -> PResult<'_, Statement> {
    let (rest, name) = name_or_param(input, Class::DatabaseName)?;
    let (rest, if_not) = if_not_exists(rest)?;
    check_or_replace(rest, or_replace, if_not, "database alias", &name)?;
    let (rest, _) = keyword(rest, "FOR")?;
    let (rest, _) = keyword(rest, "DATABASE")?;
    let (rest, target) = name_or_param(rest, Class::DatabaseName)?;
    let (rest, remote) = match opt_kw(rest, "AT")? {
        (r, true) => {
            let (r, url) = string_or_param(r, Class::String)?;
            let (r, _) = keyword(r, "USER")?;
            let (r, user) = name_or_param(r, Class::UserName)?;
            let (r, _) = keyword(r, "PASSWORD")?;
            let (r, password) = string_or_param(r, Class::String)?;
            let (r, driver) = opt_map_clause(r, "DRIVER")?;
            (
                r,
                Some(RemoteAliasTarget {
                    url,
                    user,
                    password,
                    driver,
                }),
            )
        }
        (r, false) => (r, None),
    };
    let (rest, default_language) = opt_default_language(rest)?;
    let (rest, properties) = opt_map_clause(rest, "PROPERTIES")?;
    Ok((
        rest,
        Statement::CreateAlias(CreateAlias {
            name,
            or_replace,
            if_not_exists: if_not,
            target,
            remote,
            default_language,
            properties,
        }),
    ))
}

/// After `ALTER ALIAS`.
pub fn alter_alias(input: &str) -> PResult<'_, Statement> {
    let (rest, name) = name_or_param(input, Class::DatabaseName)?;
    let (rest, if_exists) = if_exists(rest)?;
    let (rest, _) = keyword(rest, "SET")?;
    let (mut rest, _) = keyword(rest, "DATABASE")?;
    let mut a = AlterAlias {
        name,
        if_exists,
        target: None,
        url: None,
        user: None,
        password: None,
        driver: None,
        default_language: None,
        properties: None,
    };
    let mut any = false;
    loop {
        let at = ws(rest);
        let dup = |what: &str| semantic::<()>(at, format!("Duplicate {what} clause"));
        if let (r, true) = opt_kw(at, "TARGET")? {
            if a.target.is_some() {
                dup("TARGET")?;
            }
            let (r, t) = name_or_param(r, Class::DatabaseName)?;
            a.target = Some(t);
            let (r, at_url) = opt_kw(r, "AT")?;
            rest = r;
            if at_url {
                let (r, url) = string_or_param(r, Class::String)?;
                a.url = Some(url);
                rest = r;
            }
        } else if let (r, true) = opt_kw(at, "USER")? {
            if a.user.is_some() {
                dup("USER")?;
            }
            let (r, u) = name_or_param(r, Class::UserName)?;
            a.user = Some(u);
            rest = r;
        } else if let (r, true) = opt_kw(at, "PASSWORD")? {
            if a.password.is_some() {
                dup("PASSWORD")?;
            }
            let (r, p) = string_or_param(r, Class::String)?;
            a.password = Some(p);
            rest = r;
        } else if let (r, true) = opt_kw(at, "DRIVER")? {
            if a.driver.is_some() {
                dup("DRIVER")?;
            }
            let (r, m) = map_or_param(r)?;
            a.driver = Some(m);
            rest = r;
        } else if let (r, true) = opt_kw(at, "PROPERTIES")? {
            if a.properties.is_some() {
                dup("PROPERTIES")?;
            }
            let (r, m) = map_or_param(r)?;
            a.properties = Some(m);
            rest = r;
        } else if let (r, true) = opt_kw(at, "DEFAULT")? {
            if a.default_language.is_some() {
                dup("DEFAULT LANGUAGE")?;
            }
            let (r, v) = language_tail(r)?;
            a.default_language = Some(v);
            rest = r;
        } else if any {
            break;
        } else {
            return super::token::fail(at);
        }
        any = true;
    }
    Ok((rest, Statement::AlterAlias(a)))
}

/// After `DROP ALIAS`.
pub fn drop_alias(input: &str) -> PResult<'_, Statement> {
    let (rest, name) = name_or_param(input, Class::DatabaseName)?;
    let (rest, if_exists) = if_exists(rest)?;
    let (rest, _) = keyword(rest, "FOR")?;
    let (rest, _) = keyword(rest, "DATABASE")?;
    Ok((rest, Statement::DropAlias(DropAlias { name, if_exists })))
}
