//! Accounts opened through OBP: ledger accounts at the bank, known to OBP by
//! their ACCOUNT_ID. The account belongs to the person of the owner's newest
//! active link to a customer at that bank, else to a person made once for the
//! user (obp-sandbox.md, "Users and people").

use super::users::User;
use super::{Obp, ObpResult, Refusal};
use crate::account::AccountKind;
use crate::institution::Institution;
use crate::money::Currency;
use crate::party::NewPerson;
use crate::world::OpenAccount;
use crate::CoreResult;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRouting {
    pub scheme: String,
    pub address: String,
}

/// The OBP map row: (bank, ACCOUNT_ID) and the ledger account behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObpAccount {
    pub bank_id: String,
    pub account_id: String,
    pub ledger_account_id: String,
    /// The owner (body `user_id`, or the caller).
    pub user_id: String,
    pub label: String,
    pub product_code: String,
    pub branch_id: String,
    pub routings: Vec<AccountRouting>,
    pub created_at: DateTime<Utc>,
}

/// Create Account's request once the face has read and checked it.
#[derive(Debug, Clone)]
pub struct NewObpAccount {
    pub account_id: String,
    pub owner: User,
    pub label: String,
    pub product_code: String,
    pub currency: Currency,
    pub branch_id: String,
    pub routings: Vec<AccountRouting>,
}

/// What Create Account refuses in its body, before the bank is looked up;
/// the face names each with OBP's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountProblem {
    /// OBP-30110.
    AccountIdFormat,
    /// OBP-30112.
    BalanceNotANumber,
    /// OBP-30109.
    BalanceNotZero,
    /// OBP-10003.
    Currency,
    /// OBP-30114: one scheme given twice.
    DuplicateScheme,
}

/// OBP's id rule (ACCOUNT_ID, BANK_ID): `0-9 a-z A-Z - . _`, shorter than 255.
pub fn is_obp_id(s: &str) -> bool {
    s.len() < 255
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
}

