//! The sandbox admin API × the keys a caller may present: only the admin
//! key opens it; a client's access token is not an admin key.

use crate::helpers::*;
use crate::matrix::{assert_cells, table, Cell};
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn the_sandbox_opens_only_to_the_admin_key() {
    let t = authz_app().await;
    let c = t.kftc_client("핀테크").await;
    let client_token = t.two_legged(&c, "sa").await;
    let p = t.sandbox_person("홍길동", "01030000001", 1_000).await;
    let accounts = format!("/sandbox/people/{}/accounts", p.person_id);
    let rows: Vec<(Method, &str, Option<Value>, StatusCode)> = vec![
        (Method::GET, "/sandbox/clients", None, StatusCode::OK),
        (
            Method::POST,
            "/sandbox/clients",
            Some(json!({"profile": "kftc", "name": "새기관", "scopes": ["oob"]})),
            StatusCode::CREATED,
        ),
        (Method::GET, "/sandbox/institutions", None, StatusCode::OK),
        (
            Method::PUT,
            "/sandbox/institutions/BA00000004/status",
            Some(json!({"status": "active"})),
            StatusCode::OK,
        ),
        (Method::GET, "/sandbox/people", None, StatusCode::OK),
        (
            Method::POST,
            "/sandbox/people",
            Some(json!({"name": "김영희", "birth_date": "1991-01-01"})),
            StatusCode::CREATED,
        ),
        (
            Method::POST,
            &accounts,
            Some(json!({"bank_code_std": "004", "kind": "demand", "balance": 10})),
            StatusCode::CREATED,
        ),
        (Method::GET, "/sandbox/clock", None, StatusCode::OK),
        (
            Method::POST,
            "/sandbox/clock",
            Some(json!({"advance_seconds": 0})),
            StatusCode::OK,
        ),
    ];
    let unauthorized = (StatusCode::UNAUTHORIZED, "unauthorized");
    let right = format!("Bearer {ADMIN_KEY}");
    let callers: Vec<(&str, Option<String>)> = vec![
        ("none", None),
        ("malformed", Some(format!("Basic {ADMIN_KEY}"))),
        ("wrong-key", Some(format!("Bearer {ADMIN_KEY}x"))),
        ("client-token", Some(format!("Bearer {client_token}"))),
        ("right", Some(right)),
    ];
    let people_before = t.app.store.count_people().await.unwrap();
    let mut cells = Vec::new();
    for (method, path, body, ok) in &rows {
        for (col, header) in &callers {
            let (status, code) = if *col == "right" {
                (*ok, "")
            } else {
                unauthorized
            };
            let r = t.call(method, path, header.as_deref(), body.as_ref()).await;
            cells.push(Cell {
                row: format!("{method} {path}").replace(&p.person_id, "{person_id}"),
                col,
                want: Some(format!("{} {code}", status.as_u16())),
                got: format!("{} {}", r.status.as_u16(), r.code()),
                status: StatusCode::OK,
                text: r.text,
            });
        }
    }
    let cols: Vec<&str> = callers.iter().map(|(c, _)| *c).collect();
    assert_cells("sandbox admin API", &cells, &cols);
    println!("sandbox: {} cells\n{}", cells.len(), table(&cells, &cols));
    // Only the right key's two POSTs made people (one person, one account).
    use finhub_core::repo::PartyRepo;
    assert_eq!(t.app.store.count_people().await.unwrap(), people_before + 1);
}
