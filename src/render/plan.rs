//! A dry run's plan as text: the allocation changes and the per-server load in
//! cypher-shell's table frame (or the plain format) with a one-line verdict, or one JSON
//! object for CI gates.
//!
//! It owns the plan's columns and JSON keys. It must stay pure like the rest of `render`:
//! the plan is computed by `cluster::dryrun`, and this only writes it.

use super::{Format, Options, write_plain, write_table};
use crate::cluster::dryrun::{AllocationChange, Plan};
use crate::result::QueryResult;
use crate::value::Value;
use serde_json::json;
use std::io::{self, Write};

/// The columns of the allocation-changes table.
pub const CHANGE_FIELDS: [&str; 6] = [
    "database",
    "change",
    "server",
    "fromServer",
    "toServer",
    "mode",
];

/// The columns of the load table.
pub const LOAD_FIELDS: [&str; 4] = ["server", "address", "before", "after"];

fn text(s: &Option<String>) -> Value {
    s.as_ref().map_or(Value::Null, Value::str)
}

fn count(n: Option<usize>) -> Value {
    n.map_or(Value::Null, |n| {
        Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
    })
}

fn change_row(c: &AllocationChange) -> Vec<Value> {
    vec![
        Value::str(&c.database),
        Value::str(c.kind.as_str()),
        text(&c.server),
        text(&c.from_server),
        text(&c.to_server),
        Value::str(c.mode_text()),
    ]
}

/// The allocation changes as a result (one row per change).
pub fn changes_result(plan: &Plan) -> QueryResult {
    QueryResult::new(
        CHANGE_FIELDS.iter().map(|s| s.to_string()).collect(),
        plan.changes.iter().map(change_row).collect(),
    )
}

/// The load table as a result (one row per server).
pub fn load_result(plan: &Plan) -> QueryResult {
    QueryResult::new(
        LOAD_FIELDS.iter().map(|s| s.to_string()).collect(),
        plan.load
            .iter()
            .map(|r| {
                vec![
                    Value::str(&r.server),
                    Value::str(&r.address),
                    count(r.before),
                    count(r.after),
                ]
            })
            .collect(),
    )
}

/// Writes the plan in the verbose or plain format: the changes table (or a line saying
/// there are none), the load table, then the verdict. JSON is `plan_json`'s job.
pub fn write_plan(out: &mut dyn Write, plan: &Plan, options: &Options) -> io::Result<()> {
    let table = |out: &mut dyn Write, result: &QueryResult| match options.format {
        Format::Plain => write_plain(out, result),
        _ => write_table(out, result, options),
    };
    if plan.changes.is_empty() {
        writeln!(out, "Allocation changes: none")?;
    } else {
        writeln!(out, "Allocation changes:")?;
        table(out, &changes_result(plan))?;
    }
    writeln!(out, "Load per server (user-database copies):")?;
    table(out, &load_result(plan))?;
    writeln!(out, "{}", plan.verdict())
}

/// The plan as one JSON object: `ok` (no statement failed), `statements` (each statement's
/// result rows or error, as given), `changes`, `load`, `belowTopology`, `maxLoadBefore`,
/// `maxLoadAfter` and the `verdict` line. Absent values are `null`.
pub fn plan_json(plan: &Plan, ok: bool, statements: Vec<serde_json::Value>) -> serde_json::Value {
    let changes: Vec<serde_json::Value> = plan
        .changes
        .iter()
        .map(|c| {
            json!({
                "database": c.database,
                "change": c.kind.as_str(),
                "server": c.server,
                "fromServer": c.from_server,
                "toServer": c.to_server,
                "mode": c.to_mode.or(c.from_mode).map(|m| m.as_str()),
                "fromMode": c.from_mode.map(|m| m.as_str()),
                "toMode": c.to_mode.map(|m| m.as_str()),
            })
        })
        .collect();
    let load: Vec<serde_json::Value> = plan
        .load
        .iter()
        .map(|r| {
            json!({
                "server": r.server,
                "serverId": r.server_id,
                "address": r.address,
                "before": r.before,
                "after": r.after,
            })
        })
        .collect();
    let below: Vec<serde_json::Value> = plan
        .below_topology
        .iter()
        .map(|b| {
            json!({
                "database": b.database,
                "requestedPrimaries": b.requested_primaries,
                "primaries": b.primaries,
                "requestedSecondaries": b.requested_secondaries,
                "secondaries": b.secondaries,
            })
        })
        .collect();
    json!({
        "ok": ok,
        "statements": statements,
        "changes": changes,
        "load": load,
        "belowTopology": below,
        "maxLoadBefore": plan.max_load_before,
        "maxLoadAfter": plan.max_load_after,
        "verdict": plan.verdict(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::dryrun::{ChangeKind, LoadRow};
    use crate::cluster::model::Mode;

    fn plan() -> Plan {
        Plan {
            changes: vec![AllocationChange {
                database: "foo".into(),
                kind: ChangeKind::Moved,
                server: None,
                from_server: Some("s1".into()),
                to_server: Some("s2".into()),
                from_mode: Some(Mode::Primary),
                to_mode: Some(Mode::Primary),
            }],
            load: vec![
                LoadRow {
                    server: "s1".into(),
                    server_id: "1".into(),
                    address: "localhost:7687".into(),
                    before: Some(1),
                    after: Some(0),
                },
                LoadRow {
                    server: "s2".into(),
                    server_id: "2".into(),
                    address: "localhost:7688".into(),
                    before: Some(0),
                    after: Some(1),
                },
            ],
            below_topology: vec![],
            max_load_before: 1,
            max_load_after: 1,
        }
    }

    #[test]
    fn verbose_plan_is_two_framed_tables_and_a_verdict() {
        let mut out = Vec::new();
        write_plan(&mut out, &plan(), &Options::new(Format::Verbose)).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "Allocation changes:\n\
             +-------------------------------------------------------------+\n\
             | database | change  | server | fromServer | toServer | mode      |\n"
                .replace(
                    "+-------------------------------------------------------------+",
                    &format!("+{}+", "-".repeat(65))
                )
                + &format!("+{}+\n", "-".repeat(65))
                + "| \"foo\"    | \"moved\" | NULL   | \"s1\"       | \"s2\"     | \"primary\" |\n"
                + &format!("+{}+\n\n", "-".repeat(65))
                + "Load per server (user-database copies):\n"
                + &format!("+{}+\n", "-".repeat(44))
                + "| server | address          | before | after |\n"
                + &format!("+{}+\n", "-".repeat(44))
                + "| \"s1\"   | \"localhost:7687\" | 1      | 0     |\n"
                + "| \"s2\"   | \"localhost:7688\" | 0      | 1     |\n"
                + &format!("+{}+\n\n", "-".repeat(44))
                + "Dry run: 1 allocation change (1 moved); max load 1 -> 1; \
                   every database has its requested copies. Nothing was changed.\n"
        );
    }

    #[test]
    fn json_plan_has_the_gate_keys() {
        let v = plan_json(&plan(), true, vec![]);
        assert_eq!(v["changes"][0]["fromServer"], "s1");
        assert_eq!(v["changes"][0]["server"], serde_json::Value::Null);
        assert_eq!(v["load"][1]["after"], 1);
        assert_eq!(v["belowTopology"], json!([]));
        assert_eq!(v["maxLoadAfter"], 1);
        assert_eq!(v["ok"], true);
    }
}
