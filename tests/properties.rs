//! Invariants over random visits: order does not matter, totals follow the chart,
//! no code gets more than its minutes plus one leftover unit allow, nothing panics.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use ptbill::units::chart;
use std::collections::BTreeMap;

// The last five are never billable on a 2026 Medicare PT visit: unknown, malformed,
// dry needling and acupuncture (timed) by a therapist, deleted.
const CODES: &[&str] = &[
    "97110", "97112", "97116", "97140", "97530", "97035", "97161", "97150", "97010", "G0283", "99999", "9711X",
    "20560", "97813", "97532",
];

fn visit_json(lines: &[(usize, Option<u32>, u32, Option<u32>)], method: &str) -> String {
    let lines: Vec<serde_json::Value> = lines
        .iter()
        .map(|&(c, minutes, assistant, units)| {
            let mut l = serde_json::json!({"code": CODES[c], "modifiers": ["GP"]});
            if let Some(m) = minutes {
                l["minutes"] = m.into();
                l["assistant_minutes"] = assistant.min(m).into();
            }
            if let Some(u) = units {
                l["units"] = u.into();
            }
            l
        })
        .collect();
    serde_json::json!({"date_of_service": "2026-03-02", "method": method, "ytd_allowed": 2500.0, "lines": lines, "diagnoses": ["M54.50"]}).to_string()
}

/// Units per code (summed over its lines).
fn per_code(r: &ptbill::Report) -> BTreeMap<String, u64> {
    let mut m = BTreeMap::new();
    for l in &r.lines {
        *m.entry(l.code.clone()).or_insert(0) += l.units;
    }
    m
}

