//! Settings of a new embedded cluster: `--servers` and the neo4j.conf-style `--config`
//! file (`name=value` lines, Neo4j's setting names and value rules).
//!
//! It owns parsing and validating settings. It must not touch cluster state: `Cluster::new`
//! applies a `Config`.

use super::model::{Mode, ModeConstraint, ServerOptions, Settings};
use super::names::{self, PatternError};
use std::path::{Path, PathBuf};

/// Why a `--config` file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("{}: cannot read the config file: {source}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A line of it is refused.
    #[error("{}:{line}: {problem}", .path.display())]
    Line {
        /// The file.
        path: PathBuf,
        /// The 1-based line.
        line: usize,
        /// What is wrong with it.
        problem: SettingError,
    },
}

/// Why a `name=value` line is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingError {
    /// No `=` on the line.
    #[error("expected 'name=value', found '{0}'")]
    NotASetting(String),
    /// A known setting with a value it does not take.
    #[error("invalid value '{value}' for setting '{name}': {why}")]
    Invalid {
        /// The setting.
        name: String,
        /// The value as written.
        value: String,
        /// What the setting expects.
        why: InvalidValue,
    },
}

/// What is wrong with a setting's value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidValue {
    /// Not a whole number.
    #[error("expected an integer")]
    NotAnInteger,
    /// Below the setting's minimum (no maximum).
    #[error("minimum allowed value is {0}")]
    BelowMinimum(i64),
    /// Outside the setting's range.
    #[error("must be between {0} and {1}")]
    OutOfRange(i64, i64),
    /// Not `true` or `false`.
    #[error("expected true or false")]
    NotABoolean,
    /// Not a mode constraint.
    #[error("expected one of PRIMARY, SECONDARY, NONE")]
    NotAModeConstraint,
    /// Not a mode.
    #[error("expected one of PRIMARY, SECONDARY")]
    NotAMode,
    /// Not a valid database name (Neo4j's message).
    #[error("{0}")]
    DatabaseName(String),
    /// Not a valid database name pattern.
    #[error(transparent)]
    Pattern(#[from] PatternError),
    /// The same tag twice.
    #[error("duplicate tag '{0}'")]
    DuplicateTag(String),
    /// Both allowed and denied databases.
    #[error(
        "initial.server.allowed_databases and initial.server.denied_databases are mutually exclusive"
    )]
    AllowedAndDenied,
}

/// The settings cysh understands, in the order `--help` and errors list them.
pub const SETTINGS: &[&str] = &[
    "dbms.cluster.minimum_initial_system_primaries_count",
    "initial.dbms.default_database",
    "initial.dbms.default_primaries_count",
    "initial.dbms.default_secondaries_count",
    "initial.dbms.automatically_enable_free_servers",
    "dbms.max_databases",
    "initial.server.mode_constraint",
    "initial.server.allowed_databases",
    "initial.server.denied_databases",
    "initial.server.tags",
    "server.cluster.system_database_mode",
];

/// How a new embedded cluster is set up.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Servers that join a new cluster (`--servers`, default 3), as `sim.addServer()` calls.
    pub servers: usize,
    /// The initial settings.
    pub settings: Settings,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            servers: 3,
            settings: Settings::default(),
        }
    }
}

impl Config {
    /// A config with `servers` servers and default settings.
    pub fn with_servers(servers: usize) -> Config {
        Config {
            servers,
            ..Config::default()
        }
    }

