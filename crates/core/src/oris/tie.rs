//! The ledger tie (a finhub extension): a bank agency's new report may name
//! the remitter's account at that bank; the KRW worth at the reported rate
//! moves from it to the bank's settlement account through the world's
//! money rules, keyed by the bmi so a retry moves nothing twice. A refused
//! movement refuses the report.

use super::remit::Remitter;
use super::reports::{NewReport, ReportRow, Withdrawal};
use super::staff::Agency;
use super::{Refusal, Registry};
use crate::account::{AccountKind, AccountStatus};
use crate::institution::InstitutionKind;
use crate::ledger::{EntryKind, Leg, Rejection, TransferRequest};
use crate::money::Currency;
use crate::payments::{Payment, Rule};
use crate::CoreError;
use secrecy::ExposeSecret;

/// The world scope of the movements; the key is the bmi.
pub const TIE_SCOPE: &str = "oris";
const MEMO: &str = "해외송금";

fn invalid(why: &str) -> Refusal {
    Refusal::Invalid(format!("withdrawal: {why}"))
}

/// KRW for `usd_cents` at `rate_e4` (KRW per USD × 10⁴), half up.
pub fn krw_of(usd_cents: i64, rate_e4: i64) -> Option<i64> {
    let e6 = i128::from(usd_cents) * i128::from(rate_e4);
    i64::try_from((e6 + 500_000) / 1_000_000).ok()
}

fn why(r: &Rejection) -> String {
    match r {
        Rejection::InsufficientFunds { .. } => "the account's balance is insufficient".into(),
        Rejection::InstitutionUnavailable { .. } => "the bank is in an outage".into(),
        Rejection::AccountUnusable { status, .. } => {
            format!("the account is {}", status.as_str())
        }
        Rejection::AccountClosed { .. } => "the account is closed".into(),
        r => format!("refused ({r:?})"),
    }
}

impl Registry {
    /// Move the money of each new report that carries a withdrawal; a row
    /// whose movement is refused is refused.
    pub(super) async fn withdraw_all(
        &self,
        agency: &Agency,
        rows: Vec<Result<ReportRow, Refusal>>,
    ) -> Vec<Result<ReportRow, Refusal>> {
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(match r {
                Ok(ReportRow::New(n)) if n.withdrawal.is_some() => {
                    self.withdraw(agency, &n).await.map(|()| ReportRow::New(n))
                }
                other => other,
            });
        }
        out
    }

    async fn withdraw(&self, agency: &Agency, n: &NewReport) -> Result<(), Refusal> {
        let Some(w) = &n.withdrawal else {
            return Ok(());
        };
        // Reported already: the report is refused as a repeat, and a tie
        // must not start now for a report made without one.
        if self.repo.remittance(&n.bmi).await?.is_some() {
            return Ok(());
        }
        let org = agency
            .org_code
            .as_deref()
            .ok_or_else(|| invalid("only a bank agency made with an org_code may tie a report"))?;
        let inst = self.world.institution(org).await?;
        if inst.kind != InstitutionKind::Bank {
            return Err(invalid("only a bank agency may tie a report"));
        }
        let remitter = self.remitter(&n.user_id).await?;
        let transfer = self.tie_transfer(org, &remitter, n, w).await?;
        let rules = vec![
            Rule::InstitutionAvailable {
                org_code: org.to_owned(),
                status: inst.status,
            },
            Rule::AccountActive {
                account_id: transfer.legs[0].account_id.clone(),
                status: self
                    .world
                    .account(&transfer.legs[0].account_id)
                    .await?
                    .status,
            },
        ];
        let p = Payment {
            transfer,
            rules,
            log: None,
        };
        match self.world.pay(p).await {
            Ok(o) => o.result.map(|_| ()).map_err(|r| invalid(&why(&r))),
            Err(CoreError::IdempotencyMismatch) => Err(invalid(
                "this businessMessageIdentifier already moved another amount",
            )),
            Err(e) => Err(e.into()),
        }
    }

    /// The movement: the remitter's account (at the bank, theirs, in KRW)
    /// to the bank's settlement account.
    async fn tie_transfer(
        &self,
        org: &str,
        remitter: &Remitter,
        n: &NewReport,
        w: &Withdrawal,
    ) -> Result<TransferRequest, Refusal> {
        let person = remitter.person_id.as_deref().ok_or_else(|| {
            invalid("the remitter was registered without a ci (a person of the world)")
        })?;
        let repo = &self.world.repo;
        let account = repo
            .account_by_number(org, w.account_number.expose_secret())
            .await?
            .ok_or_else(|| invalid("accountNumber is not an account at this bank"))?;
        if account.person_id.as_deref() != Some(person) || account.currency != Currency::KRW {
            return Err(invalid("the account is not the remitter's KRW account"));
        }
        if account.status == AccountStatus::Closed {
            return Err(invalid("the account is closed"));
        }
        // The store numbers each institution's settlement account per currency.
        let settle = repo
            .account_by_number(org, &format!("SETTLE-{}", Currency::KRW))
            .await?
            .filter(|a| a.kind == AccountKind::Settlement)
            .ok_or_else(|| invalid("the bank has no KRW settlement account"))?;
        let krw = krw_of(n.usd_cents, w.krw_rate_e4)
            .filter(|k| *k > 0)
            .ok_or_else(|| invalid("the KRW amount is out of range"))?;
        let leg = |account_id: &str, amount_minor: i64, counterparty: &str| Leg {
            account_id: account_id.to_owned(),
            amount_minor,
            currency: Currency::KRW,
            memo: MEMO.to_owned(),
            counterparty: counterparty.to_owned(),
        };
        Ok(TransferRequest {
            scope: TIE_SCOPE.to_owned(),
            key: n.bmi.clone(),
            at: self.now(),
            kind: EntryKind::Remittance,
            legs: vec![
                leg(&account.account_id, -krw, MEMO),
                leg(&settle.account_id, krw, &account.holder_name),
            ],
            limits: Vec::new(),
            meta: serde_json::json!({"usdCents": n.usd_cents, "krwRateE4": w.krw_rate_e4}),
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn krw_is_the_usd_amount_at_the_rate_half_up() {
        // USD 100.00 at 1385.2 = 138,520; USD 0.01 at 1385.25 = 13.8525 → 14.
        assert_eq!(super::krw_of(10_000, 13_852_000), Some(138_520));
        assert_eq!(super::krw_of(1, 13_852_500), Some(14));
        assert_eq!(super::krw_of(1, 13_850_000), Some(14));
        assert_eq!(super::krw_of(1, 13_840_000), Some(14));
        assert_eq!(super::krw_of(1, 13_000_000), Some(13));
    }
}
