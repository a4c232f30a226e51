//! Who may do what: password hashing, the built-in roles, and the one privilege check every
//! command and procedure goes through before it changes anything.
//!
//! It owns the privilege rules: which action each statement needs (`requirements`), how
//! GRANT and DENY combine (DENY wins; which held action implies which is the hierarchy of
//! `dialect::privilege::Action`), and
//! Neo4j's Forbidden / CredentialsExpired / Unauthorized errors. It must not change state
//! (except `bootstrap`, through the `Txn` it is given) nor know about HTTP or terminals:
//! the embedded shell and `cysh serve` get the same answer because both end here.

use super::ctx::{Ctx, Session};
use super::model::{Grant, PUBLIC, Privilege, Role, State, Target, User};
use super::txn::Txn;
use crate::dialect::ast::{
    DatabaseAlteration, PrivilegeListScope, PrivilegeVerb, ShowKind, Statement,
};
use crate::dialect::privilege::Action;
use crate::error::{Neo4jError, code};
use argon2::Argon2;
use argon2::password_hash::{self, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// `dbms.security.auth_minimum_password_length`'s default.
pub const MIN_PASSWORD_LENGTH: usize = 8;

/// The initial user of a new cluster.
pub const INITIAL_USER: &str = "neo4j";

/// An argon2id PHC string for `password`, with a random 16-byte salt (the cluster's users
/// and `cysh serve`'s users file both hash through here).
pub fn hash_password(password: &str) -> Result<String, password_hash::Error> {
    // uuid's v4 bytes come from the OS random source; 16 bytes is argon2's recommended salt.
    let salt = SaltString::encode_b64(uuid::Uuid::new_v4().as_bytes())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
}

/// A password that could not be hashed, in Neo4j's words for an unexpected failure.
pub fn hashing_failed(e: password_hash::Error) -> Neo4jError {
    Neo4jError::new(code::UNKNOWN_ERROR, e.to_string())
}

/// True when `password` matches the PHC string `hash` (false for any unreadable hash).
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Verifies `password` against a fixed hash made with the same parameters as every
/// hash [`hash_password`] makes, and returns false. A login for an unknown or suspended
/// user calls it, so that it costs as much as a wrong password for a real user: the time
/// of a refusal must not tell which user names exist.
pub fn verify_dummy(password: &str) -> bool {
    static DUMMY: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let hash = DUMMY.get_or_init(|| hash_password("cysh: no such user").ok());
    if let Some(hash) = hash {
        let _ = verify_password(hash, password);
    }
    false
}

/// True for a PHC string argon2 can read (what `SET ENCRYPTED PASSWORD` accepts).
pub fn is_phc_hash(text: &str) -> bool {
    text.starts_with("$argon2") && PasswordHash::new(text).is_ok()
}

/// Neo4j's message for a missing or denied privilege (reference §4.7, recorded on 2026.09).
pub fn forbidden(action: &str) -> Neo4jError {
    Neo4jError::new(
        code::FORBIDDEN,
        format!(
            "Permission has not been granted for {action}. Try executing SHOW USER PRIVILEGES to \
             determine the missing or denied privileges. In case of missing privileges, they need \
             to be granted (See GRANT). In case of denied privileges, they need to be revoked (See \
             REVOKE) and granted."
        ),
    )
}

/// Neo4j's answer to any statement but a password change while one is required
/// (`SecurityAuthorizationHandler.generateCredentialsExpiredMessage` over "Permission denied.").
pub fn credentials_expired() -> Neo4jError {
    Neo4jError::new(
        code::CREDENTIALS_EXPIRED,
        "Permission denied.\n\nThe credentials you provided were valid, but must be changed before \
         you can use this instance. If this is the first time you are using Neo4j, this is to \
         ensure you are not using the default credentials in production. If you are not using \
         default credentials, you are getting this message because an administrator requires a \
         password change.\nTo change your password, issue an `ALTER CURRENT USER SET PASSWORD FROM \
         'current password' TO 'new password'` statement against the system database.",
    )
}

/// Neo4j's answer to a failed login (unknown user, wrong password, suspended user).
pub fn unauthorized() -> Neo4jError {
    Neo4jError::new(
        code::UNAUTHORIZED,
        "The client is unauthorized due to authentication failure.",
    )
}

/// Checks a login: the user exists, is not suspended and has a password that matches.
/// Deliberately says nothing about which of these failed.
pub fn authenticate(state: &State, user: &str, password: &str) -> Result<(), Neo4jError> {
    match state.users.get(user) {
        Some(u) if !u.suspended => match &u.password_hash {
            Some(h) if verify_password(h, password) => Ok(()),
            _ => Err(unauthorized()),
        },
        _ => Err(unauthorized()),
    }
}

/// True when a privilege on `target` covers `database` (`None`: a DBMS-wide action).
fn covers(state: &State, user: Option<&User>, target: &Target, database: Option<&str>) -> bool {
    let Some(db) = database else {
        return *target == Target::Dbms;
    };
    match target {
        Target::Dbms | Target::AllDatabases => true,
        Target::Database(name) => name == db,
        Target::HomeDatabase => home_of(state, user) == db,
        Target::DefaultDatabase => state.settings.default_database == db,
        Target::AllData => false,
    }
}

/// A user's home database: their own, else the DBMS default.
pub fn home_of<'a>(state: &'a State, user: Option<&'a User>) -> &'a str {
    user.and_then(|u| u.home.as_deref())
        .unwrap_or(&state.settings.default_database)
}

/// Every privilege a user holds through their roles (PUBLIC included).
fn held<'a>(state: &'a State, user: &str) -> impl Iterator<Item = &'a Privilege> {
    state
        .roles_of(user)
        .into_iter()
        .filter_map(|r| state.privileges.get(&r))
        .flatten()
        .collect::<Vec<_>>()
        .into_iter()
}

