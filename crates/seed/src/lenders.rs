//! Lending beyond banks and card companies: instalment loans and operating
//! leases at the installment-finance company, P2P loans, bonds held by a
//! debt buyer, and a money lender's loans. All are Loan accounts taken out
//! inside the window, repaid monthly from the payer's bank account.
//!
//! An operating lease is a Loan account whose floor is minus every rent of
//! its term: it opens with one `LoanMemo::Drawdown` line of that amount
//! (from the lessor's settlement: the car goes to the lessee, no money
//! does), so its balance is minus the rents still to pay, and each rent is
//! a `LoanMemo::Repayment` with interest 0 from the bank account. A bond
//! bought from its first lender opens the same way (the claim taken over,
//! from the holder's settlement); a money lender's own loan pays the
//! borrower's account as a bank loan does.

use crate::chunk::{BondFace, LoanFace, Prod};
use crate::products::{
    loan_account, loan_opened_us, pick_institution, Holder, LoanPlan, Open, Opened,
};
use chrono::Months;
use finhub_core::account::AccountKind;
use finhub_core::institution::InstitutionKind;
use finhub_core::product::lending::{BondKind, LendingKind};
use finhub_core::product::{LeaseTerms, LoanType, RepayMethod};
use rand::rngs::StdRng;
use rand::Rng;

const LEASED: &[&str] = &[
    "그랜저 2.5 가솔린 캘리그래피",
    "제네시스 GV70 2.5T",
    "기아 EV6 롱레인지",
    "BMW 520i M Sport",
    "벤츠 E300 4MATIC",
    "카니발 9인승 시그니처",
];

/// Roughly: instalment loans 6 %, leases 2 % (of those earning enough), P2P 2 %, bonds 1.5 %, money
/// lenders 1.5 %; whoever holds everything holds each.
pub(crate) fn loans(rng: &mut StdRng, h: &Holder, out: &mut Vec<Opened>) {
    // Leases and instalment loans go to people whose pay covers them.
    if h.full || (rng.gen_bool(0.08) && h.income >= 3_000_000) {
        out.push(instalment(rng, h));
    }
    if h.full || (rng.gen_bool(0.05) && h.income >= 4_500_000) {
        out.push(lease(rng, h));
    }
    if h.full || rng.gen_bool(0.02) {
        out.push(p2p(rng, h));
    }
    if h.full || rng.gen_bool(0.015) {
        out.push(bond(rng, h, true));
    }
    if h.full || rng.gen_bool(0.015) {
        out.push(bond(rng, h, false));
    }
}

fn opened(
    rng: &mut StdRng,
    h: &Holder,
    kind: InstitutionKind,
    plan: LoanPlan,
    face: LoanFace,
) -> Opened {
    let (org_code, inst) = pick_institution(rng, kind);
    let o = Open {
        org_code,
        inst,
        kind: AccountKind::Loan,
        product: plan.product.into(),
        opened_us: loan_opened_us(rng, h, false),
        floor: -plan.principal,
        opening: 0,
    };
    let mut l = loan_account(rng, h, plan, o, None);
    if let Prod::Loan(s) = &mut l.prod {
        s.face = face;
    }
    l
}

fn instalment(rng: &mut StdRng, h: &Holder) -> Opened {
    let car = h.full || rng.gen_bool(0.7);
    let plan = LoanPlan {
        loan_type: LoanType::Instalment,
        product: if car {
            "오토할부(신차)"
        } else {
            "내구재할부"
        },
        principal: if car {
            rng.gen_range(15..=45) * 1_000_000
        } else {
            rng.gen_range(10..=50) * 100_000
        },
        rate_milli: rng.gen_range(490..=890) * 10,
        months: [24, 36, 48, 60][rng.gen_range(0..4)],
        method: RepayMethod::EqualPayment,
    };
    opened(rng, h, InstitutionKind::Capital, plan, LoanFace::Plain)
}

