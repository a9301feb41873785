//! The built binary against a temporary SQLite file.

use std::process::Command;

fn finhub(db: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_finhub"))
        .args(args)
        .env("FINHUB_DATABASE_URL", db)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run finhub");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

struct TempDir(std::path::PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn temp_db() -> (TempDir, String) {
    let dir = std::env::temp_dir().join(format!("finhub-cli-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("cli.db").display());
    (TempDir(dir), url)
}

#[test]
fn migrate_then_list_the_world() {
    let (_dir, db) = temp_db();
    let (ok, out, err) = finhub(&db, &["migrate"]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("up to date"), "{out}");

    let (ok, out, err) = finhub(&db, &["world", "people", "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["people"].is_array(), "{out}");

    let (ok, out, err) = finhub(&db, &["world", "institutions", "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["bank_code"] == "004"));
}

#[test]
fn seed_register_a_client_and_get_a_token() {
    let (_dir, db) = temp_db();
    let (ok, out, err) = finhub(
        &db,
        &["seed", "--people", "5", "--history-days", "30", "--json"],
    );
    assert!(ok, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["people"], 5, "{out}");

    let (ok, out, err) = finhub(&db, &["world", "people", "--json", "--limit", "10"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let people = v["people"].as_array().unwrap();
    assert_eq!(people.len(), 5);
    assert!(people
        .iter()
        .any(|p| !p["accounts"].as_array().unwrap().is_empty()));

    let (ok, out, err) = finhub(
        &db,
        &[
            "client",
            "create",
            "--profile",
            "kftc",
            "--name",
            "cli app",
            "--redirect-uri",
            "http://localhost:3000/cb",
            "--scope",
            "login",
            "--scope",
            "oob",
            "--json",
        ],
    );
    assert!(ok, "{out}{err}");
    let c: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(c["profile"], "kftc");
    let id = c["client_id"].as_str().unwrap();
    let secret = c["client_secret"].as_str().unwrap();

    let (ok, out, err) = finhub(&db, &["client", "list", "--json"]);
    assert!(ok, "{err}");
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert!(!out.contains(secret));

    let (ok, out, err) = finhub(
        &db,
        &[
            "token",
            "--client-id",
            id,
            "--client-secret",
            secret,
            "--scope",
            "oob",
        ],
    );
    assert!(ok, "{out}{err}");
    assert_eq!(out.trim().split('.').count(), 3, "a JWT: {out}");

    let (ok, _, err) = finhub(
        &db,
        &["token", "--client-id", id, "--client-secret", "wrong"],
    );
    assert!(!ok);
    assert!(err.contains("error"), "{err}");

    let (ok, _, err) = finhub(
        &db,
        &[
            "client",
            "create",
            "--profile",
            "nope",
            "--name",
            "x",
            "--scope",
            "a",
        ],
    );
    assert!(!ok);
    assert!(err.contains("profile"), "{err}");
}

#[test]
fn a_bad_database_url_fails_cleanly() {
    let (ok, _out, err) = finhub("postgres://nobody@127.0.0.1:1/none", &["migrate"]);
    assert!(!ok);
    assert!(err.contains("cannot open"), "{err}");
}

/// `serve` answers on its port, prints the generated admin key once, and
/// exits cleanly on SIGTERM.
#[cfg(unix)]
#[test]
fn serve_starts_and_stops_on_sigterm() {
    use std::io::{BufRead, BufReader, Read, Write};
    let (_dir, db) = temp_db();
    let mut child = Command::new(env!("CARGO_BIN_EXE_finhub"))
        .args(["serve", "--listen", "127.0.0.1:0", "--demo-people", "3"])
        .env("FINHUB_DATABASE_URL", &db)
        .env_remove("FINHUB_ADMIN_KEY")
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn finhub serve");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut addr = None;
    let mut admin_key = None;
    let mut demo_clients = 0;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("finhub listening on http://") {
            addr = rest.split_whitespace().next().map(str::to_owned);
        }
        if line.starts_with("client_secret:") {
            demo_clients += 1;
        }
        if line.starts_with("sandbox admin key") {
            admin_key = line.rsplit(' ').next().map(str::to_owned);
        }
        if line.starts_with("ready") {
            break;
        }
    }
    let addr = addr.expect("listening line");
    assert_eq!(demo_clients, 5, "one demo client per profile");
    let admin_key = admin_key.expect("generated admin key is printed");

    let get = |path: &str, auth: Option<&str>| {
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        let auth = auth
            .map(|k| format!("authorization: Bearer {k}\r\n"))
            .unwrap_or_default();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nhost: x\r\n{auth}connection: close\r\n\r\n"
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    };
    assert!(get("/healthz", None).starts_with("HTTP/1.1 200"));
    assert!(get("/sandbox/institutions", None).starts_with("HTTP/1.1 401"));
    assert!(get("/sandbox/institutions", Some(&admin_key)).starts_with("HTTP/1.1 200"));

    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

#[test]
fn konaplate_projects_and_keys_from_the_command_line() {
    let (_dir, db) = temp_db();
    let (ok, out, err) = finhub(
        &db,
        &[
            "konaplate",
            "project",
            "create",
            "--name",
            "my app",
            "--json",
        ],
    );
    assert!(ok, "{out}{err}");
    let p: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(p["name"], "my app");
    assert_eq!(p["asp_id"].as_str().unwrap().len(), 15);
    assert_eq!(p["access_key"].as_str().unwrap().len(), 40);
    assert!(p["secret_key"].as_str().unwrap().len() >= 32);
    assert!(p["client_private_key"]
        .as_str()
        .unwrap()
        .contains("PRIVATE KEY"));
    let id = p["project_id"].as_str().unwrap();

    let (ok, out, err) = finhub(&db, &["konaplate", "project", "show", id, "--json"]);
    assert!(ok, "{err}");
    assert!(!out.contains("PRIVATE KEY") && !out.contains(p["secret_key"].as_str().unwrap()));
    let shown: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(shown["access_keys"][0]["status"], "active");

    let key = p["access_key"].as_str().unwrap();
    let (ok, _, err) = finhub(
        &db,
        &["konaplate", "access-key", "set", id, key, "discarded"],
    );
    assert!(ok, "{err}");
    let (ok, _, err) = finhub(&db, &["konaplate", "access-key", "set", id, key, "active"]);
    assert!(!ok && err.contains("409"), "{err}");
    // A second live crypto key is allowed, a third is not.
    let (ok, _, err) = finhub(&db, &["konaplate", "crypto-key", "create", id]);
    assert!(ok, "{err}");
    let (ok, _, err) = finhub(&db, &["konaplate", "crypto-key", "create", id]);
    assert!(!ok && err.contains("409"), "{err}");
    let (ok, out, _) = finhub(&db, &["konaplate", "project", "list", "--json"]);
    assert!(ok && out.contains(id), "{out}");
}
