//! Expressions: variables defined, aggregation where it is allowed, and the type
//! mismatches Neo4j sees without running anything (a literal map used as a predicate,
//! a string subtracted, a property of an integer).
//!
//! It owns the typing of expressions. It must not declare variables in the caller's
//! scope: comprehensions and subquery expressions work on copies.

use super::scope::Scope;
use super::types::{Ty, common};
use super::{Agg, Checker, Kind, pos};
use crate::dialect::ast::expr::{BinOp, Expr, ExprKind, MapProjectionItem, SubqueryExpr, When};
use crate::dialect::catalog;
use crate::value::Value;

const PROPERTY_OWNERS: &str =
    "Map, Node, Relationship, Point, Duration, Date, Time, LocalTime, LocalDateTime or DateTime";

impl<'s> Checker<'s> {
    /// Checks `e` where a boolean is wanted (WHERE, AND, NOT, ...).
    pub(super) fn predicate(&mut self, e: &'s Expr, scope: &Scope<'s>, agg: Agg) {
        let ty = self.expr(e, scope, agg);
        self.want_boolean(e, &ty);
    }

    fn want_boolean(&mut self, e: &'s Expr, ty: &Ty) {
        match ty {
            Ty::Any | Ty::Bool => {}
            Ty::List(_) => self.error(
                pos(e),
                "Coercion of list to boolean is not allowed. Please use `NOT isEmpty(...)` instead.",
            ),
            t => self.error(
                pos(e),
                format!("Type mismatch: expected Boolean but was {t}"),
            ),
        }
    }

    /// Checks `e` and returns its type as far as it is known.
    pub(super) fn expr(&mut self, e: &'s Expr, scope: &Scope<'s>, agg: Agg) -> Ty {
        // An expression nested as deeply as the parser allows is checked on a new stack
        // segment rather than overflowing a small thread stack.
        crate::dialect::stack::descend(|| self.expr_here(e, scope, agg))
    }

