//! GRANT / DENY / REVOKE: role membership (`GRANT ROLE r TO u`) and privileges — every
//! privilege form of Neo4j's grammar (ALL, CREATE, DROP, LOAD, SHOW, SET, REMOVE, WRITE,
//! database and DBMS privileges, EXECUTE, graph privileges with property and element
//! qualifiers) with their scopes.
//!
//! It owns these commands' grammar and the action name each privilege is listed under
//! (`SERVER MANAGEMENT`, `CREATE DATABASE`, ...). Qualifiers (procedure globs, property
//! sets, segments) are kept as written. It must not decide what a privilege allows.

use super::expected::{self, Hint, Item};
use super::expr::{expression, map_literal};
use super::names::{alias_names, at_name, command_names, string_or_param, symbolic_name, variable};
use super::parser::{Frame, PResult, Parser};
use crate::dialect::ast::*;
use crate::dialect::lexer::{Kw, Tok};

/// GRANT, DENY or REVOKE (the verb is current).
pub fn access_control(p: &mut Parser<'_>) -> PResult<Statement> {
    let verb = match p.bump().kind {
        Tok::Kw(Kw::Grant) => PrivilegeVerb::Grant,
        Tok::Kw(Kw::Deny) => PrivilegeVerb::Deny,
        _ => PrivilegeVerb::Revoke,
    };
    let verb = if verb == PrivilegeVerb::Revoke {
        if p.eat_kw(Kw::Grant) {
            PrivilegeVerb::RevokeGrant
        } else if p.eat_kw(Kw::Deny) {
            PrivilegeVerb::RevokeDeny
        } else {
            verb
        }
    } else {
        verb
    };
    let membership_possible = matches!(verb, PrivilegeVerb::Grant | PrivilegeVerb::Revoke)
        && matches!(p.peek(), Tok::Kw(Kw::Role | Kw::Roles));
    if membership_possible {
        return p.either(|p| role_membership(p, verb), |p| privilege(p, verb));
    }
    if matches!(verb, PrivilegeVerb::Grant | PrivilegeVerb::Revoke) {
        p.record(Item::kw(Kw::Role));
        p.record(Item::kw(Kw::Roles));
    }
    // Neo4j chooses between a privilege and role membership here: a word that starts
    // neither is reported with both lists.
    if !at_privilege_start(p) {
        // After GRANT or REVOKE, Neo4j fails in the rule that chooses between role
        // membership and a privilege, whose list has IMMUTABLE; after DENY (or REVOKE
        // GRANT/DENY) it has passed the optional IMMUTABLE and fails in the privilege.
        if matches!(verb, PrivilegeVerb::Grant | PrivilegeVerb::Revoke) {
            p.record(Item::kw(Kw::Immutable));
        }
        record_privilege_start(p);
        return p.fail();
    }
    privilege(p, verb)
}

/// `ROLE[S] r, ... TO|FROM u, ...`.
fn role_membership(p: &mut Parser<'_>, verb: PrivilegeVerb) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        p.bump();
        let roles = command_names(p, Hint::Role)?;
        let grant = verb == PrivilegeVerb::Grant;
        p.expect_kw(if grant { Kw::To } else { Kw::From })?;
        let users = command_names(p, Hint::User)?;
        let m = RoleMembership { roles, users };
        Ok(if grant {
            Statement::GrantRole(m)
        } else {
            Statement::RevokeRole(m)
        })
    })
}

/// What a privilege applies to: the action name and the scope grammar after ON.
struct ActionSpec {
    name: &'static str,
    scope: ScopeKind,
}

/// The graph privileges that take a qualifier (`NODES A`, `FOR (n) WHERE ...`) after
/// their graph scope.
const QUALIFIED: &[&str] = &[
    "TRAVERSE",
    "READ",
    "MATCH",
    "DELETE",
    "MERGE",
    "CREATE",
    "SET PROPERTY",
];

/// Those that may end in `(*)`.
const STAR_IN_PARENS: &[&str] = &["TRAVERSE", "READ", "MATCH"];

