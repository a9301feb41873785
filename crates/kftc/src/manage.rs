//! OBI-024..029: bank status, fees, counts, withdrawal limits, fraud
//! detections and participating institutions' terms.

use crate::error::{KResult, KftcError};
use crate::extract::{opt, Caller, KQuery};
use crate::format::*;
use crate::parse::{field, Date8, FieldError, Invalid, Time6};
use crate::service::*;
use crate::wire::*;
use crate::KftcState;
use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use finhub_core::fraud::{Detection, FraudRules, TransferDirection, TransferEvent};
use finhub_core::institution::{InstitutionKind, ServiceStatus};
use finhub_core::usage::{check_period, FeeTable, PeriodError};

/// Fee per call in KRW, by API path (the rest are free).
pub fn fee_table() -> FeeTable {
    FeeTable::new(&[
        ("user/register", 0),
        ("account/balance/fin_num", 10),
        ("account/balance/acnt_num", 10),
        ("account/transaction_list/fin_num", 10),
        ("account/transaction_list/acnt_num", 10),
        ("inquiry/real_name", 30),
        ("inquiry/receive", 30),
        ("transfer/withdraw/fin_num", 50),
        ("transfer/withdraw/acnt_num", 50),
        ("transfer/deposit/fin_num", 50),
        ("transfer/deposit/acnt_num", 50),
    ])
}

fn status_letter(s: ServiceStatus) -> &'static str {
    match s {
        ServiceStatus::Active => "Y",
        ServiceStatus::Outage => "N",
        ServiceStatus::NotStarted => "S",
        ServiceStatus::Ended => "E",
    }
}

/// 참가은행상태조회 (OBI-024, oob/sa).
#[utoipa::path(get, path = "/v2.0/bank/status", tag = "manage", responses((status = 200, body = BankStatusResponse)))]
pub async fn bank_status(
    State(state): State<KftcState>,
    caller: Caller,
) -> KResult<Json<BankStatusResponse>> {
    caller.require(&["oob", "sa"])?;
    let mut banks: Vec<_> = state
        .world
        .repo
        .list_institutions()
        .await?
        .into_iter()
        .filter(|i| i.kind == InstitutionKind::Bank && i.bank_code.is_some())
        .collect();
    banks.sort_by(|a, b| a.bank_code.cmp(&b.bank_code));
    let res_list: Vec<BankStatusItem> = banks
        .iter()
        .map(|i| BankStatusItem {
            bank_code_std: bank_code(i),
            bank_name: i.name.clone(),
            bank_status: status_letter(i.status).into(),
        })
        .collect();
    Ok(Json(BankStatusResponse {
        env: ok_env(&state),
        res_cnt: res_list.len().to_string(),
        res_list,
    }))
}

fn period_error(e: PeriodError) -> KftcError {
    KftcError::format(match e {
        PeriodError::Reversed => "조회 시작일자가 종료일자보다 늦습니다",
        PeriodError::IncludesToday => "당일은 조회할 수 없습니다",
        PeriodError::TooOld => "1년 이내만 조회 가능합니다",
        PeriodError::TooLong => "최대 조회기간은 1개월입니다",
    })
}

/// A yyyyMMdd query date; one that names no day is "{name} 날짜 형식 오류".
fn date_param(v: &Option<String>, name: &'static str) -> KResult<NaiveDate> {
    match field(v, name, Date8::parse) {
        Ok(d) => Ok(d.date()),
        Err(FieldError {
            invalid: Invalid::NotDate,
            ..
        }) => Err(KftcError::format(format!("{name} 날짜 형식 오류"))),
        Err(e) => Err(e.into()),
    }
}

