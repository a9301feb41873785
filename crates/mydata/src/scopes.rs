//! The consent scopes of mydata.md §5.7 as data: each detailed scope's
//! industry and the kinds of world account it opens, the `{industry}.list`
//! scopes, and what a person holds at an institution under given scopes.
//!
//! A kind opens only at an institution of the scope's industry: a loan is
//! `bank.loan` at a bank and `card.loan` at a card company.

use crate::assets::industry;
use finhub_core::account::{Account, AccountKind, AccountStatus};
use finhub_core::institution::Institution;
use finhub_core::world::World;
use finhub_core::CoreResult;
use finhub_oauth::Lang;

use AccountKind::{
    Card, Demand, Fund, Insurance, Irp, Loan, Payment, Prepaid, Savings, Securities, Telecom,
};

/// One scope: its industry and the account kinds whose APIs it opens
/// (none for the list scopes, which open the industry's list APIs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    pub scope: &'static str,
    pub industry: &'static str,
    pub kinds: &'static [AccountKind],
    /// What it lets the operator receive, in Korean and in English.
    pub words: (&'static str, &'static str),
}

const fn s(
    scope: &'static str,
    industry: &'static str,
    kinds: &'static [AccountKind],
    words: (&'static str, &'static str),
) -> Scope {
    Scope {
        scope,
        industry,
        kinds,
        words,
    }
}

