//! Meetings (v3.1.0), customer messages (v1.4.0 under `/customer/`, v4.0.0
//! under `/customers/CUSTOMER_ID/`), CRM events (v1.4.0) and the three
//! credit-limit order requests OBP mocked in v3.1.0.

use crate::caller::Login;
use crate::codes;
use crate::error::{ErrorBody, ObpError, ObpResult};
use crate::extract::parse;
use crate::{Mount, ObpState, Version};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use bytes::Bytes;
use finhub_core::obp::customers::Customer;
use finhub_core::obp::engage::{
    ContactDetails, CrmEvent, CustomerMessage, Invitee, Meeting, NewMeeting, NewMessage,
};
use finhub_core::obp::Refusal;
use serde::{Deserialize, Serialize};

pub fn routes(v: Version) -> Router<ObpState> {
    use Version::{V140, V310, V400};
    let credit = "/banks/{bank_id}/customers/{customer_id}/credit_limit/requests";
    Router::new()
        .at(
            v,
            V310,
            "/banks/{bank_id}/meetings",
            get(meetings).post(create_meeting),
        )
        .at(
            v,
            V310,
            "/banks/{bank_id}/meetings/{meeting_id}",
            get(meeting),
        )
        .at(
            v,
            V140,
            "/banks/{bank_id}/customer/{customer_id}/messages",
            post(create_message),
        )
        .at(
            v,
            V140,
            "/banks/{bank_id}/customer/messages",
            get(my_messages),
        )
        .at(
            v,
            V400,
            "/banks/{bank_id}/customers/{customer_id}/messages",
            get(customer_messages).post(create_customer_message),
        )
        .at(v, V140, "/banks/{bank_id}/crm-events", get(crm_events))
        .at(
            v,
            V310,
            credit,
            get(credit_limit_requests).post(create_credit_limit_request),
        )
        .at(
            v,
            V310,
            &format!("{credit}/{{request_id}}"),
            get(credit_limit_request),
        )
}

// ---- meetings ----

#[derive(Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct ContactDetailsJson {
    pub name: String,
    pub mobile_phone: String,
    pub email_address: String,
}

