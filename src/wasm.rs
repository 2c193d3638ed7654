//! The wasm door: JS values in, JS values out, through the same strict parser
//! as the CLI. Every export takes `JsValue`s and checks them ([`args`]) before
//! anything is copied into wasm memory, so a wrong type, size or value throws an
//! `Error` naming the argument and never traps the module. A JS object visit is
//! written as JSON text by [`js_json`] (which names NaN, Infinity, BigInt, lone
//! surrogates, cycles and deep nesting by field) and parsed by
//! [`crate::parse_visit`], so unknown fields are rejected exactly as on the
//! command line; the report comes back through `JSON.parse`, so it is plain
//! JSON-compatible data (objects, arrays, `null`; never `Map` or `undefined`).
//!
//! If a host's instance dies anyway (a `WebAssembly.RuntimeError`, e.g. memory
//! exhausted by a giant audit), no later call on that instance can work: the
//! host should drop it, instantiate the module again (`initSync` / `init` with
//! the same bytes) and retry or tell the user; nothing is kept between calls but
//! the ICD-10-CM descriptions, which it must hand over again.

use wasm_bindgen::prelude::*;

mod args;
mod js_json;

/// The longest visit given as JSON text (UTF-16 units); a real one is a few KB.
const MAX_VISIT_TEXT: u32 = 4 << 20;
/// The longest audit CSV text accepted (UTF-16 units): 128 Mi characters, a
/// copy wasm memory can always hold (at most 3 bytes each in UTF-8).
const MAX_CSV_TEXT: u32 = 128 << 20;
/// The longest ICD-10-CM description file accepted (the real one is 2.8 MB).
const MAX_DESCRIPTIONS: u32 = 64 << 20;
/// The longest code, rule id or date argument.
const MAX_WORD: u32 = 200;
/// The longest search query.
const MAX_QUERY: u32 = 1000;

fn to_js(json: &str) -> Result<JsValue, JsError> {
    js_sys::JSON::parse(json).map_err(|_| JsError::new("internal error: the report is not valid JSON"))
}

/// The visit as JSON text: an object is written by [`js_json`], a string read
/// as it is (lone surrogates become `\u` escapes so the parser names their field).
fn visit_text(value: &JsValue) -> Result<String, JsError> {
    if value.is_undefined() || value.is_null() {
        return Err(JsError::new(&format!(
            "check: a visit is required (an object or JSON text), got {}",
            args::what(value)
        )));
    }
    if let Some(s) = value.dyn_ref::<js_sys::JsString>() {
        if s.length() > MAX_VISIT_TEXT {
            return Err(JsError::new(&format!(
                "check: the visit text is too long ({} characters; at most {MAX_VISIT_TEXT})",
                s.length()
            )));
        }
        if args::well_formed(s) {
            return Ok(s.as_string().unwrap_or_default());
        }
        return Ok(escape_lone_surrogates(s));
    }
    if value.is_object() && !value.is_function() {
        return js_json::to_json_text(value).map_err(|e| JsError::new(&e.to_string()));
    }
    Err(JsError::new(&format!(
        "check: the visit must be an object or JSON text, got {}",
        args::what(value)
    )))
}

/// The string with each lone surrogate written as a `\uXXXX` escape: inside a
/// JSON string the parser then reports it with its field; elsewhere it is
/// invalid JSON either way.
fn escape_lone_surrogates(s: &js_sys::JsString) -> String {
    let units: Vec<u16> = s.iter().collect();
    let mut out = String::with_capacity(units.len());
    for item in char::decode_utf16(units.iter().copied()) {
        match item {
            Ok(c) => out.push(c),
            Err(e) => out.push_str(&format!("\\u{:04x}", e.unpaired_surrogate())),
        }
    }
    out
}

/// Checks one visit (object or JSON text) and returns the report.
#[wasm_bindgen]
pub fn check(visit: JsValue) -> Result<JsValue, JsError> {
    let text = visit_text(&visit)?;
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
pub fn explain(id: JsValue) -> Result<String, JsError> {
    let id = args::string(&id, "explain", "the rule id", MAX_WORD)?;
    crate::explain_rule(&id).ok_or_else(|| JsError::new(&format!("explain: no rule {id:?}")))
}

/// The engine version.
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_string()
}

