//! The financial investment industry (금투-001..005, mydata.md §11): a
//! securities firm's accounts (securities accounts, pension savings among
//! them, and fund accounts), their cash and loans, their history, what they
//! hold, and a pension account's figures. Cash and trades are the ledger's
//! postings (a trade's memo is a `TradeMemo`); holdings, loans and pension
//! figures are the account's `SecuritiesTerms` (a fund account's
//! `FundTerms`). The standard gives these APIs in outline only: field names
//! are §11's, their codes finhub's, as each field's description says.

use crate::bank::AccountsQuery;
use crate::error::{MResult, MydataError};
use crate::extract::{Caller, MJson, MQuery};
use crate::history::{self, amt, date, date_of, dtime, units, HistoryCall, HistoryFields};
use crate::params::num_or_str;
use crate::sync::{self, AssetCall, ListCall};
use crate::wire::{Reply, Synced};
use crate::MydataState;
use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use chrono::{Datelike, NaiveDate};
use finhub_core::account::{Account, AccountKind};
use finhub_core::ledger::{EntryKind, Posting};
use finhub_core::merchant::{TradeMemo, TradeSide};
use finhub_core::money::Currency;
use finhub_core::product::{FundTerms, Holding, ProductTerms, SecuritiesKind, SecuritiesTerms};
use serde::{Deserialize, Serialize};
use serde_json::Number;
use utoipa::ToSchema;

/// What a securities firm serves here (its IRP accounts are IRP-001's).
const INVEST: &[AccountKind] = &[AccountKind::Securities, AccountKind::Fund];
const LIST_SCOPE: &str = "invest.list";
const ACCOUNT_SCOPE: &str = "invest.account";

pub(crate) fn routes() -> Router<MydataState> {
    Router::new()
        .route("/v1/invest/accounts", get(accounts))
        .route("/v1/invest/accounts/basic", post(basic))
        .route("/v1/invest/accounts/transactions", post(transactions))
        .route("/v1/invest/accounts/products", post(products))
        .route("/v1/invest/accounts/pension", post(pension))
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(accounts, basic, transactions, products, pension),
    components(schemas(
        InvestRequest,
        InvestHistoryRequest,
        InvestAccounts,
        InvestAccountItem,
        InvestBasic,
        InvestTransactions,
        InvestTransaction,
        InvestProducts,
        InvestProduct,
        InvestPension
    )),
    tags((name = "invest", description = "금융투자 (금투-001..005). The standard gives these \
APIs in outline (mydata.md §11): finhub follows its field names and the field style of the \
other industries (amounts JSON numbers in whole won, quantities F numbers, dates YYYYMMDD); \
the codes (account_type, trans_type, prod_type) are finhub's, listed on each field. Scopes: \
`invest.list` for 금투-001, `invest.account` for the rest."))
)]
pub(crate) struct Doc;

// ---- requests ----

/// The body of 금투-002, 004 and 005.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct InvestRequest {
    pub org_code: Option<String>,
    /// The account number without `-`, as 금투-001 gives it.
    pub account_num: Option<String>,
    #[serde(deserialize_with = "num_or_str")]
    #[schema(value_type = Option<i64>)]
    pub search_timestamp: Option<String>,
}

/// The body of 금투-003.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct InvestHistoryRequest {
    pub org_code: Option<String>,
    pub account_num: Option<String>,
    #[serde(flatten)]
    pub history: HistoryFields,
}

impl InvestRequest {
    fn call(&self) -> AssetCall<'_> {
        AssetCall {
            scope: ACCOUNT_SCOPE,
            kinds: INVEST,
            org_code: self.org_code.as_deref(),
            asset: self.account_num.as_deref(),
            search_timestamp: self.search_timestamp.as_deref(),
            next_page: None,
        }
    }
}

// ---- terms ----

