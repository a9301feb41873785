//! The KFTC rsp_code catalogue (§11.1, §11.2) and the bank_rsp_code values
//! this face answers with (§11.4). The only place code strings live.

/// An rsp_code this face answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rsp {
    A0000,
    A0002,
    A0003,
    A0004,
    A0009,
    A0018,
    A0101,
    A0102,
    A0103,
    A0104,
    A0105,
    A0106,
    A0111,
    A0112,
    A0304,
    A0305,
    A0306,
    A0307,
    A0310,
    A0312,
    A0313,
    A0321,
    A0322,
    A0323,
    A0324,
    A0325,
    A0326,
    O0001,
    O0002,
    O0003,
    O0005,
    O0007,
    O0010,
    O0011,
}

impl Rsp {
    pub const ALL: [Rsp; 34] = [
        Rsp::A0000,
        Rsp::A0002,
        Rsp::A0003,
        Rsp::A0004,
        Rsp::A0009,
        Rsp::A0018,
        Rsp::A0101,
        Rsp::A0102,
        Rsp::A0103,
        Rsp::A0104,
        Rsp::A0105,
        Rsp::A0106,
        Rsp::A0111,
        Rsp::A0112,
        Rsp::A0304,
        Rsp::A0305,
        Rsp::A0306,
        Rsp::A0307,
        Rsp::A0310,
        Rsp::A0312,
        Rsp::A0313,
        Rsp::A0321,
        Rsp::A0322,
        Rsp::A0323,
        Rsp::A0324,
        Rsp::A0325,
        Rsp::A0326,
        Rsp::O0001,
        Rsp::O0002,
        Rsp::O0003,
        Rsp::O0005,
        Rsp::O0007,
        Rsp::O0010,
        Rsp::O0011,
    ];

    pub fn code(&self) -> &'static str {
        match self {
            Rsp::A0000 => "A0000",
            Rsp::A0002 => "A0002",
            Rsp::A0003 => "A0003",
            Rsp::A0004 => "A0004",
            Rsp::A0009 => "A0009",
            Rsp::A0018 => "A0018",
            Rsp::A0101 => "A0101",
            Rsp::A0102 => "A0102",
            Rsp::A0103 => "A0103",
            Rsp::A0104 => "A0104",
            Rsp::A0105 => "A0105",
            Rsp::A0106 => "A0106",
            Rsp::A0111 => "A0111",
            Rsp::A0112 => "A0112",
            Rsp::A0304 => "A0304",
            Rsp::A0305 => "A0305",
            Rsp::A0306 => "A0306",
            Rsp::A0307 => "A0307",
            Rsp::A0310 => "A0310",
            Rsp::A0312 => "A0312",
            Rsp::A0313 => "A0313",
            Rsp::A0321 => "A0321",
            Rsp::A0322 => "A0322",
            Rsp::A0323 => "A0323",
            Rsp::A0324 => "A0324",
            Rsp::A0325 => "A0325",
            Rsp::A0326 => "A0326",
            Rsp::O0001 => "O0001",
            Rsp::O0002 => "O0002",
            Rsp::O0003 => "O0003",
            Rsp::O0005 => "O0005",
            Rsp::O0007 => "O0007",
            Rsp::O0010 => "O0010",
            Rsp::O0011 => "O0011",
        }
    }

    /// The base message as KFTC sends it (success is an empty message).
    pub fn message(&self) -> &'static str {
        match self {
            Rsp::A0000 => "",
            Rsp::A0002 => "참가은행(참가기관) 에러",
            Rsp::A0003 => "내부 처리 에러",
            Rsp::A0004 => "요청전문 포맷 에러",
            Rsp::A0009 => "API 세부업무 처리실패",
            Rsp::A0018 => "거래내역 없음",
            Rsp::A0101 => "이용기관 입금이체 한도 초과(일 한도)",
            Rsp::A0102 => "이용기관 입금이체 한도 초과(월 한도)",
            Rsp::A0103 => "이용기관 출금이체 한도 초과(일 한도)",
            Rsp::A0104 => "이용기관 출금이체 한도 초과(월 한도)",
            Rsp::A0105 => "이용기관 출금이체 한도 초과(건당 한도)",
            Rsp::A0106 => "이용기관 입금이체 한도 초과(건당 한도)",
            Rsp::A0111 => "사용자 출금이체 한도 초과(건당 한도)",
            Rsp::A0112 => "사용자 출금이체 한도 초과(일 한도)",
            Rsp::A0304 => "핀테크이용번호 정보 불일치",
            Rsp::A0305 => "제3자정보제공동의 미완료",
            Rsp::A0306 => "출금동의 미완료",
            Rsp::A0307 => "이체암호문구 불일치",
            Rsp::A0310 => "이체 내역 없음",
            Rsp::A0312 => "예금주명 불일치",
            Rsp::A0313 => "사용자 불일치",
            Rsp::A0321 => "예금주 실명번호 구분코드와 실명번호의 형식(자리수) 불일치",
            Rsp::A0322 => "미등록된 이용기관 약정 계좌/계정",
            Rsp::A0323 => "이용기관에 등록된 사용자 계좌 아님",
            Rsp::A0324 => "기등록된 조회서비스용 사용자 계좌",
            Rsp::A0325 => "기등록된 출금서비스용 사용자 계좌",
            Rsp::A0326 => "은행거래고유번호 중복",
            Rsp::O0001 => "인증요청 거부-인증 파라미터 오류",
            Rsp::O0002 => "Access Token 거부",
            Rsp::O0003 => "Access Token 만료",
            Rsp::O0005 => "허용되지 않은 API 접근",
            Rsp::O0007 => "API를 요청 또는 처리할 수 없습니다",
            Rsp::O0010 => "허용되지 않은 http method",
            Rsp::O0011 => "허용되지 않은 Scope 입니다.",
        }
    }

    /// Gateway (O-code) errors carry only rsp_code and rsp_message.
    pub fn is_gateway(&self) -> bool {
        self.code().starts_with('O')
    }

    /// The code a ledger limit names (the face puts its rsp_code in `Limit::code`).
    pub fn from_code(code: &str) -> Option<Rsp> {
        Rsp::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// A participating bank's answer (§11.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BankRsp {
    Ok,
    NoAccount,
    Closed,
    Insufficient,
    InsufficientAvailable,
    RealNameMismatch,
    NotProcessable,
    AlreadyCancelled,
    NameMismatch,
}

