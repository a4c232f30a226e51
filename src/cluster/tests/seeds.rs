//! The seed documents' statements and tables, and their refusal rules, through the AST.

use super::*;
use crate::cluster::model::{Mode, ServerState};

const S1: &str = "8512c9b9-d9e8-48e6-b037-b15b0004ca18";
const S2: &str = "782f0ee2-5474-4250-b905-4cd8b8f586ba";
const S3: &str = "25a7efc7-d063-44b8-bdee-f23357f89f01";

fn seed_cluster() -> Cluster {
    cluster_with("initial.dbms.default_primaries_count=3", &[S1, S2, S3])
}

#[test]
fn seed_show_servers_table() {
    let mut c = seed_cluster();
    let r = run(
        &mut c,
        &show_yield(
            ShowKind::Servers,
            &["serverId", "name", "address", "state", "health", "hosting"],
        ),
    );
    // The seed prints `["system",  "neo4j"]` (two spaces, a documentation typo); cysh
    // prints one space, so the column is one character narrower.
    let want = r#"+----------------------------------------------------------------------------------------------------------------------------------------------------+
| serverId                               | name                                   | address          | state     | health      | hosting             |
+----------------------------------------------------------------------------------------------------------------------------------------------------+
| "25a7efc7-d063-44b8-bdee-f23357f89f01" | "25a7efc7-d063-44b8-bdee-f23357f89f01" | "localhost:7689" | "Enabled" | "Available" | ["system", "neo4j"] |
| "782f0ee2-5474-4250-b905-4cd8b8f586ba" | "782f0ee2-5474-4250-b905-4cd8b8f586ba" | "localhost:7688" | "Enabled" | "Available" | ["system", "neo4j"] |
| "8512c9b9-d9e8-48e6-b037-b15b0004ca18" | "8512c9b9-d9e8-48e6-b037-b15b0004ca18" | "localhost:7687" | "Enabled" | "Available" | ["system", "neo4j"] |
+----------------------------------------------------------------------------------------------------------------------------------------------------+

"#;
    assert_eq!(table(&r), want);
}

fn create_seeded(n: &str, p: i64) -> Statement {
    Statement::CreateDatabase(CreateDatabase {
        name: name(n),
        or_replace: false,
        if_not_exists: false,
        default_language: None,
        shards: None,
        topology: Some(Topology {
            primaries: Some(IntOrParam::Literal(p)),
            secondaries: None,
        }),
        options: Some(Box::new(MapOrParam::Literal(vec![
            ("existingData".into(), Expr::literal(Value::str("use"))),
            (
                "existingDataSeedServer".into(),
                Expr::literal(Value::str(S1)),
            ),
        ]))),
        wait: Wait::NoWait,
    })
}

#[test]
fn seed_show_database_foo_table() {
    let mut c = seed_cluster();
    run(&mut c, &create_seeded("foo", 3));
    let r = run(&mut c, &show(ShowKind::Databases(Some(name("foo")))));
    // The seed's footer says "9 rows" for these 3 rows (a documentation typo).
    let want = r#"+------------------------------------------------------------------------------------------------------------------------------------------------------------------------+
| name  | type       | aliases | access       | address          | role      | writer | requestedStatus | currentStatus | statusMessage | default | home  | constituents |
+------------------------------------------------------------------------------------------------------------------------------------------------------------------------+
| "foo" | "standard" | []      | "read-write" | "localhost:7687" | "primary" | FALSE  | "online"        | "online"      | ""            | FALSE   | FALSE | []           |
| "foo" | "standard" | []      | "read-write" | "localhost:7688" | "primary" | FALSE  | "online"        | "online"      | ""            | FALSE   | FALSE | []           |
| "foo" | "standard" | []      | "read-write" | "localhost:7689" | "primary" | TRUE   | "online"        | "online"      | ""            | FALSE   | FALSE | []           |
+------------------------------------------------------------------------------------------------------------------------------------------------------------------------+

"#;
    assert_eq!(table(&r), want);
}

#[test]
fn three_plus_two_fails_on_four_servers_and_changes_nothing() {
    let mut c = cluster(4);
    let before = c.state().clone();
    let e = try_run(&mut c, &create_db("foo", 3, 2)).unwrap_err();
    assert_eq!(e.code, "Neo.ClientError.Statement.ArgumentError");
    assert!(
        e.message
            .starts_with("Failed to create the specified database 'foo': "),
        "{}",
        e.message
    );
    assert_eq!(c.state(), &before);
}

