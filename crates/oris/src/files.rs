//! Files (N4): uploaded as multipart (the part named `file`), kept in the
//! database, downloaded as their bytes, attached to one post. A file is its
//! agency's until attached; then whoever may read the post may download it.

use crate::boards::{PostItem, WRITE};
use crate::caller::Caller;
use crate::error::{ErrorBody, OrisError, OrisResult};
use crate::extract::Path;
use crate::OrisState;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use finhub_core::oris::board::{FileMeta, Upload};
use finhub_core::oris::staff::Scope;
use finhub_core::oris::Need;
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

pub fn routes() -> Router<OrisState> {
    Router::new()
        .route("/api/oris/v1/files", post(upload))
        .route("/api/oris/v1/files/{fileId}", get(download).delete(remove))
        .route("/api/oris/v1/posts/{postId}/files/{fileId}", post(attach))
}

#[derive(OpenApi)]
#[openapi(
    paths(upload, download, remove, attach),
    components(schemas(FileItem, UploadForm))
)]
pub struct Doc;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FileItem {
    pub file_id: String,
    pub file_name: String,
    /// Bytes.
    pub size: u64,
    pub content_type: String,
}

impl From<FileMeta> for FileItem {
    fn from(f: FileMeta) -> Self {
        FileItem {
            file_id: f.file_id,
            file_name: f.file_name,
            size: f.size,
            content_type: f.content_type,
        }
    }
}

/// The multipart form of an upload: one binary part named `file`.
pub struct UploadForm;

impl utoipa::PartialSchema for UploadForm {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        let binary = ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)));
        ObjectBuilder::new()
            .property("file", binary)
            .required("file")
            .into()
    }
}
impl ToSchema for UploadForm {}

/// Spring's refusal of a multipart request without the part.
const NO_FILE_PART: &str = "Required request part 'file' is not present";

/// The part named `file`: its name, type and bytes. Other parts are ignored.
async fn file_part(mut form: Multipart) -> OrisResult<Upload> {
    let broken = |e: axum::extract::multipart::MultipartError| {
        OrisError::bad(format!("Failed to parse multipart servlet request; {e}")).at(e.status())
    };
    while let Some(field) = form.next_field().await.map_err(broken)? {
        if field.name() != Some("file") {
            continue;
        }
        let file_name = clean_name(field.file_name());
        let content_type = field
            .content_type()
            .filter(|t| t.contains('/') && HeaderValue::from_str(t).is_ok())
            .unwrap_or("application/octet-stream")
            .to_owned();
        let bytes = field.bytes().await.map_err(broken)?.to_vec();
        return Ok(Upload {
            file_name,
            content_type,
            bytes,
        });
    }
    Err(OrisError::bad(NO_FILE_PART))
}

/// The last path segment of a client's file name, at most 255 characters.
fn clean_name(name: Option<&str>) -> String {
    let base = name
        .unwrap_or("")
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .trim();
    let base: String = base.chars().filter(|c| !c.is_control()).take(255).collect();
    if base.is_empty() {
        "file".to_owned()
    } else {
        base
    }
}

/// N4: upload a file (multipart, the part named `file`) for the caller's
/// agency (BOARD_WRITE). At most 10 MiB (10,485,760 bytes; larger:
/// INVALID_REQUEST; a request over 16 MiB: 413); an empty file is
/// INVALID_REQUEST. Without the part: BAD_REQUEST.
#[utoipa::path(post, path = "/api/oris/v1/files", tag = "files",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    security(("bearer" = [])),
    responses((status = 201, body = FileItem),
        (status = 400, description = "BAD_REQUEST, INVALID_REQUEST", body = ErrorBody),
        (status = 403, description = "MEMBER_ACCESS_DENIED", body = ErrorBody),
        (status = 413, description = "the request is larger than the body limit", body = ErrorBody)))]
pub async fn upload(
    State(st): State<OrisState>,
    caller: Caller,
    form: Result<Multipart, MultipartRejection>,
) -> OrisResult<(StatusCode, axum::Json<FileItem>)> {
    caller.need(&st, WRITE).await?;
    let form = form.map_err(|r| {
        OrisError::bad(format!(
            "Current request is not a multipart request; {}",
            r.body_text()
        ))
    })?;
    let up = file_part(form).await?;
    let f = st.registry.upload_file(&caller.principal, up).await?;
    Ok((StatusCode::CREATED, axum::Json(f.into())))
}

