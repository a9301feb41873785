//! Bank accounts (B1–B10): a member registers one account of the world as
//! the source of charges, after a real-name check and a simulated ARS call.
//!
//! The ARS call needs no background task: B4 stores when it started (real
//! time) and whether a live B3 code was used up; every read after the
//! call's length settles the outcome once, in one store transaction.

use super::ids::{self, UserId};
use super::refusal::{KonaResult, Refusal};
use super::Kona;
use crate::account::{Account, AccountStatus};
use crate::error::CoreError;
use crate::ledger::{EntryKind, Leg, Rejection, TransferRequest};
use crate::money::Currency;
use crate::payments::{Payment, Rule};
use crate::CoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};

/// How long a B3 code lives on the world clock.
pub const ARS_CODE_LIFE_SECS: i64 = 180;
/// How long the simulated ARS call takes, in real time.
pub const ARS_CALL_MILLIS: i64 = 2_000;

/// The reference's bank codes (konaplate-prepaid.md §8), listed by B1
/// when the world holds them.
pub const BANK_CODES: &[&str] = &[
    "088", "004", "020", "081", "003", "002", "011", "012", "023", "090", "071", "005", "010",
    "021", "031", "034", "045", "092",
];

/// The member's registered charge account.
#[derive(Debug, Clone)]
pub struct RegisteredAccount {
    pub project_id: String,
    pub user_id: UserId,
    /// The account of the world charges draw from.
    pub account_id: String,
    pub bank_code: String,
    /// Its number's digits.
    pub bank_account: String,
    /// The 5-character `accountId` B6 answers.
    pub account_id5: String,
    /// Registered for auto-recharge (B8).
    pub auto_recharge: bool,
    /// The registration (B4) it came from.
    pub reg_no: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One bank of B1.
#[derive(Debug, Clone)]
pub struct BankEntry {
    pub bank_code: String,
    /// At most 10 characters.
    pub bank_name: String,
    pub is_available: bool,
}

/// What B2 is asked: the account and, optionally, who the caller says holds it.
#[derive(Debug, Clone)]
pub struct RealName<'a> {
    pub bank_code: &'a str,
    pub bank_account: &'a str,
    pub user_name: Option<&'a str>,
    /// yyyyMMdd.
    pub birth_date: Option<&'a str>,
}

/// A B2 pass: this member's account at this bank (its digits) is theirs.
#[derive(Debug, Clone)]
pub struct NameCheck {
    pub project_id: String,
    pub user_id: UserId,
    pub bank_code: String,
    pub digits: String,
    pub account_id: String,
    pub at: DateTime<Utc>,
}

/// A B4 registration as stored.
#[derive(Debug, Clone)]
pub struct Registration {
    pub reg_no: String,
    pub project_id: String,
    pub user_id: UserId,
    pub account_id: String,
    pub bank_code: String,
    pub bank_account: String,
    /// A live B3 code existed when B4 was called (and was used up).
    pub code_live: bool,
    /// Real time the ARS call started.
    pub started_real: DateTime<Utc>,
    /// World time the account counts as registered from.
    pub at: DateTime<Utc>,
    /// None while the call runs; then the final status.
    pub status: Option<RegStatus>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegStatus {
    InProgress,
    Registered,
    Failed,
}

impl RegStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InProgress => "ARS_AUTH_IN_PROGRESS",
            Self::Registered => "BANK_ACC_REGISTERED",
            Self::Failed => "ARS_AUTH_FAILED",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::InProgress, Self::Registered, Self::Failed]
            .into_iter()
            .find(|m| m.as_str() == s)
    }
}

