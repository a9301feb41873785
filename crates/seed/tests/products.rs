//! The products of the seeded world, read back through the store's public
//! repositories: the demo world's minimums, terms that agree with the
//! ledger, and the same terms from the same seed.
//! Runs on PostgreSQL when FINHUB_TEST_DATABASE_URL is set.

use chrono::{DateTime, Duration, Utc};
use finhub_core::account::{Account, AccountKind};
use finhub_core::clock::Clock;
use finhub_core::ledger::{Direction, Order, Posting, PostingQuery};
use finhub_core::merchant::{merchant, CardMemo, LoanMemo, TradeMemo};
use finhub_core::institution::InstitutionKind;
use finhub_core::product::{
    CardTerms, LoanType, ProductRecord, ProductRepo, ProductTerms, SecuritiesKind,
};
use finhub_core::repo::{AccountRepo, LedgerRepo, PartyRepo};
use finhub_seed::{seed_world, SeedOptions};
use finhub_store::testing::TestStore;
use finhub_store::Store;
use finhub_testkit::ledger::assert_whole;
use indicatif::ProgressBar;
use std::collections::HashMap;

#[path = "products/part_two.rs"]
mod part_two;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-06-15T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// One person's holdings as the store gives them back.
struct PersonHoldings {
    accounts: Vec<Account>,
    terms: HashMap<String, ProductTerms>,
    records: Vec<ProductRecord>,
}

async fn seeded(opts: &SeedOptions) -> (TestStore, Vec<PersonHoldings>) {
    let ts = TestStore::with_clock(Clock::starting_at(now())).await;
    seed_world(&ts.store, opts, &ProgressBar::hidden())
        .await
        .unwrap();
    let people = ts.store.list_people(10_000, 0).await.unwrap();
    assert_eq!(people.len() as u64, opts.people);
    let mut out = Vec::new();
    for p in people {
        let accounts = ts.store.accounts_of_person(&p.person_id).await.unwrap();
        let ids: Vec<String> = accounts.iter().map(|a| a.account_id.clone()).collect();
        let terms = ts.store.terms_of(&ids).await.unwrap();
        assert_eq!(terms.len(), accounts.len(), "every account has its terms");
        let records = terms.clone();
        let terms = terms.into_iter().map(|r| (r.account_id, r.terms)).collect();
        out.push(PersonHoldings {
            accounts,
            terms,
            records,
        });
    }
    (ts, out)
}

/// An account's lines from `from` on, oldest first.
async fn lines(store: &Store, account_id: &str, from: DateTime<Utc>) -> Vec<Posting> {
    let mut out: Vec<Posting> = Vec::new();
    loop {
        let page = store
            .postings(&PostingQuery {
                account_id: account_id.into(),
                from,
                to: now() + Duration::days(1),
                direction: Direction::All,
                order: Order::Asc,
                after: out.last().map(|p| p.cursor()),
                limit: 500,
            })
            .await
            .unwrap();
        if page.is_empty() {
            return out;
        }
        out.extend(page);
    }
}

fn all_time() -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(0, 0).unwrap()
}

/// What one card shows: bills in the last three months, domestic
/// approvals in the last 30 days, and whether it has points.
async fn card_use(store: &Store, a: &Account, t: &ProductTerms) -> (usize, usize, bool) {
    let ProductTerms::Card(c) = t else {
        panic!("card {} without card terms", a.account_id);
    };
    let st = lines(store, &a.account_id, now() - Duration::days(92)).await;
    let bills = st.iter().filter(|p| p.amount_minor > 0).count();
    let recent = st
        .iter()
        .filter(|p| p.at >= now() - Duration::days(30) && p.amount_minor < 0)
        .filter(|p| CardMemo::decode(&p.memo).is_some_and(|m| m.overseas.is_none()))
        .count();
    (bills, recent, c.points.iter().any(|p| p.remain > 0))
}

