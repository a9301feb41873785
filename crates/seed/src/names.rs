//! Korean names, with the romanization an e-mail address would use.

use finhub_core::party::Gender;
use rand::Rng;

/// Common surnames with their rough share (per mille) of the population.
const SURNAMES: &[(&str, &str, u32)] = &[
    ("김", "kim", 215),
    ("이", "lee", 147),
    ("박", "park", 84),
    ("최", "choi", 47),
    ("정", "jung", 43),
    ("강", "kang", 24),
    ("조", "cho", 21),
    ("윤", "yoon", 20),
    ("장", "jang", 20),
    ("임", "lim", 17),
    ("한", "han", 15),
    ("오", "oh", 15),
    ("서", "seo", 15),
    ("신", "shin", 14),
    ("권", "kwon", 14),
    ("황", "hwang", 14),
    ("안", "ahn", 13),
    ("송", "song", 13),
    ("류", "ryu", 12),
    ("전", "jeon", 11),
    ("홍", "hong", 11),
    ("고", "ko", 9),
    ("문", "moon", 9),
    ("양", "yang", 9),
    ("손", "son", 9),
    ("배", "bae", 8),
    ("백", "baek", 8),
    ("허", "heo", 6),
    ("유", "yoo", 6),
    ("남", "nam", 5),
    ("심", "sim", 5),
    ("노", "noh", 4),
    ("하", "ha", 4),
    ("곽", "kwak", 4),
    ("성", "sung", 4),
    ("차", "cha", 4),
    ("주", "joo", 4),
    ("우", "woo", 4),
    ("구", "koo", 4),
    ("민", "min", 3),
];

/// Given-name syllables; a name is two of them.
const MALE: &[(&str, &str)] = &[
    ("민", "min"),
    ("준", "jun"),
    ("서", "seo"),
    ("도", "do"),
    ("윤", "yun"),
    ("현", "hyun"),
    ("우", "woo"),
    ("진", "jin"),
    ("호", "ho"),
    ("성", "sung"),
    ("영", "young"),
    ("재", "jae"),
    ("동", "dong"),
    ("훈", "hoon"),
    ("석", "seok"),
    ("철", "cheol"),
    ("수", "su"),
    ("혁", "hyuk"),
    ("태", "tae"),
    ("건", "geon"),
    ("상", "sang"),
    ("지", "ji"),
    ("승", "seung"),
    ("정", "jung"),
];
const FEMALE: &[(&str, &str)] = &[
    ("서", "seo"),
    ("지", "ji"),
    ("민", "min"),
    ("수", "su"),
    ("현", "hyun"),
    ("은", "eun"),
    ("하", "ha"),
    ("영", "young"),
    ("유", "yu"),
    ("연", "yeon"),
    ("혜", "hye"),
    ("진", "jin"),
    ("아", "a"),
    ("희", "hee"),
    ("경", "kyung"),
    ("미", "mi"),
    ("주", "ju"),
    ("소", "so"),
    ("윤", "yun"),
    ("정", "jung"),
    ("예", "ye"),
    ("나", "na"),
    ("채", "chae"),
    ("다", "da"),
];

const MAIL_DOMAINS: &[&str] = &[
    "naver.com",
    "gmail.com",
    "daum.net",
    "kakao.com",
    "hanmail.net",
    "nate.com",
];

pub struct Name {
    pub hangul: String,
    pub email_local: String,
}

pub fn name(rng: &mut impl Rng, gender: Gender) -> Name {
    let total: u32 = SURNAMES.iter().map(|s| s.2).sum();
    let mut pick = rng.gen_range(0..total);
    let mut sur = SURNAMES[0];
    for s in SURNAMES {
        if pick < s.2 {
            sur = *s;
            break;
        }
        pick -= s.2;
    }
    let pool = match gender {
        Gender::Male => MALE,
        Gender::Female => FEMALE,
    };
    let a = pool[rng.gen_range(0..pool.len())];
    let mut b = pool[rng.gen_range(0..pool.len())];
    while b.0 == a.0 {
        b = pool[rng.gen_range(0..pool.len())];
    }
    Name {
        hangul: format!("{}{}{}", sur.0, a.0, b.0),
        email_local: format!("{}{}.{}", a.1, b.1, sur.1),
    }
}

pub fn email(rng: &mut impl Rng, local: &str) -> String {
    let domain = MAIL_DOMAINS[rng.gen_range(0..MAIL_DOMAINS.len())];
    format!("{local}{}@{domain}", rng.gen_range(1..1000))
}

/// Employers a salary comes from.
pub const EMPLOYERS: &[&str] = &[
    "삼성전자(주)",
    "에스케이하이닉스(주)",
    "현대자동차(주)",
    "엘지전자(주)",
    "(주)카카오",
    "네이버(주)",
    "(주)케이티",
    "포스코(주)",
    "롯데쇼핑(주)",
    "(주)신세계",
    "씨제이제일제당(주)",
    "한국전력공사",
    "서울특별시청",
    "국민건강보험공단",
    "(주)쿠팡",
    "대한항공(주)",
    "(주)한화",
    "지에스리테일(주)",
    "한미약품(주)",
    "(주)우아한형제들",
];

/// Card companies outside the world: whoever holds no card of the world's
/// companies pays a bill to one of these.
pub const OTHER_CARD_COMPANIES: &[&str] = &["롯데카드", "하나카드", "우리카드", "BC카드"];

pub const TELECOMS: &[&str] = &["SK텔레콤", "KT", "LG유플러스"];

pub const APARTMENTS: &[&str] = &[
    "래미안",
    "자이",
    "힐스테이트",
    "e편한세상",
    "푸르지오",
    "롯데캐슬",
    "아이파크",
    "더샵",
];
