//! The authorization matrix of the KFTC face: every `/v2.0/*` API × every
//! kind of caller, asserting HTTP 200 (KFTC answers errors in the body) and
//! the exact rsp_code. One row per API; the expected code of a cell follows
//! from the row's accepted scopes (spec §3) and the caller's kind.

use crate::fixture::*;
use crate::helpers::*;
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

/// The token kind an API is meant for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tok {
    Oob,
    Sa,
    User,
}

/// Who calls. Token columns hold A's tokens unless said otherwise.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Col {
    /// No Authorization header.
    NoAuth,
    /// A header that is not `Bearer <token>`.
    Malformed,
    /// `Bearer` and a string that is not a token of ours.
    Garbage,
    /// A valid token of a MyData client.
    OtherProfile,
    /// A's token of the row's kind, past its 90 days (the world clock moved).
    Expired,
    /// A's token of the row's kind, revoked with RFC 7009.
    Revoked,
    Oob,
    Sa,
    /// P's token: login inquiry transfer.
    User,
    /// P's token with only `inquiry`.
    UserInquiry,
    /// P's token with only `transfer`.
    UserTransfer,
    /// A's token for another person (Q) naming P's data.
    OtherPerson,
    /// Institution B's token of the row's kind naming A's data.
    OtherClient,
}

pub const COLS: [Col; 13] = [
    Col::NoAuth,
    Col::Malformed,
    Col::Garbage,
    Col::OtherProfile,
    Col::Expired,
    Col::Revoked,
    Col::Oob,
    Col::Sa,
    Col::User,
    Col::UserInquiry,
    Col::UserTransfer,
    Col::OtherPerson,
    Col::OtherClient,
];

impl Col {
    fn label(self) -> &'static str {
        match self {
            Col::NoAuth => "none",
            Col::Malformed => "malformed",
            Col::Garbage => "garbage",
            Col::OtherProfile => "mydata",
            Col::Expired => "expired",
            Col::Revoked => "revoked",
            Col::Oob => "oob",
            Col::Sa => "sa",
            Col::User => "user",
            Col::UserInquiry => "inquiry",
            Col::UserTransfer => "transfer",
            Col::OtherPerson => "other-user",
            Col::OtherClient => "other-inst",
        }
    }

    /// The scopes of the column's token, if it is a live token of A's.
    fn scopes(self) -> Option<&'static [&'static str]> {
        match self {
            Col::Oob => Some(&["oob"]),
            Col::Sa => Some(&["sa"]),
            Col::User | Col::OtherPerson => Some(&["login", "inquiry", "transfer"]),
            Col::UserInquiry => Some(&["inquiry"]),
            Col::UserTransfer => Some(&["transfer"]),
            _ => None,
        }
    }

    fn of(t: Tok) -> Col {
        match t {
            Tok::Oob => Col::Oob,
            Tok::Sa => Col::Sa,
            Tok::User => Col::User,
        }
    }
}

/// The caller's own institution, as a request names it.
pub struct Who<'a> {
    pub org: &'a str,
    pub cntr: &'a str,
}

pub struct Row {
    pub method: Method,
    pub path: &'static str,
    /// Scopes the API accepts (spec §3, "Scope required per endpoint").
    pub accepted: &'static [&'static str],
    pub right: Tok,
    /// What B gets when it names A's data (or, where nothing of A's is
    /// involved, B's own answer).
    pub other_client: &'static str,
    /// The call changes what a second success would see: only the right
    /// column is expected to succeed, other would-be successes are skipped.
    pub once: bool,
    /// The request: a JSON body, or for GET the query as a JSON object.
    pub build: fn(&World, &Who) -> Value,
}

/// What a row calls and what its callers must get.
struct Api {
    method: Method,
    path: &'static str,
    accepted: &'static [&'static str],
    right: Tok,
    other_client: &'static str,
}

fn row(api: Api, build: fn(&World, &Who) -> Value) -> Row {
    Row {
        method: api.method,
        path: api.path,
        accepted: api.accepted,
        right: api.right,
        other_client: api.other_client,
        once: false,
        build,
    }
}

impl Row {
    fn once(mut self) -> Row {
        self.once = true;
        self
    }

