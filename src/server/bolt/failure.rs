//! FAILURE metadata for `cysh serve --bolt`: Neo4j's classic `code`/`message` for every
//! version, and from Bolt 5.7 the GQL fields (`neo4j_code`, `gql_status`, `description`,
//! `diagnostic_record`) Neo4j 5.26+ sends.
//!
//! It owns the GQLSTATUS chosen for each Neo4j status code. It must not decide which
//! error a request gets.

use crate::bolt::{Meta, Version};
use crate::error::Neo4jError;
use crate::value::Value;

/// The GQLSTATUS and its description for a Neo4j status code. Neo4j's table is large and
/// partly unpublished; these are the statuses its 5.26 server reports for the families
/// cysh raises, with the general processing exception for the rest.
pub fn gql_status(code: &str) -> (&'static str, &'static str) {
    let family = code.rsplit('.').next().unwrap_or("");
    match family {
        "SyntaxError" => (
            "42001",
            "error: syntax error or access rule violation - invalid syntax",
        ),
        "ParameterMissing" => (
            "42N51",
            "error: syntax error or access rule violation - invalid parameter",
        ),
        "Unauthorized" | "AuthenticationRateLimit" | "CredentialsExpired" => (
            "42NFF",
            "error: syntax error or access rule violation - permission/access denied",
        ),
        "Forbidden" => (
            "42NFF",
            "error: syntax error or access rule violation - permission/access denied",
        ),
        "DatabaseNotFound" => ("22N51", "error: data exception - graph reference not found"),
        "TypeError" => ("22G03", "error: data exception - invalid value type"),
        "ArgumentError" | "InvalidArguments" => {
            ("22N00", "error: data exception - unsupported value")
        }
        "Invalid" => (
            "50N00",
            "error: general processing exception - internal error",
        ),
        _ => (
            "50N42",
            "error: general processing exception - unexpected error",
        ),
    }
}

/// The FAILURE metadata of `error` for a client speaking `version`.
pub fn metadata(error: &Neo4jError, version: Version) -> Meta {
    let mut m = Meta::new();
    let message = error.full_message();
    m.insert("code".into(), Value::str(&*error.code));
    m.insert("message".into(), Value::str(&message));
    if version.at_least(5, 7) {
        let (status, description) = gql_status(&error.code);
        m.insert("neo4j_code".into(), Value::str(&*error.code));
        m.insert("gql_status".into(), Value::str(status));
        m.insert(
            "description".into(),
            Value::str(format!("{description}. {message}")),
        );
        let classification = if error.code.starts_with("Neo.ClientError") {
            "CLIENT_ERROR"
        } else if error.code.starts_with("Neo.TransientError") {
            "TRANSIENT_ERROR"
        } else {
            "DATABASE_ERROR"
        };
        m.insert(
            "diagnostic_record".into(),
            Value::Map(
                [
                    ("OPERATION", Value::str("")),
                    ("OPERATION_CODE", Value::str("0")),
                    ("CURRENT_SCHEMA", Value::str("/")),
                    ("_classification", Value::str(classification)),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            ),
        );
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gql_fields_only_from_5_7() {
        let e = Neo4jError::new("Neo.ClientError.Statement.SyntaxError", "Invalid input");
        let old = metadata(&e, Version::new(5, 6));
        assert!(!old.contains_key("gql_status"));
        assert_eq!(
            old["code"],
            Value::str("Neo.ClientError.Statement.SyntaxError")
        );
        let new = metadata(&e, Version::new(5, 7));
        assert_eq!(new["gql_status"], Value::str("42001"));
        assert_eq!(new["neo4j_code"], new["code"]);
    }
}
