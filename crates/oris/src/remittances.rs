//! Remittance reports (R1–R5): an agency reports a new remittance (신규),
//! corrects it (정정) or reports its return (퇴결), and reads its own
//! reports. R1–R3 are one-row calls of the registry's bulk apply.

use crate::caller::Caller;
use crate::error::{OrisError, OrisResult};
use crate::extract::{validation, Json, Path};
use crate::wire::{datetime, parse_datetime, Usd};
use crate::OrisState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{post, put};
use axum::Router;
use chrono::{DateTime, Utc};
use finhub_core::oris::reports::{
    Applied, Correction, NewReport, ReportRow, ReturnReport, Withdrawal,
};
use finhub_core::oris::staff::{Permission, Scope};
use finhub_core::oris::Need;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

pub fn routes() -> Router<OrisState> {
    Router::new()
        .route("/api/oris/v1/remittances", post(report_new))
        .route(
            "/api/oris/v1/remittances/{businessMessageIdentifier}",
            put(correct),
        )
        .route(
            "/api/oris/v1/remittances/{businessMessageIdentifier}/return",
            post(report_return),
        )
}

#[derive(OpenApi)]
#[openapi(
    paths(report_new, correct, report_return),
    components(schemas(
        RemittanceRequest,
        WithdrawalRequest,
        CorrectionRequest,
        ReturnRequest,
        ReportResponse
    ))
)]
pub struct Doc;

const REPORT: Need = Need::of(Scope::Report, Some(Permission::RemittanceReport));

/// A ledger movement tied to a bank agency's report (a finhub extension).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WithdrawalRequest {
    /// The remitter's account at the reporting bank.
    pub account_number: String,
    /// KRW per USD, at most four decimals (`1385.2`).
    #[schema(value_type = f64)]
    pub krw_exchange_rate: serde_json::Number,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RemittanceRequest {
    /// yyyyMMdd + the caller's agency code + 9 digits.
    pub business_message_identifier: String,
    pub user_id: String,
    /// When the money was sent (its KST year is the account year).
    pub request_date: String,
    /// USD converted amount, > 0, at most two decimals.
    #[schema(value_type = f64)]
    pub usd_exchange_amount: serde_json::Number,
    pub currency: Option<String>,
    #[schema(value_type = Option<f64>)]
    pub amount: Option<serde_json::Number>,
    /// True: a documented remittance, kept but not counted in the limit.
    pub evidence_submitted: Option<bool>,
    pub receiver_country: Option<String>,
    pub withdrawal: Option<WithdrawalRequest>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CorrectionRequest {
    pub user_id: Option<String>,
    pub request_date: String,
    #[schema(value_type = f64)]
    pub usd_exchange_amount: serde_json::Number,
    pub currency: Option<String>,
    #[schema(value_type = Option<f64>)]
    pub amount: Option<serde_json::Number>,
    pub evidence_submitted: Option<bool>,
    pub receiver_country: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReturnRequest {
    pub return_date: String,
    /// At most 200 characters.
    pub reason: Option<String>,
}

/// What a report answers: the report's state and the remitter's year.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReportResponse {
    pub business_message_identifier: String,
    /// 신규, 정정 or 퇴결.
    pub status: &'static str,
    pub account_year: i32,
    pub used_usd_amount: Usd,
    pub remaining_usd_amount: Usd,
    pub limit_exceeded: bool,
    pub created_at: String,
}

impl From<Applied> for ReportResponse {
    fn from(a: Applied) -> Self {
        ReportResponse {
            business_message_identifier: a.bmi,
            status: a.status.as_str(),
            account_year: a.account_year,
            used_usd_amount: Usd(a.used.cents),
            remaining_usd_amount: Usd(a.remaining_cents),
            limit_exceeded: a.limit_exceeded,
            created_at: datetime(a.created_at),
        }
    }
}

fn required(name: &str, v: String) -> OrisResult<String> {
    if v.trim().is_empty() {
        return Err(validation(&format!("{name} must not be blank")));
    }
    Ok(v)
}

fn date_field(name: &str, v: &str) -> OrisResult<DateTime<Utc>> {
    parse_datetime(v).ok_or_else(|| {
        OrisError::invalid(format!(
            "{name} must be an ISO-8601 date-time with an offset"
        ))
    })
}

fn decimal(n: &serde_json::Number) -> Option<Decimal> {
    let s = n.to_string();
    Decimal::from_str_exact(&s)
        .or_else(|_| Decimal::from_scientific(&s))
        .ok()
}

/// USD cents from a JSON number: two decimals at most.
fn usd(n: &serde_json::Number) -> OrisResult<i64> {
    decimal(n)
        .and_then(Usd::from_decimal)
        .map(|u| u.0)
        .ok_or_else(|| {
            OrisError::invalid("usdExchangeAmount must be a number with at most two decimals")
        })
}

fn original(n: Option<&serde_json::Number>) -> OrisResult<Option<String>> {
    n.map(|n| {
        decimal(n)
            .map(|d| d.normalize().to_string())
            .ok_or_else(|| OrisError::invalid("amount must be a decimal number"))
    })
    .transpose()
}

fn withdrawal(w: Option<WithdrawalRequest>) -> OrisResult<Option<Withdrawal>> {
    w.map(|w| {
        let rate = decimal(&w.krw_exchange_rate)
            .and_then(|d| d.checked_mul(Decimal::from(10_000)))
            .filter(|d| d.fract().is_zero() && d.is_sign_positive() && !d.is_zero())
            .and_then(|d| i64::try_from(d).ok())
            .ok_or_else(|| {
                OrisError::invalid("withdrawal.krwExchangeRate must be > 0, four decimals at most")
            })?;
        Ok(Withdrawal {
            account_number: required("withdrawal.accountNumber", w.account_number)?,
            krw_rate_e4: rate,
        })
    })
    .transpose()
}

impl RemittanceRequest {
    fn into_row(self) -> OrisResult<ReportRow> {
        Ok(ReportRow::New(NewReport {
            request_date: date_field("requestDate", &self.request_date)?,
            usd_cents: usd(&self.usd_exchange_amount)?,
            amount: original(self.amount.as_ref())?,
            withdrawal: withdrawal(self.withdrawal)?,
            bmi: required(
                "businessMessageIdentifier",
                self.business_message_identifier,
            )?,
            user_id: required("userId", self.user_id)?,
            currency: self.currency,
            evidence_submitted: self.evidence_submitted.unwrap_or(false),
            receiver_country: self.receiver_country,
        }))
    }
}

/// R1: report a new remittance (신규). It is recorded even over the yearly
/// limit, with `limitExceeded: true`; refusing the customer is the
/// agency's part. `evidenceSubmitted: true` keeps it without counting it.
/// finhub extension: a bank agency (made with a world `org_code`) may add
/// `withdrawal {accountNumber, krwExchangeRate}`: the remitter's account at
/// that bank (the remitter registered with a `ci`) is debited the KRW worth
/// to the bank's settlement account, once per businessMessageIdentifier; a
/// refused debit refuses the report (INVALID_REQUEST naming why).
#[utoipa::path(post, path = "/api/oris/v1/remittances", tag = "remittances",
    request_body = RemittanceRequest, security(("bearer" = ["report"])),
    responses((status = 201, body = ReportResponse),
        (status = 400, description = "BAD_REQUEST (fields missing), INVALID_REQUEST"),
        (status = 403, description = "AGENCY_NOT_MATCH, USER_NOT_ACTIVE, MEMBER_ACCESS_DENIED"),
        (status = 404, description = "USER_NOT_FOUND"),
        (status = 409, description = "REMITTANCE_ALREADY_EXISTS")))]
