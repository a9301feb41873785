//! Client registration, hashed secrets and the guessing throttle.

use crate::helpers::*;
use axum::http::StatusCode;
use chrono::Duration;
use finhub_oauth::{NewClient, OAuthError, Profile};

fn new_client(redirect_uris: Vec<&str>, scopes: Vec<&str>) -> NewClient {
    NewClient {
        profile: Profile::Obp,
        name: "앱".into(),
        redirect_uris: redirect_uris.into_iter().map(String::from).collect(),
        scopes: scopes.into_iter().map(String::from).collect(),
        org_code: None,
    }
}

#[tokio::test]
async fn secrets_are_stored_only_as_argon2_hashes() {
    let app = spawn_oauth().await;
    let (client, secret) = app.client(Profile::Kftc, true, &["login"]).await;
    assert!(secret.len() >= 43);
    assert!(client.secret_hash.starts_with("$argon2id$"));
    // Scan every stored column of the row: the plain secret is nowhere.
    let sql = "SELECT client_id, secret_hash, name, profile, org_code, redirect_uris, scopes FROM oauth_clients";
    let rows: Vec<(String, String, String, String, String, String, String)> =
        match app.ts.store.db() {
            finhub_store::Db::Sqlite(p) => sqlx::query_as(sql).fetch_all(p).await.unwrap(),
            finhub_store::Db::Pg(p) => sqlx::query_as(sql).fetch_all(p).await.unwrap(),
        };
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    for col in [&r.0, &r.1, &r.2, &r.3, &r.4, &r.5, &r.6] {
        assert!(!col.contains(&secret));
    }
    assert_eq!(r.1, client.secret_hash);
    // The client serialises without its hash.
    assert!(!serde_json::to_string(&client).unwrap().contains("argon2"));
    // And authenticates with the secret.
    assert_eq!(
        app.oauth
            .authenticate_client(&client.client_id, &secret)
            .await
            .unwrap()
            .client_id,
        client.client_id
    );
}

#[tokio::test]
async fn registration_validates_redirect_uris_and_scopes_and_lists_clients() {
    let app = spawn_oauth().await;
    for (uris, scopes) in [
        (vec!["/relative"], vec!["a"]),
        (vec!["https://x.example/cb#frag"], vec!["a"]),
        (vec!["ftp://x.example/cb"], vec!["a"]),
        (vec!["https://x.example/cb"], vec![]),
        (vec!["https://x.example/cb"], vec!["bad scope"]),
    ] {
        let r = app
            .oauth
            .create_client(new_client(uris.clone(), scopes.clone()), &app.profiles)
            .await;
        assert!(
            matches!(
                r,
                Err(OAuthError::InvalidRequest(_)) | Err(OAuthError::InvalidScope(_))
            ),
            "{uris:?} {scopes:?}"
        );
    }
    let (a, _) = app
        .oauth
        .create_client(
            new_client(
                vec!["https://x.example/cb", "http://localhost:8080/cb"],
                vec!["a", "b"],
            ),
            &app.profiles,
        )
        .await
        .unwrap();
    assert_eq!(a.org_code, "OBP0000001");
    let (b, _) = app
        .oauth
        .create_client(
            NewClient {
                org_code: Some("F123456789".into()),
                ..new_client(vec![], vec!["a"])
            },
            &app.profiles,
        )
        .await
        .unwrap();
    assert_eq!(b.org_code, "F123456789");
    assert_ne!(a.client_id, b.client_id);
    let listed = app.oauth.list_clients().await.unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0], a);
    assert_eq!(listed[1], b);
}

#[tokio::test]
async fn secret_guessing_is_throttled_per_client() {
    let app = spawn_oauth().await;
    let c = app.client(Profile::Obp, false, &["a"]).await;
    let other = app.client(Profile::Obp, false, &["a"]).await;
    for _ in 0..finhub_oauth::MAX_FAILURES {
        let r = app
            .post_form(
                "/oauth/2.0/token",
                &[
                    ("grant_type", "client_credentials"),
                    ("client_id", &c.0.client_id),
                    ("client_secret", "guess"),
                ],
            )
            .await;
        assert_eq!(r.error(), "invalid_client");
    }
    // Even the right secret is refused until the window passes.
    let r = app.token(&c, &[("grant_type", "client_credentials")]).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.error(), "slow_down");
    // Other clients are unaffected.
    assert_eq!(
        app.token(&other, &[("grant_type", "client_credentials")])
            .await
            .status,
        StatusCode::OK
    );
    app.clock
        .advance(Duration::seconds(finhub_oauth::WINDOW_SECS + 1));
    assert_eq!(
        app.token(&c, &[("grant_type", "client_credentials")])
            .await
            .status,
        StatusCode::OK
    );
}
