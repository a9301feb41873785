//! KYC documents, media, checks and statuses (#48–#55; born in v2.0.0).
//! The adds are upserts keyed by the path's id (a status by its bank and
//! customer) and check AUTH → ROLE → BANK → CUST → JSON; the reads have no
//! bank in the path and need a system role.

use crate::caller::Login;
use crate::error::{ErrorBody, ObpError, ObpResult};
use crate::extract::parse;
use crate::wire;
use crate::{Mount, ObpState, Version};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use finhub_core::obp::customers::Customer;
use finhub_core::obp::kyc::{KycCheck, KycDocument, KycMedia, KycStatus};
use finhub_core::obp::Refusal;
use serde::{Deserialize, Serialize};

pub fn routes(v: Version) -> Router<ObpState> {
    use Version::V200;
    let c = "/banks/{bank_id}/customers/{customer_id}";
    Router::new()
        .at(
            v,
            V200,
            &format!("{c}/kyc_documents/{{kyc_document_id}}"),
            put(add_document),
        )
        .at(
            v,
            V200,
            &format!("{c}/kyc_media/{{kyc_media_id}}"),
            put(add_media),
        )
        .at(
            v,
            V200,
            &format!("{c}/kyc_check/{{kyc_check_id}}"),
            put(add_check),
        )
        .at(v, V200, &format!("{c}/kyc_statuses"), put(add_status))
        .at(
            v,
            V200,
            "/customers/{customer_id}/kyc_documents",
            get(documents),
        )
        .at(v, V200, "/customers/{customer_id}/kyc_media", get(media))
        .at(v, V200, "/customers/{customer_id}/kyc_checks", get(checks))
        .at(
            v,
            V200,
            "/customers/{customer_id}/kyc_statuses",
            get(statuses),
        )
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    add_document,
    add_media,
    add_check,
    add_status,
    documents,
    media,
    checks,
    statuses
))]
pub struct Doc;

/// ROLE (at BANK_ID), BANK, CUST: the add endpoints' gates in OBP's order.
async fn adding(
    s: &ObpState,
    login: &Login,
    bank_id: &str,
    customer_id: &str,
    role: &str,
) -> ObpResult<Customer> {
    s.require(&login.user, bank_id, &[role]).await?;
    s.bank(bank_id).await?;
    customer(s, customer_id).await
}

/// ROLE (a system role), CUST: the reads' gates.
async fn reading(
    s: &ObpState,
    login: &Login,
    customer_id: &str,
    role: &str,
) -> ObpResult<Customer> {
    s.require(&login.user, "", &[role]).await?;
    customer(s, customer_id).await
}

/// CUST (the customer's bank is not compared, as in OBP).
async fn customer(s: &ObpState, customer_id: &str) -> ObpResult<Customer> {
    s.obp.customer(customer_id).await.map_err(|r| match r {
        Refusal::NotFound(_) => ObpError::customer_not_found(customer_id),
        other => other.into(),
    })
}

