//! The variables in scope at a point of a query, in order of declaration, with their
//! types.
//!
//! Names are borrowed from the statement's tree or text (a scope is cloned at every
//! projection and subquery, so owned names cost an allocation each time).
//!
//! It owns lookup and declaration. It must not report errors: callers decide whether a
//! missing or repeated name is one (a pattern may reuse a node variable, UNWIND may not).

use super::types::Ty;
use foldhash::{HashMap, HashSet};

/// Past this many names a [`NameMap`] or [`NameSet`] also keeps a hash index. Most
/// scopes and projections hold a few names, which a scan finds sooner than a hash; a
/// statement with thousands (a `RETURN` of 10,000 columns, a `MATCH` of 1,000 patterns)
/// would make every look-up a scan, and the check quadratic.
const INDEX_AFTER: usize = 16;

/// Names with a value each, in the order they were added; each name once.
#[derive(Debug, Clone)]
pub struct NameMap<'a, V> {
    entries: Vec<(&'a str, V)>,
    /// Each name's place in `entries`, once there are more than [`INDEX_AFTER`].
    index: Option<HashMap<&'a str, usize>>,
}

impl<V> Default for NameMap<'_, V> {
    fn default() -> Self {
        NameMap {
            entries: Vec::new(),
            index: None,
        }
    }
}

impl<'a, V> NameMap<'a, V> {
    #[inline]
    fn position(&self, name: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(name).copied(),
            // From the end: the names a clause reads are mostly the latest declared.
            None => self.entries.iter().rposition(|(n, _)| *n == name),
        }
    }

    /// How many names were added before `name`, when it is there.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.position(name)
    }

    /// How many names are there.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The value of `name`, when it is there.
    #[inline]
    pub fn get(&self, name: &str) -> Option<&V> {
        let i = self.position(name)?;
        self.entries.get(i).map(|(_, v)| v)
    }

    /// The value of `name` to change, when it is there.
    #[inline]
    pub fn get_mut(&mut self, name: &str) -> Option<&mut V> {
        let i = self.position(name)?;
        self.entries.get_mut(i).map(|(_, v)| v)
    }

    /// Adds `name`, which the caller knows is not there yet.
    #[inline]
    pub fn push(&mut self, name: &'a str, value: V) {
        if let Some(index) = &mut self.index {
            index.insert(name, self.entries.len());
        }
        self.entries.push((name, value));
        if self.index.is_none() && self.entries.len() > INDEX_AFTER {
            self.index = Some(
                self.entries
                    .iter()
                    .enumerate()
                    .map(|(i, (n, _))| (*n, i))
                    .collect(),
            );
        }
    }

    /// The names and values, in the order they were added.
    pub fn entries(&self) -> &[(&'a str, V)] {
        &self.entries
    }

    /// True when no name is there.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A set of names; see [`NameMap`] for when it hashes.
#[derive(Debug, Clone, Default)]
pub struct NameSet<'a> {
    list: Vec<&'a str>,
    set: Option<HashSet<&'a str>>,
}

impl<'a> NameSet<'a> {
    /// True when `name` is in the set.
    #[inline]
    pub fn contains(&self, name: &str) -> bool {
        match &self.set {
            Some(set) => set.contains(name),
            None => self.list.contains(&name),
        }
    }

    /// Adds `name`; false when it was there already.
    #[inline]
    pub fn insert(&mut self, name: &'a str) -> bool {
        if self.contains(name) {
            return false;
        }
        self.add(name);
        true
    }

    /// Adds `name`, which may be there already (a set only asked what it contains need
    /// not keep names once).
    pub fn add(&mut self, name: &'a str) {
        match &mut self.set {
            Some(set) => {
                set.insert(name);
            }
            None if self.list.len() >= INDEX_AFTER => {
                let mut set: HashSet<&'a str> = self.list.drain(..).collect();
                set.insert(name);
                self.set = Some(set);
            }
            None => self.list.push(name),
        }
    }

    /// Empties the set.
    pub fn clear(&mut self) {
        self.list.clear();
        self.set = None;
    }

    /// True when nothing is in the set.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty() && self.set.as_ref().is_none_or(HashSet::is_empty)
    }
}

/// Variables in scope.
#[derive(Debug, Clone, Default)]
pub struct Scope<'a> {
    vars: NameMap<'a, Ty>,
    /// Variables of the previous scope that an aggregating or DISTINCT projection hides
    /// from its ORDER BY and WHERE: naming one is its own error.
    hidden: NameSet<'a>,
}

