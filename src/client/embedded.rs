//! The embedded backend: statements run in-process on a `cluster::Cluster`, kept in a data
//! directory (SQLite, one writer at a time) or in memory.
//!
//! It owns the session (user), the storage choice, the data directory's lock and the
//! timing of each statement. It must not interpret statements itself: that is the
//! cluster's job.

use super::{Backend, BackendError, BackendInfo, Request};
use crate::cluster::{Cluster, Config, Session};
use crate::error::Neo4jError;
use crate::result::QueryResult;
use crate::store::{self, DirLock};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Where the embedded cluster lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Storage {
    /// In memory; nothing is written (`--ephemeral`).
    Memory,
    /// In a data directory (`--data-dir`, or the default one).
    Dir(PathBuf),
}

/// Why the embedded backend could not start.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The data directory could not be used.
    #[error("{0}")]
    Store(#[from] store::OpenError),
    /// The cluster could not be set up (bad settings) or loaded.
    #[error("{}: {}", .0.code, .0.message)]
    Cluster(Neo4jError),
}

/// The cluster in data directory `dir`, with the directory's lock: loaded when it holds
/// one, else set up by `config`. With `renew` (`--servers` or `--config` given), a stored
/// cluster that no statement has changed since it was set up is set up anew with `config`:
/// nothing is lost, and the flags mean what they say. The shell and `cysh serve` both open
/// directories through here.
pub fn open_stored(
    dir: &Path,
    config: &Config,
    renew: bool,
    recover: bool,
) -> Result<(DirLock, Cluster), OpenError> {
    let (lock, mut sqlite) = store::open(dir, recover)?;
    if renew && sqlite.is_untouched() {
        sqlite.reset().map_err(|e| {
            OpenError::Store(store::OpenError::Io {
                dir: dir.to_path_buf(),
                detail: e.0,
            })
        })?;
    }
    let cluster =
        Cluster::with_store(config.clone(), Box::new(sqlite)).map_err(OpenError::Cluster)?;
    Ok((lock, cluster))
}

/// The warning for `--servers`/`--config` given for a cluster that was loaded, not set up.
pub fn kept_cluster_warning(dir: &Path, servers: usize) -> String {
    format!(
        "Warning: {} already holds a cluster of {servers} servers, changed since it was set up; \
         --servers and --config only set up a new cluster. Use another --data-dir, or \
         --ephemeral, for a new one.",
        dir.display()
    )
}

/// A backend over an in-process cluster.
pub struct Embedded {
    cluster: Cluster,
    user: String,
    /// The user impersonated, if any.
    impersonated: Option<String>,
    storage: Storage,
    /// Held for the backend's lifetime: one process per data directory.
    _lock: Option<DirLock>,
}

impl Embedded {
    /// A new in-memory cluster set up by `config`, used as `neo4j`.
    pub fn new(config: &Config) -> Result<Embedded, Neo4jError> {
        Ok(Embedded {
            cluster: Cluster::new(config.clone())?,
            user: "neo4j".into(),
            impersonated: None,
            storage: Storage::Memory,
            _lock: None,
        })
    }

    /// The cluster in `storage`: see [`open_stored`] for a data directory; in memory, a new
    /// cluster set up by `config`.
    pub fn open(
        config: &Config,
        storage: Storage,
        renew: bool,
        recover: bool,
    ) -> Result<Embedded, OpenError> {
        let (cluster, lock) = match &storage {
            Storage::Memory => (
                Cluster::new(config.clone()).map_err(OpenError::Cluster)?,
                None,
            ),
            Storage::Dir(dir) => {
                let (lock, cluster) = open_stored(dir, config, renew, recover)?;
                (cluster, Some(lock))
            }
        };
        Ok(Embedded {
            cluster,
            user: "neo4j".into(),
            impersonated: None,
            storage,
            _lock: lock,
        })
    }

    /// True when the cluster was set up now, false when it was loaded from its data
    /// directory.
    pub fn is_new(&self) -> bool {
        self.cluster.is_new()
    }

    /// Servers in the cluster.
    pub fn server_count(&self) -> usize {
        self.cluster.state().servers.len()
    }

    /// Warnings raised while the cluster was set up (e.g. no default database).
    pub fn warnings(&self) -> &[String] {
        self.cluster.warnings()
    }

    /// Runs as `user` from now on, after checking `password` against the user's argon2
    /// hash (`-u`/`-p`). Without a login the backend runs as the initial user `neo4j`: an
    /// embedded operator is the machine's user, as with a local `neo4j-admin`.
    pub fn login(&mut self, user: &str, password: &str) -> Result<(), Neo4jError> {
        self.cluster.authenticate(user, password)?;
        self.user = user.to_string();
        Ok(())
    }
}

