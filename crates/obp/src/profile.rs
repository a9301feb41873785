//! A customer's addresses and tax residences (born in v3.1.0) and
//! social-media handles (born in v2.0.0).

use crate::caller::Login;
use crate::codes;
use crate::error::{ErrorBody, ObpError, ObpResult};
use crate::extract::parse;
use crate::wire;
use crate::{Mount, ObpState, Version};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use finhub_core::obp::customers::Customer;
use finhub_core::obp::profile::{AddressFields, CustomerAddress, SocialMediaHandle, TaxResidence};
use finhub_core::obp::Refusal;
use serde::{Deserialize, Serialize};

pub fn routes(v: Version) -> Router<ObpState> {
    use Version::{V200, V310};
    let customer = "/banks/{bank_id}/customers/{customer_id}";
    Router::new()
        .at(
            v,
            V310,
            &format!("{customer}/address"),
            post(create_address),
        )
        .at(v, V310, &format!("{customer}/addresses"), get(addresses))
        .at(
            v,
            V310,
            &format!("{customer}/addresses/{{customer_address_id}}"),
            delete(delete_address).put(update_address),
        )
        .at(
            v,
            V310,
            &format!("{customer}/tax-residence"),
            post(create_tax_residence),
        )
        .at(
            v,
            V310,
            &format!("{customer}/tax-residences"),
            get(tax_residences),
        )
        .at(
            v,
            V310,
            &format!("{customer}/tax_residencies/{{tax_residence_id}}"),
            delete(delete_tax_residence),
        )
        .at(
            v,
            V200,
            &format!("{customer}/social_media_handles"),
            post(add_social_handle).get(social_handles),
        )
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    create_address,
    update_address,
    addresses,
    delete_address,
    create_tax_residence,
    tax_residences,
    delete_tax_residence,
    add_social_handle,
    social_handles
))]
pub struct Doc;

/// BANK, then ROLE.
async fn staff(s: &ObpState, login: &Login, bank_id: &str, role: &str) -> ObpResult<()> {
    s.bank(bank_id).await?;
    s.require(&login.user, bank_id, &[role]).await.map(drop)
}

/// CUST (the customer's bank is not compared, as OBP).
async fn customer(s: &ObpState, customer_id: &str) -> ObpResult<Customer> {
    s.obp.customer(customer_id).await.map_err(|r| match r {
        Refusal::NotFound("customer") => ObpError::customer_not_found(customer_id),
        other => other.into(),
    })
}

// ---- addresses ----------------------------------------------------------

/// `PostCustomerAddressJsonV310`.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct PostCustomerAddressJsonV310 {
    pub line_1: String,
    pub line_2: String,
    pub line_3: String,
    pub city: String,
    pub county: String,
    pub state: String,
    pub postcode: String,
    /// ISO 3166-1 alpha-2.
    pub country_code: String,
    pub tags: Vec<String>,
    pub status: String,
}

impl From<PostCustomerAddressJsonV310> for AddressFields {
    fn from(b: PostCustomerAddressJsonV310) -> Self {
        AddressFields {
            line_1: b.line_1,
            line_2: b.line_2,
            line_3: b.line_3,
            city: b.city,
            county: b.county,
            state: b.state,
            postcode: b.postcode,
            country_code: b.country_code,
            tags: b.tags,
            status: b.status,
        }
    }
}

/// `CustomerAddressJsonV310`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CustomerAddressJsonV310 {
    pub customer_address_id: String,
    pub customer_id: String,
    pub line_1: String,
    pub line_2: String,
    pub line_3: String,
    pub city: String,
    pub county: String,
    pub state: String,
    pub postcode: String,
    pub country_code: String,
    pub tags: Vec<String>,
    /// The posted `state` (OBP's quirk).
    pub status: String,
    #[serde(with = "wire::date")]
    #[schema(value_type = Option<String>)]
    pub insert_date: Option<DateTime<Utc>>,
}

