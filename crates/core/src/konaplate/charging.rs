//! Charging and paying (R1–R6, P2, P3): one-time tokens, charges from the
//! registered bank account into a card, their cancels, results and history,
//! and payments from a card to a merchant's settlement account.
//!
//! Every request that moves money is a `Move` row keyed by the caller's id
//! (`sequenceId` for R2/R3/R5, `transactionId` for P2, the payment's
//! `nrNumber` for P3), claimed before anything runs: a repeat with the same
//! body gets the first answer, another body `000_002`. The ledger entry is
//! keyed by the same id, so a retry of a request that crashed half-way
//! runs again and still moves the money once. Every movement of a card
//! carries `held`, so the cap is checked inside the ledger writer.
//!
//! A client need not retry: `recover` finishes a move left pending longer
//! than a grace (real time) from what the ledger kept under its key, at the
//! start of every R- and P-call and when the face starts.

use super::bank::kona_leg;
use super::cards::{held, Card, CardStatus};
use super::ids::{self, UserId};
use super::refusal::{KonaResult, Refusal};
use super::Kona;
use crate::clock::kst;
use crate::ledger::{EntryKind, Leg, Limit, Rejection, TransferOutcome, TransferRequest};
use crate::payments::{Payment, RuleId};
use crate::CoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use sha2::{Digest, Sha256};

mod pay;
mod recharge;
mod recover;

pub use pay::{PayCancel, PayRequest};
pub use recharge::{ChargeCancel, ChargeRequest, History, HistoryQuery, SystemRecharge};
pub use recover::{Recovery, RECOVERED_RULE, RECOVER_GRACE_SECS};

/// Token lifetimes (world clock).
pub const TOKEN_SECS: i64 = 30;
pub const TOKEN_LONG_SECS: i64 = 300;

/// Rule ids of the payment limits (C12), read back from the ledger.
pub const PAY_DAY_RULE: RuleId = RuleId(2);
pub const PAY_MONTH_RULE: RuleId = RuleId(3);

