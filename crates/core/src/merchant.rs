//! Merchants a card is used at, and the memo text card and trade postings
//! carry. The memo is the one place a posting says "instalments" or "bought
//! ten shares", so its format is owned here: the generator writes it with
//! `encode`, faces read it back with `decode` and never guess at the text.

/// A shop a card approval names as its counterparty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merchant {
    pub name: &'static str,
    /// Domestic merchants: the business registration number `123-45-67890`.
    pub business_num: Option<&'static str>,
    /// Overseas merchants: ISO 3166-1 alpha-2 country and ISO 4217 currency.
    pub country: Option<&'static str>,
    pub currency: Option<&'static str>,
}

impl Merchant {
    pub fn is_overseas(&self) -> bool {
        self.country.is_some()
    }
}

const fn domestic(name: &'static str, business_num: &'static str) -> Merchant {
    Merchant {
        name,
        business_num: Some(business_num),
        country: None,
        currency: None,
    }
}

const fn overseas(name: &'static str, country: &'static str, currency: &'static str) -> Merchant {
    Merchant {
        name,
        business_num: None,
        country: Some(country),
        currency: Some(currency),
    }
}

/// Domestic merchants (business numbers are made up, shaped like real ones).
pub const DOMESTIC: &[Merchant] = &[
    domestic("GS25 역삼점", "211-86-10001"),
    domestic("CU 서초점", "214-85-20002"),
    domestic("세븐일레븐 강남점", "120-81-30003"),
    domestic("이마트 성수점", "206-86-40004"),
    domestic("홈플러스 영등포점", "107-85-50005"),
    domestic("롯데마트 잠실점", "219-85-60006"),
    domestic("스타벅스 광화문점", "201-81-70007"),
    domestic("투썸플레이스 홍대점", "105-86-80008"),
    domestic("파리바게뜨 신촌점", "110-81-90009"),
    domestic("올리브영 명동점", "104-81-10010"),
    domestic("다이소 종로점", "101-86-11011"),
    domestic("쿠팡", "120-88-12012"),
    domestic("배달의민족", "120-87-13013"),
    domestic("카카오T", "120-81-14014"),
    domestic("SK에너지 판교주유소", "129-86-15015"),
    domestic("GS칼텍스 분당주유소", "144-81-16016"),
    domestic("CGV 용산아이파크몰", "106-81-17017"),
    domestic("교보문고 광화문점", "102-81-18018"),
    domestic("김밥천국 시청점", "104-12-19019"),
    domestic("서울대병원", "101-82-20020"),
];

/// Overseas merchants, paid in their own currency.
pub const OVERSEAS: &[Merchant] = &[
    overseas("AMAZON.COM", "US", "USD"),
    overseas("APPLE.COM/BILL", "US", "USD"),
    overseas("NETFLIX.COM", "US", "USD"),
    overseas("UNIQLO GINZA", "JP", "JPY"),
    overseas("FAMILYMART TOKYO", "JP", "JPY"),
    overseas("AGODA", "SG", "SGD"),
    overseas("GALERIES LAFAYETTE", "FR", "EUR"),
    overseas("HARRODS", "GB", "GBP"),
];

/// The merchant of this name, domestic or overseas.
pub fn merchant(name: &str) -> Option<&'static Merchant> {
    DOMESTIC.iter().chain(OVERSEAS).find(|m| m.name == name)
}

/// What a card posting's memo says: lump sum or instalments, and for an
/// overseas purchase the currency and the amount in it (the posting's own
/// amount is the won charged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardMemo {
    /// 0 or 1 = lump sum (일시불).
    pub installments: u32,
    /// ISO 4217 code and the amount in that currency's minor units.
    pub overseas: Option<(String, i64)>,
}

const LUMP: &str = "일시불";

impl CardMemo {
    pub fn lump_sum() -> Self {
        CardMemo {
            installments: 0,
            overseas: None,
        }
    }

    /// `일시불`, `할부 3개월`, `해외 USD 12.34`, `할부 3개월 해외 USD 12.34`.
    pub fn encode(&self) -> String {
        let pay = if self.installments > 1 {
            format!("할부 {}개월", self.installments)
        } else {
            LUMP.to_owned()
        };
        match &self.overseas {
            None => pay,
            Some((cur, minor)) if self.installments > 1 => {
                format!("{pay} 해외 {cur} {}", foreign(cur, *minor))
            }
            Some((cur, minor)) => format!("해외 {cur} {}", foreign(cur, *minor)),
        }
    }

