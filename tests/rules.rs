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
    // 2020's inferred amount is marked.
    let r = run(&visit("2020-06-02").replace("2450", "2100"));
    assert!(fired(&r, "kx-threshold")[0].message.contains("inferred"));
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
