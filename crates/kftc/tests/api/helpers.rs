//! A fresh world per test (SQLite, or PostgreSQL with FINHUB_TEST_DATABASE_URL),
//! the KFTC router over it, clients with contract accounts and signed tokens.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use finhub_core::account::{Account, AccountKind};
use finhub_core::clock::Clock;
use finhub_core::institution::default_institutions;
use finhub_core::money::Currency;
use finhub_core::oauth::Profile;
use finhub_core::party::{NewPerson, Person};
use finhub_core::repo::InstitutionRepo;
use finhub_core::world::{OpenAccount, World};
use finhub_kftc::{adapter, router, KftcState};
use finhub_oauth::{AccessClaims, NewClient, OAuth, OAuthConfig, Profiles};
use finhub_store::testing::TestStore;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::sync::Arc;
use tower::ServiceExt;

pub struct App {
    pub _ts: TestStore,
    pub profiles: Profiles,
    pub state: KftcState,
    pub world: World,
    pub clock: Clock,
    pub router: axum::Router,
}

/// One fintech institution: its code, contract account and an `sa` token.
#[derive(Clone)]
pub struct Fintech {
    pub org: String,
    pub client_id: String,
    pub cntr: String,
    pub token: String,
}

pub async fn spawn() -> App {
    let clock = Clock::system();
    let ts = TestStore::with_clock(clock.clone()).await;
    for i in default_institutions() {
        ts.store.upsert_institution(&i).await.unwrap();
    }
    let world = ts.store.clone().into_world();
    let oauth = OAuth::new(
        Arc::new(ts.store.clone()),
        b"test-signing-key-test-signing-key",
        clock.clone(),
        OAuthConfig::default(),
    )
    .await
    .unwrap();
    let state = KftcState {
        world: world.clone(),
        oauth,
        repo: Arc::new(ts.store.clone()),
    };
    let profiles = Profiles::default().with(adapter(state.clone()));
    // The face and the shared OAuth server, as the assembly mounts them.
    let all = router(state.clone()).merge(finhub_oauth::router(
        state.oauth.clone(),
        world.clone(),
        profiles.clone(),
    ));
    App {
        profiles,
        router: all,
        _ts: ts,
        state,
        world,
        clock,
    }
}

impl App {
    /// A kftc client as /sandbox/clients makes it: registered with the
    /// OAuth server (which assigns its client_use_code), then provisioned
    /// with its contract account. Returns it with an `sa` token.
    pub async fn fintech(&self, _seq: u64, name: &str) -> Fintech {
        self.fintech_with_secret(name).await.0
    }

    pub async fn fintech_with_secret(&self, name: &str) -> (Fintech, String) {
        let (client, secret) = self
            .state
            .oauth
            .create_client(
                NewClient {
                    profile: Profile::Kftc,
                    name: name.into(),
                    redirect_uris: vec!["https://app.example/callback".into()],
                    scopes: ["oob", "sa", "login", "inquiry", "transfer"]
                        .iter()
                        .map(|s| s.to_string())
                        .collect(),
                    org_code: None,
                },
                &self.profiles,
            )
            .await
            .unwrap();
        let org = client.org_code.clone();
        assert!(finhub_kftc::format::is_client_use_code(&org), "{org}");
        let extra = adapter(self.state.clone())
            .provision_client(&client)
            .await
            .unwrap();
        assert_eq!(extra["cntr_bank_code_std"], "097");
        assert_eq!(extra["wd_pass_phrase"], "NONE");
        assert_eq!(extra["client_use_code"], org.as_str());
        let cntr = extra["cntr_account_num"].as_str().unwrap().to_owned();
        // KFTC tokens live 90 days.
        let token = self.token(&org, &client.client_id, &["sa"], None, 7_776_000);
        (
            Fintech {
                org,
                client_id: client.client_id,
                cntr,
                token,
            },
            secret,
        )
    }

