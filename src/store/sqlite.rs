//! `SqliteStore`: the cluster's `Store` in a SQLite file, through rusqlite.
//!
//! Each `commit` is one SQLite transaction that maps every `Change` to its row operations,
//! so a statement is on disk entirely or not at all. The file runs in WAL mode with
//! `synchronous = NORMAL` (see ARCHITECTURE.md): every committed statement survives a killed
//! process; a lost machine may lose the last commits but never half-applies one. Opening never creates or rewrites a file it cannot read: a damaged, truncated
//! or foreign file is reported and left alone.
//!
//! It must not interpret the state; `codec` maps rows to model types.

use super::OpenError;
use super::codec::{self, list_json, map_json, options_json};
use super::schema::{APPLICATION_ID, MIGRATIONS, VERSION};
use super::secret::Sealer;
use super::snapshot;
use crate::cluster::model::{
    Alias, Allocation, Database, DatabaseDetails, Name, Packed, Privilege, Role, Server, Settings,
    State, Table, User,
};
use crate::cluster::store::{Change, Store, StoreError};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, params};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The cluster state in a SQLite file.
pub struct SqliteStore {
    conn: Connection,
    /// The file and its directory, for messages.
    file: PathBuf,
    dir: PathBuf,
    /// Seals alias passwords before they reach the file, and opens them when loading.
    sealer: Sealer,
    /// The `untouched` mark is in the file (see `schema`).
    untouched: bool,
    /// `PRAGMA quick_check` has passed in this process (or the file was made by it), so it
    /// may be written.
    checked: bool,
    /// The state read at open, until `load` hands it out.
    loaded: Option<State>,
    /// A commit failed in this process: the cluster's state is not trusted to match the
    /// file, so no snapshot is written from it.
    failed: bool,
    /// The last read of the state took the large tables from the snapshot.
    from_snapshot: bool,
    /// The snapshot is of the file's generation but could not be read (an older format,
    /// or damage), so a clean close writes it again although nothing changed.
    stale_format: bool,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").finish_non_exhaustive()
    }
}

fn store_err(e: rusqlite::Error) -> StoreError {
    StoreError(format!("SQLite: {e}"))
}

