//! OBI-017..021: withdrawals and deposits as ledger movements between a
//! person's account and the client's contract account, and their results.
//! bank_tran_id is the idempotency key within the business day.

use crate::codes::{BankRsp, Rsp};
use crate::error::{KResult, KftcError};
use crate::extract::{digits, need, one_of, opt, Caller, KJson};
use crate::format::*;
use crate::inquiry::{check_contract, check_req_client};
use crate::parse::{field, BankTranId, Date8, FintechUseNum, TranAmt, TranDtime};
use crate::refusal::{refusal, refusal_codes, refused, At, KftcRule};
use crate::service::*;
use crate::wire::*;
use crate::KftcState;
use axum::extract::State;
use axum::Json;
use finhub_core::account::Account;
use finhub_core::fraud::{TransferDirection, TransferEvent};
use finhub_core::institution::Institution;
use finhub_core::ledger::{
    Applied, EntryKind, Leg, Limit, Rejection, TransferOutcome, TransferRequest,
};
use finhub_core::money::Currency;
use finhub_core::payments::{Payment, Rule};
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

/// A movement through core's rules and the ledger. A different request
/// under a used bank_tran_id is A0326.
async fn pay(state: &KftcState, p: Payment) -> KResult<TransferOutcome> {
    match state.world.pay(p).await {
        Err(CoreError::IdempotencyMismatch) => Err(KftcError::new(Rsp::A0326)),
        other => Ok(other?),
    }
}

/// What a first outcome answers. A replay of a refusal decided before the
/// ledger gets that refusal again; a replay of an applied transfer, or of
/// one the ledger refused, is A0326 (the standard's repeated bank_tran_id).
fn settle(o: TransferOutcome) -> KResult<Result<Applied, Rejection>> {
    match (o.replayed, o.result) {
        (false, r) => Ok(r),
        (true, Err(r)) if r.is_before_ledger() => Ok(Err(r)),
        (true, _) => Err(KftcError::new(Rsp::A0326)),
    }
}

/// The fraud-log line written in the ledger's own commit when the transfer
/// applies (never a moved sum without its line).
fn event(
    org: &str,
    req: &TransferRequest,
    acc: &str,
    dir: TransferDirection,
    amt: i64,
) -> TransferEvent {
    TransferEvent {
        org_code: org.to_owned(),
        scope: req.scope.clone(),
        key: req.key.clone(),
        account_id: acc.to_owned(),
        direction: dir,
        amount_minor: amt,
        at: req.at,
    }
}

/// The answer meta kept with the outcome; a failure fails the request.
fn meta_value(meta: &Meta) -> KResult<serde_json::Value> {
    serde_json::to_value(meta).map_err(|e| CoreError::Internal(e.to_string()).into())
}

fn leg(account: &Account, amount_minor: i64, memo: &str, counterparty: &str) -> Leg {
    Leg {
        account_id: account.account_id.clone(),
        amount_minor,
        currency: Currency::KRW,
        memo: memo.to_owned(),
        counterparty: counterparty.to_owned(),
    }
}

fn limit(rule: KftcRule, counter: String, period: &str, amt: i64, max_minor: i64) -> Limit {
    Limit {
        counter,
        period: period.to_owned(),
        amount_minor: amt,
        max_minor,
        code: rule.id().tag(),
    }
}

async fn contract_inst(state: &KftcState, acc: &Account) -> KResult<Institution> {
    Ok(state.world.institution(&acc.org_code).await?)
}

// ---- withdraw -------------------------------------------------------------------

/// A withdrawal as both handlers hand it over: fields checked, parties found.
struct Withdrawal {
    tran: BankTranId,
    amt: i64,
    dps_print: String,
    wd_print: Option<String>,
    held: Held,
    contract: ClientContract,
    cntr: Account,
    acnt_variant: bool,
}

/// What the withdrawal's request and answer are built from.
struct WithdrawCx<'a> {
    w: &'a Withdrawal,
    org: &'a str,
    now: chrono::DateTime<chrono::Utc>,
    date: String,
    wd_print: String,
}

