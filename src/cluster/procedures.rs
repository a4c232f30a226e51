//! The one procedure catalog: name, arguments (with types and defaults), outputs, mode,
//! description — it feeds both `CALL` dispatch and `SHOW PROCEDURES` (which the shell's
//! completion reads), so the two can never disagree.
//!
//! It owns argument checking and the mapping from a procedure to its command. It must not
//! hold command logic itself: each entry calls into `commands`.

use super::commands::{Ctx, databases, reallocate, servers};
use super::messages;
use super::show::{self, Clauses, Table};
use crate::dialect::Params;
use crate::dialect::ast::Call;
use crate::error::{Neo4jError, code};
use crate::result::{Notification, QueryResult};
use crate::value::Value;
use std::collections::BTreeMap;

/// An argument type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// `STRING`.
    String,
    /// `INTEGER`.
    Integer,
    /// `BOOLEAN`.
    Boolean,
    /// `MAP`.
    Map,
    /// `LIST<STRING>`.
    StringList,
}

impl Ty {
    /// As Neo4j prints it in signatures.
    pub fn as_str(self) -> &'static str {
        match self {
            Ty::String => "STRING",
            Ty::Integer => "INTEGER",
            Ty::Boolean => "BOOLEAN",
            Ty::Map => "MAP",
            Ty::StringList => "LIST<STRING>",
        }
    }

    fn accepts(self, v: &Value) -> bool {
        match (self, v) {
            (Ty::String, Value::String(_))
            | (Ty::Integer, Value::Int(_))
            | (Ty::Boolean, Value::Bool(_))
            | (Ty::Map, Value::Map(_)) => true,
            (Ty::StringList, Value::List(items)) => {
                items.iter().all(|i| matches!(i, Value::String(_)))
            }
            _ => false,
        }
    }
}

/// One argument: name, type and default (Cypher text and value).
#[derive(Debug, Clone, Copy)]
pub struct Arg {
    /// The argument name.
    pub name: &'static str,
    /// Its type.
    pub ty: Ty,
    /// Its default, as Cypher text (`false`, `{}`), for optional arguments.
    pub default: Option<&'static str>,
}

/// One procedure.
#[derive(Debug, Clone, Copy)]
pub struct Procedure {
    /// Full dotted name.
    pub name: &'static str,
    /// Arguments in order.
    pub args: &'static [Arg],
    /// Output columns and types (empty: VOID).
    pub outputs: &'static [(&'static str, &'static str)],
    /// `READ`, `WRITE` or `DBMS`.
    pub mode: &'static str,
    /// What it does.
    pub description: &'static str,
    /// Needs admin privileges.
    pub admin: bool,
    /// The replacement, when deprecated.
    pub deprecated_by: Option<&'static str>,
}

const fn req(name: &'static str, ty: Ty) -> Arg {
    Arg {
        name,
        ty,
        default: None,
    }
}

const fn opt(name: &'static str, ty: Ty, default: &'static str) -> Arg {
    Arg {
        name,
        ty,
        default: Some(default),
    }
}

const MOVES: &[(&str, &str)] = &[
    ("database", "STRING"),
    ("fromServerName", "STRING"),
    ("fromServerId", "STRING"),
    ("toServerName", "STRING"),
    ("toServerId", "STRING"),
    ("mode", "STRING"),
];

