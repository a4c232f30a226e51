//! No secret at rest, in the history or in a message: the data directory's modes, alias
//! passwords sealed in `cluster.db`, password literals masked in echoed statements (shell,
//! `cysh check`, `cysh serve`) and kept out of the history file typed at a real prompt.
//!
//! Each test plants a recognisable password and looks for it everywhere it must not be.

use crate::util::{cysh, cysh_bare, cysh_path, run};

const PLANTED: &str = "planted-Secret-42";

/// Every byte of every file under `dir`, searched for `needle`.
fn files_holding(dir: &std::path::Path, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                found.push(path.display().to_string());
            }
        }
    }
    found
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn alias_passwords_are_sealed_and_the_data_directory_is_private() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("data");
    let dir_arg = dir.display().to_string();
    let create = format!(
        "CREATE ALIAS remote FOR DATABASE neo4j AT 'neo4j+s://example.com:7687' \
         USER bob PASSWORD '{PLANTED}'; SHOW ALIASES FOR DATABASES YIELD *;"
    );
    let (code, out, err) = run(cysh_bare()
        .args(["--data-dir", &dir_arg, "--format", "plain"])
        .write_stdin(create));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("bob"), "SHOW ALIASES shows the user: {out}");
    assert!(
        !out.contains(PLANTED),
        "SHOW ALIASES shows the password: {out}"
    );
    assert!(
        files_holding(&dir, PLANTED).is_empty(),
        "{:?}",
        files_holding(&dir, PLANTED)
    );
    #[cfg(unix)]
    {
        assert_eq!(mode(&dir), 0o700, "the data directory");
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            assert_eq!(mode(&path), 0o600, "{}", path.display());
        }
        assert!(dir.join("secret.key").exists());
    }
    // Reopened, the alias still works: the key opens what it sealed.
    let (code, out, err) = run(cysh_bare()
        .args(["--data-dir", &dir_arg, "--format", "plain"])
        .arg("SHOW ALIASES FOR DATABASES YIELD name, user"));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"remote\", \"bob\""), "{out}");
    // Without the key the store refuses to load, and says why.
    std::fs::remove_file(dir.join("secret.key")).unwrap();
    let (code, _, err) = run(cysh_bare()
        .args(["--data-dir", &dir_arg])
        .arg("SHOW ALIASES"));
    assert_eq!(code, 1);
    assert!(
        err.contains("key file") && err.contains("is missing"),
        "{err}"
    );
    assert!(!dir.join("secret.key").exists(), "no new key was made");
}

#[test]
fn password_literals_are_masked_in_echoed_statements() {
    let bad = format!("CREATE USER bob SET PASSWORD '{PLANTED}' CHANGE NOT REQUIRE;");
    // The shell.
    let (code, _, err) = run(cysh().write_stdin(bad.clone()));
    assert_eq!(code, 1);
    assert!(err.contains("'******'"), "{err}");
    assert!(!err.contains(PLANTED), "{err}");
    // The caret still points at the error in the masked line.
    let lines: Vec<&str> = err.lines().collect();
    let caret = lines.iter().position(|l| l.trim() == "^").unwrap();
    let col = lines[caret].find('^').unwrap();
    assert_eq!(&lines[caret - 1][col..col + 7], "REQUIRE", "{err}");
    // cysh check.
    let (code, out, err) = run(cysh_bare().arg("check").write_stdin(bad.clone()));
    assert_eq!(code, 1);
    assert!(
        !out.contains(PLANTED) && !err.contains(PLANTED),
        "{out}{err}"
    );
    assert!(
        out.contains("'******'") || err.contains("'******'"),
        "{out}{err}"
    );
    // cysh serve's error body.
    let served = crate::hostile::Served::start(&[]);
    let (status, body) = served.post(bad.trim_end_matches(';'));
    assert_eq!(status, 400);
    assert!(body.contains("'******'"), "{body}");
    assert!(!body.contains(PLANTED), "{body}");
}

#[test]
fn statements_with_passwords_stay_out_of_the_history() {
    use rexpect::session::spawn_command;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("history");
    let mut cmd = std::process::Command::new(cysh_path());
    cmd.args(["--ephemeral", "--history", &file.display().to_string()])
        .env("XDG_DATA_HOME", crate::util::data_home())
        .env("NO_COLOR", "1")
        .env("TERM", "dumb");
    let mut p = spawn_command(cmd, Some(20_000)).unwrap();
    p.exp_string("neo4j@system> ").unwrap();
    p.send_line(&format!(
        "CREATE USER bob SET PASSWORD '{PLANTED}' CHANGE NOT REQUIRED;"
    ))
    .unwrap();
    p.exp_string("neo4j@system> ").unwrap();
    p.send_line(&format!(":param dbPassword => '{PLANTED}'"))
        .unwrap();
    p.exp_string("neo4j@system> ").unwrap();
    p.send_line("SHOW USERS YIELD user;").unwrap();
    p.exp_string("bob").unwrap();
    p.exp_string("neo4j@system> ").unwrap();
    p.send_line(":exit").unwrap();
    p.exp_eof().unwrap();
    let history = std::fs::read_to_string(&file).unwrap();
    assert!(history.contains("SHOW USERS"), "{history}");
    assert!(!history.contains(PLANTED), "{history}");
}

#[test]
fn weak_initial_credentials_are_refused_and_a_changed_one_is_reported() {
    for (auth, says) in [
        (
            "neo4j/short",
            "The minimum password length is 8 characters.",
        ),
        ("neo4j/neo4j", "It cannot be 'neo4j', which is the default."),
    ] {
        let (code, _, err) = run(cysh_bare()
            .args(["serve", "--ephemeral", "--listen", "127.0.0.1:0"])
            .env("NEO4J_AUTH", auth));
        assert_eq!(code, 1, "{auth}: {err}");
        assert!(err.contains(says), "{auth}: {err}");
    }
    // A restart whose NEO4J_AUTH is not the stored password says so, and keeps it.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data").display().to_string();
    drop(crate::hostile::Served::start(&["--data-dir", &data]));
    let mut child = std::process::Command::new(cysh_path())
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir", &data])
        .env("NEO4J_AUTH", "neo4j/another-password")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut err, &mut line).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        line.contains("NEO4J_AUTH does not match the stored password"),
        "{line}"
    );
}