#[tokio::test]
async fn the_demo_world_holds_every_part_one_product() {
    let (ts, held) = seeded(&SeedOptions::demo(20)).await;
    let store = &ts.store;
    let mut seen: HashMap<&str, bool> = HashMap::new();
    let mut two_at_one_company = false;
    for h in &held {
        let mut cards_per_org: HashMap<&str, usize> = HashMap::new();
        for a in &h.accounts {
            let t = &h.terms[&a.account_id];
            let recent = lines(store, &a.account_id, now() - Duration::days(30)).await;
            let bank = a.org_code.starts_with("BA");
            let what = match (a.kind, t) {
                (AccountKind::Demand, ProductTerms::Deposit(_)) => {
                    assert!(
                        recent.len() >= 2,
                        "{} has {} recent lines",
                        a.account_id,
                        recent.len()
                    );
                    "deposit"
                }
                (AccountKind::Fund, ProductTerms::Fund(f)) if bank => {
                    assert_eq!(f.fund_code.len(), 12);
                    "fund"
                }
                (AccountKind::Loan, ProductTerms::Loan(l)) if bank => {
                    assert_eq!(a.floor_minor, -l.principal_minor);
                    assert!(a.balance_minor < 0);
                    "loan"
                }
                (AccountKind::Irp, ProductTerms::Irp(i)) if !i.products.is_empty() => "irp",
                (AccountKind::Card, _) => {
                    *cards_per_org.entry(&a.org_code).or_default() += 1;
                    let (bills, approvals, points) = card_use(store, a, t).await;
                    if bills >= 1 && approvals >= 2 && points {
                        "card"
                    } else {
                        "card without the minimum"
                    }
                }
                (AccountKind::Prepaid, ProductTerms::Prepaid(_)) => "prepaid",
                (AccountKind::Securities, ProductTerms::Securities(s)) => match s.kind {
                    SecuritiesKind::PensionSavings if s.pension.is_some() => "pension",
                    _ if !s.holdings.is_empty() => "securities",
                    _ => "securities without holdings",
                },
                _ => "other",
            };
            seen.insert(what, true);
        }
        two_at_one_company |= cards_per_org.values().any(|n| *n >= 2);
    }
    for want in [
        "deposit",
        "fund",
        "loan",
        "irp",
        "card",
        "prepaid",
        "securities",
        "pension",
    ] {
        assert!(seen.contains_key(want), "nobody holds a {want}: {seen:?}");
    }
    assert!(two_at_one_company, "two cards at one card company");
    assert_whole(&store.clone().into_world()).await;
}

/// What one part-two account counts as for the demo minimums, when its
/// history reaches the last 35 days (a guarantee's one premium: the window).
async fn part_two_kind(store: &Store, a: &Account, t: &ProductTerms) -> Option<&'static str> {
    use finhub_core::product::insurance::InsuranceLine;
    let what = match t {
        ProductTerms::Insurance(i) if i.line == InsuranceLine::Guarantee => {
            return part_two::recent(store, a, 90).await.then_some("guarantee");
        }
        ProductTerms::Insurance(i) if i.line == InsuranceLine::Car => "car policy",
        ProductTerms::Insurance(_) => "policy",
        ProductTerms::Loan(l) if l.loan_type == LoanType::Policy => "policy loan",
        ProductTerms::Loan(l) if l.loan_type == LoanType::Instalment => "instalment loan",
        ProductTerms::Lease(_) => "lease",
        ProductTerms::Telecom(_) => "telecom",
        ProductTerms::EfinPrepaid(_) => "efin prepaid",
        ProductTerms::PayAccount(_) => "payment account",
        ProductTerms::Lending(_) => "p2p",
        ProductTerms::Bond(_) if a.org_code.starts_with(InstitutionKind::Usury.org_prefix()) => {
            "money lending"
        }
        ProductTerms::Bond(_) => "bond",
        _ => return None,
    };
    part_two::recent(store, a, 35).await.then_some(what)
}

