//! The Query API endpoints: discovery, auto-commit queries and the explicit transaction
//! endpoints, each answering with Neo4j's status codes and bodies.
//!
//! It owns the order of checks (authentication, media types, body, database, transaction,
//! statement) and the HTTP status of each outcome. It must not build JSON itself: `wire`
//! does.

// A refused request is a finished `Response`; boxing it would only add an allocation on
// the error path.
#![allow(clippy::result_large_err)]

use super::body::{self, BodyError};
use super::{Actor, Ran, Shared, run_statement, tx};
use crate::error::{Neo4jError, code};
use crate::wire::request::{self, QueryRequest};
use crate::wire::response::{self, Summary, TxInfo};
use crate::wire::{self, Encoding};
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value as Json};
use std::sync::Arc;

/// What every query endpoint needs once the request is let in.
struct Ctx {
    user: String,
    encoding: Encoding,
    content_type: &'static str,
    request: QueryRequest,
}

/// A response of `content_type`: `body` as one JSON document, or as JSON Lines events
/// when the client asked for those.
fn reply(status: u16, content_type: &str, body: &Json) -> Response {
    // serde_json's writer straight into bytes: its `Display` goes through `fmt::Write`,
    // a call per token, which was most of a small body's cost.
    let text: Vec<u8> = if wire::is_lines(content_type) {
        response::lines(body).into_bytes()
    } else {
        serde_json::to_vec(body).unwrap_or_default()
    };
    bytes_reply(status, content_type, text)
}

/// A body already written, with its status and content type.
fn bytes_reply(status: u16, content_type: &str, body: Vec<u8>) -> Response {
    let mut response = (
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        body,
    )
        .into_response();
    if let Ok(ct) = HeaderValue::from_str(content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, ct);
    }
    response
}

fn error_reply(status: u16, content_type: &str, error: Neo4jError) -> Response {
    let mut response = reply(status, content_type, &wire::error_body(&[error]));
    if status == 401 {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"Neo4j\", Bearer realm=\"Neo4j\""),
        );
    }
    response
}

