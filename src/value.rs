//! `Value`: the one vocabulary of Cypher values shared by the dialect (literals and
//! parameters), the cluster (columns of SHOW and procedure results), the renderers and
//! the wire formats.
//!
//! It owns the Cypher-literal text of a value as cypher-shell prints it (`"a"`, `TRUE`,
//! `NULL`, `["a", "b"]`, `{k: 1}`) and Neo4j's plain JSON mapping of a value (both ways).
//! It must not know about tables or HTTP: those live in `render/` and `wire/` (whose typed
//! JSON and validating request decoder are the wire's own).

use std::collections::BTreeMap;
use std::fmt;

/// A Cypher value. Maps keep their keys sorted, which is the order Neo4j's Query API
/// writes them in and a deterministic order for the shell (cypher-shell prints Java
/// `HashMap` order; ARCHITECTURE.md records this choice).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `NULL`.
    Null,
    /// `TRUE` / `FALSE`.
    Bool(bool),
    /// A 64-bit signed integer.
    Int(i64),
    /// A 64-bit float.
    Float(f64),
    /// A string.
    String(String),
    /// A list of values.
    List(Vec<Value>),
    /// A map from names to values.
    Map(BTreeMap<String, Value>),
    /// A zoned date-time in ISO-8601 form, as java.time prints it
    /// (`2026-11-21T10:15:30.123Z`).
    DateTime(String),
}

impl Value {
    /// A string value.
    pub fn str(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    /// A list of string values.
    pub fn str_list<I, S>(items: I) -> Value
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Value::List(items.into_iter().map(|s| Value::String(s.into())).collect())
    }

    /// The Cypher type name Neo4j uses in messages (`INTEGER`, `STRING`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "NULL",
            Value::Bool(_) => "BOOLEAN",
            Value::Int(_) => "INTEGER",
            Value::Float(_) => "FLOAT",
            Value::String(_) => "STRING",
            Value::List(_) => "LIST<ANY>",
            Value::Map(_) => "MAP",
            Value::DateTime(_) => "ZONED DATETIME",
        }
    }

    /// The string inside a `Value::String`, if it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The integer inside a `Value::Int`, if it is one.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// The boolean inside a `Value::Bool`, if it is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// True for `Value::Null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
}

impl Value {
    /// Neo4j's plain JSON mapping (the Query API's `application/json` values): integers and
    /// floats as numbers (NaN and the infinities as strings, as the Query API writes them),
    /// date-times as ISO strings.
    pub fn to_plain_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::Number((*i).into()),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or_else(
                || serde_json::Value::String(java_double(*f)),
                serde_json::Value::Number,
            ),
            Value::String(s) | Value::DateTime(s) => serde_json::Value::String(s.clone()),
            Value::List(items) => {
                serde_json::Value::Array(items.iter().map(Value::to_plain_json).collect())
            }
            Value::Map(map) => serde_json::Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), v.to_plain_json()))
                    .collect(),
            ),
        }
    }

    /// A value from plain JSON: whole numbers that fit an `i64` become integers, other
    /// numbers floats; objects become maps.
    pub fn from_plain_json(json: serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            serde_json::Value::String(s) => Value::String(s),
            serde_json::Value::Array(items) => {
                Value::List(items.into_iter().map(Value::from_plain_json).collect())
            }
            serde_json::Value::Object(m) => Value::Map(
                m.into_iter()
                    .map(|(k, v)| (k, Value::from_plain_json(v)))
                    .collect(),
            ),
        }
    }
}

/// Formats a float as Java's `Double.toString` does, which is what cypher-shell prints:
/// `1.0`, `1.5`, `1.0E10`, `1.0E-4`, `NaN`, `Infinity`.
pub fn java_double(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    let abs = f.abs();
    if (1e-3..1e7).contains(&abs) {
        let s = format!("{f}");
        if s.contains('.') { s } else { format!("{s}.0") }
    } else {
        // Rust's `{:e}` gives the shortest round-trip digits, as Java does: `1e10`, `1.5e-7`.
        let s = format!("{f:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let mantissa = if mantissa.contains('.') {
            mantissa.to_string()
        } else {
            format!("{mantissa}.0")
        };
        format!("{mantissa}E{exp}")
    }
}

/// True when `key` can be written as a bare Cypher identifier in a map literal.
fn is_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    match chars.next() {
        Some(c) if c.is_alphabetic() || c == '_' => chars.all(|c| c.is_alphanumeric() || c == '_'),
        _ => false,
    }
}

/// Writes a map key as cypher-shell does: bare when identifier-like, else in backticks
/// with inner backticks doubled.
pub fn write_key(f: &mut impl fmt::Write, key: &str) -> fmt::Result {
    if is_identifier(key) {
        f.write_str(key)
    } else {
        write!(f, "`{}`", key.replace('`', "``"))
    }
}

impl fmt::Display for Value {
    /// The cypher-shell rendering used by the table and plain formats.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("NULL"),
            Value::Bool(true) => f.write_str("TRUE"),
            Value::Bool(false) => f.write_str("FALSE"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => f.write_str(&java_double(*x)),
            // cypher-shell escapes only the double quote; newlines and backslashes stay raw.
            Value::String(s) => write!(f, "\"{}\"", s.replace('"', "\\\"")),
            Value::DateTime(s) => f.write_str(s),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            Value::Map(map) => {
                f.write_str("{")?;
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write_key(f, k)?;
                    write!(f, ": {v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(o: Option<T>) -> Self {
        o.map_or(Value::Null, Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_cypher_shell() {
        let mut m = BTreeMap::new();
        m.insert("txLogEnrichment".to_string(), Value::str("FULL"));
        m.insert("1prop".to_string(), Value::Int(1));
        let cases = [
            (Value::str("a \"b\""), r#""a \"b\"""#),
            (Value::Bool(true), "TRUE"),
            (Value::Null, "NULL"),
            (
                Value::str_list(["system", "neo4j"]),
                r#"["system", "neo4j"]"#,
            ),
            (Value::Map(m), r#"{`1prop`: 1, txLogEnrichment: "FULL"}"#),
            (Value::Float(1.0), "1.0"),
            (Value::Float(1e10), "1.0E10"),
            (Value::Float(1e-4), "1.0E-4"),
            (Value::Float(0.5), "0.5"),
        ];
        for (v, want) in cases {
            assert_eq!(v.to_string(), want);
        }
    }

    #[test]
    fn plain_json_floats_and_specials() {
        assert_eq!(Value::Float(1.5).to_plain_json().to_string(), "1.5");
        assert_eq!(
            Value::Float(f64::NAN).to_plain_json().to_string(),
            "\"NaN\""
        );
        assert_eq!(Value::Null.to_plain_json().to_string(), "null");
    }
}
