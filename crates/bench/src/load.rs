//! HTTP load generator: a fixed number of keep-alive HTTP/1.1 connections on
//! loopback, each sending its next request as soon as the previous answer is
//! read (closed loop), or with `--rate` on a fixed schedule (open loop, latency
//! from each request's scheduled start, so a stall is not hidden by the
//! requests it kept from being sent), bounded by a request count and by time.

use crate::stats::{self, Summary};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1;
use hyper::Request;
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, clap::Args)]
pub struct LoadArgs {
    /// Name of the series in the JSON output.
    #[arg(long, default_value = "load")]
    pub name: String,
    /// Target, e.g. http://127.0.0.1:8080/v2.0/account/balance/fin_num?x=1 (loopback only).
    #[arg(long)]
    pub url: String,
    #[arg(long, default_value = "GET")]
    pub method: String,
    /// Extra header "Name: value"; repeatable.
    #[arg(long = "header", short = 'H')]
    pub headers: Vec<String>,
    /// Request body; every "{n}" in the URL or body becomes a number unique in this run.
    #[arg(long)]
    pub body: Option<String>,
    /// Open connections (= requests in flight).
    #[arg(long, short = 'c', default_value_t = 16)]
    pub connections: usize,
    /// Stop after this many requests in all.
    #[arg(long, default_value_t = 1_000_000)]
    pub max_requests: u64,
    /// Stop after this many seconds.
    #[arg(long, default_value_t = 10.0)]
    pub seconds: f64,
    /// Unmeasured warm-up seconds before the measured window.
    #[arg(long, default_value_t = 1.0)]
    pub warmup: f64,
    /// A reply counts as an error unless its status is 2xx and, if given, its body contains this.
    #[arg(long)]
    pub expect: Option<String>,
    /// First value of "{n}".
    #[arg(long, default_value_t = 0)]
    pub n_start: u64,
    /// Open loop: this many requests per second in all, spread evenly over
    /// the connections; latency counts from each request's scheduled start.
    #[arg(long)]
    pub rate: Option<f64>,
}

pub(crate) struct Target {
    pub(crate) addr: SocketAddr,
    pub(crate) host: String,
    pub(crate) path: String,
}

pub(crate) fn parse_url(url: &str) -> Result<Target, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or("only http:// URLs (loopback) are supported")?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let authority = authority.replace("localhost", "127.0.0.1");
    let addr: SocketAddr = authority
        .parse()
        .map_err(|e| format!("{authority}: {e} (use an IP:port)"))?;
    if !addr.ip().is_loopback() {
        return Err(format!(
            "{addr} is not loopback: the harness only loads this machine"
        ));
    }
    Ok(Target {
        addr,
        host: authority,
        path: path.to_owned(),
    })
}

