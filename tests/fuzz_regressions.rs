//! Replays what the fuzzers found (fuzz/regressions/<target>/, one input per
//! file, kept when a target crashed) and the fixtures they are seeded from
//! through the same property checks as the fuzz targets (fuzz/props.rs), so a
//! fixed crash stays fixed without nightly or cargo-fuzz.
#![cfg(feature = "audit")]

#[path = "../fuzz/props.rs"]
mod props;

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        eprintln!("replaying {}", path.display());
        run(&data);
        n += 1;
    }
    n
}

#[test]
fn fuzz_regressions_still_pass() {
    let n = replay("check", props::check)
        + replay("audit_bytes", props::audit_bytes)
        + replay("audit_rows", props::audit_rows)
        + replay("icd10", props::icd10);
    assert!(n > 0, "no regression inputs found");
}

#[test]
fn the_fixtures_satisfy_the_fuzz_properties() {
    let cases: serde_json::Value = serde_json::from_str(include_str!("fixtures/units.json")).unwrap();
    for c in cases.as_array().unwrap() {
        for method in ["cms", "ama"] {
            let mut visit = c["visit"].clone();
            visit["method"] = method.into();
            let text = visit.to_string();
            let parsed = ptbill::parse_visit(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
            props::check_visit(&parsed);
            props::check(text.as_bytes());
        }
    }
    props::audit_bytes(include_bytes!("fixtures/audit-bad-rows.csv"));
    props::audit_rows(include_bytes!("fixtures/audit-bad-rows.csv"));
    props::icd10(b"M54.50\n2026-03-02\nlow back pain");
    props::icd10(b"M54.5\n2026-03-02\nM54");
}