/// Hands the ICD-10-CM description file (fetched by the page from the same
/// origin) to the engine, once. Later calls are ignored (false).
#[wasm_bindgen]
pub fn icd10_load_descriptions(text: JsValue) -> Result<bool, JsError> {
    let text = args::string(&text, "icd10_load_descriptions", "text", MAX_DESCRIPTIONS)?;
    if crate::icd10::LOADED.get().is_some() {
        return Ok(false);
    }
    if !text.trim_start_matches('\u{feff}').starts_with("# ICD-10-CM") {
        return Err(JsError::new(
            "icd10_load_descriptions: text is not ptbill's ICD-10-CM description file (data/icd10cm-descriptions.txt)",
        ));
    }
    // Leaked on purpose: the titles live as long as the page.
    let text: &'static str = Box::leak(text.into_boxed_str());
    Ok(crate::icd10::LOADED
        .set(crate::icd10::Descriptions::parse(text))
        .is_ok())
}

/// One ICD-10-CM code on a date: status, title, validity, codes under it.
#[wasm_bindgen]
pub fn icd10_lookup(code: JsValue, date: JsValue) -> Result<JsValue, JsError> {
    let code = args::string(&code, "icd10_lookup", "code", MAX_WORD)?;
    let date = args::string(&date, "icd10_lookup", "date", MAX_WORD)?;
    let json = crate::icd10_lookup_json(&code, &date).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&json)
}

/// ICD-10-CM codes matching a code prefix or words, billable ones first
/// (`limit` defaults to 20; at most 200 are returned).
#[wasm_bindgen]
pub fn icd10_search(query: JsValue, date: JsValue, limit: JsValue) -> Result<JsValue, JsError> {
    let query = args::string(&query, "icd10_search", "query", MAX_QUERY)?;
    let date = args::string(&date, "icd10_search", "date", MAX_WORD)?;
    let limit = args::whole(&limit, "icd10_search", "limit", Some(20))?;
    let json = crate::icd10_search_json(&query, &date, limit as usize).map_err(|e| JsError::new(&e.to_string()))?;
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
pub fn audit(csv_text: JsValue) -> Result<JsValue, JsError> {
    let csv_text = args::string(&csv_text, "audit", "the CSV text", MAX_CSV_TEXT)?;
    to_js(&crate::audit::audit_json(&csv_text))
}

/// The page's audit: per visit its findings (rule, severity, line, row, code,
/// message), units and input visit, plus row errors and the summary; calls
/// `progress(rowsDone, rowsTotal)` every `every` rows (0: never), and stops if it
/// returns `false`.
#[wasm_bindgen]
pub fn audit_compact(csv_text: JsValue, every: JsValue, progress: JsValue) -> Result<JsValue, JsError> {
    let csv_text = args::string(&csv_text, "audit_compact", "the CSV text", MAX_CSV_TEXT)?;
    let every = args::whole(&every, "audit_compact", "every", Some(0))?;
    let progress = args::callback(&progress, "audit_compact", "progress")?;
    let json = crate::audit::audit_compact_json(&csv_text, u64::from(every), &mut |done, total| {
        progress.as_ref().is_none_or(|f| {
            f.call2(
                &JsValue::NULL,
                &JsValue::from_f64(done as f64),
                &JsValue::from_f64(total as f64),
            )
            .map(|v| v.as_bool() != Some(false))
            .unwrap_or(true)
        })
    });
    to_js(&json)
}

/// The audit's summary alone (no per-visit results), for very large files.
#[wasm_bindgen]
pub fn audit_summary(csv_text: JsValue) -> Result<JsValue, JsError> {
    let csv_text = args::string(&csv_text, "audit_summary", "the CSV text", MAX_CSV_TEXT)?;
    to_js(&crate::audit::audit_summary_json(&csv_text))
}
