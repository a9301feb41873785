use parking_lot::RwLock;
use std::collections::HashMap;
use std::sync::Arc;

/// Revoked token ids with their expiry (Unix seconds); expired ones may be purged.
#[derive(Clone, Default)]
pub struct RevocationSet {
    inner: Arc<RwLock<HashMap<String, i64>>>,
}

impl RevocationSet {
    pub fn insert(&self, jti: String, exp: i64) {
        self.inner.write().insert(jti, exp);
    }
    pub fn contains(&self, jti: &str) -> bool {
        self.inner.read().contains_key(jti)
    }
    /// Drop entries whose token has expired anyway.
    pub fn purge(&self, now: i64) {
        self.inner.write().retain(|_, exp| *exp > now);
    }
    pub fn len(&self) -> usize {
        self.inner.read().len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purge_keeps_only_unexpired_ids() {
        let set = RevocationSet::default();
        set.insert("old".into(), 100);
        set.insert("live".into(), 300);
        set.purge(200);
        assert!(!set.contains("old"));
        assert!(set.contains("live"));
        assert_eq!(set.len(), 1);
    }
}
