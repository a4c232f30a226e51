//! Rehearsal: `:dryrun` and `cysh --dry-run` on the embedded cluster (the plan equals what
//! the real run then does, and the store is untouched), the refusal on a remote backend,
//! and `cysh twin` from recorded SHOW outputs and from a served cluster.

use crate::http::{PASSWORD, TestServer};
use crate::util::{cysh, cysh_bare, run};
use cysh::server::Options;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// Every row of every table of the data directory's `cluster.db`, as text: two dumps are
/// equal exactly when the stored cluster is.
fn dump(dir: &Path) -> String {
    let db = rusqlite::Connection::open_with_flags(
        dir.join("cluster.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("open cluster.db");
    let mut tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .expect("tables");
    let names: Vec<String> = tables
        .query_map([], |r| r.get(0))
        .expect("query")
        .map(|r| r.expect("name"))
        .collect();
    let mut out = String::new();
    for table in names {
        let mut rows = db
            .prepare(&format!("SELECT * FROM \"{table}\""))
            .expect("select");
        let n = rows.column_count();
        let mut lines: Vec<String> = rows
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).map(|v| v.to_owned()).ok()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .expect("rows")
            .map(|r| r.expect("row"))
            .collect();
        lines.sort();
        out.push_str(&format!("[{table}]\n{}\n", lines.join("\n")));
    }
    out
}

/// A `cysh` on the data directory `dir`.
fn on(dir: &Path) -> assert_cmd::Command {
    let mut cmd = cysh_bare();
    cmd.arg("--data-dir").arg(dir);
    cmd
}

/// Five servers with fixed ids, four enabled and renamed s1..s4 (the fifth joins later and
/// stays Free), and two
/// databases.
const SETUP: &str = "
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000001', address: 'localhost:7687'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000002', address: 'localhost:7688'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000003', address: 'localhost:7689'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000004', address: 'localhost:7690'});
ENABLE SERVER '00000000-0000-4000-8000-000000000004';
RENAME SERVER '00000000-0000-4000-8000-000000000001' TO 's1';
RENAME SERVER '00000000-0000-4000-8000-000000000002' TO 's2';
RENAME SERVER '00000000-0000-4000-8000-000000000003' TO 's3';
RENAME SERVER '00000000-0000-4000-8000-000000000004' TO 's4';
CREATE DATABASE foo TOPOLOGY 2 PRIMARIES;
CREATE DATABASE bar;
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000005', address: 'localhost:7691'});
";

fn setup(dir: &Path) {
    let (status, _, err) = run(on(dir)
        .args(["--servers", "0", "--format", "plain"])
        .write_stdin(SETUP));
    assert_eq!(status, 0, "{err}");
}

