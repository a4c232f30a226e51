//! cysh: a native admin shell for Neo4j clusters.
//!
//! Code map (ARCHITECTURE.md has the full picture):
//! - [`dialect`]: text → statements (splitter, parser, parameter checks); no I/O.
//! - [`cluster`]: the embedded control plane; synchronous and deterministic.
//! - [`store`]: the embedded cluster's durable home (SQLite in a data directory, one writer).
//! - [`client`]: the one [`client::Backend`] trait and its backends (embedded, HTTP, Bolt).
//! - [`wire`]: the HTTP Query API's JSON, the only code that knows it.
//! - [`bolt`]: the Bolt protocol (PackStream, chunks, handshake, messages, states); no I/O.
//! - [`server`]: `cysh serve`, the embedded cluster behind the Query API and Bolt.
//! - [`twin`]: `cysh twin`, a live cluster copied into a data directory.
//! - [`render`]: results → text; pure.
//! - [`shell`]: the ways in (statement, file, stdin, prompt) and the statement runner.
//! - [`cli`]: the command-line definition; [`generate`]: man page and completions from it.
//! - [`value`], [`result`], [`error`]: the vocabulary every part shares.
// Lints live in Cargo.toml's [lints]; tests may unwrap (a panic is their failure).
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod bolt;
pub mod cli;
pub mod client;
pub mod cluster;
pub mod dialect;
pub mod error;
pub mod generate;
pub mod render;
pub mod result;
pub mod server;
pub mod shell;
pub mod store;
pub mod twin;
pub mod value;
pub mod wire;
