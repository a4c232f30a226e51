//! The typed syntax tree of the admin dialect: one `Statement` per statement the parser
//! accepts, built from names, parameters and expressions that keep their positions.
//!
//! It owns the shape of every statement family (databases, servers, aliases, users,
//! roles, privileges, SHOW, CALL). It must not validate against cluster state or do I/O:
//! the parser fills it, `dialect::params` checks its parameters, `cluster` executes it.

pub mod expr;
pub mod pattern;
pub mod query;
pub mod schema;
pub mod visit;

use crate::value::Value;
pub use expr::{BinOp, Chain, ExprKind};
pub use query::Query;
pub use schema::SchemaCommand;

/// A byte range in the statement text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// The span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    /// The text of the span in `src`.
    pub fn text(self, src: &str) -> &str {
        src.get(self.start as usize..self.end as usize)
            .unwrap_or("")
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

pub use super::privilege::Action;

// `Expr` and `Variable` live here, not in `expr.rs`: expressions hold patterns and
// subqueries, which hold expressions, and rooting the knot in the module that declares all
// three files keeps any two of them from importing each other (see "Layers").

/// An expression and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Byte span in the statement.
    pub span: Span,
}

impl Expr {
    /// An expression of `kind` at `span`.
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        Expr { kind, span }
    }

    /// A literal at no particular place (values built by code, not parsed).
    pub fn literal(v: Value) -> Expr {
        Expr::new(ExprKind::Literal(v), Span::default())
    }

    /// A variable at no particular place.
    pub fn variable(name: impl Into<String>) -> Expr {
        Expr::new(ExprKind::Variable(name.into()), Span::default())
    }

    /// The variable's name, when the expression is a plain variable.
    pub fn as_variable(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Variable(v) => Some(v),
            _ => None,
        }
    }
}

/// A variable as written, with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Variable {
    /// The name (backticks removed).
    pub name: String,
    /// Where it is.
    pub span: Span,
}

/// A `$name` parameter reference, with the byte offset of its `$` in the statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The name without `$`.
    pub name: String,
    /// Byte offset of the `$` in the statement text.
    pub offset: usize,
}

/// A symbolic name: a database, alias, user or role name. Unquoted dotted names keep
/// their parts (`garden.flowers` is `["garden", "flowers"]`); a backtick-quoted name is
/// one part whatever it contains (`` `garden.flowers` `` is `["garden.flowers"]`).
#[derive(Debug, Clone, PartialEq)]
pub struct SymbolicName {
    /// The dot-separated parts, unquoted.
    pub parts: Vec<String>,
    /// Byte offset of the name in the statement text.
    pub offset: usize,
}

impl SymbolicName {
    /// The parts joined with `.`: the name as Neo4j stores it before lower-casing.
    pub fn joined(&self) -> String {
        self.parts.join(".")
    }
}

/// A name given literally or as a `$param`.
#[derive(Debug, Clone, PartialEq)]
pub enum NameOrParam {
    /// A symbolic name (databases, aliases, users, roles).
    Name(SymbolicName),
    /// A parameter that must evaluate to a string.
    Param(Param),
}

/// A string given as a literal or a `$param` (server names and ids, URLs, passwords).
#[derive(Debug, Clone, PartialEq)]
pub enum StringOrParam {
    /// A string literal.
    Literal(String),
    /// A parameter that must evaluate to a string.
    Param(Param),
}

/// An integer given as a literal or a `$param` (topology counts).
#[derive(Debug, Clone, PartialEq)]
pub enum IntOrParam {
    /// An integer literal.
    Literal(i64),
    /// A parameter that must evaluate to an integer (boxed: an integer is what is nearly
    /// always written, and a smaller `Topology` keeps `Statement` small).
    Param(Box<Param>),
}

/// A map given as a literal or a `$param` (OPTIONS).
#[derive(Debug, Clone, PartialEq)]
pub enum MapOrParam {
    /// A map literal; values are expressions (usually literals).
    Literal(Vec<(String, Expr)>),
    /// A parameter that must evaluate to a map.
    Param(Param),
}

/// `WAIT [n [SEC[OND[S]]]]` or `NOWAIT`; `NOWAIT` is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Wait {
    /// Return immediately (the default).
    #[default]
    NoWait,
    /// Wait up to this many seconds (300 when `WAIT` has no number).
    Wait(u64),
}

