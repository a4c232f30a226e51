//! Server management statements: ENABLE / ALTER / RENAME / DROP SERVER and
//! [DRYRUN] DEALLOCATE / REALLOCATE DATABASE[S].
//!
//! It owns these statements' grammar. Server names and ids are strings or parameters; it
//! must not check that a server exists (the cluster does).

use super::database::opt_options;
use super::names::{map_or_param, string_or_param};
use super::token::{Class, PResult, keyword, kw_either, opt_sym};
use crate::dialect::ast::{
    AlterServer, DeallocateDatabases, EnableServer, RenameServer, Statement,
};

/// After `ENABLE SERVER`.
pub fn enable_server(input: &str) -> PResult<'_, Statement> {
    let (rest, server) = string_or_param(input, Class::ServerName)?;
    let (rest, options) = opt_options(rest)?;
    Ok((
        rest,
        Statement::EnableServer(EnableServer { server, options }),
    ))
}

/// After `ALTER SERVER`.
pub fn alter_server(input: &str) -> PResult<'_, Statement> {
    let (rest, server) = string_or_param(input, Class::ServerName)?;
    let (rest, _) = keyword(rest, "SET")?;
    let (rest, _) = keyword(rest, "OPTIONS")?;
    let (rest, options) = map_or_param(rest)?;
    Ok((
        rest,
        Statement::AlterServer(AlterServer { server, options }),
    ))
}

/// After `RENAME SERVER`.
pub fn rename_server(input: &str) -> PResult<'_, Statement> {
    let (rest, server) = string_or_param(input, Class::ServerName)?;
    let (rest, _) = keyword(rest, "TO")?;
    let (rest, new_name) = string_or_param(rest, Class::ServerName)?;
    Ok((
        rest,
        Statement::RenameServer(RenameServer { server, new_name }),
    ))
}

/// After `DROP SERVER`.
pub fn drop_server(input: &str) -> PResult<'_, Statement> {
    let (rest, server) = string_or_param(input, Class::ServerName)?;
    Ok((rest, Statement::DropServer(server)))
}

/// After `[DRYRUN] DEALLOCATE`.
pub fn deallocate(input: &str, dry_run: bool) -> PResult<'_, Statement> {
    let (rest, _) = kw_either(input, "DATABASES", "DATABASE")?;
    let (rest, _) = keyword(rest, "FROM")?;
    let (mut rest, _) = kw_either(rest, "SERVERS", "SERVER")?;
    let mut servers = Vec::new();
    loop {
        let (r, s) = string_or_param(rest, Class::ServerName)?;
        servers.push(s);
        let (r, comma) = opt_sym(r, ",")?;
        rest = r;
        if !comma {
            break;
        }
    }
    Ok((
        rest,
        Statement::DeallocateDatabases(DeallocateDatabases { dry_run, servers }),
    ))
}

/// After `[DRYRUN] REALLOCATE`.
pub fn reallocate(input: &str, dry_run: bool) -> PResult<'_, Statement> {
    let (rest, _) = kw_either(input, "DATABASES", "DATABASE")?;
    Ok((rest, Statement::ReallocateDatabases(dry_run)))
}
