//! Charging and paying (R1–R6, P2, P3): one-time tokens, charges from the
//! registered bank account, their cancels and results, system recharges,
//! the card history, and no-HCE payments and their cancels. The money
//! rules are core's (`finhub_core::konaplate::charging`).

use crate::error::KonaResult;
use crate::extract::{Checked, Ctx, Fields};
use crate::wire::{dt14, Out};
use crate::{at, KonaState};
use axum::extract::State;
use axum::routing::post;
use axum::Router;
use chrono::NaiveDate;
use finhub_core::konaplate::charging::{
    CardTxn, ChargeCancel, ChargeRequest, HistoryQuery, Move, PayCancel, PayRequest, SystemRecharge,
};
use finhub_core::konaplate::ids::{MerchantId, Par};
use finhub_core::konaplate::Refusal;
use serde::Serialize;
use utoipa::ToSchema;

pub fn routes() -> Router<KonaState> {
    Router::new()
        .route(at("R1"), post(one_time_token))
        .route(at("R2"), post(charge))
        .route(at("R3"), post(charge_cancel))
        .route(at("R4"), post(charge_result))
        .route(at("R5"), post(system_recharge))
        .route(at("R6"), post(history))
        .route(at("P2"), post(pay))
        .route(at("P3"), post(pay_cancel))
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        one_time_token,
        charge,
        charge_cancel,
        charge_result,
        system_recharge,
        history,
        pay,
        pay_cancel
    ),
    components(schemas(
        TokenRequest,
        ChargeBody,
        CancelBody,
        ResultBody,
        SystemBody,
        HistoryBody,
        PageRequest,
        PayBody,
        PayCancelBody,
        OneTimeToken,
        Charged,
        ChargeResult,
        SystemRecharged,
        HistoryPage,
        PageResponse,
        TransactionInfo,
        Paid,
        PayCancelled
    ))
)]
pub struct Doc;

/// R1.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct TokenRequest {
    /// 16 digits, mobile or physical.
    pub card_no: String,
    /// Absent: 30 s; `ATM` or `CREDIT`: 5 min.
    pub r#type: Option<String>,
}

/// R2.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct ChargeBody {
    /// 1..30, unique per project.
    pub sequence_id: String,
    pub user_id: u64,
    pub amount: u64,
    pub one_time_token: String,
    pub dcvv: String,
    pub merchant_id: String,
}

/// R3.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct CancelBody {
    pub sequence_id: String,
    pub user_id: u64,
    /// The charge's.
    pub nr_number: String,
    pub one_time_token: String,
    pub dcvv: Option<String>,
    pub card_expiry: Option<String>,
}

/// R4.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct ResultBody {
    pub sequence_id: String,
}

/// R5: an operator's recharge from the platform's own account.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct SystemBody {
    pub sequence_id: String,
    pub user_id: u64,
    pub par: String,
    pub amount: u64,
}

#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct PageRequest {
    /// 0-based.
    pub page: Option<u64>,
    /// 1..100 (20 when absent).
    pub page_size: Option<u64>,
    pub sort: Option<String>,
    /// `DESC` (default) or `ASC`.
    pub order_by_direction: Option<String>,
}

/// R6.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct HistoryBody {
    pub user_id: u64,
    /// Absent: every card of the member.
    pub par: Option<String>,
    /// yyyyMMdd, world dates, inclusive.
    pub start_date: String,
    pub end_date: String,
    pub page_request: Option<PageRequest>,
}

/// P2.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct PayBody {
    pub one_time_token: String,
    pub dcvv: String,
    pub amount: u64,
    pub merchant_id: String,
    pub channel: Option<String>,
    /// The caller's id of the payment: a repeat applies once.
    pub transaction_id: String,
}

