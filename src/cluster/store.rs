//! The store interface: how the cluster's state is loaded and how each successful
//! statement's row-level changes are persisted.
//!
//! It owns `Change` (the unit of persistence), the `Store` trait and `MemoryStore`. It must
//! not interpret changes beyond applying them to a `State`; a durable store (SQLite, the
//! next issue) maps each `Change` to one row operation.

use super::model::{
    Alias, Allocation, Database, DatabaseKind, Privilege, Role, Server, ServerState, Settings,
    State, Status, User,
};

/// One row-level change to the state. A statement's changes, applied in order to the
/// state it started from, give the state it left.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Insert or replace a server (keyed by id).
    UpsertServer(Server),
    /// Remove a server.
    DeleteServer(String),
    /// Insert or replace a database (keyed by name).
    UpsertDatabase(Database),
    /// Remove a database (and its allocations).
    DeleteDatabase(String),
    /// Replace all allocations of a database (empty: none).
    SetAllocations {
        /// The database name.
        database: String,
        /// Its allocations after the change.
        allocations: Vec<Allocation>,
    },
    /// Insert or replace an alias (keyed by full name).
    UpsertAlias(Alias),
    /// Remove an alias.
    DeleteAlias(String),
    /// Replace the settings row.
    SetSettings(Settings),
    /// Insert or replace a user (keyed by name).
    UpsertUser(User),
    /// Remove a user (its role memberships are changed by their own changes first).
    DeleteUser(String),
    /// Insert or replace a role (keyed by name).
    UpsertRole(Role),
    /// Remove a role (its members and privileges are emptied by their own changes first).
    DeleteRole(String),
    /// Replace the members of a role (empty: none).
    SetRoleMembers {
        /// The role name.
        role: String,
        /// Its members after the change.
        users: Vec<String>,
    },
    /// Replace the privileges of a role (empty: none).
    SetPrivileges {
        /// The role name.
        role: String,
        /// Its privileges after the change, in order.
        privileges: Vec<Privilege>,
    },
}

impl Change {
    /// Applies the change to `state`, keeping its derived indexes in step. Returns the
    /// change that undoes it.
    pub fn apply(self, state: &mut State) -> Change {
        match self {
            Change::UpsertServer(s) => {
                if let Some(loads) = state.loads.built_mut() {
                    let key = (loads.of(&s.id), s.id.clone());
                    if s.state == ServerState::Enabled {
                        loads.enabled.insert(key);
                    } else {
                        loads.enabled.remove(&key);
                    }
                }
                match state.servers.insert(s.id.clone(), s.clone()) {
                    Some(old) => Change::UpsertServer(old),
                    None => Change::DeleteServer(s.id),
                }
            }
            Change::DeleteServer(id) => {
                if let Some(loads) = state.loads.built_mut() {
                    loads.enabled.remove(&(loads.of(&id), id.clone()));
                }
                match state.servers.remove(&id) {
                    Some(old) => Change::UpsertServer(old),
                    None => Change::DeleteServer(id),
                }
            }
            Change::UpsertDatabase(d) => {
                if let Some(flags) = state.flags.built_mut() {
                    if d.kind == DatabaseKind::Composite {
                        flags.composites.insert(d.name.clone());
                    } else {
                        flags.composites.remove(&d.name);
                    }
                    if d.requested_status == Status::Offline {
                        flags.stopped.insert(d.name.clone());
                    } else {
                        flags.stopped.remove(&d.name);
                    }
                }
                match state.databases.insert(d.name.clone(), d.clone()) {
                    Some(old) => Change::UpsertDatabase(old),
                    None => Change::DeleteDatabase(d.name.to_string()),
                }
            }
            Change::DeleteDatabase(name) => {
                // Allocations are removed by their own change first; a delete of a database
                // that still has allocations is a caller bug, kept consistent anyway.
                set_allocations(state, &name, Vec::new());
                if let Some(flags) = state.flags.built_mut() {
                    flags.composites.remove(name.as_str());
                    flags.stopped.remove(name.as_str());
                }
                match state.databases.remove(name.as_str()) {
                    Some(old) => Change::UpsertDatabase(old),
                    None => Change::DeleteDatabase(name),
                }
            }
            Change::SetAllocations {
                database,
                allocations,
            } => {
                let old = set_allocations(state, &database, allocations);
                Change::SetAllocations {
                    database,
                    allocations: old,
                }
            }
            Change::UpsertAlias(a) => match state.aliases.insert(a.name.clone(), a.clone()) {
                Some(old) => Change::UpsertAlias(old),
                None => Change::DeleteAlias(a.name),
            },
            Change::DeleteAlias(name) => match state.aliases.remove(&name) {
                Some(old) => Change::UpsertAlias(old),
                None => Change::DeleteAlias(name),
            },
            Change::SetSettings(s) => {
                Change::SetSettings(std::mem::replace(&mut state.settings, s))
            }
            Change::UpsertUser(u) => match state.users.insert(u.name.clone(), u.clone()) {
                Some(old) => Change::UpsertUser(old),
                None => Change::DeleteUser(u.name),
            },
            Change::DeleteUser(name) => match state.users.remove(&name) {
                Some(old) => Change::UpsertUser(old),
                None => Change::DeleteUser(name),
            },
            Change::UpsertRole(r) => match state.roles.insert(r.name.clone(), r.clone()) {
                Some(old) => Change::UpsertRole(old),
                None => Change::DeleteRole(r.name),
            },
            Change::DeleteRole(name) => match state.roles.remove(&name) {
                Some(old) => Change::UpsertRole(old),
                None => Change::DeleteRole(name),
            },
            Change::SetRoleMembers { role, users } => {
                let old = if users.is_empty() {
                    state.role_members.remove(&role)
                } else {
                    state.role_members.insert(role.clone(), users)
                };
                Change::SetRoleMembers {
                    role,
                    users: old.unwrap_or_default(),
                }
            }
            Change::SetPrivileges { role, privileges } => {
                let old = if privileges.is_empty() {
                    state.privileges.remove(&role)
                } else {
                    state.privileges.insert(role.clone(), privileges)
                };
                Change::SetPrivileges {
                    role,
                    privileges: old.unwrap_or_default(),
                }
            }
        }
    }
}

