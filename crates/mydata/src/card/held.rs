//! What a person holds at the card company, read from the world: cards with
//! their terms and consent flag, and card use (approvals, cancellations) read
//! back from ledger postings. Shared by the card and prepaid APIs.

use crate::error::{MResult, MydataError};
use crate::extract::Caller;
use crate::sync::latest;
use crate::MydataState;
use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use chrono::{DateTime, NaiveDate, Utc};
use finhub_core::account::{Account, AccountKind};
use finhub_core::clock::kst;
use finhub_core::ledger::{Direction, EntryKind, Order, Posting, PostingQuery};
use finhub_core::merchant::{merchant, CardMemo, Merchant};
use finhub_core::product::{CardTerms, CardType, ProductTerms};

/// One card of the person at the token's institution.
#[derive(Debug)]
pub(crate) struct HeldCard {
    pub acct: Account,
    pub terms: CardTerms,
    pub consented: bool,
    /// When anything the card's basic answers show last changed.
    pub changed: DateTime<Utc>,
}

impl HeldCard {
    pub fn is_credit(&self) -> bool {
        self.terms.card_type == CardType::Credit
    }
}

/// Every card the person holds at the token's institution, open or closed.
pub(crate) async fn cards(state: &MydataState, caller: &Caller) -> MResult<Vec<HeldCard>> {
    let held = caller.holdings(state, &[AccountKind::Card]).await?;
    with_terms(state, caller, held).await
}

async fn with_terms(
    state: &MydataState,
    caller: &Caller,
    accts: Vec<Account>,
) -> MResult<Vec<HeldCard>> {
    let ids: Vec<String> = accts.iter().map(|a| a.account_id.clone()).collect();
    let records = state.repo.terms_of(&ids).await?;
    Ok(accts
        .into_iter()
        .map(|acct| {
            let rec = records.iter().find(|r| r.account_id == acct.account_id);
            let terms = card_terms(&acct, rec.map(|r| &r.terms));
            let updated = rec.map(|r| r.updated_at);
            let changed = latest([Some(acct.opened_at), acct.closed_at, updated]);
            HeldCard {
                consented: caller.consent.holds(&acct.account_id),
                acct,
                terms,
                changed,
            }
        })
        .collect())
}

/// A card's terms; a card opened without any (through the sandbox) is
/// shown with plain ones.
pub(crate) fn card_terms(acct: &Account, terms: Option<&ProductTerms>) -> CardTerms {
    if let Some(ProductTerms::Card(t)) = terms {
        return t.clone();
    }
    CardTerms {
        masked_num: mask(&acct.account_num),
        card_type: CardType::Credit,
        family: false,
        brand: "LOCAL".into(),
        annual_fee_minor: 0,
        issue_date: kst_date(acct.opened_at),
        settle_account_id: None,
        transit: false,
        cash_card: false,
        pay_day: 14,
        points: Vec::new(),
        revolving: None,
    }
}

/// `1234-56**-****-3456` from the digits of a card number.
fn mask(num: &str) -> String {
    let d: Vec<char> = num.chars().filter(char::is_ascii_digit).collect();
    let at = |i: usize| d.get(i).copied().unwrap_or('0');
    let tail: String = (0..4).map(|i| at(d.len().saturating_sub(4) + i)).collect();
    format!(
        "{}{}{}{}-{}{}**-****-{tail}",
        at(0),
        at(1),
        at(2),
        at(3),
        at(4),
        at(5)
    )
}

/// Whether a card use is the approval or its cancellation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UseStatus {
    Approved,
    Cancelled,
}

/// One approval or cancellation on a card (or a prepaid card's payment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CardUse {
    pub entry_id: i64,
    pub at: DateTime<Utc>,
    pub status: UseStatus,
    /// The won charged (or given back), positive.
    pub amount: i64,
    pub merchant_name: String,
    pub memo: CardMemo,
}

impl CardUse {
    /// Purchases are the card's debits of kind Card, cancellations its Refund
    /// credits; the bill payment and everything else are not card use.
    pub fn of(p: &Posting) -> Option<CardUse> {
        let status = match (p.kind, p.amount_minor.signum()) {
            (EntryKind::Card, -1) => UseStatus::Approved,
            (EntryKind::Refund, 1) => UseStatus::Cancelled,
            _ => return None,
        };
        Some(CardUse {
            entry_id: p.entry_id,
            at: p.at,
            status,
            amount: p.amount_minor.abs(),
            merchant_name: p.counterparty.clone(),
            // A memo that says nothing typed is a domestic lump sum.
            memo: CardMemo::decode(&p.memo).unwrap_or_else(CardMemo::lump_sum),
        })
    }