impl SqliteStore {
    /// Opens `file` (creating it, with the schema, when it does not exist). `dir` is only
    /// used in messages.
    pub fn open(file: &Path, dir: &Path) -> Result<SqliteStore, OpenError> {
        let corrupt = |detail: String| OpenError::Corrupt {
            file: file.to_path_buf(),
            dir: dir.to_path_buf(),
            detail,
        };
        let exists = file.exists();
        // An existing file is opened without CREATE, and read before anything is written,
        // so a file SQLite cannot read is never turned into an empty database.
        let flags = if exists {
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
        };
        let conn = Connection::open_with_flags(file, flags).map_err(|e| corrupt(e.to_string()))?;
        if exists {
            let (app, version): (i64, i64) = conn
                .query_row("SELECT application_id, user_version FROM pragma_application_id, pragma_user_version", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .map_err(|e| corrupt(e.to_string()))?;
            // A file without a single table holds nothing to lose (a store whose only
            // commits were in a log the operator chose to drop with --recover): it is
            // set up as a new one.
            let tables: i64 = conn
                .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
                .map_err(|e| corrupt(e.to_string()))?;
            if app != APPLICATION_ID && !(app == 0 && version == 0 && tables == 0) {
                return Err(OpenError::Foreign {
                    file: file.to_path_buf(),
                    found: app,
                });
            }
            if version > VERSION {
                return Err(OpenError::TooNew {
                    file: file.to_path_buf(),
                    found: version,
                    supported: VERSION,
                });
            }
        }
        // A file made just now holds nothing to check. Switching an existing file to WAL
        // writes its header: only once the file is checked.
        let mut checked = !exists;
        let journal: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .map_err(|e| corrupt(e.to_string()))?;
        if !checked && !journal.eq_ignore_ascii_case("wal") {
            quick_check(&conn).map_err(corrupt)?;
            checked = true;
        }
        // WAL: a commit appends to the log, readers never block the writer. NORMAL: the log
        // is written (to the OS) before a commit returns, so a killed process loses nothing
        // it acknowledged; it is fsynced at checkpoints, so a power loss can roll back the
        // newest commits but never corrupts the file or half-applies one. FULL (an fsync per
        // statement) measured 5.5 times slower; see BENCHMARKS.md.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| corrupt(e.to_string()))?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(|e| corrupt(e.to_string()))?;
        // A key is made only for a store without sealed secrets: a missing key for one
        // that has them is reported, never replaced by a new one.
        let sealed: i64 = conn
            .query_row(
                "SELECT count(*) FROM aliases WHERE remote_password LIKE 'enc1:%'",
                [],
                |r| r.get(0),
            )
            .unwrap_or(0);
        let sealer = Sealer::open(dir, sealed == 0).map_err(|e| OpenError::Io {
            dir: dir.to_path_buf(),
            detail: e.to_string(),
        })?;
        let mut store = SqliteStore {
            conn,
            file: file.to_path_buf(),
            dir: dir.to_path_buf(),
            sealer,
            untouched: false,
            checked,
            loaded: None,
            failed: false,
            from_snapshot: false,
            stale_format: false,
        };
        store.migrate().map_err(|e| corrupt(e.0))?;
        store.seal_plain_secrets().map_err(|e| corrupt(e.0))?;
        store.untouched = store
            .conn
            .query_row(
                "SELECT count(*) FROM meta WHERE name = 'untouched'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map_err(|e| corrupt(e.to_string()))?
            > 0;
        // Read now, so a file that cannot be read is reported as such, before anything
        // is written to it.
        store.loaded = store.read_state().map_err(|e| corrupt(e.0))?;
        Ok(store)
    }

    /// Runs `PRAGMA quick_check` once per process, before the first write: a file is
    /// never written until it has been read whole. A read-only process that found a
    /// current snapshot never pays for it (see ARCHITECTURE.md, "Durability").
    fn ensure_checked(&mut self) -> Result<(), StoreError> {
        if self.checked {
            return Ok(());
        }
        quick_check(&self.conn).map_err(|detail| self.unreadable(detail))?;
        self.checked = true;
        Ok(())
    }

    /// The error for a file that cannot be read, in the words `OpenError::Corrupt` uses.
    fn unreadable(&self, detail: String) -> StoreError {
        StoreError(
            OpenError::Corrupt {
                file: self.file.clone(),
                dir: self.dir.clone(),
                detail,
            }
            .to_string(),
        )
    }

    /// The generation of the large tables (bumped by triggers on every row change), and
    /// the generation the stored snapshot reflects.
    fn generations(&self) -> Result<(Option<i64>, Option<i64>), StoreError> {
        let file = self
            .conn
            .query_row(
                "SELECT CAST(value AS INTEGER) FROM meta WHERE name = 'generation'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(store_err)?;
        let snapshot = self
            .conn
            .query_row("SELECT generation FROM snapshot WHERE id = 1", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(store_err)?;
        Ok((file, snapshot))
    }

    /// The large tables from the snapshot when it is of the file's generation and reads
    /// back whole; `None` otherwise (the tables are read instead).
    fn current_snapshot(&mut self) -> Result<Option<snapshot::Opened>, StoreError> {
        let (Some(file), Some(snap)) = self.generations()? else {
            return Ok(None);
        };
        if file != snap {
            return Ok(None);
        }
        // Read a block at a time: the blob is tens of MB at 100,000 databases, and
        // holding it whole beside the tables it becomes would be most of the open's
        // peak memory.
        // Read through a memory map of the file, for this read only: SQLite hands out the
        // mapped pages instead of copying each into its cache with a system call of its
        // own (5,000 of them at 100,000 databases). The map is dropped right after, so a
        // file another program truncates later cannot fault this process, and its pages
        // do not stay in the process's memory.
        let mapped = self
            .conn
            .pragma_update(None, "mmap_size", SNAPSHOT_MAP)
            .is_ok();
        let tables = self
            .conn
            .blob_open(rusqlite::MAIN_DB, "snapshot", "data", 1, true)
            .map_err(store_err)
            .map(|blob| {
                let len = blob.len();
                snapshot::decode_from(blob, len).ok()
            });
        if mapped {
            self.conn
                .pragma_update(None, "mmap_size", 0)
                .map_err(store_err)?;
        }
        let tables = tables?;
        self.stale_format = tables.is_none();
        Ok(tables)
    }

    /// Reads the whole state: the large tables from a current snapshot, else from their
    /// rows (after `PRAGMA quick_check`); the rest from their rows. `None` when the file
    /// holds no cluster.
    fn read_state(&mut self) -> Result<Option<State>, StoreError> {
        let settings_rows: BTreeMap<String, String> = {
            let mut stmt = self
                .conn
                .prepare("SELECT name, value FROM settings")
                .map_err(store_err)?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(store_err)?
                .collect::<Result<_, _>>()
                .map_err(store_err)?
        };
        if settings_rows.is_empty() {
            return Ok(None);
        }
        let mut state = State {
            settings: codec::settings_from(&settings_rows)?,
            ..State::default()
        };
        let snapshot = self.current_snapshot()?;
        self.from_snapshot = snapshot.is_some();
        match snapshot {
            Some(opened) => {
                // The two large tables stay packed until a statement reads them.
                state.servers = opened.servers;
                let packed: std::sync::Arc<dyn Packed> = opened.packed;
                state.databases = Table::pending(packed.clone(), |p| p.databases());
                state.allocations = Table::pending(packed, |p| p.allocations());
            }
            None => {
                self.ensure_checked()?;
                load_servers(&self.conn, &mut state)?;
                load_databases(&self.conn, &mut state)?;
                load_allocations(&self.conn, &mut state)?;
            }
        }
        load_aliases(&self.conn, &mut state, &self.sealer)?;
        load_security(&self.conn, &mut state)?;
        Ok(Some(state))
    }

    /// Writes the snapshot of `state`'s large tables, tagged with the file's generation,
    /// unless the stored one is already current. `state` must be what the file holds:
    /// the cluster calls this at a clean close, with no transaction open, and nothing is
    /// written after a failed commit.
    fn write_snapshot(&mut self, state: &State) -> Result<(), StoreError> {
        if self.failed {
            return Ok(());
        }
        let (file, snap) = self.generations()?;
        if file.is_some() && file == snap && !self.stale_format {
            return Ok(());
        }
        self.ensure_checked()?;
        let (servers, databases, allocations) =
            (&state.servers, &state.databases, &state.allocations);
        // Given its size first, then written in place a block at a time: neither cysh nor
        // SQLite holds the whole blob (20 MB at 100,000 databases).
        let len = snapshot::encoded_len(servers, databases, allocations);
        let tx = self.conn.transaction().map_err(store_err)?;
        // A file whose generation row was deleted gets it back (the triggers need it).
        tx.execute(
            "INSERT OR IGNORE INTO meta (name, value) VALUES ('generation', '0')",
            [],
        )
        .map_err(store_err)?;
        tx.execute(
            "INSERT OR REPLACE INTO snapshot (id, generation, data) VALUES \
             (1, (SELECT CAST(value AS INTEGER) FROM meta WHERE name = 'generation'), \
             zeroblob(?1))",
            [i64::try_from(len).unwrap_or(i64::MAX)],
        )
        .map_err(store_err)?;
        {
            let mut blob = tx
                .blob_open(rusqlite::MAIN_DB, "snapshot", "data", 1, false)
                .map_err(store_err)?;
            snapshot::write(servers, databases, allocations, len, |bytes| {
                blob.write_all(bytes)
            })
            .map_err(|e| StoreError(format!("SQLite: {e}")))?;
        }
        tx.commit().map_err(store_err)?;
        self.stale_format = false;
        Ok(())
    }

    /// True when the state read at open took servers, databases and allocations from a
    /// current snapshot rather than from their rows.
    pub fn opened_from_snapshot(&self) -> bool {
        self.from_snapshot
    }

    /// Sets `synchronous` (NORMAL by default). The durability benchmark compares FULL,
    /// NORMAL and OFF to show what each costs.
    pub fn set_synchronous(&mut self, mode: &str) -> Result<(), StoreError> {
        self.conn
            .pragma_update(None, "synchronous", mode)
            .map_err(store_err)
    }

    /// True when the file holds a cluster that no statement has changed since it was set
    /// up (so nothing would be lost by setting it up anew).
    pub fn is_untouched(&self) -> bool {
        self.untouched
    }

    /// Empties the file of any cluster, in one transaction, so the next load finds none.
    /// Only for an untouched cluster: the caller checks [`SqliteStore::is_untouched`].
    pub fn reset(&mut self) -> Result<(), StoreError> {
        self.ensure_checked()?;
        self.loaded = None;
        let tx = self.conn.transaction().map_err(store_err)?;
        for table in [
            "allocations",
            "aliases",
            "databases",
            "servers",
            "settings",
            "privileges",
            "role_members",
            "roles",
            "users",
        ] {
            tx.execute(&format!("DELETE FROM {table}"), [])
                .map_err(store_err)?;
        }
        // The generation stays (the triggers count on from it); the rest of `meta` goes.
        tx.execute("DELETE FROM meta WHERE name <> 'generation'", [])
            .map_err(store_err)?;
        tx.commit().map_err(store_err)?;
        self.untouched = false;
        Ok(())
    }

    /// Writes `changes` in one transaction, leaving the `untouched` mark as `untouched`.
    fn write(&mut self, changes: &[Change], untouched: bool) -> Result<(), StoreError> {
        // A commit that changes nothing (an explicit transaction of reads) touches nothing.
        let untouched = untouched || (self.untouched && changes.is_empty());
        self.ensure_checked()?;
        self.loaded = None;
        let result = self.write_changes(changes, untouched);
        if result.is_err() {
            self.failed = true;
        }
        result
    }

    fn write_changes(&mut self, changes: &[Change], untouched: bool) -> Result<(), StoreError> {
        let tx = self.conn.transaction().map_err(store_err)?;
        for change in changes {
            write_change(&tx, change, &self.sealer).map_err(store_err)?;
        }
        if untouched {
            tx.execute(
                "INSERT OR REPLACE INTO meta (name, value) VALUES ('untouched', '1')",
                [],
            )
            .map_err(store_err)?;
        } else if self.untouched {
            tx.execute("DELETE FROM meta WHERE name = 'untouched'", [])
                .map_err(store_err)?;
        }
        tx.commit().map_err(store_err)?;
        self.untouched = untouched;
        Ok(())
    }

    /// Seals alias passwords a cysh before sealing wrote in plain text, in one transaction.
    fn seal_plain_secrets(&mut self) -> Result<(), StoreError> {
        let plain: Vec<(String, String)> = {
            let mut stmt = self
                .conn
                .prepare(
                    "SELECT name, remote_password FROM aliases WHERE remote_password IS NOT NULL",
                )
                .map_err(store_err)?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(store_err)?;
            rows.collect::<Result<Vec<_>, _>>()
                .map_err(store_err)?
                .into_iter()
                .filter(|(_, p): &(String, String)| !Sealer::is_sealed(p))
                .collect()
        };
        if plain.is_empty() {
            return Ok(());
        }
        self.ensure_checked()?;
        let tx = self.conn.transaction().map_err(store_err)?;
        for (name, password) in plain {
            tx.execute(
                "UPDATE aliases SET remote_password = ?1 WHERE name = ?2",
                params![self.sealer.seal(&password), name],
            )
            .map_err(store_err)?;
        }
        tx.commit().map_err(store_err)
    }

    /// Runs the migrations the file has not seen yet, each in its own transaction.
    fn migrate(&mut self) -> Result<(), StoreError> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(store_err)?;
        if version < VERSION {
            self.ensure_checked()?;
        }
        for (i, sql) in MIGRATIONS
            .iter()
            .enumerate()
            .skip(usize::try_from(version).unwrap_or(0))
        {
            let tx = self.conn.transaction().map_err(store_err)?;
            tx.execute_batch(sql).map_err(store_err)?;
            tx.pragma_update(None, "application_id", APPLICATION_ID)
                .map_err(store_err)?;
            tx.pragma_update(None, "user_version", i as i64 + 1)
                .map_err(store_err)?;
            tx.commit().map_err(store_err)?;
        }
        Ok(())
    }
}

impl Store for SqliteStore {
    fn load(&mut self) -> Result<Option<State>, StoreError> {
        match self.loaded.take() {
            Some(state) => Ok(Some(state)),
            None => self.read_state(),
        }
    }

    fn commit(&mut self, changes: &[Change]) -> Result<(), StoreError> {
        self.write(changes, false)
    }

    fn commit_setup(&mut self, changes: &[Change]) -> Result<(), StoreError> {
        self.write(changes, true)
    }

    fn close(&mut self, state: &State) -> Result<(), StoreError> {
        self.write_snapshot(state)
    }
}

/// The most of the file mapped while the snapshot is read (SQLite maps no more than the
/// file's size).
const SNAPSHOT_MAP: i64 = 1 << 30;

/// `PRAGMA quick_check`: every page of the file read and its b-trees walked; the
/// problem found otherwise.
fn quick_check(conn: &Connection) -> Result<(), String> {
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    if check == "ok" {
        Ok(())
    } else {
        Err(format!("integrity check failed: {check}"))
    }
}

fn write_change(tx: &Transaction<'_>, change: &Change, sealer: &Sealer) -> rusqlite::Result<()> {
    match change {
        Change::UpsertServer(s) => upsert_server(tx, s),
        Change::DeleteServer(id) => tx
            .execute("DELETE FROM servers WHERE id = ?1", [id])
            .map(drop),
        Change::UpsertDatabase(d) => upsert_database(tx, d),
        Change::DeleteDatabase(name) => {
            tx.execute("DELETE FROM allocations WHERE database = ?1", [name])?;
            tx.execute("DELETE FROM databases WHERE name = ?1", [name])
                .map(drop)
        }
        Change::SetAllocations {
            database,
            allocations,
        } => {
            tx.execute("DELETE FROM allocations WHERE database = ?1", [database])?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO allocations (database, server, mode, position) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (i, a) in allocations.iter().enumerate() {
                insert.execute(params![database, a.server, a.mode.as_str(), i as i64])?;
            }
            Ok(())
        }
        Change::UpsertAlias(a) => upsert_alias(tx, a, sealer),
        Change::DeleteAlias(name) => tx
            .execute("DELETE FROM aliases WHERE name = ?1", [name])
            .map(drop),
        Change::SetSettings(s) => write_settings(tx, s),
        Change::UpsertUser(u) => upsert_user(tx, u),
        Change::DeleteUser(name) => tx
            .execute("DELETE FROM users WHERE name = ?1", [name])
            .map(drop),
        Change::UpsertRole(r) => {
            let Role { name, immutable } = r;
            tx.prepare_cached(
                "INSERT INTO roles (name, immutable) VALUES (?1, ?2) \
                 ON CONFLICT (name) DO UPDATE SET immutable = excluded.immutable",
            )?
            .execute(params![name, immutable])
            .map(drop)
        }
        Change::DeleteRole(name) => {
            tx.execute("DELETE FROM role_members WHERE role = ?1", [name])?;
            tx.execute("DELETE FROM privileges WHERE role = ?1", [name])?;
            tx.execute("DELETE FROM roles WHERE name = ?1", [name])
                .map(drop)
        }
        Change::SetRoleMembers { role, users } => {
            tx.execute("DELETE FROM role_members WHERE role = ?1", [role])?;
            let mut insert =
                tx.prepare_cached("INSERT INTO role_members (role, member) VALUES (?1, ?2)")?;
            for user in users {
                insert.execute(params![role, user])?;
            }
            Ok(())
        }
        Change::SetPrivileges { role, privileges } => write_privileges(tx, role, privileges),
    }
}

fn upsert_user(tx: &Transaction<'_>, u: &User) -> rusqlite::Result<()> {
    let User {
        name,
        password_hash,
        change_required,
        suspended,
        home,
    } = u;
    tx.prepare_cached(
        "INSERT INTO users (name, password_hash, password_change_required, suspended, home_database) \
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (name) DO UPDATE SET \
         password_hash = excluded.password_hash, \
         password_change_required = excluded.password_change_required, \
         suspended = excluded.suspended, home_database = excluded.home_database",
    )?
    .execute(params![name, password_hash, change_required, suspended, home])
    .map(drop)
}

fn write_privileges(
    tx: &Transaction<'_>,
    role: &str,
    privileges: &[Privilege],
) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM privileges WHERE role = ?1", [role])?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO privileges (role, position, access, action, qualifier, scope, database, \
         segment, immutable) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (i, p) in privileges.iter().enumerate() {
        let Privilege {
            access,
            action,
            qualifier,
            target,
            segment,
            immutable,
        } = p;
        let (scope, database) = codec::target_columns(target);
        insert.execute(params![
            role,
            i as i64,
            access.as_str(),
            action.name(),
            qualifier,
            scope,
            database,
            segment,
            immutable
        ])?;
    }
    Ok(())
}

fn upsert_server(tx: &Transaction<'_>, s: &Server) -> rusqlite::Result<()> {
    // Destructured so that a new field cannot be forgotten here.
    let Server {
        id,
        name,
        address,
        state,
        available,
        options,
        initial,
        system_mode,
        joined,
    } = s;
    tx.prepare_cached(
        "INSERT OR REPLACE INTO servers (id, name, address, state, available, mode_constraint, \
         allowed_databases, denied_databases, tags, initial_options, system_database_mode, joined) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        id,
        name,
        address,
        codec::state_str(*state),
        available,
        options.mode_constraint.as_str(),
        list_json(&options.allowed_databases),
        list_json(&options.denied_databases),
        list_json(&options.tags),
        options_json(initial),
        system_mode.as_str(),
        i64::try_from(*joined).unwrap_or(i64::MAX),
    ])
    .map(drop)
}

