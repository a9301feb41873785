//! Customers: Create Customer, the reads (by id, by number, by mobile
//! phone, of the current user, the firehose) and the eight field updates.
//! A customer is a person of the world at one bank.

use crate::caller::Login;
use crate::codes;
use crate::error::{ErrorBody, ObpError, ObpResult};
use crate::extract::parse;
use crate::wire::{self, AmountOfMoney, Paging};
use crate::{Mount, ObpState, Version};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use finhub_core::obp::customers::{Customer, CustomerPage, NewCustomer};
use finhub_core::obp::Refusal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

pub fn routes(v: Version) -> Router<ObpState> {
    use Version::{V300, V310, V400};
    let one = "/banks/{bank_id}/customers/{customer_id}";
    let mut r = Router::new()
        .at(v, V400, "/banks/{bank_id}/customers", post(create))
        .at(v, V310, one, get(by_id))
        .at(
            v,
            V310,
            "/banks/{bank_id}/customers/customer-number",
            post(by_number),
        )
        .at(
            v,
            V400,
            "/banks/{bank_id}/search/customers/mobile-phone-number",
            post(by_phone),
        )
        .at(v, V300, "/users/current/customers", get(of_current_user))
        .at(
            v,
            V310,
            "/banks/{bank_id}/firehose/customers",
            get(firehose),
        );
    for (suffix, handler) in [
        ("email", put(email)),
        ("number", put(number)),
        ("mobile-number", put(mobile)),
        ("identity", put(identity)),
        ("credit-limit", put(credit_limit)),
        ("credit-rating-and-source", put(credit_rating)),
        ("branch", put(branch)),
        ("data", put(data)),
    ] {
        r = r.at(v, V310, &format!("{one}/{suffix}"), handler);
    }
    r
}

// ---- wire ----

#[derive(Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct CustomerFaceImageJson {
    pub url: String,
    #[serde(with = "wire::date")]
    #[schema(value_type = Option<String>, example = "2020-01-01T00:00:00Z")]
    pub date: Option<DateTime<Utc>>,
}

#[derive(Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct CustomerCreditRatingJSON {
    pub rating: String,
    pub source: String,
}

/// `CustomerJsonV310`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CustomerJsonV310 {
    pub bank_id: String,
    pub customer_id: String,
    pub customer_number: String,
    pub legal_name: String,
    pub mobile_phone_number: String,
    pub email: String,
    pub face_image: CustomerFaceImageJson,
    #[serde(with = "wire::date")]
    #[schema(value_type = Option<String>)]
    pub date_of_birth: Option<DateTime<Utc>>,
    pub relationship_status: String,
    pub dependants: i64,
    #[serde(with = "wire::dates")]
    #[schema(value_type = Vec<String>)]
    pub dob_of_dependants: Vec<DateTime<Utc>>,
    pub credit_rating: CustomerCreditRatingJSON,
    pub credit_limit: AmountOfMoney,
    pub highest_education_attained: String,
    pub employment_status: String,
    pub kyc_status: bool,
    #[serde(with = "wire::date")]
    #[schema(value_type = Option<String>)]
    pub last_ok_date: Option<DateTime<Utc>>,
    pub title: String,
    pub branch_id: String,
    pub name_suffix: String,
}

impl From<Customer> for CustomerJsonV310 {
    fn from(c: Customer) -> Self {
        CustomerJsonV310 {
            bank_id: c.bank_id,
            customer_id: c.customer_id,
            customer_number: c.customer_number,
            legal_name: c.legal_name,
            mobile_phone_number: c.mobile_phone_number,
            email: c.email,
            face_image: CustomerFaceImageJson {
                url: c.face_image_url,
                date: c.face_image_date,
            },
            date_of_birth: c.date_of_birth,
            relationship_status: c.relationship_status,
            dependants: c.dependants,
            dob_of_dependants: c.dob_of_dependants,
            credit_rating: CustomerCreditRatingJSON {
                rating: c.credit_rating,
                source: c.credit_source,
            },
            credit_limit: AmountOfMoney {
                currency: c.credit_limit_currency,
                amount: c.credit_limit_amount,
            },
            highest_education_attained: c.highest_education_attained,
            employment_status: c.employment_status,
            kyc_status: c.kyc_status,
            last_ok_date: c.last_ok_date,
            title: c.title,
            branch_id: c.branch_id,
            name_suffix: c.name_suffix,
        }
    }
}

