//! 채권-001..003: what a debt buyer (인수채권, `bond`) or a money lender (대부,
//! `usury`) holds against the person. A bond is a Loan account with
//! `ProductTerms::Bond`; one without terms reads as the holder's own loan
//! (taken over on its opening day from itself). One set of handlers serves
//! both industries; the routes name their industry (its scopes, `bond.*` or
//! `usury.*`). Paths follow mydata.md §7 (`POST /bonds/detail` 채권-002,
//! `POST /bonds/transactions` 채권-003); the seed's table shifts them
//! (`POST /bonds`, `POST /bonds/detail`), which finhub does not serve.

use crate::bank::{self, loan_line, AccountsQuery};
use crate::card::held::{kst_date, org8};
use crate::error::MResult;
use crate::extract::{Caller, MJson, MQuery};
use crate::history::{self, amt, date, HistoryCall, HistoryFields};
use crate::params::num_or_str;
use crate::sync::{self, AssetCall, ListCall};
use crate::wire::{Reply, Synced};
use crate::MydataState;
use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use finhub_core::account::{Account, AccountKind};
use finhub_core::institution::InstitutionKind;
use finhub_core::product::lending::BondKind;
use finhub_core::product::{BondTerms, ProductTerms};
use serde::{Deserialize, Serialize};
use serde_json::Number;
use utoipa::{OpenApi, ToSchema};

const LOAN: &[AccountKind] = &[AccountKind::Loan];

/// The scopes of a bond industry: its list and its assets.
#[derive(Debug, Clone, Copy)]
struct Scopes {
    list: &'static str,
    bond: &'static str,
}

const BOND: Scopes = Scopes {
    list: "bond.list",
    bond: "bond.bond",
};
const USURY: Scopes = Scopes {
    list: "usury.list",
    bond: "usury.bond",
};

fn scopes(kind: InstitutionKind) -> Scopes {
    if kind == InstitutionKind::Usury {
        USURY
    } else {
        BOND
    }
}

pub(super) fn routes() -> Router<MydataState> {
    Router::new()
        .route("/v1/bond/bonds", get(bond_list))
        .route("/v1/bond/bonds/detail", post(bond_detail))
        .route("/v1/bond/bonds/transactions", post(bond_transactions))
        .route("/v1/usury/bonds", get(usury_list))
        .route("/v1/usury/bonds/detail", post(usury_detail))
        .route("/v1/usury/bonds/transactions", post(usury_transactions))
}

#[derive(OpenApi)]
#[openapi(
    paths(
        bond_list,
        bond_detail,
        bond_transactions,
        usury_list,
        usury_detail,
        usury_transactions
    ),
    components(schemas(
        BondRequest,
        BondHistoryRequest,
        Bonds,
        BondItem,
        BondDetail,
        BondTransactions,
        BondTransaction
    )),
    tags(
        (name = "bond", description = "인수채권업권 (채권-001..003). Paths as mydata.md §7 gives \
them: 채권-002 `POST /bonds/detail`, 채권-003 `POST /bonds/transactions`; the seed's API table \
shifts them (채권-002 `POST /bonds`, 채권-003 `POST /bonds/detail`) and finhub serves §7's layout \
only (mydata-sandbox.md §8 allows either). The standard gives the fields in outline (mydata.md §11, \
names as a 2022 collector's DTOs have them), so the codes are finhub's: `bond_type` `01` a loan's \
claim, `02` a card bill's, `03` a telecom bill's, `99` other; `repay_method` as 첨부4 (`01` bullet, \
`02` equal principal, `03` equal payment); `init_org_code`/`prev_org_code` an org code less its \
two-letter industry prefix (8 characters), as every `*_org_code` field. 채권-003 lists every ledger \
line of the bond (the takeover and each repayment)."),
        (name = "usury", description = "대부업권 (채권-001..003): the same APIs as the bond industry \
(see its tag), under `/v1/usury` with the `usury.list` and `usury.bond` scopes.")
    )
)]
pub(super) struct Doc;

/// A bond's terms; without any, the holder's own loan on the bank's defaults.
fn terms_of(a: &Account, terms: Option<&ProductTerms>) -> BondTerms {
    match terms {
        Some(ProductTerms::Bond(b)) => b.clone(),
        other => BondTerms {
            kind: BondKind::Loan,
            loan: bank::loan_terms(a, other),
            takeover_date: kst_date(a.opened_at),
            init_org_code: a.org_code.clone(),
            prev_org_code: None,
            debt_mgmt: false,
        },
    }
}

