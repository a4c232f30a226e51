//! The types semantic analysis can be sure of: what a literal, a pattern variable or an
//! operator's result is, in Neo4j's names (`Integer`, `List<T>`, `Relationship`).
//!
//! It owns the type lattice and the names in messages. It must not report anything: the
//! checks in `exprs` and `clauses` decide when a known type is a mismatch. `Any` means
//! "not known here", and no check ever fires on it.

use std::fmt;

/// A type, as far as it is known before running the query.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// Unknown (a parameter, a property, a function result, NULL): never a mismatch.
    Any,
    /// BOOLEAN
    Bool,
    /// INTEGER
    Int,
    /// FLOAT
    Float,
    /// STRING
    Str,
    /// MAP
    Map,
    /// NODE
    Node,
    /// RELATIONSHIP
    Rel,
    /// PATH
    Path,
    /// A list; `None` when its elements are not all of one known type (`List<T>`).
    List(Option<Box<Ty>>),
}

impl Ty {
    /// True when nothing is known.
    pub fn is_any(&self) -> bool {
        matches!(self, Ty::Any)
    }

    /// True for INTEGER and FLOAT.
    pub fn is_number(&self) -> bool {
        matches!(self, Ty::Int | Ty::Float)
    }

    /// A list of `element`s.
    pub fn list_of(element: Ty) -> Ty {
        match element {
            Ty::Any => Ty::List(None),
            t => Ty::List(Some(Box::new(t))),
        }
    }

    /// The type of a list's elements (unknown when not known).
    pub fn element(&self) -> Ty {
        match self {
            Ty::List(Some(t)) => (**t).clone(),
            _ => Ty::Any,
        }
    }

    /// True when a value of this type may be where `expected` is wanted: unknown types and
    /// lists of unknown elements fit anything of their shape.
    pub fn fits(&self, expected: &Ty) -> bool {
        match (self, expected) {
            (Ty::Any, _) | (_, Ty::Any) => true,
            (Ty::List(a), Ty::List(b)) => match (a, b) {
                (Some(a), Some(b)) => a.fits(b),
                _ => true,
            },
            (a, b) => a == b,
        }
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Ty::Any => "Any",
            Ty::Bool => "Boolean",
            Ty::Int => "Integer",
            Ty::Float => "Float",
            Ty::Str => "String",
            Ty::Map => "Map",
            Ty::Node => "Node",
            Ty::Rel => "Relationship",
            Ty::Path => "Path",
            Ty::List(None) => "List<T>",
            Ty::List(Some(t)) => return write!(f, "List<{t}>"),
        })
    }
}

/// The common type of a list literal's elements: one known type, or unknown.
pub fn common(types: impl IntoIterator<Item = Ty>) -> Ty {
    let mut out: Option<Ty> = None;
    for t in types {
        match &out {
            None => out = Some(t),
            Some(o) if *o == t => {}
            Some(_) => return Ty::Any,
        }
    }
    out.unwrap_or(Ty::Any)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_neo4js() {
        assert_eq!(Ty::list_of(Ty::Int).to_string(), "List<Integer>");
        assert_eq!(Ty::list_of(Ty::Any).to_string(), "List<T>");
        assert_eq!(Ty::Rel.to_string(), "Relationship");
        assert_eq!(common([Ty::Int, Ty::Str]), Ty::Any);
        assert!(Ty::List(None).fits(&Ty::list_of(Ty::Rel)));
        assert!(!Ty::Node.fits(&Ty::Rel));
    }
}