/// Default WAIT timeout in seconds (Neo4j's `DEFAULT_TIMEOUT`).
pub const DEFAULT_WAIT_SECONDS: u64 = 300;

/// `TOPOLOGY n PRIMARIES [m SECONDARIES]` (either clause may be absent, in either order).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Topology {
    /// Requested primaries.
    pub primaries: Option<IntOrParam>,
    /// Requested secondaries.
    pub secondaries: Option<IntOrParam>,
}

/// The version of `[SET] DEFAULT LANGUAGE CYPHER 5|25`.
pub use super::version::CypherVersion;

/// `CREATE [OR REPLACE] DATABASE name [IF NOT EXISTS] [DEFAULT LANGUAGE ..] [TOPOLOGY ..]
/// [OPTIONS ..] [WAIT ..|NOWAIT]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateDatabase {
    /// The database name.
    pub name: NameOrParam,
    /// `OR REPLACE`.
    pub or_replace: bool,
    /// `IF NOT EXISTS`.
    pub if_not_exists: bool,
    /// `DEFAULT LANGUAGE`.
    pub default_language: Option<CypherVersion>,
    /// `TOPOLOGY`.
    pub topology: Option<Topology>,
    /// Cypher 25's sharded database (`GRAPH SHARD { .. } PROPERTY SHARDS { .. }`).
    pub shards: Option<Box<Shards>>,
    /// `OPTIONS`.
    pub options: Option<Box<MapOrParam>>,
    /// `WAIT` / `NOWAIT`.
    pub wait: Wait,
}

/// Cypher 25's shards of a sharded database: `[[SET] GRAPH SHARD { [[SET] TOPOLOGY ..] }]
/// [SET] PROPERTY SHARD[S] { COUNT n [[SET] TOPOLOGY n REPLICA[S]] }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Shards {
    /// The graph shard's topology, when given.
    pub graph: Option<Topology>,
    /// How many property shards.
    pub property_count: i64,
    /// The replicas of each property shard, when given.
    pub property_replicas: Option<IntOrParam>,
}

/// `CREATE [OR REPLACE] COMPOSITE DATABASE name [IF NOT EXISTS] [DEFAULT LANGUAGE ..]
/// [OPTIONS ..] [WAIT ..]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateCompositeDatabase {
    /// The database name.
    pub name: NameOrParam,
    /// `OR REPLACE`.
    pub or_replace: bool,
    /// `IF NOT EXISTS`.
    pub if_not_exists: bool,
    /// `DEFAULT LANGUAGE`.
    pub default_language: Option<CypherVersion>,
    /// `OPTIONS`.
    pub options: Option<MapOrParam>,
    /// `WAIT` / `NOWAIT`.
    pub wait: Wait,
}

/// Database access mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// `READ ONLY`.
    ReadOnly,
    /// `READ WRITE`.
    ReadWrite,
}

/// One alteration of `ALTER DATABASE`.
#[derive(Debug, Clone, PartialEq)]
pub enum DatabaseAlteration {
    /// `SET ACCESS READ ONLY|READ WRITE`.
    Access(Access),
    /// `SET TOPOLOGY ...`.
    Topology(Topology),
    /// `SET OPTION key value`.
    SetOption(String, Expr),
    /// `REMOVE OPTION key`.
    RemoveOption(String),
    /// `SET DEFAULT LANGUAGE CYPHER n`.
    DefaultLanguage(CypherVersion),
    /// Cypher 25's `SET GRAPH SHARD { SET TOPOLOGY .. }`.
    GraphShard(Topology),
    /// Cypher 25's `SET PROPERTY SHARD[S] { SET TOPOLOGY n REPLICA[S] }`.
    PropertyShards(IntOrParam),
}

/// `ALTER DATABASE name [IF EXISTS] alteration... [WAIT ..|NOWAIT]`.
#[derive(Debug, Clone, PartialEq)]
pub struct AlterDatabase {
    /// The database name.
    pub name: NameOrParam,
    /// `IF EXISTS`.
    pub if_exists: bool,
    /// The alterations, in the order written (each kind at most once).
    pub alterations: Vec<DatabaseAlteration>,
    /// `WAIT` / `NOWAIT`.
    pub wait: Wait,
}