    pub fn decode(s: &str) -> Option<Self> {
        let (pay, abroad) = match s.find("해외 ") {
            Some(i) => (s[..i].trim_end(), Some(&s[i + "해외 ".len()..])),
            None => (s, None),
        };
        let installments = match pay {
            "" if abroad.is_some() => 0,
            LUMP => 0,
            _ => {
                let n = pay.strip_prefix("할부 ")?.strip_suffix("개월")?;
                let n: u32 = n.parse().ok()?;
                if n < 2 {
                    return None;
                }
                n
            }
        };
        let overseas = match abroad {
            None => None,
            Some(rest) => {
                let (cur, amt) = rest.split_once(' ')?;
                let c = crate::money::Currency::parse(cur).ok()?;
                let minor = crate::money::parse_minor(amt, c.exponent()).ok()?;
                Some((cur.to_owned(), minor))
            }
        };
        Some(CardMemo {
            installments,
            overseas,
        })
    }
}

fn foreign(cur: &str, minor: i64) -> String {
    let exp = crate::money::Currency::parse(cur).map_or(2, |c| c.exponent());
    crate::money::format_minor(minor, exp)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TradeSide {
    Buy,
    Sell,
    /// Cash paid into the securities account.
    Deposit,
    /// Cash taken out of it.
    Withdraw,
    Dividend,
}

impl TradeSide {
    fn word(self) -> &'static str {
        match self {
            TradeSide::Buy => "매수",
            TradeSide::Sell => "매도",
            TradeSide::Deposit => "입금",
            TradeSide::Withdraw => "출금",
            TradeSide::Dividend => "배당",
        }
    }

    fn from_word(w: &str) -> Option<Self> {
        [
            TradeSide::Buy,
            TradeSide::Sell,
            TradeSide::Deposit,
            TradeSide::Withdraw,
            TradeSide::Dividend,
        ]
        .into_iter()
        .find(|s| s.word() == w)
    }

    /// Buys, sells and dividends name a product; cash moves do not.
    pub fn has_product(self) -> bool {
        matches!(self, TradeSide::Buy | TradeSide::Sell | TradeSide::Dividend)
    }
}

/// What a securities posting's memo says. The posting's amount is the cash
/// that moved; the memo carries what it bought or sold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TradeMemo {
    pub side: TradeSide,
    /// Exchange or fund code; empty for cash moves.
    pub code: String,
    /// Quantity in thousandths (`10_000` = ten shares); 0 for cash moves.
    pub qty_milli: i64,
    /// Price per unit in minor units; 0 for cash moves.
    pub price_minor: i64,
}

impl TradeMemo {
    /// `매수 005930 10주 @71000`, `매도 069500 2.5주 @35210`, `입금`, `배당 005930`.
    pub fn encode(&self) -> String {
        let w = self.side.word();
        match self.side {
            TradeSide::Deposit | TradeSide::Withdraw => w.to_owned(),
            TradeSide::Dividend => format!("{w} {}", self.code),
            TradeSide::Buy | TradeSide::Sell => format!(
                "{w} {} {}주 @{}",
                self.code,
                crate::money::format_minor(self.qty_milli, 3)
                    .trim_end_matches('0')
                    .trim_end_matches('.'),
                self.price_minor
            ),
        }
    }

    pub fn decode(s: &str) -> Option<Self> {
        let mut it = s.split(' ');
        let side = TradeSide::from_word(it.next()?)?;
        let mut memo = TradeMemo {
            side,
            code: String::new(),
            qty_milli: 0,
            price_minor: 0,
        };
        if side.has_product() {
            memo.code = it.next().filter(|c| !c.is_empty())?.to_owned();
        }
        if matches!(side, TradeSide::Buy | TradeSide::Sell) {
            let qty = it.next()?.strip_suffix('주')?;
            memo.qty_milli = crate::money::parse_minor(qty, 3).ok()?;
            memo.price_minor = it.next()?.strip_prefix('@')?.parse().ok()?;
        }
        it.next().is_none().then_some(memo)
    }
}

/// What a loan account's posting memo says: the drawdown, or a repayment
/// with its principal and interest parts (the loan posting's amount is the
/// principal; the interest went to the lender in the same entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoanMemo {
    Drawdown,
    Repayment {
        principal_minor: i64,
        interest_minor: i64,
    },
}

const DRAWDOWN: &str = "대출실행";

