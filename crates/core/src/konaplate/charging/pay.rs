//! No-HCE payments (P2) and their cancels (P3): card → the merchant's
//! settlement account and back. The card's limits (C12) are enforced:
//! `once` before the ledger, `day` and `month` as ledger counters, so two
//! payments at once cannot pass them together.

use super::super::project::Merchant;
use super::recharge::{approval_code, Line};
use super::*;
use crate::payments::Rule;

/// The rule id of the per-payment limit.
pub const PAY_ONCE_RULE: RuleId = RuleId(4);

/// P2 as the face read it.
#[derive(Debug, Clone)]
pub struct PayRequest<'a> {
    pub project_id: &'a str,
    pub token: &'a str,
    pub dcvv: &'a str,
    pub amount_minor: i64,
    pub merchant_id: &'a str,
    pub transaction_id: &'a str,
}

/// P3 as the face read it.
#[derive(Debug, Clone)]
pub struct PayCancel<'a> {
    pub project_id: &'a str,
    pub card_no: &'a str,
    pub amount_minor: i64,
    pub nr_number: &'a str,
    pub merchant_id: &'a str,
}

/// The card's day and month payment counters at `at` (KST), each with
/// its maximum (None when the limit is 0, i.e. none).
fn period_limits(card: &Card, at: DateTime<Utc>, delta: i64) -> Vec<Limit> {
    let local = at.with_timezone(&kst());
    let periods = [
        (
            "day",
            local.format("%Y-%m-%d").to_string(),
            card.limits.day,
            PAY_DAY_RULE,
        ),
        (
            "month",
            local.format("%Y-%m").to_string(),
            card.limits.month,
            PAY_MONTH_RULE,
        ),
    ];
    (periods.into_iter())
        .filter(|(_, _, max, _)| *max > 0)
        .map(|(name, period, max, rule)| Limit {
            counter: format!("kona:pay:{name}:{}", card.par),
            period,
            amount_minor: delta,
            // Money given back lowers the counter whatever the limit is now.
            max_minor: if delta > 0 { max } else { i64::MAX },
            code: rule.tag(),
        })
        .collect()
}

impl Kona {
    /// P2: pay from the card of a one-time token to one of the project's merchants.
    pub async fn pay(&self, q: PayRequest<'_>) -> KonaResult<Move> {
        self.recover_in_passing().await;
        let merchant = (self.merchant(q.project_id, q.merchant_id).await?)
            .ok_or_else(|| Refusal::invalid("merchantId"))?;
        let m = match self.claim_move(Self::pay_move(&q), "transactionId").await? {
            Claimed::Done(first) => return Self::answer(first),
            Claimed::Run(m) => m,
        };
        let out = self.run_pay(&m, &q, &merchant).await;
        self.finish_move(m, out).await
    }

