//! A minimal HTTP/1.1 client (one connection per request, so a killed
//! server shows as that request's own connection error) and the KFTC calls
//! the test makes.

use serde_json::Value;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const TIMEOUT: Duration = Duration::from_secs(30);

/// (status, body) or why no whole answer came back.
pub async fn request(
    addr: &str,
    method: &str,
    path: &str,
    bearer: Option<&str>,
    body: Option<(&str, String)>,
) -> Result<(u16, Vec<u8>), String> {
    let auth = bearer.map(|t| ("authorization".to_owned(), format!("Bearer {t}")));
    request_with(addr, method, path, auth.as_slice(), body).await
}

/// `request` with headers of the caller's own (the Konaplate transport's).
pub async fn request_with(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: Option<(&str, String)>,
) -> Result<(u16, Vec<u8>), String> {
    tokio::time::timeout(TIMEOUT, async {
        let mut s = TcpStream::connect(addr)
            .await
            .map_err(|e| format!("connect: {e}"))?;
        let mut head = format!("{method} {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n");
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        let body = match body {
            Some((ctype, b)) => {
                head.push_str(&format!(
                    "content-type: {ctype}\r\ncontent-length: {}\r\n",
                    b.len()
                ));
                b
            }
            None => String::new(),
        };
        head.push_str("\r\n");
        head.push_str(&body);
        s.write_all(head.as_bytes())
            .await
            .map_err(|e| format!("write: {e}"))?;
        let mut raw = Vec::new();
        s.read_to_end(&mut raw)
            .await
            .map_err(|e| format!("read: {e}"))?;
        parse(&raw)
    })
    .await
    .map_err(|_| "timeout".to_string())?
}

fn parse(raw: &[u8]) -> Result<(u16, Vec<u8>), String> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("incomplete answer ({} bytes)", raw.len()))?;
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let body = &raw[split + 4..];
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("no status line")?;
    let header = |name: &str| {
        head.lines()
            .find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_owned()))
    };
    if header("transfer-encoding:").is_some_and(|v| v.contains("chunked")) {
        return dechunk(body).map(|b| (status, b));
    }
    if let Some(n) = header("content-length:").and_then(|v| v.parse::<usize>().ok()) {
        if body.len() < n {
            return Err(format!("body cut at {} of {n} bytes", body.len()));
        }
        return Ok((status, body[..n].to_vec()));
    }
    Ok((status, body.to_vec()))
}

fn dechunk(mut b: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let eol = b.windows(2).position(|w| w == b"\r\n").ok_or("chunk cut")?;
        let size_text = String::from_utf8_lossy(&b[..eol]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|_| "bad chunk size")?;
        b = &b[eol + 2..];
        if size == 0 {
            return Ok(out);
        }
        if b.len() < size + 2 {
            return Err("chunk cut".into());
        }
        out.extend_from_slice(&b[..size]);
        b = &b[size + 2..];
    }
}

/// A JSON answer, failing loudly (for the calls that must work: setup and checks).
pub async fn must_json(
    addr: &str,
    method: &str,
    path: &str,
    bearer: Option<&str>,
    body: Option<(&str, String)>,
) -> Value {
    let (status, b) = request(addr, method, path, bearer, body)
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    serde_json::from_slice(&b).unwrap_or_else(|_| {
        panic!(
            "{method} {path}: HTTP {status}, not JSON: {}",
            String::from_utf8_lossy(&b)
        )
    })
}

pub fn json_body(v: &Value) -> Option<(&'static str, String)> {
    Some(("application/json; charset=UTF-8", v.to_string()))
}
