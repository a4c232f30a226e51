//! Queries and clauses: the scope each clause passes on, RETURN last, how a query may
//! conclude, projections (aliases, duplicate columns, what ORDER BY and WHERE may see),
//! SKIP and LIMIT without variables, procedure YIELDs, subquery imports, UNION columns.
//!
//! It owns the flow of scope through a query. It must not type expressions (`exprs`)
//! or declare pattern variables (`patterns`).

use super::patterns::Use;
use super::scope::{NameMap, NameSet, Scope};
use super::types::Ty;
use super::{Agg, Checker, Kind};
use crate::dialect::ast::expr::{Expr, ExprKind};
use crate::dialect::ast::query::{
    Clause, ClauseKind, Paging, Projection, Query, RemoveItem, SetItem, SingleQuery, SubqueryScope,
};

/// What a query part returns: its columns with their types and positions.
pub(super) type Columns<'a> = Vec<(&'a str, Ty, u32)>;

impl<'s> Checker<'s> {
    /// Checks a query that starts with `outer` visible (`Kind::Expression`) or importable
    /// (`Kind::CallSubquery`); returns the columns of its first part's RETURN.
    pub(super) fn query(
        &mut self,
        q: &'s Query,
        outer: &Scope<'s>,
        kind: Kind,
    ) -> Option<Columns<'s>> {
        let first = self.single(&q.first, outer, kind);
        let mut all = None;
        for part in &q.unions {
            match all {
                None => all = Some(part.all),
                Some(a) if a != part.all => self.error(
                    part.span.start,
                    "Invalid combination of UNION and UNION ALL",
                ),
                Some(_) => {}
            }
            let columns = self.single(&part.query, outer, kind);
            if let (Some(a), Some(b)) = (&first, &columns)
                && !a.iter().map(|(n, _, _)| n).eq(b.iter().map(|(n, _, _)| n))
            {
                self.error(
                    part.span.start,
                    "All sub queries in an UNION must have the same return column names",
                );
            }
        }
        // Each part after NEXT sees the columns the part before it returned. When that
        // part's columns are not known (it ends without RETURN), the rest is not judged.
        let mut previous = first.clone();
        for next in &q.next {
            let Some(columns) = &previous else { break };
            let mut scope = Scope::default();
            for (name, ty, _) in columns {
                scope.declare(name, ty.clone());
            }
            previous = self.query(next, &scope, Kind::Next);
        }
        // A query with NEXT returns what its last part returns.
        if q.next.is_empty() { first } else { previous }
    }

    fn single(&mut self, q: &'s SingleQuery, outer: &Scope<'s>, kind: Kind) -> Option<Columns<'s>> {
        let mut scope = match kind {
            Kind::Expression | Kind::ScopedCall | Kind::Next => outer.clone(),
            Kind::Top | Kind::CallSubquery => Scope::default(),
        };
        let clauses: Vec<&Clause> = q
            .clauses
            .iter()
            .filter(|c| !matches!(c.kind, ClauseKind::Use(_)))
            .collect();
        let standalone_call = clauses.len() == 1;
        let mut columns = None;
        for (i, clause) in clauses.iter().enumerate() {
            let last = i + 1 == clauses.len();
            if !last && matches!(clause.kind, ClauseKind::Return(_)) {
                self.error(
                    clause.span.start,
                    "RETURN can only be used at the end of the query.",
                );
            }
            // A subquery's importing WITH sees the outer scope.
            let importing = i == 0 && kind == Kind::CallSubquery && importing_with(clause);
            if importing {
                scope = outer.clone();
            }
            columns = self.clause(clause, &mut scope, standalone_call);
        }
        if kind != Kind::Expression
            && let Some(last) = clauses.last()
        {
            self.conclusion(last, standalone_call);
        }
        columns
    }

    /// How a query may end.
    fn conclusion(&mut self, last: &'s Clause, standalone: bool) {
        // Cypher 25's FILTER and LET are read as WITH, and FOR as UNWIND: the message
        // names the clause as written.
        let name = match &last.kind {
            ClauseKind::Match(_) => "MATCH",
            ClauseKind::With(..) | ClauseKind::Unwind(..) => last.keyword(),
            ClauseKind::LoadCsv(_) => "LOAD CSV",
            ClauseKind::Subquery(s) if returns(&s.query) => "CALL",
            ClauseKind::Call(c) if c.yields.is_some() && !standalone => {
                self.error(
                    last.span.end,
                    "Query cannot conclude with CALL together with YIELD",
                );
                return;
            }
            _ => return,
        };
        self.error(
            last.span.end,
            format!(
                "Query cannot conclude with {name} (must be a RETURN clause, a FINISH clause, an update clause, a unit subquery call, or a procedure call with no YIELD)."
            ),
        );
    }

    /// Checks one clause in `scope` and updates it; returns the columns of a RETURN.
    fn clause(
        &mut self,
        clause: &'s Clause,
        scope: &mut Scope<'s>,
        standalone: bool,
    ) -> Option<Columns<'s>> {
        match &clause.kind {
            ClauseKind::Use(_) | ClauseKind::Finish => {}
            ClauseKind::Match(m) => {
                self.patterns(&m.patterns, scope, Use::Match);
                if let Some(f) = &m.filter {
                    self.predicate(f, scope, Agg::Forbidden);
                }
            }
            ClauseKind::Create(ps) | ClauseKind::Insert(ps) => {
                self.patterns(ps, scope, Use::Create)
            }
            ClauseKind::Merge(m) => {
                self.patterns(std::slice::from_ref(&m.pattern), scope, Use::Merge);
                for (_, items) in &m.actions {
                    self.set_items(items, scope);
                }
            }
            ClauseKind::Unwind(e, v) => {
                let t = self.expr(e, scope, Agg::Forbidden);
                self.declare_new(&v.name, v.span.start, t.element(), scope);
            }
            ClauseKind::LoadCsv(l) => {
                self.expr(&l.url, scope, Agg::Forbidden);
                scope.declare(&l.var.name, Ty::Any);
            }
            ClauseKind::Delete(_, exprs) => {
                for e in exprs {
                    if let ExprKind::HasLabels(..) = e.kind {
                        self.error(
                            super::pos(e),
                            "DELETE doesn't support removing labels from a node. Try REMOVE.",
                        );
                        continue;
                    }
                    let t = self.expr(e, scope, Agg::Forbidden);
                    if matches!(t, Ty::Bool | Ty::Int | Ty::Float | Ty::Str | Ty::Map) {
                        self.error(
                            super::pos(e),
                            format!(
                                "Type mismatch: expected Node, Path or Relationship but was {t}"
                            ),
                        );
                    }
                }
            }
            ClauseKind::Set(items) => self.set_items(items, scope),
            ClauseKind::Remove(items) => {
                for item in items {
                    match item {
                        RemoveItem::Property(e) | RemoveItem::DynamicProperty(e) => {
                            self.expr(e, scope, Agg::Forbidden);
                        }
                        RemoveItem::Labels(v, _) => {
                            self.variable(&v.name, v.span.start, scope);
                        }
                    }
                }
            }
            ClauseKind::With(p, filter) => {
                if clause.written_as == Some("LET") {
                    // Cypher 25's LET (read as `WITH *, e AS v`) binds new variables only,
                    // and its expressions may not aggregate.
                    for item in &p.items {
                        self.expr(&item.expr, scope, Agg::Forbidden);
                        if let Some(a) = &item.alias
                            && scope.get(&a.name).is_some()
                        {
                            self.error(
                                a.span.start,
                                format!("Variable `{}` already declared", a.name),
                            );
                        }
                    }
                }
                let (next, visible) = self.projection(p, scope, true, clause.span.start);
                if let Some(f) = filter {
                    self.predicate(f, &visible, Agg::Forbidden);
                }
                self.projected.clear();
                *scope = next;
            }
            ClauseKind::Return(p) => {
                let (next, _) = self.projection(p, scope, false, clause.span.start);
                self.projected.clear();
                let columns = self.columns.take();
                *scope = next;
                return columns;
            }
            ClauseKind::Call(call) => {
                for a in call.args.iter().flatten() {
                    self.expr(a, scope, Agg::ProcedureArgument);
                }
                match &call.yields {
                    Some(None) if !standalone => {
                        self.error(
                            clause.span.start,
                            "Cannot use `YIELD *` outside standalone call",
                        );
                    }
                    Some(Some(items)) => {
                        let mut seen: Vec<(&str, u32)> = Vec::with_capacity(items.len());
                        let mut first_at: NameMap<u32> = NameMap::default();
                        for item in items {
                            let (name, at) = match &item.alias {
                                Some(a) => (a.name.as_str(), a.span.start),
                                None => (item.column.as_str(), item.span.start),
                            };
                            if let Some(&first) = first_at.get(name) {
                                self.error(first, format!("Variable `{name}` already declared"));
                                self.error(at, format!("Variable `{name}` already declared"));
                            } else {
                                if scope.has(name) {
                                    self.error(at, format!("Variable `{name}` already declared"));
                                }
                                first_at.push(name, at);
                            }
                            seen.push((name, at));
                        }
                        for (name, _) in seen {
                            scope.declare(name, Ty::Any);
                        }
                        if let Some(f) = &call.filter {
                            self.predicate(f, scope, Agg::Forbidden);
                        }
                    }
                    _ => {}
                }
            }
            ClauseKind::Subquery(s) => {
                if s.scope.is_none() && !s.query.next.is_empty() {
                    // Neo4j's message, with the GQL status code it carries.
                    self.error(
                        s.query.span.start,
                        "42N3C: Not possible to enclose NEXT in 'CALL { ... }'. Use 'CALL () { \
                         ... }' instead.",
                    );
                }
                let inner_outer = match &s.scope {
                    None => scope.clone(),
                    Some(SubqueryScope::All) => scope.clone(),
                    Some(SubqueryScope::Vars(vars)) => {
                        let mut imported = Scope::default();
                        for v in vars {
                            let t = self.variable(&v.name, v.span.start, scope);
                            imported.declare(&v.name, t);
                        }
                        imported
                    }
                };
                // With a scope clause the imported variables are simply visible.
                let kind = if s.scope.is_some() {
                    Kind::ScopedCall
                } else {
                    Kind::CallSubquery
                };
                self.subquery_returns_aliased(&s.query);
                let columns = self.query(&s.query, &inner_outer, kind);
                for (name, t, at) in columns.unwrap_or_default() {
                    if scope.has(name) {
                        self.error(
                            at,
                            format!("Variable `{name}` already declared in outer scope"),
                        );
                    } else {
                        scope.declare(name, t);
                    }
                }
                if let Some(v) = s.transactions.as_ref().and_then(|tx| tx.report.as_ref()) {
                    scope.declare(&v.name, Ty::Map);
                }
            }
            ClauseKind::Foreach(f) => {
                let list = self.expr(&f.list, scope, Agg::Forbidden);
                let mut inner = scope.clone();
                inner.declare(&f.var.name, list.element());
                for c in &f.clauses {
                    self.clause(c, &mut inner, false);
                }
            }
            ClauseKind::OrderBySkipLimit(p) => {
                let visible = scope.clone();
                self.paging(p, &visible);
            }
        }
        None
    }

    /// What a CALL subquery returns must be named: a variable or an alias.
    fn subquery_returns_aliased(&mut self, q: &'s Query) {
        for part in std::iter::once(&q.first).chain(q.unions.iter().map(|u| &u.query)) {
            if let Some(ClauseKind::Return(p)) = part.clauses.last().map(|c| &c.kind) {
                for item in &p.items {
                    if item.alias.is_none() && !matches!(item.expr.kind, ExprKind::Variable(_)) {
                        self.error(
                            item.expr.span.start,
                            "Expression in CALL { RETURN ... } must be aliased (use AS)",
                        );
                    }
                }
            }
        }
    }

    fn set_items(&mut self, items: &'s [SetItem], scope: &Scope<'s>) {
        for item in items {
            match item {
                SetItem::Property(target, value) | SetItem::DynamicProperty(target, value) => {
                    self.expr(target, scope, Agg::Forbidden);
                    self.expr(value, scope, Agg::Forbidden);
                }
                SetItem::AllProperties(v, value, _) => {
                    self.variable(&v.name, v.span.start, scope);
                    self.expr(value, scope, Agg::Forbidden);
                }
                SetItem::Labels(v, _) => {
                    self.variable(&v.name, v.span.start, scope);
                }
            }
        }
    }

    /// Declares a variable that must be new (UNWIND).
    fn declare_new(&mut self, name: &'s str, at: u32, ty: Ty, scope: &mut Scope<'s>) {
        if scope.has(name) {
            self.error(at, format!("Variable `{name}` already declared"));
        }
        scope.declare(name, ty);
    }

    /// A WITH or RETURN projection: returns the scope after it and the scope its ORDER
    /// BY and WHERE see. A RETURN leaves its columns in `self.columns`.
    fn projection(
        &mut self,
        p: &'s Projection,
        scope: &Scope<'s>,
        is_with: bool,
        clause_start: u32,
    ) -> (Scope<'s>, Scope<'s>) {
        let mut next = Scope::default();
        if p.star {
            if scope.is_empty() && !is_with {
                self.error(
                    clause_start,
                    "RETURN * is not allowed when there are no variables in scope",
                );
            }
            next = scope.clone();
        }
        let mut columns: Columns = scope_columns(if p.star { scope } else { &next }, clause_start);
        let mut aggregating = false;
        let mut seen = NameSet::default();
        let mut repeated = false;
        // The columns `*` kept come first, then the items'.
        let star_columns = columns.len();
        columns.reserve(p.items.len());
        for item in &p.items {
            let t = self.expr(&item.expr, scope, Agg::Allowed);
            aggregating |= has_aggregate(&item.expr);
            let (name, at) = match (&item.alias, &item.expr.kind) {
                (Some(a), _) => (a.name.as_str(), a.span.start),
                (None, ExprKind::Variable(v)) => (v.as_str(), item.expr.span.start),
                (None, _) => {
                    if is_with {
                        self.error(
                            item.expr.span.start,
                            "Expression in WITH must be aliased (use AS)",
                        );
                    }
                    (self.text(item.expr.span), item.expr.span.start)
                }
            };
            if !seen.insert(name) {
                repeated = true;
                self.error(
                    at,
                    "Multiple result columns with the same name are not supported",
                );
            }
            next.declare(name, t.clone());
            columns.push((name, t, at));
        }
        // An item's column replaces an earlier one of the same name: of `*`'s columns
        // those no item names, then the items' (of a repeated name, the last, where it
        // stands). One pass each, where removing the earlier column at every item was
        // quadratic in the columns.
        if star_columns > 0 {
            let mut i = 0;
            columns.retain(|(n, _, _)| {
                i += 1;
                i > star_columns || !seen.contains(n)
            });
        }
        if repeated {
            let from = columns.len() - p.items.len();
            let mut last = NameSet::default();
            let mut items: Columns = columns.drain(from..).rev().collect();
            items.retain(|(n, _, _)| last.insert(n));
            columns.extend(items.into_iter().rev());
        }
        let hide = aggregating || p.distinct;
        let visible = next.over(scope, hide);
        // ORDER BY and WHERE may name a projected expression again (`RETURN n.x,
        // count(*) ORDER BY n.x + 1`): such parts are the projection's own and are not
        // checked again.
        let order = &p.paging;
        // Refilled in place: a projection is checked per WITH and RETURN.
        self.projected.clear();
        for item in &p.items {
            self.projected.add(self.text(item.expr.span));
        }
        self.paging(order, &visible);
        if !is_with {
            self.columns = Some(columns);
        }
        (next, visible)
    }

    pub(super) fn paging(&mut self, p: &'s Paging, visible: &Scope<'s>) {
        self.order_by(&p.order_by, visible);
        self.skip_limit(&p.skip, &p.limit);
    }

    /// ORDER BY items: an aggregate in them is the projection's to judge, so the walk
    /// does not go into one.
    pub(super) fn order_by(
        &mut self,
        items: &'s [crate::dialect::ast::SortItem],
        visible: &Scope<'s>,
    ) {
        self.skip_aggregates = true;
        for s in items {
            self.expr(&s.expr, visible, Agg::Allowed);
        }
        self.skip_aggregates = false;
    }

    /// SKIP and LIMIT: no variable may appear in them.
    pub(super) fn skip_limit(&mut self, skip: &'s Option<Expr>, limit: &'s Option<Expr>) {
        let projected = std::mem::take(&mut self.projected);
        for (clause, e) in [("SKIP", skip), ("LIMIT", limit)] {
            if let Some(e) = e {
                self.paging = Some(clause);
                self.expr(e, &Scope::default(), Agg::Allowed);
                self.paging = None;
            }
        }
        self.projected = projected;
    }
}

