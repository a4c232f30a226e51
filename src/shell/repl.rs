//! The interactive prompt: rustyline reads lines until a statement is complete (ends with
//! `;`, or a colon-command line), then the shell runs it. History is one entry per whole
//! statement, in the file the history policy names.
//!
//! It owns line editing, history and the prompt loop. It must not execute statements
//! itself: the shell does.

use super::complete::Names;
use super::helper::ShellHelper;
use super::history::{self, HistoryPolicy};
use super::idle::IdleWatch;
use super::{Control, Shell};
use crate::dialect::split::{PieceKind, split};
use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;
use rustyline::{CompletionType, Config, Editor};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

type LineEditor = Editor<ShellHelper, FileHistory>;

/// Runs the interactive loop; returns the exit status (0 for a normal end).
pub fn run(shell: &mut Shell, policy: &HistoryPolicy, idle_timeout: Option<Duration>) -> i32 {
    let max_entries = if *policy == HistoryPolicy::Disabled {
        0
    } else {
        1000
    };
    let config = Config::builder().max_history_size(max_entries).map(|b| {
        b.auto_add_history(false)
            .completion_type(CompletionType::List)
            .build()
    });
    let mut editor: LineEditor = match config.and_then(Editor::with_config) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("Could not start the line editor: {e}");
            return 1;
        }
    };
    shell.catch_interrupts();
    let names = Rc::new(RefCell::new(Names::default()));
    // Started before the line editor takes the terminal, so the watch saves its settings
    // as the user's shell left them.
    let idle = idle_timeout.map(IdleWatch::start);
    editor.set_helper(Some(ShellHelper {
        names: Rc::clone(&names),
        colour: shell.colour,
        idle: idle.clone(),
    }));
    let history_file = match policy {
        HistoryPolicy::File(path) => match history::prepare(path)
            .and_then(|()| editor.load_history(path).map_err(std::io::Error::other))
        {
            Ok(()) => Some(path.clone()),
            Err(e) => {
                eprintln!(
                    "Could not load history file, falling back to session-based history: {e}"
                );
                None
            }
        },
        _ => None,
    };
    let info = shell.backend.info();
    match &info.impersonating {
        Some(other) => println!(
            "Connected to {} as user {} impersonating {other}.",
            info.description, info.user
        ),
        None => println!("Connected to {} as user {}.", info.description, info.user),
    }
    println!("Type :help for a list of available commands or :exit to exit the shell.");
    println!("Note that Cypher queries must end with a semicolon.");
    loop {
        if let Some(fresh) = shell.names_if_stale() {
            *names.borrow_mut() = fresh;
        }
        if let Some(w) = &idle {
            w.resume();
        }
        let line = editor.readline(&shell.prompt());
        if let Some(w) = &idle {
            w.pause();
        }
        match line {
            Ok(input) => {
                // Passwords never reach the history, in memory or on disk (cypher-shell
                // keeps such statements out too).
                if *policy != HistoryPolicy::Disabled
                    && !input.trim().is_empty()
                    && !crate::dialect::secrets::keep_out_of_history(&input)
                {
                    let _ = editor.add_history_entry(input.trim_end());
                    if let Some(path) = &history_file {
                        // Appending after every entry shares history between sessions and
                        // keeps it when the process is killed.
                        let _ = editor.append_history(path);
                    }
                }
                for piece in split(&input) {
                    let result = match &piece.kind {
                        PieceKind::Command { name, args } if name == ":history" => {
                            history_command(&mut editor, args, history_file.as_deref());
                            Ok(Control::Continue)
                        }
                        _ => shell.run_piece(&piece),
                    };
                    match result {
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

/// `:history` prints the last 16 entries numbered from 1 (continuation lines indented to
/// the text); `:history clear` empties the history and its file.
fn history_command(editor: &mut LineEditor, args: &str, file: Option<&std::path::Path>) {
    match args.trim() {
        "" => {
            let entries: Vec<String> = editor.history().iter().cloned().collect();
            let skip = entries.len().saturating_sub(16);
            for (i, entry) in entries.iter().enumerate().skip(skip) {
                let number = format!("{:>2}  ", i + 1);
                let indent = " ".repeat(number.len());
                let text = entry.replace('\n', &format!("\n{indent}"));
                println!("{number}{text}");
            }
        }
        "clear" => {
            let _ = editor.clear_history();
            if let Some(path) = file {
                let _ = std::fs::write(path, "");
            }
        }
        other => eprintln!("Unrecognised argument {other}"),
    }
}

fn bye() -> i32 {
    println!("\nBye!");
    0
}