/// Which scope grammar follows ON.
#[derive(Clone, Copy, PartialEq)]
enum ScopeKind {
    Dbms,
    Database,
    Graph,
    /// `ALL ... PRIVILEGES ON` any target.
    All,
    /// `LOAD ON URL|CIDR x | ALL DATA`.
    Load,
}

/// `[IMMUTABLE] privilege TO|FROM roles`.
fn privilege(p: &mut Parser<'_>, verb: PrivilegeVerb) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        let immutable = p.eat_kw(Kw::Immutable);
        p.take_qualifier();
        let mut action = action(p)?;
        if action.scope == ScopeKind::Dbms {
            p.expect_seq(expected::ON_DBMS)?;
        } else {
            p.expect_kw(Kw::On)?;
        }
        let scope = scope(p, action.scope)?;
        let qualifier_before = p.take_qualifier();
        if action.name == "ALL" {
            action.name = if scope == PrivilegeScope::Dbms {
                "ALL DBMS PRIVILEGES"
            } else {
                "ALL DATABASE PRIVILEGES"
            };
        }
        let seg_start = p.pos();
        if action.scope == ScopeKind::Graph && QUALIFIED.contains(&action.name) {
            graph_qualifier(p)?;
            if STAR_IN_PARENS.contains(&action.name) {
                if p.peek() == Tok::LParen {
                    p.bump();
                    p.expect(Tok::Times)?;
                    p.expect(Tok::RParen)?;
                } else {
                    p.record(Item::tok(Tok::LParen));
                }
            }
        }
        let segment = p.tokens_text_between(seg_start, p.pos());
        let to = matches!(verb, PrivilegeVerb::Grant | PrivilegeVerb::Deny);
        p.expect_kw(if to { Kw::To } else { Kw::From })?;
        let roles = command_names(p, Hint::Role)?;
        let qualifier = match (qualifier_before, segment.is_empty()) {
            (Some(q), true) => Some(q),
            (Some(q), false) => Some(format!("{q} {segment}")),
            (None, false) => Some(segment),
            (None, true) => None,
        };
        // Every name this grammar produces is an `Action`'s (the unit test below walks
        // them); were one not, the statement is refused rather than mislabelled: the
        // semantic error fails the parse, so the placeholder never escapes.
        let known = Action::from_name(action.name).unwrap_or_else(|| {
            let at = p.statement_start();
            p.semantic_error(at, format!("Unsupported privilege '{}'", action.name));
            Action::AllDbmsPrivileges
        });
        Ok(Statement::Privilege(PrivilegeCommand {
            verb,
            immutable,
            action: known,
            qualifier: if action.name.starts_with("ALL ") {
                None
            } else {
                qualifier
            },
            scope,
            roles,
        }))
    })
}

fn index_token(p: &mut Parser<'_>) -> bool {
    p.eat_kw(Kw::Index) || p.eat_kw(Kw::Indexes)
}

fn constraint_token(p: &mut Parser<'_>) -> bool {
    p.eat_kw(Kw::Constraint) || p.eat_kw(Kw::Constraints)
}

fn transaction_token(p: &mut Parser<'_>) -> bool {
    p.eat_kw(Kw::Transaction) || p.eat_kw(Kw::Transactions)
}

