//! Strict JSON reading for the visit parser: a `serde_json::Value`, but a key
//! given twice is an error (serde_json alone keeps the last one silently), the
//! nesting depth is capped with a clear message, and every syntax problem is
//! reported at the field it occurred in (`lines[0].code: contains a lone
//! surrogate …`) rather than only by line and column.

use super::InputError;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::fmt;

/// The deepest nesting accepted. A visit needs four levels (the visit, `lines`,
/// a line, its `modifiers`); the cap keeps hostile input from exhausting the stack.
pub const MAX_DEPTH: usize = 32;
/// The most entries any one list may hold while reading (the visit's own caps,
/// such as [`super::MAX_LINES`], are checked afterwards with exact counts).
pub const MAX_LIST: usize = 100_000;

/// The message for a value nested deeper than [`MAX_DEPTH`], the same from
/// JSON text and from the wasm object walk.
pub(crate) fn too_deep() -> String {
    format!("is nested too deeply: at most {MAX_DEPTH} levels of lists and objects are read (a visit needs 4)")
}

/// Where a value sits in the document, built lazily: rendered only on error.
/// Shared with the wasm object walk, so both name a field the same way.
#[derive(Clone, Copy)]
pub(crate) enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(Path::Root, k) => write!(f, "{k}"),
            Path::Key(p, k) => write!(f, "{p}.{k}"),
            Path::Index(p, i) => write!(f, "{p}[{i}]"),
        }
    }
}

/// The first problem found, with its field: set by the innermost value that
/// failed, so outer values do not overwrite it.
type Failure = RefCell<Option<InputError>>;

fn fail<E: de::Error>(failure: &Failure, path: &Path<'_>, message: String) -> E {
    let mut slot = failure.borrow_mut();
    if slot.is_none() {
        *slot = Some(InputError::new(path.to_string(), message.clone()));
    }
    E::custom(message)
}

struct Node<'a> {
    path: Path<'a>,
    depth: usize,
    failure: &'a Failure,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        let (path, failure) = (self.path, self.failure);
        d.deserialize_any(self).inspect_err(|e| {
            // A syntax error inside this value (not one of ours, already recorded).
            if failure.borrow().is_none() {
                *failure.borrow_mut() = Some(InputError::new(path.to_string(), describe(&e.to_string())));
            }
        })
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // JSON text cannot spell NaN or Infinity; serde_json rejects overflow itself.
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.deeper()?;
        let mut items = Vec::new();
        loop {
            let child = Node {
                path: Path::Index(&self.path, items.len()),
                depth: self.depth + 1,
                failure: self.failure,
            };
            let Some(item) = seq.next_element_seed(child).map_err(|e| self.syntax(e))? else {
                break;
            };
            if items.len() == MAX_LIST {
                return Err(fail(
                    self.failure,
                    &self.path,
                    format!("has more than {MAX_LIST} entries; no visit is that large"),
                ));
            }
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.deeper()?;
        let mut obj = Map::new();
        while let Some(key) = map.next_key::<String>().map_err(|e| self.syntax(e))? {
            let child_path = Path::Key(&self.path, &key);
            if obj.contains_key(&key) {
                return Err(fail(
                    self.failure,
                    &child_path,
                    "is given twice; give each field once".into(),
                ));
            }
            if obj.len() == MAX_LIST {
                return Err(fail(
                    self.failure,
                    &self.path,
                    format!("has more than {MAX_LIST} fields; no visit is that large"),
                ));
            }
            let child = Node {
                path: child_path,
                depth: self.depth + 1,
                failure: self.failure,
            };
            let value = map.next_value_seed(child)?;
            obj.insert(key, value);
        }
        Ok(Value::Object(obj))
    }
}

impl Node<'_> {
    fn deeper<E: de::Error>(&self) -> Result<(), E> {
        if self.depth >= MAX_DEPTH {
            return Err(fail(self.failure, &self.path, too_deep()));
        }
        Ok(())
    }
    /// A syntax error between the entries of this list or object (a missing comma, a bad key).
    fn syntax<E: de::Error>(&self, e: E) -> E {
        if self.failure.borrow().is_none() {
            *self.failure.borrow_mut() = Some(InputError::new(self.path.to_string(), describe(&e.to_string())));
        }
        e
    }
}

