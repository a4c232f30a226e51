//! The official Neo4j drivers against `cysh serve --bolt`: the Python driver (`neo4j`)
//! and the JavaScript driver (`neo4j-driver`), over `bolt://` and `neo4j://`, run the
//! round trip of `tests/tools/drivers/roundtrip.{py,mjs}` (auth, CREATE DATABASE,
//! EXPLAIN and PROFILE plans in the summary, SHOW DATABASES, SHOW SERVERS, explicit transactions rolled back and committed, a syntax
//! error, a wrong password), and see the same rows as the shell.
//!
//! The drivers are installed by `tests/tools/install-drivers.sh` (run by `.ci/run`);
//! without them these tests fail, naming the script.

use super::bolt::{BoltServer, PASSWORD};
use serde_json::Value as Json;
use std::path::PathBuf;

fn drivers_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/tools/drivers")
}

/// Runs a driver's round-trip script and returns its JSON lines.
fn round_trip(program: &str, script: &str, url: &str, newdb: &str) -> Vec<Json> {
    let dir = drivers_dir();
    let out = std::process::Command::new(program)
        .arg(dir.join(script))
        .args([url, "neo4j", PASSWORD, newdb])
        .current_dir(&dir)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {program}: {e}; run tests/tools/install-drivers.sh first")
        });
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{script} over {url} failed (drivers installed? tests/tools/install-drivers.sh)\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn step<'a>(lines: &'a [Json], name: &str) -> &'a Json {
    lines
        .iter()
        .find(|l| l["step"] == name)
        .unwrap_or_else(|| panic!("no step {name} in {lines:?}"))
}

/// The shell's rows for `statement` against the same server, as JSON objects.
fn shell_rows(server: &BoltServer, statement: &str) -> Vec<Json> {
    let (status, out, err) = crate::util::run(crate::util::cysh().args([
        "-a",
        &server.http,
        "-u",
        "neo4j",
        "-p",
        PASSWORD,
        "--format",
        "json",
        statement,
    ]));
    assert_eq!(status, 0, "{err}");
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A value's JSON text with object keys in sorted order, so rows compare whatever order
/// each client wrote their keys in.
fn canonical(v: &Json) -> String {
    match v {
        Json::Object(m) => {
            let sorted: std::collections::BTreeMap<_, _> =
                m.iter().map(|(k, v)| (k.clone(), canonical(v))).collect();
            let fields: Vec<String> = sorted
                .iter()
                .map(|(k, v)| format!("{}:{v}", Json::String(k.clone())))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        Json::Array(items) => format!(
            "[{}]",
            items.iter().map(canonical).collect::<Vec<_>>().join(",")
        ),
        other => other.to_string(),
    }
}

fn sorted(rows: &Json) -> Vec<String> {
    let mut v: Vec<String> = rows.as_array().unwrap().iter().map(canonical).collect();
    v.sort();
    v
}

fn check(program: &str, script: &str, scheme: &str) {
    let server = BoltServer::start(&[]);
    let url = format!("{scheme}://{}", server.bolt);
    let newdb = format!("interop{}", scheme.replace('+', ""));
    let lines = round_trip(program, script, &url, &newdb);
    step(&lines, "connected");
    let databases = shell_rows(
        &server,
        "SHOW DATABASES YIELD name, currentStatus, requestedStatus, home, default",
    );
    assert_eq!(
        sorted(&step(&lines, "databases")["rows"]),
        sorted(&Json::Array(databases.clone()))
    );
    assert!(databases.iter().any(|r| r["name"] == newdb.as_str()));
    let servers = shell_rows(
        &server,
        "SHOW SERVERS YIELD name, address, state, health, hosting",
    );
    assert_eq!(
        sorted(&step(&lines, "servers")["rows"]),
        sorted(&Json::Array(servers))
    );
    // The driver sees the plan of EXPLAIN (nothing created) and of PROFILE (rows counted).
    let explain = step(&lines, "explain");
    assert_eq!(
        explain["plan"]["operatorType"], "ProduceResults@system",
        "{explain}"
    );
    assert_eq!(
        explain["plan"]["children"][0]["operatorType"], "CreateDatabase@system",
        "{explain}"
    );
    assert!(explain["profile"].is_null(), "{explain}");
    assert!(
        !databases
            .iter()
            .any(|r| r["name"] == format!("{newdb}explained"))
    );
    let profile = step(&lines, "profile");
    assert_eq!(
        profile["profile"]["operatorType"], "ProduceResults@system",
        "{profile}"
    );
    assert_eq!(profile["profile"]["rows"], profile["count"], "{profile}");
    assert_eq!(
        profile["profile"]["children"][0]["operatorType"], "ShowDatabases@system",
        "{profile}"
    );
    let rollback = step(&lines, "rollback");
    assert_eq!(rollback["rows"].as_array().unwrap().len(), 1, "{rollback}");
    assert_eq!(rollback["after"], Json::Array(vec![]));
    assert_eq!(step(&lines, "commit")["after"].as_array().unwrap().len(), 1);
    assert_eq!(
        step(&lines, "syntax")["error"],
        "Neo.ClientError.Statement.SyntaxError"
    );
    assert_eq!(
        step(&lines, "wrong-password")["error"],
        "Neo.ClientError.Security.Unauthorized"
    );
}

fn python() -> String {
    drivers_dir()
        .join("venv/bin/python")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn python_driver_over_bolt() {
    check(&python(), "roundtrip.py", "bolt");
}

#[test]
fn python_driver_over_neo4j_routing() {
    check(&python(), "roundtrip.py", "neo4j");
}

#[test]
fn javascript_driver_over_bolt() {
    assert!(
        drivers_dir()
            .join("node_modules/neo4j-driver/package.json")
            .exists(),
        "neo4j-driver is not installed: run tests/tools/install-drivers.sh"
    );
    check("node", "roundtrip.mjs", "bolt");
}

#[test]
fn javascript_driver_over_neo4j_routing() {
    assert!(
        drivers_dir()
            .join("node_modules/neo4j-driver/package.json")
            .exists(),
        "neo4j-driver is not installed: run tests/tools/install-drivers.sh"
    );
    check("node", "roundtrip.mjs", "neo4j");
}
