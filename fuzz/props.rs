//! What each fuzz target asserts, beyond "no panic". Shared by the fuzz targets
//! (fuzz/fuzz_targets/*.rs) and the main crate's tests/fuzz_regressions.rs, which
//! replays every input kept in fuzz/regressions/<target>/.
#![allow(dead_code)]

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The unit chart both methods share: 8–22 minutes → 1, 23–37 → 2, …
fn chart(minutes: u64) -> u64 {
    if minutes < 8 { 0 } else { (minutes + 7) / 15 }
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("the door wrote invalid JSON ({e}): {text}"))
}

/// `parse_visit` + `check` on arbitrary bytes.
pub fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    strict_json_agrees_with_serde(text);
    let Ok(visit) = ptbill::parse_visit(text) else {
        return;
    };
    check_visit(&visit);
}

/// The strict reader accepts what serde_json accepts, with the same value, except
/// a key given twice, nesting past the cap, or a list past its cap; and anything
/// it accepts serde_json accepts.
fn strict_json_agrees_with_serde(text: &str) {
    let strict = ptbill::visit::json::parse(text);
    let plain = serde_json::from_str::<Value>(text.strip_prefix('\u{feff}').unwrap_or(text));
    match (&strict, &plain) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "strict and plain JSON differ on {text:?}"),
        (Ok(_), Err(e)) => panic!("strict reader accepted what serde_json rejects ({e}): {text:?}"),
        (Err(e), Ok(_)) => assert!(
            e.message.contains("given twice")
                || e.message.contains("nested too deeply")
                || e.message.contains("more than"),
            "strict reader rejected valid JSON without a strict reason: {e}: {text:?}"
        ),
        (Err(e), Err(_)) => assert!(!e.message.is_empty()),
    }
}

/// Every property of one checked visit.
pub fn check_visit(visit: &ptbill::Visit) {
    use ptbill::visit::Method;
    let report = ptbill::check(visit);
    let n = visit.lines.len();
    assert!(n > 0, "parse_visit let a visit with no lines through");
    assert_eq!(report.lines.len(), n, "one report line per input line");
    assert_eq!(report.alternative.lines.len(), n);
    for (i, l) in visit.lines.iter().enumerate() {
        assert_eq!(report.lines[i].code, l.code, "lines stay in input order");
        assert_eq!(report.alternative.lines[i].code, l.code);
    }
    assert_eq!(report.method, visit.method);

    // `alternative` is a check with the other method.
    let other = match visit.method {
        Method::Cms => Method::Ama,
        Method::Ama => Method::Cms,
    };
    assert_eq!(report.alternative.method, other);
    let mut swapped = visit.clone();
    swapped.method = other;
    let flipped = ptbill::check(&swapped);
    assert_eq!(
        flipped.timed_units, report.alternative.timed_units,
        "alternative timed units"
    );
    let alt: Vec<u64> = report.alternative.lines.iter().map(|l| l.units).collect();
    let flip: Vec<u64> = flipped.lines.iter().map(|l| l.units).collect();
    assert_eq!(alt, flip, "alternative line units equal a check with the other method");
    let back: Vec<u64> = flipped.alternative.lines.iter().map(|l| l.units).collect();
    let main: Vec<u64> = report.lines.iter().map(|l| l.units).collect();
    assert_eq!(back, main, "and the other way round");

    // Units within what the minutes allow, for both methods.
    for r in [&report, &flipped] {
        let timed_sum: u64 = r.lines.iter().filter(|l| l.timed).map(|l| l.units).sum();
        // More only when an add-on's units still need a line of their own
        // (97129 with 30 minutes: 97129 × 1 + 97130 × 1), which a finding names.
        assert!(
            r.timed_units >= timed_sum,
            "timed_units below the sum of the timed lines"
        );
        if r.timed_units > timed_sum {
            assert!(
                r.diagnostics.iter().any(|d| d.rule == "add-on-line-needed"),
                "timed_units above the timed lines without an add-on line to add"
            );
        }
        let all_minutes: u64 = visit.lines.iter().map(|l| u64::from(l.minutes.unwrap_or(0))).sum();
        // At most: minutes of a line that earns nothing (contract v2) count toward nothing.
        assert!(r.timed_minutes <= all_minutes);
        assert!(r.total_treatment_minutes <= all_minutes);
        let mut by_code: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
        for (l, out) in visit.lines.iter().zip(&r.lines) {
            if out.timed {
                let e = by_code.entry(l.code.as_str()).or_default();
                e.0 += u64::from(l.minutes.unwrap_or(0));
                e.1 += out.units;
            } else {
                let cap = u64::from(l.units.unwrap_or(1).max(1));
                assert!(
                    out.units <= cap,
                    "untimed {} earns {} units, claimed {:?}",
                    l.code,
                    out.units,
                    l.units
                );
            }
        }
        for (code, (minutes, units)) in by_code {
            match r.method {
                Method::Ama => assert!(
                    units <= chart(minutes),
                    "{code}: {units} units from {minutes} minutes (AMA)"
                ),
                Method::Cms => {
                    assert!(
                        units <= minutes / 15 + 1,
                        "{code}: {units} units from {minutes} minutes (CMS)"
                    );
                    assert!(minutes > 0 || units == 0, "{code}: units without minutes");
                }
            }
        }
        if r.method == Method::Cms {
            assert!(r.timed_units <= chart(r.timed_minutes), "CMS total above the chart");
        }
        for d in &r.diagnostics {
            assert!(d.line.is_none_or(|i| i < n), "diagnostic on a line that does not exist");
            assert!(ptbill::rules::by_id(d.rule).is_some(), "unknown rule id {}", d.rule);
            assert!(!d.message.is_empty());
        }
    }

    // The report's JSON round-trips, the JSON door agrees, and the check is deterministic.
    let text = ptbill::to_json(&report);
    let value = json(&text);
    assert_eq!(json(&value.to_string()), value);
    assert_eq!(value["timed_units"].as_u64(), Some(report.timed_units));
    assert_eq!(value["lines"].as_array().map(Vec::len), Some(n));
    assert_eq!(ptbill::to_json(&ptbill::check(visit)), text, "check is deterministic");
    // The visit as the contract's JSON reads back as the same visit.
    let written = ptbill::visit::visit_to_value(visit).to_string();
    let reread = ptbill::parse_visit(&written).unwrap_or_else(|e| panic!("{e}: {written}"));
    assert_eq!(&reread, visit, "visit JSON round trip");
    assert_eq!(
        ptbill::check_json(&written).unwrap(),
        text,
        "the JSON door gives the same report"
    );
}

