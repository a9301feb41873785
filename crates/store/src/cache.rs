//! In-memory copies of the rows every face request reads (accounts,
//! registrations, client contracts, institutions), so an authorized read or a
//! withdrawal needs no database round trip before the ledger writer.
//!
//! This process's own writes update or drop the copies right after their
//! commit (the ledger writer's before it acknowledges a batch). Writes by
//! another process on the same PostgreSQL (another node, `finhub seed` on a
//! live database) drop them at the next request's fence (`coherence`). On
//! SQLite the store's file belongs to one process.
//!
//! A miss reads the database and fills the copy only if no invalidation ran
//! since the read began (the generation did not move) and no fresher copy was
//! put in meanwhile, so a read that raced a commit never plants a stale row.
//! Absent rows are not cached: a row created elsewhere is found on the next
//! read.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::RwLock;

pub(crate) struct Cache<K, V> {
    enabled: bool,
    cap: usize,
    inner: RwLock<Inner<K, V>>,
}

struct Inner<K, V> {
    map: HashMap<K, V>,
    gen: u64,
}

impl<K: Eq + Hash, V: Clone> Cache<K, V> {
    pub(crate) fn new(enabled: bool, cap: usize) -> Self {
        Cache {
            enabled,
            cap: cap.max(1),
            inner: RwLock::new(Inner {
                map: HashMap::new(),
                gen: 0,
            }),
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner<K, V>> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner<K, V>> {
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn get<Q>(&self, k: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        if !self.enabled || crate::coherence::copies_unverified() {
            return None;
        }
        self.read().map.get(k).cloned()
    }

    /// Take before reading the database on a miss; pass to `fill`.
    pub(crate) fn generation(&self) -> u64 {
        self.read().gen
    }

    /// Keep a row read from the database, unless an invalidation ran since
    /// `gen` was taken or a copy is already there (which is at least as new).
    pub(crate) fn fill(&self, k: K, v: V, gen: u64) {
        if !self.enabled {
            return;
        }
        let mut inner = self.write();
        if inner.gen != gen || inner.map.contains_key(&k) {
            return;
        }
        if inner.map.len() >= self.cap {
            // A bound, not an LRU: the hot rows come back on their next read.
            inner.map.clear();
            inner.gen += 1;
            return;
        }
        inner.map.insert(k, v);
    }

    /// Forget everything (after a write whose reach is not one key).
    pub(crate) fn clear(&self) {
        let mut inner = self.write();
        inner.map.clear();
        inner.gen += 1;
    }

    /// Forget one row (after a write to it).
    pub(crate) fn remove<Q>(&self, k: &Q)
    where
        K: Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        let mut inner = self.write();
        inner.map.remove(k);
        inner.gen += 1;
    }

    /// Apply a committed change to the rows it touched: `f` updates each copy
    /// present; if any touched row has no copy, a read of it may be in flight
    /// with the old value, so the generation moves and that fill is refused.
    pub(crate) fn apply<'a, Q, T, I, F>(&self, changes: I, mut f: F)
    where
        K: Borrow<Q>,
        Q: Eq + Hash + ?Sized + 'a,
        I: IntoIterator<Item = (&'a Q, T)>,
        F: FnMut(T, &mut V),
    {
        if !self.enabled {
            return;
        }
        let mut inner = self.write();
        let mut missing = false;
        for (k, change) in changes {
            match inner.map.get_mut(k) {
                Some(v) => f(change, v),
                None => missing = true,
            }
        }
        if missing {
            inner.gen += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fill_that_raced_an_invalidation_is_refused() {
        let c: Cache<String, i64> = Cache::new(true, 10);
        let g = c.generation();
        c.apply([("a", 2)], |n, v| *v = n); // "a" not cached: the generation moves
        c.fill("a".into(), 1, g);
        assert_eq!(c.get("a"), None);
        let g = c.generation();
        c.fill("a".into(), 1, g);
        assert_eq!(c.get("a"), Some(1));
        // A present copy is updated in place, and a late fill cannot replace it.
        let g_old = g;
        c.apply([("a", 2)], |n, v| *v = n);
        c.fill("a".into(), 1, g_old);
        assert_eq!(c.get("a"), Some(2));
        c.remove("a");
        c.fill("a".into(), 1, g_old);
        assert_eq!(c.get("a"), None);
    }

    #[test]
    fn bounded_and_switchable() {
        let c: Cache<String, i64> = Cache::new(true, 2);
        for (i, k) in ["a", "b", "c"].into_iter().enumerate() {
            let g = c.generation();
            c.fill(k.into(), i as i64, g);
        }
        assert_eq!(c.get("c"), None, "the full cache was emptied, not grown");
        let off: Cache<String, i64> = Cache::new(false, 2);
        off.fill("a".into(), 1, off.generation());
        assert_eq!(off.get("a"), None);
    }
}
