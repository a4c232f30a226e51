//! A value's JSON forms: Neo4j's plain JSON mapping (the Query API's `application/json`,
//! `--format json`), both ways, and the tagged form the store's JSON columns and `-P` JSON
//! use, which is plain JSON except that a value plain JSON cannot carry back (a date, a
//! duration, a point, bytes, a NaN) is written as the Query API writes it in typed JSON:
//! `{"$type": "Date", "_value": "2015-07-21"}`.
//!
//! It owns the per-type text of those `$type`s (`type_text`, `from_type_text`), which the
//! wire's typed JSON shares. It must not know about requests or responses.

use super::temporal::{self, ZonedDateTime, ZonedTime};
use super::{Duration, Point, Value, java_double, parse};
use base64::Engine;
use jiff::tz::Offset;
use serde_json::{Map, Value as Json};

/// Why a `$type`'s text is not a value of that type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TypeTextError {
    /// Text that does not read as the type.
    #[error("Invalid {ty} value '{text}'.")]
    Invalid {
        /// The `$type`.
        ty: &'static str,
        /// The text.
        text: String,
    },
    /// A `$type` that is not one of the text-carried types.
    #[error("Unknown $type '{0}'.")]
    Unknown(String),
}

/// The `$type` names whose `_value` is text that `from_type_text` reads.
pub const TEXT_TYPES: &[&str] = &[
    "Date",
    "Time",
    "LocalTime",
    "OffsetDateTime",
    "ZonedDateTime",
    "LocalDateTime",
    "Duration",
    "Point",
    "Base64",
];

impl Value {
    /// The Query API's `$type` and text for a value carried as text in typed JSON
    /// (temporal values, durations, points, bytes); `None` for every other kind.
    pub fn type_text(&self) -> Option<(&'static str, String)> {
        Some(match self {
            Value::Date(d) => ("Date", temporal::date_text(*d)),
            Value::Time(t) => ("Time", t.iso()),
            Value::LocalTime(t) => ("LocalTime", temporal::time_text(*t, true)),
            // A named zone is written after the offset in brackets; an offset alone is an
            // OffsetDateTime.
            Value::DateTime(dt) if dt.zone.is_some() => ("ZonedDateTime", dt.iso()),
            Value::DateTime(dt) => ("OffsetDateTime", dt.iso()),
            Value::LocalDateTime(dt) => ("LocalDateTime", temporal::datetime_text(*dt, true)),
            Value::Duration(d) => ("Duration", d.to_string()),
            Value::Point(p) => ("Point", p.wkt()),
            Value::Bytes(b) => (
                "Base64",
                base64::engine::general_purpose::STANDARD.encode(b),
            ),
            _ => return None,
        })
    }

    /// The value of `$type` `ty` written as `text` (the inverse of `type_text`). A time or
    /// date-time without an offset is taken as UTC; a zone name without an offset gets
    /// the zone's offset at that time.
    pub fn from_type_text(ty: &str, text: &str) -> Result<Value, TypeTextError> {
        let ty: &'static str = TEXT_TYPES
            .iter()
            .find(|t| **t == ty)
            .copied()
            .ok_or_else(|| TypeTextError::Unknown(ty.to_string()))?;
        let invalid = || TypeTextError::Invalid {
            ty,
            text: text.to_string(),
        };
        Ok(match ty {
            "Date" => Value::Date(parse::date(text).map_err(|_| invalid())?),
            "LocalTime" => Value::LocalTime(parse::local_time(text).map_err(|_| invalid())?),
            "Time" => {
                let (time, zone) = parse::time(text).map_err(|_| invalid())?;
                if zone.name.is_some() {
                    return Err(invalid());
                }
                Value::Time(ZonedTime {
                    time,
                    offset: zone.offset.unwrap_or(Offset::UTC),
                })
            }
            "LocalDateTime" => {
                Value::LocalDateTime(parse::local_datetime(text).map_err(|_| invalid())?)
            }
            "OffsetDateTime" | "ZonedDateTime" => {
                let (local, zone) = parse::datetime(text).map_err(|_| invalid())?;
                Value::DateTime(match (zone.offset, zone.name) {
                    (Some(offset), name) => ZonedDateTime {
                        local,
                        offset,
                        zone: name,
                    },
                    (None, Some(name)) => ZonedDateTime::of_local(local, Some(&name), Offset::UTC)
                        .map_err(|_| invalid())?,
                    (None, None) => ZonedDateTime {
                        local,
                        offset: Offset::UTC,
                        zone: None,
                    },
                })
            }
            "Duration" => Value::Duration(Duration::parse(text).ok_or_else(invalid)?),
            "Point" => Value::Point(Point::parse_wkt(text).ok_or_else(invalid)?),
            _ => Value::Bytes(
                base64::engine::general_purpose::STANDARD
                    .decode(text)
                    .map_err(|_| invalid())?,
            ),
        })
    }

