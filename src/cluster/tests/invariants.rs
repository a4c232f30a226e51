//! Property tests: random clusters and command sequences; after every step the
//! invariants hold, a failed step changed nothing, and REALLOCATE's DRYRUN equals what the
//! real run does and leaves no improving move.

use super::*;
use crate::cluster::model::{Mode, ServerState, State};
use proptest::prelude::*;
use std::collections::HashSet;

const DBS: &[&str] = &["alpha", "bravo", "charlie", "delta", "echo"];

#[derive(Debug, Clone)]
enum Op {
    Create(usize, i64, i64),
    CreateDefault(usize),
    CreateComposite(usize),
    Alter(usize, i64, i64),
    Drop(usize),
    Stop(usize),
    Cordon(usize),
    Enable(usize),
    Deallocate(usize),
    Reallocate,
    ReallocateDb(usize),
    AddServer,
    Constrain(usize, usize),
    StopServer(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..DBS.len(), 1i64..4, 0i64..3).prop_map(|(d, p, s)| Op::Create(d, p, s)),
        1 => (0..DBS.len()).prop_map(Op::CreateDefault),
        1 => (0..DBS.len()).prop_map(Op::CreateComposite),
        2 => (0..DBS.len(), 1i64..5, 0i64..3).prop_map(|(d, p, s)| Op::Alter(d, p, s)),
        1 => (0..DBS.len()).prop_map(Op::Drop),
        1 => (0..DBS.len()).prop_map(Op::Stop),
        1 => (0..10usize).prop_map(Op::Cordon),
        1 => (0..10usize).prop_map(Op::Enable),
        1 => (0..10usize).prop_map(Op::Deallocate),
        2 => Just(Op::Reallocate),
        1 => (0..DBS.len()).prop_map(Op::ReallocateDb),
        2 => Just(Op::AddServer),
        1 => (0..10usize, 0..6usize).prop_map(|(s, c)| Op::Constrain(s, c)),
        1 => (0..10usize).prop_map(Op::StopServer),
    ]
}

fn server_id(c: &Cluster, i: usize) -> String {
    let ids: Vec<&String> = c.state().servers.keys().collect();
    ids[i % ids.len()].clone()
}

fn statement(c: &Cluster, op: &Op) -> Statement {
    match op {
        Op::Create(d, p, s) => create_db(DBS[*d], *p, *s),
        Op::CreateDefault(d) => create_db_default(DBS[*d]),
        Op::CreateComposite(d) => {
            crate::dialect::parse(&format!("CREATE COMPOSITE DATABASE {}", DBS[*d])).unwrap()
        }
        Op::Alter(d, p, s) => alter_topology(DBS[*d], *p, *s),
        Op::Drop(d) => drop_db(DBS[*d]),
        Op::Stop(d) => stop_db(DBS[*d]),
        Op::Cordon(s) => call(
            "dbms.cluster.cordonServer",
            vec![Value::str(server_id(c, *s))],
        ),
        Op::Enable(s) => enable(&server_id(c, *s)),
        Op::Deallocate(s) => deallocate(false, &[&server_id(c, *s)]),
        Op::Reallocate => Statement::ReallocateDatabases(false),
        Op::ReallocateDb(d) => call("dbms.cluster.reallocateDatabase", vec![Value::str(DBS[*d])]),
        Op::AddServer => call("sim.addServer", vec![]),
        Op::StopServer(s) => call("sim.stopServer", vec![Value::str(server_id(c, *s))]),
        Op::Constrain(s, k) => {
            let options = match k {
                0 => vec![],
                1 => vec![(
                    "modeConstraint".to_string(),
                    Expr::literal(Value::str("PRIMARY")),
                )],
                2 => vec![(
                    "modeConstraint".to_string(),
                    Expr::literal(Value::str("SECONDARY")),
                )],
                3 => vec![(
                    "deniedDatabases".to_string(),
                    Expr::literal(Value::str_list(["alpha", "bravo"])),
                )],
                4 => vec![(
                    "allowedDatabases".to_string(),
                    Expr::literal(Value::str_list(["charlie"])),
                )],
                _ => vec![("tags".to_string(), Expr::literal(Value::str_list(["eu"])))],
            };
            Statement::AlterServer(AlterServer {
                server: lit(&server_id(c, *s)),
                options: MapOrParam::Literal(options),
            })
        }
    }
}