/// `ALIAS | [COMPOSITE] DATABASE | ROLE | USER` after CREATE / DROP (then ON DBMS).
fn action_for_dbms(p: &mut Parser<'_>, create: bool) -> PResult<Option<&'static str>> {
    Ok(Some(if p.eat_kw(Kw::Alias) {
        if create { "CREATE ALIAS" } else { "DROP ALIAS" }
    } else if p.eat_kw(Kw::Composite) {
        p.expect_kw(Kw::Database)?;
        if create {
            "CREATE COMPOSITE DATABASE"
        } else {
            "DROP COMPOSITE DATABASE"
        }
    } else if p.eat_kw(Kw::Database) {
        if create {
            "CREATE DATABASE"
        } else {
            "DROP DATABASE"
        }
    } else if p.eat_kw(Kw::Role) {
        if create { "CREATE ROLE" } else { "DROP ROLE" }
    } else if p.eat_kw(Kw::User) {
        if create { "CREATE USER" } else { "DROP USER" }
    } else {
        return Ok(None);
    }))
}

/// `(* | user, ...)` after TRANSACTION, TERMINATE TRANSACTION, SHOW TRANSACTION or
/// IMPERSONATE, kept as the qualifier.
fn user_qualifier(p: &mut Parser<'_>) -> PResult<()> {
    if p.peek() != Tok::LParen {
        p.record(Item::tok(Tok::LParen));
        return Ok(());
    }
    let start = p.pos();
    p.bump();
    if !p.eat(Tok::Times) {
        command_names(p, Hint::User)?;
    }
    p.expect(Tok::RParen)?;
    let text = p.tokens_text_between(start, p.pos());
    p.set_qualifier(text);
    Ok(())
}

/// `glob, glob, ...` of EXECUTE and SHOW SETTING, kept as the qualifier.
fn globs(p: &mut Parser<'_>) -> PResult<()> {
    let start = p.pos();
    glob(p)?;
    while p.eat(Tok::Comma) {
        glob(p)?;
    }
    let text = p.tokens_text_between(start, p.pos());
    p.set_qualifier(text);
    Ok(())
}

/// One glob: dotted parts of names, `*` and `?`; each part fully quoted or not at all.
fn glob(p: &mut Parser<'_>) -> PResult<()> {
    let mut any = false;
    loop {
        let escaped = p.peek() == Tok::Escaped;
        match p.peek() {
            Tok::Dot => {
                p.bump();
                if p.peek() == Tok::Escaped {
                    p.bump();
                }
            }
            Tok::Question | Tok::Times | Tok::Ident | Tok::Kw(_) | Tok::Escaped => {
                let at = p.offset();
                p.bump();
                // A quoted part directly followed by an unquoted one (or the reverse)
                // mixes quoting inside one part.
                let next_glued = matches!(
                    p.peek(),
                    Tok::Question | Tok::Times | Tok::Ident | Tok::Kw(_) | Tok::Escaped
                ) && p.cur().start == p.prev_end();
                if next_glued && (escaped || p.peek() == Tok::Escaped) {
                    p.semantic_error(
                        at,
                        "Each part of the glob (a block of text up until a dot) must either be \
                         fully escaped or not escaped at all.",
                    );
                }
            }
            _ => {
                // An ON taken as a part just before the end may also have been the ON of
                // ON DBMS.
                if p.peek() == Tok::Eof
                    && p.pos() > 0
                    && p.token_at(p.pos() - 1).kind == Tok::Kw(Kw::On)
                {
                    p.record(Item::kw(Kw::Dbms));
                }
                // Another part may always follow (ANTLR skips the space between them).
                p.record(Item::rule(expected::Rule::Identifier));
                p.record(Item::tok(Tok::Times));
                p.record(Item::tok(Tok::Question));
                p.record(Item::tok(Tok::Dot));
                return if any { Ok(()) } else { p.fail() };
            }
        }
        any = true;
        // ON is also a part: Neo4j reads on to the end to choose, so the glob stops at
        // an ON (not glued to it) only where `ON DBMS TO|FROM roles` ends the statement.
        if p.peek() == Tok::Kw(Kw::On) && p.cur().start != p.prev_end() && on_dbms_ends(p) {
            return Ok(());
        }
        if p.peek() == Tok::Comma {
            return Ok(());
        }
    }
}

/// True when the tokens from the current one are `ON DBMS TO|FROM` and a list of names
/// or parameters, then the end.
fn on_dbms_ends(p: &Parser<'_>) -> bool {
    if p.nth(1) != Tok::Kw(Kw::Dbms) || !matches!(p.nth(2), Tok::Kw(Kw::To | Kw::From)) {
        return false;
    }
    let mut k = 3;
    loop {
        match p.nth(k) {
            Tok::Ident | Tok::Kw(_) | Tok::Escaped => k += 1,
            Tok::Dollar if matches!(p.nth(k + 1), Tok::Ident | Tok::Kw(_) | Tok::Escaped) => k += 2,
            _ => return false,
        }
        match p.nth(k) {
            Tok::Comma => k += 1,
            Tok::Eof => return true,
            _ => return false,
        }
    }
}

/// The action before ON, and which scope follows.
fn action(p: &mut Parser<'_>) -> PResult<ActionSpec> {
    use ScopeKind::*;
    let a = |name, scope| Ok(ActionSpec { name, scope });
    let Tok::Kw(k) = p.peek() else {
        record_privilege_start(p);
        return p.fail();
    };
    match k {
        Kw::All => {
            p.bump();
            if p.eat_kw(Kw::Database) || p.eat_kw(Kw::Graph) || p.eat_kw(Kw::Dbms) {
                p.expect_kw(Kw::Privileges)?;
            } else {
                p.eat_kw(Kw::Privileges);
            }
            a("ALL", All)
        }
        Kw::Create => {
            p.bump();
            if index_token(p) {
                return a("CREATE INDEX", Database);
            }
            if constraint_token(p) {
                return a("CREATE CONSTRAINT", Database);
            }
            if p.eat_kw(Kw::New) {
                if p.eat_kw(Kw::Node) || p.at_kw(Kw::Label) || p.at_kw(Kw::Labels) {
                    if !(p.eat_kw(Kw::Label) || p.eat_kw(Kw::Labels)) {
                        return p.fail();
                    }
                    return a("CREATE NEW NODE LABEL", Database);
                }
                if p.eat_kw(Kw::Relationship) || p.at_kw(Kw::Type) || p.at_kw(Kw::Types) {
                    if !(p.eat_kw(Kw::Type) || p.eat_kw(Kw::Types)) {
                        return p.fail();
                    }
                    return a("CREATE NEW RELATIONSHIP TYPE", Database);
                }
                p.eat_kw(Kw::Property);
                if !(p.eat_kw(Kw::Name) || p.eat_kw(Kw::Names)) {
                    return p.fail();
                }
                return a("CREATE NEW PROPERTY NAME", Database);
            }
            if let Some(name) = action_for_dbms(p, true)? {
                return a(name, Dbms);
            }
            if p.at_kw(Kw::On) {
                return a("CREATE", Graph);
            }
            p.fail()
        }
        Kw::Drop => {
            p.bump();
            if index_token(p) {
                return a("DROP INDEX", Database);
            }
            if constraint_token(p) {
                return a("DROP CONSTRAINT", Database);
            }
            if let Some(name) = action_for_dbms(p, false)? {
                return a(name, Dbms);
            }
            p.fail()
        }
        Kw::Load => {
            p.bump();
            a("LOAD", Load)
        }
        Kw::Show => {
            p.bump();
            if index_token(p) {
                return a("SHOW INDEX", Database);
            }
            if constraint_token(p) {
                return a("SHOW CONSTRAINT", Database);
            }
            if transaction_token(p) {
                user_qualifier(p)?;
                return a("SHOW TRANSACTION", Database);
            }
            let name = match p.peek() {
                Tok::Kw(Kw::Alias) => "SHOW ALIAS",
                Tok::Kw(Kw::Privilege) => "SHOW PRIVILEGE",
                Tok::Kw(Kw::Role) => "SHOW ROLE",
                Tok::Kw(Kw::Server | Kw::Servers) => "SHOW SERVERS",
                Tok::Kw(Kw::User) => "SHOW USER",
                Tok::Kw(Kw::Setting | Kw::Settings) => {
                    p.bump();
                    globs(p)?;
                    return a("SHOW SETTING", Dbms);
                }
                _ => {
                    for k in [
                        Kw::Alias,
                        Kw::Constraint,
                        Kw::Constraints,
                        Kw::Index,
                        Kw::Indexes,
                        Kw::Privilege,
                        Kw::Role,
                        Kw::Server,
                        Kw::Servers,
                        Kw::Setting,
                        Kw::Settings,
                        Kw::Transaction,
                        Kw::Transactions,
                        Kw::User,
                    ] {
                        p.record(Item::kw(k));
                    }
                    return p.fail();
                }
            };
            p.bump();
            a(name, Dbms)
        }
        Kw::Set => {
            p.bump();
            if p.eat_kw(Kw::Password) || p.eat_kw(Kw::Passwords) {
                return a("SET PASSWORDS", Dbms);
            }
            if p.eat_kw(Kw::User) {
                if p.eat_kw(Kw::Status) {
                    return a("SET USER STATUS", Dbms);
                }
                p.expect_seq(expected::HOME_DATABASE)?;
                return a("SET USER HOME DATABASE", Dbms);
            }
            if p.eat_kw(Kw::Database) {
                if p.eat_kw(Kw::Access) {
                    return a("SET DATABASE ACCESS", Dbms);
                }
                p.expect_seq(expected::DEFAULT_LANGUAGE)?;
                return a("SET DATABASE DEFAULT LANGUAGE", Dbms);
            }
            if p.eat_kw(Kw::Auth) {
                return a("SET AUTH", Dbms);
            }
            if p.eat_kw(Kw::Label) {
                labels_resource(p)?;
                return a("SET LABEL", Graph);
            }
            if p.eat_kw(Kw::Property) {
                properties_resource(p)?;
                return a("SET PROPERTY", Graph);
            }
            p.fail()
        }
        Kw::Remove => {
            p.bump();
            if p.eat_kw(Kw::Privilege) {
                return a("REMOVE PRIVILEGE", Dbms);
            }
            if p.eat_kw(Kw::Role) {
                return a("REMOVE ROLE", Dbms);
            }
            p.expect_kw(Kw::Label)?;
            labels_resource(p)?;
            a("REMOVE LABEL", Graph)
        }
        Kw::Write => {
            if p.nth(1) != Tok::Kw(Kw::On) {
                p.bump();
                p.record(Item::kw(Kw::On));
                return p.fail();
            }
            p.bump();
            a("WRITE", Graph)
        }
        Kw::Access => {
            p.bump();
            a("ACCESS", Database)
        }
        Kw::Start => {
            p.bump();
            a("START", Database)
        }
        Kw::Stop => {
            p.bump();
            a("STOP", Database)
        }
        Kw::Index | Kw::Indexes => {
            p.bump();
            p.eat_kw(Kw::Management);
            a("INDEX MANAGEMENT", Database)
        }
        Kw::Constraint | Kw::Constraints => {
            p.bump();
            p.eat_kw(Kw::Management);
            a("CONSTRAINT MANAGEMENT", Database)
        }
        Kw::Name => {
            p.bump();
            p.eat_kw(Kw::Management);
            a("NAME MANAGEMENT", Database)
        }
        Kw::Transaction => {
            p.bump();
            p.eat_kw(Kw::Management);
            user_qualifier(p)?;
            a("TRANSACTION MANAGEMENT", Database)
        }
        Kw::Terminate => {
            p.bump();
            if !transaction_token(p) {
                return p.fail();
            }
            user_qualifier(p)?;
            a("TERMINATE TRANSACTION", Database)
        }
        Kw::Alter => {
            p.bump();
            if p.eat_kw(Kw::Alias) {
                return a("ALTER ALIAS", Dbms);
            }
            if p.eat_kw(Kw::Composite) {
                p.expect_kw(Kw::Database)?;
                return a("ALTER COMPOSITE DATABASE", Dbms);
            }
            if p.eat_kw(Kw::Database) {
                return a("ALTER DATABASE", Dbms);
            }
            p.expect_kw(Kw::User)?;
            a("ALTER USER", Dbms)
        }
        Kw::Assign => {
            p.bump();
            if p.eat_kw(Kw::Privilege) {
                return a("ASSIGN PRIVILEGE", Dbms);
            }
            p.expect_kw(Kw::Role)?;
            a("ASSIGN ROLE", Dbms)
        }
        Kw::Alias | Kw::Privilege | Kw::Role | Kw::Server | Kw::User | Kw::Database => {
            p.bump();
            p.expect_kw(Kw::Management)?;
            a(
                match k {
                    Kw::Alias => "ALIAS MANAGEMENT",
                    Kw::Privilege => "PRIVILEGE MANAGEMENT",
                    Kw::Role => "ROLE MANAGEMENT",
                    Kw::Server => "SERVER MANAGEMENT",
                    Kw::User => "USER MANAGEMENT",
                    _ => "DATABASE MANAGEMENT",
                },
                Dbms,
            )
        }
        Kw::Composite => {
            p.bump();
            p.expect_kw(Kw::Database)?;
            p.expect_kw(Kw::Management)?;
            a("COMPOSITE DATABASE MANAGEMENT", Dbms)
        }
        Kw::Execute => {
            p.bump();
            if p.eat_kw(Kw::Admin) || p.eat_kw(Kw::Administrator) {
                p.expect_kw(Kw::Procedures)?;
                return a("EXECUTE ADMIN PROCEDURES", Dbms);
            }
            let boosted = p.eat_kw(Kw::Boosted);
            if p.eat_kw(Kw::Procedure) || p.eat_kw(Kw::Procedures) {
                globs(p)?;
                return a(
                    if boosted {
                        "EXECUTE BOOSTED PROCEDURE"
                    } else {
                        "EXECUTE PROCEDURE"
                    },
                    Dbms,
                );
            }
            if p.eat_kw(Kw::User) {
                p.eat_kw(Kw::Defined);
            }
            if !(p.eat_kw(Kw::Function) || p.eat_kw(Kw::Functions)) {
                return p.fail();
            }
            globs(p)?;
            a(
                if boosted {
                    "EXECUTE BOOSTED FUNCTION"
                } else {
                    "EXECUTE FUNCTION"
                },
                Dbms,
            )
        }
        Kw::Rename => {
            p.bump();
            if p.eat_kw(Kw::Role) {
                return a("RENAME ROLE", Dbms);
            }
            p.expect_kw(Kw::User)?;
            a("RENAME USER", Dbms)
        }
        Kw::Impersonate => {
            p.bump();
            user_qualifier(p)?;
            a("IMPERSONATE", Dbms)
        }
        Kw::Traverse => {
            p.bump();
            a("TRAVERSE", Graph)
        }
        Kw::Read | Kw::Match => {
            p.bump();
            properties_resource(p)?;
            a(if k == Kw::Read { "READ" } else { "MATCH" }, Graph)
        }
        Kw::Delete => {
            p.bump();
            a("DELETE", Graph)
        }
        Kw::Merge => {
            p.bump();
            properties_resource(p)?;
            a("MERGE", Graph)
        }
        _ => {
            record_privilege_start(p);
            p.fail()
        }
    }
}

fn at_privilege_start(p: &Parser<'_>) -> bool {
    matches!(
        p.peek(),
        Tok::Kw(
            Kw::Immutable
                | Kw::Access
                | Kw::Alias
                | Kw::All
                | Kw::Alter
                | Kw::Assign
                | Kw::Composite
                | Kw::Constraint
                | Kw::Constraints
                | Kw::Create
                | Kw::Database
                | Kw::Delete
                | Kw::Drop
                | Kw::Execute
                | Kw::Impersonate
                | Kw::Index
                | Kw::Indexes
                | Kw::Match
                | Kw::Merge
                | Kw::Name
                | Kw::Privilege
                | Kw::Read
                | Kw::Remove
                | Kw::Rename
                | Kw::Role
                | Kw::Server
                | Kw::Set
                | Kw::Show
                | Kw::Start
                | Kw::Stop
                | Kw::Terminate
                | Kw::Transaction
                | Kw::Traverse
                | Kw::User
                | Kw::Write
                | Kw::Load
        )
    )
}

fn record_privilege_start(p: &mut Parser<'_>) {
    for k in [
        Kw::Access,
        Kw::Alias,
        Kw::All,
        Kw::Alter,
        Kw::Assign,
        Kw::Composite,
        Kw::Constraint,
        Kw::Constraints,
        Kw::Create,
        Kw::Database,
        Kw::Delete,
        Kw::Drop,
        Kw::Execute,
        Kw::Impersonate,
        Kw::Index,
        Kw::Indexes,
        Kw::Match,
        Kw::Merge,
        Kw::Name,
        Kw::Privilege,
        Kw::Read,
        Kw::Remove,
        Kw::Rename,
        Kw::Role,
        Kw::Server,
        Kw::Set,
        Kw::Show,
        Kw::Start,
        Kw::Stop,
        Kw::Terminate,
        Kw::Transaction,
        Kw::Traverse,
        Kw::User,
    ] {
        p.record(Item::kw(k));
    }
    p.record(expected::LOAD_ON);
    if p.cypher25 {
        // Cypher 25's `WRITE SECRETS`, `READ SECRETS`, AUTH RULE privileges: listed as
        // Neo4j lists them, not parsed yet.
        p.record(Item::kw(Kw::Write));
        p.record(Item::kw(Kw::Secrets));
        p.record(expected::AUTH_RULE);
    } else {
        p.record(expected::WRITE_ON);
    }
}

/// `* | name, ...` after SET/REMOVE LABEL, kept as the qualifier.
fn labels_resource(p: &mut Parser<'_>) -> PResult<()> {
    let start = p.pos();
    star_or_names(p)?;
    let text = p.tokens_text_between(start, p.pos());
    p.set_qualifier(text);
    Ok(())
}

/// `{* | name, ...}` after READ, MATCH, MERGE and SET PROPERTY, kept as the qualifier.
fn properties_resource(p: &mut Parser<'_>) -> PResult<()> {
    let start = p.pos();
    p.expect(Tok::LCurly)?;
    star_or_names(p)?;
    p.expect(Tok::RCurly)?;
    let text = p.tokens_text_between(start, p.pos());
    p.set_qualifier(text);
    Ok(())
}

/// `* | name, ...`: a missing one is reported as "an identifier or '*'".
fn star_or_names(p: &mut Parser<'_>) -> PResult<()> {
    if p.eat(Tok::Times) {
        return Ok(());
    }
    if !at_name(p) {
        p.record(Item::rule(expected::Rule::Identifier));
        return p.fail();
    }
    name_list(p)
}

fn name_list(p: &mut Parser<'_>) -> PResult<()> {
    symbolic_name(p)?;
    while p.eat(Tok::Comma) {
        symbolic_name(p)?;
    }
    Ok(())
}

/// `[NODE[S]|RELATIONSHIP[S]|ELEMENT[S] * | names]` or `FOR (pattern) WHERE ...` after a
/// graph scope.
fn graph_qualifier(p: &mut Parser<'_>) -> PResult<()> {
    match p.peek() {
        Tok::Kw(
            Kw::Node
            | Kw::Nodes
            | Kw::Relationship
            | Kw::Relationships
            | Kw::Element
            | Kw::Elements,
        ) => {
            p.bump();
            star_or_names(p)
        }
        Tok::Kw(Kw::For) => {
            p.bump();
            p.expect(Tok::LParen)?;
            if p.peek() == Tok::RParen && p.nth(1) != Tok::Kw(Kw::Where) {
                // `()-[r:T]-()` relationship form.
                p.bump();
                let _ = p.eat(Tok::Lt) || p.eat(Tok::ArrowLeft);
                if !(p.eat(Tok::Minus) || p.eat(Tok::ArrowLine)) {
                    return p.fail();
                }
                p.expect(Tok::LBracket)?;
                qualifier_body(p, Tok::RBracket)?;
                if !(p.eat(Tok::Minus) || p.eat(Tok::ArrowLine)) {
                    return p.fail();
                }
                let _ = p.eat(Tok::Gt) || p.eat(Tok::ArrowRight);
                p.expect(Tok::LParen)?;
                p.expect(Tok::RParen)?;
                if p.eat_kw(Kw::Where) {
                    expression(p)?;
                }
                return Ok(());
            }
            qualifier_body(p, Tok::RParen)
        }
        _ => {
            for k in [
                Kw::Element,
                Kw::Elements,
                Kw::For,
                Kw::Node,
                Kw::Nodes,
                Kw::Relationship,
                Kw::Relationships,
            ] {
                p.record(Item::kw(k));
            }
            // The qualifier is optional, but Neo4j decides on it inside its rule: when
            // neither it nor TO follows, the error names only what the qualifier (and the
            // graph names before it) could be.
            if p.peek() == Tok::Kw(Kw::To) || p.peek() == Tok::LParen {
                Ok(())
            } else {
                p.fail()
            }
        }
    }
}

/// `[var] [:A|B] (close WHERE pred | WHERE pred close | {map} close)`.
fn qualifier_body(p: &mut Parser<'_>, close: Tok) -> PResult<()> {
    if at_name(p) {
        variable(p)?;
    }
    if p.eat(Tok::Colon) {
        symbolic_name(p)?;
        while p.eat(Tok::Bar) {
            symbolic_name(p)?;
        }
    }
    if p.eat(close) {
        if close == Tok::RBracket {
            return Ok(());
        }
        p.expect_kw(Kw::Where)?;
        expression(p)?;
        return Ok(());
    }
    if p.eat_kw(Kw::Where) {
        expression(p)?;
    } else if p.peek() == Tok::LCurly {
        map_literal(p)?;
    } else {
        p.record(Item::kw(Kw::Where));
        p.record(Item::tok(Tok::LCurly));
        return p.fail();
    }
    p.expect(close)?;
    Ok(())
}

/// The scope after ON.
fn scope(p: &mut Parser<'_>, kind: ScopeKind) -> PResult<PrivilegeScope> {
    match kind {
        ScopeKind::Dbms => Ok(PrivilegeScope::Dbms),
        ScopeKind::Load => {
            if p.eat_seq(expected::ALL_DATA)? {
                return Ok(PrivilegeScope::Dbms);
            }
            if !(p.eat_kw(Kw::Url) || p.eat_kw(Kw::Cidr)) {
                return p.fail();
            }
            let start = p.pos();
            string_or_param(p, None)?;
            let text = p.tokens_text_between(start, p.pos());
            p.set_qualifier(text);
            Ok(PrivilegeScope::Dbms)
        }
        ScopeKind::All => {
            if p.eat_kw(Kw::Dbms) {
                return Ok(PrivilegeScope::Dbms);
            }
            database_or_graph_scope(p, true, true)
        }
        ScopeKind::Database => database_or_graph_scope(p, true, false),
        ScopeKind::Graph => database_or_graph_scope(p, false, true),
    }
}

fn database_or_graph_scope(
    p: &mut Parser<'_>,
    database: bool,
    graph: bool,
) -> PResult<PrivilegeScope> {
    let home = p.peek() == Tok::Kw(Kw::Home);
    // Cypher 25 has no DEFAULT DATABASE / DEFAULT GRAPH scope at all.
    if home || (p.peek() == Tok::Kw(Kw::Default) && !p.cypher25) {
        let at = p.offset();
        p.bump();
        if !((database && p.eat_kw(Kw::Database)) || (graph && p.eat_kw(Kw::Graph))) {
            return p.fail();
        }
        if !home {
            p.semantic_error(
                at,
                "`ON DEFAULT DATABASE` is not supported. Use `ON HOME DATABASE` instead.",
            );
            return Ok(PrivilegeScope::DefaultDatabase);
        }
        return Ok(PrivilegeScope::HomeDatabase);
    }
    // `HOME DATABASE` reads as one item where only a database may follow; where a graph
    // may too (ALL ... ON), HOME and DEFAULT stand alone.
    match (database, graph) {
        // Cypher 25 dropped the DEFAULT DATABASE / DEFAULT GRAPH scopes from its grammar.
        (true, true) => {
            p.record(Item::kw(Kw::Home));
            if !p.cypher25 {
                p.record(Item::kw(Kw::Default));
            }
        }
        (true, false) => {
            p.record(expected::HOME_DATABASE);
            if !p.cypher25 {
                p.record(expected::DEFAULT_DATABASE);
            }
        }
        _ => {
            p.record(expected::HOME_GRAPH);
            if !p.cypher25 {
                p.record(expected::DEFAULT_GRAPH);
            }
        }
    }
    let ok = (database && (p.eat_kw(Kw::Database) || p.eat_kw(Kw::Databases)))
        || (graph && (p.eat_kw(Kw::Graph) || p.eat_kw(Kw::Graphs)));
    if !ok {
        return p.fail();
    }
    if p.eat(Tok::Times) {
        return Ok(PrivilegeScope::AllDatabases);
    }
    alias_names(p).map(PrivilegeScope::Databases)
}
