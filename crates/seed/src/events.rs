//! The movements a chunk's people would make, drawn before any balance
//! check: pay, bills, interest, transfers, cash, and what their products do.

use crate::catalog::SENDERS;
use crate::chunk::{day_us, daytime_us, Chunk, Event, Life, Move, Prod, Window};
use crate::names::OTHER_CARD_COMPANIES;
use chrono::{Datelike, Duration, NaiveDate};
use finhub_core::account::AccountKind;
use finhub_core::ledger::EntryKind;
use finhub_core::merchant::DOMESTIC;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The candidate movements of a chunk by importance, most important first
/// (the per-account bound drops the least important).
#[derive(Default)]
pub(crate) struct Events {
    /// What the world promises (recent lines on every demand account, a
    /// loan's drawdown, the demo holder's recent card use).
    pub must: Vec<Event>,
    pub income: Vec<Event>,
    pub bills: Vec<Event>,
    pub interest: Vec<Event>,
    pub spends: Vec<Event>,
    pub transfers: Vec<Event>,
    pub cash: Vec<Event>,
}

/// What drawing one person's movements needs: the chunk, the window and the
/// chunk's RNG, drawn from in a fixed order (the order is the world).
pub(crate) struct Draw<'a> {
    pub c: &'a Chunk,
    pub window: Window,
    pub months: i64,
    pub rng: &'a mut StdRng,
}

