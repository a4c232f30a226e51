//! cypher-shell's flags, one test each where the behaviour is cysh's own (the colon-commands
//! and output formats are golden cases under `tests/data/golden/`): `--driver-version`,
//! `--transaction-timeout`, `--log`, `--error-format`, `--enable-autocompletions`,
//! `--notifications`, `-f` with a statement, and clap's suggestions.

use crate::http::{PASSWORD, TestServer};
use crate::util::{cysh, run};
use cysh::server::Options;

#[test]
fn driver_version_prints_the_client_and_exits_0() {
    let (code, stdout, stderr) = run(cysh().arg("--driver-version"));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("Neo4j Driver cysh-"), "{stdout}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
}

#[test]
fn transaction_timeout_takes_cypher_shell_durations() {
    for good in ["1h30m", "10m", "45s", "disable"] {
        let (code, _, stderr) =
            run(cysh().args(["--transaction-timeout", good, "SHOW DEFAULT DATABASE"]));
        assert_eq!(code, 0, "{good}: {stderr}");
    }
    let (code, _, stderr) = run(cysh().args(["--transaction-timeout", "5x", "SHOW SERVERS"]));
    assert_eq!(code, 1);
    assert!(
        stderr.contains(
            "Invalid timeout value, valid values are for example 1h30m (1 hour and 30 minutes), \
             1h (1 hour), 10m (10 minutes): 5x"
        ),
        "{stderr}"
    );
}

#[test]
fn cypher_shell_only_flags_are_accepted() {
    let (code, stdout, stderr) = run(cysh().args([
        "--enable-autocompletions",
        "--error-format",
        "stacktrace",
        "--notifications",
        "--format",
        "plain",
        "SHOW DEFAULT DATABASE YIELD name",
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "name\n\"neo4j\"\n");
}

#[test]
fn a_file_and_a_statement_together_are_a_usage_error() {
    let (code, _, stderr) = run(cysh().args(["-f", "/dev/null", "SHOW SERVERS"]));
    assert_eq!(code, 1);
    assert!(stderr.contains("cannot be used with"), "{stderr}");
}

#[test]
fn suggestions_for_a_mistyped_flag_name_the_right_one() {
    // Before --encryption existed, clap offered --version for it.
    let (code, _, stderr) = run(cysh().args(["--encryptio", "true"]));
    assert_eq!(code, 1);
    assert!(stderr.contains("--encryption"), "{stderr}");
    assert!(!stderr.contains("--version"), "{stderr}");
    let (code, _, stderr) = run(cysh().args(["--encryption", "bogus"]));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("[possible values: true, false, default]"),
        "{stderr}"
    );
    assert!(!stderr.contains("--version"), "{stderr}");
}

#[test]
fn log_records_the_wire_without_secrets() {
    let server = TestServer::start_with(3, Options::default());
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("cysh.log");
    let address = format!("bolt://{}", server.bolt);
    let (code, _, stderr) = run(cysh()
        .args(["-a", &address, "-u", "neo4j", "-p", PASSWORD])
        .args(["--transaction-timeout", "90s", "--log"])
        .arg(&log)
        .arg("CREATE USER logged SET PASSWORD 'very-secret-1' CHANGE NOT REQUIRED; SHOW USERS"));
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("Bolt: logged in to"), "{text}");
    // The timeout goes with each statement, in milliseconds.
    assert!(text.contains("tx_timeout 90000 ms"), "{text}");
    assert!(
        text.contains("CREATE USER logged SET PASSWORD '******'"),
        "{text}"
    );
    assert!(text.contains("answered"), "{text}");
    assert!(!text.contains(PASSWORD), "{text}");
    assert!(!text.contains("very-secret-1"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&log).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the log is private: {mode:o}");
    }
}

