//! Boards, posts and comments (N1–N3). Reads need the `inquiry` scope;
//! writes the group permission BOARD_WRITE as well (a VIEWER reads only).
//! Only the operator opens a board. A board is seen by all agencies
//! (`ALL`), by the operator only (`OPERATOR`), or by agencies of one type
//! (`은행`, `카드사`, ...); the operator sees every board.

use crate::caller::Caller;
use crate::error::{ErrorBody, OrisError, OrisResult};
use crate::extract::{validation, Json, Paging, Path, Query, INVALID_ARGUMENT};
use crate::files::FileItem;
use crate::wire::{datetime, Page, PageInfo};
use crate::OrisState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use finhub_core::oris::board::{Comment, PostView, Thread, Visibility};
use finhub_core::oris::staff::{Permission, Scope};
use finhub_core::oris::Need;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

/// Board reads.
const READ: Need = Need::of(Scope::Inquiry, None);
/// Posts and comments.
pub(crate) const WRITE: Need = Need::of(Scope::Inquiry, Some(Permission::BoardWrite));

pub fn routes() -> Router<OrisState> {
    Router::new()
        .route("/api/oris/v1/threads", get(threads).post(open_thread))
        .route("/api/oris/v1/threads/{threadId}", get(thread))
        .route(
            "/api/oris/v1/threads/{threadId}/posts",
            get(posts).post(write_post),
        )
        .route(
            "/api/oris/v1/posts/{postId}",
            get(post).put(edit_post).delete(delete_post),
        )
        .route(
            "/api/oris/v1/posts/{postId}/comments",
            get(comments).post(write_comment),
        )
        .route(
            "/api/oris/v1/comments/{commentId}",
            axum::routing::put(edit_comment).delete(delete_comment),
        )
}

#[derive(OpenApi)]
#[openapi(
    paths(
        threads,
        open_thread,
        thread,
        posts,
        write_post,
        post,
        edit_post,
        delete_post,
        comments,
        write_comment,
        edit_comment,
        delete_comment
    ),
    components(schemas(
        ThreadRequest,
        ThreadItem,
        ThreadPage,
        PostRequest,
        PostItem,
        PostPage,
        CommentRequest,
        CommentItem,
        CommentPage
    ))
)]
pub struct Doc;

#[derive(Debug, Deserialize, IntoParams)]
pub struct PageQuery {
    /// 0-based.
    #[param(value_type = Option<u32>)]
    pub page: Option<String>,
    /// 1..100, default 10.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub size: Option<String>,
}

impl PageQuery {
    fn paging(&self) -> OrisResult<Paging> {
        Paging::parse(self.page.as_deref(), self.size.as_deref(), 100)
    }
}

/// A required text field, not blank. NUL is refused too: PostgreSQL's text
/// cannot hold it.
pub(crate) fn text(v: Option<String>, name: &str) -> OrisResult<String> {
    let v = v
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| validation(&format!("{name} must not be blank")))?;
    if v.contains('\0') {
        return Err(validation(&format!("{name} must not contain NUL")));
    }
    Ok(v)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ThreadRequest {
    #[schema(example = "공지사항", value_type = String, min_length = 1, pattern = "\\S")]
    pub name: Option<String>,
    /// `ALL`, `OPERATOR`, or an agency type (`은행`, `우정사업본부`, `증권사`,
    /// `카드사`, `소액해외송금업자`, `한국은행`).
    #[schema(example = "ALL", value_type = String,
        pattern = "^(ALL|OPERATOR|은행|우정사업본부|증권사|카드사|소액해외송금업자|한국은행)$")]
    pub visibility: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ThreadItem {
    pub thread_id: String,
    pub name: String,
    pub visibility: &'static str,
    pub created_at: String,
}