/// A one-time token (R1) of a card.
#[derive(Debug, Clone)]
pub struct Token {
    pub project_id: String,
    pub token: String,
    pub dcvv: String,
    pub par: String,
    pub expires_at: DateTime<Utc>,
    /// The request key that used it up.
    pub used_by: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveKind {
    Charge,
    Cancel,
    System,
    Pay,
    PayCancel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveResult {
    Completed,
    Failed,
    Pending,
}

words!(MoveKind { Charge = "charge", Cancel = "cancel", System = "system", Pay = "pay", PayCancel = "pay_cancel" });
words!(MoveResult { Completed = "COMPLETED", Failed = "FAILED", Pending = "PENDING" });

/// One money request of a project, as claimed and as finished.
#[derive(Debug, Clone)]
pub struct Move {
    pub project_id: String,
    /// `seq:<sequenceId>`, `tx:<transactionId>` or `pc:<nrNumber>`.
    pub request_key: String,
    pub kind: MoveKind,
    pub user_id: UserId,
    /// Digest of the request's body: the same id with another body is refused.
    pub fingerprint: String,
    pub nr_number: String,
    /// The card, once known.
    pub par: Option<String>,
    pub amount_minor: i64,
    /// For a cancel: the nrNumber it cancels.
    pub orig_nr: Option<String>,
    pub merchant_id: Option<String>,
    /// The other side of the card: the bank account a charge drew from,
    /// the merchant account a payment paid.
    pub counter_account: Option<String>,
    pub result: MoveResult,
    /// Why it failed, as `refusal_tag` wrote it.
    pub refusal: Option<String>,
    pub approval_code: Option<String>,
    pub balance_after: Option<i64>,
    /// For a charge or payment: the request key of its cancel.
    pub cancelled_by: Option<String>,
    pub created_at: DateTime<Utc>,
    /// When it was claimed or last taken over, in real time (`Kona::real`):
    /// how recovery tells a crashed request from a running one.
    pub claimed_at: DateTime<Utc>,
}

/// One row of a card's history (R6).
#[derive(Debug, Clone)]
pub struct CardTxn {
    pub project_id: String,
    pub par: String,
    pub user_id: UserId,
    /// The original's number, for a cancel too.
    pub nr_number: String,
    /// `01` charge, `00` payment.
    pub tr_type: &'static str,
    pub is_cancel: bool,
    pub amount_minor: i64,
    pub balance_before: i64,
    pub balance_after: i64,
    pub approval_code: String,
    pub merchant_name: String,
    pub at: DateTime<Utc>,
}

/// A cancelled charge's money on its way back to the bank account.
#[derive(Debug, Clone)]
pub struct Refund {
    pub project_id: String,
    /// The charge's nrNumber.
    pub nr_number: String,
    pub account_id: String,
    pub amount_minor: i64,
    pub due_at: DateTime<Utc>,
}

#[async_trait]
pub trait ChargeRepo: Send + Sync {
    async fn insert_token(&self, t: &Token) -> CoreResult<()>;
    async fn token(&self, project_id: &str, token: &str) -> CoreResult<Option<Token>>;
    /// Use the token up for `key` if it is unused and live at `now`, or
    /// already used by `key` (its retry): true if it is `key`'s now.
    async fn use_token(
        &self,
        project_id: &str,
        token: &str,
        key: &str,
        now: DateTime<Utc>,
    ) -> CoreResult<bool>;
    /// False when the project already has a move under this key.
    async fn claim_move(&self, m: &Move) -> CoreResult<bool>;
    async fn move_by_key(&self, project_id: &str, key: &str) -> CoreResult<Option<Move>>;
    async fn move_by_nr(
        &self,
        project_id: &str,
        kind: MoveKind,
        nr: &str,
    ) -> CoreResult<Option<Move>>;
    /// Write the outcome: result, refusal, member, card, amount, counter
    /// account, approval code, balance.
    async fn finish_move(&self, m: &Move) -> CoreResult<()>;
    /// Mark `target`'s move cancelled by `by` unless another cancel has it:
    /// true if it is `by`'s.
    async fn mark_cancel(&self, project_id: &str, target: &str, by: &str) -> CoreResult<bool>;
    async fn unmark_cancel(&self, project_id: &str, target: &str, by: &str) -> CoreResult<()>;
    /// Pending moves of every project claimed before `before`, oldest first.
    async fn stale_moves(&self, before: DateTime<Utc>, limit: usize) -> CoreResult<Vec<Move>>;
    /// Stamp the pending move claimed at `now` if its claim is older than
    /// `stale`: true if it was (of two takers, one wins).
    async fn retake_move(
        &self,
        project_id: &str,
        key: &str,
        stale: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> CoreResult<bool>;
    /// Kept once per (nrNumber, cancel or not).
    async fn insert_txn(&self, t: &CardTxn) -> CoreResult<()>;
    /// The rows of these cards in [from, to), oldest first.
    async fn txns(
        &self,
        project_id: &str,
        pars: &[String],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> CoreResult<Vec<CardTxn>>;
    /// Kept once per charge.
    async fn insert_refund(&self, r: &Refund) -> CoreResult<()>;
    /// Refunds due at `now` and not yet paid, across projects.
    async fn due_refunds(&self, now: DateTime<Utc>) -> CoreResult<Vec<Refund>>;
    async fn refund_paid(&self, project_id: &str, nr: &str, at: DateTime<Utc>) -> CoreResult<()>;
}

/// How a refusal is kept with its move, so a repeat answers it again.
pub fn refusal_tag(r: &Refusal) -> Option<String> {
    use Refusal as R;
    Some(match r {
        R::Invalid(f) => format!("invalid:{f}"),
        R::BankAccountNotFound => "no_account".into(),
        R::LimitExceeded => "limit".into(),
        R::WithdrawFailed => "withdraw".into(),
        R::CardNotActive => "not_active".into(),
        R::AlreadyCancelled => "cancelled".into(),
        R::RechargeNotFound => "not_found".into(),
        R::BalanceBelowCancel => "below".into(),
        R::CardInfo => "card_info".into(),
        R::AmountNotPositive => "zero".into(),
        _ => return None,
    })
}

/// The refusal a kept tag stands for.
pub fn refusal_of(tag: &str) -> Refusal {
    use Refusal as R;
    if let Some(f) = tag.strip_prefix("invalid:") {
        return R::invalid(f);
    }
    match tag {
        "no_account" => R::BankAccountNotFound,
        "limit" => R::LimitExceeded,
        "not_active" => R::CardNotActive,
        "cancelled" => R::AlreadyCancelled,
        "not_found" => R::RechargeNotFound,
        "below" => R::BalanceBelowCancel,
        "card_info" => R::CardInfo,
        "zero" => R::AmountNotPositive,
        _ => R::WithdrawFailed,
    }
}

/// A digest of a request's fields, in order.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    hex::encode(&h.finalize()[..16])
}

/// 00:00 KST of the world day after `now`.
pub fn next_kst_midnight(now: DateTime<Utc>) -> DateTime<Utc> {
    let day = now.with_timezone(&kst()).date_naive() + Duration::days(1);
    let local = day.and_time(NaiveTime::MIN);
    kst()
        .from_local_datetime(&local)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now + Duration::days(1))
}

/// A new move under `key`, pending.
pub struct NewMove<'a> {
    pub project_id: &'a str,
    pub key: String,
    pub kind: MoveKind,
    pub user_id: UserId,
    pub fingerprint: String,
    pub amount_minor: i64,
    pub orig_nr: Option<String>,
    pub merchant_id: Option<String>,
}

/// What a claim found: a move to run, or the first answer to give back.
pub enum Claimed {
    Run(Move),
    Done(Move),
}

impl Kona {
    /// Claim `n.key`: fresh (or pending after a crash) runs; a finished
    /// one is the answer; another body under the key is `000_002 <field>`.
    pub async fn claim_move(&self, n: NewMove<'_>, field: &str) -> KonaResult<Claimed> {
        let now = self.world.clock.now();
        let yymmdd = now.with_timezone(&kst()).format("%y%m%d").to_string();
        let m = Move {
            project_id: n.project_id.to_owned(),
            request_key: n.key,
            kind: n.kind,
            user_id: n.user_id,
            fingerprint: n.fingerprint,
            nr_number: n.orig_nr.clone().unwrap_or_else(|| ids::nr_number(&yymmdd)),
            par: None,
            amount_minor: n.amount_minor,
            orig_nr: n.orig_nr,
            merchant_id: n.merchant_id,
            counter_account: None,
            result: MoveResult::Pending,
            refusal: None,
            approval_code: None,
            balance_after: None,
            cancelled_by: None,
            created_at: now,
            claimed_at: self.real.now(),
        };
        if self.repo.claim_move(&m).await? {
            return Ok(Claimed::Run(m));
        }
        let first = (self.repo.move_by_key(&m.project_id, &m.request_key).await?)
            .ok_or_else(|| Refusal::invalid(field))?;
        if first.fingerprint != m.fingerprint || first.kind != m.kind {
            return Err(Refusal::invalid(field));
        }
        Ok(match first.result {
            MoveResult::Pending => {
                // A live retry: recovery leaves the move alone a while more.
                let (key, at) = (&first.request_key, m.claimed_at);
                let later = at + Duration::seconds(1);
                (self.repo.retake_move(&m.project_id, key, later, at)).await?;
                Claimed::Run(first)
            }
            _ => Claimed::Done(first),
        })
    }

