//! Points in the evaluator: `point({x, y[, z][, crs|srid]})` and
//! `point({longitude, latitude[, height]})`, their components (`p.x`, `p.latitude`,
//! `p.crs`), `point.distance` (Euclidean for cartesian points, haversine on Neo4j's
//! Earth radius for WGS-84) and `point.withinBBox`.
//!
//! It owns those rules. It must not render or parse points (`value::point` does).

use super::errors::{EvalError, EvalResult, bad_argument, invalid_argument};
use crate::value::point::Crs;
use crate::value::{Point, Value};
use std::collections::BTreeMap;

/// Neo4j's Earth radius in metres (its `HaversinCalculator`).
const EARTH_RADIUS_METERS: f64 = 6_378_140.0;

fn coordinate(m: &BTreeMap<String, Value>, key: &str) -> EvalResult<Option<f64>> {
    match m.get(key) {
        None => Ok(None),
        Some(Value::Int(i)) => Ok(Some(*i as f64)),
        Some(Value::Float(f)) => Ok(Some(*f)),
        Some(Value::Null) => Ok(None),
        Some(other) => Err(bad_argument("point", "a number", other)),
    }
}

/// `point(map)`; NULL when a coordinate is NULL.
pub fn point(args: &[Value]) -> EvalResult {
    let m = match args {
        [Value::Null] => return Ok(Value::Null),
        [Value::Map(m)] => m,
        [other] => return Err(bad_argument("point", "a Map", other)),
        _ => return Err(invalid_argument("point", "expected one argument")),
    };
    if m.values().any(Value::is_null) {
        return Ok(Value::Null);
    }
    let geographic = m.contains_key("longitude") || m.contains_key("latitude");
    let (x, y, z) = if geographic {
        (
            coordinate(m, "longitude")?,
            coordinate(m, "latitude")?,
            coordinate(m, "height")?,
        )
    } else {
        (
            coordinate(m, "x")?,
            coordinate(m, "y")?,
            coordinate(m, "z")?,
        )
    };
    let (Some(x), Some(y)) = (x, y) else {
        return Err(EvalError::Argument(
            "A point must contain either 'x' and 'y' or 'latitude' and 'longitude'".into(),
        ));
    };
    let crs = match (m.get("crs"), m.get("srid")) {
        (Some(Value::String(name)), _) => Crs::by_name(name).ok_or_else(|| {
            EvalError::Argument(format!("Unknown coordinate reference system: {name}"))
        })?,
        (Some(other), _) => return Err(bad_argument("point", "String", other)),
        (None, Some(Value::Int(srid))) => Crs::by_srid(*srid).ok_or_else(|| {
            EvalError::Argument(format!("Unknown coordinate reference system code: {srid}"))
        })?,
        (None, Some(other)) => return Err(bad_argument("point", "an integer", other)),
        (None, None) => {
            let srid = match (geographic, z.is_some()) {
                (false, false) => 7203,
                (false, true) => 9157,
                (true, false) => 4326,
                (true, true) => 4979,
            };
            Crs::by_srid(srid).unwrap_or(crate::value::point::CRSES[0])
        }
    };
    if usize::from(crs.dimensions) != if z.is_some() { 3 } else { 2 } {
        return Err(EvalError::Argument(format!(
            "Cannot create point with {}D coordinate reference system and {} coordinates. \
             Please consider using equivalent {}D coordinate reference system",
            crs.dimensions,
            if z.is_some() { 3 } else { 2 },
            if z.is_some() { 3 } else { 2 },
        )));
    }
    if crs.geographic && !(-90.0..=90.0).contains(&y) {
        return Err(EvalError::Argument(
            "Cannot create WGS84 point with invalid coordinate: [".to_string()
                + &format!(
                    "{}, {}",
                    crate::value::java_double(x),
                    crate::value::java_double(y)
                )
                + "]. Valid range for Y coordinate is [-90, 90].",
        ));
    }
    Ok(Value::Point(Point {
        srid: crs.srid,
        x,
        y,
        z,
    }))
}

