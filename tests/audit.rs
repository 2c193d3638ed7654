//! Batch audit through the library and the CLI: every real-export shape, every
//! bad-row class with its spreadsheet row number, every input row accounted for,
//! the same result from a file, a pipe and the streaming API in any chunk size.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

const FIXTURE: &str = "tests/fixtures/audit-bad-rows.csv";
const HEADER: &str =
    "visit_id,date_of_service,payer,discipline,code,minutes,assistant_minutes,units,modifiers,diagnoses";

fn lib(path: &str) -> Value {
    serde_json::from_str(&ptbill::audit::audit_json(&String::from_utf8_lossy(&std::fs::read(path).unwrap())).unwrap())
        .unwrap()
}

fn lib_bytes(bytes: &[u8]) -> Result<Value, String> {
    ptbill::audit::audit_json_with(bytes, ptbill::audit::Options::default(), false)
        .map(|s| serde_json::from_str(&s).unwrap())
}

fn cli(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ptbill"))
        .args(args)
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ptbill runs");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        let bytes = bytes.to_vec();
        // Written from another thread: the CLI reads all of it before writing.
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        });
    }
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

fn rows_of(r: &Value, key: &str) -> Vec<u64> {
    r[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["row"].as_u64().unwrap())
        .collect()
}

/// Every data row appears exactly once: in a result or as a row error.
fn assert_every_row_accounted(r: &Value) {
    let mut seen = rows_of(r, "row_errors");
    for v in r["results"].as_array().unwrap() {
        seen.extend(v["rows"].as_array().unwrap().iter().map(|x| x.as_u64().unwrap()));
    }
    let n = seen.len();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(n, seen.len(), "a row listed twice: {seen:?}");
    assert_eq!(n as u64, r["rows"].as_u64().unwrap(), "rows {seen:?}");
}

