//! 지원-004 and 지원-005: a participant's weekly statistics, checked against
//! mydata.md §12.1 and kept (finhub_core::stats), and 지원-104: the portal's
//! request to send them again.

use crate::codes::Rsp;
use crate::error::{MResult, MydataError};
use crate::extract::{MJson, MQuery, Manager};
use crate::params::date;
use crate::wire::Reply;
use crate::MydataState;
use axum::extract::State;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use finhub_core::stats::{StatsKind, StatsSubmission};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashSet;
use utoipa::{IntoParams, ToSchema};

/// The days a week of statistics covers, before its `inquiry_date`.
const WEEK: u32 = 7;
/// N(10) counts.
const MAX_COUNT: u64 = 9_999_999_999;

/// `tm_slot_list[]`: the calls of one time slot.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TmSlot {
    pub tm_slot: String,
    pub success_api_cnt: u64,
    pub fail_api_cnt: u64,
    /// 지원-004 only: response times.
    pub rsp_avg: Option<f64>,
    pub rsp_total: Option<f64>,
    pub rsp_stdev: Option<f64>,
}

/// `api_type_list[]`: the calls of one API (its code, e.g. `BA01`).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ApiTypeStat {
    pub api_type: String,
    pub tm_slot_cnt: u32,
    pub tm_slot_list: Vec<TmSlot>,
}

/// 지원-005 `mydata_svc_list[]`: the calls one operator's client made.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ServiceStat {
    pub org_code: String,
    pub client_id: String,
    /// Left out for type 1 (periodic), required otherwise.
    pub consent_new: Option<u64>,
    pub consent_revoke: Option<u64>,
    pub consent_own: Option<u64>,
    pub api_type_cnt: u32,
    pub api_type_list: Vec<ApiTypeStat>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ProviderStatDate {
    pub stat_date: String,
    pub mydata_svc_cnt: u32,
    pub mydata_svc_list: Vec<ServiceStat>,
}

/// 지원-005 body: a provider's statistics of one week.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ProviderStats {
    /// Only when a relay sends for a provider.
    pub org_code: Option<String>,
    /// `1` periodic, `2` user-initiated, `3` list (v2).
    #[serde(rename = "type")]
    pub stat_type: u8,
    /// DATE, a Sunday: the week is the seven days before it.
    pub inquiry_date: String,
    pub stat_date_cnt: u32,
    pub stat_date_list: Vec<ProviderStatDate>,
}

/// 지원-004 `org_list[]`: the calls made to one provider.
#[derive(Debug, Deserialize, ToSchema)]
pub struct OrgStat {
    pub org_code: String,
    pub consent_new: Option<u64>,
    pub consent_revoke: Option<u64>,
    pub consent_own: Option<u64>,
    pub api_type_cnt: u32,
    pub api_type_list: Vec<ApiTypeStat>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OperatorStatDate {
    pub stat_date: String,
    pub org_cnt: u32,
    pub org_list: Vec<OrgStat>,
}

/// 지원-004 body: an operator's statistics of one week, for one client.
#[derive(Debug, Deserialize, ToSchema)]
pub struct OperatorStats {
    #[serde(rename = "type")]
    pub stat_type: u8,
    pub client_id: String,
    pub inquiry_date: String,
    pub stat_date_cnt: u32,
    pub stat_date_list: Vec<OperatorStatDate>,
}

/// `rsp_code` and `rsp_msg` only.
#[derive(Debug, Serialize, ToSchema)]
pub struct Done {}

fn bad(what: impl std::fmt::Display) -> MydataError {
    MydataError::param(what)
}

/// A `*_cnt` that must equal its list's length.
fn count(cnt: u32, len: usize, name: &str) -> MResult<()> {
    if cnt as usize == len {
        Ok(())
    } else {
        Err(bad(format!("{name} 가 목록의 개수와 다름")))
    }
}

/// An aN(n) code: 1 to n letters and digits.
fn code(v: &str, n: usize, name: &str) -> MResult<()> {
    if !v.is_empty() && v.len() <= n && v.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(bad(format!("{name} 는 aN({n})")))
    }
}