    /// The rsp_code this cell must answer; None when skipped.
    pub fn expected(&self, col: Col) -> Option<&'static str> {
        match col {
            // §1: a missing (or non-Bearer) header is O0001 with detail 992.
            Col::NoAuth | Col::Malformed => Some("O0001[992]"),
            Col::Garbage | Col::OtherProfile | Col::Revoked => Some("O0002"),
            Col::Expired => Some("O0003"),
            Col::OtherClient => Some(self.other_client),
            _ => {
                let scopes = col.scopes().unwrap_or(&[]);
                if !scopes.iter().any(|s| self.accepted.contains(s)) {
                    Some("O0011")
                } else if col == Col::OtherPerson {
                    // A user token speaks for its own person only.
                    Some("A0313")
                } else if self.once && col != Col::of(self.right) {
                    None
                } else {
                    Some("A0000")
                }
            }
        }
    }
}

const LOGIN: &[&str] = &["login", "sa"];
const INQUIRY: &[&str] = &["inquiry", "sa"];
const TRANSFER: &[&str] = &["transfer", "sa"];
const SA: &[&str] = &["sa"];
const OOB: &[&str] = &["oob", "sa"];

/// Every KFTC API. A row's builder names A's data (P's user_seq_no and
/// fintech_use_num, A's contract account or bank_tran_id) as the comments say.
pub fn rows() -> Vec<Row> {
    use Tok::*;
    let get = || Method::GET;
    let post = || Method::POST;
    vec![
        row(Api { method: get(), path: "/v2.0/user/me", accepted: LOGIN, right: User, other_client: "A0313" }, |w, _| json!({"user_seq_no": w.user})),
        // Closes R (not P), so the other rows keep their subject.
        row(Api { method: post(), path: "/v2.0/user/close", accepted: LOGIN, right: User, other_client: "A0313" }, |w, c| {
            json!({"client_use_code": c.org, "user_seq_no": w.r_user})
        })
        .once(),
        // Always A's bank_tran_id: B may not act under A's code.
        row(Api { method: post(), path: "/v2.0/user/register", accepted: SA, right: Sa, other_client: "A0004" }, |w, _| {
            register_body(&w.a.org, &(&w.p2, 0).into(), "inquiry", &w.t.dtime())
        })
        .once(),
        row(Api { method: get(), path: "/v2.0/account/list", accepted: LOGIN, right: User, other_client: "A0313" }, |w, _| {
            json!({"user_seq_no": w.user, "include_cancel_yn": "Y", "sort_order": "D"})
        }),
        row(Api { method: post(), path: "/v2.0/account/update", accepted: SA, right: Sa, other_client: "A0323" }, |w, c| {
            json!({"bank_tran_id": tran_id(c.org), "user_seq_no": w.user, "bank_code_std": "004",
                "account_num": w.p.accounts[0].num, "scope": "inquiry",
                "update_user_email": "new@example.com"})
        }),
        row(Api { method: post(), path: "/v2.0/account/info", accepted: SA, right: Sa, other_client: "A0323" }, |w, c| {
            json!({"bank_tran_id": tran_id(c.org), "user_seq_no": w.user, "bank_code_std": "004",
                "account_num": w.p.accounts[0].num, "scope": "inquiry"})
        }),
        // Cancels P's second account only.
        row(Api { method: post(), path: "/v2.0/account/cancel", accepted: LOGIN, right: User, other_client: "A0304" }, |w, c| {
            json!({"bank_tran_id": tran_id(c.org), "scope": "inquiry", "fintech_use_num": w.fin2})
        })
        .once(),
        row(Api { method: get(), path: "/v2.0/account/balance/fin_num", accepted: INQUIRY, right: User, other_client: "A0304" }, |w, c| {
            json!({"bank_tran_id": tran_id(c.org), "fintech_use_num": w.fin, "tran_dtime": w.t.dtime()})
        }),
        row(Api { method: post(), path: "/v2.0/account/balance/acnt_num", accepted: SA, right: Sa, other_client: "A0323" }, |w, c| {
            json!({"bank_tran_id": tran_id(c.org), "bank_code_std": "004",
                "account_num": w.p.accounts[0].num, "user_seq_no": w.user, "tran_dtime": w.t.dtime()})
        }),
        row(Api { method: get(), path: "/v2.0/account/transaction_list/fin_num", accepted: INQUIRY, right: User, other_client: "A0304" }, |w, c| {
            json!({"bank_tran_id": tran_id(c.org), "fintech_use_num": w.fin, "inquiry_type": "A",
                "inquiry_base": "D", "from_date": w.start_date, "to_date": w.t.today(),
                "sort_order": "D", "tran_dtime": w.t.dtime()})
        }),
        row(Api { method: post(), path: "/v2.0/account/transaction_list/acnt_num", accepted: SA, right: Sa, other_client: "A0323" }, |w, c| {
            json!({"bank_tran_id": tran_id(c.org), "bank_code_std": "004",
                "account_num": w.p.accounts[0].num, "user_seq_no": w.user, "inquiry_type": "A",
                "inquiry_base": "D", "from_date": w.start_date, "to_date": w.t.today(),
                "sort_order": "D", "tran_dtime": w.t.dtime()})
        }),
        // Nothing of A's: any institution may check a name.
        row(Api { method: post(), path: "/v2.0/inquiry/real_name", accepted: OOB, right: Oob, other_client: "A0000" }, |w, c| {
            json!({"bank_tran_id": tran_id(c.org), "bank_code_std": "004",
                "account_num": w.p.accounts[0].num, "account_holder_info_type": " ",
                "account_holder_info": "900304", "tran_dtime": w.t.dtime()})
        }),
        // A's contract account.
        row(Api { method: post(), path: "/v2.0/inquiry/receive", accepted: OOB, right: Oob, other_client: "A0322" }, |w, c| {
            json!({"bank_tran_id": tran_id(c.org), "cntr_account_type": "N",
                "cntr_account_num": w.a.cntr, "bank_code_std": "004",
                "account_num": w.p.accounts[0].num, "print_content": "환불", "tran_amt": "1000",
                "req_client_name": "홍길동", "req_client_bank_code": "004",
                "req_client_account_num": "1234567890", "req_client_num": "CUST0001",
                "transfer_purpose": "TR"})
        }),
        // The caller's own contract account, A's fintech_use_num.
        row(Api { method: post(), path: "/v2.0/transfer/withdraw/fin_num", accepted: TRANSFER, right: User, other_client: "A0304" }, |w, c| {
            Withdraw::new(&tran_id(c.org), c.cntr, &w.fin, 1000)
                .at(&w.t.dtime())
                .req_client_account("004", "1234567890")
                .body()
        }),
        row(Api { method: post(), path: "/v2.0/transfer/withdraw/acnt_num", accepted: SA, right: Sa, other_client: "A0323" }, |w, c| {
            let mut b = Withdraw::new(&tran_id(c.org), c.cntr, "", 1000)
                .at(&w.t.dtime())
                .req_client_account("004", "1234567890")
                .body();
            let o = b.as_object_mut().unwrap();
            o.remove("fintech_use_num");
            o.insert("wd_bank_code_std".into(), json!("004"));
            o.insert("wd_account_num".into(), json!(w.p.accounts[0].num));
            o.insert("user_seq_no".into(), json!(w.user));
            b
        }),
        row(Api { method: post(), path: "/v2.0/transfer/deposit/fin_num", accepted: OOB, right: Oob, other_client: "A0304" }, |w, c| {
            deposit_body_at(
                c.cntr,
                vec![DepositItem::new(1, &tran_id(c.org), &w.fin, 1000).req_client_account("004", "1234567890")
                .body()],
                Some(&w.t.dtime()),
            )
        }),
        // A's contract account.
        row(Api { method: post(), path: "/v2.0/transfer/deposit/acnt_num", accepted: OOB, right: Oob, other_client: "A0322" }, |w, c| {
            let to = (w.p.accounts[0].num.as_str(), w.p.name.as_str());
            deposit_body_at(
                &w.a.cntr,
                vec![DepositItem::new(1, &tran_id(c.org), "", 1000)
                .req_client_account("004", "1234567890")
                .to_account("004", to.0, to.1)
                .body()],
                Some(&w.t.dtime()),
            )
        }),
        // A's bank_tran_id.
        row(Api { method: post(), path: "/v2.0/transfer/result", accepted: OOB, right: Oob, other_client: "A0004" }, |w, _| {
            json!({"check_type": "1", "tran_dtime": w.t.dtime(), "req_cnt": "1",
                "req_list": [{"tran_no": "1", "org_bank_tran_id": w.wd.0,
                    "org_bank_tran_date": w.wd.1, "org_tran_amt": w.wd.2}]})
        }),
        // The management APIs answer about the caller itself.
        row(Api { method: get(), path: "/v2.0/bank/status", accepted: OOB, right: Oob, other_client: "A0000" }, |_, _| json!({})),
        row(Api { method: get(), path: "/v2.0/manage/fee", accepted: OOB, right: Oob, other_client: "A0000" }, |w, _| {
            json!({"from_date": yesterday(w), "to_date": yesterday(w)})
        }),
        row(Api { method: get(), path: "/v2.0/manage/count", accepted: OOB, right: Oob, other_client: "A0000" }, |w, _| {
            json!({"inquiry_date": yesterday(w)})
        }),
        // A's fintech_use_num.
        row(Api { method: get(), path: "/v2.0/manage/wd_limit", accepted: OOB, right: Oob, other_client: "A0304" }, |w, _| {
            json!({"fintech_use_num": w.fin})
        }),
        row(Api { method: get(), path: "/v2.0/inquiry/fds_detect", accepted: OOB, right: Oob, other_client: "A0000" }, |w, _| {
            json!({"inquiry_date": w.t.today(), "from_time": "114000", "to_time": "115000"})
        }),
        row(Api { method: get(), path: "/v2.0/manage/terms", accepted: OOB, right: Oob, other_client: "A0000" }, |_, _| {
            json!({"bank_code_std": "004"})
        }),
    ]
}