/// Every procedure the embedded cluster knows, by name.
pub const CATALOG: &[Procedure] = &[
    Procedure {
        name: "dbms.cluster.cordonServer",
        args: &[req("server", Ty::String)],
        outputs: &[],
        mode: "WRITE",
        description: "Mark a server in the topology as not suitable for new allocations. It will not force current allocations off the server. This is useful when deallocating databases when you have multiple unavailable servers.",
        admin: false,
        deprecated_by: None,
    },
    Procedure {
        name: "dbms.cluster.deallocateDatabaseFromServer",
        args: &[
            req("server", Ty::String),
            req("database", Ty::String),
            opt("dryrun", Ty::Boolean, "false"),
        ],
        outputs: MOVES,
        mode: "WRITE",
        description: "Deallocate a database from a server. The database is moved to other servers; the server's state does not change.",
        admin: false,
        deprecated_by: None,
    },
    Procedure {
        name: "dbms.cluster.deallocateDatabaseFromServers",
        args: &[
            req("servers", Ty::StringList),
            req("database", Ty::String),
            opt("dryrun", Ty::Boolean, "false"),
        ],
        outputs: MOVES,
        mode: "WRITE",
        description: "Deallocate a database from a list of servers. The database is moved to other servers; the servers' state does not change.",
        admin: false,
        deprecated_by: None,
    },
    Procedure {
        name: "dbms.cluster.deallocateNumberOfDatabases",
        args: &[
            req("server", Ty::String),
            req("number", Ty::Integer),
            opt("dryrun", Ty::Boolean, "false"),
        ],
        outputs: MOVES,
        mode: "WRITE",
        description: "Deallocate a number of databases from a server, to relieve it. The server's state does not change.",
        admin: false,
        deprecated_by: None,
    },
    Procedure {
        name: "dbms.cluster.reallocateDatabase",
        args: &[
            req("database", Ty::String),
            opt("dryrun", Ty::Boolean, "false"),
        ],
        outputs: MOVES,
        mode: "WRITE",
        description: "Reallocate a database across the cluster to balance the load. No moves when the cluster is balanced.",
        admin: false,
        deprecated_by: None,
    },
    Procedure {
        name: "dbms.cluster.reallocateNumberOfDatabases",
        args: &[
            req("number", Ty::Integer),
            opt("dryrun", Ty::Boolean, "false"),
        ],
        outputs: MOVES,
        mode: "WRITE",
        description: "Reallocate a number of database allocations across the cluster to relieve overloaded servers. No moves when the cluster is balanced.",
        admin: false,
        deprecated_by: None,
    },
    Procedure {
        name: "dbms.cluster.recreateDatabase",
        args: &[req("database", Ty::String), opt("options", Ty::Map, "{}")],
        outputs: &[],
        mode: "WRITE",
        description: "Recreate a database with new seeders, a seed URI or a new topology. Deprecated: use dbms.recreateDatabase.",
        admin: false,
        deprecated_by: Some("dbms.recreateDatabase"),
    },
    Procedure {
        name: "dbms.cluster.setAutomaticallyEnableFreeServers",
        args: &[req("autoEnable", Ty::Boolean)],
        outputs: &[],
        mode: "WRITE",
        description: "With true, enable free servers automatically when they join.",
        admin: false,
        deprecated_by: None,
    },
    Procedure {
        name: "dbms.cluster.uncordonServer",
        args: &[req("server", Ty::String)],
        outputs: &[],
        mode: "WRITE",
        description: "Remove the cordon on a server, returning it to 'enabled'.",
        admin: false,
        deprecated_by: Some("ENABLE SERVER"),
    },
    Procedure {
        name: "dbms.components",
        args: &[],
        outputs: &[
            ("name", "STRING"),
            ("versions", "LIST<STRING>"),
            ("edition", "STRING"),
        ],
        mode: "DBMS",
        description: "List DBMS components and their versions.",
        admin: false,
        deprecated_by: None,
    },
    Procedure {
        name: "dbms.recreateDatabase",
        args: &[req("database", Ty::String), opt("options", Ty::Map, "{}")],
        outputs: &[],
        mode: "WRITE",
        description: "Recreate a database with new seeders (seedingServers), a seed URI (seedURI, including server:// URIs) or a new topology (primaries, secondaries).",
        admin: false,
        deprecated_by: None,
    },
    Procedure {
        name: "dbms.setDefaultAllocationNumbers",
        args: &[
            req("primaries", Ty::Integer),
            req("secondaries", Ty::Integer),
        ],
        outputs: &[],
        mode: "WRITE",
        description: "Set the default number of primaries and secondaries used when creating a database without a topology.",
        admin: true,
        deprecated_by: None,
    },
    Procedure {
        name: "dbms.setDefaultDatabase",
        args: &[req("databaseName", Ty::String)],
        outputs: &[("result", "STRING")],
        mode: "WRITE",
        description: "Change the default database. The previous default database must be stopped and the new one must exist.",
        admin: true,
        deprecated_by: None,
    },
    Procedure {
        name: "dbms.showTopologyGraphConfig",
        args: &[],
        outputs: &[
            ("allocator", "STRING"),
            ("defaultPrimariesCount", "INTEGER"),
            ("defaultSecondariesCount", "INTEGER"),
            ("defaultDatabase", "STRING"),
            ("autoEnableFreeServers", "BOOLEAN"),
        ],
        mode: "READ",
        description: "Show the topology graph configuration: allocator, default allocation numbers, default database and automatic enabling of free servers.",
        admin: true,
        deprecated_by: None,
    },
    Procedure {
        name: "sim.addServer",
        args: &[opt("options", Ty::Map, "{}")],
        outputs: &[
            ("serverId", "STRING"),
            ("name", "STRING"),
            ("address", "STRING"),
            ("state", "STRING"),
        ],
        mode: "DBMS",
        description: "Embedded cluster only: a new server process joins (options serverId, address, modeConstraint, allowedDatabases, deniedDatabases, tags, systemDatabaseMode).",
        admin: true,
        deprecated_by: None,
    },
    Procedure {
        name: "sim.startServer",
        args: &[req("server", Ty::String)],
        outputs: &[],
        mode: "DBMS",
        description: "Embedded cluster only: a stopped server process starts again.",
        admin: true,
        deprecated_by: None,
    },
    Procedure {
        name: "sim.stopServer",
        args: &[req("server", Ty::String)],
        outputs: &[],
        mode: "DBMS",
        description: "Embedded cluster only: a server process stops (health Unavailable); a dropped server disappears.",
        admin: true,
        deprecated_by: None,
    },
];

