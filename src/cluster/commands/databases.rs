//! Database lifecycle commands: CREATE [OR REPLACE] [COMPOSITE] DATABASE, ALTER DATABASE,
//! DROP DATABASE, START / STOP DATABASE, `dbms.recreateDatabase`, and the WAIT result.
//!
//! It owns the database rules of reference §3 (names, limits, options, refusals,
//! notifications). It must not pick hosts: the allocator's `Planner` does.

use crate::cluster::allocator::{Planner, Shortfall};
use crate::cluster::ctx::Ctx;
use crate::cluster::messages;
use crate::cluster::model::{Allocation, DatabaseKind, Mode, ServerState, Status};
use crate::cluster::names;
use crate::dialect::ast::{
    Access, AlterDatabase, CreateCompositeDatabase, CreateDatabase, CypherVersion,
    DatabaseAlteration, DropDatabase, StartStopDatabase, Topology, Wait,
};
use crate::error::{Neo4jError, code};
use crate::result::QueryResult;
use crate::value::Value;
use std::collections::{BTreeMap, HashSet};
use std::ops::Bound;

/// Options CREATE DATABASE accepts (Cypher 5), canonical spelling.
const CREATE_OPTIONS: &[&str] = &[
    "existingData",
    "existingDataSeedServer",
    "existingDataSeedInstance",
    "seedURI",
    "seedConfig",
    "seedCredentials",
    "txLogEnrichment",
    "storeFormat",
    "seedRestoreUntil",
    "seedSourceDatabase",
];

fn language(v: CypherVersion) -> String {
    match v {
        CypherVersion::Cypher5 => "CYPHER 5".into(),
        CypherVersion::Cypher25 => "CYPHER 25".into(),
    }
}

fn not_found(verb: &str, name: &str) -> Neo4jError {
    Neo4jError::new(
        code::DATABASE_NOT_FOUND,
        format!("Failed to {verb} the specified database '{name}': Database does not exist."),
    )
}

/// Checks topology numbers: parse-time rules first (0 primaries, negative secondaries,
/// a SyntaxError), then the ranges 1..11 and 0..20.
fn check_topology(
    command: &str,
    db: &str,
    verb: &str,
    p: i64,
    s: i64,
) -> Result<(u32, u32), Neo4jError> {
    if p < 1 {
        return Err(Neo4jError::new(
            code::SYNTAX_ERROR,
            format!(
                "Failed to {command} with `TOPOLOGY {p} PRIMARIES`, PRIMARY must be greater than 0."
            ),
        ));
    }
    if s < 0 {
        return Err(Neo4jError::new(
            code::SYNTAX_ERROR,
            format!(
                "Failed to {command} with `TOPOLOGY {s} SECONDARIES`, SECONDARY must be a positive value."
            ),
        ));
    }
    if p > 11 {
        return Err(Neo4jError::new(
            code::ARGUMENT_ERROR,
            format!(
                "Failed to {verb} the specified database '{db}': Number of primaries '{p}' may not exceed 11 and needs to be at least 1."
            ),
        ));
    }
    if s > 20 {
        return Err(Neo4jError::new(
            code::ARGUMENT_ERROR,
            format!(
                "Failed to {verb} the specified database '{db}': Number of secondaries '{s}' may not exceed 20 and needs to be at least 0."
            ),
        ));
    }
    Ok((p as u32, s as u32))
}

fn shortfall_reason(p: u32, s: u32, f: &Shortfall) -> String {
    messages::not_enough_servers(p, s, f.primary_capable, f.secondary_capable, f.total)
}

