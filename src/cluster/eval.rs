//! The expression evaluator over `ast::Expr` (WHERE, RETURN, ORDER BY, procedure
//! arguments, OPTIONS values) and Cypher's value ordering and equality.
//!
//! It owns expression semantics (three-valued logic, comparisons, a few functions). It
//! must not know about SHOW commands or the cluster: `show.rs` runs the pipeline.

use crate::dialect::Params;
use crate::dialect::ast::visit::{Visitor, walk_expr};
use crate::dialect::ast::{BinOp, Chain, Expr, ExprKind};
use crate::error::{Neo4jError, code};
use crate::value::Value;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// What names an expression can see: parameters and the current row's columns.
pub struct Scope<'a> {
    /// The session parameters.
    pub params: &'a Params,
    /// Column names of the current row.
    pub names: &'a [String],
    /// The current row.
    pub row: &'a [Value],
}

impl<'a> Scope<'a> {
    /// A scope with parameters only.
    pub fn params(params: &'a Params) -> Scope<'a> {
        Scope {
            params,
            names: &[],
            row: &[],
        }
    }
}

/// Names of the aggregating functions.
pub const AGGREGATES: &[&str] = &["count", "collect", "sum", "min", "max", "avg"];

/// True when the expression contains an aggregation.
pub fn is_aggregate(e: &Expr) -> bool {
    struct Finder(bool);
    impl Visitor for Finder {
        fn visit_expr(&mut self, e: &Expr) {
            match &e.kind {
                ExprKind::CountStar => self.0 = true,
                ExprKind::Function(f)
                    if AGGREGATES.contains(&f.name.to_ascii_lowercase().as_str()) =>
                {
                    self.0 = true
                }
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
    Ok(match &e.kind {
        ExprKind::Literal(v) => v.clone(),
        ExprKind::Param(p) => scope
            .params
            .get(&p.name)
            .cloned()
            .ok_or_else(|| missing_param(&p.name))?,
        ExprKind::Variable(name) => match scope.names.iter().position(|n| n == name) {
            Some(i) => scope.row[i].clone(),
            None => {
                return Err(Neo4jError::new(
                    code::SYNTAX_ERROR,
                    format!("Variable `{name}` not defined"),
                ));
            }
        },
        ExprKind::Property(base, key) => match eval(base, scope)? {
            Value::Map(m) => m.get(key).cloned().unwrap_or(Value::Null),
            Value::Null => Value::Null,
            other => return Err(type_error("Map", &other)),
        },
        ExprKind::List(items) => Value::List(
            items
                .iter()
                .map(|i| eval(i, scope))
                .collect::<Result<_, _>>()?,
        ),
        ExprKind::Map(items) => {
            let mut m = BTreeMap::new();
            for (k, v) in items {
                m.insert(k.clone(), eval(v, scope)?);
            }
            Value::Map(m)
        }
        ExprKind::Not(a) => match truth(&eval(a, scope)?)? {
            Some(b) => Value::Bool(!b),
            None => Value::Null,
        },
        ExprKind::Neg(a) => match eval(a, scope)? {
            Value::Int(i) => Value::Int(i.wrapping_neg()),
            Value::Float(f) => Value::Float(-f),
            Value::Null => Value::Null,
            other => return Err(type_error("Number", &other)),
        },
        ExprKind::IsNull(a, negated) => Value::Bool(eval(a, scope)?.is_null() != *negated),
        ExprKind::Index(list, idx) => match (eval(list, scope)?, eval(idx, scope)?) {
            (Value::List(l), Value::Int(i)) => {
                let i = if i < 0 { l.len() as i64 + i } else { i };
                usize::try_from(i)
                    .ok()
                    .and_then(|i| l.get(i).cloned())
                    .unwrap_or(Value::Null)
            }
            (Value::Map(m), Value::String(k)) => m.get(&k).cloned().unwrap_or(Value::Null),
            (Value::Null, _) | (_, Value::Null) => Value::Null,
            (other, _) => return Err(type_error("List", &other)),
        },
        ExprKind::Binary(c) => chain(c, scope)?,
        ExprKind::Function(f) => function(&f.name, &f.args, scope)?,
        ExprKind::CountStar => {
            return Err(Neo4jError::new(
                code::SYNTAX_ERROR,
                "Aggregation is only allowed in RETURN.",
            ));
        }
        _ => {
            return Err(Neo4jError::new(
                code::SYNTAX_ERROR,
                "This expression is not supported on SHOW commands.",
            ));
        }
    })
}

/// A run of one operator level: comparisons hold pairwise (`a < b < c` is
/// `a < b AND b < c`), everything else folds left to right.
fn chain(c: &Chain, scope: &Scope<'_>) -> Result<Value, Neo4jError> {
    let mut left = eval(&c.first, scope)?;
    if c.rest.first().is_some_and(|(op, _, _)| op.is_comparison()) {
        let mut all: Option<bool> = Some(true);
        for (op, _, e) in &c.rest {
            let right = eval(e, scope)?;
            let holds = truth(&binary(*op, left, right.clone())?)?;
            all = match (all, holds) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            };
            left = right;
        }
        return Ok(all.map_or(Value::Null, Value::Bool));
    }
    for (op, _, e) in &c.rest {
        left = binary(*op, left, eval(e, scope)?)?;
    }
    Ok(left)
}

fn type_error(expected: &str, got: &Value) -> Neo4jError {
    Neo4jError::new(
        code::TYPE_ERROR,
        format!("Expected {expected} but got {}", got.type_name()),
    )
}

/// The truth value of a predicate result (NULL is unknown).
pub fn truth(v: &Value) -> Result<Option<bool>, Neo4jError> {
    match v {
        Value::Bool(b) => Ok(Some(*b)),
        Value::Null => Ok(None),
        other => Err(type_error("Boolean", other)),
    }
}

fn binary(op: BinOp, l: Value, r: Value) -> Result<Value, Neo4jError> {
    // Short-circuit logic with three-valued semantics.
    match op {
        BinOp::And | BinOp::Or | BinOp::Xor => {
            let x = truth(&l)?;
            let y = truth(&r)?;
            return Ok(match (op, x, y) {
                (BinOp::And, Some(false), _) | (BinOp::And, _, Some(false)) => Value::Bool(false),
                (BinOp::And, Some(true), Some(true)) => Value::Bool(true),
                (BinOp::Or, Some(true), _) | (BinOp::Or, _, Some(true)) => Value::Bool(true),
                (BinOp::Or, Some(false), Some(false)) => Value::Bool(false),
                (BinOp::Xor, Some(x), Some(y)) => Value::Bool(x != y),
                _ => Value::Null,
            });
        }
        _ => {}
    }
    if matches!(op, BinOp::In) {
        return Ok(match r {
            Value::List(items) => {
                if l.is_null() {
                    Value::Null
                } else if items.iter().any(|i| equals(&l, i) == Some(true)) {
                    Value::Bool(true)
                } else if items.iter().any(Value::is_null) {
                    Value::Null
                } else {
                    Value::Bool(false)
                }
            }
            Value::Null => Value::Null,
            other => return Err(type_error("List", &other)),
        });
    }
    if l.is_null() || r.is_null() {
        return Ok(Value::Null);
    }
    Ok(match op {
        BinOp::Eq => equals(&l, &r).map_or(Value::Null, Value::Bool),
        BinOp::Neq => equals(&l, &r).map_or(Value::Null, |b| Value::Bool(!b)),
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => match compare(&l, &r) {
            Some(o) => Value::Bool(match op {
                BinOp::Lt => o == Ordering::Less,
                BinOp::Le => o != Ordering::Greater,
                BinOp::Gt => o == Ordering::Greater,
                _ => o != Ordering::Less,
            }),
            None => Value::Null,
        },
        BinOp::StartsWith | BinOp::EndsWith | BinOp::Contains => match (&l, &r) {
            (Value::String(x), Value::String(y)) => Value::Bool(match op {
                BinOp::StartsWith => x.starts_with(y.as_str()),
                BinOp::EndsWith => x.ends_with(y.as_str()),
                _ => x.contains(y.as_str()),
            }),
            _ => Value::Null,
        },
        BinOp::RegexMatch => match (&l, &r) {
            (Value::String(x), Value::String(p)) => Value::Bool(simple_regex(p, x)),
            _ => Value::Null,
        },
        BinOp::Add => match (l, r) {
            (Value::String(x), y) => Value::String(format!("{x}{}", plain(&y))),
            (x, Value::String(y)) => Value::String(format!("{}{y}", plain(&x))),
            (Value::List(mut x), Value::List(y)) => {
                x.extend(y);
                Value::List(x)
            }
            (Value::List(mut x), y) => {
                x.push(y);
                Value::List(x)
            }
            (x, y) => arith(op, &x, &y)?,
        },
        _ => arith(op, &l, &r)?,
    })
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `=~` for the patterns people write in WHERE: `.*` and `.` wildcards, literal text
/// otherwise (cysh has no regex engine; anything else matches literally).
fn simple_regex(pattern: &str, text: &str) -> bool {
    let glob: String = pattern
        .replace(".*", "\u{0}")
        .replace('.', "?")
        .replace('\u{0}', "*");
    super::model::pattern_matches(&glob, text)
}

fn arith(op: BinOp, l: &Value, r: &Value) -> Result<Value, Neo4jError> {
    let f = |v: &Value| match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    };
    if let (Value::Int(x), Value::Int(y)) = (l, r) {
        let (x, y) = (*x, *y);
        let div0 = || Neo4jError::new(code::ARGUMENT_ERROR, "/ by zero");
        return Ok(Value::Int(match op {
            BinOp::Add => x.wrapping_add(y),
            BinOp::Sub => x.wrapping_sub(y),
            BinOp::Mul => x.wrapping_mul(y),
            BinOp::Div => x.checked_div(y).ok_or_else(div0)?,
            BinOp::Mod => x.checked_rem(y).ok_or_else(div0)?,
            _ => return Ok(Value::Float((x as f64).powf(y as f64))),
        }));
    }
    match (f(l), f(r)) {
        (Some(x), Some(y)) => Ok(Value::Float(match op {
            BinOp::Add => x + y,
            BinOp::Sub => x - y,
            BinOp::Mul => x * y,
            BinOp::Div => x / y,
            BinOp::Mod => x % y,
            _ => x.powf(y),
        })),
        _ => Err(Neo4jError::new(
            code::TYPE_ERROR,
            format!(
                "Cannot apply the operator to {} and {}",
                l.type_name(),
                r.type_name()
            ),
        )),
    }
}

/// Cypher equality; `None` when NULL is involved.
pub fn equals(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Null, _) | (_, Value::Null) => None,
        (Value::Int(x), Value::Float(y)) | (Value::Float(y), Value::Int(x)) => {
            Some(*x as f64 == *y)
        }
        (Value::List(x), Value::List(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut unknown = false;
            for (p, q) in x.iter().zip(y) {
                match equals(p, q) {
                    Some(false) => return Some(false),
                    None => unknown = true,
                    _ => {}
                }
            }
            if unknown { None } else { Some(true) }
        }
        _ => Some(a == b),
    }
}

/// Comparison of two values of comparable types; `None` otherwise.
pub fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
            let f = |v: &Value| match v {
                Value::Int(i) => *i as f64,
                Value::Float(f) => *f,
                _ => 0.0,
            };
            f(a).partial_cmp(&f(b))
        }
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        (Value::DateTime(x), Value::DateTime(y)) => {
            Some(x.timestamp().ok()?.cmp(&y.timestamp().ok()?))
        }
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        (Value::List(x), Value::List(y)) => {
            for (p, q) in x.iter().zip(y) {
                match compare(p, q)? {
                    Ordering::Equal => {}
                    o => return Some(o),
                }
            }
            Some(x.len().cmp(&y.len()))
        }
        _ => None,
    }
}

