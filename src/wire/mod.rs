//! The Neo4j HTTP Query API v2 on the wire: media types, request and response bodies,
//! error bodies and the status code of each error, exactly as reference
//! `neo4j-query-api.md` records them.
//!
//! It is the only place that knows the Query API's JSON; the server and the remote client
//! both go through it, so they cannot disagree. It must do no I/O and know nothing of
//! axum, reqwest or the cluster.

pub mod plan;
pub mod request;
pub mod response;
pub mod values;

use crate::error::Neo4jError;
use serde_json::{Map, Value as Json};
pub use values::Encoding;

/// `application/json`.
pub const JSON: &str = "application/json";
/// The typed media type every Query API version accepts (= v1.0).
pub const TYPED: &str = "application/vnd.neo4j.query";
/// The header that pins an explicit transaction to one cluster member.
pub const AFFINITY_HEADER: &str = "neo4j-cluster-affinity";

/// Plain JSON as JSON Lines events (Query API 2025.12+, reference §5.3).
pub const JSONL: &str = "application/jsonl";

/// The typed media types cysh serves and accepts, newest last.
const TYPED_VERSIONS: [&str; 4] = [
    TYPED,
    "application/vnd.neo4j.query.v1.0",
    "application/vnd.neo4j.query.v1.1",
    "application/vnd.neo4j.query.v1.2",
];

/// The typed media types as JSON Lines events; only the versioned ones have a `+jsonl`
/// form.
const TYPED_LINES: [&str; 3] = [
    "application/vnd.neo4j.query.v1.0+jsonl",
    "application/vnd.neo4j.query.v1.1+jsonl",
    "application/vnd.neo4j.query.v1.2+jsonl",
];

/// True when a response of media type `content_type` is written as JSON Lines events
/// (`Header`, `Record`s, `Summary`, or one `Error`) rather than one JSON document.
pub fn is_lines(content_type: &str) -> bool {
    content_type == JSONL || TYPED_LINES.contains(&content_type)
}

/// Status codes cysh's server produces that are not in `error::code`.
pub mod code {
    /// Too many failed logins.
    pub const AUTH_RATE_LIMIT: &str = "Neo.ClientError.Security.AuthenticationRateLimit";
    /// A malformed Authorization header.
    pub const INVALID_FORMAT: &str = "Neo.ClientError.Request.InvalidFormat";
    /// A statement in a read-only session tried to write.
    pub const ACCESS_MODE: &str = "Neo.ClientError.Statement.AccessMode";
    /// A transaction ran out of time.
    pub const TX_TIMED_OUT: &str =
        "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration";
    /// Too many logins waiting for a password check (answered 503).
    pub const AUTH_PROVIDER_TIMEOUT: &str = "Neo.TransientError.Security.AuthProviderTimeout";
    /// The server holds as many connections as it serves (answered 503).
    pub const NO_THREADS: &str = "Neo.TransientError.Request.NoThreadsAvailable";
}

