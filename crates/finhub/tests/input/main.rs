//! Raw input at the HTTP shell: oversized and deeply nested bodies, invalid
//! UTF-8 in every place a client can put it, and slow clients, against the
//! assembled router and (for the slow ones) a real bound port.

// Scenario tests read top to bottom in the order things happen; split, they would hide it.
#![allow(clippy::too_many_lines)]

mod konaplate;
mod obp;
mod oris;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, Request, StatusCode};
use finhub_http::{ServeConfig, ShellConfig};
use finhub_testkit::{spawn_app, Resp, TestApp, ADMIN_KEY};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const MIB: usize = 1 << 20;

fn kftc_request(path: &str, token: &str, body: Body) -> Request<Body> {
    Request::post(path)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(body)
        .unwrap()
}

/// KFTC's envelope for a refusal: the request's fault is A0004.
fn assert_kftc_format_error(r: &Resp) {
    assert_eq!(r.body["rsp_code"], "A0004", "{}", r.text);
    assert!(r.body["api_tran_id"].is_string(), "{}", r.text);
    assert!(r.body["rsp_message"].is_string(), "{}", r.text);
}

#[tokio::test]
async fn bodies_over_one_mib_are_413_in_the_faces_envelope() {
    let app = spawn_app().await;
    let token = app.kftc_token().await;
    let big = || format!("{{\"bank_tran_id\":\"{}\"}}", "x".repeat(MIB));
    let path = "/v2.0/transfer/withdraw/fin_num";

    // Declared length: refused before a byte of the body is read.
    let r = app
        .send(kftc_request(path, &token, Body::from(big())))
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text);
    assert_kftc_format_error(&r);

    // Chunked, no length: cut off when the limit is crossed.
    let chunks: Vec<Result<Bytes, std::io::Error>> = big()
        .into_bytes()
        .chunks(64 * 1024)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    let r = app
        .send(kftc_request(
            path,
            &token,
            Body::from_stream(futures::stream::iter(chunks)),
        ))
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text);
    assert_kftc_format_error(&r);

    // Outside the faces: the shell's envelope.
    for p in ["/oauth/2.0/token", "/sandbox/people"] {
        let r = app
            .send(
                Request::post(p)
                    .header("authorization", format!("Bearer {ADMIN_KEY}"))
                    .body(Body::from(big()))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{p}: {}", r.text);
        assert_eq!(r.body["error"], "payload_too_large", "{p}: {}", r.text);
    }

    // Just under the limit is read and judged on its content.
    let under = format!("{{\"bank_tran_id\":\"{}\"}}", "x".repeat(MIB - 64));
    let r = app
        .send(kftc_request(path, &token, Body::from(under)))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_kftc_format_error(&r);
}