impl Embedded {
    fn session(&self, request: &Request<'_>) -> Session {
        Session {
            user: self
                .impersonated
                .clone()
                .unwrap_or_else(|| self.user.clone()),
            database: request.database.to_string(),
            impersonating: self.impersonated.is_some(),
        }
    }
}

impl Backend for Embedded {
    fn run(&mut self, request: &Request<'_>) -> Result<QueryResult, BackendError> {
        let started = Instant::now();
        let session = self.session(request);
        let mut result =
            self.cluster
                .execute_text(request.statement, request.text, request.params, &session)?;
        result.available_after_ms = started.elapsed().as_millis() as u64;
        result.consumed_after_ms = 0;
        Ok(result)
    }

    /// Rows a query computes lazily are computed as the sink takes them: ready to start
    /// consuming is when the first could be, consumed after is the pulling.
    fn run_to(
        &mut self,
        request: &Request<'_>,
        sink: &mut dyn crate::result::RowSink,
    ) -> Result<QueryResult, BackendError> {
        let started = Instant::now();
        let session = self.session(request);
        let result = self.cluster.execute_streaming(
            request.statement,
            request.text,
            request.params,
            &session,
            Some(&mut *sink),
        )?;
        let available = started.elapsed();
        let mut summary = result.drain_into(sink)?;
        summary.available_after_ms = available.as_millis() as u64;
        summary.consumed_after_ms = (started.elapsed() - available).as_millis() as u64;
        Ok(summary)
    }

    fn info(&self) -> BackendInfo {
        let servers = self.cluster.state().servers.len();
        let place = match &self.storage {
            Storage::Memory => "in memory".to_string(),
            Storage::Dir(dir) => format!("in {}", dir.display()),
        };
        BackendInfo {
            user: self.user.clone(),
            impersonating: self.impersonated.clone(),
            description: format!("an embedded cluster ({place}, {servers} servers)"),
            runs_cypher: false,
        }
    }

    fn impersonate(&mut self, user: Option<&str>) -> Result<(), BackendError> {
        if let Some(target) = user {
            crate::cluster::security::impersonate(self.cluster.state(), &self.user, target)?;
        }
        self.impersonated = user.filter(|t| *t != self.user).map(str::to_string);
        Ok(())
    }

    fn reconnect(&mut self, login: Option<(&str, &str)>) -> Result<(), BackendError> {
        self.impersonated = None;
        // An open transaction ends with the session, as a server's does.
        let _ = self.cluster.rollback();
        if let Some((user, password)) = login {
            self.login(user, password).map_err(|e| {
                if e.code == crate::error::code::UNAUTHORIZED {
                    BackendError::Fatal(crate::client::ConnectionError::Unauthorized)
                } else {
                    BackendError::Statement(e)
                }
            })?;
        }
        Ok(())
    }

    fn begin(&mut self) -> Result<(), BackendError> {
        Ok(self.cluster.begin()?)
    }

    fn commit(&mut self) -> Result<(), BackendError> {
        Ok(self.cluster.commit()?)
    }

    fn rollback(&mut self) -> Result<(), BackendError> {
        Ok(self.cluster.rollback()?)
    }

    /// cypher-shell's Store Size table from the data directory: `Total` is every file in
    /// it, `Database` the store file and its write-ahead log. A cluster in memory has none.
    fn own_metrics(&self) -> Vec<super::MetricTable> {
        let Storage::Dir(dir) = &self.storage else {
            return Vec::new();
        };
        let size = |path: &Path| std::fs::metadata(path).map_or(0, |m| m.len());
        let total: u64 = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                    .map(|e| size(&e.path()))
                    .sum()
            })
            .unwrap_or(0);
        let db = dir.join(store::DB_FILE);
        let wal = dir.join(format!("{}-wal", store::DB_FILE));
        let database = size(&db) + size(&wal);
        let int = |n: u64| crate::value::Value::Int(i64::try_from(n).unwrap_or(i64::MAX));
        vec![super::MetricTable {
            heading: "Store Size",
            rows: vec![("Total", int(total)), ("Database", int(database))],
        }]
    }

    fn dry_run_begin(&mut self) -> Result<(), BackendError> {
        Ok(self.cluster.dry_run_begin()?)
    }

    fn dry_run_finish(&mut self) -> Result<super::Plan, BackendError> {
        Ok(self.cluster.dry_run_finish()?)
    }
}

impl Drop for Embedded {
    /// Leaving with an open explicit transaction rolls it back, as a server would.
    fn drop(&mut self) {
        if self.cluster.in_dry_run() {
            let _ = self.cluster.dry_run_finish();
        }
        let _ = self.cluster.rollback();
    }
}