/// The media type (without parameters) of a `Content-Type` header, lower-cased.
fn essence(header: &str) -> String {
    header
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// The encoding of a request body from its `Content-Type`; `None` when unsupported
/// (HTTP 415). A missing header is plain JSON, as with Neo4j's Jersey defaults.
pub fn request_encoding(content_type: Option<&str>) -> Option<Encoding> {
    let Some(ct) = content_type else {
        return Some(Encoding::Plain);
    };
    let e = essence(ct);
    // curl's `-d` sends form encoding by default; a JSON body under that label is taken
    // as plain JSON rather than refused, so a bare `curl -d` works.
    if e == JSON || e == "application/x-www-form-urlencoded" {
        Some(Encoding::Plain)
    } else if TYPED_VERSIONS.contains(&e.as_str()) {
        Some(Encoding::Typed)
    } else {
        None
    }
}

/// The response encoding and `Content-Type` for an `Accept` header; `None` when nothing
/// acceptable is offered (HTTP 406). Quality values are honoured; ties go to the first
/// listed.
pub fn response_media(accept: Option<&str>) -> Option<(Encoding, &'static str)> {
    let Some(accept) = accept else {
        return Some((Encoding::Plain, JSON));
    };
    let mut best: Option<(f32, Encoding, &'static str)> = None;
    for part in accept.split(',') {
        let mut pieces = part.split(';');
        let media = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = pieces
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let choice = match media.as_str() {
            "application/json" | "application/*" | "*/*" => Some((Encoding::Plain, JSON)),
            JSONL => Some((Encoding::Plain, JSONL)),
            m => TYPED_VERSIONS
                .iter()
                .chain(TYPED_LINES.iter())
                .find(|t| **t == m)
                .map(|t| (Encoding::Typed, *t)),
        };
        if let Some((enc, ct)) = choice
            && q > 0.0
            && best.is_none_or(|(bq, _, _)| q > bq)
        {
            best = Some((q, enc, ct));
        }
    }
    best.map(|(_, e, c)| (e, c))
}

/// The HTTP status Neo4j answers an error with, before any row was sent (reference §4.3):
/// client errors 400 (Forbidden and transient errors included), a missing database 404,
/// bad credentials 401, the login rate limit 429, database errors 500.
pub fn status_of(code: &str) -> u16 {
    match code {
        crate::error::code::DATABASE_NOT_FOUND => 404,
        crate::error::code::UNAUTHORIZED => 401,
        code::AUTH_RATE_LIMIT => 429,
        code::AUTH_PROVIDER_TIMEOUT | code::NO_THREADS => 503,
        c if c.starts_with("Neo.DatabaseError.") => 500,
        _ => 400,
    }
}

/// `{"errors":[{"code","message"}]}`.
pub fn error_body(errors: &[Neo4jError]) -> Json {
    let list = errors
        .iter()
        .map(|e| {
            let mut m = Map::with_capacity(2);
            m.insert("code".into(), Json::String(e.code.to_string()));
            m.insert("message".into(), Json::String(e.full_message()));
            Json::Object(m)
        })
        .collect();
    let mut body = Map::with_capacity(1);
    body.insert("errors".into(), Json::Array(list));
    Json::Object(body)
}

/// Reads `errors` from a response body, if it has any.
pub fn decode_errors(body: &Json) -> Vec<Neo4jError> {
    body.get("errors")
        .and_then(Json::as_array)
        .map(|list| {
            list.iter()
                .map(|e| {
                    Neo4jError::new(
                        e.get("code")
                            .and_then(Json::as_str)
                            .unwrap_or(crate::error::code::UNKNOWN_ERROR)
                            .to_string(),
                        e.get("message").and_then(Json::as_str).unwrap_or(""),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The message Neo4j gives for an unknown transaction id.
pub fn tx_not_found(id: &str) -> Neo4jError {
    Neo4jError::new(
        crate::error::code::REQUEST_INVALID,
        format!(
            "Transaction with Id: \"{id}\" was not found. It may have timed out and therefore \
             rolled back or the routing header 'neo4j-cluster-affinity' was not provided."
        ),
    )
}

/// The message Neo4j gives for an unknown database.
pub fn database_not_found(name: &str) -> Neo4jError {
    Neo4jError::new(
        crate::error::code::DATABASE_NOT_FOUND,
        format!("Database does not exist. Database name: '{name}'."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_negotiation() {
        assert_eq!(response_media(None), Some((Encoding::Plain, JSON)));
        assert_eq!(response_media(Some(TYPED)), Some((Encoding::Typed, TYPED)));
        assert_eq!(
            response_media(Some(
                "application/json;q=0.5, application/vnd.neo4j.query.v1.1"
            )),
            Some((Encoding::Typed, "application/vnd.neo4j.query.v1.1"))
        );
        assert_eq!(response_media(Some("text/html")), None);
        assert_eq!(response_media(Some(JSONL)), Some((Encoding::Plain, JSONL)));
        assert_eq!(
            response_media(Some(
                "application/json;q=0.9, application/vnd.neo4j.query.v1.2+jsonl"
            )),
            Some((Encoding::Typed, "application/vnd.neo4j.query.v1.2+jsonl"))
        );
        // Only the versioned typed media types have a JSON Lines form.
        assert_eq!(
            response_media(Some("application/vnd.neo4j.query+jsonl")),
            None
        );
        assert!(is_lines(JSONL) && !is_lines(JSON) && !is_lines(TYPED));
        assert_eq!(request_encoding(Some("text/plain")), None);
        assert_eq!(
            request_encoding(Some("application/json; charset=utf-8")),
            Some(Encoding::Plain)
        );
    }

    #[test]
    fn statuses() {
        assert_eq!(status_of("Neo.ClientError.Security.Forbidden"), 400);
        assert_eq!(
            status_of("Neo.TransientError.General.DatabaseUnavailable"),
            400
        );
        assert_eq!(status_of("Neo.ClientError.Database.DatabaseNotFound"), 404);
        assert_eq!(status_of("Neo.DatabaseError.General.UnknownError"), 500);
    }
}
