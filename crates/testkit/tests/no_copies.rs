//! The kit's vocabulary is written once: no test binary defines again a
//! function, type or constant the kit exports (crates/*/tests/**/*.rs).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Helpers that test files once defined as methods of their own app types;
/// a definition of these at any indentation is a copy.
const ANYWHERE: &[&str] = &[
    "spawn_app",
    "withdraw_body",
    "deposit_body",
    "deposit_item",
    "register_body",
    "dtime",
    "today8",
    "tran_id",
    "form_body",
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The item a line defines: ("fn" | "struct" | "enum" | "const" | "type",
/// name, at top level).
fn definition(line: &str) -> Option<(&str, &str, bool)> {
    let top = !line.starts_with(char::is_whitespace);
    let mut rest = line.trim_start();
    for prefix in ["pub(crate) ", "pub ", "async "] {
        rest = rest.strip_prefix(prefix).unwrap_or(rest);
    }
    rest = rest.strip_prefix("async ").unwrap_or(rest);
    let (kind, tail) = rest.split_once(' ')?;
    if !["fn", "struct", "enum", "const", "type"].contains(&kind) {
        return None;
    }
    let end = tail
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(tail.len());
    Some((kind, &tail[..end], top))
}

/// What the kit exports at top level of its modules.
fn kit_names(root: &Path) -> BTreeSet<String> {
    let mut files = Vec::new();
    rust_files(&root.join("crates/testkit/src"), &mut files);
    let mut names = BTreeSet::new();
    for f in files {
        for line in std::fs::read_to_string(&f).unwrap().lines() {
            if !line.starts_with("pub ") {
                continue;
            }
            if let Some((_, name, true)) = definition(line) {
                names.insert(name.to_owned());
            }
        }
    }
    names
}

/// Every definition in `text` that copies one of `kit`'s names.
fn copies(text: &str, kit: &BTreeSet<String>) -> Vec<String> {
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some((kind, name, top)) = definition(line) else {
            continue;
        };
        let named = kit.contains(name) && (top || kind != "fn");
        if named || (kind == "fn" && ANYWHERE.contains(&name)) {
            found.push(format!("{}: {kind} {name}", i + 1));
        }
    }
    found
}

#[test]
fn no_test_binary_defines_a_kit_helper_again() {
    let root = workspace();
    let kit = kit_names(&root);
    for must in ["spawn_app", "withdraw_body", "dtime", "tran_id", "Resp"] {
        assert!(kit.contains(must), "the kit no longer exports {must}");
    }
    let mut files = Vec::new();
    for krate in std::fs::read_dir(root.join("crates")).unwrap().flatten() {
        if krate.file_name() != "testkit" {
            rust_files(&krate.path().join("tests"), &mut files);
        }
    }
    assert!(!files.is_empty(), "no test files under {}", root.display());
    let mut bad = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for c in copies(&text, &kit) {
            let rel = f.strip_prefix(&root).unwrap_or(&f).display().to_string();
            bad.push(format!("{rel}:{c}"));
        }
    }
    assert!(
        bad.is_empty(),
        "defined in the kit (crates/testkit), defined again in tests; use the kit's:\n  {}",
        bad.join("\n  ")
    );
}

#[test]
fn the_scan_sees_copies_top_level_and_as_methods() {
    let kit: BTreeSet<String> = ["withdraw_body", "Resp", "query"].map(String::from).into();
    let text = "pub fn withdraw_body(x: u8) {}\nstruct Resp;\nimpl A {\n    pub async fn dtime(&self) {}\n    fn query(&self) {}\n}\n";
    assert_eq!(
        copies(text, &kit),
        ["1: fn withdraw_body", "2: struct Resp", "4: fn dtime"]
    );
}