/// The invariants every state must satisfy.
fn check(state: &State) -> Result<(), String> {
    let mut load = std::collections::HashMap::new();
    for (db, allocs) in &state.allocations {
        let d = state
            .databases
            .get(db)
            .ok_or(format!("allocations of unknown {db}"))?;
        let mut seen = HashSet::new();
        for a in allocs {
            if !seen.insert(&a.server) {
                return Err(format!("{db} twice on {}", a.server));
            }
            let s = state
                .servers
                .get(&*a.server)
                .ok_or(format!("{db} on unknown server"))?;
            if !matches!(s.state, ServerState::Enabled | ServerState::Cordoned) {
                return Err(format!("{db} on {} server {}", s.state.as_str(), s.id));
            }
            if !s.options.mode_constraint.allows(a.mode) || !s.options.permits(db) {
                return Err(format!("{db} on {} violates its options", s.id));
            }
            *load.entry(a.server.to_string()).or_insert(0usize) += 1;
        }
        let p = allocs.iter().filter(|a| a.mode == Mode::Primary).count() as u32;
        let s = allocs.len() as u32 - p;
        if (p, s) != (d.primaries, d.secondaries) {
            return Err(format!(
                "{db} has {p}+{s}, wants {}+{}",
                d.primaries, d.secondaries
            ));
        }
    }
    load.retain(|_, v| *v > 0);
    if load != state.loads().by_server {
        return Err(format!(
            "load index {:?} != {:?}",
            state.loads().by_server,
            load
        ));
    }
    // The hosted and composite indexes, kept in step change by change, equal the ones
    // rebuilt from the maps.
    let mut rebuilt = state.clone();
    rebuilt.reindex();
    if rebuilt.hosted_index() != state.hosted_index() {
        return Err(format!(
            "hosted index {:?} != {:?}",
            state.hosted_index(),
            rebuilt.hosted_index()
        ));
    }
    if rebuilt.enabled_by_load() != state.enabled_by_load() {
        return Err(format!(
            "enabled-by-load index {:?} != {:?}",
            state.enabled_by_load(),
            rebuilt.enabled_by_load()
        ));
    }
    if rebuilt.flags() != state.flags() {
        return Err(format!(
            "flag index {:?} != {:?}",
            state.flags(),
            rebuilt.flags()
        ));
    }
    // Placement from the servers ordered by load picks what ranking them all picks.
    let planner = crate::cluster::allocator::Planner::new(state);
    let none = HashSet::new();
    for db in DBS.iter().chain(&["zulu"]) {
        for (p, s) in [(1, 0), (2, 1), (3, 0), (1, 2)] {
            let fast = planner.place(db, p, s, &none);
            let ranked = planner.place_ranked(db, p, s, &none);
            if fast != ranked {
                return Err(format!("placing {db} {p}+{s}: {fast:?} != {ranked:?}"));
            }
        }
    }
    // What SHOW SERVERS reads from the indexes equals a scan of every database.
    use crate::cluster::commands::show_servers::{hosting, requested_hosting};
    use crate::cluster::model::{DatabaseKind, Status};
    for s in state.servers.values() {
        let on = |db: &str| state.allocations_of(db).iter().any(|a| *a.server == *s.id);
        let mut requested = Vec::new();
        let mut running = Vec::new();
        if s.state != ServerState::Free {
            requested.push("system".to_string());
            requested.extend(
                state
                    .allocations
                    .keys()
                    .filter(|db| on(db))
                    .map(|db| db.to_string()),
            );
        }
        if s.available && s.state != ServerState::Dropped {
            running.push("system".to_string());
            let member = s.state != ServerState::Free;
            running.extend(
                state
                    .databases
                    .values()
                    .filter(|d| d.requested_status == Status::Online)
                    .filter(|d| match d.kind {
                        DatabaseKind::Composite => member,
                        _ => on(&d.name),
                    })
                    .map(|d| d.name.to_string()),
            );
        }
        if requested_hosting(state, s) != requested || hosting(state, s) != running {
            return Err(format!("hosting of {} differs from a scan", s.id));
        }
    }
    Ok(())
}

