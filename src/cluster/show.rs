//! The generic SHOW / CALL result pipeline: default columns or `YIELD` (with aliases and
//! `*`), `WHERE`, `ORDER BY`, `SKIP`, `LIMIT`, then `RETURN` with `DISTINCT` and
//! aggregation, over rows of `Value`s.
//!
//! It owns the clause semantics. It must not know what the rows describe: the commands
//! build the full table (every column, Neo4j's order) and hand it here.

use super::eval::{self, Scope};
use crate::dialect::Params;
use crate::dialect::ast::{Expr, OrderSkipLimit, ProjectionItem, Return, Yield};
use crate::error::{Neo4jError, code};
use crate::result::QueryResult;
use crate::value::Value;

/// A full table: every column in Neo4j's order, one row per entry.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Column names.
    pub columns: Vec<String>,
    /// Rows, one value per column.
    pub rows: Vec<Vec<Value>>,
}

impl Table {
    /// A table with these column names.
    pub fn new(columns: &[&str]) -> Table {
        Table {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: Vec::new(),
        }
    }
}

/// The clauses that follow a SHOW or CALL.
#[derive(Debug, Clone, Copy, Default)]
pub struct Clauses<'a> {
    /// `YIELD ...`.
    pub yield_: Option<&'a Yield>,
    /// `WHERE` directly after the command.
    pub where_: Option<&'a Expr>,
    /// `RETURN ...`.
    pub return_: Option<&'a Return>,
    /// The statement's clock.
    pub now: jiff::Timestamp,
}

/// Runs the pipeline; `default` are the columns shown without YIELD.
pub fn run(
    table: Table,
    default: &[&str],
    clauses: Clauses<'_>,
    params: &Params,
) -> Result<QueryResult, Neo4jError> {
    let Table { columns, rows } = table;
    let now = clauses.now;
    let (y, names, mut rows) = match clauses.yield_ {
        None => {
            if clauses.return_.is_some() {
                return Err(Neo4jError::new(
                    code::SYNTAX_ERROR,
                    "RETURN requires a preceding YIELD.",
                ));
            }
            let rows = filter(&columns, rows, clauses.where_, params, now)?;
            let idx: Vec<usize> = default
                .iter()
                .filter_map(|d| columns.iter().position(|c| c == d))
                .collect();
            let names = idx.iter().map(|&i| columns[i].clone()).collect();
            // A command that made only the default columns, in order, needs no projection.
            let identity =
                idx.len() == columns.len() && idx.iter().enumerate().all(|(a, b)| a == *b);
            let rows = if identity {
                rows
            } else {
                rows.into_iter()
                    .map(|r| idx.iter().map(|&i| r[i].clone()).collect())
                    .collect()
            };
            return Ok(QueryResult::new(names, rows));
        }
        Some(y) => {
            let (names, rows) = yield_rows(&columns, rows, y)?;
            (y, names, rows)
        }
    };
    rows = filter(
        &names,
        rows,
        y.where_.as_ref().or(clauses.where_),
        params,
        now,
    )?;
    rows = order_skip_limit(&names, rows, &y.tail, params, now, &[])?;
    match clauses.return_ {
        None => Ok(QueryResult::new(names, rows)),
        Some(r) => return_rows(&names, rows, r, params, now),
    }
}

/// Which of a command's `columns` the statement can read: the yielded ones, or without
/// YIELD the `default` ones (all of them when a WHERE reads the full row). A command may
/// hand `run` a table of only these columns rather than compute and hold the others. `YIELD *`, and a YIELD
/// item that is not a column name (which the pipeline refuses), need every column.
pub fn needed(columns: &[&str], default: &[&str], clauses: &Clauses<'_>) -> Vec<bool> {
    let named: Option<Vec<&str>> = match clauses.yield_ {
        None if clauses.where_.is_some() => None,
        None => Some(default.to_vec()),
        Some(y) => y.items.as_ref().and_then(|items| {
            items
                .iter()
                .map(|i| i.expr.as_variable())
                .collect::<Option<Vec<&str>>>()
        }),
    };
    columns
        .iter()
        .map(|c| named.as_ref().is_none_or(|n| n.contains(c)))
        .collect()
}

