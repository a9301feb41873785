//! Boards, posts, comments and files as agencies and the operator use them.

mod kit {
    use axum::body::Body;
    use axum::http::{header, Request};
    use finhub_core::oris::login::hash_password;
    use finhub_core::oris::staff::{Member, MemberStatus, StaffRepo, VIEWER_GROUP};
    use finhub_testkit::http::Resp;
    use finhub_testkit::oris::{OrisAgency, OrisStaff, PASSWORD};
    use finhub_testkit::TestApp;
    use serde_json::{json, Value};

    /// A card company, pledge signed.
    pub async fn card(app: &TestApp) -> OrisStaff<'_> {
        let a = app
            .oris_agency(json!({"agencyName": "한빛카드", "agencyType": "카드사",
                                "admin": {"password": PASSWORD}}))
            .await;
        signed(app, a).await
    }

    async fn signed(app: &TestApp, a: OrisAgency) -> OrisStaff<'_> {
        let s = app.oris_member(a).await;
        s.sign_pledge().await;
        s
    }

    /// A VIEWER member of `of`'s agency, signed in with the pledge signed
    /// (put in the store directly: member management is not this area's).
    pub async fn viewer<'a>(app: &'a TestApp, of: &OrisStaff<'_>) -> OrisStaff<'a> {
        let now = app.clock.now();
        let email = format!("viewer.{}@example.com", of.agency.agency_code);
        let m = Member {
            member_id: finhub_core::oris::ids::new_ulid(now),
            agency_id: of.agency.agency_id.clone(),
            email: email.clone(),
            name: "조회 담당".into(),
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
        app.store.insert_member(&m).await.unwrap();
        let agency = OrisAgency {
            email,
            password: PASSWORD.into(),
            member_id: m.member_id,
            ..of.agency.clone()
        };
        signed(app, agency).await
    }

    /// The operator opens a board; its id.
    pub async fn board(op: &OrisStaff<'_>, name: &str, visibility: &str) -> String {
        let r = op
            .post(
                "/api/oris/v1/threads",
                &json!({"name": name, "visibility": visibility}),
            )
            .await;
        assert_eq!(r.status, axum::http::StatusCode::CREATED, "{}", r.text);
        r.body["threadId"].as_str().unwrap().to_owned()
    }

    /// A post on a board; the whole answer.
    pub async fn post(s: &OrisStaff<'_>, thread: &str, title: &str) -> Value {
        let r = s
            .post(
                &format!("/api/oris/v1/threads/{thread}/posts"),
                &json!({"title": title, "content": "내용"}),
            )
            .await;
        assert_eq!(r.status, axum::http::StatusCode::CREATED, "{}", r.text);
        r.body
    }

    const BOUNDARY: &str = "finhub-test-boundary";

    /// POST /files with one part named `part`.
    pub async fn upload(s: &OrisStaff<'_>, part: &str, name: &str, bytes: &[u8]) -> Resp {
        let mut body = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{part}\"; \
             filename=\"{name}\"\r\nContent-Type: text/plain\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
        let req = Request::post("/api/oris/v1/files")
            .header(header::AUTHORIZATION, format!("Bearer {}", s.access))
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(Body::from(body))
            .unwrap();
        s.app.send(req).await
    }

    /// An uploaded file's id.
    pub async fn file(s: &OrisStaff<'_>, name: &str) -> String {
        let r = upload(s, "file", name, b"hello").await;
        assert_eq!(r.status, axum::http::StatusCode::CREATED, "{}", r.text);
        r.body["fileId"].as_str().unwrap().to_owned()
    }
}

use axum::http::{header, StatusCode};
use finhub_testkit::oris::assert_oris;
use finhub_testkit::spawn_app;
use kit::{board, card, file, post, upload, viewer};
use serde_json::json;

const NOBODY: &str = "01JA0000000000000000000XX1";

