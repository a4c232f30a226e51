//! `cysh serve` from the command line: builds the cluster, the initial user and the TLS
//! configuration, binds, prints the bound address and serves until SIGINT/SIGTERM.
//!
//! It owns the start-up messages and exit status of `cysh serve`. It must not handle
//! requests itself.

use super::{Options, auth, serve, shutdown_signal, tls};
use crate::cli::ServeArgs;
use crate::cluster::{Cluster, Config};
use std::io::Write;
use std::sync::Arc;

/// An authenticator shared by all requests.
pub type SharedAuthenticator = Arc<dyn auth::Authenticator>;

/// The authenticator `NEO4J_AUTH` asks for: `none` disables authentication;
/// `neo4j/<password>` sets the initial user's password; unset generates one, printed
/// once. Returns the authenticator and the message to print, if any.
pub fn initial_auth(
    neo4j_auth: Option<&str>,
) -> Result<(Option<SharedAuthenticator>, Option<String>), String> {
    let (password, note) = match neo4j_auth {
        Some(v) if v.eq_ignore_ascii_case("none") => {
            return Ok((
                None,
                Some("Authentication is disabled (NEO4J_AUTH=none).".to_string()),
            ));
        }
        Some(v) => {
            let (user, password) = v
                .split_once('/')
                .ok_or("NEO4J_AUTH must be 'neo4j/<password>' or 'none'.")?;
            if user != "neo4j" {
                return Err(format!(
                    "Invalid value for NEO4J_AUTH: '{user}' is invalid; the initial user must be neo4j."
                ));
            }
            if password.is_empty() {
                return Err("NEO4J_AUTH has an empty password.".into());
            }
            (password.to_string(), None)
        }
        None => {
            let p = auth::generate_password();
            let note = format!("Generated password for user neo4j: {p}");
            (p, Some(note))
        }
    };
    let users = auth::MemoryUsers::new();
    users.set_password("neo4j", &password)?;
    Ok((Some(Arc::new(users)), note))
}

/// Runs `cysh serve`; returns the exit status.
pub fn run(args: &ServeArgs) -> i32 {
    match run_inner(args) {
        Ok(()) => 0,
        Err(message) => {
            eprintln!("{message}");
            1
        }
    }
}

fn run_inner(args: &ServeArgs) -> Result<(), String> {
    let (authenticator, note) = initial_auth(std::env::var("NEO4J_AUTH").ok().as_deref())?;
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(tls::load_config(cert, key)?),
        _ => None,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    let mut config = Config::with_servers(usize::from(args.servers));
    if let Some(path) = &args.config {
        config.read_file(path)?;
    }
    let cluster = Cluster::new(config).map_err(|e| format!("{}: {}", e.code, e.message))?;
    for w in cluster.warnings() {
        eprintln!("Warning: {w}");
    }
    let runtime = crate::shell::connect::runtime()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .map_err(|e| format!("Could not listen on {}: {e}", args.listen))?;
        let bound = listener
            .local_addr()
            .map_err(|e| format!("Could not read the bound address: {e}"))?;
        if let Some(note) = note {
            println!("{note}");
        }
        println!("Listening on {scheme}://{bound}");
        let _ = std::io::stdout().flush();
        let options = Options {
            authenticator,
            tls,
            ..Options::default()
        };
        serve(listener, cluster, options, shutdown_signal())
            .await
            .map_err(|e| format!("The server stopped: {e}"))?;
        println!("Stopped.");
        Ok(())
    })
}