fn bond_type(k: BondKind) -> &'static str {
    match k {
        BondKind::Loan => "01",
        BondKind::Card => "02",
        BondKind::Telecom => "03",
        BondKind::Other => "99",
    }
}

/// An org code as `*_org_code` fields give it: a world code less its prefix,
/// one from outside the world as it is.
fn org_field(code: &str) -> String {
    if code.len() == 10 {
        org8(code)
    } else {
        code.to_owned()
    }
}

// ---- requests ----

/// The body of 채권-002.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct BondRequest {
    pub org_code: Option<String>,
    /// aN(20) the bond's number (채권-001's `bond_num`).
    pub bond_num: Option<String>,
    #[serde(deserialize_with = "num_or_str")]
    #[schema(value_type = Option<i64>)]
    pub search_timestamp: Option<String>,
}

/// The body of 채권-003.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct BondHistoryRequest {
    pub org_code: Option<String>,
    pub bond_num: Option<String>,
    #[serde(flatten)]
    pub history: HistoryFields,
}

// ---- 채권-001 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct Bonds {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub bond_cnt: usize,
    pub bond_list: Vec<BondItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BondItem {
    /// aN(20) the bond's number without `-`.
    pub bond_num: String,
    pub is_consent: bool,
    /// aN(2) `01` a loan's claim, `02` a card bill's, `03` a telecom bill's, `99` other.
    pub bond_type: String,
    /// DATE the takeover (or, for a lender's own loan, the loan's day).
    pub takeover_date: String,
    /// aN(8) who lent first.
    pub init_org_code: String,
}

async fn list(
    s: &MydataState,
    caller: &Caller,
    kind: InstitutionKind,
    q: &AccountsQuery,
) -> MResult<Synced<Bonds>> {
    let call = ListCall {
        scope: scopes(kind).list,
        kinds: LOAN,
        org_code: q.org_code.as_deref(),
        search_timestamp: q.search_timestamp.as_deref(),
        next_page: q.next_page.as_deref(),
        limit: q.limit.as_deref(),
    };
    let l = sync::list(s, caller, call).await?;
    let list: Vec<BondItem> = l
        .page
        .iter()
        .map(|a| {
            let t = terms_of(a, l.terms_of(a));
            BondItem {
                bond_num: crate::assets::asset_id(a),
                is_consent: caller.consent.holds(&a.account_id),
                bond_type: bond_type(t.kind).into(),
                takeover_date: date(t.takeover_date),
                init_org_code: org_field(&t.init_org_code),
            }
        })
        .collect();
    Ok(l.answer(|search_timestamp| Bonds {
        search_timestamp,
        next_page: l.next_page.clone(),
        bond_cnt: list.len(),
        bond_list: list,
    }))
}

/// 채권-001 (bond): the claims the debt buyer holds against the person.
#[utoipa::path(get, path = "/v1/bond/bonds", tag = "bond", params(AccountsQuery),
    responses((status = 200, description = "채권 목록 조회 (채권-001)", body = Bonds)))]
pub(super) async fn bond_list(
    State(s): State<MydataState>,
    caller: Caller,
    MQuery(q): MQuery<AccountsQuery>,
) -> MResult<Synced<Bonds>> {
    list(&s, &caller, InstitutionKind::Bond, &q).await
}

/// 채권-001 (usury): the money lender's loans to the person.
#[utoipa::path(get, path = "/v1/usury/bonds", tag = "usury", params(AccountsQuery),
    responses((status = 200, description = "채권 목록 조회 (채권-001, 대부)", body = Bonds)))]
pub(super) async fn usury_list(
    State(s): State<MydataState>,
    caller: Caller,
    MQuery(q): MQuery<AccountsQuery>,
) -> MResult<Synced<Bonds>> {
    list(&s, &caller, InstitutionKind::Usury, &q).await
}

// ---- 채권-002 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct BondDetail {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    /// aN(8) who held it last before the holder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prev_org_code: Option<String>,
    /// Under debt adjustment (채무조정).
    pub is_debt_mgmt: bool,
    /// aN(2) `01` bullet, `02` equal principal, `03` equal payment.
    pub repay_method: String,
    /// F(18,3) still owed, from the ledger.
    #[schema(value_type = f64)]
    pub balance_amt: Number,
    /// F(18,3) the principal taken over.
    #[schema(value_type = f64)]
    pub bond_principal: Number,
}

