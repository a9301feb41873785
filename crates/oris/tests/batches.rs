//! Bulk reporting (B1–B6) as an agency's system drives it: open a batch,
//! upload hashed chunks (gzip JSON, CSV), complete it, watch B5 until the
//! background job is done, read the refused rows.

mod kit {
    use axum::body::Body;
    use axum::http::{header, Request, StatusCode};
    use finhub_testkit::http::Resp;
    use finhub_testkit::oris::OrisStaff;
    use serde_json::{json, Value};
    use sha2::{Digest, Sha256};
    use std::io::Write;
    use std::time::Duration;

    pub const BATCHES: &str = "/api/oris/v1/batches";

    pub fn gzip(b: &[u8]) -> Vec<u8> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b).unwrap();
        gz.finish().unwrap()
    }

    pub fn sha(b: &[u8]) -> String {
        hex::encode(Sha256::digest(b))
    }

    /// One B2 request; `sha256` None sends the body's own hash, Some("")
    /// sends no header.
    #[derive(Default, Clone)]
    pub struct Chunk {
        pub body: Vec<u8>,
        pub query: String,
        pub gzip: bool,
        pub sha256: Option<String>,
        pub key: Option<String>,
    }

    impl Chunk {
        /// A gzip JSON array of rows, `rowCount` its length.
        pub fn json(rows: &[Value]) -> Chunk {
            Chunk {
                body: gzip(Value::Array(rows.to_vec()).to_string().as_bytes()),
                query: format!("rowCount={}", rows.len()),
                gzip: true,
                ..Chunk::default()
            }
        }

        pub fn csv(text: &str, rows: usize) -> Chunk {
            Chunk {
                body: text.as_bytes().to_vec(),
                query: format!("type=CSV&rowCount={rows}"),
                ..Chunk::default()
            }
        }
    }

    pub async fn upload(s: &OrisStaff<'_>, batch: &str, seq: &str, c: &Chunk) -> Resp {
        let mut b = Request::post(format!("{BATCHES}/{batch}/chunks/{seq}?{}", c.query))
            .header(header::AUTHORIZATION, format!("Bearer {}", s.access))
            .header(header::CONTENT_TYPE, "application/json");
        let hash = c.sha256.clone().unwrap_or_else(|| sha(&c.body));
        if !hash.is_empty() {
            b = b.header("X-Chunk-SHA256", hash);
        }
        if c.gzip {
            b = b.header(header::CONTENT_ENCODING, "gzip");
        }
        if let Some(k) = &c.key {
            b = b.header("Idempotency-Key", k);
        }
        s.app
            .send(b.body(Body::from(c.body.clone())).unwrap())
            .await
    }

    /// B1 with `rows` expected; the batch id.
    pub async fn open(s: &OrisStaff<'_>, rows: i64) -> String {
        let r = s
            .post(
                BATCHES,
                &json!({"name": "remittance_20251007.csv", "batchType": "REMITTANCE",
                        "expectedRows": rows, "source": {"type": "api"}}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.body["batchId"].as_str().unwrap().to_owned()
    }

    /// B5 polled until the batch is no longer PROCESSING.
    pub async fn settled(s: &OrisStaff<'_>, batch: &str) -> Value {
        for _ in 0..600 {
            let r = s.get(&format!("{BATCHES}/{batch}")).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            if r.body["status"] != "PROCESSING" {
                return r.body.clone();
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("batch {batch} still PROCESSING");
    }

    /// A NEW row for `user` with the agency's code in its bmi.
    pub fn new_row(code: &str, n: u32, user: &str, usd: f64) -> Value {
        json!({"action": "NEW", "businessMessageIdentifier": format!("20251201{code}{n:09}"),
               "userId": user, "requestDate": "2025-12-01T10:00:00.000000+09:00",
               "usdExchangeAmount": usd})
    }
}

use axum::http::StatusCode;
use finhub_testkit::oris::assert_oris;
use finhub_testkit::spawn_app;
use kit::{new_row, open, settled, upload, Chunk, BATCHES};
use serde_json::json;

#[tokio::test]
async fn chunks_are_kept_by_their_hash_and_replayed() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let code = kb.agency.agency_code.clone();
    let r = kb
        .post(
            BATCHES,
            &json!({"name": "remittance_20251007.csv", "batchType": "REMITTANCE",
                    "expectedRows": 3, "source": {"type": "api"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["status"], "CREATED");
    assert_eq!(
        r.body["limits"],
        json!({"maxChunkRows": 5000, "maxChunkBytes": 16777216, "maxChunks": 1000,
               "maxExpectedRows": 1000000})
    );
    let id = r.body["batchId"].as_str().unwrap().to_owned();

    let c0 = Chunk {
        key: Some("5f0c6f0e-8a55-4a39-9d0a-3e3c5b1f0a01".into()),
        ..Chunk::json(&[new_row(&code, 1, "U", 870.0), new_row(&code, 2, "U", 1.5)])
    };
    let first = upload(&kb, &id, "0", &c0).await;
    assert_eq!(first.status, StatusCode::ACCEPTED, "{}", first.text);
    assert_eq!(first.body["status"], "QUEUED");
    assert_eq!(first.body["sha256"], kit::sha(&c0.body).as_str());
    assert_eq!(first.body["acceptedBytes"], c0.body.len());
    let again = upload(&kb, &id, "0", &c0).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body, first.body);

    let other = Chunk::json(&[new_row(&code, 3, "U", 2.0), new_row(&code, 4, "U", 2.0)]);
    let r = upload(&kb, &id, "0", &other).await;
    assert_oris(&r, StatusCode::CONFLICT, "INVALID_REQUEST");
    let bad_hash = Chunk {
        sha256: Some(kit::sha(b"something else")),
        ..other.clone()
    };
    let r = upload(&kb, &id, "1", &bad_hash).await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
    assert_eq!(r.body["message"], "Chunk hash mismatch");
    let miscounted = Chunk {
        query: "rowCount=3".into(),
        ..other.clone()
    };
    let r = upload(&kb, &id, "1", &miscounted).await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
    let d = kb.get(&format!("{BATCHES}/{id}/chunks/1")).await;
    assert_oris(&d, StatusCode::NOT_FOUND, "BATCH_CHUNK_NOT_FOUND");
}

#[tokio::test]
async fn the_detail_and_the_list_show_the_batch_and_its_chunks() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let code = kb.agency.agency_code.clone();
    let r = kb
        .post(
            BATCHES,
            &json!({"name": "remittance_20251007.csv", "batchType": "REMITTANCE",
                    "expectedRows": 3, "source": {"type": "file", "fileName": "r.csv",
                    "fileSize": 120}, "notes": "december"}),
        )
        .await;
    let id = r.body["batchId"].as_str().unwrap().to_owned();
    let c0 = Chunk::json(&[new_row(&code, 1, "U", 870.0), new_row(&code, 2, "U", 1.5)]);
    assert_eq!(
        upload(&kb, &id, "0", &c0).await.status,
        StatusCode::ACCEPTED
    );
    let csv = "action,businessMessageIdentifier,userId,requestDate,usdExchangeAmount\n\
               NEW,20251201{code}000000005,U,2025-12-01T10:00:00+09:00,10\n"
        .replace("{code}", &code);
    let r = upload(&kb, &id, "1", &Chunk::csv(&csv, 1)).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);

    let d = kb.get(&format!("{BATCHES}/{id}")).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.text);
    assert_eq!(d.body["status"], "UPLOADING");
    assert_eq!(d.body["batchType"], "REMITTANCE");
    assert_eq!(d.body["expectedRows"], 3);
    assert_eq!(d.body["agencyId"], kb.agency.agency_id.as_str());
    assert_eq!(d.body["progress"]["received"], 3);
    assert_eq!(d.body["limits"]["maxChunkRows"], 5000);
    let chunks = d.body["chunks"].as_array().unwrap();
    assert_eq!(chunks.len(), 2);
    assert_eq!(chunks[0]["uploadType"], "JSON");
    assert_eq!(chunks[0]["fileName"], "0.file.v1.json.gz");
    assert_eq!(chunks[0]["status"], "QUEUED");
    assert_eq!(chunks[1]["uploadType"], "CSV");
    assert_eq!(chunks[1]["rowCountDeclared"], 1);
    assert_eq!(chunks[1]["rowCountReceived"], 1);
    let one = kb.get(&format!("{BATCHES}/{id}/chunks/1")).await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.text);
    assert_eq!(one.body, chunks[1]);

    let list = kb.get(&format!("{BATCHES}?status=uploading&size=5")).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    let item = &list.body["content"][0];
    assert_eq!(item["id"], id.as_str());
    assert_eq!(item["createdBy"]["id"], kb.agency.member_id.as_str());
    assert!(item["createdBy"]["name"].is_string());
    assert_eq!(
        item["source"],
        json!({"type": "file", "fileName": "r.csv", "fileSize": 120})
    );
    assert_eq!(item["notes"], "december");
    assert_eq!(item["totalCount"], 3);
    assert_eq!(list.body["page"]["totalElements"], 1);
    let none = kb.get(&format!("{BATCHES}?status=COMPLETED")).await;
    assert_eq!(none.body["content"], json!([]));
}

