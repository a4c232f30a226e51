//! Bolt's chunked framing: a message is one or more chunks (`u16` length, then that many
//! bytes) ended by an empty chunk; an empty chunk between messages is a NOOP keep-alive.
//!
//! It owns splitting messages into chunks and reassembling them from whatever pieces the
//! socket delivers. It must not read sockets itself (callers feed it bytes, so the client's
//! blocking streams and the server's async ones share it) nor look inside messages.

/// The largest chunk body.
pub const MAX_CHUNK: usize = 0xFFFF;

/// The largest message accepted by default: large enough for any admin statement with
/// its parameters, small enough that a peer cannot make us hold gigabytes.
pub const DEFAULT_MAX_MESSAGE: usize = 64 * 1024 * 1024;

/// Why the byte stream is not well-framed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// A message grew beyond the limit.
    #[error("Bolt message larger than {0} bytes")]
    TooLarge(usize),
}

/// Appends `message` to `out` as chunks and the end marker.
pub fn write_message(out: &mut Vec<u8>, message: &[u8]) {
    out.reserve(message.len() + 2 * (message.len() / MAX_CHUNK + 2));
    for chunk in message.chunks(MAX_CHUNK) {
        out.extend_from_slice(&(chunk.len() as u16).to_be_bytes());
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&[0, 0]);
}

/// The bytes of a NOOP keep-alive.
pub const NOOP: [u8; 2] = [0, 0];

/// Reassembles messages from bytes as they arrive.
#[derive(Debug)]
pub struct Dechunker {
    /// Bytes received and not yet consumed.
    pending: Vec<u8>,
    /// Where unread bytes start in `pending`.
    start: usize,
    /// The message being assembled.
    message: Vec<u8>,
    /// True when `message` has at least one chunk (so an empty chunk ends it rather than
    /// being a NOOP).
    open: bool,
    max: usize,
}

impl Default for Dechunker {
    fn default() -> Self {
        Dechunker::new(DEFAULT_MAX_MESSAGE)
    }
}

impl Dechunker {
    /// A dechunker refusing messages longer than `max` bytes.
    pub fn new(max: usize) -> Dechunker {
        Dechunker {
            pending: Vec::new(),
            start: 0,
            message: Vec::new(),
            open: false,
            max,
        }
    }

    /// Adds received bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.start > 0 && self.start == self.pending.len() {
            self.pending.clear();
            self.start = 0;
        }
        self.pending.extend_from_slice(bytes);
    }

    /// True when no partial message or unread bytes are held.
    pub fn is_idle(&self) -> bool {
        !self.open && self.start == self.pending.len()
    }

    /// The next complete message, if the bytes so far hold one. NOOPs are skipped.
    pub fn next_message(&mut self) -> Result<Option<Vec<u8>>, FrameError> {
        loop {
            let rest = &self.pending[self.start..];
            if rest.len() < 2 {
                self.compact();
                return Ok(None);
            }
            let len = usize::from(u16::from_be_bytes([rest[0], rest[1]]));
            if len == 0 {
                self.start += 2;
                if self.open {
                    self.open = false;
                    return Ok(Some(std::mem::take(&mut self.message)));
                }
                continue;
            }
            if rest.len() < 2 + len {
                self.compact();
                return Ok(None);
            }
            if self.message.len() + len > self.max {
                return Err(FrameError::TooLarge(self.max));
            }
            self.message.extend_from_slice(&rest[2..2 + len]);
            self.open = true;
            self.start += 2 + len;
        }
    }

    fn compact(&mut self) {
        if self.start > 0 {
            self.pending.drain(..self.start);
            self.start = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_small_and_multi_chunk() {
        for size in [1usize, 10, MAX_CHUNK, MAX_CHUNK + 1, 3 * MAX_CHUNK + 7] {
            let msg: Vec<u8> = (0..size).map(|i| i as u8).collect();
            let mut wire = Vec::new();
            wire.extend_from_slice(&NOOP);
            write_message(&mut wire, &msg);
            write_message(&mut wire, b"xy");
            // Fed byte by byte, as a slow socket would.
            let mut d = Dechunker::default();
            let mut got = Vec::new();
            for b in &wire {
                d.push(std::slice::from_ref(b));
                while let Some(m) = d.next_message().unwrap() {
                    got.push(m);
                }
            }
            assert_eq!(got, vec![msg, b"xy".to_vec()]);
            assert!(d.is_idle());
        }
    }

    #[test]
    fn refuses_oversized_messages() {
        let mut wire = Vec::new();
        write_message(&mut wire, &[1u8; 100]);
        let mut d = Dechunker::new(50);
        d.push(&wire);
        assert_eq!(d.next_message(), Err(FrameError::TooLarge(50)));
    }
}
