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

use crate::util::{against_expected, cypher_files, cysh};
use std::path::Path;

#[test]
fn examples_match_their_expected_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scripts = cypher_files(&root.join("examples"));
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
        failures.extend(against_expected(&mut cmd, &script, &rel));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
