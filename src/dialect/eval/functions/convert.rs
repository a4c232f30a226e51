//! Type conversion: `toString`, `toInteger`, `toFloat`, `toBoolean`, their `OrNull`
//! variants, the `to*List` functions, and `valueType`.
//!
//! It owns what converts to what: strings parse as Neo4j parses them (`toInteger('1.9')`
//! is 1, unparsable text is NULL), floats truncate, booleans convert to 0/1; a value that
//! cannot convert is a TypeError, except in the `OrNull` variants.

use super::super::errors::{EvalResult, bad_argument};
use super::super::ops::scalar_text;
use super::strings::arity;
use crate::value::Value;

/// Calls the conversion function `name` (lower case) if it is one.
pub fn call(name: &str, display: &str, args: &[Value]) -> Option<EvalResult> {
    let arg = || match args {
        [a] => Ok(a),
        _ => Err(arity(display)),
    };
    let or_null = |r: EvalResult| Ok(r.unwrap_or(Value::Null));
    Some(match name {
        "tostring" => arg().and_then(|a| to_string(display, a)),
        "tostringornull" => arg().and_then(|a| or_null(to_string(display, a))),
        "tointeger" => arg().and_then(|a| to_integer(display, a)),
        "tointegerornull" => arg().and_then(|a| or_null(to_integer(display, a))),
        "tofloat" => arg().and_then(|a| to_float(display, a)),
        "tofloatornull" => arg().and_then(|a| or_null(to_float(display, a))),
        "toboolean" => arg().and_then(|a| to_boolean(display, a)),
        "tobooleanornull" => arg().and_then(|a| or_null(to_boolean(display, a))),
        "tostringlist" | "tointegerlist" | "tofloatlist" | "tobooleanlist" => {
            arg().and_then(|a| match a {
                Value::Null => Ok(Value::Null),
                Value::List(items) => Ok(Value::List(
                    items
                        .iter()
                        .map(|v| {
                            match name {
                                "tostringlist" => to_string(display, v),
                                "tointegerlist" => to_integer(display, v),
                                "tofloatlist" => to_float(display, v),
                                _ => to_boolean(display, v),
                            }
                            .unwrap_or(Value::Null)
                        })
                        .collect(),
                )),
                other => Err(bad_argument(display, "a List", other)),
            })
        }
        "valuetype" => arg().map(|a| Value::str(value_type(a))),
        _ => return None,
    })
}

fn to_string(display: &str, v: &Value) -> EvalResult {
    Ok(match v {
        Value::Null => Value::Null,
        Value::String(_) => v.clone(),
        Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Duration(_) => {
            Value::String(scalar_text(v))
        }
        Value::Point(_) => Value::String(v.to_string()),
        other if super::super::temporal::is_temporal(other) => Value::String(other.to_string()),
        other => {
            return Err(bad_argument(
                display,
                "a String, Number, Boolean, Temporal or Duration",
                other,
            ));
        }
    })
}

/// Neo4j's number parsing of text: an integer, else a float (truncated for integers).
fn parse_number(s: &str) -> Option<Value> {
    let t = s.trim();
    if let Ok(i) = t.parse::<i64>() {
        return Some(Value::Int(i));
    }
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return i64::from_str_radix(hex, 16).ok().map(Value::Int);
    }
    let lower = t.to_ascii_lowercase();
    if lower.contains("inf") || lower.contains("nan") {
        return None;
    }
    t.parse::<f64>().ok().map(Value::Float)
}

fn to_integer(display: &str, v: &Value) -> EvalResult {
    Ok(match v {
        Value::Null => Value::Null,
        Value::Int(_) => v.clone(),
        Value::Float(f) => {
            if f.is_nan() || f.abs() >= 9.223_372_036_854_776e18 {
                Value::Null
            } else {
                Value::Int(f.trunc() as i64)
            }
        }
        Value::Bool(b) => Value::Int(i64::from(*b)),
        Value::String(s) => match parse_number(s) {
            Some(Value::Float(f)) if f.is_finite() && f.abs() < 9.223_372_036_854_776e18 => {
                Value::Int(f.trunc() as i64)
            }
            Some(i @ Value::Int(_)) => i,
            _ => Value::Null,
        },
        other => return Err(bad_argument(display, "a String, Number or Boolean", other)),
    })
}

fn to_float(display: &str, v: &Value) -> EvalResult {
    Ok(match v {
        Value::Null => Value::Null,
        Value::Float(_) => v.clone(),
        Value::Int(i) => Value::Float(*i as f64),
        Value::String(s) => match parse_number(s) {
            Some(Value::Int(i)) => Value::Float(i as f64),
            Some(f @ Value::Float(_)) => f,
            _ => Value::Null,
        },
        other => return Err(bad_argument(display, "a String or Number", other)),
    })
}

fn to_boolean(display: &str, v: &Value) -> EvalResult {
    Ok(match v {
        Value::Null => Value::Null,
        Value::Bool(_) => v.clone(),
        Value::Int(i) => Value::Bool(*i != 0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::Null,
        },
        other => return Err(bad_argument(display, "a String, Integer or Boolean", other)),
    })
}

/// `valueType(v)`: the value's Cypher type as Neo4j names it, `NOT NULL` included.
pub fn value_type(v: &Value) -> String {
    match v {
        Value::Null => "NULL".into(),
        Value::List(items) => {
            let mut inner: Vec<String> = Vec::new();
            for i in items {
                let t = value_type(i);
                if !inner.contains(&t) {
                    inner.push(t);
                }
            }
            let inner = match inner.len() {
                0 => "NOTHING".to_string(),
                1 => inner.remove(0),
                _ => {
                    inner.sort();
                    inner.join(" | ")
                }
            };
            format!("LIST<{inner}> NOT NULL")
        }
        other => format!("{} NOT NULL", other.type_name()),
    }
}