#[tokio::test]
async fn the_demo_world_holds_every_part_two_product() {
    let (ts, held) = seeded(&SeedOptions::demo(20)).await;
    let store = &ts.store;
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let (mut two_policies, mut two_contracts) = (false, false);
    for h in &held {
        let mut per_org: HashMap<(AccountKind, &str), usize> = HashMap::new();
        for a in &h.accounts {
            if let Some(what) = part_two_kind(store, a, &h.terms[&a.account_id]).await {
                *seen.entry(what).or_default() += 1;
            }
            *per_org.entry((a.kind, &a.org_code)).or_default() += 1;
        }
        let at_one = |k: AccountKind| per_org.iter().any(|((kk, _), n)| *kk == k && *n >= 2);
        two_policies |= at_one(AccountKind::Insurance);
        two_contracts |= at_one(AccountKind::Telecom);
    }
    for want in [
        "policy",
        "car policy",
        "policy loan",
        "guarantee",
        "telecom",
        "efin prepaid",
        "payment account",
        "instalment loan",
        "lease",
        "p2p",
        "bond",
        "money lending",
    ] {
        assert!(seen.contains_key(want), "nobody holds a {want} with recent history: {seen:?}");
    }
    assert!(two_policies, "two policies at one insurer");
    assert!(two_contracts, "two contracts at one telecom");
    assert_whole(&store.clone().into_world()).await;
}

/// A card: its id, what it owes, and what its lines say.
fn check_card(a: &Account, c: &CardTerms, st: &[Posting]) {
    assert!(a.account_num.len() <= 64);
    assert!(a.account_num.chars().all(|c| c.is_ascii_alphanumeric()));
    assert!(a.balance_minor <= 0 && a.balance_minor >= a.floor_minor);
    for p in st.iter().filter(|p| p.amount_minor < 0) {
        assert!(CardMemo::decode(&p.memo).is_some(), "{}", p.memo);
        assert!(merchant(&p.counterparty).is_some(), "{}", p.counterparty);
    }
    if c.revolving.is_none() {
        bills_collect_the_months_before(st);
    }
}

/// Each posting's memo reads back as its product's typed memo, and the
/// terms agree with the ledger.
async fn check_account(store: &Store, a: &Account, t: &ProductTerms, owner: &[Account]) {
    let st = lines(store, &a.account_id, all_time()).await;
    let demand = |id: &Option<String>| {
        owner
            .iter()
            .any(|o| Some(&o.account_id) == id.as_ref() && o.kind == AccountKind::Demand)
    };
    match t {
        ProductTerms::Card(c) => {
            assert!(
                demand(&c.settle_account_id),
                "cards settle from a demand account"
            );
            check_card(a, c, &st);
        }
        ProductTerms::Prepaid(pp) => {
            assert!(a.account_num.chars().all(|c| c.is_ascii_alphanumeric()));
            assert!(a.balance_minor <= pp.limit_minor);
            for p in st.iter().filter(|p| p.amount_minor < 0) {
                assert!(CardMemo::decode(&p.memo).is_some(), "{}", p.memo);
            }
        }
        ProductTerms::Loan(l) => {
            assert!(demand(&l.repay_account_id));
            part_two::plain_loan(a, l, owner);
            assert_eq!(LoanMemo::decode(&st[0].memo), Some(LoanMemo::Drawdown));
            assert_eq!(st[0].amount_minor, -l.principal_minor);
            for p in &st[1..] {
                let Some(LoanMemo::Repayment {
                    principal_minor, ..
                }) = LoanMemo::decode(&p.memo)
                else {
                    panic!("loan line {}", p.memo);
                };
                assert_eq!(principal_minor, p.amount_minor);
            }
        }
        ProductTerms::Securities(s) => {
            for p in st.iter().skip(1) {
                assert!(TradeMemo::decode(&p.memo).is_some(), "{}", p.memo);
            }
            assert!(s
                .holdings
                .iter()
                .all(|h| h.qty_milli > 0 && h.avg_price_minor > 0));
            if let Some(pt) = &s.pension {
                let paid: i64 = st
                    .iter()
                    .filter(|p| p.memo == "입금" || p.seq == 1)
                    .map(|p| p.amount_minor)
                    .sum();
                assert_eq!(pt.paid_in_minor, paid, "pension paid in");
            }
        }
        ProductTerms::Irp(i) => {
            let products: i64 = i.products.iter().map(|p| p.principal_minor).sum();
            assert_eq!(products, a.balance_minor);
            assert_eq!(i.employer_minor + i.employee_minor, a.balance_minor);
        }
        ProductTerms::Fund(f) => assert_eq!(f.principal_minor, a.balance_minor),
        ProductTerms::Deposit(_) => assert!(a.balance_minor >= 0),
        _ => part_two::check(store, a, t, owner, &st).await,
    }
}

