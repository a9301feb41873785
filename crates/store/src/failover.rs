//! Several PostgreSQL hosts in one URL, the way libpq takes them and a
//! pg_auto_failover formation's URI lists them:
//! `postgres://user@h1:p1,h2:p2/db?target_session_attrs=read-write`.
//!
//! sqlx connects to one host, so the store probes the hosts, points both
//! pools at the writable one, and keeps a watchdog that re-points them when
//! a failover promotes another (`Pool::set_connect_options`). Connections to
//! the old primary then fail once and sqlx discards them; new ones go to the
//! new primary. A single-host URL never comes here.

use futures::future::join_all;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::{ConnectOptions, Connection};
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Notify;
use tokio::time::timeout;

/// How often the watchdog asks the chosen host whether it still takes writes.
const PERIOD: Duration = Duration::from_millis(500);
/// A host that has not answered a probe within this counts as down.
const PROBE_TIMEOUT: Duration = Duration::from_secs(1);
/// libpq's `read-write` test, plus recovery: a promoted standby refuses
/// writes for a while (pg_auto_failover keeps default_transaction_read_only
/// on until the old primary is known to be gone), so `pg_is_in_recovery()`
/// alone would pick it too early.
const READ_ONLY_SQL: &str =
    "SELECT pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on'";

/// A multi-host URL cut for sqlx: the hosts in the URL's order, and the URL
/// with the first host alone and the libpq-only parameters left out.
#[derive(Debug, PartialEq, Eq)]
struct Split {
    hosts: Vec<(String, u16)>,
    single: String,
}

/// `None` when the URL names one host: it is sqlx's to parse, as before.
fn split(url: &str) -> Result<Option<Split>, String> {
    let (scheme, rest) = url.split_once("://").ok_or("no scheme in the URL")?;
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let (user, hostlist) = match authority.rsplit_once('@') {
        Some((u, h)) => (format!("{u}@"), h),
        None => (String::new(), authority),
    };
    if !hostlist.contains(',') {
        return Ok(None);
    }
    let hosts = hostlist
        .split(',')
        .map(host_port)
        .collect::<Result<Vec<_>, _>>()?;
    let tail = without_session_attrs(tail)?;
    let (host, port) = &hosts[0];
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.clone()
    };
    let single = format!("{scheme}://{user}{host}:{port}{tail}");
    Ok(Some(Split { hosts, single }))
}

/// `host`, `host:port` or `[v6]:port`; libpq's default port when none.
fn host_port(s: &str) -> Result<(String, u16), String> {
    let (host, port) = match s.strip_prefix('[') {
        Some(v6) => {
            let (h, after) = v6
                .split_once(']')
                .ok_or_else(|| format!("host {s:?}: no closing ]"))?;
            match after {
                "" => (h, None),
                _ => (
                    h,
                    Some(after.strip_prefix(':').ok_or(format!("host {s:?}"))?),
                ),
            }
        }
        None => match s.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (s, None),
        },
    };
    if host.is_empty() {
        return Err(format!("an empty host in the host list ({s:?})"));
    }
    let port = match port {
        None => 5432,
        Some(p) => p.parse().map_err(|_| format!("host {s:?}: bad port"))?,
    };
    Ok((host.to_owned(), port))
}

/// The path and query without `target_session_attrs` (sqlx does not know it).
fn without_session_attrs(tail: &str) -> Result<String, String> {
    let Some((path, query)) = tail.split_once('?') else {
        return Ok(tail.to_owned());
    };
    let mut kept = Vec::new();
    for kv in query.split('&').filter(|kv| !kv.is_empty()) {
        match kv.split_once('=') {
            Some(("target_session_attrs", v)) => session_attrs(v)?,
            _ => kept.push(kv),
        }
    }
    Ok(if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", kept.join("&"))
    })
}

fn session_attrs(v: &str) -> Result<(), String> {
    match v {
        // Both pools write, so they go to the writable host whatever the URL
        // prefers: `any` and `prefer-standby` are satisfied by it as well.
        // (No finhub traffic is sent to a standby today.)
        "read-write" | "primary" | "any" | "prefer-standby" => Ok(()),
        other => Err(format!(
            "target_session_attrs={other}: finhub writes, it needs the read-write host"
        )),
    }
}

/// The hosts of a formation and the options they share.
pub(crate) struct Formation {
    hosts: Vec<(String, u16)>,
    base: PgConnectOptions,
}

impl Formation {
    /// `None` for a single-host URL.
    pub(crate) fn parse(url: &str) -> Result<Option<Formation>, sqlx::Error> {
        let Some(s) = split(url).map_err(|e| sqlx::Error::Configuration(e.into()))? else {
            return Ok(None);
        };
        let base = PgConnectOptions::from_str(&s.single)?;
        Ok(Some(Formation {
            hosts: s.hosts,
            base,
        }))
    }

