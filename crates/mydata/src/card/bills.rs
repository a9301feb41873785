//! 카드-004 bills, 카드-005 bill detail, 카드-006 payments due, 카드-007
//! revolving. A bill is derived from the ledger: the bill of month M holds
//! the approvals (less cancellations) of month M-1 by KST date on the
//! consented credit cards that share a pay day, is charged on that day of M,
//! and its `seqno` is the pay day. Check cards are settled at once and have
//! no bills.

use super::held::{self, kst_date, CardUse, HeldCard};
use crate::codes::Rsp;
use crate::error::{MResult, MydataError};
use crate::extract::{Caller, MQuery};
use crate::history::{date, dtime, rate};
use crate::params::{limit, month, page_of, Cursor, RETENTION_YEARS};
use crate::sync::{latest, Sync};
use crate::wire::{Reply, Synced};
use crate::MydataState;
use axum::extract::State;
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use finhub_core::clock::kst;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn of(d: NaiveDate) -> Month {
        Month {
            year: d.year(),
            month: d.month(),
        }
    }
    fn parse(v: Option<&str>, name: &str) -> MResult<Month> {
        let (year, month) = month(v, name)?;
        Ok(Month { year, month })
    }
    pub fn prev(self) -> Month {
        match self.month {
            1 => Month {
                year: self.year - 1,
                month: 12,
            },
            m => Month {
                month: m - 1,
                ..self
            },
        }
    }
    pub fn next(self) -> Month {
        match self.month {
            12 => Month {
                year: self.year + 1,
                month: 1,
            },
            m => Month {
                month: m + 1,
                ..self
            },
        }
    }
    fn first(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a month's first day")
    }
    /// The given day of the month, or its last day when it is shorter.
    pub fn day(self, day: u32) -> NaiveDate {
        let last = self.next().first().pred_opt().expect("a month's last day");
        NaiveDate::from_ymd_opt(self.year, self.month, day.clamp(1, last.day())).unwrap_or(last)
    }
    /// The month's first instant, KST, in UTC.
    pub fn start(self) -> DateTime<Utc> {
        let midnight = self.first().and_hms_opt(0, 0, 0).expect("midnight");
        kst()
            .from_local_datetime(&midnight)
            .single()
            .expect("KST has no gaps")
            .with_timezone(&Utc)
    }
    /// N(6) `YYYYMM`.
    pub fn number(self) -> i64 {
        i64::from(self.year) * 100 + i64::from(self.month)
    }
}

/// One bill: the uses of the month before on the cards of one pay day.
#[derive(Debug)]
pub(crate) struct Bill<'a> {
    pub month: Month,
    pub pay_day: u32,
    /// Oldest first, each with the card it was made on.
    pub lines: Vec<(&'a HeldCard, CardUse)>,
}

impl Bill<'_> {
    pub fn amount(&self) -> i64 {
        self.lines.iter().map(|(_, u)| u.signed()).sum()
    }
    pub fn seqno(&self) -> String {
        format!("{:02}", self.pay_day)
    }
    pub fn paid_out_date(&self) -> NaiveDate {
        self.month.day(self.pay_day)
    }
}

/// The cards bills are made of: the consented credit cards.
fn billed(cards: &[HeldCard]) -> impl Iterator<Item = &HeldCard> {
    cards.iter().filter(|c| c.consented && c.is_credit())
}

/// Every card use on `cards` from the start of `from` to the start of `to`.
async fn uses_between<'a>(
    state: &MydataState,
    cards: impl Iterator<Item = &'a HeldCard>,
    from: Month,
    to: Month,
) -> MResult<Vec<(&'a HeldCard, CardUse)>> {
    let mut out = Vec::new();
    for c in cards {
        let posts = held::all_postings(state, &c.acct.account_id, from.start(), to.start()).await?;
        out.extend(posts.iter().filter_map(CardUse::of).map(|u| (c, u)));
    }
    Ok(out)
}

