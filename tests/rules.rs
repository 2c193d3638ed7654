//! The rule registry: every contract id, docs that run, dated behaviour, and the
//! generated rule reference kept current.
#![cfg(not(target_arch = "wasm32"))]
mod common;

use ptbill::Severity;

/// Every rule id the contract requires.
const CONTRACT_IDS: &[&str] = &[
    "invalid-code",
    "unknown-code",
    "deleted-code",
    "medicare-code-substitution",
    "bundled-code",
    "not-therapy-code",
    "tracking-code",
    "temporary-code",
    "missing-minutes",
    "untimed-minutes",
    "below-eight-minutes",
    "units-mismatch",
    "split-timed-code",
    "mue-exceeded",
    "ncci-edit",
    "unneeded-distinct-modifier",
    "conflicting-distinct-modifiers",
    "add-on-without-primary",
    "missing-therapy-modifier",
    "therapy-modifier-mismatch",
    "assistant-modifier",
    "kx-threshold",
    "modifier-25-misuse",
    "modifier-52-timed",
    "modifier-76-timed",
    "unknown-modifier",
    "missing-diagnosis",
    "icd10-invalid",
    "icd10-not-billable",
    "icd10-seventh-character",
    "icd10-unspecified",
    "reference-data-date",
];

fn run(json: &str) -> ptbill::Report {
    ptbill::check(&ptbill::parse_visit(json).unwrap_or_else(|e| panic!("{e}: {json}")))
}

fn fired<'a>(r: &'a ptbill::Report, rule: &str) -> Vec<&'a ptbill::Diagnostic> {
    r.diagnostics.iter().filter(|d| d.rule == rule).collect()
}

fn errors(r: &ptbill::Report) -> Vec<String> {
    r.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}: {}", d.rule, d.message))
        .collect()
}

#[test]
fn registry_has_every_contract_id_once_with_docs() {
    let ids: Vec<&str> = ptbill::rules::all().map(|r| r.id).collect();
    for id in CONTRACT_IDS {
        assert!(ids.contains(id), "missing rule {id}");
    }
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "duplicate ids");
    for r in ptbill::rules::all() {
        assert!(
            r.id.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{} is kebab-case",
            r.id
        );
        assert!(
            r.source.chars().any(|c| c.is_ascii_digit()),
            "{}: the source names a date",
            r.id
        );
        let page = r.docs();
        for heading in ["## What it checks", "## Why", "## Source", "## Example", "## Fix"] {
            assert!(page.contains(heading), "{}: {heading}", r.id);
        }
    }
}

#[test]
fn every_docs_example_fires_its_rule() {
    for rule in ptbill::rules::all() {
        let r = run(rule.example);
        assert!(
            !fired(&r, rule.id).is_empty(),
            "{}: its example does not fire it; got {:?}",
            rule.id,
            r.diagnostics
        );
    }
}

#[test]
fn clean_visits_fire_no_error() {
    for case in common::unit_cases() {
        let r = run(&case["visit"].to_string());
        let errs = errors(&r);
        if case["id"].as_str().unwrap().starts_with("D4") {
            // 127 and 128 minutes of 97110 earn 8 and 9 units: above its MUE of 6.
            assert!(errs.len() == 1 && errs[0].starts_with("mue-exceeded"), "{errs:?}");
        } else {
            assert!(errs.is_empty(), "{}: {errs:?}", case["id"]);
        }
    }
    let r = run(
        r#"{"date_of_service":"2026-03-02","ytd_allowed":2600,"lines":[{"code":"97161","minutes":30,"modifiers":["GP","KX"]},{"code":"97110","minutes":24,"assistant_minutes":12,"modifiers":["GP","CQ","KX"]}],"diagnoses":["M54.50"]}"#,
    );
    assert!(errors(&r).is_empty(), "{:?}", errors(&r));
}

#[test]
fn kx_amount_by_year() {
    let visit = |date: &str| {
        format!(
            r#"{{"date_of_service":"{date}","ytd_allowed":2450,"lines":[{{"code":"97110","minutes":30,"modifiers":["GP"]}}],"diagnoses":["M54.50"]}}"#
        )
    };
    let r2025 = run(&visit("2025-06-02"));
    let kx: Vec<_> = fired(&r2025, "kx-threshold");
    assert_eq!(kx.len(), 1);
    assert_eq!(kx[0].severity, Severity::Error);
    assert!(kx[0].message.contains("$2,410.00"), "{}", kx[0].message);
    let r2026 = run(&visit("2026-06-02"));
    assert!(
        fired(&r2026, "kx-threshold").is_empty(),
        "$2,450 is below the 2026 amount of $2,480"
    );
    // KX at or below the threshold is a warning and is dropped.
    let r = run(
        r#"{"date_of_service":"2026-06-02","ytd_allowed":2480,"lines":[{"code":"97110","minutes":30,"modifiers":["GP","KX"]}],"diagnoses":["M54.50"]}"#,
    );
    assert_eq!(fired(&r, "kx-threshold")[0].severity, Severity::Warning);
    assert_eq!(r.lines[0].modifiers, ["GP"]);
    // Only Medicare.
    let r = run(
        r#"{"date_of_service":"2025-06-02","payer":"commercial","ytd_allowed":5000,"lines":[{"code":"97110","minutes":30,"modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
    );
    assert!(fired(&r, "kx-threshold").is_empty());
    // KX is never added.
    assert_eq!(r2025.lines[0].modifiers, ["GP"]);
    // 2020's amount is $2,080 (secondary sources), not marked inferred.
    let r = run(&visit("2020-06-02").replace("2450", "2100"));
    let m = &fired(&r, "kx-threshold")[0].message;
    assert!(
        m.contains("2020 KX threshold of $2,080.00") && !m.contains("inferred"),
        "{m}"
    );
}

