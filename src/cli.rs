//! The command line: every flag and its meaning, defined once with clap.
//!
//! It owns argument names, defaults, help texts and conflicts. It must not act on them:
//! `main` dispatches the parsed command to the part that does (`shell::launch`,
//! `shell::check`, `server::run`, `twin`).

use crate::dialect::CypherVersion;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::str::FromStr;

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// A table on a terminal, plain when piped.
    Auto,
    /// A table in cypher-shell's frame and the row-count footer.
    Verbose,
    /// Column names, then values, joined by ", ".
    Plain,
    /// One JSON object per row, keys in column order (for jq).
    Json,
}

/// `--encryption`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EncryptionArg {
    /// TLS.
    True,
    /// No TLS.
    False,
    /// As the address's scheme says.
    Default,
}

/// `--access-mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AccessModeArg {
    /// Writers.
    Write,
    /// Readers.
    Read,
}

/// `--error-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ErrorFormatArg {
    /// GQLSTATUS and description.
    Gql,
    /// Neo4j status code and message.
    Legacy,
    /// Everything the server said: code and message, GQL status and description, and
    /// each cause.
    Stacktrace,
}

/// `--transaction-timeout`: a duration, or `disable`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutArg {
    /// No timeout (the server's default applies).
    Disable,
    /// This long.
    After(std::time::Duration),
}

impl TimeoutArg {
    /// The duration, `None` for `disable`.
    pub fn duration(self) -> Option<std::time::Duration> {
        match self {
            TimeoutArg::Disable => None,
            TimeoutArg::After(d) => Some(d),
        }
    }
}

impl FromStr for TimeoutArg {
    type Err = String;

    /// cypher-shell's durations: `<hours>h<minutes>m<seconds>s`, each part optional but in
    /// that order (`1h30m`, `10m`, `45s`, `1.5s`; case-insensitive), or `disable`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || {
            format!(
                "Invalid timeout value, valid values are for example 1h30m (1 hour and 30 \
                 minutes), 1h (1 hour), 10m (10 minutes): {s}"
            )
        };
        let text = s.trim().to_ascii_lowercase();
        if text == "disable" {
            return Ok(TimeoutArg::Disable);
        }
        let mut rest = text.as_str();
        let mut total = 0f64;
        let mut last_unit = 0;
        while !rest.is_empty() {
            let digits = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .ok_or_else(invalid)?;
            let (number, tail) = rest.split_at(digits);
            let value: f64 = number.parse().map_err(|_| invalid())?;
            let (unit, scale) = match tail.chars().next() {
                Some('h') => (1, 3600.0),
                Some('m') => (2, 60.0),
                Some('s') => (3, 1.0),
                _ => return Err(invalid()),
            };
            // Units in order, each once; only seconds may have a fraction.
            if unit <= last_unit || (unit != 3 && number.contains('.')) {
                return Err(invalid());
            }
            last_unit = unit;
            total += value * scale;
            rest = &tail[1..];
        }
        if last_unit == 0 || !total.is_finite() || total > 1e12 {
            return Err(invalid());
        }
        Ok(TimeoutArg::After(std::time::Duration::from_secs_f64(total)))
    }
}

/// `--cypher-version`: `5` or `25`, read into the dialect's version.
fn cypher_version() -> impl TypedValueParser<Value = CypherVersion> {
    PossibleValuesParser::new(["5", "25"]).try_map(|s| s.parse::<CypherVersion>())
}

/// `--history`: where the interactive history is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryArg {
    /// A file to load from and append to.
    Path(PathBuf),
    /// `in-memory`: this session only.
    InMemory,
    /// `disable`: nowhere.
    Disable,
}

impl FromStr for HistoryArg {
    type Err = std::convert::Infallible;

    /// `in-memory` and `disable` are the two words; anything else is a path.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "in-memory" => HistoryArg::InMemory,
            "disable" => HistoryArg::Disable,
            path => HistoryArg::Path(PathBuf::from(path)),
        })
    }
}