/// Every scope a mydata client may register (34).
pub const SCOPES: &[Scope] = &[
    s(
        "bank.list",
        "bank",
        &[],
        ("은행 계좌 목록", "The list of your bank accounts"),
    ),
    s(
        "bank.deposit",
        "bank",
        &[Demand, Savings],
        (
            "예금·적금 계좌 정보와 거래내역",
            "Deposit and savings accounts and their transactions",
        ),
    ),
    s(
        "bank.invest",
        "bank",
        &[Fund],
        (
            "투자상품(펀드) 계좌 정보와 거래내역",
            "Investment (fund) accounts and their transactions",
        ),
    ),
    s(
        "bank.loan",
        "bank",
        &[Loan],
        (
            "대출 계좌 정보와 거래내역",
            "Loan accounts and their transactions",
        ),
    ),
    s(
        "bank.irp",
        "bank",
        &[Irp],
        (
            "개인형 IRP 계좌 정보와 거래내역",
            "Individual retirement pension (IRP) accounts",
        ),
    ),
    s(
        "bank.prepaid",
        "bank",
        &[Prepaid],
        (
            "선불카드 잔액과 거래내역",
            "Prepaid cards: balances and transactions",
        ),
    ),
    s(
        "card.list",
        "card",
        &[],
        ("카드 목록", "The list of your cards"),
    ),
    s(
        "card.card",
        "card",
        &[Card],
        ("카드 정보와 승인내역", "Card details and approvals"),
    ),
    s(
        "card.point",
        "card",
        &[Card],
        ("포인트 정보", "Card points"),
    ),
    s(
        "card.bill",
        "card",
        &[Card],
        ("청구·결제 정보", "Bills and payments"),
    ),
    s(
        "card.loan",
        "card",
        &[Loan],
        ("카드대출 정보", "Card loans"),
    ),
    s(
        "card.prepaid",
        "card",
        &[Prepaid],
        (
            "선불카드 잔액과 거래내역",
            "Prepaid cards: balances and transactions",
        ),
    ),
    s(
        "invest.list",
        "invest",
        &[],
        ("증권 계좌 목록", "The list of your securities accounts"),
    ),
    s(
        "invest.account",
        "invest",
        &[Securities, Fund],
        (
            "증권 계좌 정보와 거래내역",
            "Securities accounts, holdings and transactions",
        ),
    ),
    s(
        "invest.irp",
        "invest",
        &[Irp],
        (
            "개인형 IRP 계좌 정보와 거래내역",
            "Individual retirement pension (IRP) accounts",
        ),
    ),
    s(
        "insu.list",
        "insu",
        &[],
        (
            "보험 계약·대출 목록",
            "The list of your policies and policy loans",
        ),
    ),
    s(
        "insu.insurance",
        "insu",
        &[Insurance],
        ("보험 계약 정보", "Insurance policies"),
    ),
    s(
        "insu.loan",
        "insu",
        &[Loan],
        ("보험계약대출 정보", "Policy loans"),
    ),
    s(
        "insu.irp",
        "insu",
        &[Irp],
        (
            "개인형 IRP 계좌 정보와 거래내역",
            "Individual retirement pension (IRP) accounts",
        ),
    ),
    s(
        "efin.list",
        "efin",
        &[],
        ("전자금융 계정 목록", "The list of your e-finance accounts"),
    ),
    s(
        "efin.prepaid",
        "efin",
        &[Prepaid],
        (
            "선불 충전금 잔액과 거래내역",
            "Prepaid balances and transactions",
        ),
    ),
    s(
        "efin.paid",
        "efin",
        &[Payment],
        ("결제수단과 결제내역", "Payment methods and payments"),
    ),
    s(
        "capital.list",
        "capital",
        &[],
        (
            "할부금융 계약 목록",
            "The list of your instalment-finance contracts",
        ),
    ),
    s(
        "capital.loan",
        "capital",
        &[Loan],
        (
            "대출·리스 정보와 거래내역",
            "Loans and leases and their transactions",
        ),
    ),
    s(
        "ginsu.list",
        "ginsu",
        &[],
        ("보증보험 목록", "The list of your guarantee insurances"),
    ),
    s(
        "ginsu.insurance",
        "ginsu",
        &[Insurance],
        (
            "보증보험 정보와 거래내역",
            "Guarantee insurances and their payments",
        ),
    ),
    s(
        "telecom.list",
        "telecom",
        &[],
        ("통신 계약 목록", "The list of your telecom contracts"),
    ),
    s(
        "telecom.mgmt",
        "telecom",
        &[Telecom],
        ("통신 청구·납부 내역", "Telecom bills and payments"),
    ),
    s(
        "p2p.list",
        "p2p",
        &[],
        ("P2P 대출 목록", "The list of your P2P loans"),
    ),
    s(
        "p2p.lending",
        "p2p",
        &[Loan],
        (
            "P2P 대출 정보와 거래내역",
            "P2P loans and their transactions",
        ),
    ),
    s(
        "bond.list",
        "bond",
        &[],
        ("채권 목록", "The list of your acquired bonds"),
    ),
    s(
        "bond.bond",
        "bond",
        &[Loan],
        (
            "채권 정보와 거래내역",
            "Acquired bonds and their transactions",
        ),
    ),
    s(
        "usury.list",
        "usury",
        &[],
        ("대부 채권 목록", "The list of your money-lending debts"),
    ),
    s(
        "usury.bond",
        "usury",
        &[Loan],
        (
            "대부 채권 정보와 거래내역",
            "Money-lending debts and their transactions",
        ),
    ),
];

/// The support-API scope (지원-001/101): a client registered with it alone.
pub const MANAGE: &str = "manage";

/// Every scope name, in the table's order.
pub fn all() -> Vec<&'static str> {
    SCOPES.iter().map(|s| s.scope).collect()
}

/// The scope `name`, if it is one of §5.7.
pub fn scope(name: &str) -> Option<&'static Scope> {
    SCOPES.iter().find(|s| s.scope == name)
}

/// What `name` lets the operator receive, in `lang`.
pub fn words(name: &str, lang: Lang) -> Option<&'static str> {
    scope(name).map(|s| lang.pick(s.words.0, s.words.1))
}

/// `{industry}.list`: part of every consent at an institution of the industry.
pub fn list_scope(industry: &str) -> String {
    format!("{industry}.list")
}

