//! Explicit transactions of `cysh serve`: ids, owners, idle expiry and the reaper.
//!
//! A transaction keeps only its writes. Each of its statements runs on a scratch copy of
//! the live cluster after its earlier writes are replayed, so it sees its own changes and
//! nobody else does; commit replays the writes on the live cluster as one unit, kept only
//! if all succeed. It must not know about HTTP.

use crate::dialect::Params;
use crate::dialect::ast::Statement;
use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime};

/// Idle time after which an open transaction is rolled back
/// (`server.queryapi.transaction_idle_timeout`, default 1 minute).
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// How often expired transactions are reaped (Neo4j's reaper period).
pub const REAP_EVERY: Duration = Duration::from_secs(5);
/// Open transactions allowed at once, so a client cannot exhaust memory.
pub const MAX_OPEN: usize = 1000;

/// A statement that ran inside a transaction, kept to replay at commit.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The parsed statement.
    pub statement: Statement,
    /// Its parameters.
    pub params: Params,
    /// The database it ran against in the session.
    pub database: String,
}

/// One open transaction.
#[derive(Debug)]
pub struct Tx {
    /// The database named in its URL.
    pub database: String,
    /// The user that began it (its credentials own it).
    pub user: String,
    /// Who its statements run as: `user`, or the user it impersonates (`impersonatedUser`
    /// at begin).
    pub run_as: super::Actor,
    /// When it expires if idle.
    pub expires: Instant,
    /// The same instant as wall-clock time, for the `expires` field.
    pub expires_at: SystemTime,
    /// Its writes, to replay at commit.
    pub writes: Vec<Recorded>,
    /// Its idle timeout.
    idle: Duration,
}

impl Tx {
    /// A new transaction that expires after `idle` without requests.
    pub fn new(database: &str, user: &str, run_as: super::Actor, idle: Duration) -> Tx {
        let mut tx = Tx {
            database: database.to_string(),
            user: user.to_string(),
            run_as,
            expires: Instant::now(),
            expires_at: SystemTime::now(),
            writes: Vec::new(),
            idle,
        };
        tx.touch();
        tx
    }

    /// Pushes the expiry back by the idle timeout.
    pub fn touch(&mut self) {
        self.expires = Instant::now() + self.idle;
        self.expires_at = SystemTime::now() + self.idle;
    }

    /// `expires` as the Query API writes it: ISO-8601 UTC, whole seconds.
    pub fn expires_text(&self) -> String {
        jiff::Timestamp::try_from(self.expires_at)
            .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default()
    }
}

/// The open transactions by id.
#[derive(Debug, Default)]
pub struct Registry {
    open: HashMap<String, Tx>,
}

impl Registry {
    /// Registers a transaction and returns its new id (6 lower-case hex digits, as
    /// recorded from Neo4j), or `None` when too many are open.
    pub fn insert(&mut self, tx: Tx) -> Option<String> {
        if self.open.len() >= MAX_OPEN {
            return None;
        }
        loop {
            let id: String = uuid::Uuid::new_v4().simple().to_string()[..6].to_string();
            if !self.open.contains_key(&id) {
                self.open.insert(id.clone(), tx);
                return Some(id);
            }
        }
    }

    /// The live transaction `id` if `user` may use it on `database`. Expired ones are
    /// dropped here too, so expiry does not depend on the reaper's timing.
    pub fn get_mut(&mut self, id: &str, database: &str, user: &str) -> Option<&mut Tx> {
        let expired = self
            .open
            .get(id)
            .is_some_and(|tx| tx.expires <= Instant::now());
        if expired {
            self.open.remove(id);
            return None;
        }
        self.open
            .get_mut(id)
            .filter(|tx| tx.database == database && tx.user == user)
    }

    /// Removes transaction `id` (commit, rollback, or an error inside it).
    pub fn remove(&mut self, id: &str) -> Option<Tx> {
        self.open.remove(id)
    }

    /// Rolls back every expired transaction; returns how many.
    pub fn reap(&mut self) -> usize {
        let now = Instant::now();
        let before = self.open.len();
        self.open.retain(|_, tx| tx.expires > now);
        before - self.open.len()
    }

    /// How many transactions are open.
    pub fn len(&self) -> usize {
        self.open.len()
    }

    /// True when none is open.
    pub fn is_empty(&self) -> bool {
        self.open.is_empty()
    }
}
