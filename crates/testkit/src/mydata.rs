//! The MyData face as an operator (마이데이터사업자) speaks it: a client with
//! every scope, the headless consent and the code exchange, `x-api-tran-id`s,
//! and information-API calls carrying the token and the MyData headers.
//!
//! ```ignore
//! let op = app.operator("가계부 앱").await;
//! let s = op.consent(&p.person_id, "BA00000004", "bank.list bank.deposit", None).await;
//! let r = s.md_get("/v1/bank/accounts?org_code=BA00000004&search_timestamp=0").await;
//! ```

use crate::http::{field, form_body, Resp, FORM, JSON};
use crate::sandbox::{Client, Person};
use crate::{TestApp, REDIRECT};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};

/// Every scope a mydata client may register (mydata.md §5.7), 34.
pub const SCOPES: [&str; 34] = [
    "bank.list",
    "bank.deposit",
    "bank.invest",
    "bank.loan",
    "bank.irp",
    "bank.prepaid",
    "card.list",
    "card.card",
    "card.point",
    "card.bill",
    "card.loan",
    "card.prepaid",
    "invest.list",
    "invest.account",
    "invest.irp",
    "insu.list",
    "insu.insurance",
    "insu.loan",
    "insu.irp",
    "efin.list",
    "efin.prepaid",
    "efin.paid",
    "capital.list",
    "capital.loan",
    "ginsu.list",
    "ginsu.insurance",
    "telecom.list",
    "telecom.mgmt",
    "p2p.list",
    "p2p.lending",
    "bond.list",
    "bond.bond",
    "usury.list",
    "usury.bond",
];

/// The `x-api-type` the kit's calls send unless a session says otherwise.
pub const API_TYPE: &str = "user-search";

/// An `x-api-tran-id` of `org`: the org code, `M` (an operator made it) and
/// 14 digits from a sequence unique in this process.
pub fn tran_id(org: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("{org}M{:014}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// A MyData operator's client, on one test server.
pub struct Operator<'a> {
    pub app: &'a TestApp,
    pub client: Client,
}

/// A consented person's tokens at one institution, and the calls they make.
#[derive(Clone)]
pub struct Session<'a> {
    pub app: &'a TestApp,
    pub client: Client,
    /// The provider institution the token is for.
    pub org_code: String,
    pub person_id: String,
    pub access: String,
    pub refresh: String,
    /// The token response, as it came.
    pub token: Value,
    pub api_type: String,
}

/// An account a person holds, as the sandbox opened it.
#[derive(Debug, Clone)]
pub struct Held {
    pub account_id: String,
    pub account_num: String,
    /// Its MyData asset id: cards and prepaid cards the number as it is,
    /// the rest the number without `-` (mydata-sandbox.md §3).
    pub asset: String,
}

impl TestApp {
    /// A form POST as a browser reading `accept_language` sends it (the
    /// authorize pages' login and consent forms).
    pub async fn post_form_lang(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        accept_language: &str,
    ) -> Resp {
        let req = Request::post(path)
            .header(header::CONTENT_TYPE, crate::http::PLAIN_FORM)
            .header(header::ACCEPT_LANGUAGE, accept_language)
            .body(Body::from(form_body(fields)))
            .unwrap();
        self.send(req).await
    }

    /// Open an account of `kind` (demand, savings, fund, loan, card, prepaid,
    /// securities, irp, ...) for `person_id` at `org_code`, through the sandbox.
    pub async fn hold(&self, person_id: &str, org_code: &str, kind: &str) -> Held {
        let body = json!({"institution_code": org_code, "kind": kind, "balance": 10_000});
        let path = format!("/sandbox/people/{person_id}/accounts");
        let r = self.admin(Method::POST, &path, Some(body)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let num = r.body["account_num"].as_str().unwrap().to_owned();
        Held {
            account_id: r.body["account_id"].as_str().unwrap().to_owned(),
            asset: match kind {
                "card" | "prepaid" => num.clone(),
                _ => num.replace('-', ""),
            },
            account_num: num,
        }
    }

    /// A mydata client with every scope, registered through the sandbox.
    pub async fn operator(&self, name: &str) -> Operator<'_> {
        let client = self.client("mydata", name, &SCOPES).await;
        assert_eq!(client.org.len(), 10, "a mydata org_code: {}", client.org);
        Operator { app: self, client }
    }

