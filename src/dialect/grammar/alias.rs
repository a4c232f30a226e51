//! Alias commands: CREATE [OR REPLACE] ALIAS (local and remote), ALTER ALIAS and
//! DROP ALIAS, with Neo4j's checks on dotted alias names and duplicate clauses.
//!
//! It owns these commands' grammar. It must not judge targets or URLs (the cluster
//! does).

use super::database::{check_or_replace, checked_name, default_language, if_exists, if_not_exists};
use super::expected::{self, Hint, Item};
use super::names::{command_name, map_or_param, string_or_param};
use super::parser::{Frame, PResult, Parser};
use crate::dialect::ast::*;
use crate::dialect::lexer::{Kw, Tok};

/// Neo4j's check on a remote alias name: at most two dotted parts, as written.
fn check_remote_name(p: &mut Parser<'_>, start: usize, name: &NameOrParam) {
    if let NameOrParam::Name(n) = name
        && n.parts.len() > 2
    {
        let written = p.tokens_text(start, start + 2 * n.parts.len() - 1);
        p.semantic_error(
            n.offset,
            format!(
                "'.' is not a valid character in the remote alias name '{written}'. Remote alias \
                 names using '.' must be quoted with backticks e.g. `remote.alias`."
            ),
        );
    }
}

/// After CREATE [OR REPLACE]: `ALIAS name [IF NOT EXISTS] FOR DATABASE target [AT url USER
/// u PASSWORD p [DRIVER map] [DEFAULT LANGUAGE CYPHER n]] [PROPERTIES map]`.
pub fn create_alias(p: &mut Parser<'_>, or_replace: bool) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        p.expect_kw(Kw::Alias)?;
        let name_start = p.pos();
        let name = checked_name(p, 2)?;
        let if_not = if_not_exists(p)?;
        check_or_replace(p, or_replace, if_not, "alias", &name);
        p.expect_seq(expected::FOR_DATABASE)?;
        let target = checked_name(p, 2)?;
        let mut default_language = None;
        let remote = if p.eat_kw(Kw::At) {
            let url = string_or_param(p, None)?;
            p.expect_kw(Kw::User)?;
            let user = command_name(p, Hint::User)?;
            p.expect_kw(Kw::Password)?;
            let password = password_expression(p)?;
            let driver = if p.eat_kw(Kw::Driver) {
                Some(map_or_param(p)?)
            } else {
                None
            };
            if p.peek() == Tok::Kw(Kw::Default) {
                default_language = Some(default_language_spec(p)?);
            } else {
                p.record(expected::DEFAULT_LANGUAGE_CYPHER);
            }
            check_remote_name(p, name_start, &name);
            Some(RemoteAliasTarget {
                url,
                user,
                password,
                driver,
            })
        } else {
            if let NameOrParam::Name(n) = &name
                && n.parts.len() > 2
            {
                p.semantic_error(
                    n.offset,
                    format!(
                        "'.' is not a valid character in the local alias name '{}'. Local alias \
                         names using '.' must be quoted with backticks when adding a local alias \
                         to a composite database e.g. `local.alias`.",
                        n.joined()
                    ),
                );
            }
            None
        };
        let properties = if p.eat_kw(Kw::Properties) {
            Some(map_or_param(p)?)
        } else {
            None
        };
        Ok(Statement::CreateAlias(Box::new(CreateAlias {
            name,
            or_replace,
            if_not_exists: if_not,
            target,
            remote,
            default_language,
            properties,
        })))
    })
}

fn default_language_spec(p: &mut Parser<'_>) -> PResult<CypherVersion> {
    default_language(p)
}

/// `passwordExpression`: a string literal or a `$param`.
pub fn password_expression(p: &mut Parser<'_>) -> PResult<StringOrParam> {
    string_or_param(p, None)
}

/// `ALTER ALIAS name [IF EXISTS] SET DATABASE (TARGET t [AT url] | USER u | PASSWORD p |
/// DRIVER map | PROPERTIES map | DEFAULT LANGUAGE CYPHER n)+`.
pub fn alter_alias(p: &mut Parser<'_>) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        p.expect_kw(Kw::Alias)?;
        let name_start = p.pos();
        let name = checked_name(p, 2)?;
        let if_exists = if_exists(p)?;
        p.expect_seq(expected::SET_DATABASE)?;
        let mut a = AlterAlias {
            name,
            if_exists,
            target: None,
            url: None,
            user: None,
            password: None,
            driver: None,
            default_language: None,
            properties: None,
        };
        let mut any = false;
        loop {
            let at = p.offset();
            let dup = |p: &mut Parser<'_>, seen: bool, what: &str| {
                if seen {
                    p.semantic_error(at, format!("Duplicate {what} clause"));
                }
            };
            match p.peek() {
                Tok::Kw(Kw::Target) => {
                    dup(p, a.target.is_some(), "TARGET");
                    p.bump();
                    let t = checked_name(p, 2)?;
                    a.target.get_or_insert(t);
                    if p.eat_kw(Kw::At) {
                        let url = string_or_param(p, None)?;
                        a.url.get_or_insert(url);
                    }
                }
                Tok::Kw(Kw::User) => {
                    dup(p, a.user.is_some(), "USER");
                    p.bump();
                    let u = command_name(p, Hint::User)?;
                    a.user.get_or_insert(u);
                }
                Tok::Kw(Kw::Password) => {
                    dup(p, a.password.is_some(), "PASSWORD");
                    p.bump();
                    let pw = password_expression(p)?;
                    a.password.get_or_insert(pw);
                }
                Tok::Kw(Kw::Driver) => {
                    dup(p, a.driver.is_some(), "DRIVER");
                    p.bump();
                    let m = map_or_param(p)?;
                    a.driver.get_or_insert(m);
                }
                Tok::Kw(Kw::Properties) => {
                    dup(p, a.properties.is_some(), "PROPERTIES");
                    p.bump();
                    let m = map_or_param(p)?;
                    a.properties.get_or_insert(m);
                }
                Tok::Kw(Kw::Default) => {
                    let v = default_language(p)?;
                    a.default_language.get_or_insert(v);
                }
                _ => {
                    for k in [
                        Kw::Driver,
                        Kw::Password,
                        Kw::Properties,
                        Kw::Target,
                        Kw::User,
                    ] {
                        p.record(Item::kw(k));
                    }
                    p.record(expected::DEFAULT_LANGUAGE_CYPHER);
                    if !any {
                        return p.fail();
                    }
                    break;
                }
            }
            any = true;
        }
        if a.url.is_some() || a.user.is_some() || a.password.is_some() || a.driver.is_some() {
            let name = a.name.clone();
            check_remote_name(p, name_start, &name);
        }
        Ok(Statement::AlterAlias(Box::new(a)))
    })
}

/// `DROP ALIAS name [IF EXISTS] FOR DATABASE`.
pub fn drop_alias(p: &mut Parser<'_>) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        p.expect_kw(Kw::Alias)?;
        let name = checked_name(p, 2)?;
        let if_exists = if_exists(p)?;
        p.expect_seq(expected::FOR_DATABASE)?;
        Ok(Statement::DropAlias(DropAlias { name, if_exists }))
    })
}
