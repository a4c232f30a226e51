//! Function calls: the dispatch from a function's name (case-insensitive, as Neo4j's are)
//! to its family — strings, lists, math, conversion, temporal, spatial — and the names of
//! the aggregating functions.
//!
//! It owns which functions exist locally. A function it does not know is Neo4j's
//! "Unknown function" SyntaxError; one that needs the graph or the server's catalog says
//! so.

mod convert;
mod lists;
mod math;
mod strings;

pub use lists::range_steps;
pub use strings::trim_with;

use super::errors::{EvalError, EvalResult, needs_server};
use super::temporal::{self, Between, Kind};
use super::{Ctx, spatial};
use crate::value::Value;

/// The aggregating functions, lower case.
pub const AGGREGATES: &[&str] = &[
    "count",
    "collect",
    "sum",
    "avg",
    "min",
    "max",
    "stdev",
    "stdevp",
    "percentilecont",
    "percentiledisc",
];

/// True when `name` is an aggregating function.
pub fn is_aggregate(name: &str) -> bool {
    AGGREGATES.contains(&name.to_ascii_lowercase().as_str())
}

/// Functions that exist in Neo4j but need its graph, catalog or server.
const SERVER_ONLY: &[&str] = &[
    "id",
    "startnode",
    "endnode",
    "exists",
    "db.nameFromElementId",
    "graph.names",
    "graph.propertiesbyname",
    "graph.byname",
    "graph.byelementid",
    "vector.similarity.euclidean",
    "vector.similarity.cosine",
    "file",
    "linenumber",
];

/// Calls the non-aggregating function `name` with evaluated `args`.
pub fn call(name: &str, args: &[Value], ctx: &mut Ctx<'_>) -> EvalResult {
    let lower = name.to_ascii_lowercase();
    let lower = lower.as_str();
    if let Some(r) = strings::call(lower, name, args) {
        return r;
    }
    if let Some(r) = lists::call(lower, name, args) {
        return r;
    }
    if let Some(r) = convert::call(lower, name, args) {
        return r;
    }
    let mut next = || ctx.next_random();
    if let Some(r) = math::call(lower, name, args, &mut next) {
        return r;
    }
    if let Some(kind) = Kind::of(lower) {
        return temporal::construct(kind, args, ctx.now);
    }
    if let Some((base, rest)) = lower.split_once('.')
        && let Some(kind) = Kind::of(base)
    {
        return match rest {
            "truncate" => temporal::truncate(kind, args, ctx.now),
            "statement" | "transaction" | "realtime" => temporal::clock(kind, args, ctx.now),
            "fromepoch" if kind == Kind::DateTime => temporal::from_epoch(false, args),
            "fromepochmillis" if kind == Kind::DateTime => temporal::from_epoch(true, args),
            _ => Err(unknown(name)),
        };
    }
    match lower {
        "duration" => temporal::duration(args),
        "duration.between" | "duration.inmonths" | "duration.indays" | "duration.inseconds" => {
            let [a, b] = args else {
                return Err(strings::arity(name));
            };
            let what = match lower {
                "duration.between" => Between::All,
                "duration.inmonths" => Between::Months,
                "duration.indays" => Between::Days,
                _ => Between::Seconds,
            };
            temporal::between(what, a, b)
        }
        "point" => spatial::point(args),
        "point.distance" => spatial::distance(args),
        "point.withinbbox" => spatial::within_bbox(args),
        "randomuuid" => {
            if !args.is_empty() {
                return Err(strings::arity(name));
            }
            Ok(Value::String(ctx.random_uuid()))
        }
        other if SERVER_ONLY.iter().any(|s| s.eq_ignore_ascii_case(other)) => {
            Err(needs_server(&format!("The function {name}()")))
        }
        _ => Err(unknown(name)),
    }
}

/// Neo4j's message for a function it does not know.
pub fn unknown(name: &str) -> EvalError {
    EvalError::Syntax(format!("Unknown function '{name}'"))
}
