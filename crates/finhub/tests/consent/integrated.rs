//! 통합인증-002 and the sandbox CA (mydata-sandbox.md §5): the signed form,
//! the tokens it buys once, and the refusals of a replay or a tampered form.

use axum::http::StatusCode;
use chrono::Days;
use finhub_core::consent::ConsentRepo;
use finhub_testkit::{assert_error, spawn_app, TestApp};
use serde_json::{json, Value};

const KB: &str = "BA00000004";
const CARD: &str = "CD00000001";

fn oauth_400(r: &finhub_testkit::Resp, error: &str) {
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{r}");
    assert_eq!(r.json()["error"], error, "{r}");
}

fn with(form: &Value, k: &str, v: &str) -> Value {
    let mut f = form.clone();
    f[k] = v.into();
    f
}

#[tokio::test]
async fn a_signed_consent_buys_tokens_once_echoing_tx_id() {
    let app = spawn_app().await;
    let op = app.operator("통합 앱").await;
    let p = app.sandbox_person("통합이", "010-5000-0001", 30_000).await;
    let card = app.hold(&p.person_id, CARD, "card").await;
    app.hold(&p.person_id, CARD, "card").await;
    let body = json!({"person_id": p.person_id, "org_code": CARD, "scope": "card.card card.point",
        "assets": [card.asset]});
    let signed = op.sign_consent(body).await;
    assert_eq!(signed.status, StatusCode::OK, "{signed}");
    let form = signed.body["form"].clone();
    let f = |k: &str| {
        form[k]
            .as_str()
            .unwrap_or_else(|| panic!("{k}: {form}"))
            .to_owned()
    };
    assert!(form.get("client_secret").is_none());
    let tx = f("tx_id");
    assert_eq!(tx.len(), 74, "{tx}");
    assert!(tx.contains(&op.client.org) && tx.contains(CARD), "{tx}");
    assert_eq!(
        (f("grant_type"), f("org_code"), f("client_id")),
        ("password".into(), CARD.into(), op.client.id.clone())
    );
    assert_eq!(f("username"), p.ci);
    assert_eq!(
        (f("request_type"), f("consent_type"), f("auth_type")),
        ("1".into(), "1".into(), "1".into())
    );
    assert_eq!(f("password_len"), f("password").len().to_string());
    assert!(!f("password").contains(['+', '/', '=']), "URL-safe base64");
    assert!(!f("ca_code").is_empty() && !f("cert_tx_id").is_empty());
    let consent: Value = serde_json::from_str(&f("consent")).unwrap();
    assert_eq!(consent["snd_org_code"], CARD);
    assert_eq!(consent["rcv_org_code"], op.client.org);
    assert_eq!(f("consent_len"), f("consent").chars().count().to_string());
    let targets = consent["target_info"].as_array().unwrap();
    let card_card = targets.iter().find(|t| t["scope"] == "card.card").unwrap();
    assert_eq!(card_card["asset_list"], json!([{"asset": card.asset}]));

    let r = op.post_signed(&form).await;
    assert_eq!(r.status, StatusCode::OK, "{r}");
    assert_eq!(r.body["tx_id"], tx.as_str());
    assert_eq!(r.body["scope"], "card.list card.card card.point");
    assert_eq!(r.body["refresh_token_expires_in"], 365 * 24 * 3600);
    for k in ["access_token", "refresh_token", "token_type"] {
        assert!(r.body[k].is_string(), "{k}: {r}");
    }
    let access = r.body["access_token"].as_str().unwrap();
    let fam = app.app.oauth.verify_access(access).unwrap().fam.unwrap();
    let c = app.store.consent(&fam).await.unwrap().unwrap();
    assert_eq!(c.tx_id.as_deref(), Some(tx.as_str()));
    assert_eq!(c.account_ids, [card.account_id]);
    assert_eq!(c.scopes, ["card.list", "card.card", "card.point"]);

    // The same form again: refused, and nothing more recorded.
    let again = op.post_signed(&form).await;
    oauth_400(&again, "invalid_grant");
    assert_eq!(
        app.store
            .consents_of_person(&p.person_id)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn a_tampered_form_is_refused_and_records_nothing() {
    let app = spawn_app().await;
    let op = app.operator("통합 앱").await;
    let p = app.sandbox_person("변조", "010-5000-0002", 30_000).await;
    let other = app.sandbox_person("남남", "010-5000-0003", 30_000).await;
    let body = json!({"person_id": p.person_id, "org_code": KB, "scope": "bank.deposit"});
    let form = op.sign_consent(body).await.body["form"].clone();
    let pw = form["password"].as_str().unwrap().to_owned();
    let flipped = format!(
        "{}{}",
        if pw.starts_with('A') { "B" } else { "A" },
        &pw[1..]
    );
    let consent = form["consent"].as_str().unwrap();
    let wider = consent.replace("\"purpose\":\"", "\"purpose\":\"X");
    let mut wider_form = with(&form, "consent", &wider);
    wider_form["consent_len"] = wider.chars().count().to_string().into();
    for (f, error) in [
        (with(&form, "password", &flipped), "invalid_grant"),
        (wider_form, "invalid_grant"),
        (with(&form, "username", &other.ci), "invalid_grant"),
        (with(&form, "ca_code", "CA99999999"), "invalid_grant"),
        (with(&form, "password_len", "3"), "invalid_request"),
        (with(&form, "tx_id", "short"), "invalid_request"),
        (with(&form, "password", ""), "invalid_request"),
        (with(&form, "org_code", "BA00000088"), "invalid_grant"),
    ] {
        let r = op.post_signed(&f).await;
        oauth_400(&r, error);
    }
    for person in [&p.person_id, &other.person_id] {
        assert!(app
            .store
            .consents_of_person(person)
            .await
            .unwrap()
            .is_empty());
    }
    // Untouched, it is taken.
    let r = op.post_signed(&form).await;
    assert_eq!(r.status, StatusCode::OK, "{r}");
}

#[tokio::test]
async fn an_asset_list_consent_lasts_a_week_and_names_list_scopes_only() {
    let app = spawn_app().await;
    let op = app.operator("통합 앱").await;
    let p = app.sandbox_person("목록", "010-5000-0004", 30_000).await;
    let body = json!({"person_id": p.person_id, "org_code": KB, "scope": "bank.list", "request_type": "0"});
    let signed = op.sign_consent(body).await;
    assert_eq!(signed.status, StatusCode::OK, "{signed}");
    let r = op.post_signed(&signed.body["form"]).await;
    assert_eq!(r.status, StatusCode::OK, "{r}");
    assert_eq!(r.body["scope"], "bank.list");
    let fam = app
        .app
        .oauth
        .verify_access(r.body["access_token"].as_str().unwrap())
        .unwrap()
        .fam
        .unwrap();
    let c = app.store.consent(&fam).await.unwrap().unwrap();
    assert_eq!(c.end_date, app.now_kst().date_naive() + Days::new(7));
    assert!(c.account_ids.is_empty());
    let body = json!({"person_id": p.person_id, "org_code": KB, "scope": "bank.deposit", "request_type": "0"});
    assert_error(
        &op.sign_consent(body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    );
}

#[tokio::test]
async fn the_sandbox_refuses_what_it_cannot_sign() {
    let app = spawn_app().await;
    let op = app.operator("통합 앱").await;
    let p = app.sandbox_person("서명", "010-5000-0005", 30_000).await;
    let theirs = app.sandbox_person("타인", "010-5000-0006", 30_000).await;
    let base = json!({"person_id": p.person_id, "org_code": KB, "scope": "bank.deposit"});
    let with_field = |k: &str, v: Value| {
        let mut b = base.clone();
        b[k] = v;
        b
    };
    let nf = StatusCode::NOT_FOUND;
    let bad = StatusCode::UNPROCESSABLE_ENTITY;
    for (body, status, code) in [
        (with_field("person_id", "nobody".into()), nf, "not_found"),
        (
            with_field("org_code", "BA99999999".into()),
            bad,
            "invalid_field",
        ),
        (
            with_field("scope", "card.card".into()),
            bad,
            "invalid_field",
        ),
        (
            with_field("assets", json!([theirs.accounts[0].num.replace('-', "")])),
            bad,
            "invalid_field",
        ),
        (with_field("request_type", "2".into()), bad, "invalid_field"),
    ] {
        assert_error(&op.sign_consent(body).await, status, code);
    }
    let k = app.kftc_client("핀테크").await;
    let r = app.operator_of(k).sign_consent(base.clone()).await;
    assert_error(&r, bad, "invalid_field");
}

#[tokio::test]
async fn every_node_signs_and_verifies_with_the_same_key() {
    let one = spawn_app().await;
    let op = one.operator("통합 앱").await;
    let p = one.sandbox_person("노드", "010-5000-0007", 30_000).await;
    let body = json!({"person_id": p.person_id, "org_code": KB, "scope": "bank.deposit"});
    let form = op.sign_consent(body).await.body["form"].clone();
    // A second node over the same database takes the first one's signature.
    let two = TestApp::builder().store(one.store.clone()).spawn().await;
    let r = two.operator_of(op.client.clone()).post_signed(&form).await;
    assert_eq!(r.status, StatusCode::OK, "{r}");
    let s = two
        .operator_of(op.client.clone())
        .integrated(&p.person_id, KB, "bank.deposit")
        .await;
    assert_eq!(s.token["scope"], "bank.list bank.deposit");
}