    /// Keep a move's outcome: a business refusal fails it (and is the
    /// answer to every repeat); a store error leaves it pending to rerun.
    pub async fn finish_move(&self, mut m: Move, out: KonaResult<Move>) -> KonaResult<Move> {
        match out {
            Ok(done) => {
                let done = Move {
                    result: MoveResult::Completed,
                    ..done
                };
                self.repo.finish_move(&done).await?;
                Ok(done)
            }
            Err(r) => {
                let Some(tag) = refusal_tag(&r) else {
                    return Err(r);
                };
                m.result = MoveResult::Failed;
                m.refusal = Some(tag);
                self.repo.finish_move(&m).await?;
                Err(r)
            }
        }
    }

    /// A finished move as its answer: itself, or its refusal again.
    pub fn answer(m: Move) -> KonaResult<Move> {
        match (m.result, &m.refusal) {
            (MoveResult::Failed, Some(tag)) => Err(refusal_of(tag)),
            (MoveResult::Failed, None) => Err(Refusal::WithdrawFailed),
            _ => Ok(m),
        }
    }

    /// R1: a token of the card (`003_001` unknown, `003_023` not active).
    pub async fn issue_token(
        &self,
        project_id: &str,
        card_no: &str,
        long: bool,
    ) -> KonaResult<Token> {
        self.recover_in_passing().await;
        let card =
            (self.repo.card_by_number(project_id, card_no).await?).ok_or(Refusal::CardInfo)?;
        if card.status != CardStatus::Active {
            return Err(Refusal::CardNotActive);
        }
        let life = if long { TOKEN_LONG_SECS } else { TOKEN_SECS };
        let t = Token {
            project_id: project_id.to_owned(),
            token: ids::digits_of(16),
            dcvv: ids::digits_of(3),
            par: card.par.to_string(),
            expires_at: self.world.clock.now() + Duration::seconds(life),
            used_by: None,
        };
        self.repo.insert_token(&t).await?;
        Ok(t)
    }

