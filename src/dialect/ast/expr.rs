//! Expressions of the Cypher language, each with its byte span in the statement.
//!
//! Runs of one binary operator level (`a + b - c`, `x AND y AND z`) are kept flat in a
//! [`Chain`], so a generated expression with a hundred thousand terms is one node, not a
//! hundred thousand nested ones: every walk over the tree stays within the parser's
//! nesting limit. It owns the shape of expressions; it must not evaluate them.

use super::pattern::{LabelExpr, PathPattern, Pattern};
use super::query::{MatchMode, Query};
pub use super::{Expr, Variable};
use super::{Param, Span};
use crate::value::Value;

/// Binary operators, by precedence level (lowest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// `OR`
    Or,
    /// `XOR`
    Xor,
    /// `AND`
    And,
    /// `=`
    Eq,
    /// `<>`
    Neq,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `=~`
    RegexMatch,
    /// `STARTS WITH`
    StartsWith,
    /// `ENDS WITH`
    EndsWith,
    /// `CONTAINS`
    Contains,
    /// `IN`
    In,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `||`
    Concat,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `^`
    Pow,
}

impl BinOp {
    /// The operator as Cypher writes it.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "OR",
            BinOp::Xor => "XOR",
            BinOp::And => "AND",
            BinOp::Eq => "=",
            BinOp::Neq => "<>",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::RegexMatch => "=~",
            BinOp::StartsWith => "STARTS WITH",
            BinOp::EndsWith => "ENDS WITH",
            BinOp::Contains => "CONTAINS",
            BinOp::In => "IN",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Concat => "||",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
            BinOp::Pow => "^",
        }
    }

    /// True for `=`, `<>`, `<`, `<=`, `>`, `>=`: a chain of them means each adjacent pair
    /// holds (`a < b < c` is `a < b AND b < c`).
    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinOp::Eq | BinOp::Neq | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
        )
    }
}

/// `first op e1 op e2 ...` at one precedence level, evaluated left to right.
#[derive(Debug, Clone, PartialEq)]
pub struct Chain {
    /// The first operand.
    pub first: Expr,
    /// Each operator (with its span) and the operand after it.
    pub rest: Vec<(BinOp, Span, Expr)>,
}

/// Unicode normal forms of `IS NORMALIZED` and `normalize()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NormalForm {
    /// NFC
    Nfc,
    /// NFD
    Nfd,
    /// NFKC
    Nfkc,
    /// NFKD
    Nfkd,
}

/// A Cypher type in `IS :: TYPE` and property type constraints.
#[derive(Debug, Clone, PartialEq)]
pub struct CypherType {
    /// The alternatives of a union type (`INTEGER | STRING`), at least one.
    pub parts: Vec<TypePart>,
}

/// One alternative of a type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypePart {
    /// The base type.
    pub name: TypeName,
    /// `NOT NULL` / `!`.
    pub not_null: bool,
    /// `LIST` suffixes, innermost first, each with its own `NOT NULL`.
    pub list_suffixes: Vec<bool>,
}

/// The base types.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeName {
    /// NOTHING
    Nothing,
    /// NULL
    Null,
    /// BOOLEAN (BOOL)
    Boolean,
    /// STRING (VARCHAR)
    String,
    /// INTEGER (INT, SIGNED INTEGER)
    Integer,
    /// FLOAT
    Float,
    /// DATE
    Date,
    /// LOCAL TIME (TIME WITHOUT TIME ZONE)
    LocalTime,
    /// ZONED TIME (TIME WITH TIME ZONE)
    ZonedTime,
    /// LOCAL DATETIME (TIMESTAMP WITHOUT TIME ZONE)
    LocalDateTime,
    /// ZONED DATETIME (TIMESTAMP WITH TIME ZONE)
    ZonedDateTime,
    /// DURATION
    Duration,
    /// POINT
    Point,
    /// NODE (ANY NODE, VERTEX)
    Node,
    /// RELATIONSHIP (ANY RELATIONSHIP, EDGE)
    Relationship,
    /// MAP (ANY MAP)
    Map,
    /// LIST<T> (ARRAY<T>)
    List(Box<CypherType>),
    /// PATH (PATHS)
    Path,
    /// PROPERTY VALUE (ANY PROPERTY VALUE)
    PropertyValue,
    /// ANY (ANY VALUE, ANY<T>)
    Any(Option<Box<CypherType>>),
}

/// A function call `ns.name([DISTINCT|ALL] args)`.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionCall {
    /// The name as written, namespace included (`date.truncate`).
    pub name: String,
    /// Span of the name.
    pub name_span: Span,
    /// `DISTINCT`.
    pub distinct: bool,
    /// The arguments.
    pub args: Vec<Expr>,
}

/// `CASE [subject] WHEN .. THEN .. [ELSE ..] END`.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// The subject of a simple CASE.
    pub subject: Option<Expr>,
    /// The branches.
    pub whens: Vec<(Vec<When>, Expr)>,
    /// `ELSE`.
    pub default: Option<Expr>,
}

/// One condition of a CASE branch. In a generic CASE it is a predicate; in a simple CASE
/// an operand compared with the subject, or a comparison with the subject left out.
#[derive(Debug, Clone, PartialEq)]
pub enum When {
    /// A predicate or a value compared for equality.
    Expr(Expr),
    /// `WHEN < 3`, `WHEN STARTS WITH 'a'`, ...: the subject is the left operand.
    Compare(BinOp, Expr),
    /// `WHEN IS [NOT] NULL`.
    IsNull(bool),
    /// `WHEN IS [NOT] :: TYPE`.
    IsType(bool, CypherType),
    /// `WHEN IS [NOT] [form] NORMALIZED`.
    IsNormalized(bool, Option<NormalForm>),
}