#[tokio::test]
async fn only_the_operator_opens_a_board() {
    let app = spawn_app().await;
    let op = app.oris_operator().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let r = kb
        .post(
            "/api/oris/v1/threads",
            &json!({"name": "x", "visibility": "ALL"}),
        )
        .await;
    assert_oris(&r, StatusCode::FORBIDDEN, "FORBIDDEN");
    let r = op
        .post(
            "/api/oris/v1/threads",
            &json!({"name": "x", "visibility": "EVERYONE"}),
        )
        .await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "BAD_REQUEST");
    assert_eq!(r.body["message"], "Invalid argument");
    let r = op
        .post("/api/oris/v1/threads", &json!({"visibility": "ALL"}))
        .await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "BAD_REQUEST");

    let r = op
        .post(
            "/api/oris/v1/threads",
            &json!({"name": "공지", "visibility": "ALL"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["name"], "공지");
    assert_eq!(r.body["visibility"], "ALL");
    assert!(r.body["threadId"].as_str().unwrap().len() == 26);
}

#[tokio::test]
async fn each_agency_sees_only_its_boards() {
    let app = spawn_app().await;
    let op = app.oris_operator().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let cards = card(&app).await;
    let all = board(&op, "공지사항", "ALL").await;
    let ops = board(&op, "운영", "OPERATOR").await;
    let card_only = board(&op, "카드사 Q&A", "카드사").await;

    let ids = |r: &finhub_testkit::http::Resp| -> Vec<String> {
        r.body["content"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["threadId"].as_str().unwrap().to_owned())
            .collect()
    };
    let seen = op.get("/api/oris/v1/threads").await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.text);
    assert_eq!(
        ids(&seen),
        vec![all.clone(), ops.clone(), card_only.clone()]
    );
    assert_eq!(seen.body["content"][2]["visibility"], "카드사");
    assert_eq!(
        ids(&kb.get("/api/oris/v1/threads").await),
        vec![all.clone()]
    );
    let card_seen = cards.get("/api/oris/v1/threads").await;
    assert_eq!(ids(&card_seen), vec![all.clone(), card_only.clone()]);

    let one = kb.get(&format!("/api/oris/v1/threads/{all}")).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.body["name"], "공지사항");
    for path in [
        format!("/api/oris/v1/threads/{ops}"),
        format!("/api/oris/v1/threads/{card_only}"),
        format!("/api/oris/v1/threads/{card_only}/posts"),
    ] {
        assert_oris(
            &kb.get(&path).await,
            StatusCode::FORBIDDEN,
            "THREAD_ACCESS_DENIED",
        );
    }
    let r = kb
        .post(
            &format!("/api/oris/v1/threads/{ops}/posts"),
            &json!({"title": "t", "content": "c"}),
        )
        .await;
    assert_oris(&r, StatusCode::FORBIDDEN, "THREAD_ACCESS_DENIED");
    let r = kb.get(&format!("/api/oris/v1/threads/{NOBODY}")).await;
    assert_oris(&r, StatusCode::NOT_FOUND, "THREAD_NOT_FOUND");
    let r = kb
        .post(
            &format!("/api/oris/v1/threads/{NOBODY}/posts"),
            &json!({"title": "t", "content": "c"}),
        )
        .await;
    assert_oris(&r, StatusCode::NOT_FOUND, "THREAD_NOT_FOUND");
}

