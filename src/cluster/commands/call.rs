//! `CALL`: a procedure call checked against the catalog (`cluster::procedures`) and
//! dispatched to the command that does the work.
//!
//! It owns argument checking (count, types, defaults, implicit arguments from parameters)
//! and the mapping from a procedure to its command. It must not hold command logic itself:
//! each procedure calls into the other command files.

use super::{databases, reallocate, servers, show_servers};
use crate::cluster::ctx::Ctx;
use crate::cluster::messages;
use crate::cluster::model::Status;
use crate::cluster::procedures::{Procedure, ProcedureMode, find};
use crate::cluster::show::{self, Clauses, Table};
use crate::dialect::ast::Call;
use crate::error::{Neo4jError, code};
use crate::result::{Notification, QueryResult};
use crate::value::Value;
use std::collections::BTreeMap;

fn default_value(text: &str) -> Value {
    match text {
        "false" => Value::Bool(false),
        "true" => Value::Bool(true),
        "{}" => Value::Map(BTreeMap::new()),
        other => other.parse().map_or(Value::Null, Value::Int),
    }
}

/// Resolves and checks the arguments of a call against the catalog.
fn arguments(ctx: &Ctx<'_>, p: &Procedure, call: &Call) -> Result<Vec<Value>, Neo4jError> {
    let given: Vec<Value> = match &call.args {
        Some(args) => args.iter().map(|a| ctx.eval(a)).collect::<Result<_, _>>()?,
        // Implicit arguments come from parameters of the same names.
        None => {
            let mut v = Vec::new();
            for a in p.args {
                match ctx.params.get(a.name) {
                    Some(x) => v.push(x.clone()),
                    None if a.default.is_some() => break,
                    None => return Err(crate::cluster::eval::missing_param(a.name)),
                }
            }
            v
        }
    };
    let required = p.args.iter().filter(|a| a.default.is_none()).count();
    let total = p.args.len();
    if given.len() < required {
        return Err(Neo4jError::new(
            code::SYNTAX_ERROR,
            format!(
                "Procedure call does not provide the required number of arguments: got {} expected at least {required} (total: {total}, {} of which have default values).\n\nProcedure {} has signature: {}\nmeaning that it expects at least {required} {} of type {}",
                given.len(),
                total - required,
                p.name,
                p.signature(),
                if required == 1 {
                    "argument"
                } else {
                    "arguments"
                },
                p.args
                    .iter()
                    .filter(|a| a.default.is_none())
                    .map(|a| a.ty.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        ));
    }
    if given.len() > total {
        return Err(Neo4jError::new(
            code::SYNTAX_ERROR,
            format!(
                "Procedure call provides too many arguments: got {} expected no more than {total}.\n\nProcedure {} has signature: {}",
                given.len(),
                p.name,
                p.signature()
            ),
        ));
    }
    let mut out = Vec::with_capacity(total);
    for (i, a) in p.args.iter().enumerate() {
        let v = match given.get(i) {
            Some(v) => v.clone(),
            None => default_value(a.default.unwrap_or("null")),
        };
        if !a.ty.accepts(&v) {
            return Err(Neo4jError::new(
                code::TYPE_ERROR,
                format!(
                    "Type mismatch for argument '{}' of procedure {}: expected {} but was {}",
                    a.name,
                    p.name,
                    a.ty.as_str(),
                    v.type_name()
                ),
            ));
        }
        out.push(v);
    }
    Ok(out)
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

/// `CALL name(args) [YIELD ...] [RETURN ...]`.
pub fn call(ctx: &mut Ctx<'_>, call: &Call) -> Result<QueryResult, Neo4jError> {
    let p = find(&call.procedure).ok_or_else(|| {
        Neo4jError::new(
            code::PROCEDURE_NOT_FOUND,
            format!(
                "There is no procedure with the name `{}` registered for this database instance. Please ensure you've spelled the procedure name correctly and that the procedure is properly deployed.",
                call.procedure
            ),
        )
    })?;
    if !p.name.starts_with("sim.") {
        ctx.require_bootstrapped()?;
        if p.mode == ProcedureMode::Write && ctx.session.database != "system" {
            return Err(Neo4jError::new(
                code::PROCEDURE_CALL_FAILED,
                format!(
                    "This is an administration command and it should be executed against the system database: {}",
                    p.name
                ),
            ));
        }
    }
    let args = arguments(ctx, p, call)?;
    let flag = |i: usize| args.get(i).and_then(Value::as_bool).unwrap_or(false);
    let mut result = match p.name {
        "dbms.cluster.cordonServer" => {
            servers::cordon(ctx, &s(&args[0]))?;
            QueryResult::empty()
        }
        "dbms.cluster.uncordonServer" => {
            servers::uncordon(ctx, &s(&args[0]))?;
            QueryResult::empty()
        }
        "dbms.cluster.deallocateDatabaseFromServer" => {
            reallocate::deallocate_database(ctx, p.name, &[s(&args[0])], &s(&args[1]), flag(2))?
        }
        "dbms.cluster.deallocateDatabaseFromServers" => {
            let list: Vec<String> = match &args[0] {
                Value::List(items) => items.iter().map(s).collect(),
                _ => Vec::new(),
            };
            reallocate::deallocate_database(ctx, p.name, &list, &s(&args[1]), flag(2))?
        }
        "dbms.cluster.deallocateNumberOfDatabases" => reallocate::deallocate_number(
            ctx,
            p.name,
            &s(&args[0]),
            args[1].as_int().unwrap_or(0),
            flag(2),
        )?,
        "dbms.cluster.reallocateDatabase" => {
            reallocate::reallocate_some(ctx, p.name, Some(&s(&args[0])), None, flag(1))?
        }
        "dbms.cluster.reallocateNumberOfDatabases" => reallocate::reallocate_some(
            ctx,
            p.name,
            None,
            Some(args[0].as_int().unwrap_or(0)),
            flag(1),
        )?,
        "dbms.cluster.setAutomaticallyEnableFreeServers" => {
            servers::set_auto_enable(ctx, flag(0));
            QueryResult::empty()
        }
        "dbms.recreateDatabase" | "dbms.cluster.recreateDatabase" => {
            let options = match &args[1] {
                Value::Map(m) => m.clone(),
                _ => BTreeMap::new(),
            };
            databases::recreate(ctx, p.name, &s(&args[0]), &options)?;
            QueryResult::empty()
        }
        "dbms.setDefaultAllocationNumbers" => {
            set_default_allocation_numbers(
                ctx,
                args[0].as_int().unwrap_or(0),
                args[1].as_int().unwrap_or(0),
            )?;
            QueryResult::empty()
        }
        "dbms.setDefaultDatabase" => set_default_database(ctx, &s(&args[0]))?,
        "dbms.showTopologyGraphConfig" => {
            let st = &ctx.state().settings;
            QueryResult::new(
                p.outputs.iter().map(|(n, _)| n.to_string()).collect(),
                vec![vec![
                    Value::str(messages::ALLOCATOR_NAME),
                    Value::Int(i64::from(st.default_primaries)),
                    Value::Int(i64::from(st.default_secondaries)),
                    Value::str(&st.default_database),
                    Value::Bool(st.auto_enable_free_servers),
                ]],
            )
        }
        "dbms.components" => QueryResult::new(
            p.outputs.iter().map(|(n, _)| n.to_string()).collect(),
            vec![vec![
                Value::str("Neo4j Kernel"),
                Value::str_list([show_servers::VERSION]),
                Value::str("enterprise"),
            ]],
        ),
        "sim.addServer" => {
            let options = match &args[0] {
                Value::Map(m) => m.clone(),
                _ => BTreeMap::new(),
            };
            let server = servers::add_server(ctx, &options, false)?;
            // Re-read: the bootstrap may have changed nothing about it, but stay exact.
            let state = ctx
                .state()
                .servers
                .get(&server.id)
                .map_or(server.state, |s| s.state);
            QueryResult::new(
                p.outputs.iter().map(|(n, _)| n.to_string()).collect(),
                vec![vec![
                    Value::str(&server.id),
                    Value::str(&server.name),
                    Value::str(&server.address),
                    Value::str(state.as_str()),
                ]],
            )
        }
        "sim.stopServer" | "sim.startServer" => {
            servers::set_running(ctx, &s(&args[0]), p.name == "sim.startServer")?;
            QueryResult::empty()
        }
        _ => return Err(messages::unsupported(p.name)),
    };
    if let Some(by) = p.deprecated_by {
        result.notifications.push(Notification {
            code: "Neo.ClientNotification.Statement.FeatureDeprecationWarning".into(),
            title: "This feature is deprecated and will be removed in future versions.".into(),
            description: format!(
                "The query used a deprecated procedure: '{}'. It is replaced by '{by}'.",
                p.name
            ),
            severity: "WARNING".into(),
            category: "DEPRECATION".into(),
        });
    }
    if call.yield_.is_none() && call.return_.is_none() {
        return Ok(result);
    }
    if p.outputs.is_empty() {
        return Err(Neo4jError::new(
            code::SYNTAX_ERROR,
            format!("Cannot yield value from void procedure `{}`.", p.name),
        ));
    }
    let notifications = std::mem::take(&mut result.notifications);
    let table = Table {
        columns: result.fields,
        rows: result.rows,
    };
    let defaults: Vec<&str> = p.outputs.iter().map(|(n, _)| *n).collect();
    let clauses = Clauses {
        yield_: call.yield_.as_ref(),
        where_: None,
        return_: call.return_.as_ref(),
        now: ctx.now,
    };
    let mut out = show::run(table, &defaults, clauses, ctx.params)?;
    out.notifications = notifications;
    Ok(out)
}

fn set_default_allocation_numbers(ctx: &mut Ctx<'_>, p: i64, s: i64) -> Result<(), Neo4jError> {
    let fail = |m: String| {
        Neo4jError::new(
            code::PROCEDURE_CALL_FAILED,
            format!(
                "Failed to invoke procedure `dbms.setDefaultAllocationNumbers`: Caused by: An unexpected error has occurred: {m}"
            ),
        )
    };
    if !(1..=11).contains(&p) {
        return Err(fail(format!(
            "Number of primaries '{p}' may not exceed 11 and needs to be at least 1."
        )));
    }
    if !(0..=20).contains(&s) {
        return Err(fail(format!(
            "Number of secondaries '{s}' may not exceed 20 and needs to be at least 0."
        )));
    }
    ctx.txn.update_settings(|st| {
        st.default_primaries = p as u32;
        st.default_secondaries = s as u32;
    });
    Ok(())
}

/// `dbms.setDefaultDatabase` with the 5.x rules: the new default must exist, the old one
/// must be stopped, and `system` cannot be the default.
fn set_default_database(ctx: &mut Ctx<'_>, name: &str) -> Result<QueryResult, Neo4jError> {
    let name = name.to_ascii_lowercase();
    let fail = |m: String| {
        Neo4jError::new(
            code::PROCEDURE_CALL_FAILED,
            format!("Failed to invoke procedure `dbms.setDefaultDatabase`: Caused by: {m}"),
        )
    };
    if name == "system" {
        return Err(fail("System database cannot be set as default.".into()));
    }
    if !ctx.state().databases.contains_key(name.as_str()) {
        return Err(fail(format!(
            "New default database `{name}` does not exist."
        )));
    }
    let old = ctx.state().settings.default_database.clone();
    if old != name
        && ctx
            .state()
            .databases
            .get(old.as_str())
            .is_some_and(|d| d.requested_status == Status::Online)
    {
        return Err(fail(format!(
            "The previous default database `{old}` is still running."
        )));
    }
    ctx.txn
        .update_settings(|s| s.default_database = name.clone());
    Ok(QueryResult::new(
        vec!["result".into()],
        vec![vec![Value::str(messages::default_database_set(&name))]],
    ))
}
