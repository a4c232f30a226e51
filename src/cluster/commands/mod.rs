//! The commands: one file per statement family, all running against a `Ctx` (the
//! statement's transaction, environment, parameters and session), and `execute`, which
//! dispatches a statement to its family.
//!
//! They own the rules of each command (preconditions, refusals, notifications). They must
//! not place copies themselves (the allocator does) nor mutate state except through
//! `ctx.txn`.

pub mod aliases;
pub mod databases;
pub mod privileges;
pub mod reallocate;
pub mod servers;
pub mod show_databases;
pub mod show_servers;
pub mod users;

use super::Session;
use super::env::Env;
use super::eval::{self, Scope};
use super::messages;
use super::model::State;
use super::txn::Txn;
use crate::dialect::Params;
use crate::dialect::ast::{
    Expr, IntOrParam, MapOrParam, NameOrParam, ShowKind, Statement, StringOrParam,
};
use crate::error::{Neo4jError, code};
use crate::result::{Notification, QueryResult};
use crate::value::Value;
use std::collections::BTreeMap;

/// Everything a command runs with.
pub struct Ctx<'a> {
    /// The statement's transaction over the state.
    pub txn: Txn<'a>,
    /// Clock and ids.
    pub env: &'a mut dyn Env,
    /// Session parameters.
    pub params: &'a Params,
    /// Who runs the statement.
    pub session: &'a Session,
    /// Notifications raised so far.
    pub notifications: Vec<Notification>,
}

impl<'a> Ctx<'a> {
    /// A context for one statement.
    pub fn new(
        txn: Txn<'a>,
        env: &'a mut dyn Env,
        params: &'a Params,
        session: &'a Session,
    ) -> Ctx<'a> {
        Ctx {
            txn,
            env,
            params,
            session,
            notifications: Vec::new(),
        }
    }

    /// The state as it is now (including this statement's changes).
    pub fn state(&self) -> &State {
        self.txn.state
    }

    fn param(&self, name: &str) -> Result<&Value, Neo4jError> {
        self.params
            .get(name)
            .ok_or_else(|| eval::missing_param(name))
    }

    /// A name, resolving `$param` (which must be a string).
    pub fn name(&self, n: &NameOrParam) -> Result<String, Neo4jError> {
        match n {
            NameOrParam::Name(s) => Ok(s.joined()),
            NameOrParam::Param(p) => match self.param(&p.name)? {
                Value::String(s) => Ok(s.clone()),
                other => Err(type_mismatch(&p.name, "String", other)),
            },
        }
    }

    /// A string, resolving `$param`.
    pub fn string(&self, s: &StringOrParam) -> Result<String, Neo4jError> {
        match s {
            StringOrParam::Literal(s) => Ok(s.clone()),
            StringOrParam::Param(p) => match self.param(&p.name)? {
                Value::String(s) => Ok(s.clone()),
                other => Err(type_mismatch(&p.name, "String", other)),
            },
        }
    }

    /// An integer, resolving `$param`.
    pub fn int(&self, i: &IntOrParam) -> Result<i64, Neo4jError> {
        match i {
            IntOrParam::Literal(i) => Ok(*i),
            IntOrParam::Param(p) => match self.param(&p.name)? {
                Value::Int(i) => Ok(*i),
                other => Err(type_mismatch(&p.name, "Integer", other)),
            },
        }
    }

    /// A map, resolving `$param` and evaluating literal values.
    pub fn map(&self, m: &MapOrParam) -> Result<BTreeMap<String, Value>, Neo4jError> {
        match m {
            MapOrParam::Literal(items) => {
                let mut out = BTreeMap::new();
                for (k, v) in items {
                    out.insert(k.clone(), self.eval(v)?);
                }
                Ok(out)
            }
            MapOrParam::Param(p) => match self.param(&p.name)? {
                Value::Map(m) => Ok(m.clone()),
                other => Err(type_mismatch(&p.name, "Map", other)),
            },
        }
    }

    /// Evaluates an expression with parameters only.
    pub fn eval(&self, e: &Expr) -> Result<Value, Neo4jError> {
        eval::eval(e, &Scope::params(self.params))
    }

    /// Raises a notification.
    pub fn notify(&mut self, code: &str, title: &str, description: String, severity: &str) {
        self.notifications.push(Notification {
            code: code.to_string(),
            title: title.to_string(),
            description,
            severity: severity.to_string(),
            category: "TOPOLOGY".to_string(),
        });
    }

    /// Fails unless the system database has bootstrapped.
    pub fn require_bootstrapped(&self) -> Result<(), Neo4jError> {
        let s = &self.state().settings;
        if s.bootstrapped {
            return Ok(());
        }
        Err(messages::not_bootstrapped(
            self.state().servers.len(),
            s.min_initial_system_primaries,
        ))
    }

    /// Raises `CordonedServersExistedDuringAllocation` when any server is cordoned.
    pub fn notify_cordoned(&mut self) {
        let cordoned: Vec<String> = self
            .state()
            .servers
            .values()
            .filter(|s| s.state == super::model::ServerState::Cordoned)
            .map(|s| s.name.clone())
            .collect();
        if !cordoned.is_empty() {
            self.notify(
                "Neo.ClientNotification.Cluster.CordonedServersExistedDuringAllocation",
                "Cordoned servers existed when making an allocation decision.",
                format!(
                    "Server(s) `{}` are cordoned. This can impact allocation decisions.",
                    cordoned.join(", ")
                ),
                "INFORMATION",
            );
        }
    }
}

