//! Server commands and the server simulation controls: `sim.addServer` (with the
//! first-start bootstrap of `system` and the best-effort default database),
//! `sim.stopServer`, `sim.startServer`, ENABLE / ALTER / RENAME / DROP SERVER, cordon and
//! uncordon, and automatic enabling of free servers.
//!
//! It owns the server state machine (reference §1.1). It must not pick hosts itself: moves
//! forced by ALTER SERVER go through the allocator's `Planner`.

use crate::cluster::allocator::Planner;
use crate::cluster::ctx::Ctx;
use crate::cluster::messages;
use crate::cluster::model::{
    Database, DatabaseDetails, DatabaseKind, Mode, ModeConstraint, Server, ServerOptions,
    ServerState, Status,
};
use crate::cluster::names::{self, PatternError};
use crate::dialect::ast::{AlterServer, EnableServer, RenameServer, StringOrParam};
use crate::error::{Neo4jError, code};
use crate::result::QueryResult;
use crate::value::Value;
use std::collections::{BTreeMap, HashSet};

/// Finds a server by name or id, or fails with `verb`'s frame.
pub fn find(ctx: &Ctx<'_>, key: &str, verb: &str) -> Result<Server, Neo4jError> {
    ctx.state()
        .server_by_name_or_id(key)
        .cloned()
        .ok_or_else(|| messages::cannot_server(verb, key, &messages::server_not_found(key)))
}

/// Why server options are refused; the callers put it in their command's frame.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OptionsError {
    /// A list option given something else.
    #[error("'{key}' expects a list of strings but got {got}")]
    NotAList {
        /// The option.
        key: String,
        /// The type given, as Neo4j names it.
        got: &'static str,
    },
    /// Not a mode constraint.
    #[error(
        "'{0}' is not a valid value for 'modeConstraint'. Expected 'PRIMARY', 'SECONDARY' or 'NONE'."
    )]
    ModeConstraint(Value),
    /// A database name pattern Neo4j refuses.
    #[error(transparent)]
    Pattern(#[from] PatternError),
    /// A tag with a comma in it.
    #[error("The tag '{0}' contains a comma, which is not allowed.")]
    TagWithComma(String),
    /// The same tag twice.
    #[error("The tag '{0}' is given more than once.")]
    DuplicateTag(String),
    /// Not a server option.
    #[error(
        "Unrecognised option '{0}'. Expected one of 'modeConstraint', 'allowedDatabases', 'deniedDatabases', 'tags'."
    )]
    Unknown(String),
    /// Both allowed and denied databases.
    #[error("Allowed and denied database options are mutually exclusive.")]
    AllowedAndDenied,
}

fn list_of_strings(key: &str, v: &Value) -> Result<Vec<String>, OptionsError> {
    let not_a_list = |got: &Value| OptionsError::NotAList {
        key: key.into(),
        got: got.type_name(),
    };
    match v {
        Value::List(items) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => Ok(s.clone()),
                other => Err(not_a_list(other)),
            })
            .collect(),
        Value::String(s) => Ok(s
            .split(',')
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect()),
        other => Err(not_a_list(other)),
    }
}

