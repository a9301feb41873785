//! Boards, posts, comments and files: finhub_core::oris::board.

use super::bad;
use crate::{map_err, on_db, Store};
use async_trait::async_trait;
use finhub_core::clock::{from_micros, to_micros};
use finhub_core::oris::board::{BoardRepo, Comment, FileMeta, Post, Thread, Visibility};
use finhub_core::CoreResult;

const THREAD_COLS: &str = "thread_id, name, visibility, created_by, created_at";

#[derive(sqlx::FromRow)]
struct ThreadRow {
    thread_id: String,
    name: String,
    visibility: String,
    created_by: String,
    created_at: i64,
}

impl ThreadRow {
    fn into_thread(self) -> CoreResult<Thread> {
        Ok(Thread {
            visibility: Visibility::parse(&self.visibility).ok_or_else(|| bad("visibility"))?,
            thread_id: self.thread_id,
            name: self.name,
            created_by: self.created_by,
            created_at: from_micros(self.created_at),
        })
    }
}

const POST_COLS: &str =
    "post_id, thread_id, title, content, author_id, agency_id, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct PostRow {
    post_id: String,
    thread_id: String,
    title: String,
    content: String,
    author_id: String,
    agency_id: String,
    created_at: i64,
    updated_at: i64,
}

impl PostRow {
    fn into_post(self) -> Post {
        Post {
            post_id: self.post_id,
            thread_id: self.thread_id,
            title: self.title,
            content: self.content,
            author_id: self.author_id,
            agency_id: self.agency_id,
            created_at: from_micros(self.created_at),
            updated_at: from_micros(self.updated_at),
        }
    }
}

const COMMENT_COLS: &str =
    "comment_id, post_id, content, author_id, agency_id, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct CommentRow {
    comment_id: String,
    post_id: String,
    content: String,
    author_id: String,
    agency_id: String,
    created_at: i64,
    updated_at: i64,
}

impl CommentRow {
    fn into_comment(self) -> Comment {
        Comment {
            comment_id: self.comment_id,
            post_id: self.post_id,
            content: self.content,
            author_id: self.author_id,
            agency_id: self.agency_id,
            created_at: from_micros(self.created_at),
            updated_at: from_micros(self.updated_at),
        }
    }
}

/// Every column but the bytes.
const FILE_COLS: &str =
    "file_id, agency_id, uploaded_by, file_name, content_type, size, post_id, created_at";

#[derive(sqlx::FromRow)]
struct FileRow {
    file_id: String,
    agency_id: String,
    uploaded_by: String,
    file_name: String,
    content_type: String,
    size: i64,
    post_id: Option<String>,
    created_at: i64,
}

impl FileRow {
    fn into_file(self) -> CoreResult<FileMeta> {
        Ok(FileMeta {
            size: u64::try_from(self.size).map_err(|_| bad("file size"))?,
            file_id: self.file_id,
            agency_id: self.agency_id,
            uploaded_by: self.uploaded_by,
            file_name: self.file_name,
            content_type: self.content_type,
            post_id: self.post_id,
            created_at: from_micros(self.created_at),
        })
    }
}

/// One statement without rows to read back.
async fn exec(store: &Store, sql: &str, binds: &[&str]) -> CoreResult<u64> {
    on_db!(&store.db, p => {
        let mut q = sqlx::query(sql);
        for b in binds {
            q = q.bind(*b);
        }
        q.execute(p).await.map(|r| r.rows_affected())
    })
    .map_err(map_err)
}

#[async_trait]
impl BoardRepo for Store {
    async fn insert_thread(&self, t: &Thread) -> CoreResult<()> {
        let sql = format!("INSERT INTO oris_threads ({THREAD_COLS}) VALUES ($1, $2, $3, $4, $5)");
        on_db!(&self.db, p => sqlx::query(&sql)
            .bind(&t.thread_id).bind(&t.name).bind(t.visibility.as_str()).bind(&t.created_by)
            .bind(to_micros(t.created_at))
            .execute(p).await.map(|_| ()).map_err(map_err))
    }

    async fn threads(&self) -> CoreResult<Vec<Thread>> {
        let sql = format!("SELECT {THREAD_COLS} FROM oris_threads ORDER BY created_at, thread_id");
        let rows = on_db!(&self.db, p => sqlx::query_as::<_, ThreadRow>(&sql).fetch_all(p).await)
            .map_err(map_err)?;
        rows.into_iter().map(ThreadRow::into_thread).collect()
    }

