//! The visit (the contract's input) and its one strict parser.
//!
//! Every door (CLI, wasm, Rust callers holding JSON text) goes through
//! [`parse_visit`], so a typo such as `minuts` is rejected the same way everywhere.
//! The parser walks a `serde_json::Value` by hand rather than deriving, so each
//! message can name the exact field (`lines[1].minutes`) and the problem in words.

use crate::date::Date;
use serde_json::{Map, Value};
use std::fmt;

pub mod json;

/// The most lines one visit may hold. A real visit has a handful; the cap keeps a
/// pasted file from being mistaken for a visit.
pub const MAX_LINES: usize = 1000;
/// The most diagnoses one visit may hold.
pub const MAX_DIAGNOSES: usize = 100;

/// Who pays: selects payer-specific checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Payer {
    /// Original Medicare Part B.
    Medicare,
    /// A Medicare Advantage (Part C) plan.
    MedicareAdvantage,
    /// A state Medicaid programme.
    Medicaid,
    /// A commercial insurer.
    Commercial,
    /// Anyone else.
    Other,
}

/// How timed minutes become units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Medicare's total-time 8-minute rule (CMS Pub. 100-04, Ch. 5, §20.2).
    Cms,
    /// CPT's per-code midpoint rule.
    Ama,
}

/// Which plan of care the services belong to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Discipline {
    /// Physical therapy (GP, CQ).
    Pt,
    /// Occupational therapy (GO, CO).
    Ot,
    /// Speech-language pathology (GN).
    Slp,
}

impl Discipline {
    /// The plan of care in words ("physical therapy").
    pub fn name(self) -> &'static str {
        match self {
            Discipline::Pt => "physical therapy",
            Discipline::Ot => "occupational therapy",
            Discipline::Slp => "speech-language pathology",
        }
    }
}

/// Which NCCI and MUE tables apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    /// Private practice and other practitioner claims.
    Practitioner,
    /// Hospital outpatient, SNF Part B, rehab agency.
    OutpatientHospital,
}

/// One service line as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// The code, trimmed and upper-cased.
    pub code: String,
    /// One-on-one minutes, when given.
    pub minutes: Option<u32>,
    /// Of those minutes, how many an assistant furnished alone.
    pub assistant_minutes: u32,
    /// Units as claimed, when given.
    pub units: Option<u32>,
    /// Modifiers as typed, trimmed and upper-cased.
    pub modifiers: Vec<String>,
    /// Whether `modifiers` was given (even empty): "as billed". Absent means
    /// "propose the modifiers" (contract v2).
    pub modifiers_given: bool,
}

/// A whole visit, checked for shape.
#[derive(Clone, Debug, PartialEq)]
pub struct Visit {
    /// Selects the rules in force.
    pub date_of_service: Date,
    /// Who pays.
    pub payer: Payer,
    /// The time rule for `units`.
    pub method: Method,
    /// The plan of care.
    pub discipline: Discipline,
    /// Which edit tables apply.
    pub setting: Setting,
    /// Year-to-date allowed amount in cents, this visit included.
    pub ytd_allowed_cents: Option<u64>,
    /// The service lines, in input order.
    pub lines: Vec<Line>,
    /// ICD-10-CM codes as typed (trimmed).
    pub diagnoses: Vec<String>,
}

/// Why an input could not be read as a visit. `field` is a path such as
/// `lines[2].minutes`, or empty for the document as a whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// Where the problem is.
    pub field: String,
    /// What is wrong, in words.
    pub message: String,
}