#[async_trait]
pub trait BankRepo: Send + Sync {
    /// The member's registered account, if any (settled registrations only).
    async fn registered_account(
        &self,
        project_id: &str,
        user_id: UserId,
    ) -> CoreResult<Option<RegisteredAccount>>;
    /// An account at `org_code` whose number has these digits (hyphens ignored).
    async fn account_by_digits(&self, org_code: &str, digits: &str) -> CoreResult<Option<Account>>;
    /// Record a B2 pass (kept; a later pass overwrites it).
    async fn put_name_check(&self, c: &NameCheck) -> CoreResult<()>;
    /// The account a B2 pass named, if there was one.
    async fn name_check(
        &self,
        project_id: &str,
        user_id: UserId,
        bank_code: &str,
        digits: &str,
    ) -> CoreResult<Option<String>>;
    /// Store a B3 code, replacing the member's earlier one.
    async fn put_ars_code(
        &self,
        project_id: &str,
        user_id: UserId,
        code: &str,
        expires_at: DateTime<Utc>,
    ) -> CoreResult<()>;
    /// Use up the member's code if it is still live at `now`: true if it was.
    async fn take_ars_code(
        &self,
        project_id: &str,
        user_id: UserId,
        now: DateTime<Utc>,
    ) -> CoreResult<bool>;
    /// Claim the member's one ARS slot until `until` (real time): false
    /// while another registration's call is still running.
    async fn claim_ars_slot(
        &self,
        project_id: &str,
        user_id: UserId,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> CoreResult<bool>;
    async fn insert_registration(&self, r: &Registration) -> CoreResult<()>;
    async fn registration(
        &self,
        project_id: &str,
        reg_no: &str,
    ) -> CoreResult<Option<Registration>>;
    /// The member's registrations whose outcome is not settled yet.
    async fn open_registrations(
        &self,
        project_id: &str,
        user_id: UserId,
    ) -> CoreResult<Vec<Registration>>;
    /// Settle a registration's outcome once and, on success, make `account`
    /// the member's registered account, in one transaction. False when it
    /// was settled already.
    async fn settle_registration(
        &self,
        reg_no: &str,
        status: RegStatus,
        account: Option<&RegisteredAccount>,
    ) -> CoreResult<bool>;
    async fn set_auto_recharge(
        &self,
        project_id: &str,
        user_id: UserId,
        at: DateTime<Utc>,
    ) -> CoreResult<()>;
    /// False when the member had no registered account.
    async fn delete_registered_account(
        &self,
        project_id: &str,
        user_id: UserId,
    ) -> CoreResult<bool>;
}

/// The digits of an account number (hyphens and spaces ignored), or None
/// when anything else is in it.
pub fn account_digits(s: &str) -> Option<String> {
    let d: String = s.chars().filter(|c| *c != '-' && *c != ' ').collect();
    (!d.is_empty() && d.len() <= 20 && d.bytes().all(|b| b.is_ascii_digit())).then_some(d)
}

impl Kona {
    /// B1: the reference's banks that exist in the world.
    pub async fn banks(&self) -> KonaResult<Vec<BankEntry>> {
        let mut out = Vec::new();
        for code in BANK_CODES {
            if let Some(i) = self.world.repo.institution_by_bank_code(code).await? {
                out.push(BankEntry {
                    bank_code: (*code).to_owned(),
                    bank_name: i.name.chars().take(10).collect(),
                    is_available: i.status.is_available(),
                });
            }
        }
        Ok(out)
    }

    /// The world account at `bank_code` with these digits, open and active
    /// (`002_016` otherwise).
    async fn bank_account(&self, bank_code: &str, number: &str) -> KonaResult<Account> {
        let digits = account_digits(number).ok_or_else(|| Refusal::invalid("bankAccount"))?;
        let inst = (self.world.repo.institution_by_bank_code(bank_code).await?)
            .ok_or(Refusal::AccountInvalid)?;
        (self.repo.account_by_digits(&inst.org_code, &digits).await?)
            .filter(|a| a.status == AccountStatus::Active && a.currency == Currency::KRW)
            .ok_or(Refusal::AccountInvalid)
    }

    /// B2: the account exists, is active, and its holder is the member's
    /// person (same name; the same birth date when one is sent).
    pub async fn verify_real_name(
        &self,
        project_id: &str,
        user_id: UserId,
        q: RealName<'_>,
    ) -> KonaResult<()> {
        let member = self.member(project_id, user_id).await?;
        let account = self.bank_account(q.bank_code, q.bank_account).await?;
        let person = (self.world.repo.person(&member.person_id).await?)
            .ok_or(CoreError::NotFound("person"))?;
        let birth = person.birth_date.format("%Y%m%d").to_string();
        let same = account.person_id.as_deref() == Some(person.person_id.as_str())
            && account.holder_name.trim() == member.user_name.trim()
            && q.user_name
                .is_none_or(|n| n.trim() == account.holder_name.trim())
            && q.birth_date.is_none_or(|b| b == birth);
        if !same {
            return Err(Refusal::HolderMismatch);
        }
        let check = NameCheck {
            project_id: project_id.to_owned(),
            user_id,
            bank_code: q.bank_code.to_owned(),
            digits: account_digits(q.bank_account).unwrap_or_default(),
            account_id: account.account_id,
            at: self.world.clock.now(),
        };
        self.repo.put_name_check(&check).await?;
        Ok(())
    }

