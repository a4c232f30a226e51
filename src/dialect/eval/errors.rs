//! The evaluator's failures, one variant per Neo4j status, and the wording Neo4j's runtime
//! uses for them: its legacy type names (`Long`, `Double`, `String`, `List`, `Map`) and its
//! value text (`Long(1)`, `String("a")`, `List{Long(1), Long(2)}`).
//!
//! It owns the messages. Where Neo4j's exact text is known it is copied in form (the
//! arithmetic and operator messages, "Type mismatch: expected a map but was ..", "Expected
//! a string value for `toUpper`, ..", "long overflow", "/ by zero"); the rest are cysh's
//! and ARCHITECTURE.md says so. It must not decide when an error happens.

use crate::error::{Neo4jError, code};
use crate::value::Value;

/// Why an expression could not be evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvalError {
    /// A value of the wrong type (`Neo.ClientError.Statement.TypeError`).
    #[error("{0}")]
    Type(String),
    /// A value of the right type that is not allowed (`ArgumentError`).
    #[error("{0}")]
    Argument(String),
    /// Integer overflow or division by zero (`ArithmeticError`).
    #[error("{0}")]
    Arithmetic(String),
    /// A `$param` that is not set (`ParameterMissing`).
    #[error("Expected parameter(s): {0}")]
    MissingParameter(String),
    /// What Neo4j's compiler refuses (`SyntaxError`): undefined variables, aggregation
    /// out of place, unknown functions.
    #[error("{0}")]
    Syntax(String),
    /// What needs a graph: patterns, subqueries, graph clauses.
    #[error("{0}")]
    NeedsServer(String),
}

impl From<EvalError> for Neo4jError {
    fn from(e: EvalError) -> Neo4jError {
        let c = match &e {
            EvalError::Type(_) => code::TYPE_ERROR,
            EvalError::Argument(_) => code::ARGUMENT_ERROR,
            EvalError::Arithmetic(_) => code::ARITHMETIC_ERROR,
            EvalError::MissingParameter(_) => code::PARAMETER_MISSING,
            EvalError::Syntax(_) => code::SYNTAX_ERROR,
            EvalError::NeedsServer(_) => code::NOT_SUPPORTED,
        };
        Neo4jError::new(c, e.to_string())
    }
}

/// The result of evaluating.
pub type EvalResult<T = Value> = Result<T, EvalError>;

/// Java's `Math.*Exact` overflow: `long overflow`.
pub fn overflow() -> EvalError {
    EvalError::Arithmetic("long overflow".into())
}

/// Integer division or modulo by zero.
pub fn div_by_zero() -> EvalError {
    EvalError::Arithmetic("/ by zero".into())
}

/// The embedded cluster has no graph: what needs one says so.
pub fn needs_server(what: &str) -> EvalError {
    EvalError::NeedsServer(format!(
        "{what} needs a Neo4j server: the embedded cluster has no graph, so it evaluates only \
         expressions and clauses that need none (RETURN, WITH, UNWIND, ...)."
    ))
}

/// A variable that is not in scope.
pub fn undefined(name: &str) -> EvalError {
    EvalError::Syntax(format!("Variable `{name}` not defined"))
}

/// `Cannot add `Long` and `Boolean`` and its siblings.
pub fn operator_mismatch(op: &str, l: &Value, r: &Value) -> EvalError {
    let (a, b) = (legacy_name(l), legacy_name(r));
    EvalError::Type(match op {
        "+" => format!("Cannot add `{a}` and `{b}`"),
        "-" => format!("Cannot subtract `{b}` from `{a}`"),
        "*" => format!("Cannot multiply `{a}` and `{b}`"),
        "/" => format!("Cannot divide `{a}` by `{b}`"),
        "%" => format!("Cannot calculate modulus of `{a}` and `{b}`"),
        "^" => format!("Cannot raise `{a}` to the power of `{b}`"),
        _ => format!("Cannot apply `{op}` to `{a}` and `{b}`"),
    })
}

/// `Type mismatch: expected a map but was Long(1)`.
pub fn expected(what: &str, got: &Value) -> EvalError {
    EvalError::Type(format!(
        "Type mismatch: expected {what} but was {}",
        java_text(got)
    ))
}

/// A predicate that is not a boolean.
pub fn not_a_predicate(v: &Value) -> EvalError {
    EvalError::Type(format!(
        "Don't know how to treat a predicate: {}",
        java_text(v)
    ))
}

/// A function argument of the wrong type (`Expected a string value for `toUpper`, but
/// got: Long(1); consider converting it to a string with toString().` for strings).
pub fn bad_argument(function: &str, want: &str, got: &Value) -> EvalError {
    if want == "String" {
        return EvalError::Type(format!(
            "Expected a string value for `{function}`, but got: {}; consider converting it to a string with toString().",
            java_text(got)
        ));
    }
    EvalError::Type(format!(
        "Invalid input for function '{function}()': Expected {want}, got: {}",
        java_text(got)
    ))
}

/// A function argument of the right type and a wrong value.
pub fn invalid_argument(function: &str, why: impl std::fmt::Display) -> EvalError {
    EvalError::Argument(format!("Invalid input for function '{function}()': {why}"))
}

/// The name Neo4j's runtime gives a value's type in operator errors.
pub fn legacy_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "NO_VALUE",
        Value::Bool(_) => "Boolean",
        Value::Int(_) => "Long",
        Value::Float(_) => "Double",
        Value::String(_) => "String",
        Value::List(_) => "List",
        Value::Map(_) => "Map",
        Value::Bytes(_) => "ByteArray",
        Value::Date(_) => "Date",
        Value::LocalTime(_) => "LocalTime",
        Value::Time(_) => "Time",
        Value::LocalDateTime(_) => "LocalDateTime",
        Value::DateTime(_) => "DateTime",
        Value::Duration(_) => "Duration",
        Value::Point(_) => "Point",
        Value::Node(_) => "Node",
        Value::Relationship(_) => "Relationship",
        Value::Path(_) => "Path",
    }
}

/// Neo4j's internal text of a value in messages: `Long(1)`, `String("a")`,
/// `List{Long(1), String("b")}`, `Map{a -> Long(1)}`, `NO_VALUE`, `Date(2015-07-21)`.
pub fn java_text(v: &Value) -> String {
    match v {
        Value::Null => "NO_VALUE".into(),
        Value::Bool(b) => format!("Boolean({b})"),
        Value::Int(i) => format!("Long({i})"),
        Value::Float(f) => format!("Double({})", crate::value::java_double(*f)),
        Value::String(s) => format!("String(\"{s}\")"),
        Value::List(items) => format!(
            "List{{{}}}",
            items.iter().map(java_text).collect::<Vec<_>>().join(", ")
        ),
        Value::Map(m) => format!(
            "Map{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{k} -> {}", java_text(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => format!("{}({other})", legacy_name(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neo4j_wording() {
        let l = Value::Int(1);
        let m = Value::Map(Default::default());
        assert_eq!(
            operator_mismatch("+", &l, &m).to_string(),
            "Cannot add `Long` and `Map`"
        );
        assert_eq!(
            operator_mismatch("-", &l, &Value::str("a")).to_string(),
            "Cannot subtract `String` from `Long`"
        );
        assert_eq!(
            expected("a map", &l).to_string(),
            "Type mismatch: expected a map but was Long(1)"
        );
        assert_eq!(
            java_text(&Value::List(vec![l, Value::str("b")])),
            "List{Long(1), String(\"b\")}"
        );
        let e: Neo4jError = overflow().into();
        assert_eq!(e.code, "Neo.ClientError.Statement.ArithmeticError");
    }
}