/// The columns a `RETURN *` takes from its scope.
fn scope_columns<'a>(scope: &Scope<'a>, at: u32) -> Columns<'a> {
    scope
        .vars()
        .iter()
        .map(|(n, t)| (*n, t.clone(), at))
        .collect()
}

/// True when a CALL subquery's first clause is an importing WITH: `WITH *` or plain
/// variables only.
fn importing_with(clause: &Clause) -> bool {
    match &clause.kind {
        ClauseKind::With(p, None) => {
            p.paging == Paging::default()
                && !p.distinct
                && p.items.iter().all(|i| {
                    matches!(i.expr.kind, ExprKind::Variable(_))
                        && i.alias.as_ref().is_none_or(
                            |a| matches!(&i.expr.kind, ExprKind::Variable(v) if *v == a.name),
                        )
                })
        }
        _ => false,
    }
}

/// True when some part of the query ends with RETURN.
fn returns(q: &Query) -> bool {
    std::iter::once(&q.first)
        .chain(q.unions.iter().map(|u| &u.query))
        .any(|s| {
            matches!(
                s.clauses.last().map(|c| &c.kind),
                Some(ClauseKind::Return(_))
            )
        })
}

/// True when `e` aggregates (outside any subquery expression of its own).
pub(super) fn has_aggregate(e: &Expr) -> bool {
    use crate::dialect::ast::visit::{Visitor, walk_expr};
    struct Finder(bool);
    impl Visitor for Finder {
        fn visit_expr(&mut self, e: &Expr) {
            match &e.kind {
                ExprKind::CountStar => self.0 = true,
                ExprKind::Function(f)
                    if crate::dialect::catalog::function(&f.name, false)
                        .is_some_and(|d| d.aggregating) =>
                {
                    self.0 = true
                }
                ExprKind::Exists(_) | ExprKind::Count(_) | ExprKind::Collect(_) => {}
                _ => walk_expr(self, e),
            }
        }
    }
    let mut f = Finder(false);
    f.visit_expr(e);
    f.0
}
