//! The APIs every industry shares: 공통-001 (the API list, at
//! `/v1/{industry}/apis` and `/{industry}/apis`, no token), 공통-002 (the
//! consent, from the transmission-request record), and the IRP APIs of
//! banks, investment firms and insurers (IRP-001..004, from IRP terms and
//! the ledger). Routes are written out per industry code, so no path
//! parameter competes with an industry's own routes; the industry reaches
//! the handler as an extension.

use crate::assets::{asset_id, industry};
use crate::bank::{AccountHistoryRequest, AccountRequest, AccountsQuery};
use crate::codes::Rsp;
use crate::error::{MResult, MydataError};
use crate::extract::{Caller, Headers, MJson, MQuery};
use crate::history::{self, amt, date, date_of, dtime, rate, units, HistoryCall};
use crate::params::{self, num_or_str, Cursor};
use crate::sync::{self, AssetCall, ListCall};
use crate::wire::{Reply, Synced};
use crate::MydataState;
use axum::extract::State;
use axum::routing::{get, post, MethodRouter};
use axum::{Extension, Router};
use finhub_core::account::{Account, AccountKind};
use finhub_core::institution::InstitutionKind;
use finhub_core::product::{IrpProduct, IrpProductKind, IrpTerms, ProductTerms};
use serde::{Deserialize, Serialize};
use serde_json::Number;
use utoipa::{IntoParams, ToSchema};

/// The industry a route was written for.
#[derive(Debug, Clone, Copy)]
pub struct Industry(pub InstitutionKind);

impl Industry {
    fn code(self) -> &'static str {
        industry(self.0)
    }
    fn scope(self, detail: &str) -> String {
        format!("{}.{detail}", self.code())
    }
}

/// An API finhub serves (mydata.md §7): its id, its 첨부12 code, its
/// resource under `/v1/{industry}`, and the industries it is served for.
#[derive(Debug, Clone, Copy)]
pub struct Api {
    pub id: &'static str,
    pub code: &'static str,
    pub uri: &'static str,
    pub industries: &'static [InstitutionKind],
}

const ALL: &[InstitutionKind] = &InstitutionKind::ALL;
const IRP: &[InstitutionKind] = &[
    InstitutionKind::Bank,
    InstitutionKind::Invest,
    InstitutionKind::Insurance,
];
const BANK: &[InstitutionKind] = &[InstitutionKind::Bank];
const CARD: &[InstitutionKind] = &[InstitutionKind::Card];
const PREPAID: &[InstitutionKind] = &[InstitutionKind::Bank, InstitutionKind::Card];

pub(crate) const fn api(
    id: &'static str,
    code: &'static str,
    uri: &'static str,
    industries: &'static [InstitutionKind],
) -> Api {
    Api {
        id,
        code,
        uri,
        industries,
    }
}

/// Every information API finhub serves, what 공통-001 lists. An industry
/// adds its rows here when its routes land (the list must never name an
/// API that answers 40401).
pub const SERVED: &[Api] = &[
    api("공통-001", "CM01", "/apis", ALL),
    api("공통-002", "CM02", "/consents", ALL),
    api("IRP-001", "IR01", "/irps", IRP),
    api("IRP-002", "IR02", "/irps/basic", IRP),
    api("IRP-003", "IR03", "/irps/detail", IRP),
    api("IRP-004", "IR04", "/irps/transactions", IRP),
    api("선불-001", "PP01", "/prepaid", PREPAID),
    api("선불-002", "PP02", "/prepaid/balance", PREPAID),
    api("선불-003", "PP03", "/prepaid/transactions", PREPAID),
    api("선불-004", "PP04", "/prepaid/approval", PREPAID),
    api("은행-001", "BA01", "/accounts", BANK),
    api("은행-002", "BA02", "/accounts/deposit/basic", BANK),
    api("은행-003", "BA03", "/accounts/deposit/detail", BANK),
    api("은행-004", "BA04", "/accounts/deposit/transactions", BANK),
    api("은행-005", "BA11", "/accounts/invest/basic", BANK),
    api("은행-006", "BA12", "/accounts/invest/detail", BANK),
    api("은행-007", "BA13", "/accounts/invest/transactions", BANK),
    api("은행-008", "BA21", "/accounts/loan/basic", BANK),
    api("은행-009", "BA22", "/accounts/loan/detail", BANK),
    api("은행-010", "BA23", "/accounts/loan/transactions", BANK),
    api("카드-001", "CD01", "/cards", CARD),
    api("카드-002", "CD02", "/cards/{card_id}", CARD),
    api("카드-003", "CD11", "/points", CARD),
    api("카드-004", "CD21", "/bills", CARD),
    api("카드-005", "CD22", "/bills/detail", CARD),
    api("카드-006", "CD23", "/payments", CARD),
    api("카드-007", "CD24", "/payments/revolving", CARD),
    api(
        "카드-008",
        "CD03",
        "/cards/{card_id}/approval-domestic",
        CARD,
    ),
    api(
        "카드-009",
        "CD04",
        "/cards/{card_id}/approval-overseas",
        CARD,
    ),
    api("카드-010", "CD31", "/loans", CARD),
    api("카드-011", "CD32", "/loans/short-term", CARD),
    api("카드-012", "CD33", "/loans/long-term", CARD),
];

