//! The card industry (카드-001..012) over the shared parts, and beside it the
//! prepaid-card APIs (선불-001..004, `crate::prepaid`), whose routes it merges.
//!
//! A card is a world account (AccountKind::Card) with CardTerms; what it is
//! used for is its ledger postings: approvals are the card's debits of kind
//! Card (memo = `CardMemo`), cancellations its Refund credits, the monthly
//! payment an entry from the person's bank account. Bills are derived from
//! those postings (`bills`), so a purchase posted through the ledger shows at
//! once as an approval and in the next month's bill.

mod approvals;
mod bills;
mod cards;
pub(crate) mod held;
mod loans;

pub(crate) use approvals::{ApprovalHead, DomesticUse};

use crate::MydataState;
use axum::routing::get;
use axum::Router;
use utoipa::OpenApi;

pub(crate) fn routes() -> Router<MydataState> {
    Router::new()
        .route("/v1/card/cards", get(cards::list))
        .route("/v1/card/cards/{card_id}", get(cards::basic))
        .route("/v1/card/points", get(cards::points))
        .route("/v1/card/bills", get(bills::bills))
        .route("/v1/card/bills/detail", get(bills::detail))
        .route("/v1/card/payments", get(bills::payments))
        .route("/v1/card/payments/revolving", get(bills::revolving))
        .route(
            "/v1/card/cards/{card_id}/approval-domestic",
            get(approvals::domestic),
        )
        .route(
            "/v1/card/cards/{card_id}/approval-overseas",
            get(approvals::overseas),
        )
        .route("/v1/card/loans", get(loans::loans))
        .route("/v1/card/loans/short-term", get(loans::short_term))
        .route("/v1/card/loans/long-term", get(loans::long_term))
        .merge(aliases())
        .merge(crate::prepaid::routes())
}

/// The 2021 draft and the v2 scope table spell some card resources under
/// `/cards/...` (mydata.md §7); clients written against either work.
fn aliases() -> Router<MydataState> {
    Router::new()
        .route("/v1/card/cards/point", get(cards::points))
        .route("/v1/card/cards/bills", get(bills::bills))
        .route("/v1/card/cards/bills/detail", get(bills::detail))
        .route("/v1/card/cards/payment", get(bills::payments))
        .route("/v1/card/cards/payments", get(bills::payments))
        .route("/v1/card/loans/revolving", get(bills::revolving))
}

#[derive(OpenApi)]
#[openapi(
    paths(
        cards::list,
        cards::basic,
        cards::points,
        bills::bills,
        bills::detail,
        bills::payments,
        bills::revolving,
        approvals::domestic,
        approvals::overseas,
        loans::loans,
        loans::short_term,
        loans::long_term,
    ),
    components(schemas(
        cards::CardList,
        cards::CardItem,
        cards::CardBasic,
        cards::PointList,
        cards::PointItem,
        bills::BillList,
        bills::BillItem,
        bills::BillDetailList,
        bills::BillDetailItem,
        bills::PaymentList,
        bills::PaymentItem,
        bills::RevolvingList,
        bills::RevolvingItem,
        approvals::ApprovalHead,
        approvals::DomesticUse,
        approvals::DomesticApproval,
        approvals::DomesticApprovals,
        approvals::OverseasApproval,
        approvals::OverseasApprovals,
        loans::LoanFlags,
        loans::ShortTermList,
        loans::ShortTermItem,
        loans::LongTermList,
        loans::LongTermItem,
    )),
    tags((name = "card", description = "카드업권 (카드-001..012). Card resources are also served \
under their 2021/v2 spellings: /cards/point, /cards/bills, /cards/bills/detail, /cards/payment(s), \
/loans/revolving. Points, bills, payments and revolving cover the cards of the consent."))
)]
struct CardDoc;

/// The card industry's document with the prepaid-card APIs merged in.
pub(crate) struct Doc;

impl OpenApi for Doc {
    fn openapi() -> utoipa::openapi::OpenApi {
        let mut doc = CardDoc::openapi();
        doc.merge(crate::prepaid::Doc::openapi());
        doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_holds_every_card_and_prepaid_api() {
        let doc = Doc::openapi();
        let paths: Vec<&String> = doc.paths.paths.keys().collect();
        assert_eq!(paths.len(), 12 + 8, "{paths:?}");
        for p in [
            "/v1/card/cards/{card_id}/approval-overseas",
            "/v1/card/payments/revolving",
            "/v1/card/loans/long-term",
            "/v1/card/prepaid/approval",
            "/v1/bank/prepaid/balance",
        ] {
            assert!(doc.paths.paths.contains_key(p), "{p} in {paths:?}");
        }
        let schemas = &doc.components.as_ref().unwrap().schemas;
        assert!(
            schemas.contains_key("DomesticApprovals") && schemas.contains_key("PrepaidBalance")
        );
    }
}