/// `CustomerJsonV300`: the V310 fields with `date_of_birth` and
/// `dob_of_dependants` as `yyyy-MM-dd`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CustomerJsonV300 {
    pub bank_id: String,
    pub customer_id: String,
    pub customer_number: String,
    pub legal_name: String,
    pub mobile_phone_number: String,
    pub email: String,
    pub face_image: CustomerFaceImageJson,
    pub date_of_birth: String,
    pub relationship_status: String,
    pub dependants: i64,
    pub dob_of_dependants: Vec<String>,
    pub credit_rating: CustomerCreditRatingJSON,
    pub credit_limit: AmountOfMoney,
    pub highest_education_attained: String,
    pub employment_status: String,
    pub kyc_status: bool,
    #[serde(with = "wire::date")]
    #[schema(value_type = Option<String>)]
    pub last_ok_date: Option<DateTime<Utc>>,
    pub title: String,
    pub branch_id: String,
    pub name_suffix: String,
}

impl From<Customer> for CustomerJsonV300 {
    fn from(c: Customer) -> Self {
        let dobs = c
            .dob_of_dependants
            .iter()
            .map(|d| wire::day(&Some(*d)))
            .collect();
        let dob = wire::day(&c.date_of_birth);
        let v = CustomerJsonV310::from(c);
        CustomerJsonV300 {
            bank_id: v.bank_id,
            customer_id: v.customer_id,
            customer_number: v.customer_number,
            legal_name: v.legal_name,
            mobile_phone_number: v.mobile_phone_number,
            email: v.email,
            face_image: v.face_image,
            date_of_birth: dob,
            relationship_status: v.relationship_status,
            dependants: v.dependants,
            dob_of_dependants: dobs,
            credit_rating: v.credit_rating,
            credit_limit: v.credit_limit,
            highest_education_attained: v.highest_education_attained,
            employment_status: v.employment_status,
            kyc_status: v.kyc_status,
            last_ok_date: v.last_ok_date,
            title: v.title,
            branch_id: v.branch_id,
            name_suffix: v.name_suffix,
        }
    }
}

/// `CustomerWithAttributesJsonV310`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CustomerWithAttributesJsonV310 {
    #[serde(flatten)]
    pub customer: CustomerJsonV310,
    pub customer_attributes: Vec<CustomerAttributeResponseJsonV300>,
}