/// serde_json's message in words, kept for its line and column.
fn describe(e: &str) -> String {
    // serde_json says "unexpected end of hex escape" only after a leading surrogate.
    use crate::find::contains;
    if contains(e, "surrogate") || contains(e, "end of hex escape") {
        format!(
            "contains a lone surrogate (half of a two-part character, as when text is cut in the middle of an emoji); retype it ({e})"
        )
    } else if contains(e, "recursion limit") {
        format!("is nested too deeply: at most {MAX_DEPTH} levels of lists and objects are read ({e})")
    } else if contains(e, "number out of range") {
        format!("holds a number too large to read ({e})")
    } else {
        format!("is not valid JSON ({e})")
    }
}

/// Reads JSON text strictly (see the module docs). A leading UTF-8 byte order
/// mark is skipped, as spreadsheet and Windows editors write one.
pub fn parse(text: &str) -> Result<Value, InputError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let failure = Failure::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let root = Node {
        path: Path::Root,
        depth: 0,
        failure: &failure,
    };
    let result = root.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    result.map_err(|e| {
        let found = failure
            .into_inner()
            .unwrap_or_else(|| InputError::new("", describe(&e.to_string())));
        if found.field.is_empty() {
            // The document as a whole: "the input is not valid JSON (…)".
            InputError::new("", format!("the input {}", found.message))
        } else {
            found
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> InputError {
        parse(text).expect_err("should be rejected")
    }

    #[test]
    fn same_value_as_serde_json() {
        let text = r#"{"a":[1,-2,3.5,"x",null,true,{"b":{}}],"c":"\u00e9"}"#;
        assert_eq!(parse(text).unwrap(), serde_json::from_str::<Value>(text).unwrap());
    }

    #[test]
    fn a_key_given_twice_is_named() {
        let e = err(r#"{"lines":[],"lines":[]}"#);
        assert_eq!(e.field, "lines");
        assert!(e.message.contains("given twice"), "{e}");
        let e = err(r#"{"lines":[{"code":"97110","minutes":3,"minutes":4}]}"#);
        assert_eq!(e.field, "lines[0].minutes");
    }

    #[test]
    fn depth_is_capped_with_words() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        let e = err(&deep);
        assert!(e.message.contains("nested too deeply"), "{e}");
        assert!(e.message.contains(&MAX_DEPTH.to_string()), "{e}");
        let deep = format!("{{\"lines\":{}{}}}", "[".repeat(40), "]".repeat(40));
        assert!(err(&deep).field.starts_with("lines[0]"));
        // Just inside the cap reads.
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn lone_surrogates_name_the_field() {
        for text in [
            r#"{"lines":[{"code":"97110\ud800"}]}"#,
            r#"{"lines":[{"code":"97110\ud800\u0041"}]}"#,
            r#"{"lines":[{"code":"\udc00"}]}"#,
        ] {
            let e = err(text);
            assert_eq!(e.field, "lines[0].code");
            assert!(e.message.contains("lone surrogate"), "{e}");
        }
    }

    #[test]
    fn syntax_errors_say_where() {
        let e = err(r#"{"lines":[{"code":"97110" "minutes":3}]}"#);
        assert_eq!(e.field, "lines[0]");
        assert!(e.message.contains("not valid JSON"), "{e}");
        let e = err("{");
        assert!(e.message.starts_with("the input is not valid JSON"), "{e}");
        let e = err("{} x");
        assert!(e.message.starts_with("the input is not valid JSON"), "{e}");
        let e = err(r#"{"ytd_allowed":1e999}"#);
        assert_eq!(e.field, "ytd_allowed");
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        assert_eq!(parse("\u{feff}{\"a\":1}").unwrap(), serde_json::json!({"a": 1}));
    }
}
