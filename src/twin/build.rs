//! A snapshot turned into the embedded cluster's `State`, in named steps: the servers, the
//! databases and their copies, the copies whose role is hidden, the aliases, the settings.
//!
//! It owns the reading of each SHOW's columns and the report of every gap and of what was
//! taken in its place. It must not invent what it cannot read: a gap is filled only when
//! the rest of the snapshot settles it, or with a stated default.

use super::snapshot::Snapshot;
use crate::cluster::model::{
    Alias, Allocation, Database, DatabaseDetails, DatabaseKind, Mode, ModeConstraint, Name,
    RemoteTarget, Server, ServerOptions, ServerState, Settings, State, Status,
};
use crate::value::Value;
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;

/// Why a snapshot cannot make a twin at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// No SHOW SERVERS rows.
    #[error("the snapshot has no SHOW SERVERS rows (\"servers\")")]
    NoServers,
    /// No SHOW DATABASES rows.
    #[error("the snapshot has no SHOW DATABASES rows (\"databases\")")]
    NoDatabases,
}

/// The rows of one SHOW, as plain JSON objects.
type Rows = [Map<String, Json>];

/// Copies whose role SHOW DATABASES does not show: database name to server ids.
type HiddenRoles = BTreeMap<String, Vec<String>>;

/// Reads one row's column, reporting it once per column when absent.
struct Reader<'a> {
    what: &'a str,
    report: &'a mut Vec<String>,
    missing: std::collections::BTreeSet<String>,
}

impl Reader<'_> {
    fn get<'r>(&mut self, row: &'r Map<String, Json>, column: &str) -> Option<&'r Json> {
        match row.get(column) {
            Some(v) => Some(v),
            None => {
                if self.missing.insert(column.to_string()) {
                    self.report.push(format!(
                        "{}: column {column} missing; {}",
                        self.what,
                        default_note(column)
                    ));
                }
                None
            }
        }
    }

    fn text(&mut self, row: &Map<String, Json>, column: &str) -> Option<String> {
        self.get(row, column)
            .and_then(Json::as_str)
            .map(String::from)
    }

    fn list(&mut self, row: &Map<String, Json>, column: &str) -> Vec<String> {
        self.get(row, column)
            .and_then(Json::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Json::as_str)
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// What a missing column is taken as (said in the report).
fn default_note(column: &str) -> &'static str {
    match column {
        "tags" | "allowedDatabases" | "deniedDatabases" => "taken as empty",
        "modeConstraint" => "taken as NONE",
        "health" => "taken as Available",
        "options" => "taken as no options",
        "defaultLanguage" => "taken as CYPHER 5",
        "databaseID" | "creationTime" => "left empty",
        "lastStartTime" | "lastStopTime" => "left unset",
        _ => "the row's value is unknown",
    }
}

fn json_value(v: &Json) -> Value {
    crate::wire::values::decode(v, crate::wire::Encoding::Plain).unwrap_or(Value::Null)
}

fn json_map(v: Option<&Json>) -> BTreeMap<String, Value> {
    match v.map(json_value) {
        Some(Value::Map(m)) => m,
        _ => BTreeMap::new(),
    }
}

fn state_of(s: &str) -> Option<ServerState> {
    [
        ServerState::Free,
        ServerState::Enabled,
        ServerState::Cordoned,
        ServerState::Deallocating,
        ServerState::Deallocated,
        ServerState::Dropped,
    ]
    .into_iter()
    .find(|x| x.as_str().eq_ignore_ascii_case(s))
}

/// Builds the embedded cluster's state from a snapshot. Returns the state and the report
/// of what could not be read (and what was taken in its place). Fails only when the
/// snapshot has no servers or no databases at all, since a twin without them is no twin.
pub fn build(snapshot: &Snapshot) -> Result<(State, Vec<String>), BuildError> {
    let mut report = Vec::new();
    let mut state = State::default();
    let server_rows = snapshot.servers.as_deref().ok_or(BuildError::NoServers)?;
    let database_rows = snapshot
        .databases
        .as_deref()
        .ok_or(BuildError::NoDatabases)?;
    read_servers(server_rows, &mut state, &mut report);
    let hidden = read_databases(database_rows, &mut state, &mut report);
    decide_hidden_roles(hidden, &mut state, &mut report);
    read_aliases(snapshot.aliases.as_deref(), &mut state, &mut report);
    state.settings = settings_of(snapshot, !state.servers.is_empty(), &mut report);
    state.reindex();
    Ok((state, report))
}

