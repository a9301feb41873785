//! The product terms a chunk's accounts end with, once their history has
//! been played: points earned, units bought, holdings traded.

use crate::chunk::{Acct, Chunk, IrpState, LoanFace, LoanState, PolicyState, Prod};
use chrono::{DateTime, Utc};
use finhub_core::product::insurance::PolicyStatus;
use finhub_core::product::{
    BondTerms, InsuranceTerms, IrpProductKind, LendingTerms, ProductRecord, ProductTerms,
};

pub(crate) fn records(c: &Chunk) -> Vec<ProductRecord> {
    c.accts
        .iter()
        .map(|a| ProductRecord {
            account_id: a.id.clone(),
            terms: terms_of(a),
            // The terms last changed with the account's last movement.
            updated_at: DateTime::<Utc>::from_timestamp_micros(a.last_us.max(a.opened_us))
                .expect("in range"),
        })
        .collect()
}

fn terms_of(a: &Acct) -> ProductTerms {
    match &a.prod {
        Prod::Deposit(t) => ProductTerms::Deposit(t.clone()),
        Prod::Fund(f) => ProductTerms::Fund(f.terms.clone()),
        Prod::Loan(l) => loan_terms(l),
        Prod::Card(cs) => {
            let mut t = cs.terms.clone();
            for p in &mut t.points {
                p.expiring = p.remain / 12;
            }
            if let Some(r) = &mut t.revolving {
                r.remained_minor = cs.carry;
            }
            ProductTerms::Card(t)
        }
        Prod::Prepaid(t) => {
            let mut t = t.clone();
            // Old charges run out first: a tenth of a large balance is near expiry.
            t.expiring_minor = if a.balance > 100_000 {
                a.balance / 10 / 100 * 100
            } else {
                0
            };
            ProductTerms::Prepaid(t)
        }
        Prod::Securities(s) => ProductTerms::Securities(s.terms.clone()),
        Prod::Irp(i) => ProductTerms::Irp(irp_terms(i, a.balance)),
        Prod::Policy(p) => ProductTerms::Insurance(policy_terms(p)),
        Prod::Telecom(t) => ProductTerms::Telecom(t.terms.clone()),
        Prod::Efin(t) => {
            let mut t = (**t).clone();
            // Reward money is spent last: what is left of it is in the balance.
            t.reserve_minor = t.reserve_minor.min(a.balance);
            t.reserve_due_minor = t.reserve_minor / 5;
            t.exp_due_minor = 0;
            ProductTerms::EfinPrepaid(t)
        }
        Prod::PayAccount(t) => ProductTerms::PayAccount((**t).clone()),
    }
}

fn loan_terms(l: &LoanState) -> ProductTerms {
    let loan = l.terms.clone();
    match &l.face {
        LoanFace::Plain => ProductTerms::Loan(loan),
        LoanFace::Lease(t) => ProductTerms::Lease((**t).clone()),
        LoanFace::Lending(kind, ltv) => ProductTerms::Lending(LendingTerms {
            kind: *kind,
            loan,
            ltv_milli: *ltv,
        }),
        LoanFace::Bond(b) => ProductTerms::Bond(BondTerms {
            kind: b.kind,
            loan,
            takeover_date: b.takeover_date,
            init_org_code: b.init_org_code.clone(),
            prev_org_code: b.prev_org_code.clone(),
            debt_mgmt: b.debt_mgmt,
        }),
    }
}

/// A policy whose premiums are all paid is paid up.
fn policy_terms(p: &PolicyState) -> InsuranceTerms {
    let mut t = p.terms.clone();
    if p.paid >= t.premium.count && t.status == PolicyStatus::Normal {
        t.status = PolicyStatus::PaidUp;
    }
    t
}

/// The IRP's money spread over its products: the first holds most of it;
/// guaranteed products are valued at what was paid in plus a little
/// interest, funds at a gain, cash as it is.
fn irp_terms(i: &IrpState, balance: i64) -> finhub_core::product::IrpTerms {
    let mut t = i.terms.clone();
    let n = t.products.len() as i64;
    let mut left = balance;
    for (k, p) in t.products.iter_mut().enumerate() {
        let share = if k as i64 == n - 1 {
            left
        } else if k == 0 {
            balance * 6 / 10
        } else {
            balance / (2 * n)
        };
        left -= share;
        p.principal_minor = share;
        p.eval_minor = match p.kind {
            IrpProductKind::PrincipalGuaranteed => {
                share + share * p.rate_milli.unwrap_or(0) / 200_000
            }
            IrpProductKind::NotGuaranteed => share * 1_062 / 1_000,
            IrpProductKind::Other => share,
        };
        if p.kind == IrpProductKind::NotGuaranteed {
            // Fund units at a price of 1,062 won per 1,000 units.
            p.units_milli = Some(p.eval_minor * 1_000_000 / 1_062);
        }
    }
    t
}
