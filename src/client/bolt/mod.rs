//! The Bolt backend: statements run on a Neo4j server (or `cysh serve --bolt`) over Bolt,
//! as cypher-shell connects — `bolt://` directly, `neo4j://` through routing tables —
//! with TLS, bookmarks, impersonation, explicit transactions and Ctrl-C sending RESET.
//!
//! It owns the session: the connections by member, the routing tables by database, the
//! bookmarks, the open transaction, and which failures are retried (NotALeader,
//! ServiceUnavailable, SessionExpired, a lost connection under routing) within a bounded
//! time. It must not know the protocol's bytes (`crate::bolt`) nor render anything.

pub mod address;
mod conn;
mod routing;

use super::{Backend, BackendError, BackendInfo, ConnectionError, Request};
use crate::bolt::{Meta, Request as Msg, Response};
use crate::error::Neo4jError;
use crate::result::{Notification, QueryResult, RowSink};
use crate::value::Value;
use address::{BoltAddress, Encryption};
use conn::{ConnError, Connection};
use routing::Table;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

/// Records asked for per PULL: a large result arrives in batches.
const FETCH_SIZE: i64 = 1000;

/// How long a statement is retried on a fresh routing table before its error is shown.
const RETRY_TIME: Duration = Duration::from_secs(30);

/// Which members statements go to (`--access-mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AccessMode {
    /// Writers (the default).
    #[default]
    Write,
    /// Readers.
    Read,
}

/// How a server's error is shown (`--error-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ErrorFormat {
    /// `Neo.ClientError…: message`.
    #[default]
    Legacy,
    /// `GQLSTATUS: description` when the server sends GQL fields (Bolt 5.7+).
    Gql,
    /// Everything the server said: the legacy line, then the GQL status and description
    /// and each cause (cypher-shell prints its Java stack trace; cysh has none to print).
    Stacktrace,
}

/// Where and as whom to connect.
#[derive(Debug, Clone, Default)]
pub struct BoltOptions {
    /// The address as given.
    pub address: String,
    /// The user; empty for none (`-u`, else the address's `user@`).
    pub user: String,
    /// The password.
    pub password: String,
    /// `--encryption`.
    pub encryption: Encryption,
    /// `--access-mode`.
    pub access: AccessMode,
    /// `--error-format`.
    pub error_format: ErrorFormat,
    /// `--transaction-timeout`: sent as `tx_timeout` with every RUN and BEGIN.
    pub tx_timeout: Option<Duration>,
}

/// The explicit transaction of the session.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tx {
    None,
    /// `:begin` was typed; BEGIN goes with the first statement, to its database.
    Pending,
    /// Open on this member.
    Open(String),
}

/// Why one attempt at a statement failed.
enum Attempt {
    /// Worth another try on a fresh routing table.
    Retry(BackendError),
    /// Final.
    Final(BackendError),
}

/// Failure codes that mean "ask the routing table again".
fn retryable(code: &str) -> bool {
    matches!(
        code,
        "Neo.ClientError.Cluster.NotALeader"
            | "Neo.ClientError.General.ForbiddenOnReadOnlyDatabase"
            | "Neo.TransientError.General.DatabaseUnavailable"
            | "Neo.TransientError.Cluster.ReadOnlyDatabase"
    ) || code.ends_with("ServiceUnavailable")
        || code.ends_with("SessionExpired")
}

/// A backend over Bolt.
pub struct Bolt {
    runtime: Arc<Runtime>,
    address: BoltAddress,
    routing: bool,
    user: String,
    password: String,
    impersonated: Option<String>,
    access: AccessMode,
    error_format: ErrorFormat,
    tx_timeout: Option<Duration>,
    pool: HashMap<String, Connection>,
    tables: HashMap<String, Table>,
    bookmarks: Vec<String>,
    tx: Tx,
    server: String,
    retry_time: Duration,
}

