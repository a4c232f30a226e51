//! The `cysh` binary: parse the command line and hand over to the library.

use clap::Parser;

fn main() {
    let cli = match cysh::cli::Cli::try_parse() {
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
    std::process::exit(cysh::shell::launch::run(cli));
}
