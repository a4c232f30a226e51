//! Generated documentation: the man page and the shell completion scripts, all derived
//! from the one clap definition in `cli.rs` so they cannot drift from the code.
//!
//! `cysh --generate man|man-check|man-serve|man-twin|man-help|bash|zsh|fish` prints one
//! of them (one man page per subcommand, as the main page's SEE ALSO names them); the committed copies under
//! `man/` and `completions/` are checked against this output by the test suite. It must not
//! hold flag knowledge of its own.

use crate::cli::{Artifact, Cli};
use clap::CommandFactory;
use std::io::{self, Write};

/// Extra man page sections, in roff.
const MAN_SECTIONS: &str = r#".SH "INTERACTIVE COMMANDS"
In the shell, \fB:help\fR lists the colon-commands (\fB:param\fR, \fB:params\fR, \fB:use\fR,
\fB:impersonate\fR, \fB:access-mode\fR, \fB:source\fR, \fB:begin\fR, \fB:commit\fR,
\fB:rollback\fR, \fB:dryrun\fR, \fB:sysinfo\fR, \fB:history\fR, \fB:exit\fR) and the admin
statements; \fB:help\fR \fIstatement\fR shows a statement's syntax and examples, found by its
words: \fB:help create database\fR, \fB:help alter server\fR, \fB:help reallocate\fR,
\fB:help dryrun\fR, \fB:help procedures\fR. TAB completes keywords, procedure, database and
server names, parameters, and the topics of \fB:help\fR.
.SH "EXIT STATUS"
.TP
\fB0\fR
success: every statement ran, \fB\-\-help\fR or \fB\-\-version\fR, or an interactive session
that ended normally (\fB:exit\fR, \fB:quit\fR or Ctrl-D)
.TP
\fB1\fR
a statement failed in non-interactive mode (the first one with \fB\-\-fail\-fast\fR, the
default; any of them with \fB\-\-fail\-at\-end\fR); a bad argument; an unreadable \fB\-f\fR
file or \fB\-\-config\fR file; a bad \fB\-P\fR parameter; a data directory that is locked
by another cysh process (after waiting 2 seconds), damaged, or from a newer cysh; a server
given by \fB\-a\fR that cannot be reached or refuses the credentials.
Under \fBcysh check\fR: a statement is invalid. Under \fBcysh serve\fR: the server could not
start (address in use, bad \fBNEO4J_AUTH\fR, certificate or key); it exits 0 when stopped by
SIGINT or SIGTERM.
.TP
\fB2\fR
\fBcysh check\fR only: a bad argument, or a file or standard input that cannot be read
.SH FILES
.TP
\fI<data dir>/cysh/history\fR
the interactive history, one entry per statement, appended after each so that sessions
share it (created with mode 0600). \fB\-\-history\fR (or \fBCYSH_HISTORY\fR) chooses another
file, \fBin-memory\fR or \fBdisable\fR.
.TP
\fI<data dir>/cysh/cluster.db\fR
the embedded cluster: a SQLite database (write-ahead log, so also \fIcluster.db-wal\fR and
\fIcluster.db-shm\fR while it is open) with readable tables \fBservers\fR, \fBdatabases\fR,
\fBallocations\fR, \fBaliases\fR and \fBsettings\fR. Each statement is stored whole or not at
all, and an acknowledged statement survives a crash. A file that cysh cannot read (damaged,
foreign, or from a newer cysh) is reported and left untouched. \fB\-\-data\-dir\fR chooses
another directory; \fB\-\-ephemeral\fR uses none.
.TP
\fI<data dir>/cysh/cysh.lock\fR
the one-writer lock: an advisory lock held by the cysh process using the directory (the
shell or \fBcysh serve\fR), which writes its pid there; the operating system releases it when
the process ends, even when killed. A second process waits up to 2 seconds, then exits 1
naming the pid.
.TP
\fI<data dir>/cysh/serve-users\fR
\fBcysh serve\fR's users, one \fIuser:hash\fR line each (mode 0600), written at its first
start
.PP
\fI<data dir>\fR is the user's data directory: \fB$XDG_DATA_HOME\fR or \fI~/.local/share\fR
on Linux, \fI~/Library/Application Support\fR on macOS.
.SH ENVIRONMENT
.TP
\fBNEO4J_ADDRESS\fR, \fBNEO4J_URI\fR
default for \fB\-a\fR (set one of them, not both)
.TP
\fBNEO4J_USERNAME\fR, \fBNEO4J_PASSWORD\fR, \fBNEO4J_DATABASE\fR
defaults for \fB\-u\fR, \fB\-p\fR and \fB\-d\fR
.TP
\fBNEO4J_AUTH\fR
\fBcysh serve\fR: \fBnone\fR disables authentication; \fBneo4j/\fR\fIpassword\fR sets the
initial user's password at the first start (otherwise one is generated and printed once)
.TP
\fBCYSH_REQUEST_TIMEOUT_MS\fR
with \fB\-a\fR, how long to wait for a reply, in milliseconds (default: ten minutes)
.TP
\fBCYSH_HISTORY\fR, \fBNEO4J_CYPHER_SHELL_HISTORY\fR
default for \fB\-\-history\fR: a file path, \fBin-memory\fR or \fBdisable\fR (the first one
set wins)
.TP
\fBNO_COLOR\fR
when set (to anything), errors are not coloured on a terminal
.TP
\fBXDG_DATA_HOME\fR
on Linux, the user's data directory that holds \fIcysh/history\fR and the default data
directory \fIcysh/\fR (default \fI~/.local/share\fR)
.SH EXAMPLES
.TP
\fBcysh\fR
the interactive shell on the embedded cluster in the default data directory (three servers
when new)
.TP
\fBcysh \-\-servers 5 \-\-data\-dir rehearsal 'SHOW SERVERS'\fR
one statement on a new five-server cluster kept in \fIrehearsal/\fR
.TP
\fBcysh \-\-ephemeral \-\-servers 0 \-\-fail\-at\-end \-f examples/create\-databases.cypher\fR
run one of the commented workflow scripts shipped under \fIexamples/\fR on a throw-away
cluster; its expected output is \fIexamples/create\-databases.out\fR and \fI.err\fR
.TP
\fBcysh \-\-ephemeral \-\-servers 0 \-\-config examples/default\-database\-bootstrap.conf \-f examples/default\-database\-bootstrap.cypher\fR
rehearse how the default database is created from neo4j.conf settings
.TP
\fBcysh \-P '{db: "foo", p: 3}' 'CREATE DATABASE $db TOPOLOGY $p PRIMARIES'\fR
a statement with parameters
.TP
\fBcysh 'DRYRUN REALLOCATE DATABASES'\fR
see where REALLOCATE DATABASES would move database copies, without moving any
.TP
\fBcysh \-a http://localhost:7474 \-u neo4j 'SHOW SERVERS'\fR
the same statements against a real Neo4j server over its HTTP Query API (the password is
prompted for on a terminal)
.TP
\fBcysh serve \-\-ephemeral \-\-listen 127.0.0.1:7474\fR
serve a throw-away embedded cluster to HTTP Query API clients, such as \fBcysh \-a\fR
.TP
\fBcysh \-f rehearsal.cypher \-\-fail\-at\-end\fR
run a script, report every failure, exit 1 if any failed
.TP
\fBcysh check \-\-json migrate.cypher\fR
check a script's syntax and parameters without running it, one JSON object per statement
.TP
\fBecho 'SHOW SERVERS;' | cysh \-\-format json | jq \-r .name\fR
machine-readable output
"#;

