//! cysh's own Bolt client (`-a neo4j://…`, `bolt://…`): against `cysh serve --bolt` it
//! gives the embedded shell's output for every scenario in every format, over plain TCP
//! and TLS (`+s` with a test CA, `+ssc`); against a scripted Bolt server of this file it
//! retries NotALeader and lost connections on a fresh routing table, reports a lost
//! direct connection in one line, and answers Ctrl-C with RESET.

use crate::http::{PASSWORD, TestServer};
use crate::util::{cysh, normalise_timings, run};
use cysh::bolt::chunk::{Dechunker, write_message};
use cysh::bolt::{Dialect, Meta, Request, Response};
use cysh::server::Options;
use cysh::value::Value;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn scenario_files(dir: &str) -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("scenario directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "cypher"))
        .collect();
    files.sort();
    files
}

/// Server ids are random per cluster: replace UUIDs and server ports, and sort lines
/// (rows sorted by id come out in another order in each cluster).
fn normalise(text: &str) -> Vec<String> {
    let text = normalise_timings(text);
    let mut out = String::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let uuid = i + 36 <= b.len()
            && b[i..i + 36].iter().enumerate().all(|(k, c)| match k {
                8 | 13 | 18 | 23 => *c == b'-',
                _ => c.is_ascii_hexdigit(),
            });
        if uuid {
            out.push_str("<uuid>");
            i += 36;
        } else {
            out.push(b[i] as char);
            i += 1;
        }
    }
    // Which server hosts what depends on the random ids: mask the server ports too.
    let mut masked = String::new();
    let mut rest = out.as_str();
    while let Some(pos) = rest.find("localhost:") {
        let after = &rest[pos + "localhost:".len()..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        masked.push_str(&rest[..pos]);
        masked.push_str("localhost:<port>");
        rest = &after[digits..];
    }
    masked.push_str(rest);
    let mut lines: Vec<String> = masked.lines().map(String::from).collect();
    lines.sort();
    lines
}

#[test]
fn bolt_scenarios_match_the_embedded_backend_in_every_format() {
    for file in scenario_files("tests/data/remote") {
        for format in ["verbose", "plain", "json"] {
            let server = TestServer::start_with(3, Options::default());
            let address = format!("neo4j://{}", server.bolt);
            let embedded = run(cysh()
                .args(["--format", format, "--fail-at-end"])
                .args(["-P", "{name: 'fromparam'}", "-f"])
                .arg(&file));
            let bolt = run(cysh()
                .args(["-a", &address, "-u", "neo4j", "-p", PASSWORD])
                .args(["--format", format, "--fail-at-end"])
                .args(["-P", "{name: 'fromparam'}", "-f"])
                .arg(&file));
            let name = format!("{} --format {format}", file.display());
            assert_eq!(bolt.0, embedded.0, "{name}: exit status\n{}", bolt.2);
            assert_eq!(normalise(&bolt.1), normalise(&embedded.1), "{name}: stdout");
            assert_eq!(normalise(&bolt.2), normalise(&embedded.2), "{name}: stderr");
        }
    }
}