/// The copies of user databases: (database, address, role).
fn copies(dir: &Path) -> BTreeSet<(String, String, String)> {
    let (status, out, err) = run(on(dir).args([
        "--format",
        "json",
        "SHOW DATABASES YIELD name, type, address, role WHERE type = 'standard'",
    ]));
    assert_eq!(status, 0, "{err}");
    out.lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("json row"))
        .filter(|r| r["role"].is_string())
        .map(|r| {
            (
                r["name"].as_str().unwrap_or_default().to_string(),
                r["address"].as_str().unwrap_or_default().to_string(),
                r["role"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The copies after applying a plan's changes to `before`, servers mapped to addresses
/// through the plan's load table.
fn apply(
    before: &BTreeSet<(String, String, String)>,
    plan: &Value,
) -> BTreeSet<(String, String, String)> {
    let address = |name: &Value| -> String {
        plan["load"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["server"] == *name)
            .and_then(|r| r["address"].as_str())
            .unwrap_or("?")
            .to_string()
    };
    let mut copies = before.clone();
    for c in plan["changes"].as_array().expect("changes") {
        let db = c["database"].as_str().unwrap_or_default().to_string();
        let mode = |k: &str| c[k].as_str().unwrap_or_default().to_string();
        match c["change"].as_str() {
            Some("added") => {
                copies.insert((db, address(&c["server"]), mode("toMode")));
            }
            Some("removed") => {
                assert!(
                    copies.remove(&(db, address(&c["server"]), mode("fromMode"))),
                    "{c}"
                );
            }
            Some("moved") => {
                assert!(
                    copies.remove(&(db.clone(), address(&c["fromServer"]), mode("fromMode"))),
                    "{c}"
                );
                copies.insert((db, address(&c["toServer"]), mode("toMode")));
            }
            Some("mode changed") => {
                let a = address(&c["server"]);
                assert!(
                    copies.remove(&(db.clone(), a.clone(), mode("fromMode"))),
                    "{c}"
                );
                copies.insert((db, a, mode("toMode")));
            }
            other => panic!("unknown change {other:?}"),
        }
    }
    copies
}

#[test]
fn dry_run_of_each_seed_command_predicts_the_real_run_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    setup(dir.path());
    let steps = [
        "ALTER DATABASE foo SET TOPOLOGY 2 PRIMARIES 1 SECONDARY",
        "CREATE DATABASE baz TOPOLOGY 3 PRIMARIES",
        "ALTER SERVER 's4' SET OPTIONS {modeConstraint: 'SECONDARY'}",
        "ENABLE SERVER '00000000-0000-4000-8000-000000000005'",
        "REALLOCATE DATABASES",
        "ALTER DATABASE neo4j SET TOPOLOGY 2 PRIMARIES",
        "DEALLOCATE DATABASES FROM SERVER 's1'",
        "ALTER DATABASE baz SET TOPOLOGY 2 PRIMARIES",
        "DROP DATABASE bar",
        "CREATE DATABASE qux TOPOLOGY 1 PRIMARY 1 SECONDARY; ALTER DATABASE qux SET TOPOLOGY 2 PRIMARIES",
        "DROP SERVER 's1'",
    ];
    let mut moved_something = false;
    for step in steps {
        let before = copies(dir.path());
        let stored = dump(dir.path());
        let (status, out, err) = run(on(dir.path()).args(["--dry-run", "--format", "json", step]));
        assert_eq!(status, 0, "{step}: {err}\n{out}");
        assert_eq!(
            dump(dir.path()),
            stored,
            "{step}: the dry run changed the store"
        );
        let plan: Value = serde_json::from_str(out.trim()).expect("one plan object");
        assert_eq!(plan["ok"], true, "{step}: {plan}");
        moved_something |= plan["changes"].as_array().is_some_and(|c| !c.is_empty());
        let predicted = apply(&before, &plan);
        let (status, _, err) = run(on(dir.path()).args(["--format", "plain", step]));
        assert_eq!(status, 0, "{step}: {err}");
        assert_eq!(copies(dir.path()), predicted, "{step}: {plan}");
    }
    assert!(moved_something);
}

#[test]
fn dryrun_command_shows_moves_and_load_and_leaves_the_database_unchanged() {
    let dir = tempfile::tempdir().expect("temp dir");
    setup(dir.path());
    let show = || run(on(dir.path()).args(["--format", "plain", "SHOW DATABASE foo"])).1;
    let before = show();
    let stored = dump(dir.path());
    let (status, out, err) = run(on(dir.path()).args(["--format", "verbose"]).write_stdin(
        ":dryrun ALTER DATABASE foo SET TOPOLOGY 2 PRIMARIES 1 SECONDARY\nSHOW DATABASE foo YIELD name, address;\n",
    ));
    assert_eq!(status, 0, "{err}");
    // Column widths depend on the names: compare with runs of spaces collapsed.
    let squeezed = out
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    for want in [
        "| database | change | server | fromServer | toServer | mode |",
        "| \"foo\" | \"added\" | \"s1\" | NULL | NULL | \"secondary\" |",
        "| server | address | before | after |",
        "| \"s1\" | \"localhost:7687\" | 1 | 2 |",
        "Dry run: 1 allocation change (1 added); max load 1 -> 2;",
    ] {
        assert!(squeezed.contains(want), "{want}\n{out}");
    }
    // The SHOW after the dry run in the same session still sees two copies.
    assert_eq!(out.matches("| \"foo\" | \"localhost:").count(), 2, "{out}");
    assert_eq!(show(), before);
    assert_eq!(dump(dir.path()), stored);
}

#[test]
fn dry_run_script_reports_failures_and_exits_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    setup(dir.path());
    let script = dir.path().join("migrate.cypher");
    std::fs::write(
        &script,
        "DROP DATABASE foo;\nCREATE DATABASE big TOPOLOGY 9 PRIMARIES;\n",
    )
    .expect("write");
    let stored = dump(dir.path());
    let (status, out, err) = run(on(dir.path())
        .args(["--dry-run", "--fail-at-end", "--format", "json", "-f"])
        .arg(&script));
    assert_eq!(status, 1, "{out}{err}");
    let plan: Value = serde_json::from_str(out.trim()).expect("one plan object");
    assert_eq!(plan["ok"], false);
    assert_eq!(plan["statements"][0]["statement"], "DROP DATABASE foo");
    assert!(plan["statements"][1]["error"]["code"].is_string(), "{plan}");
    assert_eq!(plan["changes"].as_array().map(Vec::len), Some(2), "{plan}");
    assert!(err.contains("line 2"), "{err}");
    assert_eq!(dump(dir.path()), stored);
    // Plain format: the statements' output, then the tables and the verdict.
    let (status, out, _) = run(on(dir.path())
        .args(["--dry-run", "--format", "plain", "-f"])
        .arg(&script));
    assert_eq!(status, 1);
    assert!(
        out.contains("database, change, server, fromServer, toServer, mode"),
        "{out}"
    );
    assert!(out.contains("\"foo\", \"removed\""), "{out}");
}

#[test]
fn dry_run_is_refused_in_a_transaction_and_on_a_remote_server() {
    let (status, _, err) = run(cysh()
        .args(["--format", "plain", "--fail-at-end"])
        .write_stdin(":begin\n:dryrun SHOW SERVERS\n:rollback\n:dryrun\n"));
    assert_eq!(status, 1);
    assert!(err.contains("There is an open transaction"), "{err}");
    assert!(err.contains("usage: :dryrun"), "{err}");
    let server = TestServer::start_with(3, Options::default());
    let (status, _, err) = run(server.shell().args(["--dry-run", "CREATE DATABASE foo"]));
    assert_eq!(status, 1);
    assert!(err.contains("A dry run needs a twin"), "{err}");
    assert!(
        err.contains(&format!(
            "cysh twin --from {}",
            server.address().trim_end_matches('/')
        )),
        "{err}"
    );
}

/// Rows of `query` on the embedded cluster in `dir`, as JSON objects.
fn rows(dir: &Path, query: &str) -> Vec<Value> {
    let (status, out, err) = run(on(dir).args(["--format", "json", query]));
    assert_eq!(status, 0, "{query}: {err}");
    out.lines()
        .map(|l| serde_json::from_str(l).expect("json row"))
        .collect()
}

#[test]
fn twin_from_recorded_show_outputs_reproduces_them() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/twin");
    let mut files: Vec<_> = std::fs::read_dir(&fixtures)
        .expect("fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for file in files {
        let snapshot: Value =
            serde_json::from_str(&std::fs::read_to_string(&file).expect("read")).expect("json");
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("twin");
        let (status, _, err) = run(cysh_bare()
            .args(["twin", "--from-json"])
            .arg(&file)
            .arg("--data-dir")
            .arg(&target));
        assert_eq!(status, 0, "{}: {err}", file.display());
        assert!(
            err.contains("users, roles and secrets are not copied"),
            "{err}"
        );
        for (part, query) in cysh::twin::QUERIES {
            let got = rows(&target, query);
            let want = match &snapshot[part] {
                Value::Array(rows) => rows.clone(),
                Value::Object(_) => vec![snapshot[part].clone()],
                Value::String(name) => vec![serde_json::json!({ "name": name })],
                _ => continue,
            };
            assert_eq!(got, want, "{}: {query}", file.display());
        }
    }
}

#[test]
fn twin_reports_what_it_cannot_read() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/twin/five-servers.json");
    let dir = tempfile::tempdir().expect("temp dir");
    let (status, _, err) = run(cysh_bare()
        .args(["twin", "--from-json"])
        .arg(&file)
        .arg("--data-dir")
        .arg(dir.path().join("t")));
    assert_eq!(status, 0, "{err}");
    for want in [
        "twin: SHOW DATABASES: the role of foo's copy on server replica1 is not shown; taken as secondary",
        "twin: SHOW ALIASES: remote alias remote_baz: its password is a secret and is not copied",
        "twin: settings: dbms.max_databases",
    ] {
        assert!(err.contains(want), "{want}\n{err}");
    }
    // A non-empty directory, a missing file and a malformed one are refused, naming them.
    let (status, _, err) = run(cysh_bare()
        .args(["twin", "--from-json"])
        .arg(&file)
        .arg("--data-dir")
        .arg(dir.path().join("t")));
    assert_eq!(status, 1);
    assert!(err.contains("is not empty"), "{err}");
    let bad = dir.path().join("bad.json");
    for (text, want) in [
        ("{\"servers\": 1}", "not a cysh twin snapshot"),
        ("not json", "not JSON"),
        ("{}", "no SHOW SERVERS rows"),
    ] {
        std::fs::write(&bad, text).expect("write");
        let (status, _, err) = run(cysh_bare()
            .args(["twin", "--from-json"])
            .arg(&bad)
            .arg("--data-dir")
            .arg(dir.path().join("u")));
        assert_eq!(status, 1, "{text}");
        assert!(err.contains(want), "{text}: {err}");
        assert!(err.contains("bad.json"), "{err}");
    }
}

