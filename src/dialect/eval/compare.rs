//! Cypher's equality, comparison and ordering of values.
//!
//! It owns the three rules Cypher keeps apart: equality (`=`, three-valued: NULL anywhere
//! inside makes it unknown; 1 = 1.0), comparison (`<` and friends: only values of one
//! comparable type, else NULL; durations and points never), and the total order ORDER BY,
//! DISTINCT-free `min`/`max` and sorting use (types in Neo4j's order — map, node,
//! relationship, list, path, point, datetime, local datetime, date, time, local time,
//! duration, string, boolean, number — then NULL last). It must not evaluate expressions.

use crate::value::Value;
use std::cmp::Ordering;

/// Cypher equality: `None` when NULL makes the answer unknown.
pub fn equals(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Null, _) | (_, Value::Null) => None,
        (Value::Int(x), Value::Float(y)) | (Value::Float(y), Value::Int(x)) => {
            Some(int_float_cmp(*x, *y) == Some(Ordering::Equal))
        }
        (Value::Float(x), Value::Float(y)) => Some(x == y),
        (Value::List(x), Value::List(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut unknown = false;
            for (p, q) in x.iter().zip(y) {
                match equals(p, q) {
                    Some(false) => return Some(false),
                    None => unknown = true,
                    Some(true) => {}
                }
            }
            if unknown { None } else { Some(true) }
        }
        (Value::Map(x), Value::Map(y)) => {
            if x.len() != y.len() || x.keys().ne(y.keys()) {
                return Some(false);
            }
            let mut unknown = false;
            for (p, q) in x.values().zip(y.values()) {
                match equals(p, q) {
                    Some(false) => return Some(false),
                    None => unknown = true,
                    Some(true) => {}
                }
            }
            if unknown { None } else { Some(true) }
        }
        (Value::Node(x), Value::Node(y)) => Some(x.element_id == y.element_id),
        (Value::Relationship(x), Value::Relationship(y)) => Some(x.element_id == y.element_id),
        _ => Some(a == b),
    }
}

/// An integer against a float, exactly (no rounding of large integers through f64).
fn int_float_cmp(i: i64, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f >= 9.223_372_036_854_776e18 {
        return Some(Ordering::Less);
    }
    if f < -9.223_372_036_854_776e18 {
        return Some(Ordering::Greater);
    }
    let t = f.trunc();
    Some(match i.cmp(&(t as i64)) {
        // Equal whole parts: the fraction decides.
        Ordering::Equal => 0.0f64.partial_cmp(&(f - t))?,
        o => o,
    })
}

/// Strings compare as Java's `String.compareTo`: by UTF-16 code units.
fn str_cmp(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Comparison for `<`, `<=`, `>`, `>=`: `None` when the values are of different kinds,
/// NULL is involved, a NaN is, or the type has no order (durations, points, maps).
pub fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y),
        (Value::Int(x), Value::Float(y)) => int_float_cmp(*x, *y),
        (Value::Float(x), Value::Int(y)) => int_float_cmp(*y, *x).map(Ordering::reverse),
        (Value::String(x), Value::String(y)) => Some(str_cmp(x, y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        (Value::Date(x), Value::Date(y)) => Some(x.cmp(y)),
        (Value::LocalTime(x), Value::LocalTime(y)) => Some(x.cmp(y)),
        (Value::LocalDateTime(x), Value::LocalDateTime(y)) => Some(x.cmp(y)),
        (Value::Time(x), Value::Time(y)) => Some(time_key(x).cmp(&time_key(y))),
        (Value::DateTime(x), Value::DateTime(y)) => {
            Some(x.timestamp().ok()?.cmp(&y.timestamp().ok()?))
        }
        (Value::List(x), Value::List(y)) => {
            for (p, q) in x.iter().zip(y) {
                match compare(p, q)? {
                    Ordering::Equal => {}
                    o => return Some(o),
                }
            }
            Some(x.len().cmp(&y.len()))
        }
        _ => None,
    }
}

/// A zoned time's position on the UTC day, in nanoseconds (then its offset).
fn time_key(t: &crate::value::ZonedTime) -> (i64, i32) {
    let nanos = i64::from(t.time.hour()) * 3_600_000_000_000
        + i64::from(t.time.minute()) * 60_000_000_000
        + i64::from(t.time.second()) * 1_000_000_000
        + i64::from(t.time.subsec_nanosecond());
    (
        nanos - i64::from(t.offset.seconds()) * 1_000_000_000,
        t.offset.seconds(),
    )
}

fn rank(v: &Value) -> u8 {
    match v {
        Value::Map(_) => 0,
        Value::Node(_) => 1,
        Value::Relationship(_) => 2,
        Value::List(_) => 3,
        Value::Path(_) => 4,
        Value::Point(_) => 5,
        Value::DateTime(_) => 6,
        Value::LocalDateTime(_) => 7,
        Value::Date(_) => 8,
        Value::Time(_) => 9,
        Value::LocalTime(_) => 10,
        Value::Duration(_) => 11,
        Value::String(_) => 12,
        Value::Bool(_) => 13,
        Value::Int(_) | Value::Float(_) => 14,
        Value::Bytes(_) => 15,
        Value::Null => 16,
    }
}

