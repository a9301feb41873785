//! The bank industry (은행-001..010, mydata.md §8): the account list, then
//! deposit, investment-product (fund) and loan accounts, each basic, detail
//! and transactions. Accounts, balances and histories are the world's (the
//! ledger's postings, so a KFTC withdrawal shows at once); the rest is the
//! account's product terms, or a demand account's defaults when it has none.
//! The shared plumbing is `sync` (lists, basic/detail) and `history`.

use crate::error::MResult;
use crate::extract::{Caller, MJson, MQuery};
use crate::history::{self, amt, date, date_of, dtime, rate, HistoryCall, HistoryFields};
use crate::params::num_or_str;
use crate::sync::{self, AssetCall, Held, ListCall};
use crate::wire::{Reply, Synced};
use crate::MydataState;
use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use chrono::{Datelike, Duration, Months, NaiveDate};
use finhub_core::account::{Account, AccountKind, AccountStatus};
use finhub_core::clock::kst;
use finhub_core::ledger::{EntryKind, Posting};
use finhub_core::merchant::LoanMemo;
use finhub_core::money::Currency;
use finhub_core::product::{
    DepositTerms, FundTerms, LoanTerms, LoanType, PaidIn, ProductTerms, RepayMethod, SavingMethod,
};
use serde::{Deserialize, Serialize};
use serde_json::Number;
use utoipa::{IntoParams, ToSchema};

const DEPOSIT: &[AccountKind] = &[AccountKind::Demand, AccountKind::Savings];
const FUND: &[AccountKind] = &[AccountKind::Fund];
const LOAN: &[AccountKind] = &[AccountKind::Loan];
/// What 은행-001 lists (IRP accounts are IRP-001's, prepaid cards 선불-001's).
const LISTED: &[AccountKind] = &[
    AccountKind::Demand,
    AccountKind::Savings,
    AccountKind::Fund,
    AccountKind::Loan,
];

pub(crate) fn routes() -> Router<MydataState> {
    Router::new()
        .route("/v1/bank/accounts", get(accounts))
        .route("/v1/bank/accounts/deposit/basic", post(deposit_basic))
        .route("/v1/bank/accounts/deposit/detail", post(deposit_detail))
        .route(
            "/v1/bank/accounts/deposit/transactions",
            post(deposit_transactions),
        )
        .route("/v1/bank/accounts/invest/basic", post(invest_basic))
        .route("/v1/bank/accounts/invest/detail", post(invest_detail))
        .route(
            "/v1/bank/accounts/invest/transactions",
            post(invest_transactions),
        )
        .route("/v1/bank/accounts/loan/basic", post(loan_basic))
        .route("/v1/bank/accounts/loan/detail", post(loan_detail))
        .route(
            "/v1/bank/accounts/loan/transactions",
            post(loan_transactions),
        )
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        accounts,
        deposit_basic,
        deposit_detail,
        deposit_transactions,
        invest_basic,
        invest_detail,
        invest_transactions,
        loan_basic,
        loan_detail,
        loan_transactions
    ),
    components(schemas(
        AccountRequest,
        AccountHistoryRequest,
        HistoryFields,
        Accounts,
        AccountItem,
        DepositBasic,
        DepositBasicItem,
        DepositDetail,
        DepositDetailItem,
        DepositTransactions,
        DepositTransaction,
        InvestBasic,
        InvestDetail,
        InvestTransactions,
        InvestTransaction,
        LoanBasic,
        LoanDetail,
        LoanTransactions,
        LoanTransaction,
        InterestPiece
    ))
)]
pub(crate) struct Doc;

// ---- requests ----

/// 은행-001's query.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct AccountsQuery {
    pub org_code: Option<String>,
    /// `0` or absent on a first sync; ignored with `next_page`.
    pub search_timestamp: Option<String>,
    pub next_page: Option<String>,
    /// 1 to 500 (more is 42901); 500 when absent.
    pub limit: Option<String>,
}

/// The body of a bank basic/detail API.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct AccountRequest {
    pub org_code: Option<String>,
    /// The account number without `-`.
    pub account_num: Option<String>,
    /// Never answered by 은행-001, so ignored.
    pub seqno: Option<String>,
    #[serde(deserialize_with = "num_or_str")]
    #[schema(value_type = Option<i64>)]
    pub search_timestamp: Option<String>,
}

/// The body of a bank transactions API.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct AccountHistoryRequest {
    pub org_code: Option<String>,
    pub account_num: Option<String>,
    pub seqno: Option<String>,
    #[serde(flatten)]
    pub history: HistoryFields,
}