/// P3.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct PayCancelBody {
    pub card_no: String,
    pub amount: u64,
    pub nr_number: String,
    pub merchant_id: String,
    pub channel: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OneTimeToken {
    pub one_time_token: String,
    pub dcvv: String,
    /// Epoch milliseconds, world clock.
    pub expiry_time: i64,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Charged {
    pub nr_number: String,
    pub is_pending: bool,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChargeResult {
    /// COMPLETED, FAILED or PENDING.
    pub result: &'static str,
    pub nr_number: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SystemRecharged {
    pub par: String,
    pub nr_number: String,
    /// What the card may still take in.
    pub available_deposit_amt: i64,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PageResponse {
    pub page: usize,
    pub total_pages: usize,
    pub number_of_elements: usize,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TransactionInfo {
    /// `01` charge, `00` payment.
    pub tr_type: &'static str,
    pub rcg_type: Option<String>,
    pub nr_number: String,
    pub tr_amount: i64,
    pub org_amount: i64,
    pub approval_code: String,
    pub balance_before: i64,
    pub balance_after: i64,
    pub merchant_name: String,
    pub biz_license_no: Option<String>,
    /// `AUTH` or `CANCEL`.
    pub auth_cancel_type: &'static str,
    /// yyyyMMddHHmmss, KST.
    pub approval_date_time: String,
    pub discount_amount: i64,
    pub used_point_amount: i64,
    pub saved_point_amount: i64,
    pub cash_recipt_info: Option<serde_json::Value>,
    pub recharge_cancelable: i64,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HistoryPage {
    pub page_response: PageResponse,
    pub transaction_info: Vec<TransactionInfo>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Paid {
    pub nr_number: String,
    pub approval_code: String,
    pub balance_after: i64,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PayCancelled {
    /// The payment's.
    pub nr_number: String,
    pub balance_after: i64,
}

/// R1: a single-use token of the card (`003_023` when it is not active).
#[utoipa::path(post, path = "/api/v2/payment/generate/onetimetoken", tag = "charging",
    request_body = TokenRequest,
    responses((status = 200, body = OneTimeToken), (status = 400, body = crate::error::Envelope)))]
pub async fn one_time_token(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<OneTimeToken>> {
    let f = ctx.fields();
    let card_no = f.digits("cardNo", 16)?;
    let long = match f.opt_text("type")? {
        None | Some("") => false,
        Some("ATM" | "CREDIT") => true,
        Some(_) => return Err(Refusal::invalid("type").into()),
    };
    let t = s.kona.issue_token(ctx.project_id(), card_no, long).await?;
    Ok(Out(OneTimeToken {
        one_time_token: t.token,
        dcvv: t.dcvv,
        expiry_time: t.expires_at.timestamp_millis(),
    }))
}

fn charged(m: Move) -> Out<Charged> {
    Out(Charged {
        nr_number: m.nr_number,
        is_pending: false,
    })
}

/// R2: one movement from the registered account into the card
/// (`007_001`, `007_003` over the cap, `007_004` the bank refused).
#[utoipa::path(post, path = "/api/v1/recharges/by-bank-accounts/no-hce", tag = "charging",
    request_body = ChargeBody,
    responses((status = 200, body = Charged), (status = 400, body = crate::error::Envelope)))]
pub async fn charge(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<Charged>> {
    let f = ctx.fields();
    let q = ChargeRequest {
        project_id: ctx.project_id(),
        sequence_id: f.text_range("sequenceId", 1, 30)?,
        user_id: f.user_id()?,
        amount_minor: f.amount("amount")?,
        token: f.digits("oneTimeToken", 16)?,
        dcvv: f.digits("dcvv", 3)?,
        merchant_id: merchant_id(&f)?,
    };
    Ok(charged(s.kona.charge(q).await?))
}

/// R3: the charge off the card now, back to the bank at 00:00 KST next
/// day (`007_005` cancelled already, `007_008` the card holds less).
#[utoipa::path(post, path = "/api/v1/recharges/by-bank-accounts/no-hce/cancel", tag = "charging",
    request_body = CancelBody,
    responses((status = 200, body = Charged), (status = 400, body = crate::error::Envelope)))]
pub async fn charge_cancel(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<Charged>> {
    let f = ctx.fields();
    let dcvv = match f.opt_text("dcvv")? {
        None | Some("") => None,
        Some(_) => Some(f.digits("dcvv", 3)?),
    };
    let q = ChargeCancel {
        project_id: ctx.project_id(),
        sequence_id: f.text_range("sequenceId", 1, 30)?,
        user_id: f.user_id()?,
        nr_number: f.text_range("nrNumber", 1, 50)?,
        token: f.digits("oneTimeToken", 16)?,
        dcvv,
    };
    Ok(charged(s.kona.cancel_charge(q).await?))
}

/// R4: the result of a charge or cancel by its sequenceId (`007_006`).
#[utoipa::path(post, path = "/api/v1/recharges/by-bank-account/result/inquiry", tag = "charging",
    request_body = ResultBody,
    responses((status = 200, body = ChargeResult), (status = 400, body = crate::error::Envelope)))]
pub async fn charge_result(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<ChargeResult>> {
    let seq = ctx.fields().text_range("sequenceId", 1, 30)?;
    let m = s.kona.recharge_result(ctx.project_id(), seq).await?;
    Ok(Out(ChargeResult {
        result: m.result.as_str(),
        nr_number: m.nr_number,
    }))
}

/// R5: an operator's recharge of a member's card from the platform's own
/// account (compensation, promotion), within the card's cap (`007_003`);
/// zero is `007_007`. Its `sequenceId` works as R2's, R4 included.
#[utoipa::path(post, path = "/api/v1/recharges/system/manuals", tag = "charging",
    request_body = SystemBody,
    responses((status = 200, body = SystemRecharged), (status = 400, body = crate::error::Envelope)))]
pub async fn system_recharge(
    State(s): State<KonaState>,
    ctx: Ctx,
) -> KonaResult<Out<SystemRecharged>> {
    let f = ctx.fields();
    let sequence_id = f.text_range("sequenceId", 1, 30)?;
    let user_id = f.user_id()?;
    let par = par(&f)?;
    let amount = match f.number("amount")? {
        0 => return Err(Refusal::AmountNotPositive.into()),
        n => i64::try_from(n)
            .ok()
            .filter(|n| *n <= 9_999_999_999)
            .ok_or_else(|| Refusal::invalid("amount"))?,
    };
    let q = SystemRecharge {
        project_id: ctx.project_id(),
        user_id,
        par,
        sequence_id,
        amount_minor: amount,
    };
    let (m, cap) = s.kona.system_recharge(q).await?;
    Ok(Out(SystemRecharged {
        available_deposit_amt: cap - m.balance_after.unwrap_or_default(),
        par: m.par.unwrap_or_default(),
        nr_number: m.nr_number,
    }))
}

/// `merchantId`: 15 digits.
fn merchant_id<'a>(f: &Fields<'a>) -> Checked<&'a str> {
    let m = f.text_len("merchantId", 15)?;
    MerchantId::parse(m).map_err(|_| Refusal::invalid("merchantId"))?;
    Ok(m)
}

