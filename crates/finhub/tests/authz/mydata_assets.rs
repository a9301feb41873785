//! The MyData matrix over every asset of the seeded demo world, whatever its
//! industry: for each asset, one API that takes it is called by the holder's
//! full consent (answers), a consent that left it out (40105), someone
//! else's consent at the same institution (40402), a token of another
//! institution (40303), and a revoked token (40101). The API and its body
//! come from the OpenAPI document, so a new industry joins by being served.

use axum::http::StatusCode;
use finhub_testkit::mydata::Session;
use finhub_testkit::{spawn_app, Resp, TestApp};
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

/// One asset as `GET /sandbox/people/{id}/assets` lists it.
struct Asset {
    industry: String,
    org: String,
    scope: String,
    entry: Value,
}

/// A POST operation of the document naming `api` (`"(보험-002)"` in its
/// descriptions), with its body schema's properties and required names.
fn operation(
    doc: &Value,
    industry: &str,
    api: &str,
) -> Option<(String, Map<String, Value>, Vec<String>)> {
    let tag = format!("({api})");
    for (path, item) in doc["paths"].as_object()? {
        let Some(op) = item.get("post") else { continue };
        let path = path.replace("{industry}", industry);
        if !op.to_string().contains(&tag)
            || !path.starts_with(&format!("/v1/{industry}/"))
            || path.contains('{')
        {
            continue;
        }
        let reference =
            op["requestBody"]["content"]["application/json"]["schema"]["$ref"].as_str()?;
        let schema = &doc["components"]["schemas"][reference.rsplit('/').next()?];
        let props = schema["properties"].as_object()?.clone();
        let required = schema["required"].as_array().cloned().unwrap_or_default();
        let required: Vec<String> = required
            .iter()
            .filter_map(|r| r.as_str().map(str::to_owned))
            .collect();
        return Some((path, props, required));
    }
    None
}

/// A body naming the asset for an operation: the org code, the asset id
/// under the first id field the schema has, dates of the last month.
fn body(entry: &Value, org: &str, props: &Map<String, Value>, required: &[String]) -> Value {
    let mut b = json!({"org_code": org});
    for name in props.keys() {
        let v = match name.as_str() {
            "org_code" => continue,
            "from_date" => json!("20261101"),
            "to_date" => json!("20261130"),
            "limit" => json!(10),
            "search_timestamp" => json!(0),
            "account_id" | "fob_id" | "seqno" if entry.get(name).is_some_and(|v| !v.is_null()) => {
                entry[name].clone()
            }
            _ if name.ends_with("_month") => json!("202611"),
            _ if required.contains(name) || name.ends_with("_num") || name.ends_with("_id") => {
                entry["asset"].clone()
            }
            "sub_key" => entry["asset"].clone(),
            _ => continue,
        };
        b[name] = v;
    }
    b
}

