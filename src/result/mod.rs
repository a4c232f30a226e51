//! `QueryResult`: what a backend returns for one statement — columns, rows,
//! notifications and timings — independent of where it was computed.
//!
//! It also owns the two shapes of a result that is not held whole: `RowStream`, rows
//! computed as they are pulled (a graph-free query's lazy pipeline), and `RowSink`, where a
//! backend pushes rows as they arrive (the shell's renderer). It must not know how results
//! are rendered or sent over the wire.

use crate::error::Neo4jError;
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

/// Rows computed one at a time as they are pulled; an `Err` ends the stream (the
/// statement failed there, after the rows before it). It owns everything it needs, so a
/// server can keep it between two PULLs without holding the cluster.
pub type RowStream = Box<dyn Iterator<Item = Result<Vec<Value>, Neo4jError>> + Send>;

/// Where a backend pushes a result's rows as they arrive, so none has to be held whole.
pub trait RowSink {
    /// The result's columns, before any row.
    fn columns(&mut self, fields: &[String]);

    /// One row; `false` asks for no more (the reader went away, e.g. `| head`), and the
    /// backend then stops the statement as cheaply as it can.
    fn row(&mut self, row: Vec<Value>) -> bool;
}

/// A sink that keeps every row (for callers that need the whole result).
#[derive(Debug, Default)]
pub struct CollectRows {
    /// The rows pushed so far.
    pub rows: Vec<Vec<Value>>,
}

impl RowSink for CollectRows {
    fn columns(&mut self, _fields: &[String]) {}

    fn row(&mut self, row: Vec<Value>) -> bool {
        self.rows.push(row);
        true
    }
}

/// The result of one statement.
#[derive(Default)]
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
    /// Rows that follow `rows`, computed as they are pulled; `None` when `rows` holds them
    /// all. Only a caller that asked for a streamed result gets one
    /// (`Cluster::execute_streaming`); `cluster::complete` collects it, within the rows
    /// cysh holds in memory.
    pub more: Option<RowStream>,
}

impl std::fmt::Debug for QueryResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QueryResult")
            .field("fields", &self.fields)
            .field("rows", &self.rows)
            .field("notifications", &self.notifications)
            .field("available_after_ms", &self.available_after_ms)
            .field("consumed_after_ms", &self.consumed_after_ms)
            .field("counters", &self.counters)
            .field("plan", &self.plan)
            .field("more", &self.more.as_ref().map(|_| "RowStream"))
            .finish()
    }
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

    /// Pushes the columns and every row to `sink`, computing a streamed rest as it goes;
    /// stops early when the sink asks. Returns the result without its rows (the summary).
    pub fn drain_into(mut self, sink: &mut dyn RowSink) -> Result<QueryResult, Neo4jError> {
        sink.columns(&self.fields);
        let rows = std::mem::take(&mut self.rows);
        let more = self.more.take();
        for row in rows {
            if !sink.row(row) {
                return Ok(self);
            }
        }
        if let Some(more) = more {
            for row in more {
                if !sink.row(row?) {
                    break;
                }
            }
        }
        Ok(self)
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