/// True when `user` may perform `action` (on `database` for per-database actions): some
/// role grants it and none denies it.
pub fn allowed(state: &State, user: &str, action: Action, database: Option<&str>) -> bool {
    let u = state.users.get(user);
    let mut granted = false;
    for p in held(state, user) {
        if p.action.implies(action) && covers(state, u, &p.target, database) {
            match p.access {
                Grant::Denied => return false,
                Grant::Granted => granted = true,
            }
        }
    }
    granted
}

/// True when `user` may run as `target` (the Query API's `impersonatedUser`): `target`
/// exists and some role grants IMPERSONATE on all users or on `target` by name, and none
/// denies it. Impersonating oneself needs no privilege.
pub fn may_impersonate(state: &State, user: &str, target: &str) -> bool {
    if !state.users.contains_key(target) {
        return false;
    }
    if user == target {
        return true;
    }
    let names = |p: &Privilege| -> bool {
        match p
            .qualifier
            .as_deref()
            .map(|q| q.trim().trim_matches(['(', ')']))
        {
            None | Some("*") => true,
            Some(list) => list
                .split(',')
                .map(|n| n.trim().trim_matches('`'))
                .any(|n| n == target),
        }
    };
    let mut granted = false;
    for p in held(state, user) {
        if p.action.implies(Action::Impersonate) && (p.action != Action::Impersonate || names(p)) {
            match p.access {
                Grant::Denied => return false,
                Grant::Granted => granted = true,
            }
        }
    }
    granted
}

/// Checks that `user` may impersonate `target` ([`may_impersonate`]); Neo4j's Forbidden
/// otherwise.
pub fn impersonate(state: &State, user: &str, target: &str) -> Result<(), Neo4jError> {
    if may_impersonate(state, user, target) {
        Ok(())
    } else {
        Err(cannot_impersonate(target))
    }
}

/// Neo4j's refusal of an impersonation the user may not do (cypher-shell prints it on
/// `:impersonate`; reference cypher-shell.md).
pub fn cannot_impersonate(target: &str) -> Neo4jError {
    Neo4jError::new(
        code::FORBIDDEN,
        format!("Cannot impersonate user '{target}'"),
    )
}

