//! rustls' process-wide crypto provider (ring), which the remote backend's TLS client and
//! `cysh serve`'s TLS server both need before their first handshake.
//!
//! It lives at the lowest layer that uses it (the client) so the server can reach it
//! without the client reaching up into the server. It must not hold TLS configuration:
//! certificates and keys are the server's own.

/// Installs ring as rustls' process-wide crypto provider (once; later calls are no-ops).
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