/// Validates CREATE DATABASE options and returns them with canonical key names.
fn create_options(
    ctx: &Ctx<'_>,
    db: &str,
    raw: BTreeMap<String, Value>,
    or_replace: bool,
) -> Result<BTreeMap<String, Value>, Neo4jError> {
    let bad = |m: String| {
        Neo4jError::new(
            code::ARGUMENT_ERROR,
            format!("Failed to create the specified database '{db}': {m}"),
        )
    };
    let mut out = BTreeMap::new();
    for (k, v) in raw {
        let Some(canon) = CREATE_OPTIONS.iter().find(|c| c.eq_ignore_ascii_case(&k)) else {
            return Err(Neo4jError::new(
                code::ARGUMENT_ERROR,
                messages::unknown_option("create", &k, &CREATE_OPTIONS.join(", ")),
            ));
        };
        let text = v.as_str().map(str::to_string);
        let want_str = |t: &Option<String>| {
            t.clone().ok_or_else(|| {
                bad(format!(
                    "The option '{canon}' must be a string, not {}.",
                    v.type_name()
                ))
            })
        };
        match *canon {
            "existingData" => {
                let t = want_str(&text)?;
                if !t.eq_ignore_ascii_case("use") {
                    return Err(bad(format!(
                        "The option 'existingData' only accepts 'use', not '{t}'."
                    )));
                }
            }
            "existingDataSeedServer" | "existingDataSeedInstance" => {
                let t = want_str(&text)?;
                if !ctx.state().servers.contains_key(&t) {
                    return Err(bad(format!("The seed server '{t}' does not exist.")));
                }
                if or_replace {
                    return Err(bad(format!(
                        "The option '{canon}' cannot be used with OR REPLACE."
                    )));
                }
            }
            "seedURI" => {
                let t = want_str(&text)?;
                check_seed_uri(ctx, &t).map_err(|e| bad(e.to_string()))?;
            }
            "txLogEnrichment" => {
                let t = want_str(&text)?.to_ascii_uppercase();
                if !["FULL", "DIFF", "OFF"].contains(&t.as_str()) {
                    return Err(bad(format!(
                        "'{t}' is not a valid value for 'txLogEnrichment'. Expected 'FULL', 'DIFF' or 'OFF'."
                    )));
                }
            }
            "storeFormat" => {
                let t = want_str(&text)?.to_ascii_lowercase();
                if !["aligned", "standard", "high_limit", "block"].contains(&t.as_str()) {
                    return Err(bad(format!(
                        "'{t}' is not a valid value for 'storeFormat'. Expected 'aligned', 'standard', 'high_limit' or 'block'."
                    )));
                }
            }
            _ => {}
        }
        out.insert(canon.to_string(), v);
    }
    if (out.contains_key("existingDataSeedServer") || out.contains_key("existingDataSeedInstance"))
        && !out.contains_key("existingData")
    {
        // Neo4j 5 accepts a designated seeder only with existing data in use.
        return Err(bad(
            "The option 'existingDataSeedServer' requires existingData: 'use'.".into(),
        ));
    }
    Ok(out)
}

/// Why a seed URI is refused; the callers put it in their command's frame.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SeedUriError {
    /// No `scheme://`.
    #[error("The seed URI '{0}' is not a valid URI.")]
    NotAUri(String),
    /// `server://id/...` with an unknown id.
    #[error("The seed URI '{uri}' names server '{id}', which does not exist.")]
    UnknownServer {
        /// The URI.
        uri: String,
        /// The server it names.
        id: String,
    },
    /// `server://id` without a path.
    #[error("The seed URI '{0}' has no path after the server id.")]
    NoPath(String),
}

/// A seed URI: any scheme, and for `server://id/path` (2026.04) a known server id.
pub fn check_seed_uri(ctx: &Ctx<'_>, uri: &str) -> Result<(), SeedUriError> {
    let Some((scheme, rest)) = uri.split_once("://") else {
        return Err(SeedUriError::NotAUri(uri.into()));
    };
    if scheme.eq_ignore_ascii_case("server") {
        let id = rest.split('/').next().unwrap_or("");
        if ctx.state().server_by_name_or_id(id).is_none() {
            return Err(SeedUriError::UnknownServer {
                uri: uri.into(),
                id: id.into(),
            });
        }
        if !rest.contains('/') {
            return Err(SeedUriError::NoPath(uri.into()));
        }
    }
    Ok(())
}

