//! One Bolt connection's session in `cysh serve --bolt`: its state, the logged-in user,
//! the open explicit transaction and the open results, and what each request does to
//! them — the same users, privileges, databases and transactions as the Query API.
//!
//! It owns the meaning of each request (HELLO, LOGON, RUN, PULL, BEGIN, ROUTE, …) and
//! the metadata of each answer. It must not touch sockets (`mod.rs` reads and writes the
//! bytes) nor parse or execute statements itself (`server::run_statement` does).

use super::failure;
use crate::bolt::message::meta_str;
use crate::bolt::state::{self, State, Verdict};
use crate::bolt::{Dialect, Meta, Request, Response, Version, dialect_of};
use crate::cluster::security;
use crate::error::{Neo4jError, code};
use crate::result::RowStream;
use crate::server::{Actor, Ran, Shared, run_statement, tx};
use crate::value::Value;
use crate::wire::request::AccessMode;
use std::collections::VecDeque;
use std::sync::Arc;

/// What the connection does after a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Call [`Session::resume`]: a PULL has more records to send, and they are sent a
    /// batch at a time so a large `n` never holds its records whole.
    More,
    /// Read the next request.
    Continue,
    /// Send what was answered, then close.
    Close,
}

/// How long drivers may keep a routing table (Neo4j's default `dbms.routing_ttl`).
const ROUTING_TTL_SECONDS: i64 = 300;

/// Records one PULL sends before the connection writes them out and asks for more.
const PULL_BATCH: usize = 1000;

/// One open result: rows computed already, then rows computed as they are pulled.
struct Stream {
    qid: i64,
    rows: VecDeque<Vec<Value>>,
    more: Option<std::iter::Peekable<RowStream>>,
    /// The metadata of the last PULL/DISCARD's SUCCESS.
    summary: Meta,
}

impl Stream {
    /// The next row, computed now if need be; a computation that panics is an error, not
    /// the end of the connection.
    fn next(&mut self) -> Option<Result<Vec<Value>, Neo4jError>> {
        if let Some(row) = self.rows.pop_front() {
            return Some(Ok(row));
        }
        let more = self.more.as_mut()?;
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| more.next()))
            .unwrap_or_else(|_| Some(Err(crate::server::unexpected())))
    }

    /// True when no row is left (computing the next one to know).
    fn is_done(&mut self) -> bool {
        if !self.rows.is_empty() {
            return false;
        }
        let Some(more) = self.more.as_mut() else {
            return true;
        };
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| more.peek().is_none()))
            .unwrap_or(false)
    }
}

/// A PULL or DISCARD still sending: the result's index, records still wanted, and
/// whether they are kept (PULL) or thrown away (DISCARD).
#[derive(Debug, Clone, Copy)]
struct Resume {
    index: usize,
    want: usize,
    keep: bool,
}

/// The open explicit transaction.
struct OpenTx {
    tx: tx::Tx,
    access: AccessMode,
}

/// A Bolt session.
pub struct Session {
    shared: Arc<Shared>,
    advertised: String,
    version: Version,
    dialect: Dialect,
    state: State,
    user: Option<String>,
    connection_id: String,
    tx: Option<OpenTx>,
    results: Vec<Stream>,
    next_qid: i64,
    resume: Option<Resume>,
}