fn upsert_database(tx: &Transaction<'_>, d: &Database) -> rusqlite::Result<()> {
    let Database {
        name,
        kind,
        read_write: _,
        requested_status,
        primaries,
        secondaries,
        details,
    } = d;
    let DatabaseDetails {
        options,
        default_language,
        database_id,
        creation_time,
        last_start_time,
        last_stop_time,
    } = &**details;
    // INSERT OR REPLACE would delete the row first; an upsert keeps it (and is what
    // `sqlite3` users expect to see in the row's history).
    tx.prepare_cached(
        "INSERT INTO databases (name, type, access, requested_status, primaries, secondaries, options, \
         default_language, database_id, creation_time, last_start_time, last_stop_time) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) \
         ON CONFLICT (name) DO UPDATE SET type = excluded.type, access = excluded.access, \
         requested_status = excluded.requested_status, primaries = excluded.primaries, \
         secondaries = excluded.secondaries, options = excluded.options, \
         default_language = excluded.default_language, database_id = excluded.database_id, \
         creation_time = excluded.creation_time, last_start_time = excluded.last_start_time, \
         last_stop_time = excluded.last_stop_time",
    )?
    .execute(params![
        name.as_str(),
        kind.as_str(),
        codec::access_str(d),
        requested_status.as_str(),
        primaries,
        secondaries,
        map_json(options),
        default_language.as_str(),
        database_id,
        creation_time.as_str(),
        last_start_time.as_deref(),
        last_stop_time.as_deref(),
    ])
    .map(drop)
}