#[tokio::test]
async fn json_nested_ten_thousand_deep_is_a_clean_refusal() {
    let app = spawn_app().await;
    let token = app.kftc_token().await;
    let deep_array = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let deep_object = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    for deep in [&deep_array, &deep_object] {
        let body = format!("{{\"bank_tran_id\":{deep}}}");
        // KFTC answers a malformed request A0004 with HTTP 200 (spec: "HTTP status").
        let r = app
            .send(kftc_request(
                "/v2.0/transfer/withdraw/fin_num",
                &token,
                Body::from(body.clone()),
            ))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_kftc_format_error(&r);

        let r = app
            .send(
                Request::post("/sandbox/people")
                    .header("authorization", format!("Bearer {ADMIN_KEY}"))
                    .header("content-type", "application/json")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await;
        assert!(r.status.is_client_error(), "{} {}", r.status, r.text);
        assert!(r.body["error"].is_string(), "{}", r.text);
    }
}

#[tokio::test]
async fn invalid_utf8_anywhere_is_a_clean_refusal() {
    let app = spawn_app().await;
    let token = app.kftc_token().await;

    // In a JSON body.
    let mut body = b"{\"bank_tran_id\":\"".to_vec();
    body.extend_from_slice(&[0xff, 0xfe, 0xc3, 0x28]);
    body.extend_from_slice(b"\"}");
    let r = app
        .send(kftc_request(
            "/v2.0/transfer/withdraw/fin_num",
            &token,
            Body::from(body.clone()),
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_kftc_format_error(&r);
    let r = app
        .send(
            Request::post("/sandbox/people")
                .header("authorization", format!("Bearer {ADMIN_KEY}"))
                .header("content-type", "application/json")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert!(r.status.is_client_error(), "{} {}", r.status, r.text);

    // In a form body, raw and percent-encoded.
    for form in [
        b"grant_type=client_credentials&client_id=\xff\xfe&client_secret=x&scope=oob".to_vec(),
        b"grant_type=client_credentials&client_id=%FF%FE&client_secret=x&scope=oob".to_vec(),
    ] {
        let r = app
            .send(
                Request::post("/oauth/2.0/token")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Body::from(form))
                    .unwrap(),
            )
            .await;
        assert!(r.status.is_client_error(), "{} {}", r.status, r.text);
        assert!(r.body["error"].is_string(), "{}", r.text);
    }

    // In a header: the bearer token, and Basic credentials.
    let mut req = Request::get("/v2.0/bank/status")
        .body(Body::empty())
        .unwrap();
    req.headers_mut().insert(
        "authorization",
        HeaderValue::from_bytes(b"Bearer \xff\xfe\xfd").unwrap(),
    );
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["rsp_code"], "O0001", "{}", r.text);
    let mut req = Request::post("/oauth/2.0/token")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("grant_type=client_credentials&scope=oob"))
        .unwrap();
    req.headers_mut().insert(
        "authorization",
        HeaderValue::from_bytes(b"Basic \xff\xfe").unwrap(),
    );
    let r = app.send(req).await;
    assert!(r.status.is_client_error(), "{} {}", r.status, r.text);

    // In a query string (percent-encoded: raw bytes never make it into a URI).
    let r = app
        .send(
            Request::get(
                "/v2.0/account/balance/fin_num?bank_tran_id=%FF%FE&fintech_use_num=%C3%28\
                 &tran_dtime=20240101120000",
            )
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_kftc_format_error(&r);
    let r = app
        .send(
            Request::get("/sandbox/people?limit=%FF")
                .header("authorization", format!("Bearer {ADMIN_KEY}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(r.status.is_client_error(), "{} {}", r.status, r.text);
}

// ---- slow clients, on a bound port --------------------------------------------

const HEADER_TIMEOUT: Duration = Duration::from_millis(800);
const BODY_TIMEOUT: Duration = Duration::from_millis(800);
/// How late past its bound a cut-off may come on a busy 2-core CI machine.
const SLACK: Duration = Duration::from_millis(2_500);

/// The app served on a free port with the slow-client bounds, and a KFTC token.
struct Bound {
    addr: std::net::SocketAddr,
    token: String,
    _app: TestApp,
}

async fn bind() -> Bound {
    let app = TestApp::builder()
        .shell(ShellConfig {
            body_timeout: BODY_TIMEOUT,
            ..Default::default()
        })
        .serve(ServeConfig {
            header_read_timeout: HEADER_TIMEOUT,
            drain_timeout: Duration::from_secs(1),
        })
        .spawn()
        .await;
    Bound {
        addr: app.addr(),
        token: app.kftc_token().await,
        _app: app,
    }
}

/// Read until the server closes the connection (or `limit` passes); returns
/// what it sent and when it closed.
async fn read_until_closed<R: AsyncRead + Unpin>(
    s: &mut R,
    limit: Duration,
) -> (String, Option<Instant>) {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let end = Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(end.into(), s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => {
                return (String::from_utf8_lossy(&got).into(), Some(Instant::now()))
            }
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Err(_) => return (String::from_utf8_lossy(&got).into(), None),
        }
    }
}

/// A plain request on a fresh connection answers, and quickly.
async fn healthy(addr: std::net::SocketAddr) {
    let t = Instant::now();
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let (text, closed) = read_until_closed(&mut s, Duration::from_secs(5)).await;
    assert!(
        closed.is_some() && text.starts_with("HTTP/1.1 200"),
        "{text}"
    );
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_trickled_byte_by_byte_are_cut_off() {
    let b = bind().await;
    let head = b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
    // Many at once: none of them may hold the server.
    let mut clients = Vec::new();
    for _ in 0..32 {
        let addr = b.addr;
        clients.push(tokio::spawn(async move {
            let mut s = TcpStream::connect(addr).await.unwrap();
            let start = Instant::now();
            for byte in head {
                if s.write_all(&[*byte]).await.is_err() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
                if start.elapsed() > HEADER_TIMEOUT + SLACK {
                    break;
                }
            }
            let (_, closed) = read_until_closed(&mut s, HEADER_TIMEOUT + SLACK).await;
            closed.map(|at| at - start)
        }));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    healthy(b.addr).await;
    let mut worst = Duration::ZERO;
    for c in clients {
        let took = c
            .await
            .unwrap()
            .expect("the server never closed a slow-header connection");
        worst = worst.max(took);
    }
    eprintln!("slow headers: cut off after at most {worst:?} (bound {HEADER_TIMEOUT:?})");
    assert!(worst >= HEADER_TIMEOUT.mul_f32(0.9), "{worst:?}");
    assert!(worst <= HEADER_TIMEOUT + SLACK, "{worst:?}");
    healthy(b.addr).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_never_finishes_is_answered_408_and_let_go() {
    let b = bind().await;
    let head = format!(
        "POST /v2.0/transfer/withdraw/fin_num HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: 400\r\n\r\n",
        b.token
    );
    // One that stops after a few bytes, one that trickles a byte at a time.
    for trickle in [false, true] {
        let mut s = TcpStream::connect(b.addr).await.unwrap();
        let start = Instant::now();
        s.write_all(head.as_bytes()).await.unwrap();
        s.write_all(b"{\"bank_tran_id\":").await.unwrap();
        let writer = if trickle {
            let (mut r, mut w) = s.into_split();
            let h = tokio::spawn(async move {
                for _ in 0..200 {
                    if w.write_all(b" ").await.is_err() {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            });
            let (text, closed) = read_until_closed(&mut r, BODY_TIMEOUT + SLACK).await;
            h.abort();
            (text, closed)
        } else {
            read_until_closed(&mut s, BODY_TIMEOUT + SLACK).await
        };
        let (text, closed) = writer;
        let took = closed.map(|at| at - start);
        eprintln!("slow body (trickle: {trickle}): answered and closed after {took:?}");
        assert!(text.starts_with("HTTP/1.1 408"), "{text}");
        assert!(text.contains("\"rsp_code\":\"A0004\""), "{text}");
        let took = took.expect("the server never closed a slow-body connection");
        assert!(
            took >= BODY_TIMEOUT.mul_f32(0.9) && took <= BODY_TIMEOUT + SLACK,
            "{took:?}"
        );
    }
    healthy(b.addr).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_bytes_the_http_parser_refuses_never_reach_a_handler() {
    let b = bind().await;
    // Non-UTF-8 bytes in the request target and in a header name.
    for raw in [
        b"GET /v2.0/bank/status?x=\xff\xfe HTTP/1.1\r\nHost: t\r\n\r\n".to_vec(),
        b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-\xff: 1\r\n\r\n".to_vec(),
    ] {
        let mut s = TcpStream::connect(b.addr).await.unwrap();
        s.write_all(&raw).await.unwrap();
        let (text, closed) = read_until_closed(&mut s, Duration::from_secs(5)).await;
        assert!(closed.is_some(), "{text}");
        assert!(text.is_empty() || text.starts_with("HTTP/1.1 4"), "{text}");
    }
    healthy(b.addr).await;
}
