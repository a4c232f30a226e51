//! The shell: runs statements from every way in (positional, `-f`, stdin, `:source`, the
//! interactive prompt) through one statement runner, runs colon-commands, and prints
//! results and errors.
//!
//! It owns the session (parameters, database, transaction mode, output options, failure
//! policy). It talks only to `client::Backend`; it must not know which backend is behind it.

pub mod check;
mod commands;
pub mod complete;
pub mod connect;
mod connection;
mod help;
mod helper;
mod highlight;
pub mod history;
mod idle;
mod input;
mod interrupt;
pub mod launch;
mod repl;
mod topics;

use crate::client::{Backend, BackendError, Request};
use crate::dialect::split::{Piece, PieceKind};
use crate::dialect::{self, Params};
use crate::error::Neo4jError;
use crate::render::{self, Format, Options};
use crate::value::Value;
use colored::Colorize;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::cell::RefCell;
use std::io::{self, Write};

/// What a failed piece means for the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The statement or command failed; the run may go on.
    Statement,
    /// The backend is unusable; the run must stop.
    Fatal,
}

/// What the shell should do after a piece of input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// Go on.
    Continue,
    /// Leave the shell (`:exit`, `:quit`).
    Exit,
}

/// How a non-interactive run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScriptOutcome {
    /// Some statement failed.
    pub failed: bool,
    /// The input asked to exit, or the backend failed fatally.
    pub exited: bool,
}

/// A shell session over a backend.
pub struct Shell {
    backend: Box<dyn Backend>,
    params: Params,
    database: String,
    options: Options,
    colour: bool,
    in_transaction: bool,
    /// Nesting of `:source` files, bounded so a file that sources itself ends.
    source_depth: usize,
    /// Show progress of long scripts on stderr (only when stderr is a terminal).
    show_progress: bool,
    /// The progress bar of the script being run, if any.
    progress: Option<ProgressBar>,
    /// Ctrl-C while rows are written (the prompt only: `catch_interrupts`).
    interrupts: Option<interrupt::Interrupts>,
    /// While a dry run is open in the JSON format: each statement's result or error, kept
    /// for the one plan object instead of being printed (so `jq` reads one object).
    dry_run_log: RefCell<Option<Vec<serde_json::Value>>>,
    /// True while a dry run is open.
    in_dry_run: bool,
    /// When completion names were last read, and whether a statement may have changed them.
    names_read: Option<std::time::Instant>,
    names_dirty: bool,
    /// Set when the last fatal failure may have happened after the server received the
    /// statement (the connection broke or timed out): its outcome is unknown.
    outcome_unknown: bool,
    /// The Cypher version statements are parsed in (`--cypher-version`).
    version: dialect::CypherVersion,
    /// False after `:disconnect` until `:connect`: nothing is sent to the backend.
    connected: bool,
}

/// How long completion names of a remote backend stay fresh without a change (cypher-shell
/// polls its completion data every 30 s).
const NAMES_TTL: std::time::Duration = std::time::Duration::from_secs(30);

/// Scripts with at least this many statements show progress.
const PROGRESS_THRESHOLD: usize = 20;

/// How deep `:source` may nest.
const MAX_SOURCE_DEPTH: usize = 16;

impl Shell {
    /// A session on `backend`, using the `system` database.
    pub fn new(backend: Box<dyn Backend>, options: Options, colour: bool) -> Shell {
        Shell {
            backend,
            params: Params::new(),
            database: "system".into(),
            options,
            colour,
            in_transaction: false,
            source_depth: 0,
            show_progress: false,
            progress: None,
            interrupts: None,
            dry_run_log: RefCell::new(None),
            in_dry_run: false,
            names_read: None,
            names_dirty: true,
            outcome_unknown: false,
            version: dialect::CypherVersion::Cypher5,
            connected: true,
        }
    }

    /// Parses statements in Cypher `version` from now on (`--cypher-version`); a
    /// statement's own `CYPHER` prefix still wins.
    pub fn set_cypher_version(&mut self, version: dialect::CypherVersion) {
        self.version = version;
    }

