//! The embedded cluster's state: servers and what they host.
//!
//! It owns the data types of the control plane. It must not decide policy (allocation,
//! state transitions): the commands and the allocator do that.

/// A server's lifecycle state, as SHOW SERVERS prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerState {
    /// Discovered, not part of the cluster.
    Free,
    /// An active member.
    Enabled,
    /// Keeps what it hosts, gets nothing new.
    Cordoned,
    /// Its databases are moving away.
    Deallocating,
    /// Hosts only `system`.
    Deallocated,
    /// Removed from the cluster.
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

/// One server of the cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// The server id (a v4 UUID).
    pub id: String,
    /// The server name (starts as its id).
    pub name: String,
    /// The Bolt address, `localhost:7687`, ...
    pub address: String,
    /// Lifecycle state.
    pub state: ServerState,
    /// True when its process is running.
    pub available: bool,
}

/// The whole control-plane state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct State {
    /// Servers, in the order they joined.
    pub servers: Vec<Server>,
    /// The default database's name.
    pub default_database: String,
    /// Server ids hosting the default database.
    pub default_hosts: Vec<String>,
}
