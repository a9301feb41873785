//! One world for the matrix: two KFTC institutions (A and B), a MyData
//! client, people registered with A, and every kind of token a caller can
//! hold, live, expired (by moving the clock) and revoked (RFC 7009).

use crate::helpers::*;
use axum::http::Method;

pub struct World {
    pub t: TestApp,
    /// The institution whose data is at stake.
    pub a: Client,
    /// Another institution.
    pub b: Client,
    /// P: two accounts with A (0: inquiry and transfer; 1: inquiry, to cancel).
    pub p: Person,
    /// Another person of A's (A's token for Q must not reach P).
    pub q: Person,
    /// A person registered with A only to be closed by user/close.
    pub r: Person,
    /// Not yet registered anywhere: user/register's subject.
    pub p2: Person,
    pub user: String,
    pub fin: String,
    pub fin2: String,
    pub r_user: String,
    /// The date the world began (accounts opened), YYYYMMDD.
    pub start_date: String,
    /// A withdrawal of A's: (bank_tran_id, date, amount).
    pub wd: (String, String, String),
    pub tok: Tokens,
}

pub struct Tokens {
    pub a_oob: String,
    pub a_sa: String,
    /// P's token for A: login inquiry transfer.
    pub a_user: UserToken,
    pub a_inq: String,
    pub a_tr: String,
    pub a_user_r: String,
    pub a_user_q: String,
    pub b_oob: String,
    pub b_sa: String,
    /// P's token for B (P never registered with B).
    pub b_user: String,
    pub mydata: String,
    pub exp_oob: String,
    pub exp_sa: String,
    pub exp_user: UserToken,
    pub rev_oob: String,
    pub rev_sa: String,
    pub rev_user: UserToken,
}

pub const ALL_USER: &str = "login inquiry transfer";

pub async fn world() -> World {
    let t = authz_app().await;
    let a = t.kftc_client("핀테크에이").await;
    let b = t.kftc_client("핀테크비").await;
    let m = t.client("mydata", "마이데이터", &["bank.list"]).await;
    let mut p = t.sandbox_person("홍길동", "01020000001", 5_000_000).await;
    t.open_account(&mut p, 300_000).await;
    let q = t.sandbox_person("김영희", "01020000002", 1_000_000).await;
    let r = t.sandbox_person("이철수", "01020000003", 1_000_000).await;
    let p2 = t.sandbox_person("박민수", "01020000004", 1_000_000).await;
    let start_date = t.today();

    // Tokens issued now expire before the rest are issued.
    let exp_oob = t.two_legged(&a, "oob").await;
    let exp_sa = t.two_legged(&a, "sa").await;
    let exp_user = t.user_token(&a, &p, ALL_USER).await;
    t.advance(PAST_EXPIRY_SECS).await;

    let a_oob = t.two_legged(&a, "oob").await;
    let a_sa = t.two_legged(&a, "sa").await;
    let (user, fin) = t.register_both(&a.with_token(&a_sa), (&p, 0)).await;
    let r1 = t.register(&a.with_token(&a_sa), (&p, 1), "inquiry").await;
    assert_eq!(r1.code(), "A0000", "{}", r1.text);
    let fin2 = r1.body["fintech_use_num"].as_str().unwrap().to_owned();
    assert_ne!(fin, fin2);
    let rr = t.register(&a.with_token(&a_sa), (&r, 0), "inquiry").await;
    assert_eq!(rr.code(), "A0000", "{}", rr.text);
    let r_user = rr.body["user_seq_no"].as_str().unwrap().to_owned();

    let a_user = t.user_token(&a, &p, ALL_USER).await;
    assert_eq!(a_user.user_seq_no, user);
    let tok = Tokens {
        a_inq: t.user_token(&a, &p, "inquiry").await.access,
        a_tr: t.user_token(&a, &p, "transfer").await.access,
        a_user_r: t.user_token(&a, &r, ALL_USER).await.access,
        a_user_q: t.user_token(&a, &q, ALL_USER).await.access,
        b_oob: t.two_legged(&b, "oob").await,
        b_sa: t.two_legged(&b, "sa").await,
        b_user: t.user_token(&b, &p, ALL_USER).await.access,
        mydata: t.two_legged(&m, "bank.list").await,
        rev_oob: t.two_legged(&a, "oob").await,
        rev_sa: t.two_legged(&a, "sa").await,
        rev_user: t.user_token(&a, &p, ALL_USER).await,
        a_oob,
        a_sa,
        a_user,
        exp_oob,
        exp_sa,
        exp_user,
    };
    for rev in [&tok.rev_oob, &tok.rev_sa, &tok.rev_user.access] {
        t.revoke(&a, rev).await;
    }

    let wd_id = tran_id(&a.org);
    let w = t
        .kftc(
            &tok.a_sa,
            Method::POST,
            "/v2.0/transfer/withdraw/fin_num",
            Withdraw::new(&wd_id, &a.cntr, &fin, 1000)
                .at(&t.dtime())
                .req_client_account("004", "1234567890")
                .body(),
        )
        .await;
    assert_eq!(w.code(), "A0000", "{}", w.text);
    let wd = (wd_id, t.today(), "1000".to_owned());
    World {
        a,
        b,
        p,
        q,
        r,
        p2,
        user,
        fin,
        fin2,
        r_user,
        start_date,
        wd,
        tok,
        t,
    }
}
