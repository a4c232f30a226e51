//! Remote benchmark: `cysh serve` on loopback under keep-alive clients, and the shell's
//! cost per statement in remote mode.
//!
//! - requests/s, p50 and p99 latency of `SHOW DATABASES` (or `SHOW SERVERS` while the
//!   cluster cannot list databases; the output says which) with 1, 8 and 64 clients;
//! - the same for CREATE DATABASE / DROP DATABASE pairs (one pair = two requests);
//! - the shell's time per statement in remote mode, from a script of many statements,
//!   against the raw HTTP latency of one client;
//! - the floor: a bare axum server (this bench binary re-run as `bare-server BODYFILE`, a
//!   process of its own like `cysh serve`, on a runtime of as many workers) that answers
//!   every POST with SHOW DATABASES' exact body, under the same clients in the same run,
//!   and the ratio of `cysh serve` to it at 8 and 64 clients.
//!
//! Run with `cargo bench --bench remote` (`-- floor` for the comparison with bare axum alone). Every phase is bounded in time and count; it
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
    let base = listening_base(stdout);
    Server { child, base }
}

/// The base URL a server prints first (`Listening on http://…`).
fn listening_base(stdout: impl std::io::Read) -> String {
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("listening line");
    line.trim()
        .strip_prefix("Listening on ")
        .expect("Listening on ...")
        .to_string()
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

/// `bare-server BODYFILE`: axum with one handler answering every POST with 202 and the
/// file's bytes as JSON, nothing else — no authentication, parsing or cluster.
fn bare_server(body_file: &str) {
    let body = axum::body::Bytes::from(std::fs::read(body_file).expect("body file"));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let app = axum::Router::new().route(
            "/db/system/query/v2",
            axum::routing::post(move || {
                let body = body.clone();
                async move {
                    (
                        axum::http::StatusCode::ACCEPTED,
                        [("content-type", "application/json")],
                        body,
                    )
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        println!(
            "Listening on http://{}",
            listener.local_addr().expect("addr")
        );
        axum::serve(listener, app).await.expect("serve");
    });
}

/// CPU seconds (user + system) process `pid` has used so far, from `/proc/PID/stat`.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after ')'.
    (ticks(11) + ticks(12)) / 100.0
}

/// Starts the bare server on `body` and returns it with its base URL.
fn start_bare(body: &[u8]) -> (Server, tempfile::NamedTempFile) {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    file.write_all(body).expect("body written");
    let mut child = Command::new(std::env::current_exe().expect("bench binary"))
        .args(["bare-server", &file.path().to_string_lossy()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("bare server starts");
    let base = listening_base(child.stdout.take().expect("stdout"));
    (Server { child, base }, file)
}

/// The floor: `cysh serve`'s SHOW DATABASES against the bare server answering its exact
/// body, phases alternating, at 8 and 64 clients.
fn against_bare(rt: &tokio::runtime::Runtime, server: &Server) {
    let body = rt.block_on(async {
        reqwest::Client::new()
            .post(format!("{}/db/system/query/v2", server.base))
            .header("authorization", auth())
            .header("content-type", "application/json")
            .body(serde_json::json!({ "statement": "SHOW DATABASES" }).to_string())
            .send()
            .await
            .expect("SHOW DATABASES")
            .bytes()
            .await
            .expect("body")
    });
    let (bare, _file) = start_bare(&body);
    println!();
    println!(
        "SHOW DATABASES against a bare axum handler answering its {}-byte body:",
        body.len()
    );
    println!();
    println!("| server | clients | requests | requests/s | p50 | p99 | non-202 |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for clients in [8, 64] {
        let statement = serde_json::json!({ "statement": "SHOW DATABASES" }).to_string();
        let s1 = statement.clone();
        let cpu = cpu_seconds(server.child.id());
        let served = load(rt, &server.base, clients, Arc::new(move |_, _| s1.clone()));
        let served_cpu = cpu_seconds(server.child.id()) - cpu;
        let cpu = cpu_seconds(bare.child.id());
        let floor = load(
            rt,
            &bare.base,
            clients,
            Arc::new(move |_, _| statement.clone()),
        );
        let floor_cpu = cpu_seconds(bare.child.id()) - cpu;
        let rate = |r: &(usize, usize, Duration, Vec<Duration>)| r.0 as f64 / r.2.as_secs_f64();
        let ratio = rate(&served) / rate(&floor);
        let per = |cpu: f64, r: &(usize, usize, Duration, Vec<Duration>)| cpu * 1e6 / r.0 as f64;
        let (served_per, floor_per) = (per(served_cpu, &served), per(floor_cpu, &floor));
        report("cysh serve", clients, served);
        report("bare axum", clients, floor);
        println!(
            "| ratio at {clients} clients | {ratio:.2} | server CPU per request: cysh {served_per:.1} µs, bare {floor_per:.1} µs | | | | |"
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "bare-server") {
        bare_server(&args[i + 1]);
        return;
    }
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
    if args.iter().any(|a| a == "floor") {
        against_bare(&rt, &server);
        return;
    }
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
    against_bare(&rt, &server);
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
