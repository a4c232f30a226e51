//! SHOW DATABASE[S] / SHOW DEFAULT DATABASE / SHOW HOME DATABASE: every column of
//! reference §2.2 in Neo4j's order, one row per database per hosting server, sorted by
//! name then address; unavailable servers shown as the reference says.
//!
//! It owns how databases are shown (roles, the writer, statuses). It must not change
//! anything.

use super::show_servers::hosts_system;
use crate::cluster::ctx::Ctx;
use crate::cluster::model::{
    Allocation, Database, DatabaseKind, Mode, Name, Server, ServerState, State, Status,
};
use crate::cluster::security;
use crate::cluster::show::{self, Clauses, Table};
use crate::dialect::ast::NameOrParam;
use crate::error::Neo4jError;
use crate::result::QueryResult;
use crate::value::Value;
use std::collections::BTreeMap;

/// The `databaseID` of `system` (cysh's choice: a fixed value).
const SYSTEM_ID: &str = "0000000000000000000000000000000000000000000000000000000000000001";

/// Every column, in Neo4j's order.
pub(crate) const COLUMNS: &[&str] = &[
    "name",
    "type",
    "aliases",
    "access",
    "databaseID",
    "serverID",
    "address",
    "role",
    "writer",
    "requestedStatus",
    "currentStatus",
    "statusMessage",
    "default",
    "home",
    "currentPrimariesCount",
    "currentSecondariesCount",
    "requestedPrimariesCount",
    "requestedSecondariesCount",
    "creationTime",
    "lastStartTime",
    "lastStopTime",
    "store",
    "lastCommittedTxn",
    "replicationLag",
    "constituents",
    "defaultLanguage",
    "options",
];

const DEFAULT: &[&str] = &[
    "name",
    "type",
    "aliases",
    "access",
    "address",
    "role",
    "writer",
    "requestedStatus",
    "currentStatus",
    "statusMessage",
    "default",
    "home",
    "constituents",
];

/// Which databases are listed.
pub enum Which<'a> {
    /// `SHOW DATABASE[S] [name]`.
    Named(Option<&'a NameOrParam>),
    /// `SHOW DEFAULT DATABASE`.
    Default,
    /// `SHOW HOME DATABASE` (the user's home database, else the default one).
    Home,
}

/// One copy as shown: the server and the copy's role.
struct Copy<'a> {
    server: &'a Server,
    mode: Option<Mode>,
}

fn copies<'a>(state: &'a State, db: Option<(&Database, &[Allocation])>) -> Vec<Copy<'a>> {
    match db {
        None => state
            .servers
            .values()
            .filter(|s| hosts_system(s))
            .map(|s| Copy {
                server: s,
                mode: Some(s.system_mode),
            })
            .collect(),
        Some((d, _)) if d.kind == DatabaseKind::Composite => state
            .servers
            .values()
            .filter(|s| !matches!(s.state, ServerState::Free | ServerState::Dropped))
            .map(|s| Copy {
                server: s,
                mode: None,
            })
            .collect(),
        Some((_, allocations)) => allocations
            .iter()
            .filter_map(|a| {
                state.servers.get(&*a.server).map(|s| Copy {
                    server: s,
                    mode: Some(a.mode),
                })
            })
            .collect(),
    }
}

/// Where a copy is listed among its database's rows: by address (unavailable servers,
/// whose address is not shown, last), then by server id.
fn copy_order<'a>(c: &Copy<'a>) -> (bool, Option<&'a str>, &'a str) {
    let up = c.server.available;
    (
        !up,
        up.then_some(c.server.address.as_str()),
        c.server.id.as_str(),
    )
}

fn store_name(d: Option<&Database>) -> String {
    let format = d
        .and_then(|d| d.options.get("storeFormat"))
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase);
    match format.as_deref() {
        Some("aligned") => "record-aligned-1.1".into(),
        Some("standard") => "record-standard-1.1".into(),
        Some("high_limit") => "record-high_limit-1.1".into(),
        _ => "block-block-1.1".into(),
    }
}

