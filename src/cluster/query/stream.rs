//! The lazy pipeline of a graph-free query: rows computed one at a time as they are pulled,
//! for queries whose clauses each look at one row at a time — `UNWIND` (over `range()`
//! without building the list), `WITH … WHERE` and `RETURN` without aggregation, DISTINCT or
//! ORDER BY, and `SKIP`/`LIMIT` — so `UNWIND range(1, 1000000) AS x RETURN x` streams in
//! constant memory and `… LIMIT 3` computes three rows.
//!
//! It owns which queries stream and the stream itself, which owns a copy of the clauses and
//! the parameters (so a server can keep it between PULLs without holding the cluster). It
//! must not hold clause semantics of its own beyond that: projection names and paging
//! counts are `project.rs`'s, expressions the evaluator's. A query with a clause that
//! needs all of its input (aggregation, DISTINCT, ORDER BY, UNION, NEXT) runs eagerly in
//! `mod.rs`.

use super::super::ctx::Ctx;
use super::super::eval::{self, Scope};
use super::project;
use crate::dialect::Params;
use crate::dialect::ast::query::{ClauseKind, Paging, Projection};
use crate::dialect::ast::{Expr, ExprKind, Query};
use crate::dialect::eval::functions::range_steps;
use crate::error::Neo4jError;
use crate::result::RowStream;
use crate::value::Value;
use std::sync::Arc;

/// What the stream's closures share: the parameters and the statement's clock.
#[derive(Clone)]
struct Env {
    params: Arc<Params>,
    now: jiff::Timestamp,
}

impl Env {
    fn scope<'a>(&'a self, names: &'a [String], row: &'a [Value]) -> Scope<'a> {
        Scope {
            params: &self.params,
            names,
            row,
            now: self.now,
        }
    }
}

/// True when every clause of `q` looks at one row at a time and the query returns rows.
pub fn streams(q: &Query) -> bool {
    let one_at_a_time = |p: &Projection| {
        !p.distinct
            && p.paging.order_by.is_empty()
            && !p.items.iter().any(|i| eval::is_aggregate(&i.expr))
    };
    let clauses = &q.first.clauses;
    q.unions.is_empty()
        && q.next.is_empty()
        && matches!(clauses.last().map(|c| &c.kind), Some(ClauseKind::Return(_)))
        && clauses.iter().all(|c| match &c.kind {
            ClauseKind::Use(_) | ClauseKind::Unwind(..) => true,
            ClauseKind::With(p, _) | ClauseKind::Return(p) => one_at_a_time(p),
            ClauseKind::OrderBySkipLimit(paging) => paging.order_by.is_empty(),
            _ => false,
        })
}

/// The columns and the lazy rows of `q`, which [`streams`] accepted. SKIP and LIMIT counts
/// are evaluated now, so their errors come before any row.
pub fn stream(ctx: &Ctx<'_>, q: &Query) -> Result<(Vec<String>, RowStream), Neo4jError> {
    let env = Env {
        params: Arc::new(ctx.params.clone()),
        now: ctx.now,
    };
    let mut rows: RowStream = Box::new(std::iter::once(Ok(Vec::new())));
    let mut names: Vec<String> = Vec::new();
    for clause in &q.first.clauses {
        match &clause.kind {
            ClauseKind::Unwind(e, var) => {
                rows = unwind(rows, &env, &names, e.clone());
                names.push(var.name.clone());
            }
            ClauseKind::With(p, filter) => {
                let out = project_names(ctx, &names, p);
                rows = project(rows, &env, &names, &out);
                rows = page(ctx, rows, &p.paging)?;
                names = out.into_iter().map(|(n, _)| n).collect();
                if let Some(f) = filter {
                    rows = filter_rows(rows, &env, &names, f.clone());
                }
            }
            ClauseKind::Return(p) => {
                let out = project_names(ctx, &names, p);
                rows = project(rows, &env, &names, &out);
                rows = page(ctx, rows, &p.paging)?;
                names = out.into_iter().map(|(n, _)| n).collect();
            }
            ClauseKind::OrderBySkipLimit(paging) => rows = page(ctx, rows, paging)?,
            // USE, and nothing else once `streams` said yes.
            _ => {}
        }
    }
    Ok((names, Box::new(StopAtError { rows: Some(rows) })))
}

/// Ends the stream after its first error, as a failed statement sends nothing more.
struct StopAtError {
    rows: Option<RowStream>,
}

impl Iterator for StopAtError {
    type Item = Result<Vec<Value>, Neo4jError>;

