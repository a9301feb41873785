//! A world account as a MyData asset: the id the APIs take for it, the
//! industry and detailed scope that open it, the APIs that serve it.

use finhub_core::account::{Account, AccountKind};
use finhub_core::institution::InstitutionKind;

/// The id an API takes for the account: cards and prepaid cards their
/// `card_id` / `pp_id` (the account number as the world keeps it), the rest
/// the account number without `-`.
pub fn asset_id(a: &Account) -> String {
    match a.kind {
        AccountKind::Card | AccountKind::Prepaid => a.account_num.clone(),
        _ => a.account_num.replace('-', ""),
    }
}

/// The MyData industry code of an institution (mydata.md §1).
pub fn industry(kind: InstitutionKind) -> &'static str {
    match kind {
        InstitutionKind::Bank => "bank",
        InstitutionKind::Card => "card",
        InstitutionKind::Invest => "invest",
        InstitutionKind::Insurance => "insu",
        InstitutionKind::Efin => "efin",
        InstitutionKind::Capital => "capital",
        InstitutionKind::Guarantee => "ginsu",
        InstitutionKind::Telecom => "telecom",
        InstitutionKind::P2p => "p2p",
        InstitutionKind::Bond => "bond",
        InstitutionKind::Usury => "usury",
    }
}
