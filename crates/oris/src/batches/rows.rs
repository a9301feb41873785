//! A chunk's body as sent, read into rows: gzip undone (within
//! maxChunkBytes), then a JSON array of row objects or CSV with a header
//! row. A row whose fields cannot be read keeps its place with the reason,
//! and is refused when the batch is applied.

use crate::error::{OrisError, OrisResult};
use crate::extract::MALFORMED_JSON;
use crate::wire::{parse_datetime, Usd};
use finhub_core::oris::batch::{BatchRow, ChunkKind, RowAction, MAX_CHUNK_BYTES};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::io::Read;
use std::str::FromStr;

/// The CSV columns every chunk's header must name.
pub const CSV_REQUIRED: [&str; 5] = [
    "action",
    "businessMessageIdentifier",
    "userId",
    "requestDate",
    "usdExchangeAmount",
];

/// The body with gzip undone, refused past maxChunkBytes (a small body may
/// inflate to any size).
pub fn inflate(body: &[u8], gzip: bool) -> OrisResult<Vec<u8>> {
    let limit = MAX_CHUNK_BYTES;
    if !gzip {
        if body.len() as u64 > limit {
            return Err(too_large());
        }
        return Ok(body.to_vec());
    }
    let mut out = Vec::with_capacity(body.len() * 6);
    flate2::read::GzDecoder::new(body)
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|_| OrisError::invalid("The chunk is not valid gzip"))?;
    if out.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(out)
}

fn too_large() -> OrisError {
    OrisError::invalid(format!(
        "The chunk exceeds maxChunkBytes ({MAX_CHUNK_BYTES})"
    ))
}

pub fn read(kind: ChunkKind, text: &[u8]) -> OrisResult<Vec<BatchRow>> {
    match kind {
        ChunkKind::Json => read_json(text),
        ChunkKind::Csv => read_csv(text),
    }
}

/// One row as JSON carries it: R1's fields, `action`, and for a RETURN
/// `returnDate` (and `reason`).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct JsonRow {
    action: Option<String>,
    business_message_identifier: Option<String>,
    user_id: Option<String>,
    request_date: Option<String>,
    usd_exchange_amount: Option<Usd>,
    currency: Option<String>,
    amount: Option<serde_json::Number>,
    evidence_submitted: Option<bool>,
    receiver_country: Option<String>,
    return_date: Option<String>,
    reason: Option<String>,
}

fn read_json(text: &[u8]) -> OrisResult<Vec<BatchRow>> {
    let values: Vec<serde_json::Value> =
        serde_json::from_slice(text).map_err(|_| OrisError::bad(MALFORMED_JSON))?;
    Ok(values
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let bmi = v["businessMessageIdentifier"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            match serde_json::from_value::<JsonRow>(v) {
                Ok(r) => json_row(i as u32, r),
                Err(e) => unreadable(i as u32, bmi, format!("Malformed row: {e}")),
            }
        })
        .collect())
}

fn json_row(index: u32, r: JsonRow) -> BatchRow {
    let fields = Fields {
        action: r.action,
        bmi: r.business_message_identifier,
        user_id: r.user_id,
        request_date: r.request_date,
        usd: r.usd_exchange_amount.map(|u| Ok(u.0)),
        currency: r.currency,
        amount: r.amount.map(|n| n.to_string()),
        evidence: r.evidence_submitted.map(Ok),
        receiver_country: r.receiver_country,
        return_date: r.return_date,
        reason: r.reason,
    };
    fields.into_row(index)
}

fn read_csv(text: &[u8]) -> OrisResult<Vec<BatchRow>> {
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text);
    let headers = rd
        .headers()
        .map_err(|_| OrisError::invalid("The CSV chunk has no readable header row"))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    if let Some(missing) = CSV_REQUIRED.iter().find(|c| col(c).is_none()) {
        return Err(OrisError::invalid(format!(
            "The CSV header must name {}; {missing} is missing",
            CSV_REQUIRED.join(", ")
        )));
    }
    let cols = CsvCols {
        action: col("action"),
        bmi: col("businessMessageIdentifier"),
        user_id: col("userId"),
        request_date: col("requestDate"),
        usd: col("usdExchangeAmount"),
        currency: col("currency"),
        amount: col("amount"),
        evidence: col("evidenceSubmitted"),
        receiver_country: col("receiverCountry"),
        return_date: col("returnDate"),
        reason: col("reason"),
    };
    let mut rows = Vec::new();
    for (i, rec) in rd.records().enumerate() {
        let row = match rec {
            Ok(rec) => cols.row(i as u32, &rec),
            Err(e) => unreadable(i as u32, String::new(), format!("Malformed CSV row: {e}")),
        };
        rows.push(row);
    }
    Ok(rows)
}

/// Where each field is in the CSV header.
struct CsvCols {
    action: Option<usize>,
    bmi: Option<usize>,
    user_id: Option<usize>,
    request_date: Option<usize>,
    usd: Option<usize>,
    currency: Option<usize>,
    amount: Option<usize>,
    evidence: Option<usize>,
    receiver_country: Option<usize>,
    return_date: Option<usize>,
    reason: Option<usize>,
}

