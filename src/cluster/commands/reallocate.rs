//! Moving copies between servers: [DRYRUN] DEALLOCATE DATABASES FROM SERVERS (with the
//! refusal rules of reference §1.3), [DRYRUN] REALLOCATE DATABASES, and the
//! `dbms.cluster.deallocate*` / `reallocate*` procedures, all returning the six DRYRUN
//! columns.
//!
//! It owns the preconditions and the result rows. It must not decide where copies go: the
//! allocator plans; this applies the plan (or, for DRYRUN, only reports it).

use crate::cluster::allocator::{self, Move, Outcome, Planner, RebalanceScope};
use crate::cluster::ctx::Ctx;
use crate::cluster::messages;
use crate::cluster::model::{Allocation, DatabaseKind, Mode, ServerState, Status};
use crate::dialect::ast::DeallocateDatabases;
use crate::error::{Neo4jError, code};
use crate::result::QueryResult;
use crate::value::Value;
use std::collections::{BTreeMap, HashSet};

/// The six columns of DRYRUN results and of the move procedures.
pub const MOVE_COLUMNS: &[&str] = &[
    "database",
    "fromServerName",
    "fromServerId",
    "toServerName",
    "toServerId",
    "mode",
];

/// The rows for a plan.
pub fn move_rows(ctx: &Ctx<'_>, moves: &[Move]) -> QueryResult {
    let name = |id: &str| {
        ctx.state()
            .servers
            .get(id)
            .map_or(id.to_string(), |s| s.name.clone())
    };
    let rows = moves
        .iter()
        .map(|m| {
            vec![
                Value::str(&m.database),
                Value::str(name(&m.from)),
                Value::str(&m.from),
                Value::str(name(&m.to)),
                Value::str(&m.to),
                Value::str(m.mode.as_str()),
            ]
        })
        .collect();
    QueryResult::new(MOVE_COLUMNS.iter().map(|c| c.to_string()).collect(), rows)
}

fn apply(ctx: &mut Ctx<'_>, changed: BTreeMap<String, Vec<Allocation>>) {
    for (db, allocs) in changed {
        ctx.txn.set_allocations(&db, allocs);
    }
}

/// Why a database's copy may not leave a server (reference §1.3); the callers put it in
/// their command's or procedure's frame.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum Immovable {
    /// The database is stopped.
    #[error("Database '{0}' is offline; start it before deallocating it.")]
    Offline(String),
    /// The copy is the only primary.
    #[error("Database '{0}' has a single primary, which cannot be moved automatically.")]
    SinglePrimary(String),
    /// Most primaries sit on cordoned servers.
    #[error("A quorum of the servers hosting database '{0}' in primary mode is cordoned.")]
    CordonedQuorum(String),
}

/// Checks the deallocation refusal rules (reference §1.3) for moving `database`'s copy
/// off `server`.
fn check_movable(ctx: &Ctx<'_>, database: &str, server: &str) -> Result<(), Immovable> {
    let state = ctx.state();
    let Some(db) = state.databases.get(database) else {
        return Ok(());
    };
    if db.requested_status == Status::Offline {
        return Err(Immovable::Offline(database.into()));
    }
    let allocs = state.allocations_of(database);
    let primaries: Vec<&Allocation> = allocs.iter().filter(|a| a.mode == Mode::Primary).collect();
    if primaries.len() == 1 && *primaries[0].server == *server {
        return Err(Immovable::SinglePrimary(database.into()));
    }
    let cordoned = primaries
        .iter()
        .filter(|a| {
            state
                .servers
                .get(&*a.server)
                .is_some_and(|s| s.state == ServerState::Cordoned)
        })
        .count();
    if !primaries.is_empty() && cordoned > primaries.len() / 2 {
        return Err(Immovable::CordonedQuorum(database.into()));
    }
    Ok(())
}

