//! A member's record: U2 info, U3 password, U4 change, U5 cancellation,
//! U6 login id, U7 dormancy, U10 CI lookup, U11 duplicate check, U12
//! password check, U13 authentication info.

use super::{address, ci, date8, mobile, one_of, opt_len, AddressInfo};
use crate::error::KonaResult;
use crate::extract::{Checked, Ctx, Fields};
use crate::wire::{done, dt17, Out};
use crate::KonaState;
use axum::extract::State;
use finhub_core::konaplate::members::{FindLogin, InfoChange, Member, PasswordUpdate};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

type St = State<KonaState>;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserIdRequest {
    pub user_id: u64,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserInfo {
    pub asp_id: String,
    pub user_id: u64,
    pub birth_date: String,
    pub ci: String,
    pub login_id: String,
    pub nationality: String,
    pub gender: String,
    pub mobile_number: String,
    pub user_name: String,
    pub email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub join_channel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_info: Option<AddressInfo>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserInfoAnswer {
    pub user_info: UserInfo,
}

fn user_info(asp_id: &str, m: Member) -> UserInfo {
    UserInfo {
        asp_id: asp_id.to_owned(),
        user_id: m.user_id.0,
        address_info: m.address.as_ref().map(AddressInfo::from),
        birth_date: m.birth_date,
        ci: m.ci,
        login_id: m.login_id,
        nationality: m.nationality,
        gender: m.gender,
        mobile_number: m.mobile_number,
        user_name: m.user_name,
        email: m.email,
        join_channel: m.join_channel,
    }
}

/// U2: the member's record (encrypted when a crypto key is named).
#[utoipa::path(post, path = "/api/v1/user/info", tag = "members",
    request_body = UserIdRequest,
    responses((status = 200, body = UserInfoAnswer), (status = 400, body = crate::error::Envelope)))]
pub async fn info(State(s): St, ctx: Ctx) -> KonaResult<Out<UserInfoAnswer>> {
    let user_id = ctx.fields().user_id()?;
    let m = s.kona.member(ctx.project_id(), user_id).await?;
    Ok(Out(UserInfoAnswer {
        user_info: user_info(ctx.project.asp_id.as_str(), m),
    }))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PasswordUpdateRequest {
    pub user_id: u64,
    /// `RESET` (no old password; unlocks) or `CHANGE`.
    #[serde(rename = "type")]
    pub kind: String,
    /// 6 digits; required for `CHANGE`.
    pub old_password: Option<String>,
    /// 6 digits, under the password rules.
    pub new_password: String,
}

fn password_update_of(f: &Fields<'_>) -> Checked<PasswordUpdate> {
    let kind = one_of(f.text_range("type", 5, 6)?, "type", &["RESET", "CHANGE"])?;
    let old = match kind.as_str() {
        "CHANGE" => Some(f.text_len("oldPassword", 6)?.to_owned()),
        _ => None,
    };
    let new = f.text_len("newPassword", 6)?.to_owned();
    Ok(match old {
        Some(old) => PasswordUpdate::Change { old, new },
        None => PasswordUpdate::Reset { new },
    })
}

/// U3: reset or change the password.
#[utoipa::path(post, path = "/api/v1/user/password/update", tag = "members",
    request_body = PasswordUpdateRequest,
    responses((status = 200, body = crate::error::Envelope), (status = 400, body = crate::error::Envelope)))]
pub async fn password_update(State(s): St, ctx: Ctx) -> KonaResult<Out<Value>> {
    let f = ctx.fields();
    let user_id = f.user_id()?;
    let u = password_update_of(&f)?;
    (s.kona.update_password(ctx.project_id(), user_id, u)).await?;
    Ok(done())
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateRequest {
    pub user_id: u64,
    pub ci: Option<String>,
    pub birth_date: Option<String>,
    pub nationality: Option<String>,
    pub user_name: Option<String>,
    pub mobile_number: Option<String>,
    pub address_info: Option<AddressInfo>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserIdAnswer {
    pub user_id: u64,
}

fn change_of(f: &Fields<'_>) -> Checked<InfoChange> {
    let birth_date = match opt_len(f, "birthDate", 8)? {
        Some(b) => Some(date8(b, "birthDate")?),
        None => None,
    };
    let nationality = match f.opt_text_range("nationality", 6, 9)? {
        Some(n) => Some(one_of(n, "nationality", &["Korean", "Foreigner"])?),
        None => None,
    };
    let mobile_number = match f.opt_text_range("mobileNumber", 10, 20)? {
        Some(m) => Some(mobile(m)?),
        None => None,
    };
    Ok(InfoChange {
        ci: opt_len(f, "ci", 88)?.map(str::to_owned),
        birth_date,
        nationality,
        user_name: (f.opt_text_range("userName", 1, 100)?).map(|n| n.trim().to_owned()),
        mobile_number,
        address: address(f)?,
    })
}

/// U4: change the member's details.
#[utoipa::path(post, path = "/api/v1/user/update", tag = "members",
    request_body = UpdateRequest,
    responses((status = 200, body = UserIdAnswer), (status = 400, body = crate::error::Envelope)))]
pub async fn update(State(s): St, ctx: Ctx) -> KonaResult<Out<UserIdAnswer>> {
    let f = ctx.fields();
    let user_id = f.user_id()?;
    let m = (s
        .kona
        .update_info(ctx.project_id(), user_id, change_of(&f)?))
    .await?;
    Ok(Out(UserIdAnswer {
        user_id: m.user_id.0,
    }))
}

/// U5: cancel the membership.
#[utoipa::path(post, path = "/api/v1/user/unregister", tag = "members",
    request_body = UserIdRequest,
    responses((status = 200, body = crate::error::Envelope), (status = 400, body = crate::error::Envelope)))]
