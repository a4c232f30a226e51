//! The embedded cluster: an in-process, deterministic model of a Neo4j 5 / 2025 / 2026
//! cluster's control plane that executes parsed admin statements.
//!
//! It owns the cluster state and every rule about it: server lifecycle, database
//! lifecycle, allocation, SHOW tables, procedures and the simulation controls. It must
//! stay synchronous and deterministic for a given state and input: no HTTP, no async, no
//! terminal and no I/O of its own beyond the `Store` it is given; times and ids come from
//! the injected `Env`.
//!
//! Every statement runs in a `txn::Txn`: all its changes are recorded with their undo, so
//! a statement that fails changes nothing, and a successful one hands its row-level
//! `store::Change`s to the store (or to the open explicit transaction).

pub mod allocator;
mod commands;
pub use commands::show_columns;
pub mod config;
pub mod ctx;
pub mod dryrun;
pub mod env;
pub mod eval;
pub mod lazy;
pub mod messages;
pub mod model;
pub mod names;
pub mod plan;
pub mod procedures;
mod query;
pub mod security;
pub mod show;
pub mod store;
pub mod txn;

#[cfg(test)]
mod tests;

pub use config::Config;
pub use ctx::Session;
pub use env::{Env, FixedEnv, SystemEnv};
pub use query::complete;

/// The most rows of a lazily computed query EXPLAIN counts for its estimate.
const EXPLAIN_COUNT: usize = 1_000_000;
pub use store::{Change, MemoryStore, Store, StoreError};

use crate::dialect::Params;
use crate::dialect::ast::Statement;
use crate::error::{Neo4jError, code};
use crate::result::QueryResult;
use model::State;
use txn::{Log, Txn};

/// True when `statement` would change the cluster: every administration command but the
/// SHOWs and DRYRUNs, and a procedure of mode WRITE (an unknown one too: it fails anyway).
/// General Cypher is not counted: the cluster refuses it for its own reason.
fn updates(statement: &Statement) -> bool {
    match statement {
        Statement::Call(c) => procedures::find(&c.procedure)
            .is_none_or(|p| p.mode == procedures::ProcedureMode::Write),
        s if s.is_general_cypher() => false,
        s => !s.is_read_only(),
    }
}

/// The embedded cluster.
pub struct Cluster {
    state: State,
    store: Box<dyn Store>,
    env: Box<dyn Env>,
    /// The open explicit transaction, if any.
    open: Option<Log>,
    /// Warnings raised while the cluster was set up (e.g. no default database).
    warnings: Vec<String>,
    /// True when this cluster was set up now rather than loaded from its store.
    fresh: bool,
    /// The state when the open dry run began, if one is open (`open` holds its undo).
    dry_run: Option<Box<State>>,
    /// The state is what the store holds once the cluster is loaded or set up and
    /// committed; until then (a failed set-up) nothing is handed to `Store::close`.
    settled: bool,
}

impl std::fmt::Debug for Cluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cluster")
            .field("state", &self.state)
            .finish()
    }
}

fn store_error(e: StoreError) -> Neo4jError {
    Neo4jError::new(
        code::UNKNOWN_ERROR,
        format!("The cluster store failed: {e}"),
    )
}

impl Cluster {
    /// A new in-memory cluster: `config.servers` servers join through the same path as
    /// `CALL sim.addServer()` (random v4 UUID ids, addresses from `localhost:7687`).
    pub fn new(config: Config) -> Result<Cluster, Neo4jError> {
        Cluster::with_parts(config, Box::new(MemoryStore), Box::new(SystemEnv))
    }

    /// A cluster kept in `store`: its saved state if it has one, else a new cluster set up
    /// by `config`.
    pub fn with_store(config: Config, store: Box<dyn Store>) -> Result<Cluster, Neo4jError> {
        Cluster::with_parts(config, store, Box::new(SystemEnv))
    }

