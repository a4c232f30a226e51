//! Neo4j's compile-time checks on a parsed query, made before anything runs: variables
//! not defined or declared twice, conflicting variable types, RETURN not last and how a
//! query may conclude, aggregation where it is not allowed, projections (aliases,
//! duplicate columns, `RETURN *` with nothing in scope), UNION columns, subquery import
//! rules, and type mismatches Neo4j sees in literals. Each error has Neo4j's message and
//! the offset of the variable, literal or clause it names; the first by offset is reported.
//!
//! It owns these rules. It must not guess: a check that is not sure (a type it cannot
//! know, a procedure's outputs it has not seen) stays silent, so that every query Neo4j
//! accepts is accepted here too. The walk's depth is bounded by the parser's nesting limit.

mod call;
mod clauses;
mod exprs;
mod patterns;
mod scope;
mod types;

use super::ast::Statement;
use super::ast::query::Query;
use crate::error::{Neo4jError, Position};
use scope::Scope;

/// Checks a parsed statement; `src` is the text it was parsed from (for positions and
/// for the column names of unaliased RETURN items).
pub fn check(statement: &Statement, src: &str) -> Result<(), Neo4jError> {
    let mut checker = Checker::new(src);
    match statement {
        Statement::Query(query) => checker.top_query(query),
        Statement::Call(call) => checker.standalone_call(call),
        _ => return Ok(()),
    }
    match checker.errors.into_iter().min_by_key(|(at, _)| *at) {
        None => Ok(()),
        Some((at, message)) => Err(Neo4jError::syntax(message, Position::of_byte(src, at))),
    }
}

/// Where a query is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The statement itself.
    Top,
    /// Inside `CALL { }`: an importing WITH sees the outer scope.
    CallSubquery,
    /// Inside `CALL (a, b) { }`: the imported variables are in scope.
    ScopedCall,
    /// Inside `EXISTS { }`, `COUNT { }` or `COLLECT { }`.
    Expression,
    /// After Cypher 25's `NEXT`: the previous part's columns are in scope.
    Next,
}

/// Where Neo4j places an expression in its messages: a binary operation at its (last)
/// operator, a label test at its colon, anything else where it starts. (Here, not in
/// `exprs`, so that `clauses` and `exprs` do not use each other.)
fn pos(e: &super::ast::Expr) -> u32 {
    use super::ast::ExprKind;
    match &e.kind {
        ExprKind::Binary(chain) => chain
            .rest
            .last()
            .map_or(e.span.start, |(_, op, _)| op.start),
        ExprKind::HasLabels(a, _) => a.span.end,
        _ => e.span.start,
    }
}

/// Where aggregating functions may appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Agg {
    /// In a WITH or RETURN item, or an ORDER BY after one.
    Allowed,
    /// Inside an aggregating function's arguments.
    Inside,
    /// In a procedure call's arguments.
    ProcedureArgument,
    /// Anywhere else.
    Forbidden,
}

/// The state of one check: the statement text and the errors found so far.
struct Checker<'s> {
    src: &'s str,
    errors: Vec<(usize, String)>,
    /// Set while checking SKIP or LIMIT: the clause named when a variable appears.
    paging: Option<&'static str>,
    /// The columns of the RETURN just checked.
    columns: Option<clauses::Columns<'s>>,
    /// The texts of the items of the projection whose ORDER BY and WHERE are checked:
    /// naming one again is naming the projection's column.
    projected: scope::NameSet<'s>,
    /// Set while checking ORDER BY: aggregates are not walked into.
    skip_aggregates: bool,
}

impl<'s> Checker<'s> {
    fn new(src: &'s str) -> Checker<'s> {
        Checker {
            src,
            errors: Vec::new(),
            paging: None,
            columns: None,
            projected: scope::NameSet::default(),
            skip_aggregates: false,
        }
    }

    fn error(&mut self, at: u32, message: impl Into<String>) {
        self.errors.push((at as usize, message.into()));
    }

    /// The statement's text at `span`.
    fn text(&self, span: super::ast::Span) -> &'s str {
        self.src
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    fn top_query(&mut self, query: &'s Query) {
        self.query(query, &Scope::default(), Kind::Top);
    }
}

#[cfg(test)]
mod tests;
