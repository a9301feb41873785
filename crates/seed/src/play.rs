//! Playing a chunk's movements in time order: what an account cannot cover
//! does not happen, and what happens moves balances and product terms alike.

use crate::catalog::{FUNDS, STOCKS};
use crate::dues;
use crate::chunk::{date_of, month_key, Acct, CardState, Chunk, Event, Move, Prod};
use chrono::{DateTime, Utc};
use finhub_core::ledger::Leg;
use finhub_core::merchant::{CardMemo, LoanMemo, Merchant, TradeMemo, TradeSide};
use finhub_core::money::Currency;
use finhub_core::product::{Holding, RepayMethod};
use finhub_store::BulkEntry;

const SEED_SCOPE: &str = "finhub:seed";
/// Korean time is UTC+9: bills go by the KST date.
pub(crate) const KST_US: i64 = 9 * 3_600_000_000;

fn touches(mv: &Move) -> (usize, Option<usize>) {
    match mv {
        Move::Outside { acct, .. }
        | Move::Interest { acct }
        | Move::Spend { acct, .. }
        | Move::Trade { acct, .. } => (*acct, None),
        Move::Between { from, to, .. } => (*from, Some(*to)),
        Move::CardBill { card, from } => (*card, Some(*from)),
        Move::LoanDraw { loan, to } => (*loan, *to),
        Move::LoanRepay { loan, from } => (*loan, Some(*from)),
        Move::Premium { policy, from } => (*policy, Some(*from)),
        Move::TelecomCharge { contract } => (*contract, None),
        Move::TelecomPay { contract, from } => (*contract, Some(*from)),
        Move::Reward { acct, .. } => (*acct, None),
        Move::PassThrough { pay, from, .. } => (*pay, Some(*from)),
    }
}

/// Statement lines a movement writes on its first account: a payment
/// passing through a payment account writes two there.
fn lines_on_first(mv: &Move) -> u32 {
    match mv {
        Move::PassThrough { .. } => 2,
        _ => 1,
    }
}

/// Keep what fits each account's bound, then play it in time order: a
/// payment the account cannot cover does not happen.
pub(crate) fn play(c: &mut Chunk, events: Vec<Event>, seed: u64, chunk: u64) -> Vec<BulkEntry> {
    let kept = within_bounds(c, events);
    let mut out = Vec::with_capacity(kept.len());
    for (n, e) in kept.into_iter().enumerate() {
        let at = DateTime::<Utc>::from_timestamp_micros(e.at_us).expect("in range");
        let (a, b) = touches(&e.mv);
        // Nothing moves on an account before it is opened (an account opened
        // inside the window misses what was drawn for its earlier days).
        if e.at_us < c.accts[a].opened_us || b.is_some_and(|b| e.at_us < c.accts[b].opened_us) {
            continue;
        }
        let Some(legs) = settle(c, e.mv, e.at_us) else {
            continue;
        };
        c.accts[a].last_us = e.at_us;
        if let Some(b) = b {
            c.accts[b].last_us = e.at_us;
        }
        out.push(BulkEntry {
            scope: SEED_SCOPE.into(),
            key: format!("{seed}:{chunk}:{n}"),
            at,
            kind: e.kind,
            legs,
        });
    }
    out
}

/// The events that fit each account's bound, in time order.
fn within_bounds(c: &mut Chunk, events: Vec<Event>) -> Vec<Event> {
    let mut kept: Vec<Event> = Vec::with_capacity(events.len());
    for e in events {
        let (a, b) = touches(&e.mv);
        let n = lines_on_first(&e.mv);
        let fits = c.accts[a].budget >= n && b.is_none_or(|b| c.accts[b].budget > 0);
        if fits {
            c.accts[a].budget -= n;
            if let Some(b) = b {
                c.accts[b].budget -= 1;
            }
            kept.push(e);
        }
    }
    kept.sort_by_key(|e| e.at_us);
    kept
}

/// Move the chunk's balances for one movement and return its legs, or
/// `None` when the paying account cannot cover it.
fn settle(c: &mut Chunk, mv: Move, at_us: i64) -> Option<Vec<Leg>> {
    match mv {
        Move::Outside {
            acct,
            amount,
            memo,
            counterparty,
        } => {
            let a = &mut c.accts[acct];
            if a.balance + amount < a.floor {
                return None;
            }
            a.balance += amount;
            dues::micro(a, -amount);
            Some(outside_legs(a, amount, memo, counterparty))
        }
        Move::Interest { acct } => interest(&mut c.accts[acct]),
        Move::Between {
            from,
            to,
            amount,
            memo_from,
            memo_to,
        } => {
            let memos = (memo_from, memo_to);
            between(c, (from, to), amount, memos, at_us)
        }
        Move::Spend {
            acct,
            amount,
            merchant,
            memo,
        } => spend(&mut c.accts[acct], amount, merchant, &memo, at_us),
        Move::CardBill { card, from } => card_bill(c, card, from, at_us),
        Move::LoanDraw { loan, to } => loan_draw(c, loan, to),
        Move::LoanRepay { loan, from } => loan_repay(c, loan, from),
        Move::Premium { policy, from } => dues::premium(c, policy, from, at_us),
        Move::TelecomCharge { contract } => dues::telecom_charge(&mut c.accts[contract], at_us),
        Move::TelecomPay { contract, from } => dues::telecom_pay(c, contract, from, at_us),
        Move::Reward { acct, amount } => dues::reward(&mut c.accts[acct], amount),
        Move::PassThrough {
            pay,
            from,
            amount,
            merchant,
        } => dues::pass_through(c, (pay, from), amount, merchant),
        Move::Trade {
            acct,
            side,
            code,
            qty_milli,
            price,
        } => {
            let memo = TradeMemo {
                side,
                code: code.into(),
                qty_milli,
                price_minor: price,
            };
            trade(&mut c.accts[acct], memo)
        }
    }
}

