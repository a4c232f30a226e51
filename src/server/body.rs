//! Reading a request body within the server's size and time limits.
//!
//! It owns one promise: a refused request still gets its answer. A server that answers
//! "too large" (or 401, or 415) without reading the body closes the connection under a
//! client that is still writing, and the client sees a broken pipe instead of Neo4j's
//! error. So a body is always read to its end — kept while it fits the limit, discarded
//! beyond it — up to [`DRAIN_FACTOR`] times the limit and the drain time. Only a body
//! larger than that is cut off. It must not decode the body (`wire::request` does).

use axum::body::{Body, Bytes};
use http_body_util::BodyExt;
use std::time::Duration;

/// How many times the size limit the server reads, and discards, so that an oversized
/// request still gets its error; larger bodies are cut off.
pub const DRAIN_FACTOR: usize = 8;

/// The longest the server spends discarding a body it has already refused.
pub const DRAIN_TIME: Duration = Duration::from_secs(5);

/// Why a body was not read.
#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    /// Larger than the limit.
    TooLarge,
    /// The client broke off or sent something that is not a body.
    Unreadable,
    /// Not all of it arrived in time.
    Timeout,
}

/// Reads `body` if it is at most `limit` bytes and arrives within `timeout`.
pub async fn read(body: Body, limit: usize, timeout: Duration) -> Result<Bytes, BodyError> {
    let cap = drain_cap(limit);
    match tokio::time::timeout(timeout, collect(body, limit, cap)).await {
        Ok(result) => result,
        Err(_) => Err(BodyError::Timeout),
    }
}

/// Reads and discards the body of a request refused for another reason (401, 415),
/// within the drain cap for `limit` and [`DRAIN_TIME`].
pub async fn discard(body: Body, limit: usize) {
    let _ = tokio::time::timeout(DRAIN_TIME, collect(body, 0, drain_cap(limit))).await;
}

fn drain_cap(limit: usize) -> usize {
    limit.max(1).saturating_mul(DRAIN_FACTOR)
}

/// Reads to the end, keeping at most `keep` bytes and giving up beyond `cap`.
async fn collect(mut body: Body, keep: usize, cap: usize) -> Result<Bytes, BodyError> {
    // A declared length beyond the cap is refused before reading a byte of it.
    if axum::body::HttpBody::size_hint(&body).lower() > cap as u64 {
        return Err(BodyError::TooLarge);
    }
    let mut kept: Vec<u8> = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| BodyError::Unreadable)?;
        let Ok(data) = frame.into_data() else {
            continue; // trailers carry nothing the Query API reads
        };
        seen = seen.saturating_add(data.len());
        if seen > cap {
            return Err(BodyError::TooLarge);
        }
        if seen <= keep {
            kept.extend_from_slice(&data);
        }
    }
    if seen > keep {
        Err(BodyError::TooLarge)
    } else {
        Ok(Bytes::from(kept))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body::Frame;
    use std::pin::Pin;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::{Context, Poll};

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
    }

    fn body_of(n: usize) -> Body {
        Body::from(vec![b'x'; n])
    }

    #[test]
    fn a_body_within_the_limit_is_kept_whole() {
        let got = rt().block_on(read(body_of(10), 10, Duration::from_secs(1)));
        assert_eq!(got.unwrap().len(), 10);
    }

    #[test]
    fn an_oversized_body_is_read_to_its_end_then_refused() {
        let read_chunks = Arc::new(AtomicUsize::new(0));
        let body = Body::new(Chunks::new(5, &read_chunks));
        let got = rt().block_on(read(body, 10, Duration::from_secs(1)));
        assert_eq!(got, Err(BodyError::TooLarge));
        assert_eq!(read_chunks.load(Ordering::SeqCst), 5, "drained to the end");
    }

    #[test]
    fn a_declared_length_beyond_the_drain_cap_is_refused_unread() {
        let got = rt().block_on(read(
            body_of(10 * DRAIN_FACTOR + 1),
            10,
            Duration::from_secs(1),
        ));
        assert_eq!(got, Err(BodyError::TooLarge));
    }

    #[test]
    fn a_streamed_body_beyond_the_drain_cap_is_cut_off() {
        // No declared length: the cap applies while reading.
        let read_chunks = Arc::new(AtomicUsize::new(0));
        let body = Body::new(Chunks::new(100, &read_chunks));
        let got = rt().block_on(read(body, 10, Duration::from_secs(1)));
        assert_eq!(got, Err(BodyError::TooLarge));
        assert_eq!(read_chunks.load(Ordering::SeqCst), DRAIN_FACTOR + 1);
    }

    #[test]
    fn a_refused_requests_body_is_discarded_to_its_end() {
        let read_chunks = Arc::new(AtomicUsize::new(0));
        let body = Body::new(Chunks::new(3, &read_chunks));
        rt().block_on(discard(body, 100));
        assert_eq!(read_chunks.load(Ordering::SeqCst), 3);
    }

    /// A body of ten-byte chunks that does not declare its length and counts the chunks
    /// read from it.
    struct Chunks {
        left: usize,
        read: Arc<AtomicUsize>,
    }

    impl Chunks {
        fn new(n: usize, read: &Arc<AtomicUsize>) -> Chunks {
            Chunks {
                left: n,
                read: Arc::clone(read),
            }
        }
    }

    impl axum::body::HttpBody for Chunks {
        type Data = Bytes;
        type Error = std::io::Error;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
            if self.left == 0 {
                return Poll::Ready(None);
            }
            self.left -= 1;
            self.read.fetch_add(1, Ordering::SeqCst);
            Poll::Ready(Some(Ok(Frame::data(Bytes::from(vec![b'x'; 10])))))
        }
    }
}
