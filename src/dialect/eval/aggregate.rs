//! Aggregation: `count`, `collect`, `sum`, `avg`, `min`, `max`, `stDev`, `stDevP`,
//! `percentileCont`, `percentileDisc` over the values of a group, with `DISTINCT`.
//!
//! It owns what each aggregate makes of its values (NULLs skipped; `sum` of integers
//! checked for overflow; `avg` and `sum` of durations; `min`/`max` by Cypher's order). It
//! must not group rows: the projection that calls it does.

use super::compare::{order, same};
use super::errors::{EvalError, EvalResult, bad_argument, overflow};
use super::ops;
use crate::value::{Duration, Value};

/// Accumulates one aggregate over a group.
#[derive(Debug)]
pub struct Acc {
    name: String,
    distinct: bool,
    values: Vec<Value>,
    count_star: bool,
    rows: i64,
    extra: Option<Value>,
}

impl Acc {
    /// An accumulator for `name` (lower case; `count(*)` when `count_star`).
    pub fn new(name: &str, distinct: bool, count_star: bool) -> Acc {
        Acc {
            name: name.to_ascii_lowercase(),
            distinct,
            values: Vec::new(),
            count_star,
            rows: 0,
            extra: None,
        }
    }

    /// Adds one row's argument value (and, for the percentiles, the percentile).
    pub fn add(&mut self, v: Value, extra: Option<Value>) -> EvalResult<()> {
        self.rows += 1;
        if self.extra.is_none() {
            self.extra = extra;
        }
        if self.count_star || v.is_null() {
            return Ok(());
        }
        if self.distinct && self.values.iter().any(|x| same(x, &v)) {
            return Ok(());
        }
        if self.values.len() >= ops::MAX_SIZE {
            return Err(EvalError::Argument(
                "Too many values to aggregate locally.".into(),
            ));
        }
        self.values.push(v);
        Ok(())
    }

    /// The aggregate's value.
    pub fn finish(self) -> EvalResult {
        let name = self.name.as_str();
        if self.count_star {
            return Ok(Value::Int(self.rows));
        }
        let vals = self.values;
        Ok(match name {
            "count" => Value::Int(vals.len() as i64),
            "collect" => Value::List(vals),
            "min" => vals.into_iter().min_by(order).unwrap_or(Value::Null),
            "max" => vals.into_iter().max_by(order).unwrap_or(Value::Null),
            "sum" => sum(&vals, name)?.unwrap_or(Value::Int(0)),
            "avg" => match sum(&vals, name)? {
                None => Value::Null,
                Some(Value::Duration(d)) => {
                    super::temporal::scale_duration(&d, vals.len() as f64, true)?
                }
                Some(_) => {
                    // Neo4j averages numbers incrementally in doubles.
                    let mut mean = 0.0;
                    for (i, v) in vals.iter().enumerate() {
                        mean += (ops::as_f64(v) - mean) / (i + 1) as f64;
                    }
                    Value::Float(mean)
                }
            },
            "stdev" | "stdevp" => {
                let xs = numbers(&vals, name)?;
                let n = xs.len();
                if n == 0 || (name == "stdev" && n == 1) {
                    return Ok(Value::Float(0.0));
                }
                let mean = xs.iter().sum::<f64>() / n as f64;
                let ss: f64 = xs.iter().map(|x| (x - mean).powi(2)).sum();
                let d = if name == "stdev" { n - 1 } else { n };
                Value::Float((ss / d as f64).sqrt())
            }
            _ => {
                let p = match self.extra {
                    Some(Value::Int(i)) => i as f64,
                    Some(Value::Float(f)) => f,
                    Some(other) => return Err(bad_argument(name, "a number", &other)),
                    None => return Ok(Value::Null),
                };
                if !(0.0..=1.0).contains(&p) {
                    return Err(EvalError::Argument(format!(
                        "Invalid input '{}' is not a valid argument, must be a number in the range 0.0 to 1.0",
                        crate::value::java_double(p)
                    )));
                }
                let mut xs = vals.clone();
                if xs.is_empty() {
                    return Ok(Value::Null);
                }
                numbers(&xs, name)?;
                xs.sort_by(order);
                if name == "percentiledisc" {
                    let n = xs.len() as f64;
                    let idx = if p == 0.0 {
                        0
                    } else {
                        ((p * n).ceil() as usize).saturating_sub(1)
                    };
                    xs[idx.min(xs.len() - 1)].clone()
                } else {
                    let pos = p * (xs.len() - 1) as f64;
                    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
                    let (a, b) = (ops::as_f64(&xs[lo]), ops::as_f64(&xs[hi]));
                    Value::Float(a + (b - a) * (pos - lo as f64))
                }
            }
        })
    }
}

fn numbers(vals: &[Value], name: &str) -> EvalResult<Vec<f64>> {
    vals.iter()
        .map(|v| match v {
            Value::Int(_) | Value::Float(_) => Ok(ops::as_f64(v)),
            other => Err(bad_argument(name, "a number", other)),
        })
        .collect()
}

/// The sum of numbers (integers exactly) or of durations; `None` for no values.
fn sum(vals: &[Value], name: &str) -> EvalResult<Option<Value>> {
    let Some(first) = vals.first() else {
        return Ok(None);
    };
    if let Value::Duration(_) = first {
        let mut acc = Duration::default();
        for v in vals {
            let Value::Duration(d) = v else {
                return Err(bad_argument(name, "a Duration", v));
            };
            acc = acc.checked_add(*d).map_err(|_| overflow())?;
        }
        return Ok(Some(Value::Duration(acc)));
    }
    let mut acc = Value::Int(0);
    for v in vals {
        if !matches!(v, Value::Int(_) | Value::Float(_)) {
            return Err(bad_argument(name, "a number", v));
        }
        acc = ops::add(crate::dialect::ast::BinOp::Add, acc, v.clone())?;
    }
    Ok(Some(acc))
}
