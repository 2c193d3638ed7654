//! Codes that are not plain 15-minute codes: a first block with its add-on
//! (97129 + 97130 in the 8-minute pool; 97550 + 97551 and 97545 + 97546 by the
//! CPT time rule), per-period remote monitoring, S-codes and 64999.
#![cfg(not(target_arch = "wasm32"))]

use ptbill::Severity;

fn run(json: &str) -> ptbill::Report {
    ptbill::check(&ptbill::parse_visit(json).unwrap_or_else(|e| panic!("{e}: {json}")))
}

fn visit(date: &str, payer: &str, lines: &str) -> String {
    format!(r#"{{"date_of_service":"{date}","payer":"{payer}","lines":[{lines}],"diagnoses":["M54.50"]}}"#)
}

fn units(r: &ptbill::Report) -> (Vec<u64>, Vec<u64>) {
    (
        r.lines.iter().map(|l| l.units).collect(),
        r.alternative.lines.iter().map(|l| l.units).collect(),
    )
}

fn fired<'a>(r: &'a ptbill::Report, rule: &str) -> Vec<&'a ptbill::Diagnostic> {
    r.diagnostics.iter().filter(|d| d.rule == rule).collect()
}

fn text(r: &ptbill::Report) -> String {
    r.explanation.join("\n")
}

#[test]
fn catalog_unit_kinds() {
    use ptbill::codes::{Period, Unit, lookup};
    assert_eq!(lookup("97110").unwrap().unit, Unit::Timed15);
    assert_eq!(lookup("97161").unwrap().unit, Unit::Service);
    assert_eq!(
        lookup("97129").unwrap().unit,
        Unit::First {
            minutes: 15,
            addon: "97130",
            pooled: true
        }
    );
    assert_eq!(
        lookup("97551").unwrap().unit,
        Unit::Each {
            minutes: 15,
            of: "97550",
            pooled: false
        }
    );
    assert_eq!(
        lookup("97545").unwrap().unit,
        Unit::First {
            minutes: 120,
            addon: "97546",
            pooled: false
        }
    );
    assert_eq!(lookup("98980").unwrap().unit, Unit::Period(Period::Month));
    assert_eq!(lookup("98977").unwrap().unit, Unit::Period(Period::ThirtyDays));
    assert_eq!(lookup("98975").unwrap().unit, Unit::Period(Period::Episode));
    assert_eq!(lookup("97552").unwrap().unit, Unit::Service);
    assert!(lookup("97129").unwrap().timed && lookup("97130").unwrap().timed);
    assert!(!lookup("97550").unwrap().timed && !lookup("98980").unwrap().timed);
    // RTM validity as the CMS I/OCE gives it.
    for (code, from) in [
        ("98975", "2022-01-01"),
        ("98976", "2022-01-01"),
        ("98977", "2022-01-01"),
        ("98978", "2023-01-01"),
        ("98980", "2022-01-01"),
        ("98981", "2022-01-01"),
        ("98979", "2026-01-01"),
        ("98984", "2026-01-01"),
        ("98985", "2026-01-01"),
        ("98986", "2026-01-01"),
    ] {
        let c = lookup(code).unwrap_or_else(|| panic!("{code} in the catalog"));
        assert_eq!(c.valid_from.map(|d| d.to_string()).as_deref(), Some(from), "{code}");
        assert_eq!(c.kind, ptbill::codes::Kind::Sometimes, "{code} is sometimes therapy");
    }
    assert_eq!(lookup("98981").unwrap().addon_of, vec!["98980"]);
}

#[test]
fn cognitive_97129_with_30_minutes_is_97129_x1_plus_97130_x1() {
    let r = run(&visit(
        "2026-03-02",
        "medicare",
        r#"{"code":"97129","minutes":30,"modifiers":["GP"]}"#,
    ));
    assert_eq!(units(&r), (vec![1], vec![1]));
    assert_eq!((r.timed_units, r.total_units, r.alternative.total_units), (2, 2, 2));
    let t = text(&r);
    assert!(t.contains("97129 × 1 + 97130 × 1"), "{t}");
    assert!(t.contains("add one with 1 unit"), "{t}");
    let d = fired(&r, "add-on-line-needed");
    assert_eq!(d.len(), 1, "{:?}", r.diagnostics);
    assert!(d[0].message.contains("97129 × 1 + 97130 × 1"), "{}", d[0].message);
    assert!(
        fired(&r, "mue-exceeded").is_empty(),
        "97129 is billed once: {:?}",
        r.diagnostics
    );
    // Both lines entered: the first code takes 1, the add-on the rest; no line to add.
    let r = run(&visit(
        "2026-03-02",
        "medicare",
        r#"{"code":"97129","minutes":20,"modifiers":["GP"]},{"code":"97130","minutes":25,"modifiers":["GP"]}"#,
    ));
    assert_eq!(units(&r), (vec![1, 2], vec![1, 2]));
    assert!(fired(&r, "add-on-line-needed").is_empty());
    assert!(fired(&r, "add-on-without-primary").is_empty());
    // The family's minutes count together under the per-code method too: 10 + 10 = 20 → 1 unit.
    let r = run(&visit(
        "2026-03-02",
        "commercial",
        r#"{"code":"97129","minutes":10,"modifiers":["GP"]},{"code":"97130","minutes":10,"modifiers":["GP"]}"#,
    ));
    assert_eq!(units(&r), (vec![1, 0], vec![1, 0]));
}