#[test]
fn twin_of_a_served_cluster_equals_it_and_rehearses_on_it() {
    let server = TestServer::start_with(3, Options::default());
    let remote = |args: &[&str]| {
        run(cysh_bare()
            .args(["-a", server.address(), "-u", "neo4j", "-p", PASSWORD])
            .args(args))
    };
    let (status, _, err) = remote(&[
        "--format",
        "plain",
        "CREATE DATABASE foo TOPOLOGY 1 PRIMARY; CREATE DATABASE bar TOPOLOGY 2 PRIMARIES; \
         CREATE ALIAS foo_alias FOR DATABASE foo; CALL sim.addServer(); STOP DATABASE bar",
    ]);
    assert_eq!(status, 0, "{err}");
    let dir = tempfile::tempdir().expect("temp dir");
    // Over the Query API and over Bolt (a neo4j:// address routes, a bare one means
    // neo4j:// too): the same twin.
    let bolt = format!("neo4j://{}", server.bolt);
    let mut twin = dir.path().join("twin");
    for (i, from) in [server.address(), bolt.as_str(), server.bolt.as_str()]
        .into_iter()
        .enumerate()
    {
        twin = dir.path().join(format!("twin{i}"));
        let (status, _, err) = run(cysh_bare()
            .args(["twin", "--from", from, "-u", "neo4j", "-p", PASSWORD])
            .arg("--data-dir")
            .arg(&twin));
        assert_eq!(status, 0, "{from}: {err}");
        for query in [
            "SHOW SERVERS YIELD *",
            "SHOW DATABASES YIELD *",
            "SHOW ALIASES FOR DATABASES YIELD *",
            "SHOW DEFAULT DATABASE",
        ] {
            let (status, served, err) = remote(&["--format", "json", query]);
            assert_eq!(status, 0, "{err}");
            let (status, copied, err) = run(on(&twin).args(["--format", "json", query]));
            assert_eq!(status, 0, "{err}");
            assert_eq!(copied, served, "{from}: {query}");
        }
    }
    // The acceptance run: a dry run on the twin shows the moves and the load, and
    // SHOW DATABASE foo is unchanged afterwards.
    let show = || run(on(&twin).args(["--format", "plain", "SHOW DATABASE foo"])).1;
    let before = show();
    let (status, out, err) = run(on(&twin).args([
        "--format",
        "verbose",
        ":dryrun ALTER DATABASE foo SET TOPOLOGY 2 PRIMARIES 1 SECONDARY",
    ]));
    assert_eq!(status, 0, "{err}");
    assert!(out.contains("Allocation changes:"), "{out}");
    assert!(out.contains("Load per server"), "{out}");
    assert!(out.contains("2 allocation changes (2 added)"), "{out}");
    assert_eq!(show(), before);
}

