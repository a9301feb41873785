//! Members (U1–U13) and named cards (L1–L3). Each handler reads its fields
//! in the reference's order with `Fields` (the codes `000_003`, `000_002`,
//! `000_015`), calls one rule of the platform and shapes the answer.
//!
//! - `register`: U1.
//! - `account`: U2–U7, U10–U13.
//! - `terms`: U8, U9.
//! - `named`: L1–L3.

mod account;
mod named;
mod register;
mod terms;

use crate::extract::{Checked, Fields};
use crate::{at, KonaState};
use axum::routing::post;
use axum::Router;
use finhub_core::konaplate::members::Address;
use finhub_core::konaplate::Refusal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes() -> Router<KonaState> {
    Router::new()
        .route(at("U1"), post(register::register))
        .route(at("U2"), post(account::info))
        .route(at("U3"), post(account::password_update))
        .route(at("U4"), post(account::update))
        .route(at("U5"), post(account::unregister))
        .route(at("U6"), post(account::find_login_id))
        .route(at("U7"), post(account::change_active))
        .route(at("U8"), post(terms::terms_all))
        .route(at("U9"), post(terms::update_optional))
        .route(at("U10"), post(account::ci_info))
        .route(at("U11"), post(account::login_id_check))
        .route(at("U12"), post(account::password_check))
        .route(at("U13"), post(account::auth_info))
        .route(at("L1"), post(named::named_card))
        .route(at("L2"), post(named::named_card_corp))
        .route(at("L3"), post(named::corp_inquiry))
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        register::register,
        account::info,
        account::password_update,
        account::update,
        account::unregister,
        account::find_login_id,
        account::change_active,
        terms::terms_all,
        terms::update_optional,
        account::ci_info,
        account::login_id_check,
        account::password_check,
        account::auth_info,
        named::named_card,
        named::named_card_corp,
        named::corp_inquiry,
    ),
    components(schemas(
        AddressInfo,
        register::RegistrationRequest,
        register::Registered,
        register::BasicCardInfo,
        account::UserIdRequest,
        account::UserInfoAnswer,
        account::UserInfo,
        account::PasswordUpdateRequest,
        account::UpdateRequest,
        account::UserIdAnswer,
        account::FindLoginIdRequest,
        account::LoginIdAnswer,
        account::CiRequest,
        account::CiInfoAnswer,
        account::LoginIdRequest,
        account::LoginIdCheckAnswer,
        account::PasswordCheckRequest,
        account::AuthInfoAnswer,
        terms::TermsRequest,
        terms::TermsList,
        terms::TermsItem,
        terms::TermsUpdateRequest,
        terms::TcItem,
        named::NamedCardRequest,
        named::NamedCard,
        named::CorpRequestBody,
        named::CorpAnswer,
        named::ParRequest,
        named::CorpInquiry,
    ))
)]
pub struct Doc;

/// `addressInfo`, in requests and answers.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AddressInfo {
    /// 1..255.
    pub address: String,
    /// 1..255.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_detail: Option<String>,
    /// 5 digits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zip_code: Option<String>,
}

impl From<&Address> for AddressInfo {
    fn from(a: &Address) -> Self {
        AddressInfo {
            address: a.address.clone(),
            address_detail: a.address_detail.clone(),
            zip_code: a.zip_code.clone(),
        }
    }
}

/// An optional string of exactly `n` characters (empty counts as absent).
fn opt_len<'a>(f: &Fields<'a>, name: &str, n: usize) -> Checked<Option<&'a str>> {
    match f.opt_text(name)? {
        None | Some("") => Ok(None),
        Some(_) => f.text_len(name, n).map(Some),
    }
}

/// `ci`: 88 characters.
fn ci(f: &Fields<'_>) -> Checked<String> {
    f.text_len("ci", 88).map(str::to_owned)
}

/// yyyyMMdd, a real date.
fn date8(s: &str, name: &str) -> Checked<chrono::NaiveDate> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Refusal::invalid(name));
    }
    chrono::NaiveDate::parse_from_str(s, "%Y%m%d").map_err(|_| Refusal::invalid(name))
}

/// A mobile number: 10..20 of digits and hyphens.
fn mobile(s: &str) -> Checked<String> {
    if !s.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return Err(Refusal::invalid("mobileNumber"));
    }
    Ok(s.to_owned())
}

/// One of the listed words.
fn one_of(s: &str, name: &str, words: &[&str]) -> Checked<String> {
    if !words.contains(&s) {
        return Err(Refusal::invalid(name));
    }
    Ok(s.to_owned())
}

/// An e-mail form: something, `@`, something with a dot.
fn email_form(s: &str, name: &str) -> Checked<String> {
    match s.split_once('@') {
        Some((a, b)) if !a.is_empty() && b.contains('.') && !b.contains('@') => Ok(s.to_owned()),
        _ => Err(Refusal::invalid(name)),
    }
}

/// `addressInfo`, when sent.
fn address(f: &Fields<'_>) -> Checked<Option<Address>> {
    let Some(a) = f.object("addressInfo")? else {
        return Ok(None);
    };
    Ok(Some(Address {
        address: a.text_range("address", 1, 255)?.to_owned(),
        address_detail: a
            .opt_text_range("addressDetail", 1, 255)?
            .map(str::to_owned),
        zip_code: opt_len(&a, "zipCode", 5)?.map(str::to_owned),
    }))
}

/// `par`: 27 characters, a PAR's form.
fn par(f: &Fields<'_>) -> Checked<String> {
    let p = f.text_len("par", 27)?;
    finhub_core::konaplate::ids::Par::parse(p).map_err(|_| Refusal::invalid("par"))?;
    Ok(p.to_owned())
}
