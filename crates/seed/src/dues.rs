//! What part two's products do over the window: premiums, telecom charges,
//! micro-payments and bill payments, e-finance charges, spending, rewards
//! and payments through a payment account, and the other lenders' loans.
//! Drawn in a pass of their own after part one's movements, from an RNG of
//! their own, so part one's draws do not depend on them.

use crate::chunk::{date_of, day_us, Acct, Chunk, Event, Life, Move, Prod};
use crate::play::{between_legs, leg, outside_legs, KST_US};
use finhub_core::ledger::Leg;
use crate::events::{Draw, Events};
use chrono::{Datelike, Duration, Months, NaiveDate};
use finhub_core::ledger::EntryKind;
use finhub_core::merchant::DOMESTIC;
use finhub_core::product::efin::{EfinMemo, PayType};
use finhub_core::product::insurance::{PayCycle, PremiumMemo};
use finhub_core::product::telecom::{TelecomMemo, TelecomService};
use rand::Rng;

/// What micro-payments buy: (merchant, title).
const MICRO: &[(&str, &str)] = &[
    ("구글플레이", "게임 아이템"),
    ("애플 앱스토어", "앱 구매"),
    ("넥슨코리아", "게임 캐시"),
    ("멜론", "음원 이용권"),
    ("유튜브 프리미엄", "월 구독료"),
    ("네이버웹툰", "쿠키 충전"),
];

/// `YYYYMM` of a date, as the memos carry it.
pub(crate) fn yyyymm(d: NaiveDate) -> u32 {
    d.year() as u32 * 100 + d.month()
}

