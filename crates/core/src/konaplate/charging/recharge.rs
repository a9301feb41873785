//! Charges (R2), their cancels (R3), results (R4), system recharges (R5)
//! and the card history (R6).

use super::*;
use crate::payments::Rule;
use chrono::NaiveDate;

/// R2 as the face read it.
#[derive(Debug, Clone)]
pub struct ChargeRequest<'a> {
    pub project_id: &'a str,
    pub user_id: UserId,
    pub sequence_id: &'a str,
    pub amount_minor: i64,
    pub token: &'a str,
    pub dcvv: &'a str,
    pub merchant_id: &'a str,
}

/// R3 as the face read it.
#[derive(Debug, Clone)]
pub struct ChargeCancel<'a> {
    pub project_id: &'a str,
    pub user_id: UserId,
    pub sequence_id: &'a str,
    pub nr_number: &'a str,
    pub token: &'a str,
    pub dcvv: Option<&'a str>,
}

/// R5: an operator's recharge of a card from the platform's own account
/// (a compensation or a promotion), under the caller's `sequenceId`.
#[derive(Debug, Clone)]
pub struct SystemRecharge<'a> {
    pub project_id: &'a str,
    pub user_id: UserId,
    pub par: &'a str,
    pub sequence_id: &'a str,
    pub amount_minor: i64,
}

/// R6's question.
#[derive(Debug, Clone)]
pub struct HistoryQuery<'a> {
    pub project_id: &'a str,
    pub user_id: UserId,
    pub par: Option<&'a str>,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// 0-based.
    pub page: usize,
    pub page_size: usize,
    pub ascending: bool,
}

/// R6's answer: the page's rows, each with what of it can still be
/// cancelled, and the number of pages.
#[derive(Debug, Clone)]
pub struct History {
    pub rows: Vec<(CardTxn, i64)>,
    pub total_pages: usize,
}

/// A stable 8-digit approval code of a transaction number.
pub fn approval_code(nr: &str) -> String {
    let d = Sha256::digest(nr.as_bytes());
    d.iter()
        .take(8)
        .map(|b| char::from(b'0' + b % 10))
        .collect()
}

fn seq_key(seq: &str) -> String {
    format!("seq:{seq}")
}

/// A card history line after an applied movement.
pub(super) struct Line<'a> {
    pub tr_type: &'static str,
    pub is_cancel: bool,
    pub nr: &'a str,
    pub delta: i64,
    pub after: i64,
    pub merchant_name: &'a str,
}

