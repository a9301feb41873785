//! A face as a value: everything the assembly needs to serve one standard.
//! The binary holds a list of these; the profile registry, the merged
//! routes, each prefix's fallback, the shell's envelopes and the documents
//! are all derived from that list, so adding a face is one entry in it.

use crate::shell::FaceError;
use axum::body::Body;
use axum::http::header;
use axum::routing::get;
use axum::{Json, Router};
use finhub_oauth::{ProfileAdapter, Profiles};
use serde::Serialize;
use std::sync::Arc;
use utoipa::openapi::OpenApi;

/// One standard's face.
pub struct Face {
    /// Short name: `/openapi/{name}.json` serves its document.
    pub name: &'static str,
    /// Its routes, state applied, at the standard's own paths. Its fallback
    /// answers unknown paths under its prefixes.
    pub router: Router,
    /// The OAuth profile rules it brings (None: plain RFC 6749).
    pub adapter: Option<Arc<dyn ProfileAdapter>>,
    /// Path prefixes it owns, each ending in `/` (KFTC: `/v2.0/`).
    pub prefixes: Vec<&'static str>,
    /// How a refusal of the shell (413, 408, 504, 500) looks in its standard.
    pub shell_error: FaceError,
    /// Its OpenAPI document, as served.
    pub openapi: OpenApi,
    /// Path prefixes whose requests may carry bodies larger than the shell's
    /// default limit, with their own limit (ORIS batch chunks, files).
    pub body_limits: Vec<(&'static str, usize)>,
}

impl Face {
    fn document_path(&self) -> String {
        format!("/openapi/{}.json", self.name)
    }
}

/// Every face's profile adapter, registered once.
pub fn profiles(faces: &[Face]) -> Profiles {
    faces
        .iter()
        .filter_map(|f| f.adapter.clone())
        .fold(Profiles::default(), Profiles::with)
}

/// Prefix → envelope, for `ShellConfig::envelopes`.
pub fn envelopes(faces: &[Face]) -> Vec<(&'static str, FaceError)> {
    faces
        .iter()
        .flat_map(|f| f.prefixes.iter().map(|p| (*p, f.shell_error)))
        .collect()
}

/// Prefix → body limit, for `ShellConfig::body_limits`.
pub fn body_limits(faces: &[Face]) -> Vec<(&'static str, usize)> {
    faces
        .iter()
        .flat_map(|f| f.body_limits.iter().copied())
        .collect()
}

/// Every face's routes merged, each prefix's unknown paths sent to its
/// face's own fallback (the shell's 404 answers the rest), every document at
/// `/openapi/{name}.json`, their index at `/openapi`, and the docs page.
pub fn router(faces: &[Face]) -> Router {
    let mut out = Router::new();
    for face in faces {
        // Known routes merged (so metrics see their own paths); the face's
        // fallback stays with the prefix route below.
        out = out.merge(face.router.clone().reset_fallback());
        for prefix in &face.prefixes {
            assert!(
                prefix.ends_with('/'),
                "face prefix {prefix:?} must end in /"
            );
            let service = face.router.clone().into_service::<Body>();
            out = out.route_service(&format!("{prefix}{{*rest}}"), service);
        }
    }
    out.merge(documents(faces))
        .merge(crate::docs::router(faces))
}

#[derive(Serialize)]
struct Entry {
    name: &'static str,
    url: String,
    prefixes: Vec<&'static str>,
}

/// The documents, serialised once, and their index (scripts such as the
/// schemathesis run read it to know which faces exist).
fn documents(faces: &[Face]) -> Router {
    let index: Vec<Entry> = faces
        .iter()
        .map(|f| Entry {
            name: f.name,
            url: f.document_path(),
            prefixes: f.prefixes.clone(),
        })
        .collect();
    let index = serde_json::json!({ "faces": index });
    let index = Router::new().route("/openapi", get(move || async move { Json(index) }));
    faces.iter().map(document_route).fold(index, Router::merge)
}

/// `/openapi/{name}.json`, serialised once. Also for a face mounted on its
/// own, without the assembly (its crate's tests).
pub fn document_route(face: &Face) -> Router {
    // A document is maps and strings: serialising it cannot fail.
    let body = face.openapi.to_json().unwrap_or_default();
    let serve = move || async move { ([(header::CONTENT_TYPE, "application/json")], body) };
    Router::new().route(&face.document_path(), get(serve))
}

/// The name and path of each face's document, for the docs page.
pub(crate) fn document_urls(faces: &[Face]) -> Vec<(&'static str, String)> {
    faces.iter().map(|f| (f.name, f.document_path())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{Request, StatusCode};
    use axum::response::{IntoResponse, Response};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    fn refusal(status: StatusCode, _: &str) -> Response {
        (status, "refused").into_response()
    }

    /// A face answering its known path, and `{name}-fallback` for the rest.
    fn face(name: &'static str, prefix: &'static str) -> Face {
        let known = format!("{prefix}known");
        Face {
            name,
            router: Router::new()
                .route(&known, get(move || async move { name }))
                .fallback(move || async move { format!("{name}-fallback") }),
            adapter: None,
            prefixes: vec![prefix],
            shell_error: refusal,
            openapi: OpenApi::default(),
            body_limits: Vec::new(),
        }
    }

    async fn text(r: &Router, path: &str) -> (StatusCode, String) {
        let req = Request::get(path).body(Body::empty()).unwrap();
        let resp = r.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let body = resp.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn faces_with_fallbacks_merge_and_each_prefix_keeps_its_own() {
        let faces = [face("a", "/a/"), face("b", "/b/v1/")];
        let r = router(&faces);
        assert_eq!(text(&r, "/a/known").await.1, "a");
        assert_eq!(text(&r, "/b/v1/known").await.1, "b");
        assert_eq!(text(&r, "/a/other").await.1, "a-fallback");
        assert_eq!(text(&r, "/b/v1/x/y").await.1, "b-fallback");
        assert_eq!(text(&r, "/c").await.0, StatusCode::NOT_FOUND);
        let (s, index) = text(&r, "/openapi").await;
        assert_eq!(s, StatusCode::OK);
        assert!(index.contains("/openapi/b.json"), "{index}");
        assert_eq!(text(&r, "/openapi/a.json").await.0, StatusCode::OK);
        assert_eq!(envelopes(&faces).len(), 2);
    }
}
