//! Patterns: the variables a MATCH, CREATE or MERGE declares or reuses, their types
//! (node, relationship, list of relationships, path), what CREATE and MERGE refuse
//! (untyped or undirected relationships, variable length, bound nodes redeclared), and
//! pattern expressions that may not introduce variables.
//!
//! It owns declarations made by patterns. It must not check the clauses around them.

use super::scope::Scope;
use super::types::Ty;
use super::{Agg, Checker};
use crate::dialect::ast::expr::{Expr, ExprKind, Variable};
use crate::dialect::ast::pattern::{
    Direction, LabelExpr, PathFactor, PathPattern, Pattern, PatternBody,
};

/// Which clause a pattern is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Use {
    /// MATCH and OPTIONAL MATCH, EXISTS and COUNT patterns.
    Match,
    /// CREATE and INSERT.
    Create,
    /// MERGE.
    Merge,
    /// `shortestPath(...)` used as an expression.
    Expression,
}

impl Use {
    fn clause(self) -> &'static str {
        match self {
            Use::Create => "CREATE",
            Use::Merge => "MERGE",
            Use::Match | Use::Expression => "MATCH",
        }
    }
}

impl<'s> Checker<'s> {
    /// Declares the variables of `patterns` in `scope` and checks their expressions once
    /// all are declared (a property map may name a variable of a later pattern).
    pub(super) fn patterns(&mut self, patterns: &'s [Pattern], scope: &mut Scope<'s>, use_: Use) {
        let before = scope.len();
        let mut exprs: Vec<&Expr> = Vec::new();
        let mut params: Vec<&Expr> = Vec::new();
        for p in patterns {
            let path = match &p.body {
                PatternBody::Path(path) | PatternBody::ShortestPath { path, .. } => path,
            };
            self.path(path, scope, before, use_, &mut exprs, &mut params);
            // A path variable is new: not bound before, nor by its own pattern.
            if let Some(v) = &p.path_var {
                if use_ != Use::Expression && scope.has(&v.name) {
                    self.error(
                        v.span.start,
                        format!("Variable `{}` already declared", v.name),
                    );
                }
                scope.declare(&v.name, Ty::Path);
            }
        }
        if matches!(use_, Use::Match | Use::Merge) {
            for p in params {
                if let ExprKind::Param(param) = &p.kind {
                    self.error(
                        p.span.start,
                        format!(
                            "Parameter maps cannot be used in `{}` patterns (use a literal map instead, e.g. `{{id: ${}.id}}`)",
                            use_.clause(),
                            param.name
                        ),
                    );
                }
            }
        }
        for e in exprs {
            self.expr(e, scope, Agg::Forbidden);
        }
    }

    fn path(
        &mut self,
        path: &'s PathPattern,
        scope: &mut Scope<'s>,
        before: usize,
        use_: Use,
        exprs: &mut Vec<&'s Expr>,
        params: &mut Vec<&'s Expr>,
    ) {
        let single_node = path.factors.len() == 1;
        for factor in &path.factors {
            match factor {
                PathFactor::Node(n) => {
                    if let Some(v) = &n.var {
                        let bound = scope.has(&v.name);
                        // Neo4j refuses a bound node only where it would be created on
                        // its own; decorated references inside a path are left to run time.
                        if bound && single_node && matches!(use_, Use::Create | Use::Merge) {
                            self.error(
                                v.span.start,
                                format!("Variable `{}` already declared", v.name),
                            );
                        } else {
                            self.bind(v, Ty::Node, scope);
                        }
                    }
                    self.pattern_exprs(&n.properties, &n.filter, &n.labels, exprs, params);
                }
                PathFactor::Relationship(r, quantifier) => {
                    if matches!(use_, Use::Create | Use::Merge) {
                        self.creatable(r, use_);
                    }
                    if let Some(v) = &r.var {
                        let expected = if r.length.is_some() || quantifier.is_some() {
                            Ty::list_of(Ty::Rel)
                        } else {
                            Ty::Rel
                        };
                        if matches!(use_, Use::Create | Use::Merge)
                            && scope.declared_before(&v.name, before)
                        {
                            self.error(
                                v.span.start,
                                format!("Variable `{}` already declared", v.name),
                            );
                        } else {
                            self.bind(v, expected, scope);
                        }
                    }
                    self.pattern_exprs(&r.properties, &r.filter, &r.types, exprs, params);
                }
                PathFactor::Group(g) => {
                    // A quantified group: its variables are lists outside it. Their
                    // types and the group's own rules are left to Neo4j.
                    let mut inner = scope.clone();
                    let mut inner_exprs = Vec::new();
                    let mut inner_params = Vec::new();
                    let path = match &g.pattern.body {
                        PatternBody::Path(p) | PatternBody::ShortestPath { path: p, .. } => p,
                    };
                    self.path(
                        path,
                        &mut inner,
                        before,
                        Use::Match,
                        &mut inner_exprs,
                        &mut inner_params,
                    );
                    for e in inner_exprs {
                        self.expr(e, &inner, Agg::Forbidden);
                    }
                    if let Some(f) = &g.filter {
                        self.predicate(f, &inner, Agg::Forbidden);
                    }
                    for (name, _) in inner.vars() {
                        if !scope.has(name) {
                            scope.declare(name, Ty::Any);
                        }
                    }
                }
            }
        }
    }

