//! GRANT / DENY / REVOKE of privileges to roles, and SHOW [ROLE x | USER x] PRIVILEGES
//! [AS [REVOKE] COMMANDS] with Neo4j's columns and command strings.
//!
//! It owns how privileges are added, removed and written out. It must not decide whether
//! an action is allowed (`security` does) nor check the caller's privileges (done before
//! any command runs).

use crate::cluster::ctx::Ctx;
use crate::cluster::model::{Grant, PUBLIC, Privilege, Target};
use crate::cluster::show::{self, Clauses, Table};
use crate::dialect::ast::{PrivilegeCommand, PrivilegeListScope, PrivilegeScope, PrivilegeVerb};
use crate::dialect::privilege::{Action, GrantedOn};
use crate::error::{Neo4jError, code};
use crate::result::QueryResult;
use crate::value::Value;

/// Splits the parser's qualifier of a graph privilege into the part before `ON` and the
/// segment after the graph (`{*} NODE *` -> `{*}`, `NODE *`).
fn split_segment(action: Action, qualifier: Option<&str>) -> (Option<String>, Option<String>) {
    let Some(q) = qualifier else {
        return (None, None);
    };
    if !action.is_graph() {
        return (Some(q.to_string()), None);
    }
    let words: Vec<&str> = q.split_whitespace().collect();
    let at = words.iter().position(|w| {
        matches!(
            w.to_ascii_uppercase().as_str(),
            "NODE" | "NODES" | "RELATIONSHIP" | "RELATIONSHIPS" | "ELEMENT" | "ELEMENTS" | "FOR"
        )
    });
    let join = |ws: &[&str]| (!ws.is_empty()).then(|| ws.join(" "));
    match at {
        Some(i) => (join(&words[..i]), join(&words[i..])),
        None => (join(&words), None),
    }
}

fn targets(ctx: &Ctx<'_>, scope: &PrivilegeScope) -> Result<Vec<Target>, Neo4jError> {
    Ok(match scope {
        PrivilegeScope::Dbms => vec![Target::Dbms],
        PrivilegeScope::AllDatabases => vec![Target::AllDatabases],
        PrivilegeScope::HomeDatabase => vec![Target::HomeDatabase],
        PrivilegeScope::DefaultDatabase => vec![Target::DefaultDatabase],
        PrivilegeScope::Databases(names) => names
            .iter()
            .map(|n| {
                ctx.name(n)
                    .map(|s| Target::Database(s.to_ascii_lowercase()))
            })
            .collect::<Result<_, _>>()?,
    })
}

/// `GRANT|DENY|REVOKE [GRANT|DENY] [IMMUTABLE] action ON scope TO|FROM role, ...`.
pub fn privilege(ctx: &mut Ctx<'_>, p: &PrivilegeCommand) -> Result<QueryResult, Neo4jError> {
    let on_dbms = p.scope == PrivilegeScope::Dbms;
    let per_database = p.action.is_per_database();
    let both = p.action.granted_on() == GrantedOn::DbmsOrDatabase;
    if !both && on_dbms == per_database {
        // Neo4j's grammar refuses these; the parser here is more lenient, so say it here.
        let expected = if per_database {
            "DATABASE, GRAPH or HOME"
        } else {
            "DBMS"
        };
        return Err(Neo4jError::new(
            code::SYNTAX_ERROR,
            format!("Invalid scope for {}: expected ON {expected}.", p.action),
        ));
    }
    let (qualifier, segment) = split_segment(p.action, p.qualifier.as_deref());
    let targets = targets(ctx, &p.scope)?;
    let verb = match p.verb {
        PrivilegeVerb::Grant => "grant",
        PrivilegeVerb::Deny => "deny",
        _ => "revoke",
    };
    for role_name in &p.roles {
        let role = ctx.name(role_name)?;
        if !ctx.state().roles.contains_key(&role) {
            let to = if verb == "revoke" { "from" } else { "to" };
            return Err(Neo4jError::new(
                code::INVALID_ARGUMENTS,
                format!(
                    "Failed to {verb} {} privilege {to} role '{role}': Role does not exist.",
                    p.action
                ),
            ));
        }
        let mut list = ctx
            .state()
            .privileges
            .get(&role)
            .cloned()
            .unwrap_or_default();
        for target in &targets {
            let make = |access| Privilege {
                access,
                action: p.action,
                qualifier: qualifier.clone(),
                target: target.clone(),
                segment: segment.clone(),
                immutable: p.immutable,
            };
            let same = |x: &Privilege, access: Grant| {
                x.access == access
                    && x.action == p.action
                    && x.qualifier == qualifier
                    && x.target == *target
                    && x.segment == segment
            };
            match p.verb {
                PrivilegeVerb::Grant | PrivilegeVerb::Deny => {
                    let access = if p.verb == PrivilegeVerb::Grant {
                        Grant::Granted
                    } else {
                        Grant::Denied
                    };
                    // Granting what a role holds already changes nothing (Neo4j notifies).
                    if !list.iter().any(|x| same(x, access)) {
                        list.push(make(access));
                    }
                }
                verb => {
                    let kinds: &[Grant] = match verb {
                        PrivilegeVerb::RevokeGrant => &[Grant::Granted],
                        PrivilegeVerb::RevokeDeny => &[Grant::Denied],
                        _ => &[Grant::Granted, Grant::Denied],
                    };
                    if list
                        .iter()
                        .any(|x| kinds.iter().any(|k| same(x, *k)) && x.immutable)
                    {
                        return Err(Neo4jError::new(
                            code::INVALID_ARGUMENTS,
                            format!(
                                "Failed to revoke {} privilege from role '{role}': Immutable privileges cannot be revoked.",
                                p.action
                            ),
                        ));
                    }
                    list.retain(|x| !kinds.iter().any(|k| same(x, *k)));
                }
            }
        }
        ctx.txn.set_privileges(&role, list);
    }
    Ok(QueryResult::empty())
}

