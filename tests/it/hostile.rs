//! Hostile input through every way in: 100,000-term operator chains and 100,000-deep
//! nesting through `cysh check`, the shell (`-f`, stdin, `-P`) and `cysh serve` (a real
//! process over HTTP), deep values built at run time, and the server's connection limits.
//!
//! Each test asserts that nothing aborts (a process killed by a signal, a stack overflow
//! message, a panic) and that the answer is the right one or a clear error. It must not
//! depend on timing beyond the stated bounds, which it checks generously.

use crate::util::{cysh, cysh_bare, cysh_path, run};
use std::io::{BufRead, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Terms in the long chains and levels of the deep nesting the issue asks for.
const TERMS: usize = 100_000;

/// `RETURN 1+1+…` with `n` terms.
fn plus_chain(n: usize) -> String {
    let mut s = String::from("RETURN 1");
    for _ in 1..n {
        s.push_str("+1");
    }
    s
}

/// `SHOW DATABASES WHERE true AND …` with `n` terms.
fn and_chain(n: usize) -> String {
    let mut s = String::from("SHOW DATABASES YIELD name WHERE true");
    for _ in 1..n {
        s.push_str(" AND true");
    }
    s
}

/// The deepest nesting of brackets the parser takes in both shapes (its limit is 500
/// levels; the statement around them takes the rest).
const DEEPEST: usize = 498;

/// `RETURN ((…(1)…))` nested `n` deep.
fn parens(n: usize) -> String {
    format!("RETURN {}1{}", "(".repeat(n), ")".repeat(n))
}

/// `RETURN [[…[]…]]` nested `n` deep.
fn lists(n: usize) -> String {
    format!("RETURN {}{}", "[".repeat(n), "]".repeat(n))
}

/// Fails when a process's outcome shows a crash rather than an answer.
fn no_crash(what: &str, code: i32, stdout: &str, stderr: &str) {
    assert_ne!(code, -1, "{what}: killed by a signal\n{stderr}");
    assert!(
        code == 0 || code == 1,
        "{what}: exit status {code}\n{stderr}"
    );
    for sign in ["overflow", "panicked", "RUST_BACKTRACE"] {
        assert!(
            !stderr.contains(sign) || stderr.contains("long overflow"),
            "{what}: {sign}\n{}",
            &stderr[..stderr.len().min(2000)]
        );
        assert!(
            !stdout.contains(sign) || stdout.contains("long overflow"),
            "{what}"
        );
    }
}

/// The deep-nesting refusal: a syntax error, not an abort.
fn nesting_refused(what: &str, stderr: &str) {
    assert!(
        stderr.contains("Neo.ClientError.Statement.SyntaxError"),
        "{what}: {}",
        &stderr[..stderr.len().min(2000)]
    );
}

fn write_script(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, format!("{text};\n")).unwrap();
    path
}

#[test]
fn long_chains_and_deep_nesting_never_abort_check() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text, ok) in [
        ("plus", plus_chain(TERMS), true),
        ("and", and_chain(TERMS), true),
        ("parens", parens(TERMS), false),
        ("lists", lists(TERMS), false),
        ("parens at the limit", parens(DEEPEST), true),
        ("lists at the limit", lists(DEEPEST), true),
    ] {
        let path = write_script(&dir, name, &text);
        let (code, out, err) = run(cysh_bare().arg("check").arg(&path));
        no_crash(name, code, &out, &err);
        assert_eq!(code, i32::from(!ok), "{name}: {out}{err}");
    }
}

#[test]
fn long_chains_and_deep_nesting_never_abort_the_shell() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text, want) in [
        ("plus", plus_chain(TERMS), Some(TERMS.to_string())),
        ("and", and_chain(TERMS), Some("neo4j".to_string())),
        ("parens", parens(TERMS), None),
        ("lists", lists(TERMS), None),
    ] {
        let path = write_script(&dir, name, &text);
        // -f and stdin.
        let (code, out, err) = run(cysh().args(["--format", "plain", "-f"]).arg(&path));
        no_crash(name, code, &out, &err);
        let (code2, out2, err2) = run(cysh()
            .args(["--format", "plain"])
            .write_stdin(format!("{text};\n")));
        no_crash(name, code2, &out2, &err2);
        match &want {
            Some(value) => {
                assert_eq!(code, 0, "{name}: {err}");
                assert!(out.contains(value.as_str()), "{name}: {out}");
                assert_eq!(out, out2, "{name}: stdin and -f agree");
            }
            None => {
                nesting_refused(name, &err);
                nesting_refused(name, &err2);
            }
        }
    }
}

#[test]
fn long_chains_and_deep_nesting_never_abort_param_assignment() {
    // One argument may hold at most 128 KiB on Linux: 60,000 terms fit, well past the
    // 20,000 that aborted before.
    let n = 60_000;
    let chain = format!("a => {}", plus_chain(n).trim_start_matches("RETURN "));
    let (code, out, err) = run(cysh()
        .args(["--format", "plain", "-P", &chain])
        .arg("RETURN $a AS a"));
    no_crash("-P chain", code, &out, &err);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&n.to_string()), "{out}");

    let deep = format!("a => {}", "[".repeat(60_000) + &"]".repeat(60_000));
    let (code, out, err) = run(cysh().args(["-P", &deep]).arg("RETURN 1"));
    no_crash("-P nesting", code, &out, &err);
    assert_eq!(code, 1);
    // The error quotes at most a line of the input, not 120 KB of it twice.
    assert!(err.len() < 4096, "{} bytes of error", err.len());

    let (code, out, err) = run(cysh_bare()
        .args(["check", "-P", &chain])
        .write_stdin("RETURN $a;\n"));
    no_crash("check -P chain", code, &out, &err);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn deep_values_built_at_run_time_render_and_drop() {
    // A value nested far deeper than any literal may be: reduce() wraps a list 100,000
    // times. Rendering it (table, plain, JSON) and dropping it must not abort.
    let text = format!(
        "RETURN size(reduce(acc = [], x IN range(1, {TERMS}) | [acc])) AS s, \
         reduce(acc = [], x IN range(1, {TERMS}) | [acc]) AS deep"
    );
    for format in ["plain", "verbose", "json"] {
        let (code, out, err) = run(cysh().args(["--format", format, &text]));
        no_crash(format, code, &out, &err);
        assert!(err.contains("levels deep"), "{format}: {err}");
    }
    let (code, out, err) = run(cysh().args([
        "--format",
        "plain",
        "-P",
        &format!("deep => reduce(acc = [], x IN range(1, {TERMS}) | [acc])"),
        "RETURN size($deep) AS s",
    ]));
    no_crash("-P deep", code, &out, &err);
}

