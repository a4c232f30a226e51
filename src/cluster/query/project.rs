//! Projection of RETURN and WITH: items named by their alias or, as Neo4j names them,
//! by their text as written; `*`; grouping with aggregation; DISTINCT; ORDER BY (which
//! sees the projected names and, without aggregation, the variables before them), SKIP
//! and LIMIT.
//!
//! It owns those rules. It must not evaluate expressions itself (`cluster::eval` and the
//! dialect evaluator do).

use super::super::ctx::Ctx;
use super::super::eval::{self, Scope};
use super::Rows;
use crate::dialect::ast::query::{Paging, Projection, ReturnItem};
use crate::dialect::eval::compare;
use crate::dialect::eval::ops::MAX_SIZE;
use crate::error::{Neo4jError, code};
use crate::value::Value;
use std::collections::HashMap;
use std::fmt::Write;

/// Refuses more rows than the shell holds in memory.
pub fn check_rows(n: usize) -> Result<(), Neo4jError> {
    if n > MAX_SIZE {
        return Err(Neo4jError::new(
            code::ARGUMENT_ERROR,
            format!(
                "The query would produce more than {MAX_SIZE} rows, more than cysh evaluates locally."
            ),
        ));
    }
    Ok(())
}

/// A text equal for values Cypher groups together (1 and 1.0, NULL with NULL, NaN with
/// NaN), so grouping and DISTINCT take linear time.
fn group_key(v: &Value, out: &mut String) {
    match v {
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => {
            let _ = write!(out, "n{}", *f as i64);
        }
        Value::Int(i) => {
            let _ = write!(out, "n{i}");
        }
        Value::Float(f) => {
            let _ = write!(out, "f{f:?}");
        }
        Value::String(s) => {
            let _ = write!(out, "s{}:{s}", s.len());
        }
        Value::List(items) => {
            let _ = write!(out, "l{}[", items.len());
            for i in items {
                group_key(i, out);
                out.push(',');
            }
            out.push(']');
        }
        Value::Map(m) => {
            let _ = write!(out, "m{}{{", m.len());
            for (k, i) in m {
                let _ = write!(out, "{}:{k}=", k.len());
                group_key(i, out);
                out.push(',');
            }
            out.push('}');
        }
        other => {
            let _ = write!(out, "{}:{other}", other.type_name());
        }
    }
}

fn row_key(row: &[Value]) -> String {
    let mut k = String::new();
    for v in row {
        group_key(v, &mut k);
        k.push('|');
    }
    k
}

/// Rows without repeats, first occurrence kept.
pub fn distinct(rows: Vec<Vec<Value>>) -> Vec<Vec<Value>> {
    let mut seen = std::collections::HashSet::new();
    rows.into_iter()
        .filter(|r| seen.insert(row_key(r)))
        .collect()
}

/// A RETURN or WITH item's column name: its alias, or its text as written.
pub fn item_name(ctx: &Ctx<'_>, item: &ReturnItem) -> String {
    match &item.alias {
        Some(a) => a.name.clone(),
        None => item.expr.span.text(ctx.source).to_string(),
    }
}