impl From<CustomerAddress> for CustomerAddressJsonV310 {
    fn from(a: CustomerAddress) -> Self {
        let f = a.fields;
        CustomerAddressJsonV310 {
            customer_address_id: a.customer_address_id,
            customer_id: a.customer_id,
            line_1: f.line_1,
            line_2: f.line_2,
            line_3: f.line_3,
            city: f.city,
            county: f.county,
            state: f.state,
            postcode: f.postcode,
            country_code: f.country_code,
            tags: f.tags,
            status: f.status,
            insert_date: Some(a.insert_date),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CustomerAddressesJson {
    pub addresses: Vec<CustomerAddressJsonV310>,
}

/// Create Address.
#[utoipa::path(
    post,
    path = "/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}/address",
    tag = "Customer",
    request_body = PostCustomerAddressJsonV310,
    params(("bank_id" = String, Path), ("customer_id" = String, Path)),
    description = "Also under /obp/v3.1.0. As OBP's backend, the posted `state` is kept as the \
status too, so the answer's `status` equals `state` (the posted `status` is not kept). Tags are \
kept comma-joined and split on output. Checks: OBP-20001, OBP-30001, OBP-20006, OBP-10001, OBP-30046.",
    responses(
        (status = 201, body = CustomerAddressJsonV310),
        (status = 400, body = ErrorBody, description = "OBP-10001"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001, OBP-30046"),
    )
)]
pub async fn create_address(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, customer_id)): Path<(String, String)>,
    body: Bytes,
) -> ObpResult<(StatusCode, Json<CustomerAddressJsonV310>)> {
    staff(&s, &login, &bank_id, "CanCreateCustomerAddress").await?;
    let b: PostCustomerAddressJsonV310 = parse(&body, "PostCustomerAddressJsonV310")?;
    let c = customer(&s, &customer_id).await?;
    let a = s.obp.create_address(&c, b.into()).await?;
    Ok((StatusCode::CREATED, Json(a.into())))
}

/// Update the Address of a Customer.
#[utoipa::path(
    put,
    path = "/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}/addresses/{customer_address_id}",
    tag = "Customer",
    request_body = PostCustomerAddressJsonV310,
    params(("bank_id" = String, Path), ("customer_id" = String, Path), ("customer_address_id" = String, Path)),
    description = "Also under /obp/v3.1.0. The role checked is CanCreateCustomer, as OBP's code \
(its resource doc declares none). The address is found by its id alone; `status` again equals the \
posted `state`. Checks: OBP-20001, OBP-30001, OBP-20006, OBP-10001, OBP-30046, OBP-50200 (unknown \
address).",
    responses(
        (status = 200, body = CustomerAddressJsonV310),
        (status = 400, body = ErrorBody, description = "OBP-10001, OBP-50200"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001, OBP-30046"),
    )
)]
pub async fn update_address(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, customer_id, id)): Path<(String, String, String)>,
    body: Bytes,
) -> ObpResult<Json<CustomerAddressJsonV310>> {
    staff(&s, &login, &bank_id, "CanCreateCustomer").await?;
    let b: PostCustomerAddressJsonV310 = parse(&body, "PostCustomerAddressJsonV310")?;
    customer(&s, &customer_id).await?;
    let a = s.obp.update_address(&id, b.into()).await?;
    Ok(Json(a.into()))
}

/// Get Customer Addresses.
#[utoipa::path(
    get,
    path = "/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}/addresses",
    tag = "Customer",
    params(("bank_id" = String, Path), ("customer_id" = String, Path)),
    description = "Also under /obp/v3.1.0. Oldest first. Checks: OBP-20001, OBP-30001, OBP-20006, \
OBP-30046.",
    responses(
        (status = 200, body = CustomerAddressesJson),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001, OBP-30046"),
    )
)]
pub async fn addresses(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, customer_id)): Path<(String, String)>,
) -> ObpResult<Json<CustomerAddressesJson>> {
    staff(&s, &login, &bank_id, "CanGetCustomerAddress").await?;
    let c = customer(&s, &customer_id).await?;
    let v = s.obp.addresses(&c.customer_id).await?;
    Ok(Json(CustomerAddressesJson {
        addresses: v.into_iter().map(Into::into).collect(),
    }))
}

/// Delete Customer Address.
#[utoipa::path(
    delete,
    path = "/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}/addresses/{customer_address_id}",
    tag = "Customer",
    params(("bank_id" = String, Path), ("customer_id" = String, Path), ("customer_address_id" = String, Path)),
    description = "Also under /obp/v3.1.0. Answers `true`. Checks: OBP-20001, OBP-30001, OBP-20006, \
OBP-30046, OBP-50200 (unknown address).",
    responses(
        (status = 200, body = bool, content_type = "application/json"),
        (status = 400, body = ErrorBody, description = "OBP-50200"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001, OBP-30046"),
    )
)]
pub async fn delete_address(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, customer_id, id)): Path<(String, String, String)>,
) -> ObpResult<Json<bool>> {
    staff(&s, &login, &bank_id, "CanDeleteCustomerAddress").await?;
    customer(&s, &customer_id).await?;
    s.obp.delete_address(&id).await?;
    Ok(Json(true))
}