/// `DUMP DATA` or `DESTROY DATA` (the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DropData {
    /// `DESTROY DATA` (the default).
    #[default]
    Destroy,
    /// `DUMP DATA`.
    Dump,
}

/// `DROP [COMPOSITE] DATABASE name [IF EXISTS] [RESTRICT|CASCADE ALIAS[ES]]
/// [DUMP|DESTROY [DATA]] [WAIT ..|NOWAIT]`.
#[derive(Debug, Clone, PartialEq)]
pub struct DropDatabase {
    /// The database name.
    pub name: NameOrParam,
    /// `COMPOSITE`.
    pub composite: bool,
    /// `IF EXISTS`.
    pub if_exists: bool,
    /// `CASCADE ALIASES` (false means RESTRICT, the default).
    pub cascade_aliases: bool,
    /// `DUMP DATA` / `DESTROY DATA`.
    pub data: DropData,
    /// `WAIT` / `NOWAIT`.
    pub wait: Wait,
}

/// `START DATABASE name [WAIT..]` / `STOP DATABASE name [WAIT..]`.
#[derive(Debug, Clone, PartialEq)]
pub struct StartStopDatabase {
    /// The database name.
    pub name: NameOrParam,
    /// `WAIT` / `NOWAIT`.
    pub wait: Wait,
}

/// `ENABLE SERVER 'id' [OPTIONS {..}]`.
#[derive(Debug, Clone, PartialEq)]
pub struct EnableServer {
    /// The server id.
    pub server: StringOrParam,
    /// `OPTIONS`.
    pub options: Option<MapOrParam>,
}

/// `ALTER SERVER 'name' SET OPTIONS {..}`.
#[derive(Debug, Clone, PartialEq)]
pub struct AlterServer {
    /// The server name or id.
    pub server: StringOrParam,
    /// The new options (they replace all old ones).
    pub options: MapOrParam,
}

/// `RENAME SERVER 'a' TO 'b'`.
#[derive(Debug, Clone, PartialEq)]
pub struct RenameServer {
    /// The server name or id.
    pub server: StringOrParam,
    /// The new name.
    pub new_name: StringOrParam,
}

/// `[DRYRUN] DEALLOCATE DATABASE[S] FROM SERVER[S] 'a'[, 'b'...]`.
#[derive(Debug, Clone, PartialEq)]
pub struct DeallocateDatabases {
    /// `DRYRUN`.
    pub dry_run: bool,
    /// Server names or ids.
    pub servers: Vec<StringOrParam>,
}

/// `CREATE [OR REPLACE] ALIAS name [IF NOT EXISTS] FOR DATABASE target [AT 'url' USER u
/// PASSWORD 'p' [DRIVER {..}]] [DEFAULT LANGUAGE ..] [PROPERTIES {..}]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateAlias {
    /// The alias name.
    pub name: NameOrParam,
    /// `OR REPLACE`.
    pub or_replace: bool,
    /// `IF NOT EXISTS`.
    pub if_not_exists: bool,
    /// The target database.
    pub target: NameOrParam,
    /// `AT 'url' USER u PASSWORD 'p' [DRIVER {..}]` for a remote alias.
    pub remote: Option<RemoteAliasTarget>,
    /// `DEFAULT LANGUAGE`.
    pub default_language: Option<CypherVersion>,
    /// `PROPERTIES`.
    pub properties: Option<MapOrParam>,
}

/// The remote part of a remote alias.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteAliasTarget {
    /// `AT 'url'`.
    pub url: StringOrParam,
    /// `USER name`.
    pub user: NameOrParam,
    /// `PASSWORD 'p'`.
    pub password: StringOrParam,
    /// `DRIVER {..}`.
    pub driver: Option<MapOrParam>,
}

