//! The embedded cluster's data: servers, databases, allocations, aliases, settings, and
//! the system database's users, roles and privileges, and the `State` that holds them.
//!
//! It owns the data types of the control plane and a few derived indexes (per-server
//! load, the copies each server hosts, the composite and the stopped databases, the
//! enabled servers by load). The indexes change only in `store::Change::apply` (and
//! `State::reindex`, which drops them; each is built from the maps on its first use), so
//! they cannot drift from the allocations. The two large maps may be `Lazy`: a store
//! hands them over undecoded, to be decoded on first use (`cluster::lazy`). It must not decide policy (allocation, state transitions, validation): the
//! commands and the allocator do that, and every mutation goes through `txn::Txn`.

use crate::dialect::privilege::Action;
use crate::value::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

pub use super::lazy::Lazy;

/// One of the state's two large tables, which a store may hand over undecoded.
pub type Table<T> = Lazy<T, dyn Packed>;

/// The databases and their copies as a store keeps them packed (`store::packed`), checked
/// when the store opened and decoded on demand: whole into `State::databases` and
/// `State::allocations` on their first use, or one database at a time by the visits.
pub trait Packed: Send + Sync + std::fmt::Debug {
    /// Every database, by name.
    fn databases(&self) -> BTreeMap<Name, Database>;
    /// Every database's copies, by database name.
    fn allocations(&self) -> BTreeMap<Name, Vec<Allocation>>;
    /// Visits the databases in name order, each with its copies, until `visit` returns
    /// false; nothing is kept.
    fn visit(&self, visit: &mut dyn FnMut(&Database, &[Allocation]) -> bool);
    /// Visits every database's copies, by database name in name order; nothing is kept.
    fn visit_copies(&self, visit: &mut dyn FnMut(&Name, &[Allocation]));
    /// The composite and the stopped databases.
    fn flags(&self) -> Flags;
}

/// A database name or another short text of a database (its times, its language): held
/// inline up to 24 bytes, so the 100,000 databases of a large store open without a
/// million small allocations.
pub type Name = compact_str::CompactString;

/// A server id inside an allocation: shared, so the copies of 100,000 databases point at
/// their servers' ids rather than each holding a 36-byte copy.
pub type ServerId = Arc<str>;

/// A server's lifecycle state, as SHOW SERVERS prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ServerState {
    /// Discovered, not part of the cluster; hosts only `system`.
    Free,
    /// An active member; the only state that receives new allocations.
    Enabled,
    /// Keeps what it hosts, gets nothing new.
    Cordoned,
    /// Its databases are moving away (irreversible).
    Deallocating,
    /// Hosts only `system`; may be dropped.
    Deallocated,
    /// Removed from the cluster; disappears when its process stops.
    Dropped,
}

impl ServerState {
    /// The name SHOW SERVERS prints.
    pub fn as_str(self) -> &'static str {
        match self {
            ServerState::Free => "Free",
            ServerState::Enabled => "Enabled",
            ServerState::Cordoned => "Cordoned",
            ServerState::Deallocating => "Deallocating",
            ServerState::Deallocated => "Deallocated",
            ServerState::Dropped => "Dropped",
        }
    }
}

/// The mode of one copy of a database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mode {
    /// A primary (Raft member).
    Primary,
    /// A secondary (asynchronous replica).
    Secondary,
}

impl Mode {
    /// Lower-case, as SHOW DATABASES and DRYRUN print it.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Primary => "primary",
            Mode::Secondary => "secondary",
        }
    }
}

/// A server's `modeConstraint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum ModeConstraint {
    /// No constraint.
    #[default]
    None,
    /// Primaries only.
    Primary,
    /// Secondaries only.
    Secondary,
}