    /// A support-API client (the single scope `manage`, no redirect URIs).
    pub async fn support_client(&self, name: &str) -> Client {
        let body = json!({"profile": "mydata", "name": name, "scopes": ["manage"]});
        let r = self
            .admin(Method::POST, "/sandbox/clients", Some(body))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let s = |k: &str| r.body[k].as_str().unwrap_or("").to_owned();
        Client {
            id: s("client_id"),
            secret: s("client_secret"),
            org: s("org_code"),
            cntr: String::new(),
        }
    }

    /// 지원-001: `POST /mgmts/oauth/2.0/token` for a support client.
    pub async fn support_token_request(&self, c: &Client, fields: &[(&str, &str)]) -> Resp {
        let mut all = vec![
            ("client_id", c.id.as_str()),
            ("client_secret", c.secret.as_str()),
        ];
        all.extend_from_slice(fields);
        let req = Request::post("/mgmts/oauth/2.0/token")
            .header(header::CONTENT_TYPE, FORM)
            .header("x-api-tran-id", tran_id(&c.org))
            .body(Body::from(form_body(&all)))
            .unwrap();
        self.send(req).await
    }

    /// An operator of a client registered otherwise.
    pub fn operator_of(&self, client: Client) -> Operator<'_> {
        Operator { app: self, client }
    }
}

impl<'a> Operator<'a> {
    pub fn tran_id(&self) -> String {
        tran_id(&self.client.org)
    }

    /// `POST /sandbox/authorize` for this client, `body` completing it
    /// (`person_id`, `org_code`, `scope`, and any of §4's optional fields).
    pub async fn authorize_headless(&self, mut body: Value) -> Resp {
        body["client_id"] = self.client.id.clone().into();
        if body.get("redirect_uri").is_none() {
            body["redirect_uri"] = REDIRECT.into();
        }
        self.app
            .admin(Method::POST, "/sandbox/authorize", Some(body))
            .await
    }

    /// A code for `person_id`'s headless consent at `org_code` to `scope`
    /// (`assets` as the sandbox lists them; None: every one there).
    pub async fn code(
        &self,
        person_id: &str,
        org_code: &str,
        scope: &str,
        assets: Option<&[&str]>,
    ) -> String {
        let mut body = json!({"person_id": person_id, "org_code": org_code, "scope": scope});
        if let Some(a) = assets {
            body["assets"] = json!(a);
        }
        let r = self.authorize_headless(body).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let redirect = r.body["redirect"].as_str().unwrap_or_default();
        let q = redirect.split_once('?').map(|x| x.1).unwrap_or("");
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(q).unwrap();
        let code = pairs.iter().find(|(k, _)| k == "code");
        code.unwrap_or_else(|| panic!("no code in {redirect}"))
            .1
            .clone()
    }

    /// A form POST as the operator sends it: `x-api-tran-id`, its client
    /// credentials and `org_code` in the form.
    pub async fn form(&self, path: &str, org_code: &str, fields: &[(&str, &str)]) -> Resp {
        let mut all = vec![
            ("org_code", org_code),
            ("client_id", self.client.id.as_str()),
            ("client_secret", self.client.secret.as_str()),
        ];
        all.extend_from_slice(fields);
        let req = Request::post(path)
            .header(header::CONTENT_TYPE, FORM)
            .header("x-api-tran-id", self.tran_id())
            .body(Body::from(form_body(&all)))
            .unwrap();
        self.app.send(req).await
    }

    /// 개별인증-001's URI for `org_code` with `state`; `extra` adds, replaces
    /// or (given "") removes parameters.
    pub fn authorize_uri(&self, org_code: &str, state: &str, extra: &[(&str, &str)]) -> String {
        let mut pairs = vec![
            ("org_code", org_code),
            ("response_type", "code"),
            ("client_id", self.client.id.as_str()),
            ("redirect_uri", REDIRECT),
            ("app_scheme", "finhubapp://callback"),
            ("state", state),
        ];
        for (k, v) in extra {
            pairs.retain(|(pk, _)| pk != k);
            if !v.is_empty() {
                pairs.push((k, v));
            }
        }
        format!("/oauth/2.0/authorize?{}", form_body(&pairs))
    }

    /// GET the authorize URI with the operator's `x-api-tran-id` (and any
    /// `headers`), as the operator's web view opens it.
    pub async fn open(&self, uri: &str, tran_id: &str, headers: &[(&str, &str)]) -> Resp {
        let mut b = Request::get(uri).header("x-api-tran-id", tran_id);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        self.app.send(b.body(Body::empty()).unwrap()).await
    }

