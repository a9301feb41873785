//! People, accounts and a year of history, one chunk at a time.

use crate::names::{self, APARTMENTS, CARD_COMPANIES, EMPLOYERS, TELECOMS};
use crate::{mix, uuid_from, SeedOptions, SeedReport, CHUNK_PEOPLE};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use finhub_core::account::{AccountKind, NewAccount};
use finhub_core::ids::ci_from_seed;
use finhub_core::institution::{default_institutions, org_code_for, InstitutionKind, KOREAN_BANKS};
use finhub_core::ledger::{EntryKind, Leg};
use finhub_core::money::Currency;
use finhub_core::party::{Gender, Person};
use finhub_core::repo::{InstitutionRepo, PartyRepo};
use finhub_core::world::generate_account_num;
use finhub_core::CoreError;
use finhub_store::{settlement_account_id, BulkBatch, BulkEntry, Store};
use indicatif::ProgressBar;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Instant;

const SEED_SCOPE: &str = "finhub:seed";
/// Separates the chunk streams from the per-person streams.
const CHUNK_STREAM: u64 = 0x00C4_0000_0000_0000;

/// Where people bank, weighted by how many customers each bank has.
/// The policy bank for exports (008) and the test bank (097) hold no
/// personal accounts.
const BANK_WEIGHTS: &[(&str, u32)] = &[
    ("004", 16),
    ("088", 14),
    ("011", 12),
    ("081", 11),
    ("020", 11),
    ("090", 9),
    ("003", 7),
    ("092", 5),
    ("089", 3),
    ("071", 3),
    ("045", 3),
    ("048", 2),
    ("012", 2),
    ("031", 2),
    ("032", 2),
    ("023", 2),
    ("039", 1),
    ("034", 1),
    ("037", 1),
    ("035", 1),
    ("027", 1),
    ("007", 1),
    ("050", 1),
    ("064", 1),
    ("002", 1),
];

fn bank_name(code: &str) -> &'static str {
    KOREAN_BANKS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, n)| *n)
        .unwrap_or("은행")
}

fn pick_bank(rng: &mut impl Rng) -> &'static str {
    let total: u32 = BANK_WEIGHTS.iter().map(|b| b.1).sum();
    let mut x = rng.gen_range(0..total);
    for (code, w) in BANK_WEIGHTS {
        if x < *w {
            return code;
        }
        x -= w;
    }
    BANK_WEIGHTS[0].0
}

/// A phone number per person index, unique by construction within a seed:
/// an affine map of the index modulo 10^8 with a multiplier coprime to it.
fn phone(seed: u64, index: u64) -> String {
    const M: u64 = 100_000_000;
    let offset = mix(seed, u64::MAX) % M;
    let n = ((index % M) * 48_271 + offset) % M;
    format!("010{n:08}")
}

/// The first person's id of a chunk: cheap to derive, so a re-run can tell
/// whether the chunk is already loaded.
fn person_id(seed: u64, index: u64) -> String {
    let mut rng = StdRng::seed_from_u64(mix(seed, index));
    uuid_from(&mut rng)
}

/// One seeded account, as the chunk's history generator sees it.
struct Acct {
    id: String,
    org_code: String,
    bank: &'static str,
    settle: String,
    holder: String,
    kind: AccountKind,
    opened_day: NaiveDate,
    instalment: i64,
    balance: i64,
    budget: u32,
}

/// Who a person is, beyond the stored row: what drives their history.
struct Life {
    income: i64,
    payday: u32,
    payer: String,
    card: &'static str,
    card_day: u32,
    telecom: &'static str,
    apt: &'static str,
    /// Indexes into the chunk's accounts: the first is the main demand account.
    accounts: Vec<usize>,
}

/// A money movement before the balance check decides whether it happens.
enum Move {
    /// Between a seeded account and its bank's settlement account; positive
    /// amounts arrive in the account.
    Outside {
        acct: usize,
        amount: i64,
        memo: String,
        counterparty: String,
    },
    Between {
        from: usize,
        to: usize,
        amount: i64,
        memo_from: String,
        memo_to: String,
    },
    /// Interest on what the account holds at the time, per mille per year.
    Interest { acct: usize, rate_bp: i64 },
}

struct Event {
    at_us: i64,
    kind: EntryKind,
    mv: Move,
}