impl ModeConstraint {
    /// Upper-case, as SHOW SERVERS prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            ModeConstraint::None => "NONE",
            ModeConstraint::Primary => "PRIMARY",
            ModeConstraint::Secondary => "SECONDARY",
        }
    }

    /// Parses `PRIMARY`, `SECONDARY` or `NONE` (any case).
    pub fn parse(s: &str) -> Option<ModeConstraint> {
        match s.to_ascii_uppercase().as_str() {
            "NONE" => Some(ModeConstraint::None),
            "PRIMARY" => Some(ModeConstraint::Primary),
            "SECONDARY" => Some(ModeConstraint::Secondary),
            _ => None,
        }
    }

    /// True when a copy in `mode` may be hosted.
    pub fn allows(self, mode: Mode) -> bool {
        match self {
            ModeConstraint::None => true,
            ModeConstraint::Primary => mode == Mode::Primary,
            ModeConstraint::Secondary => mode == Mode::Secondary,
        }
    }
}

/// The options of ENABLE SERVER / ALTER SERVER (and the `initial.server.*` settings).
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub struct ServerOptions {
    /// `modeConstraint`.
    pub mode_constraint: ModeConstraint,
    /// `allowedDatabases` (lower-cased names or patterns).
    pub allowed_databases: Vec<String>,
    /// `deniedDatabases` (lower-cased names or patterns).
    pub denied_databases: Vec<String>,
    /// `tags`.
    pub tags: Vec<String>,
}

impl ServerOptions {
    /// True when the allowed/denied lists let the server host `database`.
    pub fn permits(&self, database: &str) -> bool {
        if !self.allowed_databases.is_empty()
            && !self
                .allowed_databases
                .iter()
                .any(|p| pattern_matches(p, database))
        {
            return false;
        }
        !self
            .denied_databases
            .iter()
            .any(|p| pattern_matches(p, database))
    }
}

/// Matches a database name against a 2025.12 name pattern (`*` any run, `?` one char).
/// Iterative with one backtrack point, so it is O(pattern × name) on any input.
pub fn pattern_matches(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < n.len() {
        if i < p.len() && (p[i] == '?' || (p[i] != '*' && p[i] == n[j])) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some((i, j));
            i += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    p[i..].iter().all(|c| *c == '*')
}

/// The role every user has.
pub const PUBLIC: &str = "PUBLIC";

/// One server of the cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// The server id (a v4 UUID); never changes.
    pub id: String,
    /// The server name (starts as its id).
    pub name: String,
    /// The Bolt address, `localhost:7687`, ...
    pub address: String,
    /// Lifecycle state.
    pub state: ServerState,
    /// True when its process is running (health `Available`).
    pub available: bool,
    /// The options in force (ENABLE/ALTER SERVER).
    pub options: ServerOptions,
    /// The server's `initial.server.*` values, used by ENABLE SERVER without OPTIONS.
    pub initial: ServerOptions,
    /// `server.cluster.system_database_mode`.
    pub system_mode: Mode,
    /// Join order, used to keep `--servers` addresses counting up.
    pub joined: u64,
}

impl Server {
    /// The HTTP address: the Bolt port mapped onto 7474 (cysh's choice).
    pub fn http_address(&self) -> Option<String> {
        let (host, port) = self.address.rsplit_once(':')?;
        let port: i64 = port.parse().ok()?;
        Some(format!("{host}:{}", port - 7687 + 7474))
    }
}

/// The type of a database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseKind {
    /// A user database with a topology.
    Standard,
    /// The `system` database, on every server.
    System,
    /// A composite database, on every server, no topology.
    Composite,
}

impl DatabaseKind {
    /// As SHOW DATABASES prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            DatabaseKind::Standard => "standard",
            DatabaseKind::System => "system",
            DatabaseKind::Composite => "composite",
        }
    }
}

/// A database's requested status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Started.
    Online,
    /// Stopped.
    Offline,
}

impl Status {
    /// As SHOW DATABASES prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Online => "online",
            Status::Offline => "offline",
        }
    }
}

/// One database (standard or composite; `system` is implicit and not stored).
///
/// What most statements read is inline; the rest (`details`) is boxed, so an entry of the
/// databases map is ~48 bytes rather than ~200: at 100,000 databases that is a quarter of
/// the memory a one-shot process touches, and page faults were a third of its time. The
/// details' fields read as the database's own (`Deref`).
#[derive(Debug, Clone, PartialEq)]
pub struct Database {
    /// The normalised (lower-case) name.
    pub name: Name,
    /// Standard or composite.
    pub kind: DatabaseKind,
    /// False for `READ ONLY`.
    pub read_write: bool,
    /// START / STOP.
    pub requested_status: Status,
    /// Requested primaries (0 for composites).
    pub primaries: u32,
    /// Requested secondaries.
    pub secondaries: u32,
    /// The rest.
    pub details: Box<DatabaseDetails>,
}