#[test]
fn ordinary_timed_codes_keep_the_8_minute_rule_beside_97129() {
    // 97110 33 + 97140 7 (CMS example 3) is unchanged by a family beside it.
    let r = run(&visit(
        "2026-03-02",
        "medicare",
        r#"{"code":"97110","minutes":33,"modifiers":["GP"]},{"code":"97140","minutes":7,"modifiers":["GP"]}"#,
    ));
    assert_eq!(units(&r), (vec![2, 1], vec![2, 0]));
    // 97129 15 + 97110 15: 30 minutes → 2 units, one each.
    let r = run(&visit(
        "2026-03-02",
        "medicare",
        r#"{"code":"97129","minutes":15,"modifiers":["GP"]},{"code":"97110","minutes":15,"modifiers":["GP"]}"#,
    ));
    assert_eq!(units(&r).0, vec![1, 1]);
    assert_eq!(r.timed_minutes, 30);
}

#[test]
fn caregiver_training_97550_30_plus_97551_15() {
    let r = run(&visit(
        "2026-03-02",
        "medicare",
        r#"{"code":"97550","minutes":30,"modifiers":["GP"]},{"code":"97551","minutes":15,"modifiers":["GP"]}"#,
    ));
    assert_eq!(units(&r), (vec![1, 1], vec![1, 1]));
    assert_eq!((r.timed_minutes, r.timed_units, r.total_units), (0, 0, 2));
    let t = text(&r);
    assert!(
        t.contains("97550 covers the first 30 minutes and +97551 each further 15 minutes"),
        "{t}"
    );
    assert!(t.contains("not 15-minute units"), "{t}");
    assert!(t.contains("45 minutes in all → 97550 × 1 + 97551 × 1"), "{t}");
    assert!(!t.contains("Untimed codes"), "97550/97551 are not untimed: {t}");
    assert!(
        fired(&r, "untimed-minutes").is_empty(),
        "97550/97551 are counted by time: {:?}",
        r.diagnostics
    );
    assert!(
        r.diagnostics.iter().all(|d| !d.message.contains("untimed")),
        "{:?}",
        r.diagnostics
    );
    assert!(!r.has_errors(), "{:?}", r.diagnostics);
}