/// What every audit result must satisfy: every row accounted for exactly once,
/// results that re-check to the same report, counts that add up.
fn audit_result(out: &Value, data_rows: Option<u64>) {
    let rows = out["rows"].as_u64().expect("rows");
    if let Some(n) = data_rows {
        assert_eq!(rows, n, "rows counts the data rows");
    }
    let mut seen: Vec<u64> = Vec::new();
    let errors = out["row_errors"].as_array().expect("row_errors");
    for e in errors {
        assert!(!e["message"].as_str().unwrap_or("").is_empty());
        seen.push(e["row"].as_u64().expect("row error row"));
    }
    // Row 1 is the header: a problem with it is reported there, once.
    assert!(
        seen.iter().filter(|&&r| r == 1).count() <= 1,
        "the header reported twice"
    );
    seen.retain(|&r| r != 1);
    let results = out["results"].as_array().expect("results");
    let mut by_rule: BTreeMap<String, u64> = BTreeMap::new();
    let mut ids = BTreeSet::new();
    for r in results {
        let id = r["visit_id"].as_str().expect("visit_id");
        assert!(ids.insert(id.to_string()), "visit {id} reported twice");
        let lines = r["rows"].as_array().expect("result rows");
        assert_eq!(lines.len(), r["report"]["lines"].as_array().map_or(0, Vec::len));
        seen.extend(lines.iter().map(|x| x.as_u64().expect("row")));
        for d in r["report"]["diagnostics"].as_array().expect("diagnostics") {
            *by_rule
                .entry(d["rule"].as_str().expect("rule").to_string())
                .or_default() += 1;
        }
        // Reopening the audited visit in the calculator gives the same report.
        // (The data-date notice is the file's in an audit, the visit's in a check.)
        let visit = ptbill::parse_visit(&r["visit"].to_string()).unwrap_or_else(|e| panic!("{e}: {}", r["visit"]));
        let mut again = json(&ptbill::to_json(&ptbill::check(&visit)));
        let mut audited = r["report"].clone();
        for report in [&mut again, &mut audited] {
            if let Some(list) = report["diagnostics"].as_array_mut() {
                list.retain(|d| d["rule"] != "reference-data-date");
            }
        }
        assert_eq!(again, audited, "audit report differs from a check of its visit");
    }
    seen.sort_unstable();
    let len = seen.len();
    seen.dedup();
    assert_eq!(seen.len(), len, "a row is reported twice");
    // A problem with the file as a whole (row 1: no usable header, not text) may
    // be its one error; otherwise every data row is accounted for.
    let fatal = errors.iter().any(|e| e["row"] == 1);
    if rows > 0 && !fatal {
        if data_rows.is_some() {
            // A generated file has no blank lines: its data rows are rows 2, 3, ….
            let data: Vec<u64> = (2..rows + 2).collect();
            assert_eq!(seen, data, "every data row appears once, in a result or an error");
        } else {
            // Arbitrary bytes may hold blank lines, numbered but skipped, as a
            // spreadsheet numbers them: every counted row appears once, after the header.
            assert_eq!(
                seen.len() as u64,
                rows,
                "every data row appears once, in a result or an error"
            );
            assert!(seen.iter().all(|&r| r > 1), "a data row numbered as the header");
        }
    }
    assert!(out["visits"].as_u64().expect("visits") >= results.len() as u64);
    for (rule, n) in &by_rule {
        if rule != "reference-data-date" {
            assert_eq!(
                out["summary"]["by_rule"][rule].as_u64(),
                Some(*n),
                "summary count of {rule}"
            );
        }
    }
}