/// The parts of a database that only some statements read (SHOW DATABASES' columns, ALTER
/// DATABASE's options).
#[derive(Debug, Clone, PartialEq)]
pub struct DatabaseDetails {
    /// OPTIONS as recorded (canonical key names).
    pub options: BTreeMap<String, Value>,
    /// `CYPHER 5` or `CYPHER 25`.
    pub default_language: Name,
    /// A 64-hex-digit id, derived from the id generator.
    pub database_id: String,
    /// When it was created (ISO-8601).
    pub creation_time: Name,
    /// When it last started.
    pub last_start_time: Option<Name>,
    /// When it last stopped.
    pub last_stop_time: Option<Name>,
}

impl std::ops::Deref for Database {
    type Target = DatabaseDetails;

    fn deref(&self) -> &DatabaseDetails {
        &self.details
    }
}

impl std::ops::DerefMut for Database {
    fn deref_mut(&mut self) -> &mut DatabaseDetails {
        &mut self.details
    }
}

/// One copy of a database on a server.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Allocation {
    /// The hosting server's id.
    pub server: ServerId,
    /// Primary or secondary.
    pub mode: Mode,
}

/// The remote part of a remote alias.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteTarget {
    /// `AT 'url'`.
    pub url: String,
    /// `USER name`.
    pub user: String,
    /// `PASSWORD` (kept only to say it is set; never shown).
    pub password: String,
    /// `DRIVER {..}`.
    pub driver: BTreeMap<String, Value>,
}

/// A database alias, local or remote, possibly inside a composite database.
#[derive(Debug, Clone, PartialEq)]
pub struct Alias {
    /// The full alias name (`garden.flowers` for an alias in composite `garden`).
    pub name: String,
    /// The composite database it belongs to.
    pub composite: Option<String>,
    /// The target database name.
    pub target: String,
    /// Set for a remote alias.
    pub remote: Option<RemoteTarget>,
    /// `PROPERTIES {..}`.
    pub properties: BTreeMap<String, Value>,
    /// `DEFAULT LANGUAGE` of a remote alias.
    pub default_language: Option<String>,
}

/// The cluster-wide settings (Neo4j's names in `config::SETTINGS`).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// `dbms.cluster.minimum_initial_system_primaries_count`.
    pub min_initial_system_primaries: u32,
    /// `initial.dbms.default_database`, then whatever `dbms.setDefaultDatabase` sets.
    pub default_database: String,
    /// `initial.dbms.default_primaries_count` / `dbms.setDefaultAllocationNumbers`.
    pub default_primaries: u32,
    /// `initial.dbms.default_secondaries_count` / `dbms.setDefaultAllocationNumbers`.
    pub default_secondaries: u32,
    /// `initial.dbms.automatically_enable_free_servers` / the procedure.
    pub auto_enable_free_servers: bool,
    /// `dbms.max_databases`.
    pub max_databases: u64,
    /// Per-server defaults (`initial.server.*`).
    pub server_defaults: ServerOptions,
    /// `server.cluster.system_database_mode` for new servers.
    pub system_mode: Mode,
    /// True once the system database has bootstrapped.
    pub bootstrapped: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            min_initial_system_primaries: 3,
            default_database: "neo4j".into(),
            default_primaries: 1,
            default_secondaries: 0,
            auto_enable_free_servers: false,
            max_databases: 100,
            server_defaults: ServerOptions::default(),
            system_mode: Mode::Primary,
            bootstrapped: false,
        }
    }
}

/// A user of the DBMS (SHOW USERS).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The user name (case-sensitive, as in Neo4j).
    pub name: String,
    /// The argon2id PHC string of the password; `None`: no password set, so no login
    /// with one is possible (the embedded initial user until an operator sets one).
    pub password_hash: Option<String>,
    /// `passwordChangeRequired`.
    pub change_required: bool,
    /// `suspended`.
    pub suspended: bool,
    /// `home` (a database name), `None` for the default database.
    pub home: Option<String>,
}