#[test]
fn three_plus_two_on_five_servers_shows_five_rows() {
    let mut c = cluster(5);
    run(&mut c, &create_db("foo", 3, 2));
    let r = run(
        &mut c,
        &show_yield(
            ShowKind::Databases(Some(name("foo"))),
            &["address", "role", "writer"],
        ),
    );
    let rows: Vec<String> = r
        .rows
        .iter()
        .map(|r| format!("{} {} {}", r[0], r[1], r[2]))
        .collect();
    let primaries = rows.iter().filter(|r| r.contains("\"primary\"")).count();
    let secondaries = rows.iter().filter(|r| r.contains("\"secondary\"")).count();
    assert_eq!((rows.len(), primaries, secondaries), (5, 3, 2), "{rows:?}");
    assert_eq!(rows.iter().filter(|r| r.ends_with("TRUE")).count(), 1);
    // The writer is a primary on the lowest server id.
    let writer = rows.iter().find(|r| r.ends_with("TRUE")).unwrap();
    assert!(writer.contains("primary"), "{writer}");
}

#[test]
fn two_primary_and_three_secondary_constrained_servers_cannot_host_three_primaries() {
    let mut c = cluster(5);
    for (i, mode) in ["PRIMARY", "PRIMARY", "SECONDARY", "SECONDARY", "SECONDARY"]
        .iter()
        .enumerate()
    {
        run(
            &mut c,
            &Statement::AlterServer(AlterServer {
                server: lit(&format!("s{:02}", i + 1)),
                options: MapOrParam::Literal(vec![(
                    "modeConstraint".into(),
                    Expr::literal(Value::str(*mode)),
                )]),
            }),
        );
    }
    let before = c.state().clone();
    assert!(try_run(&mut c, &create_db("foo", 3, 2)).is_err());
    assert_eq!(c.state(), &before);
    // 2 primaries + 3 secondaries fit exactly.
    run(&mut c, &create_db("bar", 2, 3));
    for a in c.state().allocations_of("bar") {
        let s = &c.state().servers[&*a.server];
        assert!(s.options.mode_constraint.allows(a.mode));
    }
}

#[test]
fn parameters_resolve_and_missing_ones_are_reported() {
    let mut c = cluster(5);
    let stmt = Statement::CreateDatabase(CreateDatabase {
        name: NameOrParam::Param(Param {
            name: "dbname".into(),
            offset: 0,
        }),
        or_replace: false,
        if_not_exists: false,
        default_language: None,
        shards: None,
        topology: Some(Topology {
            primaries: Some(IntOrParam::Param(Box::new(Param {
                name: "primary".into(),
                offset: 0,
            }))),
            secondaries: Some(IntOrParam::Param(Box::new(Param {
                name: "secondary".into(),
                offset: 0,
            }))),
        }),
        options: None,
        wait: Wait::NoWait,
    });
    let e = try_run(&mut c, &stmt).unwrap_err();
    assert_eq!(e.code, "Neo.ClientError.Statement.ParameterMissing");
    assert_eq!(e.message, "Expected parameter(s): dbname");
    let mut params = Params::new();
    params.insert("dbname".into(), Value::str("foo"));
    params.insert("primary".into(), Value::Int(3));
    params.insert("secondary".into(), Value::Int(2));
    c.execute(&stmt, &params, &Session::default()).unwrap();
    assert_eq!(c.state().allocations_of("foo").len(), 5);
}