/// Neo4j's refusal of a write made while impersonating
/// (`AuthorizationViolationException.updatesWhenImpersonating`).
pub fn updates_when_impersonating() -> Neo4jError {
    Neo4jError::new(
        code::FORBIDDEN,
        "Not allowed to run updating system commands when impersonating a user.",
    )
}

/// Fails with Neo4j's Forbidden unless the session's user may perform `action`.
pub fn require(ctx: &Ctx<'_>, action: Action, database: Option<&str>) -> Result<(), Neo4jError> {
    if allowed(ctx.state(), &ctx.session.user, action, database) {
        Ok(())
    } else {
        Err(forbidden(display_action(action)))
    }
}

/// The action as the Forbidden message names it.
fn display_action(action: Action) -> &'static str {
    match action {
        Action::Start => "START DATABASE",
        Action::Stop => "STOP DATABASE",
        other => other.name(),
    }
}

/// The privilege a procedure needs (reference §1.5 and §5.1), or none. `sim.*` are cysh's
/// own: a process joining or leaving is server management, so they need SERVER MANAGEMENT.
pub fn procedure_privileges(name: &str) -> &'static [Action] {
    match name {
        "dbms.cluster.cordonServer"
        | "dbms.cluster.uncordonServer"
        | "dbms.cluster.deallocateDatabaseFromServer"
        | "dbms.cluster.deallocateDatabaseFromServers"
        | "dbms.cluster.deallocateNumberOfDatabases"
        | "dbms.cluster.reallocateDatabase"
        | "dbms.cluster.reallocateNumberOfDatabases"
        | "dbms.cluster.setAutomaticallyEnableFreeServers"
        | "sim.addServer"
        | "sim.stopServer"
        | "sim.startServer" => &[Action::ServerManagement],
        "dbms.recreateDatabase" | "dbms.cluster.recreateDatabase" => {
            &[Action::CreateDatabase, Action::DropDatabase]
        }
        "dbms.setDefaultAllocationNumbers"
        | "dbms.setDefaultDatabase"
        | "dbms.showTopologyGraphConfig" => &[Action::ExecuteAdminProcedures],
        _ => &[],
    }
}

/// One privilege a statement needs: the action, and the database for per-database ones.
type Need = (Action, Option<String>);