// ---- tax residences -----------------------------------------------------

/// `PostTaxResidenceJsonV310`.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct PostTaxResidenceJsonV310 {
    pub domain: String,
    pub tax_number: String,
}

/// `TaxResidenceV310`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TaxResidenceV310 {
    pub domain: String,
    pub tax_number: String,
    pub tax_residence_id: String,
}

impl From<TaxResidence> for TaxResidenceV310 {
    fn from(t: TaxResidence) -> Self {
        TaxResidenceV310 {
            domain: t.domain,
            tax_number: t.tax_number,
            tax_residence_id: t.tax_residence_id,
        }
    }
}

/// The list, under OBP's singular key.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TaxResidenceJsonV310 {
    pub tax_residence: Vec<TaxResidenceV310>,
}

/// Create Tax Residence.
#[utoipa::path(
    post,
    path = "/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}/tax-residence",
    tag = "Customer",
    request_body = PostTaxResidenceJsonV310,
    params(("bank_id" = String, Path), ("customer_id" = String, Path)),
    description = "Also under /obp/v3.1.0. Checks: OBP-20001, OBP-30001, OBP-20006, OBP-10001, OBP-30046.",
    responses(
        (status = 201, body = TaxResidenceV310),
        (status = 400, body = ErrorBody, description = "OBP-10001"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001, OBP-30046"),
    )
)]
pub async fn create_tax_residence(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, customer_id)): Path<(String, String)>,
    body: Bytes,
) -> ObpResult<(StatusCode, Json<TaxResidenceV310>)> {
    staff(&s, &login, &bank_id, "CanCreateTaxResidence").await?;
    let b: PostTaxResidenceJsonV310 = parse(&body, "PostTaxResidenceJsonV310")?;
    let c = customer(&s, &customer_id).await?;
    let t = s
        .obp
        .create_tax_residence(&c, b.domain, b.tax_number)
        .await?;
    Ok((StatusCode::CREATED, Json(t.into())))
}

/// Get Tax Residences of Customer.
#[utoipa::path(
    get,
    path = "/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}/tax-residences",
    tag = "Customer",
    params(("bank_id" = String, Path), ("customer_id" = String, Path)),
    description = "Also under /obp/v3.1.0. The list key is the singular `tax_residence`, as OBP. \
The role CanGetTaxResidence is checked, as OBP's code (its resource doc declares none). Checks: \
OBP-20001, OBP-30001, OBP-20006, OBP-30046.",
    responses(
        (status = 200, body = TaxResidenceJsonV310),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001, OBP-30046"),
    )
)]
pub async fn tax_residences(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, customer_id)): Path<(String, String)>,
) -> ObpResult<Json<TaxResidenceJsonV310>> {
    staff(&s, &login, &bank_id, "CanGetTaxResidence").await?;
    let c = customer(&s, &customer_id).await?;
    let v = s.obp.tax_residences(&c.customer_id).await?;
    Ok(Json(TaxResidenceJsonV310 {
        tax_residence: v.into_iter().map(Into::into).collect(),
    }))
}

/// Delete Tax Residence.
#[utoipa::path(
    delete,
    path = "/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}/tax_residencies/{tax_residence_id}",
    tag = "Customer",
    params(("bank_id" = String, Path), ("customer_id" = String, Path), ("tax_residence_id" = String, Path)),
    description = "Also under /obp/v3.1.0. Answers `true`. The role CanDeleteTaxResidence is \
checked, as OBP's code (its resource doc declares none). Checks: OBP-20001, OBP-30001, OBP-20006, \
OBP-30046, OBP-50200 (unknown tax residence).",
    responses(
        (status = 200, body = bool, content_type = "application/json"),
        (status = 400, body = ErrorBody, description = "OBP-50200"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001, OBP-30046"),
    )
)]
pub async fn delete_tax_residence(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, customer_id, id)): Path<(String, String, String)>,
) -> ObpResult<Json<bool>> {
    staff(&s, &login, &bank_id, "CanDeleteTaxResidence").await?;
    customer(&s, &customer_id).await?;
    s.obp.delete_tax_residence(&id).await?;
    Ok(Json(true))
}

// ---- social media -------------------------------------------------------

