//! Plans in Bolt's summary: the last SUCCESS of an EXPLAIN carries `plan`, of a PROFILE
//! `profile` — a map of `operatorType`, `identifiers`, `args` and `children`, and for
//! PROFILE `rows`, `dbHits`, `pageCacheHits`, `pageCacheMisses`, `pageCacheHitRatio` and
//! `time` — with the statement's `type` (`r`, `rw`, `w`, `s`) beside it.
//!
//! Both directions live here so the server and the client cannot disagree. It does no I/O.

use crate::result::{ExecutionPlan, Operator, Profile};
use crate::value::Value;
use std::collections::BTreeMap;

/// Nesting beyond this many operators is dropped when decoding (PackStream already
/// limits a message's nesting; this keeps the walk bounded whatever the limit).
const MAX_DEPTH: usize = 1_000;

/// The summary key of a plan: `profile` for PROFILE, `plan` for EXPLAIN.
pub fn key(plan: &ExecutionPlan) -> &'static str {
    if plan.profiled { "profile" } else { "plan" }
}

/// An operator tree as a Bolt map.
pub fn encode(root: &Operator) -> Value {
    // The reverse of a pre-order walk finishes every child before its parent.
    let mut order: Vec<&Operator> = Vec::new();
    let mut stack = vec![root];
    while let Some(op) = stack.pop() {
        order.push(op);
        stack.extend(op.children.iter().rev());
    }
    let mut done: Vec<Value> = Vec::new();
    for op in order.iter().rev() {
        let mut children: Vec<Value> = done.drain(done.len() - op.children.len()..).collect();
        children.reverse();
        let mut m = BTreeMap::new();
        m.insert("operatorType".into(), Value::str(&op.operator_type));
        m.insert(
            "identifiers".into(),
            Value::List(op.identifiers.iter().map(Value::str).collect()),
        );
        m.insert("args".into(), Value::Map(op.arguments.clone()));
        m.insert("children".into(), Value::List(children));
        if let Some(p) = op.profile {
            m.insert("rows".into(), Value::Int(p.rows));
            m.insert("dbHits".into(), Value::Int(p.db_hits));
            m.insert("pageCacheHits".into(), Value::Int(p.page_cache_hits));
            m.insert("pageCacheMisses".into(), Value::Int(p.page_cache_misses));
            let total = p.page_cache_hits + p.page_cache_misses;
            let ratio = if total > 0 {
                p.page_cache_hits as f64 / total as f64
            } else {
                0.0
            };
            m.insert("pageCacheHitRatio".into(), Value::Float(ratio));
            m.insert("time".into(), Value::Int(p.time));
        }
        done.push(Value::Map(m));
    }
    done.pop().unwrap_or(Value::Null)
}

/// The plan in a summary's metadata (`profile` or `plan`), if any; `query_type` is its
/// `type` in the Java driver's words.
pub fn decode(meta: &BTreeMap<String, Value>, query_type: &str) -> Option<ExecutionPlan> {
    let (map, profiled) = match (meta.get("profile"), meta.get("plan")) {
        (Some(p), _) => (p, true),
        (None, Some(p)) => (p, false),
        (None, None) => return None,
    };
    let mut root = operator(map, profiled)?;
    let mut stack: Vec<(&Value, Vec<usize>)> = vec![(map, Vec::new())];
    while let Some((node, path)) = stack.pop() {
        if path.len() >= MAX_DEPTH {
            continue;
        }
        let Some(Value::List(children)) = field(node, "children") else {
            continue;
        };
        let mut target = &mut root;
        for &i in &path {
            target = &mut target.children[i];
        }
        for child in children {
            if let Some(op) = operator(child, profiled) {
                target.children.push(op);
                let mut p = path.clone();
                p.push(target.children.len() - 1);
                stack.push((child, p));
            }
        }
    }
    Some(ExecutionPlan {
        profiled,
        query_type: query_type.to_string(),
        root,
    })
}

fn field<'v>(map: &'v Value, key: &str) -> Option<&'v Value> {
    match map {
        Value::Map(m) => m.get(key),
        _ => None,
    }
}

/// One operator without its children; `None` when `map` is not a plan map.
fn operator(map: &Value, profiled: bool) -> Option<Operator> {
    let Some(Value::String(name)) = field(map, "operatorType") else {
        return None;
    };
    let mut op = Operator::new(name.clone());
    if let Some(Value::Map(args)) = field(map, "args") {
        op.arguments = args.clone();
    }
    if let Some(Value::List(ids)) = field(map, "identifiers") {
        op.identifiers = ids
            .iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
    }
    if profiled {
        let n = |k: &str| match field(map, k) {
            Some(Value::Int(n)) => *n,
            _ => 0,
        };
        op.profile = Some(Profile {
            rows: n("rows"),
            db_hits: n("dbHits"),
            page_cache_hits: n("pageCacheHits"),
            page_cache_misses: n("pageCacheMisses"),
            time: n("time"),
        });
    }
    Some(op)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_round_trip_through_a_summary() {
        let mut leaf = Operator::new("ShowDatabases@system");
        leaf.arguments.insert("Id".into(), Value::Int(1));
        leaf.profile = Some(Profile {
            rows: 3,
            ..Profile::default()
        });
        let mut root = Operator::new("ProduceResults@system");
        root.identifiers = vec!["name".into()];
        root.profile = Some(Profile {
            rows: 3,
            db_hits: 2,
            ..Profile::default()
        });
        root.children.push(leaf);
        let plan = ExecutionPlan {
            profiled: true,
            query_type: "READ_ONLY".into(),
            root,
        };
        let mut meta = BTreeMap::new();
        meta.insert(key(&plan).to_string(), encode(&plan.root));
        assert_eq!(decode(&meta, "READ_ONLY"), Some(plan));
        assert_eq!(decode(&BTreeMap::new(), "r"), None);
        meta.insert("profile".into(), Value::Int(1));
        assert_eq!(
            decode(&meta, "r"),
            None,
            "not a plan map: no plan, no panic"
        );
    }
}
