//! `cysh check`: verdicts per statement, JSON lines, `-P` and `:param`, exit statuses.

use assert_cmd::Command;
use serde_json::Value;

const SEED_CREATE: &str =
    "CREATE DATABASE $dbname TOPOLOGY $primary PRIMARIES $secondary SECONDARIES";

fn check(args: &[&str], stdin: &str) -> (i32, String, String) {
    let out = Command::cargo_bin("cysh")
        .unwrap()
        .arg("check")
        .args(args)
        .write_stdin(stdin)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json_lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn every_seed_statement_is_accepted() {
    let seeds = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/parse/seeds-accept.txt"
    );
    let (code, stdout, stderr) = check(
        &[
            "--json",
            "-P",
            "{dbname: 'foo', primary: 3, secondary: 2}",
            seeds,
        ],
        "",
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    let lines = json_lines(&stdout);
    assert!(lines.len() > 40);
    assert!(lines.iter().all(|l| l["ok"] == true), "{stdout}");
}

#[test]
fn json_lines_follow_the_contract() {
    let input =
        "CREATE DATABASE foo;\n\nCREATE DATABASE foo TOPOLOGY PRIMARY;\nMATCH (n) RETURN n;\n";
    let (code, stdout, _) = check(&["--json"], input);
    assert_eq!(code, 1);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        r#"{"index":1,"line":1,"column":1,"ok":true,"kind":"CREATE DATABASE"}"#
    );
    assert_eq!(
        lines[1],
        r#"{"index":2,"line":3,"column":1,"ok":false,"kind":null,"error":{"code":"Neo.ClientError.Statement.SyntaxError","message":"Invalid input 'PRIMARY': expected a parameter or an integer value","line":1,"column":30,"offset":29}}"#
    );
    assert_eq!(
        lines[2],
        r#"{"index":3,"line":4,"column":1,"ok":true,"kind":"MATCH"}"#
    );
}

#[test]
fn seed_typos_are_rejected_with_a_position() {
    // The typographic quotes come last: they do not open a string, so the splitter reads
    // `//bucket/folder/”};` as a comment (as cypher-shell does) and the statement runs on.
    let input = "CREATE DATABASE foo-restored TOPOLOGY 1 PRIMARY;\n\
                 CALL dbms.recreateDatabase(\"foo\", {seedURI: \"s3://myBucket/myBackup.backup\",});\n\
                 CREATE DATABASE `foo-restored` OPTIONS {seedUri: “s3://bucket/folder/”};\n";
    let (code, stdout, _) = check(&["--json"], input);
    assert_eq!(code, 1);
    let lines = json_lines(&stdout);
    let at = |i: usize| {
        let e = &lines[i]["error"];
        (
            e["message"].as_str().unwrap().to_string(),
            e["offset"].as_u64().unwrap(),
        )
    };
    assert!(at(0).0.starts_with("Invalid input '-'"), "{:?}", at(0));
    assert_eq!(at(0).1, 19);
    assert!(at(1).0.starts_with("Invalid input '}'"), "{:?}", at(1));
    assert_eq!(at(1).1, 76);
    assert!(at(2).0.starts_with("Invalid input '“'"), "{:?}", at(2));
    assert_eq!(at(2).1, 49);
}

#[test]
fn parameters_from_the_command_line() {
    let ok = check(
        &["-P", "{dbname: \"foo\", primary: 3, secondary: 2}"],
        SEED_CREATE,
    );
    assert_eq!(ok.0, 0, "{}", ok.1);

    let (code, stdout, _) = check(
        &["--json", "-P", "{dbname: \"foo\", primary: 3}"],
        SEED_CREATE,
    );
    assert_eq!(code, 1);
    let e = &json_lines(&stdout)[0]["error"];
    assert_eq!(e["code"], "Neo.ClientError.Statement.ParameterMissing");
    assert_eq!(e["message"], "Expected parameter(s): secondary");

    let (code, stdout, _) = check(
        &[
            "--json",
            "-P",
            "{dbname: \"foo\", primary: \"3\", secondary: 2}",
        ],
        SEED_CREATE,
    );
    assert_eq!(code, 1);
    let e = &json_lines(&stdout)[0]["error"];
    assert_eq!(e["code"], "Neo.ClientError.Statement.TypeError");
    assert!(e["message"].as_str().unwrap().contains("`primary`"));

    // JSON and arrow forms, repeated -P.
    let ok = check(
        &[
            "-P",
            r#"{"dbname": "foo"}"#,
            "-P",
            "primary => 3",
            "-P",
            "secondary: 1",
        ],
        SEED_CREATE,
    );
    assert_eq!(ok.0, 0, "{}", ok.1);
}

