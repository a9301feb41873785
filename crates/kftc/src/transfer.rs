//! OBI-017..021: withdrawals and deposits as ledger movements between a
//! person's account and the client's contract account, and their results.
//! bank_tran_id is the idempotency key within the business day.

use crate::codes::{BankRsp, Rsp};
use crate::error::{KResult, KftcError};
use crate::extract::{amount, digits, need, one_of, opt, Caller, KJson};
use crate::format::*;
use crate::inquiry::{check_contract, check_req_client};
use crate::service::*;
use crate::wire::*;
use crate::KftcState;
use axum::extract::State;
use axum::Json;
use finhub_core::account::Account;
use finhub_core::fraud::{TransferDirection, TransferEvent};
use finhub_core::institution::Institution;
use finhub_core::ledger::{EntryKind, Leg, Limit, Rejection, TransferOutcome, TransferRequest};
use finhub_core::money::Currency;
use finhub_core::registration::{ClientContract, Service};
use finhub_core::CoreError;
use serde::{Deserialize, Serialize};

/// Most items in one deposit or result request.
pub(crate) const MAX_ITEMS: usize = 25;

/// One side of a transfer as the answers show it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Side {
    bank_code_std: String,
    bank_code_sub: String,
    bank_name: String,
    savings_bank_name: String,
    fintech_use_num: String,
    account_num_masked: String,
    print_content: String,
    account_holder_name: String,
}

fn side(inst: &Institution, acc: &Account, fin: &str, print: &str) -> Side {
    Side {
        bank_code_std: bank_code(inst),
        bank_code_sub: bank_code_sub(inst),
        bank_name: inst.name.clone(),
        savings_bank_name: savings_bank_name(inst),
        fintech_use_num: fin.to_owned(),
        account_num_masked: mask_account(&acc.account_num),
        print_content: print.to_owned(),
        account_holder_name: acc.holder_name.clone(),
    }
}

/// What the ledger keeps with the outcome, so transfer/result can answer later.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Meta {
    /// "1" withdrawal, "2" deposit (transfer/result's check_type).
    check_type: String,
    tran_amt: i64,
    wd: Side,
    dps: Side,
}

fn scope(org: &str, date: &str) -> String {
    format!("kftc:{org}:{date}")
}

/// The KFTC answer for a refusal the ledger recorded: 453 when the balance
/// is short, 454 when an overdraft line makes it the available amount.
fn refusal(r: &Rejection, acc: &Account) -> (Rsp, Option<BankRsp>) {
    match r {
        Rejection::InsufficientFunds { .. } if acc.floor_minor < 0 => {
            (Rsp::A0002, Some(BankRsp::InsufficientAvailable))
        }
        other => refusal_codes(other),
    }
}

/// Move money and translate the outcome. Replays and reused keys are A0326.
/// The fraud-log line is written in the ledger's own commit, only when the
/// transfer applies (no separate write, and never a moved sum without its line).
async fn apply(
    state: &KftcState,
    req: TransferRequest,
    org: &str,
    acc: &str,
    dir: TransferDirection,
    amt: i64,
) -> KResult<TransferOutcome> {
    let ev = TransferEvent {
        org_code: org.to_owned(),
        scope: req.scope.clone(),
        key: req.key.clone(),
        account_id: acc.to_owned(),
        direction: dir,
        amount_minor: amt,
        at: req.at,
    };
    match state.repo.transfer_logged(req, ev).await {
        Ok(o) if o.replayed => Err(KftcError::new(Rsp::A0326)),
        Ok(o) => Ok(o),
        Err(CoreError::IdempotencyMismatch) => Err(KftcError::new(Rsp::A0326)),
        Err(e) => Err(e.into()),
    }
}

async fn contract_inst(state: &KftcState, acc: &Account) -> KResult<Institution> {
    Ok(state.world.institution(&acc.org_code).await?)
}

// ---- withdraw -------------------------------------------------------------------

