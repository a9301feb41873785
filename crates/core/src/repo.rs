//! Repository traits: what the core needs from storage. finhub-store
//! implements them for SQLite and PostgreSQL.

use crate::account::{Account, NewAccount};
use crate::error::CoreResult;
use crate::institution::{Institution, ServiceStatus};
use crate::ledger::{Posting, PostingQuery, TransferOutcome, TransferRequest};
use crate::money::Currency;
use crate::party::Person;
use async_trait::async_trait;

#[async_trait]
pub trait InstitutionRepo: Send + Sync {
    /// Insert or update by org_code.
    async fn upsert_institution(&self, inst: &Institution) -> CoreResult<()>;
    async fn institution(&self, org_code: &str) -> CoreResult<Option<Institution>>;
    async fn institution_by_bank_code(&self, bank_code: &str) -> CoreResult<Option<Institution>>;
    async fn list_institutions(&self) -> CoreResult<Vec<Institution>>;
    /// False when there is no such institution.
    async fn set_institution_status(
        &self,
        org_code: &str,
        status: ServiceStatus,
    ) -> CoreResult<bool>;
}

#[async_trait]
pub trait PartyRepo: Send + Sync {
    /// A duplicate CI or phone is a `Conflict`, decided by the unique constraint.
    async fn insert_person(&self, person: &Person) -> CoreResult<()>;
    async fn person(&self, person_id: &str) -> CoreResult<Option<Person>>;
    async fn person_by_ci(&self, ci: &str) -> CoreResult<Option<Person>>;
    async fn person_by_phone(&self, phone_digits: &str) -> CoreResult<Option<Person>>;
    /// Ordered by person_id; `offset` for the sandbox listing.
    async fn list_people(&self, limit: u32, offset: u64) -> CoreResult<Vec<Person>>;
    async fn count_people(&self) -> CoreResult<u64>;
    async fn set_password_hash(&self, person_id: &str, hash: &str) -> CoreResult<()>;
    async fn password_hash(&self, person_id: &str) -> CoreResult<Option<String>>;
}

#[async_trait]
pub trait AccountRepo: Send + Sync {
    async fn account(&self, account_id: &str) -> CoreResult<Option<Account>>;
    async fn account_by_number(
        &self,
        org_code: &str,
        account_num: &str,
    ) -> CoreResult<Option<Account>>;
    async fn accounts_of_person(&self, person_id: &str) -> CoreResult<Vec<Account>>;
    /// Accounts of many people at once, for listings.
    async fn accounts_of_people(&self, person_ids: &[String]) -> CoreResult<Vec<Account>>;
    async fn close_account(
        &self,
        account_id: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> CoreResult<bool>;
}

#[async_trait]
pub trait LedgerRepo: Send + Sync {
    /// Open an account and move its opening balance from the institution's
    /// settlement account, in one database transaction.
    async fn open_account(&self, account: NewAccount) -> CoreResult<Account>;
    /// Apply a transfer exactly once per (scope, key). A retry returns the
    /// first outcome with `replayed = true`; a different request under the
    /// same key is `CoreError::IdempotencyMismatch`.
    async fn transfer(&self, req: TransferRequest) -> CoreResult<TransferOutcome>;
    /// The recorded outcome of a key, if any.
    async fn outcome(&self, scope: &str, key: &str) -> CoreResult<Option<TransferOutcome>>;
    async fn postings(&self, q: &PostingQuery) -> CoreResult<Vec<Posting>>;
    /// Sum of all balances per currency; zero for every currency when the
    /// ledger is whole.
    async fn balance_totals(&self) -> CoreResult<Vec<(Currency, i64)>>;
    /// Accounts whose stored balance differs from the sum of their postings,
    /// or sits below its floor. Empty when the ledger is whole.
    async fn audit(&self) -> CoreResult<Vec<String>>;
}