fn stat_type(t: u8) -> MResult<()> {
    if (1..=3).contains(&t) {
        Ok(())
    } else {
        Err(bad("type 은 1, 2, 3"))
    }
}

/// `inquiry_date`: a Sunday, not after today.
fn week_end(v: &str, today: NaiveDate) -> MResult<NaiveDate> {
    let d = date(Some(v), "inquiry_date")?;
    if d.weekday() != Weekday::Sun {
        return Err(bad("inquiry_date 는 일요일"));
    }
    if d > today {
        return Err(bad("inquiry_date 가 미래"));
    }
    Ok(d)
}

/// The week's `stat_date`s: seven, each once, in the seven days before `end`.
fn stat_dates<'a>(dates: impl Iterator<Item = &'a str>, cnt: u32, end: NaiveDate) -> MResult<()> {
    let first = end - Duration::days(i64::from(WEEK));
    let mut seen = HashSet::new();
    for v in dates {
        let d = date(Some(v), "stat_date")?;
        if d < first || d >= end || !seen.insert(d) {
            return Err(bad("stat_date 는 inquiry_date 전 7일, 하루 한 번씩"));
        }
    }
    if cnt != WEEK || seen.len() != WEEK as usize {
        return Err(bad("stat_date_cnt 는 7"));
    }
    Ok(())
}

/// The consent counts: left out for periodic statistics, given otherwise.
fn consent_counts(t: u8, counts: [Option<u64>; 3]) -> MResult<()> {
    let given = counts.iter().filter(|c| c.is_some()).count();
    match (t, given) {
        (1, 0) | (2 | 3, 3) if counts.iter().flatten().all(|&c| c <= MAX_COUNT) => Ok(()),
        (1, _) => Err(bad("type 1 에는 consent_new/revoke/own 없음")),
        _ => Err(bad("consent_new/revoke/own 누락 또는 범위 초과")),
    }
}

fn api_types(list: &[ApiTypeStat], cnt: u32) -> MResult<()> {
    count(cnt, list.len(), "api_type_cnt")?;
    for a in list {
        if a.api_type.len() != 4
            || !a
                .api_type
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            return Err(bad("api_type 은 AN(4) API 코드"));
        }
        count(a.tm_slot_cnt, a.tm_slot_list.len(), "tm_slot_cnt")?;
        let mut slots = HashSet::new();
        for s in &a.tm_slot_list {
            code(&s.tm_slot, 4, "tm_slot")?;
            if !slots.insert(s.tm_slot.as_str()) {
                return Err(bad("tm_slot 중복"));
            }
            if s.success_api_cnt > MAX_COUNT || s.fail_api_cnt > MAX_COUNT {
                return Err(bad("*_api_cnt 는 N(10)"));
            }
            let times = [s.rsp_avg, s.rsp_total, s.rsp_stdev];
            if times.iter().flatten().any(|t| !t.is_finite() || *t < 0.0) {
                return Err(bad("rsp_avg/total/stdev"));
            }
        }
    }
    Ok(())
}

fn check_provider(s: &ProviderStats, today: NaiveDate) -> MResult<NaiveDate> {
    stat_type(s.stat_type)?;
    if let Some(o) = &s.org_code {
        code(o, 10, "org_code")?;
    }
    let end = week_end(&s.inquiry_date, today)?;
    count(s.stat_date_cnt, s.stat_date_list.len(), "stat_date_cnt")?;
    stat_dates(
        s.stat_date_list.iter().map(|d| d.stat_date.as_str()),
        s.stat_date_cnt,
        end,
    )?;
    for d in &s.stat_date_list {
        count(d.mydata_svc_cnt, d.mydata_svc_list.len(), "mydata_svc_cnt")?;
        for v in &d.mydata_svc_list {
            code(&v.org_code, 10, "org_code")?;
            code(&v.client_id, 50, "client_id")?;
            consent_counts(
                s.stat_type,
                [v.consent_new, v.consent_revoke, v.consent_own],
            )?;
            api_types(&v.api_type_list, v.api_type_cnt)?;
        }
    }
    Ok(end)
}

