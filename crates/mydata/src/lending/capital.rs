//! 할부금융-001..006: an installment-finance company's instalment loans and
//! operating leases. Both are Loan accounts; a lease is the one whose terms
//! are `ProductTerms::Lease` (its APIs are 005 and 006; the loan APIs 002 to
//! 004 take the others, and each answers 40402 for the other kind). The
//! loan APIs' fields are the bank loan APIs' (mydata.md §11: "as bank loan
//! APIs"), their lines `bank::loan_line`.

use crate::bank::{
    self, loan_line, AccountHistoryRequest, AccountRequest, AccountsQuery, LoanDetail,
    LoanTransactions,
};
use crate::card::held::own_account;
use crate::codes::Rsp;
use crate::error::{MResult, MydataError};
use crate::extract::{Caller, MJson, MQuery};
use crate::history::{self, amt, date, date_of, dtime, rate};
use crate::sync::{self, Held, ListCall};
use crate::wire::{Reply, Synced};
use crate::MydataState;
use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use finhub_core::account::{Account, AccountKind};
use finhub_core::ledger::{EntryKind, Posting};
use finhub_core::merchant::LoanMemo;
use finhub_core::product::{LeaseTerms, LoanTerms, LoanType, ProductTerms, RepayMethod};
use serde::Serialize;
use serde_json::Number;
use utoipa::{OpenApi, ToSchema};

const LOAN: &[AccountKind] = &[AccountKind::Loan];
const LIST: &str = "capital.list";
const SCOPE: &str = "capital.loan";

pub(super) fn routes() -> Router<MydataState> {
    Router::new()
        .route("/v1/capital/loans", get(loans))
        .route("/v1/capital/loans/basic", post(loan_basic))
        .route("/v1/capital/loans/detail", post(loan_detail))
        .route("/v1/capital/loans/transactions", post(loan_transactions))
        .route("/v1/capital/loans/oplease/basic", post(oplease_basic))
        .route(
            "/v1/capital/loans/oplease/transactions",
            post(oplease_transactions),
        )
}

#[derive(OpenApi)]
#[openapi(
    paths(
        loans,
        loan_basic,
        loan_detail,
        loan_transactions,
        oplease_basic,
        oplease_transactions
    ),
    components(schemas(
        CapitalAccounts,
        CapitalAccountItem,
        CapitalLoanBasic,
        OpleaseBasic,
        OpleaseTransactions,
        OpleaseTransaction
    )),
    tags((name = "capital", description = "할부금융업권 (할부금융-001..006): instalment loans and \
operating leases. The standard gives these in outline only (mydata.md §11: \"as bank loan APIs\"), \
so finhub follows the bank loan APIs' fields and codes (은행-001, 008..010) and says where it chose: \
`account_type` 3100 credit, 3150 secured, 3210 instalment (the code a 2021 collector's mock shows), \
3710 operating lease, 3999 other (finhub's choice; 첨부3 was not recovered); no `seqno` (each \
contract is its own account number; a `seqno` sent is ignored); `holder_name` in 002 and 005 as the \
2021 collector reads it; an operating lease's `repay_method` is `03` (equal rents) and its history's \
`trans_type` `01` the lease's start (the term's rents booked), `02` a rent paid, `99` other."))
)]
pub(super) struct Doc;

/// A contract at the company: a loan or an operating lease.
enum Contract {
    Loan(LoanTerms),
    Lease(LeaseTerms),
}

fn contract(a: &Account, terms: Option<&ProductTerms>) -> Contract {
    match terms {
        Some(ProductTerms::Lease(l)) => Contract::Lease(l.clone()),
        other => Contract::Loan(bank::loan_terms(a, other)),
    }
}

/// The loan a loan API names; a lease is not one (40402).
fn loan_of(a: &Account, terms: Option<&ProductTerms>) -> MResult<LoanTerms> {
    match contract(a, terms) {
        Contract::Loan(t) => Ok(t),
        Contract::Lease(_) => Err(MydataError::detail(Rsp::NoAsset, "운용리스 계약")),
    }
}

/// The lease a lease API names; a loan is not one (40402).
fn lease_of(h: &Held) -> MResult<LeaseTerms> {
    match contract(&h.account, h.terms()) {
        Contract::Lease(t) => Ok(t),
        Contract::Loan(_) => Err(MydataError::detail(Rsp::NoAsset, "운용리스 아님")),
    }
}

