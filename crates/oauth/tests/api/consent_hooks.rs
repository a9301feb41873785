//! The consent hooks: the page's own questions and their checked answers
//! (`consent_answers`, kept as `Grant::terms`), the refresh family chosen at
//! consent time, the headless consent through the same hooks, and a grant
//! type of the standard's own (`own_grant`).

use crate::helpers::*;
use async_trait::async_trait;
use axum::http::StatusCode;
use finhub_core::CoreError;
use finhub_oauth::{
    headless_consent, ConsentAsk, ConsentPage, Grant, HeadlessConsent, HeadlessError, Issued,
    OAuthError, OwnGrant, Profile, ProfileAdapter, Profiles, Question, QuestionKind,
};
use parking_lot::Mutex;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// An ORIS face that asks for a colour and records each consent.
#[derive(Default)]
struct Colours {
    seen: Mutex<Vec<Grant>>,
}

#[async_trait]
impl ProfileAdapter for Colours {
    fn profile(&self) -> Profile {
        Profile::Oris
    }
    fn requires_pkce(&self) -> bool {
        false
    }
    async fn consent_page(&self, ask: ConsentAsk<'_>) -> Result<ConsentPage, CoreError> {
        let mut page = ConsentPage::new(ask);
        page.questions.push(Question {
            name: "colour".into(),
            label: "Colour".into(),
            kind: QuestionKind::Choice(vec![
                ("red".into(), "Red".into()),
                ("blue".into(), "Blue".into()),
            ]),
        });
        Ok(page)
    }
    async fn consent_answers(
        &self,
        answers: &Map<String, Value>,
    ) -> Result<Map<String, Value>, OAuthError> {
        match answers.get("colour").and_then(Value::as_str) {
            Some(c @ ("red" | "blue")) => {
                Ok([("colour".to_owned(), json!(c))].into_iter().collect())
            }
            _ => Err(OAuthError::InvalidRequest(
                "colour must be red or blue".into(),
            )),
        }
    }
    async fn on_consent(&self, _: &finhub_oauth::Client, grant: &Grant) -> Result<(), CoreError> {
        self.seen.lock().push(grant.clone());
        Ok(())
    }
    async fn own_grant(&self, ask: OwnGrant<'_>) -> Option<Result<Issued, OAuthError>> {
        if ask.grant_type != "urn:test:magic" {
            return None;
        }
        let _ = ask.form.get("person")?;
        Some(Err(OAuthError::InvalidGrant("no magic today".into())))
    }
}

fn no_pkce() -> [(&'static str, &'static str); 2] {
    [("code_challenge", ""), ("code_challenge_method", "")]
}

#[tokio::test]
async fn answers_are_checked_kept_as_terms_and_the_family_is_the_token_s() {
    let colours = Arc::new(Colours::default());
    let app = spawn_oauth_with(Profiles::default().with(colours.clone())).await;
    let c = app.client(Profile::Oris, true, &["inquiry"]).await;
    let uri = app.authorize_uri(
        &c.0.client_id,
        &[no_pkce()[0], no_pkce()[1], ("scope", "inquiry")],
    );
    let (rid, page) = app.login(&uri).await;
    assert!(
        page.text.contains("<select id=\"q0\" name=\"colour\">"),
        "{}",
        page.text
    );
    let app = &app;
    let answer = |colour: &'static str| {
        let rid = rid.clone();
        let acct = app.account_ids[0].clone();
        async move {
            let fields = [
                ("request_id", rid.as_str()),
                ("decision", "allow"),
                ("account_id", acct.as_str()),
                ("colour", colour),
            ];
            app.post_form("/oauth/2.0/authorize/consent", &fields).await
        }
    };
    let r = answer("green").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{r}");
    assert!(r.text.contains("colour must be red or blue"), "{r}");
    assert!(
        colours.seen.lock().is_empty(),
        "a refused answer sets nothing up"
    );
    let r = answer("blue").await;
    let code = r.redirect_query()["code"].clone();
    let grant = colours.seen.lock()[0].clone();
    assert_eq!(grant.terms["colour"], "blue");
    assert_eq!(grant.account_ids, [app.account_ids[0].clone()]);
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
    let claims = app.oauth.verify_access(&s(&t, "access_token")).unwrap();
    assert_eq!(claims.fam.as_deref(), Some(grant.family_id.as_str()));
    let r = app.refresh(&c, &s(&t, "refresh_token")).await.json();
    let again = app.oauth.verify_access(&s(&r, "access_token")).unwrap();
    assert_eq!(again.fam, claims.fam, "a refresh keeps the family");
}