    /// [`Checker::expr`] on the current stack segment.
    fn expr_here(&mut self, e: &'s Expr, scope: &Scope<'s>, agg: Agg) -> Ty {
        if !self.projected.is_empty() && self.is_projected(e.span) {
            return Ty::Any;
        }
        match &e.kind {
            ExprKind::Literal(v) => match v {
                Value::Int(_) => Ty::Int,
                Value::Float(_) => Ty::Float,
                Value::String(_) => Ty::Str,
                Value::Bool(_) => Ty::Bool,
                _ => Ty::Any,
            },
            ExprKind::Param(_) | ExprKind::Obfuscated => Ty::Any,
            ExprKind::Variable(name) => self.variable(name, e.span.start, scope),
            ExprKind::Property(target, _) => {
                let t = self.expr(target, scope, agg);
                if matches!(
                    t,
                    Ty::Int | Ty::Float | Ty::Bool | Ty::Str | Ty::List(_) | Ty::Path
                ) {
                    self.error(
                        pos(target),
                        format!("Type mismatch: expected {PROPERTY_OWNERS} but was {t}"),
                    );
                }
                Ty::Any
            }
            ExprKind::Index(target, index) => {
                let t = self.expr(target, scope, agg);
                let i = self.expr(index, scope, agg);
                match (&t, &i) {
                    (Ty::Bool | Ty::Int | Ty::Float | Ty::Str, Ty::Int) => self.error(
                        pos(target),
                        format!("Type mismatch: expected List<T> but was {t}"),
                    ),
                    (Ty::List(_), Ty::Float | Ty::Str | Ty::Bool | Ty::Map | Ty::List(_)) => self
                        .error(
                            pos(index),
                            format!(
                                "Type mismatch: list index must be given as Integer, but was {i}"
                            ),
                        ),
                    (Ty::Map, Ty::Int | Ty::Float | Ty::Bool | Ty::Map | Ty::List(_)) => self
                        .error(
                            pos(index),
                            format!("Type mismatch: map key must be given as String, but was {i}"),
                        ),
                    _ => {}
                }
                t.element()
            }
            ExprKind::Slice(target, from, to) => {
                let t = self.expr(target, scope, agg);
                for x in from.iter().chain(to.iter()) {
                    self.expr(x, scope, agg);
                }
                if matches!(t, Ty::List(_)) { t } else { Ty::Any }
            }
            ExprKind::List(items) => {
                let types: Vec<Ty> = items.iter().map(|x| self.expr(x, scope, agg)).collect();
                if types.is_empty() {
                    Ty::List(None)
                } else {
                    Ty::list_of(common(types))
                }
            }
            ExprKind::Map(entries) => {
                for (_, x) in entries {
                    self.expr(x, scope, agg);
                }
                Ty::Map
            }
            ExprKind::Not(a) => {
                self.predicate(a, scope, agg);
                Ty::Bool
            }
            ExprKind::Neg(a) | ExprKind::Plus(a) => {
                let t = self.expr(a, scope, agg);
                if !t.is_any() && !t.is_number() {
                    self.error(
                        pos(a),
                        format!("Type mismatch: expected Float or Integer but was {t}"),
                    );
                }
                t
            }
            ExprKind::Binary(chain) => {
                // `a + b - c` is `(a + b) - c`: every left operand starts where the
                // chain does.
                // A projected expression may be a prefix of a flat chain
                // (`ORDER BY a + b + count(*)` after `RETURN a + b, count(*)`).
                let start = chain.first.span.start;
                let prefix = chain.rest.iter().rposition(|(_, _, x)| {
                    self.is_projected(crate::dialect::ast::Span::new(
                        start as usize,
                        x.span.end as usize,
                    ))
                });
                let (mut left, rest) = match prefix {
                    Some(k) => (Ty::Any, &chain.rest[k + 1..]),
                    None => (self.expr(&chain.first, scope, agg), &chain.rest[..]),
                };
                for (op, _, right_expr) in rest {
                    let right = self.expr(right_expr, scope, agg);
                    left = self.binary(*op, (&chain.first, &left), (right_expr, &right));
                }
                left
            }
            ExprKind::IsNull(a, _)
            | ExprKind::IsType(a, _, _)
            | ExprKind::IsNormalized(a, _, _) => {
                self.expr(a, scope, agg);
                Ty::Bool
            }
            ExprKind::HasLabels(a, _) => {
                self.expr(a, scope, agg);
                Ty::Bool
            }
            ExprKind::Normalize(a, _) => {
                self.expr(a, scope, agg);
                Ty::Str
            }
            ExprKind::Trim(t) => {
                for x in t.chars.iter().chain(std::iter::once(&t.source)) {
                    self.expr(x, scope, agg);
                }
                Ty::Str
            }
            ExprKind::Function(f) if self.skip_aggregates && is_aggregating(&f.name) => Ty::Any,
            ExprKind::CountStar if self.skip_aggregates => Ty::Int,
            ExprKind::Function(f) => {
                let aggregating = is_aggregating(&f.name);
                let inner = if aggregating {
                    self.aggregate(e, &f.name, agg);
                    Agg::Inside
                } else {
                    agg
                };
                let types: Vec<Ty> = f.args.iter().map(|x| self.expr(x, scope, inner)).collect();
                self.arguments(&f.name, &f.args, &types);
                if f.name.eq_ignore_ascii_case("count") {
                    Ty::Int
                } else {
                    Ty::Any
                }
            }
            ExprKind::CountStar => {
                self.aggregate(e, "count", agg);
                Ty::Int
            }
            ExprKind::Case(c) => {
                let generic = c.subject.is_none();
                if let Some(s) = &c.subject {
                    self.expr(s, scope, agg);
                }
                let mut results = Vec::new();
                for (whens, then) in &c.whens {
                    for w in whens {
                        match w {
                            When::Expr(x) if generic => self.predicate(x, scope, agg),
                            When::Expr(x) | When::Compare(_, x) => {
                                self.expr(x, scope, agg);
                            }
                            When::IsNull(_) | When::IsType(..) | When::IsNormalized(..) => {}
                        }
                    }
                    results.push(self.expr(then, scope, agg));
                }
                if let Some(d) = &c.default {
                    results.push(self.expr(d, scope, agg));
                }
                Ty::Any
            }
            ExprKind::ListComprehension(c) => {
                let list = self.expr(&c.list, scope, agg);
                let mut inner = scope.clone();
                inner.declare(&c.var.name, list.element());
                // An aggregate cannot see inside a comprehension's per-element parts.
                if let Some(f) = &c.filter {
                    self.predicate(f, &inner, Agg::Forbidden);
                }
                match &c.map {
                    Some(m) => Ty::list_of(self.expr(m, &inner, Agg::Forbidden)),
                    None => list,
                }
            }
            ExprKind::Quantified(q) => {
                let list = self.expr(&q.list, scope, agg);
                let mut inner = scope.clone();
                inner.declare(&q.var.name, list.element());
                if let Some(f) = &q.filter {
                    self.predicate(f, &inner, Agg::Forbidden);
                }
                Ty::Bool
            }
            ExprKind::Reduce(r) => {
                self.expr(&r.init, scope, agg);
                let list = self.expr(&r.list, scope, agg);
                let mut inner = scope.clone();
                inner.declare(&r.acc.name, Ty::Any);
                inner.declare(&r.var.name, list.element());
                self.expr(&r.step, &inner, Agg::Forbidden);
                Ty::Any
            }
            ExprKind::PatternComprehension(c) => {
                let mut inner = scope.clone();
                if let Some(p) = &c.path_var {
                    inner.declare(&p.name, Ty::Path);
                }
                self.path_in_expression(&c.pattern, &mut inner, true);
                if let Some(f) = &c.filter {
                    self.predicate(f, &inner, Agg::Forbidden);
                }
                self.expr(&c.map, &inner, Agg::Forbidden);
                Ty::List(None)
            }
            ExprKind::Pattern(p) => {
                let mut inner = scope.clone();
                self.path_in_expression(p, &mut inner, false);
                Ty::Any
            }
            ExprKind::ShortestPath(p) => {
                let mut inner = scope.clone();
                self.patterns(
                    std::slice::from_ref(&**p),
                    &mut inner,
                    super::patterns::Use::Expression,
                );
                Ty::Any
            }
            ExprKind::Exists(s) | ExprKind::Count(s) => {
                match s.as_ref() {
                    SubqueryExpr::Query(q) => {
                        self.query(q, scope, Kind::Expression);
                    }
                    SubqueryExpr::Patterns {
                        patterns, filter, ..
                    } => {
                        let mut inner = scope.clone();
                        self.patterns(patterns, &mut inner, super::patterns::Use::Match);
                        if let Some(f) = filter {
                            self.predicate(f, &inner, Agg::Forbidden);
                        }
                    }
                }
                if matches!(e.kind, ExprKind::Count(_)) {
                    Ty::Int
                } else {
                    Ty::Bool
                }
            }
            ExprKind::Collect(q) => {
                self.query(q, scope, Kind::Expression);
                Ty::List(None)
            }
            ExprKind::MapProjection(m) => {
                self.variable(&m.var.name, m.var.span.start, scope);
                for item in &m.items {
                    match item {
                        MapProjectionItem::Literal(_, x) => {
                            self.expr(x, scope, agg);
                        }
                        MapProjectionItem::Variable(v) => {
                            self.variable(&v.name, v.span.start, scope);
                        }
                        MapProjectionItem::Property(_) | MapProjectionItem::AllProperties => {}
                    }
                }
                Ty::Map
            }
        }
    }