    /// The card of a live, unused token with its dcvv, used up for `key`
    /// (its retry may use it again). A token of another member, or any
    /// mismatch, is `000_002 oneTimeToken`.
    pub async fn take_token(&self, q: &TokenUse<'_>) -> KonaResult<Card> {
        let bad = || Refusal::invalid("oneTimeToken");
        let t = (self.repo.token(q.project_id, q.token).await?).ok_or_else(bad)?;
        if q.dcvv.is_some_and(|d| d != t.dcvv) {
            return Err(bad());
        }
        let card = (self.repo.card(q.project_id, &t.par).await?).ok_or_else(bad)?;
        if q.user_id.is_some_and(|u| u != card.user_id) {
            return Err(bad());
        }
        if card.status != CardStatus::Active {
            return Err(Refusal::CardNotActive);
        }
        let now = self.world.clock.now();
        if !(self.repo)
            .use_token(q.project_id, q.token, q.key, now)
            .await?
        {
            return Err(bad());
        }
        Ok(card)
    }

    /// Move money with the rules of a platform movement; keyed per project.
    pub async fn move_money(&self, m: &Move, mv: Movement) -> KonaResult<TransferOutcome> {
        let transfer = TransferRequest {
            scope: format!("kona:{}", m.project_id),
            key: m.request_key.clone(),
            at: self.world.clock.now(),
            kind: mv.kind,
            legs: mv.legs,
            limits: mv.limits,
            meta: serde_json::json!({ "nrNumber": m.nr_number }),
        };
        let p = Payment {
            transfer,
            rules: mv.rules,
            log: None,
        };
        match self.world.pay(p).await {
            Ok(o) => Ok(o),
            // The key moved other money once: this request is not that one.
            Err(crate::CoreError::IdempotencyMismatch) => Err(Refusal::WithdrawFailed),
            Err(e) => Err(e.into()),
        }
    }

