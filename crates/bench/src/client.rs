//! A small JSON client over one kept-alive HTTP/1.1 connection, for the
//! scenario benchmarks that set a world up through the API (ORIS,
//! Konaplate): requests with a bearer or headers of their own.

use crate::load::{connect, parse_url, Target};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1;
use hyper::Request;
use serde_json::Value;

/// One HTTP/1.1 connection to the server.
pub struct Conn {
    pub target: Target,
    pub sender: http1::SendRequest<Full<Bytes>>,
}

/// A request: method, path, bearer, extra headers, body.
pub struct Req {
    pub method: &'static str,
    pub path: String,
    pub bearer: Option<String>,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Req {
    pub fn json(method: &'static str, path: impl Into<String>, body: &Value) -> Req {
        Req {
            method,
            path: path.into(),
            bearer: None,
            headers: Vec::new(),
            body: body.to_string().into_bytes(),
        }
    }

    pub fn get(path: impl Into<String>) -> Req {
        Req {
            body: Vec::new(),
            ..Req::json("GET", path, &Value::Null)
        }
    }

    pub fn bearer(mut self, token: &str) -> Req {
        self.bearer = Some(token.to_owned());
        self
    }
}

impl Conn {
    pub async fn open(base: &str) -> Result<Conn, String> {
        let target = parse_url(base)?;
        let sender = connect(&target).await?;
        Ok(Conn { target, sender })
    }

    /// Send; the status and the body as JSON (Null when it is not).
    pub async fn call(&mut self, r: Req) -> Result<(u16, Value), String> {
        let mut b = Request::builder()
            .method(r.method)
            .uri(&r.path)
            .header("host", &self.target.host)
            .header("content-type", "application/json");
        if let Some(t) = &r.bearer {
            b = b.header("authorization", format!("Bearer {t}"));
        }
        for (k, v) in &r.headers {
            b = b.header(*k, v);
        }
        let req = b
            .body(Full::new(Bytes::from(r.body)))
            .map_err(|e| e.to_string())?;
        // The connection takes the next request only once it has finished
        // the last one; a closed one is opened again.
        if self.sender.ready().await.is_err() {
            self.sender = connect(&self.target).await?;
            self.sender.ready().await.map_err(|e| e.to_string())?;
        }
        let resp = self
            .sender
            .send_request(req)
            .await
            .map_err(|e| format!("{} {}: {e}", r.method, r.path))?;
        let status = resp.status().as_u16();
        let bytes = resp
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        Ok((
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        ))
    }

    /// Send, and fail unless the status is one of `ok`.
    pub async fn expect(&mut self, r: Req, ok: &[u16]) -> Result<Value, String> {
        let what = format!("{} {}", r.method, r.path);
        let (status, body) = self.call(r).await?;
        if !ok.contains(&status) {
            return Err(format!("{what}: {status} {body}"));
        }
        Ok(body)
    }
}