/// The most rows of a command's table, in the order the command makes them, that the
/// statement can use: `SKIP + LIMIT` when nothing before the LIMIT filters, reorders or
/// aggregates (`YIELD … [SKIP s] LIMIT n`, without WHERE, ORDER BY or RETURN); `None` when
/// every row may matter. A command that makes its rows in their final order may stop
/// there, so `SHOW DATABASES YIELD name LIMIT 10` never builds the other rows. A SKIP or
/// LIMIT that is not a valid count gives `None`: the pipeline then reports it as before.
pub fn row_budget(clauses: &Clauses<'_>, params: &Params) -> Option<usize> {
    let y = clauses.yield_?;
    if clauses.where_.is_some()
        || clauses.return_.is_some()
        || y.where_.is_some()
        || !y.tail.order_by.is_empty()
    {
        return None;
    }
    let limit = count_arg(y.tail.limit.as_ref()?, "LIMIT", params, clauses.now).ok()?;
    let skip = match &y.tail.skip {
        Some(e) => count_arg(e, "SKIP", params, clauses.now).ok()?,
        None => 0,
    };
    Some(skip.saturating_add(limit))
}

fn yield_rows(
    columns: &[String],
    rows: Vec<Vec<Value>>,
    y: &Yield,
) -> Result<(Vec<String>, Vec<Vec<Value>>), Neo4jError> {
    let Some((idx, names)) = yield_index(columns, y)? else {
        return Ok((columns.to_vec(), rows));
    };
    let rows = rows
        .into_iter()
        .map(|r| idx.iter().map(|&i| r[i].clone()).collect())
        .collect();
    Ok((names, rows))
}

/// The columns a YIELD picks, by index, and the names it gives them.
type Picked = (Vec<usize>, Vec<String>);

/// What a YIELD picks; `None` for `YIELD *`.
fn yield_index(columns: &[String], y: &Yield) -> Result<Option<Picked>, Neo4jError> {
    let Some(items) = &y.items else {
        return Ok(None);
    };
    let mut idx = Vec::new();
    let mut names = Vec::new();
    for item in items {
        let var = match item.expr.as_variable() {
            Some(v) => v,
            None => {
                return Err(Neo4jError::new(
                    code::SYNTAX_ERROR,
                    format!("Invalid input '{}': YIELD takes column names", item.text),
                ));
            }
        };
        let i = columns.iter().position(|c| c == var).ok_or_else(|| {
            Neo4jError::new(code::SYNTAX_ERROR, format!("Variable `{var}` not defined"))
        })?;
        idx.push(i);
        names.push(item.alias.clone().unwrap_or_else(|| var.to_string()));
    }
    Ok(Some((idx, names)))
}

/// The pipeline row by row, for clauses that look at one row at a time — the default
/// columns or a YIELD, WHERE, SKIP and LIMIT, but no ORDER BY and no RETURN — so a command
/// that makes its rows in their final order can push each one to a sink as it makes it
/// and hold no table. Its rows are those `run` would give, in the same order.
pub struct Streamer<'a> {
    /// Columns of the rows pushed in (the command's table).
    columns: Vec<String>,
    names: Vec<String>,
    /// Which table column each output column is.
    idx: Vec<usize>,
    /// WHERE before the projection (without YIELD it sees every column).
    where_before: Option<&'a Expr>,
    /// WHERE after the projection (with YIELD it sees the yielded names).
    where_after: Option<&'a Expr>,
    skip: usize,
    limit: Option<usize>,
    params: &'a Params,
    now: jiff::Timestamp,
}