fn line_strategy() -> impl Strategy<Value = (usize, Option<u32>, u32, Option<u32>)> {
    (
        0..CODES.len(),
        prop::option::weighted(0.9, 0u32..130),
        0u32..40,
        prop::option::of(0u32..10),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn order_of_lines_does_not_change_units(lines in prop::collection::vec(line_strategy(), 1..8), seed in any::<u64>()) {
        for method in ["cms", "ama"] {
            let a = ptbill::check(&ptbill::parse_visit(&visit_json(&lines, method)).unwrap());
            let mut shuffled = lines.clone();
            // A deterministic shuffle from the seed.
            let mut s = seed | 1;
            for i in (1..shuffled.len()).rev() {
                s ^= s << 13; s ^= s >> 7; s ^= s << 17;
                shuffled.swap(i, (s % (i as u64 + 1)) as usize);
            }
            let b = ptbill::check(&ptbill::parse_visit(&visit_json(&shuffled, method)).unwrap());
            prop_assert_eq!(a.timed_units, b.timed_units);
            prop_assert_eq!(a.timed_minutes, b.timed_minutes);
            let tie = a.explanation.iter().chain(&b.explanation).any(|s| s.starts_with("Tie:"));
            if !tie {
                prop_assert_eq!(per_code(&a), per_code(&b));
            }
            // Diagnostics by rule and severity do not depend on order either.
            let key = |r: &ptbill::Report| { let mut v: Vec<_> = r.diagnostics.iter().map(|d| (d.rule, d.severity)).collect(); v.sort(); v };
            if !tie {
                prop_assert_eq!(key(&a), key(&b));
            }
        }
    }

    #[test]
    fn totals_follow_the_chart(lines in prop::collection::vec(line_strategy(), 1..8)) {
        let cms = ptbill::check(&ptbill::parse_visit(&visit_json(&lines, "cms")).unwrap());
        prop_assert_eq!(cms.timed_units, chart(cms.timed_minutes));
        prop_assert_eq!(cms.alternative.timed_units, cms.lines.iter().zip(&cms.alternative.lines).filter(|(l, _)| l.timed).map(|(_, a)| a.units).sum::<u64>());
        // ama: each timed code's units = chart(its own minutes).
        let mut minutes: BTreeMap<&str, u64> = BTreeMap::new();
        for (i, &(c, m, _, _)) in lines.iter().enumerate() {
            if cms.lines[i].timed && cms.lines[i].billable {
                *minutes.entry(CODES[c]).or_insert(0) += u64::from(m.unwrap_or(0));
            }
        }
        let ama = per_code(&ptbill::check(&ptbill::parse_visit(&visit_json(&lines, "ama")).unwrap()));
        for (code, m) in &minutes {
            prop_assert_eq!(ama[*code], chart(*m), "{}", code);
        }
        // cms: a code never gets more than its full blocks plus one leftover unit.
        let cms_units = per_code(&cms);
        for (code, m) in &minutes {
            let u = cms_units[*code];
            prop_assert!(u <= m / 15 + 1, "{} got {} units from {} minutes", code, u, m);
            prop_assert!(u >= m / 15, "{} lost a full block", code);
            if m % 15 == 0 { prop_assert_eq!(u, m / 15); }
        }
        // A CQ/CO split never hands out more units than the line has.
        for l in &cms.lines {
            if let Some(split) = &l.split {
                prop_assert_eq!(split.iter().map(|s| s.units).sum::<u64>(), l.units);
            }
        }
    }

    #[test]
    fn total_units_are_the_billable_lines_units(lines in prop::collection::vec(line_strategy(), 1..8), given in any::<bool>()) {
        for method in ["cms", "ama"] {
            let mut v: serde_json::Value = serde_json::from_str(&visit_json(&lines, method)).unwrap();
            if !given {
                for l in v["lines"].as_array_mut().unwrap() {
                    l.as_object_mut().unwrap().remove("modifiers");
                }
            }
            let r = ptbill::check(&ptbill::parse_visit(&v.to_string()).unwrap());
            let sum = |units: Vec<u64>| units.iter().sum::<u64>();
            let billable = |i: usize| r.lines[i].billable;
            prop_assert_eq!(r.total_units, sum((0..r.lines.len()).filter(|&i| billable(i)).map(|i| r.lines[i].units).collect()));
            prop_assert_eq!(r.alternative.total_units, sum((0..r.lines.len()).filter(|&i| billable(i)).map(|i| r.alternative.lines[i].units).collect()));
            prop_assert_eq!(r.total_units, r.timed_units + sum(r.lines.iter().filter(|l| !l.timed).map(|l| l.units).collect()));
            for (i, &(c, _, _, _)) in lines.iter().enumerate() {
                let never = CODES.len() - 5 <= c;
                prop_assert_eq!(r.lines[i].billable, !never, "{}", CODES[c]);
                if never {
                    prop_assert_eq!((r.lines[i].units, r.alternative.lines[i].units), (0, 0));
                    prop_assert!(r.documentation.contains("Not billed: "));
                }
            }
            // Minutes of lines that are not billed count toward no unit.
            let billed_timed: u64 = lines.iter().enumerate().filter(|(i, _)| r.lines[*i].billable && r.lines[*i].timed).map(|(_, l)| u64::from(l.1.unwrap_or(0))).sum();
            prop_assert_eq!(r.timed_minutes, billed_timed);
            // No error is ever raised for a modifier ptbill proposed.
            if !given {
                prop_assert!(r.diagnostics.iter().filter(|d| d.rule == "missing-therapy-modifier").all(|d| d.severity == ptbill::Severity::Info && d.fixed));
            }
        }
    }

    #[test]
    fn any_text_never_panics(text in ".{0,200}") {
        let _ = ptbill::check_json(&text);
    }

    #[test]
    fn any_json_shape_never_panics(v in arb_json()) {
        let _ = ptbill::check_json(&v.to_string());
        let mut visit = serde_json::json!({"date_of_service": "2026-03-02", "lines": [{"code": "97110"}]});
        visit["lines"][0]["minutes"] = v.clone();
        let _ = ptbill::check_json(&visit.to_string());
        visit["lines"][0] = v;
        let _ = ptbill::check_json(&visit.to_string());
    }

    #[test]
    fn audit_never_panics_and_loses_no_row(rows in prop::collection::vec(prop::collection::vec(prop_oneof![Just("V1".to_string()), Just("97110".to_string()), Just("2026-03-02".to_string()), Just("\"".to_string()), ".{0,6}"], 0..11), 0..12)) {
        let mut text = String::from("visit_id,date_of_service,payer,discipline,code,minutes,assistant_minutes,units,modifiers,diagnoses\n");
        for r in &rows {
            text.push_str(&r.join(","));
            text.push('\n');
        }
        let out: serde_json::Value = serde_json::from_str(&ptbill::audit::audit_json(&text).unwrap()).unwrap();
        let data_rows = out["rows"].as_u64().unwrap();
        // Blank rows are numbered but are not data: every data row is listed once.
        let last = 1 + text.matches(['\n', '\r']).count() as u64;
        let mut seen: Vec<u64> = out["row_errors"].as_array().unwrap().iter().map(|e| e["row"].as_u64().unwrap()).collect();
        for v in out["results"].as_array().unwrap() {
            seen.extend(v["rows"].as_array().unwrap().iter().map(|x| x.as_u64().unwrap()));
        }
        seen.sort_unstable();
        let n = seen.len();
        seen.dedup();
        prop_assert_eq!(n, seen.len());
        prop_assert_eq!(n as u64, data_rows);
        prop_assert!(seen.iter().all(|&r| (2..=last.max(2)).contains(&r)), "{:?}", seen);
    }

    #[test]
    fn huge_minutes_never_overflow(m in prop::collection::vec(any::<u32>(), 1..6), ama in any::<bool>()) {
        let lines: Vec<_> = m.iter().enumerate().map(|(i, &m)| serde_json::json!({"code": CODES[i % 6], "minutes": m, "assistant_minutes": m / 2, "units": u32::MAX})).collect();
        let text = serde_json::json!({"date_of_service": "2026-03-02", "method": if ama {"ama"} else {"cms"}, "ytd_allowed": 1e12, "lines": lines}).to_string();
        let r = ptbill::check(&ptbill::parse_visit(&text).unwrap());
        if ama {
            prop_assert_eq!(r.timed_units, r.lines.iter().filter(|l| l.timed).map(|l| l.units).sum::<u64>());
            prop_assert_eq!(r.alternative.timed_units, chart(r.timed_minutes));
        } else {
            prop_assert_eq!(r.timed_units, chart(r.timed_minutes));
        }
        prop_assert_eq!(r.timed_minutes, m.iter().enumerate().filter(|(i, _)| ptbill::codes::lookup(CODES[i % 6]).is_some_and(|c| c.timed)).map(|(_, &x)| u64::from(x)).sum::<u64>());
    }
}

fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        ".{0,12}".prop_map(serde_json::Value::from),
        Just(serde_json::Value::from("97110")),
        Just(serde_json::Value::from("2026-03-02")),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("code".to_string()),
                    Just("minutes".to_string()),
                    Just("lines".to_string()),
                    Just("date_of_service".to_string()),
                    "[a-z_]{1,8}"
                ],
                inner,
                0..6
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}
