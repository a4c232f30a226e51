//! Routing tables as `neo4j://` needs them: ROUTE's answer parsed into writers, readers
//! and routers with an expiry (its TTL), and the choice of a member for a statement.
//!
//! It owns the table's shape and freshness. It must not connect anywhere: the backend
//! asks the routers and dials the members.

use crate::bolt::Meta;
use crate::value::Value;
use std::time::{Duration, Instant};

/// One database's routing table.
#[derive(Debug, Clone)]
pub struct Table {
    /// Members that take writes.
    pub writers: Vec<String>,
    /// Members that take reads.
    pub readers: Vec<String>,
    /// Members that answer ROUTE.
    pub routers: Vec<String>,
    expires: Instant,
    next_reader: usize,
}

impl Table {
    /// The table in ROUTE's SUCCESS metadata (`rt`), or `None` if it has none.
    pub fn from_route(success: &Meta) -> Option<Table> {
        let Some(Value::Map(rt)) = success.get("rt") else {
            return None;
        };
        let ttl = rt
            .get("ttl")
            .and_then(Value::as_int)
            .unwrap_or(300)
            .clamp(0, 86_400);
        let mut table = Table {
            writers: Vec::new(),
            readers: Vec::new(),
            routers: Vec::new(),
            expires: Instant::now() + Duration::from_secs(ttl as u64),
            next_reader: 0,
        };
        let Some(Value::List(servers)) = rt.get("servers") else {
            return None;
        };
        for s in servers {
            let Value::Map(s) = s else { continue };
            let addresses: Vec<String> = match s.get("addresses") {
                Some(Value::List(a)) => a
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect(),
                _ => continue,
            };
            match s.get("role").and_then(Value::as_str) {
                Some("WRITE") => table.writers.extend(addresses),
                Some("READ") => table.readers.extend(addresses),
                Some("ROUTE") => table.routers.extend(addresses),
                _ => {}
            }
        }
        Some(table)
    }

    /// True while the TTL has not run out.
    pub fn is_fresh(&self) -> bool {
        Instant::now() < self.expires
    }

    /// The member a statement goes to: the first writer, or the readers in turn.
    pub fn pick(&mut self, write: bool) -> Option<String> {
        if write {
            return self.writers.first().cloned();
        }
        if self.readers.is_empty() {
            return self.writers.first().cloned();
        }
        let i = self.next_reader % self.readers.len();
        self.next_reader = self.next_reader.wrapping_add(1);
        Some(self.readers[i].clone())
    }

    /// Forgets `member` (it failed or is no longer the leader) so the next pick avoids
    /// it until the table is refreshed.
    pub fn forget(&mut self, member: &str) {
        self.writers.retain(|m| m != member);
        self.readers.retain(|m| m != member);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(role: &str, addresses: &[&str]) -> Value {
        Value::Map(
            [
                ("role".to_string(), Value::str(role)),
                (
                    "addresses".to_string(),
                    Value::str_list(addresses.iter().copied()),
                ),
            ]
            .into(),
        )
    }

    #[test]
    fn parses_and_picks() {
        let rt = Value::Map(
            [
                ("ttl".to_string(), Value::Int(300)),
                ("db".to_string(), Value::str("neo4j")),
                (
                    "servers".to_string(),
                    Value::List(vec![
                        server("WRITE", &["a:1"]),
                        server("READ", &["b:1", "c:1"]),
                        server("ROUTE", &["a:1", "b:1"]),
                    ]),
                ),
            ]
            .into(),
        );
        let mut t = Table::from_route(&[("rt".to_string(), rt)].into()).unwrap();
        assert!(t.is_fresh());
        assert_eq!(t.pick(true).as_deref(), Some("a:1"));
        assert_eq!(t.pick(false).as_deref(), Some("b:1"));
        assert_eq!(t.pick(false).as_deref(), Some("c:1"));
        t.forget("a:1");
        assert_eq!(t.pick(true), None);
        assert!(Table::from_route(&Meta::new()).is_none());
    }
}
