//! The CMS worked examples and derived cases through the Rust API.
#![cfg(not(target_arch = "wasm32"))]
mod common;

#[test]
fn cms_examples_and_derived_cases_through_the_library() {
    for case in common::unit_cases() {
        for method in ["cms", "ama"] {
            let text = common::with_method(&case, method).to_string();
            let report: serde_json::Value = serde_json::from_str(&ptbill::check_json(&text).unwrap()).unwrap();
            common::assert_case(&case, method, &report);
        }
    }
}

#[test]
fn example_3_contract_numbers() {
    let v = ptbill::parse_visit(include_str!("fixtures/example3.json")).unwrap();
    let r = ptbill::check(&v);
    assert_eq!(r.lines.iter().map(|l| l.units).collect::<Vec<_>>(), [2, 1]);
    assert_eq!(r.alternative.lines.iter().map(|l| l.units).collect::<Vec<_>>(), [2, 0]);
    assert_eq!((r.timed_minutes, r.timed_units, r.alternative.timed_units), (40, 3, 2));
    assert_eq!((r.total_units, r.alternative.total_units), (3, 2));
    assert!(
        r.explanation.iter().any(|s| s.contains("40 → 3 units (38–52 minutes)")),
        "{:?}",
        r.explanation
    );
    assert!(
        r.explanation
            .iter()
            .any(|s| s.contains("97140 (7 min), 97110 (3 min) → 97140")),
        "{:?}",
        r.explanation
    );
    assert!(!r.has_errors(), "{:?}", r.diagnostics);
    assert!(r.documentation.contains("Total timed code treatment minutes: 40"));
    assert!(
        r.documentation.contains("97110 × 2 (GP); 97140 × 1 (GP)"),
        "{}",
        r.documentation
    );
}

#[test]
fn untimed_codes_take_claimed_units_and_count_in_treatment_time() {
    let v = ptbill::parse_visit(
        r#"{"date_of_service":"2026-03-02","lines":[{"code":"97161","minutes":35,"modifiers":["GP"]},
        {"code":"97150","units":2,"modifiers":["GP"]},{"code":"97110","minutes":7,"modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
    )
    .unwrap();
    let r = ptbill::check(&v);
    assert_eq!(r.lines.iter().map(|l| l.units).collect::<Vec<_>>(), [1, 2, 0]);
    assert_eq!(r.timed_minutes, 7);
    assert_eq!(r.total_treatment_minutes, 42);
    assert!(
        r.documentation
            .contains("Total treatment time: at least 42 minutes (no minutes recorded for 97150)"),
        "{}",
        r.documentation
    );
    assert!(
        r.documentation.contains("Performed, no unit billed: 97110, 7 min"),
        "{}",
        r.documentation
    );
}

#[test]
fn same_code_on_two_lines_pools_minutes() {
    let v = ptbill::parse_visit(
        r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":10,"modifiers":["GP"]},
        {"code":"97140","minutes":12,"modifiers":["GP"]},{"code":"97110","minutes":10,"modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
    )
    .unwrap();
    let r = ptbill::check(&v);
    // 20 + 12 = 32 minutes → 2 units: 97110 1 full + leftover 5; 97140 leftover 12 → 97140 gets the remaining unit.
    assert_eq!(r.lines.iter().map(|l| l.units).collect::<Vec<_>>(), [1, 1, 0]);
    assert_eq!(
        r.alternative.lines.iter().map(|l| l.units).collect::<Vec<_>>(),
        [1, 1, 0]
    );
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.rule == "split-timed-code" && d.line == Some(2))
    );
    assert!(
        r.explanation.iter().any(|s| s.contains("pooled (10 + 10 = 20)")),
        "{:?}",
        r.explanation
    );
}

/// RTM (98975–98986) is billed per period, not as treatment time on the day:
/// its minutes are in neither total, and the statement names them apart.
/// 98980 from 2022-01-01 (CMS I/OCE HCPCS table); the statement as of 2026-12-01.
#[test]
fn remote_monitoring_minutes_are_not_treatment_time() {
    let v = ptbill::parse_visit(
        r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":30,"modifiers":["GP"]},
        {"code":"98980","minutes":25,"modifiers":["GP"]},{"code":"98977","modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
    )
    .unwrap();
    let r = ptbill::check(&v);
    assert_eq!((r.timed_minutes, r.timed_units), (30, 2));
    assert_eq!(
        r.total_treatment_minutes, 30,
        "98980's 25 minutes are not treatment time"
    );
    let d = &r.documentation;
    assert!(
        d.contains("Total timed code treatment minutes: 30. Total treatment time: 30 minutes. "),
        "{d}"
    );
    assert!(!d.contains("untimed") && !d.contains("at least"), "{d}");
    assert!(
        d.contains("Remote therapeutic monitoring, billed per period and not part of the treatment time: 98980 (25 min, once per calendar month)."),
        "{d}"
    );
    assert!(d.contains("98980 × 1 (GP)") && d.contains("98977 × 1 (GP)"), "{d}");
    // 2021: 98980 did not exist yet, so it is not billed and not named as monitoring time.
    let v = ptbill::parse_visit(
        r#"{"date_of_service":"2021-06-01","lines":[{"code":"97110","minutes":30,"modifiers":["GP"]},
        {"code":"98980","minutes":25,"modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
    )
    .unwrap();
    let r = ptbill::check(&v);
    assert_eq!(r.total_treatment_minutes, 30);
    assert!(
        !r.documentation.contains("Remote therapeutic monitoring"),
        "{}",
        r.documentation
    );
    assert!(
        r.documentation.contains("Not billed: 98980, 25 min"),
        "{}",
        r.documentation
    );
}

/// 97550 + 97551 (valid from 2024-01-01, CMS I/OCE) are timed codes counted in
/// their own blocks, not untimed: the statement says so.
#[test]
fn statement_describes_codes_timed_in_their_own_blocks() {
    let visit = |dos: &str, extra: &str| {
        ptbill::parse_visit(&format!(
            r#"{{"date_of_service":"{dos}","lines":[{{"code":"97550","minutes":30,"modifiers":["GP"]}},{{"code":"97551","minutes":15,"modifiers":["GP"]}}{extra}],"diagnoses":["M54.50"]}}"#
        ))
        .unwrap()
    };
    let r = ptbill::check(&visit("2026-03-02", ""));
    assert_eq!((r.timed_minutes, r.total_treatment_minutes, r.total_units), (0, 45, 2));
    let d = &r.documentation;
    assert!(
        d.contains("Total treatment time: 45 minutes (0 in 15-minute codes + 45 in 97550 and 97551, timed in their own blocks). "),
        "{d}"
    );
    assert!(!d.contains("untimed"), "{d}");
    // With a 15-minute code and an untimed one, all three kinds are named.
    let r = ptbill::check(&visit(
        "2026-03-02",
        r#",{"code":"97110","minutes":23,"modifiers":["GP"]},{"code":"97161","minutes":20,"modifiers":["GP"]}"#,
    ));
    assert!(
        r.documentation.contains("Total treatment time: 88 minutes (23 in 15-minute codes + 45 in 97550 and 97551, timed in their own blocks + 20 untimed). "),
        "{}",
        r.documentation
    );
    // Before 2024-01-01 the codes did not exist: nothing of them is treatment time.
    let r = ptbill::check(&visit("2023-12-15", ""));
    assert_eq!(r.total_treatment_minutes, 0);
    assert!(!r.documentation.contains("own blocks"), "{}", r.documentation);
}
