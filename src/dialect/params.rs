//! Parameters of a parsed statement: which `$name`s it uses, with the type the grammar
//! needs at each place, and the check of a session's parameter map against them before
//! anything is executed.
//!
//! It owns the "missing parameter" and "wrong type" errors. It must not evaluate
//! expressions beyond looking values up (see `dialect::eval`).

use super::Params;
use super::ast::visit::{Visitor, walk_expr};
use super::ast::*;
use crate::error::{Neo4jError, Position, code};
use crate::value::Value;

/// The type the grammar requires of a parameter where it appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// A name or string (database, alias, user, role and server names, URLs, passwords).
    String,
    /// An integer (topology counts).
    Integer,
    /// A map (OPTIONS, PROPERTIES, DRIVER).
    Map,
    /// Any value (expressions: procedure arguments, WHERE).
    Any,
}

impl ParamType {
    fn name(self) -> &'static str {
        match self {
            ParamType::String => "STRING",
            ParamType::Integer => "INTEGER",
            ParamType::Map => "MAP",
            ParamType::Any => "ANY",
        }
    }

    fn accepts(self, v: &Value) -> bool {
        match self {
            ParamType::String => matches!(v, Value::String(_)),
            ParamType::Integer => matches!(v, Value::Int(_)),
            ParamType::Map => matches!(v, Value::Map(_)),
            ParamType::Any => true,
        }
    }
}

/// Every parameter of `stmt` in order of appearance, with the type needed there.
pub fn collect(stmt: &Statement) -> Vec<(Param, ParamType)> {
    let mut c = Collector(Vec::new());
    c.statement(stmt);
    c.0
}

/// Checks `params` against what `stmt` uses: a missing parameter is
/// `Neo.ClientError.Statement.ParameterMissing` ("Expected parameter(s): a, b"); a value
/// of the wrong type where the grammar needs a string, an integer or a map is
/// `Neo.ClientError.Statement.TypeError` naming the parameter and both types. Errors carry
/// the position of the first offending `$` within `text` when given.
pub fn check(stmt: &Statement, params: &Params) -> Result<(), Neo4jError> {
    check_in(stmt, params, None)
}

/// [`check`], with positions computed in the statement `text`.
pub fn check_in(stmt: &Statement, params: &Params, text: Option<&str>) -> Result<(), Neo4jError> {
    check_used(&collect(stmt), params, text)
}

/// [`check_in`] of the parameters a statement uses, as [`collect`] lists them: what
/// `cysh check` keeps of a statement parsed ahead of the `:param` lines before it.
pub fn check_used(
    used: &[(Param, ParamType)],
    params: &Params,
    text: Option<&str>,
) -> Result<(), Neo4jError> {
    let at = |p: &Param| text.map(|t| Position::of_byte(t, p.offset));
    let mut missing: Vec<&Param> = Vec::new();
    for (p, _) in used {
        if !params.contains_key(&p.name) && !missing.iter().any(|m| m.name == p.name) {
            missing.push(p);
        }
    }
    if let Some(first) = missing.first() {
        let names: Vec<&str> = missing.iter().map(|p| p.name.as_str()).collect();
        let mut e = Neo4jError::new(
            code::PARAMETER_MISSING,
            format!("Expected parameter(s): {}", names.join(", ")),
        );
        e.position = at(first);
        return Err(e);
    }
    for (p, ty) in used {
        let Some(v) = params.get(&p.name) else {
            continue;
        };
        if !ty.accepts(v) {
            let mut e = Neo4jError::new(
                code::TYPE_ERROR,
                format!(
                    "Type mismatch for parameter `{}`: expected {} but was {} ({v})",
                    p.name,
                    ty.name(),
                    v.type_name()
                ),
            );
            e.position = at(p);
            return Err(e);
        }
    }
    Ok(())
}

struct Collector(Vec<(Param, ParamType)>);

impl Visitor for Collector {
    fn visit_expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Param(p) => self.push(p, ParamType::Any),
            _ => walk_expr(self, e),
        }
    }
}

