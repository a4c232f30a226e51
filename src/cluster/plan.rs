//! The plans the embedded cluster returns for `EXPLAIN` and `PROFILE`: a small,
//! deterministic tree — `ProduceResults` over one operator named after the statement
//! (`ShowDatabases`, `CreateDatabase`, `Projection` for a graph-free query,
//! `ProcedureCall`) — with Neo4j's argument names, so every backend and renderer reads
//! them as it reads a server's.
//!
//! Neo4j's administration plans are not documented operator by operator; this shape is
//! cysh's choice (ARCHITECTURE.md, "Choices"). It must not run anything: the caller
//! decides whether the statement ran.

use crate::dialect::ast::Statement;
use crate::result::{ExecutionPlan, Operator, Profile};
use crate::value::Value;

/// The plan of `statement`, which returned `fields` and `rows` rows (for EXPLAIN, the
/// rows it would return, as the estimate) on `database`; `profiled` adds what each
/// operator measured. `version` is the statement's Cypher version (5 or 25).
pub fn plan_of(
    statement: &Statement,
    fields: &[String],
    rows: usize,
    database: &str,
    profiled: bool,
    version: u32,
) -> ExecutionPlan {
    let admin = !statement.is_general_cypher() && !matches!(statement, Statement::Call(_));
    let (planner, runtime) = if admin {
        ("ADMINISTRATION", "SYSTEM")
    } else {
        ("COST", "SLOTTED")
    };
    let rows = i64::try_from(rows).unwrap_or(i64::MAX);
    let operator = |name: &str, id: i64, details: Option<String>| {
        let mut op = Operator::new(format!("{name}@{database}"));
        op.arguments.insert("Id".into(), Value::Int(id));
        if let Some(details) = details {
            op.arguments
                .insert("Details".into(), Value::String(details));
        }
        op.arguments
            .insert("EstimatedRows".into(), Value::Float(rows as f64));
        if profiled {
            // The cluster reads its model, not a store: no database hits to count.
            op.arguments.insert("Rows".into(), Value::Int(rows));
            op.arguments.insert("DbHits".into(), Value::Int(0));
            op.profile = Some(Profile {
                rows,
                ..Profile::default()
            });
        }
        op.identifiers = fields.to_vec();
        op
    };
    let mut root = operator(
        "ProduceResults",
        0,
        // A command that returns nothing has no columns to list.
        (!fields.is_empty()).then(|| {
            fields
                .iter()
                .map(|f| quoted(f))
                .collect::<Vec<_>>()
                .join(", ")
        }),
    );
    root.children
        .push(operator(&operator_name(statement), 1, None));
    for (key, value) in [
        ("version", format!("CYPHER {version}")),
        ("planner", planner.to_string()),
        ("runtime", runtime.to_string()),
    ] {
        root.arguments.insert(key.into(), Value::String(value));
    }
    let query_type = if statement.is_read_only() {
        "READ_ONLY"
    } else if admin {
        "SCHEMA_WRITE"
    } else {
        "READ_WRITE"
    };
    ExecutionPlan {
        profiled,
        query_type: query_type.into(),
        root,
    }
}

/// The operator under `ProduceResults`: the statement's kind in Neo4j's operator spelling
/// (`SHOW DATABASES` → `ShowDatabases`).
fn operator_name(statement: &Statement) -> String {
    match statement {
        Statement::Query(_) => "Projection".into(),
        Statement::Call(_) => "ProcedureCall".into(),
        other => other
            .kind()
            .split(' ')
            .map(|word| {
                let mut chars = word.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_string() + &chars.as_str().to_ascii_lowercase()
                })
            })
            .collect(),
    }
}

/// A column as Neo4j writes it in Details: backticked unless it is a plain name.
fn quoted(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    if plain {
        name.to_string()
    } else {
        format!("`{}`", name.replace('`', "``"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn show_databases_plans_as_an_administration_command() {
        let statement = crate::dialect::parse("SHOW DATABASES YIELD name").unwrap();
        let plan = plan_of(&statement, &["name".into()], 3, "system", false, 5);
        assert_eq!(plan.query_type, "READ_ONLY");
        assert_eq!(plan.root.operator_type, "ProduceResults@system");
        assert_eq!(plan.root.children[0].name(), "ShowDatabases");
        assert_eq!(
            plan.root.argument("Planner"),
            Some(&Value::str("ADMINISTRATION"))
        );
        let create = crate::dialect::parse("CREATE DATABASE foo").unwrap();
        let plan = plan_of(&create, &[], 0, "system", true, 25);
        assert_eq!(plan.query_type, "SCHEMA_WRITE");
        assert_eq!(plan.root.children[0].name(), "CreateDatabase");
        assert_eq!(
            plan.root.argument("version"),
            Some(&Value::str("CYPHER 25"))
        );
        assert_eq!(quoted("count(*)"), "`count(*)`");
    }
}
