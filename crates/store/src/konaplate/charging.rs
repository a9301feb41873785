//! Charges, cancels, one-time tokens and payments (R1–R6, P2, P3).

use super::{bad, flag, uid, user};
use crate::sql::{placeholders, Arg};
use crate::{map_err, Store};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use finhub_core::clock::{from_micros, to_micros};
use finhub_core::konaplate::charging::{
    CardTxn, ChargeRepo, Move, MoveKind, MoveResult, Refund, Token,
};
use finhub_core::CoreResult;

const MOVE_COLS: &str = "project_id, request_key, kind, user_id, fingerprint, nr_number, par, \
     amount_minor, orig_nr, merchant_id, counter_account, result, refusal, approval_code, \
     balance_after, cancelled_by, created_at, claimed_at";
const TXN_COLS: &str = "project_id, par, user_id, nr_number, tr_type, is_cancel, amount_minor, \
     balance_before, balance_after, approval_code, merchant_name, at";

#[derive(sqlx::FromRow)]
struct TokenRow {
    project_id: String,
    token: String,
    dcvv: String,
    par: String,
    expires_at: i64,
    used_by: Option<String>,
}

#[derive(sqlx::FromRow)]
struct MoveRow {
    project_id: String,
    request_key: String,
    kind: String,
    user_id: i64,
    fingerprint: String,
    nr_number: String,
    par: Option<String>,
    amount_minor: i64,
    orig_nr: Option<String>,
    merchant_id: Option<String>,
    counter_account: Option<String>,
    result: String,
    refusal: Option<String>,
    approval_code: Option<String>,
    balance_after: Option<i64>,
    cancelled_by: Option<String>,
    created_at: i64,
    claimed_at: i64,
}

impl TryFrom<MoveRow> for Move {
    type Error = finhub_core::CoreError;
    fn try_from(r: MoveRow) -> CoreResult<Move> {
        Ok(Move {
            project_id: r.project_id,
            request_key: r.request_key,
            kind: MoveKind::parse(&r.kind).ok_or_else(|| bad("move kind"))?,
            user_id: user(r.user_id),
            fingerprint: r.fingerprint,
            nr_number: r.nr_number,
            par: r.par,
            amount_minor: r.amount_minor,
            orig_nr: r.orig_nr,
            merchant_id: r.merchant_id,
            counter_account: r.counter_account,
            result: MoveResult::parse(&r.result).ok_or_else(|| bad("move result"))?,
            refusal: r.refusal,
            approval_code: r.approval_code,
            balance_after: r.balance_after,
            cancelled_by: r.cancelled_by,
            created_at: from_micros(r.created_at),
            claimed_at: from_micros(r.claimed_at),
        })
    }
}

#[derive(sqlx::FromRow)]
struct TxnRow {
    project_id: String,
    par: String,
    user_id: i64,
    nr_number: String,
    tr_type: String,
    is_cancel: i64,
    amount_minor: i64,
    balance_before: i64,
    balance_after: i64,
    approval_code: String,
    merchant_name: String,
    at: i64,
}

impl From<TxnRow> for CardTxn {
    fn from(r: TxnRow) -> Self {
        CardTxn {
            project_id: r.project_id,
            par: r.par,
            user_id: user(r.user_id),
            nr_number: r.nr_number,
            tr_type: if r.tr_type == "00" { "00" } else { "01" },
            is_cancel: r.is_cancel != 0,
            amount_minor: r.amount_minor,
            balance_before: r.balance_before,
            balance_after: r.balance_after,
            approval_code: r.approval_code,
            merchant_name: r.merchant_name,
            at: from_micros(r.at),
        }
    }
}

#[derive(sqlx::FromRow)]
struct RefundRow {
    project_id: String,
    nr_number: String,
    account_id: String,
    amount_minor: i64,
    due_at: i64,
}

impl Store {
    async fn kona_move_where(&self, filter: &str, args: &[Arg<'_>]) -> CoreResult<Option<Move>> {
        let sql = format!("SELECT {MOVE_COLS} FROM kona_moves WHERE {filter}");
        let row: Option<MoveRow> = self.db.fetch_optional(&sql, args).await.map_err(map_err)?;
        row.map(Move::try_from).transpose()
    }
}

#[async_trait]
impl ChargeRepo for Store {
    async fn insert_token(&self, t: &Token) -> CoreResult<()> {
        let sql = "INSERT INTO kona_tokens (project_id, token, dcvv, par, expires_at, used_by) \
                   VALUES ($1, $2, $3, $4, $5, NULL)";
        let args = [
            Arg::Text(&t.project_id),
            Arg::Text(&t.token),
            Arg::Text(&t.dcvv),
            Arg::Text(&t.par),
            Arg::Int(to_micros(t.expires_at)),
        ];
        self.db.execute(sql, &args).await.map_err(map_err).map(drop)
    }

