//! Generated documentation: the man page and the shell completion scripts, all derived
//! from the one clap definition in `cli.rs` so they cannot drift from the code.
//!
//! `cysh --generate man|bash|zsh|fish` prints one of them; the committed copies under
//! `man/` and `completions/` are checked against this output by the test suite. It must not
//! hold flag knowledge of its own.

use crate::cli::Cli;
use clap::{CommandFactory, ValueEnum};
use std::io::{self, Write};

/// What `--generate` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Artifact {
    /// The man page, `man/cysh.1`.
    Man,
    /// Bash completions, `completions/cysh.bash`.
    Bash,
    /// Zsh completions, `completions/_cysh`.
    Zsh,
    /// Fish completions, `completions/cysh.fish`.
    Fish,
}

impl Artifact {
    /// Every artifact with the path of its committed copy, relative to the repository root.
    pub const ALL: [(Artifact, &'static str); 4] = [
        (Artifact::Man, "man/cysh.1"),
        (Artifact::Bash, "completions/cysh.bash"),
        (Artifact::Zsh, "completions/_cysh"),
        (Artifact::Fish, "completions/cysh.fish"),
    ];
}

/// Extra man page sections, in roff.
const MAN_SECTIONS: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
success, and an interactive session that ends normally (\fB:exit\fR, \fB:quit\fR or Ctrl-D)
.TP
\fB1\fR
a statement failed in non-interactive mode, or a bad argument
.SH FILES
.TP
\fI<data dir>/cysh/history\fR
the interactive history, one entry per statement (mode 0600); on Linux the data directory is
\fI~/.local/share\fR. \fB\-\-history\fR chooses another file, \fBin-memory\fR or \fBdisable\fR.
.SH ENVIRONMENT
.TP
\fBCYSH_HISTORY\fR
default for \fB\-\-history\fR
.TP
\fBNO_COLOR\fR
when set, errors are not coloured
.SH EXAMPLES
.TP
\fBcysh\fR
the interactive shell on an embedded cluster of three servers
.TP
\fBcysh \-\-servers 5 'SHOW SERVERS'\fR
one statement on a new five-server embedded cluster
.TP
\fBcysh \-f rehearsal.cypher \-\-fail\-at\-end\fR
run a script, report every failure, exit 1 if any failed
.TP
\fBecho 'SHOW SERVERS;' | cysh \-\-format json | jq \-r .name\fR
machine-readable output
"#;

/// Writes `artifact` to `out`.
pub fn write(artifact: Artifact, out: &mut dyn Write) -> io::Result<()> {
    let mut cmd = Cli::command();
    match artifact {
        Artifact::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut page)?;
            out.write_all(&page)?;
            out.write_all(MAN_SECTIONS.as_bytes())
        }
        Artifact::Bash => {
            clap_complete::generate(clap_complete::Shell::Bash, &mut cmd, "cysh", out);
            Ok(())
        }
        Artifact::Zsh => {
            clap_complete::generate(clap_complete::Shell::Zsh, &mut cmd, "cysh", out);
            Ok(())
        }
        Artifact::Fish => {
            clap_complete::generate(clap_complete::Shell::Fish, &mut cmd, "cysh", out);
            Ok(())
        }
    }
}
