//! 지원-003 (the operators' services: their clients) and 지원-103 (a
//! person's transmission requests to one operator, by client).

use super::orgs::{by_org, mydata_clients, Op, SinceQuery};
use crate::codes::Rsp;
use crate::error::{MResult, MydataError};
use crate::extract::{MJson, MQuery, Manager};
use crate::params::{search_timestamp, timestamp_now};
use crate::wire::{Reply, Synced};
use crate::MydataState;
use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use finhub_core::clock::kst;
use finhub_core::consent::Consent;
use finhub_core::oauth::Client;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct RedirectUri {
    pub redirect_uri: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AppScheme {
    pub app_scheme: String,
}

/// 지원-003 `service_list[]`: one mydata client. `client_secret` is left
/// out: finhub keeps only its hash.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceItem {
    /// The client's registered name.
    pub service_name: String,
    /// `I` new, `D` deleted (disabled).
    pub op_type: &'static str,
    pub client_id: String,
    pub redirect_uri_cnt: usize,
    pub redirect_uri_list: Vec<RedirectUri>,
    pub app_scheme_cnt: usize,
    pub app_scheme_list: Vec<AppScheme>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceOrg {
    pub org_code: String,
    pub service_cnt: usize,
    pub service_list: Vec<ServiceItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServicesBody {
    pub search_timestamp: i64,
    pub org_cnt: usize,
    pub org_list: Vec<ServiceOrg>,
}

fn service(c: Client, op: Op) -> ServiceItem {
    let redirect_uri_list: Vec<RedirectUri> = c
        .redirect_uris
        .into_iter()
        .map(|redirect_uri| RedirectUri { redirect_uri })
        .collect();
    // Clients register no app schemes: 개별인증-001 takes any for them.
    let app_scheme_list: Vec<AppScheme> = Vec::new();
    ServiceItem {
        service_name: c.name,
        op_type: op.code(),
        client_id: c.client_id,
        redirect_uri_cnt: redirect_uri_list.len(),
        redirect_uri_list,
        app_scheme_cnt: app_scheme_list.len(),
        app_scheme_list,
    }
}

/// The operators whose services are news since `since`, with those services.
fn service_orgs(clients: Vec<Client>, since: Option<DateTime<Utc>>) -> Vec<ServiceOrg> {
    let mut out = Vec::new();
    for (org_code, clients) in by_org(clients) {
        let service_list: Vec<ServiceItem> = clients
            .into_iter()
            .filter_map(|c| Op::of(c.created_at, !c.disabled, since).map(|op| service(c, op)))
            .collect();
        if !service_list.is_empty() {
            out.push(ServiceOrg {
                org_code,
                service_cnt: service_list.len(),
                service_list,
            });
        }
    }
    out
}

/// 지원-003 서비스정보 조회: per operator organisation, its services, one
/// per mydata client (support clients too): `service_name` is the client's
/// name, with its redirect URIs and app schemes. `client_secret` is never
/// given: finhub keeps only a hash of it, so the field is left out. With a
/// `search_timestamp`, only clients registered since (`I`) or disabled (`D`)
/// are listed, and `00001` when there are none.
#[utoipa::path(get, path = "/v1/mgmts/services", tag = "support", params(SinceQuery),
    responses((status = 200, body = ServicesBody, description = "rsp_code, rsp_msg, then these fields")))]