/// A role. Membership and privileges are kept beside it, keyed by its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// The role name.
    pub name: String,
    /// True for the built-in `PUBLIC`, which every user has and nobody may drop.
    pub immutable: bool,
}

/// GRANTED or DENIED.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Grant {
    /// `GRANT`.
    Granted,
    /// `DENY`.
    Denied,
}

impl Grant {
    /// As SHOW PRIVILEGES prints it in `access`.
    pub fn as_str(self) -> &'static str {
        match self {
            Grant::Granted => "GRANTED",
            Grant::Denied => "DENIED",
        }
    }

    /// The command word: `GRANT` or `DENY`.
    pub fn verb(self) -> &'static str {
        match self {
            Grant::Granted => "GRANT",
            Grant::Denied => "DENY",
        }
    }
}

/// What a privilege is granted on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// `ON DBMS`.
    Dbms,
    /// `ON DATABASE *` / `ON GRAPH *`.
    AllDatabases,
    /// `ON DATABASE name` (one privilege per name, as Neo4j lists them).
    Database(String),
    /// `ON HOME DATABASE`.
    HomeDatabase,
    /// `ON DEFAULT DATABASE`.
    DefaultDatabase,
    /// `ON ALL DATA` (LOAD only).
    AllData,
}

/// One privilege held by a role.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Privilege {
    /// GRANTED or DENIED.
    pub access: Grant,
    /// The action (`SERVER MANAGEMENT`, `ACCESS`, `MATCH`, ...).
    pub action: Action,
    /// Text between the action and `ON` (`{*}`, `(*)`, `*` of EXECUTE PROCEDURE *).
    pub qualifier: Option<String>,
    /// What it is granted on.
    pub target: Target,
    /// Text after the target (`NODE *`, `RELATIONSHIP *`).
    pub segment: Option<String>,
    /// `IMMUTABLE`.
    pub immutable: bool,
}

/// The whole control-plane state. Maps are ordered so iteration is deterministic.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct State {
    /// Servers by id.
    pub servers: BTreeMap<String, Server>,
    /// User and composite databases by name (`system` is implicit); from a store's
    /// snapshot, decoded on first use.
    pub databases: Table<BTreeMap<Name, Database>>,
    /// Allocations of standard databases, by database name; from a store's snapshot,
    /// decoded on first use.
    pub allocations: Table<BTreeMap<Name, Vec<Allocation>>>,
    /// Aliases by full name.
    pub aliases: BTreeMap<String, Alias>,
    /// Settings.
    pub settings: Settings,
    /// Users by name.
    pub users: BTreeMap<String, User>,
    /// Roles by name.
    pub roles: BTreeMap<String, Role>,
    /// Members of each role (role name to user names); `PUBLIC` is implicit and not kept.
    pub role_members: BTreeMap<String, Vec<String>>,
    /// Privileges of each role, in the order they were granted.
    pub privileges: BTreeMap<String, Vec<Privilege>>,
    /// Derived: each server's load and the enabled servers ranked by it. Built on first
    /// use (`State::loads`): a one-shot SHOW DATABASES never asks, and at 100,000
    /// databases counting 300,000 copies was a ninth of opening a store.
    pub loads: LoadIndex,
    /// Derived: the copies each server hosts, by server id (no entry for a server that
    /// hosts none), so what a server hosts costs its own copies, not every database.
    /// Built on first use (`State::hosted_by`): most one-shot statements never ask, and
    /// at 100,000 databases building it was a quarter of opening a store.
    pub hosted: HostedIndex,
    /// Derived: the composite and the stopped databases, built on first use
    /// (`State::flags`).
    pub flags: FlagIndex,
}

/// The databases with a flag that changes what runs where.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Flags {
    /// The names of the composite databases (they run on every member server).
    pub composites: BTreeSet<Name>,
    /// The names of the databases whose requested status is offline (stopped), so what
    /// runs on a server is its copies minus these, without a lookup per copy.
    pub stopped: BTreeSet<Name>,
}