impl<'a> Streamer<'a> {
    /// The streamer for `clauses` over a table of `columns`, or `None` when they need the
    /// whole table (ORDER BY, RETURN) and `run` must have it.
    pub fn new(
        columns: Vec<String>,
        default: &[&str],
        clauses: Clauses<'a>,
        params: &'a Params,
    ) -> Result<Option<Streamer<'a>>, Neo4jError> {
        if clauses.return_.is_some() {
            return Ok(None);
        }
        let now = clauses.now;
        let mut streamer = Streamer {
            columns,
            names: Vec::new(),
            idx: Vec::new(),
            where_before: None,
            where_after: None,
            skip: 0,
            limit: None,
            params,
            now,
        };
        match clauses.yield_ {
            None => {
                streamer.idx = default
                    .iter()
                    .filter_map(|d| streamer.columns.iter().position(|c| c == d))
                    .collect();
                streamer.where_before = clauses.where_;
            }
            Some(y) => {
                if !y.tail.order_by.is_empty() {
                    return Ok(None);
                }
                streamer.idx = match yield_index(&streamer.columns, y)? {
                    Some((idx, names)) => {
                        streamer.names = names;
                        idx
                    }
                    None => (0..streamer.columns.len()).collect(),
                };
                streamer.where_after = y.where_.as_ref().or(clauses.where_);
                if let Some(e) = &y.tail.skip {
                    streamer.skip = count_arg(e, "SKIP", params, now)?;
                }
                if let Some(e) = &y.tail.limit {
                    streamer.limit = Some(count_arg(e, "LIMIT", params, now)?);
                }
            }
        }
        if streamer.names.is_empty() {
            streamer.names = streamer
                .idx
                .iter()
                .map(|&i| streamer.columns[i].clone())
                .collect();
        }
        Ok(Some(streamer))
    }

    /// The output columns.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Passes `rows` (of the table's columns, in order) through the clauses to `sink`;
    /// false once no more rows are wanted (the LIMIT is reached, or the sink said stop).
    pub fn push(
        &mut self,
        rows: Vec<Vec<Value>>,
        sink: &mut dyn crate::result::RowSink,
    ) -> Result<bool, Neo4jError> {
        for row in rows {
            if self.limit == Some(0) {
                return Ok(false);
            }
            if !self.holds(self.where_before, &self.columns, &row)? {
                continue;
            }
            let row: Vec<Value> = self.idx.iter().map(|&i| row[i].clone()).collect();
            if !self.holds(self.where_after, &self.names, &row)? {
                continue;
            }
            if self.skip > 0 {
                self.skip -= 1;
                continue;
            }
            if let Some(n) = &mut self.limit {
                *n -= 1;
            }
            if !sink.row(row) {
                return Ok(false);
            }
        }
        Ok(self.limit != Some(0))
    }

    fn holds(
        &self,
        pred: Option<&Expr>,
        names: &[String],
        row: &[Value],
    ) -> Result<bool, Neo4jError> {
        let Some(pred) = pred else {
            return Ok(true);
        };
        let v = eval::eval(
            pred,
            &Scope {
                params: self.params,
                names,
                row,
                now: self.now,
            },
        )?;
        Ok(eval::truth(&v)? == Some(true))
    }
}

fn filter(
    names: &[String],
    rows: Vec<Vec<Value>>,
    pred: Option<&Expr>,
    params: &Params,
    now: jiff::Timestamp,
) -> Result<Vec<Vec<Value>>, Neo4jError> {
    let Some(pred) = pred else {
        return Ok(rows);
    };
    let mut out = Vec::new();
    for row in rows {
        let v = eval::eval(
            pred,
            &Scope {
                params,
                names,
                row: &row,
                now,
            },
        )?;
        if eval::truth(&v)? == Some(true) {
            out.push(row);
        }
    }
    Ok(out)
}

fn count_arg(
    e: &Expr,
    what: &str,
    params: &Params,
    now: jiff::Timestamp,
) -> Result<usize, Neo4jError> {
    match eval::eval(e, &Scope::params(params, now))? {
        Value::Int(n) if n >= 0 => Ok(n as usize),
        other => Err(Neo4jError::new(
            code::ARGUMENT_ERROR,
            format!(
                "Invalid input. '{other}' is not a valid value. Must be a non-negative integer. ({what})"
            ),
        )),
    }
}