/// 수수료조회 (OBI-025, oob/sa): per API and day, from the call log.
#[utoipa::path(get, path = "/v2.0/manage/fee", tag = "manage", params(FeeQuery), responses((status = 200, body = FeeResponse)))]
pub async fn fee(
    State(state): State<KftcState>,
    caller: Caller,
    KQuery(q): KQuery<FeeQuery>,
) -> KResult<Json<FeeResponse>> {
    caller.require(&["oob", "sa"])?;
    let from = date_param(&q.from_date, "from_date")?;
    let to = date_param(&q.to_date, "to_date")?;
    let today = state.world.clock.now_kst().date_naive();
    check_period(from, to, today, true).map_err(period_error)?;
    let table = fee_table();
    let lines = state.repo.usage(caller.org(), from, to).await?;
    let total: i64 = lines
        .iter()
        .map(|l| table.fee(l))
        .fold(0, i64::saturating_add);
    let res_list: Vec<FeeItem> = lines
        .iter()
        .map(|l| FeeItem {
            inquiry_date: naive_date8(l.day),
            api_name: l.api_code.clone(),
            api_cnt: l.count.to_string(),
            fee_amt: table.fee(l).to_string(),
        })
        .collect();
    Ok(Json(FeeResponse {
        env: ok_env(&state),
        from_date: naive_date8(from),
        to_date: naive_date8(to),
        total_fee_amt: total.to_string(),
        res_cnt: res_list.len().to_string(),
        res_list,
    }))
}

/// 집계조회 (OBI-026, oob/sa): calls per API on one past day.
#[utoipa::path(get, path = "/v2.0/manage/count", tag = "manage", params(CountQuery), responses((status = 200, body = CountResponse)))]
pub async fn count(
    State(state): State<KftcState>,
    caller: Caller,
    KQuery(q): KQuery<CountQuery>,
) -> KResult<Json<CountResponse>> {
    caller.require(&["oob", "sa"])?;
    let day = date_param(&q.inquiry_date, "inquiry_date")?;
    let today = state.world.clock.now_kst().date_naive();
    check_period(day, day, today, false).map_err(period_error)?;
    let lines = state.repo.usage(caller.org(), day, day).await?;
    let total: i64 = lines.iter().map(|l| l.count).sum();
    let res_list: Vec<CountItem> = lines
        .iter()
        .map(|l| CountItem {
            api_name: l.api_code.clone(),
            api_cnt: l.count.to_string(),
        })
        .collect();
    Ok(Json(CountResponse {
        env: ok_env(&state),
        inquiry_date: naive_date8(day),
        total_cnt: total.to_string(),
        res_cnt: res_list.len().to_string(),
        res_list,
    }))
}

