//! One client connection to a Bolt server: TCP (and TLS through rustls), the handshake
//! (manifest v1 first, then 5.8–5.6, 5.4–5.0 and 4.4), HELLO and LOGON, and sending
//! requests and reading responses.
//!
//! It owns the socket and the connection-level failures (unreachable, TLS, no common
//! version, protocol errors), worded with the address and what to try. It must not
//! decide which server to use (`routing.rs`) nor what a statement means (`mod.rs`).

use super::address::{BoltAddress, Security};
use crate::bolt::chunk::{self, Dechunker};
use crate::bolt::handshake::{self, VarintReader};
use crate::bolt::{Dialect, Meta, Request, Response, Version, dialect_of};
use crate::client::ConnectionError;
use crate::value::Value;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// How long to wait for a TCP connection and the handshake.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A socket, plain or TLS.
trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// An open, authenticated Bolt connection.
pub struct Connection {
    io: Box<dyn Io>,
    dechunker: Dechunker,
    buf: Vec<u8>,
    /// The negotiated version.
    pub version: Version,
    dialect: Dialect,
    /// The server's agent from HELLO (`Neo4j/5.26.0`).
    pub server: String,
    /// Requests sent whose summary (SUCCESS, FAILURE or IGNORED) has not been read yet.
    pub pending: usize,
}

/// Why a connection failed (the caller turns it into a `ConnectionError` or retries).
#[derive(Debug, thiserror::Error)]
pub enum ConnError {
    /// Reading or writing the socket failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The peer sent bytes that are not Bolt.
    #[error("{0}")]
    Protocol(String),
}

fn user_agent() -> String {
    format!("cysh/{}", env!("CARGO_PKG_VERSION"))
}

fn tls_config(security: Security) -> Result<Arc<rustls::ClientConfig>, String> {
    crate::client::tls::install_crypto_provider();
    let config = match security {
        Security::SelfSigned => rustls::ClientConfig::builder()
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAny::new()))
            .with_no_client_auth(),
        _ => {
            use rustls_platform_verifier::BuilderVerifierExt;
            rustls::ClientConfig::builder()
                .with_platform_verifier()
                .map_err(|e| e.to_string())?
                .with_no_client_auth()
        }
    };
    Ok(Arc::new(config))
}

/// `+ssc`: any certificate is accepted (signatures are still checked, so the handshake
/// is with whoever holds the certificate's key), as the drivers' "trust all" does.
#[derive(Debug)]
struct AcceptAny(Arc<rustls::crypto::CryptoProvider>);

impl AcceptAny {
    fn new() -> AcceptAny {
        AcceptAny(Arc::new(rustls::crypto::ring::default_provider()))
    }
}

