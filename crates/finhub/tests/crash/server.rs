//! The real server binary on a database of its own: start, wait for
//! `ready`, SIGKILL, restart on the same database.

use finhub_store::testing::{pg_test_url, PgDatabase};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where the server keeps its data, and the log of every start.
pub struct Backend {
    pub name: &'static str,
    pub url: String,
    pub dir: PathBuf,
    pg: Option<PgDatabase>,
}

impl Backend {
    /// A temp SQLite file, or a fresh PostgreSQL database when
    /// FINHUB_TEST_DATABASE_URL is set (as for every other store test).
    pub async fn fresh() -> Backend {
        let tag = uuid::Uuid::new_v4().simple().to_string();
        let dir = std::env::temp_dir().join(format!("finhub-crash-{}", &tag[..12]));
        std::fs::create_dir_all(&dir).expect("temp dir");
        match pg_test_url() {
            Some(base) => {
                let name = format!("finhub_crash_{}_{}", std::process::id(), &tag[..8]);
                let pg = PgDatabase::create(&base, &name).await;
                Backend {
                    name: "postgres",
                    url: pg.url.clone(),
                    dir,
                    pg: Some(pg),
                }
            }
            None => Backend {
                name: "sqlite",
                url: format!("sqlite://{}", dir.join("finhub.db").display()),
                dir,
                pg: None,
            },
        }
    }

    /// After a kill: on PostgreSQL, wait for the dead server's sessions to
    /// end (one may still be committing what it sent before it died).
    pub async fn settle(&self) {
        if let Some(pg) = &self.pg {
            assert!(
                pg.wait_for_sessions_to_end(Duration::from_secs(30)).await,
                "the killed server's PostgreSQL sessions did not end within 30 s"
            );
        }
    }

    pub fn is_pg(&self) -> bool {
        self.pg.is_some()
    }

    /// Cut the server's PostgreSQL sessions (its pools must reconnect).
    pub async fn terminate_sessions(&self) -> u64 {
        match &self.pg {
            Some(pg) => pg.terminate_sessions().await,
            None => 0,
        }
    }

    pub fn log_path(&self) -> PathBuf {
        self.dir.join("server.log")
    }

    /// Remove the database and the log (only after a passing run: a failing
    /// one keeps both for a look).
    pub async fn remove(self) {
        if let Some(pg) = self.pg {
            pg.drop_database().await;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub struct Server {
    child: Child,
    pub addr: String,
    /// What this start printed (banner and logs), for the no-reseed check.
    pub banner: String,
}

pub use finhub_testkit::ADMIN_KEY;

impl Server {
    /// Start `finhub serve` on a free port and wait for its `ready` line.
    pub async fn start(b: &Backend, start_no: usize) -> Server {
        let log = b.log_path();
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .expect("server log");
        writeln!(f, "\n===== crash test: start {start_no} =====").unwrap();
        let from = f.metadata().map(|m| m.len()).unwrap_or(0);
        let child = Command::new(env!("CARGO_BIN_EXE_finhub"))
            .args(["serve", "--listen", "127.0.0.1:0", "--database", &b.url])
            .env("FINHUB_ADMIN_KEY", ADMIN_KEY)
            .env_remove("FINHUB_DATABASE_URL")
            .env(
                "RUST_LOG",
                std::env::var("FINHUB_CRASH_RUST_LOG").unwrap_or_else(|_| "warn".into()),
            )
            .stdin(Stdio::null())
            .stdout(f.try_clone().unwrap())
            .stderr(f)
            .spawn()
            .expect("spawn finhub serve");
        let mut s = Server {
            child,
            addr: String::new(),
            banner: String::new(),
        };
        let t0 = Instant::now();
        loop {
            let text = read_from(&log, from);
            if text.lines().any(|l| l.trim_end() == "ready") {
                s.addr = text
                    .lines()
                    .find_map(|l| l.strip_prefix("finhub listening on http://"))
                    .and_then(|r| r.split_whitespace().next())
                    .expect("listening line")
                    .to_owned();
                s.banner = text;
                return s;
            }
            if let Ok(Some(st)) = s.child.try_wait() {
                panic!(
                    "server start {start_no} exited ({st}) before ready; log {}:\n{text}",
                    log.display()
                );
            }
            if t0.elapsed() > Duration::from_secs(120) {
                let _ = s.child.kill();
                panic!(
                    "server start {start_no} not ready after 120 s; log {}:\n{text}",
                    log.display()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Start and SIGKILL after `after`, ready or not (a kill during
    /// migrations or the demo world's seeding); true when it was ready.
    pub async fn start_and_kill(b: &Backend, start_no: usize, after: Duration) -> bool {
        let log = b.log_path();
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .expect("server log");
        writeln!(
            f,
            "\n===== crash test: start {start_no}, killed after {after:?} ====="
        )
        .unwrap();
        let from = f.metadata().map(|m| m.len()).unwrap_or(0);
        let mut child = Command::new(env!("CARGO_BIN_EXE_finhub"))
            .args(["serve", "--listen", "127.0.0.1:0", "--database", &b.url])
            .env("FINHUB_ADMIN_KEY", ADMIN_KEY)
            .env_remove("FINHUB_DATABASE_URL")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(f.try_clone().unwrap())
            .stderr(f)
            .spawn()
            .expect("spawn finhub serve");
        tokio::time::sleep(after).await;
        let _ = child.kill();
        let _ = child.wait();
        read_from(&log, from)
            .lines()
            .any(|l| l.trim_end() == "ready")
    }

    /// SIGKILL (what `Child::kill` sends on Unix) and reap.
    pub fn kill(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A failing test must not leave a server behind.
impl Drop for Server {
    fn drop(&mut self) {
        self.stop_now();
    }
}

fn read_from(path: &Path, from: u64) -> String {
    let all = std::fs::read(path).unwrap_or_default();
    String::from_utf8_lossy(all.get(from as usize..).unwrap_or_default()).into_owned()
}