/// The cluster scenario scripts (deterministic server ids) through `cysh serve --bolt`
/// and `-a neo4j://` give exactly their expected output.
#[test]
fn bolt_cluster_scenarios_give_their_expected_output() {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut failures = Vec::new();
    let scripts = scenario_files("tests/data/scenarios");
    for script in &scripts {
        let text = std::fs::read_to_string(script).expect("script");
        let args: Vec<String> = match text.lines().next().and_then(|l| l.strip_prefix("// args:")) {
            Some(a) => a.split_whitespace().map(String::from).collect(),
            None => vec!["--servers".into(), "0".into()],
        };
        let mut config = cysh::cluster::Config::with_servers(0);
        let mut shell_args = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--servers" => {
                    config.servers = it.next().and_then(|n| n.parse().ok()).unwrap_or(0);
                }
                "--config" => {
                    let path = data.join(it.next().map_or("", String::as_str));
                    config.read_file(&path).expect("scenario config");
                }
                other => shell_args.push(other.to_string()),
            }
        }
        let server = TestServer::start_with_config(config, Options::default());
        let rel = script.strip_prefix(&data).unwrap().display().to_string();
        let address = format!("neo4j://{}", server.bolt);
        let (code, stdout, stderr) = run(cysh()
            .current_dir(&data)
            .args(["-a", &address, "-u", "neo4j", "-p", PASSWORD])
            .args(&shell_args)
            .args(["--format", "verbose", "--fail-at-end", "-f", &rel]));
        let want_out = crate::util::expected_out(script);
        let want_err = crate::util::expected_err(script);
        if normalise_timings(&stdout) != want_out {
            failures.push(format!(
                "{rel}: stdout differs\n--- got\n{stdout}--- expected\n{want_out}"
            ));
        }
        if stderr != want_err {
            failures.push(format!(
                "{rel}: stderr differs\n--- got\n{stderr}--- expected\n{want_err}"
            ));
        }
        if code != i32::from(!want_err.is_empty()) {
            failures.push(format!("{rel}: exit status {code}"));
        }
    }
    assert!(scripts.len() >= 5);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn bolt_transactions_bookmarks_and_schemes() {
    let server = TestServer::start();
    for scheme in ["bolt", "neo4j"] {
        let address = format!("{scheme}://neo4j:{PASSWORD}@{}", server.bolt);
        let (status, out, err) = run(cysh().args(["-a", &address, "--format", "plain"]).write_stdin(
            format!(
                ":begin\nCREATE DATABASE tx{scheme};\nSHOW DATABASE tx{scheme} YIELD name;\n:rollback\n\
                 SHOW DATABASE tx{scheme} YIELD name;\n:begin\nCREATE DATABASE keep{scheme};\n:commit\n\
                 SHOW DATABASE keep{scheme} YIELD name;\n"
            ),
        ));
        assert_eq!(status, 0, "{err}");
        assert_eq!(
            out,
            format!("name\n\"tx{scheme}\"\nname\n\"keep{scheme}\"\n")
        );
    }
    // No scheme means neo4j://; a wrong password is one line and exit 1.
    let (status, _, err) = run(cysh().args([
        "-a",
        &server.bolt,
        "-u",
        "neo4j",
        "-p",
        "wrong",
        "SHOW SERVERS",
    ]));
    assert_eq!(status, 1);
    assert_eq!(
        err,
        "The client is unauthorized due to authentication failure.\n"
    );
}

