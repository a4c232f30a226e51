//! One-shot runs of the binary: the positional statement, stdin and `-f FILE` ways in,
//! output formats, and exit statuses.

use crate::util::{cysh, normalise_timings, run};
use std::io::Write;

/// Checks a plain SHOW SERVERS output: the header line and `n` well-formed rows.
fn assert_plain_servers(stdout: &str, n: usize) {
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines.first(),
        Some(&"name, address, state, health, hosting"),
        "{stdout}"
    );
    assert_eq!(lines.len(), n + 1, "{stdout}");
    for (i, line) in lines[1..].iter().enumerate() {
        let fields: Vec<&str> = line.splitn(5, ", ").collect();
        assert_eq!(fields.len(), 5, "{line}");
        let id = fields[0].trim_matches('"');
        assert!(
            uuid::Uuid::parse_str(id).is_ok_and(|u| u.get_version_num() == 4),
            "{line}"
        );
        assert!(
            fields[1].starts_with("\"localhost:") && fields[2] == "\"Enabled\"",
            "{line}"
        );
        assert_eq!(fields[3], "\"Available\"");
        assert!(fields[4].starts_with("[\"system\""), "{line}");
        let _ = i;
    }
    // Addresses count up from 7687, one per server.
    let mut ports: Vec<u32> = lines[1..]
        .iter()
        .map(|l| {
            l.split("\"localhost:").nth(1).unwrap()[..4]
                .parse()
                .unwrap()
        })
        .collect();
    ports.sort();
    assert_eq!(ports, (0..n as u32).map(|i| 7687 + i).collect::<Vec<_>>());
}

#[test]
fn stdin_plain_show_servers() {
    let (code, stdout, stderr) = run(cysh()
        .args(["--format", "plain"])
        .write_stdin("SHOW SERVERS;\n"));
    assert_eq!(code, 0, "{stderr}");
    assert_plain_servers(&stdout, 3);
}

#[test]
fn piped_output_defaults_to_plain() {
    let (code, stdout, _) = run(cysh().write_stdin("SHOW SERVERS;"));
    assert_eq!(code, 0);
    assert_plain_servers(&stdout, 3);
}

#[test]
fn positional_statement_with_five_servers() {
    let (code, stdout, stderr) = run(cysh().args(["--servers", "5", "SHOW SERVERS"]));
    assert_eq!(code, 0, "{stderr}");
    assert_plain_servers(&stdout, 5);
}

#[test]
fn file_statements_run_in_order() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    writeln!(file, "// two statements\nSHOW SERVERS;\nshow server").unwrap();
    let (code, stdout, stderr) = run(cysh()
        .arg("-f")
        .arg(file.path())
        .args(["--format", "plain"]));
    assert_eq!(code, 0, "{stderr}");
    // The final statement without ';' runs too; both print a header and three rows.
    assert_eq!(
        stdout
            .matches("name, address, state, health, hosting")
            .count(),
        2
    );
    assert_eq!(stdout.lines().count(), 8);
}

#[test]
fn verbose_table_and_footer() {
    let (code, stdout, _) = run(cysh().args(["--format", "verbose", "SHOW SERVERS"]));
    assert_eq!(code, 0);
    let text = normalise_timings(&stdout);
    let lines: Vec<&str> = text.lines().collect();
    // border, header, border, 3 rows, border, blank, footer (two lines)
    assert_eq!(lines.len(), 10, "{text}");
    let border = lines[0];
    assert!(
        border.starts_with("+-")
            && border.ends_with("-+")
            && !border[1..border.len() - 1].contains('+')
    );
    assert_eq!(lines[2], border);
    assert_eq!(lines[6], border);
    assert!(lines[1].starts_with("| name ") && lines[1].contains(" | hosting "));
    // Widths: 38 (quoted UUID), 16, 9, 11 and the hosting column.
    assert_eq!(border.len(), lines[1].len());
    assert_eq!(lines[7], "");
    assert_eq!(lines[8], "3 rows");
    assert_eq!(
        lines[9],
        "ready to start consuming query after X ms, results consumed after another Y ms"
    );
}

#[test]
fn unknown_statement_fails_with_status_1_and_a_clear_error() {
    let (code, stdout, stderr) = run(cysh().arg("MATCH (n) RETURN n"));
    assert_eq!(code, 1);
    assert_eq!(stdout, "");
    assert!(stderr.contains("needs a Neo4j server"), "{stderr}");
}

#[test]
fn fail_fast_stops_and_fail_at_end_goes_on() {
    let script = "SHOW SERVERS;\nMATCH (n) RETURN n;\nSHOW SERVERS;\n";
    let (code, stdout, _) = run(cysh().args(["--format", "plain"]).write_stdin(script));
    assert_eq!(code, 1);
    assert_eq!(
        stdout.matches("name, address").count(),
        1,
        "fail-fast stops at the error"
    );

    let (code, stdout, stderr) = run(cysh()
        .args(["--format", "plain", "--fail-at-end"])
        .write_stdin(script));
    assert_eq!(code, 1);
    assert_eq!(
        stdout.matches("name, address").count(),
        2,
        "fail-at-end runs the rest"
    );
    assert_eq!(stderr.matches("needs a Neo4j server").count(), 1);
}

#[test]
fn exit_command_ends_a_script_with_status_0() {
    let (code, stdout, _) = run(cysh()
        .args(["--format", "plain"])
        .write_stdin(":exit\nSHOW SERVERS;"));
    assert_eq!(code, 0);
    assert_eq!(stdout, "");
}