impl<'a> Scope<'a> {
    /// The type of `name`, when it is in scope.
    #[inline]
    pub fn get(&self, name: &str) -> Option<&Ty> {
        self.vars.get(name)
    }

    /// True when `name` is in scope.
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// True when `name` is hidden by an aggregating or DISTINCT projection.
    pub fn is_hidden(&self, name: &str) -> bool {
        self.hidden.contains(name)
    }

    /// Declares `name` (replacing its type when it is already there).
    #[inline]
    pub fn declare(&mut self, name: &'a str, ty: Ty) {
        match self.vars.get_mut(name) {
            Some(slot) => *slot = ty,
            None => self.vars.push(name, ty),
        }
    }

    /// Narrows an unknown type once a pattern says what the variable is.
    pub fn refine(&mut self, name: &str, ty: Ty) {
        if let Some(slot) = self.vars.get_mut(name)
            && slot.is_any()
        {
            *slot = ty;
        }
    }

    /// True when nothing is in scope.
    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }

    /// How many variables are in scope: a mark for [`Scope::declared_before`].
    pub fn len(&self) -> usize {
        self.vars.len()
    }

    /// True when `name` was in scope when it held `mark` variables. Variables are only
    /// ever added after the others (a type changes in place), so this is what a copy of
    /// the scope taken then would say, without the copy (a clause's copy made a chain of
    /// clauses quadratic in its variables).
    pub fn declared_before(&self, name: &str, mark: usize) -> bool {
        self.vars.index_of(name).is_some_and(|i| i < mark)
    }

    /// The variables and their types, in order.
    pub fn vars(&self) -> &[(&'a str, Ty)] {
        self.vars.entries()
    }

    /// `self` with the variables of `older` that it does not redefine, marked hidden when
    /// `hide` (the scope an ORDER BY or WHERE after a projection sees).
    pub fn over(&self, older: &Scope<'a>, hide: bool) -> Scope<'a> {
        let mut out = self.clone();
        for (name, ty) in older.vars() {
            if !self.has(name) {
                if hide {
                    out.hidden.insert(name);
                } else {
                    out.vars.push(name, ty.clone());
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The map and the set answer as a plain list does, before and after they start
        /// hashing (names from a pool larger than [`INDEX_AFTER`]).
        #[test]
        fn indexed_names_answer_as_a_list(ops in proptest::collection::vec((0u8..3, 0usize..60), 0..200)) {
            let pool: Vec<String> = (0..60).map(|i| format!("v{i}")).collect();
            let mut map: NameMap<usize> = NameMap::default();
            let mut set = NameSet::default();
            let mut model: Vec<(&str, usize)> = Vec::new();
            let mut set_model: Vec<&str> = Vec::new();
            for (step, (op, n)) in ops.into_iter().enumerate() {
                let name = pool[n].as_str();
                let known = model.iter().position(|(m, _)| *m == name);
                match op {
                    0 => {
                        if known.is_none() {
                            map.push(name, step);
                            model.push((name, step));
                        }
                    }
                    1 => {
                        if let (Some(i), Some(v)) = (known, map.get_mut(name)) {
                            *v = step;
                            model[i].1 = step;
                        }
                    }
                    _ => {
                        let had = set_model.contains(&name);
                        proptest::prop_assert_eq!(set.insert(name), !had);
                        if !had {
                            set_model.push(name);
                        }
                    }
                }
                proptest::prop_assert_eq!(map.entries(), model.as_slice());
                for probe in &pool {
                    let want = model.iter().find(|(m, _)| m == probe).map(|(_, v)| v);
                    proptest::prop_assert_eq!(map.get(probe), want);
                    proptest::prop_assert_eq!(set.contains(probe), set_model.contains(&probe.as_str()));
                }
            }
        }
    }

    #[test]
    fn a_set_says_whether_it_had_a_name_across_its_index() {
        let pool: Vec<String> = (0..100).map(|i| format!("n{i}")).collect();
        let mut set = NameSet::default();
        assert!(set.is_empty());
        for (i, name) in pool.iter().enumerate() {
            assert!(set.insert(name), "{name}");
            assert!(!set.insert(name), "{name}");
            for (j, other) in pool.iter().enumerate() {
                assert_eq!(set.contains(other), j <= i, "{other} after {i}");
            }
        }
        set.clear();
        assert!(set.is_empty() && !set.contains("n1"));
    }
}
