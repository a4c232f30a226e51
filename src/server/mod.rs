//! `cysh serve`: the embedded cluster behind Neo4j's HTTP Query API v2 — the same
//! endpoints, status codes, JSON shapes and error bodies as a Neo4j server — and, with
//! `--bolt`, behind Bolt (`bolt/`), on the same state, users and transactions.
//!
//! It owns the HTTP side: routing, authentication, request limits, explicit transactions,
//! TLS and graceful shutdown. It must not interpret statements (the dialect and the
//! cluster do) nor write JSON by hand (the `wire` module does).
//!
//! Concurrency: the cluster is synchronous and sits behind one mutex. Each statement holds
//! it only while the cluster executes — microseconds for the admin cluster — so every
//! state change is atomic and readers queue only behind that short section.

pub mod auth;
mod body;
pub mod bolt;
pub mod conn;
mod handlers;
pub mod run;
pub mod tls;
pub mod tx;

use crate::cluster::{Cluster, Session, security};
use crate::dialect::split::split;
use crate::dialect::{self, Params};
use crate::error::{Neo4jError, code};
use crate::result::QueryResult;
use crate::wire::request::AccessMode;
use axum::Router;
use axum::routing::{get, post};
use std::collections::HashSet;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;

/// How long in-flight requests may take to finish after a shutdown signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// The Neo4j version `cysh serve` reports in discovery: the Query API level it follows.
pub const NEO4J_VERSION: &str = "2026.09.0";

/// How `cysh serve` runs.
pub struct Options {
    /// Checks credentials; `None` serves without authentication.
    pub authenticator: Option<Arc<dyn auth::Authenticator>>,
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// How long a client may take to send its request body.
    pub body_timeout: Duration,
    /// Serve HTTPS with this configuration.
    pub tls: Option<Arc<rustls::ServerConfig>>,
    /// Idle time after which an explicit transaction is rolled back.
    pub tx_idle_timeout: Duration,
    /// The connection cap and the header and idle deadlines.
    pub limits: conn::Limits,
    /// The port Bolt is served on, advertised in discovery; `None` (no Bolt) leaves the
    /// Bolt addresses out.
    pub bolt_port: Option<u16>,
    /// Serve Bolt on this listener too (`--bolt`).
    pub bolt: Option<bolt::BoltListener>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            authenticator: None,
            max_body_bytes: 1024 * 1024,
            body_timeout: Duration::from_secs(30),
            tls: None,
            tx_idle_timeout: tx::IDLE_TIMEOUT,
            limits: conn::Limits::default(),
            bolt_port: None,
            bolt: None,
        }
    }
}

/// State shared by all requests.
pub struct Shared {
    cluster: Mutex<Cluster>,
    databases: RwLock<HashSet<String>>,
    txs: Mutex<tx::Registry>,
    gate: auth::Gate,
    /// The cluster's users behind the gate (none when authentication is disabled).
    users: Option<Arc<auth::ClusterUsers>>,
    commits: AtomicU64,
    instance: [u8; 8],
    options: Options,
}

impl Shared {
    /// Shared state over `cluster`.
    pub fn new(cluster: Cluster, mut options: Options) -> Shared {
        let mut cluster = cluster;
        let databases = known_databases(&mut cluster);
        let mut instance = [0u8; 8];
        instance.copy_from_slice(&uuid::Uuid::new_v4().as_bytes()[..8]);
        // Logins are checked against the cluster's own users, so a user created, altered,
        // suspended or dropped with Cypher is refused or let in exactly as the embedded shell
        // would; the given authenticator only vouches for users the cluster keeps without a
        // password (the initial `neo4j`).
        let users = options
            .authenticator
            .take()
            .map(|fallback| Arc::new(auth::ClusterUsers::new(cluster.state(), Some(fallback))));
        let gate = auth::Gate::new(users.clone().map(|u| u as Arc<dyn auth::Authenticator>));
        Shared {
            cluster: Mutex::new(cluster),
            databases: RwLock::new(databases),
            txs: Mutex::new(tx::Registry::default()),
            gate,
            users,
            commits: AtomicU64::new(0),
            instance,
            options,
        }
    }

