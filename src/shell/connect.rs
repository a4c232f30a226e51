//! Connect: the remote server of the command line (`-a` or `NEO4J_ADDRESS`/`NEO4J_URI`),
//! over Bolt (`neo4j://`, `bolt://`, their `+s`/`+ssc` forms, or no scheme) or the HTTP
//! Query API (`http(s)://`), logged in with `-u`/`-p`, with one more try on prompted
//! credentials on a terminal.
//!
//! It owns address resolution and the shell's retry. It must not run statements; the
//! password prompt and the runtime are the client layer's (`client::credentials`,
//! `client::runtime`), shared with `cysh twin`.

use crate::cli::{AccessModeArg, Cli, EncryptionArg, ErrorFormatArg};
use crate::client::bolt::address::{Encryption, is_http};
use crate::client::bolt::{AccessMode, Bolt, BoltOptions, ErrorFormat};
use crate::client::credentials::{self, CredentialsError};
use crate::client::remote::{ConnectOptions, Remote};
use crate::client::runtime::RuntimeError;
use crate::client::{Backend, BackendError};
use std::io::IsTerminal;
use std::sync::Arc;
use tokio::runtime::Runtime;

/// Why the shell could not connect to its remote server.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// Both address variables are set, which cypher-shell refuses too.
    #[error("Specify one or none of environment variables NEO4J_ADDRESS and NEO4J_URI")]
    TwoAddresses,
    /// No runtime to drive the connection.
    #[error(transparent)]
    Runtime(#[from] RuntimeError),
    /// No credentials could be had.
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    /// The new password and its confirmation differ (`--change-password`).
    #[error("Passwords do not match.")]
    PasswordsDiffer,
    /// The server could not be reached or refused the credentials.
    #[error(transparent)]
    Backend(#[from] BackendError),
    /// The server wants credentials and none were given.
    #[error(
        "The client is unauthorized due to authentication failure: no credentials were given. \
         Give -u USER (and -p PASSWORD, or type it when asked), or set NEO4J_USERNAME and \
         NEO4J_PASSWORD."
    )]
    NoCredentials,
}

/// The remote address from `-a` or the environment; both variables set is an error, as in
/// cypher-shell.
pub fn address(cli: &Cli) -> Result<Option<String>, ConnectError> {
    if let Some(a) = &cli.address {
        return Ok(Some(a.clone()));
    }
    let from_env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    match (from_env("NEO4J_ADDRESS"), from_env("NEO4J_URI")) {
        (Some(_), Some(_)) => Err(ConnectError::TwoAddresses),
        (a, u) => Ok(a.or(u)),
    }
}

/// Connects to `address` with the command line's credentials, prompting for a missing
/// password on a terminal.
pub fn remote(
    cli: &Cli,
    address: String,
    runtime: &Arc<Runtime>,
) -> Result<Box<dyn Backend>, ConnectError> {
    let given = &cli.credentials;
    let user = given.username.clone().unwrap_or_default();
    let password = credentials::password(given.username.as_deref(), given.password.as_deref())?;
    if !is_http(&address) {
        return bolt(cli, address, user, password, runtime);
    }
    let mut options = ConnectOptions {
        address,
        user,
        password,
        tx_timeout: cli.transaction_timeout.and_then(|t| t.duration()),
    };
    match Remote::connect(Arc::clone(runtime), &options) {
        Ok(r) => Ok(Box::new(r)),
        // On a terminal, bad credentials get one more try with prompted ones, as in
        // cypher-shell.
        Err(e) if e.is_unauthorized() && std::io::stdin().is_terminal() => {
            options.user = credentials::ask("username", false)?;
            options.password = credentials::ask("password", true)?;
            Ok(Box::new(Remote::connect(Arc::clone(runtime), &options)?))
        }
        // Without -u, "unauthorized" alone would not say what is missing.
        Err(e) if e.is_unauthorized() && given.username.is_none() => {
            Err(ConnectError::NoCredentials)
        }
        Err(e) => Err(e.into()),
    }
}

/// Connects over Bolt (every address but `http(s)://`), with one more try on prompted
/// credentials on a terminal.
fn bolt(
    cli: &Cli,
    address: String,
    user: String,
    password: String,
    runtime: &Arc<Runtime>,
) -> Result<Box<dyn Backend>, ConnectError> {
    let mut options = BoltOptions {
        address,
        user,
        password,
        encryption: match cli.encryption {
            EncryptionArg::True => Encryption::True,
            EncryptionArg::False => Encryption::False,
            EncryptionArg::Default => Encryption::Default,
        },
        access: match cli.access_mode {
            AccessModeArg::Write => AccessMode::Write,
            AccessModeArg::Read => AccessMode::Read,
        },
        error_format: match cli.error_format {
            ErrorFormatArg::Gql => ErrorFormat::Gql,
            ErrorFormatArg::Legacy => ErrorFormat::Legacy,
            ErrorFormatArg::Stacktrace => ErrorFormat::Stacktrace,
        },
        tx_timeout: cli.transaction_timeout.and_then(|t| t.duration()),
    };
    let mut bolt = match Bolt::connect(Arc::clone(runtime), &options) {
        Ok(b) => b,
        Err(e) if e.is_unauthorized() && std::io::stdin().is_terminal() => {
            options.user = credentials::ask("username", false)?;
            options.password = credentials::ask("password", true)?;
            Bolt::connect(Arc::clone(runtime), &options)?
        }
        Err(e) => return Err(e.into()),
    };
    // As cypher-shell: on a terminal, a required password change is asked for at once
    // (piped input just gets the server's CredentialsExpired on its first statement).
    let required =
        !cli.change_password && std::io::stdin().is_terminal() && bolt.credentials_expired()?;
    if cli.change_password || required {
        if required {
            eprintln!("Password change required");
        }
        let new = credentials::ask("new password", true)?;
        let confirm = credentials::ask("confirm password", true)?;
        if new != confirm {
            return Err(ConnectError::PasswordsDiffer);
        }
        bolt.change_password(&new)?;
    }
    Ok(Box::new(bolt))
}
