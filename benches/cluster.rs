//! Embedded-cluster benchmarks (issue 4): REALLOCATE DATABASES planning from a skewed
//! placement, and CREATE DATABASE, on clusters built directly through the cluster API
//! (no text), at 1×, 2× and 4× servers and databases. Run with
//! `cargo bench --bench cluster`; figures go to BENCHMARKS.md.

// A benchmark may unwrap and expect: a panic is how it fails. Cargo.toml denies both
// in the product.
#![allow(clippy::unwrap_used, clippy::expect_used)]

/// The binary's allocator (src/main.rs), so the figures are the product's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use cysh::cluster::allocator::{self, RebalanceScope};
use cysh::cluster::model::{
    Allocation, Database, DatabaseKind, Mode, ModeConstraint, Server, ServerOptions, ServerState,
    Settings, State, Status,
};
use cysh::cluster::{Cluster, Config, FixedEnv, Session, Store, StoreError};
use cysh::dialect::Params;
use cysh::dialect::ast::{
    CreateDatabase, IntOrParam, NameOrParam, Statement, SymbolicName, Topology, Wait,
};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::time::{Duration, Instant};

/// A store that hands a prepared state to `Cluster::with_parts`.
struct Prepared(Option<State>);

impl Store for Prepared {
    fn load(&mut self) -> Result<Option<State>, StoreError> {
        Ok(self.0.take())
    }
    fn commit(&mut self, _: &[cysh::cluster::Change]) -> Result<(), StoreError> {
        Ok(())
    }
}

/// `servers` enabled servers and `databases` databases of 3 primaries, all placed on the
/// first quarter of the servers (round robin): a skewed placement.
fn skewed(servers: usize, databases: usize) -> State {
    let mut state = State {
        settings: Settings {
            bootstrapped: true,
            max_databases: u64::MAX,
            ..Settings::default()
        },
        ..State::default()
    };
    for i in 0..servers {
        let id = format!("{i:08x}-0000-4000-8000-000000000000");
        state.servers.insert(
            id.clone(),
            Server {
                name: id.clone(),
                id,
                address: format!("host{i}:7687"),
                state: ServerState::Enabled,
                available: true,
                options: ServerOptions::default(),
                initial: ServerOptions::default(),
                system_mode: Mode::Primary,
                joined: i as u64,
            },
        );
    }
    let ids: Vec<String> = state.servers.keys().cloned().collect();
    let hot = (servers / 4).max(3);
    for d in 0..databases {
        let name = format!("db{d:06}");
        state.databases.insert(
            name.as_str().into(),
            Database {
                name: name.as_str().into(),
                kind: DatabaseKind::Standard,
                read_write: true,
                requested_status: Status::Online,
                primaries: 3,
                secondaries: 0,
                details: Box::new(cysh::cluster::model::DatabaseDetails {
                    options: BTreeMap::new(),
                    default_language: "CYPHER 5".into(),
                    database_id: String::new(),
                    creation_time: "2026-11-21T00:00:00.000Z".into(),
                    last_start_time: None,
                    last_stop_time: None,
                }),
            },
        );
        let allocs = (0..3)
            .map(|k| Allocation {
                server: ids[(d + k) % hot].as_str().into(),
                mode: Mode::Primary,
            })
            .collect();
        state.allocations.insert(name.into(), allocs);
    }
    state.reindex();
    state
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn create(name: &str) -> Statement {
    Statement::CreateDatabase(CreateDatabase {
        name: NameOrParam::Name(SymbolicName {
            parts: vec![name.to_string()],
            offset: 0,
        }),
        or_replace: false,
        if_not_exists: false,
        default_language: None,
        shards: None,
        topology: Some(Topology {
            primaries: Some(IntOrParam::Literal(3)),
            secondaries: Some(IntOrParam::Literal(0)),
        }),
        options: None,
        wait: Wait::NoWait,
    })
}

/// Server constraints for the constrained rows: every third server allows only databases
/// ending in 1, 3 or 5, every third (offset one) denies those ending in 7 or 8, and every
/// fifth takes secondaries only.
fn constrain(state: &mut State) {
    for (i, s) in state.servers.values_mut().enumerate() {
        match i % 3 {
            1 => s.options.allowed_databases = vec!["*1".into(), "*3".into(), "*5".into()],
            2 => s.options.denied_databases = vec!["*7".into(), "*8".into()],
            _ => {}
        }
        if i % 5 == 4 {
            s.options.mode_constraint = ModeConstraint::Secondary;
        }
    }
}

/// Turns each database's last copy into a secondary (2 primaries + 1 secondary), so plans must respect mode constraints and may exchange copies.
fn with_secondaries(state: &mut State) {
    for allocs in state.allocations.values_mut() {
        if let Some(last) = allocs.last_mut() {
            last.mode = Mode::Secondary;
        }
    }
}

fn plan_time(state: &State, runs: usize, greedy: bool) -> (Duration, usize) {
    let mut times = Vec::new();
    let mut moves = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let changed = if greedy {
            greedy_rebalance(state, RebalanceScope::default())
        } else {
            allocator::rebalance(state, RebalanceScope::default())
        };
        let m = allocator::net_moves(state, &changed);
        times.push(t.elapsed());
        moves = m.len();
    }
    (median(times), moves)
}

