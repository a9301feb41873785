//! The registry's bearer tokens: HS256 JWTs under a key kept in the settings
//! table (every node signs alike), issued for a session. The world clock,
//! not the system's, decides expiry; the session decides revocation.

use crate::codes::Code;
use crate::error::{OrisError, OrisResult};
use chrono::{DateTime, Utc};
use finhub_core::oris::staff::{Scope, Session, Subject};
use finhub_core::oris::{ACCESS_TTL, REFRESH_TTL};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

pub const ACCESS: &str = "access";
pub const REFRESH: &str = "refresh";

/// A token's claims (oris-remittance.md §7.1).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Claims {
    /// The member id, or the API key id.
    pub sub: String,
    pub agency_id: String,
    pub agency_code: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub group_id: Option<String>,
    pub scope: String,
    /// The session it was issued under.
    pub sid: String,
    pub jti: String,
    pub typ: String,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Clone)]
pub struct Signer {
    enc: EncodingKey,
    dec: DecodingKey,
}

/// What a session's sign-in answers with.
#[derive(Debug, Clone)]
pub struct Issued {
    pub access: String,
    pub refresh: Option<String>,
    pub expires_in: i64,
    pub scope: String,
}

/// The parts of a session's subject a token names.
pub struct Names<'a> {
    pub agency_code: &'a str,
    pub group_id: Option<&'a str>,
}

impl Signer {
    pub fn new(key: &[u8]) -> Signer {
        Signer {
            enc: EncodingKey::from_secret(key),
            dec: DecodingKey::from_secret(key),
        }
    }

    /// An access token (and the session's refresh token, if it has one).
    pub fn issue(&self, s: &Session, names: Names<'_>, now: DateTime<Utc>) -> OrisResult<Issued> {
        let access_exp = now + ACCESS_TTL;
        let base = |typ: &str, jti: String, exp: DateTime<Utc>| Claims {
            sub: match &s.subject {
                Subject::Member(id) | Subject::ApiKey(id) => id.clone(),
            },
            agency_id: s.agency_id.clone(),
            agency_code: names.agency_code.to_owned(),
            group_id: names.group_id.map(str::to_owned),
            scope: Scope::join(&s.scopes),
            sid: s.session_id.clone(),
            jti,
            typ: typ.to_owned(),
            iat: now.timestamp(),
            exp: exp.timestamp(),
        };
        let access = self.sign(&base(ACCESS, uuid::Uuid::new_v4().to_string(), access_exp))?;
        let refresh = match &s.refresh_jti {
            Some(jti) => Some(self.sign(&base(REFRESH, jti.clone(), now + REFRESH_TTL))?),
            None => None,
        };
        Ok(Issued {
            access,
            refresh,
            expires_in: ACCESS_TTL.num_seconds(),
            scope: Scope::join(&s.scopes),
        })
    }

    fn sign(&self, c: &Claims) -> OrisResult<String> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), c, &self.enc)
            .map_err(|_| OrisError::new(Code::Error))
    }

    /// Check the signature, the kind and the expiry (by the world clock).
    pub fn verify(&self, token: &str, typ: &str, now: DateTime<Utc>) -> OrisResult<Claims> {
        let mut v = Validation::new(Algorithm::HS256);
        v.validate_exp = false;
        v.required_spec_claims.clear();
        let claims = jsonwebtoken::decode::<Claims>(token, &self.dec, &v)
            .map_err(|_| OrisError::new(Code::AccessTokenInvalid))?
            .claims;
        if claims.typ != typ {
            return Err(OrisError::new(Code::AccessTokenInvalid));
        }
        if claims.exp <= now.timestamp() {
            return Err(OrisError::new(Code::AccessTokenExpired));
        }
        Ok(claims)
    }
}
