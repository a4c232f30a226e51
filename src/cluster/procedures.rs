//! The one procedure catalog: name, arguments (with types and defaults), outputs, mode,
//! description — it feeds both `CALL` dispatch and `SHOW PROCEDURES` (which the shell's
//! completion reads), so the two can never disagree.
//!
//! It owns what a procedure is (its signature and mode) and SHOW PROCEDURES. It must not
//! run procedures: `commands::call` checks a call's arguments against this catalog and
//! dispatches it to its command.

use super::show::{self, Clauses, Table};
use crate::dialect::Params;
use crate::error::Neo4jError;
use crate::result::QueryResult;
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

    /// True when `v` is a value of this type.
    pub fn accepts(self, v: &Value) -> bool {
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

/// What a procedure may do, as SHOW PROCEDURES' `mode` column says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcedureMode {
    /// `READ`: reads only (runs while impersonating).
    Read,
    /// `WRITE`: changes the cluster, and runs against `system` only.
    Write,
    /// `DBMS`: a DBMS-level procedure (cysh's `sim.*` controls among them).
    Dbms,
}

impl ProcedureMode {
    /// As SHOW PROCEDURES prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            ProcedureMode::Read => "READ",
            ProcedureMode::Write => "WRITE",
            ProcedureMode::Dbms => "DBMS",
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
    pub mode: ProcedureMode,
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
        mode: ProcedureMode::Write,
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
        mode: ProcedureMode::Write,
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
        mode: ProcedureMode::Write,
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
        mode: ProcedureMode::Write,
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
        mode: ProcedureMode::Write,
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
        mode: ProcedureMode::Write,
        description: "Reallocate a number of database allocations across the cluster to relieve overloaded servers. No moves when the cluster is balanced.",
        admin: false,
        deprecated_by: None,
    },
    Procedure {
        name: "dbms.cluster.recreateDatabase",
        args: &[req("database", Ty::String), opt("options", Ty::Map, "{}")],
        outputs: &[],
        mode: ProcedureMode::Write,
        description: "Recreate a database with new seeders, a seed URI or a new topology. Deprecated: use dbms.recreateDatabase.",
        admin: false,
        deprecated_by: Some("dbms.recreateDatabase"),
    },
    Procedure {
        name: "dbms.cluster.setAutomaticallyEnableFreeServers",
        args: &[req("autoEnable", Ty::Boolean)],
        outputs: &[],
        mode: ProcedureMode::Write,
        description: "With true, enable free servers automatically when they join.",
        admin: false,
        deprecated_by: None,
    },
    Procedure {
        name: "dbms.cluster.uncordonServer",
        args: &[req("server", Ty::String)],
        outputs: &[],
        mode: ProcedureMode::Write,
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
        mode: ProcedureMode::Dbms,
        description: "List DBMS components and their versions.",
        admin: false,
        deprecated_by: None,
    },
    Procedure {
        name: "dbms.recreateDatabase",
        args: &[req("database", Ty::String), opt("options", Ty::Map, "{}")],
        outputs: &[],
        mode: ProcedureMode::Write,
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
        mode: ProcedureMode::Write,
        description: "Set the default number of primaries and secondaries used when creating a database without a topology.",
        admin: true,
        deprecated_by: None,
    },
    Procedure {
        name: "dbms.setDefaultDatabase",
        args: &[req("databaseName", Ty::String)],
        outputs: &[("result", "STRING")],
        mode: ProcedureMode::Write,
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
        mode: ProcedureMode::Read,
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
        mode: ProcedureMode::Dbms,
        description: "Embedded cluster only: a new server process joins (options serverId, address, modeConstraint, allowedDatabases, deniedDatabases, tags, systemDatabaseMode).",
        admin: true,
        deprecated_by: None,
    },
    Procedure {
        name: "sim.startServer",
        args: &[req("server", Ty::String)],
        outputs: &[],
        mode: ProcedureMode::Dbms,
        description: "Embedded cluster only: a stopped server process starts again.",
        admin: true,
        deprecated_by: None,
    },
    Procedure {
        name: "sim.stopServer",
        args: &[req("server", Ty::String)],
        outputs: &[],
        mode: ProcedureMode::Dbms,
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

/// The columns of SHOW PROCEDURES, in Neo4j's order.
pub(crate) const COLUMNS: &[&str] = &[
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
];

/// `SHOW PROCEDURES`: the catalog, by name.
pub fn show(params: &Params, clauses: Clauses<'_>) -> Result<QueryResult, Neo4jError> {
    let mut table = Table::new(COLUMNS);
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
            Value::str(p.mode.as_str()),
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
