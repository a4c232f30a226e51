//! Why a backend request failed: a statement's error in Neo4j's words (the session goes
//! on), or a connection the session cannot use at all, with the address and cause kept as
//! data so callers can branch (a refused login gets one more try on a terminal).
//!
//! It owns the one-line messages of connection failures (cypher-shell's words where it has
//! them). It must not decide what a caller does with them.

use crate::error::Neo4jError;
use crate::wire::response::ResponseError;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// The statement failed; the session goes on.
    #[error("{0}")]
    Statement(Neo4jError),
    /// The backend cannot be reached or used at all (connection, authentication).
    /// Non-interactive runs stop with exit status 1.
    #[error(transparent)]
    Fatal(#[from] ConnectionError),
}

impl From<Neo4jError> for BackendError {
    fn from(e: Neo4jError) -> Self {
        BackendError::Statement(e)
    }
}

impl BackendError {
    /// True when the server refused the credentials.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, BackendError::Fatal(ConnectionError::Unauthorized))
    }
}

/// Why a remote server cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConnectionError {
    /// The address is not one cysh can use.
    #[error(transparent)]
    Address(#[from] AddressError),
    /// The HTTP client could not be built.
    #[error("Could not set up the HTTP client: {0}")]
    HttpClient(reqwest::Error),
    /// The server answers, but not with the Query API.
    #[error(
        "{address} does not serve the Neo4j HTTP Query API (its discovery document at / has no query endpoint); \
         Query API endpoints exist on Neo4j 5.19 and later."
    )]
    NotQueryApi {
        /// The server as shown to the operator.
        address: String,
    },
    /// The credentials were refused (cypher-shell's words).
    #[error("The client is unauthorized due to authentication failure.")]
    Unauthorized,
    /// Too many failed logins: the server's message, or a default.
    #[error("{}", .0.as_deref().unwrap_or("Too many failed authentication requests."))]
    Throttled(Option<String>),
    /// A successful status whose body is not a Query API response.
    #[error("{address} sent a reply that is not a Query API response: {why}")]
    NotAResponse {
        /// The server as shown to the operator.
        address: String,
        /// What is wrong with the body.
        why: ResponseError,
    },
    /// No reply in time.
    #[error("Connection to {address} timed out.")]
    Timeout {
        /// The server as shown to the operator.
        address: String,
    },
    /// The server's certificate is not trusted here.
    #[error(
        "TLS connection to {address} failed: the server's certificate is not trusted ({detail}); \
         add its CA to the system trust store or point SSL_CERT_FILE at it (or, for one \
         self-signed certificate naming the server, at the certificate itself)."
    )]
    UntrustedCertificate {
        /// The server as shown to the operator.
        address: String,
        /// rustls' reason.
        detail: String,
    },
    /// The server presents a CA certificate as its own (what `openssl req -x509` makes by
    /// default), which no TLS client accepts, trusted or not.
    #[error(
        "TLS connection to {address} failed: the server presents a CA certificate as its own \
         (a self-signed certificate made with openssl's defaults), which TLS clients refuse \
         even when they trust it. Serve a certificate that is not a CA, e.g. `openssl req \
         -x509 -newkey rsa:2048 -nodes -days 365 -subj /CN=HOST -addext \
         subjectAltName=DNS:HOST,IP:127.0.0.1 -addext basicConstraints=critical,CA:FALSE \
         -keyout key.pem -out cert.pem` (cysh serve --tls-cert cert.pem --tls-key key.pem), \
         and trust it here with SSL_CERT_FILE=cert.pem."
    )]
    CaAsServerCertificate {
        /// The server as shown to the operator.
        address: String,
    },
    /// Any other TLS failure.
    #[error("TLS connection to {address} failed: {detail}")]
    Tls {
        /// The server as shown to the operator.
        address: String,
        /// rustls' reason.
        detail: String,
    },
    /// Nothing listens there, or the network is down (cypher-shell's words).
    #[error(
        "Unable to connect to {address}, ensure the database is running and that there is a working network connection to it."
    )]
    Unreachable {
        /// The server as shown to the operator.
        address: String,
    },
    /// Any other transport failure, with its chain of causes.
    #[error("Connection to {address} failed: {chain}")]
    Failed {
        /// The server as shown to the operator.
        address: String,
        /// The causes, outermost first, joined by `: `.
        chain: String,
    },
}

impl ConnectionError {
    /// True when the failure may have come after the server received a request (the
    /// connection broke or timed out, or the reply was cut): whatever was sent may or may
    /// not have run. A refused connection, a TLS failure or a refused login is not.
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self,
            ConnectionError::Timeout { .. }
                | ConnectionError::Failed { .. }
                | ConnectionError::NotAResponse { .. }
        )
    }
}

/// Why an address cannot be turned into a Query API URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// A Bolt address where only the Query API will do (`cysh twin --from`); `suggestion`
    /// is the HTTP address to use instead.
    #[error(
        "This needs the Neo4j HTTP Query API, not Bolt: {address} is a Bolt address. \
         Use the server's HTTP address instead, e.g. {suggestion}"
    )]
    Bolt {
        /// The address as given (trimmed).
        address: String,
        /// `http://HOST:7474` or `https://HOST:7473`.
        suggestion: String,
    },
    /// A scheme that is neither HTTP nor Bolt.
    #[error(
        "Unsupported address scheme '{scheme}' in {address}: use http://HOST:7474 or https://HOST:7473"
    )]
    UnsupportedScheme {
        /// The scheme, lower-cased.
        scheme: String,
        /// The address as given (trimmed).
        address: String,
    },
    /// Not a URL.
    #[error("Failed to parse address: '{address}' ({detail})")]
    Unparsable {
        /// The address as given (trimmed).
        address: String,
        /// The URL parser's reason.
        detail: String,
    },
}