impl From<Thread> for ThreadItem {
    fn from(t: Thread) -> Self {
        ThreadItem {
            thread_id: t.thread_id,
            name: t.name,
            visibility: t.visibility.as_str(),
            created_at: datetime(t.created_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadPage {
    pub content: Vec<ThreadItem>,
    pub page: PageInfo,
}

fn page<T, U: From<T>>(items: Vec<T>, paging: Paging, total: u64) -> axum::Json<Page<U>> {
    axum::Json(Page {
        content: items.into_iter().map(U::from).collect(),
        page: PageInfo::new(paging, total),
    })
}

/// N1: the boards the caller's agency may see, oldest first.
#[utoipa::path(get, path = "/api/oris/v1/threads", tag = "boards", params(PageQuery),
    security(("bearer" = [])), responses((status = 200, body = ThreadPage)))]
pub async fn threads(
    State(st): State<OrisState>,
    caller: Caller,
    Query(q): Query<PageQuery>,
) -> OrisResult<axum::Json<Page<ThreadItem>>> {
    caller.need(&st, READ).await?;
    let paging = q.paging()?;
    let all = st.registry.visible_threads(&caller.principal).await?;
    let total = all.len() as u64;
    let shown = all
        .into_iter()
        .skip(paging.offset() as usize)
        .take(paging.size as usize)
        .collect();
    Ok(page(shown, paging, total))
}

/// N1: the operator opens a board (scope `admin`, BOARD_WRITE); anyone
/// else is FORBIDDEN. A visibility outside its set is `Invalid argument`.
#[utoipa::path(post, path = "/api/oris/v1/threads", tag = "boards", request_body = ThreadRequest,
    security(("bearer" = [])),
    responses((status = 201, body = ThreadItem),
        (status = 400, description = "BAD_REQUEST", body = ErrorBody),
        (status = 403, description = "FORBIDDEN (not the operator), MEMBER_ACCESS_DENIED", body = ErrorBody)))]
pub async fn open_thread(
    State(st): State<OrisState>,
    caller: Caller,
    Json(req): Json<ThreadRequest>,
) -> OrisResult<(StatusCode, axum::Json<ThreadItem>)> {
    caller
        .need(&st, Need::of(Scope::Admin, Some(Permission::BoardWrite)))
        .await?;
    let name = text(req.name, "name")?;
    let vis = text(req.visibility, "visibility")?;
    let vis = Visibility::parse(&vis).ok_or_else(|| OrisError::bad(INVALID_ARGUMENT))?;
    let t = st
        .registry
        .open_thread(&caller.principal, name, vis)
        .await?;
    Ok((StatusCode::CREATED, axum::Json(t.into())))
}

/// N1: one board.
#[utoipa::path(get, path = "/api/oris/v1/threads/{threadId}", tag = "boards",
    params(("threadId" = String, Path, description = "ULID")), security(("bearer" = [])),
    responses((status = 200, body = ThreadItem),
        (status = 403, description = "THREAD_ACCESS_DENIED", body = ErrorBody),
        (status = 404, description = "THREAD_NOT_FOUND", body = ErrorBody)))]