/// Parses ENABLE/ALTER SERVER options (or `sim.addServer`'s server options) over `base`.
/// Returns the options and the keys that were not server options.
pub fn parse_options(
    map: &BTreeMap<String, Value>,
    base: ServerOptions,
    extra_ok: &[&str],
) -> Result<ServerOptions, OptionsError> {
    let mut o = base;
    for (k, v) in map {
        match k.as_str() {
            "modeConstraint" => {
                o.mode_constraint = v
                    .as_str()
                    .and_then(ModeConstraint::parse)
                    .ok_or_else(|| OptionsError::ModeConstraint(v.clone()))?;
            }
            "allowedDatabases" | "deniedDatabases" => {
                let list = list_of_strings(k, v)?
                    .iter()
                    .map(|n| names::database_pattern(n))
                    .collect::<Result<Vec<_>, _>>()?;
                if k == "allowedDatabases" {
                    o.allowed_databases = list;
                } else {
                    o.denied_databases = list;
                }
            }
            "tags" => {
                let tags = list_of_strings(k, v)?;
                let mut seen = HashSet::new();
                for t in &tags {
                    if t.contains(',') {
                        return Err(OptionsError::TagWithComma(t.clone()));
                    }
                    if !seen.insert(t) {
                        return Err(OptionsError::DuplicateTag(t.clone()));
                    }
                }
                o.tags = tags;
            }
            other if extra_ok.contains(&other) => {}
            other => {
                return Err(OptionsError::Unknown(other.into()));
            }
        }
    }
    if !o.allowed_databases.is_empty() && !o.denied_databases.is_empty() {
        return Err(OptionsError::AllowedAndDenied);
    }
    Ok(o)
}

/// `CALL sim.addServer([options])`: a server process joins. Before bootstrap it counts
/// toward `dbms.cluster.minimum_initial_system_primaries_count`; afterwards it is `Free`
/// unless free servers are enabled automatically or it belongs to the first deployment
/// (`first_deployment`: the `--servers N` of a new cluster, which start together and are
/// all enabled, as Neo4j enables the members of the very first deployment).
pub fn add_server(
    ctx: &mut Ctx<'_>,
    options: &BTreeMap<String, Value>,
    first_deployment: bool,
) -> Result<Server, Neo4jError> {
    let fail = |m: String| {
        Neo4jError::new(
            code::PROCEDURE_CALL_FAILED,
            format!("Failed to invoke procedure `sim.addServer`: {m}"),
        )
    };
    let settings = ctx.state().settings.clone();
    let initial = parse_options(
        options,
        settings.server_defaults.clone(),
        &["serverId", "address", "systemDatabaseMode"],
    )
    .map_err(|e| fail(e.to_string()))?;
    let id = match options.get("serverId") {
        None | Some(Value::Null) => ctx.env.new_id(),
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(other) => {
            return Err(fail(format!(
                "'serverId' must be a non-empty string, not {other}"
            )));
        }
    };
    if ctx.state().servers.contains_key(&id) || ctx.state().servers.values().any(|s| s.name == id) {
        return Err(fail(format!("a server with id '{id}' already exists.")));
    }
    let joined = ctx
        .state()
        .servers
        .values()
        .map(|s| s.joined + 1)
        .max()
        .unwrap_or(0);
    let address = match options.get("address") {
        None | Some(Value::Null) => {
            let mut port = 7687 + joined;
            while ctx
                .state()
                .servers
                .values()
                .any(|s| s.address == format!("localhost:{port}"))
            {
                port += 1;
            }
            format!("localhost:{port}")
        }
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(other) => {
            return Err(fail(format!(
                "'address' must be a non-empty string, not {other}"
            )));
        }
    };
    if ctx.state().servers.values().any(|s| s.address == address) {
        return Err(fail(format!(
            "the address '{address}' is already in use by another server."
        )));
    }
    let system_mode = match options.get("systemDatabaseMode") {
        None | Some(Value::Null) => settings.system_mode,
        Some(v) => match v.as_str().map(str::to_ascii_uppercase).as_deref() {
            Some("PRIMARY") => Mode::Primary,
            Some("SECONDARY") => Mode::Secondary,
            _ => {
                return Err(fail(format!(
                    "'{v}' is not a valid value for 'systemDatabaseMode'. Expected 'PRIMARY' or 'SECONDARY'."
                )));
            }
        },
    };
    let state = if !settings.bootstrapped || settings.auto_enable_free_servers || first_deployment {
        ServerState::Enabled
    } else {
        ServerState::Free
    };
    let server = Server {
        name: id.clone(),
        id,
        address,
        state,
        available: true,
        options: initial.clone(),
        initial,
        system_mode,
        joined,
    };
    ctx.txn.upsert_server(server.clone());
    if !settings.bootstrapped {
        let primaries = ctx
            .state()
            .servers
            .values()
            .filter(|s| s.system_mode == Mode::Primary)
            .count();
        if primaries as u64 >= u64::from(settings.min_initial_system_primaries) {
            bootstrap(ctx);
        }
    }
    Ok(server)
}

