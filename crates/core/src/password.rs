//! Passwords as argon2id PHC strings, hashed and checked off the reactor;
//! the one place every face's logins (ORIS staff, OBP users) use.

use crate::{CoreError, CoreResult};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

pub async fn hash(p: &str) -> CoreResult<String> {
    let p = p.to_owned();
    blocking(move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        Argon2::default()
            .hash_password(p.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| CoreError::Internal(e.to_string()))
    })
    .await
}

/// Does `p` match the stored PHC string? A value that does not parse never does.
pub async fn matches(p: &str, phc: &str) -> CoreResult<bool> {
    let (p, phc) = (p.to_owned(), phc.to_owned());
    blocking(move || {
        Ok(PasswordHash::new(&phc)
            .map(|h| Argon2::default().verify_password(p.as_bytes(), &h).is_ok())
            .unwrap_or(false))
    })
    .await
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> CoreResult<T> + Send + 'static,
) -> CoreResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| CoreError::Internal(e.to_string()))?
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn a_hash_matches_its_password_only() {
        let h = super::hash("Secret-123").await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(super::matches("Secret-123", &h).await.unwrap());
        assert!(!super::matches("Secret-124", &h).await.unwrap());
        assert!(!super::matches("Secret-123", "not a hash").await.unwrap());
    }
}
