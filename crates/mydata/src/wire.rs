//! The shared wire parts: every answer starts with `rsp_code` and `rsp_msg`;
//! an API's own fields are flattened after them.

use crate::codes::Rsp;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// `rsp_code` aN(5) and `rsp_msg` AH(450): the whole body of an error.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct Head {
    pub rsp_code: String,
    pub rsp_msg: String,
}

impl Head {
    pub fn of(rsp: Rsp) -> Head {
        Head {
            rsp_code: rsp.code().into(),
            rsp_msg: rsp.message().into(),
        }
    }
}

/// A successful answer: the head, then the API's fields.
#[derive(Debug, Serialize)]
pub struct Reply<T> {
    #[serde(flatten)]
    pub head: Head,
    #[serde(flatten)]
    pub body: T,
}

impl<T: Serialize> Reply<T> {
    pub fn ok(body: T) -> Reply<T> {
        Reply {
            head: Head::of(Rsp::Ok),
            body,
        }
    }
}

impl<T: Serialize> IntoResponse for Reply<T> {
    fn into_response(self) -> Response {
        Json(self).into_response()
    }
}

/// An answer that may be "nothing changed since your search_timestamp":
/// `00001` with the timestamp and no data fields.
pub enum Synced<T> {
    Changed(T),
    UpToDate { search_timestamp: i64 },
}

#[derive(Serialize)]
struct UpToDateBody {
    search_timestamp: i64,
}

impl<T: Serialize> IntoResponse for Synced<T> {
    fn into_response(self) -> Response {
        match self {
            Synced::Changed(body) => Reply::ok(body).into_response(),
            Synced::UpToDate { search_timestamp } => Json(Reply {
                head: Head::of(Rsp::UpToDate),
                body: UpToDateBody { search_timestamp },
            })
            .into_response(),
        }
    }
}
