//! The assembled server over a fresh store, driven only through HTTP, with a
//! fixed world clock; KFTC clients, people and tokens made as a real client
//! would make them (sandbox API, authorize pages, token endpoint).

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use finhub::{assemble, App, AssembleOptions};
use finhub_store::testing::TestStore;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use tower::ServiceExt;

pub const ADMIN_KEY: &str = "authz-admin-key-7c1f0e9a2b5d4c3e";
pub const REDIRECT: &str = "https://app.example/callback";
/// 12:00 KST, so dates and windows do not depend on when the test runs.
pub const START: &str = "2030-06-14T03:00:00Z";
/// KFTC access tokens live 90 days; a minute past that.
pub const PAST_EXPIRY_SECS: i64 = 7_776_000 + 60;

pub struct TestApp {
    pub ts: TestStore,
    pub app: App,
}

#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub body: Value,
    pub text: String,
    pub location: String,
}

impl Resp {
    /// The KFTC rsp_code, else the RFC 6749 / sandbox `error`, else "".
    pub fn code(&self) -> String {
        self.body["rsp_code"]
            .as_str()
            .or_else(|| self.body["error"].as_str())
            .unwrap_or("")
            .to_owned()
    }
}

pub async fn spawn_app() -> TestApp {
    crate::logs::capture();
    let ts = TestStore::new().await;
    let app = assemble(
        ts.store.clone(),
        AssembleOptions {
            admin_key: Some(ADMIN_KEY.into()),
            ..Default::default()
        },
    )
    .await
    .expect("assemble");
    let t = TestApp { ts, app };
    let r = t
        .admin(
            Method::POST,
            "/sandbox/clock",
            Some(json!({ "now": START })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    t
}

/// A bank_tran_id of `org`: unique in this process, so in every test's day.
pub fn tran_id(org: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("{org}U{:09}", NEXT.fetch_add(1, Ordering::Relaxed))
}

pub fn form_body(fields: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(fields).unwrap()
}

impl TestApp {
    pub async fn send(&self, req: Request<Body>) -> Resp {
        let resp = self
            .app
            .router
            .clone()
            .oneshot(req)
            .await
            .expect("infallible");
        let status = resp.status();
        let location = resp
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Resp {
            status,
            body,
            text,
            location,
        }
    }

    /// Any request: `auth` is the whole Authorization header value.
    pub async fn call(
        &self,
        method: &Method,
        path: &str,
        auth: Option<&str>,
        body: Option<&Value>,
    ) -> Resp {
        let mut b = Request::builder().method(method.clone()).uri(path);
        if let Some(a) = auth {
            b = b.header("authorization", a);
        }
        let req = match body {
            Some(v) => b
                .header("content-type", "application/json; charset=UTF-8")
                .body(Body::from(v.to_string())),
            None => b.body(Body::empty()),
        };
        self.send(req.unwrap()).await
    }

    pub async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> Resp {
        let auth = format!("Bearer {ADMIN_KEY}");
        self.call(&method, path, Some(&auth), body.as_ref()).await
    }

    /// A form POST (token, revoke, the authorize pages).
    pub async fn form(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let req = Request::post(path)
            .header(
                "content-type",
                "application/x-www-form-urlencoded; charset=UTF-8",
            )
            .body(Body::from(form_body(fields)))
            .unwrap();
        self.send(req).await
    }

    /// A KFTC call with a bearer token; GETs take `body` as the query.
    pub async fn kftc(&self, token: &str, method: Method, path: &str, body: Value) -> Resp {
        let auth = format!("Bearer {token}");
        if method == Method::GET {
            let uri = format!("{path}?{}", query(&body));
            self.call(&method, &uri, Some(&auth), None).await
        } else {
            self.call(&method, path, Some(&auth), Some(&body)).await
        }
    }

    pub async fn advance(&self, secs: i64) {
        let r = self
            .admin(
                Method::POST,
                "/sandbox/clock",
                Some(json!({ "advance_seconds": secs })),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }

    pub fn now_kst(&self) -> chrono::DateTime<chrono::FixedOffset> {
        self.app.world.clock.now_kst()
    }

    pub fn dtime(&self) -> String {
        self.now_kst().format("%Y%m%d%H%M%S").to_string()
    }

    pub fn today(&self) -> String {
        self.now_kst().format("%Y%m%d").to_string()
    }

    /// A client registered through the sandbox (KFTC: with its contract account).
    pub async fn client(&self, profile: &str, name: &str, scopes: &[&str]) -> Client {
        let r = self
            .admin(
                Method::POST,
                "/sandbox/clients",
                Some(json!({
                    "profile": profile,
                    "name": name,
                    "redirect_uris": [REDIRECT],
                    "scopes": scopes,
                })),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let s = |k: &str| r.body[k].as_str().unwrap_or("").to_owned();
        Client {
            id: s("client_id"),
            secret: s("client_secret"),
            org: s("org_code"),
            cntr: s("cntr_account_num"),
        }
    }

    pub async fn kftc_client(&self, name: &str) -> Client {
        self.client("kftc", name, &["oob", "sa", "login", "inquiry", "transfer"])
            .await
    }

    /// A person with a password of their own and a demand account at bank 004.
    pub async fn person(&self, name: &str, phone: &str, balance: i64) -> Person {
        let r = self
            .admin(
                Method::POST,
                "/sandbox/people",
                Some(json!({"name": name, "birth_date": "1990-03-04", "phone": phone})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let person_id = r.body["person_id"].as_str().unwrap().to_owned();
        let ci = r.body["ci"].as_str().unwrap().to_owned();
        assert_eq!(ci.len(), 88);
        let password = format!("pw-{}", uuid::Uuid::new_v4().simple());
        let hash = finhub_oauth::hash_password(&password).await.unwrap();
        use finhub_core::repo::PartyRepo;
        self.ts
            .store
            .set_password_hash(&person_id, &hash)
            .await
            .unwrap();
        let mut p = Person {
            person_id,
            name: name.into(),
            ci,
            phone: phone.into(),
            password,
            accounts: vec![],
        };
        self.open_account(&mut p, balance).await;
        p
    }

    pub async fn open_account(&self, p: &mut Person, balance: i64) {
        let r = self
            .admin(
                Method::POST,
                &format!("/sandbox/people/{}/accounts", p.person_id),
                Some(json!({"bank_code_std": "004", "kind": "demand", "balance": balance})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        p.accounts.push(Acc {
            id: r.body["account_id"].as_str().unwrap().to_owned(),
            num: r.body["account_num"].as_str().unwrap().to_owned(),
        });
    }

    /// A 2-legged token from the token endpoint.
    pub async fn two_legged(&self, c: &Client, scope: &str) -> String {
        let r = self
            .form(
                "/oauth/2.0/token",
                &[
                    ("client_id", &c.id),
                    ("client_secret", &c.secret),
                    ("scope", scope),
                    ("grant_type", "client_credentials"),
                ],
            )
            .await;
        r.body["access_token"]
            .as_str()
            .unwrap_or_else(|| panic!("{}", r.text))
            .to_owned()
    }

    /// The authorize page, login and consent for `p`; the redirect's query.
    pub async fn authorize(&self, c: &Client, p: &Person, scope: &str) -> HashMap<String, String> {
        let state = "b80BLsfigm9OokPTjy03elbJqRHOfGSY";
        let q = form_body(&[
            ("response_type", "code"),
            ("client_id", &c.id),
            ("redirect_uri", REDIRECT),
            ("scope", scope),
            ("state", state),
            ("auth_type", "0"),
        ]);
        let page = self
            .call(
                &Method::GET,
                &format!("/oauth/2.0/authorize?{q}"),
                None,
                None,
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        let rid = field(&page.text, "request_id");
        let r = self
            .form(
                "/oauth/2.0/authorize/login",
                &[
                    ("request_id", &rid),
                    ("login", &p.phone),
                    ("password", &p.password),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let r = self
            .form(
                "/oauth/2.0/authorize/consent",
                &[("request_id", &rid), ("decision", "allow")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FOUND, "{}", r.text);
        let query: HashMap<String, String> =
            serde_urlencoded::from_str(r.location.split_once('?').unwrap().1).unwrap();
        assert_eq!(query["state"], state);
        query
    }

    /// A 3-legged token of `c` for `p` with `scope`.
    pub async fn user_token(&self, c: &Client, p: &Person, scope: &str) -> UserToken {
        let code = self.authorize(c, p, scope).await["code"].clone();
        let r = self
            .form(
                "/oauth/2.0/token",
                &[
                    ("code", &code),
                    ("client_id", &c.id),
                    ("client_secret", &c.secret),
                    ("redirect_uri", REDIRECT),
                    ("grant_type", "authorization_code"),
                ],
            )
            .await;
        let s = |k: &str| {
            r.body[k]
                .as_str()
                .unwrap_or_else(|| panic!("{k}: {}", r.text))
                .to_owned()
        };
        UserToken {
            access: s("access_token"),
            refresh: s("refresh_token"),
            user_seq_no: s("user_seq_no"),
            code,
        }
    }

    /// Revoke a token (RFC 7009 through the KFTC face).
    pub async fn revoke(&self, c: &Client, token: &str) {
        let r = self
            .form(
                "/oauth/2.0/revoke",
                &[
                    ("client_id", &c.id),
                    ("client_secret", &c.secret),
                    ("access_token", token),
                ],
            )
            .await;
        assert_eq!(r.code(), "A0000", "{}", r.text);
    }

    /// user/register of `p`'s account `acc` with `c` (sa) for `scope`.
    pub async fn register(
        &self,
        sa: &str,
        c: &Client,
        p: &Person,
        acc: usize,
        scope: &str,
    ) -> Resp {
        self.kftc(
            sa,
            Method::POST,
            "/v2.0/user/register",
            register_body(&c.org, p, acc, scope, &self.dtime()),
        )
        .await
    }

    /// Register for inquiry and transfer: (user_seq_no, fintech_use_num).
    pub async fn register_both(
        &self,
        sa: &str,
        c: &Client,
        p: &Person,
        acc: usize,
    ) -> (String, String) {
        let r1 = self.register(sa, c, p, acc, "inquiry").await;
        assert_eq!(r1.code(), "A0000", "{}", r1.text);
        let r2 = self.register(sa, c, p, acc, "transfer").await;
        assert_eq!(r2.code(), "A0000", "{}", r2.text);
        (
            r1.body["user_seq_no"].as_str().unwrap().to_owned(),
            r1.body["fintech_use_num"].as_str().unwrap().to_owned(),
        )
    }

    /// Balance of an account, read from the store (not through any face).
    pub async fn balance_of(&self, account_id: &str) -> i64 {
        self.app
            .world
            .account(account_id)
            .await
            .unwrap()
            .balance_minor
    }

    pub async fn contract_balance(&self, c: &Client) -> i64 {
        let bank = self.app.world.institution("BA00000097").await.unwrap();
        self.app
            .world
            .repo
            .account_by_number(&bank.org_code, &c.cntr)
            .await
            .unwrap()
            .unwrap()
            .balance_minor
    }
}

pub fn register_body(org: &str, p: &Person, acc: usize, scope: &str, dtime: &str) -> Value {
    json!({
        "bank_tran_id": tran_id(org),
        "bank_code_std": "004",
        "register_account_num": p.accounts[acc].num,
        "user_info": "19900304",
        "user_name": p.name,
        "user_ci": p.ci,
        "user_email": "user@example.com",
        "scope": scope,
        "info_prvd_agmt_yn": "Y",
        "wd_agmt_yn": "Y",
        "agmt_data_type": "1",
        "tran_dtime": dtime,
    })
}

/// A JSON object of strings as a query string.
pub fn query(v: &Value) -> String {
    let pairs: Vec<(String, String)> = v
        .as_object()
        .map(|o| {
            o.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                .collect()
        })
        .unwrap_or_default();
    serde_urlencoded::to_string(pairs).unwrap()
}

fn field(page: &str, name: &str) -> String {
    let needle = format!("name=\"{name}\" value=\"");
    let i = page
        .find(&needle)
        .unwrap_or_else(|| panic!("no {name} in {page}"))
        + needle.len();
    page[i..i + page[i..].find('"').unwrap()].to_owned()
}

#[derive(Debug, Clone)]
pub struct Client {
    pub id: String,
    pub secret: String,
    /// client_use_code for KFTC.
    pub org: String,
    pub cntr: String,
}

#[derive(Debug, Clone)]
pub struct Acc {
    pub id: String,
    pub num: String,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub person_id: String,
    pub name: String,
    pub ci: String,
    pub phone: String,
    pub password: String,
    pub accounts: Vec<Acc>,
}

#[derive(Debug, Clone)]
pub struct UserToken {
    pub access: String,
    pub refresh: String,
    pub user_seq_no: String,
    /// The authorization code it was exchanged for (spent).
    pub code: String,
}
