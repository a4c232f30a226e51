//! `cysh serve` from the command line: builds the cluster, the initial user and the TLS
//! configuration, binds, prints the bound address and serves until SIGINT/SIGTERM.
//!
//! It owns the start-up messages and exit status of `cysh serve`. It must not handle
//! requests itself.

use super::tls::{self, TlsConfigError};
use super::{Options, auth, serve, shutdown_signal};
use crate::cli::ServeArgs;
use crate::client::embedded::{self, OpenError};
use crate::cluster::config::ConfigError;
use crate::cluster::{Cluster, Config};
use crate::error::Neo4jError;
use crate::store::{self, NoDataDir};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Why `cysh serve` could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// No data directory to serve.
    #[error(transparent)]
    NoDataDir(#[from] NoDataDir),
    /// `--tls-cert`/`--tls-key` cannot be used.
    #[error(transparent)]
    Tls(#[from] TlsConfigError),
    /// `--config` cannot be used.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The in-memory cluster could not be set up.
    #[error("{}: {}", .0.code, .0.message)]
    Cluster(Neo4jError),
    /// The data directory could not be opened.
    #[error(transparent)]
    Open(#[from] OpenError),
    /// The initial user could not be set up.
    #[error(transparent)]
    Auth(#[from] InitialAuthError),
    /// No tokio runtime.
    #[error("Could not start the async runtime: {0}")]
    Runtime(std::io::Error),
    /// The address cannot be bound.
    #[error("Could not listen on {address}: {source}")]
    Listen {
        /// `--listen`.
        address: String,
        /// Why.
        source: std::io::Error,
    },
    /// The bound address cannot be read back.
    #[error("Could not read the bound address: {0}")]
    BoundAddress(std::io::Error),
    /// Serving failed.
    #[error("The server stopped: {0}")]
    Stopped(std::io::Error),
}

/// Why the initial user could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum InitialAuthError {
    /// The users file has a line without `user:hash`.
    #[error("{} is damaged.", .0.display())]
    UsersFileDamaged(PathBuf),
    /// `NEO4J_AUTH` is neither `neo4j/<password>` nor `none`.
    #[error("NEO4J_AUTH must be 'neo4j/<password>' or 'none'.")]
    AuthFormat,
    /// `NEO4J_AUTH` names another user.
    #[error("Invalid value for NEO4J_AUTH: '{0}' is invalid; the initial user must be neo4j.")]
    NotNeo4j(String),
    /// `NEO4J_AUTH` has an empty password.
    #[error("NEO4J_AUTH has an empty password.")]
    EmptyPassword,
    /// `NEO4J_AUTH`'s password is shorter than CREATE USER allows (the Neo4j image's
    /// words).
    #[error(
        "Invalid value for password. The minimum password length is {} characters. \
         If Neo4j fails to start, you can: 1) Use a stronger password. 2) Set \
         NEO4J_AUTH=none to disable authentication.",
        crate::cluster::security::MIN_PASSWORD_LENGTH
    )]
    TooShort,
    /// `NEO4J_AUTH=neo4j/neo4j` (the Neo4j image's words).
    #[error("Invalid value for password. It cannot be 'neo4j', which is the default.")]
    DefaultPassword,
    /// The password could not be hashed.
    #[error("{0}")]
    Hash(argon2::password_hash::Error),
    /// The users file could not be written.
    #[error("Could not save {}: {source}", .path.display())]
    Save {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// An authenticator shared by all requests.
pub type SharedAuthenticator = Arc<dyn auth::Authenticator>;

/// The file in a data directory that keeps the served users' password hashes, one
/// `user:PHC-hash` line each, readable by its owner only.
pub const USERS_FILE: &str = "serve-users";

/// The most threads of `cysh serve`'s blocking pool (see where the runtime is built).
const BLOCKING_THREADS: usize = 8;

/// The authenticator for `cysh serve`. `NEO4J_AUTH=none` disables authentication. Otherwise
/// the users saved in `dir` are used when there are any; at first start the initial user
/// `neo4j` gets the password from `NEO4J_AUTH` (`neo4j/<password>`) or a generated one,
/// printed once, and its hash is saved in `dir` (kept in memory only without one).
/// Returns the authenticator and the message to print, if any.
pub fn initial_auth(
    neo4j_auth: Option<&str>,
    dir: Option<&Path>,
) -> Result<(Option<SharedAuthenticator>, Option<String>), InitialAuthError> {
    if neo4j_auth.is_some_and(|v| v.eq_ignore_ascii_case("none")) {
        return Ok((
            None,
            Some("Authentication is disabled (NEO4J_AUTH=none).".to_string()),
        ));
    }
    // The same rules at every start, so a weak NEO4J_AUTH is refused even when a data
    // directory already has a password (it is then only compared, below).
    if let Some(v) = neo4j_auth
        && let Some((user, password)) = v.split_once('/')
        && user == "neo4j"
    {
        check_initial_password(password)?;
    }
    if let Some(dir) = dir
        && let Ok(text) = std::fs::read_to_string(dir.join(USERS_FILE))
    {
        let users = auth::MemoryUsers::new();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let (user, hash) = line
                .split_once(':')
                .ok_or_else(|| InitialAuthError::UsersFileDamaged(dir.join(USERS_FILE)))?;
            users.set_hash(user, hash);
        }
        return Ok((Some(Arc::new(users)), None));
    }
    let (password, note) = match neo4j_auth {
        Some(v) if v.eq_ignore_ascii_case("none") => {
            return Ok((
                None,
                Some("Authentication is disabled (NEO4J_AUTH=none).".to_string()),
            ));
        }
        Some(v) => {
            let (user, password) = v.split_once('/').ok_or(InitialAuthError::AuthFormat)?;
            if user != "neo4j" {
                return Err(InitialAuthError::NotNeo4j(user.into()));
            }
            check_initial_password(password)?;
            (password.to_string(), None)
        }
        None => {
            let p = auth::generate_password();
            let note = format!("Generated password for user neo4j: {p}");
            (p, Some(note))
        }
    };
    let users = auth::MemoryUsers::new();
    users
        .set_password("neo4j", &password)
        .map_err(InitialAuthError::Hash)?;
    if let Some(dir) = dir {
        save_users(&dir.join(USERS_FILE), &users.export())?;
    }
    Ok((Some(Arc::new(users)), note))
}

/// Neo4j's rules for the initial password: not empty, not shorter than CREATE USER
/// allows, and not the default `neo4j` (which would need a forced change first).
fn check_initial_password(password: &str) -> Result<(), InitialAuthError> {
    if password.is_empty() {
        return Err(InitialAuthError::EmptyPassword);
    }
    if password == "neo4j" {
        return Err(InitialAuthError::DefaultPassword);
    }
    if password.chars().count() < crate::cluster::security::MIN_PASSWORD_LENGTH {
        return Err(InitialAuthError::TooShort);
    }
    Ok(())
}

/// The warning for a restart whose `NEO4J_AUTH` password is not neo4j's password any
/// more: the stored one wins, as in Neo4j, but silently ignoring it would leave the
/// operator guessing.
pub fn auth_mismatch_warning(
    neo4j_auth: Option<&str>,
    users: &dyn auth::Authenticator,
) -> Option<String> {
    let (user, password) = neo4j_auth?.split_once('/')?;
    if user != "neo4j" || users.authenticate(user, password) == auth::AuthOutcome::Success {
        return None;
    }
    Some(
        "Warning: NEO4J_AUTH does not match the stored password of user neo4j and is \
         ignored: it only sets the password at first start. Change it with ALTER USER \
         neo4j SET PASSWORD ..., or start with an empty data directory."
            .to_string(),
    )
}

/// Writes the users file through a temporary file and a rename, owner-only.
fn save_users(path: &Path, lines: &str) -> Result<(), InitialAuthError> {
    let tmp = path.with_extension("tmp");
    let fail = |source| InitialAuthError::Save {
        path: path.to_path_buf(),
        source,
    };
    {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut f = options.open(&tmp).map_err(fail)?;
        f.write_all(lines.as_bytes()).map_err(fail)?;
        f.sync_all().map_err(fail)?;
    }
    std::fs::rename(&tmp, path).map_err(fail)
}

/// The default connection cap for this process's open-file limit, after raising the soft
/// limit to the hard one (a server that needs descriptors should not stop at a shell's
/// default of 1024 when the system allows more).
fn max_connections_for_descriptors() -> usize {
    #[cfg(unix)]
    {
        use nix::sys::resource::{Resource, getrlimit, setrlimit};
        let limit = getrlimit(Resource::RLIMIT_NOFILE).ok().map(|(soft, hard)| {
            if soft < hard && setrlimit(Resource::RLIMIT_NOFILE, hard, hard).is_ok() {
                hard
            } else {
                soft
            }
        });
        super::conn::default_max_connections(limit)
    }
    #[cfg(not(unix))]
    {
        super::conn::default_max_connections(None)
    }
}

/// Runs `cysh serve` until SIGINT/SIGTERM; an error is why it could not start or stopped
/// (`main` prints it and exits 1).
pub fn run(args: &ServeArgs) -> Result<(), ServeError> {
    let dir = if args.ephemeral {
        None
    } else {
        Some(store::dir_or_default(args.data_dir.as_deref())?)
    };
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(tls::load_config(cert, key)?),
        _ => None,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    let mut config = Config::with_servers(usize::from(args.servers.unwrap_or(3)));
    if let Some(path) = &args.config {
        config.read_file(path)?;
    }
    // The directory lock is held while serving: one process per data directory.
    let (cluster, _lock) = match &dir {
        None => (Cluster::new(config).map_err(ServeError::Cluster)?, None),
        Some(dir) => {
            let renew = args.servers.is_some() || args.config.is_some();
            let (lock, cluster) = embedded::open_stored(dir, &config, renew, args.recover)?;
            if renew && !cluster.is_new() {
                eprintln!(
                    "{}",
                    embedded::kept_cluster_warning(dir, cluster.state().servers.len())
                );
            }
            (cluster, Some(lock))
        }
    };
    let neo4j_auth = std::env::var("NEO4J_AUTH").ok();
    let (authenticator, note) = initial_auth(neo4j_auth.as_deref(), dir.as_deref())?;
    if let Some(fallback) = &authenticator {
        // What a login will be checked against: the cluster's own users, with the users
        // file for a user the cluster keeps without a password.
        let users = auth::ClusterUsers::new(cluster.state(), Some(Arc::clone(fallback)));
        if let Some(warning) = auth_mismatch_warning(neo4j_auth.as_deref(), &users) {
            eprintln!("{warning}");
        }
    }
    for w in cluster.warnings() {
        eprintln!("Warning: {w}");
    }
    // One worker per core: requests from many clients run side by side. Writes and
    // password checks run on the blocking pool, but writes take the cluster's one lock in
    // turn and checks are limited to one per core, so a few threads do all there is to do.
    // Tokio's default of 512 let a burst of writers start one thread each, and every such
    // thread kept the memory of its write in its allocator heap: the served process's peak
    // grew with the number of writers waiting (200 clients: 200-330 MiB).
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .max_blocking_threads(BLOCKING_THREADS)
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .map_err(|source| ServeError::Listen {
                address: args.listen.clone(),
                source,
            })?;
        let bound = listener.local_addr().map_err(ServeError::BoundAddress)?;
        let bolt = match &args.bolt {
            None => None,
            Some(address) => {
                let listener = tokio::net::TcpListener::bind(address)
                    .await
                    .map_err(|source| ServeError::Listen {
                        address: address.clone(),
                        source,
                    })?;
                let bound = listener.local_addr().map_err(ServeError::BoundAddress)?;
                let advertised = args
                    .bolt_advertised_address
                    .clone()
                    .unwrap_or_else(|| bound.to_string());
                Some(super::bolt::BoltListener {
                    listener,
                    advertised,
                })
            }
        };
        if let Some(note) = note {
            println!("{note}");
        }
        // The Bolt line comes first: scripts that read up to "Listening on" still find
        // the HTTP address where they did.
        if let Some(b) = &bolt {
            let bound = b.listener.local_addr().map_err(ServeError::BoundAddress)?;
            let scheme = if tls.is_some() { "bolt+s" } else { "bolt" };
            println!(
                "Bolt listening on {scheme}://{bound} (routing advertises {})",
                b.advertised
            );
        }
        println!("Listening on {scheme}://{bound}");
        let _ = std::io::stdout().flush();
        let limits = super::conn::Limits {
            max_connections: args
                .max_connections
                .map_or_else(max_connections_for_descriptors, |n| n as usize),
            idle_timeout: std::time::Duration::from_secs(u64::from(args.idle_timeout)),
        };
        // Discovery advertises Bolt only when it is served, on the port routing advertises.
        let bolt_port = bolt.as_ref().and_then(|b| {
            b.advertised
                .rsplit_once(':')
                .and_then(|(_, port)| port.parse().ok())
        });
        let options = Options {
            authenticator,
            tls,
            limits,
            bolt_port,
            bolt,
            ..Options::default()
        };
        serve(listener, cluster, options, shutdown_signal())
            .await
            .map_err(ServeError::Stopped)?;
        println!("Stopped.");
        Ok(())
    })
}