fn interest(a: &mut Acct) -> Option<Vec<Leg>> {
    let Prod::Deposit(t) = &a.prod else {
        return None;
    };
    // A quarter of the yearly rate (thousandths of a percent).
    let amount = a.balance * t.rate_milli / 400_000;
    if amount <= 0 {
        return None;
    }
    a.balance += amount;
    let inst = a.inst.to_owned();
    Some(outside_legs(a, amount, "이자".into(), inst))
}

fn between(
    c: &mut Chunk,
    (from, to): (usize, usize),
    amount: i64,
    (memo_from, memo_to): (String, String),
    at_us: i64,
) -> Option<Vec<Leg>> {
    if c.accts[from].balance - amount < c.accts[from].floor
        || c.accts[to].balance > c.accts[to].cap - amount
    {
        return None;
    }
    c.accts[from].balance -= amount;
    c.accts[to].balance += amount;
    credited(&mut c.accts[to], amount, at_us);
    Some(between_legs(
        &c.accts[from],
        &c.accts[to],
        amount,
        memo_from,
        memo_to,
    ))
}

/// What money paid into a product account changes in its terms.
fn credited(a: &mut Acct, amount: i64, at_us: i64) {
    match &mut a.prod {
        Prod::Fund(f) => {
            f.terms.units_milli += amount * 1_000_000 / f.terms.nav_minor.max(1);
            f.terms.principal_minor += amount;
        }
        Prod::Irp(i) => i.terms.employee_minor += amount,
        Prod::Securities(s) => {
            if let Some(p) = &mut s.terms.pension {
                p.paid_in_minor += amount;
                p.last_paid_in = Some(date_of(at_us));
            }
        }
        _ => {}
    }
}

fn spend(
    a: &mut Acct,
    amount: i64,
    merchant: &Merchant,
    memo: &CardMemo,
    at_us: i64,
) -> Option<Vec<Leg>> {
    if a.balance - amount < a.floor {
        return None;
    }
    a.balance -= amount;
    if let Prod::Card(cs) = &mut a.prod {
        schedule(cs, at_us, amount);
        if let Some(p) = cs.terms.points.first_mut() {
            p.remain += amount / 200;
        }
    }
    Some(outside_legs(
        a,
        -amount,
        memo.encode(),
        merchant.name.into(),
    ))
}

/// Book a purchase into the bill that collects it: next month's, by the
/// KST date (the card face derives bills the same way, instalments in full).
fn schedule(cs: &mut CardState, at_us: i64, amount: i64) {
    let key = month_key(date_of(at_us + KST_US)) + 1;
    match cs.due.iter_mut().find(|(m, _)| *m == key) {
        Some((_, v)) => *v += amount,
        None => cs.due.push((key, amount)),
    }
}

/// The month's bill: what is due by now plus what was carried, paid from
/// the card's settlement account; a revolving card pays its agreed share and
/// carries the rest, and a bill the account cannot cover is carried whole.
fn card_bill(c: &mut Chunk, card: usize, from: usize, at_us: i64) -> Option<Vec<Leg>> {
    let month = month_key(date_of(at_us + KST_US));
    let payer_free = c.accts[from].balance - c.accts[from].floor;
    let owed = -c.accts[card].balance;
    let Prod::Card(cs) = &mut c.accts[card].prod else {
        return None;
    };
    let mut billed = cs.carry;
    cs.due.retain(|(m, v)| {
        if *m <= month {
            billed += v;
        }
        *m > month
    });
    let share = cs
        .terms
        .revolving
        .as_ref()
        .map_or(100_000, |r| r.agreed_pay_rate_milli);
    let pay = (billed * share / 100_000).min(owed);
    if pay <= 0 || pay > payer_free {
        cs.carry = billed;
        return None;
    }
    cs.carry = billed - pay;
    c.accts[from].balance -= pay;
    c.accts[card].balance += pay;
    let f = &c.accts[from];
    let t = &c.accts[card];
    Some(between_legs(f, t, pay, "카드대금".into(), "결제".into()))
}

