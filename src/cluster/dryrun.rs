//! The plan of a dry run: what a statement or script would change in the allocations and
//! how the per-server load would look, computed from the state before and after.
//!
//! It owns the pure comparison of two `State`s: allocation changes (a copy added, removed
//! or moved, or its mode changed), the load table, the databases left below their
//! requested topology and the verdict line. It must not run statements, roll anything
//! back or do I/O: `Cluster::dry_run_*` runs and undoes, this only compares.

use super::model::{Allocation, Mode, Name, ServerState, State};
use std::collections::{BTreeMap, BTreeSet};

/// The kind of one allocation change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// A new copy on a server.
    Added,
    /// A copy removed from a server.
    Removed,
    /// A copy removed from one server and added on another, in the same mode.
    Moved,
    /// A copy that stays on its server in another mode.
    ModeChanged,
}

impl ChangeKind {
    /// The word the plan prints.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Moved => "moved",
            ChangeKind::ModeChanged => "mode changed",
        }
    }
}

/// One allocation change. Servers are named as SHOW SERVERS names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocationChange {
    /// The database.
    pub database: String,
    /// What happens to the copy.
    pub kind: ChangeKind,
    /// The server of an added, removed or mode-changed copy.
    pub server: Option<String>,
    /// The server a moved copy leaves.
    pub from_server: Option<String>,
    /// The server a moved copy goes to.
    pub to_server: Option<String>,
    /// The copy's mode before (`None` for an added copy).
    pub from_mode: Option<Mode>,
    /// The copy's mode after (`None` for a removed copy).
    pub to_mode: Option<Mode>,
}

impl AllocationChange {
    /// The mode column: the copy's mode, or `primary -> secondary` for a mode change.
    pub fn mode_text(&self) -> String {
        match (self.from_mode, self.to_mode) {
            (Some(a), Some(b)) if a != b => format!("{} -> {}", a.as_str(), b.as_str()),
            (_, Some(m)) | (Some(m), None) => m.as_str().to_string(),
            (None, None) => String::new(),
        }
    }
}

/// One server's load (user-database copies) before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadRow {
    /// The server name (after the run when it still exists).
    pub server: String,
    /// The server id.
    pub server_id: String,
    /// Its address.
    pub address: String,
    /// Copies before; `None` when the server did not exist.
    pub before: Option<usize>,
    /// Copies after; `None` when the server no longer exists.
    pub after: Option<usize>,
}

/// A database with fewer hosted copies than its requested topology after the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BelowTopology {
    /// The database.
    pub database: String,
    /// Requested primaries.
    pub requested_primaries: u32,
    /// Primaries on available servers.
    pub primaries: u32,
    /// Requested secondaries.
    pub requested_secondaries: u32,
    /// Secondaries on available servers.
    pub secondaries: u32,
}

/// What a dry run would do to the allocations and the load.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// Allocation changes, by database, then kind, then server.
    pub changes: Vec<AllocationChange>,
    /// Every server before or after, in SHOW SERVERS order (by name).
    pub load: Vec<LoadRow>,
    /// Databases below their requested topology after the run.
    pub below_topology: Vec<BelowTopology>,
    /// The highest load before.
    pub max_load_before: usize,
    /// The highest load after.
    pub max_load_after: usize,
}

/// Compares the state before and after a dry run.
pub fn plan(before: &State, after: &State) -> Plan {
    let name_of = |id: &str| -> String {
        after
            .servers
            .get(id)
            .or_else(|| before.servers.get(id))
            .map_or_else(|| id.to_string(), |s| s.name.clone())
    };
    let mut changes = diff_allocations(&before.allocations, &after.allocations);
    for c in &mut changes {
        for s in [&mut c.server, &mut c.from_server, &mut c.to_server]
            .into_iter()
            .flatten()
        {
            *s = name_of(s);
        }
    }
    let load = load_rows(before, after);
    let max = |pick: fn(&LoadRow) -> Option<usize>| load.iter().filter_map(pick).max();
    Plan {
        changes,
        below_topology: below_topology(after),
        max_load_before: max(|r| r.before).unwrap_or(0),
        max_load_after: max(|r| r.after).unwrap_or(0),
        load,
    }
}

