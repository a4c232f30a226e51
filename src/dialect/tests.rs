//! Data-driven parser tests: the case files under `tests/data/parse/`.
//!
//! - `*accept*.txt`: statements separated by `;` (the shell's splitter cuts them); each
//!   must parse into an admin statement (not general Cypher).
//! - `cypher.txt`: statements that must come back as general Cypher.
//! - `*reject*.txt`: blocks of a statement (one or more lines, optional final `;`) and a
//!   line `=> message`, the full message with its position; blocks are separated by blank
//!   lines and `#` lines are comments. `CYSH_BLESS=1 cargo test` rewrites the expected
//!   lines from the parser's output (review the diff before committing).
//!
//! Adding a case is adding a line.

use super::ast::Statement;
use super::parse;
use super::split::{PieceKind, split};
use std::path::{Path, PathBuf};

fn data_files(pattern: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/parse");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.contains(pattern) && n.ends_with(".txt"))
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no {pattern} files");
    files
}

fn statements(path: &Path) -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    split(&text)
        .into_iter()
        .filter(|p| p.kind == PieceKind::Cypher)
        .map(|p| (p.position.line, p.text))
        .collect()
}

#[test]
fn accepted_statements_parse() {
    let mut failures = Vec::new();
    let mut count = 0;
    for file in data_files("accept") {
        for (line, stmt) in statements(&file) {
            count += 1;
            match parse(&stmt) {
                Ok(Statement::Cypher) => failures.push(format!(
                    "{}:{line}: parsed as general Cypher: {stmt}",
                    file.display()
                )),
                Ok(_) => {}
                Err(e) => failures.push(format!(
                    "{}:{line}: {}\n{}",
                    file.display(),
                    stmt,
                    e.render(&stmt)
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(count > 150, "only {count} accepted cases");
}

/// What each accepted case parses to, compared with the snapshot in
/// `tests/data/parse/ast-snapshot.txt`: a change in the tree (a field read from the wrong
/// token, a span moved) fails here even though the statement still parses.
/// `CYSH_BLESS=1 cargo test` rewrites the snapshot (review the diff before committing).
#[test]
fn accepted_statements_parse_to_their_snapshot() {
    let mut got = String::from(
        "# The parse tree of every accepted case of tests/data/parse/*accept*.txt (Debug form).\n\
         # Written by CYSH_BLESS=1 cargo test; read by dialect::tests.\n",
    );
    for file in data_files("accept") {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for (line, stmt) in statements(&file) {
            let tree = match parse(&stmt) {
                Ok(t) => format!("{t:?}"),
                Err(e) => format!("error: {}", e.message),
            };
            got.push_str(&format!(
                "{name}:{line}: {}\n=> {tree}\n",
                stmt.replace('\n', "\\n")
            ));
        }
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/parse/ast-snapshot.txt");
    if std::env::var_os("CYSH_BLESS").is_some() {
        std::fs::write(&path, &got).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (CYSH_BLESS=1 writes it)", path.display()));
    if want != got {
        let first = want
            .lines()
            .zip(got.lines())
            .find(|(a, b)| a != b)
            .map(|(a, b)| format!("snapshot: {a}\nparsed:   {b}"))
            .unwrap_or_else(|| "the number of cases changed".to_string());
        panic!("parse trees differ from {}:\n{first}", path.display());
    }
}

#[test]
fn general_cypher_parses_as_general_cypher() {
    for file in data_files("cypher") {
        for (line, stmt) in statements(&file) {
            match parse(&stmt) {
                Ok(s) => assert!(
                    s.is_general_cypher(),
                    "{}:{line}: {stmt} parsed as {}",
                    file.display(),
                    s.kind()
                ),
                Err(e) => panic!("{}:{line}: {stmt}\n{}", file.display(), e.render(&stmt)),
            }
        }
    }
}

/// One reject case: the statement and the expected full message.
struct Case {
    statement: String,
    expected: String,
    expected_line: usize,
}

fn reject_cases(text: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    let mut stmt: Vec<&str> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if let Some(expected) = line.strip_prefix("=> ") {
            let joined = stmt.join("\n");
            let statement = joined.trim_end().trim_end_matches(';').to_string();
            cases.push(Case {
                statement,
                expected: expected.to_string(),
                expected_line: n,
            });
            stmt.clear();
        } else if line.trim().is_empty() || (stmt.is_empty() && line.starts_with('#')) {
            stmt.clear();
        } else {
            stmt.push(line);
        }
    }
    cases
}

#[test]
fn rejected_statements_fail_with_neo4j_messages() {
    let bless = std::env::var_os("CYSH_BLESS").is_some();
    let mut failures = Vec::new();
    for file in data_files("reject") {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        for case in reject_cases(&text) {
            let actual = match parse(&case.statement) {
                Ok(s) => format!("ACCEPTED as {}", s.kind()),
                Err(e) => e.full_message(),
            };
            if actual != case.expected {
                failures.push(format!(
                    "{}:{}: {}\n  expected: {}\n  actual:   {actual}",
                    file.display(),
                    case.expected_line + 1,
                    case.statement,
                    case.expected
                ));
                if let Some(l) = lines.get_mut(case.expected_line) {
                    *l = format!("=> {actual}");
                }
            }
        }
        if bless {
            std::fs::write(&file, lines.join("\n") + "\n").unwrap();
        }
    }
    assert!(failures.is_empty() || bless, "{}", failures.join("\n"));
}

#[test]
fn there_are_enough_cases() {
    let accept: usize = data_files("accept")
        .iter()
        .map(|f| statements(f).len())
        .sum();
    let reject: usize = data_files("reject")
        .iter()
        .map(|f| reject_cases(&std::fs::read_to_string(f).unwrap()).len())
        .sum();
    assert!(
        accept + reject >= 300,
        "{accept} accepted + {reject} rejected"
    );
}

mod never_panics {
    use super::super::{completion_context, parse, parse_expression, parse_param_assignment};
    use proptest::prelude::*;

    /// Fragments of the grammar, so that random input gets deep into it.
    const TOKENS: &[&str] = &[
        "CREATE",
        "DATABASE",
        "foo",
        "TOPOLOGY",
        "1",
        "PRIMARY",
        "SECONDARIES",
        "OPTIONS",
        "{",
        "}",
        "a",
        ":",
        ",",
        "[",
        "]",
        "(",
        ")",
        "'s'",
        "\"",
        "'",
        "`",
        "$p",
        "WAIT",
        "NOWAIT",
        "ALTER",
        "SET",
        "ACCESS",
        "READ",
        "ONLY",
        "SHOW",
        "DATABASES",
        "YIELD",
        "*",
        "WHERE",
        "RETURN",
        "count",
        "DISTINCT",
        "NOT",
        "AND",
        "=",
        "<>",
        "-",
        "+",
        "CALL",
        "dbms.x",
        ".",
        "GRANT",
        "ON",
        "DBMS",
        "TO",
        "/*",
        "*/",
        "//",
        "\n",
        " ",
        "IS",
        "NULL",
        "IN",
        "“",
        "é",
        "0x1F",
        "1.5e3",
        "\\",
        "DRYRUN",
        "DEALLOCATE",
        "FROM",
        "SERVERS",
    ];

    fn soup() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(TOKENS), 0..40).prop_map(|t| t.join(" "))
    }

    proptest! {
        #[test]
        fn arbitrary_text(s in "\\PC{0,200}") {
            let _ = parse(&s);
            let _ = parse_expression(&s);
            let _ = parse_param_assignment(&s);
            let _ = completion_context(&s);
        }

        #[test]
        fn grammar_soup(s in soup()) {
            if let Err(e) = parse(&s) {
                // Every error renders, and its position lies inside the statement.
                let _ = e.render(&s);
                if let Some(p) = e.position {
                    prop_assert!(p.offset <= s.chars().count());
                }
            }
            let _ = completion_context(&s);
        }
    }

    /// Statements of the accept corpus, for properties over real statements.
    fn accepted() -> Vec<String> {
        super::data_files("accept")
            .iter()
            .flat_map(|f| super::statements(f))
            .map(|(_, s)| s)
            // A line comment at a statement's end would swallow the `;` after it.
            .filter(|s| !s.contains("//"))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Joining statements with `;` and splitting the script gives them back, each at
        /// its offset; and a statement accepted alone parses to the same tree in a script.
        #[test]
        fn split_after_join_gives_the_statements_back(
            picks in proptest::collection::vec(any::<proptest::sample::Index>(), 1..12),
            seps in proptest::collection::vec(proptest::sample::select(&[";", ";\n", " ;\n\n", ";// c\n", "; /* x; */ "][..]), 12),
        ) {
            let corpus = accepted();
            let chosen: Vec<&String> = picks.iter().map(|i| &corpus[i.index(corpus.len())]).collect();
            let mut script = String::new();
            for (s, sep) in chosen.iter().zip(seps.iter()) {
                script.push_str(s);
                script.push_str(sep);
            }
            let pieces = crate::dialect::split::split(&script);
            prop_assert_eq!(pieces.len(), chosen.len());
            for (piece, s) in pieces.iter().zip(&chosen) {
                prop_assert_eq!(&piece.text, *s);
                prop_assert_eq!(&script[piece.offset..piece.offset + piece.text.len()], s.as_str());
                prop_assert!(piece.complete);
                prop_assert_eq!(parse(&piece.text), parse(s));
            }
        }

        /// Every piece of any input is the input's own text at its offset, in order.
        #[test]
        fn pieces_are_slices_of_the_input(s in soup()) {
            let mut last = 0;
            for piece in crate::dialect::split::split(&s) {
                prop_assert!(piece.offset >= last);
                prop_assert_eq!(&s[piece.offset..piece.offset + piece.text.len()], piece.text.as_str());
                last = piece.offset + piece.text.len();
            }
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        for open in ["(", "[", "{a: ", "-", "NOT "] {
            let text = format!("SHOW DATABASES WHERE {}", open.repeat(100_000));
            assert!(parse(&text).is_err());
        }
    }

    /// Nesting just under the limit is parsed and checked on a thread with a small stack:
    /// the parser and the semantic checks grow their stack on the heap
    /// (`dialect::stack`) instead of overflowing it. For each shape, the deepest nesting
    /// the parser takes is found first (a level may take more than one of its levels).
    #[test]
    fn nesting_under_the_limit_is_checked_on_a_small_stack() {
        // (before, each level's opening, the innermost value, each level's closing and
        // what follows the whole)
        let shapes: [(&str, &str, &str, &str, &str); 12] = [
            ("RETURN ", "(", "1", ")", ""),
            ("RETURN ", "[", "1", "]", ""),
            ("RETURN ", "{a: ", "1", "}", ""),
            ("RETURN ", "-(", "1", ")", ""),
            ("RETURN ", "NOT ", "true", "", ""),
            ("RETURN ", "abs(", "$p", ")", ""),
            ("RETURN ", "CASE WHEN true THEN ", "1", " END", ""),
            ("RETURN ", "[x IN ", "[1]", " | x]", ""),
            (
                "MATCH (n) WHERE ",
                "EXISTS { MATCH (m) WHERE ",
                "true",
                " }",
                " RETURN n",
            ),
            ("RETURN ", "1 + (", "1", ")", ""),
            ("RETURN ", "reduce(s = 0, x IN ", "[1]", " | s + x)", ""),
            ("RETURN ", "COUNT { MATCH (m) RETURN ", "1", " }", ""),
        ];
        let nested = |(head, open, inner, close, tail): (&str, &str, &str, &str, &str),
                      depth: usize| {
            format!(
                "{head}{}{inner}{}{tail}",
                open.repeat(depth),
                close.repeat(depth)
            )
        };
        for shape in shapes {
            let mut depth = crate::dialect::grammar::parser::MAX_DEPTH as usize;
            while depth > 1 && parse(&nested(shape, depth)).is_err() {
                depth -= 1;
            }
            assert!(depth > 100, "{shape:?}: only {depth} levels parse");
            let text = nested(shape, depth);
            let handle = std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || parse(&text).map(|s| s.is_read_only()).is_ok())
                .expect("a thread");
            assert_eq!(handle.join().ok(), Some(true), "{shape:?} at {depth}");
        }
    }
}

#[test]
fn graph_free_and_reading_queries_are_read_only() {
    for text in [
        "RETURN 1 + 1 AS two",
        "UNWIND range(1, 3) AS x RETURN x",
        "MATCH (n) WITH n ORDER BY n.x LIMIT 1 RETURN n",
        "CALL { MATCH (n) RETURN n } RETURN n",
        "RETURN 1 AS a UNION RETURN 2 AS a",
        "SHOW DATABASES",
    ] {
        assert!(parse(text).is_ok_and(|s| s.is_read_only()), "{text}");
    }
    for text in [
        "CREATE (n)",
        "MATCH (n) SET n.x = 1",
        "CALL { CREATE (n) } RETURN 1",
        "RETURN 1 AS a UNION MATCH (n) DETACH DELETE n RETURN 2 AS a",
        "CALL db.labels() YIELD label RETURN label",
        "CREATE DATABASE foo",
    ] {
        assert!(parse(text).is_ok_and(|s| !s.is_read_only()), "{text}");
    }
}
