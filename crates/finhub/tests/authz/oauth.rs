//! `/oauth/2.0/token` (refresh_token grant) and `/oauth/2.0/revoke` × the
//! client credentials presented, through the KFTC profile: HTTP 200 and
//! O0001 with its sub-code (§5.2, §11.3).

use crate::fixture::{World, ALL_USER};
use crate::helpers::*;
use crate::matrix::code_with_sub as code;
use crate::matrix::{assert_cells, table, Cell};
use axum::http::{Method, StatusCode};

struct Case {
    row: &'static str,
    col: &'static str,
    path: &'static str,
    fields: Vec<(&'static str, String)>,
    status: StatusCode,
    want: &'static str,
}

/// Run by the matrix test on its world (a world is the costly part).
pub async fn token_refresh_and_revoke_answer_each_caller_exactly(w: &World) {
    let t = &w.t;
    let (a, b) = (&w.a, &w.b);
    let creds = |c: &Client| {
        vec![
            ("client_id", c.id.clone()),
            ("client_secret", c.secret.clone()),
        ]
    };
    let wrong = vec![
        ("client_id", a.id.clone()),
        ("client_secret", "not-the-secret".to_owned()),
    ];
    let refresh = |rt: &str| {
        vec![
            ("refresh_token", rt.to_owned()),
            ("scope", ALL_USER.to_owned()),
            ("grant_type", "refresh_token".to_owned()),
        ]
    };
    let with = |mut c: Vec<(&'static str, String)>, more: Vec<(&'static str, String)>| {
        c.extend(more);
        c
    };
    let live = t.two_legged(a, "oob").await;
    let to_revoke = t.two_legged(a, "oob").await;
    let rt = &w.tok.a_user.refresh;
    let ok200 = StatusCode::OK;
    let cases = vec![
        // No client named: the profile is unknown, so RFC 6749's own answer.
        Case {
            row: "refresh",
            col: "none",
            path: "/oauth/2.0/token",
            fields: refresh(rt),
            status: StatusCode::UNAUTHORIZED,
            want: "invalid_client",
        },
        Case {
            row: "refresh",
            col: "wrong-secret",
            path: "/oauth/2.0/token",
            fields: with(wrong.clone(), refresh(rt)),
            status: ok200,
            want: "O0001[3000201]",
        },
        Case {
            row: "refresh",
            col: "other-inst",
            path: "/oauth/2.0/token",
            fields: with(creds(b), refresh(rt)),
            status: ok200,
            want: "O0001[3002110]",
        },
        Case {
            row: "refresh",
            col: "garbage",
            path: "/oauth/2.0/token",
            fields: with(creds(a), refresh("bm90LWEtcmVmcmVzaC10b2tlbg")),
            status: ok200,
            want: "O0001[3002110]",
        },
        Case {
            row: "refresh",
            col: "expired",
            path: "/oauth/2.0/token",
            fields: with(creds(a), refresh(&w.tok.exp_user.refresh)),
            status: ok200,
            want: "O0001[3002110]",
        },
        Case {
            row: "refresh",
            col: "revoked",
            path: "/oauth/2.0/token",
            fields: with(creds(a), refresh(&w.tok.rev_user.refresh)),
            status: ok200,
            want: "O0001[3002110]",
        },
        // After B's attempt: A's refresh token is still good.
        Case {
            row: "refresh",
            col: "right",
            path: "/oauth/2.0/token",
            fields: with(creds(a), refresh(rt)),
            status: ok200,
            want: "token",
        },
        Case {
            row: "revoke",
            col: "none",
            path: "/oauth/2.0/revoke",
            fields: vec![("access_token", live.clone())],
            status: StatusCode::UNAUTHORIZED,
            want: "invalid_client",
        },
        Case {
            row: "revoke",
            col: "wrong-secret",
            path: "/oauth/2.0/revoke",
            fields: with(wrong.clone(), vec![("access_token", live.clone())]),
            status: ok200,
            want: "O0001[3000201]",
        },
        // RFC 7009 §2.1: another client's token is not revoked; the answer
        // does not tell B whether the token exists.
        Case {
            row: "revoke",
            col: "other-inst",
            path: "/oauth/2.0/revoke",
            fields: with(creds(b), vec![("access_token", live.clone())]),
            status: ok200,
            want: "A0000",
        },
        // RFC 7009 §2.2: an invalid token is not an error.
        Case {
            row: "revoke",
            col: "garbage",
            path: "/oauth/2.0/revoke",
            fields: with(creds(a), vec![("access_token", "garbage".to_owned())]),
            status: ok200,
            want: "A0000",
        },
        Case {
            row: "revoke",
            col: "right",
            path: "/oauth/2.0/revoke",
            fields: with(creds(a), vec![("access_token", to_revoke.clone())]),
            status: ok200,
            want: "A0000",
        },
    ];
    let mut cells = Vec::new();
    for c in &cases {
        let fields: Vec<(&str, &str)> = c.fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = t.form(c.path, &fields).await;
        let got = code(&r);
        cells.push(Cell {
            row: c.row.to_owned(),
            col: c.col,
            // Cell::ok compares the status with 200; carry other statuses in the code.
            want: Some(format!("{}{}", status_tag(c.status), c.want)),
            got: format!("{}{}", status_tag(r.status), got),
            status: StatusCode::OK,
            text: r.text,
        });
    }
    let cols = [
        "none",
        "wrong-secret",
        "other-inst",
        "garbage",
        "expired",
        "revoked",
        "right",
    ];
    assert_cells("OAuth endpoints", &cells, &cols);
    println!(
        "OAuth endpoints: {} cells\n{}",
        cells.len(),
        table(&cells, &cols)
    );

    // What the refusals protected: B did not revoke A's token, the wrong
    // secret did not either; the right revoke took effect at once.
    let st = |tok: String| async move {
        t.kftc(
            &tok,
            Method::GET,
            "/v2.0/bank/status",
            serde_json::json!({}),
        )
        .await
        .code()
    };
    assert_eq!(st(live).await, "A0000");
    assert_eq!(st(to_revoke).await, "O0002");
}

fn status_tag(s: StatusCode) -> String {
    if s == StatusCode::OK {
        String::new()
    } else {
        format!("{} ", s.as_u16())
    }
}