#[test]
fn bolt_over_tls_with_a_test_ca_and_self_signed() {
    let dir = tempfile::tempdir().unwrap();
    crate::serve::test_certificates(dir.path());
    let tls =
        cysh::server::tls::load_config(&dir.path().join("leaf.pem"), &dir.path().join("leaf.key"))
            .unwrap();
    let server = TestServer::start_with(
        3,
        Options {
            tls: Some(tls),
            ..Options::default()
        },
    );
    let port = server.bolt.rsplit_once(':').unwrap().1.to_string();
    let shell = |address: &str, ca: &str| {
        run(cysh().env("SSL_CERT_FILE", dir.path().join(ca)).args([
            "-a",
            address,
            "-u",
            "neo4j",
            "-p",
            PASSWORD,
            "--format",
            "plain",
            "SHOW SERVERS YIELD address",
        ]))
    };
    for scheme in ["bolt+s", "neo4j+s"] {
        let (status, out, err) = shell(&format!("{scheme}://localhost:{port}"), "ca.pem");
        assert_eq!(status, 0, "{scheme}: {err}");
        assert!(out.contains("localhost:7687"), "{out}");
    }
    // +ssc accepts a certificate no trusted CA signed.
    let (status, _, err) = shell(&format!("bolt+ssc://localhost:{port}"), "other-ca.pem");
    assert_eq!(status, 0, "{err}");
    // +s refuses it, in one line that says what to try.
    let (status, _, err) = shell(&format!("bolt+s://localhost:{port}"), "other-ca.pem");
    assert_eq!(status, 1);
    assert!(
        err.starts_with("TLS connection to bolt+s://localhost:"),
        "{err}"
    );
    assert!(err.contains("+ssc"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    // Plain Bolt to a TLS listener: a one-line failure naming the address.
    let (status, _, err) = shell(&format!("bolt://localhost:{port}"), "ca.pem");
    assert_eq!(status, 1);
    assert!(err.contains(&format!("bolt://localhost:{port}")), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

/// What the scripted server does with each RUN, in turn.
#[derive(Clone, Copy, Debug)]
enum Play {
    /// FAILURE Neo.ClientError.Cluster.NotALeader.
    NotALeader,
    /// Close the connection without a word.
    Disconnect,
    /// One record, `x = 1`.
    Rows,
    /// Never answer, until RESET.
    Hang,
    /// Answer as a Neo4j server with JMX metrics answers `:sysinfo`'s queries: one
    /// database, the metrics prefix `neo4j`, and only the Store Size metrics.
    Sysinfo,
}

/// A Bolt server that follows a script, logging the requests it gets.
struct Scripted {
    addr: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Scripted {
    fn start(plays: Vec<Play>) -> Scripted {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let log = Arc::new(Mutex::new(Vec::new()));
        let next = Arc::new(AtomicUsize::new(0));
        let plays = Arc::new(plays);
        {
            let (log, addr) = (Arc::clone(&log), addr.clone());
            std::thread::spawn(move || {
                for tcp in listener.incoming().flatten() {
                    let (log, next, plays, addr) = (
                        Arc::clone(&log),
                        Arc::clone(&next),
                        Arc::clone(&plays),
                        addr.clone(),
                    );
                    std::thread::spawn(move || serve_script(tcp, &log, &next, &plays, &addr));
                }
            });
        }
        Scripted { addr, log }
    }

    fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    fn count(&self, name: &str) -> usize {
        self.log().iter().filter(|l| *l == name).count()
    }
}

fn map(pairs: &[(&str, Value)]) -> Meta {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn serve_script(
    mut tcp: TcpStream,
    log: &Mutex<Vec<String>>,
    next: &AtomicUsize,
    plays: &[Play],
    addr: &str,
) {
    let mut hello = [0u8; 20];
    if tcp.read_exact(&mut hello).is_err() {
        return;
    }
    // Bolt 5.4, which the client offers in its second slot.
    let _ = tcp.write_all(&[0, 0, 4, 5]);
    let mut dechunker = Dechunker::default();
    let mut failed = false;
    let mut hanging = false;
    let mut rows: Vec<Vec<Value>> = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let Ok(Some(message)) = dechunker.next_message() else {
            match tcp.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => dechunker.push(&buf[..n]),
            }
            continue;
        };
        let Ok(request) = Request::decode(&message) else {
            return;
        };
        log.lock().unwrap().push(request.name().to_string());
        let mut answers = Vec::new();
        match request {
            Request::Hello(_) => answers.push(Response::Success(map(&[(
                "server",
                Value::str("Neo4j/5.26.0"),
            )]))),
            Request::Logon(_) => answers.push(Response::Success(Meta::new())),
            Request::Route { .. } => {
                let server = |role: &str| {
                    Value::Map(map(&[
                        ("addresses", Value::str_list([addr])),
                        ("role", Value::str(role)),
                    ]))
                };
                let rt = map(&[
                    ("ttl", Value::Int(300)),
                    ("db", Value::str("system")),
                    (
                        "servers",
                        Value::List(vec![server("WRITE"), server("READ"), server("ROUTE")]),
                    ),
                ]);
                answers.push(Response::Success(map(&[("rt", Value::Map(rt))])));
            }
            Request::Run { .. } if failed || hanging => answers.push(Response::Ignored),
            Request::Run { ref query, .. } => match plays
                .get(next.fetch_add(1, Ordering::SeqCst))
                .copied()
                .unwrap_or(Play::Rows)
            {
                Play::NotALeader => {
                    failed = true;
                    answers.push(Response::Failure(map(&[
                        ("code", Value::str("Neo.ClientError.Cluster.NotALeader")),
                        (
                            "message",
                            Value::str("No write operations are allowed on this database."),
                        ),
                    ])));
                }
                Play::Disconnect => return,
                Play::Rows => {
                    rows = vec![vec![Value::Int(1)]];
                    answers.push(Response::Success(map(&[(
                        "fields",
                        Value::str_list(["x"]),
                    )])));
                }
                Play::Sysinfo => {
                    let (fields, answer) = sysinfo_answer(query);
                    rows = answer;
                    answers.push(Response::Success(map(&[(
                        "fields",
                        Value::str_list(fields),
                    )])));
                }
                Play::Hang => hanging = true,
            },
            Request::Pull { .. } if failed => answers.push(Response::Ignored),
            Request::Pull { .. } if hanging => {}
            Request::Pull { .. } => {
                for row in std::mem::take(&mut rows) {
                    answers.push(Response::Record(row));
                }
                answers.push(Response::Success(map(&[
                    ("type", Value::str("r")),
                    ("bookmark", Value::str("bm:1")),
                ])));
            }
            Request::Reset => {
                if hanging {
                    // The RUN and PULL that were never answered.
                    answers.push(Response::Ignored);
                    answers.push(Response::Ignored);
                }
                failed = false;
                hanging = false;
                answers.push(Response::Success(Meta::new()));
            }
            Request::Goodbye => return,
            _ => answers.push(Response::Success(Meta::new())),
        }
        let mut out = Vec::new();
        for a in answers {
            write_message(&mut out, &a.encode(Dialect::V5));
        }
        if tcp.write_all(&out).is_err() {
            return;
        }
    }
}

/// What a Neo4j server with JMX metrics answers to `:sysinfo`'s queries.
fn sysinfo_answer(query: &str) -> (Vec<&'static str>, Vec<Vec<Value>>) {
    if query.starts_with("SHOW DATABASES") {
        let row = ["neo4j", "localhost:7687", "primary", "online"].map(Value::str);
        let mut row = row.to_vec();
        row.push(Value::Bool(true));
        (
            vec!["Name", "Address", "Role", "Status", "Default"],
            vec![row],
        )
    } else if query.contains("dbms.clientConfig") {
        let row = vec![Value::str("server.metrics.prefix"), Value::str("neo4j")];
        (vec!["name", "value"], vec![row])
    } else if query.contains("neo4j.metrics:name=neo4j.database.neo4j.store.size.total") {
        let rows = vec![
            vec![Value::str("Total"), Value::Int(1024)],
            vec![Value::str("Database"), Value::Int(512)],
        ];
        (vec!["Name", "Value"], rows)
    } else {
        // Metrics the server does not expose: no rows.
        (vec!["Name", "Value"], Vec::new())
    }
}

/// `:sysinfo` against a server that exposes JMX metrics: the Databases table, then the
/// metric groups it has (here Store Size, read for the default database under the prefix
/// `dbms.clientConfig()` names), and none of those it lacks.
#[test]
fn sysinfo_reads_a_servers_jmx_metrics() {
    let s = Scripted::start(vec![Play::Sysinfo; 8]);
    let (status, out, err) = run(cysh().args([
        "-a",
        &format!("bolt://{}", s.addr),
        "-u",
        "neo4j",
        "-p",
        "pw",
        "--format",
        "plain",
        ":sysinfo",
    ]));
    assert_eq!(status, 0, "{err}");
    assert_eq!(
        out,
        "\nDatabases\nName, Address, Role, Status, Default\n\
         \"neo4j\", \"localhost:7687\", \"primary\", \"online\", TRUE\n\
         \nStore Size\nName, Value\n\"Total\", 1024\n\"Database\", 512\n"
    );
}

fn against(address: &str) -> (i32, String, String) {
    run(cysh().env("CYSH_BOLT_RETRY_MS", "5000").args([
        "-a",
        address,
        "-u",
        "neo4j",
        "-p",
        "pw",
        "--format",
        "plain",
        "SHOW SERVERS",
    ]))
}

#[test]
fn bolt_routing_retries_not_a_leader_on_a_fresh_table() {
    let s = Scripted::start(vec![Play::NotALeader, Play::Rows]);
    let (status, out, err) = against(&format!("neo4j://{}", s.addr));
    assert_eq!(status, 0, "{err}");
    assert_eq!(out, "x\n1\n");
    assert_eq!(s.count("RUN"), 2, "{:?}", s.log());
    assert!(
        s.count("ROUTE") >= 2,
        "the table was refreshed: {:?}",
        s.log()
    );
    assert!(s.count("RESET") >= 1, "{:?}", s.log());
    // bolt:// does not route, so NotALeader is the statement's error.
    let s = Scripted::start(vec![Play::NotALeader]);
    let (status, _, err) = against(&format!("bolt://{}", s.addr));
    assert_eq!(status, 1);
    assert!(
        err.starts_with("Neo.ClientError.Cluster.NotALeader: "),
        "{err}"
    );
    assert_eq!(s.count("ROUTE"), 0);
}

#[test]
fn bolt_routing_reconnects_after_a_lost_connection_and_direct_reports_it() {
    let s = Scripted::start(vec![Play::Disconnect, Play::Rows]);
    let (status, out, err) = against(&format!("neo4j://{}", s.addr));
    assert_eq!(status, 0, "{err}");
    assert_eq!(out, "x\n1\n");
    assert!(s.count("HELLO") >= 2, "{:?}", s.log());
    let s = Scripted::start(vec![Play::Disconnect]);
    let address = format!("bolt://{}", s.addr);
    let (status, _, err) = against(&address);
    assert_eq!(status, 1);
    assert!(
        err.starts_with(&format!(
            "Connection to {address} failed: the connection was lost"
        )),
        "{err}"
    );
    // The statement was sent before the connection went: its outcome is unknown, and
    // the shell says which one it was (issue 14).
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        lines[1]
            .starts_with("The outcome of the statement in the input, line 1, column 1 is unknown"),
        "{err}"
    );
}

#[test]
fn bolt_ctrl_c_sends_reset() {
    let s = Scripted::start(vec![Play::Hang]);
    let mut child = std::process::Command::new(crate::util::cysh_path())
        .env("XDG_DATA_HOME", crate::util::data_home())
        .env("NO_COLOR", "1")
        .args([
            "-a",
            &format!("bolt://{}", s.addr),
            "-u",
            "neo4j",
            "-p",
            "pw",
            "SHOW SERVERS",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while s.count("RUN") == 0 {
        assert!(Instant::now() < deadline, "no RUN: {:?}", s.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    // Let the client start listening for the signal while it waits.
    std::thread::sleep(Duration::from_millis(300));
    let pid = nix::unistd::Pid::from_raw(i32::try_from(child.id()).unwrap());
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT).unwrap();
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(s.count("RESET") >= 1, "{:?}", s.log());
    assert_eq!(status.code(), Some(1), "{err}");
    assert!(err.contains("interrupted"), "{err}");
}

/// On a terminal, a user whose password must change is asked for a new one at once, as
/// cypher-shell does; the session then runs as that user with the new password.
#[test]
fn bolt_credentials_expired_asks_for_a_new_password() {
    use rexpect::session::spawn_command;
    let server = TestServer::start();
    let (status, _, err) = run(server
        .shell()
        .arg("CREATE USER alice SET PASSWORD 'old-secret' CHANGE REQUIRED"));
    assert_eq!(status, 0, "{err}");
    // Piped, the first statement just gets the server's error.
    let address = format!("bolt://{}", server.bolt);
    let (status, _, err) = run(cysh().args([
        "-a",
        &address,
        "-u",
        "alice",
        "-p",
        "old-secret",
        "SHOW CURRENT USER",
    ]));
    assert_eq!(status, 1);
    assert!(
        err.starts_with("Neo.ClientError.Security.CredentialsExpired: "),
        "{err}"
    );
    let mut cmd = std::process::Command::new(crate::util::cysh_path());
    cmd.args(["-a", &address, "-u", "alice", "-p", "old-secret"])
        .env("NO_COLOR", "1")
        .env("TERM", "dumb")
        .env("CYSH_HISTORY", "in-memory")
        .env("XDG_DATA_HOME", crate::util::data_home());
    let mut p = spawn_command(cmd, Some(20_000)).expect("spawn cysh in a pty");
    p.exp_string("Password change required").expect("notice");
    p.exp_string("new password: ").expect("new password prompt");
    p.send_line("new-secret").expect("send");
    p.exp_string("confirm password: ").expect("confirm prompt");
    p.send_line("new-secret").expect("send");
    p.exp_string("alice@system> ").expect("prompt");
    p.send_line(":exit").expect("send");
    p.exp_eof().expect("exit");
    let (status, out, err) = run(cysh().args([
        "-a",
        &address,
        "-u",
        "alice",
        "-p",
        "new-secret",
        "--format",
        "plain",
        "SHOW CURRENT USER YIELD user, passwordChangeRequired",
    ]));
    assert_eq!(status, 0, "{err}");
    assert_eq!(out, "user, passwordChangeRequired\n\"alice\", FALSE\n");
}

#[test]
fn bolt_access_mode_command_and_flag() {
    let server = TestServer::start();
    let address = format!("neo4j://{}", server.bolt);
    let (status, out, err) = run(cysh()
        .args(["-a", &address, "-u", "neo4j", "-p", PASSWORD, "--format", "plain"])
        .write_stdin(":access-mode\n:access-mode read\n:access-mode\nSHOW SERVERS YIELD address ORDER BY address LIMIT 1;\n:access-mode write\n:access-mode\n"));
    assert_eq!(status, 0, "{err}");
    assert_eq!(
        out,
        "Access mode write\nAccess mode read\naddress\n\"localhost:7687\"\nAccess mode write\n"
    );
    // Read mode refuses writes, as Neo4j's READ access mode does.
    let (status, _, err) = run(cysh().args([
        "-a",
        &address,
        "-u",
        "neo4j",
        "-p",
        PASSWORD,
        "--access-mode",
        "read",
        "CREATE DATABASE nope",
    ]));
    assert_eq!(status, 1);
    assert!(
        err.contains("Writing in read access mode not allowed"),
        "{err}"
    );
    // The embedded cluster has no readers to choose.
    let (status, _, err) = run(cysh().write_stdin(":access-mode read\n"));
    assert_eq!(status, 1);
    assert!(err.contains("Bolt connection"), "{err}");
}

/// `:disconnect` closes the Bolt connections and `:connect` dials the same address again,
/// as another user with `-u`, over both schemes; in between, statements are refused.
#[test]
fn bolt_disconnect_and_connect_switch_users() {
    let server = TestServer::start();
    let setup = format!("bolt://neo4j:{PASSWORD}@{}", server.bolt);
    let (status, _, err) = run(cysh().args(["-a", &setup]).write_stdin(
        "CREATE USER carol IF NOT EXISTS SET PASSWORD 'carol-password' CHANGE NOT REQUIRED;\n",
    ));
    assert_eq!(status, 0, "{err}");
    for scheme in ["bolt", "neo4j"] {
        let address = format!("{scheme}://neo4j:{PASSWORD}@{}", server.bolt);
        let (status, out, err) = run(cysh()
            .args(["-a", &address, "--format", "plain", "--fail-at-end"])
            .write_stdin(
                ":disconnect\nSHOW CURRENT USER YIELD user;\n\
                 :connect -u carol -p carol-password\nSHOW CURRENT USER YIELD user;\n\
                 :disconnect\n:connect\nSHOW CURRENT USER YIELD user;\n",
            ));
        assert_eq!(status, 1, "{err}");
        assert_eq!(out, "user\n\"carol\"\nuser\n\"carol\"\n", "{scheme}");
        assert_eq!(err, "Not connected to Neo4j\n", "{scheme}");
    }
}
