//! Authentication for `cysh serve`: Basic credentials checked against argon2 hashes,
//! Neo4j's 401/400/429 answers, and a rate limit on failed logins.
//!
//! It owns credential checks and the login rate limit. It must not know about
//! statements; who may run what is the cluster's business. The check sits behind
//! [`Authenticator`] so that the users can later live in the cluster's system database.

use crate::cluster::security::{hash_password, verify_password};
use crate::error::{Neo4jError, code};
use crate::wire;
use base64::Engine;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// What a credential check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthOutcome {
    /// The user exists and the password matches.
    Success,
    /// Unknown user or wrong password (Neo4j does not say which).
    Failure,
}

/// Checks a user's password. Implementations may be slow (memory-hard hashes): callers
/// run them off the async workers.
pub trait Authenticator: Send + Sync {
    /// Checks `password` for `user`.
    fn authenticate(&self, user: &str, password: &str) -> AuthOutcome;
}

/// Users and argon2id PHC hashes held in memory.
#[derive(Default)]
pub struct MemoryUsers {
    hashes: RwLock<HashMap<String, String>>,
}

impl MemoryUsers {
    /// An empty user store.
    pub fn new() -> MemoryUsers {
        MemoryUsers::default()
    }

    /// Sets `user`'s password, storing only its argon2id hash.
    pub fn set_password(
        &self,
        user: &str,
        password: &str,
    ) -> Result<(), argon2::password_hash::Error> {
        let hash = hash_password(password)?;
        self.hashes
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(user.to_string(), hash);
        Ok(())
    }
}

impl MemoryUsers {
    /// Sets `user`'s stored hash as it is (loaded from a users file).
    pub fn set_hash(&self, user: &str, hash: &str) {
        self.hashes
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(user.to_string(), hash.to_string());
    }

    /// Every user and hash as `user:hash` lines, sorted by user.
    pub fn export(&self) -> String {
        let hashes = self.hashes.read().unwrap_or_else(|e| e.into_inner());
        let mut users: Vec<_> = hashes.iter().collect();
        users.sort();
        users.iter().map(|(u, h)| format!("{u}:{h}\n")).collect()
    }
}

impl Authenticator for MemoryUsers {
    fn authenticate(&self, user: &str, password: &str) -> AuthOutcome {
        let hash = self
            .hashes
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(user)
            .cloned();
        match hash {
            Some(h) if verify_password(&h, password) => AuthOutcome::Success,
            _ => AuthOutcome::Failure,
        }
    }
}

/// The cluster's users (system database) as the server's authenticator: a snapshot of
/// each user's hash and status, refreshed by the server after every write. A user the
/// cluster keeps without a password (the initial `neo4j` of an embedded cluster) is checked
/// by `fallback` (the `serve-users` file / `NEO4J_AUTH`), so `cysh serve` and the embedded
/// shell refuse the same users.
pub struct ClusterUsers {
    snapshot: RwLock<HashMap<String, (Option<String>, bool)>>,
    fallback: Option<Arc<dyn Authenticator>>,
}

impl ClusterUsers {
    /// Users read from `state`, with `fallback` for users without a password.
    pub fn new(
        state: &crate::cluster::model::State,
        fallback: Option<Arc<dyn Authenticator>>,
    ) -> ClusterUsers {
        let users = ClusterUsers {
            snapshot: RwLock::new(HashMap::new()),
            fallback,
        };
        users.refresh(state);
        users
    }

    /// Takes the users from `state` again (after a write).
    pub fn refresh(&self, state: &crate::cluster::model::State) {
        let snapshot = state
            .users
            .values()
            .map(|u| (u.name.clone(), (u.password_hash.clone(), u.suspended)))
            .collect();
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = snapshot;
    }
}

impl Authenticator for ClusterUsers {
    fn authenticate(&self, user: &str, password: &str) -> AuthOutcome {
        let entry = self
            .snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(user)
            .cloned();
        match entry {
            Some((_, true)) | None => AuthOutcome::Failure,
            Some((Some(hash), false)) if verify_password(&hash, password) => AuthOutcome::Success,
            Some((Some(_), false)) => AuthOutcome::Failure,
            Some((None, false)) => match &self.fallback {
                Some(f) => f.authenticate(user, password),
                None => AuthOutcome::Failure,
            },
        }
    }
}

/// A random password for the initial user: 16 characters from an unambiguous alphabet.
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = Vec::with_capacity(32);
    bytes.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
    bytes.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
    bytes
        .iter()
        .take(16)
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

/// Failed logins allowed before a user is locked out (Neo4j's
/// `dbms.security.auth_max_failed_attempts` default).
const MAX_FAILED_ATTEMPTS: u32 = 3;
/// How long the lock lasts (`dbms.security.auth_lock_time` default).
const LOCK_TIME: Duration = Duration::from_secs(5);
/// Verified Authorization headers remembered, so that a client's every request does not
/// pay for a memory-hard hash. Cleared when full.
const CACHE_LIMIT: usize = 1024;