#[derive(Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct InviteeJson {
    pub contact_details: ContactDetailsJson,
    pub status: String,
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct CreateMeetingJsonV310 {
    pub provider_id: String,
    pub purpose_id: String,
    #[serde(with = "crate::wire::date")]
    #[schema(value_type = Option<String>, example = "2017-09-19T00:00:00Z")]
    pub date: Option<chrono::DateTime<chrono::Utc>>,
    pub creator: ContactDetailsJson,
    pub invitees: Vec<InviteeJson>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MeetingPresentJson {
    pub staff_user_id: String,
    pub customer_user_id: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MeetingKeysJson {
    pub session_id: String,
    pub staff_token: String,
    pub customer_token: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MeetingJsonV310 {
    pub meeting_id: String,
    pub provider_id: String,
    pub purpose_id: String,
    pub bank_id: String,
    pub present: MeetingPresentJson,
    pub keys: MeetingKeysJson,
    #[serde(with = "crate::wire::date")]
    #[schema(value_type = Option<String>, example = "2017-09-19T00:00:00Z")]
    pub when: Option<chrono::DateTime<chrono::Utc>>,
    pub creator: ContactDetailsJson,
    pub invitees: Vec<InviteeJson>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MeetingsJsonV310 {
    pub meetings: Vec<MeetingJsonV310>,
}

impl From<ContactDetailsJson> for ContactDetails {
    fn from(c: ContactDetailsJson) -> Self {
        ContactDetails {
            name: c.name,
            mobile_phone: c.mobile_phone,
            email_address: c.email_address,
        }
    }
}

impl From<ContactDetails> for ContactDetailsJson {
    fn from(c: ContactDetails) -> Self {
        ContactDetailsJson {
            name: c.name,
            mobile_phone: c.mobile_phone,
            email_address: c.email_address,
        }
    }
}

impl From<Meeting> for MeetingJsonV310 {
    fn from(m: Meeting) -> Self {
        let invitees = (m.invitees.into_iter())
            .map(|i| InviteeJson {
                contact_details: i.contact_details.into(),
                status: i.status,
            })
            .collect();
        MeetingJsonV310 {
            meeting_id: m.meeting_id,
            provider_id: m.provider_id,
            purpose_id: m.purpose_id,
            bank_id: m.bank_id,
            present: MeetingPresentJson {
                staff_user_id: m.staff_user_id,
                customer_user_id: m.customer_user_id,
            },
            // The video provider is off, so there are no keys.
            keys: MeetingKeysJson {
                session_id: String::new(),
                staff_token: String::new(),
                customer_token: String::new(),
            },
            when: m.when,
            creator: m.creator.into(),
            invitees,
        }
    }
}

/// Create Meeting (v3.1.0, Experimental).
#[utoipa::path(
    post,
    path = "/obp/v4.0.0/banks/{bank_id}/meetings",
    tag = "Customer",
    request_body = CreateMeetingJsonV310,
    params(("bank_id" = String, Path)),
    description = "Also under /obp/v3.1.0. Checks: OBP-20001, OBP-30001, OBP-10001. The video \
provider is off: `keys.*` are empty strings. The caller is both `present.staff_user_id` and \
`present.customer_user_id`, as OBP passes it for both. A missing `date` gives `when: null`.",
    responses(
        (status = 201, body = MeetingJsonV310),
        (status = 400, body = ErrorBody, description = "OBP-10001"),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001"),
    )
)]
pub async fn create_meeting(
    State(s): State<ObpState>,
    login: Login,
    Path(bank_id): Path<String>,
    body: Bytes,
) -> ObpResult<(StatusCode, Json<MeetingJsonV310>)> {
    s.bank(&bank_id).await?;
    let b: CreateMeetingJsonV310 = parse(&body, "CreateMeetingJsonV310")?;
    let new = NewMeeting {
        provider_id: b.provider_id,
        purpose_id: b.purpose_id,
        when: b.date,
        creator: b.creator.into(),
        invitees: (b.invitees.into_iter())
            .map(|i| Invitee {
                contact_details: i.contact_details.into(),
                status: i.status,
            })
            .collect(),
    };
    let m = s
        .obp
        .create_meeting(&bank_id, &login.user.user_id, new)
        .await?;
    Ok((StatusCode::CREATED, Json(m.into())))
}

/// Get Meetings (v3.1.0, Experimental): the caller's meetings at the bank.
#[utoipa::path(
    get,
    path = "/obp/v4.0.0/banks/{bank_id}/meetings",
    tag = "Customer",
    params(("bank_id" = String, Path)),
    description = "Also under /obp/v3.1.0. The meetings at BANK_ID the caller made (staff or \
customer user), oldest first. Checks: OBP-20001, OBP-30001.",
    responses(
        (status = 200, body = MeetingsJsonV310),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001"),
    )
)]
pub async fn meetings(
    State(s): State<ObpState>,
    login: Login,
    Path(bank_id): Path<String>,
) -> ObpResult<Json<MeetingsJsonV310>> {
    s.bank(&bank_id).await?;
    let all = s.obp.meetings(&bank_id, &login.user.user_id).await?;
    Ok(Json(MeetingsJsonV310 {
        meetings: all.into_iter().map(MeetingJsonV310::from).collect(),
    }))
}

