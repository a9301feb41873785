//! The products people hold: real KRX listings, fund names, card lines.
//! Prices are round figures near their recent levels, fixed so a seed gives
//! the same world on any day.

/// A listed product: exchange code (or standard fund code), name, class and
/// price per unit in won.
pub(crate) struct Listing {
    pub code: &'static str,
    pub name: &'static str,
    pub class: &'static str,
    pub price: i64,
    /// Dividend per unit paid once a year (in April), in won.
    pub dividend: i64,
}

const fn listing(
    code: &'static str,
    name: &'static str,
    class: &'static str,
    price: i64,
    dividend: i64,
) -> Listing {
    Listing {
        code,
        name,
        class,
        price,
        dividend,
    }
}

pub(crate) const STOCKS: &[Listing] = &[
    listing("005930", "삼성전자", "stock", 71_000, 1_444),
    listing("000660", "SK하이닉스", "stock", 182_000, 1_200),
    listing("035420", "NAVER", "stock", 192_000, 1_100),
    listing("035720", "카카오", "stock", 41_500, 60),
    listing("005380", "현대차", "stock", 231_000, 11_400),
    listing("051910", "LG화학", "stock", 342_000, 3_500),
    listing("068270", "셀트리온", "stock", 178_000, 500),
    listing("105560", "KB금융", "stock", 81_200, 3_060),
    listing("055550", "신한지주", "stock", 52_300, 2_100),
    listing("017670", "SK텔레콤", "stock", 51_800, 3_540),
    listing("069500", "KODEX 200", "etf", 35_400, 560),
    listing("360750", "TIGER 미국S&P500", "etf", 18_900, 150),
    listing("133690", "TIGER 미국나스닥100", "etf", 112_000, 0),
    listing("229200", "KODEX 코스닥150", "etf", 12_300, 0),
];

/// Funds, with KOFIA-style 12-character standard codes. The price is the
/// NAV per 1,000 units.
pub(crate) const FUNDS: &[Listing] = &[
    listing(
        "KR5101AB1234",
        "미래에셋인디아디스커버리증권자투자신탁 1(주식)",
        "fund",
        1_482,
        0,
    ),
    listing(
        "KR5223CD5678",
        "KB스타코리아인덱스증권자투자신탁(주식-파생형)",
        "fund",
        1_215,
        0,
    ),
    listing(
        "KR5301EF2468",
        "삼성한국형TDF2045증권투자신탁H[주식혼합-재간접형]",
        "fund",
        1_356,
        0,
    ),
    listing(
        "KR5370GH1357",
        "신한마음편한TDF2035증권투자신탁[주식혼합-재간접형]",
        "fund",
        1_198,
        0,
    ),
    listing(
        "KR5105JK8642",
        "한국투자네비게이터증권투자신탁 1(주식)",
        "fund",
        2_034,
        0,
    ),
    listing(
        "KR5236LM9753",
        "하나머니마켓증권투자신탁(채권)",
        "fund",
        1_041,
        0,
    ),
];

/// Card products per company name: (product, brand, annual fee).
pub(crate) fn card_lines(company: &str) -> &'static [(&'static str, &'static str, i64)] {
    match company {
        "신한카드" => &[
            ("신한카드 Deep Dream", "VISA", 8_000),
            ("신한카드 Mr.Life", "MASTER", 15_000),
            ("신한카드 The BEST-F", "AMEX", 120_000),
        ],
        "삼성카드" => &[
            ("삼성카드 taptap O", "VISA", 10_000),
            ("삼성 iD ON 카드", "MASTER", 20_000),
        ],
        "KB국민카드" => &[
            ("KB국민 톡톡D 카드", "LOCAL", 5_000),
            ("KB국민 My WE:SH 카드", "VISA", 15_000),
        ],
        _ => &[
            ("현대카드 ZERO Edition2", "MASTER", 10_000),
            ("현대카드M", "VISA", 30_000),
            ("현대카드X", "JCB", 30_000),
        ],
    }
}

