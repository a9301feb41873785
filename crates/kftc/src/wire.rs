//! Wire types: serde structs named exactly as the KFTC fields. Every value is
//! a JSON string (amounts, counts, dates). Request fields are optional here so
//! a missing one is answered with A0004 naming it, not a generic rejection.

use crate::codes::BankRsp;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub fn new_api_tran_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The common envelope every answer carries.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Envelope {
    pub api_tran_id: String,
    pub api_tran_dtm: String,
    pub rsp_code: String,
    pub rsp_message: String,
}

/// The participating bank's part of an answer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BankPart {
    pub bank_tran_id: String,
    pub bank_tran_date: String,
    pub bank_code_tran: String,
    pub bank_rsp_code: String,
    pub bank_rsp_message: String,
}

impl BankPart {
    pub fn new(bank_code: &str, bank_tran_id: &str, date: &str, rsp: BankRsp) -> Self {
        BankPart {
            bank_tran_id: bank_tran_id.to_owned(),
            bank_tran_date: date.to_owned(),
            bank_code_tran: bank_code.to_owned(),
            bank_rsp_code: rsp.code().to_owned(),
            bank_rsp_message: rsp.message().to_owned(),
        }
    }
}

/// A gateway (O-code) error: only these two fields.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GatewayError {
    pub rsp_code: String,
    pub rsp_message: String,
}

// ---- user and account management -------------------------------------------

#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct UserRegisterRequest {
    pub bank_tran_id: Option<String>,
    pub bank_code_std: Option<String>,
    pub register_account_num: Option<String>,
    pub user_info: Option<String>,
    pub user_name: Option<String>,
    pub user_ci: Option<String>,
    pub user_email: Option<String>,
    pub scope: Option<String>,
    pub info_prvd_agmt_yn: Option<String>,
    pub wd_agmt_yn: Option<String>,
    pub agmt_data_type: Option<String>,
    pub tran_dtime: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UserRegisterResponse {
    #[serde(flatten)]
    pub env: Envelope,
    #[serde(flatten)]
    pub bank: BankPart,
    pub user_seq_no: String,
    pub bank_code_std: String,
    pub bank_name: String,
    pub fintech_use_num: String,
    pub account_num_masked: String,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct UserMeQuery {
    pub user_seq_no: Option<String>,
}

/// One registered account as account/list and user/me show it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AccountItem {
    pub fintech_use_num: String,
    pub account_alias: String,
    pub bank_code_std: String,
    pub bank_code_sub: String,
    pub bank_name: String,
    pub savings_bank_name: String,
    pub account_num_masked: String,
    pub account_seq: String,
    pub account_holder_name: String,
    pub account_holder_type: String,
    pub account_type: String,
    pub inquiry_agree_yn: String,
    pub inquiry_agree_dtime: String,
    pub transfer_agree_yn: String,
    pub transfer_agree_dtime: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_state: Option<String>,
    /// 납부자번호 (payer number), user/me only. The standard leaves its value
    /// to the institution: here the registration's own 14 digits (the last 14
    /// of its fintech_use_num), stable while the registration lives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payer_num: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UserMeResponse {
    #[serde(flatten)]
    pub env: Envelope,
    pub user_seq_no: String,
    pub user_ci: String,
    pub user_name: String,
    pub user_info: String,
    pub user_gender: String,
    pub user_cell_no: String,
    pub user_email: String,
    pub res_cnt: String,
    pub res_list: Vec<AccountItem>,
}

#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct UserCloseRequest {
    pub client_use_code: Option<String>,
    pub user_seq_no: Option<String>,
}

/// The bare envelope (user/close and other answers with no body of their own).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EnvelopeOnly {
    #[serde(flatten)]
    pub env: Envelope,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct AccountListQuery {
    pub user_seq_no: Option<String>,
    pub include_cancel_yn: Option<String>,
    pub sort_order: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AccountListResponse {
    #[serde(flatten)]
    pub env: Envelope,
    pub user_name: String,
    pub res_cnt: String,
    pub res_list: Vec<AccountItem>,
}

#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct AccountUpdateRequest {
    pub bank_tran_id: Option<String>,
    pub user_seq_no: Option<String>,
    pub bank_code_std: Option<String>,
    pub account_num: Option<String>,
    pub account_seq: Option<String>,
    pub scope: Option<String>,
    pub update_user_email: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct AccountInfoRequest {
    pub bank_tran_id: Option<String>,
    pub user_seq_no: Option<String>,
    pub bank_code_std: Option<String>,
    pub account_num: Option<String>,
    pub account_seq: Option<String>,
    pub scope: Option<String>,
}

/// The envelope with the bank_* group (account/update, account/cancel).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BankEnvelope {
    #[serde(flatten)]
    pub env: Envelope,
    #[serde(flatten)]
    pub bank: BankPart,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AccountInfoResponse {
    #[serde(flatten)]
    pub env: Envelope,
    #[serde(flatten)]
    pub bank: BankPart,
    pub bank_name: String,
    pub savings_bank_name: String,
    pub account_num_masked: String,
    pub user_name: String,
    pub user_email: String,
    pub fintech_use_num: String,
    pub inquiry_agree_yn: String,
    pub inquiry_agree_dtime: String,
    pub transfer_agree_yn: String,
    pub transfer_agree_dtime: String,
}

#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct AccountCancelRequest {
    pub bank_tran_id: Option<String>,
    pub scope: Option<String>,
    pub fintech_use_num: Option<String>,
    pub bank_code_std: Option<String>,
    pub account_num: Option<String>,
    pub account_seq: Option<String>,
}