/// The month of a posting by its KST date, as one number.
fn kst_month(p: &Posting) -> i32 {
    let d = (p.at + Duration::hours(9)).date_naive();
    chrono::Datelike::year(&d) * 12 + chrono::Datelike::month0(&d) as i32
}

/// A paid bill collects every approval of the months since the last paid
/// bill, up to the month before its own (what the card face bills).
fn bills_collect_the_months_before(st: &[Posting]) {
    let mut since = i32::MIN;
    for bill in st.iter().filter(|p| p.amount_minor > 0) {
        let m = kst_month(bill);
        let used: i64 = st
            .iter()
            .filter(|p| p.amount_minor < 0 && (since..m).contains(&kst_month(p)))
            .map(|p| -p.amount_minor)
            .sum();
        assert_eq!(bill.amount_minor, used, "bill of {}", bill.at);
        since = m;
    }
}

#[tokio::test]
async fn products_are_spread_and_agree_with_the_ledger() {
    let opts = SeedOptions {
        people: 300,
        seed: 11,
        history_days: 120,
        ..Default::default()
    };
    let (ts, held) = seeded(&opts).await;
    let mut holders: HashMap<AccountKind, usize> = HashMap::new();
    for h in &held {
        // Oldest first: a bank account, which the products are paid from.
        let first = &h.accounts[0];
        assert!(first.org_code.starts_with("BA"), "{}", first.account_id);
        assert!(matches!(
            first.kind,
            AccountKind::Demand | AccountKind::Savings
        ));
        let mut kinds: Vec<AccountKind> = h.accounts.iter().map(|a| a.kind).collect();
        kinds.sort_by_key(|k| k.as_str());
        kinds.dedup();
        for k in kinds {
            *holders.entry(k).or_default() += 1;
        }
        for a in &h.accounts {
            check_account(&ts.store, a, &h.terms[&a.account_id], &h.accounts).await;
        }
    }
    let share = |k| holders.get(&k).copied().unwrap_or(0) * 100 / held.len();
    assert_eq!(share(AccountKind::Demand), 100);
    for (k, lo, hi) in [
        (AccountKind::Card, 60, 80),
        (AccountKind::Securities, 30, 55),
        (AccountKind::Loan, 25, 55),
        (AccountKind::Irp, 10, 30),
        (AccountKind::Prepaid, 25, 50),
        (AccountKind::Fund, 8, 24),
        (AccountKind::Insurance, 40, 75),
        (AccountKind::Telecom, 35, 60),
        (AccountKind::Payment, 6, 25),
    ] {
        let s = share(k);
        assert!((lo..=hi).contains(&s), "{k:?} held by {s} %");
    }
    assert_whole(&ts.store.clone().into_world()).await;
}

#[tokio::test]
async fn the_same_seed_gives_the_same_terms() {
    let opts = SeedOptions {
        people: 40,
        seed: 5,
        history_days: 60,
        ..Default::default()
    };
    let (_a, ha) = seeded(&opts).await;
    let (_b, hb) = seeded(&opts).await;
    let flat = |h: &[PersonHoldings]| -> Vec<ProductRecord> {
        let mut v: Vec<ProductRecord> = h.iter().flat_map(|p| p.records.clone()).collect();
        v.sort_by(|x, y| x.account_id.cmp(&y.account_id));
        v
    };
    let (fa, fb) = (flat(&ha), flat(&hb));
    assert!(fa.len() > 40);
    assert_eq!(fa, fb);
    let balances = |h: &[PersonHoldings]| -> Vec<(String, i64)> {
        let mut v: Vec<_> = h
            .iter()
            .flat_map(|p| {
                p.accounts
                    .iter()
                    .map(|a| (a.account_id.clone(), a.balance_minor))
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(balances(&ha), balances(&hb));
}