impl AccountRequest {
    pub(crate) fn call<'a>(&'a self, scope: &'a str, kinds: &'a [AccountKind]) -> AssetCall<'a> {
        AssetCall {
            scope,
            kinds,
            org_code: self.org_code.as_deref(),
            asset: self.account_num.as_deref(),
            search_timestamp: self.search_timestamp.as_deref(),
            next_page: None,
        }
    }
}

impl AccountHistoryRequest {
    pub(crate) fn call<'a>(&'a self, scope: &'a str, kinds: &'a [AccountKind]) -> HistoryCall<'a> {
        HistoryCall {
            scope,
            kinds,
            org_code: self.org_code.as_deref(),
            asset: self.account_num.as_deref(),
            fields: &self.history,
        }
    }
}

// ---- 은행-001 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct Accounts {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    /// When the person first became the bank's customer (`99991231` unknown).
    pub reg_date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub account_cnt: usize,
    pub account_list: Vec<AccountItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccountItem {
    pub account_num: String,
    pub is_consent: bool,
    /// Deposits only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_foreign_deposit: Option<bool>,
    pub prod_name: String,
    /// Deposits only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_minus: Option<bool>,
    /// `1001` demand, `1002` time deposit, `1003` instalment savings, `2001`
    /// fund, `3100` credit loan, `3150` mortgage, `3170` jeonse loan, `3999`
    /// other loan.
    pub account_type: String,
    /// `01` normal, `02` dormant, `03` closed.
    pub account_status: String,
}

/// 은행-001: every deposit, fund and loan account the person holds at the
/// token's institution (and any closed since the consent), `is_consent` each.
#[utoipa::path(get, path = "/v1/bank/accounts", tag = "bank", params(AccountsQuery),
    responses((status = 200, body = Accounts)))]
pub async fn accounts(
    State(s): State<MydataState>,
    caller: Caller,
    MQuery(q): MQuery<AccountsQuery>,
) -> MResult<Synced<Accounts>> {
    let call = ListCall {
        scope: "bank.list",
        kinds: LISTED,
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
    let list: Vec<AccountItem> = l
        .page
        .iter()
        .map(|a| account_item(&caller, a, l.terms_of(a)))
        .collect();
    Ok(l.answer(|search_timestamp| Accounts {
        search_timestamp,
        reg_date,
        next_page: l.next_page.clone(),
        account_cnt: list.len(),
        account_list: list,
    }))
}

fn account_item(caller: &Caller, a: &Account, terms: Option<&ProductTerms>) -> AccountItem {
    let deposit = DEPOSIT.contains(&a.kind);
    let dep = deposit.then(|| deposit_terms(a, terms));
    AccountItem {
        account_num: crate::assets::asset_id(a),
        is_consent: caller.consent.holds(&a.account_id),
        is_foreign_deposit: deposit.then_some(a.currency != Currency::KRW),
        prod_name: a.product_name.clone(),
        is_minus: dep.as_ref().map(|d| d.overdraft),
        account_type: account_type(a, terms).into(),
        account_status: account_status(a.status).into(),
    }
}

/// The account kind code (첨부3, as collectors route by it).
pub fn account_type(a: &Account, terms: Option<&ProductTerms>) -> &'static str {
    match (a.kind, terms) {
        (AccountKind::Fund, _) => "2001",
        (AccountKind::Loan, Some(ProductTerms::Loan(l))) => match l.loan_type {
            LoanType::Credit => "3100",
            LoanType::Mortgage => "3150",
            LoanType::Jeonse => "3170",
            LoanType::CashAdvance
            | LoanType::CardLoan
            | LoanType::Policy
            | LoanType::Instalment => "3999",
        },
        (AccountKind::Loan, _) => "3100",
        _ => match deposit_terms(a, terms).saving_method {
            SavingMethod::Demand => "1001",
            SavingMethod::LumpSum => "1002",
            SavingMethod::Instalment | SavingMethod::FreeInstalment => "1003",
        },
    }
}

pub fn account_status(s: AccountStatus) -> &'static str {
    match s {
        AccountStatus::Active => "01",
        AccountStatus::Dormant => "02",
        AccountStatus::Closed => "03",
    }
}

// ---- deposits: terms and their defaults ----

/// A deposit's terms; without any, a demand account's (0.1 %) or an
/// instalment savings account's (3 %).
fn deposit_terms(a: &Account, terms: Option<&ProductTerms>) -> DepositTerms {
    if let Some(ProductTerms::Deposit(d)) = terms {
        return d.clone();
    }
    let demand = a.kind == AccountKind::Demand;
    DepositTerms {
        saving_method: if demand {
            SavingMethod::Demand
        } else {
            SavingMethod::Instalment
        },
        rate_milli: if demand { 100 } else { 3_000 },
        commit_minor: None,
        monthly_minor: None,
        overdraft: a.floor_minor < 0,
    }
}

