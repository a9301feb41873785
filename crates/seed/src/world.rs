//! People, accounts and a year of history, one chunk at a time.

use crate::chunk::{day_us, daytime_us, Acct, Chunk, Life, Prod, Window};
use crate::names::{self, APARTMENTS, EMPLOYERS, TELECOMS};
use crate::products::{deposit_terms, gen_products, Holder, Opened};
use crate::{cover, lenders, services};
use crate::{events, play, terms};
use crate::{mix, uuid_from, SeedOptions, SeedReport, CHUNK_PEOPLE};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use finhub_core::account::{AccountKind, NewAccount};
use finhub_core::ids::ci_from_seed;
use finhub_core::institution::{default_institutions, org_code_for, InstitutionKind, KOREAN_BANKS};
use finhub_core::money::Currency;
use finhub_core::party::{Gender, Person};
use finhub_core::repo::{InstitutionRepo, PartyRepo};
use finhub_core::world::generate_account_num;
use finhub_core::CoreError;
use finhub_store::{settlement_account_id, BulkBatch, Store};
use indicatif::ProgressBar;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Instant;

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

pub(crate) fn bank_name(code: &str) -> &'static str {
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

/// The first person of every chunk holds every product, so any world (the
/// 20-person demo one included) shows each of them by construction.
fn holds_everything(index: u64) -> bool {
    index.is_multiple_of(CHUNK_PEOPLE)
}

pub(crate) type Generated = (Person, Vec<Opened>, Life, StdRng);

fn gen_person(seed: u64, index: u64, window: Window) -> Generated {
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
    let full = holds_everything(index);
    let count = match rng.gen_range(0..100) {
        _ if full => 3,
        0..=49 => 1,
        50..=84 => 2,
        _ => 3,
    };
    let mut accounts: Vec<Opened> = (0..count)
        .map(|k| gen_account(&mut rng, k, window, &person, full))
        .collect();
    let mut life = gen_life(&mut rng, birth_date, window, full);
    let h = Holder {
        person: &person,
        main: &accounts[0].account,
        payer: &accounts[0].account,
        window,
        income: life.income,
        full,
    };
    let more = gen_products(&mut rng, &h);
    accounts.extend(more);
    if full {
        // Part two's products are paid from an account of their own, so the
        // main account's bound keeps room for part one's lines.
        let mut payer = gen_account(&mut rng, 2, window, &person, full);
        payer.account.kind = AccountKind::Demand;
        payer.account.product_name = "생활비통장".into();
        payer.account.maturity_date = None;
        payer.account.opening_balance_minor += 30_000_000;
        payer.prod = Prod::Deposit(deposit_terms(&payer.account));
        life.pays_from = accounts.len();
        accounts.push(payer);
    }
    let card = accounts
        .iter()
        .position(|o| o.account.kind == AccountKind::Card);
    let h = Holder {
        person: &person,
        main: &accounts[0].account,
        payer: &accounts[life.pays_from].account,
        window,
        income: life.income,
        full,
    };
    let part_two = gen_part_two(&mut rng, &h, card.map(|k| &accounts[k]));
    accounts.extend(part_two);
    (person, accounts, life, rng)
}

/// Part two's products: policies, telecom contracts, e-finance and the
/// other lenders' loans, drawn after everything else about the person.
fn gen_part_two(rng: &mut StdRng, h: &Holder, card: Option<&Opened>) -> Vec<Opened> {
    let mut out = Vec::new();
    cover::policies(rng, h, &mut out);
    services::telecom(rng, h, &mut out);
    services::efin(rng, h, card, &mut out);
    lenders::loans(rng, h, &mut out);
    out
}

/// The person's `k`-th bank account (the first is always a demand account;
/// whoever holds everything has a time deposit or instalment savings second).
fn gen_account(rng: &mut StdRng, k: usize, window: Window, person: &Person, full: bool) -> Opened {
    let code = pick_bank(rng);
    let account_id = uuid_from(rng);
    let demand = rng.gen_bool(0.65);
    let kind = if k == 0 || (demand && !(full && k == 1)) {
        AccountKind::Demand
    } else {
        AccountKind::Savings
    };
    let opened = window.start - Duration::days(rng.gen_range(1..3_000));
    let opened_at =
        DateTime::<Utc>::from_timestamp_micros(day_us(opened) + daytime_us(rng)).expect("in range");
    let (product, mut opening, maturity) = gen_product(rng, kind, window);
    if full && k == 0 {
        // Rich enough that every bill and contribution of a year is paid.
        opening += 50_000_000;
    }
    let account = NewAccount {
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
    };
    Opened {
        prod: Prod::Deposit(deposit_terms(&account)),
        inst: bank_name(code),
        account,
    }
}

