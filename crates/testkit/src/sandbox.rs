//! The sandbox API (clients, people, accounts, the clock) and the shared
//! OAuth server's flows, driven as a client of the server drives them.

use crate::http::{field, form_body, Resp};
use crate::{TestApp, REDIRECT};
use axum::http::{Method, StatusCode};
use finhub_core::repo::{AccountRepo, PartyRepo};
use serde_json::{json, Value};
use std::collections::HashMap;

/// A client registered through `/sandbox/clients`.
#[derive(Debug, Clone)]
pub struct Client {
    pub id: String,
    pub secret: String,
    /// The org_code (client_use_code for KFTC).
    pub org: String,
    /// KFTC: the contract account's number ("" for other profiles).
    pub cntr: String,
}

#[derive(Debug, Clone)]
pub struct Acc {
    pub id: String,
    pub num: String,
}

/// A person made through the sandbox, with a password of their own.
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

/// The browser's part of an authorization: the authorize page, the login,
/// the consent (allow, with these accounts ticked).
pub struct Authorize<'a> {
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    pub scope: &'a str,
    pub state: &'a str,
    pub login: &'a str,
    pub password: &'a str,
    pub account_ids: &'a [&'a str],
}

/// Assert the sandbox error envelope with this status and code.
pub fn assert_error(r: &Resp, status: StatusCode, code: &str) {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(r.body["error"], code, "{}", r.text);
    assert!(
        r.body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{}",
        r.text
    );
}

impl TestApp {
    /// A sandbox call with the admin key and a JSON body.
    pub async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> Resp {
        let auth = self.admin_auth();
        self.call(&method, path, Some(&auth), body.as_ref()).await
    }

    /// A sandbox call with the admin key and a JSON body given as raw text.
    pub async fn admin_raw(&self, method: Method, path: &str, body: Option<&str>) -> Resp {
        let mut b = axum::http::Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", self.admin_auth());
        if body.is_some() {
            b = b.header("content-type", "application/json");
        }
        let body = body
            .map(|s| axum::body::Body::from(s.to_owned()))
            .unwrap_or_default();
        self.send(b.body(body).unwrap()).await
    }

    /// Move the world's clock through the sandbox.
    pub async fn advance(&self, secs: i64) {
        let body = json!({ "advance_seconds": secs });
        let r = self.admin(Method::POST, "/sandbox/clock", Some(body)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }

    /// Put the world's clock at an RFC 3339 instant through the sandbox.
    pub async fn set_now(&self, rfc3339: &str) {
        let body = json!({ "now": rfc3339 });
        let r = self.admin(Method::POST, "/sandbox/clock", Some(body)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }

    pub fn now_kst(&self) -> chrono::DateTime<chrono::FixedOffset> {
        self.app.world.clock.now_kst()
    }

    /// The world's time as KFTC's tran_dtime (KST, YYYYMMDDhhmmss).
    pub fn dtime(&self) -> String {
        self.now_kst().format("%Y%m%d%H%M%S").to_string()
    }

    /// The world's KST date, YYYYMMDD.
    pub fn today(&self) -> String {
        self.now_kst().format("%Y%m%d").to_string()
    }

    pub async fn people_count(&self) -> u64 {
        self.store.count_people().await.unwrap()
    }

    /// Number of accounts held by people (institution settlement accounts excluded).
    pub async fn account_count(&self, person_id: &str) -> usize {
        self.store
            .accounts_of_person(person_id)
            .await
            .unwrap()
            .len()
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

    /// POST /sandbox/people; the created person's JSON.
    pub async fn create_person(&self, name: &str, phone: Option<&str>) -> Value {
        let mut body = json!({"name": name, "birth_date": "1990-03-04"});
        if let Some(p) = phone {
            body["phone"] = p.into();
        }
        let r = self
            .admin_raw(Method::POST, "/sandbox/people", Some(&body.to_string()))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.body
    }

    /// A client registered through the sandbox (KFTC: with its contract account).
    pub async fn client(&self, profile: &str, name: &str, scopes: &[&str]) -> Client {
        let body = json!({
            "profile": profile,
            "name": name,
            "redirect_uris": [REDIRECT],
            "scopes": scopes,
        });
        let r = self
            .admin(Method::POST, "/sandbox/clients", Some(body))
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

    /// A person with a password of their own and a demand account at bank 004.
    pub async fn sandbox_person(&self, name: &str, phone: &str, balance: i64) -> Person {
        let body = json!({"name": name, "birth_date": "1990-03-04", "phone": phone});
        let r = self
            .admin(Method::POST, "/sandbox/people", Some(body))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let person_id = r.body["person_id"].as_str().unwrap().to_owned();
        let ci = r.body["ci"].as_str().unwrap().to_owned();
        assert_eq!(ci.len(), 88);
        let password = format!("pw-{}", uuid::Uuid::new_v4().simple());
        let hash = finhub_oauth::hash_password(&password).await.unwrap();
        self.store
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

    /// Another demand account of `p` at bank 004.
    pub async fn open_account(&self, p: &mut Person, balance: i64) {
        let body = json!({"bank_code_std": "004", "kind": "demand", "balance": balance});
        let path = format!("/sandbox/people/{}/accounts", p.person_id);
        let r = self.admin(Method::POST, &path, Some(body)).await;
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

    /// The authorize page, login and consent; the redirect's query (its
    /// `state` checked).
    pub async fn authorize(&self, a: &Authorize<'_>) -> HashMap<String, String> {
        let q = form_body(&[
            ("response_type", "code"),
            ("client_id", a.client_id),
            ("redirect_uri", a.redirect_uri),
            ("scope", a.scope),
            ("state", a.state),
            ("auth_type", "0"),
        ]);
        let page = self.get(&format!("/oauth/2.0/authorize?{q}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        let rid = field(&page.text, "request_id");
        let login = [
            ("request_id", rid.as_str()),
            ("login", a.login),
            ("password", a.password),
        ];
        let r = self.post_form("/oauth/2.0/authorize/login", &login).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let mut consent = vec![("request_id", rid.as_str()), ("decision", "allow")];
        consent.extend(a.account_ids.iter().map(|id| ("account_id", *id)));
        let r = self
            .post_form("/oauth/2.0/authorize/consent", &consent)
            .await;
        assert_eq!(r.status, StatusCode::FOUND, "{}", r.text);
        let query = r.redirect_query();
        assert_eq!(query["state"], a.state);
        query
    }

    /// `p` logs in and allows `c` `scope` (no account ticked); the redirect's query.
    pub async fn sign_in(&self, c: &Client, p: &Person, scope: &str) -> HashMap<String, String> {
        self.authorize(&Authorize {
            client_id: &c.id,
            redirect_uri: REDIRECT,
            scope,
            state: "b80BLsfigm9OokPTjy03elbJqRHOfGSY",
            login: &p.phone,
            password: &p.password,
            account_ids: &[],
        })
        .await
    }

    /// A 3-legged token of `c` for `p` with `scope` (no account ticked).
    pub async fn user_token(&self, c: &Client, p: &Person, scope: &str) -> UserToken {
        let code = self.sign_in(c, p, scope).await["code"].clone();
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
}