impl Draw<'_> {
    /// A time in waking hours on `d`.
    pub fn at(&mut self, d: NaiveDate) -> i64 {
        day_us(d) + daytime_us(self.rng)
    }

    /// A day in the window.
    pub fn day(&mut self) -> NaiveDate {
        self.window.start + Duration::days(self.rng.gen_range(0..self.window.days()))
    }

    /// A day in the last four weeks of the window (inside "the last 30
    /// days" at any time of today).
    pub fn recent_day(&mut self) -> NaiveDate {
        let back = self.rng.gen_range(1..=self.window.days().min(28));
        self.window.end - Duration::days(back)
    }

    fn income(&mut self, life: &Life, ev: &mut Events) {
        let main = life.accounts[0];
        for d in self.window.monthly(life.payday) {
            let bonus = if d.month() == 1 || d.month() == 7 {
                2
            } else {
                1
            };
            let amount = life.income * bonus + self.rng.gen_range(-3..=3) * life.income / 100;
            ev.income.push(Event {
                at_us: day_us(d) + self.rng.gen_range(1_800..7_200) * 1_000_000,
                kind: EntryKind::Salary,
                mv: Move::Outside {
                    acct: main,
                    amount,
                    memo: "급여".into(),
                    counterparty: life.payer.clone(),
                },
            });
        }
        for &s in &life.accounts[1..] {
            let a = &self.c.accts[s];
            if a.instalment > 0 {
                for d in self.window.monthly(a.opened_day.day()) {
                    ev.income.push(Event {
                        at_us: self.at(d),
                        kind: EntryKind::Transfer,
                        mv: Move::Between {
                            from: main,
                            to: s,
                            amount: a.instalment,
                            memo_from: "적금납입".into(),
                            memo_to: "입금".into(),
                        },
                    });
                }
            }
        }
    }

    /// Two credits in the last four weeks on every demand account: money
    /// arriving never fails, so each account shows recent lines whatever
    /// else its history holds.
    fn recent(&mut self, life: &Life, ev: &mut Events) {
        let c = self.c;
        for &a in &life.accounts {
            if c.accts[a].kind != AccountKind::Demand {
                continue;
            }
            let (d1, d2) = (self.recent_day(), self.recent_day());
            let sender = SENDERS[self.rng.gen_range(0..SENDERS.len())];
            let shop = &DOMESTIC[self.rng.gen_range(0..DOMESTIC.len())];
            let moves = [
                (
                    d1,
                    EntryKind::Transfer,
                    self.rng.gen_range(1..=10) * 10_000,
                    "입금",
                    sender,
                ),
                (
                    d2,
                    EntryKind::Refund,
                    self.rng.gen_range(3..=50) * 1_000,
                    "환불",
                    shop.name,
                ),
            ];
            for (d, kind, amount, memo, cp) in moves {
                ev.must.push(Event {
                    at_us: self.at(d),
                    kind,
                    mv: Move::Outside {
                        acct: a,
                        amount,
                        memo: memo.into(),
                        counterparty: cp.into(),
                    },
                });
            }
        }
    }

    fn bills(&mut self, life: &Life, ev: &mut Events) {
        let c = self.c;
        let main = life.accounts[0];
        let has_card = life
            .accounts
            .iter()
            .any(|&a| c.accts[a].kind == AccountKind::Card);
        if !has_card {
            // A card of a company outside the world: its bill is all one sees.
            let company = OTHER_CARD_COMPANIES[self.rng.gen_range(0..OTHER_CARD_COMPANIES.len())];
            for d in self
                .window
                .monthly([1, 5, 14, 25][self.rng.gen_range(0..4)])
            {
                let share = self.rng.gen_range(20..70);
                ev.bills.push(Event {
                    at_us: self.at(d),
                    kind: EntryKind::Card,
                    mv: Move::Outside {
                        acct: main,
                        amount: -(life.income * share / 100 + self.rng.gen_range(0..10_000)),
                        memo: "카드대금".into(),
                        counterparty: company.into(),
                    },
                });
            }
        }
        let fee = self.rng.gen_range(12..38) * 10_000;
        for d in self.window.monthly(self.rng.gen_range(24..29)) {
            ev.bills.push(Event {
                at_us: self.at(d),
                kind: EntryKind::Withdrawal,
                mv: Move::Outside {
                    acct: main,
                    amount: -(fee + self.rng.gen_range(-200..200) * 100),
                    memo: "관리비".into(),
                    counterparty: format!("{}아파트관리사무소", life.apt),
                },
            });
        }
        // A contract at a carrier of the world is paid as a ledger movement
        // (see `dues`); the bill of one outside it is all one sees. Drawn
        // either way, so the draws after it stay the same.
        let outside = !life
            .accounts
            .iter()
            .any(|&a| c.accts[a].kind == AccountKind::Telecom);
        let phone_bill = self.rng.gen_range(45..130) * 1_000;
        for d in self.window.monthly(self.rng.gen_range(18..23)) {
            let bill = Event {
                at_us: self.at(d),
                kind: EntryKind::Withdrawal,
                mv: Move::Outside {
                    acct: main,
                    amount: -(phone_bill + self.rng.gen_range(0..50) * 100),
                    memo: "통신비".into(),
                    counterparty: life.telecom.into(),
                },
            };
            if outside {
                ev.bills.push(bill);
            }
        }
    }

    /// Quarterly interest on every deposit account (draws nothing).
    fn interest(&self, life: &Life, ev: &mut Events) {
        for &a in &life.accounts {
            if !matches!(self.c.accts[a].prod, Prod::Deposit(_)) {
                continue;
            }
            for m in [3, 6, 9, 12] {
                let d = self.window.monthly(21).into_iter().find(|d| d.month() == m);
                if let Some(d) = d {
                    ev.interest.push(Event {
                        at_us: day_us(d) + 3_600_000_000,
                        kind: EntryKind::Interest,
                        mv: Move::Interest { acct: a },
                    });
                }
            }
        }
    }

    /// Transfers to other people of the chunk.
    fn transfers(&mut self, p: usize, life: &Life, ev: &mut Events) {
        let c = self.c;
        if c.people.len() <= 1 {
            return;
        }
        let main = life.accounts[0];
        let n = self.rng.gen_range(self.months..=self.months * 3);
        for _ in 0..n {
            let mut q = self.rng.gen_range(0..c.people.len());
            if q == p {
                q = (q + 1) % c.people.len();
            }
            let to = c.lives[q].accounts[0];
            let same_bank = c.accts[main].org_code == c.accts[to].org_code;
            let amount = match self.rng.gen_range(0..10) {
                0..=5 => self.rng.gen_range(1..=50) * 1_000,
                6..=8 => self.rng.gen_range(5..=50) * 10_000,
                _ => self.rng.gen_range(50..=300) * 10_000,
            };
            let d = self.day();
            ev.transfers.push(Event {
                at_us: self.at(d),
                kind: EntryKind::Transfer,
                mv: Move::Between {
                    from: main,
                    to,
                    amount,
                    memo_from: if same_bank {
                        "당행이체"
                    } else {
                        "타행이체"
                    }
                    .into(),
                    memo_to: c.people[p].name.clone(),
                },
            });
        }
    }

    /// Transfers between one's own demand accounts.
    fn own_transfers(&mut self, life: &Life, ev: &mut Events) {
        let main = life.accounts[0];
        for &s in &life.accounts[1..] {
            if self.c.accts[s].kind != AccountKind::Demand {
                continue;
            }
            for d in self.window.monthly(self.rng.gen_range(1..28)) {
                if self.rng.gen_bool(0.5) {
                    ev.transfers.push(Event {
                        at_us: self.at(d),
                        kind: EntryKind::Transfer,
                        mv: Move::Between {
                            from: main,
                            to: s,
                            amount: self.rng.gen_range(10..100) * 10_000,
                            memo_from: "본인이체".into(),
                            memo_to: "본인이체".into(),
                        },
                    });
                }
            }
        }
    }

    fn cash(&mut self, life: &Life, ev: &mut Events) {
        for &a in &life.accounts {
            if self.c.accts[a].kind != AccountKind::Demand {
                continue;
            }
            let n = self.rng.gen_range(0..=self.months * 2);
            for _ in 0..n {
                let d = self.day();
                ev.cash.push(Event {
                    at_us: self.at(d),
                    kind: EntryKind::Cash,
                    mv: Move::Outside {
                        acct: a,
                        amount: -self.rng.gen_range(3..=30) * 10_000,
                        memo: "현금".into(),
                        counterparty: format!("{} ATM", self.c.accts[a].inst),
                    },
                });
            }
        }
    }
}

/// Every candidate movement of the chunk, most important first (the
/// per-account bound drops the least important).
pub(crate) fn gen_events(c: &Chunk, window: Window, rng: &mut StdRng) -> Vec<Event> {
    let mut g = Draw {
        c,
        window,
        months: (window.days() / 30).max(1),
        rng,
    };
    let mut ev = Events::default();
    for (p, life) in c.lives.iter().enumerate() {
        g.recent(life, &mut ev);
        g.income(life, &mut ev);
        g.bills(life, &mut ev);
        g.interest(life, &mut ev);
        g.products(life, &mut ev);
        g.transfers(p, life, &mut ev);
        g.own_transfers(life, &mut ev);
        g.cash(life, &mut ev);
    }
    // Part two's movements, from a stream of their own.
    let mut rng2 = StdRng::seed_from_u64(g.rng.gen());
    let mut g = Draw {
        c,
        window,
        months: g.months,
        rng: &mut rng2,
    };
    for life in &c.lives {
        g.part_two(life, &mut ev);
    }
    let Events {
        must: mut all,
        income,
        bills,
        interest,
        spends,
        transfers,
        cash,
    } = ev;
    all.extend(income);
    all.extend(bills);
    all.extend(interest);
    all.extend(spends);
    all.extend(transfers);
    all.extend(cash);
    all
}
