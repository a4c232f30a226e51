//! The operator examples under `examples/`: each `NAME.cypher` is run as its own comment
//! says, `cysh --ephemeral <args> -f examples/NAME.cypher`, from the repository root, where
//! `<args>` is its first line `// args: ...` (required, so the script says how to run it).
//! Its standard output must equal `NAME.out` and its standard error `NAME.err` (absent when
//! nothing fails; exit status 1 when present), footer timings normalised. The test adds
//! `--format verbose`, which is what a terminal gets anyway, because its output is piped.
//!
//! It checks that the examples do not drift from the shell; it must not hold scenarios of
//! its own (those are `tests/data/scenarios/`). `CYSH_BLESS=1 cargo test examples` rewrites
//! the expectations after a deliberate change.

use crate::util::{cysh, normalise_timings, run};
use std::path::Path;

#[test]
fn examples_match_their_expected_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bless = std::env::var_os("CYSH_BLESS").is_some();
    let mut scripts: Vec<_> = std::fs::read_dir(root.join("examples"))
        .expect("examples/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "cypher"))
        .collect();
    scripts.sort();
    assert!(scripts.len() >= 7, "one example per seed workflow");
    let mut failures = Vec::new();
    for script in scripts {
        let text = std::fs::read_to_string(&script).unwrap();
        let rel = script.strip_prefix(root).unwrap().display().to_string();
        let Some(args) = text.lines().next().and_then(|l| l.strip_prefix("// args:")) else {
            failures.push(format!("{rel}: the first line must be `// args: ...`"));
            continue;
        };
        let args: Vec<&str> = args.split_whitespace().collect();
        // The command line the script shows its reader must be the one tested here.
        let shown = format!("cysh --ephemeral {} -f {rel}", args.join(" "));
        if !text.contains(&shown) {
            failures.push(format!("{rel}: its comments must show `{shown}`"));
        }
        let mut cmd = cysh();
        cmd.current_dir(root)
            .args(&args)
            .args(["--format", "verbose", "-f", &rel]);
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
