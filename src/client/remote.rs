//! The remote backend: statements run on a Neo4j server (or `cysh serve`) over the HTTP
//! Query API v2, with reqwest on the process's tokio runtime.
//!
//! It owns the connection: the address, discovery, Basic credentials, the open explicit
//! transaction and its affinity header, and which failure is which (connection, timeout,
//! TLS, authentication: a `ConnectionError`, worded in `client::error`). It must not know
//! the JSON (`wire` does) nor render anything.

use super::{
    AddressError, Backend, BackendError, BackendInfo, ConnectionError, Request, WaitProgress,
    WaitWatcher,
};
use crate::dialect::ast::{NameOrParam, Wait};
use crate::error::{Neo4jError, code};
use crate::result::QueryResult;
use crate::wire::{self, Encoding, request, response};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode, Url};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

/// How long to wait for a TCP connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long to wait for a whole response. Admin commands with WAIT may take minutes on a
/// real cluster, so this is generous.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(600);

/// How often a running WAIT's database is looked at, and how long one look may take.
const WATCH_EVERY: Duration = Duration::from_millis(500);

/// The read that tells how far a WAIT has got: the servers hosting the database and
/// whether each has reached the requested status.
const WATCH_QUERY: &str = "SHOW DATABASE $database YIELD currentStatus, requestedStatus";

/// A WAIT to watch while its request runs.
struct Watch<'a> {
    /// The database the waiting statement changes.
    database: String,
    tell: WaitWatcher<'a>,
}

/// Where and as whom to connect.
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    /// The address as given (`-a`, `NEO4J_ADDRESS`, `NEO4J_URI`).
    pub address: String,
    /// The user (`-u`); empty for none.
    pub user: String,
    /// The password (`-p`).
    pub password: String,
    /// `--transaction-timeout`: sent as `maxExecutionTime` (whole seconds, at least one)
    /// with every statement that runs alone or begins a transaction.
    pub tx_timeout: Option<Duration>,
}

/// Turns an address as an operator types it into the Query API base URL. A Bolt address
/// (`neo4j://`, `bolt://` and their `+s`/`+ssc` forms) is refused with the URL to use
/// instead; no scheme means `http://`; no port means 7474 (http) or 7473 (https). User
/// and password in the URL are returned separately.
pub fn parse_address(address: &str) -> Result<(Url, Option<(String, String)>), AddressError> {
    let trimmed = address.trim();
    let (scheme, rest) = match trimmed.split_once("://") {
        Some((s, r)) => (s.to_ascii_lowercase(), r),
        None => ("http".to_string(), trimmed),
    };
    let host_part = rest.rsplit('@').next().unwrap_or(rest);
    let host_port = host_part.split(['/', '?']).next().unwrap_or("");
    let host = match host_port.rsplit_once(':') {
        Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) && !h.is_empty() => h,
        _ if host_port.is_empty() => "localhost",
        _ => host_port,
    };
    match scheme.as_str() {
        "http" | "https" => {}
        "neo4j" | "bolt" | "neo4j+s" | "bolt+s" | "neo4j+ssc" | "bolt+ssc" => {
            let (s, port) = if scheme.contains('+') {
                ("https", 7473)
            } else {
                ("http", 7474)
            };
            return Err(AddressError::Bolt {
                address: trimmed.into(),
                suggestion: format!("{s}://{host}:{port}"),
            });
        }
        other => {
            return Err(AddressError::UnsupportedScheme {
                scheme: other.into(),
                address: trimmed.into(),
            });
        }
    }
    let mut url =
        Url::parse(&format!("{scheme}://{rest}")).map_err(|e| AddressError::Unparsable {
            address: trimmed.into(),
            detail: e.to_string(),
        })?;
    if url.port().is_none() {
        let _ = url.set_port(Some(if scheme == "https" { 7473 } else { 7474 }));
    }
    let credentials = (!url.username().is_empty()).then(|| {
        (
            url.username().to_string(),
            url.password().unwrap_or("").to_string(),
        )
    });
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_path("");
    url.set_query(None);
    Ok((url, credentials))
}

