//! Where the interactive history lives: a file (default `history` in cysh's folder under
//! the user's data directory, created with mode 0600), this session's memory only, or
//! nowhere.
//!
//! It owns the policy and the file's creation. It must not read or edit lines: rustyline
//! keeps the entries (one per whole statement, multi-line statements included).

use crate::cli::HistoryArg;
use std::path::{Path, PathBuf};

/// Where the history goes, the default resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryPolicy {
    /// Load from and append to this file.
    File(PathBuf),
    /// Keep entries for this session only.
    InMemory,
    /// Keep nothing.
    Disabled,
}

/// Resolves `--history` (or `CYSH_HISTORY`, then cypher-shell's
/// `NEO4J_CYPHER_SHELL_HISTORY`): a path, `in-memory` or `disable`; absent means the
/// default file (this session only when the user has no data directory).
pub fn policy(arg: Option<&HistoryArg>) -> HistoryPolicy {
    let from_env = std::env::var("NEO4J_CYPHER_SHELL_HISTORY")
        .ok()
        .filter(|v| !v.is_empty())
        .map(|v| v.parse::<HistoryArg>().unwrap_or(HistoryArg::InMemory));
    match arg.or(from_env.as_ref()) {
        Some(HistoryArg::InMemory) => HistoryPolicy::InMemory,
        Some(HistoryArg::Disable) => HistoryPolicy::Disabled,
        Some(HistoryArg::Path(path)) => HistoryPolicy::File(path.clone()),
        None => match default_file() {
            Some(path) => HistoryPolicy::File(path),
            None => HistoryPolicy::InMemory,
        },
    }
}

/// `<data dir>/cysh/history`, e.g. `~/.local/share/cysh/history` on Linux.
pub fn default_file() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("cysh").join("history"))
}

/// Makes sure the history file exists, private to its owner (mode 0600), with its parent
/// folder. A directory in its place is an error.
pub fn prepare(path: &Path) -> std::io::Result<()> {
    if path.is_dir() {
        return Err(std::io::Error::other(format!(
            "{} is a directory",
            path.display()
        )));
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies() {
        assert_eq!(policy(Some(&HistoryArg::InMemory)), HistoryPolicy::InMemory);
        assert_eq!(policy(Some(&HistoryArg::Disable)), HistoryPolicy::Disabled);
        assert_eq!(
            policy(Some(&HistoryArg::Path("/tmp/h".into()))),
            HistoryPolicy::File("/tmp/h".into())
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("history");
        prepare(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(prepare(dir.path()).is_err());
    }
}