/// `ALTER ALIAS name [IF EXISTS] SET DATABASE [TARGET t [AT 'url']] [USER u]
/// [PASSWORD 'p'] [DRIVER {..}] [DEFAULT LANGUAGE ..] [PROPERTIES {..}]`.
#[derive(Debug, Clone, PartialEq)]
pub struct AlterAlias {
    /// The alias name.
    pub name: NameOrParam,
    /// `IF EXISTS`.
    pub if_exists: bool,
    /// `TARGET t`.
    pub target: Option<NameOrParam>,
    /// `AT 'url'`.
    pub url: Option<StringOrParam>,
    /// `USER u`.
    pub user: Option<NameOrParam>,
    /// `PASSWORD 'p'`.
    pub password: Option<StringOrParam>,
    /// `DRIVER {..}`.
    pub driver: Option<MapOrParam>,
    /// `DEFAULT LANGUAGE`.
    pub default_language: Option<CypherVersion>,
    /// `PROPERTIES {..}`.
    pub properties: Option<MapOrParam>,
}

/// `DROP ALIAS name [IF EXISTS] FOR DATABASE`.
#[derive(Debug, Clone, PartialEq)]
pub struct DropAlias {
    /// The alias name.
    pub name: NameOrParam,
    /// `IF EXISTS`.
    pub if_exists: bool,
}

/// User status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserStatus {
    /// `SET STATUS ACTIVE`.
    Active,
    /// `SET STATUS SUSPENDED`.
    Suspended,
}

/// A password clause.
#[derive(Debug, Clone, PartialEq)]
pub struct PasswordSpec {
    /// The password (plaintext, or the encrypted form with `ENCRYPTED`).
    pub password: StringOrParam,
    /// `ENCRYPTED`.
    pub encrypted: bool,
}

/// The clauses shared by CREATE USER and ALTER USER.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UserClauses {
    /// `SET [PLAINTEXT|ENCRYPTED] PASSWORD 'pw'`.
    pub password: Option<PasswordSpec>,
    /// `CHANGE [NOT] REQUIRED`: `Some(true)` for REQUIRED.
    pub change_required: Option<bool>,
    /// `SET STATUS ...`.
    pub status: Option<UserStatus>,
    /// `SET HOME DATABASE name`.
    pub home_database: Option<NameOrParam>,
    /// `REMOVE HOME DATABASE` (ALTER USER only).
    pub remove_home_database: bool,
    /// `SET AUTH [PROVIDER] 'name' {...}`: the providers named (cysh's cluster knows only
    /// the native one).
    pub auth_providers: Vec<String>,
    /// `REMOVE ALL AUTH` / `REMOVE AUTH 'name'` (ALTER USER only).
    pub remove_auth: bool,
}

/// `CREATE [OR REPLACE] USER name [IF NOT EXISTS] clauses`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateUser {
    /// The user name.
    pub name: NameOrParam,
    /// `OR REPLACE`.
    pub or_replace: bool,
    /// `IF NOT EXISTS`.
    pub if_not_exists: bool,
    /// The clauses.
    pub clauses: UserClauses,
}

/// `ALTER USER name [IF EXISTS] clauses`.
#[derive(Debug, Clone, PartialEq)]
pub struct AlterUser {
    /// The user name.
    pub name: NameOrParam,
    /// `IF EXISTS`.
    pub if_exists: bool,
    /// The clauses.
    pub clauses: UserClauses,
}

/// `ALTER CURRENT USER SET PASSWORD FROM 'old' TO 'new'`.
#[derive(Debug, Clone, PartialEq)]
pub struct AlterCurrentUser {
    /// The old password.
    pub old: StringOrParam,
    /// The new password.
    pub new: StringOrParam,
}

/// `DROP USER name [IF EXISTS]` / `DROP ROLE name [IF EXISTS]`.
#[derive(Debug, Clone, PartialEq)]
pub struct DropNamed {
    /// The user or role name.
    pub name: NameOrParam,
    /// `IF EXISTS`.
    pub if_exists: bool,
}

/// `CREATE [OR REPLACE] ROLE name [IF NOT EXISTS] [AS COPY OF other]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateRole {
    /// The role name.
    pub name: NameOrParam,
    /// `OR REPLACE`.
    pub or_replace: bool,
    /// `IF NOT EXISTS`.
    pub if_not_exists: bool,
    /// `AS COPY OF other`.
    pub copy_of: Option<NameOrParam>,
}

/// `RENAME ROLE a [IF EXISTS] TO b` / `RENAME USER a [IF EXISTS] TO b`.
#[derive(Debug, Clone, PartialEq)]
pub struct RenameNamed {
    /// The old name.
    pub from: NameOrParam,
    /// `IF EXISTS`.
    pub if_exists: bool,
    /// The new name.
    pub to: NameOrParam,
}

