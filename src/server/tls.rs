//! HTTPS for `cysh serve`: loading of PEM certificate chains and keys into a rustls
//! server configuration (the handshakes themselves run in `conn.rs`, each in its
//! connection's task with a deadline). It must not know about the Query API.

use rustls::pki_types::pem::{self, PemObject};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Why `--tls-cert`/`--tls-key` cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum TlsConfigError {
    /// The certificate file is unreadable or not PEM.
    #[error("Could not read the certificate {}: {source}", .path.display())]
    Certificate {
        /// The file.
        path: PathBuf,
        /// Why.
        source: pem::Error,
    },
    /// The certificate file holds no certificate.
    #[error("No certificate found in {}", .0.display())]
    NoCertificate(PathBuf),
    /// The key file is unreadable or holds no private key.
    #[error("Could not read the private key {}: {source}", .path.display())]
    Key {
        /// The file.
        path: PathBuf,
        /// Why.
        source: pem::Error,
    },
    /// rustls refuses the pair.
    #[error("The certificate and key do not form a usable pair: {0}")]
    Pair(rustls::Error),
}

/// A server configuration from a PEM certificate chain and a PEM private key.
pub fn load_config(cert: &Path, key: &Path) -> Result<Arc<rustls::ServerConfig>, TlsConfigError> {
    crate::client::tls::install_crypto_provider();
    let certs = CertificateDer::pem_file_iter(cert)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|source| TlsConfigError::Certificate {
            path: cert.to_path_buf(),
            source,
        })?;
    if certs.is_empty() {
        return Err(TlsConfigError::NoCertificate(cert.to_path_buf()));
    }
    let key = PrivateKeyDer::from_pem_file(key).map_err(|source| TlsConfigError::Key {
        path: key.to_path_buf(),
        source,
    })?;
    let mut config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(TlsConfigError::Pair)?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}