/// `cysh twin -u neo4j` without `-p` asks for the password on a terminal, as the shell
/// does, and says how to give one when there is no terminal.
#[test]
fn twin_asks_for_the_password_it_was_not_given() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let twin = dir.path().join("twin");
    let (status, _, err) = run(cysh_bare()
        .args(["twin", "--from", server.address(), "-u", "neo4j"])
        .arg("--data-dir")
        .arg(&twin));
    assert_eq!(status, 1, "{err}");
    assert!(
        err.contains("No password given for user neo4j: use -p/--password or NEO4J_PASSWORD."),
        "{err}"
    );
    assert!(!twin.exists(), "nothing written without credentials");

    let mut cmd = std::process::Command::new(crate::util::cysh_path());
    cmd.args(["twin", "--from", server.address(), "-u", "neo4j"])
        .arg("--data-dir")
        .arg(&twin)
        .env("NO_COLOR", "1")
        .env("TERM", "dumb")
        .env_remove("NEO4J_PASSWORD")
        .env_remove("NEO4J_USERNAME");
    let mut p = rexpect::session::spawn_command(cmd, Some(20_000)).expect("spawn in a pty");
    p.exp_string("password: ").expect("password prompt");
    p.send_line(PASSWORD).expect("send");
    p.exp_eof().expect("twin finishes");
    let (status, out, err) =
        run(on(&twin).args(["--format", "plain", "SHOW DATABASES YIELD name"]));
    assert_eq!(status, 0, "{err}");
    assert!(out.contains("\"neo4j\""), "{out}");
}
