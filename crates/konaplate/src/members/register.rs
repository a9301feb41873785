//! U1 User Register.

use super::{address, date8, email_form, mobile, one_of, AddressInfo};
use crate::error::KonaResult;
use crate::extract::{Checked, Ctx, Fields};
use crate::wire::Out;
use crate::KonaState;
use axum::extract::State;
use finhub_core::konaplate::members::Registration;
use finhub_core::konaplate::Refusal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegistrationRequest {
    /// Connection information, 88 characters. A person of the world with
    /// this CI becomes the member.
    pub ci: Option<String>,
    /// 1..80, e-mail form, unique in the project.
    pub login_id: String,
    /// 6 digits: no 3 identical or consecutive digits, not part of the
    /// mobile number.
    pub login_password: String,
    /// yyyyMMdd.
    pub birth_date: String,
    /// `Korean` / `Foreigner`.
    pub nationality: String,
    /// `Male` / `Female`.
    pub gender: String,
    pub user_name: String,
    pub mobile_number: String,
    pub email: String,
    pub join_channel: Option<String>,
    pub address_info: Option<AddressInfo>,
    /// Every MANDATORY term (29184, 29186, 29187, 29188) and any optional ones.
    pub tc_id_list: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BasicCardInfo {
    pub par: String,
    pub card_no: String,
    /// YYMMDD.
    pub expiry_date: String,
    pub service_id: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Registered {
    pub user_id: u64,
    pub basic_card_info: BasicCardInfo,
}

/// `tcIdList`: ids as strings or numbers.
fn tc_ids(f: &Fields<'_>) -> Checked<Vec<u64>> {
    let bad = || Refusal::invalid("tcIdList");
    (f.array("tcIdList")?.iter())
        .map(|v| match v {
            Value::Number(n) => n.as_u64().ok_or_else(bad),
            Value::String(s) => s.parse().map_err(|_| bad()),
            _ => Err(bad()),
        })
        .collect()
}

/// The fields in the reference's order, each missing, empty, then length.
fn registration(f: &Fields<'_>) -> Checked<Registration> {
    let ci = super::opt_len(f, "ci", 88)?.map(str::to_owned);
    let login_id = email_form(f.text_range("loginId", 1, 80)?, "loginId")?;
    let login_password = f.text_len("loginPassword", 6)?.to_owned();
    let birth_date = date8(f.text_len("birthDate", 8)?, "birthDate")?;
    let nationality = f.text_range("nationality", 6, 9)?;
    let nationality = one_of(nationality, "nationality", &["Korean", "Foreigner"])?;
    let gender = one_of(f.text_range("gender", 4, 6)?, "gender", &["Male", "Female"])?;
    let user_name = f.text_range("userName", 1, 100)?.trim().to_owned();
    let mobile_number = mobile(f.text_range("mobileNumber", 10, 20)?)?;
    let email = email_form(f.text_range("email", 1, 50)?, "email")?;
    let join_channel = f.opt_text_range("joinChannel", 1, 20)?.map(str::to_owned);
    Ok(Registration {
        ci,
        login_id,
        login_password,
        birth_date,
        nationality,
        gender,
        user_name,
        mobile_number,
        email,
        join_channel,
        address: address(f)?,
        tc_ids: tc_ids(f)?,
    })
}

/// U1: the member and the basic card issued with it.
#[utoipa::path(post, path = "/api/v1/user/registration", tag = "members",
    request_body = RegistrationRequest,
    responses((status = 200, body = Registered), (status = 400, body = crate::error::Envelope)))]
pub async fn register(State(s): State<KonaState>, ctx: Ctx) -> KonaResult<Out<Registered>> {
    let r = registration(&ctx.fields())?;
    let (m, card) = s.kona.register(ctx.project_id(), r).await?;
    Ok(Out(Registered {
        user_id: m.user_id.0,
        basic_card_info: BasicCardInfo {
            par: card.par.as_str().to_owned(),
            card_no: (card.mobile_card_no.as_ref())
                .map(|n| n.as_str().to_owned())
                .unwrap_or_default(),
            expiry_date: card.expiry_yymmdd(),
            service_id: card.service_id.as_str().to_owned(),
        },
    }))
}