impl rustls::client::danger::ServerCertVerifier for AcceptAny {
    fn verify_server_cert(
        &self,
        _: &rustls::pki_types::CertificateDer<'_>,
        _: &[rustls::pki_types::CertificateDer<'_>],
        _: &rustls::pki_types::ServerName<'_>,
        _: &[u8],
        _: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// The one-line failure for a TLS error.
fn tls_error(shown: &str, e: &std::io::Error) -> ConnectionError {
    let detail = e
        .get_ref()
        .map_or_else(|| e.to_string(), |inner| inner.to_string());
    let untrusted = [
        "UnknownIssuer",
        "CaUsedAsEndEntity",
        "NotValidForName",
        "Expired",
        "BadSignature",
        "invalid peer certificate",
    ]
    .iter()
    .any(|k| detail.contains(k));
    if untrusted {
        ConnectionError::UntrustedCertificate {
            address: shown.to_string(),
            detail: format!("{detail}; for a self-signed certificate use the +ssc scheme"),
        }
    } else {
        ConnectionError::Tls {
            address: shown.to_string(),
            detail,
        }
    }
}

impl Connection {
    /// Dials `address`, secures it as its scheme says and negotiates a version. The
    /// result still needs [`Connection::hello`].
    pub async fn open(address: &BoltAddress) -> Result<Connection, ConnectionError> {
        let shown = address.shown();
        let unreachable = || ConnectionError::Unreachable {
            address: shown.clone(),
        };
        let dial = tokio::net::TcpStream::connect((address.host.as_str(), address.port));
        let tcp = match tokio::time::timeout(CONNECT_TIMEOUT, dial).await {
            Ok(Ok(tcp)) => tcp,
            Ok(Err(_)) => return Err(unreachable()),
            Err(_) => {
                return Err(ConnectionError::Timeout {
                    address: shown.clone(),
                });
            }
        };
        let _ = tcp.set_nodelay(true);
        let mut io: Box<dyn Io> = match address.security {
            Security::Plain => Box::new(tcp),
            security => {
                let config = tls_config(security).map_err(|detail| ConnectionError::Tls {
                    address: shown.clone(),
                    detail,
                })?;
                let name =
                    rustls::pki_types::ServerName::try_from(address.host.clone()).map_err(|e| {
                        ConnectionError::Tls {
                            address: shown.clone(),
                            detail: e.to_string(),
                        }
                    })?;
                let connector = tokio_rustls::TlsConnector::from(config);
                match tokio::time::timeout(CONNECT_TIMEOUT, connector.connect(name, tcp)).await {
                    Ok(Ok(tls)) => Box::new(tls),
                    Ok(Err(e)) => return Err(tls_error(&shown, &e)),
                    Err(_) => return Err(ConnectionError::Timeout { address: shown }),
                }
            }
        };
        let version = match tokio::time::timeout(CONNECT_TIMEOUT, negotiate(&mut io)).await {
            Ok(Ok(Some(v))) => v,
            Ok(Ok(None)) => {
                return Err(ConnectionError::Failed {
                    address: shown,
                    chain: "the server speaks none of the Bolt versions cysh does (4.4, 5.0-5.8, 6.0); \
                            for an older server use its HTTP address"
                        .into(),
                });
            }
            Ok(Err(e)) => {
                let hint = if address.security == Security::Plain {
                    " (is it a TLS port? try bolt+s:// or bolt+ssc://)"
                } else {
                    ""
                };
                return Err(ConnectionError::Failed {
                    address: shown,
                    chain: format!("the Bolt handshake failed: {e}{hint}"),
                });
            }
            Err(_) => return Err(ConnectionError::Timeout { address: shown }),
        };
        Ok(Connection {
            io,
            dechunker: Dechunker::default(),
            buf: vec![0; 64 * 1024],
            version,
            dialect: dialect_of(version, false),
            server: String::new(),
            pending: 0,
        })
    }

    /// HELLO (with the routing context for `neo4j://`) and, from 5.1, LOGON. A refusal
    /// is the server's FAILURE metadata.
    pub async fn hello(
        &mut self,
        user: &str,
        password: &str,
        routing: Option<&str>,
    ) -> Result<Result<(), Meta>, ConnError> {
        let mut extra = Meta::new();
        extra.insert("user_agent".into(), Value::str(user_agent()));
        if self.version.at_least(5, 3) {
            extra.insert(
                "bolt_agent".into(),
                Value::Map(
                    [
                        ("product", Value::str(user_agent())),
                        (
                            "platform",
                            Value::str(format!(
                                "{}; {}",
                                std::env::consts::OS,
                                std::env::consts::ARCH
                            )),
                        ),
                        ("language", Value::str("Rust")),
                    ]
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
                ),
            );
        }
        if let Some(address) = routing {
            extra.insert(
                "routing".into(),
                Value::Map([("address".to_string(), Value::str(address))].into()),
            );
        }
        if self.version.major == 4 {
            extra.insert("patch_bolt".into(), Value::str_list(["utc"]));
        }
        let auth: Meta = if user.is_empty() {
            [("scheme".to_string(), Value::str("none"))].into()
        } else {
            [
                ("scheme".to_string(), Value::str("basic")),
                ("principal".to_string(), Value::str(user)),
                ("credentials".to_string(), Value::str(password)),
            ]
            .into()
        };
        let logon = self.version.at_least(5, 1);
        if !logon {
            extra.extend(auth.clone());
        }
        let mut requests = vec![Request::Hello(extra)];
        if logon {
            requests.push(Request::Logon(auth));
        }
        self.send(&requests).await?;
        for _ in 0..requests.len() {
            match self.recv().await? {
                Response::Success(m) => {
                    if let Some(server) = m.get("server").and_then(Value::as_str) {
                        self.server = server.to_string();
                    }
                    if self.version.major == 4
                        && matches!(m.get("patch_bolt"), Some(Value::List(p)) if p.iter().any(|x| x.as_str() == Some("utc")))
                    {
                        self.dialect = dialect_of(self.version, true);
                    }
                }
                Response::Failure(m) => return Ok(Err(m)),
                other => {
                    return Err(ConnError::Protocol(format!(
                        "unexpected answer to HELLO: {other:?}"
                    )));
                }
            }
        }
        Ok(Ok(()))
    }

    /// Sends `requests` in one write (pipelined).
    pub async fn send(&mut self, requests: &[Request]) -> Result<(), ConnError> {
        let mut out = Vec::new();
        for r in requests {
            chunk::write_message(&mut out, &r.encode(self.dialect));
        }
        self.io.write_all(&out).await?;
        self.io.flush().await?;
        self.pending += requests.len();
        Ok(())
    }

    /// The next response.
    pub async fn recv(&mut self) -> Result<Response, ConnError> {
        loop {
            match self.dechunker.next_message() {
                Ok(Some(m)) => {
                    let r = Response::decode(&m).map_err(|e| ConnError::Protocol(e.to_string()))?;
                    if !matches!(r, Response::Record(_)) {
                        self.pending = self.pending.saturating_sub(1);
                    }
                    return Ok(r);
                }
                Ok(None) => {}
                Err(e) => return Err(ConnError::Protocol(e.to_string())),
            }
            let n = self.io.read(&mut self.buf).await?;
            if n == 0 {
                return Err(ConnError::Io(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "the server closed the connection",
                )));
            }
            self.dechunker.push(&self.buf[..n]);
        }
    }

    /// RESET, then reads every outstanding answer: the connection is READY again (used
    /// after a FAILURE and when Ctrl-C interrupts a query).
    pub async fn reset(&mut self) -> Result<(), ConnError> {
        self.send(&[Request::Reset]).await?;
        while self.pending > 0 {
            self.recv().await?;
        }
        Ok(())
    }

    /// GOODBYE, then close; errors do not matter any more.
    pub async fn close(mut self) {
        let _ = self.send(&[Request::Goodbye]).await;
        let _ = self.io.shutdown().await;
    }
}

/// The handshake from the client's side.
async fn negotiate(io: &mut Box<dyn Io>) -> std::io::Result<Option<Version>> {
    io.write_all(&handshake::client_hello()).await?;
    io.flush().await?;
    let mut answer = [0u8; 4];
    io.read_exact(&mut answer).await?;
    if answer == handshake::MANIFEST_V1 {
        let count = read_varint(io).await?;
        if count > 64 {
            return Ok(None);
        }
        let mut ranges = Vec::new();
        for _ in 0..count {
            let mut r = [0u8; 4];
            io.read_exact(&mut r).await?;
            ranges.push(r);
        }
        let _capabilities = read_varint(io).await?;
        let Some(v) = handshake::client_pick(&ranges) else {
            // Tell the server nothing fits, then give up.
            io.write_all(&[0, 0, 0, 0, 0]).await?;
            return Ok(None);
        };
        let mut reply = v.bytes().to_vec();
        handshake::write_varint(&mut reply, 0);
        io.write_all(&reply).await?;
        return Ok(Some(v));
    }
    let v = Version::new(answer[3], answer[2]);
    Ok((answer != [0; 4] && handshake::supported(v)).then_some(v))
}

async fn read_varint(io: &mut Box<dyn Io>) -> std::io::Result<u64> {
    let mut r = VarintReader::default();
    loop {
        let b = io.read_u8().await?;
        match r.push(b) {
            Ok(Some(n)) => return Ok(n),
            Ok(None) => {}
            Err(e) => return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, e)),
        }
    }
}
