//! A profile adapter decides the token's audience, extra response fields,
//! the error envelope and the revoke answer.

use crate::helpers::*;
use async_trait::async_trait;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use finhub_core::CoreError;
use finhub_oauth::{AccessClaims, Client, OAuthError, Profile, ProfileAdapter, Profiles};
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// Shaped like the KFTC face: HTTP 200 errors with rsp_code, client_use_code in tokens.
struct KftcLike;

#[async_trait]
impl ProfileAdapter for KftcLike {
    fn profile(&self) -> Profile {
        Profile::Kftc
    }
    async fn audience(
        &self,
        client: &Client,
        person_id: Option<&str>,
    ) -> Result<String, CoreError> {
        Ok(match person_id {
            Some(_) => "1100000001".into(),
            None => client.org_code.clone(),
        })
    }
    async fn token_extras(
        &self,
        client: &Client,
        claims: &AccessClaims,
    ) -> Result<Map<String, Value>, CoreError> {
        let mut m = Map::new();
        match &claims.sub {
            Some(_) => m.insert("user_seq_no".into(), json!(claims.aud)),
            None => m.insert("client_use_code".into(), json!(client.org_code)),
        };
        Ok(m)
    }
    fn error_response(&self, err: &OAuthError) -> Response {
        (
            StatusCode::OK,
            axum::Json(json!({"rsp_code": "O0001", "rsp_message": err.code()})),
        )
            .into_response()
    }
    fn revoke_response(&self) -> Response {
        axum::Json(json!({"rsp_code": "A0000", "rsp_message": ""})).into_response()
    }
    fn new_org_code(&self, seq: u64) -> String {
        format!("M2026{seq:05}")
    }
}

#[tokio::test]
async fn the_profile_shapes_tokens_errors_and_revoke() {
    let app = spawn_oauth_with(Profiles::default().with(Arc::new(KftcLike))).await;
    let k = app
        .client(Profile::Kftc, true, &["oob", "login", "inquiry"])
        .await;
    assert_eq!(k.0.org_code, "M202600001");

    // KFTC's client_credentials needs a scope; the error comes in its envelope.
    let r = app.token(&k, &[("grant_type", "client_credentials")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["rsp_code"], "O0001");
    assert_eq!(r.json()["rsp_message"], "invalid_request");

    let r = app
        .token(
            &k,
            &[("grant_type", "client_credentials"), ("scope", "oob")],
        )
        .await;
    let t = r.json();
    assert_eq!(t["client_use_code"], "M202600001");
    assert_eq!(t["expires_in"], 7_776_000);
    assert_eq!(t["token_type"], "Bearer");
    let claims = app.oauth.verify_access(&s(&t, "access_token")).unwrap();
    assert_eq!(claims.aud, "M202600001");

    // A bad secret of a known KFTC client: the KFTC envelope.
    let r = app
        .post_form(
            "/oauth/2.0/token",
            &[
                ("grant_type", "client_credentials"),
                ("client_id", &k.0.client_id),
                ("client_secret", "x"),
            ],
        )
        .await;
    assert_eq!(r.json()["rsp_code"], "O0001");
    assert_eq!(r.json()["rsp_message"], "invalid_client");
    // An unknown client: plain RFC 6749.
    let r = app
        .post_form(
            "/oauth/2.0/token",
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "nobody"),
                ("client_secret", "x"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.error(), "invalid_client");

    // 3-legged: user_seq_no in the response and as audience; KFTC sends no PKCE.
    let code = app
        .code(
            &k.0.client_id,
            &[
                ("scope", "login inquiry"),
                ("auth_type", "0"),
                ("code_challenge", ""),
                ("code_challenge_method", ""),
            ],
        )
        .await;
    let t = app
        .token(
            &k,
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", REDIRECT),
            ],
        )
        .await
        .json();
    assert_eq!(t["user_seq_no"], "1100000001");
    assert_eq!(t["scope"], "login inquiry");
    let r = app
        .post_form(
            "/oauth/2.0/revoke",
            &[
                ("client_id", &k.0.client_id),
                ("client_secret", &k.1),
                ("access_token", &s(&t, "access_token")),
            ],
        )
        .await;
    assert_eq!(r.json()["rsp_code"], "A0000");
    assert!(app.oauth.verify_access(&s(&t, "access_token")).is_err());

    // KFTC's authorize checks its own parameters.
    let r = app
        .get(&app.authorize_uri(
            &k.0.client_id,
            &[
                ("scope", "login"),
                ("auth_type", "9"),
                ("code_challenge", ""),
                ("code_challenge_method", ""),
            ],
        ))
        .await;
    assert_eq!(r.redirect_query()["error"], "invalid_request");
    let r = app
        .get(&app.authorize_uri(
            &k.0.client_id,
            &[
                ("scope", "login"),
                ("state", ""),
                ("code_challenge", ""),
                ("code_challenge_method", ""),
            ],
        ))
        .await;
    assert_eq!(r.redirect_query()["error"], "invalid_request");
}
