//! Connections of `cysh serve`: accepting them, the limits each one lives under, and the
//! refusal of those past the cap.
//!
//! It owns what a client can hold without credentials: at most [`Limits::max_connections`]
//! connections (one more is answered 503 `Neo.TransientError.Request.NoThreadsAvailable`
//! and closed), a deadline for a request's headers that also closes a keep-alive
//! connection left idle (hyper's `header_read_timeout`, timed by tokio), a TLS handshake
//! deadline, and HTTP/2 keep-alive pings that close a peer that stopped answering. The
//! body's own size and time limits are `body.rs`'s. It must not look at requests: every
//! accepted connection goes to the router as it is.
//!
//! Plain HTTP is served as HTTP/1.1 only: hyper's automatic HTTP/2 detection waits for
//! the client's first bytes without a deadline, so a silent connection would be held
//! forever. HTTPS offers HTTP/2 by ALPN and serves whichever protocol was agreed.

use crate::error::Neo4jError;
use crate::wire;
use axum::Router;
use axum::body::Bytes;
use http_body_util::Full;
use hyper::server::conn::{http1, http2};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use hyper_util::service::TowerToHyperService;
use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio_rustls::TlsAcceptor;

/// Connections held open at most when neither `--max-connections` nor a low open-file
/// limit says otherwise.
pub const DEFAULT_MAX_CONNECTIONS: usize = 2048;

/// File descriptors kept free for everything but connections (the store, the log,
/// refusals being written).
pub const RESERVED_DESCRIPTORS: usize = 64;

/// Connections past the cap that are answered at once; more than that are closed without
/// an answer, so that refusing costs a bounded amount too.
const REFUSALS_AT_ONCE: usize = 64;

/// How long a refused client has to send its request before the refusal is dropped.
const REFUSAL_TIMEOUT: Duration = Duration::from_secs(2);

/// The limits a connection lives under.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections held open at most.
    pub max_connections: usize,
    /// The longest a client may take to send a request's headers, the longest a
    /// connection may stay idle between requests, and the TLS handshake deadline.
    pub idle_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: DEFAULT_MAX_CONNECTIONS,
            idle_timeout: Duration::from_secs(30),
        }
    }
}

/// The two HTTP versions' settings, made once and shared by every connection.
#[derive(Clone)]
struct Builders {
    http1: http1::Builder,
    http2: http2::Builder<TokioExecutor>,
}

impl Builders {
    fn new(limits: &Limits) -> Builders {
        let mut h1 = http1::Builder::new();
        h1.timer(TokioTimer::new())
            .header_read_timeout(limits.idle_timeout)
            .keep_alive(true);
        let mut h2 = http2::Builder::new(TokioExecutor::new());
        h2.timer(TokioTimer::new())
            .keep_alive_interval(limits.idle_timeout)
            .keep_alive_timeout(limits.idle_timeout)
            .max_concurrent_streams(64);
        Builders {
            http1: h1,
            http2: h2,
        }
    }

    /// Serves `io` until it closes or `graceful` asks it to finish.
    async fn serve<I>(&self, io: I, h2: bool, app: Router, graceful: Watcher)
    where
        I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let service = TowerToHyperService::new(app);
        let io = TokioIo::new(io);
        // The outcome is the client's business: a reset or a timeout ends its connection
        // and nothing else.
        if h2 {
            let _ = graceful
                .watch(self.http2.serve_connection(io, service))
                .await;
        } else {
            let _ = graceful
                .watch(self.http1.serve_connection(io, service))
                .await;
        }
    }
}