/// An error before any row: the status follows from the code.
fn statement_error(content_type: &str, error: Neo4jError) -> Response {
    error_reply(wire::status_of(&error.code), content_type, error)
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// What the checks before the body establish.
struct Admitted {
    user: String,
    encoding: Encoding,
    content_type: &'static str,
    request_encoding: Encoding,
}

/// The checks before the body: who is asking, and in which media types.
async fn admit(shared: &Shared, headers: &HeaderMap) -> Result<Admitted, Response> {
    let user = shared
        .gate
        .check(header_str(headers, header::AUTHORIZATION))
        .await
        .map_err(|(status, e)| error_reply(status, wire::JSON, e))?;
    let (encoding, content_type) = wire::response_media(header_str(headers, header::ACCEPT))
        .ok_or_else(|| {
            error_reply(
                406,
                wire::JSON,
                Neo4jError::new(
                    code::REQUEST_INVALID,
                    "The requested media type is not supported.",
                ),
            )
        })?;
    let request_encoding = wire::request_encoding(header_str(headers, header::CONTENT_TYPE))
        .ok_or_else(|| {
            error_reply(
                415,
                content_type,
                Neo4jError::new(
                    code::REQUEST_INVALID,
                    "The request's Content-Type is not supported.",
                ),
            )
        })?;
    Ok(Admitted {
        user,
        encoding,
        content_type,
        request_encoding,
    })
}

/// Authentication, media types and the body, in the order Neo4j checks them.
async fn prelude(shared: &Shared, headers: &HeaderMap, body: Body) -> Result<Ctx, Response> {
    let limit = shared.options.max_body_bytes;
    let Admitted {
        user,
        encoding,
        content_type,
        request_encoding,
    } = match admit(shared, headers).await {
        Ok(admitted) => admitted,
        Err(refusal) => {
            // Read what the client is still sending, so that it hears the refusal
            // rather than a broken pipe.
            body::discard(body, limit).await;
            return Err(refusal);
        }
    };
    let bytes = body::read(body, limit, shared.options.body_timeout)
        .await
        .map_err(|e| {
            let message = match e {
                BodyError::TooLarge => format!("The request body is larger than {limit} bytes."),
                BodyError::Unreadable => "The request body could not be read.".to_string(),
                BodyError::Timeout => "The request body was not received in time.".to_string(),
            };
            error_reply(
                400,
                content_type,
                Neo4jError::new(code::REQUEST_INVALID, message),
            )
        })?;
    let request =
        request::decode(&bytes, request_encoding).map_err(|e| error_reply(400, content_type, e))?;
    Ok(Ctx {
        user,
        encoding,
        content_type,
        request,
    })
}

fn check_database(shared: &Shared, db: &str, content_type: &str) -> Result<(), Response> {
    if shared.database_exists(db) {
        Ok(())
    } else {
        Err(error_reply(404, content_type, wire::database_not_found(db)))
    }
}

fn success(
    ctx: &Ctx,
    ran: Option<&Ran>,
    summary: &Summary,
    extra: Option<(&str, String)>,
) -> Response {
    let result = ran.map(|r| &r.result);
    let mut response = if wire::is_lines(ctx.content_type) {
        reply(
            202,
            ctx.content_type,
            &response::encode(result, summary, ctx.encoding),
        )
    } else {
        bytes_reply(
            202,
            ctx.content_type,
            response::encode_bytes(result, summary, ctx.encoding),
        )
    };
    if let Some((name, value)) = extra
        && let (Ok(name), Ok(value)) = (
            header::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        )
    {
        response.headers_mut().insert(name, value);
    }
    response
}

fn counters(ctx: &Ctx, ran: Option<&Ran>) -> Option<u64> {
    ctx.request.include_counters.then(|| {
        ran.map_or(0, |r| {
            u64::try_from(r.result.counters.system_updates).unwrap_or(0)
        })
    })
}

/// `GET /`: the discovery document, no authentication needed.
pub async fn discovery(headers: HeaderMap, State(shared): State<Arc<Shared>>) -> Response {
    let scheme = if shared.options.tls.is_some() {
        "https"
    } else {
        "http"
    };
    let host = header_str(&headers, header::HOST).unwrap_or("localhost:7474");
    let base = format!("{scheme}://{host}");
    let bolt_host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    let mut doc = Map::new();
    let mut put = |k: &str, v: Json| {
        doc.insert(k.to_string(), v);
    };
    put(
        "query_api",
        Json::String(format!(
            "{base}/db/{{databaseName}}/query/v{{queryApiMajorVersion}}"
        )),
    );
    // Bolt addresses only where Bolt is served: a client that believed them would fail
    // to connect to nothing.
    let bolt = shared.options.bolt_port;
    if let Some(port) = bolt {
        put(
            "bolt_routing",
            Json::String(format!("neo4j://{bolt_host}:{port}")),
        );
    }
    put(
        "query",
        Json::String(format!("{base}/db/{{databaseName}}/query/v2")),
    );
    put("dbms/cluster", Json::String(format!("{base}/dbms/cluster")));
    put(
        "db/cluster",
        Json::String(format!("{base}/db/{{databaseName}}/cluster")),
    );
    put(
        "transaction",
        Json::String(format!("{base}/db/{{databaseName}}/tx")),
    );
    if let Some(port) = bolt {
        put(
            "bolt_direct",
            Json::String(format!("bolt://{bolt_host}:{port}")),
        );
    }
    put("neo4j_version", Json::String(super::NEO4J_VERSION.into()));
    put("neo4j_edition", Json::String("enterprise".into()));
    put("auth_config", serde_json::json!({"oidc_providers": []}));
    put("query_api_versions", serde_json::json!(["2.0"]));
    let mut response = reply(200, wire::JSON, &Json::Object(doc));
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    response
}

/// What every request on `/db/{db}/...` does first: the path, then authentication, media
/// types and the body (`prelude`), then whether the database exists.
async fn on_database(
    shared: &Shared,
    db: Result<Path<String>, PathRejection>,
    headers: &HeaderMap,
    body: Body,
) -> Result<(String, Ctx), Response> {
    let Path(db) = db.map_err(|e| bad_path(&e))?;
    let ctx = prelude(shared, headers, body).await?;
    check_database(shared, &db, ctx.content_type)?;
    Ok((db, ctx))
}

/// What every request on `/db/{db}/query/v2/tx/{id}...` with a body does first: the path,
/// then authentication, media types and the body (`prelude`). The transaction itself is
/// looked up by the handler, which knows what to do when it is gone.
async fn on_transaction(
    shared: &Shared,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: &HeaderMap,
    body: Body,
) -> Result<((String, String), Ctx), Response> {
    let Path(ids) = path.map_err(|e| bad_path(&e))?;
    let ctx = prelude(shared, headers, body).await?;
    Ok((ids, ctx))
}

/// `POST /db/{db}/query/v2`: one statement in an auto-commit transaction.
pub async fn query(
    State(shared): State<Arc<Shared>>,
    db: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let (db, ctx) = match on_database(&shared, db, &headers, body).await {
        Ok(opened) => opened,
        Err(r) => return r,
    };
    let Some(statement) = ctx.request.statement.as_deref() else {
        return error_reply(
            400,
            ctx.content_type,
            Neo4jError::new(code::REQUEST_INVALID, "The request body has no statement."),
        );
    };
    // Parsed once; a syntax error is still reported after the impersonation check.
    let prepared = super::prepare(statement);
    let read_only = prepared.as_ref().is_ok_and(super::Prepared::is_read_only);
    let execute = {
        let shared = Arc::clone(&shared);
        let params = ctx.request.parameters.clone();
        let (db, user, access) = (db.clone(), ctx.user.clone(), ctx.request.access_mode);
        let impersonated = ctx.request.impersonated_user.clone();
        move || {
            let mut cluster = shared.lock_cluster();
            let actor = Actor::resolve(&cluster, &user, impersonated.as_deref())?;
            let ran = run_statement(&mut cluster, prepared?, &params, &db, &actor, access, true);
            if matches!(&ran, Ok(r) if r.wrote) {
                shared.refresh_databases(&mut cluster);
            }
            // Rows a query computes lazily are computed without holding the cluster.
            drop(cluster);
            ran?.complete()
        }
    };
    // Reads take the lock for microseconds and run in place. A write may wait for the
    // store's fsync: it runs on the blocking pool so the async workers keep serving.
    let ran = if read_only {
        execute()
    } else {
        tokio::task::spawn_blocking(execute)
            .await
            .unwrap_or_else(|_| Err(super::unexpected()))
    };
    match ran {
        Ok(ran) => {
            let summary = Summary {
                query_type: Some(ran.query_type),
                bookmarks: Some(vec![shared.bookmark(ran.wrote)]),
                transaction: None,
                counters: counters(&ctx, Some(&ran)),
            };
            success(&ctx, Some(&ran), &summary, None)
        }
        Err(e) => statement_error(ctx.content_type, e),
    }
}

/// Runs `statement` inside transaction `tx`: on a scratch copy of the live cluster, its
/// earlier writes are replayed and then the statement runs; nothing is kept. A write is
/// recorded for the commit.
fn run_in_tx_scratch(
    shared: &Shared,
    tx: &mut tx::Tx,
    statement: &str,
    ctx: &Ctx,
) -> Result<Ran, Neo4jError> {
    let mut live = shared.lock_cluster();
    let (database, actor) = (tx.database.clone(), tx.run_as.clone());
    let ran = super::scratch(&mut live, false, |c| {
        super::replay(c, &tx.writes, &actor.user)?;
        run_statement(
            c,
            super::prepare(statement)?,
            &ctx.request.parameters,
            &database,
            &actor,
            ctx.request.access_mode,
            true,
        )
    })?;
    drop(live);
    if ran.wrote {
        tx.writes.push(ran.recorded.clone());
    }
    ran.complete()
}

fn affinity(shared: &Shared) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(shared.instance)
}