/// Get Meeting (v3.1.0, Experimental).
#[utoipa::path(
    get,
    path = "/obp/v4.0.0/banks/{bank_id}/meetings/{meeting_id}",
    tag = "Customer",
    params(("bank_id" = String, Path), ("meeting_id" = String, Path)),
    description = "Also under /obp/v3.1.0. Checks: OBP-20001, OBP-30001, then OBP-30104 with \
status 400 (as OBP) for a meeting that is unknown, at another bank or not the caller's.",
    responses(
        (status = 200, body = MeetingJsonV310),
        (status = 400, body = ErrorBody, description = "OBP-30104"),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001"),
    )
)]
pub async fn meeting(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, meeting_id)): Path<(String, String)>,
) -> ObpResult<Json<MeetingJsonV310>> {
    s.bank(&bank_id).await?;
    let m = (s
        .obp
        .meeting(&bank_id, &login.user.user_id, &meeting_id)
        .await)
        .map_err(|r| match r {
            Refusal::NotFound(_) => ObpError::new(codes::MEETING_NOT_FOUND)
                .more(format!(" Current MeetingId({meeting_id}) ")),
            other => other.into(),
        })?;
    Ok(Json(m.into()))
}

// ---- messages ----

/// v1.4.0's `CreateMessageJSON`.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct CreateMessageJson {
    pub message: String,
    pub from_department: String,
    pub from_person: String,
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct CreateCustomerMessageJsonV400 {
    pub message: String,
    pub transport: String,
    pub from_department: String,
    pub from_person: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SuccessMessage {
    pub success: String,
}

fn success() -> (StatusCode, Json<SuccessMessage>) {
    (
        StatusCode::CREATED,
        Json(SuccessMessage {
            success: "Success".into(),
        }),
    )
}

/// A v1.4.0 message item.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CustomerMessageJson {
    pub id: String,
    #[schema(example = "2017-09-19T00:00:00Z")]
    pub date: String,
    pub message: String,
    pub from_department: String,
    pub from_person: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CustomerMessagesJson {
    pub messages: Vec<CustomerMessageJson>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CustomerMessageJsonV400 {
    pub id: String,
    #[schema(example = "2017-09-19T00:00:00Z")]
    pub date: String,
    pub transport: String,
    pub message: String,
    pub from_department: String,
    pub from_person: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CustomerMessagesJsonV400 {
    pub messages: Vec<CustomerMessageJsonV400>,
}

impl From<CustomerMessage> for CustomerMessageJson {
    fn from(m: CustomerMessage) -> Self {
        CustomerMessageJson {
            id: m.message_id,
            date: crate::wire::format_date(&m.date),
            message: m.message,
            from_department: m.from_department,
            from_person: m.from_person,
        }
    }
}

impl From<CustomerMessage> for CustomerMessageJsonV400 {
    fn from(m: CustomerMessage) -> Self {
        CustomerMessageJsonV400 {
            id: m.message_id,
            date: crate::wire::format_date(&m.date),
            transport: m.transport,
            message: m.message,
            from_department: m.from_department,
            from_person: m.from_person,
        }
    }
}

/// CUST: OBP-30046 for an unknown CUSTOMER_ID.
async fn customer(s: &ObpState, customer_id: &str) -> ObpResult<Customer> {
    s.obp.customer(customer_id).await.map_err(|r| match r {
        Refusal::NotFound(_) => ObpError::customer_not_found(customer_id),
        other => other.into(),
    })
}

/// Create Customer Message (v1.4.0).
#[utoipa::path(
    post,
    path = "/obp/v4.0.0/banks/{bank_id}/customer/{customer_id}/messages",
    tag = "Customer",
    request_body = CreateMessageJson,
    params(("bank_id" = String, Path), ("customer_id" = String, Path)),
    description = "Also under /obp/v1.4.0 and /obp/v3.1.0 (note `/customer/`, singular). The \
message is kept for every user linked to the customer (User Customer Link), at BANK_ID; they \
read it with Get Customer Messages (current). Checks in OBP's order: OBP-20001, OBP-10001, \
OBP-30001, OBP-30046, OBP-30008 (400) when no user is linked to the customer, OBP-20005 (404) \
when a linked user is gone.",
    responses(
        (status = 201, body = SuccessMessage),
        (status = 400, body = ErrorBody, description = "OBP-10001, OBP-30008"),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001, OBP-30046, OBP-20005"),
    )
)]
pub async fn create_message(
    State(s): State<ObpState>,
    _login: Login,
    Path((bank_id, customer_id)): Path<(String, String)>,
    body: Bytes,
) -> ObpResult<(StatusCode, Json<SuccessMessage>)> {
    let b: CreateMessageJson = parse(&body, "CreateMessageJSON")?;
    s.bank(&bank_id).await?;
    customer(&s, &customer_id).await?;
    let new = NewMessage {
        message: b.message,
        transport: String::new(),
        from_department: b.from_department,
        from_person: b.from_person,
    };
    (s.obp
        .message_linked_users(&bank_id, &customer_id, new)
        .await)
        .map_err(|r| match r {
            Refusal::NotFound("link") => ObpError::new(codes::NO_LINK_FOR_USER)
                .more(format!(" Current customerId ({customer_id})")),
            Refusal::UnknownUser => ObpError::new(codes::USER_NOT_FOUND),
            other => other.into(),
        })?;
    Ok(success())
}

/// Get Customer Messages (current) (v1.4.0).
#[utoipa::path(
    get,
    path = "/obp/v4.0.0/banks/{bank_id}/customer/messages",
    tag = "Customer",
    params(("bank_id" = String, Path)),
    description = "Also under /obp/v1.4.0 and /obp/v3.1.0. The v1.4.0 messages addressed to the \
caller at BANK_ID (sent to a customer the caller is linked to), oldest first. Checks: \
OBP-20001, OBP-30001.",
    responses(
        (status = 200, body = CustomerMessagesJson),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001"),
    )
)]
pub async fn my_messages(
    State(s): State<ObpState>,
    login: Login,
    Path(bank_id): Path<String>,
) -> ObpResult<Json<CustomerMessagesJson>> {
    s.bank(&bank_id).await?;
    let all = s
        .obp
        .messages_to_user(&bank_id, &login.user.user_id)
        .await?;
    Ok(Json(CustomerMessagesJson {
        messages: all.into_iter().map(CustomerMessageJson::from).collect(),
    }))
}

