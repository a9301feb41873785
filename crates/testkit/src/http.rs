//! Requests to a router in process, and what came back.

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use base64::Engine;
use http_body_util::BodyExt;
use serde_json::Value;
use std::collections::HashMap;
use tower::ServiceExt;

pub const JSON: &str = "application/json; charset=UTF-8";
pub const FORM: &str = "application/x-www-form-urlencoded; charset=UTF-8";
/// The form type without a charset, as a browser posts the authorize pages.
pub const PLAIN_FORM: &str = "application/x-www-form-urlencoded";

/// An answer: status, headers, the body as text and, when it parses, as JSON
/// (`Value::Null` otherwise). Derefs to the JSON, so `r["rsp_code"]` reads it.
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
    pub body: Value,
}

impl Resp {
    /// The body as JSON, failing the test when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|_| panic!("not JSON: {}", self.text))
    }

    /// The KFTC rsp_code, else the RFC 6749 / sandbox `error`, else "".
    pub fn code(&self) -> String {
        self.body["rsp_code"]
            .as_str()
            .or_else(|| self.body["error"].as_str())
            .unwrap_or("")
            .to_owned()
    }

    /// The RFC 6749 / sandbox `error` (the body must be JSON).
    pub fn error(&self) -> String {
        self.json()["error"].as_str().unwrap_or_default().to_owned()
    }

    pub fn location(&self) -> Option<String> {
        self.headers
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_owned())
    }

    /// The query of the Location header, as a map.
    pub fn redirect_query(&self) -> HashMap<String, String> {
        let loc = self.location().expect("a redirect");
        let q = loc.split_once('?').map(|x| x.1).unwrap_or("");
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .unwrap()
            .into_iter()
            .collect()
    }
}

impl std::ops::Deref for Resp {
    type Target = Value;
    fn deref(&self) -> &Value {
        &self.body
    }
}

impl std::fmt::Display for Resp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// A router driven in process (`tower::ServiceExt::oneshot`).
#[derive(Clone)]
pub struct Http {
    router: Router,
}

impl Http {
    pub fn new(router: Router) -> Http {
        Http { router }
    }

    pub fn router(&self) -> Router {
        self.router.clone()
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        let resp = self.router.clone().oneshot(req).await.expect("infallible");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        Resp {
            status,
            headers,
            text: String::from_utf8_lossy(&bytes).into_owned(),
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        }
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    /// Any request: `auth` is the whole Authorization header value, `body` JSON.
    pub async fn call(
        &self,
        method: &Method,
        path: &str,
        auth: Option<&str>,
        body: Option<&Value>,
    ) -> Resp {
        let mut b = Request::builder().method(method.clone()).uri(path);
        if let Some(a) = auth {
            b = b.header(header::AUTHORIZATION, a);
        }
        let req = match body {
            Some(v) => b
                .header(header::CONTENT_TYPE, JSON)
                .body(Body::from(v.to_string())),
            None => b.body(Body::empty()),
        };
        self.send(req.unwrap()).await
    }

    /// A form POST with `charset=UTF-8` (token, revoke).
    pub async fn form(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let req = Request::post(path)
            .header(header::CONTENT_TYPE, FORM)
            .body(Body::from(form_body(fields)))
            .unwrap();
        self.send(req).await
    }

    /// A form POST as a browser sends it (no charset).
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        self.post_raw(path, None, form_body(fields)).await
    }

    /// A POST of a raw form body, with an optional Authorization header.
    pub async fn post_raw(&self, path: &str, auth: Option<&str>, body: impl Into<Body>) -> Resp {
        let mut b = Request::post(path).header(header::CONTENT_TYPE, PLAIN_FORM);
        if let Some(a) = auth {
            b = b.header(header::AUTHORIZATION, a);
        }
        self.send(b.body(body.into()).unwrap()).await
    }
}

pub fn form_body(fields: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(fields).unwrap()
}

/// A JSON object of strings as a query string.
pub fn query_string(v: &Value) -> String {
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

/// Every `name="<name>" value="..."` of a page, in order.
pub fn field_values(page: &str, name: &str) -> Vec<String> {
    let needle = format!("name=\"{name}\" value=\"");
    page.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &page[i + needle.len()..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .collect()
}

/// The first value of the field `name` in a page; fails the test without one.
pub fn field(page: &str, name: &str) -> String {
    field_values(page, name)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no {name} in {page}"))
}

/// HTTP Basic credentials.
pub fn basic(id: &str, secret: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
    )
}