    /// Reads a neo4j.conf-style file. Errors name the file, line and setting.
    pub fn read_file(&mut self, path: &Path) -> Result<(), ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        self.apply_text(&text)
            .map_err(|(line, problem)| ConfigError::Line {
                path: path.to_path_buf(),
                line,
                problem,
            })
    }

    /// Applies `name=value` lines; `#` comments and blank lines are skipped, settings cysh
    /// does not model are ignored (a neo4j.conf has many). Errors carry the 1-based line.
    pub fn apply_text(&mut self, text: &str) -> Result<(), (usize, SettingError)> {
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((name, value)) = line.split_once('=') else {
                return Err((i + 1, SettingError::NotASetting(line.into())));
            };
            self.set(name.trim(), value.trim())
                .map_err(|m| (i + 1, m))?;
        }
        Ok(())
    }

    /// Sets one setting from its text value.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), SettingError> {
        let bad = |why: InvalidValue| SettingError::Invalid {
            name: name.into(),
            value: value.into(),
            why,
        };
        let int = |lo: i64, hi: i64| -> Result<i64, SettingError> {
            let n: i64 = value.parse().map_err(|_| bad(InvalidValue::NotAnInteger))?;
            if n < lo || n > hi {
                return Err(bad(if hi == i64::MAX {
                    InvalidValue::BelowMinimum(lo)
                } else {
                    InvalidValue::OutOfRange(lo, hi)
                }));
            }
            Ok(n)
        };
        let s = &mut self.settings;
        match name {
            "dbms.cluster.minimum_initial_system_primaries_count" => {
                s.min_initial_system_primaries = int(1, i64::from(u32::MAX))? as u32;
            }
            "initial.dbms.default_database" => {
                s.default_database = names::database_name(value)
                    .map_err(|e| bad(InvalidValue::DatabaseName(e.message)))?;
            }
            "initial.dbms.default_primaries_count" => s.default_primaries = int(1, 11)? as u32,
            "initial.dbms.default_secondaries_count" => s.default_secondaries = int(0, 20)? as u32,
            "initial.dbms.automatically_enable_free_servers" => {
                s.auto_enable_free_servers =
                    parse_bool(value).ok_or_else(|| bad(InvalidValue::NotABoolean))?;
            }
            "dbms.max_databases" => s.max_databases = int(2, i64::MAX)? as u64,
            "initial.server.mode_constraint" => {
                s.server_defaults.mode_constraint = ModeConstraint::parse(value)
                    .ok_or_else(|| bad(InvalidValue::NotAModeConstraint))?;
            }
            "initial.server.allowed_databases" => {
                s.server_defaults.allowed_databases = patterns(value).map_err(bad)?;
                exclusive(&s.server_defaults).map_err(bad)?;
            }
            "initial.server.denied_databases" => {
                s.server_defaults.denied_databases = patterns(value).map_err(bad)?;
                exclusive(&s.server_defaults).map_err(bad)?;
            }
            "initial.server.tags" => {
                s.server_defaults.tags = tags(value).map_err(bad)?;
            }
            "server.cluster.system_database_mode" => {
                s.system_mode = match value.to_ascii_uppercase().as_str() {
                    "PRIMARY" => Mode::Primary,
                    "SECONDARY" => Mode::Secondary,
                    _ => return Err(bad(InvalidValue::NotAMode)),
                };
            }
            _ => {}
        }
        Ok(())
    }
}

fn parse_bool(v: &str) -> Option<bool> {
    match v.to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn split_list(v: &str) -> Vec<&str> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

fn patterns(v: &str) -> Result<Vec<String>, InvalidValue> {
    Ok(split_list(v)
        .into_iter()
        .map(names::database_pattern)
        .collect::<Result<_, _>>()?)
}

fn tags(v: &str) -> Result<Vec<String>, InvalidValue> {
    let mut out: Vec<String> = Vec::new();
    for t in split_list(v) {
        if out.iter().any(|o| o == t) {
            return Err(InvalidValue::DuplicateTag(t.into()));
        }
        out.push(t.to_string());
    }
    Ok(out)
}

fn exclusive(o: &ServerOptions) -> Result<(), InvalidValue> {
    if !o.allowed_databases.is_empty() && !o.denied_databases.is_empty() {
        return Err(InvalidValue::AllowedAndDenied);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_settings_and_reports_lines() {
        let mut c = Config::default();
        c.apply_text(
            "# comment\ninitial.dbms.default_primaries_count=3\ninitial.server.tags=eu, us\n",
        )
        .unwrap();
        assert_eq!(c.settings.default_primaries, 3);
        assert_eq!(c.settings.server_defaults.tags, vec!["eu", "us"]);
        let err = c
            .apply_text("\ninitial.dbms.default_primaries_count=12")
            .unwrap_err();
        assert_eq!(err.0, 2);
        assert!(
            err.1
                .to_string()
                .contains("initial.dbms.default_primaries_count"),
            "{}",
            err.1
        );
    }
}
