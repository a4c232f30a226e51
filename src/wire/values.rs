//! `Value` to and from the Query API's two JSON encodings: plain JSON (`application/json`)
//! and typed JSON (`application/vnd.neo4j.query`, `{"$type": ..., "_value": ...}`).
//!
//! It owns every per-type rule of reference §5 (Integer as a string in typed JSON and
//! never through f64, Float formatting, date-time type names). It must not know about
//! requests, responses or HTTP.

use crate::value::{Value, java_double};
use serde_json::{Map, Number, Value as Json};
use std::collections::BTreeMap;

/// Which of the two JSON value encodings a body uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// `application/json`: values are bare JSON.
    Plain,
    /// `application/vnd.neo4j.query[.v1.x]`: every value is `{"$type", "_value"}`.
    Typed,
}

/// Why a JSON value is not a value of the Query API; the message follows
/// `Neo.ClientError.Request.Invalid` on the server, and says what a reply got wrong on the
/// client.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ValueError {
    /// Nested deeper than [`MAX_NESTING`].
    #[error("Parameter values may nest at most {MAX_NESTING} levels deep.")]
    TooDeep,
    /// A whole number beyond `i64`.
    #[error("Integer value {0} is out of range for a 64-bit signed integer.")]
    IntegerOutOfRange(Number),
    /// A number that is neither an `i64` nor an `f64`.
    #[error("Unsupported number {0}.")]
    UnsupportedNumber(Number),
    /// A typed Integer whose text is not one.
    #[error("Invalid Integer value '{0}'.")]
    InvalidInteger(String),
    /// A typed Float whose text is not one.
    #[error("Invalid Float value '{0}'.")]
    InvalidFloat(String),
    /// A typed value that is not an object.
    #[error("A typed value must be an object with $type and _value.")]
    NotTyped,
    /// A typed value without a string `$type`.
    #[error("A typed value needs a string $type.")]
    NoType,
    /// A typed value without `_value`.
    #[error("A typed value of $type {0} needs a _value.")]
    NoValue(String),
    /// A `_value` of the wrong JSON kind for its `$type` (`kind` is "a string", …).
    #[error("The _value of a {ty} must be {kind}.")]
    WrongValue {
        /// The `$type`.
        ty: String,
        /// What it must be: "a string", "a boolean", "an array" or "an object".
        kind: &'static str,
    },
    /// A node's or relationship's `_properties` that is not an object.
    #[error("_properties must be an object.")]
    PropertiesNotObject,
    /// A Vector without coordinates.
    #[error("A Vector needs coordinates.")]
    NoCoordinates,
    /// A Vector coordinate that is not a string.
    #[error("Vector coordinates must be strings.")]
    CoordinateNotString,
    /// A `$type` the Query API does not have.
    #[error("Unknown $type '{0}'.")]
    UnknownType(String),
}

/// How deep parameter values may nest before a request is refused. serde_json stops at
/// 128 levels; this is lower so that every later recursion stays cheap.
pub const MAX_NESTING: usize = 32;

/// Encodes a value in the given encoding.
pub fn encode(value: &Value, encoding: Encoding) -> Json {
    match encoding {
        Encoding::Plain => value.to_plain_json(),
        Encoding::Typed => to_typed(value),
    }
}

/// Decodes a value in the given encoding (parameters on the server, result values on the
/// client).
pub fn decode(json: &Json, encoding: Encoding) -> Result<Value, ValueError> {
    match encoding {
        Encoding::Plain => from_plain(json, 0),
        Encoding::Typed => from_typed(json, 0),
    }
}

fn typed(kind: &str, value: Json) -> Json {
    let mut m = Map::with_capacity(2);
    m.insert("$type".into(), Json::String(kind.into()));
    m.insert("_value".into(), value);
    Json::Object(m)
}

