//! Startup benchmark: the whole `cysh` process, as an operator's script would run it.
//!
//! - `cysh --ephemeral 'SHOW SERVERS'` from start to exit (median and p90 of N runs);
//! - time from spawn to the first `neo4j@system> ` prompt in a pseudo-terminal;
//! - peak resident memory of one run (getrusage of the child).
//!
//! Run with `cargo bench --bench startup`. It spawns the release binary cargo built for the
//! bench; nothing here is asserted, the figures go to BENCHMARKS.md.

// A benchmark may unwrap and expect: a panic is how it fails. Cargo.toml denies both
// in the product.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 200;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn one_shot(bin: &str) -> Vec<Duration> {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            let status = Command::new(bin)
                .args(["--ephemeral", "SHOW SERVERS"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("cysh runs");
            assert!(status.success());
            started.elapsed()
        })
        .collect();
    times.sort();
    times
}

/// Spawns cysh on a fresh pseudo-terminal and times until the prompt is read back.
/// (A raw pty, not rexpect, whose reader polls every 100 ms.)
fn first_prompt(bin: &str) -> Vec<Duration> {
    use std::io::{Read, Write};
    let mut times: Vec<Duration> = (0..RUNS / 4)
        .map(|_| {
            let pair = nix::pty::openpty(None, None).expect("openpty");
            let (mut pty, tty) = (
                std::fs::File::from(pair.master),
                std::fs::File::from(pair.slave),
            );
            let started = Instant::now();
            let mut child = Command::new(bin)
                .args(["--ephemeral", "--history", "in-memory"])
                .env("TERM", "dumb")
                .stdin(tty.try_clone().unwrap())
                .stdout(tty.try_clone().unwrap())
                .stderr(tty)
                .spawn()
                .expect("spawn");
            let mut seen = Vec::new();
            let mut buf = [0u8; 4096];
            while !String::from_utf8_lossy(&seen).contains("neo4j@system> ") {
                let n = pty.read(&mut buf).expect("read pty");
                assert!(n > 0, "cysh closed the terminal before the prompt");
                seen.extend_from_slice(&buf[..n]);
            }
            let elapsed = started.elapsed();
            pty.write_all(b"\x04").unwrap();
            child.wait().unwrap();
            elapsed
        })
        .collect();
    times.sort();
    times
}

/// Peak RSS in KiB of one `cysh --ephemeral 'SHOW SERVERS'` run.
fn peak_rss_kib(bin: &str) -> i64 {
    Command::new(bin)
        .args(["--ephemeral", "SHOW SERVERS"])
        .stdout(Stdio::null())
        .status()
        .expect("cysh runs");
    use nix::sys::resource::{UsageWho, getrusage};
    getrusage(UsageWho::RUSAGE_CHILDREN)
        .expect("getrusage")
        .max_rss()
}

fn main() {
    let bin = env!("CARGO_BIN_EXE_cysh");
    // Warm the page cache so the first runs do not measure the disk.
    one_shot(bin);
    let shot = one_shot(bin);
    println!(
        "cysh --ephemeral 'SHOW SERVERS' ({RUNS} runs): median {}, p90 {}, min {}",
        ms(percentile(&shot, 0.5)),
        ms(percentile(&shot, 0.9)),
        ms(shot[0])
    );
    let prompt = first_prompt(bin);
    println!(
        "time to first prompt ({} runs, pty): median {}, p90 {}",
        prompt.len(),
        ms(percentile(&prompt, 0.5)),
        ms(percentile(&prompt, 0.9))
    );
    println!("peak RSS of one run: {} KiB", peak_rss_kib(bin));
}
