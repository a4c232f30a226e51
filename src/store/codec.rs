//! Rows to model types and back: servers, databases, allocations, aliases, settings, and
//! the privilege columns (access, scope).
//!
//! It owns the column encoding: enums as the words SHOW prints (`Enabled`, `primary`,
//! `NONE`), lists and maps as JSON text (maps in the value's tagged JSON form: plain JSON,
//! with `{"$type": "Date", "_value": ".."}` for the values plain JSON cannot carry back —
//! temporal values, durations, points, bytes, NaN — so every value round-trips; maps
//! written before the tagged form read unchanged). It must not run SQL.

use crate::cluster::model::{
    Allocation, Database, DatabaseKind, Grant, Mode, ModeConstraint, RemoteTarget, Server,
    ServerId, ServerOptions, ServerState, Settings, Status, Target,
};
use crate::cluster::store::StoreError;
use crate::dialect::privilege::Action;
use crate::value::Value;
use std::collections::BTreeMap;

fn bad(what: &str, value: &str) -> StoreError {
    StoreError(format!("unreadable {what} {value:?} in the data file"))
}

pub fn state_str(s: ServerState) -> &'static str {
    s.as_str()
}

pub fn parse_state(s: &str) -> Result<ServerState, StoreError> {
    Ok(match s {
        "Free" => ServerState::Free,
        "Enabled" => ServerState::Enabled,
        "Cordoned" => ServerState::Cordoned,
        "Deallocating" => ServerState::Deallocating,
        "Deallocated" => ServerState::Deallocated,
        "Dropped" => ServerState::Dropped,
        other => return Err(bad("server state", other)),
    })
}

pub fn parse_mode(s: &str) -> Result<Mode, StoreError> {
    match s {
        "primary" => Ok(Mode::Primary),
        "secondary" => Ok(Mode::Secondary),
        other => Err(bad("mode", other)),
    }
}

pub fn parse_constraint(s: &str) -> Result<ModeConstraint, StoreError> {
    ModeConstraint::parse(s).ok_or_else(|| bad("mode constraint", s))
}

pub fn parse_kind(s: &str) -> Result<DatabaseKind, StoreError> {
    match s {
        "standard" => Ok(DatabaseKind::Standard),
        "system" => Ok(DatabaseKind::System),
        "composite" => Ok(DatabaseKind::Composite),
        other => Err(bad("database type", other)),
    }
}

pub fn parse_status(s: &str) -> Result<Status, StoreError> {
    match s {
        "online" => Ok(Status::Online),
        "offline" => Ok(Status::Offline),
        other => Err(bad("status", other)),
    }
}

/// A list of strings as a JSON array.
pub fn list_json(items: &[String]) -> String {
    serde_json::Value::Array(
        items
            .iter()
            .map(|s| serde_json::Value::String(s.clone()))
            .collect(),
    )
    .to_string()
}

pub fn parse_list(text: &str) -> Result<Vec<String>, StoreError> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Array(items)) => items
            .into_iter()
            .map(|v| {
                v.as_str()
                    .map(String::from)
                    .ok_or_else(|| bad("list", text))
            })
            .collect(),
        _ => Err(bad("list", text)),
    }
}

/// A map of values as a JSON object.
pub fn map_json(map: &BTreeMap<String, Value>) -> String {
    serde_json::Value::Object(
        map.iter()
            .map(|(k, v)| (k.clone(), v.to_tagged_json()))
            .collect(),
    )
    .to_string()
}

pub fn parse_map(text: &str) -> Result<BTreeMap<String, Value>, StoreError> {
    // Most databases have no options: no JSON parse for them when a store opens.
    if text == "{}" {
        return Ok(BTreeMap::new());
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(m)) => m
            .into_iter()
            .map(|(k, v)| Ok((k, Value::from_tagged_json(v).map_err(|_| bad("map", text))?)))
            .collect(),
        _ => Err(bad("map", text)),
    }
}

