//! `POST /sandbox/integrated-auth` (mydata-sandbox.md §5): the sandbox CA
//! signs a person's consent and hands back the 통합인증-002 form, every field
//! but `client_secret`.

use super::error::SandboxError;
use super::extract::Json;
use super::SandboxState;
use axum::extract::State;
use finhub_mydata::adapter::ca::{form, FormAsk, FormError};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntegratedBody {
    pub client_id: String,
    pub person_id: String,
    pub org_code: String,
    pub scope: String,
    /// As `GET /sandbox/people/{id}/assets` names them; absent: every one
    /// the scopes open there.
    pub assets: Option<Vec<String>>,
    /// `1` (default) a detailed consent, `0` the asset-list consent.
    pub request_type: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SignedForm {
    pub form: Map<String, Value>,
}

impl From<FormError> for SandboxError {
    fn from(e: FormError) -> Self {
        match e {
            FormError::NotFound(m) => SandboxError::NotFound(m),
            FormError::Invalid(m) => SandboxError::Unprocessable(m),
            FormError::Failed(e) => e.into(),
        }
    }
}

pub async fn sign(
    State(s): State<SandboxState>,
    Json(b): Json<IntegratedBody>,
) -> Result<Json<SignedForm>, SandboxError> {
    let ask = FormAsk {
        client_id: &b.client_id,
        person_id: &b.person_id,
        org_code: &b.org_code,
        scope: &b.scope,
        assets: b.assets.as_deref(),
        request_type: b.request_type.as_deref(),
    };
    let form = form(&s.world, &s.oauth, ask).await?;
    Ok(Json(SignedForm { form }))
}
