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

use AccountKind::{Card, Demand, Fund, Insurance, Irp, Loan, Prepaid, Savings, Securities};

/// One scope: its industry and the account kinds whose APIs it opens
/// (none for the list scopes, which open the industry's list APIs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    pub scope: &'static str,
    pub industry: &'static str,
    pub kinds: &'static [AccountKind],
}

const fn s(scope: &'static str, industry: &'static str, kinds: &'static [AccountKind]) -> Scope {
    Scope {
        scope,
        industry,
        kinds,
    }
}

/// Every scope a mydata client may register (34). E-finance payment
/// accounts (`efin.paid`) and telecom contracts (`telecom.mgmt`) have no
/// world account kind yet, so they open nothing.
pub const SCOPES: &[Scope] = &[
    s("bank.list", "bank", &[]),
    s("bank.deposit", "bank", &[Demand, Savings]),
    s("bank.invest", "bank", &[Fund]),
    s("bank.loan", "bank", &[Loan]),
    s("bank.irp", "bank", &[Irp]),
    s("bank.prepaid", "bank", &[Prepaid]),
    s("card.list", "card", &[]),
    s("card.card", "card", &[Card]),
    s("card.point", "card", &[Card]),
    s("card.bill", "card", &[Card]),
    s("card.loan", "card", &[Loan]),
    s("card.prepaid", "card", &[Prepaid]),
    s("invest.list", "invest", &[]),
    s("invest.account", "invest", &[Securities, Fund]),
    s("invest.irp", "invest", &[Irp]),
    s("insu.list", "insu", &[]),
    s("insu.insurance", "insu", &[Insurance]),
    s("insu.loan", "insu", &[Loan]),
    s("insu.irp", "insu", &[Irp]),
    s("efin.list", "efin", &[]),
    s("efin.prepaid", "efin", &[Prepaid]),
    s("efin.paid", "efin", &[]),
    s("capital.list", "capital", &[]),
    s("capital.loan", "capital", &[Loan]),
    s("ginsu.list", "ginsu", &[]),
    s("ginsu.insurance", "ginsu", &[Insurance]),
    s("telecom.list", "telecom", &[]),
    s("telecom.mgmt", "telecom", &[]),
    s("p2p.list", "p2p", &[]),
    s("p2p.lending", "p2p", &[Loan]),
    s("bond.list", "bond", &[]),
    s("bond.bond", "bond", &[Loan]),
    s("usury.list", "usury", &[]),
    s("usury.bond", "usury", &[Loan]),
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