/// Server options as a JSON object with Neo4j's option names.
pub fn options_json(o: &ServerOptions) -> String {
    serde_json::json!({
        "modeConstraint": o.mode_constraint.as_str(),
        "allowedDatabases": o.allowed_databases,
        "deniedDatabases": o.denied_databases,
        "tags": o.tags,
    })
    .to_string()
}

pub fn parse_options(text: &str) -> Result<ServerOptions, StoreError> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|_| bad("server options", text))?;
    let list = |key: &str| -> Result<Vec<String>, StoreError> {
        v.get(key)
            .map_or(Ok(Vec::new()), |l| parse_list(&l.to_string()))
    };
    Ok(ServerOptions {
        mode_constraint: parse_constraint(
            v.get("modeConstraint")
                .and_then(|m| m.as_str())
                .unwrap_or("NONE"),
        )?,
        allowed_databases: list("allowedDatabases")?,
        denied_databases: list("deniedDatabases")?,
        tags: list("tags")?,
    })
}

/// The settings as (name, value) rows, named after Neo4j's settings where one exists.
pub fn settings_rows(s: &Settings) -> Vec<(&'static str, String)> {
    vec![
        (
            "dbms.cluster.minimum_initial_system_primaries_count",
            s.min_initial_system_primaries.to_string(),
        ),
        ("default_database", s.default_database.clone()),
        ("default_primaries_count", s.default_primaries.to_string()),
        (
            "default_secondaries_count",
            s.default_secondaries.to_string(),
        ),
        (
            "automatically_enable_free_servers",
            s.auto_enable_free_servers.to_string(),
        ),
        ("dbms.max_databases", s.max_databases.to_string()),
        (
            "initial.server.mode_constraint",
            s.server_defaults.mode_constraint.as_str().to_string(),
        ),
        (
            "initial.server.allowed_databases",
            list_json(&s.server_defaults.allowed_databases),
        ),
        (
            "initial.server.denied_databases",
            list_json(&s.server_defaults.denied_databases),
        ),
        ("initial.server.tags", list_json(&s.server_defaults.tags)),
        (
            "server.cluster.system_database_mode",
            s.system_mode.as_str().to_string(),
        ),
        ("system_bootstrapped", s.bootstrapped.to_string()),
    ]
}

/// Settings from rows; a missing row keeps its default.
pub fn settings_from(rows: &BTreeMap<String, String>) -> Result<Settings, StoreError> {
    let mut s = Settings::default();
    let num = |name: &str| -> Result<Option<u64>, StoreError> {
        rows.get(name)
            .map(|v| v.parse::<u64>().map_err(|_| bad(name, v)))
            .transpose()
    };
    let flag = |name: &str| -> Result<Option<bool>, StoreError> {
        rows.get(name)
            .map(|v| v.parse::<bool>().map_err(|_| bad(name, v)))
            .transpose()
    };
    let small = |v: u64, name: &str| u32::try_from(v).map_err(|_| bad(name, &v.to_string()));
    if let Some(v) = num("dbms.cluster.minimum_initial_system_primaries_count")? {
        s.min_initial_system_primaries = small(v, "minimum_initial_system_primaries_count")?;
    }
    if let Some(v) = rows.get("default_database") {
        s.default_database = v.clone();
    }
    if let Some(v) = num("default_primaries_count")? {
        s.default_primaries = small(v, "default_primaries_count")?;
    }
    if let Some(v) = num("default_secondaries_count")? {
        s.default_secondaries = small(v, "default_secondaries_count")?;
    }
    if let Some(v) = flag("automatically_enable_free_servers")? {
        s.auto_enable_free_servers = v;
    }
    if let Some(v) = num("dbms.max_databases")? {
        s.max_databases = v;
    }
    if let Some(v) = rows.get("initial.server.mode_constraint") {
        s.server_defaults.mode_constraint = parse_constraint(v)?;
    }
    if let Some(v) = rows.get("initial.server.allowed_databases") {
        s.server_defaults.allowed_databases = parse_list(v)?;
    }
    if let Some(v) = rows.get("initial.server.denied_databases") {
        s.server_defaults.denied_databases = parse_list(v)?;
    }
    if let Some(v) = rows.get("initial.server.tags") {
        s.server_defaults.tags = parse_list(v)?;
    }
    if let Some(v) = rows.get("server.cluster.system_database_mode") {
        s.system_mode = parse_mode(v)?;
    }
    if let Some(v) = flag("system_bootstrapped")? {
        s.bootstrapped = v;
    }
    Ok(s)
}

