//! The shell against `cysh serve` over HTTP (`-a`): the same scenario scripts give the
//! same output as the embedded backend, and every connection failure gives its one-line
//! message and exit status 1.

use crate::http::{PASSWORD, TestServer};
use crate::util::{cysh, normalise_timings, run};
use cysh::server::Options;
use std::io::{Read, Write};

fn scenario_files() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/remote");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("scenario directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "cypher"))
        .collect();
    files.sort();
    files
}

/// Server ids are random per cluster, and the default database goes to the server with
/// the lowest id: replace UUIDs and server ports so two clusters compare equal, and sort
/// the lines, since rows sorted by id come out in a different order in each cluster.
fn normalise(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = mask_ports(&replace_uuids(text))
        .lines()
        .map(String::from)
        .collect();
    lines.sort();
    lines
}

fn replace_uuids(text: &str) -> String {
    let mut out = String::new();
    let mut rest = normalise_timings(text);
    while let Some(pos) = find_uuid(&rest) {
        out.push_str(&rest[..pos]);
        out.push_str("<uuid>");
        rest = rest[pos + 36..].to_string();
    }
    out.push_str(&rest);
    out
}

fn mask_ports(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(pos) = rest.find("localhost:") {
        let after = &rest[pos + "localhost:".len()..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        out.push_str(&rest[..pos]);
        out.push_str("localhost:<port>");
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

fn find_uuid(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(35)).find(|&i| {
        b[i..i + 36].iter().enumerate().all(|(k, c)| match k {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
    })
}

#[test]
fn scenarios_match_the_embedded_backend() {
    for file in scenario_files() {
        // A fresh cluster on each side for each script.
        let server = TestServer::start_with(3, Options::default());
        let embedded = run(cysh()
            .args(["--format", "verbose", "--fail-at-end"])
            .args(["-P", "{name: 'fromparam'}", "-f"])
            .arg(&file));
        let remote = run(cysh()
            .args(["-a", server.address(), "-u", "neo4j", "-p", PASSWORD])
            .args(["--format", "verbose", "--fail-at-end"])
            .args(["-P", "{name: 'fromparam'}", "-f"])
            .arg(&file));
        let name = file.display();
        assert_eq!(remote.0, embedded.0, "{name}: exit status\n{}", remote.2);
        assert_eq!(
            normalise(&remote.1),
            normalise(&embedded.1),
            "{name}: stdout"
        );
        assert_eq!(
            normalise(&remote.2),
            normalise(&embedded.2),
            "{name}: stderr"
        );
        assert!(!embedded.1.is_empty());
    }
}

/// The embedded cluster's own scenario scripts (`tests/data/scenarios/`, deterministic
/// server ids) run through `cysh serve` and `-a` give exactly their expected output.
#[test]
fn cluster_scenarios_through_serve() {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut scripts: Vec<_> = std::fs::read_dir(data.join("scenarios"))
        .expect("tests/data/scenarios exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "cypher"))
        .collect();
    scripts.sort();
    let mut failures = Vec::new();
    for script in &scripts {
        let text = std::fs::read_to_string(script).expect("script");
        let args: Vec<String> = match text.lines().next().and_then(|l| l.strip_prefix("// args:")) {
            Some(a) => a.split_whitespace().map(String::from).collect(),
            None => vec!["--servers".into(), "0".into()],
        };
        // Cluster set-up flags go to the server; the rest to the shell.
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
        let rel = script
            .strip_prefix(&data)
            .expect("under data")
            .display()
            .to_string();
        let (code, stdout, stderr) = run(cysh()
            .current_dir(&data)
            .args(["-a", server.address(), "-u", "neo4j", "-p", PASSWORD])
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
    assert!(
        failures.is_empty(),
        "{} of {} scripts differ:\n{}",
        failures.len(),
        scripts.len(),
        failures.join("\n")
    );
}

#[test]
fn acceptance_show_servers_prints_the_embedded_table() {
    let server = TestServer::start_with(3, Options::default());
    let embedded = run(cysh().args(["--format", "verbose", "SHOW SERVERS"]));
    let remote = run(cysh()
        .env("NEO4J_ADDRESS", server.address())
        .env("NEO4J_USERNAME", "neo4j")
        .env("NEO4J_PASSWORD", PASSWORD)
        .args(["--format", "verbose", "SHOW SERVERS"]));
    assert_eq!(remote.0, 0, "{}", remote.2);
    assert_eq!(normalise(&remote.1), normalise(&embedded.1));
}

#[test]
fn transactions_over_http() {
    let server = TestServer::start();
    let (status, out, err) = run(server
        .shell()
        .args(["--format", "plain"])
        .write_stdin(":begin\nSHOW SERVERS;\n:commit\n:begin\nSHOW SERVERS;\n:rollback\n"));
    assert_eq!(status, 0, "{err}");
    assert_eq!(out.matches("localhost:7687").count(), 2, "{out}");
}

#[test]
fn wrong_password_is_one_line_and_exit_1() {
    let server = TestServer::start();
    let (status, out, err) = run(cysh().args([
        "-a",
        server.address(),
        "-u",
        "neo4j",
        "-p",
        "wrong",
        "SHOW SERVERS",
    ]));
    assert_eq!(status, 1);
    assert_eq!(out, "");
    assert_eq!(
        err,
        "The client is unauthorized due to authentication failure.\n"
    );
}

#[test]
fn connection_refused_is_one_line_and_exit_1() {
    // A port that was free a moment ago.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let address = format!("http://127.0.0.1:{port}");
    let (status, _, err) =
        run(cysh().args(["-a", &address, "-u", "neo4j", "-p", "x", "SHOW SERVERS"]));
    assert_eq!(status, 1);
    assert_eq!(
        err,
        format!(
            "Unable to connect to {address}, ensure the database is running and that there is a working network connection to it.\n"
        )
    );
}

/// Bolt addresses (and addresses without a scheme) are dialled over Bolt, not turned
/// into Query API URLs; a refused connection names the address as typed.
#[test]
fn bolt_addresses_are_dialled_over_bolt() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    for (given, shown) in [
        (
            format!("neo4j://127.0.0.1:{port}"),
            format!("neo4j://127.0.0.1:{port}"),
        ),
        (
            format!("127.0.0.1:{port}"),
            format!("neo4j://127.0.0.1:{port}"),
        ),
        (
            format!("bolt+s://127.0.0.1:{port}"),
            format!("bolt+s://127.0.0.1:{port}"),
        ),
    ] {
        let (status, _, err) =
            run(cysh().args(["-a", &given, "-u", "neo4j", "-p", "x", "SHOW SERVERS"]));
        assert_eq!(status, 1);
        assert_eq!(
            err,
            format!(
                "Unable to connect to {shown}, ensure the database is running and that there is a working network connection to it.\n"
            )
        );
    }
}

#[test]
fn both_address_variables_is_an_error() {
    let (status, _, err) = run(cysh()
        .env("NEO4J_ADDRESS", "http://localhost:1")
        .env("NEO4J_URI", "http://localhost:2")
        .arg("SHOW SERVERS"));
    assert_eq!(status, 1);
    assert_eq!(
        err,
        "Specify one or none of environment variables NEO4J_ADDRESS and NEO4J_URI\n"
    );
}

#[test]
fn missing_password_without_a_terminal_is_an_error() {
    let server = TestServer::start();
    let (status, _, err) =
        run(cysh().args(["-a", server.address(), "-u", "neo4j", "SHOW SERVERS"]));
    assert_eq!(status, 1);
    assert!(err.contains("No password given for user neo4j"), "{err}");
}

#[test]
fn a_server_that_is_not_the_query_api() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("addr"));
    let responder = std::thread::spawn(move || {
        // Answer the discovery request, then stop.
        for _ in 0..1 {
            let Ok((mut conn, _)) = listener.accept() else {
                return;
            };
            let mut buf = [0u8; 4096];
            let _ = conn.read(&mut buf);
            let _ = conn.write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 5\r\nconnection: close\r\n\r\nhello",
            );
        }
    });
    let (status, _, err) =
        run(cysh().args(["-a", &address, "-u", "neo4j", "-p", "x", "SHOW SERVERS"]));
    assert_eq!(status, 1);
    assert!(
        err.contains("does not serve the Neo4j HTTP Query API"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    let _ = responder.join();
}

/// On a terminal: a missing password is prompted for, bad credentials get one more try
/// with a prompted username and password, and the welcome names the server.
#[test]
fn terminal_prompts_for_credentials() {
    use rexpect::session::spawn_command;
    let server = TestServer::start();
    let spawn = |args: &[&str]| {
        let mut cmd = std::process::Command::new(crate::util::cysh_path());
        cmd.args(args)
            .env("NO_COLOR", "1")
            .env("TERM", "dumb")
            .env("CYSH_HISTORY", "in-memory")
            .env_remove("NEO4J_PASSWORD")
            .env_remove("NEO4J_USERNAME");
        spawn_command(cmd, Some(20_000)).expect("spawn cysh in a pty")
    };
    let mut p = spawn(&["-a", server.address(), "-u", "neo4j"]);
    p.exp_string("password: ").expect("password prompt");
    p.send_line(PASSWORD).expect("send");
    p.exp_string(&format!(
        "Connected to Neo4j 2026.09.0 at {} as user neo4j.",
        server.address()
    ))
    .expect("welcome");
    p.exp_string("neo4j@system> ").expect("prompt");
    p.send_line(":use neo4j").expect("send");
    p.exp_string("neo4j@neo4j> ").expect("prompt after :use");
    p.send_line(":exit").expect("send");
    p.exp_eof().expect("exit");

    let mut p = spawn(&["-a", server.address(), "-u", "neo4j", "-p", "wrong"]);
    p.exp_string("username: ").expect("username prompt");
    p.send_line("neo4j").expect("send");
    p.exp_string("password: ").expect("password prompt");
    p.send_line(PASSWORD).expect("send");
    p.exp_string("neo4j@system> ").expect("prompt");
    p.send_line(":exit").expect("send");
    p.exp_eof().expect("exit");
}

#[test]
fn a_server_that_never_answers_times_out() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("addr"));
    // Accept and hold the connection without answering, until the client gives up.
    let holder = std::thread::spawn(move || {
        let conn = listener.accept();
        std::thread::sleep(std::time::Duration::from_millis(1500));
        drop(conn);
    });
    let (status, _, err) = run(cysh().env("CYSH_REQUEST_TIMEOUT_MS", "300").args([
        "-a",
        &address,
        "-u",
        "neo4j",
        "-p",
        "x",
        "SHOW SERVERS",
    ]));
    assert_eq!(status, 1);
    assert_eq!(err, format!("Connection to {address} timed out.\n"));
    let _ = holder.join();
}

#[test]
fn params_that_need_a_server_are_evaluated_by_the_backend() {
    let server = TestServer::start();
    let (status, out, err) = run(server
        .shell()
        .args(["--format", "plain", "--fail-at-end"])
        .write_stdin(
            ":param {n: 1 + 1}\n:param up => toUpper('a')\n:param g => EXISTS { MATCH (n) }\n:params\n",
        ));
    // What needs no graph is evaluated locally; the subquery went to the server, which
    // here is the embedded cluster behind `cysh serve` and has no graph either.
    assert_eq!(status, 1);
    assert!(out.contains("n: 2") && out.contains("up: 'A'"), "{out}");
    assert!(
        err.contains("Failed to evaluate expression {g: EXISTS { MATCH (n) }}: ")
            && err.contains("needs a Neo4j server"),
        "{err}"
    );
    // The embedded backend evaluates functions itself, and says locally what needs a server.
    let (status, out, _) = run(cysh()
        .args(["--format", "plain"])
        .write_stdin(":param up => toUpper('a')\nRETURN $up;\n"));
    assert_eq!((status, out.as_str()), (0, "$up\n\"A\"\n"));
    let (_, _, err) = run(cysh().write_stdin(":param g => EXISTS { MATCH (n) }\n"));
    assert!(err.contains("needs a Neo4j server"), "{err}");
}

/// A stand-in Neo4j over real HTTP on loopback: it answers discovery, the credential
/// check and rollbacks itself, and each statement with `answer(body)`: `Some(json)` is
/// a 202 with that body, `None` holds the request until the test ends. It stands in for
/// what `cysh serve` cannot do, a cluster that takes its time.
fn stand_in(answer: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let answer = std::sync::Arc::new(answer);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let answer = std::sync::Arc::clone(&answer);
            std::thread::spawn(move || serve_stand_in(stream, &*answer));
        }
    });
    address
}

