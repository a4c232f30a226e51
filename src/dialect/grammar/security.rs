//! User and role commands: CREATE / ALTER / RENAME / DROP USER, ALTER CURRENT USER,
//! CREATE / RENAME / DROP ROLE, with Neo4j's checks on duplicate clauses.
//!
//! It owns these commands' grammar. It must not decide what a user may do (the cluster
//! does), and it never keeps a password anywhere but the AST it returns.

use super::alias::password_expression;
use super::database::{check_or_replace, if_exists, if_not_exists};
use super::expected::{self, Hint, Item};
use super::names::{alias_name_or_param, command_name, parameter, string_literal};
use super::parser::{Frame, PResult, Parser};
use crate::dialect::ast::*;
use crate::dialect::lexer::{Kw, Tok};

/// After CREATE [OR REPLACE]: `[IMMUTABLE] ROLE name [IF NOT EXISTS] [AS COPY OF other]`.
pub fn create_role(p: &mut Parser<'_>, or_replace: bool) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        p.eat_kw(Kw::Immutable);
        p.expect_kw(Kw::Role)?;
        let name = command_name(p, Hint::Role)?;
        let if_not = if_not_exists(p)?;
        check_or_replace(p, or_replace, if_not, "role", &name);
        let copy_of = if p.eat_seq(expected::AS_COPY_OF)? {
            Some(command_name(p, Hint::Role)?)
        } else {
            None
        };
        Ok(Statement::CreateRole(CreateRole {
            name,
            or_replace,
            if_not_exists: if_not,
            copy_of,
        }))
    })
}

/// `DROP ROLE name [IF EXISTS]`.
pub fn drop_role(p: &mut Parser<'_>) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        p.expect_kw(Kw::Role)?;
        let name = command_name(p, Hint::Role)?;
        let if_exists = if_exists(p)?;
        Ok(Statement::DropRole(DropNamed { name, if_exists }))
    })
}

/// `DROP USER name [IF EXISTS]`.
pub fn drop_user(p: &mut Parser<'_>) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        p.expect_kw(Kw::User)?;
        let name = command_name(p, Hint::User)?;
        let if_exists = if_exists(p)?;
        Ok(Statement::DropUser(DropNamed { name, if_exists }))
    })
}

/// `RENAME USER|ROLE a [IF EXISTS] TO b`.
pub fn rename(p: &mut Parser<'_>, user: bool) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        p.bump();
        let hint = if user { Hint::User } else { Hint::Role };
        let from = command_name(p, hint)?;
        let if_exists = if_exists(p)?;
        p.expect_kw(Kw::To)?;
        let to = command_name(p, hint)?;
        let n = RenameNamed {
            from,
            if_exists,
            to,
        };
        Ok(if user {
            Statement::RenameUser(n)
        } else {
            Statement::RenameRole(n)
        })
    })
}

/// `ALTER CURRENT USER SET PASSWORD FROM old TO new`.
pub fn alter_current_user(p: &mut Parser<'_>) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        p.expect_seq(expected::CURRENT_USER_SET_PASSWORD_FROM)?;
        let old = password_expression(p)?;
        p.expect_kw(Kw::To)?;
        let new = password_expression(p)?;
        Ok(Statement::AlterCurrentUser(AlterCurrentUser { old, new }))
    })
}

/// After CREATE [OR REPLACE]: `USER name [IF NOT EXISTS] (SET ...)+`.
pub fn create_user(p: &mut Parser<'_>, or_replace: bool) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        p.expect_kw(Kw::User)?;
        let name = command_name(p, Hint::User)?;
        let if_not = if_not_exists(p)?;
        check_or_replace(p, or_replace, if_not, "user", &name);
        if !p.at_kw(Kw::Set) {
            return p.fail();
        }
        let mut clauses = UserClauses::default();
        let mut change_at = None;
        while p.eat_kw(Kw::Set) {
            if let Some(at) = set_clause(p, &mut clauses)? {
                change_at.get_or_insert(at);
            }
        }
        if clauses.password.is_none()
            && clauses.auth_providers.is_empty()
            && let Some(at) = change_at
        {
            p.semantic_error(
                at,
                "Clause `SET PASSWORD` is mandatory for auth provider `native`.",
            );
        }
        Ok(Statement::CreateUser(Box::new(CreateUser {
            name,
            or_replace,
            if_not_exists: if_not,
            clauses,
        })))
    })
}

/// `ALTER USER name [IF EXISTS] (REMOVE ...)* (SET ...)*`, at least one clause.
pub fn alter_user(p: &mut Parser<'_>) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        p.expect_kw(Kw::User)?;
        let name = command_name(p, Hint::User)?;
        let if_exists = if_exists(p)?;
        let mut clauses = UserClauses::default();
        let mut any = false;
        while p.eat_kw(Kw::Remove) {
            any = true;
            if p.eat_seq(expected::HOME_DATABASE)? {
                clauses.remove_home_database = true;
            } else if p.eat_seq(expected::ALL_AUTH)? {
                let _ = p.eat_kw(Kw::Provider) || p.eat_kw(Kw::Providers);
                clauses.remove_auth = true;
            } else {
                p.expect_kw(Kw::Auth)?;
                let _ = p.eat_kw(Kw::Provider) || p.eat_kw(Kw::Providers);
                match p.peek() {
                    Tok::Dollar => {
                        parameter(p)?;
                    }
                    Tok::LBracket => {
                        p.bump();
                        if !p.eat(Tok::RBracket) {
                            loop {
                                string_literal(p)?;
                                if !p.eat(Tok::Comma) {
                                    p.expect(Tok::RBracket)?;
                                    break;
                                }
                            }
                        }
                    }
                    _ => {
                        p.record(Item::tok(Tok::LBracket));
                        p.record(Item::rule(expected::Rule::Parameter));
                        string_literal(p)?;
                    }
                }
                clauses.remove_auth = true;
            }
        }
        while p.eat_kw(Kw::Set) {
            any = true;
            set_clause(p, &mut clauses)?;
        }
        p.record(Item::kw(Kw::Set));
        if !any {
            p.semantic_error(
                p.statement_start(),
                "`ALTER USER` requires at least one clause.",
            );
        }
        Ok(Statement::AlterUser(Box::new(AlterUser {
            name,
            if_exists,
            clauses,
        })))
    })
}