/// What `--generate` writes (the `generate` module writes it; the flag's values live here
/// so that `generate` uses `cli` and not the other way round). `--generate` itself is not a
/// clap flag: `main` reads it before clap, so no completion or page generated from the
/// clap definition offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Artifact {
    /// The man page, `man/cysh.1`.
    Man,
    /// The man page of `cysh check`, `man/cysh-check.1`.
    ManCheck,
    /// The man page of `cysh serve`, `man/cysh-serve.1`.
    ManServe,
    /// The man page of `cysh twin`, `man/cysh-twin.1`.
    ManTwin,
    /// The man page of `cysh help`, `man/cysh-help.1`.
    ManHelp,
    /// Bash completions, `completions/cysh.bash`.
    Bash,
    /// Zsh completions, `completions/_cysh`.
    Zsh,
    /// Fish completions, `completions/cysh.fish`.
    Fish,
}

impl Artifact {
    /// Every artifact with the path of its committed copy, relative to the repository root.
    pub const ALL: [(Artifact, &'static str); 8] = [
        (Artifact::Man, "man/cysh.1"),
        (Artifact::ManCheck, "man/cysh-check.1"),
        (Artifact::ManServe, "man/cysh-serve.1"),
        (Artifact::ManTwin, "man/cysh-twin.1"),
        (Artifact::ManHelp, "man/cysh-help.1"),
        (Artifact::Bash, "completions/cysh.bash"),
        (Artifact::Zsh, "completions/_cysh"),
        (Artifact::Fish, "completions/cysh.fish"),
    ];
}

/// cysh: an admin shell for Neo4j clusters.
#[derive(Debug, Parser)]
#[command(
    name = "cysh",
    version,
    disable_version_flag = true,
    about = "An admin shell for Neo4j clusters, with an embedded rehearsal cluster.",
    long_about = "An admin shell for Neo4j clusters, with an embedded rehearsal cluster.\n\n\
        By default the shell is interactive. Pass a statement as an argument, a file with -f, \
        or pipe statements on standard input to run them and exit. Statements end with ';'.\n\n\
        cysh speaks Neo4j's admin dialect: CREATE, ALTER, DROP, START and STOP DATABASE \
        (with TOPOLOGY and seed OPTIONS), SHOW DATABASES and SHOW SERVERS, ENABLE, ALTER, \
        RENAME and DROP SERVER, [DRYRUN] DEALLOCATE and REALLOCATE DATABASES, aliases, \
        CALL of the cluster procedures, and users, roles and privileges. It checks each \
        statement's syntax and parameters before running it: on the embedded cluster, kept \
        in a data directory (or in memory with --ephemeral), which rehearses the control \
        plane and enforces the privileges of the user it runs as (-u); or on a Neo4j server \
        with -a (-a neo4j://HOST:7687, bolt://, their +s and +ssc forms, or http:// for the \
        Query API). \
        `cysh check` only checks; `cysh serve` serves the embedded cluster over Neo4j's HTTP \
        Query API and, with --bolt, over Bolt.\n\n\
        In the shell, :help lists the colon-commands and the statements, and \
        :help <statement> (`:help create database`, `:help dryrun`) shows a statement's \
        syntax and examples. See also man cysh.\n\n\
        Example of piping a file:\n  cat some-cypher.txt | cysh"
)]
pub struct Cli {
    /// A statement to run, then exit: `cysh 'SHOW SERVERS'`. Several statements may be
    /// separated by `;`.
    #[arg(value_name = "STATEMENT")]
    pub statement: Option<String>,