/// `CREATE [OR REPLACE] DATABASE`.
pub fn create(ctx: &mut Ctx<'_>, c: &CreateDatabase) -> Result<QueryResult, Neo4jError> {
    if c.shards.is_some() {
        return Err(messages::unsupported("A sharded database (Cypher 25)"));
    }
    let raw = ctx.name(&c.name)?;
    let name = names::database_name(&raw)?;
    let command = if c.or_replace {
        "CREATE OR REPLACE DATABASE"
    } else {
        "CREATE DATABASE"
    };
    if c.or_replace && c.if_not_exists {
        return Err(Neo4jError::new(
            code::SYNTAX_ERROR,
            format!(
                "Failed to create the specified database '{name}': cannot have both `OR REPLACE` and `IF NOT EXISTS`."
            ),
        ));
    }
    let settings = ctx.state().settings.clone();
    let (p, s) = match &c.topology {
        None => (
            i64::from(settings.default_primaries),
            i64::from(settings.default_secondaries),
        ),
        Some(Topology {
            primaries,
            secondaries,
        }) => (
            match primaries {
                Some(p) => ctx.int(p)?,
                None => i64::from(settings.default_primaries),
            },
            match secondaries {
                Some(s) => ctx.int(s)?,
                None => 0,
            },
        ),
    };
    let (p, s) = check_topology(command, &name, "create", p, s)?;
    let options = match &c.options {
        Some(m) => ctx.map(m)?,
        None => BTreeMap::new(),
    };
    let options = create_options(ctx, &name, options, c.or_replace)?;
    let taken = ctx.state().databases.contains_key(name.as_str())
        || ctx.state().aliases.contains_key(&name)
        || name == "system";
    if !claim_name(ctx, &name, taken, c.if_not_exists, c.or_replace, false)? {
        return Ok(QueryResult::empty());
    }
    let allocations = Planner::new(ctx.state())
        .place(&name, p, s, &HashSet::new())
        .map_err(|f| messages::cannot_create(&name, &shortfall_reason(p, s, &f)))?;
    let mut db = super::servers::new_database(ctx, &name, DatabaseKind::Standard, p, s, options);
    if let Some(l) = c.default_language {
        db.default_language = language(l).into();
    }
    ctx.txn.upsert_database(db);
    let hosts: Vec<String> = allocations.iter().map(|a| a.server.to_string()).collect();
    ctx.txn.set_allocations(&name, allocations);
    ctx.notify_cordoned();
    Ok(wait_result(ctx, c.wait, &hosts))
}

/// What CREATE [OR REPLACE] [COMPOSITE] DATABASE ... [IF NOT EXISTS] does with its name:
/// when it is `taken`, nothing (IF NOT EXISTS: returns `Ok(false)`), drop the old database
/// (OR REPLACE), or Neo4j's error; then the checks every new name passes.
fn claim_name(
    ctx: &mut Ctx<'_>,
    name: &str,
    taken: bool,
    if_not_exists: bool,
    or_replace: bool,
    composite: bool,
) -> Result<bool, Neo4jError> {
    if taken {
        if if_not_exists {
            return Ok(false);
        }
        if !or_replace || !ctx.state().databases.contains_key(name) {
            return Err(Neo4jError::new(
                code::EXISTING_DATABASE_FOUND,
                format!(
                    "Failed to create the specified database '{name}': Database name or alias already exists."
                ),
            ));
        }
        drop_one(ctx, name, "create", composite)?;
    }
    check_ambiguous(ctx, name)?;
    check_limit(ctx, name)?;
    Ok(true)
}

/// A name that a composite constituent (`garden.flowers`) makes ambiguous (GQL 42N87).
/// Looks only at the names that extend this one with a dot and at this name's dotted
/// prefixes, so the cost does not grow with the number of databases.
fn check_ambiguous(ctx: &Ctx<'_>, name: &str) -> Result<(), Neo4jError> {
    let state = ctx.state();
    let prefix = format!("{name}.");
    let extends = |keys: Option<&str>| keys.filter(|k| k.starts_with(&prefix)).map(str::to_string);
    let longer = extends(
        state
            .aliases
            .range(prefix.clone()..)
            .next()
            .map(|(k, _)| k.as_str()),
    )
    .or_else(|| {
        extends(
            state
                .databases
                .range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
                .next()
                .map(|(k, _)| k.as_str()),
        )
    });
    let shorter = name
        .match_indices('.')
        .map(|(i, _)| &name[..i])
        .find(|p| state.aliases.contains_key(*p) || state.databases.contains_key(*p))
        .map(str::to_string);
    match longer.or(shorter) {
        Some(other) => Err(Neo4jError::new(
            code::ARGUMENT_ERROR,
            format!(
                "Cannot create database '{name}' because another database '{other}' exists with an ambiguous name."
            ),
        )),
        None => Ok(()),
    }
}

