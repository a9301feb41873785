//! 할부금융 (할부금융-001..006), P2P (P2P-001..004), 채권 (채권-001..003, for
//! the bond and usury industries): loans, leases and bonds beyond banks and
//! card companies. Each is a Loan account at its institution whose balance is
//! what is owed (how the world books them: `finhub_core::product::lending`);
//! the lists, basic/detail answers and histories run over the shared parts
//! (`sync::list`, `sync::held`, `history::history`), and the loan lines are
//! the bank's (`bank::loan_line`), so a repayment reads the same everywhere.
//!
//! - `capital`: instalment loans (할부금융-001..004) and operating leases
//!   (할부금융-005, 006) of installment-finance companies.
//! - `p2p`: P2P loans (P2P-001..004).
//! - `bond`: acquired bonds and money-lending debts (채권-001..003), one set of
//!   handlers served under `/v1/bond` and `/v1/usury`.

mod bond;
mod capital;
mod p2p;

use crate::common::{api, Api};
use crate::MydataState;
use axum::Router;
use finhub_core::institution::InstitutionKind;
use utoipa::OpenApi;

const CAPITAL: &[InstitutionKind] = &[InstitutionKind::Capital];
const P2P: &[InstitutionKind] = &[InstitutionKind::P2p];
const BONDS: &[InstitutionKind] = &[InstitutionKind::Bond, InstitutionKind::Usury];

/// The APIs this module serves, as 공통-001 lists them.
pub(crate) const APIS: &[Api] = &[
    api("할부금융-001", "CP01", "/loans", CAPITAL),
    api("할부금융-002", "CP02", "/loans/basic", CAPITAL),
    api("할부금융-003", "CP03", "/loans/detail", CAPITAL),
    api("할부금융-004", "CP04", "/loans/transactions", CAPITAL),
    api("할부금융-005", "CP05", "/loans/oplease/basic", CAPITAL),
    api(
        "할부금융-006",
        "CP06",
        "/loans/oplease/transactions",
        CAPITAL,
    ),
    api("P2P-001", "LD01", "/lendings", P2P),
    api("P2P-002", "LD02", "/lendings/basic", P2P),
    api("P2P-003", "LD03", "/lendings/detail", P2P),
    api("P2P-004", "LD04", "/lendings/transactions", P2P),
    api("채권-001", "BD01", "/bonds", BONDS),
    api("채권-002", "BD02", "/bonds/detail", BONDS),
    api("채권-003", "BD03", "/bonds/transactions", BONDS),
];

pub(crate) fn routes() -> Router<MydataState> {
    Router::new()
        .merge(capital::routes())
        .merge(p2p::routes())
        .merge(bond::routes())
}

/// The three industries' documents, merged.
pub(crate) struct Doc;

impl OpenApi for Doc {
    fn openapi() -> utoipa::openapi::OpenApi {
        let mut doc = capital::Doc::openapi();
        doc.merge(p2p::Doc::openapi());
        doc.merge(bond::Doc::openapi());
        doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_holds_every_api_the_table_lists() {
        let doc = Doc::openapi();
        let paths = &doc.paths.paths;
        assert_eq!(paths.len(), 6 + 4 + 3 * 2, "{:?}", paths.keys());
        for a in APIS {
            for &kind in a.industries {
                let p = format!("/v1/{}{}", crate::assets::industry(kind), a.uri);
                assert!(paths.contains_key(&p), "{} at {p}", a.id);
            }
        }
    }
}
