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
