//! `cysh serve --bolt` at the byte level: a raw socket plays the client, so handshakes,
//! malformed chunks and values, messages out of state, authentication failures and
//! routing answers are checked exactly. Also the `BoltServer` helper the driver and
//! client tests start servers with.

use cysh::bolt::chunk::{Dechunker, write_message};
use cysh::bolt::handshake;
use cysh::bolt::{Dialect, Meta, Request, Response};
use cysh::value::Value;
use std::io::{BufRead, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The password every test server's `neo4j` gets.
pub const PASSWORD: &str = "bolt-test-pw";

/// A `cysh serve --bolt 127.0.0.1:0` child, killed when dropped.
pub struct BoltServer {
    child: Child,
    /// `127.0.0.1:PORT` of the Bolt listener.
    pub bolt: String,
    /// `http://127.0.0.1:PORT` of the Query API.
    pub http: String,
}

impl BoltServer {
    /// Starts an ephemeral server with `extra` arguments and reads its addresses.
    pub fn start(extra: &[&str]) -> BoltServer {
        let mut child = Command::new(crate::util::cysh_path())
            .args([
                "serve",
                "--ephemeral",
                "--listen",
                "127.0.0.1:0",
                "--bolt",
                "127.0.0.1:0",
            ])
            .args(extra)
            .env("NEO4J_AUTH", format!("neo4j/{PASSWORD}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("cysh serve starts");
        let mut out = std::io::BufReader::new(child.stdout.take().expect("stdout"));
        let mut bolt = None;
        for _ in 0..5 {
            let mut line = String::new();
            if out.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            if let Some(rest) = line.trim().strip_prefix("Bolt listening on ") {
                let url = rest.split_whitespace().next().unwrap();
                bolt = Some(url.split_once("://").unwrap().1.to_string());
            }
            if let Some(http) = line.trim().strip_prefix("Listening on ") {
                let bolt = bolt.expect("the Bolt line comes before the HTTP one");
                // Keep reading stdout so the server never blocks on a full pipe.
                std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
                return BoltServer {
                    child,
                    bolt,
                    http: http.to_string(),
                };
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("cysh serve --bolt printed no addresses");
    }
}

impl Drop for BoltServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A raw Bolt connection.
pub struct Raw {
    pub tcp: TcpStream,
    dechunker: Dechunker,
}

impl Raw {
    /// Connects and sends `slots` after the magic; returns the connection and the
    /// server's first four bytes.
    pub fn handshake(addr: &str, slots: [[u8; 4]; 4]) -> (Raw, [u8; 4]) {
        let mut tcp = TcpStream::connect(addr).unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut hello = handshake::MAGIC.to_vec();
        for s in slots {
            hello.extend_from_slice(&s);
        }
        tcp.write_all(&hello).unwrap();
        let mut answer = [0u8; 4];
        tcp.read_exact(&mut answer).unwrap();
        (
            Raw {
                tcp,
                dechunker: Dechunker::default(),
            },
            answer,
        )
    }

    /// A connection speaking 5.4 (no manifest), logged in as neo4j.
    pub fn logged_in(addr: &str) -> Raw {
        let (mut raw, v) = Raw::handshake(addr, [[0, 0, 4, 5], [0; 4], [0; 4], [0; 4]]);
        assert_eq!(v, [0, 0, 4, 5]);
        raw.send(&Request::Hello(meta(&[(
            "user_agent",
            Value::str("raw/1"),
        )])));
        assert!(matches!(raw.recv(), Some(Response::Success(_))));
        raw.send(&logon("neo4j", PASSWORD));
        assert_eq!(raw.recv(), Some(Response::Success(Meta::new())));
        raw
    }

    /// Sends one request.
    pub fn send(&mut self, r: &Request) {
        self.send_bytes(&r.encode(Dialect::V5));
    }

    /// Sends one message's bytes, chunked.
    pub fn send_bytes(&mut self, message: &[u8]) {
        let mut out = Vec::new();
        write_message(&mut out, message);
        self.tcp.write_all(&out).unwrap();
    }

    /// The next response, or `None` when the server closed the connection.
    pub fn recv(&mut self) -> Option<Response> {
        loop {
            if let Some(m) = self.dechunker.next_message().unwrap() {
                return Some(Response::decode(&m).unwrap());
            }
            let mut buf = [0u8; 4096];
            match self.tcp.read(&mut buf) {
                Ok(0) | Err(_) => return None,
                Ok(n) => self.dechunker.push(&buf[..n]),
            }
        }
    }
}

pub fn meta(pairs: &[(&str, Value)]) -> Meta {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

pub fn logon(user: &str, password: &str) -> Request {
    Request::Logon(meta(&[
        ("scheme", Value::str("basic")),
        ("principal", Value::str(user)),
        ("credentials", Value::str(password)),
    ]))
}

fn failure_code(r: Option<Response>) -> String {
    match r {
        Some(Response::Failure(m)) => m["code"].as_str().unwrap().to_string(),
        other => panic!("expected FAILURE, got {other:?}"),
    }
}

#[test]
fn bolt_handshake_versions_and_manifest() {
    let server = BoltServer::start(&[]);
    // The drivers' slots: manifest first.
    let (mut raw, echo) = Raw::handshake(
        &server.bolt,
        [[0, 0, 1, 0xFF], [0, 8, 8, 5], [0, 2, 4, 4], [0, 0, 0, 3]],
    );
    assert_eq!(echo, handshake::MANIFEST_V1);
    let mut rest = [0u8; 1 + 16 + 1];
    raw.tcp.read_exact(&mut rest).unwrap();
    assert_eq!(rest[0], 4, "four ranges");
    assert_eq!(&rest[1..5], &[0, 0, 0, 6], "6.0 offered");
    // Choose 5.8, no capabilities, and pipeline HELLO right after.
    raw.tcp.write_all(&[0, 0, 8, 5, 0]).unwrap();
    raw.send(&Request::Hello(meta(&[(
        "user_agent",
        Value::str("raw/1"),
    )])));
    let Some(Response::Success(m)) = raw.recv() else {
        panic!("HELLO refused")
    };
    assert!(m["server"].as_str().unwrap().starts_with("Neo4j/"));
    // 5.5 is never negotiated; 4.4 is; 3.0 is not.
    let (_, v) = Raw::handshake(&server.bolt, [[0, 0, 5, 5], [0, 0, 4, 4], [0; 4], [0; 4]]);
    assert_eq!(v, [0, 0, 4, 4]);
    let (_, v) = Raw::handshake(&server.bolt, [[0, 0, 0, 3], [0; 4], [0; 4], [0; 4]]);
    assert_eq!(v, [0; 4]);
}

#[test]
fn bolt_malformed_input_gets_failure_or_close_and_the_server_lives_on() {
    let server = BoltServer::start(&[]);
    // Not Bolt at all: closed without an answer.
    let mut tcp = TcpStream::connect(&server.bolt).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    tcp.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut buf = Vec::new();
    let _ = tcp.read_to_end(&mut buf);
    assert!(buf.is_empty(), "{buf:?}");
    // A value with an unknown marker: FAILURE, then closed.
    let mut raw = Raw::logged_in(&server.bolt);
    raw.send_bytes(&[0xB3, 0x10, 0xC7, 0xA0, 0xA0]);
    assert_eq!(failure_code(raw.recv()), "Neo.ClientError.Request.Invalid");
    assert_eq!(raw.recv(), None);
    // A message out of state (PULL with nothing open): FAILURE, then closed.
    let mut raw = Raw::logged_in(&server.bolt);
    raw.send(&Request::Pull { n: -1, qid: -1 });
    assert_eq!(failure_code(raw.recv()), "Neo.ClientError.Request.Invalid");
    assert_eq!(raw.recv(), None);
    // Truncated and hostile structures never take the server down: 200 random-ish
    // messages on one connection each.
    for seed in 0u32..200 {
        let mut raw = Raw::logged_in(&server.bolt);
        let mut x = seed.wrapping_mul(2_654_435_761);
        let bytes: Vec<u8> = (0..(seed % 40 + 1))
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect();
        raw.send_bytes(&bytes);
        let _ = raw.recv();
    }
    // Still serving.
    let mut raw = Raw::logged_in(&server.bolt);
    raw.send(&Request::Run {
        query: "SHOW DATABASES YIELD name".into(),
        params: Meta::new(),
        extra: meta(&[("db", Value::str("system"))]),
    });
    assert!(matches!(raw.recv(), Some(Response::Success(_))));
}

#[test]
fn bolt_auth_failure_does_not_tell_whether_the_user_exists() {
    let server = BoltServer::start(&[]);
    let attempt = |user: &str| {
        let (mut raw, _) = Raw::handshake(&server.bolt, [[0, 0, 4, 5], [0; 4], [0; 4], [0; 4]]);
        raw.send(&Request::Hello(meta(&[(
            "user_agent",
            Value::str("raw/1"),
        )])));
        let _ = raw.recv();
        raw.send(&logon(user, "wrong"));
        let r = raw.recv();
        let closed = raw.recv().is_none();
        (r, closed)
    };
    let (known, closed_known) = attempt("neo4j");
    let (unknown, closed_unknown) = attempt("nobody");
    assert_eq!(known, unknown);
    assert!(closed_known && closed_unknown);
    assert_eq!(failure_code(known), "Neo.ClientError.Security.Unauthorized");
    // Neo4j's rate limit: after three failures the user is locked for a while, even with
    // the right password.
    let _ = attempt("neo4j");
    let _ = attempt("neo4j");
    let (mut raw, _) = Raw::handshake(&server.bolt, [[0, 0, 4, 5], [0; 4], [0; 4], [0; 4]]);
    raw.send(&Request::Hello(meta(&[(
        "user_agent",
        Value::str("raw/1"),
    )])));
    let _ = raw.recv();
    raw.send(&logon("neo4j", PASSWORD));
    assert_eq!(
        failure_code(raw.recv()),
        "Neo.ClientError.Security.AuthenticationRateLimit"
    );
}

#[test]
fn bolt_failed_state_ignores_until_reset_and_fetch_size_pages() {
    let server = BoltServer::start(&["--servers", "5"]);
    let mut raw = Raw::logged_in(&server.bolt);
    raw.send(&Request::Run {
        query: "SHOW SERVERS YIELD name".into(),
        params: Meta::new(),
        extra: meta(&[("db", Value::str("system"))]),
    });
    let Some(Response::Success(m)) = raw.recv() else {
        panic!()
    };
    assert_eq!(m["fields"], Value::str_list(["name"]));
    raw.send(&Request::Pull { n: 2, qid: -1 });
    assert!(matches!(raw.recv(), Some(Response::Record(_))));
    assert!(matches!(raw.recv(), Some(Response::Record(_))));
    assert_eq!(
        raw.recv(),
        Some(Response::Success(meta(&[("has_more", Value::Bool(true))])))
    );
    raw.send(&Request::Pull { n: -1, qid: -1 });
    for _ in 0..3 {
        assert!(matches!(raw.recv(), Some(Response::Record(_))));
    }
    let Some(Response::Success(done)) = raw.recv() else {
        panic!()
    };
    assert!(done["bookmark"].as_str().unwrap().starts_with("FB:"));
    // A failing statement, then everything IGNORED until RESET.
    raw.send(&Request::Run {
        query: "SHOW DATABSES".into(),
        params: Meta::new(),
        extra: Meta::new(),
    });
    assert_eq!(
        failure_code(raw.recv()),
        "Neo.ClientError.Statement.SyntaxError"
    );
    raw.send(&Request::Pull { n: -1, qid: -1 });
    assert_eq!(raw.recv(), Some(Response::Ignored));
    raw.send(&Request::Reset);
    assert_eq!(raw.recv(), Some(Response::Success(Meta::new())));
}

#[test]
fn bolt_route_points_at_the_advertised_address() {
    let server = BoltServer::start(&["--bolt-advertised-address", "db.example:7687"]);
    let mut raw = Raw::logged_in(&server.bolt);
    raw.send(&Request::Route {
        routing: meta(&[("address", Value::str(&server.bolt))]),
        bookmarks: vec![],
        extra: Meta::new(),
    });
    let Some(Response::Success(m)) = raw.recv() else {
        panic!()
    };
    let Value::Map(rt) = &m["rt"] else { panic!() };
    assert_eq!(rt["db"], Value::str("neo4j"));
    assert_eq!(rt["ttl"], Value::Int(300));
    let Value::List(servers) = &rt["servers"] else {
        panic!()
    };
    let roles: Vec<_> = servers
        .iter()
        .map(|s| {
            let Value::Map(s) = s else { panic!() };
            assert_eq!(s["addresses"], Value::str_list(["db.example:7687"]));
            s["role"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(roles, ["WRITE", "READ", "ROUTE"]);
    raw.send(&Request::Route {
        routing: Meta::new(),
        bookmarks: vec![],
        extra: meta(&[("db", Value::str("nope"))]),
    });
    assert_eq!(
        failure_code(raw.recv()),
        "Neo.ClientError.Database.DatabaseNotFound"
    );
}

#[test]
fn bolt_serves_many_connections_at_once() {
    let server = BoltServer::start(&[]);
    let addr = server.bolt.clone();
    let clients: Vec<_> = (0..32)
        .map(|i| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                let mut raw = Raw::logged_in(&addr);
                for _ in 0..20 {
                    raw.send(&Request::Run {
                        query: "SHOW DATABASES YIELD name".into(),
                        params: Meta::new(),
                        extra: meta(&[("db", Value::str("system"))]),
                    });
                    raw.send(&Request::Pull { n: -1, qid: -1 });
                    let mut records = 0;
                    let mut summaries = 0;
                    while summaries < 2 {
                        match raw.recv() {
                            Some(Response::Record(_)) => records += 1,
                            Some(Response::Success(_)) => summaries += 1,
                            other => panic!("client {i}: {other:?}"),
                        }
                    }
                    assert!(records >= 2, "client {i}: {records} records");
                }
            })
        })
        .collect();
    for c in clients {
        c.join().unwrap();
    }
}

/// Bolt 4.4 and 5.0 carry the credentials in HELLO (no LOGON); a 4.4 client that asks for
/// the `utc` patch gets it; values come back in each version's form.
#[test]
fn bolt_4_4_and_5_0_log_in_with_hello() {
    let server = BoltServer::start(&[]);
    for (slot, patch) in [
        ([0, 0, 4, 4], true),
        ([0, 0, 4, 4], false),
        ([0, 0, 0, 5], false),
    ] {
        let (mut raw, v) = Raw::handshake(&server.bolt, [slot, [0; 4], [0; 4], [0; 4]]);
        assert_eq!(v, slot);
        let mut hello = meta(&[
            ("user_agent", Value::str("raw/1")),
            ("scheme", Value::str("basic")),
            ("principal", Value::str("neo4j")),
            ("credentials", Value::str(PASSWORD)),
        ]);
        if patch {
            hello.insert("patch_bolt".into(), Value::str_list(["utc"]));
        }
        raw.send(&Request::Hello(hello));
        let Some(Response::Success(m)) = raw.recv() else {
            panic!("HELLO refused for {slot:?}")
        };
        assert_eq!(
            m.get("patch_bolt"),
            patch.then(|| Value::str_list(["utc"])).as_ref(),
            "{slot:?}"
        );
        raw.send(&Request::Run {
            query: "RETURN datetime('2015-07-21T21:40:32+01:00') AS d".into(),
            params: Meta::new(),
            extra: meta(&[("db", Value::str("neo4j"))]),
        });
        raw.send(&Request::Pull { n: -1, qid: -1 });
        assert!(matches!(raw.recv(), Some(Response::Success(_))));
        let Some(Response::Record(row)) = raw.recv() else {
            panic!("no record for {slot:?}")
        };
        assert_eq!(row[0].to_string(), "2015-07-21T21:40:32+01:00", "{slot:?}");
    }
}

/// LOGOFF returns the connection to the authentication state: a RUN then is out of state
/// (FAILURE, connection closed); a new LOGON on a fresh connection with the `bearer`
/// scheme gets Neo4j's answer for a scheme the server has no provider for, and `none`
/// is refused while authentication is on.
#[test]
fn bolt_logoff_and_auth_schemes() {
    let server = BoltServer::start(&[]);
    let mut raw = Raw::logged_in(&server.bolt);
    raw.send(&Request::Logoff);
    assert_eq!(raw.recv(), Some(Response::Success(Meta::new())));
    // Logged in again on the same connection, as another LOGON after LOGOFF allows.
    raw.send(&logon("neo4j", PASSWORD));
    assert_eq!(raw.recv(), Some(Response::Success(Meta::new())));
    raw.send(&Request::Logoff);
    assert_eq!(raw.recv(), Some(Response::Success(Meta::new())));
    raw.send(&Request::Run {
        query: "SHOW SERVERS".into(),
        params: Meta::new(),
        extra: meta(&[("db", Value::str("system"))]),
    });
    assert!(matches!(raw.recv(), Some(Response::Failure(_))));
    assert!(raw.recv().is_none(), "closed after a message out of state");

    for (scheme, message) in [
        (
            "bearer",
            "Unsupported authentication token, scheme 'bearer' is not supported.",
        ),
        (
            "none",
            "Unsupported authentication token, scheme 'none' is not supported.",
        ),
    ] {
        let (mut raw, _) = Raw::handshake(&server.bolt, [[0, 0, 4, 5], [0; 4], [0; 4], [0; 4]]);
        raw.send(&Request::Hello(meta(&[(
            "user_agent",
            Value::str("raw/1"),
        )])));
        let _ = raw.recv();
        raw.send(&Request::Logon(meta(&[
            ("scheme", Value::str(scheme)),
            ("credentials", Value::str("a-token")),
        ])));
        match raw.recv() {
            Some(Response::Failure(m)) => {
                assert_eq!(
                    m["code"],
                    Value::str("Neo.ClientError.Security.Unauthorized")
                );
                assert_eq!(m["message"], Value::str(message));
            }
            other => panic!("{scheme}: expected FAILURE, got {other:?}"),
        }
    }
}

/// Runs `query` on `raw` and returns its records and the last SUCCESS's metadata.
fn run_and_pull(raw: &mut Raw, query: &str) -> (Vec<Vec<Value>>, Meta) {
    raw.send(&Request::Run {
        query: query.into(),
        params: Meta::new(),
        extra: meta(&[("db", Value::str("system"))]),
    });
    raw.send(&Request::Pull { n: -1, qid: -1 });
    assert!(
        matches!(raw.recv(), Some(Response::Success(_))),
        "RUN {query}"
    );
    let mut rows = Vec::new();
    loop {
        match raw.recv() {
            Some(Response::Record(row)) => rows.push(row),
            Some(Response::Success(m)) => return (rows, m),
            other => panic!("{query}: {other:?}"),
        }
    }
}

/// The last SUCCESS carries an EXPLAIN's `plan` (no rows), a PROFILE's `profile` (rows
/// counted), and a notification as `notifications` before Bolt 5.6 and as GQL `statuses`
/// from 5.6 on.
#[test]
fn bolt_summary_carries_plans_and_gql_statuses() {
    let server = BoltServer::start(&[]);
    let mut raw = Raw::logged_in(&server.bolt);
    let (rows, m) = run_and_pull(&mut raw, "EXPLAIN SHOW DATABASES YIELD name");
    assert!(rows.is_empty());
    let Some(Value::Map(plan)) = m.get("plan") else {
        panic!("no plan: {m:?}")
    };
    assert_eq!(
        plan.get("operatorType"),
        Some(&Value::str("ProduceResults@system"))
    );
    assert_eq!(m.get("type"), Some(&Value::str("r")));
    let (rows, m) = run_and_pull(&mut raw, "PROFILE SHOW DATABASES YIELD name");
    let Some(Value::Map(profile)) = m.get("profile") else {
        panic!("no profile: {m:?}")
    };
    assert_eq!(
        profile.get("rows"),
        Some(&Value::Int(i64::try_from(rows.len()).unwrap()))
    );
    let (servers, _) = run_and_pull(&mut raw, "SHOW SERVERS YIELD name");
    let enable = format!("ENABLE SERVER '{}'", servers[0][0].as_str().unwrap());
    let (_, m) = run_and_pull(&mut raw, &enable);
    let Some(Value::List(notes)) = m.get("notifications") else {
        panic!("5.4 has notifications: {m:?}")
    };
    assert!(!m.contains_key("statuses"));
    assert!(
        format!("{notes:?}").contains("Neo.ClientNotification.Cluster.ServerAlreadyEnabled"),
        "{notes:?}"
    );
    // Bolt 5.6: the same notification as a GQL status.
    let (mut raw, v) = Raw::handshake(&server.bolt, [[0, 0, 6, 5], [0; 4], [0; 4], [0; 4]]);
    assert_eq!(v, [0, 0, 6, 5]);
    raw.send(&Request::Hello(meta(&[(
        "user_agent",
        Value::str("raw/1"),
    )])));
    assert!(matches!(raw.recv(), Some(Response::Success(_))));
    raw.send(&logon("neo4j", PASSWORD));
    assert!(matches!(raw.recv(), Some(Response::Success(_))));
    let (_, m) = run_and_pull(&mut raw, &enable);
    let Some(Value::List(statuses)) = m.get("statuses") else {
        panic!("5.6 has statuses: {m:?}")
    };
    let Some(Value::Map(status)) = statuses.first() else {
        panic!("{statuses:?}")
    };
    assert_eq!(status.get("gql_status"), Some(&Value::str("03N00")));
    assert_eq!(
        status.get("neo4j_code"),
        Some(&Value::str(
            "Neo.ClientNotification.Cluster.ServerAlreadyEnabled"
        ))
    );
    let Some(Value::Map(diag)) = status.get("diagnostic_record") else {
        panic!("{status:?}")
    };
    assert_eq!(diag.get("_severity"), Some(&Value::str("INFORMATION")));
}
