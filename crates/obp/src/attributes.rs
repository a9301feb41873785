//! Customer attributes, customer attribute definitions and Get Customers by
//! ATTRIBUTES (all born in v4.0.0).

use crate::caller::Login;
use crate::codes;
use crate::customers::CustomerWithAttributesJsonV310;
use crate::error::{ErrorBody, ObpError, ObpResult};
use crate::extract::parse;
use crate::{Mount, ObpState, Version};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use bytes::Bytes;
use finhub_core::obp::attributes::{
    AttributeDefinition, AttributeType, AttributeValue, CustomerAttribute, NewDefinition,
    CATEGORIES,
};
use finhub_core::obp::customers::Customer;
use finhub_core::obp::Refusal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub fn routes(v: Version) -> Router<ObpState> {
    use Version::V400;
    let one = "/banks/{bank_id}/customers/{customer_id}/attributes/{customer_attribute_id}";
    Router::new()
        .at(
            v,
            V400,
            "/banks/{bank_id}/customers/{customer_id}/attribute",
            post(create_attribute),
        )
        .at(
            v,
            V400,
            "/banks/{bank_id}/customers/{customer_id}/attributes",
            get(attributes),
        )
        .at(v, V400, one, get(attribute).put(update_attribute))
        .at(
            v,
            V400,
            "/banks/{bank_id}/customers/attributes/{customer_attribute_id}",
            delete(delete_attribute),
        )
        // The route OBP's resource doc advertises (no `customers` segment).
        .at(
            v,
            V400,
            "/banks/{bank_id}/{customer_id}/attributes/{customer_attribute_id}",
            delete(delete_attribute_documented),
        )
        .at(
            v,
            V400,
            "/banks/{bank_id}/attribute-definitions/customer",
            put(put_definition).get(definitions),
        )
        .at(
            v,
            V400,
            "/banks/{bank_id}/attribute-definitions/{attribute_definition_id}/customer",
            delete(delete_definition),
        )
        .at(
            v,
            V400,
            "/banks/{bank_id}/customers",
            get(customers_by_attributes),
        )
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    create_attribute,
    attributes,
    attribute,
    update_attribute,
    delete_attribute,
    put_definition,
    definitions,
    delete_definition,
    customers_by_attributes
))]
pub struct Doc;

// ---- gates ------------------------------------------------------------

/// BANK, then ROLE (any one of `roles`).
async fn staff(s: &ObpState, login: &Login, bank_id: &str, roles: &[&str]) -> ObpResult<()> {
    s.bank(bank_id).await?;
    s.require(&login.user, bank_id, roles).await.map(drop)
}

/// CUST, then OBP-30113 when the customer is at another bank.
async fn customer_here(s: &ObpState, bank_id: &str, customer_id: &str) -> ObpResult<Customer> {
    let c = (s.obp.customer(customer_id).await).map_err(|r| cust(r, customer_id))?;
    if c.bank_id != bank_id {
        return Err(ObpError {
            status: StatusCode::BAD_REQUEST,
            message: format!(
                "{}: Invalid Bank Id ({bank_id}). The Customer({customer_id}) does not belong to this Bank",
                codes::CUSTOMER_BANK.code
            ),
        });
    }
    Ok(c)
}

fn cust(r: Refusal, customer_id: &str) -> ObpError {
    match r {
        Refusal::NotFound("customer") => ObpError::customer_not_found(customer_id),
        other => other.into(),
    }
}

/// OBP-30069 for an unknown attribute id.
fn attribute_not_found(r: Refusal) -> ObpError {
    match r {
        Refusal::NotFound(_) => ObpError::new(codes::ATTRIBUTE_NOT_FOUND),
        other => other.into(),
    }
}

// ---- customer attributes ----------------------------------------------

/// `CustomerAttributeJsonV400`.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct CustomerAttributeJsonV400 {
    pub name: String,
    /// STRING, INTEGER, DOUBLE or DATE_WITH_DAY.
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
}

/// `CustomerAttributeResponseJsonV300`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CustomerAttributeResponseJsonV300 {
    pub customer_attribute_id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
}