    /// A file of statements to run, then exit. Statements end with `;`; colon-commands
    /// (`:param`, `:use`, ...) may appear on their own lines. A failure names its line.
    #[arg(
        short = 'f',
        long = "file",
        value_name = "FILE",
        conflicts_with = "statement"
    )]
    pub file: Option<PathBuf>,

    /// Add a parameter to the session: `-P '{a: 1, b: "x"}'`, `-P 'a => 1'` or JSON
    /// (`-P '{"a": 1}'`). Repeatable; later values may use earlier ones.
    #[arg(short = 'P', long = "param", value_name = "PARAM")]
    pub params: Vec<String>,

    /// Output format: a table (verbose) on a terminal, plain when piped (auto), or one JSON
    /// object per row (json).
    ///
    /// auto is verbose when standard output is a terminal and the input is a terminal, a
    /// statement argument or a -f file; otherwise plain. json also prints errors as JSON
    /// objects, for scripts and jq.
    #[arg(long, value_enum, default_value_t = FormatArg::Auto, value_name = "FORMAT")]
    pub format: FormatArg,

    /// Verbose format: wrap over-long cells onto more lines (true) or cut them with "…"
    /// (false).
    #[arg(long, value_name = "BOOL", default_value_t = true, action = ArgAction::Set)]
    pub wrap: bool,

    /// Verbose format: number of rows sampled to compute the column widths.
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
    pub sample_rows: u32,

    /// Where the interactive history is kept: a file path, `in-memory` (this session only)
    /// or `disable`. Default: `history` in cysh's folder under the user's data directory.
    /// Can also be set with CYSH_HISTORY or cypher-shell's NEO4J_CYPHER_SHELL_HISTORY (in
    /// that order).
    #[arg(long, value_name = "PATH|in-memory|disable", env = "CYSH_HISTORY")]
    pub history: Option<HistoryArg>,

    /// Closes the application after this much idle time at the interactive prompt, as
    /// `<hours>h<minutes>m<seconds>s` (`1h`, `1h30m`, `30m`), or `disable`. The time a
    /// statement runs does not count.
    #[arg(long, value_name = "IDLE-TIMEOUT", default_value = "disable")]
    pub idle_timeout: TimeoutArg,

    /// Print the server's notifications (warnings and information, with their codes)
    /// after each result in the verbose format (off by default, as in cypher-shell).
    #[arg(long)]
    pub notifications: bool,

    /// Log what the client does on the wire (connections, logins, routing, each statement
    /// sent, with passwords masked, and how it ended) to LOG-FILE, or to standard error
    /// when no file is given. `--debug` is the same.
    #[arg(long, alias = "debug", value_name = "LOG-FILE", num_args = 0..=1)]
    pub log: Option<Option<PathBuf>>,

    /// A timeout for every transaction of the session: `<hours>h<minutes>m<seconds>s`
    /// (`1h30m`, `10m`, `45s`) or `disable` (the default). Sent with each statement over
    /// Bolt (tx_timeout) and the Query API (maxExecutionTime, whole seconds); the embedded
    /// cluster answers at once and has nothing to time out, so it accepts and ignores it.
    #[arg(long, value_name = "DURATION")]
    pub transaction_timeout: Option<TimeoutArg>,

    /// Accepted for cypher-shell's command lines: cysh always completes keywords, names
    /// and parameters with TAB.
    #[arg(long)]
    pub enable_autocompletions: bool,

    /// Force non-interactive mode: read statements from standard input even on a terminal.
    #[arg(long)]
    pub non_interactive: bool,

    /// Stop at the first failing statement of a script and exit 1 (the default).
    #[arg(long, overrides_with = "fail_at_end")]
    pub fail_fast: bool,

    /// Run every statement of a script, report each failure, and exit 1 at the end if any
    /// failed.
    #[arg(long, overrides_with = "fail_fast")]
    pub fail_at_end: bool,

    /// Run the statements (-f FILE, a statement argument or standard input) as one dry run
    /// on the embedded cluster: each statement's result or error, then the plan of the
    /// whole script (allocation changes, load per server before and after, a verdict).
    /// Everything is rolled back. Exit 1 if any statement failed.
    ///
    /// With --format json the output is one JSON object (ok, statements, changes, load,
    /// belowTopology, maxLoadBefore, maxLoadAfter, verdict) for CI gates, e.g.
    /// `jq -e '.ok and (.belowTopology | length == 0) and .maxLoadAfter <= 40'`. A remote
    /// server (-a) cannot be dry-run: make a twin with `cysh twin` first.
    #[arg(long)]
    pub dry_run: bool,

    /// Keep the embedded cluster in memory; nothing is written to disk, and every run
    /// starts from a new cluster (what the scripts under examples/ use).
    #[arg(long, conflicts_with = "data_dir")]
    pub ephemeral: bool,

    /// Where the embedded cluster is kept (a SQLite database and a lock file). Default: `cysh`
    /// under the user's data directory (~/.local/share/cysh on Linux).
    ///
    /// The directory holds cluster.db (every acknowledged statement survives a crash) and
    /// cysh.lock: one cysh process uses a directory at a time; a second one waits 2 seconds,
    /// then exits 1 naming the holder's pid.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Open a data directory whose write-ahead log is damaged, continuing from its last
    /// intact commit (a copy of the store as found is kept beside it).
    #[arg(long, conflicts_with = "ephemeral")]
    pub recover: bool,

    /// Number of servers in a new embedded cluster [default: 3] (a data directory holding
    /// a cluster that has been changed keeps its servers; an unchanged one is set up anew).
    ///
    /// They form the first deployment and are all enabled. `--servers 0` starts with none:
    /// add servers with fixed ids and addresses with `CALL sim.addServer({serverId: ...,
    /// address: ...})` for repeatable output (`:help sim`).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(0..=1000))]
    pub servers: Option<u16>,

    /// The Neo4j server to connect to, as cypher-shell takes it: neo4j://HOST:7687 (routed),
    /// bolt://HOST:7687 (direct), their +s (TLS, verified) and +ssc (TLS, self-signed
    /// accepted) forms, or http://HOST:7474 / https://HOST:7473 for the HTTP Query API. No
    /// scheme means neo4j://, no port 7687; user:password@HOST works. Without it the
    /// embedded cluster is used. [env: NEO4J_ADDRESS or NEO4J_URI]
    #[arg(
        short = 'a',
        long = "address",
        visible_alias = "uri",
        value_name = "ADDRESS"
    )]
    pub address: Option<String>,

    /// `-u`/`-p`.
    #[command(flatten)]
    pub credentials: Credentials,

    /// Bolt: change the user's password on connecting (prompts for the new one twice), as
    /// happens anyway on a terminal when the server requires it.
    #[arg(long)]
    pub change_password: bool,

    /// Bolt: encrypt the connection (true: TLS verified against the system's trust store),
    /// not (false), or as the address's scheme says (default).
    #[arg(long, value_enum, default_value_t = EncryptionArg::Default, value_name = "ENCRYPTION")]
    pub encryption: EncryptionArg,

    /// Bolt: send statements to the cluster's writers (write) or readers (read).
    #[arg(long, value_enum, default_value_t = AccessModeArg::Write, value_name = "MODE")]
    pub access_mode: AccessModeArg,

    /// Bolt: print a server's errors as Neo4j status code and message (legacy), as
    /// GQLSTATUS and description (gql, from servers speaking Bolt 5.7+), or with every
    /// detail the server sent and its causes (stacktrace). The default is legacy (cypher-shell
    /// defaults to gql since 2025.06).
    #[arg(long, value_enum, default_value_t = ErrorFormatArg::Legacy, value_name = "FORMAT")]
    pub error_format: ErrorFormatArg,

    /// Run statements as this user (their privileges and home database), which needs the
    /// IMPERSONATE privilege; only reads run while impersonating. `:impersonate` changes it.
    #[arg(long, value_name = "USER")]
    pub impersonate: Option<String>,

    /// The Cypher version statements are parsed in: 5 (the default of Neo4j 5.26 and 2025.x
    /// servers) or 25. A statement's own `CYPHER 5` / `CYPHER 25` prefix wins.
    #[arg(long, value_name = "VERSION", default_value = "5", value_parser = cypher_version())]
    pub cypher_version: CypherVersion,

    /// The database statements run against (default: system, where the admin statements
    /// run). `:use` changes it during a session.
    #[arg(short = 'd', long, env = "NEO4J_DATABASE", value_name = "DATABASE")]
    pub database: Option<String>,

    /// Settings of a new embedded cluster, in neo4j.conf `name=value` lines.
    ///
    /// Lines starting with `#` are comments. Known settings: initial.dbms.default_database,
    /// initial.dbms.default_primaries_count, initial.dbms.default_secondaries_count,
    /// dbms.cluster.minimum_initial_system_primaries_count,
    /// initial.dbms.automatically_enable_free_servers, dbms.max_databases,
    /// initial.server.mode_constraint, initial.server.allowed_databases,
    /// initial.server.denied_databases, initial.server.tags and
    /// server.cluster.system_database_mode. Example: examples/default-database-bootstrap.conf.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Print the version and exit.
    #[arg(short = 'v', long = "version", action = ArgAction::Version)]
    pub version: Option<bool>,

    /// Print the version of the client that talks to Neo4j (cysh's own Bolt and Query API
    /// client) and exit.
    #[arg(long)]
    pub driver_version: bool,

    /// A subcommand (`check`, `serve`, `twin`); none runs the shell.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// cysh's subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the syntax and parameters of statements without executing anything.
    Check(CheckArgs),
    /// Serve the embedded cluster over Neo4j's HTTP Query API v2 and, with --bolt, Bolt.
    Serve(ServeArgs),
    /// Copy a live cluster's servers, databases, allocations and defaults into a new
    /// embedded cluster, to rehearse statements on it (`:dryrun`).
    Twin(TwinArgs),
}

