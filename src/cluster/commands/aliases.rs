//! Database aliases: CREATE / ALTER / DROP ALIAS (local, remote, and inside composite
//! databases) and SHOW ALIASES, as far as SHOW DATABASES and DROP DATABASE need them.
//!
//! It owns alias rules (reference §3.6). It must not touch databases or allocations.

use crate::cluster::ctx::Ctx;
use crate::cluster::model::{Alias, DatabaseKind, RemoteTarget};
use crate::cluster::names;
use crate::cluster::show::{self, Clauses, Table};
use crate::dialect::ast::{AlterAlias, CreateAlias, CypherVersion, DropAlias, NameOrParam};
use crate::error::{Neo4jError, code};
use crate::result::QueryResult;
use crate::value::Value;
use std::collections::BTreeMap;

/// The alias's full name and the composite it belongs to (`garden.flowers` written
/// without backticks, when `garden` is a composite database).
fn alias_name(ctx: &Ctx<'_>, n: &NameOrParam) -> Result<(String, Option<String>), Neo4jError> {
    let full = names::alias_name(&ctx.name(n)?)?;
    if let NameOrParam::Name(s) = n
        && s.parts.len() > 1
    {
        let first = s.parts[0].to_ascii_lowercase();
        if ctx
            .state()
            .databases
            .get(first.as_str())
            .is_some_and(|d| d.kind == DatabaseKind::Composite)
        {
            return Ok((full, Some(first)));
        }
    }
    Ok((full, None))
}

fn fail(verb: &str, name: &str, why: &str) -> Neo4jError {
    Neo4jError::new(
        code::ARGUMENT_ERROR,
        format!("Failed to {verb} the specified database alias '{name}': {why}"),
    )
}

fn language(v: Option<CypherVersion>) -> Option<String> {
    v.map(|v| match v {
        CypherVersion::Cypher5 => "CYPHER 5".to_string(),
        CypherVersion::Cypher25 => "CYPHER 25".to_string(),
    })
}

/// `CREATE [OR REPLACE] ALIAS`.
pub fn create(ctx: &mut Ctx<'_>, c: &CreateAlias) -> Result<QueryResult, Neo4jError> {
    let (name, composite) = alias_name(ctx, &c.name)?;
    let target = ctx.name(&c.target)?.to_ascii_lowercase();
    if c.or_replace && c.if_not_exists {
        return Err(Neo4jError::new(
            code::SYNTAX_ERROR,
            format!(
                "Failed to create the specified database alias '{name}': cannot have both `OR REPLACE` and `IF NOT EXISTS`."
            ),
        ));
    }
    let taken_by_db = ctx.state().databases.contains_key(name.as_str()) || name == "system";
    if taken_by_db || ctx.state().aliases.contains_key(&name) {
        if c.if_not_exists {
            return Ok(QueryResult::empty());
        }
        if !c.or_replace || taken_by_db {
            return Err(Neo4jError::new(
                code::EXISTING_DATABASE_FOUND,
                format!(
                    "Failed to create the specified database alias '{name}': Database name or alias already exists."
                ),
            ));
        }
    }
    let remote = match &c.remote {
        None => {
            match ctx.state().databases.get(target.as_str()) {
                Some(d) if d.kind == DatabaseKind::Composite => {
                    return Err(fail(
                        "create",
                        &name,
                        &format!("Database '{target}' is composite."),
                    ));
                }
                Some(_) => {}
                None if target == "system" => {}
                None => {
                    return Err(fail(
                        "create",
                        &name,
                        &format!("Database '{target}' does not exist."),
                    ));
                }
            }
            None
        }
        Some(r) => {
            let url = ctx.string(&r.url)?;
            if !url.contains("://") {
                return Err(fail(
                    "create",
                    &name,
                    &format!("'{url}' is not a valid URL."),
                ));
            }
            Some(RemoteTarget {
                url,
                user: ctx.name(&r.user)?,
                password: ctx.string(&r.password)?,
                driver: match &r.driver {
                    Some(m) => ctx.map(m)?,
                    None => BTreeMap::new(),
                },
            })
        }
    };
    let properties = match &c.properties {
        Some(m) => ctx.map(m)?,
        None => BTreeMap::new(),
    };
    ctx.txn.upsert_alias(Alias {
        name,
        composite,
        target,
        remote,
        properties,
        default_language: language(c.default_language),
    });
    Ok(QueryResult::empty())
}

