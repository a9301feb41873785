//! U8 the terms list, U9 optional terms agreed or withdrawn.

use crate::error::KonaResult;
use crate::extract::{Checked, Ctx, Fields};
use crate::wire::{done, dt17, Out};
use crate::KonaState;
use axum::extract::State;
use finhub_core::konaplate::ids::UserId;
use finhub_core::konaplate::Refusal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TermsRequest {
    /// With it, each term says whether the member agreed.
    pub user_id: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TermsItem {
    pub tc_id: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tc_action_type: Option<&'static str>,
    pub title: &'static str,
    pub url: &'static str,
    /// `MANDATORY` / `OPTIONAL`.
    pub required: &'static str,
    pub order: String,
    pub is_agree: bool,
    /// 17 digits (KST), when agreed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agree_date: Option<String>,
    pub view_position_type: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TermsList {
    pub terms_list: Vec<TermsItem>,
}

/// U8: the terms catalogue.
#[utoipa::path(post, path = "/api/v1/user/terms/all", tag = "members",
    request_body = TermsRequest,
    responses((status = 200, body = TermsList), (status = 400, body = crate::error::Envelope)))]
pub async fn terms_all(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<TermsList>> {
    let user_id = ctx.fields().opt_number("userId")?.map(UserId);
    let terms = s.kona.terms(ctx.project_id(), user_id).await?;
    let list = (terms.into_iter().enumerate())
        .map(|(i, (t, a))| TermsItem {
            tc_id: t.tc_id,
            tc_action_type: t.action_type,
            title: t.title,
            url: t.url,
            required: t.required.as_str(),
            order: (i + 1).to_string(),
            is_agree: a.is_some(),
            agree_date: a.map(|a| dt17(a.agreed_at)),
            view_position_type: t.view_position(),
        })
        .collect();
    Ok(Out(TermsList { terms_list: list }))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TcItem {
    pub tc_id: u64,
    /// true agrees, false withdraws (never a MANDATORY term).
    pub is_agree: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TermsUpdateRequest {
    pub user_id: u64,
    pub tc_list: Vec<TcItem>,
}

fn items(f: &Fields<'_>) -> Checked<Vec<(u64, bool)>> {
    (f.array("tcList")?.iter())
        .map(|v| {
            let item = Fields(v);
            if !v.is_object() {
                return Err(Refusal::invalid("tcList"));
            }
            let agree = item.opt_bool("isAgree")?;
            Ok((
                item.number("tcId")?,
                agree.ok_or_else(|| Refusal::missing("isAgree"))?,
            ))
        })
        .collect()
}

/// U9: agree to or withdraw optional terms.
#[utoipa::path(post, path = "/api/v1/user/terms/updateOptionalTermsAndConditions",
    tag = "members", request_body = TermsUpdateRequest,
    responses((status = 200, body = crate::error::Envelope), (status = 400, body = crate::error::Envelope)))]
pub async fn update_optional(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<Value>> {
    let f = ctx.fields();
    let user_id = f.user_id()?;
    let items = items(&f)?;
    (s.kona.update_terms(ctx.project_id(), user_id, &items)).await?;
    Ok(done())
}
