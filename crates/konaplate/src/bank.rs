//! Bank accounts (B1–B10): the banks, the real-name check, the ARS code and
//! registration (async, polled), the registered account, auto-recharge,
//! deletion and the 1-KRW verification. The rules are core's
//! (`finhub_core::konaplate::bank`); these handlers read fields and answer.

use crate::error::KonaResult;
use crate::extract::{Checked, Ctx, Fields};
use crate::transport::CORRELATION_ID;
use crate::wire::{done, dt17, Out};
use crate::{at, KonaState};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use axum::Router;
use finhub_core::konaplate::bank::{KrwAuth, RealName, RegisteredAccount};
use finhub_core::konaplate::Refusal;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

pub fn routes() -> Router<KonaState> {
    Router::new()
        .route(at("B1"), post(banks))
        .route(at("B2"), post(real_name))
        .route(at("B3"), post(ars_auth))
        .route(at("B4"), post(ars_register))
        .route(at("B5"), post(register_inquiry))
        .route(at("B6"), post(account_info))
        .route(at("B7"), post(account_inquiry))
        .route(at("B8"), post(auto_recharge_register))
        .route(at("B9"), post(delete_account))
        .route(at("B10"), post(krw_auth))
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        banks,
        real_name,
        ars_auth,
        ars_register,
        register_inquiry,
        account_info,
        account_inquiry,
        auto_recharge_register,
        delete_account,
        krw_auth
    ),
    components(schemas(
        BankListRequest,
        UserRequest,
        RealNameRequest,
        RegisterRequest,
        RegNoRequest,
        KrwAuthRequest,
        BankList,
        BankInfo,
        ArsAuth,
        Registration,
        RegistrationStatus,
        AccountInfo,
        AccountInfoAnswer,
        AccountInquiry,
        KrwAuthAnswer
    ))
)]
pub struct Doc;

/// A request of only the member (B3, B6–B9).
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct UserRequest {
    pub user_id: u64,
}

/// B2.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct RealNameRequest {
    pub user_id: u64,
    /// 1..20; hyphens are ignored.
    pub bank_account: String,
    /// 3 digits.
    pub bank_code: String,
    pub user_name: Option<String>,
    /// yyyyMMdd.
    pub birth_date: Option<String>,
}

/// B4 (its other fields, `bankName`, `userName`, `birthDate`, are accepted).
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct RegisterRequest {
    pub user_id: u64,
    pub bank_code: String,
    pub bank_account: String,
    pub bank_name: Option<String>,
    pub user_name: Option<String>,
    pub birth_date: Option<String>,
}

/// B5.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct RegNoRequest {
    /// 22 characters (B4's bankAccRegNo).
    pub reg_no: String,
}