#[tokio::test]
async fn batches_are_the_agencys_own() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let other = app.oris_staff(None).await;
    let id = open(&kb, 1).await;
    let unknown = "01JR9JH2S5SG85EJDZK4XYXBV4";
    for path in [
        format!("{BATCHES}/{id}"),
        format!("{BATCHES}/{id}/chunks/0"),
        format!("{BATCHES}/{id}/errors"),
        format!("{BATCHES}/{unknown}"),
    ] {
        let r = other.get(&path).await;
        assert_oris(&r, StatusCode::NOT_FOUND, "BATCH_NOT_FOUND");
    }
    let c = Chunk::json(&[new_row(&kb.agency.agency_code, 1, "U", 1.0)]);
    let r = upload(&other, &id, "0", &c).await;
    assert_oris(&r, StatusCode::NOT_FOUND, "BATCH_NOT_FOUND");
    let r = other
        .post(&format!("{BATCHES}/{id}/complete"), &json!({}))
        .await;
    assert_oris(&r, StatusCode::NOT_FOUND, "BATCH_NOT_FOUND");
    let list = other.get(BATCHES).await;
    assert_eq!(list.body["content"], json!([]));
}

#[tokio::test]
async fn completing_checks_the_chunks_then_applies_them_in_the_background() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let code = kb.agency.agency_code.clone();
    let id = open(&kb, 3).await;
    let r = kb
        .post(&format!("{BATCHES}/{id}/complete"), &json!({}))
        .await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
    let c = Chunk::json(&[new_row(&code, 1, "U", 1.0), new_row(&code, 2, "U", 1.0)]);
    assert_eq!(upload(&kb, &id, "1", &c).await.status, StatusCode::ACCEPTED);
    let r = kb
        .post(&format!("{BATCHES}/{id}/complete"), &json!({}))
        .await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
    assert!(r.body["message"].as_str().unwrap().contains("contiguous"));
    let c0 = Chunk::json(&[json!({"businessMessageIdentifier": "x", "requestDate": "soon"})]);
    assert_eq!(
        upload(&kb, &id, "0", &c0).await.status,
        StatusCode::ACCEPTED
    );
    let r = kb
        .post(&format!("{BATCHES}/{id}/complete"), &json!({}))
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
    assert_eq!(r.body["batchId"], id.as_str());

    let late = Chunk::json(&[new_row(&code, 9, "U", 1.0)]);
    let r = upload(&kb, &id, "2", &late).await;
    assert_oris(&r, StatusCode::CONFLICT, "INVALID_REQUEST");

    let done = settled(&kb, &id).await;
    assert_eq!(done["status"], "COMPLETED_WITH_ERRORS", "{done}");
    assert!(done["completedAt"].as_str().unwrap().ends_with("+09:00"));
    let p = &done["progress"];
    assert_eq!(p["received"], 3);
    assert_eq!(p["validated"], 3);
    assert_eq!(
        p["merged"].as_i64().unwrap() + p["errors"].as_i64().unwrap(),
        3
    );
    assert!(done["chunks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["status"] == "COMPLETED"));

    let errs = kb.get(&format!("{BATCHES}/{id}/errors?size=100")).await;
    assert_eq!(errs.status, StatusCode::OK, "{}", errs.text);
    let first = &errs.body["content"][0];
    assert_eq!(first["seq"], 0);
    assert_eq!(first["rowIndex"], 0);
    assert_eq!(first["businessMessageIdentifier"], "x");
    assert_eq!(first["code"], "INVALID_REQUEST");
    assert!(first["message"].as_str().unwrap().contains("requestDate"));

    let list = kb
        .get(&format!("{BATCHES}?status=completed_with_errors"))
        .await;
    assert_eq!(list.body["content"][0]["id"], id.as_str());
    // A second B3 on a finished batch answers its state.
    let r = kb
        .post(&format!("{BATCHES}/{id}/complete"), &json!({}))
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    assert_eq!(r.body["status"], "COMPLETED_WITH_ERRORS");
}

#[tokio::test]
async fn a_viewer_may_read_but_not_upload_and_scopes_are_checked() {
    use finhub_core::oris::login::hash_password;
    use finhub_core::oris::staff::{Member, MemberStatus, StaffRepo, VIEWER_GROUP};
    use finhub_testkit::oris::PASSWORD;

    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let id = open(&kb, 1).await;
    let now = app.clock.now();
    let viewer = Member {
        member_id: finhub_core::oris::ids::new_ulid(now),
        agency_id: kb.agency.agency_id.clone(),
        email: "viewer@kb.example".into(),
        name: "조회자".into(),
        phone: "010-0000-0000".into(),
        department: "감사".into(),
        description: None,
        group_id: VIEWER_GROUP.into(),
        status: MemberStatus::Active,
        password_hash: hash_password(PASSWORD).await.unwrap(),
        password_changed_at: now,
        must_change: false,
        failed_logins: 0,
        locked: false,
        last_login_at: None,
        created_at: now,
    };
    app.store.insert_member(&viewer).await.unwrap();
    let mut agency = kb.agency.clone();
    agency.email = viewer.email.clone();
    agency.password = PASSWORD.into();
    let v = app.oris_member(agency).await;
    v.sign_pledge().await;
    let c = Chunk::json(&[new_row(&kb.agency.agency_code, 1, "U", 1.0)]);
    let r = upload(&v, &id, "0", &c).await;
    assert_oris(&r, StatusCode::FORBIDDEN, "MEMBER_ACCESS_DENIED");
    assert_eq!(
        v.get(&format!("{BATCHES}/{id}")).await.status,
        StatusCode::OK
    );

    let login = app
        .oris_login(&kb.agency.email, &kb.agency.password, Some("inquiry"))
        .await;
    let mut inquiry = app.oris_member(kb.agency.clone()).await;
    inquiry.access = login.body["accessToken"].as_str().unwrap().to_owned();
    let r = inquiry
        .post(
            BATCHES,
            &json!({"name": "n", "batchType": "REMITTANCE", "expectedRows": 1,
                    "source": {"type": "api"}}),
        )
        .await;
    assert_oris(
        &r,
        StatusCode::FORBIDDEN,
        "ACCESS_TOKEN_NOT_ENOUGH_PERMISSION",
    );
    // B2 needs only `inquiry` (with BATCH_WRITE).
    let r = upload(&inquiry, &id, "0", &c).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
}

#[tokio::test]
async fn bad_requests_answer_springs_words_and_the_limits() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let id = open(&kb, 10).await;
    let c = Chunk::json(&[new_row(&kb.agency.agency_code, 1, "U", 1.0)]);
    let no_hash = Chunk {
        sha256: Some(String::new()),
        ..c.clone()
    };
    let r = upload(&kb, &id, "0", &no_hash).await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "BAD_REQUEST");
    assert!(r.body["message"]
        .as_str()
        .unwrap()
        .contains("X-Chunk-SHA256"));
    let no_count = Chunk {
        query: String::new(),
        ..c.clone()
    };
    let r = upload(&kb, &id, "0", &no_count).await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "BAD_REQUEST");
    let xml = Chunk {
        query: "type=XML&rowCount=1".into(),
        ..c.clone()
    };
    let r = upload(&kb, &id, "0", &xml).await;
    assert_eq!(r.body["message"], "Invalid argument");
    let r = upload(&kb, &id, "abc", &c).await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "BAD_REQUEST");
    assert!(r.body["message"]
        .as_str()
        .unwrap()
        .starts_with("Failed to convert value of type 'java.lang.String' to required type '"));
    let r = upload(&kb, &id, "1000", &c).await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
    let broken = Chunk {
        body: kit::gzip(b"[{"),
        ..c.clone()
    };
    let r = upload(&kb, &id, "0", &broken).await;
    assert_eq!(r.body["message"], "Malformed JSON request");
    let not_gzip = Chunk {
        body: b"[]".to_vec(),
        ..c.clone()
    };
    let r = upload(&kb, &id, "0", &not_gzip).await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
    let csv = Chunk::csv("action,userId\nNEW,U\n", 1);
    let r = upload(&kb, &id, "0", &csv).await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
}