/// A parameter of the wrong type.
pub fn type_mismatch(name: &str, expected: &str, got: &Value) -> Neo4jError {
    Neo4jError::new(
        code::TYPE_ERROR,
        format!(
            "Type mismatch for parameter '{name}': expected {expected} but was {}",
            got.type_name()
        ),
    )
}

/// Runs one statement.
pub fn execute(ctx: &mut Ctx<'_>, statement: &Statement) -> Result<QueryResult, Neo4jError> {
    // Who may do what is decided before anything else, so a refused statement changes
    // nothing and says nothing about the state.
    super::security::check(ctx, statement)?;
    if !matches!(statement, Statement::Call(_)) && !statement.is_general_cypher() {
        ctx.require_bootstrapped()?;
    }
    match statement {
        Statement::CreateDatabase(c) => databases::create(ctx, c),
        Statement::CreateCompositeDatabase(c) => databases::create_composite(ctx, c),
        Statement::AlterDatabase(a) => databases::alter(ctx, a),
        Statement::DropDatabase(d) => databases::drop(ctx, d),
        Statement::StartDatabase(s) => databases::start_stop(ctx, s, true),
        Statement::StopDatabase(s) => databases::start_stop(ctx, s, false),
        Statement::Show(show) => {
            let clauses = super::show::Clauses {
                yield_: show.yield_.as_ref(),
                where_: show.where_.as_ref(),
                return_: show.return_.as_ref(),
            };
            match &show.kind {
                ShowKind::Databases(name) => {
                    show_databases::show(ctx, show_databases::Which::Named(name.as_ref()), clauses)
                }
                ShowKind::DefaultDatabase => {
                    show_databases::show(ctx, show_databases::Which::Default, clauses)
                }
                ShowKind::HomeDatabase => {
                    show_databases::show(ctx, show_databases::Which::Home, clauses)
                }
                ShowKind::Servers => show_servers::show(ctx, clauses),
                ShowKind::Aliases(name) => aliases::show(ctx, name.as_ref(), clauses),
                ShowKind::Procedures => super::procedures::show(ctx.params, clauses),
                ShowKind::Users => users::show_users(ctx, false, clauses),
                ShowKind::CurrentUser => users::show_users(ctx, true, clauses),
                ShowKind::Roles {
                    populated,
                    with_users,
                } => users::show_roles(ctx, *populated, *with_users, clauses),
                ShowKind::Privileges { scope, as_commands } => {
                    privileges::show(ctx, scope, *as_commands, clauses)
                }
                other => Err(messages::unsupported(
                    Statement::Show(crate::dialect::ast::Show {
                        kind: other.clone(),
                        yield_: None,
                        where_: None,
                        return_: None,
                    })
                    .kind(),
                )),
            }
        }
        Statement::EnableServer(e) => servers::enable(ctx, e),
        Statement::AlterServer(a) => servers::alter(ctx, a),
        Statement::RenameServer(r) => servers::rename(ctx, r),
        Statement::DropServer(s) => servers::drop(ctx, s),
        Statement::DeallocateDatabases(d) => reallocate::deallocate_servers(ctx, d),
        Statement::ReallocateDatabases(dry) => reallocate::reallocate_all(ctx, *dry),
        Statement::CreateAlias(c) => aliases::create(ctx, c),
        Statement::AlterAlias(a) => aliases::alter(ctx, a),
        Statement::DropAlias(d) => aliases::drop(ctx, d),
        Statement::CreateUser(c) => users::create_user(ctx, c),
        Statement::AlterUser(a) => users::alter_user(ctx, a),
        Statement::AlterCurrentUser(a) => users::alter_current_user(ctx, a),
        Statement::RenameUser(r) => users::rename_user(ctx, r),
        Statement::DropUser(d) => users::drop_user(ctx, d),
        Statement::CreateRole(c) => users::create_role(ctx, c),
        Statement::RenameRole(r) => users::rename_role(ctx, r),
        Statement::DropRole(d) => users::drop_role(ctx, d),
        Statement::GrantRole(m) => users::grant_role(ctx, m),
        Statement::RevokeRole(m) => users::revoke_role(ctx, m),
        Statement::Privilege(p) => privileges::privilege(ctx, p),
        Statement::Call(call) => super::procedures::call(ctx, call),
        Statement::Cypher
        | Statement::Query(_)
        | Statement::Schema(_)
        | Statement::TerminateTransactions => Err(Neo4jError::new(
            code::NOT_SUPPORTED,
            messages::GENERAL_CYPHER,
        )),
    }
}