/// The allocation changes between two allocation maps, with server ids. Per database and
/// mode, removed and added copies are paired into moves in server-id order, so a plan of
/// the same moves always reads the same.
pub fn diff_allocations(
    before: &BTreeMap<Name, Vec<Allocation>>,
    after: &BTreeMap<Name, Vec<Allocation>>,
) -> Vec<AllocationChange> {
    let empty = Vec::new();
    let databases: BTreeSet<&Name> = before.keys().chain(after.keys()).collect();
    let mut out = Vec::new();
    for db in databases {
        let old: BTreeMap<&str, Mode> = before
            .get(db)
            .unwrap_or(&empty)
            .iter()
            .map(|a| (&*a.server, a.mode))
            .collect();
        let new: BTreeMap<&str, Mode> = after
            .get(db)
            .unwrap_or(&empty)
            .iter()
            .map(|a| (&*a.server, a.mode))
            .collect();
        let change =
            |kind, server: Option<&str>, from: Option<&str>, to: Option<&str>| AllocationChange {
                database: db.to_string(),
                kind,
                server: server.map(String::from),
                from_server: from.map(String::from),
                to_server: to.map(String::from),
                from_mode: None,
                to_mode: None,
            };
        let mut rows = Vec::new();
        for mode in [Mode::Primary, Mode::Secondary] {
            let removed: Vec<&str> = old
                .iter()
                .filter(|(s, m)| **m == mode && !new.contains_key(*s))
                .map(|(s, _)| *s)
                .collect();
            let added: Vec<&str> = new
                .iter()
                .filter(|(s, m)| **m == mode && !old.contains_key(*s))
                .map(|(s, _)| *s)
                .collect();
            let pairs = removed.len().min(added.len());
            for (from, to) in removed.iter().zip(&added) {
                let mut c = change(ChangeKind::Moved, None, Some(from), Some(to));
                (c.from_mode, c.to_mode) = (Some(mode), Some(mode));
                rows.push(c);
            }
            for s in &added[pairs..] {
                let mut c = change(ChangeKind::Added, Some(s), None, None);
                c.to_mode = Some(mode);
                rows.push(c);
            }
            for s in &removed[pairs..] {
                let mut c = change(ChangeKind::Removed, Some(s), None, None);
                c.from_mode = Some(mode);
                rows.push(c);
            }
        }
        for (s, m) in &old {
            if let Some(n) = new.get(s)
                && n != m
            {
                let mut c = change(ChangeKind::ModeChanged, Some(s), None, None);
                (c.from_mode, c.to_mode) = (Some(*m), Some(*n));
                rows.push(c);
            }
        }
        rows.sort_by(|a, b| {
            (a.kind, &a.server, &a.from_server).cmp(&(b.kind, &b.server, &b.from_server))
        });
        out.extend(rows);
    }
    out
}

/// The load of every server that exists before or after, ordered by name then id.
pub fn load_rows(before: &State, after: &State) -> Vec<LoadRow> {
    let ids: BTreeSet<&String> = before.servers.keys().chain(after.servers.keys()).collect();
    let mut rows: Vec<LoadRow> = ids
        .into_iter()
        .filter_map(|id| {
            let server = after.servers.get(id).or_else(|| before.servers.get(id))?;
            Some(LoadRow {
                server: server.name.clone(),
                server_id: id.clone(),
                address: server.address.clone(),
                before: before.servers.contains_key(id).then(|| before.load_of(id)),
                after: after.servers.contains_key(id).then(|| after.load_of(id)),
            })
        })
        .collect();
    rows.sort_by(|a, b| (&a.server, &a.server_id).cmp(&(&b.server, &b.server_id)));
    rows
}