/// `cysh twin (--from ADDRESS | --from-json FILE) --data-dir DIR`.
#[derive(Debug, Args)]
#[command(
    long_about = "Copy a live cluster's control plane into a new embedded cluster (a twin), to \
        rehearse statements on it with :dryrun or cysh --dry-run.\n\n\
        The twin has the same servers (ids, names, addresses, states, health, options), \
        databases (topologies, access, status, options), allocations, aliases and default \
        database, read with SHOW SERVERS YIELD *, SHOW DATABASES YIELD *, SHOW ALIASES FOR \
        DATABASES YIELD *, CALL dbms.showTopologyGraphConfig() and SHOW DEFAULT DATABASE. \
        Users, roles and secrets are not copied: the twin has the built-in roles and the \
        initial neo4j user of any new cluster. What cannot be read is reported on standard \
        error (twin: ... lines), not invented.\n\n\
        --from-json reads a snapshot taken elsewhere: one JSON object with the keys \
        \"servers\", \"databases\" and \"aliases\" (arrays of the rows of those SHOW \
        commands as plain JSON objects, as cysh --format json prints them), \
        \"topologyGraphConfig\" (the procedure's row) and \"defaultDatabase\" (a name). \
        --save-json writes that file."
)]
pub struct TwinArgs {
    /// The live cluster's address: over Bolt as the shell's -a takes it (neo4j://HOST:7687,
    /// bolt://, their +s/+ssc forms, or HOST[:PORT]), or over the Query API
    /// (http://HOST:7474 or https://HOST:7473).
    #[arg(
        long,
        value_name = "ADDRESS",
        required_unless_present = "from_json",
        conflicts_with = "from_json"
    )]
    pub from: Option<String>,

    /// A snapshot file instead of a live cluster (the format is in the long help).
    #[arg(long, value_name = "FILE")]
    pub from_json: Option<PathBuf>,

    /// The new data directory to write the twin into (absent or empty).
    #[arg(long, value_name = "DIR")]
    pub data_dir: PathBuf,

    /// `-u`/`-p`.
    #[command(flatten)]
    pub credentials: Credentials,

    /// Also write the snapshot that was read to FILE (the --from-json format).
    #[arg(long, value_name = "FILE")]
    pub save_json: Option<PathBuf>,
}

