//! The support APIs (지원-002..006, 지원-102..104) as the portal calls them:
//! a support client's `manage` token, answers from the world's institutions,
//! clients, consents and statistics; every refusal its exact code.

use axum::http::{Method, StatusCode};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use finhub_core::stats::{StatsKind, StatsRepo};
use finhub_mydata::assets::industry;
use finhub_testkit::mydata::{assert_rsp, Support};
use finhub_testkit::{spawn_app, TestApp, REDIRECT};
use serde_json::{json, Value};

const BANK: &str = "BA00000004";

/// The entries of `org_list` by org_code.
fn by_code(r: &Value) -> std::collections::HashMap<String, Value> {
    let list = r["org_list"].as_array().unwrap();
    assert_eq!(r["org_cnt"], list.len(), "org_cnt");
    list.iter()
        .map(|o| (o["org_code"].as_str().unwrap().to_owned(), o.clone()))
        .collect()
}

#[tokio::test]
async fn institutions_and_operators_are_listed_then_only_what_is_new() {
    let app = spawn_app().await;
    let op = app.operator("가계부 앱").await;
    let sup = app.support("종합포털").await;
    app.advance(5).await;

    let r = sup.mg_get("/v1/mgmts/orgs?search_timestamp=0").await;
    assert_rsp(&r, "00000");
    let orgs = by_code(&r);
    let insts = app.world.repo.list_institutions().await.unwrap();
    for i in &insts {
        let o = &orgs[&i.org_code];
        assert_eq!(
            (o["org_type"].as_str(), o["op_type"].as_str()),
            (Some("01"), Some("I"))
        );
        assert_eq!(o["industry"], industry(i.kind), "{o}");
        assert_eq!(
            (o["org_name"].as_str(), o["is_rcv_org"].as_bool()),
            (Some(i.name.as_str()), Some(false))
        );
    }
    for c in [&op.client, &sup.client] {
        let o = &orgs[&c.org];
        assert_eq!(
            (o["org_type"].as_str(), o["is_rcv_org"].as_bool()),
            (Some("03"), Some(true))
        );
        assert!(o.get("industry").is_none(), "{o}");
    }
    assert_eq!(orgs.len(), insts.len() + 2);
    let ts = r["search_timestamp"].as_i64().unwrap();
    assert_eq!(ts.to_string().len(), 14);

    // Nothing new since: 00001 with a timestamp and no list.
    app.advance(5).await;
    let r = sup
        .mg_get(&format!("/v1/mgmts/orgs?search_timestamp={ts}"))
        .await;
    assert_rsp(&r, "00001");
    assert!(r["search_timestamp"].as_i64().unwrap() > ts && r.get("org_list").is_none());

    // A new operator is the one new entry.
    let late = app.operator("늦은 앱").await;
    let r = sup
        .mg_get(&format!("/v1/mgmts/orgs?search_timestamp={ts}"))
        .await;
    assert_rsp(&r, "00000");
    let orgs = by_code(&r);
    assert_eq!(orgs.len(), 1);
    assert_eq!(orgs[&late.client.org]["op_type"], "I");

    // 지원-006 lists the same organisations in the CA's shape.
    let r = sup.mg_get("/v1/mgmts/orgs_for_ca").await;
    assert_rsp(&r, "00000");
    let ca = by_code(&r);
    assert_eq!(ca.len(), insts.len() + 3);
    assert_eq!(ca[BANK]["org_type"], "01");
    assert!(ca[BANK].get("industry").is_none());

    let r = sup.mg_get("/v1/mgmts/orgs?search_timestamp=2026").await;
    assert_rsp(&r, "40001");
}

