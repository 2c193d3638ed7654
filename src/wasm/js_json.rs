//! A JS object (the wasm object door's visit) written as JSON text for the one
//! strict parser, [`crate::parse_visit`]. `JSON.stringify` would do the writing
//! but hides what the contract wants named: it turns `NaN` and `Infinity` into
//! `null`, drops nothing it cannot spell, and fails on a BigInt, a cycle or deep
//! nesting with a message that names no field. This walk follows the same rules
//! otherwise (own enumerable keys, `toJSON`, `undefined` members left out) and
//! stops at the first problem with its field path.

use crate::visit::InputError;
use crate::visit::json::{MAX_DEPTH, MAX_LIST, Path, too_deep};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// The most JSON text one visit may become (a real one is a few kilobytes).
pub const MAX_TEXT: usize = 4 << 20;

#[wasm_bindgen]
extern "C" {
    // Throwing variants (a Proxy may throw from any trap) so no JS exception
    // unwinds through Rust frames.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn object_keys(o: &JsValue) -> Result<js_sys::Array, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array(v: &JsValue) -> Result<bool, JsValue>;
}

fn problem(path: &Path<'_>, message: impl Into<String>) -> InputError {
    let field = path.to_string();
    let message = message.into();
    if field.is_empty() {
        InputError {
            field,
            message: format!("the visit {message}"),
        }
    } else {
        InputError { field, message }
    }
}

fn thrown(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "an exception".into())
}

struct Walk {
    out: String,
    /// The objects and lists being written, to name a cycle.
    stack: Vec<JsValue>,
}

/// Writes `value` (an object) as JSON text, or says which field cannot be.
pub fn to_json_text(value: &JsValue) -> Result<String, InputError> {
    if let Some(text) = stringified(value) {
        return Ok(text);
    }
    let mut w = Walk {
        out: String::new(),
        stack: Vec::new(),
    };
    w.value(value, &Path::Root, true)?;
    Ok(w.out)
}

impl Walk {
    /// Writes one value; returns false for what JSON leaves out of an object
    /// (`undefined`, functions, symbols), having written nothing.
    fn value(&mut self, v: &JsValue, path: &Path<'_>, to_json: bool) -> Result<bool, InputError> {
        if self.out.len() > MAX_TEXT {
            return Err(problem(
                &Path::Root,
                format!("is too large: more than {} MB as JSON", MAX_TEXT >> 20),
            ));
        }
        if v.is_undefined() || v.is_function() || v.is_symbol() {
            return Ok(false);
        }
        if v.is_null() {
            self.out.push_str("null");
        } else if let Some(b) = v.as_bool() {
            self.out.push_str(if b { "true" } else { "false" });
        } else if let Some(n) = v.as_f64() {
            self.number(n, path)?;
        } else if let Some(s) = v.dyn_ref::<js_sys::JsString>() {
            if !super::args::well_formed(s) {
                return Err(problem(
                    path,
                    "contains a lone surrogate (half of a two-part character, as when text is cut in the middle of an emoji); retype it",
                ));
            }
            if s.length() as usize > MAX_TEXT {
                return Err(problem(path, format!("is too long: more than {} MB", MAX_TEXT >> 20)));
            }
            let s = s.as_string().unwrap_or_default();
            self.string(&s);
        } else if v.is_bigint() {
            return Err(problem(path, "is a BigInt; give a plain number (30, not 30n)"));
        } else {
            // An object or a list.
            if to_json {
                let method = js_sys::Reflect::get(v, &JsValue::from_str("toJSON")).map_err(|e| unreadable(path, &e))?;
                if let Some(f) = method.dyn_ref::<js_sys::Function>() {
                    let replaced = f.call0(v).map_err(|e| unreadable(path, &e))?;
                    return self.value(&replaced, path, false);
                }
            }
            if self.stack.len() >= MAX_DEPTH {
                return Err(problem(path, too_deep()));
            }
            if self.stack.iter().any(|seen| seen == v) {
                return Err(problem(path, "contains itself (a circular reference)"));
            }
            self.stack.push(v.clone());
            if is_array(v).map_err(|e| unreadable(path, &e))? {
                self.list(v, path)?;
            } else {
                self.object(v, path)?;
            }
            self.stack.pop();
        }
        Ok(true)
    }

    fn number(&mut self, n: f64, path: &Path<'_>) -> Result<(), InputError> {
        if n.is_nan() {
            return Err(problem(path, "is NaN (not a number); give a number"));
        }
        if n.is_infinite() {
            let sign = if n < 0.0 { "-" } else { "" };
            return Err(problem(path, format!("is {sign}Infinity; give a finite number")));
        }
        // Whole numbers as integers, as JSON.stringify writes them.
        self.out.push_str(&super::args::number(n));
        Ok(())
    }

