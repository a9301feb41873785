//! `Authorization: Bearer ...` as any bytes a header may carry.
#![no_main]
use axum::http::{HeaderMap, HeaderValue};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(v) = HeaderValue::from_bytes(data) else {
        return;
    };
    let mut headers = HeaderMap::new();
    headers.insert("authorization", v);
    if let Ok(t) = finhub_http::BearerToken::from_headers(&headers) {
        // What is accepted is a non-empty run of visible ASCII.
        assert!(!t.as_str().is_empty());
        assert!(t.as_str().bytes().all(|b| b.is_ascii_graphic()));
    }
});