/// 출금이체한도조회 (OBI-027, oob/sa): the institution's limits and what is
/// left today and this month; with a fintech_use_num, the user's day too.
#[utoipa::path(get, path = "/v2.0/manage/wd_limit", tag = "manage", params(WdLimitQuery), responses((status = 200, body = WdLimitResponse)))]
pub async fn wd_limit(
    State(state): State<KftcState>,
    caller: Caller,
    KQuery(q): KQuery<WdLimitQuery>,
) -> KResult<Json<WdLimitResponse>> {
    caller.require(&["oob", "sa"])?;
    let contract = state
        .repo
        .contract(caller.org())
        .await?
        .ok_or_else(|| KftcError::new(crate::codes::Rsp::A0322))?;
    let l = contract.limits;
    let today = state.world.clock.now_kst().date_naive();
    let day_start = kst_to_utc(today.and_time(NaiveTime::MIN));
    let month_start = kst_to_utc(today.with_day(1).unwrap_or(today).and_time(NaiveTime::MIN));
    let end = day_start + Duration::days(1);
    let org = caller.org();
    let total = |dir, acc: Option<String>, from| {
        let repo = state.repo.clone();
        let org = org.to_owned();
        async move { repo.total(&org, dir, acc.as_deref(), from..end).await }
    };
    let wd_day = total(TransferDirection::Withdrawal, None, day_start).await?;
    let wd_month = total(TransferDirection::Withdrawal, None, month_start).await?;
    let dps_day = total(TransferDirection::Deposit, None, day_start).await?;
    let dps_month = total(TransferDirection::Deposit, None, month_start).await?;
    let user_remain = match opt(&q.fintech_use_num, "fintech_use_num", 24)? {
        Some(fin) => {
            let h = by_fin(&state, &caller, fin).await?;
            // The user's daily limit spans every account the user registered here.
            let mut used = 0i64;
            for other in state
                .repo
                .registrations_of_person(org, &h.reg.person_id)
                .await?
            {
                used += total(
                    TransferDirection::Withdrawal,
                    Some(other.account_id),
                    day_start,
                )
                .await?;
            }
            Some((l.user_wd_day_minor - used).max(0).to_string())
        }
        None => None,
    };
    Ok(Json(WdLimitResponse {
        env: ok_env(&state),
        wd_day_limit_amt: l.wd_day_minor.to_string(),
        wd_day_remain_amt: (l.wd_day_minor - wd_day).max(0).to_string(),
        wd_month_limit_amt: l.wd_month_minor.to_string(),
        wd_month_remain_amt: (l.wd_month_minor - wd_month).max(0).to_string(),
        wd_item_limit_amt: l.wd_item_minor.to_string(),
        dps_day_limit_amt: l.dps_day_minor.to_string(),
        dps_day_remain_amt: (l.dps_day_minor - dps_day).max(0).to_string(),
        dps_month_limit_amt: l.dps_month_minor.to_string(),
        dps_month_remain_amt: (l.dps_month_minor - dps_month).max(0).to_string(),
        dps_item_limit_amt: l.dps_item_minor.to_string(),
        user_wd_day_limit_amt: l.user_wd_day_minor.to_string(),
        user_wd_item_limit_amt: l.user_wd_item_minor.to_string(),
        wd_limit_remain_amt: user_remain,
    }))
}

/// Most transfers one detection request examines.
const FDS_SCAN: u32 = 10_000;

/// A fds_detect query: one day's window of at most 10 minutes, ending at
/// least a minute before now, within the last month.
struct FdsWindow {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
}

impl FdsWindow {
    fn parse(q: &FdsQuery, state: &KftcState) -> KResult<Self> {
        let day = date_param(&q.inquiry_date, "inquiry_date")?;
        let ft = field(&q.from_time, "from_time", Time6::parse)?.time();
        let tt = field(&q.to_time, "to_time", Time6::parse)?.time();
        let from = kst_to_utc(day.and_time(ft));
        let to = kst_to_utc(day.and_time(tt));
        let now = state.world.clock.now();
        if from >= to {
            return Err(KftcError::format("from_time 이 to_time 보다 늦습니다"));
        }
        if to - from > Duration::minutes(10) {
            return Err(KftcError::format("최대 조회기간은 10분입니다"));
        }
        if to > now - Duration::minutes(1) {
            return Err(KftcError::format(
                "요청 일시 기준 1분 이전까지만 조회 가능합니다",
            ));
        }
        let today = state.world.clock.now_kst().date_naive();
        if day
            < today
                .checked_sub_months(chrono::Months::new(1))
                .unwrap_or(today)
        {
            return Err(KftcError::format("1개월 이내만 조회 가능합니다"));
        }
        Ok(FdsWindow { from, to })
    }
}

/// The caller's transfers the rules look at for the window: the window and
/// the burst span before it, plus one earlier deposit per account deposited
/// to in the window (enough to say the account is not new).
async fn fds_history(
    state: &KftcState,
    org: &str,
    w: &FdsWindow,
    rules: &FraudRules,
) -> KResult<Vec<TransferEvent>> {
    let since = w.from - rules.burst_window;
    let mut history = state.repo.transfers(org, since, w.to, FDS_SCAN).await?;
    let mut seen = std::collections::HashSet::new();
    let deposit_accounts: Vec<String> = history
        .iter()
        .filter(|e| e.direction == TransferDirection::Deposit && e.at >= w.from)
        .map(|e| e.account_id.clone())
        .filter(|a| seen.insert(a.clone()))
        .collect();
    for acc in deposit_accounts {
        let earlier = state.repo.deposits_before(org, &acc, since, 1).await?;
        history.extend(earlier);
    }
    history.sort_by(|a, b| a.at.cmp(&b.at).then(a.key.cmp(&b.key)));
    Ok(history)
}

