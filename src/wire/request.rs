//! Query API request bodies (reference §3.2): decoded by the server with Neo4j's
//! `Request.Invalid` errors, encoded by the remote client.
//!
//! It must not run statements or know about HTTP.

use super::values::{self, Encoding};
use crate::dialect::Params;
use crate::error::{Neo4jError, code};
use serde_json::{Map, Value as Json};

/// The most characters a statement may have; longer ones are refused before parsing.
pub const MAX_STATEMENT_CHARS: usize = 100_000;

/// The access mode of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AccessMode {
    /// Writes allowed (the default).
    #[default]
    Write,
    /// Writes refused with `Neo.ClientError.Statement.AccessMode`.
    Read,
}

/// One decoded request body.
#[derive(Debug, Clone, Default)]
pub struct QueryRequest {
    /// The statement, if the body had one (optional on the transaction endpoints).
    pub statement: Option<String>,
    /// The parameters.
    pub parameters: Params,
    /// `includeCounters`.
    pub include_counters: bool,
    /// `accessMode`.
    pub access_mode: AccessMode,
    /// `bookmarks`.
    pub bookmarks: Vec<String>,
    /// `impersonatedUser`, trimmed; a blank one is none.
    pub impersonated_user: Option<String>,
}

fn invalid(message: impl Into<String>) -> Neo4jError {
    Neo4jError::new(code::REQUEST_INVALID, message)
}

/// Decodes a request body. An empty body is the default request, as in Neo4j.
pub fn decode(body: &[u8], encoding: Encoding) -> Result<QueryRequest, Neo4jError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(QueryRequest::default());
    }
    let json: Json = serde_json::from_slice(body)
        .map_err(|e| invalid(format!("Unable to parse the request body as JSON: {e}")))?;
    let Json::Object(obj) = json else {
        return Err(invalid("The request body must be a JSON object."));
    };
    let mut request = QueryRequest::default();
    for (key, value) in obj {
        match key.as_str() {
            "statement" => {
                let s = value
                    .as_str()
                    .ok_or_else(|| invalid("The field 'statement' must be a string."))?;
                if s.chars().count() > MAX_STATEMENT_CHARS {
                    return Err(invalid(format!(
                        "The statement is longer than {MAX_STATEMENT_CHARS} characters."
                    )));
                }
                request.statement = Some(s.to_string());
            }
            "parameters" => match value {
                Json::Null => {}
                Json::Object(params) => {
                    for (name, v) in &params {
                        let decoded = values::decode(v, encoding).map_err(|m| {
                            invalid(format!("Invalid value for parameter '{name}': {m}"))
                        })?;
                        // Neo4j refuses graph entities as parameters (reference §5.2).
                        if values::holds_graph_entity(&decoded) {
                            return Err(invalid(format!(
                                "Invalid value for parameter '{name}': nodes, relationships and paths cannot be parameters."
                            )));
                        }
                        request.parameters.insert(name.clone(), decoded);
                    }
                }
                _ => return Err(invalid("The field 'parameters' must be an object.")),
            },
            "includeCounters" => {
                request.include_counters = value
                    .as_bool()
                    .ok_or_else(|| invalid("The field 'includeCounters' must be a boolean."))?;
            }
            "accessMode" => {
                request.access_mode = match value.as_str().map(str::to_ascii_uppercase).as_deref() {
                    Some("WRITE") => AccessMode::Write,
                    Some("READ") => AccessMode::Read,
                    _ => {
                        return Err(invalid(
                            "The field 'accessMode' must be one of \"READ\" or \"WRITE\".",
                        ));
                    }
                };
            }
            "bookmarks" => {
                let list = value
                    .as_array()
                    .ok_or_else(|| invalid("The field 'bookmarks' must be an array of strings."))?;
                for b in list {
                    let b = b.as_str().ok_or_else(|| {
                        invalid("The field 'bookmarks' must be an array of strings.")
                    })?;
                    request.bookmarks.push(b.to_string());
                }
            }
            "impersonatedUser" => {
                let name = match &value {
                    Json::Null => "",
                    Json::String(s) => s.trim(),
                    _ => return Err(invalid("The field 'impersonatedUser' must be a string.")),
                };
                request.impersonated_user = (!name.is_empty()).then(|| name.to_string());
            }
            // Accepted and ignored: the embedded cluster has no use for them, and refusing
            // them would break clients written for newer servers.
            "maxExecutionTime" | "txMetadata" | "txType" | "notificationsFilter" => {}
            other => return Err(invalid(format!("Unrecognized field '{other}'."))),
        }
    }
    Ok(request)
}