#[tokio::test]
async fn a_headless_consent_runs_the_same_checks_and_hooks() {
    let colours = Arc::new(Colours::default());
    let app = spawn_oauth_with(Profiles::default().with(colours.clone())).await;
    let c = app
        .client(Profile::Oris, true, &["inquiry", "report"])
        .await;
    let assets = vec![app.account_ids[1].clone()];
    let ask = |person: &'static str,
               redirect: &'static str,
               colour: &'static str,
               assets: Vec<String>| {
        let app = &app;
        let c = c.0.client_id.clone();
        async move {
            let person = if person.is_empty() {
                app.person.person_id.clone()
            } else {
                person.into()
            };
            let answers = [("colour".to_owned(), json!(colour))].into_iter().collect();
            let h = HeadlessConsent {
                client_id: &c,
                person_id: &person,
                redirect_uri: redirect,
                scope: Some("inquiry"),
                state: None,
                code_challenge: None,
                params: &[],
                assets: Some(&assets),
                answers,
            };
            headless_consent(&app.oauth, &app.world, &app.profiles, h).await
        }
    };
    assert!(matches!(
        ask("nobody", REDIRECT, "red", assets.clone()).await,
        Err(HeadlessError::NotFound(_))
    ));
    for (redirect, colour, assets) in [
        ("https://evil.example/cb", "red", assets.clone()),
        (REDIRECT, "green", assets.clone()),
        (REDIRECT, "red", vec!["not-an-account".to_string()]),
    ] {
        let r = ask("", redirect, colour, assets).await;
        assert!(matches!(r, Err(HeadlessError::Invalid(_))), "{r:?}");
    }
    assert!(colours.seen.lock().is_empty());
    let to = ask("", REDIRECT, "red", assets.clone()).await.unwrap();
    assert!(to.starts_with(&format!("{REDIRECT}?code=")), "{to}");
    assert!(
        to.contains("scope=inquiry") && !to.contains("state="),
        "{to}"
    );
    let grant = colours.seen.lock()[0].clone();
    assert_eq!(
        (grant.account_ids, grant.terms["colour"].clone()),
        (assets, json!("red"))
    );
}

#[tokio::test]
async fn a_grant_type_of_the_standard_s_own_goes_to_its_adapter() {
    let app = spawn_oauth_with(Profiles::default().with(Arc::new(Colours::default()))).await;
    let c = app.client(Profile::Oris, true, &["inquiry"]).await;
    let r = app
        .token(&c, &[("grant_type", "urn:test:magic"), ("person", "x")])
        .await;
    assert_eq!(
        (r.status, r.error()),
        (StatusCode::BAD_REQUEST, "invalid_grant".into())
    );
    assert_eq!(r.json()["error_description"], "no magic today");
    let r = app.token(&c, &[("grant_type", "urn:test:other")]).await;
    assert_eq!(r.error(), "unsupported_grant_type");
    let r = app
        .token(
            &c,
            &[
                ("grant_type", "urn:test:magic"),
                ("person", "x"),
                ("person", "y"),
            ],
        )
        .await;
    assert_eq!(r.error(), "invalid_request", "a repeated parameter");
}