const INVEST: &[InstitutionKind] = &[InstitutionKind::Invest];

/// The investment firms' APIs (금투-001..005).
const INVEST_APIS: &[Api] = &[
    api("금투-001", "IV01", "/accounts", INVEST),
    api("금투-002", "IV02", "/accounts/basic", INVEST),
    api("금투-003", "IV03", "/accounts/transactions", INVEST),
    api("금투-004", "IV04", "/accounts/products", INVEST),
    api("금투-005", "IV05", "/accounts/pension", INVEST),
];

/// Every table of served APIs: this module's and each industry module's own
/// (`APIS`), so an industry adds its rows where its routes are.
const TABLES: &[&[Api]] = &[
    SERVED,
    INVEST_APIS,
    crate::insu::APIS,
    crate::efin::APIS,
    crate::telecom::APIS,
    crate::lending::APIS,
];

/// The APIs served for one industry, in catalogue order.
pub fn served(kind: InstitutionKind) -> impl Iterator<Item = &'static Api> {
    TABLES
        .iter()
        .flat_map(|t| t.iter())
        .filter(move |a| a.industries.contains(&kind))
}

fn with(kind: InstitutionKind, m: MethodRouter<MydataState>) -> MethodRouter<MydataState> {
    m.layer(Extension(Industry(kind)))
}

pub(crate) fn routes() -> Router<MydataState> {
    let mut r = Router::new();
    for kind in InstitutionKind::ALL {
        let code = industry(kind);
        r = r
            .route(&format!("/v1/{code}/apis"), with(kind, get(apis)))
            .route(&format!("/{code}/apis"), with(kind, get(apis)))
            .route(&format!("/v1/{code}/consents"), with(kind, get(consents)));
    }
    for &kind in IRP {
        let code = industry(kind);
        r = r
            .route(&format!("/v1/{code}/irps"), with(kind, get(irps)))
            .route(
                &format!("/v1/{code}/irps/basic"),
                with(kind, post(irp_basic)),
            )
            .route(
                &format!("/v1/{code}/irps/detail"),
                with(kind, post(irp_detail)),
            )
            .route(
                &format!("/v1/{code}/irps/transactions"),
                with(kind, post(irp_transactions)),
            );
    }
    r
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(apis, consents, irps, irp_basic, irp_detail, irp_transactions),
    components(schemas(
        ApiList,
        ApiItem,
        ConsentInfo,
        IrpList,
        IrpItem,
        IrpBasic,
        IrpDetailRequest,
        IrpDetail,
        IrpProductItem,
        IrpTransactions,
        IrpTransaction
    ))
)]
pub(crate) struct Doc;

// ---- 공통-001 ----

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ApisQuery {
    /// The provider's org code for this industry.
    pub org_code: Option<String>,
    /// The caller's client id (the portal sends its own).
    pub client_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiList {
    pub version: String,
    pub api_cnt: usize,
    pub api_list: Vec<ApiItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiItem {
    /// 첨부12 code (`BA01`, ...).
    pub api_code: String,
    /// The resource under `/v1/{industry}`.
    pub api_uri: String,
}

/// 공통-001: the APIs this provider serves for the industry (no token).
#[utoipa::path(get, path = "/v1/{industry}/apis", tag = "common",
    params(("industry" = String, Path, description = "bank, card, invest, insu, efin, ..."), ApisQuery),
    responses((status = 200, body = ApiList)))]
