//! Insurance: life, health, annuity and car policies at the insurers,
//! guarantee insurances at the guarantee insurer, and policy loans secured
//! on a policy. A policy is an Insurance account whose balance is what was
//! paid: the premiums due before the window are its opening balance, the
//! ones inside it are ledger movements from the payer's bank account.

use crate::chunk::{day_us, daytime_us, PolicyState, Prod};
use crate::products::{
    before_window, loan_account, loan_opened_us, open, Holder, LoanPlan, Open, Opened,
};
use chrono::{DateTime, Duration, Months, NaiveDate, Utc};
use finhub_core::account::AccountKind;
use finhub_core::institution::InstitutionKind;
use finhub_core::product::insurance::{
    CarCover, Coverage, InsuranceLine, Insured, PayCycle, PolicyStatus, PremiumPlan, Rider,
};
use finhub_core::product::{InsuranceTerms, LoanType, RepayMethod};
use finhub_core::world::generate_account_num;
use rand::rngs::StdRng;
use rand::Rng;

/// A policy product: (insurer, product, line, premium range in thousands of
/// won, premiums in all, years of cover (0 = whole life)).
type PolicyLine = (
    &'static str,
    &'static str,
    InsuranceLine,
    (i64, i64),
    u32,
    u32,
);

const LIFE: &[PolicyLine] = &[
    (
        "삼성생명",
        "삼성생명 (무)삼성 인터넷 종신보험",
        InsuranceLine::Life,
        (80, 300),
        240,
        0,
    ),
    (
        "삼성생명",
        "삼성생명 (무)삼성 연금보험 골드",
        InsuranceLine::Annuity,
        (100, 500),
        120,
        0,
    ),
    (
        "한화생명",
        "한화생명 (무)H종신보험",
        InsuranceLine::Life,
        (70, 280),
        240,
        0,
    ),
    (
        "한화생명",
        "한화생명 (무)e시그니처 암보험",
        InsuranceLine::Health,
        (20, 90),
        240,
        30,
    ),
    (
        "한화생명",
        "한화생명 (무)스마트V 저축보험",
        InsuranceLine::Savings,
        (100, 500),
        60,
        10,
    ),
];

const NON_LIFE: &[PolicyLine] = &[
    (
        "DB손해보험",
        "DB손해보험 참좋은 운전자보험",
        InsuranceLine::General,
        (10, 40),
        240,
        20,
    ),
    (
        "DB손해보험",
        "DB손해보험 실손의료비보험(갱신형)",
        InsuranceLine::Health,
        (15, 60),
        60,
        5,
    ),
    (
        "DB손해보험",
        "DB손해보험 참좋은 훼밀리더블플러스종합보험",
        InsuranceLine::Health,
        (40, 150),
        240,
        30,
    ),
];

const GUARANTEES: &[(&str, (i64, i64))] = &[
    ("전세금보장신용보험", (150, 600)),
    ("이행(계약)보증보험", (30, 200)),
    ("신원보증보험", (20, 80)),
];

const CARS: &[&str] = &[
    "그랜저 2.5 가솔린",
    "쏘나타 2.0 가솔린",
    "아반떼 1.6 가솔린",
    "K5 2.0 LPi",
    "투싼 1.6 터보 하이브리드",
    "쏘렌토 2.2 디젤",
    "모닝 1.0 가솔린",
    "제네시스 G80 2.5T",
];
const PLATE_LETTERS: &[&str] = &["가", "나", "다", "라", "마", "거", "너", "더", "러", "머", "고", "노", "도", "로", "모", "버", "서", "어", "저", "허"];

