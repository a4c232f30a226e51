//! Bolt, Neo4j's binary protocol, shared by cysh's Bolt client (`client::bolt`) and
//! `cysh serve --bolt` (`server::bolt`): PackStream values (`packstream`), chunked framing
//! (`chunk`), the version handshake (`handshake`), messages (`message`) and the server
//! states (`state`).
//!
//! It owns the bytes and the rules of the protocol. It must not do I/O, run statements or
//! know about the cluster: its callers read and write sockets and decide what a request
//! does.

pub mod chunk;
pub mod handshake;
pub mod message;
pub mod packstream;
pub mod plan;
pub mod state;

#[cfg(test)]
mod tests;

pub use handshake::Version;
pub use message::{Meta, Request, Response};
pub use packstream::{DecodeError, Dialect};

/// The PackStream dialect of a negotiated version (`utc_patch`: a 4.4 client asked for
/// UTC date-times in HELLO's `patch_bolt`).
pub fn dialect_of(version: Version, utc_patch: bool) -> Dialect {
    if version.major >= 5 {
        Dialect::V5
    } else {
        Dialect {
            utc: utc_patch,
            element_ids: false,
        }
    }
}