/// The bills of `months` (newest first), those of each month by pay day;
/// a pay day with no use that month has no bill.
fn bills_of<'a>(uses: Vec<(&'a HeldCard, CardUse)>, months: &[Month]) -> Vec<Bill<'a>> {
    let mut bills: Vec<Bill<'a>> = Vec::new();
    for (card, u) in uses {
        let month = Month::of(kst_date(u.at)).next();
        if !months.contains(&month) {
            continue;
        }
        let pay_day = card.terms.pay_day;
        match bills
            .iter_mut()
            .find(|b| b.month == month && b.pay_day == pay_day)
        {
            Some(b) => b.lines.push((card, u)),
            None => bills.push(Bill {
                month,
                pay_day,
                lines: vec![(card, u)],
            }),
        }
    }
    for b in &mut bills {
        b.lines.sort_by_key(|(_, u)| (u.at, u.entry_id));
    }
    bills.sort_by(|a, b| b.month.cmp(&a.month).then(a.pay_day.cmp(&b.pay_day)));
    bills
}

/// The bills of `months` on the consented credit cards.
async fn bills_for<'a>(
    state: &MydataState,
    cards: &'a [HeldCard],
    months: &[Month],
) -> MResult<Vec<Bill<'a>>> {
    let (Some(newest), Some(oldest)) = (months.iter().max(), months.iter().min()) else {
        return Ok(Vec::new());
    };
    let uses = uses_between(state, billed(cards), oldest.prev(), *newest).await?;
    Ok(bills_of(uses, months))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub(crate) struct BillQuery {
    pub org_code: Option<String>,
    /// N(6) `YYYYMM`.
    pub from_month: Option<String>,
    /// N(6) `YYYYMM`, included.
    pub to_month: Option<String>,
    pub next_page: Option<String>,
    pub limit: Option<String>,
}

/// From after to or a bad month: 40001; older than five years: 40304.
/// The months run newest first and stop at the current one.
fn months(q: &BillQuery, today: NaiveDate) -> MResult<Vec<Month>> {
    let from = Month::parse(q.from_month.as_deref(), "from_month")?;
    let to = Month::parse(q.to_month.as_deref(), "to_month")?;
    if from > to {
        return Err(MydataError::param("from_month 가 to_month 보다 늦음"));
    }
    let now = Month::of(today);
    let oldest = Month {
        year: now.year - RETENTION_YEARS,
        ..now
    };
    if from < oldest {
        return Err(MydataError::new(Rsp::TooOld));
    }
    let mut out = Vec::new();
    let mut m = to.min(now);
    while m >= from {
        out.push(m);
        m = m.prev();
    }
    Ok(out)
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BillList {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub bill_cnt: usize,
    pub bill_list: Vec<BillItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BillItem {
    /// Settlement sequence (the pay day): pass it to 카드-005.
    pub seqno: String,
    /// N(15) the month's billed won.
    pub charge_amt: i64,
    /// aN(2) `DD` the pay day.
    pub charge_day: String,
    /// N(6) `YYYYMM`.
    pub charge_month: i64,
    /// DATE the settlement date.
    pub paid_out_date: String,
}

/// 카드-004: the bills of the months asked, newest first.
#[utoipa::path(get, path = "/v1/card/bills", tag = "card", params(BillQuery),
    responses((status = 200, description = "청구 기본정보 (카드-004)", body = BillList)))]
