//! Rendering: a `QueryResult` to text in one of the output formats.
//!
//! It owns the verbose table (cypher-shell's frame, via comfy-table), the plain format, the
//! JSON lines format and the footer line. It must stay pure: no terminal queries, no
//! colours, no I/O beyond the writer it is given, so every format can be tested byte for
//! byte.

mod json;
mod plain;
mod table;

pub use json::{error_json, plain_json, write_json};
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
}

impl Options {
    /// cypher-shell's defaults for a format: wrap on, 1000 sampled rows.
    pub fn new(format: Format) -> Options {
        Options {
            format,
            wrap: true,
            sample_rows: 1000,
        }
    }
}

/// Writes `result` as `options` say.
pub fn write_result(
    out: &mut dyn Write,
    result: &QueryResult,
    options: &Options,
) -> io::Result<()> {
    match options.format {
        Format::Verbose => {
            write_table(out, result, options)?;
            writeln!(out, "{}", footer(result))
        }
        Format::Plain => write_plain(out, result),
        Format::Json => write_json(out, result),
    }
}