struct Chunk {
    people: Vec<Person>,
    accounts: Vec<NewAccount>,
    lives: Vec<Life>,
    accts: Vec<Acct>,
}

/// The window of history: [start, end) in UTC days.
#[derive(Clone, Copy)]
struct Window {
    start: NaiveDate,
    end: NaiveDate,
}

impl Window {
    fn days(&self) -> i64 {
        (self.end - self.start).num_days()
    }
    /// The dates in the window that fall on `dom` of each month (clamped to
    /// the month's last day).
    fn monthly(&self, dom: u32) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let (mut y, mut m) = (self.start.year(), self.start.month());
        loop {
            let first = NaiveDate::from_ymd_opt(y, m, 1).expect("valid month");
            if first >= self.end {
                break;
            }
            let last = last_day(y, m);
            let d = NaiveDate::from_ymd_opt(y, m, dom.min(last)).expect("valid day");
            if d >= self.start && d < self.end {
                out.push(d);
            }
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
        out
    }
}

fn last_day(y: i32, m: u32) -> u32 {
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    (next.expect("valid") - Duration::days(1)).day()
}

fn day_us(d: NaiveDate) -> i64 {
    d.and_hms_opt(0, 0, 0)
        .expect("midnight")
        .and_utc()
        .timestamp_micros()
}

/// A time of day in Korean waking hours (09:00-22:00 KST = 00:00-13:00 UTC).
fn daytime_us(rng: &mut impl Rng) -> i64 {
    rng.gen_range(0..13 * 3_600_000_000i64)
}

fn gen_person(seed: u64, index: u64, window: Window) -> (Person, Vec<NewAccount>, Life, StdRng) {
    let mut rng = StdRng::seed_from_u64(mix(seed, index));
    let person_id = uuid_from(&mut rng);
    let gender = if rng.gen_bool(0.5) {
        Gender::Male
    } else {
        Gender::Female
    };
    let n = names::name(&mut rng, gender);
    let born_from = NaiveDate::from_ymd_opt(1950, 1, 1).expect("date");
    let born_span = (NaiveDate::from_ymd_opt(2005, 12, 31).expect("date") - born_from).num_days();
    let birth_date = born_from + Duration::days(rng.gen_range(0..=born_span));
    let email = names::email(&mut rng, &n.email_local);
    let person = Person {
        person_id: person_id.clone(),
        ci: ci_from_seed(format!("finhub-seed:{seed}:{index}").as_bytes()),
        name: n.hangul.clone(),
        birth_date,
        gender: Some(gender),
        phone: Some(phone(seed, index)),
        email: Some(email),
    };
    let count = match rng.gen_range(0..100) {
        0..=49 => 1,
        50..=84 => 2,
        _ => 3,
    };
    let accounts = (0..count)
        .map(|k| gen_account(&mut rng, k, window, &person))
        .collect();
    let life = gen_life(&mut rng, birth_date, window);
    (person, accounts, life, rng)
}

/// The person's `k`-th account (the first is always a demand account).
fn gen_account(rng: &mut StdRng, k: usize, window: Window, person: &Person) -> NewAccount {
    let code = pick_bank(rng);
    let account_id = uuid_from(rng);
    let kind = if k == 0 || rng.gen_bool(0.65) {
        AccountKind::Demand
    } else {
        AccountKind::Savings
    };
    let opened = window.start - Duration::days(rng.gen_range(1..3_000));
    let opened_at =
        DateTime::<Utc>::from_timestamp_micros(day_us(opened) + daytime_us(rng)).expect("in range");
    let (product, opening, maturity) = gen_product(rng, kind, window);
    NewAccount {
        account_num: generate_account_num(Some(code), &account_id),
        account_id,
        org_code: org_code_for(InstitutionKind::Bank, code),
        kind,
        product_name: product.into(),
        currency: Currency::KRW,
        person_id: Some(person.person_id.clone()),
        holder_name: person.name.clone(),
        opened_at,
        maturity_date: maturity,
        floor_minor: 0,
        opening_balance_minor: opening,
    }
}