fn serve_stand_in(mut stream: std::net::TcpStream, answer: &dyn Fn(&str) -> Option<String>) {
    use std::io::BufRead;
    let mut reader = std::io::BufReader::new(stream.try_clone().unwrap());
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let mut length = 0;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            if header == "\r\n" {
                break;
            }
            if let Some(v) = header.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        let _ = reader.read_exact(&mut body);
        let (status, reply) = if request_line.starts_with("GET / ") {
            (
                "200 OK",
                r#"{"query":"http://x/db/{databaseName}/query/v2","neo4j_version":"2026.09.0","neo4j_edition":"enterprise"}"#.to_string(),
            )
        } else if request_line.starts_with("POST") && request_line.contains("/tx ") {
            (
                "202 Accepted",
                r#"{"transaction":{"id":"abc123","expires":"2026-11-21T10:00:00Z"}}"#.to_string(),
            )
        } else if request_line.starts_with("DELETE") {
            ("200 OK", "{}".to_string())
        } else {
            match answer(&String::from_utf8_lossy(&body)) {
                Some(reply) => ("202 Accepted", reply),
                None => {
                    // Held: the connection stays open until the test ends.
                    std::thread::sleep(std::time::Duration::from_secs(60));
                    return;
                }
            }
        };
        let response = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{reply}",
            reply.len()
        );
        if stream.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}

