//! `cysh twin`: a copy of a live cluster's control plane as a new embedded cluster, for
//! rehearsing statements (`:dryrun`) on the real topology.
//!
//! It owns the snapshot (the rows of SHOW SERVERS YIELD *, SHOW DATABASES YIELD *, SHOW
//! ALIASES FOR DATABASES YIELD *, `dbms.showTopologyGraphConfig` and SHOW DEFAULT
//! DATABASE, as plain JSON objects), reading it over the Query API or from a file, turning
//! it into a cluster `State`, and writing that state into a new data directory in one
//! commit. It must not invent what it cannot read: every gap (a missing column, a role
//! hidden by an unavailable server or a stopped database, a secret) is reported, and only
//! filled when the rest of the snapshot determines it or with a stated default. Users,
//! roles and secrets are never copied.

mod build;
mod snapshot;
mod write;

pub use build::{BuildError, build};
pub use snapshot::{QUERIES, Snapshot, SnapshotError, read_remote};
pub use write::{WriteError, changes_of, write};

use crate::cli::TwinArgs;
use crate::client::BackendError;
use crate::client::bolt::address::{Encryption, is_http};
use crate::client::bolt::{AccessMode, Bolt, BoltOptions, ErrorFormat};
use crate::client::credentials::{self, CredentialsError};
use crate::client::remote::{ConnectOptions, Remote};
use crate::client::runtime::{self, RuntimeError};
use crate::cluster::model::State;
use std::path::PathBuf;

/// Why `cysh twin` made no twin; printed on stderr, exit status 1.
#[derive(Debug, thiserror::Error)]
pub enum TwinError {
    /// `--from-json` cannot be read.
    #[error("{}: {source}", .path.display())]
    ReadSnapshot {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// `--from-json` is not a snapshot.
    #[error("{}: not a cysh twin snapshot: {source}", .path.display())]
    NotASnapshot {
        /// The file.
        path: PathBuf,
        /// Why.
        source: SnapshotError,
    },
    /// Neither `--from` nor `--from-json` (clap normally refuses this first).
    #[error("cysh twin needs --from http://HOST:7474 or --from-json FILE")]
    NoSource,
    /// No runtime for the connection.
    #[error(transparent)]
    Runtime(#[from] RuntimeError),
    /// No password for `-u`.
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    /// The live cluster cannot be used.
    #[error(transparent)]
    Connect(#[from] BackendError),
    /// `--save-json` cannot be written.
    #[error("{}: {source}", .path.display())]
    SaveSnapshot {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The snapshot cannot make a twin.
    #[error("Cannot make a twin from {source_name}: {error}")]
    Build {
        /// The file or address the snapshot came from.
        source_name: String,
        /// Why.
        error: BuildError,
    },
    /// The twin cannot be written.
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// `cysh twin`: reads the snapshot (a server or a file), saves it (`--save-json`), builds
/// the state, writes it, and reports on stderr; an error is why no twin was made (`main`
/// prints it and exits 1).
pub fn run(args: &TwinArgs) -> Result<(), TwinError> {
    let mut report = Vec::new();
    let snapshot = read_snapshot(args, &mut report)?;
    if let Some(path) = &args.save_json {
        let text = format!("{:#}\n", snapshot.to_json());
        std::fs::write(path, text).map_err(|source| TwinError::SaveSnapshot {
            path: path.clone(),
            source,
        })?;
    }
    let (state, mut more) = build(&snapshot).map_err(|error| TwinError::Build {
        source_name: match (&args.from_json, &args.from) {
            (Some(path), _) => path.display().to_string(),
            (None, Some(address)) => address.clone(),
            (None, None) => String::new(),
        },
        error,
    })?;
    report.append(&mut more);
    write(&args.data_dir, &state)?;
    for line in &report {
        eprintln!("twin: {line}");
    }
    eprintln!("{}", summary(args, &state));
    Ok(())
}

/// The snapshot from `--from-json`, or read from the live cluster of `--from` (what it
/// could not read goes to `report`).
fn read_snapshot(args: &TwinArgs, report: &mut Vec<String>) -> Result<Snapshot, TwinError> {
    if let Some(path) = &args.from_json {
        let text = std::fs::read_to_string(path).map_err(|source| TwinError::ReadSnapshot {
            path: path.clone(),
            source,
        })?;
        return Snapshot::from_json(&text).map_err(|source| TwinError::NotASnapshot {
            path: path.clone(),
            source,
        });
    }
    let Some(address) = &args.from else {
        return Err(TwinError::NoSource);
    };
    let runtime = runtime::current_thread()?;
    let given = &args.credentials;
    let password = credentials::password(given.username.as_deref(), given.password.as_deref())?;
    let user = given.username.clone().unwrap_or_default();
    // Bolt for every address but http(s)://, as the shell does: many clusters expose only
    // 7687.
    if !is_http(address) {
        let options = BoltOptions {
            address: address.clone(),
            user,
            password,
            encryption: Encryption::Default,
            access: AccessMode::Write,
            error_format: ErrorFormat::Gql,
            tx_timeout: None,
        };
        let mut bolt = Bolt::connect(runtime, &options)?;
        return Ok(read_remote(&mut bolt, report));
    }
    let options = ConnectOptions {
        address: address.clone(),
        user,
        password,
        tx_timeout: None,
    };
    let mut remote = Remote::connect(runtime, &options)?;
    Ok(read_remote(&mut remote, report))
}

/// The last line: what the twin holds and how to rehearse on it.
fn summary(args: &TwinArgs, state: &State) -> String {
    let copies: usize = state.allocations.values().map(Vec::len).sum();
    format!(
        "Twin written to {}: {} servers, {} databases, {} copies, {} aliases (users, roles and secrets are not copied). \
         Rehearse with: cysh --data-dir {} then :dryrun <statement>",
        args.data_dir.display(),
        state.servers.len(),
        state.databases.len(),
        copies,
        state.aliases.len(),
        args.data_dir.display()
    )
}
