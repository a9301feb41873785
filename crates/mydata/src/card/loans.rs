//! 카드-010 which card loans the person has, 카드-011 short-term (cash
//! advances), 카드-012 long-term (card loans). A card loan is a Loan account
//! at the card company; what is owed is its (negative) balance.

use super::bills::SyncQuery;
use super::held;
use crate::bank::{next_repay_date, repay_method};
use crate::error::MResult;
use crate::extract::{Caller, MQuery};
use crate::history::{date, dtime, rate};
use crate::sync::{latest, Sync};
use crate::wire::Synced;
use crate::MydataState;
use axum::extract::State;
use chrono::{DateTime, Utc};
use finhub_core::account::{Account, AccountKind, AccountStatus};
use finhub_core::product::{LoanTerms, LoanType, ProductTerms};
use serde::Serialize;
use utoipa::ToSchema;

/// A card loan of the person with its terms.
struct HeldLoan {
    acct: Account,
    terms: LoanTerms,
    consented: bool,
    changed: DateTime<Utc>,
}

impl HeldLoan {
    fn owed(&self) -> i64 {
        -self.acct.balance_minor.min(0)
    }
    fn is(&self, t: LoanType) -> bool {
        self.terms.loan_type == t
    }
}

/// The person's loans at the card company (cash advances and card loans).
async fn loans_of(state: &MydataState, caller: &Caller) -> MResult<Vec<HeldLoan>> {
    let accts = caller.holdings(state, &[AccountKind::Loan]).await?;
    let ids: Vec<String> = accts.iter().map(|a| a.account_id.clone()).collect();
    let records = state.repo.terms_of(&ids).await?;
    Ok(accts
        .into_iter()
        .filter_map(|acct| {
            let rec = records.iter().find(|r| r.account_id == acct.account_id)?;
            let ProductTerms::Loan(terms) = &rec.terms else {
                return None;
            };
            let changed = latest([
                Some(acct.opened_at),
                acct.closed_at,
                acct.last_tran_at,
                Some(rec.updated_at),
            ]);
            Some(HeldLoan {
                consented: caller.consent.holds(&acct.account_id),
                terms: terms.clone(),
                acct,
                changed,
            })
        })
        .collect())
}

fn modified(loans: &[HeldLoan], caller: &Caller) -> DateTime<Utc> {
    let times = loans.iter().map(|l| l.changed);
    latest(times.chain([caller.consent.created_at]).map(Some))
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LoanFlags {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    /// A cash advance (단기카드대출) is held.
    pub is_loan_short_term: bool,
    /// A card loan (장기카드대출) is held.
    pub is_loan_long_term: bool,
    /// A consented card carries a revolving balance (2021 field).
    pub is_loan_revolving: bool,
}

/// 카드-010: which kinds of card loan the person holds.
#[utoipa::path(get, path = "/v1/card/loans", tag = "card", params(SyncQuery),
    responses((status = 200, description = "대출상품 목록 (카드-010)", body = LoanFlags)))]
pub(crate) async fn loans(
    State(state): State<MydataState>,
    caller: Caller,
    MQuery(q): MQuery<SyncQuery>,
) -> MResult<Synced<LoanFlags>> {
    caller.require("card.loan")?;
    caller.org(q.org_code.as_deref())?;
    let sync = Sync::parse(q.search_timestamp.as_deref(), state.world.clock.now())?;
    let loans = loans_of(&state, &caller).await?;
    let cards = held::cards(&state, &caller).await?;
    let open = |t| {
        loans
            .iter()
            .any(|l| l.is(t) && l.acct.status != AccountStatus::Closed)
    };
    let flags = (open(LoanType::CashAdvance), open(LoanType::CardLoan));
    let is_loan_revolving = cards
        .iter()
        .any(|c| c.consented && c.terms.revolving.is_some());
    Ok(
        sync.answer(modified(&loans, &caller), |search_timestamp| LoanFlags {
            search_timestamp,
            is_loan_short_term: flags.0,
            is_loan_long_term: flags.1,
            is_loan_revolving,
        }),
    )
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ShortTermList {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    pub short_term_cnt: usize,
    pub short_term_list: Vec<ShortTermItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ShortTermItem {
    /// DTIME.
    pub loan_dtime: String,
    /// N(15).
    pub loan_amt: i64,
    /// N(15) still owed.
    pub balance_amt: i64,
    /// DATE.
    pub pay_due_date: String,
    /// F percent.
    pub int_rate: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repay_org_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repay_account_num: Option<String>,
}

/// The consented, open loans of one kind, oldest first.
fn of_kind(loans: &[HeldLoan], t: LoanType) -> impl Iterator<Item = &HeldLoan> {
    loans
        .iter()
        .filter(move |l| l.is(t) && l.consented && l.acct.status != AccountStatus::Closed)
}

/// 카드-011: the consented cash advances.
#[utoipa::path(get, path = "/v1/card/loans/short-term", tag = "card", params(SyncQuery),
    responses((status = 200, description = "단기대출 정보 (카드-011)", body = ShortTermList)))]
