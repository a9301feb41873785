//! People and their accounts: list a page, create a person, open an account.

use super::error::SandboxError;
use super::extract::{Json, Path, Query};
use super::SandboxState;
use axum::extract::State;
use axum::http::StatusCode;
use finhub_core::account::{Account, AccountKind};
use finhub_core::institution::Institution;
use finhub_core::money::{Currency, Money};
use finhub_core::obp::customers::Customer;
use finhub_core::obp::ObpRepo;
use finhub_core::party::{Gender, NewPerson, Person};
use finhub_core::world::{OpenAccount, World};
use finhub_core::CoreError;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub const DEFAULT_PAGE: u32 = 50;
pub const MAX_PAGE: u32 = 500;

#[derive(Debug, Serialize)]
pub struct AccountView {
    pub account_id: String,
    pub person_id: Option<String>,
    pub institution_code: String,
    pub bank_code_std: Option<String>,
    pub account_num: String,
    pub kind: &'static str,
    pub product_name: String,
    /// Minor units of `currency` (KRW has none).
    pub balance: i64,
    pub currency: String,
    pub status: &'static str,
    pub opened_at: String,
    /// The ACCOUNT_ID the OBP face knows it by (accounts opened there).
    pub obp_account_id: Option<String>,
}

impl AccountView {
    fn new(a: Account, bank_codes: &HashMap<String, Option<String>>) -> Self {
        AccountView {
            bank_code_std: bank_codes.get(&a.org_code).cloned().flatten(),
            account_id: a.account_id,
            person_id: a.person_id,
            institution_code: a.org_code,
            account_num: a.account_num,
            kind: a.kind.as_str(),
            product_name: a.product_name,
            balance: a.balance_minor,
            currency: a.currency.to_string(),
            status: a.status.as_str(),
            opened_at: a
                .opened_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            obp_account_id: None,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct PersonView {
    pub person_id: String,
    pub ci: String,
    pub name: String,
    pub birth_date: String,
    pub gender: Option<&'static str>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub accounts: Vec<AccountView>,
    /// The person's customers at OBP banks.
    pub obp_customers: Vec<ObpCustomerView>,
    /// The KYC status last added for the person (OBP's Add KYC Status).
    pub kyc_status: Option<KycView>,
}

#[derive(Debug, Serialize)]
pub struct KycView {
    pub ok: bool,
    pub date: String,
}

#[derive(Debug, Serialize)]
pub struct ObpCustomerView {
    pub bank_id: String,
    pub customer_id: String,
    pub customer_number: String,
}

impl From<Customer> for ObpCustomerView {
    fn from(c: Customer) -> Self {
        ObpCustomerView {
            bank_id: c.bank_id,
            customer_id: c.customer_id,
            customer_number: c.customer_number,
        }
    }
}

impl PersonView {
    fn new(p: Person, accounts: Vec<AccountView>) -> Self {
        PersonView {
            person_id: p.person_id,
            ci: p.ci,
            name: p.name,
            birth_date: p.birth_date.format("%Y-%m-%d").to_string(),
            gender: p.gender.map(|g| g.as_str()),
            phone: p.phone,
            email: p.email,
            accounts,
            obp_customers: Vec::new(),
            kyc_status: None,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct PeoplePage {
    pub people: Vec<PersonView>,
    pub total: u64,
    pub limit: u32,
    pub offset: u64,
}

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    pub limit: Option<u32>,
    pub offset: Option<u64>,
}

async fn bank_codes(world: &World) -> Result<HashMap<String, Option<String>>, SandboxError> {
    Ok(world
        .repo
        .list_institutions()
        .await?
        .into_iter()
        .map(|i: Institution| (i.org_code, i.bank_code))
        .collect())
}

/// One page of people with their accounts: two queries, whatever the page size.
pub async fn list(
    State(s): State<SandboxState>,
    Query(q): Query<PageQuery>,
) -> Result<Json<PeoplePage>, SandboxError> {
    let limit = q.limit.unwrap_or(DEFAULT_PAGE);
    if limit == 0 || limit > MAX_PAGE {
        return Err(SandboxError::invalid(format!(
            "limit must be between 1 and {MAX_PAGE}"
        )));
    }
    let offset = q.offset.unwrap_or(0);
    Ok(Json(page(&s.world, &s.store, limit, offset).await?))
}

pub async fn page(
    world: &World,
    obp: &dyn ObpRepo,
    limit: u32,
    offset: u64,
) -> Result<PeoplePage, SandboxError> {
    let people = world.repo.list_people(limit, offset).await?;
    let total = world.repo.count_people().await?;
    let ids: Vec<String> = people.iter().map(|p| p.person_id.clone()).collect();
    let mut by_person: HashMap<String, Vec<Account>> = HashMap::new();
    if !ids.is_empty() {
        for a in world.repo.accounts_of_people(&ids).await? {
            if let Some(pid) = a.person_id.clone() {
                by_person.entry(pid).or_default().push(a);
            }
        }
    }
    let codes = bank_codes(world).await?;
    let mut customers: HashMap<String, Vec<ObpCustomerView>> = HashMap::new();
    for c in obp.customers_of_people(&ids).await? {
        customers
            .entry(c.person_id.clone())
            .or_default()
            .push(c.into());
    }
    let account_ids: Vec<String> = by_person
        .values()
        .flatten()
        .map(|a| a.account_id.clone())
        .collect();
    let obp_ids = obp.obp_account_ids(&account_ids).await?;
    // Only a customer can have a KYC status: one query per such person.
    let mut kyc = HashMap::new();
    for pid in customers.keys() {
        if let Some(s) = obp.latest_kyc_status_of_person(pid).await? {
            let date = s.date.unwrap_or(s.owner.updated_at);
            let date = date.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            kyc.insert(pid.clone(), KycView { ok: s.ok, date });
        }
    }
    let people = people
        .into_iter()
        .map(|p| {
            let accounts = by_person
                .remove(&p.person_id)
                .unwrap_or_default()
                .into_iter()
                .map(|a| {
                    let obp_id = obp_ids.get(&a.account_id).cloned();
                    AccountView {
                        obp_account_id: obp_id,
                        ..AccountView::new(a, &codes)
                    }
                })
                .collect();
            let mut view = PersonView::new(p, accounts);
            view.obp_customers = customers.remove(&view.person_id).unwrap_or_default();
            view.kyc_status = kyc.remove(&view.person_id);
            view
        })
        .collect();
    Ok(PeoplePage {
        people,
        total,
        limit,
        offset,
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreatePerson {
    pub name: String,
    pub birth_date: String,
    pub gender: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

pub async fn create(
    State(s): State<SandboxState>,
    Json(b): Json<CreatePerson>,
) -> Result<(StatusCode, Json<PersonView>), SandboxError> {
    let birth_date = chrono::NaiveDate::parse_from_str(&b.birth_date, "%Y-%m-%d")
        .map_err(|_| SandboxError::invalid("birth_date must be a date, YYYY-MM-DD"))?;
    let gender = match b.gender.as_deref() {
        None => None,
        Some(g) => {
            Some(Gender::parse(g).ok_or_else(|| SandboxError::invalid("gender must be M or F"))?)
        }
    };
    let person = s
        .world
        .create_person(NewPerson {
            name: b.name,
            birth_date: Some(birth_date),
            gender,
            phone: b.phone,
            email: b.email,
            ci: None,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(PersonView::new(person, vec![]))))
}

/// A balance as a JSON integer (minor units) or a decimal string (major units).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Amount {
    Minor(i64),
    Decimal(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateAccount {
    pub bank_code_std: Option<String>,
    pub institution_code: Option<String>,
    pub kind: String,
    pub product_name: Option<String>,
    pub balance: Amount,
    pub currency: Option<String>,
    pub account_num: Option<String>,
}

pub async fn open_account(
    State(s): State<SandboxState>,
    Path(person_id): Path<String>,
    Json(b): Json<CreateAccount>,
) -> Result<(StatusCode, Json<AccountView>), SandboxError> {
    let code = match (&b.bank_code_std, &b.institution_code) {
        (Some(c), None) | (None, Some(c)) => c.clone(),
        _ => {
            return Err(SandboxError::invalid(
                "give exactly one of bank_code_std or institution_code",
            ))
        }
    };
    let kind = AccountKind::parse(&b.kind)
        .filter(|k| !matches!(k, AccountKind::Settlement))
        .ok_or_else(|| {
            SandboxError::invalid(
                "kind must be one of demand, savings, fund, loan, card, prepaid, insurance, contract",
            )
        })?;
    let currency = match &b.currency {
        None => Currency::KRW,
        Some(c) => Currency::parse(c).map_err(SandboxError::invalid)?,
    };
    let opening_balance_minor = match &b.balance {
        Amount::Minor(m) => *m,
        Amount::Decimal(d) => {
            Money::parse_decimal(d, currency)
                .map_err(SandboxError::invalid)?
                .minor
        }
    };
    if opening_balance_minor < 0 {
        return Err(SandboxError::invalid("balance cannot be negative"));
    }
    let inst = s
        .world
        .institution_by_any_code(&code)
        .await
        .map_err(|e| match e {
            CoreError::NotFound(_) => {
                SandboxError::NotFound(format!("no institution with code {code}"))
            }
            e => e.into(),
        })?;
    if s.world.repo.person(&person_id).await?.is_none() {
        return Err(SandboxError::NotFound(format!("no person {person_id}")));
    }
    let account = s
        .world
        .open_account(OpenAccount {
            org_code: inst.org_code.clone(),
            person_id,
            kind,
            product_name: b.product_name,
            currency,
            opening_balance_minor,
            floor_minor: 0,
            account_num: b.account_num,
        })
        .await?;
    let codes = HashMap::from([(inst.org_code, inst.bank_code)]);
    Ok((StatusCode::CREATED, Json(AccountView::new(account, &codes))))
}