#[tokio::test]
async fn only_the_author_or_the_operator_changes_a_post() {
    let app = spawn_app().await;
    let op = app.oris_operator().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let cards = card(&app).await;
    let all = board(&op, "공지사항", "ALL").await;
    let p = post(&kb, &all, "첫 글").await;
    assert_eq!(p["threadId"], all.as_str());
    assert_eq!(p["authorId"], kb.agency.member_id.as_str());
    assert_eq!(p["agencyId"], kb.agency.agency_id.as_str());
    assert_eq!(p["files"], json!([]));
    assert!(p["createdAt"].as_str().unwrap().ends_with("+09:00"));
    let id = p["postId"].as_str().unwrap().to_owned();
    let path = format!("/api/oris/v1/posts/{id}");

    let read = cards.get(&path).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text);
    assert_eq!(read.body["title"], "첫 글");
    let list = cards
        .get(&format!("/api/oris/v1/threads/{all}/posts"))
        .await;
    assert_eq!(list.body["content"][0]["postId"], id.as_str());
    assert_eq!(list.body["page"]["totalElements"], 1);

    let edit = json!({"title": "고친 글", "content": "새 내용"});
    assert_oris(
        &cards.put(&path, &edit).await,
        StatusCode::FORBIDDEN,
        "POST_ACCESS_DENIED",
    );
    assert_oris(
        &cards.delete(&path).await,
        StatusCode::FORBIDDEN,
        "POST_ACCESS_DENIED",
    );
    let r = kb.put(&path, &edit).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["title"], "고친 글");
    let r = op
        .put(&path, &json!({"title": "운영자 수정", "content": "c"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = kb.put(&path, &json!({"title": " ", "content": "c"})).await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "BAD_REQUEST");

    let gone = format!("/api/oris/v1/posts/{NOBODY}");
    assert_oris(
        &kb.get(&gone).await,
        StatusCode::NOT_FOUND,
        "POST_NOT_FOUND",
    );
    assert_oris(
        &kb.put(&gone, &edit).await,
        StatusCode::NOT_FOUND,
        "POST_NOT_FOUND",
    );
    assert_eq!(kb.delete(&path).await.status, StatusCode::NO_CONTENT);
    assert_oris(
        &kb.get(&path).await,
        StatusCode::NOT_FOUND,
        "POST_NOT_FOUND",
    );
    let other = post(&kb, &all, "둘째 글").await;
    let r = op
        .delete(&format!(
            "/api/oris/v1/posts/{}",
            other["postId"].as_str().unwrap()
        ))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn comments_are_changed_by_their_author_or_the_operator() {
    let app = spawn_app().await;
    let op = app.oris_operator().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let cards = card(&app).await;
    let all = board(&op, "Q&A", "ALL").await;
    let p = post(&kb, &all, "질문").await;
    let comments = format!(
        "/api/oris/v1/posts/{}/comments",
        p["postId"].as_str().unwrap()
    );

    let c = cards.post(&comments, &json!({"content": "답변"})).await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.text);
    assert_eq!(c.body["postId"], p["postId"]);
    assert_eq!(c.body["authorId"], cards.agency.member_id.as_str());
    let path = format!(
        "/api/oris/v1/comments/{}",
        c.body["commentId"].as_str().unwrap()
    );
    let list = kb.get(&comments).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    assert_eq!(list.body["content"][0]["content"], "답변");

    let edit = json!({"content": "고친 답변"});
    assert_oris(
        &kb.put(&path, &edit).await,
        StatusCode::FORBIDDEN,
        "COMMENT_ACCESS_DENIED",
    );
    assert_oris(
        &kb.delete(&path).await,
        StatusCode::FORBIDDEN,
        "COMMENT_ACCESS_DENIED",
    );
    let r = cards.put(&path, &edit).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["content"], "고친 답변");
    assert_eq!(op.delete(&path).await.status, StatusCode::NO_CONTENT);
    assert_oris(
        &cards.put(&path, &edit).await,
        StatusCode::NOT_FOUND,
        "COMMENT_NOT_FOUND",
    );
    assert_oris(
        &cards.delete(&path).await,
        StatusCode::NOT_FOUND,
        "COMMENT_NOT_FOUND",
    );
    let r = cards
        .post(
            &format!("/api/oris/v1/posts/{NOBODY}/comments"),
            &json!({"content": "x"}),
        )
        .await;
    assert_oris(&r, StatusCode::NOT_FOUND, "POST_NOT_FOUND");
}

