//! The durable embedded cluster: state survives the process, a killed process loses no
//! acknowledged statement and half-applies none, one process per data directory, damaged
//! files are refused and left alone, explicit transactions apply together or not at all.

use crate::util::{cysh_bare, run};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn in_dir(dir: &Path) -> assert_cmd::Command {
    let mut cmd = cysh_bare();
    cmd.arg("--data-dir").arg(dir);
    cmd
}

fn show(dir: &Path, statement: &str) -> String {
    let (code, stdout, stderr) = run(in_dir(dir).args(["--format", "plain", statement]));
    assert_eq!(code, 0, "{stderr}");
    stdout
}

/// `--servers` and `--config` set up a data directory's cluster anew while no statement has
/// changed it (a first look at the default directory loses nothing), and never once one
/// has, nor a twin written by `cysh twin`.
#[test]
fn servers_flag_renews_only_an_untouched_cluster() {
    let dir = tempfile::tempdir().unwrap();
    let rows = |out: &str| out.lines().count() - 1;
    assert_eq!(rows(&show(dir.path(), "SHOW SERVERS")), 3);
    // Reads, and an explicit transaction of reads, change nothing.
    let (code, _, err) = run(in_dir(dir.path())
        .args(["--format", "plain"])
        .write_stdin(":begin\nSHOW DATABASES;\n:commit\n"));
    assert_eq!(code, 0, "{err}");
    let (code, out, err) =
        run(in_dir(dir.path()).args(["--servers", "5", "--format", "plain", "SHOW SERVERS"]));
    assert_eq!((code, rows(&out)), (0, 5), "{err}");
    assert!(!err.contains("Warning"), "{err}");

    // Once a statement changes the cluster, the flags no longer touch it.
    assert_eq!(show(dir.path(), "CREATE DATABASE foo"), "");
    let (code, out, err) =
        run(in_dir(dir.path()).args(["--servers", "7", "--format", "plain", "SHOW SERVERS"]));
    assert_eq!((code, rows(&out)), (0, 5));
    assert!(err.contains("changed since it was set up"), "{err}");
    assert!(show(dir.path(), "SHOW DATABASES YIELD name").contains("\"foo\""));

    // A twin is a copy of a live cluster, never an untouched one.
    let twin = dir.path().join("twin");
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/twin/five-servers.json");
    let (code, _, err) = run(cysh_bare()
        .arg("twin")
        .arg("--from-json")
        .arg(&fixture)
        .arg("--data-dir")
        .arg(&twin));
    assert_eq!(code, 0, "{err}");
    let before = show(&twin, "SHOW SERVERS YIELD *");
    let (_, out, err) = run(in_dir(&twin).args([
        "--servers",
        "2",
        "--format",
        "plain",
        "SHOW SERVERS YIELD *",
    ]));
    assert_eq!(out, before);
    assert!(err.contains("changed since it was set up"), "{err}");
}

#[test]
fn state_survives_the_process_and_sqlite3_can_read_it() {
    let dir = tempfile::tempdir().unwrap();
    let script = "CREATE DATABASE foo TOPOLOGY 2 PRIMARIES;\n\
                  ALTER DATABASE foo SET ACCESS READ ONLY;\n\
                  CALL dbms.setDefaultAllocationNumbers(2, 1);\n\
                  CREATE DATABASE bar;\nDROP DATABASE bar;\n\
                  CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000009'});";
    let (code, _, stderr) = run(in_dir(dir.path())
        .args(["--format", "plain"])
        .write_stdin(script));
    assert_eq!(code, 0, "{stderr}");
    let first = show(dir.path(), "SHOW DATABASES YIELD *");
    let servers = show(dir.path(), "SHOW SERVERS YIELD *");
    assert!(
        first.contains("\"foo\"") && first.contains("read-only") && !first.contains("\"bar\""),
        "{first}"
    );
    assert!(
        servers.contains("00000000-0000-4000-8000-000000000009"),
        "{servers}"
    );
    let config = show(
        dir.path(),
        "CALL dbms.showTopologyGraphConfig() YIELD defaultPrimariesCount, defaultSecondariesCount",
    );
    assert!(config.ends_with("2, 1\n"), "{config}");
    // `--servers` does not change an existing cluster.
    let again = run(in_dir(dir.path()).args([
        "--servers",
        "7",
        "--format",
        "plain",
        "SHOW SERVERS YIELD *",
    ]));
    assert_eq!(again.1, servers);
    assert!(
        again
            .2
            .contains("already holds a cluster of 4 servers, changed since it was set up"),
        "the operator is told: {}",
        again.2
    );
    assert_eq!(show(dir.path(), "SHOW DATABASES YIELD *"), first);

    // The stock sqlite3 tool reads the file, when it is installed.
    if let Ok(out) = Command::new("sqlite3")
        .arg(dir.path().join("cluster.db"))
        .arg(".tables")
        .output()
    {
        let tables = String::from_utf8_lossy(&out.stdout);
        for t in ["aliases", "allocations", "databases", "servers", "settings"] {
            assert!(tables.contains(t), "{tables}");
        }
    }
}