    fn lock_cluster(&self) -> std::sync::MutexGuard<'_, Cluster> {
        // A panic inside the cluster is caught per statement, so the state is consistent
        // even if the lock was poisoned.
        self.cluster.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn database_exists(&self, name: &str) -> bool {
        self.databases
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&name.to_ascii_lowercase())
    }

    fn refresh_databases(&self, cluster: &mut Cluster) {
        let names = known_databases(cluster);
        *self.databases.write().unwrap_or_else(|e| e.into_inner()) = names;
        // Verified logins stay valid until their user, password or suspension changes: a
        // check costs 19 MiB and tens of milliseconds, and every client would pay it again
        // after every write.
        if let Some(users) = &self.users {
            self.gate.forget_verified(&users.refresh(cluster.state()));
        }
    }

    /// A bookmark naming the latest committed change.
    fn bookmark(&self, wrote: bool) -> String {
        use base64::Engine;
        let n = if wrote {
            self.commits.fetch_add(1, Ordering::SeqCst) + 1
        } else {
            self.commits.load(Ordering::SeqCst)
        };
        let mut bytes = self.instance.to_vec();
        bytes.extend_from_slice(&n.to_be_bytes());
        format!(
            "FB:{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        )
    }
}

/// The databases requests may name: `system`, every database and every alias, read from
/// the cluster's state (cheap enough to redo after every write).
fn known_databases(cluster: &mut Cluster) -> HashSet<String> {
    let state = cluster.state();
    let mut names: HashSet<String> = state
        .databases
        .keys()
        .map(|k| k.as_str())
        .chain(state.aliases.keys().map(String::as_str))
        .map(|n| n.to_ascii_lowercase())
        .collect();
    names.insert("system".into());
    names
}

/// One statement of a request, parsed and executed.
struct Ran {
    result: QueryResult,
    query_type: &'static str,
    wrote: bool,
    recorded: tx::Recorded,
}

impl Ran {
    /// The same, every row computed (what a Query API body holds); a computation that
    /// panics is an error, not the end of the server.
    fn complete(mut self) -> Result<Ran, Neo4jError> {
        let result = std::mem::take(&mut self.result);
        self.result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            crate::cluster::complete(result)
        }))
        .unwrap_or_else(|_| Err(unexpected()))?;
        Ok(self)
    }
}

/// Who a request's statements run as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The user whose privileges apply.
    pub user: String,
    /// True when `user` is impersonated (`impersonatedUser`): only reads may run.
    pub impersonating: bool,
}

impl Actor {
    /// The authenticated `user`, or the user it asks to impersonate when it may (Neo4j's
    /// IMPERSONATE privilege).
    fn resolve(
        cluster: &Cluster,
        user: &str,
        impersonated: Option<&str>,
    ) -> Result<Actor, Neo4jError> {
        match impersonated {
            None => Ok(Actor {
                user: user.to_string(),
                impersonating: false,
            }),
            Some(target) => {
                security::impersonate(cluster.state(), user, target)?;
                Ok(Actor {
                    user: target.to_string(),
                    impersonating: target != user,
                })
            }
        }
    }
}

/// A request's one statement: split from its terminator, parsed, with Neo4j's errors.
pub(crate) struct Prepared {
    text: String,
    statement: dialect::ast::Statement,
}

impl Prepared {
    /// True when the statement changes nothing (it may run in place, under the lock).
    pub(crate) fn is_read_only(&self) -> bool {
        self.statement.is_read_only()
    }
}

/// Splits and parses `text`: exactly one statement, or Neo4j's error. Syntax errors carry
/// the position suffix, the statement line and the caret inside the message, as Neo4j
/// sends them, with a password literal masked in the echo, as Neo4j masks it in its logs.
pub(crate) fn prepare(text: &str) -> Result<Prepared, Neo4jError> {
    let pieces = split(text);
    if pieces.len() != 1 {
        return Err(Neo4jError::new(
            code::REQUEST_INVALID,
            format!(
                "Expected exactly one statement per query but got: {}",
                pieces.len()
            ),
        ));
    }
    let text = pieces
        .into_iter()
        .next()
        .map(|p| p.text)
        .unwrap_or_default();
    let statement = dialect::parse(&text).map_err(|e| {
        let (e, masked) = dialect::secrets::mask_error(&e, &text);
        Neo4jError::new(e.code.clone(), e.render(&masked))
    })?;
    Ok(Prepared { text, statement })
}