/// `par`: `Q1` + 25 hex.
fn par<'a>(f: &Fields<'a>) -> Checked<&'a str> {
    let p = f.text_len("par", 27)?;
    Par::parse(p).map_err(|_| Refusal::invalid("par"))?;
    Ok(p)
}

fn date(f: &Fields<'_>, name: &str) -> Checked<NaiveDate> {
    let d = f.digits(name, 8)?;
    NaiveDate::parse_from_str(d, "%Y%m%d").map_err(|_| Refusal::invalid(name))
}

/// `pageRequest`: page, size (1..100), direction.
fn page_of(f: &Fields<'_>) -> Checked<(usize, usize, bool)> {
    let Some(p) = f.object("pageRequest")? else {
        return Ok((0, 20, false));
    };
    let page = p.opt_number("page")?.unwrap_or(0);
    let size = p.opt_number("pageSize")?.unwrap_or(20);
    if !(1..=100).contains(&size) {
        return Err(Refusal::invalid("pageSize"));
    }
    let ascending = match p.opt_text("orderByDirection")? {
        None | Some("DESC") => false,
        Some("ASC") => true,
        Some(_) => return Err(Refusal::invalid("orderByDirection")),
    };
    let page = usize::try_from(page).map_err(|_| Refusal::invalid("page"))?;
    Ok((page, size as usize, ascending))
}