#[tokio::test]
async fn opening_and_listing_refuse_bad_values() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let r = kb
        .post(BATCHES, &json!({"name": "n", "batchType": "REMITTANCE"}))
        .await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "BAD_REQUEST");
    assert!(r.body["message"]
        .as_str()
        .unwrap()
        .starts_with("Validation failed for argument at index 0 in method"));
    for body in [
        json!({"name": "n", "batchType": "OTHER", "expectedRows": 1, "source": {"type": "api"}}),
        json!({"name": "n", "batchType": "REMITTANCE", "expectedRows": 1000001,
               "source": {"type": "api"}}),
        json!({"name": "n", "batchType": "REMITTANCE", "expectedRows": 1,
               "source": {"type": "ftp"}}),
    ] {
        let r = kb.post(BATCHES, &body).await;
        assert_oris(&r, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
    }
    for q in [
        "size=0",
        "size=101",
        "sort=createdAt,UP",
        "status=DONE",
        "page=abc",
    ] {
        let r = kb.get(&format!("{BATCHES}?{q}")).await;
        assert_oris(&r, StatusCode::BAD_REQUEST, "BAD_REQUEST");
    }
}

mod real {
    use super::kit::{upload, Chunk, BATCHES};
    use finhub_testkit::oris::OrisStaff;
    use serde_json::{json, Value};