    /// Neo4j's plain JSON mapping (the Query API's `application/json` values): integers and
    /// floats as numbers (NaN and the infinities as strings, as the Query API writes them),
    /// temporal values as ISO text (a zone name dropped), durations as `P..`, points as WKT,
    /// bytes as base64, nodes and relationships as objects of their parts, paths as arrays.
    pub fn to_plain_json(&self) -> Json {
        match self {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Int(i) => Json::Number((*i).into()),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map_or_else(|| Json::String(java_double(*f)), Json::Number),
            Value::String(s) => Json::String(s.clone()),
            Value::List(items) => Json::Array(items.iter().map(Value::to_plain_json).collect()),
            Value::Map(map) => Json::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), v.to_plain_json()))
                    .collect(),
            ),
            Value::DateTime(dt) => {
                let mut s = temporal::datetime_text(dt.local, true);
                s.push_str(&temporal::offset_text(dt.offset));
                Json::String(s)
            }
            Value::Node(n) => {
                let mut m = Map::new();
                m.insert("elementId".into(), Json::String(n.element_id.clone()));
                m.insert(
                    "labels".into(),
                    Json::Array(n.labels.iter().cloned().map(Json::String).collect()),
                );
                m.insert("properties".into(), properties(&n.properties));
                Json::Object(m)
            }
            Value::Relationship(r) => {
                let mut m = Map::new();
                m.insert("elementId".into(), Json::String(r.element_id.clone()));
                m.insert(
                    "startNodeElementId".into(),
                    Json::String(r.start_element_id.clone()),
                );
                m.insert(
                    "endNodeElementId".into(),
                    Json::String(r.end_element_id.clone()),
                );
                m.insert("type".into(), Json::String(r.rel_type.clone()));
                m.insert("properties".into(), properties(&r.properties));
                Json::Object(m)
            }
            Value::Path(p) => {
                let mut out = Vec::with_capacity(p.nodes.len() + p.relationships.len());
                for (i, n) in p.nodes.iter().enumerate() {
                    out.push(Value::Node(Box::new(n.clone())).to_plain_json());
                    if let Some(r) = p.relationships.get(i) {
                        out.push(Value::Relationship(Box::new(r.clone())).to_plain_json());
                    }
                }
                Json::Array(out)
            }
            other => other
                .type_text()
                .map_or(Json::Null, |(_, text)| Json::String(text)),
        }
    }

    /// A value from plain JSON: whole numbers that fit an `i64` become integers, other
    /// numbers floats; objects become maps.
    pub fn from_plain_json(json: Json) -> Value {
        match json {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(b),
            Json::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Json::String(s) => Value::String(s),
            Json::Array(items) => {
                Value::List(items.into_iter().map(Value::from_plain_json).collect())
            }
            Json::Object(m) => Value::Map(
                m.into_iter()
                    .map(|(k, v)| (k, Value::from_plain_json(v)))
                    .collect(),
            ),
        }
    }

    /// The tagged JSON form: plain JSON, with `{"$type": .., "_value": ..}` for the values
    /// plain JSON would turn into something else (temporal values, durations, points,
    /// bytes, and NaN or infinite floats). Graph entities are written as plain JSON (they
    /// are never stored or sent as parameters).
    pub fn to_tagged_json(&self) -> Json {
        let tag = |ty: &str, text: String| {
            let mut m = Map::with_capacity(2);
            m.insert("$type".into(), Json::String(ty.into()));
            m.insert("_value".into(), Json::String(text));
            Json::Object(m)
        };
        match self {
            Value::Float(f) if !f.is_finite() => tag("Float", java_double(*f)),
            Value::List(items) => Json::Array(items.iter().map(Value::to_tagged_json).collect()),
            Value::Map(map) => Json::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), v.to_tagged_json()))
                    .collect(),
            ),
            other => match other.type_text() {
                Some((ty, text)) => tag(ty, text),
                None => other.to_plain_json(),
            },
        }
    }

    /// Reads the tagged JSON form. An object of exactly `$type` (one of the tagged types)
    /// and a string `_value` is that value; every other object is a map.
    pub fn from_tagged_json(json: Json) -> Result<Value, TypeTextError> {
        Ok(match json {
            Json::Array(items) => Value::List(
                items
                    .into_iter()
                    .map(Value::from_tagged_json)
                    .collect::<Result<_, _>>()?,
            ),
            Json::Object(m) => match tagged(&m) {
                Some(("Float", text)) => Value::Float(match text {
                    "NaN" => f64::NAN,
                    "Infinity" => f64::INFINITY,
                    "-Infinity" => f64::NEG_INFINITY,
                    _ => text.parse().map_err(|_| TypeTextError::Invalid {
                        ty: "Float",
                        text: text.to_string(),
                    })?,
                }),
                Some((ty, text)) => Value::from_type_text(ty, text)?,
                None => Value::Map(
                    m.into_iter()
                        .map(|(k, v)| Ok((k, Value::from_tagged_json(v)?)))
                        .collect::<Result<_, TypeTextError>>()?,
                ),
            },
            other => Value::from_plain_json(other),
        })
    }
}

