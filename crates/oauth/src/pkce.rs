//! PKCE (RFC 7636), S256 only: `plain` gives no protection against a stolen code.

use crate::OAuthError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};

/// The challenge of an authorize request, from its `code_challenge` and
/// `code_challenge_method`: S256 or none, and none only when not `required`.
pub(crate) fn authorize_challenge<'a>(
    challenge: Option<&'a str>,
    method: Option<&str>,
    required: bool,
) -> Result<Option<&'a str>, OAuthError> {
    let bad = |m: &str| Err(OAuthError::InvalidRequest(m.into()));
    match (challenge, method) {
        (None, None) if required => bad("code_challenge (PKCE, S256) is required"),
        (None, None) => Ok(None),
        (Some(c), Some("S256")) if valid_challenge(c) => Ok(Some(c)),
        (Some(_), Some("S256")) => bad("code_challenge must be 43 base64url characters"),
        (None, Some(_)) => bad("code_challenge_method without code_challenge"),
        (Some(_), _) => bad("code_challenge_method must be S256"),
    }
}

fn unreserved(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// A verifier is 43 to 128 unreserved characters (§4.1).
pub fn valid_verifier(v: &str) -> bool {
    (43..=128).contains(&v.len()) && unreserved(v)
}

/// An S256 challenge is the 43-character base64url of a SHA-256 digest.
pub fn valid_challenge(c: &str) -> bool {
    c.len() == 43 && unreserved(c)
}

pub fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Does `verifier` answer `challenge`?
pub fn verify(challenge: &str, verifier: &str) -> bool {
    valid_verifier(verifier) && s256(verifier) == challenge
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b_example() {
        let v = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assert_eq!(s256(v), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assert!(verify("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", v));
        assert!(!verify(
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "short"
        ));
        assert!(valid_challenge(
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        ));
        assert!(!valid_challenge("plain-and-short"));
    }
}