fn saving_method(m: SavingMethod) -> &'static str {
    match m {
        SavingMethod::Demand => "01",
        SavingMethod::LumpSum => "02",
        SavingMethod::Instalment => "03",
        SavingMethod::FreeInstalment => "04",
    }
}

// ---- 은행-002 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct DepositBasic {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    pub basic_cnt: usize,
    pub basic_list: Vec<DepositBasicItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DepositBasicItem {
    pub currency_code: String,
    /// `01` demand, `02` lump-sum, `03` fixed instalment, `04` free instalment.
    pub saving_method: String,
    pub issue_date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<f64>)]
    pub commit_amt: Option<Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<f64>)]
    pub monthly_paid_in_amt: Option<Number>,
}

/// 은행-002: a deposit account's basic information.
#[utoipa::path(post, path = "/v1/bank/accounts/deposit/basic", tag = "bank",
    request_body = AccountRequest, responses((status = 200, body = DepositBasic)))]
pub async fn deposit_basic(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<AccountRequest>,
) -> MResult<Synced<DepositBasic>> {
    let h = sync::held(&s, &caller, r.call("bank.deposit", DEPOSIT)).await?;
    let a = &h.account;
    let t = deposit_terms(a, h.terms());
    let c = a.currency;
    let item = DepositBasicItem {
        currency_code: c.to_string(),
        saving_method: saving_method(t.saving_method).into(),
        issue_date: date_of(a.opened_at),
        exp_date: a.maturity_date.map(date),
        commit_amt: t.commit_minor.map(|m| amt(m, c)),
        monthly_paid_in_amt: t.monthly_minor.map(|m| amt(m, c)),
    };
    Ok(h.basic(|search_timestamp| DepositBasic {
        search_timestamp,
        basic_cnt: 1,
        basic_list: vec![item],
    }))
}

// ---- 은행-003 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct DepositDetail {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    pub detail_cnt: usize,
    pub detail_list: Vec<DepositDetailItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DepositDetailItem {
    pub currency_code: String,
    #[schema(value_type = f64)]
    pub balance_amt: Number,
    #[schema(value_type = f64)]
    pub withdrawable_amt: Number,
    /// Percent.
    pub offered_rate: f64,
    /// Instalment savings: how many payments went in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_paid_in_cnt: Option<u32>,
}

/// 은행-003: a deposit account's balance and rate, from the ledger.
#[utoipa::path(post, path = "/v1/bank/accounts/deposit/detail", tag = "bank",
    request_body = AccountRequest, responses((status = 200, body = DepositDetail)))]
pub async fn deposit_detail(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<AccountRequest>,
) -> MResult<Synced<DepositDetail>> {
    let h = sync::held(&s, &caller, r.call("bank.deposit", DEPOSIT)).await?;
    let a = &h.account;
    let t = deposit_terms(a, h.terms());
    let item = DepositDetailItem {
        currency_code: a.currency.to_string(),
        balance_amt: amt(a.balance_minor, a.currency),
        withdrawable_amt: amt(a.available_minor(), a.currency),
        offered_rate: rate(t.rate_milli),
        last_paid_in_cnt: None,
    };
    Ok(h.detail(|search_timestamp| DepositDetail {
        search_timestamp,
        detail_cnt: 1,
        detail_list: vec![item],
    }))
}

// ---- 은행-004 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct DepositTransactions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub trans_cnt: usize,
    pub trans_list: Vec<DepositTransaction>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DepositTransaction {
    pub trans_dtime: String,
    pub trans_no: String,
    /// `01` opening, `02` withdrawal, `03` deposit.
    pub trans_type: String,
    pub trans_class: String,
    pub currency_code: String,
    #[schema(value_type = f64)]
    pub trans_amt: Number,
    #[schema(value_type = f64)]
    pub balance_amt: Number,
    /// Only when the consent includes memos.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trans_memo: Option<String>,
}

/// 은행-004: a deposit account's ledger postings, newest first, paged.
#[utoipa::path(post, path = "/v1/bank/accounts/deposit/transactions", tag = "bank",
    request_body = AccountHistoryRequest, responses((status = 200, body = DepositTransactions)))]