/// The total order ORDER BY uses: values of different types by type, NULL last.
pub fn order(a: &Value, b: &Value) -> Ordering {
    let rank = |v: &Value| match v {
        Value::Map(_) => 0,
        Value::List(_) => 3,
        Value::String(_) => 4,
        Value::Bool(_) => 5,
        Value::Int(_) | Value::Float(_) => 6,
        Value::Null => 9,
        _ => 7,
    };
    compare(a, b).unwrap_or_else(|| rank(a).cmp(&rank(b)))
}

fn function(name: &str, args: &[Expr], scope: &Scope<'_>) -> Result<Value, Neo4jError> {
    let lname = name.to_ascii_lowercase();
    if AGGREGATES.contains(&lname.as_str()) {
        return Err(Neo4jError::new(
            code::SYNTAX_ERROR,
            format!("Aggregation function `{name}` is only allowed in RETURN."),
        ));
    }
    let vals: Vec<Value> = args
        .iter()
        .map(|a| eval(a, scope))
        .collect::<Result<_, _>>()?;
    let arg = |i: usize| vals.get(i).cloned().unwrap_or(Value::Null);
    let wrong = || Neo4jError::new(code::SYNTAX_ERROR, format!("Unknown function '{name}'"));
    Ok(match lname.as_str() {
        "tolower" | "toupper" | "trim" => match arg(0) {
            Value::String(s) => Value::String(match lname.as_str() {
                "tolower" => s.to_lowercase(),
                "toupper" => s.to_uppercase(),
                _ => s.trim().to_string(),
            }),
            Value::Null => Value::Null,
            other => return Err(type_error("String", &other)),
        },
        "size" | "length" => match arg(0) {
            Value::String(s) => Value::Int(s.chars().count() as i64),
            Value::List(l) => Value::Int(l.len() as i64),
            Value::Null => Value::Null,
            other => return Err(type_error("List", &other)),
        },
        "coalesce" => vals
            .into_iter()
            .find(|v| !v.is_null())
            .unwrap_or(Value::Null),
        "tostring" => match arg(0) {
            Value::Null => Value::Null,
            v => Value::String(plain(&v)),
        },
        "tointeger" => match arg(0) {
            Value::Int(i) => Value::Int(i),
            Value::Float(f) => Value::Int(f as i64),
            Value::String(s) => s.trim().parse().map_or(Value::Null, Value::Int),
            _ => Value::Null,
        },
        "head" | "last" => match arg(0) {
            Value::List(l) => {
                let v = if lname == "head" { l.first() } else { l.last() };
                v.cloned().unwrap_or(Value::Null)
            }
            _ => Value::Null,
        },
        "abs" => match arg(0) {
            Value::Int(i) => Value::Int(i.wrapping_abs()),
            Value::Float(f) => Value::Float(f.abs()),
            _ => Value::Null,
        },
        "keys" => match arg(0) {
            Value::Map(m) => Value::str_list(m.keys().cloned()),
            _ => Value::Null,
        },
        _ => return Err(wrong()),
    })
}

