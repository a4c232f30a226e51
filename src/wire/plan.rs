//! Plans in the Query API's JSON: `queryPlan` (EXPLAIN) and `profiledQueryPlan`
//! (PROFILE), each operator an object of `operatorType`, `arguments` (plain JSON values),
//! `identifiers` and `children`, and for PROFILE `dbHits`, `records`,
//! `hasPageCacheStats`, `pageCacheHits`, `pageCacheMisses`, `pageCacheHitRatio` and
//! `time` first, in Neo4j's key order.
//!
//! Both directions live here so the server and the client cannot disagree; `--format
//! json` prints the same objects. It must not know how plans are drawn.

use crate::result::{ExecutionPlan, Operator, Profile};
use crate::value::Value;
use serde_json::{Map, Value as Json};

/// The body key of a plan: `profiledQueryPlan` for PROFILE, `queryPlan` for EXPLAIN.
pub fn body_key(plan: &ExecutionPlan) -> &'static str {
    if plan.profiled {
        "profiledQueryPlan"
    } else {
        "queryPlan"
    }
}

/// An operator tree as the Query API writes it (no recursion: a plan may be deep).
pub fn to_json(root: &Operator) -> Json {
    // Children are encoded before their parent: the reverse of a pre-order walk.
    let mut order: Vec<&Operator> = Vec::new();
    let mut stack = vec![root];
    while let Some(op) = stack.pop() {
        order.push(op);
        stack.extend(op.children.iter().rev());
    }
    let mut done: Vec<Json> = Vec::new();
    for op in order.iter().rev() {
        // Later children were finished first, so they sit nearer the top of `done`.
        let mut children: Vec<Json> = done.drain(done.len() - op.children.len()..).collect();
        children.reverse();
        let mut m = Map::new();
        if let Some(p) = op.profile {
            m.insert("dbHits".into(), p.db_hits.into());
            m.insert("records".into(), p.rows.into());
            let has = p.page_cache_hits != 0 || p.page_cache_misses != 0;
            m.insert("hasPageCacheStats".into(), has.into());
            m.insert("pageCacheHits".into(), p.page_cache_hits.into());
            m.insert("pageCacheMisses".into(), p.page_cache_misses.into());
            let total = p.page_cache_hits + p.page_cache_misses;
            let ratio = if total > 0 {
                p.page_cache_hits as f64 / total as f64
            } else {
                0.0
            };
            m.insert("pageCacheHitRatio".into(), ratio.into());
            m.insert("time".into(), p.time.into());
        }
        m.insert("operatorType".into(), op.operator_type.clone().into());
        let args: Map<String, Json> = op
            .arguments
            .iter()
            .map(|(k, v)| (k.clone(), v.to_plain_json()))
            .collect();
        m.insert("arguments".into(), Json::Object(args));
        m.insert(
            "identifiers".into(),
            Json::Array(op.identifiers.iter().cloned().map(Json::String).collect()),
        );
        m.insert("children".into(), Json::Array(children));
        done.push(Json::Object(m));
    }
    done.pop().unwrap_or(Json::Null)
}

/// Reads an operator tree in the Query API's form; `None` when `json` is not an object
/// with an `operatorType`. Nesting beyond 1,000 levels is cut off there.
pub fn from_json(json: &Json, profiled: bool) -> Option<Operator> {
    fn one(json: &Json, profiled: bool) -> Option<Operator> {
        let o = json.as_object()?;
        let mut op = Operator::new(o.get("operatorType")?.as_str()?);
        if let Some(args) = o.get("arguments").and_then(Json::as_object) {
            for (k, v) in args {
                op.arguments
                    .insert(k.clone(), Value::from_plain_json(v.clone()));
            }
        }
        if let Some(ids) = o.get("identifiers").and_then(Json::as_array) {
            op.identifiers = ids
                .iter()
                .filter_map(|i| i.as_str().map(String::from))
                .collect();
        }
        if profiled {
            let n = |k: &str| o.get(k).and_then(Json::as_i64).unwrap_or(0);
            op.profile = Some(Profile {
                rows: n("records"),
                db_hits: n("dbHits"),
                page_cache_hits: n("pageCacheHits"),
                page_cache_misses: n("pageCacheMisses"),
                time: n("time"),
            });
        }
        Some(op)
    }
    fn children(json: &Json) -> &[Json] {
        json.get("children")
            .and_then(Json::as_array)
            .map_or(&[], Vec::as_slice)
    }
    // An explicit stack of (json, path from the root) instead of recursion.
    let mut root = one(json, profiled)?;
    let mut stack: Vec<(&Json, Vec<usize>)> = vec![(json, Vec::new())];
    while let Some((node, path)) = stack.pop() {
        if path.len() >= 1_000 {
            continue;
        }
        let mut target = &mut root;
        for &i in &path {
            target = &mut target.children[i];
        }
        for child in children(node) {
            if let Some(op) = one(child, profiled) {
                target.children.push(op);
                let mut p = path.clone();
                p.push(target.children.len() - 1);
                stack.push((child, p));
            }
        }
    }
    Some(root)
}

/// The plan of a Query API body, if it has one. `query_type` is its `queryType`.
pub fn from_body(body: &Json, query_type: &str) -> Option<ExecutionPlan> {
    let (json, profiled) = match (body.get("profiledQueryPlan"), body.get("queryPlan")) {
        (Some(p), _) => (p, true),
        (None, Some(p)) => (p, false),
        (None, None) => return None,
    };
    Some(ExecutionPlan {
        profiled,
        query_type: long_query_type(query_type).to_string(),
        root: from_json(json, profiled)?,
    })
}

/// The Java driver's name of a statement type sent as `r`, `rw`, `w` or `s`.
pub fn long_query_type(short: &str) -> &str {
    match short {
        "r" => "READ_ONLY",
        "rw" => "READ_WRITE",
        "w" => "WRITE_ONLY",
        "s" => "SCHEMA_WRITE",
        other => other,
    }
}

/// The short form (`r`, `rw`, `w`, `s`) of a statement type, as Bolt and the Query API
/// send it.
pub fn short_query_type(long: &str) -> &'static str {
    match long {
        "READ_WRITE" => "rw",
        "WRITE_ONLY" => "w",
        "SCHEMA_WRITE" => "s",
        _ => "r",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_round_trip_through_the_query_apis_json() {
        let mut leaf = Operator::new("AllNodesScan@neo4j");
        leaf.arguments
            .insert("EstimatedRows".into(), Value::Float(10.0));
        leaf.profile = Some(Profile {
            rows: 10,
            db_hits: 11,
            ..Profile::default()
        });
        let mut other = Operator::new("Argument@neo4j");
        other.profile = Some(Profile::default());
        let mut root = Operator::new("Apply@neo4j");
        root.identifiers = vec!["n".into()];
        root.arguments.insert("Details".into(), Value::str("n"));
        root.profile = Some(Profile::default());
        root.children = vec![leaf, other];
        let json = to_json(&root);
        assert_eq!(json["children"][0]["dbHits"], 11);
        assert_eq!(json["children"][1]["operatorType"], "Argument@neo4j");
        let body = serde_json::json!({ "profiledQueryPlan": json });
        let plan = from_body(&body, "r").unwrap();
        assert!(plan.profiled);
        assert_eq!(plan.query_type, "READ_ONLY");
        assert_eq!(plan.root, root);
    }
}