#[test]
fn param_lines_in_the_script_are_applied() {
    let input = ":param {dbname: 'foo', primary: 3}\n:param secondary => 2\n".to_string()
        + SEED_CREATE
        + ";\n";
    let (code, stdout, _) = check(&["--json"], &input);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(
        stdout.trim(),
        r#"{"index":1,"line":3,"column":1,"ok":true,"kind":"CREATE DATABASE"}"#
    );
}

#[test]
fn the_splitter_keeps_semicolons_in_strings_comments_and_names() {
    let input = "CREATE DATABASE `a;b` OPTIONS {x: 'c;d'} // e;f\n;\n  /* g; */ SHOW DATABASES;";
    let (code, stdout, _) = check(&["--json"], input);
    assert_eq!(code, 0, "{stdout}");
    let lines = json_lines(&stdout);
    assert_eq!(lines.len(), 2);
    assert_eq!(
        (lines[1]["line"].clone(), lines[1]["column"].clone()),
        (3.into(), 12.into())
    );
}

#[test]
fn human_output_shows_each_problem_with_a_caret() {
    let (code, stdout, _) = check(
        &[],
        "SHOW DATABASES;\n  CREATE DATABASE foo TOPOLOGY PRIMARY;\n",
    );
    assert_eq!(code, 1);
    assert!(
        stdout.contains(
            "<stdin>:2:32: Neo.ClientError.Statement.SyntaxError: Invalid input 'PRIMARY'"
        ),
        "{stdout}"
    );
    assert!(
        stdout
            .contains("\"CREATE DATABASE foo TOPOLOGY PRIMARY\"\n                              ^"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("2 statements checked, 1 invalid\n"),
        "{stdout}"
    );
}

#[test]
fn usage_and_io_errors_exit_2() {
    assert_eq!(check(&["/no/such/file.cypher"], "").0, 2);
    assert_eq!(check(&["-P", "{a: "], "").0, 2);
    assert_eq!(check(&["--no-such-flag"], "").0, 2);
}

/// `cysh check` knows the shell's colon-commands from the same table (`:access-mode` was
/// once refused), and follows `:param clear` and `:params NAME` as the shell does: clearing
/// forgets the parameters, showing one changes nothing.
#[test]
fn colon_commands_are_the_shells_and_param_clear_forgets() {
    let (code, stdout, stderr) = check(
        &[],
        ":access-mode\n:params\n:param {a: 'foo'}\n:params a\n:param  list \nCREATE DATABASE $a;\n\
         :param clear\nCREATE DATABASE $a;\n:nope\n",
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    let all = format!("{stdout}{stderr}");
    assert!(all.contains("<stdin>:8:17"), "{all}");
    assert!(all.contains("Expected parameter(s): a"), "{all}");
    assert!(all.contains("Could not find command :nope"), "{all}");
    assert!(!all.contains(":access-mode"), "{all}");
    assert!(all.contains("3 statements checked, 2 invalid"), "{all}");
}

/// The parameters a statement names (`$name`, `$1`), in order of first use.
fn parameters_of(statement: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (i, _) in statement.match_indices('$') {
        let name: String = statement[i + 1..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

#[test]
fn tck_rows_listed_as_check_differences_need_only_their_parameters() {
    // `tests/data/conformance/tck-known.txt` lists, with a `check:` reason, TCK queries
    // Neo4j parses that name parameters the corpus does not give. Each must fail
    // `cysh check` with ParameterMissing naming exactly those parameters, and pass with
    // them given; a listed row that passes without them fails this test.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/conformance/tck-known.txt"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let mut rows = 0;
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let Some((statement, reason)) = line.split_once('\t') else {
            continue;
        };
        if !reason.starts_with("check:") {
            continue;
        }
        rows += 1;
        let statement: String = serde_json::from_str(statement).unwrap();
        let names = parameters_of(&statement);
        assert!(!names.is_empty(), "{statement:?} names no parameter");
        let (code, out, _) = check(&["--json"], &statement);
        let verdict = &json_lines(&out)[0];
        assert_eq!(
            code, 1,
            "{statement:?} passed without its parameters: {out}"
        );
        assert_eq!(
            verdict["error"]["code"], "Neo.ClientError.Statement.ParameterMissing",
            "{statement:?}: {out}"
        );
        assert_eq!(
            verdict["error"]["message"],
            format!("Expected parameter(s): {}", names.join(", ")),
            "{statement:?}"
        );
        let given: Vec<String> = names.iter().map(|n| format!("{{`{n}`: 1}}")).collect();
        let mut args = vec!["--json"];
        for g in &given {
            args.extend(["-P", g.as_str()]);
        }
        let (code, out, err) = check(&args, &statement);
        assert_eq!(code, 0, "{statement:?} with {given:?}: {out}{err}");
    }
    assert!(rows >= 30, "only {rows} rows with a `check:` reason");
}
