//! `cysh twin`: a copy of a live cluster's control plane as a new embedded cluster, for
//! rehearsing statements (`:dryrun`) on the real topology.
//!
//! It owns the snapshot (the rows of SHOW SERVERS YIELD *, SHOW DATABASES YIELD *, SHOW
//! ALIASES FOR DATABASES YIELD *, `dbms.showTopologyGraphConfig` and SHOW DEFAULT
//! DATABASE, as plain JSON objects), reading it over the Query API or from a file, turning
//! it into a cluster `State`, and writing that state into a new data directory in one
//! commit. It must not invent what it cannot read: every gap (a missing column, a role
//! hidden by an unavailable server or a stopped database, a secret) is reported, and only
//! filled when the rest of the snapshot determines it or with a stated default. Users,
//! roles and secrets are never copied.

use crate::client::remote::{ConnectOptions, Remote};
use crate::client::{Backend, BackendError, Request};
use crate::cluster::model::{
    Alias, Allocation, Database, DatabaseKind, Mode, ModeConstraint, RemoteTarget, Server,
    ServerOptions, ServerState, Settings, State, Status,
};
use crate::cluster::{Change, Config, Store};
use crate::value::Value;
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;
use std::path::Path;

/// What `cysh twin` reads: the rows of each SHOW as plain JSON objects (what
/// `cysh --format json` prints per row). Absent parts are reported when building.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// Rows of `SHOW SERVERS YIELD *`.
    pub servers: Option<Vec<Map<String, Json>>>,
    /// Rows of `SHOW DATABASES YIELD *`.
    pub databases: Option<Vec<Map<String, Json>>>,
    /// Rows of `SHOW ALIASES FOR DATABASES YIELD *`.
    pub aliases: Option<Vec<Map<String, Json>>>,
    /// The row of `CALL dbms.showTopologyGraphConfig()`.
    pub topology_graph_config: Option<Map<String, Json>>,
    /// The name SHOW DEFAULT DATABASE shows.
    pub default_database: Option<String>,
}

fn rows_of(v: &Json, key: &str) -> Result<Option<Vec<Map<String, Json>>>, String> {
    match v.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Json::Object(o) => Ok(o.clone()),
                _ => Err(format!("\"{key}\"[{i}] is not an object")),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(format!("\"{key}\" is not an array of row objects")),
    }
}

impl Snapshot {
    /// Parses the snapshot file format: one JSON object with the keys `servers`,
    /// `databases`, `aliases` (arrays of row objects), `topologyGraphConfig` (an object, or
    /// an array holding one) and `defaultDatabase` (a string, or a SHOW DEFAULT DATABASE
    /// row object). Unknown keys are ignored; absent ones are reported when building.
    pub fn from_json(text: &str) -> Result<Snapshot, String> {
        let v: Json = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        if !v.is_object() {
            return Err("not a JSON object with servers, databases, ...".into());
        }
        let config = match v.get("topologyGraphConfig") {
            None | Some(Json::Null) => None,
            Some(Json::Object(o)) => Some(o.clone()),
            Some(Json::Array(a)) => match a.first() {
                Some(Json::Object(o)) => Some(o.clone()),
                _ => return Err("\"topologyGraphConfig\" holds no row object".into()),
            },
            Some(_) => return Err("\"topologyGraphConfig\" is not an object".into()),
        };
        let default_database = match v.get("defaultDatabase") {
            None | Some(Json::Null) => None,
            Some(Json::String(s)) => Some(s.clone()),
            Some(Json::Object(o)) => o.get("name").and_then(Json::as_str).map(String::from),
            Some(Json::Array(a)) => a
                .first()
                .and_then(|r| r.get("name"))
                .and_then(Json::as_str)
                .map(String::from),
            Some(_) => return Err("\"defaultDatabase\" is not a name".into()),
        };
        Ok(Snapshot {
            servers: rows_of(&v, "servers")?,
            databases: rows_of(&v, "databases")?,
            aliases: rows_of(&v, "aliases")?,
            topology_graph_config: config,
            default_database,
        })
    }

    /// The snapshot in the file format `from_json` reads.
    pub fn to_json(&self) -> Json {
        let rows = |r: &Option<Vec<Map<String, Json>>>| {
            r.as_ref().map_or(Json::Null, |rows| {
                Json::Array(rows.iter().cloned().map(Json::Object).collect())
            })
        };
        serde_json::json!({
            "servers": rows(&self.servers),
            "databases": rows(&self.databases),
            "aliases": rows(&self.aliases),
            "topologyGraphConfig": self.topology_graph_config.clone().map_or(Json::Null, Json::Object),
            "defaultDatabase": self.default_database,
        })
    }
}