impl From<CustomerAttribute> for CustomerAttributeResponseJsonV300 {
    fn from(a: CustomerAttribute) -> Self {
        CustomerAttributeResponseJsonV300 {
            customer_attribute_id: a.customer_attribute_id,
            name: a.name,
            kind: a.kind.as_str().to_owned(),
            value: a.value,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CustomerAttributesResponseJson {
    pub customer_attributes: Vec<CustomerAttributeResponseJsonV300>,
}

pub(crate) fn attribute_list(v: Vec<CustomerAttribute>) -> Vec<CustomerAttributeResponseJsonV300> {
    v.into_iter().map(Into::into).collect()
}

/// JSON, then the `type` OBP accepts (OBP-10001 with its own words).
fn attribute_body(body: &[u8]) -> ObpResult<AttributeValue> {
    let b: CustomerAttributeJsonV400 = parse(body, "CustomerAttributeJsonV400")?;
    let kind = AttributeType::parse(&b.kind).ok_or_else(|| {
        ObpError::new(codes::INVALID_JSON).more(
            " The `Type` field can only accept the following field: DOUBLE(12.1234), \
             STRING(TAX_NUMBER), INTEGER(123) and DATE_WITH_DAY(2012-04-23)",
        )
    })?;
    Ok(AttributeValue {
        name: b.name,
        kind,
        value: b.value,
    })
}

const CREATE_ROLES: [&str; 2] = [
    "CanCreateCustomerAttributeAtOneBank",
    "CanCreateCustomerAttributeAtAnyBank",
];
const UPDATE_ROLES: [&str; 2] = [
    "CanUpdateCustomerAttributeAtOneBank",
    "CanUpdateCustomerAttributeAtAnyBank",
];
const LIST_ROLES: [&str; 2] = [
    "CanGetCustomerAttributesAtOneBank",
    "CanGetCustomerAttributesAtAnyBank",
];
const GET_ROLES: [&str; 2] = [
    "CanGetCustomerAttributeAtOneBank",
    "CanGetCustomerAttributeAtAnyBank",
];
const DELETE_ROLES: [&str; 2] = [
    "CanDeleteCustomerAttributeAtOneBank",
    "CanDeleteCustomerAttributeAtAnyBank",
];

/// Create Customer Attribute.
#[utoipa::path(
    post,
    path = "/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}/attribute",
    tag = "Customer",
    request_body = CustomerAttributeJsonV400,
    params(("bank_id" = String, Path), ("customer_id" = String, Path)),
    description = "Also under /obp/v3.1.0. Always a new attribute (no upsert by name); the value is \
not checked against the type. Checks: OBP-20001, OBP-30001, OBP-20006, OBP-10001 (bad JSON, then a \
`type` other than STRING, INTEGER, DOUBLE or DATE_WITH_DAY), OBP-30046, OBP-30113 (the customer is at \
another bank).",
    responses(
        (status = 201, body = CustomerAttributeResponseJsonV300),
        (status = 400, body = ErrorBody, description = "OBP-10001, OBP-30113"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001, OBP-30046"),
    )
)]
pub async fn create_attribute(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, customer_id)): Path<(String, String)>,
    body: Bytes,
) -> ObpResult<(StatusCode, Json<CustomerAttributeResponseJsonV300>)> {
    staff(&s, &login, &bank_id, &CREATE_ROLES).await?;
    let v = attribute_body(&body)?;
    let c = customer_here(&s, &bank_id, &customer_id).await?;
    let a = s.obp.create_customer_attribute(&c, v).await?;
    Ok((StatusCode::CREATED, Json(a.into())))
}

/// Get Customer Attributes.
#[utoipa::path(
    get,
    path = "/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}/attributes",
    tag = "Customer",
    params(("bank_id" = String, Path), ("customer_id" = String, Path)),
    description = "Also under /obp/v3.1.0. Oldest first. Checks: OBP-20001, OBP-30001, OBP-20006, \
OBP-30046, OBP-30113.",
    responses(
        (status = 200, body = CustomerAttributesResponseJson),
        (status = 400, body = ErrorBody, description = "OBP-30113"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001, OBP-30046"),
    )
)]
pub async fn attributes(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, customer_id)): Path<(String, String)>,
) -> ObpResult<Json<CustomerAttributesResponseJson>> {
    staff(&s, &login, &bank_id, &LIST_ROLES).await?;
    let c = customer_here(&s, &bank_id, &customer_id).await?;
    let v = s.obp.customer_attributes(&c.customer_id).await?;
    Ok(Json(CustomerAttributesResponseJson {
        customer_attributes: attribute_list(v),
    }))
}