/// `GRANT ROLE[S] r1, r2 TO u1, u2` / `REVOKE ROLE[S] r FROM u`.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleMembership {
    /// The roles.
    pub roles: Vec<NameOrParam>,
    /// The users.
    pub users: Vec<NameOrParam>,
}

/// GRANT, DENY or REVOKE [GRANT|DENY].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrivilegeVerb {
    /// `GRANT`.
    Grant,
    /// `DENY`.
    Deny,
    /// `REVOKE` (both granted and denied).
    Revoke,
    /// `REVOKE GRANT`.
    RevokeGrant,
    /// `REVOKE DENY`.
    RevokeDeny,
}

/// The scope a privilege applies to.
#[derive(Debug, Clone, PartialEq)]
pub enum PrivilegeScope {
    /// `ON DBMS`.
    Dbms,
    /// `ON DATABASE[S] *` (also `ON GRAPH[S] *`).
    AllDatabases,
    /// `ON DATABASE[S] a, b` (also `ON GRAPH[S] a, b`).
    Databases(Vec<NameOrParam>),
    /// `ON HOME DATABASE` (also `ON HOME GRAPH`).
    HomeDatabase,
    /// `ON DEFAULT DATABASE` (also `ON DEFAULT GRAPH`).
    DefaultDatabase,
}

/// `GRANT|DENY|REVOKE [IMMUTABLE] <action> ON <scope> TO|FROM role[, ...]`.
///
/// `action` is the privilege's [`Action`], named as Neo4j names it in `SHOW PRIVILEGES AS
/// COMMANDS` (e.g. `SERVER MANAGEMENT`, `CREATE DATABASE`, `ACCESS`, `ALL DBMS PRIVILEGES`,
/// `EXECUTE ADMIN PROCEDURES`, `ALIAS MANAGEMENT`). Graph
/// privileges (MATCH, WRITE, ...) keep their full text after the action word in
/// `qualifier` so they can be listed, although only control-plane privileges are enforced.
#[derive(Debug, Clone, PartialEq)]
pub struct PrivilegeCommand {
    /// GRANT, DENY or REVOKE.
    pub verb: PrivilegeVerb,
    /// `IMMUTABLE`.
    pub immutable: bool,
    /// The action, e.g. `SERVER MANAGEMENT`.
    pub action: Action,
    /// Any qualifier text after the action (procedure globs, graph segments), verbatim.
    pub qualifier: Option<String>,
    /// The scope.
    pub scope: PrivilegeScope,
    /// The roles.
    pub roles: Vec<NameOrParam>,
}

/// What a SHOW command lists.
#[derive(Debug, Clone, PartialEq)]
pub enum ShowKind {
    /// `SHOW DATABASE[S] [name]`.
    Databases(Option<NameOrParam>),
    /// `SHOW DEFAULT DATABASE`.
    DefaultDatabase,
    /// `SHOW HOME DATABASE`.
    HomeDatabase,
    /// `SHOW SERVER[S]`.
    Servers,
    /// `SHOW ALIAS[ES] [name] FOR DATABASE[S]`.
    Aliases(Option<NameOrParam>),
    /// `SHOW USERS [WITH AUTH]`.
    Users,
    /// `SHOW CURRENT USER`.
    CurrentUser,
    /// `SHOW [ALL|POPULATED] ROLE[S] [WITH USER[S]]`.
    Roles {
        /// `POPULATED`.
        populated: bool,
        /// `WITH USERS`.
        with_users: bool,
    },
    /// `SHOW PROCEDURE[S] [EXECUTABLE [BY CURRENT USER | BY name]]`.
    Procedures,
    /// `SHOW FUNCTION[S]`.
    Functions,
    /// `SHOW [kind] INDEX[ES]` (general Cypher: needs a server).
    Indexes,
    /// `SHOW [kind] CONSTRAINT[S]` (general Cypher: needs a server).
    Constraints,
    /// `SHOW TRANSACTION[S] [ids]` (general Cypher: needs a server).
    Transactions,
    /// `SHOW SETTING[S] [names]`.
    Settings,
    /// `SHOW SUPPORTED PRIVILEGE[S]`.
    SupportedPrivileges,
    /// `SHOW [ALL] PRIVILEGE[S] [AS [REVOKE] COMMAND[S]]`,
    /// `SHOW ROLE[S] r PRIVILEGE[S] ...`, `SHOW USER[S] [u] PRIVILEGE[S] ...`.
    Privileges {
        /// Whose privileges.
        scope: PrivilegeListScope,
        /// `AS COMMANDS` (`Some(true)` for `AS REVOKE COMMANDS`).
        as_commands: Option<bool>,
    },
}