#[test]
fn alter_topology_shrinks_cordoned_first_and_refuses_single_primary() {
    let mut c = cluster(5);
    run(&mut c, &create_db("foo", 3, 2));
    let cordoned = c
        .state()
        .allocations_of("foo")
        .iter()
        .find(|a| a.mode == Mode::Primary)
        .unwrap()
        .server
        .clone();
    run(
        &mut c,
        &call("dbms.cluster.cordonServer", vec![Value::str(&*cordoned)]),
    );
    let r = run(&mut c, &alter_topology("foo", 2, 1));
    assert!(
        r.notifications
            .iter()
            .any(|n| n.code.ends_with("CordonedServersExistedDuringAllocation"))
    );
    let allocs = c.state().allocations_of("foo");
    assert_eq!(allocs.len(), 3);
    assert!(!allocs.iter().any(|a| a.server == cordoned));
    let e = try_run(&mut c, &alter_topology("foo", 1, 0)).unwrap_err();
    assert!(e.message.contains("single primary"), "{}", e.message);
    let same = run(&mut c, &alter_topology("foo", 2, 1));
    assert!(
        same.notifications
            .iter()
            .any(|n| n.code.ends_with("RequestedTopologyMatchedCurrentTopology"))
    );
    let missing = Statement::AlterDatabase(AlterDatabase {
        name: name("nonExisting"),
        if_exists: true,
        alterations: vec![DatabaseAlteration::Topology(topology(1, 0))],
        wait: Wait::NoWait,
    });
    run(&mut c, &missing);
    let Statement::AlterDatabase(mut strict) = missing else {
        unreachable!()
    };
    strict.if_exists = false;
    let e = try_run(&mut c, &Statement::AlterDatabase(strict)).unwrap_err();
    assert_eq!(e.code, "Neo.ClientError.Database.DatabaseNotFound");
    assert_eq!(
        e.message,
        "Failed to alter the specified database 'nonexisting': Database does not exist."
    );
}

#[test]
fn a_failing_statement_rolls_back_earlier_alterations() {
    let mut c = cluster(3);
    run(&mut c, &create_db("foo", 3, 0));
    let before = c.state().clone();
    let stmt = Statement::AlterDatabase(AlterDatabase {
        name: name("foo"),
        if_exists: false,
        alterations: vec![
            DatabaseAlteration::Access(Access::ReadOnly),
            DatabaseAlteration::Topology(topology(3, 2)),
        ],
        wait: Wait::NoWait,
    });
    assert!(try_run(&mut c, &stmt).is_err());
    assert_eq!(c.state(), &before);
}

#[test]
fn deallocate_procedures_and_dryrun_change_nothing() {
    let mut c = cluster(4);
    run(&mut c, &create_db("baz", 3, 0));
    let host = c.state().allocations_of("baz")[0].server.clone();
    let before = c.state().clone();
    let r = run(
        &mut c,
        &call(
            "dbms.cluster.deallocateDatabaseFromServer",
            vec![Value::str(&*host), Value::str("baz"), Value::Bool(true)],
        ),
    );
    assert_eq!(
        r.fields,
        [
            "database",
            "fromServerName",
            "fromServerId",
            "toServerName",
            "toServerId",
            "mode"
        ]
    );
    assert_eq!(r.rows.len(), 1);
    assert_eq!(c.state(), &before);
    let real = run(
        &mut c,
        &call(
            "dbms.cluster.deallocateDatabaseFromServer",
            vec![Value::str(&*host), Value::str("baz")],
        ),
    );
    assert_eq!(real.rows, r.rows);
    assert!(
        !c.state()
            .allocations_of("baz")
            .iter()
            .any(|a| a.server == host)
    );
    assert_eq!(c.state().servers[&*host].state, ServerState::Enabled);
}

#[test]
fn deallocate_servers_refusals() {
    // 5 servers, foo = 3 primaries + 2 secondaries: no server can be deallocated.
    let mut c = cluster(5);
    run(&mut c, &create_db("foo", 3, 2));
    let before = c.state().clone();
    let e = try_run(&mut c, &deallocate(false, &["s01"])).unwrap_err();
    assert!(
        e.message
            .starts_with("Failed to deallocate the specified server(s) 's01'"),
        "{}",
        e.message
    );
    assert_eq!(c.state(), &before);
    // A single-primary database blocks its server.
    let mut c = cluster(3);
    run(&mut c, &create_db("one", 1, 0));
    let host = c.state().allocations_of("one")[0].server.clone();
    assert!(try_run(&mut c, &deallocate(false, &[&host])).is_err());
    // An offline database blocks too.
    let mut c = cluster(4);
    run(&mut c, &create_db("off", 2, 0));
    run(&mut c, &stop_db("off"));
    let host = c.state().allocations_of("off")[0].server.clone();
    assert!(try_run(&mut c, &deallocate(false, &[&host])).is_err());
    // A movable one moves; the server ends Deallocated and can be dropped.
    let mut c = cluster(4);
    run(&mut c, &create_db("two", 2, 0));
    let host = c.state().allocations_of("two")[0].server.clone();
    let dry = run(&mut c, &deallocate(true, &[&host]));
    assert_eq!(dry.rows.len(), 1);
    run(&mut c, &deallocate(false, &[&host]));
    assert_eq!(c.state().servers[&*host].state, ServerState::Deallocated);
    run(&mut c, &Statement::DropServer(lit(&host)));
    assert_eq!(c.state().servers[&*host].state, ServerState::Dropped);
    run(&mut c, &call("sim.stopServer", vec![Value::str(&*host)]));
    assert!(!c.state().servers.contains_key(&*host));
}

