//! The commands: one file per statement family, all running against a `Ctx`
//! (`cluster::ctx`: the statement's transaction, environment, parameters and session), and
//! `execute`, which dispatches a statement to its family.
//!
//! They own the rules of each command (preconditions, refusals, notifications). They must
//! not place copies themselves (the allocator does) nor mutate state except through
//! `ctx.txn`.

pub mod aliases;
pub mod call;
pub mod databases;
pub mod privileges;
pub mod reallocate;
pub mod servers;
pub mod show_databases;
pub mod show_servers;
pub mod users;

use super::ctx::Ctx;
use super::messages;
use crate::dialect::ast::{ShowKind, Statement};
use crate::error::{Neo4jError, code};
use crate::result::QueryResult;

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
                now: ctx.now,
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
                    Statement::Show(Box::new(crate::dialect::ast::Show {
                        kind: other.clone(),
                        yield_: None,
                        where_: None,
                        return_: None,
                    }))
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
        Statement::Call(call) => call::call(ctx, call),
        Statement::Query(q) => super::query::run(ctx, q),
        Statement::Cypher | Statement::Schema(_) | Statement::TerminateTransactions => Err(
            Neo4jError::new(code::NOT_SUPPORTED, messages::GENERAL_CYPHER),
        ),
    }
}

/// Every column a SHOW command can yield, in Neo4j's order: what YIELD, WHERE, ORDER BY
/// and RETURN may name (tab completion offers them).
pub fn show_columns(kind: &ShowKind) -> Vec<&'static str> {
    match kind {
        ShowKind::Databases(_) | ShowKind::DefaultDatabase | ShowKind::HomeDatabase => {
            show_databases::COLUMNS.to_vec()
        }
        ShowKind::Servers => show_servers::COLUMNS.to_vec(),
        ShowKind::Aliases(_) => aliases::COLUMNS.to_vec(),
        ShowKind::Procedures => super::procedures::COLUMNS.to_vec(),
        ShowKind::Users | ShowKind::CurrentUser => users::USER_COLUMNS.to_vec(),
        ShowKind::Roles { with_users, .. } => {
            if *with_users {
                vec!["role", "member"]
            } else {
                vec!["role"]
            }
        }
        ShowKind::Privileges { scope, as_commands } => match (as_commands, scope) {
            (Some(_), _) => vec!["command"],
            (None, crate::dialect::ast::PrivilegeListScope::Users(_)) => {
                let mut c = privileges::COLUMNS.to_vec();
                c.push("user");
                c
            }
            (None, _) => privileges::COLUMNS.to_vec(),
        },
        // The columns of SHOW FUNCTIONS on a real Neo4j (the catalogue's fields).
        ShowKind::Functions => vec![
            "name",
            "category",
            "description",
            "signature",
            "isBuiltIn",
            "argumentDescription",
            "returnDescription",
            "aggregating",
            "rolesExecution",
            "rolesBoostedExecution",
            "isDeprecated",
            "deprecatedBy",
        ],
        ShowKind::Indexes
        | ShowKind::Constraints
        | ShowKind::Transactions
        | ShowKind::Settings
        | ShowKind::SupportedPrivileges => Vec::new(),
    }
}