    /// B3: a 2-digit code for the ARS call, live for 3 minutes of world time.
    pub async fn ars_code(&self, project_id: &str, user_id: UserId) -> KonaResult<String> {
        self.member(project_id, user_id).await?;
        let code = ids::digits_of(2);
        let expires = self.world.clock.now() + Duration::seconds(ARS_CODE_LIFE_SECS);
        (self.repo)
            .put_ars_code(project_id, user_id, &code, expires)
            .await?;
        Ok(code)
    }

    /// B4: start the ARS registration of a B2-checked account; answers the
    /// registration number at once.
    pub async fn register_account(
        &self,
        project_id: &str,
        user_id: UserId,
        bank_code: &str,
        bank_account: &str,
    ) -> KonaResult<String> {
        self.member(project_id, user_id).await?;
        let digits = account_digits(bank_account).ok_or_else(|| Refusal::invalid("bankAccount"))?;
        // A call still running answers first; the slot below is the arbiter.
        if self.settle_open(project_id, user_id).await? {
            return Err(Refusal::ArsInProgress);
        }
        let checked = (self.repo)
            .name_check(project_id, user_id, bank_code, &digits)
            .await?
            .ok_or(Refusal::AccountInvalid)?;
        let real = Utc::now();
        let until = real + Duration::milliseconds(ARS_CALL_MILLIS);
        if !(self.repo)
            .claim_ars_slot(project_id, user_id, real, until)
            .await?
        {
            return Err(Refusal::ArsInProgress);
        }
        let now = self.world.clock.now();
        let code_live = self.repo.take_ars_code(project_id, user_id, now).await?;
        let r = Registration {
            reg_no: ids::reg_no(),
            project_id: project_id.to_owned(),
            user_id,
            account_id: checked,
            bank_code: bank_code.to_owned(),
            bank_account: digits,
            code_live,
            started_real: real,
            at: now + Duration::milliseconds(ARS_CALL_MILLIS),
            status: None,
        };
        self.repo.insert_registration(&r).await?;
        Ok(r.reg_no)
    }

    /// B5: where a registration stands (settled when its call is over).
    pub async fn registration_status(
        &self,
        project_id: &str,
        reg_no: &str,
    ) -> KonaResult<RegStatus> {
        let r = (self.repo.registration(project_id, reg_no).await?)
            .ok_or(Refusal::RegistrationNotFound)?;
        self.settle(&r).await
    }

    /// Settle one registration if its call is over; its status either way.
    async fn settle(&self, r: &Registration) -> KonaResult<RegStatus> {
        if let Some(s) = r.status {
            return Ok(s);
        }
        if Utc::now() < r.started_real + Duration::milliseconds(ARS_CALL_MILLIS) {
            return Ok(RegStatus::InProgress);
        }
        let status = if r.code_live {
            RegStatus::Registered
        } else {
            RegStatus::Failed
        };
        let account = RegisteredAccount {
            project_id: r.project_id.clone(),
            user_id: r.user_id,
            account_id: r.account_id.clone(),
            bank_code: r.bank_code.clone(),
            bank_account: r.bank_account.clone(),
            account_id5: ids::account_id5(),
            auto_recharge: false,
            reg_no: r.reg_no.clone(),
            created_at: r.at,
            updated_at: r.at,
        };
        let acc = (status == RegStatus::Registered).then_some(&account);
        self.repo
            .settle_registration(&r.reg_no, status, acc)
            .await?;
        // Settled by another reader in between: theirs is the same outcome.
        Ok(status)
    }

    /// Settle every registration of the member whose call is over; true
    /// when one is still running.
    async fn settle_open(&self, project_id: &str, user_id: UserId) -> KonaResult<bool> {
        let mut running = false;
        for r in self.repo.open_registrations(project_id, user_id).await? {
            running |= self.settle(&r).await? == RegStatus::InProgress;
        }
        Ok(running)
    }

    /// The member's registered charge account, if one is registered now.
    pub async fn registered_account(
        &self,
        project_id: &str,
        user_id: UserId,
    ) -> KonaResult<Option<RegisteredAccount>> {
        self.settle_open(project_id, user_id).await?;
        Ok(self.repo.registered_account(project_id, user_id).await?)
    }

