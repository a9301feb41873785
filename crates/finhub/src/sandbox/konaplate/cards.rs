//! The cards switches of the Konaplate sandbox (konaplate-sandbox.md §2): a
//! plastic card bought in a shop, and the card company and the courier
//! moving a delivery along.

use super::{kona, P};
use crate::sandbox::error::SandboxError;
use crate::sandbox::extract::{Json, Path};
use crate::sandbox::SandboxState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{post, put};
use axum::Router;
use finhub_core::konaplate::cards::{Application, Delivery};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn routes() -> Router<SandboxState> {
    Router::new()
        .route(
            &format!("{P}/{{project_id}}/physical-cards"),
            post(add_physical_card),
        )
        .route(
            &format!("{P}/{{project_id}}/card-applications/{{card_apply_no}}/delivery"),
            put(move_delivery),
        )
}

type Answer = Result<(StatusCode, Json<Value>), SandboxError>;

#[derive(Debug, Default, Deserialize)]
pub struct PhysicalRequest {
    pub service_id: Option<String>,
}

/// A pre-issued card, registered to nobody: 201 with its printed data.
pub async fn add_physical_card(
    State(s): State<SandboxState>,
    Path(project_id): Path<String>,
    body: Bytes,
) -> Answer {
    let r: PhysicalRequest = if body.iter().all(u8::is_ascii_whitespace) {
        PhysicalRequest::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| SandboxError::BadRequest(e.to_string()))?
    };
    let p = (kona(&s))
        .add_pre_issued(&project_id, r.service_id.as_deref())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(
            json!({"card_no": p.card_no.as_str(), "expiry_date": p.expiry, "cvc": p.cvc,
                    "service_id": p.service_id.as_str()}),
        ),
    ))
}

#[derive(Debug, Deserialize)]
pub struct DeliveryRequest {
    pub status: Option<String>,
}

/// What the switches answer: the delivery and, once shipped, the card.
fn delivery_view(a: &Application) -> Value {
    let physical = (a.physical.as_ref())
        .map(|p| json!({"card_no": p.card_no.as_str(), "expiry_date": p.expiry, "cvc": p.cvc}));
    json!({"card_apply_no": a.card_apply_no.as_str(),
           "status": a.delivery.map_or("ETC", Delivery::as_str),
           "physical_card": physical})
}

/// The courier's step: forward along READY → RECEIPT → PRE_SHIPPING →
/// SHIPPING → ARRIVAL (skipping allowed), or to LOST / RETURN.
pub async fn move_delivery(
    State(s): State<SandboxState>,
    Path((project_id, no)): Path<(String, String)>,
    Json(r): Json<DeliveryRequest>,
) -> Answer {
    let to = (r.status.as_deref().and_then(Delivery::parse))
        .filter(|d| *d != Delivery::Cancel)
        .ok_or_else(|| {
            SandboxError::invalid(
                "status must be READY, RECEIPT, PRE_SHIPPING, SHIPPING, ARRIVAL, LOST or RETURN",
            )
        })?;
    let a = kona(&s).move_delivery(&project_id, &no, to).await?;
    Ok((StatusCode::OK, Json(delivery_view(&a))))
}