impl LoanMemo {
    /// `대출실행`, `상환 원금 120000 이자 35000`.
    pub fn encode(&self) -> String {
        match self {
            LoanMemo::Drawdown => DRAWDOWN.to_owned(),
            LoanMemo::Repayment {
                principal_minor,
                interest_minor,
            } => format!("상환 원금 {principal_minor} 이자 {interest_minor}"),
        }
    }

    pub fn decode(s: &str) -> Option<Self> {
        if s == DRAWDOWN {
            return Some(LoanMemo::Drawdown);
        }
        let rest = s.strip_prefix("상환 원금 ")?;
        let (p, i) = rest.split_once(" 이자 ")?;
        let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
        if !digits(p) || !digits(i) {
            return None;
        }
        Some(LoanMemo::Repayment {
            principal_minor: p.parse().ok()?,
            interest_minor: i.parse().ok()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merchants_are_found_by_name_and_shaped_right() {
        let m = merchant("AMAZON.COM").unwrap();
        assert_eq!((m.country, m.currency), (Some("US"), Some("USD")));
        assert!(merchant("없는 가게").is_none());
        for m in DOMESTIC {
            let b = m.business_num.unwrap().as_bytes();
            assert_eq!(b.len(), 12, "{}", m.name);
            assert!(b[3] == b'-' && b[6] == b'-', "{}", m.name);
            assert!(!m.is_overseas());
        }
        let mut names: Vec<_> = DOMESTIC.iter().chain(OVERSEAS).map(|m| m.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), DOMESTIC.len() + OVERSEAS.len());
    }

    #[test]
    fn card_memos_round_trip() {
        let cases = [
            (CardMemo::lump_sum(), "일시불"),
            (
                CardMemo {
                    installments: 3,
                    overseas: None,
                },
                "할부 3개월",
            ),
            (
                CardMemo {
                    installments: 0,
                    overseas: Some(("USD".into(), 1234)),
                },
                "해외 USD 12.34",
            ),
            (
                CardMemo {
                    installments: 6,
                    overseas: Some(("JPY".into(), 5400)),
                },
                "할부 6개월 해외 JPY 5400",
            ),
        ];
        for (memo, text) in cases {
            assert_eq!(memo.encode(), text);
            assert_eq!(CardMemo::decode(text), Some(memo));
        }
        // One instalment is a lump sum.
        let one = CardMemo {
            installments: 1,
            overseas: None,
        };
        assert_eq!(one.encode(), "일시불");
        for bad in [
            "",
            "할부 1개월",
            "할부 x개월",
            "해외 usd 1",
            "해외 USD 1.234",
            "카드대금",
        ] {
            assert_eq!(CardMemo::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn trade_memos_round_trip() {
        let t = |side, code: &str, qty_milli, price_minor| TradeMemo {
            side,
            code: code.into(),
            qty_milli,
            price_minor,
        };
        let cases = [
            (
                t(TradeSide::Buy, "005930", 10_000, 71_000),
                "매수 005930 10주 @71000",
            ),
            (
                t(TradeSide::Sell, "069500", 2_500, 35_210),
                "매도 069500 2.5주 @35210",
            ),
            (t(TradeSide::Deposit, "", 0, 0), "입금"),
            (t(TradeSide::Withdraw, "", 0, 0), "출금"),
            (t(TradeSide::Dividend, "005930", 0, 0), "배당 005930"),
        ];
        for (memo, text) in cases {
            assert_eq!(memo.encode(), text);
            assert_eq!(TradeMemo::decode(text), Some(memo));
        }
        for bad in [
            "",
            "매수",
            "매수 005930 10 @1",
            "입금 extra",
            "배당",
            "사다 1 1주 @1",
        ] {
            assert_eq!(TradeMemo::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn loan_memos_round_trip() {
        let r = LoanMemo::Repayment {
            principal_minor: 120_000,
            interest_minor: 35_000,
        };
        assert_eq!(r.encode(), "상환 원금 120000 이자 35000");
        assert_eq!(LoanMemo::decode(&r.encode()), Some(r));
        assert_eq!(LoanMemo::decode("대출실행"), Some(LoanMemo::Drawdown));
        for bad in [
            "",
            "상환",
            "상환 원금 1 이자 ",
            "상환 원금 -1 이자 2",
            "원금 1 이자 2",
        ] {
            assert_eq!(LoanMemo::decode(bad), None, "{bad}");
        }
    }
}
