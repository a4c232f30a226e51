//! The `cysh` binary: parse the command line and hand over to the library.

use clap::Parser;

fn main() {
    let cli = cysh::cli::Cli::parse();
    std::process::exit(cysh::shell::launch::run(cli));
}