    /// P2's move, as claimed.
    pub fn pay_move<'a>(q: &PayRequest<'a>) -> NewMove<'a> {
        let amt = q.amount_minor.to_string();
        NewMove {
            project_id: q.project_id,
            key: format!("tx:{}", q.transaction_id),
            kind: MoveKind::Pay,
            user_id: UserId(0),
            fingerprint: fingerprint(&["pay", q.token, q.dcvv, &amt, q.merchant_id]),
            amount_minor: q.amount_minor,
            orig_nr: None,
            merchant_id: Some(q.merchant_id.to_owned()),
        }
    }

    async fn run_pay(&self, m: &Move, q: &PayRequest<'_>, merchant: &Merchant) -> KonaResult<Move> {
        let (card, mv) = self.pay_movement(m, q, merchant).await?;
        let line = |after| Line {
            tr_type: "00",
            is_cancel: false,
            nr: &m.nr_number,
            delta: -q.amount_minor,
            after,
            merchant_name: &merchant.merchant_name,
        };
        let refused = |r: &Rejection| refusal_of_rejection(r, true);
        let after = self.apply(m, (&card, mv), line, refused).await?;
        Ok(Move {
            user_id: card.user_id,
            par: Some(card.par.to_string()),
            counter_account: Some(merchant.account_id.clone()),
            approval_code: Some(approval_code(&m.nr_number)),
            balance_after: Some(after),
            ..m.clone()
        })
    }

    /// P2 up to the ledger: the card (its token used up for `m`) and the
    /// movement. Public for the crash tests, which stop here.
    pub async fn pay_movement(
        &self,
        m: &Move,
        q: &PayRequest<'_>,
        merchant: &Merchant,
    ) -> KonaResult<(Card, Movement)> {
        let card = (self)
            .take_token(&TokenUse {
                project_id: q.project_id,
                token: q.token,
                dcvv: Some(q.dcvv),
                user_id: None,
                key: &m.request_key,
            })
            .await?;
        let amount = q.amount_minor;
        let (card_leg, lim) = card_side(&card, -amount, &merchant.merchant_name, "");
        let mut limits = vec![lim];
        limits.extend(period_limits(&card, m.created_at, amount));
        let rules = match card.limits.once {
            0 => vec![],
            max => vec![Rule::ItemLimit {
                limit: PAY_ONCE_RULE,
                amount_minor: amount,
                max_minor: max,
            }],
        };
        let holder = self.world.account(&card.account_id).await?.holder_name;
        let mv = Movement {
            kind: EntryKind::Card,
            legs: vec![
                card_leg,
                kona_leg(&merchant.account_id, amount, "카드결제", &holder),
            ],
            limits,
            rules,
        };
        Ok((card, mv))
    }

    /// P3: the whole payment back to its card at once. What the request
    /// names is checked before it is claimed, so a mistaken cancel does
    /// not block the right one under the payment's number.
    pub async fn cancel_pay(&self, q: PayCancel<'_>) -> KonaResult<Move> {
        self.recover_in_passing().await;
        let (payment, card) = self.payment_to_cancel(&q).await?;
        let amt = q.amount_minor.to_string();
        let n = NewMove {
            project_id: q.project_id,
            key: format!("pc:{}", q.nr_number),
            kind: MoveKind::PayCancel,
            user_id: card.user_id,
            fingerprint: fingerprint(&["paycancel", q.card_no, &amt, q.merchant_id]),
            amount_minor: q.amount_minor,
            orig_nr: Some(q.nr_number.to_owned()),
            merchant_id: Some(q.merchant_id.to_owned()),
        };
        let m = match self.claim_move(n, "nrNumber").await? {
            Claimed::Done(first) => return Self::answer(first),
            Claimed::Run(m) => m,
        };
        let (pid, target) = (q.project_id, payment.request_key.as_str());
        let out = match self.repo.mark_cancel(pid, target, &m.request_key).await? {
            false => Err(Refusal::AlreadyCancelled),
            true => self.pay_back(&m, &payment, &card).await,
        };
        if out.is_err() {
            self.repo.unmark_cancel(pid, target, &m.request_key).await?;
        }
        self.finish_move(m, out).await
    }

    /// The completed payment of this number, its card, amount and merchant.
    async fn payment_to_cancel(&self, q: &PayCancel<'_>) -> KonaResult<(Move, Card)> {
        let payment = (self.repo)
            .move_by_nr(q.project_id, MoveKind::Pay, q.nr_number)
            .await?
            .filter(|p| p.result == MoveResult::Completed)
            .ok_or_else(|| Refusal::invalid("nrNumber"))?;
        let card = (self.repo.card_by_number(q.project_id, q.card_no).await?)
            .filter(|c| payment.par.as_deref() == Some(c.par.as_str()))
            .ok_or(Refusal::CardInfo)?;
        if q.amount_minor != payment.amount_minor {
            return Err(Refusal::invalid("amount"));
        }
        if payment.merchant_id.as_deref() != Some(q.merchant_id) {
            return Err(Refusal::invalid("merchantId"));
        }
        Ok((payment, card))
    }

    async fn pay_back(&self, m: &Move, payment: &Move, card: &Card) -> KonaResult<Move> {
        let amount = payment.amount_minor;
        let merchant =
            (payment.counter_account.clone()).ok_or_else(|| Refusal::invalid("nrNumber"))?;
        // Money given back is not a charge: no cap, only the counter follows.
        let leg = kona_leg(&card.account_id, amount, "결제취소", "");
        let mut limits = vec![held(&card.account_id, amount, None)];
        limits.extend(period_limits(card, payment.created_at, -amount));
        let mv = Movement {
            kind: EntryKind::Refund,
            legs: vec![kona_leg(&merchant, -amount, "결제취소", ""), leg],
            limits,
            rules: vec![],
        };
        let name = (self
            .merchant(&m.project_id, payment.merchant_id.as_deref().unwrap_or(""))
            .await?)
            .map(|x| x.merchant_name)
            .unwrap_or_default();
        let line = |after| Line {
            tr_type: "00",
            is_cancel: true,
            nr: &payment.nr_number,
            delta: amount,
            after,
            merchant_name: &name,
        };
        let refused = |r: &Rejection| refusal_of_rejection(r, false);
        let after = self.apply(m, (card, mv), line, refused).await?;
        Ok(Move {
            user_id: card.user_id,
            par: Some(card.par.to_string()),
            counter_account: Some(merchant),
            balance_after: Some(after),
            ..m.clone()
        })
    }
}
