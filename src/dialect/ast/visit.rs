//! A read-only walk over queries, clauses, patterns and expressions: override the
//! `visit_*` methods you care about and call the matching `walk_*` to go on into the
//! children. Parameter collection, semantic analysis and completion all walk the tree
//! through here, so a new node kind is handled in one place.
//!
//! It owns the order of the walk (source order). It must not decide anything about the
//! nodes. The depth of the walk is bounded by the parser's nesting limit.

use super::expr::{Expr, ExprKind, MapProjectionItem, SubqueryExpr, When};
use super::pattern::{LabelExpr, PathFactor, PathPattern, Pattern, PatternBody};
use super::query::{
    Clause, ClauseKind, GraphRef, OnError, Projection, Query, RemoveItem, SetItem, SingleQuery,
};

/// Callbacks for a walk; each default goes on into the children.
pub trait Visitor {
    /// An expression.
    fn visit_expr(&mut self, e: &Expr) {
        walk_expr(self, e);
    }

    /// A pattern.
    fn visit_pattern(&mut self, p: &Pattern) {
        walk_pattern(self, p);
    }

    /// A label expression.
    fn visit_labels(&mut self, l: &LabelExpr) {
        walk_labels(self, l);
    }

    /// A query (top level or nested in a subquery).
    fn visit_query(&mut self, q: &Query) {
        walk_query(self, q);
    }

    /// A clause.
    fn visit_clause(&mut self, c: &Clause) {
        walk_clause(self, c);
    }
}

/// Visits the children of an expression.
pub fn walk_expr<V: Visitor + ?Sized>(v: &mut V, e: &Expr) {
    // One level down the tree: on a new stack segment when this one runs low
    // (`dialect::stack`), as deep as the parser lets a statement nest.
    crate::dialect::stack::descend(|| walk_expr_here(v, e));
}

/// [`walk_expr`] on the current stack segment.
fn walk_expr_here<V: Visitor + ?Sized>(v: &mut V, e: &Expr) {
    match &e.kind {
        ExprKind::Literal(_)
        | ExprKind::Param(_)
        | ExprKind::Variable(_)
        | ExprKind::CountStar
        | ExprKind::Obfuscated => {}
        ExprKind::Property(a, _)
        | ExprKind::Not(a)
        | ExprKind::Neg(a)
        | ExprKind::Plus(a)
        | ExprKind::IsNull(a, _)
        | ExprKind::IsType(a, _, _)
        | ExprKind::IsNormalized(a, _, _)
        | ExprKind::Normalize(a, _) => v.visit_expr(a),
        ExprKind::Index(a, b) => {
            v.visit_expr(a);
            v.visit_expr(b);
        }
        ExprKind::Slice(a, from, to) => {
            v.visit_expr(a);
            from.iter().for_each(|x| v.visit_expr(x));
            to.iter().for_each(|x| v.visit_expr(x));
        }
        ExprKind::List(items) => items.iter().for_each(|x| v.visit_expr(x)),
        ExprKind::Map(entries) => entries.iter().for_each(|(_, x)| v.visit_expr(x)),
        ExprKind::Binary(chain) => {
            v.visit_expr(&chain.first);
            chain.rest.iter().for_each(|(_, _, x)| v.visit_expr(x));
        }
        ExprKind::HasLabels(a, labels) => {
            v.visit_expr(a);
            v.visit_labels(labels);
        }
        ExprKind::Function(f) => f.args.iter().for_each(|x| v.visit_expr(x)),
        ExprKind::Case(c) => {
            c.subject.iter().for_each(|x| v.visit_expr(x));
            for (whens, then) in &c.whens {
                for w in whens {
                    match w {
                        When::Expr(x) | When::Compare(_, x) => v.visit_expr(x),
                        When::IsNull(_) | When::IsType(..) | When::IsNormalized(..) => {}
                    }
                }
                v.visit_expr(then);
            }
            c.default.iter().for_each(|x| v.visit_expr(x));
        }
        ExprKind::ListComprehension(c) => {
            v.visit_expr(&c.list);
            c.filter.iter().for_each(|x| v.visit_expr(x));
            c.map.iter().for_each(|x| v.visit_expr(x));
        }
        ExprKind::PatternComprehension(c) => {
            walk_path(v, &c.pattern);
            c.filter.iter().for_each(|x| v.visit_expr(x));
            v.visit_expr(&c.map);
        }
        ExprKind::Reduce(r) => {
            v.visit_expr(&r.init);
            v.visit_expr(&r.list);
            v.visit_expr(&r.step);
        }
        ExprKind::Quantified(q) => {
            v.visit_expr(&q.list);
            q.filter.iter().for_each(|x| v.visit_expr(x));
        }
        ExprKind::Exists(s) | ExprKind::Count(s) => match s.as_ref() {
            SubqueryExpr::Query(q) => v.visit_query(q),
            SubqueryExpr::Patterns {
                patterns, filter, ..
            } => {
                patterns.iter().for_each(|p| v.visit_pattern(p));
                filter.iter().for_each(|x| v.visit_expr(x));
            }
        },
        ExprKind::Collect(q) => v.visit_query(q),
        ExprKind::Pattern(p) => walk_path(v, p),
        ExprKind::ShortestPath(p) => v.visit_pattern(p),
        ExprKind::MapProjection(m) => {
            for item in &m.items {
                if let MapProjectionItem::Literal(_, x) = item {
                    v.visit_expr(x);
                }
            }
        }
        ExprKind::Trim(t) => {
            t.chars.iter().for_each(|x| v.visit_expr(x));
            v.visit_expr(&t.source);
        }
    }
}