fn check_operator(s: &OperatorStats, today: NaiveDate) -> MResult<NaiveDate> {
    stat_type(s.stat_type)?;
    code(&s.client_id, 50, "client_id")?;
    let end = week_end(&s.inquiry_date, today)?;
    count(s.stat_date_cnt, s.stat_date_list.len(), "stat_date_cnt")?;
    stat_dates(
        s.stat_date_list.iter().map(|d| d.stat_date.as_str()),
        s.stat_date_cnt,
        end,
    )?;
    for d in &s.stat_date_list {
        count(d.org_cnt, d.org_list.len(), "org_cnt")?;
        for o in &d.org_list {
            code(&o.org_code, 10, "org_code")?;
            consent_counts(
                s.stat_type,
                [o.consent_new, o.consent_revoke, o.consent_own],
            )?;
            api_types(&o.api_type_list, o.api_type_cnt)?;
        }
    }
    Ok(end)
}

/// The document as a typed value (40001 when it is not one), kept as sent.
fn typed<T: DeserializeOwned>(body: &Value) -> MResult<T> {
    T::deserialize(body).map_err(|e| bad(e.to_string()))
}

/// What a checked submission is kept as.
struct Checked {
    kind: StatsKind,
    org_code: String,
    stat_type: u8,
    inquiry_date: NaiveDate,
}

async fn keep(state: &MydataState, m: &Manager, c: Checked, body: Value) -> MResult<Reply<Done>> {
    state
        .repo
        .put_stats(&StatsSubmission {
            kind: c.kind,
            org_code: c.org_code,
            client_id: m.claims.client_id.clone(),
            stat_type: c.stat_type,
            inquiry_date: c.inquiry_date,
            body,
            received_at: state.world.clock.now(),
        })
        .await?;
    Ok(Reply::ok(Done {}))
}

fn today(state: &MydataState) -> NaiveDate {
    state.world.clock.now_kst().date_naive()
}

/// 지원-004 마이데이터사업자 통계자료 전송: an operator's statistics of one
/// week (`inquiry_date` a Sunday, not in the future; `stat_date_list` the
/// seven days before it, each once; every `*_cnt` the length of its list;
/// `consent_new/revoke/own` left out for type 1 and given for types 2 and 3;
/// `api_type` an API code such as `BA01`). Anything else is `40001` and
/// nothing is kept. Kept per the token's organisation, type and week: a
/// second submission of the same week replaces the first.
#[utoipa::path(post, path = "/v1/mgmts/statistics/mydata", tag = "support", request_body = OperatorStats,
    responses((status = 200, body = Done, description = "rsp_code, rsp_msg")))]
pub async fn operator(
    State(state): State<MydataState>,
    m: Manager,
    MJson(body): MJson<Value>,
) -> MResult<Reply<Done>> {
    let s: OperatorStats = typed(&body)?;
    let inquiry_date = check_operator(&s, today(&state))?;
    let c = Checked {
        kind: StatsKind::Operator,
        org_code: m.claims.org_code.clone(),
        stat_type: s.stat_type,
        inquiry_date,
    };
    keep(&state, &m, c, body).await
}

/// 지원-005 정보제공자 통계자료 전송: a provider's statistics of one week,
/// with the rules of 지원-004 (`mydata_svc_list` per operator client in
/// place of `org_list`). Kept per `org_code` (the token's organisation when
/// absent), type and week; a re-send replaces it.
#[utoipa::path(post, path = "/v1/mgmts/statistics/provider", tag = "support", request_body = ProviderStats,
    responses((status = 200, body = Done, description = "rsp_code, rsp_msg")))]