/// Standard coverage codes and names by line (the standard's code list was
/// not recovered: five characters, a letter for the line and a serial).
fn coverages_of(line: InsuranceLine) -> &'static [(&'static str, &'static str, i64)] {
    match line {
        InsuranceLine::Life => &[
            ("L0101", "일반사망보험금", 100_000_000),
            ("L0201", "재해사망보험금", 100_000_000),
            ("L0301", "고도후유장해보험금", 50_000_000),
        ],
        InsuranceLine::Annuity | InsuranceLine::Savings => &[
            ("A0101", "생존연금", 0),
            ("A0201", "사망보험금", 10_000_000),
        ],
        InsuranceLine::Car => &[
            ("C0101", "대인배상Ⅰ", 150_000_000),
            ("C0201", "대인배상Ⅱ(무한)", 0),
            ("C0301", "대물배상", 200_000_000),
            ("C0401", "자기신체사고", 30_000_000),
            ("C0501", "무보험차상해", 200_000_000),
        ],
        InsuranceLine::Guarantee => &[("G0101", "보증금반환", 0)],
        InsuranceLine::General => &[
            ("G0201", "교통사고처리지원금", 200_000_000),
            ("G0301", "벌금", 20_000_000),
            ("G0401", "변호사선임비용", 5_000_000),
        ],
        InsuranceLine::Health => &[
            ("H0101", "암진단비", 30_000_000),
            ("H0201", "뇌혈관질환진단비", 20_000_000),
            ("H0301", "질병입원의료비", 50_000_000),
            ("H0401", "상해통원의료비", 250_000),
        ],
    }
}

/// The policies a person holds. About a third hold a life-insurer policy,
/// a quarter one at the non-life insurer, 15 % a car policy, 3 % a
/// guarantee insurance; whoever holds everything holds a life policy (with
/// a policy loan on it), and a car and a health policy at one insurer.
pub(crate) fn policies(rng: &mut StdRng, h: &Holder, out: &mut Vec<Opened>) {
    if h.full || rng.gen_bool(0.32) {
        let p = &LIFE[if h.full { 0 } else { rng.gen_range(0..LIFE.len()) }];
        let at = before_window(rng, h, if h.full { 1_500..3_000 } else { 60..3_000 });
        let policy = policy(rng, h, p, at);
        let loanable = matches!(
            p.2,
            InsuranceLine::Life | InsuranceLine::Annuity | InsuranceLine::Savings
        );
        let loan = loanable && (h.full || rng.gen_bool(0.1));
        if loan && (h.full || policy.account.opening_balance_minor >= 2_000_000) {
            let l = policy_loan(rng, h, &policy);
            out.push(policy);
            out.push(l);
        } else {
            out.push(policy);
        }
    }
    if h.full || rng.gen_bool(0.22) {
        let p = &NON_LIFE[if h.full { 2 } else { rng.gen_range(0..NON_LIFE.len()) }];
        let at = before_window(rng, h, 60..2_000);
        out.push(policy(rng, h, p, at));
    }
    if h.full || (h.age() >= 21 && rng.gen_bool(0.18)) {
        out.push(car(rng, h));
    }
    if h.full || rng.gen_bool(0.03) {
        out.push(guarantee(rng, h));
    }
}

fn insurer(name: &str) -> String {
    crate::products::institutions(InstitutionKind::Insurance)
        .chain(crate::products::institutions(InstitutionKind::Guarantee))
        .find(|(_, n)| *n == name)
        .map(|(org, _)| org)
        .expect("the insurer is in the default world")
}

fn date(us: i64) -> NaiveDate {
    DateTime::<Utc>::from_timestamp_micros(us)
        .expect("in range")
        .date_naive()
}

/// Monthly premiums from `issue` on the issue's day: how many fell before
/// the window started (at most all of them).
fn paid_before(issue: NaiveDate, start: NaiveDate, count: u32) -> u32 {
    let mut n = 0;
    while n < count && issue + Months::new(n) < start {
        n += 1;
    }
    n
}

struct PolicyDraft {
    org_code: String,
    inst: &'static str,
    product: String,
    line: InsuranceLine,
    issue_us: i64,
    premium: i64,
    count: u32,
    cycle: PayCycle,
    exp_date: NaiveDate,
    face: i64,
    car: Option<CarCover>,
}