/// The rows of one database, given with its copies (`None` = system); `home` is the session user's home database.
/// `needed` says which columns the statement reads (`show::needed`); the rows hold only
/// those, so a narrow YIELD neither computes nor keeps the others.
fn rows_of(
    state: &State,
    entry: Option<(&Database, &[Allocation])>,
    home: &str,
    needed: &[bool],
    out: &mut Vec<Vec<Value>>,
) {
    let db = entry.map(|(d, _)| d);
    let name = db.map_or("system", |d| d.name.as_str());
    let kind = db.map_or(DatabaseKind::System, |d| d.kind);
    let online = db.is_none_or(|d| d.requested_status == Status::Online);
    let mut copies = copies(state, entry);
    // Listed by address (unavailable servers, whose address is not shown, last), then id.
    copies.sort_by(|a, b| copy_order(a).cmp(&copy_order(b)));
    // A database whose hosts are all unreachable is not listed at all (reference §2.2).
    if !copies.iter().any(|c| c.server.available) {
        return;
    }
    let writer = if online && kind != DatabaseKind::Composite {
        copies
            .iter()
            .filter(|c| c.server.available && c.mode == Some(Mode::Primary))
            .map(|c| c.server.id.as_str())
            .min()
    } else {
        None
    };
    let role_of = |c: &Copy<'_>| -> Value {
        match c.mode {
            None => Value::Null,
            Some(_) if !c.server.available || !online => Value::str("unknown"),
            Some(m) => Value::str(m.as_str()),
        }
    };
    let count = |m: Mode| -> Value {
        if kind == DatabaseKind::Composite {
            return Value::Null;
        }
        let n = copies
            .iter()
            .filter(|c| c.mode == Some(m) && c.server.available && online)
            .count();
        Value::Int(n as i64)
    };
    let (cur_p, cur_s) = (count(Mode::Primary), count(Mode::Secondary));
    let want = |column: &str| COLUMNS.iter().zip(needed).any(|(c, n)| *n && *c == column);
    let aliases = if want("aliases") {
        Value::str_list(state.local_aliases_of(name))
    } else {
        Value::Null
    };
    let constituents: Vec<String> = if want("constituents") {
        state
            .aliases
            .values()
            .filter(|a| a.composite.as_deref() == Some(name))
            .map(|a| a.name.clone())
            .collect()
    } else {
        Vec::new()
    };
    let is_default = state.settings.default_database == name;
    // The model keeps times as the clock's UTC text; a text that is not one shows as NULL.
    let time = |column: &str, t: Option<&Name>| {
        t.filter(|_| want(column))
            .and_then(|t| Value::from_type_text("OffsetDateTime", t).ok())
            .unwrap_or(Value::Null)
    };
    let created = time("creationTime", db.map(|d| &d.creation_time));
    let started = time("lastStartTime", db.and_then(|d| d.last_start_time.as_ref()));
    let stopped = time("lastStopTime", db.and_then(|d| d.last_stop_time.as_ref()));
    let options = match db {
        _ if !want("options") => Value::Null,
        Some(d) if d.kind == DatabaseKind::Composite => Value::Null,
        Some(d) => Value::Map(d.options.clone()),
        None => Value::Map(BTreeMap::new()),
    };
    let standard = db.filter(|d| d.kind == DatabaseKind::Standard);
    let width = needed.iter().filter(|n| **n).count();
    let stored = kind != DatabaseKind::Composite;
    for c in &copies {
        let up = c.server.available;
        let running = up && online;
        let requested = if online { "online" } else { "offline" };
        // Column `i` of COLUMNS for this copy. Only the columns read are made: a row of
        // 27 values, most of them unread, is what made SHOW DATABASES hold hundreds of
        // megabytes at 100,000 databases, and what a small one spent its time on.
        let value = |i: usize| -> Value {
            match i {
                0 => Value::str(name),
                1 => Value::str(kind.as_str()),
                2 => aliases.clone(),
                3 => Value::str(if db.is_none_or(|d| d.read_write) {
                    "read-write"
                } else {
                    "read-only"
                }),
                4 if running => db.map_or(Value::str(SYSTEM_ID), |d| Value::str(&d.database_id)),
                5 => Value::str(&c.server.id),
                6 if up => Value::str(&c.server.address),
                7 => role_of(c),
                8 => Value::Bool(writer == Some(c.server.id.as_str())),
                9 => Value::str(requested),
                10 => Value::str(if up { requested } else { "unknown" }),
                11 => Value::str(if up { "" } else { "Server is unavailable" }),
                12 => Value::Bool(is_default),
                13 => Value::Bool(home == name),
                14 => cur_p.clone(),
                15 => cur_s.clone(),
                16 => standard.map_or(Value::Null, |d| Value::Int(i64::from(d.primaries))),
                17 => standard.map_or(Value::Null, |d| Value::Int(i64::from(d.secondaries))),
                18 => created.clone(),
                19 => started.clone(),
                20 => stopped.clone(),
                21 if running && stored => Value::str(store_name(db)),
                22 if running && stored => Value::Int(1),
                23 if running && stored => Value::Int(0),
                24 => Value::str_list(constituents.iter()),
                25 => Value::str(db.map_or("CYPHER 5", |d| d.default_language.as_str())),
                26 => options.clone(),
                _ => Value::Null,
            }
        };
        // Sized up front: collecting from a filter grows the row three or four times.
        let mut row = Vec::with_capacity(width);
        row.extend(
            needed
                .iter()
                .enumerate()
                .filter(|(_, n)| **n)
                .map(|(i, _)| value(i)),
        );
        out.push(row);
    }
}

