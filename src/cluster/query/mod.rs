//! Graph-free queries on the embedded cluster: `RETURN`, `WITH` (with `WHERE`), `UNWIND`,
//! standalone `ORDER BY` / `SKIP` / `LIMIT`, `FINISH`, `UNION [ALL]` and Cypher 25's `NEXT`
//! (and its FILTER, LET and FOR, which the parser reads as WITH and UNWIND), over rows that
//! hold only what the query computes (`RETURN 1 + 1 AS two`, `UNWIND range(1, 3) AS x
//! RETURN x`, `WITH datetime() AS now RETURN now.year`).
//!
//! It owns the clause pipeline. Any clause that needs a graph (MATCH, CREATE, MERGE, SET,
//! DELETE, CALL, LOAD CSV, FOREACH, ...) is refused with a clear "needs a Neo4j server"
//! error before anything runs. Projection, grouping and paging live in `project.rs`;
//! expression semantics are the dialect evaluator's.

mod project;
mod stream;

use super::ctx::Ctx;
use super::eval::{self, Scope};
use crate::dialect::ast::Query;
use crate::dialect::ast::query::{ClauseKind, SingleQuery};
use crate::dialect::eval::errors::needs_server;
use crate::error::{Neo4jError, code};
use crate::result::QueryResult;
use crate::value::Value;

/// Rows with their column names.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    /// Column names, in order.
    pub names: Vec<String>,
    /// One value per column in each row.
    pub rows: Vec<Vec<Value>>,
}

/// Runs a query that needs no graph.
pub fn run(ctx: &Ctx<'_>, q: &Query) -> Result<QueryResult, Neo4jError> {
    // Refuse graph clauses up front, so nothing half-runs.
    refuse_graph_clauses(q)?;
    if stream::streams(q) {
        let (names, rows) = stream::stream(ctx, q)?;
        let mut result = QueryResult::new(names, Vec::new());
        result.more = Some(rows);
        return Ok(result);
    }
    let unit = Rows {
        names: Vec::new(),
        rows: vec![Vec::new()],
    };
    let out = rows(ctx, q, &unit)?;
    Ok(QueryResult::new(out.names, out.rows))
}

/// `result` with every row in `rows`: a streamed rest is computed now, up to the rows
/// cysh holds in memory (the eager pipeline's limit), and its error is the statement's.
pub fn complete(mut result: QueryResult) -> Result<QueryResult, Neo4jError> {
    if let Some(more) = result.more.take() {
        for row in more {
            project::check_rows(result.rows.len() + 1)?;
            result.rows.push(row?);
        }
    }
    Ok(result)
}

/// The first clause (of any part, NEXT parts included) that needs a graph, as an error.
fn refuse_graph_clauses(q: &Query) -> Result<(), Neo4jError> {
    for sq in std::iter::once(&q.first).chain(q.unions.iter().map(|u| &u.query)) {
        for c in &sq.clauses {
            if !matches!(
                c.kind,
                ClauseKind::Use(_)
                    | ClauseKind::Return(_)
                    | ClauseKind::With(..)
                    | ClauseKind::Unwind(..)
                    | ClauseKind::OrderBySkipLimit(_)
                    | ClauseKind::Finish
            ) {
                return Err(needs_server(c.kind.keyword()).into());
            }
        }
    }
    q.next.iter().try_for_each(refuse_graph_clauses)
}

/// The rows of `q` run on the incoming rows `input` (one empty row for a statement; the
/// rows the part before returned after Cypher 25's NEXT).
fn rows(ctx: &Ctx<'_>, q: &Query, input: &Rows) -> Result<Rows, Neo4jError> {
    let mut out = single(ctx, &q.first, input.clone())?;
    let mut all = true;
    for u in &q.unions {
        let next = single(ctx, &u.query, input.clone())?;
        if next.names != out.names {
            return Err(Neo4jError::new(
                code::SYNTAX_ERROR,
                "All sub queries in an UNION must have the same return column names",
            ));
        }
        out.rows.extend(next.rows);
        all &= u.all;
    }
    if !q.unions.is_empty() && !all {
        out.rows = project::distinct(out.rows);
    }
    // NEXT: each part runs on the rows the part before it returned.
    for next in &q.next {
        out = rows(ctx, next, &out)?;
    }
    Ok(out)
}

fn single(ctx: &Ctx<'_>, sq: &SingleQuery, input: Rows) -> Result<Rows, Neo4jError> {
    let mut cur = input;
    let mut returned = false;
    for clause in &sq.clauses {
        match &clause.kind {
            // The embedded cluster has no graphs to choose between.
            ClauseKind::Use(_) => {}
            ClauseKind::Unwind(e, var) => {
                let mut rows = Vec::new();
                for row in &cur.rows {
                    let scope = Scope {
                        params: ctx.params,
                        names: &cur.names,
                        row,
                        now: ctx.now,
                    };
                    let items = match eval::eval(e, &scope)? {
                        Value::Null => Vec::new(),
                        Value::List(items) => items,
                        other => vec![other],
                    };
                    project::check_rows(rows.len() + items.len())?;
                    for item in items {
                        let mut r = row.clone();
                        r.push(item);
                        rows.push(r);
                    }
                }
                cur.names.push(var.name.clone());
                cur.rows = rows;
            }
            ClauseKind::With(p, filter) => {
                cur = project::project(ctx, cur, p)?;
                if let Some(f) = filter {
                    let mut kept = Vec::new();
                    for row in cur.rows {
                        let scope = Scope {
                            params: ctx.params,
                            names: &cur.names,
                            row: &row,
                            now: ctx.now,
                        };
                        if eval::truth(&eval::eval(f, &scope)?)? == Some(true) {
                            kept.push(row);
                        }
                    }
                    cur.rows = kept;
                }
            }
            ClauseKind::Return(p) => {
                cur = project::project(ctx, cur, p)?;
                returned = true;
            }
            ClauseKind::OrderBySkipLimit(paging) => {
                let n = cur.rows.len();
                let extra = vec![Vec::new(); n];
                cur.rows = project::page(ctx, &cur.names, cur.rows, &[], extra, paging)?;
            }
            ClauseKind::Finish => {
                cur = Rows::default();
                returned = true;
            }
            other => return Err(needs_server(other.keyword()).into()),
        }
    }
    if !returned {
        // A query that returns nothing (Neo4j's compiler refuses most of these).
        cur = Rows::default();
    }
    Ok(cur)
}