    /// The authorize page opened and `p` logged in: the request id and the
    /// institution's consent page.
    pub async fn sign_in(&self, uri: &str, tran_id: &str, p: &Person) -> (String, Resp) {
        let page = self.open(uri, tran_id, &[]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        let rid = field(&page.text, "request_id");
        let login = [
            ("request_id", rid.as_str()),
            ("login", p.phone.as_str()),
            ("password", p.password.as_str()),
        ];
        let r = self
            .app
            .post_form("/oauth/2.0/authorize/login", &login)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        (rid, r)
    }

    /// 개별인증-002: the code exchanged at /oauth/2.0/token.
    pub async fn exchange(&self, org_code: &str, code: &str) -> Resp {
        let fields = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
        ];
        self.form("/oauth/2.0/token", org_code, &fields).await
    }

    /// `POST /sandbox/integrated-auth` for this client: the answer, whose
    /// `form` is every 통합인증-002 field but `client_secret`. `body` gives
    /// `person_id`, `org_code`, `scope` and any of `assets`, `request_type`.
    pub async fn sign_consent(&self, mut body: Value) -> Resp {
        body["client_id"] = self.client.id.clone().into();
        self.app
            .admin(Method::POST, "/sandbox/integrated-auth", Some(body))
            .await
    }

    /// 통합인증-002: a signed form posted to /oauth/2.0/token with the
    /// client's secret and an `x-api-tran-id`.
    pub async fn post_signed(&self, form: &Value) -> Resp {
        let mut fields: Vec<(&str, &str)> = form
            .as_object()
            .expect("a form")
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str().unwrap_or_default()))
            .collect();
        fields.push(("client_secret", self.client.secret.as_str()));
        let req = Request::post("/oauth/2.0/token")
            .header(header::CONTENT_TYPE, FORM)
            .header("x-api-tran-id", self.tran_id())
            .body(Body::from(form_body(&fields)))
            .unwrap();
        self.app.send(req).await
    }

    /// Integrated auth end to end: the sandbox CA's form, posted; the session.
    pub async fn integrated(&self, person_id: &str, org_code: &str, scope: &str) -> Session<'a> {
        let body = json!({"person_id": person_id, "org_code": org_code, "scope": scope});
        let signed = self.sign_consent(body).await;
        assert_eq!(signed.status, StatusCode::OK, "{}", signed.text);
        let r = self.post_signed(&signed.body["form"]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        self.session(org_code, person_id, &r)
    }

    /// Headless consent, then the code exchanged: the session's tokens.
    pub async fn consent(
        &self,
        person_id: &str,
        org_code: &str,
        scope: &str,
        assets: Option<&[&str]>,
    ) -> Session<'a> {
        let code = self.code(person_id, org_code, scope, assets).await;
        let r = self.exchange(org_code, &code).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        self.session(org_code, person_id, &r)
    }

    /// The session a token response opens.
    pub fn session(&self, org_code: &str, person_id: &str, token: &Resp) -> Session<'a> {
        let s = |k: &str| {
            token.body[k]
                .as_str()
                .unwrap_or_else(|| panic!("{k}: {}", token.text))
                .to_owned()
        };
        Session {
            app: self.app,
            client: self.client.clone(),
            org_code: org_code.to_owned(),
            person_id: person_id.to_owned(),
            access: s("access_token"),
            refresh: s("refresh_token"),
            token: token.body.clone(),
            api_type: API_TYPE.to_owned(),
        }
    }
}

impl Session<'_> {
    pub fn tran_id(&self) -> String {
        tran_id(&self.client.org)
    }

    fn request(&self, method: Method, path: &str) -> axum::http::request::Builder {
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {}", self.access))
            .header("x-api-tran-id", self.tran_id())
            .header("x-api-type", &self.api_type)
    }

    /// An information API's GET with the token and the MyData headers.
    pub async fn md_get(&self, path_and_query: &str) -> Resp {
        let req = self.request(Method::GET, path_and_query);
        self.app.send(req.body(Body::empty()).unwrap()).await
    }

    /// An information API's POST of a JSON body with the token and the MyData headers.
    pub async fn md_post(&self, path: &str, body: Value) -> Resp {
        self.md_post_raw(path, &body.to_string()).await
    }

    /// The same POST with a body as given (malformed JSON, say).
    pub async fn md_post_raw(&self, path: &str, body: &str) -> Resp {
        let req = self
            .request(Method::POST, path)
            .header(header::CONTENT_TYPE, JSON);
        self.app
            .send(req.body(Body::from(body.to_owned())).unwrap())
            .await
    }

    fn operator(&self) -> Operator<'_> {
        Operator {
            app: self.app,
            client: self.client.clone(),
        }
    }

    /// 개별인증-003; on success the session holds the new pair.
    pub async fn refresh(&mut self) -> Resp {
        let fields = [
            ("grant_type", "refresh_token"),
            ("refresh_token", self.refresh.as_str()),
        ];
        let r = self
            .operator()
            .form("/oauth/2.0/token", &self.org_code, &fields)
            .await;
        if r.status == StatusCode::OK {
            let next = self.operator().session(&self.org_code, &self.person_id, &r);
            (self.access, self.refresh, self.token) = (next.access, next.refresh, next.token);
        }
        r
    }

    /// 개별인증-004 of the session's access token.
    pub async fn revoke(&self) -> Resp {
        let fields = [("token", self.access.as_str())];
        self.operator()
            .form("/oauth/2.0/revoke", &self.org_code, &fields)
            .await
    }
}

