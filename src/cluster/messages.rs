//! THE one table of cysh's wording for errors and notices whose exact text Neo4j does not
//! publish (reference §4.6 and the open questions of §6). Every entry is cysh's choice and
//! marked so; correct them here, in one place, once a real cluster is observed.
//!
//! It owns wording only. It must not decide when an error happens.

use crate::error::{Neo4jError, code};

/// Status code of topology / allocation refusals (cysh's choice, reference §4.6).
pub const ALLOCATION_CODE: &str = code::ARGUMENT_ERROR;

/// cysh's choice: CREATE DATABASE cannot satisfy the topology.
pub fn cannot_create(db: &str, reason: &str) -> Neo4jError {
    Neo4jError::new(
        ALLOCATION_CODE,
        format!("Failed to create the specified database '{db}': {reason}"),
    )
}

/// cysh's choice: ALTER DATABASE cannot satisfy the topology.
pub fn cannot_alter(db: &str, reason: &str) -> Neo4jError {
    Neo4jError::new(
        ALLOCATION_CODE,
        format!("Failed to alter the specified database '{db}': {reason}"),
    )
}

/// cysh's choice: the reason when the enabled servers cannot host a topology.
pub fn not_enough_servers(
    p: u32,
    s: u32,
    primary_capable: usize,
    secondary_capable: usize,
    total: usize,
) -> String {
    format!(
        "Not enough eligible servers to satisfy the requested topology of {p} {} and {s} {}: \
         {total} enabled {} can host it ({primary_capable} in primary mode, {secondary_capable} in secondary mode).",
        plural(p, "primary", "primaries"),
        plural(s, "secondary", "secondaries"),
        plural(total as u32, "server", "servers"),
    )
}

/// cysh's choice: ALTER DATABASE to one primary from several.
pub const NO_SINGLE_PRIMARY: &str = "It is not possible to automatically transition to a topology with a single primary host. \
     Back up the database, drop it and seed it again with the new topology.";

/// cysh's choice: DEALLOCATE refused (frame from CypherExecutionException).
pub fn cannot_deallocate(servers: &str, reason: &str) -> Neo4jError {
    Neo4jError::new(
        ALLOCATION_CODE,
        format!("Failed to deallocate the specified server(s) '{servers}': {reason}"),
    )
}

/// cysh's choice: REALLOCATE refused (frame from CypherExecutionException).
pub fn cannot_reallocate(reason: &str) -> Neo4jError {
    Neo4jError::new(
        ALLOCATION_CODE,
        format!("Failed to reallocate databases: {reason}"),
    )
}

/// cysh's choice: a server command refused (`verb` = enable, alter, rename, drop, cordon).
pub fn cannot_server(verb: &str, server: &str, reason: &str) -> Neo4jError {
    Neo4jError::new(
        ALLOCATION_CODE,
        format!("Failed to {verb} the specified server '{server}': {reason}"),
    )
}

/// cysh's choice: no server has that name or id.
pub fn server_not_found(server: &str) -> String {
    format!("Server '{server}' does not exist.")
}

/// cysh's choice: the system database has not bootstrapped yet.
pub fn not_bootstrapped(joined: usize, needed: u32) -> Neo4jError {
    Neo4jError::new(
        "Neo.TransientError.General.DatabaseUnavailable",
        format!(
            "The system database is not available yet: {joined} of {needed} servers needed by \
             dbms.cluster.minimum_initial_system_primaries_count have joined. Add servers with CALL sim.addServer()."
        ),
    )
}

/// cysh's choice: the startup warning when too few servers joined to bootstrap.
pub fn waiting_for_servers(joined: usize, needed: u32) -> String {
    format!(
        "{joined} of the {needed} servers needed by dbms.cluster.minimum_initial_system_primaries_count \
         have joined, so the system database has not bootstrapped. Add servers with CALL sim.addServer() \
         or lower the setting with --config."
    )
}

/// cysh's choice: general Cypher on the embedded cluster.
pub const GENERAL_CYPHER: &str = "The embedded cluster runs administration commands only (databases, servers, \
     aliases, users, roles, privileges and procedures); general Cypher needs a Neo4j server.";

/// cysh's choice: a family the embedded cluster does not implement yet.
pub fn unsupported(kind: &str) -> Neo4jError {
    Neo4jError::new(
        code::NOT_SUPPORTED,
        format!("{kind} is not supported by the embedded cluster yet."),
    )
}

/// cysh's choice: unknown CREATE DATABASE option.
pub fn unknown_option(verb: &str, key: &str, valid: &str) -> String {
    format!("Could not {verb} database with unrecognised option: '{key}'. Expected one of {valid}.")
}

/// cysh's choice: the warning when the default database cannot be created at bootstrap.
pub fn default_db_not_created(db: &str) -> String {
    format!(
        "The default database '{db}' was not created: no server that bootstrapped the system \
         database can host it in primary mode. Creation will not be re-attempted."
    )
}

/// cysh's choice: the `result` of dbms.setDefaultDatabase.
pub fn default_database_set(db: &str) -> String {
    format!("Default database set to {db}")
}

/// cysh's choice: the `allocator` value of dbms.showTopologyGraphConfig.
pub const ALLOCATOR_NAME: &str = "cysh-balanced";

fn plural<'a>(n: u32, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// cysh's choice (Neo4j's text is not public): a WAIT command inside an explicit
/// transaction. Neo4j commits WAIT commands on their own, so cysh refuses to mix them.
pub fn wait_in_transaction() -> Neo4jError {
    Neo4jError::new(
        "Neo.ClientError.Transaction.ForbiddenDueToTransactionType",
        "A command with WAIT commits on its own and cannot run inside an explicit transaction. \
         Commit or roll back first (:commit, :rollback), or use NOWAIT.",
    )
}

/// cysh's choice: a dry run cannot start inside an explicit transaction.
pub fn dry_run_in_transaction() -> Neo4jError {
    Neo4jError::new(
        "Neo.ClientError.Transaction.ForbiddenDueToTransactionType",
        "A dry run cannot start inside an open transaction: :commit or :rollback it first.",
    )
}

/// cysh's choice: transaction commands are refused while a dry run is open.
pub fn transaction_in_dry_run() -> Neo4jError {
    Neo4jError::new(
        "Neo.ClientError.Transaction.ForbiddenDueToTransactionType",
        "Explicit transactions are not available in a dry run: the whole run is rolled back at its end.",
    )
}