/// Each server's load and the enabled servers ordered by it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Loads {
    /// User-database copies per server id (no entry for a server with none).
    pub by_server: HashMap<String, usize>,
    /// The `Enabled` servers by (load, id), the order placement ranks them in, so placing
    /// a copy reads the few least loaded servers rather than ranking all of them.
    pub enabled: BTreeSet<(usize, String)>,
}

impl Loads {
    /// The load (user-database copies) of a server.
    pub fn of(&self, server: &str) -> usize {
        self.by_server.get(server).copied().unwrap_or(0)
    }
}

/// A derived index: built from the maps on first use, then kept in step by
/// `store::Change::apply` (which changes it only once it is built). It compares equal to
/// any other: it is a function of the maps, which `State`'s equality compares (the
/// property test in `tests/invariants.rs` compares its contents with a rebuild).
#[derive(Debug, Clone, Default)]
pub struct Derived<T>(std::sync::OnceLock<T>);

impl<T> PartialEq for Derived<T> {
    fn eq(&self, _other: &Derived<T>) -> bool {
        true
    }
}

impl<T> Derived<T> {
    /// The index when it has been built (what `Change::apply` keeps in step).
    pub(crate) fn built_mut(&mut self) -> Option<&mut T> {
        self.0.get_mut()
    }
}

/// The copies each server hosts, by server id (no entry for a server that hosts none).
pub type HostedIndex = Derived<HashMap<ServerId, Hosted>>;
/// Each server's load and the enabled servers ordered by it.
pub type LoadIndex = Derived<Loads>;
/// The composite and the stopped databases.
pub type FlagIndex = Derived<Flags>;

/// The copies one server hosts: an index over `State::allocations`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Hosted {
    /// Each database with a copy here and the copy's mode, sorted by name (a sorted list,
    /// not a map: it is built in the allocations' own name order without a sort, and a
    /// server's few hundred entries are searched by bisection).
    pub databases: Vec<(Name, Mode)>,
    /// How many of them are primaries.
    pub primaries: usize,
    /// How many of them are secondaries.
    pub secondaries: usize,
}

impl Hosted {
    /// Records a copy of `database` in `mode`.
    pub(crate) fn add(&mut self, database: &str, mode: Mode) {
        match self.position(database) {
            Ok(i) => {
                // A database has at most one copy per server; a second one replaces it.
                let old = std::mem::replace(&mut self.databases[i].1, mode);
                self.count(old, false);
            }
            Err(i) => self.databases.insert(i, (database.into(), mode)),
        }
        self.count(mode, true);
    }

    /// Where `database` is in the list, or where it would go.
    fn position(&self, database: &str) -> Result<usize, usize> {
        self.databases
            .binary_search_by(|(name, _)| name.as_str().cmp(database))
    }

    /// The names of the databases with a copy here, in name order.
    pub fn names(&self) -> impl Iterator<Item = &Name> {
        self.databases.iter().map(|(name, _)| name)
    }

    /// Forgets the copy of `database` if its mode is `mode`.
    pub(crate) fn remove(&mut self, database: &str, mode: Mode) {
        if let Ok(i) = self.position(database)
            && self.databases[i].1 == mode
        {
            self.databases.remove(i);
            self.count(mode, false);
        }
    }

    fn count(&mut self, mode: Mode, up: bool) {
        let n = match mode {
            Mode::Primary => &mut self.primaries,
            Mode::Secondary => &mut self.secondaries,
        };
        *n = if up { *n + 1 } else { n.saturating_sub(1) };
    }

    /// True when the server hosts no copy.
    pub fn is_empty(&self) -> bool {
        self.databases.is_empty()
    }
}

impl State {
    /// Recomputes the derived indexes (after loading from a store); the load and hosted
    /// indexes are dropped, to be built again on first use.
    pub fn reindex(&mut self) {
        self.loads = LoadIndex::default();
        self.hosted = HostedIndex::default();
        self.flags = FlagIndex::default();
    }

