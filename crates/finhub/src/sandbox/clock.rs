//! Move the world's clock: `{"advance_seconds": N}` or `{"now": RFC 3339}`.

use super::error::SandboxError;
use super::extract::Json;
use super::SandboxState;
use axum::extract::State;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// A hundred years either way is more than any scenario needs.
const MAX_ADVANCE_SECS: i64 = 100 * 366 * 24 * 3600;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockChange {
    pub advance_seconds: Option<i64>,
    pub now: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ClockView {
    pub now: String,
    pub offset_seconds: i64,
}

fn view(s: &SandboxState) -> ClockView {
    let now = s.world.clock.now();
    ClockView {
        now: now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        offset_seconds: (now - Utc::now()).num_seconds(),
    }
}

pub async fn get_clock(State(s): State<SandboxState>) -> Json<ClockView> {
    Json(view(&s))
}

pub async fn set_clock(
    State(s): State<SandboxState>,
    Json(c): Json<ClockChange>,
) -> Result<Json<ClockView>, SandboxError> {
    match (c.advance_seconds, c.now) {
        (Some(secs), None) => {
            if secs.abs() > MAX_ADVANCE_SECS {
                return Err(SandboxError::invalid(
                    "advance_seconds must be within 100 years",
                ));
            }
            s.world.clock.advance(Duration::seconds(secs));
        }
        (None, Some(now)) => {
            let at = DateTime::parse_from_rfc3339(&now)
                .map_err(|_| SandboxError::invalid("now must be an RFC 3339 time"))?
                .with_timezone(&Utc);
            if (at - Utc::now()).num_seconds().abs() > MAX_ADVANCE_SECS {
                return Err(SandboxError::invalid("now must be within 100 years"));
            }
            s.world.clock.set(at);
        }
        _ => {
            return Err(SandboxError::invalid(
                "give exactly one of advance_seconds or now",
            ))
        }
    }
    // One world clock: the other nodes follow at their next request.
    s.store.save_clock().await?;
    // What fell due before the new time is settled before the answer
    // (refunds of cancelled Konaplate charges).
    super::konaplate::kona(&s).settle_refunds().await?;
    Ok(Json(view(&s)))
}
