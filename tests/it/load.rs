//! Load and fault tests against a real `cysh serve` process on 127.0.0.1: many clients
//! reading and writing at once, idle and slow connections, the connection cap and the
//! header and idle deadlines.
//!
//! Every test is bounded in clients and time. The normal run is short (a few seconds);
//! `CYSH_LOAD_LONG=1` runs the issue's full figures (200 clients for 30 s, 1,000 slow or
//! idle connections) and prints the figures BENCHMARKS.md records. The only time bounds
//! asserted are the issue's (no request over 2 s; a good client served within 1 s),
//! loosened in the short run, which shares the machine with the rest of the tests.

use crate::hostile::{SERVED_PASSWORD, Served, post_request, raw_request};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn long() -> bool {
    std::env::var_os("CYSH_LOAD_LONG").is_some()
}

/// The slowest and percentile latencies of `samples`, sorted in place.
fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    if samples.is_empty() {
        return Duration::ZERO;
    }
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i]
}

/// What one client saw.
#[derive(Default)]
struct Seen {
    latencies: Vec<Duration>,
    created: Vec<String>,
    errors: Vec<String>,
}

#[test]
fn many_clients_reading_and_writing_stay_fast_and_bounded() {
    let (clients, seconds, bound) = if long() {
        (200, 30, Duration::from_secs(2))
    } else {
        (200, 3, Duration::from_secs(5))
    };
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("neo4j.conf");
    std::fs::write(&config, "dbms.max_databases=1000000\n").unwrap();
    let data = dir.path().join("data");
    let mut served = Served::start(&[
        "--data-dir",
        &data.display().to_string(),
        "--config",
        &config.display().to_string(),
    ]);
    let base = served.base.clone();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    cysh::client::tls::install_crypto_provider();
    // One pool for all clients: each client's requests run one after another, so the
    // pool holds a kept-alive connection per client, as that many drivers would. (A
    // reqwest client per task would spend the test's own CPU loading root certificates.)
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let seen: Vec<Seen> = rt.block_on(async {
        let mut tasks = Vec::new();
        for c in 0..clients {
            let base = base.clone();
            let http = http.clone();
            tasks.push(tokio::spawn(async move {
                let writer = c % 3 == 0;
                let mut seen = Seen::default();
                let mut i = 0;
                while Instant::now() < until {
                    let name = format!("load{c}x{i}");
                    let statement = if writer {
                        format!("CREATE DATABASE {name}")
                    } else {
                        "SHOW DATABASE neo4j YIELD name, currentStatus".to_string()
                    };
                    let sent = Instant::now();
                    let reply = http
                        .post(format!("{base}/db/system/query/v2"))
                        .basic_auth("neo4j", Some(SERVED_PASSWORD))
                        .header("content-type", "application/json")
                        .body(serde_json::json!({ "statement": statement }).to_string())
                        .send()
                        .await;
                    let outcome = match reply {
                        Ok(r) => {
                            let status = r.status().as_u16();
                            let body = r.text().await.unwrap_or_default();
                            (status, body)
                        }
                        Err(e) => (0, e.to_string()),
                    };
                    seen.latencies.push(sent.elapsed());
                    match outcome {
                        (202, _) if writer => seen.created.push(name),
                        (202, _) => {}
                        (status, body) => seen.errors.push(format!("{status}: {body}")),
                    }
                    i += 1;
                }
                seen
            }));
        }
        let mut all = Vec::new();
        for t in tasks {
            all.push(t.await.unwrap());
        }
        all
    });
    let elapsed = started.elapsed();
    let rss_mib = served.rss_kib().unwrap_or(0) / 1024;
    assert!(served.alive(), "cysh serve died under load");
    let mut latencies: Vec<Duration> = seen.iter().flat_map(|s| s.latencies.clone()).collect();
    let errors: Vec<&String> = seen.iter().flat_map(|s| &s.errors).collect();
    let created: Vec<&String> = seen.iter().flat_map(|s| &s.created).collect();
    let requests = latencies.len();
    let p50 = percentile(&mut latencies, 0.5);
    let p99 = percentile(&mut latencies, 0.99);
    let max = latencies.last().copied().unwrap_or_default();
    eprintln!(
        "load: {clients} clients (1/3 writing) for {:.1} s: {requests} requests \
         ({:.0}/s), p50 {p50:?}, p99 {p99:?}, max {max:?}, errors {}, peak RSS {rss_mib} MiB",
        elapsed.as_secs_f64(),
        requests as f64 / elapsed.as_secs_f64(),
        errors.len()
    );
    assert!(
        errors.is_empty(),
        "{} errors, first: {}",
        errors.len(),
        errors[0]
    );
    assert!(max <= bound, "slowest request {max:?} (bound {bound:?})");
    assert!(rss_mib < 300, "peak RSS {rss_mib} MiB");
    // Nothing lost or duplicated: every acknowledged CREATE is there, once.
    let (status, body) = served.post(
        "SHOW DATABASES YIELD name WHERE name STARTS WITH 'load' \
         RETURN count(name) AS n, count(DISTINCT name) AS d",
    );
    assert_eq!(status, 202, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    let row = &json["data"]["values"][0];
    assert_eq!(row[0], created.len(), "{body}");
    assert_eq!(row[1], created.len(), "{body}");
}

/// Opens a connection that sends nothing.
fn idle(addr: &str) -> TcpStream {
    TcpStream::connect(addr).expect("connect")
}

/// Opens a connection that sends the start of a request and then one header line at a
/// time, never finishing (a slowloris client); the thread feeding it stops at `until`.
fn slow(addr: &str, until: Instant) -> std::thread::JoinHandle<()> {
    let mut tcp = TcpStream::connect(addr).expect("connect");
    std::thread::spawn(move || {
        let _ = tcp.write_all(b"POST /db/system/query/v2 HTTP/1.1\r\nHost: x\r\n");
        let mut n = 0;
        while Instant::now() < until {
            if tcp
                .write_all(format!("X-Slow-{n}: 1\r\n").as_bytes())
                .is_err()
            {
                return;
            }
            n += 1;
            std::thread::sleep(Duration::from_millis(500));
        }
    })
}

#[test]
fn idle_and_slow_connections_do_not_starve_a_good_client() {
    let (each, bound) = if long() {
        (500, Duration::from_secs(1))
    } else {
        (150, Duration::from_secs(2))
    };
    let served = Served::start(&[]);
    let until = Instant::now() + Duration::from_secs(if long() { 20 } else { 6 });
    let idle_conns: Vec<TcpStream> = (0..each).map(|_| idle(&served.addr)).collect();
    let slow_conns: Vec<_> = (0..each).map(|_| slow(&served.addr, until)).collect();
    std::thread::sleep(Duration::from_millis(500));
    let mut worst = Duration::ZERO;
    for _ in 0..5 {
        let sent = Instant::now();
        let (status, body) = served.post("SHOW DATABASE neo4j");
        let took = sent.elapsed();
        worst = worst.max(took);
        assert_eq!(status, 202, "{body}");
        std::thread::sleep(Duration::from_millis(200));
    }
    eprintln!(
        "starvation: {} idle + {} slow connections open, good client's slowest of 5: {worst:?}",
        each, each
    );
    assert!(
        worst <= bound,
        "a good client waited {worst:?} (bound {bound:?})"
    );
    drop(idle_conns);
    for t in slow_conns {
        t.join().unwrap();
    }
}

/// True when the server closes `tcp` within `within` (reads to its end, or is reset).
fn closed_within(tcp: &mut TcpStream, within: Duration) -> bool {
    tcp.set_read_timeout(Some(within)).unwrap();
    let mut sink = Vec::new();
    match tcp.read_to_end(&mut sink) {
        Ok(_) => true,
        Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
    }
}

#[test]
fn slow_headers_and_idle_connections_are_closed_after_the_idle_timeout() {
    let served = Served::start(&["--idle-timeout", "1"]);
    // Nothing sent at all.
    let mut silent = idle(&served.addr);
    // Headers trickling in, a line every 300 ms, never finished.
    let mut trickle = TcpStream::connect(&served.addr).unwrap();
    let mut feeder = trickle.try_clone().unwrap();
    let until = Instant::now() + Duration::from_secs(10);
    let feeding = std::thread::spawn(move || {
        let _ = feeder.write_all(b"POST /db/system/query/v2 HTTP/1.1\r\nHost: x\r\n");
        while Instant::now() < until {
            if feeder.write_all(b"X-Slow: 1\r\n").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(300));
        }
    });
    // A kept-alive connection left idle after one request.
    let mut kept = TcpStream::connect(&served.addr).unwrap();
    let auth = crate::http::basic("neo4j", SERVED_PASSWORD);
    let body = r#"{"statement": "SHOW DATABASE neo4j"}"#;
    kept.write_all(
        format!(
            "POST /db/system/query/v2 HTTP/1.1\r\nHost: x\r\nAuthorization: {auth}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    )
    .unwrap();
    let mut first = [0u8; 12];
    kept.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 202");

    let bound = Duration::from_secs(10);
    assert!(
        closed_within(&mut silent, bound),
        "a silent connection stayed open"
    );
    assert!(
        closed_within(&mut trickle, bound),
        "a slow header stayed open"
    );
    assert!(
        closed_within(&mut kept, bound),
        "an idle keep-alive connection stayed open"
    );
    feeding.join().unwrap();
}

#[test]
fn connections_past_the_cap_are_refused_clearly_and_served_again_after() {
    let served = Served::start(&["--max-connections", "8"]);
    let held: Vec<TcpStream> = (0..8).map(|_| idle(&served.addr)).collect();
    std::thread::sleep(Duration::from_millis(300));
    let request = post_request(
        &served.addr,
        "/db/system/query/v2",
        r#"{"statement": "SHOW DATABASE neo4j"}"#,
    );
    let (status, body) = raw_request(&served.addr, &request);
    assert_eq!(status, 503, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        json["errors"][0]["code"],
        "Neo.TransientError.Request.NoThreadsAvailable"
    );
    assert!(
        json["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("--max-connections"),
        "{body}"
    );
    drop(held);
    let served = Arc::new(served);
    // The held connections' slots come back once the server sees them closed.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, body) = raw_request(&served.addr, &request);
        if status == 202 {
            break;
        }
        assert!(Instant::now() < deadline, "still refused: {status} {body}");
        std::thread::sleep(Duration::from_millis(100));
    }
}
