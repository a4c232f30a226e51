//! The parser against Neo4j's verdicts on two corpora labelled by Neo4j's own front end
//! (`tests/tools/conformance-label.py`): `tck.jsonl`, every query of the openCypher TCK and
//! a token-level mutant of each, and `admin.jsonl`, the admin statements of
//! `tests/data/parse`, every prefix of them that ends at a token, and mutants of each
//! (`tests/tools/admin-corpus.py`). `tck25.jsonl` and `admin25.jsonl` hold the same
//! statements labelled by Neo4j's Cypher 25 front end, parsed here as Cypher 25.
//!
//! Every row must come out as Neo4j says: `ok` rows pass the parser and the semantic
//! checks; `semantic` rows parse and are refused by the semantic checks with one of
//! Neo4j's messages at its offset (`<corpus>-semantic.jsonl` has every error Neo4j
//! reports on each; a check made while parsing may refuse early in Neo4j's words);
//! `syntax` rows fail with Neo4j's message at Neo4j's offset. The semantic rows cysh does
//! not refuse are listed with the reason in `<corpus>-semantic-uncaught.txt`. The rows where cysh knowingly
//! differs are listed, each with its reason, in `<corpus>-known.txt`; a listed row that
//! comes out right fails the test too, so the list only ever shrinks to what is still true.
//! A reason that starts with `check:` marks a difference of `cysh check`, not of the
//! parser (a statement Neo4j parses that names parameters the corpus does not give): the
//! parser must agree on it, and `tests/it/check.rs` holds `cysh check` to the reason.

use super::grammar;
use std::collections::HashMap;
use std::path::Path;

/// One labelled row.
struct Row {
    stmt: String,
    expect: String,
    at: Option<usize>,
    message: Option<String>,
}

impl Row {
    fn read(line: &str) -> Row {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        let text = |k: &str| v[k].as_str().map(str::to_string);
        Row {
            stmt: text("stmt").unwrap_or_else(|| panic!("no stmt: {line}")),
            expect: text("expect").unwrap_or_else(|| panic!("no expect: {line}")),
            at: v["at"].as_u64().map(|n| n as usize),
            message: text("message"),
        }
    }
}

fn data(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/conformance")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// How a known difference of `cysh check` (not of the parser) starts its reason.
const CHECK_LEVEL: &str = "check:";

/// The known differences: statement (as a JSON string) → reason.
fn known(file: &str) -> HashMap<String, String> {
    data(file)
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (stmt, reason) = l.split_once('\t').unwrap_or((l, ""));
            let stmt: String =
                serde_json::from_str(stmt).unwrap_or_else(|e| panic!("{file}: {e}: {l}"));
            assert!(!reason.trim().is_empty(), "{file}: no reason: {l}");
            (stmt, reason.to_string())
        })
        .collect()
}

/// How cysh's verdict on `row` (parse, then the semantic checks) differs from Neo4j's,
/// if it does. `all_errors` holds every error Neo4j reports for a semantic row, when
/// known: cysh may report any of them (it reports the first it finds by offset). When
/// `strict`, a semantic row must be refused.
fn difference(
    row: &Row,
    all_errors: Option<&Vec<(usize, String)>>,
    strict: bool,
    cypher25: bool,
) -> Option<String> {
    let got = grammar::parse(&row.stmt, cypher25).and_then(|p| {
        super::semantic::check(&p.statement, &row.stmt)?;
        Ok(p)
    });
    match (row.expect.as_str(), got) {
        ("ok", Ok(_)) => None,
        // Without Neo4j's full list of errors (the admin corpus), a semantic row may pass:
        // the semantic checks do not yet cover SHOW commands' columns.
        ("semantic", Ok(_)) if !strict => None,
        ("semantic", Ok(_)) => Some(format!(
            "accepted; Neo4j refuses it after parsing: {}",
            row.message.as_deref().unwrap_or("(message not known)")
        )),
        // A semantic error: Neo4j's first, or another of Neo4j's at its place.
        ("semantic", Err(e))
            if row.message.as_deref() == Some(e.message.as_str())
                && e.position.map(|p| p.offset) == row.at
                || all_errors.is_some_and(|all| {
                    all.iter()
                        .any(|(at, m)| *m == e.message && e.position.map(|p| p.offset) == Some(*at))
                }) =>
        {
            None
        }
        ("ok" | "semantic", Err(e)) => Some(format!(
            "refused: {}\n      Neo4j: {}",
            e.full_message(),
            row.message.as_deref().unwrap_or("accepts it")
        )),
        (_, Ok(_)) => Some(format!("accepted; Neo4j: {:?}", row.message)),
        (_, Err(e)) => {
            let offset = e.position.map(|p| p.offset);
            let wrong_at = row.at.is_some() && offset != row.at;
            let wrong_message = row.message.as_ref().is_some_and(|m| *m != e.message);
            (wrong_at || wrong_message).then(|| {
                format!(
                    "at {offset:?}: {}\n      Neo4j at {:?}: {}",
                    e.message,
                    row.at,
                    row.message.as_deref().unwrap_or("(message not known)")
                )
            })
        }
    }
}

