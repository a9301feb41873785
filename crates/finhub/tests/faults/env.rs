//! One test's world: a fresh PostgreSQL schema reached through the proxy,
//! the assembled server on a bound port, a KFTC client and its users.

use crate::http::{Http, Reply};
use crate::proxy::{upstream_of, via, Proxy};
use finhub::{assemble, App, AssembleOptions};
use finhub_core::account::AccountKind;
use finhub_core::clock::Clock;
use finhub_core::money::Currency;
use finhub_core::party::NewPerson;
use finhub_core::world::OpenAccount;
use finhub_oauth::{AccessClaims, NewClient, Profile};
use finhub_store::testing::{fresh_database, pg_test_url};
use finhub_store::Store;
use serde_json::{json, Value};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::Arc;

pub const ADMIN_KEY: &str = "faults-admin-key-0123456789";
pub const OPENING_KRW: i64 = 50_000_000;
pub const WITHDRAW_KRW: i64 = 1_000;
const USERS: usize = 4;
const BANK_ORG: &str = "BA00000004";

pub struct User {
    pub fin: String,
    pub account_id: String,
}

/// What a load task needs to speak to the server.
#[derive(Clone)]
pub struct Creds {
    pub addr: SocketAddr,
    pub org: String,
    pub client_id: String,
    pub secret: String,
    pub cntr: String,
    pub token: String,
    pub fins: Arc<Vec<String>>,
}

pub struct Env {
    pub proxy: Proxy,
    pub store: Store,
    pub _app: App,
    pub creds: Creds,
    pub users: Vec<User>,
    /// Straight to PostgreSQL (not through the proxy), in the test's schema.
    direct: PgPool,
}

impl Env {
    pub async fn new() -> Option<Env> {
        pg_test_url()?;
        let (url, opts, _) = fresh_database().await;
        let proxy = Proxy::start(upstream_of(&url)).await;
        let store = Store::open(&via(&url, proxy.addr), opts.clone(), Clock::system())
            .await
            .expect("open store through the proxy");
        let schema = opts.pg_schema.clone().expect("a PostgreSQL test schema");
        let direct = PgPoolOptions::new()
            .max_connections(4)
            .connect_with(
                PgConnectOptions::from_str(&url)
                    .unwrap()
                    .options([("search_path", schema.as_str())]),
            )
            .await
            .expect("direct connection");
        let app = assemble(
            store.clone(),
            AssembleOptions {
                admin_key: Some(ADMIN_KEY.into()),
                ..Default::default()
            },
        )
        .await
        .expect("assemble");
        // Served as `finhub serve` serves it: the assembled router carries the
        // shell's layers (timeout, panic catcher, JSON errors).
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = app.router.clone();
        tokio::spawn(async move { axum::serve(listener, router).await });

        let (client, secret) = app
            .oauth
            .create_client(
                NewClient {
                    profile: Profile::Kftc,
                    name: "장애시험".into(),
                    redirect_uris: vec!["https://app.example/callback".into()],
                    scopes: ["oob", "sa", "login", "inquiry", "transfer"]
                        .iter()
                        .map(|s| s.to_string())
                        .collect(),
                    org_code: None,
                },
                &app.profiles,
            )
            .await
            .expect("client");
        let extra = app
            .profiles
            .get(Profile::Kftc)
            .expect("kftc adapter")
            .provision_client(&client)
            .await
            .expect("contract account");
        let org = client.org_code.clone();
        let now = Clock::system().now().timestamp();
        let token = app.oauth.signer.sign(&AccessClaims {
            iss: app.oauth.config.issuer.clone(),
            aud: org.clone(),
            jti: uuid::Uuid::new_v4().to_string(),
            iat: now,
            exp: now + 3600,
            client_id: client.client_id.clone(),
            org_code: org.clone(),
            profile: Profile::Kftc,
            scope: vec!["sa".into()],
            sub: None,
            fam: None,
        });
        let mut creds = Creds {
            addr,
            org,
            client_id: client.client_id.clone(),
            secret,
            cntr: extra["cntr_account_num"].as_str().unwrap().to_owned(),
            token,
            fins: Arc::new(vec![]),
        };

        let mut users = Vec::new();
        let mut http = Http::new(addr);
        for i in 0..USERS {
            let p = app
                .world
                .create_person(NewPerson {
                    name: "홍길동".into(),
                    birth_date: chrono::NaiveDate::from_ymd_opt(1990, 5, 17),
                    phone: Some(format!("0109{:03}{:04}", i, rand::random::<u16>() % 10_000)),
                    email: Some("user@example.com".into()),
                    ..Default::default()
                })
                .await
                .expect("person");
            let a = app
                .world
                .open_account(OpenAccount {
                    org_code: BANK_ORG.into(),
                    person_id: p.person_id.clone(),
                    kind: AccountKind::Demand,
                    product_name: None,
                    currency: Currency::KRW,
                    opening_balance_minor: OPENING_KRW,
                    floor_minor: 0,
                    account_num: None,
                })
                .await
                .expect("account");
            let mut fin = String::new();
            for scope in ["inquiry", "transfer"] {
                let body = json!({
                    "bank_tran_id": tran_id(&creds.org),
                    "bank_code_std": &a.org_code[7..],
                    "register_account_num": a.account_num,
                    "user_info": p.birth_date.format("%Y%m%d").to_string(),
                    "user_name": p.name,
                    "user_ci": p.ci,
                    "user_email": "user@example.com",
                    "scope": scope,
                    "info_prvd_agmt_yn": "Y",
                    "wd_agmt_yn": "Y",
                    "agmt_data_type": "1",
                    "tran_dtime": dtime(),
                });
                let r = kftc(&mut http, &creds, "POST", "/v2.0/user/register", Some(body))
                    .await
                    .expect("register");
                assert_eq!(r.body["rsp_code"], "A0000", "{}", r.text);
                fin = r.body["fintech_use_num"].as_str().unwrap().to_owned();
            }
            users.push(User {
                fin,
                account_id: a.account_id,
            });
        }
        creds.fins = Arc::new(users.iter().map(|u| u.fin.clone()).collect());
        Some(Env {
            proxy,
            store,
            _app: app,
            creds,
            users,
            direct,
        })
    }