async fn withdraw(
    state: KftcState,
    caller: Caller,
    w: Withdrawal,
) -> KResult<Json<WithdrawResponse>> {
    let now = state.world.clock.now();
    let cinst = contract_inst(&state, &w.cntr).await?;
    let wd_print = w
        .wd_print
        .clone()
        .unwrap_or_else(|| w.cntr.holder_name.chars().take(20).collect());
    let cx = WithdrawCx {
        w: &w,
        org: caller.org(),
        now,
        date: date8(now),
        wd_print,
    };
    let meta = Meta {
        check_type: "1".into(),
        tran_amt: w.amt,
        wd: side(
            &w.held.inst,
            &w.held.account,
            &w.held.reg.handle,
            &cx.wd_print,
        ),
        dps: side(&cinst, &w.cntr, "", &w.dps_print),
    };
    let transfer = withdraw_transfer(&cx, &meta)?;
    let log = event(
        cx.org,
        &transfer,
        &w.held.account.account_id,
        TransferDirection::Withdrawal,
        w.amt,
    );
    let p = Payment {
        transfer,
        rules: withdraw_rules(&w),
        log: Some(log),
    };
    match settle(pay(&state, p).await?)? {
        Ok(applied) => Ok(Json(withdraw_answer(&state, &cx, meta, &applied))),
        Err(r) => Err(refused(
            &r,
            &w.held.account,
            &At {
                bank_code: &bank_code(&w.held.inst),
                bank_tran_id: w.tran.as_str(),
                date: &cx.date,
            },
        )),
    }
}

/// KFTC's order: the transfer consent, the bank and the account, then the
/// user's and the client's per-item limits.
fn withdraw_rules(w: &Withdrawal) -> Vec<Rule> {
    let limits = &w.contract.limits;
    let mut rules = vec![Rule::Standard {
        rule: KftcRule::TransferNotAgreed.id(),
        passed: w.held.reg.has(Service::Transfer),
    }];
    rules.extend(open_rules(&w.held.inst, &w.held.account));
    for (rule, max_minor) in [
        (KftcRule::UserWdItem, limits.user_wd_item_minor),
        (KftcRule::OrgWdItem, limits.wd_item_minor),
    ] {
        rules.push(Rule::ItemLimit {
            limit: rule.id(),
            amount_minor: w.amt,
            max_minor,
        });
    }
    rules
}

fn withdraw_transfer(cx: &WithdrawCx<'_>, meta: &Meta) -> KResult<TransferRequest> {
    let (w, org, date) = (cx.w, cx.org, cx.date.as_str());
    let limits = &w.contract.limits;
    let wd = format!("kftc:wd:org:{org}");
    Ok(TransferRequest {
        scope: scope(org, date),
        key: w.tran.to_string(),
        at: cx.now,
        kind: EntryKind::Withdrawal,
        legs: vec![
            leg(&w.held.account, -w.amt, &cx.wd_print, &w.cntr.holder_name),
            leg(&w.cntr, w.amt, &w.dps_print, &w.held.account.holder_name),
        ],
        limits: vec![
            limit(
                KftcRule::UserWdDay,
                format!("kftc:wd:user:{org}:{}", w.held.reg.person_id),
                date,
                w.amt,
                limits.user_wd_day_minor,
            ),
            limit(
                KftcRule::OrgWdDay,
                wd.clone(),
                date,
                w.amt,
                limits.wd_day_minor,
            ),
            limit(
                KftcRule::OrgWdMonth,
                wd,
                &date[..6],
                w.amt,
                limits.wd_month_minor,
            ),
        ],
        meta: meta_value(meta)?,
    })
}

fn withdraw_answer(
    state: &KftcState,
    cx: &WithdrawCx<'_>,
    meta: Meta,
    applied: &Applied,
) -> WithdrawResponse {
    let (w, h) = (cx.w, &cx.w.held);
    let code = bank_code(&h.inst);
    let used = applied.limit_totals.first().copied().unwrap_or(w.amt);
    WithdrawResponse {
        env: ok_env(state),
        bank: bank_ok(&code, w.tran.as_str(), &cx.date),
        dps_bank_code_std: meta.dps.bank_code_std,
        dps_bank_code_sub: meta.dps.bank_code_sub,
        dps_bank_name: meta.dps.bank_name,
        dps_account_num_masked: meta.dps.account_num_masked,
        dps_print_content: w.dps_print.clone(),
        dps_account_holder_name: w.cntr.holder_name.clone(),
        fintech_use_num: h.reg.handle.clone(),
        account_num: w.acnt_variant.then(|| h.account.account_num.clone()),
        account_alias: h.reg.alias.clone(),
        bank_code_std: code,
        bank_code_sub: bank_code_sub(&h.inst),
        bank_name: h.inst.name.clone(),
        savings_bank_name: savings_bank_name(&h.inst),
        account_num_masked: mask_account(&h.account.account_num),
        print_content: cx.wd_print.clone(),
        account_holder_name: h.account.holder_name.clone(),
        tran_amt: w.amt.to_string(),
        wd_limit_remain_amt: (w.contract.limits.user_wd_day_minor - used)
            .max(0)
            .to_string(),
    }
}