impl Collector {
    fn push(&mut self, p: &Param, t: ParamType) {
        self.0.push((p.clone(), t));
    }

    fn name(&mut self, n: &NameOrParam) {
        if let NameOrParam::Param(p) = n {
            self.push(p, ParamType::String);
        }
    }

    fn names(&mut self, ns: &[NameOrParam]) {
        ns.iter().for_each(|n| self.name(n));
    }

    fn string(&mut self, s: &StringOrParam) {
        if let StringOrParam::Param(p) = s {
            self.push(p, ParamType::String);
        }
    }

    fn int(&mut self, i: &IntOrParam) {
        if let IntOrParam::Param(p) = i {
            self.push(p, ParamType::Integer);
        }
    }

    fn map(&mut self, m: &MapOrParam) {
        match m {
            MapOrParam::Param(p) => self.push(p, ParamType::Map),
            MapOrParam::Literal(entries) => entries.iter().for_each(|(_, e)| self.expr(e)),
        }
    }

    fn topology(&mut self, t: &Topology) {
        t.primaries.iter().for_each(|i| self.int(i));
        t.secondaries.iter().for_each(|i| self.int(i));
    }

    fn expr(&mut self, e: &Expr) {
        self.visit_expr(e);
    }

    fn tail(&mut self, t: &OrderSkipLimit) {
        t.order_by.iter().for_each(|s| self.expr(&s.expr));
        t.skip.iter().for_each(|e| self.expr(e));
        t.limit.iter().for_each(|e| self.expr(e));
    }

    fn projection(&mut self, y: Option<&Yield>, r: Option<&Return>) {
        if let Some(y) = y {
            y.items.iter().flatten().for_each(|i| self.expr(&i.expr));
            self.tail(&y.tail);
            y.where_.iter().for_each(|e| self.expr(e));
        }
        if let Some(r) = r {
            r.items.iter().flatten().for_each(|i| self.expr(&i.expr));
            self.tail(&r.tail);
        }
    }