/// `POST /db/{db}/query/v2/tx`: begins a transaction, optionally running a statement.
pub async fn begin(
    State(shared): State<Arc<Shared>>,
    db: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let (db, ctx) = match on_database(&shared, db, &headers, body).await {
        Ok(opened) => opened,
        Err(r) => return r,
    };
    // `impersonatedUser` applies at begin, for the whole transaction.
    let run_as = {
        let live = shared.lock_cluster();
        Actor::resolve(&live, &ctx.user, ctx.request.impersonated_user.as_deref())
    };
    let run_as = match run_as {
        Ok(actor) => actor,
        Err(e) => return statement_error(ctx.content_type, e),
    };
    let mut tx = tx::Tx::new(&db, &ctx.user, run_as, shared.options.tx_idle_timeout);
    let ran = match ctx.request.statement.as_deref() {
        Some(statement) => match run_in_tx_scratch(&shared, &mut tx, statement, &ctx) {
            Ok(ran) => Some(ran),
            // An error closes the transaction before it was ever registered.
            Err(e) => return statement_error(ctx.content_type, e),
        },
        None => None,
    };
    let expires = tx.expires_text();
    let Some(id) = shared
        .txs
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(tx)
    else {
        return error_reply(
            400,
            ctx.content_type,
            Neo4jError::new(
                "Neo.TransientError.Transaction.MaximumTransactionLimitReached",
                "Unable to start new transaction since the maximum number of concurrently executing transactions is reached.",
            ),
        );
    };
    let summary = Summary {
        query_type: ran.as_ref().map(|r| r.query_type),
        bookmarks: None,
        transaction: Some(TxInfo { id, expires }),
        counters: counters(&ctx, ran.as_ref()),
    };
    success(
        &ctx,
        ran.as_ref(),
        &summary,
        Some((wire::AFFINITY_HEADER, affinity(&shared))),
    )
}

