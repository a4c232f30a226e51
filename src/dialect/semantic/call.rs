//! A standalone procedure call (`CALL proc(args) YIELD a, b AS c WHERE ... RETURN ...`),
//! which the admin dialect parses as a statement of its own: aggregates in arguments,
//! YIELD names declared twice, `YIELD *` with a RETURN, and what its RETURN may name.
//!
//! It owns that statement's scope. It must not know procedure signatures: the outputs
//! of a call without YIELD are unknown here, so nothing is checked after it.

use super::scope::{NameMap, NameSet, Scope};
use super::types::Ty;
use super::{Agg, Checker};
use crate::dialect::ast::{Call, ProjectionItem};

impl<'s> Checker<'s> {
    pub(super) fn standalone_call(&mut self, call: &'s Call) {
        let empty = Scope::default();
        for a in call.args.iter().flatten() {
            self.expr(a, &empty, Agg::ProcedureArgument);
        }
        let Some(y) = &call.yield_ else {
            return;
        };
        let mut scope = Scope::default();
        match &y.items {
            None => {
                if call.return_.is_some() {
                    let start = self.src.len() - self.src.trim_start().len();
                    self.error(start as u32, "Cannot use `YIELD *` outside standalone call");
                }
                return;
            }
            Some(items) => {
                let mut seen: Vec<(&str, u32)> = Vec::with_capacity(items.len());
                let mut first_at: NameMap<u32> = NameMap::default();
                for item in items {
                    let (name, at) = self.item_name(item);
                    if let Some(&first) = first_at.get(name) {
                        self.error(first, format!("Variable `{name}` already declared"));
                        self.error(at, format!("Variable `{name}` already declared"));
                    } else {
                        first_at.push(name, at);
                    }
                    seen.push((name, at));
                }
                for (name, _) in seen {
                    scope.declare(name, Ty::Any);
                }
            }
        }
        if let Some(w) = &y.where_ {
            self.predicate(w, &scope, Agg::Forbidden);
        }
        self.order_by(&y.tail.order_by, &scope);
        self.skip_limit(&y.tail.skip, &y.tail.limit);
        let Some(r) = &call.return_ else {
            return;
        };
        let mut seen = NameSet::default();
        for item in r.items.iter().flatten() {
            self.expr(&item.expr, &scope, Agg::Allowed);
            let (name, at) = self.item_name(item);
            if !seen.insert(name) {
                self.error(
                    at,
                    "Multiple result columns with the same name are not supported",
                );
            }
        }
        self.order_by(&r.tail.order_by, &scope);
        self.skip_limit(&r.tail.skip, &r.tail.limit);
    }

    /// The name an item declares and where that name is written.
    fn item_name(&self, item: &'s ProjectionItem) -> (&'s str, u32) {
        match &item.alias {
            Some(alias) => {
                // The alias is the first occurrence of its name after the column.
                let end = item.expr.span.end as usize;
                let at = self
                    .src
                    .get(end..)
                    .and_then(|rest| rest.find(alias.as_str()))
                    .map_or(item.expr.span.start, |i| (end + i) as u32);
                (alias.as_str(), at)
            }
            None => (item.text.as_str(), item.expr.span.start),
        }
    }
}
