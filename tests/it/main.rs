//! The one integration-test binary: every test here drives the real `cysh` binary.
//!
//! - `cli`: one-shot runs (positional statement, stdin, `-f`), formats and exit statuses.
//! - `golden`: data-driven runs under `tests/data/golden/`, one file per case.
//! - `repl`: the interactive prompt through a real pseudo-terminal.

mod cli;
mod golden;
mod repl;
mod util;
