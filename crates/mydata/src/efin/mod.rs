//! 전자금융 (전금-001..004, 101..103): prepaid instruments and payment
//! accounts of e-finance companies, over the shared list, asset and history
//! plumbing (`sync`, `history`).
//!
//! A prepaid instrument (선불전자지급수단) is a Prepaid account at the
//! e-finance company with `EfinPrepaidTerms`; its `account_id` in the APIs
//! is the account number (its asset id), its `fob_id` is in the terms, and
//! the APIs take both. A payment account (간편결제 계정) is a Payment
//! account with `PayAccountTerms`, `sub_key` its asset id; each payment
//! passes through it in one entry, so its history is read off the arriving
//! legs (memo `결제 {merchant}`).

mod paid;
mod prepaid;

use crate::common::{api, Api};
use crate::MydataState;
use axum::Router;
use finhub_core::institution::InstitutionKind;
use finhub_core::ledger::Posting;
use finhub_core::product::efin::EfinMemo;
use utoipa::OpenApi;

const EFIN: &[InstitutionKind] = &[InstitutionKind::Efin];

/// The APIs this module serves, as 공통-001 lists them.
pub(crate) const APIS: &[Api] = &[
    api("전금-001", "EF01", "/prepaid", EFIN),
    api("전금-002", "EF02", "/prepaid/balance", EFIN),
    api("전금-003", "EF03", "/prepaid/charge", EFIN),
    api("전금-004", "EF04", "/prepaid/transactions", EFIN),
    api("전금-101", "EF11", "/paid", EFIN),
    api("전금-102", "EF12", "/paid/methods", EFIN),
    api("전금-103", "EF13", "/paid/transactions", EFIN),
];

pub(crate) fn routes() -> Router<MydataState> {
    Router::new().merge(prepaid::routes()).merge(paid::routes())
}

/// The e-finance document: the prepaid instruments' APIs and the payment
/// accounts' APIs.
pub(crate) struct Doc;

impl OpenApi for Doc {
    fn openapi() -> utoipa::openapi::OpenApi {
        let mut doc = prepaid::Doc::openapi();
        doc.merge(paid::Doc::openapi());
        doc
    }
}

/// The 4-character transaction types (첨부9 prepaid codes, inferred as
/// 선불-003 does; the spec gives no table): what a posting was, by its memo
/// and sign.
pub(crate) fn trans_type(p: &Posting) -> &'static str {
    let incoming = p.amount_minor > 0;
    match EfinMemo::decode(&p.memo) {
        Some(EfinMemo::Charge) => "5101",
        Some(EfinMemo::AutoCharge) => "5102",
        Some(EfinMemo::Reward) => "5103",
        Some(EfinMemo::Withdraw) => "5201",
        // A prepaid payment takes money out; its cancellation puts it back.
        Some(EfinMemo::Spend) if incoming => "5502",
        Some(EfinMemo::Spend) => "5501",
        // A payment account's arriving leg is the payment; a leg going
        // back to the method is its cancellation.
        Some(EfinMemo::Pay { .. }) if incoming => "5501",
        Some(EfinMemo::Pay { .. }) => "5502",
        None if incoming => "5101",
        None => "5201",
    }
}

/// Whether the posting is a payment (or its cancellation) at a merchant.
pub(crate) fn is_payment(p: &Posting) -> bool {
    matches!(
        EfinMemo::decode(&p.memo),
        Some(EfinMemo::Spend | EfinMemo::Pay { .. })
    )
}

/// The merchant's business number with `-`, when it is one the world knows.
pub(crate) fn regno(merchant: &str) -> Option<String> {
    finhub_core::merchant::merchant(merchant)
        .and_then(|m| m.business_num)
        .map(str::to_owned)
}

/// An account or card number masked for `pay_id`: the first four and the
/// last four digits shown, the rest `*`, separators kept.
pub(crate) fn mask(num: &str) -> String {
    let digits = num.chars().filter(char::is_ascii_alphanumeric).count();
    let mut seen = 0;
    num.chars()
        .map(|c| {
            if !c.is_ascii_alphanumeric() {
                return c;
            }
            seen += 1;
            if seen <= 4 || seen > digits.saturating_sub(4) {
                c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use finhub_core::ledger::EntryKind;

    fn posting(memo: &str, amount: i64) -> Posting {
        Posting {
            entry_id: 9,
            account_id: "ef".into(),
            seq: 3,
            at: Utc.with_ymd_and_hms(2026, 11, 2, 0, 0, 0).unwrap(),
            kind: EntryKind::Charge,
            amount_minor: amount,
            balance_after_minor: 50_000,
            memo: memo.into(),
            counterparty: "스타벅스 강남점".into(),
        }
    }

    #[test]
    fn each_memo_has_its_type() {
        let t = |m: &str, a: i64| trans_type(&posting(m, a));
        assert_eq!(t("충전", 10_000), "5101");
        assert_eq!(t("자동충전", 10_000), "5102");
        assert_eq!(t("적립", 100), "5103");
        assert_eq!(t("출금", -5_000), "5201");
        assert_eq!(t("결제", -4_500), "5501");
        assert_eq!(t("결제", 4_500), "5502");
        assert_eq!(t("결제 쿠팡", 4_500), "5501");
        assert_eq!(t("결제 쿠팡", -4_500), "5502");
        assert_eq!(t("이벤트", 1_000), "5101");
        assert!(is_payment(&posting("결제 쿠팡", 10)));
        assert!(!is_payment(&posting("충전", 10)));
    }

    #[test]
    fn numbers_are_masked_in_the_middle() {
        assert_eq!(mask("1002-123-456789"), "1002-***-**6789");
        assert_eq!(mask("9410123412343456"), "9410********3456");
        assert_eq!(mask("1234"), "1234");
    }
}
