//! Which products a person holds beyond their bank accounts, and the terms
//! each starts with: cards, prepaid cards, loans, funds, securities, pension
//! savings and IRP accounts. Drawn from the person's own RNG after
//! everything else about them, so who they are does not depend on it.

use crate::catalog::{self, Listing, FUNDS, IRP_PRODUCTS, STOCKS};
use crate::chunk::{
    day_us, daytime_us, CardState, FundState, IrpState, LoanFace, LoanState, Prod, SecState, Window,
};
use crate::uuid_from;
use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Utc};
use finhub_core::account::{AccountKind, NewAccount};
use finhub_core::institution::{org_code_for, InstitutionKind, OTHER_INSTITUTIONS};
use finhub_core::money::Currency;
use finhub_core::party::Person;
use finhub_core::product::{
    CardTerms, CardType, DepositTerms, FundTerms, Holding, IrpProduct, IrpTerms, LoanTerms,
    LoanType, PaidIn, PensionTerms, PointBalance, PrepaidTerms, RepayMethod, Revolving,
    SavingMethod, SecuritiesKind, SecuritiesTerms,
};
use finhub_core::world::generate_account_num;
use rand::rngs::StdRng;
use rand::Rng;

/// A newly opened account, its product and its institution's name.
pub(crate) struct Opened {
    pub account: NewAccount,
    pub prod: Prod,
    pub inst: &'static str,
}

/// The person the products are drawn for.
pub(crate) struct Holder<'a> {
    pub person: &'a Person,
    /// The main demand account: bills and contributions are paid from it.
    pub main: &'a NewAccount,
    /// The bank account part two's products are paid from (premiums,
    /// telecom bills, their loans' repayments): the main account, or for
    /// whoever holds everything a second demand account of their own.
    pub payer: &'a NewAccount,
    pub window: Window,
    pub income: i64,
    pub full: bool,
}

impl Holder<'_> {
    pub fn bank_code(&self) -> &str {
        &self.main.org_code[self.main.org_code.len() - 3..]
    }
    pub fn bank(&self) -> &'static str {
        crate::world::bank_name(self.bank_code())
    }
    pub fn payer(&self) -> &NewAccount {
        self.payer
    }
    pub fn age(&self) -> i32 {
        self.window.end.year() - self.person.birth_date.year()
    }
}

/// The terms of a bank deposit account as the generator opens it.
pub(crate) fn deposit_terms(a: &NewAccount) -> DepositTerms {
    let months = a.maturity_date.map_or(0, |m| {
        let o = a.opened_at.date_naive();
        i64::from((m.year() - o.year()) * 12) + i64::from(m.month()) - i64::from(o.month())
    });
    let (saving_method, rate_milli, commit, monthly) = match a.product_name.as_str() {
        "정기예금" => (
            SavingMethod::LumpSum,
            3_350,
            Some(a.opening_balance_minor),
            None,
        ),
        "정기적금" => (
            SavingMethod::Instalment,
            3_800,
            Some(a.opening_balance_minor * months.max(1)),
            Some(a.opening_balance_minor),
        ),
        _ => (SavingMethod::Demand, 100, None, None),
    };
    DepositTerms {
        saving_method,
        rate_milli,
        commit_minor: commit,
        monthly_minor: monthly,
        overdraft: false,
    }
}

/// The non-bank institutions of one industry: (org code, name).
pub(crate) fn institutions(kind: InstitutionKind) -> impl Iterator<Item = (String, &'static str)> {
    use finhub_core::konaplate::PLATFORM_LOCAL;
    OTHER_INSTITUTIONS
        .iter()
        .filter(move |(k, _, _)| *k == kind)
        // The Konaplate platform's prepaid cards are the face's, never seeded.
        .filter(|(k, local, _)| !(*k == InstitutionKind::Efin && *local == PLATFORM_LOCAL))
        .map(move |(_, local, name)| (org_code_for(kind, local), *name))
}

pub(crate) fn pick_institution(rng: &mut StdRng, kind: InstitutionKind) -> (String, &'static str) {
    let n = institutions(kind).count();
    institutions(kind)
        .nth(rng.gen_range(0..n))
        .expect("the default world has this industry")
}

