//! Help texts for the colon-commands: the `:help` list and `:help <command>`.
//!
//! It owns the wording. It must not run anything.

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

/// Every colon-command, sorted by name.
pub const COMMANDS: &[CommandHelp] = &[
    CommandHelp {
        name: ":access-mode",
        aliases: &[],
        usage: "[read|write]",
        summary: "Set the access mode for statements",
        help: "Send statements to the cluster's readers (read) or writers (write) from now on,\n\
               or show the current mode without an argument. Bolt connections only\n\
               (`-a neo4j://…`); not available inside a transaction.",
    },
    CommandHelp {
        name: ":begin",
        aliases: &[],
        usage: "",
        summary: "Open a transaction",
        help: "Start a transaction which will remain open until :commit or :rollback is called",
    },
    CommandHelp {
        name: ":commit",
        aliases: &[],
        usage: "",
        summary: "Commit the currently open transaction",
        help: "Commit and close the currently open transaction",
    },
    CommandHelp {
        name: ":dryrun",
        aliases: &[],
        usage: "<statement>[; <statement> ...]",
        summary: "Rehearse statements and show the allocation plan",
        help: "Run statements on a throwaway copy of the embedded cluster and show what they\n\
               would do: each statement's result or error, then the allocation changes (a copy\n\
               added, removed or moved: database, server, mode), the load per server before\n\
               and after, and a verdict. Everything is rolled back: nothing is changed.\n\
               `:dryrun ALTER DATABASE foo SET TOPOLOGY 2 PRIMARIES 1 SECONDARY`\n\n\
               With --format json the plan is one JSON object (statements, changes, load,\n\
               belowTopology, maxLoadBefore, maxLoadAfter) for CI gates; `cysh --dry-run -f\n\
               script.cypher` dry-runs a whole script. Not available inside a transaction.\n\
               On a remote server it needs a twin: `cysh twin --from http://HOST:7474\n\
               --data-dir DIR` copies the cluster into an embedded one (`:help twin`).",
    },
    CommandHelp {
        name: ":exit",
        aliases: &[":quit"],
        usage: "",
        summary: "Exit the shell",
        help: "Exit the shell. Corresponds to entering CTRL-D.",
    },
    CommandHelp {
        name: ":help",
        aliases: &[":man"],
        usage: "[command | statement]",
        summary: "Show this help message",
        help: "Show the list of commands and admin statements, the help of one command\n\
               (`:help param`), or the syntax and examples of a statement, found by its\n\
               words (`:help create database`, `:help reallocate`, `:help dryrun`).",
    },
    CommandHelp {
        name: ":history",
        aliases: &[],
        usage: "[clear]",
        summary: "Statement history",
        help: "':history' prints a list of the last statements executed\n\
               ':history clear' removes all entries from the history",
    },
    CommandHelp {
        name: ":impersonate",
        aliases: &[],
        usage: "<user to impersonate>, or without arguments to reset impersonation",
        summary: "Impersonate user",
        help: "Run statements as another user, with that user's privileges and home\n\
               database, until `:impersonate` without an argument. Needs the IMPERSONATE\n\
               privilege for that user; while impersonating, only reads (SHOW, DRYRUN,\n\
               read procedures) run. Not available inside a transaction.",
    },
    CommandHelp {
        name: ":param",
        aliases: &[":params"],
        usage: "list or :param - Lists all parameters\n\
                :param clear - Clears all parameters\n\
                :param {a: 1} - Sets the parameter a to value 1\n\
                :param {a: 1, b: 1+1} - Sets the parameter a to value 1 and b to value 2.\n\n\
                The arrow syntax `:param a => 1` is also supported to set parameters individually.",
        summary: "Set the value of a query parameter",
        help: "Set the specified query parameter to the value given",
    },
    CommandHelp {
        name: ":rollback",
        aliases: &[],
        usage: "",
        summary: "Rollback the currently open transaction",
        help: "Roll back and closes the currently open transaction",
    },
    CommandHelp {
        name: ":source",
        aliases: &[],
        usage: "<file>",
        summary: "Executes Cypher statements from a file",
        help: "Executes Cypher statements from a file; an error stops the file.\n\
               The path is relative to the current working directory.",
    },
    CommandHelp {
        name: ":use",
        aliases: &[],
        usage: "[database]",
        summary: "Set the active database",
        help: "Set the active database that queries are executed against.\n\
               Without an argument, go back to the system database.",
    },
];

/// Finds a command by name or alias, with or without its colon, case-insensitively.
pub fn find(name: &str) -> Option<&'static CommandHelp> {
    let name = name.trim().to_lowercase();
    let name = if name.starts_with(':') {
        name
    } else {
        format!(":{name}")
    };
    COMMANDS
        .iter()
        .find(|c| c.name == name || c.aliases.contains(&name.as_str()))
}

/// The `:help` list, in cypher-shell's layout.
pub fn list() -> String {
    let width = COMMANDS.iter().map(|c| c.name.len()).max().unwrap_or(0);
    let mut out = String::from("\nAvailable commands:\n");
    for c in COMMANDS {
        out.push_str(&format!("  {:width$}  {}\n", c.name, c.summary));
    }
    out.push_str(
        "\n\nFor help on a specific command type:\n    :help command\n\n\
         Keyboard shortcuts:\n    Up and down arrows to access statement history.\n    \
         Tab for autocompletion of commands, hit twice to select suggestion from list using arrow keys.\n\n\
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
    fn commands_are_sorted_and_found_by_alias() {
        let names: Vec<_> = COMMANDS.iter().map(|c| c.name).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        assert_eq!(find("quit").map(|c| c.name), Some(":exit"));
        assert_eq!(find(":PARAMS").map(|c| c.name), Some(":param"));
        assert!(find(":nope").is_none());
    }
}
