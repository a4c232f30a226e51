//! Scenario tests of the embedded cluster: each `tests/data/scenarios/<name>.cypher` is a
//! script run as `cysh --format verbose --fail-at-end -f <name>.cypher` (plus the
//! arguments of an optional first line `// args: ...`, default `--servers 0`), from
//! `tests/data/`, so `--config scenarios/x.conf` works. Its expected standard output is
//! `<name>.out` and, when present, its expected standard error `<name>.err` (exit status
//! 1 when that is not empty). Footer timings are normalised. Adding a scenario is adding
//! two files; `CYSH_BLESS=1 cargo test scenarios` rewrites the expectations.

use crate::util::{cysh, normalise_timings, run};
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
    let dir = data.join("scenarios");
    let bless = std::env::var_os("CYSH_BLESS").is_some();
    let mut scripts: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/data/scenarios exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "cypher"))
        .collect();
    scripts.sort();
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
        let (code, stdout, stderr) = run(&mut cmd);
        let stdout = normalise_timings(&stdout);
        let out_path = script.with_extension("out");
        let err_path = script.with_extension("err");
        if bless {
            std::fs::write(&out_path, &stdout).unwrap();
            if stderr.is_empty() {
                let _ = std::fs::remove_file(&err_path);
            } else {
                std::fs::write(&err_path, &stderr).unwrap();
            }
            continue;
        }
        let want_out = std::fs::read_to_string(&out_path).unwrap_or_default();
        let want_err = std::fs::read_to_string(&err_path).unwrap_or_default();
        if stdout != want_out {
            failures.push(format!(
                "{rel}: stdout differs\n--- got\n{stdout}--- expected\n{want_out}"
            ));
        }
        if stderr != want_err {
            failures.push(format!(
                "{rel}: stderr differs\n--- got\n{stderr}--- expected\n{want_err}"
            ));
        }
        let want_code = i32::from(!want_err.is_empty());
        if code != want_code {
            failures.push(format!("{rel}: exit status {code}, expected {want_code}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