impl<'a> Operator<'a> {
    /// A headless consent of `body` as mydata-sandbox.md §4 gives it
    /// (`person_id`, `org_code`, `scope` and any of `assets`, `purpose`,
    /// `end_date`, `is_scheduled`, `fnd_cycle`, `add_cycle`), its code exchanged.
    pub async fn consent_with(&self, body: Value) -> Session<'a> {
        let field = |k: &str| body[k].as_str().unwrap_or_default().to_owned();
        let (person_id, org_code) = (field("person_id"), field("org_code"));
        let r = self.authorize_headless(body).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let redirect = r.body["redirect"].as_str().unwrap_or_default();
        let q = redirect.split_once('?').map(|x| x.1).unwrap_or("");
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(q).unwrap();
        let code = pairs.into_iter().find(|(k, _)| k == "code");
        let code = code.unwrap_or_else(|| panic!("no code in {redirect}")).1;
        let t = self.exchange(&org_code, &code).await;
        assert_eq!(t.status, StatusCode::OK, "{}", t.text);
        self.session(&org_code, &person_id, &t)
    }
}

// Products with their terms and backdated ledger lines, for the card
// company's APIs (카드, 선불): the world as the generator leaves it.

/// A line a test posts on an account, against its institution's settlement
/// account: `amount` into the account (negative: out of it), at `at`.
pub struct Line<'a> {
    pub kind: finhub_core::ledger::EntryKind,
    pub amount: i64,
    pub memo: &'a str,
    pub counterparty: &'a str,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// A product to open: the account's kind, its floor (a card's credit
/// limit or a loan's principal, as a negative number) and its terms.
pub struct Product {
    pub kind: finhub_core::account::AccountKind,
    pub floor: i64,
    pub terms: finhub_core::product::ProductTerms,
}

impl TestApp {
    /// A product for `person_id` at `org_code`, opened in the world with
    /// balance 0 and its terms recorded.
    pub async fn open_product(&self, person_id: &str, org_code: &str, product: Product) -> Held {
        let Product { kind, floor, terms } = product;
        use finhub_core::product::{ProductRecord, ProductRepo};
        let a = self
            .world
            .open_account(finhub_core::world::OpenAccount {
                org_code: org_code.into(),
                person_id: person_id.into(),
                kind,
                product_name: None,
                currency: finhub_core::money::Currency::KRW,
                opening_balance_minor: 0,
                floor_minor: floor,
                account_num: None,
            })
            .await
            .unwrap();
        let rec = ProductRecord {
            account_id: a.account_id.clone(),
            terms,
            updated_at: self.clock.now(),
        };
        self.store.put_terms(&rec).await.unwrap();
        use finhub_core::account::AccountKind::{Card, Prepaid};
        Held {
            asset: match a.kind {
                Card | Prepaid => a.account_num.clone(),
                _ => a.account_num.replace('-', ""),
            },
            account_id: a.account_id,
            account_num: a.account_num,
        }
    }

    /// Post `line` on `account_id` through the ledger; the entry's id.
    pub async fn post_at(&self, account_id: &str, line: Line<'_>) -> i64 {
        use finhub_core::ledger::{Leg, TransferRequest};
        let a = self.world.account(account_id).await.unwrap();
        let settle = finhub_store::settlement_account_id(&a.org_code, a.currency);
        let leg = |id: &str, amount_minor: i64, counterparty: &str| Leg {
            account_id: id.into(),
            amount_minor,
            currency: a.currency,
            memo: line.memo.into(),
            counterparty: counterparty.into(),
        };
        let req = TransferRequest {
            scope: "test:post".into(),
            key: uuid::Uuid::new_v4().to_string(),
            at: line.at,
            kind: line.kind,
            legs: vec![
                leg(account_id, line.amount, line.counterparty),
                leg(&settle, -line.amount, &a.holder_name),
            ],
            limits: vec![],
            meta: serde_json::Value::Null,
        };
        let out = self.world.transfer(req).await.unwrap();
        out.result.expect("the line is posted").entry_id
    }
}

impl TestApp {
    /// The demo world `finhub serve` seeds on an empty database, with
    /// `people` people, histories reaching the world's now.
    pub async fn seed_demo(&self, people: u64) {
        let s = finhub::sandbox::SandboxState {
            world: self.app.world.clone(),
            store: self.store.clone(),
            oauth: self.app.oauth.clone(),
            profiles: self.app.profiles.clone(),
        };
        let demo = finhub::demo::ensure_demo(&s, people).await.unwrap();
        assert!(demo.seeded.is_some(), "the demo world seeds an empty store");
    }
}

// ---- the support APIs (지원) ----

/// A support client (mydata-sandbox.md §1: a mydata client registered with
/// the single scope `manage`, no redirect URIs) and its `manage` token.
pub struct Support<'a> {
    pub app: &'a TestApp,
    pub client: Client,
    /// The access token.
    pub token: String,
    /// The token response, as it came.
    pub grant: Value,
}