    /// The composite and the stopped databases, found among the databases if this is
    /// the index's first use.
    pub fn flags(&self) -> &Flags {
        self.flags.0.get_or_init(|| {
            if let Some(packed) = self.databases.undecoded() {
                return packed.flags();
            }
            let mut flags = Flags::default();
            for d in self.databases.values() {
                if d.requested_status == Status::Offline {
                    flags.stopped.insert(d.name.clone());
                }
                if d.kind == DatabaseKind::Composite {
                    flags.composites.insert(d.name.clone());
                }
            }
            flags
        })
    }

    /// Visits every database's copies, by database name in name order; from the store's
    /// snapshot, one list at a time, while the allocations have not been read since.
    pub fn each_copy_list(&self, visit: &mut dyn FnMut(&Name, &[Allocation])) {
        match self.allocations.undecoded() {
            Some(packed) => packed.visit_copies(visit),
            None => {
                for (name, copies) in self.allocations.iter() {
                    visit(name, copies);
                }
            }
        }
    }

    /// Visits the databases in name order, each with its copies, until `visit` returns
    /// false; true when every database was visited. The first time, while neither table
    /// has been read since the store opened, the databases are decoded one by one from the
    /// store's snapshot and not kept: a SHOW DATABASES that stops after ten rows decodes a
    /// few databases, not all of them. Later visits read the maps (decoded once), so a
    /// server answering it again and again does not decode it every time.
    pub fn each_database(&self, visit: &mut dyn FnMut(&Database, &[Allocation]) -> bool) -> bool {
        let mut completed = true;
        let mut step = |d: &Database, copies: &[Allocation]| {
            let more = visit(d, copies);
            completed &= more;
            more
        };
        if let (Some(_), Some(packed)) = (self.allocations.undecoded(), self.databases.visit_once())
        {
            packed.visit(&mut step);
        } else {
            for d in self.databases.values() {
                if !step(d, self.allocations_of(&d.name)) {
                    break;
                }
            }
        }
        completed
    }

    /// The copies a server hosts (none for an unknown server).
    pub fn hosted_by(&self, server: &str) -> Option<&Hosted> {
        self.hosted_index().get(server)
    }

    /// The load index, built from the allocations if this is its first use.
    pub fn loads(&self) -> &Loads {
        self.loads.0.get_or_init(|| self.build_loads())
    }

    /// The load index, built first if need be, to change by hand (tests that set a
    /// server's load without copies to carry it).
    #[cfg(test)]
    pub(crate) fn loads_mut(&mut self) -> &mut Loads {
        self.loads();
        self.loads.0.get_mut().expect("built just now")
    }

    /// The enabled servers by (load, id).
    pub fn enabled_by_load(&self) -> &BTreeSet<(usize, String)> {
        &self.loads().enabled
    }

    fn build_loads(&self) -> Loads {
        // Copies are counted by the address of their shared id (a snapshot gives every
        // copy on a server the same one), then summed by id text, which is right however
        // the ids are shared: 300,000 copies cost a word hash each, not a 36-byte one.
        let mut by_address: ByAddress<usize> = HashMap::default();
        self.each_copy_list(&mut |_, copies| {
            for a in copies {
                let address = address_of(&a.server);
                by_address
                    .entry(address)
                    .or_insert_with(|| (a.server.clone(), 0))
                    .1 += 1;
            }
        });
        let mut by_server: HashMap<String, usize> = HashMap::with_capacity(self.servers.len());
        for (server, n) in by_address.into_values() {
            *by_server.entry(String::from(&*server)).or_default() += n;
        }
        let enabled = self
            .servers
            .values()
            .filter(|s| s.state == ServerState::Enabled)
            .map(|s| (by_server.get(&s.id).copied().unwrap_or(0), s.id.clone()))
            .collect();
        Loads { by_server, enabled }
    }

    /// The hosted index, built from the allocations if this is its first use.
    pub fn hosted_index(&self) -> &HashMap<ServerId, Hosted> {
        self.hosted.0.get_or_init(|| self.build_hosted())
    }

