//! The OBP face as a client speaks it: users made by Create User, logged in
//! by DirectLogin, roles granted by the super admin, and calls carrying
//! `Authorization: DirectLogin token="…"`.
//!
//! ```ignore
//! let app = obp_app().await;            // super admin "obp-admin"
//! let admin = app.obp_admin().await;
//! let staff = app.obp_user("staff1").await;
//! admin.grant(&staff.user_id, "CanCreateCustomer", "004").await;
//! let r = staff.post("/obp/v4.0.0/banks/004/customers", &json!({...})).await;
//! ```

use crate::http::Resp;
use crate::{FaceOptions, TestApp};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use finhub_core::obp::ObpConfig;
use serde_json::{json, Value};

/// The super admin's username in [`obp_options`].
pub const OBP_ADMIN: &str = "obp-admin";
/// A password that meets OBP-30207.
pub const PASSWORD: &str = "Sandbox!2026x";
/// KB국민은행's BANK_ID, and a second bank.
pub const OBP_BANK: &str = "004";
pub const OTHER_BANK: &str = "088";
pub const V4: &str = "/obp/v4.0.0";

/// The face's options with [`OBP_ADMIN`] as super admin.
pub fn obp_options() -> FaceOptions {
    FaceOptions {
        obp: ObpConfig {
            super_admin_usernames: vec![OBP_ADMIN.into()],
            ..ObpConfig::default()
        },
        ..FaceOptions::default()
    }
}

/// A fresh app whose OBP super admin is [`OBP_ADMIN`].
pub async fn obp_app() -> TestApp {
    TestApp::builder().faces(obp_options()).spawn().await
}

/// A logged-in OBP user.
pub struct ObpUser<'a> {
    pub app: &'a TestApp,
    pub user_id: String,
    pub username: String,
    pub token: String,
}

impl TestApp {
    /// A consumer key: the client_id of a new `obp` client.
    pub async fn obp_consumer(&self) -> String {
        self.client("obp", "obp test app", &["customer", "kyc"])
            .await
            .id
    }

    /// Create User as sent.
    pub async fn obp_create_user(&self, username: &str, password: &str) -> Resp {
        let body = json!({"email": format!("{username}@example.com"), "username": username,
            "password": password, "first_name": "Test", "last_name": username});
        self.call(&Method::POST, &format!("{V4}/users"), None, Some(&body))
            .await
    }

    /// DirectLogin as sent, the published client's header style.
    pub async fn obp_login(&self, username: &str, password: &str, consumer: &str) -> Resp {
        let auth = format!(
            r#"DirectLogin username="{username}", password="{password}", consumer_key="{consumer}""#
        );
        self.call(&Method::POST, "/my/logins/direct", Some(&auth), None)
            .await
    }

    /// A new user (Create User, 201) logged in with a new consumer.
    pub async fn obp_user(&self, username: &str) -> ObpUser<'_> {
        let r = self.obp_create_user(username, PASSWORD).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let user_id = r.body["user_id"].as_str().unwrap().to_owned();
        let consumer = self.obp_consumer().await;
        let r = self.obp_login(username, PASSWORD, &consumer).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        ObpUser {
            app: self,
            user_id,
            username: username.into(),
            token: r.body["token"].as_str().unwrap().to_owned(),
        }
    }

    /// The super admin ([`OBP_ADMIN`]; the app needs [`obp_options`]).
    pub async fn obp_admin(&self) -> ObpUser<'_> {
        self.obp_user(OBP_ADMIN).await
    }

    /// A user holding `roles` (bank roles at [`OBP_BANK`], system roles at "").
    pub async fn obp_staff(&self, username: &str, roles: &[&str]) -> ObpUser<'_> {
        let user = self.obp_user(username).await;
        let root = self.obp_root().await;
        for r in roles {
            root.grant_role(&user.user_id, r).await;
        }
        user
    }

    /// The super admin, made on first use and logged in anew.
    pub async fn obp_root(&self) -> ObpUser<'_> {
        let consumer = self.obp_consumer().await;
        let r = self.obp_login(OBP_ADMIN, PASSWORD, &consumer).await;
        if r.status != StatusCode::CREATED {
            return self.obp_admin().await;
        }
        let token = r.body["token"].as_str().unwrap().to_owned();
        let auth = format!(r#"DirectLogin token="{token}""#);
        let me = self
            .call(
                &Method::GET,
                &format!("{V4}/users/current"),
                Some(&auth),
                None,
            )
            .await;
        ObpUser {
            app: self,
            user_id: me.body["user_id"].as_str().unwrap().to_owned(),
            username: OBP_ADMIN.into(),
            token,
        }
    }
}

impl ObpUser<'_> {
    pub fn auth(&self) -> String {
        format!(r#"DirectLogin token="{}""#, self.token)
    }

    pub async fn call(&self, method: Method, path: &str, body: Option<&Value>) -> Resp {
        self.app.call(&method, path, Some(&self.auth()), body).await
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Resp {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Resp {
        self.call(Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Resp {
        self.call(Method::DELETE, path, None).await
    }

    /// A raw body (bad JSON) with this user's token.
    pub async fn send_raw(&self, method: Method, path: &str, body: &str) -> Resp {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, self.auth())
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_owned()))
            .unwrap();
        self.app.send(req).await
    }

    /// Grant `role` to `user_id` (bank roles at [`OBP_BANK`]); the test fails unless 201.
    pub async fn grant_role(&self, user_id: &str, role: &str) {
        use finhub_core::obp::roles::{scope, RoleScope};
        let bank = match scope(role) {
            Some(RoleScope::System) => "",
            _ => OBP_BANK,
        };
        self.grant(user_id, role, bank).await;
    }

    pub async fn grant(&self, user_id: &str, role: &str, bank_id: &str) {
        let body = json!({"bank_id": bank_id, "role_name": role});
        let r = self
            .post(&format!("{V4}/users/{user_id}/entitlements"), &body)
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "grant {role}: {}", r.text);
    }
}

/// An OBP error: the status, `code` equal to it, and the message's code.
pub fn assert_obp(r: &Resp, status: u16, code: &str) {
    assert_eq!(r.status.as_u16(), status, "{}", r.text);
    assert_eq!(r.body["code"], json!(status), "{}", r.text);
    let m = r.body["message"].as_str().unwrap_or_default();
    assert!(m.contains(code), "expected {code}: {}", r.text);
}

/// A Create Customer body for a new person (no seeded person matches).
pub fn customer_body(legal_name: &str, phone: &str) -> Value {
    json!({
        "legal_name": legal_name,
        "mobile_phone_number": phone,
        "email": "customer@example.com",
        "face_image": {"url": "www.example.com/face.jpg", "date": "2020-01-01T00:00:00Z"},
        "date_of_birth": "1990-03-04T00:00:00Z",
        "relationship_status": "single",
        "dependants": 1,
        "dob_of_dependants": ["2015-01-01T00:00:00Z"],
        "credit_rating": {"rating": "OBP", "source": "OBP"},
        "credit_limit": {"currency": "KRW", "amount": "1000000"},
        "highest_education_attained": "Master",
        "employment_status": "worker",
        "kyc_status": false,
        "last_ok_date": "2020-01-01T00:00:00Z",
        "title": "Dr.",
        "branch_id": "DERBY6",
        "name_suffix": "Sr"
    })
}