/// The name of a database in a command, backticked when it needs it.
fn quoted(name: &str) -> String {
    if !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
    {
        name.to_string()
    } else {
        format!("`{}`", name.replace('`', "``"))
    }
}

/// A privilege as the command that grants it (`GRANT ACCESS ON HOME DATABASE TO `PUBLIC``),
/// or the one that revokes it. `role` is `None` for `$role` (SHOW USER PRIVILEGES AS COMMANDS).
pub fn command(p: &Privilege, role: Option<&str>, revoke: bool) -> String {
    let mut s = String::new();
    if revoke {
        s.push_str("REVOKE ");
    }
    s.push_str(p.access.verb());
    if p.immutable {
        s.push_str(" IMMUTABLE");
    }
    s.push(' ');
    s.push_str(p.action.name());
    if let Some(q) = &p.qualifier {
        s.push(' ');
        s.push_str(q);
    }
    let word = if p.action.is_graph() {
        "GRAPH"
    } else {
        "DATABASE"
    };
    s.push_str(" ON ");
    match &p.target {
        Target::Dbms => s.push_str("DBMS"),
        Target::AllDatabases => s.push_str(&format!("{word} *")),
        Target::Database(n) => s.push_str(&format!("{word} {}", quoted(n))),
        Target::HomeDatabase => s.push_str(&format!("HOME {word}")),
        Target::DefaultDatabase => s.push_str(&format!("DEFAULT {word}")),
        Target::AllData => s.push_str("ALL DATA"),
    }
    if let Some(seg) = &p.segment {
        s.push(' ');
        s.push_str(seg);
    }
    s.push_str(if revoke { " FROM " } else { " TO " });
    match role {
        Some(r) => s.push_str(&format!("`{}`", r.replace('`', "``"))),
        None => s.push_str("$role"),
    }
    s
}

/// One SHOW PRIVILEGES row: access, action, resource, graph, segment, role, immutable.
fn row(p: &Privilege, role: &str) -> Vec<Value> {
    let graph_action = p.action.is_graph();
    let resource = match (p.action, p.qualifier.as_deref()) {
        (Action::Match | Action::Read, Some("{*}")) => "all_properties".to_string(),
        (Action::Match | Action::Read, Some(q)) => {
            format!("property({})", q.trim_matches(['{', '}']))
        }
        (Action::Load, _) => "all_data".into(),
        _ if graph_action => "graph".into(),
        _ => "database".into(),
    };
    let graph = match &p.target {
        Target::Database(n) => n.clone(),
        Target::HomeDatabase => "HOME".into(),
        Target::DefaultDatabase => "DEFAULT".into(),
        _ => "*".into(),
    };
    let segment = match (&p.segment, p.action) {
        (Some(seg), _) => {
            let mut parts = seg.splitn(2, ' ');
            let kind = parts
                .next()
                .unwrap_or_default()
                .trim_end_matches('S')
                .to_string();
            format!("{}({})", kind, parts.next().unwrap_or("*"))
        }
        (None, Action::ExecuteProcedure | Action::ExecuteAdminProcedures) => {
            format!("PROCEDURE({})", p.qualifier.as_deref().unwrap_or("*"))
        }
        (None, Action::ExecuteFunction) => {
            format!("FUNCTION({})", p.qualifier.as_deref().unwrap_or("*"))
        }
        (None, Action::TransactionManagement | Action::Impersonate) => format!(
            "USER({})",
            p.qualifier
                .as_deref()
                .unwrap_or("(*)")
                .trim_matches(['(', ')'])
        ),
        (None, _) if graph_action => "ELEMENT(*)".into(),
        (None, _) => "database".into(),
    };
    vec![
        Value::str(p.access.as_str()),
        Value::str(p.action.column_name()),
        Value::str(resource),
        Value::str(graph),
        Value::str(segment),
        Value::str(role),
        Value::Bool(p.immutable),
    ]
}