#[tokio::test]
async fn services_are_the_clients_of_each_operator_without_secrets() {
    let app = spawn_app().await;
    let op = app.operator("가계부 앱").await;
    let sup = app.support("종합포털").await;
    app.advance(5).await;
    let r = sup.mg_get("/v1/mgmts/services?search_timestamp=0").await;
    assert_rsp(&r, "00000");
    assert!(!r.text.contains("client_secret") && !r.text.contains(&op.client.secret));
    let orgs = by_code(&r);
    let mine = &orgs[&op.client.org];
    assert_eq!(mine["service_cnt"], 1);
    let s = &mine["service_list"][0];
    assert_eq!(s["client_id"], op.client.id.as_str());
    assert_eq!(
        (s["service_name"].as_str(), s["op_type"].as_str()),
        (Some("가계부 앱"), Some("I"))
    );
    assert_eq!(s["redirect_uri_cnt"], 1);
    assert_eq!(
        s["redirect_uri_list"],
        json!([{ "redirect_uri": REDIRECT }])
    );
    assert_eq!(
        (s["app_scheme_cnt"].as_u64(), s["app_scheme_list"].clone()),
        (Some(0), json!([]))
    );
    let support = &orgs[&sup.client.org]["service_list"][0];
    assert_eq!(support["redirect_uri_cnt"], 0);

    let ts = r["search_timestamp"].as_i64().unwrap();
    app.advance(5).await;
    let r = sup
        .mg_get(&format!("/v1/mgmts/services?search_timestamp={ts}"))
        .await;
    assert_rsp(&r, "00001");
}

#[tokio::test]
async fn a_provider_in_outage_reads_as_unavailable() {
    let app = spawn_app().await;
    let sup = app.support("종합포털").await;
    let r = sup
        .mg_get(&format!("/v1/mgmts/status?org_code={BANK}"))
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(r["availability"], "00");

    let path = format!("/sandbox/institutions/{BANK}/status");
    let put = app
        .admin(Method::PUT, &path, Some(json!({"status": "outage"})))
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);
    let r = sup
        .mg_get(&format!("/v1/mgmts/status?org_code={BANK}"))
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(r["availability"], "01");

    assert_rsp(
        &sup.mg_get("/v1/mgmts/status?org_code=BA99999999").await,
        "40303",
    );
    assert_rsp(&sup.mg_get("/v1/mgmts/status").await, "40001");
    assert_rsp(&sup.mg_get("/v1/mgmts/status?org_code=").await, "40001");
}

#[tokio::test]
async fn a_persons_consents_are_listed_by_client() {
    let app = spawn_app().await;
    let op = app.operator("가계부 앱").await;
    let sup = app.support("종합포털").await;
    let (p, _) = app.person("김동의", BANK, 50_000).await;
    op.consent(&p.person_id, BANK, "bank.list bank.deposit", None)
        .await;

    let ask = |ci: &str| json!({"org_code": op.client.org, "user_ci": ci});
    let r = sup.mg_post("/v1/mgmts/consents", ask(&p.ci)).await;
    assert_rsp(&r, "00000");
    assert_eq!(
        (r["is_member"].as_bool(), r["service_cnt"].as_u64()),
        (Some(true), Some(1))
    );
    let s = &r["service_list"][0];
    assert_eq!(
        (s["client_id"].as_str(), s["consent_cnt"].as_u64()),
        (Some(op.client.id.as_str()), Some(1))
    );
    let c = &s["consent_list"][0];
    assert_eq!(c["org_code"], BANK);
    let scopes: Vec<&str> = c["scope"].as_str().unwrap().split(' ').collect();
    assert!(
        scopes.contains(&"bank.list") && scopes.contains(&"bank.deposit"),
        "{c}"
    );
    assert_eq!(c["consent_date"], app.today());
    let end = NaiveDate::parse_from_str(c["consent_end_date"].as_str().unwrap(), "%Y%m%d").unwrap();
    assert!(end > app.now_kst().date_naive());

    // Another operator's view of the same person: no member.
    let other = app.operator("다른 앱").await;
    let r = sup
        .mg_post(
            "/v1/mgmts/consents",
            json!({"org_code": other.client.org, "user_ci": p.ci}),
        )
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(r["is_member"], false);
    assert!(r.get("service_list").is_none() && r.get("service_cnt").is_none());
    let r = sup.mg_post("/v1/mgmts/consents", ask("QUJDREVGRw==")).await;
    assert_eq!(r["is_member"], false);

    let unknown = json!({"org_code": "ZZ99999999", "user_ci": p.ci});
    assert_rsp(&sup.mg_post("/v1/mgmts/consents", unknown).await, "40303");
    let no_ci = json!({"org_code": op.client.org});
    assert_rsp(&sup.mg_post("/v1/mgmts/consents", no_ci).await, "40001");
    assert_rsp(
        &sup.mg_post("/v1/mgmts/consents", json!([1, 2])).await,
        "40001",
    );
}