    /// A string as JSON (serde_json's escapes, as for the report).
    fn string(&mut self, s: &str) {
        self.out.push_str(&serde_json::to_string(s).unwrap_or_default());
    }

    fn list(&mut self, v: &JsValue, path: &Path<'_>) -> Result<(), InputError> {
        let length = js_sys::Reflect::get(v, &JsValue::from_str("length"))
            .map_err(|e| unreadable(path, &e))?
            .as_f64()
            .unwrap_or(0.0);
        if length > MAX_LIST as f64 {
            return Err(problem(
                path,
                format!(
                    "has {} entries; no visit is that large (at most {MAX_LIST} are read)",
                    super::args::number(length)
                ),
            ));
        }
        self.out.push('[');
        for i in 0..length as u32 {
            if i > 0 {
                self.out.push(',');
            }
            let at = Path::Index(path, i as usize);
            let item = js_sys::Reflect::get_u32(v, i).map_err(|e| unreadable(&at, &e))?;
            // As in JSON.stringify, a hole or an unwritable member of a list is null.
            if !self.value(&item, &at, true)? {
                self.out.push_str("null");
            }
        }
        self.out.push(']');
        Ok(())
    }

    fn object(&mut self, v: &JsValue, path: &Path<'_>) -> Result<(), InputError> {
        let keys = object_keys(v).map_err(|e| unreadable(path, &e))?;
        if keys.length() as usize > MAX_LIST {
            return Err(problem(
                path,
                format!("has {} fields; no visit is that large", keys.length()),
            ));
        }
        self.out.push('{');
        let mut first = true;
        for key in keys.iter() {
            let Some(name) = key.as_string() else { continue };
            let at = Path::Key(path, &name);
            if !key.dyn_ref::<js_sys::JsString>().is_some_and(super::args::well_formed) {
                return Err(problem(
                    path,
                    "has a field name with a lone surrogate (half of a two-part character)",
                ));
            }
            let item = js_sys::Reflect::get(v, &key).map_err(|e| unreadable(&at, &e))?;
            let mark = self.out.len();
            if !first {
                self.out.push(',');
            }
            self.string(&name);
            self.out.push(':');
            if self.value(&item, &at, true)? {
                first = false;
            } else {
                self.out.truncate(mark);
            }
        }
        self.out.push('}');
        Ok(())
    }
}

/// Texts longer than this take the walk: no real visit is near it, and a list
/// of [`MAX_LIST`] entries cannot fit in it.
const FAST_MAX: u32 = 64 << 10;

/// The fast path: one `JSON.stringify` call instead of one crossing into JS
/// per field. Its text is used only when it holds none of what stringify
/// writes differently from the walk or hides from it (see [`plain`]); any other
/// visit, and one stringify throws for (a BigInt, a cycle, a getter that
/// throws), takes the walk, which names the field.
fn stringified(value: &JsValue) -> Option<String> {
    let text = js_sys::JSON::stringify(value).ok()?;
    if !text.is_string() || text.length() > FAST_MAX {
        return None;
    }
    let text = text.as_string()?;
    plain(&text).then_some(text)
}

/// Whether stringify's text is what the walk would write: no `null` (stringify
/// writes NaN, ±Infinity, and a function or `undefined` in a list as null), no
/// `\ud…` escape (a lone surrogate, which the walk names), no nesting as deep
/// as [`MAX_DEPTH`], and no number with an exponent or 16 digits (where the two
/// spell numbers differently).
fn plain(text: &str) -> bool {
    let b = text.as_bytes();
    let (mut i, mut depth, mut in_string) = (0, 0, false);
    while i < b.len() {
        let c = b[i];
        if in_string {
            match c {
                b'\\' => {
                    if b.get(i + 1) == Some(&b'u') && matches!(b.get(i + 2), Some(b'd' | b'D')) {
                        return false;
                    }
                    i += 2;
                    continue;
                }
                b'"' => in_string = false,
                _ => {}
            }
        } else {
            match c {
                b'"' => in_string = true,
                b'{' | b'[' => {
                    depth += 1;
                    if depth >= MAX_DEPTH {
                        return false;
                    }
                }
                b'}' | b']' => depth = depth.saturating_sub(1),
                // Only `null` has an n among JSON's bare words.
                b'n' => return false,
                _ => {}
            }
        }
        i += 1;
    }
    true
}

fn unreadable(path: &Path<'_>, e: &JsValue) -> InputError {
    problem(path, format!("cannot be read ({})", thrown(e)))
}
