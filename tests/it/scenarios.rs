//! Scenario tests of the embedded cluster: each `tests/data/scenarios/<name>.cypher` is a
//! script run as `cysh --format verbose --fail-at-end -f <name>.cypher` (plus the
//! arguments of an optional first line `// args: ...`, default `--servers 0`), from
//! `tests/data/`, so `--config scenarios/x.conf` works. Its expected standard output is
//! `<name>.out` and, when present, its expected standard error `<name>.err` (exit status
//! 1 when that is not empty). Footer timings are normalised. Adding a scenario is adding
//! two files; `CYSH_BLESS=1 cargo test scenarios` rewrites the expectations.

use crate::util::{against_expected, cypher_files, cysh};
use std::path::Path;

fn args_of(script: &str) -> Vec<String> {
    match script
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("// args:"))
    {
        Some(args) => args.split_whitespace().map(String::from).collect(),
        None => vec!["--servers".into(), "0".into()],
    }
}

#[test]
fn scenarios() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let scripts = cypher_files(&data.join("scenarios"));
    assert!(!scripts.is_empty());
    let mut failures = Vec::new();
    for script in scripts {
        let text = std::fs::read_to_string(&script).unwrap();
        let rel = script.strip_prefix(&data).unwrap().display().to_string();
        let mut cmd = cysh();
        cmd.current_dir(&data).args(args_of(&text)).args([
            "--format",
            "verbose",
            "--fail-at-end",
            "-f",
            &rel,
        ]);
        failures.extend(against_expected(&mut cmd, &script, &rel));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