/// The servers of SHOW SERVERS, each with its current options standing in for its
/// `initial.server.*` ones (which no query shows).
fn read_servers(server_rows: &Rows, state: &mut State, report: &mut Vec<String>) {
    let mut r = Reader {
        what: "SHOW SERVERS",
        report: &mut *report,
        missing: Default::default(),
    };
    for (i, row) in server_rows.iter().enumerate() {
        let Some(id) = r.text(row, "serverId") else {
            continue;
        };
        let name = r.text(row, "name").unwrap_or_else(|| id.clone());
        let address = r.text(row, "address").unwrap_or_default();
        let state_text = r.text(row, "state").unwrap_or_default();
        let server_state = state_of(&state_text).unwrap_or_else(|| {
            r.report.push(format!(
                "SHOW SERVERS: server {name} has state '{state_text}', which cysh does not know; taken as Enabled"
            ));
            ServerState::Enabled
        });
        let available = r
            .text(row, "health")
            .is_none_or(|h| h.eq_ignore_ascii_case("Available"));
        let constraint_text = r
            .text(row, "modeConstraint")
            .unwrap_or_else(|| "NONE".into());
        let mode_constraint = ModeConstraint::parse(&constraint_text).unwrap_or_else(|| {
            r.report.push(format!(
                "SHOW SERVERS: server {name} has modeConstraint '{constraint_text}'; taken as NONE"
            ));
            ModeConstraint::None
        });
        let options = ServerOptions {
            mode_constraint,
            allowed_databases: r.list(row, "allowedDatabases"),
            denied_databases: r.list(row, "deniedDatabases"),
            tags: r.list(row, "tags"),
        };
        state.servers.insert(
            id.clone(),
            Server {
                id,
                name,
                address,
                state: server_state,
                available,
                // The initial.server.* values are not shown anywhere: the options in
                // force are the best stand-in for ENABLE SERVER without OPTIONS.
                initial: options.clone(),
                options,
                system_mode: Mode::Primary,
                joined: i as u64,
            },
        );
    }
    if !server_rows.is_empty() {
        report.push(
            "SHOW SERVERS: the servers' initial.server.* settings are not shown; their current options stand in for them".into(),
        );
    }
}

/// The databases of SHOW DATABASES (one row per database per hosting server), their copies,
/// and the servers' system database modes. Returns the copies whose role is not shown.
fn read_databases(
    database_rows: &Rows,
    state: &mut State,
    report: &mut Vec<String>,
) -> HiddenRoles {
    let mut unknown_roles = HiddenRoles::new();
    let mut r = Reader {
        what: "SHOW DATABASES",
        report: &mut *report,
        missing: Default::default(),
    };
    for row in database_rows {
        let Some(name) = r.text(row, "name") else {
            continue;
        };
        let server_id = r.text(row, "serverID");
        let role = r.text(row, "role");
        let kind = match r.text(row, "type").as_deref() {
            Some("system") => DatabaseKind::System,
            Some("composite") => DatabaseKind::Composite,
            _ => DatabaseKind::Standard,
        };
        if kind == DatabaseKind::System {
            if let (Some(id), Some(role)) = (&server_id, &role)
                && let Some(s) = state.servers.get_mut(id)
            {
                match role.as_str() {
                    "secondary" => s.system_mode = Mode::Secondary,
                    "primary" => s.system_mode = Mode::Primary,
                    _ => r.report.push(format!(
                        "SHOW DATABASES: system's role on server {} is not shown ({role}); taken as primary",
                        s.name
                    )),
                }
            }
            continue;
        }
        if !state.databases.contains_key(name.as_str()) {
            let int = |r: &mut Reader<'_>, c: &str| {
                r.get(row, c)
                    .and_then(Json::as_u64)
                    .and_then(|n| u32::try_from(n).ok())
            };
            let (primaries, secondaries) = match kind {
                DatabaseKind::Standard => (
                    int(&mut r, "requestedPrimariesCount").unwrap_or(1),
                    int(&mut r, "requestedSecondariesCount").unwrap_or(0),
                ),
                _ => (0, 0),
            };
            let status = match r.text(row, "requestedStatus").as_deref() {
                Some("offline") => Status::Offline,
                _ => Status::Online,
            };
            let options = if kind == DatabaseKind::Composite {
                BTreeMap::new()
            } else {
                json_map(r.get(row, "options"))
            };
            let database = Database {
                name: name.as_str().into(),
                kind,
                read_write: r.text(row, "access").as_deref() != Some("read-only"),
                requested_status: status,
                primaries,
                secondaries,
                details: Box::new(DatabaseDetails {
                    options,
                    default_language: r
                        .text(row, "defaultLanguage")
                        .unwrap_or_else(|| "CYPHER 5".into())
                        .into(),
                    database_id: r.text(row, "databaseID").unwrap_or_default(),
                    creation_time: r.text(row, "creationTime").unwrap_or_default().into(),
                    last_start_time: r.text(row, "lastStartTime").map(Name::from),
                    last_stop_time: r.text(row, "lastStopTime").map(Name::from),
                }),
            };
            state.databases.insert(name.as_str().into(), database);
        }
        let db = &state.databases[name.as_str()];
        // A stopped database shows no databaseID: take it from a row that does.
        if db.database_id.is_empty()
            && let Some(id) = row.get("databaseID").and_then(Json::as_str)
            && let Some(d) = state.databases.get_mut(name.as_str())
        {
            d.database_id = id.to_string();
        }
        if kind != DatabaseKind::Standard {
            continue;
        }
        let Some(server) = server_id else { continue };
        if !state.servers.contains_key(&server) {
            r.report.push(format!(
                "SHOW DATABASES: database {name} has a copy on server {server}, which SHOW SERVERS does not list; the copy is left out"
            ));
            continue;
        }
        match role.as_deref() {
            Some("primary") => state
                .allocations
                .entry(name.into())
                .or_default()
                .push(Allocation {
                    server: server.into(),
                    mode: Mode::Primary,
                }),
            Some("secondary") => {
                state
                    .allocations
                    .entry(name.into())
                    .or_default()
                    .push(Allocation {
                        server: server.into(),
                        mode: Mode::Secondary,
                    })
            }
            _ => unknown_roles.entry(name).or_default().push(server),
        }
    }
    unknown_roles
}

