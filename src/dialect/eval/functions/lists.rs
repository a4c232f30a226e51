//! List and map functions: `range`, `head`, `last`, `tail`, `size`, `reverse`, `keys`,
//! `coalesce`, `isEmpty`, `properties`, `nodes`/`relationships`/`length` of paths and the
//! graph-entity accessors (`labels`, `type`, `elementId`, `id`, `startNode`, `endNode`)
//! for the entities a server sent.
//!
//! It owns those functions. It must not evaluate expressions.

use super::super::errors::{EvalError, EvalResult, bad_argument, invalid_argument};
use super::super::ops::MAX_SIZE;
use super::strings::arity;
use crate::value::Value;

fn one<'a>(display: &str, args: &'a [Value]) -> EvalResult<&'a Value> {
    match args {
        [a] => Ok(a),
        _ => Err(arity(display)),
    }
}

/// Calls the list function `name` (lower case) if it is one.
pub fn call(name: &str, display: &str, args: &[Value]) -> Option<EvalResult> {
    Some(match name {
        "range" => range(display, args),
        "head" | "last" => one(display, args).and_then(|a| match a {
            Value::Null => Ok(Value::Null),
            Value::List(l) => Ok(if name == "head" { l.first() } else { l.last() }
                .cloned()
                .unwrap_or(Value::Null)),
            other => Err(bad_argument(display, "a List", other)),
        }),
        "tail" => one(display, args).and_then(|a| match a {
            Value::Null => Ok(Value::Null),
            Value::List(l) => Ok(Value::List(l.iter().skip(1).cloned().collect())),
            other => Err(bad_argument(display, "a List", other)),
        }),
        "size" => one(display, args).and_then(|a| match a {
            Value::Null => Ok(Value::Null),
            Value::List(l) => Ok(Value::Int(l.len() as i64)),
            Value::String(s) => Ok(Value::Int(s.chars().count() as i64)),
            other => Err(bad_argument(display, "a String or List", other)),
        }),
        "length" => one(display, args).and_then(|a| match a {
            Value::Null => Ok(Value::Null),
            Value::Path(p) => Ok(Value::Int(p.relationships.len() as i64)),
            other => Err(bad_argument(display, "a Path", other)),
        }),
        "reverse" => one(display, args).and_then(|a| match a {
            Value::Null => Ok(Value::Null),
            Value::List(l) => Ok(Value::List(l.iter().rev().cloned().collect())),
            Value::String(s) => Ok(Value::String(s.chars().rev().collect())),
            other => Err(bad_argument(display, "a String or List", other)),
        }),
        "keys" => one(display, args).and_then(|a| match a {
            Value::Null => Ok(Value::Null),
            Value::Map(m) => Ok(Value::str_list(m.keys().cloned())),
            Value::Node(n) => Ok(Value::str_list(n.properties.keys().cloned())),
            Value::Relationship(r) => Ok(Value::str_list(r.properties.keys().cloned())),
            other => Err(bad_argument(display, "a Map, Node or Relationship", other)),
        }),
        "properties" => one(display, args).and_then(|a| match a {
            Value::Null => Ok(Value::Null),
            Value::Map(_) => Ok(a.clone()),
            Value::Node(n) => Ok(Value::Map(n.properties.clone())),
            Value::Relationship(r) => Ok(Value::Map(r.properties.clone())),
            other => Err(bad_argument(display, "a Map, Node or Relationship", other)),
        }),
        "isempty" => one(display, args).and_then(|a| match a {
            Value::Null => Ok(Value::Null),
            Value::List(l) => Ok(Value::Bool(l.is_empty())),
            Value::Map(m) => Ok(Value::Bool(m.is_empty())),
            Value::String(s) => Ok(Value::Bool(s.is_empty())),
            other => Err(bad_argument(display, "a String, List or Map", other)),
        }),
        "coalesce" => Ok(args
            .iter()
            .find(|v| !v.is_null())
            .cloned()
            .unwrap_or(Value::Null)),
        "labels" => one(display, args).and_then(|a| match a {
            Value::Null => Ok(Value::Null),
            Value::Node(n) => Ok(Value::str_list(n.labels.iter().cloned())),
            other => Err(bad_argument(display, "a Node", other)),
        }),
        "type" => one(display, args).and_then(|a| match a {
            Value::Null => Ok(Value::Null),
            Value::Relationship(r) => Ok(Value::str(&r.rel_type)),
            other => Err(bad_argument(display, "a Relationship", other)),
        }),
        "elementid" => one(display, args).and_then(|a| match a {
            Value::Null => Ok(Value::Null),
            Value::Node(n) => Ok(Value::str(&n.element_id)),
            Value::Relationship(r) => Ok(Value::str(&r.element_id)),
            other => Err(bad_argument(display, "a Node or Relationship", other)),
        }),
        "nodes" | "relationships" => one(display, args).and_then(|a| match a {
            Value::Null => Ok(Value::Null),
            Value::Path(p) if name == "nodes" => Ok(Value::List(
                p.nodes
                    .iter()
                    .map(|n| Value::Node(Box::new(n.clone())))
                    .collect(),
            )),
            Value::Path(p) => Ok(Value::List(
                p.relationships
                    .iter()
                    .map(|r| Value::Relationship(Box::new(r.clone())))
                    .collect(),
            )),
            other => Err(bad_argument(display, "a Path", other)),
        }),
        _ => return None,
    })
}

/// `range(start, end[, step])`'s checked arguments: the first value, the step and how many
/// values it holds, with Neo4j's errors for wrong arguments. A lazy UNWIND walks it without
/// building the list, so it has no size limit.
pub fn range_steps(display: &str, args: &[Value]) -> EvalResult<(i64, i64, u128)> {
    let ints: Vec<i64> = args
        .iter()
        .map(|a| match a {
            Value::Int(i) => Ok(*i),
            other => Err(bad_argument(display, "an Integer", other)),
        })
        .collect::<Result<_, _>>()?;
    let (start, end, step) = match ints.as_slice() {
        [s, e] => (*s, *e, 1),
        [s, e, st] => (*s, *e, *st),
        _ => return Err(arity(display)),
    };
    if step == 0 {
        return Err(EvalError::Argument(
            "Step argument to range() can't be 0".into(),
        ));
    }
    let count = if (step > 0 && start > end) || (step < 0 && start < end) {
        0
    } else {
        ((i128::from(end) - i128::from(start)) / i128::from(step) + 1) as u128
    };
    Ok((start, step, count))
}

fn range(display: &str, args: &[Value]) -> EvalResult {
    let (start, step, count) = range_steps(display, args)?;
    if count > MAX_SIZE as u128 {
        return Err(invalid_argument(
            display,
            format!(
                "the range holds {count} elements, more than cysh evaluates locally ({MAX_SIZE})"
            ),
        ));
    }
    let mut out = Vec::with_capacity(count as usize);
    let mut x = i128::from(start);
    for _ in 0..count {
        out.push(Value::Int(x as i64));
        x += i128::from(step);
    }
    Ok(Value::List(out))
}
