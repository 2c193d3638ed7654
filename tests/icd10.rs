//! Diagnosis checks against the full ICD-10-CM code set, by date of service
//! (issue 4's acceptance cases).
#![cfg(not(target_arch = "wasm32"))]

use ptbill::Severity;

fn diagnose(date: &str, dx: &str) -> Vec<(String, Severity, String, String)> {
    let visit = format!(
        r#"{{"date_of_service":"{date}","lines":[{{"code":"97110","minutes":30,"modifiers":["GP"]}}],"diagnoses":["{dx}"]}}"#
    );
    ptbill::check(&ptbill::parse_visit(&visit).unwrap())
        .diagnostics
        .into_iter()
        .filter(|d| d.rule.starts_with("icd10") || d.rule == "missing-diagnosis")
        .map(|d| (d.rule.to_string(), d.severity, d.message, d.help.into_owned()))
        .collect()
}

fn only(date: &str, dx: &str, rule: &str) -> (String, String) {
    let found = diagnose(date, dx);
    assert_eq!(found.len(), 1, "{dx} on {date}: {found:?}");
    assert_eq!(found[0].0, rule, "{dx} on {date}: {found:?}");
    (found[0].2.clone(), found[0].3.clone())
}

#[test]
fn m54_5_by_date() {
    assert!(diagnose("2021-09-15", "M54.5").is_empty());
    let (msg, help) = only("2026-03-02", "M54.5", "icd10-not-billable");
    assert!(msg.contains("billable from 2015-10-01 to 2021-09-30"), "{msg}");
    assert!(help.contains("M54.50, M54.51, M54.59"), "{help}");
}

#[test]
fn m51_36_and_m72_2() {
    let (_, help) = only("2026-03-02", "M51.36", "icd10-not-billable");
    assert!(help.contains("M51.360"), "{help}");
    assert!(diagnose("2026-09-30", "M72.2").is_empty());
    let (_, help) = only("2026-10-01", "M72.2", "icd10-not-billable");
    assert!(help.contains("M72.20, M72.21, M72.22"), "{help}");
}

#[test]
fn invalid_codes_with_suggestions() {
    let (msg, help) = only("2026-03-02", "S93.0R", "icd10-invalid");
    assert!(msg.contains("S93.0R"), "{msg}");
    assert!(help.contains("S93."), "{help}");
    let (_, help) = only("2026-03-02", "M54.52", "icd10-invalid");
    assert!(help.contains("M54.50, M54.51, M54.59"), "{help}");
    only("2026-03-02", "M54-52", "icd10-invalid");
    only("2026-03-02", "M54.50A", "icd10-invalid");
}

#[test]
fn seventh_character() {
    let (msg, help) = only("2026-03-02", "S86.011", "icd10-seventh-character");
    assert!(msg.contains("S86.011A, S86.011D, S86.011S"), "{msg}");
    assert!(
        help.contains("usually D") && help.contains("active treatment"),
        "{help}"
    );
    let (msg, _) = only("2026-03-02", "M48.46", "icd10-seventh-character");
    assert!(msg.contains("M48.46XA"), "placeholder X: {msg}");
}

#[test]
fn case_and_dot_do_not_matter() {
    assert!(diagnose("2026-03-02", "m5450").is_empty());
    assert!(diagnose("2026-03-02", " m54.50 ").is_empty());
}

#[test]
fn unspecified_side() {
    let found = diagnose("2026-03-02", "M25.569");
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].0.as_str(), found[0].1),
        ("icd10-unspecified", Severity::Warning)
    );
    assert!(found[0].2.contains("M25.561, M25.562"), "{}", found[0].2);
    assert!(diagnose("2026-03-02", "M25.561").is_empty());
}

#[test]
fn common_pt_diagnoses_pass() {
    for dx in [
        "M25.511", "M25.512", "M25.551", "M25.552", "M25.561", "M25.562", "M53.3", "M54.6", "M54.89", "M54.9",
        "G56.00", "M79.601", "M79.602", "M79.604", "M79.605", "M79.641", "M79.642", "M79.671", "M79.672", "S83.511A",
        "S86.011A", "M75.100",
    ] {
        let errors: Vec<_> = diagnose("2026-03-02", dx)
            .into_iter()
            .filter(|d| d.1 == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{dx}: {errors:?}");
    }
}

#[test]
fn dates_outside_the_data() {
    let r = ptbill::check(
        &ptbill::parse_visit(
            r#"{"date_of_service":"2027-11-02","lines":[{"code":"97110","minutes":15}],"diagnoses":["M54.50"]}"#,
        )
        .unwrap(),
    );
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.rule == "reference-data-date" && d.message.contains("FY2027"))
    );
    let r = ptbill::check(
        &ptbill::parse_visit(
            r#"{"date_of_service":"2015-09-30","lines":[{"code":"97110","minutes":15}],"diagnoses":["724.2"]}"#,
        )
        .unwrap(),
    );
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.rule == "reference-data-date" && d.message.contains("ICD-9-CM"))
    );
    assert!(!r.diagnostics.iter().any(|d| d.rule.starts_with("icd10")));
}
