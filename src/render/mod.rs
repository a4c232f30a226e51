//! Rendering: a `QueryResult` to text in one of the output formats.
//!
//! It owns the verbose table (cypher-shell's frame, via comfy-table), the plain format, the
//! JSON lines format and the footer line. It must stay pure: no terminal queries, no
//! colours, no I/O beyond the writer it is given, so every format can be tested byte for
//! byte.

mod json;
mod plain;
pub mod plan;
pub mod query_plan;
mod stream;
mod table;

pub use json::{error_json, rows_json, write_json};
pub use plain::write_plain;
pub use stream::ResultWriter;
pub use table::{footer, write_table};

use crate::result::QueryResult;
use std::io::{self, Write};

/// The output format after `auto` has been resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A table in cypher-shell's frame, then the footer line.
    Verbose,
    /// A header line, then one line per row, values joined by `, `.
    Plain,
    /// One JSON object per row, keys in column order, values in Neo4j's plain JSON mapping.
    Json,
}

/// How results are rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The format.
    pub format: Format,
    /// Verbose only: wrap over-long cells onto more lines (`true`) or cut them with `…`.
    pub wrap: bool,
    /// Verbose only: how many rows decide the column widths (cypher-shell's
    /// `--sample-rows`); later rows wrap or are cut to those widths.
    pub sample_rows: usize,
    /// Verbose only: print the server's notifications after the footer (cypher-shell's
    /// `--notifications`; off by default, as there).
    pub notifications: bool,
}

impl Options {
    /// cypher-shell's defaults for a format: wrap on, 1000 sampled rows.
    pub fn new(format: Format) -> Options {
        Options {
            format,
            wrap: true,
            sample_rows: 1000,
            notifications: false,
        }
    }
}

/// Writes the result's notifications as cypher-shell does in verbose mode: each once, after
/// a blank line, as `info: <description> (<code>)` or `warn: …`.
pub fn write_notifications(out: &mut dyn Write, result: &QueryResult) -> io::Result<()> {
    write_notifications_where(out, result, |_| true)
}

/// True for a note cysh itself adds (code `Cysh.…`, such as DRYRUN's maximum load): it is
/// part of cysh's own output, shown in the verbose format with or without
/// `--notifications`, which governs the server's notifications as in cypher-shell.
pub fn is_cysh_note(n: &crate::result::Notification) -> bool {
    n.code.starts_with("Cysh.")
}

fn write_notifications_where(
    out: &mut dyn Write,
    result: &QueryResult,
    keep: impl Fn(&crate::result::Notification) -> bool,
) -> io::Result<()> {
    let mut seen = std::collections::HashSet::new();
    for n in result.notifications.iter().filter(|n| keep(n)) {
        if !seen.insert((&n.code, &n.description)) {
            continue;
        }
        let severity = if n.severity.eq_ignore_ascii_case("WARNING") {
            "warn"
        } else {
            "info"
        };
        writeln!(out)?;
        writeln!(out, "{severity}: {} ({})", n.description, n.code)?;
    }
    Ok(())
}

/// Writes the notifications the verbose format shows after the footer: all of them with
/// `--notifications`, else only cysh's own notes.
fn write_shown_notifications(
    out: &mut dyn Write,
    result: &QueryResult,
    options: &Options,
) -> io::Result<()> {
    if options.notifications {
        write_notifications(out, result)
    } else {
        write_notifications_where(out, result, is_cysh_note)
    }
}

/// Writes `result`, every row of which is in `result.rows`, as `options` say: the same
/// text as its rows streamed through a [`ResultWriter`].
pub fn write_result(
    out: &mut dyn Write,
    result: &QueryResult,
    options: &Options,
) -> io::Result<()> {
    let mut writer = ResultWriter::new(out, options);
    crate::result::RowSink::columns(&mut writer, &result.fields);
    for row in &result.rows {
        if !writer.push(row) {
            break;
        }
    }
    writer.finish(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::Notification;

    #[test]
    fn notifications_follow_the_footer_once_each() {
        let n = Notification {
            code: "Neo.ClientNotification.Cluster.ServerAlreadyEnabled".into(),
            title: "`ENABLE SERVER` has no effect.".into(),
            description: "Server `s1` is already enabled. Verify that this is the intended server."
                .into(),
            severity: "INFORMATION".into(),
            category: "TOPOLOGY".into(),
        };
        let result = QueryResult::empty()
            .with_notification(n.clone())
            .with_notification(n);
        let mut options = Options::new(Format::Verbose);
        let mut out = Vec::new();
        write_result(&mut out, &result, &options).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "0 rows\nready to start consuming query after 0 ms, results consumed after another 0 ms\n",
            "off by default, as in cypher-shell"
        );
        options.notifications = true;
        let mut out = Vec::new();
        write_result(&mut out, &result, &options).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "0 rows\nready to start consuming query after 0 ms, results consumed after another 0 ms\n\n\
             info: Server `s1` is already enabled. Verify that this is the intended server. \
             (Neo.ClientNotification.Cluster.ServerAlreadyEnabled)\n"
        );
    }

    #[test]
    fn cysh_own_notes_show_without_the_flag() {
        let note = Notification {
            code: "Cysh.ClientNotification.Cluster.PlannedMaximumLoad".into(),
            title: "Maximum load".into(),
            description: "Maximum load per server: 3 before, 2 after the plan.".into(),
            severity: "INFORMATION".into(),
            category: "TOPOLOGY".into(),
        };
        let server = Notification {
            code: "Neo.ClientNotification.Cluster.NoDatabasesReallocated".into(),
            description: "No databases were reallocated.".into(),
            ..note.clone()
        };
        let result = QueryResult::empty()
            .with_notification(server)
            .with_notification(note);
        let mut out = Vec::new();
        write_result(&mut out, &result, &Options::new(Format::Verbose)).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("info: Maximum load per server: 3 before, 2 after the plan."),
            "{text}"
        );
        assert!(!text.contains("No databases were reallocated"), "{text}");
    }
}
