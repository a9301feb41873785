//! Part two's products against the ledger: policies and their premiums,
//! telecom contracts, e-finance instruments and payment accounts, leases,
//! P2P loans and bonds. Each product's lines read back as its typed memo,
//! its terms agree with its balance, and what the person paid from a bank
//! account is the other side of the same entry there.

use super::{all_time, lines, now};
use chrono::Duration;
use finhub_core::account::{Account, AccountKind};
use finhub_core::institution::InstitutionKind;
use finhub_core::ledger::Posting;
use finhub_core::merchant::LoanMemo;
use finhub_core::product::efin::{EfinMemo, PayType};
use finhub_core::product::insurance::{InsuranceLine, PayCycle, PremiumMemo};
use finhub_core::product::telecom::TelecomMemo;
use finhub_core::product::{LoanTerms, LoanType, ProductTerms};
use finhub_store::Store;
use std::collections::HashMap;

fn org_kind(org_code: &str) -> InstitutionKind {
    InstitutionKind::ALL
        .into_iter()
        .find(|k| org_code.starts_with(k.org_prefix()))
        .unwrap_or_else(|| panic!("org code {org_code}"))
}

fn owned<'a>(owner: &'a [Account], id: Option<&String>) -> &'a Account {
    owner
        .iter()
        .find(|o| Some(&o.account_id) == id)
        .unwrap_or_else(|| panic!("{id:?} is not the person's account"))
}

/// The bank account a product is paid from: the person's demand account.
fn payer<'a>(owner: &'a [Account], id: Option<&String>) -> &'a Account {
    let p = owned(owner, id);
    assert_eq!(p.kind, AccountKind::Demand, "{} pays", p.account_id);
    p
}

/// Each of `st` (on the product) that `pick` keeps is one entry with a
/// line on the payer's account of the opposite amount and the same memo.
async fn other_side(store: &Store, payer: &Account, st: &[Posting], pick: impl Fn(&Posting) -> bool) {
    let theirs: HashMap<i64, Posting> = lines(store, &payer.account_id, all_time())
        .await
        .into_iter()
        .map(|p| (p.entry_id, p))
        .collect();
    for p in st.iter().filter(|p| pick(p)) {
        let q = theirs
            .get(&p.entry_id)
            .unwrap_or_else(|| panic!("{} ({}) is not on {}", p.memo, p.at, payer.account_id));
        assert_eq!(q.amount_minor, -p.amount_minor, "{}", p.memo);
        assert_eq!(q.memo, p.memo);
    }
}

