//! The ORIS registry as an agency speaks it: an agency made through the
//! sandbox, its staff signed in (A1) with the pledge signed (M5), and calls
//! carrying the bearer token.
//!
//! ```ignore
//! let kb = app.oris_staff(Some("BA00000004")).await;
//! let r = kb.post("/api/oris/v1/users", &json!({...})).await;
//! ```

use crate::http::Resp;
use crate::TestApp;
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

/// The seeded terms in force in a fresh sandbox.
pub const PLEDGE_TERM: &str = "01JA0000000000000000000PL1";
pub const THIRD_PARTY_TERM: &str = "01JA0000000000000000000TP1";
/// A password that meets the policy.
pub const PASSWORD: &str = "Sandbox!2026";

/// An agency the sandbox made, with its first (ADMIN) member.
#[derive(Debug, Clone)]
pub struct OrisAgency {
    pub agency_id: String,
    pub agency_code: String,
    pub email: String,
    pub password: String,
    pub member_id: String,
}

/// A signed-in member: calls carry `Authorization: Bearer <access>`.
pub struct OrisStaff<'a> {
    pub app: &'a TestApp,
    pub agency: OrisAgency,
    pub access: String,
    pub refresh: String,
}

impl TestApp {
    /// POST /sandbox/oris/agencies with `body`; the test fails unless 201.
    pub async fn oris_agency(&self, body: Value) -> OrisAgency {
        let auth = self.admin_auth();
        let r = self
            .call(
                &Method::POST,
                "/sandbox/oris/agencies",
                Some(&auth),
                Some(&body),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let b = &r.body;
        OrisAgency {
            agency_id: b["agencyId"].as_str().unwrap().to_owned(),
            agency_code: b["agencyCode"].as_str().unwrap().to_owned(),
            email: b["admin"]["email"].as_str().unwrap().to_owned(),
            password: b["admin"]["password"].as_str().unwrap().to_owned(),
            member_id: b["admin"]["memberId"].as_str().unwrap().to_owned(),
        }
    }

    /// A1 as sent: `scope` None leaves it out.
    pub async fn oris_login(&self, email: &str, password: &str, scope: Option<&str>) -> Resp {
        let mut body = json!({"email": email, "password": password});
        if let Some(s) = scope {
            body["scope"] = json!(s);
        }
        self.call(&Method::POST, "/api/oris/v1/auth/login", None, Some(&body))
            .await
    }

    /// An agency's admin signed in (every scope) without the pledge.
    pub async fn oris_member(&self, agency: OrisAgency) -> OrisStaff<'_> {
        let r = self.oris_login(&agency.email, &agency.password, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        OrisStaff {
            app: self,
            access: r.body["accessToken"].as_str().unwrap().to_owned(),
            refresh: r.body["refreshToken"].as_str().unwrap().to_owned(),
            agency,
        }
    }

    /// The ORIS operator's agency (한국은행), its admin not signed in.
    pub async fn oris_operator_agency(&self) -> OrisAgency {
        self.oris_agency(json!({"agencyName": "한국은행", "agencyType": "한국은행",
                                "admin": {"password": PASSWORD}}))
            .await
    }

    /// The ORIS operator's admin, signed in with the pledge signed.
    pub async fn oris_operator(&self) -> OrisStaff<'_> {
        let a = self.oris_operator_agency().await;
        let s = self.oris_member(a).await;
        s.sign_pledge().await;
        s
    }

    /// A new agency (for the world's institution `org_code`, or a small
    /// remittance firm), its admin signed in with the pledge signed.
    pub async fn oris_staff(&self, org_code: Option<&str>) -> OrisStaff<'_> {
        let body = match org_code {
            Some(org) => json!({"org_code": org, "admin": {"password": PASSWORD}}),
            None => json!({"agencyName": "한빛송금", "agencyType": "소액해외송금업자",
                           "admin": {"password": PASSWORD}}),
        };
        let agency = self.oris_agency(body).await;
        let staff = self.oris_member(agency).await;
        staff.sign_pledge().await;
        staff
    }
}

impl OrisStaff<'_> {
    fn auth(&self) -> String {
        format!("Bearer {}", self.access)
    }

    pub async fn call(&self, method: Method, path: &str, body: Option<&Value>) -> Resp {
        let auth = self.auth();
        self.app.call(&method, path, Some(&auth), body).await
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

    pub async fn patch(&self, path: &str, body: &Value) -> Resp {
        self.call(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Resp {
        self.call(Method::DELETE, path, None).await
    }

    /// M5 with the seeded pledge; fails unless 200 or 201.
    pub async fn sign_pledge(&self) {
        let r = self
            .post(
                "/api/oris/v1/members/me/consents",
                &json!({"termId": PLEDGE_TERM}),
            )
            .await;
        assert!(r.status.is_success(), "{}", r.text);
    }
}

/// Assert an ORIS error body: this status and code.
pub fn assert_oris(r: &Resp, status: StatusCode, code: &str) {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(r.body["code"], code, "{}", r.text);
    assert!(r.body["message"].is_string(), "{}", r.text);
}