/// `-u`/`-p`, shared by the shell and `cysh twin`.
#[derive(Debug, Clone, Args)]
pub struct Credentials {
    /// The user to connect as (`-u neo4j`). Without one, no credentials are sent.
    #[arg(short = 'u', long, env = "NEO4J_USERNAME", value_name = "USERNAME")]
    pub username: Option<String>,

    /// The password of -u; prompted for on a terminal when a username is given without one
    /// (prefer the prompt or NEO4J_PASSWORD: a flag shows in the process list).
    #[arg(
        short = 'p',
        long,
        env = "NEO4J_PASSWORD",
        hide_env_values = true,
        value_name = "PASSWORD"
    )]
    pub password: Option<String>,
}

/// `cysh check [OPTIONS] [FILE...]`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files to check; standard input when none. Exit status: 0 when every statement is
    /// valid, 1 when any is not, 2 for a usage or read error.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// One JSON object per statement on standard output, instead of each problem with a
    /// caret under it.
    #[arg(long)]
    pub json: bool,

    /// A parameter map (`{a: 1}`, `name => value` or JSON); repeatable. Statements are
    /// checked against these and the input's `:param` lines: a missing `$param` or one of
    /// the wrong type is an error.
    #[arg(short = 'P', long = "param", value_name = "PARAM")]
    pub params: Vec<String>,

    /// The Cypher version statements are checked in: 5 (the default of Neo4j 5.26 and
    /// 2025.x servers) or 25. A statement's own `CYPHER 5` / `CYPHER 25` prefix wins.
    #[arg(long, value_name = "VERSION", default_value = "5", value_parser = cypher_version())]
    pub cypher_version: CypherVersion,
}

