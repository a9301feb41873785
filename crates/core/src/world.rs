//! The world service: the operations every face and the sandbox share.

use crate::account::{Account, AccountKind, AccountStatus, NewAccount};
use crate::clock::Clock;
use crate::error::{CoreError, CoreResult};
use crate::fraud::TransferLog;
use crate::ids;
use crate::institution::{Institution, ServiceStatus};
use crate::ledger::{Posting, PostingQuery, TransferOutcome, TransferRequest};
use crate::money::{Currency, Money};
use crate::party::{normalize_phone, NewPerson, Person};
use crate::payments::RefusalRepo;
use crate::repo::{AccountRepo, InstitutionRepo, LedgerRepo, PartyRepo};
use std::sync::Arc;

/// Everything the core needs from storage, in one handle.
pub trait Repos:
    InstitutionRepo + PartyRepo + AccountRepo + LedgerRepo + RefusalRepo + TransferLog
{
}
impl<T> Repos for T where
    T: InstitutionRepo + PartyRepo + AccountRepo + LedgerRepo + RefusalRepo + TransferLog
{
}

#[derive(Clone)]
pub struct World {
    pub repo: Arc<dyn Repos>,
    pub clock: Clock,
}

/// What it takes to open an account for a person.
#[derive(Debug, Clone)]
pub struct OpenAccount {
    pub org_code: String,
    pub person_id: String,
    pub kind: AccountKind,
    pub product_name: Option<String>,
    pub currency: Currency,
    pub opening_balance_minor: i64,
    pub floor_minor: i64,
    pub account_num: Option<String>,
}

impl World {
    pub fn new(repo: Arc<dyn Repos>, clock: Clock) -> Self {
        World { repo, clock }
    }

    pub async fn create_person(&self, p: NewPerson) -> CoreResult<Person> {
        p.validate().map_err(CoreError::Invalid)?;
        let person_id = ids::new_id();
        let ci =
            p.ci.clone()
                .unwrap_or_else(|| ids::ci_from_seed(person_id.as_bytes()));
        let person = Person {
            person_id,
            ci,
            name: p.name.trim().to_owned(),
            birth_date: p.birth_date.expect("validated"),
            gender: p.gender,
            phone: p.phone.as_deref().map(normalize_phone),
            email: p.email,
        };
        self.repo.insert_person(&person).await?;
        Ok(person)
    }

    pub async fn institution(&self, org_code: &str) -> CoreResult<Institution> {
        self.repo
            .institution(org_code)
            .await?
            .ok_or(CoreError::NotFound("institution"))
    }

    /// Find an institution by its org code or, for banks, its 3-digit code.
    pub async fn institution_by_any_code(&self, code: &str) -> CoreResult<Institution> {
        if code.len() == 3 {
            if let Some(i) = self.repo.institution_by_bank_code(code).await? {
                return Ok(i);
            }
        }
        self.institution(code).await
    }

    pub async fn set_institution_status(
        &self,
        code: &str,
        status: ServiceStatus,
    ) -> CoreResult<Institution> {
        let inst = self.institution_by_any_code(code).await?;
        self.repo
            .set_institution_status(&inst.org_code, status)
            .await?;
        Ok(Institution { status, ..inst })
    }

    /// Open an account. The opening balance comes from the institution's
    /// settlement account, so the world's total stays zero.
    pub async fn open_account(&self, req: OpenAccount) -> CoreResult<Account> {
        let inst = self.institution(&req.org_code).await?;
        let person = self
            .repo
            .person(&req.person_id)
            .await?
            .ok_or(CoreError::NotFound("person"))?;
        let account_id = ids::new_id();
        let account_num = match req.account_num {
            Some(n) => n,
            None => generate_account_num(inst.bank_code.as_deref(), &account_id),
        };
        let new = NewAccount {
            account_id,
            org_code: inst.org_code.clone(),
            account_num,
            kind: req.kind,
            product_name: req
                .product_name
                .unwrap_or_else(|| default_product_name(req.kind).to_owned()),
            currency: req.currency,
            person_id: Some(person.person_id.clone()),
            holder_name: person.name.clone(),
            opened_at: self.clock.now(),
            maturity_date: None,
            floor_minor: req.floor_minor,
            opening_balance_minor: req.opening_balance_minor,
        };
        new.validate().map_err(CoreError::Invalid)?;
        self.repo.open_account(new).await
    }

    /// Open an account an institution or client holds for itself (no person).
    pub async fn open_institution_account(
        &self,
        org_code: &str,
        holder_name: &str,
        kind: AccountKind,
        opening: Money,
    ) -> CoreResult<Account> {
        let (currency, opening_balance_minor) = (opening.currency, opening.minor);
        let inst = self.institution(org_code).await?;
        let account_id = ids::new_id();
        let new = NewAccount {
            account_num: generate_account_num(inst.bank_code.as_deref(), &account_id),
            account_id,
            org_code: inst.org_code,
            kind,
            product_name: default_product_name(kind).to_owned(),
            currency,
            person_id: None,
            holder_name: holder_name.to_owned(),
            opened_at: self.clock.now(),
            maturity_date: None,
            floor_minor: 0,
            opening_balance_minor,
        };
        new.validate().map_err(CoreError::Invalid)?;
        self.repo.open_account(new).await
    }

    pub async fn account(&self, account_id: &str) -> CoreResult<Account> {
        self.repo
            .account(account_id)
            .await?
            .ok_or(CoreError::NotFound("account"))
    }

    pub async fn transfer(&self, req: TransferRequest) -> CoreResult<TransferOutcome> {
        self.repo.transfer(req).await
    }

    pub async fn postings(&self, q: &PostingQuery) -> CoreResult<Vec<Posting>> {
        self.repo.postings(q).await
    }

    pub fn is_usable(account: &Account) -> bool {
        account.status != AccountStatus::Closed
    }
}

/// An account number in the bank's usual dash layout, derived from the id.
pub fn generate_account_num(bank_code: Option<&str>, account_id: &str) -> String {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(account_id.as_bytes());
    let digits: String = d
        .iter()
        .map(|b| char::from(b'0' + b % 10))
        .take(14)
        .collect();
    match bank_code {
        // 3-6-5 or 6-2-6 layouts like most Korean banks.
        Some(code) if code.as_bytes()[2] % 2 == 0 => {
            format!("{}-{}-{}", &digits[..3], &digits[3..9], &digits[9..14])
        }
        Some(_) => format!("{}-{}-{}", &digits[..6], &digits[6..8], &digits[8..14]),
        None => digits,
    }
}

pub fn default_product_name(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::Demand => "자유입출금통장",
        AccountKind::Savings => "정기적금",
        AccountKind::Fund => "수익증권",
        AccountKind::Loan => "신용대출",
        AccountKind::Card => "신용카드",
        AccountKind::Prepaid => "선불충전금",
        AccountKind::Insurance => "보험",
        AccountKind::Securities => "종합매매계좌",
        AccountKind::Irp => "개인형IRP",
        AccountKind::Telecom => "이동통신 서비스",
        AccountKind::Payment => "간편결제 계정",
        AccountKind::Contract => "이용기관 약정계좌",
        AccountKind::Settlement => "기관 결제계정",
    }
}
