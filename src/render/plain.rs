//! The plain format: column names joined by `, `, then each row's values joined by `, `.
//! As in cypher-shell, a result without rows prints nothing, and there is no footer.

use crate::result::QueryResult;
use std::io::{self, Write};

/// Writes `result` in the plain format.
pub fn write_plain(out: &mut dyn Write, result: &QueryResult) -> io::Result<()> {
    if result.rows.is_empty() {
        return Ok(());
    }
    writeln!(out, "{}", result.fields.join(", "))?;
    for row in &result.rows {
        let cells: Vec<String> = row.iter().map(ToString::to_string).collect();
        writeln!(out, "{}", cells.join(", "))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    /// `tests/data/values/plain.txt`: each value prints as cypher-shell prints it.
    #[test]
    fn values_print_as_cypher_shell_prints_them() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/values/plain.txt");
        let text = std::fs::read_to_string(path).unwrap();
        let mut cases = 0;
        for line in text
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let (json, expected) = line.split_once(" => ").unwrap();
            let json: serde_json::Value = serde_json::from_str(json).unwrap();
            let value =
                crate::wire::values::decode(&json, crate::wire::values::Encoding::Typed).unwrap();
            let r = QueryResult::new(vec!["v".into()], vec![vec![value]]);
            let mut out = Vec::new();
            write_plain(&mut out, &r).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                format!("v\n{expected}\n"),
                "{line}"
            );
            cases += 1;
        }
        assert!(cases >= 20, "{cases} cases");
    }

    #[test]
    fn header_then_rows() {
        let r = QueryResult::new(
            vec!["name".into(), "hosting".into()],
            vec![vec![Value::str("a"), Value::str_list(["system"])]],
        );
        let mut out = Vec::new();
        write_plain(&mut out, &r).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "name, hosting\n\"a\", [\"system\"]\n"
        );
    }
}