impl Draw<'_> {
    pub fn part_two(&mut self, life: &Life, ev: &mut Events) {
        let c = self.c;
        let payer = life.payer_acct();
        for &a in &life.accounts {
            match &c.accts[a].prod {
                Prod::Policy(_) => self.premiums(payer, a, ev),
                Prod::Loan(l) if l.part_two() => self.loan(payer, a, ev),
                Prod::Telecom(_) => self.telecom(payer, a, ev),
                Prod::Efin(_) => self.efin(payer, a, life.full, ev),
                Prod::PayAccount(_) => self.payments(payer, a, life, ev),
                _ => {}
            }
        }
    }

    /// The premiums due inside the window: monthly from the issue date, or
    /// the one premium when issued inside it.
    fn premiums(&mut self, payer: usize, a: usize, ev: &mut Events) {
        let acct = &self.c.accts[a];
        let Prod::Policy(p) = &acct.prod else {
            return;
        };
        let plan = &p.terms.premium;
        let issue = p.terms.issue_date;
        let mut dues = Vec::new();
        match plan.cycle {
            PayCycle::Once => {
                if p.paid == 0 {
                    dues.push(acct.opened_us + 60_000_000);
                }
            }
            _ => {
                for n in p.paid..plan.count {
                    let d = issue + Months::new(n);
                    if d >= self.window.end {
                        break;
                    }
                    let at = if n == 0 {
                        acct.opened_us + 60_000_000
                    } else {
                        day_us(d) + self.rng.gen_range(3_600..10_800) * 1_000_000
                    };
                    dues.push(at);
                }
            }
        }
        for at_us in dues {
            ev.bills.push(Event {
                at_us,
                kind: EntryKind::Transfer,
                mv: Move::Premium { policy: a, from: payer },
            });
        }
    }

    /// A month's charge on the bill day, the bill paid on the pay day, and
    /// on a mobile line a few micro-payments, which the next bill collects.
    fn telecom(&mut self, payer: usize, a: usize, ev: &mut Events) {
        let Prod::Telecom(t) = &self.c.accts[a].prod else {
            return;
        };
        let (bill_day, pay_day) = (t.terms.bill_day, t.terms.pay_day);
        let mobile = t.terms.service == TelecomService::Mobile;
        for d in self.window.monthly(bill_day) {
            ev.bills.push(Event {
                at_us: day_us(d) + 600_000_000,
                kind: EntryKind::Withdrawal,
                mv: Move::TelecomCharge { contract: a },
            });
        }
        for d in self.window.monthly(pay_day) {
            ev.bills.push(Event {
                at_us: day_us(d) + self.rng.gen_range(3_600..10_800) * 1_000_000,
                kind: EntryKind::Withdrawal,
                mv: Move::TelecomPay {
                    contract: a,
                    from: payer,
                },
            });
        }
        if !mobile {
            return;
        }
        let n = self.rng.gen_range(0..=self.months * 2);
        for _ in 0..n {
            let d = self.day();
            let (shop, title) = MICRO[self.rng.gen_range(0..MICRO.len())];
            let amount = self.rng.gen_range(1..=30) * 1_000;
            ev.spends.push(Event {
                at_us: self.at(d),
                kind: EntryKind::Card,
                mv: Move::Outside {
                    acct: a,
                    amount: -amount,
                    memo: TelecomMemo::Micro {
                        title: title.into(),
                    }
                    .encode(),
                    counterparty: shop.into(),
                },
            });
        }
    }

    /// An instrument's charges (automatic and by hand), spending at shops,
    /// monthly reward money and now and then a withdrawal back.
    fn efin(&mut self, payer: usize, a: usize, full: bool, ev: &mut Events) {
        let Prod::Efin(t) = &self.c.accts[a].prod else {
            return;
        };
        let charge = |amount, memo: EfinMemo| Move::Between {
            from: payer,
            to: a,
            amount,
            memo_from: memo.encode(),
            memo_to: memo.encode(),
        };
        for auto in &t.auto_charge {
            for d in self.window.monthly(auto.day.unwrap_or(1)) {
                ev.bills.push(Event {
                    at_us: day_us(d) + 1_800_000_000,
                    kind: EntryKind::Charge,
                    mv: charge(auto.amount_minor, EfinMemo::AutoCharge),
                });
            }
        }
        for _ in 0..self.months {
            let d = self.day();
            let amount = self.rng.gen_range(1..=10) * 10_000;
            ev.bills.push(Event {
                at_us: self.at(d),
                kind: EntryKind::Charge,
                mv: charge(amount, EfinMemo::Charge),
            });
        }
        for d in self.window.monthly(28) {
            let amount = self.rng.gen_range(1..=50) * 10;
            ev.spends.push(Event {
                at_us: day_us(d) + 3_600_000_000,
                kind: EntryKind::Deposit,
                mv: Move::Reward { acct: a, amount },
            });
        }
        let n = self.rng.gen_range(self.months * 2..=self.months * 5);
        for _ in 0..n {
            let d = self.day();
            ev.spends.push(self.efin_spend(a, d));
        }
        if self.rng.gen_bool(0.3) {
            let d = self.day();
            ev.spends.push(Event {
                at_us: self.at(d),
                kind: EntryKind::Transfer,
                mv: Move::Between {
                    from: a,
                    to: payer,
                    amount: 10_000,
                    memo_from: EfinMemo::Withdraw.encode(),
                    memo_to: EfinMemo::Withdraw.encode(),
                },
            });
        }
        if full {
            let d = self.window.end - Duration::days(self.window.days().min(28));
            ev.must.push(Event {
                at_us: self.at(d),
                kind: EntryKind::Charge,
                mv: charge(50_000, EfinMemo::Charge),
            });
            let d = self.recent_day().max(d + Duration::days(1));
            ev.must.push(self.efin_spend(a, d));
        }
    }

    fn efin_spend(&mut self, a: usize, d: NaiveDate) -> Event {
        let m = &DOMESTIC[self.rng.gen_range(0..DOMESTIC.len())];
        let amount = self.rng.gen_range(2..=40) * 1_000 + self.rng.gen_range(0..10) * 100;
        Event {
            at_us: self.at(d),
            kind: EntryKind::Card,
            mv: Move::Outside {
                acct: a,
                amount: -amount,
                memo: EfinMemo::Spend.encode(),
                counterparty: m.name.into(),
            },
        }
    }

    /// Payments through a payment account, from the bank account or (when
    /// registered) the person's instrument at the same company.
    fn payments(&mut self, payer: usize, a: usize, life: &Life, ev: &mut Events) {
        let c = self.c;
        let Prod::PayAccount(t) = &c.accts[a].prod else {
            return;
        };
        let instrument = t.methods.iter().find_map(|m| {
            (m.pay_type == PayType::Prepaid)
                .then(|| {
                    life.accounts
                        .iter()
                        .copied()
                        .find(|&k| c.accts[k].id == m.account_id)
                })
                .flatten()
        });
        let n = self.rng.gen_range(self.months..=self.months * 4);
        for k in 0..=n {
            let d = if k == n {
                if !life.full {
                    break;
                }
                self.recent_day()
            } else {
                self.day()
            };
            let from = match instrument {
                Some(i) if self.rng.gen_bool(0.3) => i,
                _ => payer,
            };
            let m = &DOMESTIC[self.rng.gen_range(0..DOMESTIC.len())];
            let amount = self.rng.gen_range(3..=80) * 1_000 + self.rng.gen_range(0..10) * 100;
            let e = Event {
                at_us: self.at(d),
                kind: EntryKind::Card,
                mv: Move::PassThrough {
                    pay: a,
                    from,
                    amount,
                    merchant: m.name,
                },
            };
            if k == n {
                ev.must.push(e);
            } else {
                ev.spends.push(e);
            }
        }
    }
}

