//! Who calls, and the gates every endpoint runs in OBP's order: login
//! (DirectLogin token or an OAuth bearer token of the `obp` profile), the
//! bank of BANK_ID, and the roles of the endpoint (any one of them).

use crate::codes;
use crate::error::{ObpError, ObpResult};
use crate::ObpState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use finhub_core::institution::Institution;
use finhub_core::oauth::Profile;
use finhub_core::obp::roles::{self, RoleScope};
use finhub_core::obp::users::{Entitlement, User};
use finhub_core::obp::Obp;

/// A logged-in caller: the extractor refuses with OBP-20001 (nothing
/// presented) or OBP-20003 (a DirectLogin token that is unknown or expired).
pub struct Login {
    pub user: User,
}

/// The parameters of a DirectLogin header: `DirectLogin: …` or
/// `Authorization: DirectLogin …`. None when neither header speaks
/// DirectLogin.
pub fn direct_login_value(headers: &HeaderMap) -> Option<String> {
    if let Some(v) = headers.get("directlogin") {
        return Some(v.to_str().ok()?.to_owned());
    }
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = v.trim().split_once(' ').unwrap_or((v, ""));
    scheme
        .eq_ignore_ascii_case("directlogin")
        .then(|| rest.to_owned())
}

/// `key=value` pairs, values quoted or not, spaces optional; None when a
/// part has no `=` (OBP-20012).
pub fn parse_params(value: &str) -> Option<Vec<(String, String)>> {
    let parts = value.split(',').map(str::trim).filter(|p| !p.is_empty());
    parts
        .map(|p| {
            let (k, v) = p.split_once('=')?;
            let v = v.trim();
            let v = v
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(v);
            Some((k.trim().to_owned(), v.to_owned()))
        })
        .collect()
}

/// The pairs of a DirectLogin header, malformed parts dropped.
pub fn direct_login_params(headers: &HeaderMap) -> Option<Vec<(String, String)>> {
    let value = direct_login_value(headers)?;
    Some(parse_params(&value).unwrap_or_default())
}

pub fn param<'a>(params: &'a [(String, String)], key: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

impl FromRequestParts<ObpState> for Login {
    type Rejection = ObpError;

    async fn from_request_parts(parts: &mut Parts, s: &ObpState) -> ObpResult<Login> {
        if let Some(params) = direct_login_params(&parts.headers) {
            let token =
                param(&params, "token").ok_or_else(|| ObpError::new(codes::NOT_LOGGED_IN))?;
            let user = s.obp.token_user(token).await?;
            return user
                .map(|user| Login { user })
                .ok_or_else(|| ObpError::new(codes::DIRECT_LOGIN_TOKEN));
        }
        match finhub_http::BearerToken::from_headers(&parts.headers) {
            Ok(t) => bearer(s, &t.0).await,
            Err(_) => Err(ObpError::new(codes::NOT_LOGGED_IN)),
        }
    }
}

/// A bearer token of the shared OAuth server, `obp` profile: the user that
/// stands for its person (or its client, for client credentials).
async fn bearer(s: &ObpState, token: &str) -> ObpResult<Login> {
    let refused =
        |why: &str| ObpError::new(codes::NOT_LOGGED_IN).more(format!(" The bearer token {why}."));
    let claims = s
        .oauth
        .verify_access(token)
        .map_err(|e| refused(&format!("is refused: {e}")))?;
    if claims.profile != Profile::Obp {
        return Err(refused("is not of an obp client"));
    }
    let subject = claims.sub.unwrap_or(claims.client_id);
    Ok(Login {
        user: s.obp.oauth_user(&subject).await?,
    })
}

impl ObpState {
    /// BANK: OBP-30001 unless BANK_ID is a bank's 3-digit code.
    pub async fn bank(&self, bank_id: &str) -> ObpResult<Institution> {
        let bank = (self.obp.world.repo.institution_by_bank_code(bank_id).await)
            .map_err(ObpError::from)?;
        bank.ok_or_else(|| ObpError::bank_not_found(bank_id))
    }

    /// ROLE: the user holds one of `any_of` (bank roles at `bank_id`, system
    /// roles at `""`), else OBP-20006 naming every one of them.
    pub async fn require(
        &self,
        user: &User,
        bank_id: &str,
        any_of: &[&str],
    ) -> ObpResult<Vec<Entitlement>> {
        let held = self.obp.entitlements(&user.user_id).await?;
        if any_of.iter().any(|r| Obp::holds(&held, r, bank_id)) {
            return Ok(held);
        }
        Err(missing_roles(any_of, bank_id))
    }
}

/// `OBP-20006: User is missing one or more roles: A or B for BankId(X).`,
/// the suffix only when one of them is a bank role.
pub fn missing_roles(any_of: &[&str], bank_id: &str) -> ObpError {
    let banked = any_of
        .iter()
        .any(|r| roles::scope(r) == Some(RoleScope::Bank));
    let suffix = if banked {
        format!(" for BankId({bank_id}).")
    } else {
        String::new()
    };
    ObpError::new(codes::MISSING_ROLES).more(format!("{}{suffix}", any_of.join(" or ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(name: &str, value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
        h
    }

    #[test]
    fn every_header_style_gives_the_same_parameters() {
        for (name, value) in [
            (
                "DirectLogin",
                r#"username="u", password="p", consumer_key="k""#,
            ),
            ("DirectLogin", "username=u,password=p,consumer_key=k"),
            (
                "DirectLogin",
                r#"username="u",password="p",consumer_key="k""#,
            ),
            (
                "Authorization",
                r#"DirectLogin username="u", password="p", consumer_key="k""#,
            ),
        ] {
            let p = direct_login_params(&headers(name, value)).unwrap();
            assert_eq!(param(&p, "username"), Some("u"), "{value}");
            assert_eq!(param(&p, "password"), Some("p"), "{value}");
            assert_eq!(param(&p, "consumer_key"), Some("k"), "{value}");
        }
        let p = direct_login_params(&headers("Authorization", r#"DirectLogin token="T""#)).unwrap();
        assert_eq!(param(&p, "token"), Some("T"));
        assert!(direct_login_params(&headers("Authorization", "Bearer x")).is_none());
    }

    #[test]
    fn the_role_message_names_every_role() {
        let e = missing_roles(&["CanCreateCustomer", "CanCreateCustomerAtAnyBank"], "004");
        assert_eq!(e.status.as_u16(), 403);
        assert_eq!(
            e.message,
            "OBP-20006: User is missing one or more roles: CanCreateCustomer or CanCreateCustomerAtAnyBank for BankId(004)."
        );
        let e = missing_roles(&["CanGetAnyKycMedia"], "004");
        assert!(e.message.ends_with("roles: CanGetAnyKycMedia"));
    }
}
