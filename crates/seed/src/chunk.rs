//! What a chunk of the world is made of while it is generated: its accounts
//! with the state their products keep, the movements drawn for them, and the
//! window of history they fall in.

use chrono::{Datelike, Duration, NaiveDate};
use finhub_core::account::{AccountKind, NewAccount};
use finhub_core::ledger::EntryKind;
use finhub_core::merchant::{CardMemo, Merchant, TradeSide};
use finhub_core::party::Person;
use finhub_core::product::lending::{BondKind, LendingKind};
use finhub_core::product::{
    CardTerms, DepositTerms, EfinPrepaidTerms, FundTerms, InsuranceTerms, IrpTerms, LeaseTerms,
    LoanTerms, PayAccountTerms, PrepaidTerms, SecuritiesTerms, TelecomTerms,
};
use rand::Rng;

/// One seeded account, as the chunk's history generator sees it.
pub(crate) struct Acct {
    pub id: String,
    pub org_code: String,
    /// The institution's name (ATM and interest lines name it).
    pub inst: &'static str,
    pub settle: String,
    pub holder: String,
    /// Who the other side of a transfer sees: the holder for deposits, the
    /// institution for its products (a card bill reads "신한카드").
    pub label: String,
    pub kind: AccountKind,
    pub opened_day: NaiveDate,
    pub opened_us: i64,
    /// Monthly payment of instalment savings (0 for everything else).
    pub instalment: i64,
    pub balance: i64,
    pub floor: i64,
    /// The most the account may hold (a prepaid card's limit).
    pub cap: i64,
    pub budget: u32,
    /// Time of the last movement played on it.
    pub last_us: i64,
    pub prod: Prod,
}

/// The product behind an account: its terms, kept up to date as the
/// history is played, and what drives its movements.
pub(crate) enum Prod {
    Deposit(DepositTerms),
    Fund(FundState),
    Loan(LoanState),
    Card(Box<CardState>),
    Prepaid(PrepaidTerms),
    Securities(Box<SecState>),
    Irp(Box<IrpState>),
    /// An insurance or guarantee-insurance policy.
    Policy(Box<PolicyState>),
    Telecom(Box<TelecomState>),
    /// An e-finance prepaid instrument.
    Efin(Box<EfinPrepaidTerms>),
    /// An e-finance payment account.
    PayAccount(Box<PayAccountTerms>),
}

/// A policy and the premiums it has collected so far (those before the
/// window are in its opening balance).
pub(crate) struct PolicyState {
    pub terms: InsuranceTerms,
    pub paid: u32,
}

/// A telecom contract: the monthly fee it charges, and what the next
/// payment collects (the last charge plus the micro-payments before it).
pub(crate) struct TelecomState {
    pub terms: TelecomTerms,
    pub fee: i64,
    /// Charged and not yet paid.
    pub billed: i64,
    /// Micro-payments since the last charge: the next bill collects them.
    pub micro: i64,
}

pub(crate) struct FundState {
    pub terms: FundTerms,
    /// Monthly instalment from the demand account (0 = none).
    pub monthly: i64,
}

pub(crate) struct LoanState {
    pub terms: LoanTerms,
    /// The product terms the loan is stored under.
    pub face: LoanFace,
    /// Equal payment (principal and interest) of an equal-payment loan.
    pub payment: i64,
    pub months: i64,
}

/// Which terms a Loan account is stored under: the plain `LoanTerms` of a
/// bank, card, insurer or installment-finance loan, or one of the wrappers.
pub(crate) enum LoanFace {
    Plain,
    /// An operating lease: `LoanTerms` drive its rents (principal = every
    /// rent of the term, rate 0), `LeaseTerms` are stored.
    Lease(Box<LeaseTerms>),
    Lending(LendingKind, Option<i64>),
    Bond(Box<BondFace>),
}

/// A bond's terms besides its loan.
pub(crate) struct BondFace {
    /// A claim bought from its first lender (a money lender's own loan is not).
    pub bought: bool,
    pub kind: BondKind,
    pub takeover_date: NaiveDate,
    pub init_org_code: String,
    pub prev_org_code: Option<String>,
    pub debt_mgmt: bool,
}

impl LoanState {
    /// A loan of part two's lenders (an insurer's, an installment-finance
    /// company's, a P2P company's, a bond holder's or a money lender's).
    pub fn part_two(&self) -> bool {
        use finhub_core::product::LoanType;
        !matches!(self.face, LoanFace::Plain)
            || matches!(self.terms.loan_type, LoanType::Policy | LoanType::Instalment)
    }

    /// Whether the drawdown pays the borrower's account (otherwise it pays
    /// a third party through the lender: a seller, a dealer, or, for a
    /// bond, the claim taken over from its first lender).
    pub fn pays_borrower(&self) -> bool {
        use finhub_core::product::LoanType;
        match &self.face {
            LoanFace::Lease(_) => false,
            LoanFace::Bond(b) => !b.bought,
            _ => !matches!(
                self.terms.loan_type,
                LoanType::Mortgage | LoanType::Jeonse | LoanType::Instalment
            ),
        }
    }
}

pub(crate) struct CardState {
    pub terms: CardTerms,
    /// What each month's bill collects: (year * 12 + month - 1, amount).
    pub due: Vec<(i32, i64)>,
    /// Billed but not paid: revolving carry-over and missed bills.
    pub carry: i64,
    /// Approvals drawn per month.
    pub per_month: u32,
}