fn lease(rng: &mut StdRng, h: &Holder) -> Opened {
    let monthly = rng.gen_range(40..=120) * 10_000;
    let months = [36, 48, 60][rng.gen_range(0..3)];
    let item = LEASED[rng.gen_range(0..LEASED.len())];
    let plan = LoanPlan {
        loan_type: LoanType::Instalment,
        product: "운용리스(자동차)",
        principal: monthly * months,
        rate_milli: 0,
        months,
        method: RepayMethod::EqualPayment,
    };
    let mut l = opened(rng, h, InstitutionKind::Capital, plan, LoanFace::Plain);
    let issue = l.account.opened_at.date_naive();
    let Prod::Loan(s) = &mut l.prod else {
        unreachable!("a lease is a loan account")
    };
    s.payment = monthly;
    s.face = LoanFace::Lease(Box::new(LeaseTerms {
        item: item.into(),
        issue_date: issue,
        exp_date: issue + Months::new(months as u32),
        monthly_minor: monthly,
        repay_day: s.terms.repay_day.unwrap_or(25),
        repay_account_id: s.terms.repay_account_id.clone(),
    }));
    l
}

fn p2p(rng: &mut StdRng, h: &Holder) -> Opened {
    let secured = rng.gen_bool(0.3);
    let plan = LoanPlan {
        loan_type: LoanType::Credit,
        product: if secured {
            "아파트담보대출(P2P)"
        } else {
            "개인신용대출(P2P)"
        },
        principal: if secured {
            rng.gen_range(3..=20) * 10_000_000
        } else {
            rng.gen_range(3..=30) * 1_000_000
        },
        rate_milli: rng.gen_range(650..=1_490) * 10,
        months: [12, 24, 36][rng.gen_range(0..3)],
        method: RepayMethod::EqualPayment,
    };
    let (kind, ltv) = if secured {
        (LendingKind::RealEstate, Some(rng.gen_range(50..=75) * 1_000))
    } else {
        (LendingKind::Credit, None)
    };
    opened(
        rng,
        h,
        InstitutionKind::P2p,
        plan,
        LoanFace::Lending(kind, ltv),
    )
}

/// A bond: a card or loan claim bought by the debt buyer (`bought`), or a
/// money lender's own loan.
fn bond(rng: &mut StdRng, h: &Holder, bought: bool) -> Opened {
    let (industry, product, lo, hi, rate) = if bought {
        (InstitutionKind::Bond, "매입채권(개인)", 1, 10, (500, 1_500))
    } else {
        (InstitutionKind::Usury, "대부 신용대출", 1, 5, (1_500, 1_990))
    };
    let plan = LoanPlan {
        loan_type: LoanType::Credit,
        product,
        principal: rng.gen_range(lo..=hi) * 1_000_000,
        rate_milli: rng.gen_range(rate.0..=rate.1) * 10,
        months: [12, 24, 36][rng.gen_range(0..3)],
        method: RepayMethod::EqualPrincipal,
    };
    let kind = if bought && rng.gen_bool(0.5) {
        BondKind::Card
    } else {
        BondKind::Loan
    };
    // The first lender of a bought claim: a card company of the world or
    // the person's bank.
    let first = match kind {
        BondKind::Card => pick_institution(rng, InstitutionKind::Card).0,
        _ => h.main.org_code.clone(),
    };
    let debt_mgmt = bought && rng.gen_bool(0.3);
    let mut l = opened(rng, h, industry, plan, LoanFace::Plain);
    let takeover = l.account.opened_at.date_naive();
    let own = l.account.org_code.clone();
    if let Prod::Loan(s) = &mut l.prod {
        s.face = LoanFace::Bond(Box::new(BondFace {
            bought,
            kind,
            takeover_date: takeover,
            init_org_code: if bought { first } else { own },
            prev_org_code: None,
            debt_mgmt,
        }));
    }
    l
}
