//! `--cypher-version`: the same statement judged as Cypher 5 (the default) and as Cypher
//! 25, by `cysh check` and by the shell, and a statement's own `CYPHER` prefix winning
//! over the flag.

use crate::util::{cysh, cysh_bare, run};

/// Valid only in Cypher 25 (LET is a Cypher 25 clause).
const LET: &str = "LET x = 1 RETURN x AS x";
/// Valid only in Cypher 5 (Cypher 25 removed PERIODIC COMMIT).
const PERIODIC: &str = "USING PERIODIC COMMIT LOAD CSV FROM 'file:///x.csv' AS l CREATE (:N)";

fn check(args: &[&str], stdin: &str) -> (i32, String, String) {
    run(cysh_bare().arg("check").args(args).write_stdin(stdin))
}

#[test]
fn check_judges_in_the_version_it_is_given() {
    let input = format!("{LET};\n");
    let (code, stdout, _) = check(&[], &input);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("Invalid input 'LET'"), "{stdout}");
    let (code, stdout, stderr) = check(&["--cypher-version", "25"], &input);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("1 statement checked, 0 invalid"),
        "{stdout}"
    );
    let (code, stdout, _) = check(&["--cypher-version", "5"], &input);
    assert_eq!(code, 1, "{stdout}");
    // The statement's kind is the clause as written, not the WITH it is read as.
    let (_, stdout, _) = check(&["--json", "--cypher-version", "25"], &input);
    assert!(stdout.contains(r#""kind":"LET""#), "{stdout}");
}

#[test]
fn check_refuses_in_cypher_25_what_it_removed() {
    let input = format!("{PERIODIC};\n");
    let (code, stdout, _) = check(&["--json"], &input);
    assert_eq!(code, 1, "{stdout}");
    // Cypher 5 parses PERIODIC COMMIT, then refuses it: not a syntax error at the start.
    assert!(stdout.contains("no longer supported"), "{stdout}");
    let (code, stdout, _) = check(&["--json", "--cypher-version", "25"], &input);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains(r#""offset":0"#), "{stdout}");
    assert!(stdout.contains("Invalid input 'USING'"), "{stdout}");
}

#[test]
fn the_statement_prefix_wins_over_the_flag() {
    let input = format!("CYPHER 25 {LET};\nCYPHER 5 {LET};\n");
    for flag in ["5", "25"] {
        let (code, stdout, _) = check(&["--json", "--cypher-version", flag], &input);
        assert_eq!(code, 1, "{stdout}");
        let lines: Vec<&str> = stdout.lines().collect();
        assert!(lines[0].contains(r#""ok":true"#), "{stdout}");
        assert!(lines[1].contains(r#""ok":false"#), "{stdout}");
    }
}

#[test]
fn an_unknown_version_is_a_usage_error() {
    let (code, _, stderr) = check(&["--cypher-version", "6"], "");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("[possible values: 5, 25]"), "{stderr}");
}

#[test]
fn the_shell_runs_cypher_25_with_the_flag() {
    let (code, stdout, stderr) = run(cysh().args(["--format", "plain", LET]));
    assert_eq!(code, 1, "{stdout}");
    assert!(stderr.contains("Invalid input 'LET'"), "{stderr}");
    let (code, stdout, stderr) =
        run(cysh().args(["--format", "plain", "--cypher-version", "25", LET]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "x\n1\n");
}

#[test]
fn the_embedded_cluster_runs_cypher_25_query_chains() {
    let text = "FOR x IN [1, 2, 3] FILTER x > 1 LET y = x * 10 RETURN x, y \
                NEXT RETURN sum(y) AS total";
    let (code, stdout, stderr) =
        run(cysh().args(["--format", "plain", "--cypher-version", "25", text]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "total\n50\n");
}