/// `SocialMediaJSON`: the request and each listed handle.
#[derive(Deserialize, Serialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct SocialMediaJSON {
    pub customer_number: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub handle: String,
    #[serde(with = "wire::date")]
    #[schema(value_type = Option<String>)]
    pub date_added: Option<DateTime<Utc>>,
    #[serde(with = "wire::date")]
    #[schema(value_type = Option<String>)]
    pub date_activated: Option<DateTime<Utc>>,
}

impl From<SocialMediaHandle> for SocialMediaJSON {
    fn from(h: SocialMediaHandle) -> Self {
        SocialMediaJSON {
            customer_number: h.customer_number,
            kind: h.kind,
            handle: h.handle,
            date_added: h.date_added,
            date_activated: h.date_activated,
        }
    }
}

/// The list, under OBP's key `checks` (sic).
#[derive(Serialize, utoipa::ToSchema)]
pub struct SocialMediasJSON {
    pub checks: Vec<SocialMediaJSON>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SuccessMessage {
    pub success: String,
}

/// OBP-30111: BANK_ID only of 0-9 a-z A-Z - . _ and shorter than 255.
fn bank_id_format(bank_id: &str) -> ObpResult<()> {
    let ok = bank_id.len() < 255
        && (bank_id.bytes()).all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'));
    if ok {
        Ok(())
    } else {
        Err(ObpError::new(codes::BANK_ID_FORMAT))
    }
}

/// Add Social Media Handle (Create Customer Social Media Handle).
#[utoipa::path(
    post,
    path = "/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}/social_media_handles",
    tag = "Customer",
    request_body = SocialMediaJSON,
    params(("bank_id" = String, Path), ("customer_id" = String, Path)),
    description = "Also under /obp/v2.0.0 and /obp/v3.1.0. As OBP, the handle is kept under the \
body's `customer_number`, not the path customer's. Checks in OBP v2.0.0's order: OBP-20001, \
OBP-10001 (plain `Incorrect json format.`), OBP-30111 (BANK_ID format), OBP-30001, OBP-20006, \
OBP-30046, then `Server error: could not add` (400; OBP gives it no code, so OBP-50005 with the \
text kept).",
    responses(
        (status = 201, body = SuccessMessage),
        (status = 400, body = ErrorBody, description = "OBP-10001, OBP-30111"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001, OBP-30046"),
    )
)]
pub async fn add_social_handle(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, customer_id)): Path<(String, String)>,
    body: Bytes,
) -> ObpResult<(StatusCode, Json<SuccessMessage>)> {
    let b: SocialMediaJSON =
        serde_json::from_slice(&body).map_err(|_| ObpError::new(codes::INVALID_JSON))?;
    bank_id_format(&bank_id)?;
    staff(&s, &login, &bank_id, "CanAddSocialMediaHandle").await?;
    customer(&s, &customer_id).await?;
    let h = SocialMediaHandle {
        social_media_handle_id: String::new(),
        bank_id,
        customer_number: b.customer_number,
        kind: b.kind,
        handle: b.handle,
        date_added: b.date_added,
        date_activated: b.date_activated,
        created_at: DateTime::<Utc>::UNIX_EPOCH,
    };
    (s.obp.add_social_handle(h).await)
        .map_err(|_| ObpError::uncoded(StatusCode::BAD_REQUEST, "Server error: could not add"))?;
    Ok((
        StatusCode::CREATED,
        Json(SuccessMessage {
            success: "Success".into(),
        }),
    ))
}

/// Get Customer Social Media Handles.
#[utoipa::path(
    get,
    path = "/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}/social_media_handles",
    tag = "Customer",
    params(("bank_id" = String, Path), ("customer_id" = String, Path)),
    description = "Also under /obp/v2.0.0 and /obp/v3.1.0. The handles kept under this customer's \
`customer_number` (at any bank, as OBP keeps them by number alone), newest first, under the key \
`checks` (sic). Checks: OBP-20001, OBP-30001, OBP-20006, OBP-30046.",
    responses(
        (status = 200, body = SocialMediasJSON),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001, OBP-30046"),
    )
)]
pub async fn social_handles(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, customer_id)): Path<(String, String)>,
) -> ObpResult<Json<SocialMediasJSON>> {
    staff(&s, &login, &bank_id, "CanGetSocialMediaHandles").await?;
    let c = customer(&s, &customer_id).await?;
    let v = s.obp.social_handles(&c).await?;
    Ok(Json(SocialMediasJSON {
        checks: v.into_iter().map(Into::into).collect(),
    }))
}
