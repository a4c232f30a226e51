//! The allocator: pure planning functions over the model that decide where database
//! copies go. Nothing here mutates the state; commands apply the plans through a `Txn`.
//!
//! Neo4j's allocator is closed source (reference §4.3); this is **cysh's choice**, chosen
//! to be deterministic for the same state and input:
//!
//! - **Eligibility** (reference §4.1, documented): a copy in mode M of database D may go to
//!   server S only if S is `Enabled`, S's `modeConstraint` is `NONE` or M, S's
//!   allowed/denied lists let it host D, and S does not already host a copy of D. Health
//!   is not a filter.
//! - **Load** of a server = the number of user-database copies it hosts (primaries and
//!   secondaries count the same; `system` and composites do not count).
//! - **Placement** (CREATE, ALTER growth, moves off a server): primaries first, then
//!   secondaries; each copy goes to the eligible server with the lowest load, ties broken
//!   by server id, skipping a server only when taking it would make the rest of the
//!   topology unsatisfiable (a counting check over primary-only, secondary-only and
//!   unconstrained servers, so a satisfiable topology is never refused). The least
//!   loaded servers are read from `State::enabled_by_load`; every server is ranked only
//!   when a mode constraint or planned loads could change the answer.
//! - **Shrinking** removes copies on cordoned servers first, then on the most loaded
//!   servers, ties broken by reverse server id.
//! - **Rebalancing** (REALLOCATE, DEALLOCATE DATABASES FROM SERVERS, the reallocate
//!   procedures) is optimal, not greedy (`flow`, issue 19): over the enabled servers (and
//!   the servers being deallocated, which end empty), the plan reaches the lowest maximum
//!   load any placement allowed by the constraints can reach, and among those plans makes
//!   the fewest moves; a copy keeps its mode, copies on other servers stay. It is a
//!   min-cost flow solved exactly (the `flow` module doc has the formulation and the
//!   proof), deterministic for the same state.

use super::model::{Allocation, Mode, ModeConstraint, ServerState, State};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

mod flow;
#[cfg(test)]
mod optimal_tests;

pub use flow::Outcome;

/// One planned move of a copy, as a DRYRUN row reports it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Move {
    /// The database.
    pub database: String,
    /// The server id the copy leaves.
    pub from: String,
    /// The server id the copy goes to.
    pub to: String,
    /// The copy's mode.
    pub mode: Mode,
}

/// Why a placement failed: how many of each mode could not be placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    /// Enabled servers that could host the database in primary mode.
    pub primary_capable: usize,
    /// Enabled servers that could host it in secondary mode.
    pub secondary_capable: usize,
    /// Enabled servers that could host it at all.
    pub total: usize,
}

/// A scratch view of the allocations: plans run against it step by step (so later steps
/// see earlier ones), then `changed()` lists what to write. Only what changes is copied.
pub struct Planner<'a> {
    state: &'a State,
    overrides: BTreeMap<String, Vec<Allocation>>,
    delta: HashMap<String, i64>,
    /// Moves made so far, in order.
    pub moves: Vec<Move>,
}

impl<'a> Planner<'a> {
    /// A planner over `state`.
    pub fn new(state: &'a State) -> Planner<'a> {
        Planner {
            state,
            overrides: BTreeMap::new(),
            delta: HashMap::new(),
            moves: Vec::new(),
        }
    }

    /// The state planned over.
    pub fn state(&self) -> &'a State {
        self.state
    }

    /// The load of a server, including planned changes.
    pub fn load(&self, server: &str) -> usize {
        let base = self.state.load_of(server) as i64;
        (base + self.delta.get(server).copied().unwrap_or(0)).max(0) as usize
    }

    /// The allocations of a database, including planned changes.
    pub fn allocations(&self, database: &str) -> &[Allocation] {
        match self.overrides.get(database) {
            Some(a) => a,
            None => self.state.allocations_of(database),
        }
    }

    /// Replaces a database's planned allocations.
    pub fn set(&mut self, database: &str, allocations: Vec<Allocation>) {
        for a in self.allocations(database).to_vec() {
            *self.delta.entry(a.server.to_string()).or_default() -= 1;
        }
        for a in &allocations {
            *self.delta.entry(a.server.to_string()).or_default() += 1;
        }
        self.overrides.insert(database.to_string(), allocations);
    }

    /// Databases whose allocations changed, with their new allocations, by name.
    pub fn changed(self) -> BTreeMap<String, Vec<Allocation>> {
        self.overrides
            .into_iter()
            .filter(|(db, a)| self.state.allocations_of(db) != a.as_slice())
            .collect()
    }

