//! The optimal rebalancer behind REALLOCATE and DEALLOCATE (issue 19): a min-cost flow over
//! the constraint graph, solved by successive shortest paths on the servers.
//!
//! **The problem.** The *nodes* are the servers a plan may touch: the *targets* (enabled
//! servers that are not being deallocated) and the *leaving* servers (being deallocated:
//! every copy they hold must go). A copy on any other server (cordoned, free, ...) and a
//! copy of a database outside the plan's scope never moves; it still counts in its
//! server's load (a target's *fixed* load) and still occupies its server for its database.
//! A *movable* copy keeps its mode and may end on a target `s` when `s` hosts no other copy
//! of its database and either `s` is eligible for it now (mode constraint, allowed/denied
//! databases) or the database had a copy in that mode on `s` before the plan (a copy may
//! always stay, or come back, where it was). The *load* of a server is the number of
//! user-database copies it hosts. The plan minimises, lexicographically:
//!
//! 1. the maximum load over the nodes (leaving servers end at zero), then
//! 2. the number of moves: for every database and mode, the number of servers that host it
//!    in that mode after the plan and did not before. (Copies of one database and mode are
//!    interchangeable, so a chain A→B, B→C of one database is one move A→C, and a server
//!    that keeps hosting a database keeps its copy.)
//!
//! With a move budget (`dbms.cluster.reallocateNumberOfDatabases`) it minimises the maximum
//! load among plans within the budget, then the moves.
//!
//! **Why a flow is exact.** Source → (database, mode) with capacity the number of copies in
//! that mode; (database, mode) → (database, server) with capacity 1 and cost 0 when the
//! database had a copy in that mode there, else 1; (database, server) → server with
//! capacity 1 (one copy of a database per server, whatever the modes); server → sink with
//! capacity `L` minus its fixed load (0 for a leaving server). An integral min-cost flow
//! that saturates the source is exactly an optimal plan of maximum load ≤ `L`; flows are
//! integral, so nothing is relaxed. `L*` is the least `L` with a full flow (within the
//! budget), searched upwards from the lower bound `max(fixed loads, ⌈copies / targets⌉)`:
//! a stuck run yields a closed set of servers and so a better lower bound (`closed_bound`);
//! after a few jumps, bisection.
//!
//! **How it is solved.** The current placement is a zero-cost flow that overloads some
//! servers; successive shortest paths push one copy at a time from an overloaded server
//! to an underloaded one along a cheapest residual path. In this network a residual path
//! between two servers passes through one database at a time in one of two shapes: a
//! *direct* move (a copy of D leaves `a` for `b`), or an *exchange* (D's copy in mode M
//! leaves `a` for `x`, whose copy of D in the other mode leaves for `y`: how a primary
//! reaches a secondary-only server). So the shortest paths run on the servers alone, with
//! the cost of `a → b` the cheapest such move (−1 when a copy returns where its database
//! was, 0 for a copy already moved, +1 for a copy leaving its original server). Each
//! phase runs Dijkstra with potentials (dense, O(servers²) edge evaluations), then pushes
//! a blocking flow along the zero-reduced-cost edges of its level graph (Dinic style), so
//! the unconstrained case is one phase. A path may move two copies of one database (in
//! different modes: they leave and reach different servers) but an exchange's database
//! takes no other part in the path.
//!
//! **What an edge costs to find.** The cheapest move `a → b` is read from a few indexes
//! of `a`'s copies, not by scanning them: direct moves from `a`'s copies grouped by (class,
//! mode, whether `a` is where the copy was before), the first movable one of each group;
//! copies whose database was on `b` before (in the same mode: a return; in the other mode:
//! an exchange that returns), a short list per pair; and every other exchange from `a`'s
//! copies grouped by (cost so far, class of the other mode): such an exchange costs that
//! cost plus one wherever it ends, so the first fresh entry of each group decides. A copy
//! is re-entered under its new group whenever its database changes (entries of an older
//! version are stale and skipped). That kept the 2 primaries + 1 secondary constrained
//! plan at 100k databases × 400 servers from rescanning every moved copy for every pair
//! (218 s before, under 1 s after). A walk also drops the stale entries it passed, and a
//! long walk leaves a resume point per head server (`List::resume`), so entries whose
//! database the head already hosts are not read again by the next walk to it. Exchanges are offered for every database with copies
//! in both modes, with or without mode constraints: allowed/denied lists alone can make a
//! moved secondary's return (by an exchange) the only way to keep to the fewest moves.
//!
//! Ties are broken deterministically: overloaded servers give in order of load (highest
//! first, ties by highest id), targets are tried in order of load (lowest first, ties by
//! lowest id), and a server's copies in database-name order.

// Node indexes address several parallel arrays at once.
#![allow(clippy::needless_range_loop)]

use crate::cluster::model::{Allocation, Mode, ServerState, State};
use std::collections::{BTreeMap, HashMap};

/// Maps keyed by a server's index: a word hash, not SipHash (a tenth of a constrained plan).
type ById = std::hash::BuildHasherDefault<crate::cluster::model::IdHasher>;

/// A node's copies by the node their database was on before the plan (in their mode).
type Returns = HashMap<u32, Vec<(u32, Mode)>, ById>;

const NONE: u32 = u32::MAX;
const INF: i64 = i64::MAX / 4;