    pub fn token(
        &self,
        org: &str,
        client_id: &str,
        scope: &[&str],
        sub: Option<(&str, &str)>,
        ttl: i64,
    ) -> String {
        let now = self.clock.now().timestamp();
        self.state.oauth.signer.sign(&AccessClaims {
            iss: self.state.oauth.config.issuer.clone(),
            aud: sub
                .map(|(_, no)| no.to_owned())
                .unwrap_or_else(|| org.to_owned()),
            jti: uuid::Uuid::new_v4().to_string(),
            iat: now,
            exp: now + ttl,
            client_id: client_id.into(),
            org_code: org.into(),
            profile: Profile::Kftc,
            scope: scope.iter().map(|s| s.to_string()).collect(),
            sub: sub.map(|(p, _)| p.to_owned()),
            fam: None,
        })
    }

    pub async fn person(&self, name: &str, bank_org: &str, balance: i64) -> (Person, Account) {
        let p = self
            .world
            .create_person(NewPerson {
                name: name.into(),
                birth_date: chrono::NaiveDate::from_ymd_opt(1990, 5, 17),
                phone: Some(format!("010{:08}", rand_digits())),
                email: Some("user@example.com".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        let a = self
            .world
            .open_account(OpenAccount {
                org_code: bank_org.into(),
                person_id: p.person_id.clone(),
                kind: AccountKind::Demand,
                product_name: None,
                currency: Currency::KRW,
                opening_balance_minor: balance,
                floor_minor: 0,
                account_num: None,
            })
            .await
            .unwrap();
        (p, a)
    }

    pub async fn call(
        &self,
        method: &str,
        token: Option<&str>,
        uri: &str,
        body: Option<String>,
    ) -> Value {
        let mut b = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            b = b.header("authorization", format!("Bearer {t}"));
        }
        let req = match body {
            Some(s) => b
                .header("content-type", "application/json; charset=UTF-8")
                .body(Body::from(s))
                .unwrap(),
            None => b.body(Body::empty()).unwrap(),
        };
        let resp = self.router.clone().oneshot(req).await.unwrap();
        assert_eq!(
            resp.status(),
            StatusCode::OK,
            "KFTC answers every call with HTTP 200"
        );
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&bytes)))
    }

    /// Any request; (status, Location header, body text), for the HTML pages.
    pub async fn raw(
        &self,
        method: &str,
        uri: &str,
        form: Option<&[(&str, &str)]>,
    ) -> (StatusCode, String, String) {
        let b = Request::builder().method(method).uri(uri);
        let req = match form {
            Some(f) => b
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(serde_urlencoded::to_string(f).unwrap()))
                .unwrap(),
            None => b.body(Body::empty()).unwrap(),
        };
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let loc = resp
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        (status, loc, String::from_utf8_lossy(&bytes).into_owned())
    }

    /// A form POST (the OAuth endpoints).
    pub async fn form(&self, uri: &str, fields: &[(&str, &str)]) -> Value {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let req = Request::builder()
            .method("POST")
            .uri(uri)
            .header(
                "content-type",
                "application/x-www-form-urlencoded; charset=UTF-8",
            )
            .body(Body::from(body))
            .unwrap();
        let resp = self.router.clone().oneshot(req).await.unwrap();
        assert_eq!(
            resp.status(),
            StatusCode::OK,
            "KFTC OAuth answers with HTTP 200"
        );
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&bytes)))
    }

    pub async fn get(&self, token: &str, uri: &str) -> Value {
        self.call("GET", Some(token), uri, None).await
    }

    pub async fn post(&self, token: &str, uri: &str, body: Value) -> Value {
        self.call("POST", Some(token), uri, Some(body.to_string()))
            .await
    }

    /// user/register for one service; returns (user_seq_no, fintech_use_num).
    pub async fn register(&self, f: &Fintech, p: &Person, a: &Account, scope: &str) -> Value {
        let bank_code = &a.org_code[7..];
        self.post(
            &f.token,
            "/v2.0/user/register",
            json!({
                "bank_tran_id": tran_id(&f.org),
                "bank_code_std": bank_code,
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
            }),
        )
        .await
    }

    /// Register for inquiry and transfer; returns (user_seq_no, fintech_use_num).
    pub async fn register_both(&self, f: &Fintech, p: &Person, a: &Account) -> (String, String) {
        let r1 = self.register(f, p, a, "inquiry").await;
        assert_eq!(r1["rsp_code"], "A0000", "{r1}");
        let r2 = self.register(f, p, a, "transfer").await;
        assert_eq!(r2["rsp_code"], "A0000", "{r2}");
        assert_eq!(r1["fintech_use_num"], r2["fintech_use_num"]);
        (
            r1["user_seq_no"].as_str().unwrap().to_owned(),
            r1["fintech_use_num"].as_str().unwrap().to_owned(),
        )
    }

    pub async fn balance(&self, f: &Fintech, fin: &str) -> Value {
        self.get(
            &f.token,
            &format!(
                "/v2.0/account/balance/fin_num?bank_tran_id={}&fintech_use_num={fin}&tran_dtime={}",
                tran_id(&f.org),
                dtime()
            ),
        )
        .await
    }

    pub async fn withdraw(&self, f: &Fintech, fin: &str, amt: i64, tran: &str) -> Value {
        self.post(
            &f.token,
            "/v2.0/transfer/withdraw/fin_num",
            withdraw_body(f, fin, amt, tran),
        )
        .await
    }
}

