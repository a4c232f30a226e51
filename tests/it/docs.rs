//! The documentation runs as written: every `cysh` command in README.md's `sh` blocks and
//! in the man page's EXAMPLES, on a fresh machine (an empty data home, the repository as
//! the working directory), and the tour's transcript gives its documented output. A
//! command that needs a live server or a file of the reader's (`-a`, `cysh twin`,
//! `rehearsal.cypher`) cannot run here: its flags are still checked by clap (`ARGS --help`
//! exits 0 only when every flag and value before it parses), so docs cannot drift. A
//! shipped example script (`-f examples/NAME.cypher`) is held to its NAME.out and NAME.err.

use crate::util::{against_expected, cysh_bare, normalise_timings, run};
use std::path::Path;

/// One command line of the docs: its words, its standard input, and the error it is
/// documented to print (a `# Neo.…` comment line after it).
#[derive(Debug)]
struct DocCommand {
    words: Vec<String>,
    stdin: Option<String>,
    error: Option<String>,
}

/// Splits a shell line into words (single and double quotes, backslash escapes), up to an
/// unquoted `#` comment; `|` and `&&` end the command (what follows is another tool).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    word.push(q);
                }
            }
            '"' => {
                in_word = true;
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' => word.extend(chars.next()),
                        q => word.push(q),
                    }
                }
            }
            '\\' => {
                in_word = true;
                word.extend(chars.next());
            }
            '#' if !in_word => break,
            '|' | '&' if !in_word => break,
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        out.push(word);
    }
    out
}

/// The `cysh` commands of a block of shell lines, in order: continuation lines joined, a
/// leading `echo '…' |` and a `<<'EOF'` here-document taken as standard input.
fn commands(block: &str) -> Vec<DocCommand> {
    let mut lines: Vec<String> = Vec::new();
    let mut raw = block.lines().peekable();
    while let Some(line) = raw.next() {
        let mut line = line.to_string();
        while line.ends_with('\\') {
            line.pop();
            line.push(' ');
            line.push_str(raw.next().unwrap_or(""));
        }
        lines.push(line);
    }
    let mut out: Vec<DocCommand> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        i += 1;
        if let Some(error) = line.strip_prefix("# Neo.") {
            if let Some(last) = out.last_mut() {
                last.error = Some(format!("Neo.{}", error.trim_end_matches('…').trim()));
            }
            continue;
        }
        let (stdin, command) = match line.split_once("| cysh") {
            Some((echo, rest)) if echo.trim_start().starts_with("echo ") => {
                let text = words(echo.trim_start().trim_start_matches("echo "));
                (Some(text.join(" ") + "\n"), format!("cysh{rest}"))
            }
            _ => (None, line.to_string()),
        };
        if !command.starts_with("cysh") {
            continue;
        }
        let mut w = words(&command);
        let mut stdin = stdin;
        if let Some(pos) = w.iter().position(|x| x.starts_with("<<")) {
            let end = w[pos].trim_start_matches("<<").to_string();
            w.truncate(pos);
            let mut body = String::new();
            while i < lines.len() && lines[i].trim() != end {
                body.push_str(&lines[i]);
                body.push('\n');
                i += 1;
            }
            i += 1;
            stdin = Some(body);
        }
        out.push(DocCommand {
            words: w,
            stdin,
            error: None,
        });
    }
    out
}

/// What a command needs that a fresh machine does not have, if anything.
fn needs(words: &[String]) -> Option<&'static str> {
    let reader_files = [
        "rehearsal.cypher",
        "migration.cypher",
        "migrate.cypher",
        "./prod-twin",
    ];
    if words.iter().any(|w| w == "-a") {
        Some("a live server")
    } else if words.get(1).is_some_and(|w| w == "twin" || w == "serve") {
        Some("a live cluster or a long-running server")
    } else if words.iter().any(|w| reader_files.contains(&w.as_str())) {
        Some("a file of the reader's")
    } else if words.len() == 1 {
        Some("a terminal")
    } else {
        None
    }
}

