//! The durable home of the embedded cluster: a data directory holding a SQLite database
//! (`cluster.db`) that an operator can read with the stock `sqlite3` tool, and a lock that
//! lets one cysh process at a time use it.
//!
//! It owns the directory layout, the one-writer rule, the schema and its migrations, and
//! the mapping of the cluster's row-level `Change`s to SQL. It must not decide anything
//! about the cluster: it stores what `cluster` hands it, one SQLite transaction per
//! statement (or explicit transaction), and loads it back unchanged.

mod codec;
mod format;
mod lock;
mod packed;
mod schema;
pub mod secret;
mod snapshot;
mod sqlite;
pub mod wal;

pub use lock::DirLock;
pub use sqlite::SqliteStore;

use std::path::{Path, PathBuf};
use std::time::Duration;

/// The database file inside a data directory.
pub const DB_FILE: &str = "cluster.db";
/// The lock file inside a data directory.
pub const LOCK_FILE: &str = "cysh.lock";
/// How long a second process waits for the data directory before giving up.
pub const LOCK_WAIT: Duration = Duration::from_secs(2);

/// Why a data directory could not be opened. Each message names the path and says what to
/// do; none of these cases changes any file.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// Another process holds the directory.
    #[error(
        "The data directory {dir} is in use by another cysh process{holder} (waited {waited} s). \
         Stop it, or use another --data-dir (or --ephemeral)."
    )]
    InUse {
        /// The directory.
        dir: PathBuf,
        /// ` (pid N)` when the holder wrote its pid.
        holder: String,
        /// Seconds waited.
        waited: u64,
    },
    /// The file is not a SQLite database, or is damaged.
    #[error(
        "{file} is not a readable cysh data file: {detail}. It was left untouched. \
         Move it away (or restore a backup) to start a new cluster in {dir}."
    )]
    Corrupt {
        /// The file.
        file: PathBuf,
        /// The directory.
        dir: PathBuf,
        /// What SQLite said.
        detail: String,
    },
    /// A SQLite database that cysh did not write.
    #[error(
        "{file} is a SQLite database, but not one cysh wrote (application_id {found:#x}). \
         It was left untouched. Choose another --data-dir."
    )]
    Foreign {
        /// The file.
        file: PathBuf,
        /// The application id found.
        found: i64,
    },
    /// Written by a newer cysh.
    #[error(
        "{file} has schema version {found}, newer than this cysh understands ({supported}). \
         Use a newer cysh, or another --data-dir."
    )]
    TooNew {
        /// The file.
        file: PathBuf,
        /// The version found.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// The write-ahead log is damaged: SQLite would drop the commits from the damage on.
    #[error(
        "{file} is damaged: {damage}. SQLite would silently drop the commits from there on, \
         so nothing was opened. A copy of the store as found is in {copy}. Restore a backup, \
         or run again with --recover to continue from the last intact commit."
    )]
    DamagedLog {
        /// The log file.
        file: PathBuf,
        /// What was found.
        damage: wal::Damage,
        /// Where the copy is.
        copy: PathBuf,
    },
    /// The directory cannot be created or read.
    #[error("Cannot use the data directory {dir}: {detail}")]
    Io {
        /// The directory.
        dir: PathBuf,
        /// What went wrong.
        detail: String,
    },
}

/// No data directory was given and the user has no data directory to put the default in.
#[derive(Debug, thiserror::Error)]
#[error("No data directory could be found for this user; use --data-dir DIR or --ephemeral.")]
pub struct NoDataDir;

/// The default data directory: `cysh` under the user's data directory
/// (`~/.local/share/cysh` on Linux).
pub fn default_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("cysh"))
}

/// `given` (`--data-dir`), else the default data directory.
pub fn dir_or_default(given: Option<&Path>) -> Result<PathBuf, NoDataDir> {
    given
        .map(Path::to_path_buf)
        .or_else(default_dir)
        .ok_or(NoDataDir)
}

/// Opens (creating when absent) the data directory `dir`: takes its lock, waiting up to
/// [`LOCK_WAIT`], checks the write-ahead log, then opens or creates `cluster.db`. A
/// damaged log is copied aside and refused ([`OpenError::DamagedLog`]) unless `recover`
/// is set, when the store continues from its last intact commit (the copy is kept and
/// a warning names it). The directory is made its owner's
/// only (0700) and every file in it 0600: the store holds password hashes and sealed
/// alias passwords, the key beside it opens them.
pub fn open(dir: &Path, recover: bool) -> Result<(DirLock, SqliteStore), OpenError> {
    let io = |e: std::io::Error| OpenError::Io {
        dir: dir.to_path_buf(),
        detail: e.to_string(),
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    owner_only(dir, 0o700).map_err(io)?;
    let lock = DirLock::acquire(dir, LOCK_WAIT)?;
    let log = dir.join(format!("{DB_FILE}-wal"));
    if let Ok(bytes) = std::fs::read(&log)
        && let Err(damage) = wal::check(&bytes)
    {
        // Before SQLite sees it: it would drop the damaged frames and delete the file.
        let copy = wal::keep_copy(
            dir,
            &[
                DB_FILE,
                &format!("{DB_FILE}-wal"),
                &format!("{DB_FILE}-shm"),
            ],
        )
        .map_err(io)?;
        if !recover {
            return Err(OpenError::DamagedLog {
                file: log,
                damage,
                copy,
            });
        }
        eprintln!(
            "Warning: {} is damaged: {damage}; continuing from the last intact commit \
             (--recover). The store as found is kept in {}.",
            log.display(),
            copy.display()
        );
    }
    let store = SqliteStore::open(&dir.join(DB_FILE), dir)?;
    // SQLite gives a -wal or -shm file it makes later the mode of the database file, so
    // these stay private too; the directory's mode covers the moment before this.
    for name in [
        DB_FILE.to_string(),
        format!("{DB_FILE}-wal"),
        format!("{DB_FILE}-shm"),
        LOCK_FILE.to_string(),
        secret::KEY_FILE.to_string(),
    ] {
        let path = dir.join(name);
        if path.exists() {
            owner_only(&path, 0o600).map_err(io)?;
        }
    }
    Ok((lock, store))
}

/// Sets `path`'s permission bits to `mode` (Unix; elsewhere the platform's defaults).
fn owner_only(path: &Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
}