/// `[x IN list WHERE pred | expr]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ListComprehension {
    /// The variable.
    pub var: Variable,
    /// The list.
    pub list: Expr,
    /// `WHERE`.
    pub filter: Option<Expr>,
    /// `| expr`.
    pub map: Option<Expr>,
}

/// `[p = (a)-->(b) WHERE pred | expr]`.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternComprehension {
    /// `p =`.
    pub path_var: Option<Variable>,
    /// The pattern.
    pub pattern: PathPattern,
    /// `WHERE`.
    pub filter: Option<Expr>,
    /// `| expr`.
    pub map: Expr,
}

/// `reduce(acc = init, x IN list | expr)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Reduce {
    /// The accumulator.
    pub acc: Variable,
    /// Its initial value.
    pub init: Expr,
    /// The element variable.
    pub var: Variable,
    /// The list.
    pub list: Expr,
    /// The step.
    pub step: Expr,
}

/// `all|any|none|single(x IN list WHERE pred)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantified {
    /// Which quantifier.
    pub kind: Quantifier,
    /// The variable.
    pub var: Variable,
    /// The list.
    pub list: Expr,
    /// `WHERE` (Neo4j requires it; its absence is a semantic error).
    pub filter: Option<Expr>,
}

/// The list quantifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantifier {
    /// all(...)
    All,
    /// any(...)
    Any,
    /// none(...)
    None,
    /// single(...)
    Single,
}

/// The inside of `EXISTS { }` and `COUNT { }`: a query or a bare pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum SubqueryExpr {
    /// A full query.
    Query(Query),
    /// `[mode] pattern, ... [WHERE pred]`.
    Patterns {
        /// The match mode.
        mode: Option<MatchMode>,
        /// The patterns.
        patterns: Vec<Pattern>,
        /// `WHERE`.
        filter: Option<Expr>,
    },
}

/// `n {.a, b: expr, .*, v}`.
#[derive(Debug, Clone, PartialEq)]
pub struct MapProjection {
    /// The projected variable.
    pub var: Variable,
    /// The elements.
    pub items: Vec<MapProjectionItem>,
}

/// One element of a map projection.
#[derive(Debug, Clone, PartialEq)]
pub enum MapProjectionItem {
    /// `key: expr`
    Literal(String, Expr),
    /// `.key`
    Property(String),
    /// `v` (a variable under its own name)
    Variable(Variable),
    /// `.*`
    AllProperties,
}

/// `trim([BOTH|LEADING|TRAILING] [chars] FROM source)` or `trim(source)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Trim {
    /// Which side.
    pub side: TrimSide,
    /// The characters to trim.
    pub chars: Option<Expr>,
    /// The string.
    pub source: Expr,
}

/// The side `trim` works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrimSide {
    /// BOTH (the default)
    Both,
    /// LEADING
    Leading,
    /// TRAILING
    Trailing,
}

/// What an expression is.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A literal: number, string, boolean, NULL, INF, NaN.
    Literal(Value),
    /// `$name`.
    Param(Param),
    /// A variable.
    Variable(String),
    /// `expr.key`.
    Property(Box<Expr>, String),
    /// `expr[index]` (also a dynamic property `n[key]`).
    Index(Box<Expr>, Box<Expr>),
    /// `expr[from..to]`.
    Slice(Box<Expr>, Option<Box<Expr>>, Option<Box<Expr>>),
    /// `[a, b]`.
    List(Vec<Expr>),
    /// `{k: v}`.
    Map(Vec<(String, Expr)>),
    /// `NOT expr`.
    Not(Box<Expr>),
    /// `-expr`.
    Neg(Box<Expr>),
    /// `+expr`.
    Plus(Box<Expr>),
    /// A run of binary operators of one level.
    Binary(Box<Chain>),
    /// `expr IS NULL` (`false`) / `expr IS NOT NULL` (`true`).
    IsNull(Box<Expr>, bool),
    /// `expr IS [NOT] :: TYPE` (`true` when negated).
    IsType(Box<Expr>, bool, Box<CypherType>),
    /// `expr IS [NOT] [form] NORMALIZED`.
    IsNormalized(Box<Expr>, bool, Option<NormalForm>),
    /// `expr:Label|Other`, `expr IS Label`.
    HasLabels(Box<Expr>, Box<LabelExpr>),
    /// A function call, including aggregations such as `count(x)`.
    Function(Box<FunctionCall>),
    /// `count(*)`.
    CountStar,
    /// CASE.
    Case(Box<Case>),
    /// A list comprehension.
    ListComprehension(Box<ListComprehension>),
    /// A pattern comprehension.
    PatternComprehension(Box<PatternComprehension>),
    /// `reduce(...)`.
    Reduce(Box<Reduce>),
    /// `all/any/none/single(...)`.
    Quantified(Box<Quantified>),
    /// `EXISTS { ... }`.
    Exists(Box<SubqueryExpr>),
    /// `COUNT { ... }`.
    Count(Box<SubqueryExpr>),
    /// `COLLECT { ... }`.
    Collect(Box<Query>),
    /// A relationship pattern used as a predicate: `(a)-->(b)`.
    Pattern(Box<PathPattern>),
    /// `shortestPath(...)` / `allShortestPaths(...)` as an expression.
    ShortestPath(Box<Pattern>),
    /// A map projection.
    MapProjection(Box<MapProjection>),
    /// `normalize(expr[, form])`.
    Normalize(Box<Expr>, NormalForm),
    /// `trim(...)`.
    Trim(Box<Trim>),
    /// `******`: a masked password in a logged query.
    Obfuscated,
}