fn policy(rng: &mut StdRng, h: &Holder, p: &PolicyLine, issue_us: i64) -> Opened {
    let &(inst, product, line, (lo, hi), count, years) = p;
    let issue = date(issue_us);
    let exp_date = if years == 0 {
        NaiveDate::from_ymd_opt(9999, 12, 31).expect("date")
    } else {
        issue + Months::new(years * 12)
    };
    let d = PolicyDraft {
        org_code: insurer(inst),
        inst,
        product: product.into(),
        line,
        issue_us,
        premium: rng.gen_range(lo..=hi) * 1_000,
        count,
        cycle: PayCycle::Monthly,
        exp_date,
        face: coverages_of(line)[0].2.max(10_000_000),
        car: None,
    };
    build(rng, h, d)
}

/// A one-year car policy issued within the last year, at the non-life
/// insurer: paid in twelve monthly instalments (분납) or at once.
fn car(rng: &mut StdRng, h: &Holder) -> Opened {
    let back = rng.gen_range(20..330);
    let issue_us = (day_us(h.window.end - Duration::days(back)) + daytime_us(rng))
        .max(h.main.opened_at.timestamp_micros() + 86_400_000_000);
    let issue = date(issue_us);
    let end_date = issue + Months::new(12);
    let yearly = rng.gen_range(50..=150) * 10_000;
    let monthly = h.full || rng.gen_bool(0.4);
    let plate = format!(
        "{:02}{}{:04}",
        rng.gen_range(10..100),
        PLATE_LETTERS[rng.gen_range(0..PLATE_LETTERS.len())],
        rng.gen_range(1_000..10_000)
    );
    let cover = CarCover {
        car_number: plate,
        car_name: CARS[rng.gen_range(0..CARS.len())].into(),
        start_date: issue,
        end_date,
        age_limit: ["만 26세 이상", "만 30세 이상", "만 35세 이상", "만 21세 이상"]
            [rng.gen_range(0..4)]
        .into(),
        driver_limit: ["부부한정", "1인한정", "가족한정", "누구나"][rng.gen_range(0..4)].into(),
        own_damage: rng.gen_bool(0.7),
        self_pay_rate_milli: 20_000,
        self_pay_minor: [200_000, 300_000, 500_000][rng.gen_range(0..3)],
    };
    let d = PolicyDraft {
        org_code: insurer("DB손해보험"),
        inst: "DB손해보험",
        product: "DB손해보험 프로미카 개인용자동차보험".into(),
        line: InsuranceLine::Car,
        issue_us,
        premium: if monthly { yearly / 12 / 10 * 10 } else { yearly },
        count: if monthly { 12 } else { 1 },
        cycle: if monthly {
            PayCycle::Monthly
        } else {
            PayCycle::Once
        },
        exp_date: end_date,
        face: 200_000_000,
        car: Some(cover),
    };
    build(rng, h, d)
}

/// A guarantee insurance, paid once when issued; whoever holds everything
/// took theirs out inside the window, so its premium shows.
fn guarantee(rng: &mut StdRng, h: &Holder) -> Opened {
    let (product, (lo, hi)) = GUARANTEES[if h.full { 0 } else { rng.gen_range(0..3) }];
    let issue_us = if h.full || rng.gen_bool(0.5) {
        loan_opened_us(rng, h, false)
    } else {
        before_window(rng, h, 30..700)
    };
    let issue = date(issue_us);
    let d = PolicyDraft {
        org_code: insurer("서울보증보험"),
        inst: "서울보증보험",
        product: format!("서울보증보험 {product}"),
        line: InsuranceLine::Guarantee,
        issue_us,
        premium: rng.gen_range(lo..=hi) * 1_000,
        count: 1,
        cycle: PayCycle::Once,
        exp_date: issue + Months::new(24),
        face: rng.gen_range(5..=50) * 10_000_000,
        car: None,
    };
    build(rng, h, d)
}