    async fn token(&self, project_id: &str, token: &str) -> CoreResult<Option<Token>> {
        let sql = "SELECT project_id, token, dcvv, par, expires_at, used_by FROM kona_tokens \
                   WHERE project_id = $1 AND token = $2";
        let row: Option<TokenRow> = (self.db)
            .fetch_optional(sql, &[Arg::Text(project_id), Arg::Text(token)])
            .await
            .map_err(map_err)?;
        Ok(row.map(|r| Token {
            project_id: r.project_id,
            token: r.token,
            dcvv: r.dcvv,
            par: r.par,
            expires_at: from_micros(r.expires_at),
            used_by: r.used_by,
        }))
    }

    async fn use_token(
        &self,
        project_id: &str,
        token: &str,
        key: &str,
        now: DateTime<Utc>,
    ) -> CoreResult<bool> {
        // The update is the use: of two requests, one gets the token.
        let sql = "UPDATE kona_tokens SET used_by = $3 WHERE project_id = $1 AND token = $2 \
                   AND ((used_by IS NULL AND expires_at >= $4) OR used_by = $3)";
        let args = [
            Arg::Text(project_id),
            Arg::Text(token),
            Arg::Text(key),
            Arg::Int(to_micros(now)),
        ];
        Ok(self.db.execute(sql, &args).await.map_err(map_err)? == 1)
    }

    async fn claim_move(&self, m: &Move) -> CoreResult<bool> {
        let sql = format!(
            "INSERT INTO kona_moves ({MOVE_COLS}) VALUES ({}) \
             ON CONFLICT (project_id, request_key) DO NOTHING",
            placeholders(1, 18)
        );
        let args = [
            Arg::Text(&m.project_id),
            Arg::Text(&m.request_key),
            Arg::Text(m.kind.as_str()),
            Arg::Int(uid(m.user_id)),
            Arg::Text(&m.fingerprint),
            Arg::Text(&m.nr_number),
            Arg::OptText(m.par.as_deref()),
            Arg::Int(m.amount_minor),
            Arg::OptText(m.orig_nr.as_deref()),
            Arg::OptText(m.merchant_id.as_deref()),
            Arg::OptText(m.counter_account.as_deref()),
            Arg::Text(m.result.as_str()),
            Arg::OptText(m.refusal.as_deref()),
            Arg::OptText(m.approval_code.as_deref()),
            Arg::OptInt(m.balance_after),
            Arg::OptText(m.cancelled_by.as_deref()),
            Arg::Int(to_micros(m.created_at)),
            Arg::Int(to_micros(m.claimed_at)),
        ];
        Ok(self.db.execute(&sql, &args).await.map_err(map_err)? == 1)
    }

    async fn move_by_key(&self, project_id: &str, key: &str) -> CoreResult<Option<Move>> {
        let args = [Arg::Text(project_id), Arg::Text(key)];
        self.kona_move_where("project_id = $1 AND request_key = $2", &args)
            .await
    }

    async fn move_by_nr(
        &self,
        project_id: &str,
        kind: MoveKind,
        nr: &str,
    ) -> CoreResult<Option<Move>> {
        let args = [
            Arg::Text(project_id),
            Arg::Text(nr),
            Arg::Text(kind.as_str()),
        ];
        self.kona_move_where("project_id = $1 AND nr_number = $2 AND kind = $3", &args)
            .await
    }

    async fn finish_move(&self, m: &Move) -> CoreResult<()> {
        // cancelled_by is a cancel's to write, never the move's own outcome.
        let sql = "UPDATE kona_moves SET user_id = $3, par = $4, amount_minor = $5, \
                   counter_account = $6, result = $7, refusal = $8, approval_code = $9, \
                   balance_after = $10 WHERE project_id = $1 AND request_key = $2";
        let args = [
            Arg::Text(&m.project_id),
            Arg::Text(&m.request_key),
            Arg::Int(uid(m.user_id)),
            Arg::OptText(m.par.as_deref()),
            Arg::Int(m.amount_minor),
            Arg::OptText(m.counter_account.as_deref()),
            Arg::Text(m.result.as_str()),
            Arg::OptText(m.refusal.as_deref()),
            Arg::OptText(m.approval_code.as_deref()),
            Arg::OptInt(m.balance_after),
        ];
        self.db.execute(sql, &args).await.map_err(map_err).map(drop)
    }

    async fn mark_cancel(&self, project_id: &str, target: &str, by: &str) -> CoreResult<bool> {
        let sql = "UPDATE kona_moves SET cancelled_by = $3 WHERE project_id = $1 \
                   AND request_key = $2 AND (cancelled_by IS NULL OR cancelled_by = $3)";
        let args = [Arg::Text(project_id), Arg::Text(target), Arg::Text(by)];
        Ok(self.db.execute(sql, &args).await.map_err(map_err)? == 1)
    }

    async fn unmark_cancel(&self, project_id: &str, target: &str, by: &str) -> CoreResult<()> {
        let sql = "UPDATE kona_moves SET cancelled_by = NULL WHERE project_id = $1 \
                   AND request_key = $2 AND cancelled_by = $3";
        let args = [Arg::Text(project_id), Arg::Text(target), Arg::Text(by)];
        self.db.execute(sql, &args).await.map_err(map_err).map(drop)
    }