/// What to plan.
#[derive(Debug, Clone, Copy, Default)]
pub struct Request<'a> {
    /// Only this database's copies move.
    pub database: Option<&'a str>,
    /// Server ids whose copies (in scope) must all leave.
    pub leaving: &'a [String],
    /// At most this many moves.
    pub max_moves: Option<usize>,
}

/// An optimal plan.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    /// The new allocations of every database that changes.
    pub changed: BTreeMap<String, Vec<Allocation>>,
    /// The highest load over the plan's servers before.
    pub max_load_before: usize,
    /// The highest load over the plan's servers after.
    pub max_load_after: usize,
    /// The number of moves (as `net_moves` lists them).
    pub moves: usize,
}

/// The mode of database `d`'s copy on node `v`, if it has one there.
fn host_mode(dbs: &[Db<'_>], d: u32, v: u32) -> Option<Mode> {
    dbs[d as usize].hosts.iter().find(|h| h.0 == v).map(|h| h.1)
}

/// Drops the stale entries of `items[*head..end]` (a window a walk just read), keeping the
/// order of the others: they move to the window's end and `head` to the first of them.
/// What one walk passed over, the next does not read again, so a server whose first
/// copies are all unusable for one target (it hosts their databases) does not make every
/// later walk pass over the copies taken behind them. Costs what the walk cost.
fn squeeze<T: Copy>(items: &mut Vec<T>, head: &mut usize, end: usize, stale: impl Fn(&T) -> bool) {
    let mut w = end;
    for j in (*head..end).rev() {
        if !stale(&items[j]) {
            w -= 1;
            items[w] = items[j];
        }
    }
    *head = w;
    // A long dead prefix is memory only: give it back.
    if *head > 64 && *head * 2 > items.len() {
        items.drain(..*head);
        *head = 0;
    }
}

fn mi(m: Mode) -> usize {
    match m {
        Mode::Primary => 0,
        Mode::Secondary => 1,
    }
}

fn other(m: Mode) -> Mode {
    match m {
        Mode::Primary => Mode::Secondary,
        Mode::Secondary => Mode::Primary,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }
    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }
    fn has(&self, i: u32) -> bool {
        let i = i as usize;
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }
}

#[derive(Debug, Clone)]
struct Db<'a> {
    name: &'a str,
    /// Slot by slot: the node hosting the copy now (NONE: a fixed server), and its mode.
    hosts: Vec<(u32, Mode)>,
    /// Slot by slot: the node hosting it before the plan.
    orig: Vec<(u32, Mode)>,
    /// The class (eligible targets) of a copy in each mode.
    class: [u32; 2],
    /// Copies in both modes.
    mixed: bool,
    /// Bumped whenever a copy moves: exchange entries of an older version are stale.
    version: u32,
}

/// The copies of one (class, mode, original-here) kind on a node, in arrival order
/// (database-name order for the ones there before). Entries go stale when a copy leaves;
/// `head` skips a stale prefix.
#[derive(Debug, Clone)]
struct List {
    class: u32,
    mode: Mode,
    orig: bool,
    items: Vec<u32>,
    head: usize,
    /// By head server `b` (made on the first long walk): where the last walk to `b`
    /// stopped, and `Net::left[b]` then. Every entry before it was stale or its database
    /// already on `b`; both last until a copy leaves `b` (a copy coming back here is a new
    /// entry at the end), so while `left[b]` is unchanged the next walk to `b` starts
    /// there. Without it, a server holding a copy of nearly every database made every walk
    /// to a full target pass over the same thousands of entries. A list with resume points
    /// is not squeezed (that would move the entries they point at).
    resume: Vec<(u32, u32)>,
}

/// Walks longer than this leave resume points in their list. The tests' small instances
/// rarely walk far, so under test the threshold is low enough that the property tests
/// plan both ways (in 3,000 cases, about 80 lists get resume points and 350 walks squeeze).
#[cfg(not(test))]
const RESUME_AFTER: usize = 16;
#[cfg(test)]
const RESUME_AFTER: usize = 1;

/// The exchanges a node offers of one kind: copies (database, mode, version) whose other-mode
/// copies may go to the servers of `class`, and whose exchange costs `part` plus whether the
/// head server misses the database in the other mode (so every entry of a kind costs the
/// same on a given head, and a query reads one fresh entry per kind, not every copy).
/// Entries go stale when their database changes (it is re-entered under its new kind).
#[derive(Debug, Clone)]
struct Swaps {
    part: i64,
    class: u32,
    items: Vec<(u32, Mode, u32)>,
    head: usize,
}

#[derive(Debug, Clone, Copy)]
enum Opt {
    /// Database `d`'s copy in mode `m` moves from the tail to the head server.
    Direct { d: u32, m: Mode },
    /// `d`'s copy in mode `m` moves from the tail to `x`, and `x`'s copy (other mode) to
    /// the head server.
    Exchange { d: u32, m: Mode, x: u32 },
}

impl Opt {
    /// The database, and whether the move is an exchange.
    fn key(self) -> (u32, bool) {
        match self {
            Opt::Direct { d, .. } => (d, false),
            Opt::Exchange { d, .. } => (d, true),
        }
    }
}