// ---- documents ------------------------------------------------------------

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct PostKycDocumentJSON {
    pub customer_number: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub number: String,
    #[serde(with = "wire::date")]
    #[schema(value_type = Option<String>)]
    pub issue_date: Option<DateTime<Utc>>,
    pub issue_place: String,
    #[serde(with = "wire::date")]
    #[schema(value_type = Option<String>)]
    pub expiry_date: Option<DateTime<Utc>>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct KycDocumentJSON {
    pub bank_id: String,
    pub customer_id: String,
    pub id: String,
    pub customer_number: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub number: String,
    #[serde(with = "wire::date")]
    #[schema(value_type = Option<String>)]
    pub issue_date: Option<DateTime<Utc>>,
    pub issue_place: String,
    #[serde(with = "wire::date")]
    #[schema(value_type = Option<String>)]
    pub expiry_date: Option<DateTime<Utc>>,
}

impl From<KycDocument> for KycDocumentJSON {
    fn from(d: KycDocument) -> Self {
        KycDocumentJSON {
            bank_id: d.owner.bank_id,
            customer_id: d.owner.customer_id,
            id: d.id,
            customer_number: d.owner.customer_number,
            kind: d.kind,
            number: d.number,
            issue_date: d.issue_date,
            issue_place: d.issue_place,
            expiry_date: d.expiry_date,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct KycDocumentsJSON {
    pub documents: Vec<KycDocumentJSON>,
}

/// Add KYC Document.
#[utoipa::path(
    put,
    path = "/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}/kyc_documents/{kyc_document_id}",
    tag = "KYC",
    request_body = PostKycDocumentJSON,
    params(("bank_id" = String, Path), ("customer_id" = String, Path), ("kyc_document_id" = String, Path)),
    description = "Also under /obp/v2.0.0 and /obp/v3.1.0. Role: CanAddKycDocument. Checks: \
OBP-20001, OBP-20006, OBP-30001, OBP-30046, OBP-10001. An upsert: the same KYC_DOCUMENT_ID \
again overwrites the document. customer_number is stored as given.",
    responses(
        (status = 201, body = KycDocumentJSON),
        (status = 400, body = ErrorBody, description = "OBP-10001, OBP-50200"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001, OBP-30046"),
    )
)]
pub async fn add_document(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, customer_id, id)): Path<(String, String, String)>,
    body: Bytes,
) -> ObpResult<(StatusCode, Json<KycDocumentJSON>)> {
    let c = adding(&s, &login, &bank_id, &customer_id, "CanAddKycDocument").await?;
    let b: PostKycDocumentJSON = parse(&body, "PostKycDocumentJSON")?;
    let d = KycDocument {
        id,
        owner: s.obp.kyc_owner(&bank_id, &c, b.customer_number),
        kind: b.kind,
        number: b.number,
        issue_date: b.issue_date,
        issue_place: b.issue_place,
        expiry_date: b.expiry_date,
    };
    let d = s.obp.add_kyc_document(d).await?;
    Ok((StatusCode::CREATED, Json(d.into())))
}

/// Get Customer KYC Documents.
#[utoipa::path(
    get,
    path = "/obp/v4.0.0/customers/{customer_id}/kyc_documents",
    tag = "KYC",
    params(("customer_id" = String, Path)),
    description = "Also under /obp/v2.0.0 and /obp/v3.1.0. Role: CanGetAnyKycDocuments \
(system). Checks: OBP-20001 (OBP's docs call the login optional, its code requires it; finhub \
follows the code), OBP-20006, OBP-30046. Newest-updated first.",
    responses(
        (status = 200, body = KycDocumentsJSON),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30046"),
    )
)]
pub async fn documents(
    State(s): State<ObpState>,
    login: Login,
    Path(customer_id): Path<String>,
) -> ObpResult<Json<KycDocumentsJSON>> {
    let c = reading(&s, &login, &customer_id, "CanGetAnyKycDocuments").await?;
    let all = s.obp.kyc_documents(&c.customer_id).await?;
    Ok(Json(KycDocumentsJSON {
        documents: all.into_iter().map(KycDocumentJSON::from).collect(),
    }))
}

// ---- media ----------------------------------------------------------------

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct PostKycMediaJSON {
    pub customer_number: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub url: String,
    #[serde(with = "wire::date")]
    #[schema(value_type = Option<String>)]
    pub date: Option<DateTime<Utc>>,
    pub relates_to_kyc_document_id: String,
    pub relates_to_kyc_check_id: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct KycMediaJSON {
    pub bank_id: String,
    pub customer_id: String,
    pub id: String,
    pub customer_number: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub url: String,
    #[serde(with = "wire::date")]
    #[schema(value_type = Option<String>)]
    pub date: Option<DateTime<Utc>>,
    pub relates_to_kyc_document_id: String,
    pub relates_to_kyc_check_id: String,
}

impl From<KycMedia> for KycMediaJSON {
    fn from(m: KycMedia) -> Self {
        KycMediaJSON {
            bank_id: m.owner.bank_id,
            customer_id: m.owner.customer_id,
            id: m.id,
            customer_number: m.owner.customer_number,
            kind: m.kind,
            url: m.url,
            date: m.date,
            relates_to_kyc_document_id: m.relates_to_kyc_document_id,
            relates_to_kyc_check_id: m.relates_to_kyc_check_id,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct KycMediasJSON {
    pub medias: Vec<KycMediaJSON>,
}

/// Add KYC Media.
#[utoipa::path(
    put,
    path = "/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}/kyc_media/{kyc_media_id}",
    tag = "KYC",
    request_body = PostKycMediaJSON,
    params(("bank_id" = String, Path), ("customer_id" = String, Path), ("kyc_media_id" = String, Path)),
    description = "Also under /obp/v2.0.0 and /obp/v3.1.0. Role: CanAddKycMedia. Checks: \
OBP-20001, OBP-20006, OBP-30001, OBP-30046, OBP-10001. An upsert keyed by KYC_MEDIA_ID.",
    responses(
        (status = 201, body = KycMediaJSON),
        (status = 400, body = ErrorBody, description = "OBP-10001, OBP-50200"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001, OBP-30046"),
    )
)]
pub async fn add_media(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, customer_id, id)): Path<(String, String, String)>,
    body: Bytes,
) -> ObpResult<(StatusCode, Json<KycMediaJSON>)> {
    let c = adding(&s, &login, &bank_id, &customer_id, "CanAddKycMedia").await?;
    let b: PostKycMediaJSON = parse(&body, "PostKycMediaJSON")?;
    let m = KycMedia {
        id,
        owner: s.obp.kyc_owner(&bank_id, &c, b.customer_number),
        kind: b.kind,
        url: b.url,
        date: b.date,
        relates_to_kyc_document_id: b.relates_to_kyc_document_id,
        relates_to_kyc_check_id: b.relates_to_kyc_check_id,
    };
    let m = s.obp.add_kyc_media(m).await?;
    Ok((StatusCode::CREATED, Json(m.into())))
}

/// Get KYC Media for a customer.
#[utoipa::path(
    get,
    path = "/obp/v4.0.0/customers/{customer_id}/kyc_media",
    tag = "KYC",
    params(("customer_id" = String, Path)),
    description = "Also under /obp/v2.0.0 and /obp/v3.1.0. Role: CanGetAnyKycMedia (system). \
Checks: OBP-20001, OBP-20006, OBP-30046. Newest-updated first.",
    responses(
        (status = 200, body = KycMediasJSON),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30046"),
    )
)]
pub async fn media(
    State(s): State<ObpState>,
    login: Login,
    Path(customer_id): Path<String>,
) -> ObpResult<Json<KycMediasJSON>> {
    let c = reading(&s, &login, &customer_id, "CanGetAnyKycMedia").await?;
    let all = s.obp.kyc_media(&c.customer_id).await?;
    Ok(Json(KycMediasJSON {
        medias: all.into_iter().map(KycMediaJSON::from).collect(),
    }))
}