/// The first start: `system` bootstraps and the default database is created best effort
/// (seed "Default database in a cluster"): the default counts are maximums, denied
/// servers and mode constraints are obeyed, primaries first, then secondaries from the
/// rest; zero possible primaries means a warning and no retry.
fn bootstrap(ctx: &mut Ctx<'_>) {
    ctx.txn.update_settings(|s| s.bootstrapped = true);
    let settings = ctx.state().settings.clone();
    let name = settings.default_database.clone();
    let allocations = Planner::new(ctx.state()).place_best_effort(
        &name,
        settings.default_primaries,
        settings.default_secondaries,
    );
    if allocations.is_empty() {
        let description = messages::default_db_not_created(&name);
        ctx.notify(
            "Neo.ClientNotification.Cluster.DefaultDatabaseNotCreated",
            "The default database was not created.",
            description,
            "WARNING",
        );
        return;
    }
    let primaries = allocations
        .iter()
        .filter(|a| a.mode == Mode::Primary)
        .count() as u32;
    let secondaries = allocations.len() as u32 - primaries;
    let db = new_database(
        ctx,
        &name,
        DatabaseKind::Standard,
        primaries,
        secondaries,
        BTreeMap::new(),
    );
    ctx.txn.upsert_database(db);
    ctx.txn.set_allocations(&name, allocations);
}

/// A new database record, online, with times and id from the environment.
pub fn new_database(
    ctx: &mut Ctx<'_>,
    name: &str,
    kind: DatabaseKind,
    primaries: u32,
    secondaries: u32,
    options: BTreeMap<String, Value>,
) -> Database {
    let now = ctx.env.now();
    let id = ctx.env.new_id().replace('-', "").to_ascii_uppercase();
    Database {
        name: name.into(),
        kind,
        read_write: true,
        requested_status: Status::Online,
        primaries,
        secondaries,
        details: Box::new(DatabaseDetails {
            options,
            default_language: "CYPHER 5".into(),
            database_id: format!("{id}{id}"),
            creation_time: now.as_str().into(),
            last_start_time: Some(now.into()),
            last_stop_time: None,
        }),
    }
}

/// `sim.stopServer` / `sim.startServer`: the process stops or starts. A stopped `Dropped`
/// server disappears.
pub fn set_running(ctx: &mut Ctx<'_>, key: &str, running: bool) -> Result<(), Neo4jError> {
    let proc_name = if running {
        "sim.startServer"
    } else {
        "sim.stopServer"
    };
    let server = ctx
        .state()
        .server_by_name_or_id(key)
        .cloned()
        .ok_or_else(|| {
            Neo4jError::new(
                code::PROCEDURE_CALL_FAILED,
                format!(
                    "Failed to invoke procedure `{proc_name}`: {}",
                    messages::server_not_found(key)
                ),
            )
        })?;
    if !running && server.state == ServerState::Dropped {
        ctx.txn.delete_server(&server.id);
        return Ok(());
    }
    if server.available != running {
        ctx.txn.update_server(&server.id, |s| s.available = running);
    }
    Ok(())
}

