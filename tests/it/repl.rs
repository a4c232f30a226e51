//! The interactive prompt, typed into through a real pseudo-terminal (rexpect).

use crate::util::cysh_path;
use rexpect::process::WaitStatus;
use rexpect::session::spawn_command;
use std::process::Command;

/// `cysh ARGS` on a pseudo-terminal of type `term`, with no colour and a private data home.
/// `dumb` keeps rustyline's output plain; `xterm` is needed for line editing (TAB, arrows)
/// and for indicatif to draw.
fn pty(term: &str, args: &[&str]) -> rexpect::session::PtySession {
    let mut cmd = Command::new(cysh_path());
    cmd.args(args)
        .env("XDG_DATA_HOME", crate::util::data_home())
        .env("NO_COLOR", "1")
        .env("TERM", term);
    spawn_command(cmd, Some(20_000)).expect("spawn cysh in a pty")
}

/// An in-memory cluster on a plain (`dumb`) terminal.
fn spawn_shell(args: &[&str]) -> rexpect::session::PtySession {
    pty("dumb", &[&["--ephemeral"], args].concat())
}

#[test]
fn prompt_runs_a_multi_line_statement_and_exits_with_0() {
    let mut p = spawn_shell(&[]);
    p.exp_string("neo4j@system> ").unwrap();
    // A statement split over two lines runs once the ';' arrives.
    p.send_line("SHOW").unwrap();
    p.send_line("SERVERS;").unwrap();
    p.exp_string("| name ").unwrap();
    p.exp_string("3 rows\r\nready to start consuming query after")
        .unwrap();
    p.exp_string("neo4j@system> ").unwrap();
    // Errors do not end the session.
    p.send_line("MATCH (n) RETURN n;").unwrap();
    p.exp_string("needs a Neo4j server").unwrap();
    p.exp_string("neo4j@system> ").unwrap();
    p.send_line(":exit").unwrap();
    p.exp_string("Bye!").unwrap();
    p.exp_eof().unwrap();
    assert!(matches!(
        p.process().wait().unwrap(),
        WaitStatus::Exited(_, 0)
    ));
}

#[test]
fn ctrl_d_leaves_with_status_0() {
    let mut p = spawn_shell(&["--servers", "2"]);
    p.exp_string("neo4j@system> ").unwrap();
    p.send_control('d').unwrap();
    p.exp_string("Bye!").unwrap();
    p.exp_eof().unwrap();
    assert!(matches!(
        p.process().wait().unwrap(),
        WaitStatus::Exited(_, 0)
    ));
}

#[test]
fn history_is_shared_between_sessions_and_private() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("history");
    let file_arg = file.display().to_string();
    let spawn = || pty("xterm", &["--ephemeral", "--history", &file_arg]);
    let mut p = spawn();
    p.exp_string("neo4j@system> ").unwrap();
    p.send_line("SHOW").unwrap();
    p.send_line("SERVERS;").unwrap();
    p.exp_string("3 rows\r\nready to start consuming").unwrap();
    p.send_line(":exit").unwrap();
    p.exp_eof().unwrap();

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // A second session sees it; the whole multi-line statement is one entry, recalled with
    // Up arrows past the commands (`:history`, `:exit`), which are entries too.
    let mut p = spawn();
    p.exp_string("neo4j@system> ").unwrap();
    p.send(":history").unwrap();
    p.send_line("").unwrap();
    p.exp_string("SERVERS;").unwrap();
    p.exp_string("neo4j@system> ").unwrap();
    for _ in 0..3 {
        p.send("\x1b[A").unwrap();
    }
    p.flush().unwrap();
    p.send_line("").unwrap();
    p.exp_string("3 rows\r\nready to start consuming").unwrap();
    // Ctrl-D only once the line editor reads again: sent earlier, the terminal's cooked
    // mode swallows it before the editor switches to raw mode.
    p.exp_string("neo4j@system> ").unwrap();
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn cypher_shells_history_variable_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("from-env");
    let mut cmd = Command::new(cysh_path());
    cmd.args(["--ephemeral"])
        .env("XDG_DATA_HOME", crate::util::data_home())
        .env("NO_COLOR", "1")
        .env("TERM", "dumb")
        .env_remove("CYSH_HISTORY")
        .env("NEO4J_CYPHER_SHELL_HISTORY", &file);
    let mut p = spawn_command(cmd, Some(20_000)).unwrap();
    p.exp_string("neo4j@system> ").unwrap();
    p.send_line("SHOW DEFAULT DATABASE;").unwrap();
    p.exp_string("1 row\r\nready to start consuming").unwrap();
    p.send_line(":exit").unwrap();
    p.exp_eof().unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("SHOW DEFAULT DATABASE;"), "{text}");
}