pub async fn thread(
    State(st): State<OrisState>,
    caller: Caller,
    Path(id): Path<String>,
) -> OrisResult<axum::Json<ThreadItem>> {
    caller.need(&st, READ).await?;
    let t = st.registry.visible_thread(&caller.principal, &id).await?;
    Ok(axum::Json(t.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PostRequest {
    #[schema(value_type = String, min_length = 1, pattern = "\\S")]
    pub title: Option<String>,
    #[schema(value_type = String, min_length = 1, pattern = "\\S")]
    pub content: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PostItem {
    pub post_id: String,
    pub thread_id: String,
    pub title: String,
    pub content: String,
    /// The member who wrote it.
    pub author_id: String,
    pub agency_id: String,
    pub files: Vec<FileItem>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<PostView> for PostItem {
    fn from(v: PostView) -> Self {
        let p = v.post;
        PostItem {
            files: v.files.into_iter().map(FileItem::from).collect(),
            created_at: datetime(p.created_at),
            updated_at: datetime(p.updated_at),
            post_id: p.post_id,
            thread_id: p.thread_id,
            title: p.title,
            content: p.content,
            author_id: p.author_id,
            agency_id: p.agency_id,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PostPage {
    pub content: Vec<PostItem>,
    pub page: PageInfo,
}

/// N1: a board's posts, newest first, each with its files.
#[utoipa::path(get, path = "/api/oris/v1/threads/{threadId}/posts", tag = "boards",
    params(("threadId" = String, Path, description = "ULID"), PageQuery),
    security(("bearer" = [])),
    responses((status = 200, body = PostPage),
        (status = 403, description = "THREAD_ACCESS_DENIED", body = ErrorBody),
        (status = 404, description = "THREAD_NOT_FOUND", body = ErrorBody)))]
pub async fn posts(
    State(st): State<OrisState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> OrisResult<axum::Json<Page<PostItem>>> {
    caller.need(&st, READ).await?;
    let paging = q.paging()?;
    let (views, total) = st
        .registry
        .thread_posts(&caller.principal, &id, paging.offset(), paging.size)
        .await?;
    Ok(page(views, paging, total))
}

/// N1: a new post on a board the caller may see (BOARD_WRITE; an API key's
/// token cannot write: MEMBER_ACCESS_DENIED).
#[utoipa::path(post, path = "/api/oris/v1/threads/{threadId}/posts", tag = "boards",
    params(("threadId" = String, Path, description = "ULID")), request_body = PostRequest,
    security(("bearer" = [])),
    responses((status = 201, body = PostItem),
        (status = 403, description = "THREAD_ACCESS_DENIED, MEMBER_ACCESS_DENIED", body = ErrorBody),
        (status = 404, description = "THREAD_NOT_FOUND", body = ErrorBody)))]
pub async fn write_post(
    State(st): State<OrisState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(req): Json<PostRequest>,
) -> OrisResult<(StatusCode, axum::Json<PostItem>)> {
    caller.need(&st, WRITE).await?;
    let (title, content) = (text(req.title, "title")?, text(req.content, "content")?);
    let v = st
        .registry
        .write_post(&caller.principal, &id, title, content)
        .await?;
    Ok((StatusCode::CREATED, axum::Json(v.into())))
}

/// N2: one post with its files.
#[utoipa::path(get, path = "/api/oris/v1/posts/{postId}", tag = "boards",
    params(("postId" = String, Path, description = "ULID")), security(("bearer" = [])),
    responses((status = 200, body = PostItem),
        (status = 403, description = "THREAD_ACCESS_DENIED", body = ErrorBody),
        (status = 404, description = "POST_NOT_FOUND", body = ErrorBody)))]
pub async fn post(
    State(st): State<OrisState>,
    caller: Caller,
    Path(id): Path<String>,
) -> OrisResult<axum::Json<PostItem>> {
    caller.need(&st, READ).await?;
    let v = st.registry.read_post(&caller.principal, &id).await?;
    Ok(axum::Json(v.into()))
}

/// N2: rewrite a post: its author, or the operator (else POST_ACCESS_DENIED).
#[utoipa::path(put, path = "/api/oris/v1/posts/{postId}", tag = "boards",
    params(("postId" = String, Path, description = "ULID")), request_body = PostRequest,
    security(("bearer" = [])),
    responses((status = 200, body = PostItem),
        (status = 403, description = "POST_ACCESS_DENIED, THREAD_ACCESS_DENIED", body = ErrorBody),
        (status = 404, description = "POST_NOT_FOUND", body = ErrorBody)))]
pub async fn edit_post(
    State(st): State<OrisState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(req): Json<PostRequest>,
) -> OrisResult<axum::Json<PostItem>> {
    caller.need(&st, WRITE).await?;
    let (title, content) = (text(req.title, "title")?, text(req.content, "content")?);
    let v = st
        .registry
        .edit_post(&caller.principal, &id, title, content)
        .await?;
    Ok(axum::Json(v.into()))
}

/// N2: delete a post (204) with its comments and attached files: its
/// author, or the operator.
#[utoipa::path(delete, path = "/api/oris/v1/posts/{postId}", tag = "boards",
    params(("postId" = String, Path, description = "ULID")), security(("bearer" = [])),
    responses((status = 204, description = "deleted"),
        (status = 403, description = "POST_ACCESS_DENIED, THREAD_ACCESS_DENIED", body = ErrorBody),
        (status = 404, description = "POST_NOT_FOUND", body = ErrorBody)))]