fn upsert_alias(tx: &Transaction<'_>, a: &Alias, sealer: &Sealer) -> rusqlite::Result<()> {
    let Alias {
        name,
        composite,
        target,
        remote,
        properties,
        default_language,
    } = a;
    tx.prepare_cached(
        "INSERT OR REPLACE INTO aliases (name, composite, target, url, remote_user, remote_password, \
         driver, properties, default_language) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        name,
        composite,
        target,
        remote.as_ref().map(|r| r.url.clone()),
        remote.as_ref().map(|r| r.user.clone()),
        remote.as_ref().map(|r| sealer.seal(&r.password)),
        remote.as_ref().map(|r| map_json(&r.driver)),
        map_json(properties),
        default_language,
    ])
    .map(drop)
}

fn write_settings(tx: &Transaction<'_>, s: &Settings) -> rusqlite::Result<()> {
    let mut upsert = tx.prepare_cached(
        "INSERT INTO settings (name, value) VALUES (?1, ?2) \
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
    )?;
    for (name, value) in codec::settings_rows(s) {
        upsert.execute(params![name, value])?;
    }
    Ok(())
}

fn load_servers(conn: &Connection, state: &mut State) -> Result<(), StoreError> {
    let mut stmt = conn
        .prepare(
            "SELECT id, name, address, state, available, mode_constraint, allowed_databases, \
             denied_databases, tags, initial_options, system_database_mode, joined FROM servers",
        )
        .map_err(store_err)?;
    let mut rows = stmt.query([]).map_err(store_err)?;
    while let Some(r) = rows.next().map_err(store_err)? {
        let text =
            |i: usize| -> Result<String, StoreError> { r.get::<_, String>(i).map_err(store_err) };
        let options = crate::cluster::model::ServerOptions {
            mode_constraint: codec::parse_constraint(&text(5)?)?,
            allowed_databases: codec::parse_list(&text(6)?)?,
            denied_databases: codec::parse_list(&text(7)?)?,
            tags: codec::parse_list(&text(8)?)?,
        };
        let server = codec::server(
            text(0)?,
            text(1)?,
            text(2)?,
            &text(3)?,
            r.get(4).map_err(store_err)?,
            options,
            &text(9)?,
            &text(10)?,
            r.get(11).map_err(store_err)?,
        )?;
        state.servers.insert(server.id.clone(), server);
    }
    Ok(())
}