/// Encodes a request body for the remote client: the statement and its parameters in
/// typed JSON, so parameter types survive, and the user to impersonate, if any.
pub fn encode(statement: Option<&str>, parameters: &Params, impersonated: Option<&str>) -> Vec<u8> {
    encode_with(statement, parameters, impersonated, &Extras::default())
}

/// The optional fields a client may add to a request body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Extras {
    /// `includeCounters: true`: the reply carries the update counters.
    pub include_counters: bool,
    /// `maxExecutionTime`: the transaction's timeout in seconds.
    pub max_execution_secs: Option<u64>,
}

/// `encode`, with `extras`.
pub fn encode_with(
    statement: Option<&str>,
    parameters: &Params,
    impersonated: Option<&str>,
    extras: &Extras,
) -> Vec<u8> {
    let mut body = Map::new();
    if let Some(s) = statement {
        body.insert("statement".into(), Json::String(s.to_string()));
    }
    if extras.include_counters {
        body.insert("includeCounters".into(), Json::Bool(true));
    }
    if let Some(secs) = extras.max_execution_secs {
        body.insert("maxExecutionTime".into(), Json::from(secs));
    }
    if let Some(user) = impersonated {
        body.insert("impersonatedUser".into(), Json::String(user.to_string()));
    }
    if !parameters.is_empty() {
        body.insert(
            "parameters".into(),
            Json::Object(
                parameters
                    .iter()
                    .map(|(k, v)| (k.clone(), values::to_typed(v)))
                    .collect(),
            ),
        );
    }
    Json::Object(body).to_string().into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    #[test]
    fn decodes_plain_and_typed_parameters() {
        let r = decode(
            br#"{"statement":"RETURN $a","parameters":{"a":42}}"#,
            Encoding::Plain,
        )
        .unwrap();
        assert_eq!(r.parameters["a"], Value::Int(42));
        let r = decode(
            br#"{"statement":"RETURN $a","parameters":{"a":{"$type":"Integer","_value":"42"}}}"#,
            Encoding::Typed,
        )
        .unwrap();
        assert_eq!(r.parameters["a"], Value::Int(42));
    }

    #[test]
    fn refuses_bad_fields() {
        for body in [
            &br#"{"statement": 1}"#[..],
            br#"{"parameters": []}"#,
            br#"{"includeCounters": "yes"}"#,
            br#"{"accessMode": "ALL"}"#,
            br#"[1]"#,
            br#"{"statement": "#,
        ] {
            assert_eq!(
                decode(body, Encoding::Plain).unwrap_err().code,
                code::REQUEST_INVALID
            );
        }
        assert!(decode(b"", Encoding::Plain).unwrap().statement.is_none());
    }

    #[test]
    fn encode_round_trips() {
        let mut p = Params::new();
        p.insert("n".into(), Value::Int(-3));
        let body = encode(Some("RETURN $n"), &p, None);
        let r = decode(&body, Encoding::Typed).unwrap();
        assert_eq!(r.statement.as_deref(), Some("RETURN $n"));
        assert_eq!(r.parameters, p);
        assert_eq!(r.impersonated_user, None);
        let r = decode(&encode(None, &p, Some("alice")), Encoding::Typed).unwrap();
        assert_eq!(r.impersonated_user.as_deref(), Some("alice"));
    }
}