impl Procedure {
    /// The signature as SHOW PROCEDURES prints it.
    pub fn signature(&self) -> String {
        let args: Vec<String> = self
            .args
            .iter()
            .map(|a| match a.default {
                Some(d) => format!("{} = {d} :: {}", a.name, a.ty.as_str()),
                None => format!("{} :: {}", a.name, a.ty.as_str()),
            })
            .collect();
        let mut s = format!("{}({})", self.name, args.join(", "));
        if !self.outputs.is_empty() {
            let outs: Vec<String> = self
                .outputs
                .iter()
                .map(|(n, t)| format!("{n} :: {t}"))
                .collect();
            s.push_str(&format!(" :: ({})", outs.join(", ")));
        }
        s
    }
}

/// Looks a procedure up by its exact name.
pub fn find(name: &str) -> Option<&'static Procedure> {
    CATALOG.iter().find(|p| p.name == name)
}

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
                    None => return Err(super::eval::missing_param(a.name)),
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
        if p.mode == "WRITE" && ctx.session.database != "system" {
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
                Value::str_list([super::commands::show_servers::VERSION]),
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
    if !ctx.state().databases.contains_key(&name) {
        return Err(fail(format!(
            "New default database `{name}` does not exist."
        )));
    }
    let old = ctx.state().settings.default_database.clone();
    if old != name
        && ctx
            .state()
            .databases
            .get(&old)
            .is_some_and(|d| d.requested_status == super::model::Status::Online)
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

/// `SHOW PROCEDURES`: the catalog, by name.
pub fn show(params: &Params, clauses: Clauses<'_>) -> Result<QueryResult, Neo4jError> {
    let mut table = Table::new(&[
        "name",
        "description",
        "mode",
        "worksOnSystem",
        "signature",
        "argumentDescription",
        "returnDescription",
        "admin",
        "rolesExecution",
        "rolesBoostedExecution",
        "isDeprecated",
        "deprecatedBy",
        "option",
    ]);
    let field = |name: &str, ty: &str, default: Option<&str>| {
        let mut m = BTreeMap::new();
        m.insert("name".to_string(), Value::str(name));
        m.insert("type".to_string(), Value::str(ty));
        m.insert(
            "description".to_string(),
            Value::str(match default {
                Some(d) => format!("{name} = {d} :: {ty}"),
                None => format!("{name} :: {ty}"),
            }),
        );
        if let Some(d) = default {
            m.insert(
                "default".to_string(),
                Value::str(format!("DefaultParameterValue{{value={d}, type={ty}}}")),
            );
        }
        Value::Map(m)
    };
    let mut procs: Vec<&Procedure> = CATALOG.iter().collect();
    procs.sort_by_key(|p| p.name);
    for p in procs {
        table.rows.push(vec![
            Value::str(p.name),
            Value::str(p.description),
            Value::str(p.mode),
            Value::Bool(true),
            Value::str(p.signature()),
            Value::List(
                p.args
                    .iter()
                    .map(|a| field(a.name, a.ty.as_str(), a.default))
                    .collect(),
            ),
            Value::List(p.outputs.iter().map(|(n, t)| field(n, t, None)).collect()),
            Value::Bool(p.admin),
            Value::Null,
            Value::Null,
            Value::Bool(p.deprecated_by.is_some()),
            p.deprecated_by.map(Value::str).unwrap_or(Value::Null),
            Value::Map(BTreeMap::from([(
                "deprecated".to_string(),
                Value::Bool(p.deprecated_by.is_some()),
            )])),
        ]);
    }
    show::run(
        table,
        &["name", "description", "mode", "worksOnSystem"],
        clauses,
        params,
    )
}