#[test]
fn long_scripts_show_progress_on_a_terminal_only() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    std::io::Write::write_all(&mut file, "SHOW SERVERS;\n".repeat(200).as_bytes()).unwrap();
    let path = file.path().display().to_string();
    // indicatif draws nothing on a `dumb` terminal, so this one says xterm.
    let mut p = pty("xterm", &["--ephemeral", "--format", "plain", "-f", &path]);
    p.exp_string("/200 statements").unwrap();
    p.exp_eof().unwrap();
    // Not on a pipe: stderr stays clean.
    let (code, _, stderr) = crate::util::run(crate::util::cysh().args(["-f", &path]));
    assert_eq!(code, 0);
    assert_eq!(stderr, "");
}

#[test]
fn tab_completes_keywords_from_the_grammar() {
    let mut p = spawn_xterm(&[]);
    p.exp_string("neo4j@system> ").unwrap();
    // "SHOW SERV" + TAB stops at "SHOW SERVER", the common prefix of SERVER and SERVERS.
    p.send("SHOW SERV\t").unwrap();
    p.flush().unwrap();
    p.exp_string("SHOW SERVER").unwrap();
    // "S YI" + TAB: YIELD is the only keyword that fits.
    p.send("S YI\t").unwrap();
    p.flush().unwrap();
    p.exp_string("YIELD ").unwrap();
    p.send_line("name;").unwrap();
    p.exp_string("3 rows\r\nready to start consuming").unwrap();
    // Colon-commands complete too.
    p.send(":exi\t").unwrap();
    p.flush().unwrap();
    p.exp_string("t ").unwrap();
    p.send_line("").unwrap();
    p.exp_string("Bye!").unwrap();
    p.exp_eof().unwrap();
}

/// Waits for a fresh prompt. rustyline redraws the prompt on every key, so its text alone
/// does not say a new line is being read; a new readline turns bracketed paste on
/// (`ESC[?2004h`) once, after the terminal is in raw mode, so input sent after it is kept.
fn fresh_prompt(p: &mut rexpect::session::PtySession) {
    p.exp_string("\u{1b}[?2004h").unwrap();
    p.exp_string("neo4j@system> ").unwrap();
}

/// An in-memory cluster with in-memory history on an editing (`xterm`) terminal.
fn spawn_xterm(args: &[&str]) -> rexpect::session::PtySession {
    pty(
        "xterm",
        &[&["--ephemeral", "--history", "in-memory"], args].concat(),
    )
}