/// Get Customer Attribute By Id.
#[utoipa::path(
    get,
    path = "/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}/attributes/{customer_attribute_id}",
    tag = "Customer",
    params(("bank_id" = String, Path), ("customer_id" = String, Path), ("customer_attribute_id" = String, Path)),
    description = "Also under /obp/v3.1.0. As OBP, the attribute is found by its id alone (its \
customer is not compared with CUSTOMER_ID). Checks: OBP-20001, OBP-30001, OBP-20006 (the singular \
CanGetCustomerAttribute… roles), OBP-30046, OBP-30113, OBP-30069 (400).",
    responses(
        (status = 200, body = CustomerAttributeResponseJsonV300),
        (status = 400, body = ErrorBody, description = "OBP-30113, OBP-30069"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001, OBP-30046"),
    )
)]
pub async fn attribute(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, customer_id, id)): Path<(String, String, String)>,
) -> ObpResult<Json<CustomerAttributeResponseJsonV300>> {
    staff(&s, &login, &bank_id, &GET_ROLES).await?;
    customer_here(&s, &bank_id, &customer_id).await?;
    let a = s
        .obp
        .customer_attribute(&id)
        .await
        .map_err(attribute_not_found)?;
    Ok(Json(a.into()))
}

/// Update Customer Attribute.
#[utoipa::path(
    put,
    path = "/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}/attributes/{customer_attribute_id}",
    tag = "Customer",
    request_body = CustomerAttributeJsonV400,
    params(("bank_id" = String, Path), ("customer_id" = String, Path), ("customer_attribute_id" = String, Path)),
    description = "Also under /obp/v3.1.0. Answers 200. As OBP, the row of the id is rewritten \
with the path's customer and the body's name, type and value. Checks: OBP-20001, OBP-30001, \
OBP-20006, OBP-10001 (bad JSON, then a bad `type`), OBP-30046, OBP-30113, OBP-30069 (400).",
    responses(
        (status = 200, body = CustomerAttributeResponseJsonV300),
        (status = 400, body = ErrorBody, description = "OBP-10001, OBP-30113, OBP-30069"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001, OBP-30046"),
    )
)]
pub async fn update_attribute(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, customer_id, id)): Path<(String, String, String)>,
    body: Bytes,
) -> ObpResult<Json<CustomerAttributeResponseJsonV300>> {
    staff(&s, &login, &bank_id, &UPDATE_ROLES).await?;
    let v = attribute_body(&body)?;
    let c = customer_here(&s, &bank_id, &customer_id).await?;
    let a = s
        .obp
        .update_customer_attribute(&c, &id, v)
        .await
        .map_err(attribute_not_found)?;
    Ok(Json(a.into()))
}

/// Delete Customer Attribute.
#[utoipa::path(
    delete,
    path = "/obp/v4.0.0/banks/{bank_id}/customers/attributes/{customer_attribute_id}",
    tag = "Customer",
    params(("bank_id" = String, Path), ("customer_attribute_id" = String, Path)),
    description = "Also under /obp/v3.1.0. This is the route OBP actually matches; OBP's resource \
doc advertises /banks/{bank_id}/{customer_id}/attributes/{customer_attribute_id}, which finhub also \
serves (the customer id is ignored). 204 with an empty body, even for an unknown id; the attribute \
is not compared with BANK_ID, as OBP. Checks: OBP-20001, OBP-30001, OBP-20006.",
    responses(
        (status = 204, description = "deleted, or there was none"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001"),
    )
)]
pub async fn delete_attribute(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, id)): Path<(String, String)>,
) -> ObpResult<StatusCode> {
    staff(&s, &login, &bank_id, &DELETE_ROLES).await?;
    s.obp.delete_customer_attribute(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The documented path of Delete Customer Attribute.
async fn delete_attribute_documented(
    s: State<ObpState>,
    login: Login,
    Path((bank_id, _customer_id, id)): Path<(String, String, String)>,
) -> ObpResult<StatusCode> {
    delete_attribute(s, login, Path((bank_id, id))).await
}

// ---- attribute definitions --------------------------------------------

/// `AttributeDefinitionJsonV400`.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct AttributeDefinitionJsonV400 {
    pub name: String,
    pub category: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub description: String,
    pub alias: String,
    pub can_be_seen_on_views: Vec<String>,
    pub is_active: bool,
}

/// `AttributeDefinitionResponseJsonV400`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AttributeDefinitionResponseJsonV400 {
    pub attribute_definition_id: String,
    pub bank_id: String,
    pub name: String,
    pub category: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub description: String,
    pub alias: String,
    pub can_be_seen_on_views: Vec<String>,
    pub is_active: bool,
}

