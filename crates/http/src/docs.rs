//! The docs page at `/docs`: Swagger UI over every face's document. The UI's
//! files are built into the binary (utoipa-swagger-ui, vendored), so the page
//! loads nothing from outside, at build time or in the browser.

use crate::face::{document_urls, Face};
use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::Arc;
use utoipa_swagger_ui::Config;

/// Where the page and its files are served.
pub const DOCS_PATH: &str = "/docs";

pub fn router(faces: &[Face]) -> Router {
    let urls = document_urls(faces);
    let page = Html(page(&urls));
    // For the UI's own index.html and initializer under /docs/, if asked for.
    let config = Config::new(urls.iter().map(|(_, url)| url.clone())).validator_url("none");
    let config = Arc::new(config);
    Router::new()
        .route(DOCS_PATH, get(page.clone()))
        .route(&format!("{DOCS_PATH}/"), get(page))
        .route(
            &format!("{DOCS_PATH}/{{*file}}"),
            get(move |Path(file): Path<String>| asset(file, config.clone())),
        )
}

/// One of the UI's own files.
async fn asset(file: String, config: Arc<Config<'static>>) -> Response {
    match utoipa_swagger_ui::serve(&file, config) {
        Ok(Some(f)) => (
            [(header::CONTENT_TYPE, f.content_type)],
            f.bytes.into_owned(),
        )
            .into_response(),
        Ok(None) => crate::error::json_error(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no docs file {file}"),
        ),
        Err(e) => {
            tracing::error!(error = %e, "docs: cannot render {file}");
            crate::error::json_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the server could not complete the request",
            )
        }
    }
}

/// The page: the UI's files by absolute path (so `/docs` and `/docs/` both
/// work) and a document picker naming every face's document. The validator
/// badge is off: it would call a public validator.
fn page(urls: &[(&'static str, String)]) -> String {
    let list: Vec<_> = urls
        .iter()
        .map(|(name, url)| serde_json::json!({ "name": name, "url": url }))
        .collect();
    let list = serde_json::to_string(&list).unwrap_or_else(|_| "[]".into());
    format!(
        r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>finhub API documents</title>
<link rel="stylesheet" type="text/css" href="{DOCS_PATH}/swagger-ui.css">
<link rel="icon" type="image/png" href="{DOCS_PATH}/favicon-32x32.png" sizes="32x32">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{DOCS_PATH}/swagger-ui-bundle.js" charset="utf-8"></script>
<script src="{DOCS_PATH}/swagger-ui-standalone-preset.js" charset="utf-8"></script>
<script>
window.onload = function () {{
  window.ui = SwaggerUIBundle({{
    urls: {list},
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "StandaloneLayout"
  }});
}};
</script>
</body>
</html>
"##
    )
}
