//! `cysh serve` over real HTTP on 127.0.0.1: Neo4j's shapes, statuses and error bodies
//! (reference neo4j-query-api.md §4, §6, §7), bad input, transactions, authentication and
//! concurrent administration.

use crate::http::{PASSWORD, TestServer, basic};
use cysh::server::Options;
use std::time::{Duration, Instant};

#[test]
fn discovery_names_the_query_api() {
    let s = TestServer::start();
    let r = s.send("GET", "/", &[], None);
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type, "application/json");
    assert_eq!(
        r.keys(),
        [
            "query_api",
            "query",
            "dbms/cluster",
            "db/cluster",
            "transaction",
            "neo4j_version",
            "neo4j_edition",
            "auth_config",
            "query_api_versions"
        ]
    );
    assert_eq!(
        r.json()["query"],
        format!("{}/db/{{databaseName}}/query/v2", s.base)
    );
}

#[test]
fn auto_commit_has_neo4js_shape_plain_and_typed() {
    let s = TestServer::start();
    let r = s.post("/db/system/query/v2", r#"{"statement": "SHOW SERVERS"}"#);
    assert_eq!(r.status, 202, "{}", r.body);
    assert_eq!(r.content_type, "application/json");
    // §7.3/§7.7: data, queryType, resultAvailableAfter, resultConsumedAfter, bookmarks.
    assert_eq!(
        r.keys(),
        [
            "data",
            "queryType",
            "resultAvailableAfter",
            "resultConsumedAfter",
            "bookmarks"
        ]
    );
    let j = r.json();
    assert_eq!(
        j["data"]["fields"],
        serde_json::json!(["name", "address", "state", "health", "hosting"])
    );
    assert_eq!(j["data"]["values"].as_array().map(Vec::len), Some(3));
    assert!(
        j["data"]["values"][0][4].is_array(),
        "plain rows are lists of bare values"
    );
    assert_eq!(j["queryType"], "s");
    assert!(
        j["bookmarks"][0]
            .as_str()
            .is_some_and(|b| b.starts_with("FB:"))
    );

    let t = s.post_typed("/db/system/query/v2", r#"{"statement": "SHOW SERVERS"}"#);
    assert_eq!(t.status, 202);
    assert_eq!(t.content_type, "application/vnd.neo4j.query");
    let j = t.json();
    assert_eq!(j["data"]["values"][0][1]["$type"], "String");
    assert_eq!(j["data"]["values"][0][4]["$type"], "List");
    assert_eq!(
        j["data"]["values"][0][4]["_value"][0],
        serde_json::json!({"$type": "String", "_value": "system"})
    );

    // Admin commands posted to a user database run on system (§11).
    let r = s.post("/db/neo4j/query/v2", r#"{"statement": "SHOW SERVERS;"}"#);
    assert_eq!(r.status, 202, "{}", r.body);
}

/// Accept `application/jsonl` (or a typed `…+jsonl`) streams events (reference §5.3): a
/// Header with the fields, a Record per row, a Summary with the rest; an error is one
/// Error event, and nothing follows it.
#[test]
fn json_lines_events_plain_typed_and_error() {
    let s = TestServer::start();
    let auth = basic("neo4j", PASSWORD);
    let send = |accept: &str, path: &str, body: &str| {
        s.send(
            "POST",
            path,
            &[
                ("content-type", "application/json"),
                ("accept", accept),
                ("authorization", &auth),
            ],
            Some(body.as_bytes().to_vec()),
        )
    };
    let events = |body: &str| -> Vec<serde_json::Value> {
        body.lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    };

    let r = send(
        "application/jsonl",
        "/db/system/query/v2",
        r#"{"statement": "SHOW SERVERS"}"#,
    );
    assert_eq!(r.status, 202, "{}", r.body);
    assert_eq!(r.content_type, "application/jsonl");
    let e = events(&r.body);
    let kinds: Vec<&str> = e
        .iter()
        .map(|e| e["$event"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(kinds, ["Header", "Record", "Record", "Record", "Summary"]);
    assert_eq!(
        e[0]["_body"],
        serde_json::json!({"fields": ["name", "address", "state", "health", "hosting"]})
    );
    assert!(e[1]["_body"][4].is_array(), "plain values: {}", e[1]);
    assert_eq!(e[4]["_body"]["queryType"], "s");
    assert!(
        e[4]["_body"]["bookmarks"][0]
            .as_str()
            .is_some_and(|b| b.starts_with("FB:"))
    );
    // The same rows as the JSON document.
    let doc = s.post("/db/system/query/v2", r#"{"statement": "SHOW SERVERS"}"#);
    let rows: Vec<serde_json::Value> = e[1..4].iter().map(|e| e["_body"].clone()).collect();
    let mut rows_sorted = rows.clone();
    rows_sorted.sort_by_key(|r| r.to_string());
    let mut doc_rows = doc.json()["data"]["values"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    doc_rows.sort_by_key(|r| r.to_string());
    assert_eq!(rows_sorted, doc_rows);

    let t = send(
        "application/vnd.neo4j.query.v1.2+jsonl",
        "/db/system/query/v2",
        r#"{"statement": "SHOW SERVERS"}"#,
    );
    assert_eq!(t.content_type, "application/vnd.neo4j.query.v1.2+jsonl");
    let e = events(&t.body);
    assert_eq!(e[1]["_body"][1]["$type"], "String", "{}", t.body);

    // An open transaction is reported in the Summary.
    let begin = send("application/jsonl", "/db/system/query/v2/tx", "{}");
    let e = events(&begin.body);
    assert_eq!(e.len(), 1, "{}", begin.body);
    assert_eq!(e[0]["$event"], "Summary");
    assert_eq!(
        e[0]["_body"]["transaction"]["id"].as_str().map(str::len),
        Some(6)
    );

    let bad = send(
        "application/jsonl",
        "/db/system/query/v2",
        r#"{"statement": "DROP DATABASE foo bar"}"#,
    );
    assert_eq!(bad.status, 400);
    assert_eq!(bad.content_type, "application/jsonl");
    let e = events(&bad.body);
    assert_eq!(e.len(), 1, "{}", bad.body);
    assert_eq!(e[0]["$event"], "Error");
    assert_eq!(
        e[0]["_body"][0]["code"],
        "Neo.ClientError.Statement.SyntaxError"
    );
}

#[test]
fn admin_commands_have_neo4js_shapes() {
    let s = TestServer::start();
    // §7.7, Cypher 5 WAIT table, typed.
    let r = s.post_typed(
        "/db/system/query/v2",
        r#"{"statement":"CREATE DATABASE dbimpy IF NOT EXISTS WAIT"}"#,
    );
    assert_eq!(r.status, 202, "{}", r.body);
    assert_eq!(
        r.keys(),
        [
            "data",
            "queryType",
            "resultAvailableAfter",
            "resultConsumedAfter",
            "bookmarks"
        ]
    );
    let j = r.json();
    assert_eq!(
        j["data"]["fields"],
        serde_json::json!(["address", "state", "message", "success"])
    );
    assert_eq!(
        j["data"]["values"][0][3],
        serde_json::json!({"$type": "Boolean", "_value": true})
    );
    // The database now exists as a path.
    let r = s.post(
        "/db/dbimpy/query/v2",
        r#"{"statement":"SHOW DATABASE dbimpy YIELD name"}"#,
    );
    assert_eq!(r.status, 202, "{}", r.body);
    assert_eq!(r.json()["data"]["values"], serde_json::json!([["dbimpy"]]));
    // Creating it again: a clean 400 with Neo4j's code.
    let r = s.post(
        "/db/system/query/v2",
        r#"{"statement":"CREATE DATABASE dbimpy"}"#,
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.code(), "Neo.ClientError.Database.ExistingDatabaseFound");
    // §7.4: counters sit between data and queryType, with exactly 14 keys.
    let r = s.post(
        "/db/system/query/v2",
        r#"{"statement":"DROP DATABASE dbimpy","includeCounters":true}"#,
    );
    assert_eq!(r.status, 202, "{}", r.body);
    assert_eq!(
        r.keys(),
        [
            "data",
            "counters",
            "queryType",
            "resultAvailableAfter",
            "resultConsumedAfter",
            "bookmarks"
        ]
    );
    let counters = r.json()["counters"].as_object().map(|o| o.len());
    assert_eq!(counters, Some(14));
    assert_eq!(r.json()["counters"]["systemUpdates"], 1);
    // Dropped: its path is gone.
    let r = s.post("/db/dbimpy/query/v2", r#"{"statement":"SHOW DATABASES"}"#);
    assert_eq!(r.status, 404);
    // READ access mode refuses a write.
    let r = s.post(
        "/db/system/query/v2",
        r#"{"statement":"CREATE DATABASE nope","accessMode":"READ"}"#,
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.code(), "Neo.ClientError.Statement.AccessMode");
}

#[test]
fn unknown_database_is_neo4js_404() {
    let s = TestServer::start();
    let r = s.post_typed(
        "/db/dbimp_nothing/query/v2",
        r#"{"statement":"RETURN 1 AS a"}"#,
    );
    assert_eq!(r.status, 404);
    // §7.5, byte for byte.
    assert_eq!(
        r.body,
        r#"{"errors":[{"code":"Neo.ClientError.Database.DatabaseNotFound","message":"Database does not exist. Database name: 'dbimp_nothing'."}]}"#
    );
}

#[test]
fn syntax_errors_carry_position_and_caret() {
    let s = TestServer::start();
    let r = s.post(
        "/db/system/query/v2",
        r#"{"statement": "DROP DATABASE foo bar"}"#,
    );
    assert_eq!(r.status, 400);
    let message = r.json()["errors"][0]["message"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(message.contains("(line 1, column"), "{message}");
    assert!(
        message.contains("\n\"DROP DATABASE foo bar\"\n"),
        "{message}"
    );
    assert!(message.ends_with('^'), "{message}");
}

#[test]
fn explicit_transaction_flow() {
    let s = TestServer::start();
    // §7.6 begin: only `transaction`, a 6-hex id, an expiry in whole seconds, affinity.
    let begin = s.post_typed("/db/system/query/v2/tx", "{}");
    assert_eq!(begin.status, 202, "{}", begin.body);
    assert_eq!(begin.keys(), ["transaction"]);
    let tx = begin.json()["transaction"].clone();
    let id = tx["id"].as_str().unwrap_or("").to_string();
    assert_eq!(id.len(), 6);
    assert!(
        id.chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    );
    let expires = tx["expires"].as_str().unwrap_or("");
    assert_eq!(expires.len(), 20, "{expires}");
    assert!(expires.ends_with('Z'));
    assert!(begin.headers.contains_key("neo4j-cluster-affinity"));

    // Run: data + transaction; keep-alive without a statement: transaction only.
    let run = s.post_typed(
        &format!("/db/system/query/v2/tx/{id}"),
        r#"{"statement":"SHOW SERVERS"}"#,
    );
    assert_eq!(run.status, 202);
    assert_eq!(
        run.keys(),
        [
            "data",
            "queryType",
            "resultAvailableAfter",
            "resultConsumedAfter",
            "transaction"
        ]
    );
    let keep = s.post_typed(&format!("/db/system/query/v2/tx/{id}"), "");
    assert_eq!(keep.keys(), ["transaction"]);

    // Another database cannot see it.
    let other = s.post_typed(&format!("/db/neo4j/query/v2/tx/{id}/commit"), "{}");
    assert_eq!(other.status, 404);

    // Commit with a final statement: §7.6 shape, no transaction key.
    let commit = s.post_typed(
        &format!("/db/system/query/v2/tx/{id}/commit"),
        r#"{"statement":"SHOW SERVERS"}"#,
    );
    assert_eq!(commit.status, 202, "{}", commit.body);
    assert_eq!(
        commit.keys(),
        [
            "data",
            "queryType",
            "resultAvailableAfter",
            "resultConsumedAfter",
            "bookmarks"
        ]
    );

    // Use after commit: §7.6 404 body, byte for byte.
    let gone = s.post_typed(
        &format!("/db/system/query/v2/tx/{id}"),
        r#"{"statement":"RETURN 1 AS a"}"#,
    );
    assert_eq!(gone.status, 404);
    assert_eq!(
        gone.body,
        format!(
            r#"{{"errors":[{{"code":"Neo.ClientError.Request.Invalid","message":"Transaction with Id: \"{id}\" was not found. It may have timed out and therefore rolled back or the routing header 'neo4j-cluster-affinity' was not provided."}}]}}"#
        )
    );

    // Rollback answers 200 with `{}`; an error inside a transaction closes it.
    let b = s.post("/db/system/query/v2/tx", "{}").json()["transaction"]["id"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let del = s.send(
        "DELETE",
        &format!("/db/system/query/v2/tx/{b}"),
        &[("authorization", &basic("neo4j", PASSWORD))],
        None,
    );
    assert_eq!((del.status, del.body.as_str()), (200, "{}"));
    let c = s.post("/db/system/query/v2/tx", "{}").json()["transaction"]["id"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let bad = s.post(
        &format!("/db/system/query/v2/tx/{c}"),
        r#"{"statement":"DROP DATABASE foo bar"}"#,
    );
    assert_eq!(bad.status, 400);
    assert!(!bad.keys().contains(&"transaction".to_string()));
    assert_eq!(
        s.post(&format!("/db/system/query/v2/tx/{c}"), "{}").status,
        404
    );
}

#[test]
fn transaction_writes_are_isolated_until_commit() {
    let s = TestServer::start();
    let names = |s: &TestServer| -> Vec<String> {
        s.post(
            "/db/system/query/v2",
            r#"{"statement":"SHOW DATABASES YIELD name"}"#,
        )
        .json()["data"]["values"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r[0].as_str().map(String::from))
            .collect()
    };
    let id = s
        .post(
            "/db/system/query/v2/tx",
            r#"{"statement":"CREATE DATABASE inside"}"#,
        )
        .json()["transaction"]["id"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert_eq!(id.len(), 6);
    // The transaction sees its own write; nobody else does.
    let own = s.post(
        &format!("/db/system/query/v2/tx/{id}"),
        r#"{"statement":"SHOW DATABASE inside YIELD name"}"#,
    );
    assert_eq!(
        own.json()["data"]["values"],
        serde_json::json!([["inside"]])
    );
    assert!(!names(&s).contains(&"inside".to_string()));
    // Meanwhile someone else creates another database; the commit keeps both.
    assert_eq!(
        s.post(
            "/db/system/query/v2",
            r#"{"statement":"CREATE DATABASE outside"}"#
        )
        .status,
        202
    );
    let commit = s.post(&format!("/db/system/query/v2/tx/{id}/commit"), "{}");
    assert_eq!(commit.status, 202, "{}", commit.body);
    let now = names(&s);
    assert!(
        now.contains(&"inside".to_string()) && now.contains(&"outside".to_string()),
        "{now:?}"
    );
    // Rolled back: nothing stays.
    let id = s
        .post(
            "/db/system/query/v2/tx",
            r#"{"statement":"DROP DATABASE inside"}"#,
        )
        .json()["transaction"]["id"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let del = s.send(
        "DELETE",
        &format!("/db/system/query/v2/tx/{id}"),
        &[("authorization", &basic("neo4j", PASSWORD))],
        None,
    );
    assert_eq!(del.status, 200);
    assert!(names(&s).contains(&"inside".to_string()));
    // A commit whose replay fails (the database was dropped meanwhile) keeps nothing.
    let id = s
        .post(
            "/db/system/query/v2/tx",
            r#"{"statement":"CREATE ALIAS pointer FOR DATABASE outside"}"#,
        )
        .json()["transaction"]["id"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert_eq!(id.len(), 6);
    assert_eq!(
        s.post(
            "/db/system/query/v2",
            r#"{"statement":"DROP DATABASE outside"}"#
        )
        .status,
        202
    );
    let commit = s.post(&format!("/db/system/query/v2/tx/{id}/commit"), "{}");
    assert_eq!(commit.status, 400, "{}", commit.body);
    assert_eq!(
        s.post("/db/pointer/query/v2", r#"{"statement":"SHOW DATABASES"}"#)
            .status,
        404
    );
}

#[test]
fn idle_transactions_expire() {
    let s = TestServer::start_with(
        3,
        Options {
            tx_idle_timeout: Duration::from_millis(300),
            ..Options::default()
        },
    );
    let id = s.post("/db/system/query/v2/tx", "{}").json()["transaction"]["id"]
        .as_str()
        .unwrap_or("")
        .to_string();
    std::thread::sleep(Duration::from_millis(600));
    let r = s.post(
        &format!("/db/system/query/v2/tx/{id}"),
        r#"{"statement":"SHOW SERVERS"}"#,
    );
    assert_eq!(r.status, 404);
    assert_eq!(r.code(), "Neo.ClientError.Request.Invalid");
}

#[test]
fn authentication_errors_and_rate_limit() {
    let s = TestServer::start();
    let none = s.send(
        "POST",
        "/db/system/query/v2",
        &[("content-type", "application/json")],
        Some(b"{}".to_vec()),
    );
    assert_eq!(none.status, 401);
    assert_eq!(
        none.body,
        r#"{"errors":[{"code":"Neo.ClientError.Security.Unauthorized","message":"No authentication header supplied."}]}"#
    );
    assert_eq!(
        none.headers
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok()),
        Some(r#"Basic realm="Neo4j", Bearer realm="Neo4j""#)
    );
    let wrong = [("authorization", basic("neo4j", "nope"))];
    let wrong: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (*k, v.as_str())).collect();
    for _ in 0..3 {
        let r = s.send(
            "POST",
            "/db/system/query/v2",
            &wrong,
            Some(br#"{"statement":"SHOW SERVERS"}"#.to_vec()),
        );
        assert_eq!(r.status, 401);
        assert_eq!(
            r.body,
            r#"{"errors":[{"code":"Neo.ClientError.Security.Unauthorized","message":"Invalid credential."}]}"#
        );
    }
    let locked = s.send(
        "POST",
        "/db/system/query/v2",
        &wrong,
        Some(br#"{"statement":"SHOW SERVERS"}"#.to_vec()),
    );
    assert_eq!(locked.status, 429);
    assert_eq!(
        locked.code(),
        "Neo.ClientError.Security.AuthenticationRateLimit"
    );
}

#[test]
fn bad_requests_get_neo4js_status_and_code() {
    let s = TestServer::start();
    let cases = include_str!("../data/bad_requests.txt");
    let mut n = 0;
    for (lineno, line) in cases.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split(" | ").map(str::trim).collect();
        assert_eq!(f.len(), 7, "line {}: {line}", lineno + 1);
        let auth = match f[3] {
            "ok" => Some(basic("neo4j", PASSWORD)),
            "wrong" => Some(basic("neo4j", "wrong")),
            "garbage" => Some("Basic %%%".to_string()),
            "bearer" => Some("Bearer abc".to_string()),
            _ => None,
        };
        let mut headers = vec![("content-type", f[2])];
        if let Some(a) = &auth {
            headers.push(("authorization", a.as_str()));
        }
        let body = match f[4] {
            "@empty" => Vec::new(),
            "@big" => format!(r#"{{"statement": "{}"}}"#, "x".repeat(2 * 1024 * 1024)).into_bytes(),
            b => b.as_bytes().to_vec(),
        };
        let r = s.send(f[0], f[1], &headers, Some(body));
        assert_eq!(
            r.status.to_string(),
            f[5],
            "line {}: {line}\n{}",
            lineno + 1,
            r.body
        );
        assert_eq!(r.code(), f[6], "line {}: {line}\n{}", lineno + 1, r.body);
        n += 1;
    }
    assert!(n >= 20);
    // Still serving after all of that.
    assert_eq!(
        s.post("/db/system/query/v2", r#"{"statement":"SHOW SERVERS"}"#)
            .status,
        202
    );
}

/// A client still writing an oversized body when the server has decided to refuse it
/// must read the refusal, not a broken pipe: the server reads the body to its end first.
/// The body goes out in slow chunks over a raw socket so the race is not left to chance.
#[test]
fn a_slow_oversized_body_still_gets_its_refusal() {
    use std::io::{Read, Write};
    let s = TestServer::start();
    let addr = s.base.trim_start_matches("http://");
    for (auth, expected) in [
        (basic("neo4j", PASSWORD), "HTTP/1.1 400"),
        (basic("neo4j", "wrong"), "HTTP/1.1 401"),
    ] {
        let mut sock = std::net::TcpStream::connect(addr).expect("connect");
        sock.set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let size = 2 * 1024 * 1024;
        write!(
            sock,
            "POST /db/system/query/v2 HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\n\
             authorization: {auth}\r\ncontent-length: {size}\r\n\r\n"
        )
        .expect("headers");
        // Let the server see the headers (and the declared length) before the body.
        std::thread::sleep(Duration::from_millis(100));
        let chunk = vec![b'x'; 256 * 1024];
        for _ in 0..size / chunk.len() {
            sock.write_all(&chunk)
                .expect("the server reads the whole body");
            std::thread::sleep(Duration::from_millis(20));
        }
        let mut answer = Vec::new();
        let mut buf = [0u8; 4096];
        while !String::from_utf8_lossy(&answer).contains("Neo.ClientError") {
            let n = sock.read(&mut buf).expect("the refusal arrives");
            assert!(n > 0, "connection closed before the refusal");
            answer.extend_from_slice(&buf[..n]);
        }
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with(expected), "{answer}");
    }
}

/// Eight clients interleave CREATE/DROP DATABASE, REALLOCATE and SHOW for a bounded
/// time. Every answer must be a success or a clean Neo4j error; afterwards, when the
/// cluster can list databases, every kept database is listed and no dropped one is.
#[test]
fn concurrent_administration_stays_consistent() {
    let s = TestServer::start();
    let deadline = Instant::now() + Duration::from_secs(5);
    let results = s.rt.block_on(async {
        let mut tasks = Vec::new();
        for client in 0..8 {
            let http = s.client.clone();
            let base = s.base.clone();
            tasks.push(tokio::spawn(async move {
                let auth = basic("neo4j", PASSWORD);
                let mut kept = Vec::new();
                let mut dropped = Vec::new();
                let mut seen = Vec::new();
                for i in 0..40 {
                    if Instant::now() > deadline {
                        break;
                    }
                    let name = format!("c{client}x{i}");
                    let statements = [
                        format!("CREATE DATABASE {name}"),
                        "REALLOCATE DATABASES".to_string(),
                        "SHOW SERVERS".to_string(),
                        format!("DROP DATABASE {name}"),
                    ];
                    for (k, st) in statements.iter().enumerate() {
                        // Keep every fifth database: skip its DROP.
                        if k == 3 && i % 5 == 0 {
                            continue;
                        }
                        let r = http
                            .post(format!("{base}/db/system/query/v2"))
                            .header("authorization", &auth)
                            .header("content-type", "application/json")
                            .body(serde_json::json!({ "statement": st }).to_string())
                            .send()
                            .await
                            .expect("answer");
                        let status = r.status().as_u16();
                        let text = r.text().await.expect("a body");
                        let body: serde_json::Value =
                            serde_json::from_str(&text).expect("a JSON body");
                        if k == 0 && status == 202 && i % 5 == 0 {
                            kept.push(name.clone());
                        }
                        if k == 3 && status == 202 {
                            dropped.push(name.clone());
                        }
                        seen.push((status, body));
                    }
                }
                (kept, dropped, seen)
            }));
        }
        let mut all = Vec::new();
        for t in tasks {
            all.push(t.await.expect("client finished"));
        }
        all
    });
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    for (k, d, seen) in results {
        kept.extend(k);
        dropped.extend(d);
        for (status, body) in seen {
            match status {
                202 => assert!(body.get("errors").is_none(), "{body}"),
                400 | 404 => {
                    let code = body["errors"][0]["code"].as_str().unwrap_or("");
                    assert!(code.starts_with("Neo.ClientError."), "{body}");
                }
                other => panic!("unclean answer {other}: {body}"),
            }
        }
    }
    let listing = s.post(
        "/db/system/query/v2",
        r#"{"statement":"SHOW DATABASES YIELD name"}"#,
    );
    if listing.status == 202 {
        let names: Vec<String> = listing.json()["data"]["values"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|row| row[0].as_str().map(String::from))
            .collect();
        // SHOW DATABASES has a row per allocation, so a name may repeat; what matters is
        // that every kept database is there and no dropped one is.
        for k in &kept {
            assert!(names.contains(k), "{k} lost: {names:?}");
        }
        for d in &dropped {
            assert!(!names.contains(d), "{d} dropped but listed: {names:?}");
        }
        // No half-allocated database: every kept one is online on each of its servers.
        let full = s.post(
            "/db/system/query/v2",
            r#"{"statement":"SHOW DATABASES YIELD name, requestedStatus, currentStatus"}"#,
        );
        for row in full.json()["data"]["values"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let name = row[0].as_str().unwrap_or("");
            if kept.iter().any(|k| k == name) {
                assert_eq!(row[1], "online", "{row}");
                assert_eq!(row[2], "online", "{row}");
            }
        }
    }
}

/// A CA (`ca.pem`), a server certificate it signed for localhost and 127.0.0.1
/// (`leaf.pem`, `leaf.key`), and an unrelated CA (`other-ca.pem`), made in-process so the
/// HTTPS test never depends on an installed tool.
pub fn test_certificates(dir: &std::path::Path) {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    };
    let ca = |name: &str| {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        let key = KeyPair::generate().expect("CA key");
        let cert = params.self_signed(&key).expect("CA certificate");
        (cert, Issuer::new(params, key))
    };
    let (ca_cert, issuer) = ca("cysh test CA");
    let (other_cert, _) = ca("another CA");
    let mut leaf = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
        .expect("leaf parameters");
    leaf.distinguished_name
        .push(DnType::CommonName, "localhost");
    leaf.is_ca = IsCa::ExplicitNoCa;
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let leaf_key = KeyPair::generate().expect("leaf key");
    let leaf_cert = leaf
        .signed_by(&leaf_key, &issuer)
        .expect("leaf certificate");
    for (file, text) in [
        ("ca.pem", ca_cert.pem()),
        ("other-ca.pem", other_cert.pem()),
        ("leaf.pem", leaf_cert.pem()),
        ("leaf.key", leaf_key.serialize_pem()),
    ] {
        std::fs::write(dir.join(file), text).expect("certificate file written");
    }
}

#[test]
fn https_with_a_given_certificate() {
    let dir = tempfile::tempdir().expect("tempdir");
    test_certificates(dir.path());
    let tls =
        cysh::server::tls::load_config(&dir.path().join("leaf.pem"), &dir.path().join("leaf.key"))
            .expect("certificate loads");
    let s = TestServer::start_with(
        3,
        Options {
            tls: Some(tls),
            ..Options::default()
        },
    );
    let address = s.base.replace("http://", "https://");
    // Trusted through SSL_CERT_FILE: the shell connects.
    let (status, out, err) = crate::util::run(
        crate::util::cysh()
            .env("SSL_CERT_FILE", dir.path().join("ca.pem"))
            .args([
                "-a",
                &address,
                "-u",
                "neo4j",
                "-p",
                PASSWORD,
                "--format",
                "plain",
                "SHOW SERVERS",
            ]),
    );
    assert_eq!(status, 0, "{err}");
    assert!(out.contains("localhost:7687"), "{out}");
    // Not trusted (signed by a CA this client does not know): one line, exit 1.
    let (status, _, err) = crate::util::run(
        crate::util::cysh()
            .env("SSL_CERT_FILE", dir.path().join("other-ca.pem"))
            .args([
                "-a",
                &address,
                "-u",
                "neo4j",
                "-p",
                PASSWORD,
                "SHOW SERVERS",
            ]),
    );
    assert_eq!(status, 1);
    assert!(
        err.starts_with(&format!("TLS connection to {address}/ failed"))
            || err.starts_with(&format!("TLS connection to {address} failed")),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn serve_binary_prints_its_address_and_stops_on_sigterm() {
    use std::io::BufRead;
    let mut child = std::process::Command::new(crate::util::cysh_path())
        .args(["serve", "--listen", "127.0.0.1:0", "--ephemeral"])
        .env_remove("NEO4J_AUTH")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("cysh serve starts");
    let mut out = std::io::BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    let mut second = String::new();
    let _ = out.read_line(&mut first);
    let _ = out.read_line(&mut second);
    // Without NEO4J_AUTH a password is generated and printed once.
    let password = first
        .trim()
        .strip_prefix("Generated password for user neo4j: ")
        .unwrap_or_else(|| panic!("{first}"))
        .to_string();
    let base = second
        .trim()
        .strip_prefix("Listening on ")
        .unwrap_or_else(|| panic!("{second}"))
        .to_string();
    let (status, _, err) = crate::util::run(crate::util::cysh().args([
        "-a",
        &base,
        "-u",
        "neo4j",
        "-p",
        &password,
        "SHOW SERVERS",
    ]));
    assert_eq!(status, 0, "{err}");
    terminate(&child);
    let deadline = Instant::now() + Duration::from_secs(10);
    let code = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break status.code();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("cysh serve did not stop on SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(code, Some(0));
    let mut rest = String::new();
    let _ = std::io::Read::read_to_string(&mut out, &mut rest);
    assert_eq!(rest, "Stopped.\n");
}

/// Spawns `cysh serve` and reads its start-up lines up to `Listening on ...`.
fn spawn_serve(
    args: &[&str],
) -> (
    std::process::Child,
    std::io::BufReader<std::process::ChildStdout>,
    Vec<String>,
    String,
) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(crate::util::cysh_path())
        .arg("serve")
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .env_remove("NEO4J_AUTH")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("cysh serve starts");
    let mut out = std::io::BufReader::new(child.stdout.take().expect("stdout"));
    let mut lines = Vec::new();
    for _ in 0..5 {
        let mut line = String::new();
        if out.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        let line = line.trim().to_string();
        if let Some(base) = line.strip_prefix("Listening on ") {
            let base = base.to_string();
            return (child, out, lines, base);
        }
        lines.push(line);
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("no Listening line: {lines:?}");
}

/// Sends SIGTERM to our own child (what an operator's Ctrl-C or a service manager sends).
fn terminate(child: &std::process::Child) {
    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;
    let pid = Pid::from_raw(i32::try_from(child.id()).expect("pid fits"));
    kill(pid, Signal::SIGTERM).expect("SIGTERM sent");
}

fn stop(mut child: std::process::Child) {
    terminate(&child);
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("cysh serve did not stop on SIGTERM");
}

#[test]
fn served_data_directory_keeps_databases_and_the_password() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().to_string_lossy().to_string();
    // A first look from the shell sets up three servers; nothing has changed them, so
    // `--servers 4` sets the cluster up anew.
    let (status, _, err) =
        crate::util::run(crate::util::cysh_bare().args(["--data-dir", &data, "SHOW SERVERS"]));
    assert_eq!(status, 0, "{err}");
    let (child, _out, lines, base) = spawn_serve(&["--data-dir", &data, "--servers", "4"]);
    let password = lines
        .iter()
        .find_map(|l| l.strip_prefix("Generated password for user neo4j: "))
        .unwrap_or_else(|| panic!("{lines:?}"))
        .to_string();
    // One statement through the served API as neo4j, in plain format.
    let served = |base: &str, statement: &str| {
        crate::util::run(crate::util::cysh().args([
            "-a", base, "-u", "neo4j", "-p", &password, "--format", "plain", statement,
        ]))
    };
    let (status, _, err) = served(&base, "CREATE DATABASE kept WAIT");
    assert_eq!(status, 0, "{err}");
    // Only the hash is stored, readable by the owner only.
    let users = std::fs::read_to_string(dir.path().join("serve-users")).expect("users file");
    assert!(users.starts_with("neo4j:$argon2id$") && !users.contains(&password));
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(dir.path().join("serve-users"))
        .expect("metadata")
        .permissions()
        .mode();
    assert_eq!(mode & 0o077, 0);
    stop(child);

    // Second start: no new password, the old one works, the database is still there, and
    // the changed cluster keeps its four servers.
    let (child, _out, lines, base) = spawn_serve(&["--data-dir", &data, "--servers", "6"]);
    assert!(lines.iter().all(|l| !l.contains("password")), "{lines:?}");
    let (status, out, err) = served(&base, "SHOW DATABASE kept YIELD name");
    assert_eq!(status, 0, "{err}");
    assert_eq!(out, "name\n\"kept\"\n");
    let (status, out, err) = served(&base, "SHOW SERVERS YIELD name");
    assert_eq!(status, 0, "{err}");
    assert_eq!(out.lines().count(), 1 + 4, "{out}");
    stop(child);
}

/// Random paths, methods, headers and bodies: every answer is a JSON body with one of
/// Neo4j's statuses, and the server still serves afterwards. Bounded: 300 requests from a
/// fixed seed.
#[test]
fn random_requests_get_json_answers() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let s = TestServer::start();
    let auth = basic("neo4j", PASSWORD);
    let path = prop_oneof![
        Just("/db/system/query/v2".to_string()),
        Just("/db/neo4j/query/v2/tx".to_string()),
        Just("/db/system/query/v2/tx/abc123".to_string()),
        Just("/db/system/query/v2/tx/abc123/commit".to_string()),
        Just("/db/%FF%FE/query/v2".to_string()),
        "/db/[a-z%0-9]{0,12}/query/v2",
        "/[a-z/]{0,20}",
    ];
    let method = prop_oneof![Just("POST"), Just("GET"), Just("DELETE"), Just("PUT")];
    let content_type = prop_oneof![
        Just("application/json"),
        Just("application/vnd.neo4j.query"),
        Just("text/plain"),
        Just("application/vnd.neo4j.query.v1.2"),
    ];
    let body = prop_oneof![
        Just(r#"{"statement":"SHOW DATABASES"}"#.to_string()),
        Just(r#"{"statement":"CREATE DATABASE $n","parameters":{"n":"abc"}}"#.to_string()),
        Just(r#"{"statement":"SHOW DATABASES","parameters":{"a":{"$type":"Map","_value":{"b":{"$type":"Integer","_value":"1"}}}}}"#.to_string()),
        ".{0,40}",
        r#"\{"statement": "[A-Z $;]{0,30}"\}"#,
    ];
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases: 300,
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    );
    runner
        .run(
            &(path, method, content_type, body, any::<bool>()),
            |(p, m, ct, b, with_auth)| {
                let mut headers = vec![("content-type", ct)];
                if with_auth {
                    headers.push(("authorization", auth.as_str()));
                }
                let r = s.send(m, &p, &headers, Some(b.into_bytes()));
                prop_assert!(
                    [200, 202, 400, 401, 404, 405, 406, 415, 429].contains(&r.status),
                    "{} {} -> {} {}",
                    m,
                    p,
                    r.status,
                    r.body
                );
                if r.status != 405 {
                    prop_assert!(
                        serde_json::from_str::<serde_json::Value>(&r.body).is_ok(),
                        "{} {} -> {} {}",
                        m,
                        p,
                        r.status,
                        r.body
                    );
                }
                Ok(())
            },
        )
        .expect("every request answered");
    assert_eq!(
        s.post("/db/system/query/v2", r#"{"statement":"SHOW DATABASES"}"#)
            .status,
        202
    );
}

/// `impersonatedUser` runs the statement as that user when the caller holds IMPERSONATE
/// for them (Neo4j's privilege), refuses otherwise, and allows no updating command while
/// impersonating; in a transaction it applies from the begin.
#[test]
fn impersonated_user_runs_reads_as_that_user_only() {
    let s = TestServer::start();
    s.admin(crate::http::IMPERSONATION_USERS);
    let carol = basic("carol", "carol-secret");
    let as_carol = |path: &str, body: serde_json::Value| {
        s.send(
            "POST",
            path,
            &[
                ("content-type", "application/json"),
                ("authorization", &carol),
            ],
            Some(body.to_string().into_bytes()),
        )
    };
    let current_user = |r: &crate::http::Reply| r.json()["data"]["values"][0][0].clone();

    let me = as_carol(
        "/db/system/query/v2",
        serde_json::json!({"statement": "SHOW CURRENT USER"}),
    );
    assert_eq!(current_user(&me), "carol", "{}", me.body);
    let alice = as_carol(
        "/db/system/query/v2",
        serde_json::json!({"statement": "SHOW CURRENT USER", "impersonatedUser": " alice "}),
    );
    assert_eq!(alice.status, 202, "{}", alice.body);
    assert_eq!(current_user(&alice), "alice", "{}", alice.body);
    // A blank name is no impersonation.
    let blank = as_carol(
        "/db/system/query/v2",
        serde_json::json!({"statement": "SHOW CURRENT USER", "impersonatedUser": "  "}),
    );
    assert_eq!(current_user(&blank), "carol", "{}", blank.body);

    for target in ["bob", "nobody"] {
        let refused = as_carol(
            "/db/system/query/v2",
            serde_json::json!({"statement": "SHOW CURRENT USER", "impersonatedUser": target}),
        );
        assert_eq!(refused.status, 400, "{}", refused.body);
        assert_eq!(refused.code(), "Neo.ClientError.Security.Forbidden");
        assert_eq!(
            refused.json()["errors"][0]["message"],
            format!("Cannot impersonate user '{target}'")
        );
    }

    // The admin may impersonate anyone, but not change anything while doing so.
    let write = s.post(
        "/db/system/query/v2",
        r#"{"statement": "CREATE DATABASE imp_db", "impersonatedUser": "alice"}"#,
    );
    assert_eq!(write.status, 400, "{}", write.body);
    assert_eq!(write.code(), "Neo.ClientError.Security.Forbidden");
    assert_eq!(
        write.json()["errors"][0]["message"],
        "Not allowed to run updating system commands when impersonating a user."
    );
    let listed = s.post(
        "/db/system/query/v2",
        r#"{"statement": "SHOW DATABASES YIELD name WHERE name = 'imp_db'"}"#,
    );
    assert_eq!(listed.json()["data"]["values"], serde_json::json!([]));

    // In a transaction, the impersonation given at begin holds for every statement.
    let begin = as_carol(
        "/db/system/query/v2/tx",
        serde_json::json!({"impersonatedUser": "alice"}),
    );
    assert_eq!(begin.status, 202, "{}", begin.body);
    let id = begin.json()["transaction"]["id"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let inside = as_carol(
        &format!("/db/system/query/v2/tx/{id}/commit"),
        serde_json::json!({"statement": "SHOW CURRENT USER"}),
    );
    assert_eq!(current_user(&inside), "alice", "{}", inside.body);

    let bad = as_carol(
        "/db/system/query/v2",
        serde_json::json!({"statement": "SHOW CURRENT USER", "impersonatedUser": 7}),
    );
    assert_eq!(bad.status, 400);
    assert_eq!(bad.code(), "Neo.ClientError.Request.Invalid");
}

/// One self-signed certificate (not a CA, naming the host), given to the client with
/// SSL_CERT_FILE, is trusted: the way the error for an untrusted certificate points to.
#[test]
fn https_with_one_self_signed_certificate_trusted_through_ssl_cert_file() {
    use rcgen::{CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair};
    let dir = tempfile::tempdir().expect("tempdir");
    let mut params =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    params.is_ca = IsCa::ExplicitNoCa;
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let key = KeyPair::generate().unwrap();
    let cert = params.self_signed(&key).unwrap();
    std::fs::write(dir.path().join("cert.pem"), cert.pem()).unwrap();
    std::fs::write(dir.path().join("key.pem"), key.serialize_pem()).unwrap();
    let tls =
        cysh::server::tls::load_config(&dir.path().join("cert.pem"), &dir.path().join("key.pem"))
            .expect("certificate loads");
    let s = TestServer::start_with(
        3,
        Options {
            tls: Some(tls),
            ..Options::default()
        },
    );
    let address = s.base.replace("http://", "https://");
    let (status, _, err) = crate::util::run(
        crate::util::cysh()
            .env("SSL_CERT_FILE", dir.path().join("cert.pem"))
            .args([
                "-a",
                &address,
                "-u",
                "neo4j",
                "-p",
                PASSWORD,
                "SHOW SERVERS",
            ]),
    );
    assert_eq!(status, 0, "{err}");
}

/// A self-signed CA certificate served as the server's own (openssl's default) cannot be
/// trusted by any client: the error says so and gives a recipe that works.
#[test]
fn https_with_a_self_signed_ca_certificate_says_what_works() {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
    let dir = tempfile::tempdir().expect("tempdir");
    let mut params =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let key = KeyPair::generate().unwrap();
    let cert = params.self_signed(&key).unwrap();
    std::fs::write(dir.path().join("cert.pem"), cert.pem()).unwrap();
    std::fs::write(dir.path().join("key.pem"), key.serialize_pem()).unwrap();
    let tls =
        cysh::server::tls::load_config(&dir.path().join("cert.pem"), &dir.path().join("key.pem"))
            .expect("certificate loads");
    let s = TestServer::start_with(
        3,
        Options {
            tls: Some(tls),
            ..Options::default()
        },
    );
    let address = s.base.replace("http://", "https://");
    let (status, _, err) = crate::util::run(
        crate::util::cysh()
            .env("SSL_CERT_FILE", dir.path().join("cert.pem"))
            .args([
                "-a",
                &address,
                "-u",
                "neo4j",
                "-p",
                PASSWORD,
                "SHOW SERVERS",
            ]),
    );
    assert_eq!(status, 1);
    assert!(
        err.contains("presents a CA certificate")
            && err.contains("CA:FALSE")
            && err.contains("SSL_CERT_FILE=cert.pem"),
        "{err}"
    );
}

#[test]
fn discovery_advertises_bolt_only_where_it_is_served() {
    let s = TestServer::start_with(
        3,
        Options {
            bolt_port: Some(7690),
            ..Options::default()
        },
    );
    let r = s.send("GET", "/", &[], None);
    let j = r.json();
    assert!(
        j["bolt_routing"].as_str().unwrap().ends_with(":7690"),
        "{}",
        r.body
    );
    assert!(
        j["bolt_direct"].as_str().unwrap().starts_with("bolt://"),
        "{}",
        r.body
    );
}