fn yesterday(w: &World) -> String {
    (w.t.now_kst() - chrono::Duration::days(1))
        .format("%Y%m%d")
        .to_string()
}

/// rsp_code plus the O0001 sub-code, e.g. `O0001[3000201]`; `error` for an
/// RFC 6749 answer; `token` for a successful token response.
pub fn code_with_sub(r: &Resp) -> String {
    if r.body["access_token"].is_string() {
        return "token".into();
    }
    let c = r.code();
    match r.body["rsp_message"]
        .as_str()
        .and_then(|m| m.split_once("(["))
    {
        Some((_, rest)) => format!("{c}[{}]", rest.trim_end_matches("])")),
        None => c,
    }
}

/// The Authorization header of a cell.
fn auth(w: &World, row: &Row, col: Col) -> Option<String> {
    let t = &w.tok;
    let bearer = |s: &str| Some(format!("Bearer {s}"));
    let by_kind = |oob: &str, sa: &str, user: &str| match row.right {
        Tok::Oob => bearer(oob),
        Tok::Sa => bearer(sa),
        Tok::User => bearer(user),
    };
    match col {
        Col::NoAuth => None,
        Col::Malformed => Some(format!("Token {}", t.a_sa)),
        Col::Garbage => bearer("eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl"),
        Col::OtherProfile => bearer(&t.mydata),
        Col::Expired => by_kind(&t.exp_oob, &t.exp_sa, &t.exp_user.access),
        Col::Revoked => by_kind(&t.rev_oob, &t.rev_sa, &t.rev_user.access),
        Col::Oob => bearer(&t.a_oob),
        Col::Sa => bearer(&t.a_sa),
        // user/close closes R, with R's own token.
        Col::User if row.path.ends_with("/user/close") => bearer(&t.a_user_r),
        Col::User => bearer(&t.a_user.access),
        Col::UserInquiry => bearer(&t.a_inq),
        Col::UserTransfer => bearer(&t.a_tr),
        Col::OtherPerson => bearer(&t.a_user_q),
        Col::OtherClient => by_kind(&t.b_oob, &t.b_sa, &t.b_user),
    }
}