/// A lease read as a loan of its rents, interest-free, repaid in equal rents.
fn lease_as_loan(l: &LeaseTerms) -> LoanTerms {
    LoanTerms {
        loan_type: LoanType::Instalment,
        rate_milli: 0,
        principal_minor: l.total_rent_minor(),
        repay_method: RepayMethod::EqualPayment,
        repay_day: Some(l.repay_day),
        repay_account_id: l.repay_account_id.clone(),
        exp_date: l.exp_date,
        secured_by: None,
    }
}

/// The account kind code (첨부3 as far as recovered; the rest finhub's).
fn account_type(c: &Contract) -> &'static str {
    match c {
        Contract::Lease(_) => "3710",
        Contract::Loan(t) => match t.loan_type {
            LoanType::Credit => "3100",
            LoanType::Mortgage => "3150",
            LoanType::Instalment => "3210",
            _ => "3999",
        },
    }
}

// ---- 할부금융-001 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct CapitalAccounts {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    /// When the person first became the company's customer (`99991231` unknown).
    pub reg_date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub account_cnt: usize,
    pub account_list: Vec<CapitalAccountItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CapitalAccountItem {
    /// aN(20) the contract number without `-`.
    pub account_num: String,
    pub is_consent: bool,
    /// AH(300).
    pub prod_name: String,
    /// `3100` credit loan, `3150` secured, `3210` instalment loan, `3710`
    /// operating lease, `3999` other.
    pub account_type: String,
    /// `01` normal, `02` dormant, `03` closed.
    pub account_status: String,
}

/// 할부금융-001: every loan and lease the person holds at the company.
#[utoipa::path(get, path = "/v1/capital/loans", tag = "capital", params(AccountsQuery),
    responses((status = 200, description = "계좌 목록 조회 (할부금융-001)", body = CapitalAccounts)))]
pub(super) async fn loans(
    State(s): State<MydataState>,
    caller: Caller,
    MQuery(q): MQuery<AccountsQuery>,
) -> MResult<Synced<CapitalAccounts>> {
    let call = ListCall {
        scope: LIST,
        kinds: LOAN,
        org_code: q.org_code.as_deref(),
        search_timestamp: q.search_timestamp.as_deref(),
        next_page: q.next_page.as_deref(),
        limit: q.limit.as_deref(),
    };
    let l = sync::list(&s, &caller, call).await?;
    let first = caller.holdings(&s, &AccountKind::ALL).await?;
    let reg_date = first
        .iter()
        .map(|a| a.opened_at)
        .min()
        .map_or_else(|| "99991231".to_owned(), date_of);
    let list: Vec<CapitalAccountItem> = l
        .page
        .iter()
        .map(|a| CapitalAccountItem {
            account_num: crate::assets::asset_id(a),
            is_consent: caller.consent.holds(&a.account_id),
            prod_name: a.product_name.clone(),
            account_type: account_type(&contract(a, l.terms_of(a))).into(),
            account_status: bank::account_status(a.status).into(),
        })
        .collect();
    Ok(l.answer(|search_timestamp| CapitalAccounts {
        search_timestamp,
        reg_date,
        next_page: l.next_page.clone(),
        account_cnt: list.len(),
        account_list: list,
    }))
}

// ---- 할부금융-002 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct CapitalLoanBasic {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    /// AH the borrower's name.
    pub holder_name: String,
    pub issue_date: String,
    pub exp_date: String,
    /// F(7,5) percent.
    pub last_offered_rate: f64,
    /// `DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repay_date: Option<String>,
    /// `01` bullet, `02` equal principal, `03` equal payment.
    pub repay_method: String,
    /// aN(8) the auto-debit account's institution (org code less its prefix).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repay_org_code: Option<String>,
    /// aN(20) the auto-debit account, the person's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repay_account_num: Option<String>,
}

/// 할부금융-002: a loan's basic information (a lease: 40402).
#[utoipa::path(post, path = "/v1/capital/loans/basic", tag = "capital",
    request_body = AccountRequest,
    responses((status = 200, description = "대출상품계좌 기본정보 조회 (할부금융-002)", body = CapitalLoanBasic)))]