    /// End this store's sessions from the server side, as PostgreSQL does
    /// on a shutdown (FATAL 57P01). Only the proxy's own connections.
    pub async fn terminate_backends(&self) -> u64 {
        let ports = self.proxy.upstream_ports();
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE client_port = ANY($1) AND client_addr = '127.0.0.1'::inet AND pid <> pg_backend_pid()) t",
        )
        .bind(&ports)
        .fetch_one(&self.direct)
        .await
        .expect("terminate backends");
        n as u64
    }

    /// Hold a user's account row, so a ledger batch touching it waits mid-transaction.
    pub async fn lock_account(&self, user: usize) -> sqlx::Transaction<'static, sqlx::Postgres> {
        let mut tx = self.direct.begin().await.expect("begin");
        sqlx::query("SELECT 1 FROM accounts WHERE account_id = $1 FOR UPDATE")
            .bind(&self.users[user].account_id)
            .execute(&mut *tx)
            .await
            .expect("lock row");
        tx
    }

    /// Until one of this store's sessions waits on a row lock.
    pub async fn wait_for_lock_wait(&self) {
        for _ in 0..500 {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE client_port = ANY($1) AND wait_event_type = 'Lock'",
            )
            .bind(self.proxy.upstream_ports())
            .fetch_one(&self.direct)
            .await
            .expect("pg_stat_activity");
            if n > 0 {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("no session of this store came to wait on the held row");
    }

    /// Journal entries per idempotency key, read straight from PostgreSQL.
    pub async fn entries_per_key(&self, keys: &[String]) -> HashMap<String, i64> {
        sqlx::query_as::<_, (String, i64)>(
            "SELECT idem_key, COUNT(*) FROM journal_entries WHERE idem_key = ANY($1) GROUP BY idem_key",
        )
        .bind(keys)
        .fetch_all(&self.direct)
        .await
        .expect("count entries")
        .into_iter()
        .collect()
    }

    pub async fn balance_of(&self, account_id: &str) -> i64 {
        sqlx::query_scalar("SELECT balance_minor FROM accounts WHERE account_id = $1")
            .bind(account_id)
            .fetch_one(&self.direct)
            .await
            .expect("balance")
    }

    /// A withdrawal with this bank_tran_id, as a client retries it.
    pub async fn withdraw(&self, user: usize, tran: &str) -> Reply {
        let mut http = Http::new(self.creds.addr);
        let body = withdraw_body(&self.creds, user, tran);
        kftc(
            &mut http,
            &self.creds,
            "POST",
            "/v2.0/transfer/withdraw/fin_num",
            Some(body),
        )
        .await
        .expect("retry answered")
    }
}

impl Env {
    /// `n` concurrent withdrawals of one user, each on its own connection,
    /// with fresh bank_tran_ids; answers with their ids.
    pub fn spawn_withdrawals(
        &self,
        user: usize,
        n: usize,
    ) -> tokio::task::JoinHandle<Vec<(String, Reply)>> {
        let c = self.creds.clone();
        tokio::spawn(async move {
            let calls = (0..n).map(|_| {
                let c = c.clone();
                async move {
                    let tran = tran_id(&c.org);
                    let mut http = Http::new(c.addr);
                    let body = withdraw_body(&c, user, &tran);
                    let r = kftc(
                        &mut http,
                        &c,
                        "POST",
                        "/v2.0/transfer/withdraw/fin_num",
                        Some(body),
                    )
                    .await
                    .expect("an HTTP answer");
                    (tran, r)
                }
            });
            futures::future::join_all(calls).await
        })
    }
}

pub async fn kftc(
    http: &mut Http,
    c: &Creds,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Result<Reply, String> {
    let auth = [("authorization", format!("Bearer {}", c.token))];
    let body = body.map(|b| ("application/json; charset=UTF-8", b.to_string()));
    http.send(method, path, &auth, body).await
}

pub fn withdraw_body(c: &Creds, user: usize, tran: &str) -> Value {
    let fin = &c.fins[user];
    json!({
        "bank_tran_id": tran,
        "cntr_account_type": "N",
        "cntr_account_num": c.cntr,
        "dps_print_content": "쇼핑몰환불",
        "fintech_use_num": fin,
        "wd_print_content": "오픈뱅킹출금",
        "tran_amt": WITHDRAW_KRW.to_string(),
        "tran_dtime": dtime(),
        "req_client_name": "홍길동",
        "req_client_fintech_use_num": fin,
        "req_client_num": "HONGGILDONG1234",
        "transfer_purpose": "TR",
        "recv_client_name": "쇼핑몰",
        "recv_client_bank_code": "097",
        "recv_client_account_num": "232000067812"
    })
}

/// A fresh bank_tran_id for the institution: its code, `U`, nine characters.
pub fn tran_id(org: &str) -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    let tail: String = (0..9)
        .map(|_| {
            let d = rng.gen_range(0..36u8);
            char::from(if d < 10 { b'0' + d } else { b'A' + d - 10 })
        })
        .collect();
    format!("{org}U{tail}")
}

pub fn dtime() -> String {
    chrono::Utc::now()
        .with_timezone(&finhub_core::clock::kst())
        .format("%Y%m%d%H%M%S")
        .to_string()
}
