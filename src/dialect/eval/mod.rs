//! The expression evaluator: everything Cypher computes without a graph — literals,
//! parameters, variables of the current row, operators with Neo4j's NULL semantics and
//! overflow checks, CASE, list and map expressions, comprehensions, quantifiers, `reduce`,
//! map projection of maps, and the functions of `functions/` (strings, lists, math,
//! conversion), `temporal.rs` and `spatial.rs`.
//!
//! It serves `:param` / `-P` (`assign.rs`), the cluster's SHOW pipeline and its graph-free
//! queries. It owns expression semantics; it must not know about clauses or the cluster,
//! and it does no I/O: the statement's clock comes in `Ctx::now`, and `rand()` draws from a
//! generator seeded by it. Nesting is bounded by the parser (500 levels) and operator
//! runs are flat chains evaluated in a loop; each level grows the stack on the heap when
//! it runs low, so no expression overflows a thread's stack.

pub mod aggregate;
pub mod assign;
pub mod compare;
pub mod errors;
pub mod functions;
pub mod ops;
pub mod spatial;
pub mod temporal;

use super::Params;
use super::ast::expr::{Case, CypherType, MapProjectionItem, Quantifier, TrimSide, TypeName, When};
use super::ast::{BinOp, Chain, Expr, ExprKind};
use errors::{EvalError, EvalResult, needs_server, undefined};
use std::collections::{BTreeMap, HashMap};

pub use crate::value::Value;

/// The variables of the current row.
pub trait Row {
    /// The value bound to `name`, if any.
    fn get(&self, name: &str) -> Option<&Value>;
}

/// A row with no variables.
pub struct NoRow;

impl Row for NoRow {
    fn get(&self, _: &str) -> Option<&Value> {
        None
    }
}

/// A row as parallel column names and values.
pub struct Columns<'a> {
    /// The names.
    pub names: &'a [String],
    /// The values.
    pub values: &'a [Value],
}

impl Columns<'_> {
    /// The value bound to `name`, NULL when there is none.
    pub fn get_value(&self, name: &str) -> Value {
        self.get(name).cloned().unwrap_or(Value::Null)
    }
}

impl Row for Columns<'_> {
    fn get(&self, name: &str) -> Option<&Value> {
        // The last binding of a name wins (a projection's alias over an older variable).
        self.names
            .iter()
            .rposition(|n| n == name)
            .and_then(|i| self.values.get(i))
    }
}

/// What an expression is evaluated with.
pub struct Ctx<'a> {
    /// The session parameters.
    pub params: &'a Params,
    /// The current row.
    pub row: &'a dyn Row,
    /// The statement's clock (`datetime()` and its siblings).
    pub now: jiff::Timestamp,
    /// Aggregates already computed for the current group, by the address of their node.
    pub aggregates: Option<&'a HashMap<usize, Value>>,
    locals: Vec<(String, Value)>,
    rng: u64,
}