/// An account's securities terms; a fund account's, or one without terms,
/// reads as an account of no loans and no tax benefit.
fn securities(a: &Account, terms: Option<&ProductTerms>) -> SecuritiesTerms {
    match terms {
        Some(ProductTerms::Securities(s)) => s.clone(),
        _ => SecuritiesTerms {
            kind: SecuritiesKind::Brokerage,
            tax_benefit: false,
            credit_loan_minor: 0,
            mortgage_minor: 0,
            holdings: fund_holding(a, terms).into_iter().collect(),
            pension: None,
        },
    }
}

/// A fund account's fund as its one holding (price per 1,000 units → per unit).
fn fund_holding(a: &Account, terms: Option<&ProductTerms>) -> Option<Holding> {
    let f: &FundTerms = match terms {
        Some(ProductTerms::Fund(f)) => f,
        _ => return None,
    };
    let per_unit = |total: i64| {
        total
            .checked_mul(1_000)
            .map_or(0, |t| t / f.units_milli.max(1))
    };
    Some(Holding {
        code: f.fund_code.clone(),
        name: a.product_name.clone(),
        class: "fund".into(),
        qty_milli: f.units_milli,
        price_minor: f.nav_minor / 1_000,
        avg_price_minor: per_unit(f.principal_minor),
    })
}

/// `account_type` (3 characters, finhub's): `101` brokerage (위탁), `102`
/// CMA, `201` fund (수익증권), `301` pension savings (연금저축).
fn account_type(a: &Account, s: &SecuritiesTerms) -> &'static str {
    match (a.kind, s.kind) {
        (AccountKind::Fund, _) => "201",
        (_, SecuritiesKind::Brokerage) => "101",
        (_, SecuritiesKind::Cma) => "102",
        (_, SecuritiesKind::PensionSavings) => "301",
    }
}

// ---- 금투-001 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct InvestAccounts {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub account_cnt: usize,
    pub account_list: Vec<InvestAccountItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvestAccountItem {
    pub account_num: String,
    pub is_consent: bool,
    pub account_name: String,
    /// `101` brokerage (위탁), `102` CMA, `201` fund (수익증권), `301`
    /// pension savings (연금저축).
    pub account_type: String,
    pub issue_date: String,
    pub is_tax_benefits: bool,
    pub is_cma: bool,
    /// Whether the account trades listed shares (brokerage and CMA accounts).
    pub is_stock_trans: bool,
    /// Linked to a bank account (은행연계): finhub links none, so always false.
    pub is_account_link: bool,
}

fn account_item(caller: &Caller, a: &Account, terms: Option<&ProductTerms>) -> InvestAccountItem {
    let s = securities(a, terms);
    let trades = a.kind == AccountKind::Securities && s.kind != SecuritiesKind::PensionSavings;
    InvestAccountItem {
        account_num: crate::assets::asset_id(a),
        is_consent: caller.consent.holds(&a.account_id),
        account_name: a.product_name.clone(),
        account_type: account_type(a, &s).into(),
        issue_date: date_of(a.opened_at),
        is_tax_benefits: s.tax_benefit,
        is_cma: a.kind == AccountKind::Securities && s.kind == SecuritiesKind::Cma,
        is_stock_trans: trades,
        is_account_link: false,
    }
}

/// 금투-001 계좌 목록 조회: every securities and fund account the person
/// holds at the token's firm (and any closed since the consent), with
/// `is_consent`; paged by `limit`/`next_page`, `00001` when nothing on it
/// changed since `search_timestamp`.
#[utoipa::path(get, path = "/v1/invest/accounts", tag = "invest", params(AccountsQuery),
    responses((status = 200, body = InvestAccounts)))]
pub async fn accounts(
    State(s): State<MydataState>,
    caller: Caller,
    MQuery(q): MQuery<AccountsQuery>,
) -> MResult<Synced<InvestAccounts>> {
    let call = ListCall {
        scope: LIST_SCOPE,
        kinds: INVEST,
        org_code: q.org_code.as_deref(),
        search_timestamp: q.search_timestamp.as_deref(),
        next_page: q.next_page.as_deref(),
        limit: q.limit.as_deref(),
    };
    let l = sync::list(&s, &caller, call).await?;
    let list: Vec<InvestAccountItem> = l
        .page
        .iter()
        .map(|a| account_item(&caller, a, l.terms_of(a)))
        .collect();
    Ok(l.answer(|search_timestamp| InvestAccounts {
        search_timestamp,
        next_page: l.next_page.clone(),
        account_cnt: list.len(),
        account_list: list,
    }))
}