pub async fn apis(
    State(s): State<MydataState>,
    Extension(ind): Extension<Industry>,
    _headers: Headers,
    MQuery(q): MQuery<ApisQuery>,
) -> MResult<Reply<ApiList>> {
    let org = q
        .org_code
        .filter(|o| !o.is_empty())
        .ok_or_else(|| MydataError::param("org_code 누락"))?;
    if q.client_id.as_deref().is_none_or(str::is_empty) {
        return Err(MydataError::param("client_id 누락"));
    }
    let inst = s.world.repo.institution(&org).await?;
    if inst.is_none_or(|i| i.kind != ind.0) {
        return Err(MydataError::new(Rsp::WrongOrg));
    }
    let list: Vec<ApiItem> = served(ind.0)
        .map(|a| ApiItem {
            api_code: a.code.into(),
            api_uri: a.uri.into(),
        })
        .collect();
    Ok(Reply::ok(ApiList {
        version: "v1".into(),
        api_cnt: list.len(),
        api_list: list,
    }))
}

// ---- 공통-002 ----

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct OrgQuery {
    pub org_code: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentInfo {
    pub is_scheduled: bool,
    /// Basic APIs' cycle (`1/d`, `1/w`, ...), when scheduled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fnd_cycle: Option<String>,
    /// Additional APIs' cycle, when scheduled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub add_cycle: Option<String>,
    pub end_date: String,
    pub purpose: String,
    /// How long the receiver may keep the data (`99991231`: until deleted).
    pub period: String,
    /// Industries with memo texts (bank, invest, efin).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_consent_trans_memo: Option<bool>,
    /// Industries with merchants (card, efin, telecom).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_consent_merchant_name_regno: Option<bool>,
}

/// 공통-002: the transmission request the token carries.
#[utoipa::path(get, path = "/v1/{industry}/consents", tag = "common", operation_id = "consent_history",
    params(("industry" = String, Path), OrgQuery),
    responses((status = 200, body = ConsentInfo)))]
pub async fn consents(
    Extension(ind): Extension<Industry>,
    caller: Caller,
    MQuery(q): MQuery<OrgQuery>,
) -> MResult<Reply<ConsentInfo>> {
    use InstitutionKind as I;
    caller.require(&ind.scope("list"))?;
    caller.org(q.org_code.as_deref())?;
    let c = &caller.consent;
    let memo = matches!(ind.0, I::Bank | I::Invest | I::Efin);
    let merchant = matches!(ind.0, I::Card | I::Efin | I::Telecom);
    Ok(Reply::ok(ConsentInfo {
        is_scheduled: c.is_scheduled,
        fnd_cycle: c.fnd_cycle.clone().filter(|_| c.is_scheduled),
        add_cycle: c.add_cycle.clone().filter(|_| c.is_scheduled),
        end_date: date(c.end_date),
        purpose: c.purpose.clone(),
        period: date(c.hold_until),
        is_consent_trans_memo: memo.then_some(c.memo),
        is_consent_merchant_name_regno: merchant.then_some(c.merchant),
    }))
}

// ---- IRP terms and their defaults ----

const IRP_KIND: &[AccountKind] = &[AccountKind::Irp];

/// An IRP's terms; without any, the whole balance paid in by the person
/// and waiting uninvested.
fn irp_terms(a: &Account, terms: Option<&ProductTerms>) -> IrpTerms {
    if let Some(ProductTerms::Irp(t)) = terms {
        return t.clone();
    }
    let opened = a
        .opened_at
        .with_timezone(&finhub_core::clock::kst())
        .date_naive();
    IrpTerms {
        employer_minor: 0,
        employee_minor: a.balance_minor.max(0),
        first_deposit: None,
        receive_start: None,
        products: vec![IrpProduct {
            name: "대기성자금".into(),
            kind: IrpProductKind::Other,
            eval_minor: a.balance_minor.max(0),
            principal_minor: a.balance_minor.max(0),
            units_milli: None,
            open_date: opened,
            exp_date: None,
            rate_milli: None,
        }],
    }
}

// ---- IRP-001 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct IrpList {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub irp_cnt: usize,
    pub irp_list: Vec<IrpItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IrpItem {
    pub prod_name: String,
    pub account_num: String,
    pub is_consent: bool,
}

/// IRP-001: the person's IRP accounts at the token's institution.
#[utoipa::path(get, path = "/v1/{industry}/irps", tag = "common",
    params(("industry" = String, Path, description = "bank, invest or insu"), AccountsQuery),
    responses((status = 200, body = IrpList)))]
