//! Batch audit through the library and the CLI: every bad-row class with its
//! spreadsheet row number, every input row accounted for.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::process::Command;

const FIXTURE: &str = "tests/fixtures/audit-bad-rows.csv";

fn audit() -> Value {
    serde_json::from_str(&ptbill::audit::audit_json(&std::fs::read_to_string(FIXTURE).unwrap())).unwrap()
}

fn errors_by_row(r: &Value) -> Vec<(u64, String)> {
    r["row_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["message"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn each_bad_row_class_is_reported_with_its_row_number() {
    let r = audit();
    let errors = errors_by_row(&r);
    let expect = [
        (4, "payer: unknown value \"aetna\""),
        (5, "date_of_service: \"2026-02-30\" is not a real calendar date"),
        (6, "minutes: expected a whole number, got the string \"thirty\""),
        (8, "code is empty"),
        (9, "disagree on date_of_service"),
        (10, "disagree on date_of_service"),
        (15, "unbalanced quotes"),
    ];
    assert_eq!(errors.len(), expect.len(), "{errors:?}");
    for ((row, msg), (want_row, want)) in errors.iter().zip(expect) {
        assert_eq!(*row, want_row);
        assert!(msg.contains(want), "row {row}: {msg}");
    }
}

#[test]
fn nothing_is_lost() {
    let r = audit();
    assert_eq!(r["rows"], 15);
    let mut seen: Vec<u64> = errors_by_row(&r).iter().map(|e| e.0).collect();
    for v in r["results"].as_array().unwrap() {
        seen.extend(v["rows"].as_array().unwrap().iter().map(|x| x.as_u64().unwrap()));
        // Each result's report is the engine's report of its visit.
        let again: Value = serde_json::from_str(&ptbill::check_json(&v["visit"].to_string()).unwrap()).unwrap();
        assert_eq!(again, v["report"]);
    }
    seen.sort_unstable();
    assert_eq!(seen, (2..=16).collect::<Vec<u64>>());
    // The other visits were still checked: V1 (example 3), V4 without its bad row, V8's NCCI pair, V11 after the stray quote.
    let ids: Vec<&str> = r["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["visit_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["V1", "V4", "V7", "V8", "V9", "V11"]);
    let v1 = &r["results"][0]["report"]["lines"];
    assert_eq!((v1[0]["units"].as_u64(), v1[1]["units"].as_u64()), (Some(2), Some(1)));
    let s = &r["summary"];
    assert_eq!(s["by_rule"]["ncci-edit"], 1);
    assert_eq!(s["by_rule"]["units-mismatch"], 1);
    assert_eq!(s["units_over"], 2, "V9 claims 3 units for 20 minutes");
    assert_eq!(s["row_errors"], 7);
    assert_eq!(r["visits"], 10, "V1–V9 and V11; V10's row is unreadable");
}

#[test]
fn cli_json_matches_the_library_and_csv_lists_every_finding() {
    let out = Command::new(env!("CARGO_BIN_EXE_ptbill"))
        .args(["audit", "--format", "json", FIXTURE])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cli, audit());
    let out = Command::new(env!("CARGO_BIN_EXE_ptbill"))
        .args(["audit", FIXTURE])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut rows = text.lines();
    assert_eq!(rows.next(), Some("visit_id,row,line,code,rule,severity,message"));
    let findings: u64 = cli["summary"]["by_severity"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    // Messages contain no line breaks, so one line per finding or row error.
    assert_eq!(
        rows.count() as u64,
        findings + cli["row_errors"].as_array().unwrap().len() as u64
    );
    assert!(text.contains("V8,13,2,97110,ncci-edit,error,"), "{text}");
    assert!(String::from_utf8(out.stderr).unwrap().contains("7 row errors"));
}

#[test]
fn empty_and_headerless_files() {
    let r: Value = serde_json::from_str(&ptbill::audit::audit_json("")).unwrap();
    assert_eq!(r["row_errors"][0]["row"], 1);
    let r: Value = serde_json::from_str(&ptbill::audit::audit_json("a,b\n1,2\n")).unwrap();
    assert!(r["row_errors"][0]["message"].as_str().unwrap().contains("visit_id"));
    assert_eq!(r["row_errors"][1]["row"], 2);
    // Columns are matched by name, in any order, with an optional setting column.
    let r: Value = serde_json::from_str(&ptbill::audit::audit_json(
        "code,minutes,visit_id,date_of_service,setting\n97161,,A,2026-03-02,outpatient_hospital\n97750,30,A,2026-03-02,outpatient_hospital\n",
    ))
    .unwrap();
    assert_eq!(
        r["results"][0]["report"]["data"]["ncci"],
        "2026-04-01 outpatient hospital"
    );
}

/// Rows of a visit need not be next to each other: a visit is checked once all
/// its rows are in, wherever they are, and across batch boundaries.
#[test]
fn scattered_rows_give_the_same_results_as_grouped_ones() {
    let header = "visit_id,date_of_service,payer,discipline,code,minutes,assistant_minutes,units,modifiers,diagnoses";
    let codes = ["97110", "97140", "97530", "97150", "97161"];
    // 3,000 visits of two rows: more than two batches.
    let rows: Vec<String> = (0..3000)
        .flat_map(|v| {
            (0..2).map(move |k| {
                format!(
                    "V{v},2026-03-{:02},medicare,pt,{},{},,,GP,M54.50",
                    1 + v % 28,
                    codes[(v + k * 2) % codes.len()],
                    8 + (v * 7 + k) % 30
                )
            })
        })
        .collect();
    let grouped = format!("{header}\n{}\n", rows.join("\n"));
    // Every first row, then every second row: each visit spans the whole file.
    let scattered_rows: Vec<&String> = rows.iter().step_by(2).chain(rows.iter().skip(1).step_by(2)).collect();
    let scattered = format!(
        "{header}\n{}\n",
        scattered_rows.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n")
    );
    let by_visit = |text: &str| -> Vec<(String, Value)> {
        let r: Value = serde_json::from_str(&ptbill::audit::audit_json(text)).unwrap();
        assert_eq!(r["row_errors"].as_array().unwrap().len(), 0);
        let mut v: Vec<(String, Value)> = r["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| (x["visit_id"].as_str().unwrap().to_string(), x["report"].clone()))
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    };
    let (a, b) = (by_visit(&grouped), by_visit(&scattered));
    assert_eq!(a.len(), 3000);
    assert_eq!(a, b);
}
