use axum::http::{Method, StatusCode};
use finhub_core::money::Currency;
use finhub_core::repo::LedgerRepo;
use finhub_testkit::*;

#[tokio::test]
async fn opens_a_funded_account_and_money_is_conserved() {
    let app = spawn_app().await;
    let p = app.create_person("강감찬", None).await;
    let pid = p["person_id"].as_str().unwrap();
    let r = app
        .admin_raw(
            Method::POST,
            &format!("/sandbox/people/{pid}/accounts"),
            Some(r#"{"bank_code_std":"088","kind":"demand","product_name":"쏠편한 입출금통장","balance":1250000,"currency":"KRW"}"#),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["institution_code"], "BA00000088");
    assert_eq!(r.body["bank_code_std"], "088");
    assert_eq!(r.body["product_name"], "쏠편한 입출금통장");
    assert_eq!(r.body["balance"], 1250000);
    assert_eq!(r.body["person_id"], pid);

    // By organisation code, in dollars given as a decimal string.
    let r = app
        .admin_raw(
            Method::POST,
            &format!("/sandbox/people/{pid}/accounts"),
            Some(r#"{"institution_code":"BA00000004","kind":"savings","balance":"12.34","currency":"USD"}"#),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["balance"], 1234);
    assert_eq!(r.body["currency"], "USD");

    assert_eq!(app.account_count(pid).await, 2);
    let totals = app.store.balance_totals().await.unwrap();
    assert!(totals.iter().all(|(_, sum)| *sum == 0), "{totals:?}");
    assert!(totals.iter().any(|(c, _)| *c == Currency::USD));
    assert!(app.store.audit().await.unwrap().is_empty());
}

#[tokio::test]
async fn bad_account_requests_write_nothing() {
    let app = spawn_app().await;
    let p = app.create_person("유관순", None).await;
    let pid = p["person_id"].as_str().unwrap().to_owned();
    let path = format!("/sandbox/people/{pid}/accounts");
    let cases: &[(&str, &str, StatusCode)] = &[
        (&path, "{", StatusCode::BAD_REQUEST),
        (
            &path,
            r#"{"kind":"demand","balance":1}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            &path,
            r#"{"bank_code_std":"004","balance":1}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            &path,
            r#"{"bank_code_std":"004","kind":"demand"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            &path,
            r#"{"bank_code_std":"004","kind":"demand","balance":true}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            &path,
            r#"{"bank_code_std":"004","kind":"demand","balance":-5}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            &path,
            r#"{"bank_code_std":"004","kind":"demand","balance":"1.5","currency":"KRW"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            &path,
            r#"{"bank_code_std":"004","kind":"rocket","balance":1}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            &path,
            r#"{"bank_code_std":"004","kind":"settlement","balance":1}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            &path,
            r#"{"bank_code_std":"004","kind":"demand","balance":1,"currency":"won"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            &path,
            r#"{"bank_code_std":"004","institution_code":"BA00000004","kind":"demand","balance":1}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            &path,
            r#"{"bank_code_std":"999","kind":"demand","balance":1}"#,
            StatusCode::NOT_FOUND,
        ),
        (
            &path,
            r#"{"institution_code":"BA99999999","kind":"demand","balance":1}"#,
            StatusCode::NOT_FOUND,
        ),
        (
            "/sandbox/people/no-such-person/accounts",
            r#"{"bank_code_std":"004","kind":"demand","balance":1}"#,
            StatusCode::NOT_FOUND,
        ),
    ];
    for (path, body, status) in cases {
        let r = app.admin_raw(Method::POST, path, Some(body)).await;
        assert_eq!(r.status, *status, "{body}: {}", r.text);
        assert!(
            r.body["error"].is_string() && r.body["message"].is_string(),
            "{}",
            r.text
        );
    }
    assert_eq!(app.account_count(&pid).await, 0);
    let totals = app.store.balance_totals().await.unwrap();
    assert!(totals.iter().all(|(_, sum)| *sum == 0), "{totals:?}");
}

#[tokio::test]
async fn a_duplicate_account_number_is_a_conflict() {
    let app = spawn_app().await;
    let p = app.create_person("장보고", None).await;
    let path = format!(
        "/sandbox/people/{}/accounts",
        p["person_id"].as_str().unwrap()
    );
    let body =
        r#"{"bank_code_std":"004","kind":"demand","balance":10,"account_num":"123-456-789"}"#;
    let r = app.admin_raw(Method::POST, &path, Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = app.admin_raw(Method::POST, &path, Some(body)).await;
    assert_error(&r, StatusCode::CONFLICT, "conflict");
    assert_eq!(app.account_count(p["person_id"].as_str().unwrap()).await, 1);
}