async fn detail(
    s: &MydataState,
    caller: &Caller,
    kind: InstitutionKind,
    r: &BondRequest,
) -> MResult<Synced<BondDetail>> {
    let call = AssetCall {
        scope: scopes(kind).bond,
        kinds: LOAN,
        org_code: r.org_code.as_deref(),
        asset: r.bond_num.as_deref(),
        search_timestamp: r.search_timestamp.as_deref(),
        next_page: None,
    };
    let h = sync::held(s, caller, call).await?;
    let t = terms_of(&h.account, h.terms());
    let c = h.account.currency;
    Ok(h.detail(|search_timestamp| BondDetail {
        search_timestamp,
        prev_org_code: t.prev_org_code.as_deref().map(org_field),
        is_debt_mgmt: t.debt_mgmt,
        repay_method: bank::repay_method(t.loan.repay_method).into(),
        balance_amt: amt(bank::outstanding(h.account.balance_minor), c),
        bond_principal: amt(t.loan.principal_minor, c),
    }))
}

/// 채권-002 (bond): what is owed on a bond.
#[utoipa::path(post, path = "/v1/bond/bonds/detail", tag = "bond", request_body = BondRequest,
    responses((status = 200, description = "잔액정보 조회 (채권-002)", body = BondDetail)))]
pub(super) async fn bond_detail(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<BondRequest>,
) -> MResult<Synced<BondDetail>> {
    detail(&s, &caller, InstitutionKind::Bond, &r).await
}

/// 채권-002 (usury): what is owed on a money-lending debt.
#[utoipa::path(post, path = "/v1/usury/bonds/detail", tag = "usury", request_body = BondRequest,
    responses((status = 200, description = "잔액정보 조회 (채권-002, 대부)", body = BondDetail)))]
pub(super) async fn usury_detail(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<BondRequest>,
) -> MResult<Synced<BondDetail>> {
    detail(&s, &caller, InstitutionKind::Usury, &r).await
}

// ---- 채권-003 ----

#[derive(Debug, Serialize, ToSchema)]
pub struct BondTransactions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub trans_cnt: usize,
    pub trans_list: Vec<BondTransaction>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BondTransaction {
    pub trans_dtime: String,
    /// aN(64).
    pub trans_no: String,
    #[schema(value_type = f64)]
    pub trans_amt: Number,
    /// F(18,3) still owed after.
    #[schema(value_type = f64)]
    pub balance_amt: Number,
    #[schema(value_type = f64)]
    pub int_amt: Number,
    #[schema(value_type = f64)]
    pub principal_amt: Number,
}

async fn transactions(
    s: &MydataState,
    caller: &Caller,
    kind: InstitutionKind,
    r: &BondHistoryRequest,
) -> MResult<Reply<BondTransactions>> {
    let call = HistoryCall {
        scope: scopes(kind).bond,
        kinds: LOAN,
        org_code: r.org_code.as_deref(),
        asset: r.bond_num.as_deref(),
        fields: &r.history,
    };
    let h = history::history(s, caller, call).await?;
    let record = s.repo.terms(&h.account.account_id).await?;
    let t = terms_of(&h.account, record.as_ref().map(|r| &r.terms)).loan;
    let c = h.account.currency;
    let list: Vec<BondTransaction> = h
        .lines
        .iter()
        .map(|p| {
            let l = loan_line(p, &t, c);
            BondTransaction {
                trans_dtime: l.trans_dtime,
                trans_no: l.trans_no,
                trans_amt: l.trans_amt,
                balance_amt: l.balance_amt,
                int_amt: l.int_amt,
                principal_amt: l.principal_amt,
            }
        })
        .collect();
    Ok(Reply::ok(BondTransactions {
        next_page: h.next_page,
        trans_cnt: list.len(),
        trans_list: list,
    }))
}

/// 채권-003 (bond): a bond's ledger lines, newest first, paged.
#[utoipa::path(post, path = "/v1/bond/bonds/transactions", tag = "bond",
    request_body = BondHistoryRequest,
    responses((status = 200, description = "거래내역 조회 (채권-003)", body = BondTransactions)))]
pub(super) async fn bond_transactions(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<BondHistoryRequest>,
) -> MResult<Reply<BondTransactions>> {
    transactions(&s, &caller, InstitutionKind::Bond, &r).await
}

/// 채권-003 (usury): a money-lending debt's ledger lines, newest first, paged.
#[utoipa::path(post, path = "/v1/usury/bonds/transactions", tag = "usury",
    request_body = BondHistoryRequest,
    responses((status = 200, description = "거래내역 조회 (채권-003, 대부)", body = BondTransactions)))]
pub(super) async fn usury_transactions(
    State(s): State<MydataState>,
    caller: Caller,
    MJson(r): MJson<BondHistoryRequest>,
) -> MResult<Reply<BondTransactions>> {
    transactions(&s, &caller, InstitutionKind::Usury, &r).await
}