async fn assets(app: &TestApp, person: &str) -> Vec<Asset> {
    let r = app
        .admin(
            axum::http::Method::GET,
            &format!("/sandbox/people/{person}/assets"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| Asset {
            industry: e["industry"].as_str().unwrap().to_owned(),
            org: e["org_code"].as_str().unwrap().to_owned(),
            scope: e["scope"].as_str().unwrap().to_owned(),
            entry: e.clone(),
        })
        .collect()
}

/// The demo person holding the most (the one with every product).
async fn richest(app: &TestApp) -> (String, Vec<Asset>) {
    let people = app
        .admin(axum::http::Method::GET, "/sandbox/people?limit=50", None)
        .await;
    let mut best: Option<(String, Vec<Asset>)> = None;
    for p in people.body["people"].as_array().unwrap() {
        let id = p["person_id"].as_str().unwrap().to_owned();
        let held = assets(app, &id).await;
        if best.as_ref().is_none_or(|(_, b)| held.len() > b.len()) {
            best = Some((id, held));
        }
    }
    best.unwrap()
}

/// The first POST API of the asset that answers its holder's full consent,
/// with the body it took; None when the asset has no POST API (cards).
async fn answering(doc: &Value, full: &Session<'_>, asset: &Asset) -> Option<(String, Value)> {
    let mut tried = Vec::new();
    for api in asset.entry["apis"].as_array().unwrap() {
        let Some((path, props, required)) = operation(doc, &asset.industry, api.as_str().unwrap())
        else {
            continue;
        };
        let req = body(&asset.entry, &asset.org, &props, &required);
        let r = full.md_post(&path, req.clone()).await;
        if code(&r) == "00000" {
            return Some((path, req));
        }
        tried.push(format!("{path} {req}: {}", r.text));
    }
    assert!(
        tried.is_empty(),
        "no API answers {}: {tried:#?}",
        asset.entry
    );
    None
}

fn code(r: &Resp) -> &str {
    r.body["rsp_code"].as_str().unwrap_or("")
}

fn refused(r: &Resp, status: StatusCode, want: &str, what: &str) {
    assert_eq!((r.status, code(r)), (status, want), "{what}: {}", r.text);
    assert_eq!(
        r.body.as_object().map(Map::len),
        Some(2),
        "{what}: {}",
        r.text
    );
}

#[tokio::test]
async fn every_seeded_asset_is_refused_to_whoever_lacks_its_consent() {
    let app = spawn_app().await;
    app.seed_demo(20).await;
    let doc = serde_json::to_value(finhub_mydata::openapi()).unwrap();
    let (p, held) = richest(&app).await;
    let stranger = app.create_person("남남", None).await;
    let stranger = stranger["person_id"].as_str().unwrap().to_owned();
    let a = app.operator("운영 A").await;
    let b = app.operator("운영 B").await;
    let mut industries = BTreeSet::new();
    let mut partials = 0;
    for asset in &held {
        let scope = format!("{}.list {}", asset.industry, asset.scope);
        let full = a.consent(&p, &asset.org, &scope, None).await;
        let Some((path, req)) = answering(&doc, &full, asset).await else {
            continue;
        };
        let what = format!("{} {} {path}", asset.org, asset.entry["asset"]);

        // Held, listed, not consented: the consent names another asset or none.
        let others: Vec<&str> = held
            .iter()
            .filter(|o| o.org == asset.org && o.scope == asset.scope && o.entry != asset.entry)
            .map(|o| o.entry["asset"].as_str().unwrap())
            .collect();
        if !others.is_empty() {
            let partial = a.consent(&p, &asset.org, &scope, Some(&others)).await;
            let r = partial.md_post(&path, req.clone()).await;
            refused(&r, StatusCode::UNAUTHORIZED, "40105", &what);
            partials += 1;
        }

        let theirs = b.consent(&stranger, &asset.org, &scope, None).await;
        refused(
            &theirs.md_post(&path, req.clone()).await,
            StatusCode::NOT_FOUND,
            "40402",
            &what,
        );

        if let Some(elsewhere) = held
            .iter()
            .find(|o| o.industry == asset.industry && o.org != asset.org)
        {
            let s: Session = a.consent(&p, &elsewhere.org, &scope, None).await;
            refused(
                &s.md_post(&path, req.clone()).await,
                StatusCode::FORBIDDEN,
                "40303",
                &what,
            );
        }

        assert_eq!(full.revoke().await.status, StatusCode::OK);
        refused(
            &full.md_post(&path, req).await,
            StatusCode::UNAUTHORIZED,
            "40101",
            &what,
        );
        industries.insert(asset.industry.clone());
    }
    assert!(partials >= 3, "only {partials} partial consents seen");
    // Part 2's industries are all in the demo world's richest person.
    for ind in ["insu", "efin", "capital", "ginsu", "telecom", "p2p"] {
        assert!(
            industries.contains(ind),
            "{ind} not checked: {industries:?}"
        );
    }
}