/// Projects `input` through RETURN or WITH `p`.
pub fn project(ctx: &Ctx<'_>, input: Rows, p: &Projection) -> Result<Rows, Neo4jError> {
    let mut items: Vec<(String, Option<&crate::dialect::ast::Expr>)> = Vec::new();
    if p.star {
        let mut names: Vec<&String> = input.names.iter().collect();
        names.sort();
        names.dedup();
        items.extend(names.into_iter().map(|n| (n.clone(), None)));
    }
    for item in &p.items {
        items.push((item_name(ctx, item), Some(&item.expr)));
    }
    let names: Vec<String> = items.iter().map(|(n, _)| n.clone()).collect();
    let value_of = |e: Option<&crate::dialect::ast::Expr>, name: &str, scope: &Scope<'_>| match e {
        Some(e) => eval::eval(e, scope),
        None => Ok(crate::dialect::eval::Columns {
            names: scope.names,
            values: scope.row,
        }
        .get_value(name)),
    };
    let aggregating = items.iter().any(|(_, e)| e.is_some_and(eval::is_aggregate));
    let mut out = Vec::new();
    let mut before = Vec::new();
    if aggregating {
        let mut groups: Vec<(Vec<Value>, Vec<usize>)> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for (ri, row) in input.rows.iter().enumerate() {
            let scope = Scope {
                params: ctx.params,
                names: &input.names,
                row,
                now: ctx.now,
            };
            let mut key = Vec::new();
            for (name, e) in &items {
                if !e.is_some_and(eval::is_aggregate) {
                    key.push(value_of(*e, name, &scope)?);
                }
            }
            let k = row_key(&key);
            match index.get(&k) {
                Some(&g) => groups[g].1.push(ri),
                None => {
                    index.insert(k, groups.len());
                    groups.push((key, vec![ri]));
                }
            }
        }
        let only_aggregates = items.iter().all(|(_, e)| e.is_some_and(eval::is_aggregate));
        if groups.is_empty() && only_aggregates {
            groups.push((Vec::new(), Vec::new()));
        }
        for (_, members) in groups {
            let group: Vec<(&[String], &[Value])> = members
                .iter()
                .map(|&i| (input.names.as_slice(), input.rows[i].as_slice()))
                .collect();
            let mut row = Vec::with_capacity(items.len());
            for (name, e) in &items {
                row.push(match e {
                    Some(e) => eval::aggregate(e, &group, ctx.params, ctx.now)?,
                    None => group.first().map_or(Value::Null, |(n, r)| {
                        crate::dialect::eval::Columns {
                            names: n,
                            values: r,
                        }
                        .get_value(name)
                    }),
                });
            }
            out.push(row);
            before.push(Vec::new());
        }
    } else {
        for row in &input.rows {
            let scope = Scope {
                params: ctx.params,
                names: &input.names,
                row,
                now: ctx.now,
            };
            let mut projected = Vec::with_capacity(items.len());
            for (name, e) in &items {
                projected.push(value_of(*e, name, &scope)?);
            }
            out.push(projected);
            before.push(row.clone());
        }
    }
    if p.distinct {
        let mut seen = std::collections::HashSet::new();
        let mut kept = Vec::new();
        let mut kept_before = Vec::new();
        for (row, b) in out.into_iter().zip(before) {
            if seen.insert(row_key(&row)) {
                kept.push(row);
                kept_before.push(b);
            }
        }
        out = kept;
        before = kept_before;
    }
    let old_names = if aggregating || p.distinct {
        Vec::new()
    } else {
        input.names.clone()
    };
    let rows = page(ctx, &names, out, &old_names, before, &p.paging)?;
    Ok(Rows { names, rows })
}

/// ORDER BY (seeing `names` and, behind them, `old_names` from `before`), SKIP, LIMIT.
pub fn page(
    ctx: &Ctx<'_>,
    names: &[String],
    rows: Vec<Vec<Value>>,
    old_names: &[String],
    before: Vec<Vec<Value>>,
    paging: &Paging,
) -> Result<Vec<Vec<Value>>, Neo4jError> {
    let mut rows = rows;
    if !paging.order_by.is_empty() {
        // Later names win in a scope: the old variables first, the projected ones after.
        let mut all_names = old_names.to_vec();
        all_names.extend(names.iter().cloned());
        let mut keyed = Vec::with_capacity(rows.len());
        for (row, b) in rows.into_iter().zip(before) {
            let mut all = if old_names.is_empty() { Vec::new() } else { b };
            all.extend(row.iter().cloned());
            let scope = Scope {
                params: ctx.params,
                names: &all_names,
                row: &all,
                now: ctx.now,
            };
            let mut keys = Vec::with_capacity(paging.order_by.len());
            for s in &paging.order_by {
                keys.push(eval::eval(&s.expr, &scope)?);
            }
            keyed.push((keys, row));
        }
        keyed.sort_by(|(a, _), (b, _)| {
            for ((x, y), item) in a.iter().zip(b).zip(&paging.order_by) {
                let o = compare::order(x, y);
                let o = if item.descending { o.reverse() } else { o };
                if o.is_ne() {
                    return o;
                }
            }
            std::cmp::Ordering::Equal
        });
        rows = keyed.into_iter().map(|(_, r)| r).collect();
    }
    if let Some(s) = &paging.skip {
        let n = count(ctx, s, "SKIP")?;
        rows = rows.into_iter().skip(n).collect();
    }
    if let Some(l) = &paging.limit {
        let n = count(ctx, l, "LIMIT")?;
        rows.truncate(n);
    }
    Ok(rows)
}

/// A SKIP or LIMIT count: a non-negative integer, in Neo4j's words when it is not.
pub fn count(
    ctx: &Ctx<'_>,
    e: &crate::dialect::ast::Expr,
    what: &str,
) -> Result<usize, Neo4jError> {
    match eval::eval(e, &Scope::params(ctx.params, ctx.now))? {
        Value::Int(n) if n >= 0 => Ok(usize::try_from(n).unwrap_or(usize::MAX)),
        other => Err(Neo4jError::new(
            code::ARGUMENT_ERROR,
            format!(
                "Invalid input. '{other}' is not a valid value. Must be a non-negative integer. ({what})"
            ),
        )),
    }
}