#[test]
fn a_failing_statement_changes_nothing_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    show(dir.path(), "CREATE DATABASE foo");
    let before = show(dir.path(), "SHOW DATABASES YIELD *");
    // Fails in the allocator, after the name and options were accepted.
    let (code, _, stderr) =
        run(in_dir(dir.path()).arg("CREATE DATABASE bar TOPOLOGY 3 PRIMARIES 2 SECONDARIES"));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("Failed to create the specified database 'bar'"),
        "{stderr}"
    );
    assert_eq!(show(dir.path(), "SHOW DATABASES YIELD *"), before);
}

/// Statements of the crash script before the state-changing ones: three servers with fixed
/// ids, so that every run places copies identically.
const SERVERS: usize = 3;

/// The script of the crash test: three servers join, then CREATE, ALTER and DROP DATABASE
/// in a fixed rhythm, so every prefix leaves a different state.
fn crash_script(n: usize) -> Vec<String> {
    let servers = (0..SERVERS).map(|i| {
        format!(
            "CALL sim.addServer({{serverId: '00000000-0000-4000-8000-00000000000{i}', address: 'localhost:{}'}})",
            7687 + i
        )
    });
    servers
        .chain((0..n).map(|i| match i % 4 {
            0 | 1 => format!("CREATE DATABASE db{i:05} TOPOLOGY 2 PRIMARIES"),
            2 => format!("ALTER DATABASE db{:05} SET ACCESS READ ONLY", i - 2),
            _ => format!("DROP DATABASE db{:05}", i - 2),
        }))
        .collect()
}

/// `SHOW DATABASES` of the state a prefix of the script leaves, from a fresh in-memory run.
fn expected_after(config: &Path, script: &[String], k: usize) -> String {
    let mut input = String::new();
    for s in &script[..k] {
        input.push_str(s);
        input.push_str(";\n");
    }
    input.push_str("SHOW DATABASES YIELD name, access, address, role;\n");
    let (code, stdout, stderr) = run(cysh_bare()
        .args([
            "--ephemeral",
            "--servers",
            "0",
            "--format",
            "plain",
            "--config",
        ])
        .arg(config)
        .write_stdin(input));
    assert_eq!(code, 0, "{stderr}");
    // Only the final SHOW: the servers' CALLs print rows of their own before it.
    let header = "name, access, address, role\n";
    stdout
        .rfind(header)
        .map_or(stdout.clone(), |i| stdout[i..].to_string())
}