    /// True when the text at `span` is that of a projected item.
    fn is_projected(&self, span: crate::dialect::ast::Span) -> bool {
        self.projected.contains(self.text(span))
    }

    /// A variable reference.
    pub(super) fn variable(&mut self, name: &str, at: u32, scope: &Scope<'s>) -> Ty {
        if let Some(t) = scope.get(name) {
            return t.clone();
        }
        let message = if let Some(clause) = self.paging {
            format!(
                "It is not allowed to refer to variables in {clause}, so that the value for {clause} can be statically calculated."
            )
        } else if scope.is_hidden(name) {
            format!(
                "In a WITH/RETURN with DISTINCT or an aggregation, it is not possible to access variables declared before the WITH/RETURN: {name}"
            )
        } else {
            format!("Variable `{name}` not defined")
        };
        self.error(at, message);
        Ty::Any
    }

    fn aggregate(&mut self, e: &'s Expr, name: &str, agg: Agg) {
        match agg {
            Agg::Allowed => {}
            Agg::Inside => self.error(
                e.span.start,
                "Can't use aggregate functions inside of aggregate functions.",
            ),
            Agg::ProcedureArgument => self.error(
                e.span.start,
                "Procedure call cannot take an aggregating function as argument, please add a 'WITH' to your statement.",
            ),
            Agg::Forbidden => self.error(
                e.span.start,
                format!("Invalid use of aggregating function {name}(...) in this context"),
            ),
        }
    }

