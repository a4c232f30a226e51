//! Credentials from the operator: the password of `-u` (given, or prompted for on a
//! terminal) and the prompts for a second try after a refused login.
//!
//! It serves every way in that logs in (the shell, embedded or remote, and `cysh twin`),
//! so it sits in the client layer below them. It must not connect or decide what a
//! refusal means: the callers do.

use std::io::IsTerminal;

/// Why no credential could be had.
#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    /// The terminal could not be read while prompting for the password.
    #[error("No text could be read, exiting... ({0})")]
    Unreadable(std::io::Error),
    /// A prompt got no usable answer (unreadable, or empty three times).
    #[error("No text could be read, exiting...")]
    NoAnswer,
    /// A user without a password, and no terminal to ask on.
    #[error("No password given for user {user}: use -p/--password or NEO4J_PASSWORD.")]
    NoPassword {
        /// The user of `-u`.
        user: String,
    },
}

/// The password for `user` (`-u`): `given` (`-p` or `NEO4J_PASSWORD`), else prompted for
/// (masked) on a terminal, else an error that says how to give one. No user means no
/// password.
pub fn password(user: Option<&str>, given: Option<&str>) -> Result<String, CredentialsError> {
    let user = user.unwrap_or_default();
    match (given, user.is_empty()) {
        (Some(p), _) => Ok(p.to_string()),
        (None, true) => Ok(String::new()),
        (None, false) if std::io::stdin().is_terminal() => {
            rpassword::prompt_password("password: ").map_err(CredentialsError::Unreadable)
        }
        (None, false) => Err(CredentialsError::NoPassword { user: user.into() }),
    }
}

/// Prompts on the terminal until a non-empty answer (three tries); a `masked` answer is
/// not echoed.
pub fn ask(what: &str, masked: bool) -> Result<String, CredentialsError> {
    for _ in 0..3 {
        let answer = if masked {
            rpassword::prompt_password(format!("{what}: "))
        } else {
            eprint!("{what}: ");
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).map(|_| line)
        }
        .map_err(|_| CredentialsError::NoAnswer)?;
        let answer = answer.trim_end_matches(['\r', '\n']).to_string();
        if !answer.is_empty() {
            return Ok(answer);
        }
        eprintln!("{what} cannot be empty");
    }
    Err(CredentialsError::NoAnswer)
}