/// B10.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct KrwAuthRequest {
    pub user_id: u64,
    pub bank_code: String,
    pub bank_account: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BankInfo {
    pub bank_code: String,
    pub bank_name: String,
    pub is_available: bool,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BankList {
    pub bank_list: Vec<BankInfo>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ArsAuth {
    /// 2 digits, live for 3 minutes.
    pub auth_number: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Registration {
    /// 22 characters.
    pub bank_acc_reg_no: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegistrationStatus {
    /// ARS_AUTH_IN_PROGRESS, BANK_ACC_REGISTERED or ARS_AUTH_FAILED.
    pub status: &'static str,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccountInfo {
    /// 5 characters.
    pub account_id: String,
    pub user_name: String,
    pub bank_account: String,
    pub bank_name: String,
    pub bank_code: String,
    /// yyyyMMddHHmmssSSS, KST.
    pub created_date_time: String,
    pub updated_date_time: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccountInfoAnswer {
    pub user_id: u64,
    pub account_info: AccountInfo,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccountInquiry {
    pub bank_account: AccountInfo,
    /// Null until B8.
    pub bank_acc_for_auto_rcg: Option<AccountInfo>,
    /// True: call B8 to use the account for auto-recharge.
    pub is_auto_rcg_acc_reg_allowed: bool,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KrwAuthAnswer {
    pub transaction_id: String,
}

/// `bankCode` (3 digits) and `bankAccount` (1..20).
fn account_fields<'a>(f: &Fields<'a>) -> Checked<(&'a str, &'a str)> {
    let account = f.text_range("bankAccount", 1, 20)?;
    let code = f.digits("bankCode", 3)?;
    Ok((code, account))
}

/// B1's request: `{}` (unknown fields are ignored).
#[derive(Debug, serde::Deserialize, ToSchema)]
pub struct BankListRequest {}

/// B1: the reference's banks that the world holds, and whether each is up.
#[utoipa::path(post, path = "/api/v1/bankaccounts/banks", tag = "bank",
    request_body = BankListRequest,
    responses((status = 200, body = BankList), (status = 400, body = crate::error::Envelope)))]
pub async fn banks(State(s): State<KonaState>) -> KonaResult<Out<BankList>> {
    let list = (s.kona.banks().await?.into_iter())
        .map(|b| BankInfo {
            bank_code: b.bank_code,
            bank_name: b.bank_name,
            is_available: b.is_available,
        })
        .collect();
    Ok(Out(BankList { bank_list: list }))
}

/// B2: the account exists and its holder is the member (`002_016`, `002_020`).
#[utoipa::path(post, path = "/api/v1/bankaccounts/user/valid", tag = "bank",
    request_body = RealNameRequest,
    responses((status = 200, body = crate::error::Envelope), (status = 400, body = crate::error::Envelope)))]
pub async fn real_name(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<Value>> {
    let f = ctx.fields();
    let user_id = f.user_id()?;
    let (bank_code, bank_account) = account_fields(&f)?;
    let q = RealName {
        bank_code,
        bank_account,
        user_name: f.opt_text_range("userName", 1, 100)?,
        birth_date: f.opt_text_range("birthDate", 8, 8)?,
    };
    s.kona
        .verify_real_name(ctx.project_id(), user_id, q)
        .await?;
    Ok(done())
}

/// B3: the 2-digit code the member keys in during the ARS call.
#[utoipa::path(post, path = "/api/v1/bankaccounts/ars/auth", tag = "bank",
    request_body = UserRequest,
    responses((status = 200, body = ArsAuth), (status = 400, body = crate::error::Envelope)))]
pub async fn ars_auth(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<ArsAuth>> {
    let user_id = ctx.fields().user_id()?;
    let code = s.kona.ars_code(ctx.project_id(), user_id).await?;
    Ok(Out(ArsAuth { auth_number: code }))
}

/// B4 (async): starts the ARS call; poll B5 with the answer (`002_013`
/// while another call of the member runs).
#[utoipa::path(post, path = "/api/v1/bankaccounts/ars/register", tag = "bank",
    request_body = RegisterRequest,
    responses((status = 200, body = Registration), (status = 400, body = crate::error::Envelope)))]
pub async fn ars_register(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<Registration>> {
    let f = ctx.fields();
    let user_id = f.user_id()?;
    let (bank_code, bank_account) = account_fields(&f)?;
    let reg_no = (s.kona)
        .register_account(ctx.project_id(), user_id, bank_code, bank_account)
        .await?;
    Ok(Out(Registration {
        bank_acc_reg_no: reg_no,
    }))
}

/// B5: where the registration stands (`002_019` when unknown).
#[utoipa::path(post, path = "/api/v1/bankaccounts/ars/register/inquiry", tag = "bank",
    request_body = RegNoRequest,
    responses((status = 200, body = RegistrationStatus), (status = 400, body = crate::error::Envelope)))]
pub async fn register_inquiry(
    State(s): State<KonaState>,
    ctx: Ctx,
) -> KonaResult<Out<RegistrationStatus>> {
    let reg_no = ctx.fields().text_len("regNo", 22)?;
    let st = s.kona.registration_status(ctx.project_id(), reg_no).await?;
    Ok(Out(RegistrationStatus {
        status: st.as_str(),
    }))
}

/// The registered account as B6/B7 answer it.
async fn info(s: &KonaState, a: &RegisteredAccount, user_name: &str) -> KonaResult<AccountInfo> {
    let inst = s.kona.world.institution_by_any_code(&a.bank_code).await?;
    Ok(AccountInfo {
        account_id: a.account_id5.clone(),
        user_name: user_name.to_owned(),
        bank_account: a.bank_account.clone(),
        bank_name: inst.name.chars().take(10).collect(),
        bank_code: a.bank_code.clone(),
        created_date_time: dt17(a.created_at),
        updated_date_time: dt17(a.updated_at),
    })
}