/// The audit's reader on arbitrary bytes: a problem with the file as a whole
/// (empty, no usable header, not text, a duplicate column) is its one error
/// (contract v2); otherwise every row is accounted for, and the text door
/// (`audit_json`, as the wasm) agrees with the byte reader on valid UTF-8.
pub fn audit_bytes(data: &[u8]) {
    let Ok(out) = ptbill::audit::audit_json_with(data, ptbill::audit::Options::default(), false) else {
        return;
    };
    let out = json(&out);
    audit_result(&out, None);
    if let Ok(text) = std::str::from_utf8(data) {
        let again = json(&ptbill::audit::audit_json(text).expect("the same file reads the same"));
        assert_eq!(again, out, "the text door and the byte reader disagree");
    }
}

/// Picks one of `options` from the next byte.
fn pick<'a>(bytes: &mut impl Iterator<Item = u8>, options: &[&'a str]) -> &'a str {
    options[usize::from(bytes.next().unwrap_or(0)) % options.len()]
}

const HEADER: &str =
    "visit_id,date_of_service,payer,discipline,code,minutes,assistant_minutes,units,modifiers,diagnoses";

/// A well-formed audit CSV built from the bytes: each row's cells drawn from
/// what spreadsheets hold (good and bad values), so the fuzzer explores visits
/// rather than CSV syntax.
pub fn rows_csv(data: &[u8]) -> (String, u64) {
    let mut bytes = data.iter().copied();
    let mut text = String::from(HEADER);
    text.push('\n');
    let mut rows = 0;
    while rows < 64 {
        let Some(first) = bytes.next() else { break };
        let id = ["V1", "V2", "V3", "V4", "", "V 5"][usize::from(first) % 6];
        let cells = [
            id,
            pick(
                &mut bytes,
                &[
                    "2026-03-02",
                    "2026-03-02",
                    "03/02/2026",
                    "2026-02-30",
                    "",
                    "2019-12-31",
                    "2015-09-30",
                    "x",
                ],
            ),
            pick(
                &mut bytes,
                &[
                    "",
                    "medicare",
                    "medicare_advantage",
                    "medicaid",
                    "commercial",
                    "other",
                    "Aetna",
                ],
            ),
            pick(&mut bytes, &["", "pt", "ot", "slp", "PT", "dentist"]),
            pick(
                &mut bytes,
                &[
                    "97110", "97112", "97140", "97530", "97161", "97162", "97010", "97014", "G0283", "97811", "97813",
                    "92507", "97763", "20560", "63650", "0552T", "97001", "971110", "EXERCISE", "", "97535", "97116",
                ],
            ),
            pick(
                &mut bytes,
                &[
                    "",
                    "0",
                    "7",
                    "8",
                    "15",
                    "22",
                    "23",
                    "38",
                    "53",
                    "-1",
                    "2.5",
                    "abc",
                    "4294967296",
                    "600",
                ],
            ),
            pick(&mut bytes, &["", "", "0", "3", "8", "30"]),
            pick(&mut bytes, &["", "", "1", "2", "3", "0", "9"]),
            pick(
                &mut bytes,
                &["", "GP", "GO", "GN", "GP CQ", "GP 59", "KX GP", "XX", "GP GP", "25"],
            ),
            pick(
                &mut bytes,
                &[
                    "",
                    "M54.50",
                    "M54.5",
                    "M25.561 M54.50",
                    "S83.511",
                    "Z99.99",
                    "724.2",
                    "m54.50",
                ],
            ),
        ];
        text.push_str(&cells.join(","));
        text.push('\n');
        rows += 1;
    }
    (text, rows)
}

