//! 지원-002 (institutions), 지원-006 (institutions for certificate
//! authorities) and 지원-102 (a provider's status). The organisations are the
//! world's institutions, each a provider with its own API (org_type `01`),
//! and the mydata clients' organisation codes, each a MyData operator
//! (org_type `03`).

use crate::assets::industry;
use crate::codes::Rsp;
use crate::error::{MResult, MydataError};
use crate::extract::{MQuery, Manager};
use crate::params::{changed_since, num_or_str, search_timestamp, timestamp_now};
use crate::wire::Synced;
use crate::MydataState;
use axum::extract::State;
use chrono::{DateTime, Utc};
use finhub_core::institution::{Institution, InstitutionKind};
use finhub_core::oauth::{Client, Profile};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// `op_type`: what happened to an entry since the caller's `search_timestamp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    /// `I`: new (every entry of a first sync).
    New,
    /// `M`: modified.
    Modified,
    /// `D`: deleted.
    Deleted,
}

impl Op {
    pub(super) fn code(self) -> &'static str {
        match self {
            Op::New => "I",
            Op::Modified => "M",
            Op::Deleted => "D",
        }
    }

    /// An entry created at `created`, still `live` or not, as news to a
    /// caller that last synced at `since`; None when it is no news.
    pub(super) fn of(
        created: DateTime<Utc>,
        live: bool,
        since: Option<DateTime<Utc>>,
    ) -> Option<Op> {
        match (since, live) {
            (None, true) => Some(Op::New),
            (None, false) => None,
            (Some(_), false) => Some(Op::Deleted),
            (Some(_), true) => changed_since(created, since).then_some(Op::New),
        }
    }
}

/// `org_type` aN(2) of mydata.md §12.1.
const PROVIDER: &str = "01";
const OPERATOR: &str = "03";

/// One organisation of the support lists, before it becomes wire.
struct Org {
    op: Op,
    code: String,
    name: String,
    /// The institution's kind; None for an operator.
    kind: Option<InstitutionKind>,
}

/// Every mydata client of the world: the services of the operators.
pub(super) async fn mydata_clients(state: &MydataState) -> MResult<Vec<Client>> {
    let mut all = state.oauth.list_clients().await.map_err(|e| {
        tracing::error!(error = %e, "listing clients failed");
        MydataError::new(Rsp::System)
    })?;
    all.retain(|c| c.profile == Profile::Mydata);
    all.sort_by(|a, b| (a.created_at, &a.client_id).cmp(&(b.created_at, &b.client_id)));
    Ok(all)
}

/// The operators' organisations, each with its clients in registration order.
pub(super) fn by_org(clients: Vec<Client>) -> BTreeMap<String, Vec<Client>> {
    let mut orgs: BTreeMap<String, Vec<Client>> = BTreeMap::new();
    for c in clients {
        orgs.entry(c.org_code.clone()).or_default().push(c);
    }
    orgs
}

/// An operator's organisation as news: new when its first client is, deleted
/// when no client is left enabled, modified when a client was added.
fn operator(code: String, clients: &[Client], since: Option<DateTime<Utc>>) -> Option<Org> {
    let first = clients.first()?;
    let live = clients.iter().any(|c| !c.disabled);
    let op = Op::of(first.created_at, live, since).or_else(|| {
        let added = clients.iter().any(|c| changed_since(c.created_at, since));
        (live && added).then_some(Op::Modified)
    })?;
    Some(Org {
        op,
        code,
        name: first.name.clone(),
        kind: None,
    })
}

