//! Financial institutions: banks, card companies, insurers and the rest.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstitutionKind {
    Bank,
    Card,
    Invest,
    Insurance,
    Efin,
    Capital,
    Guarantee,
    Telecom,
    P2p,
    Bond,
    /// Money lenders (대부업).
    Usury,
}

impl InstitutionKind {
    pub const ALL: [InstitutionKind; 11] = [
        Self::Bank,
        Self::Card,
        Self::Invest,
        Self::Insurance,
        Self::Efin,
        Self::Capital,
        Self::Guarantee,
        Self::Telecom,
        Self::P2p,
        Self::Bond,
        Self::Usury,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Bank => "bank",
            Self::Card => "card",
            Self::Invest => "invest",
            Self::Insurance => "insurance",
            Self::Efin => "efin",
            Self::Capital => "capital",
            Self::Guarantee => "guarantee",
            Self::Telecom => "telecom",
            Self::P2p => "p2p",
            Self::Bond => "bond",
            Self::Usury => "usury",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Two-letter prefix of the 10-character organisation code.
    pub fn org_prefix(&self) -> &'static str {
        match self {
            Self::Bank => "BA",
            Self::Card => "CD",
            Self::Invest => "IV",
            Self::Insurance => "IS",
            Self::Efin => "EF",
            Self::Capital => "CP",
            Self::Guarantee => "GI",
            Self::Telecom => "TC",
            Self::P2p => "PP",
            Self::Bond => "BD",
            Self::Usury => "UR",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceStatus {
    Active,
    Outage,
    NotStarted,
    Ended,
}

impl ServiceStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Outage => "outage",
            Self::NotStarted => "not_started",
            Self::Ended => "ended",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Active, Self::Outage, Self::NotStarted, Self::Ended]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
    pub fn is_available(&self) -> bool {
        matches!(self, Self::Active)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Institution {
    /// The 10-character organisation code; the institution's primary key.
    pub org_code: String,
    pub kind: InstitutionKind,
    /// KFTC 3-digit standard bank code, where the institution has one.
    pub bank_code: Option<String>,
    pub name: String,
    pub status: ServiceStatus,
}

impl Institution {
    /// The settlement account that funds every account the institution opens:
    /// its balance is the negative of what it owes its customers.
    pub fn settlement_account_num(&self) -> String {
        format!("SETTLE-{}", self.org_code)
    }
}

/// Organisation code for an institution: industry prefix + 8 characters.
pub fn org_code_for(kind: InstitutionKind, local: &str) -> String {
    format!("{}{:0>8}", kind.org_prefix(), local)
}

/// The Korean banks and their KFTC standard codes, as the default world holds them.
pub const KOREAN_BANKS: &[(&str, &str)] = &[
    ("002", "산업은행"),
    ("003", "기업은행"),
    ("004", "국민은행"),
    ("007", "수협은행"),
    ("008", "수출입은행"),
    ("011", "농협은행"),
    ("012", "지역 농·축협"),
    ("020", "우리은행"),
    ("023", "SC제일은행"),
    ("027", "한국씨티은행"),
    ("031", "iM뱅크"),
    ("032", "부산은행"),
    ("034", "광주은행"),
    ("035", "제주은행"),
    ("037", "전북은행"),
    ("039", "경남은행"),
    ("045", "새마을금고"),
    ("048", "신협중앙회"),
    ("050", "저축은행"),
    ("064", "산림조합중앙회"),
    ("071", "우체국"),
    ("081", "하나은행"),
    ("088", "신한은행"),
    ("089", "케이뱅크"),
    ("090", "카카오뱅크"),
    ("092", "토스뱅크"),
    ("097", "오픈은행"),
];

/// Other institutions of the default world, one or more per industry.
pub const OTHER_INSTITUTIONS: &[(InstitutionKind, &str, &str)] = &[
    (InstitutionKind::Card, "00000001", "신한카드"),
    (InstitutionKind::Card, "00000002", "삼성카드"),
    (InstitutionKind::Card, "00000003", "KB국민카드"),
    (InstitutionKind::Card, "00000004", "현대카드"),
    (InstitutionKind::Invest, "00000238", "미래에셋증권"),
    (InstitutionKind::Invest, "00000243", "한국투자증권"),
    (InstitutionKind::Insurance, "00000001", "삼성생명"),
    (InstitutionKind::Insurance, "00000002", "한화생명"),
    (InstitutionKind::Insurance, "00000003", "DB손해보험"),
    (InstitutionKind::Efin, "00000001", "카카오페이"),
    (InstitutionKind::Efin, "00000002", "네이버파이낸셜"),
    // The prepaid platform of the Konaplate face (crate::konaplate::PLATFORM_LOCAL).
    (InstitutionKind::Efin, "00000003", "코나아이"),
    (InstitutionKind::Capital, "00000001", "현대캐피탈"),
    (InstitutionKind::Guarantee, "00000001", "서울보증보험"),
    (InstitutionKind::Telecom, "00000001", "SK텔레콤"),
    (InstitutionKind::Telecom, "00000002", "KT"),
    (InstitutionKind::P2p, "00000001", "8퍼센트"),
    (InstitutionKind::Bond, "00000001", "우리에프앤아이"),
    (InstitutionKind::Usury, "00000001", "리드코프"),
];

/// The institutions every world starts with.
pub fn default_institutions() -> Vec<Institution> {
    let mut out: Vec<Institution> = KOREAN_BANKS
        .iter()
        .map(|(code, name)| Institution {
            org_code: org_code_for(InstitutionKind::Bank, code),
            kind: InstitutionKind::Bank,
            bank_code: Some((*code).to_owned()),
            name: (*name).to_owned(),
            status: ServiceStatus::Active,
        })
        .collect();
    out.extend(
        OTHER_INSTITUTIONS
            .iter()
            .map(|(kind, local, name)| Institution {
                org_code: org_code_for(*kind, local),
                kind: *kind,
                bank_code: None,
                name: (*name).to_owned(),
                status: ServiceStatus::Active,
            }),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_world_has_real_banks_with_unique_codes() {
        let all = default_institutions();
        let kb = all
            .iter()
            .find(|i| i.bank_code.as_deref() == Some("004"))
            .unwrap();
        assert_eq!(kb.name, "국민은행");
        assert_eq!(kb.org_code.len(), 10);
        let mut codes: Vec<_> = all.iter().map(|i| i.org_code.clone()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        for kind in InstitutionKind::ALL {
            assert!(
                all.iter().any(|i| i.kind == kind),
                "no institution of kind {kind:?}"
            );
        }
    }
}