/// `CustomerWithAttributesJsonV300`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CustomerWithAttributesJsonV300 {
    #[serde(flatten)]
    pub customer: CustomerJsonV300,
    pub customer_attributes: Vec<CustomerAttributeResponseJsonV300>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CustomersJsonV300 {
    pub customers: Vec<CustomerJsonV300>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CustomersWithAttributesJsonV300 {
    pub customers: Vec<CustomerWithAttributesJsonV300>,
}

use crate::attributes::{attribute_list as attributes_json, CustomerAttributeResponseJsonV300};

/// A customer with its attributes, as the V310 reads answer it.
pub async fn with_attributes(
    s: &ObpState,
    c: Customer,
) -> ObpResult<CustomerWithAttributesJsonV310> {
    let attrs = s.obp.customer_attributes(&c.customer_id).await?;
    Ok(CustomerWithAttributesJsonV310 {
        customer: c.into(),
        customer_attributes: attributes_json(attrs),
    })
}

// ---- create ----

/// `PostCustomerJsonV310`; `branchId` and `nameSuffix` are read too (the
/// published obp-python client sends them, `branchId` as a number).
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct PostCustomerJsonV310 {
    pub legal_name: String,
    pub mobile_phone_number: String,
    pub email: String,
    pub face_image: CustomerFaceImageJson,
    #[serde(with = "wire::date")]
    #[schema(value_type = Option<String>, example = "1990-03-04T00:00:00Z")]
    pub date_of_birth: Option<DateTime<Utc>>,
    pub relationship_status: String,
    pub dependants: i64,
    #[serde(with = "wire::dates")]
    #[schema(value_type = Vec<String>)]
    pub dob_of_dependants: Vec<DateTime<Utc>>,
    pub credit_rating: CustomerCreditRatingJSON,
    pub credit_limit: AmountOfMoney,
    pub highest_education_attained: String,
    pub employment_status: String,
    pub kyc_status: bool,
    #[serde(with = "wire::date")]
    #[schema(value_type = Option<String>)]
    pub last_ok_date: Option<DateTime<Utc>>,
    pub title: String,
    #[serde(alias = "branchId", deserialize_with = "wire::text_or_number")]
    pub branch_id: String,
    #[serde(alias = "nameSuffix")]
    pub name_suffix: String,
}

impl From<PostCustomerJsonV310> for NewCustomer {
    fn from(b: PostCustomerJsonV310) -> Self {
        NewCustomer {
            legal_name: b.legal_name,
            mobile_phone_number: b.mobile_phone_number,
            email: b.email,
            face_image_url: b.face_image.url,
            face_image_date: b.face_image.date,
            date_of_birth: b.date_of_birth,
            relationship_status: b.relationship_status,
            dependants: b.dependants,
            dob_of_dependants: b.dob_of_dependants,
            credit_rating: b.credit_rating.rating,
            credit_source: b.credit_rating.source,
            credit_limit_currency: b.credit_limit.currency,
            credit_limit_amount: b.credit_limit.amount,
            highest_education_attained: b.highest_education_attained,
            employment_status: b.employment_status,
            kyc_status: b.kyc_status,
            last_ok_date: b.last_ok_date,
            title: b.title,
            branch_id: b.branch_id,
            name_suffix: b.name_suffix,
        }
    }
}

const CREATE_ROLES: &[&str] = &["CanCreateCustomer", "CanCreateCustomerAtAnyBank"];
const GET_ROLES: &[&str] = &["CanGetCustomer"];

/// Create Customer (v4.0.0).
#[utoipa::path(
    post,
    path = "/obp/v4.0.0/banks/{bank_id}/customers",
    tag = "Customer",
    request_body = PostCustomerJsonV310,
    params(("bank_id" = String, Path, description = "the bank's 3-digit code, e.g. 004")),
    description = "Also under /obp/v3.1.0. Roles: CanCreateCustomer (bank) or \
CanCreateCustomerAtAnyBank. The customer is a person of the world: an existing person when \
legal_name, the UTC date of date_of_birth and the phone's digits (a leading 82 read as 0) all \
match, else a new person (generated CI; born 1900-01-01 when no date_of_birth is given). \
customer_number is generated (a random 7-digit number, unique at the bank). `branchId` and \
`nameSuffix` are read as `branch_id` and `name_suffix`. Checks: OBP-20001, OBP-30001, \
OBP-20006, OBP-10001, OBP-10020 (dependants ≠ the length of dob_of_dependants), OBP-30051.",
    responses(
        (status = 201, body = CustomerJsonV310),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    )
)]
pub async fn create(
    State(s): State<ObpState>,
    login: Login,
    Path(bank_id): Path<String>,
    body: Bytes,
) -> ObpResult<(StatusCode, Json<CustomerJsonV310>)> {
    s.bank(&bank_id).await?;
    s.require(&login.user, &bank_id, CREATE_ROLES).await?;
    let b: PostCustomerJsonV310 = parse(&body, "PostCustomerJsonV310")?;
    let n = b.dob_of_dependants.len();
    if usize::try_from(b.dependants).ok() != Some(n) {
        return Err(ObpError::new(codes::INVALID_JSON_CONTENT).more(format!(
            " The field dependants({}) not equal the length({n}) of dob_of_dependants array",
            b.dependants
        )));
    }
    let c = s
        .obp
        .create_customer(&bank_id, b.into())
        .await
        .map_err(|r| match r {
            Refusal::Invalid(m) => ObpError::new(codes::CREATE_CUSTOMER).more(format!(" {m}")),
            other => other.into(),
        })?;
    Ok((StatusCode::CREATED, Json(c.into())))
}

