-- ORIS boards (finhub_core::oris::board): threads, posts, comments and the
-- files attached to posts. Ids are ULIDs; times BIGINT microseconds UTC.
-- A file's bytes are kept in the row: BYTEA is PostgreSQL's binary type, and
-- SQLite keeps a bound blob as a blob whatever the column's declared type.

-- visibility: ALL, OPERATOR, or an agency type word (은행, 카드사, ...).
CREATE TABLE oris_threads (
    thread_id  TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    visibility TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE oris_posts (
    post_id    TEXT PRIMARY KEY,
    thread_id  TEXT NOT NULL REFERENCES oris_threads (thread_id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    content    TEXT NOT NULL,
    author_id  TEXT NOT NULL,
    agency_id  TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX oris_posts_thread ON oris_posts (thread_id, created_at);

CREATE TABLE oris_comments (
    comment_id TEXT PRIMARY KEY,
    post_id    TEXT NOT NULL REFERENCES oris_posts (post_id) ON DELETE CASCADE,
    content    TEXT NOT NULL,
    author_id  TEXT NOT NULL,
    agency_id  TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX oris_comments_post ON oris_comments (post_id, created_at);

-- post_id: NULL until attached; a post's deletion takes its files along.
CREATE TABLE oris_files (
    file_id      TEXT PRIMARY KEY,
    agency_id    TEXT NOT NULL,
    uploaded_by  TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    post_id      TEXT REFERENCES oris_posts (post_id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    data         BYTEA NOT NULL,
    CONSTRAINT oris_files_size CHECK (size >= 0)
);
CREATE INDEX oris_files_post ON oris_files (post_id);
