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
//! - **Rebalancing** (REALLOCATE, the reallocate procedures): repeatedly move one copy
//!   from the most loaded enabled server to the least loaded enabled server that may take
//!   it, only while that lowers the spread (the target has at least two copies fewer);
//!   a source that can give nothing to any lighter server is set aside until the next
//!   move. Each move copies first and removes after, so no database ever drops below its
//!   topology mid-plan and no constraint is ever violated. When nothing more can move, no
//!   server is more than one copy above the least loaded server that could take one of
//!   its copies. The source is the most loaded server (ties: highest id), the copy is its
//!   first movable one in database-name order, the target the least loaded server that
//!   may take it (ties: lowest id). Chains of moves of one copy (A→B, later B→C) are
//!   collapsed into one row (A→C), which is what makes the plan the fewest moves: without
//!   binding constraints every move takes a copy from a server above the final ceiling
//!   to one below it.
//!   Servers are indexed once and kept in an ordered set by load, so planning is
//!   O(copies + moves · log servers).

use super::model::{Allocation, Mode, ModeConstraint, ServerState, State};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

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
            *self.delta.entry(a.server).or_default() -= 1;
        }
        for a in &allocations {
            *self.delta.entry(a.server.clone()).or_default() += 1;
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
                .any(|a| a.server == server)
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
                    && !self.allocations(database).iter().any(|a| a.server == s.id)
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
                    server: cands[i].1.to_string(),
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
        for (_, id) in &self.state.enabled_by_load {
            if out.len() == wanted {
                break;
            }
            let s = self.state.servers.get(id)?;
            if exclude.contains(id)
                || !s.options.permits(database)
                || current.iter().any(|a| a.server == *id)
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
                server: id.clone(),
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
        let taken: HashSet<String> = placed_p.iter().map(|a| a.server.clone()).collect();
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
                    .get(&a.server)
                    .is_some_and(|s| s.state == ServerState::Cordoned);
                (cordoned, self.load(&a.server), a.server.as_str())
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
        let Some(copy) = allocs.iter().find(|a| a.server == from) else {
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
                if a.server == from {
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
            to,
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
                        from: a.server.clone(),
                        to: b.server.clone(),
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
                .map(|a| a.server.as_str())
                .collect();
            let now: BTreeSet<&str> = new
                .iter()
                .filter(|a| a.mode == mode)
                .map(|a| a.server.as_str())
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

/// Re-pairs a database's planned copies with its old ones so that a server that hosts the
/// database before and after keeps its old copy (and mode): a plan that swapped the modes
/// of two hosts, or moved A→B while B's copy went on to C, becomes fewer moves over the
/// same servers (so the same loads). Used only when the new hosts can take the modes left
/// for them exactly as planned; otherwise the plan stands.
fn fewest_moves(old: &[Allocation], planned: Vec<Allocation>) -> Vec<Allocation> {
    let hosts_after: HashSet<&str> = planned.iter().map(|a| a.server.as_str()).collect();
    let hosts_before: HashSet<&str> = old.iter().map(|a| a.server.as_str()).collect();
    // Modes freed by the servers that leave, and the newcomers with their planned modes.
    let mut freed: Vec<Mode> = old
        .iter()
        .filter(|a| !hosts_after.contains(a.server.as_str()))
        .map(|a| a.mode)
        .collect();
    let mut newcomers: Vec<(Mode, &str)> = planned
        .iter()
        .filter(|a| !hosts_before.contains(a.server.as_str()))
        .map(|a| (a.mode, a.server.as_str()))
        .collect();
    freed.sort();
    newcomers.sort();
    if freed != newcomers.iter().map(|n| n.0).collect::<Vec<_>>() {
        return planned;
    }
    let mut out = Vec::with_capacity(old.len());
    for (a, p) in old.iter().zip(&planned) {
        if hosts_after.contains(a.server.as_str()) {
            out.push(a.clone());
        } else {
            // Keep the plan's own pairing when it is still open, else the first fit.
            let i = newcomers
                .iter()
                .position(|n| n.0 == a.mode && n.1 == p.server)
                .or_else(|| newcomers.iter().position(|n| n.0 == a.mode))
                .unwrap_or(0);
            let (mode, server) = newcomers.remove(i);
            out.push(Allocation {
                server: server.to_string(),
                mode,
            });
        }
    }
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
    // Index enabled servers by id order; copies on other servers never move here.
    let servers: Vec<&super::model::Server> = state
        .servers
        .values()
        .filter(|s| s.state == ServerState::Enabled)
        .collect();
    let index: HashMap<&str, usize> = servers
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut load: Vec<usize> = servers.iter().map(|s| state.load_of(&s.id)).collect();
    let db_names: Vec<&str> = state.allocations.keys().map(String::as_str).collect();
    // copies[d] = (server index or NONE, mode) for every copy of database d.
    const NONE: usize = usize::MAX;
    let mut copies: Vec<Vec<(usize, Mode)>> = Vec::with_capacity(db_names.len());
    // A deque: the first movable copy is usually at the front, so removing it is O(1).
    let mut hosted: Vec<VecDeque<u32>> = vec![VecDeque::new(); servers.len()];
    for (d, (name, allocs)) in state.allocations.iter().enumerate() {
        let mut v = Vec::with_capacity(allocs.len());
        for a in allocs {
            let i = index.get(a.server.as_str()).copied().unwrap_or(NONE);
            if i != NONE && scope.database.is_none_or(|only| only == name) {
                hosted[i].push_back(d as u32);
            }
            v.push((i, a.mode));
        }
        copies.push(v);
    }
    let mut order: BTreeSet<(usize, usize)> =
        load.iter().enumerate().map(|(i, l)| (*l, i)).collect();
    let mut stuck: HashSet<usize> = HashSet::new();
    let mut touched: BTreeSet<usize> = BTreeSet::new();
    let mut moves = 0usize;
    let can_take = |t: usize, d: usize, mode: Mode, copies: &Vec<Vec<(usize, Mode)>>| {
        let s = servers[t];
        s.options.mode_constraint.allows(mode)
            && !copies[d].iter().any(|c| c.0 == t)
            && s.options.permits(db_names[d])
    };
    while scope.max_moves.is_none_or(|m| moves < m) {
        let Some(&(min_load, _)) = order.iter().next() else {
            break;
        };
        let Some(&(max_load, src)) = order.iter().rev().find(|(_, i)| !stuck.contains(i)) else {
            break;
        };
        if max_load <= min_load + 1 {
            break;
        }
        // Find the lightest target that can take any of src's copies.
        let mut found = None;
        'targets: for &(tl, t) in &order {
            if tl + 2 > max_load {
                break;
            }
            // The source's copies in database-name order: the first movable one moves.
            for (k, &d) in hosted[src].iter().enumerate() {
                let d = d as usize;
                let Some(mode) = copies[d].iter().find(|c| c.0 == src).map(|c| c.1) else {
                    continue;
                };
                if can_take(t, d, mode, &copies) {
                    found = Some((t, k, d));
                    break 'targets;
                }
            }
        }
        let Some((t, k, d)) = found else {
            stuck.insert(src);
            continue;
        };
        let _ = hosted[src].remove(k);
        hosted[t].push_back(d as u32);
        for c in copies[d].iter_mut() {
            if c.0 == src {
                c.0 = t;
            }
        }
        order.remove(&(load[src], src));
        order.remove(&(load[t], t));
        load[src] -= 1;
        load[t] += 1;
        order.insert((load[src], src));
        order.insert((load[t], t));
        touched.insert(d);
        stuck.clear();
        moves += 1;
    }
    touched
        .into_iter()
        .map(|d| {
            let old = state.allocations_of(db_names[d]);
            let planned: Vec<Allocation> = old
                .iter()
                .zip(&copies[d])
                .map(|(a, c)| Allocation {
                    server: if c.0 == NONE {
                        a.server.clone()
                    } else {
                        servers[c.0].id.clone()
                    },
                    mode: a.mode,
                })
                .collect();
            (db_names[d].to_string(), fewest_moves(old, planned))
        })
        .filter(|(db, new): &(String, Vec<Allocation>)| state.allocations_of(db) != new.as_slice())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::model::{ModeConstraint, Server, ServerOptions};

    fn state(servers: &[(&str, ModeConstraint, usize)]) -> State {
        let mut s = State::default();
        for (id, mc, load) in servers {
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
            if *load > 0 {
                s.load.insert(id.to_string(), *load);
            }
        }
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
        let servers: Vec<&str> = got.iter().map(|a| a.server.as_str()).collect();
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
