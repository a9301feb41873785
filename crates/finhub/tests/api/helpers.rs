use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use finhub::{assemble, App, AssembleOptions};
use finhub_core::repo::PartyRepo;
use finhub_store::testing::TestStore;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

pub const ADMIN_KEY: &str = "test-admin-key-0123456789";

pub struct TestApp {
    pub ts: TestStore,
    pub app: App,
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

pub async fn spawn_app() -> TestApp {
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
    TestApp { ts, app }
}

impl TestApp {
    pub fn router(&self) -> Router {
        self.app.router.clone()
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        let resp = self.router().oneshot(req).await.expect("infallible");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Resp {
            status,
            headers,
            body,
            text,
        }
    }

    /// A sandbox call with the admin key and a JSON body given as raw text.
    pub async fn admin(&self, method: Method, path: &str, body: Option<&str>) -> Resp {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", format!("Bearer {ADMIN_KEY}"));
        if body.is_some() {
            b = b.header("content-type", "application/json");
        }
        let body = body.map(|s| Body::from(s.to_owned())).unwrap_or_default();
        self.send(b.body(body).unwrap()).await
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    pub async fn people_count(&self) -> u64 {
        self.ts.store.count_people().await.unwrap()
    }

    /// Number of accounts held by people (institution settlement accounts excluded).
    pub async fn account_count(&self, person_id: &str) -> usize {
        use finhub_core::repo::AccountRepo;
        self.ts
            .store
            .accounts_of_person(person_id)
            .await
            .unwrap()
            .len()
    }

    pub async fn create_person(&self, name: &str, phone: Option<&str>) -> Value {
        let mut body = serde_json::json!({"name": name, "birth_date": "1990-03-04"});
        if let Some(p) = phone {
            body["phone"] = p.into();
        }
        let r = self
            .admin(Method::POST, "/sandbox/people", Some(&body.to_string()))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.body
    }
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
