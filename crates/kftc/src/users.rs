//! OBI-003..009: users and their registered accounts.

use crate::codes::{BankRsp, Rsp};
use crate::error::{KResult, KftcError};
use crate::extract::{digits, need, one_of, opt, Caller, KJson, KQuery};
use crate::format::{mask_account, new_fintech_use_num};
use crate::service::*;
use crate::wire::*;
use crate::KftcState;
use axum::extract::State;
use axum::Json;
use finhub_core::registration::{RegisterResult, Service};

fn service_of(v: &Option<String>) -> KResult<Service> {
    let s = one_of(v, "scope", &["inquiry", "transfer"])?;
    Service::parse(s).ok_or_else(|| KftcError::format("scope"))
}

/// 사용자계좌등록 (OBI-005, sa).
#[utoipa::path(post, path = "/v2.0/user/register", tag = "user", request_body = UserRegisterRequest,
    responses((status = 200, body = UserRegisterResponse)))]
pub async fn register(
    State(state): State<KftcState>,
    caller: Caller,
    KJson(req): KJson<UserRegisterRequest>,
) -> KResult<Json<UserRegisterResponse>> {
    caller.require(&["sa"])?;
    let tran = tran_id(&req.bank_tran_id, &caller)?;
    let code = need(&req.bank_code_std, "bank_code_std", 3)?;
    let num = need(&req.register_account_num, "register_account_num", 16)?;
    let birth = digits(&req.user_info, "user_info", 8)?;
    let name = need(&req.user_name, "user_name", 20)?;
    let ci = need(&req.user_ci, "user_ci", 100)?;
    let email = opt(&req.user_email, "user_email", 100)?;
    let service = service_of(&req.scope)?;
    digits(&req.tran_dtime, "tran_dtime", 14)?;
    opt(&req.agmt_data_type, "agmt_data_type", 1)?;
    match service {
        Service::Inquiry if req.info_prvd_agmt_yn.as_deref() != Some("Y") => {
            return Err(KftcError::new(Rsp::A0305))
        }
        Service::Transfer if req.wd_agmt_yn.as_deref() != Some("Y") => {
            return Err(KftcError::new(Rsp::A0306))
        }
        _ => {}
    }
    let inst = bank(&state, code).await?;
    let account = account_at(&state, &inst, num, tran).await?;
    check_open(&state, &inst, &account, tran)?;
    let date = today8(&state);
    let person_id = account.person_id.clone().unwrap_or_default();
    let person = state
        .world
        .repo
        .person(&person_id)
        .await?
        .ok_or_else(|| KftcError::bank(BankRsp::NoAccount, code, tran, &date))?;
    if person.ci != ci || person.birth_date.format("%Y%m%d").to_string() != birth {
        return Err(KftcError::bank(
            BankRsp::RealNameMismatch,
            code,
            tran,
            &date,
        ));
    }
    if person.name != name.trim() {
        let mut e = KftcError::new(Rsp::A0312);
        e.bank = Some(Box::new(BankPart::new(
            code,
            tran,
            &date,
            BankRsp::NameMismatch,
        )));
        return Err(e);
    }
    check_person(&caller, &person.person_id)?;
    let user_no = state.repo.user_number(&person.person_id).await?;
    let org = caller.org().to_owned();
    let handle_org = org.clone();
    let (reg, result) = state
        .repo
        .register(
            &org,
            &person.person_id,
            &account.account_id,
            service,
            email,
            state.world.clock.now(),
            &move || new_fintech_use_num(&handle_org),
        )
        .await?;
    if result == RegisterResult::AlreadyRegistered {
        return Err(KftcError::new(match service {
            Service::Inquiry => Rsp::A0324,
            Service::Transfer => Rsp::A0325,
        }));
    }
    Ok(Json(UserRegisterResponse {
        env: ok_env(&state),
        bank: bank_ok(code, tran, &date),
        user_seq_no: user_no.to_string(),
        bank_code_std: code.to_owned(),
        bank_name: inst.name.clone(),
        fintech_use_num: reg.handle,
        account_num_masked: mask_account(&account.account_num),
    }))
}

/// 사용자정보조회 (OBI-003, login/sa).
#[utoipa::path(get, path = "/v2.0/user/me", tag = "user", params(UserMeQuery),
    responses((status = 200, body = UserMeResponse)))]