fn check_limit(ctx: &Ctx<'_>, name: &str) -> Result<(), Neo4jError> {
    // `system` counts toward dbms.max_databases.
    let count = ctx.state().databases.len() as u64 + 1;
    if count >= ctx.state().settings.max_databases {
        return Err(Neo4jError::new(
            "Neo.ClientError.Database.DatabaseLimitReached",
            format!(
                "Failed to create the specified database '{name}': The total limit of databases is already reached. \
                 To create more you need to either drop databases or change the limit via the config setting 'dbms.max_databases'"
            ),
        ));
    }
    Ok(())
}

/// `CREATE [OR REPLACE] COMPOSITE DATABASE`.
pub fn create_composite(
    ctx: &mut Ctx<'_>,
    c: &CreateCompositeDatabase,
) -> Result<QueryResult, Neo4jError> {
    if let crate::dialect::ast::NameOrParam::Name(n) = &c.name
        && n.parts.len() > 1
    {
        let joined = n.joined().to_ascii_lowercase();
        return Err(Neo4jError::new(
            code::SYNTAX_ERROR,
            format!(
                "Failed to create the specified composite database '{joined}': COMPOSITE DATABASE names cannot contain \".\". \
                 COMPOSITE DATABASE names using '.' must be quoted with backticks e.g. `composite.database`."
            ),
        ));
    }
    let name = names::database_name(&ctx.name(&c.name)?)?;
    if c.or_replace && c.if_not_exists {
        return Err(Neo4jError::new(
            code::SYNTAX_ERROR,
            format!(
                "Failed to create the specified composite database '{name}': cannot have both `OR REPLACE` and `IF NOT EXISTS`."
            ),
        ));
    }
    if let Some(m) = &c.options
        && let Some(k) = ctx.map(m)?.keys().next()
    {
        return Err(Neo4jError::new(
            code::ARGUMENT_ERROR,
            messages::unknown_option("create composite", k, "no options"),
        ));
    }
    let taken = ctx.state().databases.contains_key(name.as_str())
        || ctx.state().aliases.contains_key(name.as_str());
    if !claim_name(ctx, &name, taken, c.if_not_exists, c.or_replace, true)? {
        return Ok(QueryResult::empty());
    }
    let mut db =
        super::servers::new_database(ctx, &name, DatabaseKind::Composite, 0, 0, BTreeMap::new());
    if let Some(l) = c.default_language {
        db.default_language = language(l).into();
    }
    ctx.txn.upsert_database(db);
    let hosts = composite_hosts(ctx);
    Ok(wait_result(ctx, c.wait, &hosts))
}

/// Servers that host composite databases (every member that is not free or dropped).
pub fn composite_hosts(ctx: &Ctx<'_>) -> Vec<String> {
    ctx.state()
        .servers
        .values()
        .filter(|s| !matches!(s.state, ServerState::Free | ServerState::Dropped))
        .map(|s| s.id.clone())
        .collect()
}

fn system_refusal(op: &str) -> Neo4jError {
    Neo4jError::new(
        code::ARGUMENT_ERROR,
        format!("It is not possible to perform `{op}` on the system database."),
    )
}

