//! The face's extractors. Bodies and queries that do not parse are 40001;
//! `Caller` checks, in this order, the headers (40002), the bearer token and
//! its consent (40101, 40106) and the institution's availability (50005).
//! Scope, org code and asset checks follow in the handler through
//! `Caller::require`, `Caller::org` and `Caller::asset`.

use crate::assets::asset_id;
use crate::codes::Rsp;
use crate::error::{MResult, MydataError};
use crate::params::{ApiType, TranId};
use crate::scopes::MANAGE;
use crate::MydataState;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use chrono::NaiveDate;
use finhub_core::account::{Account, AccountKind, AccountStatus};
use finhub_core::consent::Consent;
use finhub_core::oauth::Profile;
use finhub_http::BearerToken;
use finhub_oauth::{AccessClaims, TokenError};
use serde::de::DeserializeOwned;

/// A JSON body; any rejection is 40001.
pub struct MJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for MJson<T> {
    type Rejection = MydataError;
    async fn from_request(req: Request, state: &S) -> MResult<Self> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(MJson(v)),
            Err(e) => Err(MydataError::param(e.body_text())),
        }
    }
}

/// A query string; any rejection is 40001.
pub struct MQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for MQuery<T> {
    type Rejection = MydataError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> MResult<Self> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(MQuery(v)),
            Err(e) => Err(MydataError::param(e.body_text())),
        }
    }
}

/// `x-api-tran-id` (required) and `x-api-type` (optional), checked.
pub struct Headers {
    pub tran_id: TranId,
    pub api_type: ApiType,
}

impl Headers {
    pub fn parse(h: &HeaderMap) -> MResult<Headers> {
        let text = |name: &str| h.get(name).map(|v| v.to_str().unwrap_or("\u{0}"));
        let tran_id = text("x-api-tran-id")
            .ok_or_else(|| MydataError::detail(Rsp::BadHeader, "x-api-tran-id 누락"))?;
        Ok(Headers {
            tran_id: TranId::parse(tran_id)?,
            api_type: ApiType::parse(text("x-api-type"))?,
        })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Headers {
    type Rejection = MydataError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> MResult<Self> {
        Headers::parse(&parts.headers)
    }
}

/// A valid mydata token's claims, whatever it is for (support tokens too).
pub fn claims_of(state: &MydataState, h: &HeaderMap) -> MResult<AccessClaims> {
    let token = BearerToken::from_headers(h)
        .map_err(|_| MydataError::detail(Rsp::BadToken, "Authorization: Bearer 누락"))?;
    let claims = state.oauth.verify_access(token.as_str()).map_err(|e| {
        let why = match e {
            TokenError::Expired => "만료",
            TokenError::Revoked => "폐기",
            TokenError::Missing | TokenError::Invalid => "형식 또는 서명 오류",
        };
        MydataError::detail(Rsp::BadToken, why)
    })?;
    if claims.profile != Profile::Mydata {
        return Err(MydataError::detail(Rsp::BadToken, "마이데이터 토큰 아님"));
    }
    Ok(claims)
}

/// A caller of the support APIs (`/v1/mgmts/...`): the headers (40002) and a
/// valid mydata token (40101) whose scope has `manage` (a service token: 40104).
pub struct Manager {
    pub claims: AccessClaims,
    pub headers: Headers,
}

impl FromRequestParts<MydataState> for Manager {
    type Rejection = MydataError;
    async fn from_request_parts(parts: &mut Parts, state: &MydataState) -> MResult<Self> {
        let headers = Headers::parse(&parts.headers)?;
        let claims = claims_of(state, &parts.headers)?;
        if !claims.has_scope(MANAGE) {
            return Err(MydataError::detail(Rsp::ApiNotAllowed, MANAGE));
        }
        Ok(Manager { claims, headers })
    }
}

/// The operator calling an information API for one person at one
/// institution: the token, the consent it carries, the headers.
pub struct Caller {
    pub claims: AccessClaims,
    pub consent: Consent,
    pub headers: Headers,
    /// Today in KST, by the world's clock.
    pub today: NaiveDate,
}

impl FromRequestParts<MydataState> for Caller {
    type Rejection = MydataError;
    async fn from_request_parts(parts: &mut Parts, state: &MydataState) -> MResult<Self> {
        let headers = Headers::parse(&parts.headers)?;
        let claims = claims_of(state, &parts.headers)?;
        let Some(family) = claims.fam.as_deref() else {
            // A support (manage) token: valid, but not for information APIs.
            return Err(MydataError::new(Rsp::ApiNotAllowed));
        };
        let consent = state
            .repo
            .consent(family)
            .await?
            .filter(|c| c.revoked_at.is_none())
            .ok_or_else(|| MydataError::detail(Rsp::BadToken, "전송요구 없음"))?;
        let today = state.world.clock.now_kst().date_naive();
        if !consent.in_force(today) {
            return Err(MydataError::new(Rsp::ConsentEnded));
        }
        let inst = state.world.institution(&consent.sender_org).await?;
        if !inst.status.is_available() {
            return Err(MydataError::new(Rsp::Unavailable));
        }
        Ok(Caller {
            claims,
            consent,
            headers,
            today,
        })
    }
}

impl Caller {
    /// 40104 unless the consent grants `scope`.
    pub fn require(&self, scope: &str) -> MResult<()> {
        if self.consent.grants(scope) && self.claims.has_scope(scope) {
            Ok(())
        } else {
            Err(MydataError::detail(Rsp::ApiNotAllowed, scope))
        }
    }

    /// The request's `org_code`: required, and the token's institution (40303).
    pub fn org(&self, org_code: Option<&str>) -> MResult<&str> {
        match org_code {
            None | Some("") => Err(MydataError::param("org_code 누락")),
            Some(o) if o == self.consent.sender_org => Ok(&self.consent.sender_org),
            Some(_) => Err(MydataError::new(Rsp::WrongOrg)),
        }
    }

    pub fn person(&self) -> &str {
        &self.consent.person_id
    }

    /// The person's accounts at the token's institution of the given kinds,
    /// open or closed, in opening order.
    pub async fn holdings(
        &self,
        state: &MydataState,
        kinds: &[AccountKind],
    ) -> MResult<Vec<Account>> {
        let mut all = state.world.repo.accounts_of_person(self.person()).await?;
        all.retain(|a| a.org_code == self.consent.sender_org && kinds.contains(&a.kind));
        all.sort_by(|a, b| (a.opened_at, &a.account_id).cmp(&(b.opened_at, &b.account_id)));
        Ok(all)
    }

    /// The asset a request names, among the person's holdings of `kinds`:
    /// unknown or someone else's 40402, not in the consent 40105, closed 40305.
    pub async fn asset(
        &self,
        state: &MydataState,
        kinds: &[AccountKind],
        asset: Option<&str>,
    ) -> MResult<Account> {
        let asset = asset
            .filter(|a| !a.is_empty())
            .ok_or_else(|| MydataError::param("자산 식별자 누락"))?;
        let held = self.holdings(state, kinds).await?;
        let acct = held
            .into_iter()
            .find(|a| asset_id(a) == asset)
            .ok_or_else(|| MydataError::new(Rsp::NoAsset))?;
        if !self.consent.holds(&acct.account_id) {
            return Err(MydataError::new(Rsp::NotConsented));
        }
        if acct.status == AccountStatus::Closed {
            return Err(MydataError::new(Rsp::AssetUnusable));
        }
        Ok(acct)
    }
}