/// The explicit transaction of the session.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tx {
    /// None open.
    None,
    /// `:begin` was typed; the server transaction starts with the first statement, on the
    /// database that statement goes to.
    Pending,
    /// Open on the server.
    Open {
        database: String,
        id: String,
        affinity: Option<String>,
    },
}

/// A backend over the Query API.
pub struct Remote {
    runtime: Arc<Runtime>,
    http: reqwest::Client,
    base: String,
    shown_address: String,
    authorization: Option<HeaderValue>,
    user: String,
    /// The user impersonated, if any (sent as `impersonatedUser`).
    impersonated: Option<String>,
    version: String,
    tx: Tx,
    tx_timeout: Option<Duration>,
}

/// What came back from one HTTP exchange.
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Remote {
    /// Connects on `runtime` (a current-thread runtime is best: `block_on` then drives the
    /// connection on the calling thread, with no hand-off between threads per request).
    /// Reads the discovery document, then checks the credentials by opening
    /// and rolling back a transaction on `system`. Every failure is a one-line
    /// `BackendError::Fatal`.
    pub fn connect(
        runtime: Arc<Runtime>,
        options: &ConnectOptions,
    ) -> Result<Remote, BackendError> {
        super::tls::install_crypto_provider();
        let (url, url_credentials) =
            parse_address(&options.address).map_err(ConnectionError::from)?;
        let (user, password) = if options.user.is_empty() {
            url_credentials.unwrap_or_default()
        } else {
            (options.user.clone(), options.password.clone())
        };
        let authorization = (!user.is_empty()).then(|| basic_authorization(&user, &password));
        // CYSH_REQUEST_TIMEOUT_MS shortens the wait for a reply (tests, impatient scripts).
        let timeout = std::env::var("CYSH_REQUEST_TIMEOUT_MS")
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
            .map_or(REQUEST_TIMEOUT, Duration::from_millis);
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT.min(timeout))
            .timeout(timeout)
            .pool_idle_timeout(Duration::from_secs(50))
            .build()
            .map_err(ConnectionError::HttpClient)?;
        let base = url.as_str().trim_end_matches('/').to_string();
        let mut remote = Remote {
            runtime,
            http,
            shown_address: base.clone(),
            base,
            authorization: authorization.flatten(),
            user: if user.is_empty() {
                "neo4j".into()
            } else {
                user
            },
            version: String::new(),
            impersonated: None,
            tx: Tx::None,
            tx_timeout: options.tx_timeout,
        };
        remote.discover()?;
        remote.check_credentials()?;
        Ok(remote)
    }

    fn discover(&mut self) -> Result<(), BackendError> {
        let reply = self.exchange(Method::GET, "/", None, None)?;
        let not_query_api = || {
            BackendError::Fatal(ConnectionError::NotQueryApi {
                address: self.shown_address.clone(),
            })
        };
        if !reply.status.is_success() {
            return Err(not_query_api());
        }
        let doc: serde_json::Value =
            serde_json::from_slice(&reply.body).map_err(|_| not_query_api())?;
        if doc.get("query").is_none() && doc.get("query_api").is_none() {
            return Err(not_query_api());
        }
        self.version = doc
            .get("neo4j_version")
            .and_then(|v| v.as_str())
            .unwrap_or("unknown version")
            .to_string();
        Ok(())
    }

    fn check_credentials(&mut self) -> Result<(), BackendError> {
        let reply = self.exchange(
            Method::POST,
            "/db/system/query/v2/tx",
            Some(b"{}".to_vec()),
            None,
        )?;
        if reply.status == StatusCode::ACCEPTED {
            if let Ok(decoded) = response::decode(&reply.body, Encoding::Typed)
                && let Some(tx) = decoded.transaction
            {
                let path = format!("/db/system/query/v2/tx/{}", tx.id);
                let affinity = affinity_of(&reply.headers);
                let _ = self.exchange(Method::DELETE, &path, None, affinity.as_deref());
            }
            return Ok(());
        }
        match self.fatal_for_status(&reply) {
            Some(e) => Err(e),
            // Servers before 5.26 have no /tx endpoint: the first statement will tell.
            None => Ok(()),
        }
    }

    /// The fatal error a status means for the whole session, if any.
    fn fatal_for_status(&self, reply: &Reply) -> Option<BackendError> {
        match reply.status.as_u16() {
            401 => Some(ConnectionError::Unauthorized.into()),
            429 => Some(
                ConnectionError::Throttled(
                    wire::decode_errors(&serde_json::from_slice(&reply.body).unwrap_or_default())
                        .first()
                        .map(|e| e.message.clone()),
                )
                .into(),
            ),
            _ => None,
        }
    }

    /// Sends one request and reads the whole reply, on the shared runtime.
    fn exchange(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
        affinity: Option<&str>,
    ) -> Result<Reply, BackendError> {
        self.exchange_watching(method, path, body, affinity, None)
    }

    /// A request builder for `path` with the Query API's typed media types and the
    /// session's credentials.
    fn builder(
        &self,
        method: Method,
        path: &str,
        affinity: Option<&str>,
    ) -> reqwest::RequestBuilder {
        let url = format!("{}{}", self.base, path);
        let mut builder = self.http.request(method, &url).header(ACCEPT, wire::TYPED);
        if let Some(auth) = &self.authorization {
            builder = builder.header(AUTHORIZATION, auth.clone());
        }
        if let Some(a) = affinity {
            builder = builder.header(wire::AFFINITY_HEADER, a);
        }
        builder
    }

    /// [`Remote::exchange`], telling `watch` how many servers have caught up every
    /// [`WATCH_EVERY`] while the reply is outstanding.
    fn exchange_watching(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
        affinity: Option<&str>,
        watch: Option<Watch<'_>>,
    ) -> Result<Reply, BackendError> {
        let mut builder = self.builder(method, path, affinity);
        if let Some(body) = body {
            builder = builder.header(CONTENT_TYPE, wire::TYPED).body(body);
        }
        let address = self.shown_address.clone();
        self.runtime.block_on(async move {
            let exchange = async {
                let response = builder
                    .send()
                    .await
                    .map_err(|e| transport_error(&address, &e))?;
                let status = response.status();
                super::log::line(format_args!("HTTP: {path} answered {status}"));
                let headers = response.headers().clone();
                let body = response
                    .bytes()
                    .await
                    .map_err(|e| transport_error(&address, &e))?;
                Ok(Reply {
                    status,
                    headers,
                    body: body.to_vec(),
                })
            };
            // Ctrl-C while a request is in flight abandons it (the session goes on), as
            // cypher-shell stops a running query. Between requests rustyline reads Ctrl-C as
            // a key, so this only ever sees an interrupt during a request. One listener for
            // the whole exchange, so an interrupt during a look at a WAIT is not lost.
            let interrupted = tokio::signal::ctrl_c();
            tokio::pin!(exchange, interrupted);
            let mut ticks = tokio::time::interval(WATCH_EVERY);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            ticks.tick().await; // the first tick is immediate; the first look waits
            loop {
                tokio::select! {
                    reply = &mut exchange => return reply,
                    _ = &mut interrupted => return Err(BackendError::Statement(cancelled())),
                    _ = ticks.tick(), if watch.is_some() => {
                        if let Some(w) = &watch
                            && let Ok(Some(progress)) =
                                tokio::time::timeout(WATCH_EVERY, self.look(&w.database)).await
                        {
                            (w.tell.0)(progress);
                        }
                    }
                }
            }
        })
    }

    /// One look at how far a WAIT on `database` has got; `None` when the look fails (the
    /// wait itself decides the outcome, so a failed look is only skipped).
    async fn look(&self, database: &str) -> Option<WaitProgress> {
        let mut params = crate::dialect::Params::new();
        params.insert("database".into(), crate::value::Value::str(database));
        let body = request::encode(Some(WATCH_QUERY), &params, self.impersonated.as_deref());
        let reply = self
            .builder(Method::POST, "/db/system/query/v2", None)
            .header(CONTENT_TYPE, wire::TYPED)
            .body(body)
            .send()
            .await
            .ok()?;
        if !reply.status().is_success() {
            return None;
        }
        let bytes = reply.bytes().await.ok()?;
        let decoded = response::decode(&bytes, Encoding::Typed).ok()?;
        let rows = &decoded.result.rows;
        Some(WaitProgress {
            caught_up: rows.iter().filter(|r| r.len() == 2 && r[0] == r[1]).count(),
            total: rows.len(),
        })
    }

    /// Posts a statement and decodes the reply into a result or the statement's error.
    fn post_statement(
        &mut self,
        path: &str,
        text: Option<&str>,
        request: Option<&Request<'_>>,
        affinity: Option<&str>,
    ) -> Result<(response::Decoded, HeaderMap), BackendError> {
        let params = request.map(|r| r.params.clone()).unwrap_or_default();
        // `impersonatedUser` goes with a statement that runs alone or begins a transaction;
        // an open transaction keeps what it began with.
        let impersonated = if request.is_some() && !matches!(self.tx, Tx::Open { .. }) {
            self.impersonated.as_deref()
        } else {
            None
        };
        let extras = request::Extras {
            include_counters: request.is_some(),
            max_execution_secs: self
                .tx_timeout
                .filter(|_| request.is_some() && !matches!(self.tx, Tx::Open { .. }))
                .map(|t| t.as_secs().max(1)),
        };
        let body = request::encode_with(text, &params, impersonated, &extras);
        if let Some(text) = text {
            super::log::statement(format_args!("HTTP: POST {}{path}", self.base), text);
        }
        let watch = request.and_then(watch_of);
        let reply = self.exchange_watching(Method::POST, path, Some(body), affinity, watch)?;
        if let Some(fatal) = self.fatal_for_status(&reply) {
            return Err(fatal);
        }
        let decoded = response::decode(&reply.body, Encoding::Typed).map_err(|why| {
            if reply.status.is_success() {
                BackendError::Fatal(ConnectionError::NotAResponse {
                    address: self.shown_address.clone(),
                    why,
                })
            } else {
                BackendError::Statement(Neo4jError::new(
                    code::UNKNOWN_ERROR,
                    format!(
                        "The server answered HTTP {} without a Query API error body.",
                        reply.status
                    ),
                ))
            }
        })?;
        // A 202 may still carry errors after partial data: the body decides, not the status.
        if let Some(first) = decoded.errors.first() {
            return Err(BackendError::Statement(first.clone()));
        }
        if !reply.status.is_success() {
            return Err(BackendError::Statement(Neo4jError::new(
                code::UNKNOWN_ERROR,
                format!("The server answered HTTP {}.", reply.status),
            )));
        }
        Ok((decoded, reply.headers))
    }
}

