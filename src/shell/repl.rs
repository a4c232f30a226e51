//! The interactive prompt: rustyline reads lines until a statement is complete (ends with
//! `;`, or a colon-command line), then the shell runs it.
//!
//! It owns line editing and the prompt loop. It must not execute statements itself.

use super::{Control, Shell};
use crate::dialect::split::{is_incomplete, split};
use rustyline::error::ReadlineError;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Completer, Editor, Helper, Highlighter, Hinter};

/// Keeps reading lines while the input is an unterminated statement.
#[derive(Completer, Helper, Highlighter, Hinter)]
struct StatementValidator;

impl Validator for StatementValidator {
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        Ok(if is_incomplete(ctx.input()) {
            ValidationResult::Incomplete
        } else {
            ValidationResult::Valid(None)
        })
    }
}

/// Runs the interactive loop; returns the exit status (0 for a normal end).
pub fn run(shell: &mut Shell) -> i32 {
    let mut editor: Editor<StatementValidator, _> = match Editor::new() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("Could not start the line editor: {e}");
            return 1;
        }
    };
    editor.set_helper(Some(StatementValidator));
    let info = shell.backend.info();
    println!("Connected to {} as user {}.", info.description, info.user);
    println!("Type :help for a list of available commands or :exit to exit the shell.");
    println!("Note that Cypher queries must end with a semicolon.");
    loop {
        match editor.readline(&shell.prompt()) {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                }
                for piece in split(&line) {
                    match shell.run_piece(&piece) {
                        Ok(Control::Exit) => return bye(),
                        Ok(Control::Continue) => {}
                        // An error ends this line's remaining statements, as in cypher-shell.
                        Err(_) => break,
                    }
                }
            }
            Err(ReadlineError::Interrupted) => {
                eprintln!(
                    "Interrupted (Note that Cypher queries must end with a semicolon. Type :exit to exit the shell.)"
                );
            }
            Err(ReadlineError::Eof) => return bye(),
            Err(e) => {
                eprintln!("Could not read input: {e}");
                return 1;
            }
        }
    }
}

fn bye() -> i32 {
    println!("\nBye!");
    0
}
