//! The KFTC Open Banking face as a fintech app speaks it: a client and its
//! token, user/register, the transfer bodies, bank_tran_ids and tran_dtime.

use crate::http::Resp;
use crate::sandbox::{Client, Person as SandboxPerson};
use crate::TestApp;
use axum::http::{Method, StatusCode};
use finhub_core::account::{Account, AccountKind};
use finhub_core::money::Currency;
use finhub_core::party::{NewPerson, Person};
use finhub_core::world::OpenAccount;
use finhub_oauth::{AccessClaims, Profile};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};

/// Every scope a KFTC client may hold.
pub const SCOPES: [&str; 5] = ["oob", "sa", "login", "inquiry", "transfer"];
/// KFTC access tokens live 90 days.
pub const TOKEN_TTL_SECS: i64 = 7_776_000;

/// A KFTC client (fintech institution) with the token it calls with.
#[derive(Debug, Clone)]
pub struct Fintech {
    pub client: Client,
    pub token: String,
}

impl std::ops::Deref for Fintech {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

impl Client {
    /// This client calling with `token`.
    pub fn with_token(&self, token: &str) -> Fintech {
        Fintech {
            client: self.clone(),
            token: token.to_owned(),
        }
    }
}

/// A bank_tran_id of `org`: `org`, `U`, nine digits from a sequence unique
/// in this process (so in every test's day).
pub fn tran_id(org: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("{org}U{:09}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// KFTC's tran_dtime: now (wall clock) in KST.
pub fn dtime() -> String {
    chrono::Utc::now()
        .with_timezone(&finhub_core::clock::kst())
        .format("%Y%m%d%H%M%S")
        .to_string()
}

/// Today's business date (wall clock, KST), YYYYMMDD.
pub fn today() -> String {
    chrono::Utc::now()
        .with_timezone(&finhub_core::clock::kst())
        .format("%Y%m%d")
        .to_string()
}

/// A transfer/withdraw body. The requesting customer is the account holder
/// by fintech_use_num, or (an empty fin, or [`Withdraw::req_client_account`])
/// by bank and account number.
#[derive(Debug, Clone)]
pub struct Withdraw<'a> {
    pub bank_tran_id: &'a str,
    pub cntr_account_num: &'a str,
    pub fintech_use_num: &'a str,
    pub tran_amt: i64,
    /// None: [`dtime`].
    pub tran_dtime: Option<&'a str>,
    /// (req_client_bank_code, req_client_account_num)
    pub req_client_account: Option<(&'a str, &'a str)>,
}

impl<'a> Withdraw<'a> {
    pub fn new(bank_tran_id: &'a str, cntr: &'a str, fin: &'a str, amt: i64) -> Withdraw<'a> {
        Withdraw {
            bank_tran_id,
            cntr_account_num: cntr,
            fintech_use_num: fin,
            tran_amt: amt,
            tran_dtime: None,
            req_client_account: None,
        }
    }

    pub fn at(self, tran_dtime: &'a str) -> Withdraw<'a> {
        Withdraw {
            tran_dtime: Some(tran_dtime),
            ..self
        }
    }

    pub fn req_client_account(self, bank: &'a str, num: &'a str) -> Withdraw<'a> {
        Withdraw {
            req_client_account: Some((bank, num)),
            ..self
        }
    }

    pub fn body(&self) -> Value {
        let fin = self.fintech_use_num;
        let mut v = json!({
            "bank_tran_id": self.bank_tran_id,
            "cntr_account_type": "N",
            "cntr_account_num": self.cntr_account_num,
            "dps_print_content": "쇼핑몰환불",
            "fintech_use_num": fin,
            "wd_print_content": "오픈뱅킹출금",
            "tran_amt": self.tran_amt.to_string(),
            "tran_dtime": self.tran_dtime.map(str::to_owned).unwrap_or_else(dtime),
            "req_client_name": "홍길동",
            "req_client_num": "HONGGILDONG1234",
            "transfer_purpose": "TR",
            "recv_client_name": "쇼핑몰",
            "recv_client_bank_code": "097",
            "recv_client_account_num": "232000067812"
        });
        req_client(&mut v, fin, self.req_client_account);
        v
    }
}

/// The requesting customer: by fintech_use_num, else by account (097 and a
/// fixed number when neither is given).
fn req_client(v: &mut Value, fin: &str, account: Option<(&str, &str)>) {
    let o = v.as_object_mut().unwrap();
    match (account, fin.is_empty()) {
        (None, false) => {
            o.insert("req_client_fintech_use_num".into(), json!(fin));
        }
        (account, _) => {
            let (bank, num) = account.unwrap_or(("097", "1234567890"));
            o.insert("req_client_bank_code".into(), json!(bank));
            o.insert("req_client_account_num".into(), json!(num));
        }
    }
}

/// A withdrawal of `amt` from `fin` into the contract account `cntr`, now.
pub fn withdraw_body(bank_tran_id: &str, cntr: &str, fin: &str, amt: i64) -> Value {
    Withdraw::new(bank_tran_id, cntr, fin, amt).body()
}

/// One item of a transfer/deposit: to a fintech_use_num, or (see
/// [`DepositItem::to_account`]) to an account by number.
#[derive(Debug, Clone)]
pub struct DepositItem<'a> {
    pub tran_no: usize,
    pub bank_tran_id: &'a str,
    pub fintech_use_num: &'a str,
    pub tran_amt: i64,
    pub req_client_account: Option<(&'a str, &'a str)>,
    /// (bank_code_std, account_num, account_holder_name) instead of the fin.
    pub account: Option<(&'a str, &'a str, &'a str)>,
}

impl<'a> DepositItem<'a> {
    pub fn new(tran_no: usize, bank_tran_id: &'a str, fin: &'a str, amt: i64) -> DepositItem<'a> {
        DepositItem {
            tran_no,
            bank_tran_id,
            fintech_use_num: fin,
            tran_amt: amt,
            req_client_account: None,
            account: None,
        }
    }

    pub fn req_client_account(self, bank: &'a str, num: &'a str) -> DepositItem<'a> {
        DepositItem {
            req_client_account: Some((bank, num)),
            ..self
        }
    }

    pub fn to_account(self, bank: &'a str, num: &'a str, holder: &'a str) -> DepositItem<'a> {
        DepositItem {
            account: Some((bank, num, holder)),
            ..self
        }
    }

    pub fn body(&self) -> Value {
        let fin = self.fintech_use_num;
        let mut v = json!({
            "tran_no": self.tran_no.to_string(),
            "bank_tran_id": self.bank_tran_id,
            "print_content": "쇼핑몰환불",
            "tran_amt": self.tran_amt.to_string(),
            "req_client_name": "홍길동",
            "req_client_num": "HONGGILDONG1234",
            "transfer_purpose": "TR"
        });
        req_client(&mut v, fin, self.req_client_account);
        let o = v.as_object_mut().unwrap();
        match self.account {
            Some((bank, num, holder)) => {
                o.insert("bank_code_std".into(), json!(bank));
                o.insert("account_num".into(), json!(num));
                o.insert("account_holder_name".into(), json!(holder));
            }
            None => {
                o.insert("fintech_use_num".into(), json!(fin));
            }
        }
        v
    }
}

/// A deposit item of `amt` to `fin`.
pub fn deposit_item(tran_no: usize, bank_tran_id: &str, fin: &str, amt: i64) -> Value {
    DepositItem::new(tran_no, bank_tran_id, fin, amt).body()
}

/// A transfer/deposit body from the contract account `cntr`, at `tran_dtime`
/// (None: [`dtime`]).
pub fn deposit_body_at(cntr: &str, items: Vec<Value>, tran_dtime: Option<&str>) -> Value {
    json!({
        "cntr_account_type": "N",
        "cntr_account_num": cntr,
        "wd_pass_phrase": "NONE",
        "wd_print_content": "환불금액",
        "name_check_option": "on",
        "tran_dtime": tran_dtime.map(str::to_owned).unwrap_or_else(dtime),
        "req_cnt": items.len().to_string(),
        "req_list": items
    })
}

/// A transfer/deposit body from the contract account `cntr`, now.
pub fn deposit_body(cntr: &str, items: Vec<Value>) -> Value {
    deposit_body_at(cntr, items, None)
}

/// Who user/register registers: an account and its holder.
#[derive(Debug, Clone)]
pub struct Registrant {
    pub bank_code_std: String,
    pub account_num: String,
    /// Birth date, YYYYMMDD.
    pub user_info: String,
    pub user_name: String,
    pub user_ci: String,
}

/// A person of the world and one of their accounts.
impl From<(&Person, &Account)> for Registrant {
    fn from((p, a): (&Person, &Account)) -> Registrant {
        Registrant {
            bank_code_std: a.org_code[7..].to_owned(),
            account_num: a.account_num.clone(),
            user_info: p.birth_date.format("%Y%m%d").to_string(),
            user_name: p.name.clone(),
            user_ci: p.ci.clone(),
        }
    }
}

/// A sandbox person (born 1990-03-04) and the index of their account at 004.
impl From<(&SandboxPerson, usize)> for Registrant {
    fn from((p, acc): (&SandboxPerson, usize)) -> Registrant {
        Registrant {
            bank_code_std: "004".into(),
            account_num: p.accounts[acc].num.clone(),
            user_info: "19900304".into(),
            user_name: p.name.clone(),
            user_ci: p.ci.clone(),
        }
    }
}

/// A user/register body of `org` for `h`'s account and `scope`.
pub fn register_body(org: &str, h: &Registrant, scope: &str, tran_dtime: &str) -> Value {
    json!({
        "bank_tran_id": tran_id(org),
        "bank_code_std": h.bank_code_std,
        "register_account_num": h.account_num,
        "user_info": h.user_info,
        "user_name": h.user_name,
        "user_ci": h.user_ci,
        "user_email": "user@example.com",
        "scope": scope,
        "info_prvd_agmt_yn": "Y",
        "wd_agmt_yn": "Y",
        "agmt_data_type": "1",
        "tran_dtime": tran_dtime,
    })
}

impl Fintech {
    /// A fresh bank_tran_id of this institution.
    pub fn tran_id(&self) -> String {
        tran_id(&self.org)
    }

    /// A withdrawal of `amt` from `fin` into this client's contract account.
    pub fn withdraw_body(&self, fin: &str, amt: i64, tran: &str) -> Value {
        withdraw_body(tran, &self.cntr, fin, amt)
    }

    /// A deposit item with a fresh bank_tran_id.
    pub fn deposit_item(&self, tran_no: usize, fin: &str, amt: i64) -> Value {
        deposit_item(tran_no, &self.tran_id(), fin, amt)
    }

    /// A deposit from this client's contract account.
    pub fn deposit_body(&self, items: Vec<Value>) -> Value {
        deposit_body(&self.cntr, items)
    }
}

/// A world person's phone: random, so people of one test never clash.
fn phone() -> String {
    use rand::Rng;
    format!("010{:08}", rand::thread_rng().gen_range(0..100_000_000))
}

impl TestApp {
    /// A kftc client with every scope, as /sandbox/clients makes it.
    pub async fn kftc_client(&self, name: &str) -> Client {
        self.client("kftc", name, &SCOPES).await
    }

    /// A kftc client with its contract account (checked as /sandbox/clients
    /// answers it) and a signed `sa` token of KFTC's lifetime.
    pub async fn fintech(&self, name: &str) -> Fintech {
        let body = json!({
            "profile": "kftc",
            "name": name,
            "redirect_uris": [crate::REDIRECT],
            "scopes": SCOPES,
        });
        let r = self
            .admin(Method::POST, "/sandbox/clients", Some(body))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let org = r["org_code"].as_str().unwrap().to_owned();
        assert!(finhub_kftc::format::is_client_use_code(&org), "{org}");
        assert_eq!(r["cntr_bank_code_std"], "097");
        assert_eq!(r["wd_pass_phrase"], "NONE");
        assert_eq!(r["client_use_code"], org.as_str());
        let s = |k: &str| r[k].as_str().unwrap().to_owned();
        let client = Client {
            id: s("client_id"),
            secret: s("client_secret"),
            org,
            cntr: s("cntr_account_num"),
        };
        let token = self.sign(&client, &["sa"], None, TOKEN_TTL_SECS);
        Fintech { client, token }
    }

    /// A KFTC access token signed as the token endpoint signs it, living
    /// `ttl` seconds from the world's now; `sub` = (person_id, user_seq_no).
    pub fn sign(&self, c: &Client, scope: &[&str], sub: Option<(&str, &str)>, ttl: i64) -> String {
        let now = self.clock.now().timestamp();
        let oauth = &self.app.oauth;
        oauth.signer.sign(&AccessClaims {
            iss: oauth.config.issuer.clone(),
            aud: sub
                .map(|(_, no)| no.to_owned())
                .unwrap_or_else(|| c.org.clone()),
            jti: uuid::Uuid::new_v4().to_string(),
            iat: now,
            exp: now + ttl,
            client_id: c.id.clone(),
            org_code: c.org.clone(),
            profile: Profile::Kftc,
            scope: scope.iter().map(|s| s.to_string()).collect(),
            sub: sub.map(|(p, _)| p.to_owned()),
            fam: None,
        })
    }

    /// A kftc client with oob and sa, and its `oob sa` token from the token endpoint.
    pub async fn kftc_token(&self) -> String {
        let c = self.client("kftc", "kftc", &["oob", "sa"]).await;
        self.two_legged(&c, "oob sa").await
    }

    /// A person of the world (born 1990-05-17) with a demand account at `bank_org`.
    pub async fn person(&self, name: &str, bank_org: &str, balance: i64) -> (Person, Account) {
        let p = self
            .app
            .world
            .create_person(NewPerson {
                name: name.into(),
                birth_date: chrono::NaiveDate::from_ymd_opt(1990, 5, 17),
                phone: Some(phone()),
                email: Some("user@example.com".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        let a = self
            .app
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

    /// A KFTC call: KFTC answers every call with HTTP 200 and JSON.
    pub async fn kftc_call(
        &self,
        method: &str,
        token: Option<&str>,
        uri: &str,
        body: Option<String>,
    ) -> Resp {
        let mut b = axum::http::Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            b = b.header("authorization", format!("Bearer {t}"));
        }
        let req = match body {
            Some(s) => b.header("content-type", crate::http::JSON).body(s.into()),
            None => b.body(axum::body::Body::empty()),
        };
        let r = self.send(req.unwrap()).await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "KFTC answers every call with HTTP 200"
        );
        assert!(!r.body.is_null(), "not JSON: {}", r.text);
        r
    }

    pub async fn kftc_get(&self, token: &str, uri: &str) -> Resp {
        self.kftc_call("GET", Some(token), uri, None).await
    }

    pub async fn kftc_post(&self, token: &str, uri: &str, body: Value) -> Resp {
        self.kftc_call("POST", Some(token), uri, Some(body.to_string()))
            .await
    }

    /// A form POST to the OAuth endpoints, which answer a KFTC client with HTTP 200.
    pub async fn kftc_form(&self, uri: &str, fields: &[(&str, &str)]) -> Resp {
        let r = self.form(uri, fields).await;
        assert_eq!(r.status, StatusCode::OK, "KFTC OAuth answers with HTTP 200");
        assert!(!r.body.is_null(), "not JSON: {}", r.text);
        r
    }

    /// A KFTC call with a bearer token, any status; GETs take `body` as the query.
    pub async fn kftc(&self, token: &str, method: Method, path: &str, body: Value) -> Resp {
        let auth = format!("Bearer {token}");
        if method == Method::GET {
            let uri = format!("{path}?{}", crate::http::query_string(&body));
            self.call(&method, &uri, Some(&auth), None).await
        } else {
            self.call(&method, path, Some(&auth), Some(&body)).await
        }
    }

    /// user/register of `h` with `f` for `scope`.
    pub async fn register(&self, f: &Fintech, h: impl Into<Registrant>, scope: &str) -> Resp {
        let body = register_body(&f.org, &h.into(), scope, &self.dtime());
        self.kftc_post(&f.token, "/v2.0/user/register", body).await
    }

    /// Register for inquiry and transfer; (user_seq_no, fintech_use_num).
    pub async fn register_both(&self, f: &Fintech, h: impl Into<Registrant>) -> (String, String) {
        let h = h.into();
        let r1 = self.register(f, h.clone(), "inquiry").await;
        assert_eq!(r1["rsp_code"], "A0000", "{r1}");
        let r2 = self.register(f, h, "transfer").await;
        assert_eq!(r2["rsp_code"], "A0000", "{r2}");
        assert_eq!(r1["fintech_use_num"], r2["fintech_use_num"]);
        (
            r1["user_seq_no"].as_str().unwrap().to_owned(),
            r1["fintech_use_num"].as_str().unwrap().to_owned(),
        )
    }

    /// account/balance/fin_num of `fin`.
    pub async fn balance(&self, f: &Fintech, fin: &str) -> Resp {
        let uri = format!(
            "/v2.0/account/balance/fin_num?bank_tran_id={}&fintech_use_num={fin}&tran_dtime={}",
            f.tran_id(),
            dtime()
        );
        self.kftc_get(&f.token, &uri).await
    }

    /// transfer/withdraw/fin_num of `amt` from `fin` with this bank_tran_id.
    pub async fn withdraw(&self, f: &Fintech, fin: &str, amt: i64, tran: &str) -> Resp {
        let body = f.withdraw_body(fin, amt, tran);
        self.kftc_post(&f.token, "/v2.0/transfer/withdraw/fin_num", body)
            .await
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

    /// The balance of `c`'s contract account at bank 097.
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