// ---- 금투-002 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct InvestBasic {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    pub currency_code: String,
    /// 예수금: the cash the account holds (its ledger balance).
    #[schema(value_type = f64)]
    pub withholdings_amt: Number,
    #[schema(value_type = f64)]
    pub credit_loan_amt: Number,
    /// Loans against the holdings (주식담보대출).
    #[schema(value_type = f64)]
    pub mortgage_amt: Number,
    /// What may be withdrawn now.
    #[schema(value_type = f64)]
    pub avail_balance: Number,
}

/// 금투-002 계좌 기본정보 조회: the account's cash (the ledger's balance, so
/// a transfer shows at once), loans and what may be withdrawn.
#[utoipa::path(post, path = "/v1/invest/accounts/basic", tag = "invest",
    request_body = InvestRequest, responses((status = 200, body = InvestBasic)))]
pub async fn basic(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<InvestRequest>,
) -> MResult<Synced<InvestBasic>> {
    let h = sync::held(&s, &caller, r.call()).await?;
    let a = &h.account;
    let t = securities(a, h.terms());
    let c = a.currency;
    Ok(h.detail(|search_timestamp| InvestBasic {
        search_timestamp,
        currency_code: c.to_string(),
        withholdings_amt: amt(a.balance_minor, c),
        credit_loan_amt: amt(t.credit_loan_minor, c),
        mortgage_amt: amt(t.mortgage_minor, c),
        avail_balance: amt(a.available_minor(), c),
    }))
}

// ---- 금투-003 ----

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
    /// Buys, sells and dividends: the product.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prod_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prod_code: Option<String>,
    pub trans_no: String,
    /// `101` buy, `102` sell, `301` cash in, `302` cash out, `401` dividend.
    pub trans_type: String,
    /// The kind in words: 매수, 매도, 입금, 출금, 배당.
    pub trans_type_detail: String,
    /// Buys and sells: the quantity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trans_num: Option<f64>,
    /// Buys and sells: what the quantity counts (`주` shares, `좌` fund units).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trans_unit: Option<String>,
    /// Buys and sells: the price per unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<f64>)]
    pub base_amt: Option<Number>,
    /// Buys and sells: quantity × price; else the cash that moved.
    #[schema(value_type = f64)]
    pub trans_amt: Number,
    /// The cash that moved.
    #[schema(value_type = f64)]
    pub settle_amt: Number,
    /// The cash left after it.
    #[schema(value_type = f64)]
    pub balance_amt: Number,
    pub currency_code: String,
    /// Only when the consent includes memos.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trans_memo: Option<String>,
}

/// What a posting says: its memo's trade, else a cash move by its sign.
fn trade_of(p: &Posting) -> TradeMemo {
    TradeMemo::decode(&p.memo)
        .filter(|_| p.kind != EntryKind::Opening)
        .unwrap_or_else(|| TradeMemo {
            side: if p.amount_minor >= 0 {
                TradeSide::Deposit
            } else {
                TradeSide::Withdraw
            },
            code: String::new(),
            qty_milli: 0,
            price_minor: 0,
        })
}

fn trans_type(side: TradeSide) -> (&'static str, &'static str) {
    match side {
        TradeSide::Buy => ("101", "매수"),
        TradeSide::Sell => ("102", "매도"),
        TradeSide::Deposit => ("301", "입금"),
        TradeSide::Withdraw => ("302", "출금"),
        TradeSide::Dividend => ("401", "배당"),
    }
}