pub async fn delete_post(
    State(st): State<OrisState>,
    caller: Caller,
    Path(id): Path<String>,
) -> OrisResult<StatusCode> {
    caller.need(&st, WRITE).await?;
    st.registry.delete_post(&caller.principal, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CommentRequest {
    #[schema(value_type = String, min_length = 1, pattern = "\\S")]
    pub content: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CommentItem {
    pub comment_id: String,
    pub post_id: String,
    pub content: String,
    pub author_id: String,
    pub agency_id: String,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Comment> for CommentItem {
    fn from(c: Comment) -> Self {
        CommentItem {
            created_at: datetime(c.created_at),
            updated_at: datetime(c.updated_at),
            comment_id: c.comment_id,
            post_id: c.post_id,
            content: c.content,
            author_id: c.author_id,
            agency_id: c.agency_id,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommentPage {
    pub content: Vec<CommentItem>,
    pub page: PageInfo,
}

/// N3: a post's comments, oldest first.
#[utoipa::path(get, path = "/api/oris/v1/posts/{postId}/comments", tag = "boards",
    params(("postId" = String, Path, description = "ULID"), PageQuery),
    security(("bearer" = [])),
    responses((status = 200, body = CommentPage),
        (status = 403, description = "THREAD_ACCESS_DENIED", body = ErrorBody),
        (status = 404, description = "POST_NOT_FOUND", body = ErrorBody)))]
pub async fn comments(
    State(st): State<OrisState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> OrisResult<axum::Json<Page<CommentItem>>> {
    caller.need(&st, READ).await?;
    let paging = q.paging()?;
    let (items, total) = st
        .registry
        .post_comments(&caller.principal, &id, paging.offset(), paging.size)
        .await?;
    Ok(page(items, paging, total))
}

/// N3: a comment on a post the caller may read.
#[utoipa::path(post, path = "/api/oris/v1/posts/{postId}/comments", tag = "boards",
    params(("postId" = String, Path, description = "ULID")), request_body = CommentRequest,
    security(("bearer" = [])),
    responses((status = 201, body = CommentItem),
        (status = 403, description = "THREAD_ACCESS_DENIED, MEMBER_ACCESS_DENIED", body = ErrorBody),
        (status = 404, description = "POST_NOT_FOUND", body = ErrorBody)))]
pub async fn write_comment(
    State(st): State<OrisState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(req): Json<CommentRequest>,
) -> OrisResult<(StatusCode, axum::Json<CommentItem>)> {
    caller.need(&st, WRITE).await?;
    let content = text(req.content, "content")?;
    let c = st
        .registry
        .write_comment(&caller.principal, &id, content)
        .await?;
    Ok((StatusCode::CREATED, axum::Json(c.into())))
}

/// N3: rewrite a comment: its author, or the operator (else
/// COMMENT_ACCESS_DENIED).
#[utoipa::path(put, path = "/api/oris/v1/comments/{commentId}", tag = "boards",
    params(("commentId" = String, Path, description = "ULID")), request_body = CommentRequest,
    security(("bearer" = [])),
    responses((status = 200, body = CommentItem),
        (status = 403, description = "COMMENT_ACCESS_DENIED", body = ErrorBody),
        (status = 404, description = "COMMENT_NOT_FOUND", body = ErrorBody)))]
pub async fn edit_comment(
    State(st): State<OrisState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(req): Json<CommentRequest>,
) -> OrisResult<axum::Json<CommentItem>> {
    caller.need(&st, WRITE).await?;
    let content = text(req.content, "content")?;
    let c = st
        .registry
        .edit_comment(&caller.principal, &id, content)
        .await?;
    Ok(axum::Json(c.into()))
}

/// N3: delete a comment (204): its author, or the operator.
#[utoipa::path(delete, path = "/api/oris/v1/comments/{commentId}", tag = "boards",
    params(("commentId" = String, Path, description = "ULID")), security(("bearer" = [])),
    responses((status = 204, description = "deleted"),
        (status = 403, description = "COMMENT_ACCESS_DENIED", body = ErrorBody),
        (status = 404, description = "COMMENT_NOT_FOUND", body = ErrorBody)))]
pub async fn delete_comment(
    State(st): State<OrisState>,
    caller: Caller,
    Path(id): Path<String>,
) -> OrisResult<StatusCode> {
    caller.need(&st, WRITE).await?;
    st.registry.delete_comment(&caller.principal, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