#[allow(clippy::too_many_arguments)]
async fn withdraw(
    state: KftcState,
    caller: Caller,
    req: WithdrawRequest,
    tran: &str,
    amt: i64,
    h: Held,
    contract: ClientContract,
    cntr: Account,
    acnt_variant: bool,
) -> KResult<Json<WithdrawResponse>> {
    if !h.reg.has(Service::Transfer) {
        return Err(KftcError::new(Rsp::A0306));
    }
    check_open(&state, &h.inst, &h.account, tran)?;
    let limits = contract.limits;
    if amt > limits.user_wd_item_minor {
        return Err(KftcError::new(Rsp::A0111));
    }
    if amt > limits.wd_item_minor {
        return Err(KftcError::new(Rsp::A0105));
    }
    let now = state.world.clock.now();
    let date = date8(now);
    let org = caller.org().to_owned();
    let cinst = contract_inst(&state, &cntr).await?;
    let dps_print = need(&req.dps_print_content, "dps_print_content", 20)?.to_owned();
    let wd_print = opt(&req.wd_print_content, "wd_print_content", 20)?
        .map(str::to_owned)
        .unwrap_or_else(|| cntr.holder_name.chars().take(20).collect());
    let meta = Meta {
        check_type: "1".into(),
        tran_amt: amt,
        wd: side(&h.inst, &h.account, &h.reg.handle, &wd_print),
        dps: side(&cinst, &cntr, "", &dps_print),
    };
    let req_t = TransferRequest {
        scope: scope(&org, &date),
        key: tran.to_owned(),
        at: now,
        kind: EntryKind::Withdrawal,
        legs: vec![
            Leg {
                account_id: h.account.account_id.clone(),
                amount_minor: -amt,
                currency: Currency::KRW,
                memo: wd_print.clone(),
                counterparty: cntr.holder_name.clone(),
            },
            Leg {
                account_id: cntr.account_id.clone(),
                amount_minor: amt,
                currency: Currency::KRW,
                memo: dps_print.clone(),
                counterparty: h.account.holder_name.clone(),
            },
        ],
        limits: vec![
            Limit {
                counter: format!("kftc:wd:user:{org}:{}", h.reg.person_id),
                period: date.clone(),
                amount_minor: amt,
                max_minor: limits.user_wd_day_minor,
                code: Rsp::A0112.code().into(),
            },
            Limit {
                counter: format!("kftc:wd:org:{org}"),
                period: date.clone(),
                amount_minor: amt,
                max_minor: limits.wd_day_minor,
                code: Rsp::A0103.code().into(),
            },
            Limit {
                counter: format!("kftc:wd:org:{org}"),
                period: date[..6].to_owned(),
                amount_minor: amt,
                max_minor: limits.wd_month_minor,
                code: Rsp::A0104.code().into(),
            },
        ],
        meta: serde_json::to_value(&meta).unwrap_or_default(),
    };
    let o = apply(
        &state,
        req_t,
        &org,
        &h.account.account_id,
        TransferDirection::Withdrawal,
        amt,
    )
    .await?;
    let code = bank_code(&h.inst);
    let applied = match &o.result {
        Ok(a) => a.clone(),
        Err(r) => {
            let (rsp, bank) = refusal(r, &h.account);
            let mut e = KftcError::new(rsp);
            e.bank = bank.map(|b| Box::new(BankPart::new(&code, tran, &date, b)));
            return Err(e);
        }
    };
    let used = applied.limit_totals.first().copied().unwrap_or(amt);
    Ok(Json(WithdrawResponse {
        env: ok_env(&state),
        bank: bank_ok(&code, tran, &date),
        dps_bank_code_std: meta.dps.bank_code_std,
        dps_bank_code_sub: meta.dps.bank_code_sub,
        dps_bank_name: meta.dps.bank_name,
        dps_account_num_masked: meta.dps.account_num_masked,
        dps_print_content: dps_print,
        dps_account_holder_name: cntr.holder_name.clone(),
        fintech_use_num: h.reg.handle.clone(),
        account_num: acnt_variant.then(|| h.account.account_num.clone()),
        account_alias: h.reg.alias.clone(),
        bank_code_std: code,
        bank_code_sub: bank_code_sub(&h.inst),
        bank_name: h.inst.name.clone(),
        savings_bank_name: savings_bank_name(&h.inst),
        account_num_masked: mask_account(&h.account.account_num),
        print_content: wd_print,
        account_holder_name: h.account.holder_name.clone(),
        tran_amt: amt.to_string(),
        wd_limit_remain_amt: (limits.user_wd_day_minor - used).max(0).to_string(),
    }))
}

