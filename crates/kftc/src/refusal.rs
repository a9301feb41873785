//! The face's side of core's money rules: which KFTC rule each `RuleId`
//! names, and how a core refusal reads in KFTC's codes.

use crate::codes::{BankRsp, Rsp};
use crate::error::KftcError;
use crate::wire::BankPart;
use finhub_core::account::{Account, AccountStatus};
use finhub_core::ledger::Rejection;
use finhub_core::payments::RuleId;

/// The KFTC rules and limits core keeps by id; the position in `ALL` is the id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KftcRule {
    /// The account's transfer (출금) consent is missing.
    TransferNotAgreed,
    /// A deposit quoted the wrong contract pass phrase.
    WrongPassPhrase,
    UserWdItem,
    OrgWdItem,
    OrgDpsItem,
    UserWdDay,
    OrgWdDay,
    OrgWdMonth,
    OrgDpsDay,
    OrgDpsMonth,
}

impl KftcRule {
    const ALL: [KftcRule; 10] = [
        Self::TransferNotAgreed,
        Self::WrongPassPhrase,
        Self::UserWdItem,
        Self::OrgWdItem,
        Self::OrgDpsItem,
        Self::UserWdDay,
        Self::OrgWdDay,
        Self::OrgWdMonth,
        Self::OrgDpsDay,
        Self::OrgDpsMonth,
    ];

    pub(crate) fn id(self) -> RuleId {
        RuleId(self as u16)
    }

    /// The rule a refusal names, if it names one of ours.
    pub(crate) fn of(r: &Rejection) -> Option<KftcRule> {
        let id = RuleId::of(r)?;
        Self::ALL.get(usize::from(id.0)).copied()
    }

    pub(crate) fn rsp(self) -> Rsp {
        match self {
            Self::TransferNotAgreed => Rsp::A0306,
            Self::WrongPassPhrase => Rsp::A0307,
            Self::UserWdItem => Rsp::A0111,
            Self::OrgWdItem => Rsp::A0105,
            Self::OrgDpsItem => Rsp::A0106,
            Self::UserWdDay => Rsp::A0112,
            Self::OrgWdDay => Rsp::A0103,
            Self::OrgWdMonth => Rsp::A0104,
            Self::OrgDpsDay => Rsp::A0101,
            Self::OrgDpsMonth => Rsp::A0102,
        }
    }
}

/// A recorded refusal's codes (an overdraft line shows as 453 here).
pub(crate) fn refusal_codes(r: &Rejection) -> (Rsp, Option<BankRsp>) {
    match r {
        Rejection::AccountClosed { .. }
        | Rejection::AccountUnusable {
            status: AccountStatus::Closed,
            ..
        } => (Rsp::A0002, Some(BankRsp::Closed)),
        Rejection::AccountNotFound { .. } => (Rsp::A0002, Some(BankRsp::NoAccount)),
        Rejection::InsufficientFunds { .. } => (Rsp::A0002, Some(BankRsp::Insufficient)),
        Rejection::NameMismatch { .. } => (Rsp::A0312, Some(BankRsp::NameMismatch)),
        Rejection::LimitExceeded { .. }
        | Rejection::ItemLimitExceeded { .. }
        | Rejection::Refused { .. } => (KftcRule::of(r).map_or(Rsp::A0003, KftcRule::rsp), None),
        _ => (Rsp::A0002, Some(BankRsp::NotProcessable)),
    }
}

/// The answer to a refusal as it happens: 453 when the balance is short,
/// 454 when an overdraft line makes it the available amount.
pub(crate) fn refusal(r: &Rejection, acc: &Account) -> (Rsp, Option<BankRsp>) {
    match r {
        Rejection::InsufficientFunds { .. } if acc.floor_minor < 0 => {
            (Rsp::A0002, Some(BankRsp::InsufficientAvailable))
        }
        other => refusal_codes(other),
    }
}

/// Where a refusal happened, for its bank_* group.
pub(crate) struct At<'a> {
    pub bank_code: &'a str,
    pub bank_tran_id: &'a str,
    pub date: &'a str,
}

/// A refusal as the error answer of a single movement or an inquiry; an
/// institution in outage says so after the message.
pub(crate) fn refused(r: &Rejection, acc: &Account, at: &At<'_>) -> KftcError {
    let (rsp, bank) = refusal(r, acc);
    let mut e = KftcError::new(rsp);
    e.bank = bank.map(|b| Box::new(BankPart::new(at.bank_code, at.bank_tran_id, at.date, b)));
    if matches!(r, Rejection::InstitutionUnavailable { .. }) {
        e.detail = Some("참가기관 서비스 불가".into());
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_id_comes_back_as_its_rule() {
        for r in KftcRule::ALL {
            let item = Rejection::ItemLimitExceeded {
                limit: r.id(),
                max_minor: 1,
            };
            assert_eq!(KftcRule::of(&item), Some(r));
            let period = Rejection::LimitExceeded {
                code: r.id().tag(),
                remaining_minor: 0,
            };
            assert_eq!(KftcRule::of(&period), Some(r));
            assert_eq!(KftcRule::of(&Rejection::Refused { rule: r.id() }), Some(r));
        }
        let foreign = Rejection::Refused { rule: RuleId(999) };
        assert_eq!(KftcRule::of(&foreign), None);
        assert_eq!(refusal_codes(&foreign).0, Rsp::A0003);
    }
}
