//! Server commands: ENABLE / ALTER / RENAME / DROP SERVER and [DRYRUN] DEALLOCATE /
//! REALLOCATE DATABASE[S].
//!
//! It owns these commands' grammar. Server names and ids are strings or parameters; it
//! must not check that a server exists (the cluster does).

use super::database::opt_options;
use super::expected::{self, Hint, Item};
use super::names::{map_or_param, string_or_param};
use super::parser::{Frame, PResult, Parser};
use crate::dialect::ast::*;
use crate::dialect::lexer::{Kw, Tok};

fn server_name(p: &mut Parser<'_>) -> PResult<StringOrParam> {
    string_or_param(p, Some(Hint::Server))
}

/// `ENABLE SERVER name [OPTIONS map]`.
pub fn enable_server(p: &mut Parser<'_>) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        p.expect_seq(expected::ENABLE_SERVER)?;
        let server = server_name(p)?;
        let options = opt_options(p)?;
        Ok(Statement::EnableServer(EnableServer { server, options }))
    })
}

/// `ALTER SERVER name SET OPTIONS map`.
pub fn alter_server(p: &mut Parser<'_>) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        p.expect_kw(Kw::Server)?;
        let server = server_name(p)?;
        p.expect_kw(Kw::Set)?;
        p.expect_kw(Kw::Options)?;
        let options = map_or_param(p)?;
        Ok(Statement::AlterServer(AlterServer { server, options }))
    })
}

/// `RENAME SERVER name TO name`.
pub fn rename_server(p: &mut Parser<'_>) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        p.expect_kw(Kw::Server)?;
        let server = server_name(p)?;
        p.expect_kw(Kw::To)?;
        let new_name = server_name(p)?;
        Ok(Statement::RenameServer(RenameServer { server, new_name }))
    })
}

/// `DROP SERVER name`.
pub fn drop_server(p: &mut Parser<'_>) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        p.expect_kw(Kw::Server)?;
        server_name(p).map(Statement::DropServer)
    })
}

/// `[DRYRUN] DEALLOCATE DATABASE[S] FROM SERVER[S] a, b` or `[DRYRUN] REALLOCATE
/// DATABASE[S]`.
pub fn allocation(p: &mut Parser<'_>) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        let dry_run = p.eat_kw(Kw::Dryrun);
        if p.eat_kw(Kw::Reallocate) {
            if !(p.eat_kw(Kw::Database) || p.eat_kw(Kw::Databases)) {
                return p.fail();
            }
            return Ok(Statement::ReallocateDatabases(dry_run));
        }
        if !p.at_kw(Kw::Deallocate) {
            p.record(Item::kw(Kw::Reallocate));
            return p.fail();
        }
        p.bump();
        if !(p.eat_kw(Kw::Database) || p.eat_kw(Kw::Databases)) {
            return p.fail();
        }
        p.expect_kw(Kw::From)?;
        if !(p.eat_kw(Kw::Server) || p.eat_kw(Kw::Servers)) {
            return p.fail();
        }
        let mut servers = vec![server_name(p)?];
        while p.eat(Tok::Comma) {
            servers.push(server_name(p)?);
        }
        Ok(Statement::DeallocateDatabases(DeallocateDatabases {
            dry_run,
            servers,
        }))
    })
}