/// Everything beyond the bank accounts a person holds. Roughly: cards 70 %,
/// securities 35 %, loans 30 %, IRP 20 %, prepaid 20 %, funds 15 %, pension
/// savings 10 %; whoever holds everything holds each of them.
pub(crate) fn gen_products(rng: &mut StdRng, h: &Holder) -> Vec<Opened> {
    let mut out = Vec::new();
    if h.full || rng.gen_bool(0.70) {
        cards(rng, h, &mut out);
    }
    if h.full || rng.gen_bool(0.20) {
        out.push(bank_loan(rng, h));
    }
    if h.full || rng.gen_bool(0.15) {
        out.push(fund(rng, h));
    }
    if h.full || (h.age() >= 25 && rng.gen_bool(0.25)) {
        out.push(irp(rng, h));
    }
    if h.full || rng.gen_bool(0.20) {
        out.push(prepaid(rng, h));
    }
    if h.full || rng.gen_bool(0.35) {
        out.push(securities(rng, h, false));
    }
    if h.full || (h.age() >= 30 && rng.gen_bool(0.14)) {
        out.push(securities(rng, h, true));
    }
    out
}

/// What opening one account needs beyond the holder.
pub(crate) struct Open {
    pub org_code: String,
    pub inst: &'static str,
    pub kind: AccountKind,
    pub product: String,
    pub opened_us: i64,
    pub floor: i64,
    pub opening: i64,
}

pub(crate) fn open(
    rng: &mut StdRng,
    h: &Holder,
    o: Open,
    num: impl FnOnce(&str) -> String,
) -> NewAccount {
    let account_id = uuid_from(rng);
    NewAccount {
        account_num: num(&account_id),
        account_id,
        org_code: o.org_code,
        kind: o.kind,
        product_name: o.product,
        currency: Currency::KRW,
        person_id: Some(h.person.person_id.clone()),
        holder_name: h.person.name.clone(),
        opened_at: DateTime::<Utc>::from_timestamp_micros(o.opened_us).expect("in range"),
        maturity_date: None,
        floor_minor: o.floor,
        opening_balance_minor: o.opening,
    }
}

/// A time some days (drawn from `days`) before the window starts, and
/// after the main account was opened: products are paid from it, and a
/// person's oldest account is a bank account.
pub(crate) fn before_window(rng: &mut StdRng, h: &Holder, days: std::ops::Range<i64>) -> i64 {
    let back = rng.gen_range(days);
    let at = day_us(h.window.start - Duration::days(back)) + daytime_us(rng);
    at.max(h.main.opened_at.timestamp_micros() + 86_400_000_000)
}

/// An identifier made of upper-case hex digits of the account id: unique
/// per institution as the ids are, alphanumeric as card and prepaid ids
/// must be.
pub(crate) fn hex_id(prefix: &str, account_id: &str, len: usize) -> String {
    let hex: String = account_id.chars().filter(|c| *c != '-').take(len).collect();
    format!("{prefix}{}", hex.to_ascii_uppercase())
}

fn cards(rng: &mut StdRng, h: &Holder, out: &mut Vec<Opened>) {
    let company = pick_institution(rng, InstitutionKind::Card);
    out.push(card(rng, h, &company, false));
    let second = h.full || rng.gen_bool(0.25);
    if second {
        // Half the second cards are at the same company (always, for the
        // one who holds everything: a partial consent needs two there).
        let other = if h.full || rng.gen_bool(0.5) {
            company.clone()
        } else {
            pick_institution(rng, InstitutionKind::Card)
        };
        out.push(card(rng, h, &other, true));
    }
    if h.full || rng.gen_bool(0.12) {
        out.push(card_loan(rng, h, &company, LoanType::CardLoan));
    }
    if h.full || rng.gen_bool(0.05) {
        out.push(card_loan(rng, h, &company, LoanType::CashAdvance));
    }
}