#[test]
fn ctrl_c_clears_the_line_and_the_session_goes_on() {
    let mut p = spawn_xterm(&[]);
    p.exp_string("neo4j@system> ").unwrap();
    p.send("SHOW SERV").unwrap();
    p.flush().unwrap();
    p.send_control('c').unwrap();
    p.exp_string("Interrupted (Note that Cypher queries must end with a semicolon.")
        .unwrap();
    p.exp_string("neo4j@system> ").unwrap();
    // The interrupted text is gone: this line alone is the statement.
    p.send_line("SHOW SERVERS YIELD name RETURN count(*) AS n;")
        .unwrap();
    p.exp_string("1 row\r\nready to start consuming").unwrap();
    p.send_line(":exit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn params_in_both_syntaxes_and_across_lines() {
    let mut p = spawn_xterm(&["--format", "plain"]);
    fresh_prompt(&mut p);
    p.send_line(":param {dbname: 'foo',").unwrap();
    p.send_line("  primary: 1 + 1}").unwrap();
    fresh_prompt(&mut p);
    p.send_line(":param secondary => 1").unwrap();
    fresh_prompt(&mut p);
    p.send_line(":params").unwrap();
    p.exp_string("dbname: 'foo',").unwrap();
    p.exp_string("primary: 2,").unwrap();
    p.exp_string("secondary: 1").unwrap();
    fresh_prompt(&mut p);
    p.send_line("CREATE DATABASE $dbname TOPOLOGY $primary PRIMARIES $secondary SECONDARY;")
        .unwrap();
    fresh_prompt(&mut p);
    p.send_line(
        "SHOW DATABASE foo YIELD requestedPrimariesCount, requestedSecondariesCount LIMIT 1;",
    )
    .unwrap();
    p.exp_string("2, 1").unwrap();
    p.send_line(":exit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn tab_completes_procedures_databases_and_servers_from_the_backend() {
    let mut p = spawn_xterm(&[]);
    fresh_prompt(&mut p);
    p.send_line("CREATE DATABASE foo;").unwrap();
    fresh_prompt(&mut p);
    p.send_line("CALL sim.addServer({serverId: '0000000a-0000-4000-8000-000000000001'});")
        .unwrap();
    p.exp_string("1 row\r\nready to start consuming").unwrap();
    fresh_prompt(&mut p);

    // `re` fits reallocateDatabase, reallocateNumberOfDatabases and recreateDatabase: the
    // first TAB has no common part to add, the second lists them.
    p.send("CALL dbms.cluster.re\t").unwrap();
    p.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    p.send("\t").unwrap();
    p.flush().unwrap();
    p.exp_string("dbms.cluster.reallocateDatabase").unwrap();
    p.exp_string("dbms.cluster.reallocateNumberOfDatabases")
        .unwrap();
    p.send_control('c').unwrap();
    p.exp_string("Interrupted").unwrap();
    fresh_prompt(&mut p);
    // `rea` has a common part: one TAB extends it to `reallocate`.
    p.send("CALL dbms.cluster.rea\t").unwrap();
    p.flush().unwrap();
    p.exp_string("CALL dbms.cluster.reallocate").unwrap();
    p.send_control('c').unwrap();
    p.exp_string("Interrupted").unwrap();
    fresh_prompt(&mut p);

    // A database name from SHOW DATABASES.
    p.send("ALTER DATABASE f\t").unwrap();
    p.flush().unwrap();
    p.exp_string("ALTER DATABASE foo").unwrap();
    p.send_line(" SET ACCESS READ ONLY;").unwrap();
    fresh_prompt(&mut p);

    // A server id from SHOW SERVERS, quoted.
    p.send("ENABLE SERVER '0000000a\t").unwrap();
    p.flush().unwrap();
    p.exp_string("'0000000a-0000-4000-8000-000000000001'")
        .unwrap();
    p.send_line(";").unwrap();
    fresh_prompt(&mut p);
    p.send_line("SHOW SERVERS YIELD serverId, state WHERE serverId STARTS WITH '0000000a';")
        .unwrap();
    p.exp_string("\"Enabled\"").unwrap();
    p.send_line(":exit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn wait_shows_a_spinner_on_a_terminal() {
    let mut p = spawn_xterm(&[]);
    p.exp_string("neo4j@system> ").unwrap();
    p.send_line("CREATE DATABASE foo WAIT 5 SECONDS;").unwrap();
    p.exp_string("WAIT: up to 5 s for the servers to catch up")
        .unwrap();
    p.exp_string("\"CaughtUp\"").unwrap();
    p.send_line(":exit").unwrap();
    p.exp_eof().unwrap();
}

/// A data directory whose cluster has the user `bob` (password `bob-password`), and its
/// path as an argument.
fn data_dir_with_bob() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = crate::util::run(
        crate::util::cysh_bare()
            .arg("--data-dir")
            .arg(dir.path())
            .arg("CREATE USER bob SET PASSWORD 'bob-password' CHANGE NOT REQUIRED"),
    );
    assert_eq!(code, 0, "{stderr}");
    let path = dir.path().display().to_string();
    (dir, path)
}

#[test]
fn embedded_login_prompts_for_the_password_on_a_terminal() {
    let (_dir, data_dir) = data_dir_with_bob();
    let mut p = pty(
        "dumb",
        &[
            "--data-dir",
            &data_dir,
            "-u",
            "bob",
            "--history",
            "in-memory",
        ],
    );
    p.exp_string("password: ").unwrap();
    p.send_line("bob-password").unwrap();
    p.exp_string("bob@system> ").unwrap();
    p.send_line("SHOW CURRENT USER YIELD user;").unwrap();
    p.exp_string("\"bob\"").unwrap();
    p.send_line(":exit").unwrap();
    p.exp_eof().unwrap();
}

/// A 10,000-term chain pasted at the prompt (the abort, exit 134) runs and the
/// prompt comes back.
#[test]
fn a_long_chain_pasted_at_the_prompt_runs() {
    let mut p = pty(
        "xterm",
        &[
            "--ephemeral",
            "--history",
            "in-memory",
            "--format",
            "verbose",
        ],
    );
    p.exp_string("neo4j@system> ").unwrap();
    let chain = format!("RETURN 1{} AS s;", "+1".repeat(9_999));
    // Bracketed paste: the editor takes the text as one paste rather than 20,000 keys.
    p.send(&format!("\x1b[200~{chain}\x1b[201~")).unwrap();
    p.send_line("").unwrap();
    p.exp_string("| 10000 |").unwrap();
    p.exp_string("neo4j@system> ").unwrap();
    p.send_line(":exit").unwrap();
    p.exp_eof().unwrap();
}

/// `:use` without an argument goes back to the home database (cypher-shell's default
/// database), not to `system`; the prompt shows where statements now go.
#[test]
fn use_without_an_argument_returns_to_the_home_database() {
    let mut p = spawn_shell(&[]);
    p.exp_string("neo4j@system> ").unwrap();
    p.send_line(":use system").unwrap();
    p.exp_string("neo4j@system> ").unwrap();
    p.send_line(":use").unwrap();
    p.exp_string("neo4j@neo4j> ").unwrap();
    p.send_line(":exit").unwrap();
    p.exp_string("Bye!").unwrap();
    p.exp_eof().unwrap();
}

/// `SHOW DATABASE ` + TAB TAB lists the database names beside WHERE and YIELD, and a typed
/// prefix completes to the one name that fits.
#[test]
fn tab_after_show_database_offers_database_names() {
    let mut p = spawn_xterm(&[]);
    p.exp_string("neo4j@system> ").unwrap();
    p.send("SHOW DATABASE \t\t").unwrap();
    p.flush().unwrap();
    // The list is sorted as completion sorts it: keywords (upper case) first.
    p.exp_string("WHERE").unwrap();
    p.exp_string("YIELD").unwrap();
    p.exp_string("neo4j").unwrap();
    p.exp_string("system").unwrap();
    // Back to the prompt line: complete a prefix of a name instead.
    p.send("sys\t").unwrap();
    p.flush().unwrap();
    p.exp_string("SHOW DATABASE system").unwrap();
    p.send_line(";").unwrap();
    // One row per server hosting it.
    p.exp_string("3 rows\r\nready to start consuming").unwrap();
    fresh_prompt(&mut p);
    // After a TAB list the arrow keys still walk the history, as `:help` says: Up brings
    // back the statement just run, which runs again.
    p.send("SHOW DATABASE \t\t").unwrap();
    p.flush().unwrap();
    p.exp_string("YIELD").unwrap();
    p.send("\x1b[A").unwrap();
    p.flush().unwrap();
    p.exp_string("SHOW DATABASE system;").unwrap();
    p.send_line("").unwrap();
    p.exp_string("3 rows\r\nready to start consuming").unwrap();
    p.send_line(":exit").unwrap();
    p.exp_string("Bye!").unwrap();
    p.exp_eof().unwrap();
}

/// `--idle-timeout`: a prompt left alone ends the shell with cypher-shell's message and
/// status 124, and a keystroke or a running statement does not count as idle.
#[test]
fn idle_timeout_ends_an_idle_shell_with_124() {
    // xterm: the line editor sees each keystroke (a dumb terminal reads whole lines).
    let mut p = pty(
        "xterm",
        &[
            "--ephemeral",
            "--idle-timeout",
            "2s",
            "--history",
            "in-memory",
        ],
    );
    p.exp_string("neo4j@system> ").unwrap();
    // Typing keeps it alive past the timeout.
    for _ in 0..3 {
        std::thread::sleep(std::time::Duration::from_millis(900));
        p.send("S").unwrap();
        p.send_control('h').unwrap();
    }
    p.send_line("SHOW SERVERS YIELD name LIMIT 1;").unwrap();
    p.exp_string("1 row").unwrap();
    p.exp_string(
        "Timeout after idling, avoid this by increasing --idle-timeout or omitting it completely.",
    )
    .unwrap();
    p.exp_eof().unwrap();
    assert!(matches!(
        p.process().wait().unwrap(),
        WaitStatus::Exited(_, 124)
    ));
}

/// A bad `--idle-timeout` is refused before anything starts, in cypher-shell's words.
#[test]
fn idle_timeout_refuses_a_bad_duration() {
    let (code, _, stderr) = crate::util::run(
        crate::util::cysh()
            .args(["--idle-timeout", "ten minutes"])
            .arg("SHOW SERVERS"),
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "Invalid timeout value, valid values are for example 1h30m (1 hour and 30 minutes), \
             1h (1 hour), 10m (10 minutes): ten minutes"
        ),
        "{stderr}"
    );
}

/// `:disconnect` turns the prompt into `Disconnected> ` and refuses statements; `:connect`
/// logs in again (as another user with `-u`), and its password stays out of the history.
#[test]
fn disconnect_and_connect_at_the_prompt() {
    let (dir, data_dir) = data_dir_with_bob();
    let history = dir.path().join("history");
    let history_arg = history.display().to_string();
    let mut p = pty(
        "dumb",
        &["--data-dir", &data_dir, "--history", &history_arg],
    );
    p.exp_string("neo4j@system> ").unwrap();
    p.send_line(":connect").unwrap();
    p.exp_string("Already connected").unwrap();
    p.send_line(":disconnect").unwrap();
    p.exp_string("Disconnected> ").unwrap();
    p.send_line("SHOW DATABASES;").unwrap();
    p.exp_string("Not connected to Neo4j").unwrap();
    p.send_line(":connect -p nope").unwrap();
    p.exp_string("You cannot provide password only, please provide a username using '-u USERNAME'")
        .unwrap();
    p.send_line(":connect -u bob -p wrong-password").unwrap();
    p.exp_string("The client is unauthorized due to authentication failure.")
        .unwrap();
    p.exp_string("Disconnected> ").unwrap();
    p.send_line(":connect -u bob -p bob-password -d neo4j")
        .unwrap();
    p.exp_string("bob@neo4j> ").unwrap();
    p.send_line("SHOW CURRENT USER YIELD user;").unwrap();
    p.exp_string("\"bob\"").unwrap();
    p.send_line(":exit").unwrap();
    p.exp_eof().unwrap();
    let kept = std::fs::read_to_string(&history).unwrap_or_default();
    assert!(kept.contains(":disconnect"), "{kept}");
    assert!(
        !kept.contains("bob-password") && !kept.contains("wrong-password"),
        "{kept}"
    );
}

/// Ctrl-C while a statement's rows are being written stops them and returns to the
/// prompt, as cypher-shell does; the session goes on. (The rows of this query are computed
/// as they are written: without the interrupt it would run for hours.)
#[test]
fn ctrl_c_stops_a_streaming_statement_and_keeps_the_session() {
    let mut p = spawn_shell(&["--format", "plain"]);
    p.exp_string("neo4j@system> ").unwrap();
    p.send_line("UNWIND range(1, 100000000000) AS x RETURN x;")
        .unwrap();
    // Rows are arriving.
    p.exp_string("\r\n100000\r\n").unwrap();
    p.send_control('c').unwrap();
    p.exp_string("The query was interrupted (Ctrl-C)").unwrap();
    p.exp_string("neo4j@system> ").unwrap();
    p.send_line("RETURN 'still here' AS s;").unwrap();
    p.exp_string("\"still here\"").unwrap();
    p.exp_string("neo4j@system> ").unwrap();
    p.send_line(":exit").unwrap();
    p.exp_eof().unwrap();
}
