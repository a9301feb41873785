//! TEMPORARY: stands in for the OAuth helper's headless consent until it
//! lands in the kit (then deleted). A consent record and a mydata token
//! signed for it.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{header, Method, Request};
use finhub_core::consent::{Consent, ConsentRepo};
use finhub_oauth::{AccessClaims, Profile};
use finhub_testkit::{Resp, TestApp};
use serde_json::Value;
use std::sync::atomic::{AtomicU64, Ordering};

pub const OP_ORG: &str = "OP00000001";

pub struct Sess<'a> {
    pub app: &'a TestApp,
    pub access: String,
    pub consent_id: String,
    pub org_code: String,
}

pub fn tid() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("{OP_ORG}M{:014}", NEXT.fetch_add(1, Ordering::Relaxed))
}

pub async fn consent_for<'a>(
    app: &'a TestApp,
    person_id: &str,
    org_code: &str,
    scope: &str,
    account_ids: &[&str],
) -> Sess<'a> {
    let mut scopes: Vec<String> = scope.split(' ').map(str::to_owned).collect();
    let list = format!("{}.list", scope.split('.').next().unwrap());
    if !scopes.contains(&list) {
        scopes.push(list);
    }
    let client = app
        .client("mydata", "shim", &[scope.split(' ').next().unwrap()])
        .await;
    let id = uuid::Uuid::new_v4().to_string();
    let now = app.clock.now();
    let c = Consent {
        consent_id: id.clone(),
        client_id: client.id.clone(),
        receiver_org: client.org.clone(),
        person_id: person_id.into(),
        sender_org: org_code.into(),
        scopes: scopes.clone(),
        account_ids: account_ids.iter().map(|s| s.to_string()).collect(),
        purpose: "자산관리".into(),
        end_date: (app.now_kst() + chrono::Duration::days(365)).date_naive(),
        hold_until: chrono::NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
        is_scheduled: true,
        fnd_cycle: Some("1/d".into()),
        add_cycle: Some("1/d".into()),
        memo: true,
        merchant: false,
        tx_id: None,
        created_at: now,
        revoked_at: None,
    };
    app.store.insert_consent(&c).await.unwrap();
    let oauth = &app.app.oauth;
    let t = now.timestamp();
    let access = oauth.signer.sign(&AccessClaims {
        iss: oauth.config.issuer.clone(),
        aud: OP_ORG.into(),
        jti: uuid::Uuid::new_v4().to_string(),
        iat: t,
        exp: t + 3600,
        client_id: client.id.clone(),
        org_code: client.org.clone(),
        profile: Profile::Mydata,
        scope: scopes,
        sub: Some(person_id.into()),
        fam: Some(id.clone()),
    });
    Sess {
        app,
        access,
        consent_id: id,
        org_code: org_code.into(),
    }
}

impl Sess<'_> {
    fn request(&self, method: Method, path: &str) -> axum::http::request::Builder {
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {}", self.access))
            .header("x-api-tran-id", tid())
            .header("x-api-type", "user-search")
    }
    pub async fn md_get(&self, path: &str) -> Resp {
        let req = self.request(Method::GET, path);
        self.app.send(req.body(Body::empty()).unwrap()).await
    }
    pub async fn md_post(&self, path: &str, body: Value) -> Resp {
        let req = self
            .request(Method::POST, path)
            .header(header::CONTENT_TYPE, "application/json");
        self.app
            .send(req.body(Body::from(body.to_string())).unwrap())
            .await
    }
    pub async fn revoke(&self) {
        self.app
            .store
            .revoke_consent(&self.consent_id, self.app.clock.now())
            .await
            .unwrap();
    }
}

/// An account of `kind` for the person at `org`: (account_id, asset id).
pub async fn hold_acc(app: &TestApp, person_id: &str, org: &str, kind: &str) -> (String, String) {
    let body = serde_json::json!({"institution_code": org, "kind": kind, "balance": 10_000});
    let path = format!("/sandbox/people/{person_id}/accounts");
    let r = app.admin(Method::POST, &path, Some(body)).await;
    assert_eq!(r.status, axum::http::StatusCode::CREATED, "{}", r.text);
    let num = r.body["account_num"].as_str().unwrap();
    (
        r.body["account_id"].as_str().unwrap().to_owned(),
        num.replace('-', ""),
    )
}
