//! The `cysh` binary: parse the command line and hand the parsed command to the part of
//! the library that runs it — one `match`, so no part below reaches up to dispatch.

use clap::Parser;
use cysh::cli::{Cli, Command};

/// mimalloc instead of the system allocator: the parser, the PackStream decoder and the
/// servers allocate many small, short-lived objects, where it is markedly faster than
/// glibc's malloc (BENCHMARKS.md, "The allocator").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // `--generate ARTIFACT` (a build step, undocumented) is read before clap and wins over
    // everything else.
    if let Some(request) = generate_request() {
        std::process::exit(match request {
            Ok(artifact) => generate(artifact),
            Err(value) => {
                eprintln!("--generate: unknown artifact '{value}'");
                1
            }
        });
    }
    let mut cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are not errors. A bad argument exits 1, as in
            // cypher-shell, except under `cysh check`, whose usage errors exit 2.
            let status = if !e.use_stderr() {
                0
            } else if std::env::args().nth(1).as_deref() == Some("check") {
                2
            } else {
                1
            };
            let _ = e.print();
            std::process::exit(status);
        }
    };
    if cli.driver_version {
        println!("{}", cysh::client::driver_version());
        std::process::exit(0);
    }
    let status = match cli.command.take() {
        Some(Command::Check(args)) => cysh::shell::check::run(&args),
        Some(Command::Serve(args)) => report(cysh::server::run::run(&args).map(|()| 0)),
        Some(Command::Twin(args)) => report(cysh::twin::run(&args).map(|()| 0)),
        None => report(cysh::shell::launch::run(&cli)),
    };
    std::process::exit(status);
}

/// The exit status of a run: its own, or 1 after printing why it failed (one line on
/// standard error, in the words of the part that failed).
fn report<E: std::fmt::Display>(outcome: Result<i32, E>) -> i32 {
    outcome.unwrap_or_else(|e| {
        eprintln!("{e}");
        1
    })
}

/// The artifact of `--generate ARTIFACT` anywhere on the command line, or the value that
/// names none; `None` without `--generate`.
fn generate_request() -> Option<Result<cysh::cli::Artifact, String>> {
    use clap::ValueEnum;
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let at = args.iter().position(|a| a == "--generate")?;
    let value = args
        .get(at + 1)
        .map(|v| v.to_string_lossy().into_owned())
        .unwrap_or_default();
    Some(cysh::cli::Artifact::from_str(&value, true).map_err(|_| value))
}

/// `--generate ARTIFACT`: the man page or a shell's completions on standard output.
fn generate(artifact: cysh::cli::Artifact) -> i32 {
    match cysh::generate::write(artifact, &mut std::io::stdout().lock()) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("Could not write: {e}");
            1
        }
    }
}