pub async fn provider(
    State(state): State<MydataState>,
    m: Manager,
    MJson(body): MJson<Value>,
) -> MResult<Reply<Done>> {
    let s: ProviderStats = typed(&body)?;
    let inquiry_date = check_provider(&s, today(&state))?;
    let c = Checked {
        kind: StatsKind::Provider,
        org_code: s
            .org_code
            .clone()
            .unwrap_or_else(|| m.claims.org_code.clone()),
        stat_type: s.stat_type,
        inquiry_date,
    };
    keep(&state, &m, c, body).await
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ResendQuery {
    /// aN(10): the participant asked to send again.
    pub org_code: Option<String>,
    /// aN(2): `01` provider, `03` operator.
    pub org_type: Option<String>,
    /// DATE, a Sunday: the week asked for.
    pub inquiry_date: Option<String>,
    /// N(1): `0` every kind, else `1`, `2` or `3`.
    #[serde(rename = "type")]
    pub stat_type: Option<String>,
}

/// Whether `org_code` is a participant of `org_type` in this world.
async fn known(state: &MydataState, org_code: &str, org_type: &str) -> MResult<bool> {
    Ok(match org_type {
        "01" => state.world.repo.institution(org_code).await?.is_some(),
        "03" => super::orgs::mydata_clients(state)
            .await?
            .iter()
            .any(|c| c.org_code == org_code),
        _ => false,
    })
}

/// 지원-104 통계자료 재전송 요청: the portal asks a participant to send a
/// week's statistics again. Checked (`org_code`, `org_type` two digits,
/// `inquiry_date` a Sunday not in the future, `type` 0 to 3: else `40001`;
/// an `org_code` that is not a provider (`01`) or operator (`03`) of the
/// world: 403 `40303`) and acknowledged: finhub is no participant with
/// statistics of its own to send, so nothing follows.
#[utoipa::path(get, path = "/v1/mgmts/req-statistics", tag = "support", params(ResendQuery),
    responses((status = 200, body = Done, description = "rsp_code, rsp_msg")))]