/// Writes `artifact` to `out`.
pub fn write(artifact: Artifact, out: &mut dyn Write) -> io::Result<()> {
    let cmd = Cli::command();
    let (subcommand, page_name, bin_name) = match artifact {
        Artifact::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut page)?;
            out.write_all(&page)?;
            return out.write_all(MAN_SECTIONS.as_bytes());
        }
        Artifact::ManCheck => ("check", "cysh-check", "cysh check"),
        Artifact::ManServe => ("serve", "cysh-serve", "cysh serve"),
        Artifact::ManTwin => ("twin", "cysh-twin", "cysh twin"),
        Artifact::ManHelp => ("help", "cysh-help", "cysh help"),
        Artifact::Bash | Artifact::Zsh | Artifact::Fish => {
            let shell = match artifact {
                Artifact::Bash => clap_complete::Shell::Bash,
                Artifact::Zsh => clap_complete::Shell::Zsh,
                _ => clap_complete::Shell::Fish,
            };
            let mut cmd = cmd;
            clap_complete::generate(shell, &mut cmd, "cysh", out);
            return Ok(());
        }
    };
    // One page per subcommand, as the main page's SEE ALSO names them: `cysh-check(1)`.
    let mut built = cmd;
    built.build();
    let sub = built
        .find_subcommand(subcommand)
        .cloned()
        .ok_or_else(|| io::Error::other(format!("no subcommand {subcommand}")))?;
    let man = clap_mangen::Man::new(sub.name(page_name).bin_name(bin_name)).title(page_name);
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    // No SUBCOMMANDS / SEE ALSO: `cysh help`'s own entries (`help check`) have no pages;
    // the subcommands are listed in cysh(1).
    page.extend_from_slice(b".SH \"SEE ALSO\"\n\\fBcysh\\fR(1)\n");
    out.write_all(&page)
}
