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
        .map(|d| {
            (
                d.rule.to_string(),
                d.severity,
                d.message.into_owned(),
                d.help.into_owned(),
            )
        })
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

/// Laterality from the code set's structure (issue 14): a sample of every chapter
/// therapists use, both ways. Unspecified side fires and names the sided codes;
/// the sided codes, and codes that have no side at all, stay quiet.
#[test]
fn laterality_table() {
    // (code, a sided sibling the message must name)
    let fires = [
        ("M25.569", "M25.561"),
        ("M25.579", "M25.571"),
        ("M25.519", "M25.512"),
        ("M25.559", "M25.551"),
        ("M79.603", "M79.601"),
        ("M79.606", "M79.605"),
        ("M79.609", "M79.604"),
        ("M26.609", "M26.603"),
        ("M26.629", "M26.621"),
        ("M67.819", "M67.813"),
        ("M75.100", "M75.102"),
        ("M17.10", "M17.11"),
        ("M16.10", "M16.12"),
        ("M76.899", "M76.891"),
        ("M84.319A", "M84.311A"),
        ("M67.A09", "M67.A01"),
        ("M72.20", "M72.22"),
        ("S83.509A", "S83.501A"),
        ("S83.209D", "S83.207D"),
        ("S93.409A", "S93.401A"),
        ("S46.019A", "S46.012A"),
        ("S72.009A", "S72.001A"),
        ("S43.409A", "S43.402A"),
        ("S86.019D", "S86.011D"),
        ("G81.90", "G81.94"),
        ("G81.10", "G81.11"),
        ("G83.10", "G83.12"),
        ("G83.20", "G83.23"),
        ("G83.30", "G83.31"),
        ("G56.00", "G56.01"),
        ("G57.00", "G57.02"),
        ("I69.359", "I69.351"),
        ("I69.959", "I69.954"),
        ("I69.059", "I69.052"),
        ("I69.339", "I69.333"),
    ];
    let quiet = [
        "M25.561", "M25.571", "M79.601", "M79.604", "M26.601", "M67.811", "M75.101", "M17.11", "M17.9", "M17.0",
        "M65.90", "M54.50", "M62.81", "M84.311A", "M67.A01", "M72.21", "S83.501A", "S93.401A", "G81.91", "G83.11",
        "G56.01", "I69.351", "I69.952", "R26.0", "R26.2", "R26.81", "R26.89", "R26.9", "Z47.1", "Z47.81", "Z47.89",
    ];
    for (dx, sibling) in fires {
        let found = diagnose("2026-11-02", dx);
        assert_eq!(found.len(), 1, "{dx}: {found:?}");
        assert_eq!(
            (found[0].0.as_str(), found[0].1),
            ("icd10-unspecified", Severity::Warning),
            "{dx}"
        );
        assert!(
            found[0].2.contains(sibling),
            "{dx} should name {sibling}: {}",
            found[0].2
        );
    }
    for dx in quiet {
        assert!(
            diagnose("2026-11-02", dx).is_empty(),
            "{dx}: {:?}",
            diagnose("2026-11-02", dx)
        );
    }
    assert!(fires.len() + quiet.len() >= 40);
}

/// FY2027 (from 2026-10-01): M72.2 became a header; the new plantar fasciitis codes.
#[test]
fn fy2027_changes() {
    assert!(diagnose("2026-09-30", "M72.2").is_empty(), "billable in FY2026");
    only("2026-10-01", "M72.2", "icd10-not-billable");
    let (msg, _) = only("2026-11-02", "M67.A09", "icd10-unspecified");
    assert!(msg.contains("M67.A01, M67.A02"), "{msg}");
    assert!(diagnose("2026-11-02", "M67.A01").is_empty());
    only("2026-09-30", "M67.A09", "icd10-not-billable");
    let set = ptbill::icd10::code_set().unwrap();
    let d = |s: &str| ptbill::date::Date::parse(s).unwrap();
    assert!(set.billable("M67A09", d("2026-11-02")));
    assert_eq!(set.sided_siblings("M67A09", d("2026-11-02")), ["M67A01", "M67A02"]);
    assert!(
        set.sided_siblings("M67A09", d("2026-09-30")).is_empty(),
        "not yet valid"
    );
    let desc = ptbill::icd10::descriptions().unwrap();
    assert_eq!(
        desc.title("M67A09").as_deref(),
        Some("Plantar fasciitis, unspecified foot")
    );
    assert_eq!(
        desc.title("M67A0").as_deref(),
        Some("Plantar fasciitis, foot"),
        "new header"
    );
    let r = desc.search(set, "plantar fasciitis", d("2026-11-02"), 10);
    assert!(r.iter().any(|f| f.code == "M67.A01" && f.billable), "{r:?}");
}

/// The FY2026 QA0/QA1 codes have a letter second (found by fuzzing: they were
/// rejected by shape, an error on a billable code).
#[test]
fn qa_codes_are_icd10_codes() {
    let visit = ptbill::parse_visit(
        r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":30}],"diagnoses":["QA0.0101"]}"#,
    )
    .unwrap();
    let rules: Vec<&str> = ptbill::check(&visit).diagnostics.iter().map(|d| d.rule).collect();
    assert!(!rules.iter().any(|r| r.starts_with("icd10")), "{rules:?}");
    let before = ptbill::parse_visit(
        r#"{"date_of_service":"2025-09-30","lines":[{"code":"97110","minutes":30}],"diagnoses":["QA0.0101"]}"#,
    )
    .unwrap();
    let rules: Vec<&str> = ptbill::check(&before).diagnostics.iter().map(|d| d.rule).collect();
    assert!(
        rules.contains(&"icd10-invalid") || rules.contains(&"icd10-not-billable"),
        "{rules:?}"
    );
}
