//! Lookups every handler shares: who owns a fintech_use_num, which account
//! an account number names, whether its bank is open, and the envelope.

use crate::codes::{BankRsp, Rsp};
use crate::error::{KResult, KftcError};
use crate::extract::Caller;
use crate::format::{date8, dtm17, mask_account};
use crate::parse::UserSeqNo;
use crate::refusal::{refused, At};
use crate::wire::{AccountItem, BankPart, Envelope};
use crate::KftcState;
use finhub_core::account::{Account, AccountKind};
use finhub_core::institution::Institution;
use finhub_core::party::Person;
use finhub_core::payments::{first_refusal, Rule};
use finhub_core::registration::Registration;

/// The success envelope, stamped by the world's clock.
pub fn ok_env(state: &KftcState) -> Envelope {
    Envelope {
        api_tran_id: crate::wire::new_api_tran_id(),
        api_tran_dtm: dtm17(state.world.clock.now()),
        rsp_code: Rsp::A0000.code().to_owned(),
        rsp_message: String::new(),
    }
}

/// Today's business date (KST), as bank_tran_date.
pub fn today8(state: &KftcState) -> String {
    date8(state.world.clock.now())
}

pub fn bank_ok(bank_code: &str, bank_tran_id: &str, date: &str) -> BankPart {
    BankPart::new(bank_code, bank_tran_id, date, BankRsp::Ok)
}

pub fn bank_code(inst: &Institution) -> String {
    inst.bank_code.clone().unwrap_or_default()
}
pub fn bank_code_sub(inst: &Institution) -> String {
    format!("{}0001", bank_code(inst))
}
pub fn savings_bank_name(inst: &Institution) -> String {
    if inst.bank_code.as_deref() == Some("050") {
        inst.name.clone()
    } else {
        String::new()
    }
}
pub fn account_type(a: &Account) -> &'static str {
    match a.kind {
        AccountKind::Savings => "2",
        AccountKind::Fund => "6",
        _ => "1",
    }
}

/// A registered account with everything an answer shows about it.
pub struct Held {
    pub reg: Registration,
    pub account: Account,
    pub inst: Institution,
}

pub async fn parse_user(state: &KftcState, v: &Option<String>) -> KResult<(i64, Person)> {
    let no = crate::parse::field(v, "user_seq_no", UserSeqNo::parse)?;
    Ok((no.value(), crate::users::person_of(state, no).await?))
}

/// A 3-legged token speaks for one person only.
pub fn check_person(caller: &Caller, person_id: &str) -> KResult<()> {
    match caller.person() {
        Some(p) if p != person_id => Err(KftcError::new(Rsp::A0313)),
        _ => Ok(()),
    }
}

/// The caller's active registration behind a fintech_use_num (A0304 otherwise).
pub async fn by_fin(state: &KftcState, caller: &Caller, fin: &str) -> KResult<Held> {
    let reg = state
        .repo
        .registration(caller.org(), fin)
        .await?
        .filter(|r| r.is_active())
        .ok_or_else(|| KftcError::new(Rsp::A0304))?;
    check_person(caller, &reg.person_id)?;
    let account = state.world.account(&reg.account_id).await?;
    let inst = state.world.institution(&account.org_code).await?;
    Ok(Held { reg, account, inst })
}

/// The institution behind a bank_code_std (A0004 when there is none).
pub async fn bank(state: &KftcState, code: &str) -> KResult<Institution> {
    match state.world.repo.institution_by_bank_code(code).await? {
        Some(i) => Ok(i),
        None => Err(KftcError::format(format!("bank_code_std {code} 미존재"))),
    }
}

/// An account by bank code and number; A0002/412 when the bank has none.
pub async fn account_at(
    state: &KftcState,
    inst: &Institution,
    num: &str,
    tran_id: &str,
) -> KResult<Account> {
    find_account(state, inst, num).await?.ok_or_else(|| {
        KftcError::bank(
            BankRsp::NoAccount,
            &bank_code(inst),
            tran_id,
            &today8(state),
        )
    })
}

/// A person's account by bank and number, if the bank has it.
pub async fn find_account(
    state: &KftcState,
    inst: &Institution,
    num: &str,
) -> KResult<Option<Account>> {
    Ok(state
        .world
        .repo
        .account_by_number(&inst.org_code, num)
        .await?
        .filter(|a| a.person_id.is_some()))
}

