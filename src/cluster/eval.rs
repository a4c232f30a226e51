//! The cluster's view of the expression evaluator (`dialect::eval`): a scope of the
//! current row's columns and the session parameters, at the statement's clock, and
//! aggregation over groups of rows, for WHERE, RETURN, ORDER BY, procedure arguments,
//! OPTIONS values and graph-free queries.
//!
//! It owns the adaptation (column scopes, grouping, Neo4jError at the boundary). It must
//! not hold expression semantics of its own: those are the dialect evaluator's.

use crate::dialect::Params;
use crate::dialect::ast::visit::{Visitor, walk_expr};
use crate::dialect::ast::{Expr, ExprKind};
use crate::dialect::eval::aggregate::Acc;
use crate::dialect::eval::{self as de, Columns, Ctx, functions, ops};
use crate::error::{Neo4jError, code};
use crate::value::Value;
use std::cmp::Ordering;
use std::collections::HashMap;

/// What names an expression can see: parameters and the current row's columns.
pub struct Scope<'a> {
    /// The session parameters.
    pub params: &'a Params,
    /// Column names of the current row.
    pub names: &'a [String],
    /// The current row.
    pub row: &'a [Value],
    /// The statement's clock.
    pub now: jiff::Timestamp,
}

impl<'a> Scope<'a> {
    /// A scope with parameters only, at `now`.
    pub fn params(params: &'a Params, now: jiff::Timestamp) -> Scope<'a> {
        Scope {
            params,
            names: &[],
            row: &[],
            now,
        }
    }
}

/// True when the expression contains an aggregation.
pub fn is_aggregate(e: &Expr) -> bool {
    struct Finder(bool);
    impl Visitor for Finder {
        fn visit_expr(&mut self, e: &Expr) {
            match &e.kind {
                ExprKind::CountStar => self.0 = true,
                ExprKind::Function(f) if functions::is_aggregate(&f.name) => self.0 = true,
                _ => walk_expr(self, e),
            }
        }
    }
    let mut f = Finder(false);
    f.visit_expr(e);
    f.0
}

/// A missing parameter, in Neo4j's words.
pub fn missing_param(name: &str) -> Neo4jError {
    Neo4jError::new(
        code::PARAMETER_MISSING,
        format!("Expected parameter(s): {name}"),
    )
}

/// Evaluates an expression.
pub fn eval(e: &Expr, scope: &Scope<'_>) -> Result<Value, Neo4jError> {
    eval_with(e, scope, None)
}

fn eval_with(
    e: &Expr,
    scope: &Scope<'_>,
    aggregates: Option<&HashMap<usize, Value>>,
) -> Result<Value, Neo4jError> {
    let row = Columns {
        names: scope.names,
        values: scope.row,
    };
    let mut ctx = Ctx::new(scope.params, &row, scope.now);
    ctx.aggregates = aggregates;
    de::eval(e, &mut ctx).map_err(Neo4jError::from)
}

/// The truth value of a predicate result (NULL is unknown).
pub fn truth(v: &Value) -> Result<Option<bool>, Neo4jError> {
    ops::truth(v).map_err(Neo4jError::from)
}

/// Cypher equality; `None` when NULL is involved.
pub fn equals(a: &Value, b: &Value) -> Option<bool> {
    de::compare::equals(a, b)
}

/// The total order ORDER BY uses: values of different types by type, NULL last.
pub fn order(a: &Value, b: &Value) -> Ordering {
    de::compare::order(a, b)
}

/// Evaluates an expression over a group of rows: each aggregate in it over the group's
/// rows, the rest over the group's first row (grouping keys are the same on every row).
pub fn aggregate(
    e: &Expr,
    rows: &[(&[String], &[Value])],
    params: &Params,
    now: jiff::Timestamp,
) -> Result<Value, Neo4jError> {
    let mut compute = Compute {
        rows,
        params,
        now,
        values: HashMap::new(),
        error: None,
    };
    compute.visit_expr(e);
    if let Some(err) = compute.error {
        return Err(err);
    }
    let (names, row): (&[String], &[Value]) = rows.first().map_or((&[], &[]), |(n, r)| (*n, *r));
    eval_with(
        e,
        &Scope {
            params,
            names,
            row,
            now,
        },
        Some(&compute.values),
    )
}

/// Computes every outermost aggregate of an expression over a group.
struct Compute<'r> {
    rows: &'r [(&'r [String], &'r [Value])],
    params: &'r Params,
    now: jiff::Timestamp,
    values: HashMap<usize, Value>,
    error: Option<Neo4jError>,
}

impl Compute<'_> {
    fn one(&self, agg: &Expr) -> Result<Option<Value>, Neo4jError> {
        let (name, distinct, arg, extra) = match &agg.kind {
            ExprKind::CountStar => ("count", false, None, None),
            ExprKind::Function(f) if functions::is_aggregate(&f.name) => {
                let arg = f.args.first().ok_or_else(|| {
                    Neo4jError::new(
                        code::SYNTAX_ERROR,
                        format!("Insufficient parameters for function '{}'", f.name),
                    )
                })?;
                (f.name.as_str(), f.distinct, Some(arg), f.args.get(1))
            }
            _ => return Ok(None),
        };
        let mut acc = Acc::new(name, distinct, arg.is_none());
        for (names, row) in self.rows {
            let scope = Scope {
                params: self.params,
                names,
                row,
                now: self.now,
            };
            let v = match arg {
                Some(a) => eval(a, &scope)?,
                None => Value::Null,
            };
            let x = extra.map(|x| eval(x, &scope)).transpose()?;
            acc.add(v, x)?;
        }
        Ok(Some(acc.finish()?))
    }
}

impl Visitor for Compute<'_> {
    fn visit_expr(&mut self, e: &Expr) {
        if self.error.is_some() {
            return;
        }
        match self.one(e) {
            Ok(Some(v)) => {
                self.values.insert(de::node_key(e), v);
            }
            Ok(None) => walk_expr(self, e),
            Err(err) => self.error = Some(err),
        }
    }
}