/// `ALTER DATABASE`.
pub fn alter(ctx: &mut Ctx<'_>, a: &AlterDatabase) -> Result<QueryResult, Neo4jError> {
    if a.alterations.iter().any(|x| {
        matches!(
            x,
            DatabaseAlteration::GraphShard(_) | DatabaseAlteration::PropertyShards(_)
        )
    }) {
        return Err(messages::unsupported("A sharded database (Cypher 25)"));
    }
    let name = ctx.name(&a.name)?.to_ascii_lowercase();
    if name == "system" {
        if a.alterations
            .iter()
            .all(|x| matches!(x, DatabaseAlteration::DefaultLanguage(_)))
        {
            return Ok(QueryResult::empty());
        }
        return Err(system_refusal("ALTER DATABASE"));
    }
    let Some(db) = ctx.state().databases.get(name.as_str()).cloned() else {
        if a.if_exists {
            return Ok(QueryResult::empty());
        }
        return Err(not_found("alter", &name));
    };
    if db.kind == DatabaseKind::Composite
        && !a
            .alterations
            .iter()
            .all(|x| matches!(x, DatabaseAlteration::DefaultLanguage(_)))
    {
        return Err(Neo4jError::new(
            code::ARGUMENT_ERROR,
            format!("Composite databases cannot be altered (database: `{name}`)."),
        ));
    }
    let mut hosts: Vec<String> = ctx
        .state()
        .allocations_of(&name)
        .iter()
        .map(|a| a.server.to_string())
        .collect();
    for alteration in &a.alterations {
        match alteration {
            DatabaseAlteration::Access(acc) => {
                let rw = *acc == Access::ReadWrite;
                ctx.txn.update_database(&name, |d| d.read_write = rw);
            }
            DatabaseAlteration::DefaultLanguage(l) => {
                let l = language(*l);
                ctx.txn
                    .update_database(&name, |d| d.default_language = l.into());
            }
            DatabaseAlteration::SetOption(key, value) => {
                let v = ctx.eval(value)?;
                if !key.eq_ignore_ascii_case("txLogEnrichment") {
                    return Err(Neo4jError::new(
                        code::ARGUMENT_ERROR,
                        format!(
                            "Failed to alter the specified database '{name}': Option '{key}' cannot be altered. Only 'txLogEnrichment' can be set."
                        ),
                    ));
                }
                let t = v.as_str().map(str::to_ascii_uppercase).unwrap_or_default();
                if !["FULL", "DIFF", "OFF"].contains(&t.as_str()) {
                    return Err(Neo4jError::new(
                        code::ARGUMENT_ERROR,
                        format!(
                            "Failed to alter the specified database '{name}': '{v}' is not a valid value for 'txLogEnrichment'. Expected 'FULL', 'DIFF' or 'OFF'."
                        ),
                    ));
                }
                ctx.txn.update_database(&name, |d| {
                    d.options.insert("txLogEnrichment".into(), Value::String(t));
                });
            }
            DatabaseAlteration::RemoveOption(key) => {
                if !key.eq_ignore_ascii_case("txLogEnrichment") {
                    return Err(Neo4jError::new(
                        code::ARGUMENT_ERROR,
                        format!(
                            "Failed to alter the specified database '{name}': Option '{key}' cannot be removed. Only 'txLogEnrichment' can be removed."
                        ),
                    ));
                }
                ctx.txn.update_database(&name, |d| {
                    d.options.remove("txLogEnrichment");
                });
            }
            DatabaseAlteration::Topology(t) => {
                hosts = alter_topology(ctx, &name, t)?;
            }
            // Refused above.
            DatabaseAlteration::GraphShard(_) | DatabaseAlteration::PropertyShards(_) => {}
        }
    }
    Ok(wait_result(ctx, a.wait, &hosts))
}