pub async fn resend(
    State(state): State<MydataState>,
    _m: Manager,
    MQuery(q): MQuery<ResendQuery>,
) -> MResult<Reply<Done>> {
    let org = q.org_code.unwrap_or_default();
    code(&org, 10, "org_code")?;
    let org_type = q
        .org_type
        .filter(|t| t.len() == 2 && t.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| bad("org_type 은 aN(2)"))?;
    week_end(q.inquiry_date.as_deref().unwrap_or(""), today(&state))?;
    if !matches!(q.stat_type.as_deref(), Some("0" | "1" | "2" | "3")) {
        return Err(bad("type 은 0, 1, 2, 3"));
    }
    if !known(&state, &org, &org_type).await? {
        return Err(MydataError::new(Rsp::WrongOrg));
    }
    Ok(Reply::ok(Done {}))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn slot() -> Value {
        json!({"tm_slot": "01", "success_api_cnt": 10, "fail_api_cnt": 1})
    }

    fn provider_body(t: u8) -> Value {
        let dates: Vec<Value> = (1..=7)
            .map(|d| {
                let mut svc = json!({
                    "org_code": "OP00000001", "client_id": "abc",
                    "api_type_cnt": 1,
                    "api_type_list": [{"api_type": "IV01", "tm_slot_cnt": 1, "tm_slot_list": [slot()]}],
                });
                if t != 1 {
                    svc["consent_new"] = json!(1);
                    svc["consent_revoke"] = json!(0);
                    svc["consent_own"] = json!(5);
                }
                json!({"stat_date": format!("202601{:02}", 3 + d), "mydata_svc_cnt": 1, "mydata_svc_list": [svc]})
            })
            .collect();
        json!({"type": t, "inquiry_date": "20260111", "stat_date_cnt": 7, "stat_date_list": dates})
    }

    fn check(v: &Value) -> MResult<NaiveDate> {
        let today = NaiveDate::from_ymd_opt(2026, 1, 12).unwrap();
        check_provider(&typed::<ProviderStats>(v)?, today)
    }

    #[test]
    fn a_week_of_provider_statistics_is_accepted() {
        let end = NaiveDate::from_ymd_opt(2026, 1, 11).unwrap();
        assert_eq!(check(&provider_body(1)).unwrap(), end);
        assert_eq!(check(&provider_body(2)).unwrap(), end);
    }

    #[test]
    fn malformed_statistics_are_bad_parameters() {
        let svc = "/stat_date_list/0/mydata_svc_list/0";
        let api = format!("{svc}/api_type_list/0");
        let edits: Vec<(String, Value)> = vec![
            ("/type".into(), json!(4)),
            ("/type".into(), json!("1")),
            ("/inquiry_date".into(), json!("20260110")),
            ("/inquiry_date".into(), json!("20260118")),
            ("/stat_date_cnt".into(), json!(6)),
            ("/stat_date_list/0/stat_date".into(), json!("20260105")),
            ("/stat_date_list/0/stat_date".into(), json!("20260111")),
            ("/stat_date_list/0/mydata_svc_cnt".into(), json!(2)),
            (format!("{svc}/consent_new"), json!(1)),
            (format!("{svc}/client_id"), json!("")),
            (format!("{api}/api_type"), json!("iv01")),
            (format!("{api}/tm_slot_cnt"), json!(0)),
            (format!("{api}/tm_slot_list/0/fail_api_cnt"), json!(-1)),
            ("/stat_date_list".into(), json!(null)),
        ];
        for (ptr, val) in edits {
            let mut v = provider_body(1);
            if let Some(slot) = v.pointer_mut(&ptr) {
                *slot = val;
            } else {
                let (parent, key) = ptr.rsplit_once('/').unwrap();
                v.pointer_mut(parent).unwrap()[key] = val;
            }
            assert_eq!(check(&v).unwrap_err().rsp, Rsp::BadParam, "{ptr}: {v}");
        }
        let mut two = provider_body(2);
        two["stat_date_list"][3]["mydata_svc_list"][0]
            .as_object_mut()
            .unwrap()
            .remove("consent_own");
        assert_eq!(check(&two).unwrap_err().rsp, Rsp::BadParam);
    }

    #[test]
    fn operator_statistics_have_a_client_and_an_org_list() {
        let dates: Vec<Value> = (5..=11)
            .map(|d| {
                json!({"stat_date": format!("202601{d:02}"), "org_cnt": 1, "org_list": [{
                    "org_code": "IV00000001", "api_type_cnt": 1,
                    "api_type_list": [{"api_type": "IV02", "tm_slot_cnt": 1,
                        "tm_slot_list": [{"tm_slot": "02", "success_api_cnt": 3, "fail_api_cnt": 0, "rsp_avg": 0.2}]}]}]})
            })
            .collect();
        let mut v = json!({"type": 1, "client_id": "abc", "inquiry_date": "20260112",
            "stat_date_cnt": 7, "stat_date_list": dates});
        let today = NaiveDate::from_ymd_opt(2026, 1, 20).unwrap();
        // 2026-01-12 is a Monday.
        let s: OperatorStats = typed(&v).unwrap();
        assert_eq!(check_operator(&s, today).unwrap_err().rsp, Rsp::BadParam);
        v["inquiry_date"] = json!("20260111");
        for (i, d) in (4..=10).enumerate() {
            v["stat_date_list"][i]["stat_date"] = json!(format!("202601{d:02}"));
        }
        let s: OperatorStats = typed(&v).unwrap();
        assert!(check_operator(&s, today).is_ok());
    }
}