impl TestApp {
    /// A support client registered through the sandbox, and its `manage`
    /// token from 지원-001 (`POST /mgmts/oauth/2.0/token`).
    pub async fn support(&self, name: &str) -> Support<'_> {
        let client = self.support_client(name).await;
        let fields = [("grant_type", "client_credentials"), ("scope", "manage")];
        let r = self.support_token_request(&client, &fields).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.body["scope"], "manage", "{}", r.text);
        Support {
            app: self,
            client,
            token: r.body["access_token"].as_str().unwrap().to_owned(),
            grant: r.body,
        }
    }
}

impl Support<'_> {
    pub fn tran_id(&self) -> String {
        tran_id(&self.client.org)
    }

    /// The same client with another bearer token (a service token, a bad one).
    pub fn with_token(&self, token: &str) -> Support<'_> {
        Support {
            app: self.app,
            client: self.client.clone(),
            token: token.to_owned(),
            grant: Value::Null,
        }
    }

    fn request(&self, method: Method, path: &str) -> axum::http::request::Builder {
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token))
            .header("x-api-tran-id", self.tran_id())
    }

    /// A support API's GET with the token and `x-api-tran-id`.
    pub async fn mg_get(&self, path_and_query: &str) -> Resp {
        let req = self.request(Method::GET, path_and_query);
        self.app.send(req.body(Body::empty()).unwrap()).await
    }

    /// A support API's POST of a JSON body with the token and `x-api-tran-id`.
    pub async fn mg_post(&self, path: &str, body: Value) -> Resp {
        self.mg_post_raw(path, &body.to_string()).await
    }

    /// A support API's POST of any text as a JSON body (malformed ones too).
    pub async fn mg_post_raw(&self, path: &str, body: &str) -> Resp {
        let req = self
            .request(Method::POST, path)
            .header(header::CONTENT_TYPE, JSON);
        self.app
            .send(req.body(Body::from(body.to_owned())).unwrap())
            .await
    }
}

/// Assert a MyData answer: `rsp_code` `code`, the HTTP status its first three
/// digits give (200 for `0000x`), an `rsp_msg`, and `x-api-tran-id` echoed.
pub fn assert_rsp(r: &Resp, code: &str) {
    let status: u16 = code[..3].parse().unwrap();
    let want = if status < 100 { 200 } else { status };
    assert_eq!(r.status.as_u16(), want, "{}", r.text);
    assert_eq!(r.body["rsp_code"], code, "{}", r.text);
    assert!(
        r.body["rsp_msg"].as_str().is_some_and(|m| !m.is_empty()),
        "{}",
        r.text
    );
    assert!(
        r.headers.contains_key("x-api-tran-id"),
        "x-api-tran-id not echoed"
    );
}

// ---- small readers the industry tests share ----

/// A KST wall-clock time, as the ledger keeps it (UTC).
pub fn kst_at(y: i32, m: u32, d: u32, h: u32, min: u32) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    let kst = chrono::FixedOffset::east_opt(9 * 3600).unwrap();
    kst.with_ymd_and_hms(y, m, d, h, min, 0)
        .unwrap()
        .with_timezone(&chrono::Utc)
}

/// A calendar date.
pub fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// An answer's array field (`card_list`, `trans_list`, ...), or a panic
/// naming the field and showing the answer.
pub fn list<'a>(r: &'a Resp, field: &str) -> &'a Vec<Value> {
    r.body[field]
        .as_array()
        .unwrap_or_else(|| panic!("{field}: {}", r.text))
}
