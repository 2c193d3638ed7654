//! Dated reference facts (issue 14): NCCI edits with start and end dates, the
//! add-on edits by date, and catalog validity dates checked against CMS's I/OCE.
#![cfg(not(target_arch = "wasm32"))]

fn rules(visit: &str) -> Vec<(String, Option<usize>, String)> {
    ptbill::check(&ptbill::parse_visit(visit).unwrap())
        .diagnostics
        .into_iter()
        .map(|d| (d.rule.to_string(), d.line, d.message.into_owned()))
        .collect()
}

fn group_and_exercise(date: &str, setting: &str) -> String {
    format!(
        r#"{{"date_of_service":"{date}","setting":"{setting}","lines":[{{"code":"97150","modifiers":["GP"]}},{{"code":"97110","minutes":30,"modifiers":["GP"]}}],"diagnoses":["M54.50"]}}"#
    )
}

fn ncci(found: &[(String, Option<usize>, String)]) -> Vec<&(String, Option<usize>, String)> {
    found.iter().filter(|d| d.0 == "ncci-edit").collect()
}

#[test]
fn hospital_2020_gap() {
    // 97150/97110 ended 2019-12-31; the I/OCE re-adds it on 2020-10-01.
    let before = rules(&group_and_exercise("2019-12-15", "outpatient_hospital"));
    assert_eq!(ncci(&before).len(), 1, "{before:?}");
    let gap = rules(&group_and_exercise("2020-06-01", "outpatient_hospital"));
    assert!(ncci(&gap).is_empty(), "{gap:?}");
    let after = rules(&group_and_exercise("2020-10-15", "outpatient_hospital"));
    let edits = ncci(&after);
    assert_eq!(edits.len(), 1, "{after:?}");
    assert_eq!(edits[0].1, Some(1), "column 2 (97110) is the line denied");
    assert_eq!(
        ncci(&rules(&group_and_exercise("2026-03-02", "outpatient_hospital"))).len(),
        1
    );
}

#[test]
fn practitioner_2020_gap_inferred() {
    assert!(ncci(&rules(&group_and_exercise("2020-06-01", "practitioner"))).is_empty());
    assert_eq!(ncci(&rules(&group_and_exercise("2020-10-15", "practitioner"))).len(), 1);
    assert_eq!(ncci(&rules(&group_and_exercise("2019-06-03", "practitioner"))).len(), 1);
}

