//! SHOW DATABASES and SHOW SERVERS make their rows in their final order, stop at a LIMIT
//! that nothing before it filters or reorders, and make only the columns a statement
//! reads: every SKIP/LIMIT window and every narrow YIELD must equal the same part of the
//! full listing, on clusters where `system` falls between user databases and some copies
//! are on stopped servers (listed last among a database's rows).

use super::*;

fn names(r: &QueryResult) -> Vec<(String, String)> {
    r.rows
        .iter()
        .map(|row| (row[0].to_string(), row[1].to_string()))
        .collect()
}

fn paged(skip: Option<i64>, limit: Option<i64>) -> Statement {
    let Statement::Show(mut show) = show_yield(ShowKind::Databases(None), &["name", "serverID"])
    else {
        unreachable!("show_yield makes a SHOW")
    };
    if let Some(y) = show.yield_.as_mut() {
        y.tail.skip = skip.map(|n| Expr::literal(Value::Int(n)));
        y.tail.limit = limit.map(|n| Expr::literal(Value::Int(n)));
    }
    Statement::Show(show)
}

#[test]
fn every_window_of_show_databases_equals_the_full_listing() {
    let mut c = cluster(4);
    for db in ["alpha", "tango", "zulu", "sierra"] {
        run(&mut c, &create_db(db, 2, 1));
    }
    run(&mut c, &call("sim.stopServer", vec![Value::str("s02")]));
    let full = names(&run(&mut c, &paged(None, None)));
    assert!(full.len() > 10, "{full:?}");
    // `system` sits between `sierra` and `tango`, as a sort of the whole table puts it.
    let order: Vec<&str> = full.iter().map(|(n, _)| n.as_str()).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    for skip in [None, Some(0), Some(1), Some(5), Some(40)] {
        for limit in [Some(0), Some(1), Some(3), Some(9), Some(100)] {
            let got = names(&run(&mut c, &paged(skip, limit)));
            let from = (skip.unwrap_or(0) as usize).min(full.len());
            let to = (from + limit.unwrap_or(0) as usize).min(full.len());
            assert_eq!(
                got,
                full[from..to].to_vec(),
                "SKIP {skip:?} LIMIT {limit:?}"
            );
        }
    }
}

#[test]
fn a_negative_limit_is_still_refused() {
    let mut c = cluster(3);
    let e = try_run(&mut c, &paged(None, Some(-1))).unwrap_err();
    assert!(e.message.contains("LIMIT"), "{}", e.message);
}

/// Runs a statement given as text.
fn text(c: &mut Cluster, statement: &str) -> QueryResult {
    run(c, &crate::dialect::parse(statement).unwrap())
}

#[test]
fn a_narrow_yield_gives_the_columns_of_the_full_row() {
    // SHOW DATABASES and SHOW SERVERS make only the columns a statement reads.
    let mut c = cluster(4);
    run(&mut c, &create_db("alpha", 2, 1));
    run(&mut c, &call("sim.stopServer", vec![Value::str("s03")]));
    for (command, columns) in [
        ("DATABASES", "name, creationTime"),
        ("DATABASES", "options, aliases, name"),
        (
            "DATABASES",
            "currentPrimariesCount, constituents, lastStartTime, databaseID",
        ),
        ("SERVERS", "name, requestedHosting"),
        ("SERVERS", "hosting, address"),
        ("SERVERS", "tags, health, hosting, requestedHosting"),
    ] {
        let all = text(&mut c, &format!("SHOW {command} YIELD *"));
        let narrow = text(&mut c, &format!("SHOW {command} YIELD {columns}"));
        let idx: Vec<usize> = narrow
            .fields
            .iter()
            .map(|f| all.fields.iter().position(|a| a == f).unwrap())
            .collect();
        let projected: Vec<Vec<Value>> = all
            .rows
            .iter()
            .map(|r| idx.iter().map(|&i| r[i].clone()).collect())
            .collect();
        assert_eq!(narrow.rows, projected, "SHOW {command} YIELD {columns}");
    }
    // A WHERE without YIELD reads columns that are not shown.
    let filtered = text(
        &mut c,
        "SHOW DATABASES WHERE requestedPrimariesCount = 2 AND creationTime IS NOT NULL",
    );
    assert_eq!(filtered.rows.len(), 3, "{:?}", filtered.rows);
}

#[test]
fn every_window_of_show_servers_equals_the_full_listing() {
    let mut c = cluster(5);
    run(&mut c, &create_db("alpha", 3, 1));
    let full = text(&mut c, "SHOW SERVERS YIELD name, hosting");
    for (skip, limit) in [(0, 0), (0, 1), (1, 2), (3, 9), (7, 1)] {
        let got = text(
            &mut c,
            &format!("SHOW SERVERS YIELD name, hosting SKIP {skip} LIMIT {limit}"),
        );
        let from = skip.min(full.rows.len());
        let to = (from + limit).min(full.rows.len());
        assert_eq!(
            got.rows,
            full.rows[from..to].to_vec(),
            "SKIP {skip} LIMIT {limit}"
        );
    }
}

#[test]
fn show_databases_streamed_to_a_sink_equals_the_whole_table() {
    let mut c = cluster(4);
    for db in ["alpha", "tango", "zulu", "sierra"] {
        run(&mut c, &create_db(db, 2, 1));
    }
    run(&mut c, &call("sim.stopServer", vec![Value::str("s02")]));
    let session = crate::cluster::Session {
        user: "neo4j".into(),
        database: "system".into(),
        impersonating: false,
    };
    // (statement, true when its clauses look at one row at a time, so the rows go to the
    // sink as they are made)
    let cases = [
        ("SHOW DATABASES", true),
        ("SHOW DATABASE tango", true),
        ("SHOW DEFAULT DATABASE", true),
        ("SHOW HOME DATABASE", true),
        ("SHOW DATABASES WHERE name STARTS WITH 's'", true),
        ("SHOW DATABASES YIELD *", true),
        (
            "SHOW DATABASES YIELD name AS n, address SKIP 2 LIMIT 5 WHERE n <> 'zulu'",
            true,
        ),
        ("SHOW DATABASES YIELD name, currentStatus LIMIT 0", true),
        ("SHOW DATABASES YIELD name SKIP 100", true),
        (
            "SHOW DATABASES YIELD name ORDER BY name DESC LIMIT 4",
            false,
        ),
        ("SHOW DATABASES YIELD name RETURN count(*) AS n", false),
    ];
    for (text, streams) in cases {
        let statement = crate::dialect::parse(text).unwrap();
        let whole = c
            .execute_text(&statement, text, &Params::new(), &session)
            .unwrap();
        let mut sink = crate::result::CollectRows::default();
        let streamed = c
            .execute_streaming(&statement, text, &Params::new(), &session, Some(&mut sink))
            .unwrap();
        if streams {
            assert!(streamed.rows.is_empty(), "{text}: rows left in the result");
        } else {
            assert!(
                sink.rows.is_empty(),
                "{text}: rows pushed past an ORDER BY or RETURN"
            );
        }
        assert_eq!(streamed.fields, whole.fields, "{text}");
        let mut rows = sink.rows;
        rows.extend(streamed.rows);
        assert_eq!(rows, whole.rows, "{text}");
    }
}