    /// True when `server` may take a new copy of `database` in `mode` (reference §4.1),
    /// ignoring servers in `exclude`.
    pub fn eligible(
        &self,
        server: &str,
        database: &str,
        mode: Mode,
        exclude: &HashSet<String>,
    ) -> bool {
        let Some(s) = self.state.servers.get(server) else {
            return false;
        };
        s.state == ServerState::Enabled
            && !exclude.contains(server)
            && s.options.mode_constraint.allows(mode)
            && s.options.permits(database)
            && !self
                .allocations(database)
                .iter()
                .any(|a| *a.server == *server)
    }

    /// Picks servers for `primaries` + `secondaries` new copies of `database` (besides its
    /// current ones), by the placement rule. All or nothing.
    pub fn place(
        &self,
        database: &str,
        primaries: u32,
        secondaries: u32,
        exclude: &HashSet<String>,
    ) -> Result<Vec<Allocation>, Shortfall> {
        match self.place_least_loaded(database, primaries, secondaries, exclude) {
            Some(picked) => Ok(picked),
            None => self.place_ranked(database, primaries, secondaries, exclude),
        }
    }

    /// `place` by ranking every enabled server: what it does when the least loaded
    /// servers alone cannot decide.
    pub(crate) fn place_ranked(
        &self,
        database: &str,
        primaries: u32,
        secondaries: u32,
        exclude: &HashSet<String>,
    ) -> Result<Vec<Allocation>, Shortfall> {
        let mut cands: Vec<(usize, &str, bool, bool)> = self
            .state
            .servers
            .values()
            .filter(|s| {
                s.state == ServerState::Enabled
                    && !exclude.contains(&s.id)
                    && s.options.permits(database)
                    && !self
                        .allocations(database)
                        .iter()
                        .any(|a| *a.server == *s.id)
            })
            .map(|s| {
                let mc = s.options.mode_constraint;
                (
                    self.load(&s.id),
                    s.id.as_str(),
                    mc.allows(Mode::Primary),
                    mc.allows(Mode::Secondary),
                )
            })
            .collect();
        cands.sort_unstable();
        let shortfall = Shortfall {
            primary_capable: cands.iter().filter(|c| c.2).count(),
            secondary_capable: cands.iter().filter(|c| c.3).count(),
            total: cands.len(),
        };
        let (mut p_only, mut s_only, mut both) = (0i64, 0i64, 0i64);
        for c in &cands {
            match (c.2, c.3) {
                (true, true) => both += 1,
                (true, false) => p_only += 1,
                (false, true) => s_only += 1,
                _ => {}
            }
        }
        let feasible = |np: i64, ns: i64, p: i64, s: i64, b: i64| {
            np <= p + b && ns <= s + b && (np - p).max(0) + (ns - s).max(0) <= b
        };
        let (mut need_p, mut need_s) = (i64::from(primaries), i64::from(secondaries));
        if !feasible(need_p, need_s, p_only, s_only, both) {
            return Err(shortfall);
        }
        let mut used = vec![false; cands.len()];
        let mut out = Vec::new();
        for mode in [Mode::Primary, Mode::Secondary] {
            let count = if mode == Mode::Primary {
                need_p
            } else {
                need_s
            };
            for _ in 0..count {
                let mut picked = None;
                for (i, c) in cands.iter().enumerate() {
                    let can = if mode == Mode::Primary { c.2 } else { c.3 };
                    if used[i] || !can {
                        continue;
                    }
                    let (mut p, mut s, mut b) = (p_only, s_only, both);
                    match (c.2, c.3) {
                        (true, true) => b -= 1,
                        (true, false) => p -= 1,
                        _ => s -= 1,
                    }
                    let (np, ns) = if mode == Mode::Primary {
                        (need_p - 1, need_s)
                    } else {
                        (need_p, need_s - 1)
                    };
                    if feasible(np, ns, p, s, b) {
                        picked = Some(i);
                        (p_only, s_only, both, need_p, need_s) = (p, s, b, np, ns);
                        break;
                    }
                }
                let Some(i) = picked else {
                    return Err(shortfall);
                };
                used[i] = true;
                out.push(Allocation {
                    server: cands[i].1.into(),
                    mode,
                });
            }
        }
        Ok(out)
    }