/// Typed JSON of a value (reference §5.2).
pub fn to_typed(value: &Value) -> Json {
    match value {
        Value::Null => typed("Null", Json::Null),
        Value::Bool(b) => typed("Boolean", Json::Bool(*b)),
        Value::Int(i) => typed("Integer", Json::String(i.to_string())),
        Value::Float(f) => typed("Float", Json::String(java_double(*f))),
        Value::String(s) => typed("String", Json::String(s.clone())),
        // A named zone is written after the offset in brackets; an offset alone is an
        // OffsetDateTime.
        Value::DateTime(s) if s.ends_with(']') => typed("ZonedDateTime", Json::String(s.clone())),
        Value::DateTime(s) => typed("OffsetDateTime", Json::String(s.clone())),
        Value::List(items) => typed("List", Json::Array(items.iter().map(to_typed).collect())),
        Value::Map(map) => typed(
            "Map",
            Json::Object(map.iter().map(|(k, v)| (k.clone(), to_typed(v))).collect()),
        ),
    }
}

fn check_depth(depth: usize) -> Result<(), ValueError> {
    if depth > MAX_NESTING {
        Err(ValueError::TooDeep)
    } else {
        Ok(())
    }
}

fn number(n: &Number) -> Result<Value, ValueError> {
    // Integers must stay exact: never go through f64 for them.
    if let Some(i) = n.as_i64() {
        Ok(Value::Int(i))
    } else if n.is_u64() {
        Err(ValueError::IntegerOutOfRange(n.clone()))
    } else {
        n.as_f64()
            .map(Value::Float)
            .ok_or_else(|| ValueError::UnsupportedNumber(n.clone()))
    }
}

/// Decodes plain JSON. Strings stay strings: plain JSON cannot tell a date from text.
fn from_plain(json: &Json, depth: usize) -> Result<Value, ValueError> {
    check_depth(depth)?;
    Ok(match json {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => number(n)?,
        Json::String(s) => Value::String(s.clone()),
        Json::Array(items) => Value::List(
            items
                .iter()
                .map(|v| from_plain(v, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Json::Object(map) => Value::Map(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), from_plain(v, depth + 1)?)))
                .collect::<Result<BTreeMap<_, _>, ValueError>>()?,
        ),
    })
}

fn parse_float(s: &str) -> Result<f64, ValueError> {
    match s {
        "NaN" => Ok(f64::NAN),
        "Infinity" => Ok(f64::INFINITY),
        "-Infinity" => Ok(f64::NEG_INFINITY),
        // Java writes exponents as `E`; Rust parses both cases.
        _ => s
            .parse::<f64>()
            .map_err(|_| ValueError::InvalidFloat(s.into())),
    }
}

/// The refusal of a `_value` that is not `kind` ("a string", "an array", …) for `ty`.
fn wrong(ty: &str, kind: &'static str) -> ValueError {
    ValueError::WrongValue {
        ty: ty.into(),
        kind,
    }
}

fn string_of<'a>(ty: &str, v: &'a Json) -> Result<&'a str, ValueError> {
    v.as_str().ok_or_else(|| wrong(ty, "a string"))
}