/// The privileges a statement needs, in the order Neo4j checks them.
fn requirements(ctx: &Ctx<'_>, statement: &Statement) -> Result<Vec<Need>, Neo4jError> {
    let dbms = |a: Action| (a, None);
    let db_name = |n| ctx.name(n).map(|s| s.to_ascii_lowercase());
    Ok(match statement {
        Statement::CreateDatabase(c) if c.or_replace => {
            vec![dbms(Action::CreateDatabase), dbms(Action::DropDatabase)]
        }
        Statement::CreateDatabase(_) => vec![dbms(Action::CreateDatabase)],
        Statement::CreateCompositeDatabase(c) if c.or_replace => vec![
            dbms(Action::CreateCompositeDatabase),
            dbms(Action::DropCompositeDatabase),
        ],
        Statement::CreateCompositeDatabase(_) => vec![dbms(Action::CreateCompositeDatabase)],
        Statement::AlterDatabase(a) => {
            let name = db_name(&a.name)?;
            let only = |f: fn(&DatabaseAlteration) -> bool| {
                !a.alterations.is_empty() && a.alterations.iter().all(f)
            };
            let action = if only(|x| matches!(x, DatabaseAlteration::Access(_))) {
                Action::SetDatabaseAccess
            } else if only(|x| matches!(x, DatabaseAlteration::DefaultLanguage(_))) {
                Action::SetDatabaseDefaultLanguage
            } else {
                Action::AlterDatabase
            };
            vec![(action, Some(name))]
        }
        Statement::DropDatabase(d) => {
            let mut v = vec![dbms(if d.composite {
                Action::DropCompositeDatabase
            } else {
                Action::DropDatabase
            })];
            if d.cascade_aliases {
                v.push(dbms(Action::DropAlias));
            }
            v
        }
        Statement::StartDatabase(s) => vec![(Action::Start, Some(db_name(&s.name)?))],
        Statement::StopDatabase(s) => vec![(Action::Stop, Some(db_name(&s.name)?))],
        Statement::EnableServer(_)
        | Statement::AlterServer(_)
        | Statement::RenameServer(_)
        | Statement::DropServer(_)
        | Statement::DeallocateDatabases(_)
        | Statement::ReallocateDatabases(_) => vec![dbms(Action::ServerManagement)],
        Statement::CreateAlias(c) if c.or_replace => {
            vec![dbms(Action::CreateAlias), dbms(Action::DropAlias)]
        }
        Statement::CreateAlias(_) => vec![dbms(Action::CreateAlias)],
        Statement::AlterAlias(_) => vec![dbms(Action::AlterAlias)],
        Statement::DropAlias(_) => vec![dbms(Action::DropAlias)],
        Statement::CreateUser(c) if c.or_replace => {
            vec![dbms(Action::CreateUser), dbms(Action::DropUser)]
        }
        Statement::CreateUser(_) => vec![dbms(Action::CreateUser)],
        Statement::AlterUser(a) => {
            let c = &a.clauses;
            let mut v = Vec::new();
            if c.password.is_some() || c.change_required.is_some() {
                v.push(dbms(Action::SetPasswords));
            }
            if c.status.is_some() {
                v.push(dbms(Action::SetUserStatus));
            }
            if c.home_database.is_some() || c.remove_home_database {
                v.push(dbms(Action::SetUserHomeDatabase));
            }
            if v.is_empty() {
                v.push(dbms(Action::AlterUser));
            }
            v
        }
        Statement::AlterCurrentUser(_) => Vec::new(),
        Statement::RenameUser(_) => vec![dbms(Action::RenameUser)],
        Statement::DropUser(_) => vec![dbms(Action::DropUser)],
        Statement::CreateRole(c) if c.or_replace => {
            vec![dbms(Action::CreateRole), dbms(Action::DropRole)]
        }
        Statement::CreateRole(_) => vec![dbms(Action::CreateRole)],
        Statement::RenameRole(_) => vec![dbms(Action::RenameRole)],
        Statement::DropRole(_) => vec![dbms(Action::DropRole)],
        Statement::GrantRole(_) => vec![dbms(Action::AssignRole)],
        Statement::RevokeRole(_) => vec![dbms(Action::RemoveRole)],
        Statement::Privilege(p) => match p.verb {
            PrivilegeVerb::Grant | PrivilegeVerb::Deny => vec![dbms(Action::AssignPrivilege)],
            _ => vec![dbms(Action::RemovePrivilege)],
        },
        Statement::Show(show) => match &show.kind {
            ShowKind::Servers => vec![dbms(Action::ShowServers)],
            ShowKind::Aliases(_) => vec![dbms(Action::ShowAlias)],
            ShowKind::Users => vec![dbms(Action::ShowUser)],
            ShowKind::Roles { with_users, .. } => {
                let mut v = vec![dbms(Action::ShowRole)];
                if *with_users {
                    v.push(dbms(Action::ShowUser));
                }
                v
            }
            ShowKind::Privileges { scope, .. } => match scope {
                // Anyone may list their own privileges.
                PrivilegeListScope::Users(names)
                    if names.is_empty()
                        || names
                            .iter()
                            .all(|n| ctx.name(n).is_ok_and(|n| n == ctx.session.user)) =>
                {
                    Vec::new()
                }
                PrivilegeListScope::Users(_) => {
                    vec![dbms(Action::ShowPrivilege), dbms(Action::ShowUser)]
                }
                _ => vec![dbms(Action::ShowPrivilege)],
            },
            // SHOW DATABASES filters what it shows instead; SHOW CURRENT USER and SHOW
            // PROCEDURES are for everyone.
            _ => Vec::new(),
        },
        Statement::Call(call) => procedure_privileges(&call.procedure)
            .iter()
            .map(|a| dbms(*a))
            .collect(),
        Statement::Cypher
        | Statement::Query(_)
        | Statement::Schema(_)
        | Statement::TerminateTransactions => Vec::new(),
    })
}

