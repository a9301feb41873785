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
fn a_bad_database_url_fails_cleanly() {
    let (ok, _out, err) = finhub("postgres://nobody@127.0.0.1:1/none", &["migrate"]);
    assert!(!ok);
    assert!(err.contains("cannot open"), "{err}");
}
