//! Remitters (U1–U8): registered or resolved per identity across every
//! agency, their consents, and (with the remitter's consent) their
//! remittances and yearly limit across every agency.

use crate::caller::Caller;
use crate::error::{OrisError, OrisResult};
use crate::extract::{int_param, required_datetime, validation, Json, Paging, Path, Query};
use crate::remittances::{AgencyRef, RemittanceDetail};
use crate::wire::{datetime, opt_datetime, Page, PageInfo, Usd};
use crate::OrisState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::Router;
use chrono::NaiveDate;
use finhub_core::oris::consents::{HeldConsent, NewConsent};
use finhub_core::oris::reads::{Limits, ReportView, Window};
use finhub_core::oris::remit::{IdentityType, Remitter, UserType};
use finhub_core::oris::remitters::{NewRemitter, SecretString};
use finhub_core::oris::staff::{Permission, Scope};
use finhub_core::oris::Need;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

pub fn routes() -> Router<OrisState> {
    Router::new()
        .route("/api/oris/v1/users", post(register))
        .route("/api/oris/v1/users/{userId}", get(profile))
        .route("/api/oris/v1/users/{userId}/remittances", get(remittances))
        .route(
            "/api/oris/v1/users/{userId}/remittances/{businessMessageIdentifier}",
            get(remittance),
        )
        .route("/api/oris/v1/users/{userId}/limits", get(limits))
        .route(
            "/api/oris/v1/users/{userId}/consents",
            post(consent).get(consents),
        )
        .route(
            "/api/oris/v1/users/{userId}/consents/{consentId}",
            delete(withdraw),
        )
}

#[derive(OpenApi)]
#[openapi(
    paths(
        register,
        profile,
        remittances,
        remittance,
        limits,
        consent,
        consents,
        withdraw
    ),
    components(schemas(
        UserRequest,
        UserResponse,
        RemitterReportItem,
        RemitterReportPage,
        LatestEntry,
        LimitsResponse,
        ConsentRequest,
        ConsentResponse,
        ConsentItem,
        ConsentPage
    ))
)]
pub struct Doc;

/// Registering and reading a remitter, and its consents: USER_READ.
pub(crate) const READ_USER: Need = Need::of(Scope::Inquiry, Some(Permission::UserRead));
/// A remitter's remittances and year: REMITTANCE_READ.
pub(crate) const READ_REMITTANCES: Need =
    Need::of(Scope::Inquiry, Some(Permission::RemittanceRead));

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserRequest {
    /// 내국인 | 외국인
    pub user_type: String,
    pub user_name: String,
    /// ISO 3166 alpha-2, e.g. KR.
    pub user_country: String,
    /// RRN | PASSPORT | ALIEN_REG
    pub identity_type: String,
    /// Stored only as a keyed hash.
    #[schema(value_type = String)]
    pub identity_number: SecretString,
    /// yyyyMMdd
    pub birth_date: String,
    /// finhub extension: the CI of the world's person this remitter is, so
    /// that a bank agency's report can debit the person's account there.
    #[schema(value_type = Option<String>)]
    pub ci: Option<SecretString>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserResponse {
    pub user_id: String,
    pub user_name: String,
    pub user_type: &'static str,
    pub user_country: String,
    pub created_at: String,
}

impl From<Remitter> for UserResponse {
    fn from(r: Remitter) -> Self {
        UserResponse {
            user_id: r.user_id,
            user_name: r.user_name,
            user_type: r.user_type.as_str(),
            user_country: r.user_country,
            created_at: datetime(r.created_at),
        }
    }
}

impl UserRequest {
    fn parse(self) -> OrisResult<NewRemitter> {
        for (name, v) in [
            ("userType", &self.user_type),
            ("userName", &self.user_name),
            ("userCountry", &self.user_country),
            ("identityType", &self.identity_type),
            ("birthDate", &self.birth_date),
        ] {
            if v.trim().is_empty() {
                return Err(validation(&format!("{name} must not be blank")));
            }
        }
        let user_type = UserType::parse(&self.user_type)
            .ok_or_else(|| OrisError::invalid("userType must be 내국인 or 외국인"))?;
        let identity_type = IdentityType::parse(&self.identity_type)
            .ok_or_else(|| OrisError::invalid("identityType must be RRN, PASSPORT or ALIEN_REG"))?;
        let birth_date = (self.birth_date.len() == 8)
            .then(|| NaiveDate::parse_from_str(&self.birth_date, "%Y%m%d").ok())
            .flatten()
            .ok_or_else(|| OrisError::invalid("birthDate must be yyyyMMdd"))?;
        Ok(NewRemitter {
            user_type,
            user_name: self.user_name,
            user_country: self.user_country,
            identity_type,
            identity_number: self.identity_number,
            birth_date,
            ci: self.ci,
        })
    }
}

/// U1: register or resolve a remitter.
///
/// Resolved per (identityType, identityNumber) whichever agency registered
/// it: 201 the first time, 200 with the same userId after. The number is kept only as a keyed
/// hash. finhub extension: `ci` names the world's person (unknown → 400);
/// given for a remitter on record without one, it ties it (another
/// person's CI than the one tied → 400). A bank agency's R1 `withdrawal`
/// needs it.
#[utoipa::path(post, path = "/api/oris/v1/users", tag = "users", request_body = UserRequest,
    security(("bearer" = ["inquiry"])),
    responses((status = 201, body = UserResponse), (status = 200, body = UserResponse),
        (status = 400, description = "BAD_REQUEST (fields missing), INVALID_REQUEST"),
        (status = 403, description = "USER_NOT_ACTIVE")))]