/// Checks both withdraw variants share; returns (bank_tran_id, amount).
pub(crate) fn withdraw_fields<'a>(
    req: &'a WithdrawRequest,
    caller: &Caller,
) -> KResult<(&'a str, i64)> {
    let tran = tran_id(&req.bank_tran_id, caller)?;
    need(&req.dps_print_content, "dps_print_content", 20)?;
    let amt = amount(&req.tran_amt, "tran_amt")?;
    digits(&req.tran_dtime, "tran_dtime", 14)?;
    need(&req.req_client_name, "req_client_name", 20)?;
    need(&req.req_client_num, "req_client_num", 20)?;
    one_of(
        &req.transfer_purpose,
        "transfer_purpose",
        &["TR", "ST", "RC"],
    )?;
    check_req_client(
        &req.req_client_fintech_use_num,
        &req.req_client_bank_code,
        &req.req_client_account_num,
    )?;
    opt(&req.sub_frnc_name, "sub_frnc_name", 40)?;
    opt(&req.sub_frnc_num, "sub_frnc_num", 20)?;
    opt(&req.sub_frnc_business_num, "sub_frnc_business_num", 10)?;
    if req.recv_client_name.as_deref().unwrap_or("").is_empty()
        || req
            .recv_client_bank_code
            .as_deref()
            .unwrap_or("")
            .is_empty()
        || req
            .recv_client_account_num
            .as_deref()
            .unwrap_or("")
            .is_empty()
    {
        return Err(KftcError::format("최종수취고객정보가 입력되지 않았습니다."));
    }
    need(&req.recv_client_name, "recv_client_name", 20)?;
    need(&req.recv_client_bank_code, "recv_client_bank_code", 3)?;
    need(&req.recv_client_account_num, "recv_client_account_num", 16)?;
    Ok((tran, amt))
}

/// 출금이체 by fintech_use_num (OBI-017, transfer/sa).
#[utoipa::path(post, path = "/v2.0/transfer/withdraw/fin_num", tag = "transfer", request_body = WithdrawRequest,
    responses((status = 200, body = WithdrawResponse)))]
pub async fn withdraw_fin_num(
    State(state): State<KftcState>,
    caller: Caller,
    KJson(req): KJson<WithdrawRequest>,
) -> KResult<Json<WithdrawResponse>> {
    caller.require(&["transfer", "sa"])?;
    let (tran, amt) = withdraw_fields(&req, &caller)?;
    let tran = tran.to_owned();
    let fin = digits(&req.fintech_use_num, "fintech_use_num", 24)?;
    let (contract, cntr) = check_contract(
        &state,
        &caller,
        &req.cntr_account_type,
        &req.cntr_account_num,
    )
    .await?;
    let h = by_fin(&state, &caller, fin).await?;
    withdraw(state, caller, req, &tran, amt, h, contract, cntr, false).await
}

/// 출금이체 by account number (OBI-018, sa).
#[utoipa::path(post, path = "/v2.0/transfer/withdraw/acnt_num", tag = "transfer", request_body = WithdrawRequest,
    responses((status = 200, body = WithdrawResponse)))]