#[tokio::test]
async fn files_are_uploaded_downloaded_and_attached_once() {
    let app = spawn_app().await;
    let op = app.oris_operator().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let cards = card(&app).await;
    let all = board(&op, "자료실", "ALL").await;

    let up = upload(&kb, "file", "보고서.txt", b"remittance report").await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.text);
    assert_eq!(up.body["fileName"], "보고서.txt");
    assert_eq!(up.body["size"], 17);
    assert_eq!(up.body["contentType"], "text/plain");
    let id = up.body["fileId"].as_str().unwrap().to_owned();
    let path = format!("/api/oris/v1/files/{id}");

    let got = kb.get(&path).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.text, "remittance report");
    assert_eq!(got.headers[header::CONTENT_TYPE], "text/plain");
    // Another agency's file, not attached yet.
    assert_oris(
        &cards.get(&path).await,
        StatusCode::FORBIDDEN,
        "FILE_ACCESS_DENIED",
    );

    let p = post(&kb, &all, "첨부 글").await;
    let attach = format!(
        "/api/oris/v1/posts/{}/files/{id}",
        p["postId"].as_str().unwrap()
    );
    let r = kb.post(&attach, &json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["files"][0]["fileId"], id.as_str());
    assert_eq!(r.body["files"][0]["size"], 17);
    assert_oris(
        &kb.post(&attach, &json!({})).await,
        StatusCode::CONFLICT,
        "FILE_ALREADY_ATTACHED",
    );
    // Attached to a post the card company may read: it may download it.
    let got = cards.get(&path).await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.text);
    assert_eq!(got.text, "remittance report");
    assert_oris(
        &kb.delete(&path).await,
        StatusCode::CONFLICT,
        "FILE_DELETE_FAILED",
    );
    let listed = cards
        .get(&format!("/api/oris/v1/threads/{all}/posts"))
        .await;
    assert_eq!(listed.body["content"][0]["files"][0]["fileId"], id.as_str());

    // The post goes, and its file with it.
    let post_path = format!("/api/oris/v1/posts/{}", p["postId"].as_str().unwrap());
    assert_eq!(kb.delete(&post_path).await.status, StatusCode::NO_CONTENT);
    assert_oris(
        &kb.get(&path).await,
        StatusCode::NOT_FOUND,
        "FILE_NOT_FOUND",
    );
}

#[tokio::test]
async fn a_file_is_its_agencys_to_attach_and_delete() {
    let app = spawn_app().await;
    let op = app.oris_operator().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let cards = card(&app).await;
    let all = board(&op, "자료실", "ALL").await;
    let kb_file = file(&kb, "a.txt").await;
    let card_post = post(&cards, &all, "카드사 글").await;
    let card_post = card_post["postId"].as_str().unwrap();
    let kb_post = post(&kb, &all, "은행 글").await;
    let kb_post = kb_post["postId"].as_str().unwrap();

    let r = cards
        .post(
            &format!("/api/oris/v1/posts/{card_post}/files/{kb_file}"),
            &json!({}),
        )
        .await;
    assert_oris(&r, StatusCode::FORBIDDEN, "FILE_ACCESS_DENIED");
    let card_file = file(&cards, "b.txt").await;
    let r = cards
        .post(
            &format!("/api/oris/v1/posts/{kb_post}/files/{card_file}"),
            &json!({}),
        )
        .await;
    assert_oris(&r, StatusCode::FORBIDDEN, "POST_ACCESS_DENIED");
    let r = kb
        .post(
            &format!("/api/oris/v1/posts/{kb_post}/files/{NOBODY}"),
            &json!({}),
        )
        .await;
    assert_oris(&r, StatusCode::NOT_FOUND, "FILE_NOT_FOUND");
    let r = cards.delete(&format!("/api/oris/v1/files/{kb_file}")).await;
    assert_oris(&r, StatusCode::FORBIDDEN, "FILE_ACCESS_DENIED");
    let r = kb.get(&format!("/api/oris/v1/files/{NOBODY}")).await;
    assert_oris(&r, StatusCode::NOT_FOUND, "FILE_NOT_FOUND");
    let r = kb.delete(&format!("/api/oris/v1/files/{NOBODY}")).await;
    assert_oris(&r, StatusCode::NOT_FOUND, "FILE_NOT_FOUND");

    let r = kb.delete(&format!("/api/oris/v1/files/{kb_file}")).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = kb.get(&format!("/api/oris/v1/files/{kb_file}")).await;
    assert_oris(&r, StatusCode::NOT_FOUND, "FILE_NOT_FOUND");
    // The operator may read any agency's file.
    let r = op.get(&format!("/api/oris/v1/files/{card_file}")).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn uploads_need_the_file_part_and_some_bytes() {
    let app = spawn_app().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let r = upload(&kb, "attachment", "a.txt", b"x").await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "BAD_REQUEST");
    assert_eq!(
        r.body["message"],
        "Required request part 'file' is not present"
    );
    let r = upload(&kb, "file", "a.txt", b"").await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
    let r = kb.post("/api/oris/v1/files", &json!({"file": "x"})).await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "BAD_REQUEST");
    // Over the file limit, inside the body limit: the registry refuses it.
    let big = vec![b'a'; finhub_core::oris::board::FILE_MAX_BYTES + 1];
    let r = upload(&kb, "file", "big.bin", &big).await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
    // Over the server's body limit: the shell's 413, in the registry's body.
    let huge = vec![b'a'; finhub_oris::MAX_UPLOAD_BYTES + 1];
    let r = upload(&kb, "file", "huge.bin", &huge).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text);
    assert!(r.body["code"].is_string(), "{}", r.text);
}