pub async fn register(
    State(st): State<OrisState>,
    caller: Caller,
    Json(req): Json<UserRequest>,
) -> OrisResult<(StatusCode, axum::Json<UserResponse>)> {
    caller.need(&st, READ_USER).await?;
    let (r, new) = st.registry.register_remitter(req.parse()?).await?;
    let status = if new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, axum::Json(r.into())))
}

/// U2: the remitter's profile.
///
/// The shape of U1's answer. A profile is personal data: like U3-U5 it needs
/// the remitter's 개인정보제3자제공 consent recorded by the calling agency
/// (403 CONSENT_REQUIRED otherwise); U1's own answer carries the same fields.
#[utoipa::path(get, path = "/api/oris/v1/users/{userId}", tag = "users",
    params(("userId" = String, Path)), security(("bearer" = ["inquiry"])),
    responses((status = 200, body = UserResponse), (status = 403, description = "CONSENT_REQUIRED (개인정보제3자제공)"), (status = 404, description = "USER_NOT_FOUND")))]
pub async fn profile(
    State(st): State<OrisState>,
    caller: Caller,
    Path(user_id): Path<String>,
) -> OrisResult<axum::Json<UserResponse>> {
    caller.need(&st, READ_USER).await?;
    let agency = &caller.principal.agency;
    Ok(axum::Json(
        st.registry.remitter_profile(agency, &user_id).await?.into(),
    ))
}

/// U3's latest entry of a report.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LatestEntry {
    pub request_date: String,
    pub usd_exchange_amount: Usd,
    /// 신규, 정정 or 퇴결.
    pub status: &'static str,
    /// When the latest entry was reported.
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RemitterReportItem {
    pub business_message_identifier: String,
    pub agency: AgencyRef,
    pub remittance: LatestEntry,
}