pub async fn withdraw_acnt_num(
    State(state): State<KftcState>,
    caller: Caller,
    KJson(req): KJson<WithdrawRequest>,
) -> KResult<Json<WithdrawResponse>> {
    caller.require(&["sa"])?;
    let (tran, amt) = withdraw_fields(&req, &caller)?;
    let tran = tran.to_owned();
    let code = need(&req.wd_bank_code_std, "wd_bank_code_std", 3)?;
    let num = need(&req.wd_account_num, "wd_account_num", 16)?;
    opt(&req.wd_account_seq, "wd_account_seq", 3)?;
    let (contract, cntr) = check_contract(
        &state,
        &caller,
        &req.cntr_account_type,
        &req.cntr_account_num,
    )
    .await?;
    let h = by_acnt(&state, &caller, code, num, &req.user_seq_no, &tran).await?;
    withdraw(state, caller, req, &tran, amt, h, contract, cntr, true).await
}

// ---- deposit ---------------------------------------------------------------------

/// One deposit item after its checks: where it goes and how much.
pub(crate) struct DepositItem {
    tran_no: String,
    tran_id: String,
    amt: i64,
    print: String,
    cms_num: String,
    fin: Option<String>,
    bank_code: Option<String>,
    account_num: Option<String>,
    holder_name: Option<String>,
}

pub(crate) fn deposit_item(
    it: &DepositItemRequest,
    caller: &Caller,
    acnt: bool,
) -> KResult<DepositItem> {
    let tran_no = digits_max(&it.tran_no, "tran_no", 5)?;
    let tran_id = tran_id(&it.bank_tran_id, caller)?.to_owned();
    let print = need(&it.print_content, "print_content", 20)?.to_owned();
    let amt = amount(&it.tran_amt, "tran_amt")?;
    need(&it.req_client_name, "req_client_name", 20)?;
    need(&it.req_client_num, "req_client_num", 20)?;
    one_of(
        &it.transfer_purpose,
        "transfer_purpose",
        &["TR", "ST", "AU"],
    )?;
    check_req_client(
        &it.req_client_fintech_use_num,
        &it.req_client_bank_code,
        &it.req_client_account_num,
    )?;
    let cms_num = opt(&it.cms_num, "cms_num", 20)?.unwrap_or("").to_owned();
    opt(&it.withdraw_bank_tran_id, "withdraw_bank_tran_id", 20)?;
    let (fin, bank_code, account_num, holder_name) = if acnt {
        (
            None,
            Some(need(&it.bank_code_std, "bank_code_std", 3)?.to_owned()),
            Some(need(&it.account_num, "account_num", 16)?.to_owned()),
            opt(&it.account_holder_name, "account_holder_name", 20)?.map(str::to_owned),
        )
    } else {
        (
            Some(digits(&it.fintech_use_num, "fintech_use_num", 24)?.to_owned()),
            None,
            None,
            None,
        )
    };
    Ok(DepositItem {
        tran_no,
        tran_id,
        amt,
        print,
        cms_num,
        fin,
        bank_code,
        account_num,
        holder_name,
    })
}

fn digits_max(v: &Option<String>, name: &str, max: usize) -> KResult<String> {
    let s = need(v, name, max)?;
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(KftcError::format(format!("{name} 는 숫자입니다")));
    }
    Ok(s.to_owned())
}

/// An item's failure: its rsp_code and, where a bank answered, the bank's code.
struct ItemFail(Rsp, Option<BankRsp>);

impl From<KftcError> for ItemFail {
    fn from(e: KftcError) -> Self {
        let bank = e
            .bank
            .as_ref()
            .and_then(|b| match b.bank_rsp_code.as_str() {
                "412" => Some(BankRsp::NoAccount),
                "415" => Some(BankRsp::Closed),
                "499" => Some(BankRsp::NotProcessable),
                "815" => Some(BankRsp::NameMismatch),
                _ => None,
            });
        ItemFail(e.rsp, bank)
    }
}