impl From<AttributeDefinition> for AttributeDefinitionResponseJsonV400 {
    fn from(d: AttributeDefinition) -> Self {
        AttributeDefinitionResponseJsonV400 {
            attribute_definition_id: d.attribute_definition_id,
            bank_id: d.bank_id,
            name: d.name,
            category: d.category,
            kind: d.kind.as_str().to_owned(),
            description: d.description,
            alias: d.alias,
            can_be_seen_on_views: d.can_be_seen_on_views,
            is_active: d.is_active,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AttributeDefinitionsResponseJsonV400 {
    pub attributes: Vec<AttributeDefinitionResponseJsonV400>,
}

/// JSON, the type, then the category (each OBP-10001 with OBP's words).
fn definition_body(body: &[u8]) -> ObpResult<NewDefinition> {
    let b: AttributeDefinitionJsonV400 = parse(body, "AttributeDefinitionJsonV400")?;
    let kind = AttributeType::parse(&b.kind).ok_or_else(|| {
        ObpError::new(codes::INVALID_JSON).more(
            " The `Type` field can only accept the following field: DOUBLE(12.1234), \
             STRING(TAX_NUMBER), INTEGER (123)and DATE_WITH_DAY(2012-04-23)",
        )
    })?;
    if !CATEGORIES.contains(&b.category.as_str()) {
        return Err(ObpError::new(codes::INVALID_JSON)
            .more(" The `Category` field can only accept the following field: Customer"));
    }
    Ok(NewDefinition {
        name: b.name,
        category: b.category,
        kind,
        description: b.description,
        alias: b.alias,
        can_be_seen_on_views: b.can_be_seen_on_views,
        is_active: b.is_active,
    })
}

/// Create or Update Customer Attribute Definition.
#[utoipa::path(
    put,
    path = "/obp/v4.0.0/banks/{bank_id}/attribute-definitions/customer",
    tag = "Customer",
    request_body = AttributeDefinitionJsonV400,
    params(("bank_id" = String, Path)),
    description = "Also under /obp/v3.1.0. Upserts by (bank_id, name, category): an existing \
definition keeps its id and is updated. 201 both when created and when updated, as OBP. OBP's \
message says the category can only be Customer, but any of Bank, Customer, Product, Account, \
Transaction, Card is accepted (OBP's quirk, kept). Checks: OBP-20001, OBP-30001, OBP-20006, \
OBP-10001 (bad JSON, then a bad `type`, then a bad `category`).",
    responses(
        (status = 201, body = AttributeDefinitionResponseJsonV400),
        (status = 400, body = ErrorBody, description = "OBP-10001"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001"),
    )
)]
pub async fn put_definition(
    State(s): State<ObpState>,
    login: Login,
    Path(bank_id): Path<String>,
    body: Bytes,
) -> ObpResult<(StatusCode, Json<AttributeDefinitionResponseJsonV400>)> {
    staff(
        &s,
        &login,
        &bank_id,
        &["CanCreateCustomerAttributeDefinitionAtOneBank"],
    )
    .await?;
    let d = definition_body(&body)?;
    let d = s.obp.put_definition(&bank_id, d).await?;
    Ok((StatusCode::CREATED, Json(d.into())))
}

/// Get Customer Attribute Definition.
#[utoipa::path(
    get,
    path = "/obp/v4.0.0/banks/{bank_id}/attribute-definitions/customer",
    tag = "Customer",
    params(("bank_id" = String, Path)),
    description = "Also under /obp/v3.1.0. As OBP's backend, this lists the Customer-category \
definitions of every bank, not only BANK_ID's (each carries its `bank_id`); oldest first. Checks: \
OBP-20001, OBP-30001, OBP-20006.",
    responses(
        (status = 200, body = AttributeDefinitionsResponseJsonV400),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001"),
    )
)]
pub async fn definitions(
    State(s): State<ObpState>,
    login: Login,
    Path(bank_id): Path<String>,
) -> ObpResult<Json<AttributeDefinitionsResponseJsonV400>> {
    staff(
        &s,
        &login,
        &bank_id,
        &["CanGetCustomerAttributeDefinitionAtOneBank"],
    )
    .await?;
    let v = s.obp.customer_definitions().await?;
    Ok(Json(AttributeDefinitionsResponseJsonV400 {
        attributes: v.into_iter().map(Into::into).collect(),
    }))
}

