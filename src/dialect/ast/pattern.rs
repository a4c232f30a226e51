//! Graph patterns: nodes, relationships, label expressions, quantified and parenthesized
//! paths, path selectors and `shortestPath`.
//!
//! It owns the shape of patterns; it must not judge them (directions CREATE allows,
//! variables bound twice: that is semantic analysis).

use super::Span;
use super::expr::{Expr, Variable};

/// `[p =] [selector] element` or `[p =] shortestPath(...)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    /// `p =`.
    pub path_var: Option<Variable>,
    /// `ANY SHORTEST`, `SHORTEST 2 GROUPS`, ...
    pub selector: Option<Selector>,
    /// The path itself.
    pub body: PatternBody,
    /// Where it is.
    pub span: Span,
}

/// What a pattern matches.
#[derive(Debug, Clone, PartialEq)]
pub enum PatternBody {
    /// A path of nodes, relationships and parenthesized groups.
    Path(PathPattern),
    /// `shortestPath(...)` (`all: false`) or `allShortestPaths(...)` (`all: true`).
    ShortestPath {
        /// allShortestPaths.
        all: bool,
        /// The path inside.
        path: PathPattern,
    },
}

/// A sequence of path factors, juxtaposed.
#[derive(Debug, Clone, PartialEq)]
pub struct PathPattern {
    /// The factors in order: nodes, relationships (each between two nodes) and
    /// parenthesized groups.
    pub factors: Vec<PathFactor>,
    /// Where it is.
    pub span: Span,
}

/// One piece of a path.
#[derive(Debug, Clone, PartialEq)]
pub enum PathFactor {
    /// `(n:Label {k: v} WHERE pred)`.
    Node(NodePattern),
    /// `-[r:TYPE*1..3 {k: v} WHERE pred]->`, with an optional quantifier after it.
    Relationship(RelPattern, Option<QuantifierSpec>),
    /// `((a)-->(b) WHERE pred){1,3}`.
    Group(Box<GroupPattern>),
}

/// `(...)` around a sub-pattern, with a quantifier.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupPattern {
    /// The inner pattern.
    pub pattern: Pattern,
    /// `WHERE` inside the parentheses.
    pub filter: Option<Expr>,
    /// `{1,3}`, `+`, `*`.
    pub quantifier: Option<QuantifierSpec>,
    /// Where it is.
    pub span: Span,
}

/// A node pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct NodePattern {
    /// The variable.
    pub var: Option<Variable>,
    /// Labels.
    pub labels: Option<LabelExpr>,
    /// A property map or `$param`.
    pub properties: Option<Expr>,
    /// `WHERE`.
    pub filter: Option<Expr>,
    /// Where it is.
    pub span: Span,
}

/// Which way a relationship points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// `-->`
    Outgoing,
    /// `<--`
    Incoming,
    /// `--` (or `<-->`)
    Both,
}

/// A relationship pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct RelPattern {
    /// The direction.
    pub direction: Direction,
    /// True for `<-->` (both heads written), which CREATE refuses.
    pub both_heads: bool,
    /// The variable.
    pub var: Option<Variable>,
    /// Relationship types.
    pub types: Option<LabelExpr>,
    /// `*`, `*2`, `*1..3`.
    pub length: Option<PathLength>,
    /// A property map or `$param`.
    pub properties: Option<Expr>,
    /// `WHERE`.
    pub filter: Option<Expr>,
    /// Where it is.
    pub span: Span,
}

/// Variable length `*[min][..[max]]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathLength {
    /// Lower bound.
    pub min: Option<u64>,
    /// Upper bound.
    pub max: Option<u64>,
    /// True when `..` was written (`*2` is exactly two; `*2..` at least two).
    pub range: bool,
}

/// `{m,n}`, `{n}`, `+`, `*` after a group or relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuantifierSpec {
    /// Lower bound.
    pub min: Option<u64>,
    /// Upper bound.
    pub max: Option<u64>,
    /// Where it is.
    pub span: Span,
}

/// A path selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selector {
    /// `ANY SHORTEST [PATH]`
    AnyShortest,
    /// `ALL SHORTEST [PATH]`
    AllShortest,
    /// `ANY [k] [PATH]`
    Any(Option<u64>),
    /// `ALL [PATH]`
    All,
    /// `SHORTEST [k] [PATH] GROUP[S]`
    ShortestGroups(Option<u64>),
    /// `SHORTEST k [PATH]`
    Shortest(u64),
}

/// A label (or relationship type) expression.
#[derive(Debug, Clone, PartialEq)]
pub enum LabelExpr {
    /// A name.
    Name(String, Span),
    /// `%`: any label.
    Any(Span),
    /// `$(expr)`, `$all(expr)`, `$any(expr)`: labels computed at run time.
    Dynamic {
        /// True for `$any(...)`.
        any: bool,
        /// The expression.
        expr: Box<Expr>,
        /// Where it is.
        span: Span,
    },
    /// `!expr`.
    Not(Box<LabelExpr>),
    /// `a & b` (`colon: false`) or `a:b` (`colon: true`).
    And(Vec<LabelExpr>, bool),
    /// `a | b` (or `a |:b`).
    Or(Vec<LabelExpr>),
}