impl InputError {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

impl std::error::Error for InputError {}

/// Parses a visit from JSON text, strictly (see the module docs): a key given
/// twice, `lines: []`, and nesting deeper than [`json::MAX_DEPTH`] are rejected
/// as well; a leading byte order mark is skipped.
pub fn parse_visit(text: &str) -> Result<Visit, InputError> {
    read_visit(&json::parse(text)?, true)
}

const VISIT_FIELDS: &[&str] = &[
    "date_of_service",
    "payer",
    "method",
    "discipline",
    "setting",
    "ytd_allowed",
    "lines",
    "diagnoses",
];
/// The accepted values of the visit's choice fields (the first is the default).
pub(crate) const PAYERS: &[(&str, Payer)] = &[
    ("medicare", Payer::Medicare),
    ("medicare_advantage", Payer::MedicareAdvantage),
    ("medicaid", Payer::Medicaid),
    ("commercial", Payer::Commercial),
    ("other", Payer::Other),
];
/// See [`PAYERS`].
pub(crate) const METHODS: &[(&str, Method)] = &[("cms", Method::Cms), ("ama", Method::Ama)];
/// See [`PAYERS`].
pub(crate) const DISCIPLINES: &[(&str, Discipline)] =
    &[("pt", Discipline::Pt), ("ot", Discipline::Ot), ("slp", Discipline::Slp)];
/// See [`PAYERS`].
pub(crate) const SETTINGS: &[(&str, Setting)] = &[
    ("practitioner", Setting::Practitioner),
    ("outpatient_hospital", Setting::OutpatientHospital),
];
/// The longest list entry (modifier, diagnosis) accepted.
pub(crate) const MAX_ENTRY: usize = 40;
/// The most modifiers one line may carry.
pub(crate) const MAX_MODIFIERS: usize = 10;

const LINE_FIELDS: &[&str] = &["code", "minutes", "assistant_minutes", "units", "modifiers"];

/// Reads a visit from an already-parsed JSON value. Unlike [`parse_visit`] it
/// accepts `lines: []`: the audit reads a visit's shared cells this way before
/// its lines.
pub fn visit_from_value(value: &Value) -> Result<Visit, InputError> {
    read_visit(value, false)
}

fn read_visit(value: &Value, need_lines: bool) -> Result<Visit, InputError> {
    let obj = value
        .as_object()
        .ok_or_else(|| InputError::new("", format!("a visit must be a JSON object, got {}", kind(value))))?;
    reject_unknown(obj, VISIT_FIELDS, "")?;

    let date_of_service = match obj.get("date_of_service") {
        None | Some(Value::Null) => {
            return Err(InputError::new("date_of_service", "is required (YYYY-MM-DD)"));
        }
        Some(Value::String(s)) => Date::parse(s).map_err(|m| InputError::new("date_of_service", m))?,
        Some(other) => {
            return Err(InputError::new(
                "date_of_service",
                format!("expected a date string YYYY-MM-DD, got {}", kind(other)),
            ));
        }
    };
    let payer = choice(obj, "payer", PAYERS)?;
    let method = choice(obj, "method", METHODS)?;
    let discipline = choice(obj, "discipline", DISCIPLINES)?;
    let setting = choice(obj, "setting", SETTINGS)?;
    let ytd_allowed_cents = money(obj.get("ytd_allowed"), "ytd_allowed")?;

    let lines = match obj.get("lines") {
        None | Some(Value::Null) => {
            return Err(InputError::new("lines", "is required (a list of service lines)"));
        }
        Some(Value::Array(items)) if items.is_empty() && need_lines => {
            return Err(InputError::new(
                "lines",
                "is empty; a visit needs at least one service line",
            ));
        }
        Some(Value::Array(items)) => {
            if items.len() > MAX_LINES {
                return Err(InputError::new(
                    "lines",
                    format!("has {} lines; a visit may have at most {MAX_LINES}", items.len()),
                ));
            }
            items
                .iter()
                .enumerate()
                .map(|(i, item)| line_from_value(item, i))
                .collect::<Result<Vec<_>, _>>()?
        }
        Some(other) => {
            return Err(InputError::new(
                "lines",
                format!("expected a list, got {}", kind(other)),
            ));
        }
    };
    let diagnoses = string_list(obj.get("diagnoses"), "diagnoses", MAX_DIAGNOSES)?;

    Ok(Visit {
        date_of_service,
        payer,
        method,
        discipline,
        setting,
        ytd_allowed_cents,
        lines,
        diagnoses,
    })
}

pub(crate) fn line_from_value(value: &Value, index: usize) -> Result<Line, InputError> {
    let at = |name: &str| format!("lines[{index}].{name}");
    let obj = value.as_object().ok_or_else(|| {
        InputError::new(
            format!("lines[{index}]"),
            format!("expected an object, got {}", kind(value)),
        )
    })?;
    reject_unknown(obj, LINE_FIELDS, &format!("lines[{index}]."))?;
    let code = match obj.get("code") {
        None | Some(Value::Null) => return Err(InputError::new(at("code"), "is required")),
        Some(Value::String(s)) => {
            let code = s.trim().to_ascii_uppercase();
            if code.is_empty() {
                return Err(InputError::new(at("code"), "is empty"));
            }
            if code.len() > 20 {
                return Err(InputError::new(
                    at("code"),
                    "is longer than any billing code (20 characters at most)",
                ));
            }
            code
        }
        Some(other) => {
            return Err(InputError::new(
                at("code"),
                format!("expected a string, got {}", kind(other)),
            ));
        }
    };
    let minutes = whole(obj.get("minutes"), &at("minutes"))?;
    let assistant_minutes = whole(obj.get("assistant_minutes"), &at("assistant_minutes"))?.unwrap_or(0);
    if assistant_minutes > 0 {
        match minutes {
            None => {
                return Err(InputError::new(
                    at("assistant_minutes"),
                    "is given but minutes is not; assistant minutes are part of the line's minutes",
                ));
            }
            Some(m) if assistant_minutes > m => {
                return Err(InputError::new(
                    at("assistant_minutes"),
                    format!(
                        "{assistant_minutes} is more than the line's {m} minutes; it counts the part of those minutes the assistant furnished alone"
                    ),
                ));
            }
            _ => {}
        }
    }
    let units = whole(obj.get("units"), &at("units"))?;
    let modifiers_given = obj.contains_key("modifiers");
    let modifiers = string_list(obj.get("modifiers"), &at("modifiers"), MAX_MODIFIERS)?
        .into_iter()
        .map(|m| m.to_ascii_uppercase())
        .collect::<Vec<_>>();
    for (i, m) in modifiers.iter().enumerate() {
        if m.is_empty() {
            return Err(InputError::new(format!("{}[{i}]", at("modifiers")), "is empty"));
        }
    }
    Ok(Line {
        code,
        minutes,
        assistant_minutes,
        units,
        modifiers,
        modifiers_given,
    })
}

fn reject_unknown(obj: &Map<String, Value>, known: &[&str], prefix: &str) -> Result<(), InputError> {
    for key in obj.keys() {
        if !known.contains(&key.as_str()) {
            let hint = closest(key, known)
                .map(|k| format!(" (did you mean {k:?}?)"))
                .unwrap_or_default();
            return Err(InputError::new(
                format!("{prefix}{key}"),
                format!(
                    "unknown field{hint}; known fields are {}",
                    crate::prose::join(known, ", ")
                ),
            ));
        }
    }
    Ok(())
}

/// The known name a typo most likely meant: same letters give or take two edits.
fn closest<'a>(typo: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (edit_distance(typo, k), *k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance on bytes (field names are ASCII).
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// One of `options` by name; absent means the first.
fn choice<T: Copy>(obj: &Map<String, Value>, field: &str, options: &[(&str, T)]) -> Result<T, InputError> {
    let names = || crate::prose::join(&options.iter().map(|(n, _)| *n).collect::<Vec<_>>(), ", ");
    match obj.get(field) {
        None | Some(Value::Null) => Ok(options[0].1),
        Some(Value::String(s)) => options
            .iter()
            .find(|(n, _)| *n == s.as_str())
            .map(|(_, v)| *v)
            .ok_or_else(|| InputError::new(field, format!("unknown value {s:?}; expected one of {}", names()))),
        Some(other) => Err(InputError::new(
            field,
            format!("expected one of {} (a string), got {}", names(), kind(other)),
        )),
    }
}

/// A whole number 0..=u32::MAX, or absent.
fn whole(value: Option<&Value>, field: &str) -> Result<Option<u32>, InputError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            if let Some(u) = n.as_u64() {
                u32::try_from(u)
                    .map(Some)
                    .map_err(|_| InputError::new(field, format!("{u} is too large (at most {})", u32::MAX)))
            } else if n.as_i64().is_some() {
                Err(InputError::new(field, format!("must not be negative, got {n}")))
            } else {
                match n.as_f64() {
                    Some(f) if f.fract() == 0.0 && f >= 0.0 && f <= f64::from(u32::MAX) => Ok(Some(f as u32)),
                    Some(f) if f < 0.0 => Err(InputError::new(field, format!("must not be negative, got {n}"))),
                    Some(f) if f.fract() == 0.0 => Err(InputError::new(
                        field,
                        format!("{n} is too large (at most {})", u32::MAX),
                    )),
                    _ => Err(InputError::new(field, format!("must be a whole number, got {n}"))),
                }
            }
        }
        Some(other) => Err(InputError::new(
            field,
            format!("expected a whole number, got {}", kind(other)),
        )),
    }
}