/// ALTER DATABASE SET TOPOLOGY: shrink (cordoned first), then grow. Returns the hosts.
fn alter_topology(ctx: &mut Ctx<'_>, name: &str, t: &Topology) -> Result<Vec<String>, Neo4jError> {
    let db = ctx
        .state()
        .databases
        .get(name)
        .cloned()
        .ok_or_else(|| not_found("alter", name))?;
    // A clause left out keeps its current value (cysh's choice; Neo4j does not say).
    let p = match &t.primaries {
        Some(p) => ctx.int(p)?,
        None => i64::from(db.primaries),
    };
    let s = match &t.secondaries {
        Some(s) => ctx.int(s)?,
        None => i64::from(db.secondaries),
    };
    let (p, s) = check_topology("ALTER DATABASE", name, "alter", p, s)?;
    let current = ctx.state().allocations_of(name).to_vec();
    let cur_p = current.iter().filter(|a| a.mode == Mode::Primary).count() as u32;
    let cur_s = current.len() as u32 - cur_p;
    if p == db.primaries && s == db.secondaries && p == cur_p && s == cur_s {
        ctx.notify(
            "Neo.ClientNotification.Cluster.RequestedTopologyMatchedCurrentTopology",
            "`ALTER DATABASE` has no effect.",
            "The requested topology matched the current topology. No allocations were changed."
                .into(),
            "INFORMATION",
        );
        return Ok(current.into_iter().map(|a| a.server.to_string()).collect());
    }
    if p == 1 && cur_p > 1 {
        return Err(messages::cannot_alter(name, messages::NO_SINGLE_PRIMARY));
    }
    let mut planner = Planner::new(ctx.state());
    let mut allocs = current.clone();
    for (mode, want, have) in [(Mode::Primary, p, cur_p), (Mode::Secondary, s, cur_s)] {
        if have > want {
            let gone: HashSet<String> = planner
                .pick_removals(name, mode, (have - want) as usize)
                .into_iter()
                .collect();
            allocs.retain(|a| !(a.mode == mode && gone.contains(&*a.server)));
        }
    }
    planner.set(name, allocs.clone());
    let add_p = p.saturating_sub(cur_p);
    let add_s = s.saturating_sub(cur_s);
    let added = planner
        .place(name, add_p, add_s, &HashSet::new())
        .map_err(|f| messages::cannot_alter(name, &shortfall_reason(p, s, &f)))?;
    allocs.extend(added);
    let hosts = allocs.iter().map(|a| a.server.to_string()).collect();
    ctx.txn.set_allocations(name, allocs);
    ctx.txn.update_database(name, |d| {
        d.primaries = p;
        d.secondaries = s;
    });
    ctx.notify_cordoned();
    Ok(hosts)
}

/// Drops one database (and its constituents when composite, and its local aliases when
/// `cascade`); refusals as DROP DATABASE.
fn drop_one(
    ctx: &mut Ctx<'_>,
    name: &str,
    verb: &str,
    cascade: bool,
) -> Result<Vec<String>, Neo4jError> {
    let aliases = ctx.state().local_aliases_of(name);
    if !aliases.is_empty() && !cascade {
        return Err(Neo4jError::new(
            "Neo.ClientError.Statement.ArgumentError",
            format!(
                "Failed to {verb} the specified database '{name}': Database has one or more aliases. Drop the aliases: [{}] before dropping the database.",
                aliases.join(", ")
            ),
        ));
    }
    for a in aliases {
        ctx.txn.delete_alias(&a);
    }
    let constituents: Vec<String> = ctx
        .state()
        .aliases
        .values()
        .filter(|a| a.composite.as_deref() == Some(name))
        .map(|a| a.name.clone())
        .collect();
    for a in constituents {
        ctx.txn.delete_alias(&a);
    }
    let kind = ctx.state().databases.get(name).map(|d| d.kind);
    let hosts: Vec<String> = if kind == Some(DatabaseKind::Composite) {
        composite_hosts(ctx)
    } else {
        ctx.state()
            .allocations_of(name)
            .iter()
            .map(|a| a.server.to_string())
            .collect()
    };
    ctx.txn.delete_database(name);
    Ok(hosts)
}

/// `DROP [COMPOSITE] DATABASE`.
pub fn drop(ctx: &mut Ctx<'_>, d: &DropDatabase) -> Result<QueryResult, Neo4jError> {
    let name = ctx.name(&d.name)?.to_ascii_lowercase();
    if name == "system" {
        return Err(Neo4jError::new(
            "Neo.ClientError.Statement.NotSystemDatabaseError",
            "Not allowed to delete system database.",
        ));
    }
    let Some(db) = ctx.state().databases.get(name.as_str()).cloned() else {
        if ctx.state().aliases.contains_key(&name) {
            return Err(Neo4jError::new(
                code::EXISTING_ALIAS_FOUND,
                format!(
                    "Failed to delete the specified database '{name}': Database name refers to an alias. Use DROP ALIAS instead."
                ),
            ));
        }
        if d.if_exists {
            return Ok(QueryResult::empty());
        }
        return Err(not_found("delete", &name));
    };
    if d.composite && db.kind != DatabaseKind::Composite {
        return Err(Neo4jError::new(
            code::ARGUMENT_ERROR,
            format!(
                "Failed to delete the specified composite database '{name}': Database is not a composite database."
            ),
        ));
    }
    let hosts = drop_one(ctx, &name, "delete", d.cascade_aliases)?;
    Ok(wait_result(ctx, d.wait, &hosts))
}