pub(crate) async fn bills(
    State(state): State<MydataState>,
    caller: Caller,
    MQuery(q): MQuery<BillQuery>,
) -> MResult<Reply<BillList>> {
    caller.require("card.bill")?;
    caller.org(q.org_code.as_deref())?;
    let limit = limit(q.limit.as_deref())?;
    let offset = Cursor::offset(q.next_page.as_deref())?;
    let months = months(&q, caller.today)?;
    let cards = held::cards(&state, &caller).await?;
    let items = bills_for(&state, &cards, &months)
        .await?
        .iter()
        .map(|b| BillItem {
            seqno: b.seqno(),
            charge_amt: b.amount(),
            charge_day: format!("{:02}", b.pay_day),
            charge_month: b.month.number(),
            paid_out_date: date(b.paid_out_date()),
        })
        .collect();
    let (page, next_page) = page_of(items, offset, limit);
    Ok(Reply::ok(BillList {
        next_page,
        bill_cnt: page.len(),
        bill_list: page,
    }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub(crate) struct DetailQuery {
    pub org_code: Option<String>,
    /// From 카드-004.
    pub seqno: Option<String>,
    /// N(6) `YYYYMM`.
    pub charge_month: Option<String>,
    pub next_page: Option<String>,
    pub limit: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BillDetailList {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    pub bill_detail_cnt: usize,
    pub bill_detail_list: Vec<BillDetailItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BillDetailItem {
    pub card_id: String,
    /// DTIME when the card was used.
    pub paid_dtime: String,
    pub trans_no: String,
    /// F(18,3) won billed (negative for a cancellation).
    pub paid_amt: i64,
    pub currency_code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_regno: Option<String>,
    /// N(15).
    pub credit_fee_amt: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_install_cnt: Option<u32>,
    /// aN(2) `01` lump sum, `02` instalments, `03` overseas.
    pub prod_type: String,
}

fn detail_item(card: &HeldCard, u: &CardUse, merchant: bool) -> BillDetailItem {
    let prod_type = match (u.memo.overseas.is_some(), u.instalments()) {
        (true, _) => "03",
        (false, Some(_)) => "02",
        (false, None) => "01",
    };
    BillDetailItem {
        card_id: crate::assets::asset_id(&card.acct),
        paid_dtime: dtime(u.at),
        trans_no: u.approved_num(),
        paid_amt: u.signed(),
        currency_code: "KRW".into(),
        merchant_name: merchant.then(|| u.merchant_name.clone()),
        merchant_regno: merchant
            .then(|| u.merchant().and_then(|m| m.business_num))
            .flatten()
            .map(str::to_owned),
        credit_fee_amt: 0,
        total_install_cnt: u.instalments(),
        prod_type: prod_type.into(),
    }
}

/// 카드-005: the lines of one bill, newest first.
#[utoipa::path(get, path = "/v1/card/bills/detail", tag = "card", params(DetailQuery),
    responses((status = 200, description = "청구 추가정보 (카드-005)", body = BillDetailList)))]
pub(crate) async fn detail(
    State(state): State<MydataState>,
    caller: Caller,
    MQuery(q): MQuery<DetailQuery>,
) -> MResult<Reply<BillDetailList>> {
    caller.require("card.bill")?;
    caller.org(q.org_code.as_deref())?;
    let limit = limit(q.limit.as_deref())?;
    let offset = Cursor::offset(q.next_page.as_deref())?;
    let month = Month::parse(q.charge_month.as_deref(), "charge_month")?;
    let pay_day: u32 = q
        .seqno
        .as_deref()
        .filter(|s| s.len() <= 7 && !s.is_empty())
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| MydataError::param("seqno"))?;
    let cards = held::cards(&state, &caller).await?;
    let bills = bills_for(&state, &cards, &[month]).await?;
    let merchant = caller.consent.merchant;
    let items: Vec<BillDetailItem> = bills
        .iter()
        .filter(|b| b.pay_day == pay_day)
        .flat_map(|b| b.lines.iter().rev())
        .map(|(card, u)| detail_item(card, u, merchant))
        .collect();
    let (page, next_page) = page_of(items, offset, limit);
    Ok(Reply::ok(BillDetailList {
        next_page,
        bill_detail_cnt: page.len(),
        bill_detail_list: page,
    }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub(crate) struct SyncQuery {
    pub org_code: Option<String>,
    pub search_timestamp: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PaymentList {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    /// A consented card carries a revolving balance.
    pub is_revolving: bool,
    pub pay_cnt: usize,
    pub pay_list: Vec<PaymentItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PaymentItem {
    pub seqno: String,
    /// DATE.
    pub pay_due_date: String,
    /// N(15).
    pub pay_amt: i64,
    /// N(15) the lump-sum part.
    pub lump_sum_amt: i64,
    /// N(15) the instalment part.
    pub monthly_amt: i64,
}

/// The month whose bill on `pay_day` is the next to be paid: this month's
/// until its pay date has passed, then next month's.
pub(crate) fn due_month(today: NaiveDate, pay_day: u32) -> Month {
    let this = Month::of(today);
    if today <= this.day(pay_day) {
        this
    } else {
        this.next()
    }
}

fn payment_item(b: &Bill) -> PaymentItem {
    let monthly: i64 = b
        .lines
        .iter()
        .filter(|(_, u)| u.instalments().is_some())
        .map(|(_, u)| u.signed())
        .sum();
    PaymentItem {
        seqno: b.seqno(),
        pay_due_date: date(b.paid_out_date()),
        pay_amt: b.amount(),
        lump_sum_amt: b.amount() - monthly,
        monthly_amt: monthly,
    }
}

/// 카드-006: what is due next on each pay day of the consented credit cards.
#[utoipa::path(get, path = "/v1/card/payments", tag = "card", params(SyncQuery),
    responses((status = 200, description = "결제정보 (카드-006)", body = PaymentList)))]
pub(crate) async fn payments(
    State(state): State<MydataState>,
    caller: Caller,
    MQuery(q): MQuery<SyncQuery>,
) -> MResult<Synced<PaymentList>> {
    caller.require("card.bill")?;
    caller.org(q.org_code.as_deref())?;
    let sync = Sync::parse(q.search_timestamp.as_deref(), state.world.clock.now())?;
    let cards = held::cards(&state, &caller).await?;
    // Each pay day's next bill is this month's or next month's.
    let this = Month::of(caller.today);
    let mut items: Vec<PaymentItem> = bills_for(&state, &cards, &[this.next(), this])
        .await?
        .iter()
        .filter(|b| b.month == due_month(caller.today, b.pay_day))
        .map(payment_item)
        .collect();
    items.sort_by(|a, b| a.pay_due_date.cmp(&b.pay_due_date));
    // What is due moves with each use and with each pay date passed.
    let modified = latest(
        billed(&cards)
            .flat_map(|c| {
                [
                    Some(c.changed),
                    c.acct.last_tran_at,
                    last_pay_date(caller.today, c),
                ]
            })
            .chain([Some(caller.consent.created_at)]),
    );
    let is_revolving = cards
        .iter()
        .any(|c| c.consented && c.terms.revolving.is_some());
    Ok(sync.answer(modified, |search_timestamp| PaymentList {
        search_timestamp,
        is_revolving,
        pay_cnt: items.len(),
        pay_list: items,
    }))
}

/// The day after the card's latest pay date up to today: from then on the
/// next bill is due.
fn last_pay_date(today: NaiveDate, c: &HeldCard) -> Option<DateTime<Utc>> {
    let this = Month::of(today);
    let paid = if today > this.day(c.terms.pay_day) {
        this.day(c.terms.pay_day)
    } else {
        this.prev().day(c.terms.pay_day)
    };
    let after = paid.succ_opt()?.and_hms_opt(0, 0, 0)?;
    kst()
        .from_local_datetime(&after)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RevolvingList {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_timestamp: Option<i64>,
    pub revolving_cnt: usize,
    pub revolving_list: Vec<RevolvingItem>,
}

#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub(crate) struct RevolvingItem {
    /// DATE revolving started.
    pub req_date: String,
    /// F percent of the balance paid at least.
    pub min_pay_rate: f64,
    /// N(15).
    pub min_pay_amt: i64,
    /// F percent agreed.
    pub agreed_pay_rate: f64,
    /// N(15).
    pub agreed_pay_amt: i64,
    /// N(15) carried over.
    pub remained_amt: i64,
}

/// `rate_milli` thousandths of a percent of `amount`, rounded down.
fn share(amount: i64, rate_milli: i64) -> i64 {
    (i128::from(amount) * i128::from(rate_milli) / 100_000) as i64
}

fn revolving_item(c: &HeldCard) -> Option<RevolvingItem> {
    let r = c.terms.revolving.as_ref()?;
    Some(RevolvingItem {
        req_date: date(r.start_date),
        min_pay_rate: rate(r.min_pay_rate_milli),
        min_pay_amt: share(r.remained_minor, r.min_pay_rate_milli),
        agreed_pay_rate: rate(r.agreed_pay_rate_milli),
        agreed_pay_amt: share(r.remained_minor, r.agreed_pay_rate_milli),
        remained_amt: r.remained_minor,
    })
}

/// 카드-007: the revolving agreements of the consented cards.
#[utoipa::path(get, path = "/v1/card/payments/revolving", tag = "card", params(SyncQuery),
    responses((status = 200, description = "리볼빙 정보 (카드-007)", body = RevolvingList)))]
pub(crate) async fn revolving(
    State(state): State<MydataState>,
    caller: Caller,
    MQuery(q): MQuery<SyncQuery>,
) -> MResult<Synced<RevolvingList>> {
    caller.require("card.bill")?;
    caller.org(q.org_code.as_deref())?;
    let sync = Sync::parse(q.search_timestamp.as_deref(), state.world.clock.now())?;
    let cards = held::cards(&state, &caller).await?;
    let consented = || cards.iter().filter(|c| c.consented);
    let items: Vec<RevolvingItem> = consented().filter_map(revolving_item).collect();
    let modified = latest(
        consented()
            .map(|c| Some(c.changed))
            .chain([Some(caller.consent.created_at)]),
    );
    Ok(sync.answer(modified, |search_timestamp| RevolvingList {
        search_timestamp,
        revolving_cnt: items.len(),
        revolving_list: items,
    }))
}

#[cfg(test)]
mod tests {
    use super::super::held::UseStatus;
    use super::*;
    use finhub_core::account::{Account, AccountKind, AccountStatus};
    use finhub_core::merchant::CardMemo;
    use finhub_core::money::Currency;
    use finhub_core::product::{CardTerms, CardType};

    fn ym(year: i32, month: u32) -> Month {
        Month { year, month }
    }

    fn card(id: &str, pay_day: u32) -> HeldCard {
        let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        HeldCard {
            acct: Account {
                account_id: id.into(),
                org_code: "CD00000001".into(),
                account_num: format!("{id}0000"),
                kind: AccountKind::Card,
                product_name: "카드".into(),
                currency: Currency::KRW,
                person_id: Some("p".into()),
                holder_name: "홍길동".into(),
                opened_at: at,
                closed_at: None,
                maturity_date: None,
                status: AccountStatus::Active,
                floor_minor: -5_000_000,
                balance_minor: 0,
                last_tran_at: None,
            },
            terms: CardTerms {
                masked_num: "9410-12**-****-3456".into(),
                card_type: CardType::Credit,
                family: false,
                brand: "VISA".into(),
                annual_fee_minor: 10_000,
                issue_date: at.date_naive(),
                settle_account_id: None,
                transit: true,
                cash_card: false,
                pay_day,
                points: vec![],
                revolving: None,
            },
            consented: true,
            changed: at,
        }
    }

    /// A use at a KST wall-clock time.
    fn used(id: i64, kst_ymdh: (i32, u32, u32, u32), amount: i64, installments: u32) -> CardUse {
        let (y, m, d, h) = kst_ymdh;
        let at = kst()
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .unwrap()
            .with_timezone(&Utc);
        CardUse {
            entry_id: id,
            at,
            status: if amount < 0 {
                UseStatus::Cancelled
            } else {
                UseStatus::Approved
            },
            amount: amount.abs(),
            merchant_name: "쿠팡".into(),
            memo: CardMemo {
                installments,
                overseas: None,
            },
        }
    }

    #[test]
    fn months_step_and_clamp_days() {
        assert_eq!(ym(2026, 1).prev(), ym(2025, 12));
        assert_eq!(ym(2026, 12).next(), ym(2027, 1));
        assert_eq!(
            ym(2026, 2).day(31),
            NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()
        );
        assert_eq!(ym(2026, 11).number(), 202611);
        // Month starts are KST midnights.
        assert_eq!(
            ym(2026, 12).start(),
            Utc.with_ymd_and_hms(2026, 11, 30, 15, 0, 0).unwrap()
        );
    }

    #[test]
    fn a_bill_holds_the_month_before_by_kst_date_per_pay_day() {
        let (a, b) = (card("a", 14), card("b", 25));
        let uses = vec![
            // 1 Nov 00:30 KST is still 31 Oct in UTC: November's use, December's bill.
            (&a, used(1, (2026, 11, 1, 0), 10_000, 0)),
            (&a, used(2, (2026, 11, 20, 12), 30_000, 3)),
            (&a, used(3, (2026, 11, 21, 9), -4_000, 0)),
            (&b, used(4, (2026, 11, 5, 9), 7_000, 0)),
            (&a, used(5, (2026, 10, 31, 23), 99_000, 0)),
            (&a, used(6, (2026, 12, 1, 0), 1, 0)),
        ];
        let bills = bills_of(uses, &[ym(2026, 12), ym(2026, 11)]);
        assert_eq!(bills.len(), 3);
        let dec14 = &bills[0];
        assert_eq!(
            (dec14.month, dec14.pay_day, dec14.seqno()),
            (ym(2026, 12), 14, "14".into())
        );
        assert_eq!(dec14.amount(), 36_000);
        assert_eq!(
            dec14.paid_out_date(),
            NaiveDate::from_ymd_opt(2026, 12, 14).unwrap()
        );
        let ids: Vec<i64> = dec14.lines.iter().map(|(_, u)| u.entry_id).collect();
        assert_eq!(ids, vec![1, 2, 3]);
        assert_eq!(
            (bills[1].month, bills[1].pay_day, bills[1].amount()),
            (ym(2026, 12), 25, 7_000)
        );
        assert_eq!((bills[2].month, bills[2].amount()), (ym(2026, 11), 99_000));
        let p = payment_item(dec14);
        assert_eq!(
            (p.pay_amt, p.monthly_amt, p.lump_sum_amt),
            (36_000, 30_000, 6_000)
        );
    }

    #[test]
    fn the_bill_due_is_this_months_until_its_pay_date() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert_eq!(due_month(d(11, 14), 14), ym(2026, 11));
        assert_eq!(due_month(d(11, 15), 14), ym(2026, 12));
        assert_eq!(due_month(d(2, 28), 31), ym(2026, 2));
    }

    #[test]
    fn month_ranges_are_checked_and_stop_today() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let q = |f: &str, t: &str| BillQuery {
            from_month: Some(f.into()),
            to_month: Some(t.into()),
            ..Default::default()
        };
        let ms = months(&q("202610", "202702"), today).unwrap();
        assert_eq!(ms, vec![ym(2026, 12), ym(2026, 11), ym(2026, 10)]);
        assert_eq!(
            months(&q("202612", "202611"), today).unwrap_err().rsp,
            Rsp::BadParam
        );
        assert_eq!(
            months(&q("2026-1", "202611"), today).unwrap_err().rsp,
            Rsp::BadParam
        );
        assert_eq!(
            months(&q("202613", "202612"), today).unwrap_err().rsp,
            Rsp::BadParam
        );
        assert_eq!(
            months(&q("202111", "202612"), today).unwrap_err().rsp,
            Rsp::TooOld
        );
        assert_eq!(
            months(&q("202112", "202112"), today).unwrap(),
            vec![ym(2021, 12)]
        );
    }

    #[test]
    fn revolving_amounts_are_shares_of_the_balance() {
        let mut c = card("a", 14);
        c.terms.revolving = Some(finhub_core::product::Revolving {
            start_date: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            min_pay_rate_milli: 10_000,
            agreed_pay_rate_milli: 25_500,
            remained_minor: 1_234_567,
        });
        let r = revolving_item(&c).unwrap();
        assert_eq!((r.min_pay_rate, r.min_pay_amt), (10.0, 123_456));
        assert_eq!((r.agreed_pay_rate, r.agreed_pay_amt), (25.5, 314_814));
        assert_eq!(r.req_date, "20260301");
        assert!(revolving_item(&card("b", 1)).is_none());
    }
}
