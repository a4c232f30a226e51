//! The Cypher language version a statement is read as: Cypher 5 (the default of Neo4j
//! 5.26 and of 2025.x servers) or Cypher 25.
//!
//! It owns the version's name and its text form (`5`, `25`, as `--cypher-version`, the
//! `CYPHER` prefix and `DEFAULT LANGUAGE CYPHER` write it). It must not know the grammar: the parser consults the flag
//! where the two languages differ.

use std::fmt;
use std::str::FromStr;

/// A Cypher language version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum CypherVersion {
    /// Cypher 5: what Neo4j 5.26 and 2025.x servers run unless told otherwise.
    #[default]
    Cypher5,
    /// Cypher 25: the language of Neo4j 2025.06 and later, when chosen.
    Cypher25,
}

impl CypherVersion {
    /// True for Cypher 25.
    pub fn is_25(self) -> bool {
        self == CypherVersion::Cypher25
    }

    /// The version as written after `CYPHER`: `5` or `25`.
    pub fn as_str(self) -> &'static str {
        match self {
            CypherVersion::Cypher5 => "5",
            CypherVersion::Cypher25 => "25",
        }
    }
}

impl fmt::Display for CypherVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A version other than `5` or `25`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownVersion(pub String);

impl fmt::Display for UnknownVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is not a Cypher version: use 5 or 25", self.0)
    }
}

impl std::error::Error for UnknownVersion {}

impl FromStr for CypherVersion {
    type Err = UnknownVersion;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "5" => Ok(CypherVersion::Cypher5),
            "25" => Ok(CypherVersion::Cypher25),
            other => Err(UnknownVersion(other.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_read_and_print_as_cypher_writes_them() {
        for v in [CypherVersion::Cypher5, CypherVersion::Cypher25] {
            assert_eq!(v.as_str().parse::<CypherVersion>(), Ok(v));
        }
        assert_eq!(CypherVersion::default(), CypherVersion::Cypher5);
        assert!("6".parse::<CypherVersion>().is_err());
    }
}