/// The opening balance must be a number (OBP-30112) and zero (OBP-30109);
/// a missing amount is taken as 0.
pub fn check_opening_balance(amount: &str) -> Result<(), AccountProblem> {
    let a = amount.trim();
    if a.is_empty() {
        return Ok(());
    }
    let number = a.strip_prefix(['-', '+']).unwrap_or(a);
    let (int, frac) = number.split_once('.').unwrap_or((number, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return Err(AccountProblem::BalanceNotANumber);
    }
    if int.bytes().chain(frac.bytes()).any(|b| b != b'0') {
        return Err(AccountProblem::BalanceNotZero);
    }
    Ok(())
}

/// OBP-10003: three upper-case letters.
pub fn parse_currency(code: &str) -> Result<Currency, AccountProblem> {
    Currency::parse(code).map_err(|_| AccountProblem::Currency)
}

/// OBP-30114: each scheme at most once.
pub fn check_routings(routings: &[AccountRouting]) -> Result<(), AccountProblem> {
    let mut seen = std::collections::HashSet::new();
    if routings.iter().all(|r| seen.insert(r.scheme.as_str())) {
        Ok(())
    } else {
        Err(AccountProblem::DuplicateScheme)
    }
}

#[async_trait]
pub trait ObpAccountRepo: Send + Sync {
    async fn obp_account(&self, bank_id: &str, account_id: &str) -> CoreResult<Option<ObpAccount>>;
    /// Is (scheme, address) some account's routing at the bank?
    async fn routing_taken(&self, bank_id: &str, r: &AccountRouting) -> CoreResult<bool>;
    /// Insert the row and its routings at once; a taken ACCOUNT_ID or
    /// routing is `Ok(false)` and writes nothing.
    async fn insert_obp_account(&self, a: &ObpAccount) -> CoreResult<bool>;
    /// ledger account id → OBP ACCOUNT_ID, for those opened through OBP.
    async fn obp_account_ids(
        &self,
        ledger_account_ids: &[String],
    ) -> CoreResult<HashMap<String, String>>;
}

/// OBP users carry no birth date, and a world person needs one.
const UNKNOWN_BIRTH_DATE: Option<NaiveDate> = NaiveDate::from_ymd_opt(1970, 1, 1);

impl Obp {
    /// OBP-30208: is ACCOUNT_ID taken at the bank?
    pub async fn account_id_taken(&self, bank_id: &str, account_id: &str) -> ObpResult<bool> {
        Ok(self.repo.obp_account(bank_id, account_id).await?.is_some())
    }

    /// OBP-30115: the first of `routings` some account at the bank has.
    pub async fn taken_routing(
        &self,
        bank_id: &str,
        routings: &[AccountRouting],
    ) -> ObpResult<Option<AccountRouting>> {
        for r in routings {
            if self.repo.routing_taken(bank_id, r).await? {
                return Ok(Some(r.clone()));
            }
        }
        Ok(None)
    }

    /// Open the ledger account (balance 0) and record it under ACCOUNT_ID.
    /// A taken routing (OBP-30115) is refused before anything is written.
    pub async fn create_account(
        &self,
        bank: &Institution,
        new: NewObpAccount,
    ) -> ObpResult<ObpAccount> {
        let bank_id = bank.bank_code.clone().unwrap_or_default();
        if self.taken_routing(&bank_id, &new.routings).await?.is_some() {
            return Err(Refusal::RoutingTaken);
        }
        if self.account_id_taken(&bank_id, &new.account_id).await? {
            return Err(Refusal::AccountIdTaken);
        }
        let person_id = self.account_person(&new.owner, &bank_id).await?;
        let ledger = (self.world)
            .open_account(OpenAccount {
                org_code: bank.org_code.clone(),
                person_id,
                kind: AccountKind::Demand,
                product_name: None,
                currency: new.currency,
                opening_balance_minor: 0,
                floor_minor: 0,
                account_num: None,
            })
            .await?;
        let a = ObpAccount {
            bank_id,
            account_id: new.account_id,
            ledger_account_id: ledger.account_id,
            user_id: new.owner.user_id,
            label: new.label,
            product_code: new.product_code,
            branch_id: new.branch_id,
            routings: new.routings,
            created_at: self.now(),
        };
        // A racing create won the id or a routing: the empty ledger account stays, unnamed.
        if !self.repo.insert_obp_account(&a).await? {
            return Err(Refusal::AccountIdTaken);
        }
        Ok(a)
    }

    /// The person of the owner's newest active link at the bank, else the
    /// person made once for the user.
    async fn account_person(&self, owner: &User, bank_id: &str) -> ObpResult<String> {
        if let Some(link) = self.newest_link_at(&owner.user_id, bank_id).await? {
            if let Some(c) = self.repo.customer(&link.customer_id).await? {
                return Ok(c.person_id);
            }
        }
        // Read again: the user may have got its person since the caller read it.
        let fresh = self.repo.user(&owner.user_id).await?;
        if let Some(p) = fresh.and_then(|u| u.person_id) {
            return Ok(p);
        }
        let person = self.world.create_person(person_for(owner)).await?;
        self.repo
            .set_user_person(&owner.user_id, &person.person_id)
            .await?;
        Ok(person.person_id)
    }

    /// ledger account id → OBP ACCOUNT_ID (`obp_account_id` in /sandbox/people).
    pub async fn obp_account_ids(
        &self,
        ledger_account_ids: &[String],
    ) -> ObpResult<HashMap<String, String>> {
        Ok(self.repo.obp_account_ids(ledger_account_ids).await?)
    }
}

/// "first_name last_name" (the username when both are empty), and the
/// email when the world takes it.
fn person_for(u: &User) -> NewPerson {
    let full = format!("{} {}", u.first_name.trim(), u.last_name.trim());
    let name = match full.trim() {
        "" => u.username.as_str(),
        n => n,
    };
    let email = Some(u.email.clone()).filter(|e| e.len() <= 100 && e.contains('@'));
    NewPerson {
        name: name.chars().take(50).collect(),
        birth_date: UNKNOWN_BIRTH_DATE,
        email,
        ..NewPerson::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_opening_balance_is_a_zero_number() {
        for ok in ["0", "0.00", "", "-0", "00.0"] {
            assert_eq!(check_opening_balance(ok), Ok(()), "{ok}");
        }
        for nan in ["abc", "1e3", ".", "1.2.3", "0x0"] {
            assert_eq!(
                check_opening_balance(nan),
                Err(AccountProblem::BalanceNotANumber),
                "{nan}"
            );
        }
        assert_eq!(
            check_opening_balance("10.5"),
            Err(AccountProblem::BalanceNotZero)
        );
    }

    #[test]
    fn ids_routings_and_currencies() {
        assert!(is_obp_id("acc-1.a_B"));
        assert!(!is_obp_id("acc 1"));
        assert!(!is_obp_id(&"a".repeat(255)));
        assert_eq!(parse_currency("eur"), Err(AccountProblem::Currency));
        assert!(parse_currency("EUR").is_ok());
        let r = |s: &str| AccountRouting {
            scheme: s.into(),
            address: "1".into(),
        };
        assert!(check_routings(&[r("A"), r("B")]).is_ok());
        assert_eq!(
            check_routings(&[r("A"), r("A")]),
            Err(AccountProblem::DuplicateScheme)
        );
    }
}
