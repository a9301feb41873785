//! OBI-003..009: users and their registered accounts.

use crate::codes::{BankRsp, Rsp};
use crate::error::{KResult, KftcError};
use crate::extract::{digits, need, one_of, opt, Caller, KJson, KQuery};
use crate::format::{mask_account, new_fintech_use_num};
use crate::parse::{field, BankTranId, TranDtime, UserSeqNo};
use crate::service::*;
use crate::wire::*;
use crate::KftcState;
use axum::extract::State;
use axum::Json;
use finhub_core::party::Person;
use finhub_core::registration::{NewRegistration, RegisterResult, Service};

fn service_of(v: &Option<String>) -> KResult<Service> {
    let s = one_of(v, "scope", &["inquiry", "transfer"])?;
    Service::parse(s).ok_or_else(|| KftcError::format("scope"))
}

/// A user/register request, checked field by field in KFTC's order.
struct RegisterReq<'a> {
    tran: BankTranId,
    bank_code_std: &'a str,
    register_account_num: &'a str,
    user_info: &'a str,
    user_name: &'a str,
    user_ci: &'a str,
    user_email: Option<&'a str>,
    service: Service,
}

impl<'a> RegisterReq<'a> {
    fn parse(req: &'a UserRegisterRequest, caller: &Caller) -> KResult<Self> {
        let r = RegisterReq {
            tran: bank_tran_id(&req.bank_tran_id, caller)?,
            bank_code_std: need(&req.bank_code_std, "bank_code_std", 3)?,
            register_account_num: need(&req.register_account_num, "register_account_num", 16)?,
            user_info: digits(&req.user_info, "user_info", 8)?,
            user_name: need(&req.user_name, "user_name", 20)?,
            user_ci: need(&req.user_ci, "user_ci", 100)?,
            user_email: opt(&req.user_email, "user_email", 100)?,
            service: service_of(&req.scope)?,
        };
        field(&req.tran_dtime, "tran_dtime", TranDtime::parse)?;
        opt(&req.agmt_data_type, "agmt_data_type", 1)?;
        // The agreement the service needs (A0305 inquiry, A0306 transfer).
        match r.service {
            Service::Inquiry if req.info_prvd_agmt_yn.as_deref() != Some("Y") => {
                Err(KftcError::new(Rsp::A0305))
            }
            Service::Transfer if req.wd_agmt_yn.as_deref() != Some("Y") => {
                Err(KftcError::new(Rsp::A0306))
            }
            _ => Ok(r),
        }
    }
}

/// The caller's bank_tran_id, parsed.
pub(crate) fn bank_tran_id(v: &Option<String>, caller: &Caller) -> KResult<BankTranId> {
    Ok(field(v, "bank_tran_id", |s| {
        BankTranId::parse_for(s, caller.org())
    })?)
}

/// The person a user_seq_no names (A0313 when none).
pub(crate) async fn person_of(state: &KftcState, no: UserSeqNo) -> KResult<Person> {
    let person_id = state
        .repo
        .person_by_user_number(no.value())
        .await?
        .ok_or_else(|| KftcError::new(Rsp::A0313))?;
    state
        .world
        .repo
        .person(&person_id)
        .await?
        .ok_or_else(|| KftcError::new(Rsp::A0313))
}

