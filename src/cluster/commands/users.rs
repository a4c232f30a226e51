//! Users and roles in the system database: CREATE / ALTER / RENAME / DROP USER, ALTER
//! CURRENT USER, CREATE / RENAME / DROP ROLE [AS COPY OF], GRANT / REVOKE ROLE, and SHOW
//! USERS / CURRENT USER / ROLES with Neo4j's columns.
//!
//! It owns the rules of these commands (existence, reserved names, password length, what
//! a user may not do to themselves). It must not check privileges (`security::check` has
//! done that before any command runs) and must never put a password, or its hash, in a
//! result or an error.

use crate::cluster::ctx::Ctx;
use crate::cluster::model::{PUBLIC, Role, User};
use crate::cluster::security::{self, MIN_PASSWORD_LENGTH};
use crate::cluster::show::{self, Clauses, Table};
use crate::dialect::ast::{
    AlterCurrentUser, AlterUser, CreateRole, CreateUser, DropNamed, NameOrParam, PasswordSpec,
    RenameNamed, RoleMembership, UserClauses, UserStatus,
};
use crate::error::{Neo4jError, code};
use crate::result::QueryResult;
use crate::value::Value;

fn invalid(message: String) -> Neo4jError {
    Neo4jError::new(code::INVALID_ARGUMENTS, message)
}

/// The hash to store for a password clause: a plaintext password is checked for length and
/// hashed with argon2; an ENCRYPTED one must already be an argon2 PHC string.
fn password_hash(ctx: &Ctx<'_>, spec: &PasswordSpec) -> Result<String, Neo4jError> {
    let text = ctx.string(&spec.password)?;
    if spec.encrypted {
        if security::is_phc_hash(&text) {
            return Ok(text);
        }
        return Err(invalid(
            "Incorrect format of encrypted password. Correct format is an argon2id PHC string \
             ('$argon2id$v=19$...')."
                .into(),
        ));
    }
    check_length(&text)?;
    security::hash_password(&text).map_err(security::hashing_failed)
}

fn check_length(password: &str) -> Result<(), Neo4jError> {
    if password.chars().count() < MIN_PASSWORD_LENGTH {
        return Err(invalid(format!(
            "A password must be at least {MIN_PASSWORD_LENGTH} characters."
        )));
    }
    Ok(())
}

fn home(ctx: &Ctx<'_>, clauses: &UserClauses) -> Result<Option<Option<String>>, Neo4jError> {
    if clauses.remove_home_database {
        return Ok(Some(None));
    }
    clauses
        .home_database
        .as_ref()
        .map(|n| ctx.name(n).map(|s| Some(s.to_ascii_lowercase())))
        .transpose()
}

/// Neo4j refuses an empty user name (`CREATE USER \`\``) before anything else.
fn not_empty_user(name: &str) -> Result<(), Neo4jError> {
    if name.is_empty() {
        return Err(invalid("The provided username is empty.".to_string()));
    }
    Ok(())
}

/// Neo4j refuses an empty role name before anything else.
fn not_empty_role(name: &str) -> Result<(), Neo4jError> {
    if name.is_empty() {
        return Err(invalid("The provided role name is empty.".to_string()));
    }
    Ok(())
}

/// `CREATE [OR REPLACE] USER name [IF NOT EXISTS] ...`.
pub fn create_user(ctx: &mut Ctx<'_>, c: &CreateUser) -> Result<QueryResult, Neo4jError> {
    let name = ctx.name(&c.name)?;
    not_empty_user(&name)?;
    let exists = ctx.state().users.contains_key(&name);
    if exists && c.if_not_exists {
        return Ok(QueryResult::empty());
    }
    if exists && !c.or_replace {
        return Err(invalid(format!(
            "Failed to create the specified user '{name}': User already exists."
        )));
    }
    if exists && name == ctx.session.user {
        return Err(invalid(format!(
            "Failed to replace the specified user '{name}': Deleting yourself is not allowed."
        )));
    }
    let Some(spec) = &c.clauses.password else {
        return Err(invalid(format!(
            "Failed to create the specified user '{name}': A password must be set (SET PASSWORD)."
        )));
    };
    let user = User {
        name: name.clone(),
        password_hash: Some(password_hash(ctx, spec)?),
        // Neo4j's default for a new user: the password must be changed at first login.
        change_required: c.clauses.change_required.unwrap_or(true),
        suspended: c.clauses.status == Some(UserStatus::Suspended),
        home: home(ctx, &c.clauses)?.flatten(),
    };
    if exists {
        // OR REPLACE: the old user goes with its roles.
        ctx.txn.delete_user(&name);
    }
    ctx.txn.upsert_user(user);
    Ok(QueryResult::empty())
}

