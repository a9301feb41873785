//! Recovery of money requests a dead process left half-done. A request
//! claims its move, moves the money under the move's key, then writes the
//! card's history row and the move's outcome: a process killed between the
//! ledger and the outcome leaves the money moved, R6 short of it and R4
//! PENDING until the client retries, which it may never do. A pass takes
//! over every move unfinished for longer than the grace and finishes it
//! from what the ledger kept under its key: applied, the rows the request
//! would have written; refused, that refusal; nothing, a refusal kept
//! under the key first, so the request can never apply later.
//!
//! Every write is keyed (the history row by (project, nrNumber, cancel),
//! the refund by the charge, the move by its key): a second pass, or a
//! retry of the request beside it, writes nothing twice.

use super::recharge::{approval_code, Line};
use super::*;
use crate::ledger::Applied;

/// How long (real time) a move may run before a pass takes it over: a live
/// request may still be on its way to the ledger (the exchange's stale
/// claims alike).
pub const RECOVER_GRACE_SECS: i64 = 30;

/// Most moves one pass takes: every R- and P-call runs one.
const BATCH: usize = 16;

/// The refusal a pass keeps under the key of a move that never reached
/// the ledger: the request's own entry then meets `IdempotencyMismatch`.
pub const RECOVERED_RULE: RuleId = RuleId(5);

/// What a pass did.
#[derive(Debug, Default)]
pub struct Recovery {
    pub completed: usize,
    pub failed: usize,
    /// `project:key: why` of moves left pending: a pass after the grace
    /// tries them again.
    pub errors: Vec<String>,
}

/// What the request would have written after its entry applied.
struct Writes {
    tr_type: &'static str,
    is_cancel: bool,
    nr: String,
    delta: i64,
    amount: i64,
    name: String,
    approval: bool,
    counter: Option<String>,
    refund: Option<Refund>,
}

impl Kona {
    /// Finish every move of every project claimed longer than the grace
    /// ago and still pending.
    pub async fn recover_moves(&self) -> KonaResult<Recovery> {
        let now = self.real.now();
        let stale = now - Duration::seconds(RECOVER_GRACE_SECS);
        let mut done = Recovery::default();
        for m in self.repo.stale_moves(stale, BATCH).await? {
            let (pid, key) = (m.project_id.clone(), m.request_key.clone());
            // The retake is the lease: of two passes, one finishes the move.
            if !self.repo.retake_move(&pid, &key, stale, now).await? {
                continue;
            }
            match self.recover_move(m).await {
                Ok(MoveResult::Completed) => done.completed += 1,
                Ok(_) => done.failed += 1,
                Err(e) => done.errors.push(format!("{pid}:{key}: {e}")),
            }
        }
        Ok(done)
    }

    /// The pass at the start of an R- or P-call. Best effort: a store error
    /// here must not refuse the call, and what is left the next pass takes.
    pub async fn recover_in_passing(&self) {
        let _ = self.recover_moves().await;
    }

    async fn recover_move(&self, m: Move) -> KonaResult<MoveResult> {
        let scope = format!("kona:{}", m.project_id);
        let outcome = match self.world.repo.outcome(&scope, &m.request_key).await? {
            Some(o) => o,
            None => self.bar_key(&m, scope).await?,
        };
        match outcome.result {
            Ok(applied) => self.complete_recovered(m, &applied, outcome.at).await,
            Err(r) => self.fail_recovered(m, &r).await,
        }
    }