/// The shell's own reads (completion names) get an empty answer.
const EMPTY: &str = r#"{"data":{"fields":[],"values":[]}}"#;

/// A stand-in that never answers a statement: what a statement stuck on a busy cluster
/// looks like to the shell. The receiver hears of each statement the moment it is held.
fn hanging_server() -> (String, std::sync::mpsc::Receiver<()>) {
    let (held, held_rx) = std::sync::mpsc::channel();
    let address = stand_in(move |body| {
        if body.contains("SHOW") {
            return Some(EMPTY.to_string());
        }
        let _ = held.send(());
        None
    });
    (address, held_rx)
}

/// The shell in a pseudo-terminal (TERM=`term`) on the stand-in at `address`, at its
/// first prompt.
fn shell_on(address: &str, term: &str) -> rexpect::session::PtySession {
    let mut cmd = std::process::Command::new(crate::util::cysh_path());
    cmd.args([
        "-a",
        address,
        "-u",
        "neo4j",
        "-p",
        "pw",
        "--history",
        "in-memory",
    ])
    .env("XDG_DATA_HOME", crate::util::data_home())
    .env("NO_COLOR", "1")
    .env("TERM", term);
    let mut p = rexpect::session::spawn_command(cmd, Some(20_000)).unwrap();
    p.exp_string("neo4j@system> ").unwrap();
    p
}

