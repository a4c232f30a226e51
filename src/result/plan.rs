//! `ExecutionPlan`: the plan a server returns for an `EXPLAIN` or `PROFILE` statement — a
//! tree of operators with Neo4j's arguments and, for PROFILE, what each operator measured.
//!
//! It owns the shape every backend decodes into (Bolt's `plan`/`profile`, the Query API's
//! `queryPlan`/`profiledQueryPlan`, the embedded cluster's own plans) and the totals
//! cypher-shell's summary reads. It must not know how plans are drawn or sent.

use crate::value::Value;
use std::collections::BTreeMap;

/// The plan of one statement.
#[derive(Debug, Clone, PartialEq)]
pub struct ExecutionPlan {
    /// True for PROFILE (the statement ran and every operator carries its `Profile`).
    pub profiled: bool,
    /// The statement's type in the Java driver's words (`READ_ONLY`, `READ_WRITE`,
    /// `WRITE_ONLY`, `SCHEMA_WRITE`); empty when the server did not say.
    pub query_type: String,
    /// The root operator (`ProduceResults` for a query that returns rows).
    pub root: Operator,
}

/// One operator of a plan.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Operator {
    /// Neo4j's operator name; Neo4j 5 appends `@database` (`ProduceResults@neo4j`).
    pub operator_type: String,
    /// The variables the operator binds.
    pub identifiers: Vec<String>,
    /// Neo4j's arguments: `Details`, `EstimatedRows`, `Id`, `PipelineInfo`, and on the
    /// root `version`, `planner`, `runtime`, … as the server sent them.
    pub arguments: BTreeMap<String, Value>,
    /// What the operator measured (PROFILE only).
    pub profile: Option<Profile>,
    /// Its inputs: none, one, or two (left then right).
    pub children: Vec<Operator>,
}

/// What one operator measured while a PROFILE statement ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Profile {
    /// Rows it produced.
    pub rows: i64,
    /// Database accesses it made.
    pub db_hits: i64,
    /// Page cache hits.
    pub page_cache_hits: i64,
    /// Page cache misses.
    pub page_cache_misses: i64,
    /// Time spent, in nanoseconds (0 when the runtime does not measure it).
    pub time: i64,
}

impl Operator {
    /// An operator named `operator_type` with no arguments or children.
    pub fn new(operator_type: impl Into<String>) -> Operator {
        Operator {
            operator_type: operator_type.into(),
            ..Operator::default()
        }
    }

    /// The operator's name without Neo4j 5's `@database` suffix.
    pub fn name(&self) -> &str {
        self.operator_type
            .split_once('@')
            .map_or(self.operator_type.as_str(), |(name, _)| name)
    }

    /// The argument `key`, or its lower-case spelling (`Version` / `version`).
    pub fn argument(&self, key: &str) -> Option<&Value> {
        self.arguments
            .get(key)
            .or_else(|| self.arguments.get(&key.to_ascii_lowercase()))
    }

    /// An integer argument (a float one is rounded), if present.
    pub fn int_argument(&self, key: &str) -> Option<i64> {
        match self.arguments.get(key)? {
            Value::Int(n) => Some(*n),
            Value::Float(f) if f.is_finite() => Some(f.round() as i64),
            _ => None,
        }
    }

    /// The sum of `dbHits` over this operator and every operator below it (cypher-shell's
    /// `DbHits` in the plan summary).
    pub fn total_db_hits(&self) -> i64 {
        let mut total = 0i64;
        let mut stack = vec![self];
        while let Some(op) = stack.pop() {
            let hits = op
                .profile
                .map(|p| p.db_hits)
                .or_else(|| op.int_argument("DbHits"))
                .unwrap_or(0);
            total = total.saturating_add(hits);
            stack.extend(op.children.iter());
        }
        total
    }
}

impl ExecutionPlan {
    /// `PROFILE` or `EXPLAIN`, as cypher-shell's summary names the plan.
    pub fn kind(&self) -> &'static str {
        if self.profiled { "PROFILE" } else { "EXPLAIN" }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_drop_the_database_and_hits_add_up() {
        let mut leaf = Operator::new("AllNodesScan@neo4j");
        leaf.profile = Some(Profile {
            db_hits: 11,
            ..Profile::default()
        });
        let mut root = Operator::new("ProduceResults@neo4j");
        root.arguments.insert("DbHits".into(), Value::Int(2));
        root.children.push(leaf);
        assert_eq!(root.name(), "ProduceResults");
        assert_eq!(root.total_db_hits(), 13);
        root.arguments
            .insert("version".into(), Value::str("CYPHER 5"));
        assert_eq!(root.argument("Version"), Some(&Value::str("CYPHER 5")));
    }
}
