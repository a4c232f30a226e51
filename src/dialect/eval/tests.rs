//! The evaluator against the data-driven cases of `tests/data/eval/*.txt`: one case a
//! line, `expression => rendering` (the value as cypher-shell prints it) or
//! `expression !! Neo.Code: message`. The clock is fixed at 2026-11-21T10:15:30.123Z;
//! the parameters every case may use are listed at the top of `operators.txt`.

use super::*;
use crate::dialect::grammar;

fn run(text: &str) -> Result<Value, crate::error::Neo4jError> {
    let expr = grammar::parse_expression(text)?;
    let mut m = std::collections::BTreeMap::new();
    m.insert("a".to_string(), Value::Int(1));
    let params: Params = [
        ("t", Value::Bool(true)),
        ("i", Value::Int(1)),
        ("f", Value::Float(1.5)),
        ("s", Value::str("a")),
        ("m", Value::Map(m)),
        ("l", Value::List(vec![Value::Int(1), Value::Int(2)])),
        ("n", Value::Null),
        ("max", Value::Int(i64::MAX)),
        ("min", Value::Int(i64::MIN)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let now: jiff::Timestamp = "2026-11-21T10:15:30.123Z".parse().expect("clock");
    let mut ctx = Ctx::new(&params, &NoRow, now);
    eval(&expr, &mut ctx).map_err(Into::into)
}

#[test]
fn data_driven_cases() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/eval");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("tests/data/eval")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "case files missing");
    let mut failures = Vec::new();
    let mut count = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            count += 1;
            let at = format!("{}:{}", file.display(), n + 1);
            if let Some((expr, want)) = line.split_once(" => ") {
                match run(expr) {
                    Ok(v) if v.to_string() == want => {}
                    other => {
                        failures.push(format!("{at}: {expr}\n  want {want}\n  got  {other:?}"))
                    }
                }
            } else if let Some((expr, want)) = line.split_once(" !! ") {
                let (code, message) = want.split_once(": ").unwrap_or((want, ""));
                match run(expr) {
                    Err(e) if e.code == code && e.message == message => {}
                    other => {
                        failures.push(format!("{at}: {expr}\n  want {want}\n  got  {other:?}"))
                    }
                }
            } else {
                failures.push(format!("{at}: neither `=>` nor `!!`: {line}"));
            }
        }
    }
    assert!(count >= 200, "only {count} cases");
    assert!(
        failures.is_empty(),
        "{} of {count} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn long_chains_and_deep_nesting_evaluate_without_overflow() {
    let chain = vec!["1"; 100_000].join(" + ");
    assert_eq!(
        run(&chain).map(|v| v.to_string()).ok().as_deref(),
        Some("100000")
    );
    let deep = format!("{}1{}", "[".repeat(450), "]".repeat(450));
    assert!(run(&deep).is_ok());
    let and = vec!["true"; 100_000].join(" AND ");
    assert_eq!(run(&and).ok(), Some(Value::Bool(true)));
}

#[test]
fn variables_and_parameters() {
    let params: Params = [("p".to_string(), Value::Int(2))].into_iter().collect();
    let names = vec!["x".to_string()];
    let values = vec![Value::Int(40)];
    let row = Columns {
        names: &names,
        values: &values,
    };
    let now = jiff::Timestamp::UNIX_EPOCH;
    let mut ctx = Ctx::new(&params, &row, now);
    let e = grammar::parse_expression("x + $p").expect("parses");
    assert_eq!(eval(&e, &mut ctx), Ok(Value::Int(42)));
    let e = grammar::parse_expression("y").expect("parses");
    assert_eq!(eval(&e, &mut ctx), Err(errors::undefined("y")));
    let e = grammar::parse_expression("$q").expect("parses");
    assert_eq!(
        eval(&e, &mut ctx),
        Err(EvalError::MissingParameter("q".into()))
    );
}
