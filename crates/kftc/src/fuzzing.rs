//! Entry points for the fuzz targets (`fuzz/`) and their seed-corpus tests:
//! the code that sees raw client input — the JSON body and query extractors,
//! the field checks of transfer requests, the id and date formats — run
//! without a server or a store. Each returns whether the input was accepted;
//! the property every caller checks is that nothing panics.

use crate::error::KftcError;
use crate::extract::{Caller, KJson, KQuery};
use crate::format::*;
use crate::wire::{
    BalanceFinNumQuery, DepositRequest, TransactionListFinNumQuery, WithdrawRequest,
};
use axum::extract::{FromRequest, FromRequestParts, Request};
use finhub_core::oauth::Profile;
use finhub_oauth::AccessClaims;
use std::future::Future;
use std::task::{Context, Poll, Waker};

/// The client_use_code the fuzz callers act as.
pub const ORG: &str = "F001234567";

/// Drive a future whose input is all in memory (a full body): it never
/// waits on I/O, so polling until ready terminates.
fn ready<F: Future>(f: F) -> F::Output {
    let mut f = std::pin::pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

fn caller() -> Caller {
    Caller {
        claims: AccessClaims {
            iss: "finhub".into(),
            aud: ORG.into(),
            jti: "fuzz".into(),
            iat: 0,
            exp: i64::MAX,
            client_id: "fuzz".into(),
            org_code: ORG.into(),
            profile: Profile::Kftc,
            scope: vec!["oob".into(), "sa".into()],
            sub: None,
            fam: None,
        },
    }
}

/// A JSON body through the face's extractor (A0004 on any rejection).
fn json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, KftcError> {
    let req = Request::post("/v2.0/x")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body.to_vec()))
        .map_err(|_| KftcError::format("request"))?;
    ready(KJson::<T>::from_request(req, &())).map(|KJson(v)| v)
}

/// A query string through the face's extractor; None when it is not even a URI.
fn query<T: serde::de::DeserializeOwned>(raw: &[u8]) -> Option<Result<T, KftcError>> {
    let mut uri = b"/v2.0/x?".to_vec();
    uri.extend_from_slice(raw);
    let req = Request::get(axum::http::Uri::try_from(uri).ok()?)
        .body(axum::body::Body::empty())
        .ok()?;
    let (mut parts, _) = req.into_parts();
    Some(ready(KQuery::<T>::from_request_parts(&mut parts, &())).map(|KQuery(v)| v))
}

/// A withdraw body (OBI-017/018): the extractor, then every field check that
/// runs before the store is asked.
pub fn withdraw_body(body: &[u8]) -> bool {
    let Ok(req) = json::<WithdrawRequest>(body) else {
        return false;
    };
    let c = caller();
    let Ok((tran, amt)) = crate::transfer::withdraw_fields(&req, &c) else {
        return false;
    };
    assert!(check_bank_tran_id(tran, ORG).is_ok(), "{tran}");
    assert!(amt > 0 && amt < 1_000_000_000_000, "{amt}");
    true
}

/// A deposit body (OBI-019/020): the extractor and each item's checks, for
/// both the fin_num and the acnt_num variant.
pub fn deposit_body(body: &[u8]) -> bool {
    let Ok(req) = json::<DepositRequest>(body) else {
        return false;
    };
    let c = caller();
    let items = req.req_list.as_deref().unwrap_or(&[]);
    let mut any = false;
    for it in items.iter().take(crate::transfer::MAX_ITEMS) {
        for acnt in [false, true] {
            any |= crate::transfer::deposit_item(it, &c, acnt).is_ok();
        }
    }
    any
}

/// The GET queries that carry ids, dates and the paging cursor.
pub fn queries(raw: &[u8]) -> bool {
    let mut ok = false;
    if let Some(Ok(q)) = query::<BalanceFinNumQuery>(raw) {
        ok |= q
            .fintech_use_num
            .as_deref()
            .is_some_and(|f| crate::extract::digits(&Some(f.to_owned()), "f", 24).is_ok());
    }
    if let Some(Ok(q)) = query::<TransactionListFinNumQuery>(raw) {
        ok |= ids_and_dates(q.from_date.as_deref().unwrap_or(""));
        ok |= ids_and_dates(q.befor_inquiry_trace_info.as_deref().unwrap_or(""));
    }
    ok
}

/// Every KFTC id, date, time and amount parser over one string, with the
/// properties that tie them together.
pub fn ids_and_dates(s: &str) -> bool {
    let mut ok = false;
    if check_bank_tran_id(s, ORG).is_ok() {
        assert!(s.len() == 20 && s.starts_with(ORG) && s.as_bytes()[10] == b'U');
        ok = true;
    }
    if let Some(d) = parse_date8(s) {
        assert_eq!(naive_date8(d), s);
        ok = true;
    }
    if let Some(t) = parse_time6(s) {
        assert_eq!(t.format("%H%M%S").to_string(), s);
        ok = true;
    }
    if let Some(dt) = parse_dtime14(s) {
        assert_eq!(dt.format("%Y%m%d%H%M%S").to_string(), s);
        let _ = kst_to_utc(dt);
        ok = true;
    }
    if let Some(v) = parse_amount(s) {
        assert!(v > 0 && s.len() <= 12);
        ok = true;
    }
    if let Some((at, seq)) = decode_cursor(s) {
        assert!(at >= 0 && seq >= 0);
        ok = true;
    }
    if is_client_use_code(s) {
        assert_eq!(new_fintech_use_num(s).len(), 24);
        ok = true;
    }
    let masked = mask_account(s);
    assert_eq!(masked.chars().count(), s.chars().count());
    assert!(same_account_num(s, s));
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fuzz targets' seed corpora, run as plain tests.
    fn corpus(target: &str) -> Vec<Vec<u8>> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fuzz/corpus")
            .join(target);
        let mut out: Vec<Vec<u8>> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| std::fs::read(e.unwrap().path()).unwrap())
            .collect();
        out.sort();
        assert!(!out.is_empty(), "empty corpus {}", dir.display());
        out
    }

    #[test]
    fn withdraw_corpus() {
        let accepted = corpus("kftc_withdraw")
            .iter()
            .filter(|b| withdraw_body(b))
            .count();
        assert!(accepted >= 1, "the seed corpus holds a valid withdrawal");
    }

    #[test]
    fn deposit_corpus() {
        let accepted = corpus("kftc_deposit")
            .iter()
            .filter(|b| deposit_body(b))
            .count();
        assert!(accepted >= 1, "the seed corpus holds a valid deposit");
    }

    #[test]
    fn query_corpus() {
        for q in corpus("kftc_query") {
            queries(&q);
        }
    }

    #[test]
    fn ids_corpus() {
        for s in corpus("kftc_ids") {
            ids_and_dates(&String::from_utf8_lossy(&s));
        }
    }

    #[test]
    fn a_cursor_of_twenty_bytes_but_fewer_characters_is_refused_not_a_panic() {
        // Found while writing the kftc_ids target: "가" is three bytes, so byte 10 falls
        // inside a character and slicing there used to panic.
        assert_eq!(decode_cursor("가가가가가가AB"), None);
        assert!(!ids_and_dates("가가가가가가AB"));
        let c = encode_cursor(1_700_000_000_000_000, 42);
        assert_eq!(decode_cursor(&c), Some((1_700_000_000_000_000, 42)));
    }
}