impl BankRsp {
    pub fn code(&self) -> &'static str {
        match self {
            BankRsp::Ok => "000",
            BankRsp::NoAccount => "412",
            BankRsp::Closed => "415",
            BankRsp::Insufficient => "453",
            BankRsp::InsufficientAvailable => "454",
            BankRsp::RealNameMismatch => "463",
            BankRsp::NotProcessable => "499",
            BankRsp::AlreadyCancelled => "551",
            BankRsp::NameMismatch => "815",
        }
    }
    pub fn message(&self) -> &'static str {
        match self {
            BankRsp::Ok => "",
            BankRsp::NoAccount => "해당계좌 없음",
            BankRsp::Closed => "해약 계좌",
            BankRsp::Insufficient => "예금잔액 부족",
            BankRsp::InsufficientAvailable => "출금가능잔액 부족",
            BankRsp::RealNameMismatch => "실명번호 상위",
            BankRsp::NotProcessable => "기타 처리불가",
            BankRsp::AlreadyCancelled => "기 해지 사용자",
            BankRsp::NameMismatch => "예금주명 불일치",
        }
    }
}

/// O0001 sub-codes (§11.3).
pub mod sub {
    pub const NO_BEARER: &str = "992";
    pub const PARAMETER: &str = "3000103";
    pub const CLIENT: &str = "3000201";
    pub const REDIRECT: &str = "3000114";
    pub const SCOPE: &str = "3000115";
    pub const RESPONSE_TYPE: &str = "3000116";
    pub const SESSION: &str = "3002110";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_five_characters_unique_and_has_a_message() {
        let mut seen = std::collections::HashSet::new();
        for r in Rsp::ALL {
            assert_eq!(r.code().len(), 5, "{r:?}");
            assert!(seen.insert(r.code()), "duplicate {}", r.code());
            assert_eq!(Rsp::from_code(r.code()), Some(r));
            assert_eq!(r.message().is_empty(), r == Rsp::A0000, "{r:?}");
            assert_eq!(r.is_gateway(), r.code().starts_with('O'));
        }
        assert_eq!(Rsp::from_code("Z9999"), None);
    }

    #[test]
    fn bank_codes_are_three_digits() {
        for b in [
            BankRsp::Ok,
            BankRsp::NoAccount,
            BankRsp::Closed,
            BankRsp::Insufficient,
            BankRsp::InsufficientAvailable,
            BankRsp::RealNameMismatch,
            BankRsp::NotProcessable,
            BankRsp::AlreadyCancelled,
            BankRsp::NameMismatch,
        ] {
            assert_eq!(b.code().len(), 3);
            assert!(b.code().bytes().all(|c| c.is_ascii_digit()));
            assert_eq!(b.message().is_empty(), b == BankRsp::Ok);
        }
    }
}