/// `($type, _value)` when `m` is exactly a tagged value.
fn tagged(m: &Map<String, Json>) -> Option<(&str, &str)> {
    if m.len() != 2 {
        return None;
    }
    let ty = m.get("$type")?.as_str()?;
    let text = m.get("_value")?.as_str()?;
    (ty == "Float" || TEXT_TYPES.contains(&ty)).then_some((ty, text))
}

fn properties(props: &std::collections::BTreeMap<String, Value>) -> Json {
    Json::Object(
        props
            .iter()
            .map(|(k, v)| (k.clone(), v.to_plain_json()))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil;
    use std::collections::BTreeMap;

    fn samples() -> Vec<Value> {
        let zoned = ZonedDateTime::of_local(
            civil::date(2023, 2, 6).at(2, 0, 0, 0),
            Some("America/Chicago"),
            Offset::UTC,
        )
        .unwrap();
        vec![
            Value::Date(civil::date(2021, 1, 12)),
            Value::LocalTime(civil::time(2, 0, 0, 0)),
            Value::Time(ZonedTime {
                time: civil::time(12, 50, 35, 556_000_000),
                offset: Offset::from_seconds(3600).unwrap(),
            }),
            Value::LocalDateTime(civil::date(2015, 7, 4).at(19, 32, 24, 0)),
            Value::DateTime(zoned),
            Value::DateTime(ZonedDateTime {
                local: civil::date(2015, 11, 21).at(21, 40, 32, 142_000_000),
                offset: Offset::UTC,
                zone: None,
            }),
            Value::Duration(Duration::parse("P1Y2M3DT4H5M6.007S").unwrap()),
            Value::Point(Point {
                srid: 4979,
                x: 10.7,
                y: 59.9,
                z: Some(3.0),
            }),
            Value::Bytes(vec![0, 1, 0x7f, 0x80, 0xff]),
            Value::Float(f64::NAN),
            Value::Float(f64::NEG_INFINITY),
        ]
    }

    #[test]
    fn tagged_json_round_trips_every_kind() {
        let values = samples();
        for v in &values {
            let back = Value::from_tagged_json(v.to_tagged_json()).unwrap();
            // NaN is not equal to itself: compare its text.
            assert_eq!(back.to_string(), v.to_string(), "{v:?}");
        }
        let mut m = BTreeMap::new();
        m.insert("all".to_string(), Value::List(values[..9].to_vec()));
        let map = Value::Map(m);
        assert_eq!(Value::from_tagged_json(map.to_tagged_json()).unwrap(), map);
    }

    #[test]
    fn plain_json_forms() {
        let texts: Vec<String> = samples()
            .iter()
            .map(|v| v.to_plain_json().to_string())
            .collect();
        assert_eq!(
            texts[..9],
            [
                r#""2021-01-12""#,
                r#""02:00:00""#,
                r#""12:50:35.556+01:00""#,
                r#""2015-07-04T19:32:24""#,
                r#""2023-02-06T02:00:00-06:00""#,
                r#""2015-11-21T21:40:32.142Z""#,
                r#""P1Y2M3DT4H5M6.007S""#,
                r#""SRID=4979;POINT Z (10.7 59.9 3.0)""#,
                r#""AAF/gP8=""#,
            ]
        );
        assert_eq!(Value::Float(1.5).to_plain_json().to_string(), "1.5");
        assert_eq!(
            Value::Float(f64::NAN).to_plain_json().to_string(),
            "\"NaN\""
        );
        assert_eq!(Value::Null.to_plain_json().to_string(), "null");
    }

    #[test]
    fn plain_maps_that_look_tagged_only_when_they_are() {
        let j: Json = serde_json::json!({"$type": "Date", "_value": "2015-07-21", "x": 1});
        assert!(matches!(Value::from_tagged_json(j), Ok(Value::Map(_))));
        let j: Json = serde_json::json!({"$type": "Date", "_value": "nope"});
        assert!(Value::from_tagged_json(j).is_err());
    }
}