/// `[DRYRUN] DEALLOCATE DATABASES FROM SERVERS ...`: all user copies leave; the servers
/// become `Deallocated` at once (the model has no asynchronous catch-up, so
/// `Deallocating` is never observed).
pub fn deallocate_servers(
    ctx: &mut Ctx<'_>,
    d: &DeallocateDatabases,
) -> Result<QueryResult, Neo4jError> {
    let keys = d
        .servers
        .iter()
        .map(|s| ctx.string(s))
        .collect::<Result<Vec<_>, _>>()?;
    let label = keys.join("', '");
    let mut ids = Vec::new();
    for k in &keys {
        let s = ctx
            .state()
            .server_by_name_or_id(k)
            .ok_or_else(|| messages::cannot_deallocate(&label, &messages::server_not_found(k)))?;
        if !matches!(s.state, ServerState::Enabled | ServerState::Cordoned) {
            return Err(messages::cannot_deallocate(
                &label,
                &format!(
                    "Server '{k}' is {}; only enabled or cordoned servers can be deallocated.",
                    s.state.as_str()
                ),
            ));
        }
        if !ids.contains(&s.id) {
            ids.push(s.id.clone());
        }
    }
    for id in &ids {
        for db in hosted_by(ctx, id) {
            check_movable(ctx, &db, id)
                .map_err(|e| messages::cannot_deallocate(&label, &e.to_string()))?;
        }
    }
    // The optimal plan: every copy leaves the servers, the rest of the cluster may shift
    // (chains through third servers) so the maximum load is the lowest reachable.
    let Some(outcome) = allocator::plan_moves(ctx.state(), RebalanceScope::default(), &ids) else {
        return Err(messages::cannot_deallocate(
            &label,
            &format!(
                "Not enough eligible servers would remain to satisfy the topology of database '{}'.",
                unplaceable(ctx, &ids)
            ),
        ));
    };
    let moves = allocator::net_moves(ctx.state(), &outcome.changed);
    ctx.notify_cordoned();
    if d.dry_run {
        notify_max_load(ctx, &outcome, moves.len());
        return Ok(move_rows(ctx, &moves));
    }
    apply(ctx, outcome.changed);
    for id in &ids {
        ctx.txn
            .update_server(id, |s| s.state = ServerState::Deallocated);
    }
    Ok(QueryResult::empty())
}

/// `[DRYRUN] REALLOCATE DATABASES`.
pub fn reallocate_all(ctx: &mut Ctx<'_>, dry_run: bool) -> Result<QueryResult, Neo4jError> {
    let cordoned: Vec<String> = ctx
        .state()
        .servers
        .values()
        .filter(|s| s.state == ServerState::Cordoned)
        .map(|s| s.name.clone())
        .collect();
    if !cordoned.is_empty() {
        return Err(messages::cannot_reallocate(&format!(
            "`REALLOCATE DATABASES` requires that there are no cordoned servers. Cordoned: {}.",
            cordoned.join(", ")
        )));
    }
    let (moves, outcome) = plan(ctx, RebalanceScope::default(), dry_run);
    if moves.is_empty() {
        ctx.notify(
            "Neo.ClientNotification.Cluster.NoDatabasesReallocated",
            "`REALLOCATE DATABASES` has no effect.",
            "No databases were reallocated. No better allocation is currently possible.".into(),
            "INFORMATION",
        );
    }
    if dry_run {
        notify_max_load(ctx, &outcome, moves.len());
        return Ok(move_rows(ctx, &moves));
    }
    Ok(QueryResult::empty())
}

/// Plans an optimal rebalance, applies it unless `dry_run`, and returns the net moves
/// with the plan.
fn plan(ctx: &mut Ctx<'_>, scope: RebalanceScope<'_>, dry_run: bool) -> (Vec<Move>, Outcome) {
    // Nothing leaves, so a plan always exists (no moves at worst).
    let outcome = allocator::plan_moves(ctx.state(), scope, &[]).unwrap_or_default();
    let moves = allocator::net_moves(ctx.state(), &outcome.changed);
    if !dry_run {
        apply(ctx, outcome.changed.clone());
    }
    (moves, outcome)
}

/// A DRYRUN's note of the plan's maximum load per server before and after (cysh's own
/// notification: Neo4j's DRYRUN has only the six columns).
fn notify_max_load(ctx: &mut Ctx<'_>, outcome: &Outcome, moves: usize) {
    ctx.notify(
        "Cysh.ClientNotification.Cluster.PlannedMaximumLoad",
        "The plan's maximum load per server.",
        format!(
            "Maximum load per server: {} before, {} after the plan ({moves} move{}; \
             the lowest maximum reachable, with the fewest moves).",
            outcome.max_load_before,
            outcome.max_load_after,
            if moves == 1 { "" } else { "s" }
        ),
        "INFORMATION",
    );
}

/// The user databases with a copy on `server`, by name.
fn hosted_by(ctx: &Ctx<'_>, server: &str) -> Vec<String> {
    ctx.state()
        .allocations
        .iter()
        .filter(|(_, a)| a.iter().any(|a| *a.server == *server))
        .map(|(db, _)| db.to_string())
        .collect()
}

/// The database the refusal of an impossible DEALLOCATE names: the first whose copies on
/// the leaving servers have nowhere to go even alone (else the first on those servers).
fn unplaceable(ctx: &Ctx<'_>, ids: &[String]) -> String {
    let mut first = None;
    for id in ids {
        for db in hosted_by(ctx, id) {
            let scope = RebalanceScope {
                database: Some(&db),
                max_moves: None,
            };
            if allocator::plan_moves(ctx.state(), scope, ids).is_none() {
                return db;
            }
            first.get_or_insert(db);
        }
    }
    first.unwrap_or_default()
}