/// Copies whose role is hidden (an unavailable server, a stopped database): the requested
/// topology decides when the known copies leave no choice; the report says so.
fn decide_hidden_roles(unknown_roles: HiddenRoles, state: &mut State, report: &mut Vec<String>) {
    for (name, servers) in unknown_roles {
        let Some(db) = state.databases.get(name.as_str()) else {
            continue;
        };
        let known = state.allocations_of(&name);
        let count = |m: Mode| known.iter().filter(|a| a.mode == m).count() as u32;
        let mut primaries_left = db.primaries.saturating_sub(count(Mode::Primary));
        let mut secondaries_left = db.secondaries.saturating_sub(count(Mode::Secondary));
        let determined = servers.len() as u32 == primaries_left + secondaries_left
            && (primaries_left == 0 || secondaries_left == 0);
        let mut copies = Vec::new();
        for server in servers {
            let mode = if primaries_left > 0 {
                primaries_left -= 1;
                Mode::Primary
            } else if secondaries_left > 0 {
                secondaries_left -= 1;
                Mode::Secondary
            } else {
                Mode::Primary
            };
            let server_name = state
                .servers
                .get(&server)
                .map_or(server.clone(), |s| s.name.clone());
            report.push(format!(
                "SHOW DATABASES: the role of {name}'s copy on server {server_name} is not shown; taken as {} {}",
                mode.as_str(),
                if determined {
                    "(the requested topology leaves no other choice)"
                } else {
                    "(a guess from the requested topology: check it)"
                }
            ));
            copies.push(Allocation {
                server: server.into(),
                mode,
            });
        }
        state
            .allocations
            .entry(name.into())
            .or_default()
            .extend(copies);
    }
}

/// The aliases of SHOW ALIASES; a remote alias's password is a secret and stays empty.
fn read_aliases(rows: Option<&Rows>, state: &mut State, report: &mut Vec<String>) {
    match rows {
        None => report.push("SHOW ALIASES: not read; the twin has no aliases".into()),
        Some(rows) => {
            let mut r = Reader {
                what: "SHOW ALIASES",
                report: &mut *report,
                missing: Default::default(),
            };
            for row in rows {
                let (Some(name), Some(target)) = (r.text(row, "name"), r.text(row, "database"))
                else {
                    continue;
                };
                let remote = match r.text(row, "location").as_deref() {
                    Some("remote") => {
                        r.report.push(format!(
                            "SHOW ALIASES: remote alias {name}: its password is a secret and is not copied; its default language is not shown (taken as CYPHER 5)"
                        ));
                        Some(RemoteTarget {
                            url: r.text(row, "url").unwrap_or_default(),
                            user: r.text(row, "user").unwrap_or_default(),
                            password: String::new(),
                            driver: json_map(r.get(row, "driver")),
                        })
                    }
                    _ => None,
                };
                let default_language = remote.as_ref().map(|_| "CYPHER 5".to_string());
                state.aliases.insert(
                    name.clone(),
                    Alias {
                        name,
                        composite: r
                            .get(row, "composite")
                            .and_then(Json::as_str)
                            .map(String::from),
                        target,
                        remote,
                        properties: json_map(r.get(row, "properties")),
                        default_language,
                    },
                );
            }
        }
    }
}