/// A quantity's unit: shares for listed products, units for funds.
fn unit(h: Option<&Holding>) -> &'static str {
    match h.map(|h| h.class.as_str()) {
        Some("fund") => "좌",
        _ => "주",
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

/// What one line needs besides the posting.
struct Lines<'a> {
    holdings: &'a [Holding],
    currency: Currency,
    memo: bool,
}

fn transaction(p: &Posting, l: &Lines<'_>) -> InvestTransaction {
    let t = trade_of(p);
    let (code, detail) = trans_type(t.side);
    let c = l.currency;
    let held = l.holdings.iter().find(|h| h.code == t.code);
    let traded = matches!(t.side, TradeSide::Buy | TradeSide::Sell);
    let gross = i128::from(t.qty_milli) * i128::from(t.price_minor) / 1_000;
    let cash = p.amount_minor.abs();
    InvestTransaction {
        trans_dtime: dtime(p.at),
        prod_name: t
            .side
            .has_product()
            .then(|| held.map_or_else(|| t.code.clone(), |h| h.name.clone())),
        prod_code: t.side.has_product().then(|| t.code.clone()),
        trans_no: p.seq.to_string(),
        trans_type: code.into(),
        trans_type_detail: detail.into(),
        trans_num: traded.then(|| units(t.qty_milli)),
        trans_unit: traded.then(|| unit(held).to_owned()),
        base_amt: traded.then(|| amt(t.price_minor, c)),
        trans_amt: amt(
            if traded {
                i64::try_from(gross).unwrap_or(cash)
            } else {
                cash
            },
            c,
        ),
        settle_amt: amt(cash, c),
        balance_amt: amt(p.balance_after_minor, c),
        currency_code: c.to_string(),
        trans_memo: l.memo.then(|| memo_text(p)).flatten(),
    }
}

/// 금투-003 계좌 거래내역 조회: the account's ledger postings in the window,
/// newest first, paged: cash in and out, and the trades their memo records.
#[utoipa::path(post, path = "/v1/invest/accounts/transactions", tag = "invest",
    request_body = InvestHistoryRequest, responses((status = 200, body = InvestTransactions)))]
pub async fn transactions(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<InvestHistoryRequest>,
) -> MResult<Reply<InvestTransactions>> {
    let call = HistoryCall {
        scope: ACCOUNT_SCOPE,
        kinds: INVEST,
        org_code: r.org_code.as_deref(),
        asset: r.account_num.as_deref(),
        fields: &r.history,
    };
    let h = history::history(&s, &caller, call).await?;
    let record = s.repo.terms(&h.account.account_id).await?;
    let terms = securities(&h.account, record.as_ref().map(|r| &r.terms));
    let lines = Lines {
        holdings: &terms.holdings,
        currency: h.account.currency,
        memo: caller.consent.memo,
    };
    let list: Vec<InvestTransaction> = h.lines.iter().map(|p| transaction(p, &lines)).collect();
    Ok(Reply::ok(InvestTransactions {
        next_page: h.next_page,
        trans_cnt: list.len(),
        trans_list: list,
    }))
}

// ---- 금투-004 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct InvestProducts {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    /// The day the valuation is of (today).
    pub base_date: String,
    pub prod_cnt: usize,
    pub prod_list: Vec<InvestProduct>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvestProduct {
    /// `401` domestic shares, `404` ETF, `201` fund, `301` bond, `501`
    /// derivative-linked securities (ELS/DLS), `601` RP, `999` other.
    pub prod_type: String,
    pub prod_type_detail: String,
    /// Exchange code (`005930`) or standard fund code.
    pub prod_code: String,
    pub prod_name: String,
    /// What was paid: quantity × average price.
    #[schema(value_type = f64)]
    pub purchase_amt: Number,
    pub holding_num: f64,
    pub avail_for_sale_num: f64,
    /// What it is worth: quantity × today's price.
    #[schema(value_type = f64)]
    pub eval_amt: Number,
    pub currency_code: String,
}

