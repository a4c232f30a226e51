//! Tables read from the store's snapshot on first use, so that opening a store of 100,000
//! databases costs what the first statement needs: `RETURN 1`, `:param` and SHOW SERVERS
//! never decode a database, and `SHOW DATABASES ... LIMIT 10` decodes the first few in
//! name order straight from the snapshot (`State::each_database`).
//!
//! It owns `Lazy`, a value that is either ready or decoded from a shared source on first
//! access (for the state's tables, `model::Packed`, which the store implements). It must
//! not know what the source holds or how it is laid out, and it must never fail on
//! access: a source is checked whole when the store opens, so decoding cannot fail after.

use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// How a `Lazy` value is made from its source.
type Decode<T, S> = fn(&S) -> T;

/// A value that is ready, or is decoded from a `Packed` source the first time it is read.
/// Read through `Deref`; changed through `DerefMut`, which decodes it first.
pub struct Lazy<T, S: ?Sized> {
    cell: OnceLock<T>,
    source: Option<(Arc<S>, Decode<T, S>)>,
    /// Whether a reader has gone through the source once (`visit_once`).
    visited: AtomicBool,
}

impl<T, S: ?Sized> Lazy<T, S> {
    /// A value that is ready now.
    pub fn ready(value: T) -> Lazy<T, S> {
        Lazy {
            cell: OnceLock::from(value),
            source: None,
            visited: AtomicBool::new(false),
        }
    }

    /// A value decoded from `source` by `decode` when it is first read.
    pub fn pending(source: Arc<S>, decode: Decode<T, S>) -> Lazy<T, S> {
        Lazy {
            cell: OnceLock::new(),
            source: Some((source, decode)),
            visited: AtomicBool::new(false),
        }
    }

    /// The source, while the value has not been decoded yet.
    pub fn undecoded(&self) -> Option<&Arc<S>> {
        match (&self.source, self.cell.get()) {
            (Some((source, _)), None) => Some(source),
            _ => None,
        }
    }

    /// The source, while the value has not been decoded yet and only the first time this
    /// is asked: a reader that goes through the source without keeping what it reads
    /// (one SHOW DATABASES of a one-shot process) does so once; a second reader (a server
    /// answering the same statement again) decodes the value once and reads that.
    pub fn visit_once(&self) -> Option<&Arc<S>> {
        let source = self.undecoded()?;
        (!self.visited.swap(true, Ordering::Relaxed)).then_some(source)
    }

    /// The value when it is ready (nothing is decoded).
    pub fn if_ready(&self) -> Option<&T> {
        self.cell.get()
    }
}

impl<T: Default, S: ?Sized> Lazy<T, S> {
    fn get(&self) -> &T {
        self.cell.get_or_init(|| match &self.source {
            Some((source, decode)) => decode(source.as_ref()),
            None => T::default(),
        })
    }
}

impl<T: Default, S: ?Sized> Default for Lazy<T, S> {
    fn default() -> Lazy<T, S> {
        Lazy::ready(T::default())
    }
}

impl<T: Default, S: ?Sized> Deref for Lazy<T, S> {
    type Target = T;
    fn deref(&self) -> &T {
        self.get()
    }
}

impl<T: Default, S: ?Sized> DerefMut for Lazy<T, S> {
    fn deref_mut(&mut self) -> &mut T {
        self.get();
        // Changed from here on: the source no longer describes it.
        self.source = None;
        match self.cell.get_mut() {
            Some(value) => value,
            // `get` has just set it.
            None => unreachable!("a lazy value is set once read"),
        }
    }
}

impl<T: Clone, S: ?Sized> Clone for Lazy<T, S> {
    fn clone(&self) -> Lazy<T, S> {
        Lazy {
            cell: self.cell.clone(),
            source: self.source.clone(),
            visited: AtomicBool::new(self.visited.load(Ordering::Relaxed)),
        }
    }
}

impl<T: Default + PartialEq, S: ?Sized> PartialEq for Lazy<T, S> {
    fn eq(&self, other: &Lazy<T, S>) -> bool {
        self.get() == other.get()
    }
}

impl<T: Default + std::fmt::Debug, S: ?Sized> std::fmt::Debug for Lazy<T, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

impl<'a, T: Default, S: ?Sized> IntoIterator for &'a Lazy<T, S>
where
    &'a T: IntoIterator,
{
    type Item = <&'a T as IntoIterator>::Item;
    type IntoIter = <&'a T as IntoIterator>::IntoIter;
    fn into_iter(self) -> Self::IntoIter {
        self.get().into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[derive(Debug, Default)]
    struct Counting(AtomicUsize);

    impl Counting {
        fn decode(&self) -> Vec<u8> {
            self.0.fetch_add(1, Ordering::SeqCst);
            vec![1]
        }
    }

    #[test]
    fn decodes_once_on_first_read_and_forgets_its_source_when_changed() {
        let source = Arc::new(Counting::default());
        let mut lazy = Lazy::pending(source.clone(), Counting::decode);
        assert!(lazy.undecoded().is_some() && lazy.if_ready().is_none());
        assert_eq!(source.0.load(Ordering::SeqCst), 0);
        let copy = lazy.clone();
        assert_eq!(lazy.len(), 1);
        assert_eq!(lazy.len(), 1);
        assert_eq!(source.0.load(Ordering::SeqCst), 1, "decoded once");
        assert!(lazy.undecoded().is_none() && copy.undecoded().is_some());
        lazy.push(2);
        assert_eq!(*lazy, [1, 2]);
        assert_eq!(*copy, [1], "a clone taken before the change keeps its own");
        assert_eq!(source.0.load(Ordering::SeqCst), 2);
        assert_ne!(lazy, copy);
        assert_eq!((&lazy).into_iter().count(), 2);
        let fresh = Lazy::pending(source.clone(), Counting::decode);
        assert!(fresh.visit_once().is_some() && fresh.visit_once().is_none());
        assert!(fresh.undecoded().is_some(), "visiting decodes nothing");
        let mut changed_unread = copy.clone();
        changed_unread.clear();
        assert!(changed_unread.undecoded().is_none() && changed_unread.is_empty());
    }
}