/// The request's own fields of a withdrawal, checked.
struct WithdrawFields {
    tran: BankTranId,
    amt: TranAmt,
    dps_print: String,
    wd_print: Option<String>,
}

/// Checks both withdraw variants share, in KFTC's order.
fn withdraw_request(req: &WithdrawRequest, caller: &Caller) -> KResult<WithdrawFields> {
    let tran = field(&req.bank_tran_id, "bank_tran_id", |s| {
        BankTranId::parse_for(s, caller.org())
    })?;
    let dps_print = need(&req.dps_print_content, "dps_print_content", 20)?.to_owned();
    let amt = field(&req.tran_amt, "tran_amt", TranAmt::parse)?;
    field(&req.tran_dtime, "tran_dtime", TranDtime::parse)?;
    withdraw_parties(req)?;
    Ok(WithdrawFields {
        tran,
        amt,
        dps_print,
        wd_print: opt(&req.wd_print_content, "wd_print_content", 20)?.map(str::to_owned),
    })
}

/// The fuzz targets' view of `withdraw_request`: (bank_tran_id, amount).
pub(crate) fn withdraw_fields<'a>(
    req: &'a WithdrawRequest,
    caller: &Caller,
) -> KResult<(&'a str, i64)> {
    let f = withdraw_request(req, caller)?;
    Ok((req.bank_tran_id.as_deref().unwrap_or(""), f.amt.krw()))
}

impl Withdrawal {
    fn new(
        f: WithdrawFields,
        held: Held,
        (contract, cntr): (ClientContract, Account),
        acnt_variant: bool,
    ) -> Self {
        Withdrawal {
            tran: f.tran,
            amt: f.amt.krw(),
            dps_print: f.dps_print,
            wd_print: f.wd_print,
            held,
            contract,
            cntr,
            acnt_variant,
        }
    }
}

/// Who asks and who finally receives, as both withdraw variants carry them.
fn withdraw_parties(req: &WithdrawRequest) -> KResult<()> {
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
    Ok(())
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
    let f = withdraw_request(&req, &caller)?;
    let fin = digits(&req.fintech_use_num, "fintech_use_num", 24)?;
    let contract = check_contract(
        &state,
        &caller,
        &req.cntr_account_type,
        &req.cntr_account_num,
    )
    .await?;
    let h = by_fin(&state, &caller, fin).await?;
    withdraw(state, caller, Withdrawal::new(f, h, contract, false)).await
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
    let f = withdraw_request(&req, &caller)?;
    let code = need(&req.wd_bank_code_std, "wd_bank_code_std", 3)?;
    let num = need(&req.wd_account_num, "wd_account_num", 16)?;
    opt(&req.wd_account_seq, "wd_account_seq", 3)?;
    let contract = check_contract(
        &state,
        &caller,
        &req.cntr_account_type,
        &req.cntr_account_num,
    )
    .await?;
    let a = AcntRef {
        bank_code_std: code,
        account_num: num,
        user_seq_no: &req.user_seq_no,
        bank_tran_id: f.tran.as_str(),
    };
    let h = by_acnt(&state, &caller, a).await?;
    withdraw(state, caller, Withdrawal::new(f, h, contract, true)).await
}

// ---- deposit ---------------------------------------------------------------------

