//! Bolt benchmark (issue 18): PackStream throughput, `cysh serve --bolt` under keep-alive
//! clients against the Query API of the same server, the whole-process time of a one-shot
//! `cysh -a bolt://…`, and a 1,000,000-row result.
//!
//! - PackStream: encode and decode MB/s of large records (1,000 strings of 100 bytes and
//!   1,000 integers), and small values/s (tiny integers, short strings);
//! - requests/s, p50 and p99 of `SHOW DATABASES` with 1 and 8 clients, over Bolt (each
//!   request RUN + PULL pipelined, one connection per client) and over HTTP;
//! - `cysh -a bolt://127.0.0.1:PORT 'SHOW SERVERS'`, fastest of 10 runs;
//! - `UNWIND range(1, 1000000) AS x RETURN x` through `-a bolt://`: wall time and the
//!   peak RSS of the shell and of the server.
//!
//! Run with `cargo bench --bench bolt` (`-- packstream` for the codec alone). Every phase is bounded in time; it spawns the
//! release binary, listens on 127.0.0.1 only, and asserts nothing: the figures go to
//! BENCHMARKS.md.

#![allow(clippy::unwrap_used, clippy::expect_used)]

/// The binary's allocator (src/main.rs), so the figures are the product's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use cysh::bolt::chunk::{Dechunker, write_message};
use cysh::bolt::handshake;
use cysh::bolt::packstream::{Decoder, Dialect, Encoder};
use cysh::bolt::{Meta, Request, Response};
use cysh::value::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "bench-password";
const PHASE: Duration = Duration::from_secs(4);