/// A `cysh serve` process on 127.0.0.1:0 with a known password.
pub struct Served {
    child: std::process::Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// `host:port`.
    pub addr: String,
}

/// The password `Served` servers give neo4j.
pub const SERVED_PASSWORD: &str = "hostile-test-1";

impl Served {
    /// Starts `cysh serve` with `args` (in memory unless they name a `--data-dir`).
    // The child is waited for by `Drop` once `Served` holds it.
    #[allow(clippy::zombie_processes)]
    pub fn start(args: &[&str]) -> Served {
        let storage: &[&str] = if args.contains(&"--data-dir") {
            &[]
        } else {
            &["--ephemeral"]
        };
        let mut child = std::process::Command::new(cysh_path())
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(storage)
            .args(args)
            .env("NEO4J_AUTH", format!("neo4j/{SERVED_PASSWORD}"))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("cysh serve starts");
        let mut out = std::io::BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        loop {
            line.clear();
            if out.read_line(&mut line).unwrap_or(0) == 0 {
                let _ = child.kill();
                let _ = child.wait();
                panic!("cysh serve printed no address");
            }
            if let Some(base) = line.trim().strip_prefix("Listening on ") {
                let base = base.to_string();
                let addr = base.trim_start_matches("http://").to_string();
                return Served { child, base, addr };
            }
        }
    }

    /// True while the process runs.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The process's resident set size, in KiB (Linux).
    pub fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }

    /// POSTs `statement` to the system database as neo4j over a fresh connection:
    /// (status, body).
    pub fn post(&self, statement: &str) -> (u16, String) {
        let body = serde_json::json!({ "statement": statement }).to_string();
        raw_request(
            &self.addr,
            &post_request(&self.addr, "/db/system/query/v2", &body),
        )
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP/1.1 POST of JSON with neo4j's credentials that closes the connection after.
pub fn post_request(addr: &str, path: &str, body: &str) -> Vec<u8> {
    let auth = crate::http::basic("neo4j", SERVED_PASSWORD);
    let mut req = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {auth}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    req.extend_from_slice(body.as_bytes());
    req
}

/// Sends `request` on a new connection and reads the reply to its end: (status, body).
/// Status 0: the connection closed without a reply.
pub fn raw_request(addr: &str, request: &[u8]) -> (u16, String) {
    let mut tcp = TcpStream::connect(addr).expect("connect");
    tcp.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    tcp.write_all(request).expect("request written");
    let mut reply = Vec::new();
    let _ = tcp.read_to_end(&mut reply);
    let text = String::from_utf8_lossy(&reply).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn long_chains_and_deep_nesting_never_abort_the_server() {
    // The Query API takes statements of up to 100,000 characters: the longest chains and
    // deepest nesting that fit, and past it the documented refusal.
    let mut served = Served::start(&[]);
    let fit = 49_990;
    for (name, text, ok) in [
        ("plus", plus_chain(fit), true),
        ("and", and_chain(11_000), true),
        ("parens", parens(fit), false),
        ("lists", lists(fit), false),
        ("too long", plus_chain(TERMS), false),
        // Valid statements nested as deeply as the parser allows: parsed, checked and run
        // on the server's worker threads (their stacks grow on the heap).
        ("parens at the limit", parens(DEEPEST), true),
        ("lists at the limit", lists(DEEPEST), true),
    ] {
        let (status, body) = served.post(&text);
        assert!(served.alive(), "{name}: cysh serve died");
        if ok {
            assert_eq!(status, 202, "{name}: {}", &body[..body.len().min(500)]);
        } else {
            assert_eq!(status, 400, "{name}");
            assert!(
                body.contains("SyntaxError") || body.contains("longer than 100000"),
                "{name}: {}",
                &body[..body.len().min(500)]
            );
        }
    }
    let deep = format!("RETURN reduce(acc = [], x IN range(1, {TERMS}) | [acc]) AS deep");
    let (_, _) = served.post(&deep);
    assert!(served.alive(), "a deep value killed cysh serve");
    // The same through the shell against the server.
    let dir = tempfile::tempdir().unwrap();
    let path = write_script(&dir, "plus", &plus_chain(fit));
    let (code, out, err) = run(cysh_bare()
        .args([
            "-a",
            &served.base,
            "-u",
            "neo4j",
            "-p",
            SERVED_PASSWORD,
            "--format",
            "plain",
            "-f",
        ])
        .arg(&path));
    no_crash("remote -f", code, &out, &err);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&fit.to_string()), "{out}");
    assert!(served.alive());
    let (status, _) = served.post("SHOW DATABASES");
    assert_eq!(status, 202);
}
