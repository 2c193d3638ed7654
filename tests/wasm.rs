//! The wasm door in headless Chromium (wasm-bindgen-test-runner + chromedriver):
//! the same CMS examples as the library and CLI tests, and errors thrown as JS
//! `Error`s that name the field.
#![cfg(target_arch = "wasm32")]
mod common;

use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn js(v: &serde_json::Value) -> JsValue {
    js_sys::JSON::parse(&v.to_string()).unwrap()
}

fn back(v: &JsValue) -> serde_json::Value {
    serde_json::from_str(&js_sys::JSON::stringify(v).unwrap().as_string().unwrap()).unwrap()
}

fn thrown(r: Result<JsValue, wasm_bindgen::JsError>) -> String {
    let err: JsValue = r.expect_err("should throw").into();
    assert!(err.is_instance_of::<js_sys::Error>(), "a JS Error");
    err.dyn_into::<js_sys::Error>().unwrap().message().into()
}

use wasm_bindgen::JsCast;

#[wasm_bindgen_test]
fn cms_examples_through_the_wasm_door() {
    for case in common::unit_cases() {
        for method in ["cms", "ama"] {
            let visit = common::with_method(&case, method);
            let report = back(&ptbill::wasm::check(js(&visit)).unwrap());
            common::assert_case(&case, method, &report);
            let lib: serde_json::Value =
                serde_json::from_str(&ptbill::check_json(&visit.to_string()).unwrap()).unwrap();
            assert_eq!(report, lib);
            // JSON text is accepted too.
            let from_text = back(&ptbill::wasm::check(JsValue::from_str(&visit.to_string())).unwrap());
            assert_eq!(from_text, lib);
        }
    }
}

#[wasm_bindgen_test]
fn plain_json_values_come_back() {
    let visit = serde_json::json!({"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 33}, {"code": "97140", "minutes": 7}]});
    let report = ptbill::wasm::check(js(&visit)).unwrap();
    // Plain objects, never Map; a visit-wide diagnostic's line is null, not undefined.
    assert!(!report.is_instance_of::<js_sys::Map>());
    let diags = js_sys::Reflect::get(&report, &"diagnostics".into()).unwrap();
    let first = js_sys::Reflect::get(&diags, &0.into()).unwrap();
    let line = js_sys::Reflect::get(&first, &"line".into()).unwrap();
    assert!(line.is_null() || line.as_f64().is_some());
    let lines = js_sys::Reflect::get(&report, &"lines".into()).unwrap();
    assert!(js_sys::Array::is_array(&lines));
    let units: Vec<u64> = back(&lines)
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["units"].as_u64().unwrap())
        .collect();
    assert_eq!(units, [2, 1]);
}

#[wasm_bindgen_test]
fn bad_input_throws_an_error_naming_the_field() {
    let cases = [
        (
            serde_json::json!({"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minuts": 3}]}),
            "lines[0].minuts",
        ),
        (
            serde_json::json!({"date_of_service": "2026-02-30", "lines": []}),
            "date_of_service",
        ),
        (
            serde_json::json!({"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": -1}]}),
            "lines[0].minutes",
        ),
        (
            serde_json::json!({"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 2.5}]}),
            "lines[0].minutes",
        ),
        (
            serde_json::json!({"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 5, "assistant_minutes": 6}]}),
            "lines[0].assistant_minutes",
        ),
        (
            serde_json::json!({"date_of_service": "2026-03-02", "lines": "97110"}),
            "lines",
        ),
    ];
    for (visit, field) in cases {
        let msg = thrown(ptbill::wasm::check(js(&visit)));
        assert!(msg.contains(field), "{msg}");
    }
    assert!(thrown(ptbill::wasm::check(JsValue::UNDEFINED)).contains("required"));
    assert!(thrown(ptbill::wasm::check(JsValue::from_str("{"))).contains("not valid JSON"));
    let msg = thrown(ptbill::wasm::explain("no-such-rule").map(JsValue::from));
    assert!(msg.contains("no-such-rule"));
}

#[wasm_bindgen_test]
fn rules_explain_version() {
    let rules = back(&ptbill::wasm::rules().unwrap());
    assert!(
        rules
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == "ncci-edit" && r["severity"] == "error")
    );
    assert!(ptbill::wasm::explain("ncci-edit").unwrap().contains("## Source"));
    assert_eq!(ptbill::wasm::version(), env!("CARGO_PKG_VERSION"));
}

#[wasm_bindgen_test]
fn huge_minutes_do_not_abort_the_module() {
    let visit = serde_json::json!({"date_of_service": "2026-03-02", "ytd_allowed": 1e12,
        "lines": [{"code": "97110", "minutes": u32::MAX, "assistant_minutes": u32::MAX, "units": u32::MAX}, {"code": "97112", "minutes": u32::MAX}]});
    let r = back(&ptbill::wasm::check(js(&visit)).unwrap());
    assert_eq!(r["timed_minutes"].as_u64().unwrap(), 2 * u64::from(u32::MAX));
    // The module still works afterwards.
    assert!(ptbill::wasm::check(js(&serde_json::json!({"date_of_service": "2026-03-02", "lines": []}))).is_ok());
}

#[wasm_bindgen_test]
fn audit_through_the_wasm_door_matches_the_library() {
    let csv = include_str!("fixtures/audit-bad-rows.csv");
    let got = back(&ptbill::wasm::audit(wasm_bindgen::JsValue::from_str(csv)).unwrap());
    let lib: serde_json::Value = serde_json::from_str(&ptbill::audit::audit_json(csv).unwrap()).unwrap();
    assert_eq!(got, lib);
    // Every bad-row class at its spreadsheet row number, as natively (tests/audit.rs).
    let rows: Vec<u64> = got["row_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["row"].as_u64().unwrap())
        .collect();
    assert_eq!(rows, [5, 6, 8, 9, 10, 15]);
    // Nothing lost: rows 2–16 each appear once, in a result or as an error.
    let mut seen = rows.clone();
    for r in got["results"].as_array().unwrap() {
        seen.extend(r["rows"].as_array().unwrap().iter().map(|x| x.as_u64().unwrap()));
    }
    seen.sort_unstable();
    assert_eq!(seen, (2..=16).collect::<Vec<u64>>());
}