/// The checks `check_account` leaves to part two.
pub async fn check(store: &Store, a: &Account, t: &ProductTerms, owner: &[Account], st: &[Posting]) {
    let industry = org_kind(&a.org_code);
    match t {
        ProductTerms::Insurance(i) => {
            assert_eq!(a.kind, AccountKind::Insurance);
            let guarantee = i.line == InsuranceLine::Guarantee;
            assert_eq!(
                industry,
                if guarantee {
                    InstitutionKind::Guarantee
                } else {
                    InstitutionKind::Insurance
                }
            );
            assert_eq!(i.car.is_some(), i.line == InsuranceLine::Car);
            assert!(!i.insured.is_empty() && !i.coverages.is_empty() && !i.riders.is_empty());
            let plan = &i.premium;
            let from = payer(owner, plan.account_id.as_ref());
            // The opening holds the premiums before the window; each later
            // line is the next premium, numbered on.
            let mut next = 1;
            let mut paid = 0;
            for p in st {
                match PremiumMemo::decode(&p.memo) {
                    Some(m) => {
                        assert_eq!(m.instalment, next, "{} on {}", p.memo, a.account_id);
                        assert_eq!(p.amount_minor, plan.premium_minor);
                        next += 1;
                    }
                    None => {
                        assert_eq!(p.seq, 1, "{}: {}", a.account_id, p.memo);
                        assert_eq!(p.amount_minor % plan.premium_minor, 0);
                        next += (p.amount_minor / plan.premium_minor) as u32;
                    }
                }
                paid += p.amount_minor;
            }
            assert!(next - 1 <= plan.count);
            assert_eq!(paid, a.balance_minor, "a policy holds what was paid");
            if plan.cycle == PayCycle::Once {
                assert_eq!(plan.count, 1);
            }
            other_side(store, from, st, |p| PremiumMemo::decode(&p.memo).is_some()).await;
        }
        ProductTerms::Telecom(tt) => {
            assert_eq!(industry, InstitutionKind::Telecom);
            assert!(a.balance_minor <= 0 && a.balance_minor >= a.floor_minor);
            let from = payer(owner, tt.pay_account_id.as_ref());
            for p in st {
                let m = TelecomMemo::decode(&p.memo).unwrap_or_else(|| panic!("{}", p.memo));
                assert_eq!(matches!(m, TelecomMemo::Payment { .. }), p.amount_minor > 0);
            }
            // A payment pays what was billed: never more than is owed.
            let mut owed = 0;
            for p in st {
                owed -= p.amount_minor;
                assert!(owed >= 0, "{} overpays", a.account_id);
            }
            let paid = |p: &Posting| p.amount_minor > 0;
            other_side(store, from, st, paid).await;
        }
        ProductTerms::EfinPrepaid(e) => {
            assert_eq!(industry, InstitutionKind::Efin);
            assert_eq!(a.kind, AccountKind::Prepaid);
            assert!(a.balance_minor >= 0 && a.balance_minor <= e.limit_minor);
            assert!(e.reserve_minor <= a.balance_minor && e.fob_id.starts_with("FOB"));
            for p in st.iter().skip(1) {
                assert!(EfinMemo::decode(&p.memo).is_some(), "{}", p.memo);
            }
            for c in &e.auto_charge {
                let from = payer(owner, Some(&c.account_id));
                let auto = |p: &Posting| p.memo == EfinMemo::AutoCharge.encode();
                assert!(st.iter().any(auto), "{} never charged itself", a.account_id);
                other_side(store, from, st, auto).await;
            }
        }
        ProductTerms::PayAccount(pa) => {
            assert_eq!(industry, InstitutionKind::Efin);
            assert_eq!(a.kind, AccountKind::Payment);
            assert_eq!(a.balance_minor, 0, "payments pass through");
            let primary: Vec<_> = pa.methods.iter().filter(|m| m.primary).collect();
            assert_eq!(primary.len(), 1);
            assert_eq!(primary[0].pay_type, PayType::Account);
            payer(owner, Some(&primary[0].account_id));
            for m in &pa.methods {
                owned(owner, Some(&m.account_id));
            }
            assert_eq!(st.len() % 2, 0);
            for pair in st.chunks(2) {
                let (i, o) = (&pair[0], &pair[1]);
                assert_eq!(i.entry_id, o.entry_id);
                assert_eq!(i.amount_minor, -o.amount_minor);
                let Some(EfinMemo::Pay { merchant }) = EfinMemo::decode(&i.memo) else {
                    panic!("{}", i.memo);
                };
                assert_eq!(EfinMemo::decode(&o.memo), Some(EfinMemo::Spend));
                assert_eq!(o.counterparty, merchant);
            }
        }
        ProductTerms::Lease(l) => {
            assert_eq!(industry, InstitutionKind::Capital);
            let from = payer(owner, l.repay_account_id.as_ref());
            let months = (l.exp_date.year_month() - l.issue_date.year_month()) as i64;
            assert_eq!(a.floor_minor, -l.monthly_minor * months);
            assert_eq!(LoanMemo::decode(&st[0].memo), Some(LoanMemo::Drawdown));
            assert_eq!(st[0].amount_minor, a.floor_minor);
            for p in &st[1..] {
                let want = LoanMemo::Repayment {
                    principal_minor: l.monthly_minor,
                    interest_minor: 0,
                };
                assert_eq!(LoanMemo::decode(&p.memo), Some(want));
            }
            assert!(st.len() >= 2, "{} has paid no rent", a.account_id);
            let rents = |p: &Posting| p.amount_minor > 0;
            repaid_from(store, from, st, rents).await;
        }
        ProductTerms::Lending(l) => {
            assert_eq!(industry, InstitutionKind::P2p);
            assert_eq!(l.ltv_milli.is_some(), l.kind != finhub_core::product::lending::LendingKind::Credit);
            loan(store, a, &l.loan, owner, st).await;
        }
        ProductTerms::Bond(b) => {
            assert!(matches!(
                industry,
                InstitutionKind::Bond | InstitutionKind::Usury
            ));
            assert!(!b.init_org_code.is_empty());
            assert_eq!(b.takeover_date, a.opened_at.date_naive());
            loan(store, a, &b.loan, owner, st).await;
        }
        other => panic!("no check for the terms of {}: {other:?}", a.account_id),
    }
}