#[test]
fn each_bad_row_class_is_reported_with_its_row_number() {
    let r = lib(FIXTURE);
    let errors: Vec<(u64, String)> = r["row_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["message"].as_str().unwrap().to_string()))
        .collect();
    let expect = [
        (5, "date_of_service: \"2026-02-30\" is not a real calendar date"),
        (6, "minutes: expected a whole number, got the string \"thirty\""),
        (8, "code is empty"),
        (9, "disagree on date_of_service"),
        (10, "disagree on date_of_service"),
        (15, "never closed"),
    ];
    assert_eq!(errors.len(), expect.len(), "{errors:?}");
    for ((row, msg), (want_row, want)) in errors.iter().zip(expect) {
        assert_eq!(*row, want_row);
        assert!(msg.contains(want), "row {row}: {msg}");
    }
}

#[test]
fn nothing_is_lost() {
    let r = lib(FIXTURE);
    assert_eq!(r["rows"], 15);
    assert_every_row_accounted(&r);
    for v in r["results"].as_array().unwrap() {
        // Each result's report is the engine's report of its visit, less the
        // once-per-file data notice.
        let mut again: Value = serde_json::from_str(&ptbill::check_json(&v["visit"].to_string()).unwrap()).unwrap();
        again["diagnostics"]
            .as_array_mut()
            .unwrap()
            .retain(|d| d["rule"] != "reference-data-date");
        assert_eq!(again, v["report"]);
    }
    let ids: Vec<&str> = r["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["visit_id"].as_str().unwrap())
        .collect();
    // V2's payer "aetna" is a payer name now: checked as other.
    assert_eq!(ids, ["V1", "V2", "V4", "V7", "V8", "V9", "V11"]);
    assert_eq!(r["results"][1]["visit"]["payer"], "other");
    assert_eq!(r["results"][1]["payer_name"], "aetna");
    let v1 = &r["results"][0]["report"]["lines"];
    assert_eq!((v1[0]["units"].as_u64(), v1[1]["units"].as_u64()), (Some(2), Some(1)));
    let s = &r["summary"];
    assert_eq!(s["by_rule"]["ncci-edit"], 1);
    assert_eq!(s["by_rule"]["units-mismatch"], 1);
    assert_eq!(s["units_over"], 2, "V9 claims 3 units for 20 minutes");
    assert_eq!(s["row_errors"], 6);
    assert_eq!(s["payers"]["aetna"], 1);
    assert_eq!(r["visits"], 10, "V1–V9 and V11; V10's row is unreadable");
    assert_eq!(r["visits_checked"], 7);
    assert_eq!(r["cancelled"], false);
}

#[test]
fn cli_json_matches_the_library_and_csv_lists_every_finding() {
    let out = cli(&["audit", "--format", "json", FIXTURE], None);
    assert_eq!(out.status.code(), Some(1));
    let r = json(&out);
    assert_eq!(r, lib(FIXTURE));
    let out = cli(&["audit", FIXTURE], None);
    let text = String::from_utf8(out.stdout).unwrap();
    let mut rows = text.lines();
    assert_eq!(rows.next(), Some("visit_id,row,line,code,rule,severity,message"));
    let findings: u64 = r["summary"]["by_severity"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    let notices =
        r["summary"]["data_notices"].as_array().unwrap().len() + r["summary"]["notices"].as_array().unwrap().len();
    // Messages contain no line breaks, so one line per finding, row error or notice.
    assert_eq!(
        rows.count() as u64,
        findings + r["row_errors"].as_array().unwrap().len() as u64 + notices as u64
    );
    assert!(text.contains("V8,13,2,97110,ncci-edit,error,"), "{text}");
    assert!(String::from_utf8(out.stderr).unwrap().contains("6 row errors"));
}

/// One real-export shape per fixture: (file, visits, checked, data rows, row
/// error rows, row warning rows, file notices).
type Shape = (&'static str, u64, u64, u64, &'static [u64], &'static [u64], usize);
const SHAPES: &[Shape] = &[
    ("audit-payers.csv", 5, 5, 7, &[], &[], 0),
    ("audit-us-dates.csv", 4, 3, 5, &[6], &[], 0),
    ("audit-semicolon.csv", 3, 3, 4, &[], &[], 0),
    ("audit-tabs.tsv", 2, 2, 3, &[], &[], 0),
    ("audit-synonyms.csv", 2, 2, 3, &[], &[], 0),
    ("audit-cr-only.csv", 2, 2, 3, &[], &[], 0),
    ("audit-bom-crlf.csv", 2, 2, 3, &[], &[], 0),
    ("audit-extra-cells.csv", 3, 3, 4, &[3], &[], 0),
    ("audit-unknown-columns.csv", 2, 2, 2, &[], &[], 1),
    ("audit-not-utf8.csv", 1, 1, 2, &[], &[3], 0),
    ("audit-bad-rows.csv", 10, 7, 15, &[5, 6, 8, 9, 10, 15], &[], 0),
];

#[test]
fn every_real_export_shape() {
    for &(name, visits, checked, rows, errors, warnings, notices) in SHAPES {
        let path = format!("tests/fixtures/{name}");
        let r = lib_bytes(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(r["visits"], visits, "{name}");
        assert_eq!(r["visits_checked"], checked, "{name}");
        assert_eq!(r["rows"], rows, "{name}");
        assert_eq!(rows_of(&r, "row_errors"), errors, "{name}: {}", r["row_errors"]);
        assert_eq!(rows_of(&r, "row_warnings"), warnings, "{name}");
        assert_eq!(r["summary"]["notices"].as_array().unwrap().len(), notices, "{name}");
        assert_every_row_accounted(&r);
        // The same from the CLI, given the file or through a pipe.
        let file = cli(&["audit", "--format", "json", &path], None);
        let pipe = cli(
            &["audit", "--format", "json", "-"],
            Some(&std::fs::read(&path).unwrap()),
        );
        assert_eq!(json(&file), r, "{name}: CLI file");
        assert_eq!(file.stdout, pipe.stdout, "{name}: CLI pipe");
        let csv_file = cli(&["audit", &path], None);
        let csv_pipe = cli(&["audit", "/dev/stdin"], Some(&std::fs::read(&path).unwrap()));
        assert_eq!(csv_file.stdout, csv_pipe.stdout, "{name}: CSV through /dev/stdin");
    }
}

#[test]
fn shapes_read_right() {
    // Semicolons, tabs, synonyms, CR-only and BOM + CRLF all read example 3's numbers.
    for name in [
        "audit-semicolon.csv",
        "audit-tabs.tsv",
        "audit-synonyms.csv",
        "audit-cr-only.csv",
        "audit-bom-crlf.csv",
    ] {
        let r = lib(&format!("tests/fixtures/{name}"));
        let lines = &r["results"][0]["report"]["lines"];
        assert_eq!(
            (lines[0]["units"].as_u64(), lines[1]["units"].as_u64()),
            (Some(2), Some(1)),
            "{name}"
        );
        assert_eq!(r["results"][0]["visit"]["lines"][0]["minutes"], 33, "{name}");
    }
    // Diagnoses separated by ", " in a tab file: two diagnoses.
    let r = lib("tests/fixtures/audit-tabs.tsv");
    assert_eq!(
        r["results"][1]["visit"]["diagnoses"],
        serde_json::json!(["M54.50", "M25.561"])
    );
    // US dates read as dates; the row with an impossible one names it as typed.
    let r = lib("tests/fixtures/audit-us-dates.csv");
    assert_eq!(r["results"][0]["visit"]["date_of_service"], "2026-09-08");
    assert_eq!(
        r["results"][0]["rows"],
        serde_json::json!([2, 3]),
        "09/08/2026 and 9/8/2026 agree"
    );
    assert!(
        r["row_errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("\"02/30/2026\"")
    );
    // Payer names: kept, checked as other, counted by name; a blank cell takes the
    // default and does not disagree with "medicare".
    let r = lib("tests/fixtures/audit-payers.csv");
    let s = &r["summary"];
    assert_eq!(
        s["payers"],
        serde_json::json!({"aetna": 2, "bcbs of texas": 1, "medicare": 2})
    );
    assert_eq!(s["payers_checked_as"]["aetna"], "other");
    assert_eq!(r["results"][2]["visit"]["payer"], "medicare");
    assert_eq!(r["row_errors"].as_array().unwrap().len(), 0);
    // Extra cells: the row is an error naming it; trailing empty cells are not.
    let r = lib("tests/fixtures/audit-extra-cells.csv");
    let m = r["row_errors"][0]["message"].as_str().unwrap();
    assert!(
        m.starts_with("row 3 has 11 cells but the header names 10 columns"),
        "{m}"
    );
    // Unknown columns: named once.
    let r = lib("tests/fixtures/audit-unknown-columns.csv");
    let m = r["summary"]["notices"][0]["message"].as_str().unwrap();
    assert!(m.contains("\"minuts\"") && m.contains("\"notes\""), "{m}");
    // Text that is not UTF-8: replaced and warned, the same in JSON and CSV.
    let r = lib_bytes(&std::fs::read("tests/fixtures/audit-not-utf8.csv").unwrap()).unwrap();
    assert!(r["row_warnings"][0]["message"].as_str().unwrap().starts_with("row 3 "));
    let csv = String::from_utf8(cli(&["audit", "tests/fixtures/audit-not-utf8.csv"], None).stdout).unwrap();
    assert!(
        csv.contains("N1,3,,,row-warning,warning,\"row 3 holds characters"),
        "{csv}"
    );
    assert!(csv.contains("Bj\u{fffd}rk"), "{csv}");
}

#[test]
fn fatal_file_problems_are_one_message() {
    let cases = [
        ("audit-empty.csv", "the file is empty"),
        ("audit-binary.xlsx", "not a text file"),
        (
            "audit-duplicate-column.csv",
            "two diagnoses columns (\"dx\" in column 5 and \"diagnoses\" in column 6)",
        ),
        (
            "audit-missing-column.csv",
            "no visit_id, no date_of_service column (it has: account, service day, CPT, minutes)",
        ),
    ];
    for (name, want) in cases {
        let path = format!("tests/fixtures/{name}");
        let e = lib_bytes(&std::fs::read(&path).unwrap()).unwrap_err();
        assert!(e.contains(want), "{name}: {e}");
        for format in ["csv", "json"] {
            let out = cli(&["audit", "--format", format, &path], None);
            assert_eq!(out.status.code(), Some(2), "{name}");
            assert!(out.stdout.is_empty(), "{name}: nothing on stdout");
            let err = String::from_utf8(out.stderr).unwrap();
            assert_eq!(err.lines().count(), 1, "{name}: one message: {err}");
            assert!(err.contains(want), "{name}: {err}");
        }
    }
    // A folder, a missing file: exit 2 with a clear message.
    let out = cli(&["audit", "tests/fixtures"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("a folder"));
    let out = cli(&["audit", "tests/fixtures/no-such-file.csv"], None);
    assert_eq!(out.status.code(), Some(2));
    // UTF-16 ("Unicode text" from Excel).
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain("visit_id,code\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert!(lib_bytes(&utf16).unwrap_err().contains("UTF-16"));
}

#[test]
fn payer_names_are_mapped_with_payer_option() {
    let path = "tests/fixtures/audit-payers.csv";
    let out = cli(
        &[
            "audit",
            "--format",
            "json",
            "--payer",
            "Aetna=commercial",
            "--payer=bcbs of texas=medicaid",
            path,
        ],
        None,
    );
    let r = json(&out);
    assert_eq!(r["results"][0]["visit"]["payer"], "commercial");
    assert_eq!(r["results"][1]["visit"]["payer"], "medicaid");
    assert_eq!(r["summary"]["payers_checked_as"]["aetna"], "commercial");
    let out = cli(&["audit", "--payer", "Aetna=blue", path], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("not a payer value"));
}

#[test]
fn failed_writes_exit_3_and_never_panic() {
    let full = || std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    for format in ["csv", "json"] {
        let out = Command::new(env!("CARGO_BIN_EXE_ptbill"))
            .args(["audit", "--format", format, FIXTURE])
            .stdout(full())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "{format}");
        assert!(String::from_utf8(out.stderr).unwrap().contains("cannot write"));
        let out = Command::new(env!("CARGO_BIN_EXE_ptbill"))
            .args(["audit", "--format", format, FIXTURE])
            .stdout(Stdio::null())
            .stderr(full())
            .output()
            .unwrap();
        assert!(
            matches!(out.status.code(), Some(1) | Some(3)),
            "{format}: {:?}",
            out.status
        );
        if format == "csv" {
            assert_eq!(out.status.code(), Some(3), "the summary on stderr could not be written");
        }
    }
}

fn visits_csv(n: usize, date: &str) -> String {
    let mut text = format!("{HEADER}\n");
    for v in 0..n {
        text.push_str(&format!("V{v},{date},medicare,pt,97110,30,,,GP,M54.50\n"));
        text.push_str(&format!("V{v},{date},medicare,pt,97140,15,,,GP,M54.50\n"));
    }
    text
}

#[test]
fn reference_data_date_once_per_file() {
    let text = visits_csv(1000, "2026-03-02");
    let r: Value = serde_json::from_str(&ptbill::audit::audit_json(&text).unwrap()).unwrap();
    let all = r.to_string();
    assert_eq!(r["visits_checked"], 1000);
    let notices = r["summary"]["data_notices"].as_array().unwrap();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0]["visits"], 1000);
    assert_eq!(
        all.matches("reference-data-date").count(),
        1,
        "once in the whole output"
    );
    assert!(r["summary"]["by_rule"].get("reference-data-date").is_none());
    // And one row at the top of the findings CSV, with an empty visit id.
    let mut sink = ptbill::audit::CsvSink::new(Vec::new());
    ptbill::audit::audit_text(text.as_bytes(), Default::default(), &mut sink).unwrap();
    let csv = String::from_utf8(sink.finish().unwrap()).unwrap();
    assert_eq!(csv.matches("reference-data-date").count(), 1);
    assert!(
        csv.lines().nth(1).unwrap().starts_with(",,,,reference-data-date,info,"),
        "{csv:.300}"
    );
    // Dates the tables cover: no notice at all.
    let r: Value = serde_json::from_str(&ptbill::audit::audit_json(&visits_csv(3, "2024-03-04")).unwrap()).unwrap();
    assert_eq!(r["summary"]["data_notices"].as_array().unwrap().len(), 0);
}

#[test]
fn the_audit_applies_checks_caps() {
    let mut text = format!("{HEADER}\n");
    for _ in 0..1001 {
        text.push_str("BIG,2026-03-02,medicare,pt,97110,30,,,GP,M54.50\n");
    }
    text.push_str("OK,2026-03-02,medicare,pt,97110,30,,,GP,M54.50\n");
    let dx: Vec<String> = (0..101).map(|i| format!("M{:02}.{}", i % 100, i / 100)).collect();
    text.push_str(&format!("DX,2026-03-02,medicare,pt,97110,30,,,GP,{}\n", dx.join(" ")));
    let r: Value = serde_json::from_str(&ptbill::audit::audit_json(&text).unwrap()).unwrap();
    let errors = r["row_errors"].as_array().unwrap();
    assert_eq!(errors.iter().filter(|e| e["visit_id"] == "BIG").count(), 1001);
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("visit BIG not checked: it has 1001 lines")
    );
    let dx_error = errors.iter().find(|e| e["visit_id"] == "DX").unwrap();
    assert!(
        dx_error["message"].as_str().unwrap().contains("diagnoses"),
        "{dx_error}"
    );
    assert_eq!(r["visits_checked"], 1);
    assert_every_row_accounted(&r);
}

#[test]
fn findings_csv_is_deterministic_and_in_file_order() {
    // Bad rows among good ones, over several batches.
    let mut text = format!("{HEADER}\n");
    for v in 0..5000 {
        if v % 7 == 0 {
            text.push_str(&format!("V{v},2026-03-02,medicare,pt,97110,ten,,,GP,M54.50\n"));
        }
        text.push_str(&format!(
            "V{v},2026-03-02,medicare,pt,97110,{},,,GP,M54.50\n",
            5 + v % 40
        ));
    }
    let run = || {
        let out = cli(&["audit", "-"], Some(text.as_bytes()));
        String::from_utf8(out.stdout).unwrap()
    };
    let first = run();
    for _ in 0..3 {
        assert_eq!(run(), first);
    }
    // Row numbers never go down (visits complete at their last row here).
    let rows: Vec<u64> = first
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(1)?.parse().ok())
        .collect();
    assert!(rows.windows(2).all(|w| w[0] <= w[1]), "file order");
    assert!(first.contains(",row-error,"));
}

/// Rows of a visit need not be next to each other: a visit is checked once all
/// its rows are in, wherever they are, and across batch boundaries.
#[test]
fn scattered_rows_give_the_same_results_as_grouped_ones() {
    let codes = ["97110", "97140", "97530", "97150", "97161"];
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
    let grouped = format!("{HEADER}\n{}\n", rows.join("\n"));
    let scattered_rows: Vec<&String> = rows.iter().step_by(2).chain(rows.iter().skip(1).step_by(2)).collect();
    let scattered = format!(
        "{HEADER}\n{}\n",
        scattered_rows.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n")
    );
    let by_visit = |text: &str| -> Vec<(String, Value)> {
        let r: Value = serde_json::from_str(&ptbill::audit::audit_json(text).unwrap()).unwrap();
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

#[test]
fn columns_in_any_order_with_a_setting() {
    let r: Value = serde_json::from_str(
        &ptbill::audit::audit_json(
            "code,minutes,visit_id,date_of_service,setting\n97161,,A,2026-03-02,outpatient_hospital\n97750,30,A,2026-03-02,outpatient_hospital\n",
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        r["results"][0]["report"]["data"]["ncci"],
        "2026-04-01 outpatient hospital"
    );
}

/// The streaming API fed `chunks` (sizes cycled), as JSON.
fn streamed(bytes: &[u8], chunks: &[usize]) -> String {
    let mut s = ptbill::audit::Stream::new(Default::default());
    let mut sink = ptbill::audit::JsonSink::new(Vec::new(), false);
    let feed = |f: &mut dyn FnMut(&[u8])| {
        let mut at = 0;
        let mut k = 0;
        while at < bytes.len() {
            let n = chunks[k % chunks.len()].max(1).min(bytes.len() - at);
            f(&bytes[at..at + n]);
            at += n;
            k += 1;
        }
    };
    feed(&mut |c| s.count(c).unwrap());
    s.begin().unwrap();
    feed(&mut |c| s.check(c, &mut sink).unwrap());
    let done = s.finish(&mut sink, false).unwrap();
    String::from_utf8(sink.finish(&done).unwrap()).unwrap()
}

fn row_strategy() -> impl Strategy<Value = String> {
    (
        0u8..30,
        prop::sample::select(vec!["2026-03-02", "3/2/2026", "2024-07-15", ""]),
        prop::sample::select(vec!["medicare", "Aetna", "", "commercial", "\"BCBS, TX\""]),
        prop::sample::select(vec!["97110", "97140", "97161", "97150", "G0283", "9711", ""]),
        prop::sample::select(vec!["", "8", "23", "40", "x"]),
        prop::sample::select(vec!["", "2", "1"]),
        prop::sample::select(vec!["GP", "", "GP 59", "\"GP,KX\""]),
        prop::sample::select(vec!["M54.50", "M54.50 M25.561", "", "\"two\nlines\""]),
    )
        .prop_map(|(v, d, p, c, m, u, md, dx)| format!("V{v},{d},{p},pt,{c},{m},,{u},{md},{dx}"))
}

fn file_strategy() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec(row_strategy(), 0..60),
        prop::sample::select(vec!["\n", "\r\n", "\r"]),
        any::<bool>(),
    )
        .prop_map(|(rows, eol, bom)| {
            let mut text = String::new();
            if bom {
                text.push('\u{feff}');
            }
            text.push_str(HEADER);
            for r in rows {
                text.push_str(eol);
                text.push_str(&r);
            }
            text.push_str(eol);
            text.into_bytes()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// The streaming API in chunks of random sizes gives exactly the whole-text result.
    #[test]
    fn streaming_in_any_chunks_is_the_same(file in file_strategy(), chunks in prop::collection::vec(1usize..97, 1..8)) {
        let whole = ptbill::audit::audit_json_with(&file, Default::default(), false).unwrap();
        prop_assert_eq!(&streamed(&file, &chunks), &whole);
        prop_assert_eq!(&streamed(&file, &[1]), &whole);
        let r: Value = serde_json::from_str(&whole).unwrap();
        let mut seen = rows_of(&r, "row_errors");
        for v in r["results"].as_array().unwrap() {
            seen.extend(v["rows"].as_array().unwrap().iter().map(|x| x.as_u64().unwrap()));
        }
        prop_assert_eq!(seen.len() as u64, r["rows"].as_u64().unwrap());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Through a pipe and through a file, the CLI gives the library's result, on every run.
    #[test]
    fn pipe_file_and_library_agree(file in file_strategy()) {
        let dir = std::env::temp_dir().join(format!("ptbill-audit-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("visits.csv");
        std::fs::write(&path, &file).unwrap();
        let path = path.to_str().unwrap();
        let a = cli(&["audit", "--format", "json", path], None);
        let b = cli(&["audit", "--format", "json", "-"], Some(&file));
        let c = cli(&["audit", "--format", "json", path], None);
        prop_assert_eq!(&a.stdout, &b.stdout);
        prop_assert_eq!(&a.stdout, &c.stdout);
        let lib = ptbill::audit::audit_json_with(&file, Default::default(), false).unwrap();
        prop_assert_eq!(String::from_utf8(a.stdout).unwrap(), lib + "\n");
    }
}
