//! What products do over the window: card purchases and bills, loan
//! drawdowns and repayments, prepaid charges and purchases, trades, and the
//! monthly contributions into funds, pension savings and IRP accounts.

use crate::catalog::{krw_per_unit_milli, Listing, Spending, FUNDS, SPENDING, STOCKS};
use crate::chunk::{day_us, Acct, Event, Life, Move, Prod, SecState};
use crate::events::{Draw, Events};
use chrono::{Datelike, Duration, NaiveDate};
use finhub_core::ledger::EntryKind;
use finhub_core::merchant::{merchant, CardMemo, Merchant, TradeSide, OVERSEAS};
use finhub_core::money::Currency;
use finhub_core::product::{LoanType, SecuritiesKind};
use rand::Rng;

/// How a contribution into a product account reads on both sides.
struct Contribution {
    from: usize,
    to: usize,
    amount: i64,
    memo_from: &'static str,
    memo_to: &'static str,
}

impl Draw<'_> {
    pub fn products(&mut self, life: &Life, ev: &mut Events) {
        let c = self.c;
        let main = life.accounts[0];
        for &a in &life.accounts {
            let acct = &c.accts[a];
            match &acct.prod {
                Prod::Fund(f) if f.monthly > 0 => {
                    let dom = acct.opened_day.day();
                    let k = Contribution {
                        from: main,
                        to: a,
                        amount: f.monthly,
                        memo_from: "펀드납입",
                        memo_to: "입금",
                    };
                    self.monthly(k, dom, None, ev);
                }
                Prod::Irp(i) => {
                    let k = Contribution {
                        from: main,
                        to: a,
                        amount: i.monthly,
                        memo_from: "IRP납입",
                        memo_to: "입금",
                    };
                    let recent = life.full.then(|| self.recent_day());
                    self.monthly(k, 20, recent, ev);
                }
                Prod::Loan(l) if !l.part_two() => self.loan(main, a, ev),
                Prod::Card(_) => self.card(main, a, life.full, ev),
                Prod::Prepaid(_) => self.prepaid(main, a, life.full, ev),
                Prod::Securities(_) => self.securities(main, a, life.full, ev),
                _ => {}
            }
        }
    }

    /// A contribution on `dom` of every month; `recent`, when given, is one
    /// more the world promises (in the must tier).
    fn monthly(&mut self, k: Contribution, dom: u32, recent: Option<NaiveDate>, ev: &mut Events) {
        let mv = |k: &Contribution| Move::Between {
            from: k.from,
            to: k.to,
            amount: k.amount,
            memo_from: k.memo_from.into(),
            memo_to: k.memo_to.into(),
        };
        for d in self.window.monthly(dom) {
            ev.bills.push(Event {
                at_us: self.at(d),
                kind: EntryKind::Transfer,
                mv: mv(&k),
            });
        }
        if let Some(d) = recent {
            ev.must.push(Event {
                at_us: self.at(d),
                kind: EntryKind::Transfer,
                mv: mv(&k),
            });
        }
    }

    /// A loan's drawdown and its monthly repayments from `main`.
    pub fn loan(&mut self, main: usize, a: usize, ev: &mut Events) {
        let acct: &Acct = &self.c.accts[a];
        let Prod::Loan(l) = &acct.prod else {
            return;
        };
        // Paid to the seller, the landlord or the dealer, not to the borrower.
        let to = l.pays_borrower().then_some(main);
        ev.must.push(Event {
            at_us: acct.opened_us,
            kind: EntryKind::Transfer,
            mv: Move::LoanDraw { loan: a, to },
        });
        if l.terms.loan_type == LoanType::CashAdvance {
            return;
        }
        let first = acct.opened_day + Duration::days(20);
        let dom = l.terms.repay_day.unwrap_or(25);
        for d in self.window.monthly_from(first, dom) {
            ev.bills.push(Event {
                at_us: day_us(d) + self.rng.gen_range(0..3_600) * 1_000_000,
                kind: EntryKind::Transfer,
                mv: Move::LoanRepay {
                    loan: a,
                    from: main,
                },
            });
        }
    }

    fn card(&mut self, main: usize, a: usize, full: bool, ev: &mut Events) {
        let c = self.c;
        let Prod::Card(cs) = &c.accts[a].prod else {
            return;
        };
        for d in self.window.monthly(cs.terms.pay_day) {
            ev.bills.push(Event {
                at_us: day_us(d) + 3_600_000_000,
                kind: EntryKind::Card,
                mv: Move::CardBill {
                    card: a,
                    from: main,
                },
            });
        }
        let n = (i64::from(cs.per_month) * self.window.days() / 30).max(1);
        for _ in 0..n {
            let d = self.day();
            let (amount, merchant, memo) = self.purchase(true);
            ev.spends.push(self.spend(a, d, (amount, merchant, memo)));
        }
        if full {
            // Recent lump-sum, instalment and overseas approvals.
            for k in 0..4 {
                let d = self.recent_day();
                let p = match k {
                    0 | 1 => self.domestic(50),
                    2 => self.instalment(),
                    _ => self.overseas(),
                };
                ev.must.push(self.spend(a, d, p));
            }
        }
    }

    fn spend(&mut self, acct: usize, d: NaiveDate, p: (i64, &'static Merchant, CardMemo)) -> Event {
        Event {
            at_us: self.at(d),
            kind: EntryKind::Card,
            mv: Move::Spend {
                acct,
                amount: p.0,
                merchant: p.1,
                memo: p.2,
            },
        }
    }

    /// A purchase: mostly domestic at what the shop usually costs; on a
    /// card sometimes big-ticket (often in instalments) or abroad. A
    /// prepaid card buys small things only.
    fn purchase(&mut self, card: bool) -> (i64, &'static Merchant, CardMemo) {
        match self.rng.gen_range(0..100) {
            0..=5 if card => self.overseas(),
            6..=8 if card => self.instalment(),
            _ => self.domestic(if card { 300 } else { 50 }),
        }
    }

    /// A lump-sum purchase at a shop whose usual prices stay under
    /// `max_thousands` won.
    fn domestic(&mut self, max_thousands: i64) -> (i64, &'static Merchant, CardMemo) {
        let &(name, lo, hi, _) = self.pick(|s| s.2 <= max_thousands);
        let amount = self.rng.gen_range(lo..=hi) * 1_000 + self.rng.gen_range(0..10) * 100;
        (amount, shop(name), CardMemo::lump_sum())
    }

    /// One of the spending rows that `keep` keeps, uniformly.
    fn pick(&mut self, keep: impl Fn(&&Spending) -> bool) -> &'static Spending {
        let n = SPENDING.iter().filter(&keep).count();
        let k = self.rng.gen_range(0..n);
        SPENDING.iter().filter(&keep).nth(k).expect("k < n")
    }

    fn instalment(&mut self) -> (i64, &'static Merchant, CardMemo) {
        let name = self.pick(|s| s.3).0;
        let amount = self.rng.gen_range(30..=150) * 10_000;
        let n = [2, 3, 6, 10, 12][self.rng.gen_range(0..5)];
        let memo = CardMemo {
            installments: n,
            overseas: None,
        };
        (amount, shop(name), memo)
    }

    fn overseas(&mut self) -> (i64, &'static Merchant, CardMemo) {
        let m = &OVERSEAS[self.rng.gen_range(0..OVERSEAS.len())];
        let cur = m.currency.unwrap_or("USD");
        let exp = Currency::parse(cur).map_or(2, |c| c.exponent());
        let foreign = if exp == 0 {
            self.rng.gen_range(300..30_000)
        } else {
            self.rng.gen_range(500..30_000)
        };
        let krw = (foreign * krw_per_unit_milli(cur) / 10i64.pow(exp) / 1_000).max(1);
        let memo = CardMemo {
            installments: 0,
            overseas: Some((cur.to_owned(), foreign)),
        };
        (krw, m, memo)
    }

    fn prepaid(&mut self, main: usize, a: usize, full: bool, ev: &mut Events) {
        let charge = |amount| Move::Between {
            from: main,
            to: a,
            amount,
            memo_from: "선불충전".into(),
            memo_to: "충전".into(),
        };
        for _ in 0..self.months {
            let d = self.day();
            let amount = self.rng.gen_range(3..=10) * 10_000;
            ev.bills.push(Event {
                at_us: self.at(d),
                kind: EntryKind::Charge,
                mv: charge(amount),
            });
        }
        let n = self.rng.gen_range(self.months * 3..=self.months * 8);
        for _ in 0..n {
            let d = self.day();
            let p = self.purchase(false);
            ev.spends.push(self.spend(a, d, p));
        }
        if full {
            let d = self.window.end - Duration::days(self.window.days().min(28));
            ev.must.push(Event {
                at_us: self.at(d),
                kind: EntryKind::Charge,
                mv: charge(100_000),
            });
            let d = self.recent_day();
            let p = self.domestic(20);
            ev.must.push(self.spend(a, d, p));
        }
    }

    fn securities(&mut self, main: usize, a: usize, full: bool, ev: &mut Events) {
        let c = self.c;
        let Prod::Securities(s) = &c.accts[a].prod else {
            return;
        };
        let pension = s.terms.kind == SecuritiesKind::PensionSavings;
        if s.monthly > 0 {
            let k = Contribution {
                from: main,
                to: a,
                amount: s.monthly,
                memo_from: if pension {
                    "연금저축납입"
                } else {
                    "증권이체"
                },
                memo_to: "입금",
            };
            let dom = self.rng.gen_range(1..=28);
            let recent = full.then(|| self.window.end - Duration::days(self.window.days().min(28)));
            self.monthly(k, dom, recent, ev);
        }
        let from: &'static [Listing] = if pension { FUNDS } else { STOCKS };
        let n = self.rng.gen_range(0..=self.months * 3);
        for _ in 0..n {
            let d = self.day();
            let t = self.trade(a, s, from);
            ev.spends.push(Event {
                at_us: self.at(d),
                kind: t.0,
                mv: t.1,
            });
        }
        self.dividends(a, s, ev);
        if full {
            let d = self.window.end - Duration::days(self.window.days().min(20));
            let l = &from[0];
            ev.must.push(Event {
                at_us: self.at(d),
                kind: EntryKind::Withdrawal,
                mv: buy(a, l, 1_000 * if pension { 100 } else { 1 }, l.price),
            });
        }
    }

    /// A buy or a sell of what the account holds or could buy.
    fn trade(&mut self, a: usize, s: &SecState, from: &'static [Listing]) -> (EntryKind, Move) {
        let held = &s.terms.holdings;
        let sell = !held.is_empty() && self.rng.gen_bool(0.35);
        let price_of = |l: &Listing, r: i64| (l.price * r / 1_000).max(1);
        if sell {
            let h = &held[self.rng.gen_range(0..held.len())];
            let l = from.iter().find(|l| l.code == h.code).unwrap_or(&from[0]);
            let qty = (h.qty_milli / 1_000 / 2).max(1) * 1_000;
            let price = price_of(l, self.rng.gen_range(950..=1_080));
            let mv = Move::Trade {
                acct: a,
                side: TradeSide::Sell,
                code: l.code,
                qty_milli: qty,
                price,
            };
            return (EntryKind::Deposit, mv);
        }
        let l = &from[self.rng.gen_range(0..from.len())];
        let price = price_of(l, self.rng.gen_range(920..=1_050));
        // A fund's price is per 1,000 units: its quantity counts lots of 1,000.
        let budget = self.rng.gen_range(10..=150) * 10_000;
        let qty = (budget / price).max(1) * 1_000;
        (EntryKind::Withdrawal, buy(a, l, qty, price))
    }

    /// Dividends in April on what the account holds then.
    fn dividends(&mut self, a: usize, s: &SecState, ev: &mut Events) {
        let Some(d) = self.window.monthly(15).into_iter().find(|d| d.month() == 4) else {
            return;
        };
        for h in &s.terms.holdings {
            let Some(l) = STOCKS.iter().find(|l| l.code == h.code && l.dividend > 0) else {
                continue;
            };
            ev.spends.push(Event {
                at_us: day_us(d) + 3_600_000_000,
                kind: EntryKind::Deposit,
                mv: Move::Trade {
                    acct: a,
                    side: TradeSide::Dividend,
                    code: l.code,
                    qty_milli: 0,
                    price: l.dividend,
                },
            });
        }
    }
}

/// The core catalogue's merchant of a spending row.
fn shop(name: &str) -> &'static Merchant {
    merchant(name).expect("spending rows name catalogue merchants")
}

fn buy(acct: usize, l: &'static Listing, qty_milli: i64, price: i64) -> Move {
    Move::Trade {
        acct,
        side: TradeSide::Buy,
        code: l.code,
        qty_milli,
        price,
    }
}
