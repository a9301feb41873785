//! Create Account, both forms (#1 PUT with the client's ACCOUNT_ID, #2 POST
//! with a generated one): a ledger account at the bank with balance 0,
//! known to OBP by its ACCOUNT_ID.

use crate::caller::Login;
use crate::codes;
use crate::error::{ErrorBody, ObpError, ObpResult};
use crate::extract::parse;
use crate::wire::AmountOfMoney;
use crate::{Mount, ObpState, Version};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{post, put};
use axum::{Json, Router};
use bytes::Bytes;
use finhub_core::obp::accounts::{
    self as core, AccountProblem, AccountRouting, NewObpAccount, ObpAccount,
};
use finhub_core::obp::users::User;
use finhub_core::obp::{new_id, Obp, Refusal};
use serde::{Deserialize, Serialize};

pub fn routes(v: Version) -> Router<ObpState> {
    use Version::{V310, V400};
    Router::new()
        .at(
            v,
            V310,
            "/banks/{bank_id}/accounts/{account_id}",
            put(create_account_put),
        )
        .at(
            v,
            V400,
            "/banks/{bank_id}/accounts",
            post(create_account_post),
        )
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(create_account_put, create_account_post))]
pub struct Doc;

#[derive(Deserialize, Serialize, Default, Clone, utoipa::ToSchema)]
#[serde(default)]
pub struct AccountRoutingJsonV121 {
    pub scheme: String,
    pub address: String,
}

/// `CreateAccountRequestJsonV310`; v2.2.0's `type` and single
/// `account_routing` (what obp-python sends) are read too.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct CreateAccountRequestJsonV310 {
    /// Empty: the caller.
    pub user_id: String,
    pub label: String,
    pub product_code: String,
    /// v2.2.0: the product code.
    #[serde(rename = "type")]
    pub kind: String,
    /// `amount` must be 0.
    pub balance: AmountOfMoney,
    pub branch_id: String,
    pub account_routings: Vec<AccountRoutingJsonV121>,
    /// v2.2.0: one routing.
    pub account_routing: Option<AccountRoutingJsonV121>,
}

impl CreateAccountRequestJsonV310 {
    fn product_code(&self) -> String {
        if self.product_code.is_empty() {
            self.kind.clone()
        } else {
            self.product_code.clone()
        }
    }

    fn routings(&self) -> Vec<AccountRouting> {
        let mut all = self.account_routings.clone();
        if all.is_empty() {
            all.extend(self.account_routing.clone());
        }
        (all.into_iter())
            .map(|r| AccountRouting {
                scheme: r.scheme,
                address: r.address,
            })
            .collect()
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AccountAttributeResponseJson {
    pub product_code: String,
    pub account_attribute_id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
    pub product_instance_code: String,
}

/// `CreateAccountResponseJsonV310`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CreateAccountResponseJsonV310 {
    pub account_id: String,
    pub user_id: String,
    pub label: String,
    pub product_code: String,
    pub balance: AmountOfMoney,
    pub branch_id: String,
    pub account_routings: Vec<AccountRoutingJsonV121>,
    /// Always empty: finhub has no products with attributes to copy.
    pub account_attributes: Vec<AccountAttributeResponseJson>,
}

impl CreateAccountResponseJsonV310 {
    fn of(a: ObpAccount, currency: String) -> Self {
        CreateAccountResponseJsonV310 {
            account_id: a.account_id,
            user_id: a.user_id,
            label: a.label,
            product_code: a.product_code,
            balance: AmountOfMoney {
                currency,
                amount: "0".into(),
            },
            branch_id: a.branch_id,
            account_routings: (a.routings.into_iter())
                .map(|r| AccountRoutingJsonV121 {
                    scheme: r.scheme,
                    address: r.address,
                })
                .collect(),
            account_attributes: Vec::new(),
        }
    }
}

fn problem(p: AccountProblem) -> ObpError {
    ObpError::new(match p {
        AccountProblem::AccountIdFormat => codes::ACCOUNT_ID_FORMAT,
        AccountProblem::BalanceNotANumber => codes::INITIAL_BALANCE_NUMBER,
        AccountProblem::BalanceNotZero => codes::INITIAL_BALANCE_ZERO,
        AccountProblem::Currency => codes::INVALID_CURRENCY,
        AccountProblem::DuplicateScheme => codes::ACCOUNT_ROUTINGS,
    })
}

const BODY: &str = "CreateAccountRequestJsonV310";

/// The checks both forms share from OBP-20005 on (ROLE, OBP-30112, OBP-30109,
/// OBP-10003, BANK, OBP-30114, OBP-30115), then the account.
async fn create(
    s: &ObpState,
    caller: &User,
    bank_id: &str,
    account_id: String,
    b: CreateAccountRequestJsonV310,
) -> ObpResult<(StatusCode, Json<CreateAccountResponseJsonV310>)> {
    let owner = owner(s, caller, bank_id, &b.user_id).await?;
    core::check_opening_balance(&b.balance.amount).map_err(problem)?;
    let currency = core::parse_currency(&b.balance.currency).map_err(problem)?;
    let bank = s.bank(bank_id).await?;
    let routings = b.routings();
    core::check_routings(&routings).map_err(problem)?;
    if let Some(r) = s.obp.taken_routing(bank_id, &routings).await? {
        return Err(routing_taken(bank_id, &r));
    }
    let new = NewObpAccount {
        account_id,
        owner,
        label: b.label.clone(),
        product_code: b.product_code(),
        currency,
        branch_id: b.branch_id.clone(),
        routings,
    };
    let a = s.obp.create_account(&bank, new).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreateAccountResponseJsonV310::of(a, currency.to_string())),
    ))
}

