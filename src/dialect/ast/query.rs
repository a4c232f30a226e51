//! Queries: clauses, UNION, subqueries, projections.
//!
//! It owns the shape of a query; scoping and the rules Neo4j checks after parsing
//! (variables defined, RETURN last, ...) belong to semantic analysis.

use super::expr::{Expr, Variable};
use super::pattern::{LabelExpr, Pattern};
use super::{SortItem, Span, SymbolicName};

/// `single [UNION [ALL] single]...`.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// The first part.
    pub first: SingleQuery,
    /// The parts after each UNION.
    pub unions: Vec<UnionPart>,
    /// Cypher 25's `NEXT` parts, in order: each runs on the rows the part before it
    /// returned. Empty in Cypher 5.
    pub next: Vec<Query>,
    /// Where it is.
    pub span: Span,
}

impl Query {
    /// The statement's family as `cysh check` names it: the first clause after any USE
    /// (`MATCH`, `RETURN`, `CREATE`, `CALL`, ...).
    pub fn kind(&self) -> &'static str {
        self.first
            .clauses
            .iter()
            .find(|c| !matches!(c.kind, ClauseKind::Use(_)))
            .map_or("USE", Clause::keyword)
    }
}

impl Query {
    /// True when no part of the query can write: only reading clauses (MATCH, WITH,
    /// RETURN, UNWIND, LOAD CSV, ...) and subqueries made of them. A procedure call counts
    /// as writing: its mode is the procedure's, unknown here.
    pub fn is_read_only(&self) -> bool {
        std::iter::once(&self.first)
            .chain(self.unions.iter().map(|u| &u.query))
            .all(|part| part.clauses.iter().all(|c| c.kind.is_read_only()))
            && self.next.iter().all(Query::is_read_only)
    }
}

impl ClauseKind {
    /// True for a clause that cannot write.
    pub fn is_read_only(&self) -> bool {
        match self {
            ClauseKind::Use(_)
            | ClauseKind::Finish
            | ClauseKind::Return(_)
            | ClauseKind::With(..)
            | ClauseKind::Match(_)
            | ClauseKind::Unwind(..)
            | ClauseKind::LoadCsv(_)
            | ClauseKind::OrderBySkipLimit(_) => true,
            ClauseKind::Subquery(s) => s.query.is_read_only(),
            _ => false,
        }
    }

    /// The clause's leading keyword(s).
    pub fn keyword(&self) -> &'static str {
        match self {
            ClauseKind::Use(_) => "USE",
            ClauseKind::Finish => "FINISH",
            ClauseKind::Return(_) => "RETURN",
            ClauseKind::With(..) => "WITH",
            ClauseKind::Create(_) => "CREATE",
            ClauseKind::Insert(_) => "INSERT",
            ClauseKind::Delete(Some(true), _) => "DETACH DELETE",
            ClauseKind::Delete(Some(false), _) => "NODETACH DELETE",
            ClauseKind::Delete(None, _) => "DELETE",
            ClauseKind::Set(_) => "SET",
            ClauseKind::Remove(_) => "REMOVE",
            ClauseKind::Match(m) if m.optional => "OPTIONAL MATCH",
            ClauseKind::Match(_) => "MATCH",
            ClauseKind::Merge(_) => "MERGE",
            ClauseKind::Unwind(..) => "UNWIND",
            ClauseKind::Call(c) if c.optional => "OPTIONAL CALL",
            ClauseKind::Call(_) => "CALL",
            ClauseKind::Subquery(s) if s.optional => "OPTIONAL CALL",
            ClauseKind::Subquery(_) => "CALL",
            ClauseKind::LoadCsv(_) => "LOAD CSV",
            ClauseKind::Foreach(_) => "FOREACH",
            ClauseKind::OrderBySkipLimit(p) if !p.order_by.is_empty() => "ORDER BY",
            ClauseKind::OrderBySkipLimit(p) if p.skip.is_some() => "SKIP",
            ClauseKind::OrderBySkipLimit(_) => "LIMIT",
        }
    }
}

/// `UNION [ALL|DISTINCT] query`.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionPart {
    /// `ALL`.
    pub all: bool,
    /// Span of the UNION keyword(s).
    pub span: Span,
    /// The query after it.
    pub query: SingleQuery,
}

/// A sequence of clauses.
#[derive(Debug, Clone, PartialEq)]
pub struct SingleQuery {
    /// The clauses, in order.
    pub clauses: Vec<Clause>,
    /// Where it is.
    pub span: Span,
}