const CREATE_MESSAGE_ROLES: [&str; 1] = ["CanCreateCustomerMessage"];
const GET_MESSAGES_ROLES: [&str; 1] = ["CanGetCustomerMessages"];

/// Create Customer Message (v4.0.0).
#[utoipa::path(
    post,
    path = "/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}/messages",
    tag = "Customer",
    request_body = CreateCustomerMessageJsonV400,
    params(("bank_id" = String, Path), ("customer_id" = String, Path)),
    description = "Also under /obp/v3.1.0. Needs CanCreateCustomerMessage at BANK_ID. The message \
is kept for the customer (Get Customer Messages for a Customer lists it); it is not one of the \
v1.4.0 messages to linked users. Checks: OBP-20001, OBP-30001, OBP-20006, OBP-10001, OBP-30046.",
    responses(
        (status = 201, body = SuccessMessage),
        (status = 400, body = ErrorBody, description = "OBP-10001"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "OBP-20006"),
        (status = 404, body = ErrorBody, description = "OBP-30001, OBP-30046"),
    )
)]
pub async fn create_customer_message(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, customer_id)): Path<(String, String)>,
    body: Bytes,
) -> ObpResult<(StatusCode, Json<SuccessMessage>)> {
    s.bank(&bank_id).await?;
    s.require(&login.user, &bank_id, &CREATE_MESSAGE_ROLES)
        .await?;
    let b: CreateCustomerMessageJsonV400 = parse(&body, "CreateCustomerMessageJsonV400")?;
    customer(&s, &customer_id).await?;
    let new = NewMessage {
        message: b.message,
        transport: b.transport,
        from_department: b.from_department,
        from_person: b.from_person,
    };
    s.obp.message_customer(&bank_id, &customer_id, new).await?;
    Ok(success())
}