#[test]
fn cq_by_date_and_per_unit() {
    let visit = |date: &str| {
        format!(
            r#"{{"date_of_service":"{date}","lines":[{{"code":"97110","minutes":24,"assistant_minutes":12,"modifiers":["GP"]}}],"diagnoses":["M54.50"]}}"#
        )
    };
    let before = run(&visit("2019-12-31"));
    assert!(fired(&before, "assistant-modifier").is_empty());
    assert_eq!(before.lines[0].modifiers, ["GP"]);
    assert!(before.lines[0].split.is_none());
    let after = run(&visit("2020-01-01"));
    assert_eq!(fired(&after, "assistant-modifier")[0].severity, Severity::Error);
    assert_eq!(after.lines[0].modifiers, ["GP", "CQ"]);
    let split = serde_json::to_value(&after.lines[0].split).unwrap();
    assert_eq!(
        split,
        serde_json::json!([{"units": 1, "modifiers": ["GP", "CQ"]}, {"units": 1, "modifiers": ["GP"]}])
    );
    assert!(
        !after.explanation.iter().any(|s| s.contains("85%")),
        "the reduction starts in 2022"
    );
    let y2022 = run(&visit("2022-01-03"));
    assert!(
        y2022.explanation.iter().any(|s| s.contains("85%")),
        "{:?}",
        y2022.explanation
    );
    // The candidates of billing-rules §9.2: PT 5 / PTA 10 → CQ; PT 10 / PTA 5 → none; PT 8 / PTA 12 → none.
    for (pt, pta, cq) in [(5, 10, true), (10, 5, false), (8, 12, false)] {
        let r = run(&format!(
            r#"{{"date_of_service":"2026-03-02","lines":[{{"code":"97110","minutes":{},"assistant_minutes":{pta},"modifiers":["GP"]}}],"diagnoses":["M54.50"]}}"#,
            pt + pta
        ));
        assert_eq!(
            r.lines[0].modifiers.contains(&"CQ".to_string()),
            cq,
            "PT {pt} PTA {pta}"
        );
    }
    // OT takes CO; CQ on an OT visit is wrong.
    let r = run(
        r#"{"date_of_service":"2026-03-02","discipline":"ot","lines":[{"code":"97530","minutes":15,"assistant_minutes":15,"modifiers":["GO","CQ"]}],"diagnoses":["M54.50"]}"#,
    );
    assert_eq!(r.lines[0].modifiers, ["GO", "CO"]);
    // CQ without assistant minutes: a warning, removed.
    let r = run(
        r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":30,"modifiers":["GP","CQ"]}],"diagnoses":["M54.50"]}"#,
    );
    assert_eq!(fired(&r, "assistant-modifier")[0].severity, Severity::Warning);
    assert_eq!(r.lines[0].modifiers, ["GP"]);
    // Untimed: more than 10% of the minutes.
    let r = run(
        r#"{"date_of_service":"2026-03-02","lines":[{"code":"97150","minutes":30,"assistant_minutes":4,"modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
    );
    assert_eq!(r.lines[0].modifiers, ["GP", "CQ"]);
    let r = run(
        r#"{"date_of_service":"2026-03-02","lines":[{"code":"97150","minutes":30,"assistant_minutes":3,"modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
    );
    assert_eq!(r.lines[0].modifiers, ["GP"]);
}

#[test]
fn deleted_codes_by_date() {
    let visit = |date: &str, code: &str| {
        format!(
            r#"{{"date_of_service":"{date}","lines":[{{"code":"{code}","modifiers":["GP"]}}],"diagnoses":["M54.5"]}}"#
        )
    };
    assert!(fired(&run(&visit("2016-12-31", "97001")), "deleted-code").is_empty());
    let d = run(&visit("2017-01-01", "97001"));
    let del = fired(&d, "deleted-code");
    assert_eq!(del.len(), 1);
    assert!(del[0].help.contains("97161/97162/97163"), "{}", del[0].help);
    assert!(
        !fired(&run(&visit("2016-06-01", "97161")), "deleted-code").is_empty(),
        "97161 starts in 2017"
    );
    for (code, last_ok, first_bad) in [
        ("97532", "2017-12-31", "2018-01-01"),
        ("97762", "2017-12-31", "2018-01-01"),
        ("97127", "2019-12-31", "2020-01-01"),
        ("G0515", "2019-12-31", "2020-01-01"),
        ("G8978", "2019-12-31", "2020-01-01"),
        ("G9186", "2019-06-01", "2020-01-01"),
        ("97005", "2016-12-31", "2017-01-01"),
    ] {
        assert!(
            fired(&run(&visit(last_ok, code)), "deleted-code").is_empty(),
            "{code} on {last_ok}"
        );
        assert!(
            !fired(&run(&visit(first_bad, code)), "deleted-code").is_empty(),
            "{code} on {first_bad}"
        );
    }
    // The severity modifiers CH–CN are valid codes: never "deleted".
    let r = run(
        r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":30,"modifiers":["GP","CH"]}],"diagnoses":["M54.50"]}"#,
    );
    assert!(fired(&r, "deleted-code").is_empty() && fired(&r, "unknown-modifier").is_empty());
}

