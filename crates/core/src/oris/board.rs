//! Boards (threads), posts, comments and files. A board is seen by all
//! agencies, by one agency type, or by the operator only; the operator sees
//! every board. Only the author or the operator edits a post or comment; a
//! file belongs to the agency that uploaded it until it is attached to a
//! post, and then anyone who may read the post may download it.

use super::staff::{Agency, AgencyType};
use super::terms::operator_only;
use super::{OrisResult, Principal, Refusal};
use crate::CoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// The largest file the registry keeps (bytes, 10 MiB). The whole request is
/// also bounded by the face's body limit for uploads (16 MiB).
pub const FILE_MAX_BYTES: usize = 10 * 1024 * 1024;

/// Who sees a board.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    All,
    Operator,
    /// Agencies of this type (and the operator).
    Agencies(AgencyType),
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::All => "ALL",
            Visibility::Operator => "OPERATOR",
            Visibility::Agencies(t) => t.as_str(),
        }
    }

    pub fn parse(s: &str) -> Option<Visibility> {
        match s {
            "ALL" => Some(Visibility::All),
            "OPERATOR" => Some(Visibility::Operator),
            t => AgencyType::parse(t).map(Visibility::Agencies),
        }
    }

    pub fn admits(self, a: &Agency) -> bool {
        a.is_operator()
            || match self {
                Visibility::All => true,
                Visibility::Operator => false,
                Visibility::Agencies(t) => a.agency_type == t,
            }
    }
}

