//! The variables in scope at a point of a query, in order of declaration, with their
//! types.
//!
//! It owns lookup and declaration. It must not report errors: callers decide whether a
//! missing or repeated name is one (a pattern may reuse a node variable, UNWIND may not).

use super::types::Ty;

/// Variables in scope.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    vars: Vec<(String, Ty)>,
    /// Variables of the previous scope that an aggregating or DISTINCT projection hides
    /// from its ORDER BY and WHERE: naming one is its own error.
    hidden: Vec<String>,
}

impl Scope {
    /// The type of `name`, when it is in scope.
    pub fn get(&self, name: &str) -> Option<&Ty> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t)
    }

    /// True when `name` is in scope.
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// True when `name` is hidden by an aggregating or DISTINCT projection.
    pub fn is_hidden(&self, name: &str) -> bool {
        self.hidden.iter().any(|h| h == name)
    }

    /// Declares `name` (replacing its type when it is already there).
    pub fn declare(&mut self, name: &str, ty: Ty) {
        match self.vars.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = ty,
            None => self.vars.push((name.to_string(), ty)),
        }
    }

    /// Narrows an unknown type once a pattern says what the variable is.
    pub fn refine(&mut self, name: &str, ty: Ty) {
        if let Some(slot) = self.vars.iter_mut().find(|(n, _)| n == name)
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
    pub fn vars(&self) -> &[(String, Ty)] {
        &self.vars
    }

    /// `self` with the variables of `older` that it does not redefine, marked hidden when
    /// `hide` (the scope an ORDER BY or WHERE after a projection sees).
    pub fn over(&self, older: &Scope, hide: bool) -> Scope {
        let mut out = self.clone();
        for (name, ty) in &older.vars {
            if !self.has(name) {
                if hide {
                    out.hidden.push(name.clone());
                } else {
                    out.vars.push((name.clone(), ty.clone()));
                }
            }
        }
        out
    }
}
