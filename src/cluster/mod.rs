//! The embedded cluster: an in-process model of a Neo4j cluster's control plane that
//! executes parsed admin statements.
//!
//! It owns the cluster state and every rule about it. It must stay synchronous and
//! deterministic for a given state and input: no HTTP, no async, no terminal, no I/O of
//! its own.

pub mod model;

use crate::dialect::Params;
use crate::dialect::ast::{ShowKind, Statement};
use crate::error::{Neo4jError, code};
use crate::result::QueryResult;
use crate::value::Value;
use model::{Server, ServerState, State};

/// How a new embedded cluster is set up.
#[derive(Debug, Clone)]
pub struct Config {
    /// Servers that join a new cluster (`--servers`, default 3).
    pub servers: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config { servers: 3 }
    }
}

/// Who runs a statement, and against which database.
#[derive(Debug, Clone)]
pub struct Session {
    /// The user name.
    pub user: String,
    /// The database the session uses.
    pub database: String,
}

/// The embedded cluster.
#[derive(Debug, Clone)]
pub struct Cluster {
    state: State,
}

impl Cluster {
    /// A new cluster whose `config.servers` servers have joined and whose system database
    /// has bootstrapped. Server ids are random v4 UUIDs; addresses count up from
    /// `localhost:7687`.
    pub fn new(config: &Config) -> Cluster {
        let servers: Vec<Server> = (0..config.servers)
            .map(|i| {
                let id = uuid::Uuid::new_v4().to_string();
                Server {
                    name: id.clone(),
                    id,
                    address: format!("localhost:{}", 7687 + i),
                    state: ServerState::Enabled,
                    available: true,
                }
            })
            .collect();
        // The default database gets one primary (initial.dbms.default_primaries_count=1)
        // on the server with the lowest id.
        let default_hosts = servers
            .iter()
            .map(|s| s.id.clone())
            .min()
            .into_iter()
            .collect();
        Cluster {
            state: State {
                servers,
                default_database: "neo4j".into(),
                default_hosts,
            },
        }
    }

    /// Executes one parsed statement.
    pub fn execute(
        &mut self,
        statement: &Statement,
        _params: &Params,
        _session: &Session,
    ) -> Result<QueryResult, Neo4jError> {
        match statement {
            Statement::Show(show) if show.kind == ShowKind::Servers => Ok(self.show_servers()),
            Statement::Cypher => Err(Neo4jError::new(
                code::NOT_SUPPORTED,
                "The embedded cluster runs administration commands only (databases, servers, \
                 aliases, users, roles, privileges and procedures); general Cypher needs a Neo4j server.",
            )),
            other => Err(Neo4jError::new(
                code::NOT_SUPPORTED,
                format!(
                    "{} is not supported by the embedded cluster yet.",
                    other.kind()
                ),
            )),
        }
    }

    fn show_servers(&self) -> QueryResult {
        let mut servers: Vec<&Server> = self.state.servers.iter().collect();
        servers.sort_by(|a, b| a.name.cmp(&b.name));
        let rows = servers
            .into_iter()
            .map(|s| {
                let mut hosting = vec!["system".to_string()];
                if self.state.default_hosts.contains(&s.id) {
                    hosting.push(self.state.default_database.clone());
                }
                vec![
                    Value::str(&s.name),
                    Value::str(&s.address),
                    Value::str(s.state.as_str()),
                    Value::str(if s.available {
                        "Available"
                    } else {
                        "Unavailable"
                    }),
                    Value::str_list(hosting),
                ]
            })
            .collect();
        let fields = ["name", "address", "state", "health", "hosting"];
        QueryResult::new(fields.iter().map(|f| f.to_string()).collect(), rows)
    }
}
