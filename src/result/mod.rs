//! `QueryResult`: what a backend returns for one statement — columns, rows,
//! notifications and timings — independent of where it was computed.
//!
//! It must not know how results are rendered or sent over the wire.

use crate::value::Value;

pub mod plan;

pub use plan::{ExecutionPlan, Operator, Profile};

/// A notification attached to a result (Neo4j's `notifications` entries).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// e.g. `Neo.ClientNotification.Cluster.ServerAlreadyEnabled`.
    pub code: String,
    /// e.g. "`ENABLE SERVER` has no effect."
    pub title: String,
    /// The specific description.
    pub description: String,
    /// `INFORMATION` or `WARNING`.
    pub severity: String,
    /// e.g. `TOPOLOGY`; empty when none.
    pub category: String,
}

/// The result of one statement.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QueryResult {
    /// Column names, in order.
    pub fields: Vec<String>,
    /// Rows; each row has one value per field, in field order.
    pub rows: Vec<Vec<Value>>,
    /// Notifications, in the order they were raised.
    pub notifications: Vec<Notification>,
    /// Milliseconds until the first row was available.
    pub available_after_ms: u64,
    /// Milliseconds spent consuming the rows after that.
    pub consumed_after_ms: u64,
    /// What the statement changed, as the server counted it (all zero for a read).
    pub counters: Counters,
    /// The plan, for an `EXPLAIN` or `PROFILE` statement.
    pub plan: Option<ExecutionPlan>,
}

/// Update counters: Neo4j's query statistics (Bolt's `stats`, the Query API's `counters`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counters {
    /// `nodes-created`.
    pub nodes_created: i64,
    /// `nodes-deleted`.
    pub nodes_deleted: i64,
    /// `relationships-created`.
    pub relationships_created: i64,
    /// `relationships-deleted`.
    pub relationships_deleted: i64,
    /// `properties-set`.
    pub properties_set: i64,
    /// `labels-added`.
    pub labels_added: i64,
    /// `labels-removed`.
    pub labels_removed: i64,
    /// `indexes-added`.
    pub indexes_added: i64,
    /// `indexes-removed`.
    pub indexes_removed: i64,
    /// `constraints-added`.
    pub constraints_added: i64,
    /// `constraints-removed`.
    pub constraints_removed: i64,
    /// `system-updates`: changes to the system database (administration commands).
    pub system_updates: i64,
}

impl Counters {
    /// Sets the counter a server calls `name`, in Bolt's form (`nodes-created`) or the
    /// Query API's (`nodesCreated`); unknown names (`containsUpdates`) are ignored.
    pub fn set(&mut self, name: &str, n: i64) {
        let key: String = name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let slot = match key.as_str() {
            "nodescreated" => &mut self.nodes_created,
            "nodesdeleted" => &mut self.nodes_deleted,
            "relationshipscreated" => &mut self.relationships_created,
            "relationshipsdeleted" => &mut self.relationships_deleted,
            "propertiesset" => &mut self.properties_set,
            "labelsadded" => &mut self.labels_added,
            "labelsremoved" => &mut self.labels_removed,
            "indexesadded" => &mut self.indexes_added,
            "indexesremoved" => &mut self.indexes_removed,
            "constraintsadded" => &mut self.constraints_added,
            "constraintsremoved" => &mut self.constraints_removed,
            "systemupdates" => &mut self.system_updates,
            _ => return,
        };
        *slot = n;
    }

    /// cypher-shell's statistics line: the non-zero counters in its fixed order and words
    /// (`Added 1 nodes, Set 2 properties`), or `System updates: N` when the statement
    /// changed the system database; `None` when nothing changed.
    pub fn summary(&self) -> Option<String> {
        if self.system_updates > 0 {
            return Some(format!("System updates: {}", self.system_updates));
        }
        let parts: Vec<String> = [
            ("Added {} nodes", self.nodes_created),
            ("Deleted {} nodes", self.nodes_deleted),
            ("Created {} relationships", self.relationships_created),
            ("Deleted {} relationships", self.relationships_deleted),
            ("Set {} properties", self.properties_set),
            ("Added {} labels", self.labels_added),
            ("Removed {} labels", self.labels_removed),
            ("Added {} indexes", self.indexes_added),
            ("Removed {} indexes", self.indexes_removed),
            ("Added {} constraints", self.constraints_added),
            ("Removed {} constraints", self.constraints_removed),
        ]
        .into_iter()
        .filter(|(_, n)| *n != 0)
        .map(|(words, n)| words.replace("{}", &n.to_string()))
        .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

impl QueryResult {
    /// A result with columns and rows.
    pub fn new(fields: Vec<String>, rows: Vec<Vec<Value>>) -> QueryResult {
        QueryResult {
            fields,
            rows,
            ..QueryResult::default()
        }
    }

    /// A result with no columns and no rows (what NOWAIT admin commands return).
    pub fn empty() -> QueryResult {
        QueryResult::default()
    }

    /// The same result with a notification added.
    pub fn with_notification(mut self, n: Notification) -> QueryResult {
        self.notifications.push(n);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_read_as_cypher_shell_prints_them() {
        let mut c = Counters::default();
        assert_eq!(c.summary(), None);
        c.set("nodes-created", 1);
        c.set("propertiesSet", 2);
        c.set("labels-added", 1);
        c.set("containsUpdates", 1);
        assert_eq!(
            c.summary().as_deref(),
            Some("Added 1 nodes, Set 2 properties, Added 1 labels")
        );
        let mut system = Counters::default();
        system.set("system-updates", 1);
        assert_eq!(system.summary().as_deref(), Some("System updates: 1"));
    }
}
