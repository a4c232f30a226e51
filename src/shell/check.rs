//! `cysh check`: reads files (or standard input), checks every statement with
//! `dialect::check`, prints a verdict per statement (JSON lines with `--json`, otherwise
//! each problem with its caret), and returns the exit status: 0 all valid, 1 any invalid,
//! 2 for usage or I/O errors.
//!
//! It owns the command's I/O and output layout. It must not parse statements itself.

use crate::cli::CheckArgs;
use crate::dialect::check::{JsonLine, Report, check_script_with};
use crate::dialect::{Params, eval_assignment};
use std::io::{self, Read, Write};

/// Runs `cysh check` and returns the exit status.
pub fn run(args: &CheckArgs) -> i32 {
    let mut params = Params::new();
    for p in &args.params {
        match eval_assignment(p, &params, jiff::Timestamp::now()) {
            Ok(values) => params.extend(values),
            Err(e) => {
                eprintln!("cysh check: invalid -P {p}: {}", e.full_message());
                return 2;
            }
        }
    }
    let mut inputs: Vec<(String, String)> = Vec::new();
    if args.files.is_empty() {
        let mut text = String::new();
        if let Err(e) = io::stdin().read_to_string(&mut text) {
            eprintln!("cysh check: cannot read standard input: {e}");
            return 2;
        }
        inputs.push(("<stdin>".into(), text));
    }
    for path in &args.files {
        match std::fs::read_to_string(path) {
            Ok(text) => inputs.push((path.display().to_string(), text)),
            Err(e) => {
                eprintln!("cysh check: cannot read {}: {e}", path.display());
                return 2;
            }
        }
    }
    let several = inputs.len() > 1;
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut statements = 0;
    let mut invalid = 0;
    for (source, text) in &inputs {
        // Each file is its own session: `:param` lines apply to the rest of their file.
        let mut session = params.clone();
        let mut failed_write = false;
        check_script_with(text, &mut session, jiff::Timestamp::now(), |report| {
            statements += 1;
            invalid += usize::from(report.outcome.is_err());
            let written = if args.json {
                json_line(&mut out, &report, several.then_some(source.as_str()))
            } else {
                human(&mut out, &report, source)
            };
            failed_write |= written.is_err();
        });
        if failed_write {
            return 2;
        }
    }
    if !args.json {
        let _ = writeln!(
            out,
            "{statements} statement{} checked, {invalid} invalid",
            if statements == 1 { "" } else { "s" }
        );
    }
    if out.flush().is_err() {
        return 2;
    }
    i32::from(invalid > 0)
}

/// One JSON object per line. With several files a `file` key comes first so the lines
/// stay attributable; with one input the object is exactly PRODUCT.md's.
fn json_line(out: &mut impl Write, report: &Report, file: Option<&str>) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &JsonLine { report, file })?;
    out.write_all(b"\n")
}

/// A problem as `source:line:column: code: message`, then the statement line and a caret
/// (the position is the statement's in the input plus the error's inside it).
fn human(out: &mut impl Write, report: &Report, source: &str) -> io::Result<()> {
    let Err(e) = &report.outcome else {
        return Ok(());
    };
    let (line, column) = match e.position {
        Some(p) if p.line == 1 => (report.line, report.column + p.column - 1),
        Some(p) => (report.line + p.line - 1, p.column),
        None => (report.line, report.column),
    };
    let (e, text) = crate::dialect::secrets::mask_error(e, &report.text);
    writeln!(
        out,
        "{source}:{line}:{column}: {}: {}",
        e.code,
        e.render(&text)
    )
}