/// A clause and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    /// What it is.
    pub kind: ClauseKind,
    /// Where it is.
    pub span: Span,
    /// The Cypher 25 keyword it was written with (`FILTER`, `LET`, `FOR`) when it is read
    /// as the Cypher 5 clause it means (WITH, UNWIND); `None` otherwise.
    pub written_as: Option<&'static str>,
}

impl Clause {
    /// The clause's leading keyword(s) as written.
    pub fn keyword(&self) -> &'static str {
        self.written_as.unwrap_or_else(|| self.kind.keyword())
    }
}

/// The clauses.
#[derive(Debug, Clone, PartialEq)]
pub enum ClauseKind {
    /// `USE graph`.
    Use(GraphRef),
    /// `FINISH`.
    Finish,
    /// `RETURN ...`.
    Return(Projection),
    /// `WITH ... [WHERE ...]`.
    With(Projection, Option<Expr>),
    /// `CREATE patterns`.
    Create(Vec<Pattern>),
    /// `INSERT patterns`.
    Insert(Vec<Pattern>),
    /// `[DETACH|NODETACH] DELETE exprs` (`Some(true)` for DETACH).
    Delete(Option<bool>, Vec<Expr>),
    /// `SET items`.
    Set(Vec<SetItem>),
    /// `REMOVE items`.
    Remove(Vec<RemoveItem>),
    /// `[OPTIONAL] MATCH ...`.
    Match(Box<Match>),
    /// `MERGE pattern [ON CREATE|MATCH SET ...]...`.
    Merge(Box<Merge>),
    /// `UNWIND expr AS var`.
    Unwind(Expr, Variable),
    /// `[OPTIONAL] CALL proc(...) [YIELD ...]`.
    Call(Box<ProcedureCall>),
    /// `[OPTIONAL] CALL [(scope)] { query } [IN TRANSACTIONS ...]`.
    Subquery(Box<Subquery>),
    /// `LOAD CSV [WITH HEADERS] FROM url AS var [FIELDTERMINATOR s]`.
    LoadCsv(Box<LoadCsv>),
    /// `FOREACH (var IN list | clauses)`.
    Foreach(Box<Foreach>),
    /// A standalone `ORDER BY` / `SKIP` / `LIMIT`.
    OrderBySkipLimit(Paging),
}

/// The graph of `USE`.
#[derive(Debug, Clone, PartialEq)]
pub enum GraphRef {
    /// A (possibly dotted) name.
    Name(SymbolicName),
    /// `graph.byName(...)` and other functions.
    Function(Expr),
}

/// `[DISTINCT] * | items [ORDER BY] [SKIP] [LIMIT]` of RETURN and WITH.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    /// `DISTINCT`.
    pub distinct: bool,
    /// `*` (the other items follow it).
    pub star: bool,
    /// The items.
    pub items: Vec<ReturnItem>,
    /// Ordering and paging.
    pub paging: Paging,
}

/// One RETURN or WITH item.
#[derive(Debug, Clone, PartialEq)]
pub struct ReturnItem {
    /// The expression.
    pub expr: Expr,
    /// `AS alias`.
    pub alias: Option<Variable>,
}

/// `ORDER BY`, `SKIP`/`OFFSET`, `LIMIT`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Paging {
    /// `ORDER BY` items.
    pub order_by: Vec<SortItem>,
    /// `SKIP`.
    pub skip: Option<Expr>,
    /// `LIMIT`.
    pub limit: Option<Expr>,
}

/// One SET item.
#[derive(Debug, Clone, PartialEq)]
pub enum SetItem {
    /// `n.a.b = expr` (the target is the property expression).
    Property(Expr, Expr),
    /// `n[key] = expr`.
    DynamicProperty(Expr, Expr),
    /// `n = map` (`false`) / `n += map` (`true`).
    AllProperties(Variable, Expr, bool),
    /// `n:A:B`, `n IS A`, `n:$(expr)`.
    Labels(Variable, Vec<LabelExpr>),
}

/// One REMOVE item.
#[derive(Debug, Clone, PartialEq)]
pub enum RemoveItem {
    /// `n.a`.
    Property(Expr),
    /// `n[key]`.
    DynamicProperty(Expr),
    /// `n:A:B`.
    Labels(Variable, Vec<LabelExpr>),
}

/// `REPEATABLE ELEMENTS` / `DIFFERENT RELATIONSHIPS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchMode {
    /// `REPEATABLE ELEMENT[S] [BINDINGS]`
    RepeatableElements,
    /// `DIFFERENT RELATIONSHIP[S] [BINDINGS]`
    DifferentRelationships,
}

