//! The transaction object every mutation goes through: it applies row-level `Change`s to
//! the state at once (so later steps of a statement see earlier ones) and keeps an undo
//! log so a failing statement, or a rolled-back explicit transaction, leaves no trace.
//!
//! It owns the change and undo logs. It must not decide what to change.

use super::model::{Alias, Allocation, Database, Privilege, Role, Server, Settings, State, User};
use super::store::Change;

/// Changes made so far and how to undo them. Cost is proportional to what changed,
/// never to the size of the state.
#[derive(Debug, Default)]
pub struct Log {
    /// The changes, in order (what the store persists).
    pub changes: Vec<Change>,
    /// The inverse changes, in order (undo runs them backwards).
    pub undo: Vec<Change>,
}

impl Log {
    /// Undoes every change on `state`, newest first, and empties the log.
    pub fn rollback(&mut self, state: &mut State) {
        while let Some(c) = self.undo.pop() {
            c.apply(state);
        }
        self.changes.clear();
    }

    /// Appends another log (a statement joining an explicit transaction).
    pub fn extend(&mut self, other: Log) {
        self.changes.extend(other.changes);
        self.undo.extend(other.undo);
    }
}

/// A mutable view of the state that records every change.
pub struct Txn<'a> {
    /// The state (read freely; write only through the methods).
    pub state: &'a mut State,
    /// What this transaction did.
    pub log: Log,
}

impl<'a> Txn<'a> {
    /// A new transaction over `state`.
    pub fn new(state: &'a mut State) -> Txn<'a> {
        Txn {
            state,
            log: Log::default(),
        }
    }

    fn record(&mut self, change: Change) {
        self.log.changes.push(change.clone());
        let undo = change.apply(self.state);
        self.log.undo.push(undo);
    }

    /// Inserts or replaces a server.
    pub fn upsert_server(&mut self, server: Server) {
        self.record(Change::UpsertServer(server));
    }

    /// Removes a server.
    pub fn delete_server(&mut self, id: &str) {
        self.record(Change::DeleteServer(id.to_string()));
    }

    /// Inserts or replaces a database.
    pub fn upsert_database(&mut self, database: Database) {
        self.record(Change::UpsertDatabase(database));
    }

    /// Removes a database and its allocations.
    pub fn delete_database(&mut self, name: &str) {
        if !self.state.allocations_of(name).is_empty() {
            self.set_allocations(name, Vec::new());
        }
        self.record(Change::DeleteDatabase(name.to_string()));
    }

    /// Replaces a database's allocations.
    pub fn set_allocations(&mut self, database: &str, allocations: Vec<Allocation>) {
        self.record(Change::SetAllocations {
            database: database.to_string(),
            allocations,
        });
    }

    /// Inserts or replaces an alias.
    pub fn upsert_alias(&mut self, alias: Alias) {
        self.record(Change::UpsertAlias(alias));
    }

    /// Removes an alias.
    pub fn delete_alias(&mut self, name: &str) {
        self.record(Change::DeleteAlias(name.to_string()));
    }

    /// Changes settings through a closure on a copy.
    pub fn update_settings(&mut self, f: impl FnOnce(&mut Settings)) {
        let mut s = self.state.settings.clone();
        f(&mut s);
        if s != self.state.settings {
            self.record(Change::SetSettings(s));
        }
    }

    /// Changes one server through a closure on a copy (no-op for unknown ids).
    pub fn update_server(&mut self, id: &str, f: impl FnOnce(&mut Server)) {
        if let Some(mut s) = self.state.servers.get(id).cloned() {
            f(&mut s);
            self.upsert_server(s);
        }
    }

    /// Changes one database through a closure on a copy (no-op for unknown names).
    pub fn update_database(&mut self, name: &str, f: impl FnOnce(&mut Database)) {
        if let Some(mut d) = self.state.databases.get(name).cloned() {
            f(&mut d);
            self.upsert_database(d);
        }
    }

    /// Inserts or replaces a user.
    pub fn upsert_user(&mut self, user: User) {
        self.record(Change::UpsertUser(user));
    }

    /// Removes a user and its role memberships.
    pub fn delete_user(&mut self, name: &str) {
        let roles: Vec<String> = self
            .state
            .role_members
            .iter()
            .filter(|(_, m)| m.iter().any(|u| u == name))
            .map(|(r, _)| r.clone())
            .collect();
        for role in roles {
            let members = self.members_without(&role, name);
            self.set_role_members(&role, members);
        }
        self.record(Change::DeleteUser(name.to_string()));
    }

    /// Inserts or replaces a role.
    pub fn upsert_role(&mut self, role: Role) {
        self.record(Change::UpsertRole(role));
    }

    /// Removes a role, its members and its privileges.
    pub fn delete_role(&mut self, name: &str) {
        if self.state.role_members.contains_key(name) {
            self.set_role_members(name, Vec::new());
        }
        if self.state.privileges.contains_key(name) {
            self.set_privileges(name, Vec::new());
        }
        self.record(Change::DeleteRole(name.to_string()));
    }

    /// Replaces a role's members (sorted, no duplicates).
    pub fn set_role_members(&mut self, role: &str, mut users: Vec<String>) {
        users.sort();
        users.dedup();
        if self
            .state
            .role_members
            .get(role)
            .map_or(users.is_empty(), |m| *m == users)
        {
            return;
        }
        self.record(Change::SetRoleMembers {
            role: role.to_string(),
            users,
        });
    }

    /// Replaces a role's privileges (no-op when unchanged).
    pub fn set_privileges(&mut self, role: &str, privileges: Vec<Privilege>) {
        if self
            .state
            .privileges
            .get(role)
            .map_or(privileges.is_empty(), |p| *p == privileges)
        {
            return;
        }
        self.record(Change::SetPrivileges {
            role: role.to_string(),
            privileges,
        });
    }

    fn members_without(&self, role: &str, user: &str) -> Vec<String> {
        self.state
            .role_members
            .get(role)
            .map(|m| m.iter().filter(|u| *u != user).cloned().collect())
            .unwrap_or_default()
    }
}