#[tokio::test]
async fn a_viewer_reads_boards_but_writes_nothing() {
    let app = spawn_app().await;
    let op = app.oris_operator().await;
    let kb = app.oris_staff(Some("BA00000004")).await;
    let all = board(&op, "공지사항", "ALL").await;
    let p = post(&kb, &all, "공지").await;
    let v = viewer(&app, &kb).await;
    assert_eq!(v.get("/api/oris/v1/threads").await.status, StatusCode::OK);
    let r = v
        .get(&format!(
            "/api/oris/v1/posts/{}",
            p["postId"].as_str().unwrap()
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    for r in [
        v.post(
            &format!("/api/oris/v1/threads/{all}/posts"),
            &json!({"title": "t", "content": "c"}),
        )
        .await,
        v.post(
            &format!(
                "/api/oris/v1/posts/{}/comments",
                p["postId"].as_str().unwrap()
            ),
            &json!({"content": "c"}),
        )
        .await,
        upload(&v, "file", "a.txt", b"x").await,
    ] {
        assert_oris(&r, StatusCode::FORBIDDEN, "MEMBER_ACCESS_DENIED");
    }
}

#[tokio::test]
async fn boards_wait_for_the_pledge() {
    let app = spawn_app().await;
    let a = app.oris_agency(json!({"org_code": "BA00000004"})).await;
    let fresh = app.oris_member(a).await;
    let r = fresh.get("/api/oris/v1/threads").await;
    assert_oris(&r, StatusCode::FORBIDDEN, "CONSENT_REQUIRED");
    assert_eq!(r.body["missingConsentType"], "개인정보보호서약서");
}

#[tokio::test]
async fn nul_in_ids_and_texts_is_refused_not_stored() {
    let app = spawn_app().await;
    let op = app.oris_operator().await;
    let all = board(&op, "공지사항", "ALL").await;
    for (path, code) in [
        ("/api/oris/v1/threads/a%00b", "THREAD_NOT_FOUND"),
        ("/api/oris/v1/posts/a%00b", "POST_NOT_FOUND"),
        ("/api/oris/v1/files/a%00b", "FILE_NOT_FOUND"),
        ("/api/oris/v1/terms/a%00b", "TERM_NOT_FOUND"),
    ] {
        assert_oris(&op.get(path).await, StatusCode::NOT_FOUND, code);
    }
    let r = op
        .put("/api/oris/v1/comments/a%00b", &json!({"content": "c"}))
        .await;
    assert_oris(&r, StatusCode::NOT_FOUND, "COMMENT_NOT_FOUND");
    let r = op
        .post(
            &format!("/api/oris/v1/threads/{all}/posts"),
            &json!({"title": "a\u{0}b", "content": "c"}),
        )
        .await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "BAD_REQUEST");
    let r = op
        .post(
            "/api/oris/v1/terms",
            &json!({"termType": "개인정보제3자제공", "title": "t", "content": "a\u{0}",
                    "version": "1", "required": true}),
        )
        .await;
    assert_oris(&r, StatusCode::BAD_REQUEST, "BAD_REQUEST");
}
