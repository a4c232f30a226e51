//! Users, roles and privileges: CREATE / ALTER / RENAME / DROP USER, ALTER CURRENT USER,
//! CREATE / RENAME / DROP ROLE, GRANT / REVOKE ROLE, and GRANT / DENY / REVOKE of
//! privileges.
//!
//! It owns these statements' grammar. Control-plane privileges are parsed into their
//! action names; graph privileges keep their qualifier text verbatim. It must not decide
//! what a privilege allows (the cluster does).

use super::clauses::{check_or_replace, if_exists, if_not_exists};
use super::names::{name_list, name_or_param, string_or_param};
use super::token::{
    Class, PResult, fail, is_ident_char, keyword, kw_either, opt_kw, opt_sym, semantic, ws,
};
use crate::dialect::ast::{
    Action, AlterCurrentUser, AlterUser, CreateRole, CreateUser, DropNamed, PasswordSpec,
    PrivilegeCommand, PrivilegeScope, PrivilegeVerb, RenameNamed, RoleMembership, Statement,
    UserClauses, UserStatus,
};

/// After `CREATE [OR REPLACE] USER`.
pub fn create_user(input: &str, or_replace: bool) -> PResult<'_, Statement> {
    let (rest, name) = name_or_param(input, Class::UserName)?;
    let (rest, if_not) = if_not_exists(rest)?;
    check_or_replace(rest, or_replace, if_not, "user", &name)?;
    let (rest, clauses) = user_clauses(rest, false)?;
    Ok((
        rest,
        Statement::CreateUser(CreateUser {
            name,
            or_replace,
            if_not_exists: if_not,
            clauses,
        }),
    ))
}

/// After `ALTER USER`.
pub fn alter_user(input: &str) -> PResult<'_, Statement> {
    let (rest, name) = name_or_param(input, Class::UserName)?;
    let (rest, if_exists) = if_exists(rest)?;
    let (rest, clauses) = user_clauses(rest, true)?;
    if clauses == UserClauses::default() {
        let at = ws(rest);
        let _ = keyword(at, "SET");
        let _ = keyword(at, "REMOVE");
        return fail(at);
    }
    Ok((
        rest,
        Statement::AlterUser(AlterUser {
            name,
            if_exists,
            clauses,
        }),
    ))
}

fn user_clauses(input: &str, alter: bool) -> PResult<'_, UserClauses> {
    let mut c = UserClauses::default();
    let mut rest = input;
    loop {
        let at = ws(rest);
        if alter && let (r, true) = opt_kw(at, "REMOVE")? {
            let (r, _) = keyword(r, "HOME")?;
            let (r, _) = keyword(r, "DATABASE")?;
            c.remove_home_database = true;
            rest = r;
            continue;
        }
        let (r, set) = opt_kw(at, "SET")?;
        if !set {
            return Ok((rest, c));
        }
        let dup = |what: &str| semantic::<UserClauses>(at, format!("Duplicate {what} clause"));
        let (r2, encrypted) = opt_kw(r, "ENCRYPTED")?;
        let (r2, plaintext) = if encrypted {
            (r2, false)
        } else {
            opt_kw(r2, "PLAINTEXT")?
        };
        if let (r3, true) = opt_kw(r2, "PASSWORD")? {
            // `SET PASSWORD CHANGE [NOT] REQUIRED` has no password.
            if !encrypted
                && !plaintext
                && let (r4, true) = opt_kw(r3, "CHANGE")?
            {
                if c.change_required.is_some() {
                    return dup("SET PASSWORD CHANGE [NOT] REQUIRED");
                }
                let (r4, req) = change_required_tail(r4)?;
                c.change_required = Some(req);
                rest = r4;
                continue;
            }
            if c.password.is_some() {
                return dup("SET PASSWORD");
            }
            let (r3, password) = string_or_param(r3, Class::String)?;
            c.password = Some(PasswordSpec {
                password,
                encrypted,
            });
            rest = r3;
            if let (r4, true) = opt_kw(rest, "CHANGE")? {
                let (r4, req) = change_required_tail(r4)?;
                c.change_required = Some(req);
                rest = r4;
            }
            continue;
        }
        if encrypted || plaintext {
            let _ = keyword(r2, "PASSWORD")?;
        }
        if let (r3, true) = opt_kw(r, "STATUS")? {
            if c.status.is_some() {
                return dup("SET STATUS");
            }
            let (r3, word) = kw_either(r3, "ACTIVE", "SUSPENDED")?;
            c.status = Some(if word.eq_ignore_ascii_case("ACTIVE") {
                UserStatus::Active
            } else {
                UserStatus::Suspended
            });
            rest = r3;
            continue;
        }
        let (r3, _) = keyword(r, "HOME")?;
        let (r3, _) = keyword(r3, "DATABASE")?;
        if c.home_database.is_some() {
            return dup("SET HOME DATABASE");
        }
        let (r3, db) = name_or_param(r3, Class::DatabaseName)?;
        c.home_database = Some(db);
        rest = r3;
    }
}

