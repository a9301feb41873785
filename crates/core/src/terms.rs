//! Terms of service each participating institution publishes, with the date
//! each version takes effect. New versions are announced two weeks ahead.

use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    pub org_code: String,
    pub title: String,
    pub version: String,
    pub effective_date: NaiveDate,
    /// True for the version in force today, false for an upcoming one.
    pub current: bool,
}

/// The versions every institution of the default world publishes.
const VERSIONS: &[(&str, (i32, u32, u32))] = &[
    ("1.0", (2019, 12, 18)),
    ("2.0", (2024, 1, 1)),
    ("3.0", (2027, 1, 1)),
];

/// The version in force on `today` and every later one.
pub fn terms_of(org_code: &str, name: &str, today: NaiveDate) -> Vec<Terms> {
    let dated: Vec<(String, NaiveDate)> = VERSIONS
        .iter()
        .filter_map(|(v, (y, m, d))| {
            NaiveDate::from_ymd_opt(*y, *m, *d).map(|dt| (v.to_string(), dt))
        })
        .collect();
    let current = dated.iter().rposition(|(_, d)| *d <= today);
    dated
        .into_iter()
        .enumerate()
        .filter(|(i, _)| current.is_none_or(|c| *i >= c))
        .map(|(i, (version, effective_date))| Terms {
            org_code: org_code.to_owned(),
            title: format!("{name} 오픈뱅킹 서비스 이용약관"),
            version,
            effective_date,
            current: Some(i) == current,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn current_and_upcoming_versions() {
        let t = terms_of(
            "BA00000004",
            "국민은행",
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        );
        assert_eq!(t.len(), 2);
        assert!(t[0].current && t[0].version == "2.0");
        assert!(!t[1].current && t[1].version == "3.0");
    }
}