/// Accumulates one aggregation over a group of rows.
pub fn aggregate(
    e: &Expr,
    rows: &[(&[String], &[Value])],
    params: &Params,
) -> Result<Value, Neo4jError> {
    match &e.kind {
        ExprKind::CountStar => Ok(Value::Int(rows.len() as i64)),
        ExprKind::Function(f) if AGGREGATES.contains(&f.name.to_ascii_lowercase().as_str()) => {
            let (name, distinct, args) = (&f.name, &f.distinct, &f.args);
            let arg = args.first().ok_or_else(|| {
                Neo4jError::new(
                    code::SYNTAX_ERROR,
                    format!("Insufficient parameters for function '{name}'"),
                )
            })?;
            let mut vals = Vec::new();
            for (names, row) in rows {
                let v = eval(arg, &Scope { params, names, row })?;
                let duplicate = *distinct && vals.iter().any(|x| equals(x, &v) == Some(true));
                if !v.is_null() && !duplicate {
                    vals.push(v);
                }
            }
            Ok(match name.to_ascii_lowercase().as_str() {
                "count" => Value::Int(vals.len() as i64),
                "collect" => Value::List(vals),
                "min" => vals.into_iter().min_by(order).unwrap_or(Value::Null),
                "max" => vals.into_iter().max_by(order).unwrap_or(Value::Null),
                "sum" => vals
                    .iter()
                    .try_fold(Value::Int(0), |acc, v| arith(BinOp::Add, &acc, v))?,
                _ => {
                    if vals.is_empty() {
                        Value::Null
                    } else {
                        let n = vals.len() as f64;
                        match vals
                            .iter()
                            .try_fold(Value::Float(0.0), |acc, v| arith(BinOp::Add, &acc, v))?
                        {
                            Value::Float(s) => Value::Float(s / n),
                            _ => Value::Null,
                        }
                    }
                }
            })
        }
        // An expression over aggregates (`count(x) + 1`): evaluate its parts per group.
        ExprKind::Binary(c) => {
            let mut acc = aggregate_or_first(&c.first, rows, params)?;
            for (op, _, b) in &c.rest {
                acc = binary(*op, acc, aggregate_or_first(b, rows, params)?)?;
            }
            Ok(acc)
        }
        _ => aggregate_or_first(e, rows, params),
    }
}

fn aggregate_or_first(
    e: &Expr,
    rows: &[(&[String], &[Value])],
    params: &Params,
) -> Result<Value, Neo4jError> {
    if is_aggregate(e) {
        return aggregate(e, rows, params);
    }
    match rows.first() {
        Some((names, row)) => eval(e, &Scope { params, names, row }),
        None => eval(e, &Scope::params(params)),
    }
}