/// Runs every command of `blocks` (each block in its own fresh data home, its commands in
/// order) and returns the failures.
fn run_blocks(source: &str, blocks: &[String]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut failures = Vec::new();
    let mut ran = 0;
    for block in blocks {
        let home = tempfile::tempdir().unwrap();
        for doc in commands(block) {
            let shown = doc.words.join(" ");
            // A data directory named in the docs is made in the fresh home, not the
            // repository.
            let mut args = doc.words[1..].to_vec();
            if let Some(at) = args.iter().position(|w| w == "--data-dir")
                && let Some(dir) = args.get_mut(at + 1)
                && !dir.starts_with("./prod")
            {
                *dir = home.path().join(&*dir).display().to_string();
            }
            let args = &args;
            let mut cmd = cysh_bare();
            cmd.current_dir(root).env("XDG_DATA_HOME", home.path());
            if let Some(why) = needs(&doc.words) {
                // Still check that every flag and value parses.
                let (code, _, stderr) = run(cmd.args(args).arg("--help"));
                if code != 0 {
                    failures.push(format!("{source}: `{shown}` (needs {why}): {stderr}"));
                }
                continue;
            }
            cmd.args(args);
            cmd.write_stdin(doc.stdin.clone().unwrap_or_default());
            // A shipped example script is documented by its NAME.out and NAME.err.
            let script = args
                .iter()
                .position(|w| w == "-f")
                .and_then(|at| args.get(at + 1))
                .filter(|f| f.starts_with("examples/"));
            if let Some(script) = script {
                ran += 1;
                // The reader is on a terminal, where `--format auto` is the table.
                if !args.iter().any(|w| w == "--format") {
                    cmd.args(["--format", "verbose"]);
                }
                failures.extend(against_expected(&mut cmd, &root.join(script), &shown));
                continue;
            }
            let (code, _, stderr) = run(&mut cmd);
            ran += 1;
            match &doc.error {
                Some(error) if code != 1 || !stderr.starts_with(error.as_str()) => failures.push(
                    format!("{source}: `{shown}` should fail with {error}, got {code}: {stderr}"),
                ),
                None if code != 0 => {
                    failures.push(format!("{source}: `{shown}` exits {code}: {stderr}"))
                }
                _ => {}
            }
        }
    }
    assert!(ran > 0, "{source}: no command ran");
    failures
}

/// The fenced blocks of `markdown` in `language`.
fn fenced(markdown: &str, language: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match &mut current {
            None if line.trim() == format!("```{language}") => current = Some(String::new()),
            Some(_) if line.trim() == "```" => out.extend(current.take()),
            Some(text) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    out
}

#[test]
fn readme_commands_run_as_written() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let failures = run_blocks("README.md", &fenced(&readme, "sh"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn man_page_examples_run_as_written() {
    let page =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("man/cysh.1")).unwrap();
    let examples = page.split(".SH EXAMPLES").nth(1).unwrap();
    let blocks: Vec<String> = examples
        .lines()
        .filter_map(|l| l.strip_prefix("\\fB"))
        .filter_map(|l| l.strip_suffix("\\fR"))
        .map(|l| l.replace("\\-", "-") + "\n")
        .collect();
    assert!(blocks.len() >= 8, "{blocks:?}");
    let failures = run_blocks("man/cysh.1", &blocks);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_tour_prints_what_the_readme_shows() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let tour = fenced(&readme, "text")
        .into_iter()
        .find(|b| b.starts_with("$ cargo run --release"))
        .expect("the tour's transcript");
    // Statements typed at the prompt, and what the shell printed for them.
    let mut statements = String::new();
    let mut printed = String::new();
    for line in tour.lines() {
        match line.strip_prefix("neo4j@system> ") {
            Some(":exit") => break,
            Some(statement) => {
                statements.push_str(statement);
                statements.push('\n');
            }
            None if !statements.is_empty() => {
                printed.push_str(line);
                printed.push('\n');
            }
            None => {}
        }
    }
    let home = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run(cysh_bare()
        .env("XDG_DATA_HOME", home.path())
        .args(["--format", "verbose"])
        .write_stdin(statements));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(normalise_timings(&stdout), normalise_timings(&printed));
}

#[test]
fn shell_words_and_commands_are_read_as_a_shell_would() {
    assert_eq!(
        words(r#"cysh -P '{a: "x"}' "b c" d\ e # comment | jq"#),
        ["cysh", "-P", r#"{a: "x"}"#, "b c", "d e"]
    );
    let parsed = commands("echo 'SHOW SERVERS;' | cysh --format json | jq -r .name\n");
    assert_eq!(parsed[0].words, ["cysh", "--format", "json"]);
    assert_eq!(parsed[0].stdin.as_deref(), Some("SHOW SERVERS;\n"));
    let parsed =
        commands("cysh --ephemeral <<'EOF'\nSHOW SERVERS;\nEOF\ncysh -u x 'y'\n# Neo.E: m\n");
    assert_eq!(parsed[0].stdin.as_deref(), Some("SHOW SERVERS;\n"));
    assert_eq!(parsed[1].error.as_deref(), Some("Neo.E: m"));
}
