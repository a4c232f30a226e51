//! `QueryResult`: what a backend returns for one statement — columns, rows,
//! notifications and timings — independent of where it was computed.
//!
//! It must not know how results are rendered or sent over the wire.

use crate::value::Value;

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
