//! The semantic checks on data: `tests/data/semantic/*.txt`, one statement per line with
//! Neo4j's verdict (see the files' headers); files named `*25*` are parsed as Cypher 25.

use super::check;
use crate::dialect::grammar;

/// Each case is `offset<TAB>message<TAB>statement` (an error) or `ok<TAB>statement`, with
/// `\n` for line breaks in the statement.
#[test]
fn semantic_cases() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/semantic");
    let mut failures = Vec::new();
    let mut count = 0;
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            count += 1;
            let fields: Vec<&str> = line.splitn(3, '\t').collect();
            let (want, stmt) = match fields.as_slice() {
                ["ok", stmt] => (None, stmt.replace("\\n", "\n")),
                [at, message, stmt] => (
                    Some((
                        at.parse::<usize>().unwrap_or(usize::MAX),
                        message.to_string(),
                    )),
                    stmt.replace("\\n", "\n"),
                ),
                _ => panic!("{}:{}: malformed case: {line}", path.display(), n + 1),
            };
            // Files named `*25*` hold Cypher 25 statements.
            let cypher25 = path
                .file_name()
                .is_some_and(|f| f.to_string_lossy().contains("25"));
            let parsed = grammar::parse(&stmt, cypher25)
                .unwrap_or_else(|e| panic!("{}:{}: does not parse: {e:?}", path.display(), n + 1));
            let got = check(&parsed.statement, &stmt)
                .err()
                .map(|e| (e.position.map_or(usize::MAX, |p| p.offset), e.message));
            if got != want {
                failures.push(format!(
                    "{}:{}: {stmt:?}\n    want {want:?}\n    got  {got:?}",
                    path.file_name()
                        .map(|f| f.to_string_lossy())
                        .unwrap_or_default(),
                    n + 1
                ));
            }
        }
    }
    assert!(count > 0, "no cases in {}", dir.display());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Statements with many names (past the point where scopes and projections hash them)
/// get the verdicts small ones get: the same errors at the same places.
#[test]
fn many_names_are_checked_as_few() {
    let verdict = |stmt: &str| {
        let parsed = grammar::parse(stmt, false).unwrap_or_else(|e| panic!("{e:?}"));
        check(&parsed.statement, stmt)
            .err()
            .map(|e| (e.position.map_or(usize::MAX, |p| p.offset), e.message))
    };
    for n in [3, 40, 2000] {
        let with: Vec<String> = (0..n).map(|i| format!("{i} AS a{i}")).collect();
        let ret: Vec<String> = (0..n).map(|i| format!("a{i} AS c{i}")).collect();
        let base = format!("WITH {} RETURN {}", with.join(", "), ret.join(", "));
        assert_eq!(verdict(&base), None, "{n}");
        // A repeated column, last.
        let repeated = format!("{base}, a0 AS c0");
        assert_eq!(
            verdict(&repeated),
            Some((
                repeated.len() - 2,
                "Multiple result columns with the same name are not supported".to_string()
            )),
            "{n}"
        );
        // A variable not in the large scope.
        let missing = format!("WITH {} RETURN zz", with.join(", "));
        assert_eq!(
            verdict(&missing),
            Some((missing.len() - 2, "Variable `zz` not defined".to_string())),
            "{n}"
        );
        // ORDER BY names a projected expression again: allowed after DISTINCT.
        let order = format!(
            "WITH {} RETURN DISTINCT {} ORDER BY a{}",
            with.join(", "),
            (0..n)
                .map(|i| format!("a{i}"))
                .collect::<Vec<_>>()
                .join(", "),
            n - 1
        );
        assert_eq!(verdict(&order), None, "{n}");
        // A hidden variable after an aggregating projection.
        let hidden = format!(
            "WITH {} RETURN count(*) AS c ORDER BY a{}",
            with.join(", "),
            n - 1
        );
        assert!(verdict(&hidden).is_some(), "{n}");
    }
}