    /// Each server's copies, gathered in database-name order (the allocations' own
    /// order), so every hosted map is built in one pass rather than insert by insert.
    fn build_hosted(&self) -> HashMap<ServerId, Hosted> {
        // Grouped by the address of the shared id first (a word hash per copy, as in
        // `reindex`), then by id text, which is right however the ids are shared.
        let mut by_address: ByAddress<Vec<(Name, Mode)>> = HashMap::default();
        self.each_copy_list(&mut |db, copies| {
            for a in copies {
                let address = address_of(&a.server);
                by_address
                    .entry(address)
                    .or_insert_with(|| (a.server.clone(), Vec::new()))
                    .1
                    .push((db.clone(), a.mode));
            }
        });
        let mut out: HashMap<ServerId, Hosted> = HashMap::with_capacity(by_address.len());
        let mut merged = Vec::new();
        for (server, list) in by_address.into_values() {
            let entry = out.entry(server.clone()).or_default();
            if entry.databases.is_empty() {
                // Gathered in the allocations' name order: already sorted.
                entry.databases = list;
            } else {
                entry.databases.extend(list);
                merged.push(server.clone());
            }
        }
        for server in merged {
            if let Some(h) = out.get_mut(&server) {
                h.databases.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            }
        }
        for h in out.values_mut() {
            h.primaries = h
                .databases
                .iter()
                .filter(|(_, m)| *m == Mode::Primary)
                .count();
            h.secondaries = h.databases.len() - h.primaries;
        }
        out
    }

    /// The load (user-database copies) of a server.
    pub fn load_of(&self, server: &str) -> usize {
        self.loads().of(server)
    }

    /// Finds a server by name, then by id (Neo4j accepts either).
    pub fn server_by_name_or_id(&self, key: &str) -> Option<&Server> {
        self.servers
            .values()
            .find(|s| s.name == key)
            .or_else(|| self.servers.get(key))
    }

    /// The allocations of a database (empty for unknown or composite ones).
    pub fn allocations_of(&self, database: &str) -> &[Allocation] {
        self.allocations
            .get(database)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The roles of a user, sorted, `PUBLIC` last (as SHOW USERS prints them).
    pub fn roles_of(&self, user: &str) -> Vec<String> {
        let mut roles: Vec<String> = self
            .role_members
            .iter()
            .filter(|(_, members)| members.iter().any(|m| m == user))
            .map(|(r, _)| r.clone())
            .collect();
        roles.push(PUBLIC.to_string());
        roles
    }

    /// Local aliases (not in a composite) targeting `database`, sorted.
    pub fn local_aliases_of(&self, database: &str) -> Vec<String> {
        self.aliases
            .values()
            .filter(|a| a.remote.is_none() && a.composite.is_none() && a.target == database)
            .map(|a| a.name.clone())
            .collect()
    }
}

/// Where a shared server id's text lives: equal for every copy that shares it, so
/// copies are grouped by one word before (rarely) by their text.
fn address_of(id: &ServerId) -> usize {
    Arc::as_ptr(id).cast::<u8>() as usize
}

/// Server ids grouped by the address of their shared text, each with what was gathered.
/// (The id is held, so its address stays its own while the grouping lasts.)
type ByAddress<T> = HashMap<usize, (ServerId, T), BuildHasherDefault<IdHasher>>;

/// A fast hasher for the few hundred server ids `State::reindex` groups 300,000 copies
/// by: eight bytes per multiply (the default SipHash was a tenth of opening a large
/// store). Ids are the cluster's own, so no one chooses them to collide.
/// The allocator's planner keys its per-server maps by server index with it too.
#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl IdHasher {
    fn mix(&mut self, word: u64) {
        const K: u64 = 0x517C_C1B7_2722_0A95;
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.mix(u64::from_le_bytes(word));
        }
        for &b in chunks.remainder() {
            self.mix(u64::from(b));
        }
    }

    // Whole words in one step (what `write` would do with their bytes, or better).
    fn write_u32(&mut self, n: u32) {
        self.mix(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.mix(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::pattern_matches;

    #[test]
    fn patterns_match_like_globs() {
        assert!(pattern_matches("foo*", "foobar"));
        assert!(pattern_matches("f?o", "foo"));
        assert!(pattern_matches("*", ""));
        assert!(!pattern_matches("foo", "foobar"));
        assert!(pattern_matches("*b*r", "foobar"));
        let long = "a".repeat(60);
        assert!(!pattern_matches(&format!("{}b", "*a".repeat(30)), &long));
    }
}
