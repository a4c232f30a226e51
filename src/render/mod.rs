//! Rendering: a `QueryResult` to text in one of the output formats.
//!
//! It owns the verbose table (cypher-shell's frame, via comfy-table), the plain format and
//! the footer line. It must stay pure: no terminal queries, no colours, no I/O beyond the
//! writer it is given, so every format can be tested byte for byte.

mod plain;
mod table;

pub use plain::write_plain;
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
}

/// Writes `result` in `format`.
pub fn write_result(out: &mut dyn Write, result: &QueryResult, format: Format) -> io::Result<()> {
    match format {
        Format::Verbose => {
            write_table(out, result)?;
            writeln!(out, "{}", footer(result))
        }
        Format::Plain => write_plain(out, result),
    }
}