/// `[OPTIONAL] MATCH [mode] patterns [hints] [WHERE pred]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// OPTIONAL.
    pub optional: bool,
    /// The match mode.
    pub mode: Option<MatchMode>,
    /// The patterns.
    pub patterns: Vec<Pattern>,
    /// `USING ...` hints.
    pub hints: Vec<Hint>,
    /// `WHERE`.
    pub filter: Option<Expr>,
}

/// A planner hint.
#[derive(Debug, Clone, PartialEq)]
pub enum Hint {
    /// `USING [kind] INDEX [SEEK] v:Label(props)`.
    Index {
        /// The variable.
        var: Variable,
        /// The label or type.
        label: String,
        /// The properties.
        properties: Vec<String>,
    },
    /// `USING JOIN ON a, b`.
    Join(Vec<String>),
    /// `USING SCAN v:Label`.
    Scan(Variable, String),
    /// `USING EXPAND ...`.
    Expand,
}

/// `MERGE pattern actions`.
#[derive(Debug, Clone, PartialEq)]
pub struct Merge {
    /// The pattern.
    pub pattern: Pattern,
    /// `ON CREATE SET ...` (`true`) and `ON MATCH SET ...` (`false`), in order.
    pub actions: Vec<(bool, Vec<SetItem>)>,
}

/// A procedure call clause.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcedureCall {
    /// OPTIONAL.
    pub optional: bool,
    /// The dotted name.
    pub name: String,
    /// Span of the name.
    pub name_span: Span,
    /// Arguments; `None` without parentheses.
    pub args: Option<Vec<Expr>>,
    /// `YIELD *` (`Some(None)`) or `YIELD items` (`Some(Some(..))`).
    pub yields: Option<Option<Vec<YieldItem>>>,
    /// `WHERE` after YIELD.
    pub filter: Option<Expr>,
}

/// `column [AS alias]` after a procedure's YIELD.
#[derive(Debug, Clone, PartialEq)]
pub struct YieldItem {
    /// The output column.
    pub column: String,
    /// Its span.
    pub span: Span,
    /// `AS alias`.
    pub alias: Option<Variable>,
}

/// `[OPTIONAL] CALL [(vars)] { query } [IN TRANSACTIONS ...]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Subquery {
    /// OPTIONAL.
    pub optional: bool,
    /// `(a, b)` / `(*)`; `None` without a scope clause.
    pub scope: Option<SubqueryScope>,
    /// The inner query.
    pub query: Query,
    /// `IN TRANSACTIONS ...`.
    pub transactions: Option<InTransactions>,
}

/// The scope clause of a subquery call.
#[derive(Debug, Clone, PartialEq)]
pub enum SubqueryScope {
    /// `(*)`.
    All,
    /// `(a, b)` (possibly empty).
    Vars(Vec<Variable>),
}

/// `IN [n CONCURRENT] TRANSACTIONS [OF n ROWS] [ON ERROR ...] [REPORT STATUS AS v]`.
#[derive(Debug, Clone, PartialEq)]
pub struct InTransactions {
    /// `n CONCURRENT` (`Some(None)` for CONCURRENT without a number).
    pub concurrency: Option<Option<Expr>>,
    /// `OF n ROWS`.
    pub batch: Option<Expr>,
    /// `ON ERROR ...`.
    pub on_error: Option<OnError>,
    /// `REPORT STATUS AS v`.
    pub report: Option<Variable>,
}

/// What IN TRANSACTIONS does when a batch fails.
#[derive(Debug, Clone, PartialEq)]
pub enum OnError {
    /// CONTINUE
    Continue,
    /// BREAK
    Break,
    /// FAIL
    Fail,
    /// `RETRY [FOR] [n SECONDS] [THEN CONTINUE|BREAK|FAIL]`
    Retry(Option<Expr>, Option<Box<OnError>>),
}

/// `LOAD CSV`.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadCsv {
    /// `WITH HEADERS`.
    pub headers: bool,
    /// The URL.
    pub url: Expr,
    /// The row variable.
    pub var: Variable,
    /// `FIELDTERMINATOR`.
    pub terminator: Option<String>,
}

/// `FOREACH (var IN list | clauses)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Foreach {
    /// The variable.
    pub var: Variable,
    /// The list.
    pub list: Expr,
    /// The updating clauses.
    pub clauses: Vec<Clause>,
}

/// What comes before a statement: `CYPHER [version] [key=value]...`, `EXPLAIN`,
/// `PROFILE`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Prefix {
    /// `CYPHER 5` / `CYPHER 25`.
    pub version: Option<u32>,
    /// `key=value` options after CYPHER.
    pub options: Vec<(String, String)>,
    /// EXPLAIN.
    pub explain: bool,
    /// PROFILE.
    pub profile: bool,
}
