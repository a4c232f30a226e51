//! Remote benchmark: `cysh serve` on loopback under keep-alive clients, and the shell's
//! cost per statement in remote mode.
//!
//! - requests/s, p50 and p99 latency of `SHOW DATABASES` (or `SHOW SERVERS` while the
//!   cluster cannot list databases; the output says which) with 1, 8 and 64 clients;
//! - the same for CREATE DATABASE / DROP DATABASE pairs (one pair = two requests);
//! - the shell's time per statement in remote mode, from a script of many statements,
//!   against the raw HTTP latency of one client.
//!
//! Run with `cargo bench --bench remote`. Every phase is bounded in time and count; it
//! spawns the release binary, listens on 127.0.0.1 only, and asserts nothing: the figures
//! go to BENCHMARKS.md.

// A benchmark may unwrap and expect: a panic is how it fails. Cargo.toml denies both
// in the product.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const PASSWORD: &str = "bench-password";
/// How long each load phase runs.
const PHASE: Duration = Duration::from_secs(4);
/// The most requests one client sends in a phase.
const MAX_PER_CLIENT: usize = 200_000;
/// Statements in the shell script.
const SCRIPT_STATEMENTS: usize = 2000;

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(bin: &str, storage: &[&str]) -> Server {
    let mut child = Command::new(bin)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(storage)
        .env("NEO4J_AUTH", format!("neo4j/{PASSWORD}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("cysh serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("listening line");
    let base = line
        .trim()
        .strip_prefix("Listening on ")
        .expect("Listening on ...")
        .to_string();
    Server { child, base }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn auth() -> String {
    use base64::Engine;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("neo4j:{PASSWORD}"))
    )
}

/// Runs `clients` keep-alive clients for one phase; each request's body comes from
/// `body(client, i)`. Returns (requests, non-202 answers, wall time, sorted latencies).
fn load(
    rt: &tokio::runtime::Runtime,
    base: &str,
    clients: usize,
    body: Arc<dyn Fn(usize, usize) -> String + Send + Sync>,
) -> (usize, usize, Duration, Vec<Duration>) {
    let url = format!("{base}/db/system/query/v2");
    rt.block_on(async {
        let started = Instant::now();
        let deadline = started + PHASE;
        let mut tasks = Vec::new();
        for c in 0..clients {
            let url = url.clone();
            let body = Arc::clone(&body);
            let http = reqwest::Client::builder()
                .pool_max_idle_per_host(1)
                .timeout(Duration::from_secs(10))
                .build()
                .expect("client");
            tasks.push(tokio::spawn(async move {
                let auth = auth();
                let mut lat = Vec::new();
                let mut bad = 0;
                for i in 0..MAX_PER_CLIENT {
                    if Instant::now() >= deadline {
                        break;
                    }
                    let t = Instant::now();
                    let r = http
                        .post(&url)
                        .header("authorization", &auth)
                        .header("content-type", "application/json")
                        .body(body(c, i))
                        .send()
                        .await;
                    match r {
                        Ok(r) => {
                            if r.status().as_u16() != 202 {
                                bad += 1;
                            }
                            let _ = r.bytes().await;
                        }
                        Err(_) => bad += 1,
                    }
                    lat.push(t.elapsed());
                }
                (lat, bad)
            }));
        }
        let mut all = Vec::new();
        let mut bad = 0;
        for t in tasks {
            let (l, b) = t.await.expect("client");
            all.extend(l);
            bad += b;
        }
        let wall = started.elapsed();
        all.sort();
        (all.len(), bad, wall, all)
    })
}

fn report(
    label: &str,
    clients: usize,
    (n, bad, wall, lat): (usize, usize, Duration, Vec<Duration>),
) {
    println!(
        "| {label} | {clients} | {n} | {:.0} | {} | {} | {bad} |",
        n as f64 / wall.as_secs_f64(),
        ms(percentile(&lat, 0.5)),
        ms(percentile(&lat, 0.99)),
    );
}

/// (one-statement run, per statement of a long script) for the shell with `args`.
fn shell_per_statement(bin: &str, args: &[&str], statement: &str) -> (Duration, Duration) {
    let dir = std::env::temp_dir().join(format!("cysh-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let run = |n: usize| {
        let path = dir.join(format!("script-{n}.cypher"));
        let mut f = std::fs::File::create(&path).expect("script");
        for _ in 0..n {
            let _ = writeln!(f, "{statement};");
        }
        let t = Instant::now();
        let status = Command::new(bin)
            .args(args)
            .args(["--format", "plain", "-f"])
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("cysh runs");
        assert!(status.success());
        t.elapsed()
    };
    let one = (0..5).map(|_| run(1)).min().unwrap_or_default();
    let many = run(SCRIPT_STATEMENTS);
    let _ = std::fs::remove_dir_all(&dir);
    (
        one,
        (many.saturating_sub(one)) / (SCRIPT_STATEMENTS as u32 - 1),
    )
}

fn main() {
    let bin = env!("CARGO_BIN_EXE_cysh");
    let _ = rustls::crypto::ring::default_provider().install_default();
    let server = start_server(bin, &["--ephemeral"]);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");

    // SHOW DATABASES if the cluster has it, else SHOW SERVERS.
    let probe = load_once(&rt, &server.base, "SHOW DATABASES");
    let show = if probe == 202 {
        "SHOW DATABASES"
    } else {
        "SHOW SERVERS"
    };
    println!("statement for the read phase: {show} (SHOW DATABASES answered {probe})");
    println!();
    println!("| phase | clients | requests | requests/s | p50 | p99 | non-202 |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for clients in [1, 8, 64] {
        let body = serde_json::json!({ "statement": show }).to_string();
        let result = load(
            &rt,
            &server.base,
            clients,
            Arc::new(move |_, _| body.clone()),
        );
        report(show, clients, result);
    }
    for clients in [1, 8, 64] {
        let result = load(
            &rt,
            &server.base,
            clients,
            Arc::new(move |c, i| {
                let name = format!("bench{clients}c{c}n{}", i / 2);
                let verb = if i % 2 == 0 { "CREATE" } else { "DROP" };
                serde_json::json!({ "statement": format!("{verb} DATABASE {name}") }).to_string()
            }),
        );
        report("CREATE/DROP DATABASE (each request)", clients, result);
    }
    // The same pairs against a durable cluster: every statement is a SQLite transaction
    // with synchronous=FULL.
    let dir = std::env::temp_dir().join(format!("cysh-bench-data-{}", std::process::id()));
    {
        let durable = start_server(bin, &["--data-dir", &dir.to_string_lossy()]);
        for clients in [1, 8] {
            let result = load(
                &rt,
                &durable.base,
                clients,
                Arc::new(move |c, i| {
                    let name = format!("durable{clients}c{c}n{}", i / 2);
                    let verb = if i % 2 == 0 { "CREATE" } else { "DROP" };
                    serde_json::json!({ "statement": format!("{verb} DATABASE {name}") })
                        .to_string()
                }),
            );
            report(
                "CREATE/DROP DATABASE, --data-dir (each request)",
                clients,
                result,
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    let remote_args = ["-a", server.base.as_str(), "-u", "neo4j", "-p", PASSWORD];
    let (connect, per_statement) = shell_per_statement(bin, &remote_args, show);
    let (e_one, e_per) = shell_per_statement(bin, &["--ephemeral"], show);
    println!();
    println!(
        "| shell | one-statement run | per statement ({SCRIPT_STATEMENTS}-statement script) |"
    );
    println!("| --- | --- | --- |");
    println!("| embedded | {} | {} |", ms(e_one), ms(e_per));
    println!(
        "| remote (`-a`) | {} | {} |",
        ms(connect),
        ms(per_statement)
    );
    println!(
        "added per statement in remote mode: {}",
        ms(per_statement.saturating_sub(e_per))
    );
}

fn load_once(rt: &tokio::runtime::Runtime, base: &str, statement: &str) -> u16 {
    rt.block_on(async {
        reqwest::Client::new()
            .post(format!("{base}/db/system/query/v2"))
            .header("authorization", auth())
            .header("content-type", "application/json")
            .body(serde_json::json!({ "statement": statement }).to_string())
            .send()
            .await
            .map(|r| r.status().as_u16())
            .unwrap_or(0)
    })
}