pub(super) async fn loan_basic(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<AccountRequest>,
) -> MResult<Synced<CapitalLoanBasic>> {
    let h = sync::held(&s, &caller, r.call(SCOPE, LOAN)).await?;
    let t = loan_of(&h.account, h.terms())?;
    let repay = own_account(&s, &caller, t.repay_account_id.as_deref()).await?;
    let (repay_org_code, repay_account_num) = repay.unzip();
    Ok(h.basic(|search_timestamp| CapitalLoanBasic {
        search_timestamp,
        holder_name: h.account.holder_name.clone(),
        issue_date: date_of(h.account.opened_at),
        exp_date: date(t.exp_date),
        last_offered_rate: rate(t.rate_milli),
        repay_date: t.repay_day.map(|d| format!("{d:02}")),
        repay_method: bank::repay_method(t.repay_method).into(),
        repay_org_code,
        repay_account_num,
    }))
}

// ---- 할부금융-003 ----

/// 할부금융-003: what is owed on a loan, from the ledger (a lease: 40402).
#[utoipa::path(post, path = "/v1/capital/loans/detail", tag = "capital",
    request_body = AccountRequest,
    responses((status = 200, description = "대출상품계좌 추가정보 조회 (할부금융-003)", body = LoanDetail)))]
pub(super) async fn loan_detail(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<AccountRequest>,
) -> MResult<Synced<LoanDetail>> {
    let h = sync::held(&s, &caller, r.call(SCOPE, LOAN)).await?;
    let t = loan_of(&h.account, h.terms())?;
    Ok(LoanDetail::answer(&h, &t, caller.today))
}

// ---- 할부금융-004 ----

/// 할부금융-004: a loan's ledger postings, newest first, each split into
/// principal and interest as the bank's loan lines are (a lease: 40402).
#[utoipa::path(post, path = "/v1/capital/loans/transactions", tag = "capital",
    request_body = AccountHistoryRequest,
    responses((status = 200, description = "대출상품계좌 거래내역 조회 (할부금융-004)", body = LoanTransactions)))]
pub(super) async fn loan_transactions(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<AccountHistoryRequest>,
) -> MResult<Reply<LoanTransactions>> {
    let h = history::history(&s, &caller, r.call(SCOPE, LOAN)).await?;
    let record = s.repo.terms(&h.account.account_id).await?;
    let t = loan_of(&h.account, record.as_ref().map(|r| &r.terms))?;
    let c = h.account.currency;
    let list: Vec<_> = h.lines.iter().map(|p| loan_line(p, &t, c)).collect();
    Ok(Reply::ok(LoanTransactions {
        next_page: h.next_page,
        trans_cnt: list.len(),
        trans_list: list,
    }))
}

// ---- 할부금융-005 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct OpleaseBasic {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    /// AH the lessee's name.
    pub holder_name: String,
    /// The lease's start.
    pub issue_date: String,
    /// The lease's end.
    pub exp_date: String,
    /// `DD` the day rents are collected.
    pub repay_date: String,
    /// `03`: equal monthly rents.
    pub repay_method: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repay_org_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repay_account_num: Option<String>,
    /// The next rent's day (the lease's end at the latest).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_repay_date: Option<String>,
}

/// 할부금융-005: an operating lease's basic information (a loan: 40402).
#[utoipa::path(post, path = "/v1/capital/loans/oplease/basic", tag = "capital",
    request_body = AccountRequest,
    responses((status = 200, description = "운용리스 기본정보 조회 (할부금융-005)", body = OpleaseBasic)))]
pub(super) async fn oplease_basic(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<AccountRequest>,
) -> MResult<Synced<OpleaseBasic>> {
    let h = sync::held(&s, &caller, r.call(SCOPE, LOAN)).await?;
    let l = lease_of(&h)?;
    let repay = own_account(&s, &caller, l.repay_account_id.as_deref()).await?;
    let (repay_org_code, repay_account_num) = repay.unzip();
    let as_loan = lease_as_loan(&l);
    Ok(h.basic(|search_timestamp| OpleaseBasic {
        search_timestamp,
        holder_name: h.account.holder_name.clone(),
        issue_date: date(l.issue_date),
        exp_date: date(l.exp_date),
        repay_date: format!("{:02}", l.repay_day),
        repay_method: bank::repay_method(as_loan.repay_method).into(),
        repay_org_code,
        repay_account_num,
        next_repay_date: bank::next_repay_date(&as_loan, caller.today).map(date),
    }))
}