impl From<ReportView> for RemitterReportItem {
    fn from(v: ReportView) -> Self {
        let r = v.remittance;
        RemitterReportItem {
            agency: AgencyRef::from(&v.agency),
            remittance: LatestEntry {
                request_date: datetime(r.request_date),
                usd_exchange_amount: Usd(r.usd_cents),
                status: r.status.as_str(),
                created_at: datetime(r.updated_at),
            },
            business_message_identifier: r.bmi,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RemitterReportPage {
    pub content: Vec<RemitterReportItem>,
    pub page: PageInfo,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WindowQuery {
    pub start_date_time: Option<String>,
    pub end_date_time: Option<String>,
    pub agency_id: Option<String>,
    pub user_id: Option<String>,
    pub status: Option<String>,
    pub page: Option<String>,
    pub size: Option<String>,
}

impl WindowQuery {
    /// The window, its paging, and the filters; `status` is R5's only.
    pub(crate) fn window(&self) -> OrisResult<(Window, Paging)> {
        let paging = Paging::parse(self.page.as_deref(), self.size.as_deref(), 100)?;
        let status = match self.status.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => Some(
                finhub_core::oris::remit::RemitStatus::parse(s)
                    .ok_or_else(|| OrisError::bad(crate::extract::INVALID_ARGUMENT))?,
            ),
            None => None,
        };
        let w = Window {
            from: required_datetime("startDateTime", self.start_date_time.as_deref())?,
            to: required_datetime("endDateTime", self.end_date_time.as_deref())?,
            agency_id: self.agency_id.clone().filter(|s| !s.is_empty()),
            user_id: self.user_id.clone().filter(|s| !s.is_empty()),
            status,
            offset: paging.offset(),
            limit: paging.size,
        };
        Ok((w, paging))
    }
}

/// U3: the remitter's remittances across every agency.
///
/// Those whose request date is in [startDateTime, endDateTime] (both required, one year at most),
/// newest first; `agencyId` narrows to one agency. Needs the remitter's
/// 개인정보제3자제공 consent to the term version in force, recorded by the
/// calling agency: one agency's recorded consent does not serve another
/// agency's reads (each agency records its own through U6).
#[utoipa::path(get, path = "/api/oris/v1/users/{userId}/remittances", tag = "users",
    params(("userId" = String, Path), ("startDateTime" = String, Query), ("endDateTime" = String, Query),
        ("agencyId" = Option<String>, Query), ("page" = Option<i32>, Query), ("size" = Option<i32>, Query)),
    security(("bearer" = ["inquiry"])),
    responses((status = 200, body = RemitterReportPage),
        (status = 400, description = "BAD_REQUEST (a date missing or unparsable), INVALID_REQUEST (span)"),
        (status = 403, description = "CONSENT_REQUIRED (missingConsentType 개인정보제3자제공)"),
        (status = 404, description = "USER_NOT_FOUND")))]
pub async fn remittances(
    State(st): State<OrisState>,
    caller: Caller,
    Path(user_id): Path<String>,
    Query(q): Query<WindowQuery>,
) -> OrisResult<axum::Json<Page<RemitterReportItem>>> {
    caller.need(&st, READ_REMITTANCES).await?;
    let (mut w, paging) = q.window()?;
    w.user_id = None;
    w.status = None;
    let (rows, total) = st
        .registry
        .remitter_reports(&caller.principal.agency, &user_id, w)
        .await?;
    Ok(axum::Json(Page {
        content: rows.into_iter().map(RemitterReportItem::from).collect(),
        page: PageInfo::new(paging, total),
    }))
}

/// U4: one of the remitter's remittances, with its history.
///
/// Whichever agency reported it; every history entry, oldest first. Consent as for U3.
#[utoipa::path(get, path = "/api/oris/v1/users/{userId}/remittances/{businessMessageIdentifier}",
    tag = "users",
    params(("userId" = String, Path), ("businessMessageIdentifier" = String, Path)),
    security(("bearer" = ["inquiry"])),
    responses((status = 200, body = RemittanceDetail),
        (status = 403, description = "CONSENT_REQUIRED (missingConsentType 개인정보제3자제공)"),
        (status = 404, description = "USER_NOT_FOUND, REMITTANCE_NOT_FOUND")))]