fn load_databases(conn: &Connection, state: &mut State) -> Result<(), StoreError> {
    let mut stmt = conn
        .prepare(
            "SELECT name, type, access, requested_status, primaries, secondaries, options, default_language, \
             database_id, creation_time, last_start_time, last_stop_time FROM databases",
        )
        .map_err(store_err)?;
    let mut rows = stmt.query([]).map_err(store_err)?;
    while let Some(r) = rows.next().map_err(store_err)? {
        let text =
            |i: usize| -> Result<String, StoreError> { r.get::<_, String>(i).map_err(store_err) };
        let database = Database {
            name: text(0)?.into(),
            kind: codec::parse_kind(&text(1)?)?,
            read_write: codec::parse_access(&text(2)?)?,
            requested_status: codec::parse_status(&text(3)?)?,
            primaries: r.get(4).map_err(store_err)?,
            secondaries: r.get(5).map_err(store_err)?,
            details: Box::new(DatabaseDetails {
                options: codec::parse_map(&text(6)?)?,
                default_language: text(7)?.into(),
                database_id: text(8)?,
                creation_time: text(9)?.into(),
                last_start_time: r
                    .get::<_, Option<String>>(10)
                    .map_err(store_err)?
                    .map(Name::from),
                last_stop_time: r
                    .get::<_, Option<String>>(11)
                    .map_err(store_err)?
                    .map(Name::from),
            }),
        };
        state.databases.insert(database.name.clone(), database);
    }
    Ok(())
}

fn load_allocations(conn: &Connection, state: &mut State) -> Result<(), StoreError> {
    // Read in the primary key's order (database, server), which needs no sort in SQLite,
    // and order each database's few copies by position here. Names are only copied when
    // the database changes: at 100,000 databases this is most of what opening costs.
    let mut stmt = conn
        .prepare(
            "SELECT database, server, mode, position FROM allocations ORDER BY database, server",
        )
        .map_err(store_err)?;
    let mut rows = stmt.query([]).map_err(store_err)?;
    let mut all: Vec<(Name, Vec<Allocation>)> = Vec::new();
    let mut copies: Vec<(i64, Allocation)> = Vec::new();
    let mut ids: std::collections::HashSet<std::sync::Arc<str>> = std::collections::HashSet::new();
    let flush = |all: &mut Vec<(Name, Vec<Allocation>)>, copies: &mut Vec<(i64, Allocation)>| {
        copies.sort_by_key(|(position, _)| *position);
        if let Some((_, list)) = all.last_mut() {
            list.extend(copies.drain(..).map(|(_, a)| a));
        }
    };
    while let Some(r) = rows.next().map_err(store_err)? {
        let text = |i: usize| -> Result<&str, StoreError> {
            r.get_ref(i)
                .map_err(store_err)?
                .as_str()
                .map_err(|e| StoreError(format!("SQLite: {e}")))
        };
        let database = text(0)?;
        if all.last().is_none_or(|(name, _)| name != database) {
            flush(&mut all, &mut copies);
            all.push((database.into(), Vec::with_capacity(3)));
        }
        // Each server's id is made once and shared by its copies (as a snapshot's are).
        let server = text(1)?;
        let id = match ids.get(server) {
            Some(id) => std::sync::Arc::clone(id),
            None => {
                let id: std::sync::Arc<str> = server.into();
                ids.insert(std::sync::Arc::clone(&id));
                id
            }
        };
        let allocation = codec::allocation(id, text(2)?)?;
        copies.push((r.get(3).map_err(store_err)?, allocation));
    }
    flush(&mut all, &mut copies);
    // Sorted by name already, so the map is built in one pass.
    state.allocations = Table::ready(all.into_iter().collect());
    Ok(())
}