    /// Pay out refunds whose time has come (00:00 KST after their cancel),
    /// each once under its own key. A bank in outage keeps its refund due.
    pub async fn settle_refunds(&self) -> KonaResult<usize> {
        let now = self.world.clock.now();
        let mut paid = 0;
        for r in self.repo.due_refunds(now).await? {
            let account = self.world.account(&r.account_id).await?;
            let inst = self.world.institution(&account.org_code).await?;
            if !inst.status.is_available() {
                continue;
            }
            let settle = self.platform_settlement().await?;
            let transfer = TransferRequest {
                scope: format!("kona:{}", r.project_id),
                key: format!("refund:{}", r.nr_number),
                at: r.due_at,
                kind: EntryKind::Refund,
                legs: vec![
                    kona_leg(
                        &settle.account_id,
                        -r.amount_minor,
                        "충전취소",
                        &account.holder_name,
                    ),
                    kona_leg(
                        &r.account_id,
                        r.amount_minor,
                        "코나충전취소",
                        super::PLATFORM_NAME,
                    ),
                ],
                limits: vec![],
                meta: serde_json::json!({ "nrNumber": r.nr_number }),
            };
            // A refused refund (the account was closed since) keeps the
            // money at the platform and stays due: nothing is lost.
            if self.world.transfer(transfer).await?.result.is_ok() {
                (self.repo)
                    .refund_paid(&r.project_id, &r.nr_number, now)
                    .await?;
                paid += 1;
            }
        }
        Ok(paid)
    }
}

/// What `take_token` checks.
pub struct TokenUse<'a> {
    pub project_id: &'a str,
    pub token: &'a str,
    pub dcvv: Option<&'a str>,
    /// The member the card must be of, when the request names one.
    pub user_id: Option<UserId>,
    pub key: &'a str,
}

/// A movement: its kind, legs, ledger limits and rules before the ledger.
pub struct Movement {
    pub kind: EntryKind,
    pub legs: Vec<Leg>,
    pub limits: Vec<Limit>,
    pub rules: Vec<crate::payments::Rule>,
}

/// How a refused movement answers: a cap or a payment limit `007_003`,
/// anything about the paying side `007_004`.
pub fn refusal_of_rejection(r: &Rejection, card_pays: bool) -> Refusal {
    match RuleId::of(r) {
        // The cap (CAP_RULE) and the payment limits.
        Some(_) => Refusal::LimitExceeded,
        None if card_pays && matches!(r, Rejection::InsufficientFunds { .. }) => {
            Refusal::LimitExceeded
        }
        None => Refusal::WithdrawFailed,
    }
}

/// The balance an applied entry left on `account_id`.
pub fn balance_after(o: &TransferOutcome, account_id: &str) -> Option<i64> {
    let applied = o.result.as_ref().ok()?;
    (applied.postings.iter())
        .find(|p| p.account_id == account_id)
        .map(|p| p.balance_after_minor)
}

/// The card's leg and its `held` counter, for money into (+) or out of (−) it.
pub fn card_side(card: &Card, delta: i64, memo: &str, other: &str) -> (Leg, Limit) {
    let cap = (delta > 0).then(|| card.max_balance_minor());
    (
        kona_leg(&card.account_id, delta, memo, other),
        held(&card.account_id, delta, cap),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refunds_fall_due_at_the_next_kst_midnight() {
        let t = DateTime::parse_from_rfc3339("2026-12-01T15:30:00Z")
            .unwrap()
            .to_utc();
        // 00:30 KST on the 2nd: due 00:00 KST on the 3rd.
        assert_eq!(
            next_kst_midnight(t).to_rfc3339(),
            "2026-12-02T15:00:00+00:00"
        );
    }

    #[test]
    fn kept_refusals_read_back_as_themselves() {
        for r in [
            Refusal::invalid("oneTimeToken"),
            Refusal::LimitExceeded,
            Refusal::BankAccountNotFound,
            Refusal::AlreadyCancelled,
        ] {
            let tag = refusal_tag(&r).unwrap();
            assert_eq!(refusal_of(&tag).to_string(), r.to_string());
        }
        assert!(refusal_tag(&Refusal::MemberNotFound).is_none());
    }
}