struct Server {
    child: Child,
    http: String,
    bolt: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(bin: &str) -> Server {
    let mut child = Command::new(bin)
        .args([
            "serve",
            "--ephemeral",
            "--listen",
            "127.0.0.1:0",
            "--bolt",
            "127.0.0.1:0",
        ])
        .env("NEO4J_AUTH", format!("neo4j/{PASSWORD}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("cysh serve starts");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let (mut http, mut bolt) = (String::new(), String::new());
    for _ in 0..4 {
        let mut line = String::new();
        out.read_line(&mut line).expect("line");
        if let Some(rest) = line.trim().strip_prefix("Bolt listening on bolt://") {
            bolt = rest.split_whitespace().next().unwrap().to_string();
        }
        if let Some(rest) = line.trim().strip_prefix("Listening on ") {
            http = rest.to_string();
            break;
        }
    }
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    Server { child, http, bolt }
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

fn packstream() {
    let record = Value::List(
        (0..1000)
            .map(|i| Value::String(format!("{i:0>100}")))
            .chain((0..1000).map(|i| Value::Int(i * 1_000_003)))
            .collect(),
    );
    let mut buf = Vec::new();
    Encoder::new(&mut buf, Dialect::V5).value(&record);
    let size = buf.len();
    let rounds = 2000;
    let t = Instant::now();
    for _ in 0..rounds {
        buf.clear();
        Encoder::new(&mut buf, Dialect::V5).value(std::hint::black_box(&record));
    }
    let enc = (size * rounds) as f64 / t.elapsed().as_secs_f64() / 1e6;
    let t = Instant::now();
    for _ in 0..rounds {
        let v = Decoder::new(std::hint::black_box(&buf)).value().unwrap();
        std::hint::black_box(v);
    }
    let dec = (size * rounds) as f64 / t.elapsed().as_secs_f64() / 1e6;
    println!("| large record ({size} bytes) | {enc:.0} MB/s | {dec:.0} MB/s |");
    let small: Vec<Value> = (0..1_000_000)
        .map(|i| {
            if i % 2 == 0 {
                Value::Int(i % 100)
            } else {
                Value::String("name".into())
            }
        })
        .collect();
    let t = Instant::now();
    buf.clear();
    {
        let mut e = Encoder::new(&mut buf, Dialect::V5);
        for v in &small {
            e.value(v);
        }
    }
    let enc = small.len() as f64 / t.elapsed().as_secs_f64() / 1e6;
    let t = Instant::now();
    let mut d = Decoder::new(&buf);
    let mut n = 0;
    while !d.at_end() {
        std::hint::black_box(d.value().unwrap());
        n += 1;
    }
    let dec = n as f64 / t.elapsed().as_secs_f64() / 1e6;
    println!("| small values (ints, short strings) | {enc:.1} M values/s | {dec:.1} M values/s |");
}

/// A logged-in Bolt connection (5.8 through the manifest, as the drivers negotiate).
struct Client {
    tcp: TcpStream,
    dechunker: Dechunker,
    buf: Vec<u8>,
}

impl Client {
    fn connect(addr: &str) -> Client {
        let mut tcp = TcpStream::connect(addr).unwrap();
        tcp.set_nodelay(true).unwrap();
        tcp.write_all(&handshake::client_hello()).unwrap();
        let mut answer = [0u8; 4];
        tcp.read_exact(&mut answer).unwrap();
        assert_eq!(answer, handshake::MANIFEST_V1);
        let mut manifest = [0u8; 1 + 16 + 1];
        tcp.read_exact(&mut manifest).unwrap();
        tcp.write_all(&[0, 0, 8, 5, 0]).unwrap();
        let mut c = Client {
            tcp,
            dechunker: Dechunker::default(),
            buf: vec![0; 65536],
        };
        let meta = |p: &[(&str, &str)]| -> Meta {
            p.iter()
                .map(|(k, v)| (k.to_string(), Value::str(*v)))
                .collect()
        };
        c.send(&[
            Request::Hello(meta(&[("user_agent", "bench/1")])),
            Request::Logon(meta(&[
                ("scheme", "basic"),
                ("principal", "neo4j"),
                ("credentials", PASSWORD),
            ])),
        ]);
        for _ in 0..2 {
            assert!(matches!(c.recv(), Response::Success(_)));
        }
        c
    }

    fn send(&mut self, requests: &[Request]) {
        let mut out = Vec::new();
        for r in requests {
            write_message(&mut out, &r.encode(Dialect::V5));
        }
        self.tcp.write_all(&out).unwrap();
    }

    fn recv(&mut self) -> Response {
        loop {
            if let Some(m) = self.dechunker.next_message().unwrap() {
                return Response::decode(&m).unwrap();
            }
            let n = self.tcp.read(&mut self.buf).unwrap();
            assert!(n > 0, "server closed");
            self.dechunker.push(&self.buf[..n]);
        }
    }

    /// One auto-commit statement: RUN and PULL pipelined, read to the last SUCCESS.
    fn query(&mut self, text: &str) -> bool {
        let extra: Meta = [("db".to_string(), Value::str("system"))].into();
        self.send(&[
            Request::Run {
                query: text.into(),
                params: Meta::new(),
                extra,
            },
            Request::Pull { n: -1, qid: -1 },
        ]);
        let mut summaries = 0;
        let mut ok = true;
        while summaries < 2 {
            match self.recv() {
                Response::Record(_) => {}
                Response::Success(_) => summaries += 1,
                _ => {
                    ok = false;
                    summaries += 1;
                }
            }
        }
        ok
    }
}

fn bolt_load(addr: &str, clients: usize) -> (usize, usize, Duration, Vec<Duration>) {
    let started = Instant::now();
    let deadline = started + PHASE;
    let handles: Vec<_> = (0..clients)
        .map(|_| {
            let addr = addr.to_string();
            std::thread::spawn(move || {
                let mut c = Client::connect(&addr);
                let (mut lat, mut bad) = (Vec::new(), 0);
                while Instant::now() < deadline {
                    let t = Instant::now();
                    if !c.query("SHOW DATABASES") {
                        bad += 1;
                    }
                    lat.push(t.elapsed());
                }
                (lat, bad)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut bad = 0;
    for h in handles {
        let (l, b) = h.join().unwrap();
        all.extend(l);
        bad += b;
    }
    let wall = started.elapsed();
    all.sort();
    (all.len(), bad, wall, all)
}

fn http_load(base: &str, clients: usize) -> (usize, usize, Duration, Vec<Duration>) {
    use base64::Engine;
    let auth = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("neo4j:{PASSWORD}"))
    );
    let url = format!("{base}/db/system/query/v2");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let started = Instant::now();
        let deadline = started + PHASE;
        let mut tasks = Vec::new();
        for _ in 0..clients {
            let (url, auth) = (url.clone(), auth.clone());
            let http = reqwest::Client::builder()
                .pool_max_idle_per_host(1)
                .build()
                .unwrap();
            tasks.push(tokio::spawn(async move {
                let (mut lat, mut bad) = (Vec::new(), 0);
                while Instant::now() < deadline {
                    let t = Instant::now();
                    let r = http
                        .post(&url)
                        .header("authorization", &auth)
                        .header("content-type", "application/json")
                        .body(r#"{"statement":"SHOW DATABASES"}"#)
                        .send()
                        .await;
                    match r {
                        Ok(r) if r.status().as_u16() == 202 => {
                            let _ = r.bytes().await;
                        }
                        _ => bad += 1,
                    }
                    lat.push(t.elapsed());
                }
                (lat, bad)
            }));
        }
        let mut all = Vec::new();
        let mut bad = 0;
        for t in tasks {
            let (l, b) = t.await.unwrap();
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

/// A running process's peak RSS (VmHWM) in MiB; 0 once it is gone.
fn peak_rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let bin = env!("CARGO_BIN_EXE_cysh");
    cysh::client::tls::install_crypto_provider();
    println!("| PackStream | encode | decode |");
    println!("| --- | --- | --- |");
    packstream();
    println!();
    // `cargo bench --bench bolt -- packstream`: the codec only (for callgrind's counts).
    if std::env::args().any(|a| a == "packstream") {
        return;
    }

    let server = start_server(bin);
    println!("| protocol | clients | requests | requests/s | p50 | p99 | failed |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for clients in [1, 8] {
        report(
            "Bolt SHOW DATABASES",
            clients,
            bolt_load(&server.bolt, clients),
        );
        report(
            "HTTP SHOW DATABASES",
            clients,
            http_load(&server.http, clients),
        );
    }
    println!();

    let address = format!("bolt://{}", server.bolt);
    let one_shot = (0..10)
        .map(|_| {
            let t = Instant::now();
            let status = Command::new(bin)
                .args([
                    "-a", &address, "-u", "neo4j", "-p", PASSWORD, "--format", "plain",
                ])
                .arg("SHOW SERVERS")
                .stdout(Stdio::null())
                .status()
                .unwrap();
            assert!(status.success());
            t.elapsed()
        })
        .min()
        .unwrap();
    println!(
        "cysh -a bolt://… 'SHOW SERVERS' (whole process, fastest of 10): {}",
        ms(one_shot)
    );

    let before_server = peak_rss_mib(server.child.id());
    let t = Instant::now();
    let mut shell = Command::new(bin)
        .args([
            "-a", &address, "-u", "neo4j", "-p", PASSWORD, "--format", "plain",
        ])
        .arg("UNWIND range(1, 1000000) AS x RETURN x")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // The shell's own high-water mark, read while it runs: a waited child's rusage counts
    // the memory of this (large) process it was spawned from as well.
    let mut shell_peak = 0.0_f64;
    let status = loop {
        shell_peak = shell_peak.max(peak_rss_mib(shell.id()));
        if let Some(status) = shell.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let wall = t.elapsed();
    println!(
        "1,000,000 rows over Bolt: {:.2} s (exit {:?}); shell peak RSS {:.1} MiB; server peak RSS {:.1} MiB (before: {:.1} MiB)",
        wall.as_secs_f64(),
        status.code(),
        shell_peak,
        peak_rss_mib(server.child.id()),
        before_server,
    );
}