/// `START DATABASE` (`start`) / `STOP DATABASE`.
pub fn start_stop(
    ctx: &mut Ctx<'_>,
    s: &StartStopDatabase,
    start: bool,
) -> Result<QueryResult, Neo4jError> {
    let name = ctx.name(&s.name)?.to_ascii_lowercase();
    let verb = if start { "start" } else { "stop" };
    if name == "system" {
        if start {
            return Ok(QueryResult::empty());
        }
        return Err(Neo4jError::new(
            code::ARGUMENT_ERROR,
            "Not allowed to stop system database.",
        ));
    }
    let Some(db) = ctx.state().databases.get(name.as_str()).cloned() else {
        return Err(not_found(verb, &name));
    };
    let want = if start {
        Status::Online
    } else {
        Status::Offline
    };
    if db.requested_status != want {
        let now = ctx.env.now();
        ctx.txn.update_database(&name, |d| {
            d.requested_status = want;
            if start {
                d.last_start_time = Some(now.into());
            } else {
                d.last_stop_time = Some(now.into());
            }
        });
    }
    let hosts: Vec<String> = if db.kind == DatabaseKind::Composite {
        composite_hosts(ctx)
    } else {
        ctx.state()
            .allocations_of(&name)
            .iter()
            .map(|a| a.server.to_string())
            .collect()
    };
    Ok(wait_result(ctx, s.wait, &hosts))
}