    /// A cluster with an explicit store and environment (clock and ids); tests use
    /// `FixedEnv` for determinism.
    pub fn with_parts(
        config: Config,
        mut store: Box<dyn Store>,
        env: Box<dyn Env>,
    ) -> Result<Cluster, Neo4jError> {
        let loaded = store.load().map_err(store_error)?;
        let fresh = loaded.is_none();
        let mut state = loaded.unwrap_or_default();
        state.reindex();
        let mut cluster = Cluster {
            state,
            store,
            env,
            open: None,
            warnings: Vec::new(),
            fresh,
            dry_run: None,
            settled: false,
        };
        if !fresh && cluster.state.roles.is_empty() {
            // A data directory from before users existed: set up the security part now.
            let mut txn = Txn::new(&mut cluster.state);
            security::bootstrap(&mut txn);
            let log = txn.log;
            cluster.store.commit(&log.changes).map_err(store_error)?;
        }
        if fresh {
            let mut txn = Txn::new(&mut cluster.state);
            txn.update_settings(|s| *s = config.settings.clone());
            security::bootstrap(&mut txn);
            let (params, session) = (Params::new(), Session::default());
            let mut ctx = ctx::Ctx::new(txn, cluster.env.as_mut(), &params, &session);
            for _ in 0..config.servers {
                commands::servers::add_server(&mut ctx, &Default::default(), true)?;
            }
            let settings = &ctx.state().settings;
            if config.servers > 0 && !settings.bootstrapped {
                let (joined, needed) = (
                    ctx.state().servers.len(),
                    settings.min_initial_system_primaries,
                );
                ctx.notify(
                    "",
                    "",
                    messages::waiting_for_servers(joined, needed),
                    "WARNING",
                );
            }
            cluster.warnings = ctx
                .notifications
                .iter()
                .map(|n| n.description.clone())
                .collect();
            let log = ctx.txn.log;
            cluster
                .store
                .commit_setup(&log.changes)
                .map_err(store_error)?;
        }
        cluster.settled = true;
        Ok(cluster)
    }

    /// True when the cluster was set up from its `Config` now, false when it was loaded
    /// from its store (and the `Config`'s servers and settings did not apply).
    pub fn is_new(&self) -> bool {
        self.fresh
    }

    /// The current state (read-only).
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Checks a login against the system database's users (argon2): Neo4j's Unauthorized
    /// for an unknown user, a wrong or unset password, or a suspended user.
    pub fn authenticate(&self, user: &str, password: &str) -> Result<(), Neo4jError> {
        security::authenticate(&self.state, user, password)
    }

    /// Warnings raised while a new cluster was set up (Neo4j logs them).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Executes one parsed statement. A statement that fails changes nothing. A query's
    /// columns without an alias are named after their text, which this call does not have:
    /// use `execute_text` for queries.
    pub fn execute(
        &mut self,
        statement: &Statement,
        params: &Params,
        session: &Session,
    ) -> Result<QueryResult, Neo4jError> {
        self.execute_text(statement, "", params, session)
    }

    /// Executes one parsed statement whose text is `source` (what a query's unaliased
    /// columns are named after, as Neo4j names them). A statement that fails changes
    /// nothing.
    pub fn execute_text(
        &mut self,
        statement: &Statement,
        source: &str,
        params: &Params,
        session: &Session,
    ) -> Result<QueryResult, Neo4jError> {
        self.execute_inner(statement, source, params, session, false, None)
    }

    /// `execute_text`, but a query whose clauses look at one row at a time answers with
    /// its rows still to compute (`QueryResult::more`): they are computed as the caller
    /// pulls them, after this call, without the cluster. Such a query changes nothing, so
    /// an error met while pulling leaves nothing to undo. With a `sink`, a command that
    /// makes its rows in their final order (SHOW DATABASES) pushes them there as it makes
    /// them and returns a result without rows; the caller drains the rest into it.
    pub fn execute_streaming(
        &mut self,
        statement: &Statement,
        source: &str,
        params: &Params,
        session: &Session,
        sink: Option<&mut dyn crate::result::RowSink>,
    ) -> Result<QueryResult, Neo4jError> {
        self.execute_inner(statement, source, params, session, true, sink)
    }

