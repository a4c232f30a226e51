//! Helpers shared by the integration tests: a command for the built binary and output
//! normalisation.

use assert_cmd::Command;

/// Path of the `cysh` binary cargo built for these tests.
pub fn cysh_path() -> &'static str {
    env!("CARGO_BIN_EXE_cysh")
}

/// A private data home for every process the tests start, so no test reads or writes the
/// user's real data directory (history, default data directory).
pub fn data_home() -> &'static std::path::Path {
    static HOME: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    HOME.get_or_init(|| tempfile::tempdir().expect("temp dir"))
        .path()
}

/// A `cysh` command on a fresh in-memory cluster (`--ephemeral`) with a clean environment:
/// no colour, no inherited Neo4j settings, a private data home.
pub fn cysh() -> Command {
    let mut cmd = cysh_bare();
    cmd.arg("--ephemeral");
    cmd
}

/// A `cysh` command without `--ephemeral` (for tests of data directories and subcommands).
pub fn cysh_bare() -> Command {
    let mut cmd = Command::new(cysh_path());
    cmd.env("XDG_DATA_HOME", data_home())
        .env("NO_COLOR", "1")
        .env_remove("NEO4J_ADDRESS")
        .env_remove("NEO4J_URI")
        .env_remove("NEO4J_USERNAME")
        .env_remove("NEO4J_PASSWORD")
        .env_remove("NEO4J_DATABASE");
    cmd
}

/// Runs `cmd` and returns (exit status, stdout, stderr).
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("cysh runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Replaces the timings in footer lines with `X`/`Y`, and the `Time` of a plan summary
/// (its table row, or its plain `Time: N` line) with `X`, so outputs can be compared.
pub fn normalise_timings(text: &str) -> String {
    text.lines()
        .map(|line| {
            if line.starts_with("ready to start consuming query after ") {
                "ready to start consuming query after X ms, results consumed after another Y ms"
                    .to_string()
            } else if line.starts_with("| \"EXPLAIN\" |") || line.starts_with("| \"PROFILE\" |") {
                // Plan, Statement, Version, Planner, Runtime, then Time.
                let mut cells: Vec<String> = line.split('|').map(String::from).collect();
                if let Some(time) = cells.get_mut(6) {
                    *time = format!(" {:w$} ", "X", w = time.len().saturating_sub(2));
                }
                cells.join("|")
            } else if line.starts_with("Time: ") {
                "Time: X".to_string()
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + if text.ends_with('\n') { "\n" } else { "" }
}

/// The `.cypher` files in `dir`, sorted.
pub fn cypher_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "cypher"))
        .collect();
    files.sort();
    files
}

/// The expected standard output of `script`, `<name>.out`, which must exist: a missing
/// one read as empty would let a script that prints nothing pass.
pub fn expected_out(script: &std::path::Path) -> String {
    let path = script.with_extension("out");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (every script needs its expected output; CYSH_BLESS=1 writes it)",
            path.display()
        )
    })
}

/// The expected standard error of `script`, `<name>.err`; no such file means no errors
/// are expected (and exit status 0). Any other read failure is an error.
pub fn expected_err(script: &std::path::Path) -> String {
    let path = script.with_extension("err");
    match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => panic!("{}: {e}", path.display()),
    }
}

/// Runs `cmd` for `script` and compares with the expectations beside it: stdout with
/// `<name>.out` (footer timings normalised; it must exist), stderr with `<name>.err`
/// (absent: no errors expected), and
/// the exit status (1 when errors are expected, else 0). With `CYSH_BLESS` set, rewrites
/// the expectations instead. Returns the differences, each naming `rel`.
pub fn against_expected(cmd: &mut Command, script: &std::path::Path, rel: &str) -> Vec<String> {
    let (code, stdout, stderr) = run(cmd);
    let stdout = normalise_timings(&stdout);
    let out_path = script.with_extension("out");
    let err_path = script.with_extension("err");
    if std::env::var_os("CYSH_BLESS").is_some() {
        std::fs::write(&out_path, &stdout).unwrap();
        if stderr.is_empty() {
            let _ = std::fs::remove_file(&err_path);
        } else {
            std::fs::write(&err_path, &stderr).unwrap();
        }
        return Vec::new();
    }
    let want_out = expected_out(script);
    let want_err = expected_err(script);
    let mut failures = Vec::new();
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
    failures
}