/// Run one load series and return its summary.
pub async fn run(args: &LoadArgs) -> Result<Summary, String> {
    let target = Arc::new(parse_url(&args.url)?);
    let headers: Vec<(String, String)> = args
        .headers
        .iter()
        .map(|h| {
            let (k, v) = h.split_once(':').ok_or(format!("bad header {h:?}"))?;
            Ok((k.trim().to_owned(), v.trim().to_owned()))
        })
        .collect::<Result<_, String>>()?;
    let warm_end = Instant::now() + Duration::from_secs_f64(args.warmup);
    let series = Series {
        args: args.clone(),
        target,
        headers: Arc::new(headers),
        counter: Arc::new(AtomicU64::new(args.n_start)),
        issued: Arc::new(AtomicU64::new(0)),
        warm_end,
        deadline: warm_end + Duration::from_secs_f64(args.seconds),
    };
    let deadline = series.deadline;
    let mut tasks = Vec::with_capacity(args.connections);
    let conns = args.connections.max(1);
    if args.rate.is_some_and(|r| !(r > 0.0 && r.is_finite())) {
        return Err("--rate must be a positive number".into());
    }
    for idx in 0..conns {
        // Connection idx sends at warm-up start + idx/rate + k * conns/rate.
        let schedule = args.rate.map(|r| {
            (
                Instant::now() + Duration::from_secs_f64(idx as f64 / r),
                Duration::from_secs_f64(conns as f64 / r),
            )
        });
        let series = series.clone();
        tasks.push(tokio::spawn(
            async move { connection(&series, schedule).await },
        ));
    }
    let mut h = stats::histogram();
    let mut errors = 0;
    let mut first: Option<Instant> = None;
    let mut last: Option<Instant> = None;
    for t in tasks {
        let r = t.await.map_err(|e| e.to_string())??;
        h.add(&r.hist).map_err(|e| e.to_string())?;
        errors += r.errors;
        first = match (first, r.first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        last = match (last, r.last) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }
    let elapsed = match (first, last) {
        // Open loop: the measured window is the schedule's, not the replies'.
        _ if args.rate.is_some() => deadline - warm_end,
        (Some(a), Some(b)) => b - a,
        _ => Duration::ZERO,
    };
    Ok(Summary::new(
        &args.name,
        args.connections,
        &h,
        errors,
        elapsed,
    ))
}

struct ConnResult {
    hist: hdrhistogram::Histogram<u64>,
    errors: u64,
    first: Option<Instant>,
    last: Option<Instant>,
}

/// What every connection of a series shares.
#[derive(Clone)]
struct Series {
    args: LoadArgs,
    target: Arc<Target>,
    headers: Arc<Vec<(String, String)>>,
    /// The next "{n}".
    counter: Arc<AtomicU64>,
    /// Measured requests sent so far, against `max_requests`.
    issued: Arc<AtomicU64>,
    warm_end: Instant,
    deadline: Instant,
}

/// One keep-alive connection: requests one after another (closed loop) or
/// on its slots of the schedule (open loop) until the deadline.
async fn connection(
    series: &Series,
    schedule: Option<(Instant, Duration)>,
) -> Result<ConnResult, String> {
    let (args, target) = (&series.args, &*series.target);
    let (warm_end, deadline) = (series.warm_end, series.deadline);
    let mut out = ConnResult {
        hist: stats::histogram(),
        errors: 0,
        first: None,
        last: None,
    };
    let mut sender = connect(target).await?;
    let mut k: u32 = 0;
    loop {
        // Open loop: wait for this request's slot; if late, send at once but
        // count from the slot.
        let slot = schedule.map(|(first, every)| first + every * k);
        k += 1;
        if let Some(t) = slot {
            // Far behind the schedule: stop rather than run on for minutes
            // (the shortfall shows as a rate below the one asked for).
            if t >= deadline || Instant::now() >= deadline + (deadline - warm_end) {
                break;
            }
            tokio::time::sleep_until(t.into()).await;
        }
        let now = slot.unwrap_or_else(Instant::now);
        if now >= deadline {
            break;
        }
        let measured = now >= warm_end;
        if measured && series.issued.fetch_add(1, Ordering::Relaxed) >= args.max_requests {
            break;
        }
        let req = request(series)?;
        let start = slot.unwrap_or_else(Instant::now);
        let ok = send(&mut sender, series, req).await?;
        let end = Instant::now();
        if measured {
            out.first.get_or_insert(start);
            out.last = Some(end);
            stats::record(&mut out.hist, end - start);
            if !ok {
                out.errors += 1;
            }
        }
    }
    Ok(out)
}

/// The next request, its "{n}" filled in.
fn request(series: &Series) -> Result<Request<Full<Bytes>>, String> {
    let (args, target) = (&series.args, &*series.target);
    let n = series.counter.fetch_add(1, Ordering::Relaxed).to_string();
    let path = target.path.replace("{n}", &n);
    let body = args
        .body
        .as_deref()
        .map(|b| b.replace("{n}", &n))
        .unwrap_or_default();
    let mut req = Request::builder()
        .method(args.method.as_str())
        .uri(path)
        .header("host", &target.host);
    for (k, v) in series.headers.iter() {
        req = req.header(k, v);
    }
    req.body(Full::new(Bytes::from(body)))
        .map_err(|e| e.to_string())
}

/// Send one request and read its answer: whether it counts as a success.
async fn send(
    sender: &mut http1::SendRequest<Full<Bytes>>,
    series: &Series,
    req: Request<Full<Bytes>>,
) -> Result<bool, String> {
    match sender.send_request(req).await {
        Ok(resp) => {
            let status = resp.status();
            Ok(match resp.into_body().collect().await {
                Ok(b) => {
                    status.is_success()
                        && series.args.expect.as_deref().is_none_or(|e| {
                            let bytes = b.to_bytes();
                            memfind(&bytes, e.as_bytes())
                        })
                }
                Err(_) => false,
            })
        }
        Err(_) => {
            // The server closed the connection: count it and reconnect.
            *sender = connect(&series.target).await?;
            Ok(false)
        }
    }
}

pub(crate) async fn connect(target: &Target) -> Result<http1::SendRequest<Full<Bytes>>, String> {
    let stream = tokio::net::TcpStream::connect(target.addr)
        .await
        .map_err(|e| format!("connect {}: {e}", target.addr))?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let (sender, conn) = http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(sender)
}

pub(crate) fn memfind(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_targets_are_accepted() {
        assert!(parse_url("http://127.0.0.1:8080/x?y=1").is_ok());
        assert_eq!(parse_url("http://localhost:80").unwrap().path, "/");
        assert!(parse_url("http://10.0.0.1:80/").is_err());
        assert!(parse_url("https://127.0.0.1:443/").is_err());
    }

    #[test]
    fn finds_expected_text() {
        assert!(memfind(b"{\"rsp_code\":\"A0000\"}", b"A0000"));
        assert!(!memfind(b"{\"rsp_code\":\"A0001\"}", b"A0000"));
    }
}
