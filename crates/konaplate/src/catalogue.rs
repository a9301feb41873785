//! The endpoint catalogue (konaplate-prepaid.md §9): every API's id, path
//! and encryption marks. The transport looks a request's API up here.

/// One API of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Api {
    pub id: &'static str,
    pub path: &'static str,
    /// R: the request is marked encrypted (plain JSON is still accepted).
    pub enc_request: bool,
    /// S: a success answer is encrypted when the request names a crypto key.
    pub enc_response: bool,
}

const fn api(id: &'static str, path: &'static str, marks: &'static str) -> Api {
    let m = marks.as_bytes();
    let mut r = false;
    let mut s = false;
    let mut i = 0;
    while i < m.len() {
        if m[i] == b'R' {
            r = true;
        }
        if m[i] == b'S' {
            s = true;
        }
        i += 1;
    }
    Api {
        id,
        path,
        enc_request: r,
        enc_response: s,
    }
}

pub const APIS: &[Api] = &[
    api("U1", "/api/v1/user/registration", "R"),
    api("U2", "/api/v1/user/info", "RS"),
    api("U3", "/api/v1/user/password/update", "R"),
    api("U4", "/api/v1/user/update", "R"),
    api("U5", "/api/v1/user/unregister", ""),
    api("U6", "/api/v1/user/loginId/find", ""),
    api("U7", "/api/v1/user/dormancy/change-active", ""),
    api("U8", "/api/v1/user/terms/all", ""),
    api(
        "U9",
        "/api/v1/user/terms/updateOptionalTermsAndConditions",
        "",
    ),
    api("U10", "/api/v1/user/ci/info", ""),
    api("U11", "/api/v1/user/loginId/check", ""),
    api("U12", "/api/v1/user/password/check", ""),
    api("U13", "/api/v1/user/auth/info", "S"),
    api("B1", "/api/v1/bankaccounts/banks", ""),
    api("B2", "/api/v1/bankaccounts/user/valid", "R"),
    api("B3", "/api/v1/bankaccounts/ars/auth", "R"),
    api("B4", "/api/v1/bankaccounts/ars/register", "R"),
    api("B5", "/api/v1/bankaccounts/ars/register/inquiry", ""),
    api("B6", "/api/v1/bankaccounts/info", "R"),
    api("B7", "/api/v1/bankaccounts/inquiry", ""),
    api("B8", "/api/v1/bankaccounts/as-rcg-svc/ars/register", "RS"),
    api("B9", "/api/v1/bankaccounts/delete", "R"),
    api("B10", "/api/v1/bankaccounts/krw-auth", ""),
    api("L1", "/api/v1/user/namedcard", ""),
    api("L2", "/api/v1/user/namedcard/corp", ""),
    api("L3", "/api/v1/user/namedcard/corp/inquiry", ""),
    api("R1", "/api/v2/payment/generate/onetimetoken", "R"),
    api("R2", "/api/v1/recharges/by-bank-accounts/no-hce", ""),
    api("R3", "/api/v1/recharges/by-bank-accounts/no-hce/cancel", ""),
    api("R4", "/api/v1/recharges/by-bank-account/result/inquiry", ""),
    api("R5", "/api/v1/recharges/system/manuals", ""),
    api("R6", "/api/v1/transaction/card", ""),
    api("C1", "/api/v1/prepay-card/issue/delivery", "R"),
    api("C2", "/api/v1/card/delivery/cancel", ""),
    api("C3", "/api/v1/prepay-card/reissue/delivery", "R"),
    api("C4", "/api/v1/prepay-card/renew/delivery", "R"),
    api("C5", "/api/v1/card/delivery/inquiry", ""),
    api("C6", "/api/v1/issued-cards/pre-issue/waiting/physical", ""),
    api("C7", "/api/v1/prepay-card/physical/register", "R"),
    api("C8", "/api/v1/user/card/list", "S"),
    api("C9", "/api/v1/unregister/card/info", "R"),
    api("C10", "/api/v1/card/status", ""),
    api("C11", "/api/v1/card/terminate", ""),
    api("C12", "/api/v1/card/payment/limit/update", ""),
    api("C13", "/api/v1/cards/deduction/apply", "R"),
    api("C14", "/api/v1/cards/deduction", "R"),
    api("C15", "/api/v1/user/card/info", "RS"),
    api("C16", "/api/v1/service/info/list", ""),
    api("C17", "/api/v1/card/main", ""),
    api("C18", "/api/v1/card/virtual-account/inquiry", "RS"),
    api("P1", "/api/v1/direct-card/issue/delivery", "S"),
    api("P2", "/api/v1/payment/no-hce", "S"),
    api("P3", "/api/v1/payment/cancel/no-hce", "R"),
];

/// The mount the whole face is served under again.
pub const OPEN_API: &str = "/open-api";

/// The API a request path names, at the root or under `/open-api`.
pub fn find(path: &str) -> Option<&'static Api> {
    let p = path.strip_prefix(OPEN_API).unwrap_or(path);
    APIS.iter().find(|a| a.path == p)
}

/// The catalogue entry of an id (tests and documents).
pub fn by_id(id: &str) -> &'static Api {
    APIS.iter()
        .find(|a| a.id == id)
        .expect("an API of the catalogue")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_paths_are_unique_and_both_mounts_resolve() {
        for (i, a) in APIS.iter().enumerate() {
            assert!(
                APIS[i + 1..]
                    .iter()
                    .all(|b| b.id != a.id && b.path != a.path),
                "{a:?}"
            );
        }
        assert_eq!(APIS.len(), 53);
        assert_eq!(find("/open-api/api/v1/user/info").map(|a| a.id), Some("U2"));
        assert!(by_id("U2").enc_response && by_id("U2").enc_request);
        assert!(!by_id("R2").enc_request && by_id("P2").enc_response);
        assert!(find("/api/v1/nothing").is_none());
    }
}