/// The member's registered account and its holder's name (`007_001`).
async fn registered(s: &KonaState, ctx: &Ctx) -> KonaResult<(u64, AccountInfo, bool)> {
    let user_id = ctx.fields().user_id()?;
    let a = s.kona.charge_account(ctx.project_id(), user_id).await?;
    let holder = s.kona.world.account(&a.account_id).await?.holder_name;
    Ok((user_id.0, info(s, &a, &holder).await?, a.auto_recharge))
}

/// B6: the registered account.
#[utoipa::path(post, path = "/api/v1/bankaccounts/info", tag = "bank",
    request_body = UserRequest,
    responses((status = 200, body = AccountInfoAnswer), (status = 400, body = crate::error::Envelope)))]
pub async fn account_info(
    State(s): State<KonaState>,
    ctx: Ctx,
) -> KonaResult<Out<AccountInfoAnswer>> {
    let (user_id, account_info, _) = registered(&s, &ctx).await?;
    Ok(Out(AccountInfoAnswer {
        user_id,
        account_info,
    }))
}

/// B7: the account, its auto-recharge registration, and whether B8 is open.
#[utoipa::path(post, path = "/api/v1/bankaccounts/inquiry", tag = "bank",
    request_body = UserRequest,
    responses((status = 200, body = AccountInquiry), (status = 400, body = crate::error::Envelope)))]
pub async fn account_inquiry(
    State(s): State<KonaState>,
    ctx: Ctx,
) -> KonaResult<Out<AccountInquiry>> {
    let (_, account, auto) = registered(&s, &ctx).await?;
    Ok(Out(AccountInquiry {
        bank_acc_for_auto_rcg: auto.then(|| account.clone()),
        bank_account: account,
        is_auto_rcg_acc_reg_allowed: !auto,
    }))
}

/// B8 (sync): the registered account also becomes the auto-recharge account.
#[utoipa::path(post, path = "/api/v1/bankaccounts/as-rcg-svc/ars/register", tag = "bank",
    request_body = UserRequest,
    responses((status = 200, body = Registration), (status = 400, body = crate::error::Envelope)))]
pub async fn auto_recharge_register(
    State(s): State<KonaState>,
    ctx: Ctx,
) -> KonaResult<Out<Registration>> {
    let user_id = ctx.fields().user_id()?;
    let a = (s.kona)
        .register_auto_recharge(ctx.project_id(), user_id)
        .await?;
    Ok(Out(Registration {
        bank_acc_reg_no: a.reg_no,
    }))
}

/// B9: the registered account is deleted (`007_001` when there is none).
#[utoipa::path(post, path = "/api/v1/bankaccounts/delete", tag = "bank",
    request_body = UserRequest,
    responses((status = 200, body = crate::error::Envelope), (status = 400, body = crate::error::Envelope)))]
pub async fn delete_account(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<Value>> {
    let user_id = ctx.fields().user_id()?;
    s.kona.delete_account(ctx.project_id(), user_id).await?;
    Ok(done())
}

/// B10: 1 KRW to the member's account from the platform (`002_034` while
/// the bank is in outage). The correlation id keys the movement.
#[utoipa::path(post, path = "/api/v1/bankaccounts/krw-auth", tag = "bank",
    request_body = KrwAuthRequest,
    responses((status = 200, body = KrwAuthAnswer), (status = 400, body = crate::error::Envelope)))]
pub async fn krw_auth(
    State(s): State<KonaState>,
    headers: HeaderMap,
    ctx: Ctx,
) -> KonaResult<Out<KrwAuthAnswer>> {
    let f = ctx.fields();
    let user_id = f.user_id()?;
    let (bank_code, bank_account) = account_fields(&f)?;
    let request_id = (headers.get(&CORRELATION_ID))
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| Refusal::invalid("X-KM-Correlation-Id"))?;
    let q = KrwAuth {
        project_id: ctx.project_id(),
        user_id,
        bank_code,
        bank_account,
        request_id,
    };
    let tid = s.kona.krw_auth(q).await?;
    Ok(Out(KrwAuthAnswer {
        transaction_id: tid,
    }))
}