/// Builds a server from its columns.
#[allow(clippy::too_many_arguments)]
pub fn server(
    id: String,
    name: String,
    address: String,
    state: &str,
    available: bool,
    options: ServerOptions,
    initial: &str,
    system_mode: &str,
    joined: i64,
) -> Result<Server, StoreError> {
    Ok(Server {
        id,
        name,
        address,
        state: parse_state(state)?,
        available,
        options,
        initial: parse_options(initial)?,
        system_mode: parse_mode(system_mode)?,
        joined: u64::try_from(joined).map_err(|_| bad("join order", &joined.to_string()))?,
    })
}

/// An allocation from its columns.
pub fn allocation(server: ServerId, mode: &str) -> Result<Allocation, StoreError> {
    Ok(Allocation {
        server,
        mode: parse_mode(mode)?,
    })
}

/// The remote part of an alias from its nullable columns.
pub fn remote(
    url: Option<String>,
    user: Option<String>,
    password: Option<String>,
    driver: Option<String>,
) -> Result<Option<RemoteTarget>, StoreError> {
    match url {
        None => Ok(None),
        Some(url) => Ok(Some(RemoteTarget {
            url,
            user: user.unwrap_or_default(),
            password: password.unwrap_or_default(),
            driver: driver.as_deref().map_or(Ok(BTreeMap::new()), parse_map)?,
        })),
    }
}

/// True for the access column of a read-write database.
pub fn access_str(d: &Database) -> &'static str {
    if d.read_write {
        "read-write"
    } else {
        "read-only"
    }
}

pub fn parse_access(s: &str) -> Result<bool, StoreError> {
    match s {
        "read-write" => Ok(true),
        "read-only" => Ok(false),
        other => Err(bad("access", other)),
    }
}

/// A privilege's target as the `scope` and `database` columns.
pub fn target_columns(t: &Target) -> (&'static str, Option<&str>) {
    match t {
        Target::Dbms => ("DBMS", None),
        Target::AllDatabases => ("ALL DATABASES", None),
        Target::Database(name) => ("DATABASE", Some(name.as_str())),
        Target::HomeDatabase => ("HOME DATABASE", None),
        Target::DefaultDatabase => ("DEFAULT DATABASE", None),
        Target::AllData => ("ALL DATA", None),
    }
}

/// The `scope` and `database` columns back to a target.
pub fn parse_target(scope: &str, database: Option<String>) -> Result<Target, StoreError> {
    Ok(match (scope, database) {
        ("DBMS", _) => Target::Dbms,
        ("ALL DATABASES", _) => Target::AllDatabases,
        ("DATABASE", Some(name)) => Target::Database(name),
        ("HOME DATABASE", _) => Target::HomeDatabase,
        ("DEFAULT DATABASE", _) => Target::DefaultDatabase,
        ("ALL DATA", _) => Target::AllData,
        (other, _) => return Err(bad("privilege scope", other)),
    })
}

/// An action by its name (`SERVER MANAGEMENT`), as the `action` column holds it.
pub fn parse_action(s: &str) -> Result<Action, StoreError> {
    Action::from_name(s).ok_or_else(|| bad("privilege action", s))
}

/// `GRANTED` / `DENIED` back to a grant.
pub fn parse_grant(s: &str) -> Result<Grant, StoreError> {
    match s {
        "GRANTED" => Ok(Grant::Granted),
        "DENIED" => Ok(Grant::Denied),
        other => Err(bad("privilege access", other)),
    }
}