fn load_aliases(conn: &Connection, state: &mut State, sealer: &Sealer) -> Result<(), StoreError> {
    let mut stmt = conn
        .prepare(
            "SELECT name, composite, target, url, remote_user, remote_password, driver, properties, \
             default_language FROM aliases",
        )
        .map_err(store_err)?;
    let mut rows = stmt.query([]).map_err(store_err)?;
    while let Some(r) = rows.next().map_err(store_err)? {
        let alias = Alias {
            name: r.get(0).map_err(store_err)?,
            composite: r.get(1).map_err(store_err)?,
            target: r.get(2).map_err(store_err)?,
            remote: codec::remote(
                r.get(3).map_err(store_err)?,
                r.get(4).map_err(store_err)?,
                r.get::<_, Option<String>>(5)
                    .map_err(store_err)?
                    .map(|p| sealer.open_sealed(&p))
                    .transpose()
                    .map_err(|e| StoreError(e.to_string()))?,
                r.get(6).map_err(store_err)?,
            )?,
            properties: codec::parse_map(&r.get::<_, String>(7).map_err(store_err)?)?,
            default_language: r.get(8).map_err(store_err)?,
        };
        state.aliases.insert(alias.name.clone(), alias);
    }
    Ok(())
}

fn load_security(conn: &Connection, state: &mut State) -> Result<(), StoreError> {
    let mut stmt = conn
        .prepare(
            "SELECT name, password_hash, password_change_required, suspended, home_database FROM users",
        )
        .map_err(store_err)?;
    let mut rows = stmt.query([]).map_err(store_err)?;
    while let Some(r) = rows.next().map_err(store_err)? {
        let user = User {
            name: r.get(0).map_err(store_err)?,
            password_hash: r.get(1).map_err(store_err)?,
            change_required: r.get(2).map_err(store_err)?,
            suspended: r.get(3).map_err(store_err)?,
            home: r.get(4).map_err(store_err)?,
        };
        state.users.insert(user.name.clone(), user);
    }
    let mut stmt = conn
        .prepare("SELECT name, immutable FROM roles")
        .map_err(store_err)?;
    let mut rows = stmt.query([]).map_err(store_err)?;
    while let Some(r) = rows.next().map_err(store_err)? {
        let role = Role {
            name: r.get(0).map_err(store_err)?,
            immutable: r.get(1).map_err(store_err)?,
        };
        state.roles.insert(role.name.clone(), role);
    }
    let mut stmt = conn
        .prepare("SELECT role, member FROM role_members ORDER BY role, member")
        .map_err(store_err)?;
    let mut rows = stmt.query([]).map_err(store_err)?;
    while let Some(r) = rows.next().map_err(store_err)? {
        let role: String = r.get(0).map_err(store_err)?;
        let member: String = r.get(1).map_err(store_err)?;
        state.role_members.entry(role).or_default().push(member);
    }
    let mut stmt = conn
        .prepare(
            "SELECT role, access, action, qualifier, scope, database, segment, immutable \
             FROM privileges ORDER BY role, position",
        )
        .map_err(store_err)?;
    let mut rows = stmt.query([]).map_err(store_err)?;
    while let Some(r) = rows.next().map_err(store_err)? {
        let role: String = r.get(0).map_err(store_err)?;
        let access: String = r.get(1).map_err(store_err)?;
        let action: String = r.get(2).map_err(store_err)?;
        let scope: String = r.get(4).map_err(store_err)?;
        let privilege = Privilege {
            access: codec::parse_grant(&access)?,
            action: codec::parse_action(&action)?,
            qualifier: r.get(3).map_err(store_err)?,
            target: codec::parse_target(&scope, r.get(5).map_err(store_err)?)?,
            segment: r.get(6).map_err(store_err)?,
            immutable: r.get(7).map_err(store_err)?,
        };
        state.privileges.entry(role).or_default().push(privilege);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{Cluster, Config};

    /// A data file written by schema version 1 (before users existed), with one database.
    fn version_one_file(file: &Path) {
        let conn = Connection::open(file).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        for (name, value) in codec::settings_rows(&Settings {
            bootstrapped: true,
            ..Settings::default()
        }) {
            conn.execute(
                "INSERT INTO settings (name, value) VALUES (?1, ?2)",
                params![name, value],
            )
            .unwrap();
        }
        conn.execute(
            "INSERT INTO databases VALUES ('old', 'standard', 'read-write', 'online', 1, 0, '{}', \
             'CYPHER 5', 'abc', '2026-01-01T00:00:00Z', NULL, NULL)",
            [],
        )
        .unwrap();
    }

    #[test]
    fn a_version_one_file_migrates_and_gets_the_builtin_roles() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("cluster.db");
        version_one_file(&file);
        let store = SqliteStore::open(&file, dir.path()).unwrap();
        let cluster = Cluster::with_store(Config::with_servers(0), Box::new(store)).unwrap();
        assert!(!cluster.is_new());
        let state = cluster.state();
        assert!(state.databases.contains_key("old"));
        assert!(state.users.contains_key("neo4j"));
        assert_eq!(state.roles.len(), 6);
        assert_eq!(state.roles_of("neo4j"), ["admin", "PUBLIC"]);
        let expected = state.clone();
        drop(cluster);
        // Reopened, the security part is read back as it was written, not set up again.
        let store = SqliteStore::open(&file, dir.path()).unwrap();
        let version: i64 = store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, VERSION);
        let cluster = Cluster::with_store(Config::with_servers(0), Box::new(store)).unwrap();
        let mut state = cluster.state().clone();
        state.reindex();
        assert_eq!(state.users, expected.users);
        assert_eq!(state.roles, expected.roles);
        assert_eq!(state.role_members, expected.role_members);
        assert_eq!(state.privileges, expected.privileges);
    }

    #[test]
    fn the_untouched_mark_lasts_until_a_change_and_reset_empties_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("cluster.db");
        let open = || SqliteStore::open(&file, dir.path()).unwrap();
        let cluster = Cluster::with_store(Config::with_servers(3), Box::new(open())).unwrap();
        drop(cluster);
        let mut store = open();
        assert!(store.is_untouched(), "set up and not changed");
        store.commit(&[]).unwrap();
        assert!(open().is_untouched(), "an empty commit changes nothing");
        let state = store.load().unwrap().unwrap();
        let server = state.servers.keys().next().unwrap().clone();
        store.commit(&[Change::DeleteServer(server)]).unwrap();
        assert!(!store.is_untouched());
        assert!(
            !open().is_untouched(),
            "the change is on disk with the mark gone"
        );

        let cluster = Cluster::with_store(Config::with_servers(3), Box::new(open())).unwrap();
        drop(cluster);
        let mut store = open();
        store.reset().unwrap();
        assert!(store.load().unwrap().is_none(), "reset leaves no cluster");
        let cluster = Cluster::with_store(Config::with_servers(5), Box::new(open())).unwrap();
        assert!(cluster.is_new());
        assert_eq!(cluster.state().servers.len(), 5);
        drop(cluster);
        assert!(open().is_untouched());
    }

    fn statement(c: &mut Cluster, text: &str) {
        let statement = crate::dialect::parse(text).unwrap();
        c.execute(
            &statement,
            &crate::dialect::Params::new(),
            &crate::cluster::Session::default(),
        )
        .unwrap();
    }

    /// The state a store holds, indexes rebuilt, as a cluster opened on it sees it.
    fn state_of(store: SqliteStore) -> State {
        let cluster = Cluster::with_store(Config::with_servers(0), Box::new(store)).unwrap();
        cluster.state().clone()
    }

    #[test]
    fn the_snapshot_written_at_close_is_what_the_rows_hold_and_a_stale_one_is_never_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("cluster.db");
        let open = || SqliteStore::open(&file, dir.path()).unwrap();
        let store = open();
        assert!(!store.opened_from_snapshot(), "a new file has none");
        let mut cluster = Cluster::with_store(Config::with_servers(5), Box::new(store)).unwrap();
        for text in [
            "CREATE DATABASE aaa TOPOLOGY 2 PRIMARIES 1 SECONDARY",
            "CREATE DATABASE bbb OPTIONS {seedURI: 's3://bucket/b', txLogEnrichment: 'FULL'}",
            "CREATE COMPOSITE DATABASE ccc",
            "STOP DATABASE aaa",
            "ALTER DATABASE bbb SET ACCESS READ ONLY",
            "CREATE ALIAS ccc.remote FOR DATABASE bbb AT 'neo4j+s://x:7687' USER u PASSWORD 'secret'",
            "CREATE USER alice SET PASSWORD 'password1'",
        ] {
            statement(&mut cluster, text);
        }
        let server = cluster
            .state()
            .servers
            .values()
            .next()
            .unwrap()
            .name
            .clone();
        statement(
            &mut cluster,
            &format!(
                "ALTER SERVER '{server}' SET OPTIONS {{modeConstraint: 'SECONDARY', tags: ['eu']}}"
            ),
        );
        statement(&mut cluster, &format!("CALL sim.stopServer('{server}')"));
        let expected = cluster.state().clone();
        drop(cluster);

        // Written at the close, and read back as the rows would be.
        let store = open();
        assert!(store.opened_from_snapshot());
        assert_eq!(state_of(store), expected);
        // A read-only process leaves it current.
        let store = open();
        assert!(store.opened_from_snapshot());
        drop(state_of(store));
        assert!(open().opened_from_snapshot());

        // Anyone's change to a row (here another program's) makes it stale: the rows are
        // read, and the next close writes a current one.
        {
            let conn = Connection::open(&file).unwrap();
            conn.execute("UPDATE databases SET primaries = 3 WHERE name = 'bbb'", [])
                .unwrap();
        }
        let store = open();
        assert!(!store.opened_from_snapshot());
        let changed = state_of(store);
        assert_eq!(changed.databases["bbb"].primaries, 3);
        let store = open();
        assert!(store.opened_from_snapshot());
        assert_eq!(state_of(store), changed);

        // A transaction still open at the close leaves the file, and so the snapshot, as
        // they were.
        let mut cluster = Cluster::with_store(Config::with_servers(0), Box::new(open())).unwrap();
        cluster.begin().unwrap();
        statement(&mut cluster, "CREATE DATABASE ddd");
        drop(cluster);
        let store = open();
        assert!(store.opened_from_snapshot());
        assert_eq!(state_of(store), changed);

        // A damaged snapshot is not read: the rows are.
        {
            let conn = Connection::open(&file).unwrap();
            conn.execute(
                "UPDATE snapshot SET data = substr(data, 1, 100) || x'00' || substr(data, 102)",
                [],
            )
            .unwrap();
        }
        let store = open();
        assert!(!store.opened_from_snapshot());
        assert_eq!(state_of(store), changed);
        // Nothing changed, but the close wrote it again (as an older format's would be),
        // so the next open reads it.
        let store = open();
        assert!(store.opened_from_snapshot());
        assert_eq!(state_of(store), changed);
    }

    fn rows(c: &mut Cluster, text: &str) -> Vec<Vec<crate::value::Value>> {
        let statement = crate::dialect::parse(text).unwrap();
        let session = crate::cluster::Session {
            user: "neo4j".into(),
            database: "system".into(),
            impersonating: false,
        };
        c.execute_text(&statement, text, &crate::dialect::Params::new(), &session)
            .unwrap()
            .rows
    }

    #[test]
    fn tables_opened_from_the_snapshot_are_decoded_only_when_a_statement_needs_them() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("cluster.db");
        let open = || SqliteStore::open(&file, dir.path()).unwrap();
        let mut cluster = Cluster::with_store(Config::with_servers(4), Box::new(open())).unwrap();
        for text in [
            "CREATE DATABASE aaa TOPOLOGY 2 PRIMARIES 1 SECONDARY",
            "CREATE DATABASE bbb OPTIONS {txLogEnrichment: 'FULL'}",
            "CREATE COMPOSITE DATABASE ccc",
            "CREATE DATABASE zzz TOPOLOGY 3 PRIMARIES",
            "STOP DATABASE aaa",
        ] {
            statement(&mut cluster, text);
        }
        drop(cluster);
        let reads = [
            "SHOW DATABASES",
            "SHOW DATABASES YIELD name, address LIMIT 3",
            "SHOW DATABASES YIELD * SKIP 2 LIMIT 4",
            "SHOW DATABASE zzz",
            "SHOW DATABASES WHERE name STARTS WITH 's'",
            "SHOW DEFAULT DATABASE",
            "SHOW SERVERS",
            "SHOW SERVERS YIELD name, hosting",
        ];
        // Answered from the packed tables, each by a store just opened: nothing decoded.
        let from_packed: Vec<_> = reads
            .iter()
            .map(|t| {
                let store = open();
                assert!(store.opened_from_snapshot());
                let mut c = Cluster::with_store(Config::with_servers(0), Box::new(store)).unwrap();
                let rows = rows(&mut c, t);
                let state = c.state();
                assert!(
                    state.databases.undecoded().is_some()
                        && state.allocations.undecoded().is_some(),
                    "{t} decoded a table"
                );
                rows
            })
            .collect();
        // Asked again, a cluster reads its maps, decoded once: the same rows.
        let mut packed = Cluster::with_store(Config::with_servers(0), Box::new(open())).unwrap();
        assert_eq!(rows(&mut packed, reads[0]), from_packed[0]);
        assert!(packed.state().databases.undecoded().is_some());
        assert_eq!(rows(&mut packed, reads[0]), from_packed[0]);
        assert!(packed.state().databases.undecoded().is_none());
        // The same statements on the decoded maps give the same rows.
        let mut decoded = Cluster::with_store(Config::with_servers(0), Box::new(open())).unwrap();
        assert_eq!(decoded.state().databases.len(), 5, "neo4j and four");
        assert!(decoded.state().databases.undecoded().is_none());
        let from_maps: Vec<_> = reads.iter().map(|t| rows(&mut decoded, t)).collect();
        assert_eq!(from_packed, from_maps);
        assert!(from_packed.iter().all(|rows| !rows.is_empty()));
        drop(decoded);
        // A change decodes what it changes; the rows show it from then on.
        statement(&mut packed, "DROP DATABASE bbb");
        statement(&mut packed, "CREATE DATABASE bcd");
        assert!(packed.state().databases.undecoded().is_none());
        let mut names: Vec<_> = rows(&mut packed, "SHOW DATABASES YIELD name")
            .into_iter()
            .map(|r| r[0].to_string())
            .collect();
        names.dedup();
        assert_eq!(
            names,
            [
                "\"aaa\"",
                "\"bcd\"",
                "\"ccc\"",
                "\"neo4j\"",
                "\"system\"",
                "\"zzz\""
            ]
        );
        let expected = packed.state().clone();
        drop(packed);
        let store = open();
        assert!(store.opened_from_snapshot());
        assert_eq!(state_of(store), expected);
    }

    #[test]
    fn temporal_spatial_and_byte_values_round_trip_through_the_file() {
        use crate::value::{Duration, Point, Value, ZonedDateTime, ZonedTime};
        use jiff::civil;
        use jiff::tz::Offset;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("cluster.db");
        let open = || SqliteStore::open(&file, dir.path()).unwrap();
        let mut props = std::collections::BTreeMap::new();
        let values = [
            Value::Date(civil::date(2021, 1, 12)),
            Value::LocalTime(civil::time(2, 0, 0, 1)),
            Value::Time(ZonedTime {
                time: civil::time(2, 0, 0, 0),
                offset: Offset::from_seconds(-3600).unwrap(),
            }),
            Value::LocalDateTime(civil::date(2023, 3, 21).at(11, 17, 15, 100_000_000)),
            Value::DateTime(
                ZonedDateTime::of_local(
                    civil::date(2023, 2, 6).at(0, 0, 0, 0),
                    Some("America/Chicago"),
                    Offset::UTC,
                )
                .unwrap(),
            ),
            Value::Duration(Duration::parse("P1M8DT3601.1S").unwrap()),
            Value::Point(Point {
                srid: 4979,
                x: 1.5,
                y: 2.0,
                z: Some(-3.25),
            }),
            Value::Bytes(vec![0, 255]),
            Value::List(vec![Value::Float(f64::INFINITY), Value::str("x")]),
        ];
        for (i, v) in values.iter().enumerate() {
            props.insert(format!("p{i}"), v.clone());
        }
        let mut params = crate::dialect::Params::new();
        params.insert("props".into(), Value::Map(props.clone()));
        let statement =
            crate::dialect::parse("CREATE ALIAS al FOR DATABASE neo4j PROPERTIES $props").unwrap();
        let mut cluster = Cluster::with_store(Config::with_servers(3), Box::new(open())).unwrap();
        cluster
            .execute(&statement, &params, &crate::cluster::Session::default())
            .unwrap();
        drop(cluster);
        let cluster = Cluster::with_store(Config::with_servers(1), Box::new(open())).unwrap();
        let stored = &cluster.state().aliases["al"].properties;
        assert_eq!(stored, &props);
    }
}
