//! `ResultWriter`: a result written as its rows arrive, in every format, so a result of a
//! million rows is never held whole. The table is drawn as cypher-shell draws a streamed
//! one: its column widths come from the first `--sample-rows` rows, which are held until
//! they are all there (or the result ends); later rows are drawn at those widths in
//! batches, and the closing line and footer follow the last.
//!
//! It owns that buffering and the row count the footer shows. It must not decide what a
//! row looks like: cells are `Value`'s Display, lines are `table.rs`'s, JSON is `json.rs`'s.

use super::json::row_json;
use super::query_plan;
use super::table::{self, Part};
use super::{Format, Options};
use crate::result::{QueryResult, RowSink};
use crate::value::Value;
use std::io::{self, Write};

/// Rows drawn at once after the sample: enough to amortise a table's setup, few enough
/// that memory stays flat.
const BATCH: usize = 256;

/// Writes a result as its rows arrive; [`ResultWriter::finish`] writes what comes after
/// them. Write errors stop it (a closed pipe): the rows after are refused, and `finish`
/// returns the first error.
pub struct ResultWriter<'w> {
    out: &'w mut dyn Write,
    options: Options,
    fields: Vec<String>,
    rows: usize,
    error: Option<io::Error>,
    /// Verbose: the first rows' cells, until the widths are known.
    sample: Vec<Vec<String>>,
    /// Verbose: the widths, and the frame line, once the head is drawn.
    drawn: Option<(Vec<usize>, String)>,
    /// Verbose: rows waiting to be drawn at those widths.
    batch: Vec<Vec<String>>,
    /// Plain: the line being made, kept so its capacity is reused row after row.
    line: String,
}

impl<'w> ResultWriter<'w> {
    /// A writer to `out` in `options`' format.
    pub fn new(out: &'w mut dyn Write, options: &Options) -> ResultWriter<'w> {
        ResultWriter {
            out,
            options: *options,
            fields: Vec::new(),
            rows: 0,
            error: None,
            sample: Vec::new(),
            drawn: None,
            batch: Vec::new(),
            line: String::new(),
        }
    }

    /// Rows written so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    fn attempt(&mut self, f: impl FnOnce(&mut Self) -> io::Result<()>) {
        if self.error.is_none()
            && let Err(e) = f(self)
        {
            self.error = Some(e);
        }
    }

    fn draw_head(&mut self) -> io::Result<()> {
        let sample = std::mem::take(&mut self.sample);
        let widths = table::sampled_widths(&self.fields, &sample, sample.len());
        let lines = table::lines(&self.fields, sample, &widths, self.options.wrap, Part::Head);
        let frame = lines.first().cloned().unwrap_or_default();
        for line in lines {
            writeln!(self.out, "{line}")?;
        }
        self.drawn = Some((widths, frame));
        Ok(())
    }

    fn draw_batch(&mut self) -> io::Result<()> {
        let Some((widths, _)) = &self.drawn else {
            return Ok(());
        };
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.batch);
        for line in table::lines(&self.fields, batch, widths, self.options.wrap, Part::Body) {
            writeln!(self.out, "{line}")?;
        }
        Ok(())
    }

    /// Writes what follows the rows — the table's end, the footer with the row count,
    /// the notifications the options show — from `summary` (the result, its rows already
    /// written through this writer), and flushes.
    pub fn finish(mut self, summary: &QueryResult) -> io::Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        let time = summary.available_after_ms + summary.consumed_after_ms;
        match (self.options.format, &summary.plan) {
            (Format::Plain, Some(plan)) => query_plan::write_summary_lines(self.out, plan, time)?,
            (Format::Json, Some(_)) => super::json::write_plan_json(self.out, summary)?,
            _ => {}
        }
        if self.options.format == Format::Verbose {
            if !self.fields.is_empty() {
                match &self.drawn {
                    None => {
                        let sample = std::mem::take(&mut self.sample);
                        let widths = table::sampled_widths(&self.fields, &sample, sample.len());
                        for line in table::lines(
                            &self.fields,
                            sample,
                            &widths,
                            self.options.wrap,
                            Part::Whole,
                        ) {
                            writeln!(self.out, "{line}")?;
                        }
                    }
                    Some(_) => {
                        self.draw_batch()?;
                        if let Some((_, frame)) = &self.drawn {
                            writeln!(self.out, "{frame}")?;
                        }
                    }
                }
                writeln!(self.out)?;
            }
            // cypher-shell's order: rows, the plan summary table, the plan, the footer.
            if let Some(plan) = &summary.plan {
                table::write_table(
                    self.out,
                    &query_plan::summary_result(plan, time),
                    &self.options,
                )?;
                writeln!(self.out, "{}", query_plan::plan_text(plan))?;
            }
            writeln!(self.out, "{}", table::footer_of(self.rows, summary))?;
            super::write_shown_notifications(self.out, summary, &self.options)?;
        }
        self.out.flush()
    }
}