// ---- reads ----

/// Get Customer by CUSTOMER_ID (v3.1.0).
#[utoipa::path(
    get,
    path = "/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}",
    tag = "Customer",
    params(("bank_id" = String, Path), ("customer_id" = String, Path)),
    description = "Also under /obp/v3.1.0. Role: CanGetCustomer. As in OBP, the customer's own \
bank is not compared with BANK_ID. Checks: OBP-20001, OBP-30001, OBP-20006, OBP-30046.",
    responses(
        (status = 200, body = CustomerWithAttributesJsonV310),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    )
)]
pub async fn by_id(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, customer_id)): Path<(String, String)>,
) -> ObpResult<Json<CustomerWithAttributesJsonV310>> {
    s.bank(&bank_id).await?;
    s.require(&login.user, &bank_id, GET_ROLES).await?;
    let c = customer(&s, &customer_id).await?;
    Ok(Json(with_attributes(&s, c).await?))
}

/// CUST: OBP-30046 naming the id.
pub async fn customer(s: &ObpState, customer_id: &str) -> ObpResult<Customer> {
    s.obp.customer(customer_id).await.map_err(|r| match r {
        Refusal::NotFound(_) => ObpError::customer_not_found(customer_id),
        other => other.into(),
    })
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct PostCustomerNumberJsonV310 {
    pub customer_number: String,
}

/// Get Customer by CUSTOMER_NUMBER (v3.1.0): a POST that answers 200.
#[utoipa::path(
    post,
    path = "/obp/v4.0.0/banks/{bank_id}/customers/customer-number",
    tag = "Customer",
    request_body = PostCustomerNumberJsonV310,
    params(("bank_id" = String, Path)),
    description = "Also under /obp/v3.1.0. Role: CanGetCustomer. Answers 200 as OBP does (the \
obp-python library expects 201 and calls OBP's 200 a bug). Checks: OBP-20001, OBP-30001, \
OBP-20006, OBP-10001, OBP-30002.",
    responses(
        (status = 200, body = CustomerWithAttributesJsonV310),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    )
)]
pub async fn by_number(
    State(s): State<ObpState>,
    login: Login,
    Path(bank_id): Path<String>,
    body: Bytes,
) -> ObpResult<Json<CustomerWithAttributesJsonV310>> {
    s.bank(&bank_id).await?;
    s.require(&login.user, &bank_id, GET_ROLES).await?;
    let b: PostCustomerNumberJsonV310 = parse(&body, "PostCustomerNumberJsonV310")?;
    let c = (s
        .obp
        .customer_by_number(&bank_id, &b.customer_number)
        .await?)
        .ok_or_else(|| ObpError::new(codes::CUSTOMER_NUMBER_NOT_FOUND))?;
    Ok(Json(with_attributes(&s, c).await?))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct PostCustomerPhoneNumberJsonV400 {
    pub mobile_phone_number: String,
}

/// Get Customers by MOBILE_PHONE_NUMBER (v4.0.0): 201 with the V300 list.
#[utoipa::path(
    post,
    path = "/obp/v4.0.0/banks/{bank_id}/search/customers/mobile-phone-number",
    tag = "Customer",
    request_body = PostCustomerPhoneNumberJsonV400,
    params(("bank_id" = String, Path)),
    description = "Also under /obp/v3.1.0. Login only. The number is an SQL LIKE pattern (`%` \
any sequence, `_` one character) over the customers of BANK_ID; BANK_ID is not validated, so \
an unknown bank gives an empty list (as OBP). Answers 201 with `CustomerJsonV300` items \
(`date_of_birth` as yyyy-MM-dd), as OBP's code does although its docs show one V310 customer.",
    responses(
        (status = 201, body = CustomersJsonV300),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    )
)]
pub async fn by_phone(
    State(s): State<ObpState>,
    _login: Login,
    Path(bank_id): Path<String>,
    body: Bytes,
) -> ObpResult<(StatusCode, Json<CustomersJsonV300>)> {
    let b: PostCustomerPhoneNumberJsonV400 = parse(&body, "PostCustomerPhoneNumberJsonV400")?;
    let found = s
        .obp
        .customers_by_phone(&bank_id, &b.mobile_phone_number)
        .await?;
    let customers = found.into_iter().map(Into::into).collect();
    Ok((StatusCode::CREATED, Json(CustomersJsonV300 { customers })))
}

