//! The variables in scope at a point of a query, in order of declaration, with their
//! types.
//!
//! Names are borrowed from the statement's tree or text (a scope is cloned at every
//! projection and subquery, so owned names cost an allocation each time).
//!
//! It owns lookup and declaration. It must not report errors: callers decide whether a
//! missing or repeated name is one (a pattern may reuse a node variable, UNWIND may not).

use super::types::Ty;

/// Variables in scope.
#[derive(Debug, Clone, Default)]
pub struct Scope<'a> {
    vars: Vec<(&'a str, Ty)>,
    /// Variables of the previous scope that an aggregating or DISTINCT projection hides
    /// from its ORDER BY and WHERE: naming one is its own error.
    hidden: Vec<&'a str>,
}

impl<'a> Scope<'a> {
    /// The type of `name`, when it is in scope.
    pub fn get(&self, name: &str) -> Option<&Ty> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| t)
    }

    /// True when `name` is in scope.
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// True when `name` is hidden by an aggregating or DISTINCT projection.
    pub fn is_hidden(&self, name: &str) -> bool {
        self.hidden.contains(&name)
    }

    /// Declares `name` (replacing its type when it is already there).
    pub fn declare(&mut self, name: &'a str, ty: Ty) {
        match self.vars.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = ty,
            None => self.vars.push((name, ty)),
        }
    }

    /// Narrows an unknown type once a pattern says what the variable is.
    pub fn refine(&mut self, name: &str, ty: Ty) {
        if let Some(slot) = self.vars.iter_mut().find(|(n, _)| *n == name)
            && slot.1.is_any()
        {
            slot.1 = ty;
        }
    }

    /// True when nothing is in scope.
    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }

    /// The variables and their types, in order.
    pub fn vars(&self) -> &[(&'a str, Ty)] {
        &self.vars
    }

    /// `self` with the variables of `older` that it does not redefine, marked hidden when
    /// `hide` (the scope an ORDER BY or WHERE after a projection sees).
    pub fn over(&self, older: &Scope<'a>, hide: bool) -> Scope<'a> {
        let mut out = self.clone();
        for (name, ty) in &older.vars {
            if !self.has(name) {
                if hide {
                    out.hidden.push(name);
                } else {
                    out.vars.push((name, ty.clone()));
                }
            }
        }
        out
    }
}