/// What to watch while `request` runs: a WAIT on a named database, when the caller asked
/// to be told.
fn watch_of<'a>(request: &Request<'a>) -> Option<Watch<'a>> {
    let tell = request.on_wait?;
    if !matches!(request.statement.wait(), Wait::Wait(_)) {
        return None;
    }
    let database = match request.statement.waited_database()? {
        NameOrParam::Name(name) => name.joined(),
        NameOrParam::Param(p) => match request.params.get(&p.name)? {
            crate::value::Value::String(s) => s.clone(),
            _ => return None,
        },
    };
    Some(Watch { database, tell })
}

/// The error of a request abandoned with Ctrl-C. The Query API has no way to stop a query
/// that is running, so the message says the server may still finish what it received.
fn cancelled() -> Neo4jError {
    Neo4jError::new(
        "Neo.TransientError.Transaction.Terminated",
        "Stopping query... The request was abandoned (Ctrl-C). Explicitly terminated by the user; \
         a command the server had already received may still complete.",
    )
}

/// The path of an open transaction: `/db/{db}/query/v2/tx/{id}`, both parts URL-encoded.
fn tx_path(database: &str, id: &str) -> String {
    format!(
        "/db/{}/query/v2/tx/{}",
        url_segment(database),
        url_segment(id)
    )
}