struct DepositCtx<'a> {
    state: &'a KftcState,
    caller: &'a Caller,
    contract: &'a ClientContract,
    cntr: &'a Account,
    cinst: &'a Institution,
    wd_print: &'a str,
    name_check: bool,
    date: String,
}

/// Resolve and pay one item; returns the answer line and its failure, if any.
async fn deposit_one(
    cx: &DepositCtx<'_>,
    it: &DepositItem,
) -> (DepositItemResponse, Option<ItemFail>) {
    let mut line = DepositItemResponse {
        tran_no: it.tran_no.clone(),
        bank_tran_id: it.tran_id.clone(),
        bank_tran_date: cx.date.clone(),
        bank_code_tran: it.bank_code.clone().unwrap_or_default(),
        bank_rsp_code: String::new(),
        bank_rsp_message: String::new(),
        fintech_use_num: it.fin.clone(),
        account_num: it.account_num.clone(),
        account_alias: String::new(),
        bank_code_std: it.bank_code.clone().unwrap_or_default(),
        bank_code_sub: String::new(),
        bank_name: String::new(),
        savings_bank_name: String::new(),
        account_num_masked: String::new(),
        print_content: it.print.clone(),
        account_holder_name: String::new(),
        tran_amt: it.amt.to_string(),
        cms_num: it.cms_num.clone(),
    };
    let fail = deposit_pay(cx, it, &mut line).await.err();
    let bank = match &fail {
        None => Some(BankRsp::Ok),
        Some(ItemFail(_, b)) => *b,
    };
    if let Some(b) = bank {
        line.bank_rsp_code = b.code().into();
        line.bank_rsp_message = b.message().into();
    }
    if let (Some(ItemFail(rsp, None)), true) = (&fail, line.bank_rsp_message.is_empty()) {
        line.bank_rsp_message = rsp.message().into();
    }
    (line, fail)
}

async fn deposit_pay(
    cx: &DepositCtx<'_>,
    it: &DepositItem,
    line: &mut DepositItemResponse,
) -> Result<(), ItemFail> {
    let state = cx.state;
    let (account, inst, fin, alias) = match &it.fin {
        Some(fin) => {
            let h = by_fin(state, cx.caller, fin).await?;
            (h.account, h.inst, fin.clone(), h.reg.alias)
        }
        None => {
            let code = it.bank_code.as_deref().unwrap_or("");
            let inst = bank(state, code).await?;
            let acc = account_at(
                state,
                &inst,
                it.account_num.as_deref().unwrap_or(""),
                &it.tran_id,
            )
            .await?;
            (acc, inst, String::new(), String::new())
        }
    };
    line.bank_code_tran = bank_code(&inst);
    line.bank_code_std = bank_code(&inst);
    line.bank_code_sub = bank_code_sub(&inst);
    line.bank_name = inst.name.clone();
    line.savings_bank_name = savings_bank_name(&inst);
    line.account_num_masked = mask_account(&account.account_num);
    line.account_holder_name = account.holder_name.clone();
    line.account_alias = alias;
    check_open(state, &inst, &account, &it.tran_id)?;
    if cx.name_check {
        if let Some(name) = &it.holder_name {
            if name.trim() != account.holder_name {
                return Err(ItemFail(Rsp::A0312, Some(BankRsp::NameMismatch)));
            }
        }
    }
    let limits = cx.contract.limits;
    if it.amt > limits.dps_item_minor {
        return Err(ItemFail(Rsp::A0106, None));
    }
    let org = cx.caller.org();
    let meta = Meta {
        check_type: "2".into(),
        tran_amt: it.amt,
        wd: side(cx.cinst, cx.cntr, "", cx.wd_print),
        dps: side(&inst, &account, &fin, &it.print),
    };
    let req = TransferRequest {
        scope: scope(org, &cx.date),
        key: it.tran_id.clone(),
        at: state.world.clock.now(),
        kind: EntryKind::Deposit,
        legs: vec![
            Leg {
                account_id: cx.cntr.account_id.clone(),
                amount_minor: -it.amt,
                currency: Currency::KRW,
                memo: cx.wd_print.to_owned(),
                counterparty: account.holder_name.clone(),
            },
            Leg {
                account_id: account.account_id.clone(),
                amount_minor: it.amt,
                currency: Currency::KRW,
                memo: it.print.clone(),
                counterparty: cx.cntr.holder_name.clone(),
            },
        ],
        limits: vec![
            Limit {
                counter: format!("kftc:dps:org:{org}"),
                period: cx.date.clone(),
                amount_minor: it.amt,
                max_minor: limits.dps_day_minor,
                code: Rsp::A0101.code().into(),
            },
            Limit {
                counter: format!("kftc:dps:org:{org}"),
                period: cx.date[..6].to_owned(),
                amount_minor: it.amt,
                max_minor: limits.dps_month_minor,
                code: Rsp::A0102.code().into(),
            },
        ],
        meta: serde_json::to_value(&meta).unwrap_or_default(),
    };
    let o = apply(
        state,
        req,
        org,
        &account.account_id,
        TransferDirection::Deposit,
        it.amt,
    )
    .await?;
    if let Err(r) = &o.result {
        // The paying side is the contract account: its shortfall is the institution's.
        let (rsp, bank) = refusal(r, cx.cntr);
        return Err(ItemFail(rsp, bank));
    }
    Ok(())
}

