//! `X-KM-Correlation-Id` as the request's identity within a project
//! (konaplate-sandbox.md, "Idempotency"): the first request under an id is
//! executed and its answer kept; a repeat on the same path gets that answer
//! and executes nothing; the same id on another path is refused.

use super::Kona;
use crate::CoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};

/// A request's answer as the transport sent it, before any encryption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The id is new (or its first holder gave up): execute, then `finish`.
    Fresh,
    /// The first request's answer.
    Done(Answer),
    /// The id belongs to another path.
    OtherPath,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Held {
    /// Nothing under this id.
    None,
    Running {
        path: String,
        since: DateTime<Utc>,
    },
    Done {
        path: String,
        answer: Answer,
    },
}

#[async_trait]
pub trait ExchangeRepo: Send + Sync {
    /// Claim `(project, id)` for `path` at `now`; false when it is held
    /// already (the unique key decides).
    async fn claim_exchange(
        &self,
        project_id: &str,
        id: &str,
        path: &str,
        now: DateTime<Utc>,
    ) -> CoreResult<bool>;
    async fn exchange(&self, project_id: &str, id: &str) -> CoreResult<Held>;
    /// Take over a running claim whose holder went quiet before `stale`.
    async fn retake_exchange(
        &self,
        project_id: &str,
        id: &str,
        stale: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> CoreResult<bool>;
    async fn finish_exchange(&self, project_id: &str, id: &str, a: &Answer) -> CoreResult<()>;
    /// Forget a claim whose request ended without an answer to keep.
    async fn drop_exchange(&self, project_id: &str, id: &str) -> CoreResult<()>;
}

/// How long a repeat waits for a first request that is still running, and
/// after how long a silent claim is taken over (its holder died: money
/// rules below are keyed on their own ids, so running again is safe).
const WAIT: std::time::Duration = std::time::Duration::from_secs(10);
const STALE_SECS: i64 = 30;

impl Kona {
    /// Claim the id for `path`, or wait for its first answer.
    pub async fn claim(&self, project_id: &str, id: &str, path: &str) -> CoreResult<Claim> {
        let started = std::time::Instant::now();
        loop {
            let now = chrono::Utc::now();
            if self.repo.claim_exchange(project_id, id, path, now).await? {
                return Ok(Claim::Fresh);
            }
            match self.repo.exchange(project_id, id).await? {
                Held::None => continue,
                Held::Done { path: p, .. } | Held::Running { path: p, .. } if p != path => {
                    return Ok(Claim::OtherPath)
                }
                Held::Done { answer, .. } => return Ok(Claim::Done(answer)),
                Held::Running { since, .. } => {
                    let stale = now - Duration::seconds(STALE_SECS);
                    if since < stale
                        && self
                            .repo
                            .retake_exchange(project_id, id, stale, now)
                            .await?
                    {
                        return Ok(Claim::Fresh);
                    }
                }
            }
            if started.elapsed() > WAIT {
                return Err(crate::CoreError::Unavailable(
                    "the first request under this correlation id is still running".into(),
                ));
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    pub async fn finish(&self, project_id: &str, id: &str, a: &Answer) -> CoreResult<()> {
        self.repo.finish_exchange(project_id, id, a).await
    }

    pub async fn release(&self, project_id: &str, id: &str) -> CoreResult<()> {
        self.repo.drop_exchange(project_id, id).await
    }
}