/// `ALTER ALIAS`.
pub fn alter(ctx: &mut Ctx<'_>, a: &AlterAlias) -> Result<QueryResult, Neo4jError> {
    let (name, _) = alias_name(ctx, &a.name)?;
    let Some(mut alias) = ctx.state().aliases.get(&name).cloned() else {
        if a.if_exists {
            return Ok(QueryResult::empty());
        }
        return Err(Neo4jError::new(
            code::DATABASE_NOT_FOUND,
            format!(
                "Failed to alter the specified database alias '{name}': Database alias does not exist."
            ),
        ));
    };
    let remote_parts =
        a.url.is_some() || a.user.is_some() || a.password.is_some() || a.driver.is_some();
    if let Some(t) = &a.target {
        let t = ctx.name(t)?.to_ascii_lowercase();
        if alias.remote.is_none()
            && a.url.is_none()
            && !ctx.state().databases.contains_key(t.as_str())
        {
            return Err(fail(
                "alter",
                &name,
                &format!("Database '{t}' does not exist."),
            ));
        }
        alias.target = t;
    }
    match &mut alias.remote {
        None if remote_parts => {
            return Err(fail(
                "alter",
                &name,
                "A local alias cannot be altered into a remote alias.",
            ));
        }
        None => {}
        Some(r) => {
            if let Some(u) = &a.url {
                r.url = ctx.string(u)?;
            }
            if let Some(u) = &a.user {
                r.user = ctx.name(u)?;
            }
            if let Some(p) = &a.password {
                r.password = ctx.string(p)?;
            }
            if let Some(d) = &a.driver {
                r.driver = ctx.map(d)?;
            }
        }
    }
    if let Some(p) = &a.properties {
        alias.properties = ctx.map(p)?;
    }
    if a.default_language.is_some() {
        alias.default_language = language(a.default_language);
    }
    ctx.txn.upsert_alias(alias);
    Ok(QueryResult::empty())
}

/// `DROP ALIAS name [IF EXISTS] FOR DATABASE`.
pub fn drop(ctx: &mut Ctx<'_>, d: &DropAlias) -> Result<QueryResult, Neo4jError> {
    let (name, _) = alias_name(ctx, &d.name)?;
    if !ctx.state().aliases.contains_key(&name) {
        if d.if_exists {
            return Ok(QueryResult::empty());
        }
        return Err(Neo4jError::new(
            code::DATABASE_NOT_FOUND,
            format!(
                "Failed to delete the specified database alias '{name}': Database alias does not exist."
            ),
        ));
    }
    ctx.txn.delete_alias(&name);
    Ok(QueryResult::empty())
}

/// The columns of SHOW ALIASES, in Neo4j's order.
pub(crate) const COLUMNS: &[&str] = &[
    "name",
    "composite",
    "database",
    "location",
    "url",
    "user",
    "driver",
    "properties",
];

/// `SHOW ALIAS[ES] [name] FOR DATABASE[S]`.
pub fn show(
    ctx: &Ctx<'_>,
    name: Option<&NameOrParam>,
    clauses: Clauses<'_>,
) -> Result<QueryResult, Neo4jError> {
    let wanted = match name {
        Some(n) => Some(ctx.name(n)?.to_ascii_lowercase()),
        None => None,
    };
    let mut table = Table::new(COLUMNS);
    for a in ctx.state().aliases.values() {
        if wanted.as_ref().is_some_and(|w| *w != a.name) {
            continue;
        }
        let (location, url, user, driver) = match &a.remote {
            None => ("local", Value::Null, Value::Null, Value::Null),
            Some(r) => (
                "remote",
                Value::str(&r.url),
                Value::str(&r.user),
                Value::Map(r.driver.clone()),
            ),
        };
        table.rows.push(vec![
            Value::str(&a.name),
            a.composite.clone().into(),
            Value::str(&a.target),
            Value::str(location),
            url,
            user,
            driver,
            Value::Map(a.properties.clone()),
        ]);
    }
    show::run(
        table,
        &["name", "composite", "database", "location", "url", "user"],
        clauses,
        ctx.params,
    )
}
