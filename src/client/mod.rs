//! The one `Backend` trait between the shell and whatever executes statements, and the
//! backends behind it.
//!
//! It owns the request/response contract. The shell talks only to `Backend`; it must
//! never reach into `cluster` or HTTP directly, which is what keeps the embedded and
//! remote paths interchangeable.

pub mod bolt;
pub mod credentials;
pub mod embedded;
mod error;
pub mod log;
pub mod remote;
pub mod runtime;
pub mod tls;

pub use crate::cluster::dryrun::Plan;
use crate::dialect::Params;
use crate::dialect::ast::Statement;
use crate::error::Neo4jError;
use crate::result::{QueryResult, RowSink};
pub use error::{AddressError, BackendError, ConnectionError};

/// What `--driver-version` prints: cysh talks to Neo4j with its own client, whose
/// version is cysh's, in cypher-shell's words (`Neo4j Driver <version>`).
pub fn driver_version() -> String {
    format!(
        "Neo4j Driver cysh-{} (cysh's own client: Bolt 4.4, 5.0-5.8 and 6.0, HTTP Query API v2)",
        env!("CARGO_PKG_VERSION")
    )
}

/// One statement to run.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The statement text as typed (without the terminating `;`).
    pub text: &'a str,
    /// The statement as the local parser understood it.
    pub statement: &'a Statement,
    /// The session's parameters.
    pub params: &'a Params,
    /// The database the session uses.
    pub database: &'a str,
    /// Told how far a `WAIT` has got, by backends that can watch the servers catch up
    /// while they wait (the remote one polls `SHOW DATABASE`); `None` to not watch.
    pub on_wait: Option<WaitWatcher<'a>>,
}

/// How many of the servers hosting a database have reached its requested state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitProgress {
    /// Servers whose current status is the requested one.
    pub caught_up: usize,
    /// Servers hosting the database.
    pub total: usize,
}

/// The callback of [`Request::on_wait`].
#[derive(Clone, Copy)]
pub struct WaitWatcher<'a>(pub &'a dyn Fn(WaitProgress));

impl std::fmt::Debug for WaitWatcher<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WaitWatcher")
    }
}

/// What the shell shows about a backend (welcome line, prompt).
#[derive(Debug, Clone)]
pub struct BackendInfo {
    /// The user the session is authenticated as.
    pub user: String,
    /// The user statements run as instead (`--impersonate`, `:impersonate`), if any.
    pub impersonating: Option<String>,
    /// One line naming the backend, e.g. `embedded cluster (in memory, 3 servers)`.
    pub description: String,
    /// True when the backend runs general Cypher (a Neo4j server), so the shell can send it
    /// what it cannot evaluate locally, such as `:param {now: datetime()}`.
    pub runs_cypher: bool,
}

/// Something that executes statements: the embedded cluster or a remote server.
pub trait Backend {
    /// Runs one statement and returns its result, every row in it.
    fn run(&mut self, request: &Request<'_>) -> Result<QueryResult, BackendError>;

    /// Runs one statement, pushing its columns and then its rows to `sink` as they come
    /// (a Bolt server's records batch by batch, the embedded cluster's lazy rows as they
    /// are computed), so no result has to be held whole; stops early when the sink asks.
    /// Returns the result without its rows: columns, notifications, timings, counters.
    fn run_to(
        &mut self,
        request: &Request<'_>,
        sink: &mut dyn RowSink,
    ) -> Result<QueryResult, BackendError> {
        let result = self.run(request)?;
        Ok(result.drain_into(sink)?)
    }

    /// Describes the backend.
    fn info(&self) -> BackendInfo;

    /// Runs from now on as `user` (`--impersonate`, `:impersonate`), or as the
    /// authenticated user again with `None`. Refused, changing nothing, unless the
    /// authenticated user holds IMPERSONATE for `user`; while impersonating only reads run.
    fn impersonate(&mut self, user: Option<&str>) -> Result<(), BackendError>;

    /// Sends statements to readers (`Some(true)`) or writers (`Some(false)`) from now on,
    /// and says which it is now (`:access-mode`). Only Bolt routing has the choice.
    fn access_mode(&mut self, read: Option<bool>) -> Result<bool, BackendError> {
        match read {
            None | Some(false) => Ok(false),
            Some(true) => Err(BackendError::Statement(Neo4jError::new(
                crate::error::code::NOT_SUPPORTED,
                "The access mode can only be changed on a Bolt connection (-a neo4j://HOST:7687).",
            ))),
        }
    }

    /// Closes the session's connections (`:disconnect`). The shell sends nothing more
    /// until [`Backend::reconnect`]; the embedded cluster has nothing to close.
    fn disconnect(&mut self) {}

    /// Opens the session again after [`Backend::disconnect`] (`:connect`): logged in as
    /// `login`'s user with its password, or with the credentials it had before when
    /// `None`. Impersonation and an open transaction do not survive it.
    fn reconnect(&mut self, login: Option<(&str, &str)>) -> Result<(), BackendError>;

    /// Opens an explicit transaction (`:begin`).
    fn begin(&mut self) -> Result<(), BackendError> {
        Err(BackendError::Statement(unsupported_transactions()))
    }

    /// Commits the open transaction (`:commit`).
    fn commit(&mut self) -> Result<(), BackendError> {
        Err(BackendError::Statement(unsupported_transactions()))
    }

    /// Rolls back the open transaction (`:rollback`).
    fn rollback(&mut self) -> Result<(), BackendError> {
        Err(BackendError::Statement(unsupported_transactions()))
    }

    /// Starts a dry run (`:dryrun`, `--dry-run`): the statements run from now on are
    /// undone by `dry_run_finish`. Only a cluster cysh holds itself can promise that, so
    /// other backends say a twin is needed.
    fn dry_run_begin(&mut self) -> Result<(), BackendError> {
        Err(BackendError::Statement(needs_twin(None)))
    }

    /// Ends the dry run: undoes everything since `dry_run_begin` and returns the plan.
    fn dry_run_finish(&mut self) -> Result<Plan, BackendError> {
        Err(BackendError::Statement(needs_twin(None)))
    }

    /// The `:sysinfo` metric tables the backend knows itself (the embedded cluster's store
    /// size); a server's are read from its JMX metrics by the shell. None by default.
    fn own_metrics(&self) -> Vec<MetricTable> {
        Vec::new()
    }
}

/// One of cypher-shell's `:sysinfo` metric tables: a heading (`Store Size`, `Page
/// Cache`, `Transactions`, …) and its `Name`, `Value` rows.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricTable {
    /// The heading.
    pub heading: &'static str,
    /// Each metric's display name and value.
    pub rows: Vec<(&'static str, crate::value::Value)>,
}

/// The refusal of a dry run on a backend that is not the embedded cluster, with the
/// `cysh twin` command that makes one (from `address` when it is known).
pub fn needs_twin(address: Option<&str>) -> Neo4jError {
    let from = address.unwrap_or("neo4j://HOST:7687");
    Neo4jError::new(
        crate::error::code::NOT_SUPPORTED,
        format!(
            "A dry run needs a twin: this backend runs statements for real and cannot undo them. \
             Make an embedded copy of the cluster with `cysh twin --from {from} -u USER --data-dir DIR`, \
             then dry-run there with `cysh --data-dir DIR` and :dryrun."
        ),
    )
}

fn unsupported_transactions() -> Neo4jError {
    Neo4jError::new(
        crate::error::code::NOT_SUPPORTED,
        "Explicit transactions are not supported by this backend.",
    )
}