/// `[NOT] REQUIRED` after `CHANGE`; true for REQUIRED.
fn change_required_tail(input: &str) -> PResult<'_, bool> {
    let (r, not) = opt_kw(input, "NOT")?;
    let (r, _) = keyword(r, "REQUIRED")?;
    Ok((r, !not))
}

/// After `ALTER CURRENT USER`.
pub fn alter_current_user(input: &str) -> PResult<'_, Statement> {
    let (r, _) = keyword(input, "SET")?;
    let (r, _) = keyword(r, "PASSWORD")?;
    let (r, _) = keyword(r, "FROM")?;
    let (r, old) = string_or_param(r, Class::String)?;
    let (r, _) = keyword(r, "TO")?;
    let (r, new) = string_or_param(r, Class::String)?;
    Ok((
        r,
        Statement::AlterCurrentUser(AlterCurrentUser { old, new }),
    ))
}

/// After `RENAME USER` / `RENAME ROLE`.
pub fn rename(input: &str, user: bool) -> PResult<'_, Statement> {
    let class = if user {
        Class::UserName
    } else {
        Class::RoleName
    };
    let (r, from) = name_or_param(input, class)?;
    let (r, if_exists) = if_exists(r)?;
    let (r, _) = keyword(r, "TO")?;
    let (r, to) = name_or_param(r, class)?;
    let n = RenameNamed {
        from,
        if_exists,
        to,
    };
    Ok((
        r,
        if user {
            Statement::RenameUser(n)
        } else {
            Statement::RenameRole(n)
        },
    ))
}

/// After `DROP USER` / `DROP ROLE`.
pub fn drop_named(input: &str, user: bool) -> PResult<'_, Statement> {
    let class = if user {
        Class::UserName
    } else {
        Class::RoleName
    };
    let (r, name) = name_or_param(input, class)?;
    let (r, if_exists) = if_exists(r)?;
    let n = DropNamed { name, if_exists };
    Ok((
        r,
        if user {
            Statement::DropUser(n)
        } else {
            Statement::DropRole(n)
        },
    ))
}

/// After `CREATE [OR REPLACE] ROLE`.
pub fn create_role(input: &str, or_replace: bool) -> PResult<'_, Statement> {
    let (r, name) = name_or_param(input, Class::RoleName)?;
    let (r, if_not) = if_not_exists(r)?;
    check_or_replace(r, or_replace, if_not, "role", &name)?;
    let (r, copy_of) = match opt_kw(r, "AS")? {
        (r2, true) => {
            let (r2, _) = keyword(r2, "COPY")?;
            let (r2, _) = keyword(r2, "OF")?;
            let (r2, other) = name_or_param(r2, Class::RoleName)?;
            (r2, Some(other))
        }
        (r2, false) => (r2, None),
    };
    Ok((
        r,
        Statement::CreateRole(CreateRole {
            name,
            or_replace,
            if_not_exists: if_not,
            copy_of,
        }),
    ))
}

/// True when `GRANT ROLE ...` / `REVOKE ROLE ...` is role membership rather than the
/// `ROLE MANAGEMENT` privilege.
pub fn is_role_membership(after_verb: &str) -> bool {
    let Ok((r, _)) = kw_either(after_verb, "ROLES", "ROLE") else {
        return false;
    };
    !super::token::peek_word(r).eq_ignore_ascii_case("MANAGEMENT")
}

