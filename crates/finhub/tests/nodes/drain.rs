//! What a load balancer relies on: after SIGTERM a node with a drain period
//! keeps serving while /healthz answers 503, then exits cleanly.

use crate::client::request;
use finhub_testkit::ADMIN_KEY;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[tokio::test]
async fn sigterm_drains_with_healthz_503_then_exits() {
    let dir = std::env::temp_dir().join(format!("finhub-drain-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("serve.log");
    let db = format!("sqlite://{}", dir.join("finhub.db").display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_finhub"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--demo-people",
            "0",
            "--database",
            &db,
        ])
        .env("FINHUB_ADMIN_KEY", ADMIN_KEY)
        .env("FINHUB_DRAIN_SECS", "2")
        .env("RUST_LOG", "warn")
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn finhub serve");
    let addr = wait_ready(&log).await;
    assert_eq!(status(&addr, "/healthz").await, 200);
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let t0 = Instant::now();
    while status(&addr, "/healthz").await != 503 {
        assert!(
            t0.elapsed() < Duration::from_secs(1),
            "/healthz still 200 after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (code, _) = request(&addr, "GET", "/sandbox/clock", Some(ADMIN_KEY), None)
        .await
        .unwrap();
    assert_eq!(code, 200, "a draining node still serves");
    let exit = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(15),
            "the node did not stop after draining"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(exit.success(), "exit after drain: {exit}");
    assert!(
        t0.elapsed() >= Duration::from_secs(2),
        "stopped before the drain period ended"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

async fn status(addr: &str, path: &str) -> u16 {
    request(addr, "GET", path, None, None)
        .await
        .map(|(s, _)| s)
        .unwrap_or(0)
}

async fn wait_ready(log: &std::path::Path) -> String {
    let t0 = Instant::now();
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if text.lines().any(|l| l.trim_end() == "ready") {
            return text
                .lines()
                .find_map(|l| l.strip_prefix("finhub listening on http://"))
                .and_then(|r| r.split_whitespace().next())
                .expect("listening line")
                .to_owned();
        }
        assert!(t0.elapsed() < Duration::from_secs(60), "not ready: {text}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