fn meta<const N: usize>(pairs: [(&str, Value); N]) -> Meta {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

fn cancelled() -> Neo4jError {
    Neo4jError::new(
        "Neo.TransientError.Transaction.Terminated",
        "Stopping query... The query was interrupted (Ctrl-C): the server was sent RESET, \
         which stops it; the session goes on.",
    )
}

impl Bolt {
    /// Connects on `runtime`: dials the address, logs in and, for `neo4j://`, reads the
    /// routing table of `system`; a `neo4j://` server that does not route is used
    /// directly, as cypher-shell falls back to `bolt://`. Every failure is a one-line
    /// `BackendError::Fatal`.
    pub fn connect(runtime: Arc<Runtime>, options: &BoltOptions) -> Result<Bolt, BackendError> {
        let address = BoltAddress::parse(&options.address, options.encryption).map_err(|e| {
            ConnectionError::Failed {
                address: options.address.trim().to_string(),
                chain: e.to_string(),
            }
        })?;
        let (user, password) = if options.user.is_empty() {
            address.credentials.clone().unwrap_or_default()
        } else {
            (options.user.clone(), options.password.clone())
        };
        // CYSH_BOLT_RETRY_MS shortens the retry budget (tests, impatient scripts).
        let retry_time = std::env::var("CYSH_BOLT_RETRY_MS")
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
            .map_or(RETRY_TIME, Duration::from_millis);
        let mut bolt = Bolt {
            runtime: Arc::clone(&runtime),
            routing: address.routing,
            address,
            user,
            password,
            impersonated: None,
            access: options.access,
            error_format: options.error_format,
            tx_timeout: options.tx_timeout,
            pool: HashMap::new(),
            tables: HashMap::new(),
            bookmarks: Vec::new(),
            tx: Tx::None,
            server: String::new(),
            retry_time,
        };
        runtime.block_on(bolt.open())?;
        Ok(bolt)
    }

    /// Dials the address the session started from, logs in and, for `neo4j://`, reads
    /// the routing table of `system`; a `neo4j://` server that does not route is used
    /// directly.
    async fn open(&mut self) -> Result<(), BackendError> {
        let first = self.address.host_port();
        self.connection(&first).await?;
        if self.routing {
            match self.refresh_table("system").await {
                Ok(()) => {}
                // A server that answers but does not route: use it directly.
                Err(BackendError::Statement(e))
                    if e.code != crate::error::code::DATABASE_NOT_FOUND =>
                {
                    self.routing = false;
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    fn shown(&self) -> String {
        self.address.shown()
    }

    /// The open connection to `member`, dialled and logged in if needed.
    async fn connection(&mut self, member: &str) -> Result<&mut Connection, BackendError> {
        if !self.pool.contains_key(member) {
            let address = self
                .address
                .at(member)
                .ok_or_else(|| ConnectionError::Failed {
                    address: self.shown(),
                    chain: format!("the routing table names an unusable address '{member}'"),
                })?;
            super::log::line(format_args!("Bolt: connecting to {}", address.shown()));
            let mut conn = Connection::open(&address).await?;
            let routing = self.routing.then(|| self.address.host_port());
            let login = conn
                .hello(&self.user, &self.password, routing.as_deref())
                .await
                .map_err(|e| lost(&address.shown(), &e))?;
            if let Err(failure) = login {
                let code = failure_code(&failure);
                super::log::line(format_args!(
                    "Bolt: login as '{}' refused by {}: {code}",
                    self.user,
                    address.shown()
                ));
                return Err(BackendError::Fatal(match code.as_str() {
                    "Neo.ClientError.Security.AuthenticationRateLimit" => {
                        ConnectionError::Throttled(
                            failure
                                .get("message")
                                .and_then(Value::as_str)
                                .map(String::from),
                        )
                    }
                    c if c.starts_with("Neo.ClientError.Security") => ConnectionError::Unauthorized,
                    _ => ConnectionError::Failed {
                        address: address.shown(),
                        chain: failure_message(&failure),
                    },
                }));
            }
            super::log::line(format_args!(
                "Bolt: logged in to {} ({}) as '{}'",
                address.shown(),
                conn.server,
                self.user
            ));
            if self.server.is_empty() {
                self.server = conn.server.clone();
            }
            self.pool.insert(member.to_string(), conn);
        }
        self.pool.get_mut(member).ok_or_else(|| {
            BackendError::Fatal(ConnectionError::Failed {
                address: member.to_string(),
                chain: "connection lost".into(),
            })
        })
    }

    /// Asks the routers for `db`'s table: the ones of any table known, then the address
    /// the session started from.
    async fn refresh_table(&mut self, db: &str) -> Result<(), BackendError> {
        let mut routers: Vec<String> = self
            .tables
            .values()
            .flat_map(|t| t.routers.iter().cloned())
            .collect();
        routers.push(self.address.host_port());
        routers.dedup();
        let mut last = None;
        for router in routers {
            let mut extra = meta([("db", Value::str(db))]);
            if let Some(imp) = &self.impersonated {
                extra.insert("imp_user".into(), Value::str(imp));
            }
            let request = Msg::Route {
                routing: meta([("address", Value::str(self.address.host_port()))]),
                bookmarks: self.bookmarks.clone(),
                extra,
            };
            let shown = self
                .address
                .at(&router)
                .map_or_else(|| router.clone(), |a| a.shown());
            let answer = async {
                let conn = self.connection(&router).await?;
                conn.send(&[request]).await.map_err(|e| lost(&shown, &e))?;
                conn.recv().await.map_err(|e| lost(&shown, &e))
            }
            .await;
            match answer {
                Ok(Response::Success(m)) => match Table::from_route(&m) {
                    Some(t) => {
                        super::log::line(format_args!(
                            "Bolt: routing table of '{db}' from {shown}: {t:?}"
                        ));
                        self.tables.insert(db.to_string(), t);
                        return Ok(());
                    }
                    None => last = Some(protocol(&shown, "ROUTE answered without a table")),
                },
                Ok(Response::Failure(m)) => {
                    if let Some(c) = self.pool.get_mut(&router) {
                        let _ = c.reset().await;
                    }
                    return Err(BackendError::Statement(self.error_of(&m)));
                }
                Ok(other) => last = Some(protocol(&shown, &format!("{other:?}"))),
                Err(e) => {
                    self.pool.remove(&router);
                    last = Some(e);
                }
            }
        }
        Err(last.unwrap_or_else(|| protocol(&self.shown(), "no router answered")))
    }

    /// The member a statement on `db` goes to.
    async fn member_for(&mut self, db: &str) -> Result<String, BackendError> {
        if !self.routing {
            return Ok(self.address.host_port());
        }
        let fresh = self.tables.get(db).is_some_and(Table::is_fresh);
        if !fresh {
            self.refresh_table(db).await?;
        }
        let write = self.access == AccessMode::Write;
        self.tables
            .get_mut(db)
            .and_then(|t| t.pick(write))
            .ok_or_else(|| {
                BackendError::Statement(Neo4jError::new(
                    "Neo.ClientError.Cluster.ServiceUnavailable",
                    format!(
                        "No {} server is available for database '{db}' in the routing table of {}.",
                        if write { "write" } else { "read" },
                        self.shown()
                    ),
                ))
            })
    }

    /// The `extra` of RUN and BEGIN: database, mode, bookmarks, impersonated user.
    fn extra(&self, db: &str) -> Meta {
        let mut m = meta([("db", Value::str(db))]);
        if self.access == AccessMode::Read {
            m.insert("mode".into(), Value::str("r"));
        }
        if !self.bookmarks.is_empty() {
            m.insert("bookmarks".into(), Value::str_list(self.bookmarks.iter()));
        }
        if let Some(imp) = &self.impersonated {
            m.insert("imp_user".into(), Value::str(imp));
        }
        if let Some(timeout) = self.tx_timeout {
            let ms = i64::try_from(timeout.as_millis()).unwrap_or(i64::MAX);
            m.insert("tx_timeout".into(), Value::Int(ms));
        }
        m
    }

    /// `, tx_timeout N ms` for the log when `--transaction-timeout` is set.
    fn timeout_note(&self) -> String {
        self.tx_timeout
            .map(|t| format!(", tx_timeout {} ms", t.as_millis()))
            .unwrap_or_default()
    }

    fn error_of(&self, failure: &Meta) -> Neo4jError {
        let gql = failure.get("gql_status").and_then(Value::as_str);
        match (self.error_format, gql) {
            (ErrorFormat::Gql, Some(status)) => Neo4jError::new(
                status.to_string(),
                failure
                    .get("description")
                    .and_then(Value::as_str)
                    .map_or_else(|| failure_message(failure), str::to_string),
            ),
            (ErrorFormat::Stacktrace, _) => {
                Neo4jError::new(failure_code(failure), stacktrace_message(failure))
            }
            _ => Neo4jError::new(failure_code(failure), failure_message(failure)),
        }
    }

    /// Sends `first` (RUN, or BEGIN and RUN) and a PULL to `member`, then reads the
    /// result in batches of [`FETCH_SIZE`]; Ctrl-C sends RESET. Records go to `sink` as
    /// they arrive (into the result's rows without one); when the sink wants no more, the
    /// rest is discarded. Once a record has gone to the sink, a failure is not retried: the
    /// reader has seen part of this attempt.
    async fn exchange(
        &mut self,
        member: &str,
        first: Vec<Msg>,
        mut sink: Option<&mut (dyn RowSink + '_)>,
    ) -> Result<QueryResult, Attempt> {
        let routing = self.routing;
        let shown = self
            .address
            .at(member)
            .map_or_else(|| member.to_string(), |a| a.shown());
        let fail = |e: BackendError| {
            if routing {
                Attempt::Retry(e)
            } else {
                Attempt::Final(e)
            }
        };
        let conn = self.connection(member).await.map_err(fail)?;
        let started = Instant::now();
        let mut batch = first;
        batch.push(Msg::Pull {
            n: FETCH_SIZE,
            qid: -1,
        });
        let mut result = QueryResult::default();
        let mut failure = None;
        let mut bookmark = None;
        let mut received = 0usize;
        let mut discarding = false;
        let interrupt = tokio::signal::ctrl_c();
        tokio::pin!(interrupt);
        'outer: loop {
            if let Err(e) = conn.send(&batch).await {
                return Err(fail(lost(&shown, &e)));
            }
            loop {
                let response = tokio::select! {
                    r = conn.recv() => r,
                    _ = &mut interrupt => {
                        let reset = conn.reset().await;
                        if reset.is_err() {
                            self.pool.remove(member);
                        }
                        return Err(Attempt::Final(BackendError::Statement(cancelled())));
                    }
                };
                match response {
                    Err(e) => {
                        self.pool.remove(member);
                        let e = lost(&shown, &e);
                        return Err(if received > 0 && sink.is_some() {
                            Attempt::Final(e)
                        } else {
                            fail(e)
                        });
                    }
                    Ok(Response::Record(values)) => {
                        received += 1;
                        match sink.as_deref_mut() {
                            None => result.rows.push(values),
                            Some(_) if discarding => {}
                            Some(s) => discarding = !s.row(values),
                        }
                    }
                    Ok(Response::Ignored) => {}
                    Ok(Response::Failure(m)) => failure = Some(m),
                    Ok(Response::Success(m)) => {
                        if let Some(Value::List(fields)) = m.get("fields") {
                            result.fields = fields
                                .iter()
                                .filter_map(|f| f.as_str().map(str::to_string))
                                .collect();
                            if let Some(s) = sink.as_deref_mut() {
                                s.columns(&result.fields);
                            }
                            if let Some(t) = m.get("t_first").and_then(Value::as_int) {
                                result.available_after_ms = u64::try_from(t).unwrap_or(0);
                            }
                        }
                        if m.get("has_more") == Some(&Value::Bool(true)) {
                            if conn.pending == 0 {
                                batch = vec![if discarding {
                                    Msg::Discard { n: -1, qid: -1 }
                                } else {
                                    Msg::Pull {
                                        n: FETCH_SIZE,
                                        qid: -1,
                                    }
                                }];
                                continue 'outer;
                            }
                            continue;
                        }
                        if m.contains_key("type") || m.contains_key("bookmark") {
                            if let Some(b) = m.get("bookmark").and_then(Value::as_str) {
                                bookmark = Some(b.to_string());
                            }
                            if let Some(t) = m.get("t_last").and_then(Value::as_int) {
                                result.consumed_after_ms = u64::try_from(t).unwrap_or(0);
                            }
                            result.notifications = notifications(&m);
                            let query_type = m.get("type").and_then(Value::as_str).unwrap_or("");
                            result.plan = crate::bolt::plan::decode(
                                &m,
                                crate::wire::plan::long_query_type(query_type),
                            );
                            if let Some(Value::Map(stats)) = m.get("stats") {
                                for (name, n) in stats {
                                    if let Some(n) = n.as_int() {
                                        result.counters.set(name, n);
                                    }
                                }
                            }
                        }
                    }
                }
                if conn.pending == 0 {
                    break 'outer;
                }
            }
        }
        if let Some(failure) = failure {
            let error = self.error_of(&failure);
            let code = failure_code(&failure);
            super::log::line(format_args!("Bolt: {shown} answered FAILURE {code}"));
            if let Some(conn) = self.pool.get_mut(member)
                && conn.reset().await.is_err()
            {
                self.pool.remove(member);
            }
            if code.starts_with("Neo.ClientError.Security.Unauthorized") {
                return Err(Attempt::Final(BackendError::Fatal(
                    ConnectionError::Unauthorized,
                )));
            }
            return Err(
                if routing && retryable(&code) && !(received > 0 && sink.is_some()) {
                    Attempt::Retry(BackendError::Statement(error))
                } else {
                    Attempt::Final(BackendError::Statement(error))
                },
            );
        }
        super::log::line(format_args!("Bolt: {shown} answered {received} rows"));
        if let Some(b) = bookmark {
            self.bookmarks = vec![b];
        }
        if result.available_after_ms == 0 && result.consumed_after_ms == 0 {
            result.available_after_ms = started.elapsed().as_millis() as u64;
        }
        Ok(result)
    }

    /// An auto-commit statement, retried on a fresh table while the budget lasts.
    async fn run_auto(
        &mut self,
        text: &str,
        params: &Meta,
        db: &str,
        mut sink: Option<&mut (dyn RowSink + '_)>,
    ) -> Result<QueryResult, BackendError> {
        let deadline = Instant::now() + self.retry_time;
        let mut delay = Duration::from_millis(100);
        loop {
            let member = match self.member_for(db).await {
                Ok(m) => m,
                Err(e) if self.routing && Instant::now() < deadline && is_retryable_error(&e) => {
                    self.tables.remove(db);
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(Duration::from_secs(2));
                    continue;
                }
                Err(e) => return Err(e),
            };
            let run = Msg::Run {
                query: text.to_string(),
                params: params.clone(),
                extra: self.extra(db),
            };
            super::log::statement(
                format_args!(
                    "Bolt: RUN on {member} (database {db}{})",
                    self.timeout_note()
                ),
                text,
            );
            match self.exchange(&member, vec![run], sink.as_deref_mut()).await {
                Ok(r) => return Ok(r),
                Err(Attempt::Final(e)) => return Err(e),
                Err(Attempt::Retry(e)) => {
                    if Instant::now() >= deadline {
                        return Err(e);
                    }
                    super::log::line(format_args!(
                        "Bolt: retrying on a fresh routing table of '{db}'"
                    ));
                    if let Some(t) = self.tables.get_mut(db) {
                        t.forget(&member);
                    }
                    self.tables.remove(db);
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(Duration::from_secs(2));
                }
            }
        }
    }

    async fn run_in_tx(
        &mut self,
        text: &str,
        params: &Meta,
        db: &str,
        sink: Option<&mut (dyn RowSink + '_)>,
    ) -> Result<QueryResult, BackendError> {
        let run = Msg::Run {
            query: text.to_string(),
            params: params.clone(),
            extra: Meta::new(),
        };
        let (member, first) = match self.tx.clone() {
            Tx::Open(member) => (member, vec![run]),
            _ => {
                let member = self.member_for(db).await?;
                (member, vec![Msg::Begin(self.extra(db)), run])
            }
        };
        self.tx = Tx::Open(member.clone());
        super::log::statement(
            format_args!(
                "Bolt: RUN in a transaction on {member} (database {db}{})",
                self.timeout_note()
            ),
            text,
        );
        match self.exchange(&member, first, sink).await {
            Ok(r) => Ok(r),
            Err(Attempt::Final(e) | Attempt::Retry(e)) => {
                // A failure ends the transaction on the server (RESET was sent).
                self.tx = Tx::None;
                Err(e)
            }
        }
    }

    async fn finish_tx(&mut self, commit: bool) -> Result<(), BackendError> {
        let Tx::Open(member) = std::mem::replace(&mut self.tx, Tx::None) else {
            return Ok(());
        };
        let shown = self.shown();
        let conn = self.connection(&member).await?;
        let msg = if commit { Msg::Commit } else { Msg::Rollback };
        conn.send(&[msg]).await.map_err(|e| lost(&shown, &e))?;
        match conn.recv().await.map_err(|e| lost(&shown, &e))? {
            Response::Success(m) => {
                if let Some(b) = m.get("bookmark").and_then(Value::as_str) {
                    self.bookmarks = vec![b.to_string()];
                }
                Ok(())
            }
            Response::Failure(m) => {
                let e = self.error_of(&m);
                if let Some(conn) = self.pool.get_mut(&member) {
                    let _ = conn.reset().await;
                }
                Err(BackendError::Statement(e))
            }
            other => Err(protocol(&shown, &format!("{other:?}"))),
        }
    }
}

impl Bolt {
    /// Runs one statement: administration commands and procedures on `system`, general
    /// Cypher on the session's database; rows to `sink`, or into the result without one.
    fn run_with(
        &mut self,
        request: &Request<'_>,
        sink: Option<&mut (dyn RowSink + '_)>,
    ) -> Result<QueryResult, BackendError> {
        let db = if request.statement.is_general_cypher() {
            request.database.to_string()
        } else {
            "system".to_string()
        };
        let params: Meta = request.params.clone();
        let runtime = Arc::clone(&self.runtime);
        runtime.block_on(async {
            if self.tx == Tx::None {
                self.run_auto(request.text, &params, &db, sink).await
            } else {
                self.run_in_tx(request.text, &params, &db, sink).await
            }
        })
    }

    /// True when the server requires the user to change their password before anything
    /// else runs (`Neo.ClientError.Security.CredentialsExpired`).
    pub fn credentials_expired(&mut self) -> Result<bool, BackendError> {
        let runtime = Arc::clone(&self.runtime);
        match runtime.block_on(self.run_auto("SHOW CURRENT USER", &Meta::new(), "system", None)) {
            Ok(_) => Ok(false),
            Err(BackendError::Statement(e))
                if e.code == crate::error::code::CREDENTIALS_EXPIRED =>
            {
                Ok(true)
            }
            Err(BackendError::Statement(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Changes the logged-in user's password (`ALTER CURRENT USER SET PASSWORD FROM … TO
    /// …`, as cypher-shell does) and logs in with the new one from now on.
    pub fn change_password(&mut self, new: &str) -> Result<(), BackendError> {
        let params = meta([
            ("old", Value::str(&self.password)),
            ("new", Value::str(new)),
        ]);
        let runtime = Arc::clone(&self.runtime);
        runtime.block_on(self.run_auto(
            "ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
            &params,
            "system",
            None,
        ))?;
        self.password = new.to_string();
        // Connections logged in with the old password are closed; the next statement
        // logs in again.
        let pool = std::mem::take(&mut self.pool);
        runtime.block_on(async {
            for (_, conn) in pool {
                conn.close().await;
            }
        });
        Ok(())
    }
}

fn is_retryable_error(e: &BackendError) -> bool {
    match e {
        BackendError::Statement(e) => retryable(&e.code),
        BackendError::Fatal(ConnectionError::Unauthorized | ConnectionError::Throttled(_)) => false,
        BackendError::Fatal(_) => true,
    }
}

fn failure_code(m: &Meta) -> String {
    m.get("neo4j_code")
        .or_else(|| m.get("code"))
        .and_then(Value::as_str)
        .unwrap_or("Neo.DatabaseError.General.UnknownError")
        .to_string()
}

fn failure_message(m: &Meta) -> String {
    m.get("message")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// `--error-format stacktrace`: the message, then every GQL field the server sent and
/// each cause in turn, indented one step deeper per level (`cause` is Bolt 5.7's chain).
fn stacktrace_message(m: &Meta) -> String {
    let mut out = failure_message(m);
    let mut level = Some(m);
    let mut depth = 0;
    while let Some(failure) = level {
        let pad = "  ".repeat(depth + 1);
        if depth > 0 {
            let code = failure
                .get("neo4j_code")
                .and_then(Value::as_str)
                .unwrap_or("");
            out.push_str(&format!(
                "\n{pad}caused by: {code} {}",
                failure_message(failure)
            ));
        }
        if let Some(status) = failure.get("gql_status").and_then(Value::as_str) {
            let description = failure
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or("");
            out.push_str(&format!("\n{pad}{status}: {description}"));
        }
        level = match failure.get("cause") {
            Some(Value::Map(cause)) if depth < 16 => Some(cause),
            _ => None,
        };
        depth += 1;
    }
    out
}

fn lost(shown: &str, e: &ConnError) -> BackendError {
    BackendError::Fatal(ConnectionError::Failed {
        address: shown.to_string(),
        chain: match e {
            ConnError::Io(e) => format!("the connection was lost ({e})"),
            ConnError::Protocol(p) => format!("the server broke the Bolt protocol ({p})"),
        },
    })
}

fn protocol(shown: &str, what: &str) -> BackendError {
    BackendError::Fatal(ConnectionError::Failed {
        address: shown.to_string(),
        chain: format!("the server broke the Bolt protocol ({what})"),
    })
}

/// Notifications from a summary: 5.6+ `statuses` (GQL) or the older `notifications`.
fn notifications(m: &Meta) -> Vec<Notification> {
    let text = |n: &Meta, k: &str| n.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let mut out = Vec::new();
    if let Some(Value::List(list)) = m.get("notifications") {
        for n in list {
            let Value::Map(n) = n else { continue };
            out.push(Notification {
                code: text(n, "code"),
                title: text(n, "title"),
                description: text(n, "description"),
                severity: text(n, "severity"),
                category: text(n, "category"),
            });
        }
    } else if let Some(Value::List(list)) = m.get("statuses") {
        for s in list {
            let Value::Map(s) = s else { continue };
            // Statuses without a Neo4j code are GQL outcomes (success, no data), not
            // notifications.
            if !s.contains_key("neo4j_code") {
                continue;
            }
            let diag = match s.get("diagnostic_record") {
                Some(Value::Map(d)) => d.clone(),
                _ => Meta::new(),
            };
            out.push(Notification {
                code: text(s, "neo4j_code"),
                title: text(s, "title"),
                description: text(s, "description"),
                severity: text(&diag, "_severity"),
                category: text(&diag, "_classification"),
            });
        }
    }
    out
}

impl Backend for Bolt {
    fn run(&mut self, request: &Request<'_>) -> Result<QueryResult, BackendError> {
        self.run_with(request, None)
    }

    fn run_to(
        &mut self,
        request: &Request<'_>,
        sink: &mut dyn RowSink,
    ) -> Result<QueryResult, BackendError> {
        self.run_with(request, Some(sink))
    }

    fn info(&self) -> BackendInfo {
        let version = self.server.strip_prefix("Neo4j/").unwrap_or(&self.server);
        BackendInfo {
            user: if self.user.is_empty() {
                "neo4j".into()
            } else {
                self.user.clone()
            },
            impersonating: self.impersonated.clone(),
            description: format!("Neo4j {version} at {}", self.shown()),
            runs_cypher: true,
        }
    }

    fn impersonate(&mut self, user: Option<&str>) -> Result<(), BackendError> {
        let me = self.user.clone();
        let previous = std::mem::replace(
            &mut self.impersonated,
            user.filter(|t| *t != me).map(str::to_string),
        );
        // Routing tables depend on whom statements run as (their home database).
        self.tables.clear();
        if self.impersonated.is_some() {
            // The server decides: one read as the new user tells whether it may be
            // impersonated; a refusal puts the session back as it was.
            let runtime = Arc::clone(&self.runtime);
            let probe =
                runtime.block_on(self.run_auto("SHOW CURRENT USER", &Meta::new(), "system", None));
            if let Err(e) = probe {
                self.impersonated = previous;
                return Err(e);
            }
        }
        Ok(())
    }

    fn disconnect(&mut self) {
        let pool = std::mem::take(&mut self.pool);
        let runtime = Arc::clone(&self.runtime);
        runtime.block_on(async {
            for (_, conn) in pool {
                conn.close().await;
            }
        });
        self.tables.clear();
        self.tx = Tx::None;
    }

    fn reconnect(&mut self, login: Option<(&str, &str)>) -> Result<(), BackendError> {
        self.disconnect();
        self.impersonated = None;
        if let Some((user, password)) = login {
            self.user = user.to_string();
            self.password = password.to_string();
        }
        // The address may route again even if the last server did not.
        self.routing = self.address.routing;
        let runtime = Arc::clone(&self.runtime);
        runtime.block_on(self.open())
    }

    fn access_mode(&mut self, read: Option<bool>) -> Result<bool, BackendError> {
        if let Some(read) = read {
            self.access = if read {
                AccessMode::Read
            } else {
                AccessMode::Write
            };
        }
        Ok(self.access == AccessMode::Read)
    }

    fn begin(&mut self) -> Result<(), BackendError> {
        self.tx = Tx::Pending;
        Ok(())
    }

    fn commit(&mut self) -> Result<(), BackendError> {
        let runtime = Arc::clone(&self.runtime);
        runtime.block_on(self.finish_tx(true))
    }

    fn rollback(&mut self) -> Result<(), BackendError> {
        let runtime = Arc::clone(&self.runtime);
        runtime.block_on(self.finish_tx(false))
    }

    fn dry_run_begin(&mut self) -> Result<(), BackendError> {
        Err(BackendError::Statement(super::needs_twin(Some(
            &self.shown(),
        ))))
    }

    fn dry_run_finish(&mut self) -> Result<super::Plan, BackendError> {
        Err(BackendError::Statement(super::needs_twin(Some(
            &self.shown(),
        ))))
    }
}

impl Drop for Bolt {
    fn drop(&mut self) {
        // GOODBYE on every pooled connection, as `:disconnect` does.
        Backend::disconnect(self);
    }
}
