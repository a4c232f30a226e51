//! Help texts for the colon-commands: the `:help` list and `:help <command>`.
//!
//! It owns the wording. It must not run anything, nor keep its own list of commands: the
//! names come from `dialect::Command`, and [`of`] matches on it exhaustively, so a command
//! the shell accepts always has help and the list always shows it.

use crate::dialect::Command;

/// One colon-command's help.
pub struct CommandHelp {
    /// The name with its colon.
    pub name: &'static str,
    /// Other names that run the same command.
    pub aliases: &'static [&'static str],
    /// The arguments, as in `usage: :name <usage>`.
    pub usage: &'static str,
    /// The one-line description shown in the `:help` list.
    pub summary: &'static str,
    /// The longer text shown by `:help <command>`.
    pub help: &'static str,
}

/// The help of `command`.
pub fn of(command: Command) -> CommandHelp {
    let (usage, summary, help) = match command {
        Command::AccessMode => (
            "[read|write]",
            "Set the access mode for statements",
            "Send statements to the cluster's readers (read) or writers (write) from now on,\n\
                   or show the current mode without an argument. Bolt connections only\n\
                   (`-a neo4j://…`); not available inside a transaction.",
        ),
        Command::Begin => (
            "",
            "Open a transaction",
            "Start a transaction which will remain open until :commit or :rollback is called",
        ),
        Command::Commit => (
            "",
            "Commit the currently open transaction",
            "Commit and close the currently open transaction",
        ),
        Command::Connect => (
            "[-u USERNAME, --username USERNAME], [-p PASSWORD, --password PASSWORD], \
             [-d DATABASE, --database DATABASE]",
            "Connects to a database",
            "Connect again after :disconnect, to the same server (or embedded cluster), as\n\
                   the given user, or as the session's user when none is given; a user without\n\
                   a password is asked for one. -d chooses the database (default: NEO4J_DATABASE,\n\
                   else the home database). Only when disconnected.",
        ),
        Command::Disconnect => (
            "",
            "Disconnects from database",
            "Close the connection (an open transaction is rolled back). Statements fail with\n\
                   `Not connected to Neo4j` until :connect.",
        ),
        Command::DryRun => (
            "<statement>[; <statement> ...]",
            "Rehearse statements and show the allocation plan",
            "Run statements on a throwaway copy of the embedded cluster and show what they\n\
                   would do: each statement's result or error, then the allocation changes (a copy\n\
                   added, removed or moved: database, server, mode), the load per server before\n\
                   and after, and a verdict. Everything is rolled back: nothing is changed.\n\
                   `:dryrun ALTER DATABASE foo SET TOPOLOGY 2 PRIMARIES 1 SECONDARY`\n\n\
                   With --format json the plan is one JSON object (statements, changes, load,\n\
                   belowTopology, maxLoadBefore, maxLoadAfter) for CI gates; `cysh --dry-run -f\n\
                   script.cypher` dry-runs a whole script. Not available inside a transaction.\n\
                   On a remote server it needs a twin: `cysh twin --from neo4j://HOST:7687\n\
                   --data-dir DIR` copies the cluster into an embedded one (`:help twin`).",
        ),
        Command::Exit => (
            "",
            "Exit the shell",
            "Exit the shell. Corresponds to entering CTRL-D.",
        ),
        Command::Help => (
            "[command | statement]",
            "Show this help message",
            "Show the list of commands and admin statements, the help of one command\n\
                   (`:help param`), or the syntax and examples of a statement, found by its\n\
                   words (`:help create database`, `:help reallocate`, `:help dryrun`).",
        ),
        Command::History => (
            "[clear]",
            "Statement history",
            "':history' prints a list of the last statements executed\n\
                   ':history clear' removes all entries from the history",
        ),
        Command::Impersonate => (
            "<user to impersonate>, or without arguments to reset impersonation",
            "Impersonate user",
            "Run statements as another user, with that user's privileges and home\n\
                   database, until `:impersonate` without an argument. Needs the IMPERSONATE\n\
                   privilege for that user; while impersonating, only reads (SHOW, DRYRUN,\n\
                   read procedures) run. Not available inside a transaction.",
        ),
        Command::Param => (
            "list or :param - Lists all parameters\n\
                    :param clear - Clears all parameters\n\
                    :param {a: 1} - Sets the parameter a to value 1\n\
                    :param {a: 1, b: 1+1} - Sets the parameter a to value 1 and b to value 2.\n\n\
                    The arrow syntax `:param a => 1` is also supported to set parameters individually.",
            "Set the value of a query parameter",
            "Set the specified query parameter to the value given",
        ),
        Command::Params => (
            "[name]",
            "Show query parameters",
            "Show all query parameters, as :param list does, or the one named\n\
             (`:params a`, `:params `my key``) as the :param line that sets it.\n\
             With a map or an arrow assignment it sets parameters, as :param does.",
        ),
        Command::Rollback => (
            "",
            "Rollback the currently open transaction",
            "Roll back and closes the currently open transaction",
        ),
        Command::Source => (
            "<file>",
            "Executes Cypher statements from a file",
            "Executes Cypher statements from a file; an error stops the file.\n\
                   The path is relative to the current working directory.",
        ),
        Command::SysInfo => (
            "",
            "Neo4j system information",
            "':sysinfo' prints neo4j system information: the databases with their address,\n\
             role, status and whether they are the default. On the embedded cluster it adds\n\
             the servers (state, health, the databases each hosts); on a Neo4j server,\n\
             what SHOW DATABASES exposes (the JMX metrics tables of cypher-shell are not\n\
             read).",
        ),
        Command::Use => (
            "[database]",
            "Set the active database",
            "Set the active database that queries are executed against.\n\
             Without an argument, go back to the home database (the user's, or the\n\
             default database when the user has none).",
        ),
    };
    CommandHelp {
        name: command.name(),
        aliases: command.aliases(),
        usage,
        summary,
        help,
    }
}

