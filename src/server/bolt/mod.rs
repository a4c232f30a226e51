//! `cysh serve --bolt`: the embedded cluster over Bolt, next to the Query API, for
//! drivers, tools and `cysh -a neo4j://…`.
//!
//! It owns the listener, one tokio task per connection, the handshake on the socket,
//! reading chunked requests and writing batched responses (pipelined requests are
//! answered in one write). It must not decide what a request means (`session.rs`) nor
//! know the protocol's bytes (`crate::bolt`). Bad input gets a FAILURE or a closed
//! connection; nothing a client sends can panic the server or hold a task forever
//! during the handshake.

mod failure;
mod session;

use super::Shared;
use crate::bolt::chunk::{self, Dechunker};
use crate::bolt::handshake::{self, Choice, VarintReader};
use crate::bolt::{Request, Response, Version};
use session::{Session, Step};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;

/// How long a new connection may take to finish the handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Responses are written once this much is buffered, so a large result streams out
/// instead of being held whole as bytes.
const FLUSH_AT: usize = 256 * 1024;

/// A bound Bolt listener and the address routing tables advertise for it.
pub struct BoltListener {
    /// The bound socket.
    pub listener: TcpListener,
    /// `host:port` that reaches it, sent in ROUTE answers.
    pub advertised: String,
}

/// Accepts Bolt connections until the task is dropped, one task each.
pub async fn accept_loop(
    bolt: BoltListener,
    shared: Arc<Shared>,
    tls: Option<Arc<rustls::ServerConfig>>,
) {
    let ids = AtomicU64::new(0);
    let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
    loop {
        let Ok((tcp, _)) = bolt.listener.accept().await else {
            // Out of file descriptors and the like: wait rather than spin.
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let _ = tcp.set_nodelay(true);
        let id = format!("bolt-{}", ids.fetch_add(1, Ordering::Relaxed));
        let shared = Arc::clone(&shared);
        let advertised = bolt.advertised.clone();
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            match acceptor {
                Some(acceptor) => {
                    let Ok(Ok(tls)) =
                        tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await
                    else {
                        return;
                    };
                    let _ = connection(tls, shared, advertised, id).await;
                }
                None => {
                    let _ = connection(tcp, shared, advertised, id).await;
                }
            }
        });
    }
}

/// The version handshake; `None` when there is nothing in common (zeros were sent) or
/// the peer is not speaking Bolt.
async fn negotiate<S: AsyncRead + AsyncWrite + Unpin>(
    io: &mut S,
) -> std::io::Result<Option<Version>> {
    let mut hello = [0u8; 20];
    io.read_exact(&mut hello).await?;
    if hello[..4] != handshake::MAGIC {
        return Ok(None);
    }
    let mut slots = [[0u8; 4]; 4];
    for (i, slot) in slots.iter_mut().enumerate() {
        slot.copy_from_slice(&hello[4 + 4 * i..8 + 4 * i]);
    }
    match handshake::choose(&slots) {
        Choice::Version(v) => {
            io.write_all(&v.bytes()).await?;
            Ok(Some(v))
        }
        Choice::None => {
            io.write_all(&[0; 4]).await?;
            Ok(None)
        }
        Choice::Manifest => {
            io.write_all(&handshake::server_manifest()).await?;
            let mut chosen = [0u8; 4];
            io.read_exact(&mut chosen).await?;
            let mut caps = VarintReader::default();
            loop {
                let b = io.read_u8().await?;
                match caps.push(b) {
                    Ok(Some(_)) => break,
                    Ok(None) => {}
                    Err(_) => return Ok(None),
                }
            }
            let v = Version::new(chosen[3], chosen[2]);
            // The client must choose one of the offered versions, without a range.
            let offered = handshake::manifest_ranges()
                .into_iter()
                .any(|r| handshake::expand(r).any(|o| o == v));
            Ok((chosen[1] == 0 && offered && handshake::supported(v)).then_some(v))
        }
    }
}

/// Serves one connection until GOODBYE, a closing failure or the peer going away.
async fn connection<S: AsyncRead + AsyncWrite + Unpin>(
    mut io: S,
    shared: Arc<Shared>,
    advertised: String,
    id: String,
) -> std::io::Result<()> {
    let version = match tokio::time::timeout(HANDSHAKE_TIMEOUT, negotiate(&mut io)).await {
        Ok(Ok(Some(v))) => v,
        _ => {
            let _ = io.shutdown().await;
            return Ok(());
        }
    };
    let mut session = Session::new(shared, advertised, version, id);
    let mut dechunker = Dechunker::default();
    let mut buf = vec![0u8; 64 * 1024];
    let mut out = Vec::new();
    let mut responses = Vec::new();
    let mut message = Vec::new();
    loop {
        loop {
            let next = match dechunker.next_message() {
                Ok(Some(m)) => m,
                Ok(None) => break,
                Err(e) => {
                    let step = session.malformed(&e.to_string(), &mut responses);
                    write_responses(&mut out, &mut message, &mut responses, &session);
                    return finish(&mut io, &out, step).await;
                }
            };
            let mut step = match Request::decode(&next) {
                Ok(request) => session.handle(request, &mut responses).await,
                Err(e) => session.malformed(&e.to_string(), &mut responses),
            };
            write_responses(&mut out, &mut message, &mut responses, &session);
            // A long PULL: its records go out a batch at a time.
            while step == Step::More {
                if out.len() >= FLUSH_AT {
                    io.write_all(&out).await?;
                    out.clear();
                }
                step = session.resume(&mut responses);
                write_responses(&mut out, &mut message, &mut responses, &session);
            }
            if step == Step::Close {
                return finish(&mut io, &out, step).await;
            }
            if out.len() >= FLUSH_AT {
                io.write_all(&out).await?;
                out.clear();
            }
        }
        if !out.is_empty() {
            io.write_all(&out).await?;
            out.clear();
        }
        let n = io.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        dechunker.push(&buf[..n]);
    }
}

fn write_responses(
    out: &mut Vec<u8>,
    message: &mut Vec<u8>,
    responses: &mut Vec<Response>,
    session: &Session,
) {
    for r in responses.drain(..) {
        message.clear();
        r.encode_into(message, session.dialect());
        chunk::write_message(out, message);
    }
}

async fn finish<S: AsyncWrite + Unpin>(io: &mut S, out: &[u8], _: Step) -> std::io::Result<()> {
    io.write_all(out).await?;
    io.flush().await?;
    let _ = io.shutdown().await;
    Ok(())
}
