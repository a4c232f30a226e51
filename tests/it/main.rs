//! The one integration-test binary: every test here drives the real `cysh` binary.
//!
//! - `check`: `cysh check`, its JSON lines and exit statuses.
//! - `cli`: one-shot runs (positional statement, stdin, `-f`), formats and exit statuses.
//! - `durable`: the data directory: reopen, SIGKILL, one writer, damaged files, transactions.
//! - `examples`: the operator scripts under `examples/` give their committed output.
//! - `generated`: the committed man page and completions equal the generated ones.
//! - `golden`: data-driven runs under `tests/data/golden/`, one file per case.
//! - `repl`: the interactive prompt through a real pseudo-terminal.
//! - `scenarios`: embedded-cluster scripts under `tests/data/scenarios/`, two files each.
//! - `security`: users, roles and privileges; the role table under `tests/data/security/`.
//! - `http`: an in-process `cysh serve` on 127.0.0.1:0 and a raw HTTP client.
//! - `serve`: the server over real HTTP: shapes, statuses, bad input, transactions, auth.
//! - `remote`: the shell against `cysh serve` (`-a`), compared with the embedded backend.
//! - `versions`: `--cypher-version` for `cysh check` and the shell, and the `CYPHER` prefix.
//! - `twin`: `:dryrun` / `--dry-run` plans against the real run, and `cysh twin`.
//! - `wire`: the recorded Neo4j responses of the Query API reference, decoded by the client.

// Tests may unwrap and expect: a panic is how a test fails. Cargo.toml denies both in the
// product.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod check;
mod cli;
mod durable;
mod examples;
mod generated;
mod golden;
mod http;
mod remote;
mod repl;
mod scenarios;
mod security;
mod serve;
mod twin;
mod util;
mod versions;
mod wire;