    pub const AT: &str = "2025-12-01T10:00:00.000000+09:00";
    pub const LATER: &str = "2025-12-02T09:30:00.000000+09:00";

    /// U1 a remitter; its userId.
    pub async fn remitter(s: &OrisStaff<'_>, number: &str) -> String {
        let r = s
            .post(
                "/api/oris/v1/users",
                &json!({"userType": "내국인", "userName": "류가람", "userCountry": "KR",
                        "identityType": "RRN", "identityNumber": number, "birthDate": "19900101"}),
            )
            .await;
        assert!(r.status.is_success(), "{}", r.text);
        r.body["userId"].as_str().unwrap().to_owned()
    }

    pub fn bmi(s: &OrisStaff<'_>, n: u32) -> String {
        format!("20251201{}{n:09}", s.agency.agency_code)
    }

    /// A batch of two JSON chunks of two NEW rows each (bmi 1..=4), closed
    /// in the store as B3 closes it, with no job started: what a process
    /// that died right after B3 leaves.
    pub async fn closed_batch(s: &OrisStaff<'_>, user: &str) -> String {
        use finhub_core::oris::batch::BatchRepo;
        let id = super::kit::open(s, 4).await;
        for seq in 0..2u32 {
            let rows: Vec<Value> = (1..=2)
                .map(|k| super::kit::new_row(&s.agency.agency_code, seq * 2 + k, user, 100.0))
                .collect();
            let r = upload(s, &id, &seq.to_string(), &Chunk::json(&rows)).await;
            assert_eq!(r.status, axum::http::StatusCode::ACCEPTED, "{}", r.text);
        }
        assert!(s.app.store.close_batch(&id, 2, 4).await.unwrap());
        let d = s.get(&format!("{BATCHES}/{id}")).await;
        assert_eq!(d.body["status"], "PROCESSING");
        id
    }

