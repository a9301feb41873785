use finhub_core::oauth::Profile;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// What an access token says. Faces read these; clients treat the token as opaque.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    /// For KFTC: the client_use_code (2-legged) or user_seq_no (3-legged).
    pub aud: String,
    pub jti: String,
    pub iat: i64,
    pub exp: i64,
    pub client_id: String,
    pub org_code: String,
    pub profile: Profile,
    pub scope: Vec<String>,
    /// The person who authorized (3-legged tokens only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    /// Refresh family, for 3-legged tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fam: Option<String>,
}

impl AccessClaims {
    pub fn has_scope(&self, s: &str) -> bool {
        self.scope.iter().any(|x| x == s)
    }
    pub fn has_any_scope(&self, wanted: &[&str]) -> bool {
        wanted.iter().any(|w| self.has_scope(w))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("no bearer token")]
    Missing,
    #[error("token is malformed or its signature is wrong")]
    Invalid,
    #[error("token has expired")]
    Expired,
    #[error("token has been revoked")]
    Revoked,
}

pub struct TokenSigner {
    enc: EncodingKey,
    dec: DecodingKey,
    validation: Validation,
    header: Header,
}

impl TokenSigner {
    pub fn new(key: &[u8], issuer: &str) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        // Expiry is checked against the world's clock, which a sandbox can move.
        validation.validate_exp = false;
        validation.validate_aud = false;
        validation.set_issuer(&[issuer]);
        validation.set_required_spec_claims(&["exp", "iss"]);
        TokenSigner {
            enc: EncodingKey::from_secret(key),
            dec: DecodingKey::from_secret(key),
            validation,
            header: Header::new(Algorithm::HS256),
        }
    }

    pub fn sign(&self, claims: &AccessClaims) -> String {
        jsonwebtoken::encode(&self.header, claims, &self.enc).expect("HS256 signing cannot fail")
    }

    pub fn verify(&self, token: &str) -> Result<AccessClaims, TokenError> {
        if token.len() > 4096 {
            return Err(TokenError::Invalid);
        }
        jsonwebtoken::decode::<AccessClaims>(token, &self.dec, &self.validation)
            .map(|d| d.claims)
            .map_err(|_| TokenError::Invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> AccessClaims {
        AccessClaims {
            iss: "https://finhub.local".into(),
            aud: "M202600001".into(),
            jti: "j1".into(),
            iat: 0,
            exp: i64::MAX / 2,
            client_id: "c".into(),
            org_code: "M202600001".into(),
            profile: Profile::Kftc,
            scope: vec!["oob".into()],
            sub: None,
            fam: None,
        }
    }

    #[test]
    fn signed_tokens_verify_and_tampering_fails() {
        let s = TokenSigner::new(b"0123456789abcdef0123456789abcdef", "https://finhub.local");
        let t = s.sign(&claims());
        assert_eq!(s.verify(&t).unwrap(), claims());
        let other = TokenSigner::new(b"another-key-another-key-another!", "https://finhub.local");
        assert_eq!(other.verify(&t), Err(TokenError::Invalid));
        let mut bad = t.clone();
        bad.pop();
        assert_eq!(s.verify(&bad), Err(TokenError::Invalid));
        assert_eq!(s.verify("not-a-jwt"), Err(TokenError::Invalid));
    }
}