async fn deposit(
    state: KftcState,
    caller: Caller,
    req: DepositRequest,
    acnt: bool,
) -> KResult<Json<DepositResponse>> {
    caller.require(&["oob", "sa"])?;
    let wd_print = need(&req.wd_print_content, "wd_print_content", 20)?.to_owned();
    let phrase = need(&req.wd_pass_phrase, "wd_pass_phrase", 128)?.to_owned();
    let name_check = match opt(&req.name_check_option, "name_check_option", 3)? {
        None | Some("on") => true,
        Some("off") => false,
        Some(_) => return Err(KftcError::format("name_check_option 허용값: on/off")),
    };
    digits(&req.tran_dtime, "tran_dtime", 14)?;
    opt(&req.sub_frnc_name, "sub_frnc_name", 40)?;
    opt(&req.sub_frnc_num, "sub_frnc_num", 20)?;
    opt(&req.sub_frnc_business_num, "sub_frnc_business_num", 10)?;
    let cnt: usize = digits_max(&req.req_cnt, "req_cnt", 5)?
        .parse()
        .map_err(|_| KftcError::format("req_cnt"))?;
    let list = req.req_list.as_deref().unwrap_or(&[]);
    if list.is_empty() {
        return Err(KftcError::format("req_list 누락"));
    }
    if cnt != list.len() {
        return Err(KftcError::format("req_cnt 와 req_list 건수가 다릅니다"));
    }
    if cnt > MAX_ITEMS {
        return Err(KftcError::format(format!("req_cnt 최대 {MAX_ITEMS}건")));
    }
    let items = list
        .iter()
        .map(|it| deposit_item(it, &caller, acnt))
        .collect::<KResult<Vec<_>>>()?;
    let mut ids: Vec<&str> = items.iter().map(|i| i.tran_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() != items.len() {
        return Err(KftcError::format(
            "req_list 안에 같은 bank_tran_id 가 있습니다",
        ));
    }
    let (contract, cntr) = check_contract(
        &state,
        &caller,
        &req.cntr_account_type,
        &req.cntr_account_num,
    )
    .await?;
    if phrase != contract.pass_phrase {
        return Err(KftcError::new(Rsp::A0307));
    }
    let cinst = contract_inst(&state, &cntr).await?;
    let cx = DepositCtx {
        state: &state,
        caller: &caller,
        contract: &contract,
        cntr: &cntr,
        cinst: &cinst,
        wd_print: &wd_print,
        name_check,
        date: today8(&state),
    };
    let mut res_list = Vec::with_capacity(items.len());
    let mut fails = Vec::new();
    for it in &items {
        let (line, fail) = deposit_one(&cx, it).await;
        res_list.push(line);
        if let Some(f) = fail {
            fails.push(f.0);
        }
    }
    let mut env = ok_env(&state);
    let top = match (fails.as_slice(), items.len()) {
        ([], _) => Rsp::A0000,
        ([one], 1) => *one,
        _ => Rsp::A0009,
    };
    env.rsp_code = top.code().into();
    env.rsp_message = top.message().into();
    let wd = side(&cinst, &cntr, "", &wd_print);
    Ok(Json(DepositResponse {
        env,
        wd_bank_code_std: wd.bank_code_std,
        wd_bank_code_sub: wd.bank_code_sub,
        wd_bank_name: wd.bank_name,
        wd_account_num_masked: wd.account_num_masked,
        wd_print_content: wd.print_content,
        wd_account_holder_name: wd.account_holder_name,
        res_cnt: res_list.len().to_string(),
        res_list,
    }))
}

/// 입금이체 by fintech_use_num (OBI-019, oob/sa).
#[utoipa::path(post, path = "/v2.0/transfer/deposit/fin_num", tag = "transfer", request_body = DepositRequest,
    responses((status = 200, body = DepositResponse)))]
