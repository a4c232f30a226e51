//! The embedded backend: statements run in-process on a `cluster::Cluster`.
//!
//! It owns the session (user) and the timing of each statement. It must not interpret
//! statements itself: that is the cluster's job.

use super::{Backend, BackendError, BackendInfo, Request};
use crate::cluster::{Cluster, Config, Session};
use crate::error::Neo4jError;
use crate::result::QueryResult;
use std::time::Instant;

/// A backend over an in-process cluster.
pub struct Embedded {
    cluster: Cluster,
    user: String,
    servers: usize,
}

impl Embedded {
    /// A new in-memory cluster set up by `config`, used as `neo4j`.
    pub fn new(config: &Config) -> Result<Embedded, Neo4jError> {
        Ok(Embedded {
            cluster: Cluster::new(config.clone())?,
            user: "neo4j".into(),
            servers: config.servers,
        })
    }

    /// Warnings raised while the cluster was set up (e.g. no default database).
    pub fn warnings(&self) -> &[String] {
        self.cluster.warnings()
    }
}

impl Backend for Embedded {
    fn run(&mut self, request: &Request<'_>) -> Result<QueryResult, BackendError> {
        let started = Instant::now();
        let session = Session {
            user: self.user.clone(),
            database: request.database.to_string(),
        };
        let mut result = self
            .cluster
            .execute(request.statement, request.params, &session)?;
        result.available_after_ms = started.elapsed().as_millis() as u64;
        result.consumed_after_ms = 0;
        Ok(result)
    }

    fn info(&self) -> BackendInfo {
        BackendInfo {
            user: self.user.clone(),
            description: format!(
                "an embedded cluster (in memory, {} servers)",
                self.cluster.state().servers.len().max(self.servers)
            ),
        }
    }
}