pub async fn unregister(State(s): St, ctx: Ctx) -> KonaResult<Out<Value>> {
    let user_id = ctx.fields().user_id()?;
    s.kona.unregister(ctx.project_id(), user_id).await?;
    Ok(done())
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FindLoginIdRequest {
    /// Either `ci`, or `userName` + `birthDate` + `mobileNumber`.
    pub ci: Option<String>,
    pub user_name: Option<String>,
    pub birth_date: Option<String>,
    pub mobile_number: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoginIdAnswer {
    pub login_id: String,
}

fn find_of(f: &Fields<'_>) -> Checked<FindLogin> {
    if let Some(ci) = opt_len(f, "ci", 88)? {
        return Ok(FindLogin::Ci(ci.to_owned()));
    }
    let user_name = f.text_range("userName", 1, 100)?.trim().to_owned();
    let birth_date = f.text_len("birthDate", 8)?;
    date8(birth_date, "birthDate")?;
    Ok(FindLogin::Person {
        user_name,
        birth_date: birth_date.to_owned(),
        mobile_number: mobile(f.text_range("mobileNumber", 10, 20)?)?,
    })
}

/// U6: the member's whole login id.
#[utoipa::path(post, path = "/api/v1/user/loginId/find", tag = "members",
    request_body = FindLoginIdRequest,
    responses((status = 200, body = LoginIdAnswer), (status = 400, body = crate::error::Envelope)))]
pub async fn find_login_id(State(s): St, ctx: Ctx) -> KonaResult<Out<LoginIdAnswer>> {
    let q = find_of(&ctx.fields())?;
    let login_id = s.kona.find_login_id(ctx.project_id(), q).await?;
    Ok(Out(LoginIdAnswer { login_id }))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CiRequest {
    /// 88 characters.
    pub ci: String,
}

/// U7: a dormant member becomes active.
#[utoipa::path(post, path = "/api/v1/user/dormancy/change-active", tag = "members",
    request_body = CiRequest,
    responses((status = 200, body = UserIdAnswer), (status = 400, body = crate::error::Envelope)))]
pub async fn change_active(State(s): St, ctx: Ctx) -> KonaResult<Out<UserIdAnswer>> {
    let ci = ci(&ctx.fields())?;
    let m = s.kona.reactivate(ctx.project_id(), &ci).await?;
    Ok(Out(UserIdAnswer {
        user_id: m.user_id.0,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CiInfoAnswer {
    /// A string of 1..19 digits (the only API that answers it so).
    pub user_id: String,
}

/// U10: the member of a CI.
#[utoipa::path(post, path = "/api/v1/user/ci/info", tag = "members",
    request_body = CiRequest,
    responses((status = 200, body = CiInfoAnswer), (status = 400, body = crate::error::Envelope)))]
pub async fn ci_info(State(s): St, ctx: Ctx) -> KonaResult<Out<CiInfoAnswer>> {
    let ci = ci(&ctx.fields())?;
    let m = s.kona.member_of_ci(ctx.project_id(), &ci).await?;
    Ok(Out(CiInfoAnswer {
        user_id: m.user_id.to_string(),
    }))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoginIdRequest {
    /// 1..80.
    pub login_id: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoginIdCheckAnswer {
    pub is_duplicated: bool,
}

/// U11: is the login id taken?
#[utoipa::path(post, path = "/api/v1/user/loginId/check", tag = "members",
    request_body = LoginIdRequest,
    responses((status = 200, body = LoginIdCheckAnswer), (status = 400, body = crate::error::Envelope)))]
pub async fn login_id_check(State(s): St, ctx: Ctx) -> KonaResult<Out<LoginIdCheckAnswer>> {
    let login_id = ctx.fields().text_range("loginId", 1, 80)?;
    let taken = s.kona.login_id_taken(ctx.project_id(), login_id).await?;
    Ok(Out(LoginIdCheckAnswer {
        is_duplicated: taken,
    }))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PasswordCheckRequest {
    pub login_id: String,
    /// 6 digits.
    pub login_password: String,
}

/// U12: check a member's password (5 failures in a row lock it).
#[utoipa::path(post, path = "/api/v1/user/password/check", tag = "members",
    request_body = PasswordCheckRequest,
    responses((status = 200, body = UserIdAnswer), (status = 400, body = crate::error::Envelope)))]
pub async fn password_check(State(s): St, ctx: Ctx) -> KonaResult<Out<UserIdAnswer>> {
    let f = ctx.fields();
    let login_id = f.text_range("loginId", 1, 80)?;
    let password = f.text_len("loginPassword", 6)?;
    let u = (s.kona.check_password(ctx.project_id(), login_id, password)).await?;
    Ok(Out(UserIdAnswer { user_id: u.0 }))
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuthInfoAnswer {
    pub ci: String,
    pub is_real_name_verified: bool,
    pub is_bank_account_verified: bool,
    /// 17 digits (KST): when the bank account was registered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified_date_time: Option<String>,
}

/// U13: what the platform verified of the member.
#[utoipa::path(post, path = "/api/v1/user/auth/info", tag = "members",
    request_body = UserIdRequest,
    responses((status = 200, body = AuthInfoAnswer), (status = 400, body = crate::error::Envelope)))]
pub async fn auth_info(State(s): St, ctx: Ctx) -> KonaResult<Out<AuthInfoAnswer>> {
    let user_id = ctx.fields().user_id()?;
    let a = s.kona.auth_info(ctx.project_id(), user_id).await?;
    Ok(Out(AuthInfoAnswer {
        ci: a.ci,
        is_real_name_verified: a.is_real_name_verified,
        is_bank_account_verified: a.is_bank_account_verified,
        verified_date_time: a.verified_at.map(dt17),
    }))
}
