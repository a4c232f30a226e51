//! The statements whose verdict depends on the Cypher version (`tests/data/parse/
//! versions.txt`): each is parsed as Cypher 5 and as Cypher 25 and must come out as
//! Neo4j's front end says in each, accepted or refused at Neo4j's offset with its message.
//!
//! It owns the reading of that file. It must not hold expectations of its own: every
//! verdict in the file is the oracle's.

use super::{CypherVersion, parse_as};
use std::path::Path;

/// One statement with Neo4j's verdict in each version: `None` accepts, `Some((offset,
/// message))` refuses (`*` stands for any message).
struct Case {
    line: usize,
    statement: String,
    verdicts: Vec<(CypherVersion, Option<(usize, String)>)>,
}

fn cases(text: &str) -> Vec<Case> {
    let mut out = Vec::new();
    let mut stmt: Vec<&str> = Vec::new();
    let mut current: Option<Case> = None;
    for (n, line) in text.lines().enumerate() {
        let verdict = line
            .split_once(" => ")
            .and_then(|(v, rest)| Some((v.parse::<CypherVersion>().ok()?, rest)));
        if let Some((version, rest)) = verdict {
            let case = current.get_or_insert_with(|| Case {
                line: n,
                statement: stmt.join("\n"),
                verdicts: Vec::new(),
            });
            let expected = (rest != "OK").then(|| {
                let (at, message) = rest.split_once(": ").unwrap();
                (at.parse().unwrap(), message.to_string())
            });
            case.verdicts.push((version, expected));
        } else if line.trim().is_empty() {
            out.extend(current.take());
            stmt.clear();
        } else if !line.starts_with('#') {
            stmt.push(line);
        }
    }
    out.extend(current);
    out
}

#[test]
fn statements_get_neo4js_verdict_in_each_cypher_version() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/parse/versions.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let cases = cases(&text);
    let mut failures = Vec::new();
    let (mut accepted, mut refused) = (0, 0);
    for case in &cases {
        assert_eq!(
            case.verdicts.len(),
            2,
            "line {}: one verdict per version",
            case.line
        );
        for (version, expected) in &case.verdicts {
            let got = parse_as(&case.statement, *version)
                .err()
                .map(|e| (e.position.map_or(0, |p| p.offset), e.message));
            let agrees = match (expected, &got) {
                (None, None) => true,
                (Some((at, m)), Some((got_at, got_m))) => at == got_at && (m == "*" || m == got_m),
                _ => false,
            };
            if expected.is_none() {
                accepted += 1;
            } else {
                refused += 1;
            }
            if !agrees {
                failures.push(format!(
                    "versions.txt:{}: {} as Cypher {version}\n  Neo4j: {expected:?}\n  cysh:  {got:?}",
                    case.line + 1,
                    case.statement
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        accepted >= 20 && refused >= 20,
        "{accepted} accepted, {refused} refused"
    );
}