// ---- inquiries ---------------------------------------------------------------

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct BalanceFinNumQuery {
    pub bank_tran_id: Option<String>,
    pub fintech_use_num: Option<String>,
    pub tran_dtime: Option<String>,
    pub req_from_offline_yn: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct BalanceAcntNumRequest {
    pub bank_tran_id: Option<String>,
    pub bank_code_std: Option<String>,
    pub account_num: Option<String>,
    pub account_seq: Option<String>,
    pub user_seq_no: Option<String>,
    pub tran_dtime: Option<String>,
    pub req_from_offline_yn: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BalanceResponse {
    #[serde(flatten)]
    pub env: Envelope,
    #[serde(flatten)]
    pub bank: BankPart,
    pub bank_name: String,
    pub savings_bank_name: String,
    pub fintech_use_num: String,
    pub balance_amt: String,
    pub available_amt: String,
    pub account_type: String,
    pub product_name: String,
    pub account_issue_date: String,
    pub maturity_date: String,
    pub last_tran_date: String,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct TransactionListFinNumQuery {
    pub bank_tran_id: Option<String>,
    pub fintech_use_num: Option<String>,
    pub inquiry_type: Option<String>,
    pub inquiry_base: Option<String>,
    pub from_date: Option<String>,
    pub from_time: Option<String>,
    pub to_date: Option<String>,
    pub to_time: Option<String>,
    pub sort_order: Option<String>,
    pub tran_dtime: Option<String>,
    pub befor_inquiry_trace_info: Option<String>,
    pub req_from_offline_yn: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct TransactionListAcntNumRequest {
    pub bank_tran_id: Option<String>,
    pub bank_code_std: Option<String>,
    pub account_num: Option<String>,
    pub account_seq: Option<String>,
    pub user_seq_no: Option<String>,
    pub inquiry_type: Option<String>,
    pub inquiry_base: Option<String>,
    pub from_date: Option<String>,
    pub from_time: Option<String>,
    pub to_date: Option<String>,
    pub to_time: Option<String>,
    pub sort_order: Option<String>,
    pub tran_dtime: Option<String>,
    pub befor_inquiry_trace_info: Option<String>,
    pub req_from_offline_yn: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TransactionItem {
    pub tran_date: String,
    pub tran_time: String,
    pub inout_type: String,
    pub tran_type: String,
    pub print_content: String,
    pub tran_amt: String,
    pub after_balance_amt: String,
    pub branch_name: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TransactionListResponse {
    #[serde(flatten)]
    pub env: Envelope,
    #[serde(flatten)]
    pub bank: BankPart,
    pub bank_name: String,
    pub savings_bank_name: String,
    pub fintech_use_num: String,
    pub balance_amt: String,
    pub page_record_cnt: String,
    pub next_page_yn: String,
    pub befor_inquiry_trace_info: String,
    pub res_list: Vec<TransactionItem>,
}

#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct RealNameRequest {
    pub bank_tran_id: Option<String>,
    pub bank_code_std: Option<String>,
    pub account_num: Option<String>,
    pub account_holder_info_type: Option<String>,
    pub account_holder_info: Option<String>,
    pub tran_dtime: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RealNameResponse {
    #[serde(flatten)]
    pub env: Envelope,
    #[serde(flatten)]
    pub bank: BankPart,
    pub bank_code_std: String,
    pub bank_code_sub: String,
    pub bank_name: String,
    pub savings_bank_name: String,
    pub account_num: String,
    pub account_seq: String,
    pub account_holder_info_type: String,
    pub account_holder_info: String,
    pub account_holder_name: String,
    pub account_type: String,
}

#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct ReceiveRequest {
    pub bank_tran_id: Option<String>,
    pub cntr_account_type: Option<String>,
    pub cntr_account_num: Option<String>,
    pub bank_code_std: Option<String>,
    pub account_num: Option<String>,
    pub account_seq: Option<String>,
    pub print_content: Option<String>,
    pub tran_amt: Option<String>,
    pub req_client_name: Option<String>,
    pub req_client_bank_code: Option<String>,
    pub req_client_account_num: Option<String>,
    pub req_client_fintech_use_num: Option<String>,
    pub req_client_num: Option<String>,
    pub transfer_purpose: Option<String>,
    pub sub_frnc_name: Option<String>,
    pub sub_frnc_num: Option<String>,
    pub sub_frnc_business_num: Option<String>,
    pub cms_num: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReceiveResponse {
    #[serde(flatten)]
    pub env: Envelope,
    #[serde(flatten)]
    pub bank: BankPart,
    pub bank_code_std: String,
    pub bank_code_sub: String,
    pub bank_name: String,
    pub savings_bank_name: String,
    pub account_num: String,
    pub account_num_masked: String,
    pub print_content: String,
    pub account_holder_name: String,
    pub tran_amt: String,
    pub cms_num: String,
}

// ---- transfers -----------------------------------------------------------------

#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct WithdrawRequest {
    pub bank_tran_id: Option<String>,
    pub cntr_account_type: Option<String>,
    pub cntr_account_num: Option<String>,
    pub dps_print_content: Option<String>,
    /// fin_num variant.
    pub fintech_use_num: Option<String>,
    /// acnt_num variant.
    pub wd_bank_code_std: Option<String>,
    pub wd_account_num: Option<String>,
    pub wd_account_seq: Option<String>,
    pub user_seq_no: Option<String>,
    pub wd_print_content: Option<String>,
    pub tran_amt: Option<String>,
    pub tran_dtime: Option<String>,
    pub req_client_name: Option<String>,
    pub req_client_bank_code: Option<String>,
    pub req_client_account_num: Option<String>,
    pub req_client_fintech_use_num: Option<String>,
    pub req_client_num: Option<String>,
    pub transfer_purpose: Option<String>,
    pub sub_frnc_name: Option<String>,
    pub sub_frnc_num: Option<String>,
    pub sub_frnc_business_num: Option<String>,
    pub recv_client_name: Option<String>,
    pub recv_client_bank_code: Option<String>,
    pub recv_client_account_num: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WithdrawResponse {
    #[serde(flatten)]
    pub env: Envelope,
    #[serde(flatten)]
    pub bank: BankPart,
    pub dps_bank_code_std: String,
    pub dps_bank_code_sub: String,
    pub dps_bank_name: String,
    pub dps_account_num_masked: String,
    pub dps_print_content: String,
    pub dps_account_holder_name: String,
    pub fintech_use_num: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_num: Option<String>,
    pub account_alias: String,
    pub bank_code_std: String,
    pub bank_code_sub: String,
    pub bank_name: String,
    pub savings_bank_name: String,
    pub account_num_masked: String,
    pub print_content: String,
    pub account_holder_name: String,
    pub tran_amt: String,
    pub wd_limit_remain_amt: String,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct DepositItemRequest {
    pub tran_no: Option<String>,
    pub bank_tran_id: Option<String>,
    /// fin_num variant.
    pub fintech_use_num: Option<String>,
    /// acnt_num variant.
    pub bank_code_std: Option<String>,
    pub account_num: Option<String>,
    pub account_seq: Option<String>,
    pub account_holder_name: Option<String>,
    pub print_content: Option<String>,
    pub tran_amt: Option<String>,
    pub req_client_name: Option<String>,
    pub req_client_bank_code: Option<String>,
    pub req_client_account_num: Option<String>,
    pub req_client_fintech_use_num: Option<String>,
    pub req_client_num: Option<String>,
    pub transfer_purpose: Option<String>,
    pub cms_num: Option<String>,
    pub withdraw_bank_tran_id: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct DepositRequest {
    pub cntr_account_type: Option<String>,
    pub cntr_account_num: Option<String>,
    pub wd_pass_phrase: Option<String>,
    pub wd_print_content: Option<String>,
    pub name_check_option: Option<String>,
    pub sub_frnc_name: Option<String>,
    pub sub_frnc_num: Option<String>,
    pub sub_frnc_business_num: Option<String>,
    pub tran_dtime: Option<String>,
    pub req_cnt: Option<String>,
    pub req_list: Option<Vec<DepositItemRequest>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DepositItemResponse {
    pub tran_no: String,
    pub bank_tran_id: String,
    pub bank_tran_date: String,
    pub bank_code_tran: String,
    pub bank_rsp_code: String,
    pub bank_rsp_message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fintech_use_num: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_num: Option<String>,
    pub account_alias: String,
    pub bank_code_std: String,
    pub bank_code_sub: String,
    pub bank_name: String,
    pub savings_bank_name: String,
    pub account_num_masked: String,
    pub print_content: String,
    pub account_holder_name: String,
    pub tran_amt: String,
    pub cms_num: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DepositResponse {
    #[serde(flatten)]
    pub env: Envelope,
    pub wd_bank_code_std: String,
    pub wd_bank_code_sub: String,
    pub wd_bank_name: String,
    pub wd_account_num_masked: String,
    pub wd_print_content: String,
    pub wd_account_holder_name: String,
    pub res_cnt: String,
    pub res_list: Vec<DepositItemResponse>,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct ResultItemRequest {
    pub tran_no: Option<String>,
    pub org_bank_tran_id: Option<String>,
    pub org_bank_tran_date: Option<String>,
    pub org_tran_amt: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct TransferResultRequest {
    pub check_type: Option<String>,
    pub tran_dtime: Option<String>,
    pub req_cnt: Option<String>,
    pub req_list: Option<Vec<ResultItemRequest>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct ResultItemResponse {
    pub tran_no: String,
    pub bank_tran_id: String,
    pub bank_tran_date: String,
    pub bank_code_tran: String,
    pub bank_rsp_code: String,
    pub bank_rsp_message: String,
    /// The original transfer's rsp_code (A0000, or the code it was refused with).
    pub org_rsp_code: String,
    pub wd_bank_code_std: String,
    pub wd_bank_code_sub: String,
    pub wd_bank_name: String,
    pub wd_savings_bank_name: String,
    pub wd_fintech_use_num: String,
    pub wd_account_num_masked: String,
    pub wd_print_content: String,
    pub wd_account_holder_name: String,
    pub dps_bank_code_std: String,
    pub dps_bank_code_sub: String,
    pub dps_bank_name: String,
    pub dps_savings_bank_name: String,
    pub dps_fintech_use_num: String,
    pub dps_account_num_masked: String,
    pub dps_print_content: String,
    pub dps_account_holder_name: String,
    pub tran_amt: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TransferResultResponse {
    #[serde(flatten)]
    pub env: Envelope,
    pub res_cnt: String,
    pub res_list: Vec<ResultItemResponse>,
}

// ---- management ----------------------------------------------------------------

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BankStatusItem {
    pub bank_code_std: String,
    pub bank_name: String,
    /// `Y` available; `N` outage, `S` not yet started, `E` ended.
    pub bank_status: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BankStatusResponse {
    #[serde(flatten)]
    pub env: Envelope,
    pub res_cnt: String,
    pub res_list: Vec<BankStatusItem>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct FeeQuery {
    pub from_date: Option<String>,
    pub to_date: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FeeItem {
    pub inquiry_date: String,
    pub api_name: String,
    pub api_cnt: String,
    pub fee_amt: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FeeResponse {
    #[serde(flatten)]
    pub env: Envelope,
    pub from_date: String,
    pub to_date: String,
    pub total_fee_amt: String,
    pub res_cnt: String,
    pub res_list: Vec<FeeItem>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct CountQuery {
    pub inquiry_date: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CountItem {
    pub api_name: String,
    pub api_cnt: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CountResponse {
    #[serde(flatten)]
    pub env: Envelope,
    pub inquiry_date: String,
    pub total_cnt: String,
    pub res_cnt: String,
    pub res_list: Vec<CountItem>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct WdLimitQuery {
    /// Optional: also report what this registered account's user has left today.
    pub fintech_use_num: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WdLimitResponse {
    #[serde(flatten)]
    pub env: Envelope,
    pub wd_day_limit_amt: String,
    pub wd_day_remain_amt: String,
    pub wd_month_limit_amt: String,
    pub wd_month_remain_amt: String,
    pub wd_item_limit_amt: String,
    pub dps_day_limit_amt: String,
    pub dps_day_remain_amt: String,
    pub dps_month_limit_amt: String,
    pub dps_month_remain_amt: String,
    pub dps_item_limit_amt: String,
    pub user_wd_day_limit_amt: String,
    pub user_wd_item_limit_amt: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wd_limit_remain_amt: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct FdsQuery {
    pub inquiry_date: Option<String>,
    pub from_time: Option<String>,
    pub to_time: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FdsItem {
    pub detect_dtime: String,
    pub detect_rule_code: String,
    pub detect_rule_name: String,
    pub bank_tran_id: String,
    pub bank_tran_date: String,
    pub fintech_use_num: String,
    pub inout_type: String,
    pub tran_amt: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FdsResponse {
    #[serde(flatten)]
    pub env: Envelope,
    pub res_cnt: String,
    pub res_list: Vec<FdsItem>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct TermsQuery {
    pub bank_code_std: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TermsItem {
    pub bank_code_std: String,
    pub bank_name: String,
    pub terms_title: String,
    pub terms_version: String,
    pub effective_date: String,
    /// `Y` in force today, `N` upcoming.
    pub current_yn: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TermsResponse {
    #[serde(flatten)]
    pub env: Envelope,
    pub res_cnt: String,
    pub res_list: Vec<TermsItem>,
}