/// The account's holder must be the person the request names: CI and birth
/// date (bank 400 otherwise), then the name (A0312 with bank 401).
async fn holder(
    state: &KftcState,
    r: &RegisterReq<'_>,
    account: &finhub_core::account::Account,
    date: &str,
) -> KResult<Person> {
    let (code, tran) = (r.bank_code_std, r.tran.as_str());
    let person_id = account.person_id.clone().unwrap_or_default();
    let person = state
        .world
        .repo
        .person(&person_id)
        .await?
        .ok_or_else(|| KftcError::bank(BankRsp::NoAccount, code, tran, date))?;
    if person.ci != r.user_ci || person.birth_date.format("%Y%m%d").to_string() != r.user_info {
        return Err(KftcError::bank(BankRsp::RealNameMismatch, code, tran, date));
    }
    if person.name != r.user_name.trim() {
        let mut e = KftcError::new(Rsp::A0312);
        e.bank = Some(Box::new(BankPart::new(
            code,
            tran,
            date,
            BankRsp::NameMismatch,
        )));
        return Err(e);
    }
    Ok(person)
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
    let r = RegisterReq::parse(&req, &caller)?;
    let (code, tran) = (r.bank_code_std, r.tran.as_str());
    let inst = bank(&state, code).await?;
    let account = account_at(&state, &inst, r.register_account_num, tran).await?;
    check_open(&state, &inst, &account, tran)?;
    let date = today8(&state);
    let person = holder(&state, &r, &account, &date).await?;
    check_person(&caller, &person.person_id)?;
    let user_no = state.repo.user_number(&person.person_id).await?;
    let org = caller.org().to_owned();
    let handle_org = org.clone();
    let (reg, result) = state
        .repo
        .register(
            NewRegistration {
                org_code: &org,
                person_id: &person.person_id,
                account_id: &account.account_id,
                service: r.service,
                email: r.user_email,
                at: state.world.clock.now(),
            },
            &move || new_fintech_use_num(&handle_org),
        )
        .await?;
    if result == RegisterResult::AlreadyRegistered {
        return Err(KftcError::new(match r.service {
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
    let no = field(&q.user_seq_no, "user_seq_no", UserSeqNo::parse)?;
    let person = person_of(&state, no).await?;
    check_person(&caller, &person.person_id)?;
    let held: Vec<_> = held_of_person(&state, caller.org(), &person.person_id)
        .await?
        .into_iter()
        .filter(|h| h.reg.is_active())
        .collect();
    if held.is_empty() {
        return Err(KftcError::new(Rsp::A0313));
    }
    Ok(Json(me_body(&state, no, &person, &held)))
}

fn me_body(state: &KftcState, no: UserSeqNo, person: &Person, held: &[Held]) -> UserMeResponse {
    let email = held
        .iter()
        .find_map(|h| h.reg.email.clone())
        .or(person.email.clone())
        .unwrap_or_default();
    let res_list: Vec<AccountItem> = held.iter().map(me_item).collect();
    UserMeResponse {
        env: ok_env(state),
        user_seq_no: no.value().to_string(),
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
    }
}

/// A user/me item: the account as §6.4 shows it, without account_state,
/// with the registration's payer_num.
fn me_item(h: &Held) -> AccountItem {
    AccountItem {
        payer_num: Some(payer_num(&h.reg.handle)),
        ..account_item(h, false)
    }
}

/// The payer number (납부자번호) of a registration. The standard leaves its
/// value to the institution; here it is the fintech_use_num's last 14 digits
/// (its per-registration part, 0-9 only), so it is stable for as long as
/// the registration lives and distinct between one institution's accounts.
pub(crate) fn payer_num(fintech_use_num: &str) -> String {
    let n = fintech_use_num.len();
    fintech_use_num
        .get(n.saturating_sub(14)..)
        .unwrap_or(fintech_use_num)
        .to_owned()
}

/// A user/close request.
struct CloseReq {
    user_seq_no: UserSeqNo,
}

impl CloseReq {
    fn parse(req: &UserCloseRequest, caller: &Caller) -> KResult<Self> {
        let code = need(&req.client_use_code, "client_use_code", 10)?;
        if code != caller.org() {
            return Err(KftcError::format("client_use_code 불일치"));
        }
        Ok(CloseReq {
            user_seq_no: field(&req.user_seq_no, "user_seq_no", UserSeqNo::parse)?,
        })
    }
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
    let r = CloseReq::parse(&req, &caller)?;
    let person = person_of(&state, r.user_seq_no).await?;
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

/// An account/list query.
struct ListReq {
    include_cancel: bool,
    desc: bool,
    user_seq_no: UserSeqNo,
}

impl ListReq {
    fn parse(q: &AccountListQuery) -> KResult<Self> {
        Ok(ListReq {
            include_cancel: one_of(&q.include_cancel_yn, "include_cancel_yn", &["Y", "N"])? == "Y",
            desc: one_of(&q.sort_order, "sort_order", &["D", "A"])? == "D",
            user_seq_no: field(&q.user_seq_no, "user_seq_no", UserSeqNo::parse)?,
        })
    }
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
    let r = ListReq::parse(&q)?;
    let person = person_of(&state, r.user_seq_no).await?;
    check_person(&caller, &person.person_id)?;
    let mut held = held_of_person(&state, caller.org(), &person.person_id).await?;
    if held.is_empty() {
        return Err(KftcError::new(Rsp::A0313));
    }
    held.retain(|h| r.include_cancel || h.reg.is_active());
    if r.desc {
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

/// An account given by bank and number, for the user `user_seq_no` names.
/// The user_seq_no is read by `by_acnt` after the account is found, the
/// order KFTC answers in.
struct AcntReq<'a> {
    tran: BankTranId,
    bank_code_std: &'a str,
    account_num: &'a str,
    user_seq_no: &'a Option<String>,
    service: Service,
}

impl<'a> AcntReq<'a> {
    async fn held(&self, state: &KftcState, caller: &Caller) -> KResult<Held> {
        let tran = self.tran.as_str();
        let a = AcntRef {
            bank_code_std: self.bank_code_std,
            account_num: self.account_num,
            user_seq_no: self.user_seq_no,
            bank_tran_id: tran,
        };
        let h = by_acnt(state, caller, a).await?;
        check_open(state, &h.inst, &h.account, tran)?;
        if !h.reg.has(self.service) {
            return Err(KftcError::new(Rsp::A0323));
        }
        Ok(h)
    }
}

/// An account/update request.
struct UpdateReq<'a> {
    acnt: AcntReq<'a>,
    update_user_email: &'a str,
}

impl<'a> UpdateReq<'a> {
    fn parse(req: &'a AccountUpdateRequest, caller: &Caller) -> KResult<Self> {
        let tran = bank_tran_id(&req.bank_tran_id, caller)?;
        let bank_code_std = need(&req.bank_code_std, "bank_code_std", 3)?;
        let account_num = need(&req.account_num, "account_num", 16)?;
        opt(&req.account_seq, "account_seq", 3)?;
        let service = service_of(&req.scope)?;
        Ok(UpdateReq {
            update_user_email: need(&req.update_user_email, "update_user_email", 100)?,
            acnt: AcntReq {
                tran,
                bank_code_std,
                account_num,
                user_seq_no: &req.user_seq_no,
                service,
            },
        })
    }
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
    let r = UpdateReq::parse(&req, &caller)?;
    let h = r.acnt.held(&state, &caller).await?;
    state
        .repo
        .set_email(caller.org(), &h.reg.handle, r.update_user_email)
        .await?;
    Ok(Json(BankEnvelope {
        env: ok_env(&state),
        bank: bank_ok(r.acnt.bank_code_std, r.acnt.tran.as_str(), &today8(&state)),
    }))
}

impl<'a> AcntReq<'a> {
    /// An account/info request.
    fn parse_info(req: &'a AccountInfoRequest, caller: &Caller) -> KResult<Self> {
        let tran = bank_tran_id(&req.bank_tran_id, caller)?;
        let bank_code_std = need(&req.bank_code_std, "bank_code_std", 3)?;
        let account_num = need(&req.account_num, "account_num", 16)?;
        opt(&req.account_seq, "account_seq", 3)?;
        Ok(AcntReq {
            tran,
            bank_code_std,
            account_num,
            user_seq_no: &req.user_seq_no,
            service: service_of(&req.scope)?,
        })
    }
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
    let r = AcntReq::parse_info(&req, &caller)?;
    let h = r.held(&state, &caller).await?;
    let item = account_item(&h, false);
    Ok(Json(AccountInfoResponse {
        env: ok_env(&state),
        bank: bank_ok(r.bank_code_std, r.tran.as_str(), &today8(&state)),
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

/// Which registration an account/cancel names.
enum CancelTarget<'a> {
    /// At most 24 characters: an unknown one is A0304, not a format error.
    Fin(&'a str),
    Acnt {
        code: &'a str,
        num: &'a str,
    },
}

/// An account/cancel request.
struct CancelReq<'a> {
    tran: BankTranId,
    service: Service,
    target: CancelTarget<'a>,
}

impl<'a> CancelReq<'a> {
    fn parse(req: &'a AccountCancelRequest, caller: &Caller) -> KResult<Self> {
        let tran = bank_tran_id(&req.bank_tran_id, caller)?;
        let service = service_of(&req.scope)?;
        let target = match opt(&req.fintech_use_num, "fintech_use_num", 24)? {
            Some(fin) => CancelTarget::Fin(fin),
            None => CancelTarget::Acnt {
                code: need(&req.bank_code_std, "bank_code_std", 3)?,
                num: need(&req.account_num, "account_num", 16)?,
            },
        };
        Ok(CancelReq {
            tran,
            service,
            target,
        })
    }

    async fn held(&self, state: &KftcState, caller: &Caller) -> KResult<Held> {
        let (code, num) = match self.target {
            CancelTarget::Fin(fin) => return by_fin(state, caller, fin).await,
            CancelTarget::Acnt { code, num } => (code, num),
        };
        let at = AcntRef {
            bank_code_std: code,
            account_num: num,
            user_seq_no: &None,
            bank_tran_id: self.tran.as_str(),
        };
        let h = registered_at(state, caller, &at).await?;
        check_person(caller, &h.reg.person_id)?;
        Ok(h)
    }
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
    let r = CancelReq::parse(&req, &caller)?;
    let h = r.held(&state, &caller).await?;
    let tran = r.tran.as_str();
    let code = bank_code(&h.inst);
    let date = today8(&state);
    let done = state
        .repo
        .cancel_service(
            caller.org(),
            &h.reg.handle,
            r.service,
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
