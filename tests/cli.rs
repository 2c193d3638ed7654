//! The command-line door: the same answers as the library, the contract's exit
//! codes, and bad input named by field.
#![cfg(not(target_arch = "wasm32"))]
mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn ptbill(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ptbill"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ptbill runs");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn cms_examples_through_the_cli_match_the_library() {
    for case in common::unit_cases() {
        for method in ["cms", "ama"] {
            let text = common::with_method(&case, method).to_string();
            let out = ptbill(&["check", "--format", "json", "-"], &text);
            assert!(
                out.status.code() == Some(0) || out.status.code() == Some(1),
                "{:?}",
                out
            );
            let cli: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            common::assert_case(&case, method, &cli);
            let lib: serde_json::Value = serde_json::from_str(&ptbill::check_json(&text).unwrap()).unwrap();
            assert_eq!(cli, lib, "CLI and library differ for {}", case["id"]);
        }
    }
}

#[test]
fn example_3_from_a_file() {
    let out = ptbill(&["check", "--format", "json", "tests/fixtures/example3.json"], "");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let units: Vec<u64> = r["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["units"].as_u64().unwrap())
        .collect();
    let alt: Vec<u64> = r["alternative"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["units"].as_u64().unwrap())
        .collect();
    assert_eq!((units, alt), (vec![2, 1], vec![2, 0]));
}

#[test]
fn text_output_is_a_table_with_the_explanation() {
    let out = ptbill(&["check", "tests/fixtures/example3.json"], "");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("97110       33     2     2  GP"), "{text}");
    assert!(text.contains("How the units were counted:"), "{text}");
    assert!(text.contains("Documentation: "), "{text}");
}

#[test]
fn text_output_leads_with_the_answer_then_findings_by_rule() {
    let visit = r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":33},{"code":"97140","minutes":7},{"code":"97161"},{"code":"971110","minutes":20}],"diagnoses":["M54.50"]}"#;
    let out = ptbill(&["check"], visit);
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("Bill 4 units: 97110 × 2, 97140 × 1, 97161 × 1 (CMS total time); CPT per code: 3 units"),
        "{text}"
    );
    assert_eq!(lines.next(), Some("Not billed: 971110 (not a valid code)"), "{text}");
    // The GP proposals are one group, not three cards.
    assert_eq!(text.matches("Missing therapy modifier").count(), 1, "{text}");
    assert!(text.contains("Missing therapy modifier · lines 1–3 · fixed"), "{text}");
    assert_eq!(text.matches("GP added").count(), 1, "{text}");
    // The error comes first, then the findings, then the explanation.
    let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s} not in {text}"));
    assert!(at("Not a valid code · line 4") < at("Missing therapy modifier"));
    assert!(at("Findings:") < at("How the units were counted:"));
    assert!(at("How the units were counted:") < at("Documentation: "));
    assert_eq!(out.status.code(), Some(1), "an invalid code is an error");
    // One unit: no "1 units".
    let out = ptbill(
        &["check"],
        r#"{"date_of_service":"2026-03-02","method":"ama","lines":[{"code":"97110","minutes":8,"modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("Bill 1 unit: 97110 × 1 (CPT per code); CMS total time: 1 unit\n"),
        "{text}"
    );
    assert!(text.contains("Per-code time rule on a Medicare claim"), "{text}");
}

#[test]
fn exit_1_on_an_error_diagnostic() {
    let out = ptbill(
        &["check"],
        r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":30}]}"#,
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn bad_input_exits_2_naming_the_field() {
    let cases = [
        ("not json", r#"{"date_of_service":"#, "not valid JSON"),
        (
            "unknown field",
            r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minuts":30}]}"#,
            "lines[0].minuts",
        ),
        (
            "unknown top field",
            r#"{"date_of_service":"2026-03-02","lines":[],"payor":"medicare"}"#,
            "payor",
        ),
        (
            "wrong type",
            r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":"30"}]}"#,
            "lines[0].minutes",
        ),
        (
            "negative",
            r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":-1}]}"#,
            "lines[0].minutes",
        ),
        (
            "fractional",
            r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","units":1.5}]}"#,
            "lines[0].units",
        ),
        (
            "impossible date",
            r#"{"date_of_service":"2026-02-29","lines":[]}"#,
            "date_of_service",
        ),
        (
            "date shape",
            r#"{"date_of_service":"03/02/2026","lines":[]}"#,
            "date_of_service",
        ),
        (
            "assistant above minutes",
            r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":10,"assistant_minutes":11}]}"#,
            "lines[0].assistant_minutes",
        ),
        (
            "unknown payer",
            r#"{"date_of_service":"2026-03-02","payer":"aetna","lines":[]}"#,
            "payer",
        ),
        (
            "unknown method",
            r#"{"date_of_service":"2026-03-02","method":"8min","lines":[]}"#,
            "method",
        ),
        (
            "missing code",
            r#"{"date_of_service":"2026-03-02","lines":[{"minutes":10}]}"#,
            "lines[0].code",
        ),
        (
            "too large",
            r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":4294967296}]}"#,
            "lines[0].minutes",
        ),
        (
            "negative money",
            r#"{"date_of_service":"2026-03-02","ytd_allowed":-5,"lines":[]}"#,
            "ytd_allowed",
        ),
        (
            "modifier type",
            r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","modifiers":"GP"}]}"#,
            "lines[0].modifiers",
        ),
        ("not an object", r#"[]"#, "JSON object"),
    ];
    for (what, input, field) in cases {
        let out = ptbill(&["check", "--format", "json"], input);
        assert_eq!(out.status.code(), Some(2), "{what}");
        assert!(out.stdout.is_empty(), "{what}: nothing on stdout");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(field), "{what}: {err}");
    }
}

#[test]
fn timed_code_without_minutes_is_checked_not_rejected() {
    let out = ptbill(
        &["check", "--format", "json"],
        r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
    );
    assert_eq!(out.status.code(), Some(0));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        r["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["rule"] == "missing-minutes")
    );
}

#[test]
fn rules_and_explain() {
    let out = ptbill(&["rules", "--format", "json"], "");
    assert_eq!(out.status.code(), Some(0));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(list.as_array().unwrap().iter().any(|r| r["id"] == "ncci-edit"));
    for r in list.as_array().unwrap() {
        assert!(r["title"].as_str().is_some_and(|t| !t.is_empty()), "{r}");
        assert!(r["rank"].as_u64().is_some_and(|n| n >= 1), "{r}");
    }
    let out = ptbill(&["explain", "ncci-edit"], "");
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(
        page.starts_with("# ncci-edit") && page.contains("## Source") && page.contains("2024-07-01"),
        "{page}"
    );
    let out = ptbill(&["explain", "no-such-rule"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(page.contains("**Codes not paid together**"), "{page}");
    let out = ptbill(&["rules"], "");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("kx-threshold"));
    assert!(
        text.lines().next().unwrap().contains("invalid-code") && text.contains("Not a valid code"),
        "{text}"
    );
    let out = ptbill(&["frobnicate"], "");
    assert_eq!(out.status.code(), Some(2));
}