    /// One binary operator between typed operands; returns the result type.
    fn binary(&mut self, op: BinOp, left: (&'s Expr, &Ty), right: (&'s Expr, &Ty)) -> Ty {
        let (l, lt) = left;
        let (r, rt) = right;
        let numeric = |t: &Ty| t.is_any() || t.is_number();
        let mismatch = |checker: &mut Self, e: &Expr, t: &Ty, expected: &str| {
            checker.error(
                pos(e),
                format!("Type mismatch: expected {expected} but was {t}"),
            );
        };
        let arithmetic = || match (lt, rt) {
            (Ty::Int, Ty::Int) => Ty::Int,
            (Ty::Int | Ty::Float, Ty::Int | Ty::Float) => Ty::Float,
            _ => Ty::Any,
        };
        match op {
            BinOp::And | BinOp::Or | BinOp::Xor => {
                self.want_boolean(l, lt);
                self.want_boolean(r, rt);
                Ty::Bool
            }
            BinOp::Sub => {
                if matches!(
                    lt,
                    Ty::Str | Ty::Bool | Ty::Map | Ty::List(_) | Ty::Node | Ty::Rel | Ty::Path
                ) {
                    mismatch(
                        self,
                        l,
                        lt,
                        "Float, Integer, Duration, Date, Time, LocalTime, LocalDateTime or DateTime",
                    );
                } else if lt.is_number() && !numeric(rt) {
                    mismatch(self, r, rt, "Float or Integer");
                }
                arithmetic()
            }
            BinOp::Div | BinOp::Mul => {
                if matches!(
                    lt,
                    Ty::Str | Ty::Bool | Ty::Map | Ty::List(_) | Ty::Node | Ty::Rel | Ty::Path
                ) {
                    mismatch(self, l, lt, "Float, Integer or Duration");
                } else if lt.is_number() && !numeric(rt) {
                    let expected = if op == BinOp::Mul {
                        "Float, Integer or Duration"
                    } else {
                        "Float or Integer"
                    };
                    mismatch(self, r, rt, expected);
                }
                arithmetic()
            }
            BinOp::Mod => {
                if !numeric(lt) {
                    mismatch(self, l, lt, "Float or Integer");
                } else if !numeric(rt) {
                    mismatch(self, r, rt, "Float or Integer");
                }
                arithmetic()
            }
            BinOp::Pow => {
                if !numeric(lt) {
                    mismatch(self, l, lt, "Float");
                } else if !numeric(rt) {
                    mismatch(self, r, rt, "Float");
                }
                if lt.is_number() && rt.is_number() {
                    Ty::Float
                } else {
                    Ty::Any
                }
            }
            BinOp::In => {
                if !rt.is_any() && !matches!(rt, Ty::List(_)) {
                    mismatch(self, r, rt, "List<T>");
                }
                Ty::Bool
            }
            BinOp::Add => match (lt, rt) {
                (Ty::Str, Ty::Str) => Ty::Str,
                _ => arithmetic(),
            },
            BinOp::Concat => Ty::Any,
            BinOp::Eq
            | BinOp::Neq
            | BinOp::Lt
            | BinOp::Le
            | BinOp::Gt
            | BinOp::Ge
            | BinOp::RegexMatch
            | BinOp::StartsWith
            | BinOp::EndsWith
            | BinOp::Contains => Ty::Bool,
        }
    }

    /// Literal arguments of built-in functions whose parameters have one simple type
    /// (`range(start :: INTEGER, ...)`, `toUpper(input :: STRING)`).
    fn arguments(&mut self, name: &str, args: &'s [Expr], types: &[Ty]) {
        // An argument of unknown type fits any parameter: with none known there is
        // nothing to compare, and the signature need not be read.
        if types.iter().all(Ty::is_any) {
            return;
        }
        let Some(params) = catalog::parameter_types(name, false) else {
            return;
        };
        for ((arg, ty), &param) in args.iter().zip(types).zip(params) {
            let expected = match param {
                "INTEGER" => "Integer",
                "FLOAT" => "Float",
                "STRING" => "String",
                "BOOLEAN" => "Boolean",
                "INTEGER | FLOAT" => "Float or Integer",
                _ => continue,
            };
            let fits = match ty {
                Ty::Any => true,
                Ty::Int => matches!(param, "INTEGER" | "FLOAT" | "INTEGER | FLOAT"),
                Ty::Float => matches!(param, "FLOAT" | "INTEGER | FLOAT"),
                Ty::Str => param == "STRING",
                Ty::Bool => param == "BOOLEAN",
                _ => false,
            };
            if !fits {
                self.error(
                    pos(arg),
                    format!("Type mismatch: expected {expected} but was {ty}"),
                );
            }
        }
    }
}

/// True for Neo4j's aggregating functions (`count`, `collect`, ...).
fn is_aggregating(name: &str) -> bool {
    catalog::function(name, false).is_some_and(|def| def.aggregating)
}
