//! Every information API of the document, industry by industry: 공통-001
//! lists exactly what the document serves for the industry, and each
//! operation refuses bad input with its MyData code in the standard
//! envelope (never a 500, never another industry's data).

use axum::http::StatusCode;
use finhub_mydata::scopes::SCOPES;
use finhub_testkit::mydata::Session;
use finhub_testkit::{spawn_app, Resp, TestApp};
use serde_json::json;
use std::collections::BTreeSet;

/// One operation of the document under `/v1/{industry}/`.
#[derive(Debug, Clone)]
struct Op {
    method: &'static str,
    /// The resource under `/v1/{industry}`, as 공통-001 names it.
    uri: String,
    /// Its query parameters' names (GET).
    query: Vec<String>,
}

/// The document's operations written out for `industry` (templated
/// `/v1/{industry}/...` paths are the common APIs, checked by 공통-001).
fn ops_of(industry: &str) -> Vec<Op> {
    let doc = serde_json::to_value(finhub_mydata::openapi()).unwrap();
    let prefix = format!("/v1/{industry}/");
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(rest) = path.strip_prefix(&prefix) else {
            continue;
        };
        for method in ["get", "post"] {
            let Some(op) = item.get(method) else {
                continue;
            };
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            let query = params
                .iter()
                .filter(|p| p["in"] == "query")
                .filter_map(|p| p["name"].as_str().map(str::to_owned))
                .collect();
            out.push(Op {
                method,
                uri: format!("/{rest}"),
                query,
            });
        }
    }
    out
}

/// Every industry and one active institution of it.
async fn institutions(app: &TestApp) -> Vec<(String, String)> {
    let r = app
        .admin(axum::http::Method::GET, "/sandbox/institutions", None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for i in r.body["institutions"].as_array().unwrap() {
        let ind = i["industry"].as_str().unwrap().to_owned();
        if i["status"] == "active" && seen.insert(ind.clone()) {
            out.push((ind, i["org_code"].as_str().unwrap().to_owned()));
        }
    }
    assert_eq!(out.len(), 11, "every industry has an institution: {out:?}");
    out
}

/// A consent at `org` with every scope of its industry.
async fn session<'a>(app: &'a TestApp, person: &str, industry: &str, org: &str) -> Session<'a> {
    let scopes: Vec<&str> = SCOPES
        .iter()
        .filter(|s| s.industry == industry)
        .map(|s| s.scope)
        .collect();
    app.operator(&format!("every {industry}"))
        .await
        .consent(person, org, &scopes.join(" "), None)
        .await
}

fn api_list(r: &Resp) -> BTreeSet<String> {
    assert_eq!(r.body["rsp_code"], "00000", "{}", r.text);
    let list = r.body["api_list"].as_array().unwrap();
    assert_eq!(r.body["api_cnt"], list.len(), "{}", r.text);
    list.iter()
        .map(|a| a["api_uri"].as_str().unwrap().to_owned())
        .collect()
}

fn routed(r: &Resp) -> bool {
    !matches!(r.body["rsp_code"].as_str(), Some("40401" | "40501"))
}

#[tokio::test]
async fn each_industry_lists_exactly_the_apis_it_serves() {
    let app = spawn_app().await;
    let p = app.create_person("전산업", None).await;
    let p = p["person_id"].as_str().unwrap();
    for (industry, org) in institutions(&app).await {
        let s = session(&app, p, &industry, &org).await;
        let listed = api_list(
            &s.md_get(&format!("/v1/{industry}/apis?org_code={org}&client_id=c"))
                .await,
        );
        let documented: BTreeSet<String> = ops_of(&industry).into_iter().map(|o| o.uri).collect();
        // What the document writes out for the industry is listed; the
        // rest of the list is the common APIs, documented once for all.
        let missing: Vec<_> = documented.difference(&listed).collect();
        assert!(
            missing.is_empty(),
            "{industry}: documented, not listed: {missing:?}"
        );
        for uri in &listed {
            let path = format!("/v1/{industry}{}", uri.replace("{card_id}", "X"));
            let body = json!({"org_code": org});
            let (g, p) = (s.md_get(&path).await, s.md_post(&path, body).await);
            assert!(
                routed(&g) || routed(&p),
                "{industry} lists {uri}: {g} / {p}"
            );
        }
    }
}

fn refused(r: &Resp, status: StatusCode, code: &str, what: &str) {
    assert_eq!(r.status, status, "{what}: {}", r.text);
    assert_eq!(r.body["rsp_code"], code, "{what}: {}", r.text);
    assert!(r.body["rsp_msg"].is_string(), "{what}: {}", r.text);
}

/// The bad inputs every operation refuses the same way.
async fn bad_inputs(s: &Session<'_>, other: &Session<'_>, industry: &str, op: &Op) {
    let org = &s.org_code;
    let path = format!("/v1/{industry}{}", op.uri.replace("{card_id}", "X"));
    let what = format!("{} {path}", op.method);
    let bad = StatusCode::BAD_REQUEST;
    if op.method == "get" {
        refused(&s.md_get(&path).await, bad, "40001", &what);
        let wrong = format!("{path}?org_code=ZZ99999999");
        refused(
            &s.md_get(&wrong).await,
            StatusCode::FORBIDDEN,
            "40303",
            &what,
        );
        if op.query.iter().any(|q| q == "limit") {
            let limit = format!("{path}?org_code={org}&limit=abc");
            refused(&s.md_get(&limit).await, bad, "40001", &what);
        }
        let foreign = other.md_get(&format!("{path}?org_code={org}")).await;
        refused(&foreign, StatusCode::UNAUTHORIZED, "40104", &what);
        return;
    }
    refused(&s.md_post(&path, json!({})).await, bad, "40001", &what);
    refused(
        &s.md_post(&path, json!({"org_code": 7})).await,
        bad,
        "40001",
        &what,
    );
    refused(&s.md_post(&path, json!([org])).await, bad, "40001", &what);
    let wrong = json!({"org_code": "ZZ99999999"});
    refused(
        &s.md_post(&path, wrong).await,
        StatusCode::FORBIDDEN,
        "40303",
        &what,
    );
    let raw = s.md_post_raw(&path, "{\"org_code\": ").await;
    refused(&raw, bad, "40001", &what);
    let foreign = other.md_post(&path, json!({"org_code": org})).await;
    refused(&foreign, StatusCode::UNAUTHORIZED, "40104", &what);
}

#[tokio::test]
async fn every_operation_refuses_bad_input_with_its_code() {
    let app = spawn_app().await;
    let p = app.create_person("전산업", None).await;
    let p = p["person_id"].as_str().unwrap();
    let all = institutions(&app).await;
    let mut checked = 0;
    for (industry, org) in &all {
        let s = session(&app, p, industry, org).await;
        // A token of another industry's institution, carrying none of this
        // industry's scopes.
        let (oi, oo) = all.iter().find(|(i, _)| i != industry).unwrap();
        let other = session(&app, p, oi, oo).await;
        let other = Session {
            org_code: org.clone(),
            ..other
        };
        for op in ops_of(industry) {
            if op.uri == "/apis" {
                continue;
            }
            bad_inputs(&s, &other, industry, &op).await;
            checked += 1;
        }
    }
    assert!(checked >= 77, "{checked} operations checked");
}