/// The last Sunday before today, as YYYYMMDD, and the seven days before it.
fn last_week(app: &TestApp) -> (String, Vec<String>) {
    let mut d = app.now_kst().date_naive() - Duration::days(1);
    while d.weekday() != Weekday::Sun {
        d -= Duration::days(1);
    }
    let f = |d: NaiveDate| d.format("%Y%m%d").to_string();
    (f(d), (1..=7).map(|i| f(d - Duration::days(i))).collect())
}

fn provider_stats(app: &TestApp, op_org: &str, client_id: &str) -> Value {
    let (end, days) = last_week(app);
    let dates: Vec<Value> = days
        .iter()
        .map(|d| {
            json!({"stat_date": d, "mydata_svc_cnt": 1, "mydata_svc_list": [{
                "org_code": op_org, "client_id": client_id,
                "consent_new": 2, "consent_revoke": 0, "consent_own": 7,
                "api_type_cnt": 1, "api_type_list": [{"api_type": "BA01", "tm_slot_cnt": 1,
                    "tm_slot_list": [{"tm_slot": "01", "success_api_cnt": 12, "fail_api_cnt": 1}]}]}]})
        })
        .collect();
    json!({"type": 2, "inquiry_date": end, "stat_date_cnt": 7, "stat_date_list": dates})
}

async fn kept(sup: &Support<'_>, org: &str) -> usize {
    sup.app.store.stats_of(org).await.unwrap().len()
}

#[tokio::test]
async fn statistics_are_checked_kept_and_replaced_by_a_resend() {
    let app = spawn_app().await;
    let op = app.operator("가계부 앱").await;
    let sup = app.support("종합포털").await;
    let mut body = provider_stats(&app, &op.client.org, &op.client.id);
    body["org_code"] = BANK.into();
    let r = sup
        .mg_post("/v1/mgmts/statistics/provider", body.clone())
        .await;
    assert_rsp(&r, "00000");
    assert_eq!(
        r.body.as_object().unwrap().len(),
        2,
        "rsp_code and rsp_msg only"
    );
    let got = app.store.stats_of(BANK).await.unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!((got[0].kind, got[0].stat_type), (StatsKind::Provider, 2));
    assert_eq!(got[0].body, body);
    assert_eq!(got[0].client_id, sup.client.id);

    // A re-send of the week replaces it.
    body["stat_date_list"][0]["mydata_svc_list"][0]["consent_new"] = 3.into();
    assert_rsp(
        &sup.mg_post("/v1/mgmts/statistics/provider", body.clone())
            .await,
        "00000",
    );
    let got = app.store.stats_of(BANK).await.unwrap();
    assert_eq!((got.len(), &got[0].body), (1, &body));

    // Bad documents: 40001 and nothing kept.
    let mut bad = body.clone();
    bad["stat_date_cnt"] = 6.into();
    let mut monday = body.clone();
    monday["inquiry_date"] = "20260105".into();
    for b in [bad, monday, json!({"type": 1}), json!("text")] {
        assert_rsp(
            &sup.mg_post("/v1/mgmts/statistics/provider", b).await,
            "40001",
        );
    }
    assert_eq!(kept(&sup, BANK).await, 1);

    // 지원-004: an operator's week, kept under the submitter's organisation.
    let (end, days) = last_week(&app);
    let dates: Vec<Value> = days
        .iter()
        .map(|d| json!({"stat_date": d, "org_cnt": 1, "org_list": [{"org_code": BANK,
            "api_type_cnt": 1, "api_type_list": [{"api_type": "BA02", "tm_slot_cnt": 1,
            "tm_slot_list": [{"tm_slot": "03", "success_api_cnt": 5, "fail_api_cnt": 0, "rsp_avg": 0.12}]}]}]}))
        .collect();
    let op_stats = json!({"type": 1, "client_id": op.client.id, "inquiry_date": end,
        "stat_date_cnt": 7, "stat_date_list": dates});
    assert_rsp(
        &sup.mg_post("/v1/mgmts/statistics/mydata", op_stats.clone())
            .await,
        "00000",
    );
    let got = app.store.stats_of(&sup.client.org).await.unwrap();
    assert_eq!((got.len(), got[0].kind), (1, StatsKind::Operator));
    let mut with_counts = op_stats;
    with_counts["stat_date_list"][2]["org_list"][0]["consent_new"] = 1.into();
    assert_rsp(
        &sup.mg_post("/v1/mgmts/statistics/mydata", with_counts)
            .await,
        "40001",
    );
    assert_eq!(kept(&sup, &sup.client.org).await, 1);
}