#[test]
fn hospital_edit_starts_with_its_quarter() {
    // Every start in the hospital table is a quarter's first day, and an edit
    // added in a quarter does not apply the day before it.
    use ptbill::date::Date;
    use ptbill::ncci_table::PTP_OUTPATIENT;
    let mut checked = 0;
    for line in PTP_OUTPATIENT.lines().filter(|l| !l.starts_with('#')) {
        let mut it = line.split(' ');
        let col1 = it.next().unwrap();
        for item in it {
            let parts: Vec<&str> = item.split('/').collect();
            let Some(first) = parts.get(2).filter(|f| !f.is_empty()) else {
                continue;
            };
            assert!(
                !first.starts_with('~'),
                "hospital starts come from the I/OCE: {col1} {item}"
            );
            assert!(
                matches!(&first[4..], "0101" | "0401" | "0701" | "1001"),
                "{col1} {item}"
            );
            if checked < 200 && parts.len() == 3 {
                let f = Date::parse(&format!("{}-{}-{}", &first[..4], &first[4..6], &first[6..])).unwrap();
                let table = ptbill::ncci_table::ptp(ptbill::visit::Setting::OutpatientHospital).unwrap();
                assert!(table.edit(col1, parts[0], f).is_some(), "{col1} {item}");
                let (y, m) = (f.year(), &first[4..6]);
                let day_before = match m {
                    "01" => Date::new(y - 1, 12, 31),
                    "04" => Date::new(y, 3, 31),
                    "07" => Date::new(y, 6, 30),
                    _ => Date::new(y, 9, 30),
                }
                .unwrap();
                // Another row of the same pair may cover the day before; then it is an older row.
                if let Some(e) = table.edit(col1, parts[0], day_before) {
                    assert!(e.first_day.is_none_or(|d| d < f), "{col1} {item}");
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "{checked}");
}

#[test]
fn addon_primaries_by_date() {
    let addon_for = |payer: &str, date: &str, codes: &[&str]| -> Vec<(String, Option<usize>, String)> {
        let lines: Vec<String> = codes
            .iter()
            .map(|c| format!(r#"{{"code":"{c}","minutes":15,"modifiers":["GP"]}}"#))
            .collect();
        rules(&format!(
            r#"{{"date_of_service":"{date}","payer":"{payer}","lines":[{}],"diagnoses":["M54.50"]}}"#,
            lines.join(",")
        ))
        .into_iter()
        .filter(|d| d.0 == "add-on-without-primary")
        .collect()
    };
    let addon = |date: &str, codes: &[&str]| addon_for("medicare", date, codes);
    let alone = addon("2026-03-02", &["97130"]);
    assert_eq!(alone.len(), 1, "{alone:?}");
    assert!(alone[0].2.contains("97129"), "{}", alone[0].2);
    assert!(addon("2026-03-02", &["97129", "97130"]).is_empty());
    // Acupuncture is not billable by a therapist to Medicare (so no add-on finding
    // there); a commercial payer may pay it, and the add-on pairing is checked.
    let acu = addon_for("commercial", "2026-03-02", &["97811"]);
    assert!(acu[0].2.contains("97810") && acu[0].2.contains("97813"), "{acu:?}");
    assert!(addon_for("commercial", "2026-03-02", &["97813", "97811"]).is_empty());
    assert!(addon("2026-03-02", &["97811"]).is_empty());
}

#[test]
fn catalog_dates_from_the_ioce() {
    let deleted = |date: &str, code: &str| {
        rules(&format!(
            r#"{{"date_of_service":"{date}","lines":[{{"code":"{code}","modifiers":["GP"]}}],"diagnoses":["M54.50"]}}"#
        ))
        .into_iter()
        .any(|d| d.0 == "deleted-code")
    };
    assert!(
        !deleted("2024-03-04", "97037"),
        "97037 is valid from 2024-01-01 (CPT 2024)"
    );
    assert!(deleted("2023-12-29", "97037"));
    assert!(
        deleted("2020-03-02", "64550"),
        "64550 is in no I/OCE quarter from 2019-07-01"
    );
    assert!(!deleted("2018-06-01", "64550"));
    for code in ["97034", "97036", "97533", "97537", "97542", "97755"] {
        let info = ptbill::codes::lookup(code).unwrap();
        assert!(info.confirmed && info.timed, "{code}");
    }
}

fn data_notes(date: &str, setting: &str) -> Vec<String> {
    rules(&group_and_exercise(date, setting))
        .into_iter()
        .filter(|d| d.0 == "reference-data-date" && !d.2.contains("code catalog"))
        .map(|d| d.2)
        .collect()
}

#[test]
fn reference_data_date_by_setting() {
    // Practitioner: PTP and MUE both end 2024-09-30.
    let p = data_notes("2026-03-02", "practitioner");
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].contains("practitioner tables of 2024-07-01") && p[0].contains("2024-09-30"),
        "{p:?}"
    );
    assert!(data_notes("2024-08-01", "practitioner").is_empty());
    // Hospital: the I/OCE table covers 2026-03-02; only the MUE table is old.
    let h = data_notes("2026-03-02", "outpatient_hospital");
    assert_eq!(h.len(), 1, "{h:?}");
    assert!(
        h[0].starts_with("Daily unit limits") && h[0].contains("2024-09-30"),
        "{h:?}"
    );
    assert!(
        h[0].contains("outpatient-hospital table of 2026-04-01, which covers this date"),
        "{h:?}"
    );
    assert!(!h[0].contains("Code-pair edits and daily"), "{h:?}");
    // Past the hospital table's quarter, both dates are named.
    let late = data_notes("2026-08-03", "outpatient_hospital");
    assert_eq!(late.len(), 1, "{late:?}");
    assert!(
        late[0].contains("2026-06-30") && late[0].contains("2024-09-30"),
        "{late:?}"
    );
    // Before 2020: the practitioner table has no start dates; the hospital one has them from 2019-07-01.
    let old_p = data_notes("2019-09-02", "practitioner");
    assert!(
        old_p.iter().any(|m| m.contains("does not say when each edit began")),
        "{old_p:?}"
    );
    assert!(data_notes("2019-09-02", "outpatient_hospital").is_empty());
    let older_h = data_notes("2019-03-01", "outpatient_hospital");
    assert!(older_h.iter().any(|m| m.contains("2019-07-01")), "{older_h:?}");
}