    /// The placement rule's answer read from the servers ordered by load
    /// (`State::enabled_by_load`), touching only the least loaded ones: the first eligible
    /// servers in (load, id) order, primaries first. It gives up (`None`, and `place` ranks
    /// every server) when loads are planned but not yet in the state, when an eligible
    /// server has a mode constraint (then the counting check may skip a server), or when
    /// too few servers are eligible (the shortfall is counted over all of them). Otherwise
    /// it picks exactly what `place` would: every candidate it passes is unconstrained, so
    /// taking it never makes the topology unsatisfiable.
    fn place_least_loaded(
        &self,
        database: &str,
        primaries: u32,
        secondaries: u32,
        exclude: &HashSet<String>,
    ) -> Option<Vec<Allocation>> {
        if self.delta.values().any(|d| *d != 0) {
            return None;
        }
        let wanted = (primaries + secondaries) as usize;
        let current = self.allocations(database);
        let mut out = Vec::with_capacity(wanted);
        for (_, id) in self.state.enabled_by_load() {
            if out.len() == wanted {
                break;
            }
            let s = self.state.servers.get(id)?;
            if exclude.contains(id)
                || !s.options.permits(database)
                || current.iter().any(|a| *a.server == **id)
            {
                continue;
            }
            if s.options.mode_constraint != ModeConstraint::None {
                return None;
            }
            let mode = if out.len() < primaries as usize {
                Mode::Primary
            } else {
                Mode::Secondary
            };
            out.push(Allocation {
                server: id.as_str().into(),
                mode,
            });
        }
        (out.len() == wanted).then_some(out)
    }

    /// Best-effort placement for the default database at bootstrap: up to `primaries`
    /// primaries (as many as possible), then up to `secondaries` secondaries from the rest.
    pub fn place_best_effort(
        &self,
        database: &str,
        primaries: u32,
        secondaries: u32,
    ) -> Vec<Allocation> {
        let none = HashSet::new();
        let mut p = primaries;
        let placed_p = loop {
            if p == 0 {
                return Vec::new();
            }
            if let Ok(a) = self.place(database, p, 0, &none) {
                break a;
            }
            p -= 1;
        };
        let taken: HashSet<String> = placed_p.iter().map(|a| a.server.to_string()).collect();
        let mut s = secondaries;
        while s > 0 {
            if let Ok(more) = self.place(database, 0, s, &taken) {
                return placed_p.into_iter().chain(more).collect();
            }
            s -= 1;
        }
        placed_p
    }

    /// Which of the current copies in `mode` to remove when shrinking by `count`:
    /// cordoned servers first, then the most loaded, ties by reverse server id.
    pub fn pick_removals(&self, database: &str, mode: Mode, count: usize) -> Vec<String> {
        let mut copies: Vec<(bool, usize, &str)> = self
            .allocations(database)
            .iter()
            .filter(|a| a.mode == mode)
            .map(|a| {
                let cordoned = self
                    .state
                    .servers
                    .get(&*a.server)
                    .is_some_and(|s| s.state == ServerState::Cordoned);
                (cordoned, self.load(&a.server), &*a.server)
            })
            .collect();
        copies.sort_unstable_by(|a, b| b.cmp(a));
        copies
            .into_iter()
            .take(count)
            .map(|c| c.2.to_string())
            .collect()
    }

    /// Moves every copy of `database` on `from` (one server) to the best eligible server
    /// not in `exclude`, recording the moves. Fails, changing nothing, when a copy has
    /// nowhere to go.
    pub fn move_off(
        &mut self,
        database: &str,
        from: &str,
        exclude: &HashSet<String>,
    ) -> Result<(), Shortfall> {
        let allocs = self.allocations(database).to_vec();
        let Some(copy) = allocs.iter().find(|a| *a.server == *from) else {
            return Ok(());
        };
        let (p, s) = if copy.mode == Mode::Primary {
            (1, 0)
        } else {
            (0, 1)
        };
        let new = self.place(database, p, s, exclude)?;
        let to = new[0].server.clone();
        let next: Vec<Allocation> = allocs
            .iter()
            .map(|a| {
                if *a.server == *from {
                    Allocation {
                        server: to.clone(),
                        mode: a.mode,
                    }
                } else {
                    a.clone()
                }
            })
            .collect();
        self.moves.push(Move {
            database: database.to_string(),
            from: from.to_string(),
            to: to.to_string(),
            mode: copy.mode,
        });
        self.set(database, next);
        Ok(())
    }
}