#[test]
fn version_and_help() {
    let (code, stdout, _) = run(cysh().arg("--version"));
    assert_eq!(code, 0);
    assert_eq!(stdout, format!("cysh {}\n", env!("CARGO_PKG_VERSION")));
    let (code, stdout, _) = run(cysh().arg("-v"));
    assert_eq!(code, 0);
    assert!(stdout.starts_with("cysh "));
    let (code, stdout, _) = run(cysh().arg("--help"));
    assert_eq!(code, 0);
    for flag in [
        "--file",
        "--format",
        "--non-interactive",
        "--fail-fast",
        "--fail-at-end",
        "--servers",
    ] {
        assert!(stdout.contains(flag), "help names {flag}");
    }
}

#[test]
fn bad_arguments_exit_1() {
    let (code, _, stderr) = run(cysh().args(["--format", "fancy", "SHOW SERVERS"]));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("fancy"));
    let (code, _, _) = run(cysh().args(["--servers", "0x"]));
    assert_eq!(code, 1);
    let (code, _, stderr) = run(cysh().args(["-f", "/nonexistent/script.cypher"]));
    assert_eq!(code, 1);
    assert!(stderr.contains("/nonexistent/script.cypher"), "{stderr}");
}

#[test]
fn json_format_prints_one_object_per_row_in_column_order() {
    let (code, stdout, _) =
        run(cysh().args(["--format", "json", "--servers", "4", "SHOW SERVERS"]));
    assert_eq!(code, 0);
    let rows: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(rows.len(), 4);
    for (line, row) in stdout.lines().zip(&rows) {
        let keys: Vec<&String> = row.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["name", "address", "state", "health", "hosting"]);
        assert!(
            line.starts_with("{\"name\":"),
            "keys keep column order: {line}"
        );
        assert!(
            row["hosting"]
                .as_array()
                .unwrap()
                .contains(&serde_json::json!("system"))
        );
    }
}

#[test]
fn script_failure_names_the_file_position_and_stops() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    write!(
        file,
        "SHOW SERVERS;\nSHOW SERVERS;\n\n  MATCH (n)\n  RETURN n;\nSHOW SERVERS;\n"
    )
    .unwrap();
    let path = file.path().display().to_string();
    let (code, stdout, stderr) = run(cysh().args(["--format", "plain", "-f", &path]));
    assert_eq!(code, 1);
    assert_eq!(
        stdout.matches("name, address").count(),
        2,
        "nothing after the failure runs"
    );
    assert!(
        stderr.contains(&format!("(in {path}, line 4, column 3)")),
        "{stderr}"
    );

    let (code, stdout, _) = run(cysh().args(["--format", "plain", "--fail-at-end", "-f", &path]));
    assert_eq!(code, 1);
    assert_eq!(
        stdout.matches("name, address").count(),
        3,
        "--fail-at-end runs the rest"
    );
}

#[test]
fn wrap_and_sample_rows_are_validated() {
    let (code, _, stderr) = run(cysh().args(["--sample-rows", "0", "SHOW SERVERS"]));
    assert_eq!(code, 1, "{stderr}");
    let (code, _, _) = run(cysh().args(["--wrap", "maybe", "SHOW SERVERS"]));
    assert_eq!(code, 1);
    let (code, stdout, _) = run(cysh().args([
        "--format",
        "verbose",
        "--wrap",
        "false",
        "--sample-rows",
        "1",
        "SHOW SERVERS",
    ]));
    assert_eq!(code, 0);
    assert!(stdout.contains("3 rows\nready to start consuming query after "));
}

/// The small refusals of issue 14: each used to pass silently or say too little.
#[test]
fn file_with_a_statement_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.cypher");
    std::fs::write(&file, "SHOW SERVERS;\n").unwrap();
    let (code, out, err) = run(cysh().arg("-f").arg(&file).arg("SHOW DATABASES"));
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(out, "");
    assert!(err.contains("cannot be used with"), "{err}");
}

#[test]
fn an_unknown_database_is_refused_embedded_and_remote() {
    let (code, _, err) = run(cysh().args(["-d", "nosuch", "SHOW SERVERS"]));
    assert_eq!(code, 1);
    assert_eq!(
        err.trim(),
        "Neo.ClientError.Database.DatabaseNotFound: Database does not exist. Database name: 'nosuch'."
    );
    let (code, _, err) = run(cysh().args(["-d", "NEO4J", "--format", "plain", "SHOW SERVERS"]));
    assert_eq!(code, 0, "{err}");
    let served = crate::hostile::Served::start(&[]);
    let (code, _, err) = run(crate::util::cysh_bare().args([
        "-a",
        &served.base,
        "-u",
        "neo4j",
        "-p",
        crate::hostile::SERVED_PASSWORD,
        "-d",
        "nosuch",
        "SHOW SERVERS",
    ]));
    assert_eq!(code, 1);
    assert!(
        err.contains("Database does not exist. Database name: 'nosuch'."),
        "{err}"
    );
}

#[test]
fn an_address_without_a_user_says_credentials_are_missing() {
    let served = crate::hostile::Served::start(&[]);
    let (code, _, err) = run(crate::util::cysh_bare().args(["-a", &served.base, "SHOW SERVERS"]));
    assert_eq!(code, 1);
    assert!(
        err.contains("no credentials were given") && err.contains("-u USER"),
        "{err}"
    );
}

#[test]
fn unknown_colon_commands_fail_cysh_check() {
    let (code, out, _) = run(crate::util::cysh_bare()
        .arg("check")
        .write_stdin(":parm {a: 1}\n:foo\nSHOW SERVERS;\n"));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("Could not find command :parm"), "{out}");
    assert!(out.contains("Could not find command :foo"), "{out}");
}