#[test]
fn ncci_pairs_from_the_issue() {
    let pair = |a: &str, ma: &str, b: &str, mb: &str, date: &str| {
        run(&format!(
            r#"{{"date_of_service":"{date}","lines":[{{"code":"{a}","minutes":15,"modifiers":[{ma}]}},{{"code":"{b}","minutes":15,"modifiers":[{mb}]}}],"diagnoses":["M54.50"]}}"#
        ))
    };
    // 97140 + 97124: indicator 0, an error whatever the modifiers.
    let r = pair("97140", r#""GP""#, "97124", r#""GP","59""#, "2026-03-02");
    let e = fired(&r, "ncci-edit");
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].severity, Severity::Error);
    assert_eq!(e[0].line, Some(1));
    assert!(
        e[0].message.contains("never paid together")
            && e[0].message.contains("97140")
            && e[0].message.contains("97124")
    );
    // 97150 + 97110: 97110 (column 2) needs 59 or an X modifier.
    let r = pair("97150", r#""GP""#, "97110", r#""GP""#, "2026-03-02");
    let e = fired(&r, "ncci-edit");
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].line, Some(1));
    assert!(
        e[0].message.contains("97110 is not paid with 97150") && e[0].message.contains("distinct-service modifier"),
        "{}",
        e[0].message
    );
    assert!(
        e[0].help.contains("15-minute") && e[0].help.contains("body region"),
        "{}",
        e[0].help
    );
    assert!(r.lines[1].modifiers.iter().all(|m| m != "59"), "59 is never added");
    let r = pair("97150", r#""GP""#, "97110", r#""GP","59""#, "2026-03-02");
    assert!(fired(&r, "ncci-edit").is_empty() && fired(&r, "unneeded-distinct-modifier").is_empty());
    let r = pair("97150", r#""GP""#, "97110", r#""GP","XS""#, "2026-03-02");
    assert!(fired(&r, "ncci-edit").is_empty());
    // 97140 + 97530: no Medicare edit since 2020; a 59 there is unneeded (and dropped for Medicare).
    let r = pair("97140", r#""GP","59""#, "97530", r#""GP""#, "2026-03-02");
    assert!(fired(&r, "ncci-edit").is_empty());
    assert_eq!(fired(&r, "unneeded-distinct-modifier").len(), 1);
    assert_eq!(r.lines[0].modifiers, ["GP"]);
    // ... but kept for a commercial payer.
    let r = run(
        r#"{"date_of_service":"2026-03-02","payer":"commercial","lines":[{"code":"97140","minutes":15,"modifiers":["GP","59"]},{"code":"97530","minutes":15,"modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
    );
    assert_eq!(r.lines[0].modifiers, ["GP", "59"]);
    // The same pair was an edit until 2019-12-31.
    let r = pair("97140", r#""GP""#, "97530", r#""GP""#, "2019-06-03");
    let e = fired(&r, "ncci-edit");
    assert_eq!(e.len(), 1, "{:?}", r.diagnostics);
    assert_eq!(e[0].line, Some(1));
    let r = pair("97140", r#""GP""#, "97530", r#""GP""#, "2024-06-03");
    assert!(fired(&r, "ncci-edit").is_empty());
    // Commercial payers: a warning.
    let r = run(
        r#"{"date_of_service":"2026-03-02","payer":"commercial","lines":[{"code":"97140","minutes":15,"modifiers":["GP"]},{"code":"97124","minutes":15,"modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
    );
    assert_eq!(fired(&r, "ncci-edit")[0].severity, Severity::Warning);
    // Evaluation + 97750 differs by setting: 0 practitioner, 1 outpatient hospital.
    let prac = run(
        r#"{"date_of_service":"2026-03-02","lines":[{"code":"97161","modifiers":["GP"]},{"code":"97750","minutes":30,"modifiers":["GP","59"]}],"diagnoses":["M54.50"]}"#,
    );
    assert!(fired(&prac, "ncci-edit")[0].message.contains("never paid together"));
    let hosp = run(
        r#"{"date_of_service":"2026-03-02","setting":"outpatient_hospital","lines":[{"code":"97161","modifiers":["GP"]},{"code":"97750","minutes":30,"modifiers":["GP","59"]}],"diagnoses":["M54.50"]}"#,
    );
    assert!(fired(&hosp, "ncci-edit").is_empty(), "{:?}", hosp.diagnostics);
    assert!(hosp.data["ncci"].contains("outpatient hospital"));
}

#[test]
fn mue_on_computed_and_claimed_units() {
    let r = run(
        r#"{"date_of_service":"2026-03-02","lines":[{"code":"97112","minutes":75,"modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
    );
    assert_eq!(r.lines[0].units, 5);
    assert!(
        fired(&r, "mue-exceeded")[0]
            .message
            .contains("more than the 4 Medicare pays in a day"),
        "{}",
        fired(&r, "mue-exceeded")[0].message
    );
    let r = run(
        r#"{"date_of_service":"2026-03-02","lines":[{"code":"97161","units":2,"modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
    );
    assert!(!fired(&r, "mue-exceeded").is_empty());
    // Explained elsewhere: quiet.
    let r = run(
        r#"{"date_of_service":"2026-03-02","lines":[{"code":"97010","modifiers":["GP"]},{"code":"97014","modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
    );
    assert!(fired(&r, "mue-exceeded").is_empty());
    assert_eq!(fired(&r, "bundled-code").len(), 1);
    assert_eq!(fired(&r, "medicare-code-substitution").len(), 1);
}

#[test]
fn payer_scope_of_substitution_and_bundling() {
    for (payer, sev) in [
        ("medicare", Some(Severity::Error)),
        ("medicare_advantage", Some(Severity::Warning)),
        ("commercial", None),
        ("medicaid", None),
    ] {
        let r = run(&format!(
            r#"{{"date_of_service":"2026-03-02","payer":"{payer}","lines":[{{"code":"97014","modifiers":["GP"]}},{{"code":"97010","modifiers":["GP"]}}],"diagnoses":["M54.50"]}}"#
        ));
        assert_eq!(
            fired(&r, "medicare-code-substitution").first().map(|d| d.severity),
            sev,
            "{payer}"
        );
        assert_eq!(fired(&r, "bundled-code").first().map(|d| d.severity), sev, "{payer}");
    }
    let r = run(
        r#"{"date_of_service":"2026-03-02","payer":"commercial","lines":[{"code":"97110","minutes":30,"modifiers":[]}],"diagnoses":["M54.50"]}"#,
    );
    assert_eq!(fired(&r, "missing-therapy-modifier")[0].severity, Severity::Warning);
    // Modifiers as billed (given, even empty): an error for Medicare Advantage.
    let r = run(
        r#"{"date_of_service":"2026-03-02","payer":"medicare_advantage","lines":[{"code":"97110","minutes":30,"modifiers":[]}],"diagnoses":["M54.50"]}"#,
    );
    assert_eq!(fired(&r, "missing-therapy-modifier")[0].severity, Severity::Error);
    assert!(fired(&r, "missing-therapy-modifier")[0].fixed);
    assert_eq!(r.lines[0].modifiers, ["GP"], "GP is added");
    // Modifiers left out: a proposal, not an error.
    let r = run(
        r#"{"date_of_service":"2026-03-02","payer":"medicare_advantage","lines":[{"code":"97110","minutes":30}],"diagnoses":["M54.50"]}"#,
    );
    assert_eq!(fired(&r, "missing-therapy-modifier")[0].severity, Severity::Info);
    assert_eq!(r.lines[0].modifiers, ["GP"], "GP is added");
}

#[test]
fn code_classes() {
    let r = run(
        r#"{"date_of_service":"2026-03-02","lines":[{"code":"97813","minutes":15,"modifiers":["GP"]},{"code":"63650"},{"code":"1125F"},{"code":"0552T"},{"code":"9711O"}],"diagnoses":["M54.50"]}"#,
    );
    let nt = fired(&r, "not-therapy-code");
    assert_eq!(nt.len(), 2);
    assert!(
        nt.iter()
            .any(|d| d.line == Some(0) && d.message.contains("national coverage decision 30.3.3"))
    );
    assert_eq!(fired(&r, "tracking-code")[0].severity, Severity::Info);
    assert_eq!(fired(&r, "temporary-code")[0].severity, Severity::Warning);
    assert!(fired(&r, "invalid-code")[0].message.contains("Did you mean 97110?"));
    // Acupuncture is not flagged for a commercial payer.
    let r = run(
        r#"{"date_of_service":"2026-03-02","payer":"commercial","lines":[{"code":"97810","minutes":15,"modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
    );
    assert!(fired(&r, "not-therapy-code").is_empty());
}

#[test]
fn modifiers_are_corrected() {
    let r = run(
        r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":8,"modifiers":["go","52","25","76"]},{"code":"97150","modifiers":["GP"]},{"code":"97112","minutes":10,"modifiers":["GP","59","XS","ZZ"]}],"diagnoses":["M54.50"]}"#,
    );
    assert_eq!(r.lines[0].modifiers, ["GP"]);
    for id in [
        "therapy-modifier-mismatch",
        "modifier-52-timed",
        "modifier-25-misuse",
        "modifier-76-timed",
        "conflicting-distinct-modifiers",
        "unknown-modifier",
    ] {
        assert!(!fired(&r, id).is_empty(), "{id}");
    }
    assert_eq!(r.lines[2].modifiers, ["GP", "XS", "ZZ"]);
}

#[test]
fn data_dates_are_reported() {
    let r = run(
        r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":30,"modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
    );
    assert_eq!(r.data["ncci"], "2024-07-01 practitioner");
    assert_eq!(r.data["mue"], "2024-07-01");
    // Every table the checks read is named.
    for table in ["codes", "modifiers", "payer_rules", "kx", "icd10cm"] {
        assert!(r.data.contains_key(table), "data has no {table}");
    }
    assert!(
        fired(&r, "reference-data-date")
            .iter()
            .any(|d| d.message.contains("2024-07-01"))
    );
    let r = run(
        r#"{"date_of_service":"2024-08-01","lines":[{"code":"97110","minutes":30,"modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
    );
    assert!(
        !fired(&r, "reference-data-date")
            .iter()
            .any(|d| d.message.contains("NCCI"))
    );
    let r = run(
        r#"{"date_of_service":"2027-02-01","ytd_allowed":3000,"lines":[{"code":"97110","minutes":30,"modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
    );
    assert!(fired(&r, "reference-data-date").iter().any(|d| {
        d.message
            .contains("2027's amount is not published yet; 2026's $2,480 was used")
    }));
}

/// docs/rules.md is generated from the registry; this keeps it current.
/// Regenerate with `UPDATE_DOCS=1 cargo test --test rules`.
#[test]
fn generated_rule_reference_is_current() {
    let mut md = String::from(
        "# ptbill rule reference\n\nGenerated from the rule registry by `UPDATE_DOCS=1 cargo test --test rules`; a test fails when it is out of date.\n\nRules are listed by rank: what a finding costs the clinician, most first (a denied or wrong claim first, notes last). A report lists its findings by severity, then by rank, then by line.\n\n| rank | id | title | severity | summary |\n|---|---|---|---|---|\n",
    );
    let mut ranked: Vec<&ptbill::rules::Rule> = ptbill::rules::all().collect();
    ranked.sort_by_key(|r| r.rank());
    for r in &ranked {
        md.push_str(&format!(
            "| {} | [`{}`](#{}) | {} | {} | {} |\n",
            r.rank(),
            r.id,
            r.id,
            r.title,
            r.severity.as_str(),
            r.summary
        ));
    }
    for r in &ranked {
        md.push('\n');
        md.push_str(&r.docs().replacen("# ", "## ", 1).replace("\n## ", "\n### "));
    }
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(concat!(env!("CARGO_MANIFEST_DIR"), "/docs")).unwrap();
        std::fs::write(path, &md).unwrap();
    }
    let current = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        current == md,
        "docs/rules.md is out of date: run UPDATE_DOCS=1 cargo test --test rules"
    );
}

/// The base visit the not-billable tests add one line to: CMS example 3 plus an evaluation.
const BASE: &str = r#"{"code":"97110","minutes":33,"modifiers":["GP"]},{"code":"97140","minutes":7,"modifiers":["GP"]},{"code":"97161","modifiers":["GP"]}"#;

fn units_of(r: &ptbill::Report) -> (Vec<u64>, Vec<u64>) {
    (
        r.lines.iter().map(|l| l.units).collect(),
        r.alternative.lines.iter().map(|l| l.units).collect(),
    )
}

#[test]
fn lines_that_earn_nothing_are_not_billed() {
    let visit = |date: &str, extra: &str| {
        run(&format!(
            r#"{{"date_of_service":"{date}","lines":[{extra},{BASE}],"diagnoses":["M54.50"]}}"#
        ))
    };
    for (date, extra, code, rule, reason) in [
        (
            "2026-03-02",
            r#"{"code":"971110","minutes":20,"modifiers":["GP"]}"#,
            "971110",
            "invalid-code",
            "not a valid code",
        ),
        (
            "2026-03-02",
            r#"{"code":"EXERCISE","minutes":20}"#,
            "EXERCISE",
            "invalid-code",
            "not a valid code",
        ),
        (
            "2026-03-02",
            r#"{"code":"97109","minutes":20,"modifiers":["GP"]}"#,
            "97109",
            "unknown-code",
            "not a code ptbill knows",
        ),
        (
            "2026-03-02",
            r#"{"code":"97532","minutes":20,"modifiers":["GP"]}"#,
            "97532",
            "deleted-code",
            "deleted after 2017-12-31",
        ),
        (
            "2026-03-02",
            r#"{"code":"97001","modifiers":["GP"]}"#,
            "97001",
            "deleted-code",
            "deleted after 2016-12-31",
        ),
        (
            "2026-03-02",
            r#"{"code":"20560","minutes":15,"modifiers":["GP"]}"#,
            "20560",
            "not-therapy-code",
            "Medicare does not pay a therapist for dry needling",
        ),
        (
            "2026-03-02",
            r#"{"code":"97813","minutes":15,"modifiers":["GP"]}"#,
            "97813",
            "not-therapy-code",
            "Medicare does not pay a therapist for acupuncture",
        ),
        (
            "2026-03-02",
            r#"{"code":"64483","modifiers":["GP"]}"#,
            "64483",
            "not-therapy-code",
            "a physician's procedure",
        ),
    ] {
        let base = run(&format!(
            r#"{{"date_of_service":"{date}","lines":[{BASE}],"diagnoses":["M54.50"]}}"#
        ));
        let r = visit(date, extra);
        let line = &r.lines[0];
        assert!(!line.billable, "{code}");
        assert_eq!(line.not_billed_reason.as_deref(), Some(reason), "{code}");
        assert_eq!(
            (line.units, r.alternative.lines[0].units),
            (0, 0),
            "{code}: 0 units in both methods"
        );
        // The other lines are counted exactly as without it.
        let (main, alt) = units_of(&r);
        assert_eq!((main[1..].to_vec(), alt[1..].to_vec()), units_of(&base), "{code}");
        assert_eq!((r.timed_minutes, r.timed_units, r.total_units), (40, 3, 4), "{code}");
        assert_eq!((r.alternative.timed_units, r.alternative.total_units), (2, 3), "{code}");
        assert_eq!(r.total_treatment_minutes, base.total_treatment_minutes, "{code}");
        // The statement bills the others and names it, with the reason.
        let (billed, rest) = r
            .documentation
            .split_once("Not billed: ")
            .unwrap_or_else(|| panic!("{code}: {}", r.documentation));
        assert!(!billed.contains(code), "{code} is under Billed: {}", r.documentation);
        assert!(
            billed.contains("Billed: 97110 × 2 (GP); 97140 × 1 (GP); 97161 × 1 (GP)."),
            "{}",
            r.documentation
        );
        assert!(
            rest.starts_with(code) && rest.contains(&format!("— {reason}")),
            "{code}: {}",
            r.documentation
        );
        assert!(!fired(&r, rule).is_empty(), "{code}: {rule} fires");
        assert!(
            fired(&r, rule).iter().all(|d| d.message.contains("not billed")),
            "{code}: the finding says it is not billed"
        );
        // Nothing else is reported about a line that is not billed.
        assert!(
            r.diagnostics
                .iter()
                .filter(|d| d.line == Some(0))
                .all(|d| d.rule == rule),
            "{code}: {:?}",
            r.diagnostics
        );
        assert_eq!(
            r.lines[0].modifiers.is_empty(),
            !extra.contains("GP"),
            "{code}: modifiers kept as typed"
        );
    }
    // The issue's case in words: 971110 for 20 minutes is not "Billed: 971110 × 1 (GP)".
    let r = run(r#"{"date_of_service":"2026-03-02","lines":[{"code":"971110","minutes":20}],"diagnoses":["M54.50"]}"#);
    assert!(
        r.documentation
            .contains("Billed: nothing. Not billed: 971110, 20 min — not a valid code."),
        "{}",
        r.documentation
    );
    assert_eq!(r.total_units, 0);
    // Dry needling for a commercial payer is billable, with GP.
    let r = run(
        r#"{"date_of_service":"2026-03-02","payer":"commercial","lines":[{"code":"20560","minutes":15}],"diagnoses":["M54.50"]}"#,
    );
    assert!(
        r.lines[0].billable && r.lines[0].units == 1 && r.lines[0].modifiers == ["GP"],
        "{:?}",
        r.lines[0]
    );
    assert!(fired(&r, "not-therapy-code").is_empty());
    // ... and not billable for Medicare Advantage (a warning that says to check the plan).
    let r = run(
        r#"{"date_of_service":"2026-03-02","payer":"medicare_advantage","lines":[{"code":"20561","minutes":15}],"diagnoses":["M54.50"]}"#,
    );
    assert!(!r.lines[0].billable);
    assert!(fired(&r, "not-therapy-code")[0].message.contains("Medicare Advantage"));
    // A timed line that is not billed pools with nothing: two 97110 lines around an acupuncture line.
    let r = run(
        r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":10},{"code":"97810","minutes":20},{"code":"97110","minutes":10}],"diagnoses":["M54.50"]}"#,
    );
    assert_eq!(units_of(&r), (vec![1, 0, 0], vec![1, 0, 0]));
    assert_eq!(r.timed_minutes, 20);
}

#[test]
fn proposals_are_infos_and_billed_modifiers_are_errors() {
    let proposed = run(
        r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":24,"assistant_minutes":12},{"code":"97140","minutes":15},{"code":"97161"},{"code":"97530","minutes":8}],"diagnoses":["M54.50"]}"#,
    );
    assert!(errors(&proposed).is_empty(), "{:?}", errors(&proposed));
    for rule in ["missing-therapy-modifier", "assistant-modifier"] {
        let found = fired(&proposed, rule);
        assert!(!found.is_empty(), "{rule}");
        assert!(
            found.iter().all(|d| d.severity == Severity::Info && d.fixed),
            "{rule}: {found:?}"
        );
    }
    assert_eq!(fired(&proposed, "missing-therapy-modifier").len(), 4);
    assert!(proposed.lines.iter().all(|l| l.modifiers[0] == "GP"));
    assert_eq!(proposed.lines[0].modifiers, ["GP", "CQ"]);
    // The same visit as billed, with "modifiers": [] on every line: errors, fixed by the corrected set.
    let billed = run(
        r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":24,"assistant_minutes":12,"modifiers":[]},{"code":"97140","minutes":15,"modifiers":[]},{"code":"97161","modifiers":[]},{"code":"97530","minutes":8,"modifiers":[]}],"diagnoses":["M54.50"]}"#,
    );
    for rule in ["missing-therapy-modifier", "assistant-modifier"] {
        let found = fired(&billed, rule);
        assert!(!found.is_empty(), "{rule}");
        assert!(
            found.iter().all(|d| d.severity == Severity::Error && d.fixed),
            "{rule}: {found:?}"
        );
    }
    assert_eq!(
        billed.lines.iter().map(|l| &l.modifiers).collect::<Vec<_>>(),
        proposed.lines.iter().map(|l| &l.modifiers).collect::<Vec<_>>()
    );
    // Findings the corrected modifiers do not fix say so.
    let r = run(
        r#"{"date_of_service":"2026-03-02","lines":[{"code":"97150","modifiers":["GP"]},{"code":"97110","minutes":30,"modifiers":["GP","ZZ"]}],"diagnoses":[]}"#,
    );
    for rule in ["ncci-edit", "unknown-modifier", "missing-diagnosis"] {
        assert!(fired(&r, rule).iter().all(|d| !d.fixed), "{rule}");
    }
    // Removals are fixes.
    let r = run(
        r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":30,"modifiers":["GP","25","52"]}],"diagnoses":["M54.50"]}"#,
    );
    assert!(fired(&r, "modifier-25-misuse")[0].fixed && fired(&r, "modifier-52-timed")[0].fixed);
    assert_eq!(r.lines[0].modifiers, ["GP"]);
}

/// A count of one with a plural noun ("1 units"), not part of a larger number ("11 units").
fn bad_plural(text: &str) -> Option<String> {
    for noun in ["units", "minutes", "hours"] {
        let pat = format!("1 {noun}");
        for (at, _) in text.match_indices(&pat) {
            let before = text[..at].chars().next_back();
            if !before.is_some_and(|c| c.is_ascii_digit() || c == ',' || c == '.') {
                return Some(pat);
            }
        }
    }
    ["column 1", "column 2", "column-1", "column-2", "MAI"]
        .into_iter()
        .find(|w| text.contains(w))
        .map(str::to_string)
}

#[test]
fn every_finding_has_a_title_and_plain_words() {
    let mut visits: Vec<String> = ptbill::rules::all().map(|r| r.example.to_string()).collect();
    // Visits whose numbers are 1, where plural slips show.
    visits.extend(
        [
            r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":20,"units":2,"modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
            r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":20,"units":0,"modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
            r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":1,"modifiers":["GP"]},{"code":"97110","minutes":7,"modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
            r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":12,"assistant_minutes":12},{"code":"97161","minutes":1,"assistant_minutes":1}],"diagnoses":["M54.50"]}"#,
            r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":24,"assistant_minutes":12,"modifiers":[]}],"diagnoses":["M54.50"]}"#,
            r#"{"date_of_service":"2026-03-02","lines":[{"code":"97161","units":2,"modifiers":["GP"]},{"code":"97124","minutes":8,"modifiers":["GP"]},{"code":"97140","minutes":8,"modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
            r#"{"date_of_service":"2026-03-02","method":"ama","lines":[{"code":"97110","minutes":8,"modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
            r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":481,"modifiers":["GP"]},{"code":"971100","minutes":1}],"diagnoses":["M54.50"]}"#,
            r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":400,"modifiers":["GP"]},{"code":"97161","minutes":361,"modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
        ]
        .map(str::to_string),
    );
    for v in &visits {
        let r = run(v);
        for d in &r.diagnostics {
            let rule = ptbill::rules::by_id(d.rule).expect("a registered rule");
            assert!(!d.title.is_empty() && d.title == rule.title, "{}", d.rule);
            for text in [d.message.as_str(), d.help.as_ref()] {
                assert!(
                    bad_plural(text).is_none(),
                    "{}: {:?} in {text:?}",
                    d.rule,
                    bad_plural(text)
                );
            }
        }
        for text in r
            .explanation
            .iter()
            .chain(&r.alternative.explanation)
            .chain([&r.documentation])
        {
            assert!(bad_plural(text).is_none(), "{:?} in {text:?}", bad_plural(text));
        }
        // Ordered by severity, then the rule's rank, then line.
        let keys: Vec<_> = r
            .diagnostics
            .iter()
            .map(|d| (d.severity, ptbill::rules::rank_of(d.rule), d.line.map_or(0, |l| l + 1)))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "{v}");
    }
    assert!(bad_plural("1 units").is_some() && bad_plural("it has 1 minutes").is_some());
    assert!(bad_plural("11 units, 21 minutes, 2 units").is_none());
}

#[test]
fn every_rule_is_ranked_once() {
    let ids: Vec<&str> = ptbill::rules::all().map(|r| r.id).collect();
    let mut ranked: Vec<&str> = ptbill::rules::RANK.to_vec();
    for id in &ids {
        assert!(ranked.contains(id), "{id} has no rank");
    }
    assert_eq!(ranked.len(), ids.len(), "RANK names a rule that does not exist");
    ranked.sort();
    ranked.dedup();
    assert_eq!(ranked.len(), ids.len(), "a rule is ranked twice");
    // What costs most comes first: a wrong code and an edit pair above a modifier fixed for you, notes last.
    let rank = ptbill::rules::rank_of;
    assert!(rank("invalid-code") < rank("ncci-edit"));
    assert!(rank("ncci-edit") < rank("mue-exceeded") && rank("mue-exceeded") < rank("units-mismatch"));
    assert!(rank("units-mismatch") < rank("kx-threshold") && rank("kx-threshold") < rank("missing-therapy-modifier"));
    assert_eq!(rank("reference-data-date") as usize, ids.len());
    let json: serde_json::Value = serde_json::from_str(&ptbill::rules_json()).unwrap();
    for r in json.as_array().unwrap() {
        assert!(r["title"].as_str().is_some_and(|t| !t.is_empty()), "{r}");
        assert_eq!(
            r["rank"].as_u64().map(|n| n as u16),
            Some(rank(r["id"].as_str().unwrap()))
        );
    }
}

/// A clean Medicare visit: no new rule speaks.
const CLEAN: &str = r#"{"date_of_service":"2026-03-02","ytd_allowed":1834.50,"lines":[{"code":"97110","minutes":33,"modifiers":["GP"]},{"code":"97140","minutes":7,"modifiers":["GP"]},{"code":"97161","minutes":30,"modifiers":["GP"]}],"diagnoses":["M54.50"]}"#;

#[test]
fn new_rules_fire_on_their_examples_and_stay_quiet_on_a_clean_visit() {
    let clean = run(CLEAN);
    for id in [
        "payer-method",
        "medical-review-threshold",
        "implausible-minutes",
        "kx-threshold",
    ] {
        assert!(
            fired(&clean, id).is_empty(),
            "{id} on a clean visit: {:?}",
            clean.diagnostics
        );
        let rule = ptbill::rules::by_id(id).unwrap();
        assert!(!fired(&run(rule.example), id).is_empty(), "{id}: its example");
    }
    // payer-method gives the total-time result.
    let r = run(ptbill::rules::by_id("payer-method").unwrap().example);
    let d = fired(&r, "payer-method");
    assert_eq!(d[0].severity, Severity::Warning);
    assert!(
        d[0].message.contains("3 units, where the per-code rule gives 2")
            && d[0].message.contains("97110 × 2, 97140 × 1"),
        "{}",
        d[0].message
    );
    for (payer, fires) in [
        ("medicare", true),
        ("medicare_advantage", true),
        ("commercial", false),
        ("medicaid", false),
    ] {
        let r = run(&CLEAN.replace(
            r#""ytd_allowed""#,
            &format!(r#""payer":"{payer}","method":"ama","ytd_allowed""#),
        ));
        assert_eq!(!fired(&r, "payer-method").is_empty(), fires, "{payer}");
    }
    // medical-review-threshold: above $3,000 only, Medicare only.
    for (ytd, fires) in [("3000", false), ("3000.01", true)] {
        let r = run(&CLEAN.replace("1834.50", ytd).replace(r#"["GP"]"#, r#"["GP","KX"]"#));
        assert_eq!(!fired(&r, "medical-review-threshold").is_empty(), fires, "{ytd}");
    }
    // implausible-minutes: a line over 8 hours, or a visit over 12 hours.
    let mins = |a: u32, b: u32| {
        run(&format!(
            r#"{{"date_of_service":"2026-03-02","lines":[{{"code":"97545","minutes":{a},"units":1,"modifiers":["GP"]}},{{"code":"97546","minutes":{b},"units":1,"modifiers":["GP"]}}],"diagnoses":["M54.50"]}}"#
        ))
    };
    assert!(
        fired(&mins(480, 240), "implausible-minutes").is_empty(),
        "8 hours and 12 in all are possible"
    );
    let r = mins(481, 0);
    assert_eq!(
        fired(&r, "implausible-minutes")
            .iter()
            .map(|d| d.line)
            .collect::<Vec<_>>(),
        [Some(0)]
    );
    let r = mins(480, 241);
    assert_eq!(
        fired(&r, "implausible-minutes")
            .iter()
            .map(|d| d.line)
            .collect::<Vec<_>>(),
        [None]
    );
    assert!(
        fired(&r, "implausible-minutes")[0]
            .message
            .contains("12 hours 1 minute"),
        "{:?}",
        fired(&r, "implausible-minutes")
    );
}

#[test]
fn kx_is_quiet_on_a_correct_claim_and_soft_for_an_unpublished_year() {
    let r = run(
        r#"{"date_of_service":"2026-03-02","ytd_allowed":3500,"lines":[{"code":"97110","minutes":30,"modifiers":["GP","KX"]},{"code":"97161","modifiers":["GP","KX"]}],"diagnoses":["M54.50"]}"#,
    );
    assert!(fired(&r, "kx-threshold").is_empty(), "{:?}", r.diagnostics);
    assert_eq!(fired(&r, "medical-review-threshold").len(), 1);
    assert!(!r.has_errors());
    // 2027: no amount is published; 2026's stands in, and a missing KX is a warning.
    let r = run(
        r#"{"date_of_service":"2027-02-01","ytd_allowed":2600,"lines":[{"code":"97110","minutes":30,"modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
    );
    let kx = fired(&r, "kx-threshold");
    assert_eq!(kx.len(), 1);
    assert_eq!(kx[0].severity, Severity::Warning);
    assert!(
        kx[0]
            .message
            .contains("2027's amount is not published yet; 2026's $2,480 was used"),
        "{}",
        kx[0].message
    );
    assert!(!kx[0].message.contains("2027 KX threshold of"), "{}", kx[0].message);
    // 2026 itself is known: an error.
    let r = run(
        r#"{"date_of_service":"2026-12-31","ytd_allowed":2600,"lines":[{"code":"97110","minutes":30,"modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
    );
    assert_eq!(fired(&r, "kx-threshold")[0].severity, Severity::Error);
}

/// RTM treatment management needs its month's minutes: 98980 at least 20 and
/// +98981 20 a unit (from 2022-01-01), 98979 at least 10 (from 2026-01-01).
#[test]
fn rtm_management_minutes_below_the_minimum() {
    let visit = |dos: &str, lines: &str| {
        run(&format!(
            r#"{{"date_of_service":"{dos}","lines":[{lines}],"diagnoses":["M54.50"]}}"#
        ))
    };
    let r = visit("2026-03-31", r#"{"code":"98980","minutes":15,"modifiers":["GP"]}"#);
    let d = fired(&r, "rtm-minutes-below-minimum");
    assert_eq!(d.len(), 1, "{:?}", r.diagnostics);
    assert_eq!((d[0].severity, d[0].line), (Severity::Warning, Some(0)));
    assert!(d[0].message.contains("98980 needs at least 20 minutes of treatment management in the calendar month, but this line has 15 minutes."), "{}", d[0].message);
    assert!(d[0].message.contains("They fit 98979"), "{}", d[0].message);
    // In 2025 there was no 10-minute code.
    let r = visit("2025-06-30", r#"{"code":"98980","minutes":15,"modifiers":["GP"]}"#);
    let d = fired(&r, "rtm-minutes-below-minimum");
    assert_eq!(d.len(), 1);
    assert!(
        d[0].message.contains("Before 2026-01-01 (when 98979 began)"),
        "{}",
        d[0].message
    );
    // 98979 under 10 minutes in 2026; not checked before it existed (then it is not billable at all).
    let r = visit("2026-02-02", r#"{"code":"98979","minutes":8,"modifiers":["GP"]}"#);
    assert!(
        fired(&r, "rtm-minutes-below-minimum")[0]
            .message
            .contains("98979 needs at least 10 minutes")
    );
    let r = visit("2025-12-15", r#"{"code":"98979","minutes":8,"modifiers":["GP"]}"#);
    assert!(fired(&r, "rtm-minutes-below-minimum").is_empty());
    // +98981: 20 minutes for each unit.
    let r = visit(
        "2026-03-31",
        r#"{"code":"98980","minutes":20,"modifiers":["GP"]},{"code":"98981","minutes":30,"units":2,"modifiers":["GP"]}"#,
    );
    let d = fired(&r, "rtm-minutes-below-minimum");
    assert_eq!(d.len(), 1, "{:?}", r.diagnostics);
    assert_eq!(d[0].line, Some(1));
    assert!(
        d[0].message.contains("20 minutes for each unit (40 minutes for 2)"),
        "{}",
        d[0].message
    );
    // At the minimum, without minutes, and for device-supply codes: quiet.
    for lines in [
        r#"{"code":"98980","minutes":20,"modifiers":["GP"]},{"code":"98981","minutes":20,"modifiers":["GP"]}"#,
        r#"{"code":"98980","modifiers":["GP"]}"#,
        r#"{"code":"98979","minutes":12,"modifiers":["GP"]}"#,
        r#"{"code":"98977","minutes":5,"modifiers":["GP"]}"#,
    ] {
        let r = visit("2026-03-31", lines);
        assert!(
            fired(&r, "rtm-minutes-below-minimum").is_empty(),
            "{lines}: {:?}",
            r.diagnostics
        );
    }
}

/// The add-on finding says since when the NCCI add-on edit holds (from the dated
/// table, `data/ncci-aoc.csv`), and the report names that table's date.
#[test]
fn add_on_finding_dates_its_edit() {
    let r = run(
        r#"{"date_of_service":"2026-03-02","lines":[{"code":"97551","minutes":15,"modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
    );
    let d = fired(&r, "add-on-without-primary");
    assert_eq!(d.len(), 1, "{:?}", r.diagnostics);
    assert!(
        d[0].message.contains("(97550)")
            && d[0]
                .message
                .contains("(NCCI add-on code edit in force from 2024-01-01)"),
        "{}",
        d[0].message
    );
    let r = run(
        r#"{"date_of_service":"2026-03-02","lines":[{"code":"97130","minutes":15,"modifiers":["GP"]}],"diagnoses":["R41.840"]}"#,
    );
    assert!(
        fired(&r, "add-on-without-primary")[0]
            .message
            .contains("in force from 2020-01-01")
    );
    // 97546's edit is older than the I/OCE data (2019-07-01): the table's date is named instead.
    let r = run(
        r#"{"date_of_service":"2026-03-02","lines":[{"code":"97546","minutes":60,"modifiers":["GP"]}],"diagnoses":["M54.50"]}"#,
    );
    let d = fired(&r, "add-on-without-primary");
    assert!(
        d[0].message
            .contains("(NCCI add-on code edit, CMS table of 2026-04-01)"),
        "{}",
        d[0].message
    );
    assert_eq!(r.data.get("ncci_aoc").map(|s| s.as_ref()), Some("2026-04-01"));
}