#[test]
fn reallocate_after_adding_servers() {
    let mut c = cluster(3);
    for i in 0..3 {
        run(&mut c, &create_db(&format!("db{i}"), 3, 0));
    }
    for i in 4..=6 {
        let id = format!("s{i:02}");
        run(&mut c, &add_server(&id, &format!("localhost:{}", 7686 + i)));
        assert_eq!(c.state().servers[&id].state, ServerState::Free);
        run(&mut c, &enable(&id));
    }
    let before = c.state().clone();
    let dry = run(&mut c, &Statement::ReallocateDatabases(true));
    assert_eq!(dry.fields.len(), 6);
    assert!(!dry.rows.is_empty());
    assert_eq!(c.state(), &before);
    run(&mut c, &Statement::ReallocateDatabases(false));
    let loads: Vec<usize> = c
        .state()
        .servers
        .keys()
        .map(|s| c.state().load_of(s))
        .collect();
    assert!(
        loads.iter().max().unwrap() - loads.iter().min().unwrap() <= 1,
        "{loads:?}"
    );
    // 9 copies over 6 servers: 3 servers had 3, the new ones 0; 1/2 each after.
    assert_eq!(dry.rows.len(), 4);
    let again = run(&mut c, &Statement::ReallocateDatabases(true));
    assert!(again.rows.is_empty());
    assert!(
        again
            .notifications
            .iter()
            .any(|n| n.code.ends_with("NoDatabasesReallocated"))
    );
}

#[test]
fn drop_database_rules() {
    let mut c = cluster(3);
    let e = try_run(&mut c, &drop_db("system")).unwrap_err();
    assert_eq!(e.message, "Not allowed to delete system database.");
    let e = try_run(&mut c, &drop_db("nope")).unwrap_err();
    assert_eq!(
        e.message,
        "Failed to delete the specified database 'nope': Database does not exist."
    );
    run(&mut c, &create_db("foo", 1, 0));
    run(
        &mut c,
        &Statement::CreateAlias(Box::new(CreateAlias {
            name: name("bar"),
            or_replace: false,
            if_not_exists: false,
            target: name("foo"),
            remote: None,
            default_language: None,
            properties: None,
        })),
    );
    let r = run(
        &mut c,
        &show_yield(ShowKind::Databases(Some(name("foo"))), &["aliases"]),
    );
    assert_eq!(r.rows[0][0], Value::str_list(["bar"]));
    let e = try_run(&mut c, &drop_db("foo")).unwrap_err();
    assert_eq!(
        e.message,
        "Failed to delete the specified database 'foo': Database has one or more aliases. Drop the aliases: [bar] before dropping the database."
    );
    let Statement::DropDatabase(mut d) = drop_db("foo") else {
        unreachable!()
    };
    d.cascade_aliases = true;
    run(&mut c, &Statement::DropDatabase(d));
    assert!(c.state().aliases.is_empty());
}

#[test]
fn set_default_database_follows_the_5x_rules() {
    let mut c = cluster(3);
    run(&mut c, &create_db("foo", 1, 0));
    let e = try_run(
        &mut c,
        &call("dbms.setDefaultDatabase", vec![Value::str("foo")]),
    )
    .unwrap_err();
    assert!(
        e.message
            .ends_with("The previous default database `neo4j` is still running."),
        "{}",
        e.message
    );
    let e = try_run(
        &mut c,
        &call("dbms.setDefaultDatabase", vec![Value::str("nope")]),
    )
    .unwrap_err();
    assert!(
        e.message
            .ends_with("New default database `nope` does not exist."),
        "{}",
        e.message
    );
    run(&mut c, &stop_db("neo4j"));
    run(
        &mut c,
        &call("dbms.setDefaultDatabase", vec![Value::str("foo")]),
    );
    let r = run(&mut c, &show(ShowKind::DefaultDatabase));
    assert_eq!(r.fields.len(), 11);
    assert!(r.rows.iter().all(|row| row[0] == Value::str("foo")));
}

