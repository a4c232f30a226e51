//! Launch: turns parsed command-line arguments into a backend and a run mode (one
//! statement, a file, standard input, or the interactive prompt), and into an exit status.
//!
//! It owns the choice of mode and the exit statuses. It must not parse statements or
//! render results itself.

use super::{Shell, connect, history, repl};
use crate::cli::{Cli, FormatArg};
use crate::client::embedded::{Embedded, Storage};
use crate::cluster::Config;
use crate::render::{Format, Options};
use std::io::{IsTerminal, Read};

/// Runs cysh with parsed arguments and returns the process exit status.
pub fn run(cli: Cli) -> i32 {
    if let Some(artifact) = cli.generate {
        let mut out = std::io::stdout().lock();
        return match crate::generate::write(artifact, &mut out) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("Could not write: {e}");
                1
            }
        };
    }
    if let Some(crate::cli::Command::Check(args)) = &cli.command {
        return super::check::run(args);
    }
    if let Some(crate::cli::Command::Serve(args)) = &cli.command {
        return crate::server::run::run(args);
    }
    if let Some(crate::cli::Command::Twin(args)) = &cli.command {
        return crate::twin::run(args);
    }
    let stdin_tty = std::io::stdin().is_terminal();
    let stdout_tty = std::io::stdout().is_terminal();
    let interactive =
        cli.statement.is_none() && cli.file.is_none() && !cli.non_interactive && stdin_tty;
    let format = match cli.format {
        FormatArg::Verbose => Format::Verbose,
        FormatArg::Plain => Format::Plain,
        FormatArg::Json => Format::Json,
        FormatArg::Auto
            if stdout_tty && (stdin_tty || cli.statement.is_some() || cli.file.is_some()) =>
        {
            Format::Verbose
        }
        FormatArg::Auto => Format::Plain,
    };
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut config = Config::with_servers(usize::from(cli.servers.unwrap_or(3)));
    if let Some(path) = &cli.config
        && let Err(e) = config.read_file(path)
    {
        eprintln!("{e}");
        return 1;
    }
    // The runtime outlives the shell (declared first, dropped last).
    let (backend, _runtime): (Box<dyn crate::client::Backend>, _) = match connect::address(&cli) {
        Err(message) => {
            eprintln!("{message}");
            return 1;
        }
        Ok(None) => {
            let storage = if cli.ephemeral {
                Storage::Memory
            } else {
                match cli.data_dir.clone().or_else(crate::store::default_dir) {
                    Some(dir) => Storage::Dir(dir),
                    None => {
                        eprintln!(
                            "No data directory could be found for this user; use --data-dir DIR or --ephemeral."
                        );
                        return 1;
                    }
                }
            };
            let renew = cli.servers.is_some() || cli.config.is_some();
            match Embedded::open(&config, storage.clone(), renew) {
                Ok(mut b) => {
                    // `-u` runs as another user of the cluster, password checked (argon2).
                    if let Some(user) = &cli.credentials.username {
                        let password = match connect::password(&cli.credentials) {
                            Ok(p) => p,
                            Err(message) => {
                                eprintln!("{message}");
                                return 1;
                            }
                        };
                        if let Err(e) = b.login(user, &password) {
                            eprintln!("{}: {}", e.code, e.message);
                            return 1;
                        }
                    }
                    if let Storage::Dir(dir) = &storage
                        && !b.is_new()
                        && (cli.servers.is_some() || cli.config.is_some())
                    {
                        eprintln!(
                            "{}",
                            crate::client::embedded::kept_cluster_warning(dir, b.server_count())
                        );
                    }
                    (Box::new(b), None)
                }
                Err(e) => {
                    eprintln!("{e}");
                    return 1;
                }
            }
        }
        Ok(Some(address)) => {
            let connected = connect::client_runtime()
                .and_then(|rt| connect::remote(&cli, address, &rt).map(|b| (b, rt)));
            match connected {
                Ok((backend, rt)) => (backend, Some(rt)),
                Err(message) => {
                    eprintln!("{message}");
                    return 1;
                }
            }
        }
    };
    let mut backend = backend;
    if let Some(user) = &cli.impersonate {
        match backend.impersonate(Some(user)) {
            Ok(()) => {}
            Err(crate::client::BackendError::Statement(e)) => {
                eprintln!("{}: {}", e.code, e.message);
                return 1;
            }
            Err(crate::client::BackendError::Fatal(m)) => {
                eprintln!("{m}");
                return 1;
            }
        }
    }
    let options = Options {
        format,
        wrap: cli.wrap,
        sample_rows: cli.sample_rows as usize,
    };
    let mut shell = Shell::new(backend, options, colour);
    if let Some(database) = &cli.database {
        shell.set_database(database);
    }
    shell.show_progress(std::io::stderr().is_terminal());
    for param in &cli.params {
        if let Err(e) = shell.set_params(param) {
            eprintln!("Invalid parameter {param}: {}: {}", e.code, e.render(param));
            return 1;
        }
    }

    if interactive && cli.dry_run {
        eprintln!(
            "--dry-run needs statements to rehearse: -f FILE, a statement argument or standard input \
             (in the interactive shell, use :dryrun <statement>)."
        );
        return 1;
    }
    if interactive {
        return repl::run(&mut shell, &history::policy(cli.history.as_deref()));
    }
    let mut origin = None;
    let input = if let Some(statement) = &cli.statement {
        statement.clone()
    } else if let Some(path) = &cli.file {
        origin = Some(path.display().to_string());
        match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                return 1;
            }
        }
    } else {
        let mut text = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut text) {
            eprintln!("Could not read standard input: {e}");
            return 1;
        }
        text
    };
    if cli.dry_run {
        return i32::from(
            shell
                .dry_run(&input, !cli.fail_at_end, origin.as_deref())
                .is_err(),
        );
    }
    let outcome = shell.run_script(&input, !cli.fail_at_end, origin.as_deref());
    i32::from(outcome.failed)
}