/// A non-negative amount of dollars, kept as whole cents.
fn money(value: Option<&Value>, field: &str) -> Result<Option<u64>, InputError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            if !f.is_finite() {
                Err(InputError::new(field, format!("{n} is not a usable amount")))
            } else if f < 0.0 {
                Err(InputError::new(field, format!("must not be negative, got {n}")))
            } else if f > 1.0e12 {
                Err(InputError::new(field, format!("{n} is larger than any allowed amount")))
            } else {
                // At most 1e14 cents: exact in f64 and well inside u64.
                Ok(Some((f * 100.0).round() as u64))
            }
        }
        Some(other) => Err(InputError::new(
            field,
            format!("expected a number of dollars, got {}", kind(other)),
        )),
    }
}

fn string_list(value: Option<&Value>, field: &str, max: usize) -> Result<Vec<String>, InputError> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => {
            if items.len() > max {
                return Err(InputError::new(
                    field,
                    format!("has {} entries; at most {max} are allowed", items.len()),
                ));
            }
            items
                .iter()
                .enumerate()
                .map(|(i, item)| match item {
                    Value::String(s) if s.trim().len() <= MAX_ENTRY => Ok(s.trim().to_string()),
                    Value::String(_) => Err(InputError::new(
                        format!("{field}[{i}]"),
                        "is too long (40 characters at most)",
                    )),
                    other => Err(InputError::new(
                        format!("{field}[{i}]"),
                        format!("expected a string, got {}", kind(other)),
                    )),
                })
                .collect()
        }
        Some(other) => Err(InputError::new(
            field,
            format!("expected a list of strings, got {}", kind(other)),
        )),
    }
}

