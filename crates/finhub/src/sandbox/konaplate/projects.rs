//! Projects, access keys and crypto keys (konaplate-sandbox.md §1). The
//! secrets are shown once, in the answers that create them.

use super::kona;
use crate::sandbox::error::SandboxError;
use crate::sandbox::extract::{Json, Path};
use crate::sandbox::SandboxState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use finhub_core::konaplate::project::{
    AccessKey, Created, CryptoKey, KeyStatus, KeyType, Project, SERVICES,
};
use finhub_core::konaplate::Kona;
use secrecy::ExposeSecret;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

/// A body that may be left out: empty is the default request.
fn optional<T: DeserializeOwned + Default>(b: &Bytes) -> Result<T, SandboxError> {
    if b.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(b).map_err(|e| SandboxError::BadRequest(e.to_string()))
}

type Answer = Result<(StatusCode, Json<Value>), SandboxError>;

#[derive(Debug, Deserialize)]
pub struct CreateRequest {
    pub name: Option<String>,
    pub key_type: Option<String>,
}

fn key_type(v: Option<&str>) -> Result<KeyType, SandboxError> {
    match v {
        None => Ok(KeyType::Sandbox),
        Some(t) => KeyType::parse(t)
            .ok_or_else(|| SandboxError::invalid("key_type must be sandbox, uat or si")),
    }
}

fn services() -> Value {
    let s: Vec<Value> = SERVICES
        .iter()
        .map(|s| {
            json!({"service_id": s.service_id, "service_name": s.service_name,
                   "service_type": s.service_type, "is_delivery_required": s.is_delivery_required})
        })
        .collect();
    Value::Array(s)
}

fn project_view(p: &Project) -> Value {
    json!({"project_id": p.project_id, "name": p.name, "asp_id": p.asp_id.as_str(),
           "created_at": p.created_at.to_rfc3339()})
}

fn access_view(k: &AccessKey) -> Value {
    json!({"access_key": k.access_key.as_str(), "key_type": k.key_type.as_str(),
           "status": k.status.as_str(), "created_at": k.created_at.to_rfc3339()})
}

fn crypto_view(k: &CryptoKey) -> Value {
    json!({"crypto_key_id": k.crypto_key_id.as_str(), "status": k.status.as_str(),
           "server_public_key": k.server_public_pem, "client_public_key": k.client_public_pem,
           "created_at": k.created_at.to_rfc3339()})
}

/// The create answer, field for field (§1), secrets included.
pub fn created_view(c: &Created) -> Value {
    let mut v = project_view(&c.project);
    let merchants: Vec<Value> = (c.merchants.iter())
        .map(|m| json!({"merchant_id": m.merchant_id.as_str(), "merchant_name": m.merchant_name}))
        .collect();
    let extra = json!({
        "access_key": c.access_key.access_key.as_str(),
        "secret_key": c.access_key.secret.expose_secret(),
        "key_type": c.access_key.key_type.as_str(),
        "key_status": c.access_key.status.as_str(),
        "crypto_key_id": c.crypto_key.crypto_key_id.as_str(),
        "server_public_key": c.crypto_key.server_public_pem,
        "client_public_key": c.crypto_key.client_public_pem,
        "client_private_key": c.client_private_pem.as_ref().map(|k| k.expose_secret().to_owned()),
        "services": services(),
        "merchants": merchants,
    });
    if let (Some(o), Value::Object(e)) = (v.as_object_mut(), extra) {
        o.extend(e);
    }
    v
}

/// Create a project; the CLI and the demo call this too.
pub async fn create_project(
    k: &Kona,
    name: &str,
    key_type: KeyType,
) -> Result<Value, SandboxError> {
    Ok(created_view(&k.create_project(name, key_type).await?))
}

pub async fn create(State(s): State<SandboxState>, Json(r): Json<CreateRequest>) -> Answer {
    let name = r
        .name
        .ok_or_else(|| SandboxError::invalid("name is required"))?;
    let t = key_type(r.key_type.as_deref())?;
    Ok((
        StatusCode::CREATED,
        Json(create_project(&kona(&s), &name, t).await?),
    ))
}

pub async fn list(State(s): State<SandboxState>) -> Answer {
    let ps = kona(&s).repo.projects().await?;
    let ps: Vec<Value> = ps.iter().map(project_view).collect();
    Ok((StatusCode::OK, Json(json!({"projects": ps}))))
}

pub async fn one(State(s): State<SandboxState>, Path(id): Path<String>) -> Answer {
    let k = kona(&s);
    let p = k.project(&id).await?;
    let access: Vec<Value> = k
        .repo
        .access_keys(&id)
        .await?
        .iter()
        .map(access_view)
        .collect();
    let crypto: Vec<Value> = k
        .repo
        .crypto_keys(&id)
        .await?
        .iter()
        .map(crypto_view)
        .collect();
    let mut v = project_view(&p);
    v["access_keys"] = json!(access);
    v["crypto_keys"] = json!(crypto);
    v["services"] = services();
    let merchants: Vec<Value> = (k.repo.merchants(&id).await?.iter())
        .map(|m| json!({"merchant_id": m.merchant_id.as_str(), "merchant_name": m.merchant_name}))
        .collect();
    v["merchants"] = json!(merchants);
    Ok((StatusCode::OK, Json(v)))
}

#[derive(Debug, Default, Deserialize)]
pub struct KeyRequest {
    pub key_type: Option<String>,
}

pub async fn add_access_key(
    State(s): State<SandboxState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer {
    let body: KeyRequest = optional(&body)?;
    let t = key_type(body.key_type.as_deref())?;
    let k = kona(&s).add_access_key(&id, t).await?;
    let mut v = access_view(&k);
    v["secret_key"] = json!(k.secret.expose_secret());
    Ok((StatusCode::CREATED, Json(v)))
}

#[derive(Debug, Deserialize)]
pub struct StatusRequest {
    pub status: Option<String>,
}

pub async fn set_access_key(
    State(s): State<SandboxState>,
    Path((id, key)): Path<(String, String)>,
    Json(r): Json<StatusRequest>,
) -> Answer {
    let to = (r.status.as_deref().and_then(KeyStatus::parse))
        .ok_or_else(|| SandboxError::invalid("status must be active, inactive or discarded"))?;
    let k = kona(&s).set_access_key_status(&id, &key, to).await?;
    Ok((StatusCode::OK, Json(access_view(&k))))
}

#[derive(Debug, Default, Deserialize)]
pub struct CryptoRequest {
    pub client_public_key: Option<String>,
}

pub async fn add_crypto_key(
    State(s): State<SandboxState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer {
    let body: CryptoRequest = optional(&body)?;
    let pem = body.client_public_key;
    let (k, private) = kona(&s).add_crypto_key(&id, pem.as_deref()).await?;
    let mut v = crypto_view(&k);
    if let Some(p) = private {
        v["client_private_key"] = json!(p.expose_secret());
    }
    Ok((StatusCode::CREATED, Json(v)))
}

pub async fn discard_crypto_key(
    State(s): State<SandboxState>,
    Path((id, key)): Path<(String, String)>,
) -> Answer {
    let k = kona(&s).discard_crypto_key(&id, &key).await?;
    Ok((
        StatusCode::OK,
        Json(json!({"crypto_key_id": k.crypto_key_id.as_str(), "status": "discarded"})),
    ))
}