#[test]
fn sigkill_at_random_moments_loses_no_acknowledged_statement() {
    let work = tempfile::tempdir().unwrap();
    let config = work.path().join("cysh.conf");
    std::fs::write(&config, "dbms.max_databases=100000\n").unwrap();
    let script = crash_script(2000);
    let script_file = work.path().join("script.cypher");
    std::fs::write(
        &script_file,
        script.iter().map(|s| format!("{s};\n")).collect::<String>(),
    )
    .unwrap();
    // A fixed seed keeps the moments reproducible; each round kills after a different
    // number of acknowledged statements, spread over the whole script.
    let mut seed: u64 = 0x5eed_cafe;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut rounds = 0;
    while rounds < 20 && Instant::now() < deadline {
        rounds += 1;
        let dir = work.path().join(format!("round{rounds}"));
        let target = (next() % 1900) as usize + SERVERS;
        let mut child = Command::new(crate::util::cysh_path())
            .args(["--servers", "0", "--format", "verbose", "--data-dir"])
            .arg(&dir)
            .arg("--config")
            .arg(&config)
            .arg("-f")
            .arg(&script_file)
            .env("XDG_DATA_HOME", crate::util::data_home())
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Every footer line is one statement whose result was printed.
        let mut acknowledged = 0;
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        while acknowledged < target {
            match lines.next() {
                Some(Ok(line)) if line.starts_with("ready to start consuming query") => {
                    acknowledged += 1
                }
                Some(Ok(_)) => {}
                _ => break,
            }
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();

        let integrity = rusqlite_check(&dir.join("cluster.db"));
        assert_eq!(integrity, "ok", "round {rounds}");
        let state = {
            let (code, stdout, stderr) = run(in_dir(&dir).args([
                "--format",
                "plain",
                "SHOW DATABASES YIELD name, access, address, role",
            ]));
            assert_eq!(code, 0, "round {rounds}: {stderr}");
            stdout
        };
        // The state must be exactly what some prefix of the script leaves, and that
        // prefix must include every acknowledged statement. The script is regular, so each
        // prefix's (name, access) set is known without running it; the matching prefix is
        // then replayed to compare every column (placement included).
        let observed: std::collections::BTreeSet<(String, String)> = state
            .lines()
            .filter(|l| l.starts_with("\"db"))
            .map(|l| {
                let mut cells = l.split(", ");
                (
                    cells.next().unwrap_or("").to_string(),
                    cells.next().unwrap_or("").to_string(),
                )
            })
            .collect();
        let matching: Vec<usize> = (acknowledged..=script.len())
            .filter(|&k| names_after(k) == observed)
            .collect();
        assert!(
            !matching.is_empty(),
            "round {rounds}: after {acknowledged} acknowledged statements the databases match no prefix"
        );
        assert!(
            matching
                .iter()
                .any(|&k| expected_after(&config, &script, k) == state),
            "round {rounds}: state after {acknowledged} acknowledged statements is no prefix's state"
        );
    }
    assert!(rounds >= 20, "only {rounds} rounds in the time bound");
}

/// The (quoted name, quoted access) pairs of the user databases after the first `k`
/// statements of [`crash_script`].
fn names_after(k: usize) -> std::collections::BTreeSet<(String, String)> {
    let mut live = std::collections::BTreeMap::new();
    for i in 0..k.saturating_sub(SERVERS) {
        match i % 4 {
            0 | 1 => {
                live.insert(i, "read-write");
            }
            2 => {
                live.insert(i - 2, "read-only");
            }
            _ => {
                live.remove(&(i - 2));
            }
        }
    }
    live.into_iter()
        .map(|(i, access)| (format!("\"db{i:05}\""), format!("\"{access}\"")))
        .collect()
}

/// `PRAGMA integrity_check` of a database file, through the same SQLite cysh uses.
fn rusqlite_check(file: &Path) -> String {
    let conn =
        rusqlite::Connection::open_with_flags(file, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_second_process_is_refused_and_told_who_holds_the_directory() {
    let dir = tempfile::tempdir().unwrap();
    show(dir.path(), "CREATE DATABASE foo");
    let mut first = Command::new(crate::util::cysh_path())
        .args(["--non-interactive", "--format", "plain", "--data-dir"])
        .arg(dir.path())
        .env("XDG_DATA_HOME", crate::util::data_home())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // The first process takes the directory at start and holds it while it reads its
    // input (it runs once stdin closes); its pid in the lock file says it has the lock.
    let mut stdin = first.stdin.take().unwrap();
    writeln!(stdin, "CREATE DATABASE bar;").unwrap();
    stdin.flush().unwrap();
    let lock = dir.path().join("cysh.lock");
    let started = Instant::now();
    while std::fs::read_to_string(&lock).unwrap_or_default().trim() != first.id().to_string() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the first process never took the lock"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let (code, _, stderr) = run(in_dir(dir.path()).arg("CREATE DATABASE baz"));
    assert_eq!(code, 1);
    assert!(
        stderr.contains(&dir.path().display().to_string()),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("(pid {})", first.id())),
        "{stderr}"
    );
    drop(stdin);
    assert!(first.wait().unwrap().success());
    let names = show(dir.path(), "SHOW DATABASES YIELD name");
    assert!(
        names.contains("\"bar\"") && !names.contains("\"baz\""),
        "{names}"
    );
}

#[test]
fn damaged_or_foreign_files_are_refused_and_left_untouched() {
    let good = tempfile::tempdir().unwrap();
    show(good.path(), "CREATE DATABASE foo");
    let bytes = std::fs::read(good.path().join("cluster.db")).unwrap();
    let garbage: Vec<u8> = (0..8192u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let foreign = {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("other.db");
        let c = rusqlite::Connection::open(&f).unwrap();
        c.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
            .unwrap();
        drop(c);
        std::fs::read(f).unwrap()
    };
    for (what, content, needle) in [
        (
            "truncated",
            bytes[..bytes.len() / 3].to_vec(),
            "is not a readable cysh data file",
        ),
        ("garbage", garbage, "is not a readable cysh data file"),
        ("foreign", foreign, "not one cysh wrote"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("cluster.db");
        std::fs::write(&file, &content).unwrap();
        let (code, stdout, stderr) = run(in_dir(dir.path()).arg("SHOW SERVERS"));
        assert_eq!(code, 1, "{what}");
        assert_eq!(stdout, "", "{what}");
        assert!(
            stderr.contains(needle) && stderr.contains(&file.display().to_string()),
            "{what}: {stderr}"
        );
        assert_eq!(
            std::fs::read(&file).unwrap(),
            content,
            "{what}: the file was changed"
        );
    }
}

/// A store damaged after a clean close still has a current snapshot, so a read-only
/// process is answered from it without reading the damaged pages; the first statement
/// that would write runs `PRAGMA quick_check` first, is refused with the same message as
/// a damaged file at open, and the file is left byte for byte as it was. Without a
/// current snapshot the damage is found at open, as before (the test above).
#[test]
fn a_damaged_store_is_refused_before_its_first_write_even_with_a_current_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    show(dir.path(), "CREATE DATABASE foo");
    let file = dir.path().join("cluster.db");
    // The index of allocations by server: read by no open, walked by quick_check.
    let (page_size, root): (i64, i64) = {
        let conn = rusqlite::Connection::open(&file).unwrap();
        let page_size = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap();
        let root = conn
            .query_row(
                "SELECT rootpage FROM sqlite_master WHERE name = 'allocations_by_server'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        (page_size, root)
    };
    assert!(
        !dir.path().join("cluster.db-wal").exists(),
        "checkpointed at close"
    );
    let mut bytes = std::fs::read(&file).unwrap();
    let page = usize::try_from((root - 1) * page_size).unwrap();
    // Not a b-tree page type any more.
    bytes[page] = 0x55;
    std::fs::write(&file, &bytes).unwrap();

    let listed = show(dir.path(), "SHOW DATABASES YIELD name");
    assert!(listed.contains("\"foo\""), "{listed}");
    let (code, _, stderr) = run(in_dir(dir.path()).arg("CREATE DATABASE bar"));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("is not a readable cysh data file")
            && stderr.contains(&file.display().to_string()),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&file).unwrap(), bytes, "the file was changed");
    // Without the snapshot (as after a crash), the damage is found at open.
    let other = tempfile::tempdir().unwrap();
    let no_snapshot = other.path();
    let copy = no_snapshot.join("cluster.db");
    std::fs::copy(&file, &copy).unwrap();
    {
        let conn = rusqlite::Connection::open(&copy).unwrap();
        conn.execute("UPDATE snapshot SET generation = generation - 1", [])
            .unwrap();
    }
    let before = std::fs::read(&copy).unwrap();
    let (code, stdout, stderr) = run(in_dir(no_snapshot).arg("SHOW DATABASES"));
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(
        stderr.contains("is not a readable cysh data file"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        before,
        "the copy was changed"
    );
}

#[test]
fn explicit_transactions_apply_together_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let script = ":begin\nCREATE DATABASE alpha;\nCREATE DATABASE bravo;\n:commit\n\
                  :begin\nCREATE DATABASE charlie;\n:rollback\n\
                  :begin\nCREATE DATABASE delta;\nCREATE DATABASE alpha;\nCREATE DATABASE echo;\n:commit\n\
                  :begin\nCREATE DATABASE foxtrot WAIT;\n:rollback\n";
    let (code, _, stderr) = run(in_dir(dir.path())
        .args(["--format", "plain", "--fail-at-end"])
        .write_stdin(script));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("An error occurred while in an open transaction. The transaction will be rolled back and terminated."),
        "{stderr}"
    );
    assert!(
        stderr.contains("cannot run inside an explicit transaction"),
        "{stderr}"
    );
    let names = show(dir.path(), "SHOW DATABASES YIELD name");
    // The error in the third transaction rolled back `delta`; `echo` then ran on its own.
    for (db, present) in [
        ("alpha", true),
        ("bravo", true),
        ("charlie", false),
        ("delta", false),
        ("echo", true),
        ("foxtrot", false),
    ] {
        assert_eq!(
            names.contains(&format!("\"{db}\"")),
            present,
            "{db}: {names}"
        );
    }
}

/// A store whose write-ahead log a killed server left behind, with one byte flipped in
/// frame `frame` (1-based): returns the directory's parent (kept alive) and the directory.
fn damaged_log(frame: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("data");
    let served = crate::hostile::Served::start(&["--data-dir", &dir.display().to_string()]);
    for name in ["alpha", "bravo", "charlie"] {
        let (status, body) = served.post(&format!("CREATE DATABASE {name}"));
        assert_eq!(status, 202, "{body}");
    }
    drop(served); // SIGKILL: the log stays, unmerged
    let log = dir.join("cluster.db-wal");
    let mut bytes = std::fs::read(&log).unwrap();
    let page = u32::from_be_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize;
    let frames = (bytes.len() - 32) / (24 + page);
    assert!(frames > frame, "{frames} frames");
    bytes[32 + (frame - 1) * (24 + page) + 24 + 17] ^= 0x20;
    std::fs::write(&log, &bytes).unwrap();
    (parent, dir)
}

#[test]
fn a_damaged_log_is_reported_copied_and_kept_until_the_operator_says_recover() {
    for frame in [1, 3] {
        let (_parent, dir) = damaged_log(frame);
        let log = dir.join("cluster.db-wal");
        let before = std::fs::read(&log).unwrap();
        let (code, out, err) = run(in_dir(&dir).arg("SHOW DATABASES"));
        assert_eq!(code, 1, "frame {frame}: {out}{err}");
        assert!(
            err.contains("is damaged") && err.contains(&format!("frame {frame} ")),
            "frame {frame}: {err}"
        );
        assert!(err.contains("--recover"), "{err}");
        assert_eq!(std::fs::read(&log).unwrap(), before, "the log was changed");
        let copies: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with("damaged-"))
            .collect();
        assert_eq!(copies.len(), 1);
        assert_eq!(
            std::fs::read(copies[0].path().join("cluster.db-wal")).unwrap(),
            before
        );
        // Refused again, the same way, until the operator chooses.
        let (code, _, _) = run(in_dir(&dir).arg("SHOW DATABASES"));
        assert_eq!(code, 1);
        let (code, _, err) = run(in_dir(&dir).args(["--recover", "SHOW DATABASES"]));
        assert_eq!(code, 0, "{err}");
        assert!(
            err.contains("continuing from the last intact commit"),
            "{err}"
        );
    }
}