#[test]
fn ctrl_c_abandons_a_running_request_and_the_session_goes_on() {
    let (address, held) = hanging_server();
    let mut p = shell_on(&address, "dumb");
    p.send_line("CREATE DATABASE foo;").unwrap();
    // Ctrl-C once the server holds the query, however slow the machine is to send it.
    held.recv_timeout(std::time::Duration::from_secs(20))
        .expect("the query reached the server");
    p.send_control('c').unwrap();
    p.exp_string("Stopping query... The request was abandoned (Ctrl-C).")
        .unwrap();
    p.exp_string("neo4j@system> ").unwrap();
    p.send_line(":exit").unwrap();
    p.exp_string("Bye!").unwrap();
    p.exp_eof().unwrap();
}

/// While a WAIT runs on a server, the spinner says how many of the database's servers
/// have caught up, from a `SHOW DATABASE` look every half second.
#[test]
fn a_remote_wait_shows_the_servers_caught_up_so_far() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let looks = std::sync::Arc::new(AtomicUsize::new(0));
    let seen = std::sync::Arc::clone(&looks);
    let string = |s: &str| format!(r#"{{"$type":"String","_value":"{s}"}}"#);
    let address = stand_in(move |body| {
        if body.contains("currentStatus, requestedStatus") {
            // The first look finds one server of three online, later ones all three.
            let caught_up = if looks.fetch_add(1, Ordering::SeqCst) == 0 {
                1
            } else {
                3
            };
            let rows: Vec<String> = (0..3)
                .map(|i| {
                    let current = if i < caught_up { "online" } else { "offline" };
                    format!("[{},{}]", string(current), string("online"))
                })
                .collect();
            return Some(format!(
                r#"{{"data":{{"fields":["currentStatus","requestedStatus"],"values":[{}]}}}}"#,
                rows.join(",")
            ));
        }
        if body.contains("WAIT") {
            // Answered once the shell has looked three times, however slow the machine.
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
            while seen.load(Ordering::SeqCst) < 3 && std::time::Instant::now() < deadline {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            return Some(format!(
                r#"{{"data":{{"fields":["address","state","message","success"],"values":[[{},{},{},{{"$type":"Boolean","_value":true}}]]}}}}"#,
                string("localhost:7687"),
                string("CaughtUp"),
                string("caught up")
            ));
        }
        Some(EMPTY.to_string())
    });
    let mut p = shell_on(&address, "xterm");
    p.send_line("CREATE DATABASE foo WAIT;").unwrap();
    p.exp_string("WAIT: 1 of 3 servers caught up").unwrap();
    p.exp_string("WAIT: 3 of 3 servers caught up").unwrap();
    p.exp_string("caught up").unwrap();
    p.exp_string("neo4j@system> ").unwrap();
    p.send_line(":exit").unwrap();
    p.exp_eof().unwrap();
}

/// `--impersonate` and `:impersonate` against a server: statements run as the other user
/// (sent as `impersonatedUser`), the welcome and the prompt say so, updates are refused,
/// and a user one may not impersonate is refused with nothing changed.
#[test]
fn impersonation_through_the_query_api() {
    let server = TestServer::start();
    server.admin(crate::http::IMPERSONATION_USERS);
    let as_carol = |extra: &[&str]| {
        run(crate::util::cysh_bare()
            .args(["-a", server.address(), "-u", "carol", "-p", "carol-secret"])
            .args(["--format", "plain"])
            .args(extra))
    };
    let (code, out, err) = as_carol(&["--impersonate", "alice", "SHOW CURRENT USER YIELD user"]);
    assert_eq!((code, out.as_str()), (0, "user\n\"alice\"\n"), "{err}");
    let (code, _, err) = as_carol(&["--impersonate", "bob", "SHOW CURRENT USER YIELD user"]);
    assert_eq!(code, 1);
    assert_eq!(
        err.trim(),
        "Neo.ClientError.Security.Forbidden: Cannot impersonate user 'bob'"
    );

    let mut cmd = std::process::Command::new(crate::util::cysh_path());
    cmd.args(["-a", server.address(), "-u", "carol", "-p", "carol-secret"])
        .args(["--impersonate", "alice", "--history", "in-memory"])
        .env("XDG_DATA_HOME", crate::util::data_home())
        .env("NO_COLOR", "1")
        .env("TERM", "dumb");
    let mut p = rexpect::session::spawn_command(cmd, Some(20_000)).unwrap();
    p.exp_string("as user carol impersonating alice.").unwrap();
    p.exp_string("carol(alice)@system> ").unwrap();
    p.send_line("CREATE DATABASE nope;").unwrap();
    p.exp_string("Not allowed to run updating system commands when impersonating a user.")
        .unwrap();
    p.exp_string("carol(alice)@system> ").unwrap();
    p.send_line(":impersonate bob").unwrap();
    p.exp_string("Cannot impersonate user 'bob'").unwrap();
    p.exp_string("carol(alice)@system> ").unwrap();
    p.send_line(":impersonate").unwrap();
    p.exp_string("carol@system> ").unwrap();
    p.send_line(":exit").unwrap();
    p.exp_eof().unwrap();
}

/// A TCP proxy to `upstream` that forwards everything until a request carrying `marker`
/// has been passed on; then it drops every connection without a reply, as a server that
/// died while running that statement would. Returns the proxy's address.
fn dying_proxy(upstream: String, marker: &'static [u8]) -> String {
    use std::io::{Read, Write};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let dead = Arc::new(AtomicBool::new(false));
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(mut client) = client else { return };
            if dead.load(Ordering::SeqCst) {
                continue; // dropped: closed at once
            }
            let Ok(mut server) = std::net::TcpStream::connect(&upstream) else {
                return;
            };
            let (mut client_back, mut server_in) =
                (client.try_clone().unwrap(), server.try_clone().unwrap());
            let dead_back = Arc::clone(&dead);
            std::thread::spawn(move || {
                let mut buf = [0u8; 65536];
                while let Ok(n) = server_in.read(&mut buf) {
                    if n == 0 || dead_back.load(Ordering::SeqCst) {
                        break;
                    }
                    if client_back.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
                let _ = client_back.shutdown(std::net::Shutdown::Both);
            });
            let dead = Arc::clone(&dead);
            std::thread::spawn(move || {
                let mut buf = [0u8; 65536];
                while let Ok(n) = client.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    // Marked dead before the request goes on, so a reply that comes back
                    // quickly (the upstream is fast, this thread may be slow) is never
                    // forwarded: the client must not see the statement succeed.
                    let dies = buf[..n].windows(marker.len()).any(|w| w == marker);
                    if dies {
                        dead.store(true, Ordering::SeqCst);
                    }
                    let _ = server.write_all(&buf[..n]);
                    if dies {
                        std::thread::sleep(std::time::Duration::from_millis(300));
                        let _ = client.shutdown(std::net::Shutdown::Both);
                        break;
                    }
                }
            });
        }
    });
    addr
}

