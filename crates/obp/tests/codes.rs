//! OBP's codes: every code the face can raise is asserted by some test of it.

use finhub_obp::codes;

/// Codes the face defines for messages it composes but that no request can
/// reach on purpose: backend failures OBP reports when its connector
/// returns nothing, which finhub's store does not do short of an outage.
/// OBP-30058 is an update the store refused for another reason than a
/// taken number, which it has none of.
const UNREACHABLE: &[&str] = &[
    "OBP-00004",
    "OBP-50005",
    "OBP-50200",
    "OBP-30025",
    "OBP-30058",
];

/// Each code appears, quoted, among the assertions of the face's tests
/// (these files and the assembled server's OBP suites).
#[test]
fn every_code_is_asserted_by_a_test() {
    let here = concat!(env!("CARGO_MANIFEST_DIR"), "/tests");
    let server = concat!(env!("CARGO_MANIFEST_DIR"), "/../finhub/tests");
    let mut text = String::new();
    for dir in [
        here.to_owned(),
        format!("{server}/authz"),
        format!("{server}/input"),
    ] {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if (dir == here && name != "codes.rs") || name == "obp.rs" {
                text.push_str(&std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    let missing: Vec<&str> = (codes::ALL.iter().map(|c| c.code))
        .filter(|c| !UNREACHABLE.contains(c) && !text.contains(&format!("\"{c}")))
        .collect();
    assert!(missing.is_empty(), "codes no test asserts: {missing:?}");
}