fn card(rng: &mut StdRng, h: &Holder, company: &(String, &'static str), second: bool) -> Opened {
    let lines = catalog::card_lines(company.1);
    let (product, brand, fee) = lines[rng.gen_range(0..lines.len())];
    let limit = if h.full {
        20_000_000
    } else {
        (h.income * rng.gen_range(10..=30) / 10 / 100_000 * 100_000).clamp(1_000_000, 20_000_000)
    };
    let opened_us = before_window(rng, h, 30..2_500);
    let issue_date = DateTime::<Utc>::from_timestamp_micros(opened_us)
        .expect("in range")
        .date_naive();
    let revolving = (rng.gen_bool(0.15) || (h.full && !second)).then(|| Revolving {
        start_date: issue_date + Duration::days(rng.gen_range(30..300)),
        min_pay_rate_milli: 10_000,
        agreed_pay_rate_milli: [10_000, 30_000, 50_000][rng.gen_range(0..3)],
        remained_minor: 0,
    });
    let terms = CardTerms {
        masked_num: format!(
            "{}-{:02}**-****-{:04}",
            catalog::bin(brand),
            rng.gen_range(10..100),
            rng.gen_range(0..10_000)
        ),
        card_type: CardType::Credit,
        family: second && rng.gen_bool(0.2),
        brand: brand.into(),
        annual_fee_minor: fee,
        issue_date,
        settle_account_id: Some(h.main.account_id.clone()),
        transit: rng.gen_bool(0.6),
        cash_card: rng.gen_bool(0.2),
        pay_day: [1, 5, 10, 14, 15, 20, 25][rng.gen_range(0..7)],
        points: vec![PointBalance {
            name: catalog::point_name(company.1).into(),
            remain: rng.gen_range(1_000..60_000),
            expiring: 0,
        }],
        revolving,
    };
    let o = Open {
        org_code: company.0.clone(),
        inst: company.1,
        kind: AccountKind::Card,
        product: product.into(),
        opened_us,
        floor: -limit,
        opening: 0,
    };
    let account = open(rng, h, o, |id| hex_id("", id, 20));
    let per_month = if h.full { 10 } else { rng.gen_range(3..=10) };
    Opened {
        account,
        inst: company.1,
        prod: Prod::Card(Box::new(CardState {
            terms,
            due: Vec::new(),
            carry: 0,
            per_month,
        })),
    }
}

/// Monthly payment of an equal-payment loan, in integers (f64 powers may
/// round differently across machines; the world must not).
pub(crate) fn annuity(principal: i64, rate_milli: i64, months: i64) -> i64 {
    const ONE: i128 = 1_000_000_000_000;
    let r = i128::from(rate_milli) * ONE / 1_200_000;
    if r == 0 {
        return principal / months.max(1);
    }
    let mut f = ONE;
    for _ in 0..months {
        f = f * (ONE + r) / ONE;
    }
    let p = i128::from(principal) * r / ONE * f / (f - ONE);
    i64::try_from(p).unwrap_or(i64::MAX)
}

pub(crate) struct LoanPlan {
    pub loan_type: LoanType,
    pub product: &'static str,
    pub principal: i64,
    pub rate_milli: i64,
    pub months: i64,
    pub method: RepayMethod,
}

fn bank_loan_plan(rng: &mut StdRng, full: bool) -> LoanPlan {
    let pick = if full { 0 } else { rng.gen_range(0..20) };
    let step = |rng: &mut StdRng, lo: i64, hi: i64| rng.gen_range(lo / 10..hi / 10) * 10;
    match pick {
        0..=11 => LoanPlan {
            loan_type: LoanType::Credit,
            product: "직장인신용대출",
            principal: rng.gen_range(10..=50) * 1_000_000,
            rate_milli: step(rng, 4_500, 7_200),
            months: [12, 24, 36, 60][rng.gen_range(0..4)],
            method: RepayMethod::EqualPayment,
        },
        12..=16 => LoanPlan {
            loan_type: LoanType::Mortgage,
            product: "주택담보대출",
            principal: rng.gen_range(10..=40) * 10_000_000,
            rate_milli: step(rng, 3_600, 4_800),
            months: 360,
            method: if rng.gen_bool(0.5) {
                RepayMethod::EqualPayment
            } else {
                RepayMethod::EqualPrincipal
            },
        },
        // Jeonse loans are mostly repaid at maturity in life; here they
        // repay principal monthly, so every repayment moves the loan
        // account (a posting cannot be zero).
        _ => LoanPlan {
            loan_type: LoanType::Jeonse,
            product: "전세자금대출",
            principal: rng.gen_range(5..=30) * 10_000_000,
            rate_milli: step(rng, 3_800, 4_900),
            months: 24,
            method: RepayMethod::EqualPrincipal,
        },
    }
}

pub(crate) fn loan_account(
    rng: &mut StdRng,
    h: &Holder,
    p: LoanPlan,
    o: Open,
    code: Option<&str>,
) -> Opened {
    let inst = o.inst;
    let opened = DateTime::<Utc>::from_timestamp_micros(o.opened_us)
        .expect("in range")
        .date_naive();
    let mut account = open(rng, h, o, |id| generate_account_num(code, id));
    let exp_date = if p.loan_type == LoanType::CashAdvance {
        // Due after today: a cash advance in the world is still owed.
        next_day_of_month(opened + Duration::days(30), 25)
    } else {
        opened + Months::new(p.months as u32)
    };
    account.maturity_date = Some(exp_date);
    let payment = match p.method {
        RepayMethod::EqualPayment => annuity(p.principal, p.rate_milli, p.months),
        _ => p.principal / p.months,
    };
    let terms = LoanTerms {
        loan_type: p.loan_type,
        rate_milli: p.rate_milli,
        principal_minor: p.principal,
        repay_method: p.method,
        repay_day: Some(opened.day().min(28)),
        repay_account_id: Some(h.payer.account_id.clone()),
        exp_date,
        secured_by: None,
    };
    Opened {
        account,
        inst,
        prod: Prod::Loan(LoanState {
            terms,
            face: LoanFace::Plain,
            payment,
            months: p.months,
        }),
    }
}

/// The first `dom` of a month on or after `d`.
fn next_day_of_month(d: NaiveDate, dom: u32) -> NaiveDate {
    let this = d.with_day(dom).unwrap_or(d);
    if this >= d {
        this
    } else {
        this + Months::new(1)
    }
}

/// Loans are taken out inside the window, so their whole history shows.
pub(crate) fn loan_opened_us(rng: &mut StdRng, h: &Holder, recent: bool) -> i64 {
    let days = h.window.days().max(2);
    let back = if recent {
        rng.gen_range(1..days.min(20))
    } else if h.full {
        days - 1
    } else {
        rng.gen_range((days / 3).max(1)..days)
    };
    day_us(h.window.end - Duration::days(back)) + daytime_us(rng)
}

fn bank_loan(rng: &mut StdRng, h: &Holder) -> Opened {
    let plan = bank_loan_plan(rng, h.full);
    let o = Open {
        org_code: h.main.org_code.clone(),
        inst: h.bank(),
        kind: AccountKind::Loan,
        product: plan.product.into(),
        opened_us: loan_opened_us(rng, h, false),
        floor: -plan.principal,
        opening: 0,
    };
    let code = h.bank_code().to_owned();
    loan_account(rng, h, plan, o, Some(&code))
}

fn card_loan(
    rng: &mut StdRng,
    h: &Holder,
    company: &(String, &'static str),
    loan_type: LoanType,
) -> Opened {
    let cash = loan_type == LoanType::CashAdvance;
    let plan = LoanPlan {
        loan_type,
        product: if cash {
            "단기카드대출(현금서비스)"
        } else {
            "장기카드대출(카드론)"
        },
        principal: if cash {
            rng.gen_range(3..=20) * 100_000
        } else {
            rng.gen_range(3..=10) * 1_000_000
        },
        rate_milli: if cash {
            rng.gen_range(1_700..1_900) * 10
        } else {
            rng.gen_range(1_200..1_700) * 10
        },
        months: if cash {
            1
        } else {
            [12, 24, 36][rng.gen_range(0..3)]
        },
        method: if cash {
            RepayMethod::Bullet
        } else {
            RepayMethod::EqualPayment
        },
    };
    let o = Open {
        org_code: company.0.clone(),
        inst: company.1,
        kind: AccountKind::Loan,
        product: plan.product.into(),
        opened_us: loan_opened_us(rng, h, cash),
        floor: -plan.principal,
        opening: 0,
    };
    loan_account(rng, h, plan, o, None)
}

fn fund(rng: &mut StdRng, h: &Holder) -> Opened {
    let f: &Listing = &FUNDS[rng.gen_range(0..FUNDS.len())];
    let paid_in = [PaidIn::LumpSum, PaidIn::Instalment, PaidIn::Free][rng.gen_range(0..3)];
    let opening = match paid_in {
        PaidIn::LumpSum => rng.gen_range(100..2_000) * 10_000,
        _ => rng.gen_range(10..300) * 10_000,
    };
    let monthly = match paid_in {
        PaidIn::Instalment => rng.gen_range(10..=50) * 10_000,
        _ => 0,
    };
    let o = Open {
        org_code: h.main.org_code.clone(),
        inst: h.bank(),
        kind: AccountKind::Fund,
        product: f.name.into(),
        opened_us: before_window(rng, h, 30..1_500),
        floor: 0,
        opening,
    };
    let code = h.bank_code().to_owned();
    let account = open(rng, h, o, |id| generate_account_num(Some(&code), id));
    // Bought below today's price: the fund has gained since.
    let nav_then = f.price * rng.gen_range(850..1_000) / 1_000;
    let terms = FundTerms {
        fund_code: f.code.into(),
        paid_in,
        units_milli: opening * 1_000_000 / nav_then,
        nav_minor: f.price,
        principal_minor: opening,
    };
    Opened {
        account,
        inst: h.bank(),
        prod: Prod::Fund(FundState { terms, monthly }),
    }
}

/// The date a person turns `age`.
pub(crate) fn birthday(h: &Holder, age: u32) -> NaiveDate {
    h.person.birth_date + Months::new(age * 12)
}

fn irp(rng: &mut StdRng, h: &Holder) -> Opened {
    let at_bank = h.full || rng.gen_bool(0.6);
    let (org_code, inst, code) = if at_bank {
        (h.main.org_code.clone(), h.bank(), h.bank_code().to_owned())
    } else {
        let (org, name) = pick_institution(rng, InstitutionKind::Invest);
        let code = org[org.len() - 3..].to_owned();
        (org, name, code)
    };
    let opening = rng.gen_range(50..3_000) * 10_000;
    let o = Open {
        org_code,
        inst,
        kind: AccountKind::Irp,
        product: "개인형IRP".into(),
        opened_us: before_window(rng, h, 100..3_000),
        floor: 0,
        opening,
    };
    let account = open(rng, h, o, |id| generate_account_num(Some(&code), id));
    let first = account.opened_at.date_naive();
    let n = rng.gen_range(1..=3);
    let start = rng.gen_range(0..IRP_PRODUCTS.len());
    let products = (0..n)
        .map(|k| {
            let (name, kind, rate) = IRP_PRODUCTS[(start + k) % IRP_PRODUCTS.len()];
            IrpProduct {
                name: name.into(),
                kind,
                eval_minor: 0,
                principal_minor: 0,
                units_milli: None,
                open_date: first,
                exp_date: rate.map(|_| first + Months::new(36)),
                rate_milli: rate,
            }
        })
        .collect();
    let terms = IrpTerms {
        employer_minor: opening,
        employee_minor: 0,
        first_deposit: Some(first),
        receive_start: Some(birthday(h, 55).max(h.window.end + Duration::days(365))),
        products,
    };
    let monthly = rng.gen_range(10..=70) * 10_000;
    Opened {
        account,
        inst,
        prod: Prod::Irp(Box::new(IrpState { terms, monthly })),
    }
}

fn prepaid(rng: &mut StdRng, h: &Holder) -> Opened {
    let at_card = h.full || rng.gen_bool(0.6);
    let (org_code, inst, product) = if at_card {
        let (org, name) = pick_institution(rng, InstitutionKind::Card);
        (org, name, format!("{name} 기프트카드"))
    } else {
        let bank = h.bank();
        (
            h.main.org_code.clone(),
            bank,
            format!("{bank} 선불충전카드"),
        )
    };
    let limit = [500_000, 1_000_000, 2_000_000][rng.gen_range(0..3)];
    let o = Open {
        org_code,
        inst,
        kind: AccountKind::Prepaid,
        product,
        opened_us: before_window(rng, h, 30..1_500),
        floor: 0,
        opening: rng.gen_range(1..=20) * 10_000,
    };
    let account = open(rng, h, o, |id| hex_id("PP", id, 18));
    Opened {
        account,
        inst,
        prod: Prod::Prepaid(PrepaidTerms {
            limit_minor: limit,
            expiring_minor: 0,
        }),
    }
}

/// Holdings bought before the window: a few listings at an average price
/// near today's.
fn initial_holdings(rng: &mut StdRng, from: &'static [Listing], n: usize) -> Vec<Holding> {
    let start = rng.gen_range(0..from.len());
    (0..n.min(from.len()))
        .map(|k| {
            let l = &from[(start + k * 3) % from.len()];
            let avg = l.price * rng.gen_range(800..1_150) / 1_000;
            // A fund's price is per 1,000 units, and so is its quantity.
            let lots = if l.class == "fund" { 100 } else { 1 };
            Holding {
                code: l.code.into(),
                name: l.name.into(),
                class: l.class.into(),
                qty_milli: rng.gen_range(1..=50) * 1_000 * lots,
                price_minor: l.price,
                avg_price_minor: avg.max(1),
            }
        })
        .collect()
}

fn securities(rng: &mut StdRng, h: &Holder, pension: bool) -> Opened {
    let (org_code, inst) = pick_institution(rng, InstitutionKind::Invest);
    let code = org_code[org_code.len() - 3..].to_owned();
    let kind = if pension {
        SecuritiesKind::PensionSavings
    } else if rng.gen_bool(0.2) {
        SecuritiesKind::Cma
    } else {
        SecuritiesKind::Brokerage
    };
    let product = match kind {
        SecuritiesKind::PensionSavings => "연금저축계좌",
        SecuritiesKind::Cma => "CMA(RP형)",
        SecuritiesKind::Brokerage => "종합매매계좌",
    };
    let opening = rng.gen_range(10..500) * 10_000;
    let o = Open {
        org_code,
        inst,
        kind: AccountKind::Securities,
        product: product.into(),
        opened_us: before_window(rng, h, 30..3_000),
        floor: 0,
        opening,
    };
    let account = open(rng, h, o, |id| generate_account_num(Some(&code), id));
    let opened = account.opened_at.date_naive();
    let n = rng.gen_range(1..=4);
    let (holdings, pension_terms) = if pension {
        let pt = PensionTerms {
            paid_in_minor: opening,
            withdrawn_minor: 0,
            last_paid_in: Some(opened),
            receive_start: Some(birthday(h, 55).max(h.window.end + Duration::days(365))),
            annual_pay_minor: 0,
        };
        (initial_holdings(rng, FUNDS, n.min(2)), Some(pt))
    } else {
        (initial_holdings(rng, STOCKS, n), None)
    };
    let terms = SecuritiesTerms {
        kind,
        tax_benefit: pension,
        credit_loan_minor: 0,
        mortgage_minor: 0,
        holdings,
        pension: pension_terms,
    };
    let monthly = if h.full || pension || rng.gen_bool(0.5) {
        rng.gen_range(10..=50) * 10_000
    } else {
        0
    };
    Opened {
        account,
        inst,
        prod: Prod::Securities(Box::new(SecState { terms, monthly })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_annuity_repays_the_principal_with_interest() {
        // 10,000,000 won at 6 % over 12 months: 860,664 won a month.
        let p = annuity(10_000_000, 6_000, 12);
        assert!((860_660..=860_670).contains(&p), "{p}");
        assert_eq!(annuity(1_200, 0, 12), 100);
    }

    #[test]
    fn card_and_prepaid_ids_are_alphanumeric() {
        let id = "0f8fad5b-d9cb-469f-a165-70867728950e";
        let c = hex_id("", id, 20);
        assert_eq!(c, "0F8FAD5BD9CB469FA165");
        assert!(hex_id("PP", id, 18)
            .chars()
            .all(|c| c.is_ascii_alphanumeric()));
    }
}