pub(crate) struct SecState {
    pub terms: SecuritiesTerms,
    /// Monthly cash-in from the demand account.
    pub monthly: i64,
}

pub(crate) struct IrpState {
    pub terms: IrpTerms,
    pub monthly: i64,
}

/// Who a person is, beyond the stored row: what drives their history.
pub(crate) struct Life {
    pub income: i64,
    pub payday: u32,
    pub payer: String,
    pub telecom: &'static str,
    pub apt: &'static str,
    /// Holds every product (the demo world's guarantees rest on them).
    pub full: bool,
    /// Indexes into the chunk's accounts: the first is the main demand account.
    pub accounts: Vec<usize>,
    /// Which of `accounts` pays part two's products (premiums, telecom
    /// bills, e-finance charges, their loans).
    pub pays_from: usize,
}

impl Life {
    /// The chunk index of the payer account.
    pub fn payer_acct(&self) -> usize {
        self.accounts[self.pays_from]
    }
}

/// A money movement before the balance check decides whether it happens.
pub(crate) enum Move {
    /// Between a seeded account and its institution's settlement account;
    /// positive amounts arrive in the account.
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
    /// Interest on what the account holds at the time, per the terms' rate.
    Interest {
        acct: usize,
    },
    /// A card or prepaid purchase at a merchant (`amount` in won).
    Spend {
        acct: usize,
        amount: i64,
        merchant: &'static Merchant,
        memo: CardMemo,
    },
    /// The card's monthly bill, collected from the settlement account.
    CardBill {
        card: usize,
        from: usize,
    },
    /// A loan paid out to the person's account, or (`to` None) to a third
    /// party through the bank (a house seller, a landlord).
    LoanDraw {
        loan: usize,
        to: Option<usize>,
    },
    LoanRepay {
        loan: usize,
        from: usize,
    },
    /// The policy's next premium from the payer's account.
    Premium {
        policy: usize,
        from: usize,
    },
    /// A telecom contract's monthly charge.
    TelecomCharge {
        contract: usize,
    },
    /// A telecom bill paid from the payer's account.
    TelecomPay {
        contract: usize,
        from: usize,
    },
    /// Reward money (적립) credited to an e-finance instrument.
    Reward {
        acct: usize,
        amount: i64,
    },
    /// A payment through an e-finance payment account: from the method
    /// account, through the payment account, to the merchant.
    PassThrough {
        pay: usize,
        from: usize,
        amount: i64,
        merchant: &'static str,
    },
    /// A buy, sell or dividend of a listing (an index into the catalogue
    /// the account's holdings draw on).
    Trade {
        acct: usize,
        side: TradeSide,
        code: &'static str,
        qty_milli: i64,
        price: i64,
    },
}

pub(crate) struct Event {
    pub at_us: i64,
    pub kind: EntryKind,
    pub mv: Move,
}

pub(crate) struct Chunk {
    pub people: Vec<Person>,
    pub accounts: Vec<NewAccount>,
    pub lives: Vec<Life>,
    pub accts: Vec<Acct>,
}

/// The window of history: [start, end) in UTC days.
#[derive(Clone, Copy)]
pub(crate) struct Window {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Window {
    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days()
    }

    /// The dates in the window that fall on `dom` of each month (clamped to
    /// the month's last day).
    pub fn monthly(&self, dom: u32) -> Vec<NaiveDate> {
        self.monthly_from(self.start, dom)
    }

    /// As [`Window::monthly`], from `from` (inclusive) on.
    pub fn monthly_from(&self, from: NaiveDate, dom: u32) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let from = from.max(self.start);
        let (mut y, mut m) = (from.year(), from.month());
        loop {
            let first = NaiveDate::from_ymd_opt(y, m, 1).expect("valid month");
            if first >= self.end {
                break;
            }
            let last = last_day(y, m);
            let d = NaiveDate::from_ymd_opt(y, m, dom.min(last)).expect("valid day");
            if d >= from && d < self.end {
                out.push(d);
            }
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
        out
    }
}

pub(crate) fn last_day(y: i32, m: u32) -> u32 {
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    (next.expect("valid") - Duration::days(1)).day()
}

/// The month a date falls in, as one number (`year * 12 + month - 1`).
pub(crate) fn month_key(d: NaiveDate) -> i32 {
    d.year() * 12 + d.month0() as i32
}

pub(crate) fn day_us(d: NaiveDate) -> i64 {
    d.and_hms_opt(0, 0, 0)
        .expect("midnight")
        .and_utc()
        .timestamp_micros()
}

pub(crate) fn date_of(us: i64) -> NaiveDate {
    chrono::DateTime::from_timestamp_micros(us)
        .expect("in range")
        .date_naive()
}

/// A time of day in Korean waking hours (09:00-22:00 KST = 00:00-13:00 UTC).
pub(crate) fn daytime_us(rng: &mut impl Rng) -> i64 {
    rng.gen_range(0..13 * 3_600_000_000i64)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let later = w.monthly_from(NaiveDate::from_ymd_opt(2026, 9, 22).unwrap(), 23);
        assert_eq!(later.len(), 2);
    }
}