/// `cysh serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on (port 0 picks a free port; the bound address is printed).
    #[arg(long, default_value = "127.0.0.1:7474", value_name = "ADDR")]
    pub listen: String,

    /// Keep the cluster in memory; nothing is written to disk.
    #[arg(long, conflicts_with = "data_dir")]
    pub ephemeral: bool,

    /// The data directory of the served cluster (default: the same one the shell uses).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Number of servers in a new embedded cluster [default: 3] (a data directory holding
    /// a cluster that has been changed keeps its servers; an unchanged one is set up anew).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(0..=1000))]
    pub servers: Option<u16>,

    /// Settings of the new embedded cluster, in neo4j.conf `name=value` lines.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Serve HTTPS with this PEM certificate chain (needs --tls-key).
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,

    /// The PEM private key for --tls-cert.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,

    /// Open a data directory whose write-ahead log is damaged, continuing from its last
    /// intact commit (a copy of the store as found is kept beside it).
    #[arg(long, conflicts_with = "ephemeral")]
    pub recover: bool,

    /// Connections held open at most [default: 2048, less when the open-file limit is
    /// lower]; a client past them is answered 503 and closed.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub max_connections: Option<u32>,

    /// Seconds a connection may take to send a request's headers, and may stay idle
    /// between requests, before it is closed.
    #[arg(long, value_name = "SECONDS", default_value_t = 30,
          value_parser = clap::value_parser!(u32).range(1..=3600))]
    pub idle_timeout: u32,
    /// Serve Bolt too, on this address [default when given without one: 127.0.0.1:7687]
    /// (port 0 picks a free port; the bound address is printed). With --tls-cert, Bolt
    /// is served over TLS too.
    #[arg(
        long,
        value_name = "ADDR",
        num_args = 0..=1,
        default_missing_value = "127.0.0.1:7687",
        require_equals = false
    )]
    pub bolt: Option<String>,

    /// The host:port that Bolt routing tables advertise for this server [default: the
    /// bound Bolt address].
    #[arg(long, value_name = "HOST:PORT", requires = "bolt")]
    pub bolt_advertised_address: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_is_a_path_or_one_of_two_words() {
        let history = |value: &str| {
            Cli::try_parse_from(["cysh", "--history", value])
                .map(|cli| cli.history)
                .ok()
                .flatten()
        };
        assert_eq!(history("in-memory"), Some(HistoryArg::InMemory));
        assert_eq!(history("disable"), Some(HistoryArg::Disable));
        assert_eq!(
            history("/tmp/h"),
            Some(HistoryArg::Path(PathBuf::from("/tmp/h")))
        );
    }

    #[test]
    fn timeouts_read_as_cypher_shell_reads_them() {
        use std::time::Duration;
        let after = |s: &str| s.parse::<TimeoutArg>().map(TimeoutArg::duration);
        assert_eq!(after("1h30m"), Ok(Some(Duration::from_secs(5400))));
        assert_eq!(after("10M"), Ok(Some(Duration::from_secs(600))));
        assert_eq!(after("1.5s"), Ok(Some(Duration::from_millis(1500))));
        assert_eq!(after("1h2m3s"), Ok(Some(Duration::from_secs(3723))));
        assert_eq!(after("disable"), Ok(None));
        for bad in ["", "10", "1m1h", "1h1h", "1.5h", "soon", "-1s", "5d"] {
            let e = after(bad).unwrap_err();
            assert!(e.starts_with("Invalid timeout value"), "{bad}: {e}");
        }
    }
}