    fn next(&mut self) -> Option<Self::Item> {
        let next = self.rows.as_mut()?.next();
        if !matches!(next, Some(Ok(_))) {
            self.rows = None;
        }
        next
    }
}

/// `UNWIND e AS var` on each row: a `range()` is walked without being built.
fn unwind(rows: RowStream, env: &Env, names: &[String], e: Expr) -> RowStream {
    let env = env.clone();
    let names: Arc<[String]> = names.into();
    Box::new(rows.flat_map(move |row| -> RowStream {
        let row = match row {
            Ok(row) => row,
            Err(error) => return Box::new(std::iter::once(Err(error))),
        };
        let scope = env.scope(&names, &row);
        if let Some(range) = lazy_range(&e, &scope) {
            return match range {
                Ok((start, step, count)) => Box::new((0..count).map(move |i| {
                    let mut r = row.clone();
                    // Within the range's bounds, so within i64.
                    let x = i128::from(start) + i128::from(step) * i as i128;
                    r.push(Value::Int(x as i64));
                    Ok(r)
                })),
                Err(error) => Box::new(std::iter::once(Err(error))),
            };
        }
        let items = match eval::eval(&e, &scope) {
            Ok(Value::Null) => Vec::new(),
            Ok(Value::List(items)) => items,
            Ok(other) => vec![other],
            Err(error) => return Box::new(std::iter::once(Err(error))),
        };
        Box::new(items.into_iter().map(move |item| {
            let mut r = row.clone();
            r.push(item);
            Ok(r)
        }))
    }))
}

/// `range(start, end[, step])` as (first value, step, count) when `e` is a call of it.
fn lazy_range(e: &Expr, scope: &Scope<'_>) -> Option<Result<(i64, i64, u128), Neo4jError>> {
    let ExprKind::Function(f) = &e.kind else {
        return None;
    };
    if !f.name.eq_ignore_ascii_case("range") || f.distinct {
        return None;
    }
    let mut args = Vec::with_capacity(f.args.len());
    for a in &f.args {
        match eval::eval(a, scope) {
            Ok(v) => args.push(v),
            Err(error) => return Some(Err(error)),
        }
    }
    Some(range_steps(&f.name, &args).map_err(Neo4jError::from))
}

/// The projected columns' names and expressions (`None`: a column carried by `*`).
fn project_names(ctx: &Ctx<'_>, names: &[String], p: &Projection) -> Vec<(String, Option<Expr>)> {
    let mut out: Vec<(String, Option<Expr>)> = Vec::new();
    if p.star {
        let mut carried: Vec<&String> = names.iter().collect();
        carried.sort();
        carried.dedup();
        out.extend(carried.into_iter().map(|n| (n.clone(), None)));
    }
    for item in &p.items {
        out.push((project::item_name(ctx, item), Some(item.expr.clone())));
    }
    out
}

/// RETURN or WITH's items on each row.
fn project(
    rows: RowStream,
    env: &Env,
    names: &[String],
    items: &[(String, Option<Expr>)],
) -> RowStream {
    let env = env.clone();
    let names: Arc<[String]> = names.into();
    let items: Arc<[(String, Option<Expr>)]> = items.into();
    Box::new(rows.map(move |row| {
        let row = row?;
        let scope = env.scope(&names, &row);
        let mut out = Vec::with_capacity(items.len());
        for (name, e) in items.iter() {
            out.push(match e {
                Some(e) => eval::eval(e, &scope)?,
                None => crate::dialect::eval::Columns {
                    names: &names,
                    values: &row,
                }
                .get_value(name),
            });
        }
        Ok(out)
    }))
}

/// `WHERE f` on each row.
fn filter_rows(rows: RowStream, env: &Env, names: &[String], f: Expr) -> RowStream {
    let env = env.clone();
    let names: Arc<[String]> = names.into();
    Box::new(rows.filter_map(move |row| {
        let row = match row {
            Ok(row) => row,
            Err(error) => return Some(Err(error)),
        };
        let keep = eval::eval(&f, &env.scope(&names, &row)).and_then(|v| eval::truth(&v));
        match keep {
            Ok(Some(true)) => Some(Ok(row)),
            Ok(_) => None,
            Err(error) => Some(Err(error)),
        }
    }))
}