/// Product name, opening balance and maturity of a new bank account.
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
fn gen_life(rng: &mut StdRng, birth_date: NaiveDate, window: Window, full: bool) -> Life {
    let age = window.end.year() - birth_date.year();
    let (mut income, payer) = if age >= 63 {
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
    if full {
        income = income.max(5_000_000);
    }
    Life {
        income,
        payday: [10, 15, 21, 25][rng.gen_range(0..4)],
        payer,
        telecom: TELECOMS[rng.gen_range(0..TELECOMS.len())],
        apt: APARTMENTS[rng.gen_range(0..APARTMENTS.len())],
        full,
        accounts: Vec::new(),
        pays_from: 0,
    }
}

/// The chunk's account of a newly opened one, and the row to store.
fn acct_of(o: Opened, opts: &SeedOptions) -> (Acct, NewAccount) {
    let a = o.account;
    let label = if matches!(a.kind, AccountKind::Demand | AccountKind::Savings) {
        a.holder_name.clone()
    } else {
        o.inst.to_owned()
    };
    let instalment = match &o.prod {
        Prod::Deposit(t) => t.monthly_minor.unwrap_or(0),
        _ => 0,
    };
    let cap = match &o.prod {
        Prod::Prepaid(t) => t.limit_minor,
        Prod::Efin(t) => t.limit_minor,
        _ => i64::MAX,
    };
    let acct = Acct {
        id: a.account_id.clone(),
        settle: settlement_account_id(&a.org_code, a.currency),
        org_code: a.org_code.clone(),
        inst: o.inst,
        holder: a.holder_name.clone(),
        label,
        kind: a.kind,
        opened_day: a.opened_at.date_naive(),
        opened_us: a.opened_at.timestamp_micros(),
        instalment,
        balance: a.opening_balance_minor,
        floor: a.floor_minor,
        cap,
        // The opening line counts against the bound.
        budget: opts
            .max_tx_per_account
            .saturating_sub(u32::from(a.opening_balance_minor > 0)),
        last_us: a.opened_at.timestamp_micros(),
        prod: o.prod,
    };
    (acct, a)
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
        let (person, opened, mut life, _) = gen_person(opts.seed, index, window);
        for o in opened {
            life.accounts.push(c.accts.len());
            let (acct, account) = acct_of(o, opts);
            c.accts.push(acct);
            c.accounts.push(account);
        }
        c.people.push(person);
        c.lives.push(life);
    }
    let rng = StdRng::seed_from_u64(mix(opts.seed, CHUNK_STREAM + chunk));
    (c, rng)
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
        let batch = build_chunk(store, opts, chunk, window).await?;
        let summary = store.bulk_load(batch).await?;
        report.people += summary.people;
        report.accounts += summary.accounts;
        report.postings += summary.postings;
        progress.inc(size);
    }
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    Ok(report)
}

