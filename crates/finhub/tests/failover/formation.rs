//! The pg_auto_failover formation under test: its hosts read straight from
//! the formation URI, and `scripts/ha/pg-ha.sh kill-primary`.

use sqlx::{ConnectOptions, Connection, PgConnection};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::{Duration, Instant};

/// Each host of `postgres://user@h1:p1,h2:p2/db?...` as a URL of its own.
pub fn host_urls(uri: &str) -> Vec<String> {
    let rest = uri.split_once("://").expect("scheme").1;
    let (user, rest) = rest.split_once('@').unwrap_or(("", rest));
    let (hosts, path) = rest.split_once('/').expect("a database in the URI");
    let db = path.split('?').next().unwrap_or("");
    hosts
        .split(',')
        .map(|h| format!("postgres://{user}@{h}/{db}"))
        .collect()
}

async fn connect(url: &str) -> Option<PgConnection> {
    let co = sqlx::postgres::PgConnectOptions::from_str(url).ok()?;
    tokio::time::timeout(Duration::from_secs(2), co.connect())
        .await
        .ok()?
        .ok()
}

/// The host that is not in recovery, and a session on it.
pub async fn primary(uri: &str) -> Option<(String, PgConnection)> {
    for url in host_urls(uri) {
        let Some(mut c) = connect(&url).await else {
            continue;
        };
        let standby: Result<bool, _> = sqlx::query_scalar("SELECT pg_is_in_recovery()")
            .fetch_one(&mut c)
            .await;
        if standby.is_ok_and(|s| !s) {
            return Some((url, c));
        }
    }
    None
}

/// The primary waits for a standby on every commit: an acknowledged
/// transfer is on two machines. Returns what it found, for the log.
pub async fn synchronous(c: &mut PgConnection) -> Result<String, String> {
    let names: String = sqlx::query_scalar("SHOW synchronous_standby_names")
        .fetch_one(&mut *c)
        .await
        .map_err(|e| e.to_string())?;
    let sync: Vec<(String, String)> = sqlx::query_as(
        "SELECT application_name, sync_state FROM pg_stat_replication WHERE sync_state IN ('sync', 'quorum')",
    )
    .fetch_all(&mut *c)
    .await
    .map_err(|e| e.to_string())?;
    if names.is_empty() || sync.is_empty() {
        return Err(format!(
            "synchronous_standby_names = {names:?}, synchronous standbys {sync:?}"
        ));
    }
    Ok(format!(
        "synchronous_standby_names = {names:?}, standbys {sync:?}"
    ))
}

/// After finhub is killed: wait until its sessions on the primary end (one
/// may still be committing what it sent), as the crash suite's settle does.
pub async fn settle(uri: &str) {
    let (_, mut c) = primary(uri).await.expect("a primary to settle on");
    let t0 = Instant::now();
    loop {
        let left: Vec<(i32, String, String, String)> = sqlx::query_as(
            "SELECT pid, COALESCE(state, ''), COALESCE(wait_event, ''), left(query, 80) \
             FROM pg_stat_activity WHERE datname = current_database() \
             AND usename = current_user AND pid <> pg_backend_pid()",
        )
        .fetch_all(&mut c)
        .await
        .expect("pg_stat_activity");
        if left.is_empty() {
            break;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(30),
            "the killed server's sessions did not end within 30 s: {left:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = c.close().await;
}

pub fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/ha/pg-ha.sh")
}

/// `pg-ha.sh kill-primary`: the name of the node it killed.
pub async fn kill_primary() -> String {
    let out = tokio::process::Command::new(script())
        .arg("kill-primary")
        .output()
        .await
        .expect("run pg-ha.sh kill-primary");
    assert!(
        out.status.success(),
        "pg-ha.sh kill-primary failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}
