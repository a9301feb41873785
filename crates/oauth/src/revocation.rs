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