/// After `GRANT` / `REVOKE` when [`is_role_membership`].
pub fn role_membership(input: &str, grant: bool) -> PResult<'_, Statement> {
    let (r, _) = kw_either(input, "ROLES", "ROLE")?;
    let (r, roles) = name_list(r, Class::RoleName)?;
    let (r, _) = keyword(r, if grant { "TO" } else { "FROM" })?;
    let (r, users) = name_list(r, Class::UserName)?;
    let m = RoleMembership { roles, users };
    Ok((
        r,
        if grant {
            Statement::GrantRole(m)
        } else {
            Statement::RevokeRole(m)
        },
    ))
}

/// Privilege actions as keyword sequences (alternatives separated by `|`), longest first
/// where they share a prefix, with the action name Neo4j lists them under.
const ACTIONS: &[(&[&str], &str)] = &[
    (&["SERVER", "MANAGEMENT"], "SERVER MANAGEMENT"),
    (&["SHOW", "SERVERS|SERVER"], "SHOW SERVERS"),
    (
        &["CREATE", "COMPOSITE", "DATABASE"],
        "CREATE COMPOSITE DATABASE",
    ),
    (
        &["DROP", "COMPOSITE", "DATABASE"],
        "DROP COMPOSITE DATABASE",
    ),
    (
        &["ALTER", "COMPOSITE", "DATABASE"],
        "ALTER COMPOSITE DATABASE",
    ),
    (
        &["COMPOSITE", "DATABASE", "MANAGEMENT"],
        "COMPOSITE DATABASE MANAGEMENT",
    ),
    (&["CREATE", "DATABASE"], "CREATE DATABASE"),
    (&["DROP", "DATABASE"], "DROP DATABASE"),
    (&["ALTER", "DATABASE"], "ALTER DATABASE"),
    (&["SET", "DATABASE", "ACCESS"], "SET DATABASE ACCESS"),
    (
        &["SET", "DATABASE", "DEFAULT", "LANGUAGE"],
        "SET DATABASE DEFAULT LANGUAGE",
    ),
    (&["DATABASE", "MANAGEMENT"], "DATABASE MANAGEMENT"),
    (&["CREATE", "ALIAS"], "CREATE ALIAS"),
    (&["DROP", "ALIAS"], "DROP ALIAS"),
    (&["ALTER", "ALIAS"], "ALTER ALIAS"),
    (&["SHOW", "ALIAS"], "SHOW ALIAS"),
    (&["ALIAS", "MANAGEMENT"], "ALIAS MANAGEMENT"),
    (&["USER", "MANAGEMENT"], "USER MANAGEMENT"),
    (&["ROLE", "MANAGEMENT"], "ROLE MANAGEMENT"),
    (&["PRIVILEGE", "MANAGEMENT"], "PRIVILEGE MANAGEMENT"),
    (&["SHOW", "USER"], "SHOW USER"),
    (&["CREATE", "USER"], "CREATE USER"),
    (&["DROP", "USER"], "DROP USER"),
    (&["ALTER", "USER"], "ALTER USER"),
    (&["RENAME", "USER"], "RENAME USER"),
    (&["SET", "USER", "STATUS"], "SET USER STATUS"),
    (
        &["SET", "USER", "HOME", "DATABASE"],
        "SET USER HOME DATABASE",
    ),
    (&["SET", "PASSWORDS|PASSWORD"], "SET PASSWORDS"),
    (&["SET", "AUTH"], "SET AUTH"),
    (&["SHOW", "ROLE"], "SHOW ROLE"),
    (&["CREATE", "ROLE"], "CREATE ROLE"),
    (&["DROP", "ROLE"], "DROP ROLE"),
    (&["RENAME", "ROLE"], "RENAME ROLE"),
    (&["ASSIGN", "ROLE"], "ASSIGN ROLE"),
    (&["REMOVE", "ROLE"], "REMOVE ROLE"),
    (&["SHOW", "PRIVILEGE"], "SHOW PRIVILEGE"),
    (&["ASSIGN", "PRIVILEGE"], "ASSIGN PRIVILEGE"),
    (&["REMOVE", "PRIVILEGE"], "REMOVE PRIVILEGE"),
    (&["SHOW", "SETTINGS|SETTING"], "SHOW SETTING"),
    (&["SHOW", "TRANSACTIONS|TRANSACTION"], "SHOW TRANSACTION"),
    (
        &["TERMINATE", "TRANSACTIONS|TRANSACTION"],
        "TERMINATE TRANSACTION",
    ),
    (&["TRANSACTION", "MANAGEMENT"], "TRANSACTION MANAGEMENT"),
    (&["SHOW", "INDEXES|INDEX"], "SHOW INDEX"),
    (&["SHOW", "CONSTRAINTS|CONSTRAINT"], "SHOW CONSTRAINT"),
    (
        &["EXECUTE", "ADMIN|ADMINISTRATOR", "PROCEDURES"],
        "EXECUTE ADMIN PROCEDURES",
    ),
    (
        &["EXECUTE", "BOOSTED", "PROCEDURES|PROCEDURE"],
        "EXECUTE BOOSTED PROCEDURE",
    ),
    (&["EXECUTE", "PROCEDURES|PROCEDURE"], "EXECUTE PROCEDURE"),
    (
        &[
            "EXECUTE",
            "BOOSTED",
            "USER",
            "DEFINED",
            "FUNCTIONS|FUNCTION",
        ],
        "EXECUTE BOOSTED FUNCTION",
    ),
    (
        &["EXECUTE", "USER", "DEFINED", "FUNCTIONS|FUNCTION"],
        "EXECUTE FUNCTION",
    ),
    (
        &["EXECUTE", "BOOSTED", "FUNCTIONS|FUNCTION"],
        "EXECUTE BOOSTED FUNCTION",
    ),
    (&["EXECUTE", "FUNCTIONS|FUNCTION"], "EXECUTE FUNCTION"),
    (&["IMPERSONATE"], "IMPERSONATE"),
    (&["ACCESS"], "ACCESS"),
    (&["START"], "START"),
    (&["STOP"], "STOP"),
    (&["INDEX|INDEXES", "MANAGEMENT"], "INDEX MANAGEMENT"),
    (&["CREATE", "INDEX|INDEXES"], "CREATE INDEX"),
    (&["DROP", "INDEX|INDEXES"], "DROP INDEX"),
    (
        &["CONSTRAINT|CONSTRAINTS", "MANAGEMENT"],
        "CONSTRAINT MANAGEMENT",
    ),
    (&["CREATE", "CONSTRAINT|CONSTRAINTS"], "CREATE CONSTRAINT"),
    (&["DROP", "CONSTRAINT|CONSTRAINTS"], "DROP CONSTRAINT"),
    (&["NAME", "MANAGEMENT"], "NAME MANAGEMENT"),
    (
        &["CREATE", "NEW", "NODE|NODES", "LABEL|LABELS"],
        "CREATE NEW NODE LABEL",
    ),
    (
        &["CREATE", "NEW", "RELATIONSHIP|RELATIONSHIPS", "TYPE|TYPES"],
        "CREATE NEW RELATIONSHIP TYPE",
    ),
    (
        &["CREATE", "NEW", "PROPERTY", "NAME|NAMES"],
        "CREATE NEW PROPERTY NAME",
    ),
    (&["TRANSACTION"], "TRANSACTION MANAGEMENT"),
    (&["ALL"], "ALL"),
    (&["TRAVERSE"], "TRAVERSE"),
    (&["READ"], "READ"),
    (&["MATCH"], "MATCH"),
    (&["WRITE"], "WRITE"),
    (&["CREATE"], "CREATE"),
    (&["DELETE"], "DELETE"),
    (&["MERGE"], "MERGE"),
    (&["SET", "LABEL"], "SET LABEL"),
    (&["REMOVE", "LABEL"], "REMOVE LABEL"),
    (&["SET", "PROPERTY"], "SET PROPERTY"),
    (&["LOAD"], "LOAD"),
];