pub async fn deposit_fin_num(
    State(state): State<KftcState>,
    caller: Caller,
    KJson(req): KJson<DepositRequest>,
) -> KResult<Json<DepositResponse>> {
    deposit(state, caller, req, false).await
}

/// 입금이체 by account number (OBI-020, oob/sa).
#[utoipa::path(post, path = "/v2.0/transfer/deposit/acnt_num", tag = "transfer", request_body = DepositRequest,
    responses((status = 200, body = DepositResponse)))]
pub async fn deposit_acnt_num(
    State(state): State<KftcState>,
    caller: Caller,
    KJson(req): KJson<DepositRequest>,
) -> KResult<Json<DepositResponse>> {
    deposit(state, caller, req, true).await
}

// ---- result ----------------------------------------------------------------------

/// 이체결과조회 (OBI-021, oob/sa): the original outcome, even a refused one.
#[utoipa::path(post, path = "/v2.0/transfer/result", tag = "transfer", request_body = TransferResultRequest,
    responses((status = 200, body = TransferResultResponse)))]
pub async fn result(
    State(state): State<KftcState>,
    caller: Caller,
    KJson(req): KJson<TransferResultRequest>,
) -> KResult<Json<TransferResultResponse>> {
    caller.require(&["oob", "sa"])?;
    let check_type = one_of(&req.check_type, "check_type", &["1", "2"])?.to_owned();
    digits(&req.tran_dtime, "tran_dtime", 14)?;
    let cnt: usize = digits_max(&req.req_cnt, "req_cnt", 2)?
        .parse()
        .map_err(|_| KftcError::format("req_cnt"))?;
    let list = req.req_list.as_deref().unwrap_or(&[]);
    if list.is_empty() || cnt != list.len() || cnt > MAX_ITEMS {
        return Err(KftcError::format("req_cnt 와 req_list 건수가 다릅니다"));
    }
    let today = state.world.clock.now_kst().date_naive();
    let month_ago = today
        .checked_sub_months(chrono::Months::new(1))
        .unwrap_or(today);
    let mut res_list = Vec::with_capacity(list.len());
    let mut missing = 0;
    for it in list {
        let tran_no = digits_max(&it.tran_no, "tran_no", 5)?;
        let id = need(&it.org_bank_tran_id, "org_bank_tran_id", 20)?;
        check_bank_tran_id(id, caller.org()).map_err(KftcError::format)?;
        let date = digits(&it.org_bank_tran_date, "org_bank_tran_date", 8)?;
        let day = parse_date8(date).ok_or_else(|| KftcError::format("org_bank_tran_date"))?;
        let amt = amount(&it.org_tran_amt, "org_tran_amt")?;
        let found = if day < month_ago || day > today {
            None
        } else {
            state
                .world
                .repo
                .outcome(&scope(caller.org(), date), id)
                .await?
        };
        let meta = found
            .as_ref()
            .and_then(|o| serde_json::from_value::<Meta>(o.meta.clone()).ok())
            .filter(|m| m.check_type == check_type && m.tran_amt == amt);
        let mut line = ResultItemResponse {
            tran_no,
            bank_tran_id: id.to_owned(),
            bank_tran_date: date.to_owned(),
            tran_amt: amt.to_string(),
            ..Default::default()
        };
        match (found, meta) {
            (Some(o), Some(m)) => {
                let (rsp, bank) = match &o.result {
                    Ok(_) => (Rsp::A0000, Some(BankRsp::Ok)),
                    Err(r) => refusal_codes(r),
                };
                line.bank_code_tran = if check_type == "1" {
                    m.wd.bank_code_std.clone()
                } else {
                    m.dps.bank_code_std.clone()
                };
                line.bank_rsp_code = bank.map(|b| b.code()).unwrap_or("").into();
                line.bank_rsp_message = bank
                    .map(|b| b.message().to_owned())
                    .unwrap_or_else(|| rsp.message().to_owned());
                line.org_rsp_code = rsp.code().into();
                line.wd_bank_code_std = m.wd.bank_code_std;
                line.wd_bank_code_sub = m.wd.bank_code_sub;
                line.wd_bank_name = m.wd.bank_name;
                line.wd_savings_bank_name = m.wd.savings_bank_name;
                line.wd_fintech_use_num = m.wd.fintech_use_num;
                line.wd_account_num_masked = m.wd.account_num_masked;
                line.wd_print_content = m.wd.print_content;
                line.wd_account_holder_name = m.wd.account_holder_name;
                line.dps_bank_code_std = m.dps.bank_code_std;
                line.dps_bank_code_sub = m.dps.bank_code_sub;
                line.dps_bank_name = m.dps.bank_name;
                line.dps_savings_bank_name = m.dps.savings_bank_name;
                line.dps_fintech_use_num = m.dps.fintech_use_num;
                line.dps_account_num_masked = m.dps.account_num_masked;
                line.dps_print_content = m.dps.print_content;
                line.dps_account_holder_name = m.dps.account_holder_name;
            }
            _ => {
                missing += 1;
                line.org_rsp_code = Rsp::A0310.code().into();
                line.bank_rsp_message = Rsp::A0310.message().into();
            }
        }
        res_list.push(line);
    }
    let mut env = ok_env(&state);
    let top = match (missing, list.len()) {
        (0, _) => Rsp::A0000,
        (_, 1) => Rsp::A0310,
        _ => Rsp::A0009,
    };
    env.rsp_code = top.code().into();
    env.rsp_message = top.message().into();
    Ok(Json(TransferResultResponse {
        env,
        res_cnt: res_list.len().to_string(),
        res_list,
    }))
}

/// A recorded refusal's codes (an overdraft line shows as 453 here).
fn refusal_codes(r: &Rejection) -> (Rsp, Option<BankRsp>) {
    match r {
        Rejection::AccountClosed { .. } => (Rsp::A0002, Some(BankRsp::Closed)),
        Rejection::AccountNotFound { .. } => (Rsp::A0002, Some(BankRsp::NoAccount)),
        Rejection::LimitExceeded { code, .. } => (Rsp::from_code(code).unwrap_or(Rsp::A0003), None),
        Rejection::InsufficientFunds { .. } => (Rsp::A0002, Some(BankRsp::Insufficient)),
        _ => (Rsp::A0002, Some(BankRsp::NotProcessable)),
    }
}