    fn statement(&mut self, s: &Statement) {
        match s {
            Statement::CreateDatabase(c) => {
                self.name(&c.name);
                c.topology.iter().for_each(|t| self.topology(t));
                if let Some(shards) = &c.shards {
                    shards.graph.iter().for_each(|t| self.topology(t));
                    shards.property_replicas.iter().for_each(|n| self.int(n));
                }
                c.options.iter().for_each(|m| self.map(m));
            }
            Statement::CreateCompositeDatabase(c) => {
                self.name(&c.name);
                c.options.iter().for_each(|m| self.map(m));
            }
            Statement::AlterDatabase(a) => {
                self.name(&a.name);
                for alt in &a.alterations {
                    match alt {
                        DatabaseAlteration::Topology(t) | DatabaseAlteration::GraphShard(t) => {
                            self.topology(t)
                        }
                        DatabaseAlteration::PropertyShards(n) => self.int(n),
                        DatabaseAlteration::SetOption(_, e) => self.expr(e),
                        _ => {}
                    }
                }
            }
            Statement::DropDatabase(d) => self.name(&d.name),
            Statement::StartDatabase(s) | Statement::StopDatabase(s) => self.name(&s.name),
            Statement::Show(show) => {
                match &show.kind {
                    ShowKind::Databases(Some(n)) | ShowKind::Aliases(Some(n)) => self.name(n),
                    ShowKind::Privileges { scope, .. } => match scope {
                        PrivilegeListScope::Roles(ns) | PrivilegeListScope::Users(ns) => {
                            self.names(ns)
                        }
                        PrivilegeListScope::All => {}
                    },
                    _ => {}
                }
                show.where_.iter().for_each(|e| self.expr(e));
                self.projection(show.yield_.as_ref(), show.return_.as_ref());
            }
            Statement::EnableServer(e) => {
                self.string(&e.server);
                e.options.iter().for_each(|m| self.map(m));
            }
            Statement::AlterServer(a) => {
                self.string(&a.server);
                self.map(&a.options);
            }
            Statement::RenameServer(r) => {
                self.string(&r.server);
                self.string(&r.new_name);
            }
            Statement::DropServer(s) => self.string(s),
            Statement::DeallocateDatabases(d) => d.servers.iter().for_each(|s| self.string(s)),
            Statement::ReallocateDatabases(_)
            | Statement::Cypher
            | Statement::TerminateTransactions => {}
            Statement::Query(q) => self.visit_query(q),
            Statement::Schema(_) => {}
            Statement::CreateAlias(c) => {
                self.name(&c.name);
                self.name(&c.target);
                if let Some(r) = &c.remote {
                    self.string(&r.url);
                    self.name(&r.user);
                    self.string(&r.password);
                    r.driver.iter().for_each(|m| self.map(m));
                }
                c.properties.iter().for_each(|m| self.map(m));
            }
            Statement::AlterAlias(a) => {
                self.name(&a.name);
                a.target.iter().for_each(|n| self.name(n));
                a.url.iter().for_each(|s| self.string(s));
                a.user.iter().for_each(|n| self.name(n));
                a.password.iter().for_each(|s| self.string(s));
                a.driver.iter().for_each(|m| self.map(m));
                a.properties.iter().for_each(|m| self.map(m));
            }
            Statement::DropAlias(d) => self.name(&d.name),
            Statement::CreateUser(c) => {
                self.name(&c.name);
                self.user_clauses(&c.clauses);
            }
            Statement::AlterUser(a) => {
                self.name(&a.name);
                self.user_clauses(&a.clauses);
            }
            Statement::AlterCurrentUser(a) => {
                self.string(&a.old);
                self.string(&a.new);
            }
            Statement::RenameUser(r) | Statement::RenameRole(r) => {
                self.name(&r.from);
                self.name(&r.to);
            }
            Statement::DropUser(d) | Statement::DropRole(d) => self.name(&d.name),
            Statement::CreateRole(c) => {
                self.name(&c.name);
                c.copy_of.iter().for_each(|n| self.name(n));
            }
            Statement::GrantRole(m) | Statement::RevokeRole(m) => {
                self.names(&m.roles);
                self.names(&m.users);
            }
            Statement::Privilege(p) => {
                if let PrivilegeScope::Databases(ns) = &p.scope {
                    self.names(ns);
                }
                self.names(&p.roles);
            }
            Statement::Call(c) => {
                c.args.iter().flatten().for_each(|e| self.expr(e));
                self.projection(c.yield_.as_ref(), c.return_.as_ref());
            }
        }
    }

    fn user_clauses(&mut self, c: &UserClauses) {
        c.password.iter().for_each(|p| self.string(&p.password));
        c.home_database.iter().for_each(|n| self.name(n));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::parse;

    const SEED: &str = "CREATE DATABASE $dbname TOPOLOGY $primary PRIMARIES $secondary SECONDARIES";

    fn params(pairs: &[(&str, Value)]) -> Params {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn seed_parameters_pass() {
        let stmt = parse(SEED).unwrap();
        let p = params(&[
            ("dbname", Value::str("foo")),
            ("primary", Value::Int(3)),
            ("secondary", Value::Int(2)),
        ]);
        assert!(check(&stmt, &p).is_ok());
    }

    #[test]
    fn missing_parameter_is_named() {
        let stmt = parse(SEED).unwrap();
        let p = params(&[("dbname", Value::str("foo")), ("primary", Value::Int(3))]);
        let e = check(&stmt, &p).unwrap_err();
        assert_eq!(e.code, code::PARAMETER_MISSING);
        assert_eq!(e.message, "Expected parameter(s): secondary");
    }

    #[test]
    fn string_count_is_a_type_error() {
        let stmt = parse(SEED).unwrap();
        let p = params(&[
            ("dbname", Value::str("foo")),
            ("primary", Value::str("3")),
            ("secondary", Value::Int(2)),
        ]);
        let e = check(&stmt, &p).unwrap_err();
        assert_eq!(e.code, code::TYPE_ERROR);
        assert!(e.message.contains("`primary`"), "{}", e.message);
    }
}