    fn at(&self, i: usize) -> PgConnectOptions {
        let (host, port) = &self.hosts[i];
        self.base.clone().host(host).port(*port)
    }

    fn name(&self, i: usize) -> String {
        format!("{}:{}", self.hosts[i].0, self.hosts[i].1)
    }

    /// The read pool and the writer's pool (`sizes`), both on the writable
    /// host, watched. `shared` adds what every connection needs (the schema).
    pub(crate) async fn connect(
        mut self,
        shared: impl FnOnce(PgConnectOptions) -> PgConnectOptions,
        pools: impl Fn(u32) -> PgPoolOptions,
        sizes: (u32, u32),
    ) -> Result<(PgPool, PgPool), sqlx::Error> {
        self.base = shared(self.base);
        // A start during a failover waits for the promotion, as long as a
        // request would wait for a connection.
        let wait = pools(1).get_acquire_timeout();
        let first = self.wait_for_writable(wait).await?;
        let wake = Arc::new(Notify::new());
        let open = |n: u32| guarded(pools(n), wake.clone()).connect_lazy_with(self.at(first));
        let (read, writer) = (open(sizes.0), open(sizes.1));
        tracing::info!(primary = %self.name(first), "PostgreSQL formation: connected to the primary");
        tokio::spawn(watch(
            Arc::new(self),
            first,
            [read.clone(), writer.clone()],
            wake,
        ));
        Ok((read, writer))
    }

    async fn wait_for_writable(&self, wait: Duration) -> Result<usize, sqlx::Error> {
        let t0 = Instant::now();
        loop {
            if let Some(i) = self.find_writable().await {
                return Ok(i);
            }
            if t0.elapsed() >= wait {
                let names: Vec<String> = (0..self.hosts.len()).map(|i| self.name(i)).collect();
                let why = format!("no writable PostgreSQL host among {}", names.join(","));
                return Err(sqlx::Error::Io(std::io::Error::other(why)));
            }
            tokio::time::sleep(PERIOD).await;
        }
    }

    /// The first host, in the URL's order, that takes writes; all probed at
    /// once so a dead one costs one timeout, not one each.
    async fn find_writable(&self) -> Option<usize> {
        let probes = (0..self.hosts.len()).map(|i| self.writable(i));
        join_all(probes).await.into_iter().position(|w| w)
    }

    async fn writable(&self, i: usize) -> bool {
        let probe = async {
            let mut c = self.at(i).connect().await?;
            let ro = read_only(&mut c).await?;
            let _ = c.close().await;
            Ok::<bool, sqlx::Error>(!ro)
        };
        matches!(timeout(PROBE_TIMEOUT, probe).await, Ok(Ok(true)))
    }
}

async fn read_only(c: &mut PgConnection) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(READ_ONLY_SQL).fetch_one(c).await
}

/// Every new pool connection checks it reached a writable server: one that
/// went read-only (a demoted primary) is refused, so sqlx tries again, and
/// the watchdog looks at once instead of at its next tick.
fn guarded(p: PgPoolOptions, wake: Arc<Notify>) -> PgPoolOptions {
    p.after_connect(move |c, _| {
        let wake = wake.clone();
        Box::pin(async move {
            if read_only(c).await? {
                wake.notify_one();
                return Err(sqlx::Error::Configuration(
                    "connected to a read-only PostgreSQL host; waiting for the primary".into(),
                ));
            }
            Ok(())
        })
    })
}

/// Re-point the pools whenever the chosen host stops answering or stops
/// taking writes and another one does. Ends when either pool is closed
/// (`Db::close`): its clones would otherwise keep the other one open.
async fn watch(f: Arc<Formation>, mut current: usize, pools: [PgPool; 2], wake: Arc<Notify>) {
    let mut probe: Option<PgConnection> = None;
    loop {
        tokio::select! {
            _ = tokio::time::sleep(PERIOD) => {}
            _ = wake.notified() => {}
        }
        if pools.iter().any(PgPool::is_closed) {
            return;
        }
        if still_writable(&f, current, &mut probe).await {
            continue;
        }
        // None yet: a promotion is under way; look again next tick.
        let Some(next) = f.find_writable().await else {
            continue;
        };
        if next != current {
            tracing::warn!(from = %f.name(current), to = %f.name(next), "PostgreSQL primary moved; the pools follow");
            for p in &pools {
                p.set_connect_options(f.at(next));
                drop_idle(p);
            }
            current = next;
        }
    }
}