/// Visits the parts of a pattern.
pub fn walk_pattern<V: Visitor + ?Sized>(v: &mut V, p: &Pattern) {
    match &p.body {
        PatternBody::Path(path) | PatternBody::ShortestPath { path, .. } => walk_path(v, path),
    }
}

/// Visits the factors of a path.
pub fn walk_path<V: Visitor + ?Sized>(v: &mut V, path: &PathPattern) {
    for f in &path.factors {
        match f {
            PathFactor::Node(n) => {
                n.labels.iter().for_each(|l| v.visit_labels(l));
                n.properties.iter().for_each(|x| v.visit_expr(x));
                n.filter.iter().for_each(|x| v.visit_expr(x));
            }
            PathFactor::Relationship(r, _) => {
                r.types.iter().for_each(|l| v.visit_labels(l));
                r.properties.iter().for_each(|x| v.visit_expr(x));
                r.filter.iter().for_each(|x| v.visit_expr(x));
            }
            PathFactor::Group(g) => {
                v.visit_pattern(&g.pattern);
                g.filter.iter().for_each(|x| v.visit_expr(x));
            }
        }
    }
}

/// Visits the dynamic parts of a label expression.
pub fn walk_labels<V: Visitor + ?Sized>(v: &mut V, l: &LabelExpr) {
    match l {
        LabelExpr::Name(..) | LabelExpr::Any(_) => {}
        LabelExpr::Dynamic { expr, .. } => v.visit_expr(expr),
        LabelExpr::Not(inner) => v.visit_labels(inner),
        LabelExpr::And(parts, _) | LabelExpr::Or(parts) => {
            parts.iter().for_each(|p| v.visit_labels(p))
        }
    }
}

/// Visits every clause of every part of a query.
pub fn walk_query<V: Visitor + ?Sized>(v: &mut V, q: &Query) {
    walk_single(v, &q.first);
    for u in &q.unions {
        walk_single(v, &u.query);
    }
    q.next.iter().for_each(|n| walk_query(v, n));
}

fn walk_single<V: Visitor + ?Sized>(v: &mut V, q: &SingleQuery) {
    q.clauses.iter().for_each(|c| v.visit_clause(c));
}