pub async fn me(
    State(state): State<KftcState>,
    caller: Caller,
    KQuery(q): KQuery<UserMeQuery>,
) -> KResult<Json<UserMeResponse>> {
    caller.require(&["login", "sa"])?;
    let (no, person) = parse_user(&state, &q.user_seq_no).await?;
    check_person(&caller, &person.person_id)?;
    let held: Vec<_> = held_of_person(&state, caller.org(), &person.person_id)
        .await?
        .into_iter()
        .filter(|h| h.reg.is_active())
        .collect();
    if held.is_empty() {
        return Err(KftcError::new(Rsp::A0313));
    }
    let email = held
        .iter()
        .find_map(|h| h.reg.email.clone())
        .or(person.email.clone())
        .unwrap_or_default();
    let res_list: Vec<AccountItem> = held.iter().map(|h| account_item(h, false)).collect();
    Ok(Json(UserMeResponse {
        env: ok_env(&state),
        user_seq_no: no.to_string(),
        user_ci: person.ci.clone(),
        user_name: person.name.clone(),
        user_info: person.birth_date.format("%Y%m%d").to_string(),
        user_gender: person
            .gender
            .map(|g| g.as_str().to_owned())
            .unwrap_or_default(),
        user_cell_no: person.phone.clone().unwrap_or_default(),
        user_email: email,
        res_cnt: res_list.len().to_string(),
        res_list,
    }))
}

/// 사용자탈퇴 (OBI-004, login/sa): cancels every service the user has here.
#[utoipa::path(post, path = "/v2.0/user/close", tag = "user", request_body = UserCloseRequest,
    responses((status = 200, body = EnvelopeOnly)))]
pub async fn close(
    State(state): State<KftcState>,
    caller: Caller,
    KJson(req): KJson<UserCloseRequest>,
) -> KResult<Json<EnvelopeOnly>> {
    caller.require(&["login", "sa"])?;
    let code = need(&req.client_use_code, "client_use_code", 10)?;
    if code != caller.org() {
        return Err(KftcError::format("client_use_code 불일치"));
    }
    let (_, person) = parse_user(&state, &req.user_seq_no).await?;
    check_person(&caller, &person.person_id)?;
    let n = state
        .repo
        .cancel_person(caller.org(), &person.person_id, state.world.clock.now())
        .await?;
    if n == 0 {
        return Err(KftcError::new(Rsp::A0313));
    }
    Ok(Json(EnvelopeOnly {
        env: ok_env(&state),
    }))
}

/// 등록계좌조회 (OBI-006, login/sa).
#[utoipa::path(get, path = "/v2.0/account/list", tag = "account", params(AccountListQuery),
    responses((status = 200, body = AccountListResponse)))]
pub async fn list(
    State(state): State<KftcState>,
    caller: Caller,
    KQuery(q): KQuery<AccountListQuery>,
) -> KResult<Json<AccountListResponse>> {
    caller.require(&["login", "sa"])?;
    let include = one_of(&q.include_cancel_yn, "include_cancel_yn", &["Y", "N"])? == "Y";
    let desc = one_of(&q.sort_order, "sort_order", &["D", "A"])? == "D";
    let (_, person) = parse_user(&state, &q.user_seq_no).await?;
    check_person(&caller, &person.person_id)?;
    let mut held = held_of_person(&state, caller.org(), &person.person_id).await?;
    if held.is_empty() {
        return Err(KftcError::new(Rsp::A0313));
    }
    held.retain(|h| include || h.reg.is_active());
    if desc {
        held.reverse();
    }
    let res_list: Vec<AccountItem> = held.iter().map(|h| account_item(h, true)).collect();
    Ok(Json(AccountListResponse {
        env: ok_env(&state),
        user_name: person.name,
        res_cnt: res_list.len().to_string(),
        res_list,
    }))
}

/// 계좌정보변경 (OBI-007, sa): the registration's e-mail.
#[utoipa::path(post, path = "/v2.0/account/update", tag = "account", request_body = AccountUpdateRequest,
    responses((status = 200, body = BankEnvelope)))]
