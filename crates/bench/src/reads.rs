//! Authorized reads, assembled from the same parts the KFTC balance handler
//! uses: a bearer token checked by finhub-oauth (JWT signature, expiry,
//! in-memory revocation set: no database round trip) and the balance read
//! through the core's World from a seeded store. It stands in for
//! GET /v2.0/account/balance/fin_num until that face is measured directly.

use crate::fresh;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use axum::{Json, Router};
use finhub_core::clock::Clock;
use finhub_core::oauth::Profile;
use finhub_core::world::World;
use finhub_oauth::{AccessClaims, OAuth, OAuthConfig};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

#[derive(Debug, Clone, clap::Args)]
pub struct ReadsArgs {
    #[arg(long, default_value_t = 18081)]
    pub port: u16,
    #[arg(long, default_value = "sqlite")]
    pub backend: String,
    #[arg(
        long,
        env = "FINHUB_BENCH_PG",
        default_value = "postgres://postgres@127.0.0.1:5432/postgres"
    )]
    pub pg_url: String,
    /// Where to write the bearer token and the account to read ("TOKEN ACCOUNT_ID").
    #[arg(long)]
    pub token_file: std::path::PathBuf,
    #[arg(long, default_value = "/tmp")]
    pub tmp: std::path::PathBuf,
    /// Read pool size (0: the store's default, sized to the machine).
    #[arg(long, default_value_t = 0)]
    pub pool: u32,
}

#[derive(Clone)]
struct AppState {
    oauth: OAuth,
    world: World,
}

#[derive(Deserialize)]
struct BalanceQuery {
    fintech_use_num: String,
}

pub async fn serve(args: &ReadsArgs) -> Result<(), String> {
    let opts = finhub_store::StoreOptions {
        max_connections: args.pool,
        ..Default::default()
    };
    let f = fresh::open_with(&args.backend, &args.pg_url, &args.tmp, opts).await?;
    let world = f.store.clone().into_world();
    let (users, _) = crate::ledger::setup(&world).await?;
    let oauth = OAuth::new(
        Arc::new(f.store.clone()),
        b"finhub-bench-signing-key-0123456789abcdef",
        Clock::system(),
        OAuthConfig::default(),
    )
    .await
    .map_err(|e| e.to_string())?;
    // Some revoked tokens, so the revocation check is not against an empty set.
    for i in 0..10_000 {
        oauth.revoked.insert(format!("revoked-{i}"), i64::MAX / 2);
    }
    let now = chrono::Utc::now().timestamp();
    let user = &users[0];
    let claims = AccessClaims {
        iss: oauth.config.issuer.clone(),
        aud: "1100000001".into(),
        jti: uuid::Uuid::new_v4().to_string(),
        iat: now,
        exp: now + 86_400,
        client_id: "bench-client".into(),
        org_code: "M202300001".into(),
        profile: Profile::Kftc,
        scope: vec!["login".into(), "inquiry".into(), "transfer".into()],
        sub: Some(user.person_id.clone()),
        fam: None,
    };
    let token = oauth.signer.sign(&claims);
    std::fs::write(&args.token_file, format!("{token} {}", user.account_id))
        .map_err(|e| e.to_string())?;
    let app = Router::new()
        .route("/v2.0/account/balance/fin_num", get(balance))
        .route("/bench/token_only", get(token_only))
        .with_state(AppState { oauth, world });
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port))
        .await
        .map_err(|e| e.to_string())?;
    eprintln!("authorized reads listening on {}", args.port);
    axum::serve(listener, app).await.map_err(|e| e.to_string())
}

/// The token check alone (no ledger read): splits the read's cost in two.
async fn token_only(
    State(st): State<AppState>,
    headers: HeaderMap,
) -> (StatusCode, Json<serde_json::Value>) {
    let ok = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| st.oauth.verify_access(t))
        .is_some_and(|c| c.is_ok_and(|c| c.has_scope("inquiry")));
    if ok {
        (
            StatusCode::OK,
            Json(json!({"rsp_code": "A0000", "rsp_message": ""})),
        )
    } else {
        (StatusCode::UNAUTHORIZED, Json(json!({"rsp_code": "O0001"})))
    }
}

async fn balance(
    State(st): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<BalanceQuery>,
) -> (StatusCode, Json<serde_json::Value>) {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let claims = match token.map(|t| st.oauth.verify_access(t)) {
        Some(Ok(c)) if c.has_scope("inquiry") => c,
        _ => {
            return (
                StatusCode::UNAUTHORIZED,
                Json(json!({"rsp_code": "O0001", "rsp_message": "invalid token"})),
            )
        }
    };
    match st.world.account(&q.fintech_use_num).await {
        Ok(a) if a.person_id == claims.sub => (
            StatusCode::OK,
            Json(json!({
                "api_tran_id": uuid::Uuid::new_v4().to_string(),
                "rsp_code": "A0000",
                "rsp_message": "",
                "bank_name": a.org_code,
                "fintech_use_num": a.account_id,
                "balance_amt": a.balance_minor.to_string(),
                "available_amt": a.available_minor().to_string(),
                "account_type": "1",
                "product_name": a.product_name,
            })),
        ),
        _ => (
            StatusCode::OK,
            Json(json!({"rsp_code": "A0002", "rsp_message": "no such account"})),
        ),
    }
}
