//! `Value` to and from the Query API's two JSON encodings: plain JSON (`application/json`)
//! and typed JSON (`application/vnd.neo4j.query`, `{"$type": ..., "_value": ...}`).
//!
//! It owns every per-type rule of reference §5 (Integer as a string in typed JSON and
//! never through f64, Float formatting, date-time type names). It must not know about
//! requests, responses or HTTP.

use crate::value::{Node, Path, Relationship, Value, java_double};
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
    /// Text that is not a value of its `$type` (a date, duration, point or base64).
    #[error("{0}")]
    BadText(#[from] crate::value::json::TypeTextError),
    /// A node or relationship without a field it needs.
    #[error("A graph entity needs a string {0}.")]
    MissingField(&'static str),
    /// A path that does not alternate node, relationship, node.
    #[error("A Path must alternate Node and Relationship, starting and ending with a Node.")]
    BadPath,
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
        Value::List(items) => typed("List", Json::Array(items.iter().map(to_typed).collect())),
        Value::Map(map) => typed(
            "Map",
            Json::Object(map.iter().map(|(k, v)| (k.clone(), to_typed(v))).collect()),
        ),
        Value::Node(n) => typed("Node", typed_node(n)),
        Value::Relationship(r) => typed("Relationship", typed_relationship(r)),
        Value::Path(p) => {
            let mut parts = Vec::with_capacity(p.nodes.len() + p.relationships.len());
            for (i, n) in p.nodes.iter().enumerate() {
                parts.push(typed("Node", typed_node(n)));
                if let Some(r) = p.relationships.get(i) {
                    parts.push(typed("Relationship", typed_relationship(r)));
                }
            }
            typed("Path", Json::Array(parts))
        }
        // Temporal values, durations, points and bytes: text with their `$type`.
        other => match other.type_text() {
            Some((ty, text)) => typed(ty, Json::String(text)),
            None => typed("Null", Json::Null),
        },
    }
}

fn typed_properties(props: &BTreeMap<String, Value>) -> Json {
    Json::Object(
        props
            .iter()
            .map(|(k, v)| (k.clone(), to_typed(v)))
            .collect(),
    )
}

fn typed_node(n: &Node) -> Json {
    let mut m = Map::new();
    m.insert("_element_id".into(), Json::String(n.element_id.clone()));
    m.insert(
        "_labels".into(),
        Json::Array(n.labels.iter().cloned().map(Json::String).collect()),
    );
    m.insert("_properties".into(), typed_properties(&n.properties));
    Json::Object(m)
}

fn typed_relationship(r: &Relationship) -> Json {
    let mut m = Map::new();
    m.insert("_element_id".into(), Json::String(r.element_id.clone()));
    m.insert(
        "_start_node_element_id".into(),
        Json::String(r.start_element_id.clone()),
    );
    m.insert(
        "_end_node_element_id".into(),
        Json::String(r.end_element_id.clone()),
    );
    m.insert("_type".into(), Json::String(r.rel_type.clone()));
    m.insert("_properties".into(), typed_properties(&r.properties));
    Json::Object(m)
}