/// An account given by bank and number, for the user `user_seq_no` names,
/// in a request identified by `bank_tran_id`.
pub struct AcntRef<'a> {
    pub bank_code_std: &'a str,
    pub account_num: &'a str,
    pub user_seq_no: &'a Option<String>,
    pub bank_tran_id: &'a str,
}

/// The caller's registration of an account given by number, for the user
/// `user_seq_no` names (A0323 when not registered, A0313 for another user).
pub async fn by_acnt(state: &KftcState, caller: &Caller, a: AcntRef<'_>) -> KResult<Held> {
    let h = registered_at(state, caller, &a).await?;
    let (_, person) = parse_user(state, a.user_seq_no).await?;
    if person.person_id != h.reg.person_id {
        return Err(KftcError::new(Rsp::A0313));
    }
    check_person(caller, &h.reg.person_id)?;
    Ok(h)
}

/// The caller's active registration of the account `a` names, whoever holds
/// it (A0323 when there is none); the user check is the caller's to make.
pub async fn registered_at(state: &KftcState, caller: &Caller, a: &AcntRef<'_>) -> KResult<Held> {
    let inst = bank(state, a.bank_code_std).await?;
    let account = account_at(state, &inst, a.account_num, a.bank_tran_id).await?;
    let reg = state
        .repo
        .registration_of_account(caller.org(), &account.account_id)
        .await?
        .filter(|r| r.is_active())
        .ok_or_else(|| KftcError::new(Rsp::A0323))?;
    Ok(Held { reg, account, inst })
}

/// The rules an account's bank and state must pass before anything touches
/// it: its institution is available, the account is not closed.
pub fn open_rules(inst: &Institution, acc: &Account) -> [Rule; 2] {
    [
        Rule::InstitutionAvailable {
            org_code: inst.org_code.clone(),
            status: inst.status,
        },
        Rule::AccountOpen {
            account_id: acc.account_id.clone(),
            status: acc.status,
        },
    ]
}

/// A bank that is not available answers A0002 with bank_rsp_code 499
/// ("기타 처리불가"); a closed account A0002 with 415. Judged by core.
pub fn check_open(
    state: &KftcState,
    inst: &Institution,
    acc: &Account,
    tran_id: &str,
) -> KResult<()> {
    match first_refusal(&open_rules(inst, acc)) {
        None => Ok(()),
        Some(r) => Err(refused(
            &r,
            acc,
            &At {
                bank_code: &bank_code(inst),
                bank_tran_id: tran_id,
                date: &today8(state),
            },
        )),
    }
}

fn dtime_or_empty(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map(crate::format::dtime14).unwrap_or_default()
}

pub fn account_item(h: &Held, with_state: bool) -> AccountItem {
    AccountItem {
        fintech_use_num: h.reg.handle.clone(),
        account_alias: h.reg.alias.clone(),
        bank_code_std: bank_code(&h.inst),
        bank_code_sub: bank_code_sub(&h.inst),
        bank_name: h.inst.name.clone(),
        savings_bank_name: savings_bank_name(&h.inst),
        account_num_masked: mask_account(&h.account.account_num),
        account_seq: String::new(),
        account_holder_name: h.account.holder_name.clone(),
        account_holder_type: "P".into(),
        account_type: account_type(&h.account).into(),
        inquiry_agree_yn: yn(h.reg.inquiry_agreed_at.is_some()),
        inquiry_agree_dtime: dtime_or_empty(h.reg.inquiry_agreed_at),
        transfer_agree_yn: yn(h.reg.transfer_agreed_at.is_some()),
        transfer_agree_dtime: dtime_or_empty(h.reg.transfer_agreed_at),
        account_state: with_state.then(|| if h.reg.is_active() { "01" } else { "09" }.to_owned()),
        payer_num: None,
    }
}

pub fn yn(b: bool) -> String {
    if b { "Y" } else { "N" }.to_owned()
}

/// Every registration of the person with the caller, with its account and bank.
pub async fn held_of_person(state: &KftcState, org: &str, person_id: &str) -> KResult<Vec<Held>> {
    let regs = state.repo.registrations_of_person(org, person_id).await?;
    let mut out = Vec::with_capacity(regs.len());
    for reg in regs {
        let account = state.world.account(&reg.account_id).await?;
        let inst = state.world.institution(&account.org_code).await?;
        out.push(Held { reg, account, inst });
    }
    Ok(out)
}
