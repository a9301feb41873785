//! Identifiers that belong to the world rather than to one standard.

use base64::Engine;
use sha2::{Digest, Sha512};

pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A connecting-information value (CI): 88 characters, the base64 of 64 bytes,
/// as the Korean identity agencies issue it. Derived from a seed so the same
/// person always gets the same CI.
pub fn ci_from_seed(seed: &[u8]) -> String {
    let digest = Sha512::digest(seed);
    base64::engine::general_purpose::STANDARD.encode(digest)
}

pub fn is_valid_ci(ci: &str) -> bool {
    ci.len() == 88
        && base64::engine::general_purpose::STANDARD
            .decode(ci)
            .map(|b| b.len() == 64)
            .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ci_is_88_chars_and_deterministic() {
        let a = ci_from_seed(b"person-1");
        assert_eq!(a.len(), 88);
        assert!(is_valid_ci(&a));
        assert_eq!(a, ci_from_seed(b"person-1"));
        assert_ne!(a, ci_from_seed(b"person-2"));
        assert!(!is_valid_ci("short"));
    }
}
