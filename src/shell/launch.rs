//! Launch: turns the shell's command-line arguments into a backend and a run mode (one
//! statement, a file, standard input, or the interactive prompt), and into an exit status.
//!
//! It owns the choice of mode and the shell's exit statuses, in named steps: the output
//! format, the backend (embedded or remote, logged in), the session (impersonation,
//! database, `-P`), then the input. It must not parse statements or render results itself,
//! nor dispatch subcommands: `main` does.

use super::connect::{self, ConnectError};
use super::{Shell, history, repl};
use crate::cli::{Cli, FormatArg};
use crate::client::credentials::{self, CredentialsError};
use crate::client::embedded::{self, Embedded, OpenError, Storage};
use crate::client::log::{self, LogError};
use crate::client::runtime::{self, RuntimeError};
use crate::client::{Backend, BackendError, ConnectionError};
use crate::cluster::Config;
use crate::cluster::config::ConfigError;
use crate::error::Neo4jError;
use crate::render::{Format, Options};
use crate::store::{self, NoDataDir};
use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::runtime::Runtime;

/// Why the shell could not start or read its input; printed on stderr, exit status 1.
#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    /// `--config` cannot be used.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// `--log FILE` cannot be written.
    #[error(transparent)]
    Log(#[from] LogError),
    /// No data directory for the embedded cluster.
    #[error(transparent)]
    NoDataDir(#[from] NoDataDir),
    /// The embedded cluster could not be opened.
    #[error(transparent)]
    Open(#[from] OpenError),
    /// No password for `-u`.
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    /// No runtime for the remote backend.
    #[error(transparent)]
    Runtime(#[from] RuntimeError),
    /// The remote server could not be used.
    #[error(transparent)]
    Connect(#[from] ConnectError),
    /// A login or `--impersonate` was refused, in Neo4j's words.
    #[error("{}: {}", .0.code, .0.message)]
    Refused(Neo4jError),
    /// The remote server failed while `--impersonate` was checked.
    #[error(transparent)]
    Connection(#[from] ConnectionError),
    /// A `-P` that is not a parameter map.
    // A -P may be one very long line: quote a window of it, not all of it twice.
    #[error("Invalid parameter {}: {}: {}", crate::error::excerpt(.param, 80), .error.code,
            .error.render_excerpt(.param, 80))]
    Param {
        /// The `-P` text.
        param: String,
        /// Why it was refused.
        error: Neo4jError,
    },
    /// `--dry-run` at the interactive prompt.
    #[error(
        "--dry-run needs statements to rehearse: -f FILE, a statement argument or standard input \
         (in the interactive shell, use :dryrun <statement>)."
    )]
    DryRunNeedsInput,
    /// The `-f` file cannot be read.
    #[error("{}: {source}", .path.display())]
    ReadFile {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Standard input cannot be read.
    #[error("Could not read standard input: {0}")]
    ReadStdin(std::io::Error),
}

impl From<BackendError> for LaunchError {
    fn from(e: BackendError) -> Self {
        match e {
            BackendError::Statement(e) => LaunchError::Refused(e),
            BackendError::Fatal(e) => LaunchError::Connection(e),
        }
    }
}

/// Runs the shell's steps in order and returns the exit status; an error before the first
/// statement ends the run (`main` prints it and exits 1).
pub fn run(cli: &Cli) -> Result<i32, LaunchError> {
    let stdin_tty = std::io::stdin().is_terminal();
    let interactive =
        cli.statement.is_none() && cli.file.is_none() && !cli.non_interactive && stdin_tty;
    let format = output_format(cli, stdin_tty);
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    if let Some(file) = &cli.log {
        // `--log` without a file logs to standard error.
        log::enable(file.as_deref())?;
    }
    let mut config = Config::with_servers(usize::from(cli.servers.unwrap_or(3)));
    if let Some(path) = &cli.config {
        config.read_file(path)?;
    }
    // The runtime outlives the shell (declared first, dropped last).
    let (backend, _runtime) = backend(cli, &config)?;
    let options = Options {
        format,
        wrap: cli.wrap,
        sample_rows: cli.sample_rows as usize,
        notifications: cli.notifications,
    };
    let mut shell = session(cli, backend, options, colour)?;
    if interactive && cli.dry_run {
        return Err(LaunchError::DryRunNeedsInput);
    }
    if interactive {
        return Ok(repl::run(
            &mut shell,
            &history::policy(cli.history.as_ref()),
            cli.idle_timeout.duration(),
        ));
    }
    let fail_fast = !cli.fail_at_end;
    let outcome = match input(cli)? {
        Input::Whole(bytes, origin) if cli.dry_run => {
            return Ok(i32::from(
                shell.dry_run(&bytes, fail_fast, origin.as_deref()).is_err(),
            ));
        }
        Input::Stream(mut reader, origin) if cli.dry_run => {
            // A dry run's plan covers the whole input: it is read to its end first.
            let mut bytes = Vec::new();
            reader
                .read_to_end(&mut bytes)
                .map_err(|source| read_error(cli, source))?;
            return Ok(i32::from(
                shell.dry_run(&bytes, fail_fast, origin.as_deref()).is_err(),
            ));
        }
        Input::Whole(bytes, origin) => shell.run_bytes(&bytes, fail_fast, origin.as_deref()),
        Input::Stream(mut reader, origin) => shell
            .run_stream(&mut reader, fail_fast, origin.as_deref())
            .map_err(|source| read_error(cli, source))?,
    };
    Ok(i32::from(outcome.failed))
}

/// Where the statements come from: read whole (a statement argument, a regular file), or
/// streamed as they arrive (standard input, a pipe or FIFO given to `-f`), each with the
/// name failures cite.
enum Input {
    Whole(Vec<u8>, Option<String>),
    Stream(Box<dyn std::io::BufRead>, Option<String>),
}

/// A failure to read the input, naming it.
fn read_error(cli: &Cli, source: std::io::Error) -> LaunchError {
    match &cli.file {
        Some(path) => LaunchError::ReadFile {
            path: path.clone(),
            source,
        },
        None => LaunchError::ReadStdin(source),
    }
}

/// `--format auto` is a table (verbose) when standard output is a terminal and the input
/// is a terminal or a statement or file was given; plain otherwise.
fn output_format(cli: &Cli, stdin_tty: bool) -> Format {
    let stdout_tty = std::io::stdout().is_terminal();
    match cli.format {
        FormatArg::Verbose => Format::Verbose,
        FormatArg::Plain => Format::Plain,
        FormatArg::Json => Format::Json,
        FormatArg::Auto
            if stdout_tty && (stdin_tty || cli.statement.is_some() || cli.file.is_some()) =>
        {
            Format::Verbose
        }
        FormatArg::Auto => Format::Plain,
    }
}

/// A backend and the runtime that drives it (a remote one only), which must outlive it.
type Connected = (Box<dyn Backend>, Option<Arc<Runtime>>);

/// The backend: a remote server with `-a` (and its runtime), else the embedded cluster.
fn backend(cli: &Cli, config: &Config) -> Result<Connected, LaunchError> {
    match connect::address(cli)? {
        None => Ok((Box::new(embedded_backend(cli, config)?), None)),
        Some(address) => {
            let runtime = runtime::current_thread()?;
            let backend = connect::remote(cli, address, &runtime)?;
            Ok((backend, Some(runtime)))
        }
    }
}

/// The embedded cluster in memory (`--ephemeral`) or in its data directory, logged in as
/// `-u` when given (password checked with argon2).
fn embedded_backend(cli: &Cli, config: &Config) -> Result<Embedded, LaunchError> {
    let storage = if cli.ephemeral {
        Storage::Memory
    } else {
        Storage::Dir(store::dir_or_default(cli.data_dir.as_deref())?)
    };
    let renew = cli.servers.is_some() || cli.config.is_some();
    let mut backend = Embedded::open(config, storage.clone(), renew, cli.recover)?;
    let given = &cli.credentials;
    if let Some(user) = &given.username {
        let password = credentials::password(Some(user), given.password.as_deref())?;
        backend
            .login(user, &password)
            .map_err(LaunchError::Refused)?;
    }
    if let Storage::Dir(dir) = &storage
        && !backend.is_new()
        && renew
    {
        eprintln!(
            "{}",
            embedded::kept_cluster_warning(dir, backend.server_count())
        );
    }
    Ok(backend)
}

/// The shell over `backend`, with `--impersonate`, `-d` and `-P` applied.
fn session(
    cli: &Cli,
    mut backend: Box<dyn Backend>,
    options: Options,
    colour: bool,
) -> Result<Shell, LaunchError> {
    if let Some(user) = &cli.impersonate {
        backend.impersonate(Some(user))?;
    }
    let mut shell = Shell::new(backend, options, colour);
    shell.set_cypher_version(cli.cypher_version);
    if let Some(database) = &cli.database {
        // Refused at once, as Neo4j refuses the session, rather than failing every
        // statement later (or, for admin commands that run on system, never).
        if shell.database_known(database) == Some(false) {
            return Err(LaunchError::Refused(Shell::database_not_found(database)));
        }
        shell.set_database(database);
    }
    shell.show_progress(std::io::stderr().is_terminal());
    for param in &cli.params {
        shell
            .set_params(param)
            .map_err(|error| LaunchError::Param {
                param: param.clone(),
                error,
            })?;
    }
    Ok(shell)
}

/// The statements to run: the argument, the `-f` file (whose name failures cite) or
/// standard input. A regular file is read whole (a long script then shows progress);
/// anything else is streamed.
fn input(cli: &Cli) -> Result<Input, LaunchError> {
    if let Some(statement) = &cli.statement {
        return Ok(Input::Whole(statement.clone().into_bytes(), None));
    }
    if let Some(path) = &cli.file {
        let origin = Some(path.display().to_string());
        let file = std::fs::File::open(path).map_err(|source| read_error(cli, source))?;
        if file.metadata().is_ok_and(|m| m.is_file()) {
            let mut bytes = Vec::new();
            std::io::BufReader::new(file)
                .read_to_end(&mut bytes)
                .map_err(|source| read_error(cli, source))?;
            return Ok(Input::Whole(bytes, origin));
        }
        return Ok(Input::Stream(
            Box::new(std::io::BufReader::new(file)),
            origin,
        ));
    }
    Ok(Input::Stream(Box::new(std::io::stdin().lock()), None))
}
