//! Secrets at rest: the passwords of remote aliases, encrypted with ChaCha20-Poly1305
//! under a key kept beside the store in a file only its owner may read (Neo4j keeps them
//! encrypted in its system database the same way, with a key in its own file).
//!
//! It owns the key file (`secret.key`, 32 random bytes, created 0600 on first need) and
//! the stored form of a secret, `enc1:` followed by the base64 of a 12-byte nonce and the
//! ciphertext. It must not log, print or return a secret anywhere but to the store's
//! loader, and must never invent a key for a file that already holds encrypted secrets:
//! a lost key is an error that says so.

use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The key file inside a data directory.
pub const KEY_FILE: &str = "secret.key";

/// The prefix of an encrypted secret in the store.
const PREFIX: &str = "enc1:";

/// Why a secret could not be kept or read.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// The key file cannot be read or written.
    #[error("Cannot use the key file {}: {detail}", .path.display())]
    KeyFile {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        detail: String,
    },
    /// The store holds sealed secrets but the key file is gone.
    #[error(
        "The store holds encrypted alias passwords but their key file {} is missing. \
         Restore it from where the data directory was copied or backed up.",
        .0.display()
    )]
    KeyMissing(PathBuf),
    /// The key file is not 32 bytes.
    #[error("The key file {} is damaged (it must hold 32 bytes).", .0.display())]
    BadKey(PathBuf),
    /// A stored secret does not decrypt with this key.
    #[error(
        "An alias password in the store cannot be decrypted with {}: the key file was \
         replaced or the store was copied without it. Restore the key file, or drop and \
         re-create the remote aliases.",
        .0.display()
    )]
    Undecryptable(PathBuf),
}

/// The key that seals the store's secrets.
pub struct Sealer {
    cipher: ChaCha20Poly1305,
    path: PathBuf,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key.
        f.debug_struct("Sealer")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Sealer {
    /// The key in `dir`'s key file, created (0600) when there is none and `may_create`
    /// (the store holds no sealed secret that an older key would be needed for).
    pub fn open(dir: &Path, may_create: bool) -> Result<Sealer, SecretError> {
        let path = dir.join(KEY_FILE);
        let fail = |e: std::io::Error| SecretError::KeyFile {
            path: path.clone(),
            detail: e.to_string(),
        };
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !may_create => {
                return Err(SecretError::KeyMissing(path));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = ChaCha20Poly1305::generate_key(&mut OsRng);
                write_new(&path, key.as_slice()).map_err(fail)?;
                key.to_vec()
            }
            Err(e) => return Err(fail(e)),
        };
        if bytes.len() != 32 {
            return Err(SecretError::BadKey(path));
        }
        Ok(Sealer {
            cipher: ChaCha20Poly1305::new(Key::from_slice(&bytes)),
            path,
        })
    }

    /// A key for tests and in-memory use, never written anywhere.
    pub fn ephemeral() -> Sealer {
        Sealer {
            cipher: ChaCha20Poly1305::new(&ChaCha20Poly1305::generate_key(&mut OsRng)),
            path: PathBuf::from("(in memory)"),
        }
    }

    /// The stored form of `secret`: a fresh nonce each time, so equal secrets differ.
    pub fn seal(&self, secret: &str) -> String {
        let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
        // Encryption with a valid key and nonce fails only past 2^38 bytes.
        let sealed = self
            .cipher
            .encrypt(&nonce, secret.as_bytes())
            .unwrap_or_default();
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        format!(
            "{PREFIX}{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        )
    }

    /// The secret in `stored`. A value without the prefix was written before secrets were
    /// sealed and is returned as it is (the next write seals it).
    pub fn open_sealed(&self, stored: &str) -> Result<String, SecretError> {
        let Some(encoded) = stored.strip_prefix(PREFIX) else {
            return Ok(stored.to_string());
        };
        let bad = || SecretError::Undecryptable(self.path.clone());
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map_err(|_| bad())?;
        if bytes.len() < 12 {
            return Err(bad());
        }
        let (nonce, sealed) = bytes.split_at(12);
        let plain = self
            .cipher
            .decrypt(Nonce::from_slice(nonce), sealed)
            .map_err(|_| bad())?;
        String::from_utf8(plain).map_err(|_| bad())
    }

    /// True when `stored` is in the sealed form.
    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(PREFIX)
    }
}

/// Writes `bytes` to a new file at `path`, readable by its owner only.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_and_hides_its_text() {
        let s = Sealer::ephemeral();
        let sealed = s.seal("hunter22");
        assert!(Sealer::is_sealed(&sealed));
        assert!(!sealed.contains("hunter22"));
        assert_ne!(sealed, s.seal("hunter22"), "a fresh nonce each time");
        assert_eq!(s.open_sealed(&sealed).unwrap(), "hunter22");
        assert_eq!(s.open_sealed("legacy").unwrap(), "legacy");
    }

    #[test]
    fn another_key_cannot_open_it() {
        let sealed = Sealer::ephemeral().seal("x");
        assert!(matches!(
            Sealer::ephemeral().open_sealed(&sealed),
            Err(SecretError::Undecryptable(_))
        ));
    }

    #[test]
    fn the_key_file_is_made_once_and_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            Sealer::open(dir.path(), false),
            Err(SecretError::KeyMissing(_))
        ));
        let sealed = Sealer::open(dir.path(), true).unwrap().seal("x");
        let again = Sealer::open(dir.path(), false).unwrap();
        assert_eq!(again.open_sealed(&sealed).unwrap(), "x");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(dir.path().join(KEY_FILE), b"short").unwrap();
        assert!(matches!(
            Sealer::open(dir.path(), true),
            Err(SecretError::BadKey(_))
        ));
    }
}