/// The organisations that are news since `since`. The world's institutions
/// are fixed when it is made, so only a first sync lists them.
async fn orgs_since(state: &MydataState, since: Option<DateTime<Utc>>) -> MResult<Vec<Org>> {
    let mut out: Vec<Org> = Vec::new();
    if since.is_none() {
        let insts: Vec<Institution> = state.world.repo.list_institutions().await?;
        out.extend(insts.into_iter().map(|i| Org {
            op: Op::New,
            code: i.org_code,
            name: i.name,
            kind: Some(i.kind),
        }));
    }
    for (code, clients) in by_org(mydata_clients(state).await?) {
        out.extend(operator(code, &clients, since));
    }
    out.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(out)
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct SinceQuery {
    /// N(14): the `search_timestamp` answered last time; `0` or absent on a first sync.
    #[serde(deserialize_with = "num_or_str")]
    #[param(value_type = Option<String>)]
    pub search_timestamp: Option<String>,
}

/// 지원-002 `org_list[]`. Fields finhub has no value for (registration
/// numbers, TLS certificate serial, address, domain and IPs, relay,
/// non-peak windows) are left out.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgItem {
    /// `I` new, `M` modified, `D` deleted.
    pub op_type: &'static str,
    pub org_code: String,
    /// `01` provider with its own API (every institution), `03` MyData operator.
    pub org_type: &'static str,
    /// Operators receive; providers send.
    pub is_rcv_org: bool,
    pub org_name: String,
    /// A provider's industry code (`bank`, `card`, `invest`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub industry: Option<&'static str>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrgsBody {
    pub search_timestamp: i64,
    pub org_cnt: usize,
    pub org_list: Vec<OrgItem>,
}

/// 지원-006 `org_list[]`; the certificate fields finhub does not keep are left out.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaOrgItem {
    pub org_code: String,
    pub op_type: &'static str,
    pub org_type: &'static str,
    pub org_name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrgsForCaBody {
    pub search_timestamp: i64,
    pub org_cnt: usize,
    pub org_list: Vec<CaOrgItem>,
}

fn org_type(o: &Org) -> &'static str {
    if o.kind.is_some() {
        PROVIDER
    } else {
        OPERATOR
    }
}

/// The orgs since the query's timestamp, the timestamp to answer, and
/// whether a later sync finds nothing new (`00001`).
async fn news(state: &MydataState, q: &SinceQuery) -> MResult<(Vec<Org>, i64, bool)> {
    let since = search_timestamp(q.search_timestamp.as_deref())?;
    let now = timestamp_now(state.world.clock.now());
    let orgs = orgs_since(state, since).await?;
    let up_to_date = since.is_some() && orgs.is_empty();
    Ok((orgs, now, up_to_date))
}

/// 지원-002 기관정보 조회: every institution of the world as a provider
/// (org_type `01`, with its MyData `industry`) and every mydata client's
/// organisation as an operator (org_type `03`). The world's institutions do
/// not change once it is made, so a sync with a `search_timestamp` lists only
/// operators that are new (`I`: first client registered since), modified
/// (`M`: a client added since) or deleted (`D`: no client left enabled), and
/// answers `00001` when there are none.
#[utoipa::path(get, path = "/v1/mgmts/orgs", tag = "support", params(SinceQuery),
    responses((status = 200, body = OrgsBody, description = "rsp_code, rsp_msg, then these fields")))]
pub async fn orgs(
    State(state): State<MydataState>,
    _m: Manager,
    MQuery(q): MQuery<SinceQuery>,
) -> MResult<Synced<OrgsBody>> {
    let (orgs, now, up_to_date) = news(&state, &q).await?;
    if up_to_date {
        return Ok(Synced::UpToDate {
            search_timestamp: now,
        });
    }
    let org_list: Vec<OrgItem> = orgs
        .into_iter()
        .map(|o| OrgItem {
            op_type: o.op.code(),
            org_type: org_type(&o),
            is_rcv_org: o.kind.is_none(),
            industry: o.kind.map(industry),
            org_code: o.code,
            org_name: o.name,
        })
        .collect();
    Ok(Synced::Changed(OrgsBody {
        search_timestamp: now,
        org_cnt: org_list.len(),
        org_list,
    }))
}

/// 지원-006 통합인증기관용 기관정보 조회: the organisations of 지원-002, with
/// the same `op_type` rules, in the certificate authorities' shape. finhub
/// keeps no server certificates, IPs or CA codes, so those fields are left out.
#[utoipa::path(get, path = "/v1/mgmts/orgs_for_ca", tag = "support", params(SinceQuery),
    responses((status = 200, body = OrgsForCaBody, description = "rsp_code, rsp_msg, then these fields")))]