/// `ALTER USER name [IF EXISTS] ...`.
pub fn alter_user(ctx: &mut Ctx<'_>, a: &AlterUser) -> Result<QueryResult, Neo4jError> {
    let name = ctx.name(&a.name)?;
    let Some(mut user) = ctx.state().users.get(&name).cloned() else {
        if a.if_exists {
            return Ok(QueryResult::empty());
        }
        return Err(invalid(format!(
            "Failed to alter the specified user '{name}': User does not exist."
        )));
    };
    let c = &a.clauses;
    if let Some(status) = c.status {
        if name == ctx.session.user {
            return Err(invalid(format!(
                "Failed to alter the specified user '{name}': Changing your own activation status is not allowed."
            )));
        }
        user.suspended = status == UserStatus::Suspended;
    }
    if let Some(spec) = &c.password {
        if !spec.encrypted {
            let new = ctx.string(&spec.password)?;
            if user
                .password_hash
                .as_deref()
                .is_some_and(|h| security::verify_password(h, &new))
            {
                return Err(invalid(format!(
                    "Failed to alter the specified user '{name}': Old password and new password cannot be the same."
                )));
            }
        }
        user.password_hash = Some(password_hash(ctx, spec)?);
    }
    if let Some(required) = c.change_required {
        user.change_required = required;
    }
    if let Some(home) = home(ctx, c)? {
        user.home = home;
    }
    ctx.txn.upsert_user(user);
    Ok(QueryResult::empty())
}

/// `ALTER CURRENT USER SET PASSWORD FROM 'old' TO 'new'`: the one statement a user whose
/// password must change may run; it clears `passwordChangeRequired`.
pub fn alter_current_user(
    ctx: &mut Ctx<'_>,
    a: &AlterCurrentUser,
) -> Result<QueryResult, Neo4jError> {
    let name = ctx.session.user.clone();
    let (old, new) = (ctx.string(&a.old)?, ctx.string(&a.new)?);
    let Some(mut user) = ctx.state().users.get(&name).cloned() else {
        return Err(security::unauthorized());
    };
    let fail = |why: &str| {
        invalid(format!(
            "User '{name}' failed to alter their own password: {why}"
        ))
    };
    // A user without a password (the embedded initial user) sets the first one from ''.
    let old_ok = match &user.password_hash {
        Some(h) => security::verify_password(h, &old),
        None => old.is_empty(),
    };
    if !old_ok {
        return Err(fail("Invalid principal or credentials."));
    }
    if old == new {
        return Err(fail("Old password and new password cannot be the same."));
    }
    check_length(&new).map_err(|e| fail(&e.message))?;
    user.password_hash = Some(security::hash_password(&new).map_err(security::hashing_failed)?);
    user.change_required = false;
    ctx.txn.upsert_user(user);
    Ok(QueryResult::empty())
}

/// `RENAME USER a [IF EXISTS] TO b`.
pub fn rename_user(ctx: &mut Ctx<'_>, r: &RenameNamed) -> Result<QueryResult, Neo4jError> {
    let (from, to) = (ctx.name(&r.from)?, ctx.name(&r.to)?);
    not_empty_user(&to)?;
    let fail = |why: String| {
        invalid(format!(
            "Failed to rename the specified user '{from}' to '{to}': {why}"
        ))
    };
    let Some(user) = ctx.state().users.get(&from).cloned() else {
        if r.if_exists {
            return Ok(QueryResult::empty());
        }
        return Err(fail(format!("The user '{from}' does not exist.")));
    };
    if ctx.state().users.contains_key(&to) {
        return Err(fail(format!("User '{to}' already exists.")));
    }
    if from == ctx.session.user {
        return Err(fail("Renaming yourself is not allowed.".into()));
    }
    let roles: Vec<String> = ctx
        .state()
        .roles_of(&from)
        .into_iter()
        .filter(|r| r != PUBLIC)
        .collect();
    ctx.txn.delete_user(&from);
    ctx.txn.upsert_user(User {
        name: to.clone(),
        ..user
    });
    for role in roles {
        add_member(ctx, &role, &to);
    }
    Ok(QueryResult::empty())
}

