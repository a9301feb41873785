//! The login, consent and error pages speak Korean, and English to a
//! browser that prefers it (`Accept-Language`), for KFTC and MyData alike.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use finhub_testkit::http::{field, form_body, Resp};
use finhub_testkit::mydata::tran_id;
use finhub_testkit::{spawn_app, TestApp, REDIRECT};

const EN: &str = "en-US,en;q=0.9";
const KO: &str = "ko-KR,ko;q=0.9,en;q=0.5";

async fn get_lang(app: &TestApp, uri: &str, lang: Option<&str>, tran: Option<&str>) -> Resp {
    let mut b = Request::get(uri);
    if let Some(l) = lang {
        b = b.header(header::ACCEPT_LANGUAGE, l);
    }
    if let Some(t) = tran {
        b = b.header("x-api-tran-id", t);
    }
    app.send(b.body(Body::empty()).unwrap()).await
}

fn has_all(r: &Resp, texts: &[&str]) {
    for t in texts {
        assert!(r.text.contains(t), "{t:?} not in {}", r.text);
    }
}

fn has_none(r: &Resp, texts: &[&str]) {
    for t in texts {
        assert!(!r.text.contains(t), "{t:?} in {}", r.text);
    }
}

#[tokio::test]
async fn kftc_pages_are_korean_unless_english_is_asked_for() {
    let app = spawn_app().await;
    let k = app.kftc_client("핀테크").await;
    let p = app.sandbox_person("한국어", "010-4000-0001", 10_000).await;
    let q = form_body(&[
        ("response_type", "code"),
        ("client_id", &k.id),
        ("redirect_uri", REDIRECT),
        ("scope", "login inquiry"),
        ("state", "s1"),
        ("auth_type", "0"),
    ]);
    let uri = format!("/oauth/2.0/authorize?{q}");
    for (lang, login_words, consent_words, wrong) in [
        (
            None,
            [
                "lang=\"ko\"",
                "<title>로그인</title>",
                "휴대폰 번호 또는 사용자 ID",
                "계좌, 잔액, 거래내역 조회",
            ],
            [
                "동의</button>",
                "거부</button>",
                "공유할 계좌",
                "님, 안녕하세요",
            ],
            "아이디 또는 비밀번호가 올바르지 않습니다.",
        ),
        (
            Some(KO),
            [
                "lang=\"ko\"",
                "<title>로그인</title>",
                "비밀번호",
                "본인 확인",
            ],
            [
                "동의</button>",
                "접근을 허용할까요?",
                "공유할 계좌",
                "님, 안녕하세요",
            ],
            "아이디 또는 비밀번호가 올바르지 않습니다.",
        ),
        (
            Some(EN),
            [
                "lang=\"en\"",
                "<title>Log in</title>",
                "Phone number or user id",
                "See your accounts",
            ],
            [
                "Allow</button>",
                "Deny</button>",
                "Accounts to share",
                "Hello, 한국어",
            ],
            "The login or password is not correct.",
        ),
    ] {
        let page = get_lang(&app, &uri, lang, None).await;
        assert_eq!(page.status, StatusCode::OK, "{page}");
        has_all(&page, &login_words);
        let rid = field(&page.text, "request_id");
        let l = lang.unwrap_or("");
        let bad = [
            ("request_id", rid.as_str()),
            ("login", p.phone.as_str()),
            ("password", "nope"),
        ];
        let r = app
            .post_form_lang("/oauth/2.0/authorize/login", &bad, l)
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{r}");
        has_all(&r, &[wrong]);
        let good = [
            ("request_id", rid.as_str()),
            ("login", p.phone.as_str()),
            ("password", p.password.as_str()),
        ];
        let r = app
            .post_form_lang("/oauth/2.0/authorize/login", &good, l)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{r}");
        has_all(&r, &consent_words);
    }
    // Error pages: an unknown request, a client that does not exist.
    let gone = [("request_id", "nope"), ("login", "x"), ("password", "y")];
    let r = app
        .post_form_lang("/oauth/2.0/authorize/login", &gone, "")
        .await;
    has_all(&r, &["요청 만료", "lang=\"ko\""]);
    let r = app
        .post_form_lang("/oauth/2.0/authorize/login", &gone, EN)
        .await;
    has_all(&r, &["Request expired", "lang=\"en\""]);
    let unknown = uri.replace(&k.id, "nobody");
    let r = get_lang(&app, &unknown, None, None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    has_all(&r, &["잘못된 요청", "등록되지 않은 클라이언트입니다."]);
    let r = get_lang(&app, &unknown, Some(EN), None).await;
    has_all(&r, &["Invalid request", "Unknown client."]);
}

#[tokio::test]
async fn the_mydata_consent_page_speaks_both_languages() {
    let app = spawn_app().await;
    let op = app.operator("가계부").await;
    let p = app
        .sandbox_person("이중언어", "010-4000-0002", 10_000)
        .await;
    let tran = tran_id(&op.client.org);
    let uri = op.authorize_uri("BA00000004", "s2", &[("scope", "bank.list bank.deposit")]);
    for (lang, login_words, consent_words, other) in [
        (
            KO,
            [
                "<title>로그인</title>",
                "은행 계좌 목록",
                "예금·적금 계좌 정보와 거래내역",
            ],
            [
                "국민은행 전송요구",
                "전송할 자산",
                "전송요구 종료일",
                "정기적으로 전송",
                "전송 목적",
                "동의</button>",
            ],
            ["Assets to send", "Allow</button>"],
        ),
        (
            EN,
            [
                "<title>Log in</title>",
                "The list of your bank accounts",
                "Deposit and savings accounts",
            ],
            [
                "국민은행: send your data",
                "Assets to send",
                "Consent ends on",
                "Send periodically",
                "Purpose",
                "Allow</button>",
            ],
            ["전송할 자산", "동의</button>"],
        ),
    ] {
        let page = get_lang(&app, &uri, Some(lang), Some(&tran)).await;
        assert_eq!(page.status, StatusCode::OK, "{page}");
        has_all(&page, &login_words);
        let rid = field(&page.text, "request_id");
        let good = [
            ("request_id", rid.as_str()),
            ("login", p.phone.as_str()),
            ("password", p.password.as_str()),
        ];
        let r = app
            .post_form_lang("/oauth/2.0/authorize/login", &good, lang)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{r}");
        has_all(&r, &consent_words);
        has_none(&r, &other);
        // A refused answer comes back in the same language.
        let bad = [
            ("request_id", rid.as_str()),
            ("decision", "allow"),
            ("end_date", "19990101"),
        ];
        let r = app
            .post_form_lang("/oauth/2.0/authorize/consent", &bad, lang)
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{r}");
        has_all(&r, &[consent_words[1]]);
    }
}