#[test]
fn log_without_a_file_goes_to_standard_error() {
    let server = TestServer::start_with(3, Options::default());
    let address = server.address().to_string();
    let (code, _, stderr) = run(cysh()
        .args(["-a", &address, "-u", "neo4j", "-p", PASSWORD])
        .args(["--log", "--transaction-timeout", "2m"])
        .args(["--format", "plain", "SHOW DEFAULT DATABASE YIELD name"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("HTTP: POST "), "{stderr}");
    assert!(
        stderr.contains("SHOW DEFAULT DATABASE YIELD name"),
        "{stderr}"
    );
    assert!(!stderr.contains(PASSWORD), "{stderr}");
}

#[test]
fn statistics_come_back_from_both_protocols() {
    let server = TestServer::start_with(3, Options::default());
    for address in [
        format!("bolt://{}", server.bolt),
        server.address().to_string(),
    ] {
        let name = if address.starts_with("bolt") {
            "viabolt"
        } else {
            "viahttp"
        };
        let (code, stdout, stderr) = run(cysh()
            .args(["-a", &address, "-u", "neo4j", "-p", PASSWORD])
            .args(["--format", "verbose"])
            .arg(format!("CREATE DATABASE {name}")));
        assert_eq!(code, 0, "{address}: {stderr}");
        assert!(
            stdout.starts_with("0 rows\nready to start consuming query after "),
            "{stdout}"
        );
        assert!(
            stdout.ends_with("\nSystem updates: 1\n"),
            "{address}: {stdout}"
        );
    }
}

#[test]
fn error_formats_over_bolt() {
    let server = TestServer::start_with(3, Options::default());
    let address = format!("bolt://{}", server.bolt);
    let failing = |format: &str| {
        run(cysh()
            .args(["-a", &address, "-u", "neo4j", "-p", PASSWORD])
            .args(["--error-format", format, "DROP DATABASE nosuchdb"]))
    };
    let (code, _, legacy) = failing("legacy");
    assert_eq!(code, 1);
    assert!(
        legacy.contains("Neo.ClientError.Database.DatabaseNotFound"),
        "{legacy}"
    );
    let (code, _, gql) = failing("gql");
    assert_eq!(code, 1);
    assert!(!gql.contains("Neo.ClientError"), "{gql}");
    let (code, _, stacktrace) = failing("stacktrace");
    assert_eq!(code, 1);
    // The legacy line, then the GQL status under it.
    assert!(
        stacktrace.contains("Neo.ClientError.Database.DatabaseNotFound"),
        "{stacktrace}"
    );
    assert!(
        stacktrace.lines().count() > legacy.lines().count(),
        "{stacktrace}"
    );
}

#[test]
fn non_interactive_reads_standard_input() {
    let (code, stdout, stderr) = run(cysh()
        .args(["--non-interactive", "--format", "plain"])
        .write_stdin("SHOW DEFAULT DATABASE YIELD name;\n"));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "name\n\"neo4j\"\n");
}

#[test]
fn sysinfo_on_a_server_shows_what_it_exposes() {
    let server = TestServer::start_with(3, Options::default());
    let address = format!("bolt://{}", server.bolt);
    let (code, stdout, stderr) = run(cysh()
        .args(["-a", &address, "-u", "neo4j", "-p", PASSWORD])
        .args(["--format", "plain", ":sysinfo"]));
    assert_eq!(code, 0, "{stderr}");
    let mut lines = stdout.lines();
    assert_eq!(lines.next(), Some(""), "a blank line before each table");
    assert_eq!(lines.next(), Some("Databases"));
    assert_eq!(lines.next(), Some("Name, Address, Role, Status, Default"));
    assert!(stdout.contains("\"system\""), "{stdout}");
    // The embedded cluster's own Servers table is not a server's to show.
    assert!(!stdout.contains("Servers"), "{stdout}");
}

/// `--notifications` over Bolt (which negotiates 5.6+, so the server sends GQL
/// `statuses`) prints what the embedded shell prints: `info: <description> (<code>)`.
#[test]
fn notifications_over_bolt_print_as_embedded() {
    let script = "CALL sim.addServer({serverId: '00000000-0000-4000-8000-0000000000aa', \
                  address: 'localhost:7699'});\n\
                  ENABLE SERVER '00000000-0000-4000-8000-0000000000aa';\n\
                  ENABLE SERVER '00000000-0000-4000-8000-0000000000aa';\n";
    let server = TestServer::start_with(3, Options::default());
    let embedded = run(cysh()
        .args(["--format", "verbose", "--notifications"])
        .write_stdin(script));
    let bolt = run(cysh()
        .args([
            "-a",
            &format!("bolt://{}", server.bolt),
            "-u",
            "neo4j",
            "-p",
            PASSWORD,
        ])
        .args(["--format", "verbose", "--notifications"])
        .write_stdin(script));
    assert_eq!(bolt.0, 0, "{}", bolt.2);
    let expected = "info: Server `00000000-0000-4000-8000-0000000000aa` is already enabled. \
                    Verify that this is the intended server. \
                    (Neo.ClientNotification.Cluster.ServerAlreadyEnabled)";
    assert!(embedded.1.contains(expected), "{}", embedded.1);
    assert_eq!(
        crate::util::normalise_timings(&bolt.1),
        crate::util::normalise_timings(&embedded.1)
    );
}

/// `:sysinfo` on the embedded cluster in a data directory adds cypher-shell's Store Size
/// table with the directory's figures (all files; the store and its log); in memory there
/// is no store to measure.
#[test]
fn sysinfo_in_a_data_directory_shows_its_store_size() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (code, stdout, stderr) = run(crate::util::cysh_bare()
        .arg("--data-dir")
        .arg(&data)
        .args(["--format", "plain", ":sysinfo"]));
    assert_eq!(code, 0, "{stderr}");
    let table = stdout
        .split_once("Store Size\nName, Value\n")
        .unwrap_or_else(|| panic!("{stdout}"))
        .1;
    let figure = |name: &str| -> u64 {
        let line = table
            .lines()
            .find(|l| l.starts_with(&format!("\"{name}\", ")))
            .unwrap_or_else(|| panic!("{table}"));
        line.rsplit(", ").next().unwrap().parse().unwrap()
    };
    let (total, database) = (figure("Total"), figure("Database"));
    assert!(database > 0 && total >= database, "{table}");
    let (_, memory, _) = run(cysh().args(["--format", "plain", ":sysinfo"]));
    assert!(!memory.contains("Store Size"), "{memory}");
}