/// User names whose failed logins are remembered at most.
const FAILURES_LIMIT: usize = 10_000;

/// Why a request was not let through: the HTTP status and Neo4j's error.
pub type Refusal = (u16, Neo4jError);

/// The gate every authenticated endpoint goes through.
pub struct Gate {
    authenticator: Option<Arc<dyn Authenticator>>,
    verified: RwLock<HashMap<String, String>>,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Gate {
    /// A gate over `authenticator`; `None` disables authentication (`NEO4J_AUTH=none`).
    pub fn new(authenticator: Option<Arc<dyn Authenticator>>) -> Gate {
        Gate {
            authenticator,
            verified: RwLock::new(HashMap::new()),
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Forgets the verified credentials, so the next request of every client is checked
    /// again (after users changed: a new password, a suspension, a dropped user).
    pub fn forget_verified(&self) {
        self.verified
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// The user a request runs as, or Neo4j's refusal.
    pub async fn check(&self, header: Option<&str>) -> Result<String, Refusal> {
        if self.authenticator.is_none() {
            return Ok("neo4j".into());
        }
        let Some(header) = header else {
            return Err(unauthorized("No authentication header supplied."));
        };
        if let Some(user) = self
            .verified
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(header)
        {
            return Ok(user.clone());
        }
        let (user, password) = parse_basic(header)?;
        let user = self.login(&user, &password).await?;
        let mut cache = self.verified.write().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(header.to_string(), user.clone());
        Ok(user)
    }

    /// True when credentials are checked (not `NEO4J_AUTH=none`).
    pub fn enabled(&self) -> bool {
        self.authenticator.is_some()
    }

    /// Checks `user`'s `password` under the rate limit (Bolt's LOGON and the Basic header
    /// alike): the user on success, else Neo4j's refusal, the same whether or not the
    /// user exists.
    pub async fn login(&self, user: &str, password: &str) -> Result<String, Refusal> {
        let Some(authenticator) = &self.authenticator else {
            return Ok("neo4j".into());
        };
        let user = user.to_string();
        if self.locked(&user) {
            return Err((
                429,
                Neo4jError::new(
                    wire::code::AUTH_RATE_LIMIT,
                    "Too many failed authentication requests. Please wait 5 seconds and try again.",
                ),
            ));
        }
        let auth = Arc::clone(authenticator);
        let (u, p) = (user.clone(), password.to_string());
        // argon2 takes tens of milliseconds of CPU: keep it off the async workers.
        let outcome = tokio::task::spawn_blocking(move || auth.authenticate(&u, &p))
            .await
            .unwrap_or(AuthOutcome::Failure);
        match outcome {
            AuthOutcome::Success => {
                self.failures
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .remove(&user);
                Ok(user)
            }
            AuthOutcome::Failure => {
                let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
                // Made-up user names must not grow the table without bound: forget the
                // failures whose lock has passed, then everything if still too many.
                if failures.len() >= FAILURES_LIMIT {
                    failures.retain(|_, (_, last)| last.elapsed() < LOCK_TIME);
                    if failures.len() >= FAILURES_LIMIT {
                        failures.clear();
                    }
                }
                let entry = failures.entry(user).or_insert((0, Instant::now()));
                entry.0 += 1;
                entry.1 = Instant::now();
                Err(unauthorized("Invalid credential."))
            }
        }
    }

    fn locked(&self, user: &str) -> bool {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        match failures.get(user) {
            Some((count, last)) if *count >= MAX_FAILED_ATTEMPTS => {
                if last.elapsed() < LOCK_TIME {
                    true
                } else {
                    failures.remove(user);
                    false
                }
            }
            _ => false,
        }
    }
}

fn unauthorized(message: &str) -> Refusal {
    (401, Neo4jError::new(code::UNAUTHORIZED, message))
}

/// Splits `Basic base64(user:password)`.
fn parse_basic(header: &str) -> Result<(String, String), Refusal> {
    let invalid = || {
        (
            400,
            Neo4jError::new(wire::code::INVALID_FORMAT, "Invalid authentication header."),
        )
    };
    let (scheme, token) = header.trim().split_once(' ').ok_or_else(invalid)?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(unauthorized(&format!(
            "Unsupported authentication token: scheme='{}'",
            scheme.to_ascii_lowercase()
        )));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(token.trim())
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (user, password) = text.split_once(':').ok_or_else(invalid)?;
    Ok((user.to_string(), password.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ() {
        let a = hash_password("secret").unwrap();
        let b = hash_password("secret").unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("$argon2id$"));
        assert!(verify_password(&a, "secret"));
        assert!(!verify_password(&a, "Secret"));
    }

    #[test]
    fn basic_header_parsing() {
        assert_eq!(
            parse_basic("Basic bmVvNGo6dmVyeXNlY3JldA==").unwrap(),
            ("neo4j".to_string(), "verysecret".to_string())
        );
        assert_eq!(parse_basic("Basic !!!").unwrap_err().0, 400);
        assert_eq!(parse_basic("Bearer abc").unwrap_err().0, 401);
    }
}