#[derive(Debug, Clone)]
pub struct Thread {
    pub thread_id: String,
    pub name: String,
    pub visibility: Visibility,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct Post {
    pub post_id: String,
    pub thread_id: String,
    pub title: String,
    pub content: String,
    pub author_id: String,
    pub agency_id: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct Comment {
    pub comment_id: String,
    pub post_id: String,
    pub content: String,
    pub author_id: String,
    pub agency_id: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A stored file's description (its bytes are read apart).
#[derive(Debug, Clone)]
pub struct FileMeta {
    pub file_id: String,
    pub agency_id: String,
    pub uploaded_by: String,
    pub file_name: String,
    pub content_type: String,
    pub size: u64,
    /// The post it is attached to, once attached.
    pub post_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A post with its attached files.
#[derive(Debug, Clone)]
pub struct PostView {
    pub post: Post,
    pub files: Vec<FileMeta>,
}

/// A file as uploaded.
#[derive(Debug, Clone)]
pub struct Upload {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

#[async_trait]
pub trait BoardRepo: Send + Sync {
    async fn insert_thread(&self, t: &Thread) -> CoreResult<()>;
    async fn threads(&self) -> CoreResult<Vec<Thread>>;
    async fn thread(&self, thread_id: &str) -> CoreResult<Option<Thread>>;
    async fn insert_post(&self, p: &Post) -> CoreResult<()>;
    /// A board's posts, newest first, and how many it has.
    async fn posts(&self, thread_id: &str, offset: u64, limit: u32)
        -> CoreResult<(Vec<Post>, u64)>;
    async fn post(&self, post_id: &str) -> CoreResult<Option<Post>>;
    async fn update_post(&self, p: &Post) -> CoreResult<()>;
    /// Its comments and attached files go with it.
    async fn delete_post(&self, post_id: &str) -> CoreResult<()>;
    /// A post's comments, oldest first, and how many it has.
    async fn comments(
        &self,
        post_id: &str,
        offset: u64,
        limit: u32,
    ) -> CoreResult<(Vec<Comment>, u64)>;
    async fn comment(&self, comment_id: &str) -> CoreResult<Option<Comment>>;
    async fn insert_comment(&self, c: &Comment) -> CoreResult<()>;
    async fn update_comment(&self, c: &Comment) -> CoreResult<()>;
    async fn delete_comment(&self, comment_id: &str) -> CoreResult<()>;
    async fn insert_file(&self, f: &FileMeta, bytes: &[u8]) -> CoreResult<()>;
    async fn file(&self, file_id: &str) -> CoreResult<Option<FileMeta>>;
    async fn file_bytes(&self, file_id: &str) -> CoreResult<Option<Vec<u8>>>;
    /// The files attached to these posts.
    async fn files_of(&self, post_ids: &[String]) -> CoreResult<Vec<FileMeta>>;
    /// Attaches a file not attached yet; false when it is attached already.
    async fn attach_file(&self, file_id: &str, post_id: &str) -> CoreResult<bool>;
    /// Deletes a file not attached; false when it is attached.
    async fn delete_file(&self, file_id: &str) -> CoreResult<bool>;
}

/// An id the store can be asked about: PostgreSQL's text cannot hold NUL,
/// and no id of ours has one.
pub(super) fn storable(id: &str) -> bool {
    !id.contains('\0')
}

/// The member a write speaks for: an API key's token writes nothing here.
fn author(p: &Principal) -> OrisResult<&str> {
    p.member_id().ok_or(Refusal::MemberAccessDenied)
}

/// The author, or the operator.
fn may_edit(p: &Principal, author_id: &str) -> bool {
    p.is_operator() || p.member_id() == Some(author_id)
}

impl super::Registry {
    /// `POST /threads`: the operator opens a board.
    pub async fn open_thread(
        &self,
        p: &Principal,
        name: String,
        visibility: Visibility,
    ) -> OrisResult<Thread> {
        operator_only(p)?;
        let t = Thread {
            thread_id: self.new_id(),
            name,
            visibility,
            created_by: author(p)?.to_owned(),
            created_at: self.now(),
        };
        self.repo.insert_thread(&t).await?;
        Ok(t)
    }

    /// The boards the caller's agency may see, oldest first.
    pub async fn visible_threads(&self, p: &Principal) -> OrisResult<Vec<Thread>> {
        let mut all = self.repo.threads().await?;
        all.retain(|t| t.visibility.admits(&p.agency));
        Ok(all)
    }

    /// One board the caller may see.
    pub async fn visible_thread(&self, p: &Principal, thread_id: &str) -> OrisResult<Thread> {
        let t = if storable(thread_id) {
            self.repo.thread(thread_id).await?
        } else {
            None
        }
        .ok_or(Refusal::ThreadNotFound)?;
        if !t.visibility.admits(&p.agency) {
            return Err(Refusal::ThreadAccessDenied);
        }
        Ok(t)
    }

    /// A board's posts with their files, newest first.
    pub async fn thread_posts(
        &self,
        p: &Principal,
        thread_id: &str,
        offset: u64,
        limit: u32,
    ) -> OrisResult<(Vec<PostView>, u64)> {
        self.visible_thread(p, thread_id).await?;
        let (posts, total) = self.repo.posts(thread_id, offset, limit).await?;
        let ids: Vec<String> = posts.iter().map(|p| p.post_id.clone()).collect();
        let files = self.repo.files_of(&ids).await?;
        let views = posts
            .into_iter()
            .map(|post| PostView {
                files: files
                    .iter()
                    .filter(|f| f.post_id.as_deref() == Some(post.post_id.as_str()))
                    .cloned()
                    .collect(),
                post,
            })
            .collect();
        Ok((views, total))
    }

    /// A new post on a board the caller may see.
    pub async fn write_post(
        &self,
        p: &Principal,
        thread_id: &str,
        title: String,
        content: String,
    ) -> OrisResult<PostView> {
        self.visible_thread(p, thread_id).await?;
        let now = self.now();
        let post = Post {
            post_id: self.new_id(),
            thread_id: thread_id.to_owned(),
            title,
            content,
            author_id: author(p)?.to_owned(),
            agency_id: p.agency.agency_id.clone(),
            created_at: now,
            updated_at: now,
        };
        self.repo.insert_post(&post).await?;
        Ok(PostView {
            post,
            files: Vec::new(),
        })
    }

    /// A post the caller may read (its board visible).
    async fn readable_post(&self, p: &Principal, post_id: &str) -> OrisResult<Post> {
        let post = if storable(post_id) {
            self.repo.post(post_id).await?
        } else {
            None
        }
        .ok_or(Refusal::PostNotFound)?;
        self.visible_thread(p, &post.thread_id).await?;
        Ok(post)
    }

    /// A post the caller may change: the author's, or any for the operator.
    async fn editable_post(&self, p: &Principal, post_id: &str) -> OrisResult<Post> {
        let post = self.readable_post(p, post_id).await?;
        if !may_edit(p, &post.author_id) {
            return Err(Refusal::PostAccessDenied);
        }
        Ok(post)
    }

    pub async fn read_post(&self, p: &Principal, post_id: &str) -> OrisResult<PostView> {
        let post = self.readable_post(p, post_id).await?;
        self.view(post).await
    }

    async fn view(&self, post: Post) -> OrisResult<PostView> {
        let files = self
            .repo
            .files_of(std::slice::from_ref(&post.post_id))
            .await?;
        Ok(PostView { post, files })
    }

    pub async fn edit_post(
        &self,
        p: &Principal,
        post_id: &str,
        title: String,
        content: String,
    ) -> OrisResult<PostView> {
        let post = Post {
            title,
            content,
            updated_at: self.now(),
            ..self.editable_post(p, post_id).await?
        };
        self.repo.update_post(&post).await?;
        self.view(post).await
    }

    /// Deletes a post with its comments and attached files.
    pub async fn delete_post(&self, p: &Principal, post_id: &str) -> OrisResult<()> {
        self.editable_post(p, post_id).await?;
        Ok(self.repo.delete_post(post_id).await?)
    }

    pub async fn post_comments(
        &self,
        p: &Principal,
        post_id: &str,
        offset: u64,
        limit: u32,
    ) -> OrisResult<(Vec<Comment>, u64)> {
        self.readable_post(p, post_id).await?;
        Ok(self.repo.comments(post_id, offset, limit).await?)
    }

    pub async fn write_comment(
        &self,
        p: &Principal,
        post_id: &str,
        content: String,
    ) -> OrisResult<Comment> {
        self.readable_post(p, post_id).await?;
        let now = self.now();
        let c = Comment {
            comment_id: self.new_id(),
            post_id: post_id.to_owned(),
            content,
            author_id: author(p)?.to_owned(),
            agency_id: p.agency.agency_id.clone(),
            created_at: now,
            updated_at: now,
        };
        self.repo.insert_comment(&c).await?;
        Ok(c)
    }

    /// A comment the caller may change: on a post they may read, and the
    /// author's (any, for the operator).
    async fn editable_comment(&self, p: &Principal, comment_id: &str) -> OrisResult<Comment> {
        let c = if storable(comment_id) {
            self.repo.comment(comment_id).await?
        } else {
            None
        }
        .ok_or(Refusal::CommentNotFound)?;
        self.readable_post(p, &c.post_id).await?;
        if !may_edit(p, &c.author_id) {
            return Err(Refusal::CommentAccessDenied);
        }
        Ok(c)
    }

    pub async fn edit_comment(
        &self,
        p: &Principal,
        comment_id: &str,
        content: String,
    ) -> OrisResult<Comment> {
        let c = Comment {
            content,
            updated_at: self.now(),
            ..self.editable_comment(p, comment_id).await?
        };
        self.repo.update_comment(&c).await?;
        Ok(c)
    }

    pub async fn delete_comment(&self, p: &Principal, comment_id: &str) -> OrisResult<()> {
        self.editable_comment(p, comment_id).await?;
        Ok(self.repo.delete_comment(comment_id).await?)
    }
}

impl super::Registry {
    /// Keeps an uploaded file for the caller's agency.
    pub async fn upload_file(&self, p: &Principal, up: Upload) -> OrisResult<FileMeta> {
        if up.bytes.is_empty() {
            return Err(Refusal::Invalid("the file is empty".into()));
        }
        if up.bytes.len() > FILE_MAX_BYTES {
            return Err(Refusal::Invalid(format!(
                "the file is larger than {FILE_MAX_BYTES} bytes"
            )));
        }
        let f = FileMeta {
            file_id: self.new_id(),
            agency_id: p.agency.agency_id.clone(),
            uploaded_by: author(p)?.to_owned(),
            file_name: up.file_name,
            content_type: up.content_type,
            size: up.bytes.len() as u64,
            post_id: None,
            created_at: self.now(),
        };
        self.repo.insert_file(&f, &up.bytes).await?;
        Ok(f)
    }

    async fn file_or_404(&self, file_id: &str) -> OrisResult<FileMeta> {
        if storable(file_id) {
            self.repo.file(file_id).await?
        } else {
            None
        }
        .ok_or(Refusal::FileNotFound)
    }

    /// A file the caller's agency owns (any, for the operator).
    async fn owned_file(&self, p: &Principal, file_id: &str) -> OrisResult<FileMeta> {
        let f = self.file_or_404(file_id).await?;
        if !p.may_act_on(&f.agency_id) {
            return Err(Refusal::FileAccessDenied);
        }
        Ok(f)
    }

    /// A file's description and bytes: for its agency, the operator, and
    /// whoever may read the post it is attached to.
    pub async fn download_file(
        &self,
        p: &Principal,
        file_id: &str,
    ) -> OrisResult<(FileMeta, Vec<u8>)> {
        let f = self.file_or_404(file_id).await?;
        if !p.may_act_on(&f.agency_id) {
            let post = match &f.post_id {
                Some(id) => self.repo.post(id).await?,
                None => None,
            };
            let thread = match post {
                Some(post) => self.repo.thread(&post.thread_id).await?,
                None => None,
            };
            if !thread.is_some_and(|t| t.visibility.admits(&p.agency)) {
                return Err(Refusal::FileAccessDenied);
            }
        }
        let bytes = self
            .repo
            .file_bytes(file_id)
            .await?
            .ok_or(Refusal::FileNotFound)?;
        Ok((f, bytes))
    }

    /// Deletes a file of the caller's agency while it is not attached.
    pub async fn delete_file(&self, p: &Principal, file_id: &str) -> OrisResult<()> {
        self.owned_file(p, file_id).await?;
        if !self.repo.delete_file(file_id).await? {
            return Err(Refusal::FileDeleteFailed);
        }
        Ok(())
    }

    /// Attaches a file of the caller's agency to a post the caller may
    /// edit; a file goes to one post only.
    pub async fn attach_file(
        &self,
        p: &Principal,
        post_id: &str,
        file_id: &str,
    ) -> OrisResult<PostView> {
        let post = self.editable_post(p, post_id).await?;
        self.owned_file(p, file_id).await?;
        if !self.repo.attach_file(file_id, post_id).await? {
            return Err(Refusal::FileAttached);
        }
        self.view(post).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visibility_words_round_trip_and_admit() {
        for v in [
            Visibility::All,
            Visibility::Operator,
            Visibility::Agencies(AgencyType::Bank),
        ] {
            assert_eq!(Visibility::parse(v.as_str()), Some(v));
        }
        assert_eq!(Visibility::parse("EVERYONE"), None);
        let mut a = Agency {
            agency_id: "a".into(),
            agency_code: "1004".into(),
            agency_name: "국민".into(),
            agency_type: AgencyType::Bank,
            org_code: None,
            approval: super::super::staff::Approval::Approved,
            active: true,
            created_at: DateTime::from_timestamp(0, 0).unwrap(),
        };
        assert!(Visibility::All.admits(&a));
        assert!(Visibility::Agencies(AgencyType::Bank).admits(&a));
        assert!(!Visibility::Agencies(AgencyType::Card).admits(&a));
        assert!(!Visibility::Operator.admits(&a));
        a.agency_type = AgencyType::Bok;
        assert!(Visibility::Operator.admits(&a));
        assert!(Visibility::Agencies(AgencyType::Card).admits(&a));
    }
}