/// One cell's outcome, for the table.
pub struct Cell {
    pub row: String,
    pub col: &'static str,
    /// None when skipped.
    pub want: Option<String>,
    pub got: String,
    pub status: StatusCode,
    pub text: String,
}

impl Cell {
    pub fn ok(&self) -> bool {
        match &self.want {
            None => true,
            Some(w) => *w == self.got && self.status == StatusCode::OK,
        }
    }
}

/// Rows × columns as a text table; failing cells show got/want.
pub fn table(cells: &[Cell], cols: &[&str]) -> String {
    let mut rows: Vec<&str> = Vec::new();
    for c in cells {
        if !rows.contains(&c.row.as_str()) {
            rows.push(&c.row);
        }
    }
    let w0 = rows.iter().map(|r| r.len()).max().unwrap_or(0);
    let mut out = format!("{:w0$}", "");
    for c in cols {
        out += &format!(" | {c:^11}");
    }
    out.push('\n');
    for r in rows {
        out += &format!("{r:w0$}");
        for col in cols {
            let s = match cells.iter().find(|c| c.row == r && c.col == *col) {
                None => String::new(),
                Some(c) if c.want.is_none() => "skip".into(),
                Some(c) if c.ok() => c.got.clone(),
                Some(c) => format!("✗{}≠{}", c.got, c.want.as_deref().unwrap_or("")),
            };
            out += &format!(" | {s:^11}");
        }
        out.push('\n');
    }
    out
}