/// OBP-20005, then ROLE: CanCreateAccount at BANK_ID, only to create for
/// another user.
async fn owner(s: &ObpState, caller: &User, bank_id: &str, user_id: &str) -> ObpResult<User> {
    if user_id.is_empty() || user_id == caller.user_id {
        return Ok(caller.clone());
    }
    let owner = s.obp.user(user_id).await.map_err(|r| match r {
        Refusal::UnknownUser => ObpError::user_not_found(user_id),
        other => other.into(),
    })?;
    let held = s.obp.entitlements(&caller.user_id).await?;
    if !Obp::holds(&held, "CanCreateAccount", bank_id) {
        // OBP's own words for this one role check.
        return Err(ObpError::new(codes::MISSING_ROLES)
            .more(" CanCreateAccount or create account for self"));
    }
    Ok(owner)
}

/// OBP-30115, naming the routing.
fn routing_taken(bank_id: &str, r: &AccountRouting) -> ObpError {
    let what = format!(
        " (bankId: {bank_id}, scheme: {}, address: {})",
        r.scheme, r.address
    );
    ObpError::new(codes::ROUTING_TAKEN).more(what)
}

/// Create Account (PUT).
#[utoipa::path(
    put,
    path = "/obp/v4.0.0/banks/{bank_id}/accounts/{account_id}",
    tag = "Onboarding",
    request_body = CreateAccountRequestJsonV310,
    params(("bank_id" = String, Path), ("account_id" = String, Path)),
    description = "Also under /obp/v3.1.0. Upstream dropped this form from v4.0.0 in October \
2020 (it lets a client pick the ACCOUNT_ID), but OBP-CLI calls it there, so finhub serves it \
under v4.0.0 too. Opens a ledger account at BANK_ID, balance 0 in the posted currency, for the \
person of the owner's newest active user-customer link at the bank, else a person made once for \
the owner. Owner: `user_id`, or the caller when empty; CanCreateAccount at BANK_ID only to create \
for another user. Checks: OBP-20001, OBP-30208, OBP-10001, OBP-30110, OBP-20005, OBP-20006, \
OBP-30112, OBP-30109, OBP-10003, OBP-30001, OBP-30114, OBP-30115. The v2.2.0 body (`type` as \
product_code, one `account_routing`, a numeric amount) is read too; missing fields are empty \
(a missing amount is 0), more lenient than OBP. `account_attributes` is always empty.",
    responses(
        (status = 201, body = CreateAccountResponseJsonV310),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-20005, OBP-30001"),
    )
)]
pub async fn create_account_put(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, account_id)): Path<(String, String)>,
    body: Bytes,
) -> ObpResult<(StatusCode, Json<CreateAccountResponseJsonV310>)> {
    if s.obp.account_id_taken(&bank_id, &account_id).await? {
        return Err(ObpError::new(codes::ACCOUNT_ID_TAKEN));
    }
    let b: CreateAccountRequestJsonV310 = parse(&body, BODY)?;
    if !core::is_obp_id(&account_id) {
        return Err(problem(AccountProblem::AccountIdFormat));
    }
    create(&s, &login.user, &bank_id, account_id, b).await
}

/// Create Account (POST).
#[utoipa::path(
    post,
    path = "/obp/v4.0.0/banks/{bank_id}/accounts",
    tag = "Onboarding",
    request_body = CreateAccountRequestJsonV310,
    params(("bank_id" = String, Path)),
    description = "Also under /obp/v3.1.0. As the PUT form, with a generated ACCOUNT_ID (a \
UUID). Checks: OBP-20001, OBP-10001, OBP-20005, OBP-20006, OBP-30112, OBP-30109, OBP-10003, \
OBP-30001, OBP-30114, OBP-30115. OBP documents OBP-30106 and OBP-30105 here but never raises \
them; neither does finhub.",
    responses(
        (status = 201, body = CreateAccountResponseJsonV310),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-20005, OBP-30001"),
    )
)]
pub async fn create_account_post(
    State(s): State<ObpState>,
    login: Login,
    Path(bank_id): Path<String>,
    body: Bytes,
) -> ObpResult<(StatusCode, Json<CreateAccountResponseJsonV310>)> {
    let b: CreateAccountRequestJsonV310 = parse(&body, BODY)?;
    create(&s, &login.user, &bank_id, new_id(), b).await
}