fn kind(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.len() <= 30 => format!("the string {s:?}"),
        Value::String(_) => "a string".into(),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// The visit as the contract's JSON (defaults written out), e.g. to reopen an
/// audited visit in the calculator.
pub fn visit_to_value(v: &Visit) -> Value {
    let lines: Vec<Value> = v
        .lines
        .iter()
        .map(|l| {
            let mut o = serde_json::json!({"code": l.code});
            if l.modifiers_given {
                o["modifiers"] = l.modifiers.clone().into();
            }
            if let Some(m) = l.minutes {
                o["minutes"] = m.into();
            }
            if l.assistant_minutes > 0 {
                o["assistant_minutes"] = l.assistant_minutes.into();
            }
            if let Some(u) = l.units {
                o["units"] = u.into();
            }
            o
        })
        .collect();
    let mut o = serde_json::json!({
        "date_of_service": v.date_of_service.to_string(),
        "payer": v.payer,
        "method": v.method,
        "discipline": v.discipline,
        "setting": v.setting,
        "lines": lines,
        "diagnoses": v.diagnoses,
    });
    if let Some(c) = v.ytd_allowed_cents {
        o["ytd_allowed"] = serde_json::json!(c as f64 / 100.0);
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> InputError {
        parse_visit(text).expect_err("should be rejected")
    }

    #[test]
    fn minimal_visit_takes_defaults() {
        let v = parse_visit(r#"{"date_of_service":"2026-03-02","lines":[{"code":" 97110 ","minutes":23}]}"#).unwrap();
        assert_eq!(v.payer, Payer::Medicare);
        assert_eq!(v.method, Method::Cms);
        assert_eq!(v.discipline, Discipline::Pt);
        assert_eq!(v.setting, Setting::Practitioner);
        assert_eq!(v.lines[0].code, "97110");
        assert_eq!(v.lines[0].assistant_minutes, 0);
    }

    #[test]
    fn names_the_field() {
        let e = err(r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minuts":23}]}"#);
        assert_eq!(e.field, "lines[0].minuts");
        assert!(e.message.contains("did you mean \"minutes\""), "{e}");
        let e = err(r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":-3}]}"#);
        assert_eq!(e.field, "lines[0].minutes");
        let e = err(r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":2.5}]}"#);
        assert!(
            e.to_string().starts_with("lines[0].minutes: must be a whole number"),
            "{e}"
        );
        let e = err(r#"{"date_of_service":"2026-02-30","lines":[]}"#);
        assert_eq!(e.field, "date_of_service");
        let e = err(r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":5,"assistant_minutes":6}]}"#);
        assert_eq!(e.field, "lines[0].assistant_minutes");
        let e = err(r#"{"date_of_service":"2026-03-02","payer":"medicar","lines":[]}"#);
        assert_eq!(e.field, "payer");
        let e = err(r#"{"date_of_service":"2026-03-02","lines":[{"code":97110}]}"#);
        assert_eq!(e.field, "lines[0].code");
        let e = err(r#"{"date_of_service":"2026-03-02","ytd_allowed":-1,"lines":[]}"#);
        assert_eq!(e.field, "ytd_allowed");
        let e = err(r#"{"lines":[]}"#);
        assert_eq!(e.field, "date_of_service");
        let e = err(r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110"}],"diagnoses":[5]}"#);
        assert_eq!(e.field, "diagnoses[0]");
        let e = err("[1,2]");
        assert!(e.message.contains("JSON object"));
        let e = err("{");
        assert!(e.message.contains("not valid JSON"));
    }

    #[test]
    fn minutes_up_to_u32_max() {
        let v =
            parse_visit(r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":4294967295}]}"#).unwrap();
        assert_eq!(v.lines[0].minutes, Some(u32::MAX));
        let e = err(r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":4294967296}]}"#);
        assert!(e.message.contains("too large"));
        let v = parse_visit(r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":2.0}]}"#).unwrap();
        assert_eq!(v.lines[0].minutes, Some(2));
    }

    #[test]
    fn money_in_cents() {
        let v = parse_visit(r#"{"date_of_service":"2026-03-02","ytd_allowed":1834.50,"lines":[{"code":"97110"}]}"#)
            .unwrap();
        assert_eq!(v.ytd_allowed_cents, Some(183_450));
    }

    #[test]
    fn empty_lines_and_keys_given_twice_are_rejected() {
        let e = err(r#"{"date_of_service":"2026-03-02","lines":[]}"#);
        assert_eq!(e.field, "lines");
        assert!(e.message.contains("at least one"), "{e}");
        let e = err(r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110"}],"lines":[]}"#);
        assert_eq!(e.to_string(), "lines: is given twice; give each field once");
        let e = err(r#"{"date_of_service":"2026-03-02","lines":[{"code":"97110","code":"97112"}]}"#);
        assert_eq!(e.field, "lines[0].code");
        // The audit's probe of a visit's shared cells still reads without lines.
        let probe = serde_json::json!({"date_of_service": "2026-03-02", "lines": []});
        assert!(visit_from_value(&probe).is_ok());
    }

    #[test]
    fn a_byte_order_mark_is_accepted() {
        let v = parse_visit("\u{feff}{\"date_of_service\":\"2026-03-02\",\"lines\":[{\"code\":\"97110\"}]}").unwrap();
        assert_eq!(v.lines[0].code, "97110");
    }
}
