//! Input that arrives slowly or is not all UTF-8: statements from a pipe or a FIFO run as
//! each `;` arrives, not at the end of the input, and an invalid byte fails only the
//! statement it is in, with its position.

use crate::util::{cysh, cysh_path, run};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Reads `out` line by line on a thread, so a test can wait for one with a deadline.
fn lines_of(out: impl std::io::Read + Send + 'static) -> mpsc::Receiver<String> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                return;
            }
        }
    });
    receive
}

/// Waits (bounded) for a line equal to `want`; the input is still open meanwhile.
fn expect_line(lines: &mpsc::Receiver<String>, want: &str) {
    loop {
        match lines.recv_timeout(Duration::from_secs(20)) {
            Ok(line) if line == want => return,
            Ok(_) => {}
            Err(e) => panic!("no line {want:?} while the input stayed open: {e}"),
        }
    }
}

#[test]
fn statements_from_a_pipe_run_as_each_semicolon_arrives() {
    let mut child = Command::new(cysh_path())
        .args(["--ephemeral", "--format", "plain"])
        .env("XDG_DATA_HOME", crate::util::data_home())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let lines = lines_of(child.stdout.take().unwrap());
    stdin.write_all(b"RETURN 'first'\n").unwrap();
    stdin.write_all(b"AS a;\n").unwrap();
    stdin.flush().unwrap();
    expect_line(&lines, "\"first\"");
    stdin
        .write_all(b":param x => 'second'\nRETURN $x AS b;\n")
        .unwrap();
    stdin.flush().unwrap();
    expect_line(&lines, "\"second\"");
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

#[test]
fn statements_from_a_fifo_given_to_f_run_as_they_arrive() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("statements");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
    let mut child = Command::new(cysh_path())
        .args(["--ephemeral", "--format", "plain", "-f"])
        .arg(&fifo)
        .env("XDG_DATA_HOME", crate::util::data_home())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lines = lines_of(child.stdout.take().unwrap());
    let mut writer = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    writer.write_all(b"RETURN 'early' AS a;\n").unwrap();
    writer.flush().unwrap();
    expect_line(&lines, "\"early\"");
    writer.write_all(b"RETURN 'late' AS a;\n").unwrap();
    drop(writer);
    expect_line(&lines, "\"late\"");
    assert!(child.wait().unwrap().success());
}

#[test]
fn an_invalid_utf8_byte_fails_only_its_statement() {
    let input: &[u8] = b"RETURN 'one' AS a;\nRETURN '\xff' AS b;\nRETURN 'three' AS c;\n";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mixed.cypher");
    std::fs::write(&file, input).unwrap();
    let from_stdin = run(cysh()
        .args(["--format", "plain", "--fail-at-end"])
        .write_stdin(input));
    let from_file = run(cysh()
        .args(["--format", "plain", "--fail-at-end", "-f"])
        .arg(&file));
    for (what, (code, out, err)) in [("stdin", from_stdin), ("-f", from_file)] {
        assert_eq!(code, 1, "{what}: {err}");
        assert!(
            out.contains("\"one\"") && out.contains("\"three\""),
            "{what}: {out}"
        );
        assert!(
            err.contains("The input is not valid UTF-8 (line 2, column 9)"),
            "{what}: {err}"
        );
    }
}