#[test]
fn a_server_dying_mid_script_names_the_statement_whose_outcome_is_unknown() {
    let served = crate::hostile::Served::start(&[]);
    let proxy = dying_proxy(served.addr.clone(), b"DIE_HERE");
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("deploy.cypher");
    std::fs::write(
        &script,
        "CREATE DATABASE one;\nCREATE DATABASE two /* DIE_HERE */;\nCREATE DATABASE three;\n",
    )
    .unwrap();
    let (code, _, err) = crate::util::run(
        crate::util::cysh_bare()
            .args([
                "-a",
                &format!("http://{proxy}"),
                "-u",
                "neo4j",
                "-p",
                crate::hostile::SERVED_PASSWORD,
                "-f",
            ])
            .arg(&script),
    );
    assert_eq!(code, 1, "{err}");
    let file = script.display().to_string();
    assert!(
        err.contains(&format!(
            "The outcome of the statement in {file}, line 2, column 1 is unknown"
        )),
        "{err}"
    );
    assert!(err.contains("CREATE DATABASE two"), "{err}");
    // The statement did reach the server; the next one was never sent.
    let (_, body) = served.post("SHOW DATABASES YIELD name");
    assert!(
        body.contains("\"two\"") && !body.contains("\"three\""),
        "{body}"
    );
}
