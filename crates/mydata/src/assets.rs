//! A world account as a MyData asset: the id the APIs take for it, the
//! industry and detailed scope that open it, the APIs that serve it.

use finhub_core::account::{Account, AccountKind};
use finhub_core::institution::InstitutionKind;
use finhub_core::product::{LoanType, ProductTerms, SecuritiesKind};

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

/// The institution kind an industry code names (`bank`, `insu`, ...).
pub fn industry_kind(code: &str) -> Option<InstitutionKind> {
    InstitutionKind::ALL
        .into_iter()
        .find(|k| industry(*k) == code)
}

/// What opens an asset's APIs: the detailed consent scope (mydata.md §5.7)
/// and the ids of the APIs that serve it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssetApis {
    pub scope: &'static str,
    pub apis: &'static [&'static str],
}

/// The scope and APIs of an account held at an institution of `inst`
/// kind: the scope as `scopes::scope_of` names it, the APIs that serve an
/// asset under it; None for what is not a MyData asset (contract and
/// settlement accounts, kinds an industry does not serve).
pub fn asset_apis(
    inst: InstitutionKind,
    a: &Account,
    terms: Option<&ProductTerms>,
) -> Option<AssetApis> {
    let scope = crate::scopes::scope_of(industry(inst), a.kind)?;
    let apis = apis_of(scope, terms)?;
    Some(AssetApis { scope, apis })
}

/// The APIs that take an asset opened by `scope` (its list API aside).
fn apis_of(scope: &str, terms: Option<&ProductTerms>) -> Option<&'static [&'static str]> {
    Some(match scope {
        "bank.deposit" => &["은행-002", "은행-003", "은행-004"],
        "bank.invest" => &["은행-005", "은행-006", "은행-007"],
        "bank.loan" => &["은행-008", "은행-009", "은행-010"],
        "bank.irp" | "invest.irp" | "insu.irp" => &["IRP-002", "IRP-003", "IRP-004"],
        "bank.prepaid" | "card.prepaid" => &["선불-002", "선불-003", "선불-004"],
        "card.card" => &["카드-002", "카드-008", "카드-009"],
        "card.loan" => match terms {
            Some(ProductTerms::Loan(l)) if l.loan_type == LoanType::CashAdvance => &["카드-011"],
            _ => &["카드-012"],
        },
        "invest.account" => match terms {
            Some(ProductTerms::Securities(s)) if s.kind == SecuritiesKind::PensionSavings => {
                &["금투-002", "금투-003", "금투-004", "금투-005"]
            }
            _ => &["금투-002", "금투-003", "금투-004"],
        },
        "insu.insurance" => match terms {
            Some(ProductTerms::Insurance(i)) if i.car.is_some() => &[
                "보험-002",
                "보험-003",
                "보험-004",
                "보험-005",
                "보험-006",
                "보험-007",
                "보험-012",
            ],
            _ => &["보험-002", "보험-003", "보험-005", "보험-006", "보험-012"],
        },
        "insu.loan" => &["보험-009", "보험-010", "보험-011"],
        "efin.prepaid" => &["전금-002", "전금-003", "전금-004"],
        "efin.paid" => &["전금-102", "전금-103"],
        "capital.loan" => match terms {
            Some(ProductTerms::Lease(_)) => &["할부금융-005", "할부금융-006"],
            _ => &["할부금융-002", "할부금융-003", "할부금융-004"],
        },
        "telecom.mgmt" => &["통신-002", "통신-003", "통신-004"],
        "ginsu.insurance" => &["보증보험-002", "보증보험-003"],
        "p2p.lending" => &["P2P-002", "P2P-003", "P2P-004"],
        "bond.bond" | "usury.bond" => &["채권-002", "채권-003"],
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use finhub_core::account::AccountStatus;
    use finhub_core::money::Currency;

    fn account(kind: AccountKind, num: &str) -> Account {
        Account {
            account_id: "a".into(),
            org_code: "BA00000004".into(),
            account_num: num.into(),
            kind,
            product_name: "p".into(),
            currency: Currency::KRW,
            person_id: Some("p".into()),
            holder_name: "h".into(),
            opened_at: Utc::now(),
            closed_at: None,
            maturity_date: None,
            status: AccountStatus::Active,
            floor_minor: 0,
            balance_minor: 0,
            last_tran_at: None,
        }
    }

    #[test]
    fn bank_accounts_are_their_number_without_dashes_under_their_scope() {
        let a = account(AccountKind::Demand, "123-456789-01234");
        assert_eq!(asset_id(&a), "12345678901234");
        let apis = asset_apis(InstitutionKind::Bank, &a, None).unwrap();
        assert_eq!(apis.scope, "bank.deposit");
        assert_eq!(apis.apis, ["은행-002", "은행-003", "은행-004"]);
        let irp = account(AccountKind::Irp, "1-2");
        assert_eq!(
            asset_apis(InstitutionKind::Invest, &irp, None)
                .unwrap()
                .scope,
            "invest.irp"
        );
        let c = account(AccountKind::Contract, "1");
        assert_eq!(asset_apis(InstitutionKind::Bank, &c, None), None);
    }

    #[test]
    fn industry_codes_round_trip() {
        for k in InstitutionKind::ALL {
            assert_eq!(industry_kind(industry(k)), Some(k));
        }
        assert_eq!(industry_kind("insurance"), None);
    }
}