pub fn withdraw_body(f: &Fintech, fin: &str, amt: i64, tran: &str) -> Value {
    let mut v = json!({
        "bank_tran_id": tran,
        "cntr_account_type": "N",
        "cntr_account_num": f.cntr,
        "dps_print_content": "쇼핑몰환불",
        "fintech_use_num": fin,
        "wd_print_content": "오픈뱅킹출금",
        "tran_amt": amt.to_string(),
        "tran_dtime": dtime(),
        "req_client_name": "홍길동",
        "req_client_fintech_use_num": fin,
        "req_client_num": "HONGGILDONG1234",
        "transfer_purpose": "TR",
        "recv_client_name": "쇼핑몰",
        "recv_client_bank_code": "097",
        "recv_client_account_num": "232000067812"
    });
    if fin.is_empty() {
        let o = v.as_object_mut().unwrap();
        o.remove("req_client_fintech_use_num");
        o.insert("req_client_bank_code".into(), json!("097"));
        o.insert("req_client_account_num".into(), json!("1234567890"));
    }
    v
}

pub fn deposit_item(f: &Fintech, no: usize, fin: &str, amt: i64) -> Value {
    let mut v = json!({
        "tran_no": no.to_string(),
        "bank_tran_id": tran_id(&f.org),
        "fintech_use_num": fin,
        "print_content": "쇼핑몰환불",
        "tran_amt": amt.to_string(),
        "req_client_name": "홍길동",
        "req_client_fintech_use_num": fin,
        "req_client_num": "HONGGILDONG1234",
        "transfer_purpose": "TR"
    });
    if fin.is_empty() {
        let o = v.as_object_mut().unwrap();
        o.remove("req_client_fintech_use_num");
        o.insert("req_client_bank_code".into(), json!("097"));
        o.insert("req_client_account_num".into(), json!("1234567890"));
    }
    v
}

pub fn deposit_body(f: &Fintech, items: Vec<Value>) -> Value {
    json!({
        "cntr_account_type": "N",
        "cntr_account_num": f.cntr,
        "wd_pass_phrase": "NONE",
        "wd_print_content": "환불금액",
        "name_check_option": "on",
        "tran_dtime": dtime(),
        "req_cnt": items.len().to_string(),
        "req_list": items
    })
}

fn rand_digits() -> u32 {
    use rand::Rng;
    rand::thread_rng().gen_range(0..100_000_000)
}

/// A fresh bank_tran_id for the institution.
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

pub fn today8(app: &App) -> String {
    app.clock.now_kst().format("%Y%m%d").to_string()
}
