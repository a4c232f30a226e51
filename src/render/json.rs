//! The JSON format: one JSON object per row (JSON Lines), keys in column order, values in
//! Neo4j's plain JSON mapping (the Query API's `application/json` values), for `jq`.
//!
//! It must not know about HTTP; the wire format of the Query API lives elsewhere.

use crate::error::Neo4jError;
use crate::result::QueryResult;
use crate::value::Value;
use serde_json::Map;
use std::io::{self, Write};

/// The rows as JSON objects, keys in column order.
pub fn rows_json(result: &QueryResult) -> Vec<serde_json::Value> {
    result
        .rows
        .iter()
        .map(|row| row_json(&result.fields, row))
        .collect()
}

/// One row as a JSON object, keys in column order.
pub fn row_json(fields: &[String], row: &[Value]) -> serde_json::Value {
    let object: Map<String, serde_json::Value> = fields
        .iter()
        .cloned()
        .zip(row.iter().map(Value::to_plain_json))
        .collect();
    serde_json::Value::Object(object)
}

/// Writes one JSON object per row, then for EXPLAIN or PROFILE one object for the plan:
/// `{"plan": {"type": "EXPLAIN", "queryType": "READ_ONLY", "root": {…}}}`, the operators
/// in the Query API's form.
pub fn write_json(out: &mut dyn Write, result: &QueryResult) -> io::Result<()> {
    for row in rows_json(result) {
        writeln!(out, "{row}")?;
    }
    write_plan_json(out, result)
}

/// The plan object `write_json` ends with, if the result has a plan.
pub fn write_plan_json(out: &mut dyn Write, result: &QueryResult) -> io::Result<()> {
    if let Some(plan) = &result.plan {
        let mut inner = Map::new();
        inner.insert("type".into(), plan.kind().into());
        inner.insert("queryType".into(), plan.query_type.clone().into());
        inner.insert("root".into(), crate::wire::plan::to_json(&plan.root));
        let mut object = Map::new();
        object.insert("plan".into(), serde_json::Value::Object(inner));
        writeln!(out, "{}", serde_json::Value::Object(object))?;
    }
    Ok(())
}

/// An error as one JSON object: `{"code", "message"}` plus `line`, `column`, `offset` when
/// the error has a position.
pub fn error_json(error: &Neo4jError) -> String {
    let mut object = Map::new();
    object.insert("code".into(), error.code.clone().into());
    object.insert("message".into(), error.message.clone().into());
    if let Some(p) = error.position {
        object.insert("line".into(), p.line.into());
        object.insert("column".into(), p.column.into());
        object.insert("offset".into(), p.offset.into());
    }
    serde_json::Value::Object(object).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Position;
    use std::collections::BTreeMap;

    #[test]
    fn one_object_per_row_in_column_order() {
        let mut options = BTreeMap::new();
        options.insert("txLogEnrichment".to_string(), Value::str("FULL"));
        let result = QueryResult::new(
            vec![
                "name".into(),
                "default".into(),
                "count".into(),
                "options".into(),
                "aliases".into(),
            ],
            vec![vec![
                Value::str("neo4j"),
                Value::Bool(true),
                Value::Int(9_007_199_254_740_993),
                Value::Map(options),
                Value::List(vec![]),
            ]],
        );
        let mut out = Vec::new();
        write_json(&mut out, &result).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"name\":\"neo4j\",\"default\":true,\"count\":9007199254740993,\
             \"options\":{\"txLogEnrichment\":\"FULL\"},\"aliases\":[]}\n"
        );
    }

    #[test]
    fn errors_carry_their_position() {
        let e = Neo4jError::syntax(
            "Invalid input 'x'",
            Position {
                offset: 3,
                line: 1,
                column: 4,
            },
        );
        assert_eq!(
            error_json(&e),
            "{\"code\":\"Neo.ClientError.Statement.SyntaxError\",\"message\":\"Invalid input 'x'\",\
             \"line\":1,\"column\":4,\"offset\":3}"
        );
    }
}