    fn execute_inner(
        &mut self,
        statement: &Statement,
        source: &str,
        params: &Params,
        session: &Session,
        stream: bool,
        sink: Option<&mut dyn crate::result::RowSink>,
    ) -> Result<QueryResult, Neo4jError> {
        if session.impersonating && updates(statement) {
            return Err(security::updates_when_impersonating());
        }
        // WAIT commits on its own in Neo4j, so it cannot join an explicit transaction.
        if self.open.is_some()
            && self.dry_run.is_none()
            && statement.wait() != crate::dialect::ast::Wait::NoWait
        {
            return Err(messages::wait_in_transaction());
        }
        let prefix = crate::dialect::prefix(source);
        let version = prefix.version.unwrap_or(5);
        if prefix.explain {
            return self.explain(statement, source, params, session, version);
        }
        // PROFILE counts the rows, so they are all made here, not streamed to the caller.
        let (stream, sink) = if prefix.profile {
            (false, None)
        } else {
            (stream, sink)
        };
        let txn = Txn::new(&mut self.state);
        let mut ctx = ctx::Ctx::new(txn, self.env.as_mut(), params, session);
        ctx.source = source;
        ctx.sink = sink.map(|s| s as &mut dyn crate::result::RowSink);
        let outcome = commands::execute(&mut ctx, statement);
        let outcome = if stream {
            outcome
        } else {
            outcome.and_then(query::complete)
        };
        let notifications = std::mem::take(&mut ctx.notifications);
        let mut log = ctx.txn.log;
        match outcome {
            Err(e) => {
                log.rollback(&mut self.state);
                Err(e)
            }
            Ok(mut result) => {
                result.notifications.extend(notifications);
                if prefix.profile {
                    result.plan = Some(plan::plan_of(
                        statement,
                        &result.fields,
                        result.rows.len(),
                        &session.database,
                        true,
                        version,
                    ));
                }
                // One system update per statement that changed the cluster (Neo4j counts
                // its system graph's writes; the model's changes are not those writes).
                if !log.changes.is_empty() {
                    result.counters.system_updates = 1;
                }
                match &mut self.open {
                    Some(open) => open.extend(log),
                    None => {
                        if !log.changes.is_empty()
                            && let Err(e) = self.store.commit(&log.changes)
                        {
                            log.rollback(&mut self.state);
                            return Err(store_error(e));
                        }
                    }
                }
                Ok(result)
            }
        }
    }

    /// EXPLAIN: the statement's plan and columns, with no rows and nothing changed. It
    /// runs and is rolled back, which is how the cluster knows the columns (and the rows
    /// it would return, the plan's estimate); a statement that would fail still has a
    /// plan, as Neo4j plans without running, unless the user may not run it at all or the
    /// cluster cannot serve it.
    fn explain(
        &mut self,
        statement: &Statement,
        source: &str,
        params: &Params,
        session: &Session,
        version: u32,
    ) -> Result<QueryResult, Neo4jError> {
        let txn = Txn::new(&mut self.state);
        let mut ctx = ctx::Ctx::new(txn, self.env.as_mut(), params, session);
        ctx.source = source;
        let outcome = commands::execute(&mut ctx, statement);
        let mut log = ctx.txn.log;
        log.rollback(&mut self.state);
        let (fields, rows) = match outcome {
            // Rows a query would compute lazily are counted, up to an estimate's worth.
            Ok(result) => (
                result.fields,
                result.rows.len()
                    + result
                        .more
                        .map_or(0, |m| m.take(EXPLAIN_COUNT).filter(Result::is_ok).count()),
            ),
            // A refusal of the user, or a cluster that cannot serve, is an error still.
            Err(e)
                if !e.code.starts_with("Neo.ClientError.")
                    || e.code.starts_with("Neo.ClientError.Security.") =>
            {
                return Err(e);
            }
            Err(_) => (Vec::new(), 0),
        };
        let plan = plan::plan_of(statement, &fields, rows, &session.database, false, version);
        let mut result = QueryResult::new(fields, Vec::new());
        result.plan = Some(plan);
        Ok(result)
    }