/// The total order of ORDER BY: by type rank, then within a type (NaN after every other
/// number, durations by Neo4j's duration order, points by SRID then coordinates, maps by
/// size then entries).
pub fn order(a: &Value, b: &Value) -> Ordering {
    let (ra, rb) = (rank(a), rank(b));
    if ra != rb {
        return ra.cmp(&rb);
    }
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => nan_last(*x, *y),
        (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
            let nan = |v: &Value| matches!(v, Value::Float(f) if f.is_nan());
            match (nan(a), nan(b)) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                _ => compare(a, b).unwrap_or(Ordering::Equal),
            }
        }
        (Value::Duration(x), Value::Duration(y)) => x.order(y),
        (Value::Point(x), Value::Point(y)) => x
            .srid
            .cmp(&y.srid)
            .then(x.x.total_cmp(&y.x))
            .then(x.y.total_cmp(&y.y))
            .then(x.z.unwrap_or(0.0).total_cmp(&y.z.unwrap_or(0.0))),
        (Value::List(x), Value::List(y)) => {
            for (p, q) in x.iter().zip(y) {
                match order(p, q) {
                    Ordering::Equal => {}
                    o => return o,
                }
            }
            x.len().cmp(&y.len())
        }
        (Value::Map(x), Value::Map(y)) => x.len().cmp(&y.len()).then_with(|| {
            for ((k1, v1), (k2, v2)) in x.iter().zip(y) {
                let o = str_cmp(k1, k2).then_with(|| order(v1, v2));
                if o != Ordering::Equal {
                    return o;
                }
            }
            Ordering::Equal
        }),
        (Value::DateTime(x), Value::DateTime(y)) => compare(a, b)
            .unwrap_or(Ordering::Equal)
            .then_with(|| x.offset.seconds().cmp(&y.offset.seconds())),
        (Value::Node(x), Value::Node(y)) => x.element_id.cmp(&y.element_id),
        (Value::Relationship(x), Value::Relationship(y)) => x.element_id.cmp(&y.element_id),
        (Value::Path(x), Value::Path(y)) => x.nodes.len().cmp(&y.nodes.len()),
        (Value::Bytes(x), Value::Bytes(y)) => x.cmp(y),
        _ => compare(a, b).unwrap_or(Ordering::Equal),
    }
}

/// Floats with NaN greatest (as Java's `Double.compare`).
fn nan_last(x: f64, y: f64) -> Ordering {
    match (x.is_nan(), y.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
    }
}

/// Grouping equality (DISTINCT, grouping keys, `IN` on lists): equal values are one group,
/// and NULL is one value here (unlike `=`), as is NaN.
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Float(x), Value::Float(y)) if x.is_nan() && y.is_nan() => true,
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k1, v1), (k2, v2))| k1 == k2 && same(v1, v2))
        }
        _ => equals(a, b) == Some(true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_exactly_across_kinds() {
        assert_eq!(equals(&Value::Int(1), &Value::Float(1.0)), Some(true));
        assert_eq!(
            compare(&Value::Int(i64::MAX), &Value::Float(9.223372036854776e18)),
            Some(Ordering::Less)
        );
        assert_eq!(
            compare(&Value::Int(2), &Value::Float(1.5)),
            Some(Ordering::Greater)
        );
        assert_eq!(
            compare(&Value::Int(1), &Value::Float(1.5)),
            Some(Ordering::Less)
        );
        assert_eq!(
            compare(&Value::Float(1.5), &Value::Int(1)),
            Some(Ordering::Greater)
        );
        assert_eq!(compare(&Value::Int(1), &Value::Float(f64::NAN)), None);
        assert_eq!(
            equals(&Value::Float(f64::NAN), &Value::Float(f64::NAN)),
            Some(false)
        );
    }

    #[test]
    fn null_and_mixed_types() {
        assert_eq!(equals(&Value::Null, &Value::Int(1)), None);
        assert_eq!(
            equals(
                &Value::List(vec![Value::Int(1), Value::Null]),
                &Value::List(vec![Value::Int(2), Value::Null])
            ),
            Some(false)
        );
        assert_eq!(
            equals(
                &Value::List(vec![Value::Int(1), Value::Null]),
                &Value::List(vec![Value::Int(1), Value::Null])
            ),
            None
        );
        assert_eq!(compare(&Value::Int(1), &Value::str("1")), None);
        assert_eq!(equals(&Value::Int(1), &Value::str("1")), Some(false));
    }

    #[test]
    fn order_puts_types_in_neo4js_order_and_null_last() {
        let mut v = [
            Value::Null,
            Value::Int(2),
            Value::Float(f64::NAN),
            Value::Bool(true),
            Value::str("a"),
            Value::List(vec![]),
            Value::Map(Default::default()),
            Value::Float(1.5),
        ];
        v.sort_by(order);
        let text: Vec<String> = v.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            ["{}", "[]", "\"a\"", "TRUE", "1.5", "2", "NaN", "NULL"]
        );
    }
}