    /// Fresh completion names when the cached ones may be stale: always for the embedded
    /// cluster (reading them costs microseconds), and for a server only after a statement
    /// that may have changed them or when they are older than 30 s, so a slow server does not
    /// hold up every prompt.
    pub fn names_if_stale(&mut self) -> Option<complete::Names> {
        let remote = self.backend.info().runs_cypher;
        let stale =
            !remote || self.names_dirty || self.names_read.is_none_or(|t| t.elapsed() > NAMES_TTL);
        if !stale {
            return None;
        }
        self.names_dirty = false;
        self.names_read = Some(std::time::Instant::now());
        Some(self.completion_names())
    }

    /// Lets Ctrl-C stop a statement's rows and return to the prompt, instead of ending
    /// the process (the prompt calls it; a script keeps Ctrl-C's default).
    pub fn catch_interrupts(&mut self) {
        self.interrupts = interrupt::Interrupts::install();
    }

    /// Shows `done/total statements` on stderr while long scripts run (call only when
    /// stderr is a terminal).
    pub fn show_progress(&mut self, on: bool) {
        self.show_progress = on;
    }

    /// A spinner on stderr while a WAIT command runs (terminal only, and not inside a script's
    /// progress bar): the backend answers when the servers have caught up or the wait ran out.
    fn wait_spinner(&self, wait: crate::dialect::ast::Wait) -> Option<ProgressBar> {
        let crate::dialect::ast::Wait::Wait(seconds) = wait else {
            return None;
        };
        if !self.show_progress || self.progress.is_some() {
            return None;
        }
        let spinner = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
            spinner.set_style(style);
        }
        spinner.set_message(format!(
            "WAIT: up to {seconds} s for the servers to catch up"
        ));
        spinner.tick();
        spinner.enable_steady_tick(std::time::Duration::from_millis(100));
        Some(spinner)
    }

    /// Runs `f` with the progress bar (if any) hidden, so output does not tear it.
    fn emit(&self, f: impl FnOnce()) {
        match &self.progress {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    /// The prompt: `user@database> `, with `#` in place of `>` inside a transaction.
    pub fn prompt(&self) -> String {
        if !self.connected {
            return "Disconnected> ".to_string();
        }
        let marker = if self.in_transaction { '#' } else { '>' };
        let info = self.backend.info();
        match &info.impersonating {
            Some(other) => format!("{}({other})@{}{marker} ", info.user, self.database),
            None => format!("{}@{}{marker} ", info.user, self.database),
        }
    }

    /// Uses `database` from now on (`-d`, `NEO4J_DATABASE`).
    pub fn set_database(&mut self, database: &str) {
        self.database = database.to_string();
    }

    /// The session's parameters.
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// Runs every statement of `input` in order (a positional statement, a file or stdin).
    /// With `fail_fast`, stops at the first failure. `origin` names the input in error
    /// messages (a file path), so a failure says where in the file it happened.
    pub fn run_script(
        &mut self,
        input: &str,
        fail_fast: bool,
        origin: Option<&str>,
    ) -> ScriptOutcome {
        self.run_bytes(input.as_bytes(), fail_fast, origin)
    }

    /// [`Shell::run_script`] over bytes that may not all be UTF-8: a statement holding an
    /// invalid byte fails with its position, and the others run.
    pub fn run_bytes(
        &mut self,
        input: &[u8],
        fail_fast: bool,
        origin: Option<&str>,
    ) -> ScriptOutcome {
        let mut chunker = input::Chunker::default();
        chunker.push(input);
        let pieces = chunker.take_ready(true);
        self.run_ready(&pieces, fail_fast, origin)
    }

    /// Runs statements from `reader` as each one completes (its `;` or, for a command,
    /// its line has arrived), not when the input ends: a pipe or a FIFO is served as it is
    /// written. Stops at the first failure with `fail_fast`, and at `:exit`.
    pub fn run_stream(
        &mut self,
        reader: &mut dyn io::BufRead,
        fail_fast: bool,
        origin: Option<&str>,
    ) -> io::Result<ScriptOutcome> {
        let mut chunker = input::Chunker::default();
        let mut line = Vec::new();
        let mut failed = false;
        loop {
            line.clear();
            let eof = reader.read_until(b'\n', &mut line)? == 0;
            chunker.push(&line);
            if !eof && !chunker.may_be_ready(&line) {
                continue;
            }
            let ready = chunker.take_ready(eof);
            if !ready.is_empty() {
                let outcome = self.run_ready(&ready, fail_fast, origin);
                failed |= outcome.failed;
                if outcome.exited || (outcome.failed && fail_fast) {
                    return Ok(ScriptOutcome {
                        failed,
                        exited: outcome.exited,
                    });
                }
            }
            if eof {
                return Ok(ScriptOutcome {
                    failed,
                    exited: false,
                });
            }
        }
    }

    /// Runs pieces handed out by the input, with a progress bar for long scripts.
    fn run_ready(
        &mut self,
        pieces: &[input::Ready],
        fail_fast: bool,
        origin: Option<&str>,
    ) -> ScriptOutcome {
        let mut failed = false;
        let own_bar =
            self.progress.is_none() && self.show_progress && pieces.len() >= PROGRESS_THRESHOLD;
        if own_bar {
            let bar = ProgressBar::with_draw_target(
                Some(pieces.len() as u64),
                ProgressDrawTarget::stderr(),
            );
            if let Ok(style) = ProgressStyle::with_template(
                "{spinner} {pos}/{len} statements {wide_bar} {elapsed}",
            ) {
                bar.set_style(style);
            }
            self.progress = Some(bar);
        }
        let outcome = self.run_pieces(pieces, fail_fast, origin, &mut failed);
        if let Some(bar) = self.progress.take_if(|_| own_bar) {
            bar.finish_and_clear();
        }
        outcome.unwrap_or(ScriptOutcome {
            failed,
            exited: false,
        })
    }

    /// Runs pieces in order; `Some(outcome)` when the run must end early.
    fn run_pieces(
        &mut self,
        pieces: &[input::Ready],
        fail_fast: bool,
        origin: Option<&str>,
        failed: &mut bool,
    ) -> Option<ScriptOutcome> {
        for input::Ready { piece, invalid } in pieces {
            let result = match invalid {
                // Decoding replaced what it could not read: running the rest would run
                // something else than what was written.
                Some(at) => {
                    self.print_plain_error(&format!(
                        "{}: The input is not valid UTF-8 (line {}, column {}); the statement \
                         was not run.",
                        crate::error::code::REQUEST_INVALID,
                        at.line,
                        at.column
                    ));
                    Err(Failure::Statement)
                }
                None => self.run_piece(piece),
            };
            if let Some(bar) = &self.progress {
                bar.inc(1);
            }
            match result {
                Ok(Control::Continue) => {}
                Ok(Control::Exit) => {
                    return Some(ScriptOutcome {
                        failed: *failed,
                        exited: true,
                    });
                }
                Err(Failure::Fatal) => {
                    if std::mem::take(&mut self.outcome_unknown) && piece.kind == PieceKind::Cypher
                    {
                        // The operator must know which statement to check on the server
                        // before running the script again.
                        self.print_plain_error(&format!(
                            "The outcome of the statement in {}, line {}, column {} is unknown: \
                             the connection failed after it was sent. Check the server before \
                             running it again: \"{}\"",
                            origin.unwrap_or("the input"),
                            piece.position.line,
                            piece.position.column,
                            crate::error::excerpt(&dialect::secrets::mask(&piece.text), 80)
                        ));
                    }
                    return Some(ScriptOutcome {
                        failed: true,
                        exited: true,
                    });
                }
                Err(Failure::Statement) => {
                    *failed = true;
                    if let Some(origin) = origin {
                        self.print_plain_error(&format!(
                            "(in {origin}, line {}, column {})",
                            piece.position.line, piece.position.column
                        ));
                    }
                    if fail_fast {
                        break;
                    }
                }
            }
        }
        None
    }

    /// Names for tab completion, read through the backend (so they work remote too):
    /// databases and aliases, server names and ids, procedures with signatures, and the
    /// session's parameters. What the backend cannot answer is left empty.
    pub fn completion_names(&mut self) -> complete::Names {
        let column = |rows: &[Vec<Value>], i: usize| -> Vec<String> {
            rows.iter()
                .filter_map(|r| r.get(i))
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        };
        let mut names = complete::Names {
            params: self.params.keys().cloned().collect(),
            version: self.version,
            ..complete::Names::default()
        };
        if let Some(rows) = self.quiet_query("SHOW DATABASES YIELD name, aliases") {
            names.databases = column(&rows, 0);
            for row in &rows {
                if let Some(Value::List(aliases)) = row.get(1) {
                    names
                        .databases
                        .extend(aliases.iter().filter_map(|a| a.as_str().map(String::from)));
                }
            }
            names.databases.sort();
            names.databases.dedup();
        }
        if let Some(rows) = self.quiet_query("SHOW SERVERS YIELD name, serverId") {
            names.servers = column(&rows, 0);
            names.servers.extend(column(&rows, 1));
            names.servers.sort();
            names.servers.dedup();
        }
        if let Some(rows) = self.quiet_query("SHOW PROCEDURES YIELD name, signature") {
            names.procedures = column(&rows, 0).into_iter().zip(column(&rows, 1)).collect();
        }
        names
    }

    /// Neo4j's error for a database the session cannot use because it does not exist.
    pub fn database_not_found(name: &str) -> Neo4jError {
        Neo4jError::new(
            crate::error::code::DATABASE_NOT_FOUND,
            format!("Database does not exist. Database name: '{name}'."),
        )
    }

    /// Whether `name` is a database or alias the backend knows (case-insensitive), or
    /// `None` when it cannot tell (the user may not see the list).
    pub fn database_known(&mut self, name: &str) -> Option<bool> {
        let wanted = name.to_ascii_lowercase();
        let rows = self.quiet_query("SHOW DATABASES YIELD name, aliases")?;
        let mut names: Vec<String> = Vec::new();
        for row in &rows {
            if let Some(n) = row.first().and_then(Value::as_str) {
                names.push(n.to_ascii_lowercase());
            }
            if let Some(Value::List(aliases)) = row.get(1) {
                names.extend(
                    aliases
                        .iter()
                        .filter_map(|a| a.as_str().map(str::to_ascii_lowercase)),
                );
            }
        }
        if let Some(rows) = self.quiet_query("SHOW ALIASES FOR DATABASES YIELD name") {
            names.extend(rows.iter().filter_map(|r| {
                r.first()
                    .and_then(Value::as_str)
                    .map(str::to_ascii_lowercase)
            }));
        }
        Some(wanted == "system" || names.contains(&wanted))
    }

    /// Runs an internal read statement without printing anything; `None` on any failure.
    pub(super) fn quiet_query(&mut self, text: &str) -> Option<Vec<Vec<Value>>> {
        self.quiet_result(text).map(|r| r.rows)
    }

    /// `quiet_query`, keeping the whole result (its columns too).
    pub(super) fn quiet_result(&mut self, text: &str) -> Option<crate::result::QueryResult> {
        if !self.connected {
            return None;
        }
        let statement = dialect::parse_as(text, self.version).ok()?;
        let request = Request {
            text,
            statement: &statement,
            params: &self.params,
            database: &self.database,
            on_wait: None,
        };
        self.backend.run(&request).ok()
    }

    /// Runs one statement or colon-command.
    pub fn run_piece(&mut self, piece: &Piece) -> Result<Control, Failure> {
        match &piece.kind {
            PieceKind::Command { name, args } => self.run_command(name, args),
            PieceKind::Cypher => self.run_statement(&piece.text).map(|()| Control::Continue),
        }
    }

    /// Parses, checks and runs one statement, then prints its result or error.
    pub fn run_statement(&mut self, text: &str) -> Result<(), Failure> {
        // As cypher-shell: nothing is checked or sent while disconnected.
        if !self.connected {
            return Err(self.not_connected());
        }
        let statement = match dialect::parse_as(text, self.version) {
            Ok(s) => s,
            Err(e) => {
                self.print_error(&e, text);
                return Err(Failure::Statement);
            }
        };
        // Every `$param` is checked before anything is sent: missing ones and wrong types
        // are caught here, with the position of the parameter.
        if let Err(e) = dialect::params::check_in(&statement, &self.params, Some(text)) {
            self.print_error(&e, text);
            return Err(Failure::Statement);
        }
        let spinner = self.wait_spinner(statement.wait());
        let watch = |p: crate::client::WaitProgress| {
            if let Some(spinner) = &spinner {
                spinner.set_message(format!(
                    "WAIT: {} of {} servers caught up",
                    p.caught_up, p.total
                ));
            }
        };
        let request = Request {
            text,
            statement: &statement,
            params: &self.params,
            database: &self.database,
            on_wait: spinner
                .is_some()
                .then_some(crate::client::WaitWatcher(&watch)),
        };
        // Rows are written as they come, unless a WAIT spinner is drawing (the table waits
        // until it is cleared) or a dry run collects the results for its JSON.
        let streamed = spinner.is_none() && self.dry_run_log.borrow().is_none();
        if streamed {
            let outcome = run_streamed(
                self.backend.as_mut(),
                self.progress.clone(),
                &self.options,
                self.interrupts.as_ref(),
                &request,
            );
            if outcome.is_ok() && !statement.is_read_only() {
                self.names_dirty = true;
            }
            return outcome.map_err(|e| self.backend_failure(e, text));
        }
        let outcome = self.backend.run(&request);
        if let Some(spinner) = spinner {
            spinner.finish_and_clear();
        }
        if outcome.is_ok() && !statement.is_read_only() {
            self.names_dirty = true;
        }
        match outcome {
            Ok(result) => {
                if let Some(log) = self.dry_run_log.borrow_mut().as_mut() {
                    log.push(serde_json::json!({
                        "statement": text,
                        "fields": result.fields,
                        "rows": render::rows_json(&result),
                    }));
                    return Ok(());
                }
                self.emit(|| {
                    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
                    // A closed stdout (e.g. `| head`) is not a statement failure.
                    let _ = render::write_result(&mut out, &result, &self.options);
                    let _ = out.flush();
                });
                Ok(())
            }
            Err(e) => Err(self.backend_failure(e, text)),
        }
    }

    /// Runs `input` (statements and colon-commands) as one dry run on the backend: each
    /// statement's result or error as usual, then the plan of the whole run; everything is
    /// undone. In the JSON format, one object holds the statements and the plan. Fails
    /// when any statement failed, the backend cannot dry-run, or a transaction is open.
    pub fn dry_run(
        &mut self,
        input: &[u8],
        fail_fast: bool,
        origin: Option<&str>,
    ) -> Result<(), Failure> {
        if self.in_transaction {
            self.print_plain_error(
                "There is an open transaction: :commit or :rollback it before a dry run.",
            );
            return Err(Failure::Statement);
        }
        if self.in_dry_run {
            self.print_plain_error("A dry run is already open: :dryrun cannot be nested.");
            return Err(Failure::Statement);
        }
        if let Err(e) = self.backend.dry_run_begin() {
            return Err(self.backend_failure(e, ":dryrun"));
        }
        self.in_dry_run = true;
        if self.options.format == Format::Json {
            *self.dry_run_log.borrow_mut() = Some(Vec::new());
        }
        let outcome = self.run_bytes(input, fail_fast, origin);
        self.in_dry_run = false;
        let statements = self.dry_run_log.borrow_mut().take();
        let plan = match self.backend.dry_run_finish() {
            Ok(plan) => plan,
            Err(e) => return Err(self.backend_failure(e, ":dryrun")),
        };
        self.emit(|| {
            let mut out = io::stdout().lock();
            let _ = match statements {
                Some(statements) => writeln!(
                    out,
                    "{}",
                    render::plan::plan_json(&plan, !outcome.failed, statements)
                ),
                None => {
                    // A blank line parts the statements' output from the plan.
                    let _ = writeln!(out);
                    render::plan::write_plan(&mut out, &plan, &self.options)
                }
            };
            let _ = out.flush();
        });
        match outcome {
            o if o.exited && o.failed => Err(Failure::Fatal),
            o if o.failed => Err(Failure::Statement),
            _ => Ok(()),
        }
    }

    /// Prints a backend error and classifies it. Inside an explicit transaction any error
    /// rolls the transaction back, as cypher-shell reports it.
    fn backend_failure(&mut self, error: BackendError, statement: &str) -> Failure {
        match error {
            BackendError::Statement(mut e) => {
                if self.in_transaction {
                    // The transaction is rolled back and terminated, as cypher-shell says.
                    self.in_transaction = false;
                    let _ = self.backend.rollback();
                    e.message = format!(
                        "An error occurred while in an open transaction. The transaction will be rolled back and terminated. Error: {}",
                        e.message
                    );
                }
                self.print_error(&e, statement);
                Failure::Statement
            }
            BackendError::Fatal(e) => {
                self.outcome_unknown = e.outcome_unknown();
                self.print_plain_error(&e.to_string());
                Failure::Fatal
            }
        }
    }

    /// Prints a Neo4j error: `code: message`, the statement line and a caret; or one JSON
    /// object in the JSON format.
    fn print_error(&self, error: &Neo4jError, statement: &str) {
        // A password literal is never echoed: the statement, the caret line and the
        // message show it masked.
        let (error, statement) = crate::dialect::secrets::mask_error(error, statement);
        let (error, statement) = (&error, statement.as_str());
        if let Some(log) = self.dry_run_log.borrow_mut().as_mut() {
            let error: serde_json::Value =
                serde_json::from_str(&render::error_json(error)).unwrap_or_default();
            log.push(serde_json::json!({ "statement": statement, "error": error }));
            return;
        }
        if self.options.format == Format::Json {
            self.emit(|| {
                let _ = writeln!(io::stderr().lock(), "{}", render::error_json(error));
            });
            return;
        }
        self.print_plain_error(&format!("{}: {}", error.code, error.render(statement)));
    }

    /// Prints a client-side message on stderr, red on a terminal.
    fn print_plain_error(&self, text: &str) {
        let mut err = io::stderr().lock();
        let _ = if self.colour {
            writeln!(err, "{}", text.bright_red())
        } else {
            writeln!(err, "{text}")
        };
    }

    /// Prints informational output on stdout.
    fn print_info(&self, text: &str) {
        self.emit(|| {
            let mut out = io::stdout().lock();
            let _ = writeln!(out, "{text}");
            let _ = out.flush();
        });
    }
}

/// Runs `request`, writing its rows to standard output as the backend delivers them,
/// then the footer. Buffered: standard output alone flushes at every newline, one
/// write per row (300,000 of them for SHOW DATABASES at 100,000 databases). A closed
/// standard output (`| head`) stops the statement's rows, and is not its failure.
fn run_streamed(
    backend: &mut dyn Backend,
    bar: Option<ProgressBar>,
    options: &Options,
    interrupts: Option<&interrupt::Interrupts>,
    request: &Request<'_>,
) -> Result<(), BackendError> {
    let mut run = || {
        let _running = interrupts.map(interrupt::Interrupts::running);
        let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
        let mut writer = render::ResultWriter::new(&mut out, options);
        let mut sink = interrupt::Stoppable {
            inner: &mut writer,
            interrupts,
        };
        let outcome = backend.run_to(request, &mut sink);
        if let Ok(summary) = &outcome {
            let _ = writer.finish(summary);
        }
        // What was written before a failure is shown before its error.
        let _ = out.flush();
        if outcome.is_ok() && interrupts.is_some_and(interrupt::Interrupts::was_hit) {
            return Err(BackendError::Statement(interrupted()));
        }
        outcome.map(|_| ())
    };
    match bar {
        Some(bar) => bar.suspend(run),
        None => run(),
    }
}

/// A statement whose rows Ctrl-C stopped, in Neo4j's words for a terminated transaction.
fn interrupted() -> Neo4jError {
    Neo4jError::new(
        "Neo.TransientError.Transaction.Terminated",
        "The query was interrupted (Ctrl-C) and its remaining rows were not written; the session goes on.",
    )
}