/// Get Customer Messages for a Customer (v4.0.0).
#[utoipa::path(
    get,
    path = "/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}/messages",
    tag = "Customer",
    params(("bank_id" = String, Path), ("customer_id" = String, Path)),
    description = "Also under /obp/v3.1.0. Needs CanGetCustomerMessages at BANK_ID. The v4.0.0 \
messages kept for the customer at BANK_ID, oldest first. Checks: OBP-20001, OBP-30001, \
OBP-20006, OBP-30046.",
    responses(
        (status = 200, body = CustomerMessagesJsonV400),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "OBP-20006"),
        (status = 404, body = ErrorBody, description = "OBP-30001, OBP-30046"),
    )
)]
pub async fn customer_messages(
    State(s): State<ObpState>,
    login: Login,
    Path((bank_id, customer_id)): Path<(String, String)>,
) -> ObpResult<Json<CustomerMessagesJsonV400>> {
    s.bank(&bank_id).await?;
    s.require(&login.user, &bank_id, &GET_MESSAGES_ROLES)
        .await?;
    customer(&s, &customer_id).await?;
    let all = s.obp.messages_of_customer(&bank_id, &customer_id).await?;
    Ok(Json(CustomerMessagesJsonV400 {
        messages: all.into_iter().map(CustomerMessageJsonV400::from).collect(),
    }))
}

// ---- CRM events ----

#[derive(Serialize, utoipa::ToSchema)]
pub struct CrmEventJson {
    pub id: String,
    pub bank_id: String,
    pub customer_name: String,
    pub customer_number: String,
    pub category: String,
    pub detail: String,
    pub channel: String,
    #[serde(with = "crate::wire::date")]
    #[schema(value_type = Option<String>, example = "2017-09-19T00:00:00Z")]
    pub scheduled_date: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(with = "crate::wire::date")]
    #[schema(value_type = Option<String>, example = "2017-09-19T00:00:00Z")]
    pub actual_date: Option<chrono::DateTime<chrono::Utc>>,
    pub result: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CrmEventsJson {
    pub crm_events: Vec<CrmEventJson>,
}

impl From<CrmEvent> for CrmEventJson {
    fn from(e: CrmEvent) -> Self {
        CrmEventJson {
            id: e.crm_event_id,
            bank_id: e.bank_id,
            customer_name: e.customer_name,
            customer_number: e.customer_number,
            category: e.category,
            detail: e.detail,
            channel: e.channel,
            scheduled_date: e.scheduled_date,
            actual_date: e.actual_date,
            result: e.result,
        }
    }
}

/// Get CRM Events (v1.4.0).
#[utoipa::path(
    get,
    path = "/obp/v4.0.0/banks/{bank_id}/crm-events",
    tag = "Customer",
    params(("bank_id" = String, Path)),
    description = "Also under /obp/v1.4.0 and /obp/v3.1.0. The bank's CRM events, by scheduled \
date. OBP has no API that makes them; the sandbox seeds them. Checks: OBP-20001, OBP-30001; a \
bank with none is 404 `No CRM Events available.`, which OBP raises without a code \
(OBP-50005 here, the text kept after it).",
    responses(
        (status = 200, body = CrmEventsJson),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "OBP-30001; no events"),
    )
)]
pub async fn crm_events(
    State(s): State<ObpState>,
    _login: Login,
    Path(bank_id): Path<String>,
) -> ObpResult<Json<CrmEventsJson>> {
    s.bank(&bank_id).await?;
    let all = s.obp.crm_events(&bank_id).await?;
    if all.is_empty() {
        return Err(ObpError::uncoded(
            StatusCode::NOT_FOUND,
            "No CRM Events available.",
        ));
    }
    Ok(Json(CrmEventsJson {
        crm_events: all.into_iter().map(CrmEventJson::from).collect(),
    }))
}