pub async fn deposit_transactions(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<AccountHistoryRequest>,
) -> MResult<Reply<DepositTransactions>> {
    let h = history::history(&s, &caller, r.call("bank.deposit", DEPOSIT)).await?;
    let c = h.account.currency;
    let memo = caller.consent.memo;
    let list: Vec<DepositTransaction> = h
        .lines
        .iter()
        .map(|p| DepositTransaction {
            trans_dtime: dtime(p.at),
            trans_no: p.seq.to_string(),
            trans_type: deposit_trans_type(p).into(),
            trans_class: trans_class(p.kind).into(),
            currency_code: c.to_string(),
            trans_amt: amt(p.amount_minor.abs(), c),
            balance_amt: amt(p.balance_after_minor, c),
            trans_memo: memo.then(|| memo_text(p)).flatten(),
        })
        .collect();
    Ok(Reply::ok(DepositTransactions {
        next_page: h.next_page,
        trans_cnt: list.len(),
        trans_list: list,
    }))
}

fn deposit_trans_type(p: &Posting) -> &'static str {
    match (p.kind, p.amount_minor > 0) {
        (EntryKind::Opening, _) => "01",
        (_, true) => "03",
        (_, false) => "02",
    }
}

/// The channel a line came through, as a passbook names it (AH(15)).
fn trans_class(k: EntryKind) -> &'static str {
    match k {
        EntryKind::Opening => "영업점",
        EntryKind::Transfer => "인터넷뱅킹",
        EntryKind::Withdrawal | EntryKind::Deposit => "오픈뱅킹",
        EntryKind::Salary => "급여이체",
        EntryKind::Card => "체크카드",
        EntryKind::Cash => "ATM",
        EntryKind::Fee => "수수료",
        EntryKind::Interest => "결산이자",
        EntryKind::Charge => "간편결제충전",
        EntryKind::Refund => "환불",
        EntryKind::Remittance => "타행송금",
    }
}

/// The passbook text, else the other side's name (AH(90)); None when empty.
fn memo_text(p: &Posting) -> Option<String> {
    let text = if p.memo.is_empty() {
        &p.counterparty
    } else {
        &p.memo
    };
    (!text.is_empty()).then(|| text.chars().take(90).collect())
}

// ---- funds ----

/// A fund's terms; without any, a free-paid-in fund worth its balance.
fn fund_terms(a: &Account, terms: Option<&ProductTerms>) -> FundTerms {
    if let Some(ProductTerms::Fund(f)) = terms {
        return f.clone();
    }
    let digits: String = a.account_num.chars().filter(char::is_ascii_digit).collect();
    let padded = format!("{digits:0>9}");
    FundTerms {
        fund_code: format!("KR5{}", &padded[padded.len() - 9..]),
        paid_in: PaidIn::Free,
        // One unit per won at a price of 1,000 per 1,000 units.
        units_milli: a.balance_minor.max(0) * 1_000,
        nav_minor: 1_000,
        principal_minor: a.balance_minor.max(0),
    }
}

/// What the fund is worth: units × price per 1,000 units / 1,000.
fn eval_minor(f: &FundTerms) -> i64 {
    let v = i128::from(f.units_milli) * i128::from(f.nav_minor) / 1_000_000;
    i64::try_from(v).unwrap_or(i64::MAX)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvestBasic {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    pub standard_fund_code: String,
    /// `01` free, `02` instalment, `03` lump-sum.
    pub paid_in_type: String,
    pub issue_date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp_date: Option<String>,
}

/// 은행-005: a fund account's basic information.
#[utoipa::path(post, path = "/v1/bank/accounts/invest/basic", tag = "bank",
    request_body = AccountRequest, responses((status = 200, body = InvestBasic)))]