/// The net moves between the state and planned allocations: copy slot by slot (plans
/// keep each copy in its slot, so a chain A→B→C shows as A→C), sorted by database and
/// source server id. Lists of a different shape fall back to pairing the sorted removed
/// and added servers of each mode.
pub fn net_moves(state: &State, after: &BTreeMap<String, Vec<Allocation>>) -> Vec<Move> {
    let mut out = Vec::new();
    for (db, new) in after {
        let old = state.allocations_of(db);
        let same_shape =
            old.len() == new.len() && old.iter().zip(new).all(|(a, b)| a.mode == b.mode);
        if same_shape {
            for (a, b) in old.iter().zip(new) {
                if a.server != b.server {
                    out.push(Move {
                        database: db.clone(),
                        from: a.server.to_string(),
                        to: b.server.to_string(),
                        mode: a.mode,
                    });
                }
            }
            continue;
        }
        for mode in [Mode::Primary, Mode::Secondary] {
            let before: BTreeSet<&str> = old
                .iter()
                .filter(|a| a.mode == mode)
                .map(|a| &*a.server)
                .collect();
            let now: BTreeSet<&str> = new
                .iter()
                .filter(|a| a.mode == mode)
                .map(|a| &*a.server)
                .collect();
            for (f, t) in before.difference(&now).zip(now.difference(&before)) {
                out.push(Move {
                    database: db.clone(),
                    from: (*f).to_string(),
                    to: (*t).to_string(),
                    mode,
                });
            }
        }
    }
    out.sort_by(|a, b| (&a.database, &a.from, &a.to).cmp(&(&b.database, &b.from, &b.to)));
    out
}

/// What a rebalance may touch.
#[derive(Debug, Clone, Copy, Default)]
pub struct RebalanceScope<'a> {
    /// Only copies of this database move (`dbms.cluster.reallocateDatabase`).
    pub database: Option<&'a str>,
    /// At most this many moves (`dbms.cluster.reallocateNumberOfDatabases`).
    pub max_moves: Option<usize>,
}

/// Plans a rebalance (see the module doc) and returns the new allocations of every
/// database that changes. Net moves are `net_moves(state, &result)`.
pub fn rebalance(state: &State, scope: RebalanceScope<'_>) -> BTreeMap<String, Vec<Allocation>> {
    plan_moves(state, scope, &[])
        .map(|o| o.changed)
        .unwrap_or_default()
}

/// Plans an optimal rebalance in which every copy (in scope) on the `leaving` servers
/// moves off them: the lowest reachable maximum load, then the fewest moves (module
/// doc). `None` when the leaving servers' copies cannot all be placed.
pub fn plan_moves(state: &State, scope: RebalanceScope<'_>, leaving: &[String]) -> Option<Outcome> {
    flow::plan(
        state,
        flow::Request {
            database: scope.database,
            leaving,
            max_moves: scope.max_moves,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::model::{ModeConstraint, Server, ServerOptions};

    fn state(servers: &[(&str, ModeConstraint, usize)]) -> State {
        let mut s = State::default();
        for (id, mc, _) in servers {
            s.servers.insert(
                id.to_string(),
                Server {
                    id: id.to_string(),
                    name: id.to_string(),
                    address: String::new(),
                    state: ServerState::Enabled,
                    available: true,
                    options: ServerOptions {
                        mode_constraint: *mc,
                        ..ServerOptions::default()
                    },
                    initial: ServerOptions::default(),
                    system_mode: Mode::Primary,
                    joined: 0,
                },
            );
        }
        // Loads with no copies to carry them: the index is set by hand, consistently.
        let by_server: std::collections::HashMap<String, usize> = servers
            .iter()
            .filter(|(_, _, load)| *load > 0)
            .map(|(id, _, load)| (id.to_string(), *load))
            .collect();
        let enabled = servers
            .iter()
            .map(|(id, _, load)| (*load, id.to_string()))
            .collect();
        *s.loads_mut() = crate::cluster::model::Loads { by_server, enabled };
        s
    }

    #[test]
    fn placement_prefers_low_load_then_low_id() {
        let s = state(&[
            ("a", ModeConstraint::None, 2),
            ("b", ModeConstraint::None, 0),
            ("c", ModeConstraint::None, 0),
        ]);
        let got = Planner::new(&s).place("db", 2, 1, &HashSet::new()).unwrap();
        let servers: Vec<&str> = got.iter().map(|a| &*a.server).collect();
        assert_eq!(servers, ["b", "c", "a"]);
    }

    #[test]
    fn placement_reserves_unconstrained_servers_when_needed() {
        // Greedy by load would put the primary on `a` and leave no secondary host.
        let s = state(&[
            ("a", ModeConstraint::None, 0),
            ("b", ModeConstraint::Primary, 5),
        ]);
        let got = Planner::new(&s).place("db", 1, 1, &HashSet::new()).unwrap();
        assert_eq!(
            got[0],
            Allocation {
                server: "b".into(),
                mode: Mode::Primary
            }
        );
        assert_eq!(
            got[1],
            Allocation {
                server: "a".into(),
                mode: Mode::Secondary
            }
        );
        assert!(Planner::new(&s).place("db", 2, 1, &HashSet::new()).is_err());
    }
}