impl CsvCols {
    fn row(&self, index: u32, rec: &csv::StringRecord) -> BatchRow {
        let get = |c: Option<usize>| {
            c.and_then(|c| rec.get(c))
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let fields = Fields {
            action: get(self.action),
            bmi: get(self.bmi),
            user_id: get(self.user_id),
            request_date: get(self.request_date),
            usd: get(self.usd).map(|s| usd_text(&s)),
            currency: get(self.currency),
            amount: get(self.amount),
            evidence: get(self.evidence).map(|s| match s.to_ascii_lowercase().as_str() {
                "true" => Ok(true),
                "false" => Ok(false),
                _ => Err(format!("evidenceSubmitted is not a boolean: {s}")),
            }),
            receiver_country: get(self.receiver_country),
            return_date: get(self.return_date),
            reason: get(self.reason),
        };
        fields.into_row(index)
    }
}

fn usd_text(s: &str) -> Result<i64, String> {
    Decimal::from_str(s)
        .ok()
        .and_then(Usd::from_decimal)
        .map(|u| u.0)
        .ok_or_else(|| format!("usdExchangeAmount is not an amount of at most two decimals: {s}"))
}

/// A row's fields as text, whichever format carried them.
struct Fields {
    action: Option<String>,
    bmi: Option<String>,
    user_id: Option<String>,
    request_date: Option<String>,
    usd: Option<Result<i64, String>>,
    currency: Option<String>,
    amount: Option<String>,
    evidence: Option<Result<bool, String>>,
    receiver_country: Option<String>,
    return_date: Option<String>,
    reason: Option<String>,
}

impl Fields {
    fn into_row(mut self, index: u32) -> BatchRow {
        let bmi = self.bmi.take().unwrap_or_default();
        match self.read(index, bmi.clone()) {
            Ok(row) => row,
            Err(problem) => unreadable(index, bmi, problem),
        }
    }

    fn read(self, index: u32, bmi: String) -> Result<BatchRow, String> {
        let action = match self.action.as_deref() {
            // A row without an action is a new report (R1), as R1's body is.
            None => RowAction::New,
            Some(a) => RowAction::parse(a)
                .ok_or_else(|| format!("action must be NEW, CORRECT or RETURN, not {a}"))?,
        };
        let date = |name: &str, v: Option<String>| {
            v.map(|s| parse_datetime(&s).ok_or_else(|| format!("{name} is not a date-time: {s}")))
                .transpose()
        };
        let mut request_date = date("requestDate", self.request_date)?;
        let mut return_date = date("returnDate", self.return_date)?;
        // A RETURN's returnDate takes requestDate's place when it has no column of its own.
        if action == RowAction::Return && return_date.is_none() {
            return_date = request_date.take();
        }
        if let Some(a) = &self.amount {
            Decimal::from_str(a).map_err(|_| format!("amount is not a number: {a}"))?;
        }
        Ok(BatchRow {
            index,
            action: Some(action),
            bmi,
            user_id: self.user_id,
            request_date,
            usd_cents: self.usd.transpose()?,
            currency: self.currency,
            amount: self.amount,
            evidence_submitted: self.evidence.transpose()?,
            receiver_country: self.receiver_country,
            return_date,
            reason: self.reason,
            problem: None,
        })
    }
}

fn unreadable(index: u32, bmi: String, problem: String) -> BatchRow {
    BatchRow {
        index,
        bmi,
        problem: Some(problem),
        ..BatchRow::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_read_by_header_and_returns_take_the_request_dates_place() {
        let text = "action,businessMessageIdentifier,userId,requestDate,usdExchangeAmount\n\
            NEW,202512011004000000001,U1,2025-12-01T10:00:00+09:00,870\n\
            RETURN,202512011004000000001,,2025-12-02T10:00:00+09:00,\n\
            NEW,202512011004000000002,U1,yesterday,1\n";
        let rows = read(ChunkKind::Csv, text.as_bytes()).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].usd_cents, Some(87_000));
        assert_eq!(rows[0].action, Some(RowAction::New));
        assert_eq!(rows[1].action, Some(RowAction::Return));
        assert!(rows[1].request_date.is_none() && rows[1].return_date.is_some());
        assert!(rows[2].problem.as_deref().unwrap().contains("requestDate"));
        assert_eq!(rows[2].bmi, "202512011004000000002");
        let e = read(ChunkKind::Csv, b"action,userId\nNEW,U1\n").unwrap_err();
        assert!(e.message.contains("businessMessageIdentifier"));
    }

    #[test]
    fn json_rows_and_gzip() {
        let text = br#"[{"businessMessageIdentifier":"202512011004000000001","userId":"U",
            "requestDate":"2025-12-01T10:00:00+09:00","usdExchangeAmount":45000.5},
            {"businessMessageIdentifier":"202512011004000000002","usdExchangeAmount":"x"}]"#;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, text).unwrap();
        let body = gz.finish().unwrap();
        let rows = read(ChunkKind::Json, &inflate(&body, true).unwrap()).unwrap();
        assert_eq!(rows[0].usd_cents, Some(4_500_050));
        assert!(rows[1].problem.is_some());
        assert_eq!(rows[1].bmi, "202512011004000000002");
        assert!(inflate(b"not gzip", true).is_err());
        assert_eq!(
            read(ChunkKind::Json, b"{").unwrap_err().message,
            MALFORMED_JSON
        );
    }
}