fn build(rng: &mut StdRng, h: &Holder, d: PolicyDraft) -> Opened {
    let issue = date(d.issue_us);
    let before = paid_before(issue, h.window.start, d.count);
    let o = Open {
        org_code: d.org_code,
        inst: d.inst,
        kind: AccountKind::Insurance,
        product: d.product,
        opened_us: d.issue_us,
        floor: 0,
        opening: d.premium * i64::from(before),
    };
    let account = open(rng, h, o, |id| generate_account_num(None, id));
    let insured = vec![Insured {
        no: "01".into(),
        name: h.person.name.clone(),
        primary: true,
    }];
    let covers = coverages_of(d.line);
    let riders = covers
        .iter()
        .enumerate()
        .map(|(k, (_, name, amount))| Rider {
            insured_no: "01".into(),
            name: if k == 0 {
                format!("주계약({name})")
            } else {
                format!("{name}특약")
            },
            status: PolicyStatus::Normal,
            exp_date: d.exp_date,
            face_minor: *amount,
            required: k == 0,
        })
        .collect();
    let coverages = covers
        .iter()
        .enumerate()
        .map(|(k, (code, name, amount))| Coverage {
            insured_no: "01".into(),
            code: (*code).into(),
            num: format!("{}{:03}", &account.account_num[..8], k + 1),
            name: (*name).into(),
            amount_minor: *amount,
            start_date: issue,
            end_date: d.exp_date,
            active: true,
        })
        .collect();
    let pay_day = chrono::Datelike::day(&issue);
    let terms = InsuranceTerms {
        line: d.line,
        status: if before >= d.count {
            PolicyStatus::PaidUp
        } else {
            PolicyStatus::Normal
        },
        issue_date: issue,
        exp_date: d.exp_date,
        face_minor: d.face,
        renewable: matches!(d.line, InsuranceLine::Health | InsuranceLine::Car),
        variable: false,
        universal: d.line == InsuranceLine::Life && rng.gen_bool(0.3),
        loanable: matches!(
            d.line,
            InsuranceLine::Life | InsuranceLine::Annuity | InsuranceLine::Savings
        ),
        pension_start: (d.line == InsuranceLine::Annuity)
            .then(|| crate::products::birthday(h, 65).max(h.window.end + Duration::days(365))),
        insured,
        riders,
        coverages,
        car: d.car,
        premium: PremiumPlan {
            cycle: d.cycle,
            count: d.count,
            pay_day,
            end_date: issue + Months::new(d.count.saturating_sub(1)),
            premium_minor: d.premium,
            account_id: Some(h.payer().account_id.clone()),
            auto_loan: false,
        },
    };
    let inst = d.inst;
    Opened {
        account,
        inst,
        prod: Prod::Policy(Box::new(PolicyState {
            terms,
            paid: before,
        })),
    }
}

/// A policy loan at the policy's insurer, secured on it, up to half of
/// what the policy has collected (a million won at least); taken out
/// inside the window.
fn policy_loan(rng: &mut StdRng, h: &Holder, policy: &Opened) -> Opened {
    let most = policy.account.opening_balance_minor / 2 / 100_000;
    let plan = LoanPlan {
        loan_type: LoanType::Policy,
        product: "보험계약대출",
        principal: rng.gen_range(10..=most.clamp(10, 300)) * 100_000,
        rate_milli: rng.gen_range(430..=850) * 10,
        months: [12, 24, 36][rng.gen_range(0..3)],
        method: RepayMethod::EqualPrincipal,
    };
    let o = Open {
        org_code: policy.account.org_code.clone(),
        inst: policy.inst,
        kind: AccountKind::Loan,
        product: plan.product.into(),
        opened_us: loan_opened_us(rng, h, false),
        floor: -plan.principal,
        opening: 0,
    };
    let mut l = loan_account(rng, h, plan, o, None);
    if let Prod::Loan(s) = &mut l.prod {
        s.terms.secured_by = Some(policy.account.account_id.clone());
    }
    l
}