/// Whose privileges `SHOW ... PRIVILEGES` lists.
#[derive(Debug, Clone, PartialEq)]
pub enum PrivilegeListScope {
    /// `SHOW [ALL] PRIVILEGES`.
    All,
    /// `SHOW ROLE[S] a, b PRIVILEGES`.
    Roles(Vec<NameOrParam>),
    /// `SHOW USER[S] [a, b] PRIVILEGES` (empty: the current user).
    Users(Vec<NameOrParam>),
}

/// One item of a YIELD or RETURN list.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionItem {
    /// The expression (a plain variable for YIELD).
    pub expr: Expr,
    /// `AS alias`.
    pub alias: Option<String>,
    /// The item's source text, used as the column name when there is no alias
    /// (Neo4j names an un-aliased RETURN column after its text).
    pub text: String,
}

/// `ORDER BY` item.
#[derive(Debug, Clone, PartialEq)]
pub struct SortItem {
    /// The expression.
    pub expr: Expr,
    /// `DESC`/`DESCENDING`.
    pub descending: bool,
}

/// The paging/ordering tail shared by YIELD and RETURN.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OrderSkipLimit {
    /// `ORDER BY`.
    pub order_by: Vec<SortItem>,
    /// `SKIP` (or `OFFSET`).
    pub skip: Option<Expr>,
    /// `LIMIT`.
    pub limit: Option<Expr>,
}

/// `YIELD * | item[, ...] [ORDER BY ..] [SKIP n] [LIMIT n] [WHERE ..]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Yield {
    /// `None` for `YIELD *`.
    pub items: Option<Vec<ProjectionItem>>,
    /// Ordering and paging.
    pub tail: OrderSkipLimit,
    /// `WHERE` after YIELD.
    pub where_: Option<Expr>,
}

/// `RETURN [DISTINCT] * | item[, ...] [ORDER BY ..] [SKIP n] [LIMIT n]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Return {
    /// `DISTINCT`.
    pub distinct: bool,
    /// `None` for `RETURN *`.
    pub items: Option<Vec<ProjectionItem>>,
    /// Ordering and paging.
    pub tail: OrderSkipLimit,
}

/// A SHOW command with its optional YIELD / WHERE / RETURN.
#[derive(Debug, Clone, PartialEq)]
pub struct Show {
    /// What is listed.
    pub kind: ShowKind,
    /// `YIELD ...`.
    pub yield_: Option<Yield>,
    /// `WHERE` directly after the command (no YIELD).
    pub where_: Option<Expr>,
    /// `RETURN ...` (needs YIELD).
    pub return_: Option<Return>,
}

/// `CALL proc.name(args) [YIELD * | item, ... [WHERE ..]] [RETURN ..]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The dotted procedure name as written (`dbms.cluster.cordonServer`).
    pub procedure: String,
    /// Byte offset of the procedure name.
    pub offset: usize,
    /// The arguments; `None` when the parentheses were omitted (implicit arguments).
    pub args: Option<Vec<Expr>>,
    /// `YIELD ...`.
    pub yield_: Option<Yield>,
    /// `RETURN ...` after YIELD.
    pub return_: Option<Return>,
}