    /// Keep a refusal as the key's outcome unless it has one: the key's
    /// first outcome then (the request's entry may have just got there).
    async fn bar_key(&self, m: &Move, scope: String) -> KonaResult<TransferOutcome> {
        let req = TransferRequest {
            scope,
            key: m.request_key.clone(),
            at: self.world.clock.now(),
            kind: EntryKind::Transfer,
            legs: vec![],
            limits: vec![],
            meta: serde_json::json!({ "nrNumber": m.nr_number }),
        };
        let refused = Rejection::Refused {
            rule: RECOVERED_RULE,
        };
        match self.world.refuse(&req, refused).await {
            Ok(o) => Ok(o),
            Err(crate::CoreError::IdempotencyMismatch) => {
                let kept = self.world.repo.outcome(&req.scope, &req.key).await?;
                let gone = || crate::CoreError::Internal("an outcome vanished".into());
                Ok(kept.ok_or_else(gone)?)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// FAILED with the refusal the request would have answered; a cancel
    /// gives its charge or payment back to be cancelled.
    async fn fail_recovered(&self, mut m: Move, r: &Rejection) -> KonaResult<MoveResult> {
        let refusal = match r {
            Rejection::Refused { rule } if *rule == RECOVERED_RULE => Refusal::WithdrawFailed,
            Rejection::InsufficientFunds { .. } if m.kind == MoveKind::Cancel => {
                Refusal::BalanceBelowCancel
            }
            r => refusal_of_rejection(r, m.kind == MoveKind::Pay),
        };
        if let Some(orig) = self.original(&m).await? {
            let (pid, by) = (&m.project_id, &m.request_key);
            self.repo.unmark_cancel(pid, &orig.request_key, by).await?;
        }
        m.result = MoveResult::Failed;
        m.refusal = refusal_tag(&refusal);
        self.repo.finish_move(&m).await?;
        Ok(MoveResult::Failed)
    }

    /// The rows and outcome the request would have written, from its entry.
    async fn complete_recovered(
        &self,
        m: Move,
        applied: &Applied,
        at: DateTime<Utc>,
    ) -> KonaResult<MoveResult> {
        let card = self.card_of_entry(&m.project_id, applied).await?;
        let posting = |mine: bool| {
            (applied.postings.iter()).find(|p| (p.account_id == card.account_id) == mine)
        };
        let after = posting(true).map(|p| p.balance_after_minor);
        let after = after.unwrap_or_default();
        let other = posting(false).map(|p| p.account_id.clone());
        let w = self.writes_of(&m, other, at).await?;
        if let Some(r) = &w.refund {
            self.repo.insert_refund(r).await?;
        }
        let line = Line {
            tr_type: w.tr_type,
            is_cancel: w.is_cancel,
            nr: &w.nr,
            delta: w.delta,
            after,
            merchant_name: &w.name,
        };
        self.record_at(&m, &card, line, at).await?;
        let done = Move {
            result: MoveResult::Completed,
            user_id: card.user_id,
            par: Some(card.par.to_string()),
            amount_minor: w.amount,
            counter_account: w.counter,
            approval_code: w.approval.then(|| approval_code(&m.nr_number)),
            balance_after: Some(after),
            ..m
        };
        self.repo.finish_move(&done).await?;
        Ok(MoveResult::Completed)
    }

    /// Per kind, as `run_charge`, `cancel_movement`, `run_system`, `run_pay`
    /// and `pay_back` write them.
    async fn writes_of(
        &self,
        m: &Move,
        other: Option<String>,
        at: DateTime<Utc>,
    ) -> KonaResult<Writes> {
        let mut w = Writes {
            tr_type: if matches!(m.kind, MoveKind::Pay | MoveKind::PayCancel) {
                "00"
            } else {
                "01"
            },
            is_cancel: matches!(m.kind, MoveKind::Cancel | MoveKind::PayCancel),
            nr: m.nr_number.clone(),
            delta: m.amount_minor,
            amount: m.amount_minor,
            name: super::super::PLATFORM_NAME.to_owned(),
            approval: matches!(m.kind, MoveKind::Charge | MoveKind::Pay),
            counter: other,
            refund: None,
        };
        let pid = &m.project_id;
        match m.kind {
            MoveKind::System => {}
            MoveKind::Charge => w.name = self.merchant_name(pid, m.merchant_id.as_deref()).await?,
            MoveKind::Pay => {
                w.delta = -m.amount_minor;
                w.name = self.merchant_name(pid, m.merchant_id.as_deref()).await?;
            }
            MoveKind::Cancel => {
                let charge = self.original(m).await?.ok_or(Refusal::RechargeNotFound)?;
                let bank = charge.counter_account.clone();
                (w.nr, w.delta, w.amount) =
                    (charge.nr_number, -charge.amount_minor, charge.amount_minor);
                w.counter = None;
                w.refund = Some(Refund {
                    project_id: pid.clone(),
                    nr_number: w.nr.clone(),
                    account_id: bank.ok_or(Refusal::RechargeNotFound)?,
                    amount_minor: w.amount,
                    due_at: next_kst_midnight(at),
                });
            }
            MoveKind::PayCancel => {
                let payment =
                    (self.original(m).await?).ok_or_else(|| Refusal::invalid("nrNumber"))?;
                (w.nr, w.delta) = (payment.nr_number, payment.amount_minor);
                w.name = self
                    .merchant_name(pid, payment.merchant_id.as_deref())
                    .await?;
            }
        }
        Ok(w)
    }

    /// A cancel's charge or payment.
    async fn original(&self, m: &Move) -> KonaResult<Option<Move>> {
        let kind = match m.kind {
            MoveKind::Cancel => MoveKind::Charge,
            MoveKind::PayCancel => MoveKind::Pay,
            _ => return Ok(None),
        };
        let nr = m.orig_nr.as_deref().unwrap_or(&m.nr_number);
        Ok(self.repo.move_by_nr(&m.project_id, kind, nr).await?)
    }

    /// The card an entry moved: the posting whose account is a card's.
    async fn card_of_entry(&self, project_id: &str, applied: &Applied) -> KonaResult<Card> {
        for p in &applied.postings {
            if let Some(c) = self.repo.card_by_account(project_id, &p.account_id).await? {
                return Ok(c);
            }
        }
        Err(Refusal::CardInfo)
    }

    async fn merchant_name(&self, project_id: &str, id: Option<&str>) -> KonaResult<String> {
        let m = self.merchant(project_id, id.unwrap_or("")).await?;
        Ok(m.map(|x| x.merchant_name).unwrap_or_default())
    }
}