/// Product name, opening balance and maturity of a new account.
fn gen_product(
    rng: &mut StdRng,
    kind: AccountKind,
    window: Window,
) -> (&'static str, i64, Option<NaiveDate>) {
    match kind {
        AccountKind::Savings => {
            let maturity = window.end + Duration::days(rng.gen_range(30..1_000));
            if rng.gen_bool(0.5) {
                (
                    "정기예금",
                    rng.gen_range(100..3_000) * 10_000,
                    Some(maturity),
                )
            } else {
                ("정기적금", rng.gen_range(5..100) * 10_000, Some(maturity))
            }
        }
        _ => {
            let products = ["자유입출금통장", "월급통장", "저축예금", "보통예금"];
            (
                products[rng.gen_range(0..products.len())],
                rng.gen_range(5..300) * 10_000,
                None,
            )
        }
    }
}

/// Income, payday and the bills a person pays.
fn gen_life(rng: &mut StdRng, birth_date: NaiveDate, window: Window) -> Life {
    let age = window.end.year() - birth_date.year();
    let (income, payer) = if age >= 63 {
        (rng.gen_range(60..180) * 10_000, "국민연금공단".to_owned())
    } else if age < 22 || rng.gen_bool(0.12) {
        (
            rng.gen_range(40..150) * 10_000,
            "(주)아르바이트천국".to_owned(),
        )
    } else {
        (
            rng.gen_range(220..750) * 10_000 + rng.gen_range(0..1_000) * 10,
            EMPLOYERS[rng.gen_range(0..EMPLOYERS.len())].to_owned(),
        )
    };
    Life {
        income,
        payday: [10, 15, 21, 25][rng.gen_range(0..4)],
        payer,
        card: CARD_COMPANIES[rng.gen_range(0..CARD_COMPANIES.len())],
        card_day: [1, 5, 14, 25][rng.gen_range(0..4)],
        telecom: TELECOMS[rng.gen_range(0..TELECOMS.len())],
        apt: APARTMENTS[rng.gen_range(0..APARTMENTS.len())],
        accounts: Vec::new(),
    }
}

fn gen_chunk(opts: &SeedOptions, chunk: u64, window: Window) -> (Chunk, StdRng) {
    let from = chunk * CHUNK_PEOPLE;
    let to = (from + CHUNK_PEOPLE).min(opts.people);
    let mut c = Chunk {
        people: Vec::new(),
        accounts: Vec::new(),
        lives: Vec::new(),
        accts: Vec::new(),
    };
    for index in from..to {
        let (person, accounts, mut life, _) = gen_person(opts.seed, index, window);
        for a in accounts {
            life.accounts.push(c.accts.len());
            let code = a.org_code[a.org_code.len() - 3..].to_owned();
            c.accts.push(Acct {
                id: a.account_id.clone(),
                settle: settlement_account_id(&a.org_code, a.currency),
                org_code: a.org_code.clone(),
                bank: bank_name(&code),
                holder: a.holder_name.clone(),
                kind: a.kind,
                opened_day: a.opened_at.date_naive(),
                instalment: if a.product_name == "정기적금" {
                    a.opening_balance_minor
                } else {
                    0
                },
                balance: a.opening_balance_minor,
                // The opening line counts against the bound.
                budget: opts.max_tx_per_account.saturating_sub(1),
            });
            c.accounts.push(a);
        }
        c.people.push(person);
        c.lives.push(life);
    }
    let rng = StdRng::seed_from_u64(mix(opts.seed, CHUNK_STREAM + chunk));
    (c, rng)
}

/// The candidate movements of a chunk by importance, most important first
/// (the per-account bound drops the least important).
#[derive(Default)]
struct Events {
    income: Vec<Event>,
    bills: Vec<Event>,
    interest: Vec<Event>,
    transfers: Vec<Event>,
    cash: Vec<Event>,
}

/// What drawing one person's movements needs: the chunk, the window and the
/// chunk's RNG, drawn from in a fixed order (the order is the world).
struct Draw<'a> {
    c: &'a Chunk,
    window: Window,
    months: i64,
    rng: &'a mut StdRng,
}