// ---- 할부금융-006 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct OpleaseTransactions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub trans_cnt: usize,
    pub trans_list: Vec<OpleaseTransaction>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OpleaseTransaction {
    pub trans_dtime: String,
    /// aN(64).
    pub trans_no: String,
    /// `01` the lease's start (the term's rents booked), `02` a rent paid,
    /// `99` other (fees, interest).
    pub trans_type: String,
    /// F(18,3).
    #[schema(value_type = f64)]
    pub trans_amt: Number,
}

/// A lease line's type and amount: what its memo records, else its sign.
fn lease_line(p: &Posting) -> OpleaseTransaction {
    let amount = p.amount_minor.saturating_abs();
    let (kind, amount) = match LoanMemo::decode(&p.memo) {
        Some(LoanMemo::Drawdown) => ("01", amount),
        Some(LoanMemo::Repayment {
            principal_minor,
            interest_minor,
        }) => ("02", principal_minor.saturating_add(interest_minor)),
        None => match p.kind {
            EntryKind::Fee | EntryKind::Interest => ("99", amount),
            _ if p.amount_minor < 0 => ("01", amount),
            _ => ("02", amount),
        },
    };
    OpleaseTransaction {
        trans_dtime: dtime(p.at),
        trans_no: p.seq.to_string(),
        trans_type: kind.into(),
        trans_amt: amt(amount, finhub_core::money::Currency::KRW),
    }
}

/// 할부금융-006: an operating lease's ledger postings (its start and the
/// rents paid), newest first, paged (a loan: 40402).
#[utoipa::path(post, path = "/v1/capital/loans/oplease/transactions", tag = "capital",
    request_body = AccountHistoryRequest,
    responses((status = 200, description = "운용리스 거래내역 조회 (할부금융-006)", body = OpleaseTransactions)))]
pub(super) async fn oplease_transactions(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<AccountHistoryRequest>,
) -> MResult<Reply<OpleaseTransactions>> {
    let h = history::history(&s, &caller, r.call(SCOPE, LOAN)).await?;
    let record = s.repo.terms(&h.account.account_id).await?;
    if !matches!(record.map(|r| r.terms), Some(ProductTerms::Lease(_))) {
        return Err(MydataError::detail(Rsp::NoAsset, "운용리스 아님"));
    }
    let list: Vec<OpleaseTransaction> = h.lines.iter().map(lease_line).collect();
    Ok(Reply::ok(OpleaseTransactions {
        next_page: h.next_page,
        trans_cnt: list.len(),
        trans_list: list,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};

    fn posting(kind: EntryKind, amount: i64, memo: String) -> Posting {
        Posting {
            entry_id: 1,
            account_id: "a".into(),
            seq: 7,
            at: Utc.with_ymd_and_hms(2026, 11, 15, 3, 0, 0).unwrap(),
            kind,
            amount_minor: amount,
            balance_after_minor: 0,
            memo,
            counterparty: String::new(),
        }
    }

    #[test]
    fn lease_lines_are_its_start_and_its_rents() {
        let start = lease_line(&posting(
            EntryKind::Transfer,
            -23_400_000,
            LoanMemo::Drawdown.encode(),
        ));
        assert_eq!(
            (
                start.trans_type.as_str(),
                start.trans_amt.to_string().as_str()
            ),
            ("01", "23400000")
        );
        let rent = LoanMemo::Repayment {
            principal_minor: 650_000,
            interest_minor: 0,
        };
        let r = lease_line(&posting(EntryKind::Transfer, 650_000, rent.encode()));
        assert_eq!((r.trans_type.as_str(), r.trans_no.as_str()), ("02", "7"));
        assert_eq!(r.trans_dtime, "20261115120000");
        let fee = lease_line(&posting(EntryKind::Fee, -3_000, String::new()));
        assert_eq!(fee.trans_type, "99");
    }

    #[test]
    fn a_lease_reads_as_an_interest_free_loan_of_its_rents() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let l = LeaseTerms {
            item: "그랜저".into(),
            issue_date: d(2026, 1, 15),
            exp_date: d(2029, 1, 15),
            monthly_minor: 650_000,
            repay_day: 15,
            repay_account_id: None,
        };
        let t = lease_as_loan(&l);
        assert_eq!((t.principal_minor, t.rate_milli), (23_400_000, 0));
        assert_eq!(account_type(&Contract::Lease(l)), "3710");
        assert_eq!(account_type(&Contract::Loan(t)), "3210");
    }
}