impl<'a> Ctx<'a> {
    /// A context over `row` with `params`, at `now`.
    pub fn new(params: &'a Params, row: &'a dyn Row, now: jiff::Timestamp) -> Ctx<'a> {
        Ctx {
            params,
            row,
            now,
            aggregates: None,
            locals: Vec::new(),
            rng: now.as_nanosecond() as u64 ^ 0x9e37_79b9_7f4a_7c15,
        }
    }

    fn lookup(&self, name: &str) -> EvalResult {
        if let Some((_, v)) = self.locals.iter().rev().find(|(n, _)| n == name) {
            return Ok(v.clone());
        }
        self.row.get(name).cloned().ok_or_else(|| undefined(name))
    }

    /// The next number in `[0, 1)` from the statement's generator (splitmix64).
    pub fn next_random(&mut self) -> f64 {
        self.rng = self.rng.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A version-4 UUID from the statement's generator.
    pub fn random_uuid(&mut self) -> String {
        let mut bytes = [0u8; 16];
        for chunk in bytes.chunks_mut(8) {
            let n = (self.next_random() * (1u64 << 53) as f64) as u64 ^ self.rng;
            chunk.copy_from_slice(&n.to_le_bytes());
        }
        uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .to_string()
    }

    /// Evaluates `body` with `name` bound to `value` (comprehensions, quantifiers, reduce).
    fn with_local<T>(
        &mut self,
        name: &str,
        value: Value,
        body: impl FnOnce(&mut Ctx<'a>) -> EvalResult<T>,
    ) -> EvalResult<T> {
        self.locals.push((name.to_string(), value));
        let out = body(self);
        self.locals.pop();
        out
    }
}

/// The key an aggregate node is found under in `Ctx::aggregates`.
pub fn node_key(e: &Expr) -> usize {
    e as *const Expr as usize
}

/// Evaluates an expression.
pub fn eval(e: &Expr, ctx: &mut Ctx<'_>) -> EvalResult {
    // Grow the stack on the heap when it runs low, as the parser does: nesting is bounded
    // (500 levels) but a server's worker threads have small stacks.
    crate::dialect::stack::descend(|| eval_inner(e, ctx))
}

fn eval_inner(e: &Expr, ctx: &mut Ctx<'_>) -> EvalResult {
    Ok(match &e.kind {
        ExprKind::Literal(v) => v.clone(),
        ExprKind::Param(p) => ctx
            .params
            .get(&p.name)
            .cloned()
            .ok_or_else(|| EvalError::MissingParameter(p.name.clone()))?,
        ExprKind::Variable(name) => ctx.lookup(name)?,
        ExprKind::Property(base, key) => ops::property(eval(base, ctx)?, key)?,
        ExprKind::Index(c, i) => {
            let c = eval(c, ctx)?;
            ops::index(c, eval(i, ctx)?)?
        }
        ExprKind::Slice(l, from, to) => {
            let l = eval(l, ctx)?;
            let from = from.as_ref().map(|f| eval(f, ctx)).transpose()?;
            let to = to.as_ref().map(|t| eval(t, ctx)).transpose()?;
            ops::slice(l, from, to)?
        }
        ExprKind::List(items) => {
            let mut out = Vec::with_capacity(items.len());
            for i in items {
                out.push(eval(i, ctx)?);
            }
            Value::List(out)
        }
        ExprKind::Map(entries) => {
            let mut m = BTreeMap::new();
            for (k, v) in entries {
                m.insert(k.clone(), eval(v, ctx)?);
            }
            Value::Map(m)
        }
        ExprKind::Not(a) => ops::not(&eval(a, ctx)?)?,
        ExprKind::Neg(a) => ops::negate(eval(a, ctx)?)?,
        ExprKind::Plus(a) => ops::plus(eval(a, ctx)?)?,
        ExprKind::Binary(c) => chain(c, ctx)?,
        ExprKind::IsNull(a, not) => Value::Bool(eval(a, ctx)?.is_null() != *not),
        ExprKind::IsType(a, not, t) => Value::Bool(is_type(&eval(a, ctx)?, t) != *not),
        ExprKind::HasLabels(a, _) => match eval(a, ctx)? {
            Value::Null => Value::Null,
            Value::Node(_) => return Err(needs_server("A label expression")),
            other => return Err(errors::expected("a node", &other)),
        },
        ExprKind::Function(f) => {
            if functions::is_aggregate(&f.name) {
                return aggregate_value(e, ctx, &f.name);
            }
            let mut args = Vec::with_capacity(f.args.len());
            for a in &f.args {
                args.push(eval(a, ctx)?);
            }
            functions::call(&f.name, &args, ctx)?
        }
        ExprKind::CountStar => return aggregate_value(e, ctx, "count(*)"),
        ExprKind::Case(c) => case(c, ctx)?,
        ExprKind::ListComprehension(lc) => {
            let items = list_of(eval(&lc.list, ctx)?)?;
            let Some(items) = items else {
                return Ok(Value::Null);
            };
            let mut out = Vec::new();
            for item in items {
                let kept = ctx.with_local(&lc.var.name, item, |ctx| {
                    if let Some(f) = &lc.filter
                        && ops::truth(&eval(f, ctx)?)? != Some(true)
                    {
                        return Ok(None);
                    }
                    match &lc.map {
                        Some(m) => eval(m, ctx).map(Some),
                        None => ctx.lookup(&lc.var.name).map(Some),
                    }
                })?;
                out.extend(kept);
            }
            Value::List(out)
        }
        ExprKind::Reduce(r) => {
            let mut acc = eval(&r.init, ctx)?;
            let Some(items) = list_of(eval(&r.list, ctx)?)? else {
                return Ok(Value::Null);
            };
            for item in items {
                ctx.locals.push((r.acc.name.clone(), acc));
                let step = ctx.with_local(&r.var.name, item, |ctx| eval(&r.step, ctx));
                let popped = ctx.locals.pop();
                acc = match step {
                    Ok(v) => v,
                    Err(e) => {
                        drop(popped);
                        return Err(e);
                    }
                };
                // The one loop that feeds a value back into itself: it alone could nest
                // a value without bound, and every later walk over it would recurse
                // that deep.
                acc = bounded_depth(acc)?;
            }
            acc
        }
        ExprKind::Quantified(q) => {
            let Some(items) = list_of(eval(&q.list, ctx)?)? else {
                return Ok(Value::Null);
            };
            let (mut trues, mut nulls, mut falses) = (0usize, 0usize, 0usize);
            for item in items {
                let t = ctx.with_local(&q.var.name, item, |ctx| match &q.filter {
                    Some(f) => ops::truth(&eval(f, ctx)?),
                    None => Ok(Some(true)),
                })?;
                match t {
                    Some(true) => trues += 1,
                    Some(false) => falses += 1,
                    None => nulls += 1,
                }
                // Decided already: stop early.
                let done = match q.kind {
                    Quantifier::All => falses > 0,
                    Quantifier::Any | Quantifier::None => trues > 0,
                    Quantifier::Single => trues > 1,
                };
                if done {
                    break;
                }
            }
            match q.kind {
                Quantifier::All if falses > 0 => Value::Bool(false),
                Quantifier::Any | Quantifier::None if trues > 0 => {
                    Value::Bool(q.kind == Quantifier::Any)
                }
                Quantifier::Single if trues > 1 => Value::Bool(false),
                _ if nulls > 0 => Value::Null,
                Quantifier::All => Value::Bool(true),
                Quantifier::Any => Value::Bool(false),
                Quantifier::None => Value::Bool(true),
                Quantifier::Single => Value::Bool(trues == 1),
            }
        }
        ExprKind::MapProjection(mp) => {
            let base = ctx.lookup(&mp.var.name)?;
            let props = match base {
                Value::Null => return Ok(Value::Null),
                Value::Map(m) => m,
                Value::Node(n) => n.properties,
                Value::Relationship(r) => r.properties,
                other => return Err(errors::expected("a map", &other)),
            };
            let mut out = BTreeMap::new();
            for item in &mp.items {
                match item {
                    MapProjectionItem::Literal(k, e) => {
                        out.insert(k.clone(), eval(e, ctx)?);
                    }
                    MapProjectionItem::Property(k) => {
                        out.insert(k.clone(), props.get(k).cloned().unwrap_or(Value::Null));
                    }
                    MapProjectionItem::Variable(v) => {
                        out.insert(v.name.clone(), ctx.lookup(&v.name)?);
                    }
                    MapProjectionItem::AllProperties => {
                        for (k, v) in &props {
                            out.insert(k.clone(), v.clone());
                        }
                    }
                }
            }
            Value::Map(out)
        }
        ExprKind::Trim(t) => {
            let source = eval(&t.source, ctx)?;
            let chars = t.chars.as_ref().map(|c| eval(c, ctx)).transpose()?;
            functions::trim_with(
                "trim",
                &source,
                chars.as_ref(),
                t.side != TrimSide::Trailing,
                t.side != TrimSide::Leading,
            )?
        }
        ExprKind::Normalize(..) | ExprKind::IsNormalized(..) => {
            return Err(needs_server("Unicode normalization"));
        }
        ExprKind::PatternComprehension(_) => return Err(needs_server("A pattern comprehension")),
        ExprKind::Exists(_) => return Err(needs_server("An EXISTS subquery")),
        ExprKind::Count(_) => return Err(needs_server("A COUNT subquery")),
        ExprKind::Collect(_) => return Err(needs_server("A COLLECT subquery")),
        ExprKind::Pattern(_) => return Err(needs_server("A pattern expression")),
        ExprKind::ShortestPath(_) => return Err(needs_server("shortestPath")),
        ExprKind::Obfuscated => {
            return Err(EvalError::Syntax(
                "A masked value cannot be evaluated.".into(),
            ));
        }
    })
}

/// An aggregate in an expression: its value for the current group, when the projection
/// computed it; anywhere else it is out of place.
fn aggregate_value(e: &Expr, ctx: &Ctx<'_>, name: &str) -> EvalResult {
    if let Some(v) = ctx.aggregates.and_then(|a| a.get(&node_key(e))) {
        return Ok(v.clone());
    }
    Err(EvalError::Syntax(format!(
        "Invalid use of aggregating function {name}(...) in this context"
    )))
}

/// A list to iterate, `None` for NULL.
fn list_of(v: Value) -> EvalResult<Option<Vec<Value>>> {
    match v {
        Value::Null => Ok(None),
        Value::List(items) => Ok(Some(items)),
        other => Err(errors::expected("a list", &other)),
    }
}

/// A run of one operator level: AND and OR stop at the first operand that decides them;
/// comparisons hold pairwise (`a < b < c` is `a < b AND b < c`); the rest fold left.
fn chain(c: &Chain, ctx: &mut Ctx<'_>) -> EvalResult {
    let Some((first_op, _, _)) = c.rest.first() else {
        return eval(&c.first, ctx);
    };
    let mut left = eval(&c.first, ctx)?;
    match first_op {
        BinOp::And | BinOp::Or => {
            let decisive = *first_op == BinOp::Or;
            let mut unknown = false;
            let mut t = ops::truth(&left)?;
            for (_, _, e) in &c.rest {
                match t {
                    Some(b) if b == decisive => return Ok(Value::Bool(decisive)),
                    None => unknown = true,
                    _ => {}
                }
                t = ops::truth(&eval(e, ctx)?)?;
            }
            Ok(match t {
                Some(b) if b == decisive => Value::Bool(decisive),
                None => Value::Null,
                _ if unknown => Value::Null,
                Some(b) => Value::Bool(b),
            })
        }
        op if op.is_comparison() => {
            let mut all = Some(true);
            for (op, _, e) in &c.rest {
                let right = eval(e, ctx)?;
                let holds = ops::truth(&ops::binary(*op, left, right.clone())?)?;
                all = match (all, holds) {
                    (Some(false), _) | (_, Some(false)) => Some(false),
                    (Some(true), Some(true)) => Some(true),
                    _ => None,
                };
                left = right;
            }
            Ok(all.map_or(Value::Null, Value::Bool))
        }
        _ => {
            for (op, _, e) in &c.rest {
                let right = eval(e, ctx)?;
                left = ops::binary(*op, left, right)?;
            }
            Ok(left)
        }
    }
}

fn case(c: &Case, ctx: &mut Ctx<'_>) -> EvalResult {
    let subject = c.subject.as_ref().map(|s| eval(s, ctx)).transpose()?;
    for (conditions, then) in &c.whens {
        for w in conditions {
            let hit = match (&subject, w) {
                (None, When::Expr(e)) => ops::truth(&eval(e, ctx)?)? == Some(true),
                (Some(s), When::Expr(e)) => compare::equals(s, &eval(e, ctx)?) == Some(true),
                (Some(s), When::Compare(op, e)) => {
                    let r = eval(e, ctx)?;
                    ops::truth(&ops::binary(*op, s.clone(), r)?)? == Some(true)
                }
                (Some(s), When::IsNull(not)) => s.is_null() != *not,
                (Some(s), When::IsType(not, t)) => is_type(s, t) != *not,
                (_, When::IsNormalized(..)) => return Err(needs_server("Unicode normalization")),
                (None, _) => false,
            };
            if hit {
                return eval(then, ctx);
            }
        }
    }
    match &c.default {
        Some(d) => eval(d, ctx),
        None => Ok(Value::Null),
    }
}

/// `v IS :: type`.
fn is_type(v: &Value, t: &CypherType) -> bool {
    t.parts.iter().any(|p| {
        if v.is_null() {
            return !p.not_null;
        }
        let base_matches = |v: &Value, name: &TypeName| -> bool {
            match name {
                TypeName::Any(None) | TypeName::PropertyValue => true,
                TypeName::Any(Some(inner)) => is_type(v, inner),
                TypeName::Nothing => false,
                TypeName::Null => false,
                TypeName::Boolean => matches!(v, Value::Bool(_)),
                TypeName::String => matches!(v, Value::String(_)),
                TypeName::Integer => matches!(v, Value::Int(_)),
                TypeName::Float => matches!(v, Value::Float(_)),
                TypeName::Date => matches!(v, Value::Date(_)),
                TypeName::LocalTime => matches!(v, Value::LocalTime(_)),
                TypeName::ZonedTime => matches!(v, Value::Time(_)),
                TypeName::LocalDateTime => matches!(v, Value::LocalDateTime(_)),
                TypeName::ZonedDateTime => matches!(v, Value::DateTime(_)),
                TypeName::Duration => matches!(v, Value::Duration(_)),
                TypeName::Point => matches!(v, Value::Point(_)),
                TypeName::Node => matches!(v, Value::Node(_)),
                TypeName::Relationship => matches!(v, Value::Relationship(_)),
                TypeName::Path => matches!(v, Value::Path(_)),
                TypeName::Map => matches!(v, Value::Map(_)),
                TypeName::List(inner) => match v {
                    Value::List(items) => items.iter().all(|i| is_type(i, inner)),
                    _ => false,
                },
            }
        };
        if p.list_suffixes.is_empty() {
            return base_matches(v, &p.name);
        }
        // `T LIST`: a list of T (innermost suffix first).
        fn nested(v: &Value, depth: usize, f: &mut dyn FnMut(&Value) -> bool) -> bool {
            if depth == 0 {
                return f(v);
            }
            match v {
                Value::List(items) => items.iter().all(|i| i.is_null() || nested(i, depth - 1, f)),
                _ => false,
            }
        }
        nested(v, p.list_suffixes.len(), &mut |x| base_matches(x, &p.name))
    })
}

/// `value`, or cysh's ArgumentError when its lists and maps nest deeper than
/// [`crate::value::MAX_VALUE_DEPTH`]: for what could feed a value back into itself (a
/// `reduce` step, a `:param` that wraps the last one), so no later walk over it can
/// overflow the stack.
pub fn bounded_depth(value: Value) -> EvalResult<Value> {
    if matches!(value, Value::List(_) | Value::Map(_))
        && value.deeper_than(crate::value::MAX_VALUE_DEPTH)
    {
        return Err(EvalError::Argument(format!(
            "The value would nest lists and maps more than {} levels deep, more than cysh \
             evaluates locally.",
            crate::value::MAX_VALUE_DEPTH
        )));
    }
    Ok(value)
}

#[cfg(test)]
mod tests;