pub async fn remittance(
    State(st): State<OrisState>,
    caller: Caller,
    Path((user_id, bmi)): Path<(String, String)>,
) -> OrisResult<axum::Json<RemittanceDetail>> {
    caller.need(&st, READ_REMITTANCES).await?;
    let v = st
        .registry
        .remitter_report(&caller.principal.agency, &user_id, &bmi)
        .await?;
    Ok(axum::Json(v.into()))
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LimitsResponse {
    pub user_id: String,
    pub account_year: i32,
    pub annual_limit_usd_amount: Usd,
    pub used_usd_amount: Usd,
    pub remaining_usd_amount: Usd,
    /// Counted remittances (returned and documented ones count 0).
    pub remittance_count: i64,
    pub as_of: String,
    /// Banks only, once the limit is used: not enforced by the registry.
    pub per_transaction_cap_after_limit_usd: Usd,
}

impl From<Limits> for LimitsResponse {
    fn from(l: Limits) -> Self {
        LimitsResponse {
            user_id: l.user_id,
            account_year: l.account_year,
            annual_limit_usd_amount: Usd(l.annual_limit_cents),
            used_usd_amount: Usd(l.used.cents),
            remaining_usd_amount: Usd(l.remaining_cents),
            remittance_count: l.used.count,
            as_of: datetime(l.as_of),
            per_transaction_cap_after_limit_usd: Usd(l.cap_after_limit_cents),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LimitsQuery {
    pub year: Option<String>,
    pub account_year: Option<String>,
}

/// U5: the remitter's yearly limit, used and remaining.
///
/// Summed across every agency: the latest amount of each report, 0 once returned or documented (evidenceSubmitted).
/// `year` (or `accountYear`) defaults to the current KST year of the
/// world clock. Consent as for U3.
#[utoipa::path(get, path = "/api/oris/v1/users/{userId}/limits", tag = "users",
    params(("userId" = String, Path), ("year" = Option<i32>, Query)),
    security(("bearer" = ["inquiry"])),
    responses((status = 200, body = LimitsResponse),
        (status = 403, description = "CONSENT_REQUIRED (missingConsentType 개인정보제3자제공)"),
        (status = 404, description = "USER_NOT_FOUND")))]
pub async fn limits(
    State(st): State<OrisState>,
    caller: Caller,
    Path(user_id): Path<String>,
    Query(q): Query<LimitsQuery>,
) -> OrisResult<axum::Json<LimitsResponse>> {
    caller.need(&st, READ_REMITTANCES).await?;
    let raw = q.year.as_deref().or(q.account_year.as_deref());
    let year = match int_param("year", raw)? {
        Some(y) => Some(
            i32::try_from(y)
                .ok()
                .filter(|y| (1900..=9999).contains(y))
                .ok_or_else(|| OrisError::invalid("year must be a calendar year"))?,
        ),
        None => None,
    };
    let l = st
        .registry
        .limits(&caller.principal.agency, &user_id, year)
        .await?;
    Ok(axum::Json(l.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConsentRequest {
    pub term_id: String,
    /// FACE_TO_FACE_ID, ID_COPY_REMOTE, MOBILE_PHONE, I_PIN, DIGITAL_CERT,
    /// CREDIT_CARD, ONEPASS, MOBILE_ID, SIMPLE_SNS, VIDEO_ID, BIOMETRIC, OTHER
    pub identity_verification_method: String,
    pub consenter_name: Option<String>,
    pub additional_info: Option<String>,
    /// Required for the 개인정보제3자제공 consent.
    pub is_under_fourteen: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConsentResponse {
    pub consent_id: String,
    pub term_type_name: &'static str,
    pub consent_at: String,
    pub is_under_fourteen: bool,
}

/// U6: record the remitter's consent.
///
/// As the calling agency took it: 201 the first time, 200 with the same consent for the same term again. The
/// consent serves this agency's U3/U4/U5 only, while its term is the one
/// in force.
#[utoipa::path(post, path = "/api/oris/v1/users/{userId}/consents", tag = "users",
    params(("userId" = String, Path)), request_body = ConsentRequest,
    security(("bearer" = ["inquiry"])),
    responses((status = 201, body = ConsentResponse), (status = 200, body = ConsentResponse),
        (status = 400, description = "INVALID_REQUEST (isUnderFourteen missing, term not in force, method)"),
        (status = 404, description = "USER_NOT_FOUND, TERM_NOT_FOUND"),
        (status = 409, description = "CONSENT_NOT_MATCH (a term of the staff pledge)")))]
pub async fn consent(
    State(st): State<OrisState>,
    caller: Caller,
    Path(user_id): Path<String>,
    Json(req): Json<ConsentRequest>,
) -> OrisResult<(StatusCode, axum::Json<ConsentResponse>)> {
    caller.need(&st, READ_USER).await?;
    if req.term_id.trim().is_empty() || req.identity_verification_method.trim().is_empty() {
        return Err(validation(
            "termId and identityVerificationMethod must not be blank",
        ));
    }
    let n = NewConsent {
        term_id: req.term_id,
        identity_verification_method: req.identity_verification_method,
        consenter_name: req.consenter_name,
        additional_info: req.additional_info,
        is_under_fourteen: req.is_under_fourteen,
    };
    let (held, new) = st
        .registry
        .give_consent(&caller.principal.agency, &user_id, n)
        .await?;
    let status = if new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        axum::Json(ConsentResponse {
            consent_id: held.consent.consent_id,
            term_type_name: held.term_type.name(),
            consent_at: datetime(held.consent.consent_at),
            is_under_fourteen: held.consent.is_under_fourteen.unwrap_or(false),
        }),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConsentItem {
    pub consent_id: String,
    pub term_id: String,
    pub term_type_name: &'static str,
    pub consent_at: String,
    pub is_under_fourteen: bool,
    pub withdrawn_at: Option<String>,
}

impl From<HeldConsent> for ConsentItem {
    fn from(h: HeldConsent) -> Self {
        let c = h.consent;
        ConsentItem {
            consent_id: c.consent_id,
            term_id: c.term_id,
            term_type_name: h.term_type.name(),
            consent_at: datetime(c.consent_at),
            is_under_fourteen: c.is_under_fourteen.unwrap_or(false),
            withdrawn_at: opt_datetime(c.withdrawn_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentPage {
    pub content: Vec<ConsentItem>,
    pub page: PageInfo,
}

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    pub page: Option<String>,
    pub size: Option<String>,
}

/// U7: the remitter's consents.
///
/// Those recorded by the calling agency (withdrawn ones with
/// `withdrawnAt`), oldest first.
#[utoipa::path(get, path = "/api/oris/v1/users/{userId}/consents", tag = "users",
    params(("userId" = String, Path), ("page" = Option<i32>, Query), ("size" = Option<i32>, Query)),
    security(("bearer" = ["inquiry"])),
    responses((status = 200, body = ConsentPage), (status = 404, description = "USER_NOT_FOUND")))]
pub async fn consents(
    State(st): State<OrisState>,
    caller: Caller,
    Path(user_id): Path<String>,
    Query(q): Query<PageQuery>,
) -> OrisResult<axum::Json<Page<ConsentItem>>> {
    caller.need(&st, READ_USER).await?;
    let paging = Paging::parse(q.page.as_deref(), q.size.as_deref(), 100)?;
    let all = st
        .registry
        .consents(&caller.principal.agency, &user_id)
        .await?;
    let total = all.len() as u64;
    let content = all
        .into_iter()
        .skip(paging.offset() as usize)
        .take(paging.size as usize)
        .map(ConsentItem::from)
        .collect();
    Ok(axum::Json(Page {
        content,
        page: PageInfo::new(paging, total),
    }))
}

/// U8: withdraw a consent.
///
/// 204, and 204 again for a withdrawn one. Another remitter's consent is
/// CONSENT_NOT_MATCH; another agency's is CONSENT_NOT_FOUND.
#[utoipa::path(delete, path = "/api/oris/v1/users/{userId}/consents/{consentId}", tag = "users",
    params(("userId" = String, Path), ("consentId" = String, Path)),
    security(("bearer" = ["inquiry"])),
    responses((status = 204), (status = 404, description = "USER_NOT_FOUND, CONSENT_NOT_FOUND"),
        (status = 409, description = "CONSENT_NOT_MATCH")))]
pub async fn withdraw(
    State(st): State<OrisState>,
    caller: Caller,
    Path((user_id, consent_id)): Path<(String, String)>,
) -> OrisResult<StatusCode> {
    caller.need(&st, READ_USER).await?;
    st.registry
        .withdraw_consent(&caller.principal.agency, &user_id, &consent_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