/// Standard databases whose copies on available, not dropped servers are fewer than
/// requested, in name order.
pub fn below_topology(state: &State) -> Vec<BelowTopology> {
    state
        .databases
        .values()
        .filter(|d| d.kind == super::model::DatabaseKind::Standard)
        .filter_map(|d| {
            let hosted = |mode: Mode| -> u32 {
                let n = state
                    .allocations_of(&d.name)
                    .iter()
                    .filter(|a| a.mode == mode)
                    .filter(|a| {
                        state
                            .servers
                            .get(&*a.server)
                            .is_some_and(|s| s.available && s.state != ServerState::Dropped)
                    })
                    .count();
                u32::try_from(n).unwrap_or(u32::MAX)
            };
            let (p, s) = (hosted(Mode::Primary), hosted(Mode::Secondary));
            (p < d.primaries || s < d.secondaries).then(|| BelowTopology {
                database: d.name.to_string(),
                requested_primaries: d.primaries,
                primaries: p,
                requested_secondaries: d.secondaries,
                secondaries: s,
            })
        })
        .collect()
}

impl Plan {
    /// The number of changes of a kind.
    pub fn count(&self, kind: ChangeKind) -> usize {
        self.changes.iter().filter(|c| c.kind == kind).count()
    }

    /// One line saying what the run would do: the changes, the highest load before and
    /// after, and the databases left below their topology.
    pub fn verdict(&self) -> String {
        let changes = if self.changes.is_empty() {
            "no allocation changes".to_string()
        } else {
            let parts: Vec<String> = [
                ChangeKind::Added,
                ChangeKind::Removed,
                ChangeKind::Moved,
                ChangeKind::ModeChanged,
            ]
            .into_iter()
            .filter_map(|k| {
                let n = self.count(k);
                (n > 0).then(|| format!("{n} {}", k.as_str()))
            })
            .collect();
            let n = self.changes.len();
            format!(
                "{n} allocation change{} ({})",
                if n == 1 { "" } else { "s" },
                parts.join(", ")
            )
        };
        let below = match self.below_topology.len() {
            0 => "every database has its requested copies".to_string(),
            _ => format!(
                "below requested topology: {}",
                self.below_topology
                    .iter()
                    .map(|b| b.database.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        format!(
            "Dry run: {changes}; max load {} -> {}; {below}. Nothing was changed.",
            self.max_load_before, self.max_load_after
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::model::{
        Database, DatabaseDetails, DatabaseKind, Name, Server, ServerOptions, Status,
    };

    fn alloc(server: &str, mode: Mode) -> Allocation {
        Allocation {
            server: server.into(),
            mode,
        }
    }

    fn server(id: &str, name: &str) -> Server {
        Server {
            id: id.into(),
            name: name.into(),
            address: format!("{name}:7687"),
            state: ServerState::Enabled,
            available: true,
            options: ServerOptions::default(),
            initial: ServerOptions::default(),
            system_mode: Mode::Primary,
            joined: 0,
        }
    }

    fn database(name: &str, primaries: u32, secondaries: u32) -> Database {
        Database {
            name: name.into(),
            kind: DatabaseKind::Standard,
            read_write: true,
            requested_status: Status::Online,
            primaries,
            secondaries,
            details: Box::new(DatabaseDetails {
                options: BTreeMap::new(),
                default_language: "CYPHER 5".into(),
                database_id: String::new(),
                creation_time: Name::default(),
                last_start_time: None,
                last_stop_time: None,
            }),
        }
    }

    fn state(allocs: &[(&str, Vec<Allocation>)]) -> State {
        let mut s = State::default();
        for (id, name) in [("1", "a"), ("2", "b"), ("3", "c")] {
            s.servers.insert(id.into(), server(id, name));
        }
        for (db, a) in allocs {
            s.databases.insert((*db).into(), database(db, 1, 0));
            s.allocations.insert((*db).into(), a.clone());
        }
        s.reindex();
        s
    }

    type Row<'a> = (
        &'a str,
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        String,
    );

    type Allocs<'a> = Vec<(&'a str, Vec<Allocation>)>;
    type Case<'a> = (Allocs<'a>, Allocs<'a>, Vec<Row<'a>>);

    fn rows(p: &Plan) -> Vec<Row<'_>> {
        p.changes
            .iter()
            .map(|c| {
                (
                    c.database.as_str(),
                    c.kind.as_str(),
                    c.server.as_deref(),
                    c.from_server.as_deref(),
                    c.to_server.as_deref(),
                    c.mode_text(),
                )
            })
            .collect()
    }

    #[test]
    fn moves_additions_removals_and_mode_changes() {
        use Mode::{Primary as P, Secondary as S};
        let cases: Vec<Case> = vec![
            // Nothing changes.
            (
                vec![("foo", vec![alloc("1", P)])],
                vec![("foo", vec![alloc("1", P)])],
                vec![],
            ),
            // One primary moves from a to b.
            (
                vec![("foo", vec![alloc("1", P)])],
                vec![("foo", vec![alloc("2", P)])],
                vec![("foo", "moved", None, Some("a"), Some("b"), "primary".into())],
            ),
            // Topology grows: a secondary is added; the primary stays.
            (
                vec![("foo", vec![alloc("1", P)])],
                vec![("foo", vec![alloc("1", P), alloc("3", S)])],
                vec![("foo", "added", Some("c"), None, None, "secondary".into())],
            ),
            // A database is dropped: every copy is removed.
            (
                vec![("foo", vec![alloc("1", P), alloc("2", P)])],
                vec![],
                vec![
                    ("foo", "removed", Some("a"), None, None, "primary".into()),
                    ("foo", "removed", Some("b"), None, None, "primary".into()),
                ],
            ),
            // A copy changes mode in place; a primary leaving while a secondary arrives
            // elsewhere is not a move (the modes differ).
            (
                vec![("foo", vec![alloc("1", P), alloc("2", P)])],
                vec![("foo", vec![alloc("1", S), alloc("3", S)])],
                vec![
                    ("foo", "added", Some("c"), None, None, "secondary".into()),
                    ("foo", "removed", Some("b"), None, None, "primary".into()),
                    (
                        "foo",
                        "mode changed",
                        Some("a"),
                        None,
                        None,
                        "primary -> secondary".into(),
                    ),
                ],
            ),
        ];
        for (i, (b, a, want)) in cases.into_iter().enumerate() {
            let p = plan(&state(&b), &state(&a));
            assert_eq!(rows(&p), want, "case {i}");
        }
    }

    #[test]
    fn load_table_and_maximum() {
        use Mode::Primary as P;
        let before = state(&[("foo", vec![alloc("1", P)]), ("bar", vec![alloc("1", P)])]);
        let mut after = state(&[("foo", vec![alloc("2", P)]), ("bar", vec![alloc("1", P)])]);
        after.servers.remove("3");
        after.servers.insert("4".into(), server("4", "d"));
        let p = plan(&before, &after);
        let load: Vec<_> = p
            .load
            .iter()
            .map(|r| (r.server.as_str(), r.before, r.after))
            .collect();
        assert_eq!(
            load,
            vec![
                ("a", Some(2), Some(1)),
                ("b", Some(0), Some(1)),
                ("c", Some(0), None),
                ("d", None, Some(0)),
            ]
        );
        assert_eq!((p.max_load_before, p.max_load_after), (2, 1));
        assert_eq!(
            p.verdict(),
            "Dry run: 1 allocation change (1 moved); max load 2 -> 1; \
             every database has its requested copies. Nothing was changed."
        );
    }

    #[test]
    fn databases_below_topology_count_available_copies_only() {
        use Mode::Primary as P;
        let mut s = state(&[("foo", vec![alloc("1", P), alloc("2", P)])]);
        if let Some(d) = s.databases.get_mut("foo") {
            d.primaries = 2;
        }
        assert!(below_topology(&s).is_empty());
        if let Some(x) = s.servers.get_mut("2") {
            x.available = false;
        }
        let below = below_topology(&s);
        assert_eq!(below.len(), 1);
        assert_eq!((below[0].requested_primaries, below[0].primaries), (2, 1));
        let p = plan(&s, &s);
        assert!(
            p.verdict().contains("below requested topology: foo"),
            "{}",
            p.verdict()
        );
    }
}
