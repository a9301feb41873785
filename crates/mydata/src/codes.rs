//! The MyData response codes (mydata.md §4.1): the HTTP status is the
//! code's first three digits. One catalogue for the face.

use axum::http::StatusCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rsp {
    Ok,
    UpToDate,
    /// Bad parameter: type, length, missing, from after to, not a date.
    BadParam,
    /// Header missing or invalid (`x-api-tran-id`, `x-api-type`).
    BadHeader,
    BadVersion,
    /// History window longer than allowed.
    WindowTooLong,
    /// Access token invalid, expired or revoked.
    BadToken,
    /// The token may not call this API (scope).
    ApiNotAllowed,
    /// The asset is not in the consent.
    NotConsented,
    /// The consent's end date has passed.
    ConsentEnded,
    CallNotAllowed,
    /// `org_code` is not the token's institution.
    WrongOrg,
    /// Data older than five years.
    TooOld,
    /// The asset is not in a normal state (closed).
    AssetUnusable,
    NoEndpoint,
    /// Unknown asset, or someone else's.
    NoAsset,
    NoCustomer,
    MethodNotAllowed,
    /// Over the quota, or `limit` above 500.
    Quota,
    System,
    /// The institution is not available (sandbox outage).
    Unavailable,
}

impl Rsp {
    pub fn code(self) -> &'static str {
        use Rsp::*;
        match self {
            Ok => "00000",
            UpToDate => "00001",
            BadParam => "40001",
            BadHeader => "40002",
            BadVersion => "40003",
            WindowTooLong => "40004",
            BadToken => "40101",
            ApiNotAllowed => "40104",
            NotConsented => "40105",
            ConsentEnded => "40106",
            CallNotAllowed => "40301",
            WrongOrg => "40303",
            TooOld => "40304",
            AssetUnusable => "40305",
            NoEndpoint => "40401",
            NoAsset => "40402",
            NoCustomer => "40403",
            MethodNotAllowed => "40501",
            Quota => "42901",
            System => "50001",
            Unavailable => "50005",
        }
    }

    pub fn message(self) -> &'static str {
        use Rsp::*;
        match self {
            Ok => "성공",
            UpToDate => "성공(변경된 데이터 없음)",
            BadParam => "요청 파라미터 오류",
            BadHeader => "헤더 누락 또는 형식 오류",
            BadVersion => "허용되지 않는 API 버전",
            WindowTooLong => "조회 기간 초과",
            BadToken => "유효하지 않은 접근토큰",
            ApiNotAllowed => "접근토큰에 허용되지 않은 API",
            NotConsented => "전송요구하지 않은 자산",
            ConsentEnded => "전송요구 종료일 경과",
            CallNotAllowed => "허용되지 않은 호출",
            WrongOrg => "기관코드 오류",
            TooOld => "보존기한(5년) 경과 데이터 요청",
            AssetUnusable => "정상 상태가 아닌 자산",
            NoEndpoint => "존재하지 않는 API",
            NoAsset => "존재하지 않는 자산",
            NoCustomer => "정보주체 없음",
            MethodNotAllowed => "허용되지 않는 HTTP 메서드",
            Quota => "요청 한도 초과",
            System => "시스템 장애",
            Unavailable => "정보제공자 서비스 불가",
        }
    }

    /// The first three digits of the code.
    pub fn status(self) -> StatusCode {
        let n: u16 = self.code()[..3].parse().expect("three digits");
        if n < 100 {
            StatusCode::OK
        } else {
            StatusCode::from_u16(n).expect("valid status")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_is_the_codes_first_three_digits() {
        assert_eq!(Rsp::Ok.status(), StatusCode::OK);
        assert_eq!(Rsp::UpToDate.status(), StatusCode::OK);
        assert_eq!(Rsp::NotConsented.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(Rsp::TooOld.status(), StatusCode::FORBIDDEN);
        assert_eq!(Rsp::Quota.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(Rsp::NoAsset.status(), StatusCode::NOT_FOUND);
        assert_eq!(Rsp::Unavailable.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
