//! Konaplate charges against a running `finhub serve`: a project through
//! the sandbox, one member per connection (a world person with a bank
//! account, U1, then B2 → B3 → B4 and B5 polled until registered), then
//! each connection charges its card again and again: R1 (a one-time token)
//! and R2 (the charge), both signed, and with `--encrypt` both bodies JWE
//! to the project's server key. A charge is the pair; its latency is both.

use crate::client::{Conn, Req};
use crate::stats::{histogram, record, Summary};
use base64::Engine;
use hmac::{Hmac, Mac};
use josekit::jwe::alg::rsaes::RsaesJweEncrypter;
use josekit::jwe::{self, JweHeader, RSA_OAEP_256};
use serde_json::{json, Value};
use sha2::Sha256;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, clap::Args)]
pub struct KonaChargeArgs {
    #[arg(long, default_value = "konaplate.charge")]
    pub name: String,
    /// Base URL, e.g. http://127.0.0.1:8080 (loopback only).
    #[arg(long)]
    pub base: String,
    /// The server's FINHUB_ADMIN_KEY.
    #[arg(long, env = "FINHUB_ADMIN_KEY")]
    pub admin_key: String,
    #[arg(long, short = 'c', default_value_t = 64)]
    pub connections: usize,
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    #[arg(long, default_value_t = 1)]
    pub warmup: u64,
    /// Encrypt every request body (JWE RSA-OAEP-256 + A128GCM).
    #[arg(long)]
    pub encrypt: bool,
}

/// The project's credentials, as the sandbox created them.
#[derive(Clone)]
struct Project {
    asp_id: String,
    access_key: String,
    secret: String,
    crypto_key_id: String,
    /// The server public key, parsed once.
    to_server: std::sync::Arc<RsaesJweEncrypter>,
    merchant: String,
}

/// A member ready to charge: its userId and card number.
#[derive(Clone)]
struct Member {
    user_id: u64,
    card_no: String,
}

static SEQ: AtomicU64 = AtomicU64::new(0);

fn kst(fmt: &str) -> String {
    let zone = chrono::FixedOffset::east_opt(9 * 3600).expect("KST");
    chrono::Utc::now()
        .with_timezone(&zone)
        .format(fmt)
        .to_string()
}

impl Project {
    /// A signed request of `path` carrying `body` (encrypted if asked);
    /// the time spent encrypting is added to `crypto`.
    fn request(&self, path: &str, body: &Value, encrypt: bool, crypto: &mut Duration) -> Req {
        let mut headers = Vec::new();
        let text = if encrypt {
            let t0 = Instant::now();
            let mut h = JweHeader::new();
            h.set_content_encryption("A128GCM");
            let jwe = jwe::serialize_compact(body.to_string().as_bytes(), &h, &*self.to_server)
                .expect("jwe");
            *crypto += t0.elapsed();
            headers.push(("X-KM-Crypto-Key-Id", self.crypto_key_id.clone()));
            json!({"encData": jwe}).to_string()
        } else {
            body.to_string()
        };
        let mut mac = Hmac::<Sha256>::new_from_slice(self.secret.as_bytes()).expect("hmac key");
        mac.update(text.as_bytes());
        let mac = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        let n = SEQ.fetch_add(1, Ordering::Relaxed);
        headers.extend([
            ("X-KM-User-AspId", self.asp_id.clone()),
            (
                "X-KM-Correlation-Id",
                format!("{n:012}-{:07x}", rand::random::<u32>() >> 4),
            ),
            ("X-KM-Access-Key", self.access_key.clone()),
            ("X-KM-Tran-Time", kst("%Y%m%d%H%M%S")),
            ("X-KM-Time-Zone", "KST".into()),
            (
                "X-KM-Tran-Token",
                format!("KMV1:{}:{mac}", kst("%Y%m%d%H%M%S%3f")),
            ),
        ]);
        Req {
            method: "POST",
            path: path.to_owned(),
            bearer: None,
            headers,
            body: text.into_bytes(),
        }
    }