/// The settings the topology graph config and SHOW DEFAULT DATABASE show; the rest keeps
/// Neo4j's defaults, as the report says.
fn settings_of(snapshot: &Snapshot, bootstrapped: bool, report: &mut Vec<String>) -> Settings {
    let mut settings = Settings {
        bootstrapped,
        ..Settings::default()
    };
    match &snapshot.topology_graph_config {
        None => report.push(
            "dbms.showTopologyGraphConfig: not read; default allocation numbers and automatic enabling of free servers keep Neo4j's defaults (1 primary, 0 secondaries, off)".into(),
        ),
        Some(c) => {
            let n = |k: &str| c.get(k).and_then(Json::as_u64).and_then(|n| u32::try_from(n).ok());
            match n("defaultPrimariesCount") {
                Some(p) => settings.default_primaries = p,
                None => report.push("dbms.showTopologyGraphConfig: defaultPrimariesCount missing; taken as 1".into()),
            }
            match n("defaultSecondariesCount") {
                Some(s) => settings.default_secondaries = s,
                None => report.push("dbms.showTopologyGraphConfig: defaultSecondariesCount missing; taken as 0".into()),
            }
            match c.get("autoEnableFreeServers").and_then(Json::as_bool) {
                Some(b) => settings.auto_enable_free_servers = b,
                None => report.push("dbms.showTopologyGraphConfig: autoEnableFreeServers missing; taken as false".into()),
            }
            if let Some(d) = c.get("defaultDatabase").and_then(Json::as_str) {
                settings.default_database = d.to_string();
            }
        }
    }
    match &snapshot.default_database {
        Some(d) => settings.default_database = d.clone(),
        None if snapshot.topology_graph_config.is_some() => {}
        None => report
            .push("SHOW DEFAULT DATABASE: not read; the default database is taken as neo4j".into()),
    }
    report.push(
        "settings: dbms.max_databases, dbms.cluster.minimum_initial_system_primaries_count, initial.server.* and server.cluster.system_database_mode are not shown; Neo4j's defaults are used".into(),
    );
    settings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_snapshots_are_errors_not_panics() {
        for bad in [
            "",
            "[]",
            "{\"servers\": 3}",
            "{\"servers\": [1]}",
            "{\"topologyGraphConfig\": 1}",
            "{\"defaultDatabase\": 1}",
        ] {
            assert!(Snapshot::from_json(bad).is_err(), "{bad}");
        }
        let empty = Snapshot::from_json("{}").unwrap();
        assert!(build(&empty).is_err());
    }

    #[test]
    fn hidden_roles_are_reported_and_decided_by_the_topology() {
        let snapshot = Snapshot::from_json(
            r#"{"servers": [
                 {"serverId": "a", "name": "a", "address": "a:7687", "state": "Enabled", "health": "Available"},
                 {"serverId": "b", "name": "b", "address": "b:7687", "state": "Enabled", "health": "Unavailable"}],
               "databases": [
                 {"name": "foo", "type": "standard", "serverID": "a", "role": "primary",
                  "requestedPrimariesCount": 2, "requestedSecondariesCount": 0},
                 {"name": "foo", "type": "standard", "serverID": "b", "role": "unknown",
                  "requestedPrimariesCount": 2, "requestedSecondariesCount": 0}]}"#,
        )
        .unwrap();
        let (state, report) = build(&snapshot).unwrap();
        assert_eq!(state.allocations_of("foo").len(), 2);
        assert!(
            state
                .allocations_of("foo")
                .iter()
                .all(|a| a.mode == Mode::Primary)
        );
        assert!(!state.servers["b"].available);
        assert!(
            report
                .iter()
                .any(|l| l.contains("foo's copy on server b") && l.contains("no other choice")),
            "{report:?}"
        );
        assert!(
            report
                .iter()
                .any(|l| l.contains("column databaseID missing")),
            "{report:?}"
        );
        assert!(
            report.iter().any(|l| l.contains("SHOW ALIASES: not read")),
            "{report:?}"
        );
    }
}