/// `DROP USER name [IF EXISTS]`.
pub fn drop_user(ctx: &mut Ctx<'_>, d: &DropNamed) -> Result<QueryResult, Neo4jError> {
    let name = ctx.name(&d.name)?;
    if !ctx.state().users.contains_key(&name) {
        if d.if_exists {
            return Ok(QueryResult::empty());
        }
        return Err(invalid(format!(
            "Failed to delete the specified user '{name}': User does not exist."
        )));
    }
    if name == ctx.session.user {
        return Err(invalid(format!(
            "Failed to delete the specified user '{name}': Deleting yourself is not allowed."
        )));
    }
    ctx.txn.delete_user(&name);
    Ok(QueryResult::empty())
}

fn add_member(ctx: &mut Ctx<'_>, role: &str, user: &str) {
    let mut members = ctx
        .state()
        .role_members
        .get(role)
        .cloned()
        .unwrap_or_default();
    members.push(user.to_string());
    ctx.txn.set_role_members(role, members);
}

/// `CREATE [OR REPLACE] ROLE name [IF NOT EXISTS] [AS COPY OF other]`.
pub fn create_role(ctx: &mut Ctx<'_>, c: &CreateRole) -> Result<QueryResult, Neo4jError> {
    let name = ctx.name(&c.name)?;
    not_empty_role(&name)?;
    if name == PUBLIC {
        return Err(invalid(format!(
            "Failed to create the specified role '{name}': '{PUBLIC}' is a reserved role."
        )));
    }
    let exists = ctx.state().roles.contains_key(&name);
    if exists && c.if_not_exists {
        return Ok(QueryResult::empty());
    }
    if exists && !c.or_replace {
        return Err(invalid(format!(
            "Failed to create the specified role '{name}': Role already exists."
        )));
    }
    let privileges = match &c.copy_of {
        None => Vec::new(),
        Some(from) => {
            let from = ctx.name(from)?;
            if !ctx.state().roles.contains_key(&from) {
                return Err(invalid(format!(
                    "Failed to create a role as copy of '{from}': Role does not exist."
                )));
            }
            // A copy takes the privileges, not the members (Neo4j's rule).
            ctx.state()
                .privileges
                .get(&from)
                .cloned()
                .unwrap_or_default()
        }
    };
    if exists {
        ctx.txn.delete_role(&name);
    }
    ctx.txn.upsert_role(Role {
        name: name.clone(),
        immutable: false,
    });
    ctx.txn.set_privileges(&name, privileges);
    Ok(QueryResult::empty())
}

/// `RENAME ROLE a [IF EXISTS] TO b`: members and privileges follow the role.
pub fn rename_role(ctx: &mut Ctx<'_>, r: &RenameNamed) -> Result<QueryResult, Neo4jError> {
    let (from, to) = (ctx.name(&r.from)?, ctx.name(&r.to)?);
    not_empty_role(&to)?;
    let fail = |why: String| {
        invalid(format!(
            "Failed to rename the specified role '{from}' to '{to}': {why}"
        ))
    };
    if from == PUBLIC || to == PUBLIC {
        return Err(fail(format!("'{PUBLIC}' is a reserved role.")));
    }
    if !ctx.state().roles.contains_key(&from) {
        if r.if_exists {
            return Ok(QueryResult::empty());
        }
        return Err(fail(format!("The role '{from}' does not exist.")));
    }
    if ctx.state().roles.contains_key(&to) {
        return Err(fail(format!("Role '{to}' already exists.")));
    }
    let members = ctx
        .state()
        .role_members
        .get(&from)
        .cloned()
        .unwrap_or_default();
    let privileges = ctx
        .state()
        .privileges
        .get(&from)
        .cloned()
        .unwrap_or_default();
    ctx.txn.delete_role(&from);
    ctx.txn.upsert_role(Role {
        name: to.clone(),
        immutable: false,
    });
    ctx.txn.set_role_members(&to, members);
    ctx.txn.set_privileges(&to, privileges);
    Ok(QueryResult::empty())
}

/// `DROP ROLE name [IF EXISTS]`.
pub fn drop_role(ctx: &mut Ctx<'_>, d: &DropNamed) -> Result<QueryResult, Neo4jError> {
    let name = ctx.name(&d.name)?;
    match ctx.state().roles.get(&name) {
        None if d.if_exists => Ok(QueryResult::empty()),
        None => Err(invalid(format!(
            "Failed to delete the specified role '{name}': Role does not exist."
        ))),
        Some(r) if r.immutable => Err(invalid(format!(
            "Failed to delete the specified role '{name}': '{PUBLIC}' is a reserved role and cannot be dropped."
        ))),
        Some(_) => {
            ctx.txn.delete_role(&name);
            Ok(QueryResult::empty())
        }
    }
}