pub async fn irps(
    State(s): State<MydataState>,
    Extension(ind): Extension<Industry>,
    caller: Caller,
    MQuery(q): MQuery<AccountsQuery>,
) -> MResult<Synced<IrpList>> {
    let scope = ind.scope("list");
    let call = ListCall {
        scope: &scope,
        kinds: IRP_KIND,
        org_code: q.org_code.as_deref(),
        search_timestamp: q.search_timestamp.as_deref(),
        next_page: q.next_page.as_deref(),
        limit: q.limit.as_deref(),
    };
    let l = sync::list(&s, &caller, call).await?;
    let list: Vec<IrpItem> = l
        .page
        .iter()
        .map(|a| IrpItem {
            prod_name: a.product_name.clone(),
            account_num: asset_id(a),
            is_consent: caller.consent.holds(&a.account_id),
        })
        .collect();
    Ok(l.answer(|search_timestamp| IrpList {
        search_timestamp,
        next_page: l.next_page.clone(),
        irp_cnt: list.len(),
        irp_list: list,
    }))
}

// ---- IRP-002 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct IrpBasic {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    /// The balance.
    #[schema(value_type = f64)]
    pub accum_amt: Number,
    #[schema(value_type = f64)]
    pub eval_amt: Number,
    #[schema(value_type = f64)]
    pub employer_amt: Number,
    #[schema(value_type = f64)]
    pub employee_amt: Number,
    pub issue_date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_deposit_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rcv_start_date: Option<String>,
}

/// IRP-002: an IRP account's balance, valuation and who paid in.
#[utoipa::path(post, path = "/v1/{industry}/irps/basic", tag = "common",
    params(("industry" = String, Path)), request_body = AccountRequest,
    responses((status = 200, body = IrpBasic)))]
pub async fn irp_basic(
    State(s): State<MydataState>,
    Extension(ind): Extension<Industry>,
    caller: Caller,
    MJson(r): MJson<AccountRequest>,
) -> MResult<Synced<IrpBasic>> {
    let scope = ind.scope("irp");
    let h = sync::held(&s, &caller, r.call(&scope, IRP_KIND)).await?;
    let a = &h.account;
    let t = irp_terms(a, h.terms());
    let c = a.currency;
    let eval: i64 = t.products.iter().map(|p| p.eval_minor).sum();
    // Balances move with every posting, so this "basic" API is as fresh as a detail.
    Ok(h.detail(|search_timestamp| IrpBasic {
        search_timestamp,
        accum_amt: amt(a.balance_minor, c),
        eval_amt: amt(eval, c),
        employer_amt: amt(t.employer_minor, c),
        employee_amt: amt(t.employee_minor, c),
        issue_date: date_of(a.opened_at),
        first_deposit_date: t.first_deposit.map(date),
        rcv_start_date: t.receive_start.map(date),
    }))
}

// ---- IRP-003 ----

/// IRP-003's body: the account, and paging over its products.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct IrpDetailRequest {
    pub org_code: Option<String>,
    pub account_num: Option<String>,
    pub seqno: Option<String>,
    #[serde(deserialize_with = "num_or_str")]
    #[schema(value_type = Option<i64>)]
    pub search_timestamp: Option<String>,
    pub next_page: Option<String>,
    #[serde(deserialize_with = "num_or_str")]
    #[schema(value_type = Option<u32>)]
    pub limit: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IrpDetail {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub irp_cnt: usize,
    pub irp_list: Vec<IrpProductItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IrpProductItem {
    pub irp_name: String,
    pub irp_no: String,
    /// `01` principal guaranteed, `02` not guaranteed, `03` other.
    pub irp_type: String,
    #[schema(value_type = f64)]
    pub eval_amt: Number,
    #[schema(value_type = f64)]
    pub inv_principal: Number,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fund_num: Option<f64>,
    pub open_date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub int_rate: Option<f64>,
}

/// IRP-003: the products an IRP account holds, paged.
#[utoipa::path(post, path = "/v1/{industry}/irps/detail", tag = "common",
    params(("industry" = String, Path)), request_body = IrpDetailRequest,
    responses((status = 200, body = IrpDetail)))]