/// Finds a command by name or alias, with or without its colon, case-insensitively.
pub fn find(name: &str) -> Option<CommandHelp> {
    let name = name.trim();
    let name = if name.starts_with(':') {
        name.to_string()
    } else {
        format!(":{name}")
    };
    Command::find(&name).map(of)
}

/// The `:help` list, in cypher-shell's layout: every command the shell accepts, an alias
/// after its command's summary.
pub fn list() -> String {
    let width = Command::ALL
        .iter()
        .map(|c| c.name().len())
        .max()
        .unwrap_or(0);
    let mut out = String::from("\nAvailable commands:\n");
    for c in Command::ALL.iter().copied().map(of) {
        let also = if c.aliases.is_empty() {
            String::new()
        } else {
            format!(" (also {})", c.aliases.join(", "))
        };
        out.push_str(&format!("  {:width$}  {}{also}\n", c.name, c.summary));
    }
    // rustyline's list completion: a second Tab prints the candidates under the prompt, and
    // arrow keys keep their history meaning (cypher-shell's JLine menu, selected with the
    // arrows, has no rustyline counterpart), so the text says what the keys really do.
    out.push_str(
        "\n\nFor help on a specific command type:\n    :help command\n\n\
         Keyboard shortcuts:\n    Up and down arrows to access statement history.\n    \
         Tab for autocompletion of commands, statements and names; hit twice to list the candidates.\n\n\
         For help on cypher please visit:\n    https://neo4j.com/docs/cypher-manual/current/\n",
    );
    out
}

/// `:help <command>`: `usage: <name> <usage>`, a blank line, the help text.
pub fn command(c: &CommandHelp) -> String {
    let usage = if c.usage.is_empty() {
        c.name.to_string()
    } else {
        format!("{} {}", c.name, c.usage)
    };
    format!("\nusage: {usage}\n\n{}\n", c.help)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_found_by_alias_with_or_without_colon() {
        assert_eq!(find("quit").map(|c| c.name), Some(":exit"));
        assert_eq!(find(":PARAMS").map(|c| c.name), Some(":params"));
        assert_eq!(find("param").map(|c| c.name), Some(":param"));
        assert!(find(":nope").is_none());
    }

    #[test]
    fn the_list_shows_every_name_the_shell_accepts() {
        let text = list();
        for name in Command::names() {
            assert!(
                text.contains(&format!("{name} ")) || text.contains(&format!("{name})")),
                "{name} missing from :help"
            );
        }
        for c in Command::ALL {
            assert!(!of(*c).summary.is_empty(), "{c:?}");
        }
    }
}