/// The statements a snapshot is read with, by part.
pub const QUERIES: [(&str, &str); 5] = [
    ("servers", "SHOW SERVERS YIELD *"),
    ("databases", "SHOW DATABASES YIELD *"),
    ("aliases", "SHOW ALIASES FOR DATABASES YIELD *"),
    ("topologyGraphConfig", "CALL dbms.showTopologyGraphConfig()"),
    ("defaultDatabase", "SHOW DEFAULT DATABASE YIELD name"),
];

/// Reads a snapshot from a running server. A statement the server refuses (an older
/// version, a missing privilege) leaves its part absent, and its error is reported.
pub fn read_remote(backend: &mut dyn Backend, report: &mut Vec<String>) -> Snapshot {
    let mut snapshot = Snapshot::default();
    for (part, text) in QUERIES {
        let Ok(statement) = crate::dialect::parse(text) else {
            report.push(format!("{part}: cysh could not parse its own query {text}"));
            continue;
        };
        let params = crate::dialect::Params::new();
        let request = Request {
            text,
            statement: &statement,
            params: &params,
            database: "system",
            on_wait: None,
        };
        let rows: Vec<Map<String, Json>> = match backend.run(&request) {
            Ok(result) => crate::render::rows_json(&result)
                .into_iter()
                .filter_map(|r| match r {
                    Json::Object(o) => Some(o),
                    _ => None,
                })
                .collect(),
            Err(e) => {
                let e = match e {
                    BackendError::Statement(e) => format!("{}: {}", e.code, e.message),
                    BackendError::Fatal(e) => e.to_string(),
                };
                report.push(format!("{part}: not read ({text} failed: {e})"));
                continue;
            }
        };
        match part {
            "servers" => snapshot.servers = Some(rows),
            "databases" => snapshot.databases = Some(rows),
            "aliases" => snapshot.aliases = Some(rows),
            "topologyGraphConfig" => snapshot.topology_graph_config = rows.into_iter().next(),
            _ => {
                snapshot.default_database = rows
                    .first()
                    .and_then(|r| r.get("name"))
                    .and_then(Json::as_str)
                    .map(String::from)
            }
        }
    }
    snapshot
}

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
pub fn build(snapshot: &Snapshot) -> Result<(State, Vec<String>), String> {
    let mut report = Vec::new();
    let mut state = State::default();
    let Some(server_rows) = &snapshot.servers else {
        return Err("the snapshot has no SHOW SERVERS rows (\"servers\")".into());
    };
    let Some(database_rows) = &snapshot.databases else {
        return Err("the snapshot has no SHOW DATABASES rows (\"databases\")".into());
    };

    // Servers.
    {
        let mut r = Reader {
            what: "SHOW SERVERS",
            report: &mut report,
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

    // Databases and allocations: one row per database per hosting server.
    let mut unknown_roles: BTreeMap<String, Vec<String>> = BTreeMap::new();
    {
        let mut r = Reader {
            what: "SHOW DATABASES",
            report: &mut report,
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
            if !state.databases.contains_key(&name) {
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
                    name: name.clone(),
                    kind,
                    read_write: r.text(row, "access").as_deref() != Some("read-only"),
                    requested_status: status,
                    primaries,
                    secondaries,
                    options,
                    default_language: r
                        .text(row, "defaultLanguage")
                        .unwrap_or_else(|| "CYPHER 5".into()),
                    database_id: r.text(row, "databaseID").unwrap_or_default(),
                    creation_time: r.text(row, "creationTime").unwrap_or_default(),
                    last_start_time: r.text(row, "lastStartTime"),
                    last_stop_time: r.text(row, "lastStopTime"),
                };
                state.databases.insert(name.clone(), database);
            }
            let db = &state.databases[&name];
            // A stopped database shows no databaseID: take it from a row that does.
            if db.database_id.is_empty()
                && let Some(id) = row.get("databaseID").and_then(Json::as_str)
                && let Some(d) = state.databases.get_mut(&name)
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
                Some("primary") => state.allocations.entry(name).or_default().push(Allocation {
                    server,
                    mode: Mode::Primary,
                }),
                Some("secondary") => state.allocations.entry(name).or_default().push(Allocation {
                    server,
                    mode: Mode::Secondary,
                }),
                _ => unknown_roles.entry(name).or_default().push(server),
            }
        }
    }

    // Copies whose role is hidden (an unavailable server, a stopped database): the
    // requested topology decides when the known copies leave no choice; the report says so.
    for (name, servers) in unknown_roles {
        let Some(db) = state.databases.get(&name) else {
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
            copies.push(Allocation { server, mode });
        }
        state.allocations.entry(name).or_default().extend(copies);
    }

    // Aliases.
    match &snapshot.aliases {
        None => report.push("SHOW ALIASES: not read; the twin has no aliases".into()),
        Some(rows) => {
            let mut r = Reader {
                what: "SHOW ALIASES",
                report: &mut report,
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

    // Settings: what the topology graph config and SHOW DEFAULT DATABASE show; the rest
    // keeps Neo4j's defaults, as the report says.
    let mut settings = Settings {
        bootstrapped: !state.servers.is_empty(),
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
    state.settings = settings;
    state.reindex();
    Ok((state, report))
}

/// The changes that write `state` into an empty store, in dependency order.
pub fn changes_of(state: &State) -> Vec<Change> {
    let mut changes = vec![Change::SetSettings(state.settings.clone())];
    changes.extend(state.servers.values().cloned().map(Change::UpsertServer));
    changes.extend(
        state
            .databases
            .values()
            .cloned()
            .map(Change::UpsertDatabase),
    );
    changes.extend(state.allocations.iter().map(|(database, allocations)| {
        Change::SetAllocations {
            database: database.clone(),
            allocations: allocations.clone(),
        }
    }));
    changes.extend(state.aliases.values().cloned().map(Change::UpsertAlias));
    changes
}

/// Writes `state` as a new embedded cluster in `dir`, which must be absent or empty; the
/// built-in roles and the initial `neo4j` user are set up as for any new cluster.
pub fn write(dir: &Path, state: &State) -> Result<(), String> {
    if let Ok(mut entries) = std::fs::read_dir(dir)
        && entries.next().is_some()
    {
        return Err(format!(
            "{} is not empty: a twin is written into a new data directory only",
            dir.display()
        ));
    }
    let (lock, mut store) = crate::store::open(dir).map_err(|e| e.to_string())?;
    store
        .commit(&changes_of(state))
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    // Loading it once sets up the security part (roles, the initial user), durably.
    crate::cluster::Cluster::with_store(Config::with_servers(0), Box::new(store))
        .map_err(|e| format!("{}: {}: {}", dir.display(), e.code, e.message))?;
    drop(lock);
    Ok(())
}

/// `cysh twin`: reads the snapshot (a server or a file), builds the state, writes it, and
/// reports on stderr. Returns the exit status.
pub fn run(args: &crate::cli::TwinArgs) -> i32 {
    let mut report = Vec::new();
    let snapshot = if let Some(path) = &args.from_json {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                return 1;
            }
        };
        match Snapshot::from_json(&text) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{}: not a cysh twin snapshot: {e}", path.display());
                return 1;
            }
        }
    } else if let Some(address) = &args.from {
        let runtime = match crate::client::runtime::current_thread() {
            Ok(rt) => rt,
            Err(e) => {
                eprintln!("{e}");
                return 1;
            }
        };
        let given = &args.credentials;
        let password = match crate::client::credentials::password(
            given.username.as_deref(),
            given.password.as_deref(),
        ) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{e}");
                return 1;
            }
        };
        let options = ConnectOptions {
            address: address.clone(),
            user: args.credentials.username.clone().unwrap_or_default(),
            password,
        };
        let mut remote = match Remote::connect(runtime, &options) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("{e}");
                return 1;
            }
        };
        read_remote(&mut remote, &mut report)
    } else {
        eprintln!("cysh twin needs --from http://HOST:7474 or --from-json FILE");
        return 1;
    };
    if let Some(path) = &args.save_json {
        let text = format!("{:#}\n", snapshot.to_json());
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("{}: {e}", path.display());
            return 1;
        }
    }
    let (state, mut more) = match build(&snapshot) {
        Ok(x) => x,
        Err(e) => {
            let source = match (&args.from_json, &args.from) {
                (Some(path), _) => path.display().to_string(),
                (None, Some(address)) => address.clone(),
                (None, None) => String::new(),
            };
            eprintln!("Cannot make a twin from {source}: {e}");
            return 1;
        }
    };
    report.append(&mut more);
    if let Err(e) = write(&args.data_dir, &state) {
        eprintln!("{e}");
        return 1;
    }
    for line in &report {
        eprintln!("twin: {line}");
    }
    let copies: usize = state.allocations.values().map(Vec::len).sum();
    eprintln!(
        "Twin written to {}: {} servers, {} databases, {} copies, {} aliases (users, roles and secrets are not copied). \
         Rehearse with: cysh --data-dir {} then :dryrun <statement>",
        args.data_dir.display(),
        state.servers.len(),
        state.databases.len(),
        copies,
        state.aliases.len(),
        args.data_dir.display()
    );
    0
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