fn loan_draw(c: &mut Chunk, loan: usize, to: Option<usize>) -> Option<Vec<Leg>> {
    let Prod::Loan(l) = &c.accts[loan].prod else {
        return None;
    };
    let principal = l.terms.principal_minor;
    let memo = LoanMemo::Drawdown.encode();
    c.accts[loan].balance -= principal;
    match to {
        Some(to) => {
            c.accts[to].balance += principal;
            let (f, t) = (&c.accts[loan], &c.accts[to]);
            Some(between_legs(f, t, principal, memo, "대출입금".into()))
        }
        None => {
            let a = &c.accts[loan];
            Some(outside_legs(a, -principal, memo, a.inst.into()))
        }
    }
}

/// A monthly repayment: the demand account pays principal and interest,
/// the loan takes the principal, the lender's settlement the interest.
fn loan_repay(c: &mut Chunk, loan: usize, from: usize) -> Option<Vec<Leg>> {
    let Prod::Loan(l) = &c.accts[loan].prod else {
        return None;
    };
    let outstanding = -c.accts[loan].balance;
    if outstanding <= 0 {
        return None;
    }
    let interest = outstanding * l.terms.rate_milli / 1_200_000;
    let principal = match l.terms.repay_method {
        RepayMethod::EqualPayment => l.payment - interest,
        _ => l.terms.principal_minor / l.months.max(1),
    }
    .clamp(1, outstanding);
    let total = principal + interest;
    if c.accts[from].balance - total < c.accts[from].floor {
        return None;
    }
    c.accts[from].balance -= total;
    c.accts[loan].balance += principal;
    let (f, t) = (&c.accts[from], &c.accts[loan]);
    let memo = LoanMemo::Repayment {
        principal_minor: principal,
        interest_minor: interest,
    };
    let mut legs = vec![
        leg(&f.id, -total, "대출상환".into(), t.label.clone()),
        leg(&t.id, principal, memo.encode(), f.holder.clone()),
    ];
    if interest > 0 {
        legs.push(leg(
            &t.settle,
            interest,
            "대출이자".into(),
            f.holder.clone(),
        ));
    }
    Some(legs)
}

/// A trade against the firm's settlement account: cash for units.
fn trade(a: &mut Acct, memo: TradeMemo) -> Option<Vec<Leg>> {
    let Prod::Securities(s) = &mut a.prod else {
        return None;
    };
    let holdings = &mut s.terms.holdings;
    let pos = holdings.iter().position(|h| h.code == memo.code);
    let cash = match memo.side {
        TradeSide::Buy => -(memo.qty_milli * memo.price_minor / 1_000),
        TradeSide::Sell => memo.qty_milli * memo.price_minor / 1_000,
        _ => pos.map_or(0, |p| holdings[p].qty_milli * memo.price_minor / 1_000),
    };
    if cash == 0 || a.balance + cash < a.floor {
        return None;
    }
    match (memo.side, pos) {
        (TradeSide::Buy, Some(p)) => {
            let h = &mut holdings[p];
            let cost = h.qty_milli * h.avg_price_minor + memo.qty_milli * memo.price_minor;
            h.qty_milli += memo.qty_milli;
            h.avg_price_minor = cost / h.qty_milli;
        }
        (TradeSide::Buy, None) => holdings.push(holding(&memo)?),
        (TradeSide::Sell, Some(p)) if holdings[p].qty_milli >= memo.qty_milli => {
            holdings[p].qty_milli -= memo.qty_milli;
            if holdings[p].qty_milli == 0 {
                holdings.remove(p);
            }
        }
        (TradeSide::Sell, _) => return None,
        _ => {}
    }
    a.balance += cash;
    let name = STOCKS
        .iter()
        .chain(FUNDS)
        .find(|l| l.code == memo.code)
        .map_or(a.inst, |l| l.name);
    Some(outside_legs(a, cash, memo.encode(), name.into()))
}

fn holding(memo: &TradeMemo) -> Option<Holding> {
    let l = STOCKS.iter().chain(FUNDS).find(|l| l.code == memo.code)?;
    Some(Holding {
        code: l.code.into(),
        name: l.name.into(),
        class: l.class.into(),
        qty_milli: memo.qty_milli,
        price_minor: l.price,
        avg_price_minor: memo.price_minor,
    })
}

pub(crate) fn leg(account_id: &str, amount: i64, memo: String, counterparty: String) -> Leg {
    Leg {
        account_id: account_id.to_owned(),
        amount_minor: amount,
        currency: Currency::KRW,
        memo,
        counterparty,
    }
}

pub(crate) fn between_legs(f: &Acct, t: &Acct, amount: i64, memo_from: String, memo_to: String) -> Vec<Leg> {
    vec![
        leg(&f.id, -amount, memo_from, t.label.clone()),
        leg(&t.id, amount, memo_to, f.label.clone()),
    ]
}

pub(crate) fn outside_legs(a: &Acct, amount: i64, memo: String, counterparty: String) -> Vec<Leg> {
    vec![
        leg(&a.settle, -amount, memo.clone(), a.holder.clone()),
        leg(&a.id, amount, memo, counterparty),
    ]
}