#[tokio::test]
async fn a_resend_request_is_checked_and_acknowledged() {
    let app = spawn_app().await;
    let op = app.operator("가계부 앱").await;
    let sup = app.support("종합포털").await;
    let (end, _) = last_week(&app);
    let q = |org: &str, t: &str, d: &str, ty: &str| {
        format!("/v1/mgmts/req-statistics?org_code={org}&org_type={t}&inquiry_date={d}&type={ty}")
    };
    let r = sup.mg_get(&q(BANK, "01", &end, "0")).await;
    assert_rsp(&r, "00000");
    assert_eq!(r.body.as_object().unwrap().len(), 2);
    assert_rsp(
        &sup.mg_get(&q(&op.client.org, "03", &end, "2")).await,
        "00000",
    );
    assert_rsp(
        &sup.mg_get(&q(&op.client.org, "01", &end, "2")).await,
        "40303",
    );
    assert_rsp(
        &sup.mg_get(&q("BA99999999", "01", &end, "1")).await,
        "40303",
    );
    assert_rsp(&sup.mg_get(&q(BANK, "1", &end, "1")).await, "40001");
    assert_rsp(&sup.mg_get(&q(BANK, "01", "20260105", "1")).await, "40001");
    assert_rsp(&sup.mg_get(&q(BANK, "01", &end, "7")).await, "40001");
    assert_rsp(&sup.mg_get("/v1/mgmts/req-statistics").await, "40001");
}