/// Sorts, skips and limits; sort keys see `names` and then `extra` columns of each row
/// (`extra` lets RETURN's ORDER BY see YIELDed variables too).
fn order_skip_limit(
    names: &[String],
    mut rows: Vec<Vec<Value>>,
    tail: &OrderSkipLimit,
    params: &Params,
    now: jiff::Timestamp,
    extra: &[(Vec<String>, Vec<Value>)],
) -> Result<Vec<Vec<Value>>, Neo4jError> {
    if !tail.order_by.is_empty() {
        let mut keyed = Vec::with_capacity(rows.len());
        for (i, row) in rows.into_iter().enumerate() {
            let (all_names, all_row) = match extra.get(i) {
                Some((n, r)) => {
                    let mut an = names.to_vec();
                    an.extend(n.iter().cloned());
                    let mut ar = row.clone();
                    ar.extend(r.iter().cloned());
                    (an, ar)
                }
                None => (names.to_vec(), row.clone()),
            };
            let keys = tail
                .order_by
                .iter()
                .map(|s| {
                    eval::eval(
                        &s.expr,
                        &Scope {
                            params,
                            names: &all_names,
                            row: &all_row,
                            now,
                        },
                    )
                })
                .collect::<Result<Vec<_>, _>>()?;
            keyed.push((keys, row));
        }
        keyed.sort_by(|(a, _), (b, _)| {
            for ((x, y), item) in a.iter().zip(b).zip(&tail.order_by) {
                let o = eval::order(x, y);
                let o = if item.descending { o.reverse() } else { o };
                if o.is_ne() {
                    return o;
                }
            }
            std::cmp::Ordering::Equal
        });
        rows = keyed.into_iter().map(|(_, r)| r).collect();
    }
    if let Some(s) = &tail.skip {
        let n = count_arg(s, "SKIP", params, now)?;
        rows = rows.into_iter().skip(n).collect();
    }
    if let Some(l) = &tail.limit {
        let n = count_arg(l, "LIMIT", params, now)?;
        rows.truncate(n);
    }
    Ok(rows)
}

fn return_rows(
    names: &[String],
    rows: Vec<Vec<Value>>,
    r: &Return,
    params: &Params,
    now: jiff::Timestamp,
) -> Result<QueryResult, Neo4jError> {
    let items: Vec<ProjectionItem> = match &r.items {
        Some(items) => items.clone(),
        None => names
            .iter()
            .map(|n| ProjectionItem {
                expr: Expr::variable(n.clone()),
                alias: None,
                text: n.clone(),
            })
            .collect(),
    };
    let out_names: Vec<String> = items
        .iter()
        .map(|i| i.alias.clone().unwrap_or_else(|| i.text.clone()))
        .collect();
    let aggregating = items.iter().any(|i| eval::is_aggregate(&i.expr));
    let mut out: Vec<Vec<Value>> = Vec::new();
    let mut extra: Vec<(Vec<String>, Vec<Value>)> = Vec::new();
    if aggregating {
        // Group by the non-aggregate items, in first-seen order.
        let mut groups: Vec<(Vec<Value>, Vec<usize>)> = Vec::new();
        for (ri, row) in rows.iter().enumerate() {
            let key = items
                .iter()
                .filter(|i| !eval::is_aggregate(&i.expr))
                .map(|i| {
                    eval::eval(
                        &i.expr,
                        &Scope {
                            params,
                            names,
                            row,
                            now,
                        },
                    )
                })
                .collect::<Result<Vec<_>, _>>()?;
            match groups
                .iter_mut()
                .find(|(k, _)| k.len() == key.len() && k.iter().zip(&key).all(|(a, b)| a == b))
            {
                Some((_, members)) => members.push(ri),
                None => groups.push((key, vec![ri])),
            }
        }
        let no_keys = items.iter().all(|i| eval::is_aggregate(&i.expr));
        if groups.is_empty() && no_keys {
            groups.push((Vec::new(), Vec::new()));
        }
        for (_, members) in groups {
            let group: Vec<(&[String], &[Value])> = members
                .iter()
                .map(|&i| (names, rows[i].as_slice()))
                .collect();
            let mut row = Vec::new();
            for item in &items {
                row.push(eval::aggregate(&item.expr, &group, params, now)?);
            }
            out.push(row);
        }
    } else {
        for row in &rows {
            let projected = items
                .iter()
                .map(|i| {
                    eval::eval(
                        &i.expr,
                        &Scope {
                            params,
                            names,
                            row,
                            now,
                        },
                    )
                })
                .collect::<Result<Vec<_>, _>>()?;
            out.push(projected);
            extra.push((names.to_vec(), row.clone()));
        }
    }
    if r.distinct {
        let mut seen: Vec<Vec<Value>> = Vec::new();
        let mut kept_extra = Vec::new();
        for (i, row) in out.into_iter().enumerate() {
            if !seen.contains(&row) {
                seen.push(row);
                if let Some(e) = extra.get(i) {
                    kept_extra.push(e.clone());
                }
            }
        }
        out = seen;
        extra = kept_extra;
    }
    let out = order_skip_limit(&out_names, out, &r.tail, params, now, &extra)?;
    Ok(QueryResult::new(out_names, out))
}