    async fn stale_moves(&self, before: DateTime<Utc>, limit: usize) -> CoreResult<Vec<Move>> {
        // The literal 'PENDING' lets both databases use the partial index.
        let sql = format!(
            "SELECT {MOVE_COLS} FROM kona_moves WHERE result = 'PENDING' AND claimed_at < $1 \
             ORDER BY claimed_at LIMIT $2"
        );
        let args = [Arg::Int(to_micros(before)), Arg::Int(limit as i64)];
        let rows: Vec<MoveRow> = self.db.fetch_all(&sql, &args).await.map_err(map_err)?;
        rows.into_iter().map(Move::try_from).collect()
    }

    async fn retake_move(
        &self,
        project_id: &str,
        key: &str,
        stale: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> CoreResult<bool> {
        let sql = "UPDATE kona_moves SET claimed_at = $4 WHERE project_id = $1 \
                   AND request_key = $2 AND result = 'PENDING' AND claimed_at < $3";
        let args = [
            Arg::Text(project_id),
            Arg::Text(key),
            Arg::Int(to_micros(stale)),
            Arg::Int(to_micros(now)),
        ];
        Ok(self.db.execute(sql, &args).await.map_err(map_err)? == 1)
    }

    async fn insert_txn(&self, t: &CardTxn) -> CoreResult<()> {
        let sql = format!(
            "INSERT INTO kona_card_txns ({TXN_COLS}) VALUES ({}) \
             ON CONFLICT (project_id, nr_number, is_cancel) DO NOTHING",
            placeholders(1, 12)
        );
        let args = [
            Arg::Text(&t.project_id),
            Arg::Text(&t.par),
            Arg::Int(uid(t.user_id)),
            Arg::Text(&t.nr_number),
            Arg::Text(t.tr_type),
            Arg::Int(flag(t.is_cancel)),
            Arg::Int(t.amount_minor),
            Arg::Int(t.balance_before),
            Arg::Int(t.balance_after),
            Arg::Text(&t.approval_code),
            Arg::Text(&t.merchant_name),
            Arg::Int(to_micros(t.at)),
        ];
        self.db
            .execute(&sql, &args)
            .await
            .map_err(map_err)
            .map(drop)
    }

    async fn txns(
        &self,
        project_id: &str,
        pars: &[String],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> CoreResult<Vec<CardTxn>> {
        if pars.is_empty() {
            return Ok(vec![]);
        }
        // A member's cards: a handful of binds.
        let sql = format!(
            "SELECT {TXN_COLS} FROM kona_card_txns WHERE project_id = $1 AND at >= $2 \
             AND at < $3 AND par IN ({}) ORDER BY at, is_cancel, nr_number",
            placeholders(4, pars.len())
        );
        let (from, to) = (to_micros(from), to_micros(to));
        let mut args = vec![Arg::Text(project_id), Arg::Int(from), Arg::Int(to)];
        args.extend(pars.iter().map(|p| Arg::Text(p)));
        let rows: Vec<TxnRow> = self.db.fetch_all(&sql, &args).await.map_err(map_err)?;
        Ok(rows.into_iter().map(CardTxn::from).collect())
    }

    async fn insert_refund(&self, r: &Refund) -> CoreResult<()> {
        let sql = "INSERT INTO kona_refunds (project_id, nr_number, account_id, amount_minor, \
                   due_at, paid_at) VALUES ($1, $2, $3, $4, $5, NULL) \
                   ON CONFLICT (project_id, nr_number) DO NOTHING";
        let args = [
            Arg::Text(&r.project_id),
            Arg::Text(&r.nr_number),
            Arg::Text(&r.account_id),
            Arg::Int(r.amount_minor),
            Arg::Int(to_micros(r.due_at)),
        ];
        self.db.execute(sql, &args).await.map_err(map_err).map(drop)
    }

    async fn due_refunds(&self, now: DateTime<Utc>) -> CoreResult<Vec<Refund>> {
        let sql =
            "SELECT project_id, nr_number, account_id, amount_minor, due_at FROM kona_refunds \
                   WHERE paid_at IS NULL AND due_at <= $1 ORDER BY due_at, nr_number";
        let rows: Vec<RefundRow> = (self.db)
            .fetch_all(sql, &[Arg::Int(to_micros(now))])
            .await
            .map_err(map_err)?;
        Ok(rows
            .into_iter()
            .map(|r| Refund {
                project_id: r.project_id,
                nr_number: r.nr_number,
                account_id: r.account_id,
                amount_minor: r.amount_minor,
                due_at: from_micros(r.due_at),
            })
            .collect())
    }

    async fn refund_paid(&self, project_id: &str, nr: &str, at: DateTime<Utc>) -> CoreResult<()> {
        let sql = "UPDATE kona_refunds SET paid_at = $3 WHERE project_id = $1 AND nr_number = $2";
        let args = [
            Arg::Text(project_id),
            Arg::Text(nr),
            Arg::Int(to_micros(at)),
        ];
        self.db.execute(sql, &args).await.map_err(map_err).map(drop)
    }
}