    /// The registered account, or `007_001`.
    pub async fn charge_account(
        &self,
        project_id: &str,
        user_id: UserId,
    ) -> KonaResult<RegisteredAccount> {
        self.member(project_id, user_id).await?;
        (self.registered_account(project_id, user_id).await?).ok_or(Refusal::BankAccountNotFound)
    }

    /// B8: the registered account, now also the auto-recharge account.
    pub async fn register_auto_recharge(
        &self,
        project_id: &str,
        user_id: UserId,
    ) -> KonaResult<RegisteredAccount> {
        self.charge_account(project_id, user_id).await?;
        let now = self.world.clock.now();
        (self.repo)
            .set_auto_recharge(project_id, user_id, now)
            .await?;
        self.charge_account(project_id, user_id).await
    }

    /// B9: forget the registered account.
    pub async fn delete_account(&self, project_id: &str, user_id: UserId) -> KonaResult<()> {
        self.member(project_id, user_id).await?;
        self.settle_open(project_id, user_id).await?;
        if !(self.repo)
            .delete_registered_account(project_id, user_id)
            .await?
        {
            return Err(Refusal::BankAccountNotFound);
        }
        Ok(())
    }
}

/// What B10 is asked, with the request's identity (its correlation id),
/// which keys the movement so a retry never sends a second won.
#[derive(Debug, Clone)]
pub struct KrwAuth<'a> {
    pub project_id: &'a str,
    pub user_id: UserId,
    pub bank_code: &'a str,
    pub bank_account: &'a str,
    pub request_id: &'a str,
}

impl Kona {
    /// B10: 1 KRW from the platform's settlement account to the member's
    /// account, as one ledger movement; answers its transaction id.
    pub async fn krw_auth(&self, q: KrwAuth<'_>) -> KonaResult<String> {
        let member = self.member(q.project_id, q.user_id).await?;
        let account = self.bank_account(q.bank_code, q.bank_account).await?;
        if account.person_id.as_deref() != Some(member.person_id.as_str()) {
            return Err(Refusal::HolderMismatch);
        }
        let inst = self.world.institution(&account.org_code).await?;
        let settle = self.platform_settlement().await?;
        let now = self.world.clock.now();
        let kst = now.with_timezone(&crate::clock::kst());
        let tid = format!("KMT{}{}", kst.format("%y%m%d%H%M%S"), ids::digits_of(9));
        let transfer = TransferRequest {
            scope: format!("kona:{}", q.project_id),
            key: format!("krw:{}", q.request_id),
            at: now,
            kind: EntryKind::Deposit,
            legs: vec![
                kona_leg(&settle.account_id, -1, "1원인증", &account.holder_name),
                kona_leg(&account.account_id, 1, "코나아이", super::PLATFORM_NAME),
            ],
            limits: vec![],
            meta: serde_json::json!({ "transactionId": tid }),
        };
        let rules = vec![Rule::InstitutionAvailable {
            org_code: inst.org_code.clone(),
            status: inst.status,
        }];
        let out = (self.world)
            .pay(Payment {
                transfer,
                rules,
                log: None,
            })
            .await?;
        match out.result {
            Ok(_) => Ok(out.meta["transactionId"]
                .as_str()
                .unwrap_or(&tid)
                .to_owned()),
            Err(Rejection::InstitutionUnavailable { .. }) => Err(Refusal::TransferPending),
            Err(_) => Err(Refusal::AccountInvalid),
        }
    }

    /// The platform's KRW settlement account (opened with its first card).
    pub async fn platform_settlement(&self) -> KonaResult<Account> {
        let num = format!("SETTLE-{}", Currency::KRW);
        (self
            .world
            .repo
            .account_by_number(&self.platform_org(), &num)
            .await?)
            .ok_or_else(|| CoreError::NotFound("platform settlement account").into())
    }
}

/// A KRW leg of a platform movement.
pub fn kona_leg(account_id: &str, amount_minor: i64, memo: &str, counterparty: &str) -> Leg {
    Leg {
        account_id: account_id.to_owned(),
        amount_minor,
        currency: Currency::KRW,
        memo: memo.to_owned(),
        counterparty: counterparty.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_digits_ignore_hyphens_only() {
        assert_eq!(account_digits("123-456-78").as_deref(), Some("12345678"));
        assert_eq!(account_digits("12a4"), None);
        assert_eq!(account_digits("--"), None);
        assert_eq!(RegStatus::parse("ARS_AUTH_FAILED"), Some(RegStatus::Failed));
    }
}
