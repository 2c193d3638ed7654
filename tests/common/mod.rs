//! Shared by the native integration tests: the unit fixtures and a checker that
//! any door's JSON report can be compared with.
#![allow(dead_code)]

use serde_json::Value;

/// tests/fixtures/units.json: the CMS worked examples and derived cases.
pub fn unit_cases() -> Vec<Value> {
    serde_json::from_str::<Value>(include_str!("../fixtures/units.json"))
        .expect("fixture parses")
        .as_array()
        .expect("fixture is a list")
        .clone()
}

fn units(lines: &Value) -> Vec<u64> {
    lines
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["units"].as_u64().unwrap())
        .collect()
}

fn expected(case: &Value, key: &str) -> Vec<Vec<u64>> {
    match &case[key] {
        Value::Array(v) if v.first().is_some_and(Value::is_array) => v
            .iter()
            .map(|o| o.as_array().unwrap().iter().map(|u| u.as_u64().unwrap()).collect())
            .collect(),
        Value::Array(v) => vec![v.iter().map(|u| u.as_u64().unwrap()).collect()],
        other => panic!("bad fixture {other}"),
    }
}

/// Asserts a report (as JSON) of `case`'s visit run with `method` is right:
/// units, the other method's units, and a disclosed tie where CMS allows either.
pub fn assert_case(case: &Value, method: &str, report: &Value) {
    let id = case["id"].as_str().unwrap();
    let other = if method == "cms" { "ama" } else { "cms" };
    let got = units(&report["lines"]);
    let alt = units(&report["alternative"]["lines"]);
    assert_eq!(report["method"], method, "{id}");
    assert_eq!(report["alternative"]["method"], other, "{id}");
    assert!(
        expected(case, method).contains(&got),
        "{id} {method}: got {got:?}, want one of {:?}",
        expected(case, method)
    );
    assert!(
        expected(case, other).contains(&alt),
        "{id} alternative {other}: got {alt:?}"
    );
    let cms_expl = if method == "cms" {
        &report["explanation"]
    } else {
        &report["alternative"]["explanation"]
    };
    let text = cms_expl
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    if case["tie"].as_bool().unwrap() {
        assert!(
            text.contains("Tie:") && text.contains("either"),
            "{id}: tie not disclosed:\n{text}"
        );
    } else {
        assert!(!text.contains("Tie:"), "{id}: no tie here:\n{text}");
    }
    assert!(text.contains("§20.2"), "{id}: the explanation cites the manual");
}

/// The case's visit with `method` set.
pub fn with_method(case: &Value, method: &str) -> Value {
    let mut v = case["visit"].clone();
    v["method"] = Value::String(method.into());
    v
}