/// Whether `name` is an asset-list scope.
pub fn is_list(name: &str) -> bool {
    scope(name).is_some_and(|s| s.kinds.is_empty() && s.scope.ends_with(".list"))
}

/// Whether `scope` opens an account of `kind` at an institution of `industry`.
pub fn opens(scope: &str, industry: &str, kind: AccountKind) -> bool {
    self::scope(scope).is_some_and(|s| s.industry == industry && s.kinds.contains(&kind))
}

/// The first detailed scope that opens an account of `kind` at an
/// institution of `industry` (what `GET /sandbox/people/{id}/assets` names):
/// a card `card.card`, a loan at a bank `bank.loan`, at a card company `card.loan`.
pub fn scope_of(industry: &str, kind: AccountKind) -> Option<&'static str> {
    SCOPES
        .iter()
        .find(|s| s.industry == industry && s.kinds.contains(&kind))
        .map(|s| s.scope)
}

/// Whether an account may be put into a consent under `scopes` at `inst`:
/// the person's, at that institution, not closed, of a kind a scope opens.
pub fn under_scopes(a: &Account, inst: &Institution, scopes: &[String]) -> bool {
    let ind = industry(inst.kind);
    a.org_code == inst.org_code
        && a.person_id.is_some()
        && a.status != AccountStatus::Closed
        && scopes.iter().any(|s| opens(s, ind, a.kind))
}

/// What `person_id` holds at `inst` that `scopes` open, in opening order:
/// the assets a consent there may choose (and chooses by default).
pub async fn assets_at(
    world: &World,
    person_id: &str,
    inst: &Institution,
    scopes: &[String],
) -> CoreResult<Vec<Account>> {
    let mut held = world.repo.accounts_of_person(person_id).await?;
    held.retain(|a| under_scopes(a, inst, scopes));
    held.sort_by(|a, b| (a.opened_at, &a.account_id).cmp(&(b.opened_at, &b.account_id)));
    Ok(held)
}

#[cfg(test)]
mod tests {
    use super::*;
    use finhub_core::institution::InstitutionKind;

    #[test]
    fn thirty_four_scopes_each_once_with_a_list_scope_per_industry() {
        let names = all();
        assert_eq!(names.len(), 34);
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 34);
        for kind in InstitutionKind::ALL {
            let list = list_scope(industry(kind));
            assert!(is_list(&list), "{list}");
        }
        assert!(names.contains(&"card.prepaid") && !is_list("bank.deposit"));
        for s in SCOPES {
            assert!(s.scope.starts_with(&format!("{}.", s.industry)), "{s:?}");
        }
    }

    #[test]
    fn a_kind_opens_by_the_institution_s_industry() {
        assert!(opens("bank.deposit", "bank", Demand) && opens("bank.deposit", "bank", Savings));
        assert!(opens("bank.loan", "bank", Loan) && !opens("bank.loan", "card", Loan));
        assert!(opens("card.loan", "card", Loan) && !opens("card.card", "card", Loan));
        assert!(opens("card.point", "card", Card) && opens("card.bill", "card", Card));
        assert!(opens("invest.irp", "invest", Irp) && opens("bank.irp", "bank", Irp));
        assert!(opens("card.prepaid", "card", Prepaid) && opens("bank.prepaid", "bank", Prepaid));
        assert!(
            opens("invest.account", "invest", Securities)
                && opens("invest.account", "invest", Fund)
        );
        assert!(!opens("bank.list", "bank", Demand) && !opens("nope", "bank", Demand));
        assert_eq!(scope_of("card", Loan), Some("card.loan"));
        assert_eq!(scope_of("bank", Loan), Some("bank.loan"));
        assert_eq!(scope_of("card", Card), Some("card.card"));
        assert_eq!(scope_of("bank", Fund), Some("bank.invest"));
        assert_eq!(scope_of("invest", Fund), Some("invest.account"));
        assert_eq!(scope_of("bank", Card), None);
    }
}