/// Every statement the dialect knows. `Cypher` is anything outside the admin dialect that
/// passed lexical checks; only a server can judge it.
///
/// The large commands (SHOW and CALL with their YIELD / RETURN, aliases, users) are boxed:
/// a statement is moved out of the parser several times, and inline they made every
/// statement 488 bytes (BENCHMARKS.md, issue 16, session 9). `Box`'s `Debug` is its
/// contents', so the printed tree is unchanged.
#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    /// CREATE [OR REPLACE] DATABASE.
    CreateDatabase(CreateDatabase),
    /// CREATE [OR REPLACE] COMPOSITE DATABASE.
    CreateCompositeDatabase(CreateCompositeDatabase),
    /// ALTER DATABASE.
    AlterDatabase(AlterDatabase),
    /// DROP [COMPOSITE] DATABASE.
    DropDatabase(DropDatabase),
    /// START DATABASE.
    StartDatabase(StartStopDatabase),
    /// STOP DATABASE.
    StopDatabase(StartStopDatabase),
    /// Any SHOW command.
    Show(Box<Show>),
    /// ENABLE SERVER.
    EnableServer(EnableServer),
    /// ALTER SERVER.
    AlterServer(AlterServer),
    /// RENAME SERVER.
    RenameServer(RenameServer),
    /// DROP SERVER.
    DropServer(StringOrParam),
    /// [DRYRUN] DEALLOCATE DATABASES FROM SERVERS.
    DeallocateDatabases(DeallocateDatabases),
    /// [DRYRUN] REALLOCATE DATABASES (`true` for DRYRUN).
    ReallocateDatabases(bool),
    /// CREATE ALIAS.
    CreateAlias(Box<CreateAlias>),
    /// ALTER ALIAS.
    AlterAlias(Box<AlterAlias>),
    /// DROP ALIAS.
    DropAlias(DropAlias),
    /// CREATE USER.
    CreateUser(Box<CreateUser>),
    /// ALTER USER.
    AlterUser(Box<AlterUser>),
    /// ALTER CURRENT USER SET PASSWORD.
    AlterCurrentUser(AlterCurrentUser),
    /// RENAME USER.
    RenameUser(RenameNamed),
    /// DROP USER.
    DropUser(DropNamed),
    /// CREATE ROLE.
    CreateRole(CreateRole),
    /// RENAME ROLE.
    RenameRole(RenameNamed),
    /// DROP ROLE.
    DropRole(DropNamed),
    /// GRANT ROLE.
    GrantRole(RoleMembership),
    /// REVOKE ROLE.
    RevokeRole(RoleMembership),
    /// GRANT / DENY / REVOKE a privilege.
    Privilege(PrivilegeCommand),
    /// CALL a procedure.
    Call(Box<Call>),
    /// A query (MATCH, RETURN, CREATE, ...), run by a server.
    Query(Box<Query>),
    /// CREATE / DROP INDEX or CONSTRAINT, run by a server.
    Schema(Box<SchemaCommand>),
    /// `TERMINATE TRANSACTION[S] ids [YIELD ...]`, run by a server.
    TerminateTransactions,
    /// General Cypher, passed on as text.
    Cypher,
}

