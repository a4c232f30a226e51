//! The connection log of `--log [FILE]`: one timestamped line per thing the clients do on
//! the wire (connecting, logging in, routing, each statement sent and how it ended, HTTP
//! exchanges), to standard error or appended to a file, as cypher-shell's driver log.
//!
//! It owns the sink and the line format. It must never receive a secret: callers pass
//! user names, addresses, codes and statement text masked by `dialect::secrets::mask`,
//! never passwords, tokens or parameter values.

use std::io::Write;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

/// Where log lines go, once `--log` chose; unset means logging is off.
static SINK: OnceLock<Mutex<Box<dyn Write + Send>>> = OnceLock::new();

/// Why `--log FILE` could not be used.
#[derive(Debug, thiserror::Error)]
#[error("Cannot write the log to {path}: {source}")]
pub struct LogError {
    /// The file.
    pub path: String,
    /// Why.
    pub source: std::io::Error,
}

/// Turns logging on: to `file` (appended to, created with mode 0600), or standard error
/// when `None`. A second call changes nothing.
pub fn enable(file: Option<&Path>) -> Result<(), LogError> {
    let sink: Box<dyn Write + Send> = match file {
        None => Box::new(std::io::stderr()),
        Some(path) => {
            let mut options = std::fs::OpenOptions::new();
            options.create(true).append(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            Box::new(options.open(path).map_err(|source| LogError {
                path: path.display().to_string(),
                source,
            })?)
        }
    };
    let _ = SINK.set(Mutex::new(sink));
    Ok(())
}

/// True when `--log` was given (callers skip building a line otherwise).
pub fn enabled() -> bool {
    SINK.get().is_some()
}

/// Writes one line: an RFC 3339 UTC timestamp, then `what`. A failed write is dropped:
/// the log must never stop a statement.
pub fn line(what: std::fmt::Arguments<'_>) {
    let Some(sink) = SINK.get() else {
        return;
    };
    let now = jiff::Timestamp::now();
    if let Ok(mut out) = sink.lock() {
        let _ = writeln!(out, "{now:.3} {what}");
        let _ = out.flush();
    }
}

/// Logs a statement about to be sent: where to (`what`), then its text with passwords
/// masked.
pub fn statement(what: std::fmt::Arguments<'_>, text: &str) {
    if enabled() {
        let masked = crate::dialect::secrets::mask(text);
        line(format_args!("{what}: {masked}"));
    }
}
