//! Authentication for `cysh serve`: Basic credentials checked against argon2 hashes,
//! Neo4j's 401/400/429 answers, and a rate limit on failed logins.
//!
//! It owns credential checks, the cache of verified logins, the bound on concurrent
//! password checks and the login rate limit. It must not know about
//! statements; who may run what is the cluster's business. The check sits behind
//! [`Authenticator`] so that the users can later live in the cluster's system database.

use crate::cluster::security::{hash_password, verify_dummy, verify_password};
use crate::error::{Neo4jError, code};
use crate::wire;
use base64::Engine;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

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
            Some(_) => AuthOutcome::Failure,
            None => {
                verify_dummy(password);
                AuthOutcome::Failure
            }
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

    /// Takes the users from `state` again (after a write). Returns the users whose
    /// entry appeared, changed (password, suspension) or went: their verified logins must
    /// be checked again, and nobody else's.
    pub fn refresh(&self, state: &crate::cluster::model::State) -> Vec<String> {
        let snapshot: HashMap<_, _> = state
            .users
            .values()
            .map(|u| (u.name.clone(), (u.password_hash.clone(), u.suspended)))
            .collect();
        let mut current = self.snapshot.write().unwrap_or_else(|e| e.into_inner());
        if *current == snapshot {
            return Vec::new();
        }
        let mut changed: Vec<String> = snapshot
            .iter()
            .filter(|(name, entry)| current.get(*name) != Some(entry))
            .map(|(name, _)| name.clone())
            .collect();
        changed.extend(
            current
                .keys()
                .filter(|name| !snapshot.contains_key(*name))
                .cloned(),
        );
        *current = snapshot;
        changed
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
            // An unknown or suspended user costs a full check too: the time of a refusal
            // must not tell which user names exist.
            Some((_, true)) | None => {
                verify_dummy(password);
                AuthOutcome::Failure
            }
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
/// pay for a memory-hard hash. Cleared when full, and when users or passwords change.
const CACHE_LIMIT: usize = 1024;

/// How long a login waits for a free password check before it is refused (503): argon2
/// needs 19 MiB and tens of milliseconds per check, so only [`Gate::checks`] run at once
/// and the rest queue, for at most this long.
pub const CHECK_QUEUE_TIMEOUT: Duration = Duration::from_secs(10);

/// User names whose failed logins are remembered at most.
const FAILURES_LIMIT: usize = 10_000;

/// Why a request was not let through: the HTTP status and Neo4j's error.
pub type Refusal = (u16, Neo4jError);

/// The gate every authenticated endpoint goes through.
pub struct Gate {
    authenticator: Option<Arc<dyn Authenticator>>,
    verified: RwLock<HashMap<String, String>>,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
    /// Password checks allowed at once: memory stays bounded under any number of clients.
    checks: Arc<Semaphore>,
    queue_timeout: Duration,
}

impl Gate {
    /// A gate over `authenticator`; `None` disables authentication (`NEO4J_AUTH=none`).
    /// Password checks run at most one per core at a time.
    pub fn new(authenticator: Option<Arc<dyn Authenticator>>) -> Gate {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Gate::with_limits(authenticator, cores, CHECK_QUEUE_TIMEOUT)
    }

    /// A gate running at most `checks` password checks at once; a login waits at most
    /// `queue_timeout` for one.
    pub fn with_limits(
        authenticator: Option<Arc<dyn Authenticator>>,
        checks: usize,
        queue_timeout: Duration,
    ) -> Gate {
        Gate {
            authenticator,
            verified: RwLock::new(HashMap::new()),
            failures: Mutex::new(HashMap::new()),
            checks: Arc::new(Semaphore::new(checks.max(1))),
            queue_timeout,
        }
    }

    fn cached(&self, header: &str) -> Option<String> {
        self.verified
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(header)
            .cloned()
    }

    /// Forgets the verified credentials of `users`, so their next request is checked
    /// again (after a new password, a suspension, a dropped user). Other users' logins
    /// stay: re-checking every client after one user changed would stall them all.
    pub fn forget_verified(&self, users: &[String]) {
        if users.is_empty() {
            return;
        }
        self.verified
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|_, user| !users.contains(user));
    }

    /// The user a request runs as, or Neo4j's refusal.
    pub async fn check(&self, header: Option<&str>) -> Result<String, Refusal> {
        if self.authenticator.is_none() {
            return Ok("neo4j".into());
        }
        let Some(header) = header else {
            return Err(unauthorized("No authentication header supplied."));
        };
        if let Some(user) = self.cached(header) {
            return Ok(user);
        }
        let (user, password) = parse_basic(header)?;
        let user = self.login_with(&user, &password, Some(header)).await?;
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
        self.login_with(user, password, None).await
    }

    /// [`Gate::login`]; `header`, when the credentials came as a Basic header, is looked up
    /// again in the cache once a check slot is free (a client's many requests arrive
    /// together, and the first check may have verified this very header meanwhile).
    async fn login_with(
        &self,
        user: &str,
        password: &str,
        header: Option<&str>,
    ) -> Result<String, Refusal> {
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
        // Wait for a free check; past the queue timeout the login is refused rather than
        // letting memory grow with the number of clients.
        let permit = match tokio::time::timeout(
            self.queue_timeout,
            Arc::clone(&self.checks).acquire_owned(),
        )
        .await
        {
            Ok(Ok(permit)) => permit,
            _ => {
                return Err((
                    503,
                    Neo4jError::new(
                        wire::code::AUTH_PROVIDER_TIMEOUT,
                        "An auth provider request timed out.",
                    ),
                ));
            }
        };
        // Many requests of one client arrive together: the first check may have verified
        // this very header while the others waited.
        if let Some(user) = header.and_then(|h| self.cached(h)) {
            return Ok(user);
        }
        let auth = Arc::clone(authenticator);
        let (u, p) = (user.clone(), password.to_string());
        // argon2 takes tens of milliseconds of CPU: keep it off the async workers. The
        // permit goes with it, so a check stays counted until it has finished.
        let outcome = tokio::task::spawn_blocking(move || {
            let outcome = auth.authenticate(&u, &p);
            drop(permit);
            outcome
        })
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

    fn basic(user: &str, password: &str) -> String {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
        )
    }

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_time()
            .build()
            .unwrap()
    }

    /// Counts checks and takes `delay` for each.
    struct Slow {
        delay: Duration,
        calls: std::sync::atomic::AtomicUsize,
    }

    impl Authenticator for Slow {
        fn authenticate(&self, _: &str, password: &str) -> AuthOutcome {
            self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            std::thread::sleep(self.delay);
            if password == "good" {
                AuthOutcome::Success
            } else {
                AuthOutcome::Failure
            }
        }
    }

    #[test]
    fn a_verified_login_is_checked_once_while_users_stay_the_same() {
        let slow = Arc::new(Slow {
            delay: Duration::from_millis(1),
            calls: Default::default(),
        });
        let gate = Gate::new(Some(slow.clone() as Arc<dyn Authenticator>));
        let rt = rt();
        for _ in 0..5 {
            assert_eq!(
                rt.block_on(gate.check(Some(&basic("a", "good")))).unwrap(),
                "a"
            );
        }
        assert_eq!(slow.calls.load(std::sync::atomic::Ordering::SeqCst), 1);
        // Another user's change leaves this login verified; its own change does not.
        gate.forget_verified(&["b".to_string()]);
        rt.block_on(gate.check(Some(&basic("a", "good")))).unwrap();
        assert_eq!(slow.calls.load(std::sync::atomic::Ordering::SeqCst), 1);
        gate.forget_verified(&["a".to_string()]);
        rt.block_on(gate.check(Some(&basic("a", "good")))).unwrap();
        assert_eq!(slow.calls.load(std::sync::atomic::Ordering::SeqCst), 2);
    }

    #[test]
    fn refresh_reports_a_change_only_when_users_changed() {
        let mut cluster =
            crate::cluster::Cluster::new(crate::cluster::Config::with_servers(3)).unwrap();
        let users = ClusterUsers::new(cluster.state(), None);
        assert!(users.refresh(cluster.state()).is_empty(), "nothing changed");
        let session = crate::cluster::Session {
            user: "neo4j".into(),
            database: "system".into(),
            impersonating: false,
        };
        let run = |cluster: &mut crate::cluster::Cluster, text: &str| {
            let st = crate::dialect::parse(text).unwrap();
            cluster
                .execute(&st, &crate::dialect::Params::new(), &session)
                .unwrap();
        };
        run(&mut cluster, "CREATE DATABASE foo");
        assert!(
            users.refresh(cluster.state()).is_empty(),
            "a database is not a user"
        );
        run(&mut cluster, "CREATE USER bob SET PASSWORD 'secret123'");
        assert_eq!(users.refresh(cluster.state()), ["bob"], "a new user");
        run(&mut cluster, "ALTER USER bob SET STATUS SUSPENDED");
        assert_eq!(users.refresh(cluster.state()), ["bob"], "a suspension");
        run(&mut cluster, "DROP USER bob");
        assert_eq!(users.refresh(cluster.state()), ["bob"], "a dropped user");
    }

    #[test]
    fn concurrent_checks_are_bounded_and_the_queue_times_out() {
        let slow = Arc::new(Slow {
            delay: Duration::from_millis(600),
            calls: Default::default(),
        });
        let gate = Arc::new(Gate::with_limits(
            Some(slow.clone() as Arc<dyn Authenticator>),
            1,
            Duration::from_millis(100),
        ));
        let rt = rt();
        let outcomes = rt.block_on(async {
            let mut tasks = Vec::new();
            for i in 0..3 {
                let gate = Arc::clone(&gate);
                tasks.push(tokio::spawn(async move {
                    gate.check(Some(&basic(&format!("u{i}"), "good"))).await
                }));
            }
            let mut outcomes = Vec::new();
            for t in tasks {
                outcomes.push(t.await.unwrap());
            }
            outcomes
        });
        let served = outcomes.iter().filter(|o| o.is_ok()).count();
        let refused: Vec<_> = outcomes.iter().filter_map(|o| o.as_ref().err()).collect();
        assert_eq!(served, 1, "one check at a time: {outcomes:?}");
        assert_eq!(refused.len(), 2);
        for (status, e) in refused {
            assert_eq!(*status, 503);
            assert_eq!(e.code, wire::code::AUTH_PROVIDER_TIMEOUT);
        }
        assert_eq!(slow.calls.load(std::sync::atomic::Ordering::SeqCst), 1);
    }

    #[test]
    fn an_unknown_user_costs_as_much_as_a_wrong_password() {
        // The bound: a refusal's time must not tell whether the user exists. The
        // comparison is generous (a third) so that a busy machine cannot fail it, while
        // skipping the hash (about a hundredth) still does.
        let users = MemoryUsers::new();
        users.set_password("known", "secret123").unwrap();
        let time = |user: &str| {
            let started = Instant::now();
            for _ in 0..3 {
                assert_eq!(users.authenticate(user, "wrong"), AuthOutcome::Failure);
            }
            started.elapsed()
        };
        time("nobody"); // the dummy hash is made on first use
        let known = time("known");
        let unknown = time("nobody");
        assert!(
            unknown * 3 >= known,
            "unknown user {unknown:?}, known user with a wrong password {known:?}"
        );
    }
}