/// The policy's next premium, if the plan has one left and the payer can
/// cover it: one entry from the payer's account into the policy, both
/// sides reading `보험료 {month} {n}회`.
pub(crate) fn premium(c: &mut Chunk, policy: usize, from: usize, at_us: i64) -> Option<Vec<Leg>> {
    let Prod::Policy(p) = &c.accts[policy].prod else {
        return None;
    };
    let amount = p.terms.premium.premium_minor;
    if p.paid >= p.terms.premium.count || c.accts[from].balance - amount < c.accts[from].floor {
        return None;
    }
    let memo = PremiumMemo {
        month: yyyymm(date_of(at_us + KST_US)),
        instalment: p.paid + 1,
    }
    .encode();
    if let Prod::Policy(p) = &mut c.accts[policy].prod {
        p.paid += 1;
    }
    c.accts[from].balance -= amount;
    c.accts[policy].balance += amount;
    let (f, t) = (&c.accts[from], &c.accts[policy]);
    Some(between_legs(f, t, amount, memo.clone(), memo))
}

/// The month's service charge (and the micro-payments since the last one)
/// billed on the contract.
pub(crate) fn telecom_charge(a: &mut Acct, at_us: i64) -> Option<Vec<Leg>> {
    let Prod::Telecom(t) = &mut a.prod else {
        return None;
    };
    let fee = t.fee;
    if a.balance - fee < a.floor {
        return None;
    }
    t.billed += fee + t.micro;
    t.micro = 0;
    a.balance -= fee;
    let memo = TelecomMemo::Charge {
        month: yyyymm(date_of(at_us + KST_US)),
    };
    let inst = a.inst.to_owned();
    Some(outside_legs(a, -fee, memo.encode(), inst))
}

/// The bill paid from the payer's account: everything billed and unpaid.
pub(crate) fn telecom_pay(
    c: &mut Chunk,
    contract: usize,
    from: usize,
    at_us: i64,
) -> Option<Vec<Leg>> {
    let Prod::Telecom(t) = &c.accts[contract].prod else {
        return None;
    };
    let pay = t.billed.min(-c.accts[contract].balance);
    if pay <= 0 || c.accts[from].balance - pay < c.accts[from].floor {
        return None;
    }
    if let Prod::Telecom(t) = &mut c.accts[contract].prod {
        t.billed = 0;
    }
    c.accts[from].balance -= pay;
    c.accts[contract].balance += pay;
    let memo = TelecomMemo::Payment {
        month: yyyymm(date_of(at_us + KST_US)),
    }
    .encode();
    let (f, t) = (&c.accts[from], &c.accts[contract]);
    Some(between_legs(f, t, pay, memo.clone(), memo))
}

/// A micro-payment on a contract: the next bill collects it.
pub(crate) fn micro(a: &mut Acct, amount: i64) {
    if let Prod::Telecom(t) = &mut a.prod {
        t.micro += amount;
    }
}

pub(crate) fn reward(a: &mut Acct, amount: i64) -> Option<Vec<Leg>> {
    let Prod::Efin(t) = &mut a.prod else {
        return None;
    };
    if a.balance > a.cap - amount {
        return None;
    }
    t.reserve_minor += amount;
    a.balance += amount;
    let inst = a.inst.to_owned();
    Some(outside_legs(a, amount, EfinMemo::Reward.encode(), inst))
}

/// A payment through a payment account in one entry: the method pays the
/// payment account (`결제 {merchant}`), which pays the merchant (`결제`)
/// through the e-finance company's settlement account.
pub(crate) fn pass_through(
    c: &mut Chunk,
    (pay, from): (usize, usize),
    amount: i64,
    merchant: &str,
) -> Option<Vec<Leg>> {
    if c.accts[from].balance - amount < c.accts[from].floor {
        return None;
    }
    c.accts[from].balance -= amount;
    let (f, p) = (&c.accts[from], &c.accts[pay]);
    let to_pay = EfinMemo::Pay {
        merchant: merchant.into(),
    }
    .encode();
    let spend = EfinMemo::Spend.encode();
    // The instrument's own line reads as its spending does.
    let (from_memo, from_cp) = if matches!(f.prod, Prod::Efin(_)) {
        (spend.clone(), merchant.to_owned())
    } else {
        (to_pay.clone(), p.label.clone())
    };
    Some(vec![
        leg(&f.id, -amount, from_memo, from_cp),
        leg(&p.id, amount, to_pay, f.inst.into()),
        leg(&p.id, -amount, spend.clone(), merchant.into()),
        leg(&p.settle, amount, spend, f.holder.clone()),
    ])
}