/// Decodes typed JSON. Types `Value` has no variant for are kept readable: temporal
/// values, durations and points as their text (rendered unquoted, like cypher-shell),
/// nodes and relationships as maps of their parts, paths as lists.
fn from_typed(json: &Json, depth: usize) -> Result<Value, ValueError> {
    check_depth(depth)?;
    let Json::Object(obj) = json else {
        return Err(ValueError::NotTyped);
    };
    let kind = obj
        .get("$type")
        .and_then(Json::as_str)
        .ok_or(ValueError::NoType)?;
    let v = obj
        .get("_value")
        .ok_or_else(|| ValueError::NoValue(kind.into()))?;
    Ok(match kind {
        "Null" => Value::Null,
        "Boolean" => Value::Bool(v.as_bool().ok_or_else(|| wrong(kind, "a boolean"))?),
        "Integer" => {
            let s = string_of(kind, v)?;
            Value::Int(
                s.parse::<i64>()
                    .map_err(|_| ValueError::InvalidInteger(s.into()))?,
            )
        }
        "Float" => Value::Float(parse_float(string_of(kind, v)?)?),
        "String" | "Base64" | "UUID" | "Unsupported" => Value::String(string_of(kind, v)?.into()),
        "Date" | "Time" | "LocalTime" | "OffsetDateTime" | "ZonedDateTime" | "LocalDateTime"
        | "Duration" | "Point" => Value::DateTime(string_of(kind, v)?.into()),
        "List" | "Path" => Value::List(
            v.as_array()
                .ok_or_else(|| wrong(kind, "an array"))?
                .iter()
                .map(|x| from_typed(x, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        "Map" => Value::Map(
            v.as_object()
                .ok_or_else(|| wrong(kind, "an object"))?
                .iter()
                .map(|(k, x)| Ok((k.clone(), from_typed(x, depth + 1)?)))
                .collect::<Result<BTreeMap<_, _>, ValueError>>()?,
        ),
        "Node" | "Relationship" => {
            let parts = v.as_object().ok_or_else(|| wrong(kind, "an object"))?;
            let mut map = BTreeMap::new();
            for (k, x) in parts {
                let name = k.trim_start_matches('_').to_string();
                let value = if k == "_properties" {
                    Value::Map(
                        x.as_object()
                            .ok_or(ValueError::PropertiesNotObject)?
                            .iter()
                            .map(|(pk, pv)| Ok((pk.clone(), from_typed(pv, depth + 2)?)))
                            .collect::<Result<BTreeMap<_, _>, ValueError>>()?,
                    )
                } else {
                    from_plain(x, depth + 1)?
                };
                map.insert(name, value);
            }
            Value::Map(map)
        }
        "Vector" => {
            let coords = v
                .get("coordinates")
                .and_then(Json::as_array)
                .ok_or(ValueError::NoCoordinates)?;
            Value::List(
                coords
                    .iter()
                    .map(|c| {
                        let s = c.as_str().ok_or(ValueError::CoordinateNotString)?;
                        s.parse::<i64>()
                            .map(Value::Int)
                            .or_else(|_| parse_float(s).map(Value::Float))
                    })
                    .collect::<Result<_, ValueError>>()?,
            )
        }
        other => return Err(ValueError::UnknownType(other.into())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn integers_stay_exact_both_ways() {
        let v = Value::Int(i64::MAX);
        assert_eq!(
            to_typed(&v),
            json!({"$type": "Integer", "_value": "9223372036854775807"})
        );
        assert_eq!(from_typed(&to_typed(&v), 0), Ok(v.clone()));
        assert_eq!(from_plain(&v.to_plain_json(), 0), Ok(v));
        assert!(from_plain(&json!(9223372036854775808u64), 0).is_err());
    }

    #[test]
    fn floats_follow_java() {
        assert_eq!(to_typed(&Value::Float(3.2e9))["_value"], "3.2E9");
        assert_eq!(to_typed(&Value::Float(2.0e-7))["_value"], "2.0E-7");
        assert_eq!(to_typed(&Value::Float(10.0))["_value"], "10.0");
        assert_eq!(
            encode(&Value::Float(f64::NAN), Encoding::Plain),
            json!("NaN")
        );
        assert_eq!(
            from_typed(&json!({"$type": "Float", "_value": "3.2E9"}), 0),
            Ok(Value::Float(3.2e9))
        );
    }

    #[test]
    fn date_times_name_their_zone_kind() {
        let zoned = Value::DateTime("2015-11-21T21:40:32.142Z[Antarctica/Troll]".into());
        assert_eq!(to_typed(&zoned)["$type"], "ZonedDateTime");
        assert_eq!(
            to_typed(&Value::DateTime("2015-11-21T21:40:32.142Z".into()))["$type"],
            "OffsetDateTime"
        );
    }

    #[test]
    fn typed_round_trip_of_nested_values() {
        let mut m = BTreeMap::new();
        m.insert(
            "a".to_string(),
            Value::List(vec![Value::Null, Value::Bool(true), Value::str("x")]),
        );
        let v = Value::Map(m);
        assert_eq!(from_typed(&to_typed(&v), 0), Ok(v));
    }

    #[test]
    fn deep_nesting_and_unknown_types_are_refused() {
        let mut j = json!(1);
        for _ in 0..40 {
            j = json!([j]);
        }
        assert!(from_plain(&j, 0).is_err());
        assert!(from_typed(&json!({"$type": "Bogus", "_value": 1}), 0).is_err());
        assert!(from_typed(&json!({"$type": "Null"}), 0).is_err());
    }
}