// ---- checks ---------------------------------------------------------------

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct PostKycCheckJSON {
    pub customer_number: String,
    #[serde(with = "wire::date")]
    #[schema(value_type = Option<String>)]
    pub date: Option<DateTime<Utc>>,
    pub how: String,
    pub staff_user_id: String,
    pub staff_name: String,
    pub satisfied: bool,
    pub comments: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct KycCheckJSON {
    pub bank_id: String,
    pub customer_id: String,
    pub id: String,
    pub customer_number: String,
    #[serde(with = "wire::date")]
    #[schema(value_type = Option<String>)]
    pub date: Option<DateTime<Utc>>,
    pub how: String,
    pub staff_user_id: String,
    pub staff_name: String,
    pub satisfied: bool,
    pub comments: String,
}

impl From<KycCheck> for KycCheckJSON {
    fn from(c: KycCheck) -> Self {
        KycCheckJSON {
            bank_id: c.owner.bank_id,
            customer_id: c.owner.customer_id,
            id: c.id,
            customer_number: c.owner.customer_number,
            date: c.date,
            how: c.how,
            staff_user_id: c.staff_user_id,
            staff_name: c.staff_name,
            satisfied: c.satisfied,
            comments: c.comments,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct KycChecksJSON {
    pub checks: Vec<KycCheckJSON>,
}

/// Add KYC Check.
#[utoipa::path(
    put,
    path = "/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}/kyc_check/{kyc_check_id}",
    tag = "KYC",
    request_body = PostKycCheckJSON,
    params(("bank_id" = String, Path), ("customer_id" = String, Path), ("kyc_check_id" = String, Path)),
    description = "Also under /obp/v2.0.0 and /obp/v3.1.0. Role: CanAddKycCheck. Checks: \
OBP-20001, OBP-20006, OBP-30001, OBP-30046, OBP-10001. An upsert keyed by KYC_CHECK_ID (the add \
path says `kyc_check`, the read path `kyc_checks`, as in OBP).",
    responses(
        (status = 201, body = KycCheckJSON),
        (status = 400, body = ErrorBody, description = "OBP-10001, OBP-50200"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001, OBP-30046"),
    )
)]
pub async fn add_check(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, customer_id, id)): Path<(String, String, String)>,
    body: Bytes,
) -> ObpResult<(StatusCode, Json<KycCheckJSON>)> {
    let c = adding(&s, &login, &bank_id, &customer_id, "CanAddKycCheck").await?;
    let b: PostKycCheckJSON = parse(&body, "PostKycCheckJSON")?;
    let k = KycCheck {
        id,
        owner: s.obp.kyc_owner(&bank_id, &c, b.customer_number),
        date: b.date,
        how: b.how,
        staff_user_id: b.staff_user_id,
        staff_name: b.staff_name,
        satisfied: b.satisfied,
        comments: b.comments,
    };
    let k = s.obp.add_kyc_check(k).await?;
    Ok((StatusCode::CREATED, Json(k.into())))
}

/// Get Customer KYC Checks.
#[utoipa::path(
    get,
    path = "/obp/v4.0.0/customers/{customer_id}/kyc_checks",
    tag = "KYC",
    params(("customer_id" = String, Path)),
    description = "Also under /obp/v2.0.0 and /obp/v3.1.0. Role: CanGetAnyKycChecks (system). \
Checks: OBP-20001, OBP-20006, OBP-30046. Newest-updated first.",
    responses(
        (status = 200, body = KycChecksJSON),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30046"),
    )
)]
pub async fn checks(
    State(s): State<ObpState>,
    login: Login,
    Path(customer_id): Path<String>,
) -> ObpResult<Json<KycChecksJSON>> {
    let c = reading(&s, &login, &customer_id, "CanGetAnyKycChecks").await?;
    let all = s.obp.kyc_checks(&c.customer_id).await?;
    Ok(Json(KycChecksJSON {
        checks: all.into_iter().map(KycCheckJSON::from).collect(),
    }))
}