/// Ask the current host on one kept connection (no new session per tick).
async fn still_writable(f: &Formation, i: usize, probe: &mut Option<PgConnection>) -> bool {
    if probe.is_none() {
        *probe = timeout(PROBE_TIMEOUT, f.at(i).connect())
            .await
            .ok()
            .and_then(Result::ok);
    }
    let Some(c) = probe.as_mut() else {
        return false;
    };
    let ok = matches!(timeout(PROBE_TIMEOUT, read_only(c)).await, Ok(Ok(false)));
    if !ok {
        *probe = None;
    }
    ok
}

/// Idle connections still lead to the old primary: each would fail one
/// request before sqlx noticed, so they go now (dropped, not closed: a dead
/// host would not answer a goodbye).
fn drop_idle(p: &PgPool) {
    for _ in 0..p.num_idle() {
        match p.try_acquire() {
            Some(c) => drop(c.detach()),
            None => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(v: &[(&str, u16)]) -> Vec<(String, u16)> {
        v.iter().map(|(h, p)| (h.to_string(), *p)).collect()
    }

    #[test]
    fn one_host_is_left_to_sqlx() {
        for url in [
            "postgres://postgres@127.0.0.1:5432/test",
            "postgresql://u:p@db/finhub?sslmode=disable",
            "postgres://localhost",
        ] {
            assert_eq!(split(url), Ok(None), "{url}");
        }
    }

    #[test]
    fn formation_uri_splits_into_hosts_and_one_url() {
        let s = split(
            "postgres://finhub@127.0.0.1:6002,127.0.0.1:6003/finhub?target_session_attrs=read-write&sslmode=prefer",
        )
        .unwrap()
        .unwrap();
        assert_eq!(s.hosts, hosts(&[("127.0.0.1", 6002), ("127.0.0.1", 6003)]));
        assert_eq!(
            s.single,
            "postgres://finhub@127.0.0.1:6002/finhub?sslmode=prefer"
        );
        assert!(PgConnectOptions::from_str(&s.single).is_ok());
    }

    #[test]
    fn user_password_scheme_and_query_are_kept() {
        let s =
            split("postgresql://u:p%40ss@a:1,b:2/db?application_name=x&target_session_attrs=any")
                .unwrap()
                .unwrap();
        assert_eq!(s.single, "postgresql://u:p%40ss@a:1/db?application_name=x");
        let s = split("postgres://a:1,b:2").unwrap().unwrap();
        assert_eq!(s.single, "postgres://a:1");
        let s = split("postgres://a:1,b:2?target_session_attrs=read-write")
            .unwrap()
            .unwrap();
        assert_eq!(s.single, "postgres://a:1");
    }

    #[test]
    fn ports_default_and_ipv6_is_bracketed() {
        let s = split("postgres://db1,[::1]:6003,[fe80::2]/x")
            .unwrap()
            .unwrap();
        assert_eq!(
            s.hosts,
            hosts(&[("db1", 5432), ("::1", 6003), ("fe80::2", 5432)])
        );
        let s = split("postgres://[::1]:6002,db2/x").unwrap().unwrap();
        assert_eq!(s.single, "postgres://[::1]:6002/x");
    }

    #[test]
    fn bad_host_lists_are_refused() {
        for url in [
            "postgres://a:1,/db",
            "postgres://a:1,b:port/db",
            "postgres://a:1,b:70000/db",
            "postgres://[::1:5,b/db",
            "postgres://[::1]x,b/db",
            "a:1,b:2/db",
        ] {
            assert!(split(url).is_err(), "{url}");
        }
    }

    #[test]
    fn only_attrs_a_writer_can_use() {
        for ok in ["read-write", "primary", "any", "prefer-standby"] {
            let url = format!("postgres://a,b/db?target_session_attrs={ok}");
            assert!(split(&url).is_ok(), "{ok}");
        }
        for bad in ["read-only", "standby", "bogus"] {
            let url = format!("postgres://a,b/db?target_session_attrs={bad}");
            assert!(split(&url).is_err(), "{bad}");
        }
    }

    #[test]
    fn formation_parse_builds_options_per_host() {
        let f = Formation::parse("postgres://u@h1:1,h2:2/db?sslmode=disable")
            .unwrap()
            .unwrap();
        assert_eq!(f.at(1).get_host(), "h2");
        assert_eq!(f.at(1).get_port(), 2);
        assert_eq!(f.at(1).get_database(), Some("db"));
        assert_eq!(f.at(0).get_username(), "u");
        assert!(Formation::parse("postgres://u@h1:1/db").unwrap().is_none());
        assert!(Formation::parse("postgres://u@h1:1,/db").is_err());
    }
}