/// Accepts connections on `listener` (TLS-terminated with `tls` when given) and serves
/// each with `app` under `limits` until `shutdown` completes; then lets the requests in
/// flight finish for at most `grace`.
pub async fn run(
    listener: TcpListener,
    tls: Option<Arc<rustls::ServerConfig>>,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
) {
    let builders = Builders::new(&limits);
    let open = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let refusing = Arc::new(Semaphore::new(REFUSALS_AT_ONCE));
    let graceful = GracefulShutdown::new();
    let acceptor = tls.map(TlsAcceptor::from);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let tcp = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((tcp, _)) => tcp,
                Err(_) => {
                    // Out of file descriptors and the like: back off, as hyper's examples do.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Responses are small and written in pieces: without TCP_NODELAY, Nagle's
        // algorithm can hold the last piece back until the client acknowledges.
        let _ = tcp.set_nodelay(true);
        match Arc::clone(&open).try_acquire_owned() {
            Ok(permit) => {
                let (builders, app, graceful) = (builders.clone(), app.clone(), graceful.watcher());
                let acceptor = acceptor.clone();
                let deadline = limits.idle_timeout;
                tokio::spawn(async move {
                    match acceptor {
                        None => builders.serve(tcp, false, app, graceful).await,
                        Some(acceptor) => {
                            if let Some((tls, h2)) = handshake(&acceptor, tcp, deadline).await {
                                builders.serve(tls, h2, app, graceful).await;
                            }
                        }
                    }
                    drop(permit);
                });
            }
            Err(_) => match Arc::clone(&refusing).try_acquire_owned() {
                Ok(permit) => {
                    let acceptor = acceptor.clone();
                    let max = limits.max_connections;
                    tokio::spawn(async move {
                        refuse(tcp, acceptor, max).await;
                        drop(permit);
                    });
                }
                // Too many refusals at once: closing is the only answer left.
                Err(_) => drop(tcp),
            },
        }
    }
    drop(listener);
    // In-flight requests get `grace` to finish; an idle keep-alive connection closes at
    // once, and one that never completes its request cannot hold the process up past it.
    let _ = tokio::time::timeout(grace, graceful.shutdown()).await;
}

/// The TLS handshake within `deadline`, and whether the client agreed to HTTP/2.
async fn handshake(
    acceptor: &TlsAcceptor,
    tcp: TcpStream,
    deadline: Duration,
) -> Option<(tokio_rustls::server::TlsStream<TcpStream>, bool)> {
    let tls = tokio::time::timeout(deadline, acceptor.accept(tcp))
        .await
        .ok()?
        .ok()?;
    let h2 = tls.get_ref().1.alpn_protocol() == Some(b"h2");
    Some((tls, h2))
}

/// The answer past the cap: one 503 with Neo4j's error, then the connection closes.
async fn refuse(tcp: TcpStream, acceptor: Option<TlsAcceptor>, max: usize) {
    let body = wire::error_body(&[refusal(max)]).to_string();
    let service = hyper::service::service_fn(move |_| {
        let body = body.clone();
        async move {
            let mut response = hyper::Response::new(Full::new(Bytes::from(body)));
            *response.status_mut() = hyper::StatusCode::SERVICE_UNAVAILABLE;
            response.headers_mut().insert(
                hyper::header::CONTENT_TYPE,
                hyper::header::HeaderValue::from_static(wire::JSON),
            );
            Ok::<_, Infallible>(response)
        }
    });
    let mut h1 = http1::Builder::new();
    h1.timer(TokioTimer::new())
        .header_read_timeout(REFUSAL_TIMEOUT)
        .keep_alive(false);
    let served = async {
        match acceptor {
            None => {
                let _ = h1.serve_connection(TokioIo::new(tcp), service).await;
            }
            Some(acceptor) => {
                if let Some((tls, _)) = handshake(&acceptor, tcp, REFUSAL_TIMEOUT).await {
                    let _ = h1.serve_connection(TokioIo::new(tls), service).await;
                }
            }
        }
    };
    let _ = tokio::time::timeout(REFUSAL_TIMEOUT * 2, served).await;
}

/// Neo4j's status for a server out of workers, in cysh's words.
fn refusal(max: usize) -> Neo4jError {
    Neo4jError::new(
        wire::code::NO_THREADS,
        format!(
            "There are no available threads to serve this request at the moment: the server \
             holds its maximum of {max} connections. Retry later, or start cysh serve with a \
             larger --max-connections."
        ),
    )
}

/// The default cap for an open-file limit of `descriptors`: [`DEFAULT_MAX_CONNECTIONS`],
/// or fewer so that accepting never runs out of descriptors first (a client past the cap
/// then gets a refusal instead of a hang).
pub fn default_max_connections(descriptors: Option<u64>) -> usize {
    match descriptors {
        Some(n) => usize::try_from(n)
            .unwrap_or(usize::MAX)
            .saturating_sub(RESERVED_DESCRIPTORS)
            .clamp(1, DEFAULT_MAX_CONNECTIONS),
        None => DEFAULT_MAX_CONNECTIONS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_cap_leaves_descriptors_free() {
        assert_eq!(default_max_connections(None), DEFAULT_MAX_CONNECTIONS);
        assert_eq!(
            default_max_connections(Some(1024)),
            1024 - RESERVED_DESCRIPTORS
        );
        assert_eq!(
            default_max_connections(Some(1_000_000)),
            DEFAULT_MAX_CONNECTIONS
        );
        assert_eq!(default_max_connections(Some(10)), 1);
    }
}