fn prod_type(class: &str) -> (&'static str, &'static str) {
    match class {
        "stock" => ("401", "국내주식"),
        "etf" => ("404", "ETF"),
        "fund" => ("201", "펀드"),
        "bond" => ("301", "채권"),
        "els" => ("501", "파생결합증권"),
        "rp" => ("601", "RP"),
        _ => ("999", "기타"),
    }
}

/// Quantity (thousandths) × price per unit.
fn worth(qty_milli: i64, price_minor: i64) -> i64 {
    let v = i128::from(qty_milli) * i128::from(price_minor) / 1_000;
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn product(h: &Holding, c: Currency) -> InvestProduct {
    let (t, detail) = prod_type(&h.class);
    InvestProduct {
        prod_type: t.into(),
        prod_type_detail: detail.into(),
        prod_code: h.code.clone(),
        prod_name: h.name.clone(),
        purchase_amt: amt(worth(h.qty_milli, h.avg_price_minor), c),
        holding_num: units(h.qty_milli),
        avail_for_sale_num: units(h.qty_milli),
        eval_amt: amt(worth(h.qty_milli, h.price_minor), c),
        currency_code: c.to_string(),
    }
}

/// 금투-004 계좌 상품정보 조회: what the account holds, valued today
/// (`base_date`): one entry per holding of its terms (a fund account: its fund).
#[utoipa::path(post, path = "/v1/invest/accounts/products", tag = "invest",
    request_body = InvestRequest, responses((status = 200, body = InvestProducts)))]
pub async fn products(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<InvestRequest>,
) -> MResult<Synced<InvestProducts>> {
    let h = sync::held(&s, &caller, r.call()).await?;
    let t = securities(&h.account, h.terms());
    let c = h.account.currency;
    let list: Vec<InvestProduct> = t.holdings.iter().map(|x| product(x, c)).collect();
    let base_date = date(caller.today);
    Ok(h.basic(|search_timestamp| InvestProducts {
        search_timestamp,
        base_date,
        prod_cnt: list.len(),
        prod_list: list,
    }))
}

// ---- 금투-005 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct InvestPension {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    pub issue_date: String,
    /// Paid in so far.
    #[schema(value_type = f64)]
    pub paid_in_amt: Number,
    /// Taken out so far, besides the pension.
    #[schema(value_type = f64)]
    pub withdrawal_amt: Number,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_paid_in_date: Option<String>,
    /// Received as pension so far: the annual amount for each full year
    /// since receiving began.
    #[schema(value_type = f64)]
    pub rcv_amt: Number,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pension_rcv_start_date: Option<String>,
    #[schema(value_type = f64)]
    pub annual_pay_amount: Number,
    pub currency_code: String,
}

/// Full years from `start` to `today` (0 before it starts).
fn full_years(start: NaiveDate, today: NaiveDate) -> i64 {
    let mut years = i64::from(today.year() - start.year());
    if (today.month(), today.day()) < (start.month(), start.day()) {
        years -= 1;
    }
    years.max(0)
}

/// 금투-005 연금계좌 추가정보 조회: a pension savings account's figures.
/// An account of the firm that is not a pension account is 404 `40402`
/// (there is no pension information of it).
#[utoipa::path(post, path = "/v1/invest/accounts/pension", tag = "invest",
    request_body = InvestRequest, responses((status = 200, body = InvestPension)))]