pub async fn report_new(
    State(st): State<OrisState>,
    caller: Caller,
    Json(req): Json<RemittanceRequest>,
) -> OrisResult<(StatusCode, axum::Json<ReportResponse>)> {
    caller.need(&st, REPORT).await?;
    let row = req.into_row()?;
    let a = st.registry.report(&caller.principal.agency, row).await?;
    Ok((StatusCode::CREATED, axum::Json(a.into())))
}

/// R2: correct a report (정정): a new history entry with the corrected
/// request date and amount. Only the reporting agency may; the account
/// year may not change; a returned report cannot be corrected.
#[utoipa::path(put, path = "/api/oris/v1/remittances/{businessMessageIdentifier}",
    tag = "remittances", request_body = CorrectionRequest,
    params(("businessMessageIdentifier" = String, Path)), security(("bearer" = ["report"])),
    responses((status = 200, body = ReportResponse),
        (status = 403, description = "AGENCY_NOT_MATCH"),
        (status = 404, description = "REMITTANCE_NOT_FOUND"),
        (status = 409, description = "REMITTANCE_ALREADY_CANCELED, REMITTANCE_ACCOUNT_YEAR_MISMATCH")))]
pub async fn correct(
    State(st): State<OrisState>,
    caller: Caller,
    Path(bmi): Path<String>,
    Json(req): Json<CorrectionRequest>,
) -> OrisResult<axum::Json<ReportResponse>> {
    caller.need(&st, REPORT).await?;
    let row = ReportRow::Correct(Correction {
        bmi,
        request_date: date_field("requestDate", &req.request_date)?,
        usd_cents: usd(&req.usd_exchange_amount)?,
        amount: original(req.amount.as_ref())?,
        user_id: req.user_id,
        currency: req.currency,
        evidence_submitted: req.evidence_submitted,
        receiver_country: req.receiver_country,
    });
    let a = st.registry.report(&caller.principal.agency, row).await?;
    Ok(axum::Json(a.into()))
}

/// R3: report the remittance's return (퇴결). It counts 0 after; a second
/// return, or a correction after it, is REMITTANCE_ALREADY_CANCELED.
#[utoipa::path(post, path = "/api/oris/v1/remittances/{businessMessageIdentifier}/return",
    tag = "remittances", request_body = ReturnRequest,
    params(("businessMessageIdentifier" = String, Path)), security(("bearer" = ["report"])),
    responses((status = 200, body = ReportResponse),
        (status = 403, description = "AGENCY_NOT_MATCH"),
        (status = 404, description = "REMITTANCE_NOT_FOUND"),
        (status = 409, description = "REMITTANCE_ALREADY_CANCELED")))]
pub async fn report_return(
    State(st): State<OrisState>,
    caller: Caller,
    Path(bmi): Path<String>,
    Json(req): Json<ReturnRequest>,
) -> OrisResult<axum::Json<ReportResponse>> {
    caller.need(&st, REPORT).await?;
    let row = ReportRow::Return(ReturnReport {
        bmi,
        return_date: date_field("returnDate", &req.return_date)?,
        reason: req.reason,
    });
    let a = st.registry.report(&caller.principal.agency, row).await?;
    Ok(axum::Json(a.into()))
}
