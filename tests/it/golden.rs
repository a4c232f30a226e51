//! Golden tests: each file under `tests/data/golden/` is one run of the binary with its
//! expected output, so adding a case is adding a file. Format:
//!
//! ```text
//! args: --format plain            (optional; split on whitespace)
//! exit: 1                         (optional; default 0)
//! --- stdin
//! ...input...
//! --- stdout                      (required, even when empty)
//! ...expected stdout...
//! --- stderr                      (optional; when absent, stderr is not checked)
//! ...expected stderr...
//! ```
//!
//! Footer timings are normalised to `X`/`Y` before comparing.

use crate::util::{cysh, normalise_timings, run};
use std::path::Path;

struct Case {
    args: Vec<String>,
    exit: i32,
    stdin: String,
    stdout: Option<String>,
    stderr: Option<String>,
}

fn parse_case(text: &str) -> Case {
    let mut case = Case {
        args: vec![],
        exit: 0,
        stdin: String::new(),
        stdout: None,
        stderr: None,
    };
    let mut section: Option<&str> = None;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches('\n');
        match bare {
            "--- stdin" | "--- stdout" | "--- stderr" => {
                section = Some(&bare[4..]);
                if bare == "--- stdout" {
                    case.stdout = Some(String::new());
                }
                if bare == "--- stderr" {
                    case.stderr = Some(String::new());
                }
                continue;
            }
            _ => {}
        }
        match section {
            None => {
                if let Some(args) = bare.strip_prefix("args:") {
                    case.args = args.split_whitespace().map(String::from).collect();
                } else if let Some(exit) = bare.strip_prefix("exit:") {
                    case.exit = exit.trim().parse().expect("exit status");
                }
            }
            Some("stdin") => case.stdin.push_str(line),
            Some("stdout") => case.stdout.get_or_insert_with(String::new).push_str(line),
            Some(_) => case.stderr.get_or_insert_with(String::new).push_str(line),
        }
    }
    case
}

#[test]
fn golden_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/golden");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    let mut failures = Vec::new();
    for path in paths {
        let case = parse_case(&std::fs::read_to_string(&path).unwrap());
        let name = path.file_name().unwrap().to_string_lossy();
        // A case without its expected output must fail, not compare with nothing.
        let Some(want_stdout) = &case.stdout else {
            failures.push(format!("{name}: no `--- stdout` section"));
            continue;
        };
        let (code, stdout, stderr) = run(cysh().args(&case.args).write_stdin(case.stdin.clone()));
        let stdout = normalise_timings(&stdout);
        if code != case.exit {
            failures.push(format!(
                "{name}: exit {code}, expected {}\nstderr:\n{stderr}",
                case.exit
            ));
        }
        if stdout != *want_stdout {
            failures.push(format!(
                "{name}: stdout differs\n--- got\n{stdout}--- expected\n{want_stdout}"
            ));
        }
        if let Some(expected) = case.stderr.as_ref().filter(|e| **e != stderr) {
            failures.push(format!(
                "{name}: stderr differs\n--- got\n{stderr}--- expected\n{expected}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