/// Panic with the table and every failing cell's answer.
pub fn assert_cells(title: &str, cells: &[Cell], cols: &[&str]) {
    let failed: Vec<&Cell> = cells.iter().filter(|c| !c.ok()).collect();
    if failed.is_empty() {
        return;
    }
    let mut msg = format!(
        "{title}: {} of {} cells wrong\n{}\n",
        failed.len(),
        cells.len(),
        table(cells, cols)
    );
    for c in failed {
        msg += &format!(
            "{} × {}: want {:?}, got {} {}: {}\n",
            c.row, c.col, c.want, c.status, c.got, c.text
        );
    }
    panic!("{msg}");
}

#[tokio::test]
async fn every_kftc_api_and_oauth_endpoint_answers_every_caller_with_the_exact_code() {
    let w = world().await;
    let rows = rows();
    assert_eq!(rows.len(), 24, "KFTC serves 24 APIs under /v2.0");
    let a = Who {
        org: &w.a.org,
        cntr: &w.a.cntr,
    };
    let b = Who {
        org: &w.b.org,
        cntr: &w.b.cntr,
    };
    let mut cells = Vec::new();
    for row in &rows {
        // The right cell last: a row's one success may change what the
        // refusals would see (a cancelled registration is A0304 for anyone).
        let right = Col::of(row.right);
        let order = COLS.iter().copied().filter(|c| *c != right).chain([right]);
        for col in order {
            let want = row.expected(col);
            let label = format!("{} {}", row.method, row.path.trim_start_matches("/v2.0/"));
            if want.is_none() {
                cells.push(Cell {
                    row: label,
                    col: col.label(),
                    want: None,
                    got: String::new(),
                    status: StatusCode::OK,
                    text: String::new(),
                });
                continue;
            }
            let who = if col == Col::OtherClient { &b } else { &a };
            let body = (row.build)(&w, who);
            let (path, body) = if row.method == Method::GET {
                (format!("{}?{}", row.path, query_string(&body)), None)
            } else {
                (row.path.to_owned(), Some(body))
            };
            let header = auth(&w, row, col);
            let r =
                w.t.call(&row.method, &path, header.as_deref(), body.as_ref())
                    .await;
            cells.push(Cell {
                row: label,
                col: col.label(),
                want: want.map(str::to_owned),
                got: code_with_sub(&r),
                status: r.status,
                text: r.text,
            });
        }
    }
    let labels: Vec<&str> = COLS.iter().map(|c| c.label()).collect();
    assert_cells("KFTC authorization matrix", &cells, &labels);
    let run = cells.iter().filter(|c| c.want.is_some()).count();
    println!(
        "KFTC matrix: {} APIs × {} callers = {} cells, {} run, {} skipped\n{}",
        rows.len(),
        COLS.len(),
        cells.len(),
        run,
        cells.len() - run,
        table(&cells, &labels)
    );
    crate::oauth::token_refresh_and_revoke_answer_each_caller_exactly(&w).await;
}