/// After a full REALLOCATE: planning again moves nothing (the plan reached the lowest
/// maximum load the constraints allow, so no improving move is left; issue 19: the greedy
/// planner used to stop where a chain of moves through a third server still improved it).
fn check_balanced(state: &State) -> Result<(), String> {
    let again = crate::cluster::allocator::rebalance(state, Default::default());
    if again.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "a second REALLOCATE would still change {:?}",
            again.keys()
        ))
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold_after_every_step(n in 3usize..7, ops in proptest::collection::vec(op(), 1..25)) {
        let mut c = cluster(n);
        check(c.state()).map_err(TestCaseError::fail)?;
        for op in &ops {
            let stmt = statement(&c, op);
            let before = c.state().clone();
            let is_reallocate = matches!(op, Op::Reallocate);
            let dry = if is_reallocate { try_run(&mut c, &Statement::ReallocateDatabases(true)).ok() } else { None };
            prop_assert_eq!(c.state(), &before, "DRYRUN changed the state");
            match try_run(&mut c, &stmt) {
                Err(_) => prop_assert_eq!(c.state(), &before, "failed {:?} changed the state", op),
                Ok(_) => {
                    check(c.state()).map_err(|e| TestCaseError::fail(format!("after {op:?}: {e}")))?;
                    if let Some(dry) = dry {
                        // The DRYRUN rows, applied to the old state, give the new state.
                        // Each row moves the copy that was on `from` before the plan.
                        let mut expected = before.allocations.clone();
                        for row in &dry.rows {
                            let db = row[0].as_str().unwrap();
                            let (from, to) = (row[2].as_str().unwrap(), row[4].as_str().unwrap());
                            let slot = before.allocations[db].iter().position(|a| *a.server == *from).unwrap();
                            expected.get_mut(db).unwrap()[slot].server = to.into();
                        }
                        let sorted = |m: &std::collections::BTreeMap<crate::cluster::model::Name, Vec<crate::cluster::model::Allocation>>| {
                            m.iter()
                                .map(|(k, v)| {
                                    let mut v: Vec<(String, Mode)> = v.iter().map(|a| (a.server.to_string(), a.mode)).collect();
                                    v.sort();
                                    (k.clone(), v)
                                })
                                .collect::<Vec<_>>()
                        };
                        prop_assert_eq!(sorted(&expected), sorted(&c.state().allocations));
                        check_balanced(c.state()).map_err(TestCaseError::fail)?;
                    }
                }
            }
        }
    }
}

/// A store that keeps every committed change, to check that replaying them rebuilds the
/// state (what a durable store relies on).
struct Recording(std::sync::Arc<std::sync::Mutex<Vec<crate::cluster::Change>>>);

impl crate::cluster::Store for Recording {
    fn load(&mut self) -> Result<Option<State>, crate::cluster::StoreError> {
        Ok(None)
    }
    fn commit(
        &mut self,
        changes: &[crate::cluster::Change],
    ) -> Result<(), crate::cluster::StoreError> {
        self.0.lock().unwrap().extend_from_slice(changes);
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn replaying_committed_changes_rebuilds_the_state(ops in proptest::collection::vec(op(), 1..20)) {
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut config = Config::with_servers(0);
        config.apply_text("dbms.cluster.minimum_initial_system_primaries_count=4").unwrap();
        let mut c = Cluster::with_parts(config, Box::new(Recording(log.clone())), Box::new(FixedEnv::default())).unwrap();
        for i in 1..=4 {
            run(&mut c, &add_server(&format!("s{i:02}"), &format!("localhost:{}", 7686 + i)));
        }
        for op in &ops {
            let stmt = statement(&c, op);
            let _ = try_run(&mut c, &stmt);
        }
        let mut replica = State::default();
        for change in log.lock().unwrap().iter().cloned() {
            change.apply(&mut replica);
        }
        prop_assert_eq!(&replica, c.state());
    }
}
