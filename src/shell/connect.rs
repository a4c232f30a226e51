//! Connect: chooses the backend from the command line — the embedded cluster, or a remote
//! server over the Query API (`-a` or `NEO4J_ADDRESS`/`NEO4J_URI`) — with its tokio runtime
//! and the password prompt.
//!
//! It owns address and credential resolution. It must not run statements.

use crate::cli::{Cli, Credentials};
use crate::client::Backend;
use crate::client::BackendError;
use crate::client::remote::{ConnectOptions, Remote, UNAUTHORIZED};
use std::io::IsTerminal;
use std::sync::Arc;
use tokio::runtime::Runtime;

/// The remote address from `-a` or the environment; both variables set is an error, as in
/// cypher-shell.
pub fn address(cli: &Cli) -> Result<Option<String>, String> {
    if let Some(a) = &cli.address {
        return Ok(Some(a.clone()));
    }
    let from_env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    match (from_env("NEO4J_ADDRESS"), from_env("NEO4J_URI")) {
        (Some(_), Some(_)) => {
            Err("Specify one or none of environment variables NEO4J_ADDRESS and NEO4J_URI".into())
        }
        (a, u) => Ok(a.or(u)),
    }
}

/// The remote shell's tokio runtime: one thread, the caller's. The shell waits for every
/// reply anyway, and driving the connection on its own thread saves a hand-off between
/// threads per statement.
pub fn client_runtime() -> Result<Arc<Runtime>, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map(Arc::new)
        .map_err(|e| format!("Could not start the async runtime: {e}"))
}

/// `cysh serve`'s tokio runtime: one worker per core.
pub fn runtime() -> Result<Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("Could not start the async runtime: {e}"))
}

/// Connects to `address` with the command line's credentials, prompting for a missing
/// password on a terminal.
pub fn remote(
    cli: &Cli,
    address: String,
    runtime: &Arc<Runtime>,
) -> Result<Box<dyn Backend>, String> {
    let user = cli.credentials.username.clone().unwrap_or_default();
    let password = password(&cli.credentials)?;
    let mut options = ConnectOptions {
        address,
        user,
        password,
    };
    match Remote::connect(Arc::clone(runtime), &options) {
        Ok(r) => Ok(Box::new(r)),
        // On a terminal, bad credentials get one more try with prompted ones, as in
        // cypher-shell.
        Err(BackendError::Fatal(m)) if m == UNAUTHORIZED && std::io::stdin().is_terminal() => {
            options.user = ask("username", false)?;
            options.password = ask("password", true)?;
            Remote::connect(Arc::clone(runtime), &options)
                .map(|r| Box::new(r) as Box<dyn Backend>)
                .map_err(|e| e.to_string())
        }
        Err(e) => Err(e.to_string()),
    }
}

/// The password for `-u`: `-p` (or `NEO4J_PASSWORD`), else prompted for (masked) on a
/// terminal, else an error that says how to give one. No user means no password.
pub fn password(credentials: &Credentials) -> Result<String, String> {
    let user = credentials.username.as_deref().unwrap_or_default();
    match (&credentials.password, user.is_empty()) {
        (Some(p), _) => Ok(p.clone()),
        (None, true) => Ok(String::new()),
        (None, false) if std::io::stdin().is_terminal() => rpassword::prompt_password("password: ")
            .map_err(|e| format!("No text could be read, exiting... ({e})")),
        (None, false) => Err(format!(
            "No password given for user {user}: use -p/--password or NEO4J_PASSWORD."
        )),
    }
}

/// Prompts on the terminal until a non-empty answer; the password is not echoed.
fn ask(what: &str, masked: bool) -> Result<String, String> {
    for _ in 0..3 {
        let answer = if masked {
            rpassword::prompt_password(format!("{what}: "))
        } else {
            eprint!("{what}: ");
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).map(|_| line)
        }
        .map_err(|_| "No text could be read, exiting...".to_string())?;
        let answer = answer.trim_end_matches(['\r', '\n']).to_string();
        if !answer.is_empty() {
            return Ok(answer);
        }
        eprintln!("{what} cannot be empty");
    }
    Err("No text could be read, exiting...".into())
}