impl Statement {
    /// The statement's family as `cysh check --json` reports it in `kind`
    /// (`CREATE DATABASE`, `SHOW SERVERS`, `CALL`, `CYPHER`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            Statement::CreateDatabase(_) => "CREATE DATABASE",
            Statement::CreateCompositeDatabase(_) => "CREATE COMPOSITE DATABASE",
            Statement::AlterDatabase(_) => "ALTER DATABASE",
            Statement::DropDatabase(d) if d.composite => "DROP COMPOSITE DATABASE",
            Statement::DropDatabase(_) => "DROP DATABASE",
            Statement::StartDatabase(_) => "START DATABASE",
            Statement::StopDatabase(_) => "STOP DATABASE",
            Statement::Show(s) => match &s.kind {
                ShowKind::Databases(Some(_)) => "SHOW DATABASE",
                ShowKind::Databases(None) => "SHOW DATABASES",
                ShowKind::DefaultDatabase => "SHOW DEFAULT DATABASE",
                ShowKind::HomeDatabase => "SHOW HOME DATABASE",
                ShowKind::Servers => "SHOW SERVERS",
                ShowKind::Aliases(_) => "SHOW ALIASES",
                ShowKind::Users => "SHOW USERS",
                ShowKind::CurrentUser => "SHOW CURRENT USER",
                ShowKind::Roles { .. } => "SHOW ROLES",
                ShowKind::Procedures => "SHOW PROCEDURES",
                ShowKind::Functions => "SHOW FUNCTIONS",
                ShowKind::Privileges { .. } => "SHOW PRIVILEGES",
                ShowKind::Indexes => "SHOW INDEXES",
                ShowKind::Constraints => "SHOW CONSTRAINTS",
                ShowKind::Transactions => "SHOW TRANSACTIONS",
                ShowKind::Settings => "SHOW SETTINGS",
                ShowKind::SupportedPrivileges => "SHOW SUPPORTED PRIVILEGES",
            },
            Statement::EnableServer(_) => "ENABLE SERVER",
            Statement::AlterServer(_) => "ALTER SERVER",
            Statement::RenameServer(_) => "RENAME SERVER",
            Statement::DropServer(_) => "DROP SERVER",
            Statement::DeallocateDatabases(_) => "DEALLOCATE DATABASES",
            Statement::ReallocateDatabases(_) => "REALLOCATE DATABASES",
            Statement::CreateAlias(_) => "CREATE ALIAS",
            Statement::AlterAlias(_) => "ALTER ALIAS",
            Statement::DropAlias(_) => "DROP ALIAS",
            Statement::CreateUser(_) => "CREATE USER",
            Statement::AlterUser(_) => "ALTER USER",
            Statement::AlterCurrentUser(_) => "ALTER CURRENT USER",
            Statement::RenameUser(_) => "RENAME USER",
            Statement::DropUser(_) => "DROP USER",
            Statement::CreateRole(_) => "CREATE ROLE",
            Statement::RenameRole(_) => "RENAME ROLE",
            Statement::DropRole(_) => "DROP ROLE",
            Statement::GrantRole(_) => "GRANT ROLE",
            Statement::RevokeRole(_) => "REVOKE ROLE",
            Statement::Privilege(p) => match p.verb {
                PrivilegeVerb::Grant => "GRANT",
                PrivilegeVerb::Deny => "DENY",
                _ => "REVOKE",
            },
            Statement::Call(_) => "CALL",
            Statement::Query(q) => q.kind(),
            Statement::Schema(s) => s.kind(),
            Statement::TerminateTransactions => "TERMINATE TRANSACTIONS",
            Statement::Cypher => "CYPHER",
        }
    }

    /// True for general Cypher — queries, schema commands, and SHOW / TERMINATE commands a
    /// server answers — as opposed to the administration commands the cluster runs.
    pub fn is_general_cypher(&self) -> bool {
        match self {
            Statement::Query(_)
            | Statement::Schema(_)
            | Statement::TerminateTransactions
            | Statement::Cypher => true,
            Statement::Show(s) => matches!(
                s.kind,
                ShowKind::Indexes
                    | ShowKind::Constraints
                    | ShowKind::Transactions
                    | ShowKind::Settings
                    | ShowKind::SupportedPrivileges
            ),
            _ => false,
        }
    }

    /// True when the statement only reads state (SHOW, DRYRUN, and procedures the
    /// executor classes as reads). Used to allow reads where writes are refused.
    pub fn is_read_only(&self) -> bool {
        match self {
            Statement::Show(_) => true,
            Statement::Query(q) => q.is_read_only(),
            Statement::ReallocateDatabases(dry) => *dry,
            Statement::DeallocateDatabases(d) => d.dry_run,
            _ => false,
        }
    }

    /// The database a statement with a WAIT clause changes (the one to watch while it
    /// waits), when it names one.
    pub fn waited_database(&self) -> Option<&NameOrParam> {
        match self {
            Statement::CreateDatabase(c) => Some(&c.name),
            Statement::CreateCompositeDatabase(c) => Some(&c.name),
            Statement::AlterDatabase(a) => Some(&a.name),
            Statement::DropDatabase(d) => Some(&d.name),
            Statement::StartDatabase(s) | Statement::StopDatabase(s) => Some(&s.name),
            _ => None,
        }
    }

    /// The WAIT clause of the statement, when it has one.
    pub fn wait(&self) -> Wait {
        match self {
            Statement::CreateDatabase(c) => c.wait,
            Statement::CreateCompositeDatabase(c) => c.wait,
            Statement::AlterDatabase(a) => a.wait,
            Statement::DropDatabase(d) => d.wait,
            Statement::StartDatabase(s) | Statement::StopDatabase(s) => s.wait,
            _ => Wait::NoWait,
        }
    }
}