// ---- credit-limit order requests (mocked) ----

/// What the mocked request documented; the body is not read.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub struct CreditLimitRequestJson {
    pub requested_current_rate_amount1: String,
    pub requested_current_rate_amount2: String,
    pub requested_current_valid_end_date: String,
    pub current_credit_documentation: String,
    pub temporary_requested_current_amount: String,
    pub requested_temporary_valid_end_date: String,
    pub temporary_credit_documentation: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CreditLimitOrderResponseJson {
    pub execution_time: String,
    pub execution_date: String,
    pub token: String,
    pub short_reference: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CreditLimitOrderJson {
    pub rank_amount_1: String,
    pub nominal_interest_1: String,
    pub rank_amount_2: String,
    pub nominal_interest_2: String,
}

/// OBP's placeholder value for every field of the mocks.
const MOCK: &str = "String";

fn mocked_order() -> Json<CreditLimitOrderJson> {
    Json(CreditLimitOrderJson {
        rank_amount_1: MOCK.into(),
        nominal_interest_1: MOCK.into(),
        rank_amount_2: MOCK.into(),
        nominal_interest_2: MOCK.into(),
    })
}

/// Create Credit Limit Order Request (v3.1.0, mocked).
#[utoipa::path(
    post,
    path = "/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}/credit_limit/requests",
    tag = "Customer",
    request_body = CreditLimitRequestJson,
    params(("bank_id" = String, Path), ("customer_id" = String, Path)),
    description = "Also under /obp/v3.1.0. OBP mocked this endpoint (static placeholder data, \
no login) and removed it upstream in April 2023; finhub answers as its last version did: no \
login, the body is not read, BANK_ID and CUSTOMER_ID are not checked, and every value is \
\"String\".",
    responses((status = 201, body = CreditLimitOrderResponseJson))
)]
pub async fn create_credit_limit_request() -> (StatusCode, Json<CreditLimitOrderResponseJson>) {
    let r = CreditLimitOrderResponseJson {
        execution_time: MOCK.into(),
        execution_date: MOCK.into(),
        token: MOCK.into(),
        short_reference: MOCK.into(),
    };
    (StatusCode::CREATED, Json(r))
}

/// Get Credit Limit Order Requests (v3.1.0, mocked).
#[utoipa::path(
    get,
    path = "/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}/credit_limit/requests",
    tag = "Customer",
    params(("bank_id" = String, Path), ("customer_id" = String, Path)),
    description = "Also under /obp/v3.1.0. Mocked upstream (removed in April 2023): no login, \
nothing checked, one static object (not a list) whose values are all \"String\".",
    responses((status = 200, body = CreditLimitOrderJson))
)]
pub async fn credit_limit_requests() -> Json<CreditLimitOrderJson> {
    mocked_order()
}

/// Get Credit Limit Order Request By Request Id (v3.1.0, mocked).
#[utoipa::path(
    get,
    path = "/obp/v4.0.0/banks/{bank_id}/customers/{customer_id}/credit_limit/requests/{request_id}",
    tag = "Customer",
    params(("bank_id" = String, Path), ("customer_id" = String, Path), ("request_id" = String, Path)),
    description = "Also under /obp/v3.1.0. Mocked upstream (removed in April 2023): no login, \
nothing checked, any REQUEST_ID gives the same static object, all values \"String\".",
    responses((status = 200, body = CreditLimitOrderJson))
)]
pub async fn credit_limit_request() -> Json<CreditLimitOrderJson> {
    mocked_order()
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    create_meeting,
    meetings,
    meeting,
    create_message,
    my_messages,
    create_customer_message,
    customer_messages,
    crm_events,
    create_credit_limit_request,
    credit_limit_requests,
    credit_limit_request
))]
pub struct Doc;