fn action_words<'a>(input: &'a str, words: &[&'static str]) -> PResult<'a, ()> {
    let mut r = input;
    for w in words {
        let mut alts = w.split('|');
        let first = alts.next().unwrap_or_default();
        r = match alts.next() {
            Some(second) => kw_either(r, first, second)?.0,
            None => keyword(r, first)?.0,
        };
    }
    Ok((r, ()))
}

/// Text up to (not including) the first top-level word of `stops`, outside brackets and
/// quotes: a privilege's qualifier (`{name}`, `dbms.cluster.*`, `(alice)`, `NODES A`).
fn raw_until<'a>(input: &'a str, stops: &[&str]) -> (&'a str, &'a str) {
    let i = ws(input);
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (pos, c) in i.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '(' | '{' | '[' => depth += 1,
                ')' | '}' | ']' => depth = depth.saturating_sub(1),
                '`' | '\'' | '"' => quote = Some(c),
                _ if depth == 0 && !is_ident_char(prev) && is_ident_char(c) => {
                    let rest = &i[pos..];
                    let w = super::token::peek_word(rest);
                    if stops.iter().any(|s| w.eq_ignore_ascii_case(s)) {
                        return (rest, i[..pos].trim_end());
                    }
                }
                _ => {}
            },
        }
        prev = c;
    }
    (&i[i.len()..], i.trim_end())
}

