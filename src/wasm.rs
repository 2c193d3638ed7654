//! The wasm door: JS values in, JS values out, through the same strict parser
//! as the CLI. A JS object is turned into JSON text with `JSON.stringify` and
//! parsed by [`crate::parse_visit`], so unknown fields are rejected exactly as on
//! the command line; the report comes back through `JSON.parse`, so it is plain
//! JSON-compatible data (objects, arrays, `null`; never `Map` or `undefined`).

use wasm_bindgen::prelude::*;

fn to_js(json: &str) -> Result<JsValue, JsError> {
    js_sys::JSON::parse(json).map_err(|_| JsError::new("internal error: the report is not valid JSON"))
}

fn input_text(value: &JsValue) -> Result<String, JsError> {
    if let Some(s) = value.as_string() {
        return Ok(s);
    }
    if value.is_undefined() || value.is_null() {
        return Err(JsError::new("a visit is required (an object or JSON text)"));
    }
    let s = js_sys::JSON::stringify(value)
        .map_err(|_| JsError::new("the visit cannot be turned into JSON (a BigInt or a circular reference?)"))?;
    s.as_string()
        .ok_or_else(|| JsError::new("the visit cannot be turned into JSON"))
}

/// Checks one visit (object or JSON text) and returns the report.
#[wasm_bindgen]
pub fn check(visit: JsValue) -> Result<JsValue, JsError> {
    let text = input_text(&visit)?;
    let report = crate::check_json(&text).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&report)
}

/// The rule list: `[{id, severity, summary, docs}]`.
#[wasm_bindgen]
pub fn rules() -> Result<JsValue, JsError> {
    to_js(&crate::rules_json())
}

/// One rule's docs page (Markdown). Throws for an unknown id.
#[wasm_bindgen]
pub fn explain(id: &str) -> Result<String, JsError> {
    crate::explain_rule(id).ok_or_else(|| JsError::new(&format!("no rule {id:?}")))
}

/// The engine version.
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_string()
}

/// Hands the ICD-10-CM description file (fetched by the page from the same
/// origin) to the engine, once. Later calls are ignored.
#[wasm_bindgen]
pub fn icd10_load_descriptions(text: String) -> bool {
    if crate::icd10::LOADED.get().is_some() {
        return false;
    }
    // Leaked on purpose: the titles live as long as the page.
    let text: &'static str = Box::leak(text.into_boxed_str());
    crate::icd10::LOADED
        .set(crate::icd10::Descriptions::parse(text))
        .is_ok()
}

/// One ICD-10-CM code on a date: status, title, validity, codes under it.
#[wasm_bindgen]
pub fn icd10_lookup(code: &str, date: &str) -> Result<JsValue, JsError> {
    let json = crate::icd10_lookup_json(code, date).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&json)
}

/// ICD-10-CM codes matching a code prefix or words, billable ones first.
#[wasm_bindgen]
pub fn icd10_search(query: &str, date: &str, limit: u32) -> Result<JsValue, JsError> {
    let json = crate::icd10_search_json(query, date, limit as usize).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&json)
}

/// The code catalog: `[{code, label, timed, kind, disciplines, addon_of, valid_from, valid_to}]`.
#[wasm_bindgen]
pub fn catalog() -> Result<JsValue, JsError> {
    to_js(&crate::catalog_json())
}

/// Audits many visits from CSV text (one row per service line): the same result
/// as `ptbill audit --format json`.
#[wasm_bindgen]
pub fn audit(csv_text: &str) -> Result<JsValue, JsError> {
    to_js(&crate::audit::audit_json(csv_text))
}

/// The page's audit: per visit its findings (rule, severity, line, row, code,
/// message), units and input visit, plus row errors and the summary; calls
/// `progress(rowsDone, rowsTotal)` every `every` rows, and stops if it returns `false`.
#[wasm_bindgen]
pub fn audit_compact(csv_text: &str, every: u32, progress: &js_sys::Function) -> Result<JsValue, JsError> {
    let json = crate::audit::audit_compact_json(csv_text, u64::from(every), &mut |done, total| {
        progress
            .call2(
                &JsValue::NULL,
                &JsValue::from_f64(done as f64),
                &JsValue::from_f64(total as f64),
            )
            .map(|v| v.as_bool() != Some(false))
            .unwrap_or(true)
    });
    to_js(&json)
}

/// The audit's summary alone (no per-visit results), for very large files.
#[wasm_bindgen]
pub fn audit_summary(csv_text: &str) -> Result<JsValue, JsError> {
    to_js(&crate::audit::audit_summary_json(csv_text))
}
