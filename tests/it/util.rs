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

/// Replaces the timings in footer lines with `X`/`Y` so outputs can be compared.
pub fn normalise_timings(text: &str) -> String {
    text.lines()
        .map(|line| match line.split_once(" available after ") {
            Some((rows, _)) => format!("{rows} available after X ms, consumed after another Y ms"),
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + if text.ends_with('\n') { "\n" } else { "" }
}
