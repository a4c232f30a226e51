//! The one integration-test binary: every test here drives the real `cysh` binary.
//!
//! - `bolt`: `cysh serve --bolt` byte by byte: handshakes, malformed input, auth, routing.
//! - `bolt_client`: `-a neo4j://` / `bolt://` against `cysh serve --bolt` and scripted servers.
//! - `bolt_drivers`: the official Python and JavaScript drivers against `cysh serve --bolt`.
//! - `check`: `cysh check`, its JSON lines and exit statuses.
//! - `cli`: one-shot runs (positional statement, stdin, `-f`), formats and exit statuses.
//! - `docs`: every command of README.md and the man page runs as written; the tour's
//!   transcript is what the shell prints.
//! - `durable`: the data directory: reopen, SIGKILL, one writer, damaged files, transactions.
//! - `examples`: the operator scripts under `examples/` give their committed output.
//! - `generated`: the committed man page and completions equal the generated ones.
//! - `golden`: data-driven runs under `tests/data/golden/`, one file per case.
//! - `hostile`: 100,000-term chains, 100,000-deep nesting and deep values through check,
//!   the shell and a served process; nothing aborts.
//! - `parity`: cypher-shell's flags cysh implements in its own way: `--log`,
//!   `--transaction-timeout`, `--driver-version`, statistics over Bolt and HTTP.
//! - `repl`: the interactive prompt through a real pseudo-terminal.
//! - `scenarios`: embedded-cluster scripts under `tests/data/scenarios/`, two files each.
//! - `secrets`: no secret at rest, in the history or in an echoed statement.
//! - `security`: users, roles and privileges; the role table under `tests/data/security/`.
//! - `streaming`: pipes and FIFOs run each statement as it arrives; invalid UTF-8.
//! - `http`: an in-process `cysh serve` on 127.0.0.1:0 and a raw HTTP client.
//! - `load`: many clients, idle and slow connections, the connection cap and deadlines
//!   against a served process (short; `CYSH_LOAD_LONG=1` for the full figures).
//! - `serve`: the server over real HTTP: shapes, statuses, bad input, transactions, auth.
//! - `remote`: the shell against `cysh serve` (`-a`), compared with the embedded backend.
//! - `versions`: `--cypher-version` for `cysh check` and the shell, and the `CYPHER` prefix.
//! - `twin`: `:dryrun` / `--dry-run` plans against the real run, and `cysh twin`.
//! - `wire`: the recorded Neo4j responses of the Query API reference, decoded by the client.

// Tests may unwrap and expect: a panic is how a test fails. Cargo.toml denies both in the
// product.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bolt;
mod bolt_client;
mod bolt_drivers;
mod check;
mod cli;
mod docs;
mod durable;
mod examples;
mod generated;
mod golden;
mod hostile;
mod http;
mod load;
mod parity;
mod remote;
mod repl;
mod results;
mod scenarios;
mod secrets;
mod security;
mod serve;
mod streaming;
mod twin;
mod util;
mod versions;
mod wire;