    /// R1 for bmi `n`, as the dead process's first chunk had applied it.
    pub async fn reported(s: &OrisStaff<'_>, user: &str, n: u32) {
        let r = s
            .post(
                "/api/oris/v1/remittances",
                &json!({"businessMessageIdentifier": bmi(s, n), "userId": user,
                        "requestDate": AT, "usdExchangeAmount": 100}),
            )
            .await;
        assert_eq!(r.status, axum::http::StatusCode::CREATED, "{}", r.text);
    }
    /// Eight rows over two chunks, completed: NEW 1, NEW 2, NEW for an
    /// unknown remitter, NEW 1 again, NEW with another agency's code; then
    /// (CSV) CORRECT 1, RETURN 2, a NEW with an unreadable date.
    pub async fn mixed_batch(kb: &OrisStaff<'_>, user: &str) -> String {
        use super::kit::open;
        use axum::http::StatusCode;
        let id = open(kb, 8).await;
        let row = |n: u32, u: &str, usd: f64| {
            json!({"action": "NEW", "businessMessageIdentifier": bmi(kb, n), "userId": u,
               "requestDate": AT, "usdExchangeAmount": usd})
        };
        let mut foreign = row(9, user, 5.0);
        foreign["businessMessageIdentifier"] = json!("202512019999000000009");
        let c0 = Chunk::json(&[
            row(1, user, 870.0),
            row(2, user, 100.0),
            row(3, "01JR9JH2S5SG85EJDZK4XYXBV4", 5.0),
            row(1, user, 870.0),
            foreign,
        ]);
        assert_eq!(upload(kb, &id, "0", &c0).await.status, StatusCode::ACCEPTED);
        let csv = format!(
            "action,businessMessageIdentifier,userId,requestDate,usdExchangeAmount\n\
         CORRECT,{b1},,{LATER},900\nRETURN,{b2},,{LATER},\nNEW,{b4},{user},soon,1\n",
            b1 = bmi(kb, 1),
            b2 = bmi(kb, 2),
            b4 = bmi(kb, 4)
        );
        assert_eq!(
            upload(kb, &id, "1", &Chunk::csv(&csv, 3)).await.status,
            StatusCode::ACCEPTED
        );
        let r = kb
            .post(&format!("{BATCHES}/{id}/complete"), &json!({}))
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
        id
    }
}