/// The WAIT result (Cypher 5): one row per server involved, by address: `address`,
/// `state`, `message`, `success` (the same aggregate on every row). The model has no
/// asynchronous catch-up, so an available server has always `CaughtUp`. NOWAIT: nothing.
pub fn wait_result(ctx: &Ctx<'_>, wait: Wait, hosts: &[String]) -> QueryResult {
    if wait == Wait::NoWait {
        return QueryResult::empty();
    }
    let mut servers: Vec<_> = hosts
        .iter()
        .filter_map(|h| ctx.state().servers.get(h))
        .collect();
    servers.sort_by(|a, b| a.address.cmp(&b.address));
    servers.dedup_by(|a, b| a.id == b.id);
    let success = servers.iter().all(|s| s.available);
    let rows = servers
        .iter()
        .map(|s| {
            let (state, message) = if s.available {
                ("CaughtUp", "caught up")
            } else {
                ("Unavailable", "server is unavailable")
            };
            vec![
                Value::str(&s.address),
                Value::str(state),
                Value::str(message),
                Value::Bool(success),
            ]
        })
        .collect();
    QueryResult::new(
        ["address", "state", "message", "success"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        rows,
    )
}

/// `dbms.recreateDatabase(database, options)`: new allocations on enabled servers (the
/// seeding servers first), optionally a new topology; keeps everything else.
pub fn recreate(
    ctx: &mut Ctx<'_>,
    proc_name: &str,
    database: &str,
    options: &BTreeMap<String, Value>,
) -> Result<(), Neo4jError> {
    let name = database.to_ascii_lowercase();
    let fail = |m: String| {
        Neo4jError::new(
            code::PROCEDURE_CALL_FAILED,
            format!(
                "Failed to invoke procedure `{proc_name}`: Caused by: Cannot recreate database `{name}`. {m}"
            ),
        )
    };
    if name == "system" {
        return Err(fail("The system database cannot be recreated.".into()));
    }
    let db = ctx
        .state()
        .databases
        .get(name.as_str())
        .cloned()
        .ok_or_else(|| fail("Database does not exist.".into()))?;
    if db.kind == DatabaseKind::Composite {
        return Err(fail("Composite databases cannot be recreated.".into()));
    }
    let known = [
        "seedURI",
        "seedingServers",
        "clearData",
        "storeFormat",
        "primaries",
        "secondaries",
    ];
    let mut seed_uri = None;
    let mut seeders: Option<Vec<String>> = None;
    let mut clear = false;
    let (mut p, mut s) = (None, None);
    for (k, v) in options {
        let Some(canon) = known.iter().find(|c| c.eq_ignore_ascii_case(k)) else {
            return Err(fail(format!(
                "Unrecognised option '{k}'. Expected one of {}.",
                known.join(", ")
            )));
        };
        match *canon {
            "seedURI" => {
                let uri = v
                    .as_str()
                    .ok_or_else(|| fail("'seedURI' must be a string.".into()))?;
                check_seed_uri(ctx, uri).map_err(|e| fail(e.to_string()))?;
                seed_uri = Some(uri.to_string());
            }
            "seedingServers" => {
                let Value::List(items) = v else {
                    return Err(fail(
                        "'seedingServers' must be a list of server ids.".into(),
                    ));
                };
                let mut ids = Vec::new();
                for i in items {
                    let key = i.as_str().ok_or_else(|| {
                        fail("'seedingServers' must be a list of server ids.".into())
                    })?;
                    let server = ctx
                        .state()
                        .server_by_name_or_id(key)
                        .ok_or_else(|| fail(messages::server_not_found(key)))?;
                    ids.push(server.id.clone());
                }
                seeders = Some(ids);
            }
            "clearData" => {
                clear = v
                    .as_bool()
                    .ok_or_else(|| fail("'clearData' must be a boolean.".into()))?
            }
            "storeFormat" => {}
            "primaries" => {
                p = Some(
                    v.as_int()
                        .ok_or_else(|| fail("'primaries' must be an integer.".into()))?,
                )
            }
            "secondaries" => {
                s = Some(
                    v.as_int()
                        .ok_or_else(|| fail("'secondaries' must be an integer.".into()))?,
                )
            }
            _ => {}
        }
    }
    if seed_uri.is_none() && seeders.is_none() && !clear {
        return Err(fail(
            "One of the options 'seedURI', 'seedingServers' or 'clearData' is required.".into(),
        ));
    }
    if seed_uri.is_some() && seeders.as_ref().is_some_and(|v| !v.is_empty()) {
        return Err(fail(
            "The options 'seedURI' and a non-empty 'seedingServers' cannot be used together."
                .into(),
        ));
    }
    if s.is_some() && p.is_none() {
        return Err(fail(
            "The option 'secondaries' requires 'primaries'.".into(),
        ));
    }
    let p = p.unwrap_or(i64::from(db.primaries));
    let s = s.unwrap_or(
        if options.keys().any(|k| k.eq_ignore_ascii_case("primaries")) {
            0
        } else {
            i64::from(db.secondaries)
        },
    );
    let (p, s) =
        check_topology("CREATE DATABASE", &name, "recreate", p, s).map_err(|e| fail(e.message))?;
    let seeders = seeders.unwrap_or_default();
    if seeders.len() > (p + s) as usize {
        return Err(fail(format!(
            "The number of seeding servers ({}) exceeds the number of allocations ({}).",
            seeders.len(),
            p + s
        )));
    }
    // Plan from scratch: forget the old copies, place the seeders' copies first.
    let mut planner = Planner::new(ctx.state());
    planner.set(&name, Vec::new());
    let mut allocs: Vec<Allocation> = Vec::new();
    let (mut left_p, mut left_s) = (p, s);
    for id in &seeders {
        let mode = if left_p > 0 {
            Mode::Primary
        } else {
            Mode::Secondary
        };
        if !planner.eligible(id, &name, mode, &HashSet::new()) {
            return Err(fail(format!(
                "The seeding server '{id}' cannot host the database in {} mode.",
                mode.as_str()
            )));
        }
        if mode == Mode::Primary {
            left_p -= 1;
        } else {
            left_s -= 1;
        }
        allocs.push(Allocation {
            server: id.as_str().into(),
            mode,
        });
        planner.set(&name, allocs.clone());
    }
    let more = planner
        .place(&name, left_p, left_s, &HashSet::new())
        .map_err(|f| fail(shortfall_reason(p, s, &f)))?;
    allocs.extend(more);
    let now = ctx.env.now();
    ctx.txn.set_allocations(&name, allocs);
    ctx.txn.update_database(&name, |d| {
        d.primaries = p;
        d.secondaries = s;
        d.requested_status = Status::Online;
        d.last_start_time = Some(now.into());
        if let Some(uri) = seed_uri {
            d.options.insert("seedURI".into(), Value::String(uri));
        }
    });
    Ok(())
}
