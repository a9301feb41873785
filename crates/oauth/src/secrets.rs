//! Random values, hashes and argon2: secrets never stored in the clear.

use crate::OAuthError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// `n` random bytes from the OS, base64url without padding.
pub fn random_token(n: usize) -> String {
    let mut buf = vec![0u8; n];
    OsRng.fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// Lower-case hex of `n` random bytes (client ids).
pub fn random_hex(n: usize) -> String {
    let mut buf = vec![0u8; n];
    OsRng.fill_bytes(&mut buf);
    hex::encode(buf)
}

/// How codes and refresh tokens are looked up: high-entropy values need no salt.
pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// argon2id PHC string, computed off the reactor.
pub async fn hash_secret(secret: String) -> Result<String, OAuthError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(secret.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|_| OAuthError::ServerError)
    })
    .await
    .map_err(|_| OAuthError::ServerError)?
}

/// Check `secret` against a stored PHC string, off the reactor. A stored
/// value that does not parse never matches.
pub async fn verify_secret(secret: String, phc: String) -> Result<bool, OAuthError> {
    tokio::task::spawn_blocking(move || match PasswordHash::new(&phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(secret.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    })
    .await
    .map_err(|_| OAuthError::ServerError)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_only_the_right_secret() {
        let h = hash_secret("s3cret".into()).await.unwrap();
        assert!(h.starts_with("$argon2"));
        assert!(!h.contains("s3cret"));
        assert!(verify_secret("s3cret".into(), h.clone()).await.unwrap());
        assert!(!verify_secret("s3cret!".into(), h).await.unwrap());
        assert!(!verify_secret("x".into(), "not-a-hash".into())
            .await
            .unwrap());
    }

    #[test]
    fn random_values_differ() {
        assert_ne!(random_token(32), random_token(32));
        assert_eq!(random_token(32).len(), 43);
        assert_eq!(random_hex(16).len(), 32);
    }
}
