//! Embedded-cluster benchmarks (issue 4): REALLOCATE DATABASES planning from a skewed
//! placement, and CREATE DATABASE, on clusters built directly through the cluster API
//! (no text), at 1×, 2× and 4× servers and databases. Run with
//! `cargo bench --bench cluster`; figures go to BENCHMARKS.md.

// A benchmark may unwrap and expect: a panic is how it fails. Cargo.toml denies both
// in the product.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cysh::cluster::allocator::{self, RebalanceScope};
use cysh::cluster::model::{
    Allocation, Database, DatabaseKind, Mode, Server, ServerOptions, ServerState, Settings, State,
    Status,
};
use cysh::cluster::{Cluster, Config, FixedEnv, Session, Store, StoreError};
use cysh::dialect::Params;
use cysh::dialect::ast::{
    CreateDatabase, IntOrParam, NameOrParam, Statement, SymbolicName, Topology, Wait,
};
use std::collections::BTreeMap;
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
            name.clone(),
            Database {
                name: name.clone(),
                kind: DatabaseKind::Standard,
                read_write: true,
                requested_status: Status::Online,
                primaries: 3,
                secondaries: 0,
                options: BTreeMap::new(),
                default_language: "CYPHER 5".into(),
                database_id: String::new(),
                creation_time: "2026-11-21T00:00:00.000Z".into(),
                last_start_time: None,
                last_stop_time: None,
            },
        );
        let allocs = (0..3)
            .map(|k| Allocation {
                server: ids[(d + k) % hot].clone(),
                mode: Mode::Primary,
            })
            .collect();
        state.allocations.insert(name, allocs);
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

fn main() {
    println!(
        "| servers | databases | copies | REALLOCATE plan (median) | moves | CREATE DATABASE (median) |"
    );
    println!("| --- | --- | --- | --- | --- | --- |");
    for scale in [1usize, 2, 4] {
        let (servers, databases) = (100 * scale, 10_000 * scale);
        let state = skewed(servers, databases);
        let runs = if scale == 4 { 5 } else { 9 };
        let mut plan_times = Vec::new();
        let mut moves = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let changed = allocator::rebalance(&state, RebalanceScope::default());
            let m = allocator::net_moves(&state, &changed);
            plan_times.push(t.elapsed());
            moves = m.len();
        }
        let mut cluster = Cluster::with_parts(
            Config::with_servers(0),
            Box::new(Prepared(Some(state))),
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
        println!(
            "| {servers} | {databases} | {} | {:.1} ms | {moves} | {:.1} µs |",
            databases * 3,
            median(plan_times).as_secs_f64() * 1e3,
            median(create_times).as_secs_f64() * 1e6,
        );
    }
}