/// The audit on structured CSVs: every row accounted for, results that re-check
/// to the same report, and one visit per distinct visit id.
pub fn audit_rows(data: &[u8]) {
    let (text, rows) = rows_csv(data);
    let out =
        json(&ptbill::audit::audit_json(&text).expect("a file with the contract's header is never a file-level error"));
    audit_result(&out, Some(rows));
    let ids: BTreeSet<&str> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .filter(|id| !id.trim().is_empty())
        .collect();
    assert_eq!(
        out["visits"].as_u64(),
        Some(ids.len() as u64),
        "visits = distinct visit ids"
    );
}

/// The ICD-10-CM look-ups: code, date and search words from the bytes. A code
/// the look-up calls billable draws no diagnosis-code error in a check on that
/// date, and one it does not call billable draws one; search stays in its limit
/// and agrees with the look-up.
pub fn icd10(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\n');
    let code = parts.next().unwrap_or("");
    let date = parts.next().unwrap_or("2026-03-02");
    let query = parts.next().unwrap_or(code);
    let limit = data.first().map_or(10, |b| usize::from(*b));
    match ptbill::icd10_lookup_json(code, date) {
        Ok(found) => {
            let found = json(&found);
            let status = found["status"].as_str().expect("status");
            assert!(
                [
                    "billable",
                    "header",
                    "needs-seventh-character",
                    "not-valid-on-date",
                    "unknown"
                ]
                .contains(&status),
                "{status}"
            );
            let billable = found["billable"].as_bool().expect("billable");
            assert_eq!(billable, status == "billable");
            let visit = serde_json::json!({"date_of_service": date, "lines": [{"code": "97110", "minutes": 15}], "diagnoses": [code]});
            if let Ok(visit) = ptbill::parse_visit(&visit.to_string()) {
                let report = ptbill::check(&visit);
                // Outside the ICD-10-CM years the check says so instead of judging the code.
                let outside = report
                    .diagnostics
                    .iter()
                    .any(|d| d.rule == "reference-data-date" && d.message.contains("ICD"));
                let code_errors: Vec<&str> = report
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == ptbill::Severity::Error && d.rule.starts_with("icd10-"))
                    .map(|d| d.rule)
                    .collect();
                assert!(
                    outside || code_errors.is_empty() == billable,
                    "{code:?} on {date}: look-up says {status}, check says {code_errors:?}"
                );
            }
        }
        Err(e) => assert!(e.field == "code" || e.field == "date", "{e}"),
    }
    if let Ok(found) = ptbill::icd10_search_json(query, date, limit) {
        let found = json(&found);
        let list = found.as_array().expect("search gives a list");
        assert!(
            list.len() <= limit.min(200),
            "search gave {} for limit {limit}",
            list.len()
        );
        for f in list {
            let c = f["code"].as_str().expect("code");
            let again = json(&ptbill::icd10_lookup_json(c, date).expect("a found code looks up"));
            assert_eq!(again["billable"], f["billable"], "search and look-up disagree on {c}");
        }
    }
}