    /// Starts a dry run: statements run as usual, but their changes are held (as in an
    /// explicit transaction, WAIT allowed) and `dry_run_finish` undoes them all. Nothing
    /// reaches the store. Refused inside an explicit transaction.
    pub fn dry_run_begin(&mut self) -> Result<(), Neo4jError> {
        if self.open.is_some() {
            return Err(messages::dry_run_in_transaction());
        }
        self.dry_run = Some(Box::new(self.state.clone()));
        self.open = Some(Log::default());
        Ok(())
    }

    /// Ends the dry run: compares the state now with the state at `dry_run_begin`, then
    /// rolls every change back, so the state is exactly as before.
    pub fn dry_run_finish(&mut self) -> Result<dryrun::Plan, Neo4jError> {
        let Some(before) = self.dry_run.take() else {
            return Err(no_transaction());
        };
        let plan = dryrun::plan(&before, &self.state);
        if let Some(mut log) = self.open.take() {
            log.rollback(&mut self.state);
        }
        // The undo log restores every row; the copy taken at the start is the same state,
        // and putting it back makes "nothing changed" true by construction.
        self.state = *before;
        Ok(plan)
    }

    /// True while a dry run is open.
    pub fn in_dry_run(&self) -> bool {
        self.dry_run.is_some()
    }

    /// Opens an explicit transaction: statements' changes are held until `commit`.
    pub fn begin(&mut self) -> Result<(), Neo4jError> {
        if self.dry_run.is_some() {
            return Err(messages::transaction_in_dry_run());
        }
        if self.open.is_some() {
            return Err(Neo4jError::new(
                "Neo.ClientError.Transaction.TransactionStartFailed",
                "A transaction is already open.",
            ));
        }
        self.open = Some(Log::default());
        Ok(())
    }

    /// Commits the explicit transaction: its changes go to the store in one call.
    pub fn commit(&mut self) -> Result<(), Neo4jError> {
        if self.dry_run.is_some() {
            return Err(messages::transaction_in_dry_run());
        }
        let Some(mut log) = self.open.take() else {
            return Err(no_transaction());
        };
        if let Err(e) = self.store.commit(&log.changes) {
            log.rollback(&mut self.state);
            return Err(store_error(e));
        }
        Ok(())
    }

    /// Rolls the explicit transaction back: the state is as it was at `begin`.
    pub fn rollback(&mut self) -> Result<(), Neo4jError> {
        if self.dry_run.is_some() {
            return Err(messages::transaction_in_dry_run());
        }
        let Some(mut log) = self.open.take() else {
            return Err(no_transaction());
        };
        log.rollback(&mut self.state);
        Ok(())
    }
}

/// From this many databases a dropped cluster's state is not freed (see `Drop`).
const LEAVE_TO_THE_OS: usize = 10_000;

impl Drop for Cluster {
    /// A clean close hands the committed state to the store (which may keep a snapshot
    /// of it). With a transaction or dry run still open, after a failed set-up or while
    /// panicking, the state may hold changes the store has not seen, so nothing is
    /// handed over.
    fn drop(&mut self) {
        // A panic may have left a statement half applied to the state.
        if self.settled
            && self.open.is_none()
            && self.dry_run.is_none()
            && !std::thread::panicking()
        {
            // A snapshot that cannot be written only costs the next open its speed.
            let _ = self.store.close(&self.state);
        }
        // Freeing a large state map entry by entry is a seventh of a one-shot process's
        // time at 100,000 databases. Every way in drops its cluster as its process ends
        // (the shell, `cysh serve`, `cysh twin`), so a large state is left to the
        // operating system; small ones (every test's) are freed as usual.
        // (A table never decoded is one buffer: nothing to leave.)
        if self
            .state
            .databases
            .if_ready()
            .is_some_and(|d| d.len() >= LEAVE_TO_THE_OS)
        {
            std::mem::forget(std::mem::take(&mut self.state));
        }
    }
}

fn no_transaction() -> Neo4jError {
    Neo4jError::new(
        "Neo.ClientError.Transaction.TransactionNotFound",
        "There is no open transaction.",
    )
}