fn max_after(state: &State, greedy: bool) -> usize {
    let changed = if greedy {
        greedy_rebalance(state, RebalanceScope::default())
    } else {
        allocator::rebalance(state, RebalanceScope::default())
    };
    let mut s = state.clone();
    for (db, a) in changed {
        s.allocations.insert(db.into(), a);
    }
    s.reindex();
    s.servers.keys().map(|id| s.load_of(id)).max().unwrap_or(0)
}

fn main() {
    let only_plan = std::env::args().any(|a| a == "--plan-only");
    // `--optimal-only`: neither CREATE nor the greedy planner (206 s on a constrained row).
    let only_optimal = std::env::args().any(|a| a == "--optimal-only");
    println!(
        "| servers | databases | copies | placement | REALLOCATE plan (median) | moves | max load after | greedy plan (median) | greedy moves | greedy max load | time ratio | CREATE DATABASE (median) |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    let rows: [(usize, usize, &str); 10] = [
        (100, 10_000, "skewed"),
        (200, 20_000, "skewed"),
        (400, 40_000, "skewed"),
        (400, 100_000, "skewed"),
        (10, 100_000, "skewed"),
        (400, 100_000, "constrained"),
        (400, 100_000, "constrained, 2P+1S"),
        (100, 10_000, "constrained, 2P+1S"),
        (400, 100_000, "skewed, 2P+1S"),
        (10, 100_000, "constrained, 2P+1S"),
    ];
    // `CYSH_BENCH_ROWS=3,5` runs only those rows (0-based).
    let pick: Option<Vec<usize>> = std::env::var("CYSH_BENCH_ROWS")
        .ok()
        .map(|v| v.split(',').filter_map(|x| x.trim().parse().ok()).collect());
    for (i, (servers, databases, kind)) in rows.into_iter().enumerate() {
        if pick.as_ref().is_some_and(|p| !p.contains(&i)) {
            continue;
        }
        let mut state = skewed(servers, databases);
        if kind.starts_with("constrained") {
            constrain(&mut state);
        }
        if kind.ends_with("2P+1S") {
            with_secondaries(&mut state);
        }
        // `CYSH_BENCH_RUNS=1` for a single plan per row (the slow constrained rows).
        let runs = std::env::var("CYSH_BENCH_RUNS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(if databases >= 100_000 { 3 } else { 9 });
        let (plan, moves) = plan_time(&state, runs, false);
        // The greedy planner is slow under constraints (a stuck source rescans its
        // copies for every lighter server): one run there.
        let greedy_runs = if kind == "skewed" { runs } else { 1 };
        let (greedy, greedy_moves) = if only_optimal {
            (Duration::ZERO, 0)
        } else {
            plan_time(&state, greedy_runs, true)
        };
        let create = if only_plan || only_optimal || kind != "skewed" {
            None
        } else {
            let mut cluster = Cluster::with_parts(
                Config::with_servers(0),
                Box::new(Prepared(Some(state.clone()))),
                Box::new(FixedEnv::default()),
            )
            .expect("cluster");
            let (params, session) = (Params::new(), Session::default());
            let mut create_times = Vec::new();
            for i in 0..200 {
                let stmt = create(&format!("new{i:04}"));
                let t = Instant::now();
                cluster.execute(&stmt, &params, &session).expect("create");
                create_times.push(t.elapsed());
            }
            Some(median(create_times))
        };
        println!(
            "| {servers} | {databases} | {} | {kind} | {:.1} ms | {moves} | {} | {:.1} ms | {greedy_moves} | {} | {:.2}× | {} |",
            databases * 3,
            plan.as_secs_f64() * 1e3,
            max_after(&state, false),
            greedy.as_secs_f64() * 1e3,
            if only_optimal {
                0
            } else {
                max_after(&state, true)
            },
            plan.as_secs_f64() / greedy.as_secs_f64(),
            create.map_or("–".to_string(), |c| format!(
                "{:.1} µs",
                c.as_secs_f64() * 1e6
            )),
        );
    }
}

// The greedy planner that `allocator::rebalance` replaced (issue 19), kept here verbatim
// (but for paths) to measure the optimal one against it in the same run.

/// Re-pairs a database's planned copies with its old ones (the greedy planner's helper).
fn fewest_moves(old: &[Allocation], planned: Vec<Allocation>) -> Vec<Allocation> {
    let hosts_after: HashSet<&str> = planned.iter().map(|a| a.server.as_ref()).collect();
    let hosts_before: HashSet<&str> = old.iter().map(|a| a.server.as_ref()).collect();
    // Modes freed by the servers that leave, and the newcomers with their planned modes.
    let mut freed: Vec<Mode> = old
        .iter()
        .filter(|a| !hosts_after.contains(a.server.as_ref()))
        .map(|a| a.mode)
        .collect();
    let mut newcomers: Vec<(Mode, &str)> = planned
        .iter()
        .filter(|a| !hosts_before.contains(a.server.as_ref()))
        .map(|a| (a.mode, a.server.as_ref()))
        .collect();
    freed.sort();
    newcomers.sort();
    if freed != newcomers.iter().map(|n| n.0).collect::<Vec<_>>() {
        return planned;
    }
    let mut out = Vec::with_capacity(old.len());
    for (a, p) in old.iter().zip(&planned) {
        if hosts_after.contains(a.server.as_ref()) {
            out.push(a.clone());
        } else {
            // Keep the plan's own pairing when it is still open, else the first fit.
            let i = newcomers
                .iter()
                .position(|n| n.0 == a.mode && *n.1 == *p.server)
                .or_else(|| newcomers.iter().position(|n| n.0 == a.mode))
                .unwrap_or(0);
            let (mode, server) = newcomers.remove(i);
            out.push(Allocation {
                server: server.into(),
                mode,
            });
        }
    }
    out
}

/// The greedy REALLOCATE planner before issue 19.
fn greedy_rebalance(state: &State, scope: RebalanceScope<'_>) -> BTreeMap<String, Vec<Allocation>> {
    // Index enabled servers by id order; copies on other servers never move here.
    let servers: Vec<&cysh::cluster::model::Server> = state
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
    let db_names: Vec<&str> = state.allocations.keys().map(|k| k.as_str()).collect();
    // copies[d] = (server index or NONE, mode) for every copy of database d.
    const NONE: usize = usize::MAX;
    let mut copies: Vec<Vec<(usize, Mode)>> = Vec::with_capacity(db_names.len());
    // A deque: the first movable copy is usually at the front, so removing it is O(1).
    let mut hosted: Vec<VecDeque<u32>> = vec![VecDeque::new(); servers.len()];
    for (d, (name, allocs)) in state.allocations.iter().enumerate() {
        let mut v = Vec::with_capacity(allocs.len());
        for a in allocs {
            let i = index.get(a.server.as_ref()).copied().unwrap_or(NONE);
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
                        servers[c.0].id.as_str().into()
                    },
                    mode: a.mode,
                })
                .collect();
            (db_names[d].to_string(), fewest_moves(old, planned))
        })
        .filter(|(db, new): &(String, Vec<Allocation>)| state.allocations_of(db) != new.as_slice())
        .collect()
}