fn names(ctx: &Ctx<'_>, list: &[NameOrParam]) -> Result<Vec<String>, Neo4jError> {
    list.iter().map(|n| ctx.name(n)).collect()
}

/// `GRANT ROLE[S] r, ... TO u, ...` (granting a role a user has is a no-op).
pub fn grant_role(ctx: &mut Ctx<'_>, m: &RoleMembership) -> Result<QueryResult, Neo4jError> {
    let (roles, users) = (names(ctx, &m.roles)?, names(ctx, &m.users)?);
    for role in &roles {
        for user in &users {
            let fail = |why: &str| {
                invalid(format!(
                    "Failed to grant role '{role}' to user '{user}': {why}"
                ))
            };
            if role == PUBLIC {
                // Everyone has PUBLIC already.
                continue;
            }
            if !ctx.state().roles.contains_key(role) {
                return Err(fail("Role does not exist."));
            }
            if !ctx.state().users.contains_key(user) {
                return Err(fail("User does not exist."));
            }
            add_member(ctx, role, user);
        }
    }
    Ok(QueryResult::empty())
}

/// `REVOKE ROLE[S] r, ... FROM u, ...`.
pub fn revoke_role(ctx: &mut Ctx<'_>, m: &RoleMembership) -> Result<QueryResult, Neo4jError> {
    let (roles, users) = (names(ctx, &m.roles)?, names(ctx, &m.users)?);
    for role in &roles {
        for user in &users {
            let fail = |why: &str| {
                invalid(format!(
                    "Failed to revoke role '{role}' from user '{user}': {why}"
                ))
            };
            if role == PUBLIC {
                return Err(fail("'PUBLIC' is a reserved role and cannot be revoked."));
            }
            if !ctx.state().roles.contains_key(role) {
                return Err(fail("Role does not exist."));
            }
            if !ctx.state().users.contains_key(user) {
                return Err(fail("User does not exist."));
            }
            let members: Vec<String> = ctx
                .state()
                .role_members
                .get(role)
                .map(|m| m.iter().filter(|u| *u != user).cloned().collect())
                .unwrap_or_default();
            ctx.txn.set_role_members(role, members);
        }
    }
    Ok(QueryResult::empty())
}

/// The columns of SHOW USERS.
pub(crate) const USER_COLUMNS: &[&str] = &[
    "user",
    "roles",
    "passwordChangeRequired",
    "suspended",
    "home",
];

fn user_row(ctx: &Ctx<'_>, u: &User) -> Vec<Value> {
    vec![
        Value::str(&u.name),
        Value::str_list(ctx.state().roles_of(&u.name)),
        Value::Bool(u.change_required),
        Value::Bool(u.suspended),
        u.home.as_ref().map_or(Value::Null, Value::str),
    ]
}

/// `SHOW USERS` (sorted by name) or `SHOW CURRENT USER`.
pub fn show_users(
    ctx: &Ctx<'_>,
    current_only: bool,
    clauses: Clauses<'_>,
) -> Result<QueryResult, Neo4jError> {
    let mut table = Table::new(USER_COLUMNS);
    for u in ctx.state().users.values() {
        if !current_only || u.name == ctx.session.user {
            table.rows.push(user_row(ctx, u));
        }
    }
    show::run(table, USER_COLUMNS, clauses, ctx.params)
}

/// `SHOW [ALL|POPULATED] ROLES [WITH USERS]`: one row per role, or per role and member.
pub fn show_roles(
    ctx: &Ctx<'_>,
    populated: bool,
    with_users: bool,
    clauses: Clauses<'_>,
) -> Result<QueryResult, Neo4jError> {
    let state = ctx.state();
    let columns: &[&str] = if with_users {
        &["role", "member"]
    } else {
        &["role"]
    };
    let mut table = Table::new(columns);
    for role in state.roles.keys() {
        let members: Vec<String> = if role == PUBLIC {
            state.users.keys().cloned().collect()
        } else {
            state.role_members.get(role).cloned().unwrap_or_default()
        };
        if populated && members.is_empty() {
            continue;
        }
        if !with_users {
            table.rows.push(vec![Value::str(role)]);
        } else if members.is_empty() {
            table.rows.push(vec![Value::str(role), Value::Null]);
        } else {
            for m in members {
                table.rows.push(vec![Value::str(role), Value::str(m)]);
            }
        }
    }
    show::run(table, columns, clauses, ctx.params)
}