/// The company's point programme.
pub(crate) fn point_name(company: &str) -> &'static str {
    match company {
        "신한카드" => "마이신한포인트",
        "삼성카드" => "삼성카드 보너스포인트",
        "KB국민카드" => "KB포인트리",
        _ => "M포인트",
    }
}

/// The first digits of a card number by brand.
pub(crate) fn bin(brand: &str) -> &'static str {
    match brand {
        "VISA" => "4518",
        "MASTER" => "5412",
        "AMEX" => "3762",
        "JCB" => "3568",
        _ => "9410",
    }
}

/// Won per unit of a foreign currency, in thousandths (1,380.000 won per USD).
pub(crate) fn krw_per_unit_milli(currency: &str) -> i64 {
    match currency {
        "USD" => 1_380_000,
        "JPY" => 9_200,
        "EUR" => 1_495_000,
        "GBP" => 1_752_000,
        "SGD" => 1_028_000,
        _ => 1_000_000,
    }
}

/// IRP products: (name, kind, rate in thousandths of a percent).
pub(crate) const IRP_PRODUCTS: &[(&str, finhub_core::product::IrpProductKind, Option<i64>)] = {
    use finhub_core::product::IrpProductKind::{NotGuaranteed, Other, PrincipalGuaranteed};
    &[
        (
            "정기예금(원리금보장형) 3년",
            PrincipalGuaranteed,
            Some(3_450),
        ),
        ("이율보증형보험 1년", PrincipalGuaranteed, Some(3_100)),
        (
            "미래에셋전략배분TDF2045혼합자산자투자신탁",
            NotGuaranteed,
            None,
        ),
        (
            "KB온국민TDF2040증권자투자신탁(주식혼합-재간접형)",
            NotGuaranteed,
            None,
        ),
        ("현금성자산(대기자금)", Other, Some(500)),
    ]
};

/// What a purchase at each domestic merchant of the core catalogue costs,
/// in thousands of won (low, high), and whether it sells big-ticket items
/// people pay in instalments.
pub(crate) type Spending = (&'static str, i64, i64, bool);

pub(crate) const SPENDING: &[Spending] = &[
    ("GS25 역삼점", 1, 25, false),
    ("CU 서초점", 1, 25, false),
    ("세븐일레븐 강남점", 1, 20, false),
    ("이마트 성수점", 15, 250, true),
    ("홈플러스 영등포점", 15, 220, true),
    ("롯데마트 잠실점", 15, 230, true),
    ("스타벅스 광화문점", 4, 30, false),
    ("투썸플레이스 홍대점", 4, 35, false),
    ("파리바게뜨 신촌점", 3, 30, false),
    ("올리브영 명동점", 8, 80, false),
    ("다이소 종로점", 2, 30, false),
    ("쿠팡", 8, 200, true),
    ("배달의민족", 12, 45, false),
    ("카카오T", 4, 40, false),
    ("SK에너지 판교주유소", 30, 120, false),
    ("GS칼텍스 분당주유소", 30, 120, false),
    ("CGV 용산아이파크몰", 12, 40, false),
    ("교보문고 광화문점", 10, 60, false),
    ("김밥천국 시청점", 4, 15, false),
    ("서울대병원", 5, 300, true),
];

/// Korean names that send small amounts to people (friends settling a bill).
pub(crate) const SENDERS: &[&str] = &[
    "김민준",
    "이서연",
    "박지훈",
    "최수아",
    "정우진",
    "강하은",
    "조현우",
    "윤지민",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spending_rows_and_listings_are_sound() {
        for (name, lo, hi, _) in SPENDING {
            let m = finhub_core::merchant::merchant(name).expect(name);
            assert!(!m.is_overseas() && lo <= hi, "{name}");
        }
        for l in STOCKS.iter().chain(FUNDS) {
            assert!(l.price > 0, "{}", l.code);
        }
        for l in STOCKS {
            assert!(l.code.len() == 6 && l.code.bytes().all(|b| b.is_ascii_digit()));
        }
        for f in FUNDS {
            assert_eq!(f.code.len(), 12, "{}", f.code);
        }
    }
}