/// One clause after SET: `[PLAINTEXT|ENCRYPTED] PASSWORD p [CHANGE [NOT] REQUIRED]`,
/// `PASSWORD CHANGE [NOT] REQUIRED`, `STATUS ACTIVE|SUSPENDED`, `HOME DATABASE name` or
/// `AUTH [PROVIDER] 'name' { SET ... }`. Gives where a password-less `PASSWORD CHANGE
/// [NOT] REQUIRED` stands.
fn set_clause(p: &mut Parser<'_>, c: &mut UserClauses) -> PResult<Option<usize>> {
    let at = p.offset();
    match p.peek() {
        Tok::Kw(Kw::Plaintext | Kw::Encrypted | Kw::Password) => {
            let encrypted = p.eat_kw(Kw::Encrypted);
            let plain = !encrypted && p.eat_kw(Kw::Plaintext);
            let password_at = p.offset();
            p.expect_kw(Kw::Password)?;
            if !encrypted && !plain {
                // `SET PASSWORD CHANGE REQUIRED` is the other reading of `SET PASSWORD`.
                p.at_kw(Kw::Change);
            }
            if !encrypted && !plain && p.peek() == Tok::Kw(Kw::Change) {
                let change_at = p.offset();
                let required = change_required(p)?;
                if c.change_required.is_some() {
                    p.semantic_error(
                        change_at,
                        "Duplicate `SET PASSWORD CHANGE [NOT] REQUIRED` clause.",
                    );
                }
                c.change_required.get_or_insert(required);
                return Ok(Some(change_at));
            }
            let password = password_expression(p)?;
            if c.password.is_some() {
                p.semantic_error(password_at, "Duplicate `SET PASSWORD` clause.");
            }
            c.password.get_or_insert(PasswordSpec {
                password,
                encrypted,
            });
            if p.peek() == Tok::Kw(Kw::Change) {
                let change_at = p.offset();
                let required = change_required(p)?;
                if c.change_required.is_some() {
                    p.semantic_error(
                        change_at,
                        "Duplicate `SET PASSWORD CHANGE [NOT] REQUIRED` clause.",
                    );
                }
                c.change_required.get_or_insert(required);
            } else {
                p.record(Item::kw(Kw::Change));
            }
            Ok(None)
        }
        Tok::Kw(Kw::Status) => {
            p.bump();
            let status = if p.eat_kw(Kw::Active) {
                UserStatus::Active
            } else {
                p.expect_kw(Kw::Suspended)?;
                UserStatus::Suspended
            };
            if c.status.is_some() {
                p.semantic_error(at, "Duplicate SET STATUS {SUSPENDED|ACTIVE} clause");
            }
            c.status.get_or_insert(status);
            Ok(None)
        }
        Tok::Kw(Kw::Home) => {
            p.expect_seq(expected::HOME_DATABASE)?;
            let db = alias_name_or_param(p)?;
            if c.home_database.is_some() {
                p.semantic_error(at, "Duplicate SET HOME DATABASE clause");
            }
            c.home_database.get_or_insert(db);
            Ok(None)
        }
        Tok::Kw(Kw::Auth) => {
            p.bump();
            p.eat_kw(Kw::Provider);
            let (provider, _) = string_literal(p)?;
            p.expect(Tok::LCurly)?;
            if !p.at_kw(Kw::Set) {
                return p.fail();
            }
            while p.eat_kw(Kw::Set) {
                if p.eat_kw(Kw::Id) {
                    super::names::string_or_param(p, None)?;
                } else {
                    let _ = p.eat_kw(Kw::Plaintext) || p.eat_kw(Kw::Encrypted);
                    p.expect_kw(Kw::Password)?;
                    if p.peek() == Tok::Kw(Kw::Change) {
                        change_required(p)?;
                    } else {
                        password_expression(p)?;
                    }
                }
            }
            p.expect(Tok::RCurly)?;
            c.auth_providers.push(provider);
            Ok(None)
        }
        _ => {
            for k in [
                Kw::Auth,
                Kw::Encrypted,
                Kw::Password,
                Kw::Plaintext,
                Kw::Status,
            ] {
                p.record(Item::kw(k));
            }
            p.record(expected::HOME_DATABASE);
            p.fail()
        }
    }
}

/// `CHANGE [NOT] REQUIRED`: true for REQUIRED.
fn change_required(p: &mut Parser<'_>) -> PResult<bool> {
    p.expect_kw(Kw::Change)?;
    let not = p.eat_kw(Kw::Not);
    p.expect_kw(Kw::Required)?;
    Ok(!not)
}
