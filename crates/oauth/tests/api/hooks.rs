//! A face's adapter replaces its profile's built-in rules hook by hook:
//! required state, kept parameters, PKCE, token lifetime and the consent
//! page. A profile with no adapter keeps its built-in rules.

use crate::helpers::*;
use async_trait::async_trait;
use axum::http::StatusCode;
use finhub_core::CoreError;
use finhub_oauth::{
    ConsentAsk, ConsentPage, OAuthConfig, OAuthError, Profile, ProfileAdapter, Profiles,
};
use serde_json::{Map, Value};
use std::sync::Arc;

/// An OBP face with rules of its own.
struct Strict;

#[async_trait]
impl ProfileAdapter for Strict {
    fn profile(&self) -> Profile {
        Profile::Obp
    }
    fn requires_state(&self) -> bool {
        true
    }
    fn requires_pkce(&self) -> bool {
        false
    }
    fn extra_params(&self) -> &'static [&'static str] {
        &["client_info", "lang"]
    }
    fn check_extra_params(&self, extra: &Map<String, Value>) -> Result<(), OAuthError> {
        match extra.get("lang").and_then(Value::as_str) {
            Some("en") | None => Ok(()),
            Some(_) => Err(OAuthError::InvalidRequest("lang must be en".into())),
        }
    }
    fn access_ttl_secs(&self, cfg: &OAuthConfig) -> i64 {
        cfg.access_ttl_secs / 60
    }
    async fn consent_page(&self, ask: ConsentAsk<'_>) -> Result<ConsentPage, CoreError> {
        let mut page = ConsentPage::new(ask);
        page.title = "Share your data?".into();
        page.accounts = None;
        Ok(page)
    }
    fn standard_scopes(&self) -> Vec<String> {
        vec!["accounts".into()]
    }
}

/// A face that asks for tokens longer than revocation remembers.
struct Greedy;

impl ProfileAdapter for Greedy {
    fn profile(&self) -> Profile {
        Profile::Konaplate
    }
    fn access_ttl_secs(&self, cfg: &OAuthConfig) -> i64 {
        cfg.kftc_access_ttl_secs * 10
    }
}

#[tokio::test]
async fn a_face_adapter_decides_its_authorize_token_and_consent_rules() {
    let app = spawn_oauth_with(Profiles::default().with(Arc::new(Strict))).await;
    let c = app.client(Profile::Obp, true, &["accounts"]).await;
    let id = c.0.client_id.as_str();

    let no_state = app.get(&app.authorize_uri(id, &[("state", "")])).await;
    assert_eq!(no_state.redirect_query()["error"], "invalid_request");
    let bad_lang = app.get(&app.authorize_uri(id, &[("lang", "fr")])).await;
    assert_eq!(
        bad_lang.redirect_query()["error_description"],
        "lang must be en"
    );

    // No PKCE needed; the consent page is the face's: its title, no accounts.
    let no_pkce = [
        ("code_challenge", ""),
        ("code_challenge_method", ""),
        ("lang", "en"),
    ];
    let (rid, consent) = app.login(&app.authorize_uri(id, &no_pkce)).await;
    assert!(consent.text.contains("<title>Share your data?</title>"));
    assert!(consent.text.contains("(accounts)"));
    assert!(field_values(&consent.text, "account_id").is_empty());
    let picked = app
        .post_form(
            "/oauth/2.0/authorize/consent",
            &[
                ("request_id", &rid),
                ("decision", "allow"),
                ("account_id", &app.account_ids[0]),
            ],
        )
        .await;
    assert_eq!(picked.status, StatusCode::BAD_REQUEST);
    assert!(picked.text.contains("목록에 있는 항목만 선택하세요."));
    assert!(picked.text.contains("Share your data?"));
    let allowed = app
        .post_form(
            "/oauth/2.0/authorize/consent",
            &[("request_id", &rid), ("decision", "allow")],
        )
        .await;
    let code = allowed.redirect_query()["code"].clone();
    let t = app
        .token(
            &c,
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", REDIRECT),
            ],
        )
        .await
        .json();
    assert_eq!(t["expires_in"], 60);
    let claims = app.oauth.verify_access(&s(&t, "access_token")).unwrap();
    assert!(app
        .oauth
        .granted_accounts(&claims)
        .await
        .unwrap()
        .is_empty());

    // Other profiles keep their built-in rules.
    let m = app.client(Profile::Mydata, true, &["bank.list"]).await;
    let r = app
        .get(&app.authorize_uri(
            &m.0.client_id,
            &[("scope", "bank.list"), ("state", ""), ("lang", "fr")],
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

#[tokio::test]
async fn no_token_outlives_what_revocation_remembers() {
    let app = spawn_oauth_with(Profiles::default().with(Arc::new(Greedy))).await;
    let c = app.client(Profile::Konaplate, false, &["prepaid"]).await;
    let t = app
        .token(&c, &[("grant_type", "client_credentials")])
        .await
        .json();
    assert_eq!(t["expires_in"], OAuthConfig::default().kftc_access_ttl_secs);
}

#[test]
fn profiles_without_a_face_get_their_built_in_rules() {
    let cfg = OAuthConfig::default();
    let profiles = Profiles::default().with(Arc::new(Strict));
    let kftc = profiles.get_or_default(Profile::Kftc);
    assert!(kftc.requires_scope() && kftc.requires_state() && !kftc.requires_pkce());
    assert_eq!(kftc.access_ttl_secs(&cfg), cfg.kftc_access_ttl_secs);
    assert!(kftc.extra_params().contains(&"auth_type"));
    let mydata = profiles.get_or_default(Profile::Mydata);
    assert!(!mydata.requires_pkce() && !mydata.requires_state());
    assert_eq!(
        mydata.extra_params(),
        &["client_info", "org_code", "app_scheme"]
    );
    for p in [Profile::Konaplate, Profile::Oris] {
        let a = profiles.get_or_default(p);
        assert!(a.requires_pkce() && !a.requires_scope());
        assert_eq!(a.access_ttl_secs(&cfg), cfg.access_ttl_secs);
        assert!(!a.standard_scopes().is_empty());
        assert_eq!(a.client_credentials_scopes(), None);
    }
    assert_eq!(
        profiles.get_or_default(Profile::Oris).standard_scopes(),
        ["inquiry", "report"]
    );
    assert_eq!(
        kftc.standard_scopes(),
        ["login", "inquiry", "transfer", "oob", "sa"]
    );
    // The registered adapter answers for its profile.
    let obp = profiles.get_or_default(Profile::Obp);
    assert!(obp.requires_state() && !obp.requires_pkce());
    assert_eq!(obp.standard_scopes(), vec!["accounts".to_string()]);
    assert!(profiles.get(Profile::Kftc).is_none());
}