#[test]
fn recreate_database_with_new_topology_and_server_uri() {
    let mut c = cluster(4);
    run(&mut c, &create_db("foo", 2, 0));
    run(
        &mut c,
        &call(
            "dbms.recreateDatabase",
            vec![
                Value::str("foo"),
                map(&[
                    ("seedURI", Value::str("s3://myBucket/myBackup.backup")),
                    ("primaries", Value::Int(3)),
                    ("secondaries", Value::Int(0)),
                ]),
            ],
        ),
    );
    assert_eq!(c.state().allocations_of("foo").len(), 3);
    run(
        &mut c,
        &call(
            "dbms.recreateDatabase",
            vec![
                Value::str("foo"),
                map(&[("seedURI", Value::str("server://s01/myBackup.backup"))]),
            ],
        ),
    );
    assert!(
        try_run(
            &mut c,
            &call(
                "dbms.recreateDatabase",
                vec![
                    Value::str("foo"),
                    map(&[("seedURI", Value::str("server://nope/x"))])
                ]
            )
        )
        .is_err()
    );
    assert!(
        try_run(
            &mut c,
            &call("dbms.recreateDatabase", vec![Value::str("foo"), map(&[])])
        )
        .is_err()
    );
    run(
        &mut c,
        &call(
            "dbms.recreateDatabase",
            vec![
                Value::str("foo"),
                map(&[("seedingServers", Value::str_list(["s04"]))]),
            ],
        ),
    );
    assert!(
        c.state()
            .allocations_of("foo")
            .iter()
            .any(|a| &*a.server == "s04")
    );
}

// --- Default database in a cluster: every "possible behaviour" bullet. ---

fn default_alloc(c: &Cluster) -> (usize, usize) {
    let a = c.state().allocations_of("neo4j");
    let p = a.iter().filter(|a| a.mode == Mode::Primary).count();
    (p, a.len() - p)
}

#[test]
fn default_primaries_above_minimum_gives_fewer_primaries() {
    let c = cluster_with(
        "initial.dbms.default_primaries_count=5\ndbms.cluster.minimum_initial_system_primaries_count=3",
        &["a1", "a2", "a3", "a4", "a5"],
    );
    assert_eq!(default_alloc(&c), (3, 0));
    assert_eq!(c.state().databases["neo4j"].primaries, 3);
    // Servers joining after the bootstrap are Free and host nothing.
    assert_eq!(c.state().servers["a4"].state, ServerState::Free);
}

#[test]
fn default_primaries_plus_secondaries_above_minimum_gives_fewer_secondaries() {
    let c = cluster_with(
        "initial.dbms.default_primaries_count=2\ninitial.dbms.default_secondaries_count=3",
        &["a1", "a2", "a3", "a4"],
    );
    assert_eq!(default_alloc(&c), (2, 1));
}

#[test]
fn denied_default_database_gives_fewer_copies_or_none() {
    let mut c = cluster_with("initial.dbms.default_primaries_count=3", &[]);
    run(&mut c, &add_server("a1", "localhost:7687"));
    run(
        &mut c,
        &call(
            "sim.addServer",
            vec![map(&[
                ("serverId", Value::str("a2")),
                ("deniedDatabases", Value::str_list(["neo4j"])),
            ])],
        ),
    );
    run(&mut c, &add_server("a3", "localhost:7689"));
    assert_eq!(default_alloc(&c), (2, 0));
    assert!(
        !c.state()
            .allocations_of("neo4j")
            .iter()
            .any(|a| &*a.server == "a2")
    );

    let mut c = cluster_with("initial.server.denied_databases=neo4j", &[]);
    for id in ["b1", "b2"] {
        run(
            &mut c,
            &call("sim.addServer", vec![map(&[("serverId", Value::str(id))])]),
        );
    }
    let r = run(
        &mut c,
        &call(
            "sim.addServer",
            vec![map(&[("serverId", Value::str("b3"))])],
        ),
    );
    assert!(
        r.notifications.iter().any(|n| n.severity == "WARNING"),
        "{r:?}"
    );
    assert!(!c.state().databases.contains_key("neo4j"));
    // No retry: a server that could host it joins later, nothing happens.
    run(
        &mut c,
        &call(
            "sim.addServer",
            vec![map(&[
                ("serverId", Value::str("b4")),
                ("deniedDatabases", Value::List(vec![])),
            ])],
        ),
    );
    assert!(!c.state().databases.contains_key("neo4j"));
}

