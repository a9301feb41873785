use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use finhub_testkit::*;

#[tokio::test]
async fn creates_a_person_with_a_generated_ci() {
    let app = spawn_app().await;
    let r = app
        .admin_raw(
            Method::POST,
            "/sandbox/people",
            Some(r#"{"name":"홍길동","birth_date":"1988-07-15","gender":"M","phone":"010-1234-5678","email":"hong@example.com"}"#),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["name"], "홍길동");
    assert_eq!(r.body["birth_date"], "1988-07-15");
    assert_eq!(r.body["gender"], "M");
    assert_eq!(r.body["phone"], "01012345678");
    assert_eq!(r.body["ci"].as_str().unwrap().len(), 88);
    assert_eq!(r.body["accounts"], serde_json::json!([]));
    assert_eq!(app.people_count().await, 1);
}

#[tokio::test]
async fn bad_person_bodies_are_refused_without_a_write() {
    let app = spawn_app().await;
    let cases: &[(&str, StatusCode, &str)] = &[
        ("{", StatusCode::BAD_REQUEST, "bad_request"),
        ("not json", StatusCode::BAD_REQUEST, "bad_request"),
        (
            r#"{"name":"김"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
        ),
        (
            r#"{"birth_date":"1990-01-01"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
        ),
        (
            r#"{"name":5,"birth_date":"1990-01-01"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
        ),
        (
            r#"{"name":"김","birth_date":"01/02/1990"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
        ),
        (
            r#"{"name":"김","birth_date":"1990-02-30"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
        ),
        (
            r#"{"name":"김","birth_date":"1990-01-01","gender":"X"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
        ),
        (
            r#"{"name":"김","birth_date":"1990-01-01","phone":"abc"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
        ),
        (
            r#"{"name":"김","birth_date":"1990-01-01","email":"nope"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
        ),
        (
            r#"{"name":"  ","birth_date":"1990-01-01"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
        ),
        (
            r#"{"name":"김","birth_date":"1990-01-01","extra":1}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
        ),
        ("[]", StatusCode::UNPROCESSABLE_ENTITY, "invalid_field"),
    ];
    for (body, status, code) in cases {
        let r = app
            .admin_raw(Method::POST, "/sandbox/people", Some(body))
            .await;
        assert_eq!(r.status, *status, "{body}: {}", r.text);
        assert_error(&r, *status, code);
    }
    assert_eq!(app.people_count().await, 0);
}

#[tokio::test]
async fn missing_content_type_is_415() {
    let app = spawn_app().await;
    let r = app
        .send(
            Request::post("/sandbox/people")
                .header("authorization", format!("Bearer {ADMIN_KEY}"))
                .body(Body::from(r#"{"name":"김","birth_date":"1990-01-01"}"#))
                .unwrap(),
        )
        .await;
    assert_error(
        &r,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    );
    assert_eq!(app.people_count().await, 0);
}

#[tokio::test]
async fn oversized_bodies_are_413_in_json() {
    let app = spawn_app().await;
    let huge = format!(
        r#"{{"name":"김","birth_date":"1990-01-01","email":"{}@x"}}"#,
        "a".repeat(1_100_000)
    );
    // With a Content-Length the limit layer refuses before reading.
    let r = app
        .admin_raw(Method::POST, "/sandbox/people", Some(&huge))
        .await;
    assert_eq!(
        r.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        &r.text[..r.text.len().min(200)]
    );
    assert_eq!(r.body["error"], "payload_too_large");
    // Streamed without a length, the extractor stops reading at the limit.
    let stream = futures::stream::iter(
        huge.into_bytes()
            .chunks(64 * 1024)
            .map(|c| Ok::<_, std::io::Error>(c.to_vec()))
            .collect::<Vec<_>>(),
    );
    let r = app
        .send(
            Request::post("/sandbox/people")
                .header("authorization", format!("Bearer {ADMIN_KEY}"))
                .header("content-type", "application/json")
                .body(Body::from_stream(stream))
                .unwrap(),
        )
        .await;
    assert_error(&r, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    assert!(r.headers.get("x-request-id").is_some());
    assert_eq!(app.people_count().await, 0);
}

#[tokio::test]
async fn a_duplicate_phone_is_a_conflict() {
    let app = spawn_app().await;
    app.create_person("이순신", Some("010-5555-0001")).await;
    let r = app
        .admin_raw(
            Method::POST,
            "/sandbox/people",
            Some(r#"{"name":"이순신2","birth_date":"1990-01-01","phone":"01055550001"}"#),
        )
        .await;
    assert_error(&r, StatusCode::CONFLICT, "conflict");
    assert_eq!(app.people_count().await, 1);
}

#[tokio::test]
async fn the_admin_key_guards_every_route() {
    let app = spawn_app().await;
    let body = r#"{"name":"김","birth_date":"1990-01-01"}"#;
    for auth in [
        None,
        Some("Bearer wrong"),
        Some("Basic dGVzdA=="),
        Some("Bearer "),
    ] {
        for (method, path) in [
            (Method::GET, "/sandbox/people"),
            (Method::POST, "/sandbox/people"),
            (Method::GET, "/sandbox/institutions"),
            (Method::PUT, "/sandbox/institutions/004/status"),
            (Method::POST, "/sandbox/clock"),
            (Method::POST, "/sandbox/people/x/accounts"),
        ] {
            let mut b = Request::builder()
                .method(method.clone())
                .uri(path)
                .header("content-type", "application/json");
            if let Some(a) = auth {
                b = b.header("authorization", a);
            }
            let r = app.send(b.body(Body::from(body)).unwrap()).await;
            assert_error(&r, StatusCode::UNAUTHORIZED, "unauthorized");
            assert!(r.headers.get("www-authenticate").is_some());
        }
    }
    assert_eq!(app.people_count().await, 0);
}

#[tokio::test]
async fn lists_people_with_their_accounts_in_pages() {
    let app = spawn_app().await;
    let mut ids = Vec::new();
    for i in 0..3 {
        let p = app.create_person(&format!("사람{i}"), None).await;
        ids.push(p["person_id"].as_str().unwrap().to_owned());
    }
    let r = app
        .admin_raw(
            Method::POST,
            &format!("/sandbox/people/{}/accounts", ids[1]),
            Some(r#"{"bank_code_std":"004","kind":"demand","balance":50000,"currency":"KRW"}"#),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

    let r = app
        .admin_raw(Method::GET, "/sandbox/people?limit=2", None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["total"], 3);
    let page1 = r.body["people"].as_array().unwrap().clone();
    assert_eq!(page1.len(), 2);
    let r = app
        .admin_raw(Method::GET, "/sandbox/people?limit=2&offset=2", None)
        .await;
    let page2 = r.body["people"].as_array().unwrap().clone();
    assert_eq!(page2.len(), 1);
    let all: Vec<_> = page1.iter().chain(page2.iter()).collect();
    let holder = all
        .iter()
        .find(|p| p["person_id"] == ids[1].as_str())
        .unwrap();
    let acc = &holder["accounts"][0];
    assert_eq!(acc["bank_code_std"], "004");
    assert_eq!(acc["institution_code"], "BA00000004");
    assert_eq!(acc["balance"], 50000);
    assert_eq!(acc["currency"], "KRW");
    assert_eq!(acc["kind"], "demand");
    for key in ["account_id", "account_num", "product_name"] {
        assert!(acc[key].as_str().is_some_and(|s| !s.is_empty()), "{key}");
    }
    for p in all.iter().filter(|p| p["person_id"] != ids[1].as_str()) {
        assert_eq!(p["accounts"], serde_json::json!([]));
    }
}

#[tokio::test]
async fn page_bounds_are_enforced() {
    let app = spawn_app().await;
    for q in ["limit=0", "limit=501"] {
        let r = app
            .admin_raw(Method::GET, &format!("/sandbox/people?{q}"), None)
            .await;
        assert_error(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    }
    for q in ["limit=abc", "offset=-1", "limit=99999999999"] {
        let r = app
            .admin_raw(Method::GET, &format!("/sandbox/people?{q}"), None)
            .await;
        assert_error(&r, StatusCode::BAD_REQUEST, "bad_request");
    }
    let r = app
        .admin_raw(Method::GET, "/sandbox/people?limit=500", None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["people"], serde_json::json!([]));
}
