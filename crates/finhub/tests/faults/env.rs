//! One test's world: a fresh PostgreSQL schema reached through the proxy,
//! the assembled server on a bound port, a KFTC client and its users.

use crate::proxy::{upstream_of, via, Proxy};
use finhub_core::clock::Clock;
use finhub_http::ServeConfig;
use finhub_store::testing::{fresh_database, pg_test_url};
use finhub_store::Store;
use finhub_testkit::kftc::tran_id;
use finhub_testkit::net::{Conn, Reply};
use finhub_testkit::TestApp;
use serde_json::Value;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::Arc;

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
    pub _app: TestApp,
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
        // Served as `finhub serve` serves it: the assembled router carries the
        // shell's layers (timeout, panic catcher, JSON errors).
        let app = TestApp::builder()
            .store(store.clone())
            .serve(ServeConfig::default())
            .spawn()
            .await;
        let f = app.fintech("장애시험").await;
        let mut users = Vec::new();
        for _ in 0..USERS {
            let (p, a) = app.person("홍길동", BANK_ORG, OPENING_KRW).await;
            let (_, fin) = app.register_both(&f, (&p, &a)).await;
            users.push(User {
                fin,
                account_id: a.account_id,
            });
        }
        let creds = Creds {
            addr: app.addr(),
            org: f.org.clone(),
            client_id: f.id.clone(),
            secret: f.secret.clone(),
            cntr: f.cntr.clone(),
            token: f.token.clone(),
            fins: Arc::new(users.iter().map(|u| u.fin.clone()).collect()),
        };
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
        let mut http = Conn::new(self.creds.addr);
        let body = self.creds.withdrawal(user, tran);
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
                    let mut http = Conn::new(c.addr);
                    let body = c.withdrawal(user, &tran);
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
    http: &mut Conn,
    c: &Creds,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Result<Reply, String> {
    let auth = [("authorization", format!("Bearer {}", c.token))];
    let body = body.map(|b| ("application/json; charset=UTF-8", b.to_string()));
    http.send(method, path, &auth, body).await
}

impl Creds {
    /// A withdrawal of WITHDRAW_KRW by `user`, with this bank_tran_id.
    pub fn withdrawal(&self, user: usize, tran: &str) -> Value {
        finhub_testkit::kftc::withdraw_body(tran, &self.cntr, &self.fins[user], WITHDRAW_KRW)
    }
}