/// Replaces a database's allocations and updates the per-server indexes (load and hosted
/// copies); returns the old ones. The only place allocations change, so the indexes are
/// in step by construction. Empty index entries are removed so that equal states compare
/// equal after an undo.
fn set_allocations(state: &mut State, database: &str, new: Vec<Allocation>) -> Vec<Allocation> {
    // The old copies leave the hosted index before the new ones arrive, so a copy kept on
    // the same server is removed and added again, never lost.
    // An index not built yet is built from the allocations when first asked for.
    if let Some(hosted) = state.hosted.built_mut() {
        for a in state.allocations.get(database).into_iter().flatten() {
            if let Some(h) = hosted.get_mut(&*a.server) {
                h.remove(database, a.mode);
                if h.is_empty() {
                    hosted.remove(&*a.server);
                }
            }
        }
        for a in &new {
            hosted
                .entry(a.server.clone())
                .or_default()
                .add(database, a.mode);
        }
    }
    for a in &new {
        change_load(state, &a.server, true);
    }
    let old = if new.is_empty() {
        state.allocations.remove(database).unwrap_or_default()
    } else {
        state
            .allocations
            .insert(database.into(), new)
            .unwrap_or_default()
    };
    for a in &old {
        change_load(state, &a.server, false);
    }
    old
}

/// One copy more (`up`) or fewer on `server`: its load, and its place among the enabled
/// servers by load (nothing to do while the load index is not built).
fn change_load(state: &mut State, server: &str, up: bool) {
    let Some(loads) = state.loads.built_mut() else {
        return;
    };
    let before = loads.of(server);
    let after = if up {
        before + 1
    } else {
        before.saturating_sub(1)
    };
    if after == 0 {
        loads.by_server.remove(server);
    } else {
        loads.by_server.insert(server.to_string(), after);
    }
    if state
        .servers
        .get(server)
        .is_some_and(|s| s.state == ServerState::Enabled)
    {
        let mut key = (before, server.to_string());
        loads.enabled.remove(&key);
        key.0 = after;
        loads.enabled.insert(key);
    }
}

/// Why a store failed.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct StoreError(pub String);

/// Where the state lives between runs.
pub trait Store: Send {
    /// The saved state, or `None` for a new cluster.
    fn load(&mut self) -> Result<Option<State>, StoreError>;
    /// Persists one committed statement's (or explicit transaction's) changes, in order.
    fn commit(&mut self, changes: &[Change]) -> Result<(), StoreError>;
    /// Persists the changes that set up a new cluster. A durable store remembers that the
    /// cluster is untouched until the next `commit`.
    fn commit_setup(&mut self, changes: &[Change]) -> Result<(), StoreError> {
        self.commit(changes)
    }
    /// Called once when the cluster closes with nothing uncommitted, so `state` is what
    /// the store holds: a durable store may keep a faster-to-read copy of it. Nothing the
    /// store needs may depend on this being called (a killed process never calls it).
    fn close(&mut self, _state: &State) -> Result<(), StoreError> {
        Ok(())
    }
}

/// A store that keeps nothing: the cluster lives in memory only (`--ephemeral`).
#[derive(Debug, Default)]
pub struct MemoryStore;

impl Store for MemoryStore {
    fn load(&mut self) -> Result<Option<State>, StoreError> {
        Ok(None)
    }

    fn commit(&mut self, _changes: &[Change]) -> Result<(), StoreError> {
        Ok(())
    }
}