fn row((t, cancelable): (CardTxn, i64)) -> TransactionInfo {
    TransactionInfo {
        tr_type: t.tr_type,
        rcg_type: None,
        nr_number: t.nr_number,
        tr_amount: t.amount_minor,
        org_amount: t.amount_minor,
        approval_code: t.approval_code,
        balance_before: t.balance_before,
        balance_after: t.balance_after,
        merchant_name: t.merchant_name,
        biz_license_no: None,
        auth_cancel_type: if t.is_cancel { "CANCEL" } else { "AUTH" },
        approval_date_time: dt14(t.at),
        discount_amount: 0,
        used_point_amount: 0,
        saved_point_amount: 0,
        cash_recipt_info: None,
        recharge_cancelable: cancelable,
    }
}

/// R6: the card's (or every card's of the member) rows between two world
/// dates, sorted by approvalDateTime, in 0-based pages.
#[utoipa::path(post, path = "/api/v1/transaction/card", tag = "charging",
    request_body = HistoryBody,
    responses((status = 200, body = HistoryPage), (status = 400, body = crate::error::Envelope)))]
pub async fn history(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<HistoryPage>> {
    let f = ctx.fields();
    let user_id = f.user_id()?;
    let par = match f.opt_text("par")? {
        None | Some("") => None,
        Some(_) => Some(par(&f)?),
    };
    let (start, end) = (date(&f, "startDate")?, date(&f, "endDate")?);
    if end < start {
        return Err(Refusal::invalid("endDate").into());
    }
    let (page, page_size, ascending) = page_of(&f)?;
    let q = HistoryQuery {
        project_id: ctx.project_id(),
        user_id,
        par,
        start,
        end,
        page,
        page_size,
        ascending,
    };
    let h = s.kona.history(q).await?;
    let rows: Vec<TransactionInfo> = h.rows.into_iter().map(row).collect();
    Ok(Out(HistoryPage {
        page_response: PageResponse {
            page,
            total_pages: h.total_pages,
            number_of_elements: rows.len(),
        },
        transaction_info: rows,
    }))
}

/// P2: pay from the token's card to a merchant of the project (`007_003`
/// over the balance or a limit of the card).
#[utoipa::path(post, path = "/api/v1/payment/no-hce", tag = "charging",
    request_body = PayBody,
    responses((status = 200, body = Paid), (status = 400, body = crate::error::Envelope)))]
pub async fn pay(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<Paid>> {
    let f = ctx.fields();
    let q = PayRequest {
        project_id: ctx.project_id(),
        token: f.digits("oneTimeToken", 16)?,
        dcvv: f.digits("dcvv", 3)?,
        amount_minor: f.amount("amount")?,
        merchant_id: merchant_id(&f)?,
        transaction_id: f.text_range("transactionId", 1, 50)?,
    };
    f.opt_text_range("channel", 1, 20)?;
    let m = s.kona.pay(q).await?;
    Ok(Out(Paid {
        approval_code: m.approval_code.unwrap_or_default(),
        balance_after: m.balance_after.unwrap_or_default(),
        nr_number: m.nr_number,
    }))
}

/// P3: the whole payment back to the card at once.
#[utoipa::path(post, path = "/api/v1/payment/cancel/no-hce", tag = "charging",
    request_body = PayCancelBody,
    responses((status = 200, body = PayCancelled), (status = 400, body = crate::error::Envelope)))]
pub async fn pay_cancel(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<PayCancelled>> {
    let f = ctx.fields();
    let q = PayCancel {
        project_id: ctx.project_id(),
        card_no: f.digits("cardNo", 16)?,
        amount_minor: f.amount("amount")?,
        nr_number: f.text_range("nrNumber", 1, 50)?,
        merchant_id: merchant_id(&f)?,
    };
    f.opt_text_range("channel", 1, 20)?;
    let m = s.kona.cancel_pay(q).await?;
    Ok(Out(PayCancelled {
        balance_after: m.balance_after.unwrap_or_default(),
        nr_number: m.nr_number,
    }))
}