/// True when `v` is or contains a node, relationship or path (nesting is bounded by
/// [`MAX_NESTING`] for decoded parameters).
pub fn holds_graph_entity(v: &Value) -> bool {
    match v {
        Value::Node(_) | Value::Relationship(_) | Value::Path(_) => true,
        Value::List(items) => items.iter().any(holds_graph_entity),
        Value::Map(m) => m.values().any(holds_graph_entity),
        _ => false,
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
        // An object of exactly `$type` and `_value` is a typed value in a plain request
        // too, as Neo4j reads it: checked like one, used or not, never taken for a map.
        Json::Object(map)
            if map.len() == 2 && map.contains_key("$type") && map.contains_key("_value") =>
        {
            return from_typed(json, depth);
        }
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

/// Decodes typed JSON: every `$type` of the Query API into its `Value`.
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
        "String" | "UUID" | "Unsupported" => Value::String(string_of(kind, v)?.into()),
        "Date" | "Time" | "LocalTime" | "OffsetDateTime" | "ZonedDateTime" | "LocalDateTime"
        | "Duration" | "Point" | "Base64" => {
            Value::from_type_text(kind, string_of(kind, v)?).map_err(ValueError::from)?
        }
        "List" => Value::List(
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
        "Node" => Value::Node(Box::new(node_of(v, depth)?)),
        "Relationship" => Value::Relationship(Box::new(relationship_of(v, depth)?)),
        "Path" => {
            let parts = v.as_array().ok_or_else(|| wrong(kind, "an array"))?;
            let mut nodes = Vec::new();
            let mut relationships = Vec::new();
            for (i, part) in parts.iter().enumerate() {
                let want = if i % 2 == 0 { "Node" } else { "Relationship" };
                let ty = part.get("$type").and_then(Json::as_str);
                let inner = part
                    .get("_value")
                    .ok_or_else(|| ValueError::NoValue(want.into()))?;
                if ty != Some(want) {
                    return Err(ValueError::BadPath);
                }
                if i % 2 == 0 {
                    nodes.push(node_of(inner, depth + 1)?);
                } else {
                    relationships.push(relationship_of(inner, depth + 1)?);
                }
            }
            if nodes.len() != relationships.len() + 1 {
                return Err(ValueError::BadPath);
            }
            Value::Path(Box::new(Path {
                nodes,
                relationships,
            }))
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

/// A string field of a node's or relationship's `_value`.
fn field<'a>(v: &'a Json, key: &'static str) -> Result<&'a str, ValueError> {
    v.get(key)
        .and_then(Json::as_str)
        .ok_or(ValueError::MissingField(key))
}

fn properties_of(v: &Json, depth: usize) -> Result<BTreeMap<String, Value>, ValueError> {
    match v.get("_properties") {
        None => Ok(BTreeMap::new()),
        Some(p) => p
            .as_object()
            .ok_or(ValueError::PropertiesNotObject)?
            .iter()
            .map(|(k, x)| Ok((k.clone(), from_typed(x, depth + 2)?)))
            .collect(),
    }
}

fn node_of(v: &Json, depth: usize) -> Result<Node, ValueError> {
    let labels = match v.get("_labels") {
        None => Vec::new(),
        Some(l) => l
            .as_array()
            .ok_or(ValueError::MissingField("_labels"))?
            .iter()
            .map(|x| {
                x.as_str()
                    .map(String::from)
                    .ok_or(ValueError::MissingField("_labels"))
            })
            .collect::<Result<_, _>>()?,
    };
    Ok(Node {
        id: None,
        element_id: field(v, "_element_id")?.into(),
        labels,
        properties: properties_of(v, depth)?,
    })
}

fn relationship_of(v: &Json, depth: usize) -> Result<Relationship, ValueError> {
    Ok(Relationship {
        id: None,
        element_id: field(v, "_element_id")?.into(),
        start_id: None,
        start_element_id: field(v, "_start_node_element_id")?.into(),
        end_id: None,
        end_element_id: field(v, "_end_node_element_id")?.into(),
        rel_type: field(v, "_type")?.into(),
        properties: properties_of(v, depth)?,
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
        let zoned = json!({"$type": "ZonedDateTime", "_value": "2015-11-21T21:40:32.142Z[Antarctica/Troll]"});
        let v = from_typed(&zoned, 0).unwrap();
        assert_eq!(v.to_string(), "2015-11-21T21:40:32.142Z[Antarctica/Troll]");
        assert_eq!(to_typed(&v), zoned);
        let offset = json!({"$type": "OffsetDateTime", "_value": "2015-11-21T21:40:32.142+01:00"});
        assert_eq!(to_typed(&from_typed(&offset, 0).unwrap()), offset);
    }

    #[test]
    fn every_text_type_round_trips() {
        for (ty, text) in [
            ("Date", "2015-03-26"),
            ("Time", "12:50:35.556+01:00"),
            ("LocalTime", "12:50:35.556"),
            ("LocalDateTime", "2015-07-04T19:32:24"),
            ("Duration", "P14DT16H12M"),
            ("Duration", "P1Y2M3DT4H5M6.007S"),
            ("Point", "SRID=7203;POINT (1.2 3.4)"),
            ("Point", "SRID=4979;POINT Z (10.7 59.9 3.0)"),
            ("Base64", "AAF/gP8="),
        ] {
            let j = json!({"$type": ty, "_value": text});
            let v = from_typed(&j, 0).unwrap();
            assert_eq!(to_typed(&v), j, "{ty}");
        }
        assert!(from_typed(&json!({"$type": "Date", "_value": "2015-13-01"}), 0).is_err());
    }

    #[test]
    fn graph_entities_decode_and_encode() {
        let node = json!({"$type": "Node", "_value": {"_element_id": "4:x:0", "_labels": ["Person"],
            "_properties": {"name": {"$type": "String", "_value": "Phil"}}}});
        let v = from_typed(&node, 0).unwrap();
        assert_eq!(v.to_string(), r#"(:Person {name: "Phil"})"#);
        assert_eq!(to_typed(&v), node);
        let rel = json!({"$type": "Relationship", "_value": {"_element_id": "5:x:0",
            "_start_node_element_id": "4:x:1", "_end_node_element_id": "4:x:0", "_type": "KNOWS",
            "_properties": {}}});
        let path = json!({"$type": "Path", "_value": [node.clone(), rel, node.clone()]});
        let p = from_typed(&path, 0).unwrap();
        assert_eq!(
            p.to_string(),
            r#"(:Person {name: "Phil"})<-[:KNOWS]-(:Person {name: "Phil"})"#
        );
        assert_eq!(to_typed(&p), path);
        assert!(from_typed(&json!({"$type": "Path", "_value": [node.clone(), node]}), 0).is_err());
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
