//! The verbose format: cypher-shell's table frame drawn with comfy-table, and the footer.
//!
//! Frame: `+` + `-`×(sum of widths + 3n − 1) + `+` above and below the header and under
//! the last row, with no inner junctions; rows `| a | b |`. Values are rendered with
//! `Value`'s Display. Column widths come from the first `sample_rows` rows, as in
//! cypher-shell; longer values in later rows wrap onto more lines or are cut with `…`.
//! A result with no columns draws no table, only the footer.

use super::Options;
use crate::result::QueryResult;
use comfy_table::{
    ColumnConstraint, ContentArrangement, ContentLineStyle, LineStyle, Table, TableStyle, Width,
};
use std::io::{self, Write};
use unicode_width::UnicodeWidthStr;

/// cypher-shell's frame: full-width dashes without junctions, `|` between cells.
const CYPHER_SHELL: TableStyle = TableStyle::new()
    .top_border(LineStyle::new('+', '-', '-', '+'))
    .header_lines(ContentLineStyle::new('|', '|', '|'))
    .header_separator(LineStyle::new('+', '-', '-', '+'))
    .content_lines(ContentLineStyle::new('|', '|', '|'))
    .bottom_border(LineStyle::new('+', '-', '-', '+'));

/// Writes the table (and the blank line cypher-shell prints after it). Nothing is written
/// for a result without columns.
pub fn write_table(out: &mut dyn Write, result: &QueryResult, options: &Options) -> io::Result<()> {
    if result.fields.is_empty() {
        return Ok(());
    }
    let cells: Vec<Vec<String>> = result.rows.iter().map(|row| cells(row)).collect();
    let widths = sampled_widths(&result.fields, &cells, options.sample_rows);
    for line in lines(&result.fields, cells, &widths, options.wrap, Part::Whole) {
        writeln!(out, "{line}")?;
    }
    writeln!(out)
}

/// A row's cells as `Value`'s Display writes them.
pub fn cells(row: &[crate::value::Value]) -> Vec<String> {
    row.iter().map(ToString::to_string).collect()
}

/// Which lines of a table to draw: a streamed table is drawn in parts that join up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Frame, header, rows and the closing line.
    Whole,
    /// Frame, header and rows, without the closing line (more rows follow).
    Head,
    /// Rows only, at the widths the head was drawn with.
    Body,
}

/// The lines of the table of `cells` under `fields`, its columns `widths` wide (the sampled
/// widths: longer cells wrap or are cut).
pub fn lines(
    fields: &[String],
    cells: Vec<Vec<String>>,
    widths: &[usize],
    wrap: bool,
    part: Part,
) -> Vec<String> {
    let mut table = Table::new();
    table
        .load_style(CYPHER_SHELL)
        .force_no_tty()
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(fields.iter().map(String::as_str));
    for row in cells {
        if wrap {
            table.add_row(row);
        } else {
            table.add_row(
                row.into_iter()
                    .zip(widths)
                    .map(|(cell, w)| truncate(&cell, *w)),
            );
        }
    }
    // The widths the sample decided, exactly (plus one space of padding each side), as
    // cypher-shell holds every later row to them: comfy-table wraps what is longer. (An
    // upper bound would let a later row up to two characters wider widen the column:
    // comfy-table compares it, padding included, with the content's width.)
    let constraints = widths.iter().map(|w| {
        ColumnConstraint::Absolute(Width::Fixed(u16::try_from(w + 2).unwrap_or(u16::MAX)))
    });
    table.set_constraints(constraints);
    let mut lines: Vec<String> = table.lines().collect();
    match part {
        Part::Whole => {}
        Part::Head => {
            lines.pop();
        }
        Part::Body => {
            // Drop the frame and header: everything up to the line under the header, and
            // the closing line.
            lines.pop();
            let header_end = lines
                .iter()
                .enumerate()
                .filter(|(_, l)| l.starts_with('+'))
                .nth(1)
                .map_or(0, |(i, _)| i + 1);
            lines.drain(..header_end);
        }
    }
    lines
}

/// Display width of a cell's widest line.
fn cell_width(cell: &str) -> usize {
    cell.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// Column widths from the header and the first `sample` rows.
pub fn sampled_widths(fields: &[String], cells: &[Vec<String>], sample: usize) -> Vec<usize> {
    fields
        .iter()
        .enumerate()
        .map(|(i, name)| {
            cells
                .iter()
                .take(sample.max(1))
                .filter_map(|row| row.get(i))
                .map(|c| cell_width(c))
                .chain(std::iter::once(cell_width(name)))
                .max()
                .unwrap_or(0)
        })
        .collect()
}

/// Cuts `cell` to `width` characters, its first line only, marking the cut with `…` as
/// cypher-shell does with `--wrap false`.
fn truncate(cell: &str, width: usize) -> String {
    let first = cell.lines().next().unwrap_or("");
    let broke_early = first.len() < cell.len();
    let count = first.chars().count();
    if count <= width && !broke_early {
        return cell.to_string();
    }
    if count < width {
        return format!("{first}…");
    }
    let kept: String = first.chars().take(width.saturating_sub(1)).collect();
    format!("{kept}…")
}

/// The footer, as cypher-shell 5 prints it: `N rows` (`1 row` for one), then `ready to
/// start consuming query after X ms, results consumed after another Y ms`, then the
/// statistics line when the statement changed something (`Added 1 nodes, Set 2
/// properties`, or `System updates: 1` for an administration command).
pub fn footer(result: &QueryResult) -> String {
    footer_of(result.rows.len(), result)
}

/// The footer of `result` when `n` rows were written (a streamed result holds none).
pub fn footer_of(n: usize, result: &QueryResult) -> String {
    let rows = if n == 1 {
        "1 row".to_string()
    } else {
        format!("{n} rows")
    };
    let mut text = format!(
        "{rows}\nready to start consuming query after {} ms, results consumed after another {} ms",
        result.available_after_ms, result.consumed_after_ms
    );
    if let Some(stats) = result.counters.summary() {
        text.push('\n');
        text.push_str(&stats);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    fn render(result: &QueryResult) -> String {
        render_with(result, &Options::new(super::super::Format::Verbose))
    }

    fn render_with(result: &QueryResult, options: &Options) -> String {
        let mut out = Vec::new();
        write_table(&mut out, result, options).unwrap();
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
            "1 row\nready to start consuming query after 3 ms, results consumed after another 1 ms"
        );
        r.rows.clear();
        r.counters.system_updates = 1;
        assert_eq!(
            footer(&r),
            "0 rows\nready to start consuming query after 3 ms, results consumed after another 1 ms\n\
             System updates: 1"
        );
    }

    #[test]
    fn later_rows_wrap_or_are_cut_to_the_sampled_widths() {
        let result = QueryResult::new(
            vec!["name".into()],
            vec![vec![Value::str("ab")], vec![Value::str("abcdefghij")]],
        );
        let mut options = Options::new(super::super::Format::Verbose);
        options.sample_rows = 1;
        // The sample (header and "ab" quoted) gives width 4.
        let wrapped = render_with(&result, &options);
        assert_eq!(wrapped.lines().nth(3), Some("| \"ab\" |"));
        assert!(wrapped.lines().count() > 6, "{wrapped}");
        options.wrap = false;
        let cut = render_with(&result, &options);
        assert_eq!(cut.lines().nth(4), Some("| \"ab… |"));
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
