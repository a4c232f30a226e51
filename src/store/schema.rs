//! The schema of `cluster.db` and its migrations.
//!
//! Tables use readable names and columns so an operator can inspect them with `sqlite3`:
//! `servers`, `databases`, `allocations`, `aliases`, `settings` (one row per Neo4j
//! setting name), and the system database's `users`, `roles`, `role_members` and
//! `privileges` (schema version 2; passwords only as argon2 PHC strings), and `meta`
//! (schema version 3: whether the cluster is still as it was set up; schema version 4: the
//! generation of the large tables), and `snapshot` (schema version 4: see `snapshot.rs`). Lists and maps are JSON text. The file is marked with
//! `PRAGMA application_id` (`cysh` in ASCII) and `PRAGMA user_version` (the schema
//! version); migrations run at open, each in its own transaction. The schema sticks to
//! SQL that SQLite 3.40 (Debian's `sqlite3`) reads.

/// `PRAGMA application_id` of a cysh data file: the bytes `cysh`.
pub const APPLICATION_ID: i64 = 0x6379_7368;

/// Migrations, in order; migration `i` takes the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: the first schema.
    "CREATE TABLE servers (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        address TEXT NOT NULL,
        state TEXT NOT NULL,
        available INTEGER NOT NULL,
        mode_constraint TEXT NOT NULL,
        allowed_databases TEXT NOT NULL,
        denied_databases TEXT NOT NULL,
        tags TEXT NOT NULL,
        initial_options TEXT NOT NULL,
        system_database_mode TEXT NOT NULL,
        joined INTEGER NOT NULL
    );
    CREATE TABLE databases (
        name TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        access TEXT NOT NULL,
        requested_status TEXT NOT NULL,
        primaries INTEGER NOT NULL,
        secondaries INTEGER NOT NULL,
        options TEXT NOT NULL,
        default_language TEXT NOT NULL,
        database_id TEXT NOT NULL,
        creation_time TEXT NOT NULL,
        last_start_time TEXT,
        last_stop_time TEXT
    );
    CREATE TABLE allocations (
        database TEXT NOT NULL,
        server TEXT NOT NULL,
        mode TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (database, server)
    );
    CREATE INDEX allocations_by_server ON allocations (server);
    CREATE TABLE aliases (
        name TEXT PRIMARY KEY,
        composite TEXT,
        target TEXT NOT NULL,
        url TEXT,
        remote_user TEXT,
        remote_password TEXT,
        driver TEXT,
        properties TEXT NOT NULL,
        default_language TEXT
    );
    CREATE TABLE settings (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );",
    // 2: users, roles and privileges. A file of version 1 gains empty tables; the cluster
    // then sets up the built-in roles and the initial user when it loads.
    "CREATE TABLE users (
        name TEXT PRIMARY KEY,
        password_hash TEXT,
        password_change_required INTEGER NOT NULL,
        suspended INTEGER NOT NULL,
        home_database TEXT
    );
    CREATE TABLE roles (
        name TEXT PRIMARY KEY,
        immutable INTEGER NOT NULL
    );
    CREATE TABLE role_members (
        role TEXT NOT NULL,
        member TEXT NOT NULL,
        PRIMARY KEY (role, member)
    );
    CREATE INDEX role_members_by_member ON role_members (member);
    CREATE TABLE privileges (
        role TEXT NOT NULL,
        position INTEGER NOT NULL,
        access TEXT NOT NULL,
        action TEXT NOT NULL,
        qualifier TEXT,
        scope TEXT NOT NULL,
        database TEXT,
        segment TEXT,
        immutable INTEGER NOT NULL,
        PRIMARY KEY (role, position)
    );",
    // 3: facts about the file rather than the cluster. `untouched` is set when the cluster
    // sets itself up and cleared by the first statement that changes it: a cluster nobody
    // has changed may be set up anew with other `--servers`/`--config` values.
    "CREATE TABLE meta (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );",
    // 4: the compact snapshot of the large tables (servers, databases, allocations; see
    // `snapshot`) and the generation it must match. Every row change to those tables, by
    // cysh or by anyone else's `sqlite3`, bumps `meta`'s `generation` through these
    // triggers, so a snapshot of an older generation is never read as current.
    "CREATE TABLE snapshot (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        generation INTEGER NOT NULL,
        data BLOB NOT NULL
    );
    INSERT OR IGNORE INTO meta (name, value) VALUES ('generation', '0');
    CREATE TRIGGER servers_insert_generation AFTER INSERT ON servers BEGIN
        UPDATE meta SET value = value + 1 WHERE name = 'generation';
    END;
    CREATE TRIGGER servers_update_generation AFTER UPDATE ON servers BEGIN
        UPDATE meta SET value = value + 1 WHERE name = 'generation';
    END;
    CREATE TRIGGER servers_delete_generation AFTER DELETE ON servers BEGIN
        UPDATE meta SET value = value + 1 WHERE name = 'generation';
    END;
    CREATE TRIGGER databases_insert_generation AFTER INSERT ON databases BEGIN
        UPDATE meta SET value = value + 1 WHERE name = 'generation';
    END;
    CREATE TRIGGER databases_update_generation AFTER UPDATE ON databases BEGIN
        UPDATE meta SET value = value + 1 WHERE name = 'generation';
    END;
    CREATE TRIGGER databases_delete_generation AFTER DELETE ON databases BEGIN
        UPDATE meta SET value = value + 1 WHERE name = 'generation';
    END;
    CREATE TRIGGER allocations_insert_generation AFTER INSERT ON allocations BEGIN
        UPDATE meta SET value = value + 1 WHERE name = 'generation';
    END;
    CREATE TRIGGER allocations_update_generation AFTER UPDATE ON allocations BEGIN
        UPDATE meta SET value = value + 1 WHERE name = 'generation';
    END;
    CREATE TRIGGER allocations_delete_generation AFTER DELETE ON allocations BEGIN
        UPDATE meta SET value = value + 1 WHERE name = 'generation';
    END;",
];

/// The schema version this build writes.
pub const VERSION: i64 = MIGRATIONS.len() as i64;