/// Visits the expressions and patterns of a RETURN or WITH body.
pub fn walk_projection<V: Visitor + ?Sized>(v: &mut V, p: &Projection) {
    p.items.iter().for_each(|i| v.visit_expr(&i.expr));
    p.paging.order_by.iter().for_each(|s| v.visit_expr(&s.expr));
    p.paging.skip.iter().for_each(|x| v.visit_expr(x));
    p.paging.limit.iter().for_each(|x| v.visit_expr(x));
}

fn walk_set_items<V: Visitor + ?Sized>(v: &mut V, items: &[SetItem]) {
    for item in items {
        match item {
            SetItem::Property(t, x) | SetItem::DynamicProperty(t, x) => {
                v.visit_expr(t);
                v.visit_expr(x);
            }
            SetItem::AllProperties(_, x, _) => v.visit_expr(x),
            SetItem::Labels(_, labels) => labels.iter().for_each(|l| v.visit_labels(l)),
        }
    }
}

/// Visits the children of a clause.
pub fn walk_clause<V: Visitor + ?Sized>(v: &mut V, c: &Clause) {
    match &c.kind {
        ClauseKind::Use(GraphRef::Function(x)) => v.visit_expr(x),
        ClauseKind::Use(GraphRef::Name(_)) | ClauseKind::Finish => {}
        ClauseKind::Return(p) => walk_projection(v, p),
        ClauseKind::With(p, filter) => {
            walk_projection(v, p);
            filter.iter().for_each(|x| v.visit_expr(x));
        }
        ClauseKind::Create(ps) | ClauseKind::Insert(ps) => {
            ps.iter().for_each(|p| v.visit_pattern(p))
        }
        ClauseKind::Delete(_, xs) => xs.iter().for_each(|x| v.visit_expr(x)),
        ClauseKind::Set(items) => walk_set_items(v, items),
        ClauseKind::Remove(items) => {
            for item in items {
                match item {
                    RemoveItem::Property(x) | RemoveItem::DynamicProperty(x) => v.visit_expr(x),
                    RemoveItem::Labels(_, labels) => labels.iter().for_each(|l| v.visit_labels(l)),
                }
            }
        }
        ClauseKind::Match(m) => {
            m.patterns.iter().for_each(|p| v.visit_pattern(p));
            m.filter.iter().for_each(|x| v.visit_expr(x));
        }
        ClauseKind::Merge(m) => {
            v.visit_pattern(&m.pattern);
            m.actions
                .iter()
                .for_each(|(_, items)| walk_set_items(v, items));
        }
        ClauseKind::Unwind(x, _) => v.visit_expr(x),
        ClauseKind::Call(call) => {
            call.args.iter().flatten().for_each(|x| v.visit_expr(x));
            call.filter.iter().for_each(|x| v.visit_expr(x));
        }
        ClauseKind::Subquery(s) => {
            v.visit_query(&s.query);
            if let Some(t) = &s.transactions {
                t.concurrency.iter().flatten().for_each(|x| v.visit_expr(x));
                t.batch.iter().for_each(|x| v.visit_expr(x));
                let mut on_error = t.on_error.as_ref();
                while let Some(OnError::Retry(d, then)) = on_error {
                    d.iter().for_each(|x| v.visit_expr(x));
                    on_error = then.as_deref();
                }
            }
        }
        ClauseKind::LoadCsv(l) => v.visit_expr(&l.url),
        ClauseKind::Foreach(f) => {
            v.visit_expr(&f.list);
            f.clauses.iter().for_each(|c| v.visit_clause(c));
        }
        ClauseKind::OrderBySkipLimit(p) => {
            p.order_by.iter().for_each(|s| v.visit_expr(&s.expr));
            p.skip.iter().for_each(|x| v.visit_expr(x));
            p.limit.iter().for_each(|x| v.visit_expr(x));
        }
    }
}