pub async fn update(
    State(state): State<KftcState>,
    caller: Caller,
    KJson(req): KJson<AccountUpdateRequest>,
) -> KResult<Json<BankEnvelope>> {
    caller.require(&["sa"])?;
    let tran = tran_id(&req.bank_tran_id, &caller)?;
    let code = need(&req.bank_code_std, "bank_code_std", 3)?;
    let num = need(&req.account_num, "account_num", 16)?;
    opt(&req.account_seq, "account_seq", 3)?;
    let service = service_of(&req.scope)?;
    let email = need(&req.update_user_email, "update_user_email", 100)?;
    let h = by_acnt(&state, &caller, code, num, &req.user_seq_no, tran).await?;
    check_open(&state, &h.inst, &h.account, tran)?;
    if !h.reg.has(service) {
        return Err(KftcError::new(Rsp::A0323));
    }
    state
        .repo
        .set_email(caller.org(), &h.reg.handle, email)
        .await?;
    Ok(Json(BankEnvelope {
        env: ok_env(&state),
        bank: bank_ok(code, tran, &today8(&state)),
    }))
}

/// 계좌정보조회 (OBI-008, sa).
#[utoipa::path(post, path = "/v2.0/account/info", tag = "account", request_body = AccountInfoRequest,
    responses((status = 200, body = AccountInfoResponse)))]
pub async fn info(
    State(state): State<KftcState>,
    caller: Caller,
    KJson(req): KJson<AccountInfoRequest>,
) -> KResult<Json<AccountInfoResponse>> {
    caller.require(&["sa"])?;
    let tran = tran_id(&req.bank_tran_id, &caller)?;
    let code = need(&req.bank_code_std, "bank_code_std", 3)?;
    let num = need(&req.account_num, "account_num", 16)?;
    opt(&req.account_seq, "account_seq", 3)?;
    let service = service_of(&req.scope)?;
    let h = by_acnt(&state, &caller, code, num, &req.user_seq_no, tran).await?;
    check_open(&state, &h.inst, &h.account, tran)?;
    if !h.reg.has(service) {
        return Err(KftcError::new(Rsp::A0323));
    }
    let item = account_item(&h, false);
    Ok(Json(AccountInfoResponse {
        env: ok_env(&state),
        bank: bank_ok(code, tran, &today8(&state)),
        bank_name: item.bank_name,
        savings_bank_name: item.savings_bank_name,
        account_num_masked: item.account_num_masked,
        user_name: h.account.holder_name.clone(),
        user_email: h.reg.email.clone().unwrap_or_default(),
        fintech_use_num: item.fintech_use_num,
        inquiry_agree_yn: item.inquiry_agree_yn,
        inquiry_agree_dtime: item.inquiry_agree_dtime,
        transfer_agree_yn: item.transfer_agree_yn,
        transfer_agree_dtime: item.transfer_agree_dtime,
    }))
}

/// 계좌해지 (OBI-009, login/sa): one service at a time.
#[utoipa::path(post, path = "/v2.0/account/cancel", tag = "account", request_body = AccountCancelRequest,
    responses((status = 200, body = BankEnvelope)))]
pub async fn cancel(
    State(state): State<KftcState>,
    caller: Caller,
    KJson(req): KJson<AccountCancelRequest>,
) -> KResult<Json<BankEnvelope>> {
    caller.require(&["login", "sa"])?;
    let tran = tran_id(&req.bank_tran_id, &caller)?;
    let service = service_of(&req.scope)?;
    let h = match opt(&req.fintech_use_num, "fintech_use_num", 24)? {
        Some(fin) => by_fin(&state, &caller, fin).await?,
        None => {
            let code = need(&req.bank_code_std, "bank_code_std", 3)?;
            let num = need(&req.account_num, "account_num", 16)?;
            let inst = bank(&state, code).await?;
            let account = account_at(&state, &inst, num, tran).await?;
            let reg = state
                .repo
                .registration_of_account(caller.org(), &account.account_id)
                .await?
                .filter(|r| r.is_active())
                .ok_or_else(|| KftcError::new(Rsp::A0323))?;
            check_person(&caller, &reg.person_id)?;
            crate::service::Held { reg, account, inst }
        }
    };
    let code = bank_code(&h.inst);
    let date = today8(&state);
    let done = state
        .repo
        .cancel_service(
            caller.org(),
            &h.reg.handle,
            service,
            state.world.clock.now(),
        )
        .await?;
    if !done {
        return Err(KftcError::bank(
            BankRsp::AlreadyCancelled,
            &code,
            tran,
            &date,
        ));
    }
    Ok(Json(BankEnvelope {
        env: ok_env(&state),
        bank: bank_ok(&code, tran, &date),
    }))
}