pub async fn pension(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<InvestRequest>,
) -> MResult<Synced<InvestPension>> {
    let h = sync::held(&s, &caller, r.call()).await?;
    let t = securities(&h.account, h.terms());
    let p = match (t.kind, t.pension) {
        (SecuritiesKind::PensionSavings, Some(p)) => p,
        _ => {
            return Err(MydataError::detail(
                crate::codes::Rsp::NoAsset,
                "연금계좌 아님",
            ))
        }
    };
    let c = h.account.currency;
    let received = p
        .receive_start
        .map_or(0, |d| full_years(d, caller.today))
        .saturating_mul(p.annual_pay_minor);
    let issue_date = date_of(h.account.opened_at);
    Ok(h.basic(|search_timestamp| InvestPension {
        search_timestamp,
        issue_date,
        paid_in_amt: amt(p.paid_in_minor, c),
        withdrawal_amt: amt(p.withdrawn_minor, c),
        last_paid_in_date: p.last_paid_in.map(date),
        rcv_amt: amt(received, c),
        pension_rcv_start_date: p.receive_start.map(date),
        annual_pay_amount: amt(p.annual_pay_minor, c),
        currency_code: c.to_string(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn posting(amount: i64, memo: &str, kind: EntryKind) -> Posting {
        Posting {
            entry_id: 1,
            account_id: "a".into(),
            seq: 7,
            at: Utc.with_ymd_and_hms(2026, 3, 2, 1, 30, 0).unwrap(),
            kind,
            amount_minor: amount,
            balance_after_minor: 1_000_000,
            memo: memo.into(),
            counterparty: "홍길동".into(),
        }
    }

    fn samsung() -> Holding {
        Holding {
            code: "005930".into(),
            name: "삼성전자".into(),
            class: "stock".into(),
            qty_milli: 10_000,
            price_minor: 72_000,
            avg_price_minor: 70_000,
        }
    }

    #[test]
    fn a_buy_line_carries_its_product_quantity_and_price() {
        let h = [samsung()];
        let l = Lines {
            holdings: &h,
            currency: Currency::KRW,
            memo: false,
        };
        let t = transaction(
            &posting(-710_500, "매수 005930 10주 @71000", EntryKind::Transfer),
            &l,
        );
        assert_eq!(
            (t.trans_type.as_str(), t.trans_type_detail.as_str()),
            ("101", "매수")
        );
        assert_eq!(t.prod_name.as_deref(), Some("삼성전자"));
        assert_eq!(t.trans_num, Some(10.0));
        assert_eq!(t.trans_unit.as_deref(), Some("주"));
        assert_eq!(t.base_amt.unwrap().to_string(), "71000");
        assert_eq!(t.trans_amt.to_string(), "710000");
        assert_eq!(t.settle_amt.to_string(), "710500");
        assert_eq!(t.trans_dtime, "20260302103000");
        assert!(t.trans_memo.is_none());
    }

    #[test]
    fn cash_lines_are_in_or_out_by_their_sign() {
        let l = Lines {
            holdings: &[],
            currency: Currency::KRW,
            memo: true,
        };
        let t = transaction(&posting(50_000, "", EntryKind::Deposit), &l);
        assert_eq!(t.trans_type, "301");
        assert!(t.prod_code.is_none() && t.trans_num.is_none() && t.base_amt.is_none());
        assert_eq!(t.trans_memo.as_deref(), Some("홍길동"));
        let t = transaction(&posting(-20_000, "출금", EntryKind::Transfer), &l);
        assert_eq!(
            (t.trans_type.as_str(), t.trans_amt.to_string()),
            ("302", "20000".into())
        );
        // An opening is cash in, whatever its memo says.
        let t = transaction(
            &posting(1_000, "매도 005930 1주 @1000", EntryKind::Opening),
            &l,
        );
        assert_eq!(t.trans_type, "301");
        let t = transaction(&posting(3_000, "배당 005930", EntryKind::Interest), &l);
        assert_eq!(
            (t.trans_type.as_str(), t.prod_name.as_deref()),
            ("401", Some("005930"))
        );
    }

    #[test]
    fn holdings_are_valued_at_todays_and_the_average_price() {
        let p = product(&samsung(), Currency::KRW);
        assert_eq!((p.prod_type.as_str(), p.holding_num), ("401", 10.0));
        assert_eq!(p.purchase_amt.to_string(), "700000");
        assert_eq!(p.eval_amt.to_string(), "720000");
    }

    #[test]
    fn pension_years_count_whole_years_only() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(full_years(d(2024, 3, 1), d(2026, 2, 28)), 1);
        assert_eq!(full_years(d(2024, 3, 1), d(2026, 3, 1)), 2);
        assert_eq!(full_years(d(2027, 1, 1), d(2026, 3, 1)), 0);
    }
}