pub(crate) async fn short_term(
    State(state): State<MydataState>,
    caller: Caller,
    MQuery(q): MQuery<SyncQuery>,
) -> MResult<Synced<ShortTermList>> {
    caller.require("card.loan")?;
    caller.org(q.org_code.as_deref())?;
    let sync = Sync::parse(q.search_timestamp.as_deref(), state.world.clock.now())?;
    let loans = loans_of(&state, &caller).await?;
    let mut items = Vec::new();
    for l in of_kind(&loans, LoanType::CashAdvance) {
        let repay = held::own_account(&state, &caller, l.terms.repay_account_id.as_deref()).await?;
        let (repay_org_code, repay_account_num) = repay.unzip();
        // A cash advance is repaid in full on the next repayment day.
        let due = next_repay_date(&l.terms, caller.today).unwrap_or(l.terms.exp_date);
        items.push(ShortTermItem {
            loan_dtime: dtime(l.acct.opened_at),
            loan_amt: l.terms.principal_minor,
            balance_amt: l.owed(),
            pay_due_date: date(due),
            int_rate: rate(l.terms.rate_milli),
            repay_org_code,
            repay_account_num,
        });
    }
    Ok(sync.answer(modified(&loans, &caller), |search_timestamp| {
        ShortTermList {
            search_timestamp,
            short_term_cnt: items.len(),
            short_term_list: items,
        }
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LongTermList {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    pub long_term_cnt: usize,
    pub long_term_list: Vec<LongTermItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LongTermItem {
    /// aN(20) the loan's number.
    pub loan_num: String,
    /// DTIME.
    pub loan_dtime: String,
    /// N(5) the loan's sequence on its day.
    pub loan_cnt: u32,
    /// AH text.
    pub loan_type: String,
    /// AH(300).
    pub loan_name: String,
    /// F(18,3).
    pub loan_amt: i64,
    /// F percent.
    pub int_rate: f64,
    /// DATE.
    pub exp_date: String,
    /// F(18,3) still owed.
    pub balance_amt: i64,
    /// aN(2) `01` bullet, `02` equal principal, `03` equal payments.
    pub repay_method: String,
    /// F(18,3) the interest part of the next repayment.
    pub int_amt: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repay_org_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repay_account_num: Option<String>,
}

/// A month's interest on what is owed, rounded down.
fn monthly_interest(owed: i64, rate_milli: i64) -> i64 {
    (i128::from(owed) * i128::from(rate_milli) / 100_000 / 12) as i64
}

/// 카드-012: the consented card loans.
#[utoipa::path(get, path = "/v1/card/loans/long-term", tag = "card", params(SyncQuery),
    responses((status = 200, description = "장기대출 정보 (카드-012)", body = LongTermList)))]
pub(crate) async fn long_term(
    State(state): State<MydataState>,
    caller: Caller,
    MQuery(q): MQuery<SyncQuery>,
) -> MResult<Synced<LongTermList>> {
    caller.require("card.loan")?;
    caller.org(q.org_code.as_deref())?;
    let sync = Sync::parse(q.search_timestamp.as_deref(), state.world.clock.now())?;
    let loans = loans_of(&state, &caller).await?;
    let mut items: Vec<LongTermItem> = Vec::new();
    for l in of_kind(&loans, LoanType::CardLoan) {
        let repay = held::own_account(&state, &caller, l.terms.repay_account_id.as_deref()).await?;
        let (repay_org_code, repay_account_num) = repay.unzip();
        let day = held::kst_date(l.acct.opened_at);
        let loan_cnt = 1 + items
            .iter()
            .filter(|i| i.loan_dtime.starts_with(&date(day)))
            .count() as u32;
        items.push(LongTermItem {
            loan_num: l.acct.account_num.replace('-', ""),
            loan_dtime: dtime(l.acct.opened_at),
            loan_cnt,
            loan_type: "카드론".into(),
            loan_name: l.acct.product_name.clone(),
            loan_amt: l.terms.principal_minor,
            int_rate: rate(l.terms.rate_milli),
            exp_date: date(l.terms.exp_date),
            balance_amt: l.owed(),
            repay_method: repay_method(l.terms.repay_method).into(),
            int_amt: monthly_interest(l.owed(), l.terms.rate_milli),
            repay_org_code,
            repay_account_num,
        });
    }
    Ok(
        sync.answer(modified(&loans, &caller), |search_timestamp| LongTermList {
            search_timestamp,
            long_term_cnt: items.len(),
            long_term_list: items,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interest_is_a_twelfth_of_the_yearly_rate() {
        // 12 % a year on 1,000,000 won is 10,000 a month.
        assert_eq!(monthly_interest(1_000_000, 12_000), 10_000);
        assert_eq!(monthly_interest(0, 12_000), 0);
    }
}