#[tokio::test]
async fn only_a_manage_token_opens_the_support_apis() {
    let app = spawn_app().await;
    let op = app.operator("가계부 앱").await;
    let sup = app.support("종합포털").await;
    let (p, _) = app.person("김토큰", BANK, 10_000).await;
    let session = op.consent(&p.person_id, BANK, "bank.list", None).await;

    // A service token is valid but not for these APIs.
    let service = sup.with_token(&session.access);
    for path in [
        "/v1/mgmts/orgs",
        "/v1/mgmts/services",
        "/v1/mgmts/status?org_code=BA00000004",
    ] {
        assert_rsp(&service.mg_get(path).await, "40104");
    }
    let r = service
        .mg_post(
            "/v1/mgmts/consents",
            json!({"org_code": op.client.org, "user_ci": p.ci}),
        )
        .await;
    assert_rsp(&r, "40104");
    // No token, a bad one: 40101.
    assert_rsp(
        &sup.with_token("not-a-token").mg_get("/v1/mgmts/orgs").await,
        "40101",
    );
    let bare = app
        .send(
            axum::http::Request::get("/v1/mgmts/orgs")
                .header("x-api-tran-id", sup.tran_id())
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_rsp(&bare, "40101");
    // No x-api-tran-id: 40002, before the token is looked at.
    let r = app
        .call(
            &Method::GET,
            "/v1/mgmts/orgs",
            Some(&format!("Bearer {}", sup.token)),
            None,
        )
        .await;
    assert_eq!(
        (r.status, r.body["rsp_code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("40002"))
    );
    // The manage token does not open information APIs.
    let info = session.clone();
    let info = finhub_testkit::mydata::Session {
        access: sup.token.clone(),
        ..info
    };
    let r = info
        .md_get(&format!("/v1/bank/accounts?org_code={BANK}"))
        .await;
    assert_rsp(&r, "40104");
}

#[tokio::test]
async fn the_document_describes_every_support_api() {
    let app = spawn_app().await;
    let r = app.get("/openapi/mydata.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let paths = &r.body["paths"];
    for (path, method) in [
        ("/v1/mgmts/orgs", "get"),
        ("/v1/mgmts/services", "get"),
        ("/v1/mgmts/statistics/mydata", "post"),
        ("/v1/mgmts/statistics/provider", "post"),
        ("/v1/mgmts/orgs_for_ca", "get"),
        ("/v1/mgmts/status", "get"),
        ("/v1/mgmts/consents", "post"),
        ("/v1/mgmts/req-statistics", "get"),
    ] {
        let op = &paths[path][method];
        assert!(op.is_object(), "{method} {path} undocumented");
        let text = op.to_string();
        assert!(text.contains("x-api-tran-id"), "{path}: {text}");
    }
    let services = paths["/v1/mgmts/services"]["get"].to_string();
    assert!(
        services.contains("client_secret"),
        "the omission is documented"
    );
    let schemas = r.body["components"]["schemas"].as_object().unwrap();
    assert!(schemas["ServiceItem"]["properties"]
        .get("client_secret")
        .is_none());
    for name in ["OrgsBody", "ConsentsBody", "ProviderStats", "StatusBody"] {
        assert!(schemas.contains_key(name), "{name}");
    }
}

#[tokio::test]
async fn malformed_bodies_and_queries_are_bad_parameters_never_failures() {
    let app = spawn_app().await;
    let sup = app.support("종합포털").await;
    let bodies = [
        "",
        "{",
        "null",
        "[]",
        "\"x\"",
        "{\"type\": 1e400}",
        "{\"org_code\": {}}",
        "{\"user_ci\": 5, \"org_code\": []}",
        "{\"type\": -1, \"inquiry_date\": 20260111}",
    ];
    for path in [
        "/v1/mgmts/consents",
        "/v1/mgmts/statistics/mydata",
        "/v1/mgmts/statistics/provider",
    ] {
        for b in bodies {
            let r = sup.mg_post_raw(path, b).await;
            assert_rsp(&r, "40001");
        }
    }
    for q in [
        "/v1/mgmts/orgs?search_timestamp=abc",
        "/v1/mgmts/orgs_for_ca?search_timestamp=99999999999999",
        "/v1/mgmts/services?search_timestamp=-1",
        "/v1/mgmts/status?org_code=%FF%FE",
        "/v1/mgmts/req-statistics?org_code=BA00000004&org_type=01&inquiry_date=2026&type=0",
    ] {
        let r = sup.mg_get(q).await;
        assert!(r.status.is_client_error(), "{q}: {}", r.text);
        assert!(
            r.body["rsp_code"]
                .as_str()
                .is_some_and(|c| c.starts_with('4')),
            "{q}: {}",
            r.text
        );
    }
}