/// `ENABLE SERVER 'id' [OPTIONS {..}]`: a free server's OPTIONS override its
/// `initial.server.*` values (the ones not given keep them); a cordoned server is
/// uncordoned (with OPTIONS, they replace its options as ALTER SERVER does).
pub fn enable(ctx: &mut Ctx<'_>, e: &EnableServer) -> Result<QueryResult, Neo4jError> {
    let key = ctx.string(&e.server)?;
    let server = ctx
        .state()
        .servers
        .get(&key)
        .cloned()
        .or_else(|| ctx.state().server_by_name_or_id(&key).cloned())
        .ok_or_else(|| {
            messages::cannot_server("enable", &key, &messages::server_not_found(&key))
        })?;
    let options = match &e.options {
        Some(m) => Some(ctx.map(m)?),
        None => None,
    };
    match server.state {
        ServerState::Free => {
            let opts = match &options {
                Some(m) => parse_options(m, server.initial.clone(), &[])
                    .map_err(|e| messages::cannot_server("enable", &key, &e.to_string()))?,
                None => server.initial.clone(),
            };
            ctx.txn.update_server(&server.id, |s| {
                s.state = ServerState::Enabled;
                s.options = opts;
            });
        }
        ServerState::Cordoned => {
            ctx.txn
                .update_server(&server.id, |s| s.state = ServerState::Enabled);
            if let Some(m) = &options {
                let opts = parse_options(m, ServerOptions::default(), &[])
                    .map_err(|e| messages::cannot_server("enable", &key, &e.to_string()))?;
                apply_options(ctx, &server.id, opts, "enable", &key)?;
            }
        }
        ServerState::Enabled => {
            ctx.notify(
                "Neo.ClientNotification.Cluster.ServerAlreadyEnabled",
                "`ENABLE SERVER` has no effect.",
                format!(
                    "Server `{}` is already enabled. Verify that this is the intended server.",
                    server.name
                ),
                "INFORMATION",
            );
        }
        other => {
            return Err(messages::cannot_server(
                "enable",
                &key,
                &format!(
                    "The server is {}; only Free or Cordoned servers can be enabled.",
                    other.as_str()
                ),
            ));
        }
    }
    Ok(QueryResult::empty())
}

/// Sets a server's options, moving copies that the new options forbid. All or nothing.
fn apply_options(
    ctx: &mut Ctx<'_>,
    id: &str,
    opts: ServerOptions,
    verb: &str,
    key: &str,
) -> Result<(), Neo4jError> {
    ctx.txn.update_server(id, |s| s.options = opts.clone());
    let mut planner = Planner::new(ctx.state());
    let exclude: HashSet<String> = [id.to_string()].into();
    // From the hosted index: the server's own copies, in database-name order.
    let hosted: Vec<(String, Mode)> = ctx
        .state()
        .hosted_by(id)
        .map(|h| {
            h.databases
                .iter()
                .map(|(db, m)| (db.to_string(), *m))
                .collect()
        })
        .unwrap_or_default();
    for (db, mode) in hosted {
        if opts.mode_constraint.allows(mode) && opts.permits(&db) {
            continue;
        }
        planner.move_off(&db, id, &exclude).map_err(|_| {
            messages::cannot_server(
                verb,
                key,
                &format!("The new options would leave database '{db}' without enough eligible servers for its topology."),
            )
        })?;
    }
    let changed = planner.changed();
    for (db, allocs) in changed {
        ctx.txn.set_allocations(&db, allocs);
    }
    Ok(())
}

/// `ALTER SERVER 'name' SET OPTIONS {..}`: replaces all options.
pub fn alter(ctx: &mut Ctx<'_>, a: &AlterServer) -> Result<QueryResult, Neo4jError> {
    let key = ctx.string(&a.server)?;
    let server = find(ctx, &key, "alter")?;
    if server.state == ServerState::Dropped {
        return Err(messages::cannot_server(
            "alter",
            &key,
            "The server is Dropped.",
        ));
    }
    let map = ctx.map(&a.options)?;
    let opts = parse_options(&map, ServerOptions::default(), &[])
        .map_err(|e| messages::cannot_server("alter", &key, &e.to_string()))?;
    apply_options(ctx, &server.id, opts, "alter", &key)?;
    Ok(QueryResult::empty())
}

