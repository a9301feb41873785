//! Every rule that differs by standard is a `ProfileAdapter` hook: no code
//! in crates/oauth/src outside the profile module compares or matches a
//! profile. This test reads the sources and names the offending lines.

use std::path::{Path, PathBuf};

const VARIANTS: [&str; 5] = ["Kftc", "Mydata", "Konaplate", "Oris", "Obp"];
const NAMES: [&str; 5] = [
    "\"kftc\"",
    "\"mydata\"",
    "\"konaplate\"",
    "\"oris\"",
    "\"obp\"",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// The profile module: profile.rs or profile/.
fn in_profile_module(src: &Path, file: &Path) -> bool {
    let rel = file.strip_prefix(src).unwrap();
    rel == Path::new("profile.rs") || rel.starts_with("profile")
}

/// Why `line` tells profiles apart, if it does.
fn profile_rule(line: &str) -> Option<&'static str> {
    let code = line.split("//").next().unwrap_or("");
    let names_variant = VARIANTS
        .iter()
        .any(|v| code.contains(&format!("Profile::{v}")))
        || code.contains("Profile::{")
        || code.contains("Profile::*");
    let compares = [
        "==",
        "!=",
        "=>",
        "matches!",
        "if let",
        "let Profile",
        "| Profile::",
    ]
    .iter()
    .any(|op| code.contains(op));
    if names_variant && compares {
        return Some("compares or matches a Profile variant");
    }
    if code.contains("use ") && (code.contains("Profile::{") || code.contains("Profile::*")) {
        return Some("imports Profile's variants");
    }
    let t = code.trim();
    if t.starts_with("match ") && (t.ends_with("profile {") || t.ends_with("profile() {")) {
        return Some("matches on a profile");
    }
    if code.contains("as_str()") && NAMES.iter().any(|n| code.contains(n)) {
        return Some("compares a profile's name");
    }
    None
}

#[test]
fn no_profile_rule_outside_the_profile_module() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    assert!(files.len() > 5, "read the sources in {}", src.display());
    let mut found = Vec::new();
    for file in files.iter().filter(|f| !in_profile_module(&src, f)) {
        let text = std::fs::read_to_string(file).unwrap();
        for (i, line) in text.lines().enumerate() {
            if let Some(why) = profile_rule(line) {
                let rel = file.strip_prefix(&src).unwrap().display();
                found.push(format!("src/{rel}:{}: {why}: {}", i + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "profile rules belong in ProfileAdapter hooks (src/profile/):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_sees_the_usual_shapes() {
    for line in [
        "    if client.profile == Profile::Kftc {",
        "        Profile::Mydata => &[\"org_code\"],",
        "    !matches!(p, Profile::Kftc | Profile::Mydata)",
        "    if let Profile::Obp = p {",
        "    match client.profile {",
        "use finhub_core::oauth::Profile::{Kftc, Mydata};",
        "    if p.as_str() == \"kftc\" {",
    ] {
        assert!(profile_rule(line).is_some(), "missed: {line}");
    }
    for line in [
        "            profile: Profile::Kftc,",
        "    pub profile: Profile,",
        "    match profiles.get(client.profile) {",
        "    // if profile == Profile::Kftc, once",
        "    let p = Profile::parse(s)?;",
    ] {
        assert!(profile_rule(line).is_none(), "false alarm: {line}");
    }
}