/// SKIP and LIMIT (no ORDER BY: `streams` sent those to the eager path), counting rows,
/// not errors, and pulling nothing past the limit.
fn page(ctx: &Ctx<'_>, rows: RowStream, paging: &Paging) -> Result<RowStream, Neo4jError> {
    let mut rows = rows;
    if let Some(s) = &paging.skip {
        let mut skip = project::count(ctx, s, "SKIP")?;
        rows = Box::new(rows.filter(move |r| {
            if r.is_ok() && skip > 0 {
                skip -= 1;
                return false;
            }
            true
        }));
    }
    if let Some(l) = &paging.limit {
        let mut left = project::count(ctx, l, "LIMIT")?;
        let mut inner = rows;
        rows = Box::new(std::iter::from_fn(move || {
            if left == 0 {
                return None;
            }
            let r = inner.next()?;
            if r.is_ok() {
                left -= 1;
            }
            Some(r)
        }));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use crate::cluster::{Cluster, Config, Session};
    use crate::dialect::Params;
    use crate::value::Value;

    fn run(text: &str) -> Result<(Vec<String>, Vec<Vec<Value>>), String> {
        let mut c = Cluster::new(Config::default()).unwrap();
        let statement = crate::dialect::parse(text).map_err(|e| e.message)?;
        let session = Session {
            user: "neo4j".into(),
            database: "system".into(),
            impersonating: false,
        };
        let r = c
            .execute_text(&statement, text, &Params::new(), &session)
            .map_err(|e| e.message)?;
        Ok((r.fields, r.rows))
    }

    fn ints(rows: &[Vec<Value>]) -> Vec<i64> {
        rows.iter()
            .map(|r| match r.as_slice() {
                [Value::Int(i)] => *i,
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_range_past_the_list_limit_streams_when_only_a_few_rows_are_read() {
        let (names, rows) = run(
            "UNWIND range(1, 100000000000) AS x WITH x WHERE x % 2 = 0 RETURN x SKIP 1 LIMIT 3",
        )
        .unwrap();
        assert_eq!(names, ["x"]);
        assert_eq!(ints(&rows), [4, 6, 8]);
        // Built as a list, the same range is refused.
        let eager = run("RETURN size(range(1, 100000000000)) AS n").unwrap_err();
        assert!(
            eager.contains("more than cysh evaluates locally"),
            "{eager}"
        );
    }

    #[test]
    fn streamed_rows_are_the_query_s_rows() {
        // (query, columns, rows as `a, b | c, d`)
        let cases = [
            (
                "UNWIND [3, 1, 2] AS x RETURN x, x * 2 AS y",
                "x, y",
                "3, 6 | 1, 2 | 2, 4",
            ),
            (
                "UNWIND range(10, 1, -3) AS x RETURN x",
                "x",
                "10 | 7 | 4 | 1",
            ),
            ("UNWIND range(1, 0) AS x RETURN x", "x", ""),
            (
                "UNWIND range(1, 5) AS x WITH x AS y WHERE y > 2 RETURN y + 1 AS z LIMIT 2",
                "z",
                "4 | 5",
            ),
            (
                "UNWIND [1, NULL, 2] AS x UNWIND range(1, coalesce(x, 0)) AS y RETURN x, y",
                "x, y",
                "1, 1 | 2, 1 | 2, 2",
            ),
            (
                "WITH 1 AS a UNWIND [a, a + 1] AS b RETURN *",
                "a, b",
                "1, 1 | 1, 2",
            ),
            ("UNWIND [1, 2, 3] AS x RETURN x SKIP 1", "x", "2 | 3"),
            ("UNWIND 5 AS x RETURN x", "x", "5"),
            (
                "UNWIND [1, 2] AS x WITH x LIMIT 1 RETURN x + 1",
                "x + 1",
                "2",
            ),
            ("RETURN 1 AS one", "one", "1"),
            ("UNWIND range(1, 3) AS x RETURN x LIMIT 0", "x", ""),
        ];
        for (query, columns, expected) in cases {
            let (names, rows) = run(query).unwrap();
            assert_eq!(names.join(", "), columns, "{query}");
            let text: Vec<String> = rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .collect();
            assert_eq!(text.join(" | "), expected, "{query}");
        }
    }

    #[test]
    fn an_error_in_a_row_fails_the_statement() {
        let e = run("UNWIND [1, 0, 2] AS x RETURN 10 / x AS y").unwrap_err();
        assert_eq!(e, "/ by zero");
        let e = run("UNWIND range(1, 3, 0) AS x RETURN x").unwrap_err();
        assert_eq!(e, "Step argument to range() can't be 0");
        let e = run("UNWIND [1] AS x RETURN x LIMIT -1").unwrap_err();
        assert!(e.contains("Must be a non-negative integer"), "{e}");
    }
}
