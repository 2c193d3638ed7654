//! Argument checks for the wasm exports. Every export takes `JsValue`s and
//! checks them here before anything is copied into wasm memory: wasm-bindgen's
//! glue for `&str` and `u32` parameters trusts the caller (a number where a
//! string belongs, or `{length: 3e9}`, traps the module), so a wrong type, size
//! or value must become an `Error` that names the export and the argument.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `String.prototype.isWellFormed` (ES2024): no lone surrogates. Throws on
    /// older hosts, which then fall back to a scan from Rust.
    #[wasm_bindgen(catch, js_namespace = ["String", "prototype", "isWellFormed"], js_name = call)]
    fn is_well_formed(s: &js_sys::JsString) -> Result<bool, JsValue>;
}

/// What a JS value is, in words for a message.
pub fn what(v: &JsValue) -> String {
    if v.is_undefined() {
        "undefined".into()
    } else if v.is_null() {
        "null".into()
    } else if let Some(b) = v.as_bool() {
        format!("{b}")
    } else if let Some(n) = v.as_f64() {
        format!("the number {}", number(n))
    } else if v.is_string() {
        "a string".into()
    } else if v.is_bigint() {
        "a BigInt".into()
    } else if v.is_symbol() {
        "a symbol".into()
    } else if v.is_function() {
        "a function".into()
    } else if js_sys::Array::is_array(v) {
        "a list".into()
    } else {
        "an object".into()
    }
}

/// Whether a JS string is well-formed UTF-16 (no lone surrogates).
pub fn well_formed(s: &js_sys::JsString) -> bool {
    is_well_formed(s).unwrap_or_else(|_| s.is_valid_utf16())
}

fn error(export: &str, message: impl std::fmt::Display) -> JsError {
    JsError::new(&format!("{export}: {message}"))
}

/// A string argument of at most `max` UTF-16 units, well-formed.
pub fn string(v: &JsValue, export: &str, name: &str, max: u32) -> Result<String, JsError> {
    let Some(s) = v.dyn_ref::<js_sys::JsString>() else {
        return Err(error(export, format_args!("{name} must be a string, got {}", what(v))));
    };
    let len = s.length();
    if len > max {
        return Err(error(
            export,
            format_args!("{name} is too long ({len} characters; at most {max})"),
        ));
    }
    if !well_formed(s) {
        return Err(error(
            export,
            format_args!(
                "{name} contains a lone surrogate (half of a two-part character, as when text is cut in the middle of an emoji)"
            ),
        ));
    }
    Ok(s.as_string().unwrap_or_default())
}

/// A whole-number argument 0..=u32::MAX; `default` when undefined (if allowed).
pub fn whole(v: &JsValue, export: &str, name: &str, default: Option<u32>) -> Result<u32, JsError> {
    if v.is_undefined()
        && let Some(d) = default
    {
        return Ok(d);
    }
    match v.as_f64() {
        Some(n) if n.is_finite() && n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) => Ok(n as u32),
        Some(n) => Err(error(
            export,
            format_args!(
                "{name} must be a whole number from 0 to {}, got {}",
                u32::MAX,
                number(n)
            ),
        )),
        None => Err(error(
            export,
            format_args!("{name} must be a whole number, got {}", what(v)),
        )),
    }
}

/// An optional callback: a function, or undefined/null for none (only the
/// audit takes one: its progress).
#[cfg(feature = "audit")]
pub fn callback(v: &JsValue, export: &str, name: &str) -> Result<Option<js_sys::Function>, JsError> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.dyn_ref::<js_sys::Function>()
        .cloned()
        .map(Some)
        .ok_or_else(|| error(export, format_args!("{name} must be a function, got {}", what(v))))
}

/// A number as JavaScript writes it, without Rust's float formatting (which
/// would add some 20 KB to the page's module): whole numbers as integers,
/// others through serde_json's shortest form.
pub(super) fn number(n: f64) -> String {
    if n.is_nan() {
        "NaN".into()
    } else if n.is_infinite() {
        if n < 0.0 { "-Infinity" } else { "Infinity" }.into()
    } else if n.fract() == 0.0 && n.abs() < 9.0e15 {
        (n as i64).to_string()
    } else {
        serde_json::to_string(&n).unwrap_or_default()
    }
}
