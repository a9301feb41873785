//! ORIS bulk reporting against a running `finhub serve`: an agency made
//! through the sandbox (admin key), its admin signed in with the pledge
//! signed, remitters registered (U1), then one batch of N rows (B1, gzip
//! JSON chunks B2, B3, B5 polled until done), and beside it the baseline
//! of the same kind of rows reported one R1 call at a time.

use crate::client::{Conn, Req};
use chrono::{Duration as Days, FixedOffset, Utc};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, clap::Args)]
pub struct OrisBatchArgs {
    #[arg(long, default_value = "oris.batch")]
    pub name: String,
    /// Base URL, e.g. http://127.0.0.1:8080 (loopback only).
    #[arg(long)]
    pub base: String,
    /// The server's FINHUB_ADMIN_KEY (for POST /sandbox/oris/agencies).
    #[arg(long, env = "FINHUB_ADMIN_KEY")]
    pub admin_key: String,
    /// Rows in the batch.
    #[arg(long, default_value_t = 100_000)]
    pub rows: usize,
    /// Rows per chunk (at most 5,000).
    #[arg(long, default_value_t = 5_000)]
    pub chunk_rows: usize,
    /// Remitters the rows are spread over.
    #[arg(long, default_value_t = 1_000)]
    pub users: usize,
    /// Rows of the baseline: single R1 calls (0: none).
    #[arg(long, default_value_t = 5_000)]
    pub single: usize,
    /// Connections the baseline's R1 calls run on.
    #[arg(long, default_value_t = 8)]
    pub single_connections: usize,
}

/// A signed-in agency with its remitters.
struct Agency {
    code: String,
    token: String,
    users: Vec<String>,
}

async fn agency(c: &mut Conn, args: &OrisBatchArgs) -> Result<Agency, String> {
    let made = c
        .expect(
            Req::json(
                "POST",
                "/sandbox/oris/agencies",
                &json!({"agencyName": "벤치송금", "agencyType": "소액해외송금업자",
                        "admin": {"password": "Sandbox!2026"}}),
            )
            .bearer(&args.admin_key),
            &[201],
        )
        .await?;
    let login = json!({"email": made["admin"]["email"], "password": "Sandbox!2026"});
    let t = c
        .expect(Req::json("POST", "/api/oris/v1/auth/login", &login), &[200])
        .await?;
    let token = t["accessToken"]
        .as_str()
        .ok_or("no accessToken")?
        .to_owned();
    let terms = c
        .expect(
            Req::get("/api/oris/v1/terms?size=100").bearer(&token),
            &[200],
        )
        .await?;
    let pledge = terms["content"]
        .as_array()
        .and_then(|ts| {
            ts.iter()
                .find(|t| t["termType"]["code"] == "개인정보보호서약서")
        })
        .map(|t| t["termId"].clone())
        .ok_or("no pledge term in force")?;
    let sign = json!({"termId": pledge});
    c.expect(
        Req::json("POST", "/api/oris/v1/members/me/consents", &sign).bearer(&token),
        &[200, 201],
    )
    .await?;
    let mut users = Vec::with_capacity(args.users);
    for i in 0..args.users.max(1) {
        let u = json!({"userType": "내국인", "userName": format!("송금인{i}"), "userCountry": "KR",
                       "identityType": "PASSPORT", "identityNumber": format!("M{:08}{}", i, made["agencyCode"].as_str().unwrap_or("")),
                       "birthDate": "19900101"});
        let r = c
            .expect(
                Req::json("POST", "/api/oris/v1/users", &u).bearer(&token),
                &[200, 201],
            )
            .await?;
        users.push(r["userId"].as_str().ok_or("no userId")?.to_owned());
    }
    Ok(Agency {
        code: made["agencyCode"]
            .as_str()
            .ok_or("no agencyCode")?
            .to_owned(),
        token,
        users,
    })
}

/// Row `n` (from 1) of the run: a NEW report of today (KST) for a remitter.
fn row(a: &Agency, n: usize) -> Value {
    let kst = FixedOffset::east_opt(9 * 3600).expect("KST");
    let now = Utc::now().with_timezone(&kst) - Days::hours(1);
    json!({"action": "NEW",
           "businessMessageIdentifier": format!("{}{}{n:09}", now.format("%Y%m%d"), a.code),
           "userId": a.users[n % a.users.len()],
           "requestDate": now.format("%Y-%m-%dT%H:%M:%S%.6f%:z").to_string(),
           "usdExchangeAmount": 10 + (n % 90)})
}