/// `RENAME SERVER 'a' TO 'b'`.
pub fn rename(ctx: &mut Ctx<'_>, r: &RenameServer) -> Result<QueryResult, Neo4jError> {
    let key = ctx.string(&r.server)?;
    let new_name = ctx.string(&r.new_name)?;
    let server = find(ctx, &key, "rename")?;
    if server.state != ServerState::Enabled {
        return Err(messages::cannot_server(
            "rename",
            &key,
            &format!(
                "The server is {}; only enabled servers can be renamed.",
                server.state.as_str()
            ),
        ));
    }
    if new_name.is_empty() {
        return Err(messages::cannot_server(
            "rename",
            &key,
            "The new name is empty.",
        ));
    }
    if ctx
        .state()
        .servers
        .values()
        .any(|s| s.id != server.id && (s.name == new_name || s.id == new_name))
    {
        return Err(messages::cannot_server(
            "rename",
            &key,
            &format!("A server named '{new_name}' already exists."),
        ));
    }
    ctx.txn.update_server(&server.id, |s| s.name = new_name);
    Ok(QueryResult::empty())
}

/// `DROP SERVER 'name'`: only a `Deallocated` server; it disappears at once when its
/// process is not running.
pub fn drop(ctx: &mut Ctx<'_>, s: &StringOrParam) -> Result<QueryResult, Neo4jError> {
    let key = ctx.string(s)?;
    let server = find(ctx, &key, "drop")?;
    if server.state != ServerState::Deallocated || ctx.state().load_of(&server.id) > 0 {
        return Err(messages::cannot_server(
            "drop",
            &key,
            &format!(
                "The server is {}; only Deallocated servers that host nothing but system can be dropped.",
                server.state.as_str()
            ),
        ));
    }
    if server.available {
        ctx.txn
            .update_server(&server.id, |s| s.state = ServerState::Dropped);
    } else {
        ctx.txn.delete_server(&server.id);
    }
    Ok(QueryResult::empty())
}

/// `dbms.cluster.cordonServer`.
pub fn cordon(ctx: &mut Ctx<'_>, key: &str) -> Result<(), Neo4jError> {
    let server = find(ctx, key, "cordon")?;
    match server.state {
        ServerState::Enabled => ctx
            .txn
            .update_server(&server.id, |s| s.state = ServerState::Cordoned),
        ServerState::Cordoned => ctx.notify(
            "Neo.ClientNotification.Cluster.ServerAlreadyCordoned",
            "`dbms.cluster.cordonServer` has no effect.",
            format!(
                "Server `{}` is already cordoned. Verify that this is the intended server.",
                server.name
            ),
            "INFORMATION",
        ),
        other => {
            return Err(messages::cannot_server(
                "cordon",
                key,
                &format!(
                    "The server is {}; only enabled servers can be cordoned.",
                    other.as_str()
                ),
            ));
        }
    }
    Ok(())
}

/// `dbms.cluster.uncordonServer` (deprecated; ENABLE SERVER does the same).
pub fn uncordon(ctx: &mut Ctx<'_>, key: &str) -> Result<(), Neo4jError> {
    let server = find(ctx, key, "uncordon")?;
    match server.state {
        ServerState::Cordoned => ctx
            .txn
            .update_server(&server.id, |s| s.state = ServerState::Enabled),
        ServerState::Enabled => {}
        other => {
            return Err(messages::cannot_server(
                "uncordon",
                key,
                &format!(
                    "The server is {}; only cordoned servers can be uncordoned.",
                    other.as_str()
                ),
            ));
        }
    }
    Ok(())
}

/// `dbms.cluster.setAutomaticallyEnableFreeServers`: cysh also enables the servers that
/// are `Free` now (cysh's choice: Neo4j's reconciler does so shortly after).
pub fn set_auto_enable(ctx: &mut Ctx<'_>, on: bool) {
    ctx.txn.update_settings(|s| s.auto_enable_free_servers = on);
    if on {
        let free: Vec<String> = ctx
            .state()
            .servers
            .values()
            .filter(|s| s.state == ServerState::Free)
            .map(|s| s.id.clone())
            .collect();
        for id in free {
            ctx.txn
                .update_server(&id, |s| s.state = ServerState::Enabled);
        }
    }
}