#[derive(Debug, Clone)]
struct Net<'a> {
    state: &'a State,
    ids: Vec<&'a str>,
    n: usize,
    target: Vec<bool>,
    fixed: Vec<usize>,
    load: Vec<usize>,
    cap: Vec<usize>,
    /// By node: how many copies have left it (see `List::resume`).
    left: Vec<u32>,
    classes: Vec<Bits>,
    dbs: Vec<Db<'a>>,
    lists: Vec<Vec<List>>,
    ret: Vec<Returns>,
    /// A node's copies of mixed databases by the node their database was on before the
    /// plan in the *other* mode (an exchange returning a copy there costs one less).
    ret_x: Vec<Returns>,
    /// A node's exchange kinds, by (`part`, class).
    swaps: Vec<Vec<Swaps>>,
    pi: Vec<i64>,
    cost: usize,
    /// During a blocking flow: the underloaded servers a path may end on, by load (a
    /// sorted list: the last hop walks it by position, which a set's range lookups made a
    /// fifth of a constrained plan).
    absorb: Vec<(usize, usize)>,
}

/// Plans an optimal rebalance (see the module doc). `None` when the leaving servers'
/// copies cannot all be placed.
pub fn plan(state: &State, req: Request<'_>) -> Option<Outcome> {
    let net = Net::build(state, req);
    let before = net.max_load();
    let total: usize = net.load.iter().sum();
    let targets = net.target.iter().filter(|t| **t).count();
    let leaving_load: usize = (0..net.n)
        .filter(|&v| !net.target[v])
        .map(|v| net.load[v])
        .sum();
    if leaving_load > 0 && targets == 0 {
        return None;
    }
    let current = (0..net.n)
        .filter(|&v| net.target[v])
        .map(|v| net.load[v])
        .max()
        .unwrap_or(0);
    let max_fixed = (0..net.n)
        .filter(|&v| net.target[v])
        .map(|v| net.fixed[v])
        .max()
        .unwrap_or(0);
    let mut lo = max_fixed.max(total.div_ceil(targets.max(1)));
    let budget = req.max_moves;
    // The current placement is feasible at `current` with no moves when nothing leaves.
    let hi = if leaving_load == 0 { current } else { total };
    if leaving_load == 0 && lo >= hi {
        return Some(net.outcome(before));
    }
    // Every `lo` tried is a proven lower bound: the first feasible one is optimal. A run
    // that gets stuck names a closed set of servers whose copies cannot leave it, which
    // bounds the maximum from below; after a few jumps, bisect.
    let base = net.clone();
    let mut bad = None;
    for _ in 0..4 {
        if lo >= hi {
            break;
        }
        let mut attempt = base.clone();
        match attempt.run(lo, budget) {
            Ok(()) => return Some(attempt.outcome(before)),
            Err(Some(bound)) if bound == usize::MAX => return None,
            Err(Some(bound)) => {
                bad = Some(lo);
                lo = bound.max(lo + 1);
            }
            Err(None) => {
                bad = Some(lo);
                lo += 1;
                break;
            }
        }
    }
    let mut best = base.clone();
    let mut hi = hi;
    if best.run(hi, budget).is_err() {
        return None;
    }
    let mut bad = bad
        .unwrap_or(lo.saturating_sub(1))
        .max(lo.saturating_sub(1));
    while hi - bad > 1 {
        let mid = bad + (hi - bad) / 2;
        let mut attempt = base.clone();
        match attempt.run(mid, budget) {
            Ok(()) => {
                hi = mid;
                best = attempt;
            }
            Err(_) => bad = mid,
        }
    }
    Some(best.outcome(before))
}

