//! The token endpoint's raw input: first line an Authorization header
//! (Basic credentials), the rest the form body.
#![no_main]
use axum::http::{HeaderMap, HeaderValue};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (auth, body) = match data.iter().position(|b| *b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&data[..0], data),
    };
    let mut headers = HeaderMap::new();
    if !auth.is_empty() {
        if let Ok(v) = HeaderValue::from_bytes(auth) {
            headers.insert("authorization", v);
        }
    }
    let _ = finhub_oauth::parse_token_request(&headers, body);
});