#[tokio::test]
async fn a_completed_batch_applies_new_corrected_and_returned_rows_and_lists_the_refused() {
    use finhub_core::oris::remit::{RemitRepo, RemitStatus};
    use real::{bmi, remitter};
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let user = remitter(&kb, "9001011234567").await;
    let id = real::mixed_batch(&kb, &user).await;
    let done = settled(&kb, &id).await;
    assert_eq!(done["status"], "COMPLETED_WITH_ERRORS", "{done}");
    assert_eq!(
        done["progress"],
        json!({"received": 8, "validated": 8, "merged": 4, "errors": 4})
    );

    let errs = kb.get(&format!("{BATCHES}/{id}/errors?size=100")).await;
    let got: Vec<(i64, i64, String)> = errs.body["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let (s, i) = (e["seq"].as_i64().unwrap(), e["rowIndex"].as_i64().unwrap());
            (s, i, e["code"].as_str().unwrap().to_owned())
        })
        .collect();
    let want = [
        (0, 2, "USER_NOT_FOUND"),
        (0, 3, "REMITTANCE_ALREADY_EXISTS"),
        (0, 4, "AGENCY_NOT_MATCH"),
        (1, 2, "INVALID_REQUEST"),
    ];
    let want: Vec<(i64, i64, String)> = want
        .iter()
        .map(|(s, i, c)| (*s, *i, c.to_string()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(
        errs.body["content"][0]["businessMessageIdentifier"],
        bmi(&kb, 3).as_str()
    );
    let page = kb
        .get(&format!("{BATCHES}/{id}/errors?size=2&page=1"))
        .await;
    assert_eq!(page.body["content"][0]["code"], "AGENCY_NOT_MATCH");
    assert_eq!(page.body["page"]["totalElements"], 4);

    let one = app.store.remittance(&bmi(&kb, 1)).await.unwrap().unwrap();
    assert_eq!(
        (one.status, one.usd_cents),
        (RemitStatus::Corrected, 90_000)
    );
    let two = app.store.remittance(&bmi(&kb, 2)).await.unwrap().unwrap();
    assert_eq!(two.status, RemitStatus::Returned);
    let list = kb.get(BATCHES).await;
    assert_eq!(list.body["content"][0]["successCount"], 4);
    assert_eq!(list.body["content"][0]["failureCount"], 4);
}

#[tokio::test]
async fn a_batch_left_processing_is_resumed_at_start_without_counting_its_own_rows_twice() {
    use finhub_core::oris::batch::{BatchRepo, ChunkStatus};
    use finhub_testkit::TestApp;
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let user = real::remitter(&kb, "9001011234567").await;
    // Reported before the batch: its row stays a duplicate.
    real::reported(&kb, &user, 1).await;
    let id = real::closed_batch(&kb, &user).await;
    // The dead process had applied chunk 0 but not yet marked it.
    real::reported(&kb, &user, 2).await;
    app.store
        .set_chunk_status(&id, 0, ChunkStatus::Validating)
        .await
        .unwrap();
    // A new process over the same database resumes it.
    let restarted = TestApp::builder().store(app.store.clone()).spawn().await;
    let done = settled(&kb, &id).await;
    assert_eq!(done["status"], "COMPLETED_WITH_ERRORS", "{done}");
    assert_eq!(
        done["progress"],
        json!({"received": 4, "validated": 4, "merged": 3, "errors": 1})
    );
    let errs = kb.get(&format!("{BATCHES}/{id}/errors")).await;
    assert_eq!(errs.body["content"][0]["rowIndex"], 0);
    assert_eq!(errs.body["content"][0]["code"], "REMITTANCE_ALREADY_EXISTS");
    drop(restarted);
}

#[tokio::test]
async fn a_second_complete_resumes_after_the_last_merged_chunk() {
    use finhub_core::oris::batch::{BatchRepo, ChunkOutcome};
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let user = real::remitter(&kb, "9001011234567").await;
    let id = real::closed_batch(&kb, &user).await;
    real::reported(&kb, &user, 1).await;
    real::reported(&kb, &user, 2).await;
    let outcome = ChunkOutcome {
        seq: 0,
        merged: 2,
        errors: Vec::new(),
        at: app.clock.now(),
    };
    app.store.finish_chunk(&id, &outcome).await.unwrap();
    // Marking it again changes nothing: a chunk is counted once.
    app.store.finish_chunk(&id, &outcome).await.unwrap();
    let r = kb
        .post(&format!("{BATCHES}/{id}/complete"), &json!({}))
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
    let done = settled(&kb, &id).await;
    assert_eq!(done["status"], "COMPLETED", "{done}");
    assert_eq!(done["progress"]["merged"], 4);
    assert_eq!(done["progress"]["errors"], 0);
    let errs = kb.get(&format!("{BATCHES}/{id}/errors")).await;
    assert_eq!(errs.body["content"], json!([]));
}

#[tokio::test]
async fn a_large_chunk_applied_in_parts_keeps_each_refusal_at_its_row() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let user = real::remitter(&kb, "9001011234567").await;
    let code = kb.agency.agency_code.clone();
    let n = 450u32;
    let rows: Vec<serde_json::Value> = (0..n)
        .map(|i| match i {
            i if i % 150 == 3 => json!({"businessMessageIdentifier": real::bmi(&kb, i + 1)}),
            i if i % 100 == 7 => new_row(&code, i + 1, "01JR9JH2S5SG85EJDZK4XYXBV4", 1.0),
            i => new_row(&code, i + 1, &user, 1.0),
        })
        .collect();
    let id = open(&kb, i64::from(n)).await;
    assert_eq!(
        upload(&kb, &id, "0", &Chunk::json(&rows)).await.status,
        StatusCode::ACCEPTED
    );
    let r = kb
        .post(&format!("{BATCHES}/{id}/complete"), &json!({}))
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
    let done = settled(&kb, &id).await;
    let want: Vec<(u32, &str)> = (0..n)
        .filter_map(|i| match i {
            i if i % 150 == 3 => Some((i, "INVALID_REQUEST")),
            i if i % 100 == 7 => Some((i, "USER_NOT_FOUND")),
            _ => None,
        })
        .collect();
    assert_eq!(done["progress"]["errors"], want.len());
    assert_eq!(done["progress"]["merged"], n as usize - want.len());
    let errs = kb.get(&format!("{BATCHES}/{id}/errors?size=100")).await;
    let got: Vec<(u32, String)> = errs.body["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let i = e["rowIndex"].as_u64().unwrap() as u32;
            (i, e["code"].as_str().unwrap().to_owned())
        })
        .collect();
    let want: Vec<(u32, String)> = want.into_iter().map(|(i, c)| (i, c.to_owned())).collect();
    assert_eq!(got, want);
}