impl<'a> Net<'a> {
    fn build(state: &'a State, req: Request<'_>) -> Net<'a> {
        let mut ids: Vec<&'a str> = Vec::new();
        let mut target = Vec::new();
        for s in state.servers.values() {
            let leaving = req.leaving.contains(&s.id);
            if leaving || s.state == ServerState::Enabled {
                ids.push(s.id.as_str());
                target.push(!leaving);
            }
        }
        let n = ids.len();
        let index: HashMap<&str, u32> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (*id, i as u32))
            .collect();
        // Targets grouped by their allowed/denied lists: a database's eligible targets are
        // decided once per group, not once per server.
        let mut groups: Vec<(&crate::cluster::model::ServerOptions, Bits)> = Vec::new();
        let mut mode_mask = [Bits::new(n), Bits::new(n)];
        for (i, id) in ids.iter().enumerate() {
            if !target[i] {
                continue;
            }
            let Some(s) = state.servers.get(*id) else {
                continue;
            };
            let o = &s.options;
            for m in [Mode::Primary, Mode::Secondary] {
                if o.mode_constraint.allows(m) {
                    mode_mask[mi(m)].set(i);
                }
            }
            let same = |g: &crate::cluster::model::ServerOptions| {
                g.allowed_databases == o.allowed_databases
                    && g.denied_databases == o.denied_databases
            };
            match groups.iter_mut().find(|g| same(g.0)) {
                Some(g) => g.1.set(i),
                None => {
                    let mut b = Bits::new(n);
                    b.set(i);
                    groups.push((o, b));
                }
            }
        }
        let open: Vec<bool> = groups
            .iter()
            .map(|g| g.0.allowed_databases.is_empty() && g.0.denied_databases.is_empty())
            .collect();
        let mut classes: Vec<Bits> = Vec::new();
        let mut class_of: HashMap<Bits, u32> = HashMap::new();
        let mut by_permits: HashMap<Vec<bool>, [u32; 2]> = HashMap::new();
        let mut intern = |b: Bits, classes: &mut Vec<Bits>| -> u32 {
            *class_of.entry(b.clone()).or_insert_with(|| {
                classes.push(b);
                (classes.len() - 1) as u32
            })
        };
        let mut load: Vec<usize> = ids.iter().map(|id| state.load_of(id)).collect();
        let mut movable = vec![0usize; n];
        let mut dbs = Vec::new();
        for (name, allocs) in &state.allocations {
            if req.database.is_some_and(|only| only != name) {
                continue;
            }
            let hosts: Vec<(u32, Mode)> = allocs
                .iter()
                .map(|a| (index.get(&*a.server).copied().unwrap_or(NONE), a.mode))
                .collect();
            if hosts.iter().all(|h| h.0 == NONE) {
                continue;
            }
            let permits: Vec<bool> = groups
                .iter()
                .zip(&open)
                .map(|(g, open)| *open || g.0.permits(name))
                .collect();
            let class = match by_permits.get(&permits) {
                Some(c) => *c,
                None => {
                    let mut allowed = Bits::new(n);
                    for (g, p) in groups.iter().zip(&permits) {
                        if *p {
                            for (w, x) in allowed.0.iter_mut().zip(&g.1.0) {
                                *w |= x;
                            }
                        }
                    }
                    let mut c = [0; 2];
                    for m in [Mode::Primary, Mode::Secondary] {
                        let mut b = allowed.clone();
                        for (w, x) in b.0.iter_mut().zip(&mode_mask[mi(m)].0) {
                            *w &= x;
                        }
                        c[mi(m)] = intern(b, &mut classes);
                    }
                    by_permits.insert(permits, c);
                    c
                }
            };
            for h in &hosts {
                if h.0 != NONE {
                    movable[h.0 as usize] += 1;
                }
            }
            let mixed = hosts.iter().any(|h| h.1 == Mode::Primary)
                && hosts.iter().any(|h| h.1 == Mode::Secondary);
            dbs.push(Db {
                name,
                orig: hosts.clone(),
                hosts,
                class,
                mixed,
                version: 0,
            });
        }
        let fixed: Vec<usize> = (0..n).map(|v| load[v] - movable[v]).collect();
        // A leaving server's copies outside the scope stay: it is not a node for them.
        for v in 0..n {
            if !target[v] {
                load[v] = movable[v];
            }
        }
        let mut net = Net {
            state,
            ids,
            n,
            target,
            fixed,
            load,
            cap: vec![0; n],
            left: vec![0; n],
            classes,
            dbs,
            lists: vec![Vec::new(); n],
            ret: vec![HashMap::default(); n],
            ret_x: vec![HashMap::default(); n],
            swaps: vec![Vec::new(); n],
            pi: vec![0; n + 2],
            cost: 0,
            absorb: Vec::new(),
        };
        for d in 0..net.dbs.len() {
            for k in 0..net.dbs[d].hosts.len() {
                let (v, m) = net.dbs[d].hosts[k];
                if v != NONE {
                    net.arrive(d as u32, m, v);
                }
            }
            net.enter_swaps(d as u32);
        }
        net
    }

    fn max_load(&self) -> usize {
        self.load.iter().copied().max().unwrap_or(0)
    }

    /// Indexes a copy of `d` in mode `m` that is now on node `v`.
    fn arrive(&mut self, d: u32, m: Mode, v: u32) {
        let db = &self.dbs[d as usize];
        let orig = db.orig.contains(&(v, m));
        let class = db.class[mi(m)];
        let swaps = db.mixed;
        let returns: Vec<(u32, bool)> = db
            .orig
            .iter()
            .filter(|o| o.0 != NONE && o.0 != v && (o.1 == m || swaps))
            .map(|o| (o.0, o.1 == m))
            .collect();
        let lists = &mut self.lists[v as usize];
        match lists
            .iter_mut()
            .find(|l| l.class == class && l.mode == m && l.orig == orig)
        {
            Some(l) => l.items.push(d),
            None => {
                lists.push(List {
                    class,
                    mode: m,
                    orig,
                    items: vec![d],
                    head: 0,
                    resume: Vec::new(),
                });
                // Original copies first (they cost more to move, so are tried last by
                // the cost order, but a fixed order keeps plans deterministic).
                lists.sort_by_key(|l| (l.class, mi(l.mode), l.orig));
            }
        }
        for (o, same) in returns {
            let ret = if same { &mut self.ret } else { &mut self.ret_x };
            ret[v as usize].entry(o).or_default().push((d, m));
        }
    }

    /// The cheapest exchange of `d`'s copy in mode `m` on `a` but for its last step (the
    /// other-mode copy reaching the head server): its cost so far and the server `x` whose
    /// copy steps aside.
    fn exchange_part(&self, d: u32, m: Mode, a: u32) -> Option<(i64, u32)> {
        let m2 = other(m);
        let mut best: Option<(i64, u32)> = None;
        for &(x, hm) in &self.dbs[d as usize].hosts {
            if x == NONE || hm != m2 || !self.may_host(d, m, x) {
                continue;
            }
            let c = self.miss(d, x, m) - self.miss(d, x, m2);
            if best.is_none_or(|(bc, _)| c < bc) {
                best = Some((c, x));
            }
        }
        best.map(|(c, x)| (c - self.miss(d, a, m), x))
    }

    /// Enters every copy of `d` under its exchange kind (after `d` changed: its older
    /// entries go stale by version).
    fn enter_swaps(&mut self, d: u32) {
        let db = &self.dbs[d as usize];
        if !db.mixed {
            return;
        }
        let version = db.version;
        let hosts = db.hosts.clone();
        for (a, m) in hosts {
            if a == NONE {
                continue;
            }
            let Some((part, _)) = self.exchange_part(d, m, a) else {
                continue;
            };
            let class = self.dbs[d as usize].class[mi(other(m))];
            let kinds = &mut self.swaps[a as usize];
            let at = kinds.partition_point(|k| (k.part, k.class) < (part, class));
            if kinds
                .get(at)
                .is_none_or(|k| (k.part, k.class) != (part, class))
            {
                kinds.insert(
                    at,
                    Swaps {
                        part,
                        class,
                        items: Vec::new(),
                        head: 0,
                    },
                );
            }
            kinds[at].items.push((d, m, version));
        }
    }

    fn on(&self, d: u32, v: u32) -> Option<Mode> {
        host_mode(&self.dbs, d, v)
    }

    fn miss(&self, d: u32, v: u32, m: Mode) -> i64 {
        i64::from(!self.dbs[d as usize].orig.contains(&(v, m)))
    }

    fn may_host(&self, d: u32, m: Mode, v: u32) -> bool {
        let db = &self.dbs[d as usize];
        self.target[v as usize]
            && (self.classes[db.class[mi(m)] as usize].has(v) || db.orig.contains(&(v, m)))
    }

    fn cost(&self, a: u32, b: u32, o: Opt) -> i64 {
        match o {
            Opt::Direct { d, m } => self.miss(d, b, m) - self.miss(d, a, m),
            Opt::Exchange { d, m, x } => {
                let m2 = other(m);
                self.miss(d, x, m) - self.miss(d, x, m2) + self.miss(d, b, m2) - self.miss(d, a, m)
            }
        }
    }

    /// The cheapest move from `a` to `b` avoiding the databases in `used`; with `want`,
    /// the first one found that costs at most `want`.
    fn find(
        &mut self,
        a: u32,
        b: u32,
        want: Option<i64>,
        used: &[(u32, bool)],
    ) -> Option<(i64, Opt)> {
        // Two direct moves of one database on a path are compatible (they leave and reach
        // different servers); an exchange shares its database with nothing else.
        let direct_ok = |d: u32| !used.iter().any(|u| u.0 == d && u.1);
        let exchange_ok = |d: u32| !used.iter().any(|u| u.0 == d);
        let mut best: Option<(i64, Opt)> = None;
        let take = |c: i64, o: Opt, best: &mut Option<(i64, Opt)>| -> bool {
            if best.is_none_or(|(bc, _)| c < bc) {
                *best = Some((c, o));
            }
            want.is_some_and(|w| c <= w)
        };
        // Copies whose database was on `b` in their mode before the plan.
        if let Some(list) = self.ret[a as usize].get(&b) {
            for &(d, m) in list {
                if !direct_ok(d) || self.on(d, a) != Some(m) || self.on(d, b).is_some() {
                    continue;
                }
                if !self.may_host(d, m, b) {
                    continue;
                }
                let o = Opt::Direct { d, m };
                if take(self.cost(a, b, o), o, &mut best) {
                    return best;
                }
            }
        }
        // The first movable copy of each kind.
        for li in 0..self.lists[a as usize].len() {
            let (class, m) = {
                let l = &self.lists[a as usize][li];
                (l.class, l.mode)
            };
            if !self.classes[class as usize].has(b) || !self.target[b as usize] {
                continue;
            }
            let left = self.left[b as usize];
            let (found, start, end, pass, stale) = {
                let l = &self.lists[a as usize][li];
                let start = match l.resume.get(b as usize) {
                    Some(&(at, seen)) if seen == left => l.head.max(at as usize),
                    _ => l.head,
                };
                let (mut i, mut stale) = (start, false);
                // The first entry a later walk to `b` must read again: one refused only
                // because its database is on this path.
                let mut pass = None;
                let mut found = None;
                while let Some(&d) = l.items.get(i) {
                    if self.on(d, a) != Some(m) {
                        stale = true;
                    } else if self.on(d, b).is_none() {
                        if direct_ok(d) {
                            found = Some(d);
                            break;
                        }
                        pass.get_or_insert(i);
                    }
                    i += 1;
                }
                (found, start, i, pass.unwrap_or(i), stale)
            };
            let dbs = &self.dbs;
            let l = &mut self.lists[a as usize][li];
            if end - start > RESUME_AFTER && l.resume.is_empty() {
                l.resume = vec![(0, u32::MAX); self.n];
            }
            if let Some(r) = l.resume.get_mut(b as usize) {
                *r = (pass as u32, left);
            } else if stale {
                squeeze(&mut l.items, &mut l.head, end, |&d| {
                    host_mode(dbs, d, a) != Some(m)
                });
            }
            while l
                .items
                .get(l.head)
                .is_some_and(|&d| host_mode(dbs, d, a) != Some(m))
            {
                l.head += 1;
            }
            if let Some(d) = found {
                let o = Opt::Direct { d, m };
                if take(self.cost(a, b, o), o, &mut best) {
                    return best;
                }
            }
        }
        // Exchanges returning the other-mode copy to where it was before the plan.
        if let Some(list) = self.ret_x[a as usize].get(&b) {
            for &(d, m) in list {
                if !exchange_ok(d) || self.on(d, a) != Some(m) || self.on(d, b).is_some() {
                    continue;
                }
                if !self.may_host(d, other(m), b) {
                    continue;
                }
                let Some((_, x)) = self.exchange_part(d, m, a) else {
                    continue;
                };
                let o = Opt::Exchange { d, m, x };
                if take(self.cost(a, b, o), o, &mut best) {
                    return best;
                }
            }
        }
        // The rest cost `part + 1`: the first fresh entry of each kind, cheapest kind
        // first.
        let target = self.target[b as usize];
        for k in 0..self.swaps[a as usize].len() {
            let (part, class) = {
                let s = &self.swaps[a as usize][k];
                (s.part, s.class)
            };
            if best.is_some_and(|(c, _)| c <= part + 1) || want.is_some_and(|w| w < part + 1) {
                break;
            }
            if !target || !self.classes[class as usize].has(b) {
                continue;
            }
            let (found, end, stale) = {
                let s = &self.swaps[a as usize][k];
                let (mut i, mut stale) = (s.head, false);
                let mut found = None;
                while let Some(&(d, m, version)) = s.items.get(i) {
                    if self.dbs[d as usize].version != version {
                        stale = true;
                    } else if exchange_ok(d) && self.on(d, b).is_none() {
                        found = Some((d, m));
                        break;
                    }
                    i += 1;
                }
                (found, i, stale)
            };
            if stale {
                let dbs = &self.dbs;
                let s = &mut self.swaps[a as usize][k];
                squeeze(&mut s.items, &mut s.head, end, |&(d, _, v)| {
                    dbs[d as usize].version != v
                });
            }
            if let Some((d, m)) = found
                && let Some((_, x)) = self.exchange_part(d, m, a)
            {
                let o = Opt::Exchange { d, m, x };
                if take(self.cost(a, b, o), o, &mut best) {
                    return best;
                }
            }
        }
        match want {
            Some(_) => None,
            None => best,
        }
    }

    fn relocate(&mut self, d: u32, from: u32, to: u32, m: Mode) {
        self.dbs[d as usize].version += 1;
        self.left[from as usize] = self.left[from as usize].wrapping_add(1);
        if let Some(h) = self.dbs[d as usize]
            .hosts
            .iter_mut()
            .find(|h| h.0 == from && h.1 == m)
        {
            h.0 = to;
        }
        self.arrive(d, m, to);
    }

    fn apply(&mut self, a: u32, b: u32, o: Opt) {
        self.cost = (self.cost as i64 + self.cost(a, b, o)) as usize;
        match o {
            Opt::Direct { d, m } => self.relocate(d, a, b, m),
            Opt::Exchange { d, m, x } => {
                // x's copy in the other mode leaves first, so `x` never holds two.
                self.relocate(d, x, b, other(m));
                self.relocate(d, a, x, m);
            }
        }
        self.enter_swaps(o.key().0);
        self.load[a as usize] -= 1;
        self.load[b as usize] += 1;
    }

    fn excess(&self, v: usize) -> bool {
        self.load[v] > self.cap[v]
    }

    fn deficit(&self, v: usize) -> bool {
        self.load[v] < self.cap[v]
    }

    /// Min-cost flow at maximum load `limit`: true when every node ends within its
    /// capacity (and within the budget).
    fn run(&mut self, limit: usize, budget: Option<usize>) -> Result<(), Option<usize>> {
        for v in 0..self.n {
            if self.target[v] && self.fixed[v] > limit {
                return Err(Some(self.fixed[v]));
            }
            self.cap[v] = if self.target[v] { limit } else { 0 };
        }
        let t = self.n + 1;
        loop {
            if budget.is_some_and(|b| self.cost > b) {
                return Err(None);
            }
            if (0..self.n).all(|v| !self.excess(v)) {
                return Ok(());
            }
            let dist = self.dijkstra();
            let reach = dist[t];
            if reach >= INF {
                return Err(Some(self.closed_bound(&dist)));
            }
            for v in 0..self.n + 2 {
                self.pi[v] += dist[v].min(reach);
            }
            let level = self.levels();
            if level[t] >= INF {
                return Err(None);
            }
            let pushed = self.blocking(&level, budget);
            if pushed == 0 && !self.single_path() {
                return Err(None);
            }
        }
    }

    /// When no overloaded server reaches an underloaded one: the servers reachable from
    /// the overloaded ones form a closed set (no copy on them can leave it in any plan, as
    /// the residual graph holds every possible change), so the maximum load is at least
    /// their copies over their targets. `usize::MAX` when the set has no target at all.
    fn closed_bound(&self, dist: &[i64]) -> usize {
        let (mut copies, mut targets) = (0usize, 0usize);
        for v in 0..self.n {
            if dist[v] < INF {
                copies += self.load[v];
                targets += usize::from(self.target[v]);
            }
        }
        if targets == 0 {
            usize::MAX
        } else {
            copies.div_ceil(targets)
        }
    }

    /// Reduced cost of the cheapest move `a → b`, if any.
    fn reduced(&mut self, a: usize, b: usize) -> Option<i64> {
        let (c, _) = self.find(a as u32, b as u32, None, &[])?;
        let r = c + self.pi[a] - self.pi[b];
        debug_assert!(r >= 0, "negative reduced cost {r} on {a} -> {b}");
        Some(r)
    }

    fn dijkstra(&mut self) -> Vec<i64> {
        let (s, t, n) = (self.n, self.n + 1, self.n);
        let mut dist = vec![INF; n + 2];
        let mut done = vec![false; n + 2];
        dist[s] = 0;
        loop {
            let mut u = usize::MAX;
            for v in 0..n + 2 {
                if !done[v] && dist[v] < INF && (u == usize::MAX || dist[v] < dist[u]) {
                    u = v;
                }
            }
            if u == usize::MAX {
                break;
            }
            done[u] = true;
            if u == t {
                break;
            }
            if u == s {
                for a in 0..n {
                    if self.excess(a) {
                        let nd = dist[s] + self.pi[s] - self.pi[a];
                        if nd < dist[a] {
                            dist[a] = nd;
                        }
                    }
                }
                continue;
            }
            if self.deficit(u) {
                let nd = dist[u] + self.pi[u] - self.pi[t];
                if nd < dist[t] {
                    dist[t] = nd;
                }
            }
            for v in 0..n {
                if done[v] || v == u || !self.target[v] {
                    continue;
                }
                if let Some(r) = self.reduced(u, v) {
                    let nd = dist[u] + r;
                    if nd < dist[v] {
                        dist[v] = nd;
                    }
                }
            }
        }
        dist
    }

    /// Hop levels over the zero-reduced-cost edges from the source.
    fn levels(&mut self) -> Vec<i64> {
        let (s, t, n) = (self.n, self.n + 1, self.n);
        let mut level = vec![INF; n + 2];
        level[s] = 0;
        let mut queue = std::collections::VecDeque::new();
        for a in 0..n {
            if self.excess(a) && self.pi[s] == self.pi[a] {
                level[a] = 1;
                queue.push_back(a);
            }
        }
        while let Some(u) = queue.pop_front() {
            if level[u] + 1 > level[t] {
                continue;
            }
            if self.deficit(u) && self.pi[u] == self.pi[t] && level[t] >= INF {
                level[t] = level[u] + 1;
            }
            for v in 0..n {
                if level[v] < INF || !self.target[v] {
                    continue;
                }
                let want = self.pi[v] - self.pi[u];
                if self.find(u as u32, v as u32, Some(want), &[]).is_some() {
                    level[v] = level[u] + 1;
                    queue.push_back(v);
                }
            }
        }
        level
    }

    /// Nodes by load (lowest first), ties by index: the order targets are tried in.
    fn order(&self) -> Vec<usize> {
        let mut o: Vec<usize> = (0..self.n).filter(|&v| self.target[v]).collect();
        o.sort_by_key(|&v| (self.load[v], v));
        o
    }

    fn blocking(&mut self, level: &[i64], budget: Option<usize>) -> usize {
        let order = self.order();
        let mut sources: Vec<usize> = (0..self.n)
            .filter(|&a| self.excess(a) && level[a] == 1)
            .collect();
        sources.sort_by_key(|&a| (std::cmp::Reverse(self.load[a]), std::cmp::Reverse(a)));
        let mut arc = vec![0usize; self.n];
        let mut dead = vec![false; self.n];
        let mut used = Vec::new();
        let mut pushed = 0;
        let t = self.n + 1;
        self.absorb = (0..self.n)
            .filter(|&v| self.deficit(v) && self.pi[v] == self.pi[t] && level[v] + 1 == level[t])
            .map(|v| (self.load[v], v))
            .collect();
        self.absorb.sort_unstable();
        for a in sources {
            while self.excess(a) {
                if budget.is_some_and(|b| self.cost > b) {
                    return pushed;
                }
                let (ok, _) = self.dfs(a, level, &order, &mut arc, &mut dead, &mut used);
                if !ok {
                    break;
                }
                pushed += 1;
            }
        }
        pushed
    }

    /// One augmenting path from `u` in the level graph; the flag says a failure depended
    /// on the path (a database already on it), so `u` must not be written off.
    fn dfs(
        &mut self,
        u: usize,
        level: &[i64],
        order: &[usize],
        arc: &mut [usize],
        dead: &mut [bool],
        used: &mut Vec<(u32, bool)>,
    ) -> (bool, bool) {
        let t = self.n + 1;
        if self.deficit(u) && self.pi[u] == self.pi[t] && level[u] + 1 == level[t] {
            return (true, false);
        }
        let mut conflict = false;
        if level[u] + 2 == level[t] {
            // The last hop: the least loaded underloaded server that can take a copy
            // (ties by index), so equal-cost plans spread the load.
            let mut at = 0;
            while let Some(&(_, v)) = self.absorb.get(at) {
                at += 1;
                if level[v] != level[u] + 1 {
                    continue;
                }
                let want = self.pi[v] - self.pi[u];
                if let Some((_, o)) = self.find(u as u32, v as u32, Some(want), used) {
                    self.apply(u as u32, v as u32, o);
                    self.absorb.remove(at - 1);
                    if self.deficit(v) {
                        let key = (self.load[v], v);
                        let place = self.absorb.partition_point(|k| *k < key);
                        self.absorb.insert(place, key);
                    }
                    return (true, false);
                }
                if !used.is_empty() && self.find(u as u32, v as u32, Some(want), &[]).is_some() {
                    conflict = true;
                }
            }
            return (false, conflict);
        }
        let mut i = arc[u];
        while i < order.len() {
            let v = order[i];
            let mut failed_clean = true;
            if level[v] == level[u] + 1 && !dead[v] && level[v] < level[t] {
                let want = self.pi[v] - self.pi[u];
                match self.find(u as u32, v as u32, Some(want), used) {
                    Some((_, o)) => {
                        used.push(o.key());
                        let (ok, c) = self.dfs(v, level, order, arc, dead, used);
                        used.pop();
                        if ok {
                            self.apply(u as u32, v as u32, o);
                            arc[u] = i;
                            return (true, false);
                        }
                        if c {
                            failed_clean = false;
                        } else {
                            dead[v] = true;
                        }
                    }
                    None => {
                        if !used.is_empty()
                            && self.find(u as u32, v as u32, Some(want), &[]).is_some()
                        {
                            failed_clean = false;
                        }
                    }
                }
            }
            if failed_clean {
                if i == arc[u] {
                    arc[u] = i + 1;
                }
            } else {
                conflict = true;
            }
            i += 1;
        }
        (false, conflict)
    }

    /// One augmenting path over zero-reduced-cost edges, ignoring levels (a reachability
    /// search); used when a phase's level graph gave nothing.
    fn single_path(&mut self) -> bool {
        let t = self.n + 1;
        let mut sources: Vec<usize> = (0..self.n)
            .filter(|&a| self.excess(a) && self.pi[self.n] == self.pi[a])
            .collect();
        sources.sort_by_key(|&a| (std::cmp::Reverse(self.load[a]), std::cmp::Reverse(a)));
        let order = self.order();
        for a in sources {
            let mut seen = vec![false; self.n];
            let mut path: Vec<(usize, usize, Opt)> = Vec::new();
            let mut used: Vec<(u32, bool)> = Vec::new();
            if self.walk(a, t, &order, &mut seen, &mut path, &mut used) {
                for (u, v, o) in path.into_iter().rev() {
                    self.apply(u as u32, v as u32, o);
                }
                return true;
            }
        }
        false
    }

    fn walk(
        &mut self,
        u: usize,
        t: usize,
        order: &[usize],
        seen: &mut [bool],
        path: &mut Vec<(usize, usize, Opt)>,
        used: &mut Vec<(u32, bool)>,
    ) -> bool {
        seen[u] = true;
        if self.deficit(u) && self.pi[u] == self.pi[t] {
            return true;
        }
        for &v in order {
            if seen[v] {
                continue;
            }
            let want = self.pi[v] - self.pi[u];
            if let Some((_, o)) = self.find(u as u32, v as u32, Some(want), used) {
                used.push(o.key());
                path.push((u, v, o));
                if self.walk(v, t, order, seen, path, used) {
                    return true;
                }
                path.pop();
                used.pop();
            }
        }
        false
    }

    fn outcome(&self, before: usize) -> Outcome {
        let mut changed = BTreeMap::new();
        let mut moves = 0;
        for db in &self.dbs {
            if db.hosts == db.orig {
                continue;
            }
            // Per mode, a server that hosts the database before and after keeps its slot;
            // a vacated slot takes the server its own copy went to when that is a
            // newcomer (the plan's pairing), else the next newcomer in server-id order.
            let mut newcomers: Vec<(u32, Mode)> = db
                .hosts
                .iter()
                .filter(|h| !db.orig.contains(h))
                .copied()
                .collect();
            newcomers.sort_unstable_by_key(|h| h.0);
            let old = self.state.allocations_of(db.name);
            let mut allocs = old.to_vec();
            let vacated: Vec<usize> = (0..db.orig.len())
                .filter(|&i| db.orig[i].0 != NONE && !db.hosts.contains(&db.orig[i]))
                .collect();
            let mut open = Vec::new();
            for &i in &vacated {
                match newcomers.iter().position(|n| *n == db.hosts[i]) {
                    Some(k) => {
                        let (v, _) = newcomers.remove(k);
                        allocs[i].server = self.ids[v as usize].into();
                        moves += 1;
                    }
                    None => open.push(i),
                }
            }
            for i in open {
                if let Some(k) = newcomers.iter().position(|n| n.1 == db.orig[i].1) {
                    let (v, _) = newcomers.remove(k);
                    allocs[i].server = self.ids[v as usize].into();
                    moves += 1;
                }
            }
            if allocs.as_slice() != old {
                changed.insert(db.name.to_string(), allocs);
            }
        }
        Outcome {
            changed,
            max_load_before: before,
            max_load_after: self.max_load(),
            moves,
        }
    }
}