/// Get Customers for Current User (v3.0.0).
#[utoipa::path(
    get,
    path = "/obp/v4.0.0/users/current/customers",
    tag = "Customer",
    description = "Also under /obp/v3.0.0 and /obp/v3.1.0. Login only: the customers the caller \
is linked to (User Customer Links), across banks; none is an empty list.",
    responses((status = 200, body = CustomersWithAttributesJsonV300), (status = 401, body = ErrorBody))
)]
pub async fn of_current_user(
    State(s): State<ObpState>,
    login: Login,
) -> ObpResult<Json<CustomersWithAttributesJsonV300>> {
    let mut customers = Vec::new();
    for c in s.obp.customers_of_user(&login.user.user_id).await? {
        let attrs = s.obp.customer_attributes(&c.customer_id).await?;
        customers.push(CustomerWithAttributesJsonV300 {
            customer: c.into(),
            customer_attributes: attributes_json(attrs),
        });
    }
    Ok(Json(CustomersWithAttributesJsonV300 { customers }))
}

/// Get Firehose Customers (v3.1.0).
#[utoipa::path(
    get,
    path = "/obp/v4.0.0/banks/{bank_id}/firehose/customers",
    tag = "Customer",
    params(
        ("bank_id" = String, Path),
        ("limit" = Option<u32>, Query, description = "≥ 1, default 50 (OBP-10025)"),
        ("offset" = Option<u64>, Query, description = "≥ 0 (OBP-10024)"),
        ("sort_direction" = Option<String>, Query, description = "ASC or DESC by last_ok_date (OBP-10023)"),
        ("from_date" = Option<String>, Query, description = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z' (OBP-10026)"),
        ("to_date" = Option<String>, Query, description = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z' (OBP-10026)"),
    ),
    description = "Also under /obp/v3.1.0. Role: CanUseCustomerFirehoseAtAnyBank (system). \
Customers updated between from_date and to_date, by last_ok_date; any other query parameter \
filters the page by customer attributes (name=value). With \
FINHUB_OBP_ALLOW_CUSTOMER_FIREHOSE=false the answer is 400 OBP-00009, as OBP's code raises, \
although its docs name OBP-00012. Paging errors are OBP-10016 wrapping their own code.",
    responses(
        (status = 200, body = CustomersJsonV300),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    )
)]
pub async fn firehose(
    State(s): State<ObpState>,
    login: Login,
    Path(bank_id): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
) -> ObpResult<Json<CustomersJsonV300>> {
    if !s.obp.config.allow_customer_firehose {
        return Err(ObpError::new(codes::ACCOUNT_FIREHOSE_NOT_ALLOWED));
    }
    s.require(&login.user, &bank_id, &["CanUseCustomerFirehoseAtAnyBank"])
        .await?;
    s.bank(&bank_id).await?;
    let p = Paging::parse(&query)?;
    let page = CustomerPage {
        from: p.from,
        to: p.to,
        ascending: p.ascending.unwrap_or(false),
        limit: p.limit,
        offset: p.offset,
    };
    let mut found = s.obp.customer_page(&bank_id, &page).await?;
    if !p.filters.is_empty() {
        let ids = s
            .obp
            .customer_ids_by_attributes(&bank_id, &p.filters)
            .await?;
        found.retain(|c| ids.contains(&c.customer_id));
    }
    let customers = found.into_iter().map(Into::into).collect();
    Ok(Json(CustomersJsonV300 { customers }))
}

// ---- updates ----

/// One update's request: who, which customer, the raw body.
pub struct Edit {
    login: Login,
    bank_id: String,
    customer_id: String,
    body: Bytes,
}