    /// A call that must answer `000_000`.
    async fn ok(&self, c: &mut Conn, path: &str, body: &Value, enc: bool) -> Result<Value, String> {
        let mut spent = Duration::ZERO;
        let (status, v) = c.call(self.request(path, body, enc, &mut spent)).await?;
        if status != 200 || v["response"]["code"] != "000_000" {
            return Err(format!("{path}: {status} {v}"));
        }
        Ok(v)
    }
}

async fn project(c: &mut Conn, admin: &str) -> Result<Project, String> {
    let body = json!({"name": "bench provider"});
    let p = c
        .expect(
            Req::json("POST", "/sandbox/konaplate/projects", &body).bearer(admin),
            &[201],
        )
        .await?;
    let s = |k: &str| p[k].as_str().unwrap_or_default().to_owned();
    Ok(Project {
        asp_id: s("asp_id"),
        access_key: s("access_key"),
        secret: s("secret_key"),
        crypto_key_id: s("crypto_key_id"),
        to_server: std::sync::Arc::new(
            RSA_OAEP_256
                .encrypter_from_pem(s("server_public_key"))
                .map_err(|e| e.to_string())?,
        ),
        merchant: p["merchants"][0]["merchant_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    })
}

/// A world person with money in a KB account, registered as member `i`
/// with that account (B5 is polled by the caller). Answers the member and
/// its registration number.
async fn member(
    c: &mut Conn,
    p: &Project,
    admin: &str,
    i: usize,
) -> Result<(Member, String), String> {
    let person = json!({"name": format!("벤치{i}"), "birth_date": "1990-01-01"});
    let who = c
        .expect(
            Req::json("POST", "/sandbox/people", &person).bearer(admin),
            &[201],
        )
        .await?;
    let pid = who["person_id"].as_str().ok_or("no person_id")?;
    let acct = json!({"bank_code_std": "004", "kind": "demand", "balance": 1_000_000_000});
    let a = c
        .expect(
            Req::json("POST", format!("/sandbox/people/{pid}/accounts"), &acct).bearer(admin),
            &[201],
        )
        .await?;
    let name = who["name"].clone();
    let u1 = json!({"ci": who["ci"], "loginId": format!("bench{i}@example.com"), "loginPassword": "135792",
        "birthDate": "19900101", "nationality": "Korean", "gender": "Male", "userName": name,
        "mobileNumber": format!("010{:08}", i), "email": format!("bench{i}@example.com"),
        "tcIdList": ["29184", "29186", "29187", "29188"]});
    let m = p.ok(c, "/api/v1/user/registration", &u1, false).await?;
    let user_id = m["userId"].as_u64().ok_or("no userId")?;
    let card_no = m["basicCardInfo"]["cardNo"]
        .as_str()
        .ok_or("no basic card")?
        .to_owned();
    let acc = json!({"userId": user_id, "bankCode": "004", "bankAccount": a["account_num"],
        "bankName": "국민은행", "userName": name, "birthDate": "19900101"});
    p.ok(c, "/api/v1/bankaccounts/user/valid", &acc, false)
        .await?;
    p.ok(
        c,
        "/api/v1/bankaccounts/ars/auth",
        &json!({"userId": user_id}),
        false,
    )
    .await?;
    let reg = p
        .ok(c, "/api/v1/bankaccounts/ars/register", &acc, false)
        .await?;
    let reg_no = reg["bankAccRegNo"]
        .as_str()
        .ok_or("no bankAccRegNo")?
        .to_owned();
    Ok((Member { user_id, card_no }, reg_no))
}

/// Poll B5 until the registration is final.
async fn registered(c: &mut Conn, p: &Project, reg_no: &str) -> Result<(), String> {
    for _ in 0..50 {
        let v = p
            .ok(
                c,
                "/api/v1/bankaccounts/ars/register/inquiry",
                &json!({"regNo": reg_no}),
                false,
            )
            .await?;
        match v["status"].as_str() {
            Some("BANK_ACC_REGISTERED") => return Ok(()),
            Some("ARS_AUTH_IN_PROGRESS" | "ARS_AUTH_DONE") => {
                tokio::time::sleep(Duration::from_millis(500)).await
            }
            _ => return Err(format!("registration {reg_no}: {v}")),
        }
    }
    Err(format!("registration {reg_no} did not settle"))
}

/// One charge: R1 then R2. The client's crypto time is added to `crypto`.
async fn charge(
    c: &mut Conn,
    p: &Project,
    m: &Member,
    enc: bool,
    crypto: &mut Duration,
) -> Result<(), String> {
    let r1 = p.request(
        "/api/v2/payment/generate/onetimetoken",
        &json!({"cardNo": m.card_no}),
        enc,
        crypto,
    );
    let (_, t) = c.call(r1).await?;
    if t["response"]["code"] != "000_000" {
        return Err(format!("R1: {t}"));
    }
    let n = SEQ.fetch_add(1, Ordering::Relaxed);
    let body = json!({"sequenceId": format!("B{n:012}{:08x}", rand::random::<u32>()), "userId": m.user_id,
        "amount": 1, "oneTimeToken": t["oneTimeToken"], "dcvv": t["dcvv"], "merchantId": p.merchant});
    let (_, v) = c
        .call(p.request(
            "/api/v1/recharges/by-bank-accounts/no-hce",
            &body,
            enc,
            crypto,
        ))
        .await?;
    if v["response"]["code"] != "000_000" {
        return Err(format!("R2: {v}"));
    }
    Ok(())
}

/// The charge loop of one connection: (histogram, errors, crypto time).
async fn worker(
    args: KonaChargeArgs,
    p: Project,
    m: Member,
    start: Instant,
) -> Result<(hdrhistogram::Histogram<u64>, u64, Duration), String> {
    let mut c = Conn::open(&args.base).await?;
    let (mut h, mut errors, mut crypto) = (histogram(), 0, Duration::ZERO);
    let warm = start + Duration::from_secs(args.warmup);
    let end = warm + Duration::from_secs(args.seconds);
    while Instant::now() < end {
        let t0 = Instant::now();
        let mut spent = Duration::ZERO;
        let ok = charge(&mut c, &p, &m, args.encrypt, &mut spent).await;
        if t0 >= warm {
            crypto += spent;
            match ok {
                Ok(()) => record(&mut h, t0.elapsed()),
                Err(_) => errors += 1,
            }
        }
    }
    Ok((h, errors, crypto))
}

pub async fn run(args: &KonaChargeArgs) -> Result<(), String> {
    let mut c = Conn::open(&args.base).await?;
    let p = project(&mut c, &args.admin_key).await?;
    let mut members = Vec::with_capacity(args.connections);
    for i in 0..args.connections {
        members.push(member(&mut c, &p, &args.admin_key, i).await?);
    }
    for (_, reg) in &members {
        registered(&mut c, &p, reg).await?;
    }
    let start = Instant::now();
    let tasks: Vec<_> = (members.into_iter())
        .map(|(m, _)| tokio::spawn(worker(args.clone(), p.clone(), m, start)))
        .collect();
    let (mut h, mut errors, mut crypto) = (histogram(), 0, Duration::ZERO);
    for t in tasks {
        let (wh, we, wc) = t.await.map_err(|e| e.to_string())??;
        h.add(&wh).map_err(|e| e.to_string())?;
        errors += we;
        crypto += wc;
    }
    let s = Summary::new(
        &args.name,
        args.connections,
        &h,
        errors,
        Duration::from_secs(args.seconds),
    );
    let mut line = serde_json::to_value(&s).map_err(|e| e.to_string())?;
    line["encrypted"] = json!(args.encrypt);
    // The client's own JWE time per charge (it shares the machine's cores).
    let per = crypto.as_secs_f64() * 1000.0 / (h.len().max(1) as f64);
    line["client_crypto_ms_per_charge"] = json!((per * 1000.0).round() / 1000.0);
    println!("{line}");
    Ok(())
}