/// Executes a prepared statement on `cluster` with Neo4j's errors. With `stream` (Bolt,
/// whose PULLs page a result), a query that can answers with its rows still to compute
/// (`QueryResult::more`), which need no cluster to compute.
fn run_statement(
    cluster: &mut Cluster,
    prepared: Prepared,
    params: &Params,
    database: &str,
    actor: &Actor,
    access: AccessMode,
    stream: bool,
) -> Result<Ran, Neo4jError> {
    let Prepared { text, statement } = prepared;
    let text = text.as_str();
    // EXPLAIN plans without running, so it writes nothing (and is never replayed).
    let wrote = !statement.is_read_only() && !dialect::prefix(text).explain;
    if wrote && access == AccessMode::Read {
        return Err(Neo4jError::new(
            crate::wire::code::ACCESS_MODE,
            format!("Writing in read access mode not allowed. Attempted write to {database}"),
        ));
    }
    // Administration commands run against system wherever they were posted (reference
    // §11); procedures and general Cypher run where they were sent.
    let runs_where_sent =
        matches!(statement, dialect::ast::Statement::Call(_)) || statement.is_general_cypher();
    let session_db = if runs_where_sent { database } else { "system" };
    let query_type = match (runs_where_sent, wrote) {
        (true, true) => "rw",
        (true, false) => "r",
        (false, _) => "s",
    };
    let session = Session {
        user: actor.user.clone(),
        database: session_db.to_string(),
        impersonating: actor.impersonating,
    };
    let started = Instant::now();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if stream {
            cluster.execute_streaming(&statement, text, params, &session, None)
        } else {
            cluster.execute_text(&statement, text, params, &session)
        }
    }))
    .unwrap_or_else(|_| Err(unexpected()));
    let mut result = outcome?;
    // A plan names the statement's type itself (an administration SHOW reads).
    let query_type = result.plan.as_ref().map_or(query_type, |plan| {
        crate::wire::plan::short_query_type(&plan.query_type)
    });
    result.available_after_ms = started.elapsed().as_millis() as u64;
    result.consumed_after_ms = 0;
    Ok(Ran {
        result,
        query_type,
        wrote,
        recorded: tx::Recorded {
            statement,
            params: params.clone(),
            database: session_db.to_string(),
        },
    })
}

/// Runs `f` inside one of the cluster's own transactions; its changes are committed only
/// when `keep` is set and `f` succeeds, else rolled back. The caller holds the cluster
/// lock throughout, so the transaction never outlives the call.
fn scratch<R>(
    cluster: &mut Cluster,
    keep: bool,
    f: impl FnOnce(&mut Cluster) -> Result<R, Neo4jError>,
) -> Result<R, Neo4jError> {
    cluster.begin()?;
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(cluster)))
        .unwrap_or_else(|_| Err(unexpected()));
    match outcome {
        Ok(r) if keep => cluster.commit().map(|()| r),
        other => {
            let _ = cluster.rollback();
            other
        }
    }
}

/// Replays a transaction's recorded writes, stopping at the first failure.
fn replay(cluster: &mut Cluster, writes: &[tx::Recorded], user: &str) -> Result<(), Neo4jError> {
    for w in writes {
        let session = Session {
            user: user.to_string(),
            database: w.database.clone(),
            impersonating: false,
        };
        cluster.execute(&w.statement, &w.params, &session)?;
    }
    Ok(())
}

fn unexpected() -> Neo4jError {
    Neo4jError::new(
        code::UNKNOWN_ERROR,
        "An unexpected failure occurred while executing the statement.",
    )
}

/// The router with every Query API endpoint.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(handlers::discovery))
        .route("/db/{db}/query/v2", post(handlers::query))
        .route("/db/{db}/query/v2/tx", post(handlers::begin))
        .route(
            "/db/{db}/query/v2/tx/{id}",
            post(handlers::run_in_tx).delete(handlers::rollback),
        )
        .route("/db/{db}/query/v2/tx/{id}/commit", post(handlers::commit))
        .fallback(handlers::not_found)
        .with_state(shared)
}

/// Serves `cluster` on `listener` until `shutdown` completes, then lets in-flight
/// requests finish. Open explicit transactions are rolled back on shutdown, as a
/// stopping Neo4j does.
pub async fn serve(
    listener: TcpListener,
    cluster: Cluster,
    mut options: Options,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let tls = options.tls.clone();
    let bolt = options.bolt.take();
    let shared = Arc::new(Shared::new(cluster, options));
    let bolt = bolt.map(|b| tokio::spawn(bolt::accept_loop(b, Arc::clone(&shared), tls.clone())));
    let reaper = {
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let mut every = tokio::time::interval(tx::REAP_EVERY);
            loop {
                every.tick().await;
                shared.txs.lock().unwrap_or_else(|e| e.into_inner()).reap();
            }
        })
    };
    let app = router(Arc::clone(&shared));
    let limits = shared.options.limits;
    conn::run(listener, tls, app, limits, shutdown, SHUTDOWN_GRACE).await;
    reaper.abort();
    if let Some(bolt) = bolt {
        bolt.abort();
    }
    Ok(())
}

/// Completes on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
