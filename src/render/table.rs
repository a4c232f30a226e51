//! The verbose format: cypher-shell's table frame drawn with comfy-table, and the footer.
//!
//! Frame: `+` + `-`×(sum of widths + 3n − 1) + `+` above and below the header and under
//! the last row, with no inner junctions; rows `| a | b |`. Values are rendered with
//! `Value`'s Display. A result with no columns draws no table, only the footer.

use crate::result::QueryResult;
use comfy_table::{ContentArrangement, ContentLineStyle, LineStyle, Table, TableStyle};
use std::io::{self, Write};

/// cypher-shell's frame: full-width dashes without junctions, `|` between cells.
const CYPHER_SHELL: TableStyle = TableStyle::new()
    .top_border(LineStyle::new('+', '-', '-', '+'))
    .header_lines(ContentLineStyle::new('|', '|', '|'))
    .header_separator(LineStyle::new('+', '-', '-', '+'))
    .content_lines(ContentLineStyle::new('|', '|', '|'))
    .bottom_border(LineStyle::new('+', '-', '-', '+'));

/// Writes the table (and the blank line cypher-shell prints after it). Nothing is written
/// for a result without columns.
pub fn write_table(out: &mut dyn Write, result: &QueryResult) -> io::Result<()> {
    if result.fields.is_empty() {
        return Ok(());
    }
    let mut table = Table::new();
    table
        .load_style(CYPHER_SHELL)
        .force_no_tty()
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(result.fields.iter().map(String::as_str));
    for row in &result.rows {
        table.add_row(row.iter().map(ToString::to_string));
    }
    for line in table.lines() {
        writeln!(out, "{line}")?;
    }
    writeln!(out)
}

/// The footer line: `N rows available after X ms, consumed after another Y ms`
/// (`1 row` for one row).
pub fn footer(result: &QueryResult) -> String {
    let n = result.rows.len();
    let rows = if n == 1 {
        "1 row".to_string()
    } else {
        format!("{n} rows")
    };
    format!(
        "{rows} available after {} ms, consumed after another {} ms",
        result.available_after_ms, result.consumed_after_ms
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    fn render(result: &QueryResult) -> String {
        let mut out = Vec::new();
        write_table(&mut out, result).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn draws_cypher_shells_frame_byte_for_byte() {
        let result = QueryResult::new(
            vec![
                "name".into(),
                "count".into(),
                "ok".into(),
                "none".into(),
                "hosting".into(),
            ],
            vec![
                vec![
                    Value::str("server-1"),
                    Value::Int(42),
                    Value::Bool(true),
                    Value::Null,
                    Value::str_list(["system", "neo4j"]),
                ],
                vec![
                    Value::str("s2"),
                    Value::Int(-7),
                    Value::Bool(false),
                    Value::Null,
                    Value::List(vec![]),
                ],
            ],
        );
        let want = "\
+---------------------------------------------------------+
| name       | count | ok    | none | hosting             |
+---------------------------------------------------------+
| \"server-1\" | 42    | TRUE  | NULL | [\"system\", \"neo4j\"] |
| \"s2\"       | -7    | FALSE | NULL | []                  |
+---------------------------------------------------------+

";
        assert_eq!(render(&result), want);
    }

    #[test]
    fn border_width_follows_the_formula() {
        let result = QueryResult::new(
            vec!["a".into(), "bb".into()],
            vec![vec![Value::Int(1), Value::Int(2)]],
        );
        let text = render(&result);
        let border = text.lines().next().unwrap();
        // sum of widths (1 + 2) + 3n - 1 with n = 2.
        assert_eq!(border, format!("+{}+", "-".repeat(3 + 3 * 2 - 1)));
    }

    #[test]
    fn footer_says_row_for_one() {
        let mut r = QueryResult::new(vec!["a".into()], vec![vec![Value::Int(1)]]);
        r.available_after_ms = 3;
        r.consumed_after_ms = 1;
        assert_eq!(
            footer(&r),
            "1 row available after 3 ms, consumed after another 1 ms"
        );
        r.rows.clear();
        assert_eq!(
            footer(&r),
            "0 rows available after 3 ms, consumed after another 1 ms"
        );
    }

    #[test]
    fn no_columns_draws_no_table() {
        assert_eq!(render(&QueryResult::empty()), "");
    }

    #[test]
    fn reproduces_the_seed_dryrun_reallocate_table() {
        // Copied from seeds/managing-databases-in-a-cluster.txt ("DRYRUN REALLOCATE DATABASES").
        let seed = "\
+----------------------------------------------------------------------------------------------------------------------------------------+\n\
| database | fromServerName | fromServerId                           | toServerName | toServerId                             | mode      |\n\
+----------------------------------------------------------------------------------------------------------------------------------------+\n\
| \"bar\"    | \"server-1\"     | \"00000000-27e1-402b-be79-d28047a9418a\" | \"server-5\"   | \"00000003-b76c-483f-b2ca-935a1a28f3db\" | \"primary\" |\n\
| \"bar\"    | \"server-3\"     | \"00000001-7a21-4780-bb83-cee4726cb318\" | \"server-4\"   | \"00000002-14b5-4d4c-ae62-56845797661a\" | \"primary\" |\n\
+----------------------------------------------------------------------------------------------------------------------------------------+\n";
        let row = |db: &str, fname: &str, fid: &str, tname: &str, tid: &str| {
            [db, fname, fid, tname, tid, "primary"]
                .map(Value::str)
                .to_vec()
        };
        let result = QueryResult::new(
            [
                "database",
                "fromServerName",
                "fromServerId",
                "toServerName",
                "toServerId",
                "mode",
            ]
            .map(String::from)
            .to_vec(),
            vec![
                row(
                    "bar",
                    "server-1",
                    "00000000-27e1-402b-be79-d28047a9418a",
                    "server-5",
                    "00000003-b76c-483f-b2ca-935a1a28f3db",
                ),
                row(
                    "bar",
                    "server-3",
                    "00000001-7a21-4780-bb83-cee4726cb318",
                    "server-4",
                    "00000002-14b5-4d4c-ae62-56845797661a",
                ),
            ],
        );
        assert_eq!(render(&result), format!("{seed}\n"));
    }
}
