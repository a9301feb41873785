//! Parsed at the edge: the Bearer header through the shared parser, and a
//! tran_dtime that must name a real moment.

use axum::body::Body;
use axum::http::Request;
use finhub_testkit::kftc::*;
use finhub_testkit::*;
use serde_json::Value;

async fn status_with(app: &TestApp, authorization: &str) -> Value {
    let req = Request::get("/v2.0/bank/status")
        .header("authorization", authorization)
        .body(Body::empty())
        .unwrap();
    app.send(req).await.body
}

#[tokio::test]
async fn bearer_headers_are_read_by_the_shared_parser() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크헤더").await;
    // Another scheme, no token, an empty token: no bearer token at all.
    for bad in ["Token abc", "Bearer", "Bearer   ", "Basic Zm9vOmJhcg=="] {
        let v = status_with(&app, bad).await;
        assert_eq!(v["rsp_code"], "O0001", "{bad}: {v}");
        assert!(v.get("api_tran_id").is_none(), "{v}");
    }
    // A bearer token that is not ours.
    let v = status_with(&app, "Bearer not-a-token").await;
    assert_eq!(v["rsp_code"], "O0002", "{v}");
    // The scheme is case-insensitive (RFC 7235), as in every face.
    for scheme in ["Bearer", "bearer", "BEARER"] {
        let v = status_with(&app, &format!("{scheme} {}", f.token)).await;
        assert_eq!(v["rsp_code"], "A0000", "{scheme}: {v}");
    }
}

#[tokio::test]
async fn tran_dtime_must_be_a_real_date_time() {
    let app = spawn_app().await;
    let f = app.fintech("핀테크일시").await;
    let (p, a) = app.person("박일시", "BA00000004", 10_000).await;
    let (_, fin) = app.register_both(&f, (&p, &a)).await;
    let uri = |dt: &str| {
        format!(
            "/v2.0/account/balance/fin_num?bank_tran_id={}&fintech_use_num={fin}&tran_dtime={dt}",
            tran_id(&f.org)
        )
    };
    let bad = app.kftc_get(&f.token, &uri("20261399250000")).await;
    assert_eq!(bad["rsp_code"], "A0004", "{bad}");
    assert_eq!(bad["rsp_message"], "요청전문 포맷 에러 [tran_dtime]");
    let short = app.kftc_get(&f.token, &uri("2026")).await;
    assert_eq!(
        short["rsp_message"], "요청전문 포맷 에러 [tran_dtime 는 14자리 숫자입니다]",
        "{short}"
    );
    let ok = app.kftc_get(&f.token, &uri(&dtime())).await;
    assert_eq!(ok["rsp_code"], "A0000", "{ok}");
}