/// The check at the top of every statement, before anything changes: the session's user
/// is active, has no pending password change (unless this is that change), and holds every
/// privilege the statement needs.
pub fn check(ctx: &Ctx<'_>, statement: &Statement) -> Result<(), Neo4jError> {
    let Some(user) = ctx.state().users.get(&ctx.session.user) else {
        // A session whose user was dropped or renamed is over, as on a server.
        return Err(unauthorized());
    };
    if user.suspended {
        return Err(unauthorized());
    }
    if user.change_required {
        return match statement {
            Statement::AlterCurrentUser(_) => Ok(()),
            _ => Err(credentials_expired()),
        };
    }
    for (action, database) in requirements(ctx, statement)? {
        require(ctx, action, database.as_deref())?;
    }
    Ok(())
}

/// A privilege as the built-in roles hold it.
fn builtin(
    action: Action,
    qualifier: Option<&str>,
    target: Target,
    segment: Option<&str>,
) -> Privilege {
    Privilege {
        access: Grant::Granted,
        action,
        qualifier: qualifier.map(str::to_string),
        target,
        segment: segment.map(str::to_string),
        immutable: false,
    }
}

/// The built-in roles and their privileges (reference §5.2), each role extending the one
/// before it from `reader` to `admin`.
pub fn builtin_roles() -> Vec<(&'static str, Vec<Privilege>)> {
    use Target::{AllData, AllDatabases, Dbms, HomeDatabase};
    let public = vec![
        builtin(Action::Access, None, HomeDatabase, None),
        builtin(Action::ExecuteFunction, Some("*"), Dbms, None),
        builtin(Action::ExecuteProcedure, Some("*"), Dbms, None),
        builtin(Action::Load, None, AllData, None),
    ];
    let reader = vec![
        builtin(Action::Access, None, AllDatabases, None),
        builtin(Action::Match, Some("{*}"), AllDatabases, Some("NODE *")),
        builtin(
            Action::Match,
            Some("{*}"),
            AllDatabases,
            Some("RELATIONSHIP *"),
        ),
        builtin(Action::ShowConstraint, None, AllDatabases, None),
        builtin(Action::ShowIndex, None, AllDatabases, None),
    ];
    let mut editor = reader.clone();
    editor.push(builtin(Action::Write, None, AllDatabases, None));
    let mut publisher = editor.clone();
    publisher.push(builtin(Action::NameManagement, None, AllDatabases, None));
    let mut architect = publisher.clone();
    architect.push(builtin(
        Action::ConstraintManagement,
        None,
        AllDatabases,
        None,
    ));
    architect.push(builtin(Action::IndexManagement, None, AllDatabases, None));
    let mut admin = architect.clone();
    admin.extend([
        builtin(Action::AllDbmsPrivileges, None, Dbms, None),
        builtin(Action::Load, None, AllData, None),
        builtin(Action::Start, None, AllDatabases, None),
        builtin(Action::Stop, None, AllDatabases, None),
        builtin(
            Action::TransactionManagement,
            Some("(*)"),
            AllDatabases,
            None,
        ),
    ]);
    vec![
        (PUBLIC, public),
        ("reader", reader),
        ("editor", editor),
        ("publisher", publisher),
        ("architect", architect),
        ("admin", admin),
    ]
}

