//! Schema commands: CREATE / DROP INDEX of every kind and CREATE / DROP CONSTRAINT.
//!
//! It owns their shape. It must not know whether a label or index exists: only a server
//! can judge that.

use super::expr::{CypherType, Variable};
use super::{MapOrParam, StringOrParam};

/// The kinds of index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexKind {
    /// RANGE (also the plain `CREATE INDEX`)
    Range,
    /// BTREE (refused by Neo4j 5 at run time)
    Btree,
    /// TEXT
    Text,
    /// POINT
    Point,
    /// VECTOR
    Vector,
    /// LOOKUP
    Lookup,
    /// FULLTEXT
    Fulltext,
}

/// What an index or constraint is on: `(n:Label)` or `()-[r:TYPE]-()`.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaTarget {
    /// The variable.
    pub var: Variable,
    /// True for a relationship pattern.
    pub relationship: bool,
    /// The labels or types (several only for FULLTEXT; none for LOOKUP).
    pub labels: Vec<String>,
}

/// `CREATE [OR REPLACE] kind INDEX [name] [IF NOT EXISTS] FOR target ON props [OPTIONS]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateIndex {
    /// The kind.
    pub kind: IndexKind,
    /// `OR REPLACE` (refused by Neo4j for indexes).
    pub or_replace: bool,
    /// The name.
    pub name: Option<StringOrParam>,
    /// `IF NOT EXISTS`.
    pub if_not_exists: bool,
    /// The target.
    pub target: SchemaTarget,
    /// The properties (`var.prop`), or for LOOKUP the function (`labels(n)`, `type(r)`).
    pub properties: Vec<String>,
    /// `OPTIONS`.
    pub options: Option<MapOrParam>,
}

/// The kinds of constraint.
#[derive(Debug, Clone, PartialEq)]
pub enum ConstraintKind {
    /// `IS [NODE|REL] UNIQUE`
    Unique,
    /// `IS [NODE|REL] KEY`
    Key,
    /// `IS NOT NULL` (and the old `ASSERT EXISTS`)
    NotNull,
    /// `IS :: TYPE`
    Type(CypherType),
}

/// `CREATE [OR REPLACE] CONSTRAINT [name] [IF NOT EXISTS] FOR target REQUIRE props kind
/// [OPTIONS]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateConstraint {
    /// `OR REPLACE` (refused by Neo4j for constraints).
    pub or_replace: bool,
    /// The name.
    pub name: Option<StringOrParam>,
    /// `IF NOT EXISTS`.
    pub if_not_exists: bool,
    /// The target.
    pub target: SchemaTarget,
    /// The properties.
    pub properties: Vec<String>,
    /// The kind.
    pub kind: ConstraintKind,
    /// `OPTIONS`.
    pub options: Option<MapOrParam>,
}

/// A schema command.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemaCommand {
    /// CREATE ... INDEX.
    CreateIndex(CreateIndex),
    /// `DROP INDEX name [IF EXISTS]` (`ON :Label(props)` is the old form).
    DropIndex {
        /// The name; `None` for the old `ON :Label(prop)` form.
        name: Option<StringOrParam>,
        /// `IF EXISTS`.
        if_exists: bool,
    },
    /// CREATE CONSTRAINT.
    CreateConstraint(CreateConstraint),
    /// `DROP CONSTRAINT name [IF EXISTS]` (`ON ... ASSERT ...` is the old form).
    DropConstraint {
        /// The name; `None` for the old form.
        name: Option<StringOrParam>,
        /// `IF EXISTS`.
        if_exists: bool,
    },
}

impl SchemaCommand {
    /// The command's family as `cysh check` names it.
    pub fn kind(&self) -> &'static str {
        match self {
            SchemaCommand::CreateIndex(_) => "CREATE INDEX",
            SchemaCommand::DropIndex { .. } => "DROP INDEX",
            SchemaCommand::CreateConstraint(_) => "CREATE CONSTRAINT",
            SchemaCommand::DropConstraint { .. } => "DROP CONSTRAINT",
        }
    }
}