/// `attachment` with an ASCII name and the UTF-8 one (RFC 6266, 5987).
fn disposition(name: &str) -> HeaderValue {
    let ascii: String = name
        .chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' => c,
            _ => '_',
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

/// N4: the file's bytes, with its content type. For the uploading agency,
/// the operator, and whoever may read the post it is attached to; anyone
/// else FILE_ACCESS_DENIED.
#[utoipa::path(get, path = "/api/oris/v1/files/{fileId}", tag = "files",
    params(("fileId" = String, Path, description = "ULID")), security(("bearer" = [])),
    responses((status = 200, description = "the file's bytes, served with its own content type",
            content_type = "*/*", body = Vec<u8>),
        (status = 403, description = "FILE_ACCESS_DENIED", body = ErrorBody),
        (status = 404, description = "FILE_NOT_FOUND", body = ErrorBody)))]
pub async fn download(
    State(st): State<OrisState>,
    caller: Caller,
    Path(id): Path<String>,
) -> OrisResult<Response> {
    caller.need(&st, Need::of(Scope::Inquiry, None)).await?;
    let (f, bytes) = st.registry.download_file(&caller.principal, &id).await?;
    let ct = HeaderValue::from_str(&f.content_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    let headers = [
        (header::CONTENT_TYPE, ct),
        (header::CONTENT_DISPOSITION, disposition(&f.file_name)),
    ];
    Ok((headers, bytes).into_response())
}

/// N4: delete a file of the caller's agency (204) while it is not attached
/// (attached: FILE_DELETE_FAILED; it goes with its post).
#[utoipa::path(delete, path = "/api/oris/v1/files/{fileId}", tag = "files",
    params(("fileId" = String, Path, description = "ULID")), security(("bearer" = [])),
    responses((status = 204, description = "deleted"),
        (status = 403, description = "FILE_ACCESS_DENIED", body = ErrorBody),
        (status = 404, description = "FILE_NOT_FOUND", body = ErrorBody),
        (status = 409, description = "FILE_DELETE_FAILED (attached)", body = ErrorBody)))]
pub async fn remove(
    State(st): State<OrisState>,
    caller: Caller,
    Path(id): Path<String>,
) -> OrisResult<StatusCode> {
    caller.need(&st, WRITE).await?;
    st.registry.delete_file(&caller.principal, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// N4: attach a file of the caller's agency to a post the caller may edit
/// (its author, or the operator). A file goes to one post only. Answers the
/// post with its files.
#[utoipa::path(post, path = "/api/oris/v1/posts/{postId}/files/{fileId}", tag = "files",
    params(("postId" = String, Path, description = "ULID"),
        ("fileId" = String, Path, description = "ULID")),
    security(("bearer" = [])),
    responses((status = 200, body = PostItem),
        (status = 403, description = "POST_ACCESS_DENIED, FILE_ACCESS_DENIED, THREAD_ACCESS_DENIED", body = ErrorBody),
        (status = 404, description = "POST_NOT_FOUND, FILE_NOT_FOUND", body = ErrorBody),
        (status = 409, description = "FILE_ALREADY_ATTACHED", body = ErrorBody)))]
pub async fn attach(
    State(st): State<OrisState>,
    caller: Caller,
    Path((post_id, file_id)): Path<(String, String)>,
) -> OrisResult<axum::Json<PostItem>> {
    caller.need(&st, WRITE).await?;
    let v = st
        .registry
        .attach_file(&caller.principal, &post_id, &file_id)
        .await?;
    Ok(axum::Json(v.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cleaned_and_encoded() {
        assert_eq!(clean_name(Some("C:\\docs\\보고서.pdf")), "보고서.pdf");
        assert_eq!(clean_name(Some("../../etc/passwd")), "passwd");
        assert_eq!(clean_name(None), "file");
        let d = disposition("보고서 1.pdf");
        let d = d.to_str().unwrap();
        assert!(d.starts_with("attachment; filename=\"___ 1.pdf\""), "{d}");
        assert!(
            d.ends_with("UTF-8''%EB%B3%B4%EA%B3%A0%EC%84%9C%201.pdf"),
            "{d}"
        );
    }
}
