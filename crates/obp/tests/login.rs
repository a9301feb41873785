//! DirectLogin, Create User and entitlement grants, as an OBP client sends them.

use finhub_testkit::obp::{assert_obp, obp_app, OBP_ADMIN, OBP_BANK, PASSWORD, V4};
use serde_json::json;

#[tokio::test]
async fn a_user_logs_in_with_every_header_style_and_reads_itself() {
    let app = obp_app().await;
    let r = app.obp_create_user("felix", PASSWORD).await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    assert_eq!(r.body["provider_id"], "felix");
    let key = app.obp_consumer().await;
    for header in [
        format!(r#"username="felix", password="{PASSWORD}", consumer_key="{key}""#),
        format!("username=felix,password={PASSWORD},consumer_key={key}"),
    ] {
        let req = axum::http::Request::builder()
            .method("POST")
            .uri("/my/logins/direct")
            .header("DirectLogin", header)
            .body(axum::body::Body::empty())
            .unwrap();
        let r = app.send(req).await;
        assert_eq!(r.status.as_u16(), 201, "{}", r.text);
        assert!(r.body["token"].as_str().unwrap().len() >= 16);
    }
    let user = app.obp_user("felix2").await;
    let me = user.get(&format!("{V4}/users/current")).await;
    assert_eq!(me.body["username"], "felix2");
    assert_eq!(me.body["user_id"], user.user_id.as_str());
    assert!(me.headers.contains_key("correlation-id"));
}

#[tokio::test]
async fn login_refusals_have_their_codes() {
    let app = obp_app().await;
    app.obp_create_user("felix", PASSWORD).await;
    let key = app.obp_consumer().await;
    assert_obp(
        &app.obp_login("felix", "wrong-Passw0rd!", &key).await,
        401,
        "OBP-20004",
    );
    assert_obp(
        &app.obp_login("felix", PASSWORD, "nokey").await,
        401,
        "OBP-20008",
    );
    assert_obp(&app.obp_create_user("felix", PASSWORD).await, 409, "OBP-");
    assert_obp(
        &app.obp_create_user("weak", "short").await,
        400,
        "OBP-30207",
    );
    let r = app
        .call(&axum::http::Method::POST, "/my/logins/direct", None, None)
        .await;
    assert_obp(&r, 400, "OBP-20082");
    let post = |auth: &'static str| {
        app.call(
            &axum::http::Method::POST,
            "/my/logins/direct",
            Some(auth),
            None,
        )
    };
    assert_obp(&post("Basic dTpw").await, 400, "OBP-20083");
    let r = post(r#"DirectLogin username="felix", consumer_key="k""#).await;
    assert_obp(&r, 400, "OBP-20002");
    assert!(r.text.contains("password"), "{}", r.text);
    assert_obp(
        &post("DirectLogin username=felix, garbage").await,
        400,
        "OBP-20012",
    );
    let r = app.get(&format!("{V4}/users/current")).await;
    assert_obp(&r, 401, "OBP-20001");
    let r = app
        .call(
            &axum::http::Method::GET,
            &format!("{V4}/users/current"),
            Some("DirectLogin token=nope"),
            None,
        )
        .await;
    assert_obp(&r, 401, "OBP-20003");
}

#[tokio::test]
async fn only_a_granter_grants_and_each_grant_once() {
    let app = obp_app().await;
    let admin = app.obp_admin().await;
    assert_eq!(admin.username, OBP_ADMIN);
    let staff = app.obp_user("staff").await;
    let path = format!("{V4}/users/{}/entitlements", staff.user_id);
    let grant = json!({"bank_id": OBP_BANK, "role_name": "CanCreateCustomer"});
    let r = staff.post(&path, &grant).await;
    assert_obp(&r, 403, "OBP-20006");
    assert!(
        r.text.starts_with(r#"{"code":403,"message":"OBP-20050: "#),
        "{}",
        r.text
    );
    assert_eq!(admin.post(&path, &grant).await.status.as_u16(), 201);
    assert_obp(&admin.post(&path, &grant).await, 400, "OBP-30216");
    let bad = [
        (
            json!({"bank_id": "", "role_name": "CanCreateCustomer"}),
            "OBP-30205",
        ),
        (
            json!({"bank_id": OBP_BANK, "role_name": "CanGetAnyKycMedia"}),
            "OBP-30206",
        ),
        (
            json!({"bank_id": OBP_BANK, "role_name": "CanFly"}),
            "OBP-10007",
        ),
    ];
    for (body, code) in bad {
        assert_obp(&admin.post(&path, &body).await, 400, code);
    }
    let unknown = format!("{V4}/users/nobody/entitlements");
    assert_obp(&admin.post(&unknown, &grant).await, 404, "OBP-20005");
    let mine = staff.get(&format!("{V4}/my/entitlements")).await;
    assert_eq!(mine.body["list"][0]["role_name"], "CanCreateCustomer");
}

#[tokio::test]
async fn a_store_that_is_gone_is_503_in_obps_body() {
    let app = obp_app().await;
    let user = app.obp_user("felix").await;
    app.store.db().close().await;
    let r = user.get(&format!("{V4}/users/current")).await;
    assert_obp(&r, 503, "OBP-50000");
    assert!(r.headers.contains_key("correlation-id"));
}

/// OAuth bearer tokens of the `obp` profile log in too: a person's token
/// (authorization code) and a client's (client credentials) each act as an
/// OBP user of their own, who holds roles like any other; another profile's
/// token and a revoked one do not.
#[tokio::test]
async fn obp_bearer_tokens_act_as_users_of_their_own() {
    let app = obp_app().await;
    let c = app.client("obp", "bearer app", &["customer", "kyc"]).await;
    let token = app.two_legged(&c, "customer").await;
    let auth = format!("Bearer {token}");
    let me = app
        .call(
            &axum::http::Method::GET,
            &format!("{V4}/users/current"),
            Some(&auth),
            None,
        )
        .await;
    assert_eq!(me.status.as_u16(), 200, "{}", me.text);
    assert_eq!(me.body["provider"], "finhub-oauth");
    assert_eq!(me.body["username"], format!("oauth.{}", c.id));
    // The same user on the next call; its roles are granted like anyone's.
    let again = app
        .call(
            &axum::http::Method::GET,
            &format!("{V4}/users/current"),
            Some(&auth),
            None,
        )
        .await;
    assert_eq!(again.body["user_id"], me.body["user_id"]);
    let root = app.obp_root().await;
    root.grant(
        me.body["user_id"].as_str().unwrap(),
        "CanGetAnyKycMedia",
        "",
    )
    .await;
    let mine = app
        .call(
            &axum::http::Method::GET,
            &format!("{V4}/my/entitlements"),
            Some(&auth),
            None,
        )
        .await;
    assert_eq!(mine.body["list"][0]["role_name"], "CanGetAnyKycMedia");
    // A KFTC client's token is not an OBP login.
    let k = app.client("kftc", "kftc app", &["oob"]).await;
    let kftc = format!("Bearer {}", app.two_legged(&k, "oob").await);
    let r = app
        .call(
            &axum::http::Method::GET,
            &format!("{V4}/users/current"),
            Some(&kftc),
            None,
        )
        .await;
    assert_obp(&r, 401, "OBP-20001");
    let r = app
        .call(
            &axum::http::Method::GET,
            &format!("{V4}/users/current"),
            Some("Bearer garbage"),
            None,
        )
        .await;
    assert_obp(&r, 401, "OBP-20001");
}
