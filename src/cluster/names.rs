//! Database name normalisation and validation, with Neo4j's exact messages
//! (reference §3.7, `DatabaseNameValidator`).
//!
//! It owns the naming rules. It must not look at cluster state.

use crate::error::{Neo4jError, code};

/// Normalises (lower-cases) and validates a database name, in Neo4j's order of checks:
/// empty, length, first character, character set, `system` prefix.
pub fn database_name(raw: &str) -> Result<String, Neo4jError> {
    let name = raw.to_ascii_lowercase();
    let err = |m: String| Neo4jError::new(code::ARGUMENT_ERROR, m);
    if name.is_empty() {
        return Err(err("The provided database name is empty.".into()));
    }
    let len = name.chars().count();
    if !(3..=63).contains(&len) {
        return Err(err(
            "The provided database name must have a length between 3 and 63 characters.".into(),
        ));
    }
    let first = name.chars().next().unwrap_or(' ');
    if !first.is_ascii_alphanumeric() {
        return Err(err(format!(
            "Database name '{name}' is not starting with an ASCII alphabetic character or number."
        )));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
    {
        return Err(err(format!(
            "Database name '{name}' contains illegal characters. Use simple ascii characters, numbers, dots and dashes."
        )));
    }
    if name.starts_with("system") {
        return Err(err(format!(
            "Database name '{name}' is invalid, due to the prefix 'system'."
        )));
    }
    Ok(name)
}

/// Normalises an alias name: lower-cased; it may not start with `_` or `system`, end with
/// a dot, or be empty (reference §3.6).
pub fn alias_name(raw: &str) -> Result<String, Neo4jError> {
    let name = raw.to_ascii_lowercase();
    let err = |m: String| Neo4jError::new(code::ARGUMENT_ERROR, m);
    if name.is_empty() {
        return Err(err("The provided alias name is empty.".into()));
    }
    if name.chars().count() > 65534 {
        return Err(err(
            "The provided alias name must have a length between 1 and 65534 characters.".into(),
        ));
    }
    if name.starts_with('_') {
        return Err(err(format!(
            "Alias name '{name}' is not starting with an ASCII alphabetic character or number."
        )));
    }
    if name.ends_with('.') {
        return Err(err(format!("Alias name '{name}' cannot end with a dot.")));
    }
    if name.starts_with("system") {
        return Err(err(format!(
            "Alias name '{name}' is invalid, due to the prefix 'system'."
        )));
    }
    Ok(name)
}

/// Why an allowed/denied database name or pattern is refused (Neo4j's words).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    /// Empty, or longer than 63 characters.
    #[error("The database name pattern '{0}' must have a length between 1 and 63 characters.")]
    Length(String),
    /// A character outside `[a-z0-9.?*-]`.
    #[error(
        "The database name pattern '{0}' contains illegal characters. Use simple ascii characters, numbers, dots, dashes, '*' and '?'."
    )]
    IllegalCharacters(String),
}

/// Validates one allowed/denied database name or pattern (2025.12 rules: length 1..63,
/// `[a-z0-9.?*-]`), lower-cased.
pub fn database_pattern(raw: &str) -> Result<String, PatternError> {
    let p = raw.to_ascii_lowercase();
    if p.is_empty() || p.chars().count() > 63 {
        return Err(PatternError::Length(raw.into()));
    }
    if !p
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".?*-".contains(c))
    {
        return Err(PatternError::IllegalCharacters(raw.into()));
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_match_neo4j() {
        let m = |n: &str| database_name(n).unwrap_err().message;
        assert_eq!(m(""), "The provided database name is empty.");
        assert_eq!(
            m("ab"),
            "The provided database name must have a length between 3 and 63 characters."
        );
        assert_eq!(
            m("_database"),
            "Database name '_database' is not starting with an ASCII alphabetic character or number."
        );
        assert_eq!(
            m("Data_base"),
            "Database name 'data_base' contains illegal characters. Use simple ascii characters, numbers, dots and dashes."
        );
        assert_eq!(
            m("systemdatabase"),
            "Database name 'systemdatabase' is invalid, due to the prefix 'system'."
        );
        assert_eq!(database_name("Foo-1").unwrap(), "foo-1");
    }
}