#[test]
fn time_blocks_follow_the_midpoint() {
    let one = |code: &str, m: u32| {
        let r = run(&visit(
            "2026-03-02",
            "commercial",
            &format!(r#"{{"code":"{code}","minutes":{m},"modifiers":["GP"]}}"#),
        ));
        (units(&r).0[0], r.total_units)
    };
    // 97550: the first 30 minutes are earned from 16; 97551 from 8 minutes past 30.
    assert_eq!(one("97550", 15), (0, 0));
    assert_eq!(one("97550", 16), (1, 1));
    assert_eq!(one("97550", 37), (1, 1));
    assert_eq!(one("97550", 38), (1, 2), "38 minutes: 97550 × 1 + a 97551 line to add");
    // 97545: 2 hours earned from 61 minutes; each further hour from 31 minutes.
    assert_eq!(one("97545", 60), (0, 0));
    assert_eq!(one("97545", 61), (1, 1));
    assert_eq!(one("97545", 150), (1, 1));
    assert_eq!(one("97545", 151), (1, 2));
    let r = run(&visit(
        "2026-03-02",
        "commercial",
        r#"{"code":"97545","minutes":120,"modifiers":["GP"]},{"code":"97546","minutes":100,"modifiers":["GP"]}"#,
    ));
    assert_eq!(
        units(&r).0,
        vec![1, 2],
        "220 minutes = 2 hours + 1 hour + 40 minutes (past 30)"
    );
    assert_eq!(ptbill::units::blocks(0, 15), 0);
    assert_eq!(ptbill::units::blocks(7, 15), 0);
    assert_eq!(ptbill::units::blocks(8, 15), 1);
    assert_eq!(ptbill::units::blocks(30, 60), 0);
    assert_eq!(ptbill::units::blocks(31, 60), 1);
}

#[test]
fn rtm_without_gp_to_medicare_as_billed_is_an_error() {
    let r = run(&visit(
        "2026-03-02",
        "medicare",
        r#"{"code":"98977","modifiers":[]},{"code":"98980","minutes":25,"modifiers":[]}"#,
    ));
    let d = fired(&r, "missing-therapy-modifier");
    assert_eq!(d.len(), 2, "{:?}", r.diagnostics);
    assert!(d.iter().all(|d| d.severity == Severity::Error && d.fixed), "{d:?}");
    assert!(r.lines.iter().all(|l| l.modifiers == ["GP"]), "{:?}", r.lines);
    assert_eq!(units(&r), (vec![1, 1], vec![1, 1]));
    assert_eq!(
        (r.timed_minutes, r.timed_units),
        (0, 0),
        "RTM minutes are not 15-minute minutes"
    );
    let t = text(&r);
    assert!(t.contains("per period, never in 15-minute units"), "{t}");
    assert!(t.contains("98980 × 1 (once per calendar month)"), "{t}");
    let m = fired(&r, "untimed-minutes");
    assert!(m.len() == 1 && m[0].message.contains("remote monitoring"), "{m:?}");
}

#[test]
fn rtm_add_on_alone_and_not_yet_valid() {
    let r = run(&visit(
        "2026-03-02",
        "medicare",
        r#"{"code":"98981","modifiers":["GP"]}"#,
    ));
    let d = fired(&r, "add-on-without-primary");
    assert_eq!(d.len(), 1, "{:?}", r.diagnostics);
    assert!(d[0].message.contains("98980"), "{}", d[0].message);
    let r = run(&visit(
        "2026-03-02",
        "medicare",
        r#"{"code":"98980","modifiers":["GP"]},{"code":"98981","modifiers":["GP"]}"#,
    ));
    assert!(fired(&r, "add-on-without-primary").is_empty(), "{:?}", r.diagnostics);
    // 98985 is a CPT 2026 code: not yet valid in December 2025.
    let r = run(&visit(
        "2025-12-15",
        "medicare",
        r#"{"code":"98985","modifiers":["GP"]}"#,
    ));
    let d = fired(&r, "deleted-code");
    assert_eq!(d.len(), 1, "{:?}", r.diagnostics);
    assert!(d[0].message.contains("from 2026-01-01"), "{}", d[0].message);
    assert!(!r.lines[0].billable);
    assert_eq!((r.lines[0].units, r.total_units), (0, 0));
    let r = run(&visit(
        "2026-01-02",
        "medicare",
        r#"{"code":"98985","modifiers":["GP"]}"#,
    ));
    assert!(fired(&r, "deleted-code").is_empty() && r.lines[0].billable);
}

#[test]
fn s_codes_and_64999() {
    let r = run(&visit(
        "2026-03-02",
        "medicare",
        r#"{"code":"S9131","modifiers":["GP"]},{"code":"97110","minutes":30,"modifiers":["GP"]}"#,
    ));
    let d = fired(&r, "non-medicare-code");
    assert_eq!(d.len(), 1, "{:?}", r.diagnostics);
    assert_eq!(d[0].severity, Severity::Error);
    assert!(
        d[0].message.contains("Medicare does not accept S-codes"),
        "{}",
        d[0].message
    );
    assert!(fired(&r, "unknown-code").is_empty());
    assert!(!r.lines[0].billable);
    assert_eq!(units(&r).0, vec![0, 2]);
    let r = run(&visit(
        "2026-03-02",
        "commercial",
        r#"{"code":"S9131","modifiers":["GP"]}"#,
    ));
    let d = fired(&r, "non-medicare-code");
    assert!(d.len() == 1 && d[0].severity == Severity::Warning, "{d:?}");
    assert!(d[0].message.contains("some commercial payers"), "{}", d[0].message);
    assert!(r.lines[0].billable);
    let r = run(&visit(
        "2026-03-02",
        "medicare",
        r#"{"code":"64999","modifiers":["GP"]}"#,
    ));
    let d = fired(&r, "not-therapy-code");
    assert_eq!(d.len(), 1, "{:?}", r.diagnostics);
    assert!(d[0].message.contains("physician's procedure"), "{}", d[0].message);
    assert!(fired(&r, "unknown-code").is_empty());
    assert!(!r.lines[0].billable);
}

#[test]
fn claimed_units_of_time_block_codes_are_checked() {
    let r = run(&visit(
        "2026-03-02",
        "medicare",
        r#"{"code":"97550","minutes":30,"units":1,"modifiers":["GP"]},{"code":"97551","minutes":15,"units":3,"modifiers":["GP"]}"#,
    ));
    let d = fired(&r, "units-mismatch");
    assert_eq!(d.len(), 1, "{:?}", r.diagnostics);
    assert_eq!((d[0].line, d[0].severity), (Some(1), Severity::Error));
    assert!(
        d[0].message.contains("97551 is billed with 3 units"),
        "{}",
        d[0].message
    );
    let r = run(&visit(
        "2026-03-02",
        "medicare",
        r#"{"code":"97550","minutes":30,"units":1,"modifiers":["GP"]},{"code":"97551","minutes":15,"units":1,"modifiers":["GP"]}"#,
    ));
    assert!(fired(&r, "units-mismatch").is_empty(), "{:?}", r.diagnostics);
}