#[test]
fn secondary_mode_constraint_gives_fewer_primaries_or_none() {
    let mut c = cluster_with(
        "initial.dbms.default_primaries_count=3\ninitial.dbms.default_secondaries_count=1",
        &[],
    );
    run(
        &mut c,
        &call(
            "sim.addServer",
            vec![map(&[
                ("serverId", Value::str("a1")),
                ("modeConstraint", Value::str("SECONDARY")),
            ])],
        ),
    );
    run(&mut c, &add_server("a2", "localhost:7688"));
    run(&mut c, &add_server("a3", "localhost:7689"));
    assert_eq!(default_alloc(&c), (2, 1));
    let mut c = cluster_with(
        "initial.server.mode_constraint=SECONDARY",
        &["b1", "b2", "b3"],
    );
    assert!(!c.state().databases.contains_key("neo4j"));
    let e = try_run(&mut c, &show(ShowKind::Databases(Some(name("neo4j"))))).unwrap();
    assert!(e.rows.is_empty());
}

#[test]
fn show_servers_is_refused_before_bootstrap_and_general_cypher_is_refused() {
    let mut c = cluster_with("", &["a1"]);
    let e = try_run(&mut c, &show(ShowKind::Servers)).unwrap_err();
    assert!(e.message.contains("1 of 3"), "{}", e.message);
    let e = try_run(&mut c, &Statement::Cypher).unwrap_err();
    assert!(e.message.contains("administration commands only"));
}

#[test]
fn stopped_server_rows_show_as_unavailable() {
    let mut c = cluster(3);
    run(&mut c, &create_db("foo", 3, 0));
    run(&mut c, &call("sim.stopServer", vec![Value::str("s01")]));
    let r = run(
        &mut c,
        &show_yield(
            ShowKind::Databases(Some(name("foo"))),
            &[
                "serverID",
                "address",
                "currentStatus",
                "statusMessage",
                "writer",
            ],
        ),
    );
    let row = r.rows.iter().find(|r| r[0] == Value::str("s01")).unwrap();
    assert_eq!(row[1], Value::Null);
    assert_eq!(row[2], Value::str("unknown"));
    assert_eq!(row[3], Value::str("Server is unavailable"));
    // The writer moves to the next available primary.
    assert_eq!(
        r.rows.iter().filter(|r| r[4] == Value::Bool(true)).count(),
        1
    );
    let s = run(&mut c, &show(ShowKind::Servers));
    assert!(s.rows.iter().any(|r| r[3] == Value::str("Unavailable")));
    run(&mut c, &call("sim.startServer", vec![Value::str("s01")]));
}

#[test]
fn show_procedures_lists_the_catalog() {
    let mut c = cluster(3);
    let r = run(&mut c, &show(ShowKind::Procedures));
    assert_eq!(r.fields, ["name", "description", "mode", "worksOnSystem"]);
    let names: Vec<String> = r
        .rows
        .iter()
        .map(|r| r[0].as_str().unwrap().to_string())
        .collect();
    for p in [
        "dbms.cluster.cordonServer",
        "dbms.recreateDatabase",
        "sim.addServer",
        "dbms.showTopologyGraphConfig",
    ] {
        assert!(names.iter().any(|n| n == p), "{p}");
    }
    let r = run(&mut c, &call("dbms.showTopologyGraphConfig", vec![]));
    assert_eq!(r.rows[0][1], Value::Int(1));
}

#[test]
fn explicit_transactions_commit_and_roll_back() {
    let mut c = cluster(3);
    let before = c.state().clone();
    c.begin().unwrap();
    run(&mut c, &create_db("foo", 1, 0));
    run(&mut c, &create_db("bar", 1, 0));
    c.rollback().unwrap();
    assert_eq!(c.state(), &before);
    c.begin().unwrap();
    run(&mut c, &create_db("foo", 1, 0));
    c.commit().unwrap();
    assert!(c.state().databases.contains_key("foo"));
}
