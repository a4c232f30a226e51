//! A built `State` written as a new embedded cluster into an empty data directory, in one
//! store commit.
//!
//! It owns the refusal of a directory that is not empty. It must not change the state it
//! is given: loading the cluster once afterwards sets up the built-in roles and the
//! initial user, as for any new cluster.

use crate::cluster::model::State;
use crate::cluster::{Change, Cluster, Config, Store, StoreError};
use crate::error::Neo4jError;
use crate::store;
use std::path::{Path, PathBuf};

/// Why a twin could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The directory holds something already.
    #[error("{} is not empty: a twin is written into a new data directory only", .0.display())]
    NotEmpty(PathBuf),
    /// The directory cannot be used.
    #[error(transparent)]
    Open(#[from] store::OpenError),
    /// The state could not be stored.
    #[error("{}: {source}", .dir.display())]
    Commit {
        /// The directory.
        dir: PathBuf,
        /// Why.
        source: StoreError,
    },
    /// The stored cluster could not be loaded back.
    #[error("{}: {}: {}", .dir.display(), .error.code, .error.message)]
    Load {
        /// The directory.
        dir: PathBuf,
        /// Why.
        error: Neo4jError,
    },
}

/// The changes that write `state` into an empty store, in dependency order.
pub fn changes_of(state: &State) -> Vec<Change> {
    let mut changes = vec![Change::SetSettings(state.settings.clone())];
    changes.extend(state.servers.values().cloned().map(Change::UpsertServer));
    changes.extend(
        state
            .databases
            .values()
            .cloned()
            .map(Change::UpsertDatabase),
    );
    changes.extend(state.allocations.iter().map(|(database, allocations)| {
        Change::SetAllocations {
            database: database.to_string(),
            allocations: allocations.clone(),
        }
    }));
    changes.extend(state.aliases.values().cloned().map(Change::UpsertAlias));
    changes
}

/// Writes `state` as a new embedded cluster in `dir`, which must be absent or empty; the
/// built-in roles and the initial `neo4j` user are set up as for any new cluster.
pub fn write(dir: &Path, state: &State) -> Result<(), WriteError> {
    if let Ok(mut entries) = std::fs::read_dir(dir)
        && entries.next().is_some()
    {
        return Err(WriteError::NotEmpty(dir.to_path_buf()));
    }
    // A twin is written to a new directory: there is no log to recover.
    let (lock, mut store) = store::open(dir, false)?;
    store
        .commit(&changes_of(state))
        .map_err(|source| WriteError::Commit {
            dir: dir.to_path_buf(),
            source,
        })?;
    // Loading it once sets up the security part (roles, the initial user), durably.
    Cluster::with_store(Config::with_servers(0), Box::new(store)).map_err(|error| {
        WriteError::Load {
            dir: dir.to_path_buf(),
            error,
        }
    })?;
    drop(lock);
    Ok(())
}