    /// Binds a pattern variable of type `expected`, or checks a bound one against it.
    fn bind(&mut self, v: &'s Variable, expected: Ty, scope: &mut Scope<'s>) {
        match scope.get(&v.name) {
            None => scope.declare(&v.name, expected),
            Some(t) if t.fits(&expected) => scope.refine(&v.name, expected),
            Some(t) => {
                let t = t.clone();
                self.error(
                    v.span.start,
                    format!(
                        "Type mismatch: {} defined with conflicting type {t} (expected {expected})",
                        v.name
                    ),
                );
            }
        }
    }

    fn pattern_exprs<'a>(
        &mut self,
        properties: &'a Option<Expr>,
        filter: &'a Option<Expr>,
        labels: &'a Option<LabelExpr>,
        exprs: &mut Vec<&'a Expr>,
        params: &mut Vec<&'a Expr>,
    ) {
        if let Some(p) = properties {
            exprs.push(p);
            params.push(p);
        }
        if let Some(f) = filter {
            exprs.push(f);
        }
        if let Some(l) = labels {
            dynamic_labels(l, exprs);
        }
    }

    /// What CREATE and MERGE require of a relationship.
    fn creatable(&mut self, r: &crate::dialect::ast::pattern::RelPattern, use_: Use) {
        let clause = use_.clause();
        let at = r.span.start;
        match &r.types {
            None => self.error(
                at,
                format!(
                    "Exactly one relationship type must be specified for {clause}. Did you forget to prefix your relationship type with a ':'?"
                ),
            ),
            Some(LabelExpr::Name(..) | LabelExpr::Dynamic { .. }) => {}
            Some(_) => self.error(
                at,
                format!("A single relationship type must be specified for {clause}"),
            ),
        }
        if use_ == Use::Create && (r.direction == Direction::Both || r.both_heads) {
            self.error(at, "Only directed relationships are supported in CREATE");
        }
        if r.length.is_some() {
            self.error(
                at,
                format!("Variable length relationships cannot be used in {clause}"),
            );
        }
    }

    /// A pattern used as an expression: each named variable must be in scope, unless
    /// `may_declare` (a pattern comprehension).
    pub(super) fn path_in_expression(
        &mut self,
        path: &'s PathPattern,
        scope: &mut Scope<'s>,
        may_declare: bool,
    ) {
        let mut exprs = Vec::new();
        let mut params = Vec::new();
        for factor in &path.factors {
            let (var, ty) = match factor {
                PathFactor::Node(n) => {
                    self.pattern_exprs(
                        &n.properties,
                        &n.filter,
                        &n.labels,
                        &mut exprs,
                        &mut params,
                    );
                    (n.var.as_ref(), Ty::Node)
                }
                PathFactor::Relationship(r, _) => {
                    self.pattern_exprs(&r.properties, &r.filter, &r.types, &mut exprs, &mut params);
                    let ty = if r.length.is_some() {
                        Ty::list_of(Ty::Rel)
                    } else {
                        Ty::Rel
                    };
                    (r.var.as_ref(), ty)
                }
                PathFactor::Group(_) => (None, Ty::Any),
            };
            if let Some(v) = var {
                if scope.has(&v.name) {
                    continue;
                }
                if may_declare {
                    scope.declare(&v.name, ty);
                } else {
                    self.error(
                        v.span.start,
                        format!(
                            "PatternExpressions are not allowed to introduce new variables: '{}'.",
                            v.name
                        ),
                    );
                    scope.declare(&v.name, ty);
                }
            }
        }
        for e in exprs {
            self.expr(e, scope, Agg::Forbidden);
        }
    }
}

/// The expressions of `$(...)` labels.
fn dynamic_labels<'a>(l: &'a LabelExpr, out: &mut Vec<&'a Expr>) {
    match l {
        LabelExpr::Dynamic { expr, .. } => out.push(expr),
        LabelExpr::Not(x) => dynamic_labels(x, out),
        LabelExpr::And(xs, _) | LabelExpr::Or(xs) => xs.iter().for_each(|x| dynamic_labels(x, out)),
        LabelExpr::Name(..) | LabelExpr::Any(_) => {}
    }
}