impl Draw<'_> {
    /// A time in waking hours on `d`.
    fn at(&mut self, d: NaiveDate) -> i64 {
        day_us(d) + daytime_us(self.rng)
    }

    /// A day in the window.
    fn day(&mut self) -> NaiveDate {
        self.window.start + Duration::days(self.rng.gen_range(0..self.window.days()))
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

    fn bills(&mut self, life: &Life, ev: &mut Events) {
        let main = life.accounts[0];
        for d in self.window.monthly(life.card_day) {
            let share = self.rng.gen_range(20..70);
            ev.bills.push(Event {
                at_us: self.at(d),
                kind: EntryKind::Card,
                mv: Move::Outside {
                    acct: main,
                    amount: -(life.income * share / 100 + self.rng.gen_range(0..10_000)),
                    memo: "카드대금".into(),
                    counterparty: life.card.into(),
                },
            });
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
        let phone_bill = self.rng.gen_range(45..130) * 1_000;
        for d in self.window.monthly(self.rng.gen_range(18..23)) {
            ev.bills.push(Event {
                at_us: self.at(d),
                kind: EntryKind::Withdrawal,
                mv: Move::Outside {
                    acct: main,
                    amount: -(phone_bill + self.rng.gen_range(0..50) * 100),
                    memo: "통신비".into(),
                    counterparty: life.telecom.into(),
                },
            });
        }
    }

    /// Quarterly interest on every account (draws nothing).
    fn interest(&self, life: &Life, ev: &mut Events) {
        for &a in &life.accounts {
            let rate_bp = if self.c.accts[a].kind == AccountKind::Savings {
                350
            } else {
                10
            };
            for m in [3, 6, 9, 12] {
                let d = self.window.monthly(21).into_iter().find(|d| d.month() == m);
                if let Some(d) = d {
                    ev.interest.push(Event {
                        at_us: day_us(d) + 3_600_000_000,
                        kind: EntryKind::Interest,
                        mv: Move::Interest { acct: a, rate_bp },
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
                        counterparty: format!("{} ATM", self.c.accts[a].bank),
                    },
                });
            }
        }
    }
}

/// Every candidate movement of the chunk, most important first (the
/// per-account bound drops the least important).
fn gen_events(c: &Chunk, window: Window, rng: &mut StdRng) -> Vec<Event> {
    let mut g = Draw {
        c,
        window,
        months: (window.days() / 30).max(1),
        rng,
    };
    let mut ev = Events::default();
    for (p, life) in c.lives.iter().enumerate() {
        g.income(life, &mut ev);
        g.bills(life, &mut ev);
        g.interest(life, &mut ev);
        g.transfers(p, life, &mut ev);
        g.own_transfers(life, &mut ev);
        g.cash(life, &mut ev);
    }
    let Events {
        income: mut all,
        bills,
        interest,
        transfers,
        cash,
    } = ev;
    all.extend(bills);
    all.extend(interest);
    all.extend(transfers);
    all.extend(cash);
    all
}

fn touches(mv: &Move) -> (usize, Option<usize>) {
    match mv {
        Move::Outside { acct, .. } | Move::Interest { acct, .. } => (*acct, None),
        Move::Between { from, to, .. } => (*from, Some(*to)),
    }
}

/// Keep what fits each account's bound, then play it in time order: a
/// payment the account cannot cover does not happen.
fn play(c: &mut Chunk, events: Vec<Event>, seed: u64, chunk: u64) -> Vec<BulkEntry> {
    let kept = within_bounds(c, events);
    let mut out = Vec::with_capacity(kept.len());
    for (n, e) in kept.into_iter().enumerate() {
        let at = DateTime::<Utc>::from_timestamp_micros(e.at_us).expect("in range");
        let Some(legs) = settle(c, e.mv) else {
            continue;
        };
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
        let fits = c.accts[a].budget > 0 && b.is_none_or(|b| c.accts[b].budget > 0);
        if fits {
            c.accts[a].budget -= 1;
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
fn settle(c: &mut Chunk, mv: Move) -> Option<Vec<Leg>> {
    match mv {
        Move::Outside {
            acct,
            amount,
            memo,
            counterparty,
        } => {
            let a = &mut c.accts[acct];
            if a.balance + amount < 0 {
                return None;
            }
            a.balance += amount;
            Some(outside_legs(a, amount, memo, counterparty))
        }
        Move::Interest { acct, rate_bp } => {
            let a = &mut c.accts[acct];
            let amount = a.balance * rate_bp / 40_000;
            if amount <= 0 {
                return None;
            }
            a.balance += amount;
            let bank = a.bank.to_owned();
            Some(outside_legs(a, amount, "이자".into(), bank))
        }
        Move::Between {
            from,
            to,
            amount,
            memo_from,
            memo_to,
        } => {
            if c.accts[from].balance < amount {
                return None;
            }
            c.accts[from].balance -= amount;
            c.accts[to].balance += amount;
            Some(between_legs(
                &c.accts[from],
                &c.accts[to],
                amount,
                memo_from,
                memo_to,
            ))
        }
    }
}

fn between_legs(f: &Acct, t: &Acct, amount: i64, memo_from: String, memo_to: String) -> Vec<Leg> {
    vec![
        Leg {
            account_id: f.id.clone(),
            amount_minor: -amount,
            currency: Currency::KRW,
            memo: memo_from,
            counterparty: t.holder.clone(),
        },
        Leg {
            account_id: t.id.clone(),
            amount_minor: amount,
            currency: Currency::KRW,
            memo: memo_to,
            counterparty: f.holder.clone(),
        },
    ]
}

fn outside_legs(a: &Acct, amount: i64, memo: String, counterparty: String) -> Vec<Leg> {
    vec![
        Leg {
            account_id: a.settle.clone(),
            amount_minor: -amount,
            currency: Currency::KRW,
            memo: memo.clone(),
            counterparty: a.holder.clone(),
        },
        Leg {
            account_id: a.id.clone(),
            amount_minor: amount,
            currency: Currency::KRW,
            memo,
            counterparty,
        },
    ]
}

/// Build (or complete) the world of `opts.people` people from `opts.seed`.
/// See the crate docs for what a re-run does.
pub async fn seed_world(
    store: &Store,
    opts: &SeedOptions,
    progress: &ProgressBar,
) -> Result<SeedReport, CoreError> {
    let started = Instant::now();
    if opts.history_days == 0 || opts.history_days > 3_650 {
        return Err(CoreError::Invalid("history_days must be 1 to 3650".into()));
    }
    for inst in default_institutions() {
        store.upsert_institution(&inst).await?;
    }
    let today = store.clock().now().date_naive();
    let window = Window {
        start: today - Duration::days(opts.history_days as i64),
        end: today,
    };
    progress.set_length(opts.people);
    let mut report = SeedReport::default();
    let chunks = opts.people.div_ceil(CHUNK_PEOPLE);
    for chunk in 0..chunks {
        let first = chunk * CHUNK_PEOPLE;
        let size = (first + CHUNK_PEOPLE).min(opts.people) - first;
        if store.person(&person_id(opts.seed, first)).await?.is_some() {
            progress.inc(size);
            continue;
        }
        let (mut c, mut rng) = gen_chunk(opts, chunk, window);
        let phones: Vec<String> = c.people.iter().filter_map(|p| p.phone.clone()).collect();
        let taken = store.taken_phones(&phones).await?;
        if !taken.is_empty() {
            for p in &mut c.people {
                if p.phone.as_ref().is_some_and(|ph| taken.contains(ph)) {
                    p.phone = None;
                }
            }
        }
        let events = gen_events(&c, window, &mut rng);
        let entries = play(&mut c, events, opts.seed, chunk);
        let summary = store
            .bulk_load(BulkBatch {
                people: std::mem::take(&mut c.people),
                accounts: std::mem::take(&mut c.accounts),
                entries,
            })
            .await?;
        report.people += summary.people;
        report.accounts += summary.accounts;
        report.postings += summary.postings;
        progress.inc(size);
    }
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_unique_within_a_seed() {
        let mut seen = std::collections::HashSet::new();
        for i in 0..200_000 {
            let p = phone(7, i);
            assert_eq!(p.len(), 11);
            assert!(p.starts_with("010"));
            assert!(seen.insert(p));
        }
    }

    #[test]
    fn monthly_dates_stay_in_the_window() {
        let w = Window {
            start: NaiveDate::from_ymd_opt(2025, 11, 23).unwrap(),
            end: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        };
        let d = w.monthly(31);
        assert_eq!(d.len(), 12);
        assert!(d.iter().all(|x| *x >= w.start && *x < w.end));
        assert!(d.contains(&NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()));
        assert_eq!(w.monthly(23).len(), 12);
    }

    #[test]
    fn same_index_same_person() {
        let w = Window {
            start: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            end: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        };
        let (a, aa, _, _) = gen_person(3, 10, w);
        let (b, bb, _, _) = gen_person(3, 10, w);
        assert_eq!(a, b);
        assert_eq!(a.person_id, person_id(3, 10));
        assert_eq!(aa.len(), bb.len());
        let (c, _, _, _) = gen_person(4, 10, w);
        assert_ne!(a.person_id, c.person_id);
        assert_eq!(a.name.chars().count(), 3);
    }
}