/// After `GRANT`, `DENY` or `REVOKE [GRANT|DENY]`.
pub fn privilege(input: &str, verb: PrivilegeVerb) -> PResult<'_, Statement> {
    let (r, immutable) = opt_kw(input, "IMMUTABLE")?;
    let at = ws(r);
    let mut found = None;
    let mut err = None;
    for (words, name) in ACTIONS {
        match action_words(at, words) {
            Ok((r2, ())) => {
                found = Some((r2, *name));
                break;
            }
            Err(nom::Err::Error(e)) => {
                err = Some(match err {
                    None => e,
                    Some(prev) => nom::error::ParseError::or(prev, e),
                })
            }
            Err(e) => return Err(e),
        }
    }
    let Some((r, mut action)) = found else {
        return Err(nom::Err::Error(err.unwrap_or(super::token::PErr {
            rest: at.len(),
            semantic: None,
        })));
    };
    let (r, qualifier) = raw_until(r, &["ON"]);
    let mut qualifier = (!qualifier.is_empty()).then(|| qualifier.to_string());
    let (r, _) = keyword(r, "ON")?;
    let (r, scope) = scope(r)?;
    if action == "ALL" {
        action = match scope {
            PrivilegeScope::Dbms => "ALL DBMS PRIVILEGES",
            _ => "ALL DATABASE PRIVILEGES",
        };
        qualifier = None;
    }
    let to = if matches!(verb, PrivilegeVerb::Grant | PrivilegeVerb::Deny) {
        "TO"
    } else {
        "FROM"
    };
    let (r, segment) = raw_until(r, &[to]);
    if !segment.is_empty() {
        let q = qualifier.get_or_insert_with(String::new);
        if !q.is_empty() {
            q.push(' ');
        }
        q.push_str(segment);
    }
    let (r, _) = keyword(r, to)?;
    let (r, roles) = name_list(r, Class::RoleName)?;
    // Every name in ACTIONS is an `Action`'s; were one not, the statement would be refused
    // rather than mislabelled.
    let Some(action) = Action::from_name(action) else {
        return Err(nom::Err::Error(super::token::PErr {
            rest: at.len(),
            semantic: None,
        }));
    };
    Ok((
        r,
        Statement::Privilege(PrivilegeCommand {
            verb,
            immutable,
            action,
            qualifier,
            scope,
            roles,
        }),
    ))
}

/// `DBMS | HOME DATABASE|GRAPH | DEFAULT DATABASE|GRAPH | DATABASE[S]|GRAPH[S] * | names`.
fn scope(input: &str) -> PResult<'_, PrivilegeScope> {
    if let (r, true) = opt_kw(input, "DBMS")? {
        return Ok((r, PrivilegeScope::Dbms));
    }
    if let (r, true) = opt_kw(input, "HOME")? {
        let (r, _) = kw_either(r, "DATABASE", "GRAPH")?;
        return Ok((r, PrivilegeScope::HomeDatabase));
    }
    if let (r, true) = opt_kw(input, "DEFAULT")? {
        let (r, _) = kw_either(r, "DATABASE", "GRAPH")?;
        return Ok((r, PrivilegeScope::DefaultDatabase));
    }
    let r = match kw_either(input, "DATABASES", "DATABASE") {
        Ok((r, _)) => r,
        Err(nom::Err::Error(e)) => {
            kw_either(input, "GRAPHS", "GRAPH")
                .map_err(|e2| e2.map(|e2| nom::error::ParseError::or(e, e2)))?
                .0
        }
        Err(e) => return Err(e),
    };
    if let (r2, true) = opt_sym(r, "*")? {
        return Ok((r2, PrivilegeScope::AllDatabases));
    }
    let (r, names) = name_list(r, Class::DatabaseName)?;
    Ok((r, PrivilegeScope::Databases(names)))
}