/// A loan's first line is its drawdown, every later one a repayment whose
/// principal is the line, paid from the person's demand account.
async fn loan(store: &Store, a: &Account, l: &LoanTerms, owner: &[Account], st: &[Posting]) {
    let from = payer(owner, l.repay_account_id.as_ref());
    assert_eq!(LoanMemo::decode(&st[0].memo), Some(LoanMemo::Drawdown));
    assert_eq!(st[0].amount_minor, -l.principal_minor);
    assert_eq!(a.floor_minor, -l.principal_minor);
    for p in &st[1..] {
        let Some(LoanMemo::Repayment {
            principal_minor, ..
        }) = LoanMemo::decode(&p.memo)
        else {
            panic!("loan line {}", p.memo);
        };
        assert_eq!(principal_minor, p.amount_minor);
    }
    repaid_from(store, from, st, |p| p.amount_minor > 0).await;
}

/// Each repayment is one entry with the payer's account, which pays the
/// principal and the interest.
async fn repaid_from(store: &Store, payer: &Account, st: &[Posting], pick: impl Fn(&Posting) -> bool) {
    let theirs: HashMap<i64, Posting> = lines(store, &payer.account_id, all_time())
        .await
        .into_iter()
        .map(|p| (p.entry_id, p))
        .collect();
    for p in st.iter().filter(|p| pick(p)) {
        let Some(LoanMemo::Repayment {
            principal_minor,
            interest_minor,
        }) = LoanMemo::decode(&p.memo)
        else {
            panic!("{}", p.memo);
        };
        let q = &theirs[&p.entry_id];
        assert_eq!(q.amount_minor, -(principal_minor + interest_minor));
    }
}

/// The checks part two adds to a plain loan: an insurer's policy loan is
/// secured on a policy the person holds there; an installment-finance
/// loan is at a capital company.
pub fn plain_loan(a: &Account, l: &LoanTerms, owner: &[Account]) {
    match l.loan_type {
        LoanType::Policy => {
            assert_eq!(org_kind(&a.org_code), InstitutionKind::Insurance);
            let p = owned(owner, l.secured_by.as_ref());
            assert_eq!((p.kind, &p.org_code), (AccountKind::Insurance, &a.org_code));
        }
        LoanType::Instalment => assert_eq!(org_kind(&a.org_code), InstitutionKind::Capital),
        _ => assert!(l.secured_by.is_none()),
    }
}

/// Whether the account has a line in the last `days` days.
pub async fn recent(store: &Store, a: &Account, days: i64) -> bool {
    !lines(store, &a.account_id, now() - Duration::days(days))
        .await
        .is_empty()
}

trait YearMonth {
    fn year_month(&self) -> i32;
}

impl YearMonth for chrono::NaiveDate {
    fn year_month(&self) -> i32 {
        chrono::Datelike::year(self) * 12 + chrono::Datelike::month0(self) as i32
    }
}