pub async fn invest_basic(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<AccountRequest>,
) -> MResult<Synced<InvestBasic>> {
    let h = sync::held(&s, &caller, r.call("bank.invest", FUND)).await?;
    let f = fund_terms(&h.account, h.terms());
    let paid_in_type = match f.paid_in {
        PaidIn::Free => "01",
        PaidIn::Instalment => "02",
        PaidIn::LumpSum => "03",
    };
    Ok(h.basic(|search_timestamp| InvestBasic {
        search_timestamp,
        standard_fund_code: f.fund_code,
        paid_in_type: paid_in_type.into(),
        issue_date: date_of(h.account.opened_at),
        exp_date: h.account.maturity_date.map(date),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvestDetail {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    pub currency_code: String,
    #[schema(value_type = f64)]
    pub balance_amt: Number,
    #[schema(value_type = f64)]
    pub eval_amt: Number,
    #[schema(value_type = f64)]
    pub inv_principal: Number,
    /// Units held.
    pub fund_num: f64,
}

/// 은행-006: a fund account's balance, valuation and principal.
#[utoipa::path(post, path = "/v1/bank/accounts/invest/detail", tag = "bank",
    request_body = AccountRequest, responses((status = 200, body = InvestDetail)))]
pub async fn invest_detail(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<AccountRequest>,
) -> MResult<Synced<InvestDetail>> {
    let h = sync::held(&s, &caller, r.call("bank.invest", FUND)).await?;
    let a = &h.account;
    let f = fund_terms(a, h.terms());
    let c = a.currency;
    Ok(h.detail(|search_timestamp| InvestDetail {
        search_timestamp,
        currency_code: c.to_string(),
        balance_amt: amt(a.balance_minor, c),
        eval_amt: amt(eval_minor(&f), c),
        inv_principal: amt(f.principal_minor, c),
        fund_num: history::units(f.units_milli),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvestTransactions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub trans_cnt: usize,
    pub trans_list: Vec<InvestTransaction>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvestTransaction {
    pub trans_dtime: String,
    pub trans_no: String,
    /// `01` new, `02` paid in, `03` withdrawn.
    pub trans_type: String,
    pub currency_code: String,
    /// Price per 1,000 units.
    #[schema(value_type = f64)]
    pub base_amt: Number,
    /// Units moved at that price.
    pub trans_fund_num: f64,
    #[schema(value_type = f64)]
    pub trans_amt: Number,
    #[schema(value_type = f64)]
    pub balance_amt: Number,
}

/// 은행-007: a fund account's ledger postings, newest first, paged.
#[utoipa::path(post, path = "/v1/bank/accounts/invest/transactions", tag = "bank",
    request_body = AccountHistoryRequest, responses((status = 200, body = InvestTransactions)))]
pub async fn invest_transactions(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<AccountHistoryRequest>,
) -> MResult<Reply<InvestTransactions>> {
    let h = history::history(&s, &caller, r.call("bank.invest", FUND)).await?;
    let record = s.repo.terms(&h.account.account_id).await?;
    let f = fund_terms(&h.account, record.as_ref().map(|r| &r.terms));
    let c = h.account.currency;
    let nav = f.nav_minor.max(1);
    let list: Vec<InvestTransaction> = h
        .lines
        .iter()
        .map(|p| InvestTransaction {
            trans_dtime: dtime(p.at),
            trans_no: p.seq.to_string(),
            trans_type: match (p.kind, p.amount_minor > 0) {
                (EntryKind::Opening, _) => "01",
                (_, true) => "02",
                (_, false) => "03",
            }
            .into(),
            currency_code: c.to_string(),
            base_amt: amt(nav, c),
            trans_fund_num: (p.amount_minor.abs() as f64) * 1000.0 / nav as f64,
            trans_amt: amt(p.amount_minor.abs(), c),
            balance_amt: amt(p.balance_after_minor, c),
        })
        .collect();
    Ok(Reply::ok(InvestTransactions {
        next_page: h.next_page,
        trans_cnt: list.len(),
        trans_list: list,
    }))
}

// ---- loans ----

/// What is owed: loans keep a negative balance (what was drawn), and an
/// account opened with a positive one counts the same amount as owed.
pub(crate) fn outstanding(balance_minor: i64) -> i64 {
    balance_minor.saturating_abs()
}

/// A loan's terms; without any, a 5 % credit loan repaid in equal
/// payments on its opening day of the month, for three years.
pub(crate) fn loan_terms(a: &Account, terms: Option<&ProductTerms>) -> LoanTerms {
    if let Some(ProductTerms::Loan(l)) = terms {
        return l.clone();
    }
    let opened = a.opened_at.with_timezone(&kst()).date_naive();
    LoanTerms {
        loan_type: LoanType::Credit,
        rate_milli: 5_000,
        principal_minor: outstanding(a.balance_minor),
        repay_method: RepayMethod::EqualPayment,
        repay_day: Some(opened.day().min(28)),
        repay_account_id: None,
        exp_date: a
            .maturity_date
            .unwrap_or_else(|| opened.checked_add_months(Months::new(36)).unwrap_or(opened)),
        secured_by: None,
    }
}

/// Repayment method (첨부4): `01` bullet, `02` equal principal, `03` equal payment.
pub(crate) fn repay_method(m: RepayMethod) -> &'static str {
    match m {
        RepayMethod::Bullet => "01",
        RepayMethod::EqualPrincipal => "02",
        RepayMethod::EqualPayment => "03",
    }
}

/// The next repayment day from `today`, the maturity at the latest.
pub(crate) fn next_repay_date(t: &LoanTerms, today: NaiveDate) -> Option<NaiveDate> {
    let day = t.repay_day?;
    let this_month = today.with_day(day.clamp(1, 28)).unwrap_or(today);
    let next = if this_month >= today {
        this_month
    } else {
        this_month
            .checked_add_months(Months::new(1))
            .unwrap_or(this_month)
    };
    Some(next.min(t.exp_date))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoanBasic {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    pub issue_date: String,
    pub exp_date: String,
    /// Percent.
    pub last_offered_rate: f64,
    /// `DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repay_date: Option<String>,
    /// `01` bullet, `02` equal principal, `03` equal payment.
    pub repay_method: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repay_org_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repay_account_num: Option<String>,
}

/// 은행-008: a loan account's basic information.
#[utoipa::path(post, path = "/v1/bank/accounts/loan/basic", tag = "bank",
    request_body = AccountRequest, responses((status = 200, body = LoanBasic)))]
pub async fn loan_basic(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<AccountRequest>,
) -> MResult<Synced<LoanBasic>> {
    let h = sync::held(&s, &caller, r.call("bank.loan", LOAN)).await?;
    let t = loan_terms(&h.account, h.terms());
    let repay = repay_account(&s, &caller, &t).await?;
    Ok(h.basic(|search_timestamp| LoanBasic {
        search_timestamp,
        issue_date: date_of(h.account.opened_at),
        exp_date: date(t.exp_date),
        last_offered_rate: rate(t.rate_milli),
        repay_date: t.repay_day.map(|d| format!("{d:02}")),
        repay_method: repay_method(t.repay_method).into(),
        repay_org_code: repay
            .as_ref()
            .map(|r| r.org_code.get(2..).unwrap_or("").to_owned()),
        repay_account_num: repay.as_ref().map(crate::assets::asset_id),
    }))
}

/// The person's own account repayments come from, if the terms name one.
async fn repay_account(
    s: &MydataState,
    caller: &Caller,
    t: &LoanTerms,
) -> MResult<Option<Account>> {
    let Some(id) = &t.repay_account_id else {
        return Ok(None);
    };
    let a = s.world.repo.account(id).await?;
    Ok(a.filter(|a| a.person_id.as_deref() == Some(caller.person())))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoanDetail {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    pub currency_code: String,
    /// Outstanding.
    #[schema(value_type = f64)]
    pub balance_amt: Number,
    #[schema(value_type = f64)]
    pub loan_principal: Number,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_repay_date: Option<String>,
}

impl LoanDetail {
    /// What is owed on the loan `h` holds under terms `t`: the answer of
    /// 은행-009 and of every industry's loan detail that has its fields.
    pub(crate) fn answer(h: &Held, t: &LoanTerms, today: NaiveDate) -> Synced<LoanDetail> {
        let c = h.account.currency;
        h.detail(|search_timestamp| LoanDetail {
            search_timestamp,
            currency_code: c.to_string(),
            balance_amt: amt(outstanding(h.account.balance_minor), c),
            loan_principal: amt(t.principal_minor, c),
            next_repay_date: next_repay_date(t, today).map(date),
        })
    }
}

/// 은행-009: what is owed on a loan, from the ledger.
#[utoipa::path(post, path = "/v1/bank/accounts/loan/detail", tag = "bank",
    request_body = AccountRequest, responses((status = 200, body = LoanDetail)))]
pub async fn loan_detail(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<AccountRequest>,
) -> MResult<Synced<LoanDetail>> {
    let h: Held = sync::held(&s, &caller, r.call("bank.loan", LOAN)).await?;
    let t = loan_terms(&h.account, h.terms());
    Ok(LoanDetail::answer(&h, &t, caller.today))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoanTransactions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub trans_cnt: usize,
    pub trans_list: Vec<LoanTransaction>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoanTransaction {
    pub trans_dtime: String,
    pub trans_no: String,
    /// `01` drawdown, `02` repayment, `99` other (interest, fees).
    pub trans_type: String,
    pub currency_code: String,
    #[schema(value_type = f64)]
    pub trans_amt: Number,
    /// Outstanding after.
    #[schema(value_type = f64)]
    pub balance_amt: Number,
    #[schema(value_type = f64)]
    pub principal_amt: Number,
    #[schema(value_type = f64)]
    pub int_amt: Number,
    pub int_cnt: usize,
    pub int_list: Vec<InterestPiece>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InterestPiece {
    pub int_start_date: String,
    pub int_end_date: String,
    /// Percent.
    pub int_rate: f64,
    #[schema(value_type = f64)]
    pub applied_int_amt: Number,
    /// `01` normal.
    pub int_type: String,
}

/// 은행-010: a loan's ledger postings, newest first, each split into
/// principal and the month's interest at the terms' rate.
#[utoipa::path(post, path = "/v1/bank/accounts/loan/transactions", tag = "bank",
    request_body = AccountHistoryRequest, responses((status = 200, body = LoanTransactions)))]
pub async fn loan_transactions(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<AccountHistoryRequest>,
) -> MResult<Reply<LoanTransactions>> {
    let h = history::history(&s, &caller, r.call("bank.loan", LOAN)).await?;
    let record = s.repo.terms(&h.account.account_id).await?;
    let t = loan_terms(&h.account, record.as_ref().map(|r| &r.terms));
    let c = h.account.currency;
    let list: Vec<LoanTransaction> = h.lines.iter().map(|p| loan_line(p, &t, c)).collect();
    Ok(Reply::ok(LoanTransactions {
        next_page: h.next_page,
        trans_cnt: list.len(),
        trans_list: list,
    }))
}

/// A loan line's type code, the amount paid or drawn, and its interest part.
pub(crate) fn loan_parts(p: &Posting, t: &LoanTerms) -> (&'static str, i64, i64) {
    match LoanMemo::decode(&p.memo) {
        Some(LoanMemo::Repayment {
            principal_minor,
            interest_minor,
        }) => return ("02", principal_minor + interest_minor, interest_minor),
        Some(LoanMemo::Drawdown) => return ("01", p.amount_minor.saturating_abs(), 0),
        None => {}
    }
    let amount = p.amount_minor.saturating_abs();
    match p.kind {
        EntryKind::Opening => ("01", amount, 0),
        EntryKind::Interest => ("99", amount, amount),
        EntryKind::Fee => ("99", amount, 0),
        _ if p.amount_minor < 0 => ("01", amount, 0),
        _ => {
            let before = outstanding(p.balance_after_minor.saturating_sub(p.amount_minor));
            let month = i128::from(before) * i128::from(t.rate_milli) / (1_000 * 100 * 12);
            ("02", amount, i64::try_from(month).unwrap_or(0).min(amount))
        }
    }
}

/// A loan line: what its memo records (the world's repayments name their
/// principal and interest, `LoanMemo`); a line without one is read as a
/// drawdown (all principal), interest charged (all interest), or a repayment
/// that first pays the month's interest on what was owed before it.
pub(crate) fn loan_line(p: &Posting, t: &LoanTerms, c: Currency) -> LoanTransaction {
    let (kind, amount, interest) = loan_parts(p, t);
    let principal = if kind == "99" { 0 } else { amount - interest };
    let day = p.at.with_timezone(&kst()).date_naive();
    let pieces: Vec<InterestPiece> = (interest > 0)
        .then(|| InterestPiece {
            int_start_date: date(day.checked_sub_months(Months::new(1)).unwrap_or(day)),
            int_end_date: date(day - Duration::days(1)),
            int_rate: rate(t.rate_milli),
            applied_int_amt: amt(interest, c),
            int_type: "01".into(),
        })
        .into_iter()
        .collect();
    LoanTransaction {
        trans_dtime: dtime(p.at),
        trans_no: p.seq.to_string(),
        trans_type: kind.into(),
        currency_code: c.to_string(),
        trans_amt: amt(amount, c),
        balance_amt: amt(outstanding(p.balance_after_minor), c),
        principal_amt: amt(principal, c),
        int_amt: amt(interest, c),
        int_cnt: pieces.len(),
        int_list: pieces,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn account(kind: AccountKind, balance: i64) -> Account {
        Account {
            account_id: "a".into(),
            org_code: "BA00000004".into(),
            account_num: "123-456789-01234".into(),
            kind,
            product_name: "p".into(),
            currency: Currency::KRW,
            person_id: Some("p".into()),
            holder_name: "h".into(),
            opened_at: Utc.with_ymd_and_hms(2026, 1, 15, 3, 0, 0).unwrap(),
            closed_at: None,
            maturity_date: None,
            status: AccountStatus::Active,
            floor_minor: 0,
            balance_minor: balance,
            last_tran_at: None,
        }
    }

    fn posting(kind: EntryKind, amount: i64, after: i64) -> Posting {
        Posting {
            entry_id: 1,
            account_id: "a".into(),
            seq: 3,
            at: Utc.with_ymd_and_hms(2026, 11, 15, 3, 0, 0).unwrap(),
            kind,
            amount_minor: amount,
            balance_after_minor: after,
            memo: String::new(),
            counterparty: "홍길동".into(),
        }
    }

    #[test]
    fn account_types_follow_the_kind_and_terms() {
        assert_eq!(account_type(&account(AccountKind::Demand, 0), None), "1001");
        assert_eq!(
            account_type(&account(AccountKind::Savings, 0), None),
            "1003"
        );
        assert_eq!(account_type(&account(AccountKind::Fund, 0), None), "2001");
        assert_eq!(account_type(&account(AccountKind::Loan, 0), None), "3100");
        let mut t = loan_terms(&account(AccountKind::Loan, 0), None);
        t.loan_type = LoanType::Jeonse;
        let terms = ProductTerms::Loan(t);
        assert_eq!(
            account_type(&account(AccountKind::Loan, 0), Some(&terms)),
            "3170"
        );
        let time = ProductTerms::Deposit(DepositTerms {
            saving_method: SavingMethod::LumpSum,
            rate_milli: 3_500,
            commit_minor: Some(10_000_000),
            monthly_minor: None,
            overdraft: false,
        });
        assert_eq!(
            account_type(&account(AccountKind::Savings, 0), Some(&time)),
            "1002"
        );
        assert_eq!(account_status(AccountStatus::Closed), "03");
    }

    #[test]
    fn deposit_lines_are_typed_by_sign_and_memos_fall_back_to_the_other_side() {
        assert_eq!(deposit_trans_type(&posting(EntryKind::Opening, 5, 5)), "01");
        assert_eq!(
            deposit_trans_type(&posting(EntryKind::Withdrawal, -5, 0)),
            "02"
        );
        assert_eq!(deposit_trans_type(&posting(EntryKind::Salary, 5, 10)), "03");
        assert_eq!(
            memo_text(&posting(EntryKind::Cash, 5, 5)).unwrap(),
            "홍길동"
        );
        let mut p = posting(EntryKind::Cash, 5, 5);
        p.counterparty.clear();
        assert_eq!(memo_text(&p), None);
    }

    #[test]
    fn a_repayment_pays_the_months_interest_first() {
        let a = account(AccountKind::Loan, -12_000_000);
        let mut t = loan_terms(&a, None);
        t.rate_milli = 6_000;
        // Owed 12,000,000 before; 6 % a year is 60,000 a month.
        let l = loan_line(
            &posting(EntryKind::Transfer, 500_000, -11_500_000),
            &t,
            Currency::KRW,
        );
        assert_eq!(l.trans_type, "02");
        assert_eq!(l.int_amt.to_string(), "60000");
        assert_eq!(l.principal_amt.to_string(), "440000");
        assert_eq!(l.balance_amt.to_string(), "11500000");
        assert_eq!(l.int_cnt, 1);
        assert_eq!(l.int_list[0].int_start_date, "20261015");
        let d = loan_line(
            &posting(EntryKind::Transfer, -1_000, -1_000),
            &t,
            Currency::KRW,
        );
        assert_eq!((d.trans_type.as_str(), d.int_cnt), ("01", 0));
        assert_eq!(d.principal_amt.to_string(), "1000");
    }

    #[test]
    fn a_repayment_the_world_recorded_reads_its_own_principal_and_interest() {
        let a = account(AccountKind::Loan, -12_000_000);
        let t = loan_terms(&a, None);
        // The loan account took the principal only; the memo names both parts.
        let mut p = posting(EntryKind::Transfer, 440_000, -11_560_000);
        p.memo = LoanMemo::Repayment {
            principal_minor: 440_000,
            interest_minor: 61_000,
        }
        .encode();
        let l = loan_line(&p, &t, Currency::KRW);
        assert_eq!(l.trans_type, "02");
        assert_eq!(l.trans_amt.to_string(), "501000");
        assert_eq!(l.principal_amt.to_string(), "440000");
        assert_eq!(l.int_amt.to_string(), "61000");
        assert_eq!(l.balance_amt.to_string(), "11560000");
        let mut d = posting(EntryKind::Transfer, -5_000_000, -5_000_000);
        d.memo = LoanMemo::Drawdown.encode();
        let d = loan_line(&d, &t, Currency::KRW);
        assert_eq!((d.trans_type.as_str(), d.int_cnt), ("01", 0));
        assert_eq!(d.principal_amt.to_string(), "5000000");
    }

    #[test]
    fn the_next_repayment_is_this_months_day_or_the_next_months() {
        let a = account(AccountKind::Loan, -1);
        let t = loan_terms(&a, None);
        assert_eq!(t.repay_day, Some(15));
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(next_repay_date(&t, d(2026, 11, 10)), Some(d(2026, 11, 15)));
        assert_eq!(next_repay_date(&t, d(2026, 11, 16)), Some(d(2026, 12, 15)));
        assert_eq!(next_repay_date(&t, d(2030, 1, 1)), Some(t.exp_date));
    }

    #[test]
    fn a_fund_without_terms_is_worth_its_balance() {
        let f = fund_terms(&account(AccountKind::Fund, 1_000_000), None);
        assert_eq!(eval_minor(&f), 1_000_000);
        assert_eq!(f.fund_code.len(), 12);
    }
}
