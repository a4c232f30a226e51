//! Durability benchmark (issue 5): a 10,000-statement script of CREATE / ALTER / DROP
//! DATABASE.
//!
//! - As a whole process: `cysh --data-dir D -f script` (the default, WAL with
//!   `synchronous = NORMAL`) against `cysh --ephemeral -f script` (nothing written).
//! - In process, the same statements through `Cluster` + `SqliteStore` with
//!   `synchronous` FULL, NORMAL and OFF, to show what each level of durability costs.
//!
//! Run with `cargo bench --bench durable`. Nothing is asserted; figures go to BENCHMARKS.md.

// A benchmark may unwrap and expect: a panic is how it fails. Cargo.toml denies both
// in the product.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cysh::cluster::config::Config;
use cysh::cluster::{Cluster, Session};
use cysh::dialect::{self, Params};
use cysh::store::SqliteStore;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const STATEMENTS: usize = 10_000;

fn script() -> Vec<String> {
    (0..STATEMENTS)
        .map(|i| match i % 4 {
            0 | 1 => format!("CREATE DATABASE db{i:05} TOPOLOGY 2 PRIMARIES"),
            2 => format!("ALTER DATABASE db{:05} SET ACCESS READ ONLY", i - 2),
            _ => format!("DROP DATABASE db{:05}", i - 2),
        })
        .collect()
}

fn rate(d: Duration) -> String {
    format!(
        "{:.2} s, {:.0} statements/s",
        d.as_secs_f64(),
        STATEMENTS as f64 / d.as_secs_f64()
    )
}

fn whole_process(bin: &str, work: &std::path::Path, storage: &[&str]) -> Duration {
    let started = Instant::now();
    let status = Command::new(bin)
        .args(storage)
        .arg("--config")
        .arg(work.join("cysh.conf"))
        .args(["--format", "plain", "-f"])
        .arg(work.join("script.cypher"))
        .env("XDG_DATA_HOME", work)
        .stdout(Stdio::null())
        .status()
        .expect("cysh runs");
    assert!(status.success());
    started.elapsed()
}

fn in_process(
    work: &std::path::Path,
    synchronous: &str,
    statements: &[dialect::ast::Statement],
) -> Duration {
    let dir = work.join(format!("lib-{synchronous}"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut store = SqliteStore::open(&dir.join("cluster.db"), &dir).expect("open");
    store.set_synchronous(synchronous).unwrap();
    let mut config = Config::with_servers(3);
    config.set("dbms.max_databases", "100000").unwrap();
    let mut cluster = Cluster::with_store(config, Box::new(store)).unwrap();
    let (params, session) = (Params::new(), Session::default());
    let started = Instant::now();
    for s in statements {
        cluster
            .execute(s, &params, &session)
            .expect("statement runs");
    }
    started.elapsed()
}

fn main() {
    let bin = env!("CARGO_BIN_EXE_cysh");
    let work = tempfile::tempdir().unwrap();
    let lines = script();
    std::fs::write(
        work.path().join("script.cypher"),
        lines.iter().map(|s| format!("{s};\n")).collect::<String>(),
    )
    .unwrap();
    std::fs::write(work.path().join("cysh.conf"), "dbms.max_databases=100000\n").unwrap();

    for round in 0..2 {
        let dir = work.path().join(format!("durable{round}"));
        let durable = whole_process(bin, work.path(), &["--data-dir", dir.to_str().unwrap()]);
        let ephemeral = whole_process(bin, work.path(), &["--ephemeral"]);
        println!(
            "whole process, round {round}: --data-dir (WAL, NORMAL): {}; --ephemeral: {}",
            rate(durable),
            rate(ephemeral)
        );
    }
    let parsed: Vec<_> = lines.iter().map(|s| dialect::parse(s).unwrap()).collect();
    for synchronous in ["FULL", "NORMAL", "OFF"] {
        println!(
            "in process, synchronous = {synchronous}: {}",
            rate(in_process(work.path(), synchronous, &parsed))
        );
    }
}
