//! The colon-commands the shell accepts: one table of names and aliases, read by the
//! shell's dispatch, its `:help` list, its completion and `cysh check`, so none of them can
//! know a command the others do not.
//!
//! It owns the names only. It must not describe or run a command: the help text lives in
//! `shell::help`, the behaviour in `shell::commands`.

/// One colon-command. Adding a variant breaks every exhaustive `match` on it (the shell's
/// dispatch, its help) until the command is handled there too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    /// `:access-mode [read|write]`.
    AccessMode,
    /// `:begin`.
    Begin,
    /// `:commit`.
    Commit,
    /// `:connect [-u USER] [-p PASSWORD] [-d DATABASE]`.
    Connect,
    /// `:disconnect`.
    Disconnect,
    /// `:dryrun <statements>`.
    DryRun,
    /// `:exit`, `:quit`.
    Exit,
    /// `:help [topic]`, `:man`.
    Help,
    /// `:history [clear]`.
    History,
    /// `:impersonate [user]`.
    Impersonate,
    /// `:param` (set, list, clear).
    Param,
    /// `:params [name]` (show).
    Params,
    /// `:rollback`.
    Rollback,
    /// `:source <file>`.
    Source,
    /// `:sysinfo`.
    SysInfo,
    /// `:use [database]`.
    Use,
}

impl Command {
    /// Every command, sorted by name (the `:help` order).
    pub const ALL: &'static [Command] = &[
        Command::AccessMode,
        Command::Begin,
        Command::Commit,
        Command::Connect,
        Command::Disconnect,
        Command::DryRun,
        Command::Exit,
        Command::Help,
        Command::History,
        Command::Impersonate,
        Command::Param,
        Command::Params,
        Command::Rollback,
        Command::Source,
        Command::SysInfo,
        Command::Use,
    ];

    /// The name, with its colon.
    pub fn name(self) -> &'static str {
        match self {
            Command::AccessMode => ":access-mode",
            Command::Begin => ":begin",
            Command::Commit => ":commit",
            Command::Connect => ":connect",
            Command::Disconnect => ":disconnect",
            Command::DryRun => ":dryrun",
            Command::Exit => ":exit",
            Command::Help => ":help",
            Command::History => ":history",
            Command::Impersonate => ":impersonate",
            Command::Param => ":param",
            Command::Params => ":params",
            Command::Rollback => ":rollback",
            Command::Source => ":source",
            Command::SysInfo => ":sysinfo",
            Command::Use => ":use",
        }
    }

    /// Other names that run the same command (cypher-shell's aliases).
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Command::Exit => &[":quit"],
            Command::Help => &[":man"],
            _ => &[],
        }
    }

    /// The command called `name` (its name or an alias, with the colon), case-insensitively
    /// as cypher-shell matches them.
    pub fn find(name: &str) -> Option<Command> {
        let name = name.trim().to_lowercase();
        Command::ALL
            .iter()
            .copied()
            .find(|c| c.name() == name || c.aliases().contains(&name.as_str()))
    }

    /// Every name the shell accepts: names and aliases.
    pub fn names() -> impl Iterator<Item = &'static str> {
        Command::ALL
            .iter()
            .flat_map(|c| std::iter::once(c.name()).chain(c.aliases().iter().copied()))
    }
}

/// The parameter named by a `:params` argument, when the argument is one name: a plain
/// name (`[\p{L}_][\p{L}0-9_]*`, cypher-shell's) or a backtick-quoted one (doubled backticks
/// inside stand for one). `None` for anything else (a map, an arrow assignment), which
/// `:params` treats as `:param` does.
pub fn param_name(args: &str) -> Option<String> {
    let args = args.trim();
    if let Some(inner) = args.strip_prefix('`').and_then(|a| a.strip_suffix('`')) {
        // A lone backtick inside would end the name early: not one name.
        let name = inner.replace("``", "`");
        let lone = inner.replace("``", "").contains('`');
        return (!name.is_empty() && !lone).then_some(name);
    }
    let mut chars = args.chars();
    let first = chars.next()?;
    let plain = (first.is_alphabetic() || first == '_')
        && chars.all(|c| c.is_alphabetic() || c.is_ascii_digit() || c == '_');
    plain.then(|| args.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Position of each variant in `ALL`: the exhaustive match makes a new variant a
    /// compile error here until it is placed, and the assertion that it is listed there.
    fn position(c: Command) -> usize {
        match c {
            Command::AccessMode => 0,
            Command::Begin => 1,
            Command::Commit => 2,
            Command::Connect => 3,
            Command::Disconnect => 4,
            Command::DryRun => 5,
            Command::Exit => 6,
            Command::Help => 7,
            Command::History => 8,
            Command::Impersonate => 9,
            Command::Param => 10,
            Command::Params => 11,
            Command::Rollback => 12,
            Command::Source => 13,
            Command::SysInfo => 14,
            Command::Use => 15,
        }
    }

    #[test]
    fn every_command_is_listed_once_and_sorted() {
        for (i, c) in Command::ALL.iter().enumerate() {
            assert_eq!(position(*c), i, "{c:?}");
        }
        let names: Vec<_> = Command::ALL.iter().map(|c| c.name()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
    }

    #[test]
    fn names_and_aliases_are_found_case_insensitively() {
        assert_eq!(Command::find(":QUIT"), Some(Command::Exit));
        assert_eq!(Command::find(":man"), Some(Command::Help));
        assert_eq!(Command::find(":Params"), Some(Command::Params));
        assert_eq!(Command::find(":access-mode"), Some(Command::AccessMode));
        assert_eq!(Command::find(":nope"), None);
        assert_eq!(Command::find("exit"), None);
        assert_eq!(Command::names().count(), Command::ALL.len() + 2);
    }

    #[test]
    fn a_params_argument_names_one_parameter_or_none() {
        assert_eq!(param_name(" a_1 ").as_deref(), Some("a_1"));
        assert_eq!(param_name("ähm").as_deref(), Some("ähm"));
        assert_eq!(param_name("`my key`").as_deref(), Some("my key"));
        assert_eq!(param_name("`a``b`").as_deref(), Some("a`b"));
        assert_eq!(param_name("``"), None);
        assert_eq!(param_name("`a`b`"), None);
        assert_eq!(param_name("1a"), None);
        assert_eq!(param_name("{a: 1}"), None);
        assert_eq!(param_name("a => 1"), None);
        assert_eq!(param_name(""), None);
    }
}