fn meta<const N: usize>(pairs: [(&str, Value); N]) -> Meta {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

fn invalid(message: impl Into<String>) -> Neo4jError {
    Neo4jError::new(code::REQUEST_INVALID, message)
}

impl Session {
    /// A session in the NEGOTIATION state for a client speaking `version`.
    pub fn new(
        shared: Arc<Shared>,
        advertised: String,
        version: Version,
        connection_id: String,
    ) -> Session {
        Session {
            shared,
            advertised,
            version,
            dialect: dialect_of(version, false),
            state: State::Negotiation,
            user: None,
            connection_id,
            tx: None,
            results: Vec::new(),
            next_qid: 0,
            resume: None,
        }
    }

    /// The PackStream dialect responses are written in.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The FAILURE for `error`, moving to FAILED.
    fn fail(&mut self, error: &Neo4jError, out: &mut Vec<Response>) -> Step {
        out.push(Response::Failure(failure::metadata(error, self.version)));
        self.state = State::Failed;
        // A failure inside a transaction ends it, as Neo4j does.
        self.tx = None;
        self.results.clear();
        Step::Continue
    }

    /// A failure that closes the connection (before authentication, or a protocol
    /// violation).
    fn fail_and_close(&mut self, error: &Neo4jError, out: &mut Vec<Response>) -> Step {
        out.push(Response::Failure(failure::metadata(error, self.version)));
        self.state = State::Defunct;
        Step::Close
    }

    /// A request that could not even be decoded: FAILURE, then close.
    pub fn malformed(&mut self, why: &str, out: &mut Vec<Response>) -> Step {
        let e = invalid(format!("Malformed Bolt message: {why}"));
        self.fail_and_close(&e, out)
    }

    /// Handles one request, appending the responses to `out`.
    pub async fn handle(&mut self, request: Request, out: &mut Vec<Response>) -> Step {
        match state::admits(self.state, &request) {
            Verdict::Ignore => {
                out.push(Response::Ignored);
                return Step::Continue;
            }
            Verdict::Violation => {
                let e = invalid(format!(
                    "Message '{}' cannot be handled by a session in the {} state.",
                    request.name(),
                    self.state.name()
                ));
                return self.fail_and_close(&e, out);
            }
            Verdict::Handle => {}
        }
        match request {
            Request::Goodbye => Step::Close,
            Request::Hello(extra) => self.hello(extra, out).await,
            Request::Logon(auth) => match self.login(&auth).await {
                Ok(()) => {
                    self.state = State::Ready;
                    out.push(Response::Success(Meta::new()));
                    Step::Continue
                }
                Err(e) => self.fail_and_close(&e, out),
            },
            Request::Logoff => {
                self.user = None;
                self.state = State::Authentication;
                out.push(Response::Success(Meta::new()));
                Step::Continue
            }
            Request::Reset => {
                self.tx = None;
                self.results.clear();
                self.state = State::Ready;
                out.push(Response::Success(Meta::new()));
                Step::Continue
            }
            Request::Telemetry(_) => {
                out.push(Response::Success(Meta::new()));
                Step::Continue
            }
            Request::Route { extra, .. } => self.route(&extra, out),
            Request::Run {
                query,
                params,
                extra,
            } => self.run(query, params, &extra, out).await,
            Request::Pull { n, qid } => self.pull(n, qid, true, out),
            Request::Discard { n, qid } => self.pull(n, qid, false, out),
            Request::Begin(extra) => self.begin(&extra, out),
            Request::Commit => self.commit(out).await,
            Request::Rollback => {
                self.tx = None;
                self.results.clear();
                self.state = State::Ready;
                out.push(Response::Success(Meta::new()));
                Step::Continue
            }
        }
    }

    async fn hello(&mut self, extra: Meta, out: &mut Vec<Response>) -> Step {
        if meta_str(&extra, "user_agent").is_none() {
            return self.fail_and_close(&invalid("Expected \"user_agent\" in HELLO"), out);
        }
        let mut success = meta([
            (
                "server",
                Value::str(format!("Neo4j/{}", crate::server::NEO4J_VERSION)),
            ),
            ("connection_id", Value::str(&self.connection_id)),
            ("hints", Value::Map(Meta::new())),
        ]);
        // Bolt 4.4 clients may ask for UTC date-times.
        if self.version.major == 4
            && let Some(Value::List(patches)) = extra.get("patch_bolt")
            && patches.iter().any(|p| p.as_str() == Some("utc"))
        {
            self.dialect = dialect_of(self.version, true);
            success.insert("patch_bolt".into(), Value::str_list(["utc"]));
        }
        if self.version.at_least(5, 1) {
            self.state = State::Authentication;
        } else {
            // Up to 5.0 the credentials ride in HELLO.
            if let Err(e) = self.login(&extra).await {
                return self.fail_and_close(&e, out);
            }
            self.state = State::Ready;
        }
        out.push(Response::Success(success));
        Step::Continue
    }

    /// Checks an auth token (`scheme`, `principal`, `credentials`) with the server's gate:
    /// the same rate limit and the same answer whether or not the user exists.
    async fn login(&mut self, auth: &Meta) -> Result<(), Neo4jError> {
        let gate = &self.shared.gate;
        if !gate.enabled() {
            self.user = Some("neo4j".into());
            return Ok(());
        }
        let unauthorized = || {
            Neo4jError::new(
                code::UNAUTHORIZED,
                "The client is unauthorized due to authentication failure.",
            )
        };
        let scheme = meta_str(auth, "scheme").unwrap_or("none");
        if scheme != "basic" {
            return Err(Neo4jError::new(
                code::UNAUTHORIZED,
                format!("Unsupported authentication token, scheme '{scheme}' is not supported."),
            ));
        }
        let (Some(user), Some(password)) =
            (meta_str(auth, "principal"), meta_str(auth, "credentials"))
        else {
            return Err(unauthorized());
        };
        // The same check as a Basic header, so a client that opens many connections
        // with the same credentials pays for the memory-hard hash once (the gate's
        // cache of verified credentials, cleared whenever users change).
        let header = {
            use base64::Engine;
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
            )
        };
        let checked = if user.contains(':') {
            gate.login(user, password).await
        } else {
            gate.check(Some(&header)).await
        };
        match checked {
            Ok(u) => {
                self.user = Some(u);
                Ok(())
            }
            Err((429, _)) => Err(Neo4jError::new(
                crate::wire::code::AUTH_RATE_LIMIT,
                "The client has provided incorrect authentication details too many times in a row.",
            )),
            Err(_) => Err(unauthorized()),
        }
    }

    fn user(&self) -> String {
        self.user.clone().unwrap_or_else(|| "neo4j".into())
    }

    /// The database a request names, else the home database of whom it runs as.
    fn database(&self, extra: &Meta) -> String {
        if let Some(db) = meta_str(extra, "db").filter(|d| !d.is_empty()) {
            return db.to_string();
        }
        let user = meta_str(extra, "imp_user").map_or_else(|| self.user(), str::to_string);
        let cluster = self.shared.lock_cluster();
        let state = cluster.state();
        security::home_of(state, state.users.get(&user)).to_string()
    }

    fn route(&mut self, extra: &Meta, out: &mut Vec<Response>) -> Step {
        let db = self.database(extra);
        if let Some(imp) = meta_str(extra, "imp_user") {
            let cluster = self.shared.lock_cluster();
            if let Err(e) = Actor::resolve(&cluster, &self.user(), Some(imp)) {
                drop(cluster);
                return self.fail(&e, out);
            }
        }
        if !self.shared.database_exists(&db) {
            return self.fail(&crate::wire::database_not_found(&db), out);
        }
        // Every role points at this listener: one process serves the whole cluster.
        let server = |role: &str| {
            Value::Map(meta([
                ("addresses", Value::str_list([self.advertised.as_str()])),
                ("role", Value::str(role)),
            ]))
        };
        let rt = meta([
            ("ttl", Value::Int(ROUTING_TTL_SECONDS)),
            ("db", Value::str(&db)),
            (
                "servers",
                Value::List(vec![server("WRITE"), server("READ"), server("ROUTE")]),
            ),
        ]);
        out.push(Response::Success(meta([("rt", Value::Map(rt))])));
        Step::Continue
    }

    fn access(extra: &Meta) -> AccessMode {
        match meta_str(extra, "mode") {
            Some("r") => AccessMode::Read,
            _ => AccessMode::Write,
        }
    }

    async fn run(
        &mut self,
        query: String,
        params: Meta,
        extra: &Meta,
        out: &mut Vec<Response>,
    ) -> Step {
        let in_tx = self.tx.is_some();
        let ran = if let Some(open) = self.tx.as_mut() {
            let shared = Arc::clone(&self.shared);
            run_in_tx(&shared, &mut open.tx, &query, &params, open.access)
        } else {
            let db = self.database(extra);
            if !self.shared.database_exists(&db) {
                return self.fail(&crate::wire::database_not_found(&db), out);
            }
            let user = self.user();
            let imp = meta_str(extra, "imp_user").map(str::to_string);
            let access = Self::access(extra);
            run_auto(
                Arc::clone(&self.shared),
                query,
                params,
                db,
                user,
                imp,
                access,
            )
            .await
        };
        let ran = match ran {
            Ok(ran) => ran,
            Err(e) => return self.fail(&e, out),
        };
        let mut success = meta([
            ("fields", Value::str_list(ran.result.fields.iter())),
            (
                "t_first",
                Value::Int(i64::try_from(ran.result.available_after_ms).unwrap_or(0)),
            ),
        ]);
        let qid = if in_tx {
            let q = self.next_qid;
            self.next_qid += 1;
            success.insert("qid".into(), Value::Int(q));
            q
        } else {
            -1
        };
        if self.version.at_least(5, 8) {
            success.insert("db".into(), Value::str(&ran.recorded.database));
        }
        let summary = self.summary(&ran, !in_tx);
        let mut result = ran.result;
        self.results.push(Stream {
            qid,
            rows: std::mem::take(&mut result.rows).into(),
            more: result.more.take().map(Iterator::peekable),
            summary,
        });
        self.state = if in_tx {
            State::TxStreaming
        } else {
            State::Streaming
        };
        out.push(Response::Success(success));
        Step::Continue
    }

    /// The closing SUCCESS of a result: type, database, counters, notifications and, for
    /// an auto-commit statement, the bookmark.
    fn summary(&self, ran: &Ran, autocommit: bool) -> Meta {
        let query_type = match &ran.result.plan {
            // A plan names the statement's type itself, so a served plan prints as the
            // embedded one does.
            Some(plan) => crate::wire::plan::short_query_type(&plan.query_type),
            None if ran.query_type == "rw" && !ran.wrote => "r",
            None => ran.query_type,
        };
        let mut m = meta([
            ("type", Value::str(query_type)),
            ("db", Value::str(&ran.recorded.database)),
            ("t_last", Value::Int(0)),
        ]);
        if let Some(plan) = &ran.result.plan {
            m.insert(
                crate::bolt::plan::key(plan).into(),
                crate::bolt::plan::encode(&plan.root),
            );
        }
        // The cluster's own count, so a served statement reports what the embedded
        // backend reports (a procedure that changed the cluster included).
        let updates = ran.result.counters.system_updates;
        if updates > 0 {
            m.insert(
                "stats".into(),
                Value::Map(meta([("system-updates", Value::Int(updates))])),
            );
        }
        if autocommit {
            m.insert(
                "bookmark".into(),
                Value::str(self.shared.bookmark(ran.wrote)),
            );
        }
        let notes = &ran.result.notifications;
        if !notes.is_empty() {
            if self.version.at_least(5, 6) {
                let statuses = notes
                    .iter()
                    .map(|n| {
                        let (gql, desc) = if n.severity == "WARNING" {
                            ("01N00", "warn: feature deprecated")
                        } else {
                            ("03N00", "info: informational")
                        };
                        Value::Map(meta([
                            ("gql_status", Value::str(gql)),
                            ("status_description", Value::str(desc)),
                            ("neo4j_code", Value::str(&n.code)),
                            ("title", Value::str(&n.title)),
                            ("description", Value::str(&n.description)),
                            (
                                "diagnostic_record",
                                Value::Map(meta([
                                    ("_severity", Value::str(&n.severity)),
                                    ("_classification", Value::str(&n.category)),
                                    ("OPERATION", Value::str("")),
                                    ("OPERATION_CODE", Value::str("0")),
                                    ("CURRENT_SCHEMA", Value::str("/")),
                                ])),
                            ),
                        ]))
                    })
                    .collect();
                m.insert("statuses".into(), Value::List(statuses));
            } else {
                let list = notes
                    .iter()
                    .map(|n| {
                        Value::Map(meta([
                            ("code", Value::str(&n.code)),
                            ("title", Value::str(&n.title)),
                            ("description", Value::str(&n.description)),
                            ("severity", Value::str(&n.severity)),
                            ("category", Value::str(&n.category)),
                        ]))
                    })
                    .collect();
                m.insert("notifications".into(), Value::List(list));
            }
        }
        m
    }

    fn pull(&mut self, n: i64, qid: i64, keep: bool, out: &mut Vec<Response>) -> Step {
        let index = if qid == -1 {
            self.results.len().checked_sub(1)
        } else {
            self.results.iter().position(|s| s.qid == qid)
        };
        let Some(index) = index else {
            return self.fail(&invalid(format!("No open result with qid {qid}.")), out);
        };
        if n == 0 || n < -1 {
            return self.fail(
                &invalid(format!(
                    "Invalid value for n: {n}, expected a positive integer or -1."
                )),
                out,
            );
        }
        let want = if n == -1 {
            usize::MAX
        } else {
            usize::try_from(n).unwrap_or(usize::MAX)
        };
        let stream = &mut self.results[index];
        if !keep && n == -1 {
            // Thrown away whole: rows not computed yet never are.
            stream.rows.clear();
            stream.more = None;
        }
        self.send(Resume { index, want, keep }, out)
    }

    /// Sends the rest of a PULL or DISCARD that returned [`Step::More`].
    pub fn resume(&mut self, out: &mut Vec<Response>) -> Step {
        match self.resume.take() {
            Some(r) => self.send(r, out),
            None => Step::Continue,
        }
    }

    /// Sends (or skips) up to one batch of `r`'s records, then the SUCCESS that ends the
    /// PULL — `has_more` while rows are left, the result's summary after the last — or
    /// asks to be resumed. A row that fails to compute is the statement's FAILURE.
    fn send(&mut self, r: Resume, out: &mut Vec<Response>) -> Step {
        let Some(stream) = self.results.get_mut(r.index) else {
            return Step::Continue;
        };
        let mut sent = 0;
        while sent < r.want.min(PULL_BATCH) {
            match stream.next() {
                Some(Ok(row)) => {
                    if r.keep {
                        out.push(Response::Record(row));
                    }
                    sent += 1;
                }
                Some(Err(e)) => return self.fail(&e, out),
                None => break,
            }
        }
        let done = stream.is_done();
        if !done && sent < r.want {
            self.resume = Some(Resume {
                want: r.want - sent,
                ..r
            });
            return Step::More;
        }
        // DISCARD with n < all still throws the rest away only up to n; what remains is
        // reported as has_more, as with PULL.
        if !done {
            out.push(Response::Success(meta([("has_more", Value::Bool(true))])));
            return Step::Continue;
        }
        let done = self.results.remove(r.index);
        out.push(Response::Success(done.summary));
        self.state = match (self.tx.is_some(), self.results.is_empty()) {
            (false, _) => State::Ready,
            (true, true) => State::TxReady,
            (true, false) => State::TxStreaming,
        };
        Step::Continue
    }

    fn begin(&mut self, extra: &Meta, out: &mut Vec<Response>) -> Step {
        let db = self.database(extra);
        if !self.shared.database_exists(&db) {
            return self.fail(&crate::wire::database_not_found(&db), out);
        }
        let user = self.user();
        let run_as = {
            let cluster = self.shared.lock_cluster();
            Actor::resolve(&cluster, &user, meta_str(extra, "imp_user"))
        };
        let run_as = match run_as {
            Ok(a) => a,
            Err(e) => return self.fail(&e, out),
        };
        let tx = tx::Tx::new(&db, &user, run_as, self.shared.options.tx_idle_timeout);
        self.tx = Some(OpenTx {
            tx,
            access: Self::access(extra),
        });
        self.next_qid = 0;
        self.state = State::TxReady;
        out.push(Response::Success(Meta::new()));
        Step::Continue
    }

    async fn commit(&mut self, out: &mut Vec<Response>) -> Step {
        let Some(open) = self.tx.take() else {
            return self.fail(&invalid("No transaction to commit."), out);
        };
        self.results.clear();
        let writes = open.tx.writes;
        let wrote = !writes.is_empty();
        if wrote {
            let shared = Arc::clone(&self.shared);
            let user = open.tx.run_as.user.clone();
            // Every write is replayed on the live cluster as one unit: all are kept or
            // none is, even if others changed the cluster since BEGIN.
            let committed = tokio::task::spawn_blocking(move || {
                let mut live = shared.lock_cluster();
                crate::server::scratch(&mut live, true, |c| {
                    crate::server::replay(c, &writes, &user)
                })?;
                shared.refresh_databases(&mut live);
                Ok::<(), Neo4jError>(())
            })
            .await
            .unwrap_or_else(|_| Err(crate::server::unexpected()));
            if let Err(e) = committed {
                return self.fail(&e, out);
            }
        }
        self.state = State::Ready;
        out.push(Response::Success(meta([(
            "bookmark",
            Value::str(self.shared.bookmark(wrote)),
        )])));
        Step::Continue
    }
}