/// One chunk, generated and played, as the batch that loads it.
async fn build_chunk(
    store: &Store,
    opts: &SeedOptions,
    chunk: u64,
    window: Window,
) -> Result<BulkBatch, CoreError> {
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
    let events = events::gen_events(&c, window, &mut rng);
    let entries = play::play(&mut c, events, opts.seed, chunk);
    let terms = terms::records(&c);
    Ok(BulkBatch {
        people: std::mem::take(&mut c.people),
        accounts: std::mem::take(&mut c.accounts),
        entries,
        terms,
    })
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
    fn same_index_same_person() {
        let w = Window {
            start: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            end: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        };
        let (a, aa, _, _) = gen_person(3, 10, w);
        let (b, bb, _, _) = gen_person(3, 10, w);
        assert_eq!(a, b);
        assert_eq!(a.person_id, person_id(3, 10));
        let ids = |v: &[Opened]| -> Vec<String> {
            v.iter().map(|o| o.account.account_id.clone()).collect()
        };
        assert_eq!(ids(&aa), ids(&bb));
        let (c, _, _, _) = gen_person(4, 10, w);
        assert_ne!(a.person_id, c.person_id);
        assert_eq!(a.name.chars().count(), 3);
    }

    /// Apply a chunk's entries as the bulk loader does: openings first,
    /// then everything stably by time, each account from its opening on,
    /// none below its floor.
    fn replay_like_the_loader(accounts: &[NewAccount], entries: &[finhub_store::BulkEntry]) {
        use std::collections::HashMap;
        let mut state: HashMap<&str, (i64, i64, i64)> = accounts
            .iter()
            .map(|a| {
                let at = a.opened_at.timestamp_micros();
                (a.account_id.as_str(), (0, a.floor_minor, at))
            })
            .collect();
        let mut lines: Vec<(i64, &str, i64)> = accounts
            .iter()
            .filter(|a| a.opening_balance_minor > 0)
            .map(|a| {
                let at = a.opened_at.timestamp_micros();
                (at, a.account_id.as_str(), a.opening_balance_minor)
            })
            .collect();
        for e in entries {
            for l in &e.legs {
                lines.push((
                    e.at.timestamp_micros(),
                    l.account_id.as_str(),
                    l.amount_minor,
                ));
            }
        }
        lines.sort_by_key(|l| l.0);
        for (at, id, amount) in lines {
            let Some((balance, floor, opened)) = state.get_mut(id) else {
                assert!(id.starts_with("settle:"), "unknown account {id}");
                continue;
            };
            assert!(at >= *opened, "a line on {id} before it was opened");
            *balance += amount;
            assert!(*balance >= *floor, "{id} below its floor");
        }
    }

    #[test]
    fn chunks_replay_as_the_loader_applies_them() {
        let opts = SeedOptions {
            people: 8 * CHUNK_PEOPLE,
            ..Default::default()
        };
        let end = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let w = Window {
            start: end - Duration::days(365),
            end,
        };
        // Chunk 7 of seed 1 on this day once held an account opened inside
        // the window with lines drawn before its opening.
        for chunk in [0, 7] {
            let (mut c, mut rng) = gen_chunk(&opts, chunk, w);
            let events = events::gen_events(&c, w, &mut rng);
            let entries = play::play(&mut c, events, opts.seed, chunk);
            replay_like_the_loader(&c.accounts, &entries);
        }
    }

    #[test]
    fn the_first_of_a_chunk_holds_every_product() {
        let w = Window {
            start: NaiveDate::from_ymd_opt(2026, 3, 17).unwrap(),
            end: NaiveDate::from_ymd_opt(2026, 6, 15).unwrap(),
        };
        let (_, accounts, life, _) = gen_person(9, CHUNK_PEOPLE, w);
        assert!(life.full);
        let kinds: std::collections::HashSet<_> = accounts.iter().map(|o| o.account.kind).collect();
        for k in [
            AccountKind::Demand,
            AccountKind::Savings,
            AccountKind::Fund,
            AccountKind::Loan,
            AccountKind::Card,
            AccountKind::Prepaid,
            AccountKind::Securities,
            AccountKind::Irp,
            AccountKind::Insurance,
            AccountKind::Telecom,
            AccountKind::Payment,
        ] {
            assert!(kinds.contains(&k), "no {k:?}");
        }
        // Part two's products are paid from a demand account of its own.
        let payer = &accounts[life.pays_from].account;
        assert_eq!(payer.kind, AccountKind::Demand);
        assert_ne!(life.pays_from, 0);
        let at = |kind: AccountKind| {
            let mut orgs: Vec<&str> = accounts
                .iter()
                .filter(|o| o.account.kind == kind)
                .map(|o| o.account.org_code.as_str())
                .collect();
            orgs.sort_unstable();
            orgs.windows(2).any(|w| w[0] == w[1])
        };
        assert!(at(AccountKind::Insurance), "two policies at one insurer");
        assert!(at(AccountKind::Telecom), "two contracts at one carrier");
    }
}