fn affinity_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get(wire::AFFINITY_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(String::from)
}

fn url_segment(s: &str) -> String {
    // Database names and transaction ids go into the path: percent-encode all but the
    // characters that are safe in a path segment.
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The one-line message for a failure below HTTP.
fn transport_error(address: &str, e: &reqwest::Error) -> BackendError {
    let chain = {
        let mut parts = Vec::new();
        let mut source: Option<&dyn std::error::Error> = Some(e);
        while let Some(s) = source {
            parts.push(s.to_string());
            source = s.source();
        }
        parts.join(": ")
    };
    let lower = chain.to_ascii_lowercase();
    let address = address.to_string();
    let error = if e.is_timeout() {
        ConnectionError::Timeout { address }
    } else if lower.contains("certificate")
        || lower.contains("tls")
        || lower.contains("handshake")
        || lower.contains("invalid peer")
    {
        let detail = chain.rsplit(": ").next().unwrap_or(&chain);
        let untrusted = [
            "UnknownIssuer",
            "CaUsedAsEndEntity",
            "NotValidForName",
            "Expired",
            "BadSignature",
        ]
        .iter()
        .any(|k| detail.contains(k));
        let detail = detail.to_string();
        if detail.contains("CaUsedAsEndEntity") {
            ConnectionError::CaAsServerCertificate { address }
        } else if untrusted {
            ConnectionError::UntrustedCertificate { address, detail }
        } else {
            ConnectionError::Tls { address, detail }
        }
    } else if e.is_connect() {
        ConnectionError::Unreachable { address }
    } else {
        ConnectionError::Failed { address, chain }
    };
    BackendError::Fatal(error)
}

/// The `Authorization: Basic …` header of `user` and `password`.
fn basic_authorization(user: &str, password: &str) -> Option<HeaderValue> {
    use base64::Engine;
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    HeaderValue::from_str(&format!("Basic {token}")).ok()
}

impl Backend for Remote {
    fn disconnect(&mut self) {
        // The Query API is stateless: an open transaction is all there is to close.
        if self.tx != Tx::None {
            let _ = Backend::rollback(self);
        }
        self.tx = Tx::None;
    }

    fn reconnect(&mut self, login: Option<(&str, &str)>) -> Result<(), BackendError> {
        self.impersonated = None;
        if let Some((user, password)) = login {
            self.authorization = basic_authorization(user, password);
            self.user = user.to_string();
        }
        self.discover()?;
        self.check_credentials()
    }

    fn dry_run_begin(&mut self) -> Result<(), BackendError> {
        Err(BackendError::Statement(super::needs_twin(Some(
            &self.shown_address,
        ))))
    }

    fn dry_run_finish(&mut self) -> Result<super::Plan, BackendError> {
        Err(BackendError::Statement(super::needs_twin(Some(
            &self.shown_address,
        ))))
    }

    fn run(&mut self, request: &Request<'_>) -> Result<QueryResult, BackendError> {
        let started = Instant::now();
        // Administration commands and procedures go to system (reference §11); general
        // Cypher goes to the session's database.
        let database = if request.statement.is_general_cypher() {
            request.database
        } else {
            "system"
        };
        let outcome = match self.tx.clone() {
            Tx::None => {
                let path = format!("/db/{}/query/v2", url_segment(database));
                self.post_statement(&path, Some(request.text), Some(request), None)
            }
            Tx::Pending => {
                let path = format!("/db/{}/query/v2/tx", url_segment(database));
                let outcome = self.post_statement(&path, Some(request.text), Some(request), None);
                if let Ok((decoded, headers)) = &outcome {
                    match &decoded.transaction {
                        Some(tx) => {
                            self.tx = Tx::Open {
                                database: database.to_string(),
                                id: tx.id.clone(),
                                affinity: affinity_of(headers),
                            }
                        }
                        None => self.tx = Tx::None,
                    }
                }
                outcome
            }
            Tx::Open {
                database,
                id,
                affinity,
            } => {
                let path = tx_path(&database, &id);
                self.post_statement(
                    &path,
                    Some(request.text),
                    Some(request),
                    affinity.as_deref(),
                )
            }
        };
        match outcome {
            Ok((decoded, _)) => {
                let mut result = decoded.result;
                if result.available_after_ms == 0 && result.consumed_after_ms == 0 {
                    result.available_after_ms = started.elapsed().as_millis() as u64;
                }
                Ok(result)
            }
            Err(e) => {
                // Any error inside a transaction rolls it back on the server.
                if matches!(e, BackendError::Statement(_)) {
                    self.tx = Tx::None;
                }
                Err(e)
            }
        }
    }

    fn info(&self) -> BackendInfo {
        BackendInfo {
            user: self.user.clone(),
            impersonating: self.impersonated.clone(),
            description: format!("Neo4j {} at {}", self.version, self.shown_address),
            runs_cypher: true,
        }
    }

    fn impersonate(&mut self, user: Option<&str>) -> Result<(), BackendError> {
        let previous = std::mem::replace(
            &mut self.impersonated,
            user.filter(|t| *t != self.user).map(str::to_string),
        );
        if self.impersonated.is_some() {
            // The server decides: one read as the new user tells whether it may be
            // impersonated; a refusal puts the session back as it was.
            const PROBE: &str = "SHOW CURRENT USER";
            let statement = crate::dialect::parse(PROBE)
                .map_err(|e| BackendError::Statement(Neo4jError::new(e.code, e.message)))?;
            let probe = Request {
                text: PROBE,
                statement: &statement,
                params: &Default::default(),
                database: "system",
                on_wait: None,
            };
            if let Err(e) = self.run(&probe) {
                self.impersonated = previous;
                return Err(e);
            }
        }
        Ok(())
    }

    fn begin(&mut self) -> Result<(), BackendError> {
        self.tx = Tx::Pending;
        Ok(())
    }

    fn commit(&mut self) -> Result<(), BackendError> {
        match std::mem::replace(&mut self.tx, Tx::None) {
            Tx::Open {
                database,
                id,
                affinity,
            } => {
                let path = format!("{}/commit", tx_path(&database, &id));
                self.post_statement(&path, None, None, affinity.as_deref())
                    .map(|_| ())
            }
            // Nothing ran: there is nothing to commit.
            _ => Ok(()),
        }
    }

    fn rollback(&mut self) -> Result<(), BackendError> {
        match std::mem::replace(&mut self.tx, Tx::None) {
            Tx::Open {
                database,
                id,
                affinity,
            } => {
                let path = tx_path(&database, &id);
                let reply = self.exchange(Method::DELETE, &path, None, affinity.as_deref())?;
                if let Some(fatal) = self.fatal_for_status(&reply) {
                    return Err(fatal);
                }
                // 200 with an empty body or `{}`, or 202 per the docs: all fine. A 404
                // means the server already rolled it back (expiry), which is the goal.
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        let (u, c) = parse_address("http://localhost:7474").unwrap();
        assert_eq!(u.as_str(), "http://localhost:7474/");
        assert!(c.is_none());
        let (u, c) = parse_address("https://alice:pw@db.example.com").unwrap();
        assert_eq!(u.as_str(), "https://db.example.com:7473/");
        assert_eq!(c, Some(("alice".into(), "pw".into())));
        assert_eq!(
            parse_address("127.0.0.1:9000").unwrap().0.as_str(),
            "http://127.0.0.1:9000/"
        );
        let e = parse_address("neo4j://db.example.com:7687").unwrap_err();
        assert!(e.to_string().contains("http://db.example.com:7474"), "{e}");
        let e = parse_address("bolt+s://db.example.com").unwrap_err();
        assert!(e.to_string().contains("https://db.example.com:7473"), "{e}");
    }

    #[test]
    fn path_segments_are_encoded() {
        assert_eq!(url_segment("my db/x"), "my%20db%2Fx");
        assert_eq!(url_segment("neo4j"), "neo4j");
    }
}