impl Kona {
    /// Move `m`'s money (`mv`, on `card`) and, once the ledger applied it, write the card's
    /// history line (`line` of the balance after); answers that balance. A
    /// refusal of the ledger is what `refused` makes of it.
    pub(super) async fn apply<'l>(
        &self,
        m: &Move,
        (card, mv): (&Card, Movement),
        line: impl FnOnce(i64) -> Line<'l>,
        refused: impl FnOnce(&Rejection) -> Refusal,
    ) -> KonaResult<i64> {
        let o = self.move_money(m, mv).await?;
        if let Err(r) = &o.result {
            return Err(refused(r));
        }
        let after = balance_after(&o, &card.account_id).unwrap_or_default();
        self.record(m, card, line(after)).await?;
        Ok(after)
    }

    pub(super) async fn record(&self, m: &Move, card: &Card, l: Line<'_>) -> KonaResult<()> {
        self.record_at(m, card, l, self.world.clock.now()).await
    }

    /// The history row of `l`, dated `at` (recovery dates it by the entry).
    pub(super) async fn record_at(
        &self,
        m: &Move,
        card: &Card,
        l: Line<'_>,
        at: DateTime<Utc>,
    ) -> KonaResult<()> {
        let t = CardTxn {
            project_id: m.project_id.clone(),
            par: card.par.to_string(),
            user_id: card.user_id,
            nr_number: l.nr.to_owned(),
            tr_type: l.tr_type,
            is_cancel: l.is_cancel,
            amount_minor: l.delta.abs(),
            balance_before: l.after - l.delta,
            balance_after: l.after,
            approval_code: approval_code(l.nr),
            merchant_name: l.merchant_name.to_owned(),
            at,
        };
        Ok(self.repo.insert_txn(&t).await?)
    }

    /// R2: one movement from the registered bank account into the card.
    pub async fn charge(&self, q: ChargeRequest<'_>) -> KonaResult<Move> {
        self.recover_in_passing().await;
        self.settle_refunds().await?;
        self.member(q.project_id, q.user_id).await?;
        let merchant = (self.merchant(q.project_id, q.merchant_id).await?)
            .ok_or_else(|| Refusal::invalid("merchantId"))?;
        let m = match self.claim_move(Self::charge_move(&q), "sequenceId").await? {
            Claimed::Done(first) => return Self::answer(first),
            Claimed::Run(m) => m,
        };
        let out = self.run_charge(&m, &q, &merchant.merchant_name).await;
        self.finish_move(m, out).await
    }

    /// R2's move, as claimed.
    pub fn charge_move<'a>(q: &ChargeRequest<'a>) -> NewMove<'a> {
        let (uid, amt) = (q.user_id.to_string(), q.amount_minor.to_string());
        NewMove {
            project_id: q.project_id,
            key: seq_key(q.sequence_id),
            kind: MoveKind::Charge,
            user_id: q.user_id,
            fingerprint: fingerprint(&["charge", &uid, &amt, q.token, q.dcvv, q.merchant_id]),
            amount_minor: q.amount_minor,
            orig_nr: None,
            merchant_id: Some(q.merchant_id.to_owned()),
        }
    }

    async fn run_charge(&self, m: &Move, q: &ChargeRequest<'_>, name: &str) -> KonaResult<Move> {
        let (card, bank_id, mv) = self.charge_movement(m, q).await?;
        let line = |after| Line {
            tr_type: "01",
            is_cancel: false,
            nr: &m.nr_number,
            delta: q.amount_minor,
            after,
            merchant_name: name,
        };
        let refused = |r: &Rejection| refusal_of_rejection(r, false);
        let after = self.apply(m, (&card, mv), line, refused).await?;
        Ok(Move {
            par: Some(card.par.to_string()),
            counter_account: Some(bank_id),
            approval_code: Some(approval_code(&m.nr_number)),
            balance_after: Some(after),
            ..m.clone()
        })
    }

    /// R2 up to the ledger: the card (its token used up for `m`), the bank
    /// account and the movement. Public for the crash tests, which stop here.
    pub async fn charge_movement(
        &self,
        m: &Move,
        q: &ChargeRequest<'_>,
    ) -> KonaResult<(Card, String, Movement)> {
        let bank = self.charge_account(q.project_id, q.user_id).await?;
        let card = (self)
            .take_token(&TokenUse {
                project_id: q.project_id,
                token: q.token,
                dcvv: Some(q.dcvv),
                user_id: Some(q.user_id),
                key: &m.request_key,
            })
            .await?;
        let account = self.world.account(&bank.account_id).await?;
        let inst = self.world.institution(&account.org_code).await?;
        let amount = q.amount_minor;
        let (card_leg, cap) = card_side(&card, amount, "계좌충전", &inst.name);
        let mv = Movement {
            kind: EntryKind::Charge,
            legs: vec![
                kona_leg(
                    &account.account_id,
                    -amount,
                    "코나충전",
                    super::super::PLATFORM_NAME,
                ),
                card_leg,
            ],
            limits: vec![cap],
            rules: vec![
                Rule::InstitutionAvailable {
                    org_code: inst.org_code.clone(),
                    status: inst.status,
                },
                Rule::AccountActive {
                    account_id: account.account_id.clone(),
                    status: account.status,
                },
            ],
        };
        Ok((card, account.account_id, mv))
    }

    /// R3: the charge's amount off the card at once (into the platform's
    /// account); its refund reaches the bank account at 00:00 KST next day.
    pub async fn cancel_charge(&self, q: ChargeCancel<'_>) -> KonaResult<Move> {
        self.recover_in_passing().await;
        self.settle_refunds().await?;
        self.member(q.project_id, q.user_id).await?;
        let m = match self.claim_move(Self::cancel_move(&q), "sequenceId").await? {
            Claimed::Done(first) => return Self::answer(first),
            Claimed::Run(m) => m,
        };
        let out = self.run_cancel(&m, &q).await;
        self.finish_move(m, out).await
    }

    /// R3's move, as claimed.
    pub fn cancel_move<'a>(q: &ChargeCancel<'a>) -> NewMove<'a> {
        let uid = q.user_id.to_string();
        let dcvv = q.dcvv.unwrap_or_default();
        NewMove {
            project_id: q.project_id,
            key: seq_key(q.sequence_id),
            kind: MoveKind::Cancel,
            user_id: q.user_id,
            fingerprint: fingerprint(&["cancel", &uid, q.nr_number, q.token, dcvv]),
            amount_minor: 0,
            orig_nr: Some(q.nr_number.to_owned()),
            merchant_id: None,
        }
    }

    async fn run_cancel(&self, m: &Move, q: &ChargeCancel<'_>) -> KonaResult<Move> {
        let (charge, card) = self.cancel_target(m, q).await?;
        let (pid, target) = (q.project_id, charge.request_key.as_str());
        if !self.repo.mark_cancel(pid, target, &m.request_key).await? {
            return Err(Refusal::AlreadyCancelled);
        }
        let out = self.cancel_money(m, &charge, &card).await;
        if out.is_err() {
            self.repo.unmark_cancel(pid, target, &m.request_key).await?;
        }
        out
    }

    /// The completed charge R3 names and its card (the token used up for
    /// `m`). Public for the crash tests.
    pub async fn cancel_target(&self, m: &Move, q: &ChargeCancel<'_>) -> KonaResult<(Move, Card)> {
        let charge = (self.repo)
            .move_by_nr(q.project_id, MoveKind::Charge, q.nr_number)
            .await?
            .filter(|c| c.user_id == q.user_id && c.result == MoveResult::Completed)
            .ok_or(Refusal::RechargeNotFound)?;
        let card = (self)
            .take_token(&TokenUse {
                project_id: q.project_id,
                token: q.token,
                dcvv: q.dcvv,
                user_id: Some(q.user_id),
                key: &m.request_key,
            })
            .await?;
        if charge.par.as_deref() != Some(card.par.as_str()) {
            return Err(Refusal::invalid("oneTimeToken"));
        }
        Ok((charge, card))
    }

    /// The charge's amount off the card into the platform's account.
    pub async fn cancel_movement(&self, charge: &Move, card: &Card) -> KonaResult<Movement> {
        let amount = charge.amount_minor;
        let settle = self.platform_settlement().await?;
        let platform = super::super::PLATFORM_NAME;
        let (card_leg, lim) = card_side(card, -amount, "충전취소", platform);
        Ok(Movement {
            kind: EntryKind::Refund,
            legs: vec![
                card_leg,
                kona_leg(&settle.account_id, amount, "충전취소", platform),
            ],
            limits: vec![lim],
            rules: vec![],
        })
    }

    async fn cancel_money(&self, m: &Move, charge: &Move, card: &Card) -> KonaResult<Move> {
        let amount = charge.amount_minor;
        let bank_id = (charge.counter_account.clone()).ok_or(Refusal::RechargeNotFound)?;
        let platform = super::super::PLATFORM_NAME;
        let mv = self.cancel_movement(charge, card).await?;
        let line = |after| Line {
            tr_type: "01",
            is_cancel: true,
            nr: &charge.nr_number,
            delta: -amount,
            after,
            merchant_name: platform,
        };
        let refused = |r: &Rejection| match r {
            Rejection::InsufficientFunds { .. } => Refusal::BalanceBelowCancel,
            r => refusal_of_rejection(r, false),
        };
        let after = self.apply(m, (card, mv), line, refused).await?;
        // The refund is stored once the money is off the card (recovery
        // stores it too, for a cancel killed in between: insert is idempotent).
        let refund = Refund {
            project_id: m.project_id.clone(),
            nr_number: charge.nr_number.clone(),
            account_id: bank_id,
            amount_minor: amount,
            due_at: next_kst_midnight(self.world.clock.now()),
        };
        self.repo.insert_refund(&refund).await?;
        Ok(Move {
            par: Some(card.par.to_string()),
            amount_minor: amount,
            balance_after: Some(after),
            ..m.clone()
        })
    }

    /// R4: a charge's, cancel's or system recharge's move by its sequenceId.
    pub async fn recharge_result(&self, project_id: &str, seq: &str) -> KonaResult<Move> {
        self.recover_in_passing().await;
        self.settle_refunds().await?;
        (self.repo.move_by_key(project_id, &seq_key(seq)).await?)
            .filter(|m| {
                matches!(
                    m.kind,
                    MoveKind::Charge | MoveKind::Cancel | MoveKind::System
                )
            })
            .ok_or(Refusal::RechargeNotFound)
    }

    /// R5: money from the platform's account into a card of the member,
    /// within the card's cap; answers the move and the card's cap.
    pub async fn system_recharge(&self, q: SystemRecharge<'_>) -> KonaResult<(Move, i64)> {
        self.recover_in_passing().await;
        self.member(q.project_id, q.user_id).await?;
        let card = self.card_of(q.project_id, q.user_id, q.par).await?;
        let amt = q.amount_minor.to_string();
        let n = NewMove {
            project_id: q.project_id,
            key: seq_key(q.sequence_id),
            kind: MoveKind::System,
            user_id: q.user_id,
            fingerprint: fingerprint(&["system", &q.user_id.to_string(), q.par, &amt]),
            amount_minor: q.amount_minor,
            orig_nr: None,
            merchant_id: None,
        };
        let m = match self.claim_move(n, "sequenceId").await? {
            Claimed::Done(first) => return Ok((Self::answer(first)?, card.max_balance_minor())),
            Claimed::Run(m) => m,
        };
        let out = self.run_system(&m, &card).await;
        Ok((self.finish_move(m, out).await?, card.max_balance_minor()))
    }

    async fn run_system(&self, m: &Move, card: &Card) -> KonaResult<Move> {
        if card.status != CardStatus::Active {
            return Err(Refusal::CardNotActive);
        }
        let settle = self.platform_settlement().await?;
        let platform = super::super::PLATFORM_NAME;
        let (card_leg, cap) = card_side(card, m.amount_minor, "시스템충전", platform);
        let mv = Movement {
            kind: EntryKind::Charge,
            legs: vec![
                kona_leg(&settle.account_id, -m.amount_minor, "시스템충전", platform),
                card_leg,
            ],
            limits: vec![cap],
            rules: vec![],
        };
        let line = |after| Line {
            tr_type: "01",
            is_cancel: false,
            nr: &m.nr_number,
            delta: m.amount_minor,
            after,
            merchant_name: platform,
        };
        let refused = |r: &Rejection| refusal_of_rejection(r, false);
        let after = self.apply(m, (card, mv), line, refused).await?;
        Ok(Move {
            par: Some(card.par.to_string()),
            counter_account: Some(settle.account_id),
            balance_after: Some(after),
            ..m.clone()
        })
    }

    /// R6: the rows of one card (or every card of the member) between two
    /// world dates, inclusive, sorted by time, one page of them.
    pub async fn history(&self, q: HistoryQuery<'_>) -> KonaResult<History> {
        self.recover_in_passing().await;
        self.settle_refunds().await?;
        self.member(q.project_id, q.user_id).await?;
        let pars: Vec<String> = match q.par {
            Some(par) => vec![self
                .card_of(q.project_id, q.user_id, par)
                .await?
                .par
                .to_string()],
            None => (self
                .repo
                .cards_of(q.project_id, q.user_id)
                .await?
                .into_iter())
            .map(|c| c.par.to_string())
            .collect(),
        };
        let day = |d: NaiveDate| {
            kst()
                .from_local_datetime(&d.and_time(NaiveTime::MIN))
                .single()
                .map(|t| t.with_timezone(&Utc))
        };
        let (Some(from), Some(to)) = (day(q.start), day(q.end + Duration::days(1))) else {
            return Err(Refusal::invalid("startDate"));
        };
        let mut all = self.repo.txns(q.project_id, &pars, from, to).await?;
        if !q.ascending {
            all.reverse();
        }
        let total_pages = all.len().div_ceil(q.page_size);
        let mut rows = Vec::new();
        for t in all.into_iter().skip(q.page * q.page_size).take(q.page_size) {
            let cancelable = self.cancelable(&t).await?;
            rows.push((t, cancelable));
        }
        Ok(History { rows, total_pages })
    }

    /// What of a charge row can still be cancelled (0 for other rows).
    async fn cancelable(&self, t: &CardTxn) -> KonaResult<i64> {
        if t.tr_type != "01" || t.is_cancel {
            return Ok(0);
        }
        let m = (self.repo)
            .move_by_nr(&t.project_id, MoveKind::Charge, &t.nr_number)
            .await?;
        Ok(match m {
            Some(m) if m.cancelled_by.is_none() => t.amount_minor,
            _ => 0,
        })
    }
}
