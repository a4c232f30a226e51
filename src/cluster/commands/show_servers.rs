//! SHOW SERVERS: every column of reference §2.1 in Neo4j's order, one row per server
//! (free and dropped ones too), sorted by name.
//!
//! It owns how a server is shown (hosting lists, health, addresses). It must not change
//! anything.

use crate::cluster::ctx::Ctx;
use crate::cluster::model::{Name, Server, ServerState, State};
use crate::cluster::show::{self, Clauses, Table};
use crate::error::Neo4jError;
use crate::result::QueryResult;
use crate::value::Value;

/// The Neo4j version SHOW SERVERS reports for every simulated server (cysh's choice).
pub const VERSION: &str = "2026.10.0";

/// Every column, in Neo4j's order.
pub(crate) const COLUMNS: &[&str] = &[
    "serverId",
    "name",
    "address",
    "httpAddress",
    "httpsAddress",
    "state",
    "health",
    "hosting",
    "requestedHosting",
    "tags",
    "allowedDatabases",
    "deniedDatabases",
    "modeConstraint",
    "version",
];

const DEFAULT: &[&str] = &["name", "address", "state", "health", "hosting"];

/// True when the server runs `system` (every member but a dropped one).
pub fn hosts_system(s: &Server) -> bool {
    s.state != ServerState::Dropped
}

/// Databases the server should run: `system` and its allocations (a free server: none).
/// Read from the hosted index: the cost is the server's own copies.
pub fn requested_hosting(state: &State, s: &Server) -> Vec<String> {
    if s.state == ServerState::Free {
        return Vec::new();
    }
    let mut out = Vec::new();
    if hosts_system(s) {
        out.push("system".to_string());
    }
    if let Some(h) = state.hosted_by(&s.id) {
        out.extend(h.names().map(|k| k.as_str().to_owned()));
    }
    out
}

/// Databases the server runs now: `system`, its online allocations and the online
/// composites; nothing while its process is stopped (cysh's choice). Read from the hosted
/// and composite indexes: the cost is the server's own copies and the composites.
pub fn hosting(state: &State, s: &Server) -> Vec<String> {
    if !s.available || !hosts_system(s) {
        return Vec::new();
    }
    // Most databases run: only the stopped ones are looked up.
    let flags = state.flags();
    let online = |name: &Name| flags.stopped.is_empty() || !flags.stopped.contains(name);
    let member = !matches!(s.state, ServerState::Free | ServerState::Dropped);
    let copies = state.hosted_by(&s.id).into_iter().flat_map(|h| h.names());
    let composites = flags.composites.iter().filter(|_| member);
    let mut names: Vec<String> = copies
        .chain(composites)
        .filter(|n| online(n))
        // Not `to_string`, which formats through `Display`: a copy of the text.
        .map(|n| n.as_str().to_owned())
        .collect();
    // Both lists are in name order; merged, they are listed in name order as before.
    names.sort_unstable();
    let mut out = Vec::with_capacity(names.len() + 1);
    out.push("system".to_string());
    out.extend(names);
    out
}

/// `SHOW SERVERS`.
pub fn show(ctx: &Ctx<'_>, clauses: Clauses<'_>) -> Result<QueryResult, Neo4jError> {
    let state = ctx.state();
    let mut servers: Vec<&Server> = state.servers.values().collect();
    servers.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    // Rows are in their final order: a LIMIT that nothing filters or reorders first needs
    // only the first rows (and their hosting lists).
    if let Some(budget) = show::row_budget(&clauses, ctx.params) {
        servers.truncate(budget);
    }
    // Only the columns the statement reads are made: the hosting lists hold every copy.
    let needed = show::needed(COLUMNS, DEFAULT, &clauses);
    let want = |column: &str| COLUMNS.iter().zip(&needed).any(|(c, n)| *n && *c == column);
    let mut table = Table::new(
        &COLUMNS
            .iter()
            .zip(&needed)
            .filter(|(_, n)| **n)
            .map(|(c, _)| *c)
            .collect::<Vec<_>>(),
    );
    let list = |column: &str, names: &dyn Fn() -> Vec<String>| {
        if want(column) {
            Value::str_list(names())
        } else {
            Value::Null
        }
    };
    for s in servers {
        let row = vec![
            Value::str(&s.id),
            Value::str(&s.name),
            Value::str(&s.address),
            s.http_address().into(),
            Value::Null,
            Value::str(s.state.as_str()),
            Value::str(if s.available {
                "Available"
            } else {
                "Unavailable"
            }),
            list("hosting", &|| hosting(state, s)),
            list("requestedHosting", &|| requested_hosting(state, s)),
            Value::str_list(s.options.tags.clone()),
            Value::str_list(s.options.allowed_databases.clone()),
            Value::str_list(s.options.denied_databases.clone()),
            Value::str(s.options.mode_constraint.as_str()),
            Value::str(VERSION),
        ];
        table.rows.push(
            row.into_iter()
                .zip(&needed)
                .filter(|(_, n)| **n)
                .map(|(v, _)| v)
                .collect(),
        );
    }
    show::run(table, DEFAULT, clauses, ctx.params)
}