/// `SHOW DATABASE[S]`, `SHOW DEFAULT DATABASE`, `SHOW HOME DATABASE`. With a sink in
/// `ctx` and clauses that look at one row at a time, the rows go there as they are made
/// (`show::Streamer`), and the result holds none.
pub fn show(
    ctx: &mut Ctx<'_>,
    which: Which<'_>,
    clauses: Clauses<'_>,
) -> Result<QueryResult, Neo4jError> {
    let sink = ctx.sink.take();
    let state = ctx.state();
    let home = security::home_of(state, state.users.get(&ctx.session.user)).to_string();
    let wanted: Option<String> = match which {
        Which::Named(None) => None,
        Which::Named(Some(n)) => {
            let raw = ctx.name(n)?.to_ascii_lowercase();
            // An alias name lists the database it points to.
            Some(match state.aliases.get(&raw) {
                Some(a) if a.remote.is_none() => a.target.clone(),
                _ => raw,
            })
        }
        Which::Default => Some(state.settings.default_database.clone()),
        Which::Home => Some(home.clone()),
    };
    let default: Vec<&str> = match which {
        Which::Named(_) => DEFAULT.to_vec(),
        _ => DEFAULT
            .iter()
            .copied()
            .filter(|c| *c != "default" && *c != "home")
            .collect(),
    };
    let needed = show::needed(COLUMNS, &default, &clauses);
    let columns: Vec<String> = COLUMNS
        .iter()
        .zip(&needed)
        .filter(|(_, n)| **n)
        .map(|(c, _)| c.to_string())
        .collect();
    let listed = |db: &Database| {
        // Only what the user may see (reference §2.2): the rest is not there for them.
        wanted.as_deref().is_none_or(|w| w == db.name)
            && security::may_see(
                state,
                ctx.session,
                &db.name,
                db.kind == DatabaseKind::Composite,
            )
    };
    let system = wanted.as_deref().is_none_or(|w| w == "system");
    if let Some(sink) = sink
        && let Some(mut streamer) =
            show::Streamer::new(columns.clone(), &default, clauses, ctx.params)?
    {
        sink.columns(streamer.names());
        let mut batch = Vec::new();
        in_order(state, system, &listed, |db| {
            batch.clear();
            rows_of(state, db, &home, &needed, &mut batch);
            streamer.push(std::mem::take(&mut batch), sink)
        })?;
        return Ok(QueryResult::new(streamer.names().to_vec(), Vec::new()));
    }
    let budget = show::row_budget(&clauses, ctx.params).unwrap_or(usize::MAX);
    let mut rows = Vec::new();
    in_order(state, system, &listed, |db| {
        rows_of(state, db, &home, &needed, &mut rows);
        Ok(rows.len() < budget)
    })?;
    show::run(Table { columns, rows }, &default, clauses, ctx.params)
}

/// Visits the databases `listed` says are shown, and `system` when `system` is set, in the
/// order their rows are listed — by name, `system` in its place among the others — until
/// `visit` says to stop. Rows made in this order need no sort of the whole table, so a
/// LIMIT with nothing before it that filters or reorders stops making rows once it has
/// enough.
fn in_order(
    state: &State,
    system: bool,
    listed: &dyn Fn(&Database) -> bool,
    mut visit: impl FnMut(Option<(&Database, &[Allocation])>) -> Result<bool, Neo4jError>,
) -> Result<(), Neo4jError> {
    let mut error = None;
    // Stops at the first error, which is then returned.
    let mut step = |db: Option<(&Database, &[Allocation])>| match visit(db) {
        Ok(more) => more,
        Err(e) => {
            error = Some(e);
            false
        }
    };
    let mut system_done = !system;
    let completed = state.each_database(&mut |db, copies| {
        if !system_done && db.name.as_str() > "system" {
            system_done = true;
            if !step(None) {
                return false;
            }
        }
        !listed(db) || step(Some((db, copies)))
    });
    if completed && !system_done {
        step(None);
    }
    error.map_or(Ok(()), Err)
}