/// Sets up the system database's security part when it has none: the built-in roles with
/// their privileges and the initial user `neo4j` with role `admin`. The initial user has no
/// password (embedded, the machine's user runs as `neo4j` without logging in) until one is
/// set with ALTER USER or ALTER CURRENT USER.
pub fn bootstrap(txn: &mut Txn<'_>) {
    if !txn.state.roles.is_empty() {
        return;
    }
    for (name, privileges) in builtin_roles() {
        txn.upsert_role(Role {
            name: name.to_string(),
            immutable: name == PUBLIC,
        });
        txn.set_privileges(name, privileges);
    }
    if !txn.state.users.contains_key(INITIAL_USER) {
        txn.upsert_user(User {
            name: INITIAL_USER.to_string(),
            password_hash: None,
            change_required: false,
            suspended: false,
            home: None,
        });
    }
    txn.set_role_members("admin", vec![INITIAL_USER.to_string()]);
}

/// True when the session's user may see `database` in SHOW DATABASES (reference §2.2):
/// `system` always; otherwise ACCESS to it, or a privilege to manage databases of its kind.
pub fn may_see(state: &State, session: &Session, database: &str, composite: bool) -> bool {
    if database == "system" {
        return true;
    }
    let user = session.user.as_str();
    let can = |a: Action| allowed(state, user, a, Some(database));
    let kind_actions: &[Action] = if composite {
        &[
            Action::CreateCompositeDatabase,
            Action::DropCompositeDatabase,
            Action::AlterCompositeDatabase,
        ]
    } else {
        &[
            Action::CreateDatabase,
            Action::DropDatabase,
            Action::AlterDatabase,
            Action::SetDatabaseAccess,
        ]
    };
    can(Action::Access) || kind_actions.iter().any(|a| can(*a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("secret123").unwrap();
        assert!(h.starts_with("$argon2"));
        assert!(verify_password(&h, "secret123"));
        assert!(!verify_password(&h, "secret124"));
        assert!(!verify_password("not a hash", "secret123"));
        assert!(is_phc_hash(&h));
        assert!(!is_phc_hash("1,abc,def"));
    }

    #[test]
    fn forbidden_names_the_action() {
        let e = forbidden("CREATE DATABASE");
        assert_eq!(e.code, "Neo.ClientError.Security.Forbidden");
        assert!(e.message.starts_with("Permission has not been granted for CREATE DATABASE. Try executing SHOW USER PRIVILEGES"));
    }

    #[test]
    fn impersonation_follows_grants_names_and_denials() {
        use crate::cluster::{Cluster, Config};
        let mut c = Cluster::new(Config::default()).unwrap();
        for text in [
            "CREATE USER alice SET PASSWORD 'secret123'",
            "CREATE USER bob SET PASSWORD 'secret123'",
            "CREATE USER carol SET PASSWORD 'secret123'",
            "CREATE USER dave SET PASSWORD 'secret123'",
            "CREATE ROLE some",
            "GRANT IMPERSONATE (alice, `bob`) ON DBMS TO some",
            "GRANT ROLE some TO carol",
            "CREATE ROLE every",
            "GRANT IMPERSONATE (*) ON DBMS TO every",
            "DENY IMPERSONATE (bob) ON DBMS TO every",
            "GRANT ROLE every TO dave",
        ] {
            let statement = crate::dialect::parse(text).unwrap();
            c.execute(&statement, &Default::default(), &Session::default())
                .unwrap_or_else(|e| panic!("{text}: {}", e.message));
        }
        let state = c.state();
        assert!(may_impersonate(state, "carol", "alice"));
        assert!(
            may_impersonate(state, "carol", "bob"),
            "backticks are names"
        );
        assert!(!may_impersonate(state, "carol", "dave"));
        assert!(may_impersonate(state, "dave", "alice"));
        assert!(!may_impersonate(state, "dave", "bob"), "a denial wins");
        assert!(may_impersonate(state, "neo4j", "alice"), "admin holds it");
        assert!(may_impersonate(state, "alice", "alice"), "oneself");
        assert!(
            !may_impersonate(state, "neo4j", "nobody"),
            "only users that exist"
        );
    }
}