/// `POST /db/{db}/query/v2/tx/{id}`: runs a statement in the transaction, or keeps it
/// alive when there is none.
pub async fn run_in_tx(
    State(shared): State<Arc<Shared>>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let ((db, id), ctx) = match on_transaction(&shared, path, &headers, body).await {
        Ok(opened) => opened,
        Err(r) => return r,
    };
    let mut txs = shared.txs.lock().unwrap_or_else(|e| e.into_inner());
    let Some(tx) = txs.get_mut(&id, &db, &ctx.user) else {
        return error_reply(404, ctx.content_type, wire::tx_not_found(&id));
    };
    let ran = match ctx.request.statement.as_deref() {
        Some(statement) => match run_in_tx_scratch(&shared, tx, statement, &ctx) {
            Ok(ran) => Some(ran),
            Err(e) => {
                txs.remove(&id);
                return statement_error(ctx.content_type, e);
            }
        },
        None => None,
    };
    tx.touch();
    let summary = Summary {
        query_type: ran.as_ref().map(|r| r.query_type),
        bookmarks: None,
        transaction: Some(TxInfo {
            id: id.clone(),
            expires: tx.expires_text(),
        }),
        counters: counters(&ctx, ran.as_ref()),
    };
    drop(txs);
    success(&ctx, ran.as_ref(), &summary, None)
}

/// `POST /db/{db}/query/v2/tx/{id}/commit`: commits, optionally after a last statement.
pub async fn commit(
    State(shared): State<Arc<Shared>>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let ((db, id), ctx) = match on_transaction(&shared, path, &headers, body).await {
        Ok(opened) => opened,
        Err(r) => return r,
    };
    let mut tx = {
        let mut txs = shared.txs.lock().unwrap_or_else(|e| e.into_inner());
        if txs.get_mut(&id, &db, &ctx.user).is_none() {
            return error_reply(404, ctx.content_type, wire::tx_not_found(&id));
        }
        match txs.remove(&id) {
            Some(tx) => tx,
            None => return error_reply(404, ctx.content_type, wire::tx_not_found(&id)),
        }
    };
    let ran = match ctx.request.statement.as_deref() {
        Some(statement) => match run_in_tx_scratch(&shared, &mut tx, statement, &ctx) {
            Ok(ran) => Some(ran),
            Err(e) => return statement_error(ctx.content_type, e),
        },
        None => None,
    };
    let wrote = !tx.writes.is_empty();
    if wrote {
        // Replay every write on the live cluster as one unit: all of them are kept or
        // none is, even if others changed the cluster since the transaction began.
        let committed = {
            let shared = Arc::clone(&shared);
            let (user, writes) = (tx.run_as.user.clone(), std::mem::take(&mut tx.writes));
            tokio::task::spawn_blocking(move || {
                let mut live = shared.lock_cluster();
                super::scratch(&mut live, true, |c| super::replay(c, &writes, &user))?;
                shared.refresh_databases(&mut live);
                Ok(())
            })
            .await
            .unwrap_or_else(|_| Err(super::unexpected()))
        };
        if let Err(e) = committed {
            return statement_error(ctx.content_type, e);
        }
    }
    let summary = Summary {
        query_type: ran.as_ref().map(|r| r.query_type),
        bookmarks: Some(vec![shared.bookmark(wrote)]),
        transaction: None,
        counters: counters(&ctx, ran.as_ref()),
    };
    success(&ctx, ran.as_ref(), &summary, None)
}

/// `DELETE /db/{db}/query/v2/tx/{id}`: rolls back; 200 with `{}` as Neo4j 2026 answers.
pub async fn rollback(
    State(shared): State<Arc<Shared>>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
) -> Response {
    let (db, id) = match path {
        Ok(Path(p)) => p,
        Err(e) => return bad_path(&e),
    };
    let user = match shared
        .gate
        .check(header_str(&headers, header::AUTHORIZATION))
        .await
    {
        Ok(u) => u,
        Err((status, e)) => return error_reply(status, wire::JSON, e),
    };
    let (_, content_type) = wire::response_media(header_str(&headers, header::ACCEPT))
        .unwrap_or((Encoding::Plain, wire::JSON));
    let mut txs = shared.txs.lock().unwrap_or_else(|e| e.into_inner());
    if txs.get_mut(&id, &db, &user).is_none() {
        return error_reply(404, content_type, wire::tx_not_found(&id));
    }
    txs.remove(&id);
    reply(200, content_type, &Json::Object(Map::new()))
}

/// A path whose parts cannot be read (bad percent-encoding, not UTF-8).
fn bad_path(e: &PathRejection) -> Response {
    error_reply(
        400,
        wire::JSON,
        Neo4jError::new(code::REQUEST_INVALID, format!("Invalid request path: {e}")),
    )
}

/// Any other path.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    error_reply(
        404,
        wire::JSON,
        Neo4jError::new(
            code::REQUEST_INVALID,
            format!("No endpoint at {}.", uri.path()),
        ),
    )
}