/// The columns of SHOW PRIVILEGES (SHOW USER PRIVILEGES adds `user`).
pub(crate) const COLUMNS: &[&str] = &[
    "access",
    "action",
    "resource",
    "graph",
    "segment",
    "role",
    "immutable",
];

/// `SHOW [ALL] PRIVILEGES`, `SHOW ROLE[S] r PRIVILEGES`, `SHOW USER[S] [u] PRIVILEGES`,
/// optionally `AS [REVOKE] COMMANDS`.
pub fn show(
    ctx: &Ctx<'_>,
    scope: &PrivilegeListScope,
    as_commands: Option<bool>,
    clauses: Clauses<'_>,
) -> Result<QueryResult, Neo4jError> {
    let state = ctx.state();
    // (user, role) pairs whose privileges are listed.
    let mut owners: Vec<(Option<String>, String)> = Vec::new();
    match scope {
        PrivilegeListScope::All => {
            owners.extend(state.roles.keys().map(|r| (None, r.clone())));
        }
        PrivilegeListScope::Roles(names) => {
            for n in names {
                let r = ctx.name(n)?;
                if state.roles.contains_key(&r) {
                    owners.push((None, r));
                }
            }
        }
        PrivilegeListScope::Users(names) => {
            let users: Vec<String> = if names.is_empty() {
                vec![ctx.session.user.clone()]
            } else {
                names
                    .iter()
                    .map(|n| ctx.name(n))
                    .collect::<Result<_, _>>()?
            };
            for u in users {
                if state.users.contains_key(&u) {
                    for r in state.roles_of(&u) {
                        owners.push((Some(u.clone()), r));
                    }
                }
            }
        }
    }
    let user_scope = matches!(scope, PrivilegeListScope::Users(_));
    if let Some(revoke) = as_commands {
        let mut table = Table::new(&["command"]);
        for (user, role) in &owners {
            for p in state.privileges.get(role).into_iter().flatten() {
                let shown_role = if user.is_some() {
                    None
                } else {
                    Some(role.as_str())
                };
                let c = command(p, shown_role, revoke);
                // A user's roles may share privileges; list each command once.
                if !table.rows.iter().any(|r| r[0].as_str() == Some(c.as_str())) {
                    table.rows.push(vec![Value::str(c)]);
                }
            }
        }
        return show::run(table, &["command"], clauses, ctx.params);
    }
    let mut columns = COLUMNS.to_vec();
    if user_scope {
        columns.push("user");
    }
    let mut table = Table::new(&columns);
    for (user, role) in &owners {
        for p in state.privileges.get(role).into_iter().flatten() {
            let mut r = row(p, role);
            if let Some(u) = user {
                r.push(Value::str(u));
            }
            table.rows.push(r);
        }
    }
    let _ = PUBLIC;
    show::run(table, &columns, clauses, ctx.params)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::security::builtin_roles;

    #[test]
    fn builtin_roles_read_as_neo4j_writes_them() {
        let roles = builtin_roles();
        let commands: Vec<String> = roles[0]
            .1
            .iter()
            .map(|p| command(p, Some("PUBLIC"), false))
            .collect();
        assert_eq!(
            commands,
            [
                "GRANT ACCESS ON HOME DATABASE TO `PUBLIC`",
                "GRANT EXECUTE FUNCTION * ON DBMS TO `PUBLIC`",
                "GRANT EXECUTE PROCEDURE * ON DBMS TO `PUBLIC`",
                "GRANT LOAD ON ALL DATA TO `PUBLIC`",
            ]
        );
        let admin = &roles[5].1;
        let commands: Vec<String> = admin
            .iter()
            .map(|p| command(p, Some("admin"), false))
            .collect();
        assert!(commands.contains(&"GRANT ALL DBMS PRIVILEGES ON DBMS TO `admin`".to_string()));
        assert!(commands.contains(&"GRANT MATCH {*} ON GRAPH * NODE * TO `admin`".to_string()));
        assert!(
            commands
                .contains(&"GRANT TRANSACTION MANAGEMENT (*) ON DATABASE * TO `admin`".to_string())
        );
    }

    #[test]
    fn graph_segments_split_from_qualifiers() {
        assert_eq!(
            split_segment(Action::Match, Some("{*} NODE *")),
            (Some("{*}".into()), Some("NODE *".into()))
        );
        assert_eq!(split_segment(Action::Write, None), (None, None));
        assert_eq!(
            split_segment(Action::ExecuteProcedure, Some("dbms.*")),
            (Some("dbms.*".into()), None)
        );
    }
}
