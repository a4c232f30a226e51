//! `:connect` and `:disconnect`: closing the session's connection and opening it again,
//! as another user or the same one, on the same server (or embedded cluster).
//!
//! It owns the two commands' arguments, checks and messages, in cypher-shell's words.
//! It must not dial anything itself: the backend closes and reopens its own connections
//! (`Backend::disconnect`, `Backend::reconnect`), so the address, TLS and routing stay
//! what the session was started with.

use super::{Control, Failure, Shell};
use crate::client::credentials;

/// What `:connect` was given.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ConnectArgs {
    /// `-u`/`--username`.
    pub user: Option<String>,
    /// `-p`/`--password`.
    pub password: Option<String>,
    /// `-d`/`--database`.
    pub database: Option<String>,
}

/// The usage line cypher-shell prints for `:connect`.
pub const USAGE: &str = "[-u USERNAME, --username USERNAME], [-p PASSWORD, --password PASSWORD], \
                         [-d DATABASE, --database DATABASE]";

/// Why `:connect`'s arguments were refused.
#[derive(Debug, PartialEq, Eq)]
pub enum ConnectArgsError {
    /// Something that is not one of the three options, or an option without its value.
    Invalid,
    /// A password without a user.
    PasswordOnly,
}

/// Reads `:connect`'s arguments: `-u`, `-p`, `-d` and their long forms, each followed by
/// a value (`--username=x` works too), in any order; the last of a repeated one wins.
pub fn parse_args(args: &str) -> Result<ConnectArgs, ConnectArgsError> {
    let mut out = ConnectArgs::default();
    let mut words = args.split_whitespace();
    while let Some(word) = words.next() {
        let (flag, inline) = match word.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (word, None),
        };
        let slot = match flag {
            "-u" | "--username" => &mut out.user,
            "-p" | "--password" => &mut out.password,
            "-d" | "--database" => &mut out.database,
            _ => return Err(ConnectArgsError::Invalid),
        };
        let value = match inline {
            Some(v) => v,
            None => words.next().ok_or(ConnectArgsError::Invalid)?.to_string(),
        };
        if value.is_empty() {
            return Err(ConnectArgsError::Invalid);
        }
        *slot = Some(value);
    }
    if out.password.is_some() && out.user.is_none() {
        return Err(ConnectArgsError::PasswordOnly);
    }
    Ok(out)
}

/// `args` as it may be echoed: the value after `-p`/`--password` masked.
fn masked(args: &str) -> String {
    let mut out = Vec::new();
    let mut hide_next = false;
    for word in args.split_whitespace() {
        if hide_next {
            out.push("******".to_string());
            hide_next = false;
            continue;
        }
        match word.split_once('=') {
            Some(("--password", _)) => out.push("--password=******".to_string()),
            _ => {
                hide_next = word == "-p" || word == "--password";
                out.push(word.to_string());
            }
        }
    }
    out.join(" ")
}

impl Shell {
    /// The failure of anything tried while disconnected.
    pub(super) fn not_connected(&self) -> Failure {
        self.print_plain_error("Not connected to Neo4j");
        Failure::Statement
    }

    /// `:disconnect`: rolls back an open transaction and closes the connection.
    pub(super) fn disconnect(&mut self) -> Result<Control, Failure> {
        if !self.connected {
            return Err(self.not_connected());
        }
        if self.in_transaction {
            self.in_transaction = false;
            let _ = self.backend.rollback();
        }
        self.backend.disconnect();
        self.connected = false;
        Ok(Control::Continue)
    }

    /// `:connect [-u USER] [-p PASSWORD] [-d DATABASE]`: only when disconnected. Without
    /// `-u` the session's own credentials are used again (cysh keeps them in memory for
    /// the session; cypher-shell asks); a user without `-p` is asked for a password on a
    /// terminal. `-d` (else `NEO4J_DATABASE`, else the home database) becomes the
    /// session's database.
    pub(super) fn connect(&mut self, args: &str) -> Result<Control, Failure> {
        if self.connected {
            self.print_plain_error("Already connected");
            return Err(Failure::Statement);
        }
        let parsed = match parse_args(args) {
            Ok(p) => p,
            Err(ConnectArgsError::PasswordOnly) => {
                self.print_plain_error(
                    "You cannot provide password only, please provide a username using '-u USERNAME'",
                );
                return Err(Failure::Statement);
            }
            Err(ConnectArgsError::Invalid) => {
                self.print_plain_error(&format!(
                    "Invalid input string: '{}', usage: ':connect {USAGE}'",
                    masked(args.trim())
                ));
                return Err(Failure::Statement);
            }
        };
        let login = match &parsed.user {
            Some(user) => match credentials::password(Some(user), parsed.password.as_deref()) {
                Ok(password) => Some((user.clone(), password)),
                Err(e) => {
                    self.print_plain_error(&e.to_string());
                    return Err(Failure::Statement);
                }
            },
            None => None,
        };
        let outcome = self
            .backend
            .reconnect(login.as_ref().map(|(u, p)| (u.as_str(), p.as_str())));
        if let Err(e) = outcome {
            // Still disconnected: whatever the backend opened is closed again.
            self.backend.disconnect();
            return Err(self.backend_failure(e, ""));
        }
        self.connected = true;
        self.names_dirty = true;
        let database = parsed.database.or_else(|| {
            std::env::var("NEO4J_DATABASE")
                .ok()
                .filter(|d| !d.is_empty())
        });
        match database {
            Some(db) => {
                if self.database_known(&db) == Some(false) {
                    self.print_plain_error(&Shell::database_not_found(&db).message);
                    return Err(Failure::Statement);
                }
                self.database = db;
                Ok(Control::Continue)
            }
            None => self.use_home_database(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_in_any_order_with_long_and_short_forms() {
        assert_eq!(parse_args(""), Ok(ConnectArgs::default()));
        assert_eq!(
            parse_args(" -u alice --password s3cret -d movies "),
            Ok(ConnectArgs {
                user: Some("alice".into()),
                password: Some("s3cret".into()),
                database: Some("movies".into()),
            })
        );
        assert_eq!(
            parse_args("--database=db1 --username=bob"),
            Ok(ConnectArgs {
                user: Some("bob".into()),
                password: None,
                database: Some("db1".into()),
            })
        );
    }

    #[test]
    fn bad_arguments_are_refused() {
        assert_eq!(parse_args("-u"), Err(ConnectArgsError::Invalid));
        assert_eq!(parse_args("alice"), Err(ConnectArgsError::Invalid));
        assert_eq!(parse_args("-x 1"), Err(ConnectArgsError::Invalid));
        assert_eq!(parse_args("--username="), Err(ConnectArgsError::Invalid));
        assert_eq!(parse_args("-p pw"), Err(ConnectArgsError::PasswordOnly));
    }

    #[test]
    fn a_password_is_never_echoed() {
        assert_eq!(masked("-u a -p secret x"), "-u a -p ****** x");
        assert_eq!(masked("--password=secret -q"), "--password=****** -q");
        assert_eq!(masked("--password"), "--password");
    }
}
