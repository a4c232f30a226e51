//! The context every command runs in: the statement's transaction over the state, the
//! environment, the parameters and the `Session` (who runs it), with the helpers that
//! resolve `$params`.
//!
//! It owns parameter resolution and notifications. It must not hold command rules (those
//! live in `commands`) nor the privilege check (`security`), which both build on it.

use super::env::Env;
use super::eval::{self, Scope};
use super::messages;
use super::model::State;
use super::txn::Txn;
use crate::dialect::Params;
use crate::dialect::ast::{Expr, IntOrParam, MapOrParam, NameOrParam, StringOrParam};
use crate::error::{Neo4jError, code};
use crate::result::Notification;
use crate::value::Value;
use std::collections::BTreeMap;

/// Who runs a statement, and against which database.
#[derive(Debug, Clone)]
pub struct Session {
    /// The user name: whose privileges apply.
    pub user: String,
    /// The database the session uses.
    pub database: String,
    /// True when `user` is impersonated by the authenticated one (Query API
    /// `impersonatedUser`, `--impersonate`): only reads may run.
    pub impersonating: bool,
}

impl Default for Session {
    fn default() -> Self {
        Session {
            user: "neo4j".into(),
            database: "system".into(),
            impersonating: false,
        }
    }
}

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
    /// The statement's clock: `datetime()` and its siblings read it, so they give one
    /// time for the whole statement, as in Neo4j.
    pub now: jiff::Timestamp,
    /// The statement's text, for the columns a query names after their expressions
    /// (empty when the caller has no text).
    pub source: &'a str,
    /// Where a command that makes its rows in order may push them as it makes them
    /// (`Cluster::execute_streaming` with a sink): it then returns a result without rows.
    /// A command takes it (`Option::take`) or leaves it, and the caller drains whatever
    /// rows the result holds into it afterwards.
    pub sink: Option<&'a mut dyn crate::result::RowSink>,
}

impl<'a> Ctx<'a> {
    /// A context for one statement.
    pub fn new(
        txn: Txn<'a>,
        env: &'a mut dyn Env,
        params: &'a Params,
        session: &'a Session,
    ) -> Ctx<'a> {
        let now = env.timestamp();
        Ctx {
            txn,
            env,
            params,
            session,
            notifications: Vec::new(),
            now,
            source: "",
            sink: None,
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
        eval::eval(e, &Scope::params(self.params, self.now))
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