/// AUTH → BANK → ROLE → JSON → CUST → the change, for every update.
async fn edit<B: DeserializeOwned>(
    s: &ObpState,
    e: Edit,
    roles: &[&str],
    type_name: &str,
    apply: impl FnOnce(&mut Customer, B),
) -> ObpResult<Json<CustomerJsonV310>> {
    s.bank(&e.bank_id).await?;
    s.require(&e.login.user, &e.bank_id, roles).await?;
    let b: B = parse(&e.body, type_name)?;
    let c = customer(s, &e.customer_id).await?;
    let c = s
        .obp
        .update_customer(c, |c| apply(c, b))
        .await
        .map_err(|r| match r {
            Refusal::Store(e) => ObpError::from(e),
            _ => ObpError::new(codes::UPDATE_CUSTOMER),
        })?;
    Ok(Json(c.into()))
}

macro_rules! update_endpoint {
    ($name:ident, $suffix:literal, $body:ident, [$($role:literal),+], $doc:literal, |$c:ident, $b:ident| $apply:block) => {
        #[utoipa::path(
            put,
            path = concat!("/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}/", $suffix),
            tag = "Customer",
            request_body = $body,
            params(("bank_id" = String, Path), ("customer_id" = String, Path)),
            description = concat!("Also under /obp/v3.1.0. ", $doc,
                " Checks: OBP-20001, OBP-30001, OBP-20006, OBP-10001, OBP-30046, OBP-30058."),
            responses(
                (status = 200, body = CustomerJsonV310),
                (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
                (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
            )
        )]
        pub async fn $name(
            State(s): State<ObpState>,
            login: Login,
            Path((bank_id, customer_id)): Path<(String, String)>,
            body: Bytes,
        ) -> ObpResult<Json<CustomerJsonV310>> {
            let e = Edit { login, bank_id, customer_id, body };
            edit(&s, e, &[$($role),+], stringify!($body), |$c: &mut Customer, $b: $body| $apply).await
        }
    };
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct PutUpdateCustomerEmailJsonV310 {
    pub email: String,
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct PutUpdateCustomerMobilePhoneNumberJsonV310 {
    pub mobile_phone_number: String,
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct PutUpdateCustomerIdentityJsonV310 {
    pub legal_name: String,
    #[serde(with = "wire::date")]
    #[schema(value_type = Option<String>)]
    pub date_of_birth: Option<DateTime<Utc>>,
    pub title: String,
    pub name_suffix: String,
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct PutUpdateCustomerCreditLimitJsonV310 {
    pub credit_limit: AmountOfMoney,
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct PutUpdateCustomerCreditRatingAndSourceJsonV310 {
    pub credit_rating: String,
    pub credit_source: String,
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct PutUpdateCustomerBranchJsonV310 {
    #[serde(deserialize_with = "wire::text_or_number")]
    pub branch_id: String,
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct PutUpdateCustomerDataJsonV310 {
    pub face_image: CustomerFaceImageJson,
    pub relationship_status: String,
    pub dependants: i64,
    pub highest_education_attained: String,
    pub employment_status: String,
}

update_endpoint!(
    email,
    "email",
    PutUpdateCustomerEmailJsonV310,
    ["CanUpdateCustomerEmail"],
    "Role: CanUpdateCustomerEmail.",
    |c, b| {
        c.email = b.email;
    }
);
update_endpoint!(
    mobile,
    "mobile-number",
    PutUpdateCustomerMobilePhoneNumberJsonV310,
    ["CanUpdateCustomerMobilePhoneNumber"],
    "Role: CanUpdateCustomerMobilePhoneNumber.",
    |c, b| {
        c.mobile_phone_number = b.mobile_phone_number;
    }
);
update_endpoint!(
    identity,
    "identity",
    PutUpdateCustomerIdentityJsonV310,
    ["CanUpdateCustomerIdentity"],
    "Role: CanUpdateCustomerIdentity.",
    |c, b| {
        c.legal_name = b.legal_name;
        c.date_of_birth = b.date_of_birth;
        c.title = b.title;
        c.name_suffix = b.name_suffix;
    }
);
update_endpoint!(
    credit_limit,
    "credit-limit",
    PutUpdateCustomerCreditLimitJsonV310,
    ["CanUpdateCustomerCreditLimit"],
    "Role: CanUpdateCustomerCreditLimit.",
    |c, b| {
        c.credit_limit_currency = b.credit_limit.currency;
        c.credit_limit_amount = b.credit_limit.amount;
    }
);
update_endpoint!(
    credit_rating,
    "credit-rating-and-source",
    PutUpdateCustomerCreditRatingAndSourceJsonV310,
    [
        "CanUpdateCustomerCreditRatingAndSource",
        "CanUpdateCustomerCreditRatingAndSourceAtAnyBank"
    ],
    "Roles: CanUpdateCustomerCreditRatingAndSource (bank) or …AtAnyBank.",
    |c, b| {
        c.credit_rating = b.credit_rating;
        c.credit_source = b.credit_source;
    }
);
update_endpoint!(branch, "branch", PutUpdateCustomerBranchJsonV310, ["CanUpdateCustomerBranch"],
    "Role: CanUpdateCustomerBranch, which OBP's code checks (its docs advertise CanUpdateCustomerIdentity).",
    |c, b| { c.branch_id = b.branch_id; });
update_endpoint!(data, "data", PutUpdateCustomerDataJsonV310, ["CanUpdateCustomerData"],
    "Role: CanUpdateCustomerData, which OBP's code checks (its docs advertise CanUpdateCustomerIdentity). \
dob_of_dependants is not touched.", |c, b| {
        c.face_image_url = b.face_image.url;
        c.face_image_date = b.face_image.date;
        c.relationship_status = b.relationship_status;
        c.dependants = b.dependants;
        c.highest_education_attained = b.highest_education_attained;
        c.employment_status = b.employment_status;
    });

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct PutUpdateCustomerNumberJsonV310 {
    pub customer_number: String,
}

/// Update the number of a Customer (v3.1.0): the number must be free at the bank.
#[utoipa::path(
    put,
    path = "/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}/number",
    tag = "Customer",
    request_body = PutUpdateCustomerNumberJsonV310,
    params(("bank_id" = String, Path), ("customer_id" = String, Path)),
    description = "Also under /obp/v3.1.0. Role: CanUpdateCustomerNumber. Checks: OBP-20001, \
OBP-30001, OBP-20006, OBP-10001, OBP-30046, OBP-30006 (the number is another customer's at the bank).",
    responses(
        (status = 200, body = CustomerJsonV310),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    )
)]
pub async fn number(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, customer_id)): Path<(String, String)>,
    body: Bytes,
) -> ObpResult<Json<CustomerJsonV310>> {
    s.bank(&bank_id).await?;
    s.require(&login.user, &bank_id, &["CanUpdateCustomerNumber"])
        .await?;
    let b: PutUpdateCustomerNumberJsonV310 = parse(&body, "PutUpdateCustomerNumberJsonV310")?;
    let c = customer(&s, &customer_id).await?;
    let taken = || {
        ObpError::new(codes::CUSTOMER_NUMBER_TAKEN).more(format!(
            " Current customer_number({}) and Current bank_id({bank_id})",
            b.customer_number
        ))
    };
    let holder = s
        .obp
        .customer_by_number(&c.bank_id, &b.customer_number)
        .await?;
    if holder.is_some_and(|h| h.customer_id != c.customer_id) {
        return Err(taken());
    }
    let number = b.customer_number.clone();
    let c = s
        .obp
        .update_customer(c, |c| c.customer_number = number)
        .await
        .map_err(|r| match r {
            Refusal::CustomerNumberTaken => taken(),
            other => other.into(),
        })?;
    Ok(Json(c.into()))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    create,
    by_id,
    by_number,
    by_phone,
    of_current_user,
    firehose,
    email,
    number,
    mobile,
    identity,
    credit_limit,
    credit_rating,
    branch,
    data
))]
pub struct Doc;