/// Delete Customer Attribute Definition.
#[utoipa::path(
    delete,
    path = "/obp/v4.0.0/banks/{bank_id}/attribute-definitions/{attribute_definition_id}/customer",
    tag = "Customer",
    params(("bank_id" = String, Path), ("attribute_definition_id" = String, Path)),
    description = "Also under /obp/v3.1.0. Answers the JSON boolean `true`. Only a Customer-category \
definition is deleted; as OBP, its bank is not compared with BANK_ID. Checks: OBP-20001, OBP-30001, \
OBP-20006, OBP-30071 (400).",
    responses(
        (status = 200, body = bool, content_type = "application/json"),
        (status = 400, body = ErrorBody, description = "OBP-30071"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001"),
    )
)]
pub async fn delete_definition(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, id)): Path<(String, String)>,
) -> ObpResult<Json<bool>> {
    staff(
        &s,
        &login,
        &bank_id,
        &["CanDeleteCustomerAttributeDefinitionAtOneBank"],
    )
    .await?;
    s.obp
        .delete_customer_definition(&id)
        .await
        .map_err(|r| match r {
            Refusal::NotFound(_) => ObpError::new(codes::DEFINITION_NOT_FOUND),
            other => other.into(),
        })?;
    Ok(Json(true))
}

// ---- Get Customers by ATTRIBUTES --------------------------------------

#[derive(Serialize, utoipa::ToSchema)]
struct CustomersWithAttributesJsonV310 {
    customers: Vec<CustomerWithAttributesJsonV310>,
}

/// Get Customers by ATTRIBUTES.
#[utoipa::path(
    get,
    path = "/obp/v4.0.0/banks/{bank_id}/customers",
    tag = "Customer",
    params(("bank_id" = String, Path)),
    description = "Also under /obp/v3.1.0 (where it shadows v2.1.0's customers of the current \
user, as in OBP). Every query pair `name=value` is a filter on the bank's customer attributes: \
several values of one name match any of them, different names are OR-ed. Without a query, every \
customer of the bank that has an attribute. As OBP, one entry per matching attribute row: a \
customer with several matching rows repeats. No paging. Checks: OBP-20001, OBP-30001, OBP-20006.",
    responses(
        (status = 200, body = CustomersWithAttributesJsonV310),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001, OBP-30046"),
    )
)]
async fn customers_by_attributes(
    State(s): State<ObpState>,
    login: Login,
    Path(bank_id): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
) -> ObpResult<Json<CustomersWithAttributesJsonV310>> {
    staff(&s, &login, &bank_id, &["CanGetCustomer"]).await?;
    let mut filters: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, value) in query {
        filters.entry(name).or_default().push(value);
    }
    let found = s.obp.customers_by_attributes(&bank_id, &filters).await?;
    let customers = (found.into_iter())
        .map(|(c, attrs)| CustomerWithAttributesJsonV310 {
            customer: c.into(),
            customer_attributes: attribute_list(attrs),
        })
        .collect();
    Ok(Json(CustomersWithAttributesJsonV310 { customers }))
}