/// `p.key`.
pub fn component(p: &Point, key: &str) -> EvalResult {
    let crs = p.crs();
    let none = || EvalError::Argument(format!("No such field: {key}"));
    Ok(match key {
        "x" => Value::Float(p.x),
        "y" => Value::Float(p.y),
        "z" => p.z.map(Value::Float).ok_or_else(none)?,
        "longitude" if crs.geographic => Value::Float(p.x),
        "latitude" if crs.geographic => Value::Float(p.y),
        "height" if crs.geographic => p.z.map(Value::Float).ok_or_else(none)?,
        "crs" => Value::str(crs.name),
        "srid" => Value::Int(i64::from(p.srid)),
        _ => return Err(none()),
    })
}

/// `point.distance(a, b)`: NULL for points of different CRSes.
pub fn distance(args: &[Value]) -> EvalResult {
    let (a, b) = match args {
        [Value::Point(a), Value::Point(b)] => (a, b),
        [a, b] if a.is_null() || b.is_null() => return Ok(Value::Null),
        [a, _] if !matches!(a, Value::Point(_)) => {
            return Err(bad_argument("point.distance", "a Point", a));
        }
        [_, b] => return Err(bad_argument("point.distance", "a Point", b)),
        _ => return Err(invalid_argument("point.distance", "expected two arguments")),
    };
    if a.srid != b.srid {
        return Ok(Value::Null);
    }
    if !a.crs().geographic {
        let dz = a.z.unwrap_or(0.0) - b.z.unwrap_or(0.0);
        return Ok(Value::Float(
            ((a.x - b.x).powi(2) + (a.y - b.y).powi(2) + dz.powi(2)).sqrt(),
        ));
    }
    let (lat1, lat2) = (a.y.to_radians(), b.y.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.x - a.x).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    let surface = 2.0 * EARTH_RADIUS_METERS * h.sqrt().atan2((1.0 - h).sqrt());
    Ok(Value::Float(match (a.z, b.z) {
        (Some(z1), Some(z2)) => (surface.powi(2) + (z1 - z2).powi(2)).sqrt(),
        _ => surface,
    }))
}

/// `point.withinBBox(p, lowerLeft, upperRight)`.
pub fn within_bbox(args: &[Value]) -> EvalResult {
    let [p, ll, ur] = args else {
        return Err(invalid_argument(
            "point.withinBBox",
            "expected three arguments",
        ));
    };
    let (Value::Point(p), Value::Point(ll), Value::Point(ur)) = (p, ll, ur) else {
        if args.iter().any(Value::is_null) {
            return Ok(Value::Null);
        }
        return Err(invalid_argument(
            "point.withinBBox",
            "expected three points",
        ));
    };
    if p.srid != ll.srid || p.srid != ur.srid {
        return Ok(Value::Null);
    }
    let inside = |v: f64, lo: f64, hi: f64| lo <= v && v <= hi;
    let x = if p.crs().geographic && ll.x > ur.x {
        // Crossing the date line.
        p.x >= ll.x || p.x <= ur.x
    } else {
        inside(p.x, ll.x, ur.x)
    };
    Ok(Value::Bool(
        x && inside(p.y, ll.y, ur.y)
            && match (p.z, ll.z, ur.z) {
                (Some(z), Some(lo), Some(hi)) => inside(z, lo, hi),
                _ => true,
            },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, Value)]) -> Value {
        Value::Map(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn points_and_distance() {
        let p = point(&[map(&[("x", Value::Int(1)), ("y", Value::Int(2))])]).unwrap();
        assert_eq!(p.to_string(), "point({srid:7203, x:1.0, y:2.0})");
        let q = point(&[map(&[("x", Value::Int(4)), ("y", Value::Int(6))])]).unwrap();
        assert_eq!(distance(&[p.clone(), q]), Ok(Value::Float(5.0)));
        let g = point(&[map(&[
            ("longitude", Value::Float(12.78)),
            ("latitude", Value::Float(56.7)),
        ])])
        .unwrap();
        assert_eq!(g.to_string(), "point({srid:4326, x:12.78, y:56.7})");
        assert_eq!(distance(&[p, g]), Ok(Value::Null));
        assert!(point(&[map(&[("x", Value::Int(1))])]).is_err());
    }
}
