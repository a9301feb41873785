//! Storage rows and their conversion to domain types. Rows stay here; the
//! core never sees a column.

use finhub_core::account::{Account, AccountKind, AccountStatus};
use finhub_core::clock::from_micros;
use finhub_core::institution::{Institution, InstitutionKind, ServiceStatus};
use finhub_core::ledger::{EntryKind, Posting};
use finhub_core::money::Currency;
use finhub_core::party::{Gender, Person};
use finhub_core::CoreError;

fn corrupt(what: &str, v: &str) -> CoreError {
    CoreError::Internal(format!("stored {what} {v:?} is not valid"))
}

#[derive(sqlx::FromRow)]
pub struct InstitutionRow {
    pub org_code: String,
    pub kind: String,
    pub bank_code: Option<String>,
    pub name: String,
    pub status: String,
}

impl TryFrom<InstitutionRow> for Institution {
    type Error = CoreError;
    fn try_from(r: InstitutionRow) -> Result<Self, CoreError> {
        Ok(Institution {
            kind: InstitutionKind::parse(&r.kind)
                .ok_or_else(|| corrupt("institution kind", &r.kind))?,
            status: ServiceStatus::parse(&r.status).ok_or_else(|| corrupt("status", &r.status))?,
            org_code: r.org_code,
            bank_code: r.bank_code,
            name: r.name,
        })
    }
}

pub const PERSON_COLS: &str = "person_id, ci, name, birth_date, gender, phone, email";

#[derive(sqlx::FromRow)]
pub struct PersonRow {
    pub person_id: String,
    pub ci: String,
    pub name: String,
    pub birth_date: String,
    pub gender: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl TryFrom<PersonRow> for Person {
    type Error = CoreError;
    fn try_from(r: PersonRow) -> Result<Self, CoreError> {
        Ok(Person {
            birth_date: chrono::NaiveDate::parse_from_str(&r.birth_date, "%Y-%m-%d")
                .map_err(|_| corrupt("birth date", &r.birth_date))?,
            gender: r.gender.as_deref().and_then(Gender::parse),
            person_id: r.person_id,
            ci: r.ci,
            name: r.name,
            phone: r.phone,
            email: r.email,
        })
    }
}

pub const ACCOUNT_COLS: &str =
    "account_id, org_code, account_num, kind, product_name, currency, person_id, holder_name, \
     opened_at, closed_at, maturity_date, status, floor_minor, balance_minor, last_tran_at";

#[derive(sqlx::FromRow)]
pub struct AccountRow {
    pub account_id: String,
    pub org_code: String,
    pub account_num: String,
    pub kind: String,
    pub product_name: String,
    pub currency: String,
    pub person_id: Option<String>,
    pub holder_name: String,
    pub opened_at: i64,
    pub closed_at: Option<i64>,
    pub maturity_date: Option<String>,
    pub status: String,
    pub floor_minor: i64,
    pub balance_minor: i64,
    pub last_tran_at: Option<i64>,
}

impl TryFrom<AccountRow> for Account {
    type Error = CoreError;
    fn try_from(r: AccountRow) -> Result<Self, CoreError> {
        Ok(Account {
            kind: AccountKind::parse(&r.kind).ok_or_else(|| corrupt("account kind", &r.kind))?,
            currency: Currency::parse(&r.currency).map_err(|_| corrupt("currency", &r.currency))?,
            status: AccountStatus::parse(&r.status)
                .ok_or_else(|| corrupt("account status", &r.status))?,
            maturity_date: r
                .maturity_date
                .as_deref()
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            opened_at: from_micros(r.opened_at),
            closed_at: r.closed_at.map(from_micros),
            last_tran_at: r.last_tran_at.map(from_micros),
            account_id: r.account_id,
            org_code: r.org_code,
            account_num: r.account_num,
            product_name: r.product_name,
            person_id: r.person_id,
            holder_name: r.holder_name,
            floor_minor: r.floor_minor,
            balance_minor: r.balance_minor,
        })
    }
}

pub const POSTING_COLS: &str =
    "entry_id, account_id, seq, at, kind, amount_minor, balance_after_minor, memo, counterparty";

#[derive(sqlx::FromRow)]
pub struct PostingRow {
    pub entry_id: i64,
    pub account_id: String,
    pub seq: i64,
    pub at: i64,
    pub kind: String,
    pub amount_minor: i64,
    pub balance_after_minor: i64,
    pub memo: String,
    pub counterparty: String,
}

impl TryFrom<PostingRow> for Posting {
    type Error = CoreError;
    fn try_from(r: PostingRow) -> Result<Self, CoreError> {
        Ok(Posting {
            kind: EntryKind::parse(&r.kind).ok_or_else(|| corrupt("entry kind", &r.kind))?,
            at: from_micros(r.at),
            entry_id: r.entry_id,
            account_id: r.account_id,
            seq: r.seq,
            amount_minor: r.amount_minor,
            balance_after_minor: r.balance_after_minor,
            memo: r.memo,
            counterparty: r.counterparty,
        })
    }
}

pub fn convert_all<R, T: TryFrom<R, Error = CoreError>>(rows: Vec<R>) -> Result<Vec<T>, CoreError> {
    rows.into_iter().map(T::try_from).collect()
}