async fn fds_item(state: &KftcState, org: &str, d: Detection) -> KResult<FdsItem> {
    let fin = state
        .repo
        .registration_of_account(org, &d.event.account_id)
        .await?
        .map(|r| r.handle)
        .unwrap_or_default();
    Ok(FdsItem {
        detect_dtime: dtime14(d.event.at),
        detect_rule_code: d.rule.code().into(),
        detect_rule_name: d.rule.description().into(),
        bank_tran_id: d.event.key.clone(),
        bank_tran_date: date8(d.event.at),
        fintech_use_num: fin,
        inout_type: match d.event.direction {
            TransferDirection::Withdrawal => "출금",
            TransferDirection::Deposit => "입금",
        }
        .into(),
        tran_amt: d.event.amount_minor.to_string(),
    })
}

/// 이상금융거래탐지내역조회 (OBI-028, oob/sa): a window of at most 10
/// minutes, ending at least a minute ago, within the last month.
#[utoipa::path(get, path = "/v2.0/inquiry/fds_detect", tag = "manage", params(FdsQuery), responses((status = 200, body = FdsResponse)))]
pub async fn fds_detect(
    State(state): State<KftcState>,
    caller: Caller,
    KQuery(q): KQuery<FdsQuery>,
) -> KResult<Json<FdsResponse>> {
    caller.require(&["oob", "sa"])?;
    let w = FdsWindow::parse(&q, &state)?;
    let rules = FraudRules::default();
    let org = caller.org();
    let history = fds_history(&state, org, &w, &rules).await?;
    let mut res_list = Vec::new();
    for d in rules.detect(&history, w.from, w.to) {
        res_list.push(fds_item(&state, org, d).await?);
    }
    Ok(Json(FdsResponse {
        env: ok_env(&state),
        res_cnt: res_list.len().to_string(),
        res_list,
    }))
}

/// 제공기관약관조회 (OBI-029, oob/sa): current and upcoming terms per bank.
#[utoipa::path(get, path = "/v2.0/manage/terms", tag = "manage", params(TermsQuery), responses((status = 200, body = TermsResponse)))]
pub async fn terms(
    State(state): State<KftcState>,
    caller: Caller,
    KQuery(q): KQuery<TermsQuery>,
) -> KResult<Json<TermsResponse>> {
    caller.require(&["oob", "sa"])?;
    let only = opt(&q.bank_code_std, "bank_code_std", 3)?;
    let banks = match only {
        Some(code) => vec![bank(&state, code).await?],
        None => {
            let mut v: Vec<_> = state
                .world
                .repo
                .list_institutions()
                .await?
                .into_iter()
                .filter(|i| i.kind == InstitutionKind::Bank && i.bank_code.is_some())
                .collect();
            v.sort_by(|a, b| a.bank_code.cmp(&b.bank_code));
            v
        }
    };
    let today = state.world.clock.now_kst().date_naive();
    let mut res_list = Vec::new();
    for b in &banks {
        for t in finhub_core::terms::terms_of(&b.org_code, &b.name, today) {
            res_list.push(TermsItem {
                bank_code_std: bank_code(b),
                bank_name: b.name.clone(),
                terms_title: t.title,
                terms_version: t.version,
                effective_date: naive_date8(t.effective_date),
                current_yn: yn(t.current),
            });
        }
    }
    Ok(Json(TermsResponse {
        env: ok_env(&state),
        res_cnt: res_list.len().to_string(),
        res_list,
    }))
}