fn proc_fail(proc_name: &str, why: &str) -> Neo4jError {
    Neo4jError::new(
        code::PROCEDURE_CALL_FAILED,
        format!("Failed to invoke procedure `{proc_name}`: Caused by: {why}"),
    )
}

fn user_database(ctx: &Ctx<'_>, proc_name: &str, database: &str) -> Result<String, Neo4jError> {
    let name = database.to_ascii_lowercase();
    match ctx.state().databases.get(name.as_str()) {
        Some(d) if d.kind == DatabaseKind::Standard => Ok(name),
        Some(_) => Err(proc_fail(
            proc_name,
            &format!("Database '{name}' is not a standard database."),
        )),
        None if name == "system" => {
            Err(proc_fail(proc_name, "The system database cannot be moved."))
        }
        None => Err(proc_fail(
            proc_name,
            &format!("Database '{name}' does not exist."),
        )),
    }
}

/// `dbms.cluster.deallocateDatabaseFromServer(s)`: moves one database off the servers;
/// their state does not change.
pub fn deallocate_database(
    ctx: &mut Ctx<'_>,
    proc_name: &str,
    servers: &[String],
    database: &str,
    dry_run: bool,
) -> Result<QueryResult, Neo4jError> {
    let db = user_database(ctx, proc_name, database)?;
    let mut ids = Vec::new();
    for k in servers {
        let s = ctx
            .state()
            .server_by_name_or_id(k)
            .ok_or_else(|| proc_fail(proc_name, &messages::server_not_found(k)))?;
        if !ctx
            .state()
            .allocations_of(&db)
            .iter()
            .any(|a| *a.server == *s.id)
        {
            return Err(proc_fail(
                proc_name,
                &format!("Server '{k}' does not host database '{db}'."),
            ));
        }
        ids.push(s.id.clone());
    }
    let exclude: HashSet<String> = ids.iter().cloned().collect();
    let mut planner = Planner::new(ctx.state());
    for id in &ids {
        check_movable(ctx, &db, id).map_err(|e| proc_fail(proc_name, &e.to_string()))?;
        planner.move_off(&db, id, &exclude).map_err(|_| {
            proc_fail(
                proc_name,
                &format!("No eligible server can take the copy of database '{db}'."),
            )
        })?;
    }
    let changed = planner.changed();
    let moves = allocator::net_moves(ctx.state(), &changed);
    ctx.notify_cordoned();
    if !dry_run {
        apply(ctx, changed);
    }
    Ok(move_rows(ctx, &moves))
}

/// `dbms.cluster.deallocateNumberOfDatabases(server, number)`: moves up to `number`
/// copies off the server, in database-name order, skipping copies that cannot move.
pub fn deallocate_number(
    ctx: &mut Ctx<'_>,
    proc_name: &str,
    server: &str,
    number: i64,
    dry_run: bool,
) -> Result<QueryResult, Neo4jError> {
    if number < 1 {
        return Err(proc_fail(
            proc_name,
            "The number of databases must be at least 1.",
        ));
    }
    let id = ctx
        .state()
        .server_by_name_or_id(server)
        .ok_or_else(|| proc_fail(proc_name, &messages::server_not_found(server)))?
        .id
        .clone();
    let hosted: Vec<String> = ctx
        .state()
        .allocations
        .iter()
        .filter(|(_, a)| a.iter().any(|a| *a.server == *id))
        .map(|(db, _)| db.to_string())
        .collect();
    let exclude: HashSet<String> = [id.clone()].into();
    let mut planner = Planner::new(ctx.state());
    let mut moved = 0;
    for db in hosted {
        if moved >= number {
            break;
        }
        if check_movable(ctx, &db, &id).is_ok() && planner.move_off(&db, &id, &exclude).is_ok() {
            moved += 1;
        }
    }
    let changed = planner.changed();
    let moves = allocator::net_moves(ctx.state(), &changed);
    if !dry_run {
        apply(ctx, changed);
    }
    Ok(move_rows(ctx, &moves))
}

/// `dbms.cluster.reallocateDatabase(database)` / `reallocateNumberOfDatabases(number)`.
pub fn reallocate_some(
    ctx: &mut Ctx<'_>,
    proc_name: &str,
    database: Option<&str>,
    number: Option<i64>,
    dry_run: bool,
) -> Result<QueryResult, Neo4jError> {
    let db = match database {
        Some(d) => Some(user_database(ctx, proc_name, d)?),
        None => None,
    };
    if number.is_some_and(|n| n < 1) {
        return Err(proc_fail(
            proc_name,
            "The number of databases must be at least 1.",
        ));
    }
    let scope = RebalanceScope {
        database: db.as_deref(),
        max_moves: number.map(|n| n as usize),
    };
    let (moves, _) = plan(ctx, scope, dry_run);
    Ok(move_rows(ctx, &moves))
}
