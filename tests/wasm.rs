//! The wasm door in headless Chromium (wasm-bindgen-test-runner + chromedriver):
//! the same CMS examples as the library and CLI tests, and errors thrown as JS
//! `Error`s that name the field.
#![cfg(all(target_arch = "wasm32", feature = "audit"))]
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
    let msg = thrown(ptbill::wasm::explain("no-such-rule".into()).map(JsValue::from));
    assert!(msg.contains("no-such-rule"));
}

/// Contract v2: stricter input in the wasm door too, each message naming the field.
#[wasm_bindgen_test]
fn keys_given_twice_empty_lines_and_nan_are_rejected_naming_the_field() {
    // A key given twice can only arrive as JSON text (a JS object cannot hold one).
    let twice = r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":23}],"lines":[]}"#;
    assert_eq!(
        thrown(ptbill::wasm::check(JsValue::from_str(twice))),
        "lines: is given twice; give each field once"
    );
    let twice = r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":23,"minutes":8}]}"#;
    assert!(thrown(ptbill::wasm::check(JsValue::from_str(twice))).starts_with("lines[0].minutes: is given twice"));
    let empty = serde_json::json!({"date_of_service": "2026-03-02", "lines": []});
    assert!(thrown(ptbill::wasm::check(js(&empty))).starts_with("lines: is empty"));
    assert!(thrown(ptbill::wasm::check(JsValue::from_str(&empty.to_string()))).starts_with("lines: is empty"));
    // NaN, Infinity and -Infinity in the object door: named, not turned into null.
    for (value, word) in [
        (f64::NAN, "NaN"),
        (f64::INFINITY, "Infinity"),
        (f64::NEG_INFINITY, "-Infinity"),
    ] {
        let visit = js(
            &serde_json::json!({"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 23}, {"code": "97140"}]}),
        );
        let line = js_sys::Reflect::get_u32(&js_sys::Reflect::get(&visit, &"lines".into()).unwrap(), 1).unwrap();
        js_sys::Reflect::set(&line, &"minutes".into(), &JsValue::from_f64(value)).unwrap();
        let msg = thrown(ptbill::wasm::check(visit.clone()));
        assert!(msg.starts_with("lines[1].minutes: is "), "{msg}");
        assert!(msg.contains(word), "{msg}");
        js_sys::Reflect::set(&visit, &"ytd_allowed".into(), &JsValue::from_f64(value)).unwrap();
        js_sys::Reflect::set(&line, &"minutes".into(), &JsValue::from_f64(7.0)).unwrap();
        let msg = thrown(ptbill::wasm::check(visit));
        assert!(msg.starts_with("ytd_allowed: is "), "{msg}");
    }
    // A BOM before JSON text is accepted, as in the CLI.
    let bom = "\u{feff}{\"date_of_service\":\"2026-03-02\",\"lines\":[{\"code\":\"97110\",\"minutes\":23}]}";
    let r = back(&ptbill::wasm::check(JsValue::from_str(bom)).unwrap());
    assert_eq!(r["timed_units"], 2);
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
    assert!(ptbill::wasm::explain("ncci-edit".into()).unwrap().contains("## Source"));
    assert_eq!(ptbill::wasm::version(), env!("CARGO_PKG_VERSION"));
}

#[wasm_bindgen_test]
fn huge_minutes_do_not_abort_the_module() {
    let visit = serde_json::json!({"date_of_service": "2026-03-02", "ytd_allowed": 1e12,
        "lines": [{"code": "97110", "minutes": u32::MAX, "assistant_minutes": u32::MAX, "units": u32::MAX}, {"code": "97112", "minutes": u32::MAX}]});
    let r = back(&ptbill::wasm::check(js(&visit)).unwrap());
    assert_eq!(r["timed_minutes"].as_u64().unwrap(), 2 * u64::from(u32::MAX));
    // The module still works afterwards.
    assert!(
        ptbill::wasm::check(js(
            &serde_json::json!({"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 8}]})
        ))
        .is_ok()
    );
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

/// Every export, called from Rust with hostile JS values in each argument: an
/// Error naming the export, never a trap, and the module still checks a visit.
/// (tests/web/robust.test.mjs runs the wider suite through the real JS glue.)
#[wasm_bindgen_test]
fn every_export_throws_an_error_for_hostile_arguments() {
    use ptbill::wasm as w;
    let deep = (0..10_000).fold(js_sys::Object::new(), |inner, _| {
        let o = js_sys::Object::new();
        js_sys::Reflect::set(&o, &"a".into(), &inner).unwrap();
        o
    });
    let claim = js_sys::Object::new();
    js_sys::Reflect::set(&claim, &"length".into(), &JsValue::from_f64(3e9)).unwrap();
    let lone: JsValue = js_sys::JsString::from_char_code1(0xD800).into();
    let huge: JsValue = js_sys::JsString::from("x").repeat(128 * 1024 * 1024 + 1).into();
    let hostile: Vec<(&str, JsValue)> = vec![
        ("a number", JsValue::from_f64(123.0)),
        ("NaN", JsValue::from_f64(f64::NAN)),
        ("Infinity", JsValue::from_f64(f64::INFINITY)),
        ("a BigInt", js_sys::BigInt::from(30).into()),
        ("an object", js_sys::Object::new().into()),
        ("undefined", JsValue::UNDEFINED),
        ("null", JsValue::NULL),
        ("a list", js_sys::Array::of2(&1.into(), &2.into()).into()),
        ("{length: 3e9}", claim.into()),
        ("a 10,000-deep object", deep.into()),
        ("a lone surrogate", lone),
        ("a huge string", huge),
    ];
    let good =
        || js(&serde_json::json!({"date_of_service": "2026-03-02", "lines": [{"code": "97110", "minutes": 23}]}));
    let csv: JsValue = "visit_id,date_of_service,code,minutes\nV1,2026-03-02,97110,23\n".into();
    let s = |t: &str| JsValue::from_str(t);
    for (what, bad) in &hostile {
        let b = || bad.clone();
        let results: Vec<(&str, Result<JsValue, wasm_bindgen::JsError>)> = vec![
            ("check", w::check(b())),
            ("explain", w::explain(b()).map(JsValue::from)),
            (
                "icd10_load_descriptions",
                w::icd10_load_descriptions(b()).map(JsValue::from),
            ),
            ("icd10_lookup", w::icd10_lookup(b(), s("2026-03-02"))),
            ("icd10_lookup", w::icd10_lookup(s("M54.50"), b())),
            ("icd10_search", w::icd10_search(b(), s("2026-03-02"), 5.into())),
            ("icd10_search", w::icd10_search(s("back"), b(), 5.into())),
            ("audit", w::audit(b())),
            ("audit_summary", w::audit_summary(b())),
            ("audit_compact", w::audit_compact(b(), 0.into(), JsValue::UNDEFINED)),
        ];
        for (export, r) in results {
            assert!(r.is_err(), "{export}({what}) should throw");
            let msg = thrown(r);
            assert!(!msg.is_empty(), "{export}({what})");
            // Any string is a file's text to the audit (a lone surrogate becomes a
            // replacement character, as a bad byte in a file does): its error names
            // the file's problem, not the argument.
            let file_text = export.starts_with("audit") && bad.is_string();
            if (export != "check" || !bad.is_object()) && !file_text {
                // The audit exports name the argument in a call's shape: "audit(csvText): …".
                assert!(
                    msg.starts_with(&format!("{export}:"))
                        || msg.starts_with(&format!("{export}("))
                        || export == "check",
                    "{export}({what}): {msg}"
                );
            }
        }
        // Optional numbers and callbacks: undefined is the default, anything else wrong is named.
        let whole = bad
            .as_f64()
            .is_some_and(|n| n.is_finite() && n.fract() == 0.0 && n >= 0.0);
        if !bad.is_undefined() && !whole {
            let msg = thrown(w::icd10_search(s("back"), s("2026-03-02"), b()));
            assert!(msg.starts_with("icd10_search: limit"), "{what}: {msg}");
            let msg = thrown(w::audit_compact(csv.clone(), b(), JsValue::UNDEFINED));
            assert!(msg.starts_with("audit_compact: every"), "{what}: {msg}");
        }
        if !bad.is_undefined() && !bad.is_null() {
            let msg = thrown(w::audit_compact(csv.clone(), 0.into(), b()));
            assert!(msg.starts_with("audit_compact: progress"), "{what}: {msg}");
        }
        let r = back(&w::check(good()).unwrap());
        assert_eq!(r["timed_units"], 2, "the module still checks a visit after {what}");
    }
    // Optional arguments left out still answer.
    assert!(w::icd10_search(s("back"), s("2026-03-02"), JsValue::UNDEFINED).is_ok());
    assert!(w::audit_compact(csv, JsValue::UNDEFINED, JsValue::NULL).is_ok());
}
