//! Results that stream instead of being held whole: a graph-free query's rows computed as
//! they are pulled (a range far past what cysh would build as a list), the Bolt server's
//! PULL paging them batch by batch, and the shell writing them as they come and stopping
//! when its reader goes away (`| head`), embedded and over Bolt.

use crate::bolt::{BoltServer, PASSWORD, Raw, meta};
use crate::util::{cysh, cysh_bare, cysh_path, data_home, run};
use cysh::bolt::{Meta, Request, Response};
use cysh::value::Value;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A query with far more rows than cysh holds as a list (it refuses to build this range).
const HUGE: &str = "UNWIND range(1, 100000000000) AS x RETURN x";

/// Starts `cysh ARGS`, reads `n` lines of its standard output, closes it as `head` would,
/// and waits for the process to end (bounded, so a shell that never stops fails the test
/// instead of hanging it). Returns the lines and the exit code.
fn first_lines_then_close(args: &[&str], n: usize) -> (Vec<String>, Option<i32>) {
    let mut child = Command::new(cysh_path())
        .args(args)
        .env("XDG_DATA_HOME", data_home())
        .env("NO_COLOR", "1")
        .env_remove("NEO4J_ADDRESS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("cysh starts");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut lines = Vec::new();
    for _ in 0..n {
        let mut line = String::new();
        if out.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        lines.push(line.trim_end().to_string());
    }
    drop(out);
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return (lines, status.code());
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("cysh went on after its output was closed; read {lines:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_lazy_query_streams_through_the_embedded_shell_until_the_reader_goes() {
    let (lines, _) = first_lines_then_close(&["--ephemeral", "--format", "plain", HUGE], 3);
    assert_eq!(lines, ["x", "1", "2"]);
    // The same range built as a list is refused, so the rows above were never a list.
    let (code, _, err) = run(cysh().args(["RETURN size(range(1, 100000000000)) AS n"]));
    assert_eq!(code, 1);
    assert!(err.contains("more than cysh evaluates locally"), "{err}");
    // A LIMIT computes only what it returns; the table and footer count them.
    let (code, out, _) = run(cysh().args([
        "--format",
        "verbose",
        "UNWIND range(1, 100000000000) AS x WITH x WHERE x % 1000 = 0 RETURN x LIMIT 2",
    ]));
    assert_eq!(code, 0);
    assert!(
        out.starts_with("+------+\n| x    |\n+------+\n| 1000 |\n| 2000 |\n+------+\n\n2 rows\n"),
        "{out}"
    );
}

#[test]
fn an_error_after_some_rows_shows_them_then_fails_the_statement() {
    let (code, out, err) = run(cysh().args([
        "--format",
        "plain",
        "UNWIND [1, 2, 0, 4] AS x RETURN 10 / x AS y",
    ]));
    assert_eq!(code, 1);
    assert_eq!(out, "y\n10\n5\n");
    assert!(err.contains("/ by zero"), "{err}");
}

#[test]
fn bolt_pull_pages_a_lazy_result_and_discard_drops_the_rest() {
    let server = BoltServer::start(&[]);
    let mut raw = Raw::logged_in(&server.bolt);
    let run_query = |raw: &mut Raw, query: &str| {
        raw.send(&Request::Run {
            query: query.into(),
            params: Meta::new(),
            extra: Meta::new(),
        });
        let Some(Response::Success(m)) = raw.recv() else {
            panic!("RUN {query}")
        };
        m
    };
    let m = run_query(&mut raw, HUGE);
    assert_eq!(m["fields"], Value::str_list(["x"]));
    raw.send(&Request::Pull { n: 3, qid: -1 });
    for want in 1..=3 {
        assert_eq!(raw.recv(), Some(Response::Record(vec![Value::Int(want)])));
    }
    assert_eq!(
        raw.recv(),
        Some(Response::Success(meta(&[("has_more", Value::Bool(true))])))
    );
    raw.send(&Request::Discard { n: -1, qid: -1 });
    let Some(Response::Success(done)) = raw.recv() else {
        panic!("DISCARD")
    };
    assert_eq!(done["type"], Value::str("r"));
    // PULL -1 of more rows than one batch sends them all, in order, then the summary.
    run_query(&mut raw, "UNWIND range(1, 2500) AS x RETURN x");
    raw.send(&Request::Pull { n: -1, qid: -1 });
    for want in 1..=2500 {
        assert_eq!(raw.recv(), Some(Response::Record(vec![Value::Int(want)])));
    }
    assert!(matches!(raw.recv(), Some(Response::Success(m)) if m.contains_key("type")));
    // A row that fails to compute is the statement's FAILURE, after the rows before it.
    run_query(&mut raw, "UNWIND [1, 0] AS x RETURN 1 / x AS y");
    raw.send(&Request::Pull { n: -1, qid: -1 });
    assert_eq!(raw.recv(), Some(Response::Record(vec![Value::Int(1)])));
    let Some(Response::Failure(f)) = raw.recv() else {
        panic!("no FAILURE")
    };
    assert_eq!(
        f["code"],
        Value::str("Neo.ClientError.Statement.ArithmeticError")
    );
    raw.send(&Request::Reset);
    assert_eq!(raw.recv(), Some(Response::Success(Meta::new())));
}

#[test]
fn the_bolt_client_streams_and_stops_when_the_reader_goes() {
    let server = BoltServer::start(&[]);
    let address = format!("bolt://{}", server.bolt);
    let (lines, _) = first_lines_then_close(
        &[
            "-a", &address, "-u", "neo4j", "-p", PASSWORD, "--format", "plain", HUGE,
        ],
        3,
    );
    assert_eq!(lines, ["x", "1", "2"]);
    // The server and its other sessions go on.
    let (code, out, err) = run(cysh_bare().args([
        "-a",
        &address,
        "-u",
        "neo4j",
        "-p",
        PASSWORD,
        "--format",
        "plain",
        "UNWIND range(1, 3) AS x RETURN x",
    ]));
    assert_eq!((code, out.as_str()), (0, "x\n1\n2\n3\n"), "{err}");
}