pub async fn services(
    State(state): State<MydataState>,
    _m: Manager,
    MQuery(q): MQuery<SinceQuery>,
) -> MResult<Synced<ServicesBody>> {
    let since = search_timestamp(q.search_timestamp.as_deref())?;
    let now = timestamp_now(state.world.clock.now());
    let org_list = service_orgs(mydata_clients(&state).await?, since);
    if since.is_some() && org_list.is_empty() {
        return Ok(Synced::UpToDate {
            search_timestamp: now,
        });
    }
    Ok(Synced::Changed(ServicesBody {
        search_timestamp: now,
        org_cnt: org_list.len(),
        org_list,
    }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ConsentsRequest {
    /// aN(10): the operator's organisation code.
    pub org_code: Option<String>,
    /// B64(100): the person's CI.
    pub user_ci: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentItem {
    /// The provider the consent lets the operator receive from.
    pub org_code: String,
    /// Every scope of the consent, space-separated.
    pub scope: String,
    pub consent_date: String,
    /// The consent's end date, or the day it was revoked when earlier.
    pub consent_end_date: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentService {
    pub client_id: String,
    pub consent_cnt: usize,
    pub consent_list: Vec<ConsentItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentsBody {
    pub is_member: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_cnt: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_list: Option<Vec<ConsentService>>,
}

/// The request's operator and CI, checked for form (40001).
fn parse_consents(r: ConsentsRequest) -> MResult<(String, String)> {
    let org = r
        .org_code
        .filter(|o| !o.is_empty() && o.len() <= 10 && o.bytes().all(|b| b.is_ascii_alphanumeric()))
        .ok_or_else(|| MydataError::param("org_code 는 aN(10)"))?;
    let b64 = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_');
    let ci = r
        .user_ci
        .filter(|c| !c.is_empty() && c.len() <= 100 && c.bytes().all(b64))
        .ok_or_else(|| MydataError::param("user_ci 는 B64(100)"))?;
    Ok((org, ci))
}

fn kst_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&kst()).date_naive()
}

fn consent_item(c: &Consent) -> ConsentItem {
    let end = match c.revoked_at.map(kst_date) {
        Some(r) if r < c.end_date => r,
        _ => c.end_date,
    };
    ConsentItem {
        org_code: c.sender_org.clone(),
        scope: c.scopes.join(" "),
        consent_date: kst_date(c.created_at).format("%Y%m%d").to_string(),
        consent_end_date: end.format("%Y%m%d").to_string(),
    }
}

/// The consents (newest first) grouped by client, in the order the clients
/// first appear.
fn by_client(consents: &[Consent]) -> Vec<ConsentService> {
    let mut out: Vec<ConsentService> = Vec::new();
    for c in consents {
        let item = consent_item(c);
        match out.iter_mut().find(|s| s.client_id == c.client_id) {
            Some(s) => s.consent_list.push(item),
            None => out.push(ConsentService {
                client_id: c.client_id.clone(),
                consent_cnt: 0,
                consent_list: vec![item],
            }),
        }
    }
    for s in &mut out {
        s.consent_cnt = s.consent_list.len();
    }
    out
}

/// 지원-103 정보주체 별 전송요구 내역 조회: every transmission request the
/// person with `user_ci` gave the operator `org_code`, revoked and ended ones
/// too, grouped by the operator's client. `is_member` is whether there is
/// any; when there is none, `service_cnt` and `service_list` are left out.
/// `org_code` or `user_ci` missing or malformed is `40001`; an `org_code` no
/// mydata client has is 403 `40303`.
#[utoipa::path(post, path = "/v1/mgmts/consents", tag = "support", request_body = ConsentsRequest,
    responses((status = 200, body = ConsentsBody, description = "rsp_code, rsp_msg, then these fields")))]
pub async fn consents(
    State(state): State<MydataState>,
    _m: Manager,
    MJson(req): MJson<ConsentsRequest>,
) -> MResult<Reply<ConsentsBody>> {
    let (org, ci) = parse_consents(req)?;
    if !mydata_clients(&state)
        .await?
        .iter()
        .any(|c| c.org_code == org)
    {
        return Err(MydataError::new(Rsp::WrongOrg));
    }
    let mut held = match state.world.repo.person_by_ci(&ci).await? {
        Some(p) => state.repo.consents_of_person(&p.person_id).await?,
        None => Vec::new(),
    };
    held.retain(|c| c.receiver_org == org);
    let body = if held.is_empty() {
        ConsentsBody {
            is_member: false,
            service_cnt: None,
            service_list: None,
        }
    } else {
        let list = by_client(&held);
        ConsentsBody {
            is_member: true,
            service_cnt: Some(list.len()),
            service_list: Some(list),
        }
    };
    Ok(Reply::ok(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use finhub_core::oauth::Profile;

    fn consent(id: &str, client: &str, created: DateTime<Utc>) -> Consent {
        Consent {
            consent_id: id.into(),
            client_id: client.into(),
            receiver_org: "OP00000001".into(),
            person_id: "p".into(),
            sender_org: "IV00000001".into(),
            scopes: vec!["invest.list".into(), "invest.account".into()],
            account_ids: vec![],
            purpose: "자산관리".into(),
            end_date: NaiveDate::from_ymd_opt(2027, 1, 31).unwrap(),
            hold_until: NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
            is_scheduled: false,
            fnd_cycle: None,
            add_cycle: None,
            memo: false,
            merchant: false,
            tx_id: None,
            created_at: created,
            revoked_at: None,
        }
    }

    #[test]
    fn consents_group_by_client_with_kst_dates() {
        // 2026-01-31 20:00 UTC is 2026-02-01 in Korea.
        let t = Utc.with_ymd_and_hms(2026, 1, 31, 20, 0, 0).unwrap();
        let mut revoked = consent("c2", "a", t);
        revoked.revoked_at = Some(t + Duration::days(3));
        let list = by_client(&[consent("c1", "b", t), revoked, consent("c3", "b", t)]);
        assert_eq!(list.len(), 2);
        assert_eq!((list[0].client_id.as_str(), list[0].consent_cnt), ("b", 2));
        assert_eq!((list[1].client_id.as_str(), list[1].consent_cnt), ("a", 1));
        let item = &list[0].consent_list[0];
        assert_eq!(item.consent_date, "20260201");
        assert_eq!(item.consent_end_date, "20270131");
        assert_eq!(item.scope, "invest.list invest.account");
        assert_eq!(list[1].consent_list[0].consent_end_date, "20260204");
    }

    #[test]
    fn consent_requests_need_an_org_code_and_a_ci() {
        let r = |o: Option<&str>, c: Option<&str>| {
            parse_consents(ConsentsRequest {
                org_code: o.map(Into::into),
                user_ci: c.map(Into::into),
            })
        };
        assert!(r(Some("OP00000001"), Some("ab+/cd==")).is_ok());
        for bad in [
            r(None, Some("ab")),
            r(Some("OP00000001"), None),
            r(Some("OP-0000001"), Some("ab")),
            r(Some("OP000000011"), Some("ab")),
            r(Some("OP00000001"), Some("a b")),
            r(Some("OP00000001"), Some(&"a".repeat(101))),
        ] {
            assert_eq!(bad.unwrap_err().rsp, Rsp::BadParam);
        }
    }

    #[test]
    fn a_later_sync_lists_new_and_disabled_services_only() {
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let c = |id: &str, at, disabled| Client {
            client_id: id.into(),
            secret_hash: "hash".into(),
            name: id.into(),
            profile: Profile::Mydata,
            org_code: "OP00000001".into(),
            redirect_uris: vec!["https://app.example/cb".into()],
            scopes: vec![],
            created_at: at,
            disabled,
        };
        let all = || {
            vec![
                c("old", t0, false),
                c("off", t0, true),
                c("new", t0 + Duration::days(2), false),
            ]
        };
        let first = service_orgs(all(), None);
        assert_eq!(first[0].service_cnt, 2);
        assert_eq!(first[0].service_list[0].redirect_uri_cnt, 1);
        let later = service_orgs(all(), Some(t0 + Duration::days(1)));
        let ops: Vec<_> = later[0]
            .service_list
            .iter()
            .map(|s| (s.client_id.as_str(), s.op_type))
            .collect();
        assert_eq!(ops, [("off", "D"), ("new", "I")]);
    }
}