fn gzip(b: &[u8]) -> Result<Vec<u8>, String> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(b).map_err(|e| e.to_string())?;
    gz.finish().map_err(|e| e.to_string())
}

/// B1, every chunk (B2), B3: the batch id and the upload's time.
async fn upload(c: &mut Conn, a: &Agency, args: &OrisBatchArgs) -> Result<String, String> {
    let open = json!({"name": "bench", "batchType": "REMITTANCE", "expectedRows": args.rows,
                      "source": {"type": "api"}});
    let b = c
        .expect(
            Req::json("POST", "/api/oris/v1/batches", &open).bearer(&a.token),
            &[201],
        )
        .await?;
    let id = b["batchId"].as_str().ok_or("no batchId")?.to_owned();
    let per = args.chunk_rows.clamp(1, 5_000);
    for (seq, start) in (0..args.rows).step_by(per).enumerate() {
        let rows: Vec<Value> = (start..(start + per).min(args.rows))
            .map(|i| row(a, i + 1))
            .collect();
        let body = gzip(&serde_json::to_vec(&rows).map_err(|e| e.to_string())?)?;
        let r = Req {
            method: "POST",
            path: format!(
                "/api/oris/v1/batches/{id}/chunks/{seq}?type=JSON&rowCount={}",
                rows.len()
            ),
            bearer: Some(a.token.clone()),
            headers: vec![
                ("x-chunk-sha256", hex::encode(Sha256::digest(&body))),
                ("content-encoding", "gzip".to_owned()),
            ],
            body,
        };
        c.expect(r, &[200, 202]).await?;
    }
    let done = Req::json(
        "POST",
        format!("/api/oris/v1/batches/{id}/complete"),
        &json!({}),
    );
    c.expect(done.bearer(&a.token), &[200, 202]).await?;
    Ok(id)
}

/// B5 until the batch is done; its final body.
async fn settle(c: &mut Conn, a: &Agency, id: &str) -> Result<Value, String> {
    loop {
        let d = c
            .expect(
                Req::get(format!("/api/oris/v1/batches/{id}")).bearer(&a.token),
                &[200],
            )
            .await?;
        if d["status"] != "PROCESSING" {
            return Ok(d);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The baseline: rows `from..from+n` as single R1 calls on `conns`
/// connections; rows per second.
async fn singles(args: &OrisBatchArgs, a: &Agency, from: usize) -> Result<f64, String> {
    let conns = args.single_connections.max(1);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for k in 0..conns {
        let mut c = Conn::open(&args.base).await?;
        let rows: Vec<Value> = (0..args.single)
            .filter(|i| i % conns == k)
            .map(|i| row(a, from + i))
            .collect();
        let token = a.token.clone();
        tasks.push(tokio::spawn(async move {
            for mut r in rows {
                if let Some(o) = r.as_object_mut() {
                    o.remove("action");
                }
                let req = Req::json("POST", "/api/oris/v1/remittances", &r).bearer(&token);
                c.expect(req, &[201]).await?;
            }
            Ok::<(), String>(())
        }));
    }
    for t in tasks {
        t.await.map_err(|e| e.to_string())??;
    }
    Ok(args.single as f64 / started.elapsed().as_secs_f64())
}

pub async fn run(args: &OrisBatchArgs) -> Result<(), String> {
    let mut c = Conn::open(&args.base).await?;
    let a = agency(&mut c, args).await?;
    let started = Instant::now();
    let id = upload(&mut c, &a, args).await?;
    let uploaded = started.elapsed();
    let d = settle(&mut c, &a, &id).await?;
    let total = started.elapsed();
    let merged = d["progress"]["merged"].as_u64().unwrap_or(0);
    if d["status"] != "COMPLETED" || merged != args.rows as u64 {
        return Err(format!(
            "batch {id} ended {} {}",
            d["status"], d["progress"]
        ));
    }
    let single = if args.single > 0 {
        singles(args, &a, args.rows + 1).await?
    } else {
        0.0
    };
    let per_second = args.rows as f64 / total.as_secs_f64();
    let line = json!({
        "name": args.name, "rows": args.rows, "chunks": d["chunks"].as_array().map(Vec::len),
        "upload_seconds": uploaded.as_secs_f64(), "apply_seconds": (total - uploaded).as_secs_f64(),
        "seconds": total.as_secs_f64(), "rows_per_second": per_second,
        "single_rows": args.single, "single_connections": args.single_connections,
        "single_rows_per_second": single,
        "batch_over_single": if single > 0.0 { per_second / single } else { 0.0 },
    });
    println!("{line}");
    Ok(())
}