/// Checks every row of `corpus` (at least `min_rows`, `min_syntax` of them errors), parsed
/// as Cypher 25 when `cypher25`.
fn check_corpus(corpus: &str, min_rows: usize, min_syntax: usize, cypher25: bool) {
    let known_file = corpus.replace(".jsonl", "-known.txt");
    let mut known = known(&known_file);
    // The semantic rows cysh does not refuse, and every error Neo4j reports on each
    // semantic row, where the corpus has them.
    let uncaught_file = corpus.replace(".jsonl", "-semantic-uncaught.txt");
    let errors_file = corpus.replace(".jsonl", "-semantic.jsonl");
    let has_semantic = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/conformance")
        .join(&errors_file)
        .exists();
    let mut all_errors: HashMap<String, Vec<(usize, String)>> = HashMap::new();
    if has_semantic {
        known.extend(self::known(&uncaught_file));
        for line in data(&errors_file).lines() {
            let v: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            let errors = v["errors"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|e| Some((e[0].as_u64()? as usize, e[1].as_str()?.to_string())))
                .collect();
            all_errors.insert(v["stmt"].as_str().unwrap_or("").to_string(), errors);
        }
    }
    let mut seen = 0;
    let mut failures = Vec::new();
    let mut rows = 0;
    let mut syntax_rows = 0;
    for line in data(corpus).lines() {
        let row = Row::read(line);
        rows += 1;
        syntax_rows += usize::from(row.expect == "syntax");
        let diff = difference(&row, all_errors.get(&row.stmt), has_semantic, cypher25);
        match (diff, known.get(&row.stmt)) {
            (None, None) => {}
            (None, Some(reason)) if reason.starts_with(CHECK_LEVEL) => seen += 1,
            (Some(d), Some(reason)) if reason.starts_with(CHECK_LEVEL) => failures.push(format!(
                "{:?}\n      listed as a difference of `cysh check` only, but the parser differs: {d}",
                row.stmt
            )),
            (Some(_), Some(_)) => seen += 1,
            (Some(d), None) => failures.push(format!("{:?}\n      {d}", row.stmt)),
            (None, Some(reason)) => failures.push(format!(
                "{:?}\n      now agrees with Neo4j: remove it from {known_file} ({reason})",
                row.stmt
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {rows} rows of {corpus} differ from Neo4j:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(
        seen,
        known.len(),
        "{known_file} (or {uncaught_file}) lists statements not in {corpus}"
    );
    // The corpus is whole: a truncated file would pass vacuously.
    assert!(
        rows >= min_rows && syntax_rows >= min_syntax,
        "{corpus}: {rows} rows, {syntax_rows} syntax rows"
    );
}

#[test]
fn the_parser_agrees_with_neo4j_on_the_tck() {
    check_corpus("tck.jsonl", 7000, 3000, false);
}

#[test]
fn the_parser_agrees_with_neo4j_on_admin_statements() {
    check_corpus("admin.jsonl", 3500, 2900, false);
}

#[test]
fn the_parser_agrees_with_neo4j_on_the_tck_in_cypher_25() {
    check_corpus("tck25.jsonl", 7000, 3000, true);
}

#[test]
fn the_parser_agrees_with_neo4j_on_admin_statements_in_cypher_25() {
    check_corpus("admin25.jsonl", 3500, 2900, true);
}

#[test]
fn real_statements_stay_far_below_the_parse_budget() {
    // The budget (parser.rs) is 1,000,000 + 1,000 rules per token; the most expensive
    // statement of both corpora must need under a tenth of it.
    let mut worst = (0.0, String::new());
    for corpus in ["tck.jsonl", "admin.jsonl"] {
        for line in data(corpus).lines() {
            let row = Row::read(line);
            let (steps, tokens) = grammar::parse_cost(&row.stmt);
            let share = steps as f64 / (1_000_000.0 + 1_000.0 * tokens as f64);
            if share > worst.0 {
                worst = (share, row.stmt);
            }
        }
    }
    assert!(worst.0 < 0.1, "{:.3} of the budget: {:?}", worst.0, worst.1);
}

#[test]
fn nested_ambiguous_constructs_are_refused_quickly() {
    // Unclosed nesting of `[x IN [` backtracks exponentially; the budget stops it with
    // the furthest error (the test would run for hours without it).
    let text = format!("RETURN {}1{}", "[x IN [".repeat(200), "]".repeat(200));
    let e = grammar::parse(&text, false).err().map(|e| e.message);
    assert!(e.is_some_and(|m| m.starts_with("Invalid input '': expected an expression")));
}