// ---- statuses -------------------------------------------------------------

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct PostKycStatusJSON {
    pub customer_number: String,
    pub ok: bool,
    #[serde(with = "wire::date")]
    #[schema(value_type = Option<String>)]
    pub date: Option<DateTime<Utc>>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct KycStatusJSON {
    pub customer_id: String,
    pub customer_number: String,
    pub ok: bool,
    #[serde(with = "wire::date")]
    #[schema(value_type = Option<String>)]
    pub date: Option<DateTime<Utc>>,
}

impl From<KycStatus> for KycStatusJSON {
    fn from(s: KycStatus) -> Self {
        KycStatusJSON {
            customer_id: s.owner.customer_id,
            customer_number: s.owner.customer_number,
            ok: s.ok,
            date: s.date,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct KycStatusesJSON {
    pub statuses: Vec<KycStatusJSON>,
}

/// Add KYC Status.
#[utoipa::path(
    put,
    path = "/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}/kyc_statuses",
    tag = "KYC",
    request_body = PostKycStatusJSON,
    params(("bank_id" = String, Path), ("customer_id" = String, Path)),
    description = "Also under /obp/v2.0.0 and /obp/v3.1.0. Role: CanAddKycStatus. Checks: \
OBP-20001, OBP-20006, OBP-30001, OBP-30046, OBP-10001. One status per (bank, customer), \
overwritten by each add, as OBP's backend keeps it. The status is the person's KYC status: the \
customer's `kyc_status` takes `ok`, and the other faces see it.",
    responses(
        (status = 201, body = KycStatusJSON),
        (status = 400, body = ErrorBody, description = "OBP-10001, OBP-50200"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001, OBP-30046"),
    )
)]
pub async fn add_status(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, customer_id)): Path<(String, String)>,
    body: Bytes,
) -> ObpResult<(StatusCode, Json<KycStatusJSON>)> {
    let c = adding(&s, &login, &bank_id, &customer_id, "CanAddKycStatus").await?;
    let b: PostKycStatusJSON = parse(&body, "PostKycStatusJSON")?;
    let st = KycStatus {
        owner: s.obp.kyc_owner(&bank_id, &c, b.customer_number),
        ok: b.ok,
        date: b.date,
    };
    let st = s.obp.add_kyc_status(c, st).await?;
    Ok((StatusCode::CREATED, Json(st.into())))
}

/// Get Customer KYC statuses.
#[utoipa::path(
    get,
    path = "/obp/v4.0.0/customers/{customer_id}/kyc_statuses",
    tag = "KYC",
    params(("customer_id" = String, Path)),
    description = "Also under /obp/v2.0.0 and /obp/v3.1.0. Role: CanGetAnyKycStatuses \
(system). Checks: OBP-20001, OBP-20006, OBP-30046. Newest-updated first (one per bank).",
    responses(
        (status = 200, body = KycStatusesJSON),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30046"),
    )
)]
pub async fn statuses(
    State(s): State<ObpState>,
    login: Login,
    Path(customer_id): Path<String>,
) -> ObpResult<Json<KycStatusesJSON>> {
    let c = reading(&s, &login, &customer_id, "CanGetAnyKycStatuses").await?;
    let all = s.obp.kyc_statuses(&c.customer_id).await?;
    Ok(Json(KycStatusesJSON {
        statuses: all.into_iter().map(KycStatusJSON::from).collect(),
    }))
}