pub async fn orgs_for_ca(
    State(state): State<MydataState>,
    _m: Manager,
    MQuery(q): MQuery<SinceQuery>,
) -> MResult<Synced<OrgsForCaBody>> {
    let (orgs, now, up_to_date) = news(&state, &q).await?;
    if up_to_date {
        return Ok(Synced::UpToDate {
            search_timestamp: now,
        });
    }
    let org_list: Vec<CaOrgItem> = orgs
        .into_iter()
        .map(|o| CaOrgItem {
            op_type: o.op.code(),
            org_type: org_type(&o),
            org_code: o.code,
            org_name: o.name,
        })
        .collect();
    Ok(Synced::Changed(OrgsForCaBody {
        search_timestamp: now,
        org_cnt: org_list.len(),
        org_list,
    }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct StatusQuery {
    /// aN(10), required: the provider's organisation code.
    pub org_code: Option<String>,
}

/// `availability` aN(2): `00` the provider's API serves, `01` it does not.
const AVAILABLE: &str = "00";
const UNAVAILABLE: &str = "01";

#[derive(Debug, Serialize, ToSchema)]
pub struct StatusBody {
    /// `00` available; `01` not available (the institution is in outage, not
    /// started or ended).
    pub availability: &'static str,
}

/// 지원-102 정보제공자 상태 조회: whether the institution's API is
/// available, from its status in the world (`PUT
/// /sandbox/institutions/{org_code}/status`: anything but `active` reads as
/// `01`). The standard does not give the values; finhub answers `00`
/// available and `01` not available. `org_code` missing is `40001`; a code
/// that is not an institution of the world is 403 `40303` (org_code wrong).
#[utoipa::path(get, path = "/v1/mgmts/status", tag = "support", params(StatusQuery),
    responses((status = 200, body = StatusBody, description = "rsp_code, rsp_msg, then these fields")))]
pub async fn status(
    State(state): State<MydataState>,
    _m: Manager,
    MQuery(q): MQuery<StatusQuery>,
) -> MResult<crate::wire::Reply<StatusBody>> {
    let code = q
        .org_code
        .filter(|c| !c.is_empty())
        .ok_or_else(|| MydataError::param("org_code 누락"))?;
    let inst = state
        .world
        .repo
        .institution(&code)
        .await?
        .ok_or_else(|| MydataError::new(Rsp::WrongOrg))?;
    let availability = if inst.status.is_available() {
        AVAILABLE
    } else {
        UNAVAILABLE
    };
    Ok(crate::wire::Reply::ok(StatusBody { availability }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn client(id: &str, org: &str, at: DateTime<Utc>, disabled: bool) -> Client {
        Client {
            client_id: id.into(),
            secret_hash: String::new(),
            name: format!("service {id}"),
            profile: Profile::Mydata,
            org_code: org.into(),
            redirect_uris: vec![],
            scopes: vec!["bank.list".into()],
            created_at: at,
            disabled,
        }
    }

    #[test]
    fn op_types_follow_the_callers_last_sync() {
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let later = t0 + Duration::days(1);
        assert_eq!(Op::of(t0, true, None), Some(Op::New));
        assert_eq!(Op::of(t0, false, None), None);
        assert_eq!(Op::of(t0, true, Some(later)), None);
        assert_eq!(Op::of(later, true, Some(t0)), Some(Op::New));
        assert_eq!(Op::of(t0, false, Some(later)), Some(Op::Deleted));
    }

    #[test]
    fn an_operator_is_modified_when_a_client_joins_it() {
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let t1 = t0 + Duration::days(2);
        let mid = Some(t0 + Duration::days(1));
        let one = vec![client("a", "OP00000001", t0, false)];
        assert!(operator("OP00000001".into(), &one, mid).is_none());
        let two = vec![one[0].clone(), client("b", "OP00000001", t1, false)];
        let o = operator("OP00000001".into(), &two, mid).unwrap();
        assert_eq!(o.op, Op::Modified);
        assert_eq!(o.name, "service a");
        let gone = vec![client("a", "OP00000001", t0, true)];
        assert_eq!(
            operator("OP00000001".into(), &gone, mid).unwrap().op,
            Op::Deleted
        );
        assert!(operator("OP00000001".into(), &gone, None).is_none());
    }

    #[test]
    fn clients_group_by_their_organisation() {
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let orgs = by_org(vec![
            client("a", "OP2", t0, false),
            client("b", "OP1", t0, false),
            client("c", "OP2", t0, false),
        ]);
        let keys: Vec<_> = orgs.keys().cloned().collect();
        assert_eq!(keys, ["OP1", "OP2"]);
        assert_eq!(orgs["OP2"].len(), 2);
    }
}
