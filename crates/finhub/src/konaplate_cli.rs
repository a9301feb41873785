//! `finhub konaplate …`: each `/sandbox/konaplate/…` route as a command over
//! the same store. A command is dispatched through the sandbox's own routes
//! in process, so the CLI and the HTTP API cannot drift apart.

use crate::sandbox::SandboxState;
use axum::body::Body;
use axum::http::{Method, Request};
use clap::Subcommand;
use serde_json::{json, Value};
use tower::ServiceExt;

#[derive(Debug, Subcommand)]
pub enum KonaCommand {
    /// Projects: create (prints the secrets, the only time), list, show.
    Project {
        #[command(subcommand)]
        what: ProjectCommand,
    },
    /// Add an access key to a project, or set a key's status.
    AccessKey {
        #[command(subcommand)]
        what: AccessKeyCommand,
    },
    /// Add a crypto key to a project (at most two live), or discard one.
    CryptoKey {
        #[command(subcommand)]
        what: CryptoKeyCommand,
    },
    /// Set a member's status: ACTIVE, DORMANT or BLOCKED.
    MemberStatus {
        project_id: String,
        user_id: u64,
        status: String,
    },
    /// A pre-issued plastic card of the project, registered to nobody.
    PhysicalCard {
        project_id: String,
        #[arg(long)]
        service_id: Option<String>,
    },
    /// Move a card application's delivery (READY … ARRIVAL, LOST, RETURN).
    Delivery {
        project_id: String,
        card_apply_no: String,
        status: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProjectCommand {
    Create {
        #[arg(long)]
        name: String,
        /// sandbox, uat or si.
        #[arg(long)]
        key_type: Option<String>,
        /// One line of JSON (the default prints it indented).
        #[arg(long)]
        json: bool,
    },
    List {
        #[arg(long)]
        json: bool,
    },
    Show {
        project_id: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AccessKeyCommand {
    Create {
        project_id: String,
        #[arg(long)]
        key_type: Option<String>,
    },
    /// active, inactive or discarded (final).
    Set {
        project_id: String,
        access_key: String,
        status: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum CryptoKeyCommand {
    Create {
        project_id: String,
        /// A PEM file of the provider's own public key (else a pair is made).
        #[arg(long)]
        client_public_key: Option<std::path::PathBuf>,
    },
    Discard {
        project_id: String,
        crypto_key_id: String,
    },
}

const P: &str = "/sandbox/konaplate/projects";

/// A route: method, path, body, and whether to print one line.
type Route = (Method, String, Option<Value>, bool);

/// The route a command stands for.
fn route(c: KonaCommand) -> std::io::Result<Route> {
    use KonaCommand as K;
    Ok(match c {
        K::Project { what } => project_route(what),
        K::AccessKey { what } => access_key_route(what),
        K::CryptoKey { what } => crypto_key_route(what)?,
        K::MemberStatus {
            project_id,
            user_id,
            status,
        } => {
            let path = format!("{P}/{project_id}/members/{user_id}/status");
            (Method::PUT, path, Some(json!({"status": status})), false)
        }
        K::PhysicalCard {
            project_id,
            service_id,
        } => {
            let path = format!("{P}/{project_id}/physical-cards");
            (
                Method::POST,
                path,
                Some(json!({"service_id": service_id})),
                false,
            )
        }
        K::Delivery {
            project_id,
            card_apply_no,
            status,
        } => {
            let path = format!("{P}/{project_id}/card-applications/{card_apply_no}/delivery");
            (Method::PUT, path, Some(json!({"status": status})), false)
        }
    })
}

fn project_route(c: ProjectCommand) -> Route {
    match c {
        ProjectCommand::Create {
            name,
            key_type,
            json,
        } => (
            Method::POST,
            P.into(),
            Some(json!({"name": name, "key_type": key_type})),
            json,
        ),
        ProjectCommand::List { json } => (Method::GET, P.into(), None, json),
        ProjectCommand::Show { project_id, json } => {
            (Method::GET, format!("{P}/{project_id}"), None, json)
        }
    }
}

fn access_key_route(c: AccessKeyCommand) -> Route {
    match c {
        AccessKeyCommand::Create {
            project_id,
            key_type,
        } => {
            let path = format!("{P}/{project_id}/access-keys");
            (
                Method::POST,
                path,
                Some(json!({"key_type": key_type})),
                false,
            )
        }
        AccessKeyCommand::Set {
            project_id,
            access_key,
            status,
        } => {
            let path = format!("{P}/{project_id}/access-keys/{access_key}");
            (Method::PUT, path, Some(json!({"status": status})), false)
        }
    }
}

fn crypto_key_route(c: CryptoKeyCommand) -> std::io::Result<Route> {
    Ok(match c {
        CryptoKeyCommand::Create {
            project_id,
            client_public_key,
        } => {
            let pem = client_public_key.map(std::fs::read_to_string).transpose()?;
            let path = format!("{P}/{project_id}/crypto-keys");
            (
                Method::POST,
                path,
                Some(json!({"client_public_key": pem})),
                false,
            )
        }
        CryptoKeyCommand::Discard {
            project_id,
            crypto_key_id,
        } => {
            let path = format!("{P}/{project_id}/crypto-keys/{crypto_key_id}");
            (Method::DELETE, path, None, false)
        }
    })
}

/// Run a command: its answer as JSON, or the sandbox's error message.
pub async fn run(s: SandboxState, c: KonaCommand) -> Result<String, String> {
    let (method, path, body, compact) = route(c).map_err(|e| e.to_string())?;
    let mut req = Request::builder().method(method).uri(path);
    let body = match body {
        Some(v) => {
            req = req.header("content-type", "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    let app = crate::sandbox::konaplate::routes().with_state(s);
    let resp = (app
        .oneshot(req.body(body).map_err(|e| e.to_string())?)
        .await)
        .map_err(|e| e.to_string())?;
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20)
        .await
        .map_err(|e| e.to_string())?;
    let v: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    if !status.is_success() {
        return Err(format!(
            "{status}: {}",
            v["message"].as_str().unwrap_or_default()
        ));
    }
    Ok(if compact {
        v.to_string()
    } else {
        serde_json::to_string_pretty(&v).unwrap_or_default()
    })
}
