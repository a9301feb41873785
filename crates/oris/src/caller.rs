//! The caller of a registry API: the bearer token checked (signature, kind,
//! expiry by the world clock), its session alive, and the agency, member and
//! group behind it loaded fresh. A handler then states what it needs.

use crate::codes::Code;
use crate::error::{OrisError, OrisResult};
use crate::token::{Claims, ACCESS};
use crate::OrisState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use finhub_core::oris::{Need, Principal};
use finhub_http::BearerToken;

pub struct Caller {
    pub claims: Claims,
    pub principal: Principal,
}

impl FromRequestParts<OrisState> for Caller {
    type Rejection = OrisError;

    async fn from_request_parts(parts: &mut Parts, st: &OrisState) -> OrisResult<Caller> {
        let token = BearerToken::from_headers(&parts.headers)
            .map_err(|_| OrisError::new(Code::AccessTokenRequired))?;
        let signer = st.signer().await?;
        let claims = signer.verify(token.as_str(), ACCESS, st.registry.now())?;
        let principal = st.registry.principal(&claims.sid).await?;
        Ok(Caller { claims, principal })
    }
}

impl Caller {
    /// Refuse unless the caller has what the call needs.
    pub async fn need(&self, st: &OrisState, need: Need) -> OrisResult<()> {
        Ok(st.registry.authorize(&self.principal, need).await?)
    }

    /// The signed-in member's id; an API key's token is `MEMBER_ACCESS_DENIED`
    /// where only a person may act.
    pub fn member_id(&self) -> OrisResult<&str> {
        self.principal
            .member_id()
            .ok_or_else(|| OrisError::new(Code::MemberAccessDenied))
    }

    pub fn agency_id(&self) -> &str {
        &self.principal.agency.agency_id
    }
}