impl RowSink for ResultWriter<'_> {
    fn columns(&mut self, fields: &[String]) {
        self.fields = fields.to_vec();
    }

    fn row(&mut self, row: Vec<Value>) -> bool {
        self.push(&row)
    }
}

impl ResultWriter<'_> {
    /// Writes one row (or holds it for the table's sample); false once writing failed.
    pub fn push(&mut self, row: &[Value]) -> bool {
        self.rows += 1;
        match self.options.format {
            Format::Plain => self.attempt(|w| {
                if w.rows == 1 {
                    writeln!(w.out, "{}", w.fields.join(", "))?;
                }
                // Each cell is formatted into one reused line, not a string of its own
                // joined after: a SHOW SERVERS of 300,000 hosted names spent a tenth of
                // its time growing and copying those strings.
                w.line.clear();
                for (i, v) in row.iter().enumerate() {
                    if i > 0 {
                        w.line.push_str(", ");
                    }
                    // Formatting into a `String` cannot fail.
                    let _ = std::fmt::Write::write_fmt(&mut w.line, format_args!("{v}"));
                }
                w.line.push('\n');
                w.out.write_all(w.line.as_bytes())
            }),
            Format::Json => self.attempt(|w| writeln!(w.out, "{}", row_json(&w.fields, row))),
            Format::Verbose => {
                if self.drawn.is_none() {
                    self.sample.push(table::cells(row));
                    if self.sample.len() >= self.options.sample_rows.max(1) {
                        self.attempt(Self::draw_head);
                    }
                } else {
                    self.batch.push(table::cells(row));
                    if self.batch.len() >= BATCH {
                        self.attempt(Self::draw_batch);
                    }
                }
            }
        }
        self.error.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A result streamed through the writer and the same result drawn whole (one table
    /// of every row, then the footer; the plain and JSON writers of whole results).
    fn both(result: &QueryResult, options: &Options) -> (String, String) {
        let mut whole = Vec::new();
        match options.format {
            Format::Verbose => {
                super::super::write_table(&mut whole, result, options).unwrap();
                writeln!(whole, "{}", super::super::footer(result)).unwrap();
            }
            Format::Plain => super::super::write_plain(&mut whole, result).unwrap(),
            Format::Json => super::super::write_json(&mut whole, result).unwrap(),
        }
        let mut streamed = Vec::new();
        let mut w = ResultWriter::new(&mut streamed, options);
        w.columns(&result.fields);
        for row in &result.rows {
            assert!(w.row(row.clone()));
        }
        let summary = QueryResult {
            fields: result.fields.clone(),
            ..QueryResult::default()
        };
        w.finish(&summary).unwrap();
        (
            String::from_utf8(whole).unwrap(),
            String::from_utf8(streamed).unwrap(),
        )
    }

    #[test]
    fn a_streamed_table_is_the_whole_table() {
        // Rows wider and narrower than the sample, multi-line cells, more rows than a batch.
        let mut rows = Vec::new();
        for i in 0..600_i64 {
            let text = match i % 5 {
                0 => "x".to_string(),
                1 => "a much longer value than the sample had".to_string(),
                2 => "two\nlines".to_string(),
                3 => "é".repeat((i % 13) as usize),
                _ => String::new(),
            };
            rows.push(vec![Value::Int(i), Value::str(&text)]);
        }
        let result = QueryResult::new(vec!["n".into(), "text".into()], rows);
        for format in [Format::Verbose, Format::Plain, Format::Json] {
            for sample_rows in [1, 3, 1000] {
                for wrap in [true, false] {
                    let mut options = Options::new(format);
                    options.sample_rows = sample_rows;
                    options.wrap = wrap;
                    let (whole, streamed) = both(&result, &options);
                    assert!(
                        streamed == whole,
                        "{format:?} sample {sample_rows} wrap {wrap}"
                    );
                }
            }
        }
    }

    #[test]
    fn empty_and_columnless_results_end_as_before() {
        for result in [
            QueryResult::new(vec!["a".into()], Vec::new()),
            QueryResult::empty(),
        ] {
            for format in [Format::Verbose, Format::Plain, Format::Json] {
                let (whole, streamed) = both(&result, &Options::new(format));
                assert_eq!(streamed, whole, "{format:?}");
            }
        }
    }

    #[test]
    fn a_closed_writer_refuses_more_rows() {
        struct Closed;
        impl Write for Closed {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::from(io::ErrorKind::BrokenPipe))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut out = Closed;
        let mut w = ResultWriter::new(&mut out, &Options::new(Format::Plain));
        w.columns(&["x".to_string()]);
        assert!(!w.row(vec![Value::Int(1)]));
        assert!(w.finish(&QueryResult::empty()).is_err());
    }
}
