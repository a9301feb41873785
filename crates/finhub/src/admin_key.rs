//! The sandbox admin key. Only its SHA-256 is kept (in memory, and in the
//! settings table when generated); requests are checked in constant time.

use finhub_core::CoreResult;
use finhub_store::Store;
use rand::RngCore;
use sha2::{Digest, Sha256};

const SETTING: &str = "sandbox_admin_key_sha256";

#[derive(Clone)]
pub struct AdminKey {
    hash: [u8; 32],
}

impl std::fmt::Debug for AdminKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AdminKey(***)")
    }
}

/// How the key came to be, so the CLI knows whether to print it.
pub enum KeySource {
    /// From FINHUB_ADMIN_KEY.
    Configured,
    /// Generated now; shown once.
    Generated(String),
    /// Generated at an earlier start; only its hash is known.
    Stored,
}

fn digest(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

impl AdminKey {
    pub fn from_key(key: &str) -> AdminKey {
        AdminKey { hash: digest(key) }
    }

    /// Compare the hashes byte by byte without an early exit, so the time
    /// taken says nothing about how much of the key matched.
    pub fn verify(&self, presented: &str) -> bool {
        let other = digest(presented);
        self.hash
            .iter()
            .zip(other.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    }

    /// The configured key, or the stored hash, or a new key whose hash is
    /// stored (the first start wins a race between two starts).
    pub async fn load(
        store: &Store,
        configured: Option<&str>,
    ) -> CoreResult<(AdminKey, KeySource)> {
        if let Some(k) = configured.filter(|k| !k.is_empty()) {
            return Ok((AdminKey::from_key(k), KeySource::Configured));
        }
        if let Some(h) = store.setting(SETTING).await? {
            if let Some(key) = parse_hash(&h) {
                return Ok((key, KeySource::Stored));
            }
        }
        let mut raw = [0u8; 24];
        rand::thread_rng().fill_bytes(&mut raw);
        let key = format!("fhadm_{}", hex::encode(raw));
        let ours = hex::encode(digest(&key));
        let held = store.setting_or_insert(SETTING, &ours).await?;
        if held == ours {
            Ok((AdminKey::from_key(&key), KeySource::Generated(key)))
        } else {
            let stored = parse_hash(&held).ok_or_else(|| {
                finhub_core::CoreError::Internal("stored admin key hash is malformed".into())
            })?;
            Ok((stored, KeySource::Stored))
        }
    }
}

fn parse_hash(h: &str) -> Option<AdminKey> {
    let bytes = hex::decode(h).ok()?;
    let hash: [u8; 32] = bytes.try_into().ok()?;
    Some(AdminKey { hash })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_only_the_right_key() {
        let k = AdminKey::from_key("s3cret");
        assert!(k.verify("s3cret"));
        assert!(!k.verify("s3cret "));
        assert!(!k.verify(""));
        assert_eq!(format!("{k:?}"), "AdminKey(***)");
    }
}