/// Runs an auto-commit statement: reads in place (the lock is held for microseconds),
/// writes on the blocking pool (they may wait for the store's fsync).
async fn run_auto(
    shared: Arc<Shared>,
    query: String,
    params: Meta,
    db: String,
    user: String,
    imp: Option<String>,
    access: AccessMode,
) -> Result<Ran, Neo4jError> {
    // Parsed once; a syntax error is still reported after the impersonation check.
    let prepared = crate::server::prepare(&query);
    let read_only = prepared
        .as_ref()
        .is_ok_and(crate::server::Prepared::is_read_only);
    let execute = move || {
        let mut cluster = shared.lock_cluster();
        let actor = Actor::resolve(&cluster, &user, imp.as_deref())?;
        let ran = run_statement(&mut cluster, prepared?, &params, &db, &actor, access, true);
        if matches!(&ran, Ok(r) if r.wrote) {
            shared.refresh_databases(&mut cluster);
        }
        ran
    };
    if read_only {
        execute()
    } else {
        tokio::task::spawn_blocking(execute)
            .await
            .unwrap_or_else(|_| Err(crate::server::unexpected()))
    }
}

/// Runs a statement inside an explicit transaction: on the live cluster inside one of
/// its own transactions that is always rolled back, after the transaction's earlier
/// writes are replayed; a write is recorded for COMMIT (the Query API's scheme).
fn run_in_tx(
    shared: &Shared,
    tx: &mut tx::Tx,
    query: &str,
    params: &Meta,
    access: AccessMode,
) -> Result<Ran, Neo4jError> {
    let mut live = shared.lock_cluster();
    let (database, actor) = (tx.database.clone(), tx.run_as.clone());
    let ran = crate::server::scratch(&mut live, false, |c| {
        crate::server::replay(c, &tx.writes, &actor.user)?;
        run_statement(
            c,
            crate::server::prepare(query)?,
            params,
            &database,
            &actor,
            access,
            true,
        )
    })?;
    if ran.wrote {
        tx.writes.push(ran.recorded.clone());
    }
    Ok(ran)
}
