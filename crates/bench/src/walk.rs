//! A walk: a fixed plan of requests played in order, again and again, on
//! keep-alive connections; one walk is one pass through the plan. It measures
//! a client's whole sync (every API of a consent) rather than one endpoint.

use crate::load::{connect, memfind, parse_url, Target};
use crate::stats::{self, Summary};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1;
use hyper::Request;
use serde::Deserialize;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, clap::Args)]
pub struct WalkArgs {
    #[arg(long, default_value = "walk")]
    pub name: String,
    /// Base URL, e.g. http://127.0.0.1:8080 (loopback only).
    #[arg(long)]
    pub base: String,
    /// A JSON file: [{"method":"GET","path":"/v1/...","body":{...}?}, ...].
    #[arg(long)]
    pub plan: std::path::PathBuf,
    /// Header "Name: value" sent with every request; repeatable.
    #[arg(long = "header", short = 'H')]
    pub headers: Vec<String>,
    /// Walkers, each on its own connection.
    #[arg(long, short = 'c', default_value_t = 1)]
    pub connections: usize,
    #[arg(long, default_value_t = 10.0)]
    pub seconds: f64,
    /// A call counts as failed unless it is 2xx and its body contains this.
    #[arg(long)]
    pub expect: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct Step {
    method: String,
    path: String,
    #[serde(default)]
    body: Option<serde_json::Value>,
}

struct Plan {
    target: Target,
    steps: Vec<Step>,
    headers: Vec<(String, String)>,
    expect: Option<String>,
}

pub async fn run(args: &WalkArgs) -> Result<Summary, String> {
    let text = std::fs::read_to_string(&args.plan).map_err(|e| e.to_string())?;
    let steps: Vec<Step> = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    if steps.is_empty() {
        return Err("the plan has no steps".into());
    }
    let headers = args
        .headers
        .iter()
        .map(|h| {
            let (k, v) = h.split_once(':').ok_or(format!("bad header {h:?}"))?;
            Ok((k.trim().to_owned(), v.trim().to_owned()))
        })
        .collect::<Result<_, String>>()?;
    let plan = Arc::new(Plan {
        target: parse_url(&args.base)?,
        steps,
        headers,
        expect: args.expect.clone(),
    });
    let deadline = Instant::now() + Duration::from_secs_f64(args.seconds);
    let started = Instant::now();
    let walkers: Vec<_> = (0..args.connections.max(1))
        .map(|_| {
            let plan = plan.clone();
            tokio::spawn(async move { walker(&plan, deadline).await })
        })
        .collect();
    let mut h = stats::histogram();
    let mut failed = 0;
    for w in walkers {
        let (hist, f) = w.await.map_err(|e| e.to_string())??;
        h.add(&hist).map_err(|e| e.to_string())?;
        failed += f;
    }
    Ok(Summary::new(
        &args.name,
        args.connections,
        &h,
        failed,
        started.elapsed(),
    ))
}

/// Walks until the deadline: the latency of each whole walk, and how many
/// walks had a failed call.
async fn walker(
    plan: &Plan,
    deadline: Instant,
) -> Result<(hdrhistogram::Histogram<u64>, u64), String> {
    let mut sender = connect(&plan.target).await?;
    let mut hist = stats::histogram();
    let mut failed = 0;
    while Instant::now() < deadline {
        let start = Instant::now();
        let mut ok = true;
        for step in &plan.steps {
            ok &= call(&mut sender, plan, step).await?;
        }
        stats::record(&mut hist, start.elapsed());
        if !ok {
            failed += 1;
        }
    }
    Ok((hist, failed))
}

async fn call(
    sender: &mut http1::SendRequest<Full<Bytes>>,
    plan: &Plan,
    step: &Step,
) -> Result<bool, String> {
    let body = step
        .body
        .as_ref()
        .map(|b| b.to_string())
        .unwrap_or_default();
    let mut req = Request::builder()
        .method(step.method.as_str())
        .uri(&step.path)
        .header("host", &plan.target.host)
        .header("content-type", "application/json");
    for (k, v) in &plan.headers {
        req = req.header(k, v);
    }
    let req = req
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| e.to_string())?;
    let Ok(resp) = sender.send_request(req).await else {
        *sender = connect(&plan.target).await?;
        return Ok(false);
    };
    let status = resp.status();
    let Ok(bytes) = resp.into_body().collect().await.map(|b| b.to_bytes()) else {
        return Ok(false);
    };
    Ok(status.is_success()
        && plan
            .expect
            .as_deref()
            .is_none_or(|e| memfind(&bytes, e.as_bytes())))
}
