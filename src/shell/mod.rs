//! The shell: runs statements from every way in (positional, `-f`, stdin, the interactive
//! prompt) through one statement runner, and prints results and errors.
//!
//! It owns the session (parameters, database, output format, failure policy). It talks
//! only to `client::Backend`; it must not know which backend is behind it.

pub mod check;
pub mod launch;
mod repl;

use crate::client::{Backend, BackendError, Request};
use crate::dialect::split::{Piece, PieceKind, split};
use crate::dialect::{self, Params};
use crate::error::Neo4jError;
use crate::render::{self, Format};
use colored::Colorize;
use std::io::{self, Write};

/// What a failed statement means for the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The statement failed; the run may go on.
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

/// A shell session over a backend.
pub struct Shell {
    backend: Box<dyn Backend>,
    params: Params,
    database: String,
    format: Format,
    colour: bool,
}

impl Shell {
    /// A session on `backend`, using the `system` database.
    pub fn new(backend: Box<dyn Backend>, format: Format, colour: bool) -> Shell {
        Shell {
            backend,
            params: Params::new(),
            database: "system".into(),
            format,
            colour,
        }
    }

    /// The prompt: `user@database> `.
    pub fn prompt(&self) -> String {
        format!("{}@{}> ", self.backend.info().user, self.database)
    }

    /// Runs every statement of `input` in order (a positional statement, a file or stdin).
    /// With `fail_fast`, stops at the first failure. Returns whether all succeeded, or the
    /// shell was asked to exit.
    pub fn run_script(&mut self, input: &str, fail_fast: bool) -> ScriptOutcome {
        let mut failed = false;
        for piece in split(input) {
            match self.run_piece(&piece) {
                Ok(Control::Continue) => {}
                Ok(Control::Exit) => {
                    return ScriptOutcome {
                        failed,
                        exited: true,
                    };
                }
                Err(Failure::Fatal) => {
                    return ScriptOutcome {
                        failed: true,
                        exited: true,
                    };
                }
                Err(Failure::Statement) => {
                    failed = true;
                    if fail_fast {
                        break;
                    }
                }
            }
        }
        ScriptOutcome {
            failed,
            exited: false,
        }
    }

    /// Runs one statement or colon-command.
    pub fn run_piece(&mut self, piece: &Piece) -> Result<Control, Failure> {
        match &piece.kind {
            PieceKind::Command { name, args } => self.run_command(name, args),
            PieceKind::Cypher => self.run_statement(&piece.text).map(|()| Control::Continue),
        }
    }

    fn run_command(&mut self, name: &str, _args: &str) -> Result<Control, Failure> {
        match name {
            ":exit" | ":quit" => Ok(Control::Exit),
            ":help" | ":man" => {
                let _ = writeln!(
                    io::stdout(),
                    "\nAvailable commands:\n  :exit  Exit the shell\n  :help  Show this help message\n  :quit  Exit the shell\n"
                );
                Ok(Control::Continue)
            }
            _ => {
                self.print_plain_error(&format!(
                    "Could not find command {name}, use :help to see available commands"
                ));
                Err(Failure::Statement)
            }
        }
    }

    /// Parses, checks and runs one statement, then prints its result or error.
    pub fn run_statement(&mut self, text: &str) -> Result<(), Failure> {
        let statement = match dialect::parse(text) {
            Ok(s) => s,
            Err(e) => {
                self.print_error(&e, text);
                return Err(Failure::Statement);
            }
        };
        let request = Request {
            text,
            statement: &statement,
            params: &self.params,
            database: &self.database,
        };
        match self.backend.run(&request) {
            Ok(result) => {
                let mut out = io::stdout().lock();
                // A closed stdout (e.g. `| head`) is not a statement failure.
                let _ = render::write_result(&mut out, &result, self.format);
                let _ = out.flush();
                Ok(())
            }
            Err(BackendError::Statement(e)) => {
                self.print_error(&e, text);
                Err(Failure::Statement)
            }
            Err(BackendError::Fatal(message)) => {
                self.print_plain_error(&message);
                Err(Failure::Fatal)
            }
        }
    }

    fn print_error(&self, error: &Neo4jError, statement: &str) {
        let text = format!("{}: {}", error.code, error.render(statement));
        self.print_plain_error(&text);
    }

    fn print_plain_error(&self, text: &str) {
        let mut err = io::stderr().lock();
        let _ = if self.colour {
            writeln!(err, "{}", text.bright_red())
        } else {
            writeln!(err, "{text}")
        };
    }
}

/// How a non-interactive run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScriptOutcome {
    /// Some statement failed.
    pub failed: bool,
    /// The input asked to exit, or the backend failed fatally.
    pub exited: bool,
}