    async fn thread(&self, thread_id: &str) -> CoreResult<Option<Thread>> {
        let sql = format!("SELECT {THREAD_COLS} FROM oris_threads WHERE thread_id = $1");
        let row = on_db!(&self.db, p => sqlx::query_as::<_, ThreadRow>(&sql)
            .bind(thread_id).fetch_optional(p).await)
        .map_err(map_err)?;
        row.map(ThreadRow::into_thread).transpose()
    }

    async fn insert_post(&self, t: &Post) -> CoreResult<()> {
        let sql =
            format!("INSERT INTO oris_posts ({POST_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
        on_db!(&self.db, p => sqlx::query(&sql)
            .bind(&t.post_id).bind(&t.thread_id).bind(&t.title).bind(&t.content)
            .bind(&t.author_id).bind(&t.agency_id).bind(to_micros(t.created_at))
            .bind(to_micros(t.updated_at))
            .execute(p).await.map(|_| ()).map_err(map_err))
    }

    async fn posts(
        &self,
        thread_id: &str,
        offset: u64,
        limit: u32,
    ) -> CoreResult<(Vec<Post>, u64)> {
        let sql = format!(
            "SELECT {POST_COLS} FROM oris_posts WHERE thread_id = $1 \
             ORDER BY created_at DESC, post_id DESC LIMIT $2 OFFSET $3"
        );
        let count = "SELECT COUNT(*) FROM oris_posts WHERE thread_id = $1";
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let (rows, total) = on_db!(&self.db, p => {
            let rows = sqlx::query_as::<_, PostRow>(&sql)
                .bind(thread_id).bind(i64::from(limit)).bind(offset).fetch_all(p).await;
            let total = sqlx::query_scalar::<_, i64>(count).bind(thread_id).fetch_one(p).await;
            rows.and_then(|r| total.map(|t| (r, t)))
        })
        .map_err(map_err)?;
        let posts = rows.into_iter().map(PostRow::into_post).collect();
        Ok((posts, u64::try_from(total).unwrap_or(0)))
    }

    async fn post(&self, post_id: &str) -> CoreResult<Option<Post>> {
        let sql = format!("SELECT {POST_COLS} FROM oris_posts WHERE post_id = $1");
        let row = on_db!(&self.db, p => sqlx::query_as::<_, PostRow>(&sql)
            .bind(post_id).fetch_optional(p).await)
        .map_err(map_err)?;
        Ok(row.map(PostRow::into_post))
    }

    async fn update_post(&self, t: &Post) -> CoreResult<()> {
        let sql = "UPDATE oris_posts SET title = $2, content = $3, updated_at = $4 \
                   WHERE post_id = $1";
        on_db!(&self.db, p => sqlx::query(sql)
            .bind(&t.post_id).bind(&t.title).bind(&t.content).bind(to_micros(t.updated_at))
            .execute(p).await.map(|_| ()).map_err(map_err))
    }

    async fn delete_post(&self, post_id: &str) -> CoreResult<()> {
        // Comments and attached files go by their ON DELETE CASCADE.
        exec(
            self,
            "DELETE FROM oris_posts WHERE post_id = $1",
            &[post_id],
        )
        .await?;
        Ok(())
    }

    async fn comments(
        &self,
        post_id: &str,
        offset: u64,
        limit: u32,
    ) -> CoreResult<(Vec<Comment>, u64)> {
        let sql = format!(
            "SELECT {COMMENT_COLS} FROM oris_comments WHERE post_id = $1 \
             ORDER BY created_at, comment_id LIMIT $2 OFFSET $3"
        );
        let count = "SELECT COUNT(*) FROM oris_comments WHERE post_id = $1";
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let (rows, total) = on_db!(&self.db, p => {
            let rows = sqlx::query_as::<_, CommentRow>(&sql)
                .bind(post_id).bind(i64::from(limit)).bind(offset).fetch_all(p).await;
            let total = sqlx::query_scalar::<_, i64>(count).bind(post_id).fetch_one(p).await;
            rows.and_then(|r| total.map(|t| (r, t)))
        })
        .map_err(map_err)?;
        let comments = rows.into_iter().map(CommentRow::into_comment).collect();
        Ok((comments, u64::try_from(total).unwrap_or(0)))
    }

    async fn comment(&self, comment_id: &str) -> CoreResult<Option<Comment>> {
        let sql = format!("SELECT {COMMENT_COLS} FROM oris_comments WHERE comment_id = $1");
        let row = on_db!(&self.db, p => sqlx::query_as::<_, CommentRow>(&sql)
            .bind(comment_id).fetch_optional(p).await)
        .map_err(map_err)?;
        Ok(row.map(CommentRow::into_comment))
    }

    async fn insert_comment(&self, c: &Comment) -> CoreResult<()> {
        let sql = format!(
            "INSERT INTO oris_comments ({COMMENT_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        );
        on_db!(&self.db, p => sqlx::query(&sql)
            .bind(&c.comment_id).bind(&c.post_id).bind(&c.content).bind(&c.author_id)
            .bind(&c.agency_id).bind(to_micros(c.created_at)).bind(to_micros(c.updated_at))
            .execute(p).await.map(|_| ()).map_err(map_err))
    }

    async fn update_comment(&self, c: &Comment) -> CoreResult<()> {
        let sql = "UPDATE oris_comments SET content = $2, updated_at = $3 WHERE comment_id = $1";
        on_db!(&self.db, p => sqlx::query(sql)
            .bind(&c.comment_id).bind(&c.content).bind(to_micros(c.updated_at))
            .execute(p).await.map(|_| ()).map_err(map_err))
    }

    async fn delete_comment(&self, comment_id: &str) -> CoreResult<()> {
        let sql = "DELETE FROM oris_comments WHERE comment_id = $1";
        exec(self, sql, &[comment_id]).await?;
        Ok(())
    }

    async fn insert_file(&self, f: &FileMeta, bytes: &[u8]) -> CoreResult<()> {
        let sql = format!(
            "INSERT INTO oris_files ({FILE_COLS}, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        );
        let size = i64::try_from(f.size).map_err(|_| bad("file size"))?;
        on_db!(&self.db, p => sqlx::query(&sql)
            .bind(&f.file_id).bind(&f.agency_id).bind(&f.uploaded_by).bind(&f.file_name)
            .bind(&f.content_type).bind(size).bind(&f.post_id).bind(to_micros(f.created_at))
            .bind(bytes)
            .execute(p).await.map(|_| ()).map_err(map_err))
    }

    async fn file(&self, file_id: &str) -> CoreResult<Option<FileMeta>> {
        let sql = format!("SELECT {FILE_COLS} FROM oris_files WHERE file_id = $1");
        let row = on_db!(&self.db, p => sqlx::query_as::<_, FileRow>(&sql)
            .bind(file_id).fetch_optional(p).await)
        .map_err(map_err)?;
        row.map(FileRow::into_file).transpose()
    }

    async fn file_bytes(&self, file_id: &str) -> CoreResult<Option<Vec<u8>>> {
        let sql = "SELECT data FROM oris_files WHERE file_id = $1";
        on_db!(&self.db, p => sqlx::query_scalar::<_, Vec<u8>>(sql)
            .bind(file_id).fetch_optional(p).await)
        .map_err(map_err)
    }

    async fn files_of(&self, post_ids: &[String]) -> CoreResult<Vec<FileMeta>> {
        if post_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {FILE_COLS} FROM oris_files WHERE post_id IN ({}) \
             ORDER BY created_at, file_id",
            crate::sql::placeholders(1, post_ids.len())
        );
        let rows = on_db!(&self.db, p => {
            let mut q = sqlx::query_as::<_, FileRow>(&sql);
            for id in post_ids {
                q = q.bind(id);
            }
            q.fetch_all(p).await
        })
        .map_err(map_err)?;
        rows.into_iter().map(FileRow::into_file).collect()
    }

    async fn attach_file(&self, file_id: &str, post_id: &str) -> CoreResult<bool> {
        // The condition decides between two racing attaches.
        let sql = "UPDATE oris_files SET post_id = $2 WHERE file_id = $1 AND post_id IS NULL";
        Ok(exec(self, sql, &[file_id, post_id]).await? == 1)
    }

    async fn delete_file(&self, file_id: &str) -> CoreResult<bool> {
        let sql = "DELETE FROM oris_files WHERE file_id = $1 AND post_id IS NULL";
        Ok(exec(self, sql, &[file_id]).await? == 1)
    }
}