pub async fn irp_detail(
    State(s): State<MydataState>,
    Extension(ind): Extension<Industry>,
    caller: Caller,
    MJson(r): MJson<IrpDetailRequest>,
) -> MResult<Synced<IrpDetail>> {
    let scope = ind.scope("irp");
    let call = AssetCall {
        scope: &scope,
        kinds: IRP_KIND,
        org_code: r.org_code.as_deref(),
        asset: r.account_num.as_deref(),
        search_timestamp: r.search_timestamp.as_deref(),
        next_page: r.next_page.as_deref(),
    };
    let limit = params::limit(r.limit.as_deref())?;
    let offset = Cursor::offset(r.next_page.as_deref())?;
    let h = sync::held(&s, &caller, call).await?;
    let c = h.account.currency;
    let t = irp_terms(&h.account, h.terms());
    let items: Vec<IrpProductItem> = t
        .products
        .iter()
        .enumerate()
        .map(|(i, p)| irp_product(i, p, c))
        .collect();
    let (page, next_page) = params::page_of(items, offset, limit);
    Ok(h.detail(|search_timestamp| IrpDetail {
        search_timestamp,
        next_page,
        irp_cnt: page.len(),
        irp_list: page,
    }))
}

fn irp_product(i: usize, p: &IrpProduct, c: finhub_core::money::Currency) -> IrpProductItem {
    IrpProductItem {
        irp_name: p.name.clone(),
        irp_no: format!("{:03}", i + 1),
        irp_type: match p.kind {
            IrpProductKind::PrincipalGuaranteed => "01",
            IrpProductKind::NotGuaranteed => "02",
            IrpProductKind::Other => "03",
        }
        .into(),
        eval_amt: amt(p.eval_minor, c),
        inv_principal: amt(p.principal_minor, c),
        fund_num: p.units_milli.map(units),
        open_date: date(p.open_date),
        exp_date: p.exp_date.map(date),
        int_rate: p.rate_milli.map(rate),
    }
}

// ---- IRP-004 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct IrpTransactions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub trans_cnt: usize,
    pub trans_list: Vec<IrpTransaction>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IrpTransaction {
    pub trans_dtime: String,
    pub trans_no: String,
    /// `01` paid in, `02` paid out.
    pub trans_type: String,
    #[schema(value_type = f64)]
    pub trans_amt: Number,
}

/// IRP-004: an IRP account's ledger postings, newest first, paged.
#[utoipa::path(post, path = "/v1/{industry}/irps/transactions", tag = "common",
    params(("industry" = String, Path)), request_body = AccountHistoryRequest,
    responses((status = 200, body = IrpTransactions)))]
pub async fn irp_transactions(
    State(s): State<MydataState>,
    Extension(ind): Extension<Industry>,
    caller: Caller,
    MJson(r): MJson<AccountHistoryRequest>,
) -> MResult<Reply<IrpTransactions>> {
    let scope = ind.scope("irp");
    let call: HistoryCall = r.call(&scope, IRP_KIND);
    let h = history::history(&s, &caller, call).await?;
    let c = h.account.currency;
    let list: Vec<IrpTransaction> = h
        .lines
        .iter()
        .map(|p| IrpTransaction {
            trans_dtime: dtime(p.at),
            trans_no: p.seq.to_string(),
            trans_type: if p.amount_minor > 0 { "01" } else { "02" }.into(),
            trans_amt: amt(p.amount_minor.saturating_abs(), c),
        })
        .collect();
    Ok(Reply::ok(IrpTransactions {
        next_page: h.next_page,
        trans_cnt: list.len(),
        trans_list: list,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_industry_lists_the_common_apis_and_only_its_own() {
        let bank: Vec<&str> = served(InstitutionKind::Bank).map(|a| a.code).collect();
        assert_eq!(&bank[..3], ["CM01", "CM02", "IR01"]);
        assert!(bank.contains(&"BA23") && bank.contains(&"PP04"));
        assert!(!bank.iter().any(|c| c.starts_with("CD")));
        let telecom: Vec<&str> = served(InstitutionKind::Telecom).map(|a| a.code).collect();
        assert_eq!(telecom[..2], ["CM01", "CM02"]);
        assert!(!telecom.iter().any(|c| c.starts_with("IR")));
        let insu: Vec<&str> = served(InstitutionKind::Insurance).map(|a| a.code).collect();
        assert_eq!(insu[..6], ["CM01", "CM02", "IR01", "IR02", "IR03", "IR04"]);
        let invest: Vec<&str> = served(InstitutionKind::Invest).map(|a| a.code).collect();
        assert!(invest.contains(&"IV01") && invest.contains(&"IV05") && invest.contains(&"IR04"));
    }
}