    /// What the use adds to a bill: cancellations take away.
    pub fn signed(&self) -> i64 {
        match self.status {
            UseStatus::Approved => self.amount,
            UseStatus::Cancelled => -self.amount,
        }
    }

    pub fn merchant(&self) -> Option<&'static Merchant> {
        merchant(&self.merchant_name)
    }

    /// The approval number, stable per posting: the entry id.
    pub fn approved_num(&self) -> String {
        format!("{:012}", self.entry_id)
    }

    pub fn instalments(&self) -> Option<u32> {
        (self.memo.installments > 1).then_some(self.memo.installments)
    }
}

pub(crate) fn kst_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&kst()).date_naive()
}

/// An institution's 8-character code as MyData's `*_org_code` fields give it:
/// the 10-character org code without its industry prefix.
pub(crate) fn org8(org_code: &str) -> String {
    org_code.get(2..).unwrap_or(org_code).to_owned()
}

/// The `{card_id}` path segment; one that does not decode is 40001.
pub(crate) fn path_id(p: Result<Path<String>, PathRejection>) -> MResult<String> {
    p.map(|Path(id)| id)
        .map_err(|e| MydataError::param(e.body_text()))
}

/// The person's own account a card or loan settles from: its org code and
/// number (digits only); none when it is not found.
pub(crate) async fn own_account(
    state: &MydataState,
    caller: &Caller,
    account_id: Option<&str>,
) -> MResult<Option<(String, String)>> {
    let Some(id) = account_id else {
        return Ok(None);
    };
    let acct = match state.world.repo.account(id).await? {
        Some(a) if a.person_id.as_deref() == Some(caller.person()) => a,
        _ => return Ok(None),
    };
    Ok(Some((
        org8(&acct.org_code),
        acct.account_num.replace('-', ""),
    )))
}

/// Every posting of an account in [from, to), oldest first.
pub(crate) async fn all_postings(
    state: &MydataState,
    account_id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> MResult<Vec<Posting>> {
    const CHUNK: u32 = 1000;
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let q = PostingQuery {
            account_id: account_id.to_owned(),
            from,
            to,
            direction: Direction::All,
            order: Order::Asc,
            after,
            limit: CHUNK,
        };
        let page = state.world.postings(&q).await?;
        let full = page.len() as u32 == CHUNK;
        after = page.last().map(Posting::cursor);
        out.extend(page);
        if !full {
            return Ok(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn posting(kind: EntryKind, amount: i64, memo: &str) -> Posting {
        Posting {
            entry_id: 42,
            account_id: "c".into(),
            seq: 1,
            at: Utc.with_ymd_and_hms(2026, 11, 30, 16, 0, 0).unwrap(),
            kind,
            amount_minor: amount,
            balance_after_minor: amount,
            memo: memo.into(),
            counterparty: "AMAZON.COM".into(),
        }
    }

    #[test]
    fn card_use_is_card_debits_and_refund_credits() {
        let u = CardUse::of(&posting(EntryKind::Card, -15_000, "해외 USD 10.50")).unwrap();
        assert_eq!(u.status, UseStatus::Approved);
        assert_eq!((u.amount, u.signed()), (15_000, 15_000));
        assert_eq!(u.memo.overseas, Some(("USD".into(), 1050)));
        assert_eq!(u.merchant().unwrap().country, Some("US"));
        assert_eq!(u.approved_num(), "000000000042");
        let r = CardUse::of(&posting(EntryKind::Refund, 5_000, "일시불")).unwrap();
        assert_eq!((r.status, r.signed()), (UseStatus::Cancelled, -5_000));
        // The bill payment credits the card: not a use.
        assert!(CardUse::of(&posting(EntryKind::Transfer, 90_000, "카드대금")).is_none());
        assert!(CardUse::of(&posting(EntryKind::Card, 90_000, "")).is_none());
        // An untyped memo is a lump sum at home.
        let plain = CardUse::of(&posting(EntryKind::Card, -1, "아무말")).unwrap();
        assert_eq!(plain.memo, CardMemo::lump_sum());
        assert_eq!(plain.instalments(), None);
    }

    #[test]
    fn days_are_kst_days() {
        let at = Utc.with_ymd_and_hms(2026, 11, 30, 16, 0, 1).unwrap();
        assert_eq!(kst_date(at), NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        assert_eq!(org8("BA00000088"), "00000088");
    }

    #[test]
    fn bare_cards_get_a_masked_number() {
        assert_eq!(mask("94101234567890123456"), "9410-12**-****-3456");
        assert_eq!(mask("12"), "1200-00**-****-1200");
    }
}