/// One deposit item after its checks: where it goes and how much.
pub(crate) struct DepositItem {
    tran_no: String,
    tran_id: BankTranId,
    amt: i64,
    print: String,
    cms_num: String,
    fin: Option<FintechUseNum>,
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
    let tran_id = field(&it.bank_tran_id, "bank_tran_id", |s| {
        BankTranId::parse_for(s, caller.org())
    })?;
    let print = need(&it.print_content, "print_content", 20)?.to_owned();
    let amt = field(&it.tran_amt, "tran_amt", TranAmt::parse)?.krw();
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
            Some(field(
                &it.fintech_use_num,
                "fintech_use_num",
                FintechUseNum::parse,
            )?),
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

/// An item's failure: its rsp_code and, where a bank answered, the bank's
/// code; `lookup` when it failed before any money rule was judged.
struct ItemFail {
    rsp: Rsp,
    bank: Option<BankRsp>,
    lookup: bool,
}

impl ItemFail {
    /// A lookup's or the store's failure (no bank answered).
    fn lookup(e: KftcError) -> Self {
        ItemFail {
            rsp: e.rsp,
            bank: None,
            lookup: true,
        }
    }
    /// The movement's own answer (A0326 for a repeated bank_tran_id, or a
    /// store failure): the request reached the money rules.
    fn answer(e: KftcError) -> Self {
        ItemFail {
            rsp: e.rsp,
            bank: None,
            lookup: false,
        }
    }
    fn refused(r: &Rejection, payer: &Account) -> Self {
        let (rsp, bank) = refusal(r, payer);
        ItemFail {
            rsp,
            bank,
            lookup: false,
        }
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
    /// Whether the request quoted the contract's pass phrase (A0307 if not).
    phrase_ok: bool,
    date: String,
}

/// Resolve and pay one item; returns the answer line and its failure, if any.
async fn deposit_one(
    cx: &DepositCtx<'_>,
    it: &DepositItem,
) -> (DepositItemResponse, Option<ItemFail>) {
    let mut line = DepositItemResponse {
        tran_no: it.tran_no.clone(),
        bank_tran_id: it.tran_id.to_string(),
        bank_tran_date: cx.date.clone(),
        bank_code_tran: it.bank_code.clone().unwrap_or_default(),
        bank_rsp_code: String::new(),
        bank_rsp_message: String::new(),
        fintech_use_num: it.fin.as_ref().map(FintechUseNum::to_string),
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
        Some(f) => f.bank,
    };
    if let Some(b) = bank {
        line.bank_rsp_code = b.code().into();
        line.bank_rsp_message = b.message().into();
    }
    if let Some(f) = fail.as_ref().filter(|f| f.bank.is_none()) {
        if line.bank_rsp_message.is_empty() {
            line.bank_rsp_message = f.rsp.message().into();
        }
    }
    (line, fail)
}

/// The account an item pays into, with its bank, fintech_use_num and alias.
struct Payee {
    account: Account,
    inst: Institution,
    fin: String,
    alias: String,
}

async fn payee(cx: &DepositCtx<'_>, it: &DepositItem) -> KResult<Option<Payee>> {
    let state = cx.state;
    if let Some(fin) = &it.fin {
        let h = by_fin(state, cx.caller, fin.as_str()).await?;
        return Ok(Some(Payee {
            account: h.account,
            inst: h.inst,
            fin: fin.to_string(),
            alias: h.reg.alias,
        }));
    }
    let inst = bank(state, it.bank_code.as_deref().unwrap_or("")).await?;
    let found = find_account(state, &inst, it.account_num.as_deref().unwrap_or("")).await?;
    Ok(found.map(|account| Payee {
        account,
        inst,
        fin: String::new(),
        alias: String::new(),
    }))
}

fn fill_payee(line: &mut DepositItemResponse, p: &Payee) {
    line.bank_code_tran = bank_code(&p.inst);
    line.bank_code_std = bank_code(&p.inst);
    line.bank_code_sub = bank_code_sub(&p.inst);
    line.bank_name = p.inst.name.clone();
    line.savings_bank_name = savings_bank_name(&p.inst);
    line.account_num_masked = mask_account(&p.account.account_num);
    line.account_holder_name = p.account.holder_name.clone();
    line.account_alias = p.alias.clone();
}

async fn deposit_pay(
    cx: &DepositCtx<'_>,
    it: &DepositItem,
    line: &mut DepositItemResponse,
) -> Result<(), ItemFail> {
    let p = payee(cx, it)
        .await
        .map_err(ItemFail::lookup)?
        .ok_or(ItemFail {
            rsp: Rsp::A0002,
            bank: Some(BankRsp::NoAccount),
            lookup: true,
        })?;
    fill_payee(line, &p);
    let meta = Meta {
        check_type: "2".into(),
        tran_amt: it.amt,
        wd: side(cx.cinst, cx.cntr, "", cx.wd_print),
        dps: side(&p.inst, &p.account, &p.fin, &it.print),
    };
    let transfer = deposit_transfer(cx, it, &p.account, &meta).map_err(ItemFail::lookup)?;
    let log = event(
        cx.caller.org(),
        &transfer,
        &p.account.account_id,
        TransferDirection::Deposit,
        it.amt,
    );
    let payment = Payment {
        transfer,
        rules: deposit_rules(cx, it, &p),
        log: Some(log),
    };
    let o = pay(cx.state, payment).await.map_err(ItemFail::answer)?;
    match settle(o).map_err(ItemFail::answer)? {
        Ok(_) => Ok(()),
        // The paying side is the contract account: its shortfall is the institution's.
        Err(r) => Err(ItemFail::refused(&r, cx.cntr)),
    }
}

/// KFTC's order: the pass phrase, the bank and the account, the holder's
/// name (unless turned off), then the client's per-item limit.
fn deposit_rules(cx: &DepositCtx<'_>, it: &DepositItem, p: &Payee) -> Vec<Rule> {
    let mut rules = vec![Rule::Standard {
        rule: KftcRule::WrongPassPhrase.id(),
        passed: cx.phrase_ok,
    }];
    rules.extend(open_rules(&p.inst, &p.account));
    if cx.name_check {
        rules.push(Rule::HolderName {
            account_id: p.account.account_id.clone(),
            holder_name: p.account.holder_name.clone(),
            given: it.holder_name.clone(),
        });
    }
    rules.push(Rule::ItemLimit {
        limit: KftcRule::OrgDpsItem.id(),
        amount_minor: it.amt,
        max_minor: cx.contract.limits.dps_item_minor,
    });
    rules
}

fn deposit_transfer(
    cx: &DepositCtx<'_>,
    it: &DepositItem,
    account: &Account,
    meta: &Meta,
) -> KResult<TransferRequest> {
    let org = cx.caller.org();
    let limits = &cx.contract.limits;
    let dps = format!("kftc:dps:org:{org}");
    Ok(TransferRequest {
        scope: scope(org, &cx.date),
        key: it.tran_id.to_string(),
        at: cx.state.world.clock.now(),
        kind: EntryKind::Deposit,
        legs: vec![
            leg(cx.cntr, -it.amt, cx.wd_print, &account.holder_name),
            leg(account, it.amt, &it.print, &cx.cntr.holder_name),
        ],
        limits: vec![
            limit(
                KftcRule::OrgDpsDay,
                dps.clone(),
                &cx.date,
                it.amt,
                limits.dps_day_minor,
            ),
            limit(
                KftcRule::OrgDpsMonth,
                dps,
                &cx.date[..6],
                it.amt,
                limits.dps_month_minor,
            ),
        ],
        meta: meta_value(meta)?,
    })
}

/// A deposit request's own fields, checked.
struct DepositHead {
    wd_print: String,
    phrase: String,
    name_check: bool,
}

fn deposit_head(req: &DepositRequest) -> KResult<DepositHead> {
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
    Ok(DepositHead {
        wd_print,
        phrase,
        name_check,
    })
}

/// Every item checked; their count agrees with req_cnt and no
/// bank_tran_id appears twice.
fn deposit_items(req: &DepositRequest, caller: &Caller, acnt: bool) -> KResult<Vec<DepositItem>> {
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
        .map(|it| deposit_item(it, caller, acnt))
        .collect::<KResult<Vec<_>>>()?;
    let mut ids: Vec<&str> = items.iter().map(|i| i.tran_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() != items.len() {
        return Err(KftcError::format(
            "req_list 안에 같은 bank_tran_id 가 있습니다",
        ));
    }
    Ok(items)
}

/// A wrong pass phrase refuses the whole request (A0307), recorded under
/// every item it judged; a retry whose items all replay that refusal gets
/// it again, even with the right phrase now.
fn refused_whole(fails: &[Option<ItemFail>], phrase_ok: bool) -> bool {
    fails.iter().all(|f| match f {
        Some(f) => f.rsp == Rsp::A0307 || (f.lookup && !phrase_ok),
        None => false,
    })
}

async fn deposit(
    state: KftcState,
    caller: Caller,
    req: DepositRequest,
    acnt: bool,
) -> KResult<Json<DepositResponse>> {
    caller.require(&["oob", "sa"])?;
    let head = deposit_head(&req)?;
    let items = deposit_items(&req, &caller, acnt)?;
    let (contract, cntr) = check_contract(
        &state,
        &caller,
        &req.cntr_account_type,
        &req.cntr_account_num,
    )
    .await?;
    let cinst = contract_inst(&state, &cntr).await?;
    let cx = DepositCtx {
        state: &state,
        caller: &caller,
        contract: &contract,
        cntr: &cntr,
        cinst: &cinst,
        wd_print: &head.wd_print,
        name_check: head.name_check,
        phrase_ok: head.phrase == contract.pass_phrase,
        date: today8(&state),
    };
    let mut res_list = Vec::with_capacity(items.len());
    let mut fails = Vec::with_capacity(items.len());
    for it in &items {
        let (line, fail) = deposit_one(&cx, it).await;
        res_list.push(line);
        fails.push(fail);
    }
    if refused_whole(&fails, cx.phrase_ok) {
        return Err(KftcError::new(Rsp::A0307));
    }
    let failed: Vec<Rsp> = fails.iter().flatten().map(|f| f.rsp).collect();
    let top = match (failed.as_slice(), items.len()) {
        ([], _) => Rsp::A0000,
        ([one], 1) => *one,
        _ => Rsp::A0009,
    };
    Ok(Json(deposit_answer(
        &state,
        top,
        side(&cinst, &cntr, "", &head.wd_print),
        res_list,
    )))
}

fn deposit_answer(
    state: &KftcState,
    top: Rsp,
    wd: Side,
    res_list: Vec<DepositItemResponse>,
) -> DepositResponse {
    let mut env = ok_env(state);
    env.rsp_code = top.code().into();
    env.rsp_message = top.message().into();
    DepositResponse {
        env,
        wd_bank_code_std: wd.bank_code_std,
        wd_bank_code_sub: wd.bank_code_sub,
        wd_bank_name: wd.bank_name,
        wd_account_num_masked: wd.account_num_masked,
        wd_print_content: wd.print_content,
        wd_account_holder_name: wd.account_holder_name,
        res_cnt: res_list.len().to_string(),
        res_list,
    }
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
    let mut res_list = Vec::with_capacity(list.len());
    let mut missing = 0;
    for it in list {
        let asked = result_item(it, &caller)?;
        let line = match recorded(&state, &caller, &check_type, &asked).await? {
            Some((o, m)) => found_line(asked, &check_type, &o, m),
            None => {
                missing += 1;
                missing_line(asked)
            }
        };
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

/// One original the caller asks about, its fields checked.
struct Asked {
    tran_no: String,
    id: BankTranId,
    date: Date8,
    amt: TranAmt,
}

fn result_item(it: &ResultItemRequest, caller: &Caller) -> KResult<Asked> {
    let tran_no = digits_max(&it.tran_no, "tran_no", 5)?;
    let id = field(&it.org_bank_tran_id, "org_bank_tran_id", |s| {
        BankTranId::parse_for(s, caller.org())
    })?;
    let date = field(&it.org_bank_tran_date, "org_bank_tran_date", Date8::parse)?;
    let amt = field(&it.org_tran_amt, "org_tran_amt", TranAmt::parse)?;
    Ok(Asked {
        tran_no,
        id,
        date,
        amt,
    })
}

/// The recorded outcome of an original within the last month, when it is
/// of the asked kind and amount.
async fn recorded(
    state: &KftcState,
    caller: &Caller,
    check_type: &str,
    a: &Asked,
) -> KResult<Option<(TransferOutcome, Meta)>> {
    let today = state.world.clock.now_kst().date_naive();
    let month_ago = today
        .checked_sub_months(chrono::Months::new(1))
        .unwrap_or(today);
    if a.date.date() < month_ago || a.date.date() > today {
        return Ok(None);
    }
    let found = state
        .world
        .repo
        .outcome(&scope(caller.org(), &a.date.to_string()), a.id.as_str())
        .await?;
    Ok(found.and_then(|o| {
        let m = serde_json::from_value::<Meta>(o.meta.clone()).ok()?;
        (m.check_type == check_type && m.tran_amt == a.amt.krw()).then_some((o, m))
    }))
}

fn asked_line(a: Asked) -> ResultItemResponse {
    ResultItemResponse {
        tran_no: a.tran_no,
        bank_tran_id: a.id.into_string(),
        bank_tran_date: a.date.to_string(),
        tran_amt: a.amt.to_string(),
        ..Default::default()
    }
}

fn missing_line(a: Asked) -> ResultItemResponse {
    let mut line = asked_line(a);
    line.org_rsp_code = Rsp::A0310.code().into();
    line.bank_rsp_message = Rsp::A0310.message().into();
    line
}

fn found_line(a: Asked, check_type: &str, o: &TransferOutcome, m: Meta) -> ResultItemResponse {
    let (rsp, bank) = match &o.result {
        Ok(_) => (Rsp::A0000, Some(BankRsp::Ok)),
        Err(r) => refusal_codes(r),
    };
    let mut line = asked_line(a);
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
    line
}
